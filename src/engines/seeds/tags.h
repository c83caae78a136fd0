/*
 * Interest tags of the seeds engine's diversity cap: the tags each member's
 * messages carried most, within a fixed budget per member.
 *
 * Each member who sent a tagged message while seeds.diversity was above 0
 * keeps KITH_SEEDS_TAG_SLOTS (tag, count) slots, a space-saving summary
 * (Metwally, Agrawal, El Abbadi, 2005): a tag already held counts up, a
 * new one takes a free slot, or else the slot of the least count, whose
 * count it inherits plus one. A tag carried more often than a
 * 1/KITH_SEEDS_TAG_SLOTS share of a member's tags is always held, and the
 * slot of the highest count is the member's interest. Tag names are
 * interned once per community, at most KITH_SEEDS_TAG_NAMES of them (later
 * new names are not counted). Rows exist up to the highest member handle
 * that sent a tagged message: 24 bytes a row.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_ENGINES_SEEDS_TAGS_H
#define KITH_ENGINES_SEEDS_TAGS_H

#include "model/community.h"
#include "util/memory.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KITH_SEEDS_TAG_SLOTS 3
#define KITH_SEEDS_TAG_NAMES 1024
#define KITH_SEEDS_TAG_NONE  UINT32_MAX

struct kith_seeds_tag_slot {
	uint32_t tag, count; /* count 0: free */
};

struct kith_seeds_tags {
	char *pool;           /* names, NUL-terminated, back to back */
	size_t pool_len, pool_cap;
	uint32_t *name_off;   /* by tag: its name in pool */
	uint32_t names, names_cap;
	uint32_t *hash;       /* 2 * KITH_SEEDS_TAG_NAMES slots: tag + 1, 0 free */
	struct kith_seeds_tag_slot (*rows)[KITH_SEEDS_TAG_SLOTS];
	uint32_t rows_n, rows_cap;
};

void kith_seeds_tags_fini(const struct kith_mem *mem, struct kith_seeds_tags *t);
/* Reserve what counting a message of member (rows up to member + 1) with
 * the comma-separated tags[0..n) needs; false out of memory. */
bool kith_seeds_tags_reserve(const struct kith_mem *mem, struct kith_seeds_tags *t,
                             uint32_t member, const char *tags, size_t n);
/* Count the message's tags for member (after a reserve; cannot fail). */
void kith_seeds_tags_count(struct kith_seeds_tags *t, uint32_t member, const char *tags, size_t n);
/* The member's interest (the tag of its highest count, the lower tag
 * between equals), or KITH_SEEDS_TAG_NONE. */
uint32_t kith_seeds_tags_top(const struct kith_seeds_tags *t, uint32_t member);
/* A tag's name. */
const char *kith_seeds_tags_name(const struct kith_seeds_tags *t, uint32_t tag);
/* Intern a name (for the snapshot reader): its tag, or KITH_SEEDS_TAG_NONE
 * out of memory or over the limit. */
uint32_t kith_seeds_tags_intern(const struct kith_mem *mem, struct kith_seeds_tags *t,
                                const char *name, size_t n);
/* Rows up to rows (for the snapshot reader); false out of memory. */
bool kith_seeds_tags_rows(const struct kith_mem *mem, struct kith_seeds_tags *t, uint32_t rows);

#endif /* KITH_ENGINES_SEEDS_TAGS_H */
