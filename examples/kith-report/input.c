/*
 * kith-report: reading the input: whole files or standard input, errors as
 * FILE:LINE:COLUMN with the documented exit codes, and the cut of the
 * trace at --now.
 *
 * SPDX-License-Identifier: MIT
 */
#include "report.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- Input ------------------------------------------------------------ */

int read_input(const char *path, struct input *in)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	size_t cap = 1 << 16, len = 0;
	char *buf;
	long size;
	struct stat st;

	in->label = strcmp(path, "-") == 0 ? "<stdin>" : path;
	/* A file that is not there, not readable or not a file is bad input. */
	if (!f) {
		fprintf(stderr, "kith-report: %s: %s\n", path, strerror(errno));
		return EXIT_BAD_INPUT;
	}
	/* fopen opens a directory, whose "size" (as ftell tells it) is no
	 * size at all: the allocation for it failed as "out of memory". */
	if (fstat(fileno(f), &st) != 0)
		st.st_mode = 0; /* unknown: read it as a stream */
	if (S_ISDIR(st.st_mode)) {
		fprintf(stderr, "kith-report: %s: %s\n", in->label, strerror(EISDIR));
		if (f != stdin)
			fclose(f);
		return EXIT_BAD_INPUT;
	}
	/* Size the buffer at once when the file can tell its size. */
	if (f != stdin && S_ISREG(st.st_mode) && fseek(f, 0, SEEK_END) == 0 &&
	    (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0)
		cap = (size_t)size + 1;
	buf = malloc(cap);
	for (;;) {
		size_t got;
		if (!buf) {
			fprintf(stderr, "kith-report: %s: out of memory\n", in->label);
			if (f != stdin)
				fclose(f);
			return EXIT_FAILURE;
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (len < cap) {
			if (ferror(f)) {
				fprintf(stderr, "kith-report: %s: read error: %s\n", in->label,
				        strerror(errno));
				free(buf);
				if (f != stdin)
					fclose(f);
				return EXIT_FAILURE;
			}
			if (feof(f))
				break;
			continue;
		}
		{
			char *bigger = cap > SIZE_MAX / 2 ? NULL : realloc(buf, cap * 2);
			if (!bigger)
				free(buf);
			buf = bigger;
			cap *= 2;
		}
	}
	if (f != stdin)
		fclose(f);
	in->data = buf;
	in->len = len;
	in->owned = buf;
	return 0;
}

/* Library errors about text read "line L, column C: reason" or "line L:
 * reason"; print them as FILE:L:C: reason, the way compilers do, so that
 * editors can jump to them. */
void print_text_error(const char *label, const char *msg, uint64_t line_guess)
{
	unsigned long long line = line_guess, col = 1;
	int used = 0;
	if (sscanf(msg, "line %llu, column %llu: %n", &line, &col, &used) != 2 || used == 0) {
		/* Without a column the error is about the event as a whole
		 * (its time, its order): point at the line's start. */
		col = 1;
		used = 0;
		if (sscanf(msg, "line %llu: %n", &line, &used) != 1 || used == 0) {
			line = line_guess;
			used = 0;
		}
	}
	fprintf(stderr, "kith-report: %s:%llu:%llu: ", label, line, col);
	/* The reason quotes the input, which may hold anything: keep
	 * control characters away from the terminal. */
	put_cell(stderr, msg + used, strlen(msg + used), INT_MAX, false);
	fputc('\n', stderr);
}

/* Bad input, or a failure of the machine? */
int exit_code_for(kith_status st)
{
	return st == KITH_ENOMEM || st == KITH_EIO || st == KITH_ELIMIT ? EXIT_FAILURE
	                                                                : EXIT_BAD_INPUT;
}

/* ---- --now: the trace up to a time -------------------------------------- */

/* The time of a trace line: its leading decimal digits, ended by a tab.
 * False for a line that has none (a comment, a blank line, the header);
 * the library reports a malformed line when it is replayed. */
static bool line_time(const char *p, size_t n, int64_t *t)
{
	size_t i = 0;
	int64_t v = 0;
	while (i < n && p[i] >= '0' && p[i] <= '9' && i < 18)
		v = v * 10 + (p[i++] - '0');
	if (i == 0 || i >= n || p[i] != '\t')
		return false;
	*t = v;
	return true;
}

/* With --now T the replay stops at T: cut the trace before its first
 * event later than T, counting the event lines cut. T before the first
 * event is bad input (there would be nothing to report on). */
int cut_at(struct input *in, int64_t t)
{
	const char *p = in->data, *end = in->data + in->len;
	bool first = true;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		int64_t when;
		if (line_time(p, (size_t)(eol - p), &when)) {
			if (first && when > t) {
				fprintf(stderr,
				        "kith-report: --now %lld is before the first event of %s "
				        "(%lld)\n",
				        (long long)t, in->label, (long long)when);
				return EXIT_BAD_INPUT;
			}
			first = false;
			if (when > t) {
				for (const char *q = p; q < end;) {
					const char *qn = memchr(q, '\n', (size_t)(end - q));
					const char *qe = qn ? qn : end;
					int64_t w;
					in->left_out += line_time(q, (size_t)(qe - q), &w);
					q = qn ? qn + 1 : end;
				}
				in->len = (size_t)(p - in->data);
				break;
			}
		}
		p = nl ? nl + 1 : end;
	}
	return 0;
}
