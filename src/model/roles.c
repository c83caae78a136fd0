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

#define BUILTIN(name) name "\0role." name ".permissions\0role." name ".protected"

static const struct kith_role builtin_roles[KITH_BUILTIN_ROLE_COUNT] = {
	{BUILTIN("owner"), KITH_PERM_INVITE | KITH_PERM_LINKS | KITH_PERM_ANNOUNCE | KITH_PERM_EXEMPT, true},
	{BUILTIN("admin"), KITH_PERM_INVITE | KITH_PERM_LINKS | KITH_PERM_ANNOUNCE | KITH_PERM_EXEMPT, true},
	{BUILTIN("opinion-leader"), KITH_PERM_INVITE | KITH_PERM_LINKS, true},
	{BUILTIN("seed"), KITH_PERM_INVITE | KITH_PERM_LINKS, true},
	{BUILTIN("initiator"), KITH_PERM_INVITE | KITH_PERM_ANNOUNCE, true},
	{BUILTIN("expert"), KITH_PERM_LINKS, true},
	{BUILTIN("helper"), KITH_PERM_INVITE | KITH_PERM_LINKS, true},
	{BUILTIN("member"), 0, false},
};

/* The bytes of a custom role's names string (role.h): the name, then
 * "role." NAME ".permissions" and "role." NAME ".protected", each with its
 * NUL. */
static size_t names_size(size_t n)
{
	return (n + 1) + (5 + n + 12 + 1) + (5 + n + 10 + 1);
}

static char *put(char *dst, const char *s, size_t n)
{
	memcpy(dst, s, n);
	return dst + n;
}

void kith_roles_init(struct kith_roles *r)
{
	memset(r, 0, sizeof *r);
	memcpy(r->role, builtin_roles, sizeof builtin_roles);
	r->count = KITH_BUILTIN_ROLE_COUNT;
}

uint32_t kith_roles_add(const struct kith_mem *mem, struct kith_roles *r, const char *name, size_t n)
{
	char *names = kith_mem_alloc(mem, names_size(n)), *p = names;
	if (!names)
		return UINT32_MAX;
	p = put(p, name, n);
	*p++ = '\0';
	p = put(put(put(p, "role.", 5), name, n), ".permissions", 12);
	*p++ = '\0';
	p = put(put(put(p, "role.", 5), name, n), ".protected", 10);
	*p = '\0';
	uint32_t i = r->count++;
	r->role[i] = (struct kith_role){names, 0, false};
	return i;
}

void kith_roles_release(const struct kith_mem *mem, struct kith_roles *r, uint32_t from)
{
	if (from < KITH_BUILTIN_ROLE_COUNT)
		from = KITH_BUILTIN_ROLE_COUNT;
	for (uint32_t i = from; i < r->count; i++)
		kith_mem_free(mem, (void *)(uintptr_t)r->role[i].name, names_size(strlen(r->role[i].name)));
	if (r->count > from)
		r->count = from;
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
