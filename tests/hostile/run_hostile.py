#!/usr/bin/env python3
"""Hostile-input test: every bad file gets a clear finding, the batch goes on, memory stays low.

Generates the hostile corpus (make_hostile.py), runs `istd validate --format json` over all of it
in one batch, and checks: no crash (exit 1, not a signal), one JSON object per file in input
order, each with the expected verdict and a finding whose text names the problem, peak RSS of the
istd process below 256 MB, and nothing fetched: schemalocation.xml names a local port that counts
connections and a local file that is no schema (loading it would make the file invalid), and is
validated without either being touched."""
import argparse
import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import threading

# file -> (valid?, substring expected in the first finding's text, or None: no findings at all
#          [, index of the finding to look at instead of the first])
EXPECT = {
    "bom.xml": (True, "byte-order mark"),
    "billion-laughs.xml": (False, "DOCTYPE"),
    "deep-nesting.xml": (False, "nested more than 64 levels deep", -1),  # after XSD errors
    "doctype.xml": (False, "DOCTYPE"),
    "empty.xml": (False, "empty"),
    "huge-text.xml": (False, "maximum message size"),
    "ijw305.xml": (False, "not one of the allowed values"),  # a Wmo category (01) in a JW305
    "jw305-valid.xml": (True, None),
    "jw305-iwmo-basisschema.xml": (False, "expected 'Identificatie' in namespace "
                                   "'http://www.istandaarden.nl/ijw/3_2/basisschema/schema'"),
    "jw305-doctype.xml": (False, "DOCTYPE"),
    "jw305-truncated.xml": (False, "not well-formed"),
    "jw305-ijw33.xml": (False, "an iJw 3.3 message?"),
    "invalid-utf8.xml": (False, "invalid byte '(' at position 2 of a 2-byte sequence"),
    "latin1.xml": (False, "must be UTF-8"),
    "not-xml.xml": (False, "not well-formed"),
    "schemalocation.xml": (True, None),
    "truncated.xml": (False, "not well-formed"),
    "unknown-namespace.xml": (False, "not an iWmo 3.2 or iJw 3.2 message"),
    "utf16.xml": (False, "UTF-16"),
    "wmo315.xml": (False, "StartProducten"),  # a 305 body in the 315 namespace
    "wrong-root.xml": (False, "root element"),
    "wmo319-valid.xml": (True, None),
    "wmo319-truncated.xml": (False, "not well-formed"),
    "wmo319-doctype.xml": (False, "DOCTYPE"),
    "wmo319-iwmo31.xml": (False, "an iWmo 3.1 message?"),
    "wmo319-cd085.xml": (False, "CD085"),
    "xxe.xml": (False, "DOCTYPE"),
}
MAX_RSS_MB = 256
NS305 = "http://www.istandaarden.nl/iwmo/3_2/wmo305/schema"


class ConnectionCounter:
    """A listener on 127.0.0.1 that accepts and closes every connection and counts them."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.05)
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        self.stop = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.accepted += 1
            conn.close()

    def close(self):
        self.stop = True
        self.thread.join()
        self.sock.close()


def point_schema_location(path, port, not_a_schema):
    """Points schemalocation.xml's hint at the local port, and adds one at a local file."""
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    hint = f"{NS305} http://example.invalid/evil.xsd"
    if hint not in text:
        sys.exit("hostile: schemalocation.xml does not hold the expected hint")
    text = text.replace(hint, f"{NS305} http://127.0.0.1:{port}/evil.xsd "
                              f"http://example.org/other file://{not_a_schema}")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--istd", required=True)
    ap.add_argument("--schemas", required=True)
    ap.add_argument("--generator", required=True)
    args = ap.parse_args()

    failures = 0
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory() as aux:
        subprocess.run([sys.executable, args.generator, tmp], check=True, stdout=subprocess.DEVNULL)
        files = sorted(f for f in os.listdir(tmp) if f.endswith(".xml"))
        missing = set(EXPECT) - set(files)
        if missing:
            print(f"hostile: generator did not make {sorted(missing)}")
            failures += len(missing)
        listener = ConnectionCounter()
        not_a_schema = os.path.join(aux, "not-a-schema.xsd")
        with open(not_a_schema, "w", encoding="utf-8") as fh:
            fh.write("this file is not a schema\n")
        point_schema_location(os.path.join(tmp, "schemalocation.xml"), listener.port, not_a_schema)
        try:
            proc = subprocess.run(
                [args.istd, "validate", "--format", "json", "--schemas", args.schemas, "-j", "2",
                 tmp], capture_output=True, text=True, timeout=600)
        finally:
            listener.close()
        if listener.accepted:
            print(f"hostile: istd connected {listener.accepted} time(s) to the schemaLocation URL")
            failures += 1
        rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        if proc.returncode != 1:
            print(f"hostile: exit code {proc.returncode}, expected 1 (some invalid); stderr:\n{proc.stderr}")
            failures += 1
        lines = [json.loads(l) for l in proc.stdout.splitlines() if l.strip()]
        if len(lines) != len(files):
            print(f"hostile: {len(lines)} results for {len(files)} files: the batch did not go on")
            failures += 1
        for f, obj in zip(files, lines):
            src = os.path.basename(obj["source"])
            if src != f:
                print(f"hostile: output order: got {src}, expected {f}")
                failures += 1
                continue
            if f not in EXPECT:
                continue
            valid, text, *at = EXPECT[f] + (0,)
            first = obj["findings"][at[0]]["text"] if obj["findings"] else "(no findings)"
            if text is None:
                ok = obj["valid"] == valid and not obj["findings"]
            else:
                ok = obj["valid"] == valid and bool(obj["findings"]) and text in first
            print(f"{'ok  ' if ok else 'FAIL'} {f:24} valid={obj['valid']!s:5} {first[:100]}")
            failures += 0 if ok else 1
        print(f"hostile: peak RSS of istd {rss_mb:.0f} MB (limit {MAX_RSS_MB} MB)")
        if rss_mb >= MAX_RSS_MB:
            failures += 1
    total = len(EXPECT) + 2
    print(f"hostile: {total - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
