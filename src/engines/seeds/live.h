/*
 * Drawing a node's live in-edges without a draw per edge.
 *
 * Under IC each in-edge of a node is live on its own coin. When every
 * in-edge of the node has the same probability p, as under the weighted
 * cascade (p = 1 / in-degree) or a constant probability, the number L of
 * live edges among the node's d is Binomial(d, p), and given L the live
 * edges are L distinct ones chosen uniformly. So one draw against the
 * cumulative table of Binomial(d, p) gives L, and L more draws choose
 * the edges: about 1 + d p draws instead of d (SUBSIM, Guo, Wang, Wei,
 * Chen, SIGMOD 2020, samples such rows by geometric skips; the table
 * does the same with integer comparisons only, so that the draws are
 * the same on every platform). Under the weighted cascade d p = 1.
 *
 * Under LT a node keeps at most one live in-edge, edge i with its
 * weight; with equal weights t the draw x picks edge x / t directly.
 *
 * A table is kept for each distinct (d, p) among such rows, shared by
 * every node with that pair; a node costs 4 bytes (its row's kind).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_SEEDS_LIVE_H
#define KITH_SEEDS_LIVE_H

#include "kith.h"
#include "util/memory.h"
#include "util/random.h"

#include <stddef.h>
#include <stdint.h>

/* A node's kind: the offset of its row's binomial table in cdf, or one
 * of these. */
#define KITH_LIVE_MIXED   UINT32_MAX       /* probabilities differ: a draw per edge */
#define KITH_LIVE_UNIFORM (UINT32_MAX - 1) /* all equal, too few edges for a table */
#define KITH_LIVE_TABLE_MAX 64              /* the longest table (values of L) */

/* How each node's live in-edges are drawn: kind per node, and the
 * binomial tables it points into. */
struct kith_seeds_live {
	uint32_t *kind;
	uint64_t *cdf;
	size_t len, cap;
};

/* Build live for n nodes whose in-edges are rows in_off[v] .. in_off[v +
 * 1) of the thresholds in_thr. KITH_OK or KITH_ENOMEM (live then empty). */
kith_status kith_seeds_live_build(struct kith_seeds_live *live, const struct kith_mem *mem,
                                  uint32_t n, const uint32_t *in_off, const uint64_t *in_thr);
/* Free what live holds and empty it. */
void kith_seeds_live_free(struct kith_seeds_live *live, const struct kith_mem *mem, uint32_t n);

/* The number of live in-edges of a node whose row has a table at
 * offset at: the first L with x < cdf[at + L]. The table ends with
 * KITH_RANDOM_ONE, above every 53-bit draw. */
static inline uint32_t kith_seeds_live_count(const uint64_t *cdf, uint32_t at,
                                             struct kith_random *r)
{
	uint64_t x = kith_random_53(r);
	uint32_t l = 0;
	while (x >= cdf[at + l])
		l++;
	return l;
}

#endif /* KITH_SEEDS_LIVE_H */
