/*
 * The health diagnosis as the rest of the library sees it: its settings
 * its identity and its entry in the engine table (engine.c).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_ENGINES_HEALTH_ENGINE_H
#define KITH_ENGINES_HEALTH_ENGINE_H

#include "model/community.h"
#include "model/engine.h"

#include <stdint.h>

/* The health.* settings (engine.c lists them with their bounds). */
struct kith_health_settings {
	uint32_t window_days;
	uint32_t long_window_days;
	uint32_t dead_days;
	uint32_t min_half_writers;
	double min_active_share;
	double min_active_share_long;
	double min_messages_per_day;
	double min_interactions_per_day;
	double min_value_ratio;
	double max_lurker_share;
	double opinion_leader_share;
	double expert_share;
	double min_retention;
	double max_envelope_share;
	double max_official_share;
};

extern const struct kith_engine_id kith_health_id;
extern const struct kith_engine kith_health_engine;

/* The health.* settings in force. */
static inline const struct kith_health_settings *kith_health_settings(const kith_community *c)
{
	return (const struct kith_health_settings *)kith_engine_settings(c, &kith_health_id);
}

#endif /* KITH_ENGINES_HEALTH_ENGINE_H */
