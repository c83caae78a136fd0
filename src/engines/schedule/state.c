/*
 * The schedule engine in snapshots: its activities and [schedule]
 * settings as text, as the SCHD section (io/container.c frames it).
 *
 * SPDX-License-Identifier: MIT
 *
 * Section SCHD (optional)
 * -----------------------
 *   u32 activity count (<= KITH_ACTIVITIES_MAX), then per activity in the
 *       order they were first set: str name, then per key in the order of
 *       activity.h (every, on, from, at, duration, importance, preheat,
 *       reminders, until, count, cancel, move): str value, empty when
 *       the key is not set
 *   then per [schedule] setting in the order of activity.h (quiet_hours,
 *       max_pushes_per_day, min_gap, min_interactions_per_day, digest_at,
 *       revive_after, topics, greetings, festivals, celebrate_at): str
 *       value, empty when it reads its default
 *   then per agenda template in the order of kith_agenda_kind (preheat,
 *       reminder, start, end, digest, revive, filler, greeting, festival,
 *       birthday, check-in): str value, empty when it reads its default
 *   u8 1 when the engagement counters follow (a message was counted),
 *       else 0; then i64 base hour, i64 first and i64 last message
 *       counted (ms), 168 x u64 the weights (IEEE-754 binary64 bits,
 *       finite, >= 0), 168 x u32 the messages counted, by local hour of
 *       the week
 *   u32 birthday count (at most the members), then per birthday in
 *       strictly increasing id order (bytes, then length): str member id,
 *       u8 month, u8 day (a day of that month in a leap year)
 *
 * Values are the text each setting holds: trimmed, valid, and never a
 * [schedule] setting's or a template's default text, so that loading and saving again
 * gives the same bytes. Every activity has at least one key set, and the
 * section holds at least one activity, setting, template, engagement
 * counter or birthday: the engine writes it only while it has state
 * (snapshot_optional), and a snapshot without it loads with no schedule. Loading replays every
 * value through the engine's own transaction (kith_schedule_txn_set, then
 * kith_schedule_txn_prepare) into a change that starts from nothing, so
 * every check kith_setting_set makes applies; install swaps the result in.
 */
#include "engines/schedule/state.h"

#include "engines/schedule/activity.h"
#include "engines/schedule/template.h"
#include "engines/schedule/txn.h"
#include "io/container.h"
#include "io/named-defs.h"
#include "model/community.h"
#include "model/roles.h"
#include "util/memory.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static kith_status set(void *ctx, const char *name, const char *v, size_t n, char *err, size_t es);

/* The activities and [schedule] settings, encoded as io/named-defs.h
 * says. */
static const struct kith_snap_defs activity_defs = {
        .kind = &kith_activities_kind,
        .noun = "activity",
        .a_noun = "an activity",
        .section = "schedule",
        .value_max = KITH_ACTIVITY_VALUE_MAX,
        .key_name = kith_activity_key_name,
        .global_name = kith_schedule_key_name,
        .set = set,
};

static void put_engagement(struct kith_snap_writer *w, const struct kith_engagement *e)
{
	kith_snap_put_i64(w, e->base_hour);
	kith_snap_put_i64(w, e->first_ms);
	kith_snap_put_i64(w, e->last_ms);
	for (int h = 0; h < KITH_HOURS_PER_WEEK; h++) {
		uint64_t bits;
		memcpy(&bits, &e->weight[h], sizeof bits);
		kith_snap_put_u64(w, bits);
	}
	for (int h = 0; h < KITH_HOURS_PER_WEEK; h++)
		kith_snap_put_u32(w, e->messages[h]);
}

void kith_schedule_snapshot_write(struct kith_snap_writer *w, const kith_community *c)
{
	const struct kith_schedule *s = kith_schedule_of(c);
	if (s)
		kith_snap_put_defs(w, &activity_defs, s->defs.act, s->defs.count, s->defs.global);
	else
		kith_snap_put_defs(w, &activity_defs, NULL, 0, NULL);
	for (int k = 0; k < KITH_SCHEDULE_TEMPLATES; k++)
		kith_snap_put_text(w, s ? s->defs.tmpl[k] : NULL);
	const struct kith_engagement *e = s ? s->engagement : NULL;
	bool counted = e && e->first_ms != INT64_MIN;
	kith_snap_put_u8(w, counted);
	if (counted)
		put_engagement(w, e);
	kith_snap_put_u32(w, s ? (uint32_t)s->bday_n : 0);
	for (size_t i = 0; s && i < s->bday_n; i++) {
		kith_snap_put_text(w, s->bday[i].id);
		kith_snap_put_u8(w, s->bday[i].month);
		kith_snap_put_u8(w, s->bday[i].day);
	}
}

/* The engagement counters, when the section holds them. */
static bool read_engagement(struct kith_snap_reader *r, const struct kith_mem *mem,
                            struct kith_schedule *s)
{
	uint64_t at = kith_snap_offset(r);
	uint8_t counted;
	if (!kith_snap_get_u8(r, &counted))
		return false;
	if (counted > 1)
		return kith_snap_fail(r, KITH_ECORRUPT, at, "the engagement flag is %u, not 0 or 1",
		                      counted);
	if (!counted)
		return true;
	struct kith_engagement *e = kith_engagement_new(mem);
	if (!e)
		return kith_snap_fail(r, KITH_ENOMEM, at, "out of memory for the engagement");
	bool ok = kith_snap_get_i64(r, &e->base_hour) && kith_snap_get_i64(r, &e->first_ms) &&
	          kith_snap_get_i64(r, &e->last_ms);
	for (int h = 0; ok && h < KITH_HOURS_PER_WEEK; h++) {
		uint64_t bits;
		ok = kith_snap_get_u64(r, &bits);
		memcpy(&e->weight[h], &bits, sizeof bits);
	}
	for (int h = 0; ok && h < KITH_HOURS_PER_WEEK; h++)
		ok = kith_snap_get_u32(r, &e->messages[h]);
	if (ok && !kith_engagement_valid(e))
		ok = kith_snap_fail(r, KITH_ECORRUPT, at,
		                    "the engagement counters are not ones messages make");
	if (!ok) {
		kith_engagement_free(mem, e);
		return false;
	}
	s->engagement = e;
	return true;
}

/* ---- reading ---------------------------------------------------------------- */

struct loading {
	struct kith_snap_reader *r;
	kith_community *c;
	const struct kith_roles *roles;
	struct schedule_txn *t;
	bool any; /* an activity or a setting was read */
	char value[KITH_ACTIVITY_VALUE_MAX + 1];
};

/* A value read, through the engine's own transaction. */
static kith_status set(void *ctx, const char *name, const char *v, size_t n, char *err, size_t es)
{
	struct loading *ld = ctx;
	void *txn = ld->t;
	return kith_schedule_txn_set(ld->c, &txn, ld->roles, name, v, n, err, es);
}

/* The templates, each set through the engine's transaction and then
 * found in its slot as read (not the default's text). */
static bool read_templates(struct loading *ld)
{
	struct kith_snap_reader *r = ld->r;
	for (int k = 1; k <= KITH_SCHEDULE_TEMPLATES; k++) {
		uint64_t at = kith_snap_offset(r);
		size_t n;
		if (!kith_snap_get_str(r, ld->value, KITH_TEMPLATE_MAX, &n, "a template"))
			return false;
		if (!n)
			continue;
		char name[64], why[KITH_ERROR_MAX];
		snprintf(name, sizeof name, "%s%s", KITH_SCHEDULE_TEMPLATE_PREFIX,
		         kith_schedule_kind_name(k));
		kith_status st = set(ld, name, ld->value, n, why, sizeof why);
		if (st == KITH_ENOMEM)
			return kith_snap_fail(r, KITH_ENOMEM, at, "out of memory for %s", name);
		if (st != KITH_OK)
			return kith_snap_fail(r, KITH_ECORRUPT, at, "%s: %s", name, why);
		const char *held = ld->t->defs.tmpl[k - 1];
		if (!held || strlen(held) != n || memcmp(held, ld->value, n) != 0)
			return kith_snap_fail(r, KITH_ECORRUPT, at,
			                      "%s is not as a setting holds it (untrimmed, or the "
			                      "default's text)",
			                      name);
		ld->any = true;
	}
	return true;
}

static bool read_definitions(struct loading *ld)
{
	struct kith_snap_reader *r = ld->r;
	struct schedule_defs *d = &ld->t->defs;
	if (!kith_snap_get_defs(r, &activity_defs, ld, d->act, &d->count, d->global, ld->value,
	                        &ld->any) ||
	    !read_templates(ld))
		return false;
	char why[KITH_ERROR_MAX];
	uint64_t at = kith_snap_offset(r);
	kith_status st = kith_schedule_txn_prepare(ld->c, ld->t, ld->roles, why, sizeof why);
	if (st == KITH_ENOMEM)
		return kith_snap_fail(r, KITH_ENOMEM, at, "out of memory compiling the activities");
	if (st != KITH_OK)
		return kith_snap_fail(r, KITH_ECORRUPT, at, "the activities do not compile: %s",
		                      why);
	/* Without definitions, a state to hold the counters and birthdays
	 * that follow (refused below if there are none). */
	if (!ld->t->prepared) {
		ld->t->prepared = kith_mem_calloc(&ld->c->mem, 1, sizeof *ld->t->prepared);
		if (!ld->t->prepared)
			return kith_snap_fail(r, KITH_ENOMEM, at, "out of memory for the schedule");
		char *none[SK_N] = {NULL};
		kith_schedule_config_compile(none, &ld->t->prepared->cfg);
	}
	return true;
}

/* The birthdays: sorted by id, each a valid month and day. */
static bool read_birthdays(struct loading *ld, struct kith_schedule *s, uint32_t members)
{
	struct kith_snap_reader *r = ld->r;
	uint64_t at = kith_snap_offset(r);
	uint32_t count;
	if (!kith_snap_get_u32(r, &count) ||
	    !kith_snap_check_count(r, at, count, members, 6, "birthdays"))
		return false;
	char *id = ld->value;
	char prev[KITH_ID_MAX + 1];
	size_t prev_n = 0;
	for (uint32_t i = 0; i < count; i++) {
		size_t n;
		uint8_t month, day;
		at = kith_snap_offset(r);
		if (!kith_snap_get_str(r, id, KITH_ID_MAX, &n, "a birthday's member id") ||
		    !kith_snap_get_u8(r, &month) || !kith_snap_get_u8(r, &day))
			return false;
		if (n == 0 || memchr(id, '\0', n))
			return kith_snap_fail(r, KITH_ECORRUPT, at,
			                      "a birthday's member id is empty "
			                      "or holds a NUL byte");
		if (month < 1 || month > 12 || day < 1 || day > kith_month_length(2000, month))
			return kith_snap_fail(r, KITH_ECORRUPT, at, "birthday %u-%u is not a date",
			                      month, day);
		int cmp = i ? memcmp(prev, id, prev_n < n ? prev_n : n) : -1;
		if (i && (cmp > 0 || (cmp == 0 && prev_n >= n)))
			return kith_snap_fail(r, KITH_ECORRUPT, at,
			                      "birthdays are not in strictly increasing id order");
		if (!kith_schedule_birthday_put(&ld->c->mem, s, id, n, month, day))
			return kith_snap_fail(r, KITH_ENOMEM, at, "out of memory for birthdays");
		memcpy(prev, id, n);
		prev_n = n;
	}
	if (!ld->any && !s->engagement && !s->bday_n)
		return kith_snap_fail(r, KITH_ECORRUPT, at,
		                      "the section holds no activity, setting, template, "
		                      "engagement or birthday (a schedule without state writes no "
		                      "section)");
	return true;
}

bool kith_schedule_snapshot_read(struct kith_snap_reader *r, kith_community *c,
                                 const struct kith_roles *roles, uint32_t members, void **out)
{
	*out = NULL;
	const struct kith_mem *mem = &c->mem;
	uint64_t at = kith_snap_offset(r);
	struct loading *ld = kith_mem_alloc(mem, sizeof *ld);
	if (!ld)
		return kith_snap_fail(r, KITH_ENOMEM, at, "out of memory for the schedule");
	ld->r = r;
	ld->c = c;
	ld->roles = roles;
	ld->t = kith_schedule_txn_empty(mem);
	bool ok = ld->t != NULL;
	if (!ok)
		kith_snap_fail(r, KITH_ENOMEM, at, "out of memory for the schedule");
	else
		ok = read_definitions(ld) && read_engagement(r, mem, ld->t->prepared) &&
		     read_birthdays(ld, ld->t->prepared, members);
	if (ok) {
		*out = ld->t->prepared;
		ld->t->prepared = NULL;
	}
	if (ld->t)
		kith_schedule_txn_abort(c, ld->t);
	kith_mem_free(mem, ld, sizeof *ld);
	return ok;
}

void kith_schedule_install(kith_community *c, void *loaded)
{
	kith_schedule_replace(c, loaded);
}

void kith_schedule_discard(kith_community *c, void *loaded)
{
	kith_schedule_state_free(&c->mem, loaded);
}
