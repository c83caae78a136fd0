/*
 * An open-addressing map from 32-bit keys to 32-bit values.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_UTIL_U32MAP_H
#define KITH_UTIL_U32MAP_H

#include "util/hash.h"
#include "util/memory.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* An open-addressing map from 32-bit keys to 32-bit values (the index of
 * the sparse member extras). Values are indexes into the owner's own
 * arrays; the map never shrinks. A key and its value share a slot, so a
 * lookup that hits reads one cache line. */
struct kith_u32map {
	struct kith_u32pair {
		uint32_t key;
		uint32_t val; /* value + 1; 0 marks an empty slot */
	} *slots;
	size_t cap; /* power of two, or 0 */
	size_t count;
};

bool kith_u32map_reserve(const struct kith_mem *mem, struct kith_u32map *m, size_t extra);
/* The slot of key, or the empty slot where it would go (cap > 0). */
static inline size_t kith_u32map_slot(const struct kith_u32map *m, uint32_t key)
{
	size_t mask = m->cap - 1;
	size_t i = (size_t)kith_hash_u64(key) & mask;
	while (m->slots[i].val && m->slots[i].key != key)
		i = (i + 1) & mask;
	return i;
}
/* Returns the value or UINT32_MAX when absent. */
static inline uint32_t kith_u32map_get(const struct kith_u32map *m, uint32_t key)
{
	if (!m->cap)
		return UINT32_MAX;
	return m->slots[kith_u32map_slot(m, key)].val - 1; /* empty: 0 - 1 */
}
/* Insert a new key (after a successful reserve; the key must be absent). */
void kith_u32map_put(struct kith_u32map *m, uint32_t key, uint32_t val);
void kith_u32map_fini(const struct kith_mem *mem, struct kith_u32map *m);

#endif /* KITH_UTIL_U32MAP_H */
