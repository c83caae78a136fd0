/*
 * The levels engine's snapshot section (snapshot.c), as its entry in the
 * engine table (engine.c) calls it.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_ENGINES_LEVELS_SNAPSHOT_H
#define KITH_ENGINES_LEVELS_SNAPSHOT_H

#include "io/container.h"
#include "model/community.h"
#include "model/roles.h"

#include <stdbool.h>
#include <stdint.h>

/* Section LEVL, written only while the engine has state. Reading builds
 * a whole state apart from the community (*out NULL only on failure);
 * installing swaps it in and cannot fail; discarding frees it. */
void kith_levels_snapshot_write(struct kith_snap_writer *w, const kith_community *c);
bool kith_levels_snapshot_read(struct kith_snap_reader *r, kith_community *c,
                               const struct kith_roles *roles, uint32_t members, void **out);
void kith_levels_install(kith_community *c, void *loaded);
void kith_levels_discard(kith_community *c, void *loaded);

#endif /* KITH_ENGINES_LEVELS_SNAPSHOT_H */
