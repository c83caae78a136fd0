/*
 * The cleanup engine's entry in the engine table: its settings, with
 * their bounds, defaults and docs, and its charter section. Plans are
 * made on demand (cleanup.c); the engine keeps no state and has no
 * ingest hook or snapshot section of its own.
 *
 * SPDX-License-Identifier: MIT
 */
#include "engines/cleanup/engine.h"
#include "model/engine.h"
#include "util/time.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DAYS_MAX (3650.0 * 86400000)
#define FIELD(f) offsetof(struct kith_cleanup_settings, f)

static const struct kith_cleanup_settings defaults = {
	.silent_days = 30,
	.max_violations = 3,
	.envelope_days = 14,
	.speak_within_ms = 3 * KITH_MS_PER_DAY,
	.newcomer_grace_ms = 3 * KITH_MS_PER_DAY,
	.ultimatum_ms = 12 * INT64_C(3600000),
	.purchase_protects_ms = 30 * KITH_MS_PER_DAY,
	.attendance_protects_ms = 30 * KITH_MS_PER_DAY,
};

static const struct kith_engine_setting settings[] = {
	{"cleanup.silent_days", KITH_SETTING_INTEGER, 1, 3650, FIELD(silent_days),
	 "days without a message that make a member silent"},
	{"cleanup.speak_within", KITH_SETTING_DURATION, 0, DAYS_MAX, FIELD(speak_within_ms),
	 "time after joining within which a member should speak"},
	{"cleanup.newcomer_grace", KITH_SETTING_DURATION, 0, DAYS_MAX, FIELD(newcomer_grace_ms),
	 "newcomers are never proposed for this long after joining"},
	{"cleanup.ultimatum", KITH_SETTING_DURATION, 0, 365.0 * 86400000, FIELD(ultimatum_ms),
	 "the deadline an ultimatum gives (0: remove at once)"},
	{"cleanup.max_violations", KITH_SETTING_INTEGER, 0, 1000000, FIELD(max_violations),
	 "rule violations that make a member a candidate (0: off)"},
	{"cleanup.envelope_days", KITH_SETTING_INTEGER, 1, 3650, FIELD(envelope_days),
	 "days of claiming envelopes without a message that make an envelope-only member"},
	{"cleanup.min_score", KITH_SETTING_NUMBER, 0, 1e9, FIELD(min_score),
	 "contribution score below which a member is a candidate (0: off)"},
	{"cleanup.purchase_protects", KITH_SETTING_DURATION, 0, DAYS_MAX, FIELD(purchase_protects_ms),
	 "a purchase this recent protects a member (0: off)"},
	{"cleanup.attendance_protects", KITH_SETTING_DURATION, 0, DAYS_MAX,
	 FIELD(attendance_protects_ms), "an activity attended this recently protects a member (0: off)"},
	{"cleanup.keep_active_share", KITH_SETTING_NUMBER, 0, 1, FIELD(keep_active_share),
	 "target share of active members among the present (0: no target)"},
	{"cleanup.room_for", KITH_SETTING_INTEGER, 0, KITH_MEMBERS_MAX, FIELD(room_for),
	 "target free places below community.capacity (0: no target)"},
	{"cleanup.max_per_run", KITH_SETTING_INTEGER, 0, KITH_MEMBERS_MAX, FIELD(max_per_run),
	 "most entries one plan lists (0: no cap)"},
	{"cleanup.spare_role_holders", KITH_SETTING_BOOLEAN, 0, 1, FIELD(spare_role_holders),
	 "a member holding any role is spared, as Discord's prune spares them"},
};

static const struct kith_engine_section sections[] = {
	{"cleanup", false, "cleanup."},
};

const struct kith_engine_id kith_cleanup_id = {"cleanup"};

const struct kith_engine kith_cleanup_engine = {
	.id = &kith_cleanup_id,
	.settings = settings,
	.setting_count = sizeof settings / sizeof settings[0],
	.settings_size = sizeof defaults,
	.settings_defaults = &defaults,
	.sections = sections,
	.section_count = sizeof sections / sizeof sections[0],
};
