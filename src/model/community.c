/*
 * The community: creation with a set of engines, destruction, the last
 * error, the counts every caller asks for, and the engines' slots.
 *
 * SPDX-License-Identifier: MIT
 */
#include "model/community.h"

#include "model/engine.h"
#include "model/graph.h"
#include "model/ledger.h"
#include "model/members.h"
#include "model/roles.h"
#include "model/settings.h"
#include "util/memory.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

kith_status kith_community_create(kith_community **out, kith_alloc_fn alloc, void *payload,
                                  const struct kith_engine_set *engines)
{
	if (!out || !alloc)
		return KITH_EINVAL;
	*out = NULL;
	struct kith_mem mem = {alloc, payload};
	kith_community *c = kith_mem_alloc(&mem, sizeof *c);
	if (!c)
		return KITH_ENOMEM;
	memset(c, 0, sizeof *c);
	c->mem = mem;
	c->engines = engines;
	kith_settings_defaults(&c->settings);
	kith_roles_init(&c->roles);
	kith_members_init(&c->members);
	kith_ledger_init(&c->ledger, c->settings.ledger_capacity);
	/* Zero (from the memset) is the rest's empty state: score epoch 0, no
	 * score factor and no local day cached, no engine state. */
	c->first_event_ms = KITH_TIME_NONE;
	c->last_event_ms = KITH_TIME_NONE;
	c->forgive_ms = KITH_FORGIVE_DEFAULT_MS;
	*out = c;
	return KITH_OK;
}

void kith_community_free(kith_community *community)
{
	if (!community)
		return;
	struct kith_mem mem = community->mem;
	const struct kith_engine_set *set = community->engines;
	for (size_t i = 0; i < set->count; i++) {
		if (set->engine[i]->free)
			set->engine[i]->free(community);
		kith_mem_free(&mem, community->engine_settings[i], set->engine[i]->settings_size);
	}
	kith_settings_fini(&mem, &community->settings);
	kith_roles_release(&mem, &community->roles, 0);
	kith_members_fini(&mem, &community->members);
	kith_ledger_fini(&mem, &community->ledger);
	kith_graph_fini(&mem, &community->graph);
	kith_mem_free(&mem, community->digest, sizeof *community->digest);
	kith_kept_texts_free(&mem, community->kept_texts);
	kith_mem_free(&mem, community->score_fine, KITH_SCORE_FINE * sizeof *community->score_fine);
	kith_mem_free(&mem, community->graph_queue.item,
	              KITH_GRAPH_QUEUE_MAX * sizeof *community->graph_queue.item);
	kith_mem_free(&mem, community, sizeof *community);
}

size_t kith_community_member_count(const kith_community *community)
{
	return community ? community->members.count : 0;
}

size_t kith_community_present_count(const kith_community *community)
{
	return community ? community->members.present : 0;
}

uint64_t kith_community_message_count(const kith_community *community)
{
	return community ? community->messages : 0;
}

int64_t kith_community_last_event_ms(const kith_community *community)
{
	return community ? community->last_event_ms : KITH_TIME_NONE;
}

uint64_t kith_community_event_count(const kith_community *community)
{
	return community ? community->events : 0;
}

kith_status kith_community_first_event_ms(const kith_community *community, int64_t *out)
{
	if (!community || !out)
		return KITH_EINVAL;
	if (community->first_event_ms == KITH_TIME_NONE)
		return KITH_ENOTFOUND;
	*out = community->first_event_ms;
	return KITH_OK;
}

/* ---- the engines' slots ----------------------------------------------------- */

static size_t engine_index(const kith_community *c, const struct kith_engine_id *id)
{
	size_t i = 0;
	while (c->engines->engine[i]->id != id)
		i++;
	return i;
}

void *kith_engine_state(const kith_community *c, const struct kith_engine_id *id)
{
	return c->engine_state[engine_index(c, id)];
}

void kith_engine_set_state(kith_community *c, const struct kith_engine_id *id, void *state)
{
	size_t i = engine_index(c, id);
	c->engine_state[i] = state;
	uint32_t bit = (uint32_t)1 << i;
	if (state && c->engines->engine[i]->ingest_evaluate)
		c->ingest_hooked |= bit;
	else
		c->ingest_hooked &= ~bit;
}

const void *kith_engine_settings(const kith_community *c, const struct kith_engine_id *id)
{
	size_t i = engine_index(c, id);
	const void *block = c->engine_settings[i];
	return block ? block : c->engines->engine[i]->settings_defaults;
}

/* ---- the last error --------------------------------------------------------- */

kith_status kith_fail(kith_community *c, kith_status st, const char *fmt, ...)
{
	if (!c)
		return st;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(c->error, sizeof c->error, fmt, ap);
	va_end(ap);
	if (n < 0)
		c->error[0] = '\0';
	return st;
}

const char *kith_community_last_error(const kith_community *community)
{
	return community ? community->error : "";
}
