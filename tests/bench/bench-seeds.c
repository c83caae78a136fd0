/*
 * Benchmark of influence maximisation (include/kith/seeds.h) on the
 * public graphs of ../shared/data/graphs (NetHEPT, wiki-Vote,
 * email-Eu-core; weighted-cascade probabilities, 1 / in-degree), for IC
 * and LT at k = 50 and epsilon = 0.1, the setting of issue 14's table.
 *
 * Every seed set is scored by the Monte-Carlo estimator, 10,000 runs with
 * a fixed master seed, never by the selector's own estimate. Beside it,
 * the degree-discount heuristic (Chen, Wang, Yang, KDD 2009) with p the
 * graph's mean edge probability, scored the same way, so the gain of the
 * sampling shows side by side.
 *
 * Prints "kith-bench<TAB>seeds-<graph>-<ic|lt><TAB>metric<TAB>value<TAB>unit"
 * lines for the default selector (the online bounds): spread,
 * spread_stderr, seconds (selection only, the best of three runs),
 * samples (RR sets), peak_bytes (the most bytes the library held at
 * once, counted through its allocator); the same with IMM's bounds as
 * imm_bounds_spread, imm_bounds_spread_stderr, imm_bounds_seconds,
 * imm_bounds_samples and imm_bounds_peak_bytes; ratio_vs_imm_bounds,
 * IMM-bounds seconds over the selector's (above 1: the selector is
 * faster); dd_spread; and the selector's spread, seconds and peak as
 * shares of the reference IMM code's figures in issue 14
 * (spread_share_of_reference, target at least 0.995;
 * seconds_share_of_reference, target at most 0.1; peak_share_of_reference,
 * below 1), measured elsewhere, so a guide only. Without KITH_SHARED_DATA
 * (or without the graphs there) it says it skipped.
 *
 * SPDX-License-Identifier: MIT
 */
#include <kith.h>

#include "benchutil.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define K           50
#define EPSILON     0.1
#define RUNS        10000
#define SELECT_SEED 1
#define SCORE_SEED  20151231

struct counter {
	size_t now, peak;
};

static void *counting_alloc(void *ptr, size_t old_size, size_t new_size, void *payload)
{
	struct counter *c = payload;
	if (new_size == 0) {
		free(ptr);
		c->now -= ptr ? old_size : 0;
		return NULL;
	}
	void *q = realloc(ptr, new_size);
	if (q) {
		c->now = c->now - (ptr ? old_size : 0) + new_size;
		if (c->now > c->peak)
			c->peak = c->now;
	}
	return q;
}

struct edges {
	uint32_t *src, *dst;
	double *p;
	size_t m;
	uint32_t n;
};

static int read_edges(const char *path, struct edges *e)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	size_t cap = 1 << 16;
	e->src = xmalloc(cap * sizeof *e->src);
	e->dst = xmalloc(cap * sizeof *e->dst);
	e->p = xmalloc(cap * sizeof *e->p);
	e->m = 0;
	e->n = 0;
	char line[256];
	while (fgets(line, sizeof line, f)) {
		unsigned long u, v;
		double p;
		if (line[0] == '#' || sscanf(line, "%lu %lu %lf", &u, &v, &p) != 3)
			continue;
		if (e->m == cap) {
			cap *= 2;
			e->src = realloc(e->src, cap * sizeof *e->src);
			e->dst = realloc(e->dst, cap * sizeof *e->dst);
			e->p = realloc(e->p, cap * sizeof *e->p);
			if (!e->src || !e->dst || !e->p) {
				fprintf(stderr, "%s: out of memory\n", bench_program);
				exit(1);
			}
		}
		e->src[e->m] = (uint32_t)u;
		e->dst[e->m] = (uint32_t)v;
		e->p[e->m] = p;
		e->m++;
		if (u + 1 > e->n)
			e->n = (uint32_t)u + 1;
		if (v + 1 > e->n)
			e->n = (uint32_t)v + 1;
	}
	fclose(f);
	return 1;
}

/* Degree discount: take the node of the highest discounted degree,
 * d - 2t - (d - t) t p, d its out-degree and t the number of chosen
 * nodes pointing at it (the paper's graph is undirected). Ties go to
 * the lowest node. */
static void degree_discount(const struct edges *e, uint32_t k, uint32_t *out)
{
	double p = 0;
	for (size_t i = 0; i < e->m; i++)
		p += e->p[i];
	p /= (double)e->m;
	size_t n1 = (size_t)e->n + 1;
	uint32_t *t = calloc(e->n, sizeof *t), *out_dst = xmalloc(e->m * sizeof *out_dst);
	unsigned char *chosen = calloc(e->n, 1);
	size_t *off = calloc(n1, sizeof *off), *pos = xmalloc(n1 * sizeof *pos);
	if (!t || !chosen || !off) {
		fprintf(stderr, "%s: out of memory\n", bench_program);
		exit(1);
	}
	for (size_t i = 0; i < e->m; i++)
		off[e->src[i] + 1]++;
	for (uint32_t v = 0; v < e->n; v++)
		off[v + 1] += off[v];
	memcpy(pos, off, n1 * sizeof *pos);
	for (size_t i = 0; i < e->m; i++)
		out_dst[pos[e->src[i]]++] = e->dst[i];
	for (uint32_t j = 0; j < k; j++) {
		double best = -1e300;
		uint32_t arg = 0;
		for (uint32_t v = 0; v < e->n; v++) {
			if (chosen[v])
				continue;
			double d = (double)(off[v + 1] - off[v]), tv = t[v];
			double dd = d - 2 * tv - (d - tv) * tv * p;
			if (dd > best) {
				best = dd;
				arg = v;
			}
		}
		out[j] = arg;
		chosen[arg] = 1;
		for (size_t i = off[arg]; i < off[arg + 1]; i++)
			t[out_dst[i]]++;
	}
	free(t), free(out_dst), free(chosen), free(off), free(pos);
}

/* The reference IMM code's figures from issue 14 (epsilon 0.1, k = 50,
 * one thread, scored by 10,000 Monte-Carlo runs, peak RSS of the IC
 * run), measured once on a machine like ours: not a peer run here, so
 * their shares are a guide beside the ratio measured in this run. */
struct reference {
	const char *graph;
	kith_seeds_model model;
	double spread, seconds, peak_bytes;
};

static const struct reference references[] = {
        {"nethept", KITH_SEEDS_IC, 964.2, 0.91, 95.0 * 1048576},
        {"nethept", KITH_SEEDS_LT, 1305.1, 0.45, 95.0 * 1048576},
        {"wiki-vote", KITH_SEEDS_IC, 673.6, 0.33, 53.0 * 1048576},
        {"wiki-vote", KITH_SEEDS_LT, 847.8, 0.20, 53.0 * 1048576},
        {"email-eu-core", KITH_SEEDS_IC, 481.2, 0.38, 19.0 * 1048576},
        {"email-eu-core", KITH_SEEDS_LT, 870.0, 0.15, 19.0 * 1048576},
};

static const struct reference *reference_of(const char *graph, kith_seeds_model model)
{
	for (size_t i = 0; i < sizeof references / sizeof *references; i++)
		if (!strcmp(references[i].graph, graph) && references[i].model == model)
			return &references[i];
	return NULL;
}

struct result {
	double spread, se, seconds;
	size_t samples, peak;
};

/* Select with the given bounds (best time of three runs; the seeds are
 * the same every run) and score the seeds. */
static struct result select_and_score(const struct edges *e, kith_seeds_model model,
                                      kith_seeds_bounds bounds)
{
	struct result res = {0, 0, 1e300, 0, 0};
	uint32_t seeds[K];
	kith_seeds_graph *g = NULL;
	for (int rep = 0; rep < 3; rep++) {
		struct counter c = {0, 0};
		kith_status st = kith_seeds_graph_new_with_allocator(&g, e->n, counting_alloc, &c);
		if (st == KITH_OK)
			st = kith_seeds_graph_add_edges(g, e->m, e->src, e->dst, e->p);
		if (st == KITH_OK)
			st = kith_seeds_graph_set_bounds(g, bounds);
		if (st != KITH_OK)
			die("kith_seeds_graph_add_edges", NULL, st);
		kith_seeds_selection *sel = NULL;
		double t0 = now_s();
		st = kith_seeds_graph_select(g, K, model, EPSILON, SELECT_SEED, &sel);
		double t = now_s() - t0;
		if (st != KITH_OK) {
			fprintf(stderr, "%s: %s\n", bench_program, kith_seeds_graph_last_error(g));
			die("kith_seeds_graph_select", NULL, st);
		}
		if (t < res.seconds)
			res.seconds = t;
		res.peak = c.peak;
		res.samples = kith_seeds_selection_samples(sel);
		for (size_t i = 0; i < K; i++)
			kith_seeds_selection_entry(sel, i, &seeds[i], NULL);
		kith_seeds_selection_free(sel);
		if (rep < 2)
			kith_seeds_graph_free(g);
	}
	kith_status st =
	        kith_seeds_graph_spread(g, seeds, K, model, RUNS, SCORE_SEED, &res.spread, &res.se);
	if (st != KITH_OK)
		die("kith_seeds_graph_spread", NULL, st);
	kith_seeds_graph_free(g);
	return res;
}

static void run_graph(const char *dir, const char *name)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/graphs/%s/edges-ic.txt", dir, name);
	struct edges e;
	char label[64];
	if (!read_edges(path, &e)) {
		snprintf(label, sizeof label, "seeds-%s", name);
		fprintf(stderr, "%s: %s not found: skipped\n", bench_program, path);
		report(label, "skipped", 0, "-");
		return;
	}
	for (int model = KITH_SEEDS_IC; model <= KITH_SEEDS_LT; model++) {
		kith_seeds_model md = (kith_seeds_model)model;
		snprintf(label, sizeof label, "seeds-%s-%s", name, kith_seeds_model_name(md));
		struct result imm = select_and_score(&e, md, KITH_SEEDS_BOUNDS_IMM);
		struct result sel = select_and_score(&e, md, KITH_SEEDS_BOUNDS_ONLINE);
		report(label, "spread", sel.spread, "nodes");
		report(label, "spread_stderr", sel.se, "nodes");
		report(label, "seconds", sel.seconds, "s");
		report(label, "samples", (double)sel.samples, "rr_sets");
		report(label, "peak_bytes", (double)sel.peak, "bytes");
		report(label, "imm_bounds_spread", imm.spread, "nodes");
		report(label, "imm_bounds_spread_stderr", imm.se, "nodes");
		report(label, "imm_bounds_seconds", imm.seconds, "s");
		report(label, "imm_bounds_samples", (double)imm.samples, "rr_sets");
		report(label, "imm_bounds_peak_bytes", (double)imm.peak, "bytes");
		report(label, "ratio_vs_imm_bounds", imm.seconds / sel.seconds, "x");
		const struct reference *ref = reference_of(name, md);
		if (ref) {
			report(label, "spread_share_of_reference", sel.spread / ref->spread, "x");
			report(label, "seconds_share_of_reference", sel.seconds / ref->seconds, "x");
			report(label, "peak_share_of_reference", (double)sel.peak / ref->peak_bytes,
			       "x");
		}

		uint32_t seeds[K];
		degree_discount(&e, K, seeds);
		kith_seeds_graph *g = NULL;
		kith_status st = kith_seeds_graph_new(&g, e.n);
		if (st == KITH_OK)
			st = kith_seeds_graph_add_edges(g, e.m, e.src, e.dst, e.p);
		double dd, dd_se;
		if (st == KITH_OK)
			st = kith_seeds_graph_spread(g, seeds, K, md, RUNS, SCORE_SEED, &dd,
			                             &dd_se);
		if (st != KITH_OK)
			die("kith_seeds_graph_spread", NULL, st);
		kith_seeds_graph_free(g);
		report(label, "dd_spread", dd, "nodes");
	}
	free(e.src), free(e.dst), free(e.p);
}

int main(void)
{
	bench_program = "bench-seeds";
	const char *dir = getenv("KITH_SHARED_DATA");
	if (!dir || !*dir) {
		fprintf(stderr, "%s: KITH_SHARED_DATA is not set: skipped\n", bench_program);
		report("seeds", "skipped", 0, "-");
		return 0;
	}
	run_graph(dir, "nethept");
	run_graph(dir, "wiki-vote");
	run_graph(dir, "email-eu-core");
	return 0;
}
