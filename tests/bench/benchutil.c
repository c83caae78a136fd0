/* What the benchmarks share (benchutil.h). SPDX-License-Identifier: MIT */
#include "benchutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

const char *bench_program = "bench";

void report(const char *name, const char *metric, double value, const char *unit)
{
	printf("kith-bench\t%s\t%s\t%.6g\t%s\n", name, metric, value, unit);
	fflush(stdout);
}

_Noreturn void die(const char *what, kith_community *c, kith_status st)
{
	fprintf(stderr, "%s: %s failed: %s (%s)\n", bench_program, what, kith_status_name(st),
	        c ? kith_community_last_error(c) : "");
	exit(1);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p) {
		fprintf(stderr, "%s: out of memory (%zu bytes)\n", bench_program, n);
		exit(1);
	}
	return p;
}

double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
