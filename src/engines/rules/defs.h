/*
 * Rule definitions as text (defs.c): each rule's keys as their canonical
 * values, the ladder, the forgiveness and the templates.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_ENGINES_RULES_DEFS_H
#define KITH_ENGINES_RULES_DEFS_H

#include "engines/rules/rules.h"
#include "util/memory.h"

#include <stdbool.h>
#include <stddef.h>

/* Free a definition's text (kith_mem_strdup made it; NULL is fine). */
void kith_rules_text_free(const struct kith_mem *mem, char *s);
/* defs_copy makes an empty set of
 * definitions when src is NULL (false on failure, dst then empty). */
bool kith_rules_defs_copy(const struct kith_mem *mem, struct defs *dst, const struct defs *src);
void kith_rules_defs_fini(const struct kith_mem *mem, struct defs *d);
struct rule_def *kith_rules_defs_find(const struct defs *d, const char *name, size_t n);

#endif /* KITH_ENGINES_RULES_DEFS_H */
