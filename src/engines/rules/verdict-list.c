/*
 * The verdict list: the actions the rules engine asks for after one
 * ingest, with one byte buffer for every string of its verdicts (rule
 * names, message ids, rendered texts), each NUL-terminated, so that the
 * accessors can lend plain C strings. The engine keeps two lists and
 * fills the one not on show while an ingest is being prepared; the swap
 * after the model is applied cannot fail, and a failed ingest leaves the
 * list on show untouched.
 *
 * SPDX-License-Identifier: MIT
 */
#include "engines/rules/verdict-list.h"

#include "util/memory.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

void kith_verdicts_fini(const struct kith_mem *mem, struct kith_verdict_list *l)
{
	if (l->v)
		kith_mem_free(mem, l->v, l->cap * sizeof *l->v);
	if (l->buf)
		kith_mem_free(mem, l->buf, l->buf_cap);
	memset(l, 0, sizeof *l);
}

bool kith_verdicts_prepare(const struct kith_mem *mem, struct kith_verdict_list *l, size_t count,
                           size_t bytes)
{
	l->count = 0;
	l->buf_len = 0;
	if (count > l->cap) {
		void *v = l->v;
		size_t cap = l->cap;
		if (!kith_mem_grow(mem, &v, &cap, count, sizeof *l->v))
			return false;
		l->v = v;
		l->cap = cap;
	}
	if (bytes > l->buf_cap) {
		void *b = l->buf;
		size_t cap = l->buf_cap;
		if (!kith_mem_grow(mem, &b, &cap, bytes, 1))
			return false;
		l->buf = b;
		l->buf_cap = cap;
	}
	return true;
}

uint32_t kith_verdicts_push_str(struct kith_verdict_list *l, const char *s, size_t n)
{
	uint32_t off = (uint32_t)l->buf_len;
	if (n)
		memcpy(l->buf + l->buf_len, s, n);
	l->buf[l->buf_len + n] = '\0';
	l->buf_len += n + 1;
	return off;
}
