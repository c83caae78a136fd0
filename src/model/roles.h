/*
 * Roles: the built-in ones and custom ones, with permissions and
 * protection from cleanup.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_MODEL_ROLES_H
#define KITH_MODEL_ROLES_H

#include "kith.h"
#include "util/memory.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KITH_ROLE_NAME_MAX 64
#define KITH_BUILTIN_ROLE_COUNT 8
/* Every permission bit kith knows. */
#define KITH_PERM_ALL (KITH_PERM_INVITE | KITH_PERM_LINKS | KITH_PERM_ANNOUNCE | KITH_PERM_EXEMPT)

/* A role is 16 bytes: its names are one string, "NAME\0role.NAME.permissions
 * \0role.NAME.protected", static for the built-in roles and owned by the
 * roles for custom ones, so that a community pays for the roles it has and
 * kith_setting_describe can lend the setting names out. */
struct kith_role {
	const char *name;
	uint32_t permissions;
	bool protected_from_cleanup;
};

/* The role's setting names, role.NAME.permissions and role.NAME.protected. */
static inline const char *kith_role_setting_permissions(const struct kith_role *role)
{
	const char *s = role->name;
	while (*s)
		s++;
	return s + 1;
}

static inline const char *kith_role_setting_protected(const struct kith_role *role)
{
	const char *s = kith_role_setting_permissions(role);
	while (*s)
		s++;
	return s + 1;
}

/* Copied by value (a settings change works on a copy): the custom roles'
 * names are shared by the copies, and freed by kith_roles_release. */
struct kith_roles {
	struct kith_role role[KITH_ROLES_MAX];
	uint32_t count;
};

void kith_roles_init(struct kith_roles *r);
uint32_t kith_roles_find(const struct kith_roles *r, const char *name, size_t n);
bool kith_role_name_valid(const char *name, size_t n);
/* Add a custom role (count < KITH_ROLES_MAX); its index, or UINT32_MAX
 * when its names cannot be allocated. */
uint32_t kith_roles_add(const struct kith_mem *mem, struct kith_roles *r, const char *name, size_t n);
/* Free the names of the custom roles from index `from` on, and forget
 * those roles: 0 at the end of a community, the count of the roles a
 * change started from when the change is dropped. */
void kith_roles_release(const struct kith_mem *mem, struct kith_roles *r, uint32_t from);

#endif /* KITH_MODEL_ROLES_H */
