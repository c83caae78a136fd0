/*
 * Named definitions kept as text (named-defs.h).
 *
 * SPDX-License-Identifier: MIT
 */
#include "model/named-defs.h"

#include <stdio.h>
#include <string.h>

void kith_texts_free(const struct kith_mem *mem, char **slot, size_t n)
{
	for (size_t i = 0; slot && i < n; i++) {
		if (slot[i])
			kith_mem_free(mem, slot[i], strlen(slot[i]) + 1);
		slot[i] = NULL;
	}
}

bool kith_texts_copy(const struct kith_mem *mem, char **dst, char *const *src, size_t n)
{
	bool ok = true;
	for (size_t i = 0; i < n; i++) {
		dst[i] = src[i] ? kith_mem_strdup(mem, src[i], strlen(src[i])) : NULL;
		ok &= !src[i] || dst[i];
	}
	if (!ok)
		kith_texts_free(mem, dst, n);
	return ok;
}

void kith_defs_free(const struct kith_mem *mem, const struct kith_defs_kind *kind,
                    struct kith_def *def, size_t count, char **global)
{
	for (size_t i = 0; i < count; i++)
		kith_texts_free(mem, def[i].value, (size_t)kind->keys);
	kith_texts_free(mem, global, (size_t)kind->globals);
}

bool kith_defs_copy(const struct kith_mem *mem, const struct kith_defs_kind *kind,
                    struct kith_def *dst, char **dst_global, const struct kith_def *src,
                    char *const *src_global, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		memcpy(dst[i].name, src[i].name, sizeof dst[i].name);
		if (!kith_texts_copy(mem, dst[i].value, src[i].value, (size_t)kind->keys)) {
			kith_defs_free(mem, kind, dst, i, NULL);
			return false;
		}
	}
	if (kith_texts_copy(mem, dst_global, src_global, (size_t)kind->globals))
		return true;
	kith_defs_free(mem, kind, dst, count, NULL);
	return false;
}

/* The index of the definition named name[0..n), or count. */
static size_t find(const struct kith_def *def, size_t count, const char *name, size_t n)
{
	size_t i = 0;
	while (i < count && !(strlen(def[i].name) == n && memcmp(def[i].name, name, n) == 0))
		i++;
	return i;
}

const struct kith_def *kith_defs_find(const struct kith_def *def, size_t count, const char *name,
                                      size_t n)
{
	size_t i = find(def, count, name, n);
	return i < count ? &def[i] : NULL;
}

kith_status kith_defs_get(const struct kith_def *def, size_t count, const char *name,
                          int (*key_find)(const char *key), const char **v)
{
	const char *dot = strrchr(name, '.');
	int k = dot ? key_find(dot + 1) : -1;
	const struct kith_def *d = dot ? kith_defs_find(def, count, name, (size_t)(dot - name)) : NULL;
	if (!d || k < 0)
		return KITH_ENOTFOUND;
	*v = d->value[k] ? d->value[k] : "";
	return KITH_OK;
}

static bool def_empty(const struct kith_defs_kind *kind, const struct kith_def *d)
{
	for (int k = 0; k < kind->keys; k++)
		if (d->value[k])
			return false;
	return true;
}

size_t kith_defs_prune(const struct kith_defs_kind *kind, struct kith_def *def, size_t count)
{
	size_t kept = 0;
	for (size_t i = 0; i < count; i++)
		if (!def_empty(kind, &def[i]))
			def[kept++] = def[i];
	return kept;
}

kith_status kith_defs_value_check(const char *v, size_t n, size_t max, char *err, size_t es)
{
	if (n && memchr(v, '\0', n)) {
		snprintf(err, es, "the value holds a NUL byte");
		return KITH_EINVAL;
	}
	if (n > max) {
		snprintf(err, es, "a value holds at most %zu bytes", max);
		return KITH_ERANGE;
	}
	return KITH_OK;
}

kith_status kith_defs_set_text(const struct kith_mem *mem, char **slot, const char *v, size_t n,
                               const char *dflt, char *err, size_t es)
{
	if (dflt && n == strlen(dflt) && memcmp(v, dflt, n) == 0)
		n = 0;
	char *d = NULL;
	if (n && !(d = kith_mem_strdup(mem, v, n))) {
		snprintf(err, es, "out of memory");
		return KITH_ENOMEM;
	}
	kith_texts_free(mem, slot, 1);
	*slot = d;
	return KITH_OK;
}

kith_status kith_defs_set(const struct kith_mem *mem, const struct kith_defs_kind *kind,
                          struct kith_def *def, size_t *count, const char *name, size_t nn,
                          int key, const char *v, size_t n, char *err, size_t es)
{
	size_t i = find(def, *count, name, nn);
	if (i < *count)
		return kith_defs_set_text(mem, &def[i].value[key], v, n, NULL, err, es);
	if (n == 0)
		return KITH_OK; /* clearing a key of a definition that is not there */
	if (*count == kind->max) {
		snprintf(err, es, "a community holds at most %zu %s", kind->max, kind->plural);
		return KITH_ELIMIT;
	}
	struct kith_def *d = &def[*count];
	memset(d, 0, sizeof *d);
	memcpy(d->name, name, nn);
	kith_status st = kith_defs_set_text(mem, &d->value[key], v, n, NULL, err, es);
	if (st == KITH_OK)
		++*count;
	return st;
}
