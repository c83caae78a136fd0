/* What a community costs, counted through its allocator (issue 18): an
 * empty one, a small one (30 members, 300 messages), and a large one per
 * member; and growth from empty to large under allocation failure at
 * every point, which must leave the community as it was. These are byte
 * counts, not timings. SPDX-License-Identifier: MIT */
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
#include "testutil.h"

#define T0 INT64_C(1795132800000)

/* The budgets of issue 18. The small community (4-digit message ids, a
 * text on every message, a third of them replies) holds 24,202 bytes:
 * 303 ledger entries of 36 bytes (10,908), 32 member records of 148
 * (4,736), the id ring (2,048), the ledger's chains (1,024), the graph
 * (2,560), the community itself (1,800) and the key table and arena
 * (1,126). Ingested as one batch, it holds 300 ledger entries, not 303. */
#define EMPTY_MAX 2048
#define SMALL_MAX (24 * 1024)
#define PER_MEMBER_MAX 160

/* Event i of a small community's day: members join first, then write
 * messages, a third of them replies and some with a mention. */
struct small_text {
	char actor[32], other[32], mid[32], reply[32], text[64];
};

static kith_event small_event(int i, int members, struct small_text *s)
{
	kith_event ev = KITH_EVENT_INIT;
	ev.time_ms = T0 + (int64_t)i * 60000;
	ev.actor = s->actor;
	ev.actor_len = KITH_NUL_TERMINATED;
	if (i < members) {
		snprintf(s->actor, sizeof s->actor, "%d", 100000000 + i * 7919);
		ev.type = KITH_EVENT_JOIN;
		return ev;
	}
	int k = i - members;
	snprintf(s->actor, sizeof s->actor, "%d", 100000000 + (k * 13 % members) * 7919);
	snprintf(s->other, sizeof s->other, "%d", 100000000 + (k * 5 % members) * 7919);
	snprintf(s->mid, sizeof s->mid, "%d", 4000 + k);
	snprintf(s->reply, sizeof s->reply, "%d", 4000 + k / 2);
	snprintf(s->text, sizeof s->text, "message number %d about the garden", k);
	ev.type = KITH_EVENT_MESSAGE;
	ev.msg_id = s->mid;
	ev.msg_id_len = KITH_NUL_TERMINATED;
	ev.text = s->text;
	ev.text_len = KITH_NUL_TERMINATED;
	if (k % 3 == 1) {
		ev.reply_to = s->reply;
		ev.reply_to_len = KITH_NUL_TERMINATED;
	}
	if (k % 7 == 2) {
		ev.to = s->other;
		ev.to_len = KITH_NUL_TERMINATED;
	}
	return ev;
}

static void ingest_small(kith_community *c, int members, int messages)
{
	for (int i = 0; i < members + messages; i++) {
		struct small_text s;
		kith_event ev = small_event(i, members, &s);
		assert_int_equal(kith_community_ingest(c, &ev), KITH_OK);
	}
}

static void empty_community(void **state)
{
	(void)state;
	struct test_alloc ta = {0};
	kith_community *c = test_community_new(&ta);
	printf("# empty community: %lld bytes in %lld blocks\n", (long long)ta.live_bytes,
	       (long long)ta.live_blocks);
	assert_true(ta.live_bytes <= EMPTY_MAX);
	kith_community_free(c);
	assert_int_equal(ta.live_bytes, 0);
}

static void small_community(void **state)
{
	(void)state;
	struct test_alloc ta = {0};
	kith_community *c = test_community_new(&ta);
	ingest_small(c, 30, 300);
	assert_int_equal(kith_community_member_count(c), 30);
	assert_int_equal(kith_community_message_count(c), 300);
	printf("# 30 members, 300 messages: %lld bytes in %lld blocks\n", (long long)ta.live_bytes,
	       (long long)ta.live_blocks);
	assert_true(ta.live_bytes <= SMALL_MAX);
	/* The same through one batch (the path bots take). */
	struct test_alloc tb = {0};
	kith_community *b = test_community_new(&tb);
	struct small_text *s = calloc(330, sizeof *s);
	kith_event *evs = calloc(330, sizeof *evs);
	assert_non_null(s);
	assert_non_null(evs);
	for (int i = 0; i < 330; i++)
		evs[i] = small_event(i, 30, &s[i]);
	assert_int_equal(kith_community_ingest_array(b, evs, 330, NULL), KITH_OK);
	printf("# the same as one batch: %lld bytes in %llu allocations (%llu one by one)\n",
	       (long long)tb.live_bytes, (unsigned long long)tb.calls, (unsigned long long)ta.calls);
	assert_true(tb.live_bytes <= SMALL_MAX);
	/* A batch sizes the ledger for its messages at once. */
	assert_int_equal(b->ledger.cap, 300);
	test_assert_same_snapshot(c, b);
	free(evs);
	free(s);
	kith_community_free(b);
	kith_community_free(c);
	assert_int_equal(ta.live_bytes, 0);
}

/* Members besides their ids: the bytes the member table's key arena holds
 * are the ids' (each stored with a length and a NUL); all else counts. */
static void large_community_per_member(void **state)
{
	(void)state;
	const int members = 1000000;
	struct test_alloc ta = {0};
	kith_community *c = test_community_new(&ta);
	kith_event *evs = calloc(4096, sizeof *evs);
	char(*ids)[16] = calloc(4096, sizeof *ids);
	assert_non_null(evs);
	assert_non_null(ids);
	for (int base = 0; base < members; base += 4096) {
		int n = members - base < 4096 ? members - base : 4096;
		for (int i = 0; i < n; i++) {
			snprintf(ids[i], sizeof ids[i], "%d", 200000000 + base + i);
			kith_event ev = KITH_EVENT_INIT;
			ev.type = KITH_EVENT_JOIN;
			ev.time_ms = T0 + base + i;
			ev.actor = ids[i];
			ev.actor_len = KITH_NUL_TERMINATED;
			evs[i] = ev;
		}
		assert_int_equal(kith_community_ingest_array(c, evs, (size_t)n, NULL), KITH_OK);
	}
	assert_int_equal(kith_community_member_count(c), members);
	double ids_bytes = (double)c->members.keys.cap;
	double per = ((double)ta.live_bytes - ids_bytes) / members;
	printf("# %d members: %lld bytes, %.1f a member besides ids (%.0f bytes of ids)\n", members,
	       (long long)ta.live_bytes, per, ids_bytes);
	assert_true(per <= PER_MEMBER_MAX);
	free(ids);
	free(evs);
	kith_community_free(c);
}

/* Grow a community from empty to a few thousand members and messages one
 * event at a time, failing the first allocation each event makes: the
 * failed event must leave it exactly as a twin that never failed, and
 * the event must then go in. Every allocation point of growth is met. */
static void growth_is_failure_atomic(void **state)
{
	(void)state;
	struct test_alloc ta = {0}, tr = {0};
	kith_community *c = test_community_new(&ta), *twin = test_community_new(&tr);
	const int members = 3000, messages = 6000;
	int failures = 0;
	for (int i = 0; i < members + messages; i++) {
		struct small_text s;
		kith_event ev = small_event(i, members, &s);
		ta.fail_at = ta.calls + 1;
		kith_status st = kith_community_ingest(c, &ev);
		ta.fail_at = 0;
		if (st != KITH_OK) {
			assert_int_equal(st, KITH_ENOMEM);
			failures++;
			test_assert_same_snapshot(c, twin);
			assert_int_equal(kith_community_ingest(c, &ev), KITH_OK);
		}
		assert_int_equal(kith_community_ingest(twin, &ev), KITH_OK);
	}
	test_assert_same_snapshot(c, twin);
	printf("# %d allocation points of growth failed and changed nothing\n", failures);
	assert_true(failures > 10);
	kith_community_free(twin);
	kith_community_free(c);
	assert_int_equal(ta.live_bytes, 0);
	assert_int_equal(tr.live_bytes, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(empty_community),
		cmocka_unit_test(small_community),
		cmocka_unit_test(large_community_per_member),
		cmocka_unit_test(growth_is_failure_atomic),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
