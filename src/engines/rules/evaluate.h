/*
 * The rules engine at ingest (evaluate.c).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_ENGINES_RULES_EVALUATE_H
#define KITH_ENGINES_RULES_EVALUATE_H

#include "engines/rules/rules.h"
#include "model/community.h"

#include <stddef.h>
#include <stdint.h>

/* Ingest: evaluate the event against the model before it changes,
 * reserving all the verdicts need; then, after the model is applied,
 * commit (cannot fail). */
kith_status kith_rules_evaluate(kith_community *c, const struct kith_hook_event *e);
void kith_rules_commit(kith_community *c, const struct kith_hook_event *he);

/* The record of member h, or NULL with *slot where it would go (the
 * table must have a free slot; flood_cap 0 gives NULL and no slot). */
struct flood_entry *kith_rules_flood_find(const struct kith_rules *r, uint32_t h, size_t *slot);

/* A rule's name as violation records hold it: a hash of the name folded
 * to lower case. */
uint32_t kith_rules_name_hash(const char *name);

#endif /* KITH_ENGINES_RULES_EVALUATE_H */
