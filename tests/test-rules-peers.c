/*
 * The rule features other bots' policies need (consecutive floods, keyword
 * forms, gates on tenure and score, violation triggers, rule groups, a
 * ladder that starts again) and the shipped presets that use them. Each
 * script is written from the peer's documented behaviour: the decision
 * beside each event is what that bot would do, worked out by hand from
 * its rules, not read from kith's output.
 *
 * SPDX-License-Identifier: MIT
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

#define SEC INT64_C(1000)
#define MIN (60 * SEC)
#define HOUR (60 * MIN)
#define DAY (24 * HOUR)
#define T0 INT64_C(1700000000000)

static struct test_alloc ta;

static kith_community *fresh(void)
{
	memset(&ta, 0, sizeof ta);
	return test_community_new(&ta);
}

static void rule(kith_community *c, const char *name, const char *key, const char *value)
{
	kith_status st = kith_rule_set(c, name, KITH_NUL_TERMINATED, key, KITH_NUL_TERMINATED,
	                               value, KITH_NUL_TERMINATED);
	if (st != KITH_OK)
		fail_msg("rule %s.%s = %s: %s", name, key, value, kith_community_last_error(c));
}

static void setting(kith_community *c, const char *name, const char *value)
{
	kith_status st = kith_setting_set(c, name, KITH_NUL_TERMINATED, value, KITH_NUL_TERMINATED);
	if (st != KITH_OK)
		fail_msg("%s = %s: %s", name, value, kith_community_last_error(c));
}

static kith_status try_rule(kith_community *c, const char *name, const char *key, const char *value)
{
	return kith_rule_set(c, name, KITH_NUL_TERMINATED, key, KITH_NUL_TERMINATED, value,
	                     KITH_NUL_TERMINATED);
}

/* The verdicts on show as "action member/rule" items separated by
 * spaces, "-" for none. */
static const char *decisions(kith_community *c)
{
	static char buf[1024];
	size_t n = kith_community_verdict_count(c), at = 0;
	buf[0] = '\0';
	if (n == 0)
		return "-";
	for (size_t i = 0; i < n; i++) {
		const char *who = kith_member_id(c, kith_verdict_member(c, i), NULL);
		int k = snprintf(buf + at, sizeof buf - at, "%s%s %s/%s", i ? " " : "",
		                 kith_action_name(kith_verdict_action(c, i)), who ? who : "?",
		                 kith_verdict_rule(c, i));
		if (k < 0 || (size_t)k >= sizeof buf - at)
			fail_msg("verdicts too long to show");
		at += (size_t)k;
	}
	return buf;
}

/* One step of a script: at T0 + at, a trace line (its fields after the
 * time) and the decisions the peer takes on it. */
struct step {
	int64_t at;
	const char *line;
	const char *want;
};

static void play(kith_community *c, const struct step *s, size_t n)
{
	char line[1024];
	for (size_t i = 0; i < n; i++) {
		snprintf(line, sizeof line, "%lld\t%s", (long long)(T0 + s[i].at), s[i].line);
		kith_status st = test_line(c, line);
		if (st != KITH_OK)
			fail_msg("step %zu '%s': %s", i + 1, s[i].line, kith_community_last_error(c));
		const char *got = decisions(c);
		if (strcmp(got, s[i].want) != 0)
			fail_msg("step %zu '%s': the peer decides '%s', kith gave '%s'", i + 1, s[i].line,
			         s[i].want, got);
	}
}

#define PLAY(c, script) play(c, script, sizeof script / sizeof script[0])

/* A save and a load into a fresh community, which must then save the
 * same bytes: the state the rules carry survives a snapshot. */
static kith_community *reload(kith_community *c)
{
	size_t len;
	unsigned char *buf = test_save(c, &len);
	kith_community *d = test_community_new(NULL);
	assert_int_equal(test_load(d, buf, len), KITH_OK);
	test_assert_same_snapshot(c, d);
	free(buf);
	kith_community_free(c);
	return d;
}

/* ---- consecutive floods ------------------------------------------------------- */

static void consecutive_flood(void **state)
{
	(void)state;
	kith_community *c = fresh();
	rule(c, "flood", "flood", "4 consecutive messages");
	rule(c, "flood", "action", "ban");
	static const struct step script[] = {
		{0, "join\tboss", "-"},
		{0, "role\tboss\trole=+admin", "-"},
		{1 * SEC, "msg\ta\ttext=1", "-"},
		{2 * SEC, "msg\ta\ttext=2", "-"},
		{3 * SEC, "msg\ta\ttext=3", "-"},
		/* No window: the 4th in a row acts however late it comes. */
		{3 * DAY, "msg\ta\ttext=4", "ban a/flood"},
		/* Acting ends the run: the next message counts 1. */
		{3 * DAY + SEC, "msg\ta\ttext=5", "-"},
		{3 * DAY + 2 * SEC, "msg\ta\ttext=6", "-"},
		/* Someone else speaks: a's count starts again. */
		{3 * DAY + 3 * SEC, "msg\tb\ttext=x", "-"},
		{3 * DAY + 4 * SEC, "msg\ta\ttext=7", "-"},
		{3 * DAY + 5 * SEC, "msg\ta\ttext=8", "-"},
		{3 * DAY + 6 * SEC, "msg\ta\ttext=9", "-"},
		/* An admin speaks: exempt, and the run is broken. */
		{3 * DAY + 7 * SEC, "msg\tboss\ttext=calm down", "-"},
		{3 * DAY + 8 * SEC, "msg\ta\ttext=10", "-"},
		/* Admins never act on their own runs. */
		{3 * DAY + 9 * SEC, "msg\tboss\ttext=a", "-"},
		{3 * DAY + 10 * SEC, "msg\tboss\ttext=b", "-"},
		{3 * DAY + 11 * SEC, "msg\tboss\ttext=c", "-"},
		{3 * DAY + 12 * SEC, "msg\tboss\ttext=d", "-"},
		{3 * DAY + 13 * SEC, "msg\tboss\ttext=e", "-"},
		{3 * DAY + 14 * SEC, "msg\tb\ttext=1", "-"},
		{3 * DAY + 15 * SEC, "msg\tb\ttext=2", "-"},
	};
	PLAY(c, script);
	/* The run of b (2 so far) survives a snapshot. */
	c = reload(c);
	static const struct step more[] = {
		{3 * DAY + 16 * SEC, "msg\tb\ttext=3", "-"},
		{3 * DAY + 17 * SEC, "msg\tb\ttext=4", "ban b/flood"},
	};
	PLAY(c, more);
	kith_community_free(c);
}

static void consecutive_flood_syntax(void **state)
{
	(void)state;
	kith_community *c = fresh();
	assert_int_equal(try_rule(c, "f", "flood", "1 consecutive"), KITH_EINVAL);
	assert_int_equal(try_rule(c, "f", "flood", "1001 consecutive"), KITH_EINVAL);
	assert_int_equal(try_rule(c, "f", "flood", "4 consecutive in 10 s"), KITH_EINVAL);
	/* Past 32, only the consecutive form. */
	assert_int_equal(try_rule(c, "f", "flood", "40 messages in 10 s"), KITH_EINVAL);
	assert_int_equal(try_rule(c, "f", "flood", "1000 consecutive"), KITH_OK);
	assert_int_equal(try_rule(c, "f", "flood", "4 consecutive"), KITH_OK);
	assert_int_equal(try_rule(c, "r", "repeats", "40 in 30 s"), KITH_ERANGE);
	assert_int_equal(try_rule(c, "r", "repeats", "4 within 30 s"), KITH_ERANGE);
	assert_int_equal(try_rule(c, "r", "repeats", "4 in"), KITH_ERANGE);
	assert_int_equal(try_rule(c, "r", "repeats", "40"), KITH_OK);
	assert_int_equal(try_rule(c, "r", "repeats", "4 in 30 s"), KITH_OK);
	assert_int_equal(kith_rule_count(c), 2);
	kith_community_free(c);
}

/* ---- keyword forms ---------------------------------------------------------------- */

/* One message; the names of the rules it broke, "-" for none. */
static const char *broken(kith_community *c, int64_t t, const char *text)
{
	kith_event e = KITH_EVENT_INIT;
	e.type = KITH_EVENT_MESSAGE;
	e.time_ms = t;
	e.actor = "someone";
	e.actor_len = KITH_NUL_TERMINATED;
	e.text = text;
	e.text_len = KITH_NUL_TERMINATED;
	assert_int_equal(kith_community_ingest(c, &e), KITH_OK);
	static char buf[256];
	size_t at = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < kith_community_verdict_count(c); i++)
		at += (size_t)snprintf(buf + at, sizeof buf - at, "%s%s", at ? " " : "",
		                       kith_verdict_rule(c, i));
	return at ? buf : "-";
}

static void keyword_forms(void **state)
{
	(void)state;
	kith_community *c = fresh();
	/* A plain keyword still matches anywhere, as it always did. */
	rule(c, "plain", "keywords", "cat");
	rule(c, "word", "keywords", "cat");
	rule(c, "word", "keyword_match", "word");
	rule(c, "start", "keywords", "dog*");
	rule(c, "end", "keywords", "*fish");
	rule(c, "any", "keywords", "*bird*");
	rule(c, "punct", "keywords", "!spam, a*b");
	rule(c, "punct", "keyword_match", "word");
	int64_t t = T0;
	/* Discord's documented examples for "cat": whole word matches "cat"
	 * and "Cat!" but not "catapult" or "concat"; "cat*" matches
	 * "catapult"; "*cat" matches "concat"; "*cat*" matches all. */
	assert_string_equal(broken(c, t += SEC, "a cat sat"), "plain word");
	assert_string_equal(broken(c, t += SEC, "Cat!"), "plain word");
	assert_string_equal(broken(c, t += SEC, "catapult"), "plain");
	assert_string_equal(broken(c, t += SEC, "concat"), "plain");
	assert_string_equal(broken(c, t += SEC, "cat_food"), "plain");
	assert_string_equal(broken(c, t += SEC, "dogma"), "start");
	assert_string_equal(broken(c, t += SEC, "hotdog"), "-");
	assert_string_equal(broken(c, t += SEC, "hotdog, dog"), "start");
	assert_string_equal(broken(c, t += SEC, "swordfish"), "end");
	assert_string_equal(broken(c, t += SEC, "fishing"), "-");
	assert_string_equal(broken(c, t += SEC, "BLACKBIRDS"), "any");
	/* A UTF-8 letter is part of a word. */
	assert_string_equal(broken(c, t += SEC, "\xc3\xa9" "cat"), "plain");
	/* No edge is asked for beside a non-word byte of the keyword. */
	assert_string_equal(broken(c, t += SEC, "x!spam"), "punct");
	assert_string_equal(broken(c, t += SEC, "x!spammy"), "-");
	/* A star inside is a star. */
	assert_string_equal(broken(c, t += SEC, "a*b"), "punct");
	assert_string_equal(broken(c, t += SEC, "axb"), "-");
	/* Only stars, or an unknown mode, are refused; the rule stays. */
	assert_int_equal(try_rule(c, "any", "keywords", "*"), KITH_EINVAL);
	assert_int_equal(try_rule(c, "any", "keywords", "ok, **"), KITH_EINVAL);
	assert_int_equal(try_rule(c, "any", "keyword_match", "words"), KITH_EINVAL);
	assert_string_equal(broken(c, t += SEC, "bird"), "any");
	kith_community_free(c);
}

/* ---- gates on tenure and score ----------------------------------------------------- */

static void tenure_gate(void **state)
{
	(void)state;
	kith_community *c = fresh();
	/* AutoModerator's account_age: "< 7 days" and "> 30", strict. */
	rule(c, "young", "joined_days", "< 7 days");
	rule(c, "young", "keywords", "http");
	rule(c, "young", "action", "delete");
	rule(c, "old", "joined_days", "> 30");
	rule(c, "old", "action", "log");
	static const struct step script[] = {
		{0, "join\ta", "-"},
		{1 * HOUR, "msg\ta\ttext=see http://x", "delete a/young"},
		{7 * DAY - 1, "msg\ta\ttext=http://y", "delete a/young"},
		/* Exactly 7 days is not under 7 days. */
		{7 * DAY, "msg\ta\ttext=http://z", "-"},
		{30 * DAY, "msg\ta\ttext=hi", "-"},
		{30 * DAY + 1, "msg\ta\ttext=hi", "log a/old"},
		/* A new join starts the tenure again. */
		{31 * DAY, "leave\ta", "-"},
		{32 * DAY, "join\ta", "-"},
		{32 * DAY + 1, "msg\ta\ttext=http://w", "delete a/young"},
		/* Someone never seen joins with the message itself. */
		{33 * DAY, "msg\tb\ttext=http://v", "delete b/young"},
	};
	PLAY(c, script);
	assert_int_equal(try_rule(c, "x", "joined_days", "7"), KITH_EINVAL);
	assert_int_equal(try_rule(c, "x", "joined_days", "<= 7"), KITH_EINVAL);
	assert_int_equal(try_rule(c, "x", "joined_days", "< 7 weeks"), KITH_EINVAL);
	assert_int_equal(try_rule(c, "x", "joined_days", "< 36601"), KITH_EINVAL);
	assert_int_equal(try_rule(c, "x", "joined_days", "< 1."), KITH_EINVAL);
	assert_int_equal(try_rule(c, "x", "score", "< -1"), KITH_EINVAL);
	assert_int_equal(try_rule(c, "x", "score", "> 1e3"), KITH_EINVAL);
	assert_int_equal(try_rule(c, "x", "score", "< 0.5 points"), KITH_EINVAL);
	assert_int_equal(try_rule(c, "x", "joined_days", "> 0.5"), KITH_OK);
	kith_community_free(c);
}

static void score_gate(void **state)
{
	(void)state;
	kith_community *c = fresh();
	rule(c, "none", "score", "< 0");
	rule(c, "some", "score", "> 0");
	rule(c, "low", "score", "< 1000");
	/* A first message is scored 0: under 1000, not above 0, and nothing
	 * is under 0. */
	static const struct step script[] = {
		{0, "msg\ta\tid=m1\ttext=hello there, a long first message about growth", "log a/low"},
		{HOUR, "msg\ta\tid=m2\ttext=another", "log a/some log a/low"},
	};
	PLAY(c, script);
	double score;
	assert_int_equal(kith_member_score(c, 0, T0 + HOUR, &score), KITH_OK);
	assert_true(score > 0 && score < 1000);
	kith_community_free(c);
}

/* ---- groups and violation triggers -------------------------------------------------- */

static void first_of_group(void **state)
{
	(void)state;
	kith_community *c = fresh();
	rule(c, "links", "keywords", "http");
	rule(c, "links", "group", "removal");
	rule(c, "links", "action", "delete");
	rule(c, "report", "keywords", "http");
	rule(c, "report", "action", "notify");
	rule(c, "shouting", "keywords", "HTTP");
	rule(c, "shouting", "group", "Removal");
	rule(c, "shouting", "action", "delete");
	rule(c, "caps", "keywords", "CAPS");
	rule(c, "caps", "group", "removal");
	rule(c, "caps", "action", "delete");
	static const struct step script[] = {
		/* links and shouting both match: only the first of the group
		 * acts, and report, in no group, runs too. */
		{0, "msg\ta\ttext=http://x", "delete a/links notify a/report"},
		{SEC, "msg\ta\ttext=CAPS", "delete a/caps"},
	};
	PLAY(c, script);
	assert_int_equal(try_rule(c, "caps", "group", "bad name!"), KITH_EINVAL);
	kith_community_free(c);
}

static void violation_triggers(void **state)
{
	(void)state;
	kith_community *c = fresh();
	rule(c, "spam", "keywords", "buy now");
	rule(c, "spam", "action", "delete");
	/* A trigger names an existing rule, which must not count itself. */
	assert_int_equal(try_rule(c, "esc", "violations", "4 of nothing in 60 min"), KITH_ENOTFOUND);
	assert_int_equal(try_rule(c, "esc", "violations", "0 of spam in 60 min"), KITH_EINVAL);
	assert_int_equal(try_rule(c, "esc", "violations", "4 spam in 60 min"), KITH_EINVAL);
	rule(c, "mute", "violations", "3 of spam in 60 min");
	rule(c, "mute", "action", "mute 10 min");
	rule(c, "kick", "violations", "5 of Spam within 1 h");
	rule(c, "kick", "action", "kick");
	assert_int_equal(try_rule(c, "chain", "violations", "2 of mute in 60 min"), KITH_ENOTFOUND);
	assert_int_equal(try_rule(c, "kick", "keywords", "x"), KITH_EINVAL);
	/* The source cannot go while a trigger counts it. */
	assert_int_equal(kith_rule_remove(c, "spam", KITH_NUL_TERMINATED), KITH_EINVAL);
	static const struct step script[] = {
		{0, "msg\ta\ttext=buy now", "delete a/spam"},
		{10 * MIN, "msg\ta\ttext=buy now!", "delete a/spam"},
		/* b's violations are b's own. */
		{11 * MIN, "msg\tb\ttext=buy now", "delete b/spam"},
		{12 * MIN, "msg\ta\ttext=hello", "-"},
		{20 * MIN, "msg\ta\ttext=buy now!!", "delete a/spam mute a/mute"},
		{30 * MIN, "msg\ta\ttext=BUY NOW", "delete a/spam mute a/mute"},
		/* The 5th within the hour: both triggers reach their count, only
		 * the higher acts. */
		{40 * MIN, "msg\ta\ttext=buy now.", "delete a/spam kick a/kick"},
		/* At 80 min the first two are 80 and 70 minutes old: 4 left. */
		{80 * MIN, "msg\ta\ttext=buy now?", "delete a/spam mute a/mute"},
	};
	PLAY(c, script);
	c = reload(c);
	static const struct step more[] = {
		/* The records of 30, 40 and 80 min survived the snapshot. */
		{81 * MIN, "msg\ta\ttext=buy now;", "delete a/spam mute a/mute"},
		{82 * MIN, "msg\ta\ttext=buy now:", "delete a/spam kick a/kick"},
	};
	PLAY(c, more);
	kith_community_free(c);
}

/* ---- a ladder that starts again; warns forgotten ------------------------------------- */

static void ladder_resets(void **state)
{
	(void)state;
	kith_community *c = fresh();
	/* Marie's warn limit 3 in soft mode: two warnings, the third kicks
	 * and the count starts again. */
	setting(c, "rules.ladder", "warn, warn, kick");
	setting(c, "rules.ladder_resets", "yes");
	setting(c, "rules.forgive_after", "never");
	rule(c, "swear", "keywords", "darn");
	rule(c, "swear", "action", "warn");
	static const struct step script[] = {
		{0, "msg\ta\ttext=darn", "warn a/swear"},
		{DAY, "msg\ta\ttext=darn", "warn a/swear"},
		{400 * DAY, "msg\ta\ttext=darn", "kick a/swear"},
		{401 * DAY, "join\ta", "-"},
		{402 * DAY, "msg\ta\ttext=darn", "warn a/swear"},
	};
	PLAY(c, script);
	assert_int_equal(test_stat(c, "a", KITH_STAT_VIOLATIONS), 1);
	char buf[8];
	size_t need;
	assert_int_equal(kith_setting_get(c, "rules.ladder_resets", KITH_NUL_TERMINATED, buf, sizeof buf, &need), KITH_OK);
	assert_string_equal(buf, "yes");
	c = reload(c);
	static const struct step more[] = {
		{403 * DAY, "msg\ta\ttext=darn", "warn a/swear"},
		{404 * DAY, "msg\ta\ttext=darn", "kick a/swear"},
	};
	PLAY(c, more);
	assert_int_equal(kith_setting_set(c, "rules.ladder_resets", KITH_NUL_TERMINATED, "maybe", KITH_NUL_TERMINATED), KITH_EINVAL);
	kith_community_free(c);
}

/* ---- the new state in snapshots ---------------------------------------------------- */

/* CRC-32C (Castagnoli), bit by bit: the container's section checksum. */
static uint32_t crc32c(const unsigned char *p, size_t n)
{
	uint32_t crc = 0xffffffffu;
	for (size_t i = 0; i < n; i++) {
		crc ^= p[i];
		for (int b = 0; b < 8; b++)
			crc = crc & 1 ? (crc >> 1) ^ 0x82f63b78u : crc >> 1;
	}
	return ~crc;
}

static uint64_t le(const unsigned char *p, int bytes)
{
	uint64_t v = 0;
	for (int i = bytes - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* Sections follow the 16-byte header as tag, u64 length, body, u32 CRC
 * of tag, length and body. Recompute every CRC; return the body of tag. */
static size_t sections(unsigned char *snap, size_t len, const char *tag, size_t *body_len)
{
	size_t at = 16, found = 0;
	while (at + 12 <= len) {
		uint64_t n = le(snap + at + 4, 8);
		if (n > len || at + 12 + n + 4 > len)
			break;
		if (memcmp(snap + at, tag, 4) == 0) {
			found = at + 12;
			*body_len = (size_t)n;
		}
		uint32_t crc = crc32c(snap + at, 12 + (size_t)n);
		for (int i = 0; i < 4; i++)
			snap[at + 12 + n + (size_t)i] = (unsigned char)(crc >> (8 * i));
		at += 12 + (size_t)n + 4;
	}
	return found;
}

/* Every byte of the consecutive run and the violation records (the end
 * of the RULS section) flipped, checksums made right: each load either
 * fails leaving the target as it was, or gives a community that saves
 * back to exactly those bytes. */
static void run_and_violations_validated(void **state)
{
	(void)state;
	kith_community *c = fresh();
	rule(c, "spam", "keywords", "buy");
	rule(c, "esc", "violations", "2 of spam in 1 h");
	rule(c, "flood", "flood", "3 consecutive");
	/* a and b each break spam once; b's run of two is on. */
	assert_int_equal(test_line(c, "1700000000000\tmsg\ta\ttext=buy"), KITH_OK);
	assert_int_equal(test_line(c, "1700000060000\tmsg\tb\ttext=buy"), KITH_OK);
	assert_int_equal(test_line(c, "1700000120000\tmsg\tb\ttext=hi"), KITH_OK);
	size_t len;
	unsigned char *snap = test_save(c, &len);
	size_t body_len, body = sections(snap, len, "RULS", &body_len);
	assert_true(body > 0);
	/* The trailer: run (8 bytes), count (4), two records of 16. */
	size_t tail = 8 + 4 + 2 * 16;
	assert_true(body_len > tail);
	assert_int_equal(le(snap + body + body_len - tail, 4), 2); /* b's run: member 1 + 1 */
	assert_int_equal(le(snap + body + body_len - tail + 4, 4), 2);
	kith_community *t = test_community_new(NULL);
	assert_int_equal(test_line(t, "1700000000000\tmsg\tz\ttext=other"), KITH_OK);
	size_t tlen;
	unsigned char *tsnap = test_save(t, &tlen);
	unsigned char *bad = malloc(len);
	assert_non_null(bad);
	size_t loaded = 0, failed = 0;
	for (size_t i = body + body_len - tail; i < body + body_len; i++) {
		for (int m = 0; m < 2; m++) {
			memcpy(bad, snap, len);
			bad[i] ^= m ? 0x80 : 0x01;
			sections(bad, len, "RULS", &body_len);
			if (test_load(t, bad, len) == KITH_OK) {
				size_t l2;
				unsigned char *again = test_save(t, &l2);
				if (l2 != len || memcmp(again, bad, len) != 0)
					fail_msg("byte %zu ^ %d loaded but saves differently", i, m);
				free(again);
				assert_int_equal(test_load(t, tsnap, tlen), KITH_OK);
				loaded++;
			} else {
				if (strstr(kith_community_last_error(t), "byte") == NULL &&
				    strstr(kith_community_last_error(t), "offset") == NULL)
					fail_msg("byte %zu: the error names no place: %s", i,
					         kith_community_last_error(t));
				size_t l2;
				unsigned char *now = test_save(t, &l2);
				if (l2 != tlen || memcmp(now, tsnap, tlen) != 0)
					fail_msg("byte %zu: a failed load changed the target", i);
				free(now);
				failed++;
			}
		}
	}
	assert_true(failed > 0 && loaded > 0);
	free(bad);
	free(tsnap);
	free(snap);
	kith_community_free(t);
	kith_community_free(c);
}

/* ---- the presets ------------------------------------------------------------------- */

/* A community with examples/charters/NAME applied; NULL (the test
 * skipped) when the charters are not beside the examples' data. */
static kith_community *preset(const char *name)
{
	const char *dir = getenv("KITH_EXAMPLES_DATA");
	char path[4096];
	snprintf(path, sizeof path, "%s/../charters/%s", dir ? dir : "examples/data", name);
	size_t len;
	char *text = test_read_file(path, &len);
	if (!text)
		fail_msg("cannot read the preset %s", path);
	kith_community *c = fresh();
	kith_status st = kith_community_apply_charter(c, text, len);
	if (st != KITH_OK)
		fail_msg("preset %s: %s", name, kith_community_last_error(c));
	free(text);
	return c;
}

static void preset_marie(void **state)
{
	(void)state;
	kith_community *c = preset("marie");
	rule(c, "warn-filter", "keywords", "darn");
	static const struct step script[] = {
		{0, "join\tboss", "-"},
		{0, "role\tboss\trole=+admin", "-"},
		/* Antiflood, limit 3: the 4th consecutive message bans. */
		{1 * SEC, "msg\ta\ttext=one", "-"},
		{2 * SEC, "msg\ta\ttext=two", "-"},
		{3 * SEC, "msg\ta\ttext=three", "-"},
		{4 * SEC, "msg\ta\ttext=four", "ban a/antiflood"},
		/* An admin speaking in between resets the count: no ban. */
		{10 * SEC, "msg\tb\ttext=one", "-"},
		{11 * SEC, "msg\tb\ttext=two", "-"},
		{12 * SEC, "msg\tb\ttext=three", "-"},
		{13 * SEC, "msg\tboss\ttext=slow down", "-"},
		{14 * SEC, "msg\tb\ttext=four", "-"},
		{15 * SEC, "msg\tb\ttext=five", "-"},
		{16 * SEC, "msg\tb\ttext=six", "-"},
		/* Warn limit 3, strong mode: warn, warn, ban, and the count
		 * resets; warns never expire (a year between them). */
		{20 * SEC, "msg\td\ttext=darn", "warn d/warn-filter"},
		{21 * SEC, "msg\tb\ttext=hi", "-"},
		{DAY, "msg\td\ttext=darn it", "warn d/warn-filter"},
		{DAY + SEC, "msg\tb\ttext=hi", "-"},
		{365 * DAY, "msg\td\ttext=Darn!", "ban d/warn-filter"},
		{366 * DAY, "join\td", "-"},
		{366 * DAY + SEC, "msg\td\ttext=darn", "warn d/warn-filter"},
		/* Whole words only; admins cannot be warned. */
		{366 * DAY + 2 * SEC, "msg\tb\ttext=darnedest", "-"},
		{366 * DAY + 3 * SEC, "msg\tboss\ttext=darn", "-"},
		/* An antiflood ban adds no warn: a, banned for flooding and let
		 * back in, is warned twice before the warn limit bans. */
		{367 * DAY, "join\ta", "-"},
		{367 * DAY + SEC, "msg\ta\ttext=darn", "warn a/warn-filter"},
		{367 * DAY + 2 * SEC, "msg\tb\ttext=hi", "-"},
		{367 * DAY + 3 * SEC, "msg\ta\ttext=darn", "warn a/warn-filter"},
		{367 * DAY + 4 * SEC, "msg\tb\ttext=hi", "-"},
		{367 * DAY + 5 * SEC, "msg\ta\ttext=darn", "ban a/warn-filter"},
	};
	PLAY(c, script);
	kith_community_free(c);
}

static void preset_rose(void **state)
{
	(void)state;
	kith_community *c = preset("rose");
	rule(c, "warn-filter", "keywords", "darn");
	static const struct step script[] = {
		{0, "msg\ta\ttext=1", "-"},
		{1 * SEC, "msg\ta\ttext=2", "-"},
		{2 * SEC, "msg\ta\ttext=3", "-"},
		{3 * SEC, "msg\ta\ttext=4", "-"},
		{4 * HOUR, "msg\ta\ttext=5", "-"},
		/* Limit 5: the 6th in a row mutes, however slow. */
		{5 * HOUR, "msg\ta\ttext=6", "mute a/antiflood"},
		{6 * HOUR, "msg\tb\ttext=darn", "warn b/warn-filter"},
		{6 * HOUR + 1, "msg\tb\ttext=darn", "warn b/warn-filter"},
		{6 * HOUR + 2, "msg\tb\ttext=darn", "ban b/warn-filter"},
		/* The antiflood mute added no warn: a's first warn is a warn. */
		{7 * HOUR, "msg\ta\ttext=darn", "warn a/warn-filter"},
		{7 * HOUR + 1, "msg\tb\ttext=hi", "-"},
		{7 * HOUR + 2, "msg\ta\ttext=darn", "warn a/warn-filter"},
	};
	PLAY(c, script);
	assert_int_equal(try_rule(c, "antiflood", "counted", "maybe"), KITH_EINVAL);
	assert_non_null(strstr(kith_community_last_error(c), "'maybe'"));
	kith_community_free(c);
}

static void preset_combot(void **state)
{
	(void)state;
	kith_community *c = preset("combot");
	rule(c, "warn-filter", "keywords", "darn");
	static const struct step script[] = {
		/* a's third warn comes 29 days after the second: ban. */
		{0, "msg\ta\ttext=darn", "warn a/warn-filter"},
		{1 * DAY, "msg\ta\ttext=darn", "warn a/warn-filter"},
		{30 * DAY, "msg\ta\ttext=darn", "ban a/warn-filter"},
		/* b's comes 30 days after the second: the warns are gone, this
		 * is a first warn again. */
		{40 * DAY, "msg\tb\ttext=darn", "warn b/warn-filter"},
		{41 * DAY, "msg\tb\ttext=darn", "warn b/warn-filter"},
		{71 * DAY, "msg\tb\ttext=darn", "warn b/warn-filter"},
		{72 * DAY, "msg\tb\ttext=darn", "warn b/warn-filter"},
		{73 * DAY, "msg\tb\ttext=darn", "ban b/warn-filter"},
		/* The 12-hour restriction, for a link from a plain member. */
		{74 * DAY, "msg\tc\ttext=join http://spam.example", "delete c/restrict mute c/restrict"},
	};
	PLAY(c, script);
	for (size_t i = 0; i < kith_community_verdict_count(c); i++)
		if (kith_verdict_action(c, i) == KITH_ACTION_MUTE)
			assert_int_equal(kith_verdict_mute_ms(c, i), 12 * HOUR);
	kith_community_free(c);
}

/* A burst of five messages within 5 s by who, starting at `at`: the 5th
 * breaks slow mode (5 messages in 5 s); want is what the peer does then. */
static void burst(kith_community *c, const char *who, int64_t at, const char *want)
{
	struct step st[5];
	char lines[5][64];
	for (int k = 0; k < 5; k++) {
		snprintf(lines[k], sizeof lines[k], "msg\t%s\ttext=m%d", who, k);
		st[k] = (struct step){at + k * SEC, lines[k], k == 4 ? want : "-"};
	}
	play(c, st, 5);
}

static void preset_yagpdb(void **state)
{
	(void)state;
	kith_community *c = preset("yagpdb-automod");
	/* a: violations at 0, 20, 40 and 59 min: the 4th within 60 minutes
	 * escalates to a 10-minute mute. */
	burst(c, "a", 0, "delete a/slowmode");
	burst(c, "a", 20 * MIN, "delete a/slowmode");
	burst(c, "a", 40 * MIN, "delete a/slowmode");
	burst(c, "a", 59 * MIN, "delete a/slowmode mute a/slowmode-escalate");
	assert_int_equal(kith_verdict_mute_ms(c, 1), 10 * MIN);
	/* b: at 0, 20, 40 and 61 min: the first is 61 minutes old, only
	 * three are within the hour. */
	int64_t b0 = 3 * HOUR;
	burst(c, "b", b0, "delete b/slowmode");
	burst(c, "b", b0 + 20 * MIN, "delete b/slowmode");
	burst(c, "b", b0 + 40 * MIN, "delete b/slowmode");
	burst(c, "b", b0 + 61 * MIN, "delete b/slowmode");
	/* The same message 4 times within 30 s; for e the 4th comes 30 s
	 * after the first: not within. */
	static const struct step dup[] = {
		{6 * HOUR, "msg\td\ttext=free nitro", "-"},
		{6 * HOUR + 10 * SEC, "msg\td\ttext=free nitro", "-"},
		{6 * HOUR + 20 * SEC, "msg\td\ttext=free nitro", "-"},
		{6 * HOUR + 29 * SEC, "msg\td\ttext=free nitro", "delete d/duplicate"},
		{7 * HOUR, "msg\te\ttext=free nitro", "-"},
		{7 * HOUR + 10 * SEC, "msg\te\ttext=free nitro", "-"},
		{7 * HOUR + 20 * SEC, "msg\te\ttext=free nitro", "-"},
		{7 * HOUR + 30 * SEC, "msg\te\ttext=free nitro", "-"},
		/* The 5th: the first of the last four came 20 s before. */
		{7 * HOUR + 30 * SEC + 1, "msg\te\ttext=free nitro", "delete e/duplicate"},
	};
	PLAY(c, dup);
	/* Mentions: 4 or more distinct users in one message; the same user
	 * twice is one mention, and an e-mail address is none. Four such
	 * messages within the hour escalate like the other rules. */
	static const struct step mentions[] = {
		{8 * HOUR, "msg\tf\ttext=@ann @bob @cid hi", "-"},
		{8 * HOUR + 1 * MIN, "msg\tf\ttext=@ann @bob @cid @Ann @bob", "-"},
		{8 * HOUR + 2 * MIN, "msg\tf\ttext=@ann @bob @cid ann@dee.example", "-"},
		{8 * HOUR + 3 * MIN, "msg\tf\ttext=@ann @bob @cid @dee", "delete f/mentions"},
		{8 * HOUR + 4 * MIN, "msg\tf\ttext=<@11> <@!22> <@33> <@!44> look", "delete f/mentions"},
		{8 * HOUR + 5 * MIN, "msg\tf\ttext=<@11> <@!11> @11 <@22> @cid", "-"},
		{8 * HOUR + 6 * MIN, "msg\tf\ttext=@a,@b;@c(@d)", "delete f/mentions"},
		{8 * HOUR + 7 * MIN, "msg\tf\ttext=@a @b @c @d @e",
		 "delete f/mentions mute f/mentions-escalate"},
	};
	PLAY(c, mentions);
	kith_community_free(c);
}

/* The mentions key: a count from 1 to 100, refused otherwise; names end
 * at a Unicode space as chats write them ("@Ann\u2005"). */
static void mentions_syntax(void **state)
{
	(void)state;
	kith_community *c = fresh();
	assert_int_equal(try_rule(c, "m", "mentions", "0"), KITH_ERANGE);
	assert_non_null(strstr(kith_community_last_error(c), "mentions"));
	assert_int_equal(try_rule(c, "m", "mentions", "101"), KITH_ERANGE);
	assert_int_equal(try_rule(c, "m", "mentions", "four"), KITH_ERANGE);
	rule(c, "m", "mentions", "2");
	rule(c, "m", "action", "delete");
	static const struct step script[] = {
		/* "@Ann\u2005@Bob": two names, not one that runs on */
		{0, "msg\ta\ttext=@Ann\xe2\x80\x85@Bob", "delete a/m"},
		{1 * MIN, "msg\ta\ttext=@Ann\xe2\x80\x85@ann\xe3\x80\x80", "-"},
		{2 * MIN, "msg\ta\ttext=x@Ann y@Bob", "-"},
	};
	PLAY(c, script);
	c = reload(c);
	static const struct step after[] = {
		{3 * MIN, "msg\ta\ttext=@Ann and @Bob", "delete a/m"},
	};
	PLAY(c, after);
	kith_community_free(c);
}

static void preset_automoderator(void **state)
{
	(void)state;
	kith_community *c = preset("automoderator");
	static const struct step script[] = {
		{0, "join\tmod", "-"},
		{0, "role\tmod\trole=+admin", "-"},
		{0, "join\ta", "-"},
		{0, "join\tb", "-"},
		{0, "join\tc", "-"},
		/* A moderator is exempt from removal; the report still runs. */
		{1 * DAY, "msg\tmod\ttext=see http://mod.example", "notify mod/report-links"},
		/* Two removal rules match (young account, banned word): only
		 * the first acts; the report runs as well. */
		{1 * DAY, "msg\ta\ttext=scam at http://x.example", "delete a/new-account-links notify a/report-links"},
		{7 * DAY - 1, "msg\tb\ttext=www.example.com", "delete b/new-account-links notify b/report-links"},
		/* Exactly 7 days is not under 7 days: the next removal rule
		 * (score under 1; b has no score yet) acts instead. */
		{7 * DAY, "msg\tc\ttext=http://y.example", "delete c/low-score-links notify c/report-links"},
		/* Whole words. */
		{8 * DAY, "msg\tc\ttext=a scammer", "-"},
		{8 * DAY + 1, "msg\tc\ttext=a Scam!", "delete c/banned-words"},
	};
	PLAY(c, script);
	kith_community_free(c);
}

static void preset_discord_prune(void **state)
{
	(void)state;
	kith_community *c = preset("discord-prune");
	static const struct step script[] = {
		{0, "join\tquiet", "-"},
		{0, "join\tranked", "-"},
		{0, "role\tranked\trole=+helper", "-"},
		{0, "join\ttalker", "-"},
		{3 * DAY, "msg\ttalker\ttext=hello", "-"},
		{4 * DAY, "join\tlate", "-"},
	};
	PLAY(c, script);
	/* At day 8: quiet has been inactive 8 days (pruned); ranked too, but
	 * holds a role (spared); talker spoke 5 days ago and late joined 4
	 * days ago (both within 7 days). */
	kith_cleanup_plan *plan = NULL;
	assert_int_equal(kith_cleanup_plan_new(c, T0 + 8 * DAY, &plan), KITH_OK);
	assert_int_equal(kith_cleanup_plan_count(plan), 1);
	uint32_t member;
	kith_cleanup_stage stage;
	kith_cleanup_reason reason;
	assert_int_equal(kith_cleanup_plan_entry(plan, 0, &member, &stage, &reason), KITH_OK);
	assert_string_equal(kith_member_id(c, member, NULL), "quiet");
	assert_int_equal(stage, KITH_CLEANUP_STAGE_REMOVE);
	int64_t spared;
	assert_int_equal(kith_cleanup_plan_summary(plan, KITH_CLEANUP_SUMMARY_PROTECTED_ROLE, &spared), KITH_OK);
	assert_int_equal(spared, 1);
	kith_cleanup_plan_free(plan);
	/* Just before day 11: talker's last message is nearly 8 days old,
	 * pruned too; late joined 1 ms less than 7 days ago, kept. */
	assert_int_equal(kith_cleanup_plan_new(c, T0 + 11 * DAY - 1, &plan), KITH_OK);
	assert_int_equal(kith_cleanup_plan_count(plan), 2);
	kith_cleanup_plan_free(plan);
	kith_community_free(c);
}

/* Discord's prune with roles chosen: a member holding any role is
 * spared unless every role they hold is among those chosen. Here
 * "newbie" is chosen: holding newbie alone spares no one, holding it
 * with helper does, and the choice survives a snapshot. */
static void discord_prune_roles_chosen(void **state)
{
	(void)state;
	kith_community *c = preset("discord-prune");
	static const char roles[] = "[role newbie]\nprotected = no\n[role helper]\nprotected = no\n";
	assert_int_equal(kith_community_apply_charter(c, roles, strlen(roles)), KITH_OK);
	/* Bad lists are refused with where and why, and change nothing. */
	static const char bad_name[] = "[cleanup]\nprune_roles = newbie, new bie\n";
	assert_int_equal(kith_community_apply_charter(c, bad_name, strlen(bad_name)), KITH_EINVAL);
	assert_non_null(strstr(kith_community_last_error(c), "line 2, column 15"));
	assert_non_null(strstr(kith_community_last_error(c), "'new bie'"));
	static const char unknown[] = "[cleanup]\nprune_roles = newbie, ghost\n";
	assert_int_equal(kith_community_apply_charter(c, unknown, strlen(unknown)), KITH_EINVAL);
	assert_non_null(strstr(kith_community_last_error(c), "'ghost'"));
	static const char twice[] = "[cleanup]\nprune_roles = newbie, NEWBIE\n";
	assert_int_equal(kith_community_apply_charter(c, twice, strlen(twice)), KITH_EINVAL);
	assert_non_null(strstr(kith_community_last_error(c), "twice"));
	char buf[64];
	assert_int_equal(kith_setting_get(c, "cleanup.prune_roles", KITH_NUL_TERMINATED, buf,
	                                  sizeof buf, NULL),
	                 KITH_OK);
	assert_string_equal(buf, "");
	static const char chosen[] = "[cleanup]\nprune_roles = newbie\n";
	assert_int_equal(kith_community_apply_charter(c, chosen, strlen(chosen)), KITH_OK);
	assert_int_equal(kith_setting_get(c, "cleanup.prune_roles", KITH_NUL_TERMINATED, buf,
	                                  sizeof buf, NULL),
	                 KITH_OK);
	assert_string_equal(buf, "newbie");
	static const struct step script[] = {
		{0, "join\tnone", "-"},
		{0, "join\tnewbie-only", "-"},
		{0, "role\tnewbie-only\trole=+newbie", "-"},
		{0, "join\tboth", "-"},
		{0, "role\tboth\trole=+newbie", "-"},
		{0, "role\tboth\trole=+helper", "-"},
		{0, "join\thelper-only", "-"},
		{0, "role\thelper-only\trole=+helper", "-"},
	};
	PLAY(c, script);
	for (int pass = 0; pass < 2; pass++) {
		/* At day 8 all four have been inactive 8 days: none and
		 * newbie-only are pruned, both and helper-only spared. */
		kith_cleanup_plan *plan = NULL;
		assert_int_equal(kith_cleanup_plan_new(c, T0 + 8 * DAY, &plan), KITH_OK);
		assert_int_equal(kith_cleanup_plan_count(plan), 2);
		const char *pruned[2];
		for (size_t i = 0; i < 2; i++) {
			uint32_t member;
			kith_cleanup_stage stage;
			kith_cleanup_reason reason;
			assert_int_equal(kith_cleanup_plan_entry(plan, i, &member, &stage, &reason),
			                 KITH_OK);
			pruned[i] = kith_member_id(c, member, NULL);
		}
		assert_true((strcmp(pruned[0], "none") == 0 && strcmp(pruned[1], "newbie-only") == 0) ||
		            (strcmp(pruned[0], "newbie-only") == 0 && strcmp(pruned[1], "none") == 0));
		int64_t spared;
		assert_int_equal(kith_cleanup_plan_summary(plan, KITH_CLEANUP_SUMMARY_PROTECTED_ROLE,
		                                           &spared),
		                 KITH_OK);
		assert_int_equal(spared, 2);
		kith_cleanup_plan_free(plan);
		if (pass == 0)
			c = reload(c);
	}
	/* Clearing the choice spares every role holder again. */
	setting(c, "cleanup.prune_roles", "");
	kith_cleanup_plan *plan = NULL;
	assert_int_equal(kith_cleanup_plan_new(c, T0 + 8 * DAY, &plan), KITH_OK);
	assert_int_equal(kith_cleanup_plan_count(plan), 1);
	kith_cleanup_plan_free(plan);
	kith_community_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(consecutive_flood),
		cmocka_unit_test(consecutive_flood_syntax),
		cmocka_unit_test(keyword_forms),
		cmocka_unit_test(tenure_gate),
		cmocka_unit_test(score_gate),
		cmocka_unit_test(first_of_group),
		cmocka_unit_test(violation_triggers),
		cmocka_unit_test(ladder_resets),
		cmocka_unit_test(run_and_violations_validated),
		cmocka_unit_test(preset_marie),
		cmocka_unit_test(preset_rose),
		cmocka_unit_test(preset_combot),
		cmocka_unit_test(preset_yagpdb),
		cmocka_unit_test(mentions_syntax),
		cmocka_unit_test(preset_automoderator),
		cmocka_unit_test(preset_discord_prune),
		cmocka_unit_test(discord_prune_roles_chosen),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
