#!/usr/bin/env python3
"""Write hostile and malformed inputs for the validator's robustness test.

Usage: make_hostile.py OUT_DIR   (prints the files written)

Every file is built here from a small valid WMO305 (or WMO319); nothing is fetched and no network access is
ever needed. huge-text.xml (~150 MB) is written in chunks, never held in memory.
Python 3 standard library only.
"""
import os
import sys

NS305 = 'http://www.istandaarden.nl/iwmo/3_2/wmo305/schema'
BASIS = 'http://www.istandaarden.nl/iwmo/3_2/basisschema/schema'
HUGE_BYTES = 150 * 1024 * 1024
DEEP = 100_000


def header(code, afzender, ontvanger, identificatie):
    """A message header of Dagtekening 2025-04-04."""
    return f'''  <Header>
    <BerichtCode>{code}</BerichtCode>
    <BerichtVersie>3</BerichtVersie>
    <BerichtSubversie>2</BerichtSubversie>
    <Afzender>{afzender}</Afzender>
    <Ontvanger>{ontvanger}</Ontvanger>
    <BerichtIdentificatie>
      <iwmo:Identificatie>{identificatie}</iwmo:Identificatie>
      <iwmo:Dagtekening>2025-04-04</iwmo:Dagtekening>
    </BerichtIdentificatie>
    <XsdVersie>
      <iwmo:BasisschemaXsdVersie>1.0.0</iwmo:BasisschemaXsdVersie>
      <iwmo:BerichtXsdVersie>1.0.0</iwmo:BerichtXsdVersie>
    </XsdVersie>
  </Header>
'''


def msg319(antwoord='2', reden='', ns='http://www.istandaarden.nl/iwmo/3_2/wmo319/schema'):
    """A WMO319 (one Antwoord, no client) that is XSD-valid and passes the level-2 rules."""
    r = f'\n    <RedenAfwijzingVerzoek>{reden}</RedenAfwijzingVerzoek>' if reden else ''
    return f'''<?xml version="1.0" encoding="UTF-8"?>
<Bericht xmlns="{ns}" xmlns:iwmo="{BASIS}">
{header('482', '0363', '65656055', 'H2025-0319')}  <Antwoord>
    <ReferentieAanbieder>VOT-2025-0001</ReferentieAanbieder>
    <VerzoekAntwoord>{antwoord}</VerzoekAntwoord>{r}
  </Antwoord>
</Bericht>
'''


def msg305(ns=NS305, basis=BASIS, code='418', achternaam='Vries', root='Bericht', root_attrs='',
           categorie='01', product='01A11'):
    """A WMO305 that is XSD-valid and passes the level-2 rules (with the defaults)."""
    return f'''<?xml version="1.0" encoding="UTF-8"?>
<{root} xmlns="{ns}" xmlns:iwmo="{basis}"{root_attrs}>
{header(code, '65656055', '0363', 'H2025-0001')}  <Client>
    <Bsn>999900006</Bsn>
    <Geboortedatum>
      <iwmo:Datum>1949-11-23</iwmo:Datum>
    </Geboortedatum>
    <Geslacht>2</Geslacht>
    <Naam>
      <iwmo:Geslachtsnaam>
        <iwmo:Achternaam>{achternaam}</iwmo:Achternaam>
        <iwmo:Voorvoegsel>de</iwmo:Voorvoegsel>
      </iwmo:Geslachtsnaam>
      <iwmo:Voorletters>MJ</iwmo:Voorletters>
    </Naam>
    <StartProducten>
      <StartProduct>
        <ToewijzingNummer>300201</ToewijzingNummer>
        <Product>
          <iwmo:Categorie>{categorie}</iwmo:Categorie>
          <iwmo:Code>{product}</iwmo:Code>
        </Product>
        <ToewijzingIngangsdatum>2025-04-01</ToewijzingIngangsdatum>
        <Begindatum>2025-04-03</Begindatum>
        <StatusAanlevering>1</StatusAanlevering>
      </StartProduct>
    </StartProducten>
  </Client>
</{root}>
'''


def with_doctype(text, doctype):
    head, rest = text.split('\n', 1)
    return head + '\n' + doctype + '\n' + rest


def write_huge(path):
    marker = '@@TEXT@@'
    before, after = msg305(achternaam=marker).split(marker)
    chunk = b'a' * (1024 * 1024)
    with open(path, 'wb') as f:
        f.write(before.encode('utf-8'))
        for _ in range(HUGE_BYTES // len(chunk)):
            f.write(chunk)
        f.write(after.encode('utf-8'))


def write_deep(path):
    open_tags = '<x>' * DEEP
    close_tags = '</x>' * DEEP
    with open(path, 'w', encoding='utf-8', newline='\n') as f:
        f.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<Bericht xmlns="{NS305}">')
        f.write(open_tags)
        f.write(close_tags)
        f.write('</Bericht>\n')


def main(argv):
    if len(argv) != 2:
        print('usage: make_hostile.py OUT_DIR', file=sys.stderr)
        return 2
    out = argv[1]
    os.makedirs(out, exist_ok=True)
    valid = msg305()
    files = {}

    files['not-xml.xml'] = b'This is not XML at all.\nJust a line of plain text, no markup.\n'
    files['empty.xml'] = b''
    files['truncated.xml'] = valid.encode('utf-8')[:len(valid) // 2]
    files['doctype.xml'] = with_doctype(valid, '<!DOCTYPE Bericht [\n  <!ELEMENT Bericht ANY>\n]>').encode('utf-8')
    files['xxe.xml'] = with_doctype(
        msg305(achternaam='&xxe;'),
        '<!DOCTYPE Bericht [\n  <!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>').encode('utf-8')
    lol = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "' + f'&lol{i - 1};' * 10 + '">' for i in range(1, 10)]
    files['billion-laughs.xml'] = with_doctype(
        msg305(achternaam='&lol9;'),
        '<!DOCTYPE Bericht [\n  ' + '\n  '.join(lol) + '\n]>').encode('utf-8')
    files['utf16.xml'] = b'\xff\xfe' + valid.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode('utf-16-le')
    files['bom.xml'] = b'\xef\xbb\xbf' + valid.encode('utf-8')
    files['latin1.xml'] = msg305(achternaam='Vri\u00ebs').replace(
        'encoding="UTF-8"', 'encoding="ISO-8859-1"').encode('latin-1')
    files['unknown-namespace.xml'] = msg305(ns='http://example.org/other').encode('utf-8')
    files['ijw305.xml'] = msg305(ns='http://www.istandaarden.nl/ijw/3_2/jw305/schema',
                                 basis='http://www.istandaarden.nl/ijw/3_2/basisschema/schema',
                                 code='438').encode('utf-8')
    # iJw: a valid JW305, one whose basisschema elements are in the iWmo basisschema namespace,
    # and the hostile ones in the iJw namespaces.
    NSJW305 = 'http://www.istandaarden.nl/ijw/3_2/jw305/schema'
    BASISJW = 'http://www.istandaarden.nl/ijw/3_2/basisschema/schema'
    files['jw305-valid.xml'] = msg305(ns=NSJW305, basis=BASISJW, code='438', categorie='45',
                                      product='45A03').encode('utf-8')
    files['jw305-iwmo-basisschema.xml'] = msg305(ns=NSJW305, code='438', categorie='45',
                                                 product='45A03').encode('utf-8')
    files['jw305-doctype.xml'] = with_doctype(
        msg305(ns=NSJW305, basis=BASISJW, code='438', categorie='45', product='45A03'),
        '<!DOCTYPE Bericht [\n  <!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>').encode('utf-8')
    jw305 = msg305(ns=NSJW305, basis=BASISJW, code='438', categorie='45', product='45A03')
    files['jw305-truncated.xml'] = jw305.encode('utf-8')[:len(jw305) // 2]
    files['jw305-ijw33.xml'] = msg305(ns='http://www.istandaarden.nl/ijw/3_3/jw305/schema',
                                      basis=BASISJW, code='438').encode('utf-8')
    files['wmo315.xml'] = msg305(ns='http://www.istandaarden.nl/iwmo/3_2/wmo315/schema', code='444').encode('utf-8')
    files['wrong-root.xml'] = msg305(root='Foo').encode('utf-8')
    # The request/answer types: the same hostility, and a 319 of another release.
    v319 = msg319()
    files['wmo319-valid.xml'] = v319.encode('utf-8')
    files['wmo319-truncated.xml'] = v319.encode('utf-8')[:len(v319) * 2 // 3]
    files['wmo319-doctype.xml'] = with_doctype(
        v319, '<!DOCTYPE Bericht [\n  <!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>').encode('utf-8')
    files['wmo319-iwmo31.xml'] = msg319(
        ns='http://www.istandaarden.nl/iwmo/3_1/wmo319/schema').encode('utf-8')
    files['wmo319-cd085.xml'] = msg319(antwoord='1').encode('utf-8')  # refused without a reason
    files['invalid-utf8.xml'] = msg305(achternaam='Vri@@').encode('utf-8').replace(b'@@', b'\xc3\x28')
    files['schemalocation.xml'] = msg305(root_attrs=(
        '\n    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        f'\n    xsi:schemaLocation="{NS305} http://example.invalid/evil.xsd"')).encode('utf-8')

    written = []
    for name, data in files.items():
        with open(os.path.join(out, name), 'wb') as f:
            f.write(data)
        written.append(name)
    write_deep(os.path.join(out, 'deep-nesting.xml'))
    written.append('deep-nesting.xml')
    write_huge(os.path.join(out, 'huge-text.xml'))
    written.append('huge-text.xml')

    for name in sorted(written):
        print(os.path.join(out, name))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
