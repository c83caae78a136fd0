/*
 * kith-report — replay a community's event trace and print what its
 * operators need to know: who is here and who only watches, how much is
 * said and how much of it is worth reading, when the group is awake, who
 * carries it, and the best of the latest day.
 *
 * SPDX-License-Identifier: MIT
 *
 *   kith-report [TRACE] [--charter FILE] [--now MS] [--json] [--quiet]
 *   kith-report members [TRACE] [--charter FILE] [--now MS] [--quiet]
 *
 * Without TRACE it replays the sample community it carries (built in from
 * examples/data/sample.trace and sample.charter), so it works from any
 * directory. TRACE "-" reads standard input. --now defaults to the time of
 * the last event. "members" prints one JSON object per member and line
 * (kith_member_to_json's figures); --json prints the whole report as one
 * JSON document, described by report.schema.json beside this file.
 *
 * The library reads the trace and the charter; this program only reads
 * files and presents figures. It does scan the accepted trace once more
 * for what the model does not keep: the time of each message (for the
 * daily and hourly profile) and the text of the digest's messages.
 *
 * Exit status: 0 success, 2 bad input (a malformed trace or charter, a bad
 * option), 1 any other failure (a file that cannot be read, no memory).
 */
#include <kith.h>

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
#include <time.h>
#include <unistd.h>

/* The sample community, generated at build time by kith-embed. */
extern const unsigned char kith_sample_trace[];
extern const size_t kith_sample_trace_len;
extern const unsigned char kith_sample_charter[];
extern const size_t kith_sample_charter_len;

#define EXIT_BAD_INPUT   2
#define MS_MINUTE        INT64_C(60000)
#define MS_HOUR          (60 * MS_MINUTE)
#define MS_DAY           (24 * MS_HOUR)
#define PROFILE_DAYS     14
#define TOP_CONTRIBUTORS 10
#define TOP_REPLIERS     5
#define DIGEST_TEXT_MAX  200
#define NEWCOMER_MS      (3 * MS_DAY)
#define CLEANUP_SHOWN    10

static const char *const kind_names[KITH_KIND_COUNT] = {
        "text",     "photo", "video",   "voice",    "link",   "article",
        "document", "share", "sticker", "envelope", "system", "other",
};

struct options {
	bool members;
	bool json;  /* --json: one JSON document instead of the text */
	bool quiet; /* --quiet: no progress on stderr */
	const char *trace;   /* NULL: the embedded sample */
	const char *charter; /* NULL: none, or the sample's with the sample */
	bool have_now;
	int64_t now;
};

/* A whole input file, or the embedded data. */
struct input {
	const char *label;
	const char *data;
	size_t len;
	char *owned;
	uint64_t left_out; /* event lines after --now, not replayed */
};

/* One member's figures, for the rankings. */
struct row {
	uint32_t h;
	double score;
	int64_t messages;
	int64_t replies_given;
	int64_t replies_received;
	uint32_t days30;
	bool days30_known; /* false: the model no longer holds those days */
};

struct digest_line {
	const char *id;
	size_t id_len;
	uint32_t author;
	double value;
	int kind; /* -1 until found in the trace */
	int64_t time_ms;
	char text[DIGEST_TEXT_MAX + 1];
	size_t text_len;
};

/* What the second look at the trace finds. */
struct scan {
	uint64_t events;
	int64_t first_ms;                /* valid when events > 0 */
	uint64_t day_msgs[PROFILE_DAYS]; /* [0] is the local day of now */
	uint64_t day_joins[PROFILE_DAYS];
	uint64_t day_leaves[PROFILE_DAYS];
	uint64_t hour_msgs[24]; /* local hours, over the last 30 days */
};

/* ---- Small helpers ---------------------------------------------------- */

static void usage(FILE *f)
{
	fputs("usage: kith-report [TRACE] [--charter FILE] [--now MS] [--json] [--quiet]\n"
	      "       kith-report members [TRACE] [--charter FILE] [--now MS] [--quiet]\n"
	      "Replay a kith-trace 1 file and report on the community.\n"
	      "  TRACE           the trace to replay (\"-\" for standard input); without it,\n"
	      "                  the built-in sample community with its charter\n"
	      "  members         print one JSON object per member and line instead\n"
	      "  --charter FILE  apply this charter before replaying\n"
	      "  --now MS        report as of this time (ms since the Unix epoch, UTC):\n"
	      "                  the replay stops there, and the report says how many\n"
	      "                  later events it left out; default: the last event\n"
	      "  --json          print one JSON document (format 1, described by\n"
	      "                  report.schema.json) instead of the text report\n"
	      "  --quiet, -q     no progress on stderr (shown only on a terminal, for\n"
	      "                  replays that take more than a second)\n"
	      "  --help          show this help\n"
	      "Exit status: 0 success, 2 bad input, 1 other failure.\n",
	      f);
}

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* a + b, saturated: times near the ends of int64 must not overflow. */
static int64_t add_sat(int64_t a, int64_t b)
{
	if (b > 0 && a > INT64_MAX - b)
		return INT64_MAX;
	if (b < 0 && a < INT64_MIN - b)
		return INT64_MIN;
	return a + b;
}

/* The local day number of a UTC time. */
static int64_t local_day(int64_t t, int64_t offset_ms)
{
	return floor_div(add_sat(t, offset_ms), MS_DAY);
}

/* Milliseconds since local midnight. */
static int64_t ms_in_day(int64_t t, int64_t offset_ms)
{
	int64_t r = add_sat(t, offset_ms) % MS_DAY;
	return r < 0 ? r + MS_DAY : r;
}

/* Civil date from days since 1970-01-01 (proleptic Gregorian). */
static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = floor_div(z, 146097);
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static const char *const weekdays[7] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};

/* "2026-11-30 23:12" in the community's local time. */
static const char *fmt_time(char *buf, size_t size, int64_t ms, int64_t offset_ms)
{
	int64_t day = local_day(ms, offset_ms), in_day = ms_in_day(ms, offset_ms), y;
	unsigned m, d;
	civil_from_days(day, &y, &m, &d);
	snprintf(buf, size, "%04" PRId64 "-%02u-%02u %02u:%02u", y, m, d,
	         (unsigned)(in_day / MS_HOUR), (unsigned)(in_day % MS_HOUR / MS_MINUTE));
	return buf;
}

/* "4,906" */
static const char *fmt_count(char *buf, size_t size, uint64_t v)
{
	char tmp[32];
	int n = snprintf(tmp, sizeof tmp, "%" PRIu64, v);
	size_t k = 0;
	for (int i = 0; i < n && k + 2 < size; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			buf[k++] = ',';
		buf[k++] = tmp[i];
	}
	buf[k] = '\0';
	return buf;
}

/* A figure as the library's explanations write it: three significant
 * digits in plain decimals ("0.621", "58.5", "110"), whole numbers with
 * separators from 1,000 on ("1,171"), never an exponent. */
static const char *fmt_figure(char *buf, size_t size, double x)
{
	if (!isfinite(x) || x < 0) {
		snprintf(buf, size, "?");
		return buf;
	}
	if (x >= 999.5 && x < 1.8e19)
		return fmt_count(buf, size, (uint64_t)llround(x));
	if (x == 0) {
		snprintf(buf, size, "0");
		return buf;
	}
	int decimals = 2 - (int)floor(log10(x));
	decimals = decimals < 0 ? 0 : decimals > 9 ? 9 : decimals;
	int len = snprintf(buf, size, "%.*f", decimals, x);
	if (decimals > 0 && len > 0 && (size_t)len < size) { /* "41.0" reads "41" */
		while (len > 0 && buf[len - 1] == '0')
			buf[--len] = '\0';
		if (len > 0 && buf[len - 1] == '.')
			buf[--len] = '\0';
	}
	return buf;
}

/* count / days, as fmt_figure writes it. */
static const char *fmt_rate(char *buf, size_t size, uint64_t count, int64_t days)
{
	return fmt_figure(buf, size, days > 0 ? (double)count / (double)days : 0.0);
}

/* part of whole as a percentage, as health writes shares: "40.6%",
 * "100%", "4,765%"; "n/a" of nothing. */
static const char *fmt_share(char *buf, size_t size, uint64_t part, uint64_t whole)
{
	size_t len;
	if (!whole) {
		snprintf(buf, size, "n/a");
		return buf;
	}
	fmt_figure(buf, size, 100.0 * (double)part / (double)whole);
	len = strlen(buf);
	if (len + 1 < size) {
		buf[len] = '%';
		buf[len + 1] = '\0';
	}
	return buf;
}

/* Decode one UTF-8 sequence; invalid bytes decode as U+FFFD, length 1. */
static uint32_t utf8_next(const unsigned char *s, size_t n, size_t *used)
{
	uint32_t cp;
	size_t len;
	if (s[0] < 0x80) {
		*used = 1;
		return s[0];
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		len = 2;
		cp = s[0] & 0x1F;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		len = 3;
		cp = s[0] & 0x0F;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		*used = 1;
		return 0xFFFD;
	}
	if (len > n) {
		*used = 1;
		return 0xFFFD;
	}
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*used = 1;
			return 0xFFFD;
		}
		cp = cp << 6 | (s[i] & 0x3F);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))) {
		*used = 1;
		return 0xFFFD;
	}
	*used = len;
	return cp;
}

/* Terminal columns of a code point: wide East Asian and emoji take two,
 * combining marks and variation selectors none. Rough, but it keeps the
 * tables aligned for the names real groups use. */
static int cp_width(uint32_t cp)
{
	if ((cp >= 0x300 && cp <= 0x36F) || (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0x200D)
		return 0;
	if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
	    (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
	    (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
	    (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1FAFF) ||
	    (cp >= 0x20000 && cp <= 0x3FFFD))
		return 2;
	return 1;
}

/* Control characters and undecodable bytes, which must not reach a
 * terminal as they are. */
static bool cp_bad(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || cp == 0xFFFD;
}

/* Print s in at most width columns, padded to width when pad is set.
 * Control characters and invalid UTF-8 print as '?', so an id or a text
 * can never move the cursor or break the table. */
static void put_cell(FILE *f, const char *s, size_t n, int width, bool pad)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, used;
	int col = 0;
	/* Measure first, to know whether an ellipsis is needed. */
	int total = 0;
	for (size_t k = 0; k < n; k += used) {
		uint32_t cp = utf8_next(p + k, n - k, &used);
		total += cp_bad(cp) ? 1 : cp_width(cp);
	}
	while (i < n) {
		uint32_t cp = utf8_next(p + i, n - i, &used);
		bool bad = cp_bad(cp);
		int w = bad ? 1 : cp_width(cp);
		if (total > width && col + w > width - 1) {
			fputs("\xE2\x80\xA6", f); /* an ellipsis */
			col++;
			break;
		}
		if (bad)
			fputc('?', f);
		else
			fwrite(p + i, 1, used, f);
		col += w;
		i += used;
	}
	while (pad && col < width) {
		fputc(' ', f);
		col++;
	}
}

/* A member as "id" padded to width. */
static void put_member_id(FILE *f, const kith_community *c, uint32_t h, int width)
{
	size_t n = 0;
	const char *id = kith_member_id(c, h, &n);
	put_cell(f, id ? id : "?", id ? n : 1, width, true);
}

static void put_member_name(FILE *f, const kith_community *c, uint32_t h, int width)
{
	size_t n = 0;
	const char *name = kith_member_display_name(c, h, &n);
	if (name)
		put_cell(f, name, n, width, true);
	else
		put_cell(f, "-", 1, width, true);
}

static int64_t stat_of(const kith_community *c, uint32_t h, kith_stat s)
{
	int64_t v = 0;
	return kith_member_stat(c, h, s, &v) == KITH_OK ? v : 0;
}

/* ---- Input ------------------------------------------------------------ */

static int read_input(const char *path, struct input *in)
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
	if (f != stdin && S_ISREG(st.st_mode) && fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0)
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
static void print_text_error(const char *label, const char *msg, uint64_t line_guess)
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
static int exit_code_for(kith_status st)
{
	return st == KITH_ENOMEM || st == KITH_EIO || st == KITH_ELIMIT ? EXIT_FAILURE
	                                                                : EXIT_BAD_INPUT;
}

/* ---- The second look at the trace ------------------------------------- */

/* The value of field key= among the tab-separated fields [p, end), or NULL. */
static const char *find_field(const char *p, const char *end, const char *key, size_t key_len,
                              size_t *n)
{
	while (p < end) {
		const char *tab = memchr(p, '\t', (size_t)(end - p));
		const char *fe = tab ? tab : end;
		if ((size_t)(fe - p) >= key_len && memcmp(p, key, key_len) == 0) {
			*n = (size_t)(fe - p - (ptrdiff_t)key_len);
			return p + key_len;
		}
		p = tab ? tab + 1 : end;
	}
	return NULL;
}

/* Unescape a text for one line of display: a tab or a newline becomes a
 * space. */
static size_t display_text(char *out, size_t size, const char *v, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n && k + 1 < size; i++) {
		char ch = v[i];
		if (ch == '\\' && i + 1 < n) {
			i++;
			ch = v[i] == 't' || v[i] == 'n' ? ' ' : v[i];
		}
		out[k++] = ch;
	}
	out[k] = '\0';
	return k;
}

static int kind_of(const char *v, size_t n)
{
	for (int k = 0; k < KITH_KIND_COUNT; k++)
		if (strlen(kind_names[k]) == n && memcmp(kind_names[k], v, n) == 0)
			return k;
	return KITH_KIND_TEXT;
}

/* Walk the lines the library accepted: message times by local day and
 * hour, and the texts of the digest's messages. */
static void scan_trace(const struct input *in, int64_t now, int64_t offset_ms, struct scan *s,
                       struct digest_line *dg, size_t dg_count)
{
	const char *p = in->data, *end = in->data + in->len;
	int64_t now_day = local_day(now, offset_ms);

	memset(s, 0, sizeof *s);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		const char *q = p, *type, *rest;
		bool neg = false;
		uint64_t u = 0;
		int64_t t, day, ago;
		size_t type_len;

		p = nl ? nl + 1 : end;
		if (e > q && e[-1] == '\r')
			e--;
		if (e - q >= 3 && (unsigned char)q[0] == 0xEF && (unsigned char)q[1] == 0xBB &&
		    (unsigned char)q[2] == 0xBF)
			q += 3;
		if (q == e || (*q != '-' && (*q < '0' || *q > '9')))
			continue; /* blank, comment or header */
		if (*q == '-') {
			neg = true;
			q++;
		}
		/* The library accepted the line, so the time is an int64. */
		while (q < e && *q >= '0' && *q <= '9')
			u = u * 10 + (uint64_t)(*q++ - '0');
		t = neg ? (u == 0 ? 0 : -(int64_t)(u - 1) - 1) : (int64_t)u;
		if (q == e || *q != '\t')
			continue;
		type = ++q;
		rest = memchr(q, '\t', (size_t)(e - q));
		type_len = (size_t)((rest ? rest : e) - type);
		if (s->events++ == 0)
			s->first_ms = t;
		day = local_day(t, offset_ms);
		ago = now_day - day;
		if (type_len == 3 && memcmp(type, "msg", 3) == 0) {
			if (ago >= 0 && ago < PROFILE_DAYS)
				s->day_msgs[ago]++;
			if (ago >= 0 && ago < 30)
				s->hour_msgs[ms_in_day(t, offset_ms) / MS_HOUR]++;
			const char *fields =
			        rest ? memchr(rest + 1, '\t', (size_t)(e - rest - 1)) : NULL;
			if (dg_count > 0 && fields) {
				size_t n;
				const char *id = find_field(fields + 1, e, "id=", 3, &n);
				for (size_t i = 0; id && i < dg_count; i++) {
					const char *v;
					size_t vn;
					if (dg[i].id_len != n || memcmp(dg[i].id, id, n) != 0)
						continue;
					dg[i].time_ms = t;
					v = find_field(fields + 1, e, "kind=", 5, &vn);
					dg[i].kind = v ? kind_of(v, vn) : KITH_KIND_TEXT;
					v = find_field(fields + 1, e, "text=", 5, &vn);
					dg[i].text_len = v ? display_text(dg[i].text,
					                                  sizeof dg[i].text, v, vn)
					                   : 0;
				}
			}
		} else if (ago >= 0 && ago < PROFILE_DAYS) {
			if (type_len == 4 && memcmp(type, "join", 4) == 0)
				s->day_joins[ago]++;
			else if ((type_len == 5 && memcmp(type, "leave", 5) == 0) ||
			         (type_len == 4 && memcmp(type, "kick", 4) == 0) ||
			         (type_len == 3 && memcmp(type, "ban", 3) == 0))
				s->day_leaves[ago]++;
		}
	}
}

/* ---- The report ------------------------------------------------------- */

static int cmp_score(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	if (x->messages != y->messages)
		return x->messages > y->messages ? -1 : 1;
	return x->h < y->h ? -1 : x->h > y->h;
}

static int cmp_replies(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	int64_t sx = x->replies_given + x->replies_received,
	        sy = y->replies_given + y->replies_received;
	if (x->replies_given != y->replies_given)
		return x->replies_given > y->replies_given ? -1 : 1;
	if (sx != sy)
		return sx > sy ? -1 : 1;
	return x->h < y->h ? -1 : x->h > y->h;
}

static int cmp_desc_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x > y ? -1 : x < y;
}

/* The role names a member holds, comma-separated. */
static void role_list(const kith_community *c, uint32_t h, char *buf, size_t size)
{
	size_t k = 0;
	buf[0] = '\0';
	for (uint32_t r = 0; r < kith_community_role_count(c); r++) {
		const char *name = kith_role_name(c, r);
		if (!name || !kith_member_has_role(c, h, r))
			continue;
		k += (size_t)snprintf(buf + k, size - k, "%s%s", k ? "," : "", name);
		if (k >= size)
			break;
	}
}

static void setting_text(const kith_community *c, const char *name, char *buf, size_t size)
{
	if (kith_setting_get(c, name, KITH_NUL_TERMINATED, buf, size, NULL) != KITH_OK)
		snprintf(buf, size, "?");
}

/* The UTC offset in ms, from the setting's "+08:00". */
static int64_t utc_offset_ms(const kith_community *c)
{
	char buf[32];
	unsigned hh = 0, mm = 0;
	char sign = '+';
	setting_text(c, "community.utc_offset", buf, sizeof buf);
	if (sscanf(buf, "%c%u:%u", &sign, &hh, &mm) != 3)
		return 0;
	return (sign == '-' ? -1 : 1) * ((int64_t)hh * MS_HOUR + (int64_t)mm * MS_MINUTE);
}

struct totals {
	uint64_t present, spoke, onlookers, envelope_only, newcomers, active7, active30, silent7;
	uint64_t unknown7, unknown30; /* present members whose window the model cannot read */
	uint64_t kinds[KITH_KIND_COUNT];
	uint64_t questions, feedback, complaints, envelopes_sent, envelopes_claimed, claimers;
	uint64_t attended, invites, invitees_present, reports, buyers, high_value;
	uint64_t named, compliant;
	uint64_t role_holders[KITH_ROLES_MAX];
};

static void section(const char *title)
{
	printf("\n%s\n", title);
}

static void print_header(const kith_community *c, const struct input *in, const struct scan *s,
                         int64_t now, int64_t off, bool sample)
{
	char name[300], offset[32], a[32], b[32], n1[32], n2[32];
	int64_t last = kith_community_last_event_ms(c);
	setting_text(c, "community.name", name, sizeof name);
	setting_text(c, "community.utc_offset", offset, sizeof offset);
	printf("kith-report: ");
	put_cell(stdout, name[0] ? name : "(unnamed community)",
	         strlen(name[0] ? name : "(unnamed community)"), 40, false);
	printf(" - %s%s\n", in->label, sample ? " (the built-in sample)" : "");
	if (s->events == 0) {
		printf("No events.\n");
		return;
	}
	printf("%s events, %s .. %s (UTC%s), %" PRId64 " days\n",
	       fmt_count(n1, sizeof n1, s->events), fmt_time(a, sizeof a, s->first_ms, off),
	       fmt_time(b, sizeof b, last, off), offset,
	       local_day(last, off) - local_day(s->first_ms, off) + 1);
	printf("Figures as of %s; %s messages in all.\n", fmt_time(a, sizeof a, now, off),
	       fmt_count(n2, sizeof n2, kith_community_message_count(c)));
	if (in->left_out)
		printf("%s later events of the trace left out (--now).\n",
		       fmt_count(n1, sizeof n1, in->left_out));
}

static void print_members(const kith_community *c, const struct totals *t, bool name_format)
{
	uint64_t ever = kith_community_member_count(c);
	char n1[32], n2[32], n3[32], p1[32], p2[32];
	section("MEMBERS");
	printf("  ever seen        %7s   present now      %7s   (%s left or removed)\n",
	       fmt_count(n1, sizeof n1, ever), fmt_count(n2, sizeof n2, t->present),
	       fmt_count(n3, sizeof n3, ever - t->present));
	printf("  spoke, ever      %7s   onlookers        %7s   (%s of present never spoke)\n",
	       fmt_count(n1, sizeof n1, t->spoke), fmt_count(n2, sizeof n2, t->onlookers),
	       fmt_share(p1, sizeof p1, t->onlookers, t->present));
	printf("  active in 7 days %7s   active in 30 days%7s   (%s / %s of present)\n",
	       fmt_count(n1, sizeof n1, t->active7), fmt_count(n2, sizeof n2, t->active30),
	       fmt_share(p1, sizeof p1, t->active7, t->present),
	       fmt_share(p2, sizeof p2, t->active30, t->present));
	if (t->unknown7 || t->unknown30)
		printf("  (cannot tell for %s / %s present members: their window reaches before "
		       "the 128 days the model holds of them; not counted)\n",
		       fmt_count(n1, sizeof n1, t->unknown7), fmt_count(n2, sizeof n2, t->unknown30));
	printf("  envelope-only    %7s   newcomers (3 d)  %7s   silent 7+ days: %s\n",
	       fmt_count(n1, sizeof n1, t->envelope_only), fmt_count(n2, sizeof n2, t->newcomers),
	       fmt_count(n3, sizeof n3, t->silent7));
	printf("  invites          %7s   invitees present %7s   ",
	       fmt_count(n1, sizeof n1, t->invites), fmt_count(n2, sizeof n2, t->invitees_present));
	if (t->invites)
		printf("(%s kept)\n", fmt_share(p1, sizeof p1, t->invitees_present, t->invites));
	else
		printf("(no invites)\n");
	if (name_format)
		printf("  display names    %7s   match the format %7s   (%s of present)\n",
		       fmt_count(n1, sizeof n1, t->named), fmt_count(n2, sizeof n2, t->compliant),
		       fmt_share(p1, sizeof p1, t->compliant, t->present));
	printf("  roles           ");
	{
		const char *sep = " ";
		for (uint32_t r = 0; r < kith_community_role_count(c) && r < KITH_ROLES_MAX; r++) {
			const char *name = kith_role_name(c, r);
			if (!name || t->role_holders[r] == 0)
				continue;
			printf("%s%s %s", sep, name, fmt_count(n1, sizeof n1, t->role_holders[r]));
			sep = ", ";
		}
		printf("%s\n", sep[0] == ' ' ? " none" : "");
	}
}

struct kind_count {
	int kind;
	uint64_t count;
};

static int cmp_kind(const void *a, const void *b)
{
	const struct kind_count *x = a, *y = b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return x->kind - y->kind;
}

/* The fewest members who together sent half the messages. */
static size_t half_writers(const int64_t *sorted_msgs, size_t n, uint64_t total)
{
	uint64_t half = 0;
	size_t fewest = 0;
	for (size_t i = 0; i < n && half * 2 < total; i++) {
		half += (uint64_t)sorted_msgs[i];
		fewest++;
	}
	return fewest;
}

/* A figure of the health diagnosis, NaN when it has none: the report
 * prints what health measured rather than measuring it again. */
static double health_figure(const kith_health *hl, kith_health_code code)
{
	size_t i;
	double figure = NAN;
	if (kith_health_find(hl, code, &i) == KITH_OK)
		kith_health_finding(hl, i, NULL, NULL, &figure, NULL, NULL);
	return figure;
}

static void print_messages(const kith_community *c, const struct totals *t,
                           const kith_health *hl, const int64_t *sorted_msgs, size_t n_members,
                           int64_t span_days)
{
	uint64_t total = kith_community_message_count(c);
	struct kind_count kc[KITH_KIND_COUNT];
	char n1[32], n2[32], n3[32], threshold[32];
	size_t fewest = 0;
	int col;

	section("MESSAGES");
	printf("  total           %8s   %s a day over %s days", fmt_count(n1, sizeof n1, total),
	       fmt_rate(n2, sizeof n2, total, span_days),
	       fmt_count(n3, sizeof n3, (uint64_t)span_days));
	/* Lately: health's messages-per-day, over the window its ledger holds. */
	double lately = health_figure(hl, KITH_HEALTH_MESSAGES_PER_DAY);
	if (isfinite(lately))
		printf("; lately %s a day (see HEALTH)\n", fmt_figure(n2, sizeof n2, lately));
	else
		printf("; lately: not measured (see HEALTH)\n");
	for (int k = 0; k < KITH_KIND_COUNT; k++)
		kc[k] = (struct kind_count){k, t->kinds[k]};
	qsort(kc, KITH_KIND_COUNT, sizeof kc[0], cmp_kind);
	printf("  by kind        ");
	col = 17;
	for (int k = 0; k < KITH_KIND_COUNT && kc[k].count > 0; k++) {
		char item[64];
		int len = snprintf(item, sizeof item, " %s %s (%s)", kind_names[kc[k].kind],
		                   fmt_count(n1, sizeof n1, kc[k].count),
		                   fmt_share(n2, sizeof n2, kc[k].count, total));
		if (col + len > 79) {
			printf("\n                 ");
			col = 17;
		}
		fputs(item, stdout);
		col += len;
	}
	printf("\n");
	setting_text(c, "value.high_threshold", threshold, sizeof threshold);
	printf("  value ratio     %8.2f   %s messages worth %s or more; side dishes (stickers) "
	       "%s\n",
	       kith_community_value_ratio(c), fmt_count(n1, sizeof n1, t->high_value), threshold,
	       fmt_share(n2, sizeof n2, t->kinds[KITH_KIND_STICKER], total));
	printf("  questions       %8s   feedback %s, complaints %" PRIu64 "\n",
	       fmt_count(n1, sizeof n1, t->questions), fmt_count(n2, sizeof n2, t->feedback),
	       t->complaints);
	fewest = half_writers(sorted_msgs, n_members, total);
	if (total > 0)
		printf("  concentration   %8s   members sent half the messages (%s of those who "
		       "spoke)\n",
		       fmt_count(n1, sizeof n1, fewest), fmt_share(n2, sizeof n2, fewest, t->spoke));
	printf("  red envelopes   %8s   sent; %s claims by %s members\n",
	       fmt_count(n1, sizeof n1, t->envelopes_sent),
	       fmt_count(n2, sizeof n2, t->envelopes_claimed),
	       fmt_count(n3, sizeof n3, t->claimers));
	printf("  activities      %8s   attendances; %s buyers; %s reports\n",
	       fmt_count(n1, sizeof n1, t->attended), fmt_count(n2, sizeof n2, t->buyers),
	       fmt_count(n3, sizeof n3, t->reports));
}

static void print_activity(const struct scan *s, int64_t now, int64_t off)
{
	uint64_t max = 1, hmax = 1;
	int64_t now_day = local_day(now, off);
	static const char levels[] = " .:-=+*#%@";
	int best[3] = {-1, -1, -1};

	section("ACTIVITY (local days; messages, joins, departures)");
	for (int i = 0; i < PROFILE_DAYS; i++)
		if (s->day_msgs[i] > max)
			max = s->day_msgs[i];
	for (int i = PROFILE_DAYS - 1; i >= 0; i--) {
		int64_t y;
		unsigned m, d;
		int64_t day = now_day - i;
		unsigned bar = (unsigned)((s->day_msgs[i] * 40 + max - 1) / max);
		civil_from_days(day, &y, &m, &d);
		printf("  %02u-%02u %s %6" PRIu64 " %4" PRIu64 " %4" PRIu64 "  ", m, d,
		       weekdays[((day % 7) + 7) % 7], s->day_msgs[i], s->day_joins[i],
		       s->day_leaves[i]);
		for (unsigned k = 0; k < bar; k++)
			putchar('#');
		putchar('\n');
	}
	for (int h = 0; h < 24; h++) {
		if (s->hour_msgs[h] > hmax)
			hmax = s->hour_msgs[h];
		for (int k = 0; k < 3; k++) {
			if (best[k] < 0 || s->hour_msgs[h] > s->hour_msgs[best[k]]) {
				for (int j = 2; j > k; j--)
					best[j] = best[j - 1];
				best[k] = h;
				break;
			}
		}
	}
	printf("  by hour, 30 days  |");
	for (int h = 0; h < 24; h++) {
		size_t level = (size_t)((s->hour_msgs[h] * 9 + hmax - 1) / hmax);
		putchar(levels[level]);
	}
	printf("|  busiest:");
	for (int k = 0; k < 3; k++)
		if (best[k] >= 0 && s->hour_msgs[best[k]] > 0)
			printf(" %02d:00", best[k]);
	printf("\n                     0     6     12    18   23\n");
}

/* Interactions by kind over the graph, and the pairs who replied to each
 * other. */
static void graph_totals(const kith_community *c, uint64_t sum[4], size_t *mutual_out)
{
	size_t edges = kith_community_edge_count(c), mutual = 0;
	for (int k = 0; k < 4; k++)
		sum[k] = 0;
	for (size_t i = 0; i < edges; i++) {
		uint32_t src, dst, counts[4], back = 0;
		if (kith_community_edge(c, i, &src, &dst, counts) != KITH_OK)
			continue;
		for (int k = 0; k < 4; k++)
			sum[k] += counts[k];
		if (counts[KITH_INTERACTION_REPLY] > 0 && src < dst &&
		    kith_community_interactions(c, dst, src, KITH_INTERACTION_REPLY, &back) ==
		            KITH_OK &&
		    back > 0)
			mutual++;
	}
	*mutual_out = mutual;
}

static void print_graph(const kith_community *c)
{
	size_t edges = kith_community_edge_count(c), mutual = 0;
	uint64_t sum[4];
	char n1[32], n2[32], n3[32], n4[32], n5[32];
	graph_totals(c, sum, &mutual);
	section("INTERACTIONS");
	printf("  graph %s directed edges: replies %s (mentions %s), reactions %s, invites %s\n",
	       fmt_count(n1, sizeof n1, edges),
	       fmt_count(n2, sizeof n2, sum[KITH_INTERACTION_REPLY]),
	       fmt_count(n3, sizeof n3, sum[KITH_INTERACTION_MENTION]),
	       fmt_count(n4, sizeof n4, sum[KITH_INTERACTION_REACTION]),
	       fmt_count(n5, sizeof n5, sum[KITH_INTERACTION_INVITE]));
	printf("  %s pairs of members replied to each other\n", fmt_count(n1, sizeof n1, mutual));
}

static void print_top(const kith_community *c, struct row *rows, size_t n, const char *half_life)
{
	size_t shown = 0;
	section("TOP CONTRIBUTORS (decayed contribution score)");
	printf("   # %-16s %-18s %7s %6s %11s %4s  %s\n", "id", "name", "score", "msgs",
	       "given/recv", "d30", "roles");
	qsort(rows, n, sizeof *rows, cmp_score);
	for (size_t i = 0; i < n && shown < TOP_CONTRIBUTORS; i++) {
		char roles[128], rr[48], msgs[32], d30[16];
		if (rows[i].score <= 0)
			break;
		role_list(c, rows[i].h, roles, sizeof roles);
		snprintf(rr, sizeof rr, "%" PRId64 "/%" PRId64, rows[i].replies_given,
		         rows[i].replies_received);
		printf("  %2zu ", ++shown);
		put_member_id(stdout, c, rows[i].h, 16);
		putchar(' ');
		put_member_name(stdout, c, rows[i].h, 18);
		/* "?": the model no longer holds the member's 30 days */
		if (rows[i].days30_known)
			snprintf(d30, sizeof d30, "%" PRIu32, rows[i].days30);
		else
			snprintf(d30, sizeof d30, "?");
		printf(" %7.2f %6s %11s %4s  ", rows[i].score,
		       fmt_count(msgs, sizeof msgs, (uint64_t)rows[i].messages), rr, d30);
		put_cell(stdout, roles, strlen(roles), 14, false);
		putchar('\n');
	}
	if (shown == 0)
		printf("  nobody has contributed yet\n");
	else
		printf("  (half-life %g days; d30 = active days of the last 30)\n",
		       strtod(half_life, NULL));
}

static void print_repliers(const kith_community *c, struct row *rows, size_t n)
{
	size_t shown = 0;
	section("BUSIEST REPLIERS");
	qsort(rows, n, sizeof *rows, cmp_replies);
	for (size_t i = 0; i < n && shown < TOP_REPLIERS; i++) {
		if (rows[i].replies_given <= 0)
			break;
		printf("  %2zu ", ++shown);
		put_member_id(stdout, c, rows[i].h, 16);
		putchar(' ');
		put_member_name(stdout, c, rows[i].h, 18);
		printf(" %5" PRId64 " replies given, %5" PRId64 " received\n",
		       rows[i].replies_given, rows[i].replies_received);
	}
	if (shown == 0)
		printf("  nobody has replied to anyone yet\n");
}

static void print_digest(const kith_community *c, const struct digest_line *dg, size_t n,
                         int64_t off)
{
	char day[32];
	int64_t when = dg[0].kind >= 0 ? dg[0].time_ms : kith_community_last_event_ms(c);
	if (n == 0) {
		section("DIGEST");
		printf("  no messages yet\n");
		return;
	}
	/* The digest is of one local day: that of its best message. */
	fmt_time(day, sizeof day, when, off);
	*strchr(day, ' ') = '\0';
	printf("\nDIGEST (the best messages of the latest day, %s)\n", day);
	for (size_t i = 0; i < n; i++) {
		printf("  %2zu %5.2f ", i + 1, dg[i].value);
		put_member_id(stdout, c, dg[i].author, 16);
		putchar(' ');
		if (dg[i].text_len > 0) {
			put_cell(stdout, dg[i].text, dg[i].text_len, 52, false);
		} else {
			printf("[%s ", dg[i].kind >= 0 ? kind_names[dg[i].kind] : "message");
			put_cell(stdout, dg[i].id, dg[i].id_len, 30, false);
			putchar(']');
		}
		putchar('\n');
	}
}

/* The cleanup engine's dry run with the community's cleanup.* settings. */
static void print_cleanup(const kith_community *c, const kith_cleanup_plan *p, const char *error)
{
	char n1[32], n2[32], n3[32];
	section("CLEANUP (a dry run: whom to warn, whom to remove)");
	if (!p) {
		printf("  no plan: %s\n", error);
		return;
	}
	int64_t v[16] = {0};
	static const kith_cleanup_summary what[] = {
	    KITH_CLEANUP_SUMMARY_CANDIDATES,         KITH_CLEANUP_SUMMARY_WAITING,
	    KITH_CLEANUP_SUMMARY_PROTECTED,          KITH_CLEANUP_SUMMARY_PROTECTED_ALLOWED,
	    KITH_CLEANUP_SUMMARY_PROTECTED_ROLE,     KITH_CLEANUP_SUMMARY_PROTECTED_NEWCOMER,
	    KITH_CLEANUP_SUMMARY_PROTECTED_PURCHASE, KITH_CLEANUP_SUMMARY_PROTECTED_ATTENDANCE,
	    KITH_CLEANUP_SUMMARY_NEEDED,             KITH_CLEANUP_SUMMARY_TARGET_MET,
	};
	for (size_t k = 0; k < sizeof what / sizeof what[0]; k++)
		kith_cleanup_plan_summary(p, what[k], &v[k]);
	size_t count = kith_cleanup_plan_count(p);
	printf("  %s proposed, %s waiting on an ultimatum; %s more spared (allow-list %" PRId64
	       ", protected role %" PRId64 ", newcomer %" PRId64 ", purchase %" PRId64
	       ", attendance %" PRId64 ")\n",
	       fmt_count(n1, sizeof n1, (uint64_t)v[0]), fmt_count(n2, sizeof n2, (uint64_t)v[1]),
	       fmt_count(n3, sizeof n3, (uint64_t)v[2]), v[3], v[4], v[5], v[6], v[7]);
	if (v[8] >= 0)
		printf("  the targets call for %" PRId64 " %s\n", v[8],
		       v[9] ? "removals" : "removals, more than there are candidates");
	if (count < (size_t)v[0] && v[8] < 0)
		printf("  (cleanup.max_per_run lists %zu of them)\n", count);
	for (size_t i = 0; i < count && i < CLEANUP_SHOWN; i++) {
		uint32_t h;
		kith_cleanup_stage stage;
		kith_cleanup_reason reason;
		kith_cleanup_plan_entry(p, i, &h, &stage, &reason);
		printf("  %2zu %-9s ", i + 1, kith_cleanup_stage_name(stage));
		put_member_id(stdout, c, h, 16);
		putchar(' ');
		put_member_name(stdout, c, h, 18);
		printf("\n       %s\n", kith_cleanup_plan_explanation(p, i));
	}
	if (count > CLEANUP_SHOWN)
		printf("  ... and %s more\n", fmt_count(n1, sizeof n1, count - CLEANUP_SHOWN));
}

/* The health diagnosis with the community's health.* settings. */
static void print_health(const kith_health *hl, const char *error)
{
	section("HEALTH");
	if (!hl) {
		printf("  no diagnosis: %s\n", error);
		return;
	}
	for (size_t i = 0; i < kith_health_count(hl); i++) {
		kith_health_code code;
		kith_severity severity;
		kith_health_finding(hl, i, &code, &severity, NULL, NULL, NULL);
		printf("  %-8s %-20s %s\n", kith_severity_name(severity), kith_health_code_name(code),
		       kith_health_explanation(hl, i));
	}
	printf("  worst: %s\n", kith_severity_name(kith_health_worst(hl)));
}

/* ---- rules: what the verdicts said while the trace was replayed ------------ */

#define VERDICTS_SHOWN 6

struct verdict_tally {
	uint64_t verdicts, events;             /* verdicts, and events that left any */
	uint64_t by_action[KITH_ACTION_REWARD + 1];
	uint64_t by_rule[KITH_RULES_MAX];      /* by the rule's position */
	unsigned char *members;                /* members given a verdict (1 each) */
	size_t members_cap;
	uint64_t member_count;
	char shown[VERDICTS_SHOWN][240];
	size_t shown_n;
};

/* Count the verdicts the last event left. False when out of memory. */
static bool tally_verdicts(const kith_community *c, struct verdict_tally *t)
{
	size_t nv = kith_community_verdict_count(c);
	t->events += nv > 0;
	for (size_t i = 0; i < nv; i++) {
		kith_action a = kith_verdict_action(c, i);
		uint32_t m = kith_verdict_member(c, i);
		const char *rule = kith_verdict_rule(c, i);
		t->verdicts++;
		if (a >= KITH_ACTION_LOG && a <= KITH_ACTION_REWARD)
			t->by_action[a]++;
		for (size_t r = 0; r < kith_rule_count(c) && r < KITH_RULES_MAX; r++)
			if (strcmp(kith_rule_name(c, r), rule) == 0)
				t->by_rule[r]++;
		if (m >= t->members_cap) {
			size_t cap = t->members_cap ? t->members_cap : 1024;
			while (cap <= m)
				cap *= 2;
			unsigned char *grown = realloc(t->members, cap);
			if (!grown)
				return false;
			memset(grown + t->members_cap, 0, cap - t->members_cap);
			t->members = grown;
			t->members_cap = cap;
		}
		t->member_count += !t->members[m];
		t->members[m] = 1;
		/* Examples: the first verdict of each kind (rule and action). */
		char kind[KITH_RULE_NAME_MAX + 16];
		snprintf(kind, sizeof kind, "%s, rule %s:", kith_action_name(a), rule);
		bool seen = false;
		for (size_t k = 0; k < t->shown_n && !seen; k++)
			seen = strncmp(t->shown[k], kind, strlen(kind)) == 0 && t->shown[k][strlen(kind)] == ' ';
		if (!seen && t->shown_n < VERDICTS_SHOWN)
			snprintf(t->shown[t->shown_n++], sizeof t->shown[0], "%s %.*s", kind, 160,
			         kith_verdict_text(c, i));
	}
	return true;
}

/* Progress of a long replay on stderr: only on a terminal, only once the
 * replay has taken a second, updated in place at most ten times a second
 * and wiped at the end. */
struct progress {
	bool on;    /* stderr is a terminal and --quiet was not given */
	bool shown; /* a line is on the screen */
	double start, last;
};

static double seconds_now(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void progress_update(struct progress *pg, size_t done, size_t total, uint64_t lines)
{
	double t = seconds_now();
	char n[32];
	if (t - pg->start < 1.0 || t - pg->last < 0.1)
		return;
	pg->last = t;
	pg->shown = true;
	fprintf(stderr, "\rkith-report: replaying %3u%% (%s lines)",
	        (unsigned)(total ? (double)done * 100.0 / (double)total : 100.0),
	        fmt_count(n, sizeof n, lines));
	fflush(stderr);
}

static void progress_end(struct progress *pg)
{
	if (pg->shown)
		fputs("\r\033[K", stderr);
}

/* The trace a line at a time, as kith_community_ingest_trace reads it (a
 * byte order mark skipped), counting the verdicts of each event. */
static kith_status ingest_tallying(kith_community *c, const char *buf, size_t len, uint64_t *lines,
                                   struct verdict_tally *t, bool quiet)
{
	const char *p = buf, *end = buf + len;
	struct progress pg = {!quiet && isatty(STDERR_FILENO), false, 0, 0};
	if (pg.on)
		pg.start = pg.last = seconds_now();
	*lines = 0;
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		kith_status st = kith_community_ingest_trace_line(c, p, (size_t)(eol - p), *lines + 1);
		if (st != KITH_OK) {
			progress_end(&pg);
			return st;
		}
		++*lines;
		if (!tally_verdicts(c, t)) {
			progress_end(&pg);
			return KITH_ENOMEM;
		}
		p = nl ? nl + 1 : end;
		if (pg.on && (*lines & 4095) == 0)
			progress_update(&pg, (size_t)(p - buf), len, *lines);
	}
	progress_end(&pg);
	return KITH_OK;
}

static void print_rules(const kith_community *c, const struct verdict_tally *t)
{
	char n1[32], n2[32], n3[32];
	section("RULES (verdicts while replaying: what the bot would have done)");
	size_t rules = kith_rule_count(c);
	if (rules == 0) {
		printf("  no rules (a charter's [rule NAME] sections add them)\n");
		return;
	}
	printf("  %zu rules:", rules);
	for (size_t r = 0; r < rules; r++)
		printf("%s %s", r ? "," : "", kith_rule_name(c, r));
	printf("\n  %s verdicts on %s events, to %s members\n",
	       fmt_count(n1, sizeof n1, t->verdicts), fmt_count(n2, sizeof n2, t->events),
	       fmt_count(n3, sizeof n3, t->member_count));
	if (t->verdicts == 0)
		return;
	printf("  by action:");
	bool first = true;
	for (int a = KITH_ACTION_LOG; a <= KITH_ACTION_REWARD; a++) {
		if (!t->by_action[a])
			continue;
		printf("%s %s %s", first ? "" : ",", kith_action_name((kith_action)a),
		       fmt_count(n1, sizeof n1, t->by_action[a]));
		first = false;
	}
	printf("\n  by rule:  ");
	first = true;
	for (size_t r = 0; r < rules && r < KITH_RULES_MAX; r++) {
		if (!t->by_rule[r])
			continue;
		printf("%s %s %s", first ? "" : ",", kith_rule_name(c, r),
		       fmt_count(n1, sizeof n1, t->by_rule[r]));
		first = false;
	}
	printf("\n");
	for (size_t i = 0; i < t->shown_n; i++)
		printf("  %s\n", t->shown[i]);
}

/* ---- --json: the same figures as one JSON document ----------------------- */

/* A JSON writer that places the commas: one "first" flag per open level. */
struct json {
	FILE *f;
	int depth;
	bool first[16];
};

static void json_sep(struct json *j)
{
	if (j->depth > 0 && !j->first[j->depth - 1])
		fputc(',', j->f);
	if (j->depth > 0)
		j->first[j->depth - 1] = false;
}

/* A JSON string: quotes, backslashes and control characters escaped,
 * bytes that are not UTF-8 as U+FFFD. */
static void json_put_string(FILE *f, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t used;
	fputc('"', f);
	for (size_t i = 0; i < n; i += used) {
		uint32_t cp = utf8_next(p + i, n - i, &used);
		if (cp == '"' || cp == '\\')
			fprintf(f, "\\%c", (char)cp);
		else if (cp < 0x20 || cp == 0x7F)
			fprintf(f, "\\u%04x", (unsigned)cp);
		else if (cp == 0xFFFD && !(used == 3 && p[i] == 0xEF))
			fputs("\\ufffd", f);
		else
			fwrite(p + i, 1, used, f);
	}
	fputc('"', f);
}

static void json_key(struct json *j, const char *key)
{
	json_sep(j);
	json_put_string(j->f, key, strlen(key));
	fputc(':', j->f);
	/* The value that follows takes no comma of its own. */
	j->first[j->depth] = true;
	j->depth++;
}

static void json_value_done(struct json *j, bool keyed)
{
	if (keyed)
		j->depth--;
}

static void json_open(struct json *j, const char *key, char bracket)
{
	if (key)
		json_key(j, key);
	else
		json_sep(j);
	fputc(bracket, j->f);
	j->first[j->depth++] = true;
}

static void json_close(struct json *j, const char *key, char bracket)
{
	fputc(bracket, j->f);
	j->depth--;
	json_value_done(j, key != NULL);
}

static void json_u64(struct json *j, const char *key, uint64_t v)
{
	if (key)
		json_key(j, key);
	else
		json_sep(j);
	fprintf(j->f, "%" PRIu64, v);
	json_value_done(j, key != NULL);
}

static void json_i64(struct json *j, const char *key, int64_t v)
{
	if (key)
		json_key(j, key);
	else
		json_sep(j);
	if (v == KITH_TIME_NONE)
		fputs("null", j->f);
	else
		fprintf(j->f, "%" PRId64, v);
	json_value_done(j, key != NULL);
}

/* A number; null when it is not finite (a figure that cannot be measured). */
static void json_num(struct json *j, const char *key, double v)
{
	if (key)
		json_key(j, key);
	else
		json_sep(j);
	if (isfinite(v))
		fprintf(j->f, "%.9g", v);
	else
		fputs("null", j->f);
	json_value_done(j, key != NULL);
}

static void json_str(struct json *j, const char *key, const char *s, size_t n)
{
	if (key)
		json_key(j, key);
	else
		json_sep(j);
	if (s)
		json_put_string(j->f, s, n);
	else
		fputs("null", j->f);
	json_value_done(j, key != NULL);
}

static void json_bool(struct json *j, const char *key, bool v)
{
	json_key(j, key);
	fputs(v ? "true" : "false", j->f);
	json_value_done(j, true);
}

/* A library object rendered by one of its _to_json functions. */
typedef kith_status (*to_json_fn)(const void *obj, char *buf, size_t size, size_t *needed);

static kith_status health_json(const void *o, char *b, size_t s, size_t *n)
{
	return kith_health_to_json(o, b, s, n);
}

static kith_status cleanup_json(const void *o, char *b, size_t s, size_t *n)
{
	return kith_cleanup_plan_to_json(o, b, s, n);
}

/* False when out of memory. */
static bool json_library(struct json *j, const char *key, const void *obj, to_json_fn fn)
{
	size_t needed = 0;
	char *buf;
	json_key(j, key);
	if (!obj) {
		fputs("null", j->f);
		json_value_done(j, true);
		return true;
	}
	fn(obj, NULL, 0, &needed);
	buf = malloc(needed + 1);
	if (!buf)
		return false;
	fn(obj, buf, needed + 1, &needed);
	fwrite(buf, 1, needed, j->f);
	free(buf);
	json_value_done(j, true);
	return true;
}

static void json_member(struct json *j, const kith_community *c, const struct row *r)
{
	size_t n = 0;
	const char *s;
	char roles[256];
	json_open(j, NULL, '{');
	s = kith_member_id(c, r->h, &n);
	json_str(j, "id", s ? s : "", s ? n : 0);
	s = kith_member_display_name(c, r->h, &n);
	json_str(j, "name", s, n);
	json_num(j, "score", r->score);
	json_i64(j, "messages", r->messages);
	json_i64(j, "replies_given", r->replies_given);
	json_i64(j, "replies_received", r->replies_received);
	json_key(j, "active_days_30");
	if (r->days30_known)
		fprintf(j->f, "%" PRIu32, r->days30);
	else
		fputs("null", j->f);
	json_value_done(j, true);
	json_open(j, "roles", '[');
	role_list(c, r->h, roles, sizeof roles);
	for (char *p = roles; *p;) {
		size_t len = strcspn(p, ",");
		json_str(j, NULL, p, len);
		p += len + (p[len] == ',');
	}
	json_close(j, "roles", ']');
	json_close(j, NULL, '}');
}

/* What the JSON document is made of, as the text report computes it. */
struct report_data {
	kith_community *c;
	const struct input *in;
	int64_t now, off, span_days;
	bool sample, name_format;
	const struct totals *t;
	const struct scan *s;
	struct row *rows;
	size_t n;
	const int64_t *sorted_msgs;
	const struct digest_line *dg;
	size_t dg_count;
	const struct verdict_tally *verdicts;
	const kith_health *hl;
	const kith_cleanup_plan *plan;
};

static void json_header(struct json *j, const struct report_data *d)
{
	char name[300], offset[32];
	setting_text(d->c, "community.name", name, sizeof name);
	setting_text(d->c, "community.utc_offset", offset, sizeof offset);
	json_u64(j, "format", 1);
	json_str(j, "source", d->in->label, strlen(d->in->label));
	json_bool(j, "sample", d->sample);
	json_open(j, "community", '{');
	json_str(j, "name", name, strlen(name));
	json_str(j, "utc_offset", offset, strlen(offset));
	json_close(j, "community", '}');
	json_open(j, "figures", '{');
	json_u64(j, "events", d->s->events);
	json_i64(j, "first_event_ms", d->s->events ? d->s->first_ms : KITH_TIME_NONE);
	json_i64(j, "last_event_ms", kith_community_last_event_ms(d->c));
	json_i64(j, "now_ms", d->s->events ? d->now : KITH_TIME_NONE);
	json_i64(j, "days", d->span_days);
	json_u64(j, "messages", kith_community_message_count(d->c));
	json_u64(j, "left_out", d->in->left_out);
	json_close(j, "figures", '}');
}

static void json_members(struct json *j, const struct report_data *d)
{
	const struct totals *t = d->t;
	uint64_t ever = kith_community_member_count(d->c);
	json_open(j, "members", '{');
	json_u64(j, "ever", ever);
	json_u64(j, "present", t->present);
	json_u64(j, "left", ever - t->present);
	json_u64(j, "spoke", t->spoke);
	json_u64(j, "onlookers", t->onlookers);
	json_u64(j, "active_7", t->active7);
	json_u64(j, "active_30", t->active30);
	json_u64(j, "unknown_7", t->unknown7);
	json_u64(j, "unknown_30", t->unknown30);
	json_u64(j, "envelope_only", t->envelope_only);
	json_u64(j, "newcomers_3d", t->newcomers);
	json_u64(j, "silent_7", t->silent7);
	json_u64(j, "invites", t->invites);
	json_u64(j, "invitees_present", t->invitees_present);
	json_u64(j, "named", t->named);
	json_key(j, "name_compliant");
	if (d->name_format)
		fprintf(j->f, "%" PRIu64, t->compliant);
	else
		fputs("null", j->f);
	json_value_done(j, true);
	json_open(j, "roles", '{');
	for (uint32_t r = 0; r < kith_community_role_count(d->c) && r < KITH_ROLES_MAX; r++) {
		const char *name = kith_role_name(d->c, r);
		if (name)
			json_u64(j, name, t->role_holders[r]);
	}
	json_close(j, "roles", '}');
	json_close(j, "members", '}');
}

static void json_messages(struct json *j, const struct report_data *d)
{
	const struct totals *t = d->t;
	uint64_t total = kith_community_message_count(d->c);
	json_open(j, "messages", '{');
	json_u64(j, "total", total);
	json_num(j, "per_day", d->span_days > 0 ? (double)total / (double)d->span_days : 0);
	json_num(j, "lately_per_day", health_figure(d->hl, KITH_HEALTH_MESSAGES_PER_DAY));
	json_open(j, "by_kind", '{');
	for (int k = 0; k < KITH_KIND_COUNT; k++)
		json_u64(j, kind_names[k], t->kinds[k]);
	json_close(j, "by_kind", '}');
	json_num(j, "value_ratio", kith_community_value_ratio(d->c));
	json_u64(j, "high_value", t->high_value);
	json_u64(j, "questions", t->questions);
	json_u64(j, "feedback", t->feedback);
	json_u64(j, "complaints", t->complaints);
	json_u64(j, "half_writers", half_writers(d->sorted_msgs, d->n, total));
	json_u64(j, "envelopes_sent", t->envelopes_sent);
	json_u64(j, "envelopes_claimed", t->envelopes_claimed);
	json_u64(j, "claimers", t->claimers);
	json_u64(j, "attendances", t->attended);
	json_u64(j, "buyers", t->buyers);
	json_u64(j, "reports", t->reports);
	json_close(j, "messages", '}');
}

static void json_activity(struct json *j, const struct report_data *d)
{
	int64_t now_day = local_day(d->now, d->off);
	json_open(j, "activity", '{');
	json_open(j, "days", '[');
	for (int i = PROFILE_DAYS - 1; i >= 0; i--) {
		int64_t y;
		unsigned m, dd;
		char date[32];
		civil_from_days(now_day - i, &y, &m, &dd);
		snprintf(date, sizeof date, "%04" PRId64 "-%02u-%02u", y, m, dd);
		json_open(j, NULL, '{');
		json_str(j, "date", date, strlen(date));
		json_u64(j, "messages", d->s->day_msgs[i]);
		json_u64(j, "joins", d->s->day_joins[i]);
		json_u64(j, "departures", d->s->day_leaves[i]);
		json_close(j, NULL, '}');
	}
	json_close(j, "days", ']');
	json_open(j, "hours_30_days", '[');
	for (int h = 0; h < 24; h++)
		json_u64(j, NULL, d->s->hour_msgs[h]);
	json_close(j, "hours_30_days", ']');
	json_close(j, "activity", '}');
}

static void json_interactions(struct json *j, const kith_community *c)
{
	uint64_t sum[4];
	size_t mutual;
	graph_totals(c, sum, &mutual);
	json_open(j, "interactions", '{');
	json_u64(j, "edges", kith_community_edge_count(c));
	json_u64(j, "replies", sum[KITH_INTERACTION_REPLY]);
	json_u64(j, "mentions", sum[KITH_INTERACTION_MENTION]);
	json_u64(j, "reactions", sum[KITH_INTERACTION_REACTION]);
	json_u64(j, "invites", sum[KITH_INTERACTION_INVITE]);
	json_u64(j, "mutual_pairs", mutual);
	json_close(j, "interactions", '}');
}

static void json_rankings(struct json *j, const struct report_data *d)
{
	size_t shown = 0;
	qsort(d->rows, d->n, sizeof *d->rows, cmp_score);
	json_open(j, "contributors", '[');
	for (size_t i = 0; i < d->n && shown < TOP_CONTRIBUTORS && d->rows[i].score > 0; i++, shown++)
		json_member(j, d->c, &d->rows[i]);
	json_close(j, "contributors", ']');
	shown = 0;
	qsort(d->rows, d->n, sizeof *d->rows, cmp_replies);
	json_open(j, "repliers", '[');
	for (size_t i = 0; i < d->n && shown < TOP_REPLIERS && d->rows[i].replies_given > 0;
	     i++, shown++)
		json_member(j, d->c, &d->rows[i]);
	json_close(j, "repliers", ']');
}

static void json_digest(struct json *j, const struct report_data *d)
{
	json_open(j, "digest", '[');
	for (size_t i = 0; i < d->dg_count; i++) {
		const struct digest_line *g = &d->dg[i];
		size_t n = 0;
		const char *author = kith_member_id(d->c, g->author, &n);
		json_open(j, NULL, '{');
		json_str(j, "id", g->id, g->id_len);
		json_str(j, "author", author ? author : "", author ? n : 0);
		json_num(j, "value", g->value);
		json_str(j, "kind", g->kind >= 0 ? kind_names[g->kind] : NULL,
		         g->kind >= 0 ? strlen(kind_names[g->kind]) : 0);
		json_i64(j, "time_ms", g->kind >= 0 ? g->time_ms : KITH_TIME_NONE);
		json_str(j, "text", g->text, g->text_len);
		json_close(j, NULL, '}');
	}
	json_close(j, "digest", ']');
}

static void json_rules(struct json *j, const struct report_data *d)
{
	const struct verdict_tally *t = d->verdicts;
	size_t rules = kith_rule_count(d->c);
	json_open(j, "rules", '{');
	json_u64(j, "verdicts", t->verdicts);
	json_u64(j, "events", t->events);
	json_u64(j, "members", t->member_count);
	json_open(j, "by_action", '{');
	for (int a = KITH_ACTION_LOG; a <= KITH_ACTION_REWARD; a++)
		if (t->by_action[a])
			json_u64(j, kith_action_name((kith_action)a), t->by_action[a]);
	json_close(j, "by_action", '}');
	json_open(j, "by_rule", '{');
	for (size_t r = 0; r < rules && r < KITH_RULES_MAX; r++)
		json_u64(j, kith_rule_name(d->c, r), t->by_rule[r]);
	json_close(j, "by_rule", '}');
	json_open(j, "examples", '[');
	for (size_t i = 0; i < t->shown_n; i++)
		json_str(j, NULL, t->shown[i], strlen(t->shown[i]));
	json_close(j, "examples", ']');
	json_close(j, "rules", '}');
}

/* The whole report as one JSON document (report.schema.json). */
static int report_json(const struct report_data *d)
{
	struct json j = {stdout, 0, {false}};
	json_open(&j, NULL, '{');
	json_header(&j, d);
	json_members(&j, d);
	json_messages(&j, d);
	json_activity(&j, d);
	json_interactions(&j, d->c);
	json_rankings(&j, d);
	json_digest(&j, d);
	json_rules(&j, d);
	if (!json_library(&j, "cleanup", d->plan, cleanup_json) ||
	    !json_library(&j, "health", d->hl, health_json)) {
		fprintf(stderr, "kith-report: out of memory\n");
		return EXIT_FAILURE;
	}
	json_close(&j, NULL, '}');
	fputc('\n', stdout);
	return 0;
}

static int report(kith_community *c, const struct input *in, int64_t now, bool sample,
                  const struct verdict_tally *verdicts, bool json)
{
	size_t n = kith_community_member_count(c), dg_count = kith_community_digest_count(c);
	int64_t off = utc_offset_ms(c);
	struct row *rows = calloc(n ? n : 1, sizeof *rows);
	int64_t *msgs = calloc(n ? n : 1, sizeof *msgs);
	struct digest_line *dg = calloc(dg_count ? dg_count : 1, sizeof *dg);
	struct totals t;
	struct scan s;
	char format[8], half_life[32];
	int64_t span_days = 0;

	if (!rows || !msgs || !dg) {
		free(rows);
		free(msgs);
		free(dg);
		fprintf(stderr, "kith-report: out of memory\n");
		return EXIT_FAILURE;
	}
	memset(&t, 0, sizeof t);
	for (size_t i = 0; i < n; i++) {
		uint32_t h = (uint32_t)i, d7 = 0, d30 = 0;
		struct row *r = &rows[i];
		bool present = stat_of(c, h, KITH_STAT_PRESENT) != 0;
		int64_t last_msg = stat_of(c, h, KITH_STAT_LAST_MSG_MS);
		r->h = h;
		r->messages = stat_of(c, h, KITH_STAT_MESSAGES);
		r->replies_given = stat_of(c, h, KITH_STAT_REPLIES_GIVEN);
		r->replies_received = stat_of(c, h, KITH_STAT_REPLIES_RECEIVED);
		kith_member_score(c, h, now, &r->score);
		bool known7 = kith_member_active_days(c, h, now, 7, &d7) == KITH_OK;
		r->days30_known = kith_member_active_days(c, h, now, 30, &d30) == KITH_OK;
		r->days30 = d30;
		t.unknown7 += present && !known7;
		t.unknown30 += present && !r->days30_known;
		msgs[i] = r->messages;

		t.present += present;
		t.spoke += r->messages > 0;
		/* Shares below are of present members: count the present only. */
		t.active7 += present && d7 > 0;
		t.active30 += present && d30 > 0;
		for (int k = 0; k < KITH_KIND_COUNT; k++)
			t.kinds[k] += (uint64_t)stat_of(c, h, (kith_stat)(KITH_STAT_KIND_BASE + k));
		t.questions += (uint64_t)stat_of(c, h, KITH_STAT_QUESTIONS);
		t.feedback += (uint64_t)stat_of(c, h, KITH_STAT_FEEDBACK);
		t.complaints += (uint64_t)stat_of(c, h, KITH_STAT_COMPLAINTS);
		t.envelopes_sent += (uint64_t)stat_of(c, h, KITH_STAT_ENVELOPES_SENT);
		{
			int64_t claimed = stat_of(c, h, KITH_STAT_ENVELOPES_CLAIMED);
			t.envelopes_claimed += (uint64_t)claimed;
			t.claimers += claimed > 0;
			/* Onlookers: present and never spoke, envelope claimers
			 * among them (as health counts lurkers). */
			t.onlookers += present && r->messages == 0;
			t.envelope_only += present && r->messages == 0 && claimed > 0;
		}
		t.attended += (uint64_t)stat_of(c, h, KITH_STAT_ATTENDED);
		t.invites += (uint64_t)stat_of(c, h, KITH_STAT_INVITES);
		t.invitees_present += (uint64_t)stat_of(c, h, KITH_STAT_INVITEES_PRESENT);
		t.reports += (uint64_t)stat_of(c, h, KITH_STAT_REPORTS_RECEIVED);
		t.high_value += (uint64_t)stat_of(c, h, KITH_STAT_HIGH_VALUE);
		t.buyers += stat_of(c, h, KITH_STAT_LAST_PURCHASE_MS) != KITH_TIME_NONE;
		if (present) {
			if (stat_of(c, h, KITH_STAT_JOINED_MS) >= add_sat(now, -NEWCOMER_MS))
				t.newcomers++;
			if (r->messages > 0 && last_msg < add_sat(now, -7 * MS_DAY))
				t.silent7++;
			size_t name_len;
			if (kith_member_display_name(c, h, &name_len))
				t.named++;
			t.compliant += stat_of(c, h, KITH_STAT_NAME_COMPLIANT) != 0;
		}
		for (uint32_t role = 0;
		     role < kith_community_role_count(c) && role < KITH_ROLES_MAX; role++)
			t.role_holders[role] += (uint64_t)kith_member_has_role(c, h, role);
	}
	qsort(msgs, n, sizeof *msgs, cmp_desc_i64);

	for (size_t i = 0; i < dg_count; i++) {
		dg[i].kind = -1;
		if (kith_community_digest_entry(c, i, &dg[i].id, &dg[i].id_len, &dg[i].author,
		                                &dg[i].value) != KITH_OK)
			dg_count = i;
	}
	scan_trace(in, now, off, &s, dg, dg_count);
	if (s.events > 0)
		span_days = local_day(kith_community_last_event_ms(c), off) -
		            local_day(s.first_ms, off) + 1;

	setting_text(c, "community.name_format", format, sizeof format);
	setting_text(c, "value.half_life_days", half_life, sizeof half_life);
	/* The engines' results, made once for every section that shows them. */
	kith_health *hl = NULL;
	kith_cleanup_plan *plan = NULL;
	char health_error[512] = "", cleanup_error[512] = "";
	if (kith_health_new(c, now, &hl) != KITH_OK)
		snprintf(health_error, sizeof health_error, "%s", kith_community_last_error(c));
	if (kith_cleanup_plan_new(c, now, &plan) != KITH_OK)
		snprintf(cleanup_error, sizeof cleanup_error, "%s", kith_community_last_error(c));
	if (json) {
		struct report_data d = {c,    in,   now,  off,  span_days, sample,   format[0] != '\0',
		                        &t,   &s,   rows, n,    msgs,      dg,       dg_count,
		                        verdicts, hl, plan};
		int status = report_json(&d);
		kith_health_free(hl);
		kith_cleanup_plan_free(plan);
		free(rows);
		free(msgs);
		free(dg);
		return status;
	}
	print_header(c, in, &s, now, off, sample);
	if (s.events > 0) {
		print_members(c, &t, format[0] != '\0');
		print_messages(c, &t, hl, msgs, n, span_days);
		print_activity(&s, now, off);
		print_graph(c);
		print_top(c, rows, n, half_life);
		print_repliers(c, rows, n);
		print_digest(c, dg, dg_count, off);
		print_rules(c, verdicts);
		print_cleanup(c, plan, cleanup_error);
		print_health(hl, health_error);
	}
	kith_health_free(hl);
	kith_cleanup_plan_free(plan);
	free(rows);
	free(msgs);
	free(dg);
	return 0;
}

static int print_member_lines(const kith_community *c, int64_t now)
{
	size_t n = kith_community_member_count(c), size = 512, needed = 0;
	char *buf = malloc(size);
	if (!buf) {
		fprintf(stderr, "kith-report: out of memory\n");
		return EXIT_FAILURE;
	}
	for (size_t i = 0; i < n; i++) {
		kith_status st = kith_member_to_json(c, (uint32_t)i, now, buf, size, &needed);
		if (st == KITH_OK && needed >= size) {
			char *bigger = realloc(buf, needed + 1);
			if (!bigger) {
				free(buf);
				fprintf(stderr, "kith-report: out of memory\n");
				return EXIT_FAILURE;
			}
			buf = bigger;
			size = needed + 1;
			st = kith_member_to_json(c, (uint32_t)i, now, buf, size, &needed);
		}
		if (st != KITH_OK) {
			fprintf(stderr, "kith-report: member %zu: %s\n", i, kith_status_name(st));
			free(buf);
			return EXIT_FAILURE;
		}
		fwrite(buf, 1, needed, stdout);
		putchar('\n');
	}
	free(buf);
	return 0;
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
static int cut_at(struct input *in, int64_t t)
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
				        "kith-report: --now %lld is before the first event of %s (%lld)\n",
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

/* ---- main ------------------------------------------------------------- */

/* The latest --now: 9999-12-31 23:59:59.999 UTC. */
#define NOW_MAX INT64_C(253402300799999)

static bool parse_ms(const char *s, int64_t *out)
{
	char *end;
	long long v;
	if (!s || !*s || *s == ' ' || *s == '+')
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end)
		return false;
	*out = (int64_t)v;
	return true;
}

/* Returns -1 to go on, else an exit status. */
static int parse_options(int argc, char **argv, struct options *o)
{
	int i = 1;
	memset(o, 0, sizeof *o);
	if (argc > 1 && strcmp(argv[1], "members") == 0) {
		o->members = true;
		i = 2;
	}
	for (; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return 0;
		}
		if (strcmp(a, "--json") == 0) {
			o->json = true;
			continue;
		}
		if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
			o->quiet = true;
			continue;
		}
		if (strcmp(a, "--charter") == 0 || strcmp(a, "--now") == 0) {
			if (i + 1 >= argc) {
				fprintf(stderr, "kith-report: %s needs a value\n", a);
				usage(stderr);
				return EXIT_BAD_INPUT;
			}
			if (a[2] == 'c') {
				o->charter = argv[++i];
			} else if (!parse_ms(argv[++i], &o->now) || o->now <= 0 ||
			           o->now > NOW_MAX) {
				fprintf(stderr,
				        "kith-report: bad --now '%s': expected milliseconds since "
				        "the Unix epoch, from 1 to %lld (the end of year 9999)\n",
				        argv[i], (long long)NOW_MAX);
				return EXIT_BAD_INPUT;
			} else {
				o->have_now = true;
			}
			continue;
		}
		if (a[0] == '-' && a[1] != '\0') {
			fprintf(stderr, "kith-report: unknown option '%s'\n", a);
			usage(stderr);
			return EXIT_BAD_INPUT;
		}
		if (o->trace) {
			fprintf(stderr, "kith-report: more than one trace ('%s' and '%s')\n",
			        o->trace, a);
			usage(stderr);
			return EXIT_BAD_INPUT;
		}
		o->trace = a;
	}
	if (o->members && o->json) {
		fprintf(stderr, "kith-report: members already prints JSON, one object a line; "
		                "--json is for the report\n");
		return EXIT_BAD_INPUT;
	}
	return -1;
}

int main(int argc, char **argv)
{
	struct options o;
	struct input trace = {0}, charter = {0};
	struct verdict_tally verdicts;
	kith_community *c = NULL;
	kith_status st;
	uint64_t lines = 0;
	int64_t now;
	int status = parse_options(argc, argv, &o);

	if (status >= 0)
		return status;
	memset(&verdicts, 0, sizeof verdicts);
	status = 0;
	if (o.trace) {
		status = read_input(o.trace, &trace);
	} else {
		trace.label = "sample.trace";
		trace.data = (const char *)kith_sample_trace;
		trace.len = kith_sample_trace_len;
	}
	if (status == 0 && o.charter) {
		status = read_input(o.charter, &charter);
	} else if (status == 0 && !o.trace) {
		charter.label = "sample.charter";
		charter.data = (const char *)kith_sample_charter;
		charter.len = kith_sample_charter_len;
	}
	if (status == 0 && o.have_now)
		status = cut_at(&trace, o.now);
	if (status == 0 && (st = kith_community_new(&c)) != KITH_OK) {
		fprintf(stderr, "kith-report: %s\n", kith_status_name(st));
		status = EXIT_FAILURE;
	}
	if (status == 0 && charter.data) {
		st = kith_community_apply_charter(c, charter.data, charter.len);
		if (st != KITH_OK) {
			print_text_error(charter.label, kith_community_last_error(c), 1);
			status = exit_code_for(st);
		}
	}
	if (status == 0) {
		st = ingest_tallying(c, trace.data, trace.len, &lines, &verdicts, o.quiet);
		if (st != KITH_OK) {
			print_text_error(trace.label, kith_community_last_error(c), lines + 1);
			status = exit_code_for(st);
		}
	}
	if (status == 0) {
		now = o.have_now ? o.now : kith_community_last_event_ms(c);
		if (now == KITH_TIME_NONE)
			now = 0;
		status = o.members ? print_member_lines(c, now)
		                   : report(c, &trace, now, !o.trace, &verdicts, o.json);
	}
	if (status == 0 && (fflush(stdout) != 0 || ferror(stdout))) {
		fprintf(stderr, "kith-report: writing the report failed\n");
		status = EXIT_FAILURE;
	}
	kith_community_free(c);
	free(verdicts.members);
	free(trace.owned);
	free(charter.owned);
	return status;
}
