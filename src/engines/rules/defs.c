/*
 * Rule definitions as text: copied whole into a transaction, found by
 * name, freed.
 *
 * SPDX-License-Identifier: MIT
 */
#include "engines/rules/defs.h"

#include "util/lex.h"

#include <string.h>

void kith_rules_text_free(const struct kith_mem *mem, char *s)
{
	if (s)
		kith_mem_free(mem, s, strlen(s) + 1);
}

void kith_rules_defs_fini(const struct kith_mem *mem, struct defs *d)
{
	for (size_t i = 0; i < d->count; i++)
		for (int k = 0; k < KEY_COUNT; k++)
			kith_rules_text_free(mem, d->rule[i].value[k]);
	if (d->rule)
		kith_mem_free(mem, d->rule, KITH_RULES_MAX * sizeof *d->rule);
	kith_rules_text_free(mem, d->ladder);
	kith_rules_text_free(mem, d->forgive);
	kith_rules_text_free(mem, d->resets);
	for (int k = 0; k < TMPL_COUNT; k++)
		kith_rules_text_free(mem, d->tmpl[k]);
	memset(d, 0, sizeof *d);
}

static bool copy_text(const struct kith_mem *mem, char **dst, const char *src)
{
	*dst = NULL;
	if (!src)
		return true;
	*dst = kith_mem_strdup(mem, src, strlen(src));
	return *dst != NULL;
}

/* Deep copy; the rule array always has room for KITH_RULES_MAX rules. */
bool kith_rules_defs_copy(const struct kith_mem *mem, struct defs *dst, const struct defs *src)
{
	memset(dst, 0, sizeof *dst);
	dst->rule = kith_mem_calloc(mem, KITH_RULES_MAX, sizeof *dst->rule);
	if (!dst->rule)
		return false;
	bool ok = true;
	if (src) {
		for (size_t i = 0; i < src->count; i++) {
			memcpy(dst->rule[i].name, src->rule[i].name, sizeof dst->rule[i].name);
			dst->count = i + 1;
			for (int k = 0; k < KEY_COUNT; k++)
				ok &= copy_text(mem, &dst->rule[i].value[k], src->rule[i].value[k]);
		}
		ok &= copy_text(mem, &dst->ladder, src->ladder);
		ok &= copy_text(mem, &dst->forgive, src->forgive);
		ok &= copy_text(mem, &dst->resets, src->resets);
		for (int k = 0; k < TMPL_COUNT; k++)
			ok &= copy_text(mem, &dst->tmpl[k], src->tmpl[k]);
	}
	if (!ok)
		kith_rules_defs_fini(mem, dst);
	return ok;
}

struct rule_def *kith_rules_defs_find(const struct defs *d, const char *name, size_t n)
{
	for (size_t i = 0; i < d->count; i++)
		if (kith_lex_equal_nocase(d->rule[i].name, strlen(d->rule[i].name), name, n))
			return &d->rule[i];
	return NULL;
}
