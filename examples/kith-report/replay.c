/*
 * kith-report: the replay: the trace a line at a time through the library, the
 * verdicts of each event tallied, progress on a terminal.
 *
 * SPDX-License-Identifier: MIT
 */
#include "report.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- What the rules said while the trace was replayed ------------------ */

/* Count the verdicts the last event left. False when out of memory. */
static bool tally_verdicts(const kith_community *c, struct verdict_tally *t)
{
	size_t nv = kith_community_verdict_count(c);
	t->events += nv > 0;
	for (size_t i = 0; i < nv; i++) {
		kith_action a = kith_verdict_action(c, i);
		uint32_t m = kith_verdict_member(c, i);
		const char *rule = kith_verdict_rule(c, i);
		t->verdicts++;
		if (a >= KITH_ACTION_LOG && a <= KITH_ACTION_REWARD)
			t->by_action[a]++;
		for (size_t r = 0; r < kith_rule_count(c) && r < KITH_RULES_MAX; r++)
			if (strcmp(kith_rule_name(c, r), rule) == 0)
				t->by_rule[r]++;
		if (m >= t->members_cap) {
			size_t cap = t->members_cap ? t->members_cap : 1024;
			while (cap <= m)
				cap *= 2;
			unsigned char *grown = realloc(t->members, cap);
			if (!grown)
				return false;
			memset(grown + t->members_cap, 0, cap - t->members_cap);
			t->members = grown;
			t->members_cap = cap;
		}
		t->member_count += !t->members[m];
		t->members[m] = 1;
		/* Examples: the first verdict of each kind (rule and action). */
		char kind[KITH_RULE_NAME_MAX + 16];
		snprintf(kind, sizeof kind, "%s, rule %s:", kith_action_name(a), rule);
		bool seen = false;
		for (size_t k = 0; k < t->shown_n && !seen; k++)
			seen = strncmp(t->shown[k], kind, strlen(kind)) == 0 &&
			       t->shown[k][strlen(kind)] == ' ';
		if (!seen && t->shown_n < VERDICTS_SHOWN)
			snprintf(t->shown[t->shown_n++], sizeof t->shown[0], "%s %.*s", kind, 160,
			         kith_verdict_text(c, i));
	}
	return true;
}

/* Progress of a long replay on stderr: only on a terminal, only once the
 * replay has taken a second, updated in place at most ten times a second
 * and wiped at the end. */
struct progress {
	bool on;    /* stderr is a terminal and --quiet was not given */
	bool shown; /* a line is on the screen */
	double start, last;
};

static double seconds_now(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void progress_update(struct progress *pg, size_t done, size_t total, uint64_t lines)
{
	double t = seconds_now();
	char n[32];
	if (t - pg->start < 1.0 || t - pg->last < 0.1)
		return;
	pg->last = t;
	pg->shown = true;
	fprintf(stderr, "\rkith-report: replaying %3u%% (%s lines)",
	        (unsigned)(total ? (double)done * 100.0 / (double)total : 100.0),
	        fmt_count(n, sizeof n, lines));
	fflush(stderr);
}

static void progress_end(struct progress *pg)
{
	if (pg->shown)
		fputs("\r\033[K", stderr);
}

/* The trace a line at a time, as kith_community_ingest_trace reads it (a
 * byte order mark skipped), counting the verdicts of each event. */
/* ---- The activity the library applied ----------------------------------- */

static size_t slot_of(int64_t day)
{
	int64_t m = day % ACTIVITY_DAYS;
	return (size_t)(m < 0 ? m + ACTIVITY_DAYS : m);
}

/* Record the changes one line made to the library's counters at time t.
 * Events come in time order, so days only advance. */
static void activity_record(struct activity *a, int64_t t, int64_t off, uint64_t msgs,
                            uint64_t arrivals, uint64_t departures)
{
	int64_t day = local_day(t, off);
	if (!a->any || day > a->last_day) {
		int64_t from = a->any && day - a->last_day < ACTIVITY_DAYS
		                       ? a->last_day + 1
		                       : day - ACTIVITY_DAYS + 1;
		for (int64_t d = from; d <= day; d++) {
			size_t k = slot_of(d);
			a->msgs[k] = a->arrivals[k] = a->departures[k] = 0;
			memset(a->hours[k], 0, sizeof a->hours[k]);
		}
		a->any = true;
		a->last_day = day;
	}
	if (day <= a->last_day - ACTIVITY_DAYS)
		return;
	size_t k = slot_of(day);
	a->msgs[k] += msgs;
	a->hours[k][ms_in_day(t, off) / MS_HOUR] += msgs;
	a->arrivals[k] += arrivals;
	a->departures[k] += departures;
}

/* The last PROFILE_DAYS local days up to now, and the hours of the last
 * 30, from what the replay recorded. */
void activity_profile(const struct activity *a, int64_t now, int64_t off, struct timeline *s)
{
	int64_t now_day = local_day(now, off);
	memset(s->day_msgs, 0, sizeof s->day_msgs);
	memset(s->day_joins, 0, sizeof s->day_joins);
	memset(s->day_leaves, 0, sizeof s->day_leaves);
	memset(s->hour_msgs, 0, sizeof s->hour_msgs);
	for (int64_t ago = 0; a->any && ago < 30; ago++) {
		int64_t day = now_day - ago;
		if (day > a->last_day || day <= a->last_day - ACTIVITY_DAYS)
			continue;
		size_t k = slot_of(day);
		if (ago < PROFILE_DAYS) {
			s->day_msgs[ago] = a->msgs[k];
			s->day_joins[ago] = a->arrivals[k];
			s->day_leaves[ago] = a->departures[k];
		}
		for (int h = 0; h < 24; h++)
			s->hour_msgs[h] += a->hours[k][h];
	}
}

kith_status ingest_tallying(kith_community *c, const char *buf, size_t len, uint64_t *lines,
                            struct verdict_tally *t, struct activity *a, struct level_tally *lv,
                            bool quiet)
{
	const char *p = buf, *end = buf + len;
	struct progress pg = {!quiet && isatty(STDERR_FILENO), false, 0, 0};
	uint64_t msgs = kith_community_message_count(c);
	size_t present = kith_community_present_count(c);
	int64_t off = utc_offset_ms(c);
	if (pg.on)
		pg.start = pg.last = seconds_now();
	*lines = 0;
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		kith_status st =
		        kith_community_ingest_trace_line(c, p, (size_t)(eol - p), *lines + 1);
		if (st != KITH_OK) {
			progress_end(&pg);
			return st;
		}
		++*lines;
		uint64_t msgs_after = kith_community_message_count(c);
		size_t present_after = kith_community_present_count(c);
		if (msgs_after != msgs || present_after != present) {
			/* The offset is fixed once a message is in; before, a
			 * line of the trace may still set it. */
			if (msgs == 0)
				off = utc_offset_ms(c);
			activity_record(a, kith_community_last_event_ms(c), off, msgs_after - msgs,
			                present_after > present ? present_after - present : 0,
			                present_after < present ? present - present_after : 0);
			msgs = msgs_after;
			present = present_after;
		}
		if (!tally_verdicts(c, t)) {
			progress_end(&pg);
			return KITH_ENOMEM;
		}
		st = levels_after_line(c, lv, p, (size_t)(eol - p), off);
		if (st != KITH_OK) {
			progress_end(&pg);
			return st;
		}
		p = nl ? nl + 1 : end;
		if (pg.on && (*lines & 4095) == 0)
			progress_update(&pg, (size_t)(p - buf), len, *lines);
	}
	progress_end(&pg);
	return KITH_OK;
}
