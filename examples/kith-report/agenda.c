/*
 * kith-report: AGENDA, the schedule engine's next seven days from now
 * (what is kept, moved or dropped, and why) and the best weekly slots for
 * a new one-hour activity.
 *
 * Shown only for a community that plans: one with an activity, or with
 * daily greetings, festivals or a daily digest set (schedule.greetings,
 * schedule.festivals, schedule.digest_at neither empty nor "none").
 * Without those the agenda would hold only the engine's own revivals and
 * fillers, which say nothing about the group's plans.
 *
 * SPDX-License-Identifier: MIT
 */
#include "report.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AGENDA_DAYS      7
#define AGENDA_SLOT_MS   (60 * MS_MINUTE)

static bool planned(const kith_community *c, const char *name)
{
	char v[128];
	setting_text(c, name, v, sizeof v);
	return v[0] != '\0' && strcmp(v, "none") != 0 && strcmp(v, "?") != 0;
}

void agenda_make(kith_community *c, int64_t now, struct agenda_report *r)
{
	memset(r, 0, sizeof *r);
	r->on = kith_activity_count(c) > 0 || planned(c, "schedule.greetings") ||
	        planned(c, "schedule.festivals") || planned(c, "schedule.digest_at");
	if (!r->on)
		return;
	r->from = now;
	r->to = add_sat(now, AGENDA_DAYS * MS_DAY);
	if (kith_agenda_new(c, r->from, r->to, &r->agenda) != KITH_OK)
		snprintf(r->agenda_error, sizeof r->agenda_error, "%s", kith_community_last_error(c));
	if (kith_slots_new(c, now, AGENDA_SLOT_MS, &r->slots) != KITH_OK)
		snprintf(r->slots_error, sizeof r->slots_error, "%s", kith_community_last_error(c));
	for (size_t i = 0; i < kith_agenda_count(r->agenda); i++) {
		kith_agenda_fate fate = KITH_AGENDA_KEPT;
		kith_agenda_item_change(r->agenda, i, &fate, NULL, NULL, NULL);
		if (fate <= KITH_AGENDA_DROPPED)
			r->fates[fate]++;
	}
}

void agenda_free(struct agenda_report *r)
{
	kith_agenda_free(r->agenda);
	kith_slots_free(r->slots);
}

static void print_items(const kith_agenda *a, int64_t off)
{
	char when[32], planned_at[32], more[32];
	size_t n = kith_agenda_count(a);
	for (size_t i = 0; i < n && i < AGENDA_SHOWN; i++) {
		const char *activity = NULL, *label = kith_agenda_item_label(a, i);
		int64_t t = 0, planned_ms = 0;
		kith_agenda_kind kind = KITH_AGENDA_START;
		kith_agenda_fate fate = KITH_AGENDA_KEPT;
		kith_agenda_reason reason = KITH_AGENDA_REASON_NONE;
		int importance = 0;
		kith_agenda_item(a, i, &activity, &t, &kind, &importance);
		kith_agenda_item_change(a, i, &fate, &reason, &planned_ms, NULL);
		const char *what = activity ? activity : label ? label : "";
		printf("    %s  %-9s %-32.32s %d", fmt_time(when, sizeof when, t, off),
		       kith_agenda_kind_name(kind), what, importance);
		if (fate == KITH_AGENDA_MOVED)
			printf("  moved from %s (%s)", fmt_time(planned_at, sizeof planned_at, planned_ms, off),
			       kith_agenda_reason_name(reason));
		else if (fate == KITH_AGENDA_DROPPED)
			printf("  dropped (%s)", kith_agenda_reason_name(reason));
		if (activity && label)
			printf("  %s", label);
		putchar('\n');
	}
	if (n > AGENDA_SHOWN)
		printf("    ... and %s more (--json lists them all)\n",
		       fmt_count(more, sizeof more, n - AGENDA_SHOWN));
}

static void print_slots(const kith_slots *s, int64_t off)
{
	static const char *const days[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
	char first[32], e[32], m[32];
	size_t free_shown = 0;
	for (size_t i = 0; i < kith_slots_count(s) && free_shown < 3; i++) {
		int weekday = 0, start = 0;
		int64_t first_ms = 0;
		kith_slot_reason reason = KITH_SLOT_CLASH;
		double engagement = 0;
		uint32_t messages = 0;
		kith_slots_item(s, i, &weekday, &start, &first_ms, &reason, &engagement);
		if (reason != KITH_SLOT_FREE)
			break; /* free slots come first */
		kith_slots_evidence(s, i, &messages, NULL, NULL);
		printf("    %s %02d:%02d  %s weighted messages a week (%s counted), first on %s\n",
		       weekday >= 0 && weekday < 7 ? days[weekday] : "?", start / 60, start % 60,
		       fmt_figure(e, sizeof e, engagement), fmt_count(m, sizeof m, messages),
		       fmt_time(first, sizeof first, first_ms, off));
		free_shown++;
	}
	if (free_shown == 0)
		printf("    no free slot\n");
}

void print_agenda(const kith_community *c, const struct agenda_report *r)
{
	char a[32], b[32], n[4][32];
	int64_t off = utc_offset_ms(c);
	if (!r->on)
		return;
	printf("\nAGENDA (the next %d days: time, kind, activity or label, importance)\n",
	       AGENDA_DAYS);
	if (!r->agenda) {
		printf("  no agenda: %s\n", r->agenda_error);
	} else {
		printf("  %s to %s: %s items, %s kept, %s moved, %s dropped\n",
		       fmt_time(a, sizeof a, r->from, off), fmt_time(b, sizeof b, r->to, off),
		       fmt_count(n[0], sizeof n[0], kith_agenda_count(r->agenda)),
		       fmt_count(n[1], sizeof n[1], r->fates[KITH_AGENDA_KEPT]),
		       fmt_count(n[2], sizeof n[2], r->fates[KITH_AGENDA_MOVED]),
		       fmt_count(n[3], sizeof n[3], r->fates[KITH_AGENDA_DROPPED]));
		print_items(r->agenda, off);
	}
	printf("  the best weekly slots for a new 60-minute activity:\n");
	if (!r->slots)
		printf("    no slots: %s\n", r->slots_error);
	else
		print_slots(r->slots, off);
}

static kith_status agenda_json(const void *o, char *b, size_t s, size_t *n)
{
	return kith_agenda_to_json(o, b, s, n);
}

static kith_status slots_json(const void *o, char *b, size_t s, size_t *n)
{
	return kith_slots_to_json(o, b, s, n);
}

/* AGENDA in the document: null when not shown. False when out of memory. */
bool json_agenda(struct json *j, const struct agenda_report *r)
{
	if (!r->on) {
		json_key(j, "agenda");
		fputs("null", j->f);
		json_value_done(j, true);
		return true;
	}
	json_open(j, "agenda", '{');
	json_u64(j, "kept", r->fates[KITH_AGENDA_KEPT]);
	json_u64(j, "moved", r->fates[KITH_AGENDA_MOVED]);
	json_u64(j, "dropped", r->fates[KITH_AGENDA_DROPPED]);
	if (!json_library(j, "items", r->agenda, agenda_json) ||
	    !json_library(j, "slots", r->slots, slots_json))
		return false;
	json_close(j, "agenda", '}');
	return true;
}
