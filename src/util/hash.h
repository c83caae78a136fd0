/*
 * Hashes of integers and byte strings.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_UTIL_HASH_H
#define KITH_UTIL_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline uint64_t kith_hash_u64(uint64_t x)
{
	x ^= x >> 33;
	x *= UINT64_C(0xff51afd7ed558ccd);
	x ^= x >> 33;
	x *= UINT64_C(0xc4ceb9fe1a85ec53);
	x ^= x >> 33;
	return x;
}

/* A 64-bit hash of a byte string (not cryptographic): a multiply-rotate
 * round per 8-byte word, finished with a strong mixer. Text hashes travel
 * in snapshots, so the function never changes. Ids are short: up to 16
 * bytes are hashed inline with overlapping loads and no loop. */
#define KITH_HASH_SEED UINT64_C(0x9e3779b97f4a7c15)
#define KITH_HASH_LEN UINT64_C(0x100000001b3)
#define KITH_HASH_WORD UINT64_C(0xbf58476d1ce4e5b9)
#define KITH_HASH_ROUND UINT64_C(0x94d049bb133111eb)

/* Words are read little-endian on every host, so that a hash saved in a
 * snapshot on one host is the one another computes. */
static inline uint64_t kith_load64(const unsigned char *p)
{
	uint64_t w;
	memcpy(&w, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap64(w);
#endif
	return w;
}

static inline uint32_t kith_load32(const unsigned char *p)
{
	uint32_t w;
	memcpy(&w, p, 4);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap32(w);
#endif
	return w;
}

static inline uint64_t kith_hash_round(uint64_t h, uint64_t w)
{
	h = (h ^ (w * KITH_HASH_WORD)) * KITH_HASH_ROUND;
	return (h << 29) | (h >> 35);
}

/* kith_hash_bytes of more than 16 bytes (memory.c): a round per word. */
uint64_t kith_hash_long(const void *data, size_t n);

/* The words both hashes read from up to 16 bytes, with overlapping loads:
 * from `wide` bytes on (8 or 9), the first and last 8; from 4, the first
 * and last 4; below that three bytes in a (and b = 0). */
static inline void kith_hash_words(const unsigned char *p, size_t n, size_t wide, uint64_t *a,
                                   uint64_t *b)
{
	*a = *b = 0;
	if (n >= wide) {
		*a = kith_load64(p);
		*b = kith_load64(p + n - 8);
	} else if (n >= 4) {
		*a = kith_load32(p);
		*b = kith_load32(p + n - 4);
	} else if (n > 0) {
		*a = (uint64_t)p[0] << 16 | (uint64_t)p[n / 2] << 8 | p[n - 1];
	}
}

static inline uint64_t kith_hash_bytes(const void *data, size_t n)
{
	if (n > 16)
		return kith_hash_long(data, n);
	uint64_t h = KITH_HASH_SEED ^ (n * KITH_HASH_LEN), a, b;
	kith_hash_words(data, n, 9, &a, &b);
	if (n > 8)
		return kith_hash_u64(kith_hash_round(h, a) ^ b * KITH_HASH_WORD);
	uint64_t w = n >= 4 ? a << 32 | b : a;
	return kith_hash_u64(h ^ (w * KITH_HASH_WORD));
}

/* A hash for ids held only in memory, by the member table and the
 * ledger's chains: cheaper than kith_hash_bytes (one wide multiply folds
 * two words) and free to change between versions, since nothing saved
 * depends on it. Never use it for a hash that travels in a snapshot. */
#if defined(__SIZEOF_INT128__) && defined(__GNUC__)
__extension__ typedef unsigned __int128 kith_u128;
#endif

static inline uint64_t kith_hash_fold(uint64_t a, uint64_t b)
{
#if defined(__SIZEOF_INT128__) && defined(__GNUC__)
	kith_u128 r = (kith_u128)a * b;
	return (uint64_t)(r >> 64) ^ (uint64_t)r;
#else
	return kith_hash_u64(kith_hash_round(a, b));
#endif
}

static inline uint64_t kith_hash_id(const void *data, size_t n)
{
	if (n > 16)
		return kith_hash_long(data, n);
	uint64_t a, b;
	kith_hash_words(data, n, 8, &a, &b);
	return kith_hash_fold(a ^ KITH_HASH_SEED, b ^ KITH_HASH_ROUND ^ (n * KITH_HASH_LEN));
}

#endif /* KITH_UTIL_HASH_H */
