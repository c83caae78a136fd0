/*
 * Recurrence arithmetic (recurrence.c): civil dates and day numbers, and
 * the occurrences of one recurring activity in a window of time. Pure:
 * no allocation, no clock, no community; the caller owns every array.
 *
 * Days are local day numbers, days since 1970-01-01 in the community's
 * local time (a fixed UTC offset: no time-zone database). A window is
 * found by arithmetic from its own start, never by stepping from the
 * first date, so a window twenty years ahead costs what the first does.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_ENGINES_SCHEDULE_RECURRENCE_H
#define KITH_ENGINES_SCHEDULE_RECURRENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KITH_MS_PER_MIN  INT64_C(60000)
#define KITH_MIN_PER_DAY 1440

/* The dates a recurrence may name: years 1900 to 9999. */
#define KITH_RECUR_YEAR_MIN 1900
#define KITH_RECUR_YEAR_MAX 9999
/* Most cancelled and most moved occurrences of one activity. */
#define KITH_RECUR_EXCEPTIONS_MAX 64
/* Most occurrences a count may ask for. */
#define KITH_RECUR_COUNT_MAX 100000
/* Most days, weeks or months between two occurrences. */
#define KITH_RECUR_INTERVAL_MAX 1000

/* Days since 1970-01-01 of a proleptic Gregorian date (m 1..12, d 1..31,
 * not checked against the month), and back. */
int64_t kith_days_from_civil(int64_t y, unsigned m, unsigned d);
void kith_civil_from_days(int64_t day, int64_t *y, unsigned *m, unsigned *d);
/* 0 Monday .. 6 Sunday. */
unsigned kith_weekday(int64_t day);
/* Days in month m (1..12) of year y. */
unsigned kith_month_length(int64_t y, unsigned m);
/* floor(a / b) for b > 0. */
int64_t kith_floor_div(int64_t a, int64_t b);

enum kith_recur_kind {
	KITH_RECUR_ONCE = 0,
	KITH_RECUR_DAILY = 1,           /* every interval days */
	KITH_RECUR_WEEKLY = 2,          /* on weekdays, every interval weeks */
	KITH_RECUR_MONTHLY_DAY = 3,     /* on a day of the month, every interval months */
	KITH_RECUR_MONTHLY_WEEKDAY = 4, /* on the nth weekday, every interval months */
};

/* An occurrence held on another local day and time. */
struct kith_recur_move {
	int64_t day;       /* the local day it was due */
	int64_t start_min; /* its new local start: minutes since 1970-01-01 local */
};

struct kith_recurrence {
	enum kith_recur_kind kind;
	uint32_t interval; /* days, weeks or months (>= 1) */
	uint8_t weekdays;  /* weekly: bit w for weekday w; 0 takes from_day's */
	int8_t month_day;  /* monthly by day: 1 .. 31 (months without it are
	                      skipped, as iCalendar does), or -1 the last day */
	int8_t nth;        /* monthly by weekday: 1 .. 5 (months without a
	                      fifth are skipped), or -1 the last */
	uint8_t weekday;   /* monthly by weekday: 0 Monday .. 6 Sunday */
	int64_t from_day;  /* the first local day that may hold one */
	int64_t until_day; /* the last (INT64_MAX: no end date) */
	uint32_t count;    /* most occurrences, cancelled ones included (0: no limit) */
	uint32_t at_min;   /* local start, minutes after midnight (< 1440) */
	int64_t duration_ms;
	int64_t *cancelled; /* local days; compile sorts them */
	size_t cancelled_n;
	struct kith_recur_move *moved; /* compile sorts them by new start */
	size_t moved_n;
	/* Worked out by kith_recurrence_compile: the last day of a regular
	 * occurrence (the end date and the count both applied). */
	int64_t last_day;
};

/* One occurrence: its start and end (UTC ms), the local day it was due
 * on (its identity, also when moved) and whether it was moved. */
struct kith_occurrence {
	int64_t start_ms;
	int64_t end_ms;
	int64_t day;
	bool moved;
};

/* Check a recurrence and work out its last day; sorts its exception
 * arrays. False with a reason in err when it is not valid: bad fields, no
 * occurrence at all, a cancelled or moved day that is no occurrence, a
 * day cancelled or moved twice. */
bool kith_recurrence_compile(struct kith_recurrence *r, char *err, size_t err_size);

/* The first regular occurrence day (cancelled and moved ones included)
 * at or after day, or INT64_MAX when there is none. */
int64_t kith_recurrence_seek(const struct kith_recurrence *r, int64_t day);


/* The occurrences (moved ones at their new time, cancelled ones left
 * out) whose start is in [from_ms, to_ms), under a UTC offset of
 * offset_min minutes, in start order (then by due day). Writes at most
 * cap of them and returns how many there are. r must be compiled. */
size_t kith_recurrence_between(const struct kith_recurrence *r, int32_t offset_min, int64_t from_ms,
                               int64_t to_ms, struct kith_occurrence *out, size_t cap);

#endif /* KITH_ENGINES_SCHEDULE_RECURRENCE_H */
