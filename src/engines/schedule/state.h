/*
 * The schedule engine's snapshot section (state.c), as its entry in the
 * engine table (engine.c) calls it.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_ENGINES_SCHEDULE_STATE_H
#define KITH_ENGINES_SCHEDULE_STATE_H

#include "io/container.h"
#include "model/community.h"
#include "model/roles.h"

#include <stdbool.h>
#include <stdint.h>

/* The SCHD section, written only while the engine has state. Reading
 * builds a whole state (struct kith_schedule) apart from the community;
 * *out is NULL only on failure, as the section is never empty.
 * Installing swaps it in (NULL: no schedule) and cannot fail; discarding
 * frees it. */
void kith_schedule_snapshot_write(struct kith_snap_writer *w, const kith_community *c);
bool kith_schedule_snapshot_read(struct kith_snap_reader *r, kith_community *c,
                                 const struct kith_roles *roles, uint32_t members, void **out);
void kith_schedule_install(kith_community *c, void *loaded);
void kith_schedule_discard(kith_community *c, void *loaded);

#endif /* KITH_ENGINES_SCHEDULE_STATE_H */
