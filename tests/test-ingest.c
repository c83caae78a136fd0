/* Ingest: every event type, validation, statistics worked out by hand,
 * active days across a UTC offset. SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

#define DAY INT64_C(86400000)
#define HOUR INT64_C(3600000)
/* 2026-11-20T00:00:00Z */
#define T0 INT64_C(1795132800000)

static kith_event event(kith_event_type type, int64_t t, const char *actor)
{
	kith_event ev = KITH_EVENT_INIT;
	ev.type = (uint32_t)type;
	ev.time_ms = t;
	ev.actor = actor;
	ev.actor_len = KITH_NUL_TERMINATED;
	return ev;
}

static void ok(kith_community *c, const kith_event *ev)
{
	kith_status st = kith_community_ingest(c, ev);
	if (st != KITH_OK)
		fail_msg("ingest: %s", kith_community_last_error(c));
}

/* Ingest evs[from, to) one by one into `one`, then require it to save
 * exactly as `batch` (which took the same events in an array). */
static void same_as_one_by_one(kith_community *batch, kith_community *one, const kith_event *evs,
                               size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		ok(one, &evs[i]);
	test_assert_same_snapshot(batch, one);
}

static uint32_t active(kith_community *c, const char *id, int64_t now, uint32_t days)
{
	uint32_t h, n = 999;
	assert_int_equal(kith_community_find_member(c, id, KITH_NUL_TERMINATED, &h), KITH_OK);
	assert_int_equal(kith_member_active_days(c, h, now, days, &n), KITH_OK);
	return n;
}

static void validation_rejects_bad_events(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	assert_int_equal(kith_community_ingest(c, NULL), KITH_EINVAL);
	assert_int_equal(kith_community_ingest(NULL, NULL), KITH_EINVAL);
	kith_event ev = event(KITH_EVENT_JOIN, 10, "a");
	ev.size = 8;
	assert_int_equal(kith_community_ingest(c, &ev), KITH_EVERSION);
	ev = event((kith_event_type)0, 10, "a");
	assert_int_equal(kith_community_ingest(c, &ev), KITH_EINVAL);
	ev = event((kith_event_type)15, 10, "a");
	assert_int_equal(kith_community_ingest(c, &ev), KITH_EINVAL);
	ev = event(KITH_EVENT_JOIN, 10, NULL);
	assert_int_equal(kith_community_ingest(c, &ev), KITH_EINVAL);
	ev = event(KITH_EVENT_JOIN, 10, "");
	assert_int_equal(kith_community_ingest(c, &ev), KITH_EINVAL);
	ev = event(KITH_EVENT_JOIN, 10, "a");
	ev.reserved = 1;
	assert_int_equal(kith_community_ingest(c, &ev), KITH_EINVAL);
	ev = event(KITH_EVENT_MESSAGE, 10, "a");
	ev.kind = KITH_KIND_COUNT;
	assert_int_equal(kith_community_ingest(c, &ev), KITH_EINVAL);
	ev = event(KITH_EVENT_ENVELOPE, 10, "a");
	ev.op = KITH_OP_ADD;
	assert_int_equal(kith_community_ingest(c, &ev), KITH_EINVAL);
	ev.op = KITH_OP_SEND;
	ev.amount = -1;
	assert_int_equal(kith_community_ingest(c, &ev), KITH_ERANGE);
	ev = event(KITH_EVENT_PURCHASE, 10, "a");
	ev.amount = -5;
	assert_int_equal(kith_community_ingest(c, &ev), KITH_ERANGE);

	/* lengths: the limit passes, one past it is refused */
	char *big = malloc(KITH_TEXT_MAX + 2);
	memset(big, 'x', KITH_TEXT_MAX + 1);
	ev = event(KITH_EVENT_JOIN, 10, big);
	ev.actor_len = KITH_ID_MAX + 1;
	assert_int_equal(kith_community_ingest(c, &ev), KITH_ERANGE);
	assert_non_null(strstr(kith_community_last_error(c), "actor"));
	ev = event(KITH_EVENT_MESSAGE, 10, "a");
	ev.text = big;
	ev.text_len = KITH_TEXT_MAX + 1;
	assert_int_equal(kith_community_ingest(c, &ev), KITH_ERANGE);
	ev.tags = big;
	ev.tags_len = KITH_TAGS_MAX + 1;
	ev.text_len = 1;
	assert_int_equal(kith_community_ingest(c, &ev), KITH_ERANGE);
	/* nothing of all that created anyone */
	assert_int_equal(kith_community_member_count(c), 0);
	assert_int_equal(kith_community_last_event_ms(c), KITH_TIME_NONE);

	ev = event(KITH_EVENT_JOIN, 10, big);
	ev.actor_len = KITH_ID_MAX;
	ok(c, &ev);
	ev = event(KITH_EVENT_MESSAGE, 11, "a");
	ev.text = big;
	ev.text_len = KITH_TEXT_MAX;
	ev.tags = big;
	ev.tags_len = KITH_TAGS_MAX;
	ok(c, &ev);
	assert_int_equal(kith_community_member_count(c), 2);
	free(big);
	kith_community_free(c);
}

/* Every string field of an event that its type does not read (kith.h,
 * kith_event_type), set to junk the library must ignore: an id no one
 * has, with a length far over any limit. */
static void set_unused_junk(kith_event *ev, const char *junk)
{
	enum { BY = 1, TO = 2, MSG = 4, REPLY = 8, NAME = 16, TAGS = 32, TEXT = 64 };
	static const unsigned reads[] = {
	    [KITH_EVENT_JOIN] = BY,          [KITH_EVENT_KICK] = BY,
	    [KITH_EVENT_BAN] = BY,           [KITH_EVENT_MESSAGE] = TO | MSG | REPLY | TAGS | TEXT,
	    [KITH_EVENT_REACTION] = TO | MSG, [KITH_EVENT_NICK] = NAME,
	    [KITH_EVENT_ALIAS] = NAME,       [KITH_EVENT_ROLE] = NAME | BY,
	    [KITH_EVENT_REPORT] = TO | MSG,  [KITH_EVENT_ATTEND] = NAME,
	    [KITH_EVENT_DELETE] = MSG | BY,  [KITH_EVENT_PURCHASE] = 0,
	};
	const char **ptr[] = {&ev->by, &ev->to, &ev->msg_id, &ev->reply_to, &ev->name, &ev->tags, &ev->text};
	size_t *len[] = {&ev->by_len,   &ev->to_len,   &ev->msg_id_len, &ev->reply_to_len,
	                 &ev->name_len, &ev->tags_len, &ev->text_len};
	for (unsigned i = 0; i < sizeof ptr / sizeof ptr[0]; i++) {
		if (!(reads[ev->type] & 1u << i)) {
			*ptr[i] = junk;
			*len[i] = KITH_TEXT_MAX + 1;
		}
	}
}

static void fields_a_type_does_not_use_are_ignored(void **state)
{
	(void)state;
	/* kith.h: "Fields that an event type does not use are ignored". Each
	 * type once with junk in the fields it does not read, once without:
	 * both accepted, and the two communities save the same bytes. */
	char *junk = malloc(KITH_TEXT_MAX + 2);
	memset(junk, 'j', KITH_TEXT_MAX + 1);
	junk[KITH_TEXT_MAX + 1] = '\0';
	kith_community *plain = test_community_new(NULL), *noisy = test_community_new(NULL);
	for (kith_community *c = plain; c; c = c == plain ? noisy : NULL) {
		test_join(c, 10, "a", NULL);
		test_join(c, 11, "b", NULL);
		test_msg(c, 12, "b", "m0", KITH_KIND_TEXT, NULL, NULL, NULL, "hello");
	}
	for (uint32_t type = KITH_EVENT_JOIN; type <= KITH_EVENT_PURCHASE; type++) {
		kith_event ev = event((kith_event_type)type, 100 + type, "a");
		ev.op = type == KITH_EVENT_ROLE ? KITH_OP_ADD : type == KITH_EVENT_ENVELOPE ? KITH_OP_SEND : 0;
		if (type == KITH_EVENT_ROLE || type == KITH_EVENT_NICK || type == KITH_EVENT_ATTEND) {
			ev.name = type == KITH_EVENT_ROLE ? "expert" : "Alice";
			ev.name_len = KITH_NUL_TERMINATED;
		}
		if (type == KITH_EVENT_ALIAS) {
			ev.name = "a2";
			ev.name_len = 2;
		}
		if (type == KITH_EVENT_MESSAGE || type == KITH_EVENT_REACTION || type == KITH_EVENT_DELETE) {
			ev.msg_id = type == KITH_EVENT_MESSAGE ? "m1" : "m0";
			ev.msg_id_len = 2;
		}
		if (type == KITH_EVENT_REACTION || type == KITH_EVENT_REPORT) {
			ev.to = "b";
			ev.to_len = 1;
		}
		ok(plain, &ev);
		set_unused_junk(&ev, junk);
		ok(noisy, &ev);
	}
	/* no junk id became a member */
	assert_int_equal(kith_community_member_count(noisy), 2);
	test_assert_same_snapshot(plain, noisy);

	/* a field the type reads is still held to its limit */
	kith_event ev = event(KITH_EVENT_JOIN, 200, "c");
	ev.by = junk;
	ev.by_len = KITH_ID_MAX + 1;
	assert_int_equal(kith_community_ingest(noisy, &ev), KITH_ERANGE);
	assert_non_null(strstr(kith_community_last_error(noisy), "by"));
	ev = event(KITH_EVENT_REACTION, 200, "c");
	ev.msg_id = junk;
	ev.msg_id_len = KITH_NUL_TERMINATED;
	assert_int_equal(kith_community_ingest(noisy, &ev), KITH_ERANGE);
	assert_non_null(strstr(kith_community_last_error(noisy), "msg_id"));
	assert_int_equal(kith_community_member_count(noisy), 2);
	kith_community_free(plain);
	kith_community_free(noisy);
	free(junk);
}

/* The event count and the first event's time: what ingest applies counts,
 * what fails or is no event does not, and a snapshot keeps both. */
static void events_are_counted_and_the_first_time_kept(void **state)
{
	(void)state;
	int64_t first = 7;
	assert_int_equal(kith_community_event_count(NULL), 0);
	assert_int_equal(kith_community_first_event_ms(NULL, &first), KITH_EINVAL);
	kith_community *c = test_community_new(NULL);
	assert_int_equal(kith_community_first_event_ms(c, NULL), KITH_EINVAL);
	assert_int_equal(kith_community_event_count(c), 0);
	assert_int_equal(kith_community_first_event_ms(c, &first), KITH_ENOTFOUND);
	assert_int_equal(first, 7);

	/* Lines that are no event, and events that fail, count nothing. */
	assert_int_equal(test_line(c, "kith-trace 1"), KITH_OK);
	assert_int_equal(test_line(c, "# a comment"), KITH_OK);
	assert_int_equal(test_line(c, ""), KITH_OK);
	assert_int_equal(test_line(c, "1000\tjoin"), KITH_ESYNTAX);
	assert_int_equal(test_line(c, "1000\tmsg\ta\tkind=gif"), KITH_ESYNTAX);
	assert_int_equal(kith_community_event_count(c), 0);
	assert_int_equal(kith_community_first_event_ms(c, &first), KITH_ENOTFOUND);

	kith_event j = event(KITH_EVENT_JOIN, T0, "a");
	ok(c, &j);
	assert_int_equal(kith_community_first_event_ms(c, &first), KITH_OK);
	assert_int_equal(first, T0);
	test_msg(c, T0 + HOUR, "a", "m1", KITH_KIND_TEXT, NULL, NULL, NULL, "hello");
	assert_int_equal(test_line(c, "1795136400000\treact\tb\tmsg=m1"), KITH_OK);
	j = event(KITH_EVENT_JOIN, T0, "late"); /* earlier than the last: fails */
	assert_int_equal(kith_community_ingest(c, &j), KITH_EORDER);
	assert_int_equal(kith_community_event_count(c), 3);
	assert_int_equal(kith_community_message_count(c), 1);

	/* An array stopped by a failure counts the events it applied. */
	kith_event evs[3] = {event(KITH_EVENT_LEAVE, T0 + DAY, "a"), event(KITH_EVENT_JOIN, T0, "x"),
	                     event(KITH_EVENT_JOIN, T0 + DAY, "y")};
	size_t done = 9;
	assert_int_equal(kith_community_ingest_array(c, evs, 3, &done), KITH_EORDER);
	assert_int_equal(done, 1);
	assert_int_equal(kith_community_event_count(c), 4);
	assert_int_equal(kith_community_first_event_ms(c, &first), KITH_OK);
	assert_int_equal(first, T0);

	/* A snapshot keeps both, and loading an empty one takes them away. */
	size_t len;
	unsigned char *snap = test_save(c, &len);
	kith_community *b = test_community_new(NULL);
	assert_int_equal(test_load(b, snap, len), KITH_OK);
	assert_int_equal(kith_community_event_count(b), 4);
	first = 0;
	assert_int_equal(kith_community_first_event_ms(b, &first), KITH_OK);
	assert_int_equal(first, T0);
	free(snap);
	kith_community *empty = test_community_new(NULL);
	snap = test_save(empty, &len);
	assert_int_equal(test_load(b, snap, len), KITH_OK);
	assert_int_equal(kith_community_event_count(b), 0);
	assert_int_equal(kith_community_first_event_ms(b, &first), KITH_ENOTFOUND);
	free(snap);

	/* The earliest time there is. */
	kith_community *e = test_community_new(NULL);
	j = event(KITH_EVENT_JOIN, INT64_MIN + 1, "early");
	ok(e, &j);
	assert_int_equal(kith_community_first_event_ms(e, &first), KITH_OK);
	assert_int_equal(first, INT64_MIN + 1);
	kith_community_free(e);
	kith_community_free(empty);
	kith_community_free(b);
	kith_community_free(c);
}

/* The message id of digest entry i, NUL-terminated in buf. */
static const char *digest_id(kith_community *c, size_t i, char *buf, size_t size)
{
	const char *id;
	size_t n;
	assert_int_equal(kith_community_digest_entry(c, i, &id, &n, NULL, NULL), KITH_OK);
	assert_true(n < size);
	memcpy(buf, id, n);
	buf[n] = '\0';
	return buf;
}

/* The text of the digest entry whose message id is msg_id; fails the test
 * when the message is not in the digest. */
static kith_status text_of(kith_community *c, const char *msg_id, char *buf, size_t size,
                           size_t *needed)
{
	char id[64];
	for (size_t i = 0; i < kith_community_digest_count(c); i++)
		if (strcmp(digest_id(c, i, id, sizeof id), msg_id) == 0)
			return kith_community_digest_text(c, i, buf, size, needed);
	fail_msg("%s is not in the digest", msg_id);
	return KITH_EINVAL;
}

static void digest_messages_give_their_time_kind_and_kept_text(void **state)
{
	(void)state;
	int64_t t = 99;
	kith_kind kind = KITH_KIND_OTHER;
	char buf[64] = "x";
	size_t needed = 99;
	assert_int_equal(kith_community_keep_digest_texts(NULL, 8), KITH_EINVAL);
	assert_int_equal(kith_community_digest_message(NULL, 0, &t, &kind), KITH_EINVAL);
	assert_int_equal(kith_community_digest_text(NULL, 0, buf, sizeof buf, &needed), KITH_EINVAL);
	assert_string_equal(buf, "");
	assert_int_equal(needed, 0);
	kith_community *c = test_community_new(NULL);
	assert_int_equal(kith_community_digest_text(c, 0, NULL, 4, &needed), KITH_EINVAL);
	assert_int_equal(kith_community_digest_message(c, 0, &t, &kind), KITH_ENOTFOUND);
	assert_int_equal(t, 99);
	assert_int_equal(kind, KITH_KIND_OTHER);
	assert_int_equal(kith_community_digest_text(c, 0, buf, sizeof buf, &needed), KITH_ENOTFOUND);
	assert_string_equal(buf, "");
	assert_int_equal(needed, 0);
	assert_int_equal(kith_community_keep_digest_texts(c, KITH_KEPT_TEXT_MAX + 1), KITH_ERANGE);
	assert_non_null(strstr(kith_community_last_error(c), "4097"));

	/* Not asked to keep texts: time and kind, but no text. */
	assert_int_equal(kith_setting_set(c, "digest.size", KITH_NUL_TERMINATED, "1",
	                                  KITH_NUL_TERMINATED),
	                 KITH_OK);
	test_msg(c, T0, "a", "m0", KITH_KIND_PHOTO, NULL, NULL, NULL, "before");
	assert_int_equal(kith_community_digest_count(c), 1);
	assert_int_equal(kith_community_digest_message(c, 0, &t, &kind), KITH_OK);
	assert_int_equal(t, T0);
	assert_int_equal(kind, KITH_KIND_PHOTO);
	assert_int_equal(kith_community_digest_message(c, 0, NULL, NULL), KITH_OK);
	needed = 99;
	assert_int_equal(kith_community_digest_text(c, 0, buf, sizeof buf, &needed), KITH_ESTATE);
	assert_string_equal(buf, "");
	assert_int_equal(needed, 0);

	/* Kept: the first 8 bytes, never half a character; a message that
	 * enters the digest later, through the reactions it draws, has its
	 * text too. */
	assert_int_equal(kith_community_keep_digest_texts(c, 8), KITH_OK);
	assert_int_equal(kith_setting_set(c, "digest.size", KITH_NUL_TERMINATED, "5",
	                                  KITH_NUL_TERMINATED),
	                 KITH_OK);
	test_msg(c, T0 + 1, "b", "m1", KITH_KIND_TEXT, NULL, NULL, NULL, "ok");
	test_msg(c, T0 + 2, "c", "m2", KITH_KIND_TEXT, NULL, NULL, "tip",
	         "a long and careful answer, with the steps to take one by one");
	test_msg(c, T0 + 3, "d", "m3", KITH_KIND_TEXT, NULL, NULL, NULL, "abcdefg\xc3\xa9!");
	test_msg(c, T0 + 4, "e", "m4", KITH_KIND_TEXT, NULL, NULL, NULL, "a\tb\nc");
	assert_int_equal(text_of(c, "m0", buf, sizeof buf, &needed), KITH_ESTATE);
	assert_int_equal(text_of(c, "m1", buf, sizeof buf, &needed), KITH_OK);
	assert_string_equal(buf, "ok");
	assert_int_equal(needed, 2);
	assert_int_equal(text_of(c, "m2", buf, sizeof buf, &needed), KITH_OK);
	assert_string_equal(buf, "a long a");
	assert_int_equal(needed, 8);
	assert_int_equal(text_of(c, "m3", buf, sizeof buf, &needed), KITH_OK);
	assert_string_equal(buf, "abcdefg");
	assert_int_equal(text_of(c, "m4", buf, sizeof buf, &needed), KITH_OK);
	assert_string_equal(buf, "a\tb\nc");
	/* Truncated into a small buffer, and only the length asked for. */
	assert_int_equal(text_of(c, "m2", buf, 4, &needed), KITH_OK);
	assert_string_equal(buf, "a l");
	assert_int_equal(needed, 8);
	assert_int_equal(text_of(c, "m2", NULL, 0, &needed), KITH_OK);
	assert_int_equal(needed, 8);
	assert_int_equal(text_of(c, "m2", buf, sizeof buf, NULL), KITH_OK);

	assert_int_equal(kith_setting_set(c, "digest.size", KITH_NUL_TERMINATED, "1",
	                                  KITH_NUL_TERMINATED),
	                 KITH_OK);
	char id[64];
	assert_string_not_equal(digest_id(c, 0, id, sizeof id), "m1");
	const char *fans[] = {"f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8"};
	for (size_t i = 0; i < 8 && strcmp(digest_id(c, 0, id, sizeof id), "m1") != 0; i++) {
		char line[128];
		snprintf(line, sizeof line, "%lld\treact\t%s\tmsg=m1", (long long)(T0 + 5), fans[i]);
		assert_int_equal(test_line(c, line), KITH_OK);
	}
	assert_string_equal(digest_id(c, 0, id, sizeof id), "m1");
	assert_int_equal(kith_community_digest_text(c, 0, buf, sizeof buf, &needed), KITH_OK);
	assert_string_equal(buf, "ok");
	assert_int_equal(kith_community_digest_message(c, 0, &t, &kind), KITH_OK);
	assert_int_equal(t, T0 + 1);
	assert_int_equal(kind, KITH_KIND_TEXT);

	/* A deleted message leaves the digest; a later day's message makes
	 * the digest, with its text. */
	assert_int_equal(test_line(c, "1795132800006\tdelete\tb\tmsg=m1"), KITH_OK);
	assert_string_not_equal(digest_id(c, 0, id, sizeof id), "m1");
	test_msg(c, T0 + DAY, "b", "m5", KITH_KIND_VOICE, NULL, NULL, NULL, "next day");
	assert_int_equal(kith_community_digest_count(c), 1);
	assert_int_equal(kith_community_digest_text(c, 0, buf, sizeof buf, &needed), KITH_OK);
	assert_string_equal(buf, "next day");
	assert_int_equal(kith_community_digest_message(c, 0, &t, &kind), KITH_OK);
	assert_int_equal(t, T0 + DAY);
	assert_int_equal(kind, KITH_KIND_VOICE);

	/* Snapshots hold the messages but no text: after a load the time and
	 * kind are the same, the text is not kept, and later messages' are. */
	size_t len;
	unsigned char *snap = test_save(c, &len);
	kith_community *b = test_community_new(NULL);
	assert_int_equal(kith_community_keep_digest_texts(b, 8), KITH_OK);
	assert_int_equal(test_load(b, snap, len), KITH_OK);
	int64_t tb;
	kith_kind kb;
	assert_int_equal(kith_community_digest_message(b, 0, &tb, &kb), KITH_OK);
	assert_int_equal(tb, t);
	assert_int_equal(kb, kind);
	assert_int_equal(kith_community_digest_text(b, 0, buf, sizeof buf, &needed), KITH_ESTATE);
	assert_int_equal(test_load(c, snap, len), KITH_OK);
	assert_int_equal(kith_community_digest_text(c, 0, buf, sizeof buf, &needed), KITH_ESTATE);
	test_msg(b, T0 + DAY + 1, "b", "m6", KITH_KIND_TEXT, "m5", NULL, "tip",
	         "the best of the day, and longer");
	assert_int_equal(text_of(b, "m6", buf, sizeof buf, &needed), KITH_OK);
	assert_string_equal(buf, "the best");
	free(snap);
	kith_community_free(b);
	kith_community_free(c);
}

/* Kept texts cost nothing until asked for, are bounded by the ledger's
 * messages, go away with keep 0, and an allocation failure while keeping
 * one leaves the community as it was. */
static void kept_texts_are_bounded_and_fail_cleanly(void **state)
{
	(void)state;
	struct test_alloc ta = {0}, tp = {0};
	kith_community *c = test_community_new(&ta), *p = test_community_new(&tp);
	kith_community *both[2] = {c, p};
	char text[128];
	memset(text, 'w', sizeof text - 1);
	text[sizeof text - 1] = '\0';
	for (int k = 0; k < 2; k++) {
		assert_int_equal(kith_setting_set(both[k], "ledger.capacity", KITH_NUL_TERMINATED,
		                                  "16", KITH_NUL_TERMINATED),
		                 KITH_OK);
		for (int i = 0; i < 64; i++)
			test_msg(both[k], T0 + i, "a", NULL, KITH_KIND_TEXT, NULL, NULL, NULL, text);
	}
	assert_int_equal(ta.live_bytes, tp.live_bytes);
	assert_int_equal(kith_community_keep_digest_texts(c, 100), KITH_OK);
	/* 2,000 messages of one day, 100 bytes kept of each: the ledger holds
	 * 16, and so, give or take the room to grow, do the texts. */
	for (int k = 0; k < 2; k++)
		for (int i = 0; i < 2000; i++)
			test_msg(both[k], T0 + 64 + i, "a", NULL, KITH_KIND_TEXT, NULL, NULL, NULL,
			         text);
	int64_t kept = ta.live_bytes - tp.live_bytes;
	assert_true(kept > 16 * 100);
	assert_true(kept <= 8 * 1024);
	assert_int_equal(kith_community_keep_digest_texts(c, 0), KITH_OK);
	assert_int_equal(ta.live_bytes, tp.live_bytes);
	int64_t plain = tp.live_bytes;
	kith_community_free(p);

	/* Failing each allocation in turn: keeping texts, then a message. */
	for (uint64_t k = 1;; k++) {
		ta.fail_at = ta.calls + k;
		kith_status st = kith_community_keep_digest_texts(c, 100);
		ta.fail_at = 0;
		if (st == KITH_OK)
			break;
		assert_int_equal(st, KITH_ENOMEM);
		assert_int_equal(ta.live_bytes, plain);
	}
	size_t before_n;
	unsigned char *before = test_save(c, &before_n);
	kith_community *twin = test_community_new(NULL);
	assert_int_equal(test_load(twin, before, before_n), KITH_OK);
	kith_event ev = KITH_EVENT_INIT;
	ev.type = KITH_EVENT_MESSAGE;
	ev.time_ms = T0 + 3000;
	ev.actor = "a";
	ev.actor_len = KITH_NUL_TERMINATED;
	memset(text, 'n', sizeof text - 1); /* new, so the day's best */
	ev.text = text;
	ev.text_len = KITH_NUL_TERMINATED;
	int failures = 0;
	for (uint64_t k = 1;; k++) {
		ta.fail_at = ta.calls + k;
		kith_status st = kith_community_ingest(c, &ev);
		ta.fail_at = 0;
		if (st == KITH_OK)
			break;
		assert_int_equal(st, KITH_ENOMEM);
		test_assert_same_snapshot(c, twin);
		assert_int_equal(kith_community_digest_text(c, 0, NULL, 0, NULL), KITH_ESTATE);
		failures++;
	}
	assert_true(failures >= 2); /* the store's records, then its bytes */
	char buf[8];
	size_t needed;
	assert_int_equal(kith_community_digest_text(c, 0, buf, sizeof buf, &needed), KITH_OK);
	assert_int_equal(needed, 100);
	free(before);
	kith_community_free(twin);
	kith_community_free(c);
	assert_int_equal(ta.live_bytes, 0);
}

static void time_must_not_go_back(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	test_join(c, 1000, "a", NULL);
	test_join(c, 1000, "b", NULL); /* equal times are fine */
	kith_event ev = event(KITH_EVENT_JOIN, 999, "c");
	assert_int_equal(kith_community_ingest(c, &ev), KITH_EORDER);
	assert_non_null(strstr(kith_community_last_error(c), "999"));
	assert_int_equal(kith_community_member_count(c), 2);
	assert_int_equal(kith_community_last_event_ms(c), 1000);
	kith_community_free(c);
}

static void times_at_the_ends_of_int64(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	assert_int_equal(kith_setting_set(c, "community.utc_offset", KITH_NUL_TERMINATED, "-14:00",
	                                  KITH_NUL_TERMINATED),
	                 KITH_OK);
	test_msg(c, INT64_MIN + 1, "early", "m1", KITH_KIND_TEXT, NULL, NULL, NULL, "first ever");
	test_msg(c, 0, "early", "m2", KITH_KIND_TEXT, "m1", NULL, NULL, "epoch");
	test_msg(c, INT64_MAX, "late", "m3", KITH_KIND_TEXT, "m2", NULL, NULL, "the end of time");
	assert_int_equal(test_stat(c, "late", KITH_STAT_LAST_MSG_MS), INT64_MAX);
	assert_int_equal(active(c, "late", INT64_MAX, 30), 1);
	assert_int_equal(active(c, "early", INT64_MAX, 128), 0);
	double score = -1;
	assert_int_equal(kith_member_score(c, 1, INT64_MAX, &score), KITH_OK);
	assert_true(score >= 0);
	char json[512];
	assert_int_equal(kith_member_to_json(c, 1, INT64_MAX, json, sizeof json, NULL), KITH_OK);
	assert_non_null(strstr(json, "\"last_msg_ms\":9223372036854775807"));
	kith_community_free(c);
}

static void array_ingest_reports_progress(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	kith_event evs[4] = {event(KITH_EVENT_JOIN, 1, "a"), event(KITH_EVENT_JOIN, 2, "b"),
	                     event(KITH_EVENT_JOIN, 1, "c"), event(KITH_EVENT_JOIN, 3, "d")};
	size_t done = 99;
	assert_int_equal(kith_community_ingest_array(c, evs, 4, &done), KITH_EORDER);
	assert_int_equal(done, 2);
	assert_int_equal(kith_community_member_count(c), 2);
	assert_int_equal(kith_community_ingest_array(c, evs + 3, 1, &done), KITH_OK);
	assert_int_equal(done, 1);
	assert_int_equal(kith_community_ingest_array(c, NULL, 0, &done), KITH_OK);
	assert_int_equal(done, 0);
	assert_int_equal(kith_community_ingest_array(c, NULL, 1, &done), KITH_EINVAL);
	kith_community_free(c);
}

/* A large community takes the batch path that prefetches members ahead
 * of the event being applied, switched on as the community grows and
 * decided again every few thousand events. Whatever path an array takes,
 * it must leave exactly what ingesting its events one by one leaves, and
 * a failure part way must report the event and keep those before it.
 * 160,000 members join (the prefetching starts on the way), then 12,000
 * messages and joins in one array with an event out of order at 9,000. */
static void large_arrays_ingest_as_one_by_one(void **state)
{
	(void)state;
	enum { MEMBERS = 160000, MORE = 12000, BAD = 9000 };
	const size_t total = MEMBERS + MORE;
	kith_event *evs = calloc(total, sizeof *evs);
	char (*ids)[24] = calloc(total, sizeof *ids);
	char (*msg)[24] = calloc(total, sizeof *msg);
	assert_non_null(evs);
	assert_non_null(ids);
	assert_non_null(msg);
	for (size_t i = 0; i < total; i++) {
		/* joins first; then messages from members spread over the
		 * table, every seventh a new member joining */
		size_t who = i < MEMBERS ? i : i % 7 == 0 ? i : (i * 7919) % MEMBERS;
		snprintf(ids[i], sizeof ids[i], "%zu", 5000000000u + who * 13);
		evs[i] = event(i < MEMBERS || i % 7 == 0 ? KITH_EVENT_JOIN : KITH_EVENT_MESSAGE,
		               T0 + (int64_t)i * 10, ids[i]);
		if (evs[i].type == KITH_EVENT_MESSAGE) {
			snprintf(msg[i], sizeof msg[i], "m%zu", i);
			evs[i].msg_id = msg[i];
			evs[i].msg_id_len = KITH_NUL_TERMINATED;
			evs[i].kind = (uint32_t)(i % KITH_KIND_COUNT);
			if (i % 5 == 0 && i > MEMBERS + 10) {
				evs[i].reply_to = msg[i - 3];
				evs[i].reply_to_len = KITH_NUL_TERMINATED;
			}
		}
	}
	evs[MEMBERS + BAD].time_ms = T0; /* earlier than the event before it */

	kith_community *batch = test_community_new(NULL);
	size_t done = 0;
	assert_int_equal(kith_community_ingest_array(batch, evs, total, &done), KITH_EORDER);
	assert_int_equal(done, MEMBERS + BAD);

	kith_community *one = test_community_new(NULL);
	same_as_one_by_one(batch, one, evs, 0, MEMBERS + BAD);
	kith_community_free(batch);
	kith_community_free(one);
	free(evs);
	free(ids);
	free(msg);
}

/* The graph against a model kept the simple way: a list of edges in the
 * order first seen, each with its counts, and a matrix of which pair has
 * which edge. 240 members mention and react to one another at random
 * (joins bring invitations), so that some 36,000 edges pass through every
 * size of the graph's index, one event at a time and in batches of many
 * sizes. */
enum { MODEL_MEMBERS = 240 };

struct model_graph {
	struct model_edge {
		uint32_t source, target, counts[4];
	} *edge;
	size_t count;
	uint32_t at[MODEL_MEMBERS][MODEL_MEMBERS]; /* 1 + edge, 0 none */
};

static void model_count(struct model_graph *g, uint32_t s, uint32_t t, int kind)
{
	if (!g->at[s][t]) {
		g->edge[g->count] = (struct model_edge){s, t, {0, 0, 0, 0}};
		g->at[s][t] = (uint32_t)++g->count;
	}
	g->edge[g->at[s][t] - 1].counts[kind]++;
}

static void graph_matches_a_model(void **state)
{
	(void)state;
	enum { N = 60000 };
	kith_event *evs = calloc(N, sizeof *evs);
	char (*ids)[16] = calloc(MODEL_MEMBERS, sizeof *ids);
	struct model_graph *model = calloc(1, sizeof *model);
	assert_non_null(evs);
	assert_non_null(ids);
	assert_non_null(model);
	model->edge = calloc(2 * N, sizeof *model->edge);
	assert_non_null(model->edge);
	size_t n = 0;
	uint64_t rng = 12345;
	for (uint32_t m = 0; m < MODEL_MEMBERS; m++) {
		snprintf(ids[m], sizeof ids[m], "member-%u", m);
		evs[n] = event(KITH_EVENT_JOIN, T0 + (int64_t)n, ids[m]);
		if (m > 0 && m % 3 != 0) {
			uint32_t by = (m * 7) % m;
			evs[n].by = ids[by];
			evs[n].by_len = KITH_NUL_TERMINATED;
			model_count(model, by, m, KITH_INTERACTION_INVITE);
		}
		n++;
	}
	while (n < N) {
		rng = rng * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
		uint32_t actor = (uint32_t)(rng >> 33) % MODEL_MEMBERS;
		uint32_t to = (uint32_t)(rng >> 17) % MODEL_MEMBERS;
		int reaction = (rng >> 60) < 5;
		evs[n] = event(reaction ? KITH_EVENT_REACTION : KITH_EVENT_MESSAGE, T0 + (int64_t)n,
		               ids[actor]);
		evs[n].to = ids[to];
		evs[n].to_len = KITH_NUL_TERMINATED;
		if (actor != to) {
			if (reaction) {
				model_count(model, actor, to, KITH_INTERACTION_REACTION);
			} else {
				model_count(model, actor, to, KITH_INTERACTION_REPLY);
				model_count(model, actor, to, KITH_INTERACTION_MENTION);
			}
		}
		n++;
	}
	assert_true(model->count > 30000); /* the index grew many times over */

	static const size_t batches[] = {0, 1, 7, 1000, 1025, N};
	for (size_t b = 0; b < sizeof batches / sizeof batches[0]; b++) {
		kith_community *c = test_community_new(NULL);
		if (batches[b] == 0) {
			for (size_t i = 0; i < N; i++)
				ok(c, &evs[i]);
		} else {
			for (size_t i = 0; i < N; i += batches[b]) {
				size_t k = N - i < batches[b] ? N - i : batches[b], done = 0;
				assert_int_equal(kith_community_ingest_array(c, evs + i, k, &done), KITH_OK);
				assert_int_equal(done, k);
			}
		}
		assert_int_equal(kith_community_edge_count(c), model->count);
		for (size_t e = 0; e < model->count; e++) {
			uint32_t src = 0, dst = 0, counts[4];
			assert_int_equal(kith_community_edge(c, e, &src, &dst, counts), KITH_OK);
			assert_int_equal(src, model->edge[e].source);
			assert_int_equal(dst, model->edge[e].target);
			assert_memory_equal(counts, model->edge[e].counts, sizeof counts);
		}
		/* Lookups by pair agree, for pairs with an edge and without. */
		for (uint32_t s = 0; s < MODEL_MEMBERS; s++) {
			for (uint32_t t = 0; t < MODEL_MEMBERS; t++) {
				uint32_t e = model->at[s][t];
				uint32_t want = e ? model->edge[e - 1].counts[KITH_INTERACTION_MENTION] : 0;
				uint32_t got = 99;
				assert_int_equal(kith_community_interactions(c, s, t, KITH_INTERACTION_MENTION, &got),
				                 KITH_OK);
				assert_int_equal(got, want);
			}
		}
		kith_community_free(c);
	}
	free(evs);
	free(ids);
	free(model->edge);
	free(model);
}

/* Within a batch, the interactions events count wait in a queue and
 * reach the graph in bulk (model/graph.h, struct kith_graph_queue). The
 * graph must end exactly as when the events come one by one: the same
 * edges in the same order with the same counts, for every kind of
 * interaction (invitations, replies found by "to" and by the ledger,
 * mentions, reactions by message and by "to"), over many more
 * interactions than the queue holds, and when the batch fails part way. */
static void batched_interactions_count_as_one_by_one(void **state)
{
	(void)state;
	enum { N = 6000, BAD = 4321, MEMBERS = 61 };
	kith_event *evs = calloc(N, sizeof *evs);
	char (*ids)[16] = calloc(MEMBERS, sizeof *ids);
	char (*msg)[16] = calloc(N, sizeof *msg);
	assert_non_null(evs);
	assert_non_null(ids);
	assert_non_null(msg);
	for (int m = 0; m < MEMBERS; m++)
		snprintf(ids[m], sizeof ids[m], "u%d", m);
	size_t edges_by_kind[4] = {0};
	for (int i = 0; i < N; i++) {
		const char *actor = ids[(i * 37) % MEMBERS], *other = ids[(i * 11 + 5) % MEMBERS];
		snprintf(msg[i], sizeof msg[i], "m%d", i);
		switch (i % 6) {
		case 0: /* a join, invited */
			evs[i] = event(KITH_EVENT_JOIN, T0 + i, actor);
			evs[i].by = other;
			evs[i].by_len = KITH_NUL_TERMINATED;
			break;
		case 1: /* a plain message */
		case 2: /* a reply, its author found in the ledger */
		case 3: /* a mention ("to" without a reply) */
			evs[i] = event(KITH_EVENT_MESSAGE, T0 + i, actor);
			evs[i].msg_id = msg[i];
			evs[i].msg_id_len = KITH_NUL_TERMINATED;
			evs[i].kind = (uint32_t)(i % KITH_KIND_COUNT);
			if (i % 6 == 2 && i > 7) {
				evs[i].reply_to = msg[i - 7 + (i % 5 == 0 ? 2 : 0)];
				evs[i].reply_to_len = KITH_NUL_TERMINATED;
			}
			if (i % 6 == 3) {
				evs[i].to = other;
				evs[i].to_len = KITH_NUL_TERMINATED;
			}
			break;
		case 4: /* a reaction to a message */
			evs[i] = event(KITH_EVENT_REACTION, T0 + i, actor);
			evs[i].msg_id = msg[i > 9 ? i - 9 : 0];
			evs[i].msg_id_len = KITH_NUL_TERMINATED;
			break;
		default: /* a reaction naming only the author */
			evs[i] = event(KITH_EVENT_REACTION, T0 + i, actor);
			evs[i].to = other;
			evs[i].to_len = KITH_NUL_TERMINATED;
			break;
		}
	}

	/* The whole batch, against one by one. */
	kith_community *batch = test_community_new(NULL), *one = test_community_new(NULL);
	size_t done = 0;
	assert_int_equal(kith_community_ingest_array(batch, evs, N, &done), KITH_OK);
	assert_int_equal(done, N);
	same_as_one_by_one(batch, one, evs, 0, N);
	/* Every kind was counted, far more often than the queue holds. */
	uint64_t total = 0;
	for (size_t e = 0; e < kith_community_edge_count(batch); e++) {
		uint32_t counts[4];
		assert_int_equal(kith_community_edge(batch, e, NULL, NULL, counts), KITH_OK);
		for (int k = 0; k < 4; k++) {
			edges_by_kind[k] += counts[k] > 0;
			total += counts[k];
		}
	}
	for (int k = 0; k < 4; k++)
		assert_true(edges_by_kind[k] > 0);
	assert_true(total > 4000);
	kith_community_free(batch);
	kith_community_free(one);

	/* A batch that fails part way keeps the interactions of the events
	 * before the failure, and only those. */
	evs[BAD].time_ms = T0;
	batch = test_community_new(NULL);
	one = test_community_new(NULL);
	assert_int_equal(kith_community_ingest_array(batch, evs, N, &done), KITH_EORDER);
	assert_int_equal(done, BAD);
	same_as_one_by_one(batch, one, evs, 0, BAD);
	/* and the rest still goes in after it, in a batch or not */
	assert_int_equal(kith_community_ingest_array(batch, evs + BAD + 1, N - BAD - 1, &done), KITH_OK);
	same_as_one_by_one(batch, one, evs, BAD + 1, N);
	kith_community_free(batch);
	kith_community_free(one);
	free(evs);
	free(ids);
	free(msg);
}

static void replies_and_mentions(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	test_msg(c, 1, "ann", "q1", KITH_KIND_TEXT, NULL, NULL, "question", "how do referrals work");
	/* by reply: addressed to the author of q1 */
	test_msg(c, 2, "ben", "a1", KITH_KIND_TEXT, "q1", NULL, "answer", "like this");
	/* by to, without replying: a mention too */
	test_msg(c, 3, "cat", "c1", KITH_KIND_TEXT, NULL, "ann", NULL, "ann, see above");
	/* to wins over reply */
	test_msg(c, 4, "cat", "c2", KITH_KIND_TEXT, "q1", "ben", NULL, "thanks ben");
	/* to naming nobody known: ignored and creates nobody; reply unknown too */
	test_msg(c, 5, "ben", "b2", KITH_KIND_TEXT, "nope", "zed", NULL, "hm");
	/* to oneself and replying to oneself: not a reply */
	test_msg(c, 6, "ann", "q2", KITH_KIND_TEXT, "q1", "ann", NULL, "also");
	test_msg(c, 7, "ann", "q3", KITH_KIND_TEXT, "q1", NULL, NULL, "anyone?");
	assert_int_equal(kith_community_member_count(c), 3);
	assert_int_equal(test_stat(c, "ann", KITH_STAT_REPLIES_GIVEN), 0);
	assert_int_equal(test_stat(c, "ann", KITH_STAT_REPLIES_RECEIVED), 2);
	assert_int_equal(test_stat(c, "ann", KITH_STAT_MENTIONS_RECEIVED), 1);
	assert_int_equal(test_stat(c, "ben", KITH_STAT_REPLIES_GIVEN), 1);
	assert_int_equal(test_stat(c, "ben", KITH_STAT_REPLIES_RECEIVED), 1);
	assert_int_equal(test_stat(c, "ben", KITH_STAT_MENTIONS_RECEIVED), 0);
	assert_int_equal(test_stat(c, "cat", KITH_STAT_REPLIES_GIVEN), 2);
	/* questions: the tag, or a '?' in the text (counted once) */
	assert_int_equal(test_stat(c, "ann", KITH_STAT_QUESTIONS), 2);
	uint32_t n;
	assert_int_equal(kith_community_interactions(c, 2, 0, KITH_INTERACTION_REPLY, &n), KITH_OK);
	assert_int_equal(n, 1);
	assert_int_equal(kith_community_interactions(c, 2, 0, KITH_INTERACTION_MENTION, &n), KITH_OK);
	assert_int_equal(n, 1);
	assert_int_equal(kith_community_interactions(c, 2, 1, KITH_INTERACTION_MENTION, &n), KITH_OK);
	assert_int_equal(n, 0);
	assert_int_equal(kith_community_edge_count(c), 3); /* ben->ann, cat->ann, cat->ben */
	uint32_t src, dst, counts[4];
	assert_int_equal(kith_community_edge(c, 1, &src, &dst, counts), KITH_OK);
	assert_int_equal(src, 2);
	assert_int_equal(dst, 0);
	assert_int_equal(counts[KITH_INTERACTION_REPLY], 1);
	assert_int_equal(kith_community_edge(c, 3, &src, &dst, counts), KITH_ENOTFOUND);
	kith_community_free(c);
}

/* The tags ingest gives a meaning are matched whole, in any case, with
 * spaces around them trimmed; near misses count for nothing. */
static void known_tags_match_exactly(void **state)
{
	(void)state;
	static const struct {
		const char *tags;
		int questions, feedback, complaints;
	} cases[] = {
	    {"question", 1, 0, 0},          {"QUESTION", 1, 0, 0},
	    {" QuEsTiOn ,x", 1, 0, 0},      {"questions", 0, 0, 0},
	    {"questio", 0, 0, 0},           {"@uestion", 0, 0, 0},
	    {"qu estion", 0, 0, 0},         {"feedback,complaint", 0, 1, 1},
	    {"COMPLAINT", 0, 0, 1},         {"complain", 0, 0, 0},
	    {"complaints", 0, 0, 0},        {"c0mplaint", 0, 0, 0},
	    {"complaint\x01", 0, 0, 0},    {",,feedback,,", 0, 1, 0},
	    {"greeting,question", 1, 0, 0}, {"fEEDBACK, Complaint ,question", 1, 1, 1},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		kith_community *c = test_community_new(NULL);
		test_msg(c, 10, "ann", "m1", KITH_KIND_PHOTO, NULL, NULL, cases[i].tags, NULL);
		if (test_stat(c, "ann", KITH_STAT_QUESTIONS) != cases[i].questions ||
		    test_stat(c, "ann", KITH_STAT_FEEDBACK) != cases[i].feedback ||
		    test_stat(c, "ann", KITH_STAT_COMPLAINTS) != cases[i].complaints)
			fail_msg("tags '%s'", cases[i].tags);
		kith_community_free(c);
	}
}

static void every_other_event_type(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	test_msg(c, 10, "ann", "m1", KITH_KIND_PHOTO, NULL, NULL, "feedback, complaint", NULL);
	test_msg(c, 11, "ann", "m2", KITH_KIND_STICKER, NULL, NULL, "Feedback", NULL);
	kith_event ev = event(KITH_EVENT_REACTION, 12, "ben");
	ev.msg_id = "m1";
	ev.msg_id_len = 2;
	ok(c, &ev);
	ev = event(KITH_EVENT_REACTION, 13, "cat");
	ev.to = "ann"; /* a message no longer known: credited by to */
	ev.to_len = 3;
	ok(c, &ev);
	ev = event(KITH_EVENT_REACTION, 14, "ann");
	ev.msg_id = "m1"; /* one's own message: nothing */
	ev.msg_id_len = 2;
	ok(c, &ev);
	assert_int_equal(test_stat(c, "ann", KITH_STAT_REACTIONS_RECEIVED), 2);
	assert_int_equal(test_stat(c, "ann", KITH_STAT_FEEDBACK), 2);
	assert_int_equal(test_stat(c, "ann", KITH_STAT_COMPLAINTS), 1);
	assert_int_equal(test_stat(c, "ann", KITH_STAT_KIND_BASE + KITH_KIND_PHOTO), 1);
	assert_int_equal(test_stat(c, "ann", KITH_STAT_KIND_BASE + KITH_KIND_STICKER), 1);
	assert_int_equal(test_stat(c, "ann", KITH_STAT_MESSAGES), 2);

	ev = event(KITH_EVENT_REPORT, 15, "ben");
	ev.to = "ann";
	ev.to_len = 3;
	ev.msg_id = "m2";
	ev.msg_id_len = 2;
	ok(c, &ev);
	ok(c, &ev);
	assert_int_equal(test_stat(c, "ann", KITH_STAT_REPORTS_RECEIVED), 2);

	ev = event(KITH_EVENT_ATTEND, 16, "cat");
	ev.name = "member-qa";
	ev.name_len = KITH_NUL_TERMINATED;
	ok(c, &ev);
	ok(c, &ev);
	assert_int_equal(test_stat(c, "cat", KITH_STAT_ATTENDED), 2);

	ev = event(KITH_EVENT_ENVELOPE, 17, "ben");
	ev.op = KITH_OP_SEND;
	ev.amount = 2000;
	ok(c, &ev);
	ev = event(KITH_EVENT_ENVELOPE, 18, "cat");
	ev.op = KITH_OP_CLAIM;
	ev.amount = 150;
	ok(c, &ev);
	ev.time_ms = 19;
	ok(c, &ev);
	assert_int_equal(test_stat(c, "ben", KITH_STAT_ENVELOPES_SENT), 1);
	assert_int_equal(test_stat(c, "cat", KITH_STAT_ENVELOPES_CLAIMED), 2);
	assert_int_equal(test_stat(c, "cat", KITH_STAT_LAST_PURCHASE_MS), KITH_TIME_NONE);
	ev = event(KITH_EVENT_PURCHASE, 20, "cat");
	ev.amount = 9900;
	ok(c, &ev);
	assert_int_equal(test_stat(c, "cat", KITH_STAT_LAST_PURCHASE_MS), 20);

	double before, after;
	assert_int_equal(kith_community_message_value(c, "m1", 2, &before), KITH_OK);
	assert_true(before > 0);
	ev = event(KITH_EVENT_DELETE, 21, "ann");
	ev.msg_id = "m1";
	ev.msg_id_len = 2;
	ev.by = "ben";
	ev.by_len = 3;
	ok(c, &ev);
	assert_int_equal(kith_community_message_value(c, "m1", 2, &after), KITH_OK);
	assert_true(after == 0);
	assert_int_equal(kith_community_last_event_ms(c), 21);
	kith_community_free(c);
}

static void active_days_follow_the_local_calendar(void **state)
{
	(void)state;
	kith_community *utc = test_community_new(NULL);
	kith_community *cn = test_community_new(NULL);
	assert_int_equal(kith_setting_set(cn, "community.utc_offset", KITH_NUL_TERMINATED, "+08:00",
	                                  KITH_NUL_TERMINATED),
	                 KITH_OK);
	/* 15:59:59Z and 16:00:00Z: one UTC day, two days in UTC+8 */
	int64_t a = T0 + 16 * HOUR - 1000, b = T0 + 16 * HOUR;
	kith_community *both[2] = {utc, cn};
	for (int i = 0; i < 2; i++) {
		test_msg(both[i], a, "x", "m1", KITH_KIND_TEXT, NULL, NULL, NULL, "late");
		test_msg(both[i], b, "x", "m2", KITH_KIND_TEXT, NULL, NULL, NULL, "early");
	}
	assert_int_equal(active(utc, "x", b, 30), 1);
	assert_int_equal(active(cn, "x", b, 30), 2);
	/* the window ends on the day of now */
	assert_int_equal(active(cn, "x", b, 1), 1);
	assert_int_equal(active(cn, "x", b + DAY, 1), 0);
	assert_int_equal(active(cn, "x", b + DAY, 2), 1);
	assert_int_equal(active(cn, "x", b + 28 * DAY, 30), 2);
	assert_int_equal(active(cn, "x", b + 29 * DAY, 30), 1);
	assert_int_equal(active(cn, "x", b + 30 * DAY, 30), 0);
	/* now before the last message: only days up to now count */
	assert_int_equal(active(cn, "x", a, 30), 1);
	/* the offset is fixed once messages are in */
	assert_int_equal(kith_setting_set(cn, "community.utc_offset", KITH_NUL_TERMINATED, "+09:00",
	                                  KITH_NUL_TERMINATED),
	                 KITH_ESTATE);
	assert_int_equal(kith_setting_set(cn, "community.utc_offset", KITH_NUL_TERMINATED, "+8",
	                                  KITH_NUL_TERMINATED),
	                 KITH_OK);
	uint32_t n;
	assert_int_equal(kith_member_active_days(cn, 0, b, 0, &n), KITH_EINVAL);
	assert_int_equal(kith_member_active_days(cn, 0, b, 129, &n), KITH_EINVAL);
	assert_int_equal(kith_member_active_days(cn, 1, b, 30, &n), KITH_ENOTFOUND);
	kith_community_free(utc);
	kith_community_free(cn);
}

/* A member's days are held 128 back from their latest message: a window
 * further back fails rather than reading 0, unless it falls before the
 * member's first message (silent days the model knows of). */
static void active_days_beyond_the_held_history_fail(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	test_msg(c, T0, "old", "m1", KITH_KIND_TEXT, NULL, NULL, NULL, "day 0");
	test_msg(c, T0 + 90 * DAY, "old", "m2", KITH_KIND_TEXT, NULL, NULL, NULL, "day 90");
	test_msg(c, T0 + 150 * DAY, "new", "m3", KITH_KIND_TEXT, NULL, NULL, NULL, "day 150");
	test_msg(c, T0 + 200 * DAY, "old", "m4", KITH_KIND_TEXT, NULL, NULL, NULL, "day 200");
	test_msg(c, T0 + 200 * DAY, "new", "m5", KITH_KIND_TEXT, NULL, NULL, NULL, "day 200");
	uint32_t h = 0, n = 99;
	assert_int_equal(kith_community_find_member(c, "old", KITH_NUL_TERMINATED, &h), KITH_OK);
	/* Held: days 73 .. 200. Day 90 is among them, day 0 is not. */
	assert_int_equal(active(c, "old", T0 + 200 * DAY, 128), 2);
	assert_int_equal(active(c, "old", T0 + 100 * DAY, 28), 1);
	assert_int_equal(kith_member_active_days(c, h, T0 + 100 * DAY, 30, &n), KITH_ERANGE);
	assert_int_equal(n, 0);
	assert_non_null(strstr(kith_community_last_error(c), "128 days held"));
	assert_int_equal(kith_member_active_days(c, h, T0 + 10 * DAY, 30, &n), KITH_ERANGE);
	/* Wholly before the first message: known silent. */
	assert_int_equal(active(c, "old", T0 - DAY, 30), 0);
	/* "new" spoke first on day 150: all its days are held. */
	assert_int_equal(active(c, "new", T0 + 100 * DAY, 30), 0);
	assert_int_equal(active(c, "new", T0 + 160 * DAY, 30), 1);
	/* The member JSON writes null for a figure it cannot give. */
	char json[512];
	assert_int_equal(kith_member_to_json(c, h, T0 + 100 * DAY, json, sizeof json, NULL), KITH_OK);
	assert_non_null(strstr(json, "\"active_days_30\":null,"));
	assert_int_equal(kith_member_to_json(c, h, T0 + 200 * DAY, json, sizeof json, NULL), KITH_OK);
	assert_non_null(strstr(json, "\"active_days_30\":1,"));
	kith_community_free(c);
}

static void active_day_bitmap_spans_128_days(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	/* a message every third day for 200 days, independently counted */
	int64_t last = 0;
	for (int d = 0; d < 200; d += 3) {
		last = T0 + d * DAY + 5 * HOUR;
		test_msg(c, last, "x", NULL, KITH_KIND_TEXT, NULL, NULL, NULL, "tick");
	}
	/* last message on day 198; window of 128 days: days 71..198 */
	uint32_t expect = 0;
	for (int d = 0; d < 200; d += 3)
		expect += d >= 198 - 127;
	assert_int_equal(active(c, "x", last, 128), expect);
	expect = 0;
	for (int d = 0; d < 200; d += 3)
		expect += d >= 198 - 29;
	assert_int_equal(active(c, "x", last, 30), expect);
	/* a long silence shifts everything out */
	test_msg(c, last + 500 * DAY, "x", NULL, KITH_KIND_TEXT, NULL, NULL, NULL, "back");
	assert_int_equal(active(c, "x", last + 500 * DAY, 128), 1);
	assert_int_equal(test_stat(c, "x", KITH_STAT_FIRST_MSG_MS), T0 + 5 * HOUR);
	assert_int_equal(test_stat(c, "x", KITH_STAT_MESSAGES), 68);
	kith_community_free(c);
}

static void member_json_has_exactly_the_contract_keys(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	test_join(c, T0, "lurker", NULL);
	test_msg(c, T0 + 1000, "a\"b\\c\x01\xff", "m1", KITH_KIND_TEXT, NULL, "lurker", NULL, "hi");
	kith_event ev = event(KITH_EVENT_ROLE, T0 + 2000, "lurker");
	ev.name = "expert";
	ev.name_len = KITH_NUL_TERMINATED;
	ev.op = KITH_OP_ADD;
	ok(c, &ev);
	char buf[1024];
	size_t needed = 0;
	assert_int_equal(kith_member_to_json(c, 0, T0 + 2000, buf, sizeof buf, &needed), KITH_OK);
	assert_string_equal(buf, "{\"id\":\"lurker\",\"present\":true,\"joined_ms\":1795132800000,"
	                         "\"first_msg_ms\":null,\"last_msg_ms\":null,\"messages\":0,"
	                         "\"active_days_30\":0,\"replies_given\":0,\"replies_received\":1,"
	                         "\"score\":0,\"roles\":[\"expert\"]}");
	assert_int_equal(needed, strlen(buf));
	assert_int_equal(kith_member_to_json(c, 1, T0 + 2000, buf, sizeof buf, NULL), KITH_OK);
	assert_non_null(strstr(buf, "{\"id\":\"a\\\"b\\\\c\\u0001\\ufffd\",\"present\":true"));
	assert_non_null(strstr(buf, "\"first_msg_ms\":1795132801000,\"last_msg_ms\":1795132801000,"
	                            "\"messages\":1,\"active_days_30\":1,\"replies_given\":1"));
	/* truncation: like snprintf */
	char small[10];
	assert_int_equal(kith_member_to_json(c, 0, T0, small, sizeof small, &needed), KITH_OK);
	assert_string_equal(small, "{\"id\":\"lu");
	assert_true(needed > sizeof small);
	assert_int_equal(kith_member_to_json(c, 0, T0, NULL, 0, &needed), KITH_OK);
	assert_int_equal(kith_member_to_json(c, 2, T0, buf, sizeof buf, &needed), KITH_ENOTFOUND);
	kith_community_free(c);
}

static void stat_queries_validate(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	test_join(c, 1, "a", NULL);
	int64_t v;
	assert_int_equal(kith_member_stat(c, 0, (kith_stat)0, &v), KITH_EINVAL);
	assert_int_equal(kith_member_stat(c, 0, (kith_stat)(KITH_STAT_KIND_BASE + KITH_KIND_COUNT), &v),
	                 KITH_EINVAL);
	assert_int_equal(kith_member_stat(c, 1, KITH_STAT_PRESENT, &v), KITH_ENOTFOUND);
	assert_int_equal(kith_member_stat(c, 0, KITH_STAT_PRESENT, NULL), KITH_EINVAL);
	assert_int_equal(kith_member_stat(NULL, 0, KITH_STAT_PRESENT, &v), KITH_EINVAL);
	assert_int_equal(kith_community_member_count(NULL), 0);
	assert_int_equal(kith_community_present_count(NULL), 0);
	assert_string_equal(kith_community_last_error(NULL), "");
	assert_string_equal(kith_status_name(KITH_ECORRUPT), "corrupt snapshot");
	assert_string_equal(kith_status_name((kith_status)-99), "unknown");
	assert_string_equal(kith_version(), "1.0.0");
	kith_community_free(NULL);
	kith_community_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(validation_rejects_bad_events),
	    cmocka_unit_test(fields_a_type_does_not_use_are_ignored),
		cmocka_unit_test(events_are_counted_and_the_first_time_kept),
		cmocka_unit_test(digest_messages_give_their_time_kind_and_kept_text),
		cmocka_unit_test(kept_texts_are_bounded_and_fail_cleanly),
		cmocka_unit_test(time_must_not_go_back),
		cmocka_unit_test(times_at_the_ends_of_int64),
		cmocka_unit_test(array_ingest_reports_progress),
		cmocka_unit_test(large_arrays_ingest_as_one_by_one),
		cmocka_unit_test(batched_interactions_count_as_one_by_one),
		cmocka_unit_test(graph_matches_a_model),
		cmocka_unit_test(replies_and_mentions),
		cmocka_unit_test(known_tags_match_exactly),
		cmocka_unit_test(every_other_event_type),
		cmocka_unit_test(active_days_follow_the_local_calendar),
		cmocka_unit_test(active_days_beyond_the_held_history_fail),
		cmocka_unit_test(active_day_bitmap_spans_128_days),
		cmocka_unit_test(member_json_has_exactly_the_contract_keys),
		cmocka_unit_test(stat_queries_validate),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
