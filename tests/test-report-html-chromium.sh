#!/bin/sh
# kith-report --html in a real browser: headless Chromium loads the
# sample's page with no console message and takes a screenshot that is
# not blank. The checks are tried on a page made to fail them first (a
# console error on a blank page), so that they cannot pass by not
# looking. Skips (77) without chromium (Debian's package; .ci/deps).
#
#   test-report-html-chromium.sh KITH_REPORT PYTHON3 CHECK_PNG DATA_DIR
#
# SPDX-License-Identifier: MIT
set -u
LC_ALL=C
export LC_ALL

report=$1
python=$2
check_png=$3
data=$4
browser=$(command -v chromium || command -v chromium-browser) || {
	echo "chromium is absent: skipped"
	exit 77
}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
failures=0
wrapper=${KITH_TEST_WRAPPER:-${MESON_EXE_WRAPPER:-}}

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

# shoot NAME SIZE: the screenshot of $tmp/NAME.html in $tmp/NAME.png, and the
# page's console messages in $tmp/NAME.console. Its own profile, so that
# nothing is read or left in $HOME; a timeout, so that a hung browser
# fails the test rather than stalling it.
shoot() {
	timeout 60 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
		--user-data-dir="$tmp/profile" --enable-logging=stderr --v=0 \
		--screenshot="$tmp/$1.png" --window-size="$2" \
		"file://$tmp/$1.html" >"$tmp/$1.out" 2>&1
	status=$?
	grep ':CONSOLE' "$tmp/$1.out" >"$tmp/$1.console"
	return $status
}

# The checks, on a page that must fail both.
printf '<!DOCTYPE html><html><body><script>console.error("made to fail")</script></body></html>\n' \
	>"$tmp/control.html"
shoot control 400,300 || fail "chromium failed on the control page: $(tail -3 "$tmp/control.out")"
grep -q 'made to fail' "$tmp/control.console" || fail "the console error of the control page went unseen"
if "$python" "$check_png" "$tmp/control.png" >/dev/null 2>&1; then
	fail "the blank control page's screenshot passes as not blank"
fi

# shellcheck disable=SC2086
$wrapper "$report" "$data/sample.trace" --charter "$data/sample.charter" --quiet \
	--html "$tmp/sample.html" || fail "kith-report --html failed"
shoot sample 1200,2000 || fail "chromium failed on the report: $(tail -3 "$tmp/sample.out")"
if [ -s "$tmp/sample.console" ]; then
	fail "console messages on the report: $(cat "$tmp/sample.console")"
fi
[ -s "$tmp/sample.png" ] || fail "no screenshot of the report"
"$python" "$check_png" "$tmp/sample.png" || fail "the report's screenshot is blank or unreadable"

[ "$failures" -eq 0 ] || exit 1
echo "the HTML report loads in chromium with no console message and is not blank"
