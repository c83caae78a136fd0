/*
 * The model's settings as values: their defaults, deep copies (the name
 * format and its compiled pattern), and the names of content kinds.
 *
 * SPDX-License-Identifier: MIT
 */
#include "model/settings.h"

#include "util/memory.h"

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

static const char *const kind_names[KITH_KIND_COUNT] = {
	"text",  "photo", "video",   "voice",    "link",   "article",
	"document", "share", "sticker", "envelope", "system", "other",
};

static const double default_kind_weight[KITH_KIND_COUNT] = {
	1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.1, 0.1, 0.0, 0.2,
};

void kith_settings_defaults(struct kith_settings *s)
{
	memset(s, 0, sizeof *s);
	s->name = "";
	s->utc_offset_min = 0;
	s->half_life_days = 30.0;
	memcpy(s->kind_weight, default_kind_weight, sizeof s->kind_weight);
	s->greeting_weight = 0.1;
	s->topic_bonus = 0.5;
	s->repeat_factor = 0.2;
	s->reply_credit = 0.5;
	s->reaction_credit = 0.2;
	s->high_threshold = 0.5;
	s->ledger_capacity = 1024;
	s->digest_size = 10;
}

static void free_name(const struct kith_mem *mem, const char *name)
{
	if (name[0])
		kith_mem_free(mem, (void *)(uintptr_t)name, strlen(name) + 1);
}

bool kith_settings_set_name(const struct kith_mem *mem, struct kith_settings *s, const char *name,
                            size_t n)
{
	const char *copy = "";
	if (n && !(copy = kith_mem_strdup(mem, name, n)))
		return false;
	free_name(mem, s->name);
	s->name = copy;
	return true;
}

/* The topics' block for count strings (see struct kith_settings). */
static char **topics_block(const struct kith_mem *mem, const char *const *topics, uint32_t count,
                           size_t *size)
{
	size_t bytes = (size_t)count * sizeof(char *);
	for (uint32_t i = 0; i < count; i++)
		bytes += strlen(topics[i]) + 1;
	*size = count ? bytes : 0;
	if (!count)
		return NULL;
	char **block = kith_mem_alloc(mem, bytes);
	if (!block)
		return NULL;
	char *p = (char *)(block + count);
	for (uint32_t i = 0; i < count; i++) {
		size_t n = strlen(topics[i]) + 1;
		memcpy(p, topics[i], n);
		block[i] = p;
		p += n;
	}
	return block;
}

bool kith_settings_set_topics(const struct kith_mem *mem, struct kith_settings *s,
                              const char (*topics)[KITH_TOPIC_MAX + 1], uint32_t count)
{
	const char *list[KITH_TOPICS_MAX] = {NULL};
	for (uint32_t i = 0; i < count; i++)
		list[i] = topics[i];
	size_t size;
	char **block = topics_block(mem, list, count, &size);
	if (count && !block)
		return false;
	kith_mem_free(mem, s->topics, s->topics_size);
	s->topics = block;
	s->topics_size = size;
	s->topic_count = count;
	return true;
}

bool kith_settings_copy(const struct kith_mem *mem, struct kith_settings *dst,
                        const struct kith_settings *src)
{
	struct kith_settings tmp = *src;
	tmp.name_format = NULL;
	tmp.name = "";
	if (src->name[0] && !(tmp.name = kith_mem_strdup(mem, src->name, strlen(src->name))))
		return false;
	tmp.topics = topics_block(mem, (const char *const *)src->topics, src->topic_count,
	                          &tmp.topics_size);
	if (src->topic_count && !tmp.topics) {
		free_name(mem, tmp.name);
		return false;
	}
	if (src->name_format) {
		tmp.name_format = kith_mem_strdup(mem, src->name_format, strlen(src->name_format));
		if (!tmp.name_format || kith_name_format_compile(&tmp.name_regex, tmp.name_format) != 0) {
			if (tmp.name_format)
				kith_mem_free(mem, tmp.name_format, strlen(tmp.name_format) + 1);
			tmp.name_format = NULL;
			kith_settings_fini(mem, &tmp);
			return false;
		}
	}
	*dst = tmp;
	return true;
}

void kith_settings_fini(const struct kith_mem *mem, struct kith_settings *s)
{
	if (s->name_format) {
		regfree(&s->name_regex);
		kith_mem_free(mem, s->name_format, strlen(s->name_format) + 1);
		s->name_format = NULL;
	}
	free_name(mem, s->name);
	s->name = "";
	kith_mem_free(mem, s->topics, s->topics_size);
	s->topics = NULL;
	s->topics_size = 0;
	s->topic_count = 0;
}

uint32_t kith_kind_from_name(const char *name, size_t n)
{
	for (uint32_t k = 0; k < KITH_KIND_COUNT; k++)
		if (strlen(kind_names[k]) == n && memcmp(kind_names[k], name, n) == 0)
			return k;
	return UINT32_MAX;
}
