#!/bin/sh
# Write tests/abi/libkith.abi, the ABI baseline the CI gate compares with.
# Run it when a release is made (README: "Releases and the ABI baseline"),
# and commit the result with the release.
#
#   tests/abi/update-baseline.sh [LIBRARY]
#
# Without LIBRARY it builds libkith.so.1 afresh with the project's default
# options (gcc, debugoptimized: the flags of CI's build) in a temporary
# directory, so that nothing of a developer's build leaks into the baseline.
#
# SPDX-License-Identifier: MIT
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/abi-flags.sh"
command -v abidw >/dev/null || { echo "update-baseline: abidw not found (apt-get install abigail-tools)"; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
if [ $# -ge 1 ]; then
	lib=$1
else
	meson setup "$tmp/build" "$root" -Dtests=false >/dev/null
	ninja -C "$tmp/build" src/libkith.so.1.0.0 >/dev/null
	lib=$tmp/build/src/libkith.so.1
fi

# shellcheck disable=SC2086
abidw $ABI_FLAGS --headers-dir "$root/include" --out-file "$tmp/raw.abi" "$lib"
abi_normalize "$tmp/raw.abi" > "$here/libkith.abi"
if grep -q "$root\\|$tmp" "$here/libkith.abi"; then
	echo "update-baseline: a machine path is left in the baseline" >&2
	exit 1
fi
n=$(grep -c "<elf-symbol name='kith_" "$here/libkith.abi" || true)
echo "wrote $here/libkith.abi: $n symbols in nodes $(sed -n "s/.*<elf-symbol name='kith_[^']*' version='\([^']*\)'.*/\1/p" "$here/libkith.abi" | sort -u | tr '\n' ' ')"
