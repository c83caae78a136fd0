#!/usr/bin/env python3
# kith-report --html: the page for the sample is written, its tags
# balance, it loads nothing from outside, it has every section, its
# figures are --json's, the text of the trace is escaped, and bad
# options and an unwritable file are exit 2 with a message.
#
#   check-report-html.py KITH_REPORT DATA_DIR
#
# SPDX-License-Identifier: MIT
import html.parser
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile

report, data = sys.argv[1], sys.argv[2]
wrapper = shlex.split(os.environ.get("KITH_TEST_WRAPPER") or os.environ.get("MESON_EXE_WRAPPER") or "")
failures = []

def fail(msg):
    print("FAIL:", msg, file=sys.stderr)
    failures.append(msg)

def run(*args):
    return subprocess.run(wrapper + [report, *args], capture_output=True, text=True)

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "source", "track", "wbr"}

class Balance(html.parser.HTMLParser):
    """Every element closed in order; ids and the figures' data kept."""
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.ids, self.figures = [], [], set(), {}
        self.findings, self.in_member, self.members, self.doctype = None, False, [], False
        self.row = None
    def handle_decl(self, decl):
        self.doctype = decl.lower() == "doctype html"
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if "data-figure" in a:
            self.figures[a["data-figure"]] = int(a["data-value"])
        if "data-findings" in a:
            self.findings = int(a["data-findings"])
        if tag == "tr":
            self.row = a.get("data-rank")
        if tag == "td" and a.get("class") == "member" and self.row is not None:
            self.in_member = True
            self.members.append("")
        if tag not in VOID:
            self.stack.append((tag, self.getpos()))
    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()
    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack:
            self.errors.append("</%s> at %s closes nothing" % (tag, self.getpos()))
            return
        top, pos = self.stack.pop()
        if top != tag:
            self.errors.append("</%s> at %s closes <%s> of %s" % (tag, self.getpos(), top, pos))
        if tag == "td":
            self.in_member = False
        if tag == "tr":
            self.row = None
    def handle_data(self, d):
        if self.in_member:
            self.members[-1] += d

def parse(text, name):
    p = Balance()
    p.feed(text)
    p.close()
    for e in p.errors:
        fail("%s: %s" % (name, e))
    if p.stack:
        fail("%s: left open: %s" % (name, p.stack))
    if not p.doctype:
        fail("%s: no <!DOCTYPE html>" % name)
    return p

def outside(text, name):
    for bad in ("http://", "https://", "src=", "<script", "@import", "url(", "<link", "<iframe"):
        if bad in text.lower():
            fail("%s: refers outside: %r" % (name, bad))

SECTIONS = ("days", "hours", "kinds", "contributors", "graph", "health", "cleanup")

with tempfile.TemporaryDirectory() as tmp:
    page = os.path.join(tmp, "sample.html")
    r = run(os.path.join(data, "sample.trace"), "--charter", os.path.join(data, "sample.charter"),
            "--html", page, "--json", "--quiet")
    if r.returncode != 0 or not os.path.exists(page):
        fail("--html failed (%d): %s" % (r.returncode, r.stderr))
        sys.exit(1)
    if r.stderr:
        fail("stderr: " + r.stderr)
    doc = json.loads(r.stdout)
    text = open(page, encoding="utf-8").read()
    p = parse(text, "sample")
    outside(text, "sample")
    for s in SECTIONS:
        if s not in p.ids:
            fail("sample: no section %r" % s)
    want = {
        "events": doc["figures"]["events"],
        "messages": doc["messages"]["total"],
        "present": doc["members"]["present"],
        "active_30": doc["members"]["active_30"],
        "candidates": doc["cleanup"]["candidates"],
    }
    for k, v in want.items():
        if p.figures.get(k) != v:
            fail("sample: %s is %r in the page, %r in --json" % (k, p.figures.get(k), v))
    if p.findings != len(doc["health"]["findings"]) or p.findings == 0:
        fail("sample: %r findings in the page, %d in --json" % (p.findings, len(doc["health"]["findings"])))
    if text.count('class="finding"') != p.findings:
        fail("sample: the health list does not hold its %r findings" % p.findings)
    tops = [c["id"] for c in doc["contributors"]]
    if p.members[:len(tops)] != tops or not tops:
        fail("sample: contributors %r, --json %r" % (p.members[:3], tops[:3]))
    cleanup_rows = len(re.findall(r'<tr><td class="n">', text.split('id="cleanup"')[1]))
    if cleanup_rows != min(len(doc["cleanup"]["entries"]), 20) or cleanup_rows == 0:
        fail("sample: %d cleanup rows" % cleanup_rows)
    # The days chart: the messages of each day are the bars' titles.
    for day in doc["activity"]["days"]:
        label = "%s: %s messages" % (day["date"][5:], "{:,}".format(day["messages"]))
        if label not in text:
            fail("sample: no bar %r" % label)
    print("ok: the sample page balances, loads nothing, and has --json's figures")

    # As of --now: the page says how many events it left out, as --json does.
    page4 = os.path.join(tmp, "now.html")
    r = run(os.path.join(data, "sample.trace"), "--charter", os.path.join(data, "sample.charter"),
            "--now", "1794000000000", "--html", page4, "--json", "--quiet")
    if r.returncode != 0:
        fail("--now: exit %d: %s" % (r.returncode, r.stderr))
    else:
        p4 = parse(open(page4, encoding="utf-8").read(), "now")
        left = json.loads(r.stdout)["figures"]["left_out"]
        if p4.figures.get("left_out") != left or not left:
            fail("--now: %r left out in the page, %r in --json" % (p4.figures.get("left_out"), left))

    # The text of the trace is escaped: a member id and a name that are markup.
    hostile = os.path.join(tmp, "hostile.trace")
    with open(hostile, "w", encoding="utf-8") as f:
        f.write("kith-trace 1\n")
        f.write("1790000000000\tjoin\t<b>x&amp;\n")
        f.write("1790000001000\tnick\t<b>x&amp;\tname=<script>alert('1')</script>\n")
        f.write("1790000002000\tjoin\tbob\n")
        f.write("1790000003000\tmsg\t<b>x&amp;\tid=m1\tkind=text\ttext=hello\n")
        f.write("1790000004000\tmsg\tbob\tid=m2\tkind=text\treply=m1\tto=<b>x&amp;\ttext=hi <i>there</i>\n")
    page2 = os.path.join(tmp, "hostile.html")
    r = run(hostile, "--html", page2, "--quiet")
    if r.returncode != 0:
        fail("hostile trace: exit %d: %s" % (r.returncode, r.stderr))
    else:
        t2 = open(page2, encoding="utf-8").read()
        parse(t2, "hostile")
        outside(t2, "hostile")
        if "&lt;b&gt;x&amp;amp;" not in t2:
            fail("hostile: the member id is not in the page, escaped")
        if "<b>" in t2:
            fail("hostile: a raw <b> from the trace")

    # No events: a page that says so, still balanced.
    empty = os.path.join(tmp, "empty.trace")
    open(empty, "w").close()
    page3 = os.path.join(tmp, "empty.html")
    r = run(empty, "--html", page3)
    if r.returncode != 0:
        fail("empty trace: exit %d" % r.returncode)
    else:
        parse(open(page3, encoding="utf-8").read(), "empty")

    # Errors: exit 2 with a message naming the problem, nothing on stdout.
    for args, words in (
            (["--html", os.path.join(tmp, "no", "such", "dir.html")], "cannot write"),
            (["--html", tmp], "cannot write"),
            (["--html"], "needs a file name"),
            (["members", "--html", page], "--html")):
        r = run(*args)
        if r.returncode != 2 or words not in r.stderr or r.stdout:
            fail("%s: exit %d, stderr %r" % (args, r.returncode, r.stderr[:200]))

if failures:
    sys.exit(1)
print("the HTML report is well-formed, self-contained and agrees with --json")
