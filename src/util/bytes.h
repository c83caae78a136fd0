/*
 * Short byte strings: comparison and copy for ids, and the length of a
 * (pointer, length) pair of the public API.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_UTIL_BYTES_H
#define KITH_UTIL_BYTES_H

#include "kith.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Whether a[0..n) equals b[0..n), both readable for exactly n bytes.
 * Ids are short: up to 16 bytes take two overlapping word loads a side. */
static inline bool kith_bytes_equal(const char *a, const char *b, size_t n)
{
	if (n > 16)
		return memcmp(a, b, n) == 0;
	if (n >= 8) {
		uint64_t x, y, u, v;
		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		memcpy(&u, a + n - 8, 8);
		memcpy(&v, b + n - 8, 8);
		return ((x ^ y) | (u ^ v)) == 0;
	}
	if (n >= 4) {
		uint32_t x, y, u, v;
		memcpy(&x, a, 4);
		memcpy(&y, b, 4);
		memcpy(&u, a + n - 4, 4);
		memcpy(&v, b + n - 4, 4);
		return ((x ^ y) | (u ^ v)) == 0;
	}
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

/* memcpy for short ids: 4 to 16 bytes take two overlapping word moves. */
static inline void kith_bytes_copy(char *dst, const char *src, size_t n)
{
	if (n >= 8 && n <= 16) {
		uint64_t x, y;
		memcpy(&x, src, 8);
		memcpy(&y, src + n - 8, 8);
		memcpy(dst, &x, 8);
		memcpy(dst + n - 8, &y, 8);
	} else if (n >= 4 && n < 8) {
		uint32_t x, y;
		memcpy(&x, src, 4);
		memcpy(&y, src + n - 4, 4);
		memcpy(dst, &x, 4);
		memcpy(dst + n - 4, &y, 4);
	} else {
		memcpy(dst, src, n);
	}
}

/* Length of a (pointer, length) pair where length may be KITH_NUL_TERMINATED. */
static inline size_t kith_len(const char *s, size_t n)
{
	return s == NULL ? 0 : n == KITH_NUL_TERMINATED ? strlen(s) : n;
}

#endif /* KITH_UTIL_BYTES_H */
