/*
 * kith-gen: its own random numbers: xoshiro256** seeded through splitmix64,
 * with integer draws only, so a seed gives the same bytes everywhere.
 *
 * SPDX-License-Identifier: MIT
 */
#include "gen.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += UINT64_C(0x9E3779B97F4A7C15));
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}
void rng_seed(struct rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}
static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}
static uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}
/* Uniform in [0, n), without modulo bias; n > 0. */
uint64_t rng_below(struct rng *r, uint64_t n)
{
	uint64_t threshold = (0 - n) % n;
	for (;;) {
		uint64_t x = rng_next(r);
		if (x >= threshold)
			return x % n;
	}
}
/* True with probability per_mille / 1000. */
bool rng_chance(struct rng *r, unsigned per_mille)
{
	return rng_below(r, 1000) < per_mille;
}
/* Uniform in [lo, hi); lo when the range is empty. */
int64_t rng_range(struct rng *r, int64_t lo, int64_t hi)
{
	return hi > lo ? lo + (int64_t)rng_below(r, (uint64_t)(hi - lo)) : lo;
}
/* Failures before the first success, each step continuing with
 * probability continue_pm / 1000; at most cap. */
unsigned rng_geometric(struct rng *r, unsigned continue_pm, unsigned cap)
{
	unsigned k = 0;
	while (k < cap && rng_chance(r, continue_pm))
		k++;
	return k;
}
