/* Helpers shared by the cmocka suites. SPDX-License-Identifier: MIT */
#ifndef KITH_TESTUTIL_H
#define KITH_TESTUTIL_H

#include <kith.h>
#include <stddef.h>
#include <stdint.h>

/* A counting allocator that can be told to fail the Nth allocation
 * (1-based; 0 = never). Resizes count as allocations. */
struct test_alloc {
	uint64_t calls;     /* allocations and resizes attempted */
	uint64_t fail_at;   /* fail this call (1-based), 0 = never */
	int64_t live_bytes; /* bytes currently allocated */
	int64_t live_blocks;
	int64_t peak_bytes;
};
void *test_alloc_fn(void *ptr, size_t old_size, size_t new_size, void *payload);

/* A community with the test allocator; asserts on failure. */
kith_community *test_community_new(struct test_alloc *ta);

/* Ingest helpers: assert that the event applies. */
void test_join(kith_community *c, int64_t t, const char *id, const char *by);
void test_msg(kith_community *c, int64_t t, const char *id, const char *msg_id, kith_kind kind,
              const char *reply_to, const char *to, const char *tags, const char *text);
/* Ingest one trace line; returns its status (no assertion). */
kith_status test_line(kith_community *c, const char *line);

/* Read a whole file into a NUL-terminated malloc'd buffer, or NULL. */
char *test_read_file(const char *path, size_t *len);

/* A stat of a member by id; fails the test when the id is unknown. */
int64_t test_stat(kith_community *c, const char *id, kith_stat stat);

/* Assert that two communities save exactly the same bytes (the failure
 * names the first byte that differs). */
void test_assert_same_snapshot(const kith_community *a, const kith_community *b);
/* Snapshot to a malloc'd buffer (asserts success). */
unsigned char *test_save(const kith_community *c, size_t *len);
/* Load from a buffer; returns the status. */
kith_status test_load(kith_community *c, const unsigned char *buf, size_t len);

/* An engine result made under allocation failure: make(c, now, &out) is
 * called with its Nth allocation failing, for N = 1, 2, ... until it
 * succeeds. Each failure must be KITH_ENOMEM with out NULL and no byte
 * left allocated; the success must render to want. Returns the number of
 * failures (the allocation points met). */
struct test_engine {
	kith_status (*make)(kith_community *c, int64_t now, void **out);
	char *(*render)(const void *out); /* malloc'd text */
	void (*release)(void *out);
};
int test_each_allocation_fails(kith_community *c, struct test_alloc *ta, int64_t now,
                               const struct test_engine *e, const char *want);

#endif
