/*
 * A guard in front of regcomp for patterns that come from outside.
 *
 * SPDX-License-Identifier: MIT
 */
#include "util/regex-bound.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* libc's regcomp copies the tree of a repeated piece: x{200} holds 200
 * copies of x, and glibc writes x+ as x x*, so (a{200}){200} or a run of
 * +++ costs gigabytes outside the community's allocator (the fuzzer found
 * both). This estimates the size of the expanded tree by the same rules
 * (a group is one node more than the sum of its parts, a repeated piece
 * its size times the largest bound, doubled by +) and refuses more than
 * REGEX_NODES_MAX, or groups nested deeper than REGEX_DEPTH_MAX: regcomp
 * also recurses over the tree, and (((a{0}){200}){200}) overflowed the
 * fuzzer's stack with "only" 40,000 nodes. Bots may run kith on small
 * thread stacks.
 *
 * Copies of a piece that can match the empty string cost glibc memory
 * quadratic in their number, about 8 bytes times its square: (){20101}
 * took 6.4 GB (the rules fuzzer found it), (a*){5000} 200 MB,
 * ((a*){100}){100} 790 MB. Nodes made by repeating such a piece are
 * counted apart and held to REGEX_NULLABLE_NODES_MAX (8 MB or so).
 *
 * Repetition operators stacked on one another (a*+, a+?, a{2}*) are
 * refused outright: POSIX leaves them undefined, and glibc's compile time
 * grows about twentyfold with every two more (x*++++++++++++ took 4.6 s,
 * two more + about 90; the rules fuzzer found it). */
#define REGEX_NODES_MAX 10000
#define REGEX_NULLABLE_NODES_MAX 1000
#define REGEX_DEPTH_MAX 16
#define REGEX_TOO_BIG (REGEX_NODES_MAX + 1)

/* The cost of a pattern so far. */
struct regex_cost {
	uint64_t nullable_nodes; /* nodes made by repeating pieces that match "" */
};

/* Whether an escape matches the empty string: glibc's word and buffer
 * boundaries. */
static bool zero_width_escape(char ch)
{
	return ch == 'b' || ch == 'B' || ch == '<' || ch == '>' || ch == '`' || ch == '\'';
}

/* The size of the sequence from *i to the end or to the ')' closing this
 * depth; *nullable tells whether it can match the empty string. */
static uint64_t regex_size(const char *v, size_t n, size_t *i, int depth, bool *nullable,
                           struct regex_cost *cost)
{
	uint64_t total = 0, last = 0;
	bool repeated = false;      /* the last piece ended with a repetition operator */
	bool prefix_empty = true;   /* the branch's pieces before the last match "" */
	bool last_empty = true;     /* the last piece matches "" (none yet: true) */
	bool any_branch_empty = false;
	while (*i < n) {
		char ch = v[*i];
		if (ch == ')' && depth > 0) {
			(*i)++;
			break;
		}
		bool repeats = ch == '*' || ch == '+' || ch == '?' || ch == '{';
		if (repeats && repeated)
			return REGEX_TOO_BIG;
		repeated = repeats;
		if (ch == '|') {
			(*i)++;
			any_branch_empty |= prefix_empty && last_empty;
			prefix_empty = last_empty = true;
			last = 0;
			total += 1;
			continue;
		}
		uint64_t factor = 1;
		bool atom_empty = false, is_atom = true;
		if (ch == '(') {
			(*i)++;
			uint64_t inner = depth < REGEX_DEPTH_MAX
			                     ? regex_size(v, n, i, depth + 1, &atom_empty, cost)
			                     : REGEX_TOO_BIG;
			if (inner > REGEX_NODES_MAX)
				return REGEX_TOO_BIG;
			prefix_empty &= last_empty;
			last_empty = atom_empty;
			last = inner + 1;
			total += last;
			continue;
		} else if (ch == '\\') {
			atom_empty = *i + 1 < n && zero_width_escape(v[*i + 1]);
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
			last_empty = true; /* the piece stays its size, and may match "" */
			continue;
		} else if (ch == '+') {
			factor = 2;
			is_atom = false;
			(*i)++;
		} else if (ch == '{') {
			uint64_t bound = 0, low = 0, x = 0;
			bool first = true;
			for ((*i)++; *i < n && v[*i] != '}'; (*i)++) {
				if (v[*i] >= '0' && v[*i] <= '9') {
					x = x < 100000 ? x * 10 + (uint64_t)(v[*i] - '0') : x;
				} else {
					if (first)
						low = x;
					first = false;
					bound = x > bound ? x : bound;
					x = 0;
				}
			}
			(*i)++;
			if (first)
				low = x;
			bound = x > bound ? x : bound;
			factor = bound > 1 ? bound : 1;
			last_empty |= low == 0;
			is_atom = false;
		} else {
			atom_empty = ch == '^' || ch == '$';
			(*i)++;
		}
		if (!is_atom) {
			/* The repeated piece is the last one; grow it in place. */
			uint64_t grown = last * factor;
			if (last_empty && factor > 1)
				cost->nullable_nodes += grown;
			total += grown - last;
			last = grown;
		} else {
			prefix_empty &= last_empty;
			last_empty = atom_empty;
			last = 1;
			total += 1;
		}
		if (total > REGEX_NODES_MAX || cost->nullable_nodes > REGEX_NULLABLE_NODES_MAX)
			return REGEX_TOO_BIG;
	}
	*nullable = any_branch_empty || (prefix_empty && last_empty);
	return total;
}

bool kith_regex_bounded(const char *v, size_t n)
{
	size_t i = 0;
	bool nullable;
	struct regex_cost cost = {0};
	return regex_size(v, n, &i, 0, &nullable, &cost) <= REGEX_NODES_MAX &&
	       cost.nullable_nodes <= REGEX_NULLABLE_NODES_MAX;
}
