/*
 * The levels engine: the [level] and [levels] settings, then the two
 * presets checked against their peers' documented behaviour (Discourse's
 * trust level 3, MEE6's XP), then hand-set levels, failures and
 * snapshots.
 *
 * The expected decisions are worked out here from the peers' rules (the
 * day counts, the 0.9 low-water mark, the 5 L^2 + 50 L + 100 curve), not
 * read from the engine.
 *
 * SPDX-License-Identifier: MIT
 */
#include "testutil.h"

#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define DAY_MS  INT64_C(86400000)
#define HOUR_MS INT64_C(3600000)
#define SEC_MS  INT64_C(1000)
/* 2026-01-01T00:00:00Z */
#define BASE_MS INT64_C(1767225600000)

static int64_t at(int day, int hour)
{
	return BASE_MS + day * DAY_MS + hour * HOUR_MS;
}

static char *preset(const char *name, size_t *len)
{
	const char *dir = getenv("KITH_CHARTERS");
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", dir ? dir : "examples/charters", name);
	char *text = test_read_file(path, len);
	if (!text)
		fail_msg("cannot read the preset %s", path);
	return text;
}

static kith_community *with_preset(const char *name)
{
	kith_community *c = test_community_new(NULL);
	size_t len;
	char *text = preset(name, &len);
	kith_status st = kith_community_apply_charter(c, text, len);
	if (st != KITH_OK)
		fail_msg("%s: %s", name, kith_community_last_error(c));
	free(text);
	return c;
}

static uint32_t member(kith_community *c, const char *id)
{
	uint32_t h = UINT32_MAX;
	assert_int_equal(kith_community_find_member(c, id, KITH_NUL_TERMINATED, &h), KITH_OK);
	return h;
}

static void ingest(kith_community *c, kith_event *ev)
{
	kith_status st = kith_community_ingest(c, ev);
	if (st != KITH_OK)
		fail_msg("ingest: %s", kith_community_last_error(c));
}

static void msg(kith_community *c, int64_t t, const char *who, const char *id, const char *reply_to,
                const char *to)
{
	kith_event ev = KITH_EVENT_INIT;
	ev.type = KITH_EVENT_MESSAGE;
	ev.time_ms = t;
	ev.actor = who;
	ev.actor_len = KITH_NUL_TERMINATED;
	ev.msg_id = id;
	ev.msg_id_len = KITH_NUL_TERMINATED;
	ev.reply_to = reply_to;
	ev.reply_to_len = KITH_NUL_TERMINATED;
	ev.to = to;
	ev.to_len = KITH_NUL_TERMINATED;
	ev.text = "hello";
	ev.text_len = KITH_NUL_TERMINATED;
	ingest(c, &ev);
}

static void react(kith_community *c, int64_t t, const char *who, const char *id, const char *to)
{
	kith_event ev = KITH_EVENT_INIT;
	ev.type = KITH_EVENT_REACTION;
	ev.time_ms = t;
	ev.actor = who;
	ev.actor_len = KITH_NUL_TERMINATED;
	ev.msg_id = id;
	ev.msg_id_len = KITH_NUL_TERMINATED;
	ev.to = to;
	ev.to_len = KITH_NUL_TERMINATED;
	ingest(c, &ev);
}

static void role_event(kith_community *c, int64_t t, const char *who, const char *role)
{
	kith_event ev = KITH_EVENT_INIT;
	ev.type = KITH_EVENT_ROLE;
	ev.time_ms = t;
	ev.actor = who;
	ev.actor_len = KITH_NUL_TERMINATED;
	ev.name = role;
	ev.name_len = KITH_NUL_TERMINATED;
	ev.op = KITH_OP_ADD;
	ingest(c, &ev);
}

static uint32_t level_of(kith_community *c, const char *id)
{
	uint32_t level = 99;
	assert_int_equal(kith_member_level(c, member(c, id), &level, NULL), KITH_OK);
	return level;
}

/* Index of the first change of this kind about this level (or -1). */
static long find_change(kith_community *c, kith_level_change_kind kind, const char *level)
{
	for (size_t i = 0; i < kith_community_level_change_count(c); i++) {
		const char *l = kith_level_change_level(c, i);
		if (kith_level_change_kind_of(c, i) == kind &&
		    (!level || (l && strcmp(l, level) == 0)))
			return (long)i;
	}
	return -1;
}

/* ---- settings -------------------------------------------------------------- */

static void set(kith_community *c, const char *name, const char *value, kith_status want)
{
	kith_status st = kith_setting_set(c, name, KITH_NUL_TERMINATED, value, KITH_NUL_TERMINATED);
	if (st != want)
		fail_msg("%s = %s gave %s (%s), wanted %s", name, value, kith_status_name(st),
		         kith_community_last_error(c), kith_status_name(want));
}

static void settings_are_checked_and_read_back(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	assert_int_equal(kith_level_count(c), 0);
	set(c, "level.gold.window_days", "0", KITH_ERANGE);
	set(c, "level.gold.window_days", "129", KITH_ERANGE);
	set(c, "level.gold.demote_below", "1.5", KITH_EINVAL);
	set(c, "level.gold.demote_below", "0,9", KITH_EINVAL);
	set(c, "level.gold.colour", "red", KITH_ENOTFOUND);
	set(c, "level.bad name.role", "member", KITH_EINVAL);
	set(c, "levels.xp_cooldown", "soon", KITH_EINVAL);
	set(c, "levels.xp_curve", "1, 2", KITH_EINVAL);
	set(c, "levels.xp_curve", "0, 0, 0", KITH_EINVAL);
	set(c, "levels.rewards", "five regular", KITH_EINVAL);
	set(c, "levels.warp", "1", KITH_ENOTFOUND);
	/* A level whose role does not exist is refused as a whole. */
	set(c, "level.gold.role", "gold", KITH_EINVAL);
	assert_int_equal(kith_level_count(c), 0);
	set(c, "level.gold.role", "member", KITH_OK);
	set(c, "level.gold.messages", " 12 ", KITH_OK);
	set(c, "level.gold.demote_below", "0.9", KITH_OK);
	assert_int_equal(kith_level_count(c), 1);
	assert_string_equal(kith_level_name(c, 0), "gold");
	assert_null(kith_level_name(c, 1));
	char buf[64];
	assert_int_equal(kith_setting_get(c, "level.gold.messages", KITH_NUL_TERMINATED, buf,
	                                  sizeof buf, NULL),
	                 KITH_OK);
	assert_string_equal(buf, "12");
	assert_int_equal(
	        kith_setting_get(c, "levels.xp_curve", KITH_NUL_TERMINATED, buf, sizeof buf, NULL),
	        KITH_OK);
	assert_string_equal(buf, "5, 50, 100");
	/* xp_min above xp_max is refused when the change is whole. */
	set(c, "levels.xp_max", "10", KITH_OK);
	set(c, "levels.xp_min", "11", KITH_EINVAL);
	/* A level keeps its role while it has other keys; clearing every
	 * key removes the level. */
	set(c, "level.gold.role", "", KITH_EINVAL);
	set(c, "level.gold.messages", "", KITH_OK);
	set(c, "level.gold.demote_below", "", KITH_OK);
	set(c, "level.gold.role", "", KITH_OK);
	assert_int_equal(kith_level_count(c), 0);
	kith_community_free(c);
}

static void a_broken_charter_changes_nothing(void **state)
{
	(void)state;
	kith_community *c = with_preset("discourse-trust-levels");
	const char *bad = "[level extra]\nrole = tl3_regular\nmessages = many\n";
	assert_int_equal(kith_community_apply_charter(c, bad, strlen(bad)), KITH_ERANGE);
	assert_non_null(strstr(kith_community_last_error(c), "line 3"));
	assert_int_equal(kith_level_count(c), 3);
	kith_community_free(c);
}

/* ---- Discourse trust levels -------------------------------------------------- */

/*
 * Member u, over days counted from 2026-01-01:
 *  - days 0..9: replies once a day to a new message of r1 (10 distinct
 *    topics) and gives 3 likes a day (30);
 *  - days 14..23: receives 2 likes a day from two of r1..r5 (20 likes,
 *    10 distinct days, 5 distinct users);
 *  - days 60 on: one message and 3 likes given a day; from day 102 one
 *    reply a day to a new topic again.
 * Days visited: 0..9 and 60.. , so the 15th is day 64 (TL2) and the 50th
 * day 99 (TL3). TL3's 100-day window on day D covers days D-99..D.
 */
static void discourse_day(kith_community *c, int day)
{
	char id[32], topic[32];
	if (day <= 9 || day >= 102) {
		snprintf(topic, sizeof topic, "t%d", day);
		msg(c, at(day, 8), "r1", topic, NULL, NULL);
		snprintf(id, sizeof id, "u-reply-%d", day);
		msg(c, at(day, 9), "u", id, topic, "r1");
	}
	if (day >= 60) {
		snprintf(id, sizeof id, "u-%d", day);
		msg(c, at(day, 10), "u", id, NULL, NULL);
	}
	if (day <= 9 || day >= 60)
		for (int k = 0; k < 3; k++) {
			snprintf(id, sizeof id, "r1-like-%d-%d", day, k);
			react(c, at(day, 11), "u", id, "r1");
		}
	if (day >= 14 && day <= 23) {
		char who[8];
		for (int k = 0; k < 2; k++) {
			snprintf(who, sizeof who, "r%d", (day + k) % 5 + 1);
			react(c, at(day, 12), who, "u-0", "u");
		}
	}
}

static void discourse_tl3_on_the_fiftieth_day(void **state)
{
	(void)state;
	kith_community *c = with_preset("discourse-trust-levels");
	for (int day = 0; day <= 99; day++) {
		discourse_day(c, day);
		uint32_t want = day < 64 ? 1 : day < 99 ? 2 : 3;
		if (level_of(c, "u") != want)
			fail_msg("day %d: u holds level %u, Discourse gives %u", day,
			         level_of(c, "u"), want);
		if (day == 0)
			assert_true(level_of(c, "u") == 1);
	}
	kith_community_free(c);

	/* The promotion comes with the first message of day 99 (the day's
	 * 50th visit), not the day before, and names the level and role. */
	c = with_preset("discourse-trust-levels");
	for (int day = 0; day <= 98; day++)
		discourse_day(c, day);
	assert_int_equal(level_of(c, "u"), 2);
	msg(c, at(99, 10), "u", "u-99", NULL, NULL);
	long i = find_change(c, KITH_LEVEL_PROMOTED, "regular");
	assert_true(i >= 0);
	uint32_t role;
	assert_int_equal(kith_community_find_role(c, "tl3_regular", KITH_NUL_TERMINATED, &role),
	                 KITH_OK);
	assert_int_equal(kith_level_change_role(c, (size_t)i), role);
	assert_int_equal(kith_level_change_member(c, (size_t)i), member(c, "u"));
	char json[512];
	assert_int_equal(kith_community_level_changes_to_json(c, json, sizeof json, NULL), KITH_OK);
	assert_string_equal(json, "[{\"kind\":\"promoted\",\"member\":\"u\",\"level\":\"regular\","
	                          "\"role\":\"tl3_regular\",\"xp_level\":0}]");
	/* The next event (r1 already holds TL1) clears the changes. */
	msg(c, at(99, 11), "r1", "r1-99", NULL, NULL);
	assert_int_equal(kith_community_level_change_count(c), 0);
	kith_community_free(c);
}

static void discourse_tl3_grace_and_low_water(void **state)
{
	(void)state;
	kith_community *c = with_preset("discourse-trust-levels");
	for (int day = 0; day <= 99; day++)
		discourse_day(c, day);
	assert_int_equal(level_of(c, "u"), 3);
	/*
	 * Topics replied in, from day 100: days 0..9 leave the window one a
	 * day and new replies start on day 102, so the count is 9 on day 100
	 * and 8 (below 0.9 x 10) on days 101..109: within the 14 days of
	 * grace, nothing happens. Likes received: days 14..23 leave on days
	 * 114..123; on day 114 they are 18 = 0.9 x 20 (kept), on day 115 16
	 * (below, grace over): TL3 is lost then and not before.
	 */
	for (int day = 100; day <= 115; day++) {
		discourse_day(c, day);
		assert_int_equal(kith_community_levels_review(c, at(day, 13)), KITH_OK);
		uint32_t want = day < 115 ? 3 : 2;
		if (level_of(c, "u") != want)
			fail_msg("day %d: u holds level %u, Discourse gives %u", day,
			         level_of(c, "u"), want);
	}
	kith_community_free(c);

	/* The demotion itself comes with the first check of day 115. */
	c = with_preset("discourse-trust-levels");
	for (int day = 0; day <= 114; day++) {
		discourse_day(c, day);
		if (day >= 100)
			assert_int_equal(kith_community_levels_review(c, at(day, 13)), KITH_OK);
		assert_int_equal(find_change(c, KITH_LEVEL_DEMOTED, NULL), -1);
	}
	assert_int_equal(kith_community_levels_review(c, at(115, 0)), KITH_OK);
	long i = find_change(c, KITH_LEVEL_DEMOTED, "regular");
	assert_int_equal(i, 0);
	assert_int_equal(kith_community_level_change_count(c), 1);
	uint32_t role;
	assert_int_equal(kith_community_find_role(c, "tl3_regular", KITH_NUL_TERMINATED, &role),
	                 KITH_OK);
	assert_int_equal(kith_level_change_role(c, 0), role);
	/* A review is not earlier than the last event. */
	assert_int_equal(kith_community_levels_review(c, at(114, 0)), KITH_EORDER);
	assert_int_equal(kith_community_level_change_count(c), 1);
	kith_community_free(c);
}

static void a_lock_keeps_a_level_set_by_hand(void **state)
{
	(void)state;
	kith_community *c = with_preset("discourse-trust-levels");
	msg(c, at(0, 9), "v", "v-0", NULL, NULL);
	uint32_t v = member(c, "v");
	assert_int_equal(level_of(c, "v"), 1);
	assert_int_equal(kith_member_level_set(c, v, "regular", KITH_NUL_TERMINATED, 1, at(0, 10)),
	                 KITH_OK);
	int locked = 0;
	uint32_t level = 0;
	assert_int_equal(kith_member_level(c, v, &level, &locked), KITH_OK);
	assert_int_equal(level, 3);
	assert_int_equal(locked, 1);
	/* Far past any grace, with none of TL3's figures: still TL3. */
	msg(c, at(60, 9), "v", "v-60", NULL, NULL);
	assert_int_equal(kith_community_levels_review(c, at(61, 0)), KITH_OK);
	assert_int_equal(level_of(c, "v"), 3);
	/* Unlocked, the next review applies the rules. */
	assert_int_equal(kith_member_level_set(c, v, "regular", KITH_NUL_TERMINATED, 0, at(61, 0)),
	                 KITH_OK);
	assert_int_equal(kith_community_levels_review(c, at(76, 0)), KITH_OK);
	assert_int_equal(level_of(c, "v"), 2);
	assert_int_equal(kith_member_level_set(c, v, "platinum", KITH_NUL_TERMINATED, 1, at(76, 0)),
	                 KITH_ENOTFOUND);
	assert_int_equal(kith_member_level_set(c, 9999, NULL, 0, 1, at(76, 0)), KITH_ENOTFOUND);
	kith_community_free(c);
}

static void event_of(kith_community *c, kith_event_type type, int64_t t, const char *who,
                     const char *to)
{
	kith_event ev = KITH_EVENT_INIT;
	ev.type = type;
	ev.time_ms = t;
	ev.actor = who;
	ev.actor_len = KITH_NUL_TERMINATED;
	ev.to = to;
	ev.to_len = to ? KITH_NUL_TERMINATED : 0;
	ingest(c, &ev);
}

/* A ban holds a promotion back for clean_days; more reports than
 * reports_max within the window hold it back until they leave it. */
static void sanctions_and_reports_hold_promotion_back(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	const char *charter = "[level trusted]\nrole = member\nwindow_days = 10\nmessages = 1\n"
	                      "clean_days = 5\nreports_max = 1\n";
	assert_int_equal(kith_community_apply_charter(c, charter, strlen(charter)), KITH_OK);
	event_of(c, KITH_EVENT_BAN, at(0, 0), "b", NULL);
	msg(c, at(4, 23), "b", NULL, NULL, NULL); /* 4 days 23 h after the ban */
	assert_int_equal(level_of(c, "b"), 0);
	msg(c, at(5, 0), "b", NULL, NULL, NULL); /* 5 days: clean */
	assert_int_equal(level_of(c, "b"), 1);

	test_join(c, at(6, 0), "r", NULL); /* reports name a member kith knows */
	event_of(c, KITH_EVENT_REPORT, at(6, 0), "x", "r");
	event_of(c, KITH_EVENT_REPORT, at(6, 0), "y", "r");
	msg(c, at(6, 1), "r", NULL, NULL, NULL);
	assert_int_equal(level_of(c, "r"), 0); /* two reports in the window */
	msg(c, at(15, 0), "r", NULL, NULL, NULL);
	assert_int_equal(level_of(c, "r"), 0); /* day 6 is still in days 6..15 */
	msg(c, at(16, 0), "r", NULL, NULL, NULL);
	assert_int_equal(level_of(c, "r"), 1);
	kith_community_free(c);
}

/* Discourse's TL3 asks for at most 5 flagged posts and for flags from
 * at most 5 distinct users (tl3_requires_max_flagged bounds both): many
 * flags by one user fail the second bound no sooner than one flag does,
 * while flags from one user too many fail it however few they are. Here
 * the bound on reports is set high so that only the distinct reporters
 * decide; a reporter counts until their last report leaves the window,
 * and the count survives a snapshot. */
static void reporters_max_bounds_distinct_reporters(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	const char *bad = "[level trusted]\nrole = member\nreporters_max = few\n";
	assert_int_equal(kith_community_apply_charter(c, bad, strlen(bad)), KITH_ERANGE);
	assert_non_null(strstr(kith_community_last_error(c), "line 3"));
	assert_non_null(strstr(kith_community_last_error(c), "reporters_max"));
	const char *charter = "[level trusted]\nrole = member\nwindow_days = 10\nmessages = 1\n"
	                      "reports_max = 100\nreporters_max = 2\n";
	assert_int_equal(kith_community_apply_charter(c, charter, strlen(charter)), KITH_OK);
	test_join(c, at(0, 0), "one", NULL);
	test_join(c, at(0, 0), "three", NULL);
	/* Four reports, all from x: one reporter. */
	for (int i = 0; i < 4; i++)
		event_of(c, KITH_EVENT_REPORT, at(0, 1), "x", "one");
	msg(c, at(0, 2), "one", NULL, NULL, NULL);
	assert_int_equal(level_of(c, "one"), 1);
	/* One report each from x, y and z on days 0, 2 and 2: three. */
	event_of(c, KITH_EVENT_REPORT, at(0, 3), "x", "three");
	event_of(c, KITH_EVENT_REPORT, at(2, 0), "y", "three");
	event_of(c, KITH_EVENT_REPORT, at(2, 0), "z", "three");
	msg(c, at(2, 1), "three", NULL, NULL, NULL);
	assert_int_equal(level_of(c, "three"), 0);
	size_t n;
	unsigned char *bytes = test_save(c, &n);
	kith_community *d = test_community_new(NULL);
	assert_int_equal(test_load(d, bytes, n), KITH_OK);
	free(bytes);
	test_assert_same_snapshot(c, d);
	kith_community *both[2] = {c, d};
	for (int i = 0; i < 2; i++) {
		/* x's report again on day 3 keeps x among the reporters of
		 * days 3..12; day 12 still holds three... */
		event_of(both[i], KITH_EVENT_REPORT, at(3, 0), "x", "three");
		msg(both[i], at(11, 23), "three", NULL, NULL, NULL);
		assert_int_equal(level_of(both[i], "three"), 0);
		/* ...and on day 12 the window is days 3..12: y and z (day 2)
		 * are out, x alone is in. */
		msg(both[i], at(12, 0), "three", NULL, NULL, NULL);
		assert_int_equal(level_of(both[i], "three"), 1);
		kith_community_free(both[i]);
	}
}

/* A member short of a count is promoted on the very event that brings
 * the count to the minimum, whatever events came in between, and a
 * figure that grew while another held the member back still counts once
 * that other one is met; days since joining need no event of their own
 * beyond the member's next message. */
static void promotion_on_the_event_that_meets_the_last_requirement(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	const char *charter = "[level helper]\nrole = member\nwindow_days = 30\nmessages = 1\n"
	                      "reactions_given = 1\nreactions_received = 2\n";
	assert_int_equal(kith_community_apply_charter(c, charter, strlen(charter)), KITH_OK);
	msg(c, at(0, 1), "a", "a1", NULL, NULL);
	msg(c, at(0, 2), "b", "b1", NULL, NULL);
	/* a lacks a reaction given: received ones come first, and count */
	react(c, at(0, 3), "b", "a1", "a");
	react(c, at(0, 4), "c", "a1", "a");
	msg(c, at(0, 5), "a", "a2", NULL, NULL);
	assert_int_equal(level_of(c, "a"), 0);
	react(c, at(0, 6), "a", "b1", "b"); /* the last requirement */
	assert_int_equal(find_change(c, KITH_LEVEL_PROMOTED, "helper"), 0);
	assert_int_equal(kith_level_change_member(c, 0), member(c, "a"));
	assert_int_equal(level_of(c, "a"), 1);
	/* b has given two and received one: its messages and reactions
	 * change nothing, the second reaction received promotes, through the
	 * reactor's event */
	react(c, at(0, 7), "b", "a2", "a");
	msg(c, at(0, 8), "b", "b2", NULL, NULL);
	msg(c, at(1, 1), "b", "b3", NULL, NULL);
	assert_int_equal(level_of(c, "b"), 0);
	react(c, at(1, 2), "c", "b3", "b");
	assert_int_equal(find_change(c, KITH_LEVEL_PROMOTED, "helper"), 0);
	assert_int_equal(kith_level_change_member(c, 0), member(c, "b"));
	assert_int_equal(level_of(c, "b"), 1);
	kith_community_free(c);

	c = test_community_new(NULL);
	charter = "[level old]\nrole = member\nmessages = 1\njoined_days = 2\n";
	assert_int_equal(kith_community_apply_charter(c, charter, strlen(charter)), KITH_OK);
	test_join(c, at(0, 0), "j", NULL);
	msg(c, at(1, 23), "j", NULL, NULL, NULL);
	assert_int_equal(level_of(c, "j"), 0);
	msg(c, at(2, 0), "j", NULL, NULL, NULL);
	assert_int_equal(level_of(c, "j"), 1);
	kith_community_free(c);
}

/* ---- MEE6 ------------------------------------------------------------------- */

/* MEE6's total XP to reach level L: the sum of 5 k^2 + 50 k + 100 for k < L. */
static uint64_t mee6_total(unsigned level)
{
	uint64_t t = 0;
	for (uint64_t k = 0; k < level; k++)
		t += 5 * k * k + 50 * k + 100;
	return t;
}

static unsigned mee6_level(uint64_t xp)
{
	unsigned l = 0;
	while (mee6_total(l + 1) <= xp)
		l++;
	return l;
}

static uint64_t xp_of(kith_community *c, const char *id)
{
	uint64_t xp = 0;
	assert_int_equal(kith_member_xp(c, member(c, id), &xp, NULL), KITH_OK);
	return xp;
}

static void mee6_xp_range_and_cooldown(void **state)
{
	(void)state;
	assert_int_equal(mee6_total(1), 100);
	assert_int_equal(mee6_total(2), 255);
	assert_int_equal(mee6_total(10), 4675);
	kith_community *c = with_preset("mee6-levels");
	int64_t t = at(0, 0);
	msg(c, t, "u", NULL, NULL, NULL);
	uint64_t xp = xp_of(c, "u");
	assert_true(xp >= 15 && xp <= 25);
	/* Within the minute: nothing, and the minute is not restarted. */
	msg(c, t + 30 * SEC_MS, "u", NULL, NULL, NULL);
	assert_int_equal(xp_of(c, "u"), xp);
	msg(c, t + 60 * SEC_MS - 1, "u", NULL, NULL, NULL);
	assert_int_equal(xp_of(c, "u"), xp);
	msg(c, t + 60 * SEC_MS, "u", NULL, NULL, NULL);
	uint64_t gain = xp_of(c, "u") - xp;
	assert_true(gain >= 15 && gain <= 25);
	/* Many messages: every rewarded one earns 15..25, every message
	 * within a minute of the last rewarded one earns nothing, and every
	 * value of the range turns up. */
	int seen[26] = {0};
	int64_t last = t + 60 * SEC_MS, when = last;
	xp = xp_of(c, "u");
	for (int i = 1; i <= 2000; i++) {
		when += (i % 3 == 0 ? 20 : 45) * SEC_MS;
		msg(c, when, "u", NULL, NULL, NULL);
		uint64_t now = xp_of(c, "u");
		if (when - last >= 60 * SEC_MS) {
			assert_true(now - xp >= 15 && now - xp <= 25);
			seen[now - xp]++;
			last = when;
		} else {
			assert_int_equal(now, xp);
		}
		xp = now;
	}
	for (int k = 15; k <= 25; k++)
		assert_true(seen[k] > 0);
	kith_community_free(c);
}

static void mee6_level_up_on_the_crossing_message(void **state)
{
	(void)state;
	kith_community *c = with_preset("mee6-levels");
	int64_t t = at(0, 0);
	bool crossed[3] = {false};
	const uint64_t marks[3] = {100, 255, 4675};
	uint64_t xp = 0;
	for (int i = 0; xp < 5000; i++) {
		msg(c, t + i * 61 * SEC_MS, "u", NULL, NULL, NULL);
		uint64_t now = xp_of(c, "u");
		unsigned before = mee6_level(xp), after = mee6_level(now);
		long up = find_change(c, KITH_LEVEL_UP, NULL);
		if (after > before) {
			assert_true(up >= 0);
			assert_int_equal(kith_level_change_xp_level(c, (size_t)up), after);
			assert_int_equal(kith_level_change_member(c, (size_t)up), member(c, "u"));
			assert_int_equal(kith_level_change_role(c, (size_t)up), UINT32_MAX);
		} else {
			assert_int_equal(up, -1);
		}
		for (int k = 0; k < 3; k++)
			if (xp < marks[k] && now >= marks[k]) {
				crossed[k] = true;
				assert_true(up >= 0);
			}
		uint32_t level = 0;
		assert_int_equal(kith_member_xp(c, member(c, "u"), NULL, &level), KITH_OK);
		assert_int_equal(level, after);
		xp = now;
	}
	for (int k = 0; k < 3; k++)
		assert_true(crossed[k]);
	assert_int_equal(mee6_level(xp), 10);
	kith_community_free(c);
}

static void mee6_no_xp_roles_rewards_and_seed(void **state)
{
	(void)state;
	kith_community *c = with_preset("mee6-levels");
	const char *more = "[role muted-xp]\nprotected = no\n[role rookie]\nprotected = no\n"
	                   "[levels]\nno_xp_roles = muted-xp\nrewards = 1 rookie\n";
	assert_int_equal(kith_community_apply_charter(c, more, strlen(more)), KITH_OK);
	msg(c, at(0, 0), "quiet", NULL, NULL, NULL);
	role_event(c, at(0, 0), "quiet", "muted-xp");
	uint64_t q = xp_of(c, "quiet");
	for (int i = 1; i < 20; i++)
		msg(c, at(0, 0) + i * 61 * SEC_MS, "quiet", NULL, NULL, NULL);
	assert_int_equal(xp_of(c, "quiet"), q);
	/* The reward comes with the level-up that reaches level 1, once. */
	uint32_t rookie;
	assert_int_equal(kith_community_find_role(c, "rookie", KITH_NUL_TERMINATED, &rookie),
	                 KITH_OK);
	int rewards = 0;
	uint64_t xp = 0;
	for (int i = 0; i < 30; i++) {
		msg(c, at(1, 0) + i * 61 * SEC_MS, "u", NULL, NULL, NULL);
		uint64_t now = xp_of(c, "u");
		long r = find_change(c, KITH_LEVEL_REWARD, NULL);
		if (xp < 100 && now >= 100) {
			assert_true(r >= 0);
			assert_int_equal(kith_level_change_role(c, (size_t)r), rookie);
			assert_int_equal(kith_level_change_xp_level(c, (size_t)r), 1);
			rewards++;
		} else {
			assert_int_equal(r, -1);
		}
		xp = now;
	}
	assert_int_equal(rewards, 1);
	kith_community_free(c);

	/* The same seed gives the same XP on a replay; another seed another. */
	kith_community *a = with_preset("mee6-levels"), *b = with_preset("mee6-levels"),
	               *d = with_preset("mee6-levels");
	set(d, "levels.xp_seed", "12345", KITH_OK);
	for (int i = 0; i < 50; i++) {
		msg(a, at(0, 0) + i * 61 * SEC_MS, "u", NULL, NULL, NULL);
		msg(b, at(0, 0) + i * 61 * SEC_MS, "u", NULL, NULL, NULL);
		msg(d, at(0, 0) + i * 61 * SEC_MS, "u", NULL, NULL, NULL);
	}
	assert_int_equal(xp_of(a, "u"), xp_of(b, "u"));
	assert_int_not_equal(xp_of(a, "u"), xp_of(d, "u"));
	kith_community_free(a);
	kith_community_free(b);
	kith_community_free(d);
}

/* ---- failures and snapshots ------------------------------------------------- */

static void a_failed_ingest_leaves_the_changes(void **state)
{
	(void)state;
	kith_community *c = with_preset("mee6-levels");
	for (int i = 0; i < 10 && kith_community_level_change_count(c) == 0; i++)
		msg(c, at(0, 0) + i * 61 * SEC_MS, "u", NULL, NULL, NULL);
	assert_int_equal(kith_community_level_change_count(c), 1);
	uint64_t xp = xp_of(c, "u");
	kith_event ev = KITH_EVENT_INIT;
	ev.type = KITH_EVENT_MESSAGE;
	ev.time_ms = at(0, 0) - 1; /* out of order */
	ev.actor = "u";
	ev.actor_len = KITH_NUL_TERMINATED;
	assert_int_equal(kith_community_ingest(c, &ev), KITH_EORDER);
	assert_int_equal(kith_community_level_change_count(c), 1);
	assert_int_equal(kith_level_change_kind_of(c, 0), KITH_LEVEL_UP);
	assert_int_equal(xp_of(c, "u"), xp);
	assert_int_equal(kith_level_change_kind_of(c, 1), KITH_LEVEL_NONE);
	assert_int_equal(kith_level_change_member(c, 1), UINT32_MAX);
	assert_null(kith_level_change_level(c, 1));
	assert_string_equal(kith_level_change_kind_name(KITH_LEVEL_UP), "level_up");
	assert_string_equal(kith_level_change_kind_name((kith_level_change_kind)77), "unknown");
	assert_int_equal(kith_community_level_change_count(NULL), 0);
	assert_int_equal(kith_member_level(NULL, 0, NULL, NULL), KITH_EINVAL);
	kith_community_free(c);
}

static void every_allocation_failure_changes_nothing(void **state)
{
	(void)state;
	/* Replay the start of the Discourse scenario with the n-th allocation
	 * failing, for every n: the failing call reports KITH_ENOMEM and the
	 * community saves the same bytes as before it. */
	for (uint64_t n = 1;; n++) {
		struct test_alloc ta = {0};
		kith_community *c = test_community_new(&ta);
		size_t len;
		char *text = preset("discourse-trust-levels", &len);
		ta.fail_at = ta.calls + n;
		kith_status st = kith_community_apply_charter(c, text, len);
		free(text);
		bool failed = st != KITH_OK;
		for (int day = 0; day <= 3 && !failed; day++) {
			char id[32];
			snprintf(id, sizeof id, "t%d", day);
			kith_event ev = KITH_EVENT_INIT;
			ev.type = KITH_EVENT_MESSAGE;
			ev.time_ms = at(day, 8);
			ev.actor = "r1";
			ev.actor_len = KITH_NUL_TERMINATED;
			ev.msg_id = id;
			ev.msg_id_len = KITH_NUL_TERMINATED;
			kith_event rep = ev;
			rep.time_ms = at(day, 9);
			rep.actor = "u";
			rep.reply_to = id;
			rep.reply_to_len = KITH_NUL_TERMINATED;
			rep.to = "r1";
			rep.to_len = KITH_NUL_TERMINATED;
			rep.msg_id = NULL;
			kith_event like = KITH_EVENT_INIT;
			like.type = KITH_EVENT_REACTION;
			like.time_ms = at(day, 10);
			like.actor = "r2";
			like.actor_len = KITH_NUL_TERMINATED;
			like.to = "u";
			like.to_len = KITH_NUL_TERMINATED;
			const kith_event *evs[3] = {&ev, &rep, &like};
			for (int k = 0; k < 3 && !failed; k++) {
				size_t before_len;
				uint64_t fail_at = ta.fail_at;
				ta.fail_at = 0;
				unsigned char *before = test_save(c, &before_len);
				ta.fail_at = fail_at;
				st = kith_community_ingest(c, evs[k]);
				if (st != KITH_OK) {
					assert_int_equal(st, KITH_ENOMEM);
					ta.fail_at = 0;
					size_t after_len;
					unsigned char *after = test_save(c, &after_len);
					assert_int_equal(before_len, after_len);
					assert_memory_equal(before, after, before_len);
					free(after);
					failed = true;
				}
				free(before);
			}
		}
		kith_community_free(c);
		assert_int_equal(ta.live_bytes, 0);
		if (!failed)
			break;
	}
}

/* Members who only join or leave cost the engine nothing: the presets'
 * state is paid once, and a member gets a record with its first message
 * or reaction. */
static void members_far_from_levels_cost_nothing(void **state)
{
	(void)state;
	int64_t cost[2];
	for (int levels = 0; levels < 2; levels++) {
		struct test_alloc ta = {0};
		kith_community *c = test_community_new(&ta);
		if (levels) {
			size_t len;
			char *text = preset("discourse-trust-levels", &len);
			assert_int_equal(kith_community_apply_charter(c, text, len), KITH_OK);
			free(text);
			text = preset("mee6-levels", &len);
			assert_int_equal(kith_community_apply_charter(c, text, len), KITH_OK);
			free(text);
		}
		msg(c, at(0, 0), "first", NULL, NULL, NULL);
		int64_t before = ta.live_bytes;
		for (int i = 0; i < 2000; i++) {
			char id[16];
			snprintf(id, sizeof id, "m%d", i);
			test_join(c, at(0, 1), id, NULL);
		}
		cost[levels] = ta.live_bytes - before;
		kith_community_free(c);
	}
	assert_int_equal(cost[1], cost[0]);
}

static void snapshots_keep_everything(void **state)
{
	(void)state;
	kith_community *a = with_preset("discourse-trust-levels");
	size_t len;
	char *mee6 = preset("mee6-levels", &len);
	assert_int_equal(kith_community_apply_charter(a, mee6, len), KITH_OK);
	free(mee6);
	for (int day = 0; day <= 99; day++)
		discourse_day(a, day);
	assert_int_equal(kith_member_level_set(a, member(a, "r3"), "member", KITH_NUL_TERMINATED, 1,
	                                       at(99, 20)),
	                 KITH_OK);
	size_t n;
	unsigned char *bytes = test_save(a, &n);
	kith_community *b = test_community_new(NULL);
	assert_int_equal(test_load(b, bytes, n), KITH_OK);
	test_assert_same_snapshot(a, b);
	/* Carrying on gives the same decisions and the same XP. */
	for (int day = 100; day <= 116; day++) {
		discourse_day(a, day);
		discourse_day(b, day);
		assert_int_equal(kith_community_levels_review(a, at(day, 13)), KITH_OK);
		assert_int_equal(kith_community_levels_review(b, at(day, 13)), KITH_OK);
		assert_int_equal(level_of(a, "u"), level_of(b, "u"));
		assert_int_equal(xp_of(a, "u"), xp_of(b, "u"));
	}
	test_assert_same_snapshot(a, b);
	assert_int_equal(level_of(b, "r3"), 2);
	free(bytes);

	/* A corrupt byte anywhere in the section is refused or read as a
	 * valid state; a truncated one is refused. */
	bytes = test_save(a, &n);
	size_t tag = 0;
	for (size_t i = 0; i + 4 <= n; i++)
		if (memcmp(bytes + i, "LEVL", 4) == 0)
			tag = i;
	assert_true(tag > 0);
	kith_community *d = test_community_new(NULL);
	assert_int_not_equal(test_load(d, bytes, tag + 40), KITH_OK);
	assert_int_equal(kith_level_count(d), 0);
	kith_community_free(d);
	free(bytes);
	kith_community_free(a);
	kith_community_free(b);
}

/* Figures counted for a level stay with the members when the levels are
 * redefined; one that no level reads any more is left out of snapshots,
 * which still load. */
static void redefined_levels_keep_members_and_load(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	const char *first = "[level fan]\nrole = member\nreactors = 2\n";
	assert_int_equal(kith_community_apply_charter(c, first, strlen(first)), KITH_OK);
	msg(c, at(0, 0), "u", "u-0", NULL, NULL);
	react(c, at(0, 1), "a", "u-0", "u");
	assert_int_equal(level_of(c, "u"), 0);
	react(c, at(0, 2), "b", "u-0", "u");
	assert_int_equal(level_of(c, "u"), 1);
	/* Renamed keys: the level keeps its holder; reactors are not read. */
	const char *second = "[level fan]\nreactors =\nmessages = 1\n";
	assert_int_equal(kith_community_apply_charter(c, second, strlen(second)), KITH_OK);
	assert_int_equal(level_of(c, "u"), 1);
	size_t n;
	unsigned char *bytes = test_save(c, &n);
	kith_community *d = test_community_new(NULL);
	assert_int_equal(test_load(d, bytes, n), KITH_OK);
	test_assert_same_snapshot(c, d);
	assert_int_equal(level_of(d, "u"), 1);
	free(bytes);
	kith_community_free(c);
	kith_community_free(d);
}

static void no_levels_writes_no_section(void **state)
{
	(void)state;
	kith_community *a = test_community_new(NULL), *b = test_community_new(NULL);
	test_join(a, 1000, "ann", NULL);
	test_join(b, 1000, "ann", NULL);
	set(b, "level.x.role", "member", KITH_OK);
	set(b, "levels.xp_max", "5", KITH_OK);
	set(b, "level.x.role", "", KITH_OK);
	set(b, "levels.xp_max", "", KITH_OK);
	assert_int_equal(kith_level_count(b), 0);
	test_assert_same_snapshot(a, b);
	size_t len;
	unsigned char *bytes = test_save(b, &len);
	for (size_t i = 0; i + 4 <= len; i++)
		assert_false(memcmp(bytes + i, "LEVL", 4) == 0);
	free(bytes);
	kith_community_free(a);
	kith_community_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(settings_are_checked_and_read_back),
	        cmocka_unit_test(a_broken_charter_changes_nothing),
	        cmocka_unit_test(discourse_tl3_on_the_fiftieth_day),
	        cmocka_unit_test(discourse_tl3_grace_and_low_water),
	        cmocka_unit_test(a_lock_keeps_a_level_set_by_hand),
	        cmocka_unit_test(sanctions_and_reports_hold_promotion_back),
	        cmocka_unit_test(reporters_max_bounds_distinct_reporters),
	        cmocka_unit_test(promotion_on_the_event_that_meets_the_last_requirement),
	        cmocka_unit_test(mee6_xp_range_and_cooldown),
	        cmocka_unit_test(mee6_level_up_on_the_crossing_message),
	        cmocka_unit_test(mee6_no_xp_roles_rewards_and_seed),
	        cmocka_unit_test(a_failed_ingest_leaves_the_changes),
	        cmocka_unit_test(every_allocation_failure_changes_nothing),
	        cmocka_unit_test(members_far_from_levels_cost_nothing),
	        cmocka_unit_test(snapshots_keep_everything),
	        cmocka_unit_test(redefined_levels_keep_members_and_load),
	        cmocka_unit_test(no_levels_writes_no_section),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
