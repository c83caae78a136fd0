/*
 * The group's engagement by local hour of the week. See engagement.h.
 *
 * SPDX-License-Identifier: MIT
 *
 * Decay without touching every counter at every message: a message at
 * hour h adds w * e^((h - base) / tau), which is w decayed to any later
 * time t once everything is multiplied by e^(-(t - base) / tau). Reading
 * does that multiply. When the scale passes 2^200 (some 1,500 years of
 * messages after base) the counters are rescaled to the new hour.
 */
#include "engines/schedule/engagement.h"

#include "engines/schedule/recurrence.h"
#include "util/memory.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define HOUR_MS INT64_C(3600000)
#define WEEK_H  168
#define RESCALE 1.6069380442589903e60 /* 2^200 */

struct kith_engagement *kith_engagement_new(const struct kith_mem *mem)
{
	struct kith_engagement *e = kith_mem_calloc(mem, 1, sizeof *e);
	if (e) {
		e->first_ms = e->last_ms = INT64_MIN;
		e->cached_hour = INT64_MIN;
	}
	return e;
}

void kith_engagement_free(const struct kith_mem *mem, struct kith_engagement *e)
{
	if (e)
		kith_mem_free(mem, e, sizeof *e);
}

static double scale_of(struct kith_engagement *e, int64_t hour)
{
	if (hour != e->cached_hour) {
		e->cached_hour = hour;
		e->cached_scale = exp((double)(hour - e->base_hour) / KITH_ENGAGEMENT_TAU_H);
	}
	return e->cached_scale;
}

void kith_engagement_add(struct kith_engagement *e, int64_t t_ms, int32_t offset_min, bool reply)
{
	int64_t hour = kith_floor_div(t_ms, HOUR_MS);
	if (e->first_ms == INT64_MIN) {
		e->base_hour = hour;
		e->first_ms = e->last_ms = t_ms;
	}
	double scale = scale_of(e, hour);
	if (scale > RESCALE) {
		for (int w = 0; w < WEEK_H; w++)
			e->weight[w] /= scale;
		e->base_hour = hour;
		e->cached_hour = INT64_MIN;
		scale = scale_of(e, hour);
	}
	int64_t local = t_ms + (int64_t)offset_min * KITH_MS_PER_MIN;
	int64_t day = kith_floor_div(local, 24 * HOUR_MS);
	int w = (int)kith_weekday(day) * 24 + (int)((local - day * 24 * HOUR_MS) / HOUR_MS);
	e->weight[w] += (reply ? 2.0 : 1.0) * scale;
	e->messages[w] += e->messages[w] != UINT32_MAX;
	if (t_ms < e->first_ms)
		e->first_ms = t_ms;
	if (t_ms > e->last_ms)
		e->last_ms = t_ms;
}

void kith_engagement_rates(const struct kith_engagement *e, double rate[KITH_HOURS_PER_WEEK])
{
	memset(rate, 0, KITH_HOURS_PER_WEEK * sizeof *rate);
	if (!e || e->first_ms == INT64_MIN)
		return;
	/* Decayed to the last message, then over the decayed number of
	 * weeks seen (at least one): a rate per week. */
	double now = (double)(kith_floor_div(e->last_ms, HOUR_MS) - e->base_hour);
	double to_now = exp(-now / KITH_ENGAGEMENT_TAU_H);
	double weeks = (double)(e->last_ms - e->first_ms) / (double)(WEEK_H * HOUR_MS);
	if (weeks < 1)
		weeks = 1;
	double per_week = (1 - exp(-(double)WEEK_H / KITH_ENGAGEMENT_TAU_H)) /
	                  (1 - exp(-weeks * WEEK_H / KITH_ENGAGEMENT_TAU_H));
	for (int w = 0; w < WEEK_H; w++)
		rate[w] = e->weight[w] * to_now * per_week;
}

bool kith_engagement_valid(const struct kith_engagement *e)
{
	if (e->first_ms == INT64_MIN || e->first_ms > e->last_ms)
		return false;
	int64_t lo = kith_floor_div(e->first_ms, HOUR_MS), hi = kith_floor_div(e->last_ms, HOUR_MS);
	/* base is an hour a message was counted at. */
	if (e->base_hour < lo || e->base_hour > hi)
		return false;
	for (int w = 0; w < WEEK_H; w++)
		if (!isfinite(e->weight[w]) || e->weight[w] < 0 || e->weight[w] > 1e300 ||
		    (e->weight[w] > 0 && e->messages[w] == 0))
			return false;
	return true;
}
