/*
 * The health diagnosis: one finding per aspect of the group, each with a
 * figure, its threshold, a severity and the figure of the window before
 * where the model can tell. The aspects and their rules are in the header
 * (kith.h, "Health"); this file is how they are measured: one pass over
 * the member records, one over the extras, one over the ledger of recent
 * messages.
 *
 * SPDX-License-Identifier: MIT
 */
#include "engines/health/engine.h"

#include "model/community.h"
#include "model/ledger.h"
#include "model/members.h"
#include "model/settings.h"
#include "model/value.h"
#include "util/hash.h"
#include "util/memory.h"
#include "util/text.h"
#include "util/time.h"

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define CODE_COUNT KITH_HEALTH_DEAD

static const char *const code_names[CODE_COUNT + 1] = {
        NULL,
        "size",
        "capacity",
        "active-short",
        "active-long",
        "messages-per-day",
        "interactions-per-day",
        "value-ratio",
        "lurkers",
        "opinion-leaders",
        "experts",
        "retention",
        "concentration",
        "envelope-dependence",
        "official-voice",
        "dead",
};

static const char *const severity_names[] = {"ok", "info", "warning", "critical"};

/* Dunbar's regimes. */
#define SIZE_INTIMATE 50
#define SIZE_CIRCLE   150
/* Share of community.capacity from which a group counts as nearly full. */
#define CAPACITY_WARN 0.9

struct finding {
	uint32_t code;
	uint32_t severity;
	double figure;
	double threshold;
	double previous;
	size_t text; /* offset of the explanation in strings */
};

struct kith_health {
	struct kith_mem mem;
	int64_t now_ms;
	struct finding findings[CODE_COUNT];
	size_t count;
	struct kith_strings strings;
};

const char *kith_health_code_name(kith_health_code code)
{
	return code >= 1 && code <= CODE_COUNT ? code_names[code] : "unknown";
}

const char *kith_severity_name(kith_severity severity)
{
	return (unsigned)severity <= KITH_SEVERITY_CRITICAL ? severity_names[severity] : "unknown";
}

/* ---- measuring ---------------------------------------------------------------- */

/* A window of local days [from, to]. */
struct days {
	int64_t from, to;
};

/* Figures of one rolling window of the ledger. */
struct ledger_window {
	bool measured;   /* the ledger reaches into the window */
	int64_t span_ms; /* the part of the window the ledger holds */
	double span_days;
	uint64_t messages;
	uint64_t high_value;
	uint64_t staff;
	double half_writers; /* fewest authors of half the messages; NaN without messages */
};

struct measure {
	kith_community *c;
	int64_t now;
	int64_t today;
	uint32_t staff_roles;
	struct days short_now, short_before, long_now, long_before;
	int64_t short_start_ms, long_start_ms; /* first UTC ms of the windows' first days */
	/* From the members. */
	int64_t present;
	int64_t active_short, active_long;
	int64_t before_short_den, before_short_num, before_long_den, before_long_num;
	int64_t lurker_den, lurkers;
	int64_t opinion_leaders, experts;
	int64_t retention_den, retained;
	int64_t envelope_den, envelope_only;
	uint64_t replies;
	int64_t last_member_msg; /* KITH_TIME_NONE when no member ever spoke */
	int64_t earliest_join;   /* of a present member who is not staff */
	uint64_t reactions;
	struct ledger_window win, before;
	bool ledger_evicted;
	int64_t ledger_from; /* time of the oldest message the ledger holds */
};

/* First UTC ms of local day d, saturated. */
static int64_t day_start_ms(const kith_community *c, int64_t d)
{
	if (d > INT64_MAX / KITH_MS_PER_DAY)
		return INT64_MAX;
	if (d < INT64_MIN / KITH_MS_PER_DAY)
		return INT64_MIN;
	return kith_time_diff(d * KITH_MS_PER_DAY, (int64_t)c->settings.utc_offset_min * 60000);
}

/* Whether the member has a message on a local day in w (bit i of the
 * bitmap is day last_day - i). */
static bool active_in(const struct kith_member *m, int64_t last_day, struct days w)
{
	int64_t lo = last_day - w.to, hi = last_day - w.from;
	if (lo < 0)
		lo = 0;
	if (hi > 127)
		hi = 127;
	for (int64_t i = lo; i <= hi;) {
		uint32_t word = m->days[i / 32] >> (i % 32);
		if (word == 0) {
			i = (i / 32 + 1) * 32;
			continue;
		}
		if (word & 1u)
			return true;
		i++;
	}
	return false;
}

static bool is_staff(const struct measure *ms, const struct kith_member *m)
{
	return (m->roles & ms->staff_roles) != 0;
}

static int64_t real_messages(const struct kith_member *m)
{
	int64_t n = 0;
	for (int k = 0; k < KITH_KIND_COUNT; k++)
		if (k != KITH_KIND_STICKER && k != KITH_KIND_ENVELOPE && k != KITH_KIND_SYSTEM)
			n += m->kinds[k];
	return n;
}

static void measure_member(struct measure *ms, const struct kith_member *m)
{
	kith_community *c = ms->c;
	bool spoke = m->last_msg_ms != KITH_TIME_NONE;
	bool staff = is_staff(ms, m);
	int64_t last_day = spoke ? kith_local_day(c, m->last_msg_ms) : 0;
	bool act_short = spoke && active_in(m, last_day, ms->short_now);
	ms->replies += m->replies_given;
	if (spoke && !staff &&
	    (ms->last_member_msg == KITH_TIME_NONE || m->last_msg_ms > ms->last_member_msg))
		ms->last_member_msg = m->last_msg_ms;
	/* Newcomer retention counts members who left too. */
	if (m->joined_ms >= ms->long_start_ms && m->joined_ms <= ms->now) {
		ms->retention_den++;
		ms->retained += m->present && act_short;
	}
	if (!m->present)
		return;
	ms->present++;
	ms->active_short += act_short;
	ms->active_long += spoke && active_in(m, last_day, ms->long_now);
	if (m->joined_ms < ms->short_start_ms) {
		ms->before_short_den++;
		ms->before_short_num += spoke && active_in(m, last_day, ms->short_before);
		ms->lurker_den++;
		ms->lurkers += m->first_msg_ms == KITH_TIME_NONE;
	}
	if (m->joined_ms < ms->long_start_ms) {
		ms->before_long_den++;
		ms->before_long_num += spoke && active_in(m, last_day, ms->long_before);
	}
	ms->opinion_leaders += (m->roles >> KITH_ROLE_OPINION_LEADER) & 1u;
	ms->experts += (m->roles >> KITH_ROLE_EXPERT) & 1u;
	if (m->envelopes_claimed || spoke) {
		ms->envelope_den++;
		ms->envelope_only += m->envelopes_claimed && real_messages(m) == 0;
	}
	if (!staff && (ms->earliest_join == KITH_TIME_NONE || m->joined_ms < ms->earliest_join))
		ms->earliest_join = m->joined_ms;
}

static void measure_members(struct measure *ms)
{
	const struct kith_members *t = &ms->c->members;
	for (uint32_t base = 0; base < t->count; base += KITH_PAGE_SIZE) {
		const struct kith_member *page = t->pages[base >> KITH_PAGE_SHIFT];
		uint32_t n = t->count - base < KITH_PAGE_SIZE ? t->count - base : KITH_PAGE_SIZE;
		for (uint32_t j = 0; j < n; j++)
			measure_member(ms, &page[j]);
	}
	for (size_t i = 0; i < t->extra_count; i++)
		ms->reactions += t->extras[i].reactions_received;
}

/* Scratch space for counting authors: an open-addressing table and a
 * histogram of counts. */
struct scratch {
	uint32_t *keys; /* author + 1; 0 empty */
	uint32_t *counts;
	uint32_t *hist; /* hist[v]: authors with v messages */
	size_t cap;     /* power of two */
	size_t hist_len;
};

static bool scratch_init(const struct kith_mem *mem, struct scratch *s, size_t messages)
{
	memset(s, 0, sizeof *s);
	size_t cap = 16;
	while (cap < 2 * messages)
		cap *= 2;
	s->cap = cap;
	s->hist_len = messages + 1;
	s->keys = kith_mem_calloc(mem, cap, sizeof *s->keys);
	s->counts = kith_mem_calloc(mem, cap, sizeof *s->counts);
	s->hist = kith_mem_calloc(mem, s->hist_len, sizeof *s->hist);
	return s->keys && s->counts && s->hist;
}

static void scratch_fini(const struct kith_mem *mem, struct scratch *s)
{
	kith_mem_free(mem, s->keys, s->cap * sizeof *s->keys);
	kith_mem_free(mem, s->counts, s->cap * sizeof *s->counts);
	kith_mem_free(mem, s->hist, s->hist_len * sizeof *s->hist);
}

static void scratch_count(struct scratch *s, uint32_t author)
{
	size_t mask = s->cap - 1;
	size_t i = (size_t)kith_hash_u64(author) & mask;
	while (s->keys[i] && s->keys[i] != author + 1)
		i = (i + 1) & mask;
	s->keys[i] = author + 1;
	s->counts[i]++;
}

/* The fewest authors whose messages make at least half of total: the
 * biggest writers first, read off the histogram of counts. */
static double half_writers(struct scratch *s, uint64_t total)
{
	memset(s->hist, 0, s->hist_len * sizeof *s->hist);
	uint32_t top = 0;
	for (size_t i = 0; i < s->cap; i++) {
		if (s->keys[i]) {
			s->hist[s->counts[i]]++;
			if (s->counts[i] > top)
				top = s->counts[i];
		}
	}
	uint64_t sum = 0, writers = 0;
	for (uint32_t v = top; v > 0; v--) {
		uint64_t h = s->hist[v];
		if (!h)
			continue;
		if (2 * (sum + h * v) >= total) {
			/* Some of this bucket close the gap. */
			uint64_t gap2 = total - 2 * sum; /* twice the messages still needed */
			writers += (gap2 + 2 * (uint64_t)v - 1) / (2 * (uint64_t)v);
			return (double)writers;
		}
		sum += h * v;
		writers += h;
	}
	return (double)writers;
}

/* Read the ledger's messages in (from, to] into w. */
static void measure_window(struct measure *ms, struct scratch *s, int64_t from, int64_t to,
                           struct ledger_window *w)
{
	const struct kith_ledger *l = &ms->c->ledger;
	const struct kith_settings *set = &ms->c->settings;
	memset(w, 0, sizeof *w);
	int64_t start = from;
	if (ms->ledger_evicted && ms->ledger_from > start)
		start = ms->ledger_from;
	if (start >= to) {
		w->half_writers = NAN;
		return;
	}
	w->measured = true;
	w->span_ms = kith_time_diff(to, start);
	w->span_days = (double)w->span_ms / (double)KITH_MS_PER_DAY;
	memset(s->keys, 0, s->cap * sizeof *s->keys);
	memset(s->counts, 0, s->cap * sizeof *s->counts);
	for (uint32_t i = 0; i < l->count; i++) {
		const struct kith_ledger_entry *e = kith_ledger_oldest(l, i);
		if (e->time_ms <= from || e->time_ms > to)
			continue;
		w->messages++;
		w->high_value += (double)e->value >= set->high_threshold;
		w->staff += is_staff(ms, kith_member_at(&ms->c->members, e->author));
		scratch_count(s, e->author);
	}
	w->half_writers = w->messages ? half_writers(s, w->messages) : NAN;
}

static kith_status measure_ledger(struct measure *ms)
{
	const struct kith_ledger *l = &ms->c->ledger;
	int64_t w = (int64_t)kith_health_settings(ms->c)->window_days * KITH_MS_PER_DAY;
	int64_t start = kith_time_diff(ms->now, w), before = kith_time_diff(start, w);
	ms->ledger_evicted = l->pushed > l->count;
	ms->ledger_from = l->count ? kith_ledger_oldest(l, 0)->time_ms : ms->now;
	/* Size the scratch for the most messages either window can hold. */
	size_t most = 0;
	for (uint32_t i = 0; i < l->count; i++) {
		int64_t t = kith_ledger_oldest(l, i)->time_ms;
		most += t > before && t <= ms->now;
	}
	struct scratch s;
	bool ok = scratch_init(&ms->c->mem, &s, most);
	if (ok) {
		measure_window(ms, &s, start, ms->now, &ms->win);
		measure_window(ms, &s, before, start, &ms->before);
	}
	scratch_fini(&ms->c->mem, &s);
	return ok ? KITH_OK : KITH_ENOMEM;
}

/* ---- findings ------------------------------------------------------------------ */

static double share(int64_t num, int64_t den)
{
	return den > 0 ? (double)num / (double)den : NAN;
}

/* Severity of a figure that should be at least (or at most) a threshold. */
static uint32_t below(double figure, double threshold, uint32_t severity)
{
	return isfinite(figure) && figure < threshold ? severity : KITH_SEVERITY_OK;
}

static uint32_t above(double figure, double threshold, uint32_t severity)
{
	return isfinite(figure) && figure > threshold ? severity : KITH_SEVERITY_OK;
}

/* A whole number with thousands separators: "23,823". */
static void count(struct kith_text *o, int64_t n)
{
	char digits[24];
	int len = snprintf(digits, sizeof digits, "%lld", (long long)n);
	int first = digits[0] == '-';
	for (int i = 0; i < len; i++) {
		if (i > first && (len - i) % 3 == 0)
			kith_text_puts(o, ",");
		kith_text_put(o, digits + i, 1);
	}
}

/* A figure for people: the given significant digits in plain decimals,
 * whole numbers with separators from 1,000 on, never an exponent (a big
 * IRC channel read "1.17e+03 messages a day"). */
static void amount(struct kith_text *o, double x, int digits)
{
	if (!isfinite(x)) {
		kith_text_puts(o, "?");
		return;
	}
	if (fabs(x) >= 999.5 && fabs(x) < 9e18) {
		count(o, (int64_t)llround(x));
		return;
	}
	if (x == 0) {
		kith_text_puts(o, "0");
		return;
	}
	int decimals = digits - (int)floor(log10(fabs(x))) - 1;
	if (decimals < 0)
		decimals = 0;
	if (decimals > 9)
		decimals = 9;
	char tmp[64];
	int len = snprintf(tmp, sizeof tmp, "%.*f", decimals, x);
	if (decimals > 0) { /* "41.0" reads "41", "0.500" "0.5" */
		while (len > 0 && tmp[len - 1] == '0')
			len--;
		if (len > 0 && tmp[len - 1] == '.')
			len--;
	}
	kith_text_put(o, tmp, (size_t)len);
}

/* A share as a percentage: three significant digits below 100%, whole
 * percents from there (never an exponent: 23,823 of 500 is 4,765%). */
static void percent(struct kith_text *o, double x)
{
	amount(o, x * 100, 3);
	kith_text_puts(o, "%");
}

static void previous_percent(struct kith_text *o, double prev, uint32_t days)
{
	if (isfinite(prev)) {
		kith_text_puts(o, "; ");
		percent(o, prev);
		kith_text_printf(o, " in the %u days before", (unsigned)days);
	}
}

static void set(struct finding *f, uint32_t code, uint32_t severity, double figure,
                double threshold, double previous)
{
	f->code = code;
	f->severity = severity;
	f->figure = figure;
	f->threshold = threshold;
	f->previous = previous;
}

/* Fill finding f of the given code and write its explanation. */
static void judge(const struct measure *ms, uint32_t code, struct finding *f, struct kith_text *o)
{
	const struct kith_settings *s = &ms->c->settings;
	const struct kith_health_settings *es = kith_health_settings(ms->c);
	unsigned W = es->window_days, L = es->long_window_days;
	double x;
	switch (code) {
	case KITH_HEALTH_SIZE: {
		double n = (double)ms->present;
		count(o, ms->present);
		kith_text_printf(o, " present member%s: ", ms->present == 1 ? "" : "s");
		if (ms->present < SIZE_INTIMATE) {
			set(f, code, KITH_SEVERITY_OK, n, SIZE_INTIMATE, NAN);
			kith_text_puts(
			        o, "under 50, an intimate group where everyone can know everyone");
		} else if (ms->present <= SIZE_CIRCLE) {
			set(f, code, KITH_SEVERITY_INFO, n, SIZE_CIRCLE, NAN);
			kith_text_puts(o, "50 to 150, a group that needs strong rules and regular "
			                  "activities to hold together");
		} else {
			set(f, code, KITH_SEVERITY_WARNING, n, SIZE_CIRCLE, NAN);
			kith_text_puts(
			        o, "over 150, beyond one person's circle: split into sub-groups "
			           "or give it more admins and structure");
		}
		break;
	}
	case KITH_HEALTH_CAPACITY: {
		double cap = s->capacity;
		uint32_t sev = ms->present >= (int64_t)s->capacity          ? KITH_SEVERITY_CRITICAL
		               : (double)ms->present >= CAPACITY_WARN * cap ? KITH_SEVERITY_WARNING
		                                                            : KITH_SEVERITY_OK;
		set(f, code, sev, (double)ms->present, cap, NAN);
		count(o, ms->present);
		kith_text_puts(o, " of ");
		count(o, s->capacity);
		kith_text_puts(o, " places taken (");
		percent(o, (double)ms->present / cap);
		kith_text_puts(o, sev == KITH_SEVERITY_CRITICAL  ? "): full, no room for newcomers"
		                  : sev == KITH_SEVERITY_WARNING ? "): nearly full"
		                                                 : ")");
		break;
	}
	case KITH_HEALTH_ACTIVE_SHORT:
	case KITH_HEALTH_ACTIVE_LONG: {
		bool is_short = code == KITH_HEALTH_ACTIVE_SHORT;
		unsigned days = is_short ? W : L;
		double min =
		        is_short ? es->min_active_share : es->min_active_share_long;
		x = share(is_short ? ms->active_short : ms->active_long, ms->present);
		double prev = is_short ? share(ms->before_short_num, ms->before_short_den)
		                       : share(ms->before_long_num, ms->before_long_den);
		set(f, code, below(x, min, KITH_SEVERITY_WARNING), x, min, prev);
		if (!isfinite(x)) {
			kith_text_puts(o, "no present members");
			break;
		}
		percent(o, x);
		kith_text_printf(o, " of present members spoke in the last %u days (at least ",
		                 days);
		percent(o, min);
		kith_text_puts(o, " wanted)");
		previous_percent(o, prev, days);
		break;
	}
	case KITH_HEALTH_MESSAGES_PER_DAY:
	case KITH_HEALTH_INTERACTIONS_PER_DAY: {
		bool msgs = code == KITH_HEALTH_MESSAGES_PER_DAY;
		double factor = msgs              ? 1.0
		                : ms->c->messages ? (double)(ms->replies + ms->reactions) /
		                                            (double)ms->c->messages
		                                  : NAN;
		double rate = ms->win.measured
		                      ? (double)ms->win.messages / ms->win.span_days * factor
		                      : NAN;
		double prev = ms->before.measured
		                      ? (double)ms->before.messages / ms->before.span_days * factor
		                      : NAN;
		double min =
		        msgs ? es->min_messages_per_day : es->min_interactions_per_day;
		if (!msgs && !ms->c->messages)
			rate = prev = 0; /* no message ever: no interaction either */
		set(f, code, below(rate, min, KITH_SEVERITY_WARNING), rate, min, prev);
		if (!isfinite(rate)) {
			kith_text_puts(
			        o, "cannot be measured: the ledger holds no message of the window");
			break;
		}
		kith_text_puts(o, msgs ? "" : "about ");
		amount(o, rate, 3);
		kith_text_puts(o, msgs ? " messages a day"
		                       : " interactions (replies and reactions) a day");
		if (ms->win.span_ms < (int64_t)W * KITH_MS_PER_DAY) {
			kith_text_puts(o, " over the last ");
			kith_text_duration(o, ms->win.span_ms);
		} else {
			kith_text_printf(o, " over the last %u days", W);
		}
		kith_text_puts(o, " (at least ");
		amount(o, min, 6);
		kith_text_puts(o, " wanted)");
		if (isfinite(prev)) {
			kith_text_puts(o, "; ");
			amount(o, prev, 3);
			kith_text_puts(o, " before");
		}
		break;
	}
	case KITH_HEALTH_VALUE_RATIO:
	case KITH_HEALTH_OFFICIAL_VOICE: {
		bool value = code == KITH_HEALTH_VALUE_RATIO;
		x = share((int64_t)(value ? ms->win.high_value : ms->win.staff),
		          (int64_t)ms->win.messages);
		double prev = share((int64_t)(value ? ms->before.high_value : ms->before.staff),
		                    (int64_t)ms->before.messages);
		double limit = value ? es->min_value_ratio : es->max_official_share;
		set(f, code,
		    value ? below(x, limit, KITH_SEVERITY_WARNING)
		          : above(x, limit, KITH_SEVERITY_WARNING),
		    x, limit, prev);
		if (!isfinite(x)) {
			kith_text_printf(o, "no messages in the last %u days", W);
			break;
		}
		percent(o, x);
		kith_text_printf(
		        o,
		        value ? " of the last %u days' messages are high-value, the rest "
		                "side dishes (at least "
		              : " of the last %u days' messages are by the owner and admins "
		                "(at most ",
		        W);
		percent(o, limit);
		kith_text_puts(o, " wanted)");
		previous_percent(o, prev, W);
		break;
	}
	case KITH_HEALTH_LURKERS:
		x = share(ms->lurkers, ms->lurker_den);
		set(f, code, above(x, es->max_lurker_share, KITH_SEVERITY_WARNING), x,
		    es->max_lurker_share, NAN);
		if (!isfinite(x)) {
			kith_text_printf(o, "no present member joined before the last %u days", W);
			break;
		}
		percent(o, x);
		kith_text_printf(
		        o,
		        " of present members who joined before the last %u days never spoke "
		        "(at most ",
		        W);
		percent(o, es->max_lurker_share);
		kith_text_puts(o, " wanted)");
		break;
	case KITH_HEALTH_OPINION_LEADERS:
	case KITH_HEALTH_EXPERTS: {
		bool leaders = code == KITH_HEALTH_OPINION_LEADERS;
		double target = leaders ? es->opinion_leader_share : es->expert_share;
		x = share(leaders ? ms->opinion_leaders : ms->experts, ms->present);
		set(f, code, below(x, target, KITH_SEVERITY_INFO), x, target, NAN);
		if (!isfinite(x)) {
			kith_text_puts(o, "no present members");
			break;
		}
		kith_text_puts(o, leaders ? "opinion leaders: " : "experts: ");
		count(o, leaders ? ms->opinion_leaders : ms->experts);
		kith_text_puts(o, " of ");
		count(o, ms->present);
		kith_text_puts(o, " present members (");
		percent(o, x);
		kith_text_puts(o, "; target ");
		percent(o, target);
		kith_text_puts(o, ")");
		break;
	}
	case KITH_HEALTH_RETENTION:
		x = share(ms->retained, ms->retention_den);
		set(f, code, below(x, es->min_retention, KITH_SEVERITY_WARNING), x,
		    es->min_retention, NAN);
		if (!isfinite(x)) {
			kith_text_printf(o, "nobody joined in the last %u days", L);
			break;
		}
		count(o, ms->retained);
		kith_text_puts(o, " of ");
		count(o, ms->retention_den);
		kith_text_printf(o,
		                 " members who joined in the last %u days are here and "
		                 "spoke in the last %u days (",
		                 L, W);
		percent(o, x);
		kith_text_puts(o, "; at least ");
		percent(o, es->min_retention);
		kith_text_puts(o, " wanted)");
		break;
	case KITH_HEALTH_CONCENTRATION:
		x = ms->win.half_writers;
		set(f, code, below(x, es->min_half_writers, KITH_SEVERITY_WARNING), x,
		    es->min_half_writers, ms->before.half_writers);
		if (!isfinite(x)) {
			kith_text_printf(o, "no messages in the last %u days", W);
			break;
		}
		count(o, (int64_t)x);
		kith_text_printf(o, " members wrote half of the last %u days' messages (at least %u "
		                    "wanted)",
		                 W, (unsigned)es->min_half_writers);
		if (isfinite(ms->before.half_writers)) {
			kith_text_puts(o, "; ");
			count(o, (int64_t)ms->before.half_writers);
			kith_text_puts(o, " before");
		}
		break;
	case KITH_HEALTH_ENVELOPE_DEPENDENCE:
		x = share(ms->envelope_only, ms->envelope_den);
		set(f, code, above(x, es->max_envelope_share, KITH_SEVERITY_WARNING), x,
		    es->max_envelope_share, NAN);
		if (!isfinite(x)) {
			kith_text_puts(o, "no present member spoke or claimed a red envelope");
			break;
		}
		percent(o, x);
		kith_text_puts(o,
		               " of present members who spoke or claimed red envelopes only ever "
		               "claim envelopes (at most ");
		percent(o, es->max_envelope_share);
		kith_text_puts(o, " wanted)");
		break;
	case KITH_HEALTH_DEAD: {
		double limit = es->dead_days;
		int64_t since = ms->last_member_msg != KITH_TIME_NONE ? ms->last_member_msg
		                                                      : ms->earliest_join;
		if (since == KITH_TIME_NONE) {
			set(f, code, KITH_SEVERITY_OK, NAN, limit, NAN);
			kith_text_puts(o, "no members besides the staff");
			break;
		}
		int64_t quiet = kith_time_diff(ms->now, since);
		x = quiet > 0 ? (double)quiet / (double)KITH_MS_PER_DAY : 0;
		bool dead = quiet >= (int64_t)es->dead_days * KITH_MS_PER_DAY;
		set(f, code, dead ? KITH_SEVERITY_CRITICAL : KITH_SEVERITY_OK, x, limit, NAN);
		kith_text_puts(o,
		               ms->last_member_msg != KITH_TIME_NONE
		                       ? "the last member message was "
		                       : "no member has spoken yet; the earliest present joined ");
		kith_text_duration(o, quiet > 0 ? quiet : 0);
		kith_text_printf(o,
		                 dead ? " ago: the group is dead (no member message for %u days)"
		                      : " ago (dead after %u days)",
		                 (unsigned)es->dead_days);
		break;
	}
	}
}

static void health_destroy(struct kith_health *h)
{
	struct kith_mem mem = h->mem;
	kith_strings_fini(&mem, &h->strings);
	kith_mem_free(&mem, h, sizeof *h);
}

kith_status kith_health_new(kith_community *community, int64_t now_ms, kith_health **out)
{
	if (out)
		*out = NULL;
	if (!community || !out)
		return kith_fail(community, KITH_EINVAL, "kith_health_new: NULL argument");
	if (now_ms == KITH_TIME_NONE)
		return kith_fail(community, KITH_EINVAL,
		                 "kith_health_new: now is KITH_TIME_NONE, which means 'no time'");
	kith_community *c = community;
	const struct kith_health_settings *es = kith_health_settings(c);
	struct measure ms;
	memset(&ms, 0, sizeof ms);
	ms.c = c;
	ms.now = now_ms;
	ms.today = kith_local_day(c, now_ms);
	ms.staff_roles = 1u << KITH_ROLE_OWNER | 1u << KITH_ROLE_ADMIN;
	int64_t W = es->window_days, L = es->long_window_days;
	ms.short_now = (struct days){ms.today - W + 1, ms.today};
	ms.short_before = (struct days){ms.today - 2 * W + 1, ms.today - W};
	ms.long_now = (struct days){ms.today - L + 1, ms.today};
	ms.long_before = (struct days){ms.today - 2 * L + 1, ms.today - L};
	ms.short_start_ms = day_start_ms(c, ms.short_now.from);
	ms.long_start_ms = day_start_ms(c, ms.long_now.from);
	ms.last_member_msg = KITH_TIME_NONE;
	ms.earliest_join = KITH_TIME_NONE;

	struct kith_health *h = kith_mem_calloc(&c->mem, 1, sizeof *h);
	if (!h)
		return kith_fail(c, KITH_ENOMEM, "out of memory making a health diagnosis");
	h->mem = c->mem;
	h->now_ms = now_ms;
	measure_members(&ms);
	if (measure_ledger(&ms) != KITH_OK)
		goto nomem;
	for (uint32_t code = 1; code <= CODE_COUNT; code++) {
		/* Without a capacity there is nothing to fill: no finding. */
		if (code == KITH_HEALTH_CAPACITY && c->settings.capacity == 0)
			continue;
		struct finding *f = &h->findings[h->count];
		char text[512];
		struct kith_text o;
		kith_text_init(&o, text, sizeof text);
		judge(&ms, code, f, &o);
		size_t len;
		kith_text_finish(&o, &len);
		if (len > sizeof text - 1)
			len = sizeof text - 1;
		if (!kith_strings_add(&h->mem, &h->strings, text, len, &f->text))
			goto nomem;
		h->count++;
	}
	*out = h;
	return KITH_OK;
nomem:
	health_destroy(h);
	return kith_fail(c, KITH_ENOMEM, "out of memory making a health diagnosis");
}

void kith_health_free(kith_health *health)
{
	if (health)
		health_destroy(health);
}

size_t kith_health_count(const kith_health *health)
{
	return health ? health->count : 0;
}

kith_status kith_health_finding(const kith_health *health, size_t i, kith_health_code *code,
                                kith_severity *severity, double *figure, double *threshold,
                                double *previous)
{
	if (!health)
		return KITH_EINVAL;
	if (i >= health->count)
		return KITH_ENOTFOUND;
	const struct finding *f = &health->findings[i];
	if (code)
		*code = (kith_health_code)f->code;
	if (severity)
		*severity = (kith_severity)f->severity;
	if (figure)
		*figure = f->figure;
	if (threshold)
		*threshold = f->threshold;
	if (previous)
		*previous = f->previous;
	return KITH_OK;
}

kith_status kith_health_find(const kith_health *health, kith_health_code code, size_t *index)
{
	if (!health || !index)
		return KITH_EINVAL;
	for (size_t i = 0; i < health->count; i++) {
		if (health->findings[i].code == (uint32_t)code) {
			*index = i;
			return KITH_OK;
		}
	}
	return KITH_ENOTFOUND;
}

const char *kith_health_explanation(const kith_health *health, size_t i)
{
	if (!health || i >= health->count)
		return NULL;
	return health->strings.data + health->findings[i].text;
}

kith_severity kith_health_worst(const kith_health *health)
{
	uint32_t worst = KITH_SEVERITY_OK;
	for (size_t i = 0; health && i < health->count; i++)
		if (health->findings[i].severity > worst)
			worst = health->findings[i].severity;
	return (kith_severity)worst;
}

static const char *trend(double figure, double previous)
{
	if (!isfinite(figure) || !isfinite(previous))
		return NULL;
	double tol = 1e-9 * (fabs(figure) + fabs(previous));
	return figure > previous + tol ? "up" : figure < previous - tol ? "down" : "flat";
}

kith_status kith_health_to_json(const kith_health *health, char *buf, size_t size, size_t *needed)
{
	if (!health || (!buf && size))
		return KITH_EINVAL;
	struct kith_text o;
	kith_text_init(&o, buf, size);
	kith_text_puts(&o, "{\"now_ms\":");
	kith_text_i64(&o, health->now_ms);
	kith_text_printf(&o, ",\"worst\":\"%s\",\"findings\":[",
	                 severity_names[kith_health_worst(health)]);
	for (size_t i = 0; i < health->count; i++) {
		const struct finding *f = &health->findings[i];
		kith_text_printf(&o,
		                 "%s{\"code\":\"%s\",\"severity\":\"%s\",\"figure\":", i ? "," : "",
		                 code_names[f->code], severity_names[f->severity]);
		kith_text_number(&o, f->figure, 9);
		kith_text_puts(&o, ",\"threshold\":");
		kith_text_number(&o, f->threshold, 9);
		kith_text_puts(&o, ",\"previous\":");
		kith_text_number(&o, f->previous, 9);
		const char *t = trend(f->figure, f->previous);
		kith_text_puts(&o, ",\"trend\":");
		if (t)
			kith_text_printf(&o, "\"%s\"", t);
		else
			kith_text_puts(&o, "null");
		kith_text_puts(&o, ",\"explanation\":");
		const char *text = health->strings.data + f->text;
		kith_text_json_string(&o, text, strlen(text));
		kith_text_puts(&o, "}");
	}
	kith_text_puts(&o, "]}");
	kith_text_finish(&o, needed);
	return KITH_OK;
}
