/*
 * kith-report: text for people: numbers with separators and three significant digits,
 * shares, local days and times, and cells of UTF-8 that keep a terminal
 * table aligned and free of control characters.
 *
 * SPDX-License-Identifier: MIT
 */
#include "report.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const kind_names[KITH_KIND_COUNT] = {
        "text",     "photo", "video",   "voice",    "link",   "article",
        "document", "share", "sticker", "envelope", "system", "other",
};

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* a + b, saturated: times near the ends of int64 must not overflow. */
int64_t add_sat(int64_t a, int64_t b)
{
	if (b > 0 && a > INT64_MAX - b)
		return INT64_MAX;
	if (b < 0 && a < INT64_MIN - b)
		return INT64_MIN;
	return a + b;
}

/* The local day number of a UTC time. */
int64_t local_day(int64_t t, int64_t offset_ms)
{
	return floor_div(add_sat(t, offset_ms), MS_DAY);
}

/* Milliseconds since local midnight. */
int64_t ms_in_day(int64_t t, int64_t offset_ms)
{
	int64_t r = add_sat(t, offset_ms) % MS_DAY;
	return r < 0 ? r + MS_DAY : r;
}

/* Civil date from days since 1970-01-01 (proleptic Gregorian). */
void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = floor_div(z, 146097);
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

const char *const weekdays[7] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};

/* "2026-11-30 23:12" in the community's local time. */
const char *fmt_time(char *buf, size_t size, int64_t ms, int64_t offset_ms)
{
	int64_t day = local_day(ms, offset_ms), in_day = ms_in_day(ms, offset_ms), y;
	unsigned m, d;
	civil_from_days(day, &y, &m, &d);
	snprintf(buf, size, "%04" PRId64 "-%02u-%02u %02u:%02u", y, m, d,
	         (unsigned)(in_day / MS_HOUR), (unsigned)(in_day % MS_HOUR / MS_MINUTE));
	return buf;
}

/* "4,906" */
const char *fmt_count(char *buf, size_t size, uint64_t v)
{
	char tmp[32];
	int n = snprintf(tmp, sizeof tmp, "%" PRIu64, v);
	size_t k = 0;
	for (int i = 0; i < n && k + 2 < size; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			buf[k++] = ',';
		buf[k++] = tmp[i];
	}
	buf[k] = '\0';
	return buf;
}

/* A figure as the library's explanations write it: three significant
 * digits in plain decimals ("0.621", "58.5", "110"), whole numbers with
 * separators from 1,000 on ("1,171"), never an exponent. */
const char *fmt_figure(char *buf, size_t size, double x)
{
	if (!isfinite(x) || x < 0) {
		snprintf(buf, size, "?");
		return buf;
	}
	if (x >= 999.5 && x < 1.8e19)
		return fmt_count(buf, size, (uint64_t)llround(x));
	if (x == 0) {
		snprintf(buf, size, "0");
		return buf;
	}
	int decimals = 2 - (int)floor(log10(x));
	decimals = decimals < 0 ? 0 : decimals > 9 ? 9 : decimals;
	int len = snprintf(buf, size, "%.*f", decimals, x);
	if (decimals > 0 && len > 0 && (size_t)len < size) { /* "41.0" reads "41" */
		while (len > 0 && buf[len - 1] == '0')
			buf[--len] = '\0';
		if (len > 0 && buf[len - 1] == '.')
			buf[--len] = '\0';
	}
	return buf;
}

/* count / days, as fmt_figure writes it. */
const char *fmt_rate(char *buf, size_t size, uint64_t count, int64_t days)
{
	return fmt_figure(buf, size, days > 0 ? (double)count / (double)days : 0.0);
}

/* part of whole as a percentage, as health writes shares: "40.6%",
 * "100%", "4,765%"; "n/a" of nothing. */
const char *fmt_share(char *buf, size_t size, uint64_t part, uint64_t whole)
{
	size_t len;
	if (!whole) {
		snprintf(buf, size, "n/a");
		return buf;
	}
	fmt_figure(buf, size, 100.0 * (double)part / (double)whole);
	len = strlen(buf);
	if (len + 1 < size) {
		buf[len] = '%';
		buf[len + 1] = '\0';
	}
	return buf;
}

/* Decode one UTF-8 sequence; invalid bytes decode as U+FFFD, length 1. */
uint32_t utf8_next(const unsigned char *s, size_t n, size_t *used)
{
	uint32_t cp;
	size_t len;
	if (s[0] < 0x80) {
		*used = 1;
		return s[0];
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		len = 2;
		cp = s[0] & 0x1F;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		len = 3;
		cp = s[0] & 0x0F;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		*used = 1;
		return 0xFFFD;
	}
	if (len > n) {
		*used = 1;
		return 0xFFFD;
	}
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*used = 1;
			return 0xFFFD;
		}
		cp = cp << 6 | (s[i] & 0x3F);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))) {
		*used = 1;
		return 0xFFFD;
	}
	*used = len;
	return cp;
}

/* Terminal columns of a code point: wide East Asian and emoji take two,
 * combining marks and variation selectors none. Rough, but it keeps the
 * tables aligned for the names real groups use. */
static int cp_width(uint32_t cp)
{
	if ((cp >= 0x300 && cp <= 0x36F) || (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0x200D)
		return 0;
	if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
	    (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
	    (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
	    (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1FAFF) ||
	    (cp >= 0x20000 && cp <= 0x3FFFD))
		return 2;
	return 1;
}

/* Control characters and undecodable bytes, which must not reach a
 * terminal as they are. */
static bool cp_bad(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || cp == 0xFFFD;
}

/* Print s in at most width columns, padded to width when pad is set.
 * Control characters and invalid UTF-8 print as '?', so an id or a text
 * can never move the cursor or break the table. */
void put_cell(FILE *f, const char *s, size_t n, int width, bool pad)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, used;
	int col = 0;
	/* Measure first, to know whether an ellipsis is needed. */
	int total = 0;
	for (size_t k = 0; k < n; k += used) {
		uint32_t cp = utf8_next(p + k, n - k, &used);
		total += cp_bad(cp) ? 1 : cp_width(cp);
	}
	while (i < n) {
		uint32_t cp = utf8_next(p + i, n - i, &used);
		bool bad = cp_bad(cp);
		int w = bad ? 1 : cp_width(cp);
		if (total > width && col + w > width - 1) {
			fputs("\xE2\x80\xA6", f); /* an ellipsis */
			col++;
			break;
		}
		if (bad)
			fputc('?', f);
		else
			fwrite(p + i, 1, used, f);
		col += w;
		i += used;
	}
	while (pad && col < width) {
		fputc(' ', f);
		col++;
	}
}

/* A member as "id" padded to width. */
void put_member_id(FILE *f, const kith_community *c, uint32_t h, int width)
{
	size_t n = 0;
	const char *id = kith_member_id(c, h, &n);
	put_cell(f, id ? id : "?", id ? n : 1, width, true);
}

void put_member_name(FILE *f, const kith_community *c, uint32_t h, int width)
{
	size_t n = 0;
	const char *name = kith_member_display_name(c, h, &n);
	if (name)
		put_cell(f, name, n, width, true);
	else
		put_cell(f, "-", 1, width, true);
}

int64_t stat_of(const kith_community *c, uint32_t h, kith_stat s)
{
	int64_t v = 0;
	return kith_member_stat(c, h, s, &v) == KITH_OK ? v : 0;
}
