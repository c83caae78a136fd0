/*
 * libFuzzer target for the settings API. The input is lines of
 * "NAME=VALUE" (VALUE may hold any byte, NUL included: it is passed with
 * its length); a NAME of "@N" means the setting numbered N modulo
 * kith_setting_count(), so the fuzzer reaches every setting, those of
 * custom roles included. For each line:
 *  - a failed set leaves the setting's text and the whole snapshot as
 *    they were, and explains itself in the last error;
 *  - a successful set reads back as canonical text that sets back to the
 *    very same community (snapshot bytes) and reads back identically;
 *    (snapshots are compared for the first 16 lines of an input; later
 *    lines check the texts and counts only, to keep the target fast)
 *  - numbers read back within the setting's described bounds.
 * At the end every setting reads back, with the truncation contract of
 * the (buf, size, needed) calls, and the community survives a snapshot
 * round trip with every setting's text intact.
 *
 * SPDX-License-Identifier: MIT
 */
#include <kith.h>

#include "../membuf.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz-settings: check failed at line %d: %s\n", __LINE__,  \
			        #cond);                                                            \
			abort();                                                                   \
		}                                                                                  \
	} while (0)




static struct membuf save(const kith_community *c)
{
	struct membuf b = {0};
	CHECK(kith_community_save(c, membuf_write, &b) == KITH_OK);
	return b;
}

static int same(const struct membuf *a, const struct membuf *b)
{
	return a->len == b->len && memcmp(a->data, b->data, a->len) == 0;
}

/* A setting's text, malloc'd (NULL with *st set when the get fails). */
static char *get_text(const kith_community *c, const char *name, kith_status *st, size_t *len)
{
	char probe[16];
	size_t needed = 0;
	*st = kith_setting_get(c, name, KITH_NUL_TERMINATED, probe, sizeof probe, &needed);
	if (*st != KITH_OK)
		return NULL;
	CHECK(strlen(probe) == (needed < sizeof probe ? needed : sizeof probe - 1));
	char *text = malloc(needed + 1);
	CHECK(text != NULL);
	size_t again = 0;
	CHECK(kith_setting_get(c, name, KITH_NUL_TERMINATED, text, needed + 1, &again) == KITH_OK);
	CHECK(again == needed && strlen(text) == needed);
	CHECK(strncmp(text, probe, strlen(probe)) == 0);
	*len = needed;
	return text;
}

/* Bounds of a setting by name, when it is a number. */
static int number_bounds(const kith_community *c, const char *name, double *min, double *max)
{
	size_t count = kith_setting_count(c);
	for (size_t i = 0; i < count; i++) {
		const char *n;
		kith_setting_type type;
		CHECK(kith_setting_describe(c, i, &n, &type, min, max) == KITH_OK);
		if (strcmp(n, name) == 0)
			return type == KITH_SETTING_INTEGER || type == KITH_SETTING_NUMBER;
	}
	return 0;
}

/* deep: also compare whole snapshots (costly: done for the first lines of
 * each input, where the fuzzer's short inputs spend most of their time). */
static void one(kith_community *c, const char *name, const char *value, size_t len, int deep)
{
	kith_status st_before, st;
	size_t before_len = 0;
	char *before_text = get_text(c, name, &st_before, &before_len);
	size_t count_before = kith_setting_count(c);
	uint32_t roles_before = kith_community_role_count(c);
	struct membuf before = {0};
	if (deep)
		before = save(c);

	st = kith_setting_set(c, name, KITH_NUL_TERMINATED, value, len);
	if (st != KITH_OK) {
		CHECK(st == KITH_ENOTFOUND || st == KITH_EINVAL || st == KITH_ERANGE ||
		      st == KITH_ESTATE || st == KITH_ELIMIT);
		CHECK(kith_community_last_error(c)[0] != '\0');
		CHECK(kith_setting_count(c) == count_before);
		CHECK(kith_community_role_count(c) == roles_before);
		if (deep) {
			struct membuf after = save(c);
			CHECK(same(&before, &after)); /* a failed set changes nothing */
			free(after.data);
		}
		kith_status st_after;
		size_t after_len = 0;
		char *after_text = get_text(c, name, &st_after, &after_len);
		CHECK(st_after == st_before);
		if (before_text)
			CHECK(after_len == before_len && memcmp(after_text, before_text, before_len) == 0);
		free(after_text);
	} else {
		size_t len1 = 0, len2 = 0;
		char *canonical = get_text(c, name, &st, &len1);
		CHECK(st == KITH_OK);
		double min, max;
		if (number_bounds(c, name, &min, &max)) {
			char *end;
			double v = strtod(canonical, &end);
			CHECK(end != canonical && *end == '\0');
			CHECK(isfinite(v) && v >= min && v <= max);
		}
		struct membuf b1 = {0}, b2 = {0};
		if (deep)
			b1 = save(c);
		CHECK(kith_setting_set(c, name, KITH_NUL_TERMINATED, canonical, len1) == KITH_OK);
		if (deep) {
			b2 = save(c);
			CHECK(same(&b1, &b2)); /* the canonical text is the same value */
		}
		char *again = get_text(c, name, &st, &len2);
		CHECK(st == KITH_OK && len2 == len1 && memcmp(again, canonical, len1) == 0);
		free(again);
		free(canonical);
		free(b1.data);
		free(b2.data);
	}
	free(before.data);
	free(before_text);
}

static void check_all(const kith_community *c)
{
	size_t count = kith_setting_count(c);
	struct membuf snap = save(c);
	kith_community *d = NULL;
	CHECK(kith_community_new(&d) == KITH_OK);
	CHECK(kith_community_load(d, membuf_read, &snap) == KITH_OK);
	CHECK(kith_setting_count(d) == count);
	for (size_t i = 0; i < count; i++) {
		const char *name;
		kith_setting_type type;
		double min, max;
		CHECK(kith_setting_describe(c, i, &name, &type, &min, &max) == KITH_OK);
		CHECK(name != NULL && name[0] != '\0');
		CHECK(type >= KITH_SETTING_INTEGER && type <= KITH_SETTING_REGEX);
		CHECK(min <= max);
		kith_status st1, st2;
		size_t l1 = 0, l2 = 0;
		char *a = get_text(c, name, &st1, &l1);
		char *b = get_text(d, name, &st2, &l2);
		CHECK(st1 == KITH_OK && st2 == KITH_OK);
		CHECK(l1 == l2 && memcmp(a, b, l1) == 0); /* snapshots keep every setting */
		free(a);
		free(b);
	}
	CHECK(kith_setting_describe(c, count, NULL, NULL, NULL, NULL) != KITH_OK);
	kith_community_free(d);
	free(snap.data);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	kith_community *c = NULL;
	CHECK(kith_community_new(&c) == KITH_OK);
	const char *p = (const char *)data, *end = p + size;
	int lines = 0;
	while (p < end && lines++ < 200) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *line_end = nl ? nl : end;
		const char *eq = memchr(p, '=', (size_t)(line_end - p));
		if (eq) {
			char name[512];
			size_t n = (size_t)(eq - p);
			if (n >= sizeof name)
				n = sizeof name - 1;
			memcpy(name, p, n);
			name[n] = '\0'; /* a NUL inside cuts the name short: fine */
			if (name[0] == '@') {
				size_t count = kith_setting_count(c);
				const char *real;
				CHECK(kith_setting_describe(c, strtoul(name + 1, NULL, 10) % count, &real, NULL,
				                            NULL, NULL) == KITH_OK);
				snprintf(name, sizeof name, "%s", real);
			}
			one(c, name, eq + 1, (size_t)(line_end - eq - 1), lines <= 16);
		}
		p = nl ? nl + 1 : end;
	}
	check_all(c);
	kith_community_free(c);
	return 0;
}
