/*
 * The rules engine's state and its changes (txn.c): the settings
 * transaction its entry in the engine table calls, and the verdicts on
 * show.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_ENGINES_RULES_TXN_H
#define KITH_ENGINES_RULES_TXN_H

#include "engines/rules/rules.h"
#include "model/community.h"
#include "model/engine.h"
#include "model/roles.h"
#include "util/memory.h"

#include <stdbool.h>
#include <stddef.h>

/* Free an engine and all it holds (NULL is fine). */
void kith_rules_engine_free(const struct kith_mem *mem, struct kith_rules *r);

/* The list on show (the engine has state). */
const struct kith_verdict_list *kith_rules_shown(const kith_community *c);

/* Whether a setting name is the engine's (rule.*, rules.*, templates.*
 * but templates.schedule.*). */
bool kith_rules_owns_setting(const char *name);
/* Apply one assignment to the pending change *t (created on first use);
 * roles are the roles the settings transaction holds. */
kith_status kith_rules_txn_set(kith_community *c, struct kith_rules_txn **t,
                               const struct kith_roles *roles, const char *name, const char *v,
                               size_t n, char *err, size_t err_size);
/* Compile the pending change (allocations only; nothing changes). */
kith_status kith_rules_txn_prepare(kith_community *c, struct kith_rules_txn *t,
                                   const struct kith_roles *roles);
/* Install a prepared change (cannot fail), or drop a change; both free t. */
void kith_rules_txn_commit(kith_community *c, struct kith_rules_txn *t);
void kith_rules_txn_abort(kith_community *c, struct kith_rules_txn *t);
/* Read an engine setting as text; KITH_ENOTFOUND when there is none. */
kith_status kith_rules_setting_get(const kith_community *c, const char *name, char *buf, size_t size,
                                   size_t *needed);
void kith_rules_free(kith_community *c);

/* The engine's identity. */
extern const struct kith_engine_id kith_rules_id;

/* The engine's state: NULL until a rule setting. */
static inline struct kith_rules *kith_rules_of(const kith_community *c)
{
	return (struct kith_rules *)kith_engine_state(c, &kith_rules_id);
}

static inline void kith_rules_set_state(kith_community *c, struct kith_rules *r)
{
	kith_engine_set_state(c, &kith_rules_id, r);
}

#endif /* KITH_ENGINES_RULES_TXN_H */
