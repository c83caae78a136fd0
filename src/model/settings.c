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

bool kith_settings_copy(const struct kith_mem *mem, struct kith_settings *dst,
                        const struct kith_settings *src)
{
	struct kith_settings tmp = *src;
	tmp.name_format = NULL;
	if (src->name_format) {
		tmp.name_format = kith_mem_strdup(mem, src->name_format, strlen(src->name_format));
		if (!tmp.name_format)
			return false;
		if (kith_name_format_compile(&tmp.name_regex, tmp.name_format) != 0) {
			kith_mem_free(mem, tmp.name_format, strlen(tmp.name_format) + 1);
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
}

uint32_t kith_kind_from_name(const char *name, size_t n)
{
	for (uint32_t k = 0; k < KITH_KIND_COUNT; k++)
		if (strlen(kind_names[k]) == n && memcmp(kind_names[k], name, n) == 0)
			return k;
	return UINT32_MAX;
}
