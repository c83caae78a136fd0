/*
 * The levels engine's entry in the engine table: the [levels] settings
 * and the [level NAME] sections, parsed by the engine itself (state.c)
 * so that a level's role can be checked with the whole change; its
 * ingest hook (track.c); and its optional snapshot section LEVL
 * (snapshot.c), written only while the engine has state, so that a
 * community without levels saves the same snapshot as before the engine
 * existed.
 *
 * What a member costs: nothing until its first message, reaction or
 * report that feeds a figure (joins and leaves alone make no record).
 * Then a record of 88 bytes (state.h), 8 bytes an entry of the figures
 * the levels read, each figure holding at most the most any level asks
 * (the presets: about 80 entries at most, fewer for most members), and 4
 * bytes of the index from member handles to records, for every handle
 * up to the highest that has a record. At ingest, an event costs its
 * members a few comparisons unless it can change a level: a record keeps
 * the first day its next level can hold and the one figure whose growth
 * alone can make it hold, so that a level's requirements are checked
 * again only when one of them moves past what stopped the last check.
 *
 * SPDX-License-Identifier: MIT
 */
#include "engines/levels/engine.h"

#include "engines/levels/snapshot.h"
#include "engines/levels/state.h"
#include "engines/levels/track.h"
#include "io/container.h"
#include "model/engine.h"

#include <stddef.h>

static const struct kith_engine_setting settings[] = {
        {"levels.xp_min", KITH_SETTING_INTEGER, 0, 100000, KITH_ENGINE_OWN,
         "least XP a rewarded message earns"},
        {"levels.xp_max", KITH_SETTING_INTEGER, 0, 100000, KITH_ENGINE_OWN,
         "most XP a rewarded message earns (0: no XP)"},
        {"levels.xp_cooldown", KITH_SETTING_DURATION, 0, 30.0 * 86400000, KITH_ENGINE_OWN,
         "time after a rewarded message during which messages earn nothing"},
        {"levels.xp_seed", KITH_SETTING_INTEGER, 0, 1e18, KITH_ENGINE_OWN,
         "seed of the generator that draws XP, so that a replay gives the same"},
        {"levels.xp_curve", KITH_SETTING_TEXT, 0, 64, KITH_ENGINE_OWN,
         "a, b, c: a L^2 + b L + c XP from level L to L + 1"},
        {"levels.no_xp_roles", KITH_SETTING_LIST, 0, KITH_ROLES_MAX, KITH_ENGINE_OWN,
         "roles whose holders earn no XP"},
        {"levels.rewards", KITH_SETTING_LIST, 0, 32, KITH_ENGINE_OWN,
         "roles granted at XP levels, like 5 regular, 10 veteran"},
};

static const struct kith_engine_section sections[] = {
        {"level", true, "level."},
        {"levels", false, "levels."},
};

const struct kith_engine kith_levels_engine = {
        .id = &kith_levels_id,
        .settings = settings,
        .setting_count = sizeof settings / sizeof settings[0],
        .owns = kith_levels_owns,
        .txn_set = kith_levels_txn_set,
        .txn_prepare = kith_levels_txn_prepare,
        .txn_commit = kith_levels_txn_commit,
        .txn_abort = kith_levels_txn_abort,
        .setting_get = kith_levels_setting_get,
        .sections = sections,
        .section_count = sizeof sections / sizeof sections[0],
        .snapshot_tag = KITH_SNAP_TAG('L', 'E', 'V', 'L'),
        .snapshot_optional = true,
        .snapshot_write = kith_levels_snapshot_write,
        .snapshot_read = kith_levels_snapshot_read,
        .snapshot_install = kith_levels_install,
        .snapshot_discard = kith_levels_discard,
        .ingest_evaluate = kith_levels_evaluate,
        .ingest_commit = kith_levels_commit,
        .free = kith_levels_free,
};
