/*
 * UTF-8 validation, for the writers that must emit valid text whatever
 * bytes a caller handed in.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_UTIL_UTF8_H
#define KITH_UTIL_UTF8_H

#include <stddef.h>

/* Length (1..4) of the valid UTF-8 sequence at s, n > 0 bytes available,
 * or 0 when the bytes there are not one (overlong, surrogate, past
 * U+10FFFF, truncated). Every JSON writer replaces such bytes. */
size_t kith_utf8_len(const unsigned char *s, size_t n);

#endif /* KITH_UTIL_UTF8_H */
