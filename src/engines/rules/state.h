/*
 * The rules engine's snapshot section (state.c), as its entry in the
 * engine table (engine.c) calls it.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_ENGINES_RULES_STATE_H
#define KITH_ENGINES_RULES_STATE_H

#include "engines/rules/rules.h"
#include "io/container.h"
#include "model/community.h"
#include "model/roles.h"

#include <stdbool.h>
#include <stdint.h>

/* The engine's snapshot section (state.c). Reading builds a whole engine
 * apart from the community, given the roles and member count the
 * snapshot holds; *out is NULL when the snapshot holds no rules and no
 * rule state. Installing swaps it in (replacing the engine and its
 * verdicts on show) and cannot fail; discarding frees it. */
void kith_rules_snapshot_write(struct kith_snap_writer *w, const kith_community *c);
bool kith_rules_snapshot_read(struct kith_snap_reader *r, kith_community *c,
                              const struct kith_roles *roles, uint32_t members,
                              struct kith_rules **out);
void kith_rules_install(kith_community *c, struct kith_rules *loaded);
void kith_rules_discard(kith_community *c, struct kith_rules *loaded);

#endif /* KITH_ENGINES_RULES_STATE_H */
