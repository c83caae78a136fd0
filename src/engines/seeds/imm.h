/*
 * Reverse-reachable sets and IMM's selection over them.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_SEEDS_IMM_H
#define KITH_SEEDS_IMM_H

#include "engines/seeds/graph.h"
#include "util/random.h"

#include <stddef.h>
#include <stdint.h>

struct kith_seeds_selection {
	struct kith_mem mem;
	size_t k;
	uint32_t *nodes;
	double *gain;
	double estimate;
	size_t samples;
	kith_seeds_model model;
	kith_seeds_bounds bounds;
	double epsilon;
	uint64_t seed;
};

/* RR sets, flat: set i is nodes[off[i] .. off[i + 1]). */
struct kith_rrsets {
	uint32_t *nodes;
	size_t len, cap;
	size_t *off; /* count + 1 entries */
	size_t count, off_cap;
};

void kith_rrsets_fini(const struct kith_mem *mem, struct kith_rrsets *rr);

/* The RR sets the graph's bounds call for to select k seeds (1 .. node
 * count) under model with slack epsilon, sampled from seed: what
 * kith_seeds_graph_select covers, handed over instead (free with
 * kith_rrsets_fini) so that a caller can cover them with an objective
 * of its own. On failure *out is empty and the graph's last error says why. */
kith_status kith_seeds_sample_for(kith_seeds_graph *g, uint32_t k, kith_seeds_model model,
                                  double epsilon, uint64_t seed, struct kith_rrsets *out);

#endif /* KITH_SEEDS_IMM_H */
