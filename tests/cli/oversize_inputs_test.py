#!/usr/bin/env python3
"""istd ingest loses nothing: over-size and unreadable inputs.

1. Two different files over the 25 MB limit (the second under the same name, in a
   subdirectory), a copy of the first and a small valid message, in one `istd ingest` (the
   default --max-size, the hubs' 25 MB): both over-size files are in quarantine byte for byte,
   under two names, each with a .reason naming the limit and the size; the copy is reported as
   a duplicate of the first; the valid message is accepted. A rerun reports every input as a
   duplicate and changes neither the ledger nor the output tree.
2. Standard input over the limit (`istd ingest -`) is quarantined whole, not cut short; the same
   bytes again are a duplicate; `istd validate -` reports the whole size.
3. Inputs that cannot be read: a dangling symbolic link and a FIFO named *.xml in the inbox, and
   a file deleted after the inbox was listed (istd is held on standard input, the first input,
   while the test deletes it; as root a chmod 000 file would still be readable, so a file that
   vanishes is the realistic case). Each is named with an error, the others are ingested, the
   exit status is 1 and the summary counts them; nothing waits on the FIFO.

Usage: oversize_inputs_test.py ISTD SOURCE_DIR
"""
import hashlib
import json
import os
import platform
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TODAY = "2025-07-01"
LIMIT = 25 * 1024 * 1024
FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print(f"FAIL: {what}", file=sys.stderr)


def random_bytes(seed, n):
    return random.Random(seed).randbytes(n)


def ingest(istd, db, out, inputs, stdin=None, fmt="json"):
    p = subprocess.run([istd, "ingest", "--db", str(db), "--out", str(out), "--today", TODAY,
                        "--format", fmt, *map(str, inputs)],
                       input=stdin, capture_output=True, timeout=300)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def lines_of(stdout):
    return {Path(o["source"]).as_posix() if o["source"] != "-" else "-": o
            for o in (json.loads(l) for l in stdout.splitlines() if l.strip())}


def dump_ledger(db):
    con = sqlite3.connect(db)
    out = []
    for (t,) in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"):
        cols = [r[1] for r in con.execute(f"PRAGMA table_info({t})") if r[1] != "received_at"]
        out.append(f"== {t}")
        for row in con.execute(f"SELECT {', '.join(cols)} FROM {t} ORDER BY 1"):
            out.append("|".join(repr("sha256:" + hashlib.sha256(v).hexdigest())
                                if isinstance(v, bytes) else repr(v) for v in row))
    con.close()
    return "\n".join(out)


def dump_tree(root):
    return sorted((str(p.relative_to(root)), hashlib.sha256(p.read_bytes()).hexdigest())
                  for p in Path(root).rglob("*") if p.is_file())


def same_file(path, data):
    return path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data


def oversize_files(istd, source, tmp):
    inbox = tmp / "inbox"
    (inbox / "sub").mkdir(parents=True)
    a = random_bytes(1, 26 * 1024 * 1024)
    b = random_bytes(2, 26 * 1024 * 1024 + 12345)
    (inbox / "a-big.xml").write_bytes(a)
    (inbox / "c-copy.xml").write_bytes(a)
    (inbox / "d-valid.xml").write_bytes(
        (source / "fixtures/messages/WMO301-specific-omvang.xml").read_bytes())
    (inbox / "sub" / "a-big.xml").write_bytes(b)  # another file under the same name
    db, out = tmp / "ledger.db", tmp / "out"

    started = time.time()
    rc, stdout, stderr = ingest(istd, db, out, [inbox])
    print(f"over-size run: exit {rc} in {time.time() - started:.1f} s")
    check(rc == 1, f"over-size run: exit {rc}, expected 1 (quarantined)\n{stderr}")
    check(stderr == "", f"over-size run wrote to stderr: {stderr}")
    got = lines_of(stdout)
    rel = {k: v for k, v in got.items()}
    first = rel.get(f"{inbox}/a-big.xml", {})
    second = rel.get(f"{inbox}/sub/a-big.xml", {})
    copy = rel.get(f"{inbox}/c-copy.xml", {})
    valid = rel.get(f"{inbox}/d-valid.xml", {})
    check(first.get("quarantined") and not first.get("duplicate"),
          f"first over-size file not quarantined: {first}")
    check(second.get("quarantined") and not second.get("duplicate"),
          f"second (different) over-size file not quarantined on its own: {second}")
    check(first.get("route") != second.get("route"),
          f"two different files share a quarantine name: {first.get('route')}")
    check(copy.get("duplicate") and copy.get("route") == first.get("route"),
          f"the copy is not reported as a duplicate of the first: {copy}")
    check(valid.get("accepted") and not valid.get("duplicate"),
          f"the valid message was not accepted: {valid}")
    for data, o, size in ((a, first, len(a)), (b, second, len(b))):
        route = Path(o.get("route") or "-")
        check(route.parent == out / "quarantine", f"not routed to quarantine: {route}")
        check(same_file(route, data), f"{route} is not the input byte for byte")
        reason = Path(str(route) + ".reason")
        text = reason.read_text() if reason.is_file() else ""
        check(f"{size} bytes" in text and f"{LIMIT} bytes" in text and "25 MB" in text,
              f"{reason} does not name the size and the limit:\n{text}")
        findings = o.get("findings") or [{}]
        check(findings[0].get("rule") == "LIMIT", f"no LIMIT finding: {o}")
    check((out / "65656055" / "WMO301" / "d-valid.xml").is_file(), "the valid message was not routed")

    before = (dump_ledger(db), dump_tree(out))
    rc, stdout, stderr = ingest(istd, db, out, [inbox])
    again = lines_of(stdout)
    check(rc == 1, f"rerun: exit {rc}")
    check(len(again) == 4 and all(o.get("duplicate") for o in again.values()),
          f"rerun: not every input is a duplicate:\n{stdout}")
    check(again.get(f"{inbox}/sub/a-big.xml", {}).get("route") == second.get("route"),
          "rerun: the second over-size file is not a duplicate of its own first delivery")
    after = (dump_ledger(db), dump_tree(out))
    check(before[0] == after[0], "rerun changed the ledger")
    check(before[1] == after[1], "rerun changed the output tree")
    return db, out, a


def oversize_stdin(istd, tmp, db, out, a):
    data = random_bytes(3, 26 * 1024 * 1024 + 100 * 1024)
    rc, stdout, stderr = ingest(istd, db, out, ["-"], stdin=data)
    o = lines_of(stdout).get("-", {})
    check(rc == 1 and o.get("quarantined") and not o.get("duplicate"),
          f"stdin over the limit: exit {rc}, {o} {stderr}")
    route = Path(o.get("route") or "-")
    check(same_file(route, data),
          f"stdin over the limit: {route} is not all of it ({route.stat().st_size if route.is_file() else 'missing'} "
          f"of {len(data)} bytes)")
    reason = Path(str(route) + ".reason")
    check(reason.is_file() and f"{len(data)} bytes" in reason.read_text(),
          "stdin over the limit: the .reason does not give its whole size")
    rc, stdout, stderr = ingest(istd, db, out, ["-"], stdin=a)
    o = lines_of(stdout).get("-", {})
    check(o.get("duplicate") and o.get("route", "").endswith("quarantine/a-big.xml"),
          f"stdin with the first over-size file's bytes is not its duplicate: {o}")
    p = subprocess.run([istd, "validate", "-"], input=data, capture_output=True, timeout=120)
    text = p.stdout.decode()
    check(p.returncode == 1 and f"({len(data)} bytes)" in text,
          f"istd validate - does not report the whole size of standard input:\n{text}")


def read_syscall(pid):
    try:
        return Path(f"/proc/{pid}/syscall").read_text().split()
    except OSError:
        return None


def wait_reading_stdin(pid):
    """Waits until the process blocks reading standard input (it has listed its inputs)."""
    read_nr = {"x86_64": "0", "aarch64": "63"}.get(platform.machine())
    deadline = time.time() + 30
    while time.time() < deadline:
        fields = read_syscall(pid)
        if fields is None or read_nr is None:
            time.sleep(3)  # cannot watch it: give it time to list its inputs
            return
        if fields[0] == read_nr and len(fields) > 1 and int(fields[1], 16) == 0:
            return
        time.sleep(0.02)
    check(False, "istd did not get to reading standard input")


def unreadable_inputs(istd, source, tmp):
    odd = tmp / "odd"
    odd.mkdir()
    msgs = source / "fixtures/messages"
    (odd / "1-ok.xml").write_bytes((msgs / "WMO302-accepted.xml").read_bytes())
    os.symlink(tmp / "does-not-exist.xml", odd / "2-dangling.xml")
    os.mkfifo(odd / "3-fifo.xml")
    (odd / "4-gone.xml").write_bytes((msgs / "WMO306-accepted.xml").read_bytes())
    (odd / "5-ok.xml").write_bytes((msgs / "WMO301-specific-omvang.xml").read_bytes())
    denied = None
    if os.geteuid() != 0:  # root reads a chmod 000 file all the same
        denied = odd / "6-denied.xml"
        denied.write_bytes((msgs / "WMO308-accepted.xml").read_bytes())
        denied.chmod(0)
    db, out = tmp / "odd.db", tmp / "odd-out"
    # Standard input first: istd lists the inbox, then waits for stdin while 4-gone.xml goes.
    p = subprocess.Popen([istd, "ingest", "--db", str(db), "--out", str(out), "--today", TODAY,
                          "--format", "text", "-", str(odd)],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wait_reading_stdin(p.pid)
    (odd / "4-gone.xml").unlink()
    try:
        stdout, stderr = p.communicate((msgs / "WMO308-accepted.xml").read_bytes(), timeout=120)
    except subprocess.TimeoutExpired:
        p.kill()
        stdout, stderr = p.communicate()
        check(False, "istd ingest hung on an input that cannot be read")
    stdout, stderr = stdout.decode(), stderr.decode()
    print(stdout, end="")
    check(p.returncode == 1, f"unreadable inputs: exit {p.returncode}, expected 1\n{stderr}")
    check(stderr == "", f"unreadable inputs: stderr: {stderr}")
    lines = stdout.splitlines()

    def line_of(name):
        return next((l for l in lines if l.startswith(f"{odd}/{name}: ")), "")

    check("symbolic link" in line_of("2-dangling.xml") and "error" in line_of("2-dangling.xml"),
          "the dangling symbolic link is not reported")
    check("FIFO" in line_of("3-fifo.xml"), "the FIFO is not reported")
    check("No such file" in line_of("4-gone.xml") and "deleted" in line_of("4-gone.xml"),
          "the file deleted after listing is not reported")
    if denied:
        check("Permission denied" in line_of("6-denied.xml"), "the unreadable file is not reported")
    for name in ("1-ok.xml", "5-ok.xml"):
        check(" accepted " in line_of(name) + " ", f"{name} was not ingested: {line_of(name)!r}")
    check(any(l.startswith("-: WMO308 accepted") for l in lines), "standard input was not ingested")
    n_bad = 4 if denied else 3
    check(f"{n_bad} inputs could not be read" in stdout, "the summary does not count them")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    istd, source = sys.argv[1], Path(sys.argv[2])
    with tempfile.TemporaryDirectory(prefix="istd-oversize-") as tmp:
        tmp = Path(tmp)
        db, out, a = oversize_files(istd, source, tmp)
        oversize_stdin(istd, tmp, db, out, a)
        unreadable_inputs(istd, source, tmp)
    if FAILURES:
        sys.exit(f"{len(FAILURES)} check(s) failed")
    print("over-size and unreadable inputs: nothing lost")


if __name__ == "__main__":
    main()
