/*
 * A bound on what POSIX regcomp may build from a pattern.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_UTIL_REGEX_BOUND_H
#define KITH_UTIL_REGEX_BOUND_H

#include <stdbool.h>
#include <stddef.h>

/* Whether regcomp can compile this extended regex without blowing up:
 * false when its repetitions would expand past a bounded size (regex.c).
 * Every pattern from outside (rules, community.name_format) is checked. */
bool kith_regex_bounded(const char *v, size_t n);

#endif /* KITH_UTIL_REGEX_BOUND_H */
