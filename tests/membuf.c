/* A growable memory buffer for snapshots (membuf.h). SPDX-License-Identifier: MIT */
#include "membuf.h"

#include <stdlib.h>
#include <string.h>

int membuf_write(const void *data, size_t len, void *payload)
{
	struct membuf *b = payload;
	if (b->len + len > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->len + len)
			cap *= 2;
		unsigned char *nd = realloc(b->data, cap);
		if (!nd)
			return -1;
		b->data = nd;
		b->cap = cap;
	}
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	return 0;
}

ptrdiff_t membuf_read(void *dst, size_t len, void *payload)
{
	struct membuf *b = payload;
	size_t n = b->len - b->pos < len ? b->len - b->pos : len;
	if (n)
		memcpy(dst, b->data + b->pos, n);
	b->pos += n;
	return (ptrdiff_t)n;
}
