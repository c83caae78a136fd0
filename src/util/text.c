/*
 * Result objects' shared machinery: text into a caller's buffer (the
 * buffer/needed convention of kith_member_to_json), numbers that read the
 * same in every locale, durations for people, and owned strings.
 *
 * SPDX-License-Identifier: MIT
 */
#include "util/text.h"

#include "kith.h"
#include "util/memory.h"
#include "util/time.h"
#include "util/utf8.h"

#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void kith_text_init(struct kith_text *o, char *buf, size_t size)
{
	o->buf = size ? buf : NULL; /* a buffer of no bytes has no room for the NUL */
	o->size = size ? size - 1 : 0;
	o->len = 0;
}

void kith_text_put(struct kith_text *o, const char *s, size_t n)
{
	if (o->len < o->size) {
		size_t room = o->size - o->len;
		memcpy(o->buf + o->len, s, n < room ? n : room);
	}
	o->len += n;
}

void kith_text_puts(struct kith_text *o, const char *s)
{
	kith_text_put(o, s, strlen(s));
}

void kith_text_printf(struct kith_text *o, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	kith_text_put(o, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

void kith_text_i64(struct kith_text *o, int64_t v)
{
	kith_text_printf(o, "%lld", (long long)v);
}

void kith_text_time(struct kith_text *o, int64_t v)
{
	if (v == KITH_TIME_NONE)
		kith_text_puts(o, "null");
	else
		kith_text_i64(o, v);
}

/* printf writes the locale's decimal point; results always use '.'. */
static void point_to_dot(char *s)
{
	const char *p = localeconv()->decimal_point;
	char point = p && p[0] && !p[1] ? p[0] : '.';
	if (point == '.')
		return;
	for (; *s; s++)
		if (*s == point)
			*s = '.';
}

void kith_text_number(struct kith_text *o, double x, int digits)
{
	if (!isfinite(x)) {
		kith_text_puts(o, "null");
		return;
	}
	char tmp[64];
	if (x == 0)
		x = 0; /* no "-0" */
	snprintf(tmp, sizeof tmp, "%.*g", digits, x);
	point_to_dot(tmp);
	kith_text_puts(o, tmp);
}

void kith_text_json_string(struct kith_text *o, const char *s, size_t n)
{
	kith_text_put(o, "\"", 1);
	kith_text_json_chars(o, s, n);
	kith_text_put(o, "\"", 1);
}

void kith_text_json_chars(struct kith_text *o, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		unsigned char ch = p[i];
		if (ch == '"' || ch == '\\') {
			char esc[2] = {'\\', (char)ch};
			kith_text_put(o, esc, 2);
			i++;
		} else if (ch < 0x20 || ch == 0x7f) {
			kith_text_printf(o, "\\u%04x", ch);
			i++;
		} else {
			size_t len = kith_utf8_len(p + i, n - i);
			if (len == 0) {
				kith_text_puts(o, "\\ufffd");
				i++;
			} else {
				kith_text_put(o, s + i, len);
				i += len;
			}
		}
	}
}

/* The units durations are written in, largest first. Weeks are only for
 * the exact form: "3 w" reads less plainly than "21 d" in an explanation. */
static const struct {
	int64_t ms;
	const char *name;
} duration_units[] = {{604800000, "w"}, {86400000, "d"}, {3600000, "h"}, {60000, "min"}, {1000, "s"}};

void kith_text_duration(struct kith_text *o, int64_t ms)
{
	if (ms < 0) {
		kith_text_puts(o, "-");
		ms = ms == INT64_MIN ? INT64_MAX : -ms;
	}
	/* The largest unit the duration reaches twice ("36 h", not "1.5 d"),
	 * whole when it divides, else with one decimal. */
	for (size_t i = 1; i < sizeof duration_units / sizeof duration_units[0]; i++) {
		int64_t unit = duration_units[i].ms;
		if (ms >= 2 * unit || (ms >= unit && ms % unit == 0)) {
			if (ms % unit == 0)
				kith_text_printf(o, "%lld %s", (long long)(ms / unit), duration_units[i].name);
			else {
				kith_text_number(o, (double)ms / (double)unit, 3);
				kith_text_printf(o, " %s", duration_units[i].name);
			}
			return;
		}
	}
	kith_text_printf(o, "%lld ms", (long long)ms);
}

void kith_text_duration_exact(struct kith_text *o, int64_t ms)
{
	for (size_t i = 0; i < sizeof duration_units / sizeof duration_units[0]; i++) {
		if (ms != 0 && ms % duration_units[i].ms == 0) {
			kith_text_printf(o, "%lld %s", (long long)(ms / duration_units[i].ms),
			                 duration_units[i].name);
			return;
		}
	}
	kith_text_printf(o, "%lld ms", (long long)ms);
}

void kith_text_finish(struct kith_text *o, size_t *needed)
{
	if (o->buf)
		o->buf[o->len < o->size ? o->len : o->size] = '\0';
	if (needed)
		*needed = o->len;
}

bool kith_strings_add(const struct kith_mem *mem, struct kith_strings *st, const char *s, size_t n,
                      size_t *offset)
{
	if (n + 1 > SIZE_MAX - st->len)
		return false;
	if (st->len + n + 1 > st->cap) {
		size_t cap = st->cap ? st->cap : 256;
		while (cap < st->len + n + 1)
			cap = cap > SIZE_MAX / 2 ? st->len + n + 1 : cap * 2;
		char *d = kith_mem_realloc(mem, st->data, st->cap, cap);
		if (!d)
			return false;
		st->data = d;
		st->cap = cap;
	}
	memcpy(st->data + st->len, s, n);
	st->data[st->len + n] = '\0';
	*offset = st->len;
	st->len += n + 1;
	return true;
}

void kith_strings_fini(const struct kith_mem *mem, struct kith_strings *st)
{
	kith_mem_free(mem, st->data, st->cap);
	st->data = NULL;
	st->len = st->cap = 0;
}
