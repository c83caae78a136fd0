/*
 * The group's engagement by local hour of the week (engagement.c): 168
 * decayed counters the schedule engine's ingest hook keeps, for the
 * best slot of a new activity and the hours of fillers.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_ENGINES_SCHEDULE_ENGAGEMENT_H
#define KITH_ENGINES_SCHEDULE_ENGAGEMENT_H

#include "util/memory.h"

#include <stdbool.h>
#include <stdint.h>

#define KITH_HOURS_PER_WEEK 168
/* The decay's time constant, in hours: 16 weeks. */
#define KITH_ENGAGEMENT_TAU_H (16 * 168)

/* Hour of week w is weekday w / 24 (0 Monday) at local hour w % 24.
 * A message weighs 1, a reply (a message with a to or a reply_to) 2,
 * times e^((hour - base_hour) / tau): scaled to base_hour, so that
 * adding is one multiply; the scale is moved when it grows large. */
struct kith_engagement {
	double weight[KITH_HOURS_PER_WEEK];
	uint32_t messages[KITH_HOURS_PER_WEEK]; /* counted, undecayed (saturate) */
	int64_t base_hour;                      /* UTC hours since the epoch */
	int64_t first_ms, last_ms;              /* earliest and latest message counted */
	/* The scale of the last hour seen, so that a burst costs no exp(). */
	int64_t cached_hour;
	double cached_scale;
};

struct kith_engagement *kith_engagement_new(const struct kith_mem *mem);
void kith_engagement_free(const struct kith_mem *mem, struct kith_engagement *e);
/* Count a message at t_ms under a UTC offset (minutes). */
void kith_engagement_add(struct kith_engagement *e, int64_t t_ms, int32_t offset_min, bool reply);
/* Expected weighted messages per week at each hour of week, as of the
 * last message counted: the decayed sums over the weeks they cover. All
 * zero for NULL or before any message. */
void kith_engagement_rates(const struct kith_engagement *e, double rate[KITH_HOURS_PER_WEEK]);
/* Whether the fields could have been made by kith_engagement_add (for a
 * snapshot being read). */
bool kith_engagement_valid(const struct kith_engagement *e);

#endif /* KITH_ENGINES_SCHEDULE_ENGAGEMENT_H */
