#!/usr/bin/env python3
"""Differential test of istd's two schema engines: compiled (istd's own tables) and xerces.

Both engines must give the same valid/invalid verdict on every input:
  * every fixture (fixtures/, both standards, the sample month included);
  * every generated conformance variant of both standards (gen_variants.py, gen_variants_ijw.py);
  * every official example under $ISTD_REFERENCE_DIR (the published invalid ones included);
  * every hostile file of tests/hostile/make_hostile.py (the 150 MB one left out: both engines
    refuse it unread, by size).
Each input goes through `istd validate --checks xsd --format json --engine E` for E in compiled
and xerces, with the bundled schemas. FAILS (does not skip) when ISTD_REFERENCE_DIR is unset.

--variants-every N keeps every Nth generated variant only (the sanitizer build: the normal build
compares all; under the sanitizers the variants, near copies of the fixtures, are there to run
the engines' code on broken input, which a quarter of them does in a quarter of the time).

The last line is `engines: N inputs, M disagreements`; exit status 0 when M is 0, else 1.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_variants  # noqa: E402
import gen_variants_ijw  # noqa: E402


def run(istd, engine, files, schemas):
    """{file: (valid, first finding text)} for the files, from one engine."""
    out = {}
    chunk = 400
    for i in range(0, len(files), chunk):
        part = files[i:i + chunk]
        proc = subprocess.run([istd, 'validate', '--schemas', schemas, '--checks', 'xsd',
                               '--format', 'json', '--engine', engine, '-q', *part],
                              capture_output=True, text=True)
        if proc.returncode not in (0, 1):
            sys.exit(f'istd validate --engine {engine} exited {proc.returncode}:\n'
                     f'{proc.stderr.strip()[:2000]}')
        objs = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
        if len(objs) != len(part):
            sys.exit(f'istd --engine {engine} gave {len(objs)} results for {len(part)} files')
        for f, o in zip(part, objs):
            first = o['findings'][0] if o.get('findings') else {}
            text = f"{first.get('rule', '')} {first.get('line', '')}:{first.get('column', '')} " \
                   f"{first.get('text', '')}" if first else ''
            out[f] = (bool(o['valid']), text.strip())
    return out


XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
# What the generated variants do not reach: attributes (on the root, which Xerces' validator
# does not check, and below it), xsi: attributes, CDATA sections, comments, processing
# instructions and character references inside values.
EDITS = {
    'root-attribute': lambda m: m.replace('<Bericht ', '<Bericht proef="1" ', 1),
    'root-xsi-nil': lambda m: m.replace('<Bericht ', f'<Bericht {XSI} xsi:nil="true" ', 1),
    'root-xsi-type': lambda m: m.replace('<Bericht ', f'<Bericht {XSI} xsi:type="Foo" ', 1),
    'root-schema-location': lambda m: m.replace(
        '<Bericht ', f'<Bericht {XSI} xsi:schemaLocation="urn:x x.xsd" ', 1),
    'root-schema-location-odd': lambda m: m.replace(
        '<Bericht ', f'<Bericht {XSI} xsi:schemaLocation="urn:x x.xsd urn:y" ', 1),
    'header-schema-location': lambda m: m.replace(
        '<Header>', f'<Header {XSI} xsi:schemaLocation=" urn:x  x.xsd ">', 1),
    'header-schema-location-odd': lambda m: m.replace(
        '<Header>', f'<Header {XSI} xsi:schemaLocation="urn:x">', 1),
    'header-attribute': lambda m: m.replace('<Header>', '<Header proef="1">', 1),
    'header-foreign-attribute': lambda m: m.replace('<Header>', '<Header xmlns:x="urn:x" x:a="1">', 1),
    'header-xsi-nil-false': lambda m: m.replace('<Header>', f'<Header {XSI} xsi:nil="false">', 1),
    'header-xsi-type': lambda m: m.replace('<Header>', f'<Header {XSI} xsi:type="HeaderType">', 1),
    'cdata-in-header': lambda m: m.replace('<Header>', '<Header><![CDATA[ ]]>', 1),
    'comment-and-pi-in-header': lambda m: m.replace('<Header>', '<Header><!-- x --><?pi x?>', 1),
    'char-ref-in-afzender': lambda m: m.replace('<Afzender>', '<Afzender>&#32;', 1),
    'cdata-afzender': lambda m: re.sub(r'<Afzender>([^<]*)</Afzender>',
                                       r'<Afzender><![CDATA[\1]]></Afzender>', m, count=1),
}


def crafted(fixtures, out):
    """Every edit above on every fixture message that has what it edits."""
    os.makedirs(out)
    made = []
    for f in xml_files(os.path.join(fixtures, 'messages')) + \
            xml_files(os.path.join(fixtures, 'messages-ijw')):
        text = open(f, encoding='utf-8').read()
        for name, edit in EDITS.items():
            changed = edit(text)
            if changed == text:
                continue
            path = os.path.join(out, f'{os.path.basename(f)[:-4]}.{name}.xml')
            open(path, 'w', encoding='utf-8').write(changed)
            made.append(path)
    return made


def xml_files(directory):
    found = []
    for root, _, names in os.walk(directory):
        found += [os.path.join(root, n) for n in names if n.endswith('.xml')]
    return sorted(found)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--istd', required=True, help='path of the istd binary')
    ap.add_argument('--source', required=True, help='the source tree (fixtures/, schemas/, tests/)')
    ap.add_argument('--reference', default=os.environ.get('ISTD_REFERENCE_DIR'),
                    help='reference directory (default $ISTD_REFERENCE_DIR)')
    ap.add_argument('--schemas', help='schema bundle (default: the source tree\'s schemas/)')
    ap.add_argument('--variants-every', type=int, default=1, metavar='N',
                    help='keep every Nth generated variant only (default 1: all)')
    ap.add_argument('-v', '--verbose', action='store_true', help='print every verdict')
    args = ap.parse_args()
    if not args.reference or not os.path.isdir(args.reference):
        print('ISTD_REFERENCE_DIR is not set or not a directory: the engine test needs the '
              'official examples', file=sys.stderr)
        print('engines: 0 inputs, setup failed')
        return 1
    fixtures = os.path.join(args.source, 'fixtures')
    schemas = args.schemas or os.path.join(args.source, 'schemas')
    with tempfile.TemporaryDirectory(prefix='istd-engines-') as tmp:
        inputs = xml_files(fixtures) + xml_files(args.reference)
        for gen, sub, name in ((gen_variants, 'messages', 'variants-iwmo'),
                               (gen_variants_ijw, 'messages-ijw', 'variants-ijw')):
            out = os.path.join(tmp, name)
            manifest, _ = gen.generate(os.path.join(fixtures, sub), out)
            inputs += [os.path.join(out, v['file'])
                       for v in manifest[::max(1, args.variants_every)]]
        hostile = os.path.join(tmp, 'hostile')
        os.makedirs(hostile)
        subprocess.run([sys.executable, os.path.join(args.source, 'tests', 'hostile',
                                                     'make_hostile.py'), hostile],
                       check=True, capture_output=True)
        for f in xml_files(hostile):
            if os.path.getsize(f) > 20 * 1024 * 1024:
                os.remove(f)
        inputs += xml_files(hostile)

        inputs += crafted(fixtures, os.path.join(tmp, 'crafted'))

        compiled = run(args.istd, 'compiled', inputs, schemas)
        xerces = run(args.istd, 'xerces', inputs, schemas)
        disagree = 0
        valid = 0
        for f in inputs:
            c, x = compiled[f], xerces[f]
            valid += x[0]
            if c[0] != x[0] or args.verbose:
                mark = 'DISAGREE' if c[0] != x[0] else 'same'
                print(f'{mark} {os.path.relpath(f, tmp) if f.startswith(tmp) else f}\n'
                      f'  compiled: {"valid" if c[0] else "invalid"} {c[1]}\n'
                      f'  xerces:   {"valid" if x[0] else "invalid"} {x[1]}')
            disagree += c[0] != x[0]
        print(f'engines: {len(inputs)} inputs ({valid} valid, {len(inputs) - valid} invalid by '
              f'xerces), {disagree} disagreements')
        return 1 if disagree else 0


if __name__ == '__main__':
    sys.exit(main())
