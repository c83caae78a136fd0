/*
 * kith-report: the second look at the accepted trace, for what the model
 * does not keep: the number and first time of its events, and the kind,
 * time and text of the digest's messages. (The activity by day and hour
 * comes from the library's counters during the replay, replay.c.)
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

/* Walk the lines the library accepted: the events, the first one's time,
 * and the digest's messages. */
void scan_trace(const struct input *in, struct scan *s, struct digest_line *dg, size_t dg_count)
{
	const char *p = in->data, *end = in->data + in->len;

	memset(s, 0, sizeof *s);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		const char *q = p, *type, *rest;
		bool neg = false;
		uint64_t u = 0;
		int64_t t;
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
		if (type_len == 3 && memcmp(type, "msg", 3) == 0) {
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
		}
	}
}
