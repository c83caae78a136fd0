/* Members: interning, rejoin, aliases, display names, roles, invitees.
 * SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

static kith_status ingest(kith_community *c, kith_event_type type, int64_t t, const char *actor,
                          const char *by, const char *name, uint32_t op)
{
	kith_event ev = KITH_EVENT_INIT;
	ev.type = (uint32_t)type;
	ev.time_ms = t;
	ev.actor = actor;
	ev.actor_len = KITH_NUL_TERMINATED;
	ev.by = by;
	ev.by_len = KITH_NUL_TERMINATED;
	ev.name = name;
	ev.name_len = KITH_NUL_TERMINATED;
	ev.op = op;
	return kith_community_ingest(c, &ev);
}

static uint32_t find(kith_community *c, const char *id)
{
	uint32_t h = UINT32_MAX;
	assert_int_equal(kith_community_find_member(c, id, KITH_NUL_TERMINATED, &h), KITH_OK);
	return h;
}

static void interning_gives_dense_stable_handles(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	test_join(c, 1000, "alice", NULL);
	test_join(c, 2000, "bob", NULL);
	test_join(c, 3000, "carol", NULL);
	assert_int_equal(kith_community_member_count(c), 3);
	assert_int_equal(find(c, "alice"), 0);
	assert_int_equal(find(c, "bob"), 1);
	size_t n;
	assert_string_equal(kith_member_id(c, 2, &n), "carol");
	assert_int_equal(n, 5);
	uint32_t h;
	assert_int_equal(kith_community_find_member(c, "dave", KITH_NUL_TERMINATED, &h), KITH_ENOTFOUND);
	assert_int_equal(kith_community_find_member(c, "", 0, &h), KITH_ENOTFOUND);
	assert_int_equal(kith_community_find_member(NULL, "bob", 3, &h), KITH_EINVAL);
	assert_null(kith_member_id(c, 3, NULL));
	kith_community_free(c);
}

static void many_members_grow_the_table(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	char id[32];
	for (int i = 0; i < 20000; i++) {
		snprintf(id, sizeof id, "user-%d", i);
		test_join(c, i, id, NULL);
	}
	assert_int_equal(kith_community_member_count(c), 20000);
	assert_int_equal(kith_community_present_count(c), 20000);
	for (int i = 0; i < 20000; i += 997) {
		snprintf(id, sizeof id, "user-%d", i);
		assert_int_equal(find(c, id), (uint32_t)i);
	}
	kith_community_free(c);
}

static void ids_are_byte_strings(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	kith_event ev = KITH_EVENT_INIT;
	ev.type = KITH_EVENT_JOIN;
	ev.actor = "a\0b";
	ev.actor_len = 3;
	assert_int_equal(kith_community_ingest(c, &ev), KITH_OK);
	ev.actor = "a\0c";
	assert_int_equal(kith_community_ingest(c, &ev), KITH_OK);
	ev.actor = "a";
	ev.actor_len = 1;
	assert_int_equal(kith_community_ingest(c, &ev), KITH_OK);
	assert_int_equal(kith_community_member_count(c), 3);
	uint32_t h;
	assert_int_equal(kith_community_find_member(c, "a\0c", 3, &h), KITH_OK);
	assert_int_equal(h, 1);
	size_t n;
	const char *id = kith_member_id(c, 0, &n);
	assert_int_equal(n, 3);
	assert_memory_equal(id, "a\0b", 3);
	kith_community_free(c);
}

static void rejoin_is_the_same_member(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	test_join(c, 1000, "alice", NULL);
	assert_int_equal(ingest(c, KITH_EVENT_LEAVE, 2000, "alice", NULL, NULL, 0), KITH_OK);
	assert_int_equal(kith_community_present_count(c), 0);
	assert_int_equal(test_stat(c, "alice", KITH_STAT_PRESENT), 0);
	/* leave of an absent member changes nothing */
	assert_int_equal(ingest(c, KITH_EVENT_LEAVE, 2500, "alice", NULL, NULL, 0), KITH_OK);
	assert_int_equal(kith_community_present_count(c), 0);
	test_join(c, 3000, "alice", NULL);
	assert_int_equal(kith_community_member_count(c), 1);
	assert_int_equal(kith_community_present_count(c), 1);
	assert_int_equal(test_stat(c, "alice", KITH_STAT_JOINED_MS), 3000);
	/* join of a present member changes nothing */
	test_join(c, 4000, "alice", NULL);
	assert_int_equal(test_stat(c, "alice", KITH_STAT_JOINED_MS), 3000);
	kith_community_free(c);
}

static void implicit_join_and_rejoin(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	test_msg(c, 5000, "bob", "m1", KITH_KIND_TEXT, NULL, NULL, NULL, "hello");
	assert_int_equal(kith_community_member_count(c), 1);
	assert_int_equal(test_stat(c, "bob", KITH_STAT_PRESENT), 1);
	assert_int_equal(test_stat(c, "bob", KITH_STAT_JOINED_MS), 5000);
	assert_int_equal(ingest(c, KITH_EVENT_LEAVE, 6000, "bob", NULL, NULL, 0), KITH_OK);
	test_msg(c, 7000, "bob", "m2", KITH_KIND_TEXT, NULL, NULL, NULL, "back");
	assert_int_equal(test_stat(c, "bob", KITH_STAT_PRESENT), 1);
	assert_int_equal(test_stat(c, "bob", KITH_STAT_JOINED_MS), 7000);
	/* a leave from an unknown id creates the member, then it is gone */
	assert_int_equal(ingest(c, KITH_EVENT_LEAVE, 8000, "ghost", NULL, NULL, 0), KITH_OK);
	assert_int_equal(kith_community_member_count(c), 2);
	assert_int_equal(test_stat(c, "ghost", KITH_STAT_PRESENT), 0);
	assert_int_equal(kith_community_present_count(c), 1);
	kith_community_free(c);
}

static void kick_and_ban(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	test_join(c, 1, "owner", NULL);
	test_join(c, 2, "spam", NULL);
	test_join(c, 3, "rude", NULL);
	assert_int_equal(ingest(c, KITH_EVENT_KICK, 4, "rude", "owner", NULL, 0), KITH_OK);
	assert_int_equal(ingest(c, KITH_EVENT_BAN, 5, "spam", "owner", NULL, 0), KITH_OK);
	assert_int_equal(test_stat(c, "rude", KITH_STAT_PRESENT), 0);
	assert_int_equal(test_stat(c, "rude", KITH_STAT_BANNED), 0);
	assert_int_equal(test_stat(c, "spam", KITH_STAT_PRESENT), 0);
	assert_int_equal(test_stat(c, "spam", KITH_STAT_BANNED), 1);
	assert_int_equal(kith_community_present_count(c), 1);
	test_join(c, 6, "spam", NULL); /* unbanned and back */
	assert_int_equal(test_stat(c, "spam", KITH_STAT_BANNED), 0);
	assert_int_equal(kith_community_present_count(c), 2);
	kith_community_free(c);
}

static void alias_adds_a_key(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	test_join(c, 1, "alice", NULL);
	test_join(c, 2, "bob", NULL);
	assert_int_equal(ingest(c, KITH_EVENT_ALIAS, 3, "alice", NULL, "alice_away", 0), KITH_OK);
	assert_int_equal(find(c, "alice_away"), 0);
	assert_int_equal(find(c, "alice"), 0);
	/* the member keeps its first id as its name */
	assert_string_equal(kith_member_id(c, 0, NULL), "alice");
	/* events under the alias are the member's */
	test_msg(c, 4, "alice_away", "m1", KITH_KIND_TEXT, NULL, NULL, NULL, "brb");
	assert_int_equal(test_stat(c, "alice", KITH_STAT_MESSAGES), 1);
	assert_int_equal(kith_community_member_count(c), 2);
	/* an alias that named another member now names the actor */
	assert_int_equal(ingest(c, KITH_EVENT_ALIAS, 5, "bob", NULL, "alice_away", 0), KITH_OK);
	assert_int_equal(find(c, "alice_away"), 1);
	assert_int_equal(find(c, "alice"), 0);
	/* so does another member's first id */
	assert_int_equal(ingest(c, KITH_EVENT_ALIAS, 6, "bob", NULL, "alice", 0), KITH_OK);
	assert_int_equal(find(c, "alice"), 1);
	assert_string_equal(kith_member_id(c, 0, NULL), "alice");
	/* aliasing to one's own id changes nothing */
	assert_int_equal(ingest(c, KITH_EVENT_ALIAS, 7, "bob", NULL, "bob", 0), KITH_OK);
	assert_int_equal(find(c, "bob"), 1);
	assert_int_equal(kith_community_member_count(c), 2);
	assert_int_equal(ingest(c, KITH_EVENT_ALIAS, 8, "bob", NULL, NULL, 0), KITH_EINVAL);
	kith_community_free(c);
}

static void display_names_and_compliance(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	test_join(c, 1, "u1", NULL);
	assert_null(kith_member_display_name(c, 0, NULL));
	assert_int_equal(test_stat(c, "u1", KITH_STAT_NAME_COMPLIANT), 1); /* no format set */
	assert_int_equal(kith_setting_set(c, "community.name_format", KITH_NUL_TERMINATED,
	                                  "^[A-Z][a-z]+-[A-Za-z]+-.+$", KITH_NUL_TERMINATED),
	                 KITH_OK);
	assert_int_equal(test_stat(c, "u1", KITH_STAT_NAME_COMPLIANT), 0); /* no name at all */
	assert_int_equal(ingest(c, KITH_EVENT_NICK, 2, "u1", NULL, "whatever", 0), KITH_OK);
	assert_string_equal(kith_member_display_name(c, 0, NULL), "whatever");
	assert_int_equal(test_stat(c, "u1", KITH_STAT_NAME_COMPLIANT), 0);
	assert_int_equal(ingest(c, KITH_EVENT_NICK, 3, "u1", NULL, "Shanghai-Ops-Alice", 0), KITH_OK);
	size_t n;
	assert_string_equal(kith_member_display_name(c, 0, &n), "Shanghai-Ops-Alice");
	assert_int_equal(n, 18);
	assert_int_equal(test_stat(c, "u1", KITH_STAT_NAME_COMPLIANT), 1);
	/* removing the format makes everyone compliant again */
	assert_int_equal(kith_setting_set(c, "community.name_format", KITH_NUL_TERMINATED, "", 0),
	                 KITH_OK);
	assert_int_equal(test_stat(c, "u1", KITH_STAT_NAME_COMPLIANT), 1);
	kith_community_free(c);
}

static void explosive_name_formats_are_refused(void **state)
{
	(void)state;
	/* glibc's regcomp would expand these into gigabytes of tree. */
	kith_community *c = test_community_new(NULL);
	assert_int_equal(kith_setting_set(c, "community.name_format", KITH_NUL_TERMINATED, "^[A-Z]",
	                                  KITH_NUL_TERMINATED),
	                 KITH_OK);
	assert_int_equal(kith_setting_set(c, "community.name_format", KITH_NUL_TERMINATED,
	                                  "((a{200}){200}){200}", KITH_NUL_TERMINATED),
	                 KITH_ERANGE);
	assert_non_null(strstr(kith_community_last_error(c), "repeats too much"));
	char many[600];
	memset(many, '+', sizeof many - 1);
	many[0] = 'a';
	many[sizeof many - 1] = '\0';
	assert_int_equal(kith_setting_set(c, "community.name_format", KITH_NUL_TERMINATED, many,
	                                  KITH_NUL_TERMINATED),
	                 KITH_ERANGE);
	char buf[64];
	assert_int_equal(kith_setting_get(c, "community.name_format", KITH_NUL_TERMINATED, buf,
	                                  sizeof buf, NULL),
	                 KITH_OK);
	assert_string_equal(buf, "^[A-Z]");
	/* Stacked repetition operators (undefined in POSIX): glibc took 4.6 s
	 * to compile x*++++++++++++, and some twenty times longer for every
	 * two more +. */
	static const char *const stacked[] = {"x*++++++++++++", "a*+", "a+?", "a{2}*", "(ab)*?", "a??"};
	for (size_t i = 0; i < sizeof stacked / sizeof stacked[0]; i++) {
		assert_int_equal(kith_setting_set(c, "community.name_format", KITH_NUL_TERMINATED,
		                                  stacked[i], KITH_NUL_TERMINATED),
		                 KITH_ERANGE);
		assert_non_null(strstr(kith_community_last_error(c), "stacks repetition operators"));
	}
	/* Many copies of a piece that matches the empty string: glibc's memory
	 * grows with the square of their number ((){20101} took 6.4 GB). */
	static const char *const empty_copies[] = {"(){20101}", "(a*){5000}", "((a*){100}){100}", "(a|){5000}",
	                                           "(^){5000}"};
	for (size_t i = 0; i < sizeof empty_copies / sizeof empty_copies[0]; i++)
		assert_int_equal(kith_setting_set(c, "community.name_format", KITH_NUL_TERMINATED,
		                                  empty_copies[i], KITH_NUL_TERMINATED),
		                 KITH_ERANGE);
	/* one operator a piece, literal or bracketed ones, and a repeated group are fine */
	static const char *const fine[] = {"(a*)+", "a*b+c?d{2}", "\\*\\+", "[*+?]+", "x(y+)?", "(a*){400}",
	                                   "(){255}",  "x{9000}"};
	for (size_t i = 0; i < sizeof fine / sizeof fine[0]; i++)
		if (kith_setting_set(c, "community.name_format", KITH_NUL_TERMINATED, fine[i],
		                     KITH_NUL_TERMINATED) != KITH_OK)
			fail_msg("'%s': %s", fine[i], kith_community_last_error(c));
	/* a modest bounded repetition is fine */
	assert_int_equal(kith_setting_set(c, "community.name_format", KITH_NUL_TERMINATED,
	                                  "^[A-Z]{2,30}-.+$", KITH_NUL_TERMINATED),
	                 KITH_OK);
	kith_community_free(c);
}

static void name_churn_keeps_names_right(void **state)
{
	(void)state;
	/* Many renames force the names arena to compact; every member must
	 * still read its latest name. */
	struct test_alloc ta = {0};
	kith_community *c = test_community_new(&ta);
	char id[32], name[64];
	for (int i = 0; i < 200; i++) {
		snprintf(id, sizeof id, "m%d", i);
		test_join(c, i, id, NULL);
	}
	int64_t before = ta.live_bytes;
	for (int round = 0; round < 200; round++) {
		for (int i = 0; i < 200; i++) {
			snprintf(id, sizeof id, "m%d", i);
			snprintf(name, sizeof name, "name-%d-of-round-%d-padding-padding", i, round);
			assert_int_equal(ingest(c, KITH_EVENT_NICK, 1000 + round, id, NULL, name, 0), KITH_OK);
		}
	}
	for (int i = 0; i < 200; i++) {
		snprintf(name, sizeof name, "name-%d-of-round-%d-padding-padding", i, 199);
		assert_string_equal(kith_member_display_name(c, (uint32_t)i, NULL), name);
	}
	/* 40,000 names of over 40 bytes (1.6 MB) were written; compaction
	 * keeps the arena near what is live. */
	assert_true(ta.live_bytes - before < 400 * 1024);
	kith_community_free(c);
	assert_int_equal(ta.live_bytes, 0);
}

static void roles_are_granted_and_revoked(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	test_join(c, 1, "boss", NULL);
	assert_int_equal(ingest(c, KITH_EVENT_ROLE, 2, "boss", NULL, "owner", KITH_OP_ADD), KITH_OK);
	assert_int_equal(ingest(c, KITH_EVENT_ROLE, 3, "boss", NULL, "Admin", KITH_OP_ADD), KITH_OK);
	assert_true(kith_member_has_role(c, 0, KITH_ROLE_OWNER));
	assert_true(kith_member_has_role(c, 0, KITH_ROLE_ADMIN));
	assert_false(kith_member_has_role(c, 0, KITH_ROLE_EXPERT));
	assert_int_equal(ingest(c, KITH_EVENT_ROLE, 4, "boss", NULL, "admin", KITH_OP_REMOVE), KITH_OK);
	assert_false(kith_member_has_role(c, 0, KITH_ROLE_ADMIN));
	assert_int_equal(ingest(c, KITH_EVENT_ROLE, 5, "boss", NULL, "wizard", KITH_OP_ADD), KITH_EINVAL);
	assert_non_null(strstr(kith_community_last_error(c), "wizard"));
	assert_int_equal(ingest(c, KITH_EVENT_ROLE, 5, "boss", NULL, "owner", 7), KITH_EINVAL);

	uint32_t r;
	assert_int_equal(kith_community_define_role(c, "wizard", KITH_NUL_TERMINATED,
	                                            KITH_PERM_LINKS | KITH_PERM_INVITE, 1, &r),
	                 KITH_OK);
	assert_int_equal(r, 8);
	assert_int_equal(kith_community_role_count(c), 9);
	assert_string_equal(kith_role_name(c, r), "wizard");
	assert_int_equal(kith_role_permissions(c, r), KITH_PERM_LINKS | KITH_PERM_INVITE);
	assert_int_equal(kith_role_is_protected(c, r), 1);
	assert_int_equal(ingest(c, KITH_EVENT_ROLE, 6, "boss", NULL, "wizard", KITH_OP_ADD), KITH_OK);
	assert_true(kith_member_has_role(c, 0, r));
	uint32_t found;
	assert_int_equal(kith_community_find_role(c, "WIZARD", KITH_NUL_TERMINATED, &found), KITH_OK);
	assert_int_equal(found, r);
	assert_int_equal(kith_community_define_role(c, "bad name", KITH_NUL_TERMINATED, 0, 0, NULL),
	                 KITH_EINVAL);
	assert_int_equal(kith_community_define_role(c, "x", KITH_NUL_TERMINATED, 64, 0, NULL), KITH_EINVAL);
	char name[16];
	for (uint32_t i = kith_community_role_count(c); i < KITH_ROLES_MAX; i++) {
		snprintf(name, sizeof name, "r%u", (unsigned)i);
		assert_int_equal(kith_community_define_role(c, name, KITH_NUL_TERMINATED, 0, 0, NULL), KITH_OK);
	}
	assert_int_equal(kith_community_define_role(c, "one-more", KITH_NUL_TERMINATED, 0, 0, NULL),
	                 KITH_ELIMIT);
	assert_int_equal(kith_community_role_count(c), KITH_ROLES_MAX);
	kith_community_free(c);
}

static void invitees_retained(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	test_join(c, 1, "host", NULL);
	test_join(c, 2, "g1", "host");
	test_join(c, 3, "g2", "host");
	test_join(c, 4, "g3", "nobody-known"); /* an unknown inviter is ignored */
	assert_int_equal(test_stat(c, "host", KITH_STAT_INVITES), 2);
	assert_int_equal(test_stat(c, "host", KITH_STAT_INVITEES_PRESENT), 2);
	assert_int_equal(test_stat(c, "g1", KITH_STAT_INVITER), 0);
	assert_int_equal(test_stat(c, "g3", KITH_STAT_INVITER), -1);
	assert_int_equal(kith_community_member_count(c), 4);
	assert_int_equal(ingest(c, KITH_EVENT_LEAVE, 5, "g1", NULL, NULL, 0), KITH_OK);
	assert_int_equal(test_stat(c, "host", KITH_STAT_INVITEES_PRESENT), 1);
	assert_int_equal(test_stat(c, "host", KITH_STAT_INVITES), 2);
	uint32_t n;
	assert_int_equal(kith_community_interactions(c, 0, 2, KITH_INTERACTION_INVITE, &n), KITH_OK);
	assert_int_equal(n, 1);
	/* g1 comes back on its own: not an invitee any more */
	test_join(c, 6, "g1", NULL);
	assert_int_equal(test_stat(c, "host", KITH_STAT_INVITEES_PRESENT), 1);
	assert_int_equal(test_stat(c, "g1", KITH_STAT_INVITER), -1);
	kith_community_free(c);
}

/* A lookup that fails says why in the last error, rather than leaving it
 * empty or showing an earlier failure's message. */
static void failed_lookups_set_the_last_error(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	test_join(c, 1000, "alice", NULL);
	const char *stale = "setting no.such.setting";
	int64_t v;
	double score;
	uint32_t h;

	assert_int_equal(kith_member_stat(c, 7, KITH_STAT_MESSAGES, &v), KITH_ENOTFOUND);
	assert_non_null(strstr(kith_community_last_error(c), "kith_member_stat"));
	assert_non_null(strstr(kith_community_last_error(c), "7"));

	/* After an unrelated failure, each lookup replaces its message. */
	assert_int_equal(kith_setting_set(c, "no.such.setting", KITH_NUL_TERMINATED, "1", 1), KITH_ENOTFOUND);
	assert_non_null(strstr(kith_community_last_error(c), stale));
	assert_int_equal(kith_member_score(c, 7, 1000, &score), KITH_ENOTFOUND);
	assert_null(strstr(kith_community_last_error(c), stale));
	assert_non_null(strstr(kith_community_last_error(c), "kith_member_score"));

	assert_int_equal(kith_setting_set(c, "no.such.setting", KITH_NUL_TERMINATED, "1", 1), KITH_ENOTFOUND);
	assert_int_equal(kith_community_find_member(c, "bob", KITH_NUL_TERMINATED, &h), KITH_ENOTFOUND);
	assert_null(strstr(kith_community_last_error(c), stale));
	assert_non_null(strstr(kith_community_last_error(c), "bob"));

	assert_int_equal(kith_setting_set(c, "no.such.setting", KITH_NUL_TERMINATED, "1", 1), KITH_ENOTFOUND);
	assert_int_equal(kith_member_stat(c, 0, (kith_stat)9999, &v), KITH_EINVAL);
	assert_null(strstr(kith_community_last_error(c), stale));
	assert_non_null(strstr(kith_community_last_error(c), "9999"));

	/* A success leaves the last error alone (it is the last failure's). */
	assert_int_equal(kith_community_find_member(c, "alice", KITH_NUL_TERMINATED, &h), KITH_OK);
	assert_non_null(strstr(kith_community_last_error(c), "9999"));
	kith_community_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(interning_gives_dense_stable_handles),
		cmocka_unit_test(many_members_grow_the_table),
		cmocka_unit_test(ids_are_byte_strings),
		cmocka_unit_test(rejoin_is_the_same_member),
		cmocka_unit_test(implicit_join_and_rejoin),
		cmocka_unit_test(kick_and_ban),
		cmocka_unit_test(alias_adds_a_key),
		cmocka_unit_test(display_names_and_compliance),
		cmocka_unit_test(explosive_name_formats_are_refused),
		cmocka_unit_test(name_churn_keeps_names_right),
		cmocka_unit_test(roles_are_granted_and_revoked),
		cmocka_unit_test(invitees_retained),
		cmocka_unit_test(failed_lookups_set_the_last_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
