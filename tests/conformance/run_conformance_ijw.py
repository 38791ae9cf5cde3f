#!/usr/bin/env python3
"""Differential conformance test: our iJw 3.2 XSDs (schemas/ijw-3.2) against the official iJw 3.2 XSDs.

Builds the reference bundle in a temporary directory from $ISTD_REFERENCE_DIR/ijw-3.2/xsd (the 14
official message XSDs and the basisschema, cleaned as run_conformance.py cleans the iWmo ones: nothing
before `<?xml`, nothing after the first `</xs:schema>`, the basisschema under the name the imports use),
then validates every input with xmllint twice -- against our bundle (--ours) and against the reference
bundle -- and requires the same valid/invalid verdict.

Inputs:
  * our fixtures (--fixtures, fixtures/messages-ijw): must be valid under both;
  * the official iJw examples: valid under both, except the published negative ones (*.invalid-*.xml,
    JW315 with an impossible date and JW318 with a misplaced RetourCode), which must be invalid under
    both -- and, with their one defect repaired (the repairs of run_conformance.IJW_NEGATIVE), valid
    under both, so that the verdict is about that defect;
  * the variants of gen_variants_ijw.py of the fixtures and of the examples: any verdict, the same
    under both bundles.

Needs only Python 3 and xmllint. Nothing is written outside a temporary directory (except --keep).
It FAILS (does not skip) when $ISTD_REFERENCE_DIR (or --reference) is unset or has no ijw-3.2/.

The last line is `conformance-ijw: N passed, M failed`; exit status 0 when M is 0, else 1.
"""
import argparse
import os
import re
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_variants_ijw  # noqa: E402
from run_conformance import IJW_NEGATIVE, SetupError, _find_ci, _xsd_text, run_xmllint  # noqa: E402

TYPES = ['301', '302', '305', '306', '307', '308', '315', '316', '317', '318', '319', '320', '323', '325']
NS_RE_IJW = re.compile(r'<(?:[\w.-]+:)?Bericht\b[^>]*?xmlns(?::[\w.-]+)?='
                       r'"(http://www\.istandaarden\.nl/ijw/3_2/jw(\d{3})/schema)"')
STEM = 'JW'


# ----------------------------------------------------------------------------- bundles
def build_reference_bundle(ref_dir, out):
    xsd_dir = os.path.join(ref_dir, 'ijw-3.2', 'xsd')
    os.makedirs(out)
    for name in ['basisschema.xsd'] + [f'{STEM}{t}.xsd' for t in TYPES]:
        with open(os.path.join(out, name), 'w', encoding='utf-8') as f:
            f.write(_xsd_text(_find_ci(xsd_dir, name)))


def check_our_bundle(ours):
    missing = [n for n in ['basisschema.xsd'] + [f'{STEM}{t}.xsd' for t in TYPES]
               if not os.path.isfile(os.path.join(ours, n))]
    if missing:
        raise SetupError(f'our schema directory {ours} lacks {", ".join(missing)}')


# ----------------------------------------------------------------------------- examples
def collect_examples(ref_dir, tmp):
    """Copies of the official iJw examples: ([valid ones], [negative ones], [negatives repaired])."""
    src_dir = os.path.join(ref_dir, 'ijw-3.2', 'examples')
    if not os.path.isdir(src_dir):
        raise SetupError(f'{src_dir} is not a directory')
    out_dir = os.path.join(tmp, 'examples')
    os.makedirs(out_dir)
    valid, negative, repaired = [], [], []
    for name in sorted(os.listdir(src_dir)):
        if not name.lower().endswith('.xml'):
            continue
        dst = os.path.join(out_dir, name)
        shutil.copyfile(os.path.join(src_dir, name), dst)
        if '.invalid-' not in name:
            valid.append(dst)
            continue
        negative.append(dst)
        if name not in IJW_NEGATIVE:
            continue
        defect, repair = IJW_NEGATIVE[name][1]
        with open(dst, encoding='utf-8') as f:
            text = f.read()
        fixed, n = re.subn(defect, repair, text, flags=re.S)
        if n == 0:
            raise SetupError(f'{name}: the known defect ({defect}) is not in the example')
        rep = os.path.join(out_dir, name.split('.')[0] + '.repaired.xml')
        with open(rep, 'w', encoding='utf-8') as f:
            f.write(fixed)
        repaired.append(rep)
    if not valid:
        raise SetupError(f'no iJw examples in {src_dir}')
    if not negative:
        raise SetupError(f'no *.invalid-*.xml examples in {src_dir}')
    return valid, negative, repaired


def generate_variants(fixtures_dir, examples_dir, tmp):
    """Variants of the fixtures and of the examples: ([paths], {path: expect})."""
    paths, expect = [], {}
    for base, items, sub in ((fixtures_dir, gen_variants_ijw.plan(), 'variants'),
                             (examples_dir, gen_variants_ijw.plan_examples(), 'variants-examples')):
        out = os.path.join(tmp, sub)
        try:
            manifest, _ = gen_variants_ijw.generate(base, out, items)
        except FileNotFoundError as e:
            raise SetupError(f'variant generation: {e}')
        for v in manifest:
            p = os.path.join(out, v['file'])
            paths.append(p)
            expect[p] = v['expect']
    return paths, expect


# ----------------------------------------------------------------------------- main
def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--xmllint', default='xmllint', help='xmllint command')
    ap.add_argument('--ours', required=True, help='our schema directory (schemas/ijw-3.2)')
    ap.add_argument('--fixtures', required=True, help='fixtures/messages-ijw')
    ap.add_argument('--reference', default=os.environ.get('ISTD_REFERENCE_DIR'),
                    help='reference directory holding ijw-3.2/ (default $ISTD_REFERENCE_DIR)')
    ap.add_argument('--keep', help='also copy the generated bundle and inputs to this directory (debugging)')
    ap.add_argument('-v', '--verbose', action='store_true', help='print every verdict')
    args = ap.parse_args()

    passed = failed = 0
    try:
        if not args.reference:
            raise SetupError('ISTD_REFERENCE_DIR is not set: point it at the directory holding ijw-3.2/; '
                             'the iJw conformance test cannot run without it')
        if not os.path.isdir(os.path.join(args.reference, 'ijw-3.2')):
            raise SetupError(f'ISTD_REFERENCE_DIR={args.reference} has no ijw-3.2/ directory')
        if not shutil.which(args.xmllint):
            raise SetupError(f'{args.xmllint} not found (tools/install-deps.sh installs libxml2-utils)')
        check_our_bundle(args.ours)
        if not os.path.isdir(args.fixtures):
            raise SetupError(f'{args.fixtures} is not a directory')

        with tempfile.TemporaryDirectory(prefix='istd-conformance-ijw-') as tmp:
            ref_bundle = os.path.join(tmp, 'reference-bundle')
            build_reference_bundle(args.reference, ref_bundle)

            fixtures = sorted(os.path.join(args.fixtures, f) for f in os.listdir(args.fixtures) if f.endswith('.xml'))
            if not fixtures:
                raise SetupError(f'no fixtures in {args.fixtures}')
            examples, negatives, repaired = collect_examples(args.reference, tmp)
            variants, expect = generate_variants(args.fixtures, os.path.join(tmp, 'examples'), tmp)

            must_be_valid = set(fixtures + examples + repaired)
            must_be_invalid = set(negatives)
            inputs = fixtures + examples + repaired + negatives + variants
            ours = run_xmllint(args.xmllint, args.ours, inputs, NS_RE_IJW, STEM)
            ref = run_xmllint(args.xmllint, ref_bundle, inputs, NS_RE_IJW, STEM)

            rows, notes = [], []
            for f in inputs:
                o, r = ours[f], ref[f]
                ok = o.valid == r.valid
                why = '' if ok else 'verdicts differ'
                if ok and f in must_be_valid and not o.valid:
                    ok, why = False, 'must be valid'
                if ok and f in must_be_invalid and o.valid:
                    ok, why = False, 'must be invalid'
                if ok and expect.get(f) and (o.valid != (expect[f] == 'valid')):
                    notes.append(f'note: {os.path.basename(f)} is {"valid" if o.valid else "invalid"}, '
                                 f'the generator meant {expect[f]}')
                if ok:
                    passed += 1
                else:
                    failed += 1
                    rows.append((os.path.basename(f), o, r, why))
                if args.verbose:
                    print(f'{"ok  " if ok else "FAIL"} {os.path.basename(f):70} ours={o.valid!s:5} ref={r.valid!s:5}')

            if args.keep:
                shutil.copytree(tmp, args.keep, dirs_exist_ok=True)

        print(f'inputs: {len(fixtures)} fixtures, {len(examples)} official examples, {len(negatives)} negative '
              f'examples (+{len(repaired)} repaired), {len(variants)} variants (engine xmllint)')
        for n in notes:
            print(n)
        if rows:
            print('\ndisagreements:')
            print(f'{"file":64} {"ours":7} {"ref":7} first error')
            for name, o, r, why in rows:
                err = o.text if not o.valid else r.text
                print(f'{name:64} {("valid" if o.valid else "invalid"):7} {("valid" if r.valid else "invalid"):7} '
                      f'[{why}] {err[:160]}')
    except SetupError as e:
        print(f'conformance-ijw: cannot run: {e}')
        failed += 1
    print(f'conformance-ijw: {passed} passed, {failed} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
