/*
 * The community, the root object of the model, and its last error.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_MODEL_COMMUNITY_H
#define KITH_MODEL_COMMUNITY_H

#include "kith.h"
#include "model/digest.h"
#include "model/engine.h"
#include "model/graph.h"
#include "model/kept-texts.h"
#include "model/ledger.h"
#include "model/members.h"
#include "model/roles.h"
#include "model/settings.h"
#include "util/compiler.h"
#include "util/memory.h"
#include "util/time.h"

#include <stdbool.h>
#include <stdint.h>

#define KITH_ERROR_MAX 512

/* rules.forgive_after's default, 30 days. */
#define KITH_FORGIVE_DEFAULT_MS (30 * KITH_MS_PER_DAY)

/* Seconds in a block of the score factor's cache (value.c). */
#define KITH_SCORE_FINE 256

struct kith_community {
	struct kith_mem mem;
	struct kith_settings settings;
	struct kith_roles roles;
	struct kith_members members;
	struct kith_ledger ledger;
	struct kith_graph graph;
	struct kith_graph_queue graph_queue;
	struct kith_digest *digest; /* NULL until the digest is first asked for */
	/* The texts kept for the digest; NULL unless asked for
	 * (kith_community_keep_digest_texts). */
	struct kith_kept_texts *kept_texts;
	uint64_t events; /* events applied (kith_community_event_count) */
	uint64_t messages;
	uint64_t high_value_messages;
	/* KITH_TIME_NONE before the first event, and after loading a snapshot
	 * that predates the field (kith_community_first_event_ms). */
	int64_t first_event_ms;
	int64_t last_event_ms;    /* KITH_TIME_NONE before the first event */
	int64_t score_epoch_ms;   /* scores are stored scaled to this time */
	/* The score factor's cache (value.c): the block of seconds starting
	 * at score_block_start ms (span ms long; 0 = none cached) has factor
	 * score_block_factor at its start, and its second k score_fine[k]
	 * times that. Before the table exists (score_block_span 0), the block
	 * at score_block_start still keeps its factor for score_block_known
	 * ms (0 = none), so that a small community works out only each
	 * second's. */
	int64_t score_block_start;
	uint64_t score_block_span;
	uint64_t score_block_known;
	double score_block_factor;
	double score_fine_half_life; /* the half-life score_fine was filled for; 0 = never */
	double *score_fine;          /* KITH_SCORE_FINE of them, allocated by the first score */
	int64_t day_cache_start;  /* [start, end) in UTC ms is local day day_cache_day */
	int64_t day_cache_end;
	int64_t day_cache_day;
	/* How long a member's violations count before they are forgiven (0:
	 * never). The setting is the rules engine's (rules.forgive_after); it
	 * keeps this in step, as members' figures and cleanup read it. */
	int64_t forgive_ms;
	/* The engines this community runs (model/engine.h), with each one's
	 * state and its block of plain settings (NULL: the defaults). */
	const struct kith_engine_set *engines;
	void *engine_state[KITH_ENGINES_MAX];
	void *engine_settings[KITH_ENGINES_MAX];
	/* Bit i: engine i has state and an ingest hook, so ingest calls it
	 * (kept by kith_engine_set_state; one test an event when none has). */
	uint32_t ingest_hooked;
	/* While an engine's ingest hook runs, that engine's state (what
	 * kith_engine_state gives, without the search). */
	void *hook_state;
	char error[KITH_ERROR_MAX];
};

/* The community changed in a way that may change its digest. */
static inline void kith_digest_forget(kith_community *c)
{
	if (c->digest)
		c->digest->known = false;
}

/* Valid member handle? */
static inline bool kith_member_valid(const kith_community *c, uint32_t h)
{
	return c && h < c->members.count;
}

/* Create an empty community that runs the given engines (the public
 * constructors pass the build's engine table). */
kith_status kith_community_create(kith_community **out, kith_alloc_fn alloc, void *payload,
                                  const struct kith_engine_set *engines);

/* Record a formatted message as the community's last error; returns st. */
kith_status kith_fail(kith_community *c, kith_status st, const char *fmt, ...) KITH_PRINTF(3, 4);

#endif /* KITH_MODEL_COMMUNITY_H */
