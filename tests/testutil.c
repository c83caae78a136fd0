/* Helpers shared by the cmocka suites. SPDX-License-Identifier: MIT */
#include "testutil.h"
#include "membuf.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

void *test_alloc_fn(void *ptr, size_t old_size, size_t new_size, void *payload)
{
	struct test_alloc *ta = payload;
	if (new_size == 0) {
		if (ptr) {
			ta->live_bytes -= (int64_t)old_size;
			ta->live_blocks--;
		}
		free(ptr);
		return NULL;
	}
	ta->calls++;
	if (ta->fail_at && ta->calls == ta->fail_at)
		return NULL;
	void *p = realloc(ptr, new_size);
	if (!p)
		return NULL;
	if (!ptr)
		ta->live_blocks++;
	ta->live_bytes += (int64_t)new_size - (int64_t)(ptr ? old_size : 0);
	if (ta->live_bytes > ta->peak_bytes)
		ta->peak_bytes = ta->live_bytes;
	return p;
}

kith_community *test_community_new(struct test_alloc *ta)
{
	kith_community *c = NULL;
	kith_status st = ta ? kith_community_new_with_allocator(&c, test_alloc_fn, ta)
	                    : kith_community_new(&c);
	assert_int_equal(st, KITH_OK);
	assert_non_null(c);
	return c;
}

void test_join(kith_community *c, int64_t t, const char *id, const char *by)
{
	kith_event ev = KITH_EVENT_INIT;
	ev.type = KITH_EVENT_JOIN;
	ev.time_ms = t;
	ev.actor = id;
	ev.actor_len = KITH_NUL_TERMINATED;
	ev.by = by;
	ev.by_len = KITH_NUL_TERMINATED;
	kith_status st = kith_community_ingest(c, &ev);
	if (st != KITH_OK)
		fail_msg("join %s: %s", id, kith_community_last_error(c));
}

void test_msg(kith_community *c, int64_t t, const char *id, const char *msg_id, kith_kind kind,
              const char *reply_to, const char *to, const char *tags, const char *text)
{
	kith_event ev = KITH_EVENT_INIT;
	ev.type = KITH_EVENT_MESSAGE;
	ev.time_ms = t;
	ev.actor = id;
	ev.actor_len = KITH_NUL_TERMINATED;
	ev.msg_id = msg_id;
	ev.msg_id_len = KITH_NUL_TERMINATED;
	ev.kind = (uint32_t)kind;
	ev.reply_to = reply_to;
	ev.reply_to_len = KITH_NUL_TERMINATED;
	ev.to = to;
	ev.to_len = KITH_NUL_TERMINATED;
	ev.tags = tags;
	ev.tags_len = KITH_NUL_TERMINATED;
	ev.text = text;
	ev.text_len = KITH_NUL_TERMINATED;
	kith_status st = kith_community_ingest(c, &ev);
	if (st != KITH_OK)
		fail_msg("msg %s: %s", id, kith_community_last_error(c));
}

kith_status test_line(kith_community *c, const char *line)
{
	return kith_community_ingest_trace_line(c, line, strlen(line), 1);
}

char *test_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	for (;;) {
		if (n + 1 >= cap) {
			cap *= 2;
			char *nb = realloc(buf, cap);
			assert_non_null(nb);
			buf = nb;
		}
		size_t got = fread(buf + n, 1, cap - n - 1, f);
		if (got == 0)
			break;
		n += got;
	}
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

int64_t test_stat(kith_community *c, const char *id, kith_stat stat)
{
	uint32_t h;
	if (kith_community_find_member(c, id, KITH_NUL_TERMINATED, &h) != KITH_OK)
		fail_msg("no member %s", id);
	int64_t v = 0;
	assert_int_equal(kith_member_stat(c, h, stat, &v), KITH_OK);
	return v;
}




unsigned char *test_save(const kith_community *c, size_t *len)
{
	struct membuf b = {0};
	assert_int_equal(kith_community_save(c, membuf_write, &b), KITH_OK);
	*len = b.len;
	return b.data;
}

void test_assert_same_snapshot(const kith_community *a, const kith_community *b)
{
	size_t la, lb, at = 0;
	unsigned char *sa = test_save(a, &la);
	unsigned char *sb = test_save(b, &lb);
	while (at < la && at < lb && sa[at] == sb[at])
		at++;
	bool same = la == lb && at == la;
	free(sa);
	free(sb);
	if (!same)
		fail_msg("snapshots of %zu and %zu bytes differ from byte %zu", la, lb, at);
}

kith_status test_load(kith_community *c, const unsigned char *buf, size_t len)
{
	struct membuf b = {(unsigned char *)buf, len, len, 0};
	return kith_community_load(c, membuf_read, &b);
}

int test_each_allocation_fails(kith_community *c, struct test_alloc *ta, int64_t now,
                               const struct test_engine *e, const char *want)
{
	int failures = 0;
	for (uint64_t k = 1;; k++) {
		int64_t live = ta->live_bytes;
		ta->fail_at = ta->calls + k;
		void *out = &out; /* must come back NULL on failure */
		kith_status st = e->make(c, now, &out);
		ta->fail_at = 0;
		if (st == KITH_OK) {
			char *got = e->render(out);
			assert_string_equal(got, want);
			free(got);
			e->release(out);
			assert_int_equal(ta->live_bytes, live);
			return failures;
		}
		assert_int_equal(st, KITH_ENOMEM);
		assert_null(out);
		assert_int_equal(ta->live_bytes, live);
		assert_non_null(strstr(kith_community_last_error(c), "out of memory"));
		failures++;
		assert_true(k < 1000);
	}
}
