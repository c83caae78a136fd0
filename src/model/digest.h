/*
 * The day's best messages, as the community keeps them.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_MODEL_DIGEST_H
#define KITH_MODEL_DIGEST_H

#include <stdbool.h>
#include <stdint.h>

struct kith_digest_entry {
	uint64_t seq; /* ledger sequence of the message */
	uint32_t author;
	float value;
};

#define KITH_DIGEST_MAX 100

/* The digest (kith.h, kith_community_digest_count) is derived from the
 * ledger: worked out when asked for and kept until the community changes
 * (kith_digest_forget), so ingest does nothing for it. */
struct kith_digest {
	struct kith_digest_entry entry[KITH_DIGEST_MAX]; /* best first */
	uint32_t count;
	int64_t day; /* local day the digest is for */
	bool known;  /* entry, count and day are those of the community as it is */
};


/* Whether digest entry a ranks before b: higher value, then older. */
static inline bool kith_digest_ranks_before(const struct kith_digest_entry *a,
                                            const struct kith_digest_entry *b)
{
	return a->value > b->value || (a->value == b->value && a->seq < b->seq);
}

#endif /* KITH_MODEL_DIGEST_H */
