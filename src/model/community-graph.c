/*
 * The community's interaction graph through the public API: its edges in
 * the order first seen, and the counts between two members.
 *
 * SPDX-License-Identifier: MIT
 */
#include "model/community.h"
#include "model/graph.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

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
