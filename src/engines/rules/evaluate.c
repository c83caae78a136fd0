/*
 * The rules engine at ingest. It evaluates the event before the model
 * changes (kith_rules_evaluate), reserving all it needs and rendering the
 * verdicts into the list not on show; after the model is applied,
 * kith_rules_commit swaps the lists and records the effects (violation
 * counts, flood and repeat state). A failed ingest therefore changes
 * nothing, not even the verdicts on show.
 *
 * Flood and repeat state is a sparse table with one fixed record
 * (FLOOD_RING times) per member who posted within the horizon (the
 * longest flood window, and at least a day for repeats); older records
 * are dropped when the table would grow, so it holds at most about twice
 * the members active within the horizon.
 *
 * SPDX-License-Identifier: MIT
 */
#include "engines/rules/evaluate.h"

#include "engines/rules/keywords.h"
#include "engines/rules/parse.h"
#include "engines/rules/rules.h"
#include "engines/rules/txn.h"
#include "engines/rules/verdict-list.h"
#include "engines/rules/verdicts.h"
#include "model/community.h"
#include "model/members.h"
#include "model/names.h"
#include "model/settings.h"
#include "model/value.h"
#include "util/bytes.h"
#include "util/hash.h"
#include "util/lex.h"
#include "util/memory.h"
#include "util/time.h"

#include <inttypes.h>
#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* The facts about the member an event is about, as they will be. */
struct who {
	uint32_t h;
	uint32_t roles;
	uint32_t perms;
	int64_t joined_ms;
	int64_t first_msg_ms;
	bool name_ok;
	bool exists;
};

static void who_of(const kith_community *c, uint32_t h, bool exists, int64_t t, struct who *w)
{
	memset(w, 0, sizeof *w);
	w->h = h;
	w->exists = exists;
	w->joined_ms = t;
	w->first_msg_ms = KITH_TIME_NONE;
	w->name_ok = kith_name_compliant(c, NULL, 0);
	if (exists) {
		const struct kith_member *m = kith_member_at(&c->members, h);
		w->roles = m->roles;
		w->joined_ms = m->present ? m->joined_ms : t;
		w->first_msg_ms = m->first_msg_ms;
		w->name_ok = m->name_ok;
	}
	for (uint32_t r = 0; r < c->roles.count; r++)
		if (w->roles >> r & 1)
			w->perms |= c->roles.role[r].permissions;
}

static bool exempt(const struct crule *r, const struct who *w)
{
	if (r->custom_exempt)
		return (w->roles & r->exempt_roles) != 0;
	return (w->roles & (1u << KITH_ROLE_OWNER | 1u << KITH_ROLE_ADMIN)) || (w->perms & KITH_PERM_EXEMPT);
}

struct flood_entry *kith_rules_flood_find(const struct kith_rules *r, uint32_t h, size_t *slot)
{
	if (!r->flood_cap)
		return NULL;
	size_t mask = r->flood_cap - 1;
	for (size_t i = kith_hash_u64(h) & mask;; i = (i + 1) & mask) {
		if (r->flood[i].member_plus1 == h + 1) {
			*slot = i;
			return &r->flood[i];
		}
		if (r->flood[i].member_plus1 == 0) {
			*slot = i;
			return NULL;
		}
	}
}

static bool stale(const struct flood_entry *e, int64_t now, int64_t horizon)
{
	return kith_time_diff(now, e->last_ms) > horizon;
}

/* Make sure member h has a slot; dropping stale records first, which
 * changes no outcome since a stale record reads as an empty one. */
static bool flood_reserve(kith_community *c, struct kith_rules *r, uint32_t h, int64_t now)
{
	size_t slot;
	if (kith_rules_flood_find(r, h, &slot) || (r->flood_cap && (r->flood_used + 1) * 4 <= r->flood_cap * 3))
		return true;
	size_t live = 0;
	for (size_t i = 0; i < r->flood_cap; i++)
		live += r->flood[i].member_plus1 && !stale(&r->flood[i], now, r->set->horizon_ms);
	size_t cap = 16;
	while (cap < (live + 1) * 2)
		cap *= 2;
	struct flood_entry *t = kith_mem_calloc(&c->mem, cap, sizeof *t);
	if (!t)
		return false;
	struct kith_rules fresh = {0};
	fresh.flood = t;
	fresh.flood_cap = cap;
	for (size_t i = 0; i < r->flood_cap; i++) {
		const struct flood_entry *e = &r->flood[i];
		if (e->member_plus1 && !stale(e, now, r->set->horizon_ms)) {
			kith_rules_flood_find(&fresh, e->member_plus1 - 1, &slot);
			t[slot] = *e;
			fresh.flood_used++;
		}
	}
	if (r->flood)
		kith_mem_free(&c->mem, r->flood, r->flood_cap * sizeof *r->flood);
	r->flood = t;
	r->flood_cap = cap;
	r->flood_used = fresh.flood_used;
	return true;
}

/* Off topic: the community has topics and the message is on none of
 * them, as content value judges it (model/value.c). */
static bool off_topic(const kith_community *c, const kith_event *ev)
{
	return c->settings.topic_count && !kith_value_on_topic(c, ev);
}

/* regexec reads a NUL-terminated string, so the text is copied (once per
 * message, and only when some regex passed its prefilter) into a scratch
 * buffer grown before the model changes. A text is matched up to its
 * first NUL byte. */
static bool regex_match(kith_community *c, struct kith_rules *r, const regex_t *re, const char *text,
                        size_t n, bool *copied, bool *nomem)
{
	if (!*copied) {
		if (n + 1 > r->scratch_cap) {
			void *p = r->scratch;
			size_t cap = r->scratch_cap;
			if (!kith_mem_grow(&c->mem, &p, &cap, n + 1, 1)) {
				*nomem = true;
				return false;
			}
			r->scratch = p;
			r->scratch_cap = cap;
		}
		if (n)
			memcpy(r->scratch, text, n);
		r->scratch[n] = '\0';
		*copied = true;
	}
	return regexec(re, r->scratch, 0, NULL, 0) == 0;
}

/* The rule's actions for a member who broke it; "warn" is the next step
 * of the ladder. */
struct staging {
	struct intent *in;
	size_t n, cap;
};

static void stage(struct staging *s, uint32_t action, uint32_t member, uint32_t rule, enum tmpl tmpl,
                  int64_t mute_ms, int64_t deadline_ms, bool with_msg)
{
	if (s->n < s->cap)
		s->in[s->n++] = (struct intent){action, member, rule, tmpl, mute_ms, deadline_ms, with_msg};
}

static uint32_t next_violation(const kith_community *c, struct kith_rules *r, uint32_t h, bool exists,
                               int64_t t)
{
	if (r->eff.violation && r->eff.violator == h)
		return r->eff.count;
	const struct kith_member_extra *x = exists ? kith_members_extra(&c->members, h) : NULL;
	uint32_t v = x ? x->violations : 0;
	if (x && kith_violations_forgiven(x, r->set->forgive_ms, t))
		v = 0;
	return v < UINT32_MAX ? v + 1 : v;
}

static void fire(const kith_community *c, struct kith_rules *r, struct staging *s, uint32_t rule,
                 const struct who *w, int64_t t, int64_t deadline, bool with_msg)
{
	const struct ruleset *set = r->set;
	const struct crule *cr = &set->rule[rule];
	enum tmpl base = cr->cond & C_NAME ? TMPL_ULTIMATUM : TMPL_WARNING;
	uint32_t count = 0;
	/* A rule that is not counted acts without counting: a "warn" in it
	 * takes the step the member's count is at (Marie's antiflood bans
	 * without adding a warn). */
	if (cr->punitive && cr->uncounted) {
		uint32_t next = next_violation(c, r, w->h, w->exists, t);
		count = next > 1 ? next - 1 : 1;
	} else if (cr->punitive) {
		count = next_violation(c, r, w->h, w->exists, t);
		/* One member's violations are counted per event; an event that
		 * could make two members break rules counts the first. */
		if (!r->eff.violation) {
			r->eff.violation = true;
			r->eff.violator = w->h;
			r->eff.count = count;
		}
	}
	for (uint32_t k = 0; k < cr->nact; k++) {
		struct action a = cr->act[k];
		if (a.type == KITH_ACTION_WARN) {
			uint32_t step = count < set->ladder_n ? count : set->ladder_n;
			a = set->ladder[step ? step - 1 : 0];
		}
		enum tmpl tm = a.type == KITH_ACTION_WELCOME  ? TMPL_WELCOME
		               : a.type == KITH_ACTION_REMIND ? TMPL_REMINDER
		               : a.type == KITH_ACTION_REWARD ? TMPL_REWARD
		                                              : base;
		int64_t dl = a.type == KITH_ACTION_MUTE ? kith_time_add(t, a.mute_ms) : deadline;
		stage(s, a.type, w->h, rule, tm, a.mute_ms, dl, with_msg);
	}
}

struct msg_ctx {
	const kith_event *ev;
	size_t text_n, tags_n;
	struct kith_kw_hits hits;
	uint32_t flood_count; /* messages within each rule's window, computed per rule */
	const struct flood_entry *fe;
	uint32_t run;
	uint32_t consecutive; /* this message is the member's n-th in a row */
	bool is_link;
	bool mentions_known; /* mentions is counted (on the first rule asking) */
	uint32_t mentions;
	bool copied; /* the text is in the scratch buffer */
	bool nomem;
};

static uint32_t flood_count(const struct msg_ctx *m, int64_t t, int64_t window, int64_t horizon)
{
	uint32_t n = 1;
	const struct flood_entry *e = m->fe;
	if (!e || stale(e, t, horizon))
		return n;
	for (uint32_t k = 0; k < e->filled; k++) {
		uint32_t i = (e->head + FLOOD_RING - 1 - k) % FLOOD_RING;
		if (kith_time_diff(t, e->times[i]) >= window)
			break;
		n++;
	}
	return n;
}

/* The first of the last `repeats` messages (all the same text, so all the
 * member's latest) came less than repeats_ms before this one. */
static bool repeats_within(const struct msg_ctx *m, const struct crule *cr, int64_t t)
{
	const struct flood_entry *e = m->fe;
	uint32_t back = cr->repeats - 2; /* the first of the run among the earlier messages */
	if (!e || e->filled <= back)
		return false;
	uint32_t i = (e->head + FLOOD_RING - 1 - back) % FLOOD_RING;
	return kith_time_diff(t, e->times[i]) < cr->repeats_ms;
}

/* The scan found some keyword of rule i somewhere; with forms that ask
 * for word edges, look again for one occurrence that meets them. */
static bool keywords_at_edges(const struct ruleset *set, uint32_t i, const struct msg_ctx *m)
{
	const struct rule_def *d = &set->defs.rule[i];
	const char *kw = d->value[KEY_KEYWORDS], *item;
	size_t in, at = 0;
	bool words = kith_rules_keyword_words(d);
	while (kith_lex_item(kw, strlen(kw), &at, &item, &in)) {
		size_t cn;
		if (!in)
			continue;
		unsigned form = kith_rules_keyword_form(item, in, words, &cn);
		if (kith_kw_find_edged(m->ev->text, m->text_n, item + (item[0] == '*'), cn, form))
			return true;
	}
	return false;
}

static bool message_matches(kith_community *c, struct kith_rules *r, uint32_t i, struct msg_ctx *m,
                            const struct who *w, int64_t t, int64_t *deadline)
{
	const struct crule *cr = &r->set->rule[i];
	const kith_event *ev = m->ev;
	uint32_t cond = cr->cond;
	if ((cond & C_KEYWORDS) &&
	    (!kith_kw_hit(&m->hits, i) || (cr->keyword_forms && !keywords_at_edges(r->set, i, m))))
		return false;
	if ((cond & C_KINDS) && !(cr->kinds >> ev->kind & 1))
		return false;
	if (cond & C_MENTIONS) {
		if (!m->mentions_known) {
			m->mentions = kith_kw_mentions(ev->text, m->text_n, KITH_MENTIONS_MAX);
			m->mentions_known = true;
		}
		if (m->mentions < cr->mentions)
			return false;
	}
	if ((cond & C_NEW_MEMBER) && kith_time_diff(t, w->joined_ms) >= cr->new_member_ms)
		return false;
	if ((cond & C_FIRST_LINK) && (w->first_msg_ms != KITH_TIME_NONE || !m->is_link))
		return false;
	if ((cond & C_LINKS) && (!m->is_link || (w->perms & KITH_PERM_LINKS)))
		return false;
	if ((cond & C_REPEATS) && (m->run < cr->repeats || (cr->repeats_ms && !repeats_within(m, cr, t))))
		return false;
	if ((cond & C_FLOOD) && (cr->flood_ms == 0 ? m->consecutive
	                                          : flood_count(m, t, cr->flood_ms, r->set->horizon_ms)) <
	                            cr->flood_n)
		return false;
	if (cond & C_NAME) {
		if (w->name_ok)
			return false;
		const struct kith_member_extra *x = w->exists ? kith_members_extra(&c->members, w->h) : NULL;
		int64_t dl = x && x->ultimatum_deadline_ms != KITH_TIME_NONE
		                 ? x->ultimatum_deadline_ms
		                 : (w->joined_ms <= INT64_MAX - cr->name_deadline_ms ? w->joined_ms + cr->name_deadline_ms
		                                                                     : INT64_MAX);
		if (t < dl)
			return false;
		*deadline = dl;
	}
	if (cond & C_JOINED_DAYS) {
		int64_t age = kith_time_diff(t, w->joined_ms);
		if (cr->joined_below ? !(age < cr->joined_ms) : !(age > cr->joined_ms))
			return false;
	}
	if (cond & C_SCORE) {
		double score = 0;
		if (w->exists)
			kith_member_score(c, w->h, t, &score);
		if (cr->score_below ? !(score < cr->score) : !(score > cr->score))
			return false;
	}
	if ((cond & C_OFF_TOPIC) && !off_topic(c, ev))
		return false;
	if (cond & C_REGEX) {
		if (cr->regex_prefiltered && !kith_kw_hit(&m->hits, 64 + i))
			return false;
		if (!regex_match(c, r, &cr->re, ev->text, m->text_n, &m->copied, &m->nomem))
			return false;
	}
	return true;
}

/* ---- violations triggers ---------------------------------------------------- */

uint32_t kith_rules_name_hash(const char *name)
{
	char low[KITH_RULE_NAME_MAX];
	size_t n = strlen(name);
	n = n < sizeof low ? n : sizeof low;
	kith_lex_lower_copy(low, name, n);
	return (uint32_t)(kith_hash_bytes(low, n) >> 32);
}

static bool viol_stale(const struct kith_rules *r, const struct viol_rec *v, int64_t now)
{
	return kith_time_diff(now, v->time_ms) >= r->set->viol_horizon_ms;
}

/* Room for n more records: stale ones are dropped first, then the oldest
 * when VIOL_LOG_MAX are held (dropping what no window sees changes no
 * outcome). */
static bool viol_reserve(kith_community *c, struct kith_rules *r, size_t n, int64_t now)
{
	while (r->viol_start < r->viol_end && viol_stale(r, &r->viol[r->viol_start], now))
		r->viol_start++;
	size_t held = r->viol_end - r->viol_start;
	if (held + n > VIOL_LOG_MAX) {
		r->viol_start += held + n - VIOL_LOG_MAX;
		held = VIOL_LOG_MAX - n;
	}
	if (r->viol_end + n <= r->viol_cap)
		return true;
	if (r->viol_start) {
		memmove(r->viol, r->viol + r->viol_start, held * sizeof *r->viol);
		r->viol_start = 0;
		r->viol_end = held;
		if (held + n <= r->viol_cap)
			return true;
	}
	void *p = r->viol;
	size_t cap = r->viol_cap;
	if (!kith_mem_grow(&c->mem, &p, &cap, held + n, sizeof *r->viol))
		return false;
	r->viol = p;
	r->viol_cap = cap;
	return true;
}

/* The member's violations of rule src within ms before t, this event's
 * included (YAGPDB counts the one just added). */
static uint32_t violations_within(const struct kith_rules *r, uint32_t member, uint32_t src,
                                  int64_t t, int64_t ms)
{
	uint32_t hash = kith_rules_name_hash(r->set->defs.rule[src].name), n = 1;
	for (size_t k = r->viol_end; k > r->viol_start; k--) {
		const struct viol_rec *v = &r->viol[k - 1];
		if (kith_time_diff(t, v->time_ms) >= ms)
			break;
		n += v->member == member && v->rule_hash == hash;
	}
	return n;
}

/* Of the triggers counting one source that reach their count, the one
 * with the highest count acts (the first of equals); each source is
 * looked at apart. */
static void eval_violations(const kith_community *c, struct kith_rules *r, struct staging *s,
                            const struct who *w, uint64_t fired, int64_t t)
{
	const struct ruleset *set = r->set;
	while (fired) {
		uint32_t src = (uint32_t)__builtin_ctzll(fired);
		fired &= fired - 1;
		uint32_t best = UINT32_MAX;
		for (uint64_t tr = set->viol_triggers; tr; tr &= tr - 1) {
			uint32_t i = (uint32_t)__builtin_ctzll(tr);
			const struct crule *cr = &set->rule[i];
			if (cr->viol_source != src || exempt(cr, w) ||
			    violations_within(r, w->h, src, t, cr->viol_ms) < cr->viol_n)
				continue;
			if (best == UINT32_MAX || cr->viol_n > set->rule[best].viol_n)
				best = i;
		}
		if (best != UINT32_MAX)
			fire(c, r, s, best, w, t, KITH_TIME_NONE, true);
	}
}

static kith_status eval_message(kith_community *c, struct kith_rules *r, struct staging *s,
                                const kith_event *ev, uint32_t h, bool exists, size_t text_n,
                                size_t tags_n)
{
	const struct ruleset *set = r->set;
	int64_t t = ev->time_ms;
	struct msg_ctx m;
	memset(&m, 0, sizeof m);
	m.ev = ev;
	m.text_n = text_n;
	m.tags_n = tags_n;
	if (set->scan && text_n)
		kith_kw_scan(&set->kw, ev->text, text_n, &m.hits);
	m.is_link = ev->kind == KITH_KIND_LINK || ev->kind == KITH_KIND_ARTICLE ||
	            ev->kind == KITH_KIND_SHARE || kith_kw_hit(&m.hits, TAG_LINK);
	if (set->track) {
		if (!flood_reserve(c, r, h, t))
			return KITH_ENOMEM;
		size_t slot = 0;
		const struct flood_entry *e = kith_rules_flood_find(r, h, &slot);
		m.fe = e;
		uint64_t hash = text_n ? kith_hash_bytes(ev->text, text_n) | 1 : 0;
		bool fresh = !e || stale(e, t, set->horizon_ms);
		m.run = !hash ? 0 : !fresh && e->text_hash == hash ? (e->run < UINT32_MAX ? e->run + 1 : e->run) : 1;
		r->eff.track = true;
		r->eff.slot = slot;
		r->eff.actor = h;
		r->eff.text_hash = hash;
		r->eff.run = m.run;
	}
	if (set->consecutive) {
		m.consecutive = r->run_member_plus1 == h + 1 && r->run_count < UINT32_MAX ? r->run_count + 1 : 1;
		r->eff.consecutive = true;
		r->eff.run_member_plus1 = h + 1;
		r->eff.run_count = m.consecutive;
	}
	/* Only the rules whose keyword and regex-literal tags the scan hit
	 * can match; the others are not looked at. */
	_Static_assert(KITH_RULES_MAX <= 63 && TAG_LINK == 63 && KITH_KW_TAGS == 128,
	               "rule i's tags are bit i of hits.w[0] and of hits.w[1]");
	uint64_t candidates = set->message_rules & (m.hits.w[0] | ~set->need_kw) &
	                      (m.hits.w[1] | ~set->need_re);
	struct who who;
	const struct who *w = &who;
	if (candidates)
		who_of(c, h, exists, t, &who);
	uint64_t groups_done = 0; /* bit j: the group of rule j acted */
	uint64_t fired = 0;
	while (candidates) {
		size_t i = (size_t)__builtin_ctzll(candidates);
		candidates &= candidates - 1;
		const struct crule *cr = &set->rule[i];
		int64_t deadline = KITH_TIME_NONE;
		if (exempt(cr, w) || (cr->group && (groups_done >> (cr->group - 1) & 1)))
			continue;
		if (!message_matches(c, r, (uint32_t)i, &m, w, t, &deadline)) {
			if (m.nomem)
				return KITH_ENOMEM;
			continue;
		}
		fire(c, r, s, (uint32_t)i, w, t, deadline, true);
		fired |= UINT64_C(1) << i;
		if (cr->group)
			groups_done |= UINT64_C(1) << (cr->group - 1);
		if ((cr->cond & C_FLOOD) && cr->flood_ms == 0) {
			/* Acting on a run ends it (Marie's antiflood). */
			r->eff.run_member_plus1 = 0;
			r->eff.run_count = 0;
		}
		if (cr->punitive && ev->msg_id) {
			size_t idn = kith_len(ev->msg_id, ev->msg_id_len);
			if (idn) {
				r->eff.bad_id = true;
				r->eff.bad_hash = kith_hash_bytes(ev->msg_id, idn);
			}
		}
	}
	fired &= set->viol_sources;
	if (fired) {
		if (!viol_reserve(c, r, (size_t)__builtin_popcountll(fired), t))
			return KITH_ENOMEM;
		r->eff.viol_fired = fired;
		r->eff.viol_member = h;
		eval_violations(c, r, s, w, fired, t);
	}
	return KITH_OK;
}

static bool recently_bad(const struct kith_rules *r, uint64_t hash)
{
	for (size_t i = 0; i < BAD_IDS; i++)
		if (r->bad_ids[i] == hash && hash)
			return true;
	return false;
}

kith_status kith_rules_evaluate(kith_community *c, const struct kith_hook_event *e)
{
	const kith_event *ev = e->ev;
	uint32_t actor = e->actor, by = e->by, to = e->to;
	size_t actor_n = e->actor_n, msg_id_n = e->msg_id_n, tags_n = e->tags_n, text_n = e->text_n;
	struct kith_rules *r = kith_rules_of(c);
	if (!r)
		return KITH_OK;
	memset(&r->eff, 0, sizeof r->eff);
	r->pending = false;
	r->now = ev->time_ms;
	const struct ruleset *set = r->set;
	struct staging s = {r->intents, 0, r->intents_cap};
	bool exists = actor != UINT32_MAX;
	uint32_t h = exists ? actor : c->members.count;
	int64_t t = ev->time_ms;
	struct who w;
	kith_status st = KITH_OK;
	if (ev->type == KITH_EVENT_MESSAGE)
		st = eval_message(c, r, &s, ev, h, exists, text_n, tags_n);
	else
		who_of(c, h, exists, t, &w);

	switch (ev->type) {
	case KITH_EVENT_JOIN: {
		bool arriving = !exists || !kith_member_at(&c->members, h)->present;
		if (!arriving)
			break;
		for (size_t i = 0; i < set->defs.count; i++) {
			const struct crule *cr = &set->rule[i];
			if (cr->trigger == TRIG_JOIN && !exempt(cr, &w)) {
				fire(c, r, &s, (uint32_t)i, &w, t, KITH_TIME_NONE, false);
			} else if (cr->trigger == TRIG_INVITE && by != UINT32_MAX && by != h) {
				struct who inv;
				who_of(c, by, true, t, &inv);
				if (!exempt(cr, &inv) && !(inv.perms & KITH_PERM_INVITE))
					fire(c, r, &s, (uint32_t)i, &inv, t, KITH_TIME_NONE, false);
			}
		}
		break;
	}
	case KITH_EVENT_REPORT: {
		if (to == UINT32_MAX || to == h)
			break;
		bool real;
		if (msg_id_n) {
			real = recently_bad(r, kith_hash_bytes(ev->msg_id, msg_id_n));
		} else {
			const struct kith_member_extra *x = kith_members_extra(&c->members, to);
			real = x && x->violations > 0 &&
			       !(set->forgive_ms > 0 &&
			         kith_time_diff(t, x->last_violation_ms) >= set->forgive_ms);
		}
		if (!real)
			break;
		for (size_t i = 0; i < set->defs.count; i++)
			if (set->rule[i].trigger == TRIG_REPORT)
				fire(c, r, &s, (uint32_t)i, &w, t, KITH_TIME_NONE, msg_id_n > 0);
		break;
	}
	default:
		break;
	}
	if (st != KITH_OK)
		return kith_fail(c, st, "out of memory evaluating the rules");

	/* Reserve what commit will need. */
	struct kith_verdict_list *next = &r->list[r->shown ^ 1];
	size_t bytes = 0;
	for (size_t i = 0; i < s.n; i++)
		bytes += KITH_RULE_NAME_MAX + 1 + (s.in[i].with_msg ? msg_id_n : 0) + 1 +
		         kith_rules_render_bound(c, &s.in[i], actor_n) + 1;
	if (!kith_verdicts_prepare(&c->mem, next, s.n, bytes) ||
	    (r->eff.violation && !kith_members_reserve_extra(&c->mem, &c->members)))
		return kith_fail(c, KITH_ENOMEM, "out of memory staging the verdicts");
	next->count = s.n; /* the intents wait in r->intents until commit */
	r->pending = true;
	return KITH_OK;
}

void kith_rules_commit(kith_community *c, const struct kith_hook_event *he)
{
	const kith_event *ev = he->ev;
	size_t msg_id_n = he->msg_id_n;
	struct kith_rules *r = kith_rules_of(c);
	if (!r || !r->pending)
		return;
	r->pending = false;
	struct kith_verdict_list *next = &r->list[r->shown ^ 1];
	size_t n = next->count;
	next->count = 0;
	next->buf_len = 0;
	for (size_t i = 0; i < n; i++) {
		const struct intent *in = &r->intents[i];
		struct kith_verdict *v = &next->v[next->count++];
		memset(v, 0, sizeof *v);
		v->action = in->action;
		v->member = in->member;
		v->mute_ms = in->action == KITH_ACTION_MUTE ? in->mute_ms : 0;
		const char *rn = r->set->defs.rule[in->rule].name;
		v->rule_len = (uint32_t)strlen(rn);
		v->rule_off = kith_verdicts_push_str(next, rn, v->rule_len);
		if (in->with_msg && msg_id_n) {
			v->has_msg = true;
			v->msg_len = (uint32_t)msg_id_n;
			v->msg_off = kith_verdicts_push_str(next, ev->msg_id, msg_id_n);
		}
		v->text_off = (uint32_t)next->buf_len;
		v->text_len = (uint32_t)kith_rules_render(c, in, next->buf + next->buf_len);
		next->buf[next->buf_len + v->text_len] = '\0';
		next->buf_len += v->text_len + 1;
	}
	r->shown ^= 1;

	const struct effect *e = &r->eff;
	if (e->violation) {
		/* The record was reserved at evaluation. Warnings are counted for
		 * the member whose violation the event counts. */
		struct kith_member_extra *x = kith_members_extra_get(&c->members, e->violator);
		/* A ladder that resets starts again after its last step (Marie's
		 * warn limit: the count resets when it acts). */
		x->violations = r->set->ladder_resets && e->count >= r->set->ladder_n ? 0 : e->count;
		x->last_violation_ms = r->now;
		for (size_t i = 0; i < n; i++)
			if (r->intents[i].action == KITH_ACTION_WARN && r->intents[i].member == e->violator &&
			    x->warnings < UINT32_MAX)
				x->warnings++;
	}
	if (e->track) {
		struct flood_entry *f = &r->flood[e->slot];
		if (f->member_plus1 != e->actor + 1 || stale(f, r->now, r->set->horizon_ms)) {
			if (f->member_plus1 == 0)
				r->flood_used++;
			memset(f, 0, sizeof *f);
			f->member_plus1 = e->actor + 1;
		}
		f->run = e->run;
		f->text_hash = e->text_hash;
		f->last_ms = r->now;
		f->times[f->head] = r->now;
		f->head = (f->head + 1) % FLOOD_RING;
		if (f->filled < FLOOD_RING)
			f->filled++;
	}
	for (uint64_t f = e->viol_fired; f; f &= f - 1) {
		/* Reserved at evaluation. */
		const char *name = r->set->defs.rule[__builtin_ctzll(f)].name;
		r->viol[r->viol_end++] = (struct viol_rec){e->viol_member, kith_rules_name_hash(name), r->now};
	}
	if (e->consecutive) {
		r->run_member_plus1 = e->run_member_plus1;
		r->run_count = e->run_count;
	}
	if (e->bad_id) {
		r->bad_ids[r->bad_next] = e->bad_hash;
		r->bad_next = (r->bad_next + 1) % BAD_IDS;
	}
}
