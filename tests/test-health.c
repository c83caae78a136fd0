/* The health diagnosis: every finding on hand-built communities, at the
 * boundaries of its thresholds, with trends; JSON; bad arguments;
 * allocation failures; the generated sample.
 * Every figure below is worked out by hand from the scenario it follows.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

#define HOUR INT64_C(3600000)
#define DAY  (24 * HOUR)
/* A UTC midnight (2023-11-14); the community's offset stays +00:00. */
#define T0 INT64_C(1699920000000)

/* ---- helpers ------------------------------------------------------------------- */

static void event(kith_community *c, kith_event_type type, int64_t t, const char *actor,
                  const char *name, const char *to, uint32_t op, uint32_t kind, uint32_t length)
{
	kith_event ev = KITH_EVENT_INIT;
	ev.type = (uint32_t)type;
	ev.time_ms = t;
	ev.actor = actor;
	ev.actor_len = KITH_NUL_TERMINATED;
	ev.name = name;
	ev.name_len = KITH_NUL_TERMINATED;
	ev.to = to;
	ev.to_len = KITH_NUL_TERMINATED;
	ev.op = op;
	ev.kind = kind;
	ev.length = length;
	if (kith_community_ingest(c, &ev) != KITH_OK)
		fail_msg("event %d of %s: %s", (int)type, actor, kith_community_last_error(c));
}

static void join(kith_community *c, int64_t t, const char *id)
{
	test_join(c, t, id, NULL);
}

static void say(kith_community *c, int64_t t, const char *id, kith_kind kind)
{
	/* Texts are 40 characters long: worth their full weight, 1. */
	event(c, KITH_EVENT_MESSAGE, t, id, NULL, NULL, 0, (uint32_t)kind,
	      kind == KITH_KIND_TEXT ? 40 : 0);
}

static void grant(kith_community *c, int64_t t, const char *id, const char *role)
{
	event(c, KITH_EVENT_ROLE, t, id, role, NULL, KITH_OP_ADD, 0, 0);
}

static void set(kith_community *c, const char *name, const char *value)
{
	if (kith_setting_set(c, name, KITH_NUL_TERMINATED, value, KITH_NUL_TERMINATED) != KITH_OK)
		fail_msg("set %s = %s: %s", name, value, kith_community_last_error(c));
}

static void join_many(kith_community *c, int64_t t, const char *prefix, int n)
{
	char id[32];
	for (int i = 0; i < n; i++) {
		snprintf(id, sizeof id, "%s%d", prefix, i);
		join(c, t, id);
	}
}

static kith_health *diagnose(kith_community *c, int64_t now)
{
	kith_health *hl = NULL;
	if (kith_health_new(c, now, &hl) != KITH_OK)
		fail_msg("health: %s", kith_community_last_error(c));
	assert_non_null(hl);
	/* Every aspect has a finding, but capacity while there is none. */
	char cap[16];
	assert_int_equal(kith_setting_get(c, "community.capacity", KITH_NUL_TERMINATED, cap,
	                                  sizeof cap, NULL),
	                 KITH_OK);
	assert_int_equal(kith_health_count(hl), strcmp(cap, "0") == 0 ? 14 : 15);
	return hl;
}

struct finding {
	kith_severity severity;
	double figure, threshold, previous;
	const char *text;
};

static struct finding get(const kith_health *hl, kith_health_code code)
{
	size_t i = 99;
	struct finding f;
	kith_health_code got = 0;
	assert_int_equal(kith_health_find(hl, code, &i), KITH_OK);
	assert_int_equal(
	        kith_health_finding(hl, i, &got, &f.severity, &f.figure, &f.threshold, &f.previous),
	        KITH_OK);
	assert_int_equal(got, code);
	f.text = kith_health_explanation(hl, i);
	assert_non_null(f.text);
	return f;
}

static void near(double got, double want)
{
	if (!(fabs(got - want) <= 1e-9 * (fabs(want) + 1)))
		fail_msg("%.17g, expected %.17g", got, want);
}

static void expect(const kith_health *hl, kith_health_code code, kith_severity severity,
                   double figure, double threshold)
{
	struct finding f = get(hl, code);
	if (f.severity != severity)
		fail_msg("%s: severity %s, expected %s (%s)", kith_health_code_name(code),
		         kith_severity_name(f.severity), kith_severity_name(severity), f.text);
	if (isnan(figure))
		assert_true(isnan(f.figure));
	else
		near(f.figure, figure);
	near(f.threshold, threshold);
}

static void expect_previous(const kith_health *hl, kith_health_code code, double previous)
{
	struct finding f = get(hl, code);
	if (isnan(previous))
		assert_true(isnan(f.previous));
	else
		near(f.previous, previous);
}

static char *health_json(const kith_health *hl)
{
	size_t need = 0;
	assert_int_equal(kith_health_to_json(hl, NULL, 0, &need), KITH_OK);
	char *buf = malloc(need + 1);
	assert_non_null(buf);
	assert_int_equal(kith_health_to_json(hl, buf, need + 1, NULL), KITH_OK);
	assert_int_equal(strlen(buf), need);
	return buf;
}

/* ---- size and capacity ------------------------------------------------------------ */

static void size_regimes_at_their_boundaries(void **state)
{
	(void)state;
	static const struct {
		int members;
		kith_severity severity;
		double threshold;
	} cases[] = {
	        {49, KITH_SEVERITY_OK, 50},
	        {50, KITH_SEVERITY_INFO, 150},
	        {150, KITH_SEVERITY_INFO, 150},
	        {151, KITH_SEVERITY_WARNING, 150},
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		kith_community *c = test_community_new(NULL);
		set(c, "community.capacity", "500");
		join_many(c, T0, "m", cases[k].members);
		kith_health *hl = diagnose(c, T0 + HOUR);
		expect(hl, KITH_HEALTH_SIZE, cases[k].severity, cases[k].members,
		       cases[k].threshold);
		expect_previous(hl, KITH_HEALTH_SIZE, NAN);
		expect(hl, KITH_HEALTH_CAPACITY, KITH_SEVERITY_OK, cases[k].members, 500);
		kith_health_free(hl);
		kith_community_free(c);
	}
	kith_community *c = test_community_new(NULL);
	join_many(c, T0, "m", 49);
	kith_health *hl = diagnose(c, T0);
	assert_string_equal(
	        get(hl, KITH_HEALTH_SIZE).text,
	        "49 present members: under 50, an intimate group where everyone can know everyone");
	kith_health_free(hl);
	kith_community_free(c);
}

static void capacity_nearly_full_and_full(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	set(c, "community.capacity", "151");
	join_many(c, T0, "m", 135);
	/* 90% of 151 is 135.9. */
	kith_health *hl = diagnose(c, T0);
	expect(hl, KITH_HEALTH_CAPACITY, KITH_SEVERITY_OK, 135, 151);
	kith_health_free(hl);
	join(c, T0, "m135");
	hl = diagnose(c, T0);
	expect(hl, KITH_HEALTH_CAPACITY, KITH_SEVERITY_WARNING, 136, 151);
	kith_health_free(hl);
	join_many(c, T0, "x", 15);
	hl = diagnose(c, T0);
	expect(hl, KITH_HEALTH_CAPACITY, KITH_SEVERITY_CRITICAL, 151, 151);
	assert_string_equal(get(hl, KITH_HEALTH_CAPACITY).text,
	                    "151 of 151 places taken (100%): full, no room for newcomers");
	assert_int_equal(kith_health_worst(hl), KITH_SEVERITY_CRITICAL);
	kith_health_free(hl);
	/* Far over capacity, the share is a whole percentage, never an
	 * exponent ("4.76e+03%" was what a big IRC channel got). */
	set(c, "community.capacity", "3");
	hl = diagnose(c, T0);
	assert_string_equal(get(hl, KITH_HEALTH_CAPACITY).text,
	                    "151 of 3 places taken (5,033%): full, no room for newcomers");
	kith_health_free(hl);
	kith_community_free(c);
}

/* A community that set no capacity has no limit to fill: no capacity
 * finding, however many are present (a big IRC channel was "critical"
 * against a default of 500). */
static void no_capacity_finding_while_capacity_is_unset(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	join_many(c, T0, "m", 1200);
	kith_health *hl = diagnose(c, T0);
	size_t i = 99;
	assert_int_equal(kith_health_count(hl), 14);
	assert_int_equal(kith_health_find(hl, KITH_HEALTH_CAPACITY, &i), KITH_ENOTFOUND);
	/* The others are all there, in code order, with large counts
	 * written with separators. */
	for (size_t k = 0; k < 14; k++) {
		kith_health_code code;
		assert_int_equal(kith_health_finding(hl, k, &code, NULL, NULL, NULL, NULL), KITH_OK);
		assert_int_equal(code, k == 0 ? KITH_HEALTH_SIZE : (kith_health_code)(k + 2));
	}
	assert_non_null(strstr(get(hl, KITH_HEALTH_SIZE).text, "1,200 present members: over 150"));
	assert_int_equal(kith_health_worst(hl), KITH_SEVERITY_WARNING); /* size, not full */
	kith_health_free(hl);
	/* Setting one brings the finding back; 0 takes it away again. */
	set(c, "community.capacity", "1000");
	hl = diagnose(c, T0);
	assert_string_equal(get(hl, KITH_HEALTH_CAPACITY).text,
	                    "1,200 of 1,000 places taken (120%): full, no room for newcomers");
	kith_health_free(hl);
	set(c, "community.capacity", "0");
	hl = diagnose(c, T0);
	assert_int_equal(kith_health_find(hl, KITH_HEALTH_CAPACITY, &i), KITH_ENOTFOUND);
	kith_health_free(hl);
	kith_community_free(c);
}

/* ---- a dead group ------------------------------------------------------------------- */

static void dead_after_five_days_without_a_member_message(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	join(c, T0, "m");
	join(c, T0, "boss");
	grant(c, T0, "boss", "admin");
	say(c, T0 + DAY, "m", KITH_KIND_TEXT);
	/* The admin's own message does not keep the group alive. */
	say(c, T0 + 5 * DAY, "boss", KITH_KIND_TEXT);
	const int64_t last = T0 + DAY;
	kith_health *hl = diagnose(c, last + 4 * DAY);
	expect(hl, KITH_HEALTH_DEAD, KITH_SEVERITY_OK, 4, 5);
	assert_string_equal(get(hl, KITH_HEALTH_DEAD).text,
	                    "the last member message was 4 d ago (dead after 5 days)");
	kith_health_free(hl);
	hl = diagnose(c, last + 5 * DAY - 1);
	expect(hl, KITH_HEALTH_DEAD, KITH_SEVERITY_OK, 5.0 - 1.0 / (double)DAY, 5);
	kith_health_free(hl);
	hl = diagnose(c, last + 5 * DAY);
	expect(hl, KITH_HEALTH_DEAD, KITH_SEVERITY_CRITICAL, 5, 5);
	assert_string_equal(
	        get(hl, KITH_HEALTH_DEAD).text,
	        "the last member message was 5 d ago: the group is dead (no member message "
	        "for 5 days)");
	kith_health_free(hl);
	set(c, "health.dead_days", "6");
	hl = diagnose(c, last + 5 * DAY);
	expect(hl, KITH_HEALTH_DEAD, KITH_SEVERITY_OK, 5, 6);
	kith_health_free(hl);
	kith_community_free(c);

	/* Nobody ever spoke: silent since the earliest present member joined. */
	c = test_community_new(NULL);
	join(c, T0, "a");
	join(c, T0 + DAY, "b");
	hl = diagnose(c, T0 + 5 * DAY);
	expect(hl, KITH_HEALTH_DEAD, KITH_SEVERITY_CRITICAL, 5, 5);
	kith_health_free(hl);
	kith_community_free(c);

	/* An empty community is not dead; nothing can be measured. */
	c = test_community_new(NULL);
	hl = diagnose(c, T0);
	expect(hl, KITH_HEALTH_DEAD, KITH_SEVERITY_OK, NAN, 5);
	expect(hl, KITH_HEALTH_ACTIVE_SHORT, KITH_SEVERITY_OK, NAN, 0.2);
	expect(hl, KITH_HEALTH_MESSAGES_PER_DAY, KITH_SEVERITY_WARNING, 0, 10);
	expect(hl, KITH_HEALTH_CONCENTRATION, KITH_SEVERITY_OK, NAN, 3);
	expect(hl, KITH_HEALTH_RETENTION, KITH_SEVERITY_OK, NAN, 0.5);
	kith_health_free(hl);
	kith_community_free(c);
}

/* ---- active shares, lurkers, retention ---------------------------------------------- */

static void active_shares_with_their_previous_windows(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	join_many(c, T0, "m", 10);
	/* Day numbers relative to T0's day; now is at noon of day 60. The
	 * short window is days 54..60 (before: 47..53), the long one days
	 * 31..60 (before: 1..30). */
	say(c, T0 + 10 * DAY, "m5", KITH_KIND_TEXT);
	say(c, T0 + 20 * DAY, "m0", KITH_KIND_TEXT);
	say(c, T0 + 40 * DAY, "m4", KITH_KIND_TEXT);
	say(c, T0 + 48 * DAY, "m0", KITH_KIND_TEXT);
	say(c, T0 + 50 * DAY, "m3", KITH_KIND_TEXT);
	say(c, T0 + 59 * DAY, "m0", KITH_KIND_TEXT);
	say(c, T0 + 59 * DAY, "m1", KITH_KIND_TEXT);
	say(c, T0 + 59 * DAY, "m2", KITH_KIND_TEXT);
	const int64_t now = T0 + 60 * DAY + 12 * HOUR;
	kith_health *hl = diagnose(c, now);
	/* Short: m0 m1 m2; long: and m3 m4. Before: m0 (day 48) and m3 (day
	 * 50); m5 (day 10) and m0 (day 20). */
	expect(hl, KITH_HEALTH_ACTIVE_SHORT, KITH_SEVERITY_OK, 0.3, 0.2);
	expect_previous(hl, KITH_HEALTH_ACTIVE_SHORT, 0.2);
	expect(hl, KITH_HEALTH_ACTIVE_LONG, KITH_SEVERITY_OK, 0.5, 0.4);
	expect_previous(hl, KITH_HEALTH_ACTIVE_LONG, 0.2);
	assert_string_equal(
	        get(hl, KITH_HEALTH_ACTIVE_SHORT).text,
	        "30% of present members spoke in the last 7 days (at least 20% wanted); 20% "
	        "in the 7 days before");
	/* m6..m9 never spoke. */
	expect(hl, KITH_HEALTH_LURKERS, KITH_SEVERITY_OK, 0.4, 0.7);
	/* Nobody joined in the last 30 days. */
	expect(hl, KITH_HEALTH_RETENTION, KITH_SEVERITY_OK, NAN, 0.5);
	kith_health_free(hl);

	/* A newcomer who speaks: counted now, not in the windows before. */
	join(c, T0 + 59 * DAY + HOUR, "n");
	say(c, T0 + 59 * DAY + 2 * HOUR, "n", KITH_KIND_TEXT);
	set(c, "health.min_active_share", "0.5");
	hl = diagnose(c, now);
	expect(hl, KITH_HEALTH_ACTIVE_SHORT, KITH_SEVERITY_WARNING, 4.0 / 11, 0.5);
	expect_previous(hl, KITH_HEALTH_ACTIVE_SHORT, 0.2);
	expect(hl, KITH_HEALTH_ACTIVE_LONG, KITH_SEVERITY_OK, 6.0 / 11, 0.4);
	expect_previous(hl, KITH_HEALTH_ACTIVE_LONG, 0.2);
	expect(hl, KITH_HEALTH_LURKERS, KITH_SEVERITY_OK, 0.4, 0.7);
	expect(hl, KITH_HEALTH_RETENTION, KITH_SEVERITY_OK, 1, 0.5);
	kith_health_free(hl);
	/* A 3-day short window: days 58..60 hold m0 m1 m2 n; the 3 days
	 * before, 55..57, nobody. */
	set(c, "health.window_days", "3");
	hl = diagnose(c, now);
	expect(hl, KITH_HEALTH_ACTIVE_SHORT, KITH_SEVERITY_WARNING, 4.0 / 11, 0.5);
	expect_previous(hl, KITH_HEALTH_ACTIVE_SHORT, 0);
	kith_health_free(hl);
	kith_community_free(c);
}

static void roles_envelopes_lurkers_and_retention(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	join_many(c, T0, "p", 20);
	grant(c, T0, "p0", "opinion-leader");
	grant(c, T0, "p1", "opinion-leader");
	grant(c, T0, "p2", "expert");
	char id[8];
	for (int i = 10; i <= 14; i++) {
		snprintf(id, sizeof id, "p%d", i);
		event(c, KITH_EVENT_ENVELOPE, T0 + DAY, id, NULL, NULL, KITH_OP_CLAIM, 0, 0);
	}
	for (int i = 3; i <= 11; i++) {
		snprintf(id, sizeof id, "p%d", i);
		say(c, T0 + 19 * DAY, id, KITH_KIND_TEXT);
	}
	say(c, T0 + 19 * DAY, "p12", KITH_KIND_STICKER);
	const int64_t now = T0 + 20 * DAY;
	kith_health *hl = diagnose(c, now);
	expect(hl, KITH_HEALTH_OPINION_LEADERS, KITH_SEVERITY_OK, 0.1, 0.1);
	expect(hl, KITH_HEALTH_EXPERTS, KITH_SEVERITY_INFO, 0.05, 0.2);
	assert_string_equal(get(hl, KITH_HEALTH_EXPERTS).text,
	                    "experts: 1 of 20 present members (5%; target 20%)");
	/* p12 (stickers only), p13, p14 among the 12 who spoke or claimed. */
	expect(hl, KITH_HEALTH_ENVELOPE_DEPENDENCE, KITH_SEVERITY_WARNING, 0.25, 0.2);
	/* p0..p2 and p13..p19 never spoke: 10 of 20. */
	expect(hl, KITH_HEALTH_LURKERS, KITH_SEVERITY_OK, 0.5, 0.7);
	/* All 20 joined within the last 30 days; 10 spoke in the last 7. */
	expect(hl, KITH_HEALTH_RETENTION, KITH_SEVERITY_OK, 0.5, 0.5);
	kith_health_free(hl);

	/* One who joins and leaves lowers retention to 10/21. */
	join(c, now - HOUR, "q");
	event(c, KITH_EVENT_LEAVE, now - HOUR / 2, "q", NULL, NULL, 0, 0, 0);
	hl = diagnose(c, now);
	expect(hl, KITH_HEALTH_RETENTION, KITH_SEVERITY_WARNING, 10.0 / 21, 0.5);
	expect(hl, KITH_HEALTH_SIZE, KITH_SEVERITY_OK, 20, 50);
	kith_health_free(hl);
	/* A 10-day long window holds no join but q's. */
	set(c, "health.long_window_days", "10");
	hl = diagnose(c, now);
	expect(hl, KITH_HEALTH_RETENTION, KITH_SEVERITY_WARNING, 0, 0.5);
	kith_health_free(hl);
	set(c, "health.expert_share", "0.05");
	set(c, "health.max_envelope_share", "0.25");
	hl = diagnose(c, now);
	expect(hl, KITH_HEALTH_EXPERTS, KITH_SEVERITY_OK, 0.05, 0.05);
	expect(hl, KITH_HEALTH_ENVELOPE_DEPENDENCE, KITH_SEVERITY_OK, 0.25, 0.25);
	kith_health_free(hl);
	kith_community_free(c);
}

/* ---- figures of the recent messages -------------------------------------------------- */

static void message_figures_and_their_trends(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	join(c, T0, "boss");
	grant(c, T0, "boss", "admin");
	join_many(c, T0, "w", 5);
	const int64_t now = T0 + 20 * DAY;
	/* The week before: w1 3, w2 2, w3 2 texts: 7 messages, 1 a day, all
	 * high-value; 2 writers make half (3 + 2 >= 3.5). */
	int64_t t = now - 13 * DAY;
	const char *before[] = {"w1", "w1", "w1", "w2", "w2", "w3", "w3"};
	for (int i = 0; i < 7; i++)
		say(c, t += 10 * 60000, before[i], KITH_KIND_TEXT);
	/* This week: w1 6 photos, w2 4 stickers (3 addressed to w1), w3 2
	 * texts, boss 1 text, w4 1 sticker: 14 messages, 2 a day; high-value
	 * (0.5 and up): 6 photos (0.9) and 3 texts (1), 9 of 14. */
	t = now - 6 * DAY;
	for (int i = 0; i < 6; i++)
		say(c, t += 10 * 60000, "w1", KITH_KIND_PHOTO);
	for (int i = 0; i < 4; i++)
		event(c, KITH_EVENT_MESSAGE, t += 10 * 60000, "w2", NULL, i < 3 ? "w1" : NULL, 0,
		      KITH_KIND_STICKER, 0);
	say(c, t += 10 * 60000, "w3", KITH_KIND_TEXT);
	say(c, t += 10 * 60000, "w3", KITH_KIND_TEXT);
	say(c, t += 10 * 60000, "boss", KITH_KIND_TEXT);
	say(c, t += 10 * 60000, "w4", KITH_KIND_STICKER);
	/* Four reactions to w1 (credited to w1 alone, no message named). */
	for (int i = 0; i < 4; i++)
		event(c, KITH_EVENT_REACTION, t += 60000, "w3", NULL, "w1", 0, 0, 0);

	kith_health *hl = diagnose(c, now);
	expect(hl, KITH_HEALTH_MESSAGES_PER_DAY, KITH_SEVERITY_WARNING, 2, 10);
	expect_previous(hl, KITH_HEALTH_MESSAGES_PER_DAY, 1);
	/* 3 replies and 4 reactions over 21 messages ever: a third of an
	 * interaction a message. */
	expect(hl, KITH_HEALTH_INTERACTIONS_PER_DAY, KITH_SEVERITY_WARNING, 2.0 / 3, 3);
	expect_previous(hl, KITH_HEALTH_INTERACTIONS_PER_DAY, 1.0 / 3);
	expect(hl, KITH_HEALTH_VALUE_RATIO, KITH_SEVERITY_OK, 9.0 / 14, 0.4);
	expect_previous(hl, KITH_HEALTH_VALUE_RATIO, 1);
	/* 6 + 4 >= 7: two writers wrote half. */
	expect(hl, KITH_HEALTH_CONCENTRATION, KITH_SEVERITY_WARNING, 2, 3);
	expect_previous(hl, KITH_HEALTH_CONCENTRATION, 2);
	expect(hl, KITH_HEALTH_OFFICIAL_VOICE, KITH_SEVERITY_OK, 1.0 / 14, 0.3);
	expect_previous(hl, KITH_HEALTH_OFFICIAL_VOICE, 0);
	assert_string_equal(get(hl, KITH_HEALTH_MESSAGES_PER_DAY).text,
	                    "2 messages a day over the last 7 days (at least 10 wanted); 1 before");
	assert_string_equal(
	        get(hl, KITH_HEALTH_CONCENTRATION).text,
	        "2 members wrote half of the last 7 days' messages (at least 3 wanted); 2 before");

	char *json = health_json(hl);
	assert_non_null(
	        strstr(json, "{\"code\":\"messages-per-day\",\"severity\":\"warning\",\"figure\":2,"
	                     "\"threshold\":10,\"previous\":1,\"trend\":\"up\","));
	assert_non_null(
	        strstr(json, "\"code\":\"value-ratio\",\"severity\":\"ok\",\"figure\":0.642857143,"
	                     "\"threshold\":0.4,\"previous\":1,\"trend\":\"down\","));
	assert_non_null(strstr(json,
	                       "\"code\":\"concentration\",\"severity\":\"warning\",\"figure\":2,"
	                       "\"threshold\":3,\"previous\":2,\"trend\":\"flat\","));
	assert_non_null(
	        strstr(json, "\"code\":\"size\",\"severity\":\"ok\",\"figure\":6,\"threshold\":50,"
	                     "\"previous\":null,\"trend\":null,"));
	free(json);
	kith_health_free(hl);

	/* With the official share capped at 5%, the boss's 1 in 14 is too much. */
	set(c, "health.max_official_share", "0.05");
	set(c, "health.min_half_writers", "2");
	hl = diagnose(c, now);
	expect(hl, KITH_HEALTH_OFFICIAL_VOICE, KITH_SEVERITY_WARNING, 1.0 / 14, 0.05);
	expect(hl, KITH_HEALTH_CONCENTRATION, KITH_SEVERITY_OK, 2, 2);
	kith_health_free(hl);
	kith_community_free(c);
}

static void rates_over_the_part_of_the_window_the_ledger_holds(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	set(c, "ledger.capacity", "16");
	join(c, T0, "w");
	/* One message an hour for 40 hours; the ledger keeps the last 16,
	 * which span 16 hours: 24 a day. */
	for (int k = 0; k < 40; k++)
		say(c, T0 + k * HOUR, "w", KITH_KIND_TEXT);
	kith_health *hl = diagnose(c, T0 + 40 * HOUR);
	expect(hl, KITH_HEALTH_MESSAGES_PER_DAY, KITH_SEVERITY_OK, 24, 10);
	/* The week before lies outside what the ledger holds. */
	expect_previous(hl, KITH_HEALTH_MESSAGES_PER_DAY, NAN);
	assert_string_equal(get(hl, KITH_HEALTH_MESSAGES_PER_DAY).text,
	                    "24 messages a day over the last 16 h (at least 10 wanted)");
	/* One writer wrote everything. */
	expect(hl, KITH_HEALTH_CONCENTRATION, KITH_SEVERITY_WARNING, 1, 3);
	kith_health_free(hl);
	kith_community_free(c);
}

/* Big figures read as people write them: separators, never an exponent
 * (a busy IRC channel read "1.17e+03 messages a day"). */
static void big_figures_have_separators_and_no_exponent(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	set(c, "ledger.capacity", "16");
	set(c, "health.min_messages_per_day", "5000");
	join(c, T0, "w");
	/* One message every 30 s for 20 min; the ledger keeps the last 16,
	 * which span the last 8 min: 2,880 a day. */
	for (int k = 0; k < 40; k++)
		say(c, T0 + k * 30000, "w", KITH_KIND_TEXT);
	kith_health *hl = diagnose(c, T0 + 40 * 30000);
	expect(hl, KITH_HEALTH_MESSAGES_PER_DAY, KITH_SEVERITY_WARNING, 2880, 5000);
	assert_string_equal(get(hl, KITH_HEALTH_MESSAGES_PER_DAY).text,
	                    "2,880 messages a day over the last 8 min (at least 5,000 wanted)");
	assert_string_equal(get(hl, KITH_HEALTH_INTERACTIONS_PER_DAY).text,
	                    "about 0 interactions (replies and reactions) a day over the last "
	                    "8 min (at least 3 wanted)");
	kith_health_free(hl);
	kith_community_free(c);
}

/* ---- JSON, bad arguments, allocation failures ---------------------------------------- */

static void diagnosis_renders_as_json(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	set(c, "community.capacity", "500"); /* all 15 findings */
	join(c, T0, "solo");
	kith_health *hl = diagnose(c, T0 + 5 * DAY);
	char *json = health_json(hl);
	const char *head =
	        "{\"now_ms\":1700352000000,\"worst\":\"critical\",\"findings\":[{\"code\":\"size\","
	        "\"severity\":\"ok\",\"figure\":1,\"threshold\":50,\"previous\":null,"
	        "\"trend\":null,\"explanation\":\"1 present member: under 50, an intimate "
	        "group where everyone can know everyone\"},{\"code\":\"capacity\"";
	assert_memory_equal(json, head, strlen(head));
	static const char *const names[] = {"size",
	                                    "capacity",
	                                    "active-short",
	                                    "active-long",
	                                    "messages-per-day",
	                                    "interactions-per-day",
	                                    "value-ratio",
	                                    "lurkers",
	                                    "opinion-leaders",
	                                    "experts",
	                                    "retention",
	                                    "concentration",
	                                    "envelope-dependence",
	                                    "official-voice",
	                                    "dead"};
	for (int code = 1; code <= 15; code++) {
		char key[64];
		snprintf(key, sizeof key, "{\"code\":\"%s\"", names[code - 1]);
		assert_non_null(strstr(json, key));
		assert_string_equal(kith_health_code_name((kith_health_code)code), names[code - 1]);
		kith_health_code got;
		assert_int_equal(
		        kith_health_finding(hl, (size_t)code - 1, &got, NULL, NULL, NULL, NULL),
		        KITH_OK);
		assert_int_equal(got, code);
	}
	/* Figures that cannot be measured are null. */
	assert_non_null(
	        strstr(json, "{\"code\":\"concentration\",\"severity\":\"ok\",\"figure\":null,"));
	char small[8];
	size_t need = 0;
	assert_int_equal(kith_health_to_json(hl, small, sizeof small, &need), KITH_OK);
	assert_int_equal(need, strlen(json));
	assert_string_equal(small, "{\"now_m");
	free(json);
	kith_health_free(hl);
	kith_community_free(c);
}

static void bad_arguments(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	kith_health *hl = (kith_health *)&hl;
	assert_int_equal(kith_health_new(NULL, T0, &hl), KITH_EINVAL);
	assert_null(hl);
	assert_int_equal(kith_health_new(c, T0, NULL), KITH_EINVAL);
	assert_int_equal(kith_health_new(c, KITH_TIME_NONE, &hl), KITH_EINVAL);
	assert_null(hl);
	assert_non_null(strstr(kith_community_last_error(c), "KITH_TIME_NONE"));
	hl = diagnose(c, T0);
	size_t i;
	assert_int_equal(kith_health_find(hl, (kith_health_code)16, &i), KITH_ENOTFOUND);
	assert_int_equal(kith_health_find(hl, KITH_HEALTH_DEAD, NULL), KITH_EINVAL);
	assert_int_equal(kith_health_find(NULL, KITH_HEALTH_DEAD, &i), KITH_EINVAL);
	assert_int_equal(kith_health_finding(hl, 15, NULL, NULL, NULL, NULL, NULL), KITH_ENOTFOUND);
	assert_int_equal(kith_health_finding(NULL, 0, NULL, NULL, NULL, NULL, NULL), KITH_EINVAL);
	assert_null(kith_health_explanation(hl, 15));
	assert_null(kith_health_explanation(NULL, 0));
	assert_int_equal(kith_health_count(NULL), 0);
	assert_int_equal(kith_health_worst(NULL), KITH_SEVERITY_OK);
	assert_int_equal(kith_health_to_json(NULL, NULL, 0, NULL), KITH_EINVAL);
	assert_int_equal(kith_health_to_json(hl, NULL, 3, NULL), KITH_EINVAL);
	assert_string_equal(kith_health_code_name((kith_health_code)0), "unknown");
	assert_string_equal(kith_health_code_name((kith_health_code)16), "unknown");
	assert_string_equal(kith_severity_name(KITH_SEVERITY_WARNING), "warning");
	assert_string_equal(kith_severity_name((kith_severity)4), "unknown");
	assert_string_equal(kith_severity_name((kith_severity)-1), "unknown");
	kith_health_free(hl);
	kith_health_free(NULL);
	assert_int_equal(kith_setting_set(c, "health.window_days", KITH_NUL_TERMINATED, "65",
	                                  KITH_NUL_TERMINATED),
	                 KITH_ERANGE);
	assert_int_equal(kith_setting_set(c, "health.min_retention", KITH_NUL_TERMINATED, "-0.1",
	                                  KITH_NUL_TERMINATED),
	                 KITH_ERANGE);
	kith_community_free(c);
}

static kith_status make_health(kith_community *c, int64_t now, void **out)
{
	kith_health *hl = *out; /* the caller's sentinel: must become NULL on failure */
	kith_status st = kith_health_new(c, now, &hl);
	*out = hl;
	return st;
}

static char *render_health(const void *hl) { return health_json(hl); }

static void release_health(void *hl) { kith_health_free(hl); }

static void allocation_failures_change_nothing(void **state)
{
	(void)state;
	struct test_alloc ta = {0};
	kith_community *c = test_community_new(&ta);
	join_many(c, T0, "m", 30);
	char id[8];
	for (int i = 0; i < 30; i++) {
		snprintf(id, sizeof id, "m%d", i);
		say(c, T0 + DAY + i * HOUR, id, KITH_KIND_TEXT);
	}
	const int64_t now = T0 + 3 * DAY;
	kith_health *ref = diagnose(c, now);
	char *want = health_json(ref);
	kith_health_free(ref);
	static const struct test_engine health = {make_health, render_health, release_health};
	int failures = test_each_allocation_fails(c, &ta, now, &health, want);
	/* The result, its scratch space, its strings. */
	assert_true(failures >= 3);
	free(want);
	kith_community_free(c);
	assert_int_equal(ta.live_bytes, 0);
}

/* ---- the generated sample ------------------------------------------------------------- */

static void sample_size_and_silence_match_the_trace(void **state)
{
	(void)state;
	const char *dir = getenv("KITH_EXAMPLES_DATA");
	if (!dir)
		skip();
	char path[1024];
	size_t trace_len, charter_len, truth_len;
	snprintf(path, sizeof path, "%s/sample.trace", dir);
	char *trace = test_read_file(path, &trace_len);
	snprintf(path, sizeof path, "%s/sample.charter", dir);
	char *charter = test_read_file(path, &charter_len);
	snprintf(path, sizeof path, "%s/sample.truth", dir);
	char *truth = test_read_file(path, &truth_len);
	assert_non_null(trace);
	assert_non_null(charter);
	assert_non_null(truth);

	kith_community *c = test_community_new(NULL);
	assert_int_equal(kith_community_apply_charter(c, charter, charter_len), KITH_OK);
	assert_int_equal(kith_community_ingest_trace(c, trace, trace_len, NULL), KITH_OK);

	/* Count from the trace: members present at the end (an id's first
	 * event makes it present; leave, kick and ban make it absent; join,
	 * msg, react and attend present), and the last message by anyone the
	 * truth does not call owner or admin. */
	static char ids[1024][64];
	static int present[1024], staff[1024];
	size_t n = 0;
	int64_t last_member_msg = INT64_MIN, last_event = 0;
	for (char *line = strtok(trace, "\n"); line; line = strtok(NULL, "\n")) {
		if (line[0] == '#' || strncmp(line, "kith-trace", 10) == 0)
			continue;
		char type[16] = "", actor[64] = "";
		long long when;
		assert_int_equal(sscanf(line, "%lld\t%15[^\t]\t%63[^\t]", &when, type, actor), 3);
		last_event = when;
		size_t k = 0;
		while (k < n && strcmp(ids[k], actor) != 0)
			k++;
		if (k == n) {
			snprintf(ids[n], sizeof ids[n], "%s", actor);
			present[n] = 1;
			n++;
		}
		if (!strcmp(type, "leave") || !strcmp(type, "kick") || !strcmp(type, "ban"))
			present[k] = 0;
		else if (!strcmp(type, "join") || !strcmp(type, "msg") || !strcmp(type, "react") ||
		         !strcmp(type, "attend"))
			present[k] = 1;
	}
	for (char *line = strtok(truth, "\n"); line; line = strtok(NULL, "\n")) {
		char id[64], cat[32];
		assert_int_equal(sscanf(line, "%63[^\t]\t%31s", id, cat), 2);
		for (size_t k = 0; k < n; k++)
			if (!strcmp(ids[k], id))
				staff[k] = !strcmp(cat, "owner") || !strcmp(cat, "admin");
	}
	/* The trace was consumed by strtok: read it again for messages. */
	free(trace);
	snprintf(path, sizeof path, "%s/sample.trace", dir);
	trace = test_read_file(path, &trace_len);
	for (char *line = strtok(trace, "\n"); line; line = strtok(NULL, "\n")) {
		char type[16] = "", actor[64] = "";
		long long when;
		if (sscanf(line, "%lld\t%15[^\t]\t%63[^\t]", &when, type, actor) != 3 ||
		    strcmp(type, "msg"))
			continue;
		for (size_t k = 0; k < n; k++)
			if (!strcmp(ids[k], actor) && !staff[k] && when > last_member_msg)
				last_member_msg = when;
	}
	int count = 0;
	for (size_t k = 0; k < n; k++)
		count += present[k];

	const int64_t now = last_event + 2 * DAY;
	kith_health *hl = diagnose(c, now);
	expect(hl, KITH_HEALTH_SIZE, count > 150 ? KITH_SEVERITY_WARNING : KITH_SEVERITY_INFO,
	       count, 150);
	expect(hl, KITH_HEALTH_DEAD, KITH_SEVERITY_OK,
	       (double)(now - last_member_msg) / (double)DAY, 5);
	kith_health_free(hl);
	kith_community_free(c);
	free(trace);
	free(charter);
	free(truth);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(size_regimes_at_their_boundaries),
	        cmocka_unit_test(capacity_nearly_full_and_full),
	        cmocka_unit_test(no_capacity_finding_while_capacity_is_unset),
	        cmocka_unit_test(dead_after_five_days_without_a_member_message),
	        cmocka_unit_test(active_shares_with_their_previous_windows),
	        cmocka_unit_test(roles_envelopes_lurkers_and_retention),
	        cmocka_unit_test(message_figures_and_their_trends),
	        cmocka_unit_test(rates_over_the_part_of_the_window_the_ledger_holds),
	        cmocka_unit_test(big_figures_have_separators_and_no_exponent),
	        cmocka_unit_test(diagnosis_renders_as_json),
	        cmocka_unit_test(bad_arguments),
	        cmocka_unit_test(allocation_failures_change_nothing),
	        cmocka_unit_test(sample_size_and_silence_match_the_trace),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
