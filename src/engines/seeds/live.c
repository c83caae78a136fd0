/*
 * The binomial tables of rows whose in-edges share one probability (see
 * live.h for why).
 *
 * SPDX-License-Identifier: MIT
 */
#include "engines/seeds/live.h"

#include <stdbool.h>
#include <string.h>

/* A row gets a table when its d edges are at least this many and its
 * mean live count d p is at most MEAN_MAX and at most (d - 2) / 2: then
 * the table's 1 + d p expected draws are well below the row's d. */
#define TABLE_MIN_EDGES 4
#define MEAN_MAX        16.0

/* The tables made so far, by (d, t): open addressing, a power of two. */
struct seen {
	uint64_t t;
	uint32_t d, at; /* at = UINT32_MAX: empty slot */
};

static size_t slot_of(uint32_t d, uint64_t t, size_t mask)
{
	uint64_t h = (t ^ ((uint64_t)d << 40)) * UINT64_C(0x9E3779B97F4A7C15);
	return (size_t)(h >> 20) & mask;
}

/* q^d by squaring: the same products in the same order on every
 * platform (the project builds with -ffp-contract=off). */
static double power(double q, uint32_t d)
{
	double r = 1;
	while (d) {
		if (d & 1)
			r *= q;
		q *= q;
		d >>= 1;
	}
	return r;
}

/* The cumulative table of Binomial(d, t / 2^53) into out[], as 53-bit
 * thresholds ending with KITH_RANDOM_ONE; its length, or 0 when the
 * tail is not negligible within KITH_LIVE_TABLE_MAX entries. */
static uint32_t binomial_table(uint32_t d, uint64_t t, uint64_t out[KITH_LIVE_TABLE_MAX])
{
	const double one = (double)KITH_RANDOM_ONE;
	double p = (double)t / one, q = 1 - p, mean = (double)d * p;
	double pmf = power(q, d), cum = 0;
	for (uint32_t l = 0; l < KITH_LIVE_TABLE_MAX; l++) {
		cum += pmf;
		double next = pmf * ((double)(d - l) / (double)(l + 1)) * (p / q);
		/* Past the mean the terms fall at least geometrically: once the
		 * next is below one unit of 2^-53 the rest is negligible, and
		 * the last entry takes it. */
		if (l == d || ((double)l >= mean && next * one < 1)) {
			out[l] = KITH_RANDOM_ONE;
			return l + 1;
		}
		out[l] = cum >= 1 ? KITH_RANDOM_ONE : (uint64_t)(cum * one);
		pmf = next;
	}
	return 0;
}

/* The row [begin, end) shares one threshold: *t receives it. */
static bool row_uniform(const uint64_t *in_thr, uint32_t begin, uint32_t end, uint64_t *t)
{
	*t = begin < end ? in_thr[begin] : 0;
	for (uint32_t e = begin + 1; e < end; e++)
		if (in_thr[e] != *t)
			return false;
	return true;
}

static bool wants_table(uint32_t d, uint64_t t)
{
	if (d < TABLE_MIN_EDGES || t == 0 || t >= KITH_RANDOM_ONE)
		return false;
	double mean = (double)d * ((double)t / (double)KITH_RANDOM_ONE);
	return mean <= MEAN_MAX && 2 * mean + 2 <= (double)d;
}

void kith_seeds_live_free(struct kith_seeds_live *live, const struct kith_mem *mem, uint32_t n)
{
	kith_mem_free(mem, live->kind, (size_t)n * sizeof *live->kind);
	kith_mem_free(mem, live->cdf, live->cap * sizeof *live->cdf);
	memset(live, 0, sizeof *live);
}

kith_status kith_seeds_live_build(struct kith_seeds_live *live, const struct kith_mem *mem,
                                  uint32_t n, const uint32_t *in_off, const uint64_t *in_thr)
{
	memset(live, 0, sizeof *live);
	uint32_t *kind = kith_mem_alloc_array(mem, n, sizeof *kind);
	if (!kind)
		return KITH_ENOMEM;
	size_t want = 0;
	for (uint32_t v = 0; v < n; v++) {
		uint64_t t;
		if (!row_uniform(in_thr, in_off[v], in_off[v + 1], &t))
			kind[v] = KITH_LIVE_MIXED;
		else if (!wants_table(in_off[v + 1] - in_off[v], t))
			kind[v] = KITH_LIVE_UNIFORM;
		else {
			kind[v] = 0; /* a table, found or made below */
			want++;
		}
	}
	size_t cap = 16;
	while (cap < 2 * want)
		cap *= 2;
	struct seen *seen = want ? kith_mem_alloc_array(mem, cap, sizeof *seen) : NULL;
	if (want && !seen) {
		kith_mem_free(mem, kind, (size_t)n * sizeof *kind);
		return KITH_ENOMEM;
	}
	for (size_t i = 0; want && i < cap; i++)
		seen[i].at = UINT32_MAX;
	uint64_t *cdf = NULL;
	size_t len = 0, cdf_cap = 0;
	for (uint32_t v = 0; v < n && want; v++) {
		if (kind[v] != 0)
			continue;
		uint32_t d = in_off[v + 1] - in_off[v];
		uint64_t t = in_thr[in_off[v]];
		size_t s = slot_of(d, t, cap - 1);
		while (seen[s].at != UINT32_MAX && (seen[s].d != d || seen[s].t != t))
			s = (s + 1) & (cap - 1);
		if (seen[s].at == UINT32_MAX) {
			uint64_t table[KITH_LIVE_TABLE_MAX];
			uint32_t l = binomial_table(d, t, table);
			if (l == 0 || len + l >= KITH_LIVE_UNIFORM) {
				kind[v] = KITH_LIVE_UNIFORM;
				continue;
			}
			if (!kith_mem_grow(mem, (void **)&cdf, &cdf_cap, len + l, sizeof *cdf)) {
				kith_mem_free(mem, seen, cap * sizeof *seen);
				kith_mem_free(mem, cdf, cdf_cap * sizeof *cdf);
				kith_mem_free(mem, kind, (size_t)n * sizeof *kind);
				return KITH_ENOMEM;
			}
			memcpy(cdf + len, table, l * sizeof *table);
			seen[s] = (struct seen){t, d, (uint32_t)len};
			len += l;
		}
		kind[v] = seen[s].at;
	}
	kith_mem_free(mem, seen, cap * sizeof *seen);
	live->kind = kind;
	live->cdf = cdf;
	live->len = len;
	live->cap = cdf_cap;
	return KITH_OK;
}
