/*
 * kith-gen: time: local days at UTC+08:00 and the hours of a day weighted by
 * the group's rhythm.
 *
 * SPDX-License-Identifier: MIT
 */
#include "gen.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Relative weight of each local hour: night is quiet, lunch and the
 * evening are busy. */
static const unsigned hour_weight[24] = {3,  2,  1, 1, 1,  2,  5,  12, 16, 14, 12, 12,
                                         14, 10, 9, 9, 10, 10, 11, 15, 22, 24, 18, 8};

int64_t day_start(const struct gen *g, int32_t d)
{
	int64_t t = g->mid0 + d * MS_DAY;
	return t < g->start ? g->start : t;
}

int64_t day_end(const struct gen *g, int32_t d)
{
	return g->mid0 + (d + 1) * MS_DAY;
}

static unsigned pick_hour(struct gen *g)
{
	unsigned total = 0, x;
	for (int h = 0; h < 24; h++)
		total += hour_weight[h];
	x = (unsigned)rng_below(&g->rng, total);
	for (unsigned h = 0; h < 24; h++) {
		if (x < hour_weight[h])
			return h;
		x -= hour_weight[h];
	}
	return 23;
}

/* A time on day d within [lo, hi), following the daily rhythm when it
 * can; -1 when the window is empty. */
int64_t sample_time(struct gen *g, int32_t d, int64_t lo, int64_t hi)
{
	int64_t a = lo > day_start(g, d) ? lo : day_start(g, d);
	int64_t b = hi < day_end(g, d) ? hi : day_end(g, d);
	if (a >= b)
		return -1;
	for (int i = 0; i < 16; i++) {
		int64_t t = g->mid0 + d * MS_DAY + (int64_t)pick_hour(g) * MS_HOUR +
		            rng_range(&g->rng, 0, MS_HOUR);
		if (t >= a && t < b)
			return t;
	}
	return rng_range(&g->rng, a, b);
}

/* A uniform time within [lo, hi) clipped to day d; -1 when empty. */
int64_t window_time(struct gen *g, int32_t d, int64_t lo, int64_t hi)
{
	int64_t a = lo > day_start(g, d) ? lo : day_start(g, d);
	int64_t b = hi < day_end(g, d) ? hi : day_end(g, d);
	return a < b ? rng_range(&g->rng, a, b) : -1;
}

/* UTC ms of local time hh:mm on day d. */
int64_t local_at(const struct gen *g, int32_t d, int hh, int mm)
{
	return g->mid0 + d * MS_DAY + hh * MS_HOUR + mm * MS_MINUTE;
}

bool here(const struct gen *g, uint32_t who, int64_t t)
{
	const struct member *mb = &g->m[who];
	return mb->join_day != NO_DAY && mb->join_ms < t && t < mb->leave_ms;
}
