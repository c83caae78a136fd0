/*
 * Counters that saturate rather than wrap, as every count the model keeps.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_UTIL_COUNT_H
#define KITH_UTIL_COUNT_H

#include <stdint.h>

/* Add one to a counter that saturates rather than wraps, as every count
 * the model keeps does (members' and the graph's). */
static inline void kith_inc32(uint32_t *x)
{
	if (*x < UINT32_MAX)
		(*x)++;
}

#endif /* KITH_UTIL_COUNT_H */
