#!/bin/sh
# The symbols libkith.so exports and the globals of src/libkith.map must be
# the same set, every exported symbol must carry a version node, and nothing
# without the kith_ prefix may leave the library.
set -eu
lib=$1
map=$2
tmp=${TMPDIR:-/tmp}/kith-symbols.$$
trap 'rm -f "$tmp".*' EXIT
nm -D --defined-only "$lib" | awk '$2 ~ /^[TDBRVWi]$/ {print $3}' | grep -v '^KITH_' > "$tmp.versioned"
sed 's/@.*//' "$tmp.versioned" | sort -u > "$tmp.exported"
sed -n '/global:/,/local:/p' "$map" | grep -o 'kith_[a-z0-9_]*' | sort -u > "$tmp.map"
status=0
if ! cmp -s "$tmp.exported" "$tmp.map"; then
	echo "exported symbols and $map differ (< exported only, > map only):"
	diff "$tmp.exported" "$tmp.map" || true
	status=1
fi
bad=$(sed 's/@.*//' "$tmp.exported" | grep -v '^kith_' || true)
if [ -n "$bad" ]; then
	echo "symbols without the kith_ prefix are exported: $bad"
	status=1
fi
unversioned=$(grep -v '@@\?KITH_[0-9]' "$tmp.versioned" || true)
if [ -n "$unversioned" ]; then
	echo "exported without a version node: $unversioned"
	status=1
fi
n=$(wc -l < "$tmp.map")
echo "symbols: $n checked"
if [ $status -eq 0 ]; then echo "1 passed, 0 failed"; else echo "0 passed, 1 failed"; fi
exit $status
