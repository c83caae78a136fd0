/*
 * The interaction graph: directed edges between members, each counting
 * replies, mentions, reactions and invitations, kept incrementally at
 * ingest for the engines that need reach (seeds) and for reports.
 *
 * SPDX-License-Identifier: MIT
 */
#include "kith-private.h"

#include <string.h>

/* The slot of (source, target), or the empty slot where it would go,
 * probing from its home slot. */
static size_t probe_from(const struct kith_graph *g, size_t i, uint32_t source, uint32_t target)
{
	size_t mask = g->cap - 1;
	while (g->slots[i].source != UINT32_MAX &&
	       (g->slots[i].source != source || g->slots[i].target != target))
		i = (i + 1) & mask;
	return i;
}

static size_t probe(const struct kith_graph *g, uint32_t source, uint32_t target)
{
	return probe_from(g, kith_graph_home(g, source, target), source, target);
}

void kith_graph_fini(const struct kith_mem *mem, struct kith_graph *g)
{
	kith_mem_free(mem, g->slots, g->cap * sizeof *g->slots);
	kith_mem_free(mem, g->order, g->order_cap * sizeof *g->order);
	memset(g, 0, sizeof *g);
}

bool kith_graph_grow(const struct kith_mem *mem, struct kith_graph *g, size_t more)
{
	if (more > UINT32_MAX / 2 - g->count)
		return false;
	size_t need = g->count + more;
	if (!kith_mem_grow(mem, (void **)&g->order, &g->order_cap, need, sizeof *g->order))
		return false;
	if (g->cap && need <= g->cap / 2)
		return true;
	size_t cap = g->cap ? g->cap * 2 : 64;
	while (need > cap / 2)
		cap *= 2;
	struct kith_edge *slots = kith_mem_alloc(mem, cap * sizeof *slots);
	if (!slots)
		return false;
	for (size_t i = 0; i < cap; i++)
		slots[i].source = UINT32_MAX;
	struct kith_graph grown = *g;
	grown.slots = slots;
	grown.cap = cap;
	for (size_t e = 0; e < g->count; e++) {
		const struct kith_edge *old = &g->slots[g->order[e]];
		size_t at = probe(&grown, old->source, old->target);
		slots[at] = *old;
		g->order[e] = (uint32_t)at;
	}
	kith_mem_free(mem, g->slots, g->cap * sizeof *g->slots);
	g->slots = slots;
	g->cap = cap;
	return true;
}

/* The edge (source, target), whose home slot is home, created if new. */
static struct kith_edge *touch_from(struct kith_graph *g, size_t home, uint32_t source,
                                    uint32_t target)
{
	size_t at = probe_from(g, home, source, target);
	struct kith_edge *e = &g->slots[at];
	if (e->source == UINT32_MAX) {
		memset(e, 0, sizeof *e);
		e->source = source;
		e->target = target;
		g->order[g->count++] = (uint32_t)at;
	}
	return e;
}

struct kith_edge *kith_graph_touch(struct kith_graph *g, uint32_t source, uint32_t target)
{
	return touch_from(g, kith_graph_home(g, source, target), source, target);
}

static void count_from(struct kith_graph *g, size_t home, uint32_t source, uint32_t target,
                       uint32_t kind, bool mention)
{
	struct kith_edge *e = touch_from(g, home, source, target);
	kith_inc32(&e->counts[kind]);
	if (mention)
		kith_inc32(&e->counts[KITH_INTERACTION_MENTION]);
}

void kith_graph_count(struct kith_graph *g, uint32_t source, uint32_t target, uint32_t kind,
                      bool mention)
{
	count_from(g, kith_graph_home(g, source, target), source, target, kind, mention);
}

/* Each slot is prefetched AHEAD interactions before it is counted, its home
 * kept meanwhile (nothing grows the table during a flush). */
#define AHEAD 8

void kith_graph_flush(struct kith_graph *g, struct kith_graph_queue *q)
{
	const struct kith_graph_queued *item = q->item;
	uint32_t n = q->count;
	size_t home[AHEAD];
	for (uint32_t i = 0; i < n && i < AHEAD; i++) {
		home[i] = kith_graph_home(g, item[i].source, item[i].target);
		__builtin_prefetch(&g->slots[home[i]]);
	}
	for (uint32_t i = 0; i < n; i++) {
		size_t at = home[i % AHEAD];
		if (i + AHEAD < n) {
			home[i % AHEAD] = kith_graph_home(g, item[i + AHEAD].source, item[i + AHEAD].target);
			__builtin_prefetch(&g->slots[home[i % AHEAD]]);
		}
		count_from(g, at, item[i].source, item[i].target, item[i].kind, item[i].mention != 0);
	}
	q->count = 0;
}

const struct kith_edge *kith_graph_find(const struct kith_graph *g, uint32_t source, uint32_t target)
{
	if (!g->cap)
		return NULL;
	const struct kith_edge *e = &g->slots[probe(g, source, target)];
	return e->source == UINT32_MAX ? NULL : e;
}

size_t kith_community_edge_count(const kith_community *community)
{
	return community ? community->graph.count : 0;
}

kith_status kith_community_edge(const kith_community *community, size_t i, uint32_t *source,
                                uint32_t *target, uint32_t counts[4])
{
	if (!community)
		return KITH_EINVAL;
	if (i >= community->graph.count)
		return KITH_ENOTFOUND;
	const struct kith_edge *e = kith_graph_edge(&community->graph, i);
	if (source)
		*source = e->source;
	if (target)
		*target = e->target;
	if (counts)
		memcpy(counts, e->counts, sizeof e->counts);
	return KITH_OK;
}

kith_status kith_community_interactions(const kith_community *community, uint32_t source,
                                        uint32_t target, kith_interaction kind, uint32_t *out)
{
	if (!community || !out || (unsigned)kind > KITH_INTERACTION_INVITE)
		return KITH_EINVAL;
	if (!kith_member_valid(community, source) || !kith_member_valid(community, target))
		return KITH_ENOTFOUND;
	const struct kith_edge *e = kith_graph_find(&community->graph, source, target);
	*out = e ? e->counts[kind] : 0;
	return KITH_OK;
}
