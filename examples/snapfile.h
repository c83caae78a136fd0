/*
 * snapfile — save a kith community to a file so that a crash never leaves
 * a broken file behind, and load it back.
 *
 * libkith does no I/O: kith_community_save and kith_community_load take
 * callbacks. This helper is the file-system half a bot needs, kept out of
 * the library and shipped as an example to copy or link. It is POSIX.
 *
 * After snapfile_save returns KITH_OK the new snapshot is on stable
 * storage under `path`. If the process dies or the machine loses power at
 * any point before that, `path` still holds the previous complete
 * snapshot (or nothing, if there was none): never a mixture, never a
 * truncated file. A crash may leave a temporary file named
 * "<path>.tmp-XXXXXX" next to it; it is never read and may be deleted
 * whenever no save is running.
 *
 * Two processes must not save to the same path at the same time (each
 * save is atomic, but the last rename wins).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_SNAPFILE_H
#define KITH_SNAPFILE_H

#include <kith.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Save the community to path atomically: write the snapshot to a new
 * temporary file in the same directory, fsync it, rename it over path,
 * then fsync the directory so that the rename itself is durable. The
 * file is created with mode 0600 (snapshots hold member ids).
 * @return KITH_OK; KITH_EINVAL for a NULL argument; KITH_EIO when a file
 *         operation failed (errno tells which; the temporary file is
 *         removed and path is untouched); otherwise the status of
 *         kith_community_save (e.g. KITH_ENOMEM), path untouched.
 */
kith_status snapfile_save(const kith_community *community, const char *path);

/**
 * Replace the community's content with the snapshot in the file at path.
 * As with kith_community_load, the community is unchanged on failure.
 * @return KITH_OK; KITH_EINVAL for a NULL argument; KITH_EIO when the file
 *         cannot be opened or read (errno tells why); KITH_ECORRUPT,
 *         KITH_EVERSION or KITH_ENOMEM from kith_community_load.
 */
kith_status snapfile_load(kith_community *community, const char *path);

#ifdef __cplusplus
}
#endif

#endif /* KITH_SNAPFILE_H */
