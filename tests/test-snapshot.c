/*
 * Snapshots: a rich community survives save and load with every query
 * answering the same and the same bytes coming back; the loaded community
 * keeps behaving like the original; corrupt, truncated, foreign and newer
 * snapshots fail cleanly without touching the target; allocation and I/O
 * failures fail cleanly and leak nothing.
 *
 * SPDX-License-Identifier: MIT
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/community.h"
#include "model/members.h"
#include "model/registry.h"
#include "util/crc32c.h"
#include "util/hash.h"
#include "testutil.h"

/* 2023-11-14 22:13:20 UTC, already the 15th at +08:00. */
#define T0 INT64_C(1700000000000)
#define MINUTE INT64_C(60000)
#define HOUR (60 * MINUTE)
#define DAY (24 * HOUR)

/* ---- helpers ----------------------------------------------------------- */

#if defined(__GNUC__)
#define TEST_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define TEST_PRINTF(a, b)
#endif

/* Ingest one trace line built like printf; fail the test on error. */
static void line(kith_community *c, const char *fmt, ...) TEST_PRINTF(2, 3);

static void line(kith_community *c, const char *fmt, ...)
{
	char buf[4096];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	assert_true(n > 0 && (size_t)n < sizeof buf);
	kith_status st = kith_community_ingest_trace_line(c, buf, (size_t)n, 1);
	if (st != KITH_OK)
		fail_msg("'%s': %s (%s)", buf, kith_community_last_error(c), kith_status_name(st));
}

static void set(kith_community *c, const char *name, const char *value)
{
	kith_status st = kith_setting_set(c, name, KITH_NUL_TERMINATED, value, KITH_NUL_TERMINATED);
	if (st != KITH_OK)
		fail_msg("%s = %s: %s", name, value, kith_community_last_error(c));
}

static uint32_t member(const kith_community *c, const char *id)
{
	uint32_t h = UINT32_MAX;
	if (kith_community_find_member(c, id, KITH_NUL_TERMINATED, &h) != KITH_OK)
		fail_msg("no member '%s'", id);
	return h;
}

static bool same_bytes(const unsigned char *a, size_t an, const unsigned char *b, size_t bn)
{
	return an == bn && (an == 0 || memcmp(a, b, an) == 0);
}

/* The ids the stories use, first ids and aliases, plus some never seen. */
static const char *const probe_ids[] = {
	"owner", "alice",  "bob",    "carol",  "dave",   "eve",      "frank", "gina",
	"hank",  "ivy",    "jack",   "kim",    "leo",    "alice_away", "frank2", "x1",
	"nobody", "Alice", "bob ",   "newbie", "late1",  "late2",    "hank_alt",
};

/* Message ids the stories use are m1 .. m60. */
#define MSG_IDS 60

/* Everything a caller can ask of a community, compared between two. */
static void assert_same_community(const kith_community *a, const kith_community *b)
{
	assert_int_equal(kith_community_member_count(a), kith_community_member_count(b));
	assert_int_equal(kith_community_present_count(a), kith_community_present_count(b));
	assert_int_equal(kith_community_message_count(a), kith_community_message_count(b));
	assert_int_equal(kith_community_last_event_ms(a), kith_community_last_event_ms(b));
	assert_int_equal(kith_community_event_count(a), kith_community_event_count(b));
	int64_t fa = 1, fb = 2;
	assert_int_equal(kith_community_first_event_ms(a, &fa), kith_community_first_event_ms(b, &fb));
	if (kith_community_event_count(a))
		assert_int_equal(fa, fb);
	assert_true(kith_community_value_ratio(a) == kith_community_value_ratio(b));

	/* Settings, through the discovery API so that none is forgotten. */
	assert_int_equal(kith_setting_count(a), kith_setting_count(b));
	for (size_t i = 0; i < kith_setting_count(a); i++) {
		const char *na, *nb;
		kith_setting_type ta, tb;
		assert_int_equal(kith_setting_describe(a, i, &na, &ta, NULL, NULL), KITH_OK);
		assert_int_equal(kith_setting_describe(b, i, &nb, &tb, NULL, NULL), KITH_OK);
		assert_string_equal(na, nb);
		assert_int_equal(ta, tb);
		char va[8192], vb[8192];
		assert_int_equal(kith_setting_get(a, na, KITH_NUL_TERMINATED, va, sizeof va, NULL),
		                 KITH_OK);
		assert_int_equal(kith_setting_get(b, nb, KITH_NUL_TERMINATED, vb, sizeof vb, NULL),
		                 KITH_OK);
		assert_string_equal(va, vb);
	}

	/* Rules: every engine-wide setting, every rule and key. */
	static const char *const globals[] = {"rules.ladder", "rules.forgive_after",
	                                      "templates.welcome", "templates.warning",
	                                      "templates.reminder", "templates.ultimatum",
	                                      "templates.reward"};
	static const char *const keys[] = {"keywords", "regex", "kinds", "flood", "repeats",
	                                   "links_need_permission", "invite_needs_permission",
	                                   "name_format_deadline", "off_topic", "new_member_hours",
	                                   "first_message_link", "unless_role", "action"};
	for (size_t i = 0; i < sizeof globals / sizeof *globals; i++) {
		char va[4096], vb[4096];
		assert_int_equal(
		        kith_setting_get(a, globals[i], KITH_NUL_TERMINATED, va, sizeof va, NULL),
		        KITH_OK);
		assert_int_equal(
		        kith_setting_get(b, globals[i], KITH_NUL_TERMINATED, vb, sizeof vb, NULL),
		        KITH_OK);
		assert_string_equal(va, vb);
	}
	assert_int_equal(kith_rule_count(a), kith_rule_count(b));
	for (size_t i = 0; i < kith_rule_count(a); i++) {
		assert_string_equal(kith_rule_name(a, i), kith_rule_name(b, i));
		for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) {
			char name[160], va[4096], vb[4096];
			snprintf(name, sizeof name, "rule.%s.%s", kith_rule_name(a, i), keys[k]);
			assert_int_equal(
			        kith_setting_get(a, name, KITH_NUL_TERMINATED, va, sizeof va, NULL),
			        KITH_OK);
			assert_int_equal(
			        kith_setting_get(b, name, KITH_NUL_TERMINATED, vb, sizeof vb, NULL),
			        KITH_OK);
			assert_string_equal(va, vb);
		}
	}

	/* Roles. */
	uint32_t roles = kith_community_role_count(a);
	assert_int_equal(roles, kith_community_role_count(b));
	for (uint32_t r = 0; r < roles; r++) {
		assert_string_equal(kith_role_name(a, r), kith_role_name(b, r));
		assert_int_equal(kith_role_permissions(a, r), kith_role_permissions(b, r));
		assert_int_equal(kith_role_is_protected(a, r), kith_role_is_protected(b, r));
	}

	/* Members: every statistic, active days, scores, ids, names, roles. */
	uint32_t count = (uint32_t)kith_community_member_count(a);
	const int64_t last = kith_community_last_event_ms(a);
	const int64_t nows[] = {last, last + 3 * HOUR, last + 2 * DAY, last + 45 * DAY, last + 400 * DAY};
	for (uint32_t h = 0; h < count; h++) {
		for (int s = KITH_STAT_PRESENT; s <= KITH_STAT_LAST_VIOLATION_MS; s++) {
			int64_t va = 0, vb = 0;
			assert_int_equal(kith_member_stat(a, h, (kith_stat)s, &va), KITH_OK);
			assert_int_equal(kith_member_stat(b, h, (kith_stat)s, &vb), KITH_OK);
			if (va != vb)
				fail_msg("member %u stat %d: %lld != %lld", (unsigned)h, s, (long long)va,
				         (long long)vb);
		}
		for (int k = 0; k < KITH_KIND_COUNT; k++) {
			int64_t va = 0, vb = 0;
			kith_stat s = (kith_stat)(KITH_STAT_KIND_BASE + k);
			assert_int_equal(kith_member_stat(a, h, s, &va), KITH_OK);
			assert_int_equal(kith_member_stat(b, h, s, &vb), KITH_OK);
			assert_int_equal(va, vb);
		}
		for (size_t t = 0; t < sizeof nows / sizeof nows[0]; t++) {
			const uint32_t windows[] = {1, 7, 30, 128};
			for (size_t w = 0; w < 4; w++) {
				uint32_t da = 99, db = 98;
				assert_int_equal(kith_member_active_days(a, h, nows[t], windows[w], &da), KITH_OK);
				assert_int_equal(kith_member_active_days(b, h, nows[t], windows[w], &db), KITH_OK);
				assert_int_equal(da, db);
			}
			double sa = -1, sb = -2;
			assert_int_equal(kith_member_score(a, h, nows[t], &sa), KITH_OK);
			assert_int_equal(kith_member_score(b, h, nows[t], &sb), KITH_OK);
			if (sa != sb)
				fail_msg("member %u score at %lld: %.17g != %.17g", (unsigned)h,
				         (long long)nows[t], sa, sb);
		}
		size_t la, lb;
		const char *ia = kith_member_id(a, h, &la), *ib = kith_member_id(b, h, &lb);
		assert_non_null(ia);
		assert_non_null(ib);
		assert_true(same_bytes((const unsigned char *)ia, la, (const unsigned char *)ib, lb));
		const char *da = kith_member_display_name(a, h, &la);
		const char *db = kith_member_display_name(b, h, &lb);
		assert_true((da == NULL) == (db == NULL));
		if (da)
			assert_true(same_bytes((const unsigned char *)da, la, (const unsigned char *)db, lb));
		for (uint32_t r = 0; r <= roles; r++)
			assert_int_equal(kith_member_has_role(a, h, r), kith_member_has_role(b, h, r));
	}

	/* Lookups by first id, by alias and of unknown ids. */
	for (size_t i = 0; i < sizeof probe_ids / sizeof probe_ids[0]; i++) {
		uint32_t ha = UINT32_MAX, hb = UINT32_MAX - 1;
		kith_status sa = kith_community_find_member(a, probe_ids[i], KITH_NUL_TERMINATED, &ha);
		kith_status sb = kith_community_find_member(b, probe_ids[i], KITH_NUL_TERMINATED, &hb);
		assert_int_equal(sa, sb);
		if (sa == KITH_OK)
			assert_int_equal(ha, hb);
	}

	/* The graph, edge by edge and pair by pair. */
	size_t edges = kith_community_edge_count(a);
	assert_int_equal(edges, kith_community_edge_count(b));
	for (size_t i = 0; i < edges; i++) {
		uint32_t sa, ta, ca[4], sb, tb, cb[4];
		assert_int_equal(kith_community_edge(a, i, &sa, &ta, ca), KITH_OK);
		assert_int_equal(kith_community_edge(b, i, &sb, &tb, cb), KITH_OK);
		assert_int_equal(sa, sb);
		assert_int_equal(ta, tb);
		assert_memory_equal(ca, cb, sizeof ca);
	}
	for (uint32_t s = 0; s < count; s++)
		for (uint32_t t = 0; t < count; t++)
			for (int k = 0; k < 4; k++) {
				uint32_t xa = 7, xb = 8;
				kith_interaction kind = (kith_interaction)k;
				assert_int_equal(kith_community_interactions(a, s, t, kind, &xa), KITH_OK);
				assert_int_equal(kith_community_interactions(b, s, t, kind, &xb), KITH_OK);
				assert_int_equal(xa, xb);
			}

	/* The digest. */
	size_t digest = kith_community_digest_count(a);
	assert_int_equal(digest, kith_community_digest_count(b));
	for (size_t i = 0; i < digest; i++) {
		const char *ma, *mb;
		size_t la = 0, lb = 0;
		uint32_t aa, ab;
		double va, vb;
		assert_int_equal(kith_community_digest_entry(a, i, &ma, &la, &aa, &va), KITH_OK);
		assert_int_equal(kith_community_digest_entry(b, i, &mb, &lb, &ab, &vb), KITH_OK);
		assert_true((ma == NULL) == (mb == NULL));
		if (ma)
			assert_true(same_bytes((const unsigned char *)ma, la, (const unsigned char *)mb, lb));
		assert_int_equal(aa, ab);
		assert_true(va == vb);
	}

	/* Message values, for every id the stories use. */
	for (int i = 0; i <= MSG_IDS; i++) {
		char id[16];
		snprintf(id, sizeof id, "m%d", i);
		double va = -1, vb = -2;
		kith_status sa = kith_community_message_value(a, id, KITH_NUL_TERMINATED, &va);
		kith_status sb = kith_community_message_value(b, id, KITH_NUL_TERMINATED, &vb);
		assert_int_equal(sa, sb);
		if (sa == KITH_OK && va != vb)
			fail_msg("message %s: value %.17g != %.17g", id, va, vb);
	}
}

/* ---- the rich community ----------------------------------------------- */

static void configure(kith_community *c)
{
	set(c, "community.name", "Fission Growth Lab");
	set(c, "community.topics", "fission, growth, Referral");
	set(c, "community.utc_offset", "+08:00");
	set(c, "community.capacity", "300");
	set(c, "community.name_format", "^[A-Z][a-z]+-[A-Za-z]+-.+$");
	set(c, "value.half_life_days", "7.5");
	set(c, "value.weight.photo", "0.95");
	set(c, "value.reply_credit", "0.25");
	set(c, "value.high_threshold", "0.6");
	/* The smallest ledger, so that the stories overflow it. */
	set(c, "ledger.capacity", "16");
	set(c, "digest.size", "5");
	set(c, "role.mentor.permissions", "links, announce");
	set(c, "role.mentor.protected", "yes");
	assert_int_equal(kith_community_define_role(c, "guest", KITH_NUL_TERMINATED, KITH_PERM_LINKS, 0, NULL),
	                 KITH_OK);
	/* A built-in role redefined. */
	assert_int_equal(kith_community_define_role(c, "helper", KITH_NUL_TERMINATED, KITH_PERM_EXEMPT, 0, NULL),
	                 KITH_OK);
}

/* The first part of the story: every event type, over ten days. */
static void story_part1(kith_community *c)
{
	int64_t t = T0;
	line(c, "kith-trace 1");
	line(c, "%lld\tjoin\towner", (long long)t);
	line(c, "%lld\trole\towner\trole=+owner", (long long)(t += MINUTE));
	line(c, "%lld\tjoin\talice\tby=owner", (long long)(t += MINUTE));
	line(c, "%lld\tjoin\tbob\tby=alice", (long long)(t += MINUTE));
	line(c, "%lld\tjoin\tcarol\tby=alice", (long long)(t += MINUTE));
	line(c, "%lld\tjoin\tdave", (long long)(t += MINUTE));
	line(c, "%lld\tmsg\talice\tid=m1\tkind=text\tlen=42\ttags=question\ttext=how do I set up fission?",
	     (long long)(t += MINUTE));
	line(c, "%lld\tmsg\tbob\tid=m2\tkind=text\treply=m1\tto=alice\ttags=answer\ttext=use the referral "
	        "link from the pinned post",
	     (long long)(t += MINUTE));
	line(c, "%lld\treact\tcarol\tmsg=m2\tto=bob", (long long)(t += MINUTE));
	line(c, "%lld\tnick\talice\tname=Shanghai-Ops-Alice", (long long)(t += MINUTE));
	line(c, "%lld\tnick\tbob\tname=bobby", (long long)(t += MINUTE));
	line(c, "%lld\talias\talice\tnew=alice_away", (long long)(t += MINUTE));
	line(c, "%lld\tmsg\tdave\tid=m3\tkind=photo\ttags=growth", (long long)(t += MINUTE));
	line(c, "%lld\tmsg\tcarol\tid=m4\tkind=sticker\ttags=greeting", (long long)(t += MINUTE));
	line(c, "%lld\tmsg\tbob\tid=m5\tkind=link\ttext=http://example.com/fission", (long long)(t += MINUTE));
	line(c, "%lld\tmsg\teve\tid=m6\tkind=video\tto=carol", (long long)(t += MINUTE));
	line(c, "%lld\treport\talice\ttarget=eve\tmsg=m6", (long long)(t += MINUTE));
	line(c, "%lld\tattend\talice\tactivity=member-qa", (long long)(t += MINUTE));
	line(c, "%lld\tattend\tfrank\tactivity=member-qa", (long long)(t += MINUTE));
	line(c, "%lld\tenvelope\towner\top=send\tamount=1000", (long long)(t += MINUTE));
	line(c, "%lld\tenvelope\tcarol\top=claim\tamount=10", (long long)(t += MINUTE));
	line(c, "%lld\tenvelope\tgina\top=claim\tamount=12", (long long)(t += MINUTE));
	line(c, "%lld\tdelete\towner\tmsg=m5\tby=owner", (long long)(t += MINUTE));
	line(c, "%lld\tpurchase\tdave\tamount=999", (long long)(t += MINUTE));
	line(c, "%lld\trole\tbob\trole=+helper\tby=owner", (long long)(t += MINUTE));
	line(c, "%lld\trole\tbob\trole=+mentor\tby=owner", (long long)(t += MINUTE));
	line(c, "%lld\trole\tcarol\trole=+guest\tby=owner", (long long)(t += MINUTE));
	line(c, "%lld\trole\tcarol\trole=-guest\tby=owner", (long long)(t += MINUTE));
	line(c, "%lld\trole\tdave\trole=+seed", (long long)(t += MINUTE));

	/* Ten days of chatter, enough to push m1 .. out of a 16-entry ledger. */
	int id = 7;
	for (int day = 1; day <= 10; day++) {
		t = T0 + day * DAY + 2 * HOUR;
		line(c, "%lld\tmsg\talice\tid=m%d\tkind=text\ttags=growth,feedback\ttext=day %d notes on fission",
		     (long long)t, id, day);
		id++;
		if (day % 2 == 0) {
			line(c, "%lld\tmsg\tbob\tid=m%d\tkind=text\treply=m%d\ttext=thanks?", (long long)(t += MINUTE),
			     id, id - 1);
			id++;
			line(c, "%lld\treact\tdave\tmsg=m%d", (long long)(t += MINUTE), id - 2);
		}
		if (day % 3 == 0) {
			/* The text of the day before: a repeat while the ledger has it. */
			line(c, "%lld\tmsg\tcarol\tid=m%d\tkind=article\ttags=complaint\ttext=day %d notes on fission",
			     (long long)(t += MINUTE), id, day - 1);
			id++;
		}
		if (day == 4) {
			line(c, "%lld\tleave\tcarol", (long long)(t += MINUTE));
			line(c, "%lld\tkick\tdave\tby=owner", (long long)(t += MINUTE));
			line(c, "%lld\tban\teve\tby=owner", (long long)(t += MINUTE));
		}
		if (day == 5) {
			/* carol comes back by speaking; dave rejoins by invitation. */
			line(c, "%lld\tmsg\tcarol\tid=m%d\tkind=voice", (long long)(t += MINUTE), id);
			id++;
			line(c, "%lld\tjoin\tdave\tby=bob", (long long)(t += MINUTE));
		}
		if (day == 6) {
			/* Aliases: a plain one, one moved to another member, one that
			 * takes over a member's first id, and one moved away from its
			 * member's own first id and back. */
			line(c, "%lld\talias\tfrank\tnew=frank2", (long long)(t += MINUTE));
			line(c, "%lld\talias\tcarol\tnew=x1", (long long)(t += MINUTE));
			line(c, "%lld\talias\tdave\tnew=x1", (long long)(t += MINUTE));
			line(c, "%lld\talias\tbob\tnew=eve", (long long)(t += MINUTE));
			line(c, "%lld\talias\tgina\tnew=frank", (long long)(t += MINUTE));
			line(c, "%lld\talias\tfrank2\tnew=frank", (long long)(t += MINUTE));
			line(c, "%lld\tjoin\thank\tby=gina", (long long)(t += MINUTE));
			line(c, "%lld\tnick\thank\tname=Beijing-Sales-Hank", (long long)(t += MINUTE));
			line(c, "%lld\tnick\thank\tname=Beijing-Sales-Henry", (long long)(t += MINUTE));
			line(c, "%lld\tmsg\thank\tid=m%d\tkind=document\tto=alice", (long long)(t += MINUTE), id);
			id++;
		}
		if (day == 8) {
			line(c, "%lld\tmsg\tivy\tid=m%d\tkind=share\ttext=day 2 notes on fission",
			     (long long)(t += MINUTE), id);
			id++;
			line(c, "%lld\tmsg\tjack\tkind=text\ttext=a message without an id", (long long)(t += MINUTE));
			line(c, "%lld\tmsg\tkim\tid=m%d\tkind=other\treply=m1", (long long)(t += MINUTE), id);
			id++;
			line(c, "%lld\tmsg\tleo\tid=m%d\tkind=system", (long long)(t += MINUTE), id);
			id++;
			line(c, "%lld\tmsg\tleo\tid=m%d\tkind=envelope", (long long)(t += MINUTE), id);
			id++;
			line(c, "%lld\treact\tleo\tmsg=m%d", (long long)(t += MINUTE), id - 4);
			line(c, "%lld\tdelete\towner\tmsg=m%d\tby=owner", (long long)(t += MINUTE), id - 3);
		}
	}
	assert_true(id < 40);
}

/* The rest of the story, told to the original and to the loaded copy. */
static void story_part2(kith_community *c)
{
	int64_t t = T0 + 11 * DAY + HOUR;
	/* Replies and reactions to messages still in the ledger, and to ones
	 * long gone; ids m40 .. m59 are reused. */
	for (int i = 1; i < 40; i++) {
		line(c, "%lld\tmsg\towner\tid=m%d\tkind=text\treply=m%d\ttext=re: %d", (long long)(t += MINUTE),
		     40 + i % 20, i, i);
		line(c, "%lld\treact\talice\tmsg=m%d", (long long)(t += MINUTE), i);
	}
	line(c, "%lld\tjoin\tnewbie\tby=hank_alt", (long long)(t += MINUTE));
	line(c, "%lld\talias\thank\tnew=hank_alt", (long long)(t += MINUTE));
	line(c, "%lld\tjoin\tlate1\tby=hank_alt", (long long)(t += MINUTE));
	line(c, "%lld\talias\tlate1\tnew=x1", (long long)(t += MINUTE));
	line(c, "%lld\talias\tfrank\tnew=gina", (long long)(t += MINUTE));
	line(c, "%lld\tnick\tbob\tname=Hangzhou-Dev-Bob", (long long)(t += MINUTE));
	line(c, "%lld\tleave\tbob", (long long)(t += MINUTE));
	line(c, "%lld\tmsg\tx1\tid=m59\tkind=photo\ttags=Referral", (long long)(t += MINUTE));
	line(c, "%lld\tdelete\towner\tmsg=m59", (long long)(t += MINUTE));
	line(c, "%lld\tmsg\tlate2\tid=m60\tkind=text\ttext=day 9 notes on fission", (long long)(t += DAY));
	line(c, "%lld\tpurchase\talice\tamount=5", (long long)(t += MINUTE));
	line(c, "%lld\treport\tbob\ttarget=alice_away", (long long)(t += MINUTE));
}

static kith_community *rich_community(struct test_alloc *ta)
{
	kith_community *c = test_community_new(ta);
	configure(c);
	story_part1(c);
	return c;
}

/* A small community for the byte-by-byte tests: members ac (handle 0)
 * and ab (handle 1, invited by ac, named abby); ac has the alias acc. */
static kith_community *small_community(void)
{
	kith_community *c = test_community_new(NULL);
	set(c, "community.name", "small");
	set(c, "community.topics", "go");
	set(c, "community.name_format", "^[a-z]+$");
	set(c, "ledger.capacity", "16");
	set(c, "digest.size", "3");
	/* Three engine settings off their defaults: a snapshot lists only those. */
	set(c, "cleanup.silent_days", "45");
	set(c, "health.window_days", "14");
	set(c, "health.max_lurker_share", "0.6");
	assert_int_equal(kith_community_define_role(c, "vip", KITH_NUL_TERMINATED, KITH_PERM_INVITE, 1, NULL),
	                 KITH_OK);
	line(c, "%lld\tjoin\tac", (long long)(T0 - MINUTE));
	line(c, "%lld\tjoin\tab\tby=ac", (long long)T0);
	line(c, "%lld\tmsg\tab\tid=m1\tkind=text\ttags=go\ttext=go go go", (long long)(T0 + MINUTE));
	line(c, "%lld\tmsg\tac\tid=m2\tkind=photo\treply=m1", (long long)(T0 + 2 * MINUTE));
	line(c, "%lld\treact\tab\tmsg=m2", (long long)(T0 + 3 * MINUTE));
	line(c, "%lld\tnick\tab\tname=abby", (long long)(T0 + 4 * MINUTE));
	line(c, "%lld\talias\tac\tnew=acc", (long long)(T0 + 5 * MINUTE));
	line(c, "%lld\trole\tac\trole=+vip", (long long)(T0 + 6 * MINUTE));
	line(c, "%lld\tpurchase\tac\tamount=3", (long long)(T0 + 7 * MINUTE));
	return c;
}

/* A different community to load over: it must stay as it was on failure. */
static kith_community *target_community(struct test_alloc *ta)
{
	kith_community *c = test_community_new(ta);
	set(c, "community.name", "target");
	set(c, "community.name_format", "^t");
	line(c, "%lld\tjoin\tzed", (long long)(T0 - DAY));
	line(c, "%lld\tmsg\tzed\tid=z1\tkind=text\ttext=hello there", (long long)(T0 - DAY + MINUTE));
	line(c, "%lld\tnick\tzed\tname=tzed", (long long)(T0 - DAY + 2 * MINUTE));
	return c;
}

/* A community whose rules engine holds everything a snapshot keeps:
 * engine-wide settings, rules with keys (one with none left), a flood
 * window and a repeat run part way through, and messages that broke a
 * rule (for a later reward). */
static void rule_set(kith_community *c, const char *rule, const char *key, const char *value)
{
	kith_status st = kith_rule_set(c, rule, KITH_NUL_TERMINATED, key, KITH_NUL_TERMINATED,
	                               value, KITH_NUL_TERMINATED);
	if (st != KITH_OK)
		fail_msg("rule %s.%s = %s: %s", rule, key, value, kith_community_last_error(c));
}

static kith_community *ruled_community(void)
{
	kith_community *c = test_community_new(NULL);
	set(c, "community.name", "ruled");
	assert_int_equal(kith_community_define_role(c, "mod", KITH_NUL_TERMINATED, 0, 1, NULL), KITH_OK);
	set(c, "rules.ladder", "warn, mute 1 h, kick");
	set(c, "rules.forgive_after", "7 d");
	set(c, "templates.warning", "{member}: {rule} ({community})");
	rule_set(c, "flood", "flood", "3 messages in 10 s");
	rule_set(c, "flood", "action", "mute 10 min");
	rule_set(c, "rep", "repeats", "3");
	rule_set(c, "rep", "action", "delete");
	rule_set(c, "ads", "keywords", "vx:, buy now");
	rule_set(c, "ads", "regex", "[0-9]{11}");
	rule_set(c, "ads", "unless_role", "mod");
	rule_set(c, "ads", "action", "warn, delete");
	rule_set(c, "thanks", "action", "reward");
	rule_set(c, "gone", "action", "log");
	rule_set(c, "gone", "action", "");
	line(c, "%lld\tjoin\tann", (long long)(T0 - MINUTE));
	line(c, "%lld\tjoin\tbob", (long long)(T0 - MINUTE));
	line(c, "%lld\tmsg\tbob\tid=b1\tkind=text\ttext=same", (long long)(T0 - 40000));
	line(c, "%lld\tmsg\tbob\tid=b2\tkind=text\ttext=same", (long long)(T0 - 20000));
	line(c, "%lld\tmsg\tbob\tid=b3\tkind=text\ttext=vx: 13912345678", (long long)T0);
	assert_int_equal(kith_community_verdict_count(c), 2); /* warn and delete */
	line(c, "%lld\tmsg\tann\tid=a1\tkind=text\ttext=one", (long long)(T0 + 1000));
	line(c, "%lld\tmsg\tann\tid=a2\tkind=text\ttext=two", (long long)(T0 + 4000));
	return c;
}

/* The events after the snapshot, one at a time: each must give the same
 * verdicts in the original and the loaded community. */
static void same_verdicts_going_on(kith_community *a, kith_community *b)
{
	static const char *const next[] = {
	        "\tmsg\tann\tid=a3\tkind=text\ttext=three",     /* ann's third in 10 s: flood */
	        "\tmsg\tbob\tid=b4\tkind=text\ttext=same",      /* not a run of 3: b3 broke it */
	        "\treport\tann\ttarget=bob\tmsg=b3",               /* b3 broke a rule: reward */
	        "\tmsg\tbob\tid=b5\tkind=text\ttext=same",      /* third "same" in a row */
	        "\tmsg\tbob\tid=b6\tkind=text\ttext=buy now!",  /* second violation: mute 1 h */
	};
	for (size_t i = 0; i < sizeof next / sizeof *next; i++) {
		line(a, "%lld%s", (long long)(T0 + 8000 + (int64_t)i * 500), next[i]);
		line(b, "%lld%s", (long long)(T0 + 8000 + (int64_t)i * 500), next[i]);
		char ja[8192], jb[8192];
		assert_int_equal(kith_community_verdicts_to_json(a, ja, sizeof ja, NULL), KITH_OK);
		assert_int_equal(kith_community_verdicts_to_json(b, jb, sizeof jb, NULL), KITH_OK);
		assert_string_equal(ja, jb);
		if (i != 1 && kith_community_verdict_count(a) == 0)
			fail_msg("event %zu left no verdict", i);
	}
}

static void rules_round_trip_and_go_on_identically(void **state)
{
	(void)state;
	kith_community *a = ruled_community();
	size_t len;
	unsigned char *snap = test_save(a, &len);
	kith_community *b = target_community(NULL);
	rule_set(b, "other", "keywords", "hello");
	assert_int_equal(test_load(b, snap, len), KITH_OK);
	assert_same_community(a, b);
	assert_int_equal(kith_rule_count(b), 5);
	assert_string_equal(kith_rule_name(b, 4), "gone");
	/* A load shows the verdicts of no event. */
	assert_int_equal(kith_community_verdict_count(b), 0);
	size_t len2;
	unsigned char *snap2 = test_save(b, &len2);
	assert_true(same_bytes(snap, len, snap2, len2));
	free(snap2);
	same_verdicts_going_on(a, b);

	/* A snapshot without rules takes the rules away. */
	kith_community *plain = small_community();
	size_t plen;
	unsigned char *psnap = test_save(plain, &plen);
	assert_int_equal(test_load(b, psnap, plen), KITH_OK);
	assert_int_equal(kith_rule_count(b), 0);
	char v[256];
	assert_int_equal(
	        kith_setting_get(b, "rules.ladder", KITH_NUL_TERMINATED, v, sizeof v, NULL),
	        KITH_OK);
	assert_string_equal(v, "warn, warn, mute 12 h, kick");
	line(b, "%lld\tmsg\tac\tid=q\tkind=text\ttext=vx: buy now", (long long)(T0 + DAY));
	assert_int_equal(kith_community_verdict_count(b), 0);
	free(psnap);
	kith_community_free(plain);
	free(snap);
	kith_community_free(a);
	kith_community_free(b);
}

/* ---- round trip --------------------------------------------------------- */

static void round_trip_answers_every_query_the_same(void **state)
{
	(void)state;
	kith_community *a = rich_community(NULL);
	/* The story did what it says, counted by hand: owner alice bob carol
	 * dave eve frank gina hank ivy jack kim leo. */
	assert_int_equal(kith_community_member_count(a), 13);
	assert_int_equal(member(a, "alice_away"), member(a, "alice"));
	assert_int_equal(member(a, "x1"), member(a, "dave"));
	assert_int_equal(member(a, "eve"), member(a, "bob"));
	assert_int_equal(member(a, "frank"), member(a, "frank2"));
	assert_int_equal(test_stat(a, "owner", KITH_STAT_ENVELOPES_SENT), 1);
	/* The purchase is the 23rd event after the first. */
	assert_int_equal(test_stat(a, "dave", KITH_STAT_LAST_PURCHASE_MS), T0 + 23 * MINUTE);
	double v;
	assert_int_equal(kith_community_message_value(a, "m1", KITH_NUL_TERMINATED, &v), KITH_ENOTFOUND);

	size_t len;
	unsigned char *snap = test_save(a, &len);
	/* The header, byte for byte, as the format comment describes it. */
	assert_true(len > 16 + 10 * 16);
	assert_memory_equal(snap, "KITHSNAP\x02\x00\x00\x00\x00\x00\x00\x00SETT", 20);

	/* Load over a community that holds something else. */
	kith_community *b = target_community(NULL);
	assert_int_equal(test_load(b, snap, len), KITH_OK);
	assert_same_community(a, b);

	size_t len2;
	unsigned char *snap2 = test_save(b, &len2);
	assert_true(same_bytes(snap, len, snap2, len2));

	/* Both go on identically: replies into the ledger, aliases, ... */
	story_part2(a);
	story_part2(b);
	assert_same_community(a, b);
	test_assert_same_snapshot(a, b);
	/* ... and the story did reach into the ledger: m55 is the reply of
	 * i = 35, among the last 16 messages; m41 (i = 21) is not. */
	assert_int_equal(kith_community_message_value(b, "m55", KITH_NUL_TERMINATED, &v), KITH_OK);
	assert_int_equal(kith_community_message_value(b, "m41", KITH_NUL_TERMINATED, &v), KITH_ENOTFOUND);
	assert_int_equal(member(b, "x1"), member(b, "late1"));
	assert_int_equal(member(b, "gina"), member(b, "frank"));

	free(snap);
	free(snap2);
	kith_community_free(a);
	kith_community_free(b);
}

static void load_into_fresh_community_and_again(void **state)
{
	(void)state;
	kith_community *a = rich_community(NULL);
	story_part2(a);
	size_t len;
	unsigned char *snap = test_save(a, &len);
	kith_community *b = test_community_new(NULL);
	assert_int_equal(test_load(b, snap, len), KITH_OK);
	/* Loading the same snapshot twice is as good as once. */
	assert_int_equal(test_load(b, snap, len), KITH_OK);
	assert_same_community(a, b);
	test_assert_same_snapshot(a, b);
	free(snap);
	kith_community_free(a);
	kith_community_free(b);
}

/* Scores are kept scaled to an epoch that moves forward (a rebase) once
 * the scale passes 2^60. A community loaded from a snapshot taken at any
 * point must rebase exactly when the original does and go on with the
 * same scores to the last bit. A half-life of 864 s puts the first rebase
 * 60 half-lives (51,840 s) after the first message; 3,000 messages about
 * 20 s apart (a dozen to a 256 s block of the score factor's cache) are
 * cut at every message around it and at every 97th elsewhere. */
static void scores_rebase_the_same_after_a_load(void **state)
{
	(void)state;
	enum { MESSAGES = 3000 };
	const int64_t t0 = INT64_C(1700000000000), rebase_after = INT64_C(51840000);
	int64_t at[MESSAGES];
	for (int i = 0; i < MESSAGES; i++)
		at[i] = t0 + (int64_t)i * 20000 + (i * 7919) % 9000;
	for (int cut = 1; cut < MESSAGES; cut++) {
		int64_t from_rebase = at[cut] - t0 - rebase_after;
		if (cut % 97 != 0 && (from_rebase < -600000 || from_rebase > 600000))
			continue;
		kith_community *a = test_community_new(NULL);
		set(a, "value.half_life_days", "0.01");
		for (int i = 0; i < cut; i++)
			line(a, "%lld\tmsg\tu%d\tid=m%d\tkind=photo", (long long)at[i], i % 3, i);
		size_t len;
		unsigned char *snap = test_save(a, &len);
		kith_community *b = test_community_new(NULL);
		assert_int_equal(test_load(b, snap, len), KITH_OK);
		free(snap);
		for (int i = cut; i < MESSAGES; i++) {
			line(a, "%lld\tmsg\tu%d\tid=m%d\tkind=photo", (long long)at[i], i % 3, i);
			line(b, "%lld\tmsg\tu%d\tid=m%d\tkind=photo", (long long)at[i], i % 3, i);
		}
		test_assert_same_snapshot(a, b);
		kith_community_free(a);
		kith_community_free(b);
	}
}

/* Text hashes travel in snapshots (the ledger's repeated-text index, the
 * rules engine's flood records), so kith_hash_bytes may never change: a
 * snapshot written by one version must find the same repeats in the next.
 * These are its values, the same on every host (words are read
 * little-endian), around each of its length boundaries (0, 3, 4, 8, 9,
 * 16, 17 bytes). */
static void text_hashes_never_change(void **state)
{
	(void)state;
	/* the same on every host: words are read little-endian */
	static const struct {
		const char *text;
		uint64_t hash;
	} golden[] = {
	    {"", UINT64_C(0x9ca066f1a4ab2eea)},
	    {"a", UINT64_C(0x543526c6a9354ed2)},
	    {"ab", UINT64_C(0xae71fc6b4c4b4f4e)},
	    {"abc", UINT64_C(0x61d36d6c65453b66)},
	    {"abcd", UINT64_C(0x1a0185f2975dbbc0)},
	    {"abcdefg", UINT64_C(0x2bf58fc18b13f9b9)},
	    {"abcdefgh", UINT64_C(0xb776f74bcaff7392)},
	    {"abcdefghi", UINT64_C(0xfaa2c14bb0d3368a)},
	    {"0123456789abcdef", UINT64_C(0xad8d6864e4ffc7ad)},
	    {"0123456789abcdefg", UINT64_C(0x1a75de5e548ebd93)},
	    {"how do I set up fission? use the referral code", UINT64_C(0x4b00b96ba1a47d0e)},
	};
	for (size_t i = 0; i < sizeof golden / sizeof golden[0]; i++)
		if (kith_hash_bytes(golden[i].text, strlen(golden[i].text)) != golden[i].hash)
			fail_msg("the hash of '%s' changed", golden[i].text);
}

static void same_community_gives_same_bytes(void **state)
{
	(void)state;
	kith_community *a = rich_community(NULL);
	kith_community *b = rich_community(NULL);
	size_t la, lb, la2;
	unsigned char *sa = test_save(a, &la);
	unsigned char *sb = test_save(b, &lb);
	unsigned char *sa2 = test_save(a, &la2);
	assert_true(same_bytes(sa, la, sb, lb));
	assert_true(same_bytes(sa, la, sa2, la2));
	free(sa);
	free(sb);
	free(sa2);
	kith_community_free(a);
	kith_community_free(b);
}

static void empty_community_round_trips(void **state)
{
	(void)state;
	kith_community *a = test_community_new(NULL);
	kith_community *b = target_community(NULL);
	size_t len;
	unsigned char *snap = test_save(a, &len);
	assert_int_equal(test_load(b, snap, len), KITH_OK);
	assert_int_equal(kith_community_member_count(b), 0);
	assert_int_equal(kith_community_last_event_ms(b), KITH_TIME_NONE);
	assert_same_community(a, b);
	test_assert_same_snapshot(a, b);
	/* The first event after loading starts the score epoch as on a new one. */
	line(a, "%lld\tmsg\tu\tid=m1\tkind=text\ttext=hi", (long long)T0);
	line(b, "%lld\tmsg\tu\tid=m1\tkind=text\ttext=hi", (long long)T0);
	assert_same_community(a, b);
	free(snap);
	kith_community_free(a);
	kith_community_free(b);
}

/* Big enough to need many buffers: long ids, a long ledger. */
static kith_community *big_community(int members)
{
	kith_community *c = test_community_new(NULL);
	set(c, "ledger.capacity", "1000");
	for (int i = 0; i < members; i++)
		line(c, "%lld\tmsg\tmember-%06d-%0200d\tid=msg-%d-%0100d\tkind=text\ttext=message %d",
		     (long long)(T0 + i * MINUTE), i, i, i, i, i % 7);
	return c;
}

static void big_community_round_trips(void **state)
{
	(void)state;
	kith_community *a = big_community(3000);
	size_t len;
	unsigned char *snap = test_save(a, &len);
	assert_true(len > 4 * 65536);
	kith_community *b = test_community_new(NULL);
	assert_int_equal(test_load(b, snap, len), KITH_OK);
	assert_int_equal(kith_community_member_count(b), 3000);
	char id[300];
	snprintf(id, sizeof id, "member-%06d-%0200d", 2999, 2999);
	assert_int_equal(member(b, id), 2999);
	/* A recent message, still in the ledger of both. */
	double va, vb;
	char msg[200];
	snprintf(msg, sizeof msg, "msg-%d-%0100d", 2990, 2990);
	assert_int_equal(kith_community_message_value(a, msg, KITH_NUL_TERMINATED, &va), KITH_OK);
	assert_int_equal(kith_community_message_value(b, msg, KITH_NUL_TERMINATED, &vb), KITH_OK);
	assert_true(va == vb);
	test_assert_same_snapshot(a, b);
	/* The id ring goes on evicting exactly as in the original. */
	for (int i = 3000; i < 3400; i++) {
		line(a, "%lld\tmsg\tm%d\tid=x%0*d\tkind=text", (long long)(T0 + i * MINUTE), i % 50, 1 + i % 300, i);
		line(b, "%lld\tmsg\tm%d\tid=x%0*d\tkind=text", (long long)(T0 + i * MINUTE), i % 50, 1 + i % 300, i);
	}
	test_assert_same_snapshot(a, b);
	free(snap);
	kith_community_free(a);
	kith_community_free(b);
}

/* ---- chunked writing ------------------------------------------------------ */

struct chunks {
	unsigned char *data;
	size_t len, cap;
	size_t calls, largest;
	size_t fail_at; /* 1-based call that fails; 0 = none */
};

static int chunks_write(const void *data, size_t len, void *payload)
{
	struct chunks *b = payload;
	b->calls++;
	if (b->fail_at && b->calls == b->fail_at)
		return -1;
	if (len > b->largest)
		b->largest = len;
	if (b->len + len > b->cap) {
		b->cap = (b->len + len) * 2;
		b->data = realloc(b->data, b->cap);
		assert_non_null(b->data);
	}
	memcpy(b->data + b->len, data, len);
	b->len += len;
	return 0;
}

static void save_writes_moderate_chunks(void **state)
{
	(void)state;
	kith_community *a = big_community(2000);
	struct chunks b = {0};
	assert_int_equal(kith_community_save(a, chunks_write, &b), KITH_OK);
	assert_true(b.calls >= 3);
	assert_true(b.largest <= 65536);
	size_t len;
	unsigned char *snap = test_save(a, &len);
	assert_true(same_bytes(snap, len, b.data, b.len));
	free(snap);
	free(b.data);
	kith_community_free(a);
}

static void failing_write_gives_eio(void **state)
{
	(void)state;
	kith_community *a = big_community(1500);
	size_t len;
	unsigned char *before = test_save(a, &len);
	struct chunks ok = {0};
	assert_int_equal(kith_community_save(a, chunks_write, &ok), KITH_OK);
	size_t calls = ok.calls;
	free(ok.data);
	assert_true(calls >= 2);
	for (size_t k = 1; k <= calls; k++) {
		struct chunks b = {0};
		b.fail_at = k;
		assert_int_equal(kith_community_save(a, chunks_write, &b), KITH_EIO);
		assert_non_null(strstr(kith_community_last_error(a), "write"));
		/* Nothing more is written once the callback refused. */
		assert_int_equal(b.calls, k);
		free(b.data);
	}
	size_t len2;
	unsigned char *after = test_save(a, &len2);
	assert_true(same_bytes(before, len, after, len2));
	free(before);
	free(after);
	kith_community_free(a);
}

/* ---- reading ------------------------------------------------------------ */

struct source {
	const unsigned char *data;
	size_t len, pos;
	size_t chunk;   /* most bytes per call; 0 = as many as asked */
	size_t calls;
	size_t fail_at; /* 1-based call that fails; 0 = none */
	ptrdiff_t fail_value;
	bool overfill;  /* claim more than asked */
};

static ptrdiff_t source_read(void *buf, size_t len, void *payload)
{
	struct source *s = payload;
	s->calls++;
	if (s->fail_at && s->calls == s->fail_at)
		return s->fail_value;
	if (s->overfill)
		return (ptrdiff_t)len + 1;
	size_t n = s->len - s->pos;
	if (n > len)
		n = len;
	if (s->chunk && n > s->chunk)
		n = s->chunk;
	if (n)
		memcpy(buf, s->data + s->pos, n);
	s->pos += n;
	return (ptrdiff_t)n;
}

static void short_reads_are_fine(void **state)
{
	(void)state;
	kith_community *a = rich_community(NULL);
	size_t len;
	unsigned char *snap = test_save(a, &len);
	const size_t chunks[] = {1, 3, 7, 4096};
	for (size_t i = 0; i < 4; i++) {
		kith_community *b = test_community_new(NULL);
		struct source s = {snap, len, 0, chunks[i], 0, 0, 0, false};
		assert_int_equal(kith_community_load(b, source_read, &s), KITH_OK);
		assert_same_community(a, b);
		kith_community_free(b);
	}
	free(snap);
	kith_community_free(a);
}

static void failing_read_gives_eio_and_changes_nothing(void **state)
{
	(void)state;
	kith_community *a = small_community();
	size_t len;
	unsigned char *snap = test_save(a, &len);
	kith_community *t = target_community(NULL);
	size_t tlen;
	unsigned char *tsnap = test_save(t, &tlen);
	/* 37-byte reads: fail at every call, the last one being the check
	 * for the end of the stream. */
	size_t calls = (len + 36) / 37 + 1;
	for (size_t k = 1; k <= calls; k++) {
		struct source s = {snap, len, 0, 37, 0, k, -1, false};
		assert_int_equal(kith_community_load(t, source_read, &s), KITH_EIO);
		assert_int_equal(s.calls, k);
		assert_non_null(strstr(kith_community_last_error(t), "read"));
		size_t l2;
		unsigned char *now = test_save(t, &l2);
		assert_true(same_bytes(tsnap, tlen, now, l2));
		free(now);
	}
	/* Any negative value is a failure; claiming more than asked too. */
	struct source s = {snap, len, 0, 0, 0, 1, -12345, false};
	assert_int_equal(kith_community_load(t, source_read, &s), KITH_EIO);
	struct source o = {snap, len, 0, 0, 0, 0, 0, true};
	assert_int_equal(kith_community_load(t, source_read, &o), KITH_EIO);
	size_t l2;
	unsigned char *now = test_save(t, &l2);
	assert_true(same_bytes(tsnap, tlen, now, l2));
	free(now);
	free(snap);
	free(tsnap);
	kith_community_free(a);
	kith_community_free(t);
}

static void bad_arguments(void **state)
{
	(void)state;
	kith_community *a = small_community();
	struct chunks b = {0};
	assert_int_equal(kith_community_save(NULL, chunks_write, &b), KITH_EINVAL);
	assert_int_equal(kith_community_save(a, NULL, &b), KITH_EINVAL);
	struct source s = {NULL, 0, 0, 0, 0, 0, 0, false};
	assert_int_equal(kith_community_load(NULL, source_read, &s), KITH_EINVAL);
	assert_int_equal(kith_community_load(a, NULL, &s), KITH_EINVAL);
	assert_int_equal(b.calls, 0);
	assert_int_equal(s.calls, 0);
	kith_community_free(a);
}

/* ---- corruption ----------------------------------------------------------- */

/* Check a failed load: a corruption status, a message naming the byte
 * offset, and the target exactly as before. Or, should the bad bytes
 * happen to load, a community identical to the source. */
static void check_bad_load(kith_community *t, const unsigned char *tsnap, size_t tlen, kith_status st,
                           const kith_community *source, size_t what)
{
	if (st == KITH_OK) {
		assert_non_null(source);
		assert_same_community(source, t);
		assert_int_equal(test_load(t, tsnap, tlen), KITH_OK);
		return;
	}
	if (st != KITH_ECORRUPT && st != KITH_EVERSION)
		fail_msg("case %zu: status %s: %s", what, kith_status_name(st),
		         kith_community_last_error(t));
	const char *err = kith_community_last_error(t);
	if (!strstr(err, "snapshot") || !strstr(err, "byte "))
		fail_msg("case %zu: message without its offset: %s", what, err);
	size_t l2;
	unsigned char *now = test_save(t, &l2);
	if (!same_bytes(tsnap, tlen, now, l2))
		fail_msg("case %zu: the target changed", what);
	free(now);
}

static void every_flipped_byte_fails_cleanly(void **state)
{
	(void)state;
	kith_community *a = small_community();
	size_t len;
	unsigned char *snap = test_save(a, &len);
	assert_true(len < 4096);
	kith_community *t = target_community(NULL);
	size_t tlen;
	unsigned char *tsnap = test_save(t, &tlen);
	unsigned char *bad = malloc(len);
	assert_non_null(bad);
	const unsigned char masks[] = {0x01, 0x80, 0xff};
	size_t corrupt = 0, version = 0;
	for (size_t m = 0; m < sizeof masks; m++) {
		for (size_t i = 0; i < len; i++) {
			memcpy(bad, snap, len);
			bad[i] ^= masks[m];
			kith_status st = test_load(t, bad, len);
			corrupt += st == KITH_ECORRUPT;
			version += st == KITH_EVERSION;
			check_bad_load(t, tsnap, tlen, st, a, i);
		}
	}
	/* With a checksum on every section none of them loads. Only the
	 * version field (02 00 00 00) can read as a newer version: every flip
	 * of its three upper bytes, and every flip of its first (03, 0x82 and
	 * 0xfd; none of the masks makes version 1 or 0). */
	assert_int_equal(corrupt + version, 3 * len);
	assert_int_equal(version, 3 * 3 + 3);
	free(bad);
	free(snap);
	free(tsnap);
	kith_community_free(a);
	kith_community_free(t);
}

static void every_truncation_fails_cleanly(void **state)
{
	(void)state;
	kith_community *a = small_community();
	size_t len;
	unsigned char *snap = test_save(a, &len);
	kith_community *t = target_community(NULL);
	size_t tlen;
	unsigned char *tsnap = test_save(t, &tlen);
	for (size_t n = 0; n < len; n++) {
		kith_status st = test_load(t, snap, n);
		assert_int_equal(st, KITH_ECORRUPT);
		check_bad_load(t, tsnap, tlen, st, a, n);
	}
	/* And one byte too many. */
	unsigned char *longer = malloc(len + 1);
	assert_non_null(longer);
	memcpy(longer, snap, len);
	longer[len] = 0;
	kith_status st = test_load(t, longer, len + 1);
	assert_int_equal(st, KITH_ECORRUPT);
	assert_non_null(strstr(kith_community_last_error(t), "trailing"));
	check_bad_load(t, tsnap, tlen, st, a, len);
	free(longer);
	free(snap);
	free(tsnap);
	kith_community_free(a);
	kith_community_free(t);
}

static void not_a_snapshot(void **state)
{
	(void)state;
	kith_community *t = target_community(NULL);
	size_t tlen;
	unsigned char *tsnap = test_save(t, &tlen);
	const char *texts[] = {"", "KITHSNAP", "kith-trace 1\n", "KITHSNAQ\x01\0\0\0\0\0\0\0"};
	const size_t lens[] = {0, 8, 13, 16};
	for (size_t i = 0; i < 4; i++) {
		kith_status st = test_load(t, (const unsigned char *)texts[i], lens[i]);
		assert_int_equal(st, KITH_ECORRUPT);
		check_bad_load(t, tsnap, tlen, st, NULL, i);
	}
	assert_non_null(strstr(kith_community_last_error(t), "KITHSNAP"));
	free(tsnap);
	kith_community_free(t);
}

static void newer_version_is_eversion(void **state)
{
	(void)state;
	kith_community *a = small_community();
	size_t len;
	unsigned char *snap = test_save(a, &len);
	kith_community *t = target_community(NULL);
	size_t tlen;
	unsigned char *tsnap = test_save(t, &tlen);
	snap[8] = 3;
	kith_status st = test_load(t, snap, len);
	assert_int_equal(st, KITH_EVERSION);
	assert_non_null(strstr(kith_community_last_error(t), "version 3"));
	check_bad_load(t, tsnap, tlen, st, a, 3);
	/* Version 1 is read, but these bodies are version 2's: its fixed-width
	 * reader finds them corrupt. */
	snap[8] = 1;
	st = test_load(t, snap, len);
	assert_int_equal(st, KITH_ECORRUPT);
	check_bad_load(t, tsnap, tlen, st, a, 1);
	/* Version 0 never existed: that is corruption, not the future. */
	snap[8] = 0;
	st = test_load(t, snap, len);
	assert_int_equal(st, KITH_ECORRUPT);
	check_bad_load(t, tsnap, tlen, st, a, 0);
	free(snap);
	free(tsnap);
	kith_community_free(a);
	kith_community_free(t);
}

/* ---- inconsistent content under valid checksums --------------------------- */

/* CRC-32C bit by bit, independently of the library's sliced version. */
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

static uint32_t rd32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void wr32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* The offset of a section's body, and its length. */
static size_t section(const unsigned char *snap, size_t len, const char *tag, size_t *body_len)
{
	size_t at = 16;
	while (at + 12 <= len) {
		size_t n = (size_t)(rd32(snap + at + 4) | (uint64_t)rd32(snap + at + 8) << 32);
		if (memcmp(snap + at, tag, 4) == 0) {
			*body_len = n;
			return at + 12;
		}
		at += 12 + n + 4;
	}
	fail_msg("no section %s", tag);
	return 0;
}

/* Recompute every section's checksum after an edit. */
static void fix_checksums(unsigned char *snap, size_t len)
{
	size_t at = 16;
	while (at + 12 <= len) {
		size_t n = (size_t)(rd32(snap + at + 4) | (uint64_t)rd32(snap + at + 8) << 32);
		if (n > len || at + 12 + n + 4 > len)
			return;
		wr32(snap + at + 12 + n, crc32c(snap + at, 12 + n));
		at += 12 + n + 4;
	}
}

static unsigned char *find_bytes(unsigned char *p, size_t n, const char *s)
{
	size_t k = strlen(s);
	for (size_t i = 0; i + k <= n; i++)
		if (memcmp(p + i, s, k) == 0)
			return p + i;
	return NULL;
}

/* Engine settings in a snapshot: the offset of the count in the SETT body
 * (just before the first engine setting's name) and of each entry. */
static size_t engine_settings(unsigned char *snap, size_t len, size_t entry[], size_t max,
                              size_t *count)
{
	size_t body_len, body = section(snap, len, "SETT", &body_len);
	const char *first;
	kith_community *any = NULL;
	assert_int_equal(kith_community_new(&any), KITH_OK);
	assert_int_not_equal(kith_plain_next(any->engines, 0, &first), SIZE_MAX);
	kith_community_free(any); /* the names are the engines' constants */
	unsigned char *name = find_bytes(snap + body, body_len, first);
	assert_non_null(name);
	size_t at = (size_t)(name - snap) - 8;
	*count = rd32(snap + at);
	assert_true(*count <= max);
	size_t p = at + 4;
	for (size_t i = 0; i < *count; i++) {
		entry[i] = p;
		p += 4 + rd32(snap + p);
		p += 4 + rd32(snap + p);
	}
	assert_int_equal(p, body + body_len);
	return at;
}

/* A copy of snap whose engine settings are the entries order[0..n) of
 * the original, with lengths, the END marker and checksums fixed. */
static unsigned char *reorder_settings(const unsigned char *snap, size_t len, const size_t order[],
                                       size_t n, size_t *out_len)
{
	unsigned char *copy = malloc(len);
	assert_non_null(copy);
	memcpy(copy, snap, len);
	size_t entry[256], count;
	size_t at = engine_settings(copy, len, entry, 255, &count);
	size_t body_len, body = section(copy, len, "SETT", &body_len);
	entry[count] = body + body_len;
	unsigned char *out = malloc(2 * len);
	assert_non_null(out);
	size_t k = at;
	memcpy(out, snap, at);
	wr32(out + k, (uint32_t)n);
	k += 4;
	for (size_t i = 0; i < n; i++) {
		size_t e = order[i];
		memcpy(out + k, snap + entry[e], entry[e + 1] - entry[e]);
		k += entry[e + 1] - entry[e];
	}
	size_t new_body_len = k - body;
	memcpy(out + k, snap + body + body_len, len - (body + body_len));
	k += len - (body + body_len);
	wr32(out + body - 8, (uint32_t)new_body_len);
	size_t end_len, end = section(out, k, "END ", &end_len);
	wr32(out + end, (uint32_t)(end - 12));
	fix_checksums(out, k);
	free(copy);
	*out_len = k;
	return out;
}

/* A snapshot lists only the engine settings off their defaults: one
 * left out loads at its default (as from a snapshot written before the
 * setting existed), and the community saves back to those bytes. Repeats,
 * a changed order, unknown names and a setting written at its default are
 * corrupt (one encoding). */
static void engine_settings_missing_repeated_or_reordered(void **state)
{
	(void)state;
	kith_community *a = small_community();
	size_t len;
	unsigned char *snap = test_save(a, &len);
	size_t entry[256], count;
	engine_settings(snap, len, entry, 255, &count);
	/* small_community sets three; the rest are at their defaults. */
	assert_int_equal(count, 3);
	size_t order[256];
	for (size_t i = 0; i < count; i++)
		order[i] = i;

	/* The last one missing: loads at its default and saves as it came. */
	char last[129], want[256], got[256];
	size_t last_n = rd32(snap + entry[count - 1]);
	assert_true(last_n < sizeof last);
	memcpy(last, snap + entry[count - 1] + 4, last_n);
	last[last_n] = '\0';
	kith_community *fresh = NULL;
	assert_int_equal(kith_community_new(&fresh), KITH_OK);
	assert_int_equal(kith_setting_get(fresh, last, KITH_NUL_TERMINATED, want, sizeof want, NULL),
	                 KITH_OK);
	kith_community_free(fresh);
	assert_int_equal(kith_setting_get(a, last, KITH_NUL_TERMINATED, got, sizeof got, NULL),
	                 KITH_OK);
	assert_string_not_equal(got, want);
	size_t old_len;
	unsigned char *old = reorder_settings(snap, len, order, count - 1, &old_len);
	assert_true(old_len < len);
	kith_community *b = NULL;
	assert_int_equal(kith_community_new(&b), KITH_OK);
	assert_int_equal(test_load(b, old, old_len), KITH_OK);
	assert_int_equal(kith_setting_get(b, last, KITH_NUL_TERMINATED, got, sizeof got, NULL),
	                 KITH_OK);
	assert_string_equal(got, want);
	size_t again_len;
	unsigned char *again = test_save(b, &again_len);
	assert_true(same_bytes(old, old_len, again, again_len));
	free(again);

	/* Repeated, out of order: corrupt, b unchanged. */
	size_t repeated[256], swapped[256];
	memcpy(repeated, order, sizeof order);
	memcpy(swapped, order, sizeof order);
	repeated[1] = 0;
	swapped[0] = 1;
	swapped[1] = 0;
	const size_t *bad[] = {repeated, swapped};
	for (int i = 0; i < 2; i++) {
		size_t bad_len;
		unsigned char *b_snap = reorder_settings(snap, len, bad[i], count, &bad_len);
		assert_int_equal(test_load(b, b_snap, bad_len), KITH_ECORRUPT);
		assert_non_null(strstr(kith_community_last_error(b), "repeats or is out of order"));
		free(b_snap);
	}

	/* An unknown name: corrupt. */
	unsigned char *edited = malloc(len);
	assert_non_null(edited);
	memcpy(edited, snap, len);
	edited[entry[0] + 4] = 'Z';
	fix_checksums(edited, len);
	assert_int_equal(test_load(b, edited, len), KITH_ECORRUPT);
	assert_non_null(strstr(kith_community_last_error(b), "no engine setting"));

	/* cleanup.silent_days at its default of 30 (45 in the snapshot), the
	 * same length: a second encoding of the defaults, so corrupt. */
	memcpy(edited, snap, len);
	unsigned char *days = find_bytes(edited + entry[0], len - entry[0], "cleanup.silent_days");
	assert_non_null(days);
	days += strlen("cleanup.silent_days");
	assert_int_equal(rd32(days), 2);
	assert_memory_equal(days + 4, "45", 2);
	memcpy(days + 4, "30", 2);
	fix_checksums(edited, len);
	assert_int_equal(test_load(b, edited, len), KITH_ECORRUPT);
	assert_non_null(strstr(kith_community_last_error(b), "cleanup.silent_days is written at its default"));
	free(edited);

	again = test_save(b, &again_len);
	assert_true(same_bytes(old, old_len, again, again_len));
	free(again);
	free(old);
	kith_community_free(b);
	free(snap);
	kith_community_free(a);
}

/* The digest is derived from the ledger: a snapshot's DIGE section is
 * checked for form, then worked out again. A section that names another
 * day and the wrong author for the best message (as a snapshot saved by a
 * build that kept the digest incrementally may) loads, answers with the
 * digest the ledger gives, and saves as the original did. */
/* A snapshot written before CNTR held the event count and the first event
 * time (its body ended after the score epoch) still loads: the count is
 * that of its messages and the first event time is not known. */
static void counters_without_the_event_fields_load(void **state)
{
	(void)state;
	kith_community *a = small_community();
	assert_int_equal(kith_community_event_count(a), 9);
	int64_t first = 0;
	assert_int_equal(kith_community_first_event_ms(a, &first), KITH_OK);
	assert_int_equal(first, T0 - MINUTE);
	size_t len, n;
	unsigned char *snap = test_save(a, &len);
	size_t body = section(snap, len, "CNTR", &n);
	assert_int_equal(n, 48);
	/* Cut the last 16 bytes of CNTR's body; END, which follows, holds its
	 * own offset, 16 bytes less now. */
	size_t cut = body + n - 16;
	memmove(snap + cut, snap + cut + 16, len - cut - 16);
	len -= 16;
	wr32(snap + body - 8, (uint32_t)n - 16);
	size_t end_n, end = section(snap, len, "END ", &end_n);
	assert_int_equal(end_n, 8);
	assert_int_equal(rd32(snap + end), end - 12 + 16);
	wr32(snap + end, (uint32_t)(end - 12));
	fix_checksums(snap, len);

	kith_community *b = test_community_new(NULL);
	if (test_load(b, snap, len) != KITH_OK)
		fail_msg("old counters: %s", kith_community_last_error(b));
	assert_int_equal(kith_community_event_count(b), kith_community_message_count(a));
	assert_int_equal(kith_community_event_count(b), 2);
	first = 42;
	assert_int_equal(kith_community_first_event_ms(b, &first), KITH_ENOTFOUND);
	assert_int_equal(first, 42);
	assert_int_equal(kith_community_last_event_ms(b), kith_community_last_event_ms(a));
	/* b saves with the first event time unknown, and that loads. */
	size_t len_b;
	unsigned char *snap_b = test_save(b, &len_b);
	kith_community *c = test_community_new(NULL);
	if (test_load(c, snap_b, len_b) != KITH_OK)
		fail_msg("saved after old counters: %s", kith_community_last_error(c));
	assert_int_equal(kith_community_event_count(c), 2);
	assert_int_equal(kith_community_first_event_ms(c, &first), KITH_ENOTFOUND);
	test_assert_same_snapshot(b, c);
	free(snap_b);
	kith_community_free(c);
	/* Events go on counting from there; the first time stays unknown. */
	line(b, "%lld	join	new", (long long)(T0 + 8 * MINUTE));
	assert_int_equal(kith_community_event_count(b), 3);
	assert_int_equal(kith_community_first_event_ms(b, &first), KITH_ENOTFOUND);
	free(snap);
	kith_community_free(a);
	kith_community_free(b);
}

static void digest_is_worked_out_again_on_load(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	test_msg(c, 1000, "ann", "a1", KITH_KIND_VIDEO, NULL, NULL, NULL, NULL);
	test_msg(c, 2000, "ben", "b1", KITH_KIND_STICKER, NULL, NULL, NULL, NULL);
	test_msg(c, 3000, "cat", "c1", KITH_KIND_PHOTO, NULL, NULL, NULL, NULL);
	assert_int_equal(kith_community_digest_count(c), 3);
	size_t len;
	unsigned char *snap = test_save(c, &len);
	size_t body_len, body = section(snap, len, "DIGE", &body_len);
	assert_int_equal(rd32(snap + body), 3);
	unsigned char *edited = malloc(len);
	assert_non_null(edited);
	memcpy(edited, snap, len);
	uint32_t best = rd32(snap + body + 12 + 8); /* entry 0's author */
	edited[body + 4] ^= 0x05;                  /* the day */
	wr32(edited + body + 12 + 8, (best + 1) % 3); /* another member */
	fix_checksums(edited, len);

	kith_community *d = test_community_new(NULL);
	if (test_load(d, edited, len) != KITH_OK)
		fail_msg("%s", kith_community_last_error(d));
	uint32_t author = 99;
	assert_int_equal(kith_community_digest_entry(d, 0, NULL, NULL, &author, NULL), KITH_OK);
	assert_int_equal(author, best);
	size_t again_len;
	unsigned char *again = test_save(d, &again_len);
	assert_true(same_bytes(snap, len, again, again_len));
	free(again);
	free(edited);
	free(snap);
	kith_community_free(d);
	kith_community_free(c);
}

/* Every byte of the RULS section flipped, with the checksums made right
 * so that the rules' own validation is what decides: each either fails
 * cleanly, leaving the target as it was, or loads a community that saves
 * back to exactly those bytes (one encoding). Then edits the flips cannot
 * make: an untrimmed value, keys out of order, a bad regex, a flood record
 * naming no member. */
static void rules_section_is_validated(void **state)
{
	(void)state;
	kith_community *a = ruled_community();
	size_t len;
	unsigned char *snap = test_save(a, &len);
	kith_community *t = target_community(NULL);
	rule_set(t, "other", "keywords", "hello");
	size_t tlen;
	unsigned char *tsnap = test_save(t, &tlen);
	size_t body_len, body = section(snap, len, "RULS", &body_len);
	unsigned char *bad = malloc(len + 64);
	assert_non_null(bad);
	size_t loaded = 0, failed = 0;
	for (size_t i = body; i < body + body_len; i++) {
		for (int m = 0; m < 2; m++) {
			memcpy(bad, snap, len);
			bad[i] ^= m ? 0x20 : 0x01;
			fix_checksums(bad, len);
			kith_status st = test_load(t, bad, len);
			if (st == KITH_OK) {
				size_t l2;
				unsigned char *again = test_save(t, &l2);
				if (!same_bytes(bad, len, again, l2))
					fail_msg("byte %zu ^ %d loaded but saves differently", i, m);
				free(again);
				assert_int_equal(test_load(t, tsnap, tlen), KITH_OK);
				loaded++;
			} else {
				check_bad_load(t, tsnap, tlen, st, NULL, i);
				failed++;
			}
		}
	}
	assert_true(failed > loaded); /* most flips break a count, a name or a rule */

	/* Edits: find a value's bytes and change them in place (same length). */
	struct {
		const char *from, *to, *message;
	} edits[] = {
	        {"warn, mute 1 h, kick", " warn,mute 1 h, kick", "not in canonical form"},
	        {"[0-9]{11}", "[0-9]{11)", "rule.ads.regex"},
	        {"delete", "delate", "rule.rep.action"},
	        {"flood", "flooe", "not a valid rule name"},
	};
	for (size_t e = 0; e < sizeof edits / sizeof *edits; e++) {
		memcpy(bad, snap, len);
		unsigned char *at = find_bytes(bad + body, body_len, edits[e].from);
		assert_non_null(at);
		memcpy(at, edits[e].to, strlen(edits[e].to));
		fix_checksums(bad, len);
		kith_status st = test_load(t, bad, len);
		if (e == 3) {
			/* A renamed rule is still a rule: it loads under the new name. */
			assert_int_equal(st, KITH_OK);
			assert_string_equal(kith_rule_name(t, 0), "flooe");
			assert_int_equal(test_load(t, tsnap, tlen), KITH_OK);
			continue;
		}
		assert_int_equal(st, KITH_ECORRUPT);
		if (!strstr(kith_community_last_error(t), edits[e].message))
			fail_msg("edit %zu: %s", e, kith_community_last_error(t));
		check_bad_load(t, tsnap, tlen, st, NULL, e);
	}
	free(bad);
	free(snap);
	free(tsnap);
	kith_community_free(a);
	kith_community_free(t);
}

/* The reference CRC agrees with the library's on every section. */
static void checksums_are_crc32c(void **state)
{
	(void)state;
	assert_int_equal(crc32c((const unsigned char *)"123456789", 9), 0xe3069283u);
	kith_community *a = rich_community(NULL);
	size_t len;
	unsigned char *snap = test_save(a, &len);
	unsigned char *copy = malloc(len);
	assert_non_null(copy);
	memcpy(copy, snap, len);
	fix_checksums(copy, len);
	assert_memory_equal(copy, snap, len);
	/* The last section is "END " holding its own offset. */
	size_t n;
	size_t end = section(snap, len, "END ", &n);
	assert_int_equal(n, 8);
	assert_int_equal(end + 8 + 4, len);
	assert_int_equal(rd32(snap + end), end - 12);
	free(copy);
	free(snap);
	kith_community_free(a);
}

/* Every entry of the library's constant CRC tables is what the bitwise
 * definition gives, and the sliced update agrees with the bitwise CRC on
 * every length and alignment of a pseudo-random buffer. */
static void crc32c_tables_match_the_definition(void **state)
{
	(void)state;
	for (unsigned i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int b = 0; b < 8; b++)
			c = c & 1 ? (c >> 1) ^ 0x82f63b78u : c >> 1;
		assert_int_equal(kith_crc32c_table_entry(0, i), c);
		for (unsigned s = 1; s < 8; s++) {
			c = (c >> 8) ^ kith_crc32c_table_entry(0, c & 0xff);
			assert_int_equal(kith_crc32c_table_entry(s, i), c);
		}
	}
	unsigned char buf[300];
	uint32_t x = 12345;
	for (size_t i = 0; i < sizeof buf; i++) {
		x = x * 1103515245u + 12345u;
		buf[i] = (unsigned char)(x >> 16);
	}
	for (size_t from = 0; from < 9; from++)
		for (size_t n = 0; from + n <= sizeof buf; n++)
			assert_int_equal(~kith_crc32c_update(0xffffffffu, buf + from, n),
			                 crc32c(buf + from, n));
}

/* How an edit writes its value: a u32, a uvar replacing the one there
 * (of the same length, so nothing moves), or two raw bytes. */
enum edit_mode { EDIT_U32, EDIT_VAR, EDIT_RAW16 };

struct edit {
	const char *name;
	const char *tag;
	enum edit_mode mode;
	size_t offset;  /* in the body */
	uint32_t value;
	size_t offset2; /* a second value when non-zero */
	uint32_t value2;
	const char *message; /* the last error contains this */
};

/* A uvar (the format's LEB128 integer) at p, and its length in *n. */
static uint64_t rdvar(const unsigned char *p, size_t *n)
{
	uint64_t v = 0;
	size_t i = 0;
	do
		v |= (uint64_t)(p[i] & 0x7f) << (7 * i);
	while (p[i++] & 0x80);
	*n = i;
	return v;
}

/* Replace the uvar at p with v's, which must be as long. */
static void wrvar(unsigned char *p, uint64_t v)
{
	size_t old;
	rdvar(p, &old);
	size_t i = 0;
	for (; v >= 0x80; v >>= 7)
		p[i++] = (unsigned char)(v | 0x80);
	p[i++] = (unsigned char)v;
	assert_int_equal(i, old);
}

static void write_edit(unsigned char *p, enum edit_mode mode, uint32_t value)
{
	if (mode == EDIT_U32) {
		wr32(p, value);
	} else if (mode == EDIT_VAR) {
		wrvar(p, value);
	} else {
		p[0] = (unsigned char)value;
		p[1] = (unsigned char)(value >> 8);
	}
}

/* A version 2 member record's fields (model-sections.c): flags, the field
 * map, then the fields it marks: three times (svar), the score (4 bytes),
 * thirty counters (uvar); then the id and, with flag 8, the display name
 * (vstr). */
enum { F_KIND0 = 5, F_HIGH_VALUE = 6, F_ROLES = 12, F_INVITER = 13, F_INVITEES_PRESENT = 27,
       F_COUNT = 34 };

struct member_layout {
	size_t flags;          /* offset of the flags byte, in the MEMB body */
	size_t field[F_COUNT]; /* each field's, 0 when left out */
	size_t id;             /* the id's bytes */
};

/* The layout of member `handle` of the MEMB body at snap + body. */
static struct member_layout member_layout(const unsigned char *snap, size_t body, uint32_t handle)
{
	struct member_layout l;
	size_t p = 0, n;
	const unsigned char *b = snap + body;
	rdvar(b, &n); /* count */
	p += n;
	rdvar(b + p, &n); /* present */
	p += n;
	for (uint32_t h = 0;; h++) {
		memset(&l, 0, sizeof l);
		l.flags = p;
		unsigned flags = b[p++];
		uint64_t map = rdvar(b + p, &n);
		p += n;
		for (int f = 0; f < F_COUNT; f++) {
			if (!(map >> f & 1))
				continue;
			l.field[f] = p;
			if (f == 3) {
				p += 4;
			} else {
				rdvar(b + p, &n);
				p += n;
			}
		}
		uint64_t id_n = rdvar(b + p, &n);
		l.id = p + n;
		p += n + id_n;
		if (flags & 8) {
			uint64_t name_n = rdvar(b + p, &n);
			p += n + name_n;
		}
		if (h == handle)
			return l;
	}
}

/* A copy of snap with the n_old bytes at `at` (inside section `tag`'s
 * body) replaced by the n_new bytes of with: the section's length, the
 * END marker and the checksums are fixed, so the loader's own checks of
 * the new bytes are what decides. */
static unsigned char *splice(const unsigned char *snap, size_t len, const char *tag, size_t at,
                             size_t n_old, const unsigned char *with, size_t n_new,
                             size_t *out_len)
{
	size_t body_len, body = section(snap, len, tag, &body_len);
	assert_true(at >= body && at + n_old <= body + body_len);
	*out_len = len - n_old + n_new;
	unsigned char *out = malloc(*out_len);
	assert_non_null(out);
	memcpy(out, snap, at);
	memcpy(out + at, with, n_new);
	memcpy(out + at + n_new, snap + at + n_old, len - at - n_old);
	wr32(out + body - 8, (uint32_t)(body_len - n_old + n_new));
	size_t end_len, end = section(out, *out_len, "END ", &end_len);
	wr32(out + end, (uint32_t)(end - 12));
	fix_checksums(out, *out_len);
	return out;
}

static void inconsistent_content_is_corrupt(void **state)
{
	(void)state;
	kith_community *a = small_community();
	size_t len;
	unsigned char *snap = test_save(a, &len);
	/* MEMB holds two uvar counts, then the records (member_layout). First
	 * check the layout. */
	size_t memb_len, grph_len, alia_len, ledg_len;
	size_t memb = section(snap, len, "MEMB", &memb_len);
	size_t grph = section(snap, len, "GRPH", &grph_len);
	size_t alia = section(snap, len, "ALIA", &alia_len);
	size_t ledg = section(snap, len, "LEDG", &ledg_len);
	assert_int_equal(snap[memb], 2);
	assert_int_equal(snap[memb + 1], 2);
	struct member_layout ac = member_layout(snap, memb, 0), ab = member_layout(snap, memb, 1);
	size_t n;
	assert_int_equal(ac.flags, 2);
	assert_memory_equal(snap + memb + ac.id, "ac", 2);
	assert_int_equal(ac.field[F_INVITER], 0); /* no inviter */
	assert_int_equal(rdvar(snap + memb + ac.field[F_ROLES], &n), 1u << 8); /* vip */
	assert_int_equal(rdvar(snap + memb + ac.field[F_INVITEES_PRESENT], &n), 1);
	assert_memory_equal(snap + memb + ab.id, "ab", 2);
	/* invited by handle 0, stored + 1 */
	assert_int_equal(rdvar(snap + memb + ab.field[F_INVITER], &n), 1);
	assert_int_equal(rdvar(snap + memb + ab.field[F_KIND0], &n), 1);
	assert_int_not_equal(ab.field[F_HIGH_VALUE], 0);
	assert_memory_equal(snap + memb + ab.id + 2, "\x04" "abby", 5);
	assert_int_equal(memb_len, ab.id + 2 + 5);
	assert_int_equal(rd32(snap + alia), 1);
	assert_int_equal(rd32(snap + alia + 4), 3);
	assert_memory_equal(snap + alia + 8, "acc", 3);
	assert_int_equal(rd32(snap + alia + 11), 0);
	/* ac -> ab (invite, then reply), ab -> ac (reaction): six uvars each. */
	assert_memory_equal(snap + grph, "\x02\x00\x01\x01\x00\x00\x01\x01\x00\x00\x00\x01\x00", 13);
	assert_int_equal(grph_len, 13);
	/* LEDG: capacity 16, 2 entries, 2 pushed, ids from ring position 0;
	 * then the first entry's id "m1", its time, author 1 (ab), and its
	 * kind byte: text (0) << 2, high-value (2), with a text hash (1). */
	assert_memory_equal(snap + ledg, "\x10\x02\x02\x00\x02m1", 7);
	size_t time_n;
	rdvar(snap + ledg + 7, &time_n);
	const size_t author = 7 + time_n;
	assert_int_equal(snap[ledg + author], 1);
	assert_int_equal(snap[ledg + author + 1], 3);

	const struct edit edits[] = {
		{"present count", "MEMB", EDIT_VAR, 1, 1, 0, 0, "present"},
		{"member count", "MEMB", EDIT_VAR, 0, 3, 0, 0, "section"},
		{"inviter", "MEMB", EDIT_VAR, ab.field[F_INVITER], 3, 0, 0, "inviter"},
		{"roles", "MEMB", EDIT_VAR, ac.field[F_ROLES], 1u << 12, 0, 0, "roles"},
		{"flags", "MEMB", EDIT_VAR, ac.flags, 0x10, 0, 0, "flags"},
		{"invitees present", "MEMB", EDIT_VAR, ac.field[F_INVITEES_PRESENT], 5, 0, 0, "invited"},
		{"messages of a kind", "MEMB", EDIT_VAR, ab.field[F_KIND0], 7, 0, 0, "add up"},
		{"high-value messages", "MEMB", EDIT_VAR, ab.field[F_HIGH_VALUE], 3, 0, 0, "add up"},
		{"a repeated id", "MEMB", EDIT_RAW16, ab.id, 'a' | 'c' << 8, 0, 0, "repeats"},
		{"a zero written out", "MEMB", EDIT_VAR, ab.field[F_INVITER], 0, 0, 0, "zero counter"},
		{"a longer uvar than needed", "MEMB", EDIT_RAW16, ac.field[F_ROLES], 0x0081, 0, 0,
		 "shortest"},
		{"alias of no member", "ALIA", EDIT_U32, 11, 2, 0, 0, "alias"},
		{"extra of no member", "EXTR", EDIT_U32, 4, 7, 0, 0, "extra"},
		{"ledger author", "LEDG", EDIT_VAR, author, 2, 0, 0, "author"},
		{"ledger kind", "LEDG", EDIT_VAR, author + 1, 12 << 2 | 1, 0, 0, "kind"},
		{"ledger capacity", "LEDG", EDIT_VAR, 0, 17, 0, 0, "capacity"},
		{"ledger count", "LEDG", EDIT_VAR, 1, 17, 0, 0, "ledger"},
		{"edge source", "GRPH", EDIT_VAR, 1, 2, 0, 0, "edge"},
		{"edge repeats", "GRPH", EDIT_VAR, 7, 0, 8, 1, "repeats"},
		{"digest count", "DIGE", EDIT_U32, 0, 4, 0, 0, "digest"},
		{"digest message", "DIGE", EDIT_U32, 12, 1000, 0, 0, "message"},
		{"role count", "ROLE", EDIT_U32, 0, 7, 0, 0, "roles"},
		{"event count", "CNTR", EDIT_U32, 32, 0, 36, 0, "events"},
		{"first event time", "CNTR", EDIT_U32, 44, 0x7fffffff, 0, 0, "first event time"},
		{"end marker", "END ", EDIT_U32, 0, 5, 0, 0, "end marker"},
	};
	kith_community *t = target_community(NULL);
	size_t tlen;
	unsigned char *tsnap = test_save(t, &tlen);
	unsigned char *bad = malloc(len);
	assert_non_null(bad);
	for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
		memcpy(bad, snap, len);
		size_t body_len;
		size_t body = section(bad, len, edits[i].tag, &body_len);
		write_edit(bad + body + edits[i].offset, edits[i].mode, edits[i].value);
		if (edits[i].offset2)
			write_edit(bad + body + edits[i].offset2, edits[i].mode, edits[i].value2);
		fix_checksums(bad, len);
		kith_status st = test_load(t, bad, len);
		if (st != KITH_ECORRUPT || !strstr(kith_community_last_error(t), edits[i].message))
			fail_msg("%s: %s: %s", edits[i].name, kith_status_name(st),
			         kith_community_last_error(t));
		check_bad_load(t, tsnap, tlen, st, a, i);
	}

	/* A name format that does not compile: "^[a-z]+$" -> "^[a-z+$$". */
	memcpy(bad, snap, len);
	size_t body = section(bad, len, "SETT", &n);
	unsigned char *fmt = find_bytes(bad + body, n, "^[a-z]+$");
	assert_non_null(fmt);
	memcpy(fmt, "^[a-z+$$", 8);
	fix_checksums(bad, len);
	kith_status st = test_load(t, bad, len);
	assert_int_equal(st, KITH_ECORRUPT);
	assert_non_null(strstr(kith_community_last_error(t), "name format"));
	check_bad_load(t, tsnap, tlen, st, a, 100);

	/* A section one byte longer than its content. */
	memcpy(bad, snap, len);
	body = section(bad, len, "CNTR", &n);
	wr32(bad + body - 8, (uint32_t)n + 1);
	fix_checksums(bad, len);
	st = test_load(t, bad, len);
	assert_int_equal(st, KITH_ECORRUPT);
	check_bad_load(t, tsnap, tlen, st, a, 101);

	/* A section out of place: ALIA's tag made EXTR's. */
	memcpy(bad, snap, len);
	memcpy(bad + alia - 12, "EXTR", 4);
	fix_checksums(bad, len);
	st = test_load(t, bad, len);
	assert_int_equal(st, KITH_ECORRUPT);
	assert_non_null(strstr(kith_community_last_error(t), "expected section 'ALIA'"));
	check_bad_load(t, tsnap, tlen, st, a, 102);

	/* Varints that need their ten bytes: ac's joining time as a step of
	 * INT64_MIN from 0 lands on "none", which only a missing field may
	 * mean; and the ledger's pushed count with bits past 64. */
	static const unsigned char to_none[10] = {0xff, 0xff, 0xff, 0xff, 0xff,
	                                          0xff, 0xff, 0xff, 0xff, 0x01};
	static const unsigned char too_big[10] = {0x80, 0x80, 0x80, 0x80, 0x80,
	                                          0x80, 0x80, 0x80, 0x80, 0x02};
	size_t joined_n;
	rdvar(snap + memb + ac.field[0], &joined_n);
	const struct {
		const char *tag;
		size_t at, n_old;
		const unsigned char *with;
		const char *message;
	} splices[] = {
	        {"MEMB", memb + ac.field[0], joined_n, to_none, "time of none written out"},
	        {"LEDG", ledg + 2, 1, too_big, "does not fit in 64 bits"},
	};
	for (size_t i = 0; i < sizeof splices / sizeof splices[0]; i++) {
		size_t spliced_len;
		unsigned char *spliced = splice(snap, len, splices[i].tag, splices[i].at,
		                                splices[i].n_old, splices[i].with, 10, &spliced_len);
		st = test_load(t, spliced, spliced_len);
		if (st != KITH_ECORRUPT || !strstr(kith_community_last_error(t), splices[i].message))
			fail_msg("splice %zu: %s: %s", i, kith_status_name(st),
			         kith_community_last_error(t));
		check_bad_load(t, tsnap, tlen, st, a, 103 + i);
		free(spliced);
	}

	free(bad);
	free(snap);
	free(tsnap);
	kith_community_free(a);
	kith_community_free(t);
}

/* ---- allocation failure ----------------------------------------------------- */

static void save_survives_allocation_failure(void **state)
{
	(void)state;
	struct test_alloc ta = {0};
	kith_community *a = rich_community(&ta);
	size_t len;
	unsigned char *before = test_save(a, &len);
	int64_t bytes = ta.live_bytes, blocks = ta.live_blocks;
	uint64_t k;
	for (k = 1;; k++) {
		ta.calls = 0;
		ta.fail_at = k;
		struct chunks b = {0};
		kith_status st = kith_community_save(a, chunks_write, &b);
		ta.fail_at = 0;
		free(b.data);
		assert_int_equal(ta.live_bytes, bytes);
		assert_int_equal(ta.live_blocks, blocks);
		if (st == KITH_OK)
			break;
		assert_int_equal(st, KITH_ENOMEM);
		assert_int_equal(b.calls, 0);
	}
	assert_true(k > 1);
	size_t len2;
	unsigned char *after = test_save(a, &len2);
	assert_true(same_bytes(before, len, after, len2));
	free(before);
	free(after);
	kith_community_free(a);
	assert_int_equal(ta.live_blocks, 0);
}

/* Load a's snapshot over a target whose Nth allocation fails, for every
 * N: ENOMEM and the target exactly as it was, until it loads. */
static void load_under_allocation_failure(kith_community *a, bool target_has_rules)
{
	size_t len;
	unsigned char *snap = test_save(a, &len);
	struct test_alloc ta = {0};
	kith_community *t = target_community(&ta);
	if (target_has_rules) {
		rule_set(t, "other", "keywords", "hello");
		rule_set(t, "other", "flood", "2 messages in 1 min");
		line(t, "%lld\tmsg\tzed\tid=z2\tkind=text\ttext=hello", (long long)(T0 - DAY + 3 * MINUTE));
	}
	size_t tlen;
	unsigned char *tsnap = test_save(t, &tlen);
	int64_t bytes = ta.live_bytes, blocks = ta.live_blocks;
	uint64_t k;
	for (k = 1;; k++) {
		ta.calls = 0;
		ta.fail_at = k;
		kith_status st = test_load(t, snap, len);
		ta.fail_at = 0;
		if (st == KITH_OK)
			break;
		if (st != KITH_ENOMEM)
			fail_msg("allocation %llu: %s: %s", (unsigned long long)k,
			         kith_status_name(st), kith_community_last_error(t));
		assert_int_equal(ta.live_bytes, bytes);
		assert_int_equal(ta.live_blocks, blocks);
		size_t l2;
		unsigned char *now = test_save(t, &l2);
		assert_true(same_bytes(tsnap, tlen, now, l2));
		free(now);
	}
	/* The reader, its buffer, the model, then members, ledger, graph. */
	assert_true(k > 10);
	assert_same_community(a, t);
	test_assert_same_snapshot(a, t);
	free(snap);
	free(tsnap);
	kith_community_free(t);
	assert_int_equal(ta.live_blocks, 0);
	assert_int_equal(ta.live_bytes, 0);
}

static void load_survives_allocation_failure(void **state)
{
	(void)state;
	kith_community *a = rich_community(NULL);
	story_part2(a);
	load_under_allocation_failure(a, false);
	kith_community_free(a);
	/* With rules on both sides: the loaded engine is built apart, the
	 * target's kept until the commit. */
	a = ruled_community();
	load_under_allocation_failure(a, true);
	kith_community_free(a);
}

/* The sample community (examples/data: the charter, then the trace) saves
 * to exactly the bytes of tests/data/sample.snapshot, on every host: the
 * format is little-endian and every hash in it is computed the same way
 * everywhere (CI runs this on big-endian s390x too), and a change to the
 * format cannot pass unnoticed. The committed snapshot loads and saves
 * back to the same bytes. After a deliberate change of the format,
 * KITH_UPDATE_FIXTURES=1 meson test snapshot writes the file anew. */
static void sample_snapshot_is_the_same_on_every_host(void **state)
{
	(void)state;
	const char *examples = getenv("KITH_EXAMPLES_DATA"), *data = getenv("KITH_TEST_DATA");
	if (!examples || !data) {
		skip();
		return;
	}
	char path[1024];
	size_t charter_n, trace_n, want_n;
	snprintf(path, sizeof path, "%s/sample.charter", examples);
	char *charter = test_read_file(path, &charter_n);
	snprintf(path, sizeof path, "%s/sample.trace", examples);
	char *trace = test_read_file(path, &trace_n);
	assert_non_null(charter);
	assert_non_null(trace);
	kith_community *c = test_community_new(NULL);
	assert_int_equal(kith_community_apply_charter(c, charter, charter_n), KITH_OK);
	if (kith_community_ingest_trace(c, trace, trace_n, NULL) != KITH_OK)
		fail_msg("sample.trace: %s", kith_community_last_error(c));
	size_t got_n;
	unsigned char *got = test_save(c, &got_n);

	snprintf(path, sizeof path, "%s/sample.snapshot", data);
	if (getenv("KITH_UPDATE_FIXTURES")) {
		FILE *f = fopen(path, "wb");
		assert_non_null(f);
		assert_int_equal(fwrite(got, 1, got_n, f), got_n);
		assert_int_equal(fclose(f), 0);
	}
	unsigned char *want = (unsigned char *)test_read_file(path, &want_n);
	if (!want)
		fail_msg("%s is missing", path);
	if (got_n != want_n || memcmp(got, want, got_n) != 0) {
		size_t at = 0;
		while (at < got_n && at < want_n && got[at] == want[at])
			at++;
		fail_msg("the sample's snapshot is %zu bytes and differs from %s (%zu bytes) from byte %zu",
		         got_n, path, want_n, at);
	}
	kith_community *loaded = test_community_new(NULL);
	assert_int_equal(test_load(loaded, want, want_n), KITH_OK);
	size_t again_n;
	unsigned char *again = test_save(loaded, &again_n);
	assert_int_equal(again_n, want_n);
	assert_memory_equal(again, want, want_n);
	assert_int_equal(kith_community_member_count(loaded), kith_community_member_count(c));
	free(again);
	free(want);
	free(got);
	free(charter);
	free(trace);
	kith_community_free(loaded);
	kith_community_free(c);
}

/* Version 1 (fixed-width records, every engine setting) is still read:
 * tests/data/sample-v1.snapshot, the sample's snapshot as the last build
 * writing version 1 saved it, loads over another community and saves as
 * the sample's version 2 snapshot, byte for byte. Its fixed-width
 * sections are still checked: a cut anywhere, a member count past the
 * data, a ledger author and an edge naming no member fail cleanly and
 * leave the target as it was. */
static void version_1_snapshot_loads(void **state)
{
	(void)state;
	const char *data = getenv("KITH_TEST_DATA");
	if (!data) {
		skip();
		return;
	}
	char path[1024];
	size_t v1_n, v2_n;
	snprintf(path, sizeof path, "%s/sample-v1.snapshot", data);
	unsigned char *v1 = (unsigned char *)test_read_file(path, &v1_n);
	snprintf(path, sizeof path, "%s/sample.snapshot", data);
	unsigned char *v2 = (unsigned char *)test_read_file(path, &v2_n);
	assert_non_null(v1);
	assert_non_null(v2);
	assert_int_equal(v1[8], 1);
	assert_int_equal(v2[8], 2);
	/* The compact format is what this change is for. */
	assert_true(v2_n < v1_n / 2);

	kith_community *t = target_community(NULL);
	size_t tlen;
	unsigned char *tsnap = test_save(t, &tlen);
	kith_community *c = target_community(NULL);
	if (test_load(c, v1, v1_n) != KITH_OK)
		fail_msg("sample-v1.snapshot: %s", kith_community_last_error(c));
	size_t got_n;
	unsigned char *got = test_save(c, &got_n);
	if (!same_bytes(got, got_n, v2, v2_n))
		fail_msg("sample-v1.snapshot saves as %zu bytes, not as sample.snapshot (%zu)", got_n,
		         v2_n);
	free(got);

	for (size_t cut = 0; cut < v1_n; cut += 1 + cut / 8) {
		kith_status st = test_load(t, v1, cut);
		assert_int_equal(st, KITH_ECORRUPT);
		check_bad_load(t, tsnap, tlen, st, NULL, cut);
	}

	unsigned char *bad = malloc(v1_n);
	assert_non_null(bad);
	size_t n;
	size_t memb = section(v1, v1_n, "MEMB", &n);
	size_t ledg = section(v1, v1_n, "LEDG", &n);
	size_t grph = section(v1, v1_n, "GRPH", &n);
	uint32_t members = rd32(v1 + memb);
	assert_int_equal(members, kith_community_member_count(c));
	assert_true(rd32(v1 + ledg + 4) > 0); /* entries */
	assert_true(rd32(v1 + grph) > 0);     /* edges */
	/* LEDG: u32 capacity, u32 count, u64 pushed, u64 id position; then
	 * the first entry's str id, u64 text hash, i64 time, u32 author. */
	size_t author = ledg + 24 + 4 + rd32(v1 + ledg + 24) + 16;
	const struct {
		size_t at;
		uint32_t value;
		const char *message;
	} edits[] = {
	        {memb, members * 4, "cannot fit"},
	        {author, members, "author"},
	        {grph + 4, members, "edge"},
	};
	for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
		memcpy(bad, v1, v1_n);
		wr32(bad + edits[i].at, edits[i].value);
		fix_checksums(bad, v1_n);
		kith_status st = test_load(t, bad, v1_n);
		if (st != KITH_ECORRUPT || !strstr(kith_community_last_error(t), edits[i].message))
			fail_msg("version 1 edit %zu: %s: %s", i, kith_status_name(st),
			         kith_community_last_error(t));
		check_bad_load(t, tsnap, tlen, st, NULL, i);
	}
	free(bad);
	free(tsnap);
	free(v1);
	free(v2);
	kith_community_free(c);
	kith_community_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip_answers_every_query_the_same),
		cmocka_unit_test(load_into_fresh_community_and_again),
		cmocka_unit_test(scores_rebase_the_same_after_a_load),
		cmocka_unit_test(text_hashes_never_change),
		cmocka_unit_test(same_community_gives_same_bytes),
		cmocka_unit_test(empty_community_round_trips),
		cmocka_unit_test(big_community_round_trips),
		cmocka_unit_test(save_writes_moderate_chunks),
		cmocka_unit_test(failing_write_gives_eio),
		cmocka_unit_test(short_reads_are_fine),
		cmocka_unit_test(failing_read_gives_eio_and_changes_nothing),
		cmocka_unit_test(bad_arguments),
		cmocka_unit_test(every_flipped_byte_fails_cleanly),
		cmocka_unit_test(every_truncation_fails_cleanly),
		cmocka_unit_test(not_a_snapshot),
		cmocka_unit_test(newer_version_is_eversion),
		cmocka_unit_test(checksums_are_crc32c),
		cmocka_unit_test(crc32c_tables_match_the_definition),
		cmocka_unit_test(engine_settings_missing_repeated_or_reordered),
		cmocka_unit_test(rules_round_trip_and_go_on_identically),
		cmocka_unit_test(rules_section_is_validated),
		cmocka_unit_test(counters_without_the_event_fields_load),
		cmocka_unit_test(digest_is_worked_out_again_on_load),
		cmocka_unit_test(inconsistent_content_is_corrupt),
		cmocka_unit_test(save_survives_allocation_failure),
		cmocka_unit_test(load_survives_allocation_failure),
		cmocka_unit_test(sample_snapshot_is_the_same_on_every_host),
		cmocka_unit_test(version_1_snapshot_loads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
