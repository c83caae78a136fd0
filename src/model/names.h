/*
 * Display names against community.name_format.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_MODEL_NAMES_H
#define KITH_MODEL_NAMES_H

#include "kith.h"
#include "model/community.h"

#include <stdbool.h>
#include <stddef.h>

/* Recompute every member's name_ok after community.name_format changed. */
void kith_members_check_names(kith_community *c);
/* Whether a display name matches community.name_format, which is set. */
bool kith_name_matches(const kith_community *c, const char *name, size_t n);
/* Whether a display name satisfies community.name_format (true when
 * unset: the common case, inline, as ingest asks at every join). */
static inline bool kith_name_compliant(const kith_community *c, const char *name, size_t n)
{
	return !c->settings.name_format || kith_name_matches(c, name, n);
}

#endif /* KITH_MODEL_NAMES_H */
