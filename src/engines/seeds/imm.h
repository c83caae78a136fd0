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


#endif /* KITH_SEEDS_IMM_H */
