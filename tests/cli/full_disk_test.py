#!/usr/bin/env python3
"""A full disk under `istd reconcile`, `istd cak` and `istd worklist`: nothing half-written is
left as if it were complete, and the same command run again once there is space gives exactly
the result of a run that never met a full disk.

The sample month is ingested into a ledger; each command then writes its outputs to a small
tmpfs (root only: mount) that is almost full. Checks:
* exit status 3 and an error that says the disk is full and what to do;
* no temporary files left, and every output file that exists is byte for byte the file of the
  reference run (so complete, never cut short);
* after space is freed, the same command on the same ledger gives the reference outputs, byte for
  byte (for cak: the export number and its lines; the failed run recorded nothing);
* worklist to a full standard output: exit 3 and "writing the output failed".

Without root the test reports SKIP (exit 77, which CTest counts as skipped).

Usage: full_disk_test.py ISTD SOURCE_DIR
"""
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

TODAY = "2025-07-10"


def check(cond, what):
    if not cond:
        sys.exit(f"FAIL: {what}")


def run(cmd, cwd, expect=None, stdout=None):
    p = subprocess.run(cmd, cwd=cwd, stdout=stdout or subprocess.PIPE, stderr=subprocess.PIPE)
    if expect is not None:
        check(p.returncode in expect, f"{' '.join(map(str, cmd))} exited {p.returncode}, expected {expect}:\n"
                                      f"{p.stderr.decode()[-2000:]}")
    return p


def files(d):
    return {str(p.relative_to(d)): p.read_bytes() for p in sorted(Path(d).rglob("*")) if p.is_file()}


class SmallDisk:
    """A tmpfs of `size`, filled up to `free` bytes of room."""

    def __init__(self, where, size="1m"):
        self.mnt = where
        self.mnt.mkdir()
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(self.mnt)], check=True)
        self.filler = self.mnt / ".filler"

    def fill(self, free):
        st = os.statvfs(self.mnt)
        room = st.f_bavail * st.f_frsize
        with open(self.filler, "wb") as f:
            f.write(b"\0" * max(0, room - free))

    def free(self):
        self.filler.unlink()

    def close(self):
        subprocess.run(["umount", "-l", str(self.mnt)], check=False)


def main():
    istd, src = sys.argv[1], Path(sys.argv[2])
    if os.geteuid() != 0:
        print("full disk: SKIPPED (needs root to mount a small tmpfs)")
        sys.exit(77)
    month = (src / "fixtures" / "sample" / "MONTH").read_text().strip()
    with tempfile.TemporaryDirectory(prefix="istd-full-disk-") as tmp:
        tmp = Path(tmp)
        db = tmp / "ledger.db"
        run([istd, "ingest", "--db", db, "--out", tmp / "routed", "--today", TODAY, "fixtures/sample"], src, (0,))

        def reconcile(ledger, out):
            return [istd, "reconcile", "--db", ledger, "--month", month, "--billing",
                    "fixtures/sample/billing.csv", "--out", out, "--today", TODAY]

        def cak(ledger, out):
            return [istd, "cak", "--db", ledger, "--out", out, "--today", TODAY]

        for name, cmd, ok in (("reconcile", reconcile, (1,)), ("cak", cak, (0,))):
            ref_db, test_db = tmp / f"{name}-ref.db", tmp / f"{name}-test.db"
            shutil.copy(db, ref_db)
            shutil.copy(db, test_db)
            ref_out = tmp / f"{name}-ref"
            run(cmd(ref_db, ref_out), src, ok)
            reference = files(ref_out)
            size = sum(len(b) for b in reference.values())
            disk = SmallDisk(tmp / f"{name}-disk", "4m")
            try:
                out = disk.mnt / "out"
                # room for about half of the outputs: the run fails part-way
                disk.fill(size // 2)
                p = run(cmd(test_db, out), src, (3,))
                err = p.stderr.decode()
                check("disk is full" in err and "run the same command again" in err,
                      f"{name} on a full disk does not say what happened and what to do:\n{err}")
                left = files(out) if out.exists() else {}
                check(not [f for f in left if f.endswith(".tmp") or "/." in f or f.startswith(".")],
                      f"{name}: temporary files left: {sorted(left)}")
                check(len(left) < len(reference), f"{name}: the disk never filled ({len(left)} files)")
                for f, b in left.items():
                    check(reference.get(f) == b, f"{name}: {f} was left incomplete or different on the full disk")
                print(f"full disk, {name}: exit 3, {len(left)} of {len(reference)} files complete, none cut short")
                disk.free()
                run(cmd(test_db, out), src, ok)
                again = files(out)
                check(again == reference,
                      f"{name}: the rerun after space was freed differs from the reference: "
                      f"{sorted(set(again) ^ set(reference))[:5]} "
                      f"{[f for f in again if f in reference and again[f] != reference[f]][:5]}")
                print(f"full disk, {name}: the rerun gives the reference outputs byte for byte")
            finally:
                disk.close()

        # worklist writes to standard output: a full disk there is exit 3 with a clear error
        disk = SmallDisk(tmp / "worklist-disk", "64k")
        try:
            disk.fill(512)
            with open(disk.mnt / "werklijst.csv", "wb") as f:
                p = run([istd, "worklist", "--db", db, "--today", TODAY, "--format", "csv"], src, (3,), stdout=f)
            check("writing the output failed" in p.stderr.decode(), f"worklist: {p.stderr.decode()}")
            print("full disk, worklist: exit 3, writing the output failed")
        finally:
            disk.close()
    print("full disk: nothing half-written left as complete; reruns give the same result")


if __name__ == "__main__":
    main()
