/*
 * The influence graph: creation, edges with their validation, the index
 * and the Monte-Carlo spread estimator.
 *
 * SPDX-License-Identifier: MIT
 */
#include "engines/seeds/graph.h"

#include "engines/seeds/live.h"

#include "util/random.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* LT forgives in-edge sums this far above 1 (probabilities written with a
 * few digits, like 1/3 as 0.333334) and cuts them at 1. */
#define LT_SLACK 1e-4

const char *kith_seeds_model_name(kith_seeds_model model)
{
	switch (model) {
	case KITH_SEEDS_IC: return "ic";
	case KITH_SEEDS_LT: return "lt";
	}
	return "unknown";
}

kith_status kith_seeds_graph_fail(kith_seeds_graph *g, kith_status st, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(g->error, sizeof g->error, fmt, ap);
	va_end(ap);
	return st;
}

kith_status kith_seeds_graph_new_with_allocator(kith_seeds_graph **out, uint32_t nodes,
                                                kith_alloc_fn alloc, void *payload)
{
	if (!out)
		return KITH_EINVAL;
	*out = NULL;
	if (!alloc)
		return KITH_EINVAL;
	if (nodes == 0 || nodes == UINT32_MAX)
		return KITH_ERANGE;
	struct kith_mem mem = {alloc, payload};
	kith_seeds_graph *g = kith_mem_calloc(&mem, 1, sizeof *g);
	if (!g)
		return KITH_ENOMEM;
	g->mem = mem;
	g->n = nodes;
	g->bounds = KITH_SEEDS_BOUNDS_ONLINE;
	g->dirty = true;
	g->lt_bad = UINT32_MAX;
	*out = g;
	return KITH_OK;
}

kith_status kith_seeds_graph_new(kith_seeds_graph **out, uint32_t nodes)
{
	return kith_seeds_graph_new_with_allocator(out, nodes, kith_mem_libc, NULL);
}

static void free_index(kith_seeds_graph *g)
{
	size_t n1 = (size_t)g->n + 1;
	kith_mem_free(&g->mem, g->in_off, n1 * sizeof *g->in_off);
	kith_mem_free(&g->mem, g->in_src, g->im * sizeof *g->in_src);
	kith_mem_free(&g->mem, g->in_thr, g->im * sizeof *g->in_thr);
	kith_mem_free(&g->mem, g->out_off, n1 * sizeof *g->out_off);
	kith_mem_free(&g->mem, g->out_dst, g->im * sizeof *g->out_dst);
	kith_mem_free(&g->mem, g->out_thr, g->im * sizeof *g->out_thr);
	g->in_off = g->in_src = g->out_off = g->out_dst = NULL;
	g->in_thr = g->out_thr = NULL;
	kith_seeds_live_free(&g->live, &g->mem, g->n);
	g->dirty = true;
}

void kith_seeds_graph_free(kith_seeds_graph *g)
{
	if (!g)
		return;
	free_index(g);
	kith_mem_free(&g->mem, g->src, g->cap_src * sizeof *g->src);
	kith_mem_free(&g->mem, g->dst, g->cap_dst * sizeof *g->dst);
	kith_mem_free(&g->mem, g->thr, g->cap_thr * sizeof *g->thr);
	struct kith_mem mem = g->mem;
	kith_mem_free(&mem, g, sizeof *g);
}

uint32_t kith_seeds_graph_node_count(const kith_seeds_graph *g)
{
	return g ? g->n : 0;
}

size_t kith_seeds_graph_edge_count(const kith_seeds_graph *g)
{
	return g ? g->m : 0;
}

const char *kith_seeds_graph_last_error(const kith_seeds_graph *g)
{
	return g ? g->error : "";
}

/* Grow the three edge arrays; each keeps its own capacity, so a failure
 * half-way leaves every array valid and the edges unchanged. */
static bool grow_edges(kith_seeds_graph *g, size_t need)
{
	return kith_mem_grow(&g->mem, (void **)&g->src, &g->cap_src, need, sizeof *g->src) &&
	       kith_mem_grow(&g->mem, (void **)&g->dst, &g->cap_dst, need, sizeof *g->dst) &&
	       kith_mem_grow(&g->mem, (void **)&g->thr, &g->cap_thr, need, sizeof *g->thr);
}

kith_status kith_seeds_graph_add_edges(kith_seeds_graph *g, size_t count, const uint32_t *sources,
                                       const uint32_t *targets, const double *probabilities)
{
	if (!g)
		return KITH_EINVAL;
	if (count == 0)
		return KITH_OK;
	if (!sources || !targets || !probabilities)
		return kith_seeds_graph_fail(g, KITH_EINVAL, "%s is NULL",
		                             !sources   ? "sources"
		                             : !targets ? "targets"
		                                        : "probabilities");
	for (size_t i = 0; i < count; i++) {
		if (sources[i] >= g->n)
			return kith_seeds_graph_fail(
			        g, KITH_ERANGE,
			        "edge %zu: source %lu is not a node (the graph has %lu)", i,
			        (unsigned long)sources[i], (unsigned long)g->n);
		if (targets[i] >= g->n)
			return kith_seeds_graph_fail(
			        g, KITH_ERANGE,
			        "edge %zu: target %lu is not a node (the graph has %lu)", i,
			        (unsigned long)targets[i], (unsigned long)g->n);
		double p = probabilities[i];
		if (!(p >= 0 && p <= 1))
			return kith_seeds_graph_fail(
			        g, KITH_ERANGE,
			        "edge %zu (%lu -> %lu): probability %g is outside [0, 1]", i,
			        (unsigned long)sources[i], (unsigned long)targets[i], p);
	}
	if (count > (size_t)UINT32_MAX - g->m)
		return kith_seeds_graph_fail(g, KITH_ELIMIT, "more than %lu edges",
		                             (unsigned long)UINT32_MAX);
	if (!grow_edges(g, g->m + count))
		return kith_seeds_graph_fail(g, KITH_ENOMEM, "out of memory adding %zu edges",
		                             count);
	free_index(g);
	for (size_t i = 0; i < count; i++) {
		g->src[g->m + i] = sources[i];
		g->dst[g->m + i] = targets[i];
		g->thr[g->m + i] = kith_random_threshold(probabilities[i]);
	}
	g->m += count;
	return KITH_OK;
}

/* Counting sort of the edges by key (targets for in-rows, sources for
 * out-rows), stable so that the rows keep the order edges were added. */
static void fill_rows(const kith_seeds_graph *g, const uint32_t *key, uint32_t *off,
                      uint32_t *slot_of_edge)
{
	memset(off, 0, ((size_t)g->n + 1) * sizeof *off);
	for (size_t e = 0; e < g->m; e++)
		off[key[e] + 1]++;
	for (uint32_t v = 0; v < g->n; v++)
		off[v + 1] += off[v];
	for (size_t e = 0; e < g->m; e++)
		slot_of_edge[e] = off[key[e]]++;
	/* off[v] now holds row v's end: shift back to starts. */
	for (uint32_t v = g->n; v > 0; v--)
		off[v] = off[v - 1];
	off[0] = 0;
}

/* Build the index if edges changed. KITH_OK or KITH_ENOMEM (message set). */
static kith_status kith_seeds_graph_index(kith_seeds_graph *g)
{
	if (!g->dirty)
		return KITH_OK;
	size_t n1 = (size_t)g->n + 1, m = g->m;
	struct kith_mem *mem = &g->mem;
	uint32_t *slot = kith_mem_alloc_array(mem, (m ? m : 1), sizeof *slot);
	g->in_off = kith_mem_alloc_array(mem, n1, sizeof *g->in_off);
	g->in_src = kith_mem_alloc_array(mem, m, sizeof *g->in_src);
	g->in_thr = kith_mem_alloc_array(mem, m, sizeof *g->in_thr);
	g->out_off = kith_mem_alloc_array(mem, n1, sizeof *g->out_off);
	g->out_dst = kith_mem_alloc_array(mem, m, sizeof *g->out_dst);
	g->out_thr = kith_mem_alloc_array(mem, m, sizeof *g->out_thr);
	g->im = m;
	if (!slot || !g->in_off || !g->out_off ||
	    (m && (!g->in_src || !g->in_thr || !g->out_dst || !g->out_thr))) {
		kith_mem_free(mem, slot, (m ? m : 1) * sizeof *slot);
		free_index(g);
		return kith_seeds_graph_fail(g, KITH_ENOMEM, "out of memory indexing %zu edges", m);
	}
	fill_rows(g, g->dst, g->in_off, slot);
	for (size_t e = 0; e < m; e++) {
		g->in_src[slot[e]] = g->src[e];
		g->in_thr[slot[e]] = g->thr[e];
	}
	fill_rows(g, g->src, g->out_off, slot);
	for (size_t e = 0; e < m; e++) {
		g->out_dst[slot[e]] = g->dst[e];
		g->out_thr[slot[e]] = g->thr[e];
	}
	kith_mem_free(mem, slot, (m ? m : 1) * sizeof *slot);
	/* The first in-row above 1 + slack is remembered for LT's refusal;
	 * LT cuts the others at 1 as it walks them. */
	g->lt_bad = UINT32_MAX;
	for (uint32_t v = 0; v < g->n; v++) {
		double exact = 0;
		for (uint32_t e = g->in_off[v]; e < g->in_off[v + 1]; e++)
			exact += (double)g->in_thr[e] / (double)KITH_RANDOM_ONE;
		if (exact > 1 + LT_SLACK && g->lt_bad == UINT32_MAX) {
			g->lt_bad = v;
			g->lt_bad_sum = exact;
		}
	}
	if (kith_seeds_live_build(&g->live, mem, g->n, g->in_off, g->in_thr) != KITH_OK) {
		free_index(g);
		return kith_seeds_graph_fail(g, KITH_ENOMEM, "out of memory indexing %zu edges", m);
	}
	g->dirty = false;
	return KITH_OK;
}

kith_status kith_seeds_graph_check_model(kith_seeds_graph *g, kith_seeds_model model)
{
	if (model != KITH_SEEDS_IC && model != KITH_SEEDS_LT)
		return kith_seeds_graph_fail(g, KITH_EINVAL, "unknown model %d", (int)model);
	kith_status st = kith_seeds_graph_index(g);
	if (st != KITH_OK)
		return st;
	if (model == KITH_SEEDS_LT && g->lt_bad != UINT32_MAX)
		return kith_seeds_graph_fail(
		        g, KITH_ERANGE,
		        "node %lu: in-edge probabilities sum to %.6g, above 1 (linear threshold)",
		        (unsigned long)g->lt_bad, g->lt_bad_sum);
	return KITH_OK;
}

/* ---- Monte-Carlo spread -------------------------------------------------------- */

/* Scratch of one simulation: stamps say "touched in run r" so that no
 * array is cleared between runs. */
struct sim {
	uint32_t *active;  /* run stamp when active */
	uint32_t *touched; /* run stamp when the LT threshold was drawn */
	uint64_t *acc;     /* LT: weight of active in-neighbours */
	uint64_t *theta;   /* LT: threshold in (0, 2^53] */
	uint32_t *queue;
};

/* Mark the seeds active in this run and queue each once; returns how
 * many were queued (repeated seeds count once). */
static uint32_t start(struct sim *s, uint32_t run, const uint32_t *seeds, size_t count)
{
	uint32_t tail = 0;
	for (size_t i = 0; i < count; i++)
		if (s->active[seeds[i]] != run) {
			s->active[seeds[i]] = run;
			s->queue[tail++] = seeds[i];
		}
	return tail;
}

static uint32_t simulate_ic(const kith_seeds_graph *g, struct sim *s, uint32_t run,
                            const uint32_t *seeds, size_t count, struct kith_random *r)
{
	uint32_t head = 0, tail = start(s, run, seeds, count);
	while (head < tail) {
		uint32_t u = s->queue[head++];
		for (uint32_t e = g->out_off[u]; e < g->out_off[u + 1]; e++) {
			uint32_t v = g->out_dst[e];
			if (s->active[v] == run)
				continue;
			if (kith_random_53(r) < g->out_thr[e]) {
				s->active[v] = run;
				s->queue[tail++] = v;
			}
		}
	}
	return tail;
}

static uint32_t simulate_lt(const kith_seeds_graph *g, struct sim *s, uint32_t run,
                            const uint32_t *seeds, size_t count, struct kith_random *r)
{
	uint32_t head = 0, tail = start(s, run, seeds, count);
	while (head < tail) {
		uint32_t u = s->queue[head++];
		for (uint32_t e = g->out_off[u]; e < g->out_off[u + 1]; e++) {
			uint32_t v = g->out_dst[e];
			if (s->active[v] == run)
				continue;
			if (s->touched[v] != run) {
				s->touched[v] = run;
				s->acc[v] = 0;
				s->theta[v] = kith_random_53(r) + 1;
			}
			s->acc[v] += g->out_thr[e];
			if (s->acc[v] >= s->theta[v]) {
				s->active[v] = run;
				s->queue[tail++] = v;
			}
		}
	}
	return tail;
}

kith_status kith_seeds_graph_spread(kith_seeds_graph *g, const uint32_t *seeds, size_t count,
                                    kith_seeds_model model, uint32_t runs, uint64_t seed,
                                    double *mean, double *std_error)
{
	if (!g)
		return KITH_EINVAL;
	if (!seeds && count)
		return kith_seeds_graph_fail(g, KITH_EINVAL, "seeds is NULL");
	kith_status st = kith_seeds_graph_check_model(g, model);
	if (st != KITH_OK)
		return st;
	/* Runs are numbered from 1 as the marks of the nodes they reach, so
	 * the last number must not wrap to 0, the mark of no run. */
	if (runs < 2 || runs == UINT32_MAX)
		return kith_seeds_graph_fail(g, KITH_ERANGE,
		                             "runs %lu: from 2 to 4294967294 are possible",
		                             (unsigned long)runs);
	for (size_t i = 0; i < count; i++)
		if (seeds[i] >= g->n)
			return kith_seeds_graph_fail(
			        g, KITH_ERANGE, "seed %zu: %lu is not a node (the graph has %lu)",
			        i, (unsigned long)seeds[i], (unsigned long)g->n);
	size_t n = g->n;
	bool lt = model == KITH_SEEDS_LT;
	struct sim s = {0};
	s.active = kith_mem_calloc(&g->mem, n, sizeof *s.active);
	s.queue = kith_mem_alloc_array(&g->mem, n, sizeof *s.queue);
	if (lt) {
		s.touched = kith_mem_calloc(&g->mem, n, sizeof *s.touched);
		s.acc = kith_mem_alloc_array(&g->mem, n, sizeof *s.acc);
		s.theta = kith_mem_alloc_array(&g->mem, n, sizeof *s.theta);
	}
	if (!s.active || !s.queue || (lt && (!s.touched || !s.acc || !s.theta))) {
		st = kith_seeds_graph_fail(g, KITH_ENOMEM, "out of memory simulating");
		goto out;
	}
	struct kith_random r;
	kith_random_seed(&r, seed);
	/* Integer sums: exact, so the mean does not depend on the order of
	 * anything. Squares are summed in a double, in run order. */
	uint64_t sum = 0;
	double sumsq = 0;
	for (uint32_t run = 1; run <= runs; run++) {
		uint32_t a = lt ? simulate_lt(g, &s, run, seeds, count, &r)
		                : simulate_ic(g, &s, run, seeds, count, &r);
		sum += a;
		sumsq += (double)a * (double)a;
	}
	double mu = (double)sum / runs;
	double var = (sumsq - (double)sum * mu) / (runs - 1);
	if (var < 0)
		var = 0;
	if (mean)
		*mean = mu;
	if (std_error)
		*std_error = sqrt(var / runs);
out:
	kith_mem_free(&g->mem, s.active, n * sizeof *s.active);
	kith_mem_free(&g->mem, s.queue, n * sizeof *s.queue);
	kith_mem_free(&g->mem, s.touched, n * sizeof *s.touched);
	kith_mem_free(&g->mem, s.acc, n * sizeof *s.acc);
	kith_mem_free(&g->mem, s.theta, n * sizeof *s.theta);
	return st;
}
