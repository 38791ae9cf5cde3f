#!/usr/bin/env python3
"""--engine: a schema bundle the compiled engine cannot check goes to Xerces' validator, said once.

A copy of the bundled schemas in which WMO305's Header declares an optional attribute (the
compiled engine handles no attribute declarations) is given with --schemas:
  * `istd validate` prints one note on standard error naming the iWmo schemas and why, once for
    the whole run, and exits 0 for valid messages;
  * a WMO305 whose Header carries the declared attribute is valid (Xerces checks it: the
    compiled engine would refuse any attribute), one carrying an undeclared one is not;
  * iJw messages, whose schemas are untouched, are checked by the compiled engine (no note for
    iJw);
  * with --engine xerces there is no note at all.
Usage: engine_fallback_test.py ISTD SOURCE_DIR
"""
import os
import shutil
import subprocess
import sys
import tempfile


def main():
    istd, source = sys.argv[1], sys.argv[2]
    problems = []
    with tempfile.TemporaryDirectory(prefix='istd-engine-fallback-') as tmp:
        bundle = os.path.join(tmp, 'schemas')
        shutil.copytree(os.path.join(source, 'schemas'), bundle)
        xsd = os.path.join(bundle, 'iwmo-3.2', 'WMO305.xsd')
        text = open(xsd, encoding='utf-8').read()
        old = ('      <xs:element name="XsdVersie" type="iwmo:CDT_XsdVersie"/>\n'
               '    </xs:sequence>\n')
        if text.count(old) != 1:
            sys.exit('engine_fallback_test: WMO305.xsd no longer has the expected HeaderType')
        text = text.replace(old, old + '    <xs:attribute name="proef" type="xs:string" '
                                       'use="optional"/>\n')
        open(xsd, 'w', encoding='utf-8').write(text)

        src305 = os.path.join(source, 'fixtures', 'messages', 'WMO305-generic-restart.xml')
        msg = open(src305, encoding='utf-8').read()
        header = msg.find('<Header>')
        if header < 0:
            sys.exit('engine_fallback_test: the WMO305 fixture has no <Header>')
        with_declared = os.path.join(tmp, 'declared.xml')
        with_undeclared = os.path.join(tmp, 'undeclared.xml')
        for path, attribute in ((with_declared, 'proef'), (with_undeclared, 'anders')):
            open(path, 'w', encoding='utf-8').write(
                msg[:header] + f'<Header {attribute}="ja">' + msg[header + len('<Header>'):])
        ijw = os.path.join(source, 'fixtures', 'messages-ijw')

        def validate(*args):
            return subprocess.run([istd, 'validate', '--schemas', bundle, '--format', 'json', '-q',
                                   *args], capture_output=True, text=True)

        r = validate(src305, with_declared, ijw)
        notes = [line for line in r.stderr.splitlines() if 'note:' in line]
        if r.returncode != 0:
            problems.append(f'valid messages: exit {r.returncode}, stderr {r.stderr!r}')
        if len(notes) != 1:
            problems.append(f'expected one note on stderr, got {len(notes)}: {r.stderr!r}')
        elif 'iWmo' not in notes[0] or 'attribute' not in notes[0] or 'Xerces' not in notes[0]:
            problems.append(f'the note does not name iWmo, the attribute and Xerces: {notes[0]!r}')
        r = validate(with_undeclared)
        if r.returncode != 1:
            problems.append(f'an undeclared attribute: expected exit 1, got {r.returncode}')
        r = subprocess.run([istd, 'validate', '--schemas', bundle, '--engine', 'xerces', '-q',
                            src305, ijw], capture_output=True, text=True)
        if r.returncode != 0 or 'note:' in r.stderr:
            problems.append(f'--engine xerces: exit {r.returncode}, stderr {r.stderr!r}')
    for p in problems:
        print('FAIL', p)
    print(f'engine fallback: {"ok" if not problems else f"{len(problems)} problem(s)"}')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
