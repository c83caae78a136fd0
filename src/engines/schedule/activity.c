/*
 * The values of [activity NAME] and [schedule] keys: their syntax, and
 * an activity compiled from all its keys. See activity.h.
 *
 * SPDX-License-Identifier: MIT
 *
 * An activity's keys:
 *   every      once (default); day, N d; week, N w; month, N months
 *   on         weekly: weekdays ("mon, wed, fri"; default the weekday of
 *              from); monthly: a day of the month ("15", "last") or the
 *              nth weekday ("third tue", "last fri", "2 sat")
 *   from       the first date, YYYY-MM-DD (required)
 *   at         the local start, HH:MM (required)
 *   duration   default 60 min
 *   importance 1 .. 3, default 2
 *   preheat    lead of the announcement (default 12 h; 0 or none: none)
 *   reminders  leads of reminders before the start ("1 d, 1 h"; none);
 *              by default none at importance 1, 1 h at 2, and 1 d, 1 h
 *              and 10 min at 3 (important notices three times)
 *   until      the last date an occurrence may fall on
 *   count      most occurrences (cancelled ones count)
 *   cancel     dates of occurrences that do not take place
 *   move       "DATE -> DATE HH:MM, ...": occurrences held elsewhen
 */
#include "engines/schedule/activity.h"

#include "engines/schedule/recurrence.h"
#include "kith.h"
#include "util/lex.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define LEAD_MAX_MS (30 * INT64_C(86400000))

static const char *const act_keys[AK_N] = {"every",    "on",         "from",    "at",
                                           "duration", "importance", "preheat", "reminders",
                                           "until",    "count",      "cancel",  "move"};
static const char *const sched_keys[SK_N] = {
        "quiet_hours", "max_pushes_per_day", "min_gap", "min_interactions_per_day",
        "digest_at",   "revive_after",       "topics",  "greetings",
        "festivals",   "celebrate_at"};
static const char *const sched_defaults[SK_N] = {"23:00-08:00", "6", "30 min", "3", "none",
                                                 "3 d",         "",  "none",   "",  "09:00"};

const char *kith_activity_key_name(int key)
{
	return act_keys[key];
}
const char *kith_schedule_key_name(int key)
{
	return sched_keys[key];
}
const char *kith_schedule_key_default(int key)
{
	return sched_defaults[key];
}

int kith_activity_key_find(const char *s)
{
	for (int k = 0; k < AK_N; k++)
		if (strcmp(s, act_keys[k]) == 0)
			return k;
	return -1;
}

int kith_schedule_key_find(const char *s)
{
	for (int k = 0; k < SK_N; k++)
		if (strcmp(s, sched_keys[k]) == 0)
			return k;
	return -1;
}

/* ---- small values ------------------------------------------------------- */

static kith_status failv(char *err, size_t es, kith_status st, const char *what, const char *v,
                         size_t n)
{
	snprintf(err, es, "'%.*s' is not %s", (int)(n < 80 ? n : 80), v, what);
	return st;
}

static bool parse_uint(const char *s, size_t n, uint64_t max, uint64_t *out)
{
	kith_lex_trim(&s, &n);
	if (n == 0 || n > 12)
		return false;
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = v;
	return v <= max;
}

static bool parse_date(const char *s, size_t n, int64_t *day)
{
	kith_lex_trim(&s, &n);
	uint64_t y, m, d;
	if (n != 10 || s[4] != '-' || s[7] != '-' || !parse_uint(s, 4, 9999, &y) ||
	    !parse_uint(s + 5, 2, 12, &m) || !parse_uint(s + 8, 2, 31, &d))
		return false;
	if (y < KITH_RECUR_YEAR_MIN || m < 1 || d < 1 ||
	    d > kith_month_length((int64_t)y, (unsigned)m))
		return false;
	*day = kith_days_from_civil((int64_t)y, (unsigned)m, (unsigned)d);
	return true;
}

static bool parse_hhmm(const char *s, size_t n, uint32_t *min)
{
	kith_lex_trim(&s, &n);
	const char *colon = memchr(s, ':', n);
	uint64_t h, m;
	if (!colon || colon == s || colon - s > 2 || s + n - colon != 3 ||
	    !parse_uint(s, (size_t)(colon - s), 23, &h) || !parse_uint(colon + 1, 2, 59, &m))
		return false;
	*min = (uint32_t)(h * 60 + m);
	return true;
}

static bool is_none(const char *s, size_t n)
{
	kith_lex_trim(&s, &n);
	return kith_lex_word(s, n, "none") || kith_lex_word(s, n, "off") || (n == 1 && s[0] == '0');
}

static bool parse_lead(const char *s, size_t n, int64_t *ms)
{
	if (is_none(s, n)) {
		*ms = 0;
		return true;
	}
	return kith_lex_duration(s, n, ms) == KITH_OK && *ms >= 0 && *ms <= LEAD_MAX_MS;
}

static int parse_weekday(const char *s, size_t n)
{
	static const char *const names[7] = {"monday", "tuesday",  "wednesday", "thursday",
	                                     "friday", "saturday", "sunday"};
	kith_lex_trim(&s, &n);
	for (int w = 0; w < 7; w++) {
		size_t len = strlen(names[w]);
		if ((n == 3 || n == len) && kith_lex_equal_nocase(s, n, names[w], n))
			return w;
	}
	return -1;
}

/* ---- every and on ------------------------------------------------------- */

/* A check-in series: every day, for count days (21 by default). */
static bool is_checkin(const char *s, size_t n)
{
	kith_lex_trim(&s, &n);
	return kith_lex_word(s, n, "check-in") || kith_lex_word(s, n, "checkin");
}

static bool parse_every(const char *s, size_t n, enum kith_recur_kind *kind, uint32_t *interval)
{
	kith_lex_trim(&s, &n);
	*interval = 1;
	if (is_checkin(s, n)) {
		*kind = KITH_RECUR_DAILY;
		return true;
	}
	if (kith_lex_word(s, n, "once")) {
		*kind = KITH_RECUR_ONCE;
		return true;
	}
	size_t i = 0;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i) {
		uint64_t v;
		if (!parse_uint(s, i, KITH_RECUR_INTERVAL_MAX, &v) || v == 0)
			return false;
		*interval = (uint32_t)v;
	}
	const char *u = s + i;
	size_t un = n - i;
	kith_lex_trim(&u, &un);
	static const struct {
		const char *word;
		enum kith_recur_kind kind;
	} units[] = {{"d", KITH_RECUR_DAILY},
	             {"day", KITH_RECUR_DAILY},
	             {"days", KITH_RECUR_DAILY},
	             {"daily", KITH_RECUR_DAILY},
	             {"w", KITH_RECUR_WEEKLY},
	             {"week", KITH_RECUR_WEEKLY},
	             {"weeks", KITH_RECUR_WEEKLY},
	             {"weekly", KITH_RECUR_WEEKLY},
	             {"month", KITH_RECUR_MONTHLY_DAY},
	             {"months", KITH_RECUR_MONTHLY_DAY},
	             {"monthly", KITH_RECUR_MONTHLY_DAY}};
	for (size_t k = 0; k < sizeof units / sizeof units[0]; k++)
		if (kith_lex_word(u, un, units[k].word)) {
			*kind = units[k].kind;
			return true;
		}
	return false;
}

struct on_spec {
	int type; /* 0 weekdays, 1 a day of the month, 2 the nth weekday */
	uint8_t mask;
	int8_t month_day, nth;
	uint8_t weekday;
};

static bool parse_ordinal(const char *s, size_t n, int8_t *nth)
{
	static const char *const words[] = {"first", "second", "third", "fourth", "fifth"};
	static const char *const short_forms[] = {"1st", "2nd", "3rd", "4th", "5th"};
	for (int k = 0; k < 5; k++)
		if (kith_lex_word(s, n, words[k]) || kith_lex_word(s, n, short_forms[k]) ||
		    (n == 1 && s[0] == '1' + k)) {
			*nth = (int8_t)(k + 1);
			return true;
		}
	if (kith_lex_word(s, n, "last")) {
		*nth = -1;
		return true;
	}
	return false;
}

static bool parse_on(const char *s, size_t n, struct on_spec *on)
{
	memset(on, 0, sizeof *on);
	kith_lex_trim(&s, &n);
	uint64_t d;
	if (parse_uint(s, n, 31, &d)) {
		on->type = 1;
		on->month_day = (int8_t)d;
		return d >= 1;
	}
	if (kith_lex_word(s, n, "last") || kith_lex_word(s, n, "last day")) {
		on->type = 1;
		on->month_day = -1;
		return true;
	}
	const char *sp = memchr(s, ' ', n);
	if (sp && !memchr(s, ',', n)) {
		int w = parse_weekday(sp + 1, (size_t)(s + n - sp - 1));
		on->type = 2;
		on->weekday = (uint8_t)w;
		return w >= 0 && parse_ordinal(s, (size_t)(sp - s), &on->nth);
	}
	size_t at = 0, len;
	const char *item;
	while (kith_lex_item(s, n, &at, &item, &len)) {
		int w = parse_weekday(item, len);
		if (w < 0)
			return false;
		on->mask |= (uint8_t)(1u << w);
	}
	return on->mask != 0;
}

/* ---- lists -------------------------------------------------------------- */

static bool parse_leads(const char *s, size_t n, int64_t *ms, uint8_t *count)
{
	*count = 0;
	if (kith_lex_word(s, n, "none"))
		return true;
	size_t at = 0, len;
	const char *item;
	while (kith_lex_item(s, n, &at, &item, &len)) {
		int64_t v;
		if (*count == KITH_REMINDERS_MAX || kith_lex_duration(item, len, &v) != KITH_OK ||
		    v <= 0 || v > LEAD_MAX_MS)
			return false;
		ms[(*count)++] = v;
	}
	return *count > 0;
}

static bool parse_dates(const char *s, size_t n, int64_t *days, size_t *count)
{
	*count = 0;
	size_t at = 0, len;
	const char *item;
	while (kith_lex_item(s, n, &at, &item, &len)) {
		if (*count == KITH_RECUR_EXCEPTIONS_MAX || !parse_date(item, len, &days[*count]))
			return false;
		(*count)++;
	}
	return *count > 0;
}

/* "DATE -> DATE HH:MM" */
static bool parse_move(const char *s, size_t n, struct kith_recur_move *m)
{
	kith_lex_trim(&s, &n);
	const char *arrow = NULL;
	for (size_t i = 0; i + 1 < n; i++)
		if (s[i] == '-' && s[i + 1] == '>')
			arrow = s + i;
	if (!arrow || !parse_date(s, (size_t)(arrow - s), &m->day))
		return false;
	const char *t = arrow + 2;
	size_t tn = (size_t)(s + n - t);
	kith_lex_trim(&t, &tn);
	int64_t day;
	uint32_t min;
	if (tn < 12 || !parse_date(t, 10, &day) || !kith_lex_blank(t[10]) ||
	    !parse_hhmm(t + 11, tn - 11, &min))
		return false;
	m->start_min = day * KITH_MIN_PER_DAY + min;
	return true;
}

static bool parse_moves(const char *s, size_t n, struct kith_recur_move *m, size_t *count)
{
	*count = 0;
	size_t at = 0, len;
	const char *item;
	while (kith_lex_item(s, n, &at, &item, &len)) {
		if (*count == KITH_RECUR_EXCEPTIONS_MAX || !parse_move(item, len, &m[*count]))
			return false;
		(*count)++;
	}
	return *count > 0;
}

static bool parse_range(const char *s, size_t n, uint32_t *from, uint32_t *to)
{
	kith_lex_trim(&s, &n);
	if (is_none(s, n)) {
		*from = *to = 0;
		return true;
	}
	/* Equal ends would mean nothing quiet, or everything: neither is
	 * what a writer of 00:00-00:00 can be sure of, so it is refused. */
	const char *dash = memchr(s, '-', n);
	return dash && parse_hhmm(s, (size_t)(dash - s), from) &&
	       parse_hhmm(dash + 1, (size_t)(s + n - dash - 1), to) && *from != *to;
}

/* ---- checking one value ------------------------------------------------- */

kith_status kith_activity_check(int key, const char *v, size_t n, char *err, size_t es)
{
	union {
		struct on_spec on;
		int64_t day;
		int64_t days[KITH_RECUR_EXCEPTIONS_MAX];
		struct kith_recur_move moves[KITH_RECUR_EXCEPTIONS_MAX];
	} u;
	enum kith_recur_kind kind;
	uint32_t u32;
	uint64_t u64;
	int64_t ms, leads[KITH_REMINDERS_MAX];
	uint8_t count;
	size_t cn;
	switch ((enum act_key)key) {
	case AK_EVERY:
		return parse_every(v, n, &kind, &u32) ? KITH_OK
		                                      : failv(err, es, KITH_EINVAL,
		                                              "a recurrence: expected once, day, N "
		                                              "d, week, N w, month, N months "
		                                              "(N 1 to 1000) or check-in",
		                                              v, n);
	case AK_ON:
		return parse_on(v, n, &u.on)
		               ? KITH_OK
		               : failv(err, es, KITH_EINVAL,
		                       "a day: expected weekdays (mon, wed), a day of the "
		                       "month (1 to 31, last) or the nth weekday (third tue, "
		                       "last fri)",
		                       v, n);
	case AK_FROM:
	case AK_UNTIL:
		return parse_date(v, n, &u.day)
		               ? KITH_OK
		               : failv(err, es, KITH_EINVAL, "a date YYYY-MM-DD from 1900 to 9999",
		                       v, n);
	case AK_AT:
		return parse_hhmm(v, n, &u32)
		               ? KITH_OK
		               : failv(err, es, KITH_EINVAL, "a local time HH:MM", v, n);
	case AK_DURATION:
		if (kith_lex_duration(v, n, &ms) != KITH_OK || ms <= 0 || ms > LEAD_MAX_MS)
			return failv(err, es, KITH_EINVAL,
			             "a duration from 1 ms to 30 d like 60 min", v, n);
		return KITH_OK;
	case AK_IMPORTANCE:
		return parse_uint(v, n, 3, &u64) && u64 >= 1
		               ? KITH_OK
		               : failv(err, es, KITH_ERANGE, "an importance 1, 2 or 3", v, n);
	case AK_PREHEAT:
		return parse_lead(v, n, &ms) ? KITH_OK
		                             : failv(err, es, KITH_EINVAL,
		                                     "a lead up to 30 d like 12 h (or none)", v, n);
	case AK_REMINDERS:
		return parse_leads(v, n, leads, &count)
		               ? KITH_OK
		               : failv(err, es, KITH_EINVAL,
		                       "a list of up to 8 leads up to 30 d like 1 d, 1 h (or none)",
		                       v, n);
	case AK_COUNT:
		return parse_uint(v, n, KITH_RECUR_COUNT_MAX, &u64) && u64 >= 1
		               ? KITH_OK
		               : failv(err, es, KITH_ERANGE, "a count from 1 to 100000", v, n);
	case AK_CANCEL:
		return parse_dates(v, n, u.days, &cn)
		               ? KITH_OK
		               : failv(err, es, KITH_EINVAL, "a list of up to 64 dates YYYY-MM-DD",
		                       v, n);
	case AK_MOVE:
		return parse_moves(v, n, u.moves, &cn) ? KITH_OK
		                                       : failv(err, es, KITH_EINVAL,
		                                               "a list of up to 64 moves like "
		                                               "2026-12-01 -> 2026-12-02 21:00",
		                                               v, n);
	case AK_N: break;
	}
	return KITH_EINVAL;
}

size_t kith_schedule_topics(const char *v, void (*f)(void *payload, const char *topic, size_t n),
                            void *payload)
{
	size_t count = 0, len = strlen(v);
	while (len) {
		const char *semi = memchr(v, ';', len);
		size_t n = semi ? (size_t)(semi - v) : len;
		const char *t = v;
		size_t tn = n;
		kith_lex_trim(&t, &tn);
		if (f)
			f(payload, t, tn);
		count++;
		v += n + (semi != NULL);
		len -= n + (semi != NULL);
	}
	return count;
}

/* schedule.topics: prompts separated by ';', each 1 to 256 bytes once
 * trimmed, at most 64 of them. */
static kith_status check_topics(const char *v, size_t n, char *err, size_t es)
{
	size_t count = 0;
	while (n) {
		const char *semi = memchr(v, ';', n);
		size_t k = semi ? (size_t)(semi - v) : n;
		const char *t = v;
		size_t tn = k;
		kith_lex_trim(&t, &tn);
		if (tn == 0) {
			snprintf(err, es, "topic %zu is empty: prompts are separated by ';'",
			         count + 1);
			return KITH_EINVAL;
		}
		if (tn > KITH_TOPIC_TEXT_MAX) {
			snprintf(err, es, "topic %zu holds %zu bytes, at most %d", count + 1, tn,
			         KITH_TOPIC_TEXT_MAX);
			return KITH_ERANGE;
		}
		if (++count > KITH_TOPICS_MAX) {
			snprintf(err, es, "at most %d topics", KITH_TOPICS_MAX);
			return KITH_ELIMIT;
		}
		v += k + (semi != NULL);
		n -= k + (semi != NULL);
		if (semi && n == 0) {
			snprintf(err, es, "topic %zu is empty: prompts are separated by ';'",
			         count + 1);
			return KITH_EINVAL;
		}
	}
	return KITH_OK;
}

/* One festival, "MM-DD NAME" or "YYYY-MM-DD NAME" (NAME 1 to 64 bytes). */
static bool parse_festival(const char *s, size_t n, struct festival *fe)
{
	kith_lex_trim(&s, &n);
	size_t k = 0;
	while (k < n && !kith_lex_blank(s[k]))
		k++;
	const char *name = s + k;
	size_t nn = n - k;
	kith_lex_trim(&name, &nn);
	if (nn == 0 || nn > KITH_FESTIVAL_NAME_MAX || memchr(name, ';', nn))
		return false;
	fe->name = name;
	fe->name_n = nn;
	uint64_t m, d;
	if (k == 5 && s[2] == '-' && parse_uint(s, 2, 12, &m) && parse_uint(s + 3, 2, 31, &d) &&
	    m >= 1 && d >= 1 && d <= kith_month_length(2000, (unsigned)m)) {
		fe->year = 0;
		fe->month = (unsigned)m;
		fe->day = (unsigned)d;
		return true;
	}
	int64_t day;
	if (k != 10 || !parse_date(s, k, &day))
		return false;
	int64_t y;
	kith_civil_from_days(day, &y, &fe->month, &fe->day);
	fe->year = y;
	return true;
}

size_t kith_schedule_festivals(const char *v, void (*f)(void *payload, const struct festival *fe),
                               void *payload)
{
	size_t count = 0, len = strlen(v);
	while (len) {
		const char *semi = memchr(v, ';', len);
		size_t n = semi ? (size_t)(semi - v) : len;
		struct festival fe;
		if (parse_festival(v, n, &fe)) {
			if (f)
				f(payload, &fe);
			count++;
		}
		v += n + (semi != NULL);
		len -= n + (semi != NULL);
	}
	return count;
}

/* schedule.festivals: "MM-DD NAME" (every year; 02-29 in leap years
 * only) or "YYYY-MM-DD NAME", separated by ';', at most 64. */
static kith_status check_festivals(const char *v, size_t n, char *err, size_t es)
{
	size_t count = 0;
	while (n) {
		const char *semi = memchr(v, ';', n);
		size_t k = semi ? (size_t)(semi - v) : n;
		struct festival fe;
		if (!parse_festival(v, k, &fe))
			return failv(err, es, KITH_EINVAL,
			             "a festival like \"12-25 Christmas\" or \"2027-02-06 Spring "
			             "Festival\" (a name of 1 to 64 bytes)",
			             v, k);
		if (++count > KITH_FESTIVALS_MAX) {
			snprintf(err, es, "at most %d festivals", KITH_FESTIVALS_MAX);
			return KITH_ELIMIT;
		}
		v += k + (semi != NULL);
		n -= k + (semi != NULL);
		if (semi && n == 0)
			return failv(err, es, KITH_EINVAL, "a festival after the last ';'", "", 0);
	}
	return KITH_OK;
}

/* schedule.greetings: none, or up to 4 local times "08:00, 21:00". */
static bool parse_greetings(const char *v, size_t n, uint32_t *min, uint32_t *count)
{
	*count = 0;
	if (is_none(v, n))
		return true;
	size_t at = 0, len;
	const char *item;
	while (kith_lex_item(v, n, &at, &item, &len)) {
		uint32_t t;
		if (*count == KITH_GREETINGS_MAX || !parse_hhmm(item, len, &t))
			return false;
		for (uint32_t i = 0; i < *count; i++)
			if (min[i] == t)
				return false;
		min[(*count)++] = t;
	}
	return *count > 0;
}

kith_status kith_schedule_check(int key, const char *v, size_t n, char *err, size_t es)
{
	uint32_t a, b;
	uint64_t u;
	int64_t ms;
	switch ((enum sched_key)key) {
	case SK_QUIET:
		return parse_range(v, n, &a, &b)
		               ? KITH_OK
		               : failv(err, es, KITH_EINVAL,
		                       "local hours like 23:00-08:00 (or none)", v, n);
	case SK_MAX_PUSHES:
		return parse_uint(v, n, 1000, &u) && u >= 1
		               ? KITH_OK
		               : failv(err, es, KITH_ERANGE, "a number of pushes from 1 to 1000", v,
		                       n);
	case SK_MIN_GAP:
		return kith_lex_duration(v, n, &ms) == KITH_OK && ms >= 0 && ms <= 86400000
		               ? KITH_OK
		               : failv(err, es, KITH_EINVAL,
		                       "a duration from 0 to 24 h like 30 min", v, n);
	case SK_MIN_INTERACTIONS:
		return parse_uint(v, n, 100, &u)
		               ? KITH_OK
		               : failv(err, es, KITH_ERANGE, "a number from 0 to 100", v, n);
	case SK_DIGEST_AT:
		return is_none(v, n) || parse_hhmm(v, n, &a)
		               ? KITH_OK
		               : failv(err, es, KITH_EINVAL, "a local time HH:MM (or none)", v, n);
	case SK_REVIVE:
		return kith_lex_duration(v, n, &ms) == KITH_OK && ms >= 3600000 &&
		                       ms <= 365 * 86400000.0
		               ? KITH_OK
		               : failv(err, es, KITH_EINVAL,
		                       "a duration from 1 h to 365 d like 3 d", v, n);
	case SK_TOPICS: return check_topics(v, n, err, es);
	case SK_GREETINGS: {
		uint32_t g[KITH_GREETINGS_MAX], gn;
		return parse_greetings(v, n, g, &gn)
		               ? KITH_OK
		               : failv(err, es, KITH_EINVAL,
		                       "none or up to 4 different local times like 08:00, 21:00", v,
		                       n);
	}
	case SK_FESTIVALS: return check_festivals(v, n, err, es);
	case SK_CELEBRATE_AT:
		return parse_hhmm(v, n, &a)
		               ? KITH_OK
		               : failv(err, es, KITH_EINVAL, "a local time HH:MM", v, n);
	case SK_N: break;
	}
	return KITH_EINVAL;
}

/* ---- compiling ---------------------------------------------------------- */

static const char *text(const struct kith_def *d, int key, const char *dflt)
{
	return d->value[key] ? d->value[key] : dflt;
}

bool kith_activity_compile(const struct kith_def *d, struct activity *a, char *err, size_t es)
{
	memset(a, 0, sizeof *a);
	memcpy(a->name, d->name, sizeof a->name);
	struct kith_recurrence *r = &a->rec;
	if (!d->value[AK_FROM] || !d->value[AK_AT]) {
		snprintf(err, es, "activity %s: %s is required", d->name,
		         d->value[AK_FROM] ? "at" : "from");
		return false;
	}
	const char *v = text(d, AK_EVERY, "once");
	parse_every(v, strlen(v), &r->kind, &r->interval);
	parse_date(d->value[AK_FROM], strlen(d->value[AK_FROM]), &r->from_day);
	parse_hhmm(d->value[AK_AT], strlen(d->value[AK_AT]), &r->at_min);
	r->until_day = INT64_MAX;
	if (d->value[AK_UNTIL])
		parse_date(d->value[AK_UNTIL], strlen(d->value[AK_UNTIL]), &r->until_day);
	uint64_t u = 0;
	if (d->value[AK_COUNT])
		parse_uint(d->value[AK_COUNT], strlen(d->value[AK_COUNT]), KITH_RECUR_COUNT_MAX,
		           &u);
	r->count = (uint32_t)u;
	if (is_checkin(v, strlen(v))) {
		a->checkin = true;
		if (!r->count)
			r->count = KITH_CHECKIN_DAYS;
	}
	if (d->value[AK_ON]) {
		struct on_spec on;
		parse_on(d->value[AK_ON], strlen(d->value[AK_ON]), &on);
		if (r->kind == KITH_RECUR_WEEKLY && on.type == 0) {
			r->weekdays = on.mask;
		} else if (r->kind == KITH_RECUR_MONTHLY_DAY && on.type != 0) {
			r->kind =
			        on.type == 1 ? KITH_RECUR_MONTHLY_DAY : KITH_RECUR_MONTHLY_WEEKDAY;
			r->month_day = on.month_day;
			r->nth = on.nth;
			r->weekday = on.weekday;
		} else {
			snprintf(err, es,
			         "activity %s: on = %.64s does not fit every = %.32s: weekdays "
			         "go with weeks, a day of the month or the nth weekday with months",
			         d->name, d->value[AK_ON], v);
			return false;
		}
	} else if (r->kind == KITH_RECUR_MONTHLY_DAY) {
		int64_t y;
		unsigned m, day;
		kith_civil_from_days(r->from_day, &y, &m, &day);
		r->month_day = (int8_t)day;
	}
	int64_t ms = 60 * KITH_MS_PER_MIN;
	if (d->value[AK_DURATION])
		kith_lex_duration(d->value[AK_DURATION], strlen(d->value[AK_DURATION]), &ms);
	r->duration_ms = ms;
	u = 2;
	if (d->value[AK_IMPORTANCE])
		parse_uint(d->value[AK_IMPORTANCE], strlen(d->value[AK_IMPORTANCE]), 3, &u);
	a->importance = (uint8_t)u;
	v = text(d, AK_PREHEAT, "12 h");
	parse_lead(v, strlen(v), &a->preheat_ms);
	static const char *const reminders_by_importance[4] = {"", "none", "1 h",
	                                                       "1 d, 1 h, 10 min"};
	v = text(d, AK_REMINDERS, reminders_by_importance[a->importance]);
	parse_leads(v, strlen(v), a->reminder_ms, &a->reminder_n);
	/* Longest lead first: the order the items come in. */
	for (size_t i = 1; i < a->reminder_n; i++)
		for (size_t j = i; j > 0 && a->reminder_ms[j] > a->reminder_ms[j - 1]; j--) {
			int64_t t = a->reminder_ms[j];
			a->reminder_ms[j] = a->reminder_ms[j - 1];
			a->reminder_ms[j - 1] = t;
		}
	if (d->value[AK_CANCEL])
		parse_dates(d->value[AK_CANCEL], strlen(d->value[AK_CANCEL]), a->cancelled,
		            &r->cancelled_n);
	if (d->value[AK_MOVE])
		parse_moves(d->value[AK_MOVE], strlen(d->value[AK_MOVE]), a->moved, &r->moved_n);
	r->cancelled = a->cancelled;
	r->moved = a->moved;
	char why[160];
	if (!kith_recurrence_compile(r, why, sizeof why)) {
		snprintf(err, es, "activity %s: %s", d->name, why);
		return false;
	}
	return true;
}

void kith_schedule_config_compile(char *const value[SK_N], struct schedule_config *cfg)
{
	const char *v[SK_N];
	for (int k = 0; k < SK_N; k++)
		v[k] = value[k] ? value[k] : sched_defaults[k];
	uint64_t u;
	uint32_t t;
	parse_range(v[SK_QUIET], strlen(v[SK_QUIET]), &cfg->quiet_from_min, &cfg->quiet_to_min);
	parse_uint(v[SK_MAX_PUSHES], strlen(v[SK_MAX_PUSHES]), 1000, &u);
	cfg->max_pushes = (uint32_t)u;
	kith_lex_duration(v[SK_MIN_GAP], strlen(v[SK_MIN_GAP]), &cfg->min_gap_ms);
	parse_uint(v[SK_MIN_INTERACTIONS], strlen(v[SK_MIN_INTERACTIONS]), 100, &u);
	cfg->min_interactions = (uint32_t)u;
	cfg->digest_at_min = -1;
	if (!is_none(v[SK_DIGEST_AT], strlen(v[SK_DIGEST_AT])) &&
	    parse_hhmm(v[SK_DIGEST_AT], strlen(v[SK_DIGEST_AT]), &t))
		cfg->digest_at_min = (int32_t)t;
	kith_lex_duration(v[SK_REVIVE], strlen(v[SK_REVIVE]), &cfg->revive_after_ms);
	parse_greetings(v[SK_GREETINGS], strlen(v[SK_GREETINGS]), cfg->greeting_min,
	                &cfg->greeting_n);
	parse_hhmm(v[SK_CELEBRATE_AT], strlen(v[SK_CELEBRATE_AT]), &cfg->celebrate_min);
}
