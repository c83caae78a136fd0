/*
 * What the benchmarks share: the kith-bench output line, failing loudly,
 * a monotonic clock, and a memory buffer to save snapshots into.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_BENCHUTIL_H
#define KITH_BENCHUTIL_H

#include <kith.h>

#include <stddef.h>

/* The program's name in messages; each benchmark sets it first. */
extern const char *bench_program;

/* One "kith-bench<TAB>name<TAB>metric<TAB>value<TAB>unit" line, flushed. */
void report(const char *name, const char *metric, double value, const char *unit);
/* Report a failed call (with the community's last error) and exit(1). */
_Noreturn void die(const char *what, kith_community *c, kith_status st);
/* malloc that exits on failure (n = 0 allocates one byte). */
void *xmalloc(size_t n);
/* Seconds on the monotonic clock. */
double now_s(void);

/* A growing buffer a snapshot is written to (membuf_write, a
 * kith_write_fn) and read back from (membuf_read, from pos on). Start
 * it zeroed; free data when done. */
struct membuf {
	unsigned char *data;
	size_t len, cap, pos;
};
int membuf_write(const void *data, size_t len, void *payload);
ptrdiff_t membuf_read(void *buf, size_t len, void *payload);

#endif
