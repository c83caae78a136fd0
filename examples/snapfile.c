/*
 * snapfile — atomic snapshot files for kith communities (see snapfile.h).
 *
 * The order of operations is what makes a save atomic and durable:
 *  1. write the whole snapshot to a new file in the same directory (the
 *     rename below is atomic only within one file system);
 *  2. fsync it, so that its bytes are on disk before any name points at
 *     them — without this, a power loss after the rename can leave `path`
 *     naming a file of zeros or a short file;
 *  3. rename it over path: readers see either the old file or the new,
 *     never a mixture;
 *  4. fsync the directory, so that the rename survives a power loss.
 *
 * SPDX-License-Identifier: MIT
 */
#include "snapfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct fd_sink {
	int fd;
	int error; /* errno of the failed write, 0 if none */
};

/* kith_write_fn: write everything, retrying short writes and EINTR. */
static int fd_write(const void *data, size_t len, void *payload)
{
	struct fd_sink *s = payload;
	const char *p = data;
	while (len > 0) {
		ssize_t n = write(s->fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			s->error = errno;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* kith_read_fn: a read(2), retrying EINTR. */
static ptrdiff_t fd_read(void *buf, size_t len, void *payload)
{
	struct fd_sink *s = payload;
	for (;;) {
		ssize_t n = read(s->fd, buf, len);
		if (n >= 0)
			return (ptrdiff_t)n;
		if (errno != EINTR) {
			s->error = errno;
			return -1;
		}
	}
}

/* The directory part of path ("." when it has none), malloc'd. */
static char *directory_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return strdup(".");
	size_t n = slash == path ? 1 : (size_t)(slash - path); /* "/x" lives in "/" */
	char *dir = malloc(n + 1);
	if (dir) {
		memcpy(dir, path, n);
		dir[n] = '\0';
	}
	return dir;
}

static int fsync_directory(const char *path)
{
	char *dir = directory_of(path);
	if (!dir)
		return -1;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	int saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

kith_status snapfile_save(const kith_community *community, const char *path)
{
	if (!community || !path) {
		errno = EINVAL;
		return KITH_EINVAL;
	}
	size_t n = strlen(path);
	char *tmp = malloc(n + sizeof ".tmp-XXXXXX");
	if (!tmp) {
		errno = ENOMEM;
		return KITH_ENOMEM;
	}
	memcpy(tmp, path, n);
	memcpy(tmp + n, ".tmp-XXXXXX", sizeof ".tmp-XXXXXX");

	struct fd_sink sink = {mkstemp(tmp), 0};
	if (sink.fd < 0) {
		free(tmp);
		return KITH_EIO;
	}
	kith_status st = kith_community_save(community, fd_write, &sink);
	int error = st == KITH_EIO ? sink.error : 0;
	if (st == KITH_OK && fsync(sink.fd) != 0) {
		error = errno;
		st = KITH_EIO;
	}
	/* NFS and friends may report a failed write only at close. */
	if (close(sink.fd) != 0 && st == KITH_OK) {
		error = errno;
		st = KITH_EIO;
	}
	if (st == KITH_OK && rename(tmp, path) != 0) {
		error = errno;
		st = KITH_EIO;
	}
	if (st != KITH_OK) {
		unlink(tmp);
		free(tmp);
		errno = error ? error : EIO;
		return st;
	}
	free(tmp);
	/* The new snapshot is in place; only its durability is at stake now. */
	if (fsync_directory(path) != 0)
		return KITH_EIO;
	return KITH_OK;
}

kith_status snapfile_load(kith_community *community, const char *path)
{
	if (!community || !path) {
		errno = EINVAL;
		return KITH_EINVAL;
	}
	struct fd_sink source = {open(path, O_RDONLY | O_CLOEXEC), 0};
	if (source.fd < 0)
		return KITH_EIO;
	kith_status st = kith_community_load(community, fd_read, &source);
	close(source.fd);
	if (st == KITH_EIO && source.error)
		errno = source.error;
	return st;
}
