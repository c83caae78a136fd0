/*
 * The ledger: a bounded FIFO of the most recent messages, so that a reply
 * or a reaction arriving later can find the message it engages with and
 * credit its author, and so that a repeated text can be recognised.
 * ledger.capacity bounds it; below that it grows with the messages it
 * holds (a quarter more at a time), so a quiet community pays for few.
 *
 * SPDX-License-Identifier: MIT
 */
#include "model/ledger.h"

#include "util/memory.h"

/* The entries, the id ring and the hash chains are in ledger.h,
 * with the lookups and the push ingest inlines. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Average id bytes budgeted per entry at the maximum; ids are bounded by
 * KITH_ID_MAX, so the ring is never smaller than a few of the longest. */
#define LEDGER_ID_BYTES_PER_ENTRY 48u
/* The first allocation of entries, and the least step a growth takes. */
#define LEDGER_STEP 16u

static uint32_t ids_capacity(uint32_t max)
{
	uint32_t want = max * LEDGER_ID_BYTES_PER_ENTRY, n = 4u * KITH_ID_MAX;
	while (n < want)
		n *= 2; /* a power of two: positions wrap with a mask */
	return n;
}

static uint32_t pow2_at_least(uint32_t x)
{
	uint32_t n = 1;
	while (n < x)
		n *= 2;
	return n;
}

/* Buckets for cap entries: at most eight entries a bucket while growing,
 * and at the maximum half an entry a bucket (the chains of a busy
 * community stay short). */
static uint32_t bucket_count(uint32_t cap, uint32_t max)
{
	return cap == max ? pow2_at_least(2 * max) : pow2_at_least(cap / 8 > 0 ? cap / 8 : 1);
}

void kith_ledger_init(struct kith_ledger *l, uint32_t max)
{
	memset(l, 0, sizeof *l);
	l->max = max;
	l->ids_max = ids_capacity(max);
}

void kith_ledger_fini(const struct kith_mem *mem, struct kith_ledger *l)
{
	kith_mem_free(mem, l->entries, (size_t)l->cap * sizeof *l->entries);
	kith_mem_free(mem, l->ids, l->ids_cap);
	kith_mem_free(mem, l->id_chains, (size_t)l->buckets * sizeof *l->id_chains);
	kith_mem_free(mem, l->text_chains, (size_t)l->buckets * sizeof *l->text_chains);
	memset(l, 0, sizeof *l);
}

struct kith_ledger_entry *kith_ledger_at_seq(const struct kith_ledger *l, uint64_t seq)
{
	if (seq < kith_ledger_first_seq(l) || seq >= l->pushed)
		return NULL;
	return kith_ledger_entry_of(l, seq);
}

/* Thread every entry held onto chains of `buckets` buckets, oldest first,
 * so that each chain runs newest first as pushes leave it. An entry keeps
 * too few bits of its id's hash to pick a bucket, so the id is hashed
 * again (from l->ids, which growth has already moved). */
static void chains_build(struct kith_ledger *l, uint64_t *id_chains, uint64_t *text_chains,
                         uint32_t buckets)
{
	uint64_t first = kith_ledger_first_seq(l);
	for (uint32_t i = 0; i < l->count; i++) {
		struct kith_ledger_entry *e = kith_ledger_oldest(l, i);
		uint64_t link = first + i + 1;
		e->next_id = 0;
		if (e->id_len) {
			uint64_t key = kith_hash_id(kith_ledger_id(l, e), e->id_len);
			uint64_t *chain = &id_chains[(uint32_t)(key >> 32) & (buckets - 1)];
			e->next_id = kith_ledger_link_back(link, *chain);
			*chain = link;
		}
		e->next_text = 0;
		if (e->text_hash) {
			uint64_t *chain = &text_chains[(uint32_t)(e->text_hash >> 32) & (buckets - 1)];
			e->next_text = kith_ledger_link_back(link, *chain);
			*chain = link;
		}
	}
}

/* Move to cap entries and an id ring of ids_cap bytes (neither less than
 * the ledger has), with the buckets that go with cap; false (and l
 * untouched) on allocation failure. */
static bool ledger_regrow(const struct kith_mem *mem, struct kith_ledger *l, uint32_t cap,
                          uint32_t ids_cap)
{
	uint32_t buckets = bucket_count(cap, l->max);
	if (buckets < l->buckets)
		buckets = l->buckets;

	struct kith_ledger_entry *entries = l->entries;
	char *ids = l->ids;
	uint64_t *id_chains = l->id_chains, *text_chains = l->text_chains;
	if (cap != l->cap)
		entries = kith_mem_alloc_array(mem, cap, sizeof *entries);
	if (ids_cap != l->ids_cap)
		ids = kith_mem_alloc(mem, ids_cap);
	if (buckets != l->buckets) {
		id_chains = kith_mem_calloc(mem, buckets, sizeof *id_chains);
		text_chains = kith_mem_calloc(mem, buckets, sizeof *text_chains);
	}
	if (!entries || !ids || !id_chains || !text_chains) {
		if (entries != l->entries)
			kith_mem_free(mem, entries, (size_t)cap * sizeof *entries);
		if (ids != l->ids)
			kith_mem_free(mem, ids, ids_cap);
		if (id_chains != l->id_chains)
			kith_mem_free(mem, id_chains, (size_t)buckets * sizeof *id_chains);
		if (text_chains != l->text_chains)
			kith_mem_free(mem, text_chains, (size_t)buckets * sizeof *text_chains);
		return false;
	}
	/* Nothing can fail from here on. */
	if (ids != l->ids) {
		for (uint32_t i = 0; i < l->count; i++) {
			const struct kith_ledger_entry *e = kith_ledger_oldest(l, i);
			memcpy(ids + (e->id_pos & (ids_cap - 1)), kith_ledger_id(l, e), e->id_len);
		}
		kith_mem_free(mem, l->ids, l->ids_cap);
		l->ids = ids;
		l->ids_cap = ids_cap;
	}
	if (entries != l->entries) {
		for (uint32_t i = 0; i < l->count; i++)
			entries[i] = *kith_ledger_oldest(l, i);
		kith_mem_free(mem, l->entries, (size_t)l->cap * sizeof *l->entries);
		l->entries = entries;
		l->cap = cap;
		l->head = 0;
	}
	if (id_chains != l->id_chains) {
		chains_build(l, id_chains, text_chains, buckets);
		kith_mem_free(mem, l->id_chains, (size_t)l->buckets * sizeof *l->id_chains);
		kith_mem_free(mem, l->text_chains, (size_t)l->buckets * sizeof *l->text_chains);
		l->id_chains = id_chains;
		l->text_chains = text_chains;
		l->buckets = buckets;
	}
	l->push_limit = l->cap == l->max ? UINT64_MAX : l->pushed + (l->cap - l->count);
	l->ids_limit = l->ids_cap == l->ids_max
	                   ? UINT64_MAX
	                   : (l->count ? kith_ledger_pos(l, kith_ledger_oldest(l, 0)) : l->ids_end) +
	                         l->ids_cap;
	return true;
}

/* The entries' next size: a quarter more (at least LEDGER_STEP), so a
 * small ledger wastes little, and the maximum once that is less than a
 * step away. */
static uint32_t next_cap(const struct kith_ledger *l)
{
	uint32_t step = l->cap / 4 > LEDGER_STEP ? l->cap / 4 : LEDGER_STEP;
	return l->max - l->cap < step ? l->max : l->cap + step;
}

bool kith_ledger_grow(const struct kith_mem *mem, struct kith_ledger *l, size_t n)
{
	/* Entries: see next_cap; sequences and links stay as they are. */
	uint32_t cap = l->cap;
	if (l->count == cap && cap < l->max)
		cap = next_cap(l);
	/* Id bytes: the ring doubles while the next id might evict one (an id
	 * and the skip before it take less than 2n bytes: the bound
	 * kith_ledger_reserve checks). */
	uint32_t ids_cap = l->ids_cap ? l->ids_cap : KITH_LEDGER_ID_BLOCK;
	uint64_t from = l->count ? kith_ledger_pos(l, kith_ledger_oldest(l, 0)) : l->ids_end;
	uint64_t need = l->ids_end + 2 * n - from;
	while (need > ids_cap && ids_cap < l->ids_max)
		ids_cap *= 2;
	return ledger_regrow(mem, l, cap, ids_cap);
}

bool kith_ledger_expect(const struct kith_mem *mem, struct kith_ledger *l, uint32_t more)
{
	uint32_t cap = more < l->max - l->count ? l->count + more : l->max;
	if (cap <= l->cap)
		return true;
	/* Never less than growth would take: batches of a few messages each
	 * must not copy the entries every time. */
	if (cap < next_cap(l))
		cap = next_cap(l);
	return ledger_regrow(mem, l, cap, l->ids_cap ? l->ids_cap : KITH_LEDGER_ID_BLOCK);
}

bool kith_ledger_resize(const struct kith_mem *mem, struct kith_ledger *l, uint32_t max)
{
	struct kith_ledger n;
	kith_ledger_init(&n, max);
	uint32_t keep = l->count < max ? l->count : max;
	n.pushed = l->pushed - keep;
	for (uint32_t k = l->count - keep; k < l->count; k++) {
		const struct kith_ledger_entry *e = kith_ledger_oldest(l, k);
		if (k == l->count - keep)
			n.ids_end = kith_ledger_pos(l, e); /* ids keep their places */
		if (!kith_ledger_reserve(mem, &n, e->id_len)) {
			kith_ledger_fini(mem, &n);
			return false;
		}
		struct kith_ledger_entry *copy =
		    kith_ledger_push(&n, kith_ledger_id(l, e), e->id_len, e->text_hash, e->time_ms,
		                     e->author, e->kind, e->value);
		copy->high = e->high;
	}
	kith_ledger_fini(mem, l);
	*l = n;
	return true;
}
