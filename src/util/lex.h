/*
 * The one lexer of kith's text values: blanks, ASCII case, comma-separated
 * lists, booleans and durations, as settings, rules, the charter and the
 * ingest of tags read them. One syntax for each, so that a value means the
 * same wherever it is written.
 *
 * The small pieces are inline: ingest folds case and splits tags on every
 * message, and the keyword matcher folds every byte it builds a table for.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_UTIL_LEX_H
#define KITH_UTIL_LEX_H

#include "kith.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- ASCII case -------------------------------------------------------- */

/* b in lower case if it is an ASCII capital; any other byte as it is (no
 * locale: names and keywords fold the same on every host). */
static inline unsigned char kith_lex_lower(unsigned char b)
{
	return b >= 'A' && b <= 'Z' ? (unsigned char)(b - 'A' + 'a') : b;
}

/* Whether a[0..an) and b[0..bn) are equal but for ASCII case. */
static inline bool kith_lex_equal_nocase(const char *a, size_t an, const char *b, size_t bn)
{
	if (an != bn)
		return false;
	for (size_t i = 0; i < an; i++)
		if (kith_lex_lower((unsigned char)a[i]) != kith_lex_lower((unsigned char)b[i]))
			return false;
	return true;
}

/* Whether text[0..n) holds word[0..wn) but for ASCII case; word must be in
 * lower case already (topics are stored so). An empty word is never held. */
static inline bool kith_lex_contains_nocase(const char *text, size_t n, const char *word, size_t wn)
{
	if (wn == 0 || wn > n)
		return false;
	unsigned char first = (unsigned char)word[0];
	for (size_t i = 0; i + wn <= n; i++) {
		if (kith_lex_lower((unsigned char)text[i]) != first)
			continue;
		size_t k = 1;
		while (k < wn &&
		       kith_lex_lower((unsigned char)text[i + k]) == (unsigned char)word[k])
			k++;
		if (k == wn)
			return true;
	}
	return false;
}

/* Compare NUL-terminated a and b as strcmp does, after ASCII folding. */
int kith_lex_casecmp(const char *a, const char *b);

/* Copy n bytes of src to dst in ASCII lower case (dst may be src). */
void kith_lex_lower_copy(char *dst, const char *src, size_t n);

/* Whether s[0..n) is word but for ASCII case; word is given in lower case. */
bool kith_lex_word(const char *s, size_t n, const char *word);

/* ---- blanks and lists -------------------------------------------------- */

/* Blanks are spaces and tabs, nothing else. */
static inline bool kith_lex_blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

/* Narrow [*s, *s + *n) to leave out leading and trailing blanks. */
static inline void kith_lex_trim(const char **s, size_t *n)
{
	while (*n && kith_lex_blank(**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n && kith_lex_blank((*s)[*n - 1]))
		(*n)--;
}

/* The next item of the comma-separated list s[0..n), trimmed of blanks;
 * *at is where to look (0 for the first item) and moves past the item.
 * False when the list is done. An empty list has no items; otherwise k
 * commas make k + 1 items, empty ones included ("a," is "a" and ""), so
 * that a caller can refuse them. */
static inline bool kith_lex_item(const char *s, size_t n, size_t *at, const char **item,
                                 size_t *len)
{
	if (*at > n || n == 0)
		return false;
	size_t a = *at, j = a;
	while (j < n && s[j] != ',')
		j++;
	*item = s + a;
	*len = j - a;
	kith_lex_trim(item, len);
	*at = j + 1;
	return true;
}

/* ---- values ------------------------------------------------------------ */

/* A boolean: yes, true, on, 1 or no, false, off, 0, in any case, blanks
 * around allowed. False when s is none of them. */
bool kith_lex_bool(const char *s, size_t n, bool *out);

/* A duration: a decimal number (digits, at most one '.', no sign, no
 * exponent) and a unit, blanks around and between allowed, in ms:
 *   ms; s, sec; min, m; h, hour, hours; d, day, days; w
 * in any case ("12 h", "1.5 d", "30 days", "10min"). A fraction is
 * rounded to the nearest ms. Returns KITH_OK, KITH_EINVAL when s is not a
 * duration, or KITH_ERANGE when it is one too long for int64_t ms. */
kith_status kith_lex_duration(const char *s, size_t n, int64_t *ms);

#endif /* KITH_UTIL_LEX_H */
