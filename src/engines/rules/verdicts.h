/*
 * Rendering a verdict's text from its template (verdicts.c).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_ENGINES_RULES_VERDICTS_H
#define KITH_ENGINES_RULES_VERDICTS_H

#include "engines/rules/rules.h"
#include "model/community.h"

#include <stddef.h>

/* The text of intent in (its template with {member}, {community},
 * {rule}, {deadline} filled in) into dst, which holds at least
 * kith_rules_render_bound bytes; returns its length. */
size_t kith_rules_render(const kith_community *c, const struct intent *in, char *dst);
size_t kith_rules_render_bound(const kith_community *c, const struct intent *in, size_t actor_n);

#endif /* KITH_ENGINES_RULES_VERDICTS_H */
