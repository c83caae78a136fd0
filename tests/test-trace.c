/*
 * The kith-trace 1 reader: every event type, the line syntax, escapes,
 * errors with their line and column, and atomicity of a bad line.
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

#include "testutil.h"

/* ---- helpers ----------------------------------------------------------- */

/* Ingest a whole trace; fail the test with kith's message on error. */
static void ingest_ok(kith_community *c, const char *trace)
{
	uint64_t done = 0;
	kith_status st = kith_community_ingest_trace(c, trace, strlen(trace), &done);
	if (st != KITH_OK)
		fail_msg("ingest: %s (%s)", kith_community_last_error(c), kith_status_name(st));
}

static uint32_t member(kith_community *c, const char *id)
{
	uint32_t h = UINT32_MAX;
	if (kith_community_find_member(c, id, KITH_NUL_TERMINATED, &h) != KITH_OK)
		fail_msg("no member '%s'", id);
	return h;
}

static bool known(kith_community *c, const char *id)
{
	uint32_t h;
	return kith_community_find_member(c, id, KITH_NUL_TERMINATED, &h) == KITH_OK;
}

static int discard_write(const void *data, size_t len, void *payload)
{
	(void)data;
	(void)len;
	(void)payload;
	return 0;
}

/* A snapshot of c, or NULL while snapshots are not available. */
static unsigned char *snapshot(kith_community *c, size_t *len)
{
	if (kith_community_save(c, discard_write, NULL) != KITH_OK)
		return NULL;
	return test_save(c, len);
}

/* What a failed call must leave unchanged. */
struct fingerprint {
	size_t members, present;
	uint64_t messages;
	int64_t last_event;
	int64_t stats[8][KITH_STAT_LAST_PURCHASE_MS + 1];
	unsigned char *snap;
	size_t snap_len;
};

static void fingerprint_take(kith_community *c, struct fingerprint *fp)
{
	memset(fp, 0, sizeof *fp);
	fp->members = kith_community_member_count(c);
	fp->present = kith_community_present_count(c);
	fp->messages = kith_community_message_count(c);
	fp->last_event = kith_community_last_event_ms(c);
	for (uint32_t h = 0; h < fp->members && h < 8; h++)
		for (int s = KITH_STAT_PRESENT; s <= KITH_STAT_LAST_PURCHASE_MS; s++)
			assert_int_equal(kith_member_stat(c, h, (kith_stat)s, &fp->stats[h][s]),
			                 KITH_OK);
	fp->snap = snapshot(c, &fp->snap_len);
}

static void fingerprint_check(kith_community *c, struct fingerprint *before)
{
	struct fingerprint after;
	fingerprint_take(c, &after);
	assert_int_equal(after.members, before->members);
	assert_int_equal(after.present, before->present);
	assert_int_equal(after.messages, before->messages);
	assert_int_equal(after.last_event, before->last_event);
	assert_memory_equal(after.stats, before->stats, sizeof after.stats);
	if (before->snap && after.snap) {
		assert_int_equal(after.snap_len, before->snap_len);
		assert_memory_equal(after.snap, before->snap, after.snap_len);
	}
	free(after.snap);
	free(before->snap);
	before->snap = NULL;
}

/* ---- every event type -------------------------------------------------- */

static void join_leave_kick_ban(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	ingest_ok(c, "1000\tjoin\tbob\n"
	             "2000\tjoin\talice\tby=bob\n"
	             "3000\tjoin\tcarol\n"
	             "4000\tleave\tcarol\n"
	             "5000\tkick\talice\tby=bob\n"
	             "6000\tban\tdave\tby=bob\n");
	assert_int_equal(kith_community_member_count(c), 4);
	assert_int_equal(kith_community_present_count(c), 1);
	assert_int_equal(kith_community_last_event_ms(c), 6000);
	assert_int_equal(test_stat(c, "alice", KITH_STAT_INVITER), member(c, "bob"));
	assert_int_equal(test_stat(c, "alice", KITH_STAT_JOINED_MS), 2000);
	assert_int_equal(test_stat(c, "alice", KITH_STAT_PRESENT), 0);
	assert_int_equal(test_stat(c, "bob", KITH_STAT_INVITES), 1);
	assert_int_equal(test_stat(c, "bob", KITH_STAT_INVITER), -1);
	assert_int_equal(test_stat(c, "bob", KITH_STAT_PRESENT), 1);
	assert_int_equal(test_stat(c, "carol", KITH_STAT_PRESENT), 0);
	assert_int_equal(test_stat(c, "dave", KITH_STAT_BANNED), 1);
	assert_int_equal(test_stat(c, "dave", KITH_STAT_PRESENT), 0);
	assert_int_equal(test_stat(c, "carol", KITH_STAT_BANNED), 0);
	kith_community_free(c);
}

static void msg_fields(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	ingest_ok(c, "1000\tjoin\talice\n"
	             "1000\tjoin\tbob\n"
	             "2000\tmsg\talice\tid=m1\tkind=photo\tlen=42\ttags=question\ttext=how?\n"
	             "3000\tmsg\tbob\tid=m2\tkind=text\treply=m1\tto=alice\ttags=feedback\n"
	             /* no to=: addressed to the author of m1 through the ledger */
	             "4000\tmsg\tbob\tid=m3\tkind=video\treply=m1\n"
	             /* a to= naming nobody is ignored and creates nobody */
	             "5000\tmsg\talice\tid=m4\tto=nobody\ttags=complaint\n");
	assert_int_equal(kith_community_message_count(c), 4);
	assert_int_equal(kith_community_member_count(c), 2);
	assert_false(known(c, "nobody"));

	assert_int_equal(test_stat(c, "alice", KITH_STAT_MESSAGES), 2);
	assert_int_equal(test_stat(c, "alice", KITH_STAT_KIND_BASE + KITH_KIND_PHOTO), 1);
	/* a message without kind= is text */
	assert_int_equal(test_stat(c, "alice", KITH_STAT_KIND_BASE + KITH_KIND_TEXT), 1);
	assert_int_equal(test_stat(c, "alice", KITH_STAT_FIRST_MSG_MS), 2000);
	assert_int_equal(test_stat(c, "alice", KITH_STAT_LAST_MSG_MS), 5000);
	assert_int_equal(test_stat(c, "alice", KITH_STAT_QUESTIONS), 1);
	assert_int_equal(test_stat(c, "alice", KITH_STAT_COMPLAINTS), 1);
	assert_int_equal(test_stat(c, "alice", KITH_STAT_REPLIES_GIVEN), 0);
	assert_int_equal(test_stat(c, "alice", KITH_STAT_REPLIES_RECEIVED), 2);

	assert_int_equal(test_stat(c, "bob", KITH_STAT_MESSAGES), 2);
	assert_int_equal(test_stat(c, "bob", KITH_STAT_KIND_BASE + KITH_KIND_TEXT), 1);
	assert_int_equal(test_stat(c, "bob", KITH_STAT_KIND_BASE + KITH_KIND_VIDEO), 1);
	assert_int_equal(test_stat(c, "bob", KITH_STAT_FEEDBACK), 1);
	assert_int_equal(test_stat(c, "bob", KITH_STAT_REPLIES_GIVEN), 2);
	assert_int_equal(test_stat(c, "bob", KITH_STAT_QUESTIONS), 0);

	uint32_t n = 0;
	assert_int_equal(kith_community_interactions(c, member(c, "bob"), member(c, "alice"),
	                                             KITH_INTERACTION_REPLY, &n),
	                 KITH_OK);
	assert_int_equal(n, 2);

	/* the ids reached the ledger */
	double v = -1;
	assert_int_equal(kith_community_message_value(c, "m1", 2, &v), KITH_OK);
	assert_int_equal(kith_community_message_value(c, "m4", 2, &v), KITH_OK);
	assert_int_equal(kith_community_message_value(c, "m5", 2, &v), KITH_ENOTFOUND);
	kith_community_free(c);
}

static void every_kind_name(void **state)
{
	(void)state;
	static const char *names[KITH_KIND_COUNT] = {
	        "text",     "photo", "video",   "voice",    "link",   "article",
	        "document", "share", "sticker", "envelope", "system", "other",
	};
	kith_community *c = test_community_new(NULL);
	char line[128];
	for (int k = 0; k < KITH_KIND_COUNT; k++) {
		/* kind k is sent k + 1 times, so every count is distinct */
		for (int i = 0; i <= k; i++) {
			snprintf(line, sizeof line, "%d\tmsg\tu\tkind=%s", k * 100 + i, names[k]);
			assert_int_equal(test_line(c, line), KITH_OK);
		}
	}
	for (int k = 0; k < KITH_KIND_COUNT; k++)
		assert_int_equal(test_stat(c, "u", (kith_stat)(KITH_STAT_KIND_BASE + k)), k + 1);
	assert_int_equal(test_stat(c, "u", KITH_STAT_MESSAGES), 78);
	/* names are exact: no prefixes, no case folding */
	assert_int_equal(test_line(c, "5000\tmsg\tu\tkind=tex"), KITH_ESYNTAX);
	assert_int_equal(test_line(c, "5000\tmsg\tu\tkind=texts"), KITH_ESYNTAX);
	assert_int_equal(test_line(c, "5000\tmsg\tu\tkind=Text"), KITH_ESYNTAX);
	kith_community_free(c);
}

static void react_nick_alias(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	ingest_ok(c, "1000\tmsg\tbob\tid=m2\n"
	             "2000\treact\tcarol\tmsg=m2\tto=bob\n"
	             "3000\tnick\talice\tname=Shanghai-Ops-Alice\n"
	             "4000\talias\talice\tnew=alice_away\n");
	assert_int_equal(kith_community_member_count(c), 3);
	assert_int_equal(test_stat(c, "bob", KITH_STAT_REACTIONS_RECEIVED), 1);
	uint32_t n = 0;
	assert_int_equal(kith_community_interactions(c, member(c, "carol"), member(c, "bob"),
	                                             KITH_INTERACTION_REACTION, &n),
	                 KITH_OK);
	assert_int_equal(n, 1);

	size_t len = 0;
	const char *name = kith_member_display_name(c, member(c, "alice"), &len);
	assert_non_null(name);
	assert_int_equal(len, 18);
	assert_string_equal(name, "Shanghai-Ops-Alice");

	/* the alias names alice, who keeps her first id */
	assert_int_equal(member(c, "alice_away"), member(c, "alice"));
	assert_string_equal(kith_member_id(c, member(c, "alice_away"), NULL), "alice");
	/* a message from the alias is alice's */
	assert_int_equal(test_line(c, "5000\tmsg\talice_away\tid=m9"), KITH_OK);
	assert_int_equal(test_stat(c, "alice", KITH_STAT_MESSAGES), 1);
	assert_int_equal(kith_community_member_count(c), 3);
	/* an alias naming another member moves over to the actor */
	assert_int_equal(test_line(c, "6000\talias\tbob\tnew=alice_away"), KITH_OK);
	assert_int_equal(member(c, "alice_away"), member(c, "bob"));
	assert_int_equal(member(c, "alice"), 2); /* bob 0, carol 1, alice 2 */
	kith_community_free(c);
}

static void roles_reports_attend(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	ingest_ok(c, "1000\tjoin\towner1\n"
	             "1000\tjoin\talice\n"
	             "2000\trole\talice\trole=+admin\tby=owner1\n"
	             "2001\trole\talice\trole=+seed\n"
	             "3000\tmsg\talice\tid=m1\n"
	             "4000\treport\tbob\ttarget=alice\tmsg=m1\n"
	             "4001\treport\tcarol\ttarget=alice\n"
	             "5000\tattend\tbob\tactivity=member-qa\n"
	             "5001\tattend\tbob\tactivity=member-qa\n");
	uint32_t alice = member(c, "alice");
	assert_int_equal(kith_member_has_role(c, alice, KITH_ROLE_ADMIN), 1);
	assert_int_equal(kith_member_has_role(c, alice, KITH_ROLE_SEED), 1);
	assert_int_equal(kith_member_has_role(c, alice, KITH_ROLE_OWNER), 0);
	assert_int_equal(test_line(c, "6000\trole\talice\trole=-admin\tby=owner1"), KITH_OK);
	assert_int_equal(kith_member_has_role(c, alice, KITH_ROLE_ADMIN), 0);
	assert_int_equal(kith_member_has_role(c, alice, KITH_ROLE_SEED), 1);

	assert_int_equal(test_stat(c, "alice", KITH_STAT_REPORTS_RECEIVED), 2);
	assert_int_equal(test_stat(c, "bob", KITH_STAT_REPORTS_RECEIVED), 0);
	assert_int_equal(test_stat(c, "bob", KITH_STAT_ATTENDED), 2);
	assert_int_equal(test_stat(c, "alice", KITH_STAT_ATTENDED), 0);
	kith_community_free(c);
}

static void envelopes_purchase_delete(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	ingest_ok(c, "1000\tenvelope\tboss\top=send\tamount=10000\n"
	             "2000\tenvelope\tlurker\top=claim\tamount=250\n"
	             "2001\tenvelope\tlurker\top=claim\tamount=0\n"
	             "3000\tpurchase\tbuyer\tamount=9999\n"
	             "4000\tmsg\tspammer\tid=ad1\tkind=link\n");
	/* a deleted message keeps its place in the ledger but is worth nothing */
	double v = 0;
	assert_int_equal(kith_community_message_value(c, "ad1", 3, &v), KITH_OK);
	assert_true(v > 0);
	ingest_ok(c, "5000\tdelete\tspammer\tmsg=ad1\tby=boss\n");
	assert_int_equal(kith_community_message_value(c, "ad1", 3, &v), KITH_OK);
	assert_true(v == 0);
	assert_int_equal(test_stat(c, "boss", KITH_STAT_ENVELOPES_SENT), 1);
	assert_int_equal(test_stat(c, "boss", KITH_STAT_ENVELOPES_CLAIMED), 0);
	assert_int_equal(test_stat(c, "lurker", KITH_STAT_ENVELOPES_CLAIMED), 2);
	assert_int_equal(test_stat(c, "lurker", KITH_STAT_ENVELOPES_SENT), 0);
	assert_int_equal(test_stat(c, "buyer", KITH_STAT_LAST_PURCHASE_MS), 3000);
	assert_int_equal(test_stat(c, "boss", KITH_STAT_LAST_PURCHASE_MS), KITH_TIME_NONE);
	assert_int_equal(kith_community_member_count(c), 4);
	assert_int_equal(kith_community_last_event_ms(c), 5000);
	/* a negative amount is the ingest's range error, named by line */
	assert_int_equal(test_line(c, "6000\tpurchase\tbuyer\tamount=-5"), KITH_ERANGE);
	assert_int_equal(strncmp(kith_community_last_error(c), "line 1: ", 8), 0);
	assert_int_equal(test_stat(c, "buyer", KITH_STAT_LAST_PURCHASE_MS), 3000);
	kith_community_free(c);
}

/* ---- implicit join and rejoin ----------------------------------------- */

static void implicit_join_and_rejoin(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	/* a member first seen in a message is present, joined then */
	ingest_ok(c, "1000\tmsg\tann\tid=a1\n");
	assert_int_equal(test_stat(c, "ann", KITH_STAT_PRESENT), 1);
	assert_int_equal(test_stat(c, "ann", KITH_STAT_JOINED_MS), 1000);

	/* join of a present member changes nothing */
	ingest_ok(c, "2000\tjoin\tann\n");
	assert_int_equal(test_stat(c, "ann", KITH_STAT_JOINED_MS), 1000);

	/* msg, react and attend from an absent member bring them back */
	ingest_ok(c, "3000\tleave\tann\n"
	             "3001\tleave\tann\n" /* leave of an absent member: no error */
	             "4000\tmsg\tann\tid=a2\n");
	assert_int_equal(test_stat(c, "ann", KITH_STAT_PRESENT), 1);
	assert_int_equal(test_stat(c, "ann", KITH_STAT_JOINED_MS), 4000);
	ingest_ok(c, "5000\tleave\tann\n"
	             "6000\treact\tann\tmsg=a1\n");
	assert_int_equal(test_stat(c, "ann", KITH_STAT_PRESENT), 1);
	assert_int_equal(test_stat(c, "ann", KITH_STAT_JOINED_MS), 6000);
	ingest_ok(c, "7000\tleave\tann\n"
	             "8000\tattend\tann\tactivity=qa\n");
	assert_int_equal(test_stat(c, "ann", KITH_STAT_PRESENT), 1);
	assert_int_equal(test_stat(c, "ann", KITH_STAT_JOINED_MS), 8000);

	/* other events of an absent member do not bring them back */
	ingest_ok(c, "9000\tleave\tann\n"
	             "9001\tnick\tann\tname=Ann\n");
	assert_int_equal(test_stat(c, "ann", KITH_STAT_PRESENT), 0);
	assert_int_equal(kith_community_present_count(c), 0);

	/* an id first seen leaving is created, then leaves */
	ingest_ok(c, "9500\tleave\tghost\n");
	assert_int_equal(kith_community_member_count(c), 2);
	assert_int_equal(test_stat(c, "ghost", KITH_STAT_PRESENT), 0);
	assert_int_equal(test_stat(c, "ghost", KITH_STAT_JOINED_MS), 9500);
	kith_community_free(c);
}

/* ---- line syntax -------------------------------------------------------- */

static void comments_blank_header(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	const char *trace = "# a comment\n"
	                    "\n"
	                    "kith-trace 1\n"
	                    "   \t \n"
	                    "# kith-trace 2 (in a comment: ignored)\n"
	                    "1000\tjoin\ta\n"
	                    "#\n"
	                    "2000\tmsg\ta\ttext=# not a comment\n"
	                    "\n";
	uint64_t done = 0;
	assert_int_equal(kith_community_ingest_trace(c, trace, strlen(trace), &done), KITH_OK);
	assert_int_equal(done, 9);
	assert_int_equal(kith_community_member_count(c), 1);
	assert_int_equal(kith_community_message_count(c), 1);

	/* '#' starts a comment only at the start of a line */
	assert_int_equal(test_line(c, " # x"), KITH_ESYNTAX);
	/* a single line has no file context: the header is always accepted */
	assert_int_equal(kith_community_ingest_trace_line(c, "kith-trace 1", 12, 50), KITH_OK);
	assert_int_equal(kith_community_ingest_trace_line(c, "", 0, 51), KITH_OK);
	assert_int_equal(kith_community_ingest_trace_line(c, "# x", KITH_NUL_TERMINATED, 52),
	                 KITH_OK);
	assert_int_equal(kith_community_ingest_trace_line(c, "\r", 1, 53), KITH_OK);
	assert_int_equal(kith_community_member_count(c), 1);
	kith_community_free(c);
}

static void line_ends(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	uint64_t done = 0;
	/* \r\n ends, and a last line without an end */
	const char *crlf = "kith-trace 1\r\n1000\tjoin\ta\r\n\r\n2000\tjoin\tb";
	assert_int_equal(kith_community_ingest_trace(c, crlf, strlen(crlf), &done), KITH_OK);
	assert_int_equal(done, 4);
	assert_true(known(c, "a"));
	assert_true(known(c, "b"));
	assert_false(known(c, "a\r"));
	assert_int_equal(kith_community_member_count(c), 2);

	/* a trailing "\r" is tolerated by the single-line call too */
	assert_int_equal(test_line(c, "3000\tjoin\tz\r"), KITH_OK);
	assert_true(known(c, "z"));

	/* the byte length is honoured: the rest of the buffer is not read */
	const char *more = "4000\tjoin\tc\n5000\tjoin\td\n";
	assert_int_equal(kith_community_ingest_trace(c, more, 12, &done), KITH_OK);
	assert_int_equal(done, 1);
	assert_false(known(c, "d"));
	/* NUL-terminated */
	assert_int_equal(
	        kith_community_ingest_trace(c, "6000\tjoin\te\n", KITH_NUL_TERMINATED, &done),
	        KITH_OK);
	assert_true(known(c, "e"));
	/* an empty buffer is an empty trace */
	assert_int_equal(kith_community_ingest_trace(c, "", 0, &done), KITH_OK);
	assert_int_equal(done, 0);
	/* a byte order mark before the header */
	assert_int_equal(kith_community_ingest_trace(c, "\xEF\xBB\xBFkith-trace 1\n7000\tjoin\tf\n",
	                                             KITH_NUL_TERMINATED, &done),
	                 KITH_OK);
	assert_int_equal(done, 2);
	assert_true(known(c, "f"));
	assert_int_equal(kith_community_member_count(c), 6);
	kith_community_free(c);
}

static void unknown_fields_ignored(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	/* foo= is unknown everywhere; amount= and by= are not msg fields */
	ingest_ok(c, "1000\tjoin\ta\tfoo=bar\n"
	             "2000\tmsg\ta\tid=m\tfoo=\tamount=12x\tby=zed\tkind=photo\n"
	             "3000\tleave\ta\tkind=gif\n");
	assert_int_equal(kith_community_member_count(c), 1);
	assert_false(known(c, "zed"));
	assert_int_equal(test_stat(c, "a", KITH_STAT_KIND_BASE + KITH_KIND_PHOTO), 1);
	assert_int_equal(test_stat(c, "a", KITH_STAT_PRESENT), 0);
	/* an unknown field may repeat */
	assert_int_equal(test_line(c, "4000\tjoin\ta\tx=1\tx=2"), KITH_OK);
	kith_community_free(c);
}

static void escapes(void **state)
{
	(void)state;
	struct test_alloc ta = {0};
	kith_community *c = test_community_new(&ta);
	/* in the C source, "\\\\" is the trace's \\ and "\\t" its \t */
	ingest_ok(c, "1000\tjoin\tx\\\\y\n"
	             "2000\tnick\tx\\\\y\tname=A\\tB\\\\C\\nD\n"
	             "3000\talias\tx\\\\y\tnew=tab\\there\n"
	             "4000\tmsg\tu\\n2\tid=m\\t1\tto=x\\\\y\ttext=a\\\\b?\n");
	uint32_t h = member(c, "x\\y");
	assert_int_equal(member(c, "tab\there"), h);
	size_t len = 0;
	const char *name = kith_member_display_name(c, h, &len);
	assert_int_equal(len, 7);
	assert_memory_equal(name, "A\tB\\C\nD", 7);
	assert_true(known(c, "u\n2"));
	assert_false(known(c, "u\\n2"));
	double v;
	assert_int_equal(kith_community_message_value(c, "m\t1", 3, &v), KITH_OK);
	assert_int_equal(test_stat(c, "x\\y", KITH_STAT_REPLIES_RECEIVED), 1);
	assert_int_equal(test_stat(c, "u\n2", KITH_STAT_QUESTIONS), 1);

	/* a long line with escapes unescapes through the heap */
	char *line = malloc(8000);
	assert_non_null(line);
	int k = snprintf(line, 64, "5000\tnick\tlong\tname=");
	for (size_t i = 0; i < 1000; i++)
		memcpy(line + k + 2 * i, "\\t", 2);
	k += 2000;
	k += snprintf(line + k, 64, "\tpad=");
	memset(line + k, 'p', 1000);
	line[k + 1000] = '\0';
	assert_int_equal(test_line(c, line), KITH_OK);
	name = kith_member_display_name(c, member(c, "long"), &len);
	assert_int_equal(len, 1000);
	for (size_t i = 0; i < len; i++)
		assert_int_equal(name[i], '\t');

	/* a long text: 5000 bytes, one escape */
	k = snprintf(line, 64, "6000\tmsg\tlong\ttext=");
	memset(line + k, 'z', 5000);
	memcpy(line + k + 10, "\\n", 2);
	line[k + 5000] = '\0';
	int64_t blocks = ta.live_blocks;
	assert_int_equal(test_line(c, line), KITH_OK);
	assert_int_equal(ta.live_blocks, blocks);
	assert_int_equal(test_stat(c, "long", KITH_STAT_MESSAGES), 1);

	/* the same line with the scratch allocation failing: out of memory,
	 * nothing changed, nothing leaked */
	line[0] = '7';
	struct fingerprint fp;
	fingerprint_take(c, &fp);
	blocks = ta.live_blocks; /* the fingerprint's digest allocated its cache */
	ta.fail_at = ta.calls + 1;
	assert_int_equal(test_line(c, line), KITH_ENOMEM);
	assert_string_equal(kith_community_last_error(c), "line 1: out of memory");
	ta.fail_at = 0;
	assert_int_equal(ta.live_blocks, blocks);
	fingerprint_check(c, &fp);
	assert_int_equal(test_line(c, line), KITH_OK);
	assert_int_equal(test_stat(c, "long", KITH_STAT_MESSAGES), 2);
	free(line);
	kith_community_free(c);
	assert_int_equal(ta.live_blocks, 0);
}

/* Every allocation of a line that unescapes on the heap may fail: each
 * failure leaves the community as it was. */
static void escapes_every_allocation_failure(void **state)
{
	(void)state;
	struct test_alloc ta = {0};
	kith_community *c = test_community_new(&ta);
	ingest_ok(c, "1\tjoin\ta\n");
	char *line = malloc(4000);
	assert_non_null(line);
	int k = snprintf(line, 64, "2\tmsg\tnew\\tone\tid=x\tto=a\ttext=");
	memset(line + k, 'q', 3000);
	memcpy(line + k + 100, "\\\\", 2);
	line[k + 3000] = '\0';
	kith_status st = KITH_ENOMEM;
	for (uint64_t fail = 1; st == KITH_ENOMEM; fail++) {
		assert_true(fail < 1000);
		struct fingerprint fp;
		fingerprint_take(c, &fp);
		ta.fail_at = ta.calls + fail;
		st = test_line(c, line);
		ta.fail_at = 0;
		if (st == KITH_ENOMEM) {
			/* capacity reserved before the failing allocation may stay;
			 * the model may not change */
			fingerprint_check(c, &fp);
		} else {
			free(fp.snap);
		}
	}
	assert_int_equal(st, KITH_OK);
	assert_int_equal(test_stat(c, "new\tone", KITH_STAT_REPLIES_GIVEN), 1);
	free(line);
	kith_community_free(c);
	/* nothing leaked, the scratch buffers included */
	assert_int_equal(ta.live_blocks, 0);
	assert_int_equal(ta.live_bytes, 0);
}

/* ---- errors ------------------------------------------------------------- */

struct bad_line {
	const char *line;
	kith_status status;
	const char *message;
};

/* Each bad line comes second, after a good one, in a fresh community. */
static const struct bad_line bad_lines[] = {
        {"2000\tbirthday\ta", KITH_ESYNTAX,
         "line 2, column 16: a birthday record needs date=MM-DD (or date=none)"},
        {"2000\tbirthday\ta\tdate=13-01", KITH_ERANGE,
         "line 2, column 22: date '13-01' is not a month (01-12) and a day of it"},
        {"2000\tbirthday\ta\tdate=02-30", KITH_ERANGE,
         "line 2, column 22: date '02-30' is not a month (01-12) and a day of it"},
        {"2000\tbirthday\ta\tdate=00-00", KITH_ERANGE,
         "line 2, column 22: date '00-00' is not a month (01-12) and a day of it"},
        {"2000\tbirthday\ta\tdate=2-3", KITH_ESYNTAX,
         "line 2, column 22: bad date '2-3' (expected MM-DD, or none to clear)"},
        {"2000\tbirthday\ta\tdate=", KITH_ESYNTAX,
         "line 2, column 22: bad date '' (expected MM-DD, or none to clear)"},
        {"2000\tbirthday\ta\tdate=12-31\tdate=01-01", KITH_ESYNTAX,
         "line 2, column 28: duplicate field 'date'"},
        {"2000\tbirthday\ta\tdate", KITH_ESYNTAX, "line 2, column 17: field 'date' without '='"},
        {"2000\tbirthday\tzed\tdate=01-01", KITH_ENOTFOUND,
         "line 2, column 15: kith_member_set_birthday: no member 'zed'"},
        {"2000\tbirthday\t\tdate=01-01", KITH_ESYNTAX, "line 2, column 15: missing actor"},
        {"2000\tbirthday\ta\tdate=12-31\tnote=x", KITH_OK, ""},
        {"2000\tfrobnicate\ta", KITH_ESYNTAX, "line 2, column 6: unknown event type 'frobnicate'"},
        {"2000\tJOIN\ta", KITH_ESYNTAX, "line 2, column 6: unknown event type 'JOIN'"},
        {"2000\tjoin", KITH_ESYNTAX, "line 2, column 10: missing actor"},
        {"2000\tjoin\t", KITH_ESYNTAX, "line 2, column 11: missing actor"},
        {"2000\tjoin\t\tby=a", KITH_ESYNTAX, "line 2, column 11: missing actor"},
        {"2000", KITH_ESYNTAX, "line 2, column 5: missing event type"},
        {"2000\t\ta", KITH_ESYNTAX, "line 2, column 6: missing event type"},
        {"x2000\tjoin\tb", KITH_ESYNTAX,
         "line 2, column 1: bad time 'x2000' (expected milliseconds, an int64)"},
        {"20 00\tjoin\tb", KITH_ESYNTAX,
         "line 2, column 1: bad time '20 00' (expected milliseconds, an int64)"},
        {"\tjoin\tb", KITH_ESYNTAX,
         "line 2, column 1: bad time '' (expected milliseconds, an int64)"},
        {"-\tjoin\tb", KITH_ESYNTAX,
         "line 2, column 1: bad time '-' (expected milliseconds, an int64)"},
        {"9223372036854775808\tjoin\tb", KITH_ESYNTAX,
         "line 2, column 1: bad time '9223372036854775808' (expected milliseconds, an int64)"},
        {"99999999999999999999\tjoin\tb", KITH_ESYNTAX,
         "line 2, column 1: bad time '99999999999999999999' (expected milliseconds, an int64)"},
        {" # comment", KITH_ESYNTAX,
         "line 2, column 1: bad time ' # comment' (expected milliseconds, an int64)"},
        {"2000\tjoin\tb\tby", KITH_ESYNTAX, "line 2, column 13: field 'by' without '='"},
        {"2000\tjoin\tb\t\tby=a", KITH_ESYNTAX, "line 2, column 13: empty field"},
        {"2000\tjoin\tb\t", KITH_ESYNTAX, "line 2, column 13: empty field"},
        {"2000\tjoin\tb\t=a", KITH_ESYNTAX, "line 2, column 13: field without a name"},
        {"2000\tnick\tb\tname=x\\qy", KITH_ESYNTAX, "line 2, column 19: bad escape '\\q'"},
        {"2000\tnick\tb\tname=x\\", KITH_ESYNTAX, "line 2, column 19: bad escape '\\'"},
        {"2000\tnick\tb\\r\tname=x", KITH_ESYNTAX, "line 2, column 12: bad escape '\\r'"},
        {"2000\tjoin\tb\tfoo=\\x", KITH_ESYNTAX, "line 2, column 17: bad escape '\\x'"},
        {"2000\tmsg\tb\tkind=gif", KITH_ESYNTAX, "line 2, column 12: unknown kind 'gif'"},
        {"2000\tmsg\tb\tkind=", KITH_ESYNTAX, "line 2, column 12: unknown kind ''"},
        {"2000\tmsg\tb\tlen=-1", KITH_ESYNTAX,
         "line 2, column 12: bad len '-1' (expected 0 .. 4294967295)"},
        {"2000\tmsg\tb\tlen=4294967296", KITH_ESYNTAX,
         "line 2, column 12: bad len '4294967296' (expected 0 .. 4294967295)"},
        {"2000\tmsg\tb\tid=m\tlen=12a", KITH_ESYNTAX,
         "line 2, column 17: bad len '12a' (expected 0 .. 4294967295)"},
        {"2000\tmsg\tb\tkind=text\tkind=photo", KITH_ESYNTAX,
         "line 2, column 22: duplicate field 'kind'"},
        {"2000\tmsg\tb\tto=a\tid=1\tto=a", KITH_ESYNTAX, "line 2, column 22: duplicate field 'to'"},
        {"2000\tenvelope\tb\top=send\tamount=1.5", KITH_ESYNTAX,
         "line 2, column 25: bad amount '1.5' (expected an integer in cents)"},
        {"2000\tpurchase\tb\tamount=", KITH_ESYNTAX,
         "line 2, column 17: bad amount '' (expected an integer in cents)"},
        {"2000\tpurchase\tb\tamount=99999999999999999999", KITH_ESYNTAX,
         "line 2, column 17: bad amount '99999999999999999999' (expected an integer in cents)"},
        {"2000\tenvelope\tb\top=steal\tamount=1", KITH_ESYNTAX,
         "line 2, column 17: unknown op 'steal' (expected send or claim)"},
        {"2000\trole\tb\trole=admin", KITH_ESYNTAX,
         "line 2, column 13: bad role 'admin' (expected +NAME or -NAME)"},
        {"2000\trole\tb\trole=+", KITH_ESYNTAX,
         "line 2, column 13: bad role '+' (expected +NAME or -NAME)"},
        {"kith-trace 1", KITH_ESYNTAX, "line 2, column 1: header after the first event"},
        {"kith-trace 2", KITH_EVERSION, "line 2, column 12: unsupported trace version 2"},
        {"kith-trace one", KITH_ESYNTAX,
         "line 2, column 1: bad header 'kith-trace one' (expected 'kith-trace 1')"},
        {"kith-trace", KITH_ESYNTAX,
         "line 2, column 1: bad header 'kith-trace' (expected 'kith-trace 1')"},
        {"2000\tnick\tb\tname=\x01\x7f", KITH_OK, NULL}, /* bytes are not interpreted */
};

static void bad_lines_name_line_and_column(void **state)
{
	(void)state;
	const char *first = "1000\tmsg\ta\tid=m0\n";
	char trace[256];
	for (size_t i = 0; i < sizeof bad_lines / sizeof bad_lines[0]; i++) {
		const struct bad_line *b = &bad_lines[i];
		/* ref holds just the good first line */
		kith_community *ref = test_community_new(NULL);
		kith_community *c = test_community_new(NULL);
		ingest_ok(ref, first);
		struct fingerprint fp;
		fingerprint_take(ref, &fp);

		snprintf(trace, sizeof trace, "%s%s\n3000\tjoin\tlater\n", first, b->line);
		uint64_t done = 99;
		kith_status st = kith_community_ingest_trace(c, trace, strlen(trace), &done);
		if (b->status == KITH_OK) {
			assert_int_equal(st, KITH_OK);
			assert_int_equal(done, 3);
			free(fp.snap);
			kith_community_free(c);
			kith_community_free(ref);
			continue;
		}
		if (st != b->status)
			fail_msg("%s: status %s, expected %s", b->line, kith_status_name(st),
			         kith_status_name(b->status));
		if (strcmp(kith_community_last_error(c), b->message) != 0)
			fail_msg("%s: got \"%s\", expected \"%s\"", b->line,
			         kith_community_last_error(c), b->message);
		assert_int_equal(done, 1);
		fingerprint_check(c, &fp);
		assert_false(known(c, "later"));

		/* the single-line call gives the same error and changes nothing;
		 * the header rule needs file context, which a single line lacks */
		fingerprint_take(c, &fp);
		bool header = strcmp(b->line, "kith-trace 1") == 0;
		st = kith_community_ingest_trace_line(c, b->line, strlen(b->line), 2);
		assert_int_equal(st, header ? KITH_OK : b->status);
		if (!header && strcmp(kith_community_last_error(c), b->message) != 0)
			fail_msg("%s: got \"%s\", expected \"%s\"", b->line,
			         kith_community_last_error(c), b->message);
		fingerprint_check(c, &fp);
		kith_community_free(c);
		kith_community_free(ref);
	}
}

/* A birthday record sets a member's birthday as kith_member_set_birthday
 * does, "none" clears it; it is no event, so the member's figures stay. */
static void birthday_records(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	ingest_ok(c, "kith-trace 1\n1000\tmsg\tann\tid=m1\n"
	             "1000\tbirthday\tann\tdate=02-29\n"
	             "1500\tbirthday\tann\tnote=ignored\tdate=07-04\n");
	int m = 0, d = 0;
	assert_int_equal(kith_member_birthday(c, "ann", KITH_NUL_TERMINATED, &m, &d), KITH_OK);
	assert_int_equal(m * 100 + d, 704);
	assert_int_equal(kith_community_ingest_trace_line(c, "2000\tbirthday\tann\tdate=none",
	                                                  KITH_NUL_TERMINATED, 9),
	                 KITH_OK);
	assert_int_equal(kith_member_birthday(c, "ann", KITH_NUL_TERMINATED, NULL, NULL),
	                 KITH_ENOTFOUND);
	/* A header after a record is out of place, as after an event. */
	const char *late = "3000\tbirthday\tann\tdate=01-01\nkith-trace 1\n";
	uint64_t done = 0;
	assert_int_equal(kith_community_ingest_trace(c, late, strlen(late), &done), KITH_ESYNTAX);
	assert_int_equal(done, 1);
	assert_string_equal(kith_community_last_error(c),
	                    "line 2, column 1: header after the first event");
	kith_community_free(c);
}

static void header_after_event_in_buffer(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	const char *trace = "# c\n1000\tjoin\ta\n\nkith-trace 1\n2000\tjoin\tb\n";
	uint64_t done = 0;
	assert_int_equal(kith_community_ingest_trace(c, trace, strlen(trace), &done), KITH_ESYNTAX);
	assert_int_equal(done, 3);
	assert_string_equal(kith_community_last_error(c),
	                    "line 4, column 1: header after the first event");
	assert_int_equal(kith_community_member_count(c), 1);
	/* a later buffer is a new file and may start with its header */
	assert_int_equal(kith_community_ingest_trace(c, "kith-trace 1\n2000\tjoin\tb\n",
	                                             KITH_NUL_TERMINATED, &done),
	                 KITH_OK);
	assert_int_equal(done, 2);
	assert_int_equal(kith_community_member_count(c), 2);
	/* a version 2 file is refused at its header */
	assert_int_equal(kith_community_ingest_trace(c, "kith-trace 2\n3000\tjoin\tc\n",
	                                             KITH_NUL_TERMINATED, &done),
	                 KITH_EVERSION);
	assert_int_equal(done, 0);
	assert_string_equal(kith_community_last_error(c),
	                    "line 1, column 12: unsupported trace version 2");
	assert_false(known(c, "c"));
	kith_community_free(c);
}

static void stops_at_first_bad_line(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	const char *trace = "1000\tjoin\ta\n"
	                    "# c\n"
	                    "\n"
	                    "2000\tmsg\ta\tid=x\n"
	                    "3000\tbogus\tb\n"
	                    "4000\tjoin\tc\n";
	uint64_t done = 0;
	assert_int_equal(kith_community_ingest_trace(c, trace, strlen(trace), &done), KITH_ESYNTAX);
	assert_int_equal(done, 4);
	assert_string_equal(kith_community_last_error(c),
	                    "line 5, column 6: unknown event type 'bogus'");
	assert_int_equal(kith_community_member_count(c), 1);
	assert_int_equal(kith_community_message_count(c), 1);
	assert_false(known(c, "b"));
	assert_false(known(c, "c"));
	/* lines_done may be NULL */
	assert_int_equal(
	        kith_community_ingest_trace(c, "5000\tbogus\tb\n", KITH_NUL_TERMINATED, NULL),
	        KITH_ESYNTAX);
	kith_community_free(c);
}

/* A buffer is one batch: the interactions its lines count reach the
 * graph in bulk (model/graph.h, struct kith_graph_queue). It must leave
 * what ingesting its lines one at a time leaves, with far more
 * interactions than the queue holds and when a bad line stops it. */
static void buffer_counts_interactions_as_lines_do(void **state)
{
	(void)state;
	enum { LINES = 3000, BAD = 2500 };
	size_t cap = (size_t)LINES * 80, len = 0;
	char *trace = malloc(cap);
	size_t *starts = calloc(LINES + 1, sizeof *starts);
	assert_non_null(trace);
	assert_non_null(starts);
	for (int i = 0; i < LINES; i++) {
		int a = (i * 37) % 53, o = (i * i + i / 7) % 53;
		starts[i] = len;
		int w;
		if (i == BAD)
			w = snprintf(trace + len, cap - len, "%d\tmsg\tu%d\tid=bad\tkind=nonsense\n", 5000 + i, a);
		else if (i % 4 == 0)
			w = snprintf(trace + len, cap - len, "%d\tjoin\tu%d\tby=u%d\n", 5000 + i, a, o);
		else if (i % 4 == 1)
			w = snprintf(trace + len, cap - len, "%d\tmsg\tu%d\tid=m%d\tkind=text\tto=u%d\n",
			             5000 + i, a, i, o);
		else if (i % 4 == 2)
			w = snprintf(trace + len, cap - len, "%d\tmsg\tu%d\tid=m%d\tkind=text\treply=m%d\n",
			             5000 + i, a, i, i > 5 ? i - 5 : 1);
		else
			w = snprintf(trace + len, cap - len, "%d\treact\tu%d\tmsg=m%d\n", 5000 + i, a,
			             i > 6 ? i - 6 : 1);
		assert_true(w > 0 && (size_t)w < cap - len);
		len += (size_t)w;
	}
	starts[LINES] = len;

	kith_community *buffer = test_community_new(NULL), *lines = test_community_new(NULL);
	uint64_t done = 0;
	assert_int_equal(kith_community_ingest_trace(buffer, trace, len, &done), KITH_ESYNTAX);
	assert_int_equal(done, BAD);
	for (int i = 0; i < BAD; i++)
		assert_int_equal(kith_community_ingest_trace_line(lines, trace + starts[i],
		                                                  starts[i + 1] - starts[i] - 1,
		                                                  (uint64_t)i + 1),
		                 KITH_OK);
	uint64_t counted = 0;
	for (size_t e = 0; e < kith_community_edge_count(buffer); e++) {
		uint32_t n[4];
		assert_int_equal(kith_community_edge(buffer, e, NULL, NULL, n), KITH_OK);
		counted += (uint64_t)n[0] + n[1] + n[2] + n[3];
	}
	assert_true(kith_community_edge_count(buffer) > 300);
	assert_true(counted > 1500); /* the queue holds 256 */
	test_assert_same_snapshot(buffer, lines);

	/* The rest, after the bad line. */
	size_t rest = starts[BAD + 1];
	assert_int_equal(kith_community_ingest_trace(buffer, trace + rest, len - rest, &done), KITH_OK);
	for (int i = BAD + 1; i < LINES; i++)
		assert_int_equal(kith_community_ingest_trace_line(lines, trace + starts[i],
		                                                  starts[i + 1] - starts[i] - 1,
		                                                  (uint64_t)i + 1),
		                 KITH_OK);
	test_assert_same_snapshot(buffer, lines);
	kith_community_free(buffer);
	kith_community_free(lines);
	free(trace);
	free(starts);
}

static void out_of_order_names_the_line(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	const char *trace = "kith-trace 1\n"
	                    "1000\tjoin\ta\n"
	                    "2000\tjoin\tb\n"
	                    "2000\tmsg\tb\tid=same-ms\n" /* equal times are in order */
	                    "1999\tmsg\ta\tid=late\n";
	uint64_t done = 0;
	struct fingerprint fp;
	assert_int_equal(kith_community_ingest_trace(c, trace, strlen(trace), &done), KITH_EORDER);
	assert_int_equal(done, 4);
	const char *err = kith_community_last_error(c);
	assert_int_equal(strncmp(err, "line 5: ", 8), 0);
	/* the rest is the ingest's own explanation */
	assert_true(strlen(err) > 8);
	assert_null(strstr(err + 8, "line 5: "));
	assert_int_equal(kith_community_message_count(c), 1);
	assert_int_equal(test_stat(c, "a", KITH_STAT_MESSAGES), 0);
	assert_int_equal(kith_community_last_event_ms(c), 2000);

	fingerprint_take(c, &fp);
	assert_int_equal(kith_community_ingest_trace_line(c, "5\tjoin\tz", 8, 77), KITH_EORDER);
	assert_int_equal(strncmp(kith_community_last_error(c), "line 77: ", 9), 0);
	fingerprint_check(c, &fp);
	assert_false(known(c, "z"));
	kith_community_free(c);
}

static void extreme_times(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	/* the int64 range parses; whether ingest takes the extremes is its own
	 * business, so only the parse is checked here */
	assert_int_not_equal(test_line(c, "-9223372036854775807\tjoin\ta"), KITH_ESYNTAX);
	assert_int_not_equal(test_line(c, "9223372036854775807\tjoin\tb"), KITH_ESYNTAX);
	assert_int_equal(test_line(c, "9223372036854775808\tjoin\tb"), KITH_ESYNTAX);
	assert_int_equal(test_line(c, "-9223372036854775809\tjoin\tb"), KITH_ESYNTAX);
	assert_int_equal(test_line(c, "+5\tjoin\tb"), KITH_ESYNTAX);
	kith_community_free(c);

	c = test_community_new(NULL);
	assert_int_equal(test_line(c, "0\tjoin\ta"), KITH_OK);
	assert_int_equal(test_line(c, "00042\tjoin\tb"), KITH_OK);
	assert_int_equal(test_stat(c, "b", KITH_STAT_JOINED_MS), 42);
	assert_int_equal(test_line(c, "1700000000000\tmsg\tb\tlen=4294967295"), KITH_OK);
	assert_int_equal(kith_community_last_event_ms(c), INT64_C(1700000000000));
	kith_community_free(c);
}

static void bad_arguments(void **state)
{
	(void)state;
	assert_int_equal(kith_community_ingest_trace_line(NULL, "1\tjoin\ta", 8, 1), KITH_EINVAL);
	assert_int_equal(kith_community_ingest_trace(NULL, "1\tjoin\ta", 8, NULL), KITH_EINVAL);
	kith_community *c = test_community_new(NULL);
	assert_int_equal(kith_community_ingest_trace_line(c, NULL, 5, 1), KITH_EINVAL);
	assert_int_equal(kith_community_ingest_trace(c, NULL, 5, NULL), KITH_EINVAL);
	assert_int_equal(kith_community_ingest_trace_line(c, NULL, 0, 1), KITH_OK);
	assert_int_equal(kith_community_ingest_trace(c, NULL, 0, NULL), KITH_OK);
	assert_int_equal(kith_community_member_count(c), 0);
	/* an id may hold a NUL when the length is given */
	assert_int_equal(kith_community_ingest_trace_line(c, "1\tjoin\ta\0b", 10, 1), KITH_OK);
	uint32_t h;
	assert_int_equal(kith_community_find_member(c, "a\0b", 3, &h), KITH_OK);
	assert_int_equal(kith_community_find_member(c, "a", 1, &h), KITH_ENOTFOUND);
	kith_community_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(join_leave_kick_ban),
	        cmocka_unit_test(msg_fields),
	        cmocka_unit_test(every_kind_name),
	        cmocka_unit_test(react_nick_alias),
	        cmocka_unit_test(roles_reports_attend),
	        cmocka_unit_test(envelopes_purchase_delete),
	        cmocka_unit_test(implicit_join_and_rejoin),
	        cmocka_unit_test(comments_blank_header),
	        cmocka_unit_test(line_ends),
	        cmocka_unit_test(unknown_fields_ignored),
	        cmocka_unit_test(escapes),
	        cmocka_unit_test(escapes_every_allocation_failure),
	        cmocka_unit_test(bad_lines_name_line_and_column),
	        cmocka_unit_test(birthday_records),
	        cmocka_unit_test(header_after_event_in_buffer),
	        cmocka_unit_test(stops_at_first_bad_line),
	        cmocka_unit_test(buffer_counts_interactions_as_lines_do),
	        cmocka_unit_test(out_of_order_names_the_line),
	        cmocka_unit_test(extreme_times),
	        cmocka_unit_test(bad_arguments),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
