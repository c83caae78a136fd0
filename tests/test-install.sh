#!/bin/sh
# Installed into a prefix of its own, kith works without LD_LIBRARY_PATH:
# the installed kith-report runs, and a program built with
# `pkg-config --cflags --libs kith` links and runs.
#   test-install.sh SOURCE_ROOT CC
set -u
root=$1
cc=$2
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
command -v pkg-config > /dev/null || { echo "no pkg-config: skipped"; exit 77; }
unset LD_LIBRARY_PATH

# A release build of the library and its programs only: the tests and
# benchmarks have nothing to install.
if ! meson setup "$tmp/build" "$root" --prefix="$tmp/prefix" --buildtype=release -Dtests=false \
	> "$tmp/setup.log" 2>&1; then
	cat "$tmp/setup.log"
	exit 1
fi
if ! meson install -C "$tmp/build" > "$tmp/install.log" 2>&1; then
	cat "$tmp/install.log"
	exit 1
fi

status=0
# The installed kith-report over its bundled sample.
if ! "$tmp/prefix/bin/kith-report" > "$tmp/report.txt" 2> "$tmp/report.err"; then
	echo "the installed kith-report failed:"
	cat "$tmp/report.err"
	status=1
elif ! grep -q 'HEALTH' "$tmp/report.txt"; then
	echo "the installed kith-report printed no HEALTH section"
	status=1
fi

# The schema of kith-report --json beside the other shared data.
if ! cmp -s "$tmp/prefix/share/kith/report.schema.json" "$root/examples/kith-report/report.schema.json"; then
	echo "the installed share/kith/report.schema.json is missing or differs"
	status=1
fi

# A program built as the README says.
pc=$(dirname "$(find "$tmp/prefix" -name kith.pc | head -n 1)")
cat > "$tmp/hello.c" << 'PROG'
#include <kith.h>
#include <stdio.h>
int main(void)
{
	kith_community *c;
	if (kith_community_new(&c) != KITH_OK)
		return 1;
	printf("kith %s\n", kith_version());
	kith_community_free(c);
	return 0;
}
PROG
if ! $cc "$tmp/hello.c" -o "$tmp/hello" $(PKG_CONFIG_PATH=$pc pkg-config --cflags --libs kith) \
	2> "$tmp/cc.err"; then
	echo "a program could not be built with pkg-config:"
	cat "$tmp/cc.err"
	status=1
elif ! "$tmp/hello" > "$tmp/hello.out" 2>&1; then
	echo "a program built with pkg-config did not run:"
	cat "$tmp/hello.out"
	status=1
fi
[ "$status" -eq 0 ] && echo "installed kith-report and a pkg-config program run: $(cat "$tmp/hello.out")"
exit "$status"
