/*
 * Named definitions in snapshots (io/named-defs.h).
 *
 * SPDX-License-Identifier: MIT
 */
#include "io/named-defs.h"

#include "model/community.h"
#include "model/roles.h"

#include <stdio.h>
#include <string.h>

void kith_snap_put_defs(struct kith_snap_writer *w, const struct kith_snap_defs *how,
                        const struct kith_def *def, size_t count, char *const *global)
{
	kith_snap_put_u32(w, (uint32_t)count);
	for (size_t i = 0; i < count; i++) {
		kith_snap_put_text(w, def[i].name);
		for (int k = 0; k < how->kind->keys; k++)
			kith_snap_put_text(w, def[i].value[k]);
	}
	for (int k = 0; k < how->kind->globals; k++)
		kith_snap_put_text(w, global ? global[k] : NULL);
}

struct reading {
	struct kith_snap_reader *r;
	const struct kith_snap_defs *how;
	void *ctx;
	char *value;
};

/* Set name to the value just read, then check the text the slot keeps is
 * the text read (the one encoding). */
static bool define(const struct reading *rd, uint64_t at, const char *name, size_t n,
                   char *const *stored)
{
	char why[KITH_ERROR_MAX];
	kith_status st = rd->how->set(rd->ctx, name, rd->value, n, why, sizeof why);
	if (st == KITH_ENOMEM)
		return kith_snap_fail(rd->r, KITH_ENOMEM, at, "out of memory for %s", name);
	if (st != KITH_OK)
		return kith_snap_fail(rd->r, KITH_ECORRUPT, at, "%s: %s", name, why);
	if (!*stored || strlen(*stored) != n || memcmp(*stored, rd->value, n) != 0)
		return kith_snap_fail(rd->r, KITH_ECORRUPT, at, "%s is not in canonical form",
		                      name);
	return true;
}

static bool read_def(const struct reading *rd, const struct kith_def *def, const size_t *count)
{
	struct kith_snap_reader *r = rd->r;
	const struct kith_snap_defs *how = rd->how;
	char what[64];
	char dname[KITH_DEF_NAME_MAX + 1];
	size_t dn;
	uint64_t at = kith_snap_offset(r);
	snprintf(what, sizeof what, "%s's name", how->a_noun);
	if (!kith_snap_get_str(r, dname, KITH_DEF_NAME_MAX, &dn, what))
		return false;
	if (memchr(dname, '\0', dn) || !kith_role_name_valid(dname, dn))
		return kith_snap_fail(r, KITH_ECORRUPT, at, "'%.64s' is not a valid %s name",
		                      dname, how->noun);
	for (size_t i = 0; i < *count; i++)
		if (strcmp(def[i].name, dname) == 0)
			return kith_snap_fail(r, KITH_ECORRUPT, at, "%s %s appears twice",
			                      how->noun, dname);
	size_t before = *count;
	snprintf(what, sizeof what, "%s's value", how->a_noun);
	for (int k = 0; k < how->kind->keys; k++) {
		size_t vn;
		uint64_t vat = kith_snap_offset(r);
		if (!kith_snap_get_str(r, rd->value, how->value_max, &vn, what))
			return false;
		if (vn == 0)
			continue;
		char name[KITH_DEF_NAME_MAX + 32];
		snprintf(name, sizeof name, "%s.%s.%s", how->noun, dname, how->key_name(k));
		/* The definition is the last one: this or an earlier key made it. */
		if (!define(rd, vat, name, vn, &def[before].value[k]))
			return false;
	}
	if (*count != before + 1)
		return kith_snap_fail(r, KITH_ECORRUPT, at, "%s %s has no key set", how->noun,
		                      dname);
	return true;
}

bool kith_snap_get_defs(struct kith_snap_reader *r, const struct kith_snap_defs *how, void *ctx,
                        const struct kith_def *def, const size_t *count, char *const *global,
                        char *value, bool *any)
{
	const struct reading rd = {r, how, ctx, value};
	uint64_t at = kith_snap_offset(r);
	uint32_t n;
	if (!kith_snap_get_u32(r, &n) ||
	    !kith_snap_check_count(r, at, n, how->kind->max, (size_t)4 * (1 + how->kind->keys),
	                           how->kind->plural))
		return false;
	for (uint32_t i = 0; i < n; i++)
		if (!read_def(&rd, def, count))
			return false;
	*any = n > 0;
	char what[64];
	snprintf(what, sizeof what, "a [%s] setting's value", how->section);
	for (int k = 0; k < how->kind->globals; k++) {
		size_t vn;
		uint64_t vat = kith_snap_offset(r);
		if (!kith_snap_get_str(r, value, how->value_max, &vn, what))
			return false;
		if (vn == 0)
			continue;
		char name[64];
		snprintf(name, sizeof name, "%s.%s", how->section, how->global_name(k));
		if (!define(&rd, vat, name, vn, &global[k]))
			return false;
		*any = true;
	}
	return true;
}
