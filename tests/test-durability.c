/* Durability of snapshot files (examples/snapfile.c): a writer process
 * saving over and over, alternating two different communities, is killed
 * with SIGKILL at random points; after each kill the file on disk must
 * load and be byte for byte one of the two snapshots, never a broken one.
 * Also: failed saves leave the old file, and bad files load as errors.
 * SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

/* The helper is an example, not part of the library: compile it in. */
#include "../examples/snapfile.c"

#define T0 INT64_C(1795132800000)

struct fixture {
	char dir[256];
	char path[300];
	kith_community *a, *b;
	unsigned char *snap_a, *snap_b;
	size_t len_a, len_b;
};

/* A community of `members` members with messages and replies: big enough
 * that a save takes several write calls. */
static kith_community *build(int members, int variant)
{
	kith_community *c = NULL;
	assert_int_equal(kith_community_new(&c), KITH_OK);
	char id[32], mid[32], reply[32];
	for (int i = 0; i < members; i++) {
		snprintf(id, sizeof id, "member-%d-%d", variant, i);
		snprintf(mid, sizeof mid, "m%d", i);
		snprintf(reply, sizeof reply, "m%d", i / 2);
		test_join(c, T0 + i * 1000, id, NULL);
		test_msg(c, T0 + i * 1000 + 1, id, mid, (kith_kind)(i % KITH_KIND_COUNT),
		         i ? reply : NULL, NULL, i % 3 ? "question" : NULL, "how do I grow the group?");
	}
	return c;
}

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t cap = 0, n = 0;
	for (;;) {
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			char *nb = realloc(buf, cap);
			assert_non_null(nb);
			buf = nb;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	fclose(f);
	*len = n;
	return buf;
}

static void remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	char p[600];
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
		unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

/* Count the temporary files snapfile_save left in the directory. */
static int leftovers(const char *dir)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL)
		n += strstr(e->d_name, ".tmp-") != NULL;
	closedir(d);
	return n;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	assert_non_null(f);
	const char *tmp = getenv("TMPDIR");
	snprintf(f->dir, sizeof f->dir, "%s/kith-durability-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/community.snap", f->dir);
	f->a = build(3000, 1);
	f->b = build(1200, 2);
	f->snap_a = test_save(f->a, &f->len_a);
	f->snap_b = test_save(f->b, &f->len_b);
	/* The two must differ, or the check below would prove nothing. */
	assert_true(f->len_a != f->len_b || memcmp(f->snap_a, f->snap_b, f->len_a) != 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	remove_dir(f->dir);
	kith_community_free(f->a);
	kith_community_free(f->b);
	free(f->snap_a);
	free(f->snap_b);
	free(f);
	return 0;
}

/* Which snapshot the file holds: 'a', 'b', or 0 for neither. */
static int which(const struct fixture *f)
{
	size_t len = 0;
	char *bytes = read_all(f->path, &len);
	assert_non_null(bytes);
	int r = 0;
	if (len == f->len_a && memcmp(bytes, f->snap_a, len) == 0)
		r = 'a';
	else if (len == f->len_b && memcmp(bytes, f->snap_b, len) == 0)
		r = 'b';
	free(bytes);
	return r;
}

static void save_and_load_round_trip(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(snapfile_save(f->a, f->path), KITH_OK);
	assert_int_equal(which(f), 'a');
	struct stat st;
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);

	kith_community *c = NULL;
	assert_int_equal(kith_community_new(&c), KITH_OK);
	assert_int_equal(snapfile_load(c, f->path), KITH_OK);
	assert_int_equal(kith_community_member_count(c), 3000);
	size_t len;
	unsigned char *again = test_save(c, &len);
	assert_int_equal(len, f->len_a);
	assert_memory_equal(again, f->snap_a, len);
	free(again);

	/* Overwrite with the other one: the file is replaced whole. */
	assert_int_equal(snapfile_save(f->b, f->path), KITH_OK);
	assert_int_equal(which(f), 'b');
	assert_int_equal(snapfile_load(c, f->path), KITH_OK);
	assert_int_equal(kith_community_member_count(c), 1200);
	assert_int_equal(leftovers(f->dir), 0);
	kith_community_free(c);
}

static void failures_leave_old_file(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(snapfile_save(f->a, f->path), KITH_OK);

	/* No such directory: nothing can be written. */
	char bad[400];
	snprintf(bad, sizeof bad, "%s/no-such-dir/community.snap", f->dir);
	errno = 0;
	assert_int_equal(snapfile_save(f->b, bad), KITH_EIO);
	assert_int_equal(errno, ENOENT);

	/* The target is a directory: rename fails, the temp file goes. */
	char sub[400];
	snprintf(sub, sizeof sub, "%s/community.snap.dir", f->dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	char inner[500];
	snprintf(inner, sizeof inner, "%s/x", sub);
	FILE *x = fopen(inner, "w");
	assert_non_null(x);
	fclose(x);
	assert_int_equal(snapfile_save(f->b, sub), KITH_EIO);
	unlink(inner);
	rmdir(sub);
	assert_int_equal(leftovers(f->dir), 0);
	assert_int_equal(which(f), 'a');

	assert_int_equal(snapfile_save(NULL, f->path), KITH_EINVAL);
	assert_int_equal(snapfile_save(f->b, NULL), KITH_EINVAL);
	assert_int_equal(which(f), 'a');
}

static void bad_files_load_as_errors(void **state)
{
	struct fixture *f = *state;
	kith_community *c = build(5, 3);
	size_t len_before;
	unsigned char *before = test_save(c, &len_before);

	char p[400];
	snprintf(p, sizeof p, "%s/missing.snap", f->dir);
	errno = 0;
	assert_int_equal(snapfile_load(c, p), KITH_EIO);
	assert_int_equal(errno, ENOENT);

	/* A snapshot cut short, at every length from 0 to the whole less one
	 * byte (in steps, to stay quick), is corrupt and changes nothing. */
	snprintf(p, sizeof p, "%s/short.snap", f->dir);
	size_t step = f->len_b / 97 + 1;
	for (size_t cut = 0; cut < f->len_b; cut += step) {
		FILE *o = fopen(p, "wb");
		assert_non_null(o);
		assert_int_equal(fwrite(f->snap_b, 1, cut, o), cut);
		fclose(o);
		kith_status st = snapfile_load(c, p);
		assert_true(st == KITH_ECORRUPT || st == KITH_EVERSION);
	}
	/* A directory cannot be read as a file. */
	assert_int_equal(snapfile_load(c, f->dir), KITH_EIO);
	assert_int_equal(snapfile_load(NULL, p), KITH_EINVAL);
	assert_int_equal(snapfile_load(c, NULL), KITH_EINVAL);
	unlink(p);

	size_t len_after;
	unsigned char *after = test_save(c, &len_after);
	assert_int_equal(len_after, len_before);
	assert_memory_equal(after, before, len_before);
	free(before);
	free(after);
	kith_community_free(c);
}

/* A small deterministic generator for kill delays (the test repeats). */
static uint32_t next_random(uint64_t *s)
{
	*s = *s * 6364136223846793005u + 1442695040888963407u;
	return (uint32_t)(*s >> 33);
}

static void killed_writer_never_breaks_the_file(void **state)
{
	struct fixture *f = *state;
	/* Valgrind runs the writer (it follows forks) some fifty times
	 * slower: fewer kills, each checked the same way. */
	int iterations = getenv("KITH_VALGRIND") ? 40 : 300;
	uint32_t max_delay_us = getenv("KITH_VALGRIND") ? 200000 : 4000;
	uint64_t seed = 20261122;
	int seen_a = 0, seen_b = 0, mid_save = 0;

	assert_int_equal(snapfile_save(f->a, f->path), KITH_OK);
	for (int i = 0; i < iterations; i++) {
		fflush(NULL);
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			/* The writer: alternate the two until killed. */
			for (unsigned k = (unsigned)i;; k++)
				if (snapfile_save(k % 2 ? f->a : f->b, f->path) != KITH_OK)
					_exit(3);
		}
		struct timespec delay = {0, (long)(next_random(&seed) % max_delay_us) * 1000};
		nanosleep(&delay, NULL);
		assert_int_equal(kill(pid, SIGKILL), 0);
		int status;
		assert_int_equal(waitpid(pid, &status, 0), pid);
		/* Killed, not exited: it must have been saving all along. */
		assert_true(WIFSIGNALED(status));
		assert_int_equal(WTERMSIG(status), SIGKILL);

		int got = which(f);
		if (got == 0)
			fail_msg("after kill %d the file is neither snapshot", i);
		seen_a += got == 'a';
		seen_b += got == 'b';
		kith_community *c = NULL;
		assert_int_equal(kith_community_new(&c), KITH_OK);
		assert_int_equal(snapfile_load(c, f->path), KITH_OK);
		assert_int_equal(kith_community_member_count(c), got == 'a' ? 3000 : 1200);
		kith_community_free(c);

		/* A writer killed mid-save leaves its temporary file; clear them
		 * as the helper's documentation says an operator may. */
		if (leftovers(f->dir) > 0) {
			mid_save++;
			DIR *d = opendir(f->dir);
			struct dirent *e;
			char p[600];
			while ((e = readdir(d)) != NULL) {
				if (strncmp(e->d_name, "community.snap.tmp-", 19) == 0) {
					snprintf(p, sizeof p, "%s/%s", f->dir, e->d_name);
					unlink(p);
				}
			}
			closedir(d);
		}
	}
	print_message("%d kills: the file held snapshot A %d times and B %d times; %d kills "
	              "landed inside a save (a temporary file was left)\n",
	              iterations, seen_a, seen_b, mid_save);
	/* How often kills landed inside a save depends on the machine's speed
	 * (under sanitizers or valgrind a save takes far longer), so the
	 * coverage is reported, not asserted: timed assertions make flaky
	 * tests. What is asserted above holds at every kill: the file is one
	 * complete snapshot or the other, and it loads. */
	if (seen_a == 0 || seen_b == 0 || mid_save == 0)
		print_message("note: this run did not cover every case (slow machine?)\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(save_and_load_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(failures_leave_old_file, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_files_load_as_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(killed_writer_never_breaks_the_file, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
