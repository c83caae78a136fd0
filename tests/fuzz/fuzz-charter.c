/*
 * libFuzzer target for the charter parser: any text either applies as a
 * whole or fails with a positioned error and changes no setting and no
 * role. After a success every setting still reads back and sets back to
 * the same canonical text.
 *
 * SPDX-License-Identifier: MIT
 */
#include <kith.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every setting as "name=value\n", in describe order. */
struct dump {
	char *text;
	size_t len, cap;
	uint32_t roles;
};

static void dump_append(struct dump *d, const char *s, size_t n)
{
	if (d->len + n + 1 > d->cap) {
		size_t cap = d->cap ? d->cap : 4096;
		while (cap < d->len + n + 1)
			cap *= 2;
		char *nt = realloc(d->text, cap);
		if (!nt)
			abort();
		d->text = nt;
		d->cap = cap;
	}
	memcpy(d->text + d->len, s, n);
	d->len += n;
	d->text[d->len] = '\0';
}

static void dump_settings(const kith_community *c, struct dump *d)
{
	char value[8192];
	d->len = 0;
	d->roles = kith_community_role_count(c);
	size_t count = kith_setting_count(c);
	for (size_t i = 0; i < count; i++) {
		const char *name = NULL;
		size_t needed = 0;
		if (kith_setting_describe(c, i, &name, NULL, NULL, NULL) != KITH_OK || !name)
			abort();
		if (kith_setting_get(c, name, KITH_NUL_TERMINATED, value, sizeof value, &needed) !=
		    KITH_OK)
			abort();
		if (needed >= sizeof value)
			abort(); /* no setting's text is that long */
		dump_append(d, name, strlen(name));
		dump_append(d, "=", 1);
		dump_append(d, value, needed);
		dump_append(d, "\n", 1);
	}
}

/* Each setting sets back to itself: the canonical form is stable. */
static void check_round_trip(kith_community *c)
{
	char value[8192], again[8192];
	size_t count = kith_setting_count(c);
	for (size_t i = 0; i < count; i++) {
		const char *name = NULL;
		size_t n = 0;
		if (kith_setting_describe(c, i, &name, NULL, NULL, NULL) != KITH_OK)
			abort();
		if (kith_setting_get(c, name, KITH_NUL_TERMINATED, value, sizeof value, &n) !=
		    KITH_OK)
			abort();
		if (kith_setting_set(c, name, KITH_NUL_TERMINATED, value, n) != KITH_OK) {
			fprintf(stderr, "%s = '%s' does not set back: %s\n", name, value,
			        kith_community_last_error(c));
			abort();
		}
		/* describe's name may move when roles change; they must not. */
		if (kith_setting_count(c) != count)
			abort();
		if (kith_setting_get(c, name, KITH_NUL_TERMINATED, again, sizeof again, NULL) !=
		    KITH_OK)
			abort();
		if (strcmp(value, again) != 0) {
			fprintf(stderr, "%s: '%s' reads back as '%s'\n", name, value, again);
			abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	kith_community *c = NULL;
	struct dump before = {0}, after = {0};

	if (kith_community_new(&c) != KITH_OK)
		abort();
	/* Some state that a charter could clobber: a custom role and
	 * non-default values. */
	if (kith_setting_set(c, "role.fuzz.permissions", KITH_NUL_TERMINATED, "links",
	                     KITH_NUL_TERMINATED) != KITH_OK ||
	    kith_setting_set(c, "community.name_format", KITH_NUL_TERMINATED, "^[A-Z]",
	                     KITH_NUL_TERMINATED) != KITH_OK ||
	    kith_setting_set(c, "community.capacity", KITH_NUL_TERMINATED, "321",
	                     KITH_NUL_TERMINATED) != KITH_OK)
		abort();
	dump_settings(c, &before);

	kith_status st = kith_community_apply_charter(c, (const char *)data, size);
	if (st == KITH_OK) {
		check_round_trip(c);
	} else {
		const char *err = kith_community_last_error(c);
		dump_settings(c, &after);
		if (after.roles != before.roles || after.len != before.len ||
		    memcmp(after.text, before.text, before.len) != 0) {
			fprintf(stderr, "failed charter (%s) changed the settings\n", err);
			abort();
		}
		/* Every error in the text says where. */
		if (st != KITH_ENOMEM && strncmp(err, "line ", 5) != 0) {
			fprintf(stderr, "error without a position: %s\n", err);
			abort();
		}
		if (st != KITH_ESYNTAX && st != KITH_EUNSUPPORTED && st != KITH_EINVAL &&
		    st != KITH_ERANGE && st != KITH_ENOTFOUND && st != KITH_ELIMIT &&
		    st != KITH_ESTATE && st != KITH_ENOMEM) {
			fprintf(stderr, "unexpected status %d: %s\n", (int)st, err);
			abort();
		}
	}
	free(before.text);
	free(after.text);
	kith_community_free(c);
	return 0;
}
