/*
 * The best slot for a new activity (include/kith/schedule.h): each local
 * hour of the week as a weekly start, checked against the quiet hours and
 * the next four weeks of the existing activities, ranked by the group's
 * engagement over the hours the activity would run.
 *
 * SPDX-License-Identifier: MIT
 */
#include "engines/schedule/activity.h"
#include "engines/schedule/engagement.h"
#include "engines/schedule/recurrence.h"
#include "engines/schedule/slots.h"
#include "engines/schedule/txn.h"
#include "kith.h"
#include "model/community.h"
#include "util/memory.h"
#include "util/text.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define DAY_MS  INT64_C(86400000)
#define HOUR_MS INT64_C(3600000)
#define WEEKS   4
#define TIME_LO INT64_C(-2208988800000)
#define TIME_HI INT64_C(253402300799999)

struct slot {
	int64_t first_ms, clash_ms;
	double engagement;
	uint32_t messages;
	int32_t clash; /* activity index, or -1 */
	uint8_t weekday, hour, reason, rank;
};

struct kith_slots {
	struct kith_mem mem;
	int64_t from_ms, duration_ms;
	struct slot slot[KITH_HOURS_PER_WEEK];
	char (*names)[KITH_ACTIVITY_NAME_MAX + 1];
	size_t name_n;
};

const uint8_t kith_schedule_default_hours[24] = {20, 12, 18, 21, 19, 13, 17, 11, 14, 10, 16, 15,
                                                 9,  22, 8,  23, 7,  0,  6,  1,  5,  2,  4,  3};

static const char *const reason_names[] = {"free", "quiet-hours", "clash"};

const char *kith_slot_reason_name(kith_slot_reason reason)
{
	return (unsigned)reason <= 2 ? reason_names[reason] : "unknown";
}

void kith_schedule_hour_order(const struct kith_engagement *e, unsigned weekday, uint8_t out[24])
{
	double rate[KITH_HOURS_PER_WEEK];
	kith_engagement_rates(e, rate);
	/* Insertion sort of the default order by rate, stable: ties keep
	 * the default order. */
	for (int i = 0; i < 24; i++) {
		uint8_t h = kith_schedule_default_hours[i];
		int j = i;
		while (j > 0 && rate[weekday * 24 + out[j - 1]] < rate[weekday * 24 + h]) {
			out[j] = out[j - 1];
			j--;
		}
		out[j] = h;
	}
}

/* Whether [t, t + dur) meets the quiet hours (local day base at off). */
static bool meets_quiet(const struct schedule_config *cfg, int64_t off, int64_t t, int64_t dur)
{
	int64_t qf = cfg->quiet_from_min * KITH_MS_PER_MIN,
	        qt = cfg->quiet_to_min * KITH_MS_PER_MIN;
	if (qf == qt)
		return false;
	int64_t end = t + dur;
	for (int64_t day = kith_floor_div(t + off, DAY_MS); day * DAY_MS - off < end; day++) {
		int64_t base = day * DAY_MS - off;
		int64_t lo[2], hi[2];
		int n = 0;
		if (qf < qt) {
			lo[n] = base + qf, hi[n++] = base + qt;
		} else {
			lo[n] = base, hi[n++] = base + qt;
			lo[n] = base + qf, hi[n++] = base + DAY_MS;
		}
		for (int k = 0; k < n; k++)
			if (lo[k] < end && t < hi[k])
				return true;
	}
	return false;
}

static int by_rank(const void *x, const void *y)
{
	const struct slot *a = x, *b = y;
	if ((a->reason == KITH_SLOT_FREE) != (b->reason == KITH_SLOT_FREE))
		return a->reason == KITH_SLOT_FREE ? -1 : 1;
	if (a->reason == KITH_SLOT_FREE && a->engagement != b->engagement)
		return a->engagement > b->engagement ? -1 : 1;
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	return a->weekday < b->weekday ? -1 : a->weekday > b->weekday;
}

/* The occurrences of every activity that may meet a slot: from a day
 * before from_ms (the longest duration is 30 d: from that much before)
 * to the last slot's end. */
static bool find_clashes(struct kith_slots *out, const struct kith_schedule *s, int32_t offset)
{
	int64_t lo = out->from_ms - 31 * DAY_MS,
	        hi = out->from_ms + (WEEKS + 1) * 7 * DAY_MS + out->duration_ms;
	struct kith_occurrence *occ = NULL;
	size_t cap = 0;
	bool ok = true;
	for (size_t a = 0; ok && a < s->act_n; a++) {
		const struct kith_recurrence *rec = &s->act[a].rec;
		size_t n = kith_recurrence_between(rec, offset, lo, hi, occ, cap);
		if (n > cap) {
			void *p = occ;
			ok = kith_mem_grow(&out->mem, &p, &cap, n, sizeof *occ);
			if (!ok)
				break;
			occ = p;
			kith_recurrence_between(rec, offset, lo, hi, occ, cap);
		}
		for (size_t i = 0; i < n; i++)
			for (int w = 0; w < KITH_HOURS_PER_WEEK; w++) {
				struct slot *sl = &out->slot[w];
				if (sl->reason != KITH_SLOT_FREE)
					continue;
				for (int k = 0; k < WEEKS; k++) {
					int64_t t = sl->first_ms + k * 7 * DAY_MS;
					if (occ[i].start_ms < t + out->duration_ms &&
					    t < occ[i].end_ms) {
						sl->reason = KITH_SLOT_CLASH;
						sl->clash = (int32_t)a;
						sl->clash_ms = occ[i].start_ms;
						break;
					}
				}
			}
	}
	if (occ)
		kith_mem_free(&out->mem, occ, cap * sizeof *occ);
	return ok;
}

kith_status kith_slots_new(kith_community *community, int64_t from_ms, int64_t duration_ms,
                           kith_slots **out)
{
	if (out)
		*out = NULL;
	if (!community || !out)
		return kith_fail(community, KITH_EINVAL, "kith_slots_new: NULL argument");
	kith_community *c = community;
	if (from_ms < TIME_LO || from_ms > TIME_HI - 60 * DAY_MS)
		return kith_fail(
		        c, KITH_EINVAL,
		        "kith_slots_new: from_ms %lld is not within the years 1900 to 9999",
		        (long long)from_ms);
	if (duration_ms < KITH_MS_PER_MIN || duration_ms > DAY_MS)
		return kith_fail(c, KITH_ERANGE,
		                 "kith_slots_new: a duration of %lld ms is not from 1 min to 24 h",
		                 (long long)duration_ms);
	kith_slots *r = kith_mem_calloc(&c->mem, 1, sizeof *r);
	if (!r)
		return kith_fail(c, KITH_ENOMEM, "out of memory finding slots");
	r->mem = c->mem;
	r->from_ms = from_ms;
	r->duration_ms = duration_ms;
	const struct kith_schedule *s = kith_schedule_of(c);
	struct schedule_config cfg;
	kith_schedule_config_of(c, &cfg);
	int32_t offset = c->settings.utc_offset_min;
	int64_t off = (int64_t)offset * KITH_MS_PER_MIN;
	double rate[KITH_HOURS_PER_WEEK];
	kith_engagement_rates(s ? s->engagement : NULL, rate);
	uint8_t rank[24];
	for (int i = 0; i < 24; i++)
		rank[kith_schedule_default_hours[i]] = (uint8_t)i;
	int64_t day0 = kith_floor_div(from_ms + off, DAY_MS);
	for (int w = 0; w < KITH_HOURS_PER_WEEK; w++) {
		struct slot *sl = &r->slot[w];
		sl->weekday = (uint8_t)(w / 24);
		sl->hour = (uint8_t)(w % 24);
		sl->rank = rank[sl->hour];
		sl->clash = -1;
		/* The first local day on that weekday whose start is not before
		 * from_ms. */
		int64_t day = day0 + (int64_t)((sl->weekday + 7 - kith_weekday(day0)) % 7);
		int64_t t = day * DAY_MS - off + sl->hour * HOUR_MS;
		if (t < from_ms)
			t += 7 * DAY_MS;
		sl->first_ms = t;
		/* Engagement over the hours it runs, a part hour in part. */
		for (int64_t x = 0; x < duration_ms; x += HOUR_MS) {
			int h = (w + (int)(x / HOUR_MS)) % KITH_HOURS_PER_WEEK;
			double part = duration_ms - x >= HOUR_MS
			                      ? 1.0
			                      : (double)(duration_ms - x) / HOUR_MS;
			sl->engagement += rate[h] * part;
			sl->messages += s && s->engagement ? s->engagement->messages[h] : 0;
		}
		if (meets_quiet(&cfg, off, t, duration_ms))
			sl->reason = KITH_SLOT_QUIET_HOURS;
	}
	bool ok = true;
	if (s && s->act_n) {
		r->names = kith_mem_alloc(&r->mem, s->act_n * sizeof *r->names);
		ok = r->names != NULL;
		if (ok) {
			r->name_n = s->act_n;
			for (size_t i = 0; i < s->act_n; i++)
				memcpy(r->names[i], s->act[i].name, sizeof r->names[i]);
			ok = find_clashes(r, s, offset);
		}
	}
	if (!ok) {
		kith_slots_free(r);
		return kith_fail(c, KITH_ENOMEM, "out of memory finding slots");
	}
	qsort(r->slot, KITH_HOURS_PER_WEEK, sizeof r->slot[0], by_rank);
	*out = r;
	return KITH_OK;
}

void kith_slots_free(kith_slots *slots)
{
	if (!slots)
		return;
	if (slots->names)
		kith_mem_free(&slots->mem, slots->names, slots->name_n * sizeof *slots->names);
	struct kith_mem mem = slots->mem;
	kith_mem_free(&mem, slots, sizeof *slots);
}

size_t kith_slots_count(const kith_slots *slots)
{
	return slots ? KITH_HOURS_PER_WEEK : 0;
}

kith_status kith_slots_item(const kith_slots *slots, size_t i, int *weekday, int *start_min,
                            int64_t *first_ms, kith_slot_reason *reason, double *engagement)
{
	if (!slots)
		return KITH_EINVAL;
	if (i >= KITH_HOURS_PER_WEEK)
		return KITH_ENOTFOUND;
	const struct slot *sl = &slots->slot[i];
	if (weekday)
		*weekday = sl->weekday;
	if (start_min)
		*start_min = sl->hour * 60;
	if (first_ms)
		*first_ms = sl->first_ms;
	if (reason)
		*reason = (kith_slot_reason)sl->reason;
	if (engagement)
		*engagement = sl->engagement;
	return KITH_OK;
}

kith_status kith_slots_evidence(const kith_slots *slots, size_t i, uint32_t *messages,
                                const char **clash_activity, int64_t *clash_ms)
{
	if (!slots)
		return KITH_EINVAL;
	if (i >= KITH_HOURS_PER_WEEK)
		return KITH_ENOTFOUND;
	const struct slot *sl = &slots->slot[i];
	if (messages)
		*messages = sl->messages;
	if (clash_activity)
		*clash_activity = sl->clash >= 0 ? slots->names[sl->clash] : NULL;
	if (clash_ms)
		*clash_ms = sl->clash >= 0 ? sl->clash_ms : KITH_TIME_NONE;
	return KITH_OK;
}

kith_status kith_slots_to_json(const kith_slots *slots, char *buf, size_t size, size_t *needed)
{
	static const char *const days[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
	if (!slots || (!buf && size))
		return KITH_EINVAL;
	struct kith_text o;
	kith_text_init(&o, buf, size);
	kith_text_puts(&o, "{\"from_ms\":");
	kith_text_i64(&o, slots->from_ms);
	kith_text_puts(&o, ",\"duration_ms\":");
	kith_text_i64(&o, slots->duration_ms);
	kith_text_puts(&o, ",\"slots\":[");
	for (size_t i = 0; i < KITH_HOURS_PER_WEEK; i++) {
		const struct slot *sl = &slots->slot[i];
		kith_text_printf(&o, "%s{\"weekday\":\"%s\",\"start\":\"%02u:00\",\"first_ms\":",
		                 i ? "," : "", days[sl->weekday], (unsigned)sl->hour);
		kith_text_i64(&o, sl->first_ms);
		kith_text_printf(&o, ",\"reason\":\"%s\",\"engagement\":%.6g,\"messages\":%u",
		                 kith_slot_reason_name((kith_slot_reason)sl->reason),
		                 sl->engagement, (unsigned)sl->messages);
		kith_text_puts(&o, ",\"clash\":");
		if (sl->clash >= 0) {
			kith_text_json_string(&o, slots->names[sl->clash],
			                      strlen(slots->names[sl->clash]));
			kith_text_puts(&o, ",\"clash_ms\":");
			kith_text_i64(&o, sl->clash_ms);
		} else {
			kith_text_puts(&o, "null");
		}
		kith_text_puts(&o, "}");
	}
	kith_text_puts(&o, "]}");
	kith_text_finish(&o, needed);
	return KITH_OK;
}
