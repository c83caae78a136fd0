/*
 * Status names and the version.
 *
 * SPDX-License-Identifier: MIT
 */
#include "kith.h"

#define KITH_STR2(x) #x
#define KITH_STR(x) KITH_STR2(x)

const char *kith_version(void)
{
	return KITH_STR(KITH_VERSION_MAJOR) "." KITH_STR(KITH_VERSION_MINOR) "." KITH_STR(
	    KITH_VERSION_PATCH);
}

const char *kith_status_name(kith_status status)
{
	switch (status) {
	case KITH_OK:
		return "success";
	case KITH_EINVAL:
		return "invalid argument";
	case KITH_ENOMEM:
		return "out of memory";
	case KITH_ERANGE:
		return "value out of range";
	case KITH_ENOTFOUND:
		return "not found";
	case KITH_ESYNTAX:
		return "syntax error";
	case KITH_ECORRUPT:
		return "corrupt snapshot";
	case KITH_EVERSION:
		return "unsupported version";
	case KITH_EORDER:
		return "event out of time order";
	case KITH_EUNSUPPORTED:
		return "not supported yet";
	case KITH_EIO:
		return "input/output callback failed";
	case KITH_ELIMIT:
		return "capacity limit reached";
	case KITH_ESTATE:
		return "not allowed in the present state";
	}
	return "unknown";
}
