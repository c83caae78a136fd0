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
#include "util/random.h"
#include "util/u32map.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

const struct kith_engine_id kith_levels_id = {"levels"};

static void text_free(const struct kith_mem *mem, char *s)
{
	if (s)
		kith_mem_free(mem, s, strlen(s) + 1);
}

static void defs_fini(const struct kith_mem *mem, struct levels_defs *d)
{
	for (size_t i = 0; i < d->count; i++)
		for (int k = 0; k < LK_N; k++)
			text_free(mem, d->lv[i].value[k]);
	for (int k = 0; k < GK_N; k++)
		text_free(mem, d->global[k]);
	memset(d, 0, sizeof *d);
}

static bool dup_into(const struct kith_mem *mem, char **dst, const char *src)
{
	*dst = src ? kith_mem_strdup(mem, src, strlen(src)) : NULL;
	return !src || *dst;
}

static bool defs_copy(const struct kith_mem *mem, struct levels_defs *dst,
                      const struct levels_defs *src)
{
	memset(dst, 0, sizeof *dst);
	if (!src)
		return true;
	bool ok = true;
	for (size_t i = 0; i < src->count; i++) {
		memcpy(dst->lv[i].name, src->lv[i].name, sizeof dst->lv[i].name);
		for (int k = 0; k < LK_N; k++)
			ok &= dup_into(mem, &dst->lv[i].value[k], src->lv[i].value[k]);
		dst->count = i + 1;
	}
	for (int k = 0; k < GK_N; k++)
		ok &= dup_into(mem, &dst->global[k], src->global[k]);
	if (!ok)
		defs_fini(mem, dst);
	return ok;
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
	kith_u32map_fini(mem, &s->index);
	s->rec = NULL;
	s->rec_n = s->rec_cap = 0;
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
	uint32_t i = kith_u32map_get(&s->index, member);
	return i == UINT32_MAX ? NULL : &s->rec[i];
}

bool kith_levels_rec_reserve(const struct kith_mem *mem, struct kith_levels *s, size_t extra)
{
	if (s->rec_n + extra > s->rec_cap &&
	    !kith_mem_grow(mem, (void **)&s->rec, &s->rec_cap, s->rec_n + extra, sizeof *s->rec))
		return false;
	return kith_u32map_reserve(mem, &s->index, extra);
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
	kith_u32map_put(&s->index, member, (uint32_t)s->rec_n++);
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

static struct level_def *defs_find(struct levels_defs *d, const char *name, size_t n)
{
	for (size_t i = 0; i < d->count; i++)
		if (strlen(d->lv[i].name) == n && memcmp(d->lv[i].name, name, n) == 0)
			return &d->lv[i];
	return NULL;
}

static kith_status set_text(const struct kith_mem *mem, char **slot, const char *v, size_t n,
                            const char *dflt, char *err, size_t es)
{
	if (dflt && n == strlen(dflt) && memcmp(v, dflt, n) == 0)
		n = 0;
	char *d = NULL;
	if (n && !(d = kith_mem_strdup(mem, v, n))) {
		snprintf(err, es, "out of memory");
		return KITH_ENOMEM;
	}
	text_free(mem, *slot);
	*slot = d;
	return KITH_OK;
}

kith_status kith_levels_txn_set(kith_community *c, void **txn, const struct kith_roles *roles,
                                const char *name, const char *v, size_t n, char *err, size_t es)
{
	(void)roles;
	const struct kith_mem *mem = &c->mem;
	if (!v)
		v = "";
	kith_lex_trim(&v, &n);
	if (n && memchr(v, '\0', n)) {
		snprintf(err, es, "the value holds a NUL byte");
		return KITH_EINVAL;
	}
	if (n > LEVELS_VALUE_MAX) {
		snprintf(err, es, "a value holds at most %d bytes", LEVELS_VALUE_MAX);
		return KITH_ERANGE;
	}
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
		kith_status st = n ? kith_levels_global_check(k, v, n, err, es) : KITH_OK;
		if (st != KITH_OK)
			return st;
		return set_text(mem, &t->defs.global[k], v, n, kith_levels_global_default(k), err,
		                es);
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
		         "reaction_days, reactors, joined_days, reports_max, clean_days, "
		         "demote_below or grace_days",
		         dot + 1);
		return KITH_ENOTFOUND;
	}
	if (n) {
		kith_status st = kith_levels_check(key, v, n, err, es);
		if (st != KITH_OK)
			return st;
	}
	struct level_def *d = defs_find(&t->defs, lname, ln);
	if (!d) {
		if (n == 0)
			return KITH_OK;
		if (t->defs.count == KITH_LEVELS_MAX) {
			snprintf(err, es, "a community holds at most %d levels", KITH_LEVELS_MAX);
			return KITH_ELIMIT;
		}
		d = &t->defs.lv[t->defs.count++];
		memset(d, 0, sizeof *d);
		memcpy(d->name, lname, ln);
	}
	return set_text(mem, &d->value[key], v, n, NULL, err, es);
}

static bool def_empty(const struct level_def *d)
{
	for (int k = 0; k < LK_N; k++)
		if (d->value[k])
			return false;
	return true;
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
			int64_t want = k == LK_REPORTS_MAX ? l->need[k] + 1 : l->need[k];
			if (want > s->cap[f])
				s->cap[f] = (uint16_t)want;
		}
		if (windowed && l->window > s->max_window)
			s->max_window = l->window;
	}
}

kith_status kith_levels_txn_prepare(kith_community *c, void *txn, const struct kith_roles *roles,
                                    char *err, size_t es)
{
	struct levels_txn *t = txn;
	struct levels_defs *d = &t->defs;
	const struct kith_mem *mem = &c->mem;
	size_t kept = 0;
	for (size_t i = 0; i < d->count; i++)
		if (!def_empty(&d->lv[i]))
			d->lv[kept++] = d->lv[i];
	d->count = kept;
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
	s->index = old->index;
	old->rec = NULL;
	old->rec_n = old->rec_cap = 0;
	memset(&old->index, 0, sizeof old->index);
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
		const char *lname = name + 6, *dot = strrchr(name, '.');
		if (dot < lname)
			dot = NULL;
		int k = dot ? kith_levels_key_find(dot + 1) : -1;
		const struct level_def *d = NULL;
		for (size_t i = 0; s && dot && i < s->defs.count; i++)
			if (strlen(s->defs.lv[i].name) == (size_t)(dot - lname) &&
			    memcmp(s->defs.lv[i].name, lname, (size_t)(dot - lname)) == 0)
				d = &s->defs.lv[i];
		if (!d || k < 0)
			return KITH_ENOTFOUND;
		v = d->value[k] ? d->value[k] : "";
	} else {
		return KITH_ENOTFOUND;
	}
	size_t len = strlen(v);
	if (needed)
		*needed = len;
	if (size) {
		size_t k = len < size - 1 ? len : size - 1;
		memcpy(buf, v, k);
		buf[k] = '\0';
	}
	return KITH_OK;
}
