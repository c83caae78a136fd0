/*
 * Roles: the built-in ones and custom ones, with permissions and
 * protection from cleanup.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_MODEL_ROLES_H
#define KITH_MODEL_ROLES_H

#include "kith.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KITH_ROLE_NAME_MAX 64
#define KITH_BUILTIN_ROLE_COUNT 8
/* Every permission bit kith knows. */
#define KITH_PERM_ALL (KITH_PERM_INVITE | KITH_PERM_LINKS | KITH_PERM_ANNOUNCE | KITH_PERM_EXEMPT)

struct kith_role {
	char name[KITH_ROLE_NAME_MAX + 1];
	uint32_t permissions;
	bool protected_from_cleanup;
	/* The role's setting names, kept so that kith_setting_describe can
	 * lend them out. */
	char setting_permissions[KITH_ROLE_NAME_MAX + 24];
	char setting_protected[KITH_ROLE_NAME_MAX + 24];
};

struct kith_roles {
	struct kith_role role[KITH_ROLES_MAX];
	uint32_t count;
};

void kith_roles_init(struct kith_roles *r);
/* Role handle by name (ASCII case-insensitive), or UINT32_MAX. */
uint32_t kith_roles_find(const struct kith_roles *r, const char *name, size_t n);
bool kith_role_name_valid(const char *name, size_t n);
/* Add a role (the name is valid and new, count < KITH_ROLES_MAX). */
uint32_t kith_roles_add(struct kith_roles *r, const char *name, size_t n);

#endif /* KITH_MODEL_ROLES_H */
