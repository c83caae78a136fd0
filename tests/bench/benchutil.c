/* What the benchmarks share (benchutil.h). SPDX-License-Identifier: MIT */
#include "benchutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

int membuf_write(const void *data, size_t len, void *payload)
{
	struct membuf *b = payload;
	if (b->len + len > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->len + len)
			cap *= 2;
		unsigned char *p = realloc(b->data, cap);
		if (!p)
			return -1;
		b->data = p;
		b->cap = cap;
	}
	memcpy(b->data + b->len, data, len);
	b->len += len;
	return 0;
}

ptrdiff_t membuf_read(void *buf, size_t len, void *payload)
{
	struct membuf *b = payload;
	size_t n = b->len - b->pos < len ? b->len - b->pos : len;
	memcpy(buf, b->data + b->pos, n);
	b->pos += n;
	return (ptrdiff_t)n;
}
