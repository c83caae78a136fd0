/*
 * Named definitions kept as text: the [activity NAME] and [level NAME]
 * sections of a charter, each a name and one text slot per key, in the
 * order they were first set. An engine keeps a table of them (and its
 * own [section] settings as plain slots) in a change, checks each value
 * as it is set, and compiles the whole when the change is prepared.
 *
 * A slot holds the trimmed value as an owned NUL-terminated copy, or
 * NULL when the key is not set (or holds its default's text).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_MODEL_NAMED_DEFS_H
#define KITH_MODEL_NAMED_DEFS_H

#include "kith.h"
#include "util/memory.h"

#include <stdbool.h>
#include <stddef.h>

/* The longest name a definition takes (a role name's rules). */
#define KITH_DEF_NAME_MAX 64
/* The most keys a definition has; an engine uses the first keys. */
#define KITH_DEF_KEYS_MAX 16

/* One definition: its name and its keys' text (NULL: not set). */
struct kith_def {
	char name[KITH_DEF_NAME_MAX + 1];
	char *value[KITH_DEF_KEYS_MAX];
};

/* What one engine's definitions are. */
struct kith_defs_kind {
	const char *plural; /* "levels": for the limit's message */
	size_t max;         /* definitions a community holds at most */
	int keys;           /* slots each definition uses, <= KITH_DEF_KEYS_MAX */
	int globals;        /* the engine's [section] settings: its global slots */
};

/* Free n slots and set them to NULL (slot NULL: none). */
void kith_texts_free(const struct kith_mem *mem, char **slot, size_t n);
/* Copy n slots; false when out of memory, dst then all NULL. */
bool kith_texts_copy(const struct kith_mem *mem, char **dst, char *const *src, size_t n);

/* Free the slots of count definitions and the kind->globals slots of
 * global (NULL: none), setting them to NULL. */
void kith_defs_free(const struct kith_mem *mem, const struct kith_defs_kind *kind,
                    struct kith_def *def, size_t count, char **global);
/* Copy count definitions and the global slots; false when out of memory,
 * every slot of dst and dst_global then NULL. */
bool kith_defs_copy(const struct kith_mem *mem, const struct kith_defs_kind *kind,
                    struct kith_def *dst, char **dst_global, const struct kith_def *src,
                    char *const *src_global, size_t count);
/* The definition named name[0..n), or NULL. */
const struct kith_def *kith_defs_find(const struct kith_def *def, size_t count, const char *name,
                                      size_t n);
/* The text of a key as kith_setting_get shows it: name is "NAME.KEY"
 * (what follows the engine's prefix), key_find gives a key's index or
 * -1. *v is the key's text, "" when it is not set; KITH_ENOTFOUND when
 * there is no such definition or key. */
kith_status kith_defs_get(const struct kith_def *def, size_t count, const char *name,
                          int (*key_find)(const char *key), const char **v);
/* Drop the definitions with no key set, keeping the others' order; the
 * new count. */
size_t kith_defs_prune(const struct kith_defs_kind *kind, struct kith_def *def, size_t count);

/* Check a trimmed value: no NUL byte (KITH_EINVAL), at most max bytes
 * (KITH_ERANGE); the reason is written to err. */
kith_status kith_defs_value_check(const char *v, size_t n, size_t max, char *err, size_t es);
/* Set a slot to v[0..n): NULL when n is 0 or v is dflt's text (dflt may
 * be NULL). KITH_ENOMEM leaves the slot as it was. */
kith_status kith_defs_set_text(const struct kith_mem *mem, char **slot, const char *v, size_t n,
                               const char *dflt, char *err, size_t es);
/* Set key of the definition named name[0..nn) to v[0..n), adding the
 * definition when v is not empty and it is new. The name and key must be
 * valid already. KITH_ELIMIT when the table holds kind->max already;
 * KITH_ENOMEM; the table is unchanged on failure. */
kith_status kith_defs_set(const struct kith_mem *mem, const struct kith_defs_kind *kind,
                          struct kith_def *def, size_t *count, const char *name, size_t nn,
                          int key, const char *v, size_t n, char *err, size_t es);

#endif /* KITH_MODEL_NAMED_DEFS_H */
