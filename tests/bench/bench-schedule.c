/*
 * Benchmark of the schedule engine's agenda: 10,000 communities with 5
 * activities each (every few days, weekly on two days, monthly on the
 * last Friday, daily, once; a daily digest; quiet hours, a cap and a
 * gap that move and drop some pushes), each asked for its agenda over
 * 30 days. Only the agendas are timed, not building the communities.
 * The same agendas 20 years ahead show that a far window is found by
 * arithmetic, not by stepping from the first date.
 *
 * Prints "kith-bench<TAB>name<TAB>metric<TAB>value<TAB>unit" lines:
 * agenda-10k seconds and items_per_s (near window), agenda-far seconds,
 * and agenda-far ratio_vs_near (the far window's speed over the near
 * one's: 1 means the same cost, 0.5 twice the cost). Each figure is the
 * best of 5 runs.
 *
 * SPDX-License-Identifier: MIT
 */
#include <kith.h>

#include "benchutil.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COMMUNITIES 10000
#define RUNS        5
#define DAY_MS      INT64_C(86400000)
/* 2027-01-01 and 2047-01-01, 00:00 UTC. */
#define NEAR_MS INT64_C(1798761600000)
#define FAR_MS  INT64_C(2429913600000)

static uint64_t rng = 0x9e3779b97f4a7c15u;

static unsigned next(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static kith_community *community(void)
{
	static const char *const days[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
	char text[2048];
	int n = snprintf(
	        text, sizeof text,
	        "[community]\nutc_offset = +0%u:00\n[schedule]\ndigest_at = 22:00\n"
	        "max_pushes_per_day = 5\nmin_gap = 45 min\n"
	        "[activity qa]\nevery = %u d\nfrom = 2026-11-%02u\nat = 20:00\n"
	        "importance = 3\npreheat = 8 h\n"
	        "[activity club]\nevery = week\non = %s, %s\nfrom = 2026-10-01\nat = 1%u:30\n"
	        "[activity review]\nevery = month\non = last fri\nfrom = 2026-01-01\n"
	        "at = 19:00\nimportance = 1\n"
	        "[activity checkin]\nevery = day\nfrom = 2026-12-01\nat = 09:%02u\n"
	        "preheat = none\nreminders = 30 min\n"
	        "[activity launch]\nfrom = 2027-01-%02u\nat = 21:00\nimportance = 3\n",
	        next(9), 2 + next(3), 1 + next(28), days[next(7)], days[next(7)], next(9), next(60),
	        1 + next(28));
	kith_community *c = NULL;
	kith_status st = kith_community_new(&c);
	if (st != KITH_OK)
		die("kith_community_new", NULL, st);
	st = kith_community_apply_charter(c, text, (size_t)n);
	if (st != KITH_OK)
		die("kith_community_apply_charter", c, st);
	return c;
}

/* Seconds to make (and free) every community's agenda from from_ms for
 * 30 days; *items receives how many items they hold. */
static double agendas(kith_community **cs, int64_t from_ms, size_t *items)
{
	double t0 = now_s();
	size_t total = 0;
	for (size_t i = 0; i < COMMUNITIES; i++) {
		kith_agenda *a = NULL;
		kith_status st = kith_agenda_new(cs[i], from_ms, from_ms + 30 * DAY_MS, &a);
		if (st != KITH_OK)
			die("kith_agenda_new", cs[i], st);
		total += kith_agenda_count(a);
		kith_agenda_free(a);
	}
	*items = total;
	return now_s() - t0;
}

int main(void)
{
	bench_program = "bench-schedule";
	kith_community **cs = xmalloc(COMMUNITIES * sizeof *cs);
	for (size_t i = 0; i < COMMUNITIES; i++)
		cs[i] = community();
	double near = 1e300, far = 1e300;
	size_t near_items = 0, far_items = 0;
	for (int r = 0; r < RUNS; r++) {
		double t = agendas(cs, NEAR_MS, &near_items);
		near = t < near ? t : near;
		t = agendas(cs, FAR_MS, &far_items);
		far = t < far ? t : far;
	}
	/* The far window holds the same recurring items (the once activity
	 * is long past): a check that it was not empty. */
	if (far_items == 0 || near_items == 0) {
		fprintf(stderr, "bench-schedule: an empty agenda (%zu near, %zu far)\n", near_items,
		        far_items);
		return 1;
	}
	report("agenda-10k", "seconds", near, "s");
	report("agenda-10k", "items_per_s", (double)near_items / near, "1/s");
	report("agenda-far", "seconds", far, "s");
	report("agenda-far", "items_per_s", (double)far_items / far, "1/s");
	report("agenda-far", "ratio_vs_near", near / far, "1");
	for (size_t i = 0; i < COMMUNITIES; i++)
		kith_community_free(cs[i]);
	free(cs);
	return 0;
}
