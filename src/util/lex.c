/*
 * The lexer of kith's text values (see lex.h).
 *
 * SPDX-License-Identifier: MIT
 */
#include "util/lex.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

int kith_lex_casecmp(const char *a, const char *b)
{
	for (;; a++, b++) {
		int x = kith_lex_lower((unsigned char)*a), y = kith_lex_lower((unsigned char)*b);
		if (x != y || x == 0)
			return x - y;
	}
}

void kith_lex_lower_copy(char *dst, const char *src, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dst[i] = (char)kith_lex_lower((unsigned char)src[i]);
}

bool kith_lex_word(const char *s, size_t n, const char *word)
{
	return kith_lex_equal_nocase(s, n, word, strlen(word));
}

bool kith_lex_bool(const char *s, size_t n, bool *out)
{
	static const char *const yes[] = {"yes", "true", "on", "1"};
	static const char *const no[] = {"no", "false", "off", "0"};
	kith_lex_trim(&s, &n);
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		if (kith_lex_word(s, n, yes[i])) {
			*out = true;
			return true;
		}
		if (kith_lex_word(s, n, no[i])) {
			*out = false;
			return true;
		}
	}
	return false;
}

static const struct {
	const char *name;
	int64_t ms;
} duration_units[] = {
        {"ms", 1},       {"s", 1000},       {"sec", 1000},      {"min", 60000},
        {"m", 60000},    {"h", 3600000},    {"hour", 3600000},  {"hours", 3600000},
        {"d", 86400000}, {"day", 86400000}, {"days", 86400000}, {"w", 604800000},
};

kith_status kith_lex_duration(const char *s, size_t n, int64_t *ms)
{
	kith_lex_trim(&s, &n);
	size_t k = 0, digits = 0, dot = SIZE_MAX;
	for (; k < n; k++) {
		if (s[k] >= '0' && s[k] <= '9')
			digits++;
		else if (s[k] == '.' && dot == SIZE_MAX)
			dot = k;
		else
			break;
	}
	if (digits == 0)
		return KITH_EINVAL;
	const char *unit = s + k;
	size_t unit_n = n - k;
	kith_lex_trim(&unit, &unit_n);
	int64_t scale = 0;
	for (size_t i = 0; i < sizeof duration_units / sizeof duration_units[0]; i++)
		if (kith_lex_word(unit, unit_n, duration_units[i].name))
			scale = duration_units[i].ms;
	if (!scale)
		return KITH_EINVAL;
	/* The whole part exactly, in integers, so that no locale or rounding
	 * touches it; the fraction (up to 18 digits, the rest dropped) in a
	 * double, rounded to the nearest ms. */
	size_t whole_end = dot == SIZE_MAX ? k : dot;
	uint64_t whole = 0;
	uint64_t limit = (uint64_t)(INT64_MAX / scale);
	bool too_long = false;
	for (size_t i = 0; i < whole_end && !too_long; i++) {
		uint64_t digit = (uint64_t)(s[i] - '0');
		too_long = whole > (limit - digit) / 10;
		whole = whole * 10 + digit;
	}
	double frac = 0, unit_of = 1;
	if (dot != SIZE_MAX)
		for (size_t i = dot + 1; i < k && i <= dot + 18; i++) {
			unit_of /= 10;
			frac += (double)(s[i] - '0') * unit_of;
		}
	int64_t part = (int64_t)(frac * (double)scale + 0.5);
	if (too_long || (int64_t)whole * scale > INT64_MAX - part)
		return KITH_ERANGE;
	*ms = (int64_t)whole * scale + part;
	return KITH_OK;
}
