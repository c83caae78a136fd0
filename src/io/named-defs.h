/*
 * Named definitions (model/named-defs.h) in snapshots: the encoding the
 * schedule engine's SCHD and the levels engine's LEVL sections start
 * with, and the reading that replays each value through the engine's own
 * transaction, so that every check a setting gets applies.
 *
 * SPDX-License-Identifier: MIT
 *
 * Encoding
 * --------
 *   u32 definition count (<= kind->max), then per definition in the
 *       order they were first set: str name, then per key in the
 *       engine's order: str value (empty: not set)
 *   per [section] setting in the engine's order: str value (empty: the
 *       default)
 *
 * Values are the text each slot holds, so that loading and saving again
 * gives the same bytes; a definition has at least one key set.
 */
#ifndef KITH_IO_NAMED_DEFS_H
#define KITH_IO_NAMED_DEFS_H

#include "io/container.h"
#include "model/named-defs.h"

#include <stdbool.h>
#include <stddef.h>

/* How one engine's definitions are named and set. */
struct kith_snap_defs {
	const struct kith_defs_kind *kind;
	const char *noun;    /* "level": settings noun.NAME.KEY, and messages */
	const char *a_noun;  /* "a level", "an activity": messages */
	const char *section; /* "levels": settings section.KEY */
	size_t value_max;    /* bytes a value holds at most */
	const char *(*key_name)(int key);
	const char *(*global_name)(int key);
	/* Set name to v[0..n) through the engine's transaction ctx; the
	 * reason of a failure into err. */
	kith_status (*set)(void *ctx, const char *name, const char *v, size_t n, char *err,
	                   size_t es);
};

/* Write count definitions and the globals (global NULL: all unset). */
void kith_snap_put_defs(struct kith_snap_writer *w, const struct kith_snap_defs *how,
                        const struct kith_def *def, size_t count, char *const *global);

/* Read definitions and globals, setting each through how->set(ctx, ...),
 * then checking that the slot the set filled (in def[0..*count) or
 * global: the table how->set changes, which starts empty) holds the text
 * read. value is a buffer of how->value_max + 1 bytes. *any tells whether
 * a definition or a global was read. False on failure, reported on r. */
bool kith_snap_get_defs(struct kith_snap_reader *r, const struct kith_snap_defs *how, void *ctx,
                        const struct kith_def *def, const size_t *count, char *const *global,
                        char *value, bool *any);

#endif /* KITH_IO_NAMED_DEFS_H */
