/*
 * The texts kept for the digest (kith_community_keep_digest_texts): the
 * first bytes of the text of each message of the latest local day, for
 * the community that asked for them.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_MODEL_KEPT_TEXTS_H
#define KITH_MODEL_KEPT_TEXTS_H

#include "util/memory.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Why every message of the day and not just the digest's entries: the
 * digest is worked out from the ledger when asked for, and a message's
 * value grows with the replies and reactions it draws, so any message of
 * the day can enter the digest after it was ingested, when its text is
 * gone. What is held is bounded all the same: the day's messages the
 * ledger still holds (older records are dropped as room is needed), at
 * most max bytes each. A community that never asks holds none of this
 * (its pointer stays NULL).
 */
struct kith_kept_text {
	uint64_t seq; /* the message's ledger sequence */
	uint32_t off; /* where its bytes start in bytes[], minus base */
	uint32_t len;
};

struct kith_kept_texts {
	uint32_t max;             /* bytes kept of each text, 1 .. KITH_KEPT_TEXT_MAX */
	bool any_day;             /* day holds the local day of the records */
	int64_t day;              /* the local day of the records */
	struct kith_kept_text *rec; /* by sequence, ascending */
	size_t count, cap;
	char *bytes;              /* the records' bytes, in the same order */
	size_t used, bytes_cap;
};

/* A store that keeps max bytes a text and holds nothing yet; NULL when
 * out of memory. */
struct kith_kept_texts *kith_kept_texts_new(const struct kith_mem *mem, uint32_t max);
void kith_kept_texts_free(const struct kith_mem *mem, struct kith_kept_texts *k);
/* Forget every text (a snapshot was loaded: its sequences are new). */
void kith_kept_texts_clear(struct kith_kept_texts *k);
/* Room to add a text of n bytes on local day `day` (a new day drops the
 * others), after dropping the records of sequences below first_seq (the
 * ledger no longer holds them). False when out of memory; what the store
 * shows is unchanged either way. */
bool kith_kept_texts_reserve(const struct kith_mem *mem, struct kith_kept_texts *k, int64_t day,
                             size_t n, uint64_t first_seq);
/* Add the text of message seq (newer than any held) after a reserve with
 * the same day and n; never fails. */
void kith_kept_texts_add(struct kith_kept_texts *k, int64_t day, uint64_t seq, const char *text,
                         size_t n);
/* The kept text of message seq, or false when none was kept. */
bool kith_kept_texts_find(const struct kith_kept_texts *k, uint64_t seq, const char **text,
                          size_t *n);
/* Wipe the text of message seq, if kept (the message was deleted). */
void kith_kept_texts_erase(struct kith_kept_texts *k, uint64_t seq);

#endif /* KITH_MODEL_KEPT_TEXTS_H */
