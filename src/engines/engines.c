/*
 * The engine table: the one list of the engines this build runs, and the
 * public constructors, which give every community that list.
 *
 * The order is the order kith_setting_describe lists the engines'
 * settings and snapshots write their sections in: a new engine goes at
 * the end (see src/engines/README.md).
 *
 * SPDX-License-Identifier: MIT
 */
#include "engines/cleanup/engine.h"
#include "engines/health/engine.h"
#include "engines/levels/engine.h"
#include "engines/rules/engine.h"
#include "engines/schedule/engine.h"
#include "engines/seeds/engine.h"
#include "model/community.h"
#include "model/engine.h"
#include "util/memory.h"

#include <stddef.h>

static const struct kith_engine *const engines[] = {
	&kith_cleanup_engine,
	&kith_health_engine,
	&kith_rules_engine,
	&kith_schedule_engine,
	&kith_levels_engine,
	&kith_seeds_engine,
};
_Static_assert(sizeof engines / sizeof engines[0] <= KITH_ENGINES_MAX, "too many engines");

/* Charter sections of engines the design plans that this build lacks
 * would be listed here (refused rather than skipped, so that an operator
 * never believes a policy is in force when it is not): none today. */
static const struct kith_engine_set engine_set = {
	engines,
	sizeof engines / sizeof engines[0],
	NULL,
	0,
};

kith_status kith_community_new_with_allocator(kith_community **out, kith_alloc_fn alloc, void *payload)
{
	return kith_community_create(out, alloc, payload, &engine_set);
}

kith_status kith_community_new(kith_community **out)
{
	return kith_community_create(out, kith_mem_libc, NULL, &engine_set);
}
