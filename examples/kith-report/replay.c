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
kith_status ingest_tallying(kith_community *c, const char *buf, size_t len, uint64_t *lines,
                            struct verdict_tally *t, bool quiet)
{
	const char *p = buf, *end = buf + len;
	struct progress pg = {!quiet && isatty(STDERR_FILENO), false, 0, 0};
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
		if (!tally_verdicts(c, t)) {
			progress_end(&pg);
			return KITH_ENOMEM;
		}
		p = nl ? nl + 1 : end;
		if (pg.on && (*lines & 4095) == 0)
			progress_update(&pg, (size_t)(p - buf), len, *lines);
	}
	progress_end(&pg);
	return KITH_OK;
}
