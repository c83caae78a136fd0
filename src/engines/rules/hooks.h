/*
 * What the rules engine gives its entry in the engine table (engine.c):
 * its settings transaction, its ingest hook and its snapshot section
 * codec, implemented in rules.c and state.c.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_ENGINES_RULES_HOOKS_H
#define KITH_ENGINES_RULES_HOOKS_H

#include "engines/rules/rules.h"
#include "kith.h"
#include "model/community.h"
#include "model/roles.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kith_rules;
struct kith_rules_txn;
struct kith_snap_writer;
struct kith_snap_reader;

/* Whether a setting name is the engine's (rule.*, rules.*, templates.*). */
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
/* Ingest: evaluate the event against the model before it changes (actor,
 * by, to: handles or UINT32_MAX), reserving all the verdicts need; then,
 * after the model is applied, commit (cannot fail). */
kith_status kith_rules_evaluate(kith_community *c, const kith_event *ev, uint32_t actor, uint32_t by,
                                uint32_t to, size_t actor_n, size_t msg_id_n, size_t tags_n,
                                size_t text_n);
void kith_rules_commit(kith_community *c, const kith_event *ev, size_t msg_id_n);

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

#endif /* KITH_ENGINES_RULES_HOOKS_H */
