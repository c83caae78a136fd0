/*
 * The rules engine's compiler (compile.c).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_ENGINES_RULES_COMPILE_H
#define KITH_ENGINES_RULES_COMPILE_H

#include "engines/rules/rules.h"
#include "model/roles.h"
#include "util/memory.h"

/* Build the rule set of the definitions defs (roles: those it will run
 * with) into *out; nothing else changes. */
kith_status kith_rules_ruleset_build(const struct kith_mem *mem, struct defs *defs,
                                     const struct kith_roles *roles, struct ruleset **out);
/* KITH_OK, or KITH_ENOTFOUND and why in err when a violations trigger
 * names no rule or a rule that is itself a trigger, KITH_EINVAL when it
 * has message conditions too. */
kith_status kith_rules_defs_check(const struct defs *d, char *err, size_t es);
void kith_rules_ruleset_free(const struct kith_mem *mem, struct ruleset *s);

#endif /* KITH_ENGINES_RULES_COMPILE_H */
