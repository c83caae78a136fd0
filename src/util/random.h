/*
 * A seeded pseudo-random generator that gives the same numbers on every
 * platform (xoshiro256**, seeded through splitmix64), and the few draws
 * the library needs, in integers only so that no float rounding differs
 * between machines.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_UTIL_RANDOM_H
#define KITH_UTIL_RANDOM_H

#include <stdint.h>

struct kith_random {
	uint64_t s[4];
};

/* Seed the generator; every seed (0 included) gives a good state. */
void kith_random_seed(struct kith_random *r, uint64_t seed);
static inline uint64_t kith_random_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* The next 64 random bits. Inline: sampling draws hundreds of millions. */
static inline uint64_t kith_random_next(struct kith_random *r)
{
	uint64_t *s = r->s;
	uint64_t result = kith_random_rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = kith_random_rotl(s[3], 45);
	return result;
}
/* A uniform integer in [0, bound); bound must be above 0. Exact (no bias). */
uint32_t kith_random_below(struct kith_random *r, uint32_t bound);
/* A uniform integer in [0, 2^53). */
static inline uint64_t kith_random_53(struct kith_random *r)
{
	return kith_random_next(r) >> 11;
}

/* One in 2^53: probabilities become integer thresholds in these units. */
#define KITH_RANDOM_ONE (UINT64_C(1) << 53)

/* p in [0, 1] as a threshold t: a draw u of kith_random_53 is below t with
 * probability p (to 2^-53). Exact on every IEEE platform. */
uint64_t kith_random_threshold(double p);

/* The natural logarithm of x > 0 from +, -, *, / only, so that it gives
 * the same bits everywhere (libm's log may differ in the last place). */
double kith_random_log(double x);

#endif /* KITH_UTIL_RANDOM_H */
