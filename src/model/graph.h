/*
 * The interaction graph: who replied to, mentioned, reacted to or invited
 * whom, and how often.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_MODEL_GRAPH_H
#define KITH_MODEL_GRAPH_H

#include "util/hash.h"
#include "util/memory.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kith_edge {
	uint32_t source;
	uint32_t target;
	uint32_t counts[4]; /* by kith_interaction */
};

/* A slot of the graph's index: which edge, and the high half of its key's
 * hash, so that a probe passing other keys' slots reads no edge. */
struct kith_graph_slot {
	uint32_t edge; /* 1 + the edge's position, or 0 for an empty slot */
	uint32_t tag;
};

/* Edges are kept in the order first seen, in one array, and found through
 * an open-addressing index of 8-byte slots (at most half full). Counting
 * an interaction reads a slot and an edge; growing rehashes only the
 * index, reading the edges in order, so growth streams through memory
 * instead of chasing every edge (the table outgrows the caches: 170,000
 * edges in ingest-500). */
struct kith_graph {
	struct kith_edge *edges;
	size_t edge_cap;
	size_t count;
	struct kith_graph_slot *slots;
	size_t cap; /* power of two, or 0 */
};

void kith_graph_fini(const struct kith_mem *mem, struct kith_graph *g);
/* The hash of the key (source, target): its low bits pick the home slot
 * in an index of cap slots, its high half is the slot's tag. */
static inline uint64_t kith_graph_hash(uint32_t source, uint32_t target)
{
	return kith_hash_u64((uint64_t)source << 32 | target);
}
static inline size_t kith_graph_home(size_t cap, uint64_t h)
{
	return (size_t)h & (cap - 1);
}
static inline uint32_t kith_graph_tag(uint64_t h)
{
	return (uint32_t)(h >> 32);
}
/* A hint: start loading the index slot of (source, target), which ingest
 * will read a few hundred instructions later. */
static inline void kith_graph_prefetch(const struct kith_graph *g, uint32_t source, uint32_t target)
{
	if (g->cap)
		__builtin_prefetch(&g->slots[kith_graph_home(g->cap, kith_graph_hash(source, target))]);
}
/* Room for `more` edges besides those the graph holds (more >= 1): the
 * common case inline, growth in graph.c. */
bool kith_graph_grow(const struct kith_mem *mem, struct kith_graph *g, size_t more);
static inline bool kith_graph_reserve(const struct kith_mem *mem, struct kith_graph *g, size_t more)
{
	if (g->count + more <= g->edge_cap && g->count + more <= g->cap / 2)
		return true;
	return kith_graph_grow(mem, g, more);
}
/* The edge (source, target), created with zero counts if new (after a
 * reserve). Callers increment its counts. */
struct kith_edge *kith_graph_touch(struct kith_graph *g, uint32_t source, uint32_t target);
const struct kith_edge *kith_graph_find(const struct kith_graph *g, uint32_t source, uint32_t target);
/* The i-th edge in the order first seen (i < count). */
static inline const struct kith_edge *kith_graph_edge(const struct kith_graph *g, size_t i)
{
	return &g->edges[i];
}

/*
 * While a batch is ingested (kith_community_ingest_array, or a buffer
 * through kith_community_ingest_trace), the
 * interactions its events count wait in a queue and reach the graph in
 * bulk, in the order they were counted. The graph outgrows the caches,
 * and a count that waits for its index slot and edge to come from memory
 * costs more than all the rest of an event. Queued, they have long
 * arrived when it is counted (ingest prefetches the slot as it reads the
 * event, and the flush prefetches slots and edges ahead), and the loads
 * of many overlap.
 * Nothing reads the graph during a batch, and the batch flushes the queue
 * before it returns, so no caller ever sees a difference. A small graph
 * stays in the caches and gains nothing from waiting: the queue (24 KiB)
 * is allocated when a batch first counts an interaction in a graph of
 * KITH_GRAPH_QUEUE_FROM index slots or more; when that allocation fails,
 * interactions are counted at once, as outside batches.
 */
#define KITH_GRAPH_QUEUE_MAX 2048
#define KITH_GRAPH_QUEUE_FROM 16384

struct kith_graph_queue {
	bool batch; /* a batch is being ingested */
	bool on;    /* and its interactions are queued rather than counted */
	uint32_t count;
	struct kith_graph_queued {
		uint32_t source, target;
		uint16_t kind;    /* a kith_interaction */
		uint16_t mention; /* also count a mention */
	} *item; /* KITH_GRAPH_QUEUE_MAX of them, or NULL until a large graph needs them */
};

/* A batch of events begins or ends (ingest.c): between the two, counted
 * interactions wait in the queue; the end counts them. Nothing in between
 * may read the graph. */
/* Count one interaction now (kind, and a mention too when mention is set),
 * in an edge the caller reserved room for. */
void kith_graph_count(struct kith_graph *g, uint32_t source, uint32_t target, uint32_t kind,
                      bool mention);
/* Count every queued interaction, oldest first, and empty the queue. */
void kith_graph_flush(struct kith_graph *g, struct kith_graph_queue *q);

#endif /* KITH_MODEL_GRAPH_H */
