#!/usr/bin/env python3
"""Two `istd serve` instances on one PostgreSQL ledger: nothing lost, nothing doubled.

Both instances run on the same ledger (a fresh schema on the throwaway server of the ctest
fixture `pg_cluster`) and the same output tree. Eight clients post 300 distinct WMO305
messages, each message to both instances at nearly the same time (so the two instances race
for every one of them):
* every post is answered 202, and the two answers of one message name the same ledger id;
* exactly one of the two answers is new, the other a duplicate (TR056 and the duplicate check
  hold across instances);
* the gemeente lists every message exactly once, whichever instance it asks;
* every retour (306) identifier is given once.

Usage: serve_two_instances_test.py ISTD SOURCE_DIR PG_STATE_DIR
"""
import subprocess
import sys
import tempfile
import threading
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from serve_faults_test import (Service, check, client_context, listed, make_certs,  # noqa: E402
                               messages, request)


class UrlService(Service):
    """istd serve on a ledger URL (Service takes a file)."""

    def __init__(self, istd, certs, url, out, name):
        super().__init__(istd, certs, certs.parent / name, out)
        self.cmd[self.cmd.index("--db") + 1] = url


def main():
    istd, src, state = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    base = (state / "url").read_text().strip()
    subprocess.run(["psql", "-qAt", "-v", "ON_ERROR_STOP=1", base, "-c",
                    "DROP SCHEMA IF EXISTS serve2 CASCADE; CREATE SCHEMA serve2"],
                   check=True, capture_output=True)
    url = base + "&options=" + urllib.parse.quote("-csearch_path=serve2")
    with tempfile.TemporaryDirectory(prefix="istd-serve-two-") as tmp:
        tmp = Path(tmp)
        certs = tmp / "certs"
        certs.mkdir()
        make_certs(certs)
        out = tmp / "out"
        a = UrlService(istd, certs, url, out, "a")
        b = UrlService(istd, certs, url, out, "b")
        a.start()
        b.start()
        prov, gem = client_context(certs, "provider"), client_context(certs, "gemeente")
        msgs = messages(src, 300, "T")
        answers = {ident: [] for ident in msgs}  # (instance, status, body)
        lock = threading.Lock()
        queue = [(ident, svc) for ident in msgs for svc in (a, b)]  # each message to both, adjacent

        def worker():
            while True:
                with lock:
                    if not queue:
                        return
                    ident, svc = queue.pop()
                status, res = request(svc.port, prov, "POST", "/v1/messages", msgs[ident])
                with lock:
                    answers[ident].append((svc.port, status, res))

        threads = [threading.Thread(target=worker) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        new = dup = 0
        retours = []
        for ident, got in answers.items():
            check(len(got) == 2, f"{ident}: {len(got)} answers")
            check(all(s == 202 for _, s, _ in got), f"{ident}: answered {[s for _, s, _ in got]}: "
                                                      f"{got}\n{a.tail()}\n{b.tail()}")
            ids = {r["id"] for _, _, r in got}
            check(len(ids) == 1, f"{ident}: the two instances name ids {ids}")
            firsts = [r for _, _, r in got if not r["duplicate"]]
            check(len(firsts) == 1, f"{ident}: {len(firsts)} answers say new (want exactly 1)")
            new += len(firsts)
            dup += len(got) - len(firsts)
            for r in firsts:
                if r.get("retour"):
                    retours.append(r["retour"]["identificatie"] if isinstance(r["retour"], dict)
                                   else r["retour"])
        check(len(retours) == len(set(retours)), "a retour identifier was given twice")
        for svc in (a, b):
            seen = listed(svc.port, gem)
            check(set(seen) == set(msgs), f"instance {svc.port}: the gemeente lists {len(seen)} of "
                                          f"{len(msgs)} messages")
            twice = {k: v for k, v in seen.items() if v != 1}
            check(not twice, f"listed more than once: {list(twice.items())[:5]}")
        a.stop()
        b.stop()
        print(f"two instances: {len(msgs)} messages each posted to both at once: {new} stored once, "
              f"{dup} answered duplicate with the same id, {len(retours)} retours, each listed once")


if __name__ == "__main__":
    main()
