/*
 * What the benchmarks share: the kith-bench output line, failing loudly,
 * and a monotonic clock.
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

#endif
