/*
 * The ledger: a bounded FIFO of the most recent messages, so that a reply
 * or a reaction arriving later can find the message it engages with and
 * credit its author, and so that a repeated text can be recognised.
 * Memory is fixed by ledger.capacity; nothing is allocated per message.
 *
 * SPDX-License-Identifier: MIT
 */
#include "kith-private.h"

#include <string.h>

/* Average id bytes budgeted per entry; ids are bounded by KITH_ID_MAX, so
 * the ring is never smaller than a few of the longest ids. */
#define LEDGER_ID_BYTES_PER_ENTRY 48u

static uint32_t ids_capacity(uint32_t cap)
{
	uint32_t want = cap * LEDGER_ID_BYTES_PER_ENTRY, n = 4u * KITH_ID_MAX;
	while (n < want)
		n *= 2; /* a power of two: positions wrap with a mask */
	return n;
}

/*
 * The two indexes (message id, text hash) are hash chains threaded through
 * the entries, newest first: a bucket holds the sequence + 1 of the newest
 * entry whose key hashes there (0 = none), and each entry the sequence + 1
 * of the next older one in its chain. Sequences only grow and the ledger
 * holds exactly the sequences from first_seq on, so a link to an evicted
 * entry ends the chain: everything after it is older still. Eviction thus
 * touches no index, a lookup stops at the first stale link, and the newest
 * entry with a key is the one found.
 */
static uint32_t bucket_count(uint32_t cap)
{
	uint32_t n = 1;
	while (n < 2 * cap)
		n *= 2; /* a power of two, at least twice the entries */
	return n;
}

bool kith_ledger_init(const struct kith_mem *mem, struct kith_ledger *l, uint32_t cap)
{
	struct kith_ledger n = {0};
	n.cap = cap;
	n.ids_cap = ids_capacity(cap);
	n.buckets = bucket_count(cap);
	n.entries = kith_mem_alloc(mem, (size_t)cap * sizeof *n.entries);
	n.ids = kith_mem_alloc(mem, n.ids_cap);
	n.id_chains = kith_mem_calloc(mem, n.buckets, sizeof *n.id_chains);
	n.text_chains = kith_mem_calloc(mem, n.buckets, sizeof *n.text_chains);
	if (!n.entries || !n.ids || !n.id_chains || !n.text_chains) {
		kith_ledger_fini(mem, &n);
		return false;
	}
	*l = n;
	return true;
}

void kith_ledger_fini(const struct kith_mem *mem, struct kith_ledger *l)
{
	kith_mem_free(mem, l->entries, (size_t)l->cap * sizeof *l->entries);
	kith_mem_free(mem, l->ids, l->ids_cap);
	kith_mem_free(mem, l->id_chains, (size_t)l->buckets * sizeof *l->id_chains);
	kith_mem_free(mem, l->text_chains, (size_t)l->buckets * sizeof *l->text_chains);
	memset(l, 0, sizeof *l);
}

const char *kith_ledger_id(const struct kith_ledger *l, const struct kith_ledger_entry *e)
{
	return l->ids + (size_t)(e->id_pos & (l->ids_cap - 1));
}

uint64_t kith_ledger_seq(const struct kith_ledger *l, const struct kith_ledger_entry *e)
{
	uint32_t ring = (uint32_t)(e - l->entries);
	uint32_t age = ring >= l->head ? ring - l->head : ring + l->cap - l->head; /* 0 = oldest */
	return kith_ledger_first_seq(l) + age;
}

/* The entry of a sequence the ledger holds. */
static inline struct kith_ledger_entry *entry_of(const struct kith_ledger *l, uint64_t seq)
{
	uint32_t ring = l->head + (uint32_t)(seq - kith_ledger_first_seq(l));
	if (ring >= l->cap)
		ring -= l->cap;
	return &l->entries[ring];
}

struct kith_ledger_entry *kith_ledger_at_seq(const struct kith_ledger *l, uint64_t seq)
{
	if (seq < kith_ledger_first_seq(l) || seq >= l->pushed)
		return NULL;
	return entry_of(l, seq);
}

static inline uint32_t bucket_of(const struct kith_ledger *l, uint64_t key)
{
	return (uint32_t)(key >> 32) & (l->buckets - 1);
}

struct kith_ledger_entry *kith_ledger_find(const struct kith_ledger *l, const char *id, size_t n)
{
	if (n == 0)
		return NULL;
	uint64_t h = kith_hash_bytes(id, n), first = kith_ledger_first_seq(l);
	/* A link s names sequence s - 1: held while s - 1 >= first. */
	for (uint64_t s = l->id_chains[bucket_of(l, h)]; s > first;) {
		struct kith_ledger_entry *e = entry_of(l, s - 1);
		if (e->id_hash == h && e->id_len == n && kith_bytes_equal(kith_ledger_id(l, e), id, n))
			return e;
		s = e->next_id;
	}
	return NULL;
}

bool kith_ledger_has_text(const struct kith_ledger *l, uint64_t text_hash)
{
	if (text_hash == 0)
		return false;
	uint64_t first = kith_ledger_first_seq(l);
	for (uint64_t s = l->text_chains[bucket_of(l, text_hash)]; s > first;) {
		const struct kith_ledger_entry *e = entry_of(l, s - 1);
		if (e->text_hash == text_hash)
			return true;
		s = e->next_text;
	}
	return false;
}

struct kith_ledger_entry *kith_ledger_push(struct kith_ledger *l, const char *id, size_t n,
                                           uint64_t text_hash, int64_t time_ms, uint32_t author,
                                           uint32_t kind, float value)
{
	/* An id never straddles the end of the ring: skip to its start. */
	uint64_t pos = l->ids_end;
	uint32_t mask = l->ids_cap - 1, off = (uint32_t)pos & mask;
	if (off + n > l->ids_cap) {
		pos += l->ids_cap - off;
		off = 0;
	}
	/* Evict the oldest entries while the ring or the id bytes are full:
	 * nothing to unlink (see above). */
	uint32_t head = l->head, count = l->count;
	if (count == l->cap) {
		head = head + 1 == l->cap ? 0 : head + 1;
		count--;
	}
	while (count && pos + n - l->entries[head].id_pos > l->ids_cap) {
		head = head + 1 == l->cap ? 0 : head + 1;
		count--;
	}
	uint32_t ring = head + count;
	if (ring >= l->cap)
		ring -= l->cap;
	l->head = head;
	l->count = count + 1;
	struct kith_ledger_entry *e = &l->entries[ring];
	uint64_t link = l->pushed + 1;
	e->id_hash = 0;
	e->next_id = 0;
	if (n) {
		e->id_hash = kith_hash_bytes(id, n);
		uint64_t *chain = &l->id_chains[bucket_of(l, e->id_hash)];
		e->next_id = *chain;
		*chain = link;
		kith_bytes_copy(l->ids + off, id, n);
	}
	e->text_hash = text_hash;
	e->next_text = 0;
	if (text_hash) {
		uint64_t *chain = &l->text_chains[bucket_of(l, text_hash)];
		e->next_text = *chain;
		*chain = link;
	}
	e->id_pos = pos;
	e->time_ms = time_ms;
	e->id_len = (uint32_t)n;
	e->author = author;
	e->kind = (uint16_t)kind;
	e->high = 0;
	e->value = value;
	l->ids_end = pos + n;
	l->pushed++;
	return e;
}

bool kith_ledger_resize(const struct kith_mem *mem, struct kith_ledger *l, uint32_t cap)
{
	struct kith_ledger n;
	if (!kith_ledger_init(mem, &n, cap))
		return false;
	uint32_t keep = l->count < cap ? l->count : cap;
	n.pushed = l->pushed - keep;
	for (uint32_t k = l->count - keep; k < l->count; k++) {
		const struct kith_ledger_entry *e = &l->entries[(l->head + k) % l->cap];
		struct kith_ledger_entry *copy =
		    kith_ledger_push(&n, kith_ledger_id(l, e), e->id_len, e->text_hash, e->time_ms,
		                     e->author, e->kind, e->value);
		copy->id_hash = e->id_hash;
		copy->high = e->high;
	}
	kith_ledger_fini(mem, l);
	*l = n;
	return true;
}
