/*
 * The byte arena of length-prefixed strings.
 *
 * SPDX-License-Identifier: MIT
 */
#include "util/arena.h"

#include "util/memory.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

bool kith_arena_reserve(const struct kith_mem *mem, struct kith_arena *a, size_t extra)
{
	/* Offsets are 32-bit: the arena never outgrows them. */
	if (extra > UINT32_MAX || a->len + extra > UINT32_MAX)
		return false;
	if (a->len + extra <= a->cap)
		return true;
	/* Grow by half: ids are most of a large community's bytes besides the
	 * records, and doubling would leave up to half of them as slack. */
	size_t n = a->cap ? a->cap : 64; /* a small community has few ids */
	while (n < a->len + extra)
		n = n > UINT32_MAX / 3 * 2 ? (size_t)UINT32_MAX : n + n / 2;
	char *p = kith_mem_realloc(mem, a->data, a->cap, n);
	if (!p)
		return false;
	a->data = p;
	a->cap = n;
	return true;
}

uint32_t kith_arena_push(struct kith_arena *a, const char *s, size_t n)
{
	uint32_t off = (uint32_t)a->len;
	unsigned char *p = (unsigned char *)a->data + off;
	if (n < 255) {
		*p++ = (unsigned char)n;
	} else {
		*p++ = 255;
		*p++ = (unsigned char)n;
		*p++ = (unsigned char)(n >> 8);
		*p++ = (unsigned char)(n >> 16);
		*p++ = (unsigned char)(n >> 24);
	}
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	a->len += kith_arena_cost(n);
	return off;
}

void kith_arena_fini(const struct kith_mem *mem, struct kith_arena *a)
{
	kith_mem_free(mem, a->data, a->cap);
	memset(a, 0, sizeof *a);
}
