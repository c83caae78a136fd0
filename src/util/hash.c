/*
 * Hashes of byte strings longer than the inline cases.
 *
 * SPDX-License-Identifier: MIT
 */
#include "util/hash.h"

#include <stddef.h>
#include <stdint.h>

/* Ids longer than 16 bytes, and texts: the multiply-rotate loop of
 * kith_hash_bytes (util/hash.h) over every 8-byte word. */
uint64_t kith_hash_long(const void *data, size_t n)
{
	const unsigned char *p = data;
	uint64_t h = KITH_HASH_SEED ^ (n * KITH_HASH_LEN);
	while (n > 8) {
		h = kith_hash_round(h, kith_load64(p));
		p += 8;
		n -= 8;
	}
	/* The last 8 bytes, overlapping what came before. */
	h ^= kith_load64(p + n - 8) * KITH_HASH_WORD;
	return kith_hash_u64(h);
}
