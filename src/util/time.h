/*
 * Time arithmetic on milliseconds since the Unix epoch.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_UTIL_TIME_H
#define KITH_UTIL_TIME_H

#include <stdint.h>

#define KITH_MS_PER_DAY INT64_C(86400000)

/* Times can be anywhere in the int64_t range (from events, snapshots or
 * a caller's "now"); differences and sums of them saturate, so that a
 * comparison with a span gives the right answer where plain arithmetic
 * would overflow. */
/* a - b for times, saturated at the ends of int64. */
static inline int64_t kith_time_diff(int64_t a, int64_t b)
{
	if (b < 0 && a > INT64_MAX + b)
		return INT64_MAX;
	if (b > 0 && a < INT64_MIN + b)
		return INT64_MIN;
	return a - b;
}

/* a + b for times, saturated at the ends of int64. */
static inline int64_t kith_time_add(int64_t a, int64_t b)
{
	if (b > 0 && a > INT64_MAX - b)
		return INT64_MAX;
	if (b < 0 && a < INT64_MIN - b)
		return INT64_MIN;
	return a + b;
}

#endif /* KITH_UTIL_TIME_H */
