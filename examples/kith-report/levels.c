/*
 * kith-report: LEVELS, the levels engine through the replay: the changes
 * each event (and each daily review) left, tallied by level, then who
 * holds each level at the end and, with XP, who earned the most.
 *
 * SPDX-License-Identifier: MIT
 */
#include "report.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void levels_start(const kith_community *c, struct level_tally *t)
{
	char xp[32];
	memset(t, 0, sizeof *t);
	t->on = kith_level_count(c) > 0;
	setting_text(c, "levels.xp_max", xp, sizeof xp);
	t->xp = strcmp(xp, "0") != 0 && strcmp(xp, "?") != 0;
}

/* The ranked level named s, as an index; -1 when none is. */
static int level_index(const kith_community *c, const char *s)
{
	for (size_t i = 0; s && i < kith_level_count(c) && i < KITH_LEVELS_MAX; i++)
		if (strcmp(kith_level_name(c, i), s) == 0)
			return (int)i;
	return -1;
}

/* Count the changes the last ingest or review left. */
static void tally(const kith_community *c, struct level_tally *t)
{
	size_t n = kith_community_level_change_count(c);
	for (size_t i = 0; i < n; i++) {
		kith_level_change_kind kind = kith_level_change_kind_of(c, i);
		int level = level_index(c, kith_level_change_level(c, i));
		t->changes++;
		if (kind == KITH_LEVEL_PROMOTED && level >= 0)
			t->promoted[level]++;
		else if (kind == KITH_LEVEL_DEMOTED && level >= 0)
			t->demoted[level]++;
		else if (kind == KITH_LEVEL_UP)
			t->level_ups++;
		else if (kind == KITH_LEVEL_REWARD)
			t->rewards++;
	}
}

static kith_status review(kith_community *c, struct level_tally *t, int64_t when)
{
	kith_status st = kith_community_levels_review(c, when);
	if (st != KITH_OK)
		return st;
	t->reviews++;
	tally(c, t);
	return KITH_OK;
}

/* After a line the library accepted: an event (a line that starts with
 * its time) left its level changes; the first event of a local day later
 * than the last reviewed one brings that day's review, at its time, as a
 * bot that reviews daily would. */
kith_status levels_after_line(kith_community *c, struct level_tally *t, const char *line,
                              size_t len, int64_t off)
{
	if (!t->on || len == 0 || line[0] < '0' || line[0] > '9')
		return KITH_OK;
	tally(c, t);
	int64_t at = kith_community_last_event_ms(c);
	int64_t day = local_day(at, off);
	if (t->day_known && day > t->day) {
		kith_status st = review(c, t, at);
		if (st != KITH_OK)
			return st;
	}
	t->day_known = true;
	t->day = day;
	return KITH_OK;
}

kith_status levels_finish(kith_community *c, struct level_tally *t, int64_t now)
{
	if (!t->on || !t->day_known)
		return KITH_OK;
	return review(c, t, now);
}

struct xp_row {
	uint32_t h, level;
	uint64_t xp;
};

static int cmp_xp(const void *a, const void *b)
{
	const struct xp_row *x = a, *y = b;
	if (x->xp != y->xp)
		return x->xp < y->xp ? 1 : -1;
	return x->h < y->h ? -1 : x->h > y->h;
}

/* The members holding each level, and the top of the XP ranking (at most
 * LEVELS_XP_SHOWN rows; *shown receives how many). False when out of memory. */
static bool standings(const kith_community *c, uint64_t held[KITH_LEVELS_MAX],
                      struct xp_row top[LEVELS_XP_SHOWN], size_t *shown)
{
	size_t n = kith_community_member_count(c);
	struct xp_row *rows = calloc(n ? n : 1, sizeof *rows);
	if (!rows)
		return false;
	memset(held, 0, KITH_LEVELS_MAX * sizeof held[0]);
	for (size_t i = 0; i < n; i++) {
		uint32_t level = 0;
		rows[i].h = (uint32_t)i;
		if (kith_member_level(c, (uint32_t)i, &level, NULL) == KITH_OK && level > 0 &&
		    level <= KITH_LEVELS_MAX)
			held[level - 1]++;
		kith_member_xp(c, (uint32_t)i, &rows[i].xp, &rows[i].level);
	}
	qsort(rows, n, sizeof *rows, cmp_xp);
	*shown = 0;
	for (size_t i = 0; i < n && i < LEVELS_XP_SHOWN && rows[i].xp > 0; i++)
		top[(*shown)++] = rows[i];
	free(rows);
	return true;
}

void print_levels(const kith_community *c, const struct level_tally *t)
{
	uint64_t held[KITH_LEVELS_MAX];
	struct xp_row top[LEVELS_XP_SHOWN];
	size_t shown = 0;
	char n1[32], n2[32], n3[32];
	if (!t->on)
		return;
	printf("\nLEVELS (standing earned by activity, through the replay)\n");
	if (!standings(c, held, top, &shown)) {
		printf("  out of memory\n");
		return;
	}
	printf("  %s level changes; %s daily reviews\n", fmt_count(n1, sizeof n1, t->changes),
	       fmt_count(n2, sizeof n2, t->reviews));
	printf("    %-20s %10s %10s %10s\n", "level", "promoted", "demoted", "held now");
	for (size_t i = 0; i < kith_level_count(c) && i < KITH_LEVELS_MAX; i++)
		printf("    %-20s %10s %10s %10s\n", kith_level_name(c, i),
		       fmt_count(n1, sizeof n1, t->promoted[i]), fmt_count(n2, sizeof n2, t->demoted[i]),
		       fmt_count(n3, sizeof n3, held[i]));
	if (!t->xp)
		return;
	printf("  XP: %s level-ups, %s role rewards; the most XP:\n",
	       fmt_count(n1, sizeof n1, t->level_ups), fmt_count(n2, sizeof n2, t->rewards));
	for (size_t i = 0; i < shown; i++) {
		printf("    ");
		put_member_id(stdout, c, top[i].h, 20);
		printf(" %10s XP  level %" PRIu32 "\n", fmt_count(n1, sizeof n1, top[i].xp),
		       top[i].level);
	}
	if (shown == 0)
		printf("    (no member has XP)\n");
}

/* LEVELS in the document: null without levels. False when out of memory. */
bool json_levels(struct json *j, const kith_community *c, const struct level_tally *t)
{
	uint64_t held[KITH_LEVELS_MAX];
	struct xp_row top[LEVELS_XP_SHOWN];
	size_t shown = 0;
	if (!t->on) {
		json_key(j, "levels");
		fputs("null", j->f);
		json_value_done(j, true);
		return true;
	}
	if (!standings(c, held, top, &shown))
		return false;
	json_open(j, "levels", '{');
	json_u64(j, "changes", t->changes);
	json_u64(j, "reviews", t->reviews);
	json_open(j, "levels", '[');
	for (size_t i = 0; i < kith_level_count(c) && i < KITH_LEVELS_MAX; i++) {
		const char *name = kith_level_name(c, i);
		json_open(j, NULL, '{');
		json_str(j, "name", name, strlen(name));
		json_u64(j, "promoted", t->promoted[i]);
		json_u64(j, "demoted", t->demoted[i]);
		json_u64(j, "held", held[i]);
		json_close(j, NULL, '}');
	}
	json_close(j, "levels", ']');
	json_bool(j, "xp", t->xp);
	json_u64(j, "level_ups", t->level_ups);
	json_u64(j, "rewards", t->rewards);
	json_open(j, "top_xp", '[');
	for (size_t i = 0; t->xp && i < shown; i++) {
		size_t n = 0;
		const char *id = kith_member_id(c, top[i].h, &n);
		json_open(j, NULL, '{');
		json_str(j, "id", id, n);
		json_u64(j, "xp", top[i].xp);
		json_u64(j, "level", top[i].level);
		json_close(j, NULL, '}');
	}
	json_close(j, "top_xp", ']');
	json_close(j, "levels", '}');
	return true;
}
