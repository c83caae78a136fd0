/*
 * The ledger's private interface: the bounded FIFO of recent messages
 * (ledger.c) with its lookups and its push inline, since ingest does one
 * or two of them an event.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_MODEL_LEDGER_H
#define KITH_MODEL_LEDGER_H

#include "kith.h"
#include "util/bytes.h"
#include "util/hash.h"
#include "util/memory.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Messages are numbered by a sequence (0 for the first message ever
 * pushed); the ledger holds the newest `count` of them, and their ids in
 * a ring of bytes addressed by absolute positions (so eviction is plain
 * FIFO). */
/* The most entries a ledger holds: the bound of the ledger.capacity
 * setting, and what sizes the links below. */
#define KITH_LEDGER_MAX (UINT32_C(1) << 20)

/* A chain link (see below) counts sequences back to a held entry: fewer
 * than KITH_LEDGER_MAX, so it fits in this many bits. */
#define KITH_LEDGER_LINK_BITS 20
#define KITH_LEDGER_LINK_MAX ((UINT32_C(1) << KITH_LEDGER_LINK_BITS) - 1)
_Static_assert(KITH_LEDGER_MAX - 1 <= KITH_LEDGER_LINK_MAX, "a link must reach every held entry");

/* 64-bit fields stored with 4-byte alignment, and the small fields packed
 * into two words, so that an entry takes 36 bytes: a small community's
 * ledger is most of what it holds (issue 18). Read and written by value
 * only. */
typedef uint64_t kith_ledger_u64 __attribute__((aligned(4)));
typedef int64_t kith_ledger_i64 __attribute__((aligned(4)));

struct kith_ledger_entry {
	kith_ledger_u64 text_hash; /* 0 when the message had no text */
	kith_ledger_i64 time_ms;
	uint32_t id_pos;    /* low 32 bits of the id's absolute position (kith_ledger_pos) */
	uint32_t author;
	float value;        /* value at ingest plus engagement since */
	uint32_t next_id : KITH_LEDGER_LINK_BITS; /* sequences back to the next older
	                                           * entry of its id chain; 0 none */
	uint32_t id_len : 11; /* 0 when the message had no id */
	uint32_t high : 1;    /* 1 once counted as a high-value message (never twice,
	                       * whatever value.high_threshold becomes) */
	uint32_t next_text : KITH_LEDGER_LINK_BITS; /* the same for its text chain */
	uint32_t kind : 4;
	uint32_t id_tag : 8; /* kith_ledger_id_tag of the id; meaningful when id_len > 0 */
};
_Static_assert(sizeof(struct kith_ledger_entry) == 36, "a ledger entry outgrew its 36 bytes");
_Static_assert(KITH_ID_MAX < (1 << 11), "an id's length must fit in id_len");
_Static_assert(KITH_KIND_COUNT <= (1 << 4), "a kind must fit in kind");

struct kith_ledger {
	struct kith_ledger_entry *entries; /* ring of cap entries */
	uint32_t cap;  /* entries allocated: grows with use up to max */
	uint32_t max;  /* the ledger.capacity setting: the most it holds */
	uint32_t head; /* ring index of the oldest entry */
	uint32_t count;
	char *ids;        /* ring of id bytes */
	uint32_t ids_cap; /* 0, or a power of two >= KITH_LEDGER_ID_BLOCK */
	uint32_t ids_max; /* what ids_cap may grow to */
	uint64_t ids_end; /* absolute position where the next id goes */
	/* What kith_ledger_reserve may take for granted, as found by the last
	 * kith_ledger_grow: pushes below push_limit (in sequences) find a free
	 * entry or evict at the maximum, and ids ending below ids_limit (the
	 * oldest id's position then, plus ids_cap; the oldest only moves on)
	 * fit the ring or evict at its maximum. UINT64_MAX: full grown. */
	uint64_t push_limit;
	uint64_t ids_limit;
	/* Hash chains on the ids and on the texts (see below): sequence + 1 of
	 * the newest entry of each bucket, 0 = none. */
	uint64_t *id_chains;
	uint64_t *text_chains;
	uint32_t buckets; /* 0, or a power of two */
	uint64_t pushed;  /* messages ever pushed = sequence of the next one */
};

/* An id never straddles a multiple of this many ring positions (it is
 * moved on to the next one), so where an id sits does not depend on the
 * ring's size: the ring grows without moving anything, and a loaded
 * ledger lays its ids out exactly as the saved one did. */
#define KITH_LEDGER_ID_BLOCK 1024u
_Static_assert(KITH_LEDGER_ID_BLOCK >= KITH_ID_MAX, "an id must fit in a block");

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
/* An empty ledger that will hold at most max entries; it allocates
 * nothing until the first push is reserved. */
void kith_ledger_init(struct kith_ledger *l, uint32_t max);
void kith_ledger_fini(const struct kith_mem *mem, struct kith_ledger *l);
/* Rebuild for a new maximum, keeping the newest entries and their
 * sequence; false (and l untouched) on allocation failure. */
bool kith_ledger_resize(const struct kith_mem *mem, struct kith_ledger *l, uint32_t max);
/* Grow so that a push of an id of n bytes evicts only what a ledger of
 * the maximum size would: see kith_ledger_reserve. */
bool kith_ledger_grow(const struct kith_mem *mem, struct kith_ledger *l, size_t n);
/* Room for `more` messages beyond those held (up to the maximum) in one
 * step, where pushing them would grow the entries a quarter at a time: a
 * batch of a small community's messages then allocates its ledger once.
 * Changes no entry; false (and l untouched) on allocation failure, which
 * leaves growth to kith_ledger_reserve. */
bool kith_ledger_expect(const struct kith_mem *mem, struct kith_ledger *l, uint32_t more);
/* The entry with sequence seq, or NULL when it is not held. */
struct kith_ledger_entry *kith_ledger_at_seq(const struct kith_ledger *l, uint64_t seq);

/* Sequence number of the oldest entry held. */
static inline uint64_t kith_ledger_first_seq(const struct kith_ledger *l)
{
	return l->pushed - l->count;
}

/* The absolute ring position of an entry's id: every id held lies within
 * the ring (at most 2^31 bytes) before ids_end, so its low 32 bits say it. */
static inline uint64_t kith_ledger_pos(const struct kith_ledger *l, const struct kith_ledger_entry *e)
{
	return l->ids_end - (uint32_t)((uint32_t)l->ids_end - e->id_pos);
}

/* The next older link of a chain (sequence + 1, 0 = none) after link s,
 * given the distance stored in s's entry. */
static inline uint64_t kith_ledger_link_next(uint64_t s, uint32_t back)
{
	return back ? s - back : 0;
}

/* The distance an entry of link s stores to the older link older (0 =
 * none, and so is an older link too far back to be held: the ledger
 * holds fewer than KITH_LEDGER_MAX entries at once). */
static inline uint32_t kith_ledger_link_back(uint64_t s, uint64_t older)
{
	return older && s - older <= KITH_LEDGER_LINK_MAX ? (uint32_t)(s - older) : 0;
}

/* The id of an entry (inside the ring, contiguous, not NUL-terminated). */
static inline const char *kith_ledger_id(const struct kith_ledger *l,
                                         const struct kith_ledger_entry *e)
{
	return l->ids + (size_t)(e->id_pos & (l->ids_cap - 1));
}

/* The byte of an id's hash an entry keeps, so that a lookup passing other
 * ids' entries rarely compares their bytes: the top one, above the bits
 * that pick a bucket (kith_ledger_bucket; at most 2 * KITH_LEDGER_MAX
 * buckets). */
static inline uint32_t kith_ledger_id_tag(uint64_t key)
{
	return (uint32_t)(key >> 56);
}
_Static_assert(2 * KITH_LEDGER_MAX <= UINT64_C(1) << (56 - 32), "tag bits above bucket bits");

/* The entry of a sequence the ledger holds. */
static inline struct kith_ledger_entry *kith_ledger_entry_of(const struct kith_ledger *l,
                                                             uint64_t seq)
{
	uint32_t ring = l->head + (uint32_t)(seq - kith_ledger_first_seq(l));
	if (ring >= l->cap)
		ring -= l->cap;
	return &l->entries[ring];
}

/* The sequence of an entry the ledger holds. */
static inline uint64_t kith_ledger_seq_of(const struct kith_ledger *l,
                                          const struct kith_ledger_entry *e)
{
	uint32_t ring = (uint32_t)(e - l->entries);
	uint32_t age = ring >= l->head ? ring - l->head : ring + l->cap - l->head;
	return kith_ledger_first_seq(l) + age;
}

/* The i-th oldest entry held (i < count): for walking the ledger in order. */
static inline struct kith_ledger_entry *kith_ledger_oldest(const struct kith_ledger *l, uint32_t i)
{
	return kith_ledger_entry_of(l, kith_ledger_first_seq(l) + i);
}

/* The chain bucket of a key: hash bits above those the member table uses. */
static inline uint32_t kith_ledger_bucket(const struct kith_ledger *l, uint64_t key)
{
	return (uint32_t)(key >> 32) & (l->buckets - 1);
}

/* The ring position where an id of n bytes would go after pos. */
static inline uint64_t kith_ledger_id_place(uint64_t pos, size_t n)
{
	uint64_t off = pos & (KITH_LEDGER_ID_BLOCK - 1);
	return off + n > KITH_LEDGER_ID_BLOCK ? pos - off + KITH_LEDGER_ID_BLOCK : pos;
}

/* Room to push a message whose id has n bytes: the ledger holds fewer than
 * its maximum and grows rather than evict (kith_ledger_grow); at its
 * maximum it evicts the oldest, as kith_ledger_push does. */
static inline bool kith_ledger_reserve(const struct kith_mem *mem, struct kith_ledger *l, size_t n)
{
	/* An id and the skip before it take less than 2n bytes. */
	if (l->pushed < l->push_limit && l->ids_end + 2 * n <= l->ids_limit)
		return true;
	return kith_ledger_grow(mem, l, n);
}

/* The newest entry with that id, or NULL. */
static inline struct kith_ledger_entry *kith_ledger_find(const struct kith_ledger *l,
                                                         const char *id, size_t n)
{
	if (n == 0 || l->count == 0)
		return NULL;
	uint64_t first = kith_ledger_first_seq(l);
	uint64_t key = kith_hash_id(id, n);
	uint32_t tag = kith_ledger_id_tag(key);
	/* A link s names sequence s - 1: held while s - 1 >= first. */
	for (uint64_t s = l->id_chains[kith_ledger_bucket(l, key)]; s > first;) {
		struct kith_ledger_entry *e = kith_ledger_entry_of(l, s - 1);
		if (e->id_tag == tag && e->id_len == n &&
		    kith_bytes_equal(kith_ledger_id(l, e), id, n))
			return e;
		s = kith_ledger_link_next(s, e->next_id);
	}
	return NULL;
}

/* Whether a message with this text hash is among the entries. */
static inline bool kith_ledger_has_text(const struct kith_ledger *l, uint64_t text_hash)
{
	if (text_hash == 0 || l->count == 0)
		return false;
	uint64_t first = kith_ledger_first_seq(l);
	for (uint64_t s = l->text_chains[kith_ledger_bucket(l, text_hash)]; s > first;) {
		const struct kith_ledger_entry *e = kith_ledger_entry_of(l, s - 1);
		if (e->text_hash == text_hash)
			return true;
		s = kith_ledger_link_next(s, e->next_text);
	}
	return false;
}

/* Add a message after kith_ledger_reserve (never fails; evicts the oldest
 * as needed; n <= KITH_ID_MAX). */
static inline struct kith_ledger_entry *kith_ledger_push(struct kith_ledger *l, const char *id,
                                                         size_t n, uint64_t text_hash,
                                                         int64_t time_ms, uint32_t author,
                                                         uint32_t kind, float value)
{
	/* An id never straddles a block (KITH_LEDGER_ID_BLOCK), nor so the
	 * end of the ring. */
	uint64_t pos = kith_ledger_id_place(l->ids_end, n);
	uint32_t off = (uint32_t)pos & (l->ids_cap - 1);
	/* Evict the oldest entries while the ring or the id bytes are full:
	 * nothing to unlink (see above). */
	uint32_t head = l->head, count = l->count;
	if (count == l->cap) {
		head = head + 1 == l->cap ? 0 : head + 1;
		count--;
	}
	while (count && (uint32_t)((uint32_t)(pos + n) - l->entries[head].id_pos) > l->ids_cap) {
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
	e->id_tag = 0;
	e->next_id = 0;
	if (n) {
		uint64_t key = kith_hash_id(id, n);
		e->id_tag = kith_ledger_id_tag(key);
		uint64_t *chain = &l->id_chains[kith_ledger_bucket(l, key)];
		e->next_id = kith_ledger_link_back(link, *chain);
		*chain = link;
		kith_bytes_copy(l->ids + off, id, n);
	}
	e->text_hash = text_hash;
	e->next_text = 0;
	if (text_hash) {
		uint64_t *chain = &l->text_chains[kith_ledger_bucket(l, text_hash)];
		e->next_text = kith_ledger_link_back(link, *chain);
		*chain = link;
	}
	e->id_pos = (uint32_t)pos;
	e->time_ms = time_ms;
	e->id_len = (uint32_t)n;
	e->author = author;
	e->kind = kind;
	e->high = 0;
	e->value = value;
	l->ids_end = pos + n;
	l->pushed++;
	return e;
}

#endif /* KITH_MODEL_LEDGER_H */
