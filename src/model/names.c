/*
 * Display names against community.name_format: whether a name complies,
 * and every member checked again when the format changes.
 *
 * SPDX-License-Identifier: MIT
 */
#include "model/names.h"

#include "model/community.h"
#include "model/members.h"
#include "util/arena.h"

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

bool kith_name_matches(const kith_community *c, const char *name, size_t n)
{
	if (!name || memchr(name, '\0', n))
		return false;
	/* regexec needs a NUL-terminated string; names are at most KITH_ID_MAX. */
	char buf[KITH_ID_MAX + 1];
	memcpy(buf, name, n);
	buf[n] = '\0';
	return regexec(&c->settings.name_regex, buf, 0, NULL, 0) == 0;
}

void kith_members_check_names(kith_community *c)
{
	for (uint32_t h = 0; h < c->members.count; h++) {
		struct kith_member *m = kith_member_at(&c->members, h);
		size_t n = 0;
		const char *name = m->name ? kith_arena_str(&c->members.names, m->name - 1, &n) : NULL;
		m->name_ok = kith_name_compliant(c, name, n);
	}
}
