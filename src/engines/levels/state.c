/*
 * The levels engine's state and the transactions that change it: the
 * level.NAME.KEY and levels.KEY settings kept as text, checked one value
 * at a time and compiled as a whole when a change is prepared (a level's
 * role may come later in the same charter). A new state takes over the
 * members' records of the one it replaces, so that redefining a level
 * keeps every figure counted so far and the levels held by name.
 *
 * SPDX-License-Identifier: MIT
 */
#include "engines/levels/state.h"

#include "engines/levels/defs.h"
#include "model/community.h"
#include "model/engine.h"
#include "model/roles.h"
#include "util/lex.h"
#include "util/memory.h"
#include "util/text.h"
#include "util/random.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

const struct kith_engine_id kith_levels_id = {"levels"};

const struct kith_defs_kind kith_levels_kind = {"levels", KITH_LEVELS_MAX, LK_N, GK_N};

/* A level's keys and name fit the shared definitions. */
typedef char levels_keys_fit[LK_N <= KITH_DEF_KEYS_MAX ? 1 : -1];
typedef char levels_name_fits[KITH_LEVEL_NAME_MAX == KITH_DEF_NAME_MAX ? 1 : -1];

static void defs_fini(const struct kith_mem *mem, struct levels_defs *d)
{
	kith_defs_free(mem, &kith_levels_kind, d->lv, d->count, d->global);
	memset(d, 0, sizeof *d);
}

/* A copy of src (empty when src is NULL); false (dst empty) on failure. */
static bool defs_copy(const struct kith_mem *mem, struct levels_defs *dst,
                      const struct levels_defs *src)
{
	memset(dst, 0, sizeof *dst);
	if (!src)
		return true;
	if (!kith_defs_copy(mem, &kith_levels_kind, dst->lv, dst->global, src->lv, src->global,
	                    src->count))
		return false;
	dst->count = src->count;
	return true;
}

static size_t rec_entries(const struct levels_rec *r)
{
	size_t n = 0;
	for (int f = 0; f < FIG_N; f++)
		n += r->alloc[f];
	return n;
}

static void records_fini(const struct kith_mem *mem, struct kith_levels *s)
{
	for (size_t i = 0; i < s->rec_n; i++)
		if (s->rec[i].e)
			kith_mem_free(mem, s->rec[i].e,
			              rec_entries(&s->rec[i]) * sizeof *s->rec[i].e);
	if (s->rec)
		kith_mem_free(mem, s->rec, s->rec_cap * sizeof *s->rec);
	if (s->slot)
		kith_mem_free(mem, s->slot, s->slot_n * sizeof *s->slot);
	s->rec = NULL;
	s->rec_n = s->rec_cap = 0;
	s->slot = NULL;
	s->slot_n = 0;
}

void kith_levels_state_free(const struct kith_mem *mem, struct kith_levels *s)
{
	if (!s)
		return;
	defs_fini(mem, &s->defs);
	records_fini(mem, s);
	for (int i = 0; i < 2; i++)
		if (s->list[i].v)
			kith_mem_free(mem, s->list[i].v, s->list[i].cap * sizeof *s->list[i].v);
	kith_mem_free(mem, s, sizeof *s);
}

/* ---- records ------------------------------------------------------------ */

struct levels_rec *kith_levels_rec(const struct kith_levels *s, uint32_t member)
{
	uint32_t i = kith_levels_rec_index(s, member);
	return i == UINT32_MAX ? NULL : &s->rec[i];
}

bool kith_levels_rec_reserve(const struct kith_mem *mem, struct kith_levels *s, size_t extra,
                             uint32_t upto)
{
	if (s->rec_n + extra > s->rec_cap &&
	    !kith_mem_grow(mem, (void **)&s->rec, &s->rec_cap, s->rec_n + extra, sizeof *s->rec))
		return false;
	if (upto <= s->slot_n)
		return true;
	size_t old = s->slot_n;
	if (!kith_mem_grow(mem, (void **)&s->slot, &s->slot_n, upto, sizeof *s->slot))
		return false;
	memset(s->slot + old, 0xff, (s->slot_n - old) * sizeof *s->slot); /* UINT32_MAX */
	return true;
}

struct levels_rec *kith_levels_rec_make(struct kith_levels *s, uint32_t member)
{
	struct levels_rec *r = kith_levels_rec(s, member);
	if (r)
		return r;
	r = &s->rec[s->rec_n];
	memset(r, 0, sizeof *r);
	r->member = member;
	r->wait_day = INT32_MIN;
	r->promoted_ms = KITH_TIME_NONE;
	r->last_xp_ms = KITH_TIME_NONE;
	r->sanction_ms = KITH_TIME_NONE;
	s->slot[member] = (uint32_t)s->rec_n++;
	return r;
}

bool kith_levels_fig_reserve(const struct kith_mem *mem, const struct kith_levels *s,
                             struct levels_rec *r, int f)
{
	if (r->n[f] < r->alloc[f] || r->alloc[f] >= s->cap[f])
		return true;
	size_t grow = r->alloc[f] ? r->alloc[f] : 2;
	if (r->alloc[f] + grow > s->cap[f])
		grow = s->cap[f] - r->alloc[f];
	size_t old = rec_entries(r);
	struct levels_entry *e =
	        kith_mem_realloc(mem, r->e, old * sizeof *e, (old + grow) * sizeof *e);
	if (!e)
		return false;
	/* Move the later figures up to open room at the end of f's. */
	size_t end = 0;
	for (int g = 0; g <= f; g++)
		end += r->alloc[g];
	memmove(e + end + grow, e + end, (old - end) * sizeof *e);
	r->e = e;
	r->alloc[f] = (uint16_t)(r->alloc[f] + grow);
	return true;
}

bool kith_levels_changes_reserve(const struct kith_mem *mem, struct kith_levels *s, size_t count)
{
	struct levels_changes *l = &s->list[s->shown ^ 1];
	return count <= l->cap || kith_mem_grow(mem, (void **)&l->v, &l->cap, count, sizeof *l->v);
}

/* ---- transactions ------------------------------------------------------- */

bool kith_levels_owns(const char *name)
{
	return strncmp(name, "level.", 6) == 0 || strncmp(name, "levels.", 7) == 0;
}

kith_status kith_levels_txn_set(kith_community *c, void **txn, const struct kith_roles *roles,
                                const char *name, const char *v, size_t n, char *err, size_t es)
{
	(void)roles;
	const struct kith_mem *mem = &c->mem;
	if (!v)
		v = "";
	kith_lex_trim(&v, &n);
	kith_status st = kith_defs_value_check(v, n, LEVELS_VALUE_MAX, err, es);
	if (st != KITH_OK)
		return st;
	struct levels_txn *t = *txn;
	if (!t) {
		t = kith_mem_calloc(mem, 1, sizeof *t);
		const struct kith_levels *s = kith_levels_of(c);
		if (!t || !defs_copy(mem, &t->defs, s ? &s->defs : NULL)) {
			if (t)
				kith_mem_free(mem, t, sizeof *t);
			snprintf(err, es, "out of memory");
			return KITH_ENOMEM;
		}
		*txn = t;
	}
	if (strncmp(name, "levels.", 7) == 0) {
		int k = kith_levels_global_find(name + 7);
		if (k < 0) {
			snprintf(err, es,
			         "no such setting: the [levels] keys are xp_min, xp_max, "
			         "xp_cooldown, xp_seed, xp_curve, no_xp_roles and rewards");
			return KITH_ENOTFOUND;
		}
		st = n ? kith_levels_global_check(k, v, n, err, es) : KITH_OK;
		if (st != KITH_OK)
			return st;
		return kith_defs_set_text(mem, &t->defs.global[k], v, n,
		                          kith_levels_global_default(k), err, es);
	}
	const char *lname = name + 6, *dot = strrchr(name, '.');
	if (strncmp(name, "level.", 6) != 0 || !dot || dot < lname) {
		snprintf(err, es, "expected level.NAME.KEY");
		return KITH_ENOTFOUND;
	}
	size_t ln = (size_t)(dot - lname);
	if (!kith_role_name_valid(lname, ln)) {
		snprintf(err, es,
		         "bad level name '%.*s': expected 1 to 64 letters, digits, '-', '_' or '.'",
		         (int)(ln < 64 ? ln : 64), lname);
		return KITH_EINVAL;
	}
	int key = kith_levels_key_find(dot + 1);
	if (key < 0) {
		snprintf(err, es,
		         "unknown level key '%.32s': expected role, window_days, active_days, "
		         "messages, threads, replied_members, reactions_given, reactions_received, "
		         "reaction_days, reactors, joined_days, reports_max, reporters_max, "
		         "clean_days, "
		         "demote_below or grace_days",
		         dot + 1);
		return KITH_ENOTFOUND;
	}
	if (n && (st = kith_levels_check(key, v, n, err, es)) != KITH_OK)
		return st;
	return kith_defs_set(mem, &kith_levels_kind, t->defs.lv, &t->defs.count, lname, ln, key, v,
	                     n, err, es);
}

/* Caps and windows the compiled levels need. */
static void derive(struct kith_levels *s)
{
	memset(s->cap, 0, sizeof s->cap);
	s->max_window = 0;
	s->need_active_days = false;
	for (size_t i = 0; i < s->lv_n; i++) {
		const struct level *l = &s->lv[i];
		bool windowed = false;
		for (int k = 0; k < LK_N; k++) {
			int f = kith_levels_key_figure(k);
			if (l->need[k] < 0 || (f < 0 && k != LK_ACTIVE_DAYS))
				continue;
			windowed = true;
			if (k == LK_ACTIVE_DAYS) {
				s->need_active_days = true;
				continue;
			}
			int64_t want = kith_levels_key_at_most(k) ? l->need[k] + 1 : l->need[k];
			if (want > s->cap[f])
				s->cap[f] = (uint16_t)want;
		}
		if (windowed && l->window > s->max_window)
			s->max_window = l->window;
	}
	s->kept = 0;
	for (int f = 0; f < FIG_N; f++)
		if (s->cap[f])
			s->kept |= UINT32_C(1) << f;
	s->actor_types = UINT32_C(1) << KITH_EVENT_KICK | UINT32_C(1) << KITH_EVENT_BAN;
	if (s->lv_n || s->cfg.xp_max)
		s->actor_types |= UINT32_C(1) << KITH_EVENT_MESSAGE;
	if (s->lv_n)
		s->actor_types |= UINT32_C(1) << KITH_EVENT_REACTION;
	/* Per member (the actor and the other): every ranked level, a level
	 * up and every reward; two spare. */
	s->change_max = 2 * (s->lv_n + 2 + s->cfg.reward_n);
	for (uint32_t l = 0; l < LEVELS_XP_TABLE; l++)
		s->xp_next[l] = kith_levels_xp_total(&s->cfg, l + 1);
}

kith_status kith_levels_txn_prepare(kith_community *c, void *txn, const struct kith_roles *roles,
                                    char *err, size_t es)
{
	struct levels_txn *t = txn;
	struct levels_defs *d = &t->defs;
	const struct kith_mem *mem = &c->mem;
	d->count = kith_defs_prune(&kith_levels_kind, d->lv, d->count);
	kith_levels_state_free(mem, t->prepared);
	t->prepared = NULL;
	bool any = d->count > 0;
	for (int k = 0; k < GK_N; k++)
		any |= d->global[k] != NULL;
	if (!any)
		return KITH_OK;
	struct kith_levels *s = kith_mem_calloc(mem, 1, sizeof *s);
	if (!s) {
		snprintf(err, es, "out of memory");
		return KITH_ENOMEM;
	}
	s->lv_n = d->count;
	for (size_t i = 0; i < d->count; i++)
		if (!kith_levels_compile(&d->lv[i], roles, &s->lv[i], err, es)) {
			kith_mem_free(mem, s, sizeof *s);
			return KITH_EINVAL;
		}
	if (!kith_levels_config_compile(d->global, roles, &s->cfg, err, es)) {
		kith_mem_free(mem, s, sizeof *s);
		return KITH_EINVAL;
	}
	derive(s);
	/* Room in both lists for the most changes an event brings, so that
	 * an ingest never has to ask for it. */
	for (int i = 0; i < 2; i++)
		if (!kith_mem_grow(mem, (void **)&s->list[i].v, &s->list[i].cap, s->change_max,
		                   sizeof *s->list[i].v)) {
			kith_levels_state_free(mem, s);
			snprintf(err, es, "out of memory");
			return KITH_ENOMEM;
		}
	kith_random_seed(&s->rng, s->cfg.seed);
	s->defs = *d;
	memset(d, 0, sizeof *d);
	t->prepared = s;
	return KITH_OK;
}

void kith_levels_txn_abort(kith_community *c, void *txn)
{
	struct levels_txn *t = txn;
	if (!t)
		return;
	defs_fini(&c->mem, &t->defs);
	kith_levels_state_free(&c->mem, t->prepared);
	kith_mem_free(&c->mem, t, sizeof *t);
}

/* Hand the old state's members over to the new one: records, the
 * generator when the seed is unchanged, levels held (by name). Cannot
 * fail: the records move, nothing is allocated. */
static void take_over(struct kith_levels *s, struct kith_levels *old)
{
	if (!old)
		return;
	s->rec = old->rec;
	s->rec_n = old->rec_n;
	s->rec_cap = old->rec_cap;
	s->slot = old->slot;
	s->slot_n = old->slot_n;
	old->rec = NULL;
	old->rec_n = old->rec_cap = 0;
	old->slot = NULL;
	old->slot_n = 0;
	if (old->cfg.seed == s->cfg.seed)
		s->rng = old->rng;
	uint8_t map[KITH_LEVELS_MAX + 1] = {0};
	for (size_t i = 0; i < old->lv_n; i++)
		for (size_t j = 0; j < s->lv_n; j++)
			if (strcmp(old->defs.lv[i].name, s->defs.lv[j].name) == 0)
				map[i + 1] = (uint8_t)(j + 1);
	for (size_t i = 0; i < s->rec_n; i++) {
		struct levels_rec *r = &s->rec[i];
		r->level = map[r->level];
		r->wait_day = INT32_MIN;
		r->blocked = 0;
		if (!r->level)
			r->locked = 0;
		r->xp_level = kith_levels_xp_level(&s->cfg, r->xp);
	}
}

void kith_levels_txn_commit(kith_community *c, void *txn)
{
	struct levels_txn *t = txn;
	if (t->prepared)
		take_over(t->prepared, kith_levels_of(c));
	kith_levels_replace(c, t->prepared);
	t->prepared = NULL;
	kith_levels_txn_abort(c, t);
}

struct levels_txn *kith_levels_txn_empty(const struct kith_mem *mem)
{
	return kith_mem_calloc(mem, 1, sizeof(struct levels_txn));
}

void kith_levels_replace(kith_community *c, struct kith_levels *s)
{
	kith_levels_state_free(&c->mem, kith_levels_of(c));
	kith_engine_set_state(c, &kith_levels_id, s);
}

void kith_levels_free(kith_community *c)
{
	kith_levels_replace(c, NULL);
}

kith_status kith_levels_setting_get(const kith_community *c, const char *name, char *buf,
                                    size_t size, size_t *needed)
{
	const struct kith_levels *s = kith_levels_of(c);
	const char *v = NULL;
	if (strncmp(name, "levels.", 7) == 0) {
		int k = kith_levels_global_find(name + 7);
		if (k < 0)
			return KITH_ENOTFOUND;
		v = s && s->defs.global[k] ? s->defs.global[k] : kith_levels_global_default(k);
	} else if (strncmp(name, "level.", 6) == 0) {
		kith_status st = kith_defs_get(s ? s->defs.lv : NULL, s ? s->defs.count : 0,
		                               name + 6, kith_levels_key_find, &v);
		if (st != KITH_OK)
			return st;
	} else {
		return KITH_ENOTFOUND;
	}
	struct kith_text o;
	kith_text_init(&o, buf, size);
	kith_text_puts(&o, v);
	kith_text_finish(&o, needed);
	return KITH_OK;
}
