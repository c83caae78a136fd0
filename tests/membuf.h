/*
 * A growable memory buffer that snapshots are written to and read back
 * from, shared by the test suites and the fuzz targets.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_TEST_MEMBUF_H
#define KITH_TEST_MEMBUF_H

#include <stddef.h>

struct membuf {
	unsigned char *data; /* malloc'd; the owner frees it */
	size_t len, cap;
	size_t pos; /* where membuf_read goes on */
};

/* A kith_write_fn appending to the buffer (payload: struct membuf *);
 * -1 when out of memory. */
int membuf_write(const void *data, size_t len, void *payload);
/* A kith_read_fn serving the buffer from pos on. */
ptrdiff_t membuf_read(void *dst, size_t len, void *payload);

#endif
