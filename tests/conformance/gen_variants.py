#!/usr/bin/env python3
"""Generate XSD edge-case variants of our fixture messages for the conformance test.

Every variant is a small, deterministic textual edit of one fixture in fixtures/messages/ (missing,
extra, reordered or duplicated elements; values just inside and just outside a facet). The test
(run_conformance.py) validates each variant with our schemas and with the official ones and wants the
same verdict. `expect` is what the edit is meant to produce ("valid", "invalid" or None when the XSD
outcome depends on the validator's reading of an unusual lexical form); it is informative only.

Usage: gen_variants.py FIXTURES_DIR OUT_DIR   (writes OUT_DIR/*.xml and OUT_DIR/manifest.json)
Python 3 standard library only.
"""
import json
import os
import re
import sys

# ----------------------------------------------------------------------------- text edits
# The fixtures put message elements in the default namespace and basisschema elements under a
# prefix; the helpers accept any prefix. No element in our messages nests an element of the same
# name, so a non-greedy match finds the right end tag.


def _elem_re(name):
    return re.compile(r'(?P<indent>[ \t]*)<(?P<p>(?:[\w.-]+:)?)' + re.escape(name) +
                      r'(?P<attrs>\s[^>]*)?>(?P<body>.*?)</(?P=p)' + re.escape(name) + r'>\n?', re.S)


def _find(text, name, n=0):
    ms = list(_elem_re(name).finditer(text))
    if len(ms) <= n:
        raise KeyError(name)
    return ms[n]


def has(text, name, n=0):
    return len(list(_elem_re(name).finditer(text))) > n


def set_text(name, value, n=0):
    def f(t):
        m = _find(t, name, n)
        return t[:m.start('body')] + value + t[m.end('body'):]
    return f


def remove(name, n=0):
    def f(t):
        m = _find(t, name, n)
        return t[:m.start()] + t[m.end():]
    return f


def duplicate(name, n=0):
    def f(t):
        m = _find(t, name, n)
        return t[:m.end()] + m.group(0) + t[m.end():]
    return f


def swap(a, b, n=0):
    """Swap the n-th a and the n-th b (siblings, a before b)."""
    def f(t):
        ma, mb = _find(t, a, n), _find(t, b, n)
        if ma.start() > mb.start():
            ma, mb = mb, ma
        return t[:ma.start()] + mb.group(0) + t[ma.end():mb.start()] + ma.group(0) + t[mb.end():]
    return f


def insert_after(name, snippet, n=0):
    """Insert snippet after the n-th name; '{p}' in the snippet is that element's prefix."""
    def f(t):
        m = _find(t, name, n)
        return t[:m.end()] + m.group('indent') + snippet.format(p=m.group('p')) + '\n' + t[m.end():]
    return f


def remove_last(name):
    def f(t):
        ms = list(_elem_re(name).finditer(t))
        if not ms:
            raise KeyError(name)
        return t[:ms[-1].start()] + t[ms[-1].end():]
    return f


def empty_container(name, n=0):
    def f(t):
        m = _find(t, name, n)
        return t[:m.start('body')] + t[m.end('body'):]
    return f


def add_attr(name, attr, n=0):
    def f(t):
        m = re.compile(r'<((?:[\w.-]+:)?)' + re.escape(name) + r'([\s>])')
        ms = list(m.finditer(t))
        if len(ms) <= n:
            raise KeyError(name)
        x = ms[n]
        return t[:x.end(1) + len(name)] + ' ' + attr + t[x.end(1) + len(name):]
    return f


def swap_in(cls, a, b, n=0):
    """Swap the first a and the first b inside the n-th cls (for names that occur elsewhere too)."""
    def f(t):
        m = _find(t, cls, n)
        return t[:m.start('body')] + swap(a, b)(m.group('body')) + t[m.end('body'):]
    return f


def chain(*fs):
    def f(t):
        for g in fs:
            t = g(t)
        return t
    return f


def replace_once(old, new):
    def f(t):
        if old not in t:
            raise KeyError(old)
        return t.replace(old, new, 1)
    return f


def truncate(t):
    return t[:len(t) // 2]


def rename_root(t):
    return re.sub(r'<(/?)Bericht([\s>])', r'<\1Berichten\2', t)


XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'

# ----------------------------------------------------------------------------- mutation sets
V, I, U = 'valid', 'invalid', None


def int_cases(name, maxv, n=0):
    """Integer facets: lexical forms and the boundaries of 0..maxv."""
    return [
        (f'{name}-neg', I, set_text(name, '-1', n)),
        (f'{name}-decimal', I, set_text(name, '1.5', n)),
        (f'{name}-exp', I, set_text(name, '1e3', n)),
        (f'{name}-plus', V, set_text(name, '+5', n)),
        (f'{name}-leading-zeros', V, set_text(name, '007', n)),
        (f'{name}-zero', V, set_text(name, '0', n)),
        (f'{name}-minus-zero', U, set_text(name, '-0', n)),
        (f'{name}-spaces', V, set_text(name, ' 42 ', n)),
        (f'{name}-empty', I, set_text(name, '', n)),
        (f'{name}-max', V, set_text(name, str(maxv), n)),
        (f'{name}-max-plus-1', I, set_text(name, str(maxv + 1), n)),
        (f'{name}-letters', I, set_text(name, '12a', n)),
    ]


def date_cases(name, n=0):
    return [
        (f'{name}-feb30', I, set_text(name, '2025-02-30', n)),
        (f'{name}-month13', I, set_text(name, '2025-13-01', n)),
        (f'{name}-zulu', I, set_text(name, '2025-04-01Z', n)),
        (f'{name}-offset', I, set_text(name, '2025-04-01+01:00', n)),
        (f'{name}-datetime', I, set_text(name, '2025-04-01T00:00:00', n)),
        (f'{name}-short', I, set_text(name, '2025-4-1', n)),
        (f'{name}-leapday-2024', V, set_text(name, '2024-02-29', n)),
        (f'{name}-leapday-2025', I, set_text(name, '2025-02-29', n)),
        (f'{name}-spaces', V, set_text(name, ' 2025-04-01 ', n)),
        (f'{name}-empty', I, set_text(name, '', n)),
        (f'{name}-compact', I, set_text(name, '20250401', n)),
    ]


def header_cases(code, gemeente_field, agb_field, wrong=None):
    """Header cases of a message with BerichtCode code; wrong is another message's code (default: the
    iWmo heen/retour partner of code)."""
    wrong = wrong or {'414': '415', '415': '414', '418': '419', '419': '418', '420': '421', '421': '420',
             '444': '445', '445': '444', '480': '481', '481': '480', '482': '483', '483': '482',
             '484': '485', '485': '484'}[code]
    return [
        ('miss-BerichtVersie', I, remove('BerichtVersie')),
        ('miss-XsdVersie', I, remove('XsdVersie')),
        ('miss-Identificatie', I, remove('Identificatie')),
        ('miss-Dagtekening', I, remove('Dagtekening')),
        ('miss-BerichtXsdVersie', I, remove('BerichtXsdVersie')),
        ('extra-unknown-in-header', I, insert_after('BerichtSubversie', '<{p}Onbekend>1</{p}Onbekend>')),
        ('extra-basis-element', I, insert_after('Dagtekening', '<{p}Tijdstip>10:00:00</{p}Tijdstip>')),
        ('extra-foreign-ns', I, insert_after('XsdVersie', '<x:Extra xmlns:x="http://example.org/x">1</x:Extra>')),
        ('extra-after-last', I, replace_once('</Bericht>', '<Extra/></Bericht>')),
        ('extra-attribute', I, add_attr('Header', 'versie="2"')),
        ('comment-and-pi', V, insert_after('BerichtCode', '<!-- note --><?istd test?>')),
        ('reorder-afzender-ontvanger', I, swap('Afzender', 'Ontvanger')),
        ('reorder-versie-subversie', I, swap('BerichtVersie', 'BerichtSubversie')),
        ('reorder-identificatie-dagtekening', I, swap('Identificatie', 'Dagtekening')),
        ('dup-BerichtCode', I, duplicate('BerichtCode')),
        ('dup-Header', I, duplicate('Header')),
        ('dup-Dagtekening', I, duplicate('Dagtekening')),
        ('code-other-message', I, set_text('BerichtCode', wrong)),
        ('code-leading-space', I, set_text('BerichtCode', ' ' + code)),
        ('code-four-digits', I, set_text('BerichtCode', '0' + code)),
        ('versie-leading-zero', I, set_text('BerichtVersie', '03')),
        ('versie-collapsed-spaces', V, set_text('BerichtVersie', ' 3 ')),
        ('versie-4', I, set_text('BerichtVersie', '4')),
        ('subversie-plus', I, set_text('BerichtSubversie', '+2')),
        ('subversie-empty', I, set_text('BerichtSubversie', '')),
        ('xsi-nil-code', I, chain(add_attr('BerichtCode', 'xsi:nil="true"'),
                                  add_attr('Bericht', XSI))),
        ('gemeente-3-digits', I, set_text(gemeente_field, '363')),
        ('gemeente-5-digits', I, set_text(gemeente_field, '03630')),
        ('gemeente-letter', I, set_text(gemeente_field, '03a3')),
        ('gemeente-space', I, set_text(gemeente_field, '0363 ')),
        ('agb-7-digits', I, set_text(agb_field, '6565605')),
        ('agb-letter', I, set_text(agb_field, '6565605A')),
        ('agb-9-digits', I, set_text(agb_field, '656560551')),
        ('agb-arabic-indic-digits', I, set_text(agb_field, '\u0666\u0665\u0666\u0665\u0666\u0660\u0665\u0665')),
        ('agb-other-valid', V, set_text(agb_field, '12345678')),
        ('ident-empty', I, set_text('Identificatie', '')),
        ('ident-whitespace-only', I, set_text('Identificatie', '   ')),
        ('ident-12-chars', V, set_text('Identificatie', 'ABCDEFGHIJKL')),
        ('ident-13-chars', I, set_text('Identificatie', 'ABCDEFGHIJKLM')),
        ('ident-inner-space', V, set_text('Identificatie', 'A B')),
        ('ident-newline', I, set_text('Identificatie', 'A\nB')),
        ('ident-leading-tab', V, set_text('Identificatie', '\tA')),
        ('ident-nbsp-only', V, set_text('Identificatie', '\u00a0')),
        ('ident-non-ascii', V, set_text('Identificatie', 'Ñandú-ß€')),
        ('xsdversie-two-parts', I, set_text('BerichtXsdVersie', '1.0')),
        ('xsdversie-leading-zero', I, set_text('BerichtXsdVersie', '01.0.0')),
        ('xsdversie-big', V, set_text('BasisschemaXsdVersie', '10.20.30')),
        ('xsdversie-trailing-space', I, set_text('BasisschemaXsdVersie', '1.0.0 ')),
        ('not-well-formed', I, truncate),
        ('wrong-root-name', I, rename_root),
    ] + date_cases('Dagtekening')


def name_cases():
    return [
        ('achternaam-200', V, set_text('Achternaam', 'a' * 200)),
        ('achternaam-201', I, set_text('Achternaam', 'a' * 201)),
        ('achternaam-whitespace', I, set_text('Achternaam', ' \t ')),
        ('achternaam-newline', I, set_text('Achternaam', 'de\nVries')),
        ('voorvoegsel-11', I, set_text('Voorvoegsel', 'van der de ')),
        ('voorletters-accented', V, set_text('Voorletters', 'ÉÀỳ')),
        ('voorletters-dot', I, set_text('Voorletters', 'M.')),
        ('voorletters-7', I, set_text('Voorletters', 'ABCDEFG')),
        ('voorletters-beyond-range', I, set_text('Voorletters', 'Ỵ')),
        ('geslacht-3', I, set_text('Geslacht', '3')),
        ('datumgebruik-4', I, insert_after('Datum', '<{p}DatumGebruik>4</{p}DatumGebruik>')),
        ('datumgebruik-2', V, insert_after('Datum', '<{p}DatumGebruik>2</{p}DatumGebruik>')),
        ('bsn-8-digits', I, set_text('Bsn', '99990000')),
        ('bsn-10-digits', I, set_text('Bsn', '9999000060')),
        ('bsn-letter', I, set_text('Bsn', '99990000X')),
        ('bsn-leading-space', I, set_text('Bsn', ' 999900006')),
        ('bsn-not-11-proof', V, set_text('Bsn', '999900007')),
        ('miss-Bsn', I, remove('Bsn')),
        ('miss-Naam', I, remove('Naam')),
        ('reorder-geslacht-geboortedatum', I, swap('Geboortedatum', 'Geslacht')),
    ] + date_cases('Datum')[:4]


def product_cases(cat='Categorie', code='Code'):
    return [
        (f'{cat}-19', I, set_text(cat, '19')),
        (f'{cat}-one-digit', I, set_text(cat, '1')),
        (f'{cat}-18', V, set_text(cat, '18')),
        (f'{cat}-ijw-45', I, set_text(cat, '45')),
        (f'{code}-5', V, set_text(code, 'ABCDE')),
        (f'{code}-6', I, set_text(code, 'ABCDEF')),
        (f'{code}-whitespace', I, set_text(code, '     ')),
        (f'{code}-empty', I, set_text(code, '')),
    ]


def cases_301(retour=False):
    cs = header_cases('415' if retour else '414', 'Afzender', 'Ontvanger') + name_cases() + product_cases() + \
        int_cases('ToewijzingNummer', 999999999) + int_cases('Volume', 99999999)[:11] + \
        int_cases('Budget', 99999999)[9:11] + date_cases('Ingangsdatum')[:3] + [
        ('miss-Contactgegevens', I, remove('Contactgegevens')),
        ('miss-ToegewezenProducten', I, remove('ToegewezenProducten')),
        ('empty-ToegewezenProducten', I, empty_container('ToegewezenProducten')),
        ('miss-Toewijzingstijd', I, remove('Toewijzingstijd')),
        ('miss-Omvang', V, remove('Omvang')),
        ('miss-Product', V, remove('Product')),
        ('miss-Volume', I, remove('Volume')),
        ('reorder-ingang-eind', I, swap('Ingangsdatum', 'Einddatum')),
        ('reorder-omvang-eenheid-frequentie', I, swap('Eenheid', 'Frequentie')),
        ('dup-ToewijzingNummer', I, duplicate('ToewijzingNummer')),
        ('dup-Omvang', I, duplicate('Omvang')),
        ('dup-ToegewezenProduct', V, duplicate('ToegewezenProduct')),
        ('tijd-zulu', I, set_text('Toewijzingstijd', '10:15:00Z')),
        ('tijd-offset', I, set_text('Toewijzingstijd', '10:15:00+01:00')),
        # libxml2 does not read the trailing '-' of [^Z+-] as excluded; Xerces does (invalid).
        ('tijd-negative-offset', U, set_text('Toewijzingstijd', '10:15:00-01:00')),
        ('tijd-hhmm', I, set_text('Toewijzingstijd', '10:15')),
        ('tijd-fraction', V, set_text('Toewijzingstijd', '10:15:00.250')),
        ('tijd-25h', I, set_text('Toewijzingstijd', '25:00:00')),
        ('eenheid-99', I, set_text('Eenheid', '99')),
        ('eenheid-83', V, set_text('Eenheid', '83')),
        ('frequentie-3', I, set_text('Frequentie', '3')),
        ('frequentie-6', V, set_text('Frequentie', '6')),
        ('redenwijziging-15', I, insert_after('Einddatum', '<{p}RedenWijziging>15</{p}RedenWijziging>')),
        ('redenwijziging-13', V, insert_after('Einddatum', '<{p}RedenWijziging>13</{p}RedenWijziging>')),
        ('commentaar-whitespace', I, insert_after('Omvang', '<{p}Commentaar> \n\t </{p}Commentaar>')),
        ('commentaar-multiline', V, insert_after('Omvang', '<{p}Commentaar>\n  eerste regel\n  tweede regel\n</{p}Commentaar>')),
        ('commentaar-dot', V, insert_after('Omvang', '<{p}Commentaar>.</{p}Commentaar>')),
        ('commentaar-long', V, insert_after('Omvang', '<{p}Commentaar>' + 'x ' * 5000 + '</{p}Commentaar>')),
        ('commentaar-long-whitespace', I, insert_after('Omvang', '<{p}Commentaar>' + ' ' * 3000 + '</{p}Commentaar>')),
        ('commentaar-empty', I, insert_after('Omvang', '<{p}Commentaar></{p}Commentaar>')),
        ('referentie-36', V, insert_after('ToewijzingNummer', '<{p}ReferentieAanbieder>' + 'R' * 36 + '</{p}ReferentieAanbieder>')),
        ('referentie-37', I, insert_after('ToewijzingNummer', '<{p}ReferentieAanbieder>' + 'R' * 37 + '</{p}ReferentieAanbieder>')),
        ('postcode-9', I, set_text('Postcode', '1011 AB CD')),
        ('landcode-xx', I, set_text('LandCode', 'XX')),
        ('landcode-lower', I, set_text('LandCode', 'nl')),
        ('landcode-be', V, set_text('LandCode', 'BE')),
        ('huisnummer-99999', V, set_text('Huisnummer', '99999')),
        ('huisnummer-100000', I, set_text('Huisnummer', '100000')),
        ('huisletter-2', I, set_text('Huisletter', 'AB')),
        ('contactsoort-05', I, set_text('Soort', '05')),
        ('naamgebruik-7', I, set_text('NaamGebruik', '7')),
        ('miss-NaamGebruik', I, remove('NaamGebruik')),
        ('communicatie-vorm-4', I, insert_after('Naam', '<{p}Communicatie><iwmo:Vorm>4</iwmo:Vorm></{p}Communicatie>')),
        ('juridischestatus-06', I, insert_after('Naam', '<{p}JuridischeStatus>06</{p}JuridischeStatus>')),
        ('straatnaam-24', V, set_text('Straatnaam', 'S' * 24)),
        ('straatnaam-25', I, set_text('Straatnaam', 'S' * 25)),
    ]
    return cs


def cases_301_rich():
    """Extra cases on a 301 with relations and contact details."""
    return [
        ('relatie-soort-02', I, set_text('Soort', '02', 0)),
        ('relatie-soort-25', V, set_text('Soort', '25', 0)),
        ('relatie-volgorde-100', I, set_text('Volgorde', '100')),
        ('relatie-volgorde-99', V, set_text('Volgorde', '99')),
        ('relatie-nummer-21', I, set_text('Nummer', 'N' * 21)),
        ('relatie-miss-contact', I, remove('Contact')),
        ('telefoon-letters', I, set_text('Telefoonnummer', '06-12345678')),
        ('telefoon-15', V, set_text('Telefoonnummer', '1' * 15)),
        ('telefoon-16', I, set_text('Telefoonnummer', '1' * 16)),
        ('telefoon-empty', I, set_text('Telefoonnummer', '')),
        ('miss-Telefoon01', I, remove('Telefoon01')),
        ('email-80', V, set_text('Emailadres', 'e' * 74 + '@x.nl')),
        ('email-81', I, set_text('Emailadres', 'e' * 76 + '@x.nl')),
        ('taal-26', I, set_text('Taal', 'T' * 26)),
        ('wettelijk-05', I, set_text('WettelijkeVertegenwoordiging', '05')),
        ('periode-empty', V, empty_container('Periode')),
        ('reorder-relaties-contactgegevens', I, swap('Relaties', 'Contactgegevens')),
        ('empty-Relaties', I, empty_container('Relaties')),
        ('organisatie-36', I, set_text('Organisatie', 'O' * 36)),
        ('budget-max', V, set_text('Budget', '99999999')),
    ]


def cases_retour_header():
    return [
        ('identificatieretour-13', I, set_text('IdentificatieRetour', 'R' * 13)),
        ('identificatieretour-ws', I, set_text('IdentificatieRetour', '  ')),
        ('miss-DagtekeningRetour', I, remove('DagtekeningRetour')),
        ('miss-XsdVersieRetour', I, remove('XsdVersieRetour')),
        ('dagtekeningretour-zulu', I, set_text('DagtekeningRetour', '2025-04-07Z')),
        ('xsltversie-ok', V, insert_after('DagtekeningRetour', '<{p}XsltVersie>2.10.5</{p}XsltVersie>')),
        ('xsltversie-bad', I, insert_after('DagtekeningRetour', '<{p}XsltVersie>2.10</{p}XsltVersie>')),
        ('xsltversie-misplaced', I, insert_after('XsdVersieRetour', '<{p}XsltVersie>2.10.5</{p}XsltVersie>')),
        ('header-retourcodes-empty', I, insert_after('XsdVersieRetour', '<{p}RetourCodes></{p}RetourCodes>')),
        ('header-retourcode-s300', V, insert_after('XsdVersieRetour', '<{p}RetourCodes><{p}RetourCode>S300</{p}RetourCode></{p}RetourCodes>')),
        ('header-retourcode-lower', I, insert_after('XsdVersieRetour', '<{p}RetourCodes><{p}RetourCode>s300</{p}RetourCode></{p}RetourCodes>')),
        ('header-retourcode-unknown', I, insert_after('XsdVersieRetour', '<{p}RetourCodes><{p}RetourCode>9999</{p}RetourCode></{p}RetourCodes>')),
        ('header-retourcode-5chars', I, insert_after('XsdVersieRetour', '<{p}RetourCodes><{p}RetourCode>02000</{p}RetourCode></{p}RetourCodes>')),
        ('header-retourcode-many', V, insert_after('XsdVersieRetour', '<{p}RetourCodes><{p}RetourCode>8848</{p}RetourCode><{p}RetourCode>9056</{p}RetourCode></{p}RetourCodes>')),
    ]


def cases_retour_classes(first_class):
    """For a retour with a Client: RetourCodes rules of the classes (last child, 1..1)."""
    return [
        ('miss-class-retourcodes', I, remove('RetourCodes', 1)),
        ('dup-class-retourcodes', I, duplicate('RetourCodes', 1)),
        ('empty-class-retourcodes', I, empty_container('RetourCodes', 1)),
        ('class-retourcode-9999', I, set_text('RetourCode', '9999', 1)),
        ('class-retourcode-0233', V, set_text('RetourCode', '0233', 1)),
        ('miss-header-retourcodes', V, remove('RetourCodes', 0)),
        ('miss-Client', V, remove('Client')),
        ('dup-Client', I, duplicate('Client')),
        (f'miss-last-{first_class}-retourcodes', I, remove_last('RetourCodes')),
        ('retourcodes-misplaced', I, chain(remove('RetourCodes', 1),
                                           insert_after('Bsn', '<{p}RetourCodes><{p}RetourCode>0200</{p}RetourCode></{p}RetourCodes>'))),
    ]


def cases_startstop(msg):
    retour = msg in ('306', '308')
    code = {'305': '418', '306': '419', '307': '420', '308': '421'}[msg]
    cls = 'StartProduct' if msg in ('305', '306') else 'StopProduct'
    coll = cls[:-len('Product')] + 'Producten'
    cs = header_cases(code, 'Ontvanger', 'Afzender') + name_cases() + product_cases() + \
        int_cases('ToewijzingNummer', 999999999) + date_cases('Begindatum') + [
        ('status-5', I, set_text('StatusAanlevering', '5')),
        ('status-2', V, set_text('StatusAanlevering', '2')),
        ('status-9', V, set_text('StatusAanlevering', '9')),
        ('status-0', I, set_text('StatusAanlevering', '0')),
        ('status-01', I, set_text('StatusAanlevering', '01')),
        ('status-space', I, set_text('StatusAanlevering', ' 1')),
        ('miss-Begindatum', I, remove('Begindatum')),
        ('miss-StatusAanlevering', I, remove('StatusAanlevering')),
        ('miss-ToewijzingNummer', V, remove('ToewijzingNummer')),
        ('miss-Product', V, remove('Product')),
        ('miss-ToewijzingIngangsdatum', V, remove('ToewijzingIngangsdatum')),
        ('miss-Categorie', I, remove('Categorie')),
        ('reorder-begindatum-status', I, swap('Begindatum', 'StatusAanlevering')),
        ('reorder-nummer-product', I, swap('ToewijzingNummer', 'Product')),
        ('reorder-categorie-code', I, swap('Categorie', 'Code')),
        ('dup-Begindatum', I, duplicate('Begindatum')),
        (f'dup-{cls}', V, duplicate(cls)),
        (f'empty-{coll}', I, empty_container(coll)),
        (f'miss-{coll}', I, remove(coll)),
        ('dup-Client', I, duplicate('Client')),
        ('voornamen-whitespace', I, set_text('Voornamen', '  ')),
        ('extra-in-product', I, insert_after('Code', '<{p}Omschrijving>x</{p}Omschrijving>')),
    ]
    if cls == 'StopProduct':
        cs += date_cases('Einddatum')[:6] + [
            ('reden-24', I, set_text('RedenBeeindiging', '24')),
            ('reden-23', V, set_text('RedenBeeindiging', '23')),
            ('reden-39', V, set_text('RedenBeeindiging', '39')),
            ('reden-01', I, set_text('RedenBeeindiging', '01')),
            ('reden-2', I, set_text('RedenBeeindiging', '2')),
            ('reden-empty', I, set_text('RedenBeeindiging', '')),
            ('reden-ijw-only', I, set_text('RedenBeeindiging', '17')),
            ('miss-RedenBeeindiging', I, remove('RedenBeeindiging')),
            ('miss-Einddatum', I, remove('Einddatum')),
            ('reorder-reden-einddatum', I, _swap_stop),
        ]
    if retour:
        cs += cases_retour_header()
    return cs


def _swap_stop(t):
    """Swap RedenBeeindiging and the StopProduct's own Einddatum (the one right after it)."""
    m = _find(t, 'RedenBeeindiging')
    rest = t[m.end():]
    e = _elem_re('Einddatum').search(rest)
    if not e:
        raise KeyError('Einddatum')
    return t[:m.start()] + e.group(0) + rest[:e.start()] + m.group(0) + rest[e.end():]


def cases_323():
    return header_cases('484', 'Ontvanger', 'Afzender') + int_cases('ToewijzingNummer', 999999999) + \
        int_cases('TotaalBedrag', 999999999999) + int_cases('Bedrag', 99999999)[9:] + \
        int_cases('GeleverdVolume', 99999999)[:4] + int_cases('ProductTarief', 99999999)[9:11] + \
        product_cases('ProductCategorie', 'ProductCode') + date_cases('Begindatum', 1)[:5] + [
        ('declaratienummer-dash', I, set_text('DeclaratieNummer', 'D-202506')),
        ('declaratienummer-space', I, set_text('DeclaratieNummer', 'D 202506')),
        ('declaratienummer-12', V, set_text('DeclaratieNummer', 'ABCDEF123456')),
        ('declaratienummer-13', I, set_text('DeclaratieNummer', 'ABCDEF1234567')),
        ('declaratienummer-empty', I, set_text('DeclaratieNummer', '')),
        ('declaratienummer-accent', I, set_text('DeclaratieNummer', 'DÉC1')),
        ('debetcredit-x', I, set_text('DebetCredit', 'X')),
        ('debetcredit-lower', I, set_text('DebetCredit', 'd')),
        ('debetcredit-c', V, set_text('DebetCredit', 'C')),
        ('eenheid-99', I, set_text('Eenheid', '99')),
        ('eenheid-83', V, set_text('Eenheid', '83')),
        ('referentie-20', V, set_text('ReferentieNummer', 'R' * 20)),
        ('referentie-21', I, set_text('ReferentieNummer', 'R' * 21)),
        ('referentie-whitespace', V, set_text('ReferentieNummer', '   ')),
        ('referentie-empty', I, set_text('ReferentieNummer', '')),
        ('vorigreferentie-empty', I, insert_after('ReferentieNummer', '<{p}VorigReferentieNummer></{p}VorigReferentieNummer>')),
        ('vorigreferentie-ok', V, insert_after('ReferentieNummer', '<{p}VorigReferentieNummer>OLD-1</{p}VorigReferentieNummer>')),
        ('miss-ProductTarief', V, remove('ProductTarief')),
        ('miss-ProductCode', I, remove('ProductCode')),
        ('miss-ToewijzingNummer', I, remove('ToewijzingNummer')),
        ('miss-DeclaratieDagtekening', I, remove('DeclaratieDagtekening')),
        ('miss-Einddatum-periode', I, remove('Einddatum')),
        ('miss-TotaalIngediendBedrag', I, remove('TotaalIngediendBedrag')),
        ('empty-Prestaties', I, empty_container('Prestaties')),
        ('empty-Clienten', I, empty_container('Clienten')),
        ('dup-Declaratie', I, duplicate('Declaratie')),
        ('dup-Prestatie', V, duplicate('Prestatie')),
        ('dup-Client', V, duplicate('Client')),
        ('dup-ProductTarief', I, duplicate('ProductTarief')),
        ('reorder-volume-eenheid', I, swap('GeleverdVolume', 'Eenheid')),
        ('reorder-bedrag-dc', I, swap('Bedrag', 'DebetCredit', 0)),
        ('reorder-categorie-code', I, swap('ProductCategorie', 'ProductCode')),
        ('bsn-8-digits', I, set_text('Bsn', '99990000')),
        ('bsn-not-11-proof', V, set_text('Bsn', '999900007')),
        ('extra-in-prestatie', I, insert_after('IngediendBedrag', '<{p}Opmerking>x</{p}Opmerking>')),
    ]


def cases_325():
    return header_cases('485', 'Afzender', 'Ontvanger') + [
        ('miss-DeclaratieIdentificatie', I, remove('DeclaratieIdentificatie')),
        ('miss-XsdVersieDeclaratie', I, remove('XsdVersieDeclaratie')),
        ('miss-header-retourcodes', I, remove('RetourCodes', 0)),
        ('empty-header-retourcodes', I, empty_container('RetourCodes', 0)),
        ('header-retourcode-unknown', I, set_text('RetourCode', '1234', 0)),
        ('header-retourcode-8001', V, set_text('RetourCode', '8001', 0)),
        ('xsltversie-ok', V, insert_after('DeclaratieIdentificatie', '<{p}XsltVersie>2.10.5</{p}XsltVersie>')),
        ('xsltversie-bad', I, insert_after('DeclaratieIdentificatie', '<{p}XsltVersie>v2</{p}XsltVersie>')),
        ('reorder-decl-xsdversie', I, swap('DeclaratieIdentificatie', 'XsdVersieDeclaratie')),
        ('miss-DeclaratieAntwoord', V, remove('DeclaratieAntwoord')),
        ('dup-DeclaratieAntwoord', I, duplicate('DeclaratieAntwoord')),
        ('declaratienummer-dash', V, set_text('DeclaratieNummer', 'D-2025/06')),
        ('declaratienummer-12', V, set_text('DeclaratieNummer', 'D-2025/06-AB')),
        ('declaratienummer-13', I, set_text('DeclaratieNummer', 'D-2025/06-ABC')),
        ('declaratienummer-empty', I, set_text('DeclaratieNummer', '')),
        ('miss-TotaalToegekendBedrag', I, remove('TotaalToegekendBedrag')),
        ('toegekend-max', V, set_text('TotaalBedrag', '999999999999', 1)),
        ('toegekend-over-max', I, set_text('TotaalBedrag', '1000000000000', 1)),
        ('toegekend-negative', I, set_text('TotaalBedrag', '-100', 1)),
        ('miss-antwoord-retourcodes', I, lambda t: _remove_last_rc(t, 'DeclaratieAntwoord')),
        ('reorder-ingediend-toegekend', I, swap('TotaalIngediendBedrag', 'TotaalToegekendBedrag')),
    ]


def cases_325_lines():
    return [
        ('miss-prestatie-retourcodes', I, lambda t: _remove_rc_in(t, 'Prestatie')),
        ('miss-client-retourcodes', I, lambda t: _remove_client_rc(t)),
        ('empty-Clienten', I, empty_container('Clienten')),
        ('empty-Prestaties', I, empty_container('Prestaties')),
        ('prestatie-retourcode-9321', V, lambda t: _set_rc_in(t, 'Prestatie', '9321')),
        ('prestatie-retourcode-bad', I, lambda t: _set_rc_in(t, 'Prestatie', '932')),
        ('productcategorie-19', I, set_text('ProductCategorie', '19')),
        ('bedrag-over-max', I, set_text('Bedrag', '100000000')),
        ('bedrag-max', V, set_text('Bedrag', '99999999')),
        ('vorigreferentie-ok', V, insert_after('ReferentieNummer', '<{p}VorigReferentieNummer>X</{p}VorigReferentieNummer>')),
        ('referentie-21', I, set_text('ReferentieNummer', 'R' * 21)),
        ('miss-ProductTarief', V, remove('ProductTarief')),
        ('dup-Prestatie', V, duplicate('Prestatie')),
        ('extra-in-prestatie', I, insert_after('IngediendBedrag', '<{p}ToegekendBedrag>0</{p}ToegekendBedrag>')),
        ('bsn-letter', I, set_text('Bsn', '99990000X')),
        ('eenheid-99', I, set_text('Eenheid', '99')),
    ]


def _within(t, cls, n=0):
    m = _find(t, cls, n)
    return m.start('body'), m.end('body')


def _remove_rc_in(t, cls):
    a, b = _within(t, cls)
    body = t[a:b]
    m = list(_elem_re('RetourCodes').finditer(body))[-1]
    return t[:a] + body[:m.start()] + body[m.end():] + t[b:]


def _set_rc_in(t, cls, code):
    a, b = _within(t, cls)
    body = t[a:b]
    m = list(_elem_re('RetourCode').finditer(body))[-1]
    return t[:a] + body[:m.start('body')] + code + body[m.end('body'):] + t[b:]


def _remove_client_rc(t):
    a, b = _within(t, 'Client')
    body = t[a:b]
    m = list(_elem_re('RetourCodes').finditer(body))[-1]  # the client's own, after Prestaties
    return t[:a] + body[:m.start()] + body[m.end():] + t[b:]


def _remove_last_rc(t, cls):
    return _remove_rc_in(t, cls)


# ----------------------------------------------------------------------------- 315 .. 320
def referentie_cases(n=0):
    """ReferentieAanbieder (LDT_Referentie: 1..36 characters, not only whitespace)."""
    return [
        ('miss-ReferentieAanbieder', I, remove('ReferentieAanbieder', n)),
        ('dup-ReferentieAanbieder', I, duplicate('ReferentieAanbieder', n)),
        ('referentie-36', V, set_text('ReferentieAanbieder', 'R' * 36, n)),
        ('referentie-37', I, set_text('ReferentieAanbieder', 'R' * 37, n)),
        ('referentie-36-non-ascii', V, set_text('ReferentieAanbieder', 'é' * 36, n)),
        ('referentie-whitespace', I, set_text('ReferentieAanbieder', '   ', n)),
        ('referentie-empty', I, set_text('ReferentieAanbieder', '', n)),
        ('referentie-inner-space', V, set_text('ReferentieAanbieder', 'VOT 2025 1', n)),
        ('referentie-newline', I, set_text('ReferentieAanbieder', 'VOT\n2025', n)),
    ]


def cases_315():
    """A 315 with one specific AangevraagdProduct (Omvang, Beschikking, Verwijzer 01 with a name)."""
    return header_cases('444', 'Ontvanger', 'Afzender') + name_cases() + product_cases() + referentie_cases() + \
        int_cases('BeschikkingNummer', 999999999) + int_cases('Volume', 99999999)[:4] + \
        date_cases('ToewijzingIngangsdatum') + date_cases('ToewijzingEinddatum')[:6] + \
        date_cases('BeschikkingIngangsdatum')[:3] + [
        ('code-ijw-446', I, set_text('BerichtCode', '446')),
        ('miss-ToewijzingIngangsdatum', I, remove('ToewijzingIngangsdatum')),
        ('miss-ToewijzingEinddatum', V, remove('ToewijzingEinddatum')),
        ('miss-BeschikkingNummer', V, remove('BeschikkingNummer')),
        ('miss-BeschikkingIngangsdatum', V, remove('BeschikkingIngangsdatum')),
        ('miss-Product', V, remove('Product')),
        ('miss-Omvang', V, remove('Omvang')),
        ('miss-Raamcontract', V, remove('Raamcontract')),
        ('miss-Frequentie', I, remove('Frequentie')),
        ('miss-Verwijzer', I, remove('Verwijzer')),
        ('dup-Verwijzer', I, duplicate('Verwijzer')),
        ('empty-Verwijzer', I, empty_container('Verwijzer')),
        ('verwijzer-miss-Type', I, remove('Type')),
        ('verwijzer-miss-Naam', V, remove('Naam', 1)),
        ('verwijzer-type-08', V, set_text('Type', '08')),
        ('verwijzer-type-06', V, set_text('Type', '06')),
        ('verwijzer-type-07', I, set_text('Type', '07')),
        ('verwijzer-type-09', I, set_text('Type', '09')),
        ('verwijzer-type-00', I, set_text('Type', '00')),
        ('verwijzer-type-1', I, set_text('Type', '1')),
        ('verwijzer-type-empty', I, set_text('Type', '')),
        ('verwijzer-naam-64', V, set_text('Naam', 'n' * 64, 1)),
        ('verwijzer-naam-65', I, set_text('Naam', 'n' * 65, 1)),
        ('verwijzer-naam-whitespace', I, set_text('Naam', '  ', 1)),
        ('verwijzer-naam-empty', I, set_text('Naam', '', 1)),
        ('verwijzer-naam-twice', I, duplicate('Naam', 1)),
        ('verwijzer-naam-and-code', V, insert_after('Naam', '<{p}ZorgverlenerCode>01012345</{p}ZorgverlenerCode>', 1)),
        ('verwijzer-code-before-naam', I, insert_after('Type', '<{p}ZorgverlenerCode>01012345</{p}ZorgverlenerCode>')),
        ('verwijzer-extra-element', I, insert_after('Type', '<{p}Omschrijving>x</{p}Omschrijving>')),
        ('verwijzer-type-message-ns', I, replace_once('<iwmo:Type>01</iwmo:Type>', '<Type>01</Type>')),
        ('raamcontract-1', V, set_text('Raamcontract', '1')),
        ('raamcontract-0', I, set_text('Raamcontract', '0')),
        ('raamcontract-3', I, set_text('Raamcontract', '3')),
        ('raamcontract-ja', I, set_text('Raamcontract', 'J')),
        ('raamcontract-empty', I, set_text('Raamcontract', '')),
        ('dup-Raamcontract', I, duplicate('Raamcontract')),
        ('reorder-beschikkingnummer-product', I, swap('BeschikkingNummer', 'Product')),
        ('reorder-product-beschikkingingangsdatum', I, swap('Product', 'BeschikkingIngangsdatum')),
        ('reorder-ingang-eind', I, swap('ToewijzingIngangsdatum', 'ToewijzingEinddatum')),
        ('reorder-omvang-verwijzer', I, swap('Omvang', 'Verwijzer')),
        ('reorder-verwijzer-raamcontract', I, swap('Verwijzer', 'Raamcontract')),
        ('reorder-raamcontract-commentaar', I, swap_in('AangevraagdProduct', 'Raamcontract', 'Commentaar')),
        ('omvang-and-budget', V, insert_after('Omvang', '<{p}Budget>1000</{p}Budget>')),
        ('budget-before-omvang', I, replace_once('<Omvang>', '<Budget>1000</Budget><Omvang>')),
        ('dup-AangevraagdProduct', V, duplicate('AangevraagdProduct')),
        ('dup-ToewijzingIngangsdatum', I, duplicate('ToewijzingIngangsdatum')),
        ('dup-Omvang', I, duplicate('Omvang')),
        ('dup-Product', I, duplicate('Product')),
        ('empty-AangevraagdeProducten', I, empty_container('AangevraagdeProducten')),
        ('miss-AangevraagdeProducten', I, remove('AangevraagdeProducten')),
        ('client-commentaar-whitespace', I, set_text('Commentaar', ' \n ', 0)),
        ('miss-client-commentaar', V, remove('Commentaar', 0)),
        ('client-commentaar-after-producten', I, chain(
            remove('Commentaar', 0), replace_once('</AangevraagdeProducten>', '</AangevraagdeProducten><Commentaar>x</Commentaar>'))),
        ('product-commentaar-empty', I, set_text('Commentaar', '', 1)),
        ('extra-communicatie', I, insert_after('Naam', '<{p}Communicatie><iwmo:Vorm>1</iwmo:Vorm></{p}Communicatie>')),
        ('extra-naamgebruik', I, insert_after('Voorletters', '<{p}NaamGebruik>1</{p}NaamGebruik>')),
        ('extra-gezagsdragerbekend', I, insert_after('Naam', '<{p}GezagsdragerBekend>1</{p}GezagsdragerBekend>')),
        ('extra-retourcodes', I, replace_once('</AangevraagdProduct>', '<RetourCodes><RetourCode>0200</RetourCode></RetourCodes></AangevraagdProduct>')),
        ('extra-toewijzingnummer', I, insert_after('ReferentieAanbieder', '<{p}ToewijzingNummer>1</{p}ToewijzingNummer>')),
        ('dup-Client', I, duplicate('Client')),
        ('miss-Client', I, remove('Client')),
        ('eenheid-99', I, set_text('Eenheid', '99')),
        ('eenheid-82', V, set_text('Eenheid', '82')),
        ('frequentie-3', I, set_text('Frequentie', '3')),
        ('frequentie-6', V, set_text('Frequentie', '6')),
    ]


def cases_315_budget():
    """A 315 with an aspecific product with Budget (Verwijzer 02 with an AGB code) and one without."""
    return int_cases('Budget', 99999999) + [
        ('zorgverlenercode-7', I, set_text('ZorgverlenerCode', '0101234')),
        ('zorgverlenercode-9', I, set_text('ZorgverlenerCode', '010123456')),
        ('zorgverlenercode-letter', I, set_text('ZorgverlenerCode', '0101234A')),
        ('zorgverlenercode-empty', I, set_text('ZorgverlenerCode', '')),
        ('zorgverlenercode-space', I, set_text('ZorgverlenerCode', ' 01012345')),
        ('zorgverlenercode-removed', V, remove('ZorgverlenerCode')),
        ('verwijzer-code-then-naam', I, insert_after('ZorgverlenerCode', '<{p}Naam>Huisartsenpraktijk</{p}Naam>')),
        ('verwijzer-naam-then-code', V, insert_after('Type', '<{p}Naam>Huisartsenpraktijk</{p}Naam>')),
        ('dup-Budget', I, duplicate('Budget')),
        ('reorder-einddatum-budget', I, swap('ToewijzingEinddatum', 'Budget')),
        ('budget-after-verwijzer', I, chain(remove('Budget'), insert_after('Verwijzer', '<{p}Budget>1000</{p}Budget>'))),
        ('budget-empty', I, set_text('Budget', '')),
        ('second-categorie-19', I, set_text('Categorie', '19', 1)),
        ('second-verwijzer-type-03', V, set_text('Type', '03', 1)),
        ('second-referentie-equal', V, set_text('ReferentieAanbieder', 'VOT-2025-0042', 1)),
        ('second-raamcontract-2', V, set_text('Raamcontract', '2')),
        ('second-miss-verwijzer', I, remove('Verwijzer', 1)),
        ('second-miss-toewijzingingangsdatum', I, remove('ToewijzingIngangsdatum', 1)),
    ]


def cases_316():
    """A rejected 316: the 315 copied, RetourCodes in Client and every AangevraagdProduct."""
    return header_cases('445', 'Ontvanger', 'Afzender')[:20] + cases_retour_header()[:8] + \
        cases_retour_classes('AangevraagdProduct') + referentie_cases()[:4] + [
        ('gezagsdragerbekend-1', V, insert_after('Naam', '<{p}GezagsdragerBekend>1</{p}GezagsdragerBekend>')),
        ('gezagsdragerbekend-2', V, insert_after('Naam', '<{p}GezagsdragerBekend>2</{p}GezagsdragerBekend>')),
        ('gezagsdragerbekend-3', I, insert_after('Naam', '<{p}GezagsdragerBekend>3</{p}GezagsdragerBekend>')),
        ('gezagsdragerbekend-before-commentaar', V, chain(
            insert_after('Naam', '<{p}Commentaar>c</{p}Commentaar>'),
            insert_after('Naam', '<{p}GezagsdragerBekend>1</{p}GezagsdragerBekend>'))),
        ('gezagsdragerbekend-after-commentaar', I, chain(
            insert_after('Naam', '<{p}Commentaar>c</{p}Commentaar>'),
            insert_after('Commentaar', '<{p}GezagsdragerBekend>1</{p}GezagsdragerBekend>'))),
        ('miss-AangevraagdeProducten', I, remove('AangevraagdeProducten')),
        ('empty-AangevraagdeProducten', I, empty_container('AangevraagdeProducten')),
        ('miss-Verwijzer', I, remove('Verwijzer')),
        ('verwijzer-type-07', I, set_text('Type', '07')),
        ('raamcontract-3', I, insert_after('Verwijzer', '<{p}Raamcontract>3</{p}Raamcontract>')),
        ('raamcontract-1', V, insert_after('Verwijzer', '<{p}Raamcontract>1</{p}Raamcontract>')),
        ('product-retourcodes-before-commentaar', I, swap_in('AangevraagdProduct', 'Commentaar', 'RetourCodes', 1)),
        ('product-retourcode-9374', V, lambda t: _set_rc_in(t, 'AangevraagdProduct', '9374')),
        ('product-retourcodes-two', V, lambda t: _set_rc_in(t, 'AangevraagdProduct', '9347</RetourCode><RetourCode>9374')),
        ('bsn-letter', I, set_text('Bsn', '99990000X')),
        ('miss-Geboortedatum', I, remove('Geboortedatum')),
    ]


def cases_317():
    """A 317 with an OngewijzigdProduct and a TeWijzigenProduct (Omvang)."""
    return header_cases('480', 'Ontvanger', 'Afzender') + referentie_cases() + \
        int_cases('ToewijzingNummer', 999999999) + date_cases('GewensteIngangsdatum') + \
        date_cases('Einddatum')[:4] + int_cases('Volume', 99999999)[9:11] + [
        ('bsn-8-digits', I, set_text('Bsn', '99990000')),
        ('bsn-letter', I, set_text('Bsn', '99990000X')),
        ('bsn-not-11-proof', V, set_text('Bsn', '999900007')),
        ('miss-Bsn', I, remove('Bsn')),
        ('dup-Bsn', I, duplicate('Bsn')),
        ('client-extra-geboortedatum', I, insert_after('Bsn', '<{p}Geboortedatum><iwmo:Datum>1949-11-23</iwmo:Datum></{p}Geboortedatum>')),
        ('miss-Verzoek', I, remove('Verzoek')),
        ('dup-Verzoek', I, duplicate('Verzoek')),
        ('empty-Verzoek', I, empty_container('Verzoek')),
        ('miss-RedenVerzoek', I, remove('RedenVerzoek')),
        ('redenverzoek-2', V, set_text('RedenVerzoek', '2')),
        ('redenverzoek-3', I, set_text('RedenVerzoek', '3')),
        ('redenverzoek-0', I, set_text('RedenVerzoek', '0')),
        ('redenverzoek-01', I, set_text('RedenVerzoek', '01')),
        ('redenverzoek-space', I, set_text('RedenVerzoek', ' 1')),
        ('redenverzoek-empty', I, set_text('RedenVerzoek', '')),
        ('dup-RedenVerzoek', I, duplicate('RedenVerzoek')),
        ('reorder-referentie-reden', I, swap('ReferentieAanbieder', 'RedenVerzoek')),
        ('reorder-ongewijzigd-tewijzigen', I, swap('OngewijzigdeProducten', 'TeWijzigenProducten')),
        ('miss-OngewijzigdeProducten', V, remove('OngewijzigdeProducten')),
        ('miss-TeWijzigenProducten', V, remove('TeWijzigenProducten')),
        ('miss-all-products', V, chain(remove('OngewijzigdeProducten'), remove('TeWijzigenProducten'))),
        ('empty-OngewijzigdeProducten', I, empty_container('OngewijzigdeProducten')),
        ('empty-TeWijzigenProducten', I, empty_container('TeWijzigenProducten')),
        ('dup-OngewijzigdeProducten', I, duplicate('OngewijzigdeProducten')),
        ('dup-OngewijzigdProduct', V, duplicate('OngewijzigdProduct')),
        ('dup-TeWijzigenProduct', V, duplicate('TeWijzigenProduct')),
        ('ongewijzigd-empty', I, empty_container('OngewijzigdProduct')),
        ('ongewijzigd-nummer-twice', I, duplicate('ToewijzingNummer')),
        ('ongewijzigd-extra-datum', I, insert_after('ToewijzingNummer', '<{p}GewensteIngangsdatum>2025-07-01</{p}GewensteIngangsdatum>')),
        ('tewijzigen-miss-nummer', I, remove('ToewijzingNummer', 1)),
        ('miss-GewensteIngangsdatum', I, remove('GewensteIngangsdatum')),
        ('miss-Einddatum', V, remove('Einddatum')),
        ('miss-Omvang', V, remove('Omvang')),
        ('dup-GewensteIngangsdatum', I, duplicate('GewensteIngangsdatum')),
        ('dup-Einddatum', I, duplicate('Einddatum')),
        ('reorder-gewenste-einddatum', I, swap('GewensteIngangsdatum', 'Einddatum')),
        ('reorder-nummer-gewenste', I, swap_in('TeWijzigenProduct', 'ToewijzingNummer', 'GewensteIngangsdatum')),
        ('reorder-einddatum-omvang', I, swap('Einddatum', 'Omvang')),
        ('tewijzigen-budget', V, insert_after('Omvang', '<{p}Budget>50000</{p}Budget>')),
        ('tewijzigen-budget-before-omvang', I, replace_once('<Omvang>', '<Budget>50000</Budget><Omvang>')),
        ('tewijzigen-product', I, insert_after('ToewijzingNummer', '<{p}Product><iwmo:Categorie>01</iwmo:Categorie></{p}Product>', 1)),
        ('tewijzigen-retourcodes', I, replace_once('</TeWijzigenProduct>', '<RetourCodes><RetourCode>0200</RetourCode></RetourCodes></TeWijzigenProduct>')),
        ('nieuweproducten-empty', I, insert_after('TeWijzigenProducten', '<{p}NieuweProducten></{p}NieuweProducten>')),
        ('nieuw-minimal', V, insert_after('TeWijzigenProducten', '<{p}NieuweProducten><{p}NieuwProduct><{p}GewensteIngangsdatum>'
                                          '2025-08-01</{p}GewensteIngangsdatum></{p}NieuwProduct></{p}NieuweProducten>')),
        ('nieuw-without-gewenste', I, insert_after('TeWijzigenProducten', '<{p}NieuweProducten><{p}NieuwProduct><{p}Einddatum>'
                                                   '2025-12-31</{p}Einddatum></{p}NieuwProduct></{p}NieuweProducten>')),
        ('nieuw-before-tewijzigen', I, replace_once('<TeWijzigenProducten>', '<NieuweProducten><NieuwProduct><GewensteIngangsdatum>'
                                                    '2025-08-01</GewensteIngangsdatum></NieuwProduct></NieuweProducten><TeWijzigenProducten>')),
        ('eenheid-99', I, set_text('Eenheid', '99')),
        ('eenheid-14', V, set_text('Eenheid', '14')),
        ('frequentie-3', I, set_text('Frequentie', '3')),
        ('volume-message-ns', I, replace_once('<iwmo:Volume>5</iwmo:Volume>', '<Volume>5</Volume>')),
        ('dup-Client', I, duplicate('Client')),
    ]


def cases_317_new():
    """A 317 with OngewijzigdProducten and a NieuwProduct (specific, Omvang)."""
    return product_cases() + date_cases('GewensteIngangsdatum')[:3] + [
        ('nieuw-miss-product', V, remove('Product')),
        ('nieuw-product-categorie-only', V, remove('Code')),
        ('nieuw-product-empty', I, empty_container('Product')),
        ('reorder-categorie-code', I, swap('Categorie', 'Code')),
        ('reorder-product-gewenste', I, swap('Product', 'GewensteIngangsdatum')),
        ('nieuw-budget', V, insert_after('Omvang', '<{p}Budget>1</{p}Budget>')),
        ('nieuw-budget-max-plus-1', I, insert_after('Omvang', '<{p}Budget>100000000</{p}Budget>')),
        ('nieuw-toewijzingnummer', I, replace_once('<Product>', '<ToewijzingNummer>1</ToewijzingNummer><Product>')),
        ('nieuw-miss-gewenste', I, remove('GewensteIngangsdatum')),
        ('nieuw-omvang-empty', I, empty_container('Omvang')),
        ('nieuw-omvang-miss-volume', I, remove('Volume')),
        ('dup-NieuwProduct', V, duplicate('NieuwProduct')),
        ('empty-NieuweProducten', I, empty_container('NieuweProducten')),
        ('miss-NieuweProducten', V, remove('NieuweProducten')),
        ('dup-NieuweProducten', I, duplicate('NieuweProducten')),
        ('reorder-ongewijzigd-nieuwe', I, swap('OngewijzigdeProducten', 'NieuweProducten')),
        ('third-nummer-max-plus-1', I, set_text('ToewijzingNummer', '1000000000', 2)),
        ('third-nummer-max', V, set_text('ToewijzingNummer', '999999999', 2)),
        ('redenverzoek-1', V, set_text('RedenVerzoek', '1')),
    ]


def cases_318():
    """A rejected 318: the 317 copied, RetourCodes in Client, Verzoek and every product."""
    return header_cases('481', 'Ontvanger', 'Afzender')[:20] + cases_retour_header()[:8] + \
        cases_retour_classes('OngewijzigdProduct') + referentie_cases()[:4] + [
        ('miss-verzoek-retourcodes', I, lambda t: _remove_rc_in(t, 'Verzoek')),
        ('miss-nieuw-retourcodes', I, lambda t: _remove_rc_in(t, 'NieuwProduct')),
        ('miss-ongewijzigd-retourcodes', I, lambda t: _remove_rc_in(t, 'OngewijzigdProduct')),
        ('verzoek-loose-retourcode', I, replace_once('</RedenVerzoek>', '</RedenVerzoek><RetourCode>9350</RetourCode>')),
        ('ongewijzigd-retourcode-9351', V, lambda t: _set_rc_in(t, 'OngewijzigdProduct', '9351')),
        ('verzoek-retourcode-9349', V, lambda t: _set_rc_in(t, 'Verzoek', '9349')),
        ('tewijzigen-added', V, insert_after('OngewijzigdeProducten', '<{p}TeWijzigenProducten><{p}TeWijzigenProduct>'
                                             '<{p}ToewijzingNummer>300301</{p}ToewijzingNummer><{p}GewensteIngangsdatum>2025-08-01'
                                             '</{p}GewensteIngangsdatum><{p}RetourCodes><{p}RetourCode>0200</{p}RetourCode>'
                                             '</{p}RetourCodes></{p}TeWijzigenProduct></{p}TeWijzigenProducten>')),
        ('tewijzigen-added-without-rc', I, insert_after('OngewijzigdeProducten', '<{p}TeWijzigenProducten><{p}TeWijzigenProduct>'
                                                        '<{p}ToewijzingNummer>300301</{p}ToewijzingNummer><{p}GewensteIngangsdatum>'
                                                        '2025-08-01</{p}GewensteIngangsdatum></{p}TeWijzigenProduct>'
                                                        '</{p}TeWijzigenProducten>')),
        ('redenverzoek-3', I, set_text('RedenVerzoek', '3')),
        ('miss-Verzoek', I, remove('Verzoek')),
        ('nieuw-retourcodes-before-omvang', I, swap_in('NieuwProduct', 'Omvang', 'RetourCodes')),
    ]


def cases_319():
    """A 319 rejecting a request (VerzoekAntwoord 1 with a reason)."""
    return header_cases('482', 'Afzender', 'Ontvanger') + referentie_cases() + [
        ('miss-Antwoord', I, remove('Antwoord')),
        ('dup-Antwoord', I, duplicate('Antwoord')),
        ('empty-Antwoord', I, empty_container('Antwoord')),
        ('miss-VerzoekAntwoord', I, remove('VerzoekAntwoord')),
        ('verzoekantwoord-2', V, set_text('VerzoekAntwoord', '2')),
        ('verzoekantwoord-3', I, set_text('VerzoekAntwoord', '3')),
        ('verzoekantwoord-0', I, set_text('VerzoekAntwoord', '0')),
        ('verzoekantwoord-01', I, set_text('VerzoekAntwoord', '01')),
        ('verzoekantwoord-space', I, set_text('VerzoekAntwoord', ' 1')),
        ('verzoekantwoord-empty', I, set_text('VerzoekAntwoord', '')),
        ('dup-VerzoekAntwoord', I, duplicate('VerzoekAntwoord')),
        ('miss-RedenAfwijzingVerzoek', V, remove('RedenAfwijzingVerzoek')),
        ('reden-1', V, set_text('RedenAfwijzingVerzoek', '1')),
        ('reden-9', V, set_text('RedenAfwijzingVerzoek', '9')),
        ('reden-0', I, set_text('RedenAfwijzingVerzoek', '0')),
        ('reden-10', I, set_text('RedenAfwijzingVerzoek', '10')),
        ('reden-01', I, set_text('RedenAfwijzingVerzoek', '01')),
        ('reden-space', I, set_text('RedenAfwijzingVerzoek', '4 ')),
        ('reden-letter', I, set_text('RedenAfwijzingVerzoek', 'A')),
        ('reden-empty', I, set_text('RedenAfwijzingVerzoek', '')),
        ('dup-RedenAfwijzingVerzoek', I, duplicate('RedenAfwijzingVerzoek')),
        ('reorder-referentie-antwoord', I, swap('ReferentieAanbieder', 'VerzoekAntwoord')),
        ('reorder-antwoord-reden', I, swap('VerzoekAntwoord', 'RedenAfwijzingVerzoek')),
        ('reden-basis-ns', I, replace_once('<RedenAfwijzingVerzoek>4</RedenAfwijzingVerzoek>',
                                           '<iwmo:RedenAfwijzingVerzoek>4</iwmo:RedenAfwijzingVerzoek>')),
        ('extra-woonplaatsbeginsel', I, insert_after('RedenAfwijzingVerzoek', '<{p}Woonplaatsbeginsel><{p}Gemeente>0599'
                                                     '</{p}Gemeente></{p}Woonplaatsbeginsel>')),
        ('extra-retourcodes', I, insert_after('RedenAfwijzingVerzoek', '<{p}RetourCodes><{p}RetourCode>0200</{p}RetourCode>'
                                              '</{p}RetourCodes>')),
        ('extra-client', I, replace_once('</Header>', '</Header><Client><Bsn>999900006</Bsn></Client>')),
        ('reorder-header-antwoord', I, swap('Header', 'Antwoord')),
    ]


def cases_320():
    """A rejected 320: the 319 copied, RetourCodes in the Antwoord."""
    wpb = '<{p}Woonplaatsbeginsel><{p}Gemeente>%s</{p}Gemeente>%s</{p}Woonplaatsbeginsel>'
    rc = '<{p}RetourCodes><{p}RetourCode>0200</{p}RetourCode></{p}RetourCodes>'
    return header_cases('483', 'Afzender', 'Ontvanger')[:20] + cases_retour_header()[:8] + \
        cases_retour_classes('Antwoord') + referentie_cases()[:4] + [
        ('miss-Antwoord', V, remove('Antwoord')),
        ('dup-Antwoord', I, duplicate('Antwoord')),
        ('miss-antwoord-retourcodes', I, lambda t: _remove_rc_in(t, 'Antwoord')),
        ('antwoord-retourcode-9365', V, lambda t: _set_rc_in(t, 'Antwoord', '9365')),
        ('reden-with-rc', V, insert_after('VerzoekAntwoord', '<{p}RedenAfwijzingVerzoek>5</{p}RedenAfwijzingVerzoek>')),
        ('reden-10', I, insert_after('VerzoekAntwoord', '<{p}RedenAfwijzingVerzoek>10</{p}RedenAfwijzingVerzoek>')),
        ('verzoekantwoord-3', I, set_text('VerzoekAntwoord', '3')),
        ('woonplaatsbeginsel-ok', V, insert_after('VerzoekAntwoord', wpb % ('0599', rc))),
        ('woonplaatsbeginsel-without-rc', I, insert_after('VerzoekAntwoord', wpb % ('0599', ''))),
        ('woonplaatsbeginsel-gemeente-3', I, insert_after('VerzoekAntwoord', wpb % ('599', rc))),
        ('woonplaatsbeginsel-after-rc', I, replace_once('</Antwoord>', wpb.format(p='') % ('0599', rc.format(p='')) + '</Antwoord>')),
        ('woonplaatsbeginsel-twice', I, insert_after('VerzoekAntwoord', (wpb % ('0599', rc)) * 2)),
        ('woonplaatsbeginsel-basis-gemeente', I, insert_after('VerzoekAntwoord', '<{p}Woonplaatsbeginsel><iwmo:Gemeente>0599'
                                                              '</iwmo:Gemeente>' + rc + '</{p}Woonplaatsbeginsel>')),
    ]


# ----------------------------------------------------------------------------- plan
# (message type, fixture file, case list). Cases whose target element is absent from a fixture
# are skipped (reported in the manifest count only).
def plan():
    rich301 = 'WMO301-relations-budget-aspecific.xml'
    return [
        ('WMO301', 'WMO301-specific-omvang.xml', cases_301()),
        ('WMO301', rich301, cases_301_rich() + name_cases()[:6]),
        ('WMO301', 'WMO301-generic-budget-deleted.xml', int_cases('Budget', 99999999)[:11] + [
            ('commentaar-ws-only', I, set_text('Commentaar', '   ')),
            ('commentaar-leading-ws', V, set_text('Commentaar', '   x')),
        ]),
        ('WMO302', 'WMO302-rejected-9332.xml', header_cases('415', 'Afzender', 'Ontvanger')[:20] +
         cases_retour_header()[:8] + cases_retour_classes('ToegewezenProduct') + product_cases()[:4]),
        ('WMO302', 'WMO302-accepted.xml', cases_retour_header()),
        ('WMO305', 'WMO305-start-single.xml', cases_startstop('305')),
        ('WMO305', 'WMO305-taakgericht-datumgebruik.xml', [
            ('datumgebruik-9', I, set_text('DatumGebruik', '9')),
            ('add-nummer', V, replace_once('<Product>', '<ToewijzingNummer>1</ToewijzingNummer>\n      <Product>')),
            ('add-nummer-after-product', I, replace_once('</Product>', '</Product>\n      <ToewijzingNummer>1</ToewijzingNummer>')),
        ]),
        ('WMO306', 'WMO306-rejected-9063.xml', cases_startstop('306')[:40] + cases_retour_classes('StartProduct')),
        ('WMO307', 'WMO307-pause-reden20.xml', cases_startstop('307')),
        ('WMO307', 'WMO307-correct-reden.xml', [
            ('second-reden-24', I, set_text('RedenBeeindiging', '24', 1)),
            ('second-status-2', V, set_text('StatusAanlevering', '2', 1)),
            ('dup-second-StopProduct', V, duplicate('StopProduct', 1)),
            ('second-miss-einddatum', I, remove('Einddatum', 1)),
        ]),
        ('WMO308', 'WMO308-rejected-9413.xml', cases_startstop('308')[:40] + cases_retour_classes('StopProduct')),
        ('WMO323', 'WMO323-debit-credit-lines.xml', cases_323()),
        ('WMO323', 'WMO323-credit-only.xml', [
            ('credit-total-zero', V, set_text('TotaalBedrag', '0')),
            ('vorig-21', I, set_text('VorigReferentieNummer', 'V' * 21)),
            ('miss-vorig', V, remove('VorigReferentieNummer')),
            ('dup-vorig', I, duplicate('VorigReferentieNummer')),
        ]),
        ('WMO325', 'WMO325-rejected-lines.xml', cases_325() + cases_325_lines()),
        ('WMO315', 'WMO315-specific-omvang.xml', cases_315()),
        ('WMO315', 'WMO315-huisarts-aspecific-budget.xml', cases_315_budget()),
        ('WMO316', 'WMO316-rejected-9347.xml', cases_316()),
        ('WMO316', 'WMO316-accepted.xml', cases_retour_header() + [
            ('add-empty-client', I, replace_once('</Header>', '</Header><Client></Client>')),
        ]),
        ('WMO317', 'WMO317-change-omvang.xml', cases_317()),
        ('WMO317', 'WMO317-new-product.xml', cases_317_new()),
        ('WMO318', 'WMO318-rejected-9350.xml', cases_318()),
        ('WMO319', 'WMO319-rejected-reden.xml', cases_319()),
        ('WMO319', 'WMO319-in-onderzoek.xml', [
            ('add-reden', V, insert_after('VerzoekAntwoord', '<{p}RedenAfwijzingVerzoek>8</{p}RedenAfwijzingVerzoek>')),
            ('add-reden-10', I, insert_after('VerzoekAntwoord', '<{p}RedenAfwijzingVerzoek>10</{p}RedenAfwijzingVerzoek>')),
            ('verzoekantwoord-1', V, set_text('VerzoekAntwoord', '1')),
            ('code-retour', I, set_text('BerichtCode', '483')),
        ]),
        ('WMO320', 'WMO320-rejected-9360.xml', cases_320()),
        ('WMO325', 'WMO325-level2-0001.xml', [
            ('add-antwoord-without-rc', I, replace_once('</Header>', '</Header>\n  <DeclaratieAntwoord><DeclaratieNummer>X</DeclaratieNummer></DeclaratieAntwoord>')),
            ('xsltversie-removed', V, remove('XsltVersie')),
        ]),
    ]


def slug(s):
    return re.sub(r'[^A-Za-z0-9.-]+', '-', s).strip('-')


def generate(fixtures_dir, out_dir, items=None):
    """Write the variants of items (default: plan()) to out_dir; returns (manifest, skipped)."""
    os.makedirs(out_dir, exist_ok=True)
    manifest = []
    skipped = []
    seen = set()
    for msg, fixture, cases in (plan() if items is None else items):
        path = os.path.join(fixtures_dir, fixture)
        with open(path, encoding='utf-8') as f:
            base = f.read()
        stem = fixture[:-4]
        for i, (name, expect, fn) in enumerate(cases):
            try:
                text = fn(base)
            except KeyError:
                skipped.append(f'{fixture}:{name}')
                continue
            if text == base:
                skipped.append(f'{fixture}:{name} (no change)')
                continue
            fname = f'{stem}--{i:03d}-{slug(name)}.xml'
            if fname in seen:
                raise SystemExit(f'duplicate variant name {fname}')
            seen.add(fname)
            with open(os.path.join(out_dir, fname), 'w', encoding='utf-8', newline='\n') as f:
                f.write(text)
            manifest.append({'file': fname, 'message': msg, 'fixture': fixture, 'case': name, 'expect': expect})
    with open(os.path.join(out_dir, 'manifest.json'), 'w', encoding='utf-8') as f:
        json.dump({'variants': manifest, 'skipped': skipped}, f, indent=1)
    return manifest, skipped


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[-2], file=sys.stderr)
        return 2
    manifest, skipped = generate(argv[1], argv[2])
    per = {}
    for v in manifest:
        per[v['message']] = per.get(v['message'], 0) + 1
    print(f'{len(manifest)} variants written to {argv[2]} ({len(skipped)} cases not applicable)')
    for k in sorted(per):
        print(f'  {k}: {per[k]}')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
