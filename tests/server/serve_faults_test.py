#!/usr/bin/env python3
"""`istd serve` under faults: nothing accepted is lost, nothing is half there.

1. SIGKILL under load. Eight clients post distinct WMO305 messages concurrently to
   `POST /v1/messages`; the service is killed with SIGKILL while they do (the test checks that
   the kill hit mid-load: some posts were answered, some were not). After a restart on the same
   ledger, every message is posted again (a client's retry):
   * every message that got a 2xx before the kill is answered as a duplicate, with its first id;
   * every other message is answered 202 (new, or a duplicate when it was committed but its
     answer was lost in the kill: it is then whole, never half);
   * the receiving gemeente lists every message exactly once (GET /v1/messages).
2. A full disk (root only: a small tmpfs holds the ledger and the output tree). Posting messages
   until the disk is full gives 507 answers with a JSON body that says the disk is full and
   nothing was stored, never a 2xx for a message that is not stored; after space is freed the same service, not restarted,
   accepts the messages again and every 2xx'd message is listed exactly once.

Certificates are made with the openssl command line (a throwaway CA, a server certificate for
127.0.0.1, client certificates with the party code as CN).

Usage: serve_faults_test.py ISTD SOURCE_DIR
"""
import http.client
import json
import os
import re
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

PROVIDER = "65656055"
GEMEENTE = "0363"


def check(cond, what):
    if not cond:
        sys.exit(f"FAIL: {what}")


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def make_certs(d):
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=istd test CA",
            "-keyout", "ca.key", "-out", "ca.pem", cwd=d)
    (d / "san.ext").write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    for name, cn, ext in (("server", "localhost", True), ("provider", PROVIDER, False),
                          ("gemeente", GEMEENTE, False)):
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", f"/CN={cn}", "-keyout", f"{name}.key",
                "-out", f"{name}.csr", cwd=d)
        openssl("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                "-CAcreateserial", "-days", "2", "-out", f"{name}.pem",
                *(["-extfile", "san.ext"] if ext else []), cwd=d)


class Service:
    def __init__(self, istd, certs, db, out):
        self.cmd = [istd, "serve", "--listen", "127.0.0.1:0", "--cert", str(certs / "server.pem"),
                    "--key", str(certs / "server.key"), "--client-ca", str(certs / "ca.pem"),
                    "--db", str(db), "--out", str(out), "--side", "gemeente"]
        self.proc = None
        self.port = None
        self.log = certs.parent / (db.name + ".serve.log")  # its stderr (never on the full disk)

    def start(self):
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(self.cmd, stdout=subprocess.PIPE, stderr=log,
                                         env=dict(os.environ, ISTD_TODAY="2025-07-10"))
        line = self.proc.stdout.readline().decode()
        m = re.search(r"listening on https://[^:]+:(\d+)", line)
        if not m:
            self.proc.kill()
            sys.exit(f"FAIL: istd serve did not start: {line!r} {self.tail()}")
        self.port = int(m.group(1))
        # keep reading stdout so the service never blocks on a full pipe
        threading.Thread(target=self.proc.stdout.read, daemon=True).start()

    def tail(self):
        try:
            return self.log.read_text(errors="replace")[-3000:]
        except OSError:
            return "(no log)"

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            sys.exit("FAIL: istd serve did not stop within 60 s of SIGTERM")
        check(rc == 0, f"istd serve exited {rc} after SIGTERM")


def client_context(certs, party):
    ctx = ssl.create_default_context(cafile=str(certs / "ca.pem"))
    ctx.load_cert_chain(str(certs / f"{party}.pem"), str(certs / f"{party}.key"))
    return ctx


def request(port, ctx, method, path, body=None, timeout=60):
    """(status, parsed JSON body); raises OSError/HTTPException when the connection fails."""
    conn = http.client.HTTPSConnection("127.0.0.1", port, context=ctx, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers={"Content-Type": "application/xml"} if body else {})
        res = conn.getresponse()
        data = res.read()
        try:
            return res.status, json.loads(data)
        except ValueError:
            return res.status, {"raw": data.decode(errors="replace")}
    finally:
        conn.close()


def messages(src, n, tag):
    """n distinct WMO305 messages of the sample provider (the Identificatie differs)."""
    text = (src / "fixtures" / "sample" / "03-WMO305-C1-start.xml").read_text()
    check("<iwmo:Identificatie>A65-0305-01</iwmo:Identificatie>" in text, "fixture changed")
    return {f"{tag}{i:05d}": text.replace("A65-0305-01", f"{tag}{i:05d}").encode() for i in range(n)}


def listed(port, ctx):
    """Identificatie -> number of times the gemeente's list holds it as an input."""
    seen, since = {}, None
    while True:
        status, body = request(port, ctx, "GET", "/v1/messages?limit=100" + (f"&since={since}" if since else ""))
        check(status == 200, f"GET /v1/messages answered {status}: {body}")
        for m in body["messages"]:
            if m["role"] == "input":
                seen[m["identificatie"]] = seen.get(m["identificatie"], 0) + 1
        if not body["more"]:
            return seen
        since = body["next"]


def sigkill_under_load(istd, src, certs, tmp):
    db, out = tmp / "kill.db", tmp / "kill-out"
    svc = Service(istd, certs, db, out)
    svc.start()
    prov, gem = client_context(certs, "provider"), client_context(certs, "gemeente")
    msgs = messages(src, 400, "K")
    first = {}       # Identificatie -> id, for the posts answered 2xx before the kill
    failed = set()   # posts that got no answer
    lock = threading.Lock()
    queue = list(msgs.items())

    def worker():
        while True:
            with lock:
                if not queue:
                    return
                ident, body = queue.pop()
            try:
                status, res = request(svc.port, prov, "POST", "/v1/messages", body, timeout=30)
            except (OSError, http.client.HTTPException):
                with lock:
                    failed.add(ident)
                continue
            with lock:
                if 200 <= status < 300:
                    first[ident] = res["id"]
                else:
                    failed.add(ident)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with lock:
            if len(first) >= 40:
                break
        time.sleep(0.01)
    svc.kill()
    for t in threads:
        t.join()
    answered, unanswered = len(first), len(msgs) - len(first)
    check(answered >= 40, f"only {answered} posts were answered before the kill")
    check(unanswered > 0, "the kill came after every post was answered: it did not hit the load")
    print(f"SIGKILL: {answered} posts answered 2xx before the kill, {unanswered} not")

    svc.start()  # same ledger, same output tree
    dup_of_unanswered = 0
    for ident, body in msgs.items():
        status, res = request(svc.port, prov, "POST", "/v1/messages", body)
        check(status == 202, f"retry of {ident} after the restart answered {status}: {res}")
        if ident in first:
            check(res["duplicate"] is True, f"{ident} got a 2xx before the kill but its retry is not a duplicate")
            check(res["id"] == first[ident], f"{ident}: the retry names id {res['id']}, the first post {first[ident]}")
        elif res["duplicate"]:
            dup_of_unanswered += 1
    seen = listed(svc.port, gem)
    check(set(seen) == set(msgs), f"the gemeente lists {len(seen)} of {len(msgs)} messages")
    twice = {k: v for k, v in seen.items() if v != 1}
    check(not twice, f"messages listed more than once: {list(twice.items())[:5]}")
    svc.stop()
    print(f"SIGKILL: after the restart every message is there once ({dup_of_unanswered} of the unanswered "
          f"posts had been committed before the kill and came back as duplicates)")


def full_disk(istd, src, certs, tmp):
    if os.geteuid() != 0:
        print("full disk: SKIPPED (needs root to mount a small tmpfs)")
        return False
    mnt = tmp / "small"
    mnt.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", str(mnt)], check=True)
    try:
        svc = Service(istd, certs, mnt / "ledger.db", mnt / "out")
        svc.start()
        prov, gem = client_context(certs, "provider"), client_context(certs, "gemeente")
        # fill most of the disk, leaving room for a few messages only
        filler = mnt / "filler"
        with open(filler, "wb") as f:
            try:
                f.write(b"\0" * (5 * 1024 * 1024))
            except OSError:
                pass
        msgs = messages(src, 300, "F")
        ok, errors = {}, []
        for ident, body in msgs.items():
            try:
                status, res = request(svc.port, prov, "POST", "/v1/messages", body)
            except (OSError, http.client.HTTPException) as e:
                sys.exit(f"FAIL: {ident} on a full disk got no answer ({e!r}); the service "
                         f"{'exited ' + str(svc.proc.poll()) if svc.proc.poll() is not None else 'runs'}"
                         f"\n{svc.tail()}")
            if 200 <= status < 300:
                ok[ident] = res["id"]
            else:
                check(status == 507, f"{ident} on a full disk answered {status}: {res}\n{svc.tail()}")
                check("disk is full" in res.get("error", "") and "Send it again" in res["error"],
                      f"the 507 on a full disk does not say what happened and what to do: {res}")
                errors.append((ident, status, res["error"]))
            if len(errors) >= 5:
                break
        check(errors, f"the disk never filled: {len(ok)} messages accepted")
        print(f"full disk: {len(ok)} accepted, then {errors[0][1]}: {errors[0][2]!r}")
        filler.unlink()
        # the same service, not restarted, works again
        for ident, body in list(msgs.items())[:len(ok) + 20]:
            status, res = request(svc.port, prov, "POST", "/v1/messages", body)
            check(status == 202, f"after space was freed {ident} answered {status}: {res}")
            if ident in ok:
                check(res["duplicate"] is True and res["id"] == ok[ident],
                      f"{ident} was accepted before the disk filled but is not a duplicate now: {res}")
        seen = listed(svc.port, gem)
        for ident in list(msgs)[:len(ok) + 20]:
            check(seen.get(ident) == 1, f"{ident} is listed {seen.get(ident, 0)} times after the disk was freed")
        svc.stop()
        # every stored message has its routed copy: the files that failed on the full disk were
        # written once there was space again, without a restart
        copies = [p for p in (mnt / "out" / GEMEENTE / "WMO305").iterdir() if not p.name.startswith(".")]
        check(len(copies) == len(seen), f"{len(seen)} messages stored but {len(copies)} routed copies")
        check(not list(mnt.rglob("*.tmp")), "temporary files left behind")
        print("full disk: after space was freed the service accepts again; every message listed once, "
              "each with its routed copy")
        return True
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def main():
    istd, src = sys.argv[1], Path(sys.argv[2])
    check(shutil.which("openssl"), "the openssl command is needed")
    with tempfile.TemporaryDirectory(prefix="istd-serve-faults-") as tmp:
        tmp = Path(tmp)
        certs = tmp / "certs"
        certs.mkdir()
        make_certs(certs)
        sigkill_under_load(istd, src, certs, tmp)
        full_disk(istd, src, certs, tmp)
    print("serve faults: nothing accepted was lost, nothing half stored")


if __name__ == "__main__":
    main()
