/*
 * Roles: the built-in ones and custom ones, each with permissions and
 * protection from cleanup. A member holds a set of roles (a bit set in its
 * record), changed by role events.
 *
 * SPDX-License-Identifier: MIT
 */
#include "model/roles.h"
#include "util/lex.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

static const struct kith_role builtin_roles[KITH_BUILTIN_ROLE_COUNT] = {
	{"owner", KITH_PERM_INVITE | KITH_PERM_LINKS | KITH_PERM_ANNOUNCE | KITH_PERM_EXEMPT, true, "", ""},
	{"admin", KITH_PERM_INVITE | KITH_PERM_LINKS | KITH_PERM_ANNOUNCE | KITH_PERM_EXEMPT, true, "", ""},
	{"opinion-leader", KITH_PERM_INVITE | KITH_PERM_LINKS, true, "", ""},
	{"seed", KITH_PERM_INVITE | KITH_PERM_LINKS, true, "", ""},
	{"initiator", KITH_PERM_INVITE | KITH_PERM_ANNOUNCE, true, "", ""},
	{"expert", KITH_PERM_LINKS, true, "", ""},
	{"helper", KITH_PERM_INVITE | KITH_PERM_LINKS, true, "", ""},
	{"member", 0, false, "", ""},
};

/* "role." NAME "." key, assembled by hand (snprintf from one member of a
 * struct into another trips -Wrestrict). */
static void join_setting(char *dst, const char *name, const char *key)
{
	size_t n = strlen(name), k = strlen(key);
	memcpy(dst, "role.", 5);
	memcpy(dst + 5, name, n);
	dst[5 + n] = '.';
	memcpy(dst + 6 + n, key, k + 1);
}

static void role_name_settings(struct kith_role *role)
{
	join_setting(role->setting_permissions, role->name, "permissions");
	join_setting(role->setting_protected, role->name, "protected");
}

void kith_roles_init(struct kith_roles *r)
{
	memset(r, 0, sizeof *r);
	memcpy(r->role, builtin_roles, sizeof builtin_roles);
	r->count = KITH_BUILTIN_ROLE_COUNT;
	for (uint32_t i = 0; i < r->count; i++)
		role_name_settings(&r->role[i]);
}

uint32_t kith_roles_add(struct kith_roles *r, const char *name, size_t n)
{
	uint32_t i = r->count++;
	struct kith_role *role = &r->role[i];
	memset(role, 0, sizeof *role);
	memcpy(role->name, name, n);
	role->name[n] = '\0';
	role_name_settings(role);
	return i;
}

uint32_t kith_roles_find(const struct kith_roles *r, const char *name, size_t n)
{
	for (uint32_t i = 0; i < r->count; i++)
		if (kith_lex_equal_nocase(r->role[i].name, strlen(r->role[i].name), name, n))
			return i;
	return UINT32_MAX;
}

bool kith_role_name_valid(const char *name, size_t n)
{
	if (!name || n == 0 || n > KITH_ROLE_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)name[i];
		bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		          ch == '-' || ch == '_' || ch == '.';
		if (!ok)
			return false;
	}
	return true;
}
