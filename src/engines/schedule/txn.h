/*
 * The schedule engine's identity and state (txn.c): the activities and
 * the [schedule] settings as text and compiled, and the settings
 * transaction its entry in the engine table (engine.c) calls.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_ENGINES_SCHEDULE_TXN_H
#define KITH_ENGINES_SCHEDULE_TXN_H

#include "engines/schedule/activity.h"
#include "model/community.h"
#include "model/engine.h"
#include "model/roles.h"

#include <stdbool.h>
#include <stddef.h>

/* Definitions as text, in the order activities were first set. */
struct schedule_defs {
	size_t count;
	struct activity_def act[KITH_ACTIVITIES_MAX];
	char *global[SK_N]; /* NULL: the default */
};

/* The engine's state: NULL until an activity or a [schedule] setting is
 * set; immutable once installed (a change builds a new one). */
struct kith_schedule {
	struct schedule_defs defs;
	struct activity *act; /* defs.count of them, compiled */
	size_t act_n;
	struct schedule_config cfg;
};

extern const struct kith_engine_id kith_schedule_id;

static inline const struct kith_schedule *kith_schedule_of(const kith_community *c)
{
	return (const struct kith_schedule *)kith_engine_state(c, &kith_schedule_id);
}

/* The [schedule] settings in force (defaults without state). */
void kith_schedule_config_of(const kith_community *c, struct schedule_config *cfg);

/* The transaction hooks (txn.c). */
bool kith_schedule_owns(const char *name);
kith_status kith_schedule_txn_set(kith_community *c, void **txn, const struct kith_roles *roles,
                                  const char *name, const char *value, size_t n, char *err,
                                  size_t err_size);
kith_status kith_schedule_txn_prepare(kith_community *c, void *txn, const struct kith_roles *roles,
                                      char *err, size_t err_size);
void kith_schedule_txn_commit(kith_community *c, void *txn);
void kith_schedule_txn_abort(kith_community *c, void *txn);
kith_status kith_schedule_setting_get(const kith_community *c, const char *name, char *buf,
                                      size_t size, size_t *needed);
void kith_schedule_free(kith_community *c);

#endif /* KITH_ENGINES_SCHEDULE_TXN_H */
