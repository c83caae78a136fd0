/*
 * The member table: dense records addressed by handle, a key table of ids
 * and aliases, display names, and sparse extras for rare attributes.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_MODEL_MEMBERS_H
#define KITH_MODEL_MEMBERS_H

#include "kith.h"
#include "util/arena.h"
#include "util/bytes.h"
#include "util/hash.h"
#include "util/memory.h"
#include "util/time.h"
#include "util/u32map.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A time stored with 4-byte alignment so that the member record packs
 * tightly; read and written by value only. */
typedef int64_t kith_time4 __attribute__((aligned(4)));

/* One member: O(1) memory, kept at 148 bytes (see the memory budget in
 * tests/bench). Counters saturate rather than wrap. */
struct kith_member {
	/* What a message reads and writes comes first (the key's offset,
	 * which every lookup compares, among it), so that most messages touch
	 * two of the record's cache lines rather than three or four. */
	uint32_t id;             /* offset of the first id in the key arena */
	kith_time4 last_msg_ms;  /* KITH_TIME_NONE when none */
	kith_time4 first_msg_ms; /* KITH_TIME_NONE when none */
	float score;             /* contribution, scaled to the score epoch (value.c) */
	uint32_t days[4];        /* bit i of the 128: a message on local day last_day - i */
	uint32_t roles : 24;     /* bit r: holds role r */
	uint32_t present : 1;
	uint32_t banned : 1;
	uint32_t name_ok : 1;    /* display name matches community.name_format */
	uint32_t ultimatum : 1;  /* an ultimatum is pending (its details are in the extras) */
	uint32_t high_value;
	uint32_t replies_given;
	uint16_t questions;
	uint16_t feedback;
	uint16_t complaints;
	uint16_t attended;
	uint32_t kinds[KITH_KIND_COUNT];
	kith_time4 joined_ms;
	uint32_t name;           /* offset + 1 of the display name in the name arena; 0 none */
	uint32_t inviter;        /* handle + 1 of the last join's inviter; 0 none */
	uint32_t replies_received;
	uint32_t mentions_received;
	uint32_t invites;
	uint32_t invitees_present;
	uint32_t envelopes_sent;
	uint32_t envelopes_claimed;
};

/* Rare per-member attributes live in a sparse table (most members never
 * get reported or buy anything), so the dense record stays small. */
struct kith_member_extra {
	uint32_t member;
	uint32_t reports_received;
	uint32_t reactions_received;
	uint32_t flags;              /* KITH_EXTRA_* bits */
	int64_t last_purchase_ms;    /* KITH_TIME_NONE when none */
	int64_t ultimatum_issued_ms; /* KITH_TIME_NONE when no ultimatum is pending */
	int64_t ultimatum_deadline_ms;
	uint32_t ultimatum_reason;   /* the engine's reason code for it */
	uint32_t warnings;           /* warnings issued to the member */
	uint32_t violations;         /* violations counted since the last forgiveness */
	uint32_t unused;             /* zero */
	int64_t last_violation_ms;   /* KITH_TIME_NONE when none */
	int64_t last_attend_ms;      /* KITH_TIME_NONE when none */
};

/* Whether a member's violations are forgiven at time t: forgive_ms
 * (rules.forgive_after; 0 = never) since the last one. */
static inline bool kith_violations_forgiven(const struct kith_member_extra *x, int64_t forgive_ms,
                                            int64_t t)
{
	return forgive_ms > 0 && x->last_violation_ms != KITH_TIME_NONE && t != KITH_TIME_NONE &&
	       kith_time_diff(t, x->last_violation_ms) >= forgive_ms;
}

/* Bits of kith_member_extra.flags. */
#define KITH_EXTRA_ALLOWED 1u /* on the cleanup allow-list: never proposed */

#define KITH_PAGE_SHIFT 12
#define KITH_PAGE_SIZE (1u << KITH_PAGE_SHIFT)

struct kith_alias {
	uint32_t key;    /* offset of the alias id in the key arena */
	uint32_t member; /* the member it names now */
};

struct kith_members {
	/* KITH_PAGE_SIZE records each, but for the first, which holds
	 * first_cap records (8, 16, ... KITH_PAGE_SIZE, doubling as members
	 * come: a small community pays for the members it has). Growing the
	 * first page moves its records; a full page's records never move. */
	struct kith_member **pages;
	size_t page_count;
	size_t page_cap;
	uint32_t first_cap;
	uint32_t count;
	uint32_t present;
	struct kith_arena keys;  /* first ids and alias ids */
	struct kith_arena names; /* display names (rewritten by compaction) */
	size_t names_garbage;    /* bytes of replaced names in names */
	struct kith_alias *aliases;
	size_t alias_count;
	size_t alias_cap;
	/* Key table: slot = (index + 1) << 7 | is_alias << 6 | 6 hash bits. */
	uint32_t *slots;
	size_t slot_cap; /* any size; see slot_home in members.c */
	size_t slot_used;
	struct kith_member_extra *extras;
	size_t extra_count;
	size_t extra_cap;
	struct kith_u32map extra_index;
};

static inline struct kith_member *kith_member_at(const struct kith_members *ms, uint32_t h)
{
	return &ms->pages[h >> KITH_PAGE_SHIFT][h & (KITH_PAGE_SIZE - 1)];
}

void kith_members_init(struct kith_members *ms);
void kith_members_fini(const struct kith_mem *mem, struct kith_members *ms);

/* A key slot packs the index of a member (or of an alias) with a few bits
 * of the key's hash, so that most probes that miss are rejected without
 * touching the key's bytes. The lookup is inline: ingest does one or two
 * an event. */
#define KITH_SLOT_TAG_BITS 6
#define KITH_SLOT_ALIAS_BIT (1u << KITH_SLOT_TAG_BITS)
#define KITH_SLOT_INDEX_SHIFT (KITH_SLOT_TAG_BITS + 1)

static inline uint32_t kith_slot_tag(uint64_t h)
{
	return (uint32_t)(h >> 58) & ((1u << KITH_SLOT_TAG_BITS) - 1);
}

/* Whether slot s carries the tag of hash h. */
static inline bool kith_slot_tagged(uint32_t s, uint64_t h)
{
	return (s & ((1u << KITH_SLOT_TAG_BITS) - 1)) == kith_slot_tag(h);
}

static inline uint32_t kith_slot_index(uint32_t s) { return (s >> KITH_SLOT_INDEX_SHIFT) - 1; }

static inline uint32_t kith_slot_key(const struct kith_members *ms, uint32_t s)
{
	uint32_t i = kith_slot_index(s);
	return (s & KITH_SLOT_ALIAS_BIT) ? ms->aliases[i].key : kith_member_at(ms, i)->id;
}

static inline uint32_t kith_slot_member(const struct kith_members *ms, uint32_t s)
{
	uint32_t i = kith_slot_index(s);
	return (s & KITH_SLOT_ALIAS_BIT) ? ms->aliases[i].member : i;
}

static inline bool kith_slot_key_equal(const struct kith_members *ms, uint32_t off, const char *id,
                                       size_t n)
{
	size_t len;
	const char *k = kith_arena_str(&ms->keys, off, &len);
	return len == n && kith_bytes_equal(k, id, n);
}

/* The home slot of a hash: the table's size is not a power of two (it
 * grows by half), so the hash is mapped onto it by a multiply. */
static inline size_t kith_slot_home(size_t cap, uint64_t h)
{
	return (size_t)(((h & 0xffffffffu) * (uint64_t)cap) >> 32);
}

/* The slot holding id, or the empty slot where it would go (slot_cap > 0).
 * When found, *rec is the record of the member the id names: the probe
 * reads it anyway to compare a member's first id. */
static inline size_t kith_slot_find(const struct kith_members *ms, const char *id, size_t n, uint64_t h,
                                    struct kith_member **rec)
{
	size_t i = kith_slot_home(ms->slot_cap, h);
	for (;;) {
		uint32_t s = ms->slots[i];
		if (s == 0)
			return i;
		if (kith_slot_tagged(s, h)) {
			uint32_t x = kith_slot_index(s);
			if (!(s & KITH_SLOT_ALIAS_BIT)) {
				struct kith_member *m = kith_member_at(ms, x);
				if (kith_slot_key_equal(ms, m->id, id, n)) {
					*rec = m;
					return i;
				}
			} else if (kith_slot_key_equal(ms, ms->aliases[x].key, id, n)) {
				*rec = kith_member_at(ms, ms->aliases[x].member);
				return i;
			}
		}
		if (++i == ms->slot_cap)
			i = 0;
	}
}

/* Look an id up (h is its kith_hash_id); returns the handle or UINT32_MAX
 * and, when found, the member's record in *rec (ingest needs both). */
static inline uint32_t kith_members_find_record(const struct kith_members *ms, const char *id, size_t n,
                                                uint64_t h, struct kith_member **rec)
{
	if (!ms->slot_cap)
		return UINT32_MAX;
	uint32_t s = ms->slots[kith_slot_find(ms, id, n, h, rec)];
	return s ? kith_slot_member(ms, s) : UINT32_MAX;
}

/* Look an id up (h is its kith_hash_id); returns the handle or UINT32_MAX. */
static inline uint32_t kith_members_find_hashed(const struct kith_members *ms, const char *id, size_t n,
                                                uint64_t h)
{
	struct kith_member *rec;
	return kith_members_find_record(ms, id, n, h, &rec);
}

/* Look an id up; returns the handle or UINT32_MAX. */
static inline uint32_t kith_members_find(const struct kith_members *ms, const char *id, size_t n)
{
	return kith_members_find_hashed(ms, id, n, kith_hash_id(id, n));
}
/* Hints for batch ingest: start loading the key slot of hash h, and (once
 * that slot is likely cached) the member record and id it points to. */
void kith_members_prefetch_slot(const struct kith_members *ms, uint64_t h);
void kith_members_prefetch_member(const struct kith_members *ms, uint64_t h);
void kith_members_prefetch_key(const struct kith_members *ms, uint64_t h);
/* Room for `extra_members` more members (and their ids' bytes) or aliases. */
bool kith_members_reserve(const struct kith_mem *mem, struct kith_members *ms, size_t extra_members,
                          size_t id_bytes);
bool kith_members_reserve_alias(const struct kith_mem *mem, struct kith_members *ms, size_t id_bytes);
/* Create a member (after a reserve); returns its handle. The record is
 * zeroed but for times set to KITH_TIME_NONE. */
uint32_t kith_members_add(struct kith_members *ms, const char *id, size_t n);
/* Make id name member h (after kith_members_reserve_alias when the id is
 * new). An id that named another member is moved over. */
void kith_members_alias(struct kith_members *ms, uint32_t h, const char *id, size_t n);
bool kith_members_reserve_name(const struct kith_mem *mem, struct kith_members *ms, size_t n);
void kith_members_set_name(const struct kith_mem *mem, struct kith_members *ms, uint32_t h,
                           const char *name, size_t n);
/* The sparse extras of h, or NULL when it has none yet. */
struct kith_member_extra *kith_members_extra(const struct kith_members *ms, uint32_t h);
bool kith_members_reserve_extra(const struct kith_mem *mem, struct kith_members *ms);
/* Whether one more extras record fits without growing (ingest's fast path). */
static inline bool kith_members_extra_room(const struct kith_members *ms)
{
	return ms->extra_count < ms->extra_cap && ms->extra_index.count + 1 <= ms->extra_index.cap / 2;
}
/* Get or create (after a reserve) the extras of h. */
struct kith_member_extra *kith_members_extra_get(struct kith_members *ms, uint32_t h);

#endif /* KITH_MODEL_MEMBERS_H */
