/*
 * The levels engine at ingest (track.c): evaluate reserves every record,
 * entry and change the event may need before the model changes; commit
 * feeds the figures, awards XP, promotes and demotes, and puts the
 * changes on show (it cannot fail).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_ENGINES_LEVELS_TRACK_H
#define KITH_ENGINES_LEVELS_TRACK_H

#include "kith.h"
#include "model/engine.h"

#include <stddef.h>
#include <stdint.h>

kith_status kith_levels_evaluate(kith_community *c, const struct kith_hook_event *e);
void kith_levels_commit(kith_community *c, const struct kith_hook_event *e);

#endif /* KITH_ENGINES_LEVELS_TRACK_H */
