/*
 * A guard in front of regcomp for patterns that come from outside.
 *
 * SPDX-License-Identifier: MIT
 */
#include "kith-private.h"

/* libc's regcomp copies the tree of a repeated piece: x{200} holds 200
 * copies of x, and glibc writes x+ as x x*, so (a{200}){200} or a run of
 * +++ costs gigabytes outside the community's allocator (the fuzzer found
 * both). This estimates the size of the expanded tree by the same rules
 * (a group is the sum of its parts, a repeated piece its size times the
 * largest bound, doubled by +) and refuses more than REGEX_NODES_MAX, or
 * groups nested deeper than REGEX_DEPTH_MAX: regcomp also recurses over
 * the tree, and (((a{0}){200}){200}) overflowed the fuzzer's stack with
 * "only" 40,000 nodes. Bots may run kith on small thread stacks.
 *
 * Repetition operators stacked on one another (a*+, a+?, a{2}*) are
 * refused outright: POSIX leaves them undefined, and glibc's compile time
 * grows about twentyfold with every two more (x*++++++++++++ took 4.6 s,
 * two more + about 90; the rules fuzzer found it). */
#define REGEX_NODES_MAX 10000
#define REGEX_DEPTH_MAX 16

static uint64_t regex_size(const char *v, size_t n, size_t *i, int depth)
{
	uint64_t total = 0, last = 0;
	bool repeated = false; /* the last piece ended with a repetition operator */
	while (*i < n) {
		char ch = v[*i];
		if (ch == ')' && depth > 0) {
			(*i)++;
			break;
		}
		bool repeats = ch == '*' || ch == '+' || ch == '?' || ch == '{';
		if (repeats && repeated)
			return REGEX_NODES_MAX + 1;
		repeated = repeats;
		uint64_t atom = 1, factor = 1;
		if (ch == '(') {
			(*i)++;
			atom = depth < REGEX_DEPTH_MAX ? regex_size(v, n, i, depth + 1) : REGEX_NODES_MAX + 1;
			last = atom;
			total += atom;
			continue;
		} else if (ch == '\\') {
			*i += 2;
		} else if (ch == '[') {
			size_t k = *i + 1;
			k += k < n && v[k] == '^';
			k += k < n && v[k] == ']';
			while (k < n && v[k] != ']')
				k++;
			*i = k + 1;
		} else if (ch == '*' || ch == '?') {
			(*i)++;
			continue; /* the piece stays its size */
		} else if (ch == '+') {
			factor = 2;
			(*i)++;
		} else if (ch == '{') {
			uint64_t bound = 0, x = 0;
			for ((*i)++; *i < n && v[*i] != '}'; (*i)++) {
				if (v[*i] >= '0' && v[*i] <= '9')
					x = x < 100000 ? x * 10 + (uint64_t)(v[*i] - '0') : x;
				else {
					bound = x > bound ? x : bound;
					x = 0;
				}
			}
			(*i)++;
			bound = x > bound ? x : bound;
			factor = bound > 1 ? bound : 1;
		} else {
			(*i)++;
		}
		if (factor > 1) {
			/* The repeated piece is the last one; grow it in place. */
			uint64_t grown = last * factor;
			total += grown - last;
			last = grown;
		} else {
			last = atom;
			total += atom;
		}
		if (total > REGEX_NODES_MAX)
			return REGEX_NODES_MAX + 1;
	}
	return total;
}

bool kith_regex_bounded(const char *v, size_t n)
{
	size_t i = 0;
	return regex_size(v, n, &i, 0) <= REGEX_NODES_MAX;
}

