/*
 * Recurrence arithmetic: civil dates, and where the occurrences of a
 * rule fall. See recurrence.h.
 *
 * SPDX-License-Identifier: MIT
 *
 * The civil-date conversion counts in eras of 400 years (146,097 days,
 * a whole number of weeks), with years starting on 1 March so that the
 * leap day is the last of its year. Seeking never steps from the first
 * date: daily and weekly rules divide, monthly ones go to the month of
 * the day asked for and step only over months that lack the day (at
 * most one 400-year cycle of them, which compile checks is not all).
 */
#include "engines/schedule/recurrence.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MS_PER_DAY INT64_C(86400000)
/* Months in a 400-year cycle: month lengths and weekdays repeat after it. */
#define CYCLE_MONTHS 4800

int64_t kith_floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && a < 0) ? q - 1 : q;
}

int64_t kith_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = kith_floor_div(y, 400);
	int64_t yoe = y - era * 400;                                   /* 0 .. 399 */
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* 0 .. 365 */
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           /* 0 .. 146096 */
	return era * 146097 + doe - 719468;
}

void kith_civil_from_days(int64_t day, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t z = day + 719468;
	int64_t era = kith_floor_div(z, 146097);
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

unsigned kith_weekday(int64_t day)
{
	/* 1970-01-01 was a Thursday (3). */
	int64_t w = (day + 3) % 7;
	return (unsigned)(w < 0 ? w + 7 : w);
}

unsigned kith_month_length(int64_t y, unsigned m)
{
	static const unsigned char len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return len[m - 1] + (m == 2 && leap);
}

/* ---- months ------------------------------------------------------------- */

static int64_t month_of_day(int64_t day)
{
	int64_t y;
	unsigned m, d;
	kith_civil_from_days(day, &y, &m, &d);
	return y * 12 + (m - 1);
}

/* The day the rule picks in month index mi (year * 12 + month - 1), or
 * INT64_MIN when that month has no such day. */
static int64_t month_pick(const struct kith_recurrence *r, int64_t mi)
{
	int64_t y = kith_floor_div(mi, 12);
	unsigned m = (unsigned)(mi - y * 12) + 1, len = kith_month_length(y, m);
	int64_t first = kith_days_from_civil(y, m, 1);
	if (r->kind == KITH_RECUR_MONTHLY_DAY) {
		if (r->month_day < 0)
			return first + len - 1;
		return (unsigned)r->month_day <= len ? first + r->month_day - 1 : INT64_MIN;
	}
	if (r->nth < 0) {
		int64_t last = first + len - 1;
		return last - (int64_t)((kith_weekday(last) + 7 - r->weekday) % 7);
	}
	int64_t day =
	        first + (int64_t)((r->weekday + 7 - kith_weekday(first)) % 7) + 7 * (r->nth - 1);
	return day < first + len ? day : INT64_MIN;
}

/* ---- weeks -------------------------------------------------------------- */

static uint8_t week_mask(const struct kith_recurrence *r)
{
	return r->weekdays ? r->weekdays : (uint8_t)(1u << kith_weekday(r->from_day));
}

static unsigned bits_below(unsigned mask, unsigned w)
{
	unsigned n = 0;
	for (unsigned b = 0; b < w; b++)
		n += mask >> b & 1;
	return n;
}

/* The weekday of the j-th set bit (0 the lowest) of mask. */
static unsigned bit_at(unsigned mask, unsigned j)
{
	for (unsigned b = 0; b < 7; b++)
		if (mask >> b & 1 && j-- == 0)
			return b;
	return 7;
}

/* ---- seeking ------------------------------------------------------------ */

/* The day of regular occurrence n (0 the first), ignoring the end date
 * and the count, or INT64_MAX when the rule runs out of representable
 * dates first. */
static int64_t kith_recurrence_nth(const struct kith_recurrence *r, uint32_t n)
{
	switch (r->kind) {
	case KITH_RECUR_ONCE: return n == 0 ? r->from_day : INT64_MAX;
	case KITH_RECUR_DAILY: return r->from_day + (int64_t)n * r->interval;
	case KITH_RECUR_WEEKLY: {
		unsigned mask = week_mask(r), wf = kith_weekday(r->from_day);
		int64_t w0 = r->from_day - wf;
		unsigned first = bits_below(mask, 7) - bits_below(mask, wf);
		if (n < first)
			return w0 + bit_at(mask, bits_below(mask, wf) + n);
		uint32_t k = n - first, per = bits_below(mask, 7);
		int64_t block = 1 + k / per;
		return w0 + 7 * (int64_t)r->interval * block + bit_at(mask, k % per);
	}
	case KITH_RECUR_MONTHLY_DAY:
	case KITH_RECUR_MONTHLY_WEEKDAY: {
		/* Months may lack the day: count valid months. Bounded by the
		 * count's limit (compile is the only caller with a large n). */
		int64_t mi = month_of_day(r->from_day);
		uint32_t seen = 0;
		for (uint64_t steps = 0; steps < (uint64_t)(n + 1) * 13 + CYCLE_MONTHS; steps++) {
			int64_t d = month_pick(r, mi);
			if (d != INT64_MIN && d >= r->from_day && seen++ == n)
				return d;
			mi += r->interval;
			if (mi / 12 > KITH_RECUR_YEAR_MAX)
				break;
		}
		return INT64_MAX;
	}
	}
	return INT64_MAX;
}

static int64_t seek_rule(const struct kith_recurrence *r, int64_t day)
{
	if (day < r->from_day)
		day = r->from_day;
	switch (r->kind) {
	case KITH_RECUR_ONCE: return day == r->from_day ? day : INT64_MAX;
	case KITH_RECUR_DAILY: {
		int64_t k = (day - r->from_day + r->interval - 1) / r->interval;
		return r->from_day + k * r->interval;
	}
	case KITH_RECUR_WEEKLY: {
		unsigned mask = week_mask(r);
		int64_t w0 = r->from_day - kith_weekday(r->from_day);
		int64_t week = (day - w0) / 7, period = r->interval;
		int64_t block = week / period;
		unsigned w = (unsigned)(day - w0 - week * 7);
		if (week % period != 0) {
			block++;
			w = 0;
		}
		if (mask >> w) {
			unsigned b = w;
			while (!(mask >> b & 1))
				b++;
			return w0 + 7 * period * block + b;
		}
		return w0 + 7 * period * (block + 1) + bit_at(mask, 0);
	}
	case KITH_RECUR_MONTHLY_DAY:
	case KITH_RECUR_MONTHLY_WEEKDAY: {
		int64_t m0 = month_of_day(r->from_day), mi = month_of_day(day);
		int64_t k = (mi - m0 + r->interval - 1) / r->interval;
		mi = m0 + k * r->interval;
		for (int steps = 0; steps <= CYCLE_MONTHS; steps++, mi += r->interval) {
			int64_t d = month_pick(r, mi);
			if (d != INT64_MIN && d >= day)
				return d;
			if (kith_floor_div(mi, 12) > KITH_RECUR_YEAR_MAX)
				break;
		}
		return INT64_MAX;
	}
	}
	return INT64_MAX;
}

int64_t kith_recurrence_seek(const struct kith_recurrence *r, int64_t day)
{
	int64_t d = seek_rule(r, day);
	return d <= r->last_day ? d : INT64_MAX;
}

/* ---- compiling ---------------------------------------------------------- */

static int cmp_day(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static int cmp_move(const void *a, const void *b)
{
	const struct kith_recur_move *x = a, *y = b;
	if (x->start_min != y->start_min)
		return (x->start_min > y->start_min) - (x->start_min < y->start_min);
	return (x->day > y->day) - (x->day < y->day);
}

static void date_text(int64_t day, char *buf, size_t size)
{
	int64_t y;
	unsigned m, d;
	kith_civil_from_days(day, &y, &m, &d);
	snprintf(buf, size, "%04" PRId64 "-%02u-%02u", y, m, d);
}

static bool fail(char *err, size_t es, const char *what, int64_t day, const char *why)
{
	char date[32];
	date_text(day, date, sizeof date);
	snprintf(err, es, "%s %s %s", what, date, why);
	return false;
}

static bool is_cancelled(const struct kith_recurrence *r, int64_t day)
{
	return r->cancelled_n &&
	       bsearch(&day, r->cancelled, r->cancelled_n, sizeof *r->cancelled, cmp_day) != NULL;
}

static bool is_moved(const struct kith_recurrence *r, int64_t day)
{
	for (size_t i = 0; i < r->moved_n; i++)
		if (r->moved[i].day == day)
			return true;
	return false;
}

bool kith_recurrence_compile(struct kith_recurrence *r, char *err, size_t es)
{
	int64_t lo = kith_days_from_civil(KITH_RECUR_YEAR_MIN, 1, 1);
	int64_t hi = kith_days_from_civil(KITH_RECUR_YEAR_MAX, 12, 31);
	if (r->kind > KITH_RECUR_MONTHLY_WEEKDAY || r->interval < 1 ||
	    r->interval > KITH_RECUR_INTERVAL_MAX || r->at_min >= KITH_MIN_PER_DAY ||
	    r->duration_ms < 0 || r->from_day < lo || r->from_day > hi ||
	    r->count > KITH_RECUR_COUNT_MAX || r->weekdays > 0x7f ||
	    r->cancelled_n > KITH_RECUR_EXCEPTIONS_MAX || r->moved_n > KITH_RECUR_EXCEPTIONS_MAX) {
		snprintf(err, es, "a field of the recurrence is out of bounds");
		return false;
	}
	if (r->kind == KITH_RECUR_MONTHLY_DAY &&
	    (r->month_day == 0 || r->month_day > 31 || r->month_day < -1)) {
		snprintf(err, es, "a day of the month is 1 to 31 or last");
		return false;
	}
	if (r->kind == KITH_RECUR_MONTHLY_WEEKDAY &&
	    (r->nth == 0 || r->nth > 5 || r->nth < -1 || r->weekday > 6)) {
		snprintf(err, es, "a weekday of the month is the first to fifth or the last");
		return false;
	}
	r->last_day = r->until_day < hi ? r->until_day : hi;
	if (r->count) {
		int64_t last = kith_recurrence_nth(r, r->count - 1);
		if (last < r->last_day)
			r->last_day = last;
	}
	if (seek_rule(r, r->from_day) > r->last_day) {
		snprintf(err, es,
		         "the rule has no occurrence (an end date before the first, or a day "
		         "no month of the rule has)");
		r->last_day = INT64_MIN;
		return false;
	}
	if (r->cancelled_n)
		qsort(r->cancelled, r->cancelled_n, sizeof *r->cancelled, cmp_day);
	for (size_t i = 0; i < r->cancelled_n; i++) {
		if (kith_recurrence_seek(r, r->cancelled[i]) != r->cancelled[i])
			return fail(err, es, "cancel:", r->cancelled[i], "is not an occurrence");
		if (i && r->cancelled[i] == r->cancelled[i - 1])
			return fail(err, es, "cancel:", r->cancelled[i], "is cancelled twice");
	}
	for (size_t i = 0; i < r->moved_n; i++) {
		int64_t day = r->moved[i].day,
		        nd = kith_floor_div(r->moved[i].start_min, KITH_MIN_PER_DAY);
		if (kith_recurrence_seek(r, day) != day)
			return fail(err, es, "move:", day, "is not an occurrence");
		if (is_cancelled(r, day))
			return fail(err, es, "move:", day, "is also cancelled");
		if (nd < lo || nd > hi)
			return fail(err, es, "move:", day, "moves out of the years 1900 to 9999");
		for (size_t j = 0; j < i; j++)
			if (r->moved[j].day == day)
				return fail(err, es, "move:", day, "is moved twice");
	}
	if (r->moved_n)
		qsort(r->moved, r->moved_n, sizeof *r->moved, cmp_move);
	return true;
}

/* ---- windows ------------------------------------------------------------ */

/* Times past these cannot be a date of years 1900 .. 9999 in any offset. */
#define MS_LO INT64_C(-2300000000000)
#define MS_HI INT64_C(253500000000000)

static int64_t clamp_ms(int64_t t)
{
	return t < MS_LO ? MS_LO : t > MS_HI ? MS_HI : t;
}

static void emit(struct kith_occurrence *out, size_t cap, size_t *n, int64_t start, int64_t day,
                 bool moved, int64_t duration)
{
	if (*n < cap) {
		out[*n].start_ms = start;
		out[*n].end_ms = start + duration;
		out[*n].day = day;
		out[*n].moved = moved;
	}
	(*n)++;
}

size_t kith_recurrence_between(const struct kith_recurrence *r, int32_t offset_min, int64_t from_ms,
                               int64_t to_ms, struct kith_occurrence *out, size_t cap)
{
	from_ms = clamp_ms(from_ms);
	to_ms = clamp_ms(to_ms);
	if (from_ms >= to_ms || r->last_day == INT64_MIN)
		return 0;
	int64_t off = (int64_t)offset_min * KITH_MS_PER_MIN,
	        at = (int64_t)r->at_min * KITH_MS_PER_MIN;
	/* start(D) = D * day - off + at >= from  <=>  D >= ceil((from + off - at) / day) */
	int64_t first = -kith_floor_div(-(from_ms + off - at), MS_PER_DAY);
	size_t n = 0, mv = 0;
	for (int64_t d = kith_recurrence_seek(r, first); d != INT64_MAX;
	     d = kith_recurrence_seek(r, d + 1)) {
		int64_t start = d * MS_PER_DAY - off + at;
		if (start >= to_ms)
			break;
		for (; mv < r->moved_n; mv++) {
			int64_t ms = r->moved[mv].start_min * KITH_MS_PER_MIN - off;
			if (ms > start || (ms == start && r->moved[mv].day > d))
				break;
			if (ms >= from_ms)
				emit(out, cap, &n, ms, r->moved[mv].day, true, r->duration_ms);
		}
		if (!is_cancelled(r, d) && !is_moved(r, d))
			emit(out, cap, &n, start, d, false, r->duration_ms);
	}
	for (; mv < r->moved_n; mv++) {
		int64_t ms = r->moved[mv].start_min * KITH_MS_PER_MIN - off;
		if (ms >= to_ms)
			break;
		if (ms >= from_ms)
			emit(out, cap, &n, ms, r->moved[mv].day, true, r->duration_ms);
	}
	return n;
}
