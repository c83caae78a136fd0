/* Allocation failure injection: fail the Nth allocation of a scenario
 * that touches every growing structure, for every N. The failing call
 * must report KITH_ENOMEM and leave the community answering every query
 * as before it; nothing may leak. SPDX-License-Identifier: MIT */
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

#define T0 INT64_C(1795132800000)
#define STEPS 400

/* The strings of a step's event. */
struct step_text {
	char actor[32], other[32], mid[32], reply[32], name[64];
};

/* Step i of the scenario as an event in *out, its strings in *s; false
 * when step i is a setting (step_setting). */
static bool step_event(int i, struct step_text *s, kith_event *out)
{
	char *actor = s->actor, *other = s->other, *mid = s->mid, *reply = s->reply, *name = s->name;
	snprintf(actor, sizeof s->actor, "member-%d", i % 97);
	snprintf(other, sizeof s->other, "member-%d", (i * 7 + 3) % 97);
	snprintf(mid, sizeof s->mid, "msg-%d", i);
	snprintf(reply, sizeof s->reply, "msg-%d", i > 5 ? i - 5 : 0);
	snprintf(name, sizeof s->name, "City-Trade-Name%d", i);
	kith_event ev = KITH_EVENT_INIT;
	ev.time_ms = T0 + (int64_t)i * 3600000;
	ev.actor = actor;
	ev.actor_len = KITH_NUL_TERMINATED;
	switch (i % 13) {
	case 0:
		ev.type = KITH_EVENT_JOIN;
		ev.by = other;
		ev.by_len = KITH_NUL_TERMINATED;
		break;
	case 1:
	case 2:
	case 3:
		ev.type = KITH_EVENT_MESSAGE;
		ev.msg_id = mid;
		ev.msg_id_len = KITH_NUL_TERMINATED;
		ev.reply_to = reply;
		ev.reply_to_len = KITH_NUL_TERMINATED;
		ev.kind = (uint32_t)(i % KITH_KIND_COUNT);
		ev.text = name;
		ev.text_len = KITH_NUL_TERMINATED;
		ev.tags = "question, growth";
		ev.tags_len = KITH_NUL_TERMINATED;
		break;
	case 4:
		ev.type = KITH_EVENT_REACTION;
		ev.msg_id = reply;
		ev.msg_id_len = KITH_NUL_TERMINATED;
		ev.to = other;
		ev.to_len = KITH_NUL_TERMINATED;
		break;
	case 5:
		ev.type = KITH_EVENT_NICK;
		ev.name = name;
		ev.name_len = KITH_NUL_TERMINATED;
		break;
	case 6:
		ev.type = KITH_EVENT_ALIAS;
		snprintf(name, sizeof s->name, "alias-%d", i);
		ev.name = name;
		ev.name_len = KITH_NUL_TERMINATED;
		break;
	case 7:
		ev.type = i % 2 ? KITH_EVENT_LEAVE : KITH_EVENT_KICK;
		break;
	case 8:
		ev.type = KITH_EVENT_REPORT;
		ev.to = other;
		ev.to_len = KITH_NUL_TERMINATED;
		break;
	case 9:
		ev.type = KITH_EVENT_PURCHASE;
		ev.amount = i;
		break;
	case 10:
		ev.type = KITH_EVENT_ENVELOPE;
		ev.op = i % 2 ? KITH_OP_SEND : KITH_OP_CLAIM;
		break;
	case 11:
		return false;
	default:
		ev.type = KITH_EVENT_ROLE;
		ev.name = i % 2 ? "expert" : "admin";
		ev.name_len = KITH_NUL_TERMINATED;
		ev.op = KITH_OP_ADD;
		break;
	}
	*out = ev;
	return true;
}

/* Step i when it is a setting. */
static kith_status step_setting(kith_community *c, int i)
{
	if (i % 3 == 0)
		return kith_setting_set(c, "ledger.capacity", KITH_NUL_TERMINATED,
		                        i % 2 ? "32" : "64", KITH_NUL_TERMINATED);
	if (i % 3 == 1)
		return kith_setting_set(c, "community.name_format", KITH_NUL_TERMINATED,
		                        i % 2 ? "^City-" : "^[A-Z]", KITH_NUL_TERMINATED);
	char name[64];
	snprintf(name, sizeof name, "role.custom%d.permissions", i % 5);
	return kith_setting_set(c, name, KITH_NUL_TERMINATED, "invite, links", KITH_NUL_TERMINATED);
}

/* Step i of the scenario: an event or a setting, chosen by i. */
static kith_status step(kith_community *c, int i)
{
	struct step_text s;
	kith_event ev;
	if (!step_event(i, &s, &ev))
		return step_setting(c, i);
	return kith_community_ingest(c, &ev);
}

/* Everything the public API can tell about a community, as text. */
static char *describe(const kith_community *c)
{
	size_t cap = 1 << 16, len = 0;
	char *out = malloc(cap);
	assert_non_null(out);
#define ADD(...)                                                                                   \
	do {                                                                                       \
		char line[1200];                                                                   \
		int w = snprintf(line, sizeof line, __VA_ARGS__);                                  \
		while (len + (size_t)w + 1 > cap) {                                                \
			cap *= 2;                                                                  \
			out = realloc(out, cap);                                                   \
			assert_non_null(out);                                                      \
		}                                                                                  \
		memcpy(out + len, line, (size_t)w + 1);                                            \
		len += (size_t)w;                                                                  \
	} while (0)
	ADD("members %zu present %zu messages %llu last %lld ratio %.9g edges %zu digest %zu roles %u\n",
	    kith_community_member_count(c), kith_community_present_count(c),
	    (unsigned long long)kith_community_message_count(c), (long long)kith_community_last_event_ms(c),
	    kith_community_value_ratio(c), kith_community_edge_count(c), kith_community_digest_count(c),
	    (unsigned)kith_community_role_count(c));
	int64_t now = kith_community_last_event_ms(c);
	for (uint32_t h = 0; h < kith_community_member_count(c); h++) {
		char json[1024];
		kith_member_to_json(c, h, now, json, sizeof json, NULL);
		ADD("%s\n", json);
		for (int s = KITH_STAT_PRESENT; s <= KITH_STAT_LAST_VIOLATION_MS; s++) {
			int64_t v = 0;
			kith_member_stat(c, h, (kith_stat)s, &v);
			ADD(" %lld", (long long)v);
		}
		const char *dn = kith_member_display_name(c, h, NULL);
		ADD(" name=%s\n", dn ? dn : "-");
	}
	for (size_t i = 0; i < kith_community_edge_count(c); i++) {
		uint32_t s, t, n[4];
		kith_community_edge(c, i, &s, &t, n);
		ADD("edge %u %u %u %u %u %u\n", s, t, n[0], n[1], n[2], n[3]);
	}
	for (size_t i = 0; i < kith_setting_count(c); i++) {
		const char *name;
		char value[600];
		kith_setting_describe(c, i, &name, NULL, NULL, NULL);
		kith_setting_get(c, name, KITH_NUL_TERMINATED, value, sizeof value, NULL);
		ADD("%s=%s\n", name, value);
	}
	for (int i = 0; i < 400; i++) {
		char id[32];
		double v;
		snprintf(id, sizeof id, "msg-%d", i);
		if (kith_community_message_value(c, id, KITH_NUL_TERMINATED, &v) == KITH_OK)
			ADD("%s=%.9g\n", id, v);
		snprintf(id, sizeof id, "alias-%d", i);
		uint32_t h;
		if (kith_community_find_member(c, id, KITH_NUL_TERMINATED, &h) == KITH_OK)
			ADD("%s->%u\n", id, h);
	}
#undef ADD
	return out;
}

/* The reference: a community taken through n steps by apply, never
 * failing, described before the first and after each. */
static char **reference(int n, kith_status (*apply)(kith_community *c, int i, const void *arg),
                        const void *arg)
{
	char **expect = calloc((size_t)n + 1, sizeof *expect);
	assert_non_null(expect);
	kith_community *ref = test_community_new(NULL);
	expect[0] = describe(ref);
	for (int i = 0; i < n; i++) {
		if (apply(ref, i, arg) != KITH_OK)
			fail_msg("step %d: %s", i, kith_community_last_error(ref));
		expect[i + 1] = describe(ref);
	}
	kith_community_free(ref);
	return expect;
}

static kith_status scenario_step(kith_community *c, int i, const void *arg)
{
	(void)arg;
	return step(c, i);
}

static kith_status event_step(kith_community *c, int i, const void *evs)
{
	return kith_community_ingest(c, (const kith_event *)evs + i);
}

static void every_allocation_may_fail(void **state)
{
	(void)state;
	char **expect = reference(STEPS, scenario_step, NULL);

	uint64_t failures = 0;
	for (uint64_t n = 1;; n++) {
		struct test_alloc ta = {0};
		ta.fail_at = n;
		kith_community *c = NULL;
		kith_status st = kith_community_new_with_allocator(&c, test_alloc_fn, &ta);
		if (st == KITH_ENOMEM) {
			assert_null(c);
			assert_int_equal(ta.live_bytes, 0);
			failures++;
			continue;
		}
		assert_int_equal(st, KITH_OK);
		int failed_at = -1;
		for (int i = 0; i < STEPS; i++) {
			st = step(c, i);
			if (st == KITH_OK)
				continue;
			assert_int_equal(st, KITH_ENOMEM);
			failed_at = i;
			char *now = describe(c);
			if (strcmp(now, expect[i]) != 0)
				fail_msg("allocation %llu failed in step %d and changed the community",
				         (unsigned long long)n, i);
			free(now);
			/* the same step succeeds once memory is back */
			ta.fail_at = 0;
			assert_int_equal(step(c, i), KITH_OK);
		}
		char *end = describe(c);
		assert_string_equal(end, expect[STEPS]);
		free(end);
		kith_community_free(c);
		assert_int_equal(ta.live_bytes, 0);
		assert_int_equal(ta.live_blocks, 0);
		if (failed_at < 0 && ta.calls < n)
			break; /* the scenario made fewer than n allocations: all covered */
		failures++;
	}
	print_message("%llu allocation points failed and recovered\n", (unsigned long long)failures);
	assert_true(failures > 20);
	for (int i = 0; i <= STEPS; i++)
		free(expect[i]);
	free(expect);
}

/* The scenario's events (its settings left out) in batches of BATCH
 * through kith_community_ingest_array, failing the Nth allocation for
 * every N: the batch reports KITH_ENOMEM and how many of its events went
 * in, and the community is exactly the reference after those events,
 * interactions included (a batch counts them in bulk at its end). */
#define BATCH 37

static void every_allocation_in_a_batch_may_fail(void **state)
{
	(void)state;
	struct step_text *text = calloc(STEPS, sizeof *text);
	kith_event *evs = calloc(STEPS, sizeof *evs);
	int n_evs = 0;
	for (int i = 0; i < STEPS; i++)
		if (step_event(i, &text[n_evs], &evs[n_evs]))
			n_evs++;
	char **expect = reference(n_evs, event_step, evs);

	uint64_t failures = 0;
	for (uint64_t n = 1;; n++) {
		struct test_alloc ta = {0};
		ta.fail_at = n;
		kith_community *c = NULL;
		if (kith_community_new_with_allocator(&c, test_alloc_fn, &ta) == KITH_ENOMEM)
			continue;
		bool failed = false;
		for (int at = 0; at < n_evs;) {
			size_t count = n_evs - at < BATCH ? (size_t)(n_evs - at) : BATCH, done = 0;
			kith_status st = kith_community_ingest_array(c, evs + at, count, &done);
			at += (int)done;
			if (st == KITH_OK)
				continue;
			assert_int_equal(st, KITH_ENOMEM);
			failed = true;
			char *now = describe(c);
			if (strcmp(now, expect[at]) != 0)
				fail_msg("allocation %llu failed at event %d and the community is not as "
				         "after the events before it",
				         (unsigned long long)n, at);
			free(now);
			ta.fail_at = 0;
		}
		char *end = describe(c);
		assert_string_equal(end, expect[n_evs]);
		free(end);
		kith_community_free(c);
		assert_int_equal(ta.live_bytes, 0);
		if (!failed && ta.calls < n)
			break;
		failures++;
	}
	print_message("%llu allocation points failed and recovered in batches\n",
	              (unsigned long long)failures);
	assert_true(failures > 20);
	for (int i = 0; i <= n_evs; i++)
		free(expect[i]);
	free(expect);
	free(evs);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_allocation_may_fail),
		cmocka_unit_test(every_allocation_in_a_batch_may_fail),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
