/*
 * libFuzzer target for influence maximisation: the input is read as a
 * small graph (up to 12 nodes, 24 edges, with nodes out of range and
 * probabilities outside [0, 1] or NaN now and then), then selections and
 * spreads with random k, model, epsilon, bounds, runs and seeds. Checks:
 *  - add_edges fails exactly when an edge is bad, and then adds nothing;
 *  - select fails exactly when the arguments break its contract, and
 *    otherwise gives k distinct nodes, gains that do not grow, and an
 *    estimate between 0 and the node count; the same call gives the same
 *    JSON;
 *  - a spread lies between the distinct seeds and the node count.
 *
 * SPDX-License-Identifier: MIT
 */
#include <kith.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz-seeds: check failed at line %d: %s\n", __LINE__,     \
			        #cond);                                                            \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

struct input {
	const uint8_t *p;
	size_t n;
};

static uint8_t take8(struct input *in)
{
	if (in->n == 0)
		return 0;
	in->n--;
	return *in->p++;
}

static double probability(uint8_t b)
{
	if (b == 255)
		return NAN;
	if (b == 254)
		return 1.5;
	if (b == 253)
		return -0.25;
	return b / 252.0;
}

static char *json(const kith_seeds_selection *sel)
{
	size_t need = 0;
	CHECK(kith_seeds_selection_to_json(sel, NULL, 0, &need) == KITH_OK);
	char *buf = malloc(need + 1);
	CHECK(buf);
	CHECK(kith_seeds_selection_to_json(sel, buf, need + 1, NULL) == KITH_OK);
	return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = {data, size};
	uint32_t n = 1 + take8(&in) % 12;
	kith_seeds_graph *g = NULL;
	CHECK(kith_seeds_graph_new(&g, n) == KITH_OK);
	size_t m = take8(&in) % 25;
	uint32_t src[24], dst[24];
	double p[24];
	int bad = 0;
	double in_sum[13] = {0};
	for (size_t e = 0; e < m; e++) {
		src[e] = take8(&in) % (n + 1);
		dst[e] = take8(&in) % (n + 1);
		p[e] = probability(take8(&in));
		if (src[e] >= n || dst[e] >= n || !(p[e] >= 0 && p[e] <= 1))
			bad = 1;
		else
			in_sum[dst[e]] += p[e];
	}
	kith_status st = kith_seeds_graph_add_edges(g, m, src, dst, p);
	CHECK((st == KITH_OK) == !bad);
	CHECK(kith_seeds_graph_edge_count(g) == (bad ? 0 : m));
	int lt_ok = 1;
	for (uint32_t v = 0; v < n && !bad; v++)
		if (in_sum[v] > 1 + 1e-3)
			lt_ok = 0; /* well above the slack: LT must refuse */

	while (in.n > 0) {
		uint32_t k = take8(&in) % (n + 2);
		kith_seeds_model model = (kith_seeds_model)(1 + take8(&in) % 3);
		double eps = 0.05 + (take8(&in) % 19) * 0.05;
		kith_seeds_bounds bounds = (kith_seeds_bounds)(1 + take8(&in) % 2);
		uint64_t seed = take8(&in);
		CHECK(kith_seeds_graph_set_bounds(g, bounds) == KITH_OK);
		kith_seeds_selection *sel = NULL;
		st = kith_seeds_graph_select(g, k, model, eps, seed, &sel);
		if (model == 3) {
			CHECK(st == KITH_EINVAL && !sel);
			continue;
		}
		if (model == KITH_SEEDS_LT && !lt_ok) {
			CHECK(st == KITH_ERANGE && !sel);
			continue;
		}
		if (k > n) {
			CHECK(st == KITH_ERANGE && !sel);
			continue;
		}
		CHECK(st == KITH_OK || (st == KITH_ERANGE && model == KITH_SEEDS_LT));
		if (st != KITH_OK)
			continue; /* an in-row within 1e-3 of the slack */
		CHECK(kith_seeds_selection_count(sel) == k);
		uint32_t seeds[13];
		int seen[13] = {0};
		double last = INFINITY;
		for (uint32_t i = 0; i < k; i++) {
			double gain;
			CHECK(kith_seeds_selection_entry(sel, i, &seeds[i], &gain) == KITH_OK);
			CHECK(seeds[i] < n && !seen[seeds[i]]);
			seen[seeds[i]] = 1;
			CHECK(gain >= 0 && gain <= last + 1e-9);
			last = gain;
		}
		double est = kith_seeds_selection_estimate(sel);
		CHECK(est >= 0 && est <= n + 1e-9);
		kith_seeds_selection *again = NULL;
		CHECK(kith_seeds_graph_select(g, k, model, eps, seed, &again) == KITH_OK);
		char *a = json(sel), *b = json(again);
		CHECK(strcmp(a, b) == 0);
		free(a), free(b);
		kith_seeds_selection_free(again);
		kith_seeds_selection_free(sel);

		uint32_t runs = 2 + take8(&in) % 30;
		double mean, se;
		CHECK(kith_seeds_graph_spread(g, seeds, k, model, runs, seed, &mean, &se) ==
		      KITH_OK);
		CHECK(mean >= k - 1e-9 && mean <= n + 1e-9 && se >= 0);
	}
	kith_seeds_graph_free(g);
	return 0;
}
