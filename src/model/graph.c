/*
 * The interaction graph: directed edges between members, each counting
 * replies, mentions, reactions and invitations, kept incrementally at
 * ingest for the engines that need reach (seeds) and for reports.
 *
 * SPDX-License-Identifier: MIT
 */
#include "model/graph.h"

#include "util/count.h"
#include "util/memory.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The index slot holding (source, target), whose key hashes to h, or the
 * empty slot where it would go (cap > 0). */
static size_t probe(const struct kith_graph *g, uint64_t h, uint32_t source, uint32_t target)
{
	size_t mask = g->cap - 1, i = kith_graph_home(g->cap, h);
	uint32_t tag = kith_graph_tag(h);
	for (;; i = (i + 1) & mask) {
		struct kith_graph_slot s = g->slots[i];
		if (!s.edge)
			return i;
		if (s.tag == tag) {
			const struct kith_edge *e = &g->edges[s.edge - 1];
			if (e->source == source && e->target == target)
				return i;
		}
	}
}

/* The slot of the edge at position e, whose key hashes to h. */
static struct kith_graph_slot slot_of(uint64_t h, size_t e)
{
	return (struct kith_graph_slot){(uint32_t)e + 1, kith_graph_tag(h)};
}

void kith_graph_fini(const struct kith_mem *mem, struct kith_graph *g)
{
	kith_mem_free(mem, g->edges, g->edge_cap * sizeof *g->edges);
	kith_mem_free(mem, g->slots, g->cap * sizeof *g->slots);
	memset(g, 0, sizeof *g);
}

/* Edge positions stay below 2^31, so that 1 + a position fits a slot. */
#define EDGES_MAX ((size_t)INT32_MAX)

bool kith_graph_grow(const struct kith_mem *mem, struct kith_graph *g, size_t more)
{
	if (more > EDGES_MAX - g->count)
		return false;
	size_t need = g->count + more;
	if (!kith_mem_grow(mem, (void **)&g->edges, &g->edge_cap, need, sizeof *g->edges))
		return false;
	if (g->cap && need <= g->cap / 2)
		return true;
	size_t cap = g->cap ? g->cap * 2 : 64;
	while (need > cap / 2) {
		if (cap > SIZE_MAX / 2 / sizeof(struct kith_graph_slot))
			return false; /* more than this machine can address */
		cap *= 2;
	}
	struct kith_graph_slot *slots = kith_mem_calloc(mem, cap, sizeof *slots);
	if (!slots)
		return false; /* the edges array may have grown: harmless */
	/* Every key is distinct, so each goes to the first empty slot from
	 * its home; the edges are read in order. */
	for (size_t e = 0; e < g->count; e++) {
		uint64_t h = kith_graph_hash(g->edges[e].source, g->edges[e].target);
		size_t i = kith_graph_home(cap, h);
		while (slots[i].edge)
			i = (i + 1) & (cap - 1);
		slots[i] = slot_of(h, e);
	}
	kith_mem_free(mem, g->slots, g->cap * sizeof *g->slots);
	g->slots = slots;
	g->cap = cap;
	return true;
}

/* The edge (source, target), whose key hashes to h, created if new. */
static struct kith_edge *touch_hashed(struct kith_graph *g, uint64_t h, uint32_t source,
                                      uint32_t target)
{
	size_t i = probe(g, h, source, target);
	if (g->slots[i].edge)
		return &g->edges[g->slots[i].edge - 1];
	g->slots[i] = slot_of(h, g->count);
	struct kith_edge *e = &g->edges[g->count++];
	*e = (struct kith_edge){source, target, {0, 0, 0, 0}};
	return e;
}

struct kith_edge *kith_graph_touch(struct kith_graph *g, uint32_t source, uint32_t target)
{
	return touch_hashed(g, kith_graph_hash(source, target), source, target);
}

static void count_hashed(struct kith_graph *g, uint64_t h, uint32_t source, uint32_t target,
                         uint32_t kind, bool mention)
{
	struct kith_edge *e = touch_hashed(g, h, source, target);
	kith_inc32(&e->counts[kind]);
	if (mention)
		kith_inc32(&e->counts[KITH_INTERACTION_MENTION]);
}

void kith_graph_count(struct kith_graph *g, uint32_t source, uint32_t target, uint32_t kind,
                      bool mention)
{
	count_hashed(g, kith_graph_hash(source, target), source, target, kind, mention);
}

/* The flush loads in two stages ahead of counting: the home slot of the
 * interaction SLOT_AHEAD places on, then the edge that slot names for the
 * one EDGE_AHEAD places on (by then its slot has arrived). Each key is
 * hashed once; nothing grows the graph during a flush. */
#define SLOT_AHEAD 32 /* a power of two: the hashes wait in a ring */
#define EDGE_AHEAD 16

static uint64_t queued_hash(const struct kith_graph *g, const struct kith_graph_queued *item)
{
	uint64_t h = kith_graph_hash(item->source, item->target);
	__builtin_prefetch(&g->slots[kith_graph_home(g->cap, h)]);
	return h;
}

static void prefetch_edge(const struct kith_graph *g, uint64_t h)
{
	/* Without a branch (which the flush mispredicts often): an empty
	 * slot or another key's loads some edge for nothing. */
	uint32_t edge = g->slots[kith_graph_home(g->cap, h)].edge;
	__builtin_prefetch(&g->edges[edge - (edge != 0)]);
}

void kith_graph_flush(struct kith_graph *g, struct kith_graph_queue *q)
{
	const struct kith_graph_queued *item = q->item;
	uint32_t n = q->count;
	uint64_t hash[SLOT_AHEAD];
	for (uint32_t i = 0; i < n && i < SLOT_AHEAD; i++)
		hash[i] = queued_hash(g, &item[i]);
	for (uint32_t i = 0; i < n; i++) {
		uint64_t h = hash[i % SLOT_AHEAD];
		if (i + SLOT_AHEAD < n)
			hash[i % SLOT_AHEAD] = queued_hash(g, &item[i + SLOT_AHEAD]);
		if (i + EDGE_AHEAD < n)
			prefetch_edge(g, hash[(i + EDGE_AHEAD) % SLOT_AHEAD]);
		count_hashed(g, h, item[i].source, item[i].target, item[i].kind, item[i].mention != 0);
	}
	q->count = 0;
}

const struct kith_edge *kith_graph_find(const struct kith_graph *g, uint32_t source, uint32_t target)
{
	if (!g->cap)
		return NULL;
	size_t i = probe(g, kith_graph_hash(source, target), source, target);
	return g->slots[i].edge ? &g->edges[g->slots[i].edge - 1] : NULL;
}
