/*
 * The influence graph: its edges as given, and the index that selection
 * and simulation walk (both directions as compressed rows).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_SEEDS_GRAPH_H
#define KITH_SEEDS_GRAPH_H

#include "engines/seeds/live.h"
#include "kith.h"
#include "util/compiler.h"
#include "util/memory.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kith_seeds_graph {
	struct kith_mem mem;
	uint32_t n;
	kith_seeds_bounds bounds; /* of the next selection */
	/* The edges as added; thresholds in units of 2^-53 (util/random.h). */
	uint32_t *src, *dst;
	uint64_t *thr;
	size_t m, cap_src, cap_dst, cap_thr;
	/* The index, rebuilt when edges were added since (dirty). In-edges of
	 * v are in_src[in_off[v] .. in_off[v + 1]) with their thresholds in
	 * in_thr, in the order they were added; out-edges likewise. */
	bool dirty;
	size_t im; /* edges in the index */
	uint32_t *in_off, *in_src;
	uint64_t *in_thr;
	uint32_t *out_off, *out_dst;
	uint64_t *out_thr;
	/* How each node's live in-edges are drawn (live.h). */
	struct kith_seeds_live live;
	/* The first node whose in-edges sum above 1 + 1e-4 (LT refuses
	 * it), or UINT32_MAX; and that sum. */
	uint32_t lt_bad;
	double lt_bad_sum;
	char error[256];
};

/* Set the graph's last error and return st. */
kith_status kith_seeds_graph_fail(kith_seeds_graph *g, kith_status st, const char *fmt, ...)
        KITH_PRINTF(3, 4);
/* KITH_OK if model is known and the graph suits it (index built). */
kith_status kith_seeds_graph_check_model(kith_seeds_graph *g, kith_seeds_model model);

#endif /* KITH_SEEDS_GRAPH_H */
