#!/bin/sh
# kith-seeds: a star's centre first, the spread of a sure chain, and bad
# input reported by file, line and column with exit status 2.
#
#   test-seeds-cli.sh KITH_SEEDS
#
# MESON_EXE_WRAPPER, when set, runs the program (a cross build's qemu).
#
# SPDX-License-Identifier: MIT
set -u
LC_ALL=C
export LC_ALL
prog=$1
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
failures=0
wrapper=${KITH_TEST_WRAPPER:-${MESON_EXE_WRAPPER:-}}
fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}
# shellcheck disable=SC2086
run() { $wrapper "$prog" "$@" >"$tmp/out" 2>"$tmp/err"; }

# A star: 3 points at 0, 1, 2, 4, 5, 6 with p = 0.5, and an edge 5 -> 6.
cat >"$tmp/star.txt" <<'G'
# a star around node 3
3 0 0.5
3 1 0.5
3 2 0.5

3 4 0.5
3 5 0.5
3 6 0.5
5 6 0.25
G
for model in ic lt; do
	run --graph "$tmp/star.txt" --k 2 --model $model --seed 7
	[ $? -eq 0 ] || fail "$model: star selection failed: $(cat "$tmp/err")"
	[ "$(sed -n 1p "$tmp/out")" = 3 ] || fail "$model: the star's centre is not first: $(cat "$tmp/out")"
	[ "$(wc -l <"$tmp/out")" -eq 2 ] || fail "$model: not 2 seeds"
	grep -q 'peak memory' "$tmp/err" || fail "$model: no time and memory on stderr"
	cp "$tmp/out" "$tmp/first"
	run --graph "$tmp/star.txt" --k 2 --model $model --seed 7
	cmp -s "$tmp/out" "$tmp/first" || fail "$model: the same seed gave other seeds"
done

# A sure chain 0 -> 1 -> 2 -> 3: node 0 reaches all 4, with no error.
printf '0 1 1\n1 2 1\n2 3 1\n' >"$tmp/chain.txt"
printf '0\n' >"$tmp/seeds.txt"
run --graph "$tmp/chain.txt" --spread "$tmp/seeds.txt" --runs 100
[ "$(cat "$tmp/out")" = "4.0000 0.0000" ] || fail "chain spread: $(cat "$tmp/out") $(cat "$tmp/err")"

# expect_error DESCRIPTION WANT -- ARGS: exit 2 and WANT on stderr.
expect_error() {
	what=$1 want=$2
	shift 3
	run "$@"
	st=$?
	[ $st -eq 2 ] || fail "$what: exit $st, not 2"
	grep -qF -- "$want" "$tmp/err" || fail "$what: stderr lacks '$want': $(cat "$tmp/err")"
}
printf '0 1 0.5\n# fine\n1 x 0.5\n' >"$tmp/bad1.txt"
expect_error "bad target" "bad1.txt:3:3: expected the target node number" -- --graph "$tmp/bad1.txt"
printf '0 1 0.5\n1 2 1.5\n' >"$tmp/bad2.txt"
expect_error "p above 1" "bad2.txt:2:5: the probability is outside [0, 1]" -- --graph "$tmp/bad2.txt"
printf '0 1 0.5 7\n' >"$tmp/bad3.txt"
expect_error "extra field" "bad3.txt:1:9: unexpected text after the probability" -- --graph "$tmp/bad3.txt"
printf '0 1\n' >"$tmp/bad4.txt"
expect_error "no probability" "bad4.txt:1:4: expected the probability" -- --graph "$tmp/bad4.txt"
printf '0 1 abc\n' >"$tmp/bad5.txt"
expect_error "p not a number" "bad5.txt:1:5: the probability is not a number" -- --graph "$tmp/bad5.txt"
expect_error "k above the nodes" "k 9 is above the node count 7" -- --graph "$tmp/star.txt" --k 9
printf '0\n12\n' >"$tmp/badseeds.txt"
expect_error "seed not a node" "badseeds.txt:2:1: seed 12 is not a node (the graph has 4)" -- \
	--graph "$tmp/chain.txt" --spread "$tmp/badseeds.txt"
expect_error "bad model" "--model is ic or lt" -- --graph "$tmp/star.txt" --model xx
printf '0 2 0.7\n1 2 0.6\n' >"$tmp/heavy.txt"
expect_error "LT sums above 1" "node 2: in-edge probabilities sum to 1.3" -- \
	--graph "$tmp/heavy.txt" --model lt --k 1
[ $failures -eq 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
echo "kith-seeds: all checks passed"
