/*
 * A multi-pattern matcher: Aho-Corasick over ASCII-case-folded bytes.
 *
 * SPDX-License-Identifier: MIT
 *
 * Each pattern carries a tag (0 .. KITH_KW_TAGS-1); a scan reports the set
 * of tags whose patterns occur anywhere in the text. The automaton is a
 * full DFA over byte classes (only the bytes that occur in some pattern
 * get a class of their own, every other byte shares class 0), so a scan
 * costs one table load per byte whatever the number of patterns. Text is
 * read as bytes: invalid UTF-8 and NUL bytes are matched like any other.
 * A text several patterns long is scanned as two halves at once, the
 * second starting a longest pattern early so that no occurrence across
 * the middle is missed: two independent chains of loads keep the CPU
 * busy where one would wait on each load.
 */
#ifndef KITH_KEYWORDS_PRIVATE_H
#define KITH_KEYWORDS_PRIVATE_H

#include "util/memory.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KITH_KW_TAGS 128
/* Bounds of one matcher, so that the table stays addressable by 31 bits. */
#define KITH_KW_PATTERN_MAX 1024       /* bytes in one pattern */
#define KITH_KW_TOTAL_MAX (4u << 20)   /* bytes in all patterns together */

struct kith_kw_pattern {
	const char *s;
	size_t n;
	uint32_t tag; /* < KITH_KW_TAGS */
};

/* The tags found by a scan: bit t % 64 of word t / 64. */
struct kith_kw_hits {
	uint64_t w[KITH_KW_TAGS / 64];
};

struct kith_kw {
	uint8_t cls[256];     /* byte -> class; upper-case ASCII folds to lower */
	uint32_t nclass;      /* classes, including class 0 */
	uint32_t nstates;
	uint32_t *trans;      /* [state * nclass + class] = next row | KW_OUT */
	struct kith_kw_hits *out; /* per state: tags ending here (suffixes included) */
	struct kith_kw_hits all;  /* every tag of the matcher */
	size_t longest;       /* bytes in the longest pattern */
	size_t trans_n;       /* entries allocated in trans */
	size_t out_n;         /* entries allocated in out */
};

/* Build a matcher from patterns (empty ones are ignored). Returns
 * KITH_OK, KITH_ENOMEM or KITH_ELIMIT (past the bounds above). */
kith_status kith_kw_build(const struct kith_mem *mem, const struct kith_kw_pattern *p, size_t count,
                          struct kith_kw *out);
void kith_kw_fini(const struct kith_mem *mem, struct kith_kw *kw);
/* OR into hits the tags of the patterns occurring in text[0..n). */
void kith_kw_scan(const struct kith_kw *kw, const void *text, size_t n, struct kith_kw_hits *hits);

/* Whether pat[0..pn) occurs in text[0..n) (ASCII case-insensitive) with
 * a word edge before it (edges & 1) and after it (edges & 2), an edge
 * being the text's end or a byte that is not a letter, digit, '_' or
 * part of a UTF-8 sequence. An edge is only asked for where the pattern
 * itself has a word byte, so "!spam" needs none before its '!'. */
bool kith_kw_find_edged(const void *text, size_t n, const char *pat, size_t pn, unsigned edges);

/* Most distinct mentions a rule can ask for. */
#define KITH_MENTIONS_MAX 100

/* The distinct members text[0..n) mentions, counted up to cap (at most
 * KITH_MENTIONS_MAX): Discord's user mentions "<@ID>" and "<@!ID>" (ID
 * digits), and "@name" at the start or after a Unicode space or a byte
 * that is not a word byte (so an e-mail address is none), the name being
 * the word bytes up
 * to a Unicode space (chats end a mention with U+2005 and the like) or a
 * byte that is not a word byte. Names compare ASCII case-insensitively:
 * "@Ann" and "@ann" are one mention, and so are "<@42>" and "@42". */
uint32_t kith_kw_mentions(const void *text, size_t n, uint32_t cap);

static inline bool kith_kw_hit(const struct kith_kw_hits *h, uint32_t tag)
{
	return (h->w[tag >> 6] >> (tag & 63)) & 1;
}

#endif /* KITH_KEYWORDS_PRIVATE_H */
