/*
 * The texts of agenda items: a template per item kind, whose
 * placeholders stand for the item's activity, its occurrence's start,
 * the community, a birthday's member or the item's label.
 *
 * SPDX-License-Identifier: MIT
 *
 * A placeholder is '{', 1 to 16 lower-case letters or '_', and '}'; any
 * other brace is text. Each kind takes only the placeholders it has a
 * value for, checked when the template is set, so that a typing mistake
 * is an error naming the charter's line rather than a text that shows
 * "{actvity}" to the group.
 */
#include "engines/schedule/template.h"

#include "engines/schedule/recurrence.h"
#include "util/text.h"
#include "util/time.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

enum placeholder {
	PH_ACTIVITY = 1 << 0,
	PH_START = 1 << 1,
	PH_COMMUNITY = 1 << 2,
	PH_MEMBER = 1 << 3,
	PH_LABEL = 1 << 4,
};

static const struct {
	const char *name;
	enum placeholder ph;
} placeholders[] = {
        {"activity", PH_ACTIVITY}, {"start", PH_START}, {"community", PH_COMMUNITY},
        {"member", PH_MEMBER},     {"label", PH_LABEL},
};

#define EVENT_PHS (PH_ACTIVITY | PH_START | PH_COMMUNITY)

/* Per kind (index kind - 1): its name, the placeholders it takes, and its
 * text when the charter gives none. */
static const struct {
	const char *name;
	unsigned takes;
	const char *text;
} kinds[KITH_SCHEDULE_TEMPLATES] = {
        {"preheat", EVENT_PHS, "Coming up in {community}: {activity} at {start}."},
        {"reminder", EVENT_PHS, "Reminder: {activity} starts at {start}."},
        {"start", EVENT_PHS, "{activity} starts now."},
        {"end", EVENT_PHS, "{activity} has ended: thank you for taking part."},
        {"digest", PH_COMMUNITY, "Today in {community}: the daily digest."},
        {"revive", PH_COMMUNITY,
         "It has been quiet in {community} for a while: what is everyone up to?"},
        {"filler", PH_COMMUNITY | PH_LABEL, "Question of the day: {label}"},
        {"greeting", PH_COMMUNITY | PH_LABEL, "Good {label}, {community}!"},
        {"festival", PH_COMMUNITY | PH_LABEL, "{community} wishes everyone a happy {label}!"},
        {"birthday", PH_COMMUNITY | PH_MEMBER, "Happy birthday, {member}!"},
        {"check-in", EVENT_PHS | PH_LABEL, "{activity}, {label}: time to check in."},
};

/* A filler's {label} when schedule.topics gives it no prompt. */
static const char question_of_the_day[] = "what is on your mind today?";

const char *kith_schedule_kind_name(int kind)
{
	return kind >= 1 && kind <= KITH_SCHEDULE_TEMPLATES ? kinds[kind - 1].name : NULL;
}

int kith_schedule_template_find(const char *s)
{
	for (int k = 1; k <= KITH_SCHEDULE_TEMPLATES; k++)
		if (strcmp(s, kinds[k - 1].name) == 0)
			return k;
	return 0;
}

const char *kith_schedule_template_default(int kind)
{
	return kind >= 1 && kind <= KITH_SCHEDULE_TEMPLATES ? kinds[kind - 1].text : NULL;
}

/* The length of the placeholder p[0..n) starts with, or 0 when it does
 * not start one. */
static size_t placeholder_len(const char *p, size_t n)
{
	if (n < 3 || p[0] != '{')
		return 0;
	size_t i = 1;
	while (i < n && i <= 16 && ((p[i] >= 'a' && p[i] <= 'z') || p[i] == '_'))
		i++;
	return i > 1 && i < n && p[i] == '}' ? i + 1 : 0;
}

/* The placeholder named p[0..n), or 0. */
static unsigned placeholder_find(const char *p, size_t n)
{
	for (size_t i = 0; i < sizeof placeholders / sizeof placeholders[0]; i++)
		if (strlen(placeholders[i].name) == n && memcmp(placeholders[i].name, p, n) == 0)
			return (unsigned)placeholders[i].ph;
	return 0;
}

/* "{activity}, {start} and {community}": the placeholders kind takes. */
static void list_takes(int kind, char *out, size_t size)
{
	unsigned takes = kinds[kind - 1].takes, left = 0;
	for (size_t i = 0; i < sizeof placeholders / sizeof placeholders[0]; i++)
		left += (takes & (unsigned)placeholders[i].ph) != 0;
	size_t at = 0;
	out[0] = '\0';
	for (size_t i = 0; i < sizeof placeholders / sizeof placeholders[0] && at < size; i++) {
		if (!(takes & (unsigned)placeholders[i].ph))
			continue;
		left--;
		int w = snprintf(out + at, size - at, "{%s}%s", placeholders[i].name,
		                 left > 1    ? ", "
		                 : left == 1 ? " and "
		                             : "");
		at += w > 0 ? (size_t)w : 0;
	}
}

kith_status kith_schedule_template_check(int kind, const char *v, size_t n, char *err, size_t es)
{
	for (size_t i = 0; i < n; i++) {
		size_t len = placeholder_len(v + i, n - i);
		if (!len)
			continue;
		unsigned ph = placeholder_find(v + i + 1, len - 2);
		if (ph && (kinds[kind - 1].takes & ph)) {
			i += len - 1;
			continue;
		}
		char takes[96];
		list_takes(kind, takes, sizeof takes);
		const char *kname = kinds[kind - 1].name;
		if (!ph)
			snprintf(err, es,
			         "unknown placeholder %.*s at byte %zu: a %s text takes %s",
			         (int)len, v + i, i + 1, kname, takes);
		else
			snprintf(err, es,
			         "placeholder %.*s has no value in a %s text, which takes %s",
			         (int)len, v + i, kname, takes);
		return KITH_EINVAL;
	}
	return KITH_OK;
}

/* The local "YYYY-MM-DD HH:MM" of t. */
static size_t local_time(int64_t t, int32_t offset_min, char out[32])
{
	int64_t local = t + (int64_t)offset_min * KITH_MS_PER_MIN;
	int64_t day = kith_floor_div(local, KITH_MS_PER_DAY), ms = local - day * KITH_MS_PER_DAY, y;
	unsigned m, d;
	kith_civil_from_days(day, &y, &m, &d);
	int w = snprintf(out, 32, "%04lld-%02u-%02u %02lld:%02lld", (long long)y, m, d,
	                 (long long)(ms / 3600000), (long long)(ms / 60000 % 60));
	return w > 0 ? (size_t)w : 0;
}

static void put(struct kith_text *o, const char *s, size_t n, bool json)
{
	if (json)
		kith_text_json_chars(o, s, n);
	else
		kith_text_put(o, s, n);
}

void kith_schedule_template_render(struct kith_text *o, const char *tpl,
                                   const struct template_fill *f, bool json)
{
	size_t n = strlen(tpl), run = 0;
	for (size_t i = 0; i < n;) {
		size_t len = placeholder_len(tpl + i, n - i);
		unsigned ph = len ? placeholder_find(tpl + i + 1, len - 2) : 0;
		if (!ph) {
			i++;
			continue;
		}
		put(o, tpl + run, i - run, json);
		const char *s = "";
		char when[32];
		size_t sn = SIZE_MAX;
		switch (ph) {
		case PH_ACTIVITY: s = f->activity ? f->activity : ""; break;
		case PH_START:
			sn = local_time(f->start_ms, f->offset_min, when);
			s = when;
			break;
		case PH_COMMUNITY: s = f->community ? f->community : ""; break;
		case PH_MEMBER: s = f->member ? f->member : ""; break;
		default:
			s = f->label                        ? f->label
			    : f->kind == KITH_AGENDA_FILLER ? question_of_the_day
			                                    : "";
			break;
		}
		put(o, s, sn == SIZE_MAX ? strlen(s) : sn, json);
		i += len;
		run = i;
	}
	put(o, tpl + run, n - run, json);
}
