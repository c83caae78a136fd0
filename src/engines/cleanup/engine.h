/*
 * The cleanup engine as the rest of the library sees it: its settings
 * its identity and its entry in the engine table (engine.c).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_ENGINES_CLEANUP_ENGINE_H
#define KITH_ENGINES_CLEANUP_ENGINE_H

#include "model/community.h"
#include "model/engine.h"

#include <stdint.h>

/* The cleanup.* settings (engine.c lists them with their bounds). */
struct kith_cleanup_settings {
	uint32_t silent_days;
	uint32_t max_violations; /* 0: off */
	uint32_t envelope_days;
	uint32_t room_for;       /* 0: no target */
	uint32_t max_per_run;    /* 0: no cap */
	uint32_t spare_role_holders; /* boolean: holding any role protects */
	int64_t speak_within_ms;
	int64_t newcomer_grace_ms;
	int64_t ultimatum_ms;
	int64_t purchase_protects_ms;   /* 0: off */
	int64_t attendance_protects_ms; /* 0: off */
	double min_score;               /* 0: off */
	double keep_active_share;       /* 0: no target */
};

extern const struct kith_engine_id kith_cleanup_id;
extern const struct kith_engine kith_cleanup_engine;

/* The roles of cleanup.prune_roles (bit r: role r), 0 when none: with
 * cleanup.spare_role_holders, holding one of them spares no one, so a
 * member whose roles are all among them is not spared (engine.c). */
uint32_t kith_cleanup_prune_roles(const kith_community *c);

/* The cleanup.* settings in force. */
static inline const struct kith_cleanup_settings *kith_cleanup_settings(const kith_community *c)
{
	return (const struct kith_cleanup_settings *)kith_engine_settings(c, &kith_cleanup_id);
}

#endif /* KITH_ENGINES_CLEANUP_ENGINE_H */
