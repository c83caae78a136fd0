/*
 * The texts kept for the digest: a store of records in sequence order
 * and their bytes, both growing with use (model/kept-texts.h says what is
 * kept and why).
 *
 * SPDX-License-Identifier: MIT
 */
#include "model/kept-texts.h"

#include "util/memory.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct kith_kept_texts *kith_kept_texts_new(const struct kith_mem *mem, uint32_t max)
{
	struct kith_kept_texts *k = kith_mem_alloc(mem, sizeof *k);
	if (k) {
		memset(k, 0, sizeof *k);
		k->max = max;
	}
	return k;
}

void kith_kept_texts_free(const struct kith_mem *mem, struct kith_kept_texts *k)
{
	if (!k)
		return;
	kith_mem_free(mem, k->rec, k->cap * sizeof *k->rec);
	kith_mem_free(mem, k->bytes, k->bytes_cap);
	kith_mem_free(mem, k, sizeof *k);
}

void kith_kept_texts_clear(struct kith_kept_texts *k)
{
	k->count = 0;
	k->used = 0;
	k->any_day = false;
}

/* How many bytes of a text of n bytes are kept: at most max, and never
 * the first part of a UTF-8 character the limit would split (the cut
 * backs up over its continuation bytes; a text that is not UTF-8 there
 * is cut at max). */
static size_t kept_len(const struct kith_kept_texts *k, const char *text, size_t n)
{
	if (n <= k->max)
		return n;
	size_t cut = k->max;
	for (int back = 0; back < 4; back++) {
		if (((unsigned char)text[cut - (size_t)back] & 0xC0) != 0x80)
			return cut - (size_t)back;
		if (cut - (size_t)back == 0)
			break;
	}
	return cut;
}

/* The first record whose sequence is at least seq (count when none). */
static size_t first_at_least(const struct kith_kept_texts *k, uint64_t seq)
{
	size_t lo = 0, hi = k->count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (k->rec[mid].seq < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Drop the records of messages the ledger no longer holds: the oldest,
 * so a prefix of records and of bytes. */
static void drop_before(struct kith_kept_texts *k, uint64_t first_seq)
{
	size_t d = first_at_least(k, first_seq);
	if (d == 0)
		return;
	size_t shift = d < k->count ? k->rec[d].off : k->used;
	memmove(k->rec, k->rec + d, (k->count - d) * sizeof *k->rec);
	k->count -= d;
	memmove(k->bytes, k->bytes + shift, k->used - shift);
	k->used -= shift;
	for (size_t i = 0; i < k->count; i++)
		k->rec[i].off -= (uint32_t)shift;
}

bool kith_kept_texts_reserve(const struct kith_mem *mem, struct kith_kept_texts *k, int64_t day,
                             size_t n, uint64_t first_seq)
{
	size_t len = n < k->max ? n : k->max;
	size_t need_rec = 1, need_bytes = len;
	if (k->any_day && day == k->day) {
		need_rec = k->count + 1;
		need_bytes = k->used + len;
		if (need_rec > k->cap || need_bytes > k->bytes_cap) {
			/* Full: make room from the records the ledger has let go,
			 * and grow unless that left a third free, so that a store
			 * kept full by eviction is not compacted at every message. */
			drop_before(k, first_seq);
			need_rec = (k->count + 1) + (k->count + 1) / 2;
			need_bytes = (k->used + len) + (k->used + len) / 2;
		}
	}
	/* Offsets are 32-bit: a store is at most the ledger's messages of a
	 * day, KITH_KEPT_TEXT_MAX bytes each, far below 4 GiB. */
	if (need_bytes > UINT32_MAX)
		return false;
	return kith_mem_grow(mem, (void **)&k->rec, &k->cap, need_rec, sizeof *k->rec) &&
	       kith_mem_grow(mem, (void **)&k->bytes, &k->bytes_cap, need_bytes, 1);
}

void kith_kept_texts_add(struct kith_kept_texts *k, int64_t day, uint64_t seq, const char *text,
                         size_t n)
{
	if (!k->any_day || day != k->day) {
		/* The digest is of the latest message's day: the other days'
		 * texts can no longer be asked for. */
		kith_kept_texts_clear(k);
		k->any_day = true;
		k->day = day;
	}
	size_t len = kept_len(k, text, n);
	struct kith_kept_text *r = &k->rec[k->count++];
	r->seq = seq;
	r->off = (uint32_t)k->used;
	r->len = (uint32_t)len;
	if (len)
		memcpy(k->bytes + k->used, text, len);
	k->used += len;
}

bool kith_kept_texts_find(const struct kith_kept_texts *k, uint64_t seq, const char **text,
                          size_t *n)
{
	size_t i = first_at_least(k, seq);
	if (i == k->count || k->rec[i].seq != seq)
		return false;
	*text = k->bytes + k->rec[i].off;
	*n = k->rec[i].len;
	return true;
}

void kith_kept_texts_erase(struct kith_kept_texts *k, uint64_t seq)
{
	size_t i = first_at_least(k, seq);
	if (i == k->count || k->rec[i].seq != seq)
		return;
	/* The bytes stay until the record is dropped, but hold no trace of
	 * what the deleted message said. */
	memset(k->bytes + k->rec[i].off, 0, k->rec[i].len);
	k->rec[i].len = 0;
}
