/*
 * The settings registry: every named setting of a community (the
 * model's, the roles', and each engine's), validated, applied all or
 * nothing, read back as text, and saved in snapshots.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_MODEL_REGISTRY_H
#define KITH_MODEL_REGISTRY_H

#include "kith.h"
#include "model/community.h"
#include "model/engine.h"
#include "util/memory.h"

#include <stddef.h>
#include <stdint.h>

/* One "name = value" of a charter, with where it came from. */
struct kith_assignment {
	const char *name; /* NUL-terminated setting name, e.g. "community.topics" */
	const char *value;
	size_t value_len;
	uint64_t line;    /* where the value starts, for error messages */
	uint64_t column;
};

/* Apply all assignments or none. On failure *failed is the index of the
 * assignment that failed, the last error reads "line L, column C: reason"
 * and the community is unchanged. */
kith_status kith_settings_apply(kith_community *c, const struct kith_assignment *a, size_t n,
                                size_t *failed);

/* Plain engine settings (model/engine.h) travel in snapshots by name and
 * canonical text. They are addressed by a position private to this
 * build, over the engine set's tables in order: kith_plain_next gives the
 * first at or after pos (and its name), or SIZE_MAX; kith_plain_find the
 * position of a name at or after from, or SIZE_MAX. blocks[i] is engine
 * i's block being loaded (NULL: its defaults); kith_plain_set accepts
 * canonical text only and allocates the block on first use;
 * kith_plain_install swaps loaded blocks into the community (cannot fail)
 * and kith_plain_discard frees them. */
size_t kith_plain_next(const struct kith_engine_set *set, size_t pos, const char **name);
size_t kith_plain_find(const struct kith_engine_set *set, const char *name, size_t from);
void kith_plain_get(const struct kith_engine_set *set, void *const blocks[], size_t pos, char *buf,
                    size_t size);
kith_status kith_plain_set(const struct kith_mem *mem, const struct kith_engine_set *set,
                           void *blocks[], size_t pos, const char *value, size_t n, char *err,
                           size_t err_size);
void kith_plain_install(kith_community *c, void *blocks[]);
void kith_plain_discard(const struct kith_mem *mem, const struct kith_engine_set *set,
                        void *blocks[]);

#endif /* KITH_MODEL_REGISTRY_H */
