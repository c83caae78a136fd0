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
void kith_rules_ruleset_free(const struct kith_mem *mem, struct ruleset *s);

#endif /* KITH_ENGINES_RULES_COMPILE_H */
