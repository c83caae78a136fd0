/*
 * Compiler attributes, spelled once.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_UTIL_COMPILER_H
#define KITH_UTIL_COMPILER_H

#include <stdint.h>

#if defined(__GNUC__)
#define KITH_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define KITH_PRINTF(a, b)
#endif

#endif /* KITH_UTIL_COMPILER_H */
