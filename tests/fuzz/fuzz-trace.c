/*
 * libFuzzer target for the kith-trace 1 reader: any input either ingests
 * or fails on one line, and on failure the community holds exactly the
 * effect of the lines before it.
 *
 * SPDX-License-Identifier: MIT
 */
#include <kith.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct snap {
	unsigned char *data;
	size_t len, cap;
};

static int snap_write(const void *data, size_t len, void *payload)
{
	struct snap *s = payload;
	if (s->len + len > s->cap) {
		size_t cap = s->cap ? s->cap : 4096;
		while (cap < s->len + len)
			cap *= 2;
		unsigned char *nd = realloc(s->data, cap);
		if (!nd)
			return -1;
		s->data = nd;
		s->cap = cap;
	}
	memcpy(s->data + s->len, data, len);
	s->len += len;
	return 0;
}

/* Bytes of the first `lines` lines of data (their terminators included). */
static size_t prefix_len(const uint8_t *data, size_t size, uint64_t lines)
{
	size_t off = 0;
	while (lines > 0) {
		const uint8_t *nl = memchr(data + off, '\n', size - off);
		if (!nl)
			abort(); /* lines_done counted a line that is not complete */
		off = (size_t)(nl - data) + 1;
		lines--;
	}
	return off;
}

static void check_same(const kith_community *a, const kith_community *b)
{
	size_t members = kith_community_member_count(a);
	if (members != kith_community_member_count(b) ||
	    kith_community_present_count(a) != kith_community_present_count(b) ||
	    kith_community_message_count(a) != kith_community_message_count(b) ||
	    kith_community_last_event_ms(a) != kith_community_last_event_ms(b) ||
	    kith_community_edge_count(a) != kith_community_edge_count(b) ||
	    kith_community_role_count(a) != kith_community_role_count(b))
		abort();
	for (uint32_t h = 0; h < members; h++) {
		for (int st = KITH_STAT_PRESENT; st <= KITH_STAT_LAST_VIOLATION_MS; st++) {
			int64_t va = 0, vb = 0;
			kith_status sa = kith_member_stat(a, h, (kith_stat)st, &va);
			kith_status sb = kith_member_stat(b, h, (kith_stat)st, &vb);
			if (sa != sb || va != vb)
				abort();
		}
	}
	/* The strongest check: identical snapshots, when saving works. */
	struct snap sa = {0}, sb = {0};
	if (kith_community_save(a, snap_write, &sa) == KITH_OK &&
	    kith_community_save(b, snap_write, &sb) == KITH_OK &&
	    (sa.len != sb.len || memcmp(sa.data, sb.data, sa.len) != 0))
		abort();
	free(sa.data);
	free(sb.data);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	kith_community *c = NULL, *ref = NULL;
	uint64_t done = 0, ref_done = 0;
	char expect[64];

	if (kith_community_new(&c) != KITH_OK)
		return 0;
	kith_status st = kith_community_ingest_trace(c, (const char *)data, size, &done);
	if (st != KITH_OK) {
		/* The error names the failing line. */
		int n = snprintf(expect, sizeof expect, "line %llu", (unsigned long long)done + 1);
		const char *err = kith_community_last_error(c);
		if (strncmp(err, expect, (size_t)n) != 0 || (err[n] != ',' && err[n] != ':'))
			abort();
		if (st == KITH_ESYNTAX && err[n] != ',')
			abort(); /* syntax errors carry a column */

		/* The same lines without the bad one give the same community. */
		size_t off = prefix_len(data, size, done);
		if (kith_community_new(&ref) != KITH_OK)
			abort();
		if (kith_community_ingest_trace(ref, (const char *)data, off, &ref_done) !=
		            KITH_OK ||
		    ref_done != done)
			abort();
		check_same(c, ref);
		kith_community_free(ref);
	}
	kith_community_free(c);
	return 0;
}
