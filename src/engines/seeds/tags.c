/*
 * Interest tags within a budget per member (tags.h says how).
 *
 * SPDX-License-Identifier: MIT
 */
#include "engines/seeds/tags.h"

#include "util/hash.h"
#include "util/lex.h"

#include <string.h>

#define HASH_SLOTS (2 * KITH_SEEDS_TAG_NAMES)

void kith_seeds_tags_fini(const struct kith_mem *mem, struct kith_seeds_tags *t)
{
	kith_mem_free(mem, t->pool, t->pool_cap);
	kith_mem_free(mem, t->name_off, t->names_cap * sizeof *t->name_off);
	kith_mem_free(mem, t->hash, t->hash ? HASH_SLOTS * sizeof *t->hash : 0);
	kith_mem_free(mem, t->rows, t->rows_cap * sizeof *t->rows);
	memset(t, 0, sizeof *t);
}

/* The hash slot of a name: where it is, or the free slot it would take. */
static uint32_t *slot_of(const struct kith_seeds_tags *t, const char *name, size_t n)
{
	uint32_t i = (uint32_t)kith_hash_id(name, n) & (HASH_SLOTS - 1);
	for (;; i = (i + 1) & (HASH_SLOTS - 1)) {
		uint32_t s = t->hash[i];
		if (s == 0)
			return &t->hash[i];
		const char *have = t->pool + t->name_off[s - 1];
		if (strlen(have) == n && memcmp(have, name, n) == 0)
			return &t->hash[i];
	}
}

static bool rows_reserve(const struct kith_mem *mem, struct kith_seeds_tags *t, uint32_t rows)
{
	if (rows <= t->rows_cap)
		return true;
	size_t cap = t->rows_cap;
	void *p = t->rows;
	if (!kith_mem_grow(mem, &p, &cap, rows, sizeof *t->rows))
		return false;
	t->rows = p;
	memset(t->rows + t->rows_cap, 0, (cap - t->rows_cap) * sizeof *t->rows);
	t->rows_cap = (uint32_t)cap;
	return true;
}

bool kith_seeds_tags_reserve(const struct kith_mem *mem, struct kith_seeds_tags *t,
                             uint32_t member, const char *tags, size_t n)
{
	if (!t->hash && !(t->hash = kith_mem_calloc(mem, HASH_SLOTS, sizeof *t->hash)))
		return false;
	if (!rows_reserve(mem, t, member + 1))
		return false;
	/* Room for every item as a new name. */
	size_t items = 1;
	for (size_t i = 0; i < n; i++)
		items += tags[i] == ',';
	size_t names = t->names + items;
	if (names > KITH_SEEDS_TAG_NAMES)
		names = KITH_SEEDS_TAG_NAMES;
	size_t cap = t->names_cap;
	void *p = t->name_off;
	if (names > cap && !kith_mem_grow(mem, &p, &cap, names, sizeof *t->name_off))
		return false;
	t->name_off = p;
	t->names_cap = (uint32_t)cap;
	cap = t->pool_cap;
	p = t->pool;
	if (!kith_mem_grow(mem, &p, &cap, t->pool_len + n + items, 1))
		return false;
	t->pool = p;
	t->pool_cap = cap;
	return true;
}

/* The tag of a name, interned when new and there is room (reserved). */
static uint32_t intern(struct kith_seeds_tags *t, const char *name, size_t n)
{
	uint32_t *s = slot_of(t, name, n);
	if (*s)
		return *s - 1;
	if (t->names >= KITH_SEEDS_TAG_NAMES || t->names >= t->names_cap ||
	    t->pool_len + n + 1 > t->pool_cap)
		return KITH_SEEDS_TAG_NONE;
	t->name_off[t->names] = (uint32_t)t->pool_len;
	memcpy(t->pool + t->pool_len, name, n);
	t->pool[t->pool_len + n] = '\0';
	t->pool_len += n + 1;
	*s = ++t->names;
	return t->names - 1;
}

static void count_tag(struct kith_seeds_tag_slot *row, uint32_t tag)
{
	int free_slot = -1, least = 0;
	for (int i = 0; i < KITH_SEEDS_TAG_SLOTS; i++) {
		if (row[i].count && row[i].tag == tag) {
			row[i].count++;
			return;
		}
		if (!row[i].count && free_slot < 0)
			free_slot = i;
		if (row[i].count < row[least].count)
			least = i;
	}
	if (free_slot >= 0)
		row[free_slot] = (struct kith_seeds_tag_slot){tag, 1};
	else
		row[least] = (struct kith_seeds_tag_slot){tag, row[least].count + 1};
}

void kith_seeds_tags_count(struct kith_seeds_tags *t, uint32_t member, const char *tags, size_t n)
{
	if (member >= t->rows_cap || !t->hash)
		return;
	if (member >= t->rows_n)
		t->rows_n = member + 1;
	const char *item;
	size_t at = 0, len;
	while (kith_lex_item(tags, n, &at, &item, &len)) {
		if (!len)
			continue;
		uint32_t tag = intern(t, item, len);
		if (tag != KITH_SEEDS_TAG_NONE)
			count_tag(t->rows[member], tag);
	}
}

uint32_t kith_seeds_tags_top(const struct kith_seeds_tags *t, uint32_t member)
{
	if (member >= t->rows_n)
		return KITH_SEEDS_TAG_NONE;
	const struct kith_seeds_tag_slot *row = t->rows[member];
	uint32_t best = KITH_SEEDS_TAG_NONE, count = 0;
	for (int i = 0; i < KITH_SEEDS_TAG_SLOTS; i++)
		if (row[i].count > count || (row[i].count && row[i].count == count && row[i].tag < best)) {
			best = row[i].tag;
			count = row[i].count;
		}
	return best;
}

const char *kith_seeds_tags_name(const struct kith_seeds_tags *t, uint32_t tag)
{
	return tag < t->names ? t->pool + t->name_off[tag] : NULL;
}

uint32_t kith_seeds_tags_intern(const struct kith_mem *mem, struct kith_seeds_tags *t,
                                const char *name, size_t n)
{
	if (!kith_seeds_tags_reserve(mem, t, 0, name, n) || memchr(name, ',', n))
		return KITH_SEEDS_TAG_NONE;
	return intern(t, name, n);
}

bool kith_seeds_tags_rows(const struct kith_mem *mem, struct kith_seeds_tags *t, uint32_t rows)
{
	if (!rows_reserve(mem, t, rows))
		return false;
	t->rows_n = rows;
	return true;
}
