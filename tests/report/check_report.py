#!/usr/bin/env python3
"""Check an `istd reconcile` month report (report.html) against its summary.json.

usage: check_report.py --html REPORT (--summary SUMMARY_JSON | --no-figures)
                       [--screenshot PNG] [--timing] [--expect-refund-rows]
                       [--chromium BIN] [--tidy BIN] [--timeout S] [--dom-out F] [--log-out F] [-v]

Checks (every check runs; all problems are listed, then exit 1):
  static     the file is self-contained: no <script src>, <link href>, <img>, <iframe>, ...,
             no @import, no url(...) other than url(#id) / url(data:...), no http(s)://
             anywhere (only the W3C namespace URIs in xmlns attributes are exempt).
  tidy       `tidy -q -e` (warnings shown) reports nothing, after a few narrowly scoped
             corrections for tidy 5.6 mis-reports of valid HTML5/SVG (see TIDY_KNOWN below).
  chromium   headless Chromium loads file:///...report.html offline (proxy and DNS blackholed)
             and dumps the DOM after the scripts ran.
  console    Chromium printed no console message and no uncaught exception for the page.
  network    the net log holds no request made by the page (Chromium's own background
             requests, which carry no initiator, are ignored and counted).
  figures    every data-figure="NAME" in the dumped DOM has data-value="INTEGER" equal to the
             figure summary.json gives for NAME; every expected NAME occurs; no unknown NAME.
  timelines  every element with data-refund has an <svg class="timeline"> with the same data-bsn;
             with --expect-refund-rows there is at least one refund row.
  screenshot (--screenshot) a PNG of the page was written and is not blank.

Exit status: 0 all checks passed, 1 a check failed, 2 usage error or a tool is missing.
Only the Python standard library is used.
"""

import argparse
import html.parser
import json
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
import zlib

# --------------------------------------------------------------------------------------------
# Problems


class Problems:
    def __init__(self):
        self.items = []  # (check, message)

    def add(self, check, message):
        self.items.append((check, message))

    def extend(self, check, messages, limit=25):
        messages = list(messages)
        for m in messages[:limit]:
            self.add(check, m)
        if len(messages) > limit:
            self.add(check, "... and %d more" % (len(messages) - limit))

    def checks(self):
        return {c for c, _ in self.items}


def fmt_path(path):
    return "." + "".join(".%s" % p if not p.startswith("[") else p for p in path)[1:]


# --------------------------------------------------------------------------------------------
# (a) static self-containment


class _TagCollector(html.parser.HTMLParser):
    """Collects start tags with their attributes and source positions."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []  # (tag, attrs-list, line, col, offset-independent)
        self.ends = []  # (tag, line, col)

    def handle_starttag(self, tag, attrs):
        line, col = self.getpos()
        self.tags.append((tag, attrs, line, col))

    def handle_startendtag(self, tag, attrs):
        line, col = self.getpos()
        self.tags.append((tag, attrs, line, col))
        self.ends.append((tag, line, col))

    def handle_endtag(self, tag):
        line, col = self.getpos()
        self.ends.append((tag, line, col))


# Elements that load (or embed) something by their very nature.
FORBIDDEN_ELEMENTS = {
    "img": "no <img>: draw pictures as inline SVG",
    "iframe": "no <iframe>",
    "frame": "no <frame>",
    "frameset": "no <frameset>",
    "object": "no <object>",
    "embed": "no <embed>",
    "applet": "no <applet>",
    "portal": "no <portal>",
    "base": "no <base>",
}
# Attributes that make the browser fetch their value.
LOADING_ATTRIBUTES = ("src", "srcset", "poster", "background", "lowsrc", "dynsrc", "ping")
NAMESPACE_URIS = (
    "http://www.w3.org/2000/svg",
    "http://www.w3.org/1999/xlink",
    "http://www.w3.org/1999/xhtml",
    "http://www.w3.org/1998/Math/MathML",
)
RE_XMLNS = re.compile(r"""\bxmlns(?::[\w.-]+)?\s*=\s*(["'])(%s)\1""" % "|".join(
    re.escape(u) for u in NAMESPACE_URIS))
RE_SCHEME_URL = re.compile(r"(?:https?|wss?|ftp)://", re.I)
RE_IMPORT = re.compile(r"@import\b", re.I)
# url( as a CSS function: not part of an identifier / member access, not `new URL(`.
RE_CSS_URL = re.compile(r"(?<![\w.$-])url\(\s*(['\"]?)\s*([^'\")\s]*)", re.I)


def _line_of(text, offset):
    return text.count("\n", 0, offset) + 1


def _snippet(text, start, end, pad=50):
    return text[start:end + pad].split("\n", 1)[0].strip()


def check_static(text):
    msgs = []
    info = {}
    p = _TagCollector()
    p.feed(text)
    p.close()
    n_script = n_style = 0
    for tag, attrs, line, _col in p.tags:
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "script":
            n_script += 1
        if tag == "style":
            n_style += 1
        if tag in FORBIDDEN_ELEMENTS:
            msgs.append("line %d: <%s%s> (%s)" % (
                line, tag, ' src="%s"' % a["src"] if "src" in a else "", FORBIDDEN_ELEMENTS[tag]))
            continue
        if tag == "script" and "src" in a:
            msgs.append('line %d: <script src="%s"> (scripts must be inline)' % (line, a["src"]))
            continue
        if tag == "link" and "href" in a:
            msgs.append('line %d: <link href="%s"> (styles and icons must be inline)'
                        % (line, a["href"]))
            continue
        if tag == "meta" and a.get("http-equiv", "").lower() == "refresh":
            msgs.append("line %d: <meta http-equiv=refresh> (no redirects)" % line)
        for name in LOADING_ATTRIBUTES:
            if name in a:
                msgs.append('line %d: <%s %s="%s"> (loads a resource)' % (line, tag, name, a[name]))
        if tag not in ("a", "area"):
            for name in ("href", "xlink:href"):
                v = a.get(name)
                if v is not None and not (v.startswith("#") or v.lower().startswith("data:")):
                    msgs.append('line %d: <%s %s="%s"> (only #fragment or data: references)'
                                % (line, tag, name, v))
    for m in RE_IMPORT.finditer(text):
        msgs.append("line %d: @import (%s)" % (_line_of(text, m.start()),
                                               _snippet(text, m.start(), m.end())))
    for m in RE_CSS_URL.finditer(text):
        if re.search(r"\bnew\s+$", text[max(0, m.start() - 8):m.start()]):
            continue  # JavaScript `new URL(...)`
        target = m.group(2)
        if target.startswith("#") or target.lower().startswith("data:"):
            continue
        msgs.append("line %d: url(%s...) (only url(#id) or url(data:...))"
                    % (_line_of(text, m.start()), target[:60]))
    exempt = [(m.start(2), m.end(2)) for m in RE_XMLNS.finditer(text)]
    for m in RE_SCHEME_URL.finditer(text):
        if any(s <= m.start() < e for s, e in exempt):
            continue
        msgs.append("line %d: external URL %s" % (
            _line_of(text, m.start()), re.match(r"\S{0,80}", text[m.start():]).group(0)))
    info["scripts"] = n_script
    info["styles"] = n_style
    info["namespace_uris"] = len(exempt)
    return msgs, info


# --------------------------------------------------------------------------------------------
# (b) tidy

TIDY_OPTIONS = [
    "-q",                              # no summary/info chatter
    "-e",                              # errors and warnings only, no tidied output
    "--show-warnings", "yes",          # mis-nesting (<p><b>x</p></b>) is only a *warning*
    "--show-info", "no",
    "--show-errors", "1000",           # default 6 would hide problems
    "--mute-id", "yes",                # append the message id, used for narrow filtering
    "--drop-empty-elements", "no",     # <tbody></tbody>, <span></span> are valid
    "--drop-empty-paras", "no",
    "--input-encoding", "utf8",
    "--gnu-emacs", "no",
]

# Valid HTML5 that tidy 5.6 mis-reports.  Each entry is handled as narrowly as possible.
TIDY_KNOWN = """\
1. <template> whose content starts with a table part, list item, dt/dd or option (valid: template
   content is parsed 'in template' mode). tidy 5.6 parses it with ordinary body rules, inserts an
   implicit <table>/<ul> and then swallows the rest of the document (cascade of bogus warnings).
   Handled by wrapping just that content in the parent it implies (<table>, <table><tr>, <ul>,
   <dl>, <select>) on the same line before tidy sees it, so the content is still checked.
2. <style> inside <svg> (valid SVG): MOVED_STYLE_TO_HEAD / FOUND_STYLE_IN_BODY ignored only when
   the reported position lies inside an <svg> element.
3. <a href> / <a xlink:href> inside <svg> (valid SVG 2): PROPRIETARY_ATTRIBUTE for <a> ignored
   only when the reported position lies inside an <svg> element.
4. A heading inside <summary> (valid: phrasing or heading content): 'missing </summary> before
   <hN>' and the one 'discarding unexpected </summary>' it causes are ignored."""

TEMPLATE_WRAP = [
    (("tr",), "<table>", "</table>"),
    (("td", "th"), "<table><tr>", "</tr></table>"),
    (("thead", "tbody", "tfoot", "caption", "colgroup"), "<table>", "</table>"),
    (("col",), "<table><colgroup>", "</colgroup></table>"),
    (("li",), "<ul>", "</ul>"),
    (("dt", "dd"), "<dl>", "</dl>"),
    (("option", "optgroup"), "<select>", "</select>"),
]
RE_TEMPLATE = re.compile(r"(<template\b[^>]*>)(.*?)(</template\s*>)", re.I | re.S)
RE_TIDY_MSG = re.compile(
    r"^line (\d+) column (\d+) - (Warning|Error|Access|Info|Config|Document|Bad Document)"
    r": (.*?)(?: \(([A-Z_]+)\))?$")


def _wrap_templates(text):
    wrapped = 0

    def repl(m):
        nonlocal wrapped
        content = m.group(2)
        first = re.match(r"\s*<([a-zA-Z][\w-]*)", content)
        if first:
            name = first.group(1).lower()
            for names, pre, post in TEMPLATE_WRAP:
                if name in names:
                    wrapped += 1
                    return m.group(1) + pre + content + post + m.group(3)
        return m.group(0)

    return RE_TEMPLATE.sub(repl, text), wrapped


def _element_spans(text, tag):
    """(start_line, start_col, end_line, end_col) of each <tag> element, 1-based columns."""
    p = _TagCollector()
    p.feed(text)
    p.close()
    events = [(l, c, "s") for t, _a, l, c in p.tags if t == tag] + \
             [(l, c, "e") for t, l, c in p.ends if t == tag]
    events.sort()
    spans, stack = [], []
    for l, c, kind in events:
        if kind == "s":
            stack.append((l, c + 1))
        elif stack:
            sl, sc = stack.pop()
            if not stack:
                spans.append((sl, sc, l, c + 1))
    for sl, sc in stack[:1]:
        spans.append((sl, sc, 10 ** 9, 0))
    return spans


def _inside(spans, line, col):
    return any((sl, sc) <= (line, col) <= (el, ec) for sl, sc, el, ec in spans)


def check_tidy(tidy, text, workdir):
    msgs, notes = [], []
    prepared, wrapped = _wrap_templates(text)
    if wrapped:
        notes.append("%d <template> content(s) wrapped for tidy" % wrapped)
    src = os.path.join(workdir, "tidy-input.html")
    with open(src, "w", encoding="utf-8") as f:
        f.write(prepared)
    cmd = [tidy] + TIDY_OPTIONS + [src]
    try:
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    except subprocess.TimeoutExpired:
        return ["tidy did not finish within 60 s"], notes
    out = (r.stderr + r.stdout).decode("utf-8", "replace")
    svg_spans = _element_spans(prepared, "svg")
    summary_breaks = 0
    ignored = 0
    parsed = 0
    for raw in out.splitlines():
        m = RE_TIDY_MSG.match(raw.strip())
        if not m:
            continue
        parsed += 1
        line, col, kind, text_, mid = int(m.group(1)), int(m.group(2)), m.group(3), m.group(4), m.group(5)
        if kind == "Info":
            continue
        if mid in ("MOVED_STYLE_TO_HEAD", "FOUND_STYLE_IN_BODY") and _inside(svg_spans, line, col):
            ignored += 1
            continue
        if mid == "PROPRIETARY_ATTRIBUTE" and re.fullmatch(
                r'<a> proprietary attribute "(?:xlink:)?href"', text_) and _inside(svg_spans, line, col):
            ignored += 1
            continue
        if mid == "MISSING_ENDTAG_BEFORE" and re.fullmatch(r"missing </summary> before <h[1-6]>", text_):
            summary_breaks += 1
            ignored += 1
            continue
        if mid == "DISCARDING_UNEXPECTED" and text_ == "discarding unexpected </summary>" \
                and summary_breaks > 0:
            summary_breaks -= 1
            ignored += 1
            continue
        msgs.append("line %d column %d: %s: %s%s" % (line, col, kind, text_,
                                                     " (%s)" % mid if mid else ""))
    if r.returncode not in (0, 1) and not msgs:
        msgs.append("tidy exited %d: %s" % (r.returncode, out.strip()[:500]))
    elif r.returncode == 1 and parsed == 0:
        msgs.append("tidy exited 1 without a parsable message: %s" % out.strip()[:500])
    if ignored:
        notes.append("%d known tidy mis-report(s) ignored" % ignored)
    return msgs, notes


def tidy_version(tidy):
    try:
        return subprocess.run([tidy, "-v"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=10).stdout.decode().strip()
    except (OSError, subprocess.SubprocessError):
        return None


# --------------------------------------------------------------------------------------------
# (c) Chromium

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",                    # we run as root
    "--disable-gpu",
    "--enable-logging=stderr", "--v=0",
    "--net-log-capture-mode=Default",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=127.0.0.1:9",
    # Fewer of Chromium's own background requests (the rest are recognised in the net log):
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-extensions",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-client-side-phishing-detection",
    "--disable-domain-reliability",
    "--disable-spell-checking",
    "--no-pings",
    "--metrics-recording-only",
    "--disable-features=Translate,OptimizationHints,MediaRouter,NetworkTimeServiceQuerying",
    "--virtual-time-budget=3000",
]


class ChromeRun:
    pass


def _kill_group(pgid, sig):
    try:
        os.killpg(pgid, sig)
        return True
    except (ProcessLookupError, PermissionError):
        return False


def _live_group_members(pgid):
    """PIDs in process group pgid that are still running (not zombies)."""
    live = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()  # state ppid pgrp ...
        if int(fields[2]) == pgid and fields[0] != "Z":
            live.append(int(entry))
    return live


def run_chromium(chromium, url, tmpdir, extra=(), timeout=60, want_netlog=True):
    """One Chromium run with its own profile dir (removed afterwards) and a bounded runtime."""
    run = ChromeRun()
    work = tempfile.mkdtemp(prefix="chromium-", dir=tmpdir)
    profile = os.path.join(work, "profile")
    netlog = os.path.join(work, "net.json")
    cmd = [chromium] + CHROMIUM_FLAGS + ["--user-data-dir=" + profile]
    if want_netlog:
        cmd.append("--log-net-log=" + netlog)
    cmd += list(extra) + ["--dump-dom", url]
    run.cmd = cmd
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)
    run.timed_out = False
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        run.timed_out = True
        _kill_group(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
    run.elapsed = time.monotonic() - t0
    run.returncode = proc.returncode
    # Helpers (zygote, renderer, crashpad) share our process group: end any that linger.
    # Members that already exited stay as zombies until init reaps them; those are harmless.
    if _live_group_members(proc.pid):
        _kill_group(proc.pid, signal.SIGTERM)
        for _ in range(50):
            if not _live_group_members(proc.pid):
                break
            time.sleep(0.1)
        else:
            _kill_group(proc.pid, signal.SIGKILL)
    run.dom = out.decode("utf-8", "replace")
    run.stderr = err.decode("utf-8", "replace")
    run.netlog = None
    run.netlog_error = None
    if want_netlog:
        try:
            with open(netlog, encoding="utf-8", errors="replace") as f:
                run.netlog = _load_netlog(f.read())
        except FileNotFoundError:
            run.netlog_error = "Chromium wrote no net log"
        except ValueError as e:
            run.netlog_error = "net log unreadable%s: %s" % (
                " (Chromium was killed)" if run.timed_out else "", e)
    shutil.rmtree(work, ignore_errors=True)
    return run


def _load_netlog(text):
    try:
        return json.loads(text)
    except ValueError:
        # Chromium killed before it closed the log: '{"constants": ..., "events": [ {...},\n'
        # possibly followed by half an event.  Keep the complete events.
        for candidate in (text, text[:text.rfind("\n") + 1]):
            try:
                return json.loads(candidate.rstrip().rstrip(",") + "]}")
            except ValueError:
                pass
        raise


# Log records: [pid:tid:MMDD/HHMMSS.micros:SEVERITY:file(line)] or [...:INFO:CONSOLE:12]
RE_LOG_HEAD = re.compile(r"^\[\d+:\d+:\d{4}/\d{6}\.\d+:([A-Z]+\d*):([^\]]*)\] ?", re.M)
RE_CONSOLE_FILE = re.compile(r"^CONSOLE(?::(\d+)|\((\d+)\))$")
RE_CONSOLE_BODY = re.compile(r'^"(.*)", source: (.*?) \((\d+)\)\s*$', re.S)
INTERNAL_SOURCES = ("chrome://", "chrome-extension://", "devtools://", "chrome-untrusted://")


def console_messages(stderr):
    """[(message, source, line)] for every console record Chromium logged."""
    heads = list(RE_LOG_HEAD.finditer(stderr))
    found = []
    for i, h in enumerate(heads):
        if not RE_CONSOLE_FILE.match(h.group(2)):
            continue
        end = heads[i + 1].start() if i + 1 < len(heads) else len(stderr)
        body = stderr[h.end():end]
        m = RE_CONSOLE_BODY.match(body.strip())
        if m:
            found.append((m.group(1), m.group(2), int(m.group(3))))
        else:
            found.append((body.strip(), "?", 0))
    return found


def check_console(run):
    msgs, ignored = [], []
    for message, source, line in console_messages(run.stderr):
        if source.startswith(INTERNAL_SOURCES):
            ignored.append(source)
            continue
        where = "%s:%d" % (os.path.basename(source) or source, line)
        if message.startswith("Uncaught"):
            msgs.append("uncaught exception at %s: %s" % (where, message))
        else:
            msgs.append("console message at %s: %s" % (where, message))
    return msgs, ignored


# traffic annotations of requests that only a document makes (blink loader, navigation, websocket)
PAGE_ANNOTATIONS = {101845102, 63171670, 17188928}


def netlog_requests(netlog):
    c = netlog["constants"]
    ev = {v: k for k, v in c["logEventTypes"].items()}
    st = {v: k for k, v in c["logSourceType"].items()}
    errs = {v: k for k, v in c.get("netError", {}).items()}
    begin = c["logEventPhase"]["PHASE_BEGIN"]
    reqs = {}
    for e in netlog.get("events", []):
        src = e.get("source", {})
        if st.get(src.get("type")) != "URL_REQUEST":
            continue
        name = ev.get(e.get("type"))
        params = e.get("params") or {}
        r = reqs.setdefault(src.get("id"), {"jobs": []})
        if name == "REQUEST_ALIVE":
            if e.get("phase") == begin:
                r["url"] = params.get("url")
                r["annotation"] = params.get("traffic_annotation")
            elif "net_error" in params:
                r["error"] = errs.get(params["net_error"], str(params["net_error"]))
        elif name == "URL_REQUEST_START_JOB" and e.get("phase") == begin:
            r["jobs"].append(params)
    return [r for r in reqs.values() if r.get("url") or r["jobs"]]


def classify_request(r):
    """'page' for a request the document made, 'internal' for Chromium's own."""
    if r["jobs"]:
        initiators = {j.get("initiator") for j in r["jobs"]}
        return "internal" if initiators == {"not an origin"} else "page"
    return "page" if r.get("annotation") in PAGE_ANNOTATIONS or r.get("annotation") is None \
        else "internal"


def check_network(run, report_url):
    if run.netlog is None:
        return [run.netlog_error or "no net log"], []
    msgs, internal = [], []
    for r in netlog_requests(run.netlog):
        url = r.get("url") or r["jobs"][0].get("url")
        if url == report_url:
            continue
        if classify_request(r) == "internal":
            internal.append(url)
            continue
        job = r["jobs"][0] if r["jobs"] else {}
        msgs.append("page requested %s (%s %s, initiator %s%s)" % (
            url, job.get("method", "?"), job.get("request_type", "?"),
            job.get("initiator", "?"), ", " + r["error"] if r.get("error") else ""))
    return msgs, internal


# --------------------------------------------------------------------------------------------
# (d)/(e) the dumped DOM


class _DomCollector(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.template_depth = 0
        self.figures = []    # (name, value-or-None, line, tag)
        self.refunds = []    # (bsn-or-None, month, line, tag)
        self.timelines = []  # (bsn-or-None, line)
        self.skipped_in_template = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        line = self.getpos()[0]
        if tag == "template":
            self.template_depth += 1
            return
        if self.template_depth:
            if "data-figure" in a or "data-refund" in a:
                self.skipped_in_template += 1
            return
        if "data-figure" in a:
            self.figures.append((a["data-figure"], a.get("data-value"), line, tag))
        if "data-refund" in a:
            self.refunds.append((a.get("data-bsn"), a.get("data-month"), line, tag))
        if tag == "svg" and "timeline" in (a.get("class") or "").split():
            self.timelines.append((a.get("data-bsn"), line))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "template":
            self.template_depth -= 1

    def handle_endtag(self, tag):
        if tag == "template" and self.template_depth:
            self.template_depth -= 1


def parse_dom(dom):
    p = _DomCollector()
    p.feed(dom)
    p.close()
    return p


def expected_figures(summary):
    """NAME -> (value, json path); problems for anything the contract needs but is missing."""
    exp, problems = {}, []

    def get(path):
        node = summary
        for k in path:
            if not isinstance(node, dict) or k not in node:
                problems.append("summary.json has no %s" % fmt_path(path))
                return None
            node = node[k]
        return node

    def put(name, path):
        v = get(path)
        if v is None:
            return
        if isinstance(v, bool) or not isinstance(v, int):
            problems.append("summary.json %s is %r, not an integer" % (fmt_path(path), v))
            return
        exp[name] = (v, fmt_path(path))

    def each(path):
        v = get(path)
        if v is None:
            return []
        if not isinstance(v, dict):
            problems.append("summary.json %s is not an object" % fmt_path(path))
            return []
        return sorted(v)

    put("declarations", ["declarations"])
    put("prestaties", ["prestaties", "total"])
    put("approved", ["prestaties", "approved"])
    put("rejected", ["prestaties", "rejected"])
    put("ingediend", ["ingediend"])
    put("toegekend", ["toegekend"])
    for code in each(["by_retourcode"]):
        for f in ("count", "amount"):
            put("retourcode:%s:%s" % (code, f), ["by_retourcode", code, f])
    for sig in each(["by_signal"]):
        for f in ("count", "amount"):
            put("signal:%s:%s" % (sig, f), ["by_signal", sig, f])
    for agb in each(["by_provider"]):
        for f in ("ingediend", "toegekend", "rejected", "signals", "declarations"):
            put("provider:%s:%s" % (agb, f), ["by_provider", agb, f])
    put("at:refund_total", ["abonnementstarief", "refund_total"])
    put("at:refund_count", ["abonnementstarief", "refund_count"])
    for reason in each(["abonnementstarief", "by_reason"]):
        for f in ("count", "amount"):
            put("at:%s:%s" % (reason, f), ["abonnementstarief", "by_reason", reason, f])
    if "worklist" in summary:  # reports made before the worklist have none
        put("worklist:open", ["worklist", "open"])
        for kind in each(["worklist", "by_kind"]):
            put("worklist:%s" % kind, ["worklist", "by_kind", kind])
    return exp, problems


RE_INT = re.compile(r"-?[0-9]+")


def check_figures(dom, exp):
    msgs = []
    seen = {}
    for name, value, line, tag in dom.figures:
        where = "DOM line %d <%s>" % (line, tag)
        if not name:
            msgs.append("%s: empty data-figure" % where)
            continue
        seen.setdefault(name, 0)
        seen[name] += 1
        if name not in exp:
            msgs.append('unknown figure "%s" (%s, data-value=%r): not a name summary.json '
                        "defines" % (name, where, value))
            continue
        if value is None:
            msgs.append('figure "%s" (%s) has no data-value' % (name, where))
            continue
        if not RE_INT.fullmatch(value):
            msgs.append('figure "%s" (%s): data-value=%r is not an integer (amounts are '
                        "integer cents)" % (name, where, value))
            continue
        want, path = exp[name]
        if int(value) != want:
            msgs.append('figure "%s" (%s): page says %s, summary.json %s is %d'
                        % (name, where, value, path, want))
    missing = [n for n in sorted(exp) if n not in seen]
    for n in missing:
        msgs.append('figure "%s" missing from the page (summary.json %s = %d)'
                    % (n, exp[n][1], exp[n][0]))
    return msgs, sum(seen.values())


def check_timelines(dom, expect_rows):
    msgs = []
    timeline_bsns = set()
    for bsn, line in dom.timelines:
        if not bsn:
            msgs.append("DOM line %d: <svg class=\"timeline\"> without data-bsn" % line)
        else:
            timeline_bsns.add(bsn)
    for bsn, month, line, tag in dom.refunds:
        if not bsn:
            msgs.append("DOM line %d: refund row <%s data-refund> without data-bsn" % (line, tag))
        elif bsn not in timeline_bsns:
            msgs.append('refund row for BSN %s%s (DOM line %d) has no <svg class="timeline" '
                        'data-bsn="%s">' % (bsn, " month %s" % month if month else "", line, bsn))
    if expect_rows and not dom.refunds:
        msgs.append("--expect-refund-rows: the page has no element with data-refund")
    return msgs


# --------------------------------------------------------------------------------------------
# (f) screenshot


def check_png(path, width, height):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        return ["screenshot %s not written (%s)" % (path, e.strerror)], None
    if len(data) < 1024:
        return ["screenshot %s is only %d bytes" % (path, len(data))], None
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return ["screenshot %s is not a PNG" % path], None
    pos, idat, ihdr = 8, [], None
    while pos + 8 <= len(data):
        length, ctype = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        crc = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])[0]
        if zlib.crc32(ctype + chunk) & 0xffffffff != crc:
            return ["screenshot %s: bad CRC in %s chunk" % (path, ctype.decode("latin1"))], None
        if ctype == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", chunk)
        elif ctype == b"IDAT":
            idat.append(chunk)
        elif ctype == b"IEND":
            break
        pos += 12 + length
    if not ihdr or not idat:
        return ["screenshot %s: no IHDR/IDAT" % path], None
    w, h, depth, ctype = ihdr[:4]
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}.get(ctype, 4)
    stride = 1 + (w * channels * depth + 7) // 8
    try:
        raw = zlib.decompress(b"".join(idat))
    except zlib.error as e:
        return ["screenshot %s: image data corrupt (%s)" % (path, e)], None
    if len(raw) != stride * h:
        return ["screenshot %s: image data is %d bytes, expected %d" % (path, len(raw), stride * h)], None
    # Distinct (filtered) rows: a blank page gives a handful, a report hundreds.
    distinct = len({raw[i:i + stride] for i in range(0, len(raw), stride)})
    msgs = []
    if (w, h) != (width, height):
        msgs.append("screenshot is %dx%d, expected %dx%d" % (w, h, width, height))
    if distinct < 20:
        msgs.append("screenshot looks blank (%d distinct rows of %d)" % (distinct, h))
    return msgs, "%dx%d, %d bytes, %d distinct rows" % (w, h, len(data), distinct)


# --------------------------------------------------------------------------------------------


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--html", required=True, help="report.html to check")
    ap.add_argument("--summary", help="summary.json of the same run (required unless --no-figures)")
    ap.add_argument("--no-figures", action="store_true",
                    help="skip the figures check (a page without data-figure figures, e.g. the "
                         "ingest batch report); every other check still runs")
    ap.add_argument("--screenshot", metavar="PNG", help="also write a screenshot and check it")
    ap.add_argument("--window-size", default="1280,3000", help="screenshot size W,H (1280,3000)")
    ap.add_argument("--timing", action="store_true",
                    help="time --dump-dom of the report vs an empty page (best of 3 each)")
    ap.add_argument("--expect-refund-rows", action="store_true",
                    help="fail unless the page has at least one data-refund row")
    ap.add_argument("--chromium", default=os.environ.get("CHROMIUM", "chromium"))
    ap.add_argument("--tidy", default=os.environ.get("TIDY", "tidy"))
    ap.add_argument("--timeout", type=float, default=60, help="seconds per Chromium run (60)")
    ap.add_argument("--dom-out", metavar="FILE", help="save the DOM Chromium dumped")
    ap.add_argument("--log-out", metavar="FILE", help="save Chromium's stderr")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="show commands and what was ignored")
    args = ap.parse_args(argv)

    for tool in (args.chromium, args.tidy):
        if not shutil.which(tool):
            print("check_report: %s not found" % tool, file=sys.stderr)
            return 2
    if not args.summary and not args.no_figures:
        ap.error("--summary is required (or --no-figures)")
    try:
        w, h = (int(x) for x in args.window_size.split(","))
    except ValueError:
        ap.error("--window-size wants W,H")
    html_path = os.path.abspath(args.html)
    try:
        with open(html_path, "rb") as f:
            raw = f.read()
        summary = None
        if args.summary:
            with open(args.summary, encoding="utf-8") as f:
                summary = json.load(f)
    except (OSError, ValueError) as e:
        print("check_report: cannot read input: %s" % e, file=sys.stderr)
        return 2
    report_url = "file://" + html_path.replace("%", "%25").replace(" ", "%20")

    problems = Problems()
    timing = None
    done = []  # lines for the success summary
    notes = []

    # (a) static
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        problems.add("static", "not UTF-8: %s" % e)
        text = raw.decode("utf-8", "replace")
    msgs, info = check_static(text)
    problems.extend("static", msgs)
    done.append("static     self-contained: %d bytes, %d inline <script>, %d <style>, no external "
                "references%s" % (len(raw), info["scripts"], info["styles"],
                                  " (%d SVG/XLink namespace URI(s) exempt)" % info["namespace_uris"]
                                  if info["namespace_uris"] else ""))

    with tempfile.TemporaryDirectory(prefix="check-report-") as tmp:
        # (b) tidy
        msgs, tnotes = check_tidy(args.tidy, text, tmp)
        problems.extend("tidy", msgs)
        done.append("tidy       %s: no warnings or errors%s" % (
            (tidy_version(args.tidy) or "tidy").replace("HTML Tidy for Linux version", "tidy"),
            " (%s)" % "; ".join(tnotes) if tnotes else ""))

        # (c) Chromium
        extra = []
        if args.screenshot:
            shot = os.path.abspath(args.screenshot)
            os.makedirs(os.path.dirname(shot), exist_ok=True)  # Chromium does not create it
            if os.path.exists(shot):
                os.unlink(shot)
            extra = ["--screenshot=" + shot, "--window-size=%d,%d" % (w, h), "--hide-scrollbars"]
        run = run_chromium(args.chromium, report_url, tmp, extra, args.timeout)
        if args.screenshot and not run.timed_out and not os.path.exists(shot):
            # Headless Chromium, asked for the DOM and a screenshot at once, now and then exits
            # after the DOM without writing the PNG when the machine is busy (seen in CI with
            # every core taken). The page is the same: ask once more for the screenshot.
            run_chromium(args.chromium, report_url, tmp, extra, args.timeout, want_netlog=False)
        if args.verbose:
            print("chromium command: " + " ".join(run.cmd))
            print("tidy command: " + " ".join([args.tidy] + TIDY_OPTIONS + ["FILE"]))
            print("tidy mis-reports corrected:\n" + TIDY_KNOWN)
        if args.dom_out:
            with open(args.dom_out, "w", encoding="utf-8") as f:
                f.write(run.dom)
        if args.log_out:
            with open(args.log_out, "w", encoding="utf-8") as f:
                f.write(run.stderr)
        if run.timed_out:
            problems.add("chromium", "Chromium did not finish within %g s" % args.timeout)
        elif run.returncode != 0:
            problems.add("chromium", "Chromium exited %d" % run.returncode)
        have_dom = "<html" in run.dom.lower()
        if not have_dom:
            problems.add("chromium", "Chromium dumped no DOM (%d bytes on stdout); figures and "
                         "timelines not checked" % len(run.dom))
        done.append("chromium   loaded %s offline in %.2f s" % (report_url, run.elapsed))

        msgs, ignored = check_console(run)
        problems.extend("console", msgs)
        done.append("console    no console messages, no uncaught exceptions%s" % (
            " (%d from Chromium's own pages ignored)" % len(ignored) if ignored else ""))
        if ignored and args.verbose:
            print("ignored console sources: " + ", ".join(sorted(set(ignored))))

        msgs, internal = check_network(run, report_url)
        problems.extend("network", msgs)
        hosts = sorted({re.sub(r"^\w+://([^/?#]*).*$", r"\1", u) for u in internal})
        done.append("network    no request by the page (%d background request(s) of Chromium "
                    "itself ignored%s)" % (len(internal), ": " + ", ".join(hosts) if hosts else ""))

        # (d) figures, (e) timelines
        dom = parse_dom(run.dom)
        if args.no_figures:
            done.append("figures    not checked (--no-figures); %d data-figure element(s) in "
                        "the page" % len(dom.figures))
        else:
            exp, sproblems = expected_figures(summary)
            problems.extend("summary", sproblems)
            msgs, occurrences = check_figures(dom, exp)
            if have_dom:
                problems.extend("figures", msgs)
            done.append("figures    %d names expected from summary.json, %d data-figure "
                        "occurrences, all equal" % (len(exp), occurrences))
        if dom.skipped_in_template:
            notes.append("%d data-figure/data-refund element(s) inside <template> not counted"
                         % dom.skipped_in_template)
        msgs = check_timelines(dom, args.expect_refund_rows)
        if have_dom:
            problems.extend("timelines", msgs)
        bsns = {b for b, _m, _l, _t in dom.refunds if b}
        done.append("timelines  %d refund row(s) (%d BSN(s)), %d timeline(s); every refund row "
                    "has its timeline" % (len(dom.refunds), len(bsns), len(dom.timelines)))
        counts = "refund rows: %d (%d BSN(s)), timelines: %d" % (
            len(dom.refunds), len(bsns), len(dom.timelines))

        # (f) screenshot
        if args.screenshot:
            msgs, desc = check_png(shot, w, h)
            problems.extend("screenshot", msgs)
            done.append("screenshot %s: %s" % (args.screenshot, desc))

        # (g) timing
        if args.timing:
            empty = os.path.join(tmp, "empty.html")
            with open(empty, "w") as f:
                f.write('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
                        "<title>empty</title></head><body></body></html>\n")
            times = {"report": [], "empty": []}
            for _ in range(3):
                for key, url in (("empty", "file://" + empty), ("report", report_url)):
                    r = run_chromium(args.chromium, url, tmp, (), args.timeout)
                    times[key].append(r.elapsed if not r.timed_out else float("inf"))
            timing = ("report: %d bytes, chromium load %.2f s (empty page %.2f s)"
                      % (len(raw), min(times["report"]), min(times["empty"])))

    if problems.items:
        for check, msg in problems.items:
            print("FAIL [%s] %s" % (check, msg))
        print(counts)
        if timing:
            print(timing)
        print("check_report: %s: %d problem(s) in: %s"
              % (args.html, len(problems.items), ", ".join(sorted(problems.checks()))))
        return 1
    print("check_report: %s passed%s" % (args.html, " against " + args.summary
                                          if args.summary and not args.no_figures else ""))
    for line in done:
        print("  ok " + line)
    for n in notes:
        print("  note: " + n)
    print(counts)
    if timing:
        print(timing)
    return 0


if __name__ == "__main__":
    sys.exit(main())
