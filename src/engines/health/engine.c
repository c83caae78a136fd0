/*
 * The health diagnosis's entry in the engine table: its settings, with
 * their bounds, defaults and docs, and its charter section. A diagnosis
 * is made on demand (health.c); the engine keeps no state.
 *
 * SPDX-License-Identifier: MIT
 */
#include "engines/health/engine.h"
#include "model/engine.h"

#include <stdbool.h>
#include <stddef.h>

#define FIELD(f) offsetof(struct kith_health_settings, f)

static const struct kith_health_settings defaults = {
	.window_days = 7,
	.long_window_days = 30,
	.dead_days = 5,
	.min_half_writers = 3,
	.min_active_share = 0.2,
	.min_active_share_long = 0.4,
	.min_messages_per_day = 10,
	.min_interactions_per_day = 3,
	.min_value_ratio = 0.4,
	.max_lurker_share = 0.7,
	.opinion_leader_share = 0.1,
	.expert_share = 0.2,
	.min_retention = 0.5,
	.max_envelope_share = 0.2,
	.max_official_share = 0.3,
};

#define INTEGER(n, f, lo, hi, doc) {n, KITH_SETTING_INTEGER, lo, hi, FIELD(f), doc}
#define NUMBER(n, f, lo, hi, doc) {n, KITH_SETTING_NUMBER, lo, hi, FIELD(f), doc}

static const struct kith_engine_setting settings[] = {
	INTEGER("health.window_days", window_days, 1, 64, "the short window, in days"),
	INTEGER("health.long_window_days", long_window_days, 1, 64, "the long window, in days"),
	INTEGER("health.dead_days", dead_days, 1, 3650,
	        "days without a member message after which the group is dead"),
	NUMBER("health.min_active_share", min_active_share, 0, 1,
	       "least share of present members active in the short window"),
	NUMBER("health.min_active_share_long", min_active_share_long, 0, 1,
	       "least share of present members active in the long window"),
	NUMBER("health.min_messages_per_day", min_messages_per_day, 0, 1e9,
	       "fewest member messages a day"),
	NUMBER("health.min_interactions_per_day", min_interactions_per_day, 0, 1e9,
	       "fewest interactions (replies, mentions, reactions) a day"),
	NUMBER("health.min_value_ratio", min_value_ratio, 0, 1,
	       "least share of messages that are not side dishes"),
	NUMBER("health.max_lurker_share", max_lurker_share, 0, 1,
	       "most share of established members who never spoke in the window"),
	NUMBER("health.opinion_leader_share", opinion_leader_share, 0, 1,
	       "target share of opinion leaders"),
	NUMBER("health.expert_share", expert_share, 0, 1, "target share of experts"),
	NUMBER("health.min_retention", min_retention, 0, 1,
	       "least share of the window's newcomers still present"),
	INTEGER("health.min_half_writers", min_half_writers, 0, 1000000,
	        "fewest members who write half the messages"),
	NUMBER("health.max_envelope_share", max_envelope_share, 0, 1,
	       "most share of members who appear only for red envelopes"),
	NUMBER("health.max_official_share", max_official_share, 0, 1,
	       "most share of messages by owners and admins"),
};

static const struct kith_engine_section sections[] = {
	{"health", false, "health."},
};

const struct kith_engine_id kith_health_id = {"health"};

const struct kith_engine kith_health_engine = {
	.id = &kith_health_id,
	.settings = settings,
	.setting_count = sizeof settings / sizeof settings[0],
	.settings_size = sizeof defaults,
	.settings_defaults = &defaults,
	.sections = sections,
	.section_count = sizeof sections / sizeof sections[0],
};
