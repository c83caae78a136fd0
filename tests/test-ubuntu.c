/*
 * Replay the real #ubuntu IRC trace (../shared/data/ubuntu-irc) and check
 * kith's figures against counts made here with a parser of our own that
 * shares no code with the library. Skips when the data is absent.
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

/* ---- an independent model: ids -> member numbers ----------------------- */

struct key {
	char *id; /* NULL: empty slot */
	size_t len;
	uint32_t member;
};

struct model {
	struct key *slots;
	size_t cap; /* power of two */
	size_t used;
	uint32_t members;
	uint8_t *present; /* by member number */
	uint64_t *replies_received;
	size_t member_cap;
	uint64_t messages;
	uint64_t joins; /* join events in the file */
	uint64_t replies;
	uint64_t reply_without_to;
	uint64_t aliases;
	uint64_t events;
};

static uint64_t fnv(const char *s, size_t n)
{
	uint64_t h = UINT64_C(1469598103934665603);
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= UINT64_C(1099511628211);
	}
	return h;
}

static struct key *model_slot(struct model *m, const char *id, size_t n)
{
	size_t i = (size_t)fnv(id, n) & (m->cap - 1);
	while (m->slots[i].id && !(m->slots[i].len == n && memcmp(m->slots[i].id, id, n) == 0))
		i = (i + 1) & (m->cap - 1);
	return &m->slots[i];
}

static void model_grow(struct model *m)
{
	struct key *old = m->slots;
	size_t old_cap = m->cap;
	m->cap = old_cap ? old_cap * 2 : 1024;
	m->slots = calloc(m->cap, sizeof *m->slots);
	assert_non_null(m->slots);
	for (size_t i = 0; i < old_cap; i++)
		if (old[i].id)
			*model_slot(m, old[i].id, old[i].len) = old[i];
	free(old);
}

/* The member an id names, or -1. */
static int64_t model_find(struct model *m, const char *id, size_t n)
{
	if (m->cap == 0)
		return -1;
	struct key *k = model_slot(m, id, n);
	return k->id ? (int64_t)k->member : -1;
}

/* Make id name member (a new key, or a key moved over). */
static void model_bind(struct model *m, const char *id, size_t n, uint32_t member)
{
	if ((m->used + 1) * 2 > m->cap)
		model_grow(m);
	struct key *k = model_slot(m, id, n);
	if (!k->id) {
		k->id = malloc(n + 1);
		assert_non_null(k->id);
		memcpy(k->id, id, n);
		k->len = n;
		m->used++;
	}
	k->member = member;
}

/* The actor's member, created present (an implicit join) when new. */
static uint32_t model_actor(struct model *m, const char *id, size_t n)
{
	int64_t h = model_find(m, id, n);
	if (h >= 0)
		return (uint32_t)h;
	if (m->members == m->member_cap) {
		m->member_cap = m->member_cap ? m->member_cap * 2 : 1024;
		m->present = realloc(m->present, m->member_cap);
		m->replies_received =
		        realloc(m->replies_received, m->member_cap * sizeof(uint64_t));
		assert_non_null(m->present);
		assert_non_null(m->replies_received);
	}
	uint32_t member = m->members++;
	m->present[member] = 1;
	m->replies_received[member] = 0;
	model_bind(m, id, n, member);
	return member;
}

static void model_free(struct model *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->slots[i].id);
	free(m->slots);
	free(m->present);
	free(m->replies_received);
}

/* Undo the trace escapes (\t \n \\) in place; returns the new length. */
static size_t unescape(char *s, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n) {
			i++;
			s[o++] = s[i] == 't' ? '\t' : s[i] == 'n' ? '\n' : s[i];
		} else {
			s[o++] = s[i];
		}
	}
	return o;
}

/* Fields of one line, split in place (the buffer is a private copy). */
#define MAX_FIELDS 16
struct line {
	char *f[MAX_FIELDS];
	size_t n[MAX_FIELDS];
	int count;
};

static const char *field(struct line *l, const char *key, size_t *n)
{
	size_t kn = strlen(key);
	for (int i = 3; i < l->count; i++) {
		if (l->n[i] > kn && memcmp(l->f[i], key, kn) == 0 && l->f[i][kn] == '=') {
			*n = unescape(l->f[i] + kn + 1, l->n[i] - kn - 1);
			return l->f[i] + kn + 1;
		}
	}
	return NULL;
}

static void model_line(struct model *m, char *s, size_t n)
{
	struct line l = {0};
	if (n && s[n - 1] == '\r')
		n--;
	if (n == 0 || s[0] == '#' || (n >= 10 && memcmp(s, "kith-trace", 10) == 0))
		return;
	char *p = s, *end = s + n;
	while (l.count < MAX_FIELDS) {
		char *tab = memchr(p, '\t', (size_t)(end - p));
		l.f[l.count] = p;
		l.n[l.count] = (size_t)((tab ? tab : end) - p);
		l.count++;
		if (!tab)
			break;
		p = tab + 1;
	}
	assert_true(l.count >= 3);
	m->events++;
	const char *type = l.f[1];
	size_t tn = l.n[1];
	size_t an = unescape(l.f[2], l.n[2]);
	uint32_t actor = model_actor(m, l.f[2], an);

	if (tn == 4 && memcmp(type, "join", 4) == 0) {
		m->joins++;
		m->present[actor] = 1;
	} else if (tn == 5 && memcmp(type, "leave", 5) == 0) {
		m->present[actor] = 0;
	} else if (tn == 3 && memcmp(type, "msg", 3) == 0) {
		size_t vn;
		m->messages++;
		m->present[actor] = 1; /* an implicit rejoin when absent */
		const char *to = field(&l, "to", &vn);
		if (to) {
			int64_t target = model_find(m, to, vn);
			if (target >= 0 && (uint32_t)target != actor) {
				m->replies++;
				m->replies_received[target]++;
			}
		} else if (field(&l, "reply", &vn)) {
			/* Resolving these needs kith's bounded ledger; the data
			 * has none, and the test asserts so. */
			m->reply_without_to++;
		}
	} else if (tn == 5 && memcmp(type, "alias", 5) == 0) {
		size_t vn;
		const char *nw = field(&l, "new", &vn);
		assert_non_null(nw);
		m->aliases++;
		model_bind(m, nw, vn, actor);
	} else {
		fail_msg("the ubuntu trace holds an event type this test does not model: %.*s",
		         (int)tn, type);
	}
}

static void ubuntu_replay(void **state)
{
	(void)state;
	const char *dir = getenv("KITH_SHARED_DATA");
	char path[4096];
	size_t len = 0;
	snprintf(path, sizeof path, "%s/ubuntu-irc/ubuntu.trace", dir ? dir : "../shared/data");
	char *buf = test_read_file(path, &len);
	if (!buf) {
		print_message("no %s: skipped\n", path);
		skip();
		return;
	}

	/* Count independently on a private copy (our parser edits in place). */
	char *copy = malloc(len + 1);
	assert_non_null(copy);
	memcpy(copy, buf, len + 1);
	struct model m = {0};
	uint64_t lines = 0;
	for (char *p = copy, *end = copy + len; p < end;) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *eol = nl ? nl : end;
		model_line(&m, p, (size_t)(eol - p));
		lines++;
		p = nl ? nl + 1 : end;
	}
	free(copy);
	assert_int_equal(m.reply_without_to, 0);
	/* The data README's figures, as a check on our own parser. */
	assert_int_equal(m.messages, 223072);
	assert_int_equal(m.joins, 16835);
	assert_int_equal(m.aliases, 5104);
	assert_int_equal(m.events, 247689);
	size_t present = 0;
	for (uint32_t i = 0; i < m.members; i++)
		present += m.present[i];
	print_message("counted: %u members, %zu present, %llu messages, %llu joins, %llu aliases, "
	              "%llu replies\n",
	              m.members, present, (unsigned long long)m.messages,
	              (unsigned long long)m.joins, (unsigned long long)m.aliases,
	              (unsigned long long)m.replies);

	kith_community *c = test_community_new(NULL);
	uint64_t done = 0;
	kith_status st = kith_community_ingest_trace(c, buf, len, &done);
	if (st != KITH_OK)
		fail_msg("ingest: %s", kith_community_last_error(c));
	assert_int_equal(done, lines);

	assert_int_equal(kith_community_member_count(c), m.members);
	assert_int_equal(kith_community_message_count(c), m.messages);

	assert_int_equal(kith_community_present_count(c), present);

	int64_t messages = 0, given = 0, received = 0, v;
	for (uint32_t h = 0; h < (uint32_t)kith_community_member_count(c); h++) {
		assert_int_equal(kith_member_stat(c, h, KITH_STAT_MESSAGES, &v), KITH_OK);
		messages += v;
		assert_int_equal(kith_member_stat(c, h, KITH_STAT_REPLIES_GIVEN, &v), KITH_OK);
		given += v;
		assert_int_equal(kith_member_stat(c, h, KITH_STAT_REPLIES_RECEIVED, &v), KITH_OK);
		received += v;
	}
	assert_int_equal(messages, (int64_t)m.messages);
	assert_int_equal(given, (int64_t)m.replies);
	assert_int_equal(received, (int64_t)m.replies);

	/* Members are numbered in the order they were first seen, so member
	 * by member the replies received must agree too. */
	for (uint32_t h = 0; h < m.members; h++) {
		assert_int_equal(kith_member_stat(c, h, KITH_STAT_REPLIES_RECEIVED, &v), KITH_OK);
		if ((uint64_t)v != m.replies_received[h]) {
			size_t idn;
			const char *id = kith_member_id(c, h, &idn);
			fail_msg("member %u (%.*s): %lld replies received, expected %llu", h,
			         (int)idn, id, (long long)v,
			         (unsigned long long)m.replies_received[h]);
		}
	}

	kith_community_free(c);
	model_free(&m);
	free(buf);
}

int main(void)
{
	/* Without the shared data there is nothing to check: meson's skip. */
	const char *dir = getenv("KITH_SHARED_DATA");
	char path[4096];
	snprintf(path, sizeof path, "%s/ubuntu-irc/ubuntu.trace", dir ? dir : "../shared/data");
	FILE *f = fopen(path, "rb");
	if (!f) {
		printf("no %s: skipped\n", path);
		return 77;
	}
	fclose(f);
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(ubuntu_replay),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
