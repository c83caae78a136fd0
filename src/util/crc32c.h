/*
 * CRC-32C, the checksum of snapshot sections.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_UTIL_CRC32C_H
#define KITH_UTIL_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/* CRC-32C (Castagnoli, reflected): continue crc (the running register,
 * not yet inverted; start from ~0u and invert at the end) over n bytes.
 * The table entry accessor is for the test that checks the table. */
uint32_t kith_crc32c_update(uint32_t crc, const unsigned char *p, size_t n);
uint32_t kith_crc32c_table_entry(unsigned slice, unsigned byte);

#endif /* KITH_UTIL_CRC32C_H */
