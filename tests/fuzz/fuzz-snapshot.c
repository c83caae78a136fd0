/*
 * libFuzzer target for the snapshot loader. Any input either loads or
 * fails with KITH_ECORRUPT or KITH_EVERSION, leaving the target community
 * byte for byte as it was. Each input is tried twice: as given, and with
 * every section's checksum recomputed, so that the fuzzer reaches the
 * validation behind the checksums. A snapshot that loads must save back
 * to exactly the bytes it was loaded from (the format has one encoding of
 * each model), but for the digest, which is worked out again, and for a
 * version 1 snapshot, which saves as version 2; then the saved bytes must
 * load and save back to themselves. The loaded community must take
 * further events.
 *
 * SPDX-License-Identifier: MIT
 */
#include <kith.h>

#include "../membuf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);



/* Serve the input in uneven pieces, as a socket or a pipe would. */
static ptrdiff_t buf_read(void *dst, size_t len, void *payload)
{
	struct membuf *b = payload;
	size_t n = b->len - b->pos;
	size_t piece = 1 + (b->pos * 7919) % 4099;
	if (n > len)
		n = len;
	if (n > piece)
		n = piece;
	if (n)
		memcpy(dst, b->data + b->pos, n);
	b->pos += n;
	return (ptrdiff_t)n;
}

static struct membuf save(const kith_community *c)
{
	struct membuf b = {0};
	if (kith_community_save(c, membuf_write, &b) != KITH_OK)
		abort();
	return b;
}

/* CRC-32C, bit by bit (the library's own is sliced; this one is the
 * reference). */
static uint32_t crc32c(const unsigned char *p, size_t n)
{
	uint32_t crc = 0xffffffffu;
	for (size_t i = 0; i < n; i++) {
		crc ^= p[i];
		for (int b = 0; b < 8; b++)
			crc = crc & 1 ? (crc >> 1) ^ 0x82f63b78u : crc >> 1;
	}
	return ~crc;
}

static uint64_t rd64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* Recompute the checksum of every complete section. */
static void fix_checksums(unsigned char *p, size_t len)
{
	size_t at = 16;
	while (at + 12 <= len) {
		uint64_t n = rd64(p + at + 4);
		if (n > len || at + 12 + n + 4 > len)
			return;
		uint32_t crc = crc32c(p + at, 12 + (size_t)n);
		for (int i = 0; i < 4; i++)
			p[at + 12 + n + (size_t)i] = (unsigned char)(crc >> (8 * i));
		at += 12 + (size_t)n + 4;
	}
}

static void line(kith_community *c, const char *text)
{
	/* Errors are fine (the loaded model may make an event invalid, e.g.
	 * by time order); crashes and sanitizer reports are not. */
	kith_community_ingest_trace_line(c, text, strlen(text), 1);
}

/* Poke at a loaded community through the public API. */
static void exercise(kith_community *c)
{
	size_t members = kith_community_member_count(c);
	int64_t now = kith_community_last_event_ms(c);
	if (now == KITH_TIME_NONE)
		now = 0;
	for (uint32_t h = 0; h < members && h < 64; h++) {
		int64_t v;
		uint32_t days;
		double score;
		size_t len;
		for (int st = KITH_STAT_PRESENT; st <= KITH_STAT_LAST_VIOLATION_MS; st++)
			kith_member_stat(c, h, (kith_stat)st, &v);
		kith_member_active_days(c, h, now, 30, &days);
		kith_member_score(c, h, now, &score);
		const char *id = kith_member_id(c, h, &len);
		uint32_t back;
		if (!id || kith_community_find_member(c, id, len, &back) != KITH_OK)
			abort(); /* a member's first id names someone */
		kith_member_display_name(c, h, &len);
	}
	for (size_t i = 0; i < kith_community_digest_count(c); i++) {
		const char *id;
		size_t len;
		uint32_t author;
		double value;
		if (kith_community_digest_entry(c, i, &id, &len, &author, &value) != KITH_OK)
			abort();
	}
	for (size_t i = 0; i < kith_community_edge_count(c); i++) {
		uint32_t s, t, counts[4];
		if (kith_community_edge(c, i, &s, &t, counts) != KITH_OK)
			abort();
	}
	double value;
	kith_community_message_value(c, "m1", KITH_NUL_TERMINATED, &value);

	/* Further events: the loaded ledger, key table and graph must hold. */
	char ev[256];
	long long t = now > 0 && now < INT64_MAX / 2 ? (long long)now : 0;
	snprintf(ev, sizeof ev, "%lld\tmsg\tfuzz\tid=m1\tkind=text\treply=m1\ttext=hello?", t);
	line(c, ev);
	snprintf(ev, sizeof ev, "%lld\treact\tfuzz\tmsg=m1", t);
	line(c, ev);
	snprintf(ev, sizeof ev, "%lld\talias\tfuzz\tnew=fuzz2", t);
	line(c, ev);
	snprintf(ev, sizeof ev, "%lld\tnick\tfuzz2\tname=Fuzz", t);
	line(c, ev);
	snprintf(ev, sizeof ev, "%lld\tjoin\tfuzz3\tby=fuzz2", t);
	line(c, ev);
	if (members) {
		size_t len;
		const char *id = kith_member_id(c, 0, &len);
		if (id && len < 100) {
			snprintf(ev, sizeof ev, "%lld\tmsg\t%.*s\tid=m2\tkind=photo\tto=fuzz", t, (int)len, id);
			line(c, ev);
		}
	}
}

static uint32_t rd32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Whether `again` (the save after loading `in`) differs from `in` only as
 * permitted: the DIGE section, derived from the ledger, is worked out
 * again whatever `in` held there (the loader checked its form). Every
 * other byte of both streams is the same but the END marker's offset
 * (which the loader checked). Engine settings take no exception: version
 * 2 lists exactly those off their defaults, and one missing is at its
 * default, so it is not written either. */
static int only_permitted_differences(const unsigned char *in, size_t in_len,
                                      const unsigned char *again, size_t again_len)
{
	size_t a = 16, b = 16;
	if (in_len < 16 || memcmp(in, again, 16) != 0)
		return 0;
	while (a + 12 <= in_len && b + 12 <= again_len) {
		uint64_t na = rd64(in + a + 4), nb = rd64(again + b + 4);
		if (na > in_len - a - 16 || nb > again_len - b - 16)
			return 0;
		if (memcmp(in + a, "DIGE", 4) == 0 && memcmp(again + b, "DIGE", 4) == 0) {
			/* derived: any content the loader accepted */
		} else if (memcmp(in + a, "END ", 4) == 0 && memcmp(again + b, "END ", 4) == 0) {
			if (a + 12 + na + 4 != in_len || b + 12 + nb + 4 != again_len)
				return 0;
		} else if (na != nb || memcmp(in + a + 12, again + b + 12, (size_t)na) != 0) {
			return 0;
		}
		a += 12 + (size_t)na + 4;
		b += 12 + (size_t)nb + 4;
	}
	return a == in_len && b == again_len;
}

/* Load one input into a community holding something else. */
static void try_load(const unsigned char *data, size_t size)
{
	kith_community *c = NULL;
	if (kith_community_new(&c) != KITH_OK)
		abort();
	line(c, "1000\tmsg\tresident\tid=r1\tkind=text\ttext=I was here first");
	struct membuf before = save(c);

	struct membuf in = {(unsigned char *)data, size, size, 0};
	kith_status st = kith_community_load(c, buf_read, &in);
	if (st == KITH_OK) {
		/* One encoding per model: saving gives the input back, but for
		 * the derived digest. A version 1 input saves as version 2,
		 * whose fixed point is checked below. */
		struct membuf again = save(c);
		int same = again.len == size && memcmp(again.data, data, size) == 0;
		int version_1 = rd32(data + 8) == 1; /* it loaded: a header was there */
		if (!same && !version_1 &&
		    !only_permitted_differences(data, size, again.data, again.len))
			abort();
		/* And it loads again, and then saving is a fixed point. */
		kith_community *d = NULL;
		if (kith_community_new(&d) != KITH_OK)
			abort();
		again.pos = 0;
		if (kith_community_load(d, buf_read, &again) != KITH_OK)
			abort();
		struct membuf third = save(d);
		if (third.len != again.len || memcmp(third.data, again.data, again.len) != 0)
			abort();
		free(third.data);
		kith_community_free(d);
		free(again.data);
		exercise(c);
	} else {
		if (st != KITH_ECORRUPT && st != KITH_EVERSION)
			abort();
		if (!strstr(kith_community_last_error(c), "byte "))
			abort(); /* the message names where */
		struct membuf after = save(c);
		if (after.len != before.len || memcmp(after.data, before.data, before.len) != 0)
			abort(); /* a failed load changed the community */
		free(after.data);
	}
	free(before.data);
	kith_community_free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	try_load(data, size);
	unsigned char *fixed = malloc(size ? size : 1);
	if (!fixed)
		return 0;
	if (size)
		memcpy(fixed, data, size);
	fix_checksums(fixed, size);
	if (size && memcmp(fixed, data, size) != 0)
		try_load(fixed, size);
	free(fixed);
	return 0;
}
