/*
 * xoshiro256** (Blackman and Vigna), seeded through splitmix64.
 *
 * SPDX-License-Identifier: MIT
 */
#include "util/random.h"

#include <math.h>

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

void kith_random_seed(struct kith_random *r, uint64_t seed)
{
	uint64_t x = seed;
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

uint32_t kith_random_below(struct kith_random *r, uint32_t bound)
{
	/* Lemire's multiply-and-shift, rejecting the few low products that
	 * would make some results likelier than others. */
	uint64_t m = (kith_random_next(r) >> 32) * (uint64_t)bound;
	uint32_t low = (uint32_t)m;
	if (low < bound) {
		uint32_t floor = (uint32_t)(-bound) % bound;
		while (low < floor) {
			m = (kith_random_next(r) >> 32) * (uint64_t)bound;
			low = (uint32_t)m;
		}
	}
	return (uint32_t)(m >> 32);
}

uint64_t kith_random_threshold(double p)
{
	if (!(p > 0))
		return 0;
	if (p >= 1)
		return KITH_RANDOM_ONE;
	/* Scaling by a power of two is exact; ceil keeps a tiny p above 0. */
	return (uint64_t)ceil(p * (double)KITH_RANDOM_ONE);
}

double kith_random_log(double x)
{
	int e;
	double m = frexp(x, &e); /* x = m * 2^e, m in [0.5, 1) */
	if (m < 0.70710678118654752) {
		m *= 2;
		e--;
	}
	/* log m = 2 atanh(z), z = (m - 1) / (m + 1), |z| < 0.172 */
	double z = (m - 1) / (m + 1), z2 = z * z, term = z, sum = 0;
	for (int i = 1; i < 40; i += 2) {
		sum += term / i;
		term *= z2;
	}
	return 2 * sum + e * 0.69314718055994530942;
}
