/*
 * The one place libkith allocates: every allocation goes through the
 * community's allocator.
 *
 * SPDX-License-Identifier: MIT
 */
#include "util/memory.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
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

void *kith_mem_alloc_array(const struct kith_mem *mem, size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size)
		return NULL;
	return kith_mem_alloc(mem, count * size);
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

char *kith_mem_strdup(const struct kith_mem *mem, const char *src, size_t n)
{
	char *d = kith_mem_alloc(mem, n + 1);
	if (d) {
		memcpy(d, src, n);
		d[n] = '\0';
	}
	return d;
}
