/*
 * A growable byte arena of length-prefixed strings addressed by 32-bit
 * offsets (member ids and display names).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_UTIL_ARENA_H
#define KITH_UTIL_ARENA_H

#include "util/memory.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A growable byte arena addressed by 32-bit offsets. Each string is stored
 * as its length (one byte below 255; else 255 and four little-endian
 * bytes), its bytes and a NUL. */
struct kith_arena {
	char *data;
	size_t len;
	size_t cap;
};

/* Bytes an arena needs to append a string of n bytes. */
static inline size_t kith_arena_cost(size_t n) { return (n < 255 ? 1 : 5) + n + 1; }
bool kith_arena_reserve(const struct kith_mem *mem, struct kith_arena *a, size_t extra);
/* Append (after a successful reserve); returns the string's offset. */
uint32_t kith_arena_push(struct kith_arena *a, const char *s, size_t n);
static inline const char *kith_arena_str(const struct kith_arena *a, uint32_t off, size_t *n)
{
	const unsigned char *p = (const unsigned char *)a->data + off;
	if (p[0] < 255) {
		if (n)
			*n = p[0];
		return (const char *)p + 1;
	}
	if (n)
		*n = (uint32_t)p[1] | (uint32_t)p[2] << 8 | (uint32_t)p[3] << 16 | (uint32_t)p[4] << 24;
	return (const char *)p + 5;
}
void kith_arena_fini(const struct kith_mem *mem, struct kith_arena *a);

#endif /* KITH_UTIL_ARENA_H */
