/* Hostile input: strings of every length up to the documented limits and
 * one past, embedded NULs, invalid UTF-8, times at the INT64 extremes,
 * events out of order, NULL everywhere, absurd setting values and ten
 * million members. Each gets a clear error with the community unchanged,
 * or a correct result; the sanitizer and valgrind runs of this suite
 * check that none of it is undefined behaviour.
 * SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

#define T0 INT64_C(1795132800000)

/* ---- helpers ------------------------------------------------------------ */

struct snap {
	unsigned char *bytes;
	size_t len;
};

static struct snap snap_of(const kith_community *c)
{
	struct snap s;
	s.bytes = test_save(c, &s.len);
	return s;
}

/* The community saves exactly the bytes it saved before. */
static void assert_unchanged(const kith_community *c, struct snap *before)
{
	struct snap now = snap_of(c);
	assert_int_equal(now.len, before->len);
	assert_memory_equal(now.bytes, before->bytes, before->len);
	free(now.bytes);
}

static kith_event message(int64_t t, const char *actor, size_t actor_len)
{
	kith_event ev = KITH_EVENT_INIT;
	ev.type = KITH_EVENT_MESSAGE;
	ev.time_ms = t;
	ev.actor = actor;
	ev.actor_len = actor_len;
	ev.kind = KITH_KIND_TEXT;
	return ev;
}

/* The call fails with `want`, says why, and changes nothing. */
static void assert_rejected(kith_community *c, const kith_event *ev, kith_status want)
{
	struct snap before = snap_of(c);
	size_t members = kith_community_member_count(c);
	kith_status st = kith_community_ingest(c, ev);
	if (st != want)
		fail_msg("ingest gave %s (%s), expected %s", kith_status_name(st),
		         kith_community_last_error(c), kith_status_name(want));
	assert_true(strlen(kith_community_last_error(c)) > 0);
	assert_int_equal(kith_community_member_count(c), members);
	assert_unchanged(c, &before);
	free(before.bytes);
}

/* Strict UTF-8 (RFC 3629): no overlongs, surrogates or values past U+10FFFF. */
static int valid_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned char b = s[i];
		if (b < 0x80) {
			i++;
			continue;
		}
		/* Lead byte: how many continuation bytes, the smallest code point
		 * that needs this many (below it is an overlong form). */
		size_t k = (b & 0xe0) == 0xc0 ? 1 : (b & 0xf0) == 0xe0 ? 2 : (b & 0xf8) == 0xf0 ? 3 : 0;
		if (k == 0 || i + k >= n)
			return 0;
		static const uint32_t min_of[] = {0, 0x80, 0x800, 0x10000};
		uint32_t min = min_of[k];
		uint32_t cp = b & (0x7fu >> (k + 1));
		for (size_t j = 1; j <= k; j++) {
			if ((s[i + j] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + j] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += k + 1;
	}
	return 1;
}

/* A member's JSON is valid UTF-8 with no raw control characters, so any
 * JSON parser takes it whatever bytes the ids hold. */
static void assert_json_clean(const kith_community *c, uint32_t h)
{
	size_t needed = 0;
	char small[1];
	assert_int_equal(kith_member_to_json(c, h, T0, small, sizeof small, &needed), KITH_OK);
	char *buf = malloc(needed + 1);
	assert_non_null(buf);
	size_t again = 0;
	assert_int_equal(kith_member_to_json(c, h, T0, buf, needed + 1, &again), KITH_OK);
	assert_int_equal(again, needed);
	assert_int_equal(strlen(buf), needed);
	for (size_t i = 0; i < needed; i++)
		if ((unsigned char)buf[i] < 0x20)
			fail_msg("member %u: raw control byte 0x%02x in JSON at %zu", h,
			         (unsigned char)buf[i], i);
	if (!valid_utf8((const unsigned char *)buf, needed))
		fail_msg("member %u: JSON is not valid UTF-8: %s", h, buf);
	free(buf);
}

/* ---- lengths ------------------------------------------------------------ */

/* Every id length 1 .. KITH_ID_MAX is a member; one past is ERANGE. */
static void ids_of_every_length(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	char *id = malloc(KITH_ID_MAX + 2);
	assert_non_null(id);
	for (size_t len = 1; len <= KITH_ID_MAX + 1; len++) {
		/* The length is written into the id, so each is distinct and a
		 * prefix of none of the others' bytes by accident. */
		for (size_t i = 0; i < len; i++)
			id[i] = (char)('a' + (len + i * 7) % 26);
		kith_event ev = message(T0 + (int64_t)len, id, len);
		if (len <= KITH_ID_MAX) {
			assert_int_equal(kith_community_ingest(c, &ev), KITH_OK);
		} else {
			assert_rejected(c, &ev, KITH_ERANGE);
			assert_non_null(strstr(kith_community_last_error(c), "actor"));
		}
	}
	assert_int_equal(kith_community_member_count(c), KITH_ID_MAX);
	for (uint32_t h = 0; h < KITH_ID_MAX; h++) {
		size_t len = 0;
		const char *got = kith_member_id(c, h, &len);
		assert_non_null(got);
		assert_int_equal(len, h + 1);
		assert_int_equal(got[len], '\0');
		uint32_t found;
		assert_int_equal(kith_community_find_member(c, got, len, &found), KITH_OK);
		assert_int_equal(found, h);
	}
	/* A lookup of an over-long id finds nothing, it is not an error. */
	memset(id, 'z', KITH_ID_MAX + 1);
	uint32_t found;
	kith_status st = kith_community_find_member(c, id, KITH_ID_MAX + 1, &found);
	assert_true(st == KITH_ENOTFOUND || st == KITH_ERANGE || st == KITH_EINVAL);
	free(id);
	kith_community_free(c);
}

/* Each string field of an event at its limit, and one past it. */
static void every_field_at_and_past_its_limit(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	char *big = malloc(KITH_TEXT_MAX + 2);
	assert_non_null(big);
	memset(big, 'x', KITH_TEXT_MAX + 1);
	big[KITH_TEXT_MAX + 1] = '\0';
	int64_t t = T0;

	static const struct {
		size_t offset, len_offset, max;
		kith_event_type type;
	} fields[] = {
		{offsetof(kith_event, by), offsetof(kith_event, by_len), KITH_ID_MAX, KITH_EVENT_JOIN},
		{offsetof(kith_event, to), offsetof(kith_event, to_len), KITH_ID_MAX, KITH_EVENT_MESSAGE},
		{offsetof(kith_event, msg_id), offsetof(kith_event, msg_id_len), KITH_ID_MAX,
		 KITH_EVENT_MESSAGE},
		{offsetof(kith_event, reply_to), offsetof(kith_event, reply_to_len), KITH_ID_MAX,
		 KITH_EVENT_MESSAGE},
		{offsetof(kith_event, name), offsetof(kith_event, name_len), KITH_ID_MAX, KITH_EVENT_NICK},
		{offsetof(kith_event, tags), offsetof(kith_event, tags_len), KITH_TAGS_MAX,
		 KITH_EVENT_MESSAGE},
		{offsetof(kith_event, text), offsetof(kith_event, text_len), KITH_TEXT_MAX,
		 KITH_EVENT_MESSAGE},
	};
	for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++) {
		size_t lens[] = {0, 1, fields[f].max - 1, fields[f].max, fields[f].max + 1};
		for (size_t k = 0; k < sizeof lens / sizeof lens[0]; k++) {
			kith_event ev = message(t++, "alice", KITH_NUL_TERMINATED);
			ev.type = fields[f].type;
			const char *p = big;
			memcpy((char *)&ev + fields[f].offset, &p, sizeof p);
			memcpy((char *)&ev + fields[f].len_offset, &lens[k], sizeof lens[k]);
			if (lens[k] <= fields[f].max) {
				kith_status st = kith_community_ingest(c, &ev);
				if (st != KITH_OK)
					fail_msg("field %zu, %zu bytes: %s", f, lens[k],
					         kith_community_last_error(c));
			} else {
				assert_rejected(c, &ev, KITH_ERANGE);
			}
		}
	}
	/* Tags of every length up to the limit: one growing list. */
	for (size_t len = 0; len <= KITH_TAGS_MAX; len += 1 + len / 64) {
		kith_event ev = message(t++, "bob", KITH_NUL_TERMINATED);
		for (size_t i = 0; i < len; i++)
			big[i] = i % 9 == 8 ? ',' : (char)('a' + i % 26);
		ev.tags = big;
		ev.tags_len = len;
		assert_int_equal(kith_community_ingest(c, &ev), KITH_OK);
	}
	/* The display name keeps all KITH_ID_MAX bytes. */
	memset(big, 'n', KITH_ID_MAX);
	kith_event nick = message(t++, "carol", KITH_NUL_TERMINATED);
	nick.type = KITH_EVENT_NICK;
	nick.name = big;
	nick.name_len = KITH_ID_MAX;
	assert_int_equal(kith_community_ingest(c, &nick), KITH_OK);
	uint32_t carol;
	assert_int_equal(kith_community_find_member(c, "carol", KITH_NUL_TERMINATED, &carol), KITH_OK);
	size_t name_len = 0;
	const char *name = kith_member_display_name(c, carol, &name_len);
	assert_non_null(name);
	assert_int_equal(name_len, KITH_ID_MAX);
	assert_memory_equal(name, big, KITH_ID_MAX);

	/* Role names: 1 .. 64 bytes of the allowed characters. */
	memset(big, 'r', 65);
	assert_int_equal(kith_community_define_role(c, big, 64, KITH_PERM_LINKS, 0, NULL), KITH_OK);
	struct snap before = snap_of(c);
	assert_int_equal(kith_community_define_role(c, big, 65, KITH_PERM_LINKS, 0, NULL), KITH_EINVAL);
	assert_int_equal(kith_community_define_role(c, big, 0, KITH_PERM_LINKS, 0, NULL), KITH_EINVAL);
	assert_int_equal(kith_community_define_role(c, "a\0b", 3, 0, 0, NULL), KITH_EINVAL);
	assert_int_equal(kith_community_define_role(c, "r\xff", 2, 0, 0, NULL), KITH_EINVAL);
	assert_int_equal(kith_community_define_role(c, "ok", 2, 1u << 30, 0, NULL), KITH_EINVAL);
	assert_unchanged(c, &before);
	free(before.bytes);
	free(big);
	kith_community_free(c);
}

/* ---- bytes -------------------------------------------------------------- */

static void embedded_nuls_make_distinct_ids(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	static const char *const ids[] = {"a\0b", "a\0c", "a", "\0", "\0\0"};
	static const size_t lens[] = {3, 3, 1, 1, 2};
	for (size_t i = 0; i < 5; i++) {
		kith_event ev = message(T0 + (int64_t)i, ids[i], lens[i]);
		ev.msg_id = ids[i]; /* message ids with NULs too */
		ev.msg_id_len = lens[i];
		assert_int_equal(kith_community_ingest(c, &ev), KITH_OK);
	}
	assert_int_equal(kith_community_member_count(c), 5);
	for (uint32_t i = 0; i < 5; i++) {
		uint32_t h;
		assert_int_equal(kith_community_find_member(c, ids[i], lens[i], &h), KITH_OK);
		assert_int_equal(h, i);
		size_t len;
		const char *got = kith_member_id(c, h, &len);
		assert_int_equal(len, lens[i]);
		assert_memory_equal(got, ids[i], lens[i]);
		assert_json_clean(c, h);
	}
	/* A reply to "a\0c" reaches its author, not the author of "a". */
	kith_event reply = message(T0 + 10, "z", 1);
	reply.reply_to = "a\0c";
	reply.reply_to_len = 3;
	assert_int_equal(kith_community_ingest(c, &reply), KITH_OK);
	assert_int_equal(test_stat(c, "z", KITH_STAT_REPLIES_GIVEN), 1);
	uint32_t h;
	int64_t got;
	assert_int_equal(kith_community_find_member(c, "a\0c", 3, &h), KITH_OK);
	assert_int_equal(kith_member_stat(c, h, KITH_STAT_REPLIES_RECEIVED, &got), KITH_OK);
	assert_int_equal(got, 1);
	assert_int_equal(test_stat(c, "a", KITH_STAT_REPLIES_RECEIVED), 0);

	/* NUL-terminated length stops at the first NUL: that is "a". */
	kith_event short_one = message(T0 + 11, "a\0zzz", KITH_NUL_TERMINATED);
	assert_int_equal(kith_community_ingest(c, &short_one), KITH_OK);
	assert_int_equal(kith_community_member_count(c), 6);
	assert_int_equal(test_stat(c, "a", KITH_STAT_MESSAGES), 2);

	/* Snapshots keep the bytes. */
	size_t len;
	unsigned char *bytes = test_save(c, &len);
	kith_community *d = test_community_new(NULL);
	assert_int_equal(test_load(d, bytes, len), KITH_OK);
	assert_int_equal(kith_community_find_member(d, "a\0c", 3, &h), KITH_OK);
	assert_int_equal(h, 1);
	free(bytes);
	kith_community_free(d);
	kith_community_free(c);
}

static void invalid_utf8_is_kept_as_bytes(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	static const char *const ids[] = {
		"\xff", "\xc0\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80", "abc\xe2\x82", "\x80\x80",
		"\"quote\\back", "tab\there\nnl\x01\x1f\x7f",
	};
	size_t n = sizeof ids / sizeof ids[0];
	for (size_t i = 0; i < n; i++) {
		kith_event ev = message(T0 + (int64_t)i, ids[i], KITH_NUL_TERMINATED);
		ev.text = ids[i];
		ev.text_len = KITH_NUL_TERMINATED;
		assert_int_equal(kith_community_ingest(c, &ev), KITH_OK);
		kith_event nick = ev;
		nick.type = KITH_EVENT_NICK;
		nick.name = ids[(i + 1) % n];
		nick.name_len = KITH_NUL_TERMINATED;
		assert_int_equal(kith_community_ingest(c, &nick), KITH_OK);
	}
	assert_int_equal(kith_community_member_count(c), n);
	for (uint32_t h = 0; h < n; h++) {
		size_t len;
		const char *got = kith_member_id(c, h, &len);
		assert_int_equal(len, strlen(ids[h]));
		assert_memory_equal(got, ids[h], len);
		assert_json_clean(c, h);
	}
	/* Settings that hold text take such bytes or refuse them, and say so;
	 * they never keep half of them. */
	struct snap before = snap_of(c);
	kith_status st = kith_setting_set(c, "community.name", KITH_NUL_TERMINATED, "\xff\xfe bad",
	                                  KITH_NUL_TERMINATED);
	if (st == KITH_OK) {
		char buf[64];
		assert_int_equal(kith_setting_get(c, "community.name", KITH_NUL_TERMINATED, buf,
		                                  sizeof buf, NULL),
		                 KITH_OK);
		assert_string_equal(buf, "\xff\xfe bad");
	} else {
		assert_int_equal(st, KITH_EINVAL);
		assert_unchanged(c, &before);
	}
	free(before.bytes);
	kith_community_free(c);
}

/* ---- time --------------------------------------------------------------- */

static void times_at_the_int64_extremes(void **state)
{
	(void)state;
	static const char *const offsets[] = {"+00:00", "+14:00", "-14:00"};
	for (size_t o = 0; o < 3; o++) {
		kith_community *c = test_community_new(NULL);
		assert_int_equal(kith_setting_set(c, "community.utc_offset", KITH_NUL_TERMINATED,
		                                  offsets[o], KITH_NUL_TERMINATED),
		                 KITH_OK);
		/* KITH_TIME_NONE is not a time. */
		kith_event none = message(KITH_TIME_NONE, "alice", KITH_NUL_TERMINATED);
		assert_rejected(c, &none, KITH_ERANGE);

		static const int64_t times[] = {INT64_MIN + 1, -86400000, -1, 0, 1, T0,
		                                INT64_MAX - 86400000, INT64_MAX - 1, INT64_MAX};
		for (size_t i = 0; i < sizeof times / sizeof times[0]; i++) {
			kith_event ev = message(times[i], i % 2 ? "alice" : "bob", KITH_NUL_TERMINATED);
			ev.reply_to = "m";
			ev.reply_to_len = 1;
			ev.msg_id = "m";
			ev.msg_id_len = 1;
			assert_int_equal(kith_community_ingest(c, &ev), KITH_OK);
			assert_int_equal(kith_community_last_event_ms(c), times[i]);
			/* Queries at every extreme of "now". */
			for (uint32_t h = 0; h < kith_community_member_count(c); h++) {
				static const int64_t nows[] = {INT64_MIN, INT64_MIN + 1, 0, T0, INT64_MAX};
				for (size_t k = 0; k < 5; k++) {
					uint32_t days = 99;
					double score = -1;
					/* Or the window reaches before the 128 days
					 * held (bob spoke at both ends of time). */
					kith_status st =
					        kith_member_active_days(c, h, nows[k], 128, &days);
					assert_true(st == KITH_OK || st == KITH_ERANGE);
					assert_true(days <= 128);
					assert_int_equal(kith_member_score(c, h, nows[k], &score), KITH_OK);
					assert_true(score >= 0 && score == score);
				}
				assert_json_clean(c, h);
			}
		}
		assert_int_equal(test_stat(c, "alice", KITH_STAT_LAST_MSG_MS), INT64_MAX - 1);
		assert_int_equal(test_stat(c, "bob", KITH_STAT_FIRST_MSG_MS), INT64_MIN + 1);
		assert_int_equal(test_stat(c, "bob", KITH_STAT_LAST_MSG_MS), INT64_MAX);
		/* At INT64_MAX, only INT64_MAX may follow. */
		kith_event earlier = message(INT64_MAX - 1, "carol", KITH_NUL_TERMINATED);
		assert_rejected(c, &earlier, KITH_EORDER);
		kith_event same = message(INT64_MAX, "carol", KITH_NUL_TERMINATED);
		assert_int_equal(kith_community_ingest(c, &same), KITH_OK);

		size_t len;
		unsigned char *bytes = test_save(c, &len);
		kith_community *d = test_community_new(NULL);
		assert_int_equal(test_load(d, bytes, len), KITH_OK);
		assert_int_equal(kith_community_last_event_ms(d), INT64_MAX);
		free(bytes);
		kith_community_free(d);
		kith_community_free(c);
	}
}

static void out_of_order_events_are_refused(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	test_join(c, T0, "alice", NULL);
	test_msg(c, T0 + 1000, "alice", "m1", KITH_KIND_TEXT, NULL, NULL, NULL, "hello");
	static const kith_event_type types[] = {KITH_EVENT_JOIN, KITH_EVENT_LEAVE, KITH_EVENT_MESSAGE,
	                                        KITH_EVENT_NICK, KITH_EVENT_KICK};
	for (size_t i = 0; i < 5; i++) {
		kith_event ev = message(T0 + 999, i % 2 ? "alice" : "newcomer", KITH_NUL_TERMINATED);
		ev.type = types[i];
		ev.name = "x";
		ev.name_len = 1;
		assert_rejected(c, &ev, KITH_EORDER);
	}
	kith_event far = message(INT64_MIN + 1, "alice", KITH_NUL_TERMINATED);
	assert_rejected(c, &far, KITH_EORDER);
	assert_int_equal(kith_community_last_event_ms(c), T0 + 1000);
	/* An equal time is in order. */
	kith_event same = message(T0 + 1000, "alice", KITH_NUL_TERMINATED);
	assert_int_equal(kith_community_ingest(c, &same), KITH_OK);

	/* In an array, the events before the late one stay applied. */
	kith_event evs[3] = {message(T0 + 2000, "bob", 3), message(T0 + 1500, "carol", 5),
	                     message(T0 + 3000, "dave", 4)};
	size_t done = 99;
	assert_int_equal(kith_community_ingest_array(c, evs, 3, &done), KITH_EORDER);
	assert_int_equal(done, 1);
	assert_int_equal(kith_community_member_count(c), 2);
	assert_int_equal(kith_community_last_event_ms(c), T0 + 2000);

	/* And in a trace, the error names the line. */
	uint64_t lines = 0;
	const char trace[] = "1795132810000\tmsg\tbob\n1795132800000\tmsg\tbob\n";
	assert_int_equal(kith_community_ingest_trace(c, trace, sizeof trace - 1, &lines), KITH_EORDER);
	assert_int_equal(lines, 1);
	assert_non_null(strstr(kith_community_last_error(c), "line 2"));
	kith_community_free(c);
}

/* ---- NULL everywhere ---------------------------------------------------- */

static ptrdiff_t no_read(void *buf, size_t len, void *payload)
{
	(void)buf, (void)len, (void)payload;
	return 0;
}

static int no_write(const void *data, size_t len, void *payload)
{
	(void)data, (void)len, (void)payload;
	return 0;
}

static void null_arguments_everywhere(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	test_msg(c, T0, "alice", "m1", KITH_KIND_TEXT, NULL, NULL, NULL, "hi");
	struct snap before = snap_of(c);
	uint32_t u32;
	int64_t i64;
	double d;
	size_t sz;
	const char *s;
	char buf[64];

	/* Constructors and destructors. */
	assert_int_equal(kith_community_new(NULL), KITH_EINVAL);
	kith_community *x = NULL;
	assert_int_equal(kith_community_new_with_allocator(&x, NULL, NULL), KITH_EINVAL);
	assert_null(x);
	assert_int_equal(kith_community_new_with_allocator(NULL, test_alloc_fn, NULL), KITH_EINVAL);
	kith_community_free(NULL);
	assert_string_equal(kith_community_last_error(NULL), "");
	assert_string_equal(kith_status_name((kith_status)12345), "unknown");
	assert_non_null(kith_version());

	/* A NULL community. */
	kith_event ev = message(T0 + 1, "bob", 3);
	assert_int_equal(kith_community_ingest(NULL, &ev), KITH_EINVAL);
	assert_int_equal(kith_community_ingest_array(NULL, &ev, 1, &sz), KITH_EINVAL);
	assert_int_equal(kith_community_ingest_trace_line(NULL, "", 0, 1), KITH_EINVAL);
	assert_int_equal(kith_community_ingest_trace(NULL, "", 0, NULL), KITH_EINVAL);
	assert_int_equal(kith_community_member_count(NULL), 0);
	assert_int_equal(kith_community_present_count(NULL), 0);
	assert_int_equal(kith_community_message_count(NULL), 0);
	assert_int_equal(kith_community_last_event_ms(NULL), KITH_TIME_NONE);
	assert_int_equal(kith_community_find_member(NULL, "alice", 5, &u32), KITH_EINVAL);
	assert_null(kith_member_id(NULL, 0, &sz));
	assert_null(kith_member_display_name(NULL, 0, &sz));
	assert_int_equal(kith_member_stat(NULL, 0, KITH_STAT_PRESENT, &i64), KITH_EINVAL);
	assert_int_not_equal(kith_member_active_days(NULL, 0, T0, 30, &u32), KITH_OK);
	assert_int_not_equal(kith_member_score(NULL, 0, T0, &d), KITH_OK);
	assert_int_equal(kith_member_has_role(NULL, 0, 0), 0);
	assert_int_not_equal(kith_member_to_json(NULL, 0, T0, buf, sizeof buf, &sz), KITH_OK);
	assert_int_equal(kith_community_role_count(NULL), 0);
	assert_null(kith_role_name(NULL, 0));
	assert_int_equal(kith_community_find_role(NULL, "admin", 5, &u32), KITH_EINVAL);
	assert_int_equal(kith_community_define_role(NULL, "x", 1, 0, 0, NULL), KITH_EINVAL);
	assert_int_equal(kith_role_permissions(NULL, 0), 0);
	assert_int_equal(kith_role_is_protected(NULL, 0), 0);
	assert_int_not_equal(kith_community_message_value(NULL, "m1", 2, &d), KITH_OK);
	assert_true(kith_community_value_ratio(NULL) == 0);
	assert_int_equal(kith_community_digest_count(NULL), 0);
	assert_int_not_equal(kith_community_digest_entry(NULL, 0, &s, &sz, &u32, &d), KITH_OK);
	assert_int_equal(kith_community_edge_count(NULL), 0);
	assert_int_not_equal(kith_community_edge(NULL, 0, &u32, &u32, NULL), KITH_OK);
	assert_int_not_equal(kith_community_interactions(NULL, 0, 0, KITH_INTERACTION_REPLY, &u32),
	                     KITH_OK);
	assert_int_equal(kith_setting_set(NULL, "digest.size", KITH_NUL_TERMINATED, "3", 1),
	                 KITH_EINVAL);
	assert_int_not_equal(
	        kith_setting_get(NULL, "digest.size", KITH_NUL_TERMINATED, buf, sizeof buf, &sz),
	        KITH_OK);
	assert_int_equal(kith_setting_count(NULL), 0);
	assert_int_not_equal(kith_setting_describe(NULL, 0, &s, NULL, NULL, NULL), KITH_OK);
	assert_int_equal(kith_community_apply_charter(NULL, "", 0), KITH_EINVAL);
	assert_int_equal(kith_community_save(NULL, no_write, NULL), KITH_EINVAL);
	assert_int_equal(kith_community_load(NULL, no_read, NULL), KITH_EINVAL);

	/* NULL pointers and out-parameters on a real community. */
	assert_int_equal(kith_community_ingest(c, NULL), KITH_EINVAL);
	assert_int_equal(kith_community_ingest_array(c, NULL, 1, &sz), KITH_EINVAL);
	assert_int_equal(kith_community_ingest_array(c, NULL, 0, NULL), KITH_OK);
	assert_int_equal(kith_community_ingest_trace_line(c, NULL, 5, 1), KITH_EINVAL);
	assert_int_equal(kith_community_ingest_trace(c, NULL, 5, NULL), KITH_EINVAL);
	assert_int_equal(kith_community_find_member(c, NULL, 5, &u32), KITH_EINVAL);
	assert_int_equal(kith_community_find_member(c, "alice", 5, NULL), KITH_EINVAL);
	assert_int_equal(kith_member_stat(c, 0, KITH_STAT_PRESENT, NULL), KITH_EINVAL);
	assert_int_equal(kith_member_stat(c, 0, (kith_stat)0, &i64), KITH_EINVAL);
	assert_int_equal(kith_member_stat(c, 0, (kith_stat)99, &i64), KITH_EINVAL);
	assert_int_equal(kith_member_stat(c, 7, KITH_STAT_PRESENT, &i64), KITH_ENOTFOUND);
	assert_int_equal(kith_member_stat(c, UINT32_MAX, KITH_STAT_PRESENT, &i64), KITH_ENOTFOUND);
	assert_int_not_equal(kith_member_active_days(c, 0, T0, 30, NULL), KITH_OK);
	assert_int_not_equal(kith_member_active_days(c, 0, T0, 0, &u32), KITH_OK);
	assert_int_not_equal(kith_member_active_days(c, 0, T0, 129, &u32), KITH_OK);
	assert_int_not_equal(kith_member_score(c, 0, T0, NULL), KITH_OK);
	assert_int_not_equal(kith_member_to_json(c, 0, T0, NULL, 10, &sz), KITH_OK);
	assert_int_equal(kith_member_to_json(c, 0, T0, buf, sizeof buf, NULL), KITH_OK);
	assert_null(kith_member_id(c, 5, &sz));
	assert_non_null(kith_member_id(c, 0, NULL));
	assert_null(kith_role_name(c, 999));
	assert_int_equal(kith_community_find_role(c, NULL, 1, &u32), KITH_EINVAL);
	assert_int_equal(kith_community_find_role(c, "admin", 5, NULL), KITH_EINVAL);
	assert_int_equal(kith_community_define_role(c, NULL, 3, 0, 0, NULL), KITH_EINVAL);
	assert_int_not_equal(kith_community_message_value(c, NULL, 2, &d), KITH_OK);
	assert_int_not_equal(kith_community_message_value(c, "m1", 2, NULL), KITH_OK);
	assert_int_equal(kith_community_digest_entry(c, 0, NULL, NULL, NULL, NULL), KITH_OK);
	assert_int_equal(kith_community_digest_entry(c, 999, NULL, NULL, NULL, NULL), KITH_ENOTFOUND);
	assert_int_not_equal(kith_community_interactions(c, 0, 0, KITH_INTERACTION_REPLY, NULL),
	                     KITH_OK);
	assert_int_not_equal(kith_community_interactions(c, 0, 0, (kith_interaction)9, &u32), KITH_OK);
	assert_int_not_equal(kith_setting_set(c, NULL, KITH_NUL_TERMINATED, "3", 1), KITH_OK);
	assert_int_not_equal(kith_setting_set(c, "digest.size", KITH_NUL_TERMINATED, NULL, 1),
	                     KITH_OK);
	assert_int_not_equal(kith_setting_get(c, NULL, KITH_NUL_TERMINATED, buf, sizeof buf, &sz),
	                     KITH_OK);
	assert_int_not_equal(kith_setting_get(c, "digest.size", KITH_NUL_TERMINATED, NULL, 8, &sz),
	                     KITH_OK);
	assert_int_equal(kith_setting_describe(c, 0, NULL, NULL, NULL, NULL), KITH_OK);
	assert_int_not_equal(kith_setting_describe(c, (size_t)-1, &s, NULL, NULL, NULL), KITH_OK);
	assert_int_equal(kith_community_apply_charter(c, NULL, 4), KITH_EINVAL);
	assert_int_equal(kith_community_save(c, NULL, NULL), KITH_EINVAL);
	assert_int_equal(kith_community_load(c, NULL, NULL), KITH_EINVAL);

	/* Events with NULL strings: a missing actor, lengths without strings. */
	kith_event bad = message(T0 + 5, NULL, 5);
	assert_rejected(c, &bad, KITH_EINVAL);
	kith_event empty = message(T0 + 5, "", KITH_NUL_TERMINATED);
	assert_rejected(c, &empty, KITH_EINVAL);
	kith_event dangling = message(T0 + 5, "alice", 5);
	dangling.text = NULL;
	dangling.text_len = 1000; /* absent: the length of a NULL string is ignored */
	dangling.msg_id = NULL;
	dangling.msg_id_len = KITH_NUL_TERMINATED;
	assert_int_equal(kith_community_ingest(c, &dangling), KITH_OK);
	kith_event role = message(T0 + 6, "alice", 5);
	role.type = KITH_EVENT_ROLE;
	role.op = KITH_OP_ADD;
	assert_rejected(c, &role, KITH_EINVAL); /* no role name */
	kith_event alias = message(T0 + 6, "alice", 5);
	alias.type = KITH_EVENT_ALIAS;
	assert_rejected(c, &alias, KITH_EINVAL); /* no new id */

	/* Unknown types, kinds, ops, a bad size, a non-zero reserved field. */
	kith_event odd = message(T0 + 7, "alice", 5);
	odd.type = 0;
	assert_rejected(c, &odd, KITH_EINVAL);
	odd.type = 99;
	assert_rejected(c, &odd, KITH_EINVAL);
	odd = message(T0 + 7, "alice", 5);
	odd.kind = KITH_KIND_COUNT;
	assert_rejected(c, &odd, KITH_EINVAL);
	odd = message(T0 + 7, "alice", 5);
	odd.reserved = 1;
	assert_rejected(c, &odd, KITH_EINVAL);
	odd = message(T0 + 7, "alice", 5);
	odd.size = sizeof(kith_event) + 8;
	assert_rejected(c, &odd, KITH_EVERSION);
	odd.size = 0;
	assert_rejected(c, &odd, KITH_EVERSION);
	odd = message(T0 + 7, "alice", 5);
	odd.type = KITH_EVENT_ENVELOPE;
	odd.op = KITH_OP_ADD;
	assert_rejected(c, &odd, KITH_EINVAL);
	odd.op = KITH_OP_SEND;
	odd.amount = -1;
	assert_rejected(c, &odd, KITH_ERANGE);
	odd.amount = INT64_MIN;
	assert_rejected(c, &odd, KITH_ERANGE);
	odd.amount = INT64_MAX;
	assert_int_equal(kith_community_ingest(c, &odd), KITH_OK);
	odd.amount = INT64_MAX; /* sums past INT64_MAX must not overflow */
	assert_int_equal(kith_community_ingest(c, &odd), KITH_OK);

	free(before.bytes);
	kith_community_free(c);
}

/* ---- settings ----------------------------------------------------------- */

static void absurd_setting_values(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	static const char *const names[] = {
		"community.capacity", "value.half_life_days", "value.weight.text", "ledger.capacity",
		"digest.size", "community.utc_offset", "value.high_threshold", "role.admin.protected",
		"role.admin.permissions", "community.topics",
	};
	static const char *const values[] = {
		"", " ", "-", "+", "-0", "0", "-1", "1e309", "-1e309", "1e-400", "nan", "NaN", "inf",
		"-inf", "0x10", "010", "1,5", "1.5.5", "99999999999999999999999999",
		"-9223372036854775808", "18446744073709551616", "4294967297", "1 2", "12 h", "+99:99",
		"+14:01", "-14:00", "24:00", "yes", "maybe", "none, links", "links, links", "\xff",
		"1\0005", "0.5 ", " 0.5", "\t7",
	};
	size_t nv = sizeof values / sizeof values[0];
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		for (size_t k = 0; k < nv; k++) {
			size_t len = k == nv - 4 ? 3 : strlen(values[k]); /* "1\0" "5": a NUL inside */
			char before[256], after[256];
			assert_int_equal(kith_setting_get(c, names[i], KITH_NUL_TERMINATED, before,
			                                  sizeof before, NULL),
			                 KITH_OK);
			struct snap snap = snap_of(c);
			kith_status st =
			        kith_setting_set(c, names[i], KITH_NUL_TERMINATED, values[k], len);
			assert_int_equal(kith_setting_get(c, names[i], KITH_NUL_TERMINATED, after,
			                                  sizeof after, NULL),
			                 KITH_OK);
			if (st == KITH_OK) {
				/* What it kept reads back canonically and sets back. */
				assert_int_equal(kith_setting_set(c, names[i], KITH_NUL_TERMINATED,
				                                  after, KITH_NUL_TERMINATED),
				                 KITH_OK);
				char again[256];
				assert_int_equal(kith_setting_get(c, names[i], KITH_NUL_TERMINATED,
				                                  again, sizeof again, NULL),
				                 KITH_OK);
				assert_string_equal(again, after);
			} else {
				if (st != KITH_EINVAL && st != KITH_ERANGE && st != KITH_ESTATE)
					fail_msg("%s = '%s': %s", names[i], values[k],
					         kith_status_name(st));
				assert_true(strlen(kith_community_last_error(c)) > 0);
				assert_string_equal(after, before);
				assert_unchanged(c, &snap);
			}
			free(snap.bytes);
		}
	}
	/* A value of a megabyte of digits. */
	size_t big_len = 1 << 20;
	char *big = malloc(big_len);
	assert_non_null(big);
	memset(big, '9', big_len);
	assert_int_not_equal(kith_setting_set(c, "digest.size", KITH_NUL_TERMINATED, big, big_len),
	                     KITH_OK);
	assert_int_not_equal(
	        kith_setting_set(c, "community.name", KITH_NUL_TERMINATED, big, big_len), KITH_OK);
	assert_true(strlen(kith_community_last_error(c)) < 4096); /* the message is bounded */
	memset(big, 'a', 300);
	big[300] = '\0';
	char name[400];
	snprintf(name, sizeof name, "role.%s.protected", big);
	assert_int_not_equal(kith_setting_set(c, name, KITH_NUL_TERMINATED, "yes", 3), KITH_OK);
	assert_int_equal(kith_setting_set(c, "no.such.setting", KITH_NUL_TERMINATED, "1", 1),
	                 KITH_ENOTFOUND);
	assert_int_equal(kith_setting_get(c, "no.such.setting", KITH_NUL_TERMINATED, big, 8, NULL),
	                 KITH_ENOTFOUND);
	free(big);

	/* Reading into a buffer too small truncates and says how much is needed. */
	size_t needed = 0;
	char tiny[3] = {'x', 'x', 'x'};
	assert_int_equal(kith_setting_get(c, "community.utc_offset", KITH_NUL_TERMINATED, tiny,
	                                  sizeof tiny, &needed),
	                 KITH_OK);
	assert_int_equal(needed, 6); /* "+00:00" or "-14:00": six bytes */
	assert_int_equal(tiny[2], '\0');
	assert_int_equal(
	        kith_setting_get(c, "community.utc_offset", KITH_NUL_TERMINATED, tiny, 0, &needed),
	        KITH_OK);
	assert_int_equal(needed, 6);
	kith_community_free(c);
}

/* ---- ten million members ------------------------------------------------ */

static void ten_million_members(void **state)
{
	(void)state;
	if (getenv("KITH_VALGRIND")) {
		print_message("skipped under valgrind (it would take hours)\n");
		skip();
	}
	enum { N = 10000000, BATCH = 4096 };
	struct test_alloc ta = {0};
	kith_community *c = test_community_new(&ta);
	kith_event *evs = calloc(BATCH, sizeof *evs);
	char (*ids)[16] = calloc(BATCH, sizeof *ids);
	assert_non_null(evs);
	assert_non_null(ids);
	for (uint32_t base = 0; base < N; base += BATCH) {
		uint32_t n = N - base < BATCH ? N - base : BATCH;
		for (uint32_t i = 0; i < n; i++) {
			uint32_t k = base + i;
			int len = snprintf(ids[i], sizeof ids[i], "u%u", k);
			kith_event ev = KITH_EVENT_INIT;
			ev.type = k % 10 == 9 ? KITH_EVENT_MESSAGE : KITH_EVENT_JOIN;
			ev.time_ms = T0 + k / 1000;
			ev.actor = ids[i];
			ev.actor_len = (size_t)len;
			evs[i] = ev;
		}
		size_t done = 0;
		kith_status st = kith_community_ingest_array(c, evs, n, &done);
		if (st != KITH_OK)
			fail_msg("at member %u: %s", base + (uint32_t)done, kith_community_last_error(c));
	}
	assert_int_equal(kith_community_member_count(c), N);
	assert_int_equal(kith_community_present_count(c), N);
	assert_int_equal(kith_community_message_count(c), N / 10);
	double per_member = (double)ta.live_bytes / N;
	double peak_per_member = (double)ta.peak_bytes / N;
	print_message("10M members: %.1f bytes/member live, %.1f at peak (ids included)\n", per_member,
	              peak_per_member);
	assert_true(per_member <= 200.0);

	/* Queries work at this size. */
	static const uint32_t probe[] = {0, 1, 9, 4999999, 9999998, 9999999};
	for (size_t i = 0; i < sizeof probe / sizeof probe[0]; i++) {
		char id[16];
		snprintf(id, sizeof id, "u%u", probe[i]);
		uint32_t h;
		assert_int_equal(kith_community_find_member(c, id, KITH_NUL_TERMINATED, &h), KITH_OK);
		assert_int_equal(h, probe[i]);
		int64_t messages;
		assert_int_equal(kith_member_stat(c, h, KITH_STAT_MESSAGES, &messages), KITH_OK);
		assert_int_equal(messages, probe[i] % 10 == 9 ? 1 : 0);
		assert_json_clean(c, h);
	}
	uint32_t h;
	assert_int_equal(kith_community_find_member(c, "u10000000", KITH_NUL_TERMINATED, &h),
	                 KITH_ENOTFOUND);
	/* One more event still applies. */
	test_msg(c, T0 + N, "u10000000", "last", KITH_KIND_TEXT, NULL, NULL, NULL, "hello");
	assert_int_equal(kith_community_member_count(c), N + 1);
	free(evs);
	free(ids);
	kith_community_free(c);
	assert_int_equal(ta.live_bytes, 0);
	assert_int_equal(ta.live_blocks, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ids_of_every_length),
		cmocka_unit_test(every_field_at_and_past_its_limit),
		cmocka_unit_test(embedded_nuls_make_distinct_ids),
		cmocka_unit_test(invalid_utf8_is_kept_as_bytes),
		cmocka_unit_test(times_at_the_int64_extremes),
		cmocka_unit_test(out_of_order_events_are_refused),
		cmocka_unit_test(null_arguments_everywhere),
		cmocka_unit_test(absurd_setting_values),
		cmocka_unit_test(ten_million_members),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
