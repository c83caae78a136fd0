/*
 * The schedule engine's entry in the engine table: the [schedule]
 * settings, the [activity NAME] sections and the agenda's texts (the
 * schedule.KIND keys of the [templates] section, which the rules engine
 * reads too, as templates.schedule.KIND), all parsed by the engine
 * itself (txn.c), so that they can be checked together and so that a
 * community that sets none saves the same snapshot as before the engine
 * existed. Activities and these settings are saved in the engine's own
 * snapshot section, SCHD (state.c), which is optional: it is written only
 * while the engine has state, so a community that sets none saves the
 * same snapshot as before the engine existed. It reads the trace record
 * "birthday" (date=MM-DD, or none to clear): kith_member_set_birthday
 * from a trace.
 *
 * SPDX-License-Identifier: MIT
 */
#include "engines/schedule/engine.h"

#include "engines/schedule/state.h"
#include "engines/schedule/txn.h"
#include "io/container.h"
#include "model/engine.h"

#include <stddef.h>

static const struct kith_engine_setting settings[] = {
        {"schedule.quiet_hours", KITH_SETTING_TEXT, 0, 32, KITH_ENGINE_OWN,
         "local hours without pushes, like 23:00-08:00 (or none)"},
        {"schedule.max_pushes_per_day", KITH_SETTING_INTEGER, 1, 1000, KITH_ENGINE_OWN,
         "most pushes on one local day"},
        {"schedule.min_gap", KITH_SETTING_DURATION, 0, 86400000, KITH_ENGINE_OWN,
         "least time between two pushes"},
        {"schedule.min_interactions_per_day", KITH_SETTING_INTEGER, 0, 100, KITH_ENGINE_OWN,
         "planned interactions a local day should have"},
        {"schedule.digest_at", KITH_SETTING_TEXT, 0, 16, KITH_ENGINE_OWN,
         "local time of the daily digest, HH:MM (or none)"},
        {"schedule.revive_after", KITH_SETTING_DURATION, 3600000, 365.0 * 86400000, KITH_ENGINE_OWN,
         "silence after which the agenda opens with a revival"},
        {"schedule.topics", KITH_SETTING_TEXT, 0, KITH_ACTIVITY_VALUE_MAX, KITH_ENGINE_OWN,
         "prompts for filler items, separated by ';'"},
        {"schedule.greetings", KITH_SETTING_TEXT, 0, 64, KITH_ENGINE_OWN,
         "local times of the daily greetings, like 08:00, 21:00 (or none)"},
        {"schedule.festivals", KITH_SETTING_TEXT, 0, KITH_ACTIVITY_VALUE_MAX, KITH_ENGINE_OWN,
         "festivals, MM-DD or YYYY-MM-DD and a name, separated by ';'"},
        {"schedule.celebrate_at", KITH_SETTING_TEXT, 0, 16, KITH_ENGINE_OWN,
         "local time of festival and birthday items, HH:MM"},
        {"templates.schedule.preheat", KITH_SETTING_TEXT, 0, KITH_TEMPLATE_MAX, KITH_ENGINE_OWN,
         "the text announcing an activity"},
        {"templates.schedule.reminder", KITH_SETTING_TEXT, 0, KITH_TEMPLATE_MAX, KITH_ENGINE_OWN,
         "the text reminding the group of an activity"},
        {"templates.schedule.start", KITH_SETTING_TEXT, 0, KITH_TEMPLATE_MAX, KITH_ENGINE_OWN,
         "the text as an activity starts"},
        {"templates.schedule.end", KITH_SETTING_TEXT, 0, KITH_TEMPLATE_MAX, KITH_ENGINE_OWN,
         "the text as an activity ends"},
        {"templates.schedule.digest", KITH_SETTING_TEXT, 0, KITH_TEMPLATE_MAX, KITH_ENGINE_OWN,
         "the text of the daily digest"},
        {"templates.schedule.revive", KITH_SETTING_TEXT, 0, KITH_TEMPLATE_MAX, KITH_ENGINE_OWN,
         "the text reviving a quiet group"},
        {"templates.schedule.filler", KITH_SETTING_TEXT, 0, KITH_TEMPLATE_MAX, KITH_ENGINE_OWN,
         "the text of a filler prompt"},
        {"templates.schedule.greeting", KITH_SETTING_TEXT, 0, KITH_TEMPLATE_MAX, KITH_ENGINE_OWN,
         "the text of a daily greeting"},
        {"templates.schedule.festival", KITH_SETTING_TEXT, 0, KITH_TEMPLATE_MAX, KITH_ENGINE_OWN,
         "the text of a festival"},
        {"templates.schedule.birthday", KITH_SETTING_TEXT, 0, KITH_TEMPLATE_MAX, KITH_ENGINE_OWN,
         "the text of a member's birthday"},
        {"templates.schedule.check-in", KITH_SETTING_TEXT, 0, KITH_TEMPLATE_MAX, KITH_ENGINE_OWN,
         "the text of a day of a check-in series"},
};
_Static_assert(sizeof settings / sizeof settings[0] == SK_N + KITH_SCHEDULE_TEMPLATES,
               "a [schedule] setting or a template is missing from the table");

static const struct kith_engine_section sections[] = {
        {"activity", true, "activity."},
        {"schedule", false, "schedule."},
};

static const struct kith_engine_record records[] = {
        {"birthday", "date", kith_schedule_birthday_record},
};

const struct kith_engine kith_schedule_engine = {
        .id = &kith_schedule_id,
        .settings = settings,
        .setting_count = sizeof settings / sizeof settings[0],
        .owns = kith_schedule_owns,
        .txn_set = kith_schedule_txn_set,
        .txn_prepare = kith_schedule_txn_prepare,
        .txn_commit = kith_schedule_txn_commit,
        .txn_abort = kith_schedule_txn_abort,
        .setting_get = kith_schedule_setting_get,
        .sections = sections,
        .section_count = sizeof sections / sizeof sections[0],
        .snapshot_tag = KITH_SNAP_TAG('S', 'C', 'H', 'D'),
        .snapshot_optional = true,
        .snapshot_write = kith_schedule_snapshot_write,
        .snapshot_read = kith_schedule_snapshot_read,
        .snapshot_install = kith_schedule_install,
        .snapshot_discard = kith_schedule_discard,
        .ingest_evaluate = kith_schedule_ingest_evaluate,
        .ingest_commit = kith_schedule_ingest_commit,
        .records = records,
        .record_count = sizeof records / sizeof records[0],
        .free = kith_schedule_free,
};
