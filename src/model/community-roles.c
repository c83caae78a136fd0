/*
 * The community's roles through the public API: listing, finding and
 * defining them, and their permissions.
 *
 * SPDX-License-Identifier: MIT
 */
#include "model/community.h"
#include "model/roles.h"
#include "util/bytes.h"

#include <stddef.h>
#include <stdint.h>

uint32_t kith_community_role_count(const kith_community *community)
{
	return community ? community->roles.count : 0;
}

const char *kith_role_name(const kith_community *community, uint32_t role)
{
	if (!community || role >= community->roles.count)
		return NULL;
	return community->roles.role[role].name;
}

kith_status kith_community_find_role(const kith_community *community, const char *name,
                                     size_t name_len, uint32_t *out)
{
	if (!community || !name || !out)
		return KITH_EINVAL;
	uint32_t r = kith_roles_find(&community->roles, name, kith_len(name, name_len));
	if (r == UINT32_MAX)
		return KITH_ENOTFOUND;
	*out = r;
	return KITH_OK;
}

kith_status kith_community_define_role(kith_community *community, const char *name, size_t name_len,
                                       uint32_t permissions, int protected_from_cleanup,
                                       uint32_t *out)
{
	if (!community)
		return KITH_EINVAL;
	size_t n = kith_len(name, name_len);
	if (!kith_role_name_valid(name, n))
		return kith_fail(community, KITH_EINVAL,
		                 "role name must be 1 to %d letters, digits, '-', '_' or '.'",
		                 KITH_ROLE_NAME_MAX);
	if (permissions & ~(uint32_t)KITH_PERM_ALL)
		return kith_fail(community, KITH_EINVAL, "unknown permission bits 0x%x",
		                 (unsigned)(permissions & ~(uint32_t)KITH_PERM_ALL));
	struct kith_roles *roles = &community->roles;
	uint32_t r = kith_roles_find(roles, name, n);
	if (r == UINT32_MAX) {
		if (roles->count >= KITH_ROLES_MAX)
			return kith_fail(community, KITH_ELIMIT, "too many roles: at most %d",
			                 KITH_ROLES_MAX);
		r = kith_roles_add(&community->mem, roles, name, n);
		if (r == UINT32_MAX)
			return kith_fail(community, KITH_ENOMEM, "out of memory adding role %.*s",
			                 (int)n, name);
	}
	roles->role[r].permissions = permissions;
	roles->role[r].protected_from_cleanup = protected_from_cleanup != 0;
	if (out)
		*out = r;
	return KITH_OK;
}

uint32_t kith_role_permissions(const kith_community *community, uint32_t role)
{
	if (!community || role >= community->roles.count)
		return 0;
	return community->roles.role[role].permissions;
}

int kith_role_is_protected(const kith_community *community, uint32_t role)
{
	if (!community || role >= community->roles.count)
		return 0;
	return community->roles.role[role].protected_from_cleanup ? 1 : 0;
}
