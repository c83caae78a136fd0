#!/bin/sh
# Every private header of src/ compiles alone, as the first and only
# include of a translation unit: it includes what it uses.
#   check-private-headers.sh SOURCE_ROOT CC [CC_ARGS...]
set -u
root=$1
shift
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
status=0
count=0
for h in $(cd "$root/src" && find . -name '*.h' | sed 's|^\./||' | sort); do
	printf '#include "%s"\n' "$h" > "$tmp/alone.c"
	if ! "$@" -std=c11 -D_POSIX_C_SOURCE=200809L -DKITH_BUILDING_LIBRARY -Wall -Wextra \
		-Wpedantic -Werror -I"$root/include" -I"$root/src" -fsyntax-only "$tmp/alone.c" \
		2> "$tmp/err"; then
		echo "src/$h does not compile alone:"
		cat "$tmp/err"
		status=1
	fi
	count=$((count + 1))
done
[ "$status" -eq 0 ] && echo "$count private headers compile alone"
exit "$status"
