/*
 * libFuzzer target for the schedule engine: [activity NAME] and
 * [schedule] sections as a charter, then agendas and slots over a
 * horizon the input also chooses. A charter either applies or fails and
 * changes no activity; an agenda of one that applies is in time order,
 * every item in its horizon, every moved push later than planned, every
 * dropped one with a reason, the same when made twice, and equal to the
 * agendas of its two halves split anywhere. Slots always number 168.
 *
 * The first 8 bytes choose the horizon: a start day (2 bytes, from
 * 2020), a start minute, a length in hours (up to 40 days) and where to
 * split it; the rest is the charter.
 *
 * SPDX-License-Identifier: MIT
 */
#include <kith.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define DAY_MS  INT64_C(86400000)
#define HOUR_MS INT64_C(3600000)

static kith_agenda *make(kith_community *c, int64_t from, int64_t to)
{
	kith_agenda *a = NULL;
	kith_status st = kith_agenda_new(c, from, to, &a);
	if (st == KITH_ENOMEM)
		return NULL;
	if (st != KITH_OK || !a) {
		fprintf(stderr, "agenda [%lld, %lld): %s\n", (long long)from, (long long)to,
		        kith_community_last_error(c));
		abort();
	}
	return a;
}

static void same(const kith_agenda *a, size_t i, const kith_agenda *b, size_t j)
{
	const char *na, *nb, *la, *lb;
	int64_t ta, tb, pa, pb, ea, eb;
	kith_agenda_kind ka, kb;
	int ia, ib;
	kith_agenda_fate fa, fb;
	kith_agenda_reason ra, rb;
	kith_agenda_item(a, i, &na, &ta, &ka, &ia);
	kith_agenda_item(b, j, &nb, &tb, &kb, &ib);
	kith_agenda_item_change(a, i, &fa, &ra, &pa, &ea);
	kith_agenda_item_change(b, j, &fb, &rb, &pb, &eb);
	la = kith_agenda_item_label(a, i);
	lb = kith_agenda_item_label(b, j);
	if ((na == NULL) != (nb == NULL) || (na && strcmp(na, nb) != 0) ||
	    (la == NULL) != (lb == NULL) || (la && strcmp(la, lb) != 0) || ta != tb || ka != kb ||
	    ia != ib || fa != fb || ra != rb || pa != pb || ea != eb)
		abort();
}

static void check(const kith_agenda *a, int64_t from, int64_t to)
{
	int64_t prev = INT64_MIN;
	for (size_t i = 0; i < kith_agenda_count(a); i++) {
		int64_t t, planned;
		kith_agenda_kind kind;
		int importance;
		kith_agenda_fate fate;
		kith_agenda_reason reason;
		if (kith_agenda_item(a, i, NULL, &t, &kind, &importance) != KITH_OK ||
		    kith_agenda_item_change(a, i, &fate, &reason, &planned, NULL) != KITH_OK)
			abort();
		if (t < prev || t < from || t >= to || importance < 1 || importance > 3)
			abort();
		if (fate == KITH_AGENDA_MOVED &&
		    (t <= planned || reason == KITH_AGENDA_REASON_NONE))
			abort();
		if (fate == KITH_AGENDA_DROPPED &&
		    (t != planned || reason == KITH_AGENDA_REASON_NONE))
			abort();
		if (fate == KITH_AGENDA_KEPT && (t != planned || reason != KITH_AGENDA_REASON_NONE))
			abort();
		if (strcmp(kith_agenda_kind_name(kind), "unknown") == 0)
			abort();
		prev = t;
	}
	size_t n = 0;
	if (kith_agenda_to_json(a, NULL, 0, &n) != KITH_OK)
		abort();
	char *j = malloc(n + 1);
	if (!j)
		return;
	size_t again = 0;
	kith_agenda_to_json(a, j, n + 1, &again);
	if (again != n || strlen(j) != n)
		abort();
	free(j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 8)
		return 0;
	int64_t day = 18262 + (data[0] | data[1] << 8) % 4000; /* 2020-01-01 on */
	int64_t from = day * DAY_MS + (int64_t)((data[2] | data[3] << 8) % 1440) * 60000;
	int64_t span = (int64_t)((data[4] | data[5] << 8) % 960) * HOUR_MS;
	int64_t split = span ? (int64_t)((data[6] | data[7] << 8) % 1000) * span / 1000 : 0;
	kith_community *c = NULL;
	if (kith_community_new(&c) != KITH_OK)
		return 0;
	const char *text = (const char *)data + 8;
	size_t n = size - 8;
	if (kith_community_apply_charter(c, text, n) != KITH_OK) {
		if (kith_activity_count(c) != 0)
			abort(); /* a refused charter changes nothing */
		kith_community_free(c);
		return 0;
	}
	kith_agenda *a = make(c, from, from + span), *b = make(c, from, from + span);
	kith_agenda *x = make(c, from, from + split), *y = make(c, from + split, from + span);
	if (a && b && x && y) {
		check(a, from, from + span);
		check(x, from, from + split);
		check(y, from + split, from + span);
		if (kith_agenda_count(a) != kith_agenda_count(b) ||
		    kith_agenda_count(a) != kith_agenda_count(x) + kith_agenda_count(y))
			abort();
		for (size_t i = 0; i < kith_agenda_count(a); i++) {
			same(a, i, b, i);
			size_t nx = kith_agenda_count(x);
			same(a, i, i < nx ? x : y, i < nx ? i : i - nx);
		}
	}
	kith_agenda_free(a);
	kith_agenda_free(b);
	kith_agenda_free(x);
	kith_agenda_free(y);
	kith_slots *s = NULL;
	kith_status st = kith_slots_new(c, from, 1 + span % DAY_MS, &s);
	if (st == KITH_OK && kith_slots_count(s) != 168)
		abort();
	if (st != KITH_OK && st != KITH_ENOMEM && st != KITH_ERANGE)
		abort();
	kith_slots_free(s);
	kith_community_free(c);
	return 0;
}
