/*
 * The model's settings: the values ingest, value and the ledger read.
 * Named settings are set and read through the registry (registry.h).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_MODEL_SETTINGS_H
#define KITH_MODEL_SETTINGS_H

#include "kith.h"
#include "util/memory.h"

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KITH_TOPICS_MAX 64
#define KITH_COMMUNITY_NAME_MAX 256
#define KITH_TOPIC_MAX 64

/* The community's name and topics cost what was set: the name is "" (not
 * allocated) or an owned copy; the topics, lower-cased, are topic_count
 * pointers followed by their strings in one owned block (NULL for none). */
struct kith_settings {
	const char *name;
	char **topics;
	size_t topics_size; /* bytes of the topics' block */
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
};

void kith_settings_defaults(struct kith_settings *s);
/* Compile community.name_format's pattern; 0 or the regcomp error. */
static inline int kith_name_format_compile(regex_t *re, const char *pattern)
{
	return regcomp(re, pattern, REG_EXTENDED | REG_NOSUB);
}
/* Deep copy (name_format and its regex); false on failure, dst untouched. */
bool kith_settings_copy(const struct kith_mem *mem, struct kith_settings *dst,
                        const struct kith_settings *src);
void kith_settings_fini(const struct kith_mem *mem, struct kith_settings *s);
/* Replace the name (n bytes, no NUL among them) or the topics (count
 * strings of up to KITH_TOPIC_MAX bytes, NUL-terminated, lower-cased);
 * false on allocation failure, s untouched. */
bool kith_settings_set_name(const struct kith_mem *mem, struct kith_settings *s, const char *name,
                            size_t n);
bool kith_settings_set_topics(const struct kith_mem *mem, struct kith_settings *s,
                              const char (*topics)[KITH_TOPIC_MAX + 1], uint32_t count);

/* The kind of a trace name (exact, lower case), or UINT32_MAX. */
uint32_t kith_kind_from_name(const char *name, size_t n);

#endif /* KITH_MODEL_SETTINGS_H */
