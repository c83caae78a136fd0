/*
 * The agenda (include/kith/schedule.h): the items of the activities in a
 * horizon, with the pushes placed under quiet hours, the daily cap and
 * the minimum gap.
 *
 * SPDX-License-Identifier: MIT
 *
 * Placement is greedy in a fixed order (importance, highest first; then
 * planned time; then activity order; then kind), each push at the
 * earliest time from its planned one (after any quiet-hours delay) that
 * is outside quiet hours, on a local day below the cap and at least the
 * gap from every push placed so far, found by jumping: to the end of
 * quiet hours, to the next local day, or past the push in the way. Each
 * jump moves forward, so the search ends; a push whose time would reach
 * its deadline is dropped. By construction no placed push is in quiet
 * hours, no local day has more than the cap, and no two are closer than
 * the gap.
 */
#include "engines/schedule/activity.h"
#include "engines/schedule/recurrence.h"
#include "engines/schedule/slots.h"
#include "engines/schedule/template.h"
#include "engines/schedule/txn.h"
#include "kith.h"
#include "model/community.h"
#include "model/members.h"
#include "util/memory.h"
#include "util/text.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY_MS      INT64_C(86400000)
#define NO_ACTIVITY UINT32_MAX
#define NO_LABEL    UINT32_MAX
#define HOUR_MS     INT64_C(3600000)
/* Times an agenda may name: the years 1900 to 9999. */
#define TIME_LO INT64_C(-2208988800000)
#define TIME_HI INT64_C(253402300799999)

struct item {
	int64_t time, planned, event;
	uint32_t act;   /* index in the agenda's names, or NO_ACTIVITY */
	uint32_t seq;   /* order of generation: the last tie-break */
	uint32_t label; /* its label in the agenda's labels, or NO_LABEL */
	uint8_t kind, importance, fate, reason;
};

struct kith_agenda {
	struct kith_mem mem;
	int64_t from_ms, to_ms;
	/* Items are generated with planned times in [gen_from, gen_to): whole
	 * local days around the horizon, so that every push that may land
	 * in it, or be dropped in it, is placed with all its day's others. */
	int64_t gen_from, gen_to;
	struct item *items;
	size_t count, cap;
	char (*names)[KITH_ACTIVITY_NAME_MAX + 1];
	size_t name_n;
	/* Labels: schedule.topics first (topic_n of them), then festival
	 * names, greeting parts, birthday members' ids (each followed by the
	 * member's display name, or the id again), check-in days, and the
	 * texts items are rendered from. */
	uint32_t *label_at; /* label i starts at text + label_at[i] */
	size_t label_n, label_cap, topic_n;
	char *text; /* the labels, each NUL-terminated */
	size_t text_n, text_cap;
	/* Item texts are rendered when read, from the templates in force
	 * when the agenda was made (labels; NO_LABEL: the default), the
	 * community's name (a label) and its UTC offset. */
	uint32_t tmpl[KITH_SCHEDULE_TEMPLATES];
	uint32_t community;
	int32_t offset_min;
};

static const char *const fate_names[] = {"kept", "moved", "dropped"};
static const char *const reason_names[] = {"none", "quiet-hours", "daily-cap", "min-gap"};

const char *kith_agenda_kind_name(kith_agenda_kind kind)
{
	const char *name = kith_schedule_kind_name((int)kind);
	return name ? name : "unknown";
}

const char *kith_agenda_fate_name(kith_agenda_fate fate)
{
	return (unsigned)fate <= 2 ? fate_names[fate] : "unknown";
}

const char *kith_agenda_reason_name(kith_agenda_reason reason)
{
	return (unsigned)reason <= 3 ? reason_names[reason] : "unknown";
}

static void agenda_destroy(kith_agenda *a)
{
	if (a->items)
		kith_mem_free(&a->mem, a->items, a->cap * sizeof *a->items);
	if (a->names)
		kith_mem_free(&a->mem, a->names, a->name_n * sizeof *a->names);
	if (a->label_at)
		kith_mem_free(&a->mem, a->label_at, a->label_cap * sizeof *a->label_at);
	if (a->text)
		kith_mem_free(&a->mem, a->text, a->text_cap);
	kith_mem_free(&a->mem, a, sizeof *a);
}

void kith_agenda_free(kith_agenda *agenda)
{
	if (agenda)
		agenda_destroy(agenda);
}

static bool add(kith_agenda *a, int64_t time, int64_t event, uint32_t act, int kind, int importance)
{
	if (time < a->gen_from || time >= a->gen_to)
		return true;
	if (a->count == a->cap) {
		void *p = a->items;
		if (!kith_mem_grow(&a->mem, &p, &a->cap, a->count + 1, sizeof *a->items))
			return false;
		a->items = p;
	}
	struct item *it = &a->items[a->count];
	it->time = it->planned = time;
	it->event = event;
	it->act = act;
	it->seq = (uint32_t)a->count++;
	it->label = NO_LABEL;
	it->kind = (uint8_t)kind;
	it->importance = (uint8_t)importance;
	it->fate = KITH_AGENDA_KEPT;
	it->reason = KITH_AGENDA_REASON_NONE;
	return true;
}

/* A label for items (a festival's name, a member's id), NUL-terminated:
 * its index, or NO_LABEL when out of memory. */
static uint32_t add_label(kith_agenda *a, const char *text, size_t n)
{
	if (a->label_n == a->label_cap) {
		void *p = a->label_at;
		if (!kith_mem_grow(&a->mem, &p, &a->label_cap, a->label_n + 1, sizeof *a->label_at))
			return NO_LABEL;
		a->label_at = p;
	}
	if (a->text_cap - a->text_n < n + 1) {
		void *p = a->text;
		if (!kith_mem_grow(&a->mem, &p, &a->text_cap, a->text_n + n + 1, 1))
			return NO_LABEL;
		a->text = p;
	}
	memcpy(a->text + a->text_n, text, n);
	a->text[a->text_n + n] = '\0';
	a->label_at[a->label_n] = (uint32_t)a->text_n;
	a->text_n += n + 1;
	return (uint32_t)a->label_n++;
}

/* Whether the last item generated is in the range: add() leaves out the
 * ones outside it. */
static void label_last(kith_agenda *a, size_t before, uint32_t label)
{
	if (a->count > before)
		a->items[before].label = label;
}

/* ---- generating --------------------------------------------------------- */

static bool add_activity(kith_agenda *a, const struct activity *act, uint32_t index,
                         int32_t offset_min, struct kith_occurrence **occ, size_t *occ_cap)
{
	int64_t lead = act->preheat_ms;
	for (size_t r = 0; r < act->reminder_n; r++)
		if (act->reminder_ms[r] > lead)
			lead = act->reminder_ms[r];
	/* Occurrences whose items can fall in the horizon: from a start a
	 * duration before it to one the longest lead after it. */
	int64_t from = a->gen_from - act->rec.duration_ms, to = a->gen_to + lead + 1;
	size_t n = kith_recurrence_between(&act->rec, offset_min, from, to, *occ, *occ_cap);
	if (n > *occ_cap) {
		void *p = *occ;
		if (!kith_mem_grow(&a->mem, &p, occ_cap, n, sizeof **occ))
			return false;
		*occ = p;
		kith_recurrence_between(&act->rec, offset_min, from, to, *occ, *occ_cap);
	}
	for (size_t i = 0; i < n; i++) {
		const struct kith_occurrence *o = &(*occ)[i];
		bool ok = true;
		if (act->preheat_ms)
			ok &= add(a, o->start_ms - act->preheat_ms, o->start_ms, index,
			          KITH_AGENDA_PREHEAT, act->importance);
		for (size_t r = 0; r < act->reminder_n; r++)
			ok &= add(a, o->start_ms - act->reminder_ms[r], o->start_ms, index,
			          KITH_AGENDA_REMINDER, act->importance);
		size_t before = a->count;
		ok &= add(a, o->start_ms, o->start_ms, index,
		          act->checkin ? KITH_AGENDA_CHECKIN : KITH_AGENDA_START, act->importance);
		if (ok && act->checkin && a->count > before) {
			char day[48];
			int dn = snprintf(day, sizeof day, "day %lld of %u",
			                  (long long)o->day - (long long)act->rec.from_day + 1,
			                  act->rec.count);
			uint32_t label = add_label(a, day, (size_t)dn);
			ok = label != NO_LABEL;
			label_last(a, before, label);
		}
		ok &= add(a, o->end_ms, o->start_ms, index, KITH_AGENDA_END, act->importance);
		if (!ok)
			return false;
	}
	return true;
}

static bool add_digests(kith_agenda *a, const struct schedule_config *cfg, int32_t offset_min)
{
	if (cfg->digest_at_min < 0)
		return true;
	int64_t off = (int64_t)offset_min * KITH_MS_PER_MIN,
	        at = cfg->digest_at_min * KITH_MS_PER_MIN;
	int64_t day = kith_floor_div(a->gen_from + off, DAY_MS);
	for (int64_t t = day * DAY_MS - off + at; t < a->gen_to; t += DAY_MS)
		if (!add(a, t, t, NO_ACTIVITY, KITH_AGENDA_DIGEST, 1))
			return false;
	return true;
}

/* The daily greetings at their local times, "morning" before noon and
 * "evening" from noon. */
static bool add_greetings(kith_agenda *a, const struct schedule_config *cfg, int32_t offset_min)
{
	if (cfg->greeting_n == 0)
		return true;
	uint32_t morning = add_label(a, "morning", 7), evening = add_label(a, "evening", 7);
	if (morning == NO_LABEL || evening == NO_LABEL)
		return false;
	int64_t off = (int64_t)offset_min * KITH_MS_PER_MIN;
	int64_t day = kith_floor_div(a->gen_from + off, DAY_MS);
	for (int64_t base = day * DAY_MS - off; base < a->gen_to; base += DAY_MS)
		for (uint32_t g = 0; g < cfg->greeting_n; g++) {
			int64_t t = base + cfg->greeting_min[g] * KITH_MS_PER_MIN;
			size_t before = a->count;
			if (!add(a, t, t, NO_ACTIVITY, KITH_AGENDA_GREETING, 1))
				return false;
			label_last(a, before, cfg->greeting_min[g] < 720 ? morning : evening);
		}
	return true;
}

/* An item at schedule.celebrate_at on a local date, each year (year 0)
 * or once; a 29 February falls only in leap years. */
static bool add_yearly(kith_agenda *a, const struct schedule_config *cfg, int64_t off, int64_t year,
                       unsigned month, unsigned mday, int kind, uint32_t label)
{
	int64_t y0, y1;
	unsigned m, d;
	kith_civil_from_days(kith_floor_div(a->gen_from + off, DAY_MS), &y0, &m, &d);
	kith_civil_from_days(kith_floor_div(a->gen_to + off, DAY_MS), &y1, &m, &d);
	if (year) {
		if (year < y0 || year > y1)
			return true;
		y0 = y1 = year;
	}
	for (int64_t y = y0; y <= y1; y++) {
		if (mday > kith_month_length(y, month))
			continue;
		int64_t t = kith_days_from_civil(y, month, mday) * DAY_MS - off +
		            cfg->celebrate_min * KITH_MS_PER_MIN;
		size_t before = a->count;
		if (!add(a, t, t, NO_ACTIVITY, kind, 2))
			return false;
		label_last(a, before, label);
	}
	return true;
}

struct festival_gen {
	kith_agenda *a;
	const struct schedule_config *cfg;
	int64_t off;
	bool ok;
};

static void gen_festival(void *payload, const struct festival *fe)
{
	struct festival_gen *g = payload;
	if (!g->ok)
		return;
	uint32_t label = add_label(g->a, fe->name, fe->name_n);
	g->ok = label != NO_LABEL && add_yearly(g->a, g->cfg, g->off, fe->year, fe->month, fe->day,
	                                        KITH_AGENDA_FESTIVAL, label);
}

/* A birthday's labels: the member's id, then the name {member} reads
 * (the display name, or the id of a member without one or gone). */
static bool birthday_labels(kith_agenda *a, const kith_community *c, const struct birthday *b,
                            uint32_t *label)
{
	const char *name = b->id;
	size_t name_n = b->id_n;
	uint32_t h = kith_members_find(&c->members, b->id, b->id_n);
	if (h != UINT32_MAX) {
		size_t dn = 0;
		const char *d = kith_member_display_name(c, h, &dn);
		if (d && dn) {
			name = d;
			name_n = dn;
		}
	}
	*label = add_label(a, b->id, b->id_n);
	return *label != NO_LABEL && add_label(a, name, name_n) != NO_LABEL;
}

/* Birthdays on their local dates, each year; 29 February on the 28th in
 * other years. Only the ones the horizon meets get a label. */
static bool add_birthdays(kith_agenda *a, const kith_community *c, const struct kith_schedule *s,
                          const struct schedule_config *cfg, int32_t offset_min)
{
	int64_t off = (int64_t)offset_min * KITH_MS_PER_MIN, y0, y1;
	unsigned m, d;
	kith_civil_from_days(kith_floor_div(a->gen_from + off, DAY_MS), &y0, &m, &d);
	kith_civil_from_days(kith_floor_div(a->gen_to + off, DAY_MS), &y1, &m, &d);
	for (size_t i = 0; i < s->bday_n; i++) {
		const struct birthday *b = &s->bday[i];
		uint32_t label = NO_LABEL;
		for (int64_t y = y0; y <= y1; y++) {
			unsigned day = b->day;
			if (day > kith_month_length(y, b->month))
				day = kith_month_length(y, b->month);
			int64_t t = kith_days_from_civil(y, b->month, day) * DAY_MS - off +
			            cfg->celebrate_min * KITH_MS_PER_MIN;
			if (t < a->gen_from || t >= a->gen_to)
				continue;
			if (label == NO_LABEL && !birthday_labels(a, c, b, &label))
				return false;
			size_t before = a->count;
			if (!add(a, t, t, NO_ACTIVITY, KITH_AGENDA_BIRTHDAY, 2))
				return false;
			label_last(a, before, label);
		}
	}
	return true;
}

static bool add_festivals(kith_agenda *a, const struct kith_schedule *s,
                          const struct schedule_config *cfg, int32_t offset_min)
{
	const char *v = s->defs.global[SK_FESTIVALS];
	if (!v)
		return true;
	struct festival_gen g = {a, cfg, (int64_t)offset_min * KITH_MS_PER_MIN, true};
	kith_schedule_festivals(v, gen_festival, &g);
	return g.ok;
}

/* Revivals while the community's last member message is old: one each
 * time the silence reaches another schedule.revive_after (so a group
 * that stays quiet is tried again), its event the last message. Their
 * times follow from the last message alone, whatever the horizon. */
static bool add_revival(kith_agenda *a, const kith_community *c, const struct schedule_config *cfg)
{
	int64_t last = KITH_TIME_NONE;
	for (uint32_t h = 0; h < c->members.count; h++) {
		int64_t t = kith_member_at(&c->members, h)->last_msg_ms;
		if (t != KITH_TIME_NONE && t > last)
			last = t;
	}
	if (last == KITH_TIME_NONE || last >= a->gen_to)
		return true;
	int64_t step = cfg->revive_after_ms, k = 1;
	if (a->gen_from > last + step)
		k = (a->gen_from - last) / step;
	for (int64_t t = last + k * step; t < a->gen_to; t += step)
		if (!add(a, t, last, NO_ACTIVITY, KITH_AGENDA_REVIVE, 3))
			return false;
	return true;
}

/* ---- placing ------------------------------------------------------------ */

struct placer {
	const struct schedule_config *cfg;
	int64_t off;     /* UTC offset, ms */
	int64_t *placed; /* times of the pushes placed on the day in hand, ascending */
	size_t placed_n;
	uint32_t count; /* pushes placed on the day in hand */
};

static bool is_push(const struct item *it)
{
	return it->kind != KITH_AGENDA_START && it->kind != KITH_AGENDA_END &&
	       it->kind != KITH_AGENDA_CHECKIN;
}

/* The time a push must be sent before: its event's start, or for a
 * digest or a revival (which announce no event) a day after its
 * planned time. */
static int64_t deadline_of(const struct item *it)
{
	if (it->kind == KITH_AGENDA_PREHEAT || it->kind == KITH_AGENDA_REMINDER)
		return it->event;
	return it->planned + DAY_MS;
}

static int64_t local_day(const struct placer *p, int64_t t)
{
	return kith_floor_div(t + p->off, DAY_MS);
}

/* The end of the rest t is in, or t when it is in none. The rest is the
 * quiet hours, and the last min_gap of each local day: keeping that
 * free means no push is ever within the gap of the next day's pushes,
 * so each local day is placed on its own and windows compose. */
static int64_t rest_end(const struct placer *p, int64_t t, uint8_t *reason)
{
	int64_t qf = p->cfg->quiet_from_min * KITH_MS_PER_MIN,
	        qt = p->cfg->quiet_to_min * KITH_MS_PER_MIN;
	/* At most three steps: out of the quiet hours, out of the day's
	 * tail, and out of quiet hours that start the next day. */
	for (int step = 0; step < 3; step++) {
		int64_t base = local_day(p, t) * DAY_MS - p->off, in = t - base, end = t;
		if (qf != qt) {
			if (qf < qt)
				end = in >= qf && in < qt ? base + qt : t;
			else if (in >= qf)
				end = base + DAY_MS + qt;
			else if (in < qt)
				end = base + qt;
		}
		if (end != t) {
			if (*reason == KITH_AGENDA_REASON_NONE)
				*reason = KITH_AGENDA_REASON_QUIET_HOURS;
			t = end;
			continue;
		}
		if (p->cfg->min_gap_ms > 0 && in >= DAY_MS - p->cfg->min_gap_ms) {
			if (*reason == KITH_AGENDA_REASON_NONE)
				*reason = KITH_AGENDA_REASON_MIN_GAP;
			t = base + DAY_MS;
			continue;
		}
		break;
	}
	return t;
}

/* The first push placed on the day after t - gap (the first that may be
 * closer to t than the gap), or placed_n. */
static size_t first_near(const struct placer *p, int64_t t)
{
	size_t lo = 0, hi = p->placed_n;
	int64_t from = t - p->cfg->min_gap_ms;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (p->placed[mid] <= from)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Place one push on its local day: the earliest time from its rested
 * time that is out of the rest, at least the gap from every push placed
 * on the day, on a day below the cap, before its deadline and still on
 * the day. Its reason is the constraint that first moved it, or for a
 * dropped push the one that finally stopped it. */
static void place(struct placer *p, struct item *it, int64_t day)
{
	int64_t t = it->time, deadline = deadline_of(it);
	uint8_t first = it->reason, last = it->reason;
	for (;;) {
		if (t >= deadline || local_day(p, t) != day)
			break;
		uint8_t why = KITH_AGENDA_REASON_NONE;
		int64_t r = rest_end(p, t, &why);
		if (r != t) {
			first = first ? first : why;
			last = why;
			t = r;
			continue;
		}
		if (p->count >= p->cfg->max_pushes) {
			last = KITH_AGENDA_REASON_DAILY_CAP;
			break;
		}
		size_t k = first_near(p, t);
		if (k < p->placed_n && p->placed[k] < t + p->cfg->min_gap_ms) {
			first = first ? first : KITH_AGENDA_REASON_MIN_GAP;
			last = KITH_AGENDA_REASON_MIN_GAP;
			t = p->placed[k] + p->cfg->min_gap_ms;
			continue;
		}
		p->count++;
		memmove(&p->placed[k + 1], &p->placed[k], (p->placed_n - k) * sizeof *p->placed);
		p->placed[k] = t;
		p->placed_n++;
		it->fate = t == it->planned ? KITH_AGENDA_KEPT : KITH_AGENDA_MOVED;
		it->reason = t == it->planned ? KITH_AGENDA_REASON_NONE : first;
		it->time = t;
		return;
	}
	it->fate = KITH_AGENDA_DROPPED;
	it->reason = last;
	it->time = it->planned;
}

/* Pushes by the local day their rested time falls on, then importance
 * (highest first), planned time and generation order. */
struct slot {
	int64_t day;
	struct item *it;
};

static int by_priority(const void *x, const void *y)
{
	const struct slot *sa = x, *sb = y;
	const struct item *a = sa->it, *b = sb->it;
	if (sa->day != sb->day)
		return sa->day < sb->day ? -1 : 1;
	if (a->importance != b->importance)
		return a->importance > b->importance ? -1 : 1;
	if (a->planned != b->planned)
		return a->planned < b->planned ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int by_time(const void *x, const void *y)
{
	const struct item *a = x, *b = y;
	if (a->time != b->time)
		return a->time < b->time ? -1 : 1;
	if (a->importance != b->importance)
		return a->importance > b->importance ? -1 : 1;
	if (a->act != b->act)
		return a->act < b->act ? -1 : 1;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static bool place_all(kith_agenda *a, const struct schedule_config *cfg, int32_t offset_min)
{
	size_t pushes = 0;
	for (size_t i = 0; i < a->count; i++)
		pushes += is_push(&a->items[i]);
	if (!pushes)
		return true;
	struct placer p = {cfg, (int64_t)offset_min * KITH_MS_PER_MIN, NULL, 0, 0};
	struct slot *order = kith_mem_alloc(&a->mem, pushes * sizeof *order);
	p.placed = kith_mem_alloc(&a->mem, pushes * sizeof *p.placed);
	bool ok = order && p.placed;
	if (ok) {
		/* Out of the rest first: a push that the rest carries to its
		 * deadline is dropped; the others belong to the day the rest
		 * carried them to. */
		size_t n = 0;
		for (size_t i = 0; i < a->count; i++) {
			struct item *it = &a->items[i];
			if (!is_push(it))
				continue;
			uint8_t why = KITH_AGENDA_REASON_NONE;
			it->time = rest_end(&p, it->planned, &why);
			it->reason = why;
			if (it->time >= deadline_of(it)) {
				it->fate = KITH_AGENDA_DROPPED;
				it->time = it->planned;
				continue;
			}
			order[n].day = local_day(&p, it->time);
			order[n++].it = it;
		}
		qsort(order, n, sizeof *order, by_priority);
		for (size_t i = 0; i < n; i++) {
			if (i == 0 || order[i].day != order[i - 1].day)
				p.placed_n = p.count = 0;
			place(&p, order[i].it, order[i].day);
		}
	}
	if (order)
		kith_mem_free(&a->mem, order, pushes * sizeof *order);
	if (p.placed)
		kith_mem_free(&a->mem, p.placed, pushes * sizeof *p.placed);
	return ok;
}

/* ---- filling ------------------------------------------------------------ */

static int cmp_i64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return (a > b) - (a < b);
}

/* Whether a push at t keeps the gap with every time in the ascending
 * times[0 .. n). */
static bool gap_free(const int64_t *times, size_t n, int64_t t, int64_t gap)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (times[mid] <= t - gap)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo == n || times[lo] >= t + gap;
}

/* Fillers for each local day of the horizon with fewer planned
 * interactions (pushes sent, activity starts and check-in days) than
 * schedule.min_interactions_per_day: importance 1 pushes on whole hours,
 * best hour first, that keep out of the rest, keep the gap and stay
 * under the cap, each with the next prompt of schedule.topics (the list
 * taken in turn from a place set by the day). Each day is filled on its
 * own, after its other pushes are placed, so fillers never move them. */
static bool add_fillers(kith_agenda *a, const struct kith_schedule *s,
                        const struct schedule_config *cfg, int32_t offset_min)
{
	if (cfg->min_interactions == 0 || a->from_ms == a->to_ms)
		return true;
	struct placer p = {cfg, (int64_t)offset_min * KITH_MS_PER_MIN, NULL, 0, 0};
	int64_t first = local_day(&p, a->from_ms), last = local_day(&p, a->to_ms - 1);
	size_t days = (size_t)(last - first + 1), sent = 0;
	for (size_t i = 0; i < a->count; i++)
		sent += is_push(&a->items[i]) && a->items[i].fate != KITH_AGENDA_DROPPED;
	/* Count first: most days need no filler, and then nothing is sorted. */
	uint32_t *done = kith_mem_calloc(&a->mem, days, sizeof *done);
	if (!done)
		return false;
	for (size_t i = 0; i < a->count; i++) {
		const struct item *it = &a->items[i];
		bool push = is_push(it) && it->fate != KITH_AGENDA_DROPPED;
		bool starts = it->kind == KITH_AGENDA_START || it->kind == KITH_AGENDA_CHECKIN;
		int64_t d = local_day(&p, it->time) - first;
		if ((push || starts) && d >= 0 && (size_t)d < days)
			done[d]++;
	}
	bool short_day = false;
	for (size_t d = 0; d < days; d++)
		short_day |= done[d] < cfg->min_interactions;
	size_t cap = sent + days * 24;
	int64_t *times = short_day ? kith_mem_alloc(&a->mem, cap * sizeof *times) : NULL;
	bool ok = !short_day || times;
	size_t n = 0;
	for (size_t i = 0; ok && short_day && i < a->count; i++)
		if (is_push(&a->items[i]) && a->items[i].fate != KITH_AGENDA_DROPPED)
			times[n++] = a->items[i].time;
	if (ok && short_day)
		qsort(times, n, sizeof *times, cmp_i64);
	for (size_t d = 0; ok && short_day && d < days; d++) {
		int64_t day = first + (int64_t)d, base = day * DAY_MS - p.off;
		/* Pushes already on the day count against the cap. */
		size_t lo = 0, hi = n;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (times[mid] < base)
				lo = mid + 1;
			else
				hi = mid;
		}
		uint32_t pushes = 0;
		for (size_t k = lo; k < n && times[k] < base + DAY_MS; k++)
			pushes++;
		uint32_t made = 0;
		uint8_t hours[24];
		kith_schedule_hour_order(s->engagement, kith_weekday(day), hours);
		for (int h = 0; h < 24 && done[d] + made < cfg->min_interactions &&
		                pushes + made < cfg->max_pushes;
		     h++) {
			int64_t t = base + hours[h] * HOUR_MS;
			uint8_t why = KITH_AGENDA_REASON_NONE;
			if (rest_end(&p, t, &why) != t || !gap_free(times, n, t, cfg->min_gap_ms))
				continue;
			size_t before = a->count;
			if (!add(a, t, t, NO_ACTIVITY, KITH_AGENDA_FILLER, 1)) {
				ok = false;
				break;
			}
			if (a->count > before && a->topic_n) {
				int64_t k = (day + made) % (int64_t)a->topic_n;
				a->items[before].label =
				        (uint32_t)(k < 0 ? k + (int64_t)a->topic_n : k);
			}
			/* Keep the times sorted for the next hour's gap. */
			size_t at = n;
			while (at > 0 && times[at - 1] > t)
				at--;
			memmove(&times[at + 1], &times[at], (n - at) * sizeof *times);
			times[at] = t;
			n++;
			made++;
		}
	}
	if (times)
		kith_mem_free(&a->mem, times, cap * sizeof *times);
	if (done)
		kith_mem_free(&a->mem, done, days * sizeof *done);
	return ok;
}

static void copy_topic(void *payload, const char *t, size_t n)
{
	kith_agenda *a = payload;
	if (add_label(a, t, n) != NO_LABEL)
		a->topic_n++;
}

/* Keep the items whose time (a dropped one's planned time) is in the
 * horizon: the ones generated around it only served to place the days
 * it touches. */
static void keep_horizon(kith_agenda *a)
{
	size_t n = 0;
	for (size_t i = 0; i < a->count; i++)
		if (a->items[i].time >= a->from_ms && a->items[i].time < a->to_ms)
			a->items[n++] = a->items[i];
	a->count = n;
}

/* The templates and the community's name, for rendering item texts
 * when they are read: making an agenda renders none, so that agendas
 * whose texts are not read cost no more. */
static bool keep_texts(kith_agenda *a, const kith_community *c, const struct kith_schedule *s)
{
	a->offset_min = c->settings.utc_offset_min;
	a->community = add_label(a, c->settings.name, strlen(c->settings.name));
	if (a->community == NO_LABEL)
		return false;
	for (int k = 0; k < KITH_SCHEDULE_TEMPLATES; k++) {
		const char *t = s ? s->defs.tmpl[k] : NULL;
		a->tmpl[k] = t ? add_label(a, t, strlen(t)) : NO_LABEL;
		if (t && a->tmpl[k] == NO_LABEL)
			return false;
	}
	return true;
}

/* Item i's text, as it reads or escaped for JSON. */
static void render(const kith_agenda *a, const struct item *it, struct kith_text *o, bool json)
{
	uint32_t t = a->tmpl[it->kind - 1];
	const char *label = it->label == NO_LABEL ? NULL : a->text + a->label_at[it->label];
	struct template_fill f = {
	        .community = a->text + a->label_at[a->community],
	        .activity = it->act == NO_ACTIVITY ? NULL : a->names[it->act],
	        .start_ms = it->event,
	        .offset_min = a->offset_min,
	        .member = it->kind == KITH_AGENDA_BIRTHDAY && label
	                          ? a->text + a->label_at[it->label + 1]
	                          : NULL,
	        .label = it->kind == KITH_AGENDA_BIRTHDAY ? NULL : label,
	        .kind = it->kind,
	};
	kith_schedule_template_render(o,
	                              t == NO_LABEL ? kith_schedule_template_default(it->kind)
	                                            : a->text + a->label_at[t],
	                              &f, json);
}

/* ---- the public API ----------------------------------------------------- */

kith_status kith_agenda_new(kith_community *community, int64_t from_ms, int64_t to_ms,
                            kith_agenda **out)
{
	if (out)
		*out = NULL;
	if (!community || !out)
		return kith_fail(community, KITH_EINVAL, "kith_agenda_new: NULL argument");
	kith_community *c = community;
	if (from_ms < TIME_LO || to_ms > TIME_HI || to_ms < from_ms)
		return kith_fail(
		        c, KITH_EINVAL,
		        "kith_agenda_new: the horizon must run forward within the years 1900 "
		        "to 9999");
	if (to_ms - from_ms > KITH_AGENDA_HORIZON_MAX_MS)
		return kith_fail(
		        c, KITH_ERANGE,
		        "kith_agenda_new: a horizon of %lld ms is over the maximum of 366 days",
		        (long long)(to_ms - from_ms));
	kith_agenda *a = kith_mem_calloc(&c->mem, 1, sizeof *a);
	if (!a)
		return kith_fail(c, KITH_ENOMEM, "out of memory making an agenda");
	a->mem = c->mem;
	a->from_ms = from_ms;
	a->to_ms = to_ms;
	int32_t offset = c->settings.utc_offset_min;
	int64_t off = (int64_t)offset * KITH_MS_PER_MIN;
	/* A push rests (quiet hours, a day's tail) less than two days, and
	 * lands on the day its rest ends: the days from the horizon's first
	 * to two after its last are placed whole. */
	a->gen_from = (kith_floor_div(from_ms + off, DAY_MS) - 2) * DAY_MS - off;
	a->gen_to = (kith_floor_div(to_ms + off, DAY_MS) + 3) * DAY_MS - off;
	if (from_ms == to_ms)
		a->gen_to = a->gen_from;
	const struct kith_schedule *s = kith_schedule_of(c);
	struct schedule_config cfg;
	kith_schedule_config_of(c, &cfg);
	/* The topics are the first labels, as fillers name theirs by index:
	 * before a check-in day's label is added. */
	const char *topics = s ? s->defs.global[SK_TOPICS] : NULL;
	size_t topic_n = topics ? kith_schedule_topics(topics, NULL, NULL) : 0;
	bool ok = true;
	if (topic_n) {
		kith_schedule_topics(topics, copy_topic, a);
		ok = a->topic_n == topic_n;
	}
	struct kith_occurrence *occ = NULL;
	size_t occ_cap = 0;
	if (ok && s && s->act_n) {
		a->names = kith_mem_alloc(&a->mem, s->act_n * sizeof *a->names);
		ok = a->names != NULL;
		if (ok)
			a->name_n = s->act_n;
		for (size_t i = 0; ok && i < s->act_n; i++) {
			memcpy(a->names[i], s->act[i].name, sizeof a->names[i]);
			ok = add_activity(a, &s->act[i], (uint32_t)i, offset, &occ, &occ_cap);
		}
	}
	if (occ)
		kith_mem_free(&a->mem, occ, occ_cap * sizeof *occ);
	ok = ok && add_digests(a, &cfg, offset) && add_greetings(a, &cfg, offset) &&
	     (!s || (add_festivals(a, s, &cfg, offset) && add_birthdays(a, c, s, &cfg, offset))) &&
	     add_revival(a, c, &cfg) && place_all(a, &cfg, offset) &&
	     (!s || add_fillers(a, s, &cfg, offset)) && keep_texts(a, c, s);
	if (!ok) {
		agenda_destroy(a);
		return kith_fail(c, KITH_ENOMEM, "out of memory making an agenda");
	}
	keep_horizon(a);
	if (a->count)
		qsort(a->items, a->count, sizeof *a->items, by_time);
	*out = a;
	return KITH_OK;
}

size_t kith_agenda_count(const kith_agenda *agenda)
{
	return agenda ? agenda->count : 0;
}

kith_status kith_agenda_item(const kith_agenda *agenda, size_t i, const char **activity,
                             int64_t *time_ms, kith_agenda_kind *kind, int *importance)
{
	if (!agenda)
		return KITH_EINVAL;
	if (i >= agenda->count)
		return KITH_ENOTFOUND;
	const struct item *it = &agenda->items[i];
	if (activity)
		*activity = it->act == NO_ACTIVITY ? NULL : agenda->names[it->act];
	if (time_ms)
		*time_ms = it->time;
	if (kind)
		*kind = (kith_agenda_kind)it->kind;
	if (importance)
		*importance = it->importance;
	return KITH_OK;
}

kith_status kith_agenda_item_change(const kith_agenda *agenda, size_t i, kith_agenda_fate *fate,
                                    kith_agenda_reason *reason, int64_t *planned_ms,
                                    int64_t *event_ms)
{
	if (!agenda)
		return KITH_EINVAL;
	if (i >= agenda->count)
		return KITH_ENOTFOUND;
	const struct item *it = &agenda->items[i];
	if (fate)
		*fate = (kith_agenda_fate)it->fate;
	if (reason)
		*reason = (kith_agenda_reason)it->reason;
	if (planned_ms)
		*planned_ms = it->planned;
	if (event_ms)
		*event_ms = it->event;
	return KITH_OK;
}

const char *kith_agenda_item_label(const kith_agenda *agenda, size_t i)
{
	if (!agenda || i >= agenda->count || agenda->items[i].label == NO_LABEL)
		return NULL;
	return agenda->text + agenda->label_at[agenda->items[i].label];
}

kith_status kith_agenda_item_text(const kith_agenda *agenda, size_t i, char *buf, size_t size,
                                  size_t *needed)
{
	if (!agenda || (!buf && size))
		return KITH_EINVAL;
	if (i >= agenda->count)
		return KITH_ENOTFOUND;
	struct kith_text o;
	kith_text_init(&o, buf, size);
	render(agenda, &agenda->items[i], &o, false);
	kith_text_finish(&o, needed);
	return KITH_OK;
}

kith_status kith_agenda_to_json(const kith_agenda *agenda, char *buf, size_t size, size_t *needed)
{
	if (!agenda || (!buf && size))
		return KITH_EINVAL;
	struct kith_text o;
	kith_text_init(&o, buf, size);
	kith_text_puts(&o, "{\"from_ms\":");
	kith_text_i64(&o, agenda->from_ms);
	kith_text_puts(&o, ",\"to_ms\":");
	kith_text_i64(&o, agenda->to_ms);
	kith_text_puts(&o, ",\"items\":[");
	for (size_t i = 0; i < agenda->count; i++) {
		const struct item *it = &agenda->items[i];
		kith_text_puts(&o, i ? ",{\"time_ms\":" : "{\"time_ms\":");
		kith_text_i64(&o, it->time);
		kith_text_puts(&o, ",\"kind\":\"");
		kith_text_puts(&o, kith_agenda_kind_name((kith_agenda_kind)it->kind));
		kith_text_puts(&o, "\",\"activity\":");
		if (it->act == NO_ACTIVITY)
			kith_text_puts(&o, "null");
		else
			kith_text_json_string(&o, agenda->names[it->act],
			                      strlen(agenda->names[it->act]));
		kith_text_printf(&o, ",\"importance\":%d,\"event_ms\":", it->importance);
		kith_text_i64(&o, it->event);
		kith_text_puts(&o, ",\"planned_ms\":");
		kith_text_i64(&o, it->planned);
		kith_text_puts(&o, ",\"fate\":\"");
		kith_text_puts(&o, kith_agenda_fate_name((kith_agenda_fate)it->fate));
		kith_text_puts(&o, "\",\"reason\":\"");
		kith_text_puts(&o, kith_agenda_reason_name((kith_agenda_reason)it->reason));
		kith_text_puts(&o, "\"");
		kith_text_puts(&o, ",\"label\":");
		if (it->label == NO_LABEL)
			kith_text_puts(&o, "null");
		else
			kith_text_json_string(&o, agenda->text + agenda->label_at[it->label],
			                      strlen(agenda->text + agenda->label_at[it->label]));
		kith_text_puts(&o, ",\"text\":\"");
		render(agenda, it, &o, true);
		kith_text_puts(&o, "\"}");
	}
	kith_text_puts(&o, "]}");
	kith_text_finish(&o, needed);
	return KITH_OK;
}
