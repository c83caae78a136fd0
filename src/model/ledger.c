/*
 * The ledger: a bounded FIFO of the most recent messages, so that a reply
 * or a reaction arriving later can find the message it engages with and
 * credit its author, and so that a repeated text can be recognised.
 * Memory is fixed by ledger.capacity; nothing is allocated per message.
 *
 * SPDX-License-Identifier: MIT
 */
#include "model/ledger.h"

#include "util/memory.h"

/* The entries, the id ring and the hash chains are in ledger.h,
 * with the lookups and the push ingest inlines. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Average id bytes budgeted per entry; ids are bounded by KITH_ID_MAX, so
 * the ring is never smaller than a few of the longest ids. */
#define LEDGER_ID_BYTES_PER_ENTRY 48u

static uint32_t ids_capacity(uint32_t cap)
{
	uint32_t want = cap * LEDGER_ID_BYTES_PER_ENTRY, n = 4u * KITH_ID_MAX;
	while (n < want)
		n *= 2; /* a power of two: positions wrap with a mask */
	return n;
}

static uint32_t bucket_count(uint32_t cap)
{
	uint32_t n = 1;
	while (n < 2 * cap)
		n *= 2; /* a power of two, at least twice the entries */
	return n;
}

bool kith_ledger_init(const struct kith_mem *mem, struct kith_ledger *l, uint32_t cap)
{
	struct kith_ledger n = {0};
	n.cap = cap;
	n.ids_cap = ids_capacity(cap);
	n.buckets = bucket_count(cap);
	n.entries = kith_mem_alloc(mem, (size_t)cap * sizeof *n.entries);
	n.ids = kith_mem_alloc(mem, n.ids_cap);
	n.id_chains = kith_mem_calloc(mem, n.buckets, sizeof *n.id_chains);
	n.text_chains = kith_mem_calloc(mem, n.buckets, sizeof *n.text_chains);
	if (!n.entries || !n.ids || !n.id_chains || !n.text_chains) {
		kith_ledger_fini(mem, &n);
		return false;
	}
	*l = n;
	return true;
}

void kith_ledger_fini(const struct kith_mem *mem, struct kith_ledger *l)
{
	kith_mem_free(mem, l->entries, (size_t)l->cap * sizeof *l->entries);
	kith_mem_free(mem, l->ids, l->ids_cap);
	kith_mem_free(mem, l->id_chains, (size_t)l->buckets * sizeof *l->id_chains);
	kith_mem_free(mem, l->text_chains, (size_t)l->buckets * sizeof *l->text_chains);
	memset(l, 0, sizeof *l);
}

struct kith_ledger_entry *kith_ledger_at_seq(const struct kith_ledger *l, uint64_t seq)
{
	if (seq < kith_ledger_first_seq(l) || seq >= l->pushed)
		return NULL;
	return kith_ledger_entry_of(l, seq);
}

bool kith_ledger_resize(const struct kith_mem *mem, struct kith_ledger *l, uint32_t cap)
{
	struct kith_ledger n;
	if (!kith_ledger_init(mem, &n, cap))
		return false;
	uint32_t keep = l->count < cap ? l->count : cap;
	n.pushed = l->pushed - keep;
	for (uint32_t k = l->count - keep; k < l->count; k++) {
		const struct kith_ledger_entry *e = kith_ledger_oldest(l, k);
		struct kith_ledger_entry *copy =
		    kith_ledger_push(&n, kith_ledger_id(l, e), e->id_len, e->text_hash, e->time_ms,
		                     e->author, e->kind, e->value);
		copy->high = e->high;
	}
	kith_ledger_fini(mem, l);
	*l = n;
	return true;
}
