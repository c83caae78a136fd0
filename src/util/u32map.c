/*
 * The open-addressing map of 32-bit keys and values.
 *
 * SPDX-License-Identifier: MIT
 */
#include "util/u32map.h"

#include "util/memory.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

bool kith_u32map_reserve(const struct kith_mem *mem, struct kith_u32map *m, size_t extra)
{
	size_t need = m->count + extra;
	if (m->cap && need <= m->cap / 2)
		return true;
	size_t cap = m->cap ? m->cap : 16;
	while (need > cap / 2) {
		if (cap > SIZE_MAX / 32)
			return false;
		cap *= 2;
	}
	struct kith_u32map n = {0};
	n.slots = kith_mem_calloc(mem, cap, sizeof *n.slots);
	if (!n.slots)
		return false;
	n.cap = cap;
	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].val)
			n.slots[kith_u32map_slot(&n, m->slots[i].key)] = m->slots[i];
	n.count = m->count;
	kith_u32map_fini(mem, m);
	*m = n;
	return true;
}

void kith_u32map_put(struct kith_u32map *m, uint32_t key, uint32_t val)
{
	size_t i = kith_u32map_slot(m, key);
	if (!m->slots[i].val)
		m->count++;
	m->slots[i].key = key;
	m->slots[i].val = val + 1;
}

void kith_u32map_fini(const struct kith_mem *mem, struct kith_u32map *m)
{
	kith_mem_free(mem, m->slots, m->cap * sizeof *m->slots);
	memset(m, 0, sizeof *m);
}
