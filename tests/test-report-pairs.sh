#!/bin/sh
# One figure, one computation: every quantity kith-report prints in two
# places reads the same in both, counts of 1,000 and more carry
# separators, no figure has an exponent, and a community that sets no
# capacity gets no capacity finding.
#
#   test-report-pairs.sh KITH_REPORT TRACE [CHARTER]
#
# Exit 77 (skip) when TRACE is absent (the shared real-world traces are
# not part of the repository).
#
# SPDX-License-Identifier: MIT
set -u
LC_ALL=C
export LC_ALL

report=$1
trace=$2
charter=${3:-}
if [ ! -r "$trace" ]; then
	echo "SKIP: $trace is absent"
	exit 77
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
failures=0
wrapper=${KITH_TEST_WRAPPER:-${MESON_EXE_WRAPPER:-}}

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

# same WHAT A B: the two readings of one quantity agree.
same() {
	if [ -z "$2" ] || [ "$2" != "$3" ]; then
		fail "$1: '$2' in one place, '$3' in the other"
	else
		echo "ok: $1 reads $2 in both places"
	fi
}

set -- "$trace"
[ -n "$charter" ] && set -- "$trace" --charter "$charter"
# shellcheck disable=SC2086
$wrapper "$report" "$@" >"$tmp/report.txt" || { echo "FAIL: kith-report $*" >&2; exit 1; }
# shellcheck disable=SC2086
$wrapper "$report" members "$@" >"$tmp/members.json" || { echo "FAIL: kith-report members $*" >&2; exit 1; }

# The HEALTH section's explanation of a finding.
health() {
	awk -v code="$1" '/^HEALTH/ { on = 1; next } on && $2 == code {
		sub(/^ *[a-z]+ +[a-z-]+ +/, ""); print; exit }' "$tmp/report.txt"
}

# Present members: MEMBERS against HEALTH's size.
present=$(sed -n 's/.*present now *\([0-9,]*\) .*/\1/p' "$tmp/report.txt")
same "present members" "$present" "$(health size | sed 's/ present member.*//')"
# ... and against the members' own lines, with separators as the report writes them.
counted=$(grep -c '"present":true' "$tmp/members.json")
same "present members (members lines)" "$present" "$(printf '%s' "$counted" | sed ':a; s/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/; ta')"

# Onlookers: present members who never spoke, counted from the members' lines.
onlookers=$(sed -n 's/.*onlookers *\([0-9,]*\) .*/\1/p' "$tmp/report.txt" | tr -d ,)
same "onlookers" "$onlookers" "$(grep '"present":true' "$tmp/members.json" | grep -c '"messages":0,')"

# Active shares: MEMBERS against HEALTH's active-short and active-long.
shares=$(sed -n 's/.*active in 30 days.*(\([^ ]*\) \/ \([^ ]*\) of present).*/\1 \2/p' "$tmp/report.txt")
same "active in 7 days" "${shares% *}" "$(health active-short | sed 's/ of present.*//')"
same "active in 30 days" "${shares#* }" "$(health active-long | sed 's/ of present.*//')"

# Messages a day lately: MESSAGES against HEALTH's messages-per-day.
same "messages a day" "$(sed -n 's/.*; lately \([0-9.,]*\) a day.*/\1/p' "$tmp/report.txt")" \
	"$(health messages-per-day | sed -n 's/^\([0-9.,]*\) messages a day.*/\1/p')"

# Capacity: a finding only where the charter sets one.
if [ -n "$charter" ] && grep -q '^capacity *=' "$charter"; then
	cap=$(sed -n 's/^capacity *= *\([0-9]*\).*/\1/p' "$charter" | head -1)
	health capacity | grep -q "^$present of $cap places taken" ||
		fail "no capacity finding '$present of $cap places taken': $(health capacity)"
elif [ -n "$(health capacity)" ]; then
	fail "a capacity finding without a capacity: $(health capacity)"
fi

# No exponents, and no bare count of four digits or more, in any
# figure (dates, times and member ids aside: those lines are skipped).
grep -n '[0-9]\.\{0,1\}[0-9]*e[+-][0-9]' "$tmp/report.txt" && fail "a figure with an exponent"
awk '/^(ACTIVITY|TOP CONTRIBUTORS|BUSIEST|DIGEST|RULES|CLEANUP)/ { skip = 1 }
	/^(MEMBERS|MESSAGES|INTERACTIONS|HEALTH)/ { skip = 0 }
	NR > 3 && !skip && /(^|[ (])[0-9][0-9][0-9][0-9]+([ %)]|$)/ { print NR ": " $0; bad = 1 }
	NR == 2 && $NF == "days" && $(NF - 1) ~ /^[0-9][0-9][0-9][0-9]/ { print NR ": " $0; bad = 1 }
	/^  [0-9][0-9]-[0-9][0-9] [A-Z][a-z][a-z] / {
		for (i = 3; i <= 5; i++) if ($i ~ /^[0-9][0-9][0-9][0-9]/) { print NR ": " $0; bad = 1 } }
	/ replies given, / && $0 ~ / [0-9][0-9][0-9][0-9]+ (replies|received)/ { print NR ": " $0; bad = 1 }
	END { exit bad }' "$tmp/report.txt" || fail "a count of 1,000 or more without separators"

[ "$failures" -eq 0 ] || exit 1
echo "all pairs agree"
