/*
 * The keyword matcher of the rules engine (see keywords.h).
 *
 * SPDX-License-Identifier: MIT
 *
 * Why a full DFA: a bot's keyword list is scanned on every message, and a
 * DFA makes the scan one dependent load per byte with no failure-link
 * loop, so it stays flat from 10 to 10,000 keywords. The table is kept
 * small by byte classes: patterns are mostly ASCII letters, so a state row
 * has a few dozen entries rather than 256. Each entry holds the next
 * state's row offset with the top bit set when that state ends a pattern,
 * which keeps the common "no match here" path to a load and a test.
 */
#include "engines/rules/keywords.h"

#include "util/lex.h"
#include "util/memory.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define KW_OUT UINT32_C(0x80000000)

static void hits_or(struct kith_kw_hits *a, const struct kith_kw_hits *b)
{
	for (size_t i = 0; i < KITH_KW_TAGS / 64; i++)
		a->w[i] |= b->w[i];
}

static bool hits_any(const struct kith_kw_hits *a)
{
	uint64_t x = 0;
	for (size_t i = 0; i < KITH_KW_TAGS / 64; i++)
		x |= a->w[i];
	return x != 0;
}

void kith_kw_fini(const struct kith_mem *mem, struct kith_kw *kw)
{
	if (!kw)
		return;
	if (kw->trans)
		kith_mem_free(mem, kw->trans, kw->trans_n * sizeof *kw->trans);
	if (kw->out)
		kith_mem_free(mem, kw->out, kw->out_n * sizeof *kw->out);
	memset(kw, 0, sizeof *kw);
}

kith_status kith_kw_build(const struct kith_mem *mem, const struct kith_kw_pattern *p, size_t count,
                          struct kith_kw *out)
{
	struct kith_kw kw;
	memset(&kw, 0, sizeof kw);
	memset(out, 0, sizeof *out);

	/* Classes: one per folded byte that occurs in a pattern. */
	bool used[256] = {false};
	size_t total = 0;
	for (size_t i = 0; i < count; i++) {
		if (p[i].n > KITH_KW_PATTERN_MAX || p[i].tag >= KITH_KW_TAGS)
			return KITH_ELIMIT;
		total += p[i].n;
		if (p[i].n > kw.longest)
			kw.longest = p[i].n;
		if (total > KITH_KW_TOTAL_MAX)
			return KITH_ELIMIT;
		for (size_t k = 0; k < p[i].n; k++)
			used[kith_lex_lower((uint8_t)p[i].s[k])] = true;
	}
	uint32_t nclass = 1;
	uint8_t folded_class[256] = {0};
	for (int b = 0; b < 256; b++)
		if (used[b])
			folded_class[b] = (uint8_t)nclass++;
	/* Class numbers are bytes: a list using all 256 byte values would
	 * need a 257th class. Such a list is binary noise, not keywords. */
	if (nclass > 256)
		return KITH_ELIMIT;
	for (int b = 0; b < 256; b++)
		kw.cls[b] = folded_class[kith_lex_lower((uint8_t)b)];
	kw.nclass = nclass;

	size_t max_states = total + 1;
	if (max_states * nclass >= KW_OUT)
		return KITH_ELIMIT;
	kw.trans_n = max_states * nclass;
	kw.out_n = max_states;
	kw.trans = kith_mem_calloc(mem, max_states * nclass, sizeof *kw.trans);
	kw.out = kith_mem_calloc(mem, max_states, sizeof *kw.out);
	uint32_t *fail = kith_mem_calloc(mem, max_states, sizeof *fail);
	uint32_t *queue = kith_mem_calloc(mem, max_states, sizeof *queue);
	if (!kw.trans || !kw.out || !fail || !queue) {
		if (fail)
			kith_mem_free(mem, fail, max_states * sizeof *fail);
		if (queue)
			kith_mem_free(mem, queue, max_states * sizeof *queue);
		kith_kw_fini(mem, &kw);
		return KITH_ENOMEM;
	}

	/* The trie: an entry holds the child's state number, 0 for none (no
	 * edge of a trie leads back to the root). */
	uint32_t used_states = 1;
	for (size_t i = 0; i < count; i++) {
		if (p[i].n == 0)
			continue;
		uint32_t s = 0;
		for (size_t k = 0; k < p[i].n; k++) {
			uint32_t *e = &kw.trans[(size_t)s * nclass + kw.cls[(uint8_t)p[i].s[k]]];
			if (*e == 0)
				*e = used_states++;
			s = *e;
		}
		kw.out[s].w[p[i].tag >> 6] |= UINT64_C(1) << (p[i].tag & 63);
		kw.all.w[p[i].tag >> 6] |= UINT64_C(1) << (p[i].tag & 63);
	}

	/* Breadth first: a state's failure target is shallower, so its row is
	 * complete (a DFA row) and its outputs final when the state is read. */
	size_t head = 0, tail = 0;
	for (uint32_t c = 0; c < nclass; c++) {
		uint32_t child = kw.trans[c];
		if (child) {
			fail[child] = 0;
			queue[tail++] = child;
		}
	}
	while (head < tail) {
		uint32_t s = queue[head++];
		hits_or(&kw.out[s], &kw.out[fail[s]]);
		uint32_t *row = &kw.trans[(size_t)s * nclass];
		const uint32_t *frow = &kw.trans[(size_t)fail[s] * nclass];
		for (uint32_t c = 0; c < nclass; c++) {
			if (row[c]) {
				fail[row[c]] = frow[c];
				queue[tail++] = row[c];
			} else {
				row[c] = frow[c];
			}
		}
	}
	kith_mem_free(mem, fail, max_states * sizeof *fail);
	kith_mem_free(mem, queue, max_states * sizeof *queue);

	/* State numbers to row offsets, flagged when the state has output. */
	for (size_t i = 0; i < (size_t)used_states * nclass; i++) {
		uint32_t t = kw.trans[i];
		kw.trans[i] = t * nclass | (hits_any(&kw.out[t]) ? KW_OUT : 0);
	}
	/* Give back the rows that patterns sharing prefixes did not need; a
	 * failed shrink just keeps the larger block. */
	kw.nstates = used_states;
	kw.trans_n = max_states * nclass;
	kw.out_n = max_states;
	if (used_states < max_states) {
		size_t tn = (size_t)used_states * nclass;
		uint32_t *t = kith_mem_realloc(mem, kw.trans, kw.trans_n * sizeof *kw.trans, tn * sizeof *kw.trans);
		if (t) {
			kw.trans = t;
			kw.trans_n = tn;
		}
		struct kith_kw_hits *o = kith_mem_realloc(mem, kw.out, kw.out_n * sizeof *kw.out,
		                                          (size_t)used_states * sizeof *kw.out);
		if (o) {
			kw.out = o;
			kw.out_n = used_states;
		}
	}
	*out = kw;
	return KITH_OK;
}

/* Record the tags of a state with outputs; true when every tag of the
 * matcher is found (nothing more to learn from the text). */
static bool found(const struct kith_kw *kw, uint32_t row, struct kith_kw_hits *hits)
{
	hits_or(hits, &kw->out[row / kw->nclass]);
	bool done = true;
	for (size_t k = 0; k < KITH_KW_TAGS / 64; k++)
		done &= (hits->w[k] & kw->all.w[k]) == kw->all.w[k];
	return done;
}

static void scan_one(const struct kith_kw *kw, const uint8_t *s, size_t n, struct kith_kw_hits *hits)
{
	const uint32_t *trans = kw->trans;
	const uint8_t *cls = kw->cls;
	uint32_t row = 0;
	for (size_t i = 0; i < n; i++) {
		row = trans[row + cls[s[i]]];
		if (row & KW_OUT) {
			row &= ~KW_OUT;
			if (found(kw, row, hits))
				return;
		}
	}
}

void kith_kw_scan(const struct kith_kw *kw, const void *text, size_t n, struct kith_kw_hits *hits)
{
	if (!kw->trans || n == 0)
		return;
	const uint8_t *s = text;
	/* Two lanes: A = [0, split) and B = [split - overlap, n), of equal
	 * length or B one longer. An occurrence ending before split lies in
	 * A; one ending at or after split starts at or after split - overlap,
	 * so B sees it whole. */
	size_t overlap = kw->longest ? kw->longest - 1 : 0;
	if (n < 4 * (overlap + 1) + 32) {
		scan_one(kw, s, n, hits);
		return;
	}
	size_t split = (n + overlap) / 2;
	const uint8_t *b = s + split - overlap;
	const uint32_t *trans = kw->trans;
	const uint8_t *cls = kw->cls;
	uint32_t ra = 0, rb = 0;
	for (size_t i = 0; i < split; i++) {
		ra = trans[ra + cls[s[i]]];
		rb = trans[rb + cls[b[i]]];
		if ((ra | rb) & KW_OUT) {
			if ((ra & KW_OUT) && found(kw, ra & ~KW_OUT, hits))
				return;
			if ((rb & KW_OUT) && found(kw, rb & ~KW_OUT, hits))
				return;
			ra &= ~KW_OUT;
			rb &= ~KW_OUT;
		}
	}
	if (split - overlap + split < n) { /* B's last byte */
		rb = trans[rb + cls[b[split]]];
		if (rb & KW_OUT)
			found(kw, rb & ~KW_OUT, hits);
	}
}

static bool word_byte(uint8_t b)
{
	return b >= 0x80 || b == '_' || (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') ||
	       (b >= 'A' && b <= 'Z');
}

bool kith_kw_find_edged(const void *text, size_t n, const char *pat, size_t pn, unsigned edges)
{
	const uint8_t *s = text;
	const uint8_t *p = (const uint8_t *)pat;
	if (pn == 0 || pn > n)
		return false;
	bool need_start = (edges & 1) && word_byte(p[0]);
	bool need_end = (edges & 2) && word_byte(p[pn - 1]);
	uint8_t first = kith_lex_lower(p[0]);
	for (size_t i = 0; i + pn <= n; i++) {
		if (kith_lex_lower(s[i]) != first)
			continue;
		size_t k = 1;
		while (k < pn && kith_lex_lower(s[i + k]) == kith_lex_lower(p[k]))
			k++;
		if (k < pn)
			continue;
		if (need_start && i > 0 && word_byte(s[i - 1]))
			continue;
		if (need_end && i + pn < n && word_byte(s[i + pn]))
			continue;
		return true;
	}
	return false;
}

/* The length of a Unicode space at s[0..n) (NBSP, U+2000 .. U+200B,
 * U+202F, U+3000), or 0. */
static size_t unicode_space(const uint8_t *s, size_t n)
{
	if (n >= 2 && s[0] == 0xC2 && s[1] == 0xA0)
		return 2;
	if (n >= 3 && s[0] == 0xE2 && s[1] == 0x80 && (s[2] <= 0x8B || s[2] == 0xAF))
		return 3;
	if (n >= 3 && s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80)
		return 3;
	return 0;
}

uint32_t kith_kw_mentions(const void *text, size_t n, uint32_t cap)
{
	const uint8_t *s = text;
	struct {
		const uint8_t *p;
		size_t n;
	} seen[KITH_MENTIONS_MAX];
	uint32_t count = 0;
	if (cap > KITH_MENTIONS_MAX)
		cap = KITH_MENTIONS_MAX;
	for (size_t i = 0; i < n && count < cap; i++) {
		if (s[i] != '@')
			continue;
		size_t a = i + 1, b;
		if (i > 0 && s[i - 1] == '<') {
			if (a < n && s[a] == '!')
				a++;
			for (b = a; b < n && s[b] >= '0' && s[b] <= '9'; b++)
				;
			if (b == a || b >= n || s[b] != '>')
				continue;
		} else {
			bool spaced = (i >= 2 && unicode_space(s + i - 2, 2) == 2) ||
			              (i >= 3 && unicode_space(s + i - 3, 3) == 3);
			if (i > 0 && word_byte(s[i - 1]) && !spaced)
				continue;
			for (b = a; b < n && word_byte(s[b]) && !unicode_space(s + b, n - b); b++)
				;
			if (b == a)
				continue;
		}
		bool again = false;
		for (uint32_t k = 0; k < count && !again; k++)
			again = kith_lex_equal_nocase((const char *)seen[k].p, seen[k].n,
			                              (const char *)s + a, b - a);
		if (!again) {
			seen[count].p = s + a;
			seen[count++].n = b - a;
		}
		i = b - 1;
	}
	return count;
}
