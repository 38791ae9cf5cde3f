#!/usr/bin/env python3
"""Generate XSD edge-case variants of the iJw 3.2 fixtures (fixtures/messages-ijw/) and of the official
iJw examples, for the differential test run_conformance_ijw.py.

The edits are those of gen_variants.py (imported, not copied), applied to iJw messages, plus the cases
where iJw differs from iWmo: the JZ020 product categories and JZ588 RedenBeeindiging (iJw-only codes
must be valid, iWmo-only codes invalid), the iJw BerichtCodes, the iJw basisschema namespace, and the
iJw-only elements Client/GezagsdragerBekend (315, 316) and Antwoord/Woonplaatsbeginsel (319, 320).

gen_variants.py writes literal `iwmo:` prefixes in some inserted snippets (basisschema elements). The
imported case lists are therefore run on the fixture with its `ijw` prefix renamed to `iwmo` (still
bound to the iJw basisschema namespace) and the result renamed back, so such a snippet lands in the
iJw basisschema namespace as intended.

`expect` is informative only, as in gen_variants.py.

Usage: gen_variants_ijw.py FIXTURES_DIR OUT_DIR   (writes OUT_DIR/*.xml and OUT_DIR/manifest.json)
Python 3 standard library only.
"""
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_variants as gv  # noqa: E402
from gen_variants import (V, I, set_text, remove, duplicate, swap, swap_in, insert_after, remove_last,  # noqa: E402
                          empty_container, add_attr, chain, replace_once)

# ----------------------------------------------------------------------------- codes
# iJw message -> (BerichtCode, code of its heen/retour partner, code of the iWmo counterpart,
#                 header field holding the gemeente, header field holding the AGB code)
CODES = {
    '301': ('436', '437', '414', 'Afzender', 'Ontvanger'), '302': ('437', '436', '415', 'Afzender', 'Ontvanger'),
    '305': ('438', '439', '418', 'Ontvanger', 'Afzender'), '306': ('439', '438', '419', 'Ontvanger', 'Afzender'),
    '307': ('440', '441', '420', 'Ontvanger', 'Afzender'), '308': ('441', '440', '421', 'Ontvanger', 'Afzender'),
    '315': ('446', '447', '444', 'Ontvanger', 'Afzender'), '316': ('447', '446', '445', 'Ontvanger', 'Afzender'),
    '317': ('486', '487', '480', 'Ontvanger', 'Afzender'), '318': ('487', '486', '481', 'Ontvanger', 'Afzender'),
    '319': ('488', '489', '482', 'Afzender', 'Ontvanger'), '320': ('489', '488', '483', 'Afzender', 'Ontvanger'),
    '323': ('490', '491', '484', 'Ontvanger', 'Afzender'), '325': ('491', '490', '485', 'Afzender', 'Ontvanger'),
}
IJW_BASIS = 'http://www.istandaarden.nl/ijw/3_2/basisschema/schema'
IWMO_BASIS = 'http://www.istandaarden.nl/iwmo/3_2/basisschema/schema'


# ----------------------------------------------------------------------------- adapting gen_variants cases
def _to_iwmo_prefix(t):
    return t.replace('xmlns:ijw=', 'xmlns:iwmo=').replace('<ijw:', '<iwmo:').replace('</ijw:', '</iwmo:')


def _to_ijw_prefix(t):
    return t.replace('xmlns:iwmo=', 'xmlns:ijw=').replace('<iwmo:', '<ijw:').replace('</iwmo:', '</ijw:')


def adapt(cases, drop=(), expect=None):
    """gen_variants cases for an iJw fixture: without the names starting with one of drop (cases whose
    meaning differs in iJw and that are replaced by iJw cases), with the expectations of expect
    (name -> V/I/U) overridden, each edit run under the iwmo prefix (see the module text)."""
    expect = expect or {}
    out = []
    for name, exp, fn in cases:
        if name.startswith(tuple(drop)):
            continue
        out.append((name, expect.get(name, exp), (lambda g: lambda t: _to_ijw_prefix(g(_to_iwmo_prefix(t))))(fn)))
    return out


# Case names of gen_variants whose target value is iWmo-specific: BerichtCodes, product categories,
# RedenBeeindiging; replaced by code_cases / categorie_cases / reden_cases below.
IWMO_SPECIFIC = ('code-', 'Categorie-', 'ProductCategorie-', 'reden-')


# ----------------------------------------------------------------------------- iJw cases
def code_cases(msg):
    """Wrong BerichtCodes in an iJw message: the partner's, the iWmo counterpart's, malformed ones."""
    code, partner, iwmo, gem, agb = CODES[msg]
    other = '491' if code != '491' else '436'
    return [c for c in gv.header_cases(code, gem, agb, wrong=partner) if c[0].startswith('code-')] + [
        ('code-iwmo-counterpart', I, set_text('BerichtCode', iwmo)),
        ('code-other-ijw-message', I, set_text('BerichtCode', other)),
        ('basisschema-ns-iwmo', I, replace_once(f'xmlns:ijw="{IJW_BASIS}"', f'xmlns:ijw="{IWMO_BASIS}"')),
        ('basisschema-ns-message', I, lambda t: _rename_ns_prefix(t)),
    ]


def _rename_ns_prefix(t):
    """Bind the basisschema prefix to the message namespace: every basisschema element in the wrong place."""
    m = re.search(r'xmlns(?::[\w.-]+)?="(http://www\.istandaarden\.nl/ijw/3_2/jw\d{3}/schema)"', t)
    if not m:
        raise KeyError('message namespace')
    return replace_once(f'xmlns:ijw="{IJW_BASIS}"', f'xmlns:ijw="{m.group(1)}"')(t)


def categorie_cases(cat='Categorie', n=0):
    """JZ020: 31..38 and 40..55 valid; 39, the Wmo categories 01..18 and malformed values invalid.
    The first six are valid, the next four iWmo-only or out of range."""
    c = cat if n == 0 else f'{cat}{n + 1}'
    return [(f'{c}-ijw-{v}', V, set_text(cat, v, n)) for v in ('31', '38', '40', '45', '54', '55')] + [
        (f'{c}-iwmo-01', I, set_text(cat, '01', n)),
        (f'{c}-iwmo-18', I, set_text(cat, '18', n)),
        (f'{c}-39-gap', I, set_text(cat, '39', n)),
        (f'{c}-iwmo-11', I, set_text(cat, '11', n)),
        (f'{c}-30', I, set_text(cat, '30', n)),
        (f'{c}-56', I, set_text(cat, '56', n)),
        (f'{c}-one-digit', I, set_text(cat, '5', n)),
        (f'{c}-three-digits', I, set_text(cat, '045', n)),
        (f'{c}-spaces', I, set_text(cat, ' 45 ', n)),
        (f'{c}-empty', I, set_text(cat, '', n)),
    ]


def reden_cases(n=0, prefix='reden'):
    """JZ588: 02, 20, 31..39 valid (32..35 iJw only); the Wmo-only 19, 21, 22, 23 and others invalid."""
    return [(f'{prefix}-ijw-{c}', V, set_text('RedenBeeindiging', c, n))
            for c in ('02', '20', '31', '32', '33', '34', '35', '36', '37', '38', '39')] + [
        (f'{prefix}-iwmo-{c}', I, set_text('RedenBeeindiging', c, n)) for c in ('19', '21', '22', '23')] + [
        (f'{prefix}-24', I, set_text('RedenBeeindiging', '24', n)),
        (f'{prefix}-30', I, set_text('RedenBeeindiging', '30', n)),
        (f'{prefix}-40', I, set_text('RedenBeeindiging', '40', n)),
        (f'{prefix}-01', I, set_text('RedenBeeindiging', '01', n)),
        (f'{prefix}-one-digit', I, set_text('RedenBeeindiging', '2', n)),
        (f'{prefix}-space', I, set_text('RedenBeeindiging', '34 ', n)),
        (f'{prefix}-empty', I, set_text('RedenBeeindiging', '', n)),
    ]


def to_basis_ns(name, n=0):
    """Put the n-th element `name` (start and end tag) into the iJw basisschema namespace."""
    def f(t):
        m = gv._find(t, name, n)
        body = re.sub(r'<(/?)' + re.escape(m.group('p')) + re.escape(name) + r'(?=[\s>])', r'<\1ijw:' + name,
                      m.group(0))
        return t[:m.start()] + body + t[m.end():]
    return f


def move_after(name, target):
    """Move the first `name` element to just after the first `target` element."""
    def f(t):
        m = gv._find(t, name)
        rest = t[:m.start()] + t[m.end():]
        x = gv._find(rest, target)
        return rest[:x.end()] + m.group(0) + rest[x.end():]
    return f


def move_to_end_of(name, container):
    """Move the first `name` element to the end of the first `container` (as its last child)."""
    def f(t):
        m = gv._find(t, name)
        rest = t[:m.start()] + t[m.end():]
        c = gv._find(rest, container)
        return rest[:c.end('body')] + m.group(0) + rest[c.end('body'):]
    return f


def gezag_cases(retour=False):
    """Client/GezagsdragerBekend (LDT_JaNee, 0..1, after Naam) on a 315/316 that carries it."""
    g = 'GezagsdragerBekend'
    cs = [
        ('gezag-absent', V, remove(g)),
        ('gezag-1', V, set_text(g, '1')),
        ('gezag-2', V, set_text(g, '2')),
        ('gezag-0', I, set_text(g, '0')),
        ('gezag-3', I, set_text(g, '3')),
        ('gezag-01', I, set_text(g, '01')),
        ('gezag-ja', I, set_text(g, 'J')),
        ('gezag-space', I, set_text(g, ' 1')),
        ('gezag-empty', I, set_text(g, '')),
        ('gezag-dup', I, duplicate(g)),
        ('gezag-before-naam', I, swap('Naam', g)),
        ('gezag-after-commentaar', I, chain(remove(g), insert_after('Commentaar', '<{p}GezagsdragerBekend>1</{p}GezagsdragerBekend>'))),
        ('gezag-after-producten', I, move_after(g, 'AangevraagdeProducten')),
        ('gezag-before-bsn', I, chain(remove(g), replace_once_re(r'(<(?:[\w.-]+:)?Client>)', r'\1<GezagsdragerBekend>1</GezagsdragerBekend>'))),
        ('gezag-in-product', I, insert_after('ToewijzingIngangsdatum', '<{p}GezagsdragerBekend>1</{p}GezagsdragerBekend>')),
        ('gezag-in-header', I, insert_after('BerichtSubversie', '<{p}GezagsdragerBekend>1</{p}GezagsdragerBekend>')),
        ('gezag-basis-ns', I, to_basis_ns(g)),
        ('gezag-attribute', I, add_attr(g, 'waarde="1"')),
        ('gezag-child', I, set_text(g, '<Waarde>1</Waarde>')),
    ]
    if retour:
        cs.append(('gezag-with-retourcodes', I, insert_after(g, '<{p}RetourCodes><{p}RetourCode>0200</{p}RetourCode></{p}RetourCodes>')))
    return cs


def gezag_insert_cases():
    """GezagsdragerBekend added to a 315/316 without it."""
    snippet = '<{p}GezagsdragerBekend>%s</{p}GezagsdragerBekend>'
    return [
        ('add-gezag-1', V, insert_after('Naam', snippet % '1')),
        ('add-gezag-2', V, insert_after('Naam', snippet % '2')),
        ('add-gezag-9', I, insert_after('Naam', snippet % '9')),
        ('add-gezag-after-geslacht', I, insert_after('Geslacht', snippet % '1')),
    ]


def replace_once_re(pattern, repl):
    def f(t):
        new, n = re.subn(pattern, repl, t, count=1)
        if not n:
            raise KeyError(pattern)
        return new
    return f


WPB = '<{p}Woonplaatsbeginsel><{p}Gemeente>%s</{p}Gemeente>%s</{p}Woonplaatsbeginsel>'
RC = '<{p}RetourCodes><{p}RetourCode>%s</{p}RetourCode></{p}RetourCodes>'


def wpb_cases():
    """Antwoord/Woonplaatsbeginsel (0..1, after RedenAfwijzingVerzoek, Gemeente 1..1 in the message
    namespace) on a 319 that carries it with reden 8. The pairing with reden 8 is level 2 (TR377,
    TR409): without the class, or with another reden, the message stays XSD-valid."""
    w = 'Woonplaatsbeginsel'
    return [
        ('wpb-absent', V, remove(w)),
        ('wpb-reden-5', V, set_text('RedenAfwijzingVerzoek', '5')),
        ('wpb-without-reden', V, remove('RedenAfwijzingVerzoek')),
        ('wpb-verzoekantwoord-2', V, set_text('VerzoekAntwoord', '2')),
        ('wpb-gemeente-1916', V, set_text('Gemeente', '1916')),
        ('wpb-gemeente-0000', V, set_text('Gemeente', '0000')),
        ('wpb-gemeente-3-digits', I, set_text('Gemeente', '599')),
        ('wpb-gemeente-5-digits', I, set_text('Gemeente', '05990')),
        ('wpb-gemeente-letter', I, set_text('Gemeente', '05a9')),
        ('wpb-gemeente-space', I, set_text('Gemeente', ' 0599')),
        ('wpb-gemeente-empty', I, set_text('Gemeente', '')),
        ('wpb-empty', I, empty_container(w)),
        ('wpb-dup', I, duplicate(w)),
        ('wpb-two-gemeenten', I, duplicate('Gemeente')),
        ('wpb-before-reden', I, swap('RedenAfwijzingVerzoek', w)),
        ('wpb-before-verzoekantwoord', I, move_after(w, 'ReferentieAanbieder')),
        ('wpb-after-antwoord', I, move_after(w, 'Antwoord')),
        ('wpb-in-header', I, move_after(w, 'XsdVersie')),
        ('wpb-gemeente-basis-ns', I, to_basis_ns('Gemeente')),
        ('wpb-basis-ns', I, to_basis_ns(w)),
        ('wpb-with-retourcodes', I, insert_after('Gemeente', RC % '0200')),
        ('wpb-extra-child', I, insert_after('Gemeente', '<{p}Plaatsnaam>Rotterdam</{p}Plaatsnaam>')),
        ('wpb-attribute', I, add_attr(w, 'gemeente="0599"')),
        ('wpb-text-only', I, set_text(w, '0599')),
        ('reden-8', V, set_text('RedenAfwijzingVerzoek', '8')),
        ('reden-10', I, set_text('RedenAfwijzingVerzoek', '10')),
        ('reden-08', I, set_text('RedenAfwijzingVerzoek', '08')),
    ]


def wpb_insert_cases(after):
    """Woonplaatsbeginsel added to a 319 without it (after `after`)."""
    return [
        ('add-wpb', V, insert_after(after, WPB % ('0599', ''))),
        ('add-reden-8-and-wpb', V, insert_after(after, '<{p}RedenAfwijzingVerzoek>8</{p}RedenAfwijzingVerzoek>' + WPB % ('0599', ''))
         if after == 'VerzoekAntwoord' else chain(set_text('RedenAfwijzingVerzoek', '8'), insert_after(after, WPB % ('0599', '')))),
        ('add-wpb-before-verzoekantwoord', I, insert_after('ReferentieAanbieder', WPB % ('0599', ''))),
        ('add-wpb-without-gemeente', I, insert_after(after, '<{p}Woonplaatsbeginsel></{p}Woonplaatsbeginsel>')),
        ('add-wpb-with-retourcodes', I, insert_after(after, WPB % ('0599', RC % '0200'))),
    ]


def wpb_retour_cases():
    """Woonplaatsbeginsel in a 320 (with its own RetourCodes 1..1, last child)."""
    w = 'Woonplaatsbeginsel'
    return [
        ('wpb-absent', V, remove(w)),
        ('wpb-miss-retourcodes', I, lambda t: gv._remove_rc_in(t, w)),
        ('wpb-retourcodes-empty', I, lambda t: _empty_rc_in(t, w)),
        ('wpb-retourcode-0233', V, lambda t: gv._set_rc_in(t, w, '0233')),
        ('wpb-retourcode-9999', I, lambda t: gv._set_rc_in(t, w, '9999')),
        ('wpb-retourcodes-two', V, lambda t: gv._set_rc_in(t, w, '0200</RetourCode><RetourCode>9355')),
        ('wpb-retourcodes-before-gemeente', I, swap_in(w, 'Gemeente', 'RetourCodes')),
        ('wpb-without-gemeente', I, remove('Gemeente')),
        ('wpb-gemeente-5-digits', I, set_text('Gemeente', '05990')),
        ('wpb-gemeente-basis-ns', I, to_basis_ns('Gemeente')),
        ('wpb-dup', I, duplicate(w)),
        ('wpb-after-antwoord-retourcodes', I, move_to_end_of(w, 'Antwoord')),
        ('wpb-before-reden', I, swap('RedenAfwijzingVerzoek', w)),
        ('wpb-without-reden', V, remove('RedenAfwijzingVerzoek')),
        ('antwoord-miss-retourcodes', I, remove_last('RetourCodes')),
    ]


def _empty_rc_in(t, cls):
    a, b = gv._within(t, cls)
    body = t[a:b]
    m = list(gv._elem_re('RetourCodes').finditer(body))[-1]
    return t[:a] + body[:m.start('body')] + body[m.end('body'):] + t[b:]


def gi_cases():
    """Verwijzer of a gecertificeerde instelling (type 04, a name, no AGB code)."""
    return [
        ('verwijzer-type-04-with-code', V, insert_after('Naam', '<{p}ZorgverlenerCode>01012345</{p}ZorgverlenerCode>', 1)),
        ('verwijzer-type-08', V, set_text('Type', '08')),
        ('verwijzer-type-07', I, set_text('Type', '07')),
        ('verwijzer-naam-64', V, set_text('Naam', 'n' * 64, 1)),
        ('verwijzer-naam-65', I, set_text('Naam', 'n' * 65, 1)),
        ('budget-and-omvang', V, insert_after('ToewijzingEinddatum', '<{p}Omvang><ijw:Volume>1</ijw:Volume><ijw:Eenheid>14</ijw:Eenheid>'
                                              '<ijw:Frequentie>6</ijw:Frequentie></{p}Omvang>')),
        ('beschikkingnummer-max-plus-1', I, set_text('BeschikkingNummer', '1000000000')),
    ]


def stop_second_cases():
    """A 307 with a deleted stop (status 3, reden 31) and its replacement (status 1, reden 35)."""
    return reden_cases(1, 'second-reden') + [
        ('first-reden-iwmo-19', I, set_text('RedenBeeindiging', '19', 0)),
        ('first-reden-ijw-32', V, set_text('RedenBeeindiging', '32', 0)),
        ('same-reden-twice', V, set_text('RedenBeeindiging', '31', 1)),
        ('second-status-2', V, set_text('StatusAanlevering', '2', 1)),
        ('second-status-4', I, set_text('StatusAanlevering', '4', 1)),
        ('second-miss-reden', I, remove('RedenBeeindiging', 1)),
        ('dup-second-StopProduct', V, duplicate('StopProduct', 1)),
    ]


def antwoord_319_cases():
    """The 319 cases of gen_variants on a rejecting 319 without Woonplaatsbeginsel (reden 4). In iJw
    the extra Woonplaatsbeginsel is valid (level 2 TR409 catches the reden mismatch)."""
    return adapt(gv.cases_319(), drop=('code-',), expect={'extra-woonplaatsbeginsel': V}) + code_cases('319') + \
        wpb_insert_cases('RedenAfwijzingVerzoek')


# ----------------------------------------------------------------------------- plan
def plan():
    """(message type, fixture file in fixtures/messages-ijw, case list)."""
    return [
        # the first Soort of this 301 is the Relatie's (SoortRelatie, where 05 exists)
        ('JW301', 'JW301-ggz-54-voogd-organisatie.xml',
         adapt(gv.cases_301(), drop=IWMO_SPECIFIC, expect={'contactsoort-05': V}) + code_cases('301') + categorie_cases() +
         categorie_cases('Categorie', 2)[:8] + adapt(gv.cases_301_rich()) + [
             ('relatie-naamgebruik-1', V, set_text('NaamGebruik', '1', 1)),
             ('relatie-naamgebruik-7', I, set_text('NaamGebruik', '7', 1)),
             ('relatie-soort-10', V, set_text('Soort', '10', 0)),
             ('budget-with-categorie-55', V, set_text('Categorie', '55', 2)),
         ]),
        ('JW301', 'JW301-ambulant-45-vot.xml', adapt(gv.referentie_cases()[2:]) + categorie_cases()[:8] + [
            ('miss-ReferentieAanbieder', V, remove('ReferentieAanbieder')),
            ('add-relaties-gezagsdrager', V, insert_after('Commentaar', '<{p}Relaties><{p}Relatie><{p}Nummer>1</{p}Nummer><{p}Soort>10</{p}Soort>'
                                                          '<{p}Naam><ijw:Geslachtsnaam><ijw:Achternaam>Amrani</ijw:Achternaam></ijw:Geslachtsnaam>'
                                                          '<ijw:NaamGebruik>1</ijw:NaamGebruik></{p}Naam><{p}Contact><{p}Soort>01</{p}Soort>'
                                                          '</{p}Contact></{p}Relatie></{p}Relaties>')),
            ('gezagsdragerbekend-in-301', I, insert_after('Naam', '<{p}GezagsdragerBekend>1</{p}GezagsdragerBekend>')),
        ]),
        ('JW302', 'JW302-rejected-9332.xml',
         code_cases('302') + adapt(gv.header_cases('437', 'Afzender', 'Ontvanger', wrong='436')[:20], drop=('code-',)) +
         adapt(gv.cases_retour_header()[:8] + gv.cases_retour_classes('ToegewezenProduct')) + categorie_cases()[:10]),
        ('JW302', 'JW302-accepted.xml', adapt(gv.cases_retour_header()) + code_cases('302')[:3]),
        ('JW305', 'JW305-start-45-54.xml', adapt(gv.cases_startstop('305'), drop=IWMO_SPECIFIC) + code_cases('305') +
         categorie_cases() + categorie_cases('Categorie', 1)[6:9]),
        ('JW306', 'JW306-rejected-9019.xml', adapt(gv.cases_startstop('306')[:40] + gv.cases_retour_classes('StartProduct'),
                                                   drop=IWMO_SPECIFIC) + code_cases('306') + categorie_cases()[6:10]),
        ('JW307', 'JW307-stop-reden-34.xml', adapt(gv.cases_startstop('307'), drop=IWMO_SPECIFIC) + code_cases('307') +
         categorie_cases() + reden_cases()),
        ('JW307', 'JW307-correct-reden-31-to-35.xml', stop_second_cases()),
        ('JW308', 'JW308-rejected-9413.xml', adapt(gv.cases_startstop('308')[:40] + gv.cases_retour_classes('StopProduct'),
                                                   drop=IWMO_SPECIFIC) + code_cases('308') + reden_cases()),
        ('JW315', 'JW315-huisarts-45-gezagsdrager.xml', adapt(gv.cases_315(), drop=IWMO_SPECIFIC) + code_cases('315') +
         categorie_cases() + gezag_cases() + adapt(gv.cases_315_budget())),
        ('JW315', 'JW315-gi-verwijzer-budget.xml', adapt(gv.cases_315(), drop=IWMO_SPECIFIC) +
         adapt(gv.cases_315_budget(), expect={'verwijzer-naam-then-code': I}) +
         categorie_cases() + gezag_cases() + gi_cases()),
        ('JW316', 'JW316-rejected-9374.xml', adapt(gv.cases_316(), drop=('code-', 'gezagsdragerbekend-')) + code_cases('316') +
         gezag_cases(retour=True) + categorie_cases()[6:10]),
        ('JW316', 'JW316-accepted.xml', adapt(gv.cases_retour_header()) + [
            ('add-empty-client', I, replace_once('</Header>', '</Header><Client></Client>')),
        ]),
        # this 317 already has TeWijzigenProducten and NieuweProducten: adding one more is invalid
        ('JW317', 'JW317-wijziging-omvang-nieuw.xml',
         adapt(gv.cases_317(), drop=IWMO_SPECIFIC, expect={'nieuw-minimal': I}) + code_cases('317') +
         adapt(gv.cases_317_new(), drop=IWMO_SPECIFIC) + categorie_cases()),
        ('JW318', 'JW318-rejected-9351.xml',
         adapt(gv.cases_318(), drop=IWMO_SPECIFIC, expect={'tewijzigen-added': I}) + code_cases('318') +
         categorie_cases()[6:10]),
        ('JW319', 'JW319-afgewezen-woonplaatsbeginsel.xml', wpb_cases() + code_cases('319') +
         adapt(gv.referentie_cases())),
        ('JW319', 'JW319-afgewezen-buiten-contract.xml', antwoord_319_cases()),
        ('JW319', 'JW319-in-onderzoek.xml', wpb_insert_cases('VerzoekAntwoord') + [
            ('add-reden-9', V, insert_after('VerzoekAntwoord', '<{p}RedenAfwijzingVerzoek>9</{p}RedenAfwijzingVerzoek>')),
            ('verzoekantwoord-3', I, set_text('VerzoekAntwoord', '3')),
        ]),
        ('JW320', 'JW320-rejected-9355-woonplaatsbeginsel.xml', wpb_retour_cases() + code_cases('320') +
         adapt(gv.cases_retour_header()[:8])),
        ('JW320', 'JW320-rejected-9360.xml', adapt(gv.cases_320(), drop=('code-',)) + code_cases('320')),
        ('JW320', 'JW320-accepted.xml', adapt(gv.cases_retour_header()[:5]) + [
            ('add-antwoord-with-wpb', V, replace_once('</Header>', '</Header><Antwoord><ReferentieAanbieder>VOT-J-2025-0015'
                                                      '</ReferentieAanbieder><VerzoekAntwoord>1</VerzoekAntwoord><RedenAfwijzingVerzoek>8'
                                                      '</RedenAfwijzingVerzoek><Woonplaatsbeginsel><Gemeente>0599</Gemeente><RetourCodes>'
                                                      '<RetourCode>0200</RetourCode></RetourCodes></Woonplaatsbeginsel><RetourCodes>'
                                                      '<RetourCode>0200</RetourCode></RetourCodes></Antwoord>')),
        ]),
        ('JW323', 'JW323-declaratie-mei-2025.xml', adapt(gv.cases_323(), drop=IWMO_SPECIFIC) + code_cases('323') +
         categorie_cases('ProductCategorie') + categorie_cases('ProductCategorie', 2)[6:9]),
        ('JW325', 'JW325-pair-line-9321.xml', adapt(gv.cases_325() + gv.cases_325_lines(), drop=IWMO_SPECIFIC) +
         code_cases('325') + categorie_cases('ProductCategorie')),
        ('JW325', 'JW325-level2-0001.xml', code_cases('325')[:4] + adapt([
            ('add-antwoord-without-rc', I, replace_once('</Header>', '</Header>\n  <DeclaratieAntwoord><DeclaratieNummer>X'
                                                        '</DeclaratieNummer></DeclaratieAntwoord>')),
            ('xsltversie-removed', V, remove('XsltVersie')),
            ('header-retourcodes-removed', I, remove('RetourCodes')),
        ])),
    ]


def plan_examples():
    """Cases for the official iJw examples (message elements under a prefix). JW315.repaired.xml is the
    published JW315.invalid-date.xml with its one defect repaired (written by the test runner)."""
    return [
        ('JW301', 'JW301.xml', categorie_cases() + code_cases('301')[3:] + [
            ('relatie-naamgebruik-6', V, set_text('NaamGebruik', '6', 2)),
        ]),
        ('JW305', 'JW305.xml', categorie_cases()[6:12]),
        ('JW307', 'JW307.xml', reden_cases() + reden_cases(1, 'second-reden')[11:15]),
        ('JW315', 'JW315.repaired.xml', gezag_cases() + categorie_cases()[6:10]),
        ('JW316', 'JW316.xml', gezag_cases(retour=True)[:12]),
        ('JW319', 'JW319.xml', wpb_cases()),
        ('JW320', 'JW320.xml', [
            ('add-wpb-with-rc', V, insert_after('VerzoekAntwoord', WPB % ('1916', RC % '0200'))),
            ('add-wpb-without-rc', I, insert_after('VerzoekAntwoord', WPB % ('1916', ''))),
            ('add-wpb-after-rc', I, insert_after('RetourCodes', WPB % ('1916', RC % '0200'), 1)),
        ]),
        ('JW323', 'JW323.xml', categorie_cases('ProductCategorie')[6:12]),
        ('JW325', 'JW325.xml', categorie_cases('ProductCategorie')[6:12]),
    ]


def generate(fixtures_dir, out_dir, items=None):
    return gv.generate(fixtures_dir, out_dir, plan() if items is None else items)


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
