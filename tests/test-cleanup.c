/* The cleanup engine: reasons, stages, the ultimatum's life cycle,
 * protections, order and ties, targets, the cap, JSON, bad arguments,
 * allocation failures, and the generated sample community.
 * Every figure below is worked out by hand from the scenario it follows.
 * SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/community.h"
#include "model/members.h"
#include "testutil.h"

#define HOUR INT64_C(3600000)
#define DAY  (24 * HOUR)
/* A UTC midnight (2023-11-14). */
#define T0 INT64_C(1699920000000)

/* ---- helpers ------------------------------------------------------------------- */

static void event(kith_community *c, kith_event_type type, int64_t t, const char *actor,
                  const char *name, uint32_t op, uint32_t kind)
{
	kith_event ev = KITH_EVENT_INIT;
	ev.type = (uint32_t)type;
	ev.time_ms = t;
	ev.actor = actor;
	ev.actor_len = KITH_NUL_TERMINATED;
	ev.name = name;
	ev.name_len = KITH_NUL_TERMINATED;
	ev.op = op;
	ev.kind = kind;
	if (kith_community_ingest(c, &ev) != KITH_OK)
		fail_msg("event %d of %s: %s", (int)type, actor, kith_community_last_error(c));
}

static void join(kith_community *c, int64_t t, const char *id)
{
	test_join(c, t, id, NULL);
}
static void say(kith_community *c, int64_t t, const char *id, kith_kind kind)
{
	event(c, KITH_EVENT_MESSAGE, t, id, NULL, 0, (uint32_t)kind);
}
static void nick(kith_community *c, int64_t t, const char *id, const char *name)
{
	event(c, KITH_EVENT_NICK, t, id, name, 0, 0);
}
static void grant(kith_community *c, int64_t t, const char *id, const char *role)
{
	event(c, KITH_EVENT_ROLE, t, id, role, KITH_OP_ADD, 0);
}
static void claim(kith_community *c, int64_t t, const char *id)
{
	event(c, KITH_EVENT_ENVELOPE, t, id, NULL, KITH_OP_CLAIM, 0);
}

static uint32_t h(kith_community *c, const char *id)
{
	uint32_t m = UINT32_MAX;
	if (kith_community_find_member(c, id, KITH_NUL_TERMINATED, &m) != KITH_OK)
		fail_msg("no member %s", id);
	return m;
}

static void set(kith_community *c, const char *name, const char *value)
{
	if (kith_setting_set(c, name, KITH_NUL_TERMINATED, value, KITH_NUL_TERMINATED) != KITH_OK)
		fail_msg("set %s = %s: %s", name, value, kith_community_last_error(c));
}

static kith_cleanup_plan *plan_at(kith_community *c, int64_t now)
{
	kith_cleanup_plan *p = NULL;
	kith_status st = kith_cleanup_plan_new(c, now, &p);
	if (st != KITH_OK)
		fail_msg("plan: %s", kith_community_last_error(c));
	assert_non_null(p);
	return p;
}

static const char *entry_id(kith_community *c, const kith_cleanup_plan *p, size_t i)
{
	uint32_t m;
	assert_int_equal(kith_cleanup_plan_entry(p, i, &m, NULL, NULL), KITH_OK);
	return kith_member_id(c, m, NULL);
}

static void expect_entry(kith_community *c, const kith_cleanup_plan *p, size_t i, const char *id,
                         kith_cleanup_stage stage, kith_cleanup_reason reason)
{
	uint32_t m = UINT32_MAX;
	kith_cleanup_stage st = 0;
	kith_cleanup_reason r = 0;
	assert_int_equal(kith_cleanup_plan_entry(p, i, &m, &st, &r), KITH_OK);
	if (strcmp(kith_member_id(c, m, NULL), id) != 0)
		fail_msg("entry %zu is %s, expected %s", i, kith_member_id(c, m, NULL), id);
	assert_int_equal(st, stage);
	assert_int_equal(r, reason);
}

static int64_t evidence(const kith_cleanup_plan *p, size_t i, kith_cleanup_evidence what)
{
	int64_t v = -12345;
	assert_int_equal(kith_cleanup_plan_evidence(p, i, what, &v), KITH_OK);
	return v;
}

static int64_t summary(const kith_cleanup_plan *p, kith_cleanup_summary what)
{
	int64_t v = -12345;
	assert_int_equal(kith_cleanup_plan_summary(p, what, &v), KITH_OK);
	return v;
}

/* The plan's position of a member, or -1. */
static long position(kith_community *c, const kith_cleanup_plan *p, const char *id)
{
	for (size_t i = 0; i < kith_cleanup_plan_count(p); i++)
		if (strcmp(entry_id(c, p, i), id) == 0)
			return (long)i;
	return -1;
}

/* Violations are the rules engine's to count; the tests set them. */
static void set_violations(kith_community *c, const char *id, uint32_t n)
{
	assert_true(kith_members_reserve_extra(&c->mem, &c->members));
	kith_members_extra_get(&c->members, h(c, id))->violations = n;
}

static char *plan_json(const kith_cleanup_plan *p)
{
	size_t need = 0;
	assert_int_equal(kith_cleanup_plan_to_json(p, NULL, 0, &need), KITH_OK);
	char *buf = malloc(need + 1);
	assert_non_null(buf);
	size_t again = 0;
	assert_int_equal(kith_cleanup_plan_to_json(p, buf, need + 1, &again), KITH_OK);
	assert_int_equal(again, need);
	assert_int_equal(strlen(buf), need);
	return buf;
}

#define REASONS(...) reasons_mask((int[]){__VA_ARGS__, 0})
static int64_t reasons_mask(const int *r)
{
	int64_t m = 0;
	for (; *r; r++)
		m |= INT64_C(1) << *r;
	return m;
}

/* ---- reasons ------------------------------------------------------------------- */

static void never_spoke_and_silent_at_their_boundaries(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	const int64_t now = T0 + 40 * DAY;
	join(c, T0, "a");
	join(c, T0, "b");
	join(c, T0, "c");
	join(c, T0, "d");
	join(c, T0, "e");
	say(c, T0 + DAY, "b", KITH_KIND_TEXT);
	say(c, now - 30 * DAY, "d", KITH_KIND_TEXT);     /* exactly 30 days: silent */
	say(c, now - 30 * DAY + 1, "e", KITH_KIND_TEXT); /* a millisecond short */
	say(c, now - DAY, "c", KITH_KIND_TEXT);
	kith_cleanup_plan *p = plan_at(c, now);
	assert_int_equal(kith_cleanup_plan_count(p), 3);
	/* Longest silent first: a since its join at T0, b since T0 + 1 d, d
	 * since now - 30 d. */
	expect_entry(c, p, 0, "a", KITH_CLEANUP_STAGE_ULTIMATUM, KITH_CLEANUP_NEVER_SPOKE);
	expect_entry(c, p, 1, "b", KITH_CLEANUP_STAGE_ULTIMATUM, KITH_CLEANUP_SILENT);
	expect_entry(c, p, 2, "d", KITH_CLEANUP_STAGE_ULTIMATUM, KITH_CLEANUP_SILENT);
	assert_int_equal(evidence(p, 0, KITH_CLEANUP_EVIDENCE_SILENT_MS), 40 * DAY);
	assert_int_equal(evidence(p, 0, KITH_CLEANUP_EVIDENCE_LAST_MSG_MS), KITH_TIME_NONE);
	assert_int_equal(evidence(p, 0, KITH_CLEANUP_EVIDENCE_JOINED_MS), T0);
	assert_int_equal(evidence(p, 0, KITH_CLEANUP_EVIDENCE_MESSAGES), 0);
	assert_int_equal(evidence(p, 0, KITH_CLEANUP_EVIDENCE_REASONS),
	                 REASONS(KITH_CLEANUP_NEVER_SPOKE));
	assert_int_equal(evidence(p, 1, KITH_CLEANUP_EVIDENCE_SILENT_MS), 39 * DAY);
	assert_int_equal(evidence(p, 1, KITH_CLEANUP_EVIDENCE_LAST_MSG_MS), T0 + DAY);
	assert_int_equal(evidence(p, 1, KITH_CLEANUP_EVIDENCE_MESSAGES), 1);
	assert_int_equal(evidence(p, 1, KITH_CLEANUP_EVIDENCE_REAL_MESSAGES), 1);
	assert_int_equal(evidence(p, 2, KITH_CLEANUP_EVIDENCE_SILENT_MS), 30 * DAY);
	/* An ultimatum to give: now + 12 h; none issued yet. */
	assert_int_equal(evidence(p, 0, KITH_CLEANUP_EVIDENCE_DEADLINE_MS), now + 12 * HOUR);
	assert_int_equal(evidence(p, 0, KITH_CLEANUP_EVIDENCE_ISSUED_MS), KITH_TIME_NONE);
	assert_string_equal(kith_cleanup_plan_explanation(p, 0),
	                    "never spoke in the 40 days since joining (allowed: 3 d); warn now: "
	                    "deadline in 12 h");
	assert_string_equal(kith_cleanup_plan_explanation(p, 1),
	                    "silent for 39 days (limit 30 days); warn now: deadline in 12 h");
	/* Five present; c and e spoke within 30 days, d exactly 30 days ago. */
	assert_int_equal(summary(p, KITH_CLEANUP_SUMMARY_PRESENT), 5);
	assert_int_equal(summary(p, KITH_CLEANUP_SUMMARY_ACTIVE), 2);
	assert_int_equal(summary(p, KITH_CLEANUP_SUMMARY_CANDIDATES), 3);
	assert_int_equal(summary(p, KITH_CLEANUP_SUMMARY_WAITING), 0);
	assert_int_equal(summary(p, KITH_CLEANUP_SUMMARY_NEEDED), -1);
	assert_int_equal(summary(p, KITH_CLEANUP_SUMMARY_TARGET_MET), -1);
	assert_int_equal(summary(p, KITH_CLEANUP_SUMMARY_PROTECTED), 0);
	kith_cleanup_plan_free(p);

	/* A longer limit spares b and d; never-spoke has its own grace. */
	set(c, "cleanup.silent_days", "40");
	p = plan_at(c, now);
	assert_int_equal(kith_cleanup_plan_count(p), 1);
	expect_entry(c, p, 0, "a", KITH_CLEANUP_STAGE_ULTIMATUM, KITH_CLEANUP_NEVER_SPOKE);
	kith_cleanup_plan_free(p);
	kith_community_free(c);
}

static void speak_within_counts_from_the_last_join(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	set(c, "cleanup.newcomer_grace", "0 s");
	set(c, "cleanup.speak_within", "2 d");
	join(c, T0, "early");
	join(c, T0 + DAY, "late");
	const int64_t now = T0 + 3 * DAY;
	/* early: 3 days without a word; late: 2 days exactly. */
	kith_cleanup_plan *p = plan_at(c, now);
	assert_int_equal(kith_cleanup_plan_count(p), 2);
	expect_entry(c, p, 0, "early", KITH_CLEANUP_STAGE_ULTIMATUM, KITH_CLEANUP_NEVER_SPOKE);
	expect_entry(c, p, 1, "late", KITH_CLEANUP_STAGE_ULTIMATUM, KITH_CLEANUP_NEVER_SPOKE);
	kith_cleanup_plan_free(p);
	p = plan_at(c, now - 1);
	assert_int_equal(kith_cleanup_plan_count(p), 1);
	expect_entry(c, p, 0, "early", KITH_CLEANUP_STAGE_ULTIMATUM, KITH_CLEANUP_NEVER_SPOKE);
	kith_cleanup_plan_free(p);
	kith_community_free(c);
}

static void silence_restarts_at_a_rejoin(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	join(c, T0, "r");
	say(c, T0 + DAY, "r", KITH_KIND_TEXT);
	event(c, KITH_EVENT_LEAVE, T0 + 2 * DAY, "r", NULL, 0, 0);
	join(c, T0 + 35 * DAY, "r");
	/* Spoke 39 days before now but rejoined 5 days before: silent 5 days. */
	kith_cleanup_plan *p = plan_at(c, T0 + 40 * DAY);
	assert_int_equal(kith_cleanup_plan_count(p), 0);
	kith_cleanup_plan_free(p);
	/* 30 days after the rejoin it is silent again, counted from the join. */
	p = plan_at(c, T0 + 65 * DAY);
	assert_int_equal(kith_cleanup_plan_count(p), 1);
	expect_entry(c, p, 0, "r", KITH_CLEANUP_STAGE_ULTIMATUM, KITH_CLEANUP_SILENT);
	assert_int_equal(evidence(p, 0, KITH_CLEANUP_EVIDENCE_SILENT_MS), 30 * DAY);
	kith_cleanup_plan_free(p);
	kith_community_free(c);
}

static void name_not_matching_the_format(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	set(c, "community.name_format", "^[A-Z][a-z]+-[A-Za-z]+$");
	const int64_t now = T0 + 10 * DAY;
	join(c, T0, "n1");
	join(c, T0, "n2");
	join(c, T0, "n3");
	nick(c, T0 + HOUR, "n1", "bad name");
	nick(c, T0 + HOUR, "n2", "Shanghai-Ops");
	say(c, now - 2 * DAY, "n3", KITH_KIND_TEXT);
	say(c, now - DAY, "n1", KITH_KIND_TEXT);
	say(c, now - DAY, "n2", KITH_KIND_TEXT);
	kith_cleanup_plan *p = plan_at(c, now);
	/* n3 has no display name at all, which does not match either. */
	assert_int_equal(kith_cleanup_plan_count(p), 2);
	expect_entry(c, p, 0, "n3", KITH_CLEANUP_STAGE_ULTIMATUM, KITH_CLEANUP_NAME);
	expect_entry(c, p, 1, "n1", KITH_CLEANUP_STAGE_ULTIMATUM, KITH_CLEANUP_NAME);
	assert_string_equal(
	        kith_cleanup_plan_explanation(p, 1),
	        "display name does not match the required format; warn now: deadline in 12 h");
	assert_int_equal(summary(p, KITH_CLEANUP_SUMMARY_ACTIVE), 3);
	kith_cleanup_plan_free(p);
	/* Without a format nobody's name is wrong. */
	set(c, "community.name_format", "");
	p = plan_at(c, now);
	assert_int_equal(kith_cleanup_plan_count(p), 0);
	kith_cleanup_plan_free(p);
	kith_community_free(c);
}

static void violations_over_the_limit(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	const int64_t now = T0 + 10 * DAY;
	join(c, T0, "v1");
	join(c, T0, "v2");
	say(c, now - HOUR, "v1", KITH_KIND_TEXT);
	say(c, now - HOUR, "v2", KITH_KIND_TEXT);
	set_violations(c, "v1", 3);
	set_violations(c, "v2", 2);
	kith_cleanup_plan *p = plan_at(c, now);
	assert_int_equal(kith_cleanup_plan_count(p), 1);
	expect_entry(c, p, 0, "v1", KITH_CLEANUP_STAGE_ULTIMATUM, KITH_CLEANUP_VIOLATIONS);
	assert_int_equal(evidence(p, 0, KITH_CLEANUP_EVIDENCE_VIOLATIONS), 3);
	assert_string_equal(kith_cleanup_plan_explanation(p, 0),
	                    "3 rule violations (limit 3); warn now: deadline in 12 h");
	kith_cleanup_plan_free(p);
	set(c, "cleanup.max_violations", "2");
	p = plan_at(c, now);
	assert_int_equal(kith_cleanup_plan_count(p), 2);
	kith_cleanup_plan_free(p);
	set(c, "cleanup.max_violations", "0"); /* off */
	p = plan_at(c, now);
	assert_int_equal(kith_cleanup_plan_count(p), 0);
	kith_cleanup_plan_free(p);
	kith_community_free(c);
}

static void envelope_only_members(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	const int64_t now = T0 + 40 * DAY;
	const char *ids[] = {"e1", "e2", "e3", "e4", "e5"};
	for (int i = 0; i < 5; i++)
		join(c, T0, ids[i]);
	claim(c, T0 + DAY, "e1");
	claim(c, T0 + DAY, "e1");
	claim(c, T0 + DAY, "e2");
	claim(c, T0 + DAY, "e3");
	claim(c, T0 + DAY, "e4");
	say(c, now - 20 * DAY, "e3", KITH_KIND_TEXT);
	say(c, now - 5 * DAY, "e4", KITH_KIND_TEXT);
	say(c, now - DAY, "e2", KITH_KIND_STICKER);
	say(c, now - DAY, "e5", KITH_KIND_STICKER);
	kith_cleanup_plan *p = plan_at(c, now);
	/* e1 never spoke, e2 only stickers, e3 nothing for 20 days (over 14);
	 * e4 spoke 5 days ago; e5 claimed nothing. */
	assert_int_equal(kith_cleanup_plan_count(p), 3);
	expect_entry(c, p, 0, "e1", KITH_CLEANUP_STAGE_ULTIMATUM, KITH_CLEANUP_ENVELOPE_ONLY);
	expect_entry(c, p, 1, "e3", KITH_CLEANUP_STAGE_ULTIMATUM, KITH_CLEANUP_ENVELOPE_ONLY);
	expect_entry(c, p, 2, "e2", KITH_CLEANUP_STAGE_ULTIMATUM, KITH_CLEANUP_ENVELOPE_ONLY);
	assert_int_equal(evidence(p, 0, KITH_CLEANUP_EVIDENCE_REASONS),
	                 REASONS(KITH_CLEANUP_NEVER_SPOKE, KITH_CLEANUP_ENVELOPE_ONLY));
	assert_int_equal(evidence(p, 0, KITH_CLEANUP_EVIDENCE_ENVELOPES_CLAIMED), 2);
	assert_int_equal(evidence(p, 2, KITH_CLEANUP_EVIDENCE_MESSAGES), 1);
	assert_int_equal(evidence(p, 2, KITH_CLEANUP_EVIDENCE_REAL_MESSAGES), 0);
	assert_string_equal(
	        kith_cleanup_plan_explanation(p, 0),
	        "claimed 2 red envelopes but never sent a real message (also: never-spoke); "
	        "warn now: deadline in 12 h");
	assert_string_equal(
	        kith_cleanup_plan_explanation(p, 1),
	        "claimed 1 red envelope but sent no message for 20 days (limit 14 days); "
	        "warn now: deadline in 12 h");
	kith_cleanup_plan_free(p);
	kith_community_free(c);
}

static void contribution_score_under_the_minimum(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	set(c, "cleanup.silent_days", "60");
	set(c, "cleanup.min_score", "0.5");
	const int64_t now = T0 + 40 * DAY;
	join(c, T0, "s1");
	join(c, T0, "s2");
	join(c, T0, "s3");
	join(c, T0, "s4");
	/* A photo is worth 0.9 and halves every 30 days. */
	say(c, now - 30 * DAY, "s1", KITH_KIND_PHOTO); /* 0.45 at now */
	say(c, now - 30 * DAY, "s3", KITH_KIND_PHOTO);
	say(c, now - 30 * DAY, "s3", KITH_KIND_PHOTO); /* 0.9 */
	say(c, now - DAY, "s2", KITH_KIND_PHOTO);      /* 0.9 * 2^(-1/30) */
	kith_cleanup_plan *p = plan_at(c, now);
	assert_int_equal(kith_cleanup_plan_count(p), 2);
	expect_entry(c, p, 0, "s4", KITH_CLEANUP_STAGE_ULTIMATUM, KITH_CLEANUP_NEVER_SPOKE);
	assert_int_equal(evidence(p, 0, KITH_CLEANUP_EVIDENCE_REASONS),
	                 REASONS(KITH_CLEANUP_NEVER_SPOKE, KITH_CLEANUP_LOW_SCORE));
	expect_entry(c, p, 1, "s1", KITH_CLEANUP_STAGE_ULTIMATUM, KITH_CLEANUP_LOW_SCORE);
	double score = -1;
	assert_int_equal(kith_cleanup_plan_score(p, 1, &score), KITH_OK);
	assert_true(score > 0.45 * (1 - 1e-6) && score < 0.45 * (1 + 1e-6));
	assert_string_equal(kith_cleanup_plan_explanation(p, 1),
	                    "contribution score 0.45 is under 0.5; warn now: deadline in 12 h");
	kith_cleanup_plan_free(p);
	set(c, "cleanup.min_score", "0");
	p = plan_at(c, now);
	assert_int_equal(kith_cleanup_plan_count(p), 1);
	expect_entry(c, p, 0, "s4", KITH_CLEANUP_STAGE_ULTIMATUM, KITH_CLEANUP_NEVER_SPOKE);
	kith_cleanup_plan_free(p);
	kith_community_free(c);
}

/* ---- stages and the ultimatum ---------------------------------------------------- */

static void expect_ultimatum(kith_community *c, const char *id, int64_t issued, int64_t deadline,
                             kith_cleanup_reason reason)
{
	int64_t i = 0, d = 0;
	kith_cleanup_reason r = 99;
	assert_int_equal(kith_member_ultimatum(c, h(c, id), &i, &d, &r), KITH_OK);
	assert_int_equal(i, issued);
	assert_int_equal(d, deadline);
	assert_int_equal(r, reason);
}

static void ultimatum_life_cycle(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	set(c, "community.name_format", "^[A-Z][a-z]+-[A-Za-z]+$");
	const int64_t now = T0 + 40 * DAY;
	join(c, T0, "a");
	join(c, T0, "b");
	join(c, T0, "n");
	nick(c, T0 + HOUR, "a", "Beijing-Design");
	nick(c, T0 + HOUR, "b", "Beijing-Media");
	nick(c, T0 + HOUR, "n", "bad");
	say(c, T0 + DAY, "b", KITH_KIND_TEXT);
	say(c, now - DAY, "n", KITH_KIND_TEXT);

	kith_cleanup_plan *p = plan_at(c, now);
	assert_int_equal(kith_cleanup_plan_count(p), 3);
	expect_entry(c, p, 0, "a", KITH_CLEANUP_STAGE_ULTIMATUM, KITH_CLEANUP_NEVER_SPOKE);
	expect_entry(c, p, 1, "b", KITH_CLEANUP_STAGE_ULTIMATUM, KITH_CLEANUP_SILENT);
	expect_entry(c, p, 2, "n", KITH_CLEANUP_STAGE_ULTIMATUM, KITH_CLEANUP_NAME);
	/* The bot warns all three, as the plan says. */
	for (size_t i = 0; i < 3; i++) {
		uint32_t m;
		kith_cleanup_reason r;
		assert_int_equal(kith_cleanup_plan_entry(p, i, &m, NULL, &r), KITH_OK);
		assert_int_equal(kith_member_issue_ultimatum(c, m, now, r), KITH_OK);
	}
	kith_cleanup_plan_free(p);
	expect_ultimatum(c, "a", now, now + 12 * HOUR, KITH_CLEANUP_NEVER_SPOKE);
	expect_ultimatum(c, "n", now, now + 12 * HOUR, KITH_CLEANUP_NAME);

	/* Before the deadline all three wait. */
	p = plan_at(c, now + HOUR);
	assert_int_equal(kith_cleanup_plan_count(p), 0);
	assert_int_equal(summary(p, KITH_CLEANUP_SUMMARY_WAITING), 3);
	assert_int_equal(summary(p, KITH_CLEANUP_SUMMARY_CANDIDATES), 0);
	kith_cleanup_plan_free(p);

	/* b speaks: that answers its ultimatum for silence. n speaks too, but
	 * its ultimatum is about its name, and a wrong new name does not
	 * answer it either. */
	say(c, now + 2 * HOUR, "b", KITH_KIND_TEXT);
	say(c, now + 2 * HOUR, "n", KITH_KIND_TEXT);
	nick(c, now + 3 * HOUR, "n", "still bad");
	expect_ultimatum(c, "b", KITH_TIME_NONE, KITH_TIME_NONE, KITH_CLEANUP_NONE);
	expect_ultimatum(c, "n", now, now + 12 * HOUR, KITH_CLEANUP_NAME);

	/* At the deadline, a and n are to be removed, removals in order of
	 * silence: a since T0, n since now + 2 h. */
	p = plan_at(c, now + 12 * HOUR);
	assert_int_equal(kith_cleanup_plan_count(p), 2);
	expect_entry(c, p, 0, "a", KITH_CLEANUP_STAGE_REMOVE, KITH_CLEANUP_NEVER_SPOKE);
	expect_entry(c, p, 1, "n", KITH_CLEANUP_STAGE_REMOVE, KITH_CLEANUP_NAME);
	assert_int_equal(evidence(p, 0, KITH_CLEANUP_EVIDENCE_ISSUED_MS), now);
	assert_int_equal(evidence(p, 0, KITH_CLEANUP_EVIDENCE_DEADLINE_MS), now + 12 * HOUR);
	assert_string_equal(
	        kith_cleanup_plan_explanation(p, 0),
	        "never spoke in the 40 days since joining (allowed: 3 d); the ultimatum of 12 h "
	        "given 12 h ago has lapsed: remove");
	assert_int_equal(summary(p, KITH_CLEANUP_SUMMARY_WAITING), 0);
	kith_cleanup_plan_free(p);

	/* A compliant name answers n's ultimatum; a message answers a's. */
	nick(c, now + 13 * HOUR, "n", "Shanghai-Ops");
	expect_ultimatum(c, "n", KITH_TIME_NONE, KITH_TIME_NONE, KITH_CLEANUP_NONE);
	p = plan_at(c, now + 13 * HOUR);
	assert_int_equal(kith_cleanup_plan_count(p), 1);
	expect_entry(c, p, 0, "a", KITH_CLEANUP_STAGE_REMOVE, KITH_CLEANUP_NEVER_SPOKE);
	kith_cleanup_plan_free(p);
	say(c, now + 14 * HOUR, "a", KITH_KIND_STICKER);
	expect_ultimatum(c, "a", KITH_TIME_NONE, KITH_TIME_NONE, KITH_CLEANUP_NONE);
	p = plan_at(c, now + 14 * HOUR);
	assert_int_equal(kith_cleanup_plan_count(p), 0);
	kith_cleanup_plan_free(p);
	kith_community_free(c);
}

static void violations_ultimatum_outlives_messages_until_forgiven(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	const int64_t now = T0 + 10 * DAY;
	join(c, T0, "v");
	say(c, now - HOUR, "v", KITH_KIND_TEXT);
	set_violations(c, "v", 4);
	assert_int_equal(kith_member_issue_ultimatum(c, h(c, "v"), now, KITH_CLEANUP_VIOLATIONS),
	                 KITH_OK);
	say(c, now + HOUR, "v", KITH_KIND_TEXT);
	expect_ultimatum(c, "v", now, now + 12 * HOUR, KITH_CLEANUP_VIOLATIONS);
	kith_cleanup_plan *p = plan_at(c, now + 12 * HOUR);
	assert_int_equal(kith_cleanup_plan_count(p), 1);
	expect_entry(c, p, 0, "v", KITH_CLEANUP_STAGE_REMOVE, KITH_CLEANUP_VIOLATIONS);
	kith_cleanup_plan_free(p);
	/* Forgiven: the ultimatum no longer stands for anything. */
	set_violations(c, "v", 0);
	p = plan_at(c, now + 12 * HOUR);
	assert_int_equal(kith_cleanup_plan_count(p), 0);
	assert_int_equal(summary(p, KITH_CLEANUP_SUMMARY_WAITING), 0);
	kith_cleanup_plan_free(p);
	/* If v then falls silent, it starts again from a warning: the old
	 * ultimatum was about something else. */
	p = plan_at(c, now + 41 * DAY);
	assert_int_equal(kith_cleanup_plan_count(p), 1);
	expect_entry(c, p, 0, "v", KITH_CLEANUP_STAGE_ULTIMATUM, KITH_CLEANUP_SILENT);
	kith_cleanup_plan_free(p);
	/* Issuing again replaces; clearing withdraws. */
	assert_int_equal(
	        kith_member_issue_ultimatum(c, h(c, "v"), now + 41 * DAY, KITH_CLEANUP_SILENT),
	        KITH_OK);
	expect_ultimatum(c, "v", now + 41 * DAY, now + 41 * DAY + 12 * HOUR, KITH_CLEANUP_SILENT);
	assert_int_equal(kith_member_clear_ultimatum(c, h(c, "v")), KITH_OK);
	expect_ultimatum(c, "v", KITH_TIME_NONE, KITH_TIME_NONE, KITH_CLEANUP_NONE);
	assert_int_equal(kith_member_clear_ultimatum(c, h(c, "v")), KITH_OK);
	kith_community_free(c);
}

static void without_an_ultimatum_stage_removal_comes_at_once(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	set(c, "cleanup.ultimatum", "0 s");
	join(c, T0, "a");
	kith_cleanup_plan *p = plan_at(c, T0 + 10 * DAY);
	assert_int_equal(kith_cleanup_plan_count(p), 1);
	expect_entry(c, p, 0, "a", KITH_CLEANUP_STAGE_REMOVE, KITH_CLEANUP_NEVER_SPOKE);
	assert_int_equal(evidence(p, 0, KITH_CLEANUP_EVIDENCE_DEADLINE_MS), KITH_TIME_NONE);
	assert_int_equal(evidence(p, 0, KITH_CLEANUP_EVIDENCE_ISSUED_MS), KITH_TIME_NONE);
	assert_string_equal(kith_cleanup_plan_explanation(p, 0),
	                    "never spoke in the 10 days since joining (allowed: 3 d); remove "
	                    "(cleanup.ultimatum is 0: no warning stage)");
	kith_cleanup_plan_free(p);
	kith_community_free(c);
}

static void snapshots_keep_ultimatums_and_the_allow_list(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	set(c, "cleanup.silent_days", "12");
	join(c, T0, "a");
	join(c, T0, "b");
	assert_int_equal(
	        kith_member_issue_ultimatum(c, h(c, "a"), T0 + 5 * DAY, KITH_CLEANUP_NEVER_SPOKE),
	        KITH_OK);
	assert_int_equal(kith_member_allow(c, h(c, "b"), 1), KITH_OK);
	size_t len;
	unsigned char *buf = test_save(c, &len);
	kith_community *d = test_community_new(NULL);
	assert_int_equal(test_load(d, buf, len), KITH_OK);
	expect_ultimatum(d, "a", T0 + 5 * DAY, T0 + 5 * DAY + 12 * HOUR, KITH_CLEANUP_NEVER_SPOKE);
	assert_int_equal(kith_member_is_allowed(d, h(d, "b")), 1);
	assert_int_equal(kith_member_is_allowed(d, h(d, "a")), 0);
	char text[32];
	assert_int_equal(kith_setting_get(d, "cleanup.silent_days", KITH_NUL_TERMINATED, text,
	                                  sizeof text, NULL),
	                 KITH_OK);
	assert_string_equal(text, "12");
	kith_cleanup_plan *p = plan_at(d, T0 + 6 * DAY);
	expect_entry(d, p, 0, "a", KITH_CLEANUP_STAGE_REMOVE, KITH_CLEANUP_NEVER_SPOKE);
	assert_int_equal(kith_cleanup_plan_count(p), 1);
	assert_int_equal(summary(p, KITH_CLEANUP_SUMMARY_PROTECTED_ALLOWED), 1);
	kith_cleanup_plan_free(p);
	free(buf);
	kith_community_free(d);
	kith_community_free(c);
}

/* ---- protections ------------------------------------------------------------------ */

static void protections_are_counted_by_kind(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	set(c, "cleanup.speak_within", "1 d");
	uint32_t vip;
	assert_int_equal(kith_community_define_role(c, "vip", 3, 0, 1, &vip), KITH_OK);
	const int64_t now = T0 + 40 * DAY;
	const char *ids[] = {"plain",     "allowed",  "admin", "vip", "buyer",
	                     "old-buyer", "attender", "both",  "gone", "old-attender"};
	for (int i = 0; i < 10; i++)
		join(c, T0, ids[i]);
	grant(c, T0, "admin", "admin");
	grant(c, T0, "both", "admin");
	grant(c, T0, "vip", "vip");
	event(c, KITH_EVENT_ATTEND, T0 + DAY, "old-attender", "qa", 0, 0);
	event(c, KITH_EVENT_LEAVE, T0 + DAY, "gone", NULL, 0, 0);
	event(c, KITH_EVENT_PURCHASE, now - 30 * DAY, "old-buyer", NULL, 0, 0);
	event(c, KITH_EVENT_PURCHASE, now - 29 * DAY, "buyer", NULL, 0, 0);
	event(c, KITH_EVENT_ATTEND, now - 10 * DAY, "attender", "qa", 0, 0);
	join(c, now - 2 * DAY, "newcomer");
	assert_int_equal(kith_member_allow(c, h(c, "allowed"), 1), KITH_OK);
	assert_int_equal(kith_member_allow(c, h(c, "both"), 1), KITH_OK);
	assert_int_equal(kith_member_is_allowed(c, h(c, "both")), 1);

	kith_cleanup_plan *p = plan_at(c, now);
	/* Nobody spoke: all ten present have a reason; the three unprotected
	 * are listed (an attendance 39 days ago no longer protects). */
	assert_int_equal(kith_cleanup_plan_count(p), 3);
	expect_entry(c, p, 0, "plain", KITH_CLEANUP_STAGE_ULTIMATUM, KITH_CLEANUP_NEVER_SPOKE);
	expect_entry(c, p, 1, "old-buyer", KITH_CLEANUP_STAGE_ULTIMATUM, KITH_CLEANUP_NEVER_SPOKE);
	expect_entry(c, p, 2, "old-attender", KITH_CLEANUP_STAGE_ULTIMATUM, KITH_CLEANUP_NEVER_SPOKE);
	assert_int_equal(summary(p, KITH_CLEANUP_SUMMARY_PRESENT), 10);
	assert_int_equal(summary(p, KITH_CLEANUP_SUMMARY_PROTECTED_ALLOWED), 2);
	assert_int_equal(summary(p, KITH_CLEANUP_SUMMARY_PROTECTED_ROLE), 2);
	assert_int_equal(summary(p, KITH_CLEANUP_SUMMARY_PROTECTED_NEWCOMER), 1);
	assert_int_equal(summary(p, KITH_CLEANUP_SUMMARY_PROTECTED_PURCHASE), 1);
	assert_int_equal(summary(p, KITH_CLEANUP_SUMMARY_PROTECTED_ATTENDANCE), 1);
	assert_int_equal(summary(p, KITH_CLEANUP_SUMMARY_PROTECTED), 7);
	kith_cleanup_plan_free(p);

	/* Lift the protections one by one. */
	assert_int_equal(kith_member_allow(c, h(c, "allowed"), 0), KITH_OK);
	assert_int_equal(kith_member_is_allowed(c, h(c, "allowed")), 0);
	set(c, "cleanup.attendance_protects", "5 d");
	set(c, "cleanup.purchase_protects", "0 s");
	set(c, "cleanup.newcomer_grace", "1 d");
	set(c, "role.vip.protected", "no");
	p = plan_at(c, now);
	assert_int_equal(kith_cleanup_plan_count(p), 8);
	assert_int_equal(summary(p, KITH_CLEANUP_SUMMARY_PROTECTED), 2);
	assert_int_equal(summary(p, KITH_CLEANUP_SUMMARY_PROTECTED_ALLOWED),
	                 1); /* both: allowed first */
	assert_int_equal(summary(p, KITH_CLEANUP_SUMMARY_PROTECTED_ROLE), 1);
	assert_true(position(c, p, "newcomer") == 7); /* the shortest silence */
	assert_true(position(c, p, "admin") < 0);
	assert_true(position(c, p, "both") < 0);
	assert_true(position(c, p, "gone") < 0);
	kith_cleanup_plan_free(p);
	kith_community_free(c);
}

/* ---- order, ties and the partial sort ------------------------------------------- */

#define TIE_MEMBERS 200

struct expected {
	int64_t since;
	int photo; /* stickers score lower than photos sent at the same time */
	uint32_t handle;
};

static int expected_cmp(const void *pa, const void *pb)
{
	const struct expected *a = pa, *b = pb;
	if (a->since != b->since)
		return a->since < b->since ? -1 : 1;
	if (a->photo != b->photo)
		return a->photo - b->photo;
	return a->handle < b->handle ? -1 : a->handle > b->handle;
}

static void order_is_worst_first_and_ties_are_deterministic(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	struct expected want[TIE_MEMBERS];
	char id[16];
	for (int i = 0; i < TIE_MEMBERS; i++) {
		snprintf(id, sizeof id, "m%03d", i);
		join(c, T0, id);
	}
	/* Member i speaks once, at hour (i * 37) % 23 of the second day (many
	 * share an hour), a photo when i % 3 == 0, else a sticker. Messages go
	 * in by hour, and within an hour from the highest i down, so that the
	 * order of arrival is not the order of handles. */
	for (int hour = 0; hour < 23; hour++) {
		for (int i = TIE_MEMBERS - 1; i >= 0; i--) {
			if ((i * 37) % 23 != hour)
				continue;
			snprintf(id, sizeof id, "m%03d", i);
			say(c, T0 + DAY + hour * HOUR, id,
			    i % 3 == 0 ? KITH_KIND_PHOTO : KITH_KIND_STICKER);
		}
	}
	for (int i = 0; i < TIE_MEMBERS; i++)
		want[i] = (struct expected){T0 + DAY + ((i * 37) % 23) * HOUR, i % 3 == 0,
		                            (uint32_t)i};
	qsort(want, TIE_MEMBERS, sizeof want[0], expected_cmp);

	const int64_t now = T0 + 40 * DAY;
	kith_cleanup_plan *full = plan_at(c, now);
	assert_int_equal(kith_cleanup_plan_count(full), TIE_MEMBERS);
	for (size_t i = 0; i < TIE_MEMBERS; i++) {
		uint32_t m;
		assert_int_equal(kith_cleanup_plan_entry(full, i, &m, NULL, NULL), KITH_OK);
		if (m != want[i].handle)
			fail_msg("entry %zu is member %u, expected %u", i, m, want[i].handle);
	}
	/* The same order under every cap, whether the plan selects with a
	 * heap (few entries) or by quickselect (many), and again. */
	static const char *const caps[] = {"1", "5", "12", "13", "50", "199", "200", "250"};
	for (size_t k = 0; k < sizeof caps / sizeof caps[0]; k++) {
		set(c, "cleanup.max_per_run", caps[k]);
		size_t cap = (size_t)atoi(caps[k]);
		size_t n = cap < TIE_MEMBERS ? cap : TIE_MEMBERS;
		for (int round = 0; round < 2; round++) {
			kith_cleanup_plan *p = plan_at(c, now);
			assert_int_equal(kith_cleanup_plan_count(p), n);
			assert_int_equal(summary(p, KITH_CLEANUP_SUMMARY_CANDIDATES), TIE_MEMBERS);
			for (size_t i = 0; i < n; i++) {
				uint32_t m;
				assert_int_equal(kith_cleanup_plan_entry(p, i, &m, NULL, NULL),
				                 KITH_OK);
				assert_int_equal(m, want[i].handle);
			}
			kith_cleanup_plan_free(p);
		}
	}
	kith_cleanup_plan_free(full);

	/* A lapsed ultimatum puts its member first, however short its
	 * silence: the last in the order above. */
	set(c, "cleanup.max_per_run", "3");
	uint32_t last = want[TIE_MEMBERS - 1].handle;
	assert_int_equal(kith_member_issue_ultimatum(c, last, now - 12 * HOUR, KITH_CLEANUP_SILENT),
	                 KITH_OK);
	kith_cleanup_plan *p = plan_at(c, now);
	uint32_t m;
	kith_cleanup_stage st;
	assert_int_equal(kith_cleanup_plan_entry(p, 0, &m, &st, NULL), KITH_OK);
	assert_int_equal(m, last);
	assert_int_equal(st, KITH_CLEANUP_STAGE_REMOVE);
	assert_int_equal(kith_cleanup_plan_entry(p, 1, &m, &st, NULL), KITH_OK);
	assert_int_equal(m, want[0].handle);
	assert_int_equal(st, KITH_CLEANUP_STAGE_ULTIMATUM);
	kith_cleanup_plan_free(p);
	kith_community_free(c);
}

/* ---- targets ----------------------------------------------------------------------- */

/* Ten present: a0..a3 spoke yesterday, s0..s5 last spoke on day 1, s0
 * first (the longest silent), one hour apart. */
static kith_community *target_community(void)
{
	kith_community *c = test_community_new(NULL);
	char id[8];
	for (int i = 0; i < 4; i++) {
		snprintf(id, sizeof id, "a%d", i);
		join(c, T0, id);
	}
	for (int i = 0; i < 6; i++) {
		snprintf(id, sizeof id, "s%d", i);
		join(c, T0, id);
	}
	for (int i = 0; i < 6; i++) {
		snprintf(id, sizeof id, "s%d", i);
		say(c, T0 + DAY + i * HOUR, id, KITH_KIND_TEXT);
	}
	for (int i = 0; i < 4; i++) {
		snprintf(id, sizeof id, "a%d", i);
		say(c, T0 + 39 * DAY, id, KITH_KIND_TEXT);
	}
	return c;
}

#define TNOW (T0 + 40 * DAY)

static void expect_silent_prefix(kith_community *c, const kith_cleanup_plan *p, size_t n, int first)
{
	assert_int_equal(kith_cleanup_plan_count(p), n);
	for (size_t i = 0; i < n; i++) {
		char id[8];
		snprintf(id, sizeof id, "s%d", first + (int)i);
		assert_string_equal(entry_id(c, p, i), id);
	}
}

static void target_room_for_newcomers(void **state)
{
	(void)state;
	kith_community *c = target_community();
	set(c, "community.capacity", "11");
	/* 10 present, 1 free place: room for 3 takes 2 removals. */
	set(c, "cleanup.room_for", "3");
	kith_cleanup_plan *p = plan_at(c, TNOW);
	expect_silent_prefix(c, p, 2, 0);
	assert_int_equal(summary(p, KITH_CLEANUP_SUMMARY_NEEDED), 2);
	assert_int_equal(summary(p, KITH_CLEANUP_SUMMARY_TARGET_MET), 1);
	assert_int_equal(summary(p, KITH_CLEANUP_SUMMARY_CANDIDATES), 6);
	kith_cleanup_plan_free(p);
	/* Room for 1 is there already. */
	set(c, "cleanup.room_for", "1");
	p = plan_at(c, TNOW);
	assert_int_equal(kith_cleanup_plan_count(p), 0);
	assert_int_equal(summary(p, KITH_CLEANUP_SUMMARY_NEEDED), 0);
	assert_int_equal(summary(p, KITH_CLEANUP_SUMMARY_TARGET_MET), 1);
	kith_cleanup_plan_free(p);
	/* Room for 8 takes 7: one more than the six candidates. */
	set(c, "cleanup.room_for", "8");
	p = plan_at(c, TNOW);
	expect_silent_prefix(c, p, 6, 0);
	assert_int_equal(summary(p, KITH_CLEANUP_SUMMARY_NEEDED), 6);
	assert_int_equal(summary(p, KITH_CLEANUP_SUMMARY_TARGET_MET), 0);
	kith_cleanup_plan_free(p);
	/* An over-full group: capacity 8 with 10 present; room for 1 takes 3. */
	set(c, "community.capacity", "8");
	set(c, "cleanup.room_for", "1");
	p = plan_at(c, TNOW);
	expect_silent_prefix(c, p, 3, 0);
	kith_cleanup_plan_free(p);
	/* No capacity, no places to free: room_for sets no target, and the
	 * plan lists every candidate as it does without targets. */
	set(c, "community.capacity", "0");
	set(c, "cleanup.room_for", "3");
	p = plan_at(c, TNOW);
	assert_int_equal(kith_cleanup_plan_count(p), 6);
	assert_int_equal(summary(p, KITH_CLEANUP_SUMMARY_CANDIDATES), 6);
	assert_int_equal(summary(p, KITH_CLEANUP_SUMMARY_NEEDED), -1);
	assert_int_equal(summary(p, KITH_CLEANUP_SUMMARY_TARGET_MET), -1);
	kith_cleanup_plan_free(p);
	kith_community_free(c);
}

static void target_active_share(void **state)
{
	(void)state;
	kith_community *c = target_community();
	/* 4 active of 10: at least 60% takes 4 removals (4/6 = 0.67; 4/7 =
	 * 0.57 is short). */
	set(c, "cleanup.keep_active_share", "0.6");
	kith_cleanup_plan *p = plan_at(c, TNOW);
	expect_silent_prefix(c, p, 4, 0);
	assert_int_equal(summary(p, KITH_CLEANUP_SUMMARY_ACTIVE), 4);
	assert_int_equal(summary(p, KITH_CLEANUP_SUMMARY_NEEDED), 4);
	assert_int_equal(summary(p, KITH_CLEANUP_SUMMARY_TARGET_MET), 1);
	kith_cleanup_plan_free(p);
	/* 40% holds already; 41% takes one (4/9 = 0.44). */
	set(c, "cleanup.keep_active_share", "0.4");
	p = plan_at(c, TNOW);
	assert_int_equal(kith_cleanup_plan_count(p), 0);
	kith_cleanup_plan_free(p);
	set(c, "cleanup.keep_active_share", "0.41");
	p = plan_at(c, TNOW);
	expect_silent_prefix(c, p, 1, 0);
	kith_cleanup_plan_free(p);
	/* The cap lists fewer than the target needs, and says so. */
	set(c, "cleanup.keep_active_share", "0.6");
	set(c, "cleanup.max_per_run", "2");
	p = plan_at(c, TNOW);
	expect_silent_prefix(c, p, 2, 0);
	assert_int_equal(summary(p, KITH_CLEANUP_SUMMARY_NEEDED), 4);
	kith_cleanup_plan_free(p);
	/* Both targets: the larger need wins (room for 3 at capacity 10
	 * takes 3, 41% takes 1). */
	set(c, "cleanup.max_per_run", "0");
	set(c, "cleanup.keep_active_share", "0.41");
	set(c, "community.capacity", "10");
	set(c, "cleanup.room_for", "3");
	p = plan_at(c, TNOW);
	expect_silent_prefix(c, p, 3, 0);
	kith_cleanup_plan_free(p);
	kith_community_free(c);
}

static void target_share_beyond_reach(void **state)
{
	(void)state;
	kith_community *c = target_community();
	grant(c, TNOW - HOUR, "s5", "admin");
	/* 90% would need 6 removals (4/4); only 5 can go: 4/5 = 0.8. */
	set(c, "cleanup.keep_active_share", "0.9");
	kith_cleanup_plan *p = plan_at(c, TNOW);
	expect_silent_prefix(c, p, 5, 0);
	assert_int_equal(summary(p, KITH_CLEANUP_SUMMARY_TARGET_MET), 0);
	assert_int_equal(summary(p, KITH_CLEANUP_SUMMARY_PROTECTED_ROLE), 1);
	kith_cleanup_plan_free(p);
	kith_community_free(c);
}

static void target_counts_active_removals(void **state)
{
	(void)state;
	kith_community *c = target_community();
	/* a0 is active but its lapsed name ultimatum puts it first. */
	set(c, "community.name_format", "^ok$");
	char id[8];
	for (int i = 0; i < 4; i++) {
		snprintf(id, sizeof id, "a%d", i);
		nick(c, TNOW - HOUR, id, i == 0 ? "bad" : "ok");
	}
	for (int i = 0; i < 6; i++) {
		snprintf(id, sizeof id, "s%d", i);
		nick(c, TNOW - HOUR, id, "ok");
	}
	assert_int_equal(
	        kith_member_issue_ultimatum(c, h(c, "a0"), TNOW - 12 * HOUR, KITH_CLEANUP_NAME),
	        KITH_OK);
	/* At least 50%: 2 removals would do if both were silent, but a0
	 * comes first and is active: (4-1)/(10-2) = 0.375, 3/7, then
	 * 3/6 = 0.5 with four removals. */
	set(c, "cleanup.keep_active_share", "0.5");
	kith_cleanup_plan *p = plan_at(c, TNOW);
	assert_int_equal(kith_cleanup_plan_count(p), 4);
	expect_entry(c, p, 0, "a0", KITH_CLEANUP_STAGE_REMOVE, KITH_CLEANUP_NAME);
	expect_entry(c, p, 1, "s0", KITH_CLEANUP_STAGE_ULTIMATUM, KITH_CLEANUP_SILENT);
	expect_entry(c, p, 3, "s2", KITH_CLEANUP_STAGE_ULTIMATUM, KITH_CLEANUP_SILENT);
	assert_int_equal(summary(p, KITH_CLEANUP_SUMMARY_NEEDED), 4);
	kith_cleanup_plan_free(p);
	kith_community_free(c);
}

static void target_counts_waiting_members_as_gone(void **state)
{
	(void)state;
	kith_community *c = target_community();
	assert_int_equal(
	        kith_member_issue_ultimatum(c, h(c, "s0"), TNOW - HOUR, KITH_CLEANUP_SILENT),
	        KITH_OK);
	assert_int_equal(
	        kith_member_issue_ultimatum(c, h(c, "s1"), TNOW - HOUR, KITH_CLEANUP_SILENT),
	        KITH_OK);
	/* 60% of the 8 not waiting, 4 of them active: 4/(8-2) = 0.67 takes 2. */
	set(c, "cleanup.keep_active_share", "0.6");
	kith_cleanup_plan *p = plan_at(c, TNOW);
	expect_silent_prefix(c, p, 2, 2);
	assert_int_equal(summary(p, KITH_CLEANUP_SUMMARY_WAITING), 2);
	assert_int_equal(summary(p, KITH_CLEANUP_SUMMARY_CANDIDATES), 4);
	kith_cleanup_plan_free(p);
	kith_community_free(c);
}

/* ---- JSON ----------------------------------------------------------------------------- */

static void plan_renders_as_json(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	join(c, T0, "x");
	join(c, T0, "q\"\n");
	set(c, "cleanup.max_per_run", "1");
	kith_cleanup_plan *p = plan_at(c, T0 + 10 * DAY);
	char *json = plan_json(p);
	assert_string_equal(
	        json,
	        "{\"now_ms\":1700784000000,\"present\":2,\"active\":0,\"candidates\":2,\"waiting\":"
	        "0,"
	        "\"needed\":null,\"target_met\":null,\"protected\":{\"allow_list\":0,\"role\":0,"
	        "\"newcomer\":0,\"purchase\":0,\"attendance\":0,\"total\":0},\"entries\":[{"
	        "\"member\":0,"
	        "\"id\":\"x\",\"stage\":\"ultimatum\",\"reason\":\"never-spoke\",\"reasons\":"
	        "[\"never-spoke\"],\"silent_ms\":864000000,\"last_msg_ms\":null,\"joined_ms\":"
	        "1699920000000,"
	        "\"messages\":0,\"real_messages\":0,\"envelopes_claimed\":0,\"violations\":0,"
	        "\"score\":0,"
	        "\"deadline_ms\":1700827200000,\"issued_ms\":null,\"explanation\":\"never spoke in "
	        "the 10 days "
	        "since joining (allowed: 3 d); warn now: deadline in 12 h\"}]}");
	/* Truncated like snprintf: the needed length is the full one. */
	char small[11];
	size_t need = 0;
	assert_int_equal(kith_cleanup_plan_to_json(p, small, sizeof small, &need), KITH_OK);
	assert_int_equal(need, strlen(json));
	assert_string_equal(small, "{\"now_ms\":");
	free(json);
	kith_cleanup_plan_free(p);
	/* Ids are escaped. */
	set(c, "cleanup.max_per_run", "2");
	p = plan_at(c, T0 + 10 * DAY);
	json = plan_json(p);
	assert_non_null(strstr(json, "\"id\":\"q\\\"\\u000a\""));
	free(json);
	kith_cleanup_plan_free(p);
	kith_community_free(c);
}

/* ---- bad arguments ------------------------------------------------------------------- */

static void bad_arguments(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	join(c, T0, "a");
	kith_cleanup_plan *p = (kith_cleanup_plan *)&p; /* must be reset to NULL */
	assert_int_equal(kith_cleanup_plan_new(NULL, T0, &p), KITH_EINVAL);
	assert_null(p);
	assert_int_equal(kith_cleanup_plan_new(c, T0, NULL), KITH_EINVAL);
	assert_int_equal(kith_cleanup_plan_new(c, KITH_TIME_NONE, &p), KITH_EINVAL);
	assert_null(p);
	assert_non_null(strstr(kith_community_last_error(c), "KITH_TIME_NONE"));

	p = plan_at(c, T0 + 10 * DAY);
	assert_int_equal(kith_cleanup_plan_count(p), 1);
	int64_t v;
	double d;
	assert_int_equal(kith_cleanup_plan_entry(NULL, 0, NULL, NULL, NULL), KITH_EINVAL);
	assert_int_equal(kith_cleanup_plan_entry(p, 1, NULL, NULL, NULL), KITH_ENOTFOUND);
	assert_int_equal(kith_cleanup_plan_entry(p, 0, NULL, NULL, NULL), KITH_OK);
	assert_int_equal(kith_cleanup_plan_evidence(p, 0, (kith_cleanup_evidence)0, &v),
	                 KITH_EINVAL);
	assert_int_equal(kith_cleanup_plan_evidence(p, 0, (kith_cleanup_evidence)11, &v),
	                 KITH_EINVAL);
	assert_int_equal(kith_cleanup_plan_evidence(p, 0, KITH_CLEANUP_EVIDENCE_MESSAGES, NULL),
	                 KITH_EINVAL);
	assert_int_equal(kith_cleanup_plan_evidence(p, 1, KITH_CLEANUP_EVIDENCE_MESSAGES, &v),
	                 KITH_ENOTFOUND);
	assert_int_equal(kith_cleanup_plan_evidence(NULL, 0, KITH_CLEANUP_EVIDENCE_MESSAGES, &v),
	                 KITH_EINVAL);
	assert_int_equal(kith_cleanup_plan_score(p, 1, &d), KITH_ENOTFOUND);
	assert_int_equal(kith_cleanup_plan_score(p, 0, NULL), KITH_EINVAL);
	assert_int_equal(kith_cleanup_plan_score(NULL, 0, &d), KITH_EINVAL);
	assert_null(kith_cleanup_plan_explanation(p, 1));
	assert_null(kith_cleanup_plan_explanation(NULL, 0));
	assert_int_equal(kith_cleanup_plan_summary(p, (kith_cleanup_summary)7, &v), KITH_EINVAL);
	assert_int_equal(kith_cleanup_plan_summary(p, (kith_cleanup_summary)16, &v), KITH_EINVAL);
	assert_int_equal(kith_cleanup_plan_summary(p, KITH_CLEANUP_SUMMARY_PRESENT, NULL),
	                 KITH_EINVAL);
	assert_int_equal(kith_cleanup_plan_summary(NULL, KITH_CLEANUP_SUMMARY_PRESENT, &v),
	                 KITH_EINVAL);
	assert_int_equal(kith_cleanup_plan_count(NULL), 0);
	char buf[8];
	assert_int_equal(kith_cleanup_plan_to_json(NULL, buf, sizeof buf, NULL), KITH_EINVAL);
	assert_int_equal(kith_cleanup_plan_to_json(p, NULL, 4, NULL), KITH_EINVAL);
	kith_cleanup_plan_free(p);
	kith_cleanup_plan_free(NULL);

	assert_string_equal(kith_cleanup_reason_name(KITH_CLEANUP_ENVELOPE_ONLY), "envelope-only");
	assert_string_equal(kith_cleanup_reason_name(KITH_CLEANUP_NONE), "none");
	assert_string_equal(kith_cleanup_reason_name((kith_cleanup_reason)7), "unknown");
	assert_string_equal(kith_cleanup_reason_name((kith_cleanup_reason)-1), "unknown");
	assert_string_equal(kith_cleanup_stage_name(KITH_CLEANUP_STAGE_REMOVE), "remove");
	assert_string_equal(kith_cleanup_stage_name((kith_cleanup_stage)0), "unknown");
	assert_string_equal(kith_cleanup_stage_name((kith_cleanup_stage)3), "unknown");

	uint32_t a = h(c, "a");
	assert_int_equal(kith_member_issue_ultimatum(NULL, a, T0, KITH_CLEANUP_SILENT),
	                 KITH_EINVAL);
	assert_int_equal(kith_member_issue_ultimatum(c, 7, T0, KITH_CLEANUP_SILENT),
	                 KITH_ENOTFOUND);
	assert_int_equal(kith_member_issue_ultimatum(c, a, T0, KITH_CLEANUP_NONE), KITH_EINVAL);
	assert_int_equal(kith_member_issue_ultimatum(c, a, T0, (kith_cleanup_reason)7),
	                 KITH_EINVAL);
	assert_int_equal(kith_member_issue_ultimatum(c, a, KITH_TIME_NONE, KITH_CLEANUP_SILENT),
	                 KITH_EINVAL);
	expect_ultimatum(c, "a", KITH_TIME_NONE, KITH_TIME_NONE, KITH_CLEANUP_NONE);
	assert_int_equal(kith_member_ultimatum(NULL, a, NULL, NULL, NULL), KITH_EINVAL);
	assert_int_equal(kith_member_ultimatum(c, 7, NULL, NULL, NULL), KITH_ENOTFOUND);
	assert_int_equal(kith_member_ultimatum(c, a, NULL, NULL, NULL), KITH_OK);
	assert_int_equal(kith_member_clear_ultimatum(NULL, a), KITH_EINVAL);
	assert_int_equal(kith_member_clear_ultimatum(c, 7), KITH_ENOTFOUND);
	assert_int_equal(kith_member_allow(NULL, a, 1), KITH_EINVAL);
	assert_int_equal(kith_member_allow(c, 7, 1), KITH_ENOTFOUND);
	assert_int_equal(kith_member_is_allowed(NULL, a), 0);
	assert_int_equal(kith_member_is_allowed(c, 7), 0);
	/* Taking a member without extras off the list creates nothing. */
	size_t extras = c->members.extra_count;
	assert_int_equal(kith_member_allow(c, a, 0), KITH_OK);
	assert_int_equal(c->members.extra_count, extras);

	/* Settings keep their bounds. */
	assert_int_equal(kith_setting_set(c, "cleanup.silent_days", KITH_NUL_TERMINATED, "0",
	                                  KITH_NUL_TERMINATED),
	                 KITH_ERANGE);
	assert_int_equal(kith_setting_set(c, "cleanup.keep_active_share", KITH_NUL_TERMINATED,
	                                  "1.5", KITH_NUL_TERMINATED),
	                 KITH_ERANGE);
	assert_int_equal(kith_setting_set(c, "cleanup.ultimatum", KITH_NUL_TERMINATED, "12 parsecs",
	                                  KITH_NUL_TERMINATED),
	                 KITH_EINVAL);
	kith_community_free(c);
}

/* ---- the charter ---------------------------------------------------------------------- */

static void charter_cleanup_section(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	/* DESIGN.md's example block. */
	const char *text = "[cleanup]\n"
	                   "silent_days = 30\n"
	                   "newcomer_grace = 3 d\n"
	                   "ultimatum = 12 h\n"
	                   "keep_active_share = 0.6\n"
	                   "max_per_run = 25\n"
	                   "[health]\n"
	                   "dead_days = 4\n";
	assert_int_equal(kith_community_apply_charter(c, text, strlen(text)), KITH_OK);
	char buf[32];
	assert_int_equal(kith_setting_get(c, "cleanup.keep_active_share", KITH_NUL_TERMINATED, buf,
	                                  sizeof buf, NULL),
	                 KITH_OK);
	assert_string_equal(buf, "0.6");
	assert_int_equal(kith_setting_get(c, "cleanup.max_per_run", KITH_NUL_TERMINATED, buf,
	                                  sizeof buf, NULL),
	                 KITH_OK);
	assert_string_equal(buf, "25");
	assert_int_equal(kith_setting_get(c, "cleanup.ultimatum", KITH_NUL_TERMINATED, buf,
	                                  sizeof buf, NULL),
	                 KITH_OK);
	assert_string_equal(buf, "12 h");
	assert_int_equal(
	        kith_setting_get(c, "health.dead_days", KITH_NUL_TERMINATED, buf, sizeof buf, NULL),
	        KITH_OK);
	assert_string_equal(buf, "4");
	/* An unknown key names its line; nothing applies. */
	const char *bad = "[cleanup]\nsilent_days = 9\nsilence = 3\n";
	assert_int_equal(kith_community_apply_charter(c, bad, strlen(bad)), KITH_ENOTFOUND);
	assert_non_null(strstr(kith_community_last_error(c), "line 3"));
	assert_int_equal(kith_setting_get(c, "cleanup.silent_days", KITH_NUL_TERMINATED, buf,
	                                  sizeof buf, NULL),
	                 KITH_OK);
	assert_string_equal(buf, "30");
	kith_community_free(c);
}

/* ---- allocation failures -------------------------------------------------------------- */

static kith_status make_plan(kith_community *c, int64_t now, void **out)
{
	kith_cleanup_plan *p = *out; /* the caller's sentinel: must become NULL on failure */
	kith_status st = kith_cleanup_plan_new(c, now, &p);
	*out = p;
	return st;
}

static char *render_plan(const void *p) { return plan_json(p); }

static void release_plan(void *p) { kith_cleanup_plan_free(p); }

static void allocation_failures_change_nothing(void **state)
{
	(void)state;
	struct test_alloc ta = {0};
	kith_community *c = test_community_new(&ta);
	char id[16];
	/* Enough candidates to grow the candidate array several times, and
	 * extras (a purchase, an ultimatum) to index. */
	for (int i = 0; i < 300; i++) {
		snprintf(id, sizeof id, "m%d", i);
		join(c, T0, id);
	}
	event(c, KITH_EVENT_PURCHASE, T0 + DAY, "m7", NULL, 0, 0);
	assert_int_equal(
	        kith_member_issue_ultimatum(c, h(c, "m9"), T0 + DAY, KITH_CLEANUP_NEVER_SPOKE),
	        KITH_OK);
	const int64_t now = T0 + 40 * DAY;
	kith_cleanup_plan *ref = plan_at(c, now);
	char *want = plan_json(ref);
	kith_cleanup_plan_free(ref);

	static const struct test_engine cleanup = {make_plan, render_plan, release_plan};
	int failures = test_each_allocation_fails(c, &ta, now, &cleanup, want);
	/* The index, the candidate array (grown) and the plan's parts. */
	assert_true(failures >= 5);

	/* Recording an ultimatum or an allowance needs a new extras record
	 * for most members; when that fails, nothing changes. */
	int refused = 0;
	for (int i = 20; i < 300; i++) {
		snprintf(id, sizeof id, "m%d", i);
		uint32_t m = h(c, id);
		ta.fail_at = ta.calls + 1;
		kith_status st = kith_member_issue_ultimatum(c, m, now, KITH_CLEANUP_SILENT);
		kith_status st2 = kith_member_allow(c, m, 1);
		ta.fail_at = 0;
		if (st == KITH_ENOMEM) {
			refused++;
			expect_ultimatum(c, id, KITH_TIME_NONE, KITH_TIME_NONE, KITH_CLEANUP_NONE);
		}
		if (st2 == KITH_ENOMEM)
			assert_int_equal(kith_member_is_allowed(c, m), 0);
	}
	assert_true(refused > 0);
	free(want);
	kith_community_free(c);
	assert_int_equal(ta.live_bytes, 0);
}

/* ---- the generated sample ------------------------------------------------------------ */

/* Presence and protection, read from the trace itself: who is present at
 * the end, who attended or bought (in the last 30 days). */
struct traced {
	char id[64];
	int seen;
	int present;
	int attended;
	int64_t last_purchase;
	char category[32];
};

static struct traced *traced_find(struct traced *t, size_t n, const char *id, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(t[i].id) == len && memcmp(t[i].id, id, len) == 0)
			return &t[i];
	return NULL;
}

static void sample_onlookers_and_quiet_members_are_proposed(void **state)
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

	/* The truth file: id TAB category. */
	static struct traced t[1024];
	size_t n = 0;
	for (char *line = strtok(truth, "\n"); line; line = strtok(NULL, "\n")) {
		char *tab = strchr(line, '\t');
		assert_non_null(tab);
		assert_true(n < 1024);
		*tab = '\0';
		snprintf(t[n].id, sizeof t[n].id, "%s", line);
		snprintf(t[n].category, sizeof t[n].category, "%s", tab + 1);
		t[n].last_purchase = INT64_MIN;
		n++;
	}
	/* The end of the sample: midnight after its last day, read from the
	 * generator's parameters in the header. */
	const char *gen = strstr(trace, "--start ");
	assert_non_null(gen);
	int64_t start = strtoll(gen + 8, NULL, 10);
	const char *days = strstr(trace, "--days ");
	assert_non_null(days);
	int64_t now = start + strtoll(days + 7, NULL, 10) * DAY;
	/* Presence by the trace's rules, attendance and purchases. */
	char *copy = malloc(trace_len + 1);
	assert_non_null(copy);
	memcpy(copy, trace, trace_len + 1);
	for (char *line = strtok(copy, "\n"); line; line = strtok(NULL, "\n")) {
		if (line[0] == '#' || strncmp(line, "kith-trace", 10) == 0)
			continue;
		char *f1 = strchr(line, '\t');
		char *f2 = f1 ? strchr(f1 + 1, '\t') : NULL;
		assert_non_null(f2);
		char *f3 = strchr(f2 + 1, '\t');
		size_t id_len = f3 ? (size_t)(f3 - (f2 + 1)) : strlen(f2 + 1);
		struct traced *m = traced_find(t, n, f2 + 1, id_len);
		if (!m)
			continue;
		int64_t when = strtoll(line, NULL, 10);
		size_t type_len = (size_t)(f2 - f1 - 1);
		const char *type = f1 + 1;
#define IS(s) (type_len == strlen(s) && memcmp(type, s, type_len) == 0)
		/* An id's first event makes it present (an implicit join). */
		if (!m->seen)
			m->present = 1;
		m->seen = 1;
		if (IS("leave") || IS("kick") || IS("ban"))
			m->present = 0;
		else if (IS("join") || IS("msg") || IS("react") || IS("attend"))
			m->present = 1;
		if (IS("attend"))
			m->attended++;
		if (IS("purchase"))
			m->last_purchase = when;
#undef IS
	}
	free(copy);

	kith_community *c = test_community_new(NULL);
	assert_int_equal(kith_community_apply_charter(c, charter, charter_len), KITH_OK);
	uint64_t lines = 0;
	assert_int_equal(kith_community_ingest_trace(c, trace, trace_len, &lines), KITH_OK);
	/* Quiet members last spoke more than 10 days before the end. */
	set(c, "cleanup.silent_days", "10");
	kith_cleanup_plan *p = plan_at(c, now);
	int proposed[1024] = {0};
	int64_t reasons[1024] = {0};
	for (size_t i = 0; i < kith_cleanup_plan_count(p); i++) {
		size_t len;
		uint32_t m;
		assert_int_equal(kith_cleanup_plan_entry(p, i, &m, NULL, NULL), KITH_OK);
		const char *id = kith_member_id(c, m, &len);
		struct traced *x = traced_find(t, n, id, len);
		assert_non_null(x);
		proposed[x - t] = 1;
		reasons[x - t] = evidence(p, i, KITH_CLEANUP_EVIDENCE_REASONS);
	}
	int onlookers = 0, quiet = 0, spared = 0;
	for (size_t i = 0; i < n; i++) {
		const char *cat = t[i].category;
		bool guarded = t[i].attended > 0 || (t[i].last_purchase != INT64_MIN &&
		                                     now - t[i].last_purchase < 30 * DAY);
		if (!strcmp(cat, "owner") || !strcmp(cat, "admin") || !strcmp(cat, "newcomer") ||
		    !strcmp(cat, "expert")) {
			if (proposed[i])
				fail_msg("%s (%s) was proposed", t[i].id, cat);
		} else if (!strcmp(cat, "onlooker") || !strcmp(cat, "quiet")) {
			bool want = t[i].present && !guarded;
			if (want != (bool)proposed[i])
				fail_msg("%s (%s, present %d, guarded %d) proposed %d", t[i].id,
				         cat, t[i].present, guarded, proposed[i]);
			if (!strcmp(cat, "onlooker") && want) {
				assert_true(reasons[i] & (1 << KITH_CLEANUP_NEVER_SPOKE));
				onlookers++;
			}
			if (!strcmp(cat, "quiet") && want) {
				assert_true(reasons[i] & (1 << KITH_CLEANUP_SILENT));
				quiet++;
			}
			spared += !want && t[i].present;
		}
	}
	/* The sample has 72 onlookers and 21 quiet members; most are proposed. */
	assert_true(onlookers >= 50);
	assert_true(quiet >= 5);
	/* Some quiet members attended activities or bought: spared. */
	assert_true(spared > 0);
	kith_cleanup_plan_free(p);
	kith_community_free(c);
	free(trace);
	free(charter);
	free(truth);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(never_spoke_and_silent_at_their_boundaries),
	        cmocka_unit_test(speak_within_counts_from_the_last_join),
	        cmocka_unit_test(silence_restarts_at_a_rejoin),
	        cmocka_unit_test(name_not_matching_the_format),
	        cmocka_unit_test(violations_over_the_limit),
	        cmocka_unit_test(envelope_only_members),
	        cmocka_unit_test(contribution_score_under_the_minimum),
	        cmocka_unit_test(ultimatum_life_cycle),
	        cmocka_unit_test(violations_ultimatum_outlives_messages_until_forgiven),
	        cmocka_unit_test(without_an_ultimatum_stage_removal_comes_at_once),
	        cmocka_unit_test(snapshots_keep_ultimatums_and_the_allow_list),
	        cmocka_unit_test(protections_are_counted_by_kind),
	        cmocka_unit_test(order_is_worst_first_and_ties_are_deterministic),
	        cmocka_unit_test(target_room_for_newcomers),
	        cmocka_unit_test(target_active_share),
	        cmocka_unit_test(target_share_beyond_reach),
	        cmocka_unit_test(target_counts_active_removals),
	        cmocka_unit_test(target_counts_waiting_members_as_gone),
	        cmocka_unit_test(plan_renders_as_json),
	        cmocka_unit_test(bad_arguments),
	        cmocka_unit_test(charter_cleanup_section),
	        cmocka_unit_test(allocation_failures_change_nothing),
	        cmocka_unit_test(sample_onlookers_and_quiet_members_are_proposed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
