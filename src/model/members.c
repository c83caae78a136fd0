/*
 * The member table: ids interned to dense handles, member records in
 * fixed pages (so a record never moves and growth never copies them),
 * display names, aliases and the sparse extras.
 *
 * SPDX-License-Identifier: MIT
 */
#include "model/members.h"

#include "util/arena.h"
#include "util/hash.h"
#include "util/memory.h"
#include "util/u32map.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The memory budget: at most 160 bytes a member besides its id, of which
 * the key table takes about 8. A field added here must be paid for. */
_Static_assert(sizeof(struct kith_member) <= 148, "struct kith_member outgrew its budget");

/* The first page's first size, in records. */
#define FIRST_PAGE_MIN 8u

/* Key tables below this many slots are kept at most a quarter full. */
#define SLOTS_SMALL (1u << 16)

static uint32_t slot_make(uint32_t index, bool alias, uint32_t tag)
{
	return (index + 1) << KITH_SLOT_INDEX_SHIFT | (alias ? KITH_SLOT_ALIAS_BIT : 0) | tag;
}

void kith_members_init(struct kith_members *ms) { memset(ms, 0, sizeof *ms); }

void kith_members_fini(const struct kith_mem *mem, struct kith_members *ms)
{
	for (size_t p = 0; p < ms->page_count; p++)
		kith_mem_free(mem, ms->pages[p],
		              (p ? KITH_PAGE_SIZE : ms->first_cap) * sizeof(struct kith_member));
	kith_mem_free(mem, ms->pages, ms->page_cap * sizeof *ms->pages);
	kith_arena_fini(mem, &ms->keys);
	kith_arena_fini(mem, &ms->names);
	kith_mem_free(mem, ms->aliases, ms->alias_cap * sizeof *ms->aliases);
	kith_mem_free(mem, ms->slots, ms->slot_cap * sizeof *ms->slots);
	kith_mem_free(mem, ms->extras, ms->extra_cap * sizeof *ms->extras);
	kith_u32map_fini(mem, &ms->extra_index);
	memset(ms, 0, sizeof *ms);
}

void kith_members_prefetch_slot(const struct kith_members *ms, uint64_t h)
{
	if (ms->slot_cap)
		__builtin_prefetch(&ms->slots[kith_slot_home(ms->slot_cap, h)]);
}

/* The record the home slot of hash h names, when it is a member's first
 * id with h's tag: a guess (the id is not compared), good for prefetching. */
static const struct kith_member *home_record(const struct kith_members *ms, uint64_t h)
{
	if (!ms->slot_cap)
		return NULL;
	uint32_t s = ms->slots[kith_slot_home(ms->slot_cap, h)];
	if (!s || (s & KITH_SLOT_ALIAS_BIT) || !kith_slot_tagged(s, h))
		return NULL;
	return kith_member_at(ms, kith_slot_index(s));
}

void kith_members_prefetch_member(const struct kith_members *ms, uint64_t h)
{
	const struct kith_member *m = home_record(ms, h);
	if (m) {
		/* A record spans up to three cache lines. */
		__builtin_prefetch(m);
		__builtin_prefetch((const char *)m + 64);
		__builtin_prefetch((const char *)m + sizeof *m - 1);
	}
}

void kith_members_prefetch_key(const struct kith_members *ms, uint64_t h)
{
	const struct kith_member *m = home_record(ms, h);
	if (m)
		__builtin_prefetch(ms->keys.data + m->id);
}

/* Whether a key table of cap slots may hold need keys: at most a quarter
 * full while it is small (at most 256 KiB; most probes then end at the
 * first slot, and the branch predictor learns their loop: ingest-500 is
 * 4-6% faster than half full), at most 70% once it is large, which keeps
 * its memory near the members'. */
static bool slots_fit(size_t need, size_t cap)
{
	return cap < SLOTS_SMALL ? need * 4 <= cap : need * 10 <= cap * 7;
}

/* Grow the key table to hold `need` keys. It grows by half at a time. */
static bool slots_reserve(const struct kith_mem *mem, struct kith_members *ms, size_t need)
{
	if (ms->slot_cap && slots_fit(need, ms->slot_cap))
		return true;
	size_t cap = ms->slot_cap ? ms->slot_cap : 64;
	while (!slots_fit(need, cap))
		cap += cap / 2;
	if (cap > UINT32_MAX)
		return false;
	uint32_t *slots = kith_mem_calloc(mem, cap, sizeof *slots);
	if (!slots)
		return false;
	for (size_t i = 0; i < ms->slot_cap; i++) {
		uint32_t s = ms->slots[i];
		if (!s)
			continue;
		size_t n;
		const char *k = kith_arena_str(&ms->keys, kith_slot_key(ms, s), &n);
		size_t j = kith_slot_home(cap, kith_hash_id(k, n));
		while (slots[j])
			if (++j == cap)
				j = 0;
		slots[j] = s;
	}
	kith_mem_free(mem, ms->slots, ms->slot_cap * sizeof *ms->slots);
	ms->slots = slots;
	ms->slot_cap = cap;
	return true;
}

/* Grow the first page to hold need records (or a full page): it doubles
 * from FIRST_PAGE_MIN. The records move; handles do not. */
static bool first_page_grow(const struct kith_mem *mem, struct kith_members *ms, size_t need)
{
	uint32_t cap = ms->first_cap ? ms->first_cap : FIRST_PAGE_MIN;
	while (cap < need && cap < KITH_PAGE_SIZE)
		cap *= 2;
	struct kith_member *page = kith_mem_alloc_array(mem, cap, sizeof *page);
	if (!page)
		return false;
	if (ms->page_count) {
		uint32_t n = ms->count < ms->first_cap ? ms->count : ms->first_cap;
		memcpy(page, ms->pages[0], n * sizeof *page);
		kith_mem_free(mem, ms->pages[0], ms->first_cap * sizeof *page);
		ms->pages[0] = page;
	} else {
		ms->pages[ms->page_count++] = page;
	}
	ms->first_cap = cap;
	return true;
}

bool kith_members_reserve(const struct kith_mem *mem, struct kith_members *ms, size_t extra_members,
                          size_t id_bytes)
{
	size_t need = (size_t)ms->count + extra_members;
	if (need > KITH_MEMBERS_MAX)
		return false;
	size_t pages_needed = (need + KITH_PAGE_SIZE - 1) >> KITH_PAGE_SHIFT;
	if (!kith_mem_grow(mem, (void **)&ms->pages, &ms->page_cap, pages_needed, sizeof *ms->pages))
		return false;
	if (need > ms->first_cap && ms->first_cap < KITH_PAGE_SIZE && !first_page_grow(mem, ms, need))
		return false;
	while (ms->page_count < pages_needed) {
		struct kith_member *page = kith_mem_alloc(mem, KITH_PAGE_SIZE * sizeof *page);
		if (!page)
			return false;
		ms->pages[ms->page_count++] = page;
	}
	/* Each id costs its bytes plus a length of up to five and a NUL. */
	if (!kith_arena_reserve(mem, &ms->keys, id_bytes + extra_members * (kith_arena_cost(255) - 255)))
		return false;
	return slots_reserve(mem, ms, ms->slot_used + extra_members);
}

bool kith_members_reserve_alias(const struct kith_mem *mem, struct kith_members *ms, size_t id_bytes)
{
	if (ms->alias_count + 1 > KITH_MEMBERS_MAX)
		return false;
	if (!kith_mem_grow(mem, (void **)&ms->aliases, &ms->alias_cap, ms->alias_count + 1,
	                   sizeof *ms->aliases))
		return false;
	if (!kith_arena_reserve(mem, &ms->keys, kith_arena_cost(id_bytes)))
		return false;
	return slots_reserve(mem, ms, ms->slot_used + 1);
}

uint32_t kith_members_add(struct kith_members *ms, const char *id, size_t n)
{
	uint32_t h = ms->count++;
	struct kith_member *m = kith_member_at(ms, h);
	memset(m, 0, sizeof *m);
	m->joined_ms = KITH_TIME_NONE;
	m->first_msg_ms = KITH_TIME_NONE;
	m->last_msg_ms = KITH_TIME_NONE;
	m->id = kith_arena_push(&ms->keys, id, n);
	uint64_t hash = kith_hash_id(id, n);
	struct kith_member *rec;
	size_t i = kith_slot_find(ms, id, n, hash, &rec);
	ms->slots[i] = slot_make(h, false, kith_slot_tag(hash));
	ms->slot_used++;
	return h;
}

void kith_members_alias(struct kith_members *ms, uint32_t h, const char *id, size_t n)
{
	uint64_t hash = kith_hash_id(id, n);
	struct kith_member *rec;
	size_t i = kith_slot_find(ms, id, n, hash, &rec);
	uint32_t s = ms->slots[i];
	if (s && kith_slot_member(ms, s) == h)
		return; /* already names h */
	if (s && (s & KITH_SLOT_ALIAS_BIT)) {
		ms->aliases[kith_slot_index(s)].member = h; /* an alias moves over */
		return;
	}
	/* A new id, or another member's first id: either way an alias record
	 * now holds the key (reusing the first id's bytes when there are). */
	uint32_t a = (uint32_t)ms->alias_count++;
	ms->aliases[a].key = s ? kith_slot_key(ms, s) : kith_arena_push(&ms->keys, id, n);
	ms->aliases[a].member = h;
	if (!s)
		ms->slot_used++;
	ms->slots[i] = slot_make(a, true, kith_slot_tag(hash));
}

bool kith_members_reserve_name(const struct kith_mem *mem, struct kith_members *ms, size_t n)
{
	return kith_arena_reserve(mem, &ms->names, kith_arena_cost(n));
}

/* Rewrite the names arena without the replaced names. Optional: when the
 * allocation fails, the old arena simply stays. */
static void names_compact(const struct kith_mem *mem, struct kith_members *ms)
{
	struct kith_arena fresh = {0};
	if (!kith_arena_reserve(mem, &fresh, ms->names.len - ms->names_garbage))
		return;
	for (uint32_t h = 0; h < ms->count; h++) {
		struct kith_member *m = kith_member_at(ms, h);
		if (!m->name)
			continue;
		size_t n;
		const char *s = kith_arena_str(&ms->names, m->name - 1, &n);
		m->name = kith_arena_push(&fresh, s, n) + 1;
	}
	kith_arena_fini(mem, &ms->names);
	ms->names = fresh;
	ms->names_garbage = 0;
}

void kith_members_set_name(const struct kith_mem *mem, struct kith_members *ms, uint32_t h,
                           const char *name, size_t n)
{
	struct kith_member *m = kith_member_at(ms, h);
	if (m->name) {
		size_t old;
		kith_arena_str(&ms->names, m->name - 1, &old);
		ms->names_garbage += kith_arena_cost(old);
	}
	m->name = kith_arena_push(&ms->names, name, n) + 1;
	if (ms->names_garbage > 65536 && ms->names_garbage > ms->names.len / 2)
		names_compact(mem, ms);
}

struct kith_member_extra *kith_members_extra(const struct kith_members *ms, uint32_t h)
{
	uint32_t i = kith_u32map_get(&ms->extra_index, h);
	return i == UINT32_MAX ? NULL : &ms->extras[i];
}

bool kith_members_reserve_extra(const struct kith_mem *mem, struct kith_members *ms)
{
	return kith_mem_grow(mem, (void **)&ms->extras, &ms->extra_cap, ms->extra_count + 1,
	                     sizeof *ms->extras) &&
	       kith_u32map_reserve(mem, &ms->extra_index, 1);
}

struct kith_member_extra *kith_members_extra_get(struct kith_members *ms, uint32_t h)
{
	struct kith_member_extra *x = kith_members_extra(ms, h);
	if (x)
		return x;
	uint32_t i = (uint32_t)ms->extra_count++;
	x = &ms->extras[i];
	memset(x, 0, sizeof *x);
	x->member = h;
	x->last_purchase_ms = KITH_TIME_NONE;
	x->ultimatum_issued_ms = KITH_TIME_NONE;
	x->ultimatum_deadline_ms = KITH_TIME_NONE;
	x->last_violation_ms = KITH_TIME_NONE;
	x->last_attend_ms = KITH_TIME_NONE;
	kith_u32map_put(&ms->extra_index, h, i);
	return x;
}
