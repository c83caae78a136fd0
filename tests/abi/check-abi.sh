#!/bin/sh
# The ABI gate: compare a built libkith.so.1 with the committed baseline.
#
#   tests/abi/check-abi.sh LIBRARY [BASELINE [MAP]]
#
# LIBRARY is a libkith.so.1 built with debug information (the default
# debugoptimized build has it); BASELINE defaults to tests/abi/libkith.abi,
# MAP to src/libkith.map.
#
# It fails when:
#  - abidiff finds any removed or changed function or variable, or any
#    change it deems incompatible (a parameter type, a public struct's
#    layout, an enumerator's value: every type reachable from the API);
#  - a symbol of the baseline is gone or moved to another version node;
#  - a symbol was added to a version node that the baseline already has
#    (a shipped node never grows: additions go into a node newer than the
#    baseline's newest, declared after it in the map);
#  - a version node the baseline knows is no longer in the map.
# Added symbols in a newer node, and changes abidiff calls harmless (such
# as an enumerator appended to an enum), pass.
#
# SPDX-License-Identifier: MIT
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
lib=${1:?usage: check-abi.sh LIBRARY [BASELINE [MAP]]}
baseline=${2:-$here/libkith.abi}
map=${3:-$root/src/libkith.map}
. "$here/abi-flags.sh"

for tool in abidw abidiff; do
	command -v "$tool" >/dev/null || { echo "check-abi: $tool not found (apt-get install abigail-tools)"; exit 2; }
done
[ -f "$lib" ] || { echo "check-abi: no library at $lib"; exit 2; }
[ -f "$baseline" ] || { echo "check-abi: no baseline at $baseline"; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# The current library, described exactly as the baseline was.
# shellcheck disable=SC2086
abidw $ABI_FLAGS --headers-dir "$root/include" --out-file "$tmp/current.abi" "$lib"

# name version, one per line, for every exported function or variable.
symbols() {
	sed -n "s/.*<elf-symbol name='\([^']*\)' version='\([^']*\)'.*is-defined='yes'.*/\1 \2/p" "$1" | sort -u
}
symbols "$baseline" > "$tmp/base.syms"
symbols "$tmp/current.abi" > "$tmp/cur.syms"
if [ ! -s "$tmp/base.syms" ] || [ ! -s "$tmp/cur.syms" ]; then
	echo "check-abi: no versioned symbols found (was the library linked with its version map?)"
	exit 1
fi

# The map's version nodes, oldest first: a node is newer than those above it.
grep -oE '^[[:space:]]*KITH_[0-9]+(\.[0-9]+)*[[:space:]]*\{' "$map" | tr -d ' \t{' > "$tmp/nodes"
rank() { grep -nx "$1" "$tmp/nodes" | cut -d: -f1; }

failures=0
fail() { echo "ABI: $*"; failures=$((failures + 1)); }

newest=0
for node in $(cut -d' ' -f2 "$tmp/base.syms" | sort -u); do
	r=$(rank "$node")
	if [ -z "$r" ]; then
		fail "the baseline's version node $node is missing from $map"
	elif [ "$r" -gt "$newest" ]; then
		newest=$r
		newest_name=$node
	fi
done

# Symbols of the baseline must all still be there, in their node.
while read -r name version; do
	now=$(awk -v n="$name" '$1 == n {print $2}' "$tmp/cur.syms")
	if [ -z "$now" ]; then
		fail "symbol $name@$version was removed"
	elif [ "$now" != "$version" ]; then
		fail "symbol $name moved from $version to $now"
	fi
done < "$tmp/base.syms"

# Added symbols must be in a node newer than every node of the baseline.
added=0
while read -r name version; do
	grep -q "^$name " "$tmp/base.syms" && continue
	added=$((added + 1))
	r=$(rank "$version")
	if [ -z "$r" ]; then
		fail "added symbol $name@$version: version node not in $map"
	elif [ "$newest" -gt 0 ] && [ "$r" -le "$newest" ]; then
		fail "added symbol $name is in $version, a node the baseline already has" \
		     "(newest: ${newest_name:-?}); put it in a new node declared after it"
	else
		echo "ABI: added $name@$version (a new node: compatible)"
	fi
done < "$tmp/cur.syms"

# Types and signatures: anything abidiff reports beyond additions fails.
set +e
abidiff --no-show-locs "$baseline" "$tmp/current.abi" > "$tmp/report"
rc=$?
set -e
if [ $((rc & 3)) -ne 0 ]; then
	cat "$tmp/report"
	fail "abidiff could not compare (exit $rc)"
elif [ $((rc & 8)) -ne 0 ]; then
	cat "$tmp/report"
	fail "abidiff reports an incompatible change (exit $rc)"
elif [ $((rc & 4)) -ne 0 ]; then
	# Summary lines read "...: N Removed, N Changed (...), N Added ...".
	bad=$(grep -E 'changes summary:' "$tmp/report" |
		grep -E '[1-9][0-9]* Removed|[1-9][0-9]* Changed|[1-9][0-9]* Added variable' || true)
	if [ -n "$bad" ]; then
		cat "$tmp/report"
		fail "abidiff reports removed or changed interfaces"
	else
		echo "ABI: abidiff reports additions only"
	fi
fi

n=$(wc -l < "$tmp/cur.syms")
echo "ABI: $n symbols checked against $(basename "$baseline"), $added added"
if [ "$failures" -eq 0 ]; then
	echo "ABI: compatible with the baseline"
	exit 0
fi
echo "ABI: $failures incompatibilities; see above (README: Releases and the ABI baseline)"
exit 1
