/*
 * Internals shared by the modules of libkith. Nothing here is exported.
 *
 * SPDX-License-Identifier: MIT
 *
 * Data flow: events (ingest.c, trace.c) -> model (members.c, roles.c,
 * ledger.c, graph.c, value.c) -> engines. Settings (settings.c, charter.c)
 * configure it; snapshot.c saves and restores it.
 *
 * Every mutation follows one pattern so that a failed call changes
 * nothing: first validate, then reserve every allocation the change needs
 * (the *_reserve functions), then apply, which cannot fail.
 */
#ifndef KITH_PRIVATE_H
#define KITH_PRIVATE_H

#include "kith.h"

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__GNUC__)
#define KITH_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define KITH_PRINTF(a, b)
#endif

#define KITH_MS_PER_DAY INT64_C(86400000)
#define KITH_ERROR_MAX 512

/* ---- memory.c: the one place that allocates ---------------------------- */

struct kith_mem {
	kith_alloc_fn fn;
	void *payload;
};

/* Allocate, resize or (n == 0) free through the community's allocator.
 * Returns NULL on failure (and on free); p is untouched on failure. */
void *kith_mem_realloc(const struct kith_mem *mem, void *p, size_t old_n, size_t new_n);
void *kith_mem_alloc(const struct kith_mem *mem, size_t n);
void *kith_mem_calloc(const struct kith_mem *mem, size_t count, size_t size);
void kith_mem_free(const struct kith_mem *mem, void *p, size_t n);
/* Grow an array of elem-sized items so that it holds at least need items.
 * *cap is updated on success. Returns false on overflow or failure. */
bool kith_mem_grow(const struct kith_mem *mem, void **array, size_t *cap, size_t need, size_t elem);

/* The default allocator (libc realloc/free). */
void *kith_mem_libc(void *ptr, size_t old_size, size_t new_size, void *payload);

/* A growable byte arena addressed by 32-bit offsets. Each string is stored
 * as its length (one byte below 255; else 255 and four little-endian
 * bytes), its bytes and a NUL. */
struct kith_arena {
	char *data;
	size_t len;
	size_t cap;
};

/* Bytes an arena needs to append a string of n bytes. */
static inline size_t kith_arena_cost(size_t n) { return (n < 255 ? 1 : 5) + n + 1; }
bool kith_arena_reserve(const struct kith_mem *mem, struct kith_arena *a, size_t extra);
/* Append (after a successful reserve); returns the string's offset. */
uint32_t kith_arena_push(struct kith_arena *a, const char *s, size_t n);
static inline const char *kith_arena_str(const struct kith_arena *a, uint32_t off, size_t *n)
{
	const unsigned char *p = (const unsigned char *)a->data + off;
	if (p[0] < 255) {
		if (n)
			*n = p[0];
		return (const char *)p + 1;
	}
	if (n)
		*n = (uint32_t)p[1] | (uint32_t)p[2] << 8 | (uint32_t)p[3] << 16 | (uint32_t)p[4] << 24;
	return (const char *)p + 5;
}
void kith_arena_fini(const struct kith_mem *mem, struct kith_arena *a);

/* Whether a[0..n) equals b[0..n), both readable for exactly n bytes.
 * Ids are short: up to 16 bytes take two overlapping word loads a side. */
static inline bool kith_bytes_equal(const char *a, const char *b, size_t n)
{
	if (n > 16)
		return memcmp(a, b, n) == 0;
	if (n >= 8) {
		uint64_t x, y, u, v;
		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		memcpy(&u, a + n - 8, 8);
		memcpy(&v, b + n - 8, 8);
		return ((x ^ y) | (u ^ v)) == 0;
	}
	if (n >= 4) {
		uint32_t x, y, u, v;
		memcpy(&x, a, 4);
		memcpy(&y, b, 4);
		memcpy(&u, a + n - 4, 4);
		memcpy(&v, b + n - 4, 4);
		return ((x ^ y) | (u ^ v)) == 0;
	}
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

/* memcpy for short ids: 4 to 16 bytes take two overlapping word moves. */
static inline void kith_bytes_copy(char *dst, const char *src, size_t n)
{
	if (n >= 8 && n <= 16) {
		uint64_t x, y;
		memcpy(&x, src, 8);
		memcpy(&y, src + n - 8, 8);
		memcpy(dst, &x, 8);
		memcpy(dst + n - 8, &y, 8);
	} else if (n >= 4 && n < 8) {
		uint32_t x, y;
		memcpy(&x, src, 4);
		memcpy(&y, src + n - 4, 4);
		memcpy(dst, &x, 4);
		memcpy(dst + n - 4, &y, 4);
	} else {
		memcpy(dst, src, n);
	}
}

/* Times can be anywhere in the int64_t range (from events, snapshots or
 * a caller's "now"); differences and sums of them saturate, so that a
 * comparison with a span gives the right answer where plain arithmetic
 * would overflow. */
/* a - b for times, saturated at the ends of int64. */
static inline int64_t kith_time_diff(int64_t a, int64_t b)
{
	if (b < 0 && a > INT64_MAX + b)
		return INT64_MAX;
	if (b > 0 && a < INT64_MIN + b)
		return INT64_MIN;
	return a - b;
}

/* a + b for times, saturated at the ends of int64. */
static inline int64_t kith_time_add(int64_t a, int64_t b)
{
	if (b > 0 && a > INT64_MAX - b)
		return INT64_MAX;
	if (b < 0 && a < INT64_MIN - b)
		return INT64_MIN;
	return a + b;
}

static inline uint64_t kith_hash_u64(uint64_t x)
{
	x ^= x >> 33;
	x *= UINT64_C(0xff51afd7ed558ccd);
	x ^= x >> 33;
	x *= UINT64_C(0xc4ceb9fe1a85ec53);
	x ^= x >> 33;
	return x;
}

/* A 64-bit hash of a byte string (not cryptographic): a multiply-rotate
 * round per 8-byte word, finished with a strong mixer. Text hashes travel
 * in snapshots, so the function never changes. Ids are short: up to 16
 * bytes are hashed inline with overlapping loads and no loop. */
#define KITH_HASH_SEED UINT64_C(0x9e3779b97f4a7c15)
#define KITH_HASH_LEN UINT64_C(0x100000001b3)
#define KITH_HASH_WORD UINT64_C(0xbf58476d1ce4e5b9)
#define KITH_HASH_ROUND UINT64_C(0x94d049bb133111eb)

/* Words are read little-endian on every host, so that a hash saved in a
 * snapshot on one host is the one another computes. */
static inline uint64_t kith_load64(const unsigned char *p)
{
	uint64_t w;
	memcpy(&w, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap64(w);
#endif
	return w;
}

static inline uint32_t kith_load32(const unsigned char *p)
{
	uint32_t w;
	memcpy(&w, p, 4);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap32(w);
#endif
	return w;
}

static inline uint64_t kith_hash_round(uint64_t h, uint64_t w)
{
	h = (h ^ (w * KITH_HASH_WORD)) * KITH_HASH_ROUND;
	return (h << 29) | (h >> 35);
}

/* kith_hash_bytes of more than 16 bytes (memory.c): a round per word. */
uint64_t kith_hash_long(const void *data, size_t n);

/* The words both hashes read from up to 16 bytes, with overlapping loads:
 * from `wide` bytes on (8 or 9), the first and last 8; from 4, the first
 * and last 4; below that three bytes in a (and b = 0). */
static inline void kith_hash_words(const unsigned char *p, size_t n, size_t wide, uint64_t *a,
                                   uint64_t *b)
{
	*a = *b = 0;
	if (n >= wide) {
		*a = kith_load64(p);
		*b = kith_load64(p + n - 8);
	} else if (n >= 4) {
		*a = kith_load32(p);
		*b = kith_load32(p + n - 4);
	} else if (n > 0) {
		*a = (uint64_t)p[0] << 16 | (uint64_t)p[n / 2] << 8 | p[n - 1];
	}
}

static inline uint64_t kith_hash_bytes(const void *data, size_t n)
{
	if (n > 16)
		return kith_hash_long(data, n);
	uint64_t h = KITH_HASH_SEED ^ (n * KITH_HASH_LEN), a, b;
	kith_hash_words(data, n, 9, &a, &b);
	if (n > 8)
		return kith_hash_u64(kith_hash_round(h, a) ^ b * KITH_HASH_WORD);
	uint64_t w = n >= 4 ? a << 32 | b : a;
	return kith_hash_u64(h ^ (w * KITH_HASH_WORD));
}

/* A hash for ids held only in memory, by the member table and the
 * ledger's chains: cheaper than kith_hash_bytes (one wide multiply folds
 * two words) and free to change between versions, since nothing saved
 * depends on it. Never use it for a hash that travels in a snapshot. */
#if defined(__SIZEOF_INT128__) && defined(__GNUC__)
__extension__ typedef unsigned __int128 kith_u128;
#endif

static inline uint64_t kith_hash_fold(uint64_t a, uint64_t b)
{
#if defined(__SIZEOF_INT128__) && defined(__GNUC__)
	kith_u128 r = (kith_u128)a * b;
	return (uint64_t)(r >> 64) ^ (uint64_t)r;
#else
	return kith_hash_u64(kith_hash_round(a, b));
#endif
}

static inline uint64_t kith_hash_id(const void *data, size_t n)
{
	if (n > 16)
		return kith_hash_long(data, n);
	uint64_t a, b;
	kith_hash_words(data, n, 8, &a, &b);
	return kith_hash_fold(a ^ KITH_HASH_SEED, b ^ KITH_HASH_ROUND ^ (n * KITH_HASH_LEN));
}

/* An open-addressing map from 32-bit keys to 32-bit values (the index of
 * the sparse member extras). Values are indexes into the owner's own
 * arrays; the map never shrinks. A key and its value share a slot, so a
 * lookup that hits reads one cache line. */
struct kith_u32map {
	struct kith_u32pair {
		uint32_t key;
		uint32_t val; /* value + 1; 0 marks an empty slot */
	} *slots;
	size_t cap; /* power of two, or 0 */
	size_t count;
};

bool kith_u32map_reserve(const struct kith_mem *mem, struct kith_u32map *m, size_t extra);
/* The slot of key, or the empty slot where it would go (cap > 0). */
static inline size_t kith_u32map_slot(const struct kith_u32map *m, uint32_t key)
{
	size_t mask = m->cap - 1;
	size_t i = (size_t)kith_hash_u64(key) & mask;
	while (m->slots[i].val && m->slots[i].key != key)
		i = (i + 1) & mask;
	return i;
}
/* Returns the value or UINT32_MAX when absent. */
static inline uint32_t kith_u32map_get(const struct kith_u32map *m, uint32_t key)
{
	if (!m->cap)
		return UINT32_MAX;
	return m->slots[kith_u32map_slot(m, key)].val - 1; /* empty: 0 - 1 */
}
/* Insert a new key (after a successful reserve; the key must be absent). */
void kith_u32map_put(struct kith_u32map *m, uint32_t key, uint32_t val);
void kith_u32map_fini(const struct kith_mem *mem, struct kith_u32map *m);

/* ---- status.c: errors -------------------------------------------------- */

/* Record a formatted message as the community's last error; returns st. */
kith_status kith_fail(kith_community *c, kith_status st, const char *fmt, ...) KITH_PRINTF(3, 4);

/* ---- members.c: the member table --------------------------------------- */

/* Add one to a counter that saturates rather than wraps, as every count
 * the model keeps does (members' and the graph's). */
static inline void kith_inc32(uint32_t *x)
{
	if (*x < UINT32_MAX)
		(*x)++;
}

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
	struct kith_member **pages; /* KITH_PAGE_SIZE records each; no realloc of records */
	size_t page_count;
	size_t page_cap;
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
/* Recompute every member's name_ok after community.name_format changed. */
void kith_members_check_names(kith_community *c);
/* Whether a display name satisfies community.name_format (true when unset). */
bool kith_name_compliant(const kith_community *c, const char *name, size_t n);

/* ---- roles.c ----------------------------------------------------------- */

#define KITH_ROLE_NAME_MAX 64
#define KITH_BUILTIN_ROLE_COUNT 8

struct kith_role {
	char name[KITH_ROLE_NAME_MAX + 1];
	uint32_t permissions;
	bool protected_from_cleanup;
	/* The role's setting names, kept so that kith_setting_describe can
	 * lend them out. */
	char setting_permissions[KITH_ROLE_NAME_MAX + 24];
	char setting_protected[KITH_ROLE_NAME_MAX + 24];
};

struct kith_roles {
	struct kith_role role[KITH_ROLES_MAX];
	uint32_t count;
};

void kith_roles_init(struct kith_roles *r);
/* Role handle by name (ASCII case-insensitive), or UINT32_MAX. */
uint32_t kith_roles_find(const struct kith_roles *r, const char *name, size_t n);
bool kith_role_name_valid(const char *name, size_t n);
/* Add a role (the name is valid and new, count < KITH_ROLES_MAX). */
uint32_t kith_roles_add(struct kith_roles *r, const char *name, size_t n);

/* ---- settings.c -------------------------------------------------------- */

#define KITH_TOPICS_MAX 64
#define KITH_COMMUNITY_NAME_MAX 256
#define KITH_TOPIC_MAX 64

struct kith_settings {
	char name[KITH_COMMUNITY_NAME_MAX + 1];
	char topics[KITH_TOPICS_MAX][KITH_TOPIC_MAX + 1]; /* lower-cased */
	uint32_t topic_count;
	int32_t utc_offset_min;
	uint32_t capacity;
	char *name_format;       /* owned, NUL-terminated; NULL = none */
	regex_t name_regex;      /* compiled when name_format is set */
	double half_life_days;
	double kind_weight[KITH_KIND_COUNT];
	double greeting_weight;
	double topic_bonus;
	double repeat_factor;
	double reply_credit;
	double reaction_credit;
	double high_threshold;
	uint32_t ledger_capacity;
	uint32_t digest_size;
	/* Engine settings (plain values only; see ENGINE_* in settings.c). */
	/* cleanup.* (cleanup.c) */
	uint32_t cleanup_silent_days;
	int64_t cleanup_speak_within_ms;
	int64_t cleanup_newcomer_grace_ms;
	int64_t cleanup_ultimatum_ms;
	uint32_t cleanup_max_violations;   /* 0: off */
	uint32_t cleanup_envelope_days;
	double cleanup_min_score;          /* 0: off */
	int64_t cleanup_purchase_protects_ms; /* 0: off */
	int64_t cleanup_attendance_protects_ms; /* 0: off */
	double cleanup_keep_active_share;  /* 0: no target */
	uint32_t cleanup_room_for;         /* 0: no target */
	uint32_t cleanup_max_per_run;      /* 0: no cap */
	/* health.* (health.c) */
	uint32_t health_window_days;
	uint32_t health_long_window_days;
	uint32_t health_dead_days;
	double health_min_active_share;
	double health_min_active_share_long;
	double health_min_messages_per_day;
	double health_min_interactions_per_day;
	double health_min_value_ratio;
	double health_max_lurker_share;
	double health_opinion_leader_share;
	double health_expert_share;
	double health_min_retention;
	uint32_t health_min_half_writers;
	double health_max_envelope_share;
	double health_max_official_share;
};

void kith_settings_defaults(struct kith_settings *s);
/* Deep copy (name_format and its regex); false on failure, dst untouched. */
bool kith_settings_copy(const struct kith_mem *mem, struct kith_settings *dst,
                        const struct kith_settings *src);
void kith_settings_fini(const struct kith_mem *mem, struct kith_settings *s);

/* Engine settings (marked generic in settings.c) travel in snapshots by
 * name and canonical text. They are addressed by a position private to
 * this build: kith_settings_generic_next gives the first at or after pos
 * (and its name), or SIZE_MAX; kith_settings_generic_find the position of
 * a name at or after from, or SIZE_MAX; the setter works on a bare
 * settings struct and accepts only canonical text. Walking positions in
 * increasing order is the order snapshots write them in. */
size_t kith_settings_generic_next(size_t pos, const char **name);
size_t kith_settings_generic_find(const char *name, size_t from);
void kith_settings_generic_get(const struct kith_settings *s, size_t pos, char *buf, size_t size);
kith_status kith_settings_generic_set(struct kith_settings *s, size_t pos, const char *value,
                                      size_t n, char *err, size_t err_size);

/* CRC-32C (Castagnoli, reflected): continue crc (the running register,
 * not yet inverted; start from ~0u and invert at the end) over n bytes.
 * The table entry accessor is for the test that checks the table. */
uint32_t kith_crc32c_update(uint32_t crc, const unsigned char *p, size_t n);
uint32_t kith_crc32c_table_entry(unsigned slice, unsigned byte);

/* Whether regcomp can compile this extended regex without blowing up:
 * false when its repetitions would expand past a bounded size (regex.c).
 * Every pattern from outside (rules, community.name_format) is checked. */
bool kith_regex_bounded(const char *v, size_t n);

/* The trace name of a kind ("text", ...), or NULL. */
const char *kith_kind_name(uint32_t kind);
/* The kind of a trace name (exact, lower case), or UINT32_MAX. */
uint32_t kith_kind_from_name(const char *name, size_t n);

/* One "name = value" of a charter, with where it came from. */
struct kith_assignment {
	const char *name; /* NUL-terminated setting name, e.g. "community.topics" */
	const char *value;
	size_t value_len;
	uint64_t line;    /* where the value starts, for error messages */
	uint64_t column;
};

/* Apply all assignments or none. On failure *failed is the index of the
 * assignment that failed, the last error reads "line L, column C: reason"
 * and the community is unchanged. */
kith_status kith_settings_apply(kith_community *c, const struct kith_assignment *a, size_t n,
                                size_t *failed);

/* ---- ledger.c: the bounded ledger of recent messages ------------------- */

#include "model/ledger.h"

/* ---- graph.c: the interaction graph ------------------------------------ */

struct kith_edge {
	uint32_t source;
	uint32_t target;
	uint32_t counts[4]; /* by kith_interaction */
};

/* A slot of the graph's index: which edge, and the high half of its key's
 * hash, so that a probe passing other keys' slots reads no edge. */
struct kith_graph_slot {
	uint32_t edge; /* 1 + the edge's position, or 0 for an empty slot */
	uint32_t tag;
};

/* Edges are kept in the order first seen, in one array, and found through
 * an open-addressing index of 8-byte slots (at most half full). Counting
 * an interaction reads a slot and an edge; growing rehashes only the
 * index, reading the edges in order, so growth streams through memory
 * instead of chasing every edge (the table outgrows the caches: 170,000
 * edges in ingest-500). */
struct kith_graph {
	struct kith_edge *edges;
	size_t edge_cap;
	size_t count;
	struct kith_graph_slot *slots;
	size_t cap; /* power of two, or 0 */
};

void kith_graph_fini(const struct kith_mem *mem, struct kith_graph *g);
/* The hash of the key (source, target): its low bits pick the home slot
 * in an index of cap slots, its high half is the slot's tag. */
static inline uint64_t kith_graph_hash(uint32_t source, uint32_t target)
{
	return kith_hash_u64((uint64_t)source << 32 | target);
}
static inline size_t kith_graph_home(size_t cap, uint64_t h)
{
	return (size_t)h & (cap - 1);
}
static inline uint32_t kith_graph_tag(uint64_t h)
{
	return (uint32_t)(h >> 32);
}
/* A hint: start loading the index slot of (source, target), which ingest
 * will read a few hundred instructions later. */
static inline void kith_graph_prefetch(const struct kith_graph *g, uint32_t source, uint32_t target)
{
	if (g->cap)
		__builtin_prefetch(&g->slots[kith_graph_home(g->cap, kith_graph_hash(source, target))]);
}
/* Room for `more` edges besides those the graph holds (more >= 1): the
 * common case inline, growth in graph.c. */
bool kith_graph_grow(const struct kith_mem *mem, struct kith_graph *g, size_t more);
static inline bool kith_graph_reserve(const struct kith_mem *mem, struct kith_graph *g, size_t more)
{
	if (g->count + more <= g->edge_cap && g->count + more <= g->cap / 2)
		return true;
	return kith_graph_grow(mem, g, more);
}
/* The edge (source, target), created with zero counts if new (after a
 * reserve). Callers increment its counts. */
struct kith_edge *kith_graph_touch(struct kith_graph *g, uint32_t source, uint32_t target);
const struct kith_edge *kith_graph_find(const struct kith_graph *g, uint32_t source, uint32_t target);
/* The i-th edge in the order first seen (i < count). */
static inline const struct kith_edge *kith_graph_edge(const struct kith_graph *g, size_t i)
{
	return &g->edges[i];
}

/*
 * While a batch is ingested (kith_community_ingest_array, or a buffer
 * through kith_community_ingest_trace), the
 * interactions its events count wait in a queue and reach the graph in
 * bulk, in the order they were counted. The graph outgrows the caches,
 * and a count that waits for its index slot and edge to come from memory
 * costs more than all the rest of an event. Queued, they have long
 * arrived when it is counted (ingest prefetches the slot as it reads the
 * event, and the flush prefetches slots and edges ahead), and the loads
 * of many overlap.
 * Nothing reads the graph during a batch, and the batch flushes the queue
 * before it returns, so no caller ever sees a difference. The queue (24
 * KiB) is allocated by a community's first batch; when that allocation
 * fails, interactions are counted at once, as outside batches.
 */
#define KITH_GRAPH_QUEUE_MAX 2048

struct kith_graph_queue {
	bool on; /* a batch is being ingested: queue rather than count */
	uint32_t count;
	struct kith_graph_queued {
		uint32_t source, target;
		uint16_t kind;    /* a kith_interaction */
		uint16_t mention; /* also count a mention */
	} *item; /* KITH_GRAPH_QUEUE_MAX of them, or NULL before the first batch */
};

/* A batch of events begins or ends (ingest.c): between the two, counted
 * interactions wait in the queue; the end counts them. Nothing in between
 * may read the graph. */
void kith_ingest_batch_begin(kith_community *c);
void kith_ingest_batch_end(kith_community *c);
/* Count one interaction now (kind, and a mention too when mention is set),
 * in an edge the caller reserved room for. */
void kith_graph_count(struct kith_graph *g, uint32_t source, uint32_t target, uint32_t kind,
                      bool mention);
/* Count every queued interaction, oldest first, and empty the queue. */
void kith_graph_flush(struct kith_graph *g, struct kith_graph_queue *q);

/* ---- value.c: content value and the digest ----------------------------- */

struct kith_digest_entry {
	uint64_t seq; /* ledger sequence of the message */
	uint32_t author;
	float value;
};

#define KITH_DIGEST_MAX 100

/* The digest (kith.h, kith_community_digest_count) is derived from the
 * ledger: worked out when asked for and kept until the community changes
 * (kith_digest_forget), so ingest does nothing for it. */
struct kith_digest {
	struct kith_digest_entry entry[KITH_DIGEST_MAX]; /* best first */
	uint32_t count;
	int64_t day; /* local day the digest is for */
	bool known;  /* entry, count and day are those of the community as it is */
};

/* Add v (valued at time t) to member h's decayed contribution score. */
void kith_score_add(kith_community *c, uint32_t h, double v, int64_t t);
/* Forget the cached score factor (after the epoch or half-life changed). */
void kith_score_cache_clear(kith_community *c);
/* Rescale every score to a new epoch t (exact powers of two where it can). */
void kith_score_rebase(kith_community *c, int64_t t);
/* Member h's score at time t. */
double kith_score_at(const kith_community *c, uint32_t h, int64_t t);
/* The factor that turns a stored member score into its value at time t
 * (the same arithmetic as kith_score_at, paid once for all members). */
double kith_score_factor_at(const kith_community *c, int64_t t);
/* Whether digest entry a ranks before b: higher value, then older. */
static inline bool kith_digest_ranks_before(const struct kith_digest_entry *a,
                                            const struct kith_digest_entry *b)
{
	return a->value > b->value || (a->value == b->value && a->seq < b->seq);
}
/* The digest of the community as it is (worked out if not known; the
 * cache is written through the const pointer, which the threading
 * contract allows: one thread at a time). */
const struct kith_digest *kith_digest_of(const kith_community *c);
/* Local day number of a UTC time under the community's offset (floor). */
int64_t kith_local_day(const kith_community *c, int64_t t);
/* Whether a comma-separated tag list holds tag (ASCII case-insensitive). */
bool kith_tags_have(const char *tags, size_t n, const char *tag);
/* The tags ingest gives a meaning, found in one pass (ASCII case-insensitive). */
#define KITH_TAG_QUESTION 1u
#define KITH_TAG_FEEDBACK 2u
#define KITH_TAG_COMPLAINT 4u
#define KITH_TAG_GREETING 8u
unsigned kith_tags_known(const char *tags, size_t n);

/* ---- community.c ------------------------------------------------------- */

/* Seconds in a block of the score factor's cache (value.c). */
#define KITH_SCORE_FINE 256

struct kith_community {
	struct kith_mem mem;
	struct kith_settings settings;
	struct kith_roles roles;
	struct kith_members members;
	struct kith_ledger ledger;
	struct kith_graph graph;
	struct kith_graph_queue graph_queue;
	struct kith_digest digest;
	uint64_t messages;
	uint64_t high_value_messages;
	int64_t last_event_ms;    /* KITH_TIME_NONE before the first event */
	int64_t score_epoch_ms;   /* scores are stored scaled to this time */
	/* The score factor's cache (value.c): the block of seconds starting
	 * at score_block_start ms (span ms long; 0 = none cached) has factor
	 * score_block_factor at its start, and its second k score_fine[k]
	 * times that. */
	int64_t score_block_start;
	uint64_t score_block_span;
	double score_block_factor;
	double score_fine_half_life; /* the half-life score_fine was filled for; 0 = never */
	double score_fine[KITH_SCORE_FINE];
	int64_t day_cache_start;  /* [start, end) in UTC ms is local day day_cache_day */
	int64_t day_cache_end;
	int64_t day_cache_day;
	struct kith_rules *rules; /* the rules engine (rules.c); NULL until a rule setting */
	char error[KITH_ERROR_MAX];
};

/* The community changed in a way that may change its digest. */
static inline void kith_digest_forget(kith_community *c)
{
	c->digest.known = false;
}

/* The local day of t (value.c): the day last asked for is cached by its
 * bounds, so the events of a day find it without a division. */
int64_t kith_local_day_fill(kith_community *c, int64_t t);
static inline int64_t kith_local_day_cached(kith_community *c, int64_t t)
{
	if (t >= c->day_cache_start && t < c->day_cache_end)
		return c->day_cache_day;
	return kith_local_day_fill(c, t);
}

/* The score factor of t when it is not in the cached block (value.c). */
double kith_score_factor_new_block(kith_community *c, int64_t t);

/* 2^((t - epoch) / half-life), t to the whole second (value.c). */
static inline double kith_score_factor(kith_community *c, int64_t t)
{
	uint64_t into = (uint64_t)t - (uint64_t)c->score_block_start;
	if (into < c->score_block_span)
		return c->score_block_factor * c->score_fine[into / 1000];
	return kith_score_factor_new_block(c, t);
}

/* Add v (valued at time t) to the decayed contribution score of a member
 * record at hand. */
static inline void kith_score_add_to(kith_community *c, struct kith_member *m, double v, int64_t t)
{
	if (v == 0)
		return;
	m->score += (float)(v * kith_score_factor(c, t));
	/* Taking back a deleted message's value can leave a rounding residue
	 * below zero (a fuzz-events finding): a score is never negative. */
	if (m->score < 0)
		m->score = 0;
}

/* Credit engagement (a reply or a reaction worth `credit`) at time t to a
 * ledger message and its author; inline, as ingest does it for most
 * replies and reactions. */
static inline void kith_value_engage(kith_community *c, struct kith_ledger_entry *e, double credit,
                                     int64_t t)
{
	e->value += (float)credit;
	struct kith_member *m = kith_member_at(&c->members, e->author);
	if (!e->high && e->value >= c->settings.high_threshold) {
		e->high = 1;
		kith_inc32(&m->high_value);
		c->high_value_messages++;
	}
	kith_score_add_to(c, m, credit, t);
}

/* Whether a message is on one of community.topics (value.c). */
bool kith_value_on_topic(const kith_community *c, const kith_event *ev);

/* A text's length factor for 0 .. 40 characters: 0.25 + 0.75 * len / 40,
 * worked out when compiled (value.c). */
extern const double kith_text_scale[41];

/* The value of a message at ingest from its kind, tags, text and length;
 * text_n is its text's resolved length, tags_known what kith_tags_known
 * found in its tags. */

static inline float kith_value_of_message(const kith_community *c, const kith_event *ev, size_t text_n,
                                          unsigned tags_known, bool repeated)
{
	const struct kith_settings *s = &c->settings;
	double v = s->kind_weight[ev->kind];
	if (tags_known & KITH_TAG_GREETING)
		v = s->greeting_weight;
	if (s->topic_count && kith_value_on_topic(c, ev))
		v *= 1.0 + s->topic_bonus;
	if (repeated)
		v *= s->repeat_factor;
	/* A text's value grows with its length up to 40 characters. Whether a
	 * message is a text is hard to predict, so both outcomes are worked
	 * out and one is picked by index. */
	size_t len = ev->length ? ev->length : text_n;
	double scale[2] = {1.0, kith_text_scale[len < 40 ? len : 40]};
	v *= scale[(ev->kind == KITH_KIND_TEXT) & ((len != 0) | (ev->text != NULL))];
	return (float)v;
}

/* Valid member handle? */
static inline bool kith_member_valid(const kith_community *c, uint32_t h)
{
	return c && h < c->members.count;
}

/* Length of a (pointer, length) pair where length may be KITH_NUL_TERMINATED. */
static inline size_t kith_len(const char *s, size_t n)
{
	return s == NULL ? 0 : n == KITH_NUL_TERMINATED ? strlen(s) : n;
}

/* ---- rules.c: the rules engine's hooks ---------------------------------- */

struct kith_rules;
struct kith_rules_txn;
/* Whether a setting name is the engine's (rule.*, rules.*, templates.*). */
bool kith_rules_owns_setting(const char *name);
/* The rules engine's settings of fixed name (rules.*, templates.*), for
 * kith_setting_describe: i < kith_rules_setting_count(). */
size_t kith_rules_setting_count(void);
void kith_rules_setting_describe(size_t i, const char **name, kith_setting_type *type, double *min,
                                 double *max);
/* Apply one assignment to the pending change *t (created on first use);
 * roles are the roles the settings transaction holds. */
kith_status kith_rules_txn_set(kith_community *c, struct kith_rules_txn **t, const struct kith_roles *roles,
                               const char *name, const char *v, size_t n, char *err, size_t err_size);
/* Compile the pending change (allocations only; nothing changes). */
kith_status kith_rules_txn_prepare(kith_community *c, struct kith_rules_txn *t, const struct kith_roles *roles);
/* Install a prepared change (cannot fail), or drop a change; both free t. */
void kith_rules_txn_commit(kith_community *c, struct kith_rules_txn *t);
void kith_rules_txn_abort(kith_community *c, struct kith_rules_txn *t);
/* Read an engine setting as text; KITH_ENOTFOUND when there is none. */
kith_status kith_rules_setting_get(const kith_community *c, const char *name, char *buf, size_t size,
                                   size_t *needed);
void kith_rules_free(kith_community *c);
/* How long a violation counts (rules.forgive_after; 0 = never forgiven). */
int64_t kith_rules_forgive_ms(const kith_community *c);
/* Ingest: evaluate the event against the model before it changes (actor,
 * by, to: handles or UINT32_MAX), reserving all the verdicts need; then,
 * after the model is applied, commit (cannot fail). */
kith_status kith_rules_evaluate(kith_community *c, const kith_event *ev, uint32_t actor, uint32_t by,
                                uint32_t to, size_t actor_n, size_t msg_id_n, size_t tags_n, size_t text_n);
void kith_rules_commit(kith_community *c, const kith_event *ev, size_t msg_id_n);

#endif /* KITH_PRIVATE_H */
