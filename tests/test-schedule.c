/*
 * The schedule engine: recurrence arithmetic first (civil dates, every
 * rule against a day-by-day oracle written apart from the module), then
 * the [activity] and [schedule] settings, then the agenda, then the
 * engine's snapshot section.
 *
 * SPDX-License-Identifier: MIT
 */
#include "engines/schedule/recurrence.h"
#include "testutil.h"
#include "util/crc32c.h"

#include <inttypes.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define DAY_MS INT64_C(86400000)
#define MIN_MS INT64_C(60000)

/* ---- an oracle calendar, by counting days ------------------------------- */

struct ymd {
	int64_t y;
	unsigned m, d;
};

static bool leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned mlen(int64_t y, unsigned m)
{
	static const unsigned len[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && leap(y) ? 29 : len[m - 1];
}

static void next_date(struct ymd *t)
{
	if (++t->d > mlen(t->y, t->m)) {
		t->d = 1;
		if (++t->m > 12) {
			t->m = 1;
			t->y++;
		}
	}
}

static int64_t day_of(int64_t y, unsigned m, unsigned d)
{
	return kith_days_from_civil(y, m, d);
}

/* 1900-01-01 .. 2400-12-31, day by day: the conversion both ways, the
 * weekday (1900-01-01 was a Monday) and the month lengths agree with
 * counting. */
static void civil_dates_agree_with_counting_days(void **state)
{
	(void)state;
	struct ymd t = {1900, 1, 1};
	int64_t day = -25567; /* days from 1900-01-01 to 1970-01-01 */
	unsigned wd = 0;
	while (t.y <= 2400) {
		assert_int_equal(kith_days_from_civil(t.y, t.m, t.d), day);
		int64_t y;
		unsigned m, d;
		kith_civil_from_days(day, &y, &m, &d);
		assert_int_equal(y, t.y);
		assert_int_equal(m, t.m);
		assert_int_equal(d, t.d);
		assert_int_equal(kith_weekday(day), wd);
		assert_int_equal(kith_month_length(t.y, t.m), mlen(t.y, t.m));
		next_date(&t);
		day++;
		wd = (wd + 1) % 7;
	}
	assert_int_equal(kith_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(kith_days_from_civil(2000, 3, 1), 11017);
	assert_int_equal(kith_weekday(kith_days_from_civil(2026, 12, 2)), 2); /* Wednesday */
	assert_int_equal(kith_month_length(2000, 2), 29);
	assert_int_equal(kith_month_length(1900, 2), 28);
	assert_int_equal(kith_month_length(2100, 2), 28);
	assert_int_equal(kith_month_length(2024, 2), 29);
	assert_int_equal(kith_floor_div(-1, 7), -1);
	assert_int_equal(kith_floor_div(-7, 7), -1);
	assert_int_equal(kith_floor_div(6, 7), 0);
}

/* Whether day is due under r's rule, worked out from the date alone. */
static bool oracle_rule(const struct kith_recurrence *r, int64_t day)
{
	if (day < r->from_day || day > r->until_day)
		return false;
	int64_t y, fy;
	unsigned m, d, fm, fd;
	kith_civil_from_days(day, &y, &m, &d);
	kith_civil_from_days(r->from_day, &fy, &fm, &fd);
	unsigned wd = (unsigned)(((day % 7) + 7 + 3) % 7);
	switch (r->kind) {
	case KITH_RECUR_ONCE: return day == r->from_day;
	case KITH_RECUR_DAILY: return (day - r->from_day) % r->interval == 0;
	case KITH_RECUR_WEEKLY: {
		unsigned fwd = (unsigned)(((r->from_day % 7) + 7 + 3) % 7);
		unsigned mask = r->weekdays ? r->weekdays : 1u << fwd;
		int64_t weeks = (day - wd - (r->from_day - fwd)) / 7;
		return weeks % r->interval == 0 && (mask >> wd & 1);
	}
	case KITH_RECUR_MONTHLY_DAY:
	case KITH_RECUR_MONTHLY_WEEKDAY: {
		int64_t months = (y * 12 + m) - (fy * 12 + fm);
		if (months % r->interval != 0)
			return false;
		if (r->kind == KITH_RECUR_MONTHLY_DAY)
			return r->month_day < 0 ? d == mlen(y, m) : d == (unsigned)r->month_day;
		if (wd != r->weekday)
			return false;
		return r->nth < 0 ? d + 7 > mlen(y, m) : (d - 1) / 7 + 1 == (unsigned)r->nth;
	}
	}
	return false;
}

/* The regular occurrence days of r in [a, b] by stepping from its first
 * day (so the count is applied by counting). */
static size_t oracle_days(const struct kith_recurrence *r, int64_t a, int64_t b, int64_t *out,
                          size_t cap)
{
	size_t n = 0;
	uint32_t seen = 0;
	for (int64_t day = r->from_day; day <= b; day++) {
		if (!oracle_rule(r, day))
			continue;
		if (r->count && seen == r->count)
			break;
		seen++;
		if (day >= a && n < cap)
			out[n++] = day;
	}
	return n;
}

static struct kith_recurrence rule(enum kith_recur_kind kind, uint32_t interval, int64_t from)
{
	struct kith_recurrence r;
	memset(&r, 0, sizeof r);
	r.kind = kind;
	r.interval = interval;
	r.from_day = from;
	r.until_day = INT64_MAX;
	r.at_min = 20 * 60;
	r.duration_ms = 60 * MIN_MS;
	return r;
}

static void compile_ok(struct kith_recurrence *r)
{
	char err[200] = "";
	if (!kith_recurrence_compile(r, err, sizeof err))
		fail_msg("compile: %s", err);
}

/* The days of the occurrences of r whose local start is on days [a, b]
 * under offset 0. */
static size_t days_between(const struct kith_recurrence *r, int64_t a, int64_t b, int64_t *out,
                           size_t cap)
{
	struct kith_occurrence occ[2048];
	size_t n = kith_recurrence_between(r, 0, a * DAY_MS, (b + 1) * DAY_MS, occ, 2048);
	assert_true(n <= 2048);
	for (size_t i = 0; i < n && i < cap; i++) {
		assert_int_equal(occ[i].start_ms, occ[i].day * DAY_MS + r->at_min * MIN_MS);
		assert_int_equal(occ[i].end_ms, occ[i].start_ms + r->duration_ms);
		out[i] = occ[i].day;
	}
	return n;
}

static void assert_days(const struct kith_recurrence *r, int64_t a, int64_t b)
{
	int64_t got[2048], want[2048];
	size_t gn = days_between(r, a, b, got, 2048), wn = oracle_days(r, a, b, want, 2048);
	if (gn != wn)
		fail_msg("kind %d every %u from %" PRId64 ": %zu occurrences in [%" PRId64
		         ", %" PRId64 "], the oracle has %zu",
		         r->kind, r->interval, r->from_day, gn, a, b, wn);
	for (size_t i = 0; i < gn; i++)
		assert_int_equal(got[i], want[i]);
}

static void assert_dates(const struct kith_recurrence *r, int64_t a, int64_t b,
                         const char *const *dates)
{
	int64_t got[64];
	size_t n = days_between(r, a, b, got, 64), k = 0;
	for (; dates[k]; k++) {
		int64_t y;
		unsigned m, d;
		assert_true(k < n);
		kith_civil_from_days(got[k], &y, &m, &d);
		char text[32];
		snprintf(text, sizeof text, "%04" PRId64 "-%02u-%02u", y, m, d);
		assert_string_equal(text, dates[k]);
	}
	assert_int_equal(n, k);
}

static void once_is_one_day(void **state)
{
	(void)state;
	struct kith_recurrence r = rule(KITH_RECUR_ONCE, 1, day_of(2026, 11, 21));
	compile_ok(&r);
	assert_dates(&r, day_of(2026, 1, 1), day_of(2027, 12, 31),
	             (const char *const[]){"2026-11-21", NULL});
	assert_int_equal(kith_recurrence_seek(&r, day_of(2026, 11, 22)), INT64_MAX);
}

static void every_three_days_from_a_date(void **state)
{
	(void)state;
	struct kith_recurrence r = rule(KITH_RECUR_DAILY, 3, day_of(2026, 11, 21));
	compile_ok(&r);
	assert_dates(&r, day_of(2026, 11, 20), day_of(2026, 12, 3),
	             (const char *const[]){"2026-11-21", "2026-11-24", "2026-11-27", "2026-11-30",
	                                   "2026-12-03", NULL});
	assert_int_equal(kith_recurrence_seek(&r, day_of(2026, 11, 22)), day_of(2026, 11, 24));
	assert_int_equal(kith_recurrence_seek(&r, day_of(2026, 11, 24)), day_of(2026, 11, 24));
}

static void weekly_on_weekdays_with_a_count(void **state)
{
	(void)state;
	/* Monday, Wednesday and Friday from Wednesday 2026-11-04, ten times. */
	struct kith_recurrence r = rule(KITH_RECUR_WEEKLY, 1, day_of(2026, 11, 4));
	r.weekdays = 1 | 4 | 16;
	r.count = 10;
	compile_ok(&r);
	assert_dates(&r, day_of(2026, 11, 1), day_of(2026, 12, 31),
	             (const char *const[]){"2026-11-04", "2026-11-06", "2026-11-09", "2026-11-11",
	                                   "2026-11-13", "2026-11-16", "2026-11-18", "2026-11-20",
	                                   "2026-11-23", "2026-11-25", NULL});
	/* Every second week on Tuesday, until 2026-12-31 (inclusive). */
	struct kith_recurrence b = rule(KITH_RECUR_WEEKLY, 2, day_of(2026, 11, 3));
	b.until_day = day_of(2026, 12, 29);
	compile_ok(&b);
	assert_dates(&b, day_of(2026, 11, 1), day_of(2027, 2, 1),
	             (const char *const[]){"2026-11-03", "2026-11-17", "2026-12-01", "2026-12-15",
	                                   "2026-12-29", NULL});
}

static void monthly_on_a_day_skips_months_without_it(void **state)
{
	(void)state;
	struct kith_recurrence r = rule(KITH_RECUR_MONTHLY_DAY, 1, day_of(2027, 12, 31));
	r.month_day = 31;
	compile_ok(&r);
	assert_dates(&r, day_of(2027, 12, 1), day_of(2028, 8, 31),
	             (const char *const[]){"2027-12-31", "2028-01-31", "2028-03-31", "2028-05-31",
	                                   "2028-07-31", "2028-08-31", NULL});
	/* The last day: February's in a leap year and in 2100, which is not one. */
	struct kith_recurrence last = rule(KITH_RECUR_MONTHLY_DAY, 1, day_of(2028, 1, 1));
	last.month_day = -1;
	compile_ok(&last);
	assert_dates(&last, day_of(2028, 1, 1), day_of(2028, 4, 30),
	             (const char *const[]){"2028-01-31", "2028-02-29", "2028-03-31", "2028-04-30",
	                                   NULL});
	assert_dates(&last, day_of(2100, 2, 1), day_of(2100, 3, 1),
	             (const char *const[]){"2100-02-28", NULL});
	/* The 29th every 12 months from February 2024: leap years only. */
	struct kith_recurrence feb = rule(KITH_RECUR_MONTHLY_DAY, 12, day_of(2024, 2, 1));
	feb.month_day = 29;
	compile_ok(&feb);
	assert_dates(&feb, day_of(2024, 1, 1), day_of(2033, 1, 1),
	             (const char *const[]){"2024-02-29", "2028-02-29", "2032-02-29", NULL});
}

static void monthly_on_the_nth_and_last_weekday(void **state)
{
	(void)state;
	/* The third Tuesday. */
	struct kith_recurrence r = rule(KITH_RECUR_MONTHLY_WEEKDAY, 1, day_of(2026, 11, 1));
	r.nth = 3;
	r.weekday = 1;
	compile_ok(&r);
	assert_dates(&r, day_of(2026, 11, 1), day_of(2027, 2, 28),
	             (const char *const[]){"2026-11-17", "2026-12-15", "2027-01-19", "2027-02-16",
	                                   NULL});
	/* The last Friday. */
	struct kith_recurrence f = rule(KITH_RECUR_MONTHLY_WEEKDAY, 1, day_of(2026, 1, 1));
	f.nth = -1;
	f.weekday = 4;
	compile_ok(&f);
	assert_dates(&f, day_of(2026, 1, 1), day_of(2026, 3, 31),
	             (const char *const[]){"2026-01-30", "2026-02-27", "2026-03-27", NULL});
	/* The fifth Sunday: months without one are skipped. */
	struct kith_recurrence s = rule(KITH_RECUR_MONTHLY_WEEKDAY, 1, day_of(2026, 1, 1));
	s.nth = 5;
	s.weekday = 6;
	compile_ok(&s);
	assert_dates(&s, day_of(2026, 1, 1), day_of(2026, 12, 31),
	             (const char *const[]){"2026-03-29", "2026-05-31", "2026-08-30", "2026-11-29",
	                                   NULL});
	/* A count of monthly occurrences counts only months that have one. */
	s.count = 3;
	compile_ok(&s);
	assert_int_equal(s.last_day, day_of(2026, 8, 30));
}

static void a_rule_without_occurrences_is_refused(void **state)
{
	(void)state;
	char err[200];
	struct kith_recurrence r = rule(KITH_RECUR_MONTHLY_DAY, 12, day_of(2026, 4, 1));
	r.month_day = 31; /* April never has a 31st */
	assert_false(kith_recurrence_compile(&r, err, sizeof err));
	assert_non_null(strstr(err, "no occurrence"));
	struct kith_recurrence u = rule(KITH_RECUR_DAILY, 1, day_of(2026, 4, 1));
	u.until_day = day_of(2026, 3, 31);
	assert_false(kith_recurrence_compile(&u, err, sizeof err));
	struct kith_recurrence bad = rule(KITH_RECUR_DAILY, 0, day_of(2026, 4, 1));
	assert_false(kith_recurrence_compile(&bad, err, sizeof err));
	bad = rule(KITH_RECUR_DAILY, 1, day_of(1800, 4, 1));
	assert_false(kith_recurrence_compile(&bad, err, sizeof err));
	bad = rule(KITH_RECUR_DAILY, 1, day_of(2026, 4, 1));
	bad.at_min = 1440;
	assert_false(kith_recurrence_compile(&bad, err, sizeof err));
	bad = rule(KITH_RECUR_MONTHLY_WEEKDAY, 1, day_of(2026, 4, 1));
	bad.nth = 6;
	assert_false(kith_recurrence_compile(&bad, err, sizeof err));
}

static void cancelled_and_moved_occurrences(void **state)
{
	(void)state;
	char err[200];
	struct kith_recurrence r = rule(KITH_RECUR_DAILY, 3, day_of(2026, 11, 21));
	int64_t cancelled[] = {day_of(2026, 11, 27)};
	struct kith_recur_move moved[] = {
	        {day_of(2026, 11, 24),
	         day_of(2026, 11, 29) * 1440 + 19 * 60}, /* after the next one */
	        {day_of(2026, 11, 30), day_of(2026, 11, 19) * 1440 + 8 * 60}, /* before the first */
	};
	r.cancelled = cancelled;
	r.cancelled_n = 1;
	r.moved = moved;
	r.moved_n = 2;
	r.count = 5; /* 21, 24, 27, 30, 3: a cancelled one still counts */
	compile_ok(&r);
	struct kith_occurrence o[16];
	size_t n = kith_recurrence_between(&r, 0, day_of(2026, 11, 1) * DAY_MS,
	                                   day_of(2027, 1, 1) * DAY_MS, o, 16);
	assert_int_equal(n, 4);
	assert_int_equal(o[0].day, day_of(2026, 11, 30));
	assert_true(o[0].moved);
	assert_int_equal(o[0].start_ms, day_of(2026, 11, 19) * DAY_MS + 8 * 60 * MIN_MS);
	assert_int_equal(o[1].day, day_of(2026, 11, 21));
	assert_false(o[1].moved);
	assert_int_equal(o[2].day, day_of(2026, 11, 24));
	assert_true(o[2].moved);
	assert_int_equal(o[2].start_ms, day_of(2026, 11, 29) * DAY_MS + 19 * 60 * MIN_MS);
	assert_int_equal(o[3].day, day_of(2026, 12, 3));
	/* A window that holds only the moved occurrence's new time. */
	n = kith_recurrence_between(&r, 0, day_of(2026, 11, 29) * DAY_MS,
	                            day_of(2026, 11, 30) * DAY_MS, o, 16);
	assert_int_equal(n, 1);
	assert_int_equal(o[0].day, day_of(2026, 11, 24));
	/* cap: the count is still whole. */
	assert_int_equal(kith_recurrence_between(&r, 0, 0, day_of(2027, 1, 1) * DAY_MS, o, 1), 4);

	/* What is not an occurrence cannot be cancelled or moved. */
	int64_t off_rule[] = {day_of(2026, 11, 22)};
	struct kith_recurrence b = rule(KITH_RECUR_DAILY, 3, day_of(2026, 11, 21));
	b.cancelled = off_rule;
	b.cancelled_n = 1;
	assert_false(kith_recurrence_compile(&b, err, sizeof err));
	assert_non_null(strstr(err, "2026-11-22"));
	int64_t twice[] = {day_of(2026, 11, 24), day_of(2026, 11, 24)};
	b.cancelled = twice;
	b.cancelled_n = 2;
	assert_false(kith_recurrence_compile(&b, err, sizeof err));
	assert_non_null(strstr(err, "twice"));
	int64_t past_count[] = {day_of(2026, 12, 6)};
	b.cancelled = past_count;
	b.cancelled_n = 1;
	b.count = 5;
	assert_false(kith_recurrence_compile(&b, err, sizeof err));
	struct kith_recur_move two[] = {{day_of(2026, 11, 24), 0}, {day_of(2026, 11, 24), 10}};
	b.cancelled_n = 0;
	b.moved = two;
	b.moved_n = 2;
	b.count = 0;
	assert_false(kith_recurrence_compile(&b, err, sizeof err));
	assert_non_null(strstr(err, "moved twice"));
}

/* Local 20:00 on 2026-12-31 is 06:00 UTC that day at +14:00 and 08:00 UTC
 * the next at -12:00; a window in UTC finds it by its UTC start. */
static void utc_offsets_shift_the_start(void **state)
{
	(void)state;
	struct kith_recurrence r = rule(KITH_RECUR_DAILY, 1, day_of(2026, 12, 30));
	r.count = 3;
	compile_ok(&r);
	int64_t d31 = day_of(2026, 12, 31);
	struct kith_occurrence o[8];
	size_t n = kith_recurrence_between(&r, 14 * 60, d31 * DAY_MS, (d31 + 1) * DAY_MS, o, 8);
	assert_int_equal(n, 1);
	assert_int_equal(o[0].day, d31);
	assert_int_equal(o[0].start_ms, d31 * DAY_MS + 6 * 60 * MIN_MS);
	n = kith_recurrence_between(&r, -12 * 60, (d31 + 1) * DAY_MS, (d31 + 2) * DAY_MS, o, 8);
	assert_int_equal(n, 1); /* local 2027-01-01 20:00 is 08:00 UTC on the 2nd */
	assert_int_equal(o[0].day, d31);
	assert_int_equal(o[0].start_ms, (d31 + 1) * DAY_MS + 8 * 60 * MIN_MS);
	/* Window edges: from is inclusive, to exclusive. */
	int64_t s = o[0].start_ms;
	assert_int_equal(kith_recurrence_between(&r, -12 * 60, s, s + 1, o, 8), 1);
	assert_int_equal(kith_recurrence_between(&r, -12 * 60, s - 1, s, o, 8), 0);
	/* +05:45 and a moved occurrence: its new time is local too. */
	struct kith_recur_move mv[] = {{d31, (d31 + 5) * 1440 + 7 * 60}};
	r.moved = mv;
	r.moved_n = 1;
	compile_ok(&r);
	n = kith_recurrence_between(&r, 5 * 60 + 45, (d31 + 4) * DAY_MS, (d31 + 6) * DAY_MS, o, 8);
	assert_int_equal(n, 1);
	assert_int_equal(o[0].start_ms, (d31 + 5) * DAY_MS + 7 * 60 * MIN_MS - 345 * MIN_MS);
}

static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static struct kith_recurrence random_rule(uint64_t *s)
{
	enum kith_recur_kind kind = (enum kith_recur_kind)(rng_next(s) % 5);
	int64_t from = day_of(2020, 1, 1) + (int64_t)(rng_next(s) % 3000);
	struct kith_recurrence r = rule(kind, 1 + (uint32_t)(rng_next(s) % 5), from);
	if (kind == KITH_RECUR_WEEKLY)
		r.weekdays = (uint8_t)(rng_next(s) % 128);
	if (kind == KITH_RECUR_MONTHLY_DAY)
		r.month_day = rng_next(s) % 8 == 0 ? -1 : (int8_t)(1 + rng_next(s) % 31);
	if (kind == KITH_RECUR_MONTHLY_WEEKDAY) {
		r.nth = rng_next(s) % 6 == 0 ? -1 : (int8_t)(1 + rng_next(s) % 5);
		r.weekday = (uint8_t)(rng_next(s) % 7);
	}
	if (rng_next(s) % 3 == 0)
		r.count = 1 + (uint32_t)(rng_next(s) % 40);
	if (rng_next(s) % 3 == 0)
		r.until_day = from + (int64_t)(rng_next(s) % 800);
	return r;
}

/* Thousands of random rules against the oracle, in windows near the
 * start, across it and years later. */
static void random_rules_agree_with_the_oracle(void **state)
{
	(void)state;
	uint64_t s = 0x9e3779b97f4a7c15u;
	char err[200];
	int compiled = 0;
	for (int i = 0; i < 3000; i++) {
		struct kith_recurrence r = random_rule(&s);
		if (!kith_recurrence_compile(&r, err, sizeof err)) {
			/* Only a rule the oracle also finds empty may be refused. */
			int64_t d[1];
			assert_int_equal(oracle_days(&r, r.from_day, r.from_day + 4800 * 31, d, 1),
			                 0);
			continue;
		}
		compiled++;
		int64_t a = r.from_day - 10 + (int64_t)(rng_next(&s) % 400);
		assert_days(&r, a, a + (int64_t)(rng_next(&s) % 120));
		if (i % 10 == 0) {
			a = r.from_day + 3000 + (int64_t)(rng_next(&s) % 2000);
			assert_days(&r, a, a + 60);
		}
	}
	assert_true(compiled > 2500);
}

/* A window twenty years ahead gives what the oracle gives, found without
 * stepping (the oracle steps). */
static void a_window_twenty_years_ahead(void **state)
{
	(void)state;
	int64_t from = day_of(2026, 11, 21), a = day_of(2046, 11, 1), b = day_of(2046, 12, 31);
	struct kith_recurrence d = rule(KITH_RECUR_DAILY, 3, from);
	compile_ok(&d);
	assert_days(&d, a, b);
	struct kith_recurrence w = rule(KITH_RECUR_WEEKLY, 3, from);
	w.weekdays = 2 | 32;
	compile_ok(&w);
	assert_days(&w, a, b);
	struct kith_recurrence m = rule(KITH_RECUR_MONTHLY_WEEKDAY, 2, from);
	m.nth = -1;
	m.weekday = 4;
	compile_ok(&m);
	assert_days(&m, a, b);
	struct kith_recurrence md = rule(KITH_RECUR_MONTHLY_DAY, 1, from);
	md.month_day = 31;
	compile_ok(&md);
	assert_days(&md, a, b);
	assert_dates(&md, day_of(2046, 11, 1), day_of(2047, 1, 31),
	             (const char *const[]){"2046-12-31", "2047-01-31", NULL});
	/* And far past the year 2400, at the limit of the calendar. */
	assert_int_equal(kith_recurrence_seek(&d, day_of(9999, 12, 31)) == INT64_MAX ||
	                         kith_recurrence_seek(&d, day_of(9999, 12, 29)) <=
	                                 day_of(9999, 12, 31),
	                 1);
	struct kith_occurrence o[4];
	assert_int_equal(kith_recurrence_between(&d, 0, INT64_MAX - 1, INT64_MAX, o, 4), 0);
	assert_int_equal(kith_recurrence_between(&d, 0, INT64_MIN, INT64_MIN + 1, o, 4), 0);
}

/* ---- the engine: [activity NAME] and [schedule] ------------------------- */

static const char design_charter[] = "[community]\n"
                                     "utc_offset = +08:00\n"
                                     "\n"
                                     "[activity member-qa]\n"
                                     "every = 3 d\n"
                                     "from = 2026-11-21\n"
                                     "at = 20:00\n"
                                     "duration = 60 min\n"
                                     "importance = 3\n"
                                     "preheat = 8 h\n"
                                     "\n"
                                     "[schedule]\n"
                                     "quiet_hours = 23:00-08:00\n"
                                     "max_pushes_per_day = 6\n"
                                     "min_interactions_per_day = 3\n"
                                     "digest_at = 22:00\n";

static const char *get(const kith_community *c, const char *name)
{
	static char buf[4096];
	kith_status st = kith_setting_get(c, name, KITH_NUL_TERMINATED, buf, sizeof buf, NULL);
	if (st != KITH_OK)
		fail_msg("get %s: %s", name, kith_status_name(st));
	return buf;
}

static kith_status apply(kith_community *c, const char *text)
{
	return kith_community_apply_charter(c, text, strlen(text));
}

static kith_status set(kith_community *c, const char *name, const char *value)
{
	return kith_setting_set(c, name, KITH_NUL_TERMINATED, value, KITH_NUL_TERMINATED);
}

static void design_charter_sections_apply(void **state)
{
	(void)state;
	struct test_alloc ta = {0};
	kith_community *c = test_community_new(&ta);
	assert_string_equal(get(c, "schedule.quiet_hours"), "23:00-08:00");
	assert_string_equal(get(c, "schedule.max_pushes_per_day"), "6");
	assert_string_equal(get(c, "schedule.min_gap"), "30 min");
	assert_string_equal(get(c, "schedule.digest_at"), "none");
	assert_string_equal(get(c, "schedule.revive_after"), "3 d");
	if (apply(c, design_charter) != KITH_OK)
		fail_msg("%s", kith_community_last_error(c));
	assert_string_equal(get(c, "activity.member-qa.every"), "3 d");
	assert_string_equal(get(c, "activity.member-qa.from"), "2026-11-21");
	assert_string_equal(get(c, "activity.member-qa.preheat"), "8 h");
	assert_string_equal(get(c, "activity.member-qa.cancel"), "");
	assert_string_equal(get(c, "schedule.digest_at"), "22:00");
	assert_int_equal(kith_activity_count(c), 1);
	assert_string_equal(kith_activity_name(c, 0), "member-qa");
	assert_null(kith_activity_name(c, 1));
	assert_int_equal(kith_activity_count(NULL), 0);
	assert_null(kith_activity_name(NULL, 0));
	assert_int_equal(apply(c, "[activity b-club]\nfrom = 2027-01-01\nat = 18:00\n"), KITH_OK);
	assert_int_equal(kith_activity_count(c), 2);
	assert_string_equal(kith_activity_name(c, 1), "b-club");
	assert_int_equal(apply(c, "[activity b-club]\nfrom =\nat =\n"), KITH_OK);
	assert_int_equal(kith_activity_count(c), 1);
	assert_int_equal(
	        kith_setting_get(c, "activity.other.every", KITH_NUL_TERMINATED, NULL, 0, NULL),
	        KITH_ENOTFOUND);
	/* Setting what reads back changes nothing. */
	assert_int_equal(set(c, "schedule.max_pushes_per_day", "6"), KITH_OK);
	/* Clearing from alone leaves an activity without a first date. */
	assert_int_equal(set(c, "activity.member-qa.from", ""), KITH_EINVAL);
	assert_string_equal(get(c, "activity.member-qa.from"), "2026-11-21");
	/* Clearing every key at once removes it. */
	assert_int_equal(apply(c, "[activity member-qa]\nevery =\nfrom =\nat =\nduration =\n"
	                          "importance =\npreheat =\n"),
	                 KITH_OK);
	assert_int_equal(
	        kith_setting_get(c, "activity.member-qa.every", KITH_NUL_TERMINATED, NULL, 0, NULL),
	        KITH_ENOTFOUND);
	kith_community_free(c);
	assert_int_equal(ta.live_blocks, 0);
}

static void assert_same_settings(const kith_community *a, const kith_community *b);

/* Activities through the API, without a charter: defined whole (and
 * replaced: keys not given are cleared), changed a key at a time, and
 * removed; checked as the charter's section is, nothing changed on
 * failure, and kept in snapshots like the charter's. */
static void activities_are_set_through_the_api(void **state)
{
	(void)state;
	struct test_alloc ta = {0};
	kith_community *c = test_community_new(&ta), *ref = test_community_new(NULL);
	const char *qa = "every = 3 d\n# the Q&A\n\nfrom = 2026-11-21\r\n  at = 20:00  \n"
	                 "preheat = 8 h\n";
	assert_int_equal(
	        kith_activity_define(c, "member-qa", KITH_NUL_TERMINATED, qa, KITH_NUL_TERMINATED),
	        KITH_OK);
	assert_int_equal(kith_activity_count(c), 1);
	assert_string_equal(get(c, "activity.member-qa.at"), "20:00");
	assert_string_equal(get(c, "activity.member-qa.preheat"), "8 h");
	/* The same as the charter's section: the same snapshot and agenda. */
	assert_int_equal(apply(ref, "[activity member-qa]\nevery = 3 d\nfrom = 2026-11-21\n"
	                            "at = 20:00\npreheat = 8 h\n"),
	                 KITH_OK);
	test_assert_same_snapshot(c, ref);
	/* One key at a time, checked whole. */
	assert_int_equal(kith_activity_set(c, "member-qa", 9, "importance", 10, "3", 1), KITH_OK);
	assert_string_equal(get(c, "activity.member-qa.importance"), "3");
	assert_int_equal(kith_activity_set(c, "member-qa", KITH_NUL_TERMINATED, "cancel",
	                                   KITH_NUL_TERMINATED, "2026-11-25", KITH_NUL_TERMINATED),
	                 KITH_EINVAL);
	assert_non_null(strstr(kith_community_last_error(c), "2026-11-25"));
	assert_int_equal(kith_activity_set(c, "member-qa", KITH_NUL_TERMINATED, "at",
	                                   KITH_NUL_TERMINATED, "", 0),
	                 KITH_EINVAL);
	assert_int_equal(kith_activity_set(c, "member-qa", KITH_NUL_TERMINATED, "colour",
	                                   KITH_NUL_TERMINATED, "red", KITH_NUL_TERMINATED),
	                 KITH_ENOTFOUND);
	/* One key alone cannot make an activity: from and at come together. */
	assert_int_equal(kith_activity_set(c, "new", KITH_NUL_TERMINATED, "at", KITH_NUL_TERMINATED,
	                                   "09:00", KITH_NUL_TERMINATED),
	                 KITH_EINVAL);
	assert_non_null(strstr(kith_community_last_error(c), "from is required"));
	assert_int_equal(kith_activity_count(c), 1);

	/* Refused definitions name the line and change nothing. */
	size_t len0, len1;
	unsigned char *before = test_save(c, &len0);
	static const struct {
		const char *text, *want;
		kith_status st;
	} bad[] = {
	        {"from = 2026-11-21\nat = 25:00\n", "line 2, column 6", KITH_EINVAL},
	        {"from = 2026-11-21\n\nat 20:00\n", "line 3: expected 'key = value'", KITH_ESYNTAX},
	        {"colour = red\n", "line 1: unknown activity key 'colour'", KITH_ENOTFOUND},
	        {"at = 10:00\nfrom = 2026-11-21\nat = 11:00\n", "line 3: at is given twice",
	         KITH_ESYNTAX},
	        {"every = day\nat = 10:00\n", "from is required", KITH_EINVAL},
	        {"= 3\n", "line 1: expected a key", KITH_ESYNTAX},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(kith_activity_define(c, "member-qa", KITH_NUL_TERMINATED,
		                                      bad[i].text, KITH_NUL_TERMINATED),
		                 bad[i].st);
		if (!strstr(kith_community_last_error(c), bad[i].want))
			fail_msg("%s: %s", bad[i].text, kith_community_last_error(c));
	}
	assert_int_equal(
	        kith_activity_define(c, "bad name", KITH_NUL_TERMINATED, qa, KITH_NUL_TERMINATED),
	        KITH_EINVAL);
	assert_int_equal(kith_activity_define(c, "", KITH_NUL_TERMINATED, qa, KITH_NUL_TERMINATED),
	                 KITH_EINVAL);
	assert_int_equal(kith_activity_define(c, "x", 1, "from = 2026\0", 12), KITH_EINVAL);
	assert_int_equal(kith_activity_define(NULL, "x", 1, qa, KITH_NUL_TERMINATED), KITH_EINVAL);
	assert_int_equal(kith_activity_define(c, NULL, 1, qa, KITH_NUL_TERMINATED), KITH_EINVAL);
	assert_int_equal(kith_activity_set(c, "x", 1, NULL, 0, "", 0), KITH_EINVAL);
	assert_int_equal(kith_activity_remove(c, "nope", KITH_NUL_TERMINATED), KITH_ENOTFOUND);
	assert_int_equal(kith_activity_remove(c, NULL, 0), KITH_EINVAL);
	unsigned char *after = test_save(c, &len1);
	assert_int_equal(len0, len1);
	assert_memory_equal(before, after, len0);
	free(after);
	free(before);

	/* A second activity, then the first replaced: it keeps its place and
	 * loses the keys the new text does not give. */
	assert_int_equal(kith_activity_define(c, "b-club", KITH_NUL_TERMINATED,
	                                      "from = 2027-01-01\nat = 18:00\n",
	                                      KITH_NUL_TERMINATED),
	                 KITH_OK);
	assert_int_equal(kith_activity_define(c, "member-qa", KITH_NUL_TERMINATED,
	                                      "every = week\nfrom = 2026-12-01\nat = 19:00\n",
	                                      KITH_NUL_TERMINATED),
	                 KITH_OK);
	assert_int_equal(kith_activity_count(c), 2);
	assert_string_equal(kith_activity_name(c, 0), "member-qa");
	assert_string_equal(kith_activity_name(c, 1), "b-club");
	assert_string_equal(get(c, "activity.member-qa.preheat"), "");
	assert_string_equal(get(c, "activity.member-qa.importance"), "");
	assert_string_equal(get(c, "activity.member-qa.every"), "week");

	/* Kept in snapshots as the charter's are. */
	size_t len;
	unsigned char *bytes = test_save(c, &len);
	kith_community *d = test_community_new(NULL);
	assert_int_equal(test_load(d, bytes, len), KITH_OK);
	assert_same_settings(c, d);
	free(bytes);
	kith_community_free(d);

	/* Removed, in one change; the last one gone, no schedule is left. */
	assert_int_equal(kith_activity_remove(c, "member-qa", KITH_NUL_TERMINATED), KITH_OK);
	assert_int_equal(kith_activity_count(c), 1);
	assert_string_equal(kith_activity_name(c, 0), "b-club");
	assert_int_equal(kith_activity_define(c, "b-club", 6, "", 0), KITH_OK);
	assert_int_equal(kith_activity_count(c), 0);
	kith_community *plain = test_community_new(NULL);
	test_assert_same_snapshot(c, plain);
	kith_community_free(plain);
	kith_community_free(ref);
	kith_community_free(c);
	assert_int_equal(ta.live_blocks, 0);
}

static void a_whole_activity_is_checked_in_any_key_order(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	/* cancel before every: checked once the section is whole. */
	assert_int_equal(apply(c, "[activity qa]\ncancel = 2026-11-24\nfrom = 2026-11-21\n"
	                          "at = 20:00\nevery = 3 d\n"),
	                 KITH_OK);
	assert_string_equal(get(c, "activity.qa.cancel"), "2026-11-24");
	/* A date that is not an occurrence: refused, naming it; nothing applied. */
	kith_status st = apply(c, "[community]\nname = changed\n[activity qa]\n"
	                          "cancel = 2026-11-25\n");
	assert_int_equal(st, KITH_EINVAL);
	const char *err = kith_community_last_error(c);
	if (!strstr(err, "activity qa") || !strstr(err, "2026-11-25"))
		fail_msg("error: %s", err);
	assert_string_equal(get(c, "community.name"), "");
	assert_string_equal(get(c, "activity.qa.cancel"), "2026-11-24");
	/* Missing from or at. */
	assert_int_equal(apply(c, "[activity lone]\nevery = day\nat = 10:00\n"), KITH_EINVAL);
	assert_non_null(strstr(kith_community_last_error(c), "from is required"));
	/* Weekdays do not go with months. */
	assert_int_equal(apply(c, "[activity m]\nevery = month\non = mon, tue\nfrom = 2026-11-21\n"
	                          "at = 20:00\n"),
	                 KITH_EINVAL);
	assert_non_null(strstr(kith_community_last_error(c), "does not fit"));
	kith_community_free(c);
}

/* A malformed or absurd value: a clear error naming the line, column,
 * setting and value, and the community unchanged. */
static void bad_values_are_refused_with_their_place(void **state)
{
	(void)state;
	static const struct {
		const char *line;
		kith_status st;
		const char *needle;
	} cases[] = {
	        {"every = 3 fortnights", KITH_EINVAL, "3 fortnights"},
	        {"every = 0 d", KITH_EINVAL, "0 d"},
	        {"every = 99999 d", KITH_EINVAL, "99999 d"},
	        {"on = funday", KITH_EINVAL, "funday"},
	        {"on = sixth tue", KITH_EINVAL, "sixth tue"},
	        {"on = 32", KITH_EINVAL, "32"},
	        {"from = 2026-02-30", KITH_EINVAL, "2026-02-30"},
	        {"from = 1850-01-01", KITH_EINVAL, "1850-01-01"},
	        {"from = 26-1-1", KITH_EINVAL, "26-1-1"},
	        {"at = 24:00", KITH_EINVAL, "24:00"},
	        {"at = 8", KITH_EINVAL, "'8'"},
	        {"duration = 400 d", KITH_EINVAL, "400 d"},
	        {"importance = 4", KITH_ERANGE, "'4'"},
	        {"importance = 0", KITH_ERANGE, "'0'"},
	        {"preheat = 99999999999999999999 d", KITH_EINVAL, "99999"},
	        {"reminders = 1 h, soon", KITH_EINVAL, "soon"},
	        {"count = 0", KITH_ERANGE, "'0'"},
	        {"count = 100001", KITH_ERANGE, "100001"},
	        {"cancel = 2026-11-24, tomorrow", KITH_EINVAL, "tomorrow"},
	        {"move = 2026-11-24 -> later", KITH_EINVAL, "later"},
	        {"colour = red", KITH_ENOTFOUND, "colour"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		kith_community *c = test_community_new(NULL);
		char text[256];
		snprintf(text, sizeof text, "[community]\nname = before\n[activity qa]\n%s\n",
		         cases[i].line);
		kith_status st = apply(c, text);
		if (st != cases[i].st)
			fail_msg("%s: %s (%s)", cases[i].line, kith_status_name(st),
			         kith_community_last_error(c));
		const char *err = kith_community_last_error(c);
		if (strncmp(err, "line 4, column ", 15) != 0 || !strstr(err, cases[i].needle))
			fail_msg("%s: error \"%s\"", cases[i].line, err);
		assert_string_equal(get(c, "community.name"), "");
		assert_int_equal(
		        kith_setting_get(c, "activity.qa.from", KITH_NUL_TERMINATED, NULL, 0, NULL),
		        KITH_ENOTFOUND);
		kith_community_free(c);
	}
	static const char *const bad_schedule[] = {"quiet_hours = 23:00",
	                                           "quiet_hours = 25:00-08:00",
	                                           "quiet_hours = 00:00-00:00",
	                                           "max_pushes_per_day = 0",
	                                           "max_pushes_per_day = 1001",
	                                           "min_gap = 2 d",
	                                           "min_interactions_per_day = 101",
	                                           "digest_at = late",
	                                           "revive_after = 10 min",
	                                           "loudness = 11"};
	for (size_t i = 0; i < sizeof bad_schedule / sizeof *bad_schedule; i++) {
		kith_community *c = test_community_new(NULL);
		char text[256];
		snprintf(text, sizeof text, "[schedule]\n%s\n", bad_schedule[i]);
		assert_int_not_equal(apply(c, text), KITH_OK);
		assert_non_null(strstr(kith_community_last_error(c), "line 2"));
		assert_string_equal(get(c, "schedule.quiet_hours"), "23:00-08:00");
		kith_community_free(c);
	}
}

static void activities_are_bounded(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	char name[64];
	for (int i = 0; i < 64; i++) {
		snprintf(name, sizeof name, "activity.a%d.from", i);
		assert_int_equal(set(c, name, "2026-11-21"), KITH_EINVAL); /* no at yet */
	}
	size_t n = 0;
	char *text = malloc(64 * 64 + 64);
	assert_non_null(text);
	for (int i = 0; i < 65; i++)
		n += (size_t)snprintf(text + n, 64 * 64 + 64 - n,
		                      "[activity a%d]\nfrom=2026-11-21\nat=1:00\n", i);
	assert_int_equal(apply(c, text), KITH_ELIMIT);
	assert_non_null(strstr(kith_community_last_error(c), "at most 64 activities"));
	free(text);
	assert_int_equal(set(c, "activity.bad name.from", "2026-11-21"), KITH_EINVAL);
	kith_community_free(c);
}

/* Every allocation of a charter with activities may fail: the community
 * is then as it was, and nothing leaks. */
static void allocation_failures_change_nothing(void **state)
{
	(void)state;
	bool done = false;
	for (uint64_t k = 1; k < 1000 && !done; k++) {
		struct test_alloc ta = {0};
		kith_community *c = test_community_new(&ta);
		assert_int_equal(apply(c, "[activity x]\nfrom = 2026-01-01\nat = 09:00\n"),
		                 KITH_OK);
		ta.fail_at = ta.calls + k;
		kith_status st = apply(c, design_charter);
		if (st == KITH_OK) {
			done = true;
		} else {
			assert_int_equal(st, KITH_ENOMEM);
			assert_string_equal(get(c, "schedule.digest_at"), "none");
			assert_string_equal(get(c, "activity.x.at"), "09:00");
		}
		kith_community_free(c);
		assert_int_equal(ta.live_blocks, 0);
	}
	assert_true(done);
}

/* The same for kith_activity_define and kith_activity_remove. */
static void allocation_failures_in_the_activity_api_change_nothing(void **state)
{
	(void)state;
	int done = 0;
	for (uint64_t k = 1; k < 1000 && done < 2; k++) {
		struct test_alloc ta = {0};
		kith_community *c = test_community_new(&ta);
		assert_int_equal(apply(c, "[activity x]\nfrom = 2026-01-01\nat = 09:00\n"),
		                 KITH_OK);
		ta.fail_at = ta.calls + k;
		kith_status st = done == 0 ? kith_activity_define(c, "x", 1,
		                                                  "every = day\nfrom = 2026-02-01\n"
		                                                  "at = 10:00\n",
		                                                  KITH_NUL_TERMINATED)
		                           : kith_activity_remove(c, "x", 1);
		if (st == KITH_OK) {
			done++;
			k = 0;
		} else {
			assert_int_equal(st, KITH_ENOMEM);
			assert_int_equal(kith_activity_count(c), 1);
			assert_string_equal(get(c, "activity.x.at"), "09:00");
			assert_string_equal(get(c, "activity.x.every"), "");
		}
		kith_community_free(c);
		assert_int_equal(ta.live_blocks, 0);
	}
	assert_int_equal(done, 2);
}

/* ---- the agenda --------------------------------------------------------- */

/* UTC ms of a local date and time under offset_min. */
static int64_t local_ms(int offset_min, int64_t y, unsigned m, unsigned d, unsigned hh, unsigned mm)
{
	return day_of(y, m, d) * DAY_MS + ((int64_t)hh * 60 + mm - offset_min) * MIN_MS;
}

static kith_agenda *agenda(kith_community *c, int64_t from, int64_t to)
{
	kith_agenda *a = NULL;
	if (kith_agenda_new(c, from, to, &a) != KITH_OK)
		fail_msg("agenda: %s", kith_community_last_error(c));
	return a;
}

struct want_item {
	const char *activity; /* NULL: a digest */
	int64_t time;
	kith_agenda_kind kind;
	kith_agenda_fate fate;
	kith_agenda_reason reason;
};

static void assert_agenda(const kith_agenda *a, const struct want_item *w, size_t n)
{
	if (kith_agenda_count(a) != n) {
		char buf[8192];
		kith_agenda_to_json(a, buf, sizeof buf, NULL);
		fail_msg("%zu items, want %zu: %s", kith_agenda_count(a), n, buf);
	}
	for (size_t i = 0; i < n; i++) {
		const char *act;
		int64_t t;
		kith_agenda_kind kind;
		kith_agenda_fate fate;
		kith_agenda_reason reason;
		assert_int_equal(kith_agenda_item(a, i, &act, &t, &kind, NULL), KITH_OK);
		assert_int_equal(kith_agenda_item_change(a, i, &fate, &reason, NULL, NULL),
		                 KITH_OK);
		if (w[i].activity)
			assert_string_equal(act, w[i].activity);
		else
			assert_null(act);
		if (t != w[i].time || kind != w[i].kind || fate != w[i].fate ||
		    reason != w[i].reason)
			fail_msg("item %zu: %s at %" PRId64 " %s %s, want %s at %" PRId64 " %s %s",
			         i, kith_agenda_kind_name(kind), t, kith_agenda_fate_name(fate),
			         kith_agenda_reason_name(reason), kith_agenda_kind_name(w[i].kind),
			         w[i].time, kith_agenda_fate_name(w[i].fate),
			         kith_agenda_reason_name(w[i].reason));
	}
}

/* Item i of a and item j of b are the same item. */
static bool same_item(const kith_agenda *a, size_t i, const kith_agenda *b, size_t j)
{
	const char *na, *nb;
	int64_t ta, tb, pa, pb, ea, eb;
	kith_agenda_kind ka, kb;
	int ia, ib;
	kith_agenda_fate fa, fb;
	kith_agenda_reason ra, rb;
	kith_agenda_item(a, i, &na, &ta, &ka, &ia);
	kith_agenda_item(b, j, &nb, &tb, &kb, &ib);
	kith_agenda_item_change(a, i, &fa, &ra, &pa, &ea);
	kith_agenda_item_change(b, j, &fb, &rb, &pb, &eb);
	if ((na == NULL) != (nb == NULL) || (na && strcmp(na, nb) != 0))
		return false;
	return ta == tb && ka == kb && ia == ib && fa == fb && ra == rb && pa == pb && ea == eb;
}

/* The agenda for [from, to) is the agenda for [from, b) followed by the
 * one for [b, to). */
static void assert_composes(kith_community *c, int64_t from, int64_t b, int64_t to,
                            const char *what)
{
	kith_agenda *whole = agenda(c, from, to), *x = agenda(c, from, b), *y = agenda(c, b, to);
	size_t nx = kith_agenda_count(x), ny = kith_agenda_count(y);
	if (kith_agenda_count(whole) != nx + ny)
		fail_msg("[%" PRId64 ", %" PRId64 ") has %zu items, split at %" PRId64
		         " %zu + %zu\n%s",
		         from, to, kith_agenda_count(whole), b, nx, ny, what);
	for (size_t i = 0; i < nx + ny; i++)
		if (!same_item(whole, i, i < nx ? x : y, i < nx ? i : i - nx)) {
			char buf[4096];
			kith_agenda_to_json(whole, buf, sizeof buf, NULL);
			fail_msg("item %zu differs split at %" PRId64 ": %s\n%s", i, b, buf, what);
		}
	kith_agenda_free(whole);
	kith_agenda_free(x);
	kith_agenda_free(y);
}

/* The design's member Q&A at +08:00: preheat 8 h before 20:00 is noon,
 * importance 3 reminds a day, an hour and ten minutes before; the digest
 * at 22:00 every day. */
static void preheat_reminders_start_end_and_digest(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	assert_int_equal(apply(c, design_charter), KITH_OK);
	const int off = 480;
	kith_agenda *a =
	        agenda(c, local_ms(off, 2026, 11, 21, 0, 0), local_ms(off, 2026, 11, 24, 0, 0));
	const struct want_item w[] = {
	        {"member-qa", local_ms(off, 2026, 11, 21, 12, 0), KITH_AGENDA_PREHEAT, 0, 0},
	        {"member-qa", local_ms(off, 2026, 11, 21, 19, 0), KITH_AGENDA_REMINDER, 0, 0},
	        {"member-qa", local_ms(off, 2026, 11, 21, 19, 50), KITH_AGENDA_REMINDER, 0, 0},
	        {"member-qa", local_ms(off, 2026, 11, 21, 20, 0), KITH_AGENDA_START, 0, 0},
	        {"member-qa", local_ms(off, 2026, 11, 21, 21, 0), KITH_AGENDA_END, 0, 0},
	        {NULL, local_ms(off, 2026, 11, 21, 22, 0), KITH_AGENDA_DIGEST, 0, 0},
	        /* The 22nd has the digest alone, the 23rd a reminder too:
	         * fillers make three, at the best free hours. */
	        {NULL, local_ms(off, 2026, 11, 22, 12, 0), KITH_AGENDA_FILLER, 0, 0},
	        {NULL, local_ms(off, 2026, 11, 22, 20, 0), KITH_AGENDA_FILLER, 0, 0},
	        {NULL, local_ms(off, 2026, 11, 22, 22, 0), KITH_AGENDA_DIGEST, 0, 0},
	        {NULL, local_ms(off, 2026, 11, 23, 12, 0), KITH_AGENDA_FILLER, 0, 0},
	        {"member-qa", local_ms(off, 2026, 11, 23, 20, 0), KITH_AGENDA_REMINDER, 0, 0},
	        {NULL, local_ms(off, 2026, 11, 23, 22, 0), KITH_AGENDA_DIGEST, 0, 0},
	};
	assert_agenda(a, w, sizeof w / sizeof *w);
	int importance = 0;
	int64_t planned, event;
	assert_int_equal(kith_agenda_item(a, 0, NULL, NULL, NULL, &importance), KITH_OK);
	assert_int_equal(importance, 3);
	assert_int_equal(kith_agenda_item_change(a, 0, NULL, NULL, &planned, &event), KITH_OK);
	assert_int_equal(planned, local_ms(off, 2026, 11, 21, 12, 0));
	assert_int_equal(event, local_ms(off, 2026, 11, 21, 20, 0));
	assert_int_equal(kith_agenda_item(a, 12, NULL, NULL, NULL, NULL), KITH_ENOTFOUND);
	assert_null(kith_agenda_item_label(a, 6)); /* a filler without topics */
	assert_null(kith_agenda_item_label(a, 0)); /* not a filler */
	assert_null(kith_agenda_item_label(a, 12));
	assert_null(kith_agenda_item_label(NULL, 0));
	assert_int_equal(kith_agenda_item(NULL, 0, NULL, NULL, NULL, NULL), KITH_EINVAL);

	/* JSON: the needed size, truncation, and a field of each kind. */
	size_t needed = 0;
	assert_int_equal(kith_agenda_to_json(a, NULL, 0, &needed), KITH_OK);
	char *buf = malloc(needed + 1);
	assert_non_null(buf);
	size_t again = 0;
	assert_int_equal(kith_agenda_to_json(a, buf, needed + 1, &again), KITH_OK);
	assert_int_equal(again, needed);
	assert_int_equal(strlen(buf), needed);
	assert_non_null(
	        strstr(buf, "\"kind\":\"preheat\",\"activity\":\"member-qa\",\"importance\":3"));
	assert_non_null(strstr(buf, "\"kind\":\"digest\",\"activity\":null,\"importance\":1"));
	assert_non_null(strstr(buf, "\"fate\":\"kept\",\"reason\":\"none\""));
	char small[16];
	assert_int_equal(kith_agenda_to_json(a, small, sizeof small, NULL), KITH_OK);
	assert_int_equal(strlen(small), sizeof small - 1);
	assert_int_equal(kith_agenda_to_json(a, NULL, 5, NULL), KITH_EINVAL);
	free(buf);
	kith_agenda_free(a);
	kith_agenda_free(NULL);
	kith_community_free(c);
}

static void quiet_hours_delay_or_drop(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	/* At -12:00: a reminder an hour before 08:30 falls at 07:30, in the
	 * quiet hours: delayed to 08:00. One an hour before 08:00 would be
	 * delayed to the start itself: dropped. The 10 h preheat of the first
	 * falls at 22:30, before the quiet hours: kept. */
	assert_int_equal(apply(c,
	                       "[community]\nutc_offset = -12:00\n"
	                       "[schedule]\nmin_interactions_per_day = 0\n"
	                       "[activity early]\nfrom = 2027-01-01\nat = 08:30\npreheat = 10 h\n"
	                       "reminders = 1 h\nimportance = 2\n"
	                       "[activity dawn]\nfrom = 2027-01-02\nat = 08:00\npreheat = none\n"
	                       "reminders = 1 h\n"),
	                 KITH_OK);
	const int off = -720;
	kith_agenda *a =
	        agenda(c, local_ms(off, 2026, 12, 31, 0, 0), local_ms(off, 2027, 1, 3, 0, 0));
	const struct want_item w[] = {
	        {"early", local_ms(off, 2026, 12, 31, 22, 30), KITH_AGENDA_PREHEAT, 0, 0},
	        {"early", local_ms(off, 2027, 1, 1, 8, 0), KITH_AGENDA_REMINDER, KITH_AGENDA_MOVED,
	         KITH_AGENDA_REASON_QUIET_HOURS},
	        {"early", local_ms(off, 2027, 1, 1, 8, 30), KITH_AGENDA_START, 0, 0},
	        {"early", local_ms(off, 2027, 1, 1, 9, 30), KITH_AGENDA_END, 0, 0},
	        {"dawn", local_ms(off, 2027, 1, 2, 7, 0), KITH_AGENDA_REMINDER, KITH_AGENDA_DROPPED,
	         KITH_AGENDA_REASON_QUIET_HOURS},
	        {"dawn", local_ms(off, 2027, 1, 2, 8, 0), KITH_AGENDA_START, 0, 0},
	        {"dawn", local_ms(off, 2027, 1, 2, 9, 0), KITH_AGENDA_END, 0, 0},
	};
	assert_agenda(a, w, sizeof w / sizeof *w);
	kith_agenda_free(a);
	/* Quiet hours that do not wrap midnight, at +14:00. */
	assert_int_equal(apply(c, "[community]\nutc_offset = +14:00\n[schedule]\n"
	                          "quiet_hours = 13:00-15:00\n[activity early]\nat = 16:00\n"
	                          "preheat = 2 h\nreminders = none\n[activity dawn]\nat = 15:30\n"),
	                 KITH_OK);
	a = agenda(c, local_ms(840, 2027, 1, 1, 0, 0), local_ms(840, 2027, 1, 1, 23, 0));
	const struct want_item w2[] = {
	        {"early", local_ms(840, 2027, 1, 1, 15, 0), KITH_AGENDA_PREHEAT, KITH_AGENDA_MOVED,
	         KITH_AGENDA_REASON_QUIET_HOURS},
	        {"early", local_ms(840, 2027, 1, 1, 16, 0), KITH_AGENDA_START, 0, 0},
	        {"early", local_ms(840, 2027, 1, 1, 17, 0), KITH_AGENDA_END, 0, 0},
	};
	assert_agenda(a, w2, sizeof w2 / sizeof *w2);
	kith_agenda_free(a);
	kith_community_free(c);
}

/* Three activities on one day under a cap of two pushes and a gap of an
 * hour: the least important moves first, then drops. */
static void caps_and_gaps_move_the_less_important_first(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	assert_int_equal(apply(c, "[schedule]\nmax_pushes_per_day = 2\nmin_gap = 1 h\n"
	                          "[activity low]\nfrom = 2027-03-01\nat = 20:00\nimportance = 1\n"
	                          "preheat = 10 h\n"
	                          "[activity mid]\nfrom = 2027-03-01\nat = 20:30\nimportance = 2\n"
	                          "preheat = 10 h\nreminders = none\n"
	                          "[activity high]\nfrom = 2027-03-01\nat = 21:00\nimportance = 3\n"
	                          "preheat = 10 h\nreminders = none\n"),
	                 KITH_OK);
	kith_agenda *a = agenda(c, local_ms(0, 2027, 3, 1, 0, 0), local_ms(0, 2027, 3, 2, 0, 0));
	/* high's preheat at 11:00 is placed first; mid's at 10:30 is within
	 * the hour of it: moved to 12:00; low's at 10:00 finds the day full. */
	const struct want_item w[] = {
	        {"low", local_ms(0, 2027, 3, 1, 10, 0), KITH_AGENDA_PREHEAT, KITH_AGENDA_DROPPED,
	         KITH_AGENDA_REASON_DAILY_CAP},
	        {"high", local_ms(0, 2027, 3, 1, 11, 0), KITH_AGENDA_PREHEAT, 0, 0},
	        {"mid", local_ms(0, 2027, 3, 1, 12, 0), KITH_AGENDA_PREHEAT, KITH_AGENDA_MOVED,
	         KITH_AGENDA_REASON_MIN_GAP},
	        {"low", local_ms(0, 2027, 3, 1, 20, 0), KITH_AGENDA_START, 0, 0},
	        {"mid", local_ms(0, 2027, 3, 1, 20, 30), KITH_AGENDA_START, 0, 0},
	        {"high", local_ms(0, 2027, 3, 1, 21, 0), KITH_AGENDA_START, 0, 0},
	        {"low", local_ms(0, 2027, 3, 1, 21, 0), KITH_AGENDA_END, 0, 0},
	        {"mid", local_ms(0, 2027, 3, 1, 21, 30), KITH_AGENDA_END, 0, 0},
	        {"high", local_ms(0, 2027, 3, 1, 22, 0), KITH_AGENDA_END, 0, 0},
	};
	assert_agenda(a, w, sizeof w / sizeof *w);
	kith_agenda_free(a);
	kith_community_free(c);
}

/* Quiet hours over midnight, the cap and the gap together, at +05:30,
 * every day alike. Per day: news's preheat at 07:00 (importance 3) is
 * placed first; chat's, planned at 22:00 the day before and delayed to
 * 07:00 by the quiet hours, finds 07:00 taken and the gap would carry
 * it past chat's 08:00 start: dropped; quiz's preheat moves from 08:00
 * to 09:00 for the gap; quiz's reminder at 19:00 is the day's third
 * push, so the digest at 21:00 finds the day full. */
static const char collide_charter[] = "[community]\nutc_offset = +05:30\n"
                                      "[schedule]\nquiet_hours = 22:00-07:00\n"
                                      "max_pushes_per_day = 3\nmin_gap = 2 h\ndigest_at = 21:00\n"
                                      "[activity news]\nevery = day\nfrom = 2027-06-01\n"
                                      "at = 09:00\nimportance = 3\npreheat = 2 h\n"
                                      "reminders = none\n"
                                      "[activity chat]\nevery = day\nfrom = 2027-06-01\n"
                                      "at = 08:00\npreheat = 10 h\nreminders = none\n"
                                      "[activity quiz]\nevery = day\nfrom = 2027-06-01\n"
                                      "at = 20:00\nimportance = 1\npreheat = 12 h\n"
                                      "reminders = 1 h\n";

static void quiet_nights_caps_and_gaps_compose(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	assert_int_equal(apply(c, collide_charter), KITH_OK);
	const int off = 330;
	kith_agenda *a =
	        agenda(c, local_ms(off, 2027, 6, 2, 0, 0), local_ms(off, 2027, 6, 3, 0, 0));
	const struct want_item w[] = {
	        {"news", local_ms(off, 2027, 6, 2, 7, 0), KITH_AGENDA_PREHEAT, 0, 0},
	        {"chat", local_ms(off, 2027, 6, 2, 8, 0), KITH_AGENDA_START, 0, 0},
	        {"news", local_ms(off, 2027, 6, 2, 9, 0), KITH_AGENDA_START, 0, 0},
	        {"chat", local_ms(off, 2027, 6, 2, 9, 0), KITH_AGENDA_END, 0, 0},
	        {"quiz", local_ms(off, 2027, 6, 2, 9, 0), KITH_AGENDA_PREHEAT, KITH_AGENDA_MOVED,
	         KITH_AGENDA_REASON_MIN_GAP},
	        {"news", local_ms(off, 2027, 6, 2, 10, 0), KITH_AGENDA_END, 0, 0},
	        {"quiz", local_ms(off, 2027, 6, 2, 19, 0), KITH_AGENDA_REMINDER, 0, 0},
	        {"quiz", local_ms(off, 2027, 6, 2, 20, 0), KITH_AGENDA_START, 0, 0},
	        {"quiz", local_ms(off, 2027, 6, 2, 21, 0), KITH_AGENDA_END, 0, 0},
	        {NULL, local_ms(off, 2027, 6, 2, 21, 0), KITH_AGENDA_DIGEST, KITH_AGENDA_DROPPED,
	         KITH_AGENDA_REASON_DAILY_CAP},
	        {"chat", local_ms(off, 2027, 6, 2, 22, 0), KITH_AGENDA_PREHEAT, KITH_AGENDA_DROPPED,
	         KITH_AGENDA_REASON_MIN_GAP},
	};
	assert_agenda(a, w, sizeof w / sizeof *w);
	/* Regular push times: every later day is the same at the same local
	 * times. */
	kith_agenda *month =
	        agenda(c, local_ms(off, 2027, 6, 2, 0, 0), local_ms(off, 2027, 7, 2, 0, 0));
	assert_int_equal(kith_agenda_count(month), 30 * kith_agenda_count(a));
	for (size_t i = 0; i < kith_agenda_count(month); i++) {
		size_t j = i % kith_agenda_count(a);
		int64_t shift = (int64_t)(i / kith_agenda_count(a)) * DAY_MS, t, u, p, q;
		kith_agenda_fate f, g;
		kith_agenda_item(month, i, NULL, &t, NULL, NULL);
		kith_agenda_item(a, j, NULL, &u, NULL, NULL);
		kith_agenda_item_change(month, i, &f, NULL, &p, NULL);
		kith_agenda_item_change(a, j, &g, NULL, &q, NULL);
		assert_int_equal(t, u + shift);
		assert_int_equal(p, q + shift);
		assert_int_equal(f, g);
	}
	/* A window ending at midnight leaves the 07:00 push, delayed out of
	 * the quiet night, to the next one; split anywhere, the parts make
	 * the whole. */
	int64_t from = local_ms(off, 2027, 6, 1, 0, 0), to = local_ms(off, 2027, 6, 8, 0, 0);
	for (int64_t b = from; b <= to; b += 15 * MIN_MS)
		assert_composes(c, from, b, to, "collide_charter");
	kith_agenda_free(month);
	kith_agenda_free(a);
	kith_community_free(c);
}

/* Without quiet hours, the last min_gap of a local day is kept free so
 * that a day's pushes never crowd the next day's: a preheat planned at
 * 23:30 under a gap of an hour goes to 00:00, at -14:00 and at +14:00. */
static void a_day_ends_with_a_gap(void **state)
{
	(void)state;
	for (int sign = -1; sign <= 1; sign += 2) {
		kith_community *c = test_community_new(NULL);
		char charter[512];
		snprintf(charter, sizeof charter,
		         "[community]\nutc_offset = %c14:00\n[schedule]\nquiet_hours = none\n"
		         "min_gap = 1 h\nmin_interactions_per_day = 0\n[activity late]\nevery = "
		         "day\nfrom = 2027-12-30\n"
		         "at = 00:20\npreheat = 50 min\nreminders = 10 min\n",
		         sign < 0 ? '-' : '+');
		assert_int_equal(apply(c, charter), KITH_OK);
		const int off = sign * 840;
		kith_agenda *a = agenda(c, local_ms(off, 2027, 12, 31, 0, 0),
		                        local_ms(off, 2028, 1, 1, 0, 0));
		const struct want_item w[] = {
		        {"late", local_ms(off, 2027, 12, 31, 0, 0), KITH_AGENDA_PREHEAT,
		         KITH_AGENDA_MOVED, KITH_AGENDA_REASON_MIN_GAP},
		        {"late", local_ms(off, 2027, 12, 31, 0, 10), KITH_AGENDA_REMINDER,
		         KITH_AGENDA_DROPPED, KITH_AGENDA_REASON_MIN_GAP},
		        {"late", local_ms(off, 2027, 12, 31, 0, 20), KITH_AGENDA_START, 0, 0},
		        {"late", local_ms(off, 2027, 12, 31, 1, 20), KITH_AGENDA_END, 0, 0},
		};
		/* The preheat planned at 23:30 on the 31st rests to 00:00 on
		 * the 1st: it is the next window's, as the one planned on the
		 * 30th is this one's. */
		assert_agenda(a, w, sizeof w / sizeof *w);
		assert_composes(c, local_ms(off, 2027, 12, 30, 0, 0),
		                local_ms(off, 2028, 1, 1, 0, 0), local_ms(off, 2028, 1, 3, 0, 0),
		                charter);
		kith_agenda_free(a);
		kith_community_free(c);
	}
}

/* Days short of three interactions get fillers at the best free hours,
 * each with the next prompt of schedule.topics. */
static void quiet_days_get_fillers(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	assert_int_equal(apply(c, "[community]\nutc_offset = -03:00\n[schedule]\n"
	                          "quiet_hours = 19:30-10:00\nmin_gap = 2 h\n"
	                          "max_pushes_per_day = 4\n"
	                          "topics = Your week? ; Best photo;Favourite tool\n"
	                          "[activity meet]\nfrom = 2027-02-10\nat = 15:00\n"
	                          "preheat = 2 h\nreminders = none\n"),
	                 KITH_OK);
	const int off = -180;
	kith_agenda *a =
	        agenda(c, local_ms(off, 2027, 2, 10, 0, 0), local_ms(off, 2027, 2, 12, 0, 0));
	/* The 10th has the preheat and the start: one filler, at 18:00 (20:00
	 * is quiet, 12:00 within the gap of the 13:00 preheat). The 11th has
	 * nothing: 12:00, 18:00, then 14:00 (19:00, 13:00, 17:00 and 11:00
	 * are within the gap of those). */
	const struct want_item w[] = {
	        {"meet", local_ms(off, 2027, 2, 10, 13, 0), KITH_AGENDA_PREHEAT, 0, 0},
	        {"meet", local_ms(off, 2027, 2, 10, 15, 0), KITH_AGENDA_START, 0, 0},
	        {"meet", local_ms(off, 2027, 2, 10, 16, 0), KITH_AGENDA_END, 0, 0},
	        {NULL, local_ms(off, 2027, 2, 10, 18, 0), KITH_AGENDA_FILLER, 0, 0},
	        {NULL, local_ms(off, 2027, 2, 11, 12, 0), KITH_AGENDA_FILLER, 0, 0},
	        {NULL, local_ms(off, 2027, 2, 11, 14, 0), KITH_AGENDA_FILLER, 0, 0},
	        {NULL, local_ms(off, 2027, 2, 11, 18, 0), KITH_AGENDA_FILLER, 0, 0},
	};
	assert_agenda(a, w, sizeof w / sizeof *w);
	static const char *const topics[] = {"Your week?", "Best photo", "Favourite tool"};
	int64_t d10 = day_of(2027, 2, 10), d11 = d10 + 1;
	assert_string_equal(kith_agenda_item_label(a, 3), topics[d10 % 3]);
	assert_string_equal(kith_agenda_item_label(a, 4), topics[d11 % 3]);       /* 1st */
	assert_string_equal(kith_agenda_item_label(a, 6), topics[(d11 + 1) % 3]); /* 2nd */
	assert_string_equal(kith_agenda_item_label(a, 5), topics[(d11 + 2) % 3]); /* 3rd */
	char json[4096];
	kith_agenda_to_json(a, json, sizeof json, NULL);
	assert_non_null(strstr(json, "\"kind\":\"filler\""));
	assert_non_null(strstr(json, "\"label\":\"Best photo\""));
	kith_agenda_free(a);
	/* The cap bounds them; a minimum of 0 asks for none. */
	assert_int_equal(set(c, "schedule.max_pushes_per_day", "2"), KITH_OK);
	a = agenda(c, local_ms(off, 2027, 2, 11, 0, 0), local_ms(off, 2027, 2, 12, 0, 0));
	assert_int_equal(kith_agenda_count(a), 2);
	kith_agenda_free(a);
	assert_int_equal(set(c, "schedule.min_interactions_per_day", "0"), KITH_OK);
	a = agenda(c, local_ms(off, 2027, 2, 11, 0, 0), local_ms(off, 2027, 2, 12, 0, 0));
	assert_int_equal(kith_agenda_count(a), 0);
	kith_agenda_free(a);
	/* Bad lists are refused and change nothing. */
	static const char *const bad[] = {"a;;b", ";", "a;", " ; a"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_int_equal(set(c, "schedule.topics", bad[i]), KITH_EINVAL);
		assert_non_null(strstr(kith_community_last_error(c), "empty"));
	}
	char many[2048] = "", big[300];
	for (int i = 0; i < 65; i++)
		strcat(many, i ? ";t" : "t");
	assert_int_equal(set(c, "schedule.topics", many), KITH_ELIMIT);
	memset(big, 'x', 257);
	big[257] = '\0';
	assert_int_equal(set(c, "schedule.topics", big), KITH_ERANGE);
	assert_string_equal(get(c, "schedule.topics"), "Your week? ; Best photo;Favourite tool");
	kith_community_free(c);
}

/* Greetings and festivals across the new year, at -14:00, +05:30 and
 * +14:00: each on its local date, a 29 February only in leap years. */
static void greetings_and_festivals_across_the_new_year(void **state)
{
	(void)state;
	static const int offsets[] = {-840, 330, 840};
	for (size_t k = 0; k < 3; k++) {
		const int off = offsets[k];
		kith_community *c = test_community_new(NULL);
		char charter[512];
		snprintf(charter, sizeof charter,
		         "[community]\nutc_offset = %c%02d:%02d\n[schedule]\nquiet_hours = none\n"
		         "min_gap = 0 min\nmin_interactions_per_day = 0\n"
		         "greetings = 07:30, 20:00\ncelebrate_at = 09:00\n"
		         "festivals = 01-01 New Year; 12-31 Last Day; 2028-02-29 Leap Day; "
		         "02-29 Every Leap\n",
		         off < 0 ? '-' : '+', abs(off) / 60, abs(off) % 60);
		assert_int_equal(apply(c, charter), KITH_OK);
		kith_agenda *a = agenda(c, local_ms(off, 2027, 12, 31, 0, 0),
		                        local_ms(off, 2028, 1, 2, 0, 0));
		const struct want_item w[] = {
		        {NULL, local_ms(off, 2027, 12, 31, 7, 30), KITH_AGENDA_GREETING, 0, 0},
		        {NULL, local_ms(off, 2027, 12, 31, 9, 0), KITH_AGENDA_FESTIVAL, 0, 0},
		        {NULL, local_ms(off, 2027, 12, 31, 20, 0), KITH_AGENDA_GREETING, 0, 0},
		        {NULL, local_ms(off, 2028, 1, 1, 7, 30), KITH_AGENDA_GREETING, 0, 0},
		        {NULL, local_ms(off, 2028, 1, 1, 9, 0), KITH_AGENDA_FESTIVAL, 0, 0},
		        {NULL, local_ms(off, 2028, 1, 1, 20, 0), KITH_AGENDA_GREETING, 0, 0},
		};
		assert_agenda(a, w, sizeof w / sizeof *w);
		static const char *const labels[] = {"morning", "Last Day", "evening",
		                                     "morning", "New Year", "evening"};
		for (size_t i = 0; i < 6; i++)
			assert_string_equal(kith_agenda_item_label(a, i), labels[i]);
		int importance;
		kith_agenda_item(a, 1, NULL, NULL, NULL, &importance);
		assert_int_equal(importance, 2);
		kith_agenda_free(a);
		assert_int_equal(set(c, "schedule.greetings", "none"), KITH_OK);
		a = agenda(c, local_ms(off, 2028, 2, 28, 0, 0), local_ms(off, 2028, 3, 1, 0, 0));
		assert_int_equal(kith_agenda_count(a), 2);
		const char *x = kith_agenda_item_label(a, 0), *y = kith_agenda_item_label(a, 1);
		assert_true((strcmp(x, "Leap Day") == 0 && strcmp(y, "Every Leap") == 0) ||
		            (strcmp(y, "Leap Day") == 0 && strcmp(x, "Every Leap") == 0));
		kith_agenda_free(a);
		a = agenda(c, local_ms(off, 2027, 2, 27, 0, 0), local_ms(off, 2027, 3, 2, 0, 0));
		assert_int_equal(kith_agenda_count(a), 0);
		kith_agenda_free(a);
		a = agenda(c, local_ms(off, 2032, 2, 29, 0, 0), local_ms(off, 2032, 3, 1, 0, 0));
		assert_int_equal(kith_agenda_count(a), 1);
		assert_string_equal(kith_agenda_item_label(a, 0), "Every Leap");
		kith_agenda_free(a);
		kith_community_free(c);
	}
	kith_community *c = test_community_new(NULL);
	static const char *const bad_greetings[] = {"25:00", "08:00, 08:00",
	                                            "1:00, 2:00, 3:00, "
	                                            "4:00, 5:00",
	                                            "08:00,", "morning"};
	for (size_t i = 0; i < sizeof bad_greetings / sizeof *bad_greetings; i++)
		assert_int_equal(set(c, "schedule.greetings", bad_greetings[i]), KITH_EINVAL);
	static const char *const bad_festivals[] = {"13-01 X",      "02-30 X",  "12-25",
	                                            "2027-02-29 X", "12-25 A;", "1-1 X"};
	for (size_t i = 0; i < sizeof bad_festivals / sizeof *bad_festivals; i++)
		assert_int_equal(set(c, "schedule.festivals", bad_festivals[i]), KITH_EINVAL);
	assert_int_equal(set(c, "schedule.celebrate_at", "9"), KITH_EINVAL);
	assert_int_equal(kith_activity_count(c), 0);
	assert_string_equal(get(c, "schedule.festivals"), "");
	assert_string_equal(get(c, "schedule.greetings"), "none");
	kith_community_free(c);
}

/* Birthdays: set through the API on known members, on their local
 * dates each year at -14:00 and +14:00 (29 February on the 28th in
 * other years), kept across settings changes and snapshots, and a
 * community whose last birthday is cleared is as it was. */
static void birthdays_across_the_year(void **state)
{
	(void)state;
	for (int sign = -1; sign <= 1; sign += 2) {
		const int off = sign * 840;
		kith_community *c = test_community_new(NULL);
		char charter[64];
		snprintf(charter, sizeof charter, "[community]\nutc_offset = %c14:00\n",
		         sign < 0 ? '-' : '+');
		assert_int_equal(apply(c, charter), KITH_OK);
		test_msg(c, local_ms(off, 2028, 6, 1, 12, 0), "ann", "b1", KITH_KIND_TEXT, NULL,
		         NULL, NULL, "hi");
		test_msg(c, local_ms(off, 2028, 6, 1, 12, 5), "bob", "b2", KITH_KIND_TEXT, NULL,
		         NULL, NULL, "hi");
		test_msg(c, local_ms(off, 2028, 6, 1, 12, 9), "cat", "b3", KITH_KIND_TEXT, NULL,
		         NULL, NULL, "hi");
		size_t len0;
		unsigned char *before = test_save(c, &len0);
		/* Refused, changing nothing. */
		assert_int_equal(kith_member_set_birthday(c, "zed", KITH_NUL_TERMINATED, 1, 1),
		                 KITH_ENOTFOUND);
		assert_int_equal(kith_member_set_birthday(c, "ann", KITH_NUL_TERMINATED, 13, 1),
		                 KITH_ERANGE);
		assert_int_equal(kith_member_set_birthday(c, "ann", KITH_NUL_TERMINATED, 2, 30),
		                 KITH_ERANGE);
		assert_int_equal(kith_member_set_birthday(c, "ann", KITH_NUL_TERMINATED, 0, 5),
		                 KITH_ERANGE);
		assert_int_equal(kith_member_set_birthday(c, NULL, 0, 1, 1), KITH_EINVAL);
		assert_int_equal(kith_member_set_birthday(c, "ann", 0, 1, 1), KITH_EINVAL);
		assert_int_equal(kith_member_set_birthday(NULL, "ann", 3, 1, 1), KITH_EINVAL);
		size_t len1;
		unsigned char *still = test_save(c, &len1);
		assert_int_equal(len0, len1);
		assert_memory_equal(before, still, len0);
		free(still);
		/* Set, and cleared again: the same bytes as before. */
		assert_int_equal(kith_member_set_birthday(c, "ann", 3, 5, 17), KITH_OK);
		assert_int_equal(kith_member_set_birthday(c, "ann", 3, 0, 0), KITH_OK);
		assert_int_equal(kith_member_birthday(c, "ann", 3, NULL, NULL), KITH_ENOTFOUND);
		still = test_save(c, &len1);
		assert_int_equal(len0, len1);
		assert_memory_equal(before, still, len0);
		free(still);
		free(before);

		assert_int_equal(kith_member_set_birthday(c, "ann", KITH_NUL_TERMINATED, 12, 31),
		                 KITH_OK);
		assert_int_equal(kith_member_set_birthday(c, "bob", KITH_NUL_TERMINATED, 1, 1),
		                 KITH_OK);
		assert_int_equal(kith_member_set_birthday(c, "cat", KITH_NUL_TERMINATED, 2, 29),
		                 KITH_OK);
		/* Settings come and go; the birthdays stay. */
		assert_int_equal(set(c, "schedule.min_interactions_per_day", "0"), KITH_OK);
		assert_int_equal(set(c, "schedule.quiet_hours", "22:00-07:00"), KITH_OK);
		assert_int_equal(set(c, "schedule.quiet_hours", ""), KITH_OK);
		int m = 0, d = 0;
		assert_int_equal(kith_member_birthday(c, "cat", KITH_NUL_TERMINATED, &m, &d),
		                 KITH_OK);
		assert_int_equal(m * 100 + d, 229);
		kith_agenda *a = agenda(c, local_ms(off, 2027, 12, 31, 0, 0),
		                        local_ms(off, 2028, 1, 2, 0, 0));
		const struct want_item w[] = {
		        {NULL, local_ms(off, 2027, 12, 31, 9, 0), KITH_AGENDA_BIRTHDAY, 0, 0},
		        {NULL, local_ms(off, 2028, 1, 1, 9, 0), KITH_AGENDA_BIRTHDAY, 0, 0},
		};
		assert_agenda(a, w, 2);
		assert_string_equal(kith_agenda_item_label(a, 0), "ann");
		assert_string_equal(kith_agenda_item_label(a, 1), "bob");
		kith_agenda_free(a);
		a = agenda(c, local_ms(off, 2027, 2, 1, 0, 0), local_ms(off, 2027, 3, 1, 0, 0));
		const struct want_item w2[] = {
		        {NULL, local_ms(off, 2027, 2, 28, 9, 0), KITH_AGENDA_BIRTHDAY, 0, 0},
		};
		assert_agenda(a, w2, 1);
		kith_agenda_free(a);
		a = agenda(c, local_ms(off, 2028, 2, 28, 0, 0), local_ms(off, 2028, 3, 1, 0, 0));
		const struct want_item w3[] = {
		        {NULL, local_ms(off, 2028, 2, 29, 9, 0), KITH_AGENDA_BIRTHDAY, 0, 0},
		};
		assert_agenda(a, w3, 1);
		assert_string_equal(kith_agenda_item_label(a, 0), "cat");
		kith_agenda_free(a);
		/* Through a snapshot. */
		size_t len;
		unsigned char *bytes = test_save(c, &len);
		kith_community *e = test_community_new(NULL);
		assert_int_equal(test_load(e, bytes, len), KITH_OK);
		assert_int_equal(kith_member_birthday(e, "ann", KITH_NUL_TERMINATED, &m, &d),
		                 KITH_OK);
		assert_int_equal(m * 100 + d, 1231);
		size_t len2;
		unsigned char *again = test_save(e, &len2);
		assert_int_equal(len, len2);
		assert_memory_equal(bytes, again, len);
		free(again);
		free(bytes);
		kith_community_free(e);
		kith_community_free(c);
	}
}

/* A check-in series: every day for 21 days by default (a cancelled day
 * counts), across a month end at -05:00, each day labelled. */
static void a_check_in_series(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	assert_int_equal(apply(c, "[community]\nutc_offset = -05:00\n[schedule]\n"
	                          "min_interactions_per_day = 0\n[activity habit]\n"
	                          "every = check-in\nfrom = 2027-01-30\nat = 21:00\n"
	                          "duration = 15 min\npreheat = none\nreminders = none\n"
	                          "cancel = 2027-02-01\n"),
	                 KITH_OK);
	const int off = -300;
	kith_agenda *a =
	        agenda(c, local_ms(off, 2027, 1, 29, 0, 0), local_ms(off, 2027, 2, 23, 0, 0));
	assert_int_equal(kith_agenda_count(a), 2 * 20);
	int64_t t;
	kith_agenda_kind kind;
	assert_int_equal(kith_agenda_item(a, 0, NULL, &t, &kind, NULL), KITH_OK);
	assert_int_equal(kind, KITH_AGENDA_CHECKIN);
	assert_int_equal(t, local_ms(off, 2027, 1, 30, 21, 0));
	assert_string_equal(kith_agenda_item_label(a, 0), "day 1 of 21");
	assert_null(kith_agenda_item_label(a, 1));                        /* its end */
	assert_string_equal(kith_agenda_item_label(a, 4), "day 4 of 21"); /* day 3 cancelled */
	assert_int_equal(kith_agenda_item(a, 38, NULL, &t, &kind, NULL), KITH_OK);
	assert_int_equal(kind, KITH_AGENDA_CHECKIN);
	assert_int_equal(t, local_ms(off, 2027, 2, 19, 21, 0));
	assert_string_equal(kith_agenda_item_label(a, 38), "day 21 of 21");
	char json[16384];
	kith_agenda_to_json(a, json, sizeof json, NULL);
	assert_non_null(strstr(json, "\"kind\":\"check-in\",\"activity\":\"habit\""));
	kith_agenda_free(a);
	/* Its length is the count. */
	assert_int_equal(set(c, "activity.habit.count", "5"), KITH_OK);
	a = agenda(c, local_ms(off, 2027, 1, 29, 0, 0), local_ms(off, 2027, 2, 23, 0, 0));
	assert_int_equal(kith_agenda_count(a), 2 * 4);
	assert_string_equal(kith_agenda_item_label(a, 6), "day 5 of 5");
	kith_agenda_free(a);
	/* Fillers beside a series take their prompts from the topics, not
	 * from its days' labels. */
	assert_int_equal(apply(c, "[schedule]\nmin_interactions_per_day = 3\n"
	                          "topics = Your week?; Best photo\n"),
	                 KITH_OK);
	a = agenda(c, local_ms(off, 2027, 1, 30, 0, 0), local_ms(off, 2027, 2, 2, 0, 0));
	size_t fillers = 0;
	for (size_t i = 0; i < kith_agenda_count(a); i++) {
		assert_int_equal(kith_agenda_item(a, i, NULL, NULL, &kind, NULL), KITH_OK);
		if (kind != KITH_AGENDA_FILLER)
			continue;
		const char *label = kith_agenda_item_label(a, i);
		if (strcmp(label, "Your week?") != 0 && strcmp(label, "Best photo") != 0)
			fail_msg("filler %zu labelled '%s'", i, label);
		fillers++;
	}
	assert_true(fillers >= 3);
	kith_agenda_free(a);
	assert_int_equal(set(c, "activity.habit.on", "mon"), KITH_EINVAL);
	kith_community_free(c);
}

/* Item i's text (a static buffer). */
static const char *item_text(const kith_agenda *a, size_t i)
{
	static char buf[512];
	size_t n = 0;
	assert_int_equal(kith_agenda_item_text(a, i, buf, sizeof buf, &n), KITH_OK);
	assert_int_equal(n, strlen(buf));
	return buf;
}

/* The first item of a kind, or fails. */
static size_t item_of_kind(const kith_agenda *a, kith_agenda_kind want)
{
	for (size_t i = 0; i < kith_agenda_count(a); i++) {
		kith_agenda_kind kind;
		assert_int_equal(kith_agenda_item(a, i, NULL, NULL, &kind, NULL), KITH_OK);
		if (kind == want)
			return i;
	}
	fail_msg("no %s item", kith_agenda_kind_name(want));
	return 0;
}

/* Each item's text comes from its kind's template in [templates], beside
 * the rules engine's templates: placeholders filled with the activity, the
 * local start, the community's name, a birthday's member and the label;
 * built-in texts where none is set; and a template with an unknown
 * placeholder, or one its kind has no value for, refused naming the line. */
static void items_have_texts_from_templates(void **state)
{
	(void)state;
	struct test_alloc ta = {0};
	kith_community *c = test_community_new(&ta);
	assert_string_equal(get(c, "templates.schedule.start"), "{activity} starts now.");
	assert_int_equal(apply(c, "[community]\nname = Makers\nutc_offset = +05:30\n"
	                          "[activity qa]\nfrom = 2026-11-21\nat = 20:00\nimportance = 3\n"
	                          "[activity habit]\nevery = check-in\ncount = 5\n"
	                          "from = 2026-11-21\nat = 07:00\npreheat = none\nimportance = 1\n"
	                          "[schedule]\ngreetings = 09:00\ntopics = Your desk?\n"
	                          "festivals = 11-22 Makers Day\ncelebrate_at = 12:00\n"
	                          "[templates]\nwelcome = Hi {member}\n"
	                          "schedule.preheat = Soon in {community}: {activity} at {start}\n"
	                          "schedule.reminder = {activity} {not a placeholder} {start}\n"
	                          "schedule.birthday = Cheers, {member}! ({community})\n"),
	                 KITH_OK);
	/* The rules engine keeps its own. */
	assert_string_equal(get(c, "templates.welcome"), "Hi {member}");
	assert_string_equal(get(c, "templates.schedule.preheat"),
	                    "Soon in {community}: {activity} at {start}");
	test_msg(c, local_ms(330, 2026, 11, 20, 10, 0), "ann", "m1", KITH_KIND_TEXT, NULL, NULL,
	         NULL, "hi");
	char nick[96];
	snprintf(nick, sizeof nick, "%" PRId64 "\tnick\tann\tname=Ann Lee",
	         local_ms(330, 2026, 11, 20, 10, 5));
	assert_int_equal(test_line(c, nick), KITH_OK);
	assert_int_equal(kith_member_set_birthday(c, "ann", KITH_NUL_TERMINATED, 11, 22), KITH_OK);
	kith_agenda *a =
	        agenda(c, local_ms(330, 2026, 11, 21, 0, 0), local_ms(330, 2026, 11, 23, 0, 0));
	assert_string_equal(item_text(a, item_of_kind(a, KITH_AGENDA_PREHEAT)),
	                    "Soon in Makers: qa at 2026-11-21 20:00");
	assert_string_equal(item_text(a, item_of_kind(a, KITH_AGENDA_REMINDER)),
	                    "qa {not a placeholder} 2026-11-21 20:00");
	assert_string_equal(item_text(a, item_of_kind(a, KITH_AGENDA_START)), "qa starts now.");
	assert_string_equal(item_text(a, item_of_kind(a, KITH_AGENDA_END)),
	                    "habit has ended: thank you for taking part.");
	assert_string_equal(item_text(a, item_of_kind(a, KITH_AGENDA_CHECKIN)),
	                    "habit, day 1 of 5: time to check in.");
	assert_string_equal(item_text(a, item_of_kind(a, KITH_AGENDA_GREETING)),
	                    "Good morning, Makers!");
	assert_string_equal(item_text(a, item_of_kind(a, KITH_AGENDA_FESTIVAL)),
	                    "Makers wishes everyone a happy Makers Day!");
	size_t b = item_of_kind(a, KITH_AGENDA_BIRTHDAY);
	assert_string_equal(item_text(a, b), "Cheers, Ann Lee! (Makers)");
	assert_string_equal(kith_agenda_item_label(a, b), "ann");
	/* Truncated like every text: needed counts the whole. */
	char small[8];
	size_t need = 0;
	assert_int_equal(kith_agenda_item_text(a, b, small, sizeof small, &need), KITH_OK);
	assert_string_equal(small, "Cheers,");
	assert_int_equal(need, strlen("Cheers, Ann Lee! (Makers)"));
	assert_int_equal(kith_agenda_item_text(a, kith_agenda_count(a), NULL, 0, NULL),
	                 KITH_ENOTFOUND);
	assert_int_equal(kith_agenda_item_text(NULL, 0, NULL, 0, NULL), KITH_EINVAL);
	assert_int_equal(kith_agenda_item_text(a, 0, NULL, 4, NULL), KITH_EINVAL);
	/* The JSON holds the same texts. */
	size_t jn = 0;
	assert_int_equal(kith_agenda_to_json(a, NULL, 0, &jn), KITH_OK);
	char *json = malloc(jn + 1);
	assert_non_null(json);
	assert_int_equal(kith_agenda_to_json(a, json, jn + 1, NULL), KITH_OK);
	assert_non_null(strstr(json, "\"label\":\"ann\",\"text\":\"Cheers, Ann Lee! (Makers)\"}"));
	assert_non_null(strstr(json, "\"text\":\"Soon in Makers: qa at 2026-11-21 20:00\"}"));
	free(json);
	kith_agenda_free(a);

	/* A filler with a topic, and one without (a question of the day). */
	assert_int_equal(apply(c, "[schedule]\nmin_interactions_per_day = 12\n"), KITH_OK);
	a = agenda(c, local_ms(330, 2026, 11, 25, 0, 0), local_ms(330, 2026, 11, 26, 0, 0));
	assert_string_equal(item_text(a, item_of_kind(a, KITH_AGENDA_FILLER)),
	                    "Question of the day: Your desk?");
	kith_agenda_free(a);
	assert_int_equal(apply(c, "[schedule]\ntopics =\n[templates]\n"
	                          "schedule.filler = {community} asks: {label}\n"),
	                 KITH_OK);
	a = agenda(c, local_ms(330, 2026, 11, 25, 0, 0), local_ms(330, 2026, 11, 26, 0, 0));
	assert_string_equal(item_text(a, item_of_kind(a, KITH_AGENDA_FILLER)),
	                    "Makers asks: what is on your mind today?");
	kith_agenda_free(a);

	/* Refused, naming the line, the setting and the placeholder; nothing
	 * of the charter applied. */
	size_t len0, len1;
	unsigned char *before = test_save(c, &len0);
	static const struct {
		const char *charter, *want;
		kith_status st;
	} bad[] = {
	        {"[community]\nname = X\n[templates]\nschedule.start = {actvity} now\n",
	         "line 4, column 18", KITH_EINVAL},
	        {"[templates]\nschedule.start = {actvity} now\n", "unknown placeholder {actvity}",
	         KITH_EINVAL},
	        {"[templates]\nschedule.digest = {activity} today\n",
	         "{activity} has no value in a digest text, which takes {community}", KITH_EINVAL},
	        {"[templates]\nschedule.preheat = {member}\n",
	         "takes {activity}, {start} and {community}", KITH_EINVAL},
	        {"[templates]\nschedule.lunch = now\n", "no such template", KITH_ENOTFOUND},
	        {"[templates]\nwarning = x\nschedule.end = {label}\n", "line 3", KITH_EINVAL},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(apply(c, bad[i].charter), bad[i].st);
		if (!strstr(kith_community_last_error(c), bad[i].want))
			fail_msg("%s: %s", bad[i].charter, kith_community_last_error(c));
	}
	unsigned char *after = test_save(c, &len1);
	assert_int_equal(len0, len1);
	assert_memory_equal(before, after, len0);
	free(after);
	free(before);
	/* Empty, or the built-in text itself, restores the default. */
	assert_int_equal(set(c, "templates.schedule.preheat", ""), KITH_OK);
	assert_string_equal(get(c, "templates.schedule.preheat"),
	                    "Coming up in {community}: {activity} at {start}.");
	kith_community_free(c);
	assert_int_equal(ta.live_blocks, 0);

	/* A template alone sets the engine to work, and clearing it stops it:
	 * the snapshot is the one of a community that never set it. */
	kith_community *d = test_community_new(NULL), *plain = test_community_new(NULL);
	assert_int_equal(set(d, "templates.schedule.digest", "Digest!"), KITH_OK);
	assert_string_equal(get(d, "templates.schedule.digest"), "Digest!");
	assert_int_equal(
	        set(d, "templates.schedule.digest", "Today in {community}: the daily digest."),
	        KITH_OK);
	test_assert_same_snapshot(d, plain);
	kith_community_free(plain);
	kith_community_free(d);
}

static void horizons_are_checked(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	kith_agenda *a = (kith_agenda *)1;
	assert_int_equal(kith_agenda_new(c, 10, 5, &a), KITH_EINVAL);
	assert_null(a);
	assert_int_equal(kith_agenda_new(c, 0, KITH_AGENDA_HORIZON_MAX_MS + 1, &a), KITH_ERANGE);
	assert_non_null(strstr(kith_community_last_error(c), "366 days"));
	assert_int_equal(kith_agenda_new(c, INT64_MIN, 0, &a), KITH_EINVAL);
	assert_int_equal(kith_agenda_new(NULL, 0, 1, &a), KITH_EINVAL);
	assert_int_equal(kith_agenda_new(c, 0, 1, NULL), KITH_EINVAL);
	assert_int_equal(kith_agenda_new(c, 0, KITH_AGENDA_HORIZON_MAX_MS, &a), KITH_OK);
	assert_int_equal(kith_agenda_count(a), 0); /* no activity, no digest */
	kith_agenda_free(a);
	assert_int_equal(kith_agenda_count(NULL), 0);
	assert_string_equal(kith_agenda_kind_name((kith_agenda_kind)99), "unknown");
	assert_string_equal(kith_agenda_fate_name((kith_agenda_fate)-1), "unknown");
	assert_string_equal(kith_agenda_reason_name(KITH_AGENDA_REASON_MIN_GAP), "min-gap");
	kith_community_free(c);
}

/* A revival when the last member message is schedule.revive_after old:
 * planned when the silence reaches it, or at the horizon's start, and
 * delayed out of quiet hours like any push. */
/* A group quiet for longer than schedule.revive_after: the agenda opens
 * with the revival at the next good slot (out of the quiet hours, here
 * at +08:00), which it takes before a less important push due then; the
 * revival's text is its template's. */
static void a_revival_opens_the_agenda_at_the_next_good_slot(void **state)
{
	(void)state;
	const int off = 480;
	kith_community *c = test_community_new(NULL);
	assert_int_equal(apply(c,
	                       "[community]\nname = Quiet\nutc_offset = +08:00\n"
	                       "[schedule]\nmin_interactions_per_day = 0\n"
	                       "[activity talk]\nfrom = 2027-05-04\nat = 20:00\nimportance = 1\n"),
	                 KITH_OK);
	int64_t last = local_ms(off, 2027, 5, 1, 3, 0);
	test_msg(c, last, "ann", "m1", KITH_KIND_TEXT, NULL, NULL, NULL, "anyone?");
	kith_agenda *a =
	        agenda(c, local_ms(off, 2027, 5, 4, 0, 0), local_ms(off, 2027, 5, 5, 0, 0));
	const struct want_item w[] = {
	        {NULL, local_ms(off, 2027, 5, 4, 8, 0), KITH_AGENDA_REVIVE, KITH_AGENDA_MOVED,
	         KITH_AGENDA_REASON_QUIET_HOURS},
	        {"talk", local_ms(off, 2027, 5, 4, 8, 30), KITH_AGENDA_PREHEAT, KITH_AGENDA_MOVED,
	         KITH_AGENDA_REASON_MIN_GAP},
	        {"talk", local_ms(off, 2027, 5, 4, 20, 0), KITH_AGENDA_START, KITH_AGENDA_KEPT, 0},
	        {"talk", local_ms(off, 2027, 5, 4, 21, 0), KITH_AGENDA_END, KITH_AGENDA_KEPT, 0},
	};
	assert_agenda(a, w, 4);
	int64_t planned, event;
	assert_int_equal(kith_agenda_item_change(a, 0, NULL, NULL, &planned, &event), KITH_OK);
	assert_int_equal(planned, last + 3 * DAY_MS);
	assert_int_equal(event, last);
	char text[128];
	assert_int_equal(kith_agenda_item_text(a, 0, text, sizeof text, NULL), KITH_OK);
	assert_string_equal(text,
	                    "It has been quiet in Quiet for a while: what is everyone up to?");
	kith_agenda_free(a);
	/* A message after it: no revival. */
	test_msg(c, local_ms(off, 2027, 5, 3, 12, 0), "bob", "m2", KITH_KIND_TEXT, NULL, NULL, NULL,
	         "here");
	a = agenda(c, local_ms(off, 2027, 5, 4, 0, 0), local_ms(off, 2027, 5, 5, 0, 0));
	assert_int_equal(kith_agenda_count(a), 3);
	kith_agenda_kind kind;
	assert_int_equal(kith_agenda_item(a, 0, NULL, NULL, &kind, NULL), KITH_OK);
	assert_int_equal(kind, KITH_AGENDA_PREHEAT);
	kith_agenda_free(a);
	kith_community_free(c);
}

static void a_quiet_group_gets_a_revival(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	kith_agenda *a = agenda(c, local_ms(0, 2027, 5, 1, 0, 0), local_ms(0, 2027, 5, 30, 0, 0));
	assert_int_equal(kith_agenda_count(a), 0); /* no message ever: nothing to revive */
	kith_agenda_free(a);
	int64_t last = local_ms(0, 2027, 5, 1, 10, 0);
	test_msg(c, local_ms(0, 2027, 4, 30, 9, 0), "ann", "m1", KITH_KIND_TEXT, NULL, NULL, NULL,
	         "hello");
	test_msg(c, last, "bob", "m2", KITH_KIND_TEXT, NULL, NULL, NULL, "hi");
	a = agenda(c, local_ms(0, 2027, 5, 1, 0, 0), local_ms(0, 2027, 5, 3, 0, 0));
	assert_int_equal(kith_agenda_count(a), 0); /* not quiet for 3 d yet */
	kith_agenda_free(a);
	a = agenda(c, local_ms(0, 2027, 5, 3, 0, 0), local_ms(0, 2027, 5, 6, 0, 0));
	const struct want_item w[] = {
	        {NULL, local_ms(0, 2027, 5, 4, 10, 0), KITH_AGENDA_REVIVE, 0, 0},
	};
	assert_agenda(a, w, 1);
	int64_t event;
	int importance;
	kith_agenda_item(a, 0, NULL, NULL, NULL, &importance);
	kith_agenda_item_change(a, 0, NULL, NULL, NULL, &event);
	assert_int_equal(event, last);
	assert_int_equal(importance, 3);
	char json[512];
	kith_agenda_to_json(a, json, sizeof json, NULL);
	assert_non_null(strstr(json, "\"kind\":\"revive\",\"activity\":null"));
	kith_agenda_free(a);
	/* Still quiet: tried again each 3 d, whatever the horizon. */
	a = agenda(c, local_ms(0, 2027, 5, 10, 2, 0), local_ms(0, 2027, 5, 11, 0, 0));
	const struct want_item w2[] = {
	        {NULL, local_ms(0, 2027, 5, 10, 10, 0), KITH_AGENDA_REVIVE, 0, 0},
	};
	assert_agenda(a, w2, 1);
	kith_agenda_free(a);
	/* Due in the quiet hours: delayed to their end. */
	test_msg(c, local_ms(0, 2027, 5, 11, 1, 30), "ann", "m3", KITH_KIND_TEXT, NULL, NULL, NULL,
	         "late");
	a = agenda(c, local_ms(0, 2027, 5, 12, 0, 0), local_ms(0, 2027, 5, 15, 0, 0));
	const struct want_item w4[] = {
	        {NULL, local_ms(0, 2027, 5, 14, 8, 0), KITH_AGENDA_REVIVE, KITH_AGENDA_MOVED,
	         KITH_AGENDA_REASON_QUIET_HOURS},
	};
	assert_agenda(a, w4, 1);
	kith_agenda_free(a);
	last = local_ms(0, 2027, 5, 11, 1, 30);
	/* A longer threshold moves it. */
	assert_int_equal(set(c, "schedule.revive_after", "5 d"), KITH_OK);
	assert_int_equal(set(c, "schedule.min_interactions_per_day", "0"), KITH_OK);
	a = agenda(c, local_ms(0, 2027, 5, 3, 0, 0), local_ms(0, 2027, 5, 8, 0, 0));
	assert_int_equal(kith_agenda_count(a), 0);
	kith_agenda_free(a);
	a = agenda(c, local_ms(0, 2027, 5, 12, 0, 0), local_ms(0, 2027, 5, 20, 0, 0));
	const struct want_item w3[] = {
	        {NULL, local_ms(0, 2027, 5, 16, 8, 0), KITH_AGENDA_REVIVE, KITH_AGENDA_MOVED,
	         KITH_AGENDA_REASON_QUIET_HOURS},
	};
	assert_agenda(a, w3, 1);
	(void)last;
	kith_agenda_free(a);
	kith_community_free(c);
}

static size_t schd_offset(const unsigned char *bytes, size_t len);

/* ---- the best slot --------------------------------------------------------- */

/* A week of messages at +02:00 (Monday 2027-03-01): Monday 09:xx a
 * message and a reply (weight 3), Wednesday 19:xx three messages,
 * Saturday 11:xx two, the last at 11:45. */
static void engaged_week(kith_community *c)
{
	const int off = 120;
	test_msg(c, local_ms(off, 2027, 3, 1, 9, 5), "ann", "e1", KITH_KIND_TEXT, NULL, NULL, NULL,
	         "morning");
	test_msg(c, local_ms(off, 2027, 3, 1, 9, 15), "bob", "e2", KITH_KIND_TEXT, NULL, "ann",
	         NULL, "hi ann");
	for (int i = 0; i < 3; i++)
		test_msg(c, local_ms(off, 2027, 3, 3, 19, (unsigned)(10 + 15 * i)), "cat",
		         i == 0   ? "e3"
		         : i == 1 ? "e4"
		                  : "e5",
		         KITH_KIND_TEXT, NULL, NULL, NULL, "evening");
	test_msg(c, local_ms(off, 2027, 3, 6, 11, 30), "dan", "e6", KITH_KIND_TEXT, NULL, NULL,
	         NULL, "sat");
	test_msg(c, local_ms(off, 2027, 3, 6, 11, 45), "ann", "e7", KITH_KIND_TEXT, NULL, NULL,
	         NULL, "sat");
}

struct want_slot {
	int weekday, hour;
	kith_slot_reason reason;
};

static void assert_slots(const kith_slots *s, const struct want_slot *w, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int wd, start;
		kith_slot_reason reason;
		assert_int_equal(kith_slots_item(s, i, &wd, &start, NULL, &reason, NULL), KITH_OK);
		if (wd != w[i].weekday || start != w[i].hour * 60 || reason != w[i].reason)
			fail_msg("slot %zu: day %d at %d min %s, want day %d at %d:00 %s", i, wd,
			         start, kith_slot_reason_name(reason), w[i].weekday, w[i].hour,
			         kith_slot_reason_name(w[i].reason));
	}
}

static void the_best_slot_follows_the_groups_hours(void **state)
{
	(void)state;
	const int off = 120;
	kith_community *c = test_community_new(NULL);
	/* No figures before the engine is in use: messages then are not
	 * counted, and every slot is worth 0. */
	assert_int_equal(apply(c, "[community]\nutc_offset = +02:00\n"), KITH_OK);
	test_msg(c, local_ms(off, 2027, 2, 20, 15, 0), "zed", "e0", KITH_KIND_TEXT, NULL, NULL,
	         NULL, "early");
	assert_int_equal(apply(c, "[schedule]\nquiet_hours = 23:00-07:00\n"), KITH_OK);
	engaged_week(c);
	int64_t from = local_ms(off, 2027, 3, 8, 0, 0);
	kith_slots *s = NULL;
	assert_int_equal(kith_slots_new(c, from, 60 * MIN_MS, &s), KITH_OK);
	assert_int_equal(kith_slots_count(s), 168);
	const struct want_slot w[] = {
	        {2, 19, KITH_SLOT_FREE}, {0, 9, KITH_SLOT_FREE},  {5, 11, KITH_SLOT_FREE},
	        {0, 20, KITH_SLOT_FREE}, {1, 20, KITH_SLOT_FREE}, {2, 20, KITH_SLOT_FREE},
	};
	assert_slots(s, w, sizeof w / sizeof *w);
	/* The figures: decayed to the last message (Saturday 11:00) with a
	 * time constant of 16 weeks, one week seen. */
	double e;
	uint32_t messages;
	int64_t first;
	const char *clash;
	kith_slots_item(s, 0, NULL, NULL, &first, NULL, &e);
	kith_slots_evidence(s, 0, &messages, &clash, NULL);
	assert_true(fabs(e - 3 * exp(-64.0 / 2688)) < 1e-9);
	assert_int_equal(messages, 3);
	assert_null(clash);
	assert_int_equal(first, local_ms(off, 2027, 3, 10, 19, 0));
	kith_slots_item(s, 1, NULL, NULL, NULL, NULL, &e);
	kith_slots_evidence(s, 1, &messages, NULL, NULL);
	assert_true(fabs(e - 3 * exp(-122.0 / 2688)) < 1e-9); /* a message and a reply */
	assert_int_equal(messages, 2);
	kith_slots_item(s, 3, NULL, NULL, NULL, NULL, &e);
	assert_true(e == 0);
	/* The quiet hours come last, with their reason. */
	kith_slot_reason reason;
	kith_slots_item(s, 167, NULL, NULL, NULL, &reason, NULL);
	assert_int_equal(reason, KITH_SLOT_QUIET_HOURS);
	kith_slots_free(s);

	/* A weekly activity on Wednesdays at 19:30 takes the best slot and
	 * its neighbour; a 90-min slot at 18:00 ends as it starts: free. */
	assert_int_equal(apply(c, "[activity club]\nevery = week\non = wed\nfrom = 2027-03-10\n"
	                          "at = 19:30\n"),
	                 KITH_OK);
	assert_int_equal(kith_slots_new(c, from, 90 * MIN_MS, &s), KITH_OK);
	/* Ninety minutes from 08:00 and 10:00 take half of a busy hour. */
	const struct want_slot w2[] = {
	        {0, 9, KITH_SLOT_FREE},  {5, 11, KITH_SLOT_FREE}, {2, 18, KITH_SLOT_FREE},
	        {0, 8, KITH_SLOT_FREE},  {5, 10, KITH_SLOT_FREE}, {0, 20, KITH_SLOT_FREE},
	        {1, 20, KITH_SLOT_FREE}, {3, 20, KITH_SLOT_FREE},
	};
	assert_slots(s, w2, sizeof w2 / sizeof *w2);
	/* Wednesday 18:00 over 90 min takes half of the 19:00 hour. */
	kith_slots_item(s, 2, NULL, NULL, NULL, NULL, &e);
	assert_true(fabs(e - 0.5 * 3 * exp(-64.0 / 2688)) < 1e-9);
	int found = 0;
	for (size_t i = 0; i < 168; i++) {
		int wd, start;
		int64_t at;
		kith_slots_item(s, i, &wd, &start, NULL, &reason, NULL);
		kith_slots_evidence(s, i, NULL, &clash, &at);
		if (wd == 2 && (start == 19 * 60 || start == 20 * 60)) {
			assert_int_equal(reason, KITH_SLOT_CLASH);
			assert_string_equal(clash, "club");
			assert_int_equal(at, local_ms(off, 2027, 3, 10, 19, 30));
			found++;
		} else if (reason != KITH_SLOT_CLASH) {
			assert_null(clash);
			assert_int_equal(at, KITH_TIME_NONE);
		}
	}
	assert_int_equal(found, 2);
	char json[65536];
	size_t needed;
	assert_int_equal(kith_slots_to_json(s, json, sizeof json, &needed), KITH_OK);
	assert_true(needed < sizeof json);
	assert_non_null(strstr(json, "{\"weekday\":\"mon\",\"start\":\"09:00\""));
	assert_non_null(strstr(json, "\"reason\":\"clash\""));
	assert_non_null(strstr(json, "\"clash\":\"club\",\"clash_ms\":"));
	kith_slots_free(s);

	/* Fillers take the group's best hours: Saturday's fillers start at
	 * 11:00. */
	assert_int_equal(set(c, "schedule.min_gap", "0 min"), KITH_OK);
	kith_agenda *a =
	        agenda(c, local_ms(off, 2027, 3, 13, 0, 0), local_ms(off, 2027, 3, 14, 0, 0));
	int64_t t;
	kith_agenda_kind kind;
	assert_int_equal(kith_agenda_item(a, 0, NULL, &t, &kind, NULL), KITH_OK);
	assert_int_equal(kind, KITH_AGENDA_FILLER);
	assert_int_equal(t, local_ms(off, 2027, 3, 13, 11, 0));
	kith_agenda_free(a);

	/* Bad arguments. */
	assert_int_equal(kith_slots_new(c, from, 0, &s), KITH_ERANGE);
	assert_null(s);
	assert_int_equal(kith_slots_new(c, from, DAY_MS + 1, &s), KITH_ERANGE);
	assert_int_equal(kith_slots_new(c, INT64_MIN, 60 * MIN_MS, &s), KITH_EINVAL);
	assert_int_equal(kith_slots_new(NULL, from, 60 * MIN_MS, &s), KITH_EINVAL);
	assert_int_equal(kith_slots_new(c, from, 60 * MIN_MS, NULL), KITH_EINVAL);
	assert_int_equal(kith_slots_item(NULL, 0, NULL, NULL, NULL, NULL, NULL), KITH_EINVAL);
	assert_int_equal(kith_slots_count(NULL), 0);
	assert_string_equal(kith_slot_reason_name((kith_slot_reason)9), "unknown");
	kith_slots_free(NULL);
	kith_community_free(c);
}

/* The counters survive a change of the settings and a snapshot, and a
 * snapshot whose counters no messages could make is refused. */
static char *slots_json(kith_community *c)
{
	kith_slots *s = NULL;
	assert_int_equal(kith_slots_new(c, local_ms(120, 2027, 3, 8, 0, 0), 60 * MIN_MS, &s),
	                 KITH_OK);
	size_t n;
	kith_slots_to_json(s, NULL, 0, &n);
	char *j = malloc(n + 1);
	assert_non_null(j);
	kith_slots_to_json(s, j, n + 1, NULL);
	kith_slots_free(s);
	return j;
}

static void engagement_is_kept(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	assert_int_equal(apply(c, "[community]\nutc_offset = +02:00\n[schedule]\nmin_gap = 1 h\n"),
	                 KITH_OK);
	engaged_week(c);
	char *before = slots_json(c);
	assert_int_equal(set(c, "schedule.min_gap", "2 h"), KITH_OK);
	char *after = slots_json(c);
	assert_string_equal(before, after);
	size_t len;
	unsigned char *bytes = test_save(c, &len);
	kith_community *d = test_community_new(NULL);
	assert_int_equal(test_load(d, bytes, len), KITH_OK);
	char *loaded = slots_json(d);
	assert_string_equal(before, loaded);
	/* The counters are the 2041 bytes before the birthday count (0). */
	size_t at = schd_offset(bytes, len);
	uint64_t body = 0;
	for (int i = 7; i >= 0; i--)
		body = body << 8 | bytes[at + 4 + (size_t)i];
	size_t end = at + 12 + (size_t)body, flag = end - 4 - 2041;
	assert_int_equal(bytes[flag], 1);
	unsigned char *bad = malloc(len);
	assert_non_null(bad);
	static const struct {
		size_t offset;
		uint64_t value;
		int width;
	} cases[] = {
	        {0, 2, 1},                                     /* the flag */
	        {1 + 24, UINT64_C(0x7ff8000000000000), 8},     /* a NaN weight */
	        {1 + 24 + 8, UINT64_C(0xbff0000000000000), 8}, /* -1 */
	        {1 + 16, 0, 8},                                /* last before first */
	        {1 + 24 + 8 * 168, 0, 4},                      /* weight without messages */
	};
	for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
		memcpy(bad, bytes, len);
		/* Weights are in hour-of-week order: Monday 00:00 first. Give
		 * hour 0 a weight so that clearing its count is caught. */
		if (k == 4) {
			uint64_t one = UINT64_C(0x3ff0000000000000);
			for (int b = 0; b < 8; b++)
				bad[flag + 1 + 24 + (size_t)b] = (unsigned char)(one >> (8 * b));
		}
		for (int b = 0; b < cases[k].width; b++)
			bad[flag + cases[k].offset + (size_t)b] =
			        (unsigned char)(cases[k].value >> (8 * b));
		uint32_t crc = ~kith_crc32c_update(UINT32_MAX, bad + at, end - at);
		for (int b = 0; b < 4; b++)
			bad[end + (size_t)b] = (unsigned char)(crc >> (8 * b));
		assert_int_equal(test_load(d, bad, len), KITH_ECORRUPT);
		char *still = slots_json(d);
		assert_string_equal(before, still);
		free(still);
	}
	free(bad);
	free(loaded);
	free(bytes);
	free(before);
	free(after);
	kith_community_free(d);
	kith_community_free(c);
}

/* ---- properties over random activity sets -------------------------------- */

static const char *const weekday_names[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

static size_t random_charter(uint64_t *s, char *buf, size_t size, int *offset)
{
	static const int offsets[] = {-720, -300, 0, 345, 480, 840};
	*offset = offsets[rng_next(s) % 6];
	size_t n = 0;
#define PUT(...) n += (size_t)snprintf(buf + n, size - n, __VA_ARGS__)
	PUT("[community]\nutc_offset = %c%02d:%02d\n", *offset < 0 ? '-' : '+', abs(*offset) / 60,
	    abs(*offset) % 60);
	PUT("[schedule]\nmax_pushes_per_day = %d\nmin_gap = %d min\n", 1 + (int)(rng_next(s) % 8),
	    (int)(rng_next(s) % 121));
	if (rng_next(s) % 4) {
		int qf = (int)(rng_next(s) % 96) * 15, qt = (int)(rng_next(s) % 96) * 15;
		if (qt == qf) /* equal ends are refused */
			qt = (qt + 15) % (24 * 60);
		PUT("quiet_hours = %02d:%02d-%02d:%02d\n", qf / 60, qf % 60, qt / 60, qt % 60);
	}
	if (rng_next(s) % 2)
		PUT("digest_at = %02d:%02d\n", (int)(rng_next(s) % 24), (int)(rng_next(s) % 60));
	if (rng_next(s) % 3 == 0)
		PUT("greetings = %02d:%02d, 21:%02d\n", (int)(rng_next(s) % 12),
		    (int)(rng_next(s) % 60), (int)(rng_next(s) % 60));
	if (rng_next(s) % 3 == 0)
		PUT("festivals = 01-01 New Year; %02d-%02d Fest; 02-29 Leap\ncelebrate_at = "
		    "%02d:00\n",
		    1 + (int)(rng_next(s) % 12), 1 + (int)(rng_next(s) % 28),
		    (int)(rng_next(s) % 24));
	int acts = 1 + (int)(rng_next(s) % 6);
	for (int i = 0; i < acts; i++) {
		PUT("[activity a%d]\nfrom = 2027-%02d-%02d\nat = %02d:%02d\nimportance = %d\n", i,
		    1 + (int)(rng_next(s) % 12), 1 + (int)(rng_next(s) % 28),
		    (int)(rng_next(s) % 24), (int)(rng_next(s) % 60), 1 + (int)(rng_next(s) % 3));
		switch (rng_next(s) % 6) {
		case 4: PUT("every = check-in\n"); break;
		case 0: PUT("every = %d d\n", 1 + (int)(rng_next(s) % 4)); break;
		case 1:
			PUT("every = week\non = %s, %s\n", weekday_names[rng_next(s) % 7],
			    weekday_names[rng_next(s) % 7]);
			break;
		case 2: PUT("every = month\non = last %s\n", weekday_names[rng_next(s) % 7]); break;
		case 3: PUT("every = day\n"); break;
		default: break;
		}
		PUT("preheat = %d h\nduration = %d min\n", (int)(rng_next(s) % 25),
		    15 + (int)(rng_next(s) % 180));
		if (rng_next(s) % 2)
			PUT("reminders = %d min, %d h\n", 5 + (int)(rng_next(s) % 60),
			    1 + (int)(rng_next(s) % 30));
	}
#undef PUT
	return n;
}

static bool in_quiet(const kith_community *c, int offset, int64_t t)
{
	char q[64];
	kith_setting_get(c, "schedule.quiet_hours", KITH_NUL_TERMINATED, q, sizeof q, NULL);
	int fh, fm, th, tm;
	if (sscanf(q, "%d:%d-%d:%d", &fh, &fm, &th, &tm) != 4)
		return false;
	int64_t local = t + offset * MIN_MS, msday = ((local % DAY_MS) + DAY_MS) % DAY_MS;
	int64_t qf = (fh * 60 + fm) * MIN_MS, qt = (th * 60 + tm) * MIN_MS;
	if (qf == qt)
		return false;
	return qf < qt ? msday >= qf && msday < qt : msday >= qf || msday < qt;
}

static void agendas_of_random_activity_sets_keep_the_constraints(void **state)
{
	(void)state;
	uint64_t s = 0x2545f4914f6cdd1du;
	char charter[8192];
	int64_t pushes[8192];
	size_t checked = 0, moved = 0, dropped = 0, fillers = 0;
	for (int round = 0; round < 2000; round++) {
		int offset;
		size_t n = random_charter(&s, charter, sizeof charter, &offset);
		kith_community *c = test_community_new(NULL);
		if (kith_community_apply_charter(c, charter, n) != KITH_OK) {
			/* Only a rule without occurrences may be refused. */
			if (!strstr(kith_community_last_error(c), "no occurrence"))
				fail_msg("%s\n%s", charter, kith_community_last_error(c));
			kith_community_free(c);
			continue;
		}
		char cap_text[16], gap_text[32];
		kith_setting_get(c, "schedule.max_pushes_per_day", KITH_NUL_TERMINATED, cap_text,
		                 sizeof cap_text, NULL);
		kith_setting_get(c, "schedule.min_gap", KITH_NUL_TERMINATED, gap_text,
		                 sizeof gap_text, NULL);
		int cap = atoi(cap_text);
		int64_t gap = 0;
		if (strcmp(gap_text, "0 ms") != 0) {
			double v;
			char unit[8];
			assert_int_equal(sscanf(gap_text, "%lf %7s", &v, unit), 2);
			gap = (int64_t)(v * (strcmp(unit, "h") == 0 ? 3600000.0 : 60000.0));
		}
		int64_t from =
		        local_ms(offset, 2027, 1, 1, 0, 0) + (int64_t)(rng_next(&s) % 300) * DAY_MS;
		kith_agenda *a = agenda(c, from, from + 30 * DAY_MS);
		size_t np = 0;
		int64_t prev = INT64_MIN;
		for (size_t i = 0; i < kith_agenda_count(a); i++) {
			int64_t t, planned, event;
			kith_agenda_kind kind;
			kith_agenda_fate fate;
			kith_agenda_reason reason;
			kith_agenda_item(a, i, NULL, &t, &kind, NULL);
			kith_agenda_item_change(a, i, &fate, &reason, &planned, &event);
			assert_true(t >= prev);
			prev = t;
			assert_true(t >= from && t < from + 30 * DAY_MS);
			assert_true(planned <= t);
			if (fate == KITH_AGENDA_DROPPED) {
				dropped++;
				assert_int_not_equal(reason, KITH_AGENDA_REASON_NONE);
				continue;
			}
			if (kind == KITH_AGENDA_START || kind == KITH_AGENDA_END ||
			    kind == KITH_AGENDA_CHECKIN)
				continue;
			if (fate == KITH_AGENDA_MOVED) {
				moved++;
				assert_true(t > planned);
				assert_int_not_equal(reason, KITH_AGENDA_REASON_NONE);
			}
			if (kind == KITH_AGENDA_PREHEAT || kind == KITH_AGENDA_REMINDER)
				assert_true(t < event);
			if (kind == KITH_AGENDA_FILLER)
				fillers++;
			if (in_quiet(c, offset, t))
				fail_msg("a push at %" PRId64 " is in quiet hours\n%s", t, charter);
			assert_true(np < 8192);
			pushes[np++] = t;
		}
		/* Pushes per local day, and the gap between neighbours. */
		for (size_t i = 0; i < np; i++) {
			int64_t day = (pushes[i] + offset * MIN_MS) / DAY_MS;
			int same = 0;
			for (size_t j = 0; j < np; j++)
				same += (pushes[j] + offset * MIN_MS) / DAY_MS == day;
			if (same > cap)
				fail_msg("%d pushes on a local day, cap %d\n%s", same, cap,
				         charter);
			if (i && pushes[i] - pushes[i - 1] < gap)
				fail_msg("pushes %" PRId64 " ms apart, gap %" PRId64 "\n%s",
				         pushes[i] - pushes[i - 1], gap, charter);
		}
		/* The same community gives the same agenda. */
		kith_agenda *b = agenda(c, from, from + 30 * DAY_MS);
		size_t na = 0, nb = 0;
		kith_agenda_to_json(a, NULL, 0, &na);
		kith_agenda_to_json(b, NULL, 0, &nb);
		assert_int_equal(na, nb);
		char *ja = malloc(na + 1), *jb = malloc(nb + 1);
		assert_non_null(ja);
		assert_non_null(jb);
		kith_agenda_to_json(a, ja, na + 1, NULL);
		kith_agenda_to_json(b, jb, nb + 1, NULL);
		assert_string_equal(ja, jb);
		free(ja);
		free(jb);
		kith_agenda_free(a);
		kith_agenda_free(b);
		/* Windows compose, split anywhere. */
		int64_t split = from + (int64_t)(rng_next(&s) % (uint64_t)(30 * DAY_MS));
		assert_composes(c, from, split, from + 30 * DAY_MS, charter);
		kith_community_free(c);
		checked++;
	}
	assert_true(checked > 1900);
	assert_true(fillers > 0);
	assert_true(moved > 0);
	assert_true(dropped > 0);
}

/* ---- snapshots ---------------------------------------------------------- */

static const char snap_charter[] = "[community]\n"
                                   "utc_offset = +08:00\n"
                                   "\n"
                                   "[activity member-qa]\n"
                                   "every = 3 d\n"
                                   "from = 2026-11-21\n"
                                   "at = 20:00\n"
                                   "duration = 60 min\n"
                                   "importance = 3\n"
                                   "preheat = 8 h\n"
                                   "reminders = 1 h\n"
                                   "cancel = 2026-11-27\n"
                                   "move = 2026-11-24 -> 2026-11-25 19:00\n"
                                   "\n"
                                   "[activity b-club]\n"
                                   "every = week\n"
                                   "on = sat\n"
                                   "from = 2026-11-21\n"
                                   "at = 10:00\n"
                                   "count = 5\n"
                                   "\n"
                                   "[schedule]\n"
                                   "quiet_hours = 22:30-07:00\n"
                                   "max_pushes_per_day = 4\n"
                                   "min_gap = 1 h\n"
                                   "digest_at = 21:00\n"
                                   "topics = Weekend plans?; Share a photo\n"
                                   "greetings = 08:30, 21:00\n"
                                   "festivals = 01-01 New Year; 2027-02-06 Spring Festival\n"
                                   "celebrate_at = 10:00\n"
                                   "\n"
                                   "[templates]\n"
                                   "schedule.preheat = {activity} in {community} at {start}\n"
                                   "schedule.birthday = Cheers, {member}!\n";

static const char *const activity_keys[] = {"every",    "on",         "from",    "at",
                                            "duration", "importance", "preheat", "reminders",
                                            "until",    "count",      "cancel",  "move"};
static const char *const schedule_keys[] = {
        "quiet_hours", "max_pushes_per_day", "min_gap", "min_interactions_per_day",
        "digest_at",   "revive_after",       "topics",  "greetings",
        "festivals",   "celebrate_at"};
static const char *const template_keys[] = {"preheat",  "reminder", "start",   "end",
                                            "digest",   "revive",   "filler",  "greeting",
                                            "festival", "birthday", "check-in"};

/* The agenda of the month from 2026-11-20 as JSON (malloc'd). */
static char *agenda_json(kith_community *c)
{
	kith_agenda *a = agenda(c, day_of(2026, 11, 20) * DAY_MS, day_of(2026, 12, 20) * DAY_MS);
	size_t n = 0;
	assert_int_equal(kith_agenda_to_json(a, NULL, 0, &n), KITH_OK);
	char *j = malloc(n + 1);
	assert_non_null(j);
	assert_int_equal(kith_agenda_to_json(a, j, n + 1, NULL), KITH_OK);
	kith_agenda_free(a);
	return j;
}

/* Every schedule setting of two communities reads the same. */
static void assert_same_settings(const kith_community *a, const kith_community *b)
{
	char name[128], va[4096];
	assert_int_equal(kith_activity_count(a), kith_activity_count(b));
	for (size_t i = 0; i < kith_activity_count(a); i++) {
		assert_string_equal(kith_activity_name(a, i), kith_activity_name(b, i));
		for (size_t k = 0; k < sizeof activity_keys / sizeof activity_keys[0]; k++) {
			snprintf(name, sizeof name, "activity.%s.%s", kith_activity_name(a, i),
			         activity_keys[k]);
			snprintf(va, sizeof va, "%s", get(a, name));
			assert_string_equal(va, get(b, name));
		}
	}
	for (size_t k = 0; k < sizeof schedule_keys / sizeof schedule_keys[0]; k++) {
		snprintf(name, sizeof name, "schedule.%s", schedule_keys[k]);
		snprintf(va, sizeof va, "%s", get(a, name));
		assert_string_equal(va, get(b, name));
	}
	for (size_t k = 0; k < sizeof template_keys / sizeof template_keys[0]; k++) {
		snprintf(name, sizeof name, "templates.schedule.%s", template_keys[k]);
		snprintf(va, sizeof va, "%s", get(a, name));
		assert_string_equal(va, get(b, name));
	}
}

static kith_community *scheduled(struct test_alloc *ta)
{
	kith_community *c = test_community_new(ta);
	if (apply(c, snap_charter) != KITH_OK)
		fail_msg("%s", kith_community_last_error(c));
	return c;
}

static void activities_round_trip_through_a_snapshot(void **state)
{
	(void)state;
	struct test_alloc ta = {0}, tb = {0};
	kith_community *c = scheduled(&ta);
	assert_string_equal(get(c, "activity.member-qa.move"), "2026-11-24 -> 2026-11-25 19:00");
	size_t len, len2;
	unsigned char *bytes = test_save(c, &len);

	/* Loaded into a community that had another schedule: it is replaced. */
	kith_community *d = test_community_new(&tb);
	assert_int_equal(apply(d, "[activity other]\nfrom = 2026-01-01\nat = 09:00\n"
	                          "[schedule]\nmin_interactions_per_day = 7\n"),
	                 KITH_OK);
	if (test_load(d, bytes, len) != KITH_OK)
		fail_msg("%s", kith_community_last_error(d));
	assert_int_equal(kith_activity_count(d), 2);
	assert_string_equal(kith_activity_name(d, 0), "member-qa");
	assert_string_equal(kith_activity_name(d, 1), "b-club");
	assert_string_equal(get(d, "schedule.min_interactions_per_day"),
	                    get(c, "schedule.min_interactions_per_day"));
	assert_same_settings(c, d);
	char *ja = agenda_json(c), *jb = agenda_json(d);
	assert_string_equal(ja, jb);
	assert_non_null(strstr(ja, "\"activity\":\"b-club\""));
	free(ja);
	free(jb);
	unsigned char *again = test_save(d, &len2);
	assert_int_equal(len, len2);
	assert_memory_equal(bytes, again, len);
	free(again);

	/* A snapshot without a schedule clears the one the community had. */
	kith_community *plain = test_community_new(NULL);
	unsigned char *none = test_save(plain, &len2);
	assert_int_equal(test_load(d, none, len2), KITH_OK);
	assert_int_equal(kith_activity_count(d), 0);
	assert_string_equal(get(d, "schedule.max_pushes_per_day"), "6");
	test_assert_same_snapshot(d, plain);
	free(none);
	kith_community_free(plain);
	kith_community_free(d);
	kith_community_free(c);
	free(bytes);
	assert_int_equal(ta.live_blocks, 0);
	assert_int_equal(tb.live_blocks, 0);
}

/* A community that never set an activity, or set and cleared all it set,
 * writes no SCHD section: its bytes are those of a library without it. */
static void no_schedule_writes_no_section(void **state)
{
	(void)state;
	kith_community *a = test_community_new(NULL), *b = test_community_new(NULL);
	const char *rules = "[rule spam]\nkeywords = buy now\naction = warn\n";
	assert_int_equal(apply(a, rules), KITH_OK);
	assert_int_equal(apply(b, rules), KITH_OK);
	test_join(a, 1000, "ann", NULL);
	test_join(b, 1000, "ann", NULL);
	assert_int_equal(apply(b, "[activity x]\nfrom = 2026-01-01\nat = 09:00\n"
	                          "[schedule]\ndigest_at = 21:00\n"),
	                 KITH_OK);
	assert_int_equal(apply(b, "[activity x]\nfrom =\nat =\n[schedule]\ndigest_at =\n"),
	                 KITH_OK);
	assert_int_equal(kith_activity_count(b), 0);
	test_assert_same_snapshot(a, b);
	size_t len;
	unsigned char *bytes = test_save(b, &len);
	for (size_t i = 0; i + 4 <= len; i++)
		assert_false(memcmp(bytes + i, "SCHD", 4) == 0);
	free(bytes);
	kith_community_free(a);
	kith_community_free(b);
}

/* A reader that serves at most `chunk` bytes a call, so that the section
 * tags fall at every place of the reader's buffer. */
struct trickle {
	const unsigned char *data;
	size_t len, pos, chunk;
};

static ptrdiff_t trickle_read(void *dst, size_t n, void *payload)
{
	struct trickle *t = payload;
	size_t k = t->len - t->pos;
	if (k > t->chunk)
		k = t->chunk;
	if (k > n)
		k = n;
	memcpy(dst, t->data + t->pos, k);
	t->pos += k;
	return (ptrdiff_t)k;
}

static void snapshots_load_in_small_reads(void **state)
{
	(void)state;
	kith_community *with = scheduled(NULL), *without = test_community_new(NULL);
	test_join(without, 1000, "ann", NULL);
	const kith_community *src[] = {with, without};
	for (size_t s = 0; s < 2; s++) {
		size_t len;
		unsigned char *bytes = test_save(src[s], &len);
		for (size_t chunk = 1; chunk <= 9; chunk++) {
			kith_community *d = scheduled(NULL);
			struct trickle t = {bytes, len, 0, chunk};
			if (kith_community_load(d, trickle_read, &t) != KITH_OK)
				fail_msg("chunk %zu: %s", chunk, kith_community_last_error(d));
			test_assert_same_snapshot(d, src[s]);
			kith_community_free(d);
		}
		free(bytes);
	}
	kith_community_free(with);
	kith_community_free(without);
}

/* Where the SCHD section starts: it is the last before END (24 bytes). */
static size_t schd_offset(const unsigned char *bytes, size_t len)
{
	for (size_t i = len - 24 - 16; i > 16; i--)
		if (memcmp(bytes + i, "SCHD", 4) == 0)
			return i;
	fail_msg("no SCHD section");
	return 0;
}

/* A community with a schedule of its own, and its bytes. */
static kith_community *victim(unsigned char **bytes, size_t *len)
{
	kith_community *v = test_community_new(NULL);
	assert_int_equal(apply(v, "[activity x]\nfrom = 2026-01-01\nat = 09:00\n"), KITH_OK);
	*bytes = test_save(v, len);
	return v;
}

static void assert_unchanged(kith_community *v, const unsigned char *bytes, size_t len)
{
	size_t n;
	unsigned char *now = test_save(v, &n);
	assert_int_equal(n, len);
	assert_memory_equal(now, bytes, len);
	free(now);
	assert_string_equal(get(v, "activity.x.at"), "09:00");
}

static void refuse(kith_community *v, const unsigned char *bad, size_t n,
                   const unsigned char *vbytes, size_t vlen)
{
	kith_status st = test_load(v, bad, n);
	if (st != KITH_ECORRUPT)
		fail_msg("%s: %s", kith_status_name(st), kith_community_last_error(v));
	assert_non_null(strstr(kith_community_last_error(v), "byte "));
	assert_unchanged(v, vbytes, vlen);
}

static void corrupt_schedule_sections_are_refused(void **state)
{
	(void)state;
	kith_community *c = scheduled(NULL);
	size_t len, vlen;
	unsigned char *bytes = test_save(c, &len), *vbytes;
	kith_community *v = victim(&vbytes, &vlen);
	size_t at = schd_offset(bytes, len);
	uint64_t body = 0;
	for (int i = 7; i >= 0; i--)
		body = body << 8 | bytes[at + 4 + (size_t)i];
	size_t end = at + 12 + (size_t)body + 4; /* the END section's start */
	assert_int_equal(end + 24, len);
	unsigned char *bad = malloc(len);
	assert_non_null(bad);

	/* Truncated anywhere from the section on. */
	for (size_t n = at; n < len; n++)
		refuse(v, bytes, n, vbytes, vlen);
	/* Every bit of the section flipped. */
	for (size_t i = at; i < end; i++)
		for (int b = 0; b < 8; b++) {
			memcpy(bad, bytes, len);
			bad[i] ^= (unsigned char)(1u << b);
			refuse(v, bad, len, vbytes, vlen);
		}
	/* Every bit of the body flipped under a checksum that matches: the
	 * section's values go through the engine's own checks. What loads is
	 * canonical (it saves back to the same bytes); the rest is refused. */
	size_t loaded = 0;
	for (size_t i = at + 12; i < end - 4; i++)
		for (int b = 0; b < 8; b++) {
			memcpy(bad, bytes, len);
			bad[i] ^= (unsigned char)(1u << b);
			uint32_t crc = ~kith_crc32c_update(UINT32_MAX, bad + at, end - 4 - at);
			for (int k = 0; k < 4; k++)
				bad[end - 4 + (size_t)k] = (unsigned char)(crc >> (8 * k));
			kith_status st = test_load(v, bad, len);
			if (st == KITH_OK) {
				size_t n;
				unsigned char *back = test_save(v, &n);
				assert_int_equal(n, len);
				assert_memory_equal(back, bad, len);
				free(back);
				loaded++;
				assert_int_equal(test_load(v, vbytes, vlen), KITH_OK);
				continue;
			}
			if (st != KITH_ECORRUPT)
				fail_msg("%s: %s", kith_status_name(st),
				         kith_community_last_error(v));
			assert_unchanged(v, vbytes, vlen);
		}
	assert_true(loaded > 0);
	free(bad);
	free(vbytes);
	free(bytes);
	kith_community_free(v);
	kith_community_free(c);
}

/* Every allocation of a load may fail: the community is then as it was. */
static void allocation_failures_during_load_change_nothing(void **state)
{
	(void)state;
	kith_community *c = scheduled(NULL);
	size_t len;
	unsigned char *bytes = test_save(c, &len);
	bool done = false;
	for (uint64_t k = 1; k < 10000 && !done; k++) {
		struct test_alloc ta = {0};
		kith_community *v = test_community_new(&ta);
		assert_int_equal(apply(v, "[activity x]\nfrom = 2026-01-01\nat = 09:00\n"),
		                 KITH_OK);
		size_t vlen;
		unsigned char *vbytes = test_save(v, &vlen);
		ta.fail_at = ta.calls + k;
		kith_status st = test_load(v, bytes, len);
		ta.fail_at = 0;
		if (st == KITH_OK) {
			done = true;
			assert_same_settings(c, v);
		} else {
			assert_int_equal(st, KITH_ENOMEM);
			assert_unchanged(v, vbytes, vlen);
		}
		free(vbytes);
		kith_community_free(v);
		assert_int_equal(ta.live_blocks, 0);
	}
	assert_true(done);
	free(bytes);
	kith_community_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(civil_dates_agree_with_counting_days),
	        cmocka_unit_test(once_is_one_day),
	        cmocka_unit_test(every_three_days_from_a_date),
	        cmocka_unit_test(weekly_on_weekdays_with_a_count),
	        cmocka_unit_test(monthly_on_a_day_skips_months_without_it),
	        cmocka_unit_test(monthly_on_the_nth_and_last_weekday),
	        cmocka_unit_test(a_rule_without_occurrences_is_refused),
	        cmocka_unit_test(cancelled_and_moved_occurrences),
	        cmocka_unit_test(utc_offsets_shift_the_start),
	        cmocka_unit_test(random_rules_agree_with_the_oracle),
	        cmocka_unit_test(a_window_twenty_years_ahead),
	        cmocka_unit_test(design_charter_sections_apply),
	        cmocka_unit_test(activities_are_set_through_the_api),
	        cmocka_unit_test(a_whole_activity_is_checked_in_any_key_order),
	        cmocka_unit_test(bad_values_are_refused_with_their_place),
	        cmocka_unit_test(activities_are_bounded),
	        cmocka_unit_test(allocation_failures_change_nothing),
	        cmocka_unit_test(allocation_failures_in_the_activity_api_change_nothing),
	        cmocka_unit_test(preheat_reminders_start_end_and_digest),
	        cmocka_unit_test(quiet_hours_delay_or_drop),
	        cmocka_unit_test(caps_and_gaps_move_the_less_important_first),
	        cmocka_unit_test(quiet_nights_caps_and_gaps_compose),
	        cmocka_unit_test(a_day_ends_with_a_gap),
	        cmocka_unit_test(quiet_days_get_fillers),
	        cmocka_unit_test(greetings_and_festivals_across_the_new_year),
	        cmocka_unit_test(birthdays_across_the_year),
	        cmocka_unit_test(a_check_in_series),
	        cmocka_unit_test(items_have_texts_from_templates),
	        cmocka_unit_test(horizons_are_checked),
	        cmocka_unit_test(the_best_slot_follows_the_groups_hours),
	        cmocka_unit_test(engagement_is_kept),
	        cmocka_unit_test(a_quiet_group_gets_a_revival),
	        cmocka_unit_test(a_revival_opens_the_agenda_at_the_next_good_slot),
	        cmocka_unit_test(agendas_of_random_activity_sets_keep_the_constraints),
	        cmocka_unit_test(activities_round_trip_through_a_snapshot),
	        cmocka_unit_test(no_schedule_writes_no_section),
	        cmocka_unit_test(snapshots_load_in_small_reads),
	        cmocka_unit_test(corrupt_schedule_sections_are_refused),
	        cmocka_unit_test(allocation_failures_during_load_change_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
