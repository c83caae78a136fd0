/*
 * The one text writer: text written into a caller's buffer with the
 * buffer/needed convention of every _to_json, JSON strings,
 * locale-independent numbers, durations for people and for settings, and
 * an owned store of explanation strings.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_UTIL_TEXT_H
#define KITH_UTIL_TEXT_H

#include "util/compiler.h"
#include "util/memory.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Text measured and written in one pass, truncated like snprintf: len
 * counts what the full text needs, at most size bytes are stored. */
struct kith_text {
	char *buf;
	size_t size; /* room for text, without the NUL */
	size_t len;
};

/* A writer into buf of size bytes (size may be 0 with buf NULL). */
void kith_text_init(struct kith_text *o, char *buf, size_t size);
void kith_text_put(struct kith_text *o, const char *s, size_t n);
void kith_text_puts(struct kith_text *o, const char *s);
void kith_text_printf(struct kith_text *o, const char *fmt, ...) KITH_PRINTF(2, 3);
void kith_text_i64(struct kith_text *o, int64_t v);
/* A time in ms, or null for KITH_TIME_NONE (JSON). */
void kith_text_time(struct kith_text *o, int64_t v);
/* A number as the shortest of up to `digits` significant digits, with '.'
 * whatever the locale; NaN and infinities as null (JSON). */
void kith_text_number(struct kith_text *o, double x, int digits);
/* A JSON string; bytes that are not valid UTF-8 become U+FFFD. */
void kith_text_json_string(struct kith_text *o, const char *s, size_t n);
/* The inside of a JSON string, escaped as kith_text_json_string escapes
 * it: for a string written in pieces (each whole UTF-8 sequences). */
void kith_text_json_chars(struct kith_text *o, const char *s, size_t n);
/* A duration for people: "12 h", "3 d", "36 h", "90 min", "3.5 d". */
void kith_text_duration(struct kith_text *o, int64_t ms);
/* A duration exactly, in the largest unit that divides it ("90 min",
 * "2 w", "1500 ms"): the canonical text of a duration setting, which
 * util/lex.h reads back to the same ms. */
void kith_text_duration_exact(struct kith_text *o, int64_t ms);
/* NUL-terminate the caller's buffer and report the needed length. */
void kith_text_finish(struct kith_text *o, size_t *needed);

/* Owned NUL-terminated strings addressed by offset. */
struct kith_strings {
	char *data;
	size_t len;
	size_t cap;
};

/* Append s (n bytes, plus a NUL); false on allocation failure. */
bool kith_strings_add(const struct kith_mem *mem, struct kith_strings *st, const char *s, size_t n,
                      size_t *offset);
void kith_strings_fini(const struct kith_mem *mem, struct kith_strings *st);

#endif /* KITH_UTIL_TEXT_H */
