/*
 * The interaction graph: directed edges between members, each counting
 * replies, mentions, reactions and invitations, kept incrementally at
 * ingest for the engines that need reach (seeds) and for reports. Edges
 * are stored in the order first seen, indexed by (source, target).
 *
 * SPDX-License-Identifier: MIT
 */
#include "kith-private.h"

#include <string.h>

static uint64_t edge_key(uint32_t source, uint32_t target)
{
	return (uint64_t)source << 32 | target;
}

void kith_graph_fini(const struct kith_mem *mem, struct kith_graph *g)
{
	kith_mem_free(mem, g->edges, g->cap * sizeof *g->edges);
	kith_u64map_fini(mem, &g->index);
	memset(g, 0, sizeof *g);
}

bool kith_graph_reserve(const struct kith_mem *mem, struct kith_graph *g)
{
	return kith_mem_grow(mem, (void **)&g->edges, &g->cap, g->count + 1, sizeof *g->edges) &&
	       kith_u64map_reserve(mem, &g->index, 1);
}

const struct kith_edge *kith_graph_find(const struct kith_graph *g, uint32_t source, uint32_t target)
{
	uint32_t i = kith_u64map_get(&g->index, edge_key(source, target));
	return i == UINT32_MAX ? NULL : &g->edges[i];
}

void kith_graph_add(struct kith_graph *g, uint32_t source, uint32_t target, kith_interaction kind)
{
	uint64_t key = edge_key(source, target);
	uint32_t i = kith_u64map_get(&g->index, key);
	if (i == UINT32_MAX) {
		i = (uint32_t)g->count++;
		memset(&g->edges[i], 0, sizeof g->edges[i]);
		g->edges[i].source = source;
		g->edges[i].target = target;
		kith_u64map_put(&g->index, key, i);
	}
	if (g->edges[i].counts[kind] < UINT32_MAX)
		g->edges[i].counts[kind]++;
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
	const struct kith_edge *e = &community->graph.edges[i];
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
