/*
 * Hours ranked by the group's engagement (slots.c), shared by the best
 * slot and the agenda's fillers.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_ENGINES_SCHEDULE_SLOTS_H
#define KITH_ENGINES_SCHEDULE_SLOTS_H

#include "engines/schedule/engagement.h"

#include <stdint.h>

/* The hours of a local day, best first, without engagement figures: the
 * evening, then midday, then the rest of the waking day. */
extern const uint8_t kith_schedule_default_hours[24];

/* The hours of a local day on weekday (0 Monday), best first: by the
 * engagement at that hour of the week (e may be NULL), ties in the
 * default order. */
void kith_schedule_hour_order(const struct kith_engagement *e, unsigned weekday, uint8_t out[24]);

#endif /* KITH_ENGINES_SCHEDULE_SLOTS_H */
