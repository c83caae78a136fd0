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
#include "engines/schedule/engagement.h"
#include "engines/schedule/template.h"
#include "model/community.h"
#include "model/engine.h"
#include "model/roles.h"

#include <stdbool.h>
#include <stddef.h>

/* Definitions as text, in the order activities were first set. */
struct schedule_defs {
	size_t count;
	struct kith_def act[KITH_ACTIVITIES_MAX];
	char *global[SK_N]; /* NULL: the default */
	/* The agenda's texts, per kind (index kind - 1); NULL: the default. */
	char *tmpl[KITH_SCHEDULE_TEMPLATES];
};

/* A member's birthday, keyed by the member's id. */
struct birthday {
	char *id; /* NUL-terminated copy */
	size_t id_n;
	uint8_t month, day;
};

/* The engine's state: NULL until an activity, a [schedule] setting, a
 * template or a birthday is set; its definitions are immutable once installed (a change builds a
 * new state, which takes over the engagement counters). The engagement
 * is allocated at the first message ingested while the state exists. */
struct kith_schedule {
	struct schedule_defs defs;
	struct activity *act; /* defs.count of them, compiled */
	size_t act_n;
	struct schedule_config cfg;
	struct kith_engagement *engagement; /* NULL until a message */
	struct birthday *bday;              /* sorted by id (bytes, then length) */
	size_t bday_n, bday_cap;
};

/* A pending change: the definitions it will install, and once prepared
 * the state they compile to (NULL after prepare: no state). */
struct schedule_txn {
	struct schedule_defs defs;
	struct kith_schedule *prepared;
	bool fresh; /* from kith_schedule_txn_empty: keeps nothing of the community's */
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
/* The ingest hook: messages feed the engagement counters. */
kith_status kith_schedule_ingest_evaluate(kith_community *c, const struct kith_hook_event *e);
void kith_schedule_ingest_commit(kith_community *c, const struct kith_hook_event *e);

/* For the snapshot section (state.c): a pending change that starts from
 * no state rather than the community's (NULL: out of memory; pass it as
 * *txn to kith_schedule_txn_set, end it with kith_schedule_txn_abort);
 * freeing a state; and replacing the community's state with s (NULL: no
 * state), which cannot fail. */
struct schedule_txn *kith_schedule_txn_empty(const struct kith_mem *mem);
void kith_schedule_state_free(const struct kith_mem *mem, struct kith_schedule *s);
void kith_schedule_replace(kith_community *c, struct kith_schedule *s);
/* The trace record "TIME birthday MEMBER date=MM-DD" (or date=none),
 * as model/engine.h's kith_engine_record: kith_member_set_birthday. */
kith_status kith_schedule_birthday_record(kith_community *c, int64_t time_ms, const char *actor,
                                          size_t actor_n, const char *value, size_t n, char *err,
                                          size_t err_size);
/* Insert or replace a birthday in s (id copied); false when out of
 * memory. For loading, ids come in order, so this appends. */
bool kith_schedule_birthday_put(const struct kith_mem *mem, struct kith_schedule *s, const char *id,
                                size_t n, uint8_t month, uint8_t day);

#endif /* KITH_ENGINES_SCHEDULE_TXN_H */
