#!/bin/sh
# kith-report's LEVELS, SEEDS and AGENDA sections on the sample trace with
# tests/data/report-sections.charter, their figures checked against counts
# made here from the trace itself, and against each other's ends (what
# the replay tallied against what members hold at the end); the text and
# the JSON agree; without levels or plans LEVELS and AGENDA are left out.
#
#   test-report-sections.sh KITH_REPORT PYTHON3 SAMPLE_TRACE CHARTER
#
# SPDX-License-Identifier: MIT
set -u
LC_ALL=C
export LC_ALL

report=$1
python=$2
trace=$3
charter=$4
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

run_report "$trace" --charter "$charter" >"$tmp/text" 2>"$tmp/err" || fail "text report: $(cat "$tmp/err")"
run_report "$trace" --charter "$charter" --json >"$tmp/json" 2>"$tmp/err" || fail "JSON report: $(cat "$tmp/err")"
for heading in LEVELS SEEDS AGENDA; do
	grep -q "^$heading " "$tmp/text" || fail "no $heading section with $charter"
done

# The built-in sample's charter has no level, activity, greeting,
# festival or digest: SEEDS only.
run_report >"$tmp/sample" 2>"$tmp/err" || fail "sample report: $(cat "$tmp/err")"
grep -q '^SEEDS ' "$tmp/sample" || fail "the sample has no SEEDS section"
grep -q -e '^LEVELS ' -e '^AGENDA ' "$tmp/sample" && fail "the sample shows LEVELS or AGENDA"
run_report --json >"$tmp/sample.json" 2>"$tmp/err" || fail "sample JSON: $(cat "$tmp/err")"
grep -q '"levels":null,.*"agenda":null' "$tmp/sample.json" || fail "the sample's levels or agenda are not null"

"$python" - "$tmp/json" "$tmp/text" "$trace" <<'PY' || fail "the sections' figures"
import json, re, sys
d = json.load(open(sys.argv[1]))
text = open(sys.argv[2]).read()
bad = []
def check(what, got, want):
    if got != want:
        bad.append("%s: the report says %r, expected %r" % (what, got, want))

# The trace, counted here: messages by author, who is present, who is staff.
msgs, present, roles = {}, set(), {}
for line in open(sys.argv[3], encoding="utf-8"):
    f = line.rstrip("\n").split("\t")
    if len(f) < 3 or not f[0].isdigit():
        continue
    kind, who = f[1], f[2]
    if kind == "msg":
        msgs[who] = msgs.get(who, 0) + 1
    elif kind == "join":
        present.add(who)
    elif kind in ("leave", "kick", "ban"):
        present.discard(who)
    elif kind == "role":
        for field in f[3:]:
            if field.startswith("role="):
                r = roles.setdefault(who, set())
                (r.add if field[5] == "+" else r.discard)(field[6:])
staff = {m for m in present if roles.get(m, set()) & {"owner", "admin"}}

# LEVELS. basic needs one message in 30 days and is never lost, and
# regular (10 messages) is reached through it: basic's promotions are the
# members who ever reached it, every one of whom holds basic or regular
# now; regular's promotions less its demotions are its holders.
lv = d["levels"]
levels = {x["name"]: x for x in lv["levels"]}
basic, regular = levels["basic"], levels["regular"]
check("basic demoted", basic["demoted"], 0)
check("basic promoted - demoted vs held basic + regular", basic["promoted"] - basic["demoted"],
      basic["held"] + regular["held"])
check("regular promoted - demoted vs held", regular["promoted"] - regular["demoted"], regular["held"])
if regular["demoted"] == 0 or basic["promoted"] == 0:
    bad.append("the charter should bring promotions and demotions: %r" % lv)
# Everyone who spoke was promoted to basic once (levels are kept across a
# leave, so nobody twice), with the message that made them.
check("basic promoted vs members who spoke", basic["promoted"], len(msgs))
# XP: exactly 10 a message; the curve 5 L^2 + 50 L + 100 from level L.
def xp_level(xp):
    level = 0
    while xp >= 5 * level * level + 50 * level + 100:
        xp -= 5 * level * level + 50 * level + 100
        level += 1
    return level
check("XP of the top five", [x["xp"] for x in lv["top_xp"]],
      sorted((10 * n for n in msgs.values()), reverse=True)[:5])
for x in lv["top_xp"]:
    check("XP of " + x["id"], (x["xp"], x["level"]), (10 * msgs[x["id"]], xp_level(10 * msgs[x["id"]])))
check("level-ups", lv["level_ups"], sum(xp_level(10 * n) for n in msgs.values()))
check("rewards (veteran at level 5)", lv["rewards"], sum(xp_level(10 * n) >= 5 for n in msgs.values()))
for name, x in levels.items():
    m = re.search(r"\n    %s +([0-9,]+) +([0-9,]+) +([0-9,]+)\n" % name, text)
    got = tuple(int(v.replace(",", "")) for v in m.groups()) if m else None
    check("LEVELS text row " + name, got, (x["promoted"], x["demoted"], x["held"]))

# SEEDS: k = 8 from the charter; present members, not staff, each once.
for key in ("opinion_leaders", "seed_users"):
    p = d["seeds"][key]
    ids = [s["id"] for s in p["seeds"]]
    check(key + " k", p["k"], 8)
    check(key + " count", len(ids), 8)
    check(key + " distinct", len(set(ids)), len(ids))
    check(key + " not present or staff", [i for i in ids if i not in present or i in staff], [])
    check(key + " excluded staff", p["excluded"]["staff"], len(staff))
    check(key + " present", p["present"], len(present))
    check(key + " gains in order", [s["gain"] for s in p["seeds"]],
          sorted((s["gain"] for s in p["seeds"]), reverse=True))
title = {"opinion_leaders": "make these opinion leaders", "seed_users": "invite these as seed users"}
for key, t in title.items():
    block = text.split("  " + t + ":")[1].split("\n")[1:]
    rows = []
    for line in block:
        if not line.startswith("    "):
            break
        rows.append(line)
    listed = [r.split()[0] for r in rows if re.match(r"    \S+ +-?[0-9.]+ +-?[0-9.]+ +[0-9.]+  ", r)]
    check("SEEDS text " + key, listed, [s["id"] for s in d["seeds"][key]["seeds"]])

# AGENDA: the 7 days from now, in time order; the fates counted; the
# weekly call's starts are every Thursday at 20:00 (UTC+08:00) in them.
ag = d["agenda"]
now = d["figures"]["now_ms"]
items = ag["items"]["items"]
check("agenda horizon", (ag["items"]["from_ms"], ag["items"]["to_ms"]), (now, now + 7 * 86400000))
check("items out of the horizon", [i for i in items if not now <= i["time_ms"] < now + 7 * 86400000
                                   and i["fate"] != "dropped"], [])
check("items in time order", [i["time_ms"] for i in items], sorted(i["time_ms"] for i in items))
for fate in ("kept", "moved", "dropped"):
    check("agenda " + fate, ag[fate], sum(i["fate"] == fate for i in items))
check("moved items with a reason and later", [i for i in items if i["fate"] == "moved"
                                              and (i["reason"] == "none" or i["time_ms"] <= i["planned_ms"])], [])
off, day, week = 8 * 3600000, 86400000, 7 * 86400000
thursday = 20 * 3600000 - off  # 1970-01-01 was a Thursday: 20:00 local that day
first = thursday + -(-(now - thursday) // week) * week
want = [t for t in range(first, now + week, week)]
check("weekly-call starts", [i["time_ms"] for i in items if i["kind"] == "start"], want)
m = re.search(r"([0-9]+) items, ([0-9]+) kept, ([0-9]+) moved, ([0-9]+) dropped", text)
check("AGENDA text counts", tuple(map(int, m.groups())) if m else None,
      (len(items), ag["kept"], ag["moved"], ag["dropped"]))
free = [s for s in ag["slots"]["slots"] if s["reason"] == "free"][:3]
shown = re.findall(r"\n    (Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([0-9]{2}:00) ", text)
check("AGENDA text slots", shown, [(s["weekday"].capitalize(), s["start"]) for s in free])
if bad:
    print("\n".join(bad))
    sys.exit(1)
print("ok: LEVELS, SEEDS and AGENDA hold to the trace")
PY

[ "$failures" -eq 0 ] || exit 1
echo "the LEVELS, SEEDS and AGENDA sections hold"
