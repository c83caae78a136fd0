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

#include <stddef.h>
#include <stdint.h>

kith_status kith_levels_evaluate(kith_community *c, const kith_event *ev, uint32_t actor,
                                 uint32_t by, uint32_t to, size_t actor_n, size_t msg_id_n,
                                 size_t tags_n, size_t text_n);
void kith_levels_commit(kith_community *c, const kith_event *ev, size_t msg_id_n);

#endif /* KITH_ENGINES_LEVELS_TRACK_H */
