/*
 * The snapshot container (snapshot.c) as seen by an engine that encodes
 * its own section: the primitive writers and readers of the format's
 * little-endian integers and length-prefixed strings, and the reader's
 * error reporting. The engine's section codec lives with the engine
 * (engines/rules/state.c for the rules engine); snapshot.c frames,
 * checksums and orders the sections.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_IO_SNAPSHOT_H
#define KITH_IO_SNAPSHOT_H

#include "kith.h"
#include "util/compiler.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kith_snap_writer;
struct kith_snap_reader;

void kith_snap_put_u32(struct kith_snap_writer *w, uint32_t v);
void kith_snap_put_u64(struct kith_snap_writer *w, uint64_t v);
void kith_snap_put_i64(struct kith_snap_writer *w, int64_t v);
void kith_snap_put_str(struct kith_snap_writer *w, const char *s, size_t n);

/* Readers return false once anything failed (the first failure is kept
 * as the community's last error, naming the byte and the section). */
uint64_t kith_snap_offset(const struct kith_snap_reader *r);
bool kith_snap_get_u32(struct kith_snap_reader *r, uint32_t *v);
bool kith_snap_get_u64(struct kith_snap_reader *r, uint64_t *v);
bool kith_snap_get_i64(struct kith_snap_reader *r, int64_t *v);
bool kith_snap_get_bytes(struct kith_snap_reader *r, void *dst, size_t n);
/* A string of at most max bytes into buf, which holds max + 1; the copy
 * is NUL-terminated, the string itself may hold NULs. */
bool kith_snap_get_str(struct kith_snap_reader *r, char *buf, size_t max, size_t *len,
                       const char *what);
/* A count checked against its limit and the bytes left in the section
 * (each record takes at least min_size). */
bool kith_snap_check_count(struct kith_snap_reader *r, uint64_t at, uint64_t count, uint64_t max,
                           size_t min_size, const char *what);
/* Fail with KITH_ECORRUPT (or st) at stream offset at; returns false. */
bool kith_snap_fail(struct kith_snap_reader *r, kith_status st, uint64_t at, const char *fmt, ...)
    KITH_PRINTF(4, 5);

#endif /* KITH_IO_SNAPSHOT_H */
