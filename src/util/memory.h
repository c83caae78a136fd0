/*
 * The one place that allocates: every block goes through the allocator
 * the community was created with.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_UTIL_MEMORY_H
#define KITH_UTIL_MEMORY_H

#include "kith.h"

#include <stdbool.h>
#include <stddef.h>

struct kith_mem {
	kith_alloc_fn fn;
	void *payload;
};

/* Allocate, resize or (n == 0) free through the community's allocator.
 * Returns NULL on failure (and on free); p is untouched on failure. */
void *kith_mem_realloc(const struct kith_mem *mem, void *p, size_t old_n, size_t new_n);
void *kith_mem_alloc(const struct kith_mem *mem, size_t n);
void *kith_mem_calloc(const struct kith_mem *mem, size_t count, size_t size);
/* Room for count items of size bytes, not zeroed; NULL when count * size
 * does not fit a size_t (it would wrap on a 32-bit host) or on failure. */
void *kith_mem_alloc_array(const struct kith_mem *mem, size_t count, size_t size);
void kith_mem_free(const struct kith_mem *mem, void *p, size_t n);
/* Grow an array of elem-sized items so that it holds at least need items.
 * *cap is updated on success. Returns false on overflow or failure. */
bool kith_mem_grow(const struct kith_mem *mem, void **array, size_t *cap, size_t need, size_t elem);

/* A NUL-terminated copy of n bytes of src, or NULL. */
char *kith_mem_strdup(const struct kith_mem *mem, const char *src, size_t n);

/* The default allocator (libc realloc/free). */
void *kith_mem_libc(void *ptr, size_t old_size, size_t new_size, void *payload);

#endif /* KITH_UTIL_MEMORY_H */
