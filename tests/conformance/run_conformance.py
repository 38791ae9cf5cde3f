#!/usr/bin/env python3
"""Differential conformance test: our iWmo 3.2 XSDs against the official ones.

Builds a reference bundle in a temporary directory from $ISTD_REFERENCE_DIR (the official iWmo
301/305/307/315/317/319/323 XSDs and basisschema, plus the retours 302/306/308/316/318/320/325
derived from the iJw 3.2 XSDs by textual translation), then validates every input twice -- with our
bundle (--ours) and with the reference bundle -- and requires the same valid/invalid verdict.

Inputs: our fixtures (must be valid), the official iWmo examples and the iJw 302/306/308/316/320/325
examples translated to iWmo (must be valid), and the variants of gen_variants.py (any verdict, but
the same under both bundles). The iJw *.invalid-*.xml examples (JW315 with an impossible date,
JW318 with a misplaced element) are invalid as published: they must be invalid against their own
iJw XSDs (needs xmllint, else noted) and, translated to iWmo, invalid under both bundles; the same
translation with the one defect repaired must be valid under both (so the verdict is about that
defect and not about the translation).

Engines: `istd validate --checks xsd --format json` (default; --istd PATH) or `xmllint --schema`
(--engine xmllint). Nothing is written outside a temporary directory.

The last line is `conformance: N passed, M failed`; exit status 0 when M is 0, else 1.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_variants  # noqa: E402

TYPES = ['301', '302', '305', '306', '307', '308', '315', '316', '317', '318', '319', '320', '323', '325']
OFFICIAL = ['301', '305', '307', '315', '317', '319', '323']
# iWmo message -> (iJw message, iJw BerichtCode, iWmo BerichtCode)
DERIVED = {'302': ('JW302', '437', '415'), '306': ('JW306', '439', '419'),
           '308': ('JW308', '441', '421'), '316': ('JW316', '447', '445'),
           '318': ('JW318', '487', '481'), '320': ('JW320', '489', '483'),
           '325': ('JW325', '491', '485')}
# iWmo heenbericht -> (iJw message, iJw BerichtCode, iWmo BerichtCode), for the negative examples.
IJW_HEEN = {'315': ('JW315', '446', '444')}
# Derived retours with a published iJw example (there is no valid JW318 example).
DERIVED_EXAMPLES = ['302', '306', '308', '316', '320', '325']
# iJw-only elements that the official iWmo heenbericht lacks; dropped when an iJw example of that
# type is translated (the derived retours keep them: they follow the iJw structure).
IJW_ONLY = {'315': ['GezagsdragerBekend'], '319': ['Woonplaatsbeginsel']}
# The published negative iJw examples: file -> (iWmo type, (defect, repair) as regular expressions).
_P = r'(?:[\w.-]+:)?'
IJW_NEGATIVE = {
    'JW315.invalid-date.xml': ('315', (r'2027-06-31', '2027-06-30')),
    # a RetourCode directly in Verzoek, after RedenVerzoek (it belongs in the RetourCodes at the end)
    'JW318.invalid-order.xml': ('318', (r'(</' + _P + r'RedenVerzoek>)\s*<' + _P + r'RetourCode>[^<]*</' + _P +
                                        r'RetourCode>', r'\1')),
}
NS_RE = re.compile(r'<(?:[\w.-]+:)?Bericht\b[^>]*?xmlns(?::[\w.-]+)?="(http://www\.istandaarden\.nl/iwmo/3_2/wmo(\d{3})/schema)"')
IWMO_CATEGORIES = {f'{i:02d}' for i in range(1, 19)}
IWMO_REDENEN = {'02', '19', '20', '21', '22', '23', '31', '36', '37', '38', '39'}


class SetupError(Exception):
    pass


# ----------------------------------------------------------------------------- bundles
def _xsd_text(path):
    """An XSD file's text, without anything before the XML declaration or after the schema."""
    with open(path, encoding='utf-8') as f:
        t = f.read()
    start = t.find('<?xml')
    if start < 0:
        start = t.find('<xs:schema')
    end = t.find('</xs:schema>')
    if start < 0 or end < 0:
        raise SetupError(f'{path} does not look like an XSD')
    return t[start:end + len('</xs:schema>')] + '\n'


def _find_ci(directory, name):
    """The file `name` in directory, matched case-insensitively (Basisschema.xsd)."""
    if not os.path.isdir(directory):
        raise SetupError(f'{directory} is not a directory')
    for f in sorted(os.listdir(directory)):
        if f.lower() == name.lower():
            return os.path.join(directory, f)
    raise SetupError(f'{name} not found in {directory}')


def translate_ijw_xsd(text, jw, code_from, code_to):
    num = jw[2:]
    text = text.replace('http://www.istandaarden.nl/ijw/3_2/', 'http://www.istandaarden.nl/iwmo/3_2/')
    text = re.sub(r'(?<![A-Za-z])jw' + num + r'(?!\d)', 'wmo' + num, text)
    text = text.replace('xmlns:ijw=', 'xmlns:iwmo=').replace('ijw:', 'iwmo:')
    new, n = re.subn(r'(<xs:pattern\s+value\s*=\s*")' + code_from + '(")', r'\g<1>' + code_to + r'\2', text)
    if n != 1:
        raise SetupError(f'{jw}.xsd: expected one BerichtCode pattern {code_from}, found {n}')
    return new


def build_reference_bundle(ref_dir, out):
    iwmo_xsd = os.path.join(ref_dir, 'iwmo-3.2', 'xsd')
    ijw_xsd = os.path.join(ref_dir, 'ijw-3.2', 'xsd')
    os.makedirs(out)
    with open(os.path.join(out, 'basisschema.xsd'), 'w', encoding='utf-8') as f:
        f.write(_xsd_text(_find_ci(iwmo_xsd, 'basisschema.xsd')))
    for t in OFFICIAL:
        with open(os.path.join(out, f'WMO{t}.xsd'), 'w', encoding='utf-8') as f:
            f.write(_xsd_text(_find_ci(iwmo_xsd, f'WMO{t}.xsd')))
    for t, (jw, a, b) in DERIVED.items():
        with open(os.path.join(out, f'WMO{t}.xsd'), 'w', encoding='utf-8') as f:
            f.write(translate_ijw_xsd(_xsd_text(_find_ci(ijw_xsd, f'{jw}.xsd')), jw, a, b))


def check_our_bundle(ours):
    missing = [n for n in ['basisschema.xsd'] + [f'WMO{t}.xsd' for t in TYPES]
               if not os.path.isfile(os.path.join(ours, n))]
    if missing:
        raise SetupError(f'our schema directory {ours} lacks {", ".join(missing)}')


# ----------------------------------------------------------------------------- example inputs
def translate_ijw_example(text, t):
    jw, code_from, code_to = DERIVED[t] if t in DERIVED else IJW_HEEN[t]
    text = text.replace('http://www.istandaarden.nl/ijw/3_2/', 'http://www.istandaarden.nl/iwmo/3_2/')
    text = re.sub(r'(?<![A-Za-z])jw' + t + r'(?!\d)', 'wmo' + t, text)
    text = re.sub(r'(<(?:[\w.-]+:)?BerichtCode>)\s*' + code_from + r'\s*(<)', r'\g<1>' + code_to + r'\2', text, count=1)

    # Code lists that differ between iJw and iWmo: use an iWmo value.
    def cat(m):
        return m.group(1) + (m.group(2) if m.group(2) in IWMO_CATEGORIES else '01') + m.group(3)

    def reden(m):
        return m.group(1) + (m.group(2) if m.group(2) in IWMO_REDENEN else '19') + m.group(3)
    text = re.sub(r'(<(?:[\w.-]+:)?(?:Product)?Categorie>)([^<]*)(<)', cat, text)
    text = re.sub(r'(<(?:[\w.-]+:)?RedenBeeindiging>)([^<]*)(<)', reden, text)
    for name in IJW_ONLY.get(t, []):
        text = re.sub(r'[ \t]*<((?:[\w.-]+:)?)' + name + r'[\s>].*?</\1' + name + r'>[ \t]*\r?\n?', '', text,
                      flags=re.S)
    return text


def collect_examples(ref_dir, tmp):
    """Paths of the official iWmo examples and of the translated iJw retour examples."""
    out = []
    ex_dir = os.path.join(tmp, 'examples')
    os.makedirs(ex_dir)
    for t in OFFICIAL:
        src = _find_ci(os.path.join(ref_dir, 'iwmo-3.2', 'examples'), f'WMO{t}.xml')
        dst = os.path.join(ex_dir, f'official-WMO{t}.xml')
        shutil.copyfile(src, dst)
        out.append(dst)
    for t in DERIVED_EXAMPLES:
        jw = DERIVED[t][0]
        src = _find_ci(os.path.join(ref_dir, 'ijw-3.2', 'examples'), f'{jw}.xml')
        with open(src, encoding='utf-8') as f:
            text = translate_ijw_example(f.read(), t)
        dst = os.path.join(ex_dir, f'ijw-translated-WMO{t}.xml')
        with open(dst, 'w', encoding='utf-8') as f:
            f.write(text)
        out.append(dst)
    return out


def collect_negative_examples(ref_dir, tmp):
    """The iJw negative examples translated to iWmo, and each with its defect repaired:
    ([invalid paths], [repaired paths])."""
    bad, repaired = [], []
    ex_dir = os.path.join(tmp, 'examples')
    for name, (t, (defect, repair)) in sorted(IJW_NEGATIVE.items()):
        src = _find_ci(os.path.join(ref_dir, 'ijw-3.2', 'examples'), name)
        with open(src, encoding='utf-8') as f:
            text = translate_ijw_example(f.read(), t)
        fixed, n = re.subn(defect, repair, text, flags=re.S)
        if n == 0:
            raise SetupError(f'{name}: the known defect ({defect}) is not in the example')
        stem = f'WMO{t}.' + name.split('.', 1)[1][:-len('.xml')]
        for body, out, suffix in ((text, bad, ''), (fixed, repaired, '.repaired')):
            dst = os.path.join(ex_dir, f'ijw-translated-{stem}{suffix}.xml')
            with open(dst, 'w', encoding='utf-8') as f:
                f.write(body)
            out.append(dst)
    return bad, repaired


# ----------------------------------------------------------------------------- engines
class Verdict:
    def __init__(self, valid, text=''):
        self.valid = valid
        self.text = text


def run_istd(istd, schemas, files):
    res = {}
    chunk = 200
    for i in range(0, len(files), chunk):
        part = files[i:i + chunk]
        proc = subprocess.run([istd, 'validate', '--schemas', schemas, '--checks', 'xsd', '--format', 'json',
                               *part], capture_output=True, text=True)
        if proc.returncode not in (0, 1):
            raise SetupError(f'istd validate exited {proc.returncode} with --schemas {schemas}:\n'
                             f'{proc.stderr.strip()[:2000]}')
        objs = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
        if len(objs) != len(part):
            raise SetupError(f'istd gave {len(objs)} results for {len(part)} files')
        for f, o in zip(part, objs):
            if os.path.abspath(o.get('source', '')) != os.path.abspath(f):
                raise SetupError(f'istd output order: got {o.get("source")}, expected {f}')
            first = o['findings'][0] if o.get('findings') else {}
            text = (f"{first.get('rule', '')} {first.get('line', '')}:{first.get('column', '')} "
                    f"{first.get('text', '')}").strip() if first else ''
            res[f] = Verdict(bool(o['valid']), text)
    return res


def _root_type(path, ns_re=NS_RE):
    with open(path, 'rb') as f:
        head = f.read(4096).decode('utf-8', 'replace')
    m = ns_re.search(head)
    return m.group(2) if m else None


def run_xmllint(xmllint, schemas, files, ns_re=NS_RE, stem='WMO'):
    """xmllint verdicts; the schema is schemas/{stem}NNN.xsd, NNN from the root namespace (ns_re group 2)."""
    res = {}
    groups = {}
    for f in files:
        t = _root_type(f, ns_re)
        xsd = os.path.join(schemas, f'{stem}{t}.xsd') if t else None
        if not xsd or not os.path.isfile(xsd):
            res[f] = Verdict(False, 'no schema for the root element namespace')
            continue
        groups.setdefault(xsd, []).append(f)
    for xsd, group in groups.items():
        for i in range(0, len(group), 100):
            part = group[i:i + 100]
            proc = subprocess.run([xmllint, '--noout', '--nonet', '--schema', xsd, *part],
                                  capture_output=True, text=True, errors='replace')
            if 'failed to compile' in proc.stderr or 'WXS schema' in proc.stderr and 'failed' in proc.stderr:
                raise SetupError(f'xmllint could not compile {xsd}:\n{proc.stderr[:2000]}')
            lines = proc.stderr.splitlines()
            for f in part:
                if f'{f} validates' in lines:
                    res[f] = Verdict(True)
                else:
                    errs = [l for l in lines if l.startswith(f + ':')]
                    txt = errs[0][len(f) + 1:] if errs else 'fails to validate'
                    res[f] = Verdict(False, txt.strip())
    return res


# ----------------------------------------------------------------------------- main
def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--engine', choices=['istd', 'xmllint'], default='istd')
    ap.add_argument('--istd', help='path of the istd binary (engine istd)')
    ap.add_argument('--xmllint', default='xmllint', help='xmllint command (engine xmllint)')
    ap.add_argument('--ours', required=True, help='our schema directory (schemas/iwmo-3.2)')
    ap.add_argument('--fixtures', required=True, help='fixtures/messages')
    ap.add_argument('--reference', default=os.environ.get('ISTD_REFERENCE_DIR'),
                    help='reference directory (default $ISTD_REFERENCE_DIR)')
    ap.add_argument('--keep', help='also copy the generated bundle and inputs to this directory (debugging)')
    ap.add_argument('-v', '--verbose', action='store_true', help='print every verdict')
    args = ap.parse_args()

    passed = failed = 0
    try:
        if not args.reference:
            raise SetupError('ISTD_REFERENCE_DIR is not set: point it at the directory holding iwmo-3.2/ and '
                             'ijw-3.2/; the conformance test cannot run without it')
        if not os.path.isdir(os.path.join(args.reference, 'iwmo-3.2')) or \
                not os.path.isdir(os.path.join(args.reference, 'ijw-3.2')):
            raise SetupError(f'ISTD_REFERENCE_DIR={args.reference} has no iwmo-3.2/ and ijw-3.2/ directories')
        if args.engine == 'istd':
            if not args.istd or not os.access(args.istd, os.X_OK):
                raise SetupError(f'istd binary not found or not executable: {args.istd!r} (use --istd PATH)')
        elif not shutil.which(args.xmllint):
            raise SetupError(f'{args.xmllint} not found')
        check_our_bundle(args.ours)

        with tempfile.TemporaryDirectory(prefix='istd-conformance-') as tmp:
            ref_bundle = os.path.join(tmp, 'reference-bundle')
            build_reference_bundle(args.reference, ref_bundle)

            fixtures = sorted(os.path.join(args.fixtures, f) for f in os.listdir(args.fixtures) if f.endswith('.xml'))
            if not fixtures:
                raise SetupError(f'no fixtures in {args.fixtures}')
            examples = collect_examples(args.reference, tmp)
            negatives, repaired = collect_negative_examples(args.reference, tmp)
            examples += repaired
            var_dir = os.path.join(tmp, 'variants')
            manifest, _ = gen_variants.generate(args.fixtures, var_dir)
            variants = [os.path.join(var_dir, v['file']) for v in manifest]
            expect = {os.path.join(var_dir, v['file']): v['expect'] for v in manifest}

            must_be_valid = fixtures + examples
            must_be_invalid = set(negatives)
            inputs = must_be_valid + negatives + variants
            if args.engine == 'istd':
                ours = run_istd(args.istd, args.ours, inputs)
                ref = run_istd(args.istd, ref_bundle, inputs)
            else:
                ours = run_xmllint(args.xmllint, args.ours, inputs)
                ref = run_xmllint(args.xmllint, ref_bundle, inputs)

            rows = []
            notes = []
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

            # The iJw negative examples as published: invalid against their own XSD.
            passed_n, failed_n, msgs = check_ijw_invalid_examples(args.reference, args.xmllint)
            passed += passed_n
            failed += failed_n

            if args.keep:
                shutil.copytree(tmp, args.keep, dirs_exist_ok=True)

        print(f'inputs: {len(fixtures)} fixtures, {len(examples)} reference examples, '
              f'{len(negatives)} negative examples, {len(variants)} variants (engine {args.engine})')
        for m in msgs:
            print(m)
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
        print(f'conformance: cannot run: {e}')
        failed += 1
    print(f'conformance: {passed} passed, {failed} failed')
    return 1 if failed else 0


def check_ijw_invalid_examples(ref_dir, xmllint):
    """The iJw *.invalid-*.xml examples as published: invalid against their own iJw XSDs."""
    ex_dir = os.path.join(ref_dir, 'ijw-3.2', 'examples')
    xsd_dir = os.path.join(ref_dir, 'ijw-3.2', 'xsd')
    files = sorted(f for f in os.listdir(ex_dir) if '.invalid-' in f and f.endswith('.xml'))
    if not files:
        return 0, 0, []
    if not shutil.which(xmllint):
        return 0, 0, [f'note: {len(files)} iJw *.invalid-*.xml examples not checked (no xmllint)']
    passed = failed = 0
    msgs = []
    for f in files:
        jw = f.split('.')[0]
        try:
            xsd = _find_ci(xsd_dir, f'{jw}.xsd')
        except SetupError as e:
            msgs.append(f'note: {f}: {e}')
            continue
        with tempfile.TemporaryDirectory() as tmp:
            # Cleaned copies, so that a stray heading in a source XSD does not decide the verdict.
            for name in (os.path.basename(xsd), 'basisschema.xsd'):
                src = _find_ci(xsd_dir, name)
                with open(os.path.join(tmp, name), 'w', encoding='utf-8') as out:
                    out.write(_xsd_text(src))
            proc = subprocess.run([xmllint, '--noout', '--nonet', '--schema', os.path.join(tmp, os.path.basename(xsd)),
                                   os.path.join(ex_dir, f)], capture_output=True, text=True, errors='replace')
        if proc.returncode != 0 and 'validates' not in proc.stderr.splitlines()[-1:]:
            passed += 1
            msgs.append(f'iJw negative example {f}: invalid against {jw}.xsd, as expected')
        else:
            failed += 1
            msgs.append(f'FAIL iJw negative example {f} is valid against {jw}.xsd')
    return passed, failed, msgs


if __name__ == '__main__':
    sys.exit(main())
