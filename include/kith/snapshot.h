/*
 * kith — snapshots.
 *
 * SPDX-License-Identifier: MIT
 *
 * Part of libkith's public interface: programs include <kith.h>, which
 * includes this header. The conventions at the top of kith.h hold here.
 */
#ifndef KITH_SNAPSHOT_H
#define KITH_SNAPSHOT_H

#include "core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Snapshots                                                                 */
/* ------------------------------------------------------------------------ */

/**
 * A sink for snapshot bytes: write all len bytes, return 0 on success,
 * anything else to abort the save (which then returns KITH_EIO).
 * @since 1.0
 */
typedef int (*kith_write_fn)(const void *data, size_t len, void *payload);

/**
 * A source of snapshot bytes: fill up to len bytes of buf and return how
 * many were read (0 at the end), or a negative value on error.
 * @since 1.0
 */
typedef ptrdiff_t (*kith_read_fn)(void *buf, size_t len, void *payload);

/**
 * Write the whole community (settings, roles, members, statistics, ledger,
 * graph) as a versioned, little-endian, checksummed snapshot. The same
 * community always gives the same bytes, on any host: a snapshot saved
 * on one machine loads on another whatever their byte order.
 * @return KITH_OK; KITH_EIO if write failed; KITH_ENOMEM; KITH_EINVAL.
 * @since 1.0
 */
KITH_API kith_status kith_community_save(const kith_community *community, kith_write_fn write,
                                         void *payload);

/**
 * Replace the community's whole content with a snapshot read from read.
 * The snapshot is read and checked completely before anything changes: on
 * any failure the community is as it was. Everything is replaced: the
 * settings, roles, members, ledger, graph and digest, and the rules
 * engine (its rules, ladder and templates, its flood and repeat windows
 * and the recent rule-breaking messages a report can name); the verdicts
 * on show are cleared, since no event has been ingested since. The digest
 * is derived from the ledger: the snapshot's copy is checked, and the
 * loaded community works it out again (so a snapshot whose digest
 * disagrees with its ledger loads, and saves with the digest corrected).
 * A snapshot in an earlier format version loads too, and saves in the
 * current one.
 * @return KITH_OK; KITH_ECORRUPT (truncated, bad checksum, inconsistent);
 *         KITH_EVERSION (a newer format); KITH_EIO (read failed);
 *         KITH_ENOMEM; KITH_EINVAL.
 * @since 1.0
 */
KITH_API kith_status kith_community_load(kith_community *community, kith_read_fn read, void *payload);

#ifdef __cplusplus
}
#endif

#endif /* KITH_SNAPSHOT_H */
