/*
 * The levels engine at ingest and at review, and its public API.
 *
 * A member's figures within a window are answered from the records the
 * engine keeps (state.h): a count keeps one entry per day with activity,
 * and drops its oldest day once the later ones alone reach the most any
 * level asks (so "at least N in the window" stays exact); a distinct
 * figure keeps the most recent keys up to that bound. Active days and
 * days since joining come from the model.
 *
 * SPDX-License-Identifier: MIT
 */
#include "engines/levels/track.h"

#include "engines/levels/defs.h"
#include "engines/levels/state.h"
#include "model/community.h"
#include "model/members.h"
#include "model/value.h"
#include "util/hash.h"
#include "util/memory.h"
#include "util/random.h"
#include "util/text.h"
#include "util/time.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* ---- figures -------------------------------------------------------------- */

static void drop_first(struct levels_rec *r, struct levels_entry *e, int f)
{
	memmove(e, e + 1, (size_t)(r->n[f] - 1) * sizeof *e);
	r->n[f]--;
}

static void push_count(const struct kith_levels *s, struct levels_rec *r, int f, int32_t day)
{
	if (!s->cap[f])
		return;
	struct levels_entry *e = kith_levels_fig(r, f);
	if (r->n[f] && e[r->n[f] - 1].day == day) {
		if (e[r->n[f] - 1].v < UINT32_MAX)
			e[r->n[f] - 1].v++;
	} else {
		if (r->n[f] == r->alloc[f])
			drop_first(r, e, f);
		e[r->n[f]++] = (struct levels_entry){day, 1};
	}
	if (r->n[f] < 2)
		return; /* nothing to drop (a figure capped at 1 stays here) */
	uint64_t sum = 0;
	for (uint16_t i = 0; i < r->n[f]; i++)
		sum += e[i].v;
	while (r->n[f] > 1 && (sum - e[0].v >= s->cap[f] ||
	                       (int64_t)e[0].day <= (int64_t)day - (int64_t)s->max_window)) {
		sum -= e[0].v;
		drop_first(r, e, f);
	}
}

static void push_distinct(const struct kith_levels *s, struct levels_rec *r, int f, uint32_t key,
                          int32_t day)
{
	if (!s->cap[f])
		return;
	struct levels_entry *e = kith_levels_fig(r, f);
	uint16_t oldest = 0, n = r->n[f];
	int32_t oldest_day = INT32_MAX;
	for (uint16_t i = 0; i < n; i++) {
		if (e[i].v == key) {
			e[i].day = day;
			return;
		}
		if (e[i].day < oldest_day) {
			oldest_day = e[i].day;
			oldest = i;
		}
	}
	if (r->n[f] < r->alloc[f] && r->n[f] < s->cap[f])
		e[r->n[f]++] = (struct levels_entry){day, key};
	else if (r->n[f])
		e[oldest] = (struct levels_entry){day, key};
}

/* Figure f of r within the window days ending on day. */
static int64_t in_window(const struct levels_rec *r, int f, uint32_t window, int64_t day)
{
	if (!r)
		return 0;
	const struct levels_entry *e = kith_levels_fig(r, f);
	int64_t n = 0;
	for (uint16_t i = 0; i < r->n[f]; i++)
		if ((int64_t)e[i].day > day - (int64_t)window)
			n += f < FIG_COUNTS ? (int64_t)e[i].v : 1;
	return n;
}

/* Bits lo..hi (0 <= lo <= hi <= 127) set in a 128-bit map. */
static uint32_t bits_in(const uint32_t w[4], int64_t lo, int64_t hi)
{
	uint32_t n = 0;
	for (int64_t k = lo / 32; k <= hi / 32; k++) {
		int64_t a = lo > k * 32 ? lo - k * 32 : 0, b = hi < k * 32 + 31 ? hi - k * 32 : 31;
		uint32_t word = w[k] >> a;
		if (b - a < 31)
			word &= (UINT32_C(1) << (b - a + 1)) - 1;
		n += (uint32_t)__builtin_popcount(word);
	}
	return n;
}

/* Days with a message among the window days ending on day, from the
 * model's map of 128 days (bit i: the local day of the last message - i). */
static int64_t active_days(const kith_community *c, uint32_t h, uint32_t window, int64_t day)
{
	const struct kith_member *m = kith_member_at(&c->members, h);
	if (m->last_msg_ms == KITH_TIME_NONE)
		return 0;
	int64_t last = kith_local_day(c, m->last_msg_ms);
	int64_t lo = last - day, hi = last - day + (int64_t)window - 1;
	if (lo < 0)
		lo = 0;
	if (hi > 127)
		hi = 127;
	return lo > hi ? 0 : bits_in(m->days, lo, hi);
}

/* The figure a level's key reads for member h at time t. */
static int64_t figure(const kith_community *c, const struct level *l, const struct levels_rec *r,
                      uint32_t h, int key, int64_t t, int64_t day)
{
	if (key == LK_ACTIVE_DAYS)
		return active_days(c, h, l->window, day);
	if (key == LK_JOINED_DAYS) {
		int64_t joined = kith_member_at(&c->members, h)->joined_ms;
		return joined == KITH_TIME_NONE ? 0 : kith_time_diff(t, joined) / KITH_MS_PER_DAY;
	}
	return in_window(r, kith_levels_key_figure(key), l->window, day);
}

/* Whether every requirement of l holds. When one that grows by at most
 * one a day (active days, days with reactions) falls short by d, *wait
 * is the first day it can hold: no event before then can promote. When
 * a count or distinct figure falls short, *block is that figure: no
 * event that does not feed it can promote (figures only fall as time
 * passes). Left alone when the requirement short is one time alone
 * mends (days since joining, clean days, reports leaving the window). */
static bool holds(const kith_community *c, const struct level *l, const struct levels_rec *r,
                  uint32_t h, int64_t t, int64_t day, int64_t *wait, int *block)
{
	static const int daily[2] = {LK_ACTIVE_DAYS, LK_REACTION_DAYS};
	for (int i = 0; i < 2; i++) {
		int k = daily[i];
		if (l->need[k] < 0)
			continue;
		int64_t v = figure(c, l, r, h, k, t, day);
		if (v < l->need[k]) {
			*wait = day + (l->need[k] - v);
			return false;
		}
	}
	for (int k = 0; k < LK_N; k++) {
		if (l->need[k] < 0 || k == LK_ROLE || k == LK_WINDOW || k == LK_DEMOTE_BELOW ||
		    k == LK_GRACE_DAYS || k == LK_ACTIVE_DAYS || k == LK_REACTION_DAYS)
			continue;
		if (k == LK_CLEAN_DAYS) {
			if (r && r->sanction_ms != KITH_TIME_NONE &&
			    kith_time_diff(t, r->sanction_ms) < l->need[k] * KITH_MS_PER_DAY)
				return false;
			continue;
		}
		int64_t v = figure(c, l, r, h, k, t, day);
		bool at_most = kith_levels_key_at_most(k);
		if (at_most ? v > l->need[k] : v < l->need[k]) {
			if (!at_most && k != LK_JOINED_DAYS)
				*block = kith_levels_key_figure(k);
			return false;
		}
	}
	return true;
}

/* Whether a counted requirement fell below the low-water mark. */
static bool fell(const kith_community *c, const struct level *l, const struct levels_rec *r,
                 uint32_t h, int64_t t, int64_t day)
{
	for (int k = 0; k < LK_N; k++) {
		if (l->need[k] <= 0 || !kith_levels_key_counted(k))
			continue;
		/* v < f * need, in exact arithmetic for the fractions parsed. */
		if ((double)figure(c, l, r, h, k, t, day) < l->demote_below * (double)l->need[k])
			return true;
	}
	return false;
}

/* ---- changes ------------------------------------------------------------- */

static void change(struct levels_changes *l, uint32_t kind, uint32_t member, uint32_t level,
                   uint32_t role, uint32_t xp_level)
{
	/* evaluate reserved room for every change an event can bring */
	if (l->count < l->cap)
		l->v[l->count++] = (struct levels_change){kind, member, level, role, xp_level};
}

/* Promote r as far as its figures allow (at ingest: an event only
 * raises figures), and keep the bounds of this check (wait_day,
 * blocked) with which may_promote skips the checks that would fail
 * again: an event costs a member far from the next level a few
 * comparisons. */
static void promote(const kith_community *c, const struct kith_levels *s, struct levels_rec *r,
                    struct levels_changes *out, int64_t t, int64_t day)
{
	int64_t wait = day;
	int block = -1;
	while (!r->locked && r->level < s->lv_n &&
	       holds(c, &s->lv[r->level], r, r->member, t, day, &wait, &block)) {
		change(out, KITH_LEVEL_PROMOTED, r->member, r->level, s->lv[r->level].role, 0);
		r->level++;
		r->promoted_ms = t;
	}
	r->wait_day = wait > INT32_MAX ? INT32_MAX : (int32_t)wait;
	r->blocked = (uint8_t)(block + 1);
}

/* Figures fall only as time passes, so demotion is the review's: one
 * level at a time, once the grace period is over. */
static void demote(const kith_community *c, const struct kith_levels *s, struct levels_rec *r,
                   struct levels_changes *out, int64_t t, int64_t day)
{
	if (r->locked || !r->level)
		return;
	const struct level *l = &s->lv[r->level - 1];
	if (l->demote_below <= 0 ||
	    (r->promoted_ms != KITH_TIME_NONE && kith_time_diff(t, r->promoted_ms) < l->grace_ms))
		return;
	if (fell(c, l, r, r->member, t, day)) {
		r->level--;
		r->wait_day = INT32_MIN; /* the bounds were for the level above */
		r->blocked = 0;
		change(out, KITH_LEVEL_DEMOTED, r->member, r->level, l->role, 0);
	}
}

/* The total XP that reaches level L + 1. */
static inline uint64_t xp_next(const struct kith_levels *s, uint32_t L)
{
	return L < LEVELS_XP_TABLE ? s->xp_next[L] : kith_levels_xp_total(&s->cfg, L + 1);
}

/* Award XP for a message after the cooldown, and the level up and
 * rewards it brings. */
static void award_xp(const kith_community *c, struct kith_levels *s, struct levels_rec *r,
                     struct levels_changes *out, int64_t t)
{
	/* The caller checked the cooldown (it turns most messages away). */
	const struct levels_config *cfg = &s->cfg;
	/* (most charters exempt no role: no member to look up) */
	if (cfg->no_xp && (kith_member_at(&c->members, r->member)->roles & cfg->no_xp))
		return;
	uint32_t gain = cfg->xp_min + kith_random_below(&s->rng, cfg->xp_max - cfg->xp_min + 1);
	r->xp = r->xp > UINT64_MAX - gain ? UINT64_MAX : r->xp + gain;
	r->last_xp_ms = t;
	uint32_t old = r->xp_level, now = old;
	while (now < 1000000 && xp_next(s, now) <= r->xp)
		now++;
	if (now == old)
		return;
	r->xp_level = now;
	change(out, KITH_LEVEL_UP, r->member, UINT32_MAX, UINT32_MAX, now);
	for (size_t i = 0; i < cfg->reward_n; i++)
		if (cfg->reward[i].level > old && cfg->reward[i].level <= now)
			change(out, KITH_LEVEL_REWARD, r->member, UINT32_MAX, cfg->reward[i].role,
			       cfg->reward[i].level);
}

/* ---- ingest -------------------------------------------------------------- */

static size_t str_len(const char *s, size_t n)
{
	return s && n == KITH_NUL_TERMINATED ? strlen(s) : (s ? n : 0);
}

#define BIT(f) (1u << (f))
/* Out of line, so that the entry points keep a small frame for the
 * events that need little. */
#if defined(__GNUC__)
#define LEVELS_OUT_OF_LINE static __attribute__((noinline))
#else
#define LEVELS_OUT_OF_LINE static
#endif

/* The figures an event feeds (bit f: figure f) of the actor h and of the
 * other member `to`, among those the levels keep. */
static inline void feeds(const struct kith_levels *s, const kith_event *ev, uint32_t h,
                         uint32_t to, unsigned *fa, unsigned *fo)
{
	*fa = *fo = 0;
	bool other = to != UINT32_MAX && to != h;
	if (ev->type == KITH_EVENT_MESSAGE) {
		unsigned a = s->kept & (BIT(FIG_MESSAGES) | (other ? BIT(FIG_REPLIED) : 0));
		/* str_len only when threads are kept: it may have to count */
		if ((s->kept & BIT(FIG_THREADS)) && str_len(ev->reply_to, ev->reply_to_len))
			a |= BIT(FIG_THREADS);
		*fa = a;
	} else if (ev->type == KITH_EVENT_REACTION) {
		*fa = s->kept & BIT(FIG_GIVEN);
		if (other)
			*fo = s->kept &
			      (BIT(FIG_RECEIVED) | BIT(FIG_REACTION_DAYS) | BIT(FIG_REACTORS));
	} else if (ev->type == KITH_EVENT_REPORT && other) {
		*fo = s->kept & (BIT(FIG_REPORTS) | BIT(FIG_REPORTERS));
	}
}

/* Make sure each figure in fed of r has room for one more entry. */
static bool reserve_figures(const struct kith_mem *mem, const struct kith_levels *s,
                            struct levels_rec *r, unsigned fed)
{
	for (; fed; fed &= fed - 1) {
		int f = __builtin_ctz(fed);
		/* the check of kith_levels_fig_reserve, without the call */
		if (r->n[f] == r->alloc[f] && r->alloc[f] < s->cap[f] &&
		    !kith_levels_fig_reserve(mem, s, r, f))
			return false;
	}
	return true;
}

/* Whether each figure in fed of r has room for one more entry (the
 * check of kith_levels_fig_reserve, without the call). */
static inline bool has_room(const struct kith_levels *s, const struct levels_rec *r, unsigned fed)
{
	for (; fed; fed &= fed - 1) {
		int f = __builtin_ctz(fed);
		if (r->n[f] == r->alloc[f] && r->alloc[f] < s->cap[f])
			return false;
	}
	return true;
}

/* The slow side of evaluate: make the records the event needs and room
 * in their figures. */
LEVELS_OUT_OF_LINE kith_status make_room(kith_community *c, struct kith_levels *s, uint32_t h,
                                  uint32_t to, bool need_a, unsigned fa, unsigned fo)
{
	const struct kith_mem *mem = &c->mem;
	uint32_t ia = kith_levels_rec_index(s, h);
	uint32_t io = fo ? kith_levels_rec_index(s, to) : UINT32_MAX;
	bool make_a = need_a && ia == UINT32_MAX, make_o = fo && io == UINT32_MAX;
	if (make_a || make_o) {
		uint32_t upto = make_a ? h + 1 : 0;
		if (make_o && to + 1 > upto)
			upto = to + 1;
		if (!kith_levels_rec_reserve(mem, s, (size_t)make_a + make_o, upto))
			return kith_fail(c, KITH_ENOMEM, "out of memory for the levels of a member");
		if (make_a)
			ia = (uint32_t)(kith_levels_rec_make(s, h) - s->rec);
		if (make_o)
			io = (uint32_t)(kith_levels_rec_make(s, to) - s->rec);
	}
	if ((fa && !reserve_figures(mem, s, &s->rec[ia], fa)) ||
	    (fo && !reserve_figures(mem, s, &s->rec[io], fo)))
		return kith_fail(c, KITH_ENOMEM, "out of memory for the levels of a member");
	return KITH_OK;
}

kith_status kith_levels_evaluate(kith_community *c, const struct kith_hook_event *e)
{
	const kith_event *ev = e->ev;
	uint32_t actor = e->actor, to = e->to;
	struct kith_levels *s = c->hook_state; /* the engine's, never NULL here */
	s->pending = false;
	/* A new actor gets the next handle; an empty record made for it now
	 * is the same as none, should the ingest fail after all. */
	uint32_t h = actor != UINT32_MAX ? actor : c->members.count;
	unsigned fa, fo;
	feeds(s, ev, h, to, &fa, &fo);
	bool need_a = fa || (ev->type < 32 && (s->actor_types >> ev->type & 1));
	if (!need_a && !fo)
		return KITH_OK; /* commit empties the changes on show */
	uint32_t ia = kith_levels_rec_index(s, h);
	uint32_t io = fo ? kith_levels_rec_index(s, to) : UINT32_MAX;
	/* Most events find their records and room in them: nothing to make. */
	if ((need_a && ia == UINT32_MAX) || (fo && io == UINT32_MAX) ||
	    (fa && !has_room(s, &s->rec[ia], fa)) || (fo && !has_room(s, &s->rec[io], fo))) {
		kith_status st = make_room(c, s, h, to, need_a, fa, fo);
		if (st != KITH_OK)
			return st;
		ia = kith_levels_rec_index(s, h);
		io = fo ? kith_levels_rec_index(s, to) : UINT32_MAX;
	}
	/* the change lists have room for any one event (state.c) */
	s->pending = true;
	s->actor = h;
	s->to = to;
	s->fed_actor = (uint16_t)fa;
	s->fed_to = (uint16_t)fo;
	s->actor_rec = ia;
	s->to_rec = io;
	return KITH_OK;
}

/* Whether a check of r's next level could succeed now (the bounds of the
 * last check, inline so that most events skip the call). */
static inline bool may_promote(const struct kith_levels *s, const struct levels_rec *r,
                               int64_t day, unsigned fed)
{
	return r->level < s->lv_n && !r->locked && day >= r->wait_day &&
	       (!r->blocked || (fed >> (r->blocked - 1) & 1));
}

/* Commit's work once evaluate found records to feed. */
LEVELS_OUT_OF_LINE void apply(kith_community *c, struct kith_levels *s, const kith_event *ev)
{
	struct levels_changes *out = &s->list[s->shown];
	int64_t t = ev->time_ms;
	int32_t day = (int32_t)kith_local_day_cached(c, t);
	unsigned fa = s->fed_actor, fo = s->fed_to;
	struct levels_rec *ra = s->actor_rec != UINT32_MAX ? &s->rec[s->actor_rec] : NULL;
	struct levels_rec *ro = fo ? &s->rec[s->to_rec] : NULL;
	if (!ra)
		fa = 0; /* (evaluate made a record for every event that feeds one) */
	if (fa & BIT(FIG_MESSAGES))
		push_count(s, ra, FIG_MESSAGES, day);
	if (fa & ~BIT(FIG_MESSAGES)) {
		if (fa & BIT(FIG_GIVEN))
			push_count(s, ra, FIG_GIVEN, day);
		if (fa & BIT(FIG_THREADS)) {
			size_t n = str_len(ev->reply_to, ev->reply_to_len);
			push_distinct(s, ra, FIG_THREADS,
			              (uint32_t)kith_hash_bytes(ev->reply_to, n), day);
		}
		if (fa & BIT(FIG_REPLIED))
			push_distinct(s, ra, FIG_REPLIED, s->to, day);
	}
	if (ro) {
		if (fo & BIT(FIG_RECEIVED))
			push_count(s, ro, FIG_RECEIVED, day);
		if (fo & BIT(FIG_REPORTS))
			push_count(s, ro, FIG_REPORTS, day);
		if (fo & BIT(FIG_REPORTERS))
			push_distinct(s, ro, FIG_REPORTERS, s->actor, day);
		if (fo & BIT(FIG_REACTION_DAYS))
			push_distinct(s, ro, FIG_REACTION_DAYS, (uint32_t)day, day);
		if (fo & BIT(FIG_REACTORS))
			push_distinct(s, ro, FIG_REACTORS, s->actor, day);
	}
	if (!ra)
		return;
	switch (ev->type) {
	case KITH_EVENT_MESSAGE:
		/* The ranked levels, then XP (cooldown first, without a call). */
		if (may_promote(s, ra, day, fa))
			promote(c, s, ra, out, t, day);
		if (s->cfg.xp_max && (ra->last_xp_ms == KITH_TIME_NONE ||
		                      kith_time_diff(t, ra->last_xp_ms) >= s->cfg.cooldown_ms))
			award_xp(c, s, ra, out, t);
		break;
	case KITH_EVENT_REACTION:
		/* The ranked levels of both members, whose figures grew. */
		if (may_promote(s, ra, day, fa))
			promote(c, s, ra, out, t, day);
		if (ro && ro != ra && may_promote(s, ro, day, fo))
			promote(c, s, ro, out, t, day);
		break;
	case KITH_EVENT_KICK:
	case KITH_EVENT_BAN: ra->sanction_ms = t; break;
	default: break;
	}
}

void kith_levels_commit(kith_community *c, const struct kith_hook_event *e)
{
	const kith_event *ev = e->ev;
	struct kith_levels *s = c->hook_state; /* the engine's, never NULL here */
	/* The list not on show becomes the one on show, emptied. */
	s->shown ^= 1;
	s->list[s->shown].count = 0;
	if (s->pending) {
		s->pending = false;
		apply(c, s, ev);
	}
}

/* ---- review and the public API ------------------------------------------ */

kith_status kith_community_levels_review(kith_community *community, int64_t now_ms)
{
	if (!community)
		return KITH_EINVAL;
	kith_community *c = community;
	if (c->last_event_ms != KITH_TIME_NONE && now_ms < c->last_event_ms)
		return kith_fail(c, KITH_EORDER, "review at %lld ms is before the last event",
		                 (long long)now_ms);
	struct kith_levels *s = kith_levels_of(c);
	if (!s)
		return KITH_OK;
	size_t held = 0;
	for (size_t i = 0; i < s->rec_n; i++)
		held += s->rec[i].level != 0;
	if (!kith_levels_changes_reserve(&c->mem, s, held))
		return kith_fail(c, KITH_ENOMEM, "out of memory for the level changes");
	struct levels_changes *out = &s->list[s->shown ^ 1];
	out->count = 0;
	s->shown ^= 1;
	int64_t day = kith_local_day(c, now_ms);
	for (size_t i = 0; i < s->rec_n; i++)
		if (s->rec[i].level)
			demote(c, s, &s->rec[i], out, now_ms, day);
	return KITH_OK;
}

const char *kith_level_change_kind_name(kith_level_change_kind kind)
{
	switch (kind) {
	case KITH_LEVEL_NONE: return "none";
	case KITH_LEVEL_PROMOTED: return "promoted";
	case KITH_LEVEL_DEMOTED: return "demoted";
	case KITH_LEVEL_UP: return "level_up";
	case KITH_LEVEL_REWARD: return "reward";
	}
	return "unknown";
}

size_t kith_level_count(const kith_community *community)
{
	const struct kith_levels *s = community ? kith_levels_of(community) : NULL;
	return s ? s->lv_n : 0;
}

const char *kith_level_name(const kith_community *community, size_t i)
{
	const struct kith_levels *s = community ? kith_levels_of(community) : NULL;
	return s && i < s->lv_n ? s->defs.lv[i].name : NULL;
}

static const struct levels_change *change_at(const kith_community *c, size_t i)
{
	const struct kith_levels *s = c ? kith_levels_of(c) : NULL;
	if (!s || i >= s->list[s->shown].count)
		return NULL;
	return &s->list[s->shown].v[i];
}

size_t kith_community_level_change_count(const kith_community *community)
{
	const struct kith_levels *s = community ? kith_levels_of(community) : NULL;
	return s ? s->list[s->shown].count : 0;
}

kith_level_change_kind kith_level_change_kind_of(const kith_community *community, size_t i)
{
	const struct levels_change *ch = change_at(community, i);
	return ch ? (kith_level_change_kind)ch->kind : KITH_LEVEL_NONE;
}

uint32_t kith_level_change_member(const kith_community *community, size_t i)
{
	const struct levels_change *ch = change_at(community, i);
	return ch ? ch->member : UINT32_MAX;
}

const char *kith_level_change_level(const kith_community *community, size_t i)
{
	const struct levels_change *ch = change_at(community, i);
	return ch && ch->level != UINT32_MAX ? kith_level_name(community, ch->level) : NULL;
}

uint32_t kith_level_change_role(const kith_community *community, size_t i)
{
	const struct levels_change *ch = change_at(community, i);
	return ch ? ch->role : UINT32_MAX;
}

uint32_t kith_level_change_xp_level(const kith_community *community, size_t i)
{
	const struct levels_change *ch = change_at(community, i);
	return ch ? ch->xp_level : 0;
}

kith_status kith_community_level_changes_to_json(const kith_community *community, char *buf,
                                                 size_t size, size_t *needed)
{
	if (!community || (!buf && size))
		return KITH_EINVAL;
	struct kith_text o;
	kith_text_init(&o, buf, size);
	size_t n = kith_community_level_change_count(community);
	kith_text_put(&o, "[", 1);
	for (size_t i = 0; i < n; i++) {
		const struct levels_change *ch = change_at(community, i);
		size_t id_n = 0;
		const char *id = kith_member_id(community, ch->member, &id_n);
		const char *level = kith_level_change_level(community, i);
		if (i)
			kith_text_put(&o, ",", 1);
		kith_text_puts(&o, "{\"kind\":\"");
		kith_text_puts(&o, kith_level_change_kind_name((kith_level_change_kind)ch->kind));
		kith_text_puts(&o, "\",\"member\":");
		kith_text_json_string(&o, id ? id : "", id ? id_n : 0);
		kith_text_puts(&o, ",\"level\":");
		if (level)
			kith_text_json_string(&o, level, strlen(level));
		else
			kith_text_puts(&o, "null");
		kith_text_puts(&o, ",\"role\":");
		const char *role =
		        ch->role != UINT32_MAX ? kith_role_name(community, ch->role) : NULL;
		if (role)
			kith_text_json_string(&o, role, strlen(role));
		else
			kith_text_puts(&o, "null");
		kith_text_puts(&o, ",\"xp_level\":");
		kith_text_i64(&o, ch->xp_level);
		kith_text_put(&o, "}", 1);
	}
	kith_text_put(&o, "]", 1);
	kith_text_finish(&o, needed);
	return KITH_OK;
}

kith_status kith_member_level(const kith_community *community, uint32_t member, uint32_t *level,
                              int *locked)
{
	if (!community || !level)
		return KITH_EINVAL;
	if (!kith_member_valid(community, member))
		return KITH_ENOTFOUND;
	const struct kith_levels *s = kith_levels_of(community);
	const struct levels_rec *r = s ? kith_levels_rec(s, member) : NULL;
	*level = r ? r->level : 0;
	if (locked)
		*locked = r ? r->locked : 0;
	return KITH_OK;
}

kith_status kith_member_level_set(kith_community *community, uint32_t member, const char *level,
                                  size_t level_len, int lock, int64_t now_ms)
{
	if (!community)
		return KITH_EINVAL;
	kith_community *c = community;
	if (!kith_member_valid(c, member))
		return kith_fail(c, KITH_ENOTFOUND, "no member with handle %u", (unsigned)member);
	struct kith_levels *s = kith_levels_of(c);
	if (!s || !s->lv_n)
		return kith_fail(c, KITH_ENOTFOUND, "no levels are defined");
	uint8_t want = 0;
	if (level) {
		size_t n = level_len == KITH_NUL_TERMINATED ? strlen(level) : level_len;
		for (size_t i = 0; i < s->lv_n && !want; i++)
			if (strlen(s->defs.lv[i].name) == n &&
			    memcmp(s->defs.lv[i].name, level, n) == 0)
				want = (uint8_t)(i + 1);
		if (!want)
			return kith_fail(c, KITH_ENOTFOUND, "no level named '%.*s'",
			                 (int)(n < 64 ? n : 64), level);
	}
	if (!kith_levels_rec(s, member) && !kith_levels_rec_reserve(&c->mem, s, 1, member + 1))
		return kith_fail(c, KITH_ENOMEM, "out of memory for the levels of a member");
	struct levels_rec *r = kith_levels_rec_make(s, member);
	r->level = want;
	r->locked = lock != 0;
	r->wait_day = INT32_MIN;
	r->blocked = 0;
	r->promoted_ms = now_ms;
	return KITH_OK;
}

kith_status kith_member_xp(const kith_community *community, uint32_t member, uint64_t *xp,
                           uint32_t *level)
{
	if (!community)
		return KITH_EINVAL;
	if (!kith_member_valid(community, member))
		return KITH_ENOTFOUND;
	const struct kith_levels *s = kith_levels_of(community);
	const struct levels_rec *r = s ? kith_levels_rec(s, member) : NULL;
	if (xp)
		*xp = r ? r->xp : 0;
	if (level)
		*level = r ? r->xp_level : 0;
	return KITH_OK;
}
