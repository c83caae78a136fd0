/*
 * The cleanup engine: whom to clear out, in two stages (an ultimatum,
 * then removal), with protections, targets and a cap. The rules are in
 * the header (kith.h, "Cleanup"); this file is how they are computed.
 *
 * A plan is one pass over the member records, which collects the
 * candidates, then a partial sort: only as many candidates as the plan
 * lists are ordered (a bounded heap when they are few, quickselect when
 * they are many), so a cap of a hundred over a million members costs
 * little more than the pass.
 *
 * SPDX-License-Identifier: MIT
 */
#include "engines/cleanup/engine.h"

#include "model/community.h"
#include "model/members.h"
#include "model/settings.h"
#include "model/value.h"
#include "util/memory.h"
#include "util/text.h"
#include "util/time.h"

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define REASON_MAX KITH_CLEANUP_LOW_SCORE
#define BIT(r)     (1u << (r))

/* Protections, in the order they are checked. */
enum protection {
	PROTECT_ALLOWED,
	PROTECT_ROLE,
	PROTECT_NEWCOMER,
	PROTECT_PURCHASE,
	PROTECT_ATTENDANCE,
	PROTECT_COUNT,
	PROTECT_NONE = PROTECT_COUNT
};

/* Which reason an entry names when several hold: misconduct first, then
 * the most specific kind of absence, then the rest. */
static const uint8_t reason_priority[REASON_MAX] = {
        KITH_CLEANUP_VIOLATIONS, KITH_CLEANUP_ENVELOPE_ONLY, KITH_CLEANUP_NEVER_SPOKE,
        KITH_CLEANUP_SILENT,     KITH_CLEANUP_NAME,          KITH_CLEANUP_LOW_SCORE,
};

static const char *const reason_names[REASON_MAX + 1] = {
        "none", "never-spoke", "silent", "name", "violations", "envelope-only", "low-score",
};

/* A candidate found by the pass, ordered by `before`. */
struct cand {
	int64_t since; /* silent since: the last message, or the last join when later */
	float score;   /* the stored score: every member's is scaled alike */
	uint32_t member;
	uint8_t rank; /* 0: remove stage, 1: ultimatum stage */
	uint8_t reason;
	uint8_t reasons; /* bit set of reasons */
	uint8_t active;  /* spoke within cleanup.silent_days */
};

/* A listed entry, with its evidence as of the plan's time. */
struct entry {
	uint32_t member;
	uint8_t stage;
	uint8_t reason;
	uint8_t reasons;
	int64_t silent_ms;
	int64_t last_msg_ms;
	int64_t joined_ms;
	int64_t messages;
	int64_t real_messages;
	int64_t envelopes_claimed;
	int64_t violations;
	int64_t deadline_ms;
	int64_t issued_ms;
	double score;
	size_t id; /* offset of a copy of the member's id in strings */
	size_t id_len;
	size_t text; /* offset of the explanation in strings */
};

struct kith_cleanup_plan {
	struct kith_mem mem;
	int64_t now_ms;
	struct entry *entries;
	size_t count;
	struct kith_strings strings;
	int64_t present, active, candidates, waiting, needed, target_met;
	int64_t protected_by[PROTECT_COUNT];
};

const char *kith_cleanup_reason_name(kith_cleanup_reason reason)
{
	return (unsigned)reason <= REASON_MAX ? reason_names[reason] : "unknown";
}

const char *kith_cleanup_stage_name(kith_cleanup_stage stage)
{
	switch (stage) {
	case KITH_CLEANUP_STAGE_ULTIMATUM: return "ultimatum";
	case KITH_CLEANUP_STAGE_REMOVE: return "remove";
	}
	return "unknown";
}

/* ---- ordering and partial sorting ----------------------------------------- */

/* Whether a comes before b: removals first, then longest silent, lowest
 * score, lowest handle. Handles are unique, so the order is total. */
static inline bool before(const struct cand *a, const struct cand *b)
{
	if (a->rank != b->rank)
		return a->rank < b->rank;
	if (a->since != b->since)
		return a->since < b->since;
	if (a->score != b->score)
		return a->score < b->score;
	return a->member < b->member;
}

static int cand_cmp(const void *pa, const void *pb)
{
	const struct cand *a = pa, *b = pb;
	return before(a, b) ? -1 : before(b, a) ? 1 : 0;
}

static inline void cand_swap(struct cand *a, struct cand *b)
{
	struct cand t = *a;
	*a = *b;
	*b = t;
}

/* A max-heap by `before` (the root comes last among the heap's members). */
static void sift_down(struct cand *h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, big = i;
		if (l < n && before(&h[big], &h[l]))
			big = l;
		if (l + 1 < n && before(&h[big], &h[l + 1]))
			big = l + 1;
		if (big == i)
			return;
		cand_swap(&h[i], &h[big]);
		i = big;
	}
}

/* Move the k first candidates in order of a[0..n) to a[0..k) (in any
 * order): a heap of the k best so far, each other candidate compared
 * with its root once. O(n log k), good when k is small. */
static void heap_select(struct cand *a, size_t n, size_t k)
{
	for (size_t i = k / 2; i-- > 0;)
		sift_down(a, k, i);
	for (size_t i = k; i < n; i++) {
		if (before(&a[i], &a[0])) {
			cand_swap(&a[i], &a[0]);
			sift_down(a, k, 0);
		}
	}
}

/* The same by quickselect (Hoare partitions around a median of three),
 * O(n) on average; a range that keeps splitting badly finishes with the
 * heap, so the worst case stays O(n log n). */
static void quick_select(struct cand *a, size_t n, size_t k)
{
	size_t lo = 0, hi = n;
	unsigned budget = 64;
	while (hi - lo > 16) {
		if (budget-- == 0) {
			if (k > lo)
				heap_select(a + lo, hi - lo, k - lo);
			return;
		}
		size_t mid = lo + (hi - lo) / 2;
		if (before(&a[mid], &a[lo]))
			cand_swap(&a[mid], &a[lo]);
		if (before(&a[hi - 1], &a[mid]))
			cand_swap(&a[hi - 1], &a[mid]);
		if (before(&a[mid], &a[lo]))
			cand_swap(&a[mid], &a[lo]);
		struct cand pivot = a[mid];
		size_t i = lo, j = hi - 1;
		/* a[lo] <= pivot <= a[hi - 1] stop both scans inside the range. */
		for (;;) {
			while (before(&a[i], &pivot))
				i++;
			while (before(&pivot, &a[j]))
				j--;
			if (i >= j)
				break;
			cand_swap(&a[i], &a[j]);
			i++;
			j--;
		}
		/* Now a[lo..j] <= pivot <= a[j+1..hi). */
		if (k <= j + 1)
			hi = j + 1;
		else
			lo = j + 1;
	}
	/* The few left: sort them. */
	qsort(a + lo, hi - lo, sizeof *a, cand_cmp);
}

/* Put the k first candidates of a[0..n) in order at a[0..k). */
static void select_sorted(struct cand *a, size_t n, size_t k)
{
	if (k == 0 || n == 0)
		return;
	if (k < n) {
		if (k <= n / 16)
			heap_select(a, n, k);
		else
			quick_select(a, n, k);
	} else {
		k = n;
	}
	qsort(a, k, sizeof *a, cand_cmp);
}

/* ---- the pass ---------------------------------------------------------------- */

struct pass {
	kith_community *c;
	const struct kith_cleanup_settings *es; /* the cleanup.* settings in force */
	int64_t now;
	const uint32_t *extra_of; /* member -> index in the extras + 1 (0: none); NULL when none */
	uint32_t protected_roles;
	int64_t silent_ms;
	int64_t envelope_ms;
	double score_factor;
	struct cand *cands;
	size_t count;
	size_t cap;
	int64_t present, active, waiting, waiting_active;
	int64_t protected_by[PROTECT_COUNT];
	char speak_within[32]; /* cleanup.speak_within for people */
	char warn_now[64];     /* the ultimatum stage's part of an explanation */
};

static int64_t real_messages(const struct kith_member *m)
{
	int64_t n = 0;
	for (int k = 0; k < KITH_KIND_COUNT; k++)
		if (k != KITH_KIND_STICKER && k != KITH_KIND_ENVELOPE && k != KITH_KIND_SYSTEM)
			n += m->kinds[k];
	return n;
}

static int64_t all_messages(const struct kith_member *m)
{
	int64_t n = 0;
	for (int k = 0; k < KITH_KIND_COUNT; k++)
		n += m->kinds[k];
	return n;
}

/* Silent since: the last message, or the last join when that is later
 * (a rejoin starts the count again). */
static int64_t silent_since(const struct kith_member *m)
{
	return m->last_msg_ms != KITH_TIME_NONE && m->last_msg_ms > m->joined_ms ? m->last_msg_ms
	                                                                         : m->joined_ms;
}

static unsigned reasons_of(const struct pass *p, const struct kith_member *m,
                           const struct kith_member_extra *x)
{
	const struct kith_settings *s = &p->c->settings;
	const struct kith_cleanup_settings *es = p->es;
	int64_t now = p->now;
	bool spoke = m->last_msg_ms != KITH_TIME_NONE;
	unsigned mask = 0;
	if (es->max_violations && x && x->violations >= es->max_violations)
		mask |= BIT(KITH_CLEANUP_VIOLATIONS);
	if (m->envelopes_claimed && (!spoke || real_messages(m) == 0 ||
	                             kith_time_diff(now, m->last_msg_ms) >= p->envelope_ms))
		mask |= BIT(KITH_CLEANUP_ENVELOPE_ONLY);
	if (m->first_msg_ms == KITH_TIME_NONE &&
	    kith_time_diff(now, m->joined_ms) >= es->speak_within_ms)
		mask |= BIT(KITH_CLEANUP_NEVER_SPOKE);
	if (spoke && kith_time_diff(now, silent_since(m)) >= p->silent_ms)
		mask |= BIT(KITH_CLEANUP_SILENT);
	if (s->name_format && !m->name_ok)
		mask |= BIT(KITH_CLEANUP_NAME);
	if (es->min_score > 0 && (double)m->score * p->score_factor < es->min_score)
		mask |= BIT(KITH_CLEANUP_LOW_SCORE);
	return mask;
}

static enum protection protection_of(const struct pass *p, const struct kith_member *m,
                                     const struct kith_member_extra *x)
{
	const struct kith_cleanup_settings *es = p->es;
	if (x && (x->flags & KITH_EXTRA_ALLOWED))
		return PROTECT_ALLOWED;
	if (m->roles & p->protected_roles)
		return PROTECT_ROLE;
	if (kith_time_diff(p->now, m->joined_ms) < es->newcomer_grace_ms)
		return PROTECT_NEWCOMER;
	if (es->purchase_protects_ms && x && x->last_purchase_ms != KITH_TIME_NONE &&
	    kith_time_diff(p->now, x->last_purchase_ms) < es->purchase_protects_ms)
		return PROTECT_PURCHASE;
	if (es->attendance_protects_ms && x && x->last_attend_ms != KITH_TIME_NONE &&
	    kith_time_diff(p->now, x->last_attend_ms) < es->attendance_protects_ms)
		return PROTECT_ATTENDANCE;
	return PROTECT_NONE;
}

static unsigned primary_reason(unsigned mask)
{
	for (int i = 0; i < REASON_MAX; i++)
		if (mask & BIT(reason_priority[i]))
			return reason_priority[i];
	return KITH_CLEANUP_NONE;
}

static bool valid_reason(uint32_t r)
{
	return r >= KITH_CLEANUP_NEVER_SPOKE && r <= REASON_MAX;
}

/* Weigh one present member; false when out of memory. */
static bool weigh(struct pass *p, uint32_t h, const struct kith_member *m)
{
	const struct kith_cleanup_settings *es = p->es;
	const struct kith_member_extra *x = NULL;
	if (p->extra_of && p->extra_of[h])
		x = &p->c->members.extras[p->extra_of[h] - 1];
	bool active = m->last_msg_ms != KITH_TIME_NONE &&
	              kith_time_diff(p->now, m->last_msg_ms) < p->silent_ms;
	p->present++;
	p->active += active;
	unsigned mask = reasons_of(p, m, x);
	if (!mask)
		return true;
	enum protection why = protection_of(p, m, x);
	if (why != PROTECT_NONE) {
		p->protected_by[why]++;
		return true;
	}
	struct cand cd;
	cd.since = silent_since(m);
	cd.score = m->score;
	cd.member = h;
	cd.reasons = (uint8_t)mask;
	cd.active = active;
	/* An ultimatum counts while its reason still holds. */
	if (x && x->ultimatum_issued_ms != KITH_TIME_NONE && valid_reason(x->ultimatum_reason) &&
	    (mask & BIT(x->ultimatum_reason))) {
		if (p->now < x->ultimatum_deadline_ms) {
			p->waiting++;
			p->waiting_active += active;
			return true;
		}
		cd.rank = 0;
		cd.reason = (uint8_t)x->ultimatum_reason;
	} else {
		cd.rank = es->ultimatum_ms == 0 ? 0 : 1;
		cd.reason = (uint8_t)primary_reason(mask);
	}
	if (p->count == p->cap &&
	    !kith_mem_grow(&p->c->mem, (void **)&p->cands, &p->cap, p->count + 1, sizeof *p->cands))
		return false;
	p->cands[p->count++] = cd;
	return true;
}

static kith_status run_pass(struct pass *p)
{
	kith_community *c = p->c;
	const struct kith_members *ms = &c->members;
	/* With spare_role_holders every role spares its holders but those of
	 * cleanup.prune_roles, so that a member holding only those is not
	 * spared (Discord's prune with roles chosen); a role protected on its
	 * own always spares. */
	uint32_t prune = kith_cleanup_prune_roles(c);
	for (uint32_t r = 0; r < c->roles.count; r++)
		if (c->roles.role[r].protected_from_cleanup ||
		    (p->es->spare_role_holders && !(prune >> r & 1)))
			p->protected_roles |= 1u << r;
	p->silent_ms = (int64_t)p->es->silent_days * KITH_MS_PER_DAY;
	p->envelope_ms = (int64_t)p->es->envelope_days * KITH_MS_PER_DAY;
	p->score_factor = kith_score_factor_at(c, p->now);
	/* Page by page: the records of a page are contiguous. */
	for (uint32_t base = 0; base < ms->count; base += KITH_PAGE_SIZE) {
		const struct kith_member *page = ms->pages[base >> KITH_PAGE_SHIFT];
		uint32_t n = ms->count - base < KITH_PAGE_SIZE ? ms->count - base : KITH_PAGE_SIZE;
		for (uint32_t j = 0; j < n; j++) {
			if (page[j].present && !weigh(p, base + j, &page[j]))
				return KITH_ENOMEM;
		}
	}
	return KITH_OK;
}

/* ---- targets ------------------------------------------------------------------ */

/* Whether removing j members, `a` of them active, reaches the active
 * share target over present p0 with active a0. */
static bool share_ok(double share, int64_t p0, int64_t a0, int64_t j, int64_t a)
{
	if (share <= 0 || p0 - j <= 0)
		return true;
	return (double)(a0 - a) + 1e-9 >= share * (double)(p0 - j);
}

/* Entries the targets call for (*met false when even all candidates fall
 * short, and then all of them), leaving them first and in order. */
static size_t target_entries(struct pass *p, bool *met)
{
	const struct kith_settings *s = &p->c->settings;
	const struct kith_cleanup_settings *es = p->es;
	double share = es->keep_active_share;
	int64_t p0 = p->present - p->waiting, a0 = p->active - p->waiting_active;
	int64_t n = (int64_t)p->count;
	int64_t room = 0;
	if (es->room_for && s->capacity) {
		room = (int64_t)es->room_for - ((int64_t)s->capacity - p0);
		if (room < 0)
			room = 0;
	}
	if (n == 0) { /* no candidates: the targets are met or they are not */
		*met = room == 0 && share_ok(share, p0, a0, 0, 0);
		return 0;
	}
	/* The count if every removed member is inactive: the answer unless
	 * active candidates come early in the order. */
	int64_t guess = 0;
	if (share > 0) {
		double g = ceil((double)p0 - (double)a0 / share);
		guess = g > 0 ? (int64_t)g : 0;
		while (guess > 0 && share_ok(share, p0, a0, guess - 1, 0))
			guess--;
		while (guess < p0 && !share_ok(share, p0, a0, guess, 0))
			guess++;
	}
	if (guess < room)
		guess = room;
	int64_t k = guess < n ? guess : n;
	for (;;) {
		select_sorted(p->cands, p->count, (size_t)k);
		int64_t a = 0;
		for (int64_t j = 0; j <= k; j++) {
			if (j >= room && share_ok(share, p0, a0, j, a)) {
				*met = true;
				return (size_t)j;
			}
			if (j < k)
				a += p->cands[j].active;
		}
		if (k == n) {
			*met = false;
			return (size_t)n;
		}
		k = k > (n - 16) / 2 ? n : 2 * k + 16;
	}
}

/* ---- building the plan -------------------------------------------------------- */

/* Explanations are written for every listed entry, so the common ones
 * avoid printf: a plan of a quarter of a million entries spends its time
 * here otherwise. */

/* Append an unsigned number. */
static void put_uint(struct kith_text *o, uint64_t v)
{
	char digits[24];
	size_t n = sizeof digits;
	do {
		digits[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	kith_text_put(o, digits + n, sizeof digits - n);
}

/* "40 days", or a finer duration under two days. */
static void put_days(struct kith_text *o, int64_t ms)
{
	if (ms >= 2 * KITH_MS_PER_DAY) {
		put_uint(o, (uint64_t)(ms / KITH_MS_PER_DAY));
		kith_text_puts(o, " days");
	} else {
		kith_text_duration(o, ms);
	}
}

static void explain_reason(struct kith_text *o, const struct pass *p, const struct entry *e)
{
	const struct kith_cleanup_settings *es = p->es;
	switch (e->reason) {
	case KITH_CLEANUP_NEVER_SPOKE:
		kith_text_puts(o, "never spoke in the ");
		put_days(o, e->silent_ms);
		kith_text_puts(o, " since joining (allowed: ");
		kith_text_put(o, p->speak_within, strlen(p->speak_within));
		kith_text_puts(o, ")");
		break;
	case KITH_CLEANUP_SILENT:
		kith_text_puts(o, "silent for ");
		put_days(o, e->silent_ms);
		kith_text_puts(o, " (limit ");
		put_uint(o, es->silent_days);
		kith_text_puts(o, " days)");
		break;
	case KITH_CLEANUP_NAME:
		kith_text_puts(o, "display name does not match the required format");
		break;
	case KITH_CLEANUP_VIOLATIONS:
		kith_text_printf(o, "%lld rule violations (limit %u)", (long long)e->violations,
		                 (unsigned)es->max_violations);
		break;
	case KITH_CLEANUP_ENVELOPE_ONLY:
		kith_text_puts(o, "claimed ");
		put_uint(o, (uint64_t)e->envelopes_claimed);
		kith_text_puts(o, e->envelopes_claimed == 1 ? " red envelope but "
		                                            : " red envelopes but ");
		if (e->real_messages == 0) {
			kith_text_puts(o, "never sent a real message");
		} else {
			kith_text_puts(o, "sent no message for ");
			put_days(o, kith_time_diff(p->now, e->last_msg_ms));
			kith_text_puts(o, " (limit ");
			put_uint(o, es->envelope_days);
			kith_text_puts(o, " days)");
		}
		break;
	case KITH_CLEANUP_LOW_SCORE:
		kith_text_puts(o, "contribution score ");
		kith_text_number(o, e->score, 3);
		kith_text_puts(o, " is under ");
		kith_text_number(o, es->min_score, 6);
		break;
	}
	unsigned others = e->reasons & ~BIT(e->reason);
	if (others) {
		const char *sep = " (also: ";
		for (unsigned r = 1; r <= REASON_MAX; r++) {
			if (others & BIT(r)) {
				kith_text_puts(o, sep);
				kith_text_puts(o, reason_names[r]);
				sep = ", ";
			}
		}
		kith_text_puts(o, ")");
	}
}

static void explain_stage(struct kith_text *o, const struct pass *p, const struct entry *e)
{
	if (e->stage == KITH_CLEANUP_STAGE_ULTIMATUM) {
		kith_text_put(o, p->warn_now, strlen(p->warn_now));
	} else if (e->issued_ms != KITH_TIME_NONE) {
		kith_text_puts(o, "; the ultimatum of ");
		kith_text_duration(o, kith_time_diff(e->deadline_ms, e->issued_ms));
		kith_text_puts(o, " given ");
		kith_text_duration(o, kith_time_diff(p->now, e->issued_ms));
		kith_text_puts(o, " ago has lapsed: remove");
	} else {
		kith_text_puts(o, "; remove (cleanup.ultimatum is 0: no warning stage)");
	}
}

/* The parts of explanations that are the same for every entry. */
static void explain_prepare(struct pass *p)
{
	struct kith_text o;
	kith_text_init(&o, p->speak_within, sizeof p->speak_within);
	kith_text_duration(&o, p->es->speak_within_ms);
	kith_text_finish(&o, NULL);
	kith_text_init(&o, p->warn_now, sizeof p->warn_now);
	kith_text_puts(&o, "; warn now: deadline in ");
	kith_text_duration(&o, p->es->ultimatum_ms);
	kith_text_finish(&o, NULL);
}

static bool fill_entry(struct kith_cleanup_plan *plan, const struct pass *p, const struct cand *cd,
                       struct entry *e)
{
	kith_community *c = p->c;
	const struct kith_member *m = kith_member_at(&c->members, cd->member);
	const struct kith_member_extra *x = NULL;
	if (p->extra_of && p->extra_of[cd->member])
		x = &c->members.extras[p->extra_of[cd->member] - 1];
	e->member = cd->member;
	e->stage = cd->rank == 0 ? KITH_CLEANUP_STAGE_REMOVE : KITH_CLEANUP_STAGE_ULTIMATUM;
	e->reason = cd->reason;
	e->reasons = cd->reasons;
	e->silent_ms = kith_time_diff(p->now, cd->since);
	e->last_msg_ms = m->last_msg_ms;
	e->joined_ms = m->joined_ms;
	e->messages = all_messages(m);
	e->real_messages = real_messages(m);
	e->envelopes_claimed = m->envelopes_claimed;
	e->violations = x ? x->violations : 0;
	e->score = m->score == 0 ? 0 : (double)m->score * p->score_factor;
	bool lapsed = x && x->ultimatum_issued_ms != KITH_TIME_NONE && cd->rank == 0 &&
	              x->ultimatum_reason == cd->reason;
	if (e->stage == KITH_CLEANUP_STAGE_ULTIMATUM) {
		e->deadline_ms = kith_time_add(p->now, kith_cleanup_settings(c)->ultimatum_ms);
		e->issued_ms = KITH_TIME_NONE;
	} else if (lapsed) {
		e->deadline_ms = x->ultimatum_deadline_ms;
		e->issued_ms = x->ultimatum_issued_ms;
	} else {
		e->deadline_ms = KITH_TIME_NONE;
		e->issued_ms = KITH_TIME_NONE;
	}
	size_t id_len;
	const char *id = kith_member_id(c, cd->member, &id_len);
	if (!kith_strings_add(&plan->mem, &plan->strings, id, id_len, &e->id))
		return false;
	e->id_len = id_len;
	char text[512];
	struct kith_text o;
	kith_text_init(&o, text, sizeof text);
	explain_reason(&o, p, e);
	explain_stage(&o, p, e);
	size_t len;
	kith_text_finish(&o, &len);
	if (len > sizeof text - 1)
		len = sizeof text - 1;
	return kith_strings_add(&plan->mem, &plan->strings, text, len, &e->text);
}

static void plan_destroy(struct kith_cleanup_plan *plan)
{
	struct kith_mem mem = plan->mem;
	kith_strings_fini(&mem, &plan->strings);
	kith_mem_free(&mem, plan->entries, plan->count * sizeof *plan->entries);
	kith_mem_free(&mem, plan, sizeof *plan);
}

/* An index from member to its extras, so the pass reads them in order
 * instead of probing the hash map a million times. */
static uint32_t *index_extras(kith_community *c)
{
	const struct kith_members *ms = &c->members;
	uint32_t *idx = kith_mem_calloc(&c->mem, ms->count, sizeof *idx);
	if (!idx)
		return NULL;
	for (size_t i = 0; i < ms->extra_count; i++)
		if (ms->extras[i].member < ms->count)
			idx[ms->extras[i].member] = (uint32_t)i + 1;
	return idx;
}

kith_status kith_cleanup_plan_new(kith_community *community, int64_t now_ms,
                                  kith_cleanup_plan **out)
{
	if (out)
		*out = NULL;
	if (!community || !out)
		return kith_fail(community, KITH_EINVAL, "kith_cleanup_plan_new: NULL argument");
	if (now_ms == KITH_TIME_NONE)
		return kith_fail(
		        community, KITH_EINVAL,
		        "kith_cleanup_plan_new: now is KITH_TIME_NONE, which means 'no time'");
	kith_community *c = community;
	const struct kith_cleanup_settings *es = kith_cleanup_settings(c);
	struct pass p;
	memset(&p, 0, sizeof p);
	p.c = c;
	p.es = es;
	p.now = now_ms;
	uint32_t *extra_of = NULL;
	struct kith_cleanup_plan *plan = NULL;
	/* Without a capacity there are no places to free: no room_for target. */
	bool has_target = es->keep_active_share > 0 ||
	                  (es->room_for > 0 && c->settings.capacity > 0);
	bool met = true;
	size_t listed = 0, wanted = 0;
	if (c->members.extra_count && c->members.count) {
		extra_of = index_extras(c);
		if (!extra_of)
			goto fail;
		p.extra_of = extra_of;
	}
	if (run_pass(&p) != KITH_OK)
		goto fail;

	listed = has_target ? target_entries(&p, &met) : p.count;
	wanted = listed;
	if (es->max_per_run && listed > es->max_per_run)
		listed = es->max_per_run;
	/* target_entries leaves the first `wanted` in order already, so the
	 * capped prefix too. */
	if (!has_target)
		select_sorted(p.cands, p.count, listed);

	explain_prepare(&p);
	plan = kith_mem_calloc(&c->mem, 1, sizeof *plan);
	if (!plan)
		goto fail;
	plan->mem = c->mem;
	plan->now_ms = now_ms;
	if (listed) {
		plan->entries = kith_mem_calloc(&c->mem, listed, sizeof *plan->entries);
		if (!plan->entries)
			goto fail;
	}
	for (size_t i = 0; i < listed; i++) {
		if (!fill_entry(plan, &p, &p.cands[i], &plan->entries[i]))
			goto fail;
		plan->count = i + 1;
	}
	plan->count = listed;
	plan->present = p.present;
	plan->active = p.active;
	plan->candidates = (int64_t)p.count;
	plan->waiting = p.waiting;
	plan->needed = has_target ? (int64_t)wanted : -1;
	plan->target_met = has_target ? met : -1;
	memcpy(plan->protected_by, p.protected_by, sizeof plan->protected_by);
	kith_mem_free(&c->mem, p.cands, p.cap * sizeof *p.cands);
	kith_mem_free(&c->mem, extra_of, c->members.count * sizeof *extra_of);
	*out = plan;
	return KITH_OK;
fail:
	if (plan) {
		/* plan_destroy frees entries by count: free the array by its size. */
		kith_strings_fini(&plan->mem, &plan->strings);
		kith_mem_free(&c->mem, plan->entries, listed * sizeof *plan->entries);
		kith_mem_free(&c->mem, plan, sizeof *plan);
	}
	kith_mem_free(&c->mem, p.cands, p.cap * sizeof *p.cands);
	kith_mem_free(&c->mem, extra_of, c->members.count * sizeof *extra_of);
	return kith_fail(c, KITH_ENOMEM, "out of memory making a cleanup plan");
}

void kith_cleanup_plan_free(kith_cleanup_plan *plan)
{
	if (plan)
		plan_destroy(plan);
}

size_t kith_cleanup_plan_count(const kith_cleanup_plan *plan)
{
	return plan ? plan->count : 0;
}

kith_status kith_cleanup_plan_entry(const kith_cleanup_plan *plan, size_t i, uint32_t *member,
                                    kith_cleanup_stage *stage, kith_cleanup_reason *reason)
{
	if (!plan)
		return KITH_EINVAL;
	if (i >= plan->count)
		return KITH_ENOTFOUND;
	const struct entry *e = &plan->entries[i];
	if (member)
		*member = e->member;
	if (stage)
		*stage = (kith_cleanup_stage)e->stage;
	if (reason)
		*reason = (kith_cleanup_reason)e->reason;
	return KITH_OK;
}

kith_status kith_cleanup_plan_evidence(const kith_cleanup_plan *plan, size_t i,
                                       kith_cleanup_evidence what, int64_t *out)
{
	if (!plan || !out)
		return KITH_EINVAL;
	if (i >= plan->count)
		return KITH_ENOTFOUND;
	const struct entry *e = &plan->entries[i];
	switch (what) {
	case KITH_CLEANUP_EVIDENCE_REASONS: *out = e->reasons; break;
	case KITH_CLEANUP_EVIDENCE_SILENT_MS: *out = e->silent_ms; break;
	case KITH_CLEANUP_EVIDENCE_LAST_MSG_MS: *out = e->last_msg_ms; break;
	case KITH_CLEANUP_EVIDENCE_JOINED_MS: *out = e->joined_ms; break;
	case KITH_CLEANUP_EVIDENCE_MESSAGES: *out = e->messages; break;
	case KITH_CLEANUP_EVIDENCE_REAL_MESSAGES: *out = e->real_messages; break;
	case KITH_CLEANUP_EVIDENCE_ENVELOPES_CLAIMED: *out = e->envelopes_claimed; break;
	case KITH_CLEANUP_EVIDENCE_VIOLATIONS: *out = e->violations; break;
	case KITH_CLEANUP_EVIDENCE_DEADLINE_MS: *out = e->deadline_ms; break;
	case KITH_CLEANUP_EVIDENCE_ISSUED_MS: *out = e->issued_ms; break;
	default: return KITH_EINVAL;
	}
	return KITH_OK;
}

kith_status kith_cleanup_plan_score(const kith_cleanup_plan *plan, size_t i, double *out)
{
	if (!plan || !out)
		return KITH_EINVAL;
	if (i >= plan->count)
		return KITH_ENOTFOUND;
	*out = plan->entries[i].score;
	return KITH_OK;
}

const char *kith_cleanup_plan_explanation(const kith_cleanup_plan *plan, size_t i)
{
	if (!plan || i >= plan->count)
		return NULL;
	return plan->strings.data + plan->entries[i].text;
}

kith_status kith_cleanup_plan_summary(const kith_cleanup_plan *plan, kith_cleanup_summary what,
                                      int64_t *out)
{
	if (!plan || !out)
		return KITH_EINVAL;
	int64_t total = 0;
	for (int k = 0; k < PROTECT_COUNT; k++)
		total += plan->protected_by[k];
	switch (what) {
	case KITH_CLEANUP_SUMMARY_PRESENT: *out = plan->present; break;
	case KITH_CLEANUP_SUMMARY_ACTIVE: *out = plan->active; break;
	case KITH_CLEANUP_SUMMARY_CANDIDATES: *out = plan->candidates; break;
	case KITH_CLEANUP_SUMMARY_WAITING: *out = plan->waiting; break;
	case KITH_CLEANUP_SUMMARY_NEEDED: *out = plan->needed; break;
	case KITH_CLEANUP_SUMMARY_TARGET_MET: *out = plan->target_met; break;
	case KITH_CLEANUP_SUMMARY_PROTECTED: *out = total; break;
	case KITH_CLEANUP_SUMMARY_PROTECTED_ALLOWED:
		*out = plan->protected_by[PROTECT_ALLOWED];
		break;
	case KITH_CLEANUP_SUMMARY_PROTECTED_ROLE: *out = plan->protected_by[PROTECT_ROLE]; break;
	case KITH_CLEANUP_SUMMARY_PROTECTED_NEWCOMER:
		*out = plan->protected_by[PROTECT_NEWCOMER];
		break;
	case KITH_CLEANUP_SUMMARY_PROTECTED_PURCHASE:
		*out = plan->protected_by[PROTECT_PURCHASE];
		break;
	case KITH_CLEANUP_SUMMARY_PROTECTED_ATTENDANCE:
		*out = plan->protected_by[PROTECT_ATTENDANCE];
		break;
	default: return KITH_EINVAL;
	}
	return KITH_OK;
}

static void json_entry(struct kith_text *o, const struct kith_cleanup_plan *plan,
                       const struct entry *e)
{
	kith_text_printf(o, "{\"member\":%u,\"id\":", (unsigned)e->member);
	kith_text_json_string(o, plan->strings.data + e->id, e->id_len);
	kith_text_printf(o, ",\"stage\":\"%s\",\"reason\":\"%s\",\"reasons\":[",
	                 kith_cleanup_stage_name((kith_cleanup_stage)e->stage),
	                 reason_names[e->reason]);
	bool first = true;
	for (unsigned r = 1; r <= REASON_MAX; r++) {
		if (e->reasons & BIT(r)) {
			kith_text_printf(o, "%s\"%s\"", first ? "" : ",", reason_names[r]);
			first = false;
		}
	}
	kith_text_puts(o, "],\"silent_ms\":");
	kith_text_i64(o, e->silent_ms);
	kith_text_puts(o, ",\"last_msg_ms\":");
	kith_text_time(o, e->last_msg_ms);
	kith_text_puts(o, ",\"joined_ms\":");
	kith_text_time(o, e->joined_ms);
	kith_text_printf(o,
	                 ",\"messages\":%lld,\"real_messages\":%lld,\"envelopes_claimed\":%lld"
	                 ",\"violations\":%lld,\"score\":",
	                 (long long)e->messages, (long long)e->real_messages,
	                 (long long)e->envelopes_claimed, (long long)e->violations);
	kith_text_number(o, e->score, 9);
	kith_text_puts(o, ",\"deadline_ms\":");
	kith_text_time(o, e->deadline_ms);
	kith_text_puts(o, ",\"issued_ms\":");
	kith_text_time(o, e->issued_ms);
	kith_text_puts(o, ",\"explanation\":");
	const char *text = plan->strings.data + e->text;
	kith_text_json_string(o, text, strlen(text));
	kith_text_puts(o, "}");
}

kith_status kith_cleanup_plan_to_json(const kith_cleanup_plan *plan, char *buf, size_t size,
                                      size_t *needed)
{
	if (!plan || (!buf && size))
		return KITH_EINVAL;
	struct kith_text o;
	kith_text_init(&o, buf, size);
	int64_t total = 0;
	for (int k = 0; k < PROTECT_COUNT; k++)
		total += plan->protected_by[k];
	kith_text_puts(&o, "{\"now_ms\":");
	kith_text_i64(&o, plan->now_ms);
	kith_text_printf(&o,
	                 ",\"present\":%lld,\"active\":%lld,\"candidates\":%lld,\"waiting\":%lld",
	                 (long long)plan->present, (long long)plan->active,
	                 (long long)plan->candidates, (long long)plan->waiting);
	kith_text_puts(&o, ",\"needed\":");
	if (plan->needed < 0)
		kith_text_puts(&o, "null");
	else
		kith_text_i64(&o, plan->needed);
	kith_text_puts(&o, ",\"target_met\":");
	kith_text_puts(&o, plan->target_met < 0 ? "null" : plan->target_met ? "true" : "false");
	kith_text_printf(&o,
	                 ",\"protected\":{\"allow_list\":%lld,\"role\":%lld,\"newcomer\":%lld"
	                 ",\"purchase\":%lld,\"attendance\":%lld,\"total\":%lld}",
	                 (long long)plan->protected_by[PROTECT_ALLOWED],
	                 (long long)plan->protected_by[PROTECT_ROLE],
	                 (long long)plan->protected_by[PROTECT_NEWCOMER],
	                 (long long)plan->protected_by[PROTECT_PURCHASE],
	                 (long long)plan->protected_by[PROTECT_ATTENDANCE], (long long)total);
	kith_text_puts(&o, ",\"entries\":[");
	for (size_t i = 0; i < plan->count; i++) {
		if (i)
			kith_text_puts(&o, ",");
		json_entry(&o, plan, &plan->entries[i]);
	}
	kith_text_puts(&o, "]}");
	kith_text_finish(&o, needed);
	return KITH_OK;
}

/* ---- ultimatums and the allow-list --------------------------------------------- */

kith_status kith_member_issue_ultimatum(kith_community *community, uint32_t member, int64_t now_ms,
                                        kith_cleanup_reason reason)
{
	kith_community *c = community;
	if (!c)
		return KITH_EINVAL;
	if (!kith_member_valid(c, member))
		return kith_fail(c, KITH_ENOTFOUND, "no member with handle %u", (unsigned)member);
	if (!valid_reason((uint32_t)reason))
		return kith_fail(c, KITH_EINVAL, "%d is not a cleanup reason", (int)reason);
	if (now_ms == KITH_TIME_NONE)
		return kith_fail(c, KITH_EINVAL, "now is KITH_TIME_NONE, which means 'no time'");
	struct kith_member_extra *x = kith_members_extra(&c->members, member);
	if (!x) {
		if (!kith_members_reserve_extra(&c->mem, &c->members))
			return kith_fail(c, KITH_ENOMEM, "out of memory recording an ultimatum");
		x = kith_members_extra_get(&c->members, member);
	}
	x->ultimatum_issued_ms = now_ms;
	x->ultimatum_deadline_ms = kith_time_add(now_ms, kith_cleanup_settings(c)->ultimatum_ms);
	x->ultimatum_reason = (uint32_t)reason;
	kith_member_at(&c->members, member)->ultimatum = 1;
	return KITH_OK;
}

kith_status kith_member_clear_ultimatum(kith_community *community, uint32_t member)
{
	if (!community)
		return KITH_EINVAL;
	if (!kith_member_valid(community, member))
		return kith_fail(community, KITH_ENOTFOUND, "no member with handle %u",
		                 (unsigned)member);
	struct kith_member_extra *x = kith_members_extra(&community->members, member);
	if (x) {
		x->ultimatum_issued_ms = KITH_TIME_NONE;
		x->ultimatum_deadline_ms = KITH_TIME_NONE;
		x->ultimatum_reason = KITH_CLEANUP_NONE;
	}
	kith_member_at(&community->members, member)->ultimatum = 0;
	return KITH_OK;
}

kith_status kith_member_ultimatum(const kith_community *community, uint32_t member,
                                  int64_t *issued_ms, int64_t *deadline_ms,
                                  kith_cleanup_reason *reason)
{
	if (!community)
		return KITH_EINVAL;
	if (!kith_member_valid(community, member))
		return KITH_ENOTFOUND;
	const struct kith_member_extra *x = kith_members_extra(&community->members, member);
	bool pending = x && x->ultimatum_issued_ms != KITH_TIME_NONE;
	if (issued_ms)
		*issued_ms = pending ? x->ultimatum_issued_ms : KITH_TIME_NONE;
	if (deadline_ms)
		*deadline_ms = pending ? x->ultimatum_deadline_ms : KITH_TIME_NONE;
	if (reason)
		*reason = pending && valid_reason(x->ultimatum_reason)
		                  ? (kith_cleanup_reason)x->ultimatum_reason
		                  : KITH_CLEANUP_NONE;
	return KITH_OK;
}

kith_status kith_member_allow(kith_community *community, uint32_t member, int allowed)
{
	if (!community)
		return KITH_EINVAL;
	if (!kith_member_valid(community, member))
		return kith_fail(community, KITH_ENOTFOUND, "no member with handle %u",
		                 (unsigned)member);
	struct kith_member_extra *x = kith_members_extra(&community->members, member);
	if (!allowed) {
		if (x)
			x->flags &= ~KITH_EXTRA_ALLOWED;
		return KITH_OK;
	}
	if (!x) {
		if (!kith_members_reserve_extra(&community->mem, &community->members))
			return kith_fail(community, KITH_ENOMEM,
			                 "out of memory adding to the allow-list");
		x = kith_members_extra_get(&community->members, member);
	}
	x->flags |= KITH_EXTRA_ALLOWED;
	return KITH_OK;
}

int kith_member_is_allowed(const kith_community *community, uint32_t member)
{
	if (!kith_member_valid(community, member))
		return 0;
	const struct kith_member_extra *x = kith_members_extra(&community->members, member);
	return x && (x->flags & KITH_EXTRA_ALLOWED) ? 1 : 0;
}
