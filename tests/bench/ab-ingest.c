/*
 * ab-ingest: compare two builds of libkith.so on the ingest-500 events, in
 * one process, run after run (A B, B A, A B, ...), so that both see the
 * same memory and the same moments of a noisy machine. Prints each
 * build's best rate, the ratio of the bests, and the median and quartiles
 * of the ratios of the pairs (B over A: above 1, B is faster).
 *
 *   ab-ingest A/libkith.so.1 B/libkith.so.1 [PAIRS]   (default 20)
 *
 * A/B comparisons of a change are best made with `taskset -c 1` and the
 * two libraries built the same way (release). It reuses bench-ingest's
 * workload, whose file it includes, and calls each library through
 * dlopen; it is built but never run by `meson test`.
 *
 * SPDX-License-Identifier: MIT
 */
int bench_ingest_main(int argc, char **argv); /* bench-ingest's own, unused here */
#define main bench_ingest_main
#include "bench-ingest.c"
#undef main

#include <dlfcn.h>

#define AB_PAIRS_MAX 1000

struct build {
	const char *path;
	kith_status (*community_new)(kith_community **out);
	kith_status (*ingest_array)(kith_community *c, const kith_event *events, size_t count,
	                            size_t *done);
	void (*community_free)(kith_community *c);
	const char *(*last_error)(const kith_community *c);
};

/* RTLD_DEEPBIND: each library's own calls stay inside it, whatever the
 * executable itself links. */
static void open_build(struct build *b, const char *path)
{
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
	if (!h) {
		fprintf(stderr, "ab-ingest: %s\n", dlerror());
		exit(2);
	}
	b->path = path;
	*(void **)&b->community_new = dlsym(h, "kith_community_new");
	*(void **)&b->ingest_array = dlsym(h, "kith_community_ingest_array");
	*(void **)&b->community_free = dlsym(h, "kith_community_free");
	*(void **)&b->last_error = dlsym(h, "kith_community_last_error");
	if (!b->community_new || !b->ingest_array || !b->community_free || !b->last_error) {
		fprintf(stderr, "ab-ingest: %s lacks a kith_* symbol\n", path);
		exit(2);
	}
}

/* Seconds one build takes to ingest the events into a new community. */
static double timed_run(const struct build *b, const struct workload *w)
{
	kith_community *c = NULL;
	if (b->community_new(&c) != KITH_OK) {
		fprintf(stderr, "ab-ingest: %s: kith_community_new failed\n", b->path);
		exit(1);
	}
	size_t done = 0;
	double t0 = now_s();
	kith_status st = b->ingest_array(c, w->events, w->count, &done);
	double t1 = now_s();
	if (st != KITH_OK) {
		fprintf(stderr, "ab-ingest: %s: event %zu: %s\n", b->path, done, b->last_error(c));
		exit(1);
	}
	b->community_free(c);
	return t1 - t0;
}

static int compare_doubles(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return a < b ? -1 : a > b;
}

int main(int argc, char **argv)
{
	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: ab-ingest A.so B.so [PAIRS]\n");
		return 2;
	}
	int pairs = argc == 4 ? atoi(argv[3]) : 20;
	if (pairs < 1 || pairs > AB_PAIRS_MAX) {
		fprintf(stderr, "ab-ingest: PAIRS must be 1 .. %d\n", AB_PAIRS_MAX);
		return 2;
	}
	struct build a, b;
	open_build(&a, argv[1]);
	open_build(&b, argv[2]);
	struct workload w;
	workload_500(&w, INGEST_500_EVENTS);
	static double ratio[AB_PAIRS_MAX];
	double best_a = 1e30, best_b = 1e30;
	timed_run(&a, &w); /* warm both up: page faults, caches */
	timed_run(&b, &w);
	for (int i = 0; i < pairs; i++) {
		/* alternate which goes first, so neither always follows the other */
		double ta, tb;
		if (i % 2) {
			tb = timed_run(&b, &w);
			ta = timed_run(&a, &w);
		} else {
			ta = timed_run(&a, &w);
			tb = timed_run(&b, &w);
		}
		ratio[i] = ta / tb;
		best_a = ta < best_a ? ta : best_a;
		best_b = tb < best_b ? tb : best_b;
	}
	qsort(ratio, (size_t)pairs, sizeof ratio[0], compare_doubles);
	printf("ab-ingest\tA\tevents_per_s\t%.4g\n", (double)w.count / best_a);
	printf("ab-ingest\tB\tevents_per_s\t%.4g\n", (double)w.count / best_b);
	printf("ab-ingest\tB/A\tratio_of_bests\t%.3f\n", best_a / best_b);
	printf("ab-ingest\tB/A\tmedian_pair_ratio\t%.3f\t[%.3f .. %.3f] (%d pairs)\n",
	       ratio[pairs / 2], ratio[pairs / 4], ratio[(3 * pairs) / 4], pairs);
	workload_fini(&w);
	return 0;
}
