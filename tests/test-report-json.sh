#!/bin/sh
# kith-report --json: one document that report.schema.json describes, on
# the sample, an empty trace and (when present) the shared IRC trace; the
# schema checker catches documents that break it; its figures are the
# text report's; --quiet and progress keep stderr clean off a terminal.
#
#   test-report-json.sh KITH_REPORT PYTHON3 CHECKER SCHEMA DATA_DIR SHARED_TRACE
#
# SPDX-License-Identifier: MIT
set -u
LC_ALL=C
export LC_ALL

report=$1
python=$2
checker=$3
schema=$4
data=$5
shared=$6
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
failures=0
wrapper=${KITH_TEST_WRAPPER:-${MESON_EXE_WRAPPER:-}}

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

# shellcheck disable=SC2086
run_report() { $wrapper "$report" "$@"; }
check() { "$python" "$checker" "$schema" "$@"; }

# valid NAME ARGS...: kith-report ARGS --json gives a document the schema
# holds, and nothing on stderr.
valid() {
	name=$1
	shift
	run_report "$@" --json >"$tmp/$name.json" 2>"$tmp/$name.err" || fail "$name: kith-report --json failed: $(cat "$tmp/$name.err")"
	[ -s "$tmp/$name.err" ] && fail "$name: stderr: $(cat "$tmp/$name.err")"
	check "$tmp/$name.json" || fail "$name: the document does not hold to the schema"
	[ "$(wc -l <"$tmp/$name.json")" -eq 1 ] || fail "$name: not one line"
}

valid sample
printf '' >"$tmp/empty.trace"
valid empty "$tmp/empty.trace"
valid now "$data/sample.trace" --charter "$data/sample.charter" --now 1794000000000
# Levels, an activity and seeds: LEVELS and AGENDA are objects.
valid sections "$data/sample.trace" --charter "$(dirname "$0")/data/report-sections.charter"
grep -q '"levels":{' "$tmp/sections.json" || fail "sections: no levels object"
grep -q '"agenda":{' "$tmp/sections.json" || fail "sections: no agenda object"
if [ -r "$shared" ]; then
	valid ubuntu "$shared" --quiet
else
	echo "($shared is absent: its document is not checked)"
fi

# The document's figures are the text report's.
run_report >"$tmp/sample.txt" || fail "the text report failed"
"$python" - "$tmp/sample.json" "$tmp/sample.txt" <<'PY' || fail "the JSON and the text report disagree"
import json, re, sys
d = json.load(open(sys.argv[1]))
text = open(sys.argv[2]).read()
def num(s):
    return int(s.replace(",", ""))
want = {
    "present": num(re.search(r"present now +([0-9,]+)", text).group(1)),
    "onlookers": num(re.search(r"onlookers +([0-9,]+)", text).group(1)),
    "active_30": num(re.search(r"active in 30 days +([0-9,]+)", text).group(1)),
    "total": num(re.search(r"total +([0-9,]+)", text).group(1)),
    "proposed": num(re.search(r"\n  ([0-9,]+) proposed", text).group(1)),
}
got = {
    "present": d["members"]["present"],
    "onlookers": d["members"]["onlookers"],
    "active_30": d["members"]["active_30"],
    "total": d["messages"]["total"],
    "proposed": d["cleanup"]["candidates"],
}
bad = {k: (want[k], got[k]) for k in want if want[k] != got[k]}
lately = re.search(r"lately ([0-9.,]+) a day", text).group(1)
if "%.3g" % d["messages"]["lately_per_day"] != lately.replace(",", "") and \
        str(round(d["messages"]["lately_per_day"])) != lately.replace(",", ""):
    bad["lately"] = (lately, d["messages"]["lately_per_day"])
if d["format"] != 1 or not d["sample"] or len(d["health"]["findings"]) != 15:
    bad["header"] = (d["format"], d["sample"], len(d["health"]["findings"]))
if bad:
    print("text vs JSON (text, json):", bad)
    sys.exit(1)
print("ok: the JSON figures are the text report's")
PY
# ACTIVITY is what the library applied: over the 14 local days (UTC+08:00)
# up to now, the messages and the arrivals (a join of a member not
# present) counted here from the sample trace itself.
"$python" - "$tmp/sample.json" "$data/sample.trace" <<'PY' || fail "ACTIVITY differs from the trace"
import json, sys
d = json.load(open(sys.argv[1]))
now = d["figures"]["now_ms"]
day = 86400000
off = 8 * 3600000
first = (now + off) // day - 13
msgs, arrivals, here = 0, 0, set()
for line in open(sys.argv[2], encoding="utf-8"):
    f = line.rstrip("\n").split("\t")
    if len(f) < 3 or not f[0].isdigit():
        continue
    t, kind, who = int(f[0]), f[1], f[2]
    recent = (t + off) // day >= first
    if kind == "msg" and recent:
        msgs += 1
    if kind == "join" and who not in here and recent:
        arrivals += 1
    if kind == "join":
        here.add(who)
    elif kind == "leave":
        here.discard(who)
got_msgs = sum(x["messages"] for x in d["activity"]["days"])
got_arrivals = sum(x["joins"] for x in d["activity"]["days"])
if (got_msgs, got_arrivals) != (msgs, arrivals):
    print("ACTIVITY (messages, arrivals):", (got_msgs, got_arrivals), "the trace:", (msgs, arrivals))
    sys.exit(1)
print("ok: ACTIVITY has the trace's", msgs, "messages and", arrivals, "arrivals of 14 days")
PY
if [ -s "$tmp/ubuntu.json" ]; then
	# The IRC trace has no join lines: its arrivals are the members the
	# library first saw speak, as many as MEMBERS' newcomers of 3 days (its last two days hold them all).
	"$python" -c "import json, sys
d = json.load(open(sys.argv[1]))
last3 = sum(x['joins'] for x in d['activity']['days'][-3:])
sys.exit(0 if last3 == d['members']['newcomers_3d'] > 0 else 1)" "$tmp/ubuntu.json" ||
		fail "ubuntu.trace: the arrivals of the last 3 days are not MEMBERS' newcomers"
fi

# The empty trace: no events, no time.
grep -q '"events":0,"first_event_ms":null,"last_event_ms":null,"now_ms":null' "$tmp/empty.json" ||
	fail "empty trace: $(head -c 300 "$tmp/empty.json")"
grep -q '"left_out":[1-9]' "$tmp/now.json" || fail "--now: no events left out in the JSON"

# The checker is no rubber stamp: each of these breaks the schema.
n=0
for edit in 'del d["members"]["present"]' 'd["format"] = 2' 'd["extra"] = 1' \
	'd["members"]["onlookers"] = -1' 'd["messages"]["total"] = "12"' \
	'd["activity"]["days"].pop()' 'd["health"]["worst"] = "fine"' \
	'd["contributors"][0]["active_days_30"] = 31' 'd["community"]["utc_offset"] = "8"' \
	'del d["seeds"]["seed_users"]' 'd["seeds"]["opinion_leaders"]["seeds"][0]["gain"] = "1"' \
	'd["levels"] = 0' 'd["agenda"] = []'; do
	n=$((n + 1))
	"$python" -c "import json, sys
d = json.load(open(sys.argv[1]))
$edit
json.dump(d, open(sys.argv[2], 'w'))" "$tmp/sample.json" "$tmp/broken$n.json" || fail "could not apply $edit"
	if check "$tmp/broken$n.json" 2>"$tmp/broken.err"; then
		fail "the checker accepts a document with $edit"
	fi
	[ -s "$tmp/broken.err" ] || fail "the checker says nothing about $edit"
done

# Options.
run_report members --json >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] || fail "members --json: expected exit 2"
run_report --quiet >"$tmp/quiet.txt" 2>"$tmp/err" || fail "--quiet failed"
cmp -s "$tmp/quiet.txt" "$tmp/sample.txt" || fail "--quiet changed the report"
[ -s "$tmp/err" ] && fail "--quiet: stderr: $(cat "$tmp/err")"

[ "$failures" -eq 0 ] || exit 1
echo "the JSON report holds to its schema"
