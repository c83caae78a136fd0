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

bool kith_ledger_init(const struct kith_mem *mem, struct kith_ledger *l, uint32_t cap)
{
	struct kith_ledger n = {0};
	n.cap = cap;
	n.ids_cap = ids_capacity(cap);
	/* Each index is at most a quarter full, so that probes and the
	 * backward shifts of eviction stay short; the hash bits kept in its
	 * slots keep them off the entries. */
	n.index_cap = 1;
	while (n.index_cap < 4 * cap)
		n.index_cap *= 2;
	n.entries = kith_mem_alloc(mem, (size_t)cap * sizeof *n.entries);
	n.ids = kith_mem_alloc(mem, n.ids_cap);
	n.by_id = kith_mem_calloc(mem, n.index_cap, sizeof *n.by_id);
	n.by_text = kith_mem_calloc(mem, n.index_cap, sizeof *n.by_text);
	if (!n.entries || !n.ids || !n.by_id || !n.by_text) {
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
	kith_mem_free(mem, l->by_id, (size_t)l->index_cap * sizeof *l->by_id);
	kith_mem_free(mem, l->by_text, (size_t)l->index_cap * sizeof *l->by_text);
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

struct kith_ledger_entry *kith_ledger_at_seq(const struct kith_ledger *l, uint64_t seq)
{
	uint64_t first = kith_ledger_first_seq(l);
	if (seq < first || seq >= l->pushed)
		return NULL;
	return &l->entries[(l->head + (uint32_t)(seq - first)) % l->cap];
}

/* ---- the two indexes ------------------------------------------------------ */

static uint64_t entry_key(const struct kith_ledger_entry *e, bool by_text)
{
	return by_text ? e->text_hash : e->id_hash;
}

static uint32_t key_bits(uint64_t key) { return (uint32_t)(key >> 32); }

static uint64_t slot_of(uint64_t key, uint32_t ring)
{
	return (uint64_t)key_bits(key) << 32 | (ring + 1);
}

static uint32_t slot_ring(uint64_t slot) { return (uint32_t)slot - 1; }

static uint32_t slot_home(const struct kith_ledger *l, uint64_t slot)
{
	return (uint32_t)(slot >> 32) & (l->index_cap - 1);
}

static inline void index_insert(struct kith_ledger *l, uint64_t *index, bool by_text, uint32_t ring)
{
	const struct kith_ledger_entry *e = &l->entries[ring];
	uint64_t key = entry_key(e, by_text);
	uint32_t mask = l->index_cap - 1;
	uint32_t i = key_bits(key) & mask;
	while (index[i]) {
		if ((uint32_t)(index[i] >> 32) == key_bits(key)) {
			const struct kith_ledger_entry *o = &l->entries[slot_ring(index[i])];
			/* The same text, or the same id: the newer message takes the slot. */
			if (entry_key(o, by_text) == key &&
			    (by_text || (o->id_len == e->id_len &&
			                 kith_bytes_equal(kith_ledger_id(l, o), kith_ledger_id(l, e), o->id_len))))
				break;
		}
		i = (i + 1) & mask;
	}
	index[i] = slot_of(key, ring);
}

/* Remove ring index `ring` from an index, if it is there (a newer entry
 * with the same key may have taken its slot), by backward shifting. */
static inline void index_remove(struct kith_ledger *l, uint64_t *index, bool by_text, uint32_t ring)
{
	uint32_t mask = l->index_cap - 1;
	uint64_t want = slot_of(entry_key(&l->entries[ring], by_text), ring);
	uint32_t i = slot_home(l, want);
	while (index[i] && index[i] != want)
		i = (i + 1) & mask;
	if (!index[i])
		return;
	uint32_t hole = i;
	for (uint32_t j = (hole + 1) & mask; index[j]; j = (j + 1) & mask) {
		uint32_t home = slot_home(l, index[j]);
		/* Move j into the hole unless its home lies cyclically in
		 * (hole, j], that is unless home is nearer to j than the hole. */
		if (((j - home) & mask) >= ((j - hole) & mask)) {
			index[hole] = index[j];
			hole = j;
		}
	}
	index[hole] = 0;
}

struct kith_ledger_entry *kith_ledger_find(const struct kith_ledger *l, const char *id, size_t n)
{
	if (n == 0 || !l->count)
		return NULL;
	uint64_t h = kith_hash_bytes(id, n);
	uint32_t mask = l->index_cap - 1;
	for (uint32_t i = key_bits(h) & mask; l->by_id[i]; i = (i + 1) & mask) {
		if ((uint32_t)(l->by_id[i] >> 32) != key_bits(h))
			continue;
		struct kith_ledger_entry *e = &l->entries[slot_ring(l->by_id[i])];
		if (e->id_hash == h && e->id_len == n && kith_bytes_equal(kith_ledger_id(l, e), id, n))
			return e;
	}
	return NULL;
}

bool kith_ledger_has_text(const struct kith_ledger *l, uint64_t text_hash)
{
	if (text_hash == 0 || !l->count)
		return false;
	uint32_t mask = l->index_cap - 1;
	for (uint32_t i = key_bits(text_hash) & mask; l->by_text[i]; i = (i + 1) & mask)
		if ((uint32_t)(l->by_text[i] >> 32) == key_bits(text_hash) &&
		    l->entries[slot_ring(l->by_text[i])].text_hash == text_hash)
			return true;
	return false;
}

static inline void evict_oldest(struct kith_ledger *l)
{
	uint32_t ring = l->head;
	if (l->entries[ring].id_len)
		index_remove(l, l->by_id, false, ring);
	if (l->entries[ring].text_hash)
		index_remove(l, l->by_text, true, ring);
	l->head = l->head + 1 == l->cap ? 0 : l->head + 1;
	l->count--;
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
	if (l->count == l->cap)
		evict_oldest(l);
	while (l->count && pos + n - l->entries[l->head].id_pos > l->ids_cap)
		evict_oldest(l);
	uint32_t ring = l->head + l->count;
	if (ring >= l->cap)
		ring -= l->cap;
	struct kith_ledger_entry *e = &l->entries[ring];
	e->id_hash = n ? kith_hash_bytes(id, n) : 0;
	e->text_hash = text_hash;
	e->id_pos = pos;
	e->time_ms = time_ms;
	e->id_len = (uint32_t)n;
	e->author = author;
	e->kind = (uint16_t)kind;
	e->high = 0;
	e->value = value;
	if (n)
		kith_bytes_copy(l->ids + off, id, n);
	l->ids_end = pos + n;
	l->count++;
	l->pushed++;
	if (n)
		index_insert(l, l->by_id, false, ring);
	if (text_hash)
		index_insert(l, l->by_text, true, ring);
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
