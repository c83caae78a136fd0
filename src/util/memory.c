/*
 * The one place libkith allocates: every allocation goes through the
 * community's allocator. Also the byte arena, the hash function and the
 * small 64-bit map shared by the model's tables.
 *
 * SPDX-License-Identifier: MIT
 */
#include "kith-private.h"

#include <stdlib.h>
#include <string.h>

void *kith_mem_libc(void *ptr, size_t old_size, size_t new_size, void *payload)
{
	(void)old_size;
	(void)payload;
	if (new_size == 0) {
		free(ptr);
		return NULL;
	}
	return realloc(ptr, new_size);
}

void *kith_mem_realloc(const struct kith_mem *mem, void *p, size_t old_n, size_t new_n)
{
	if (new_n == 0) {
		if (p)
			mem->fn(p, old_n, 0, mem->payload);
		return NULL;
	}
	return mem->fn(p, p ? old_n : 0, new_n, mem->payload);
}

void *kith_mem_alloc(const struct kith_mem *mem, size_t n)
{
	return n ? mem->fn(NULL, 0, n, mem->payload) : NULL;
}

void *kith_mem_calloc(const struct kith_mem *mem, size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size)
		return NULL;
	void *p = kith_mem_alloc(mem, count * size);
	if (p)
		memset(p, 0, count * size);
	return p;
}

void kith_mem_free(const struct kith_mem *mem, void *p, size_t n)
{
	if (p)
		mem->fn(p, n, 0, mem->payload);
}

bool kith_mem_grow(const struct kith_mem *mem, void **array, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return true;
	size_t n = *cap ? *cap : 8;
	while (n < need) {
		if (n > SIZE_MAX / 2)
			return false;
		n *= 2;
	}
	if (n > SIZE_MAX / elem)
		return false;
	void *p = kith_mem_realloc(mem, *array, *cap * elem, n * elem);
	if (!p)
		return false;
	*array = p;
	*cap = n;
	return true;
}

/* ---- arena ---------------------------------------------------------------- */

bool kith_arena_reserve(const struct kith_mem *mem, struct kith_arena *a, size_t extra)
{
	/* Offsets are 32-bit: the arena never outgrows them. */
	if (extra > UINT32_MAX || a->len + extra > UINT32_MAX)
		return false;
	if (a->len + extra <= a->cap)
		return true;
	/* Grow by half: ids are most of a large community's bytes besides the
	 * records, and doubling would leave up to half of them as slack. */
	size_t n = a->cap ? a->cap : 4096;
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

/* ---- hashing --------------------------------------------------------------- */

/* Ids longer than 16 bytes, and texts: the multiply-rotate loop of
 * kith_hash_bytes (kith-private.h) over every 8-byte word. */
uint64_t kith_hash_long(const void *data, size_t n)
{
	const unsigned char *p = data;
	uint64_t h = KITH_HASH_SEED ^ (n * KITH_HASH_LEN);
	while (n > 8) {
		h = kith_hash_round(h, kith_load64(p));
		p += 8;
		n -= 8;
	}
	/* The last 8 bytes, overlapping what came before. */
	h ^= kith_load64(p + n - 8) * KITH_HASH_WORD;
	return kith_hash_u64(h);
}

/* ---- u32 map --------------------------------------------------------------- */

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
