/*
 * The levels engine in snapshots: section LEVL (optional: written only
 * while the engine has state, so communities without levels keep their
 * bytes).
 *
 * SPDX-License-Identifier: MIT
 *
 * Section LEVL
 * ------------
 *   u32 level count (<= KITH_LEVELS_MAX), then per level in rank order:
 *       str name, then per key in the order of defs.h: str value (empty:
 *       not set)
 *   per [levels] key in the order of defs.h: str value (empty: default)
 *   4 x u64 the XP generator's state
 *   u32 record count, then per record in the order they were made:
 *       u32 member, u8 level (0 .. level count), u8 locked, u64 xp,
 *       i64 promoted_ms, i64 last_xp_ms, i64 sanction_ms, then per
 *       figure: u32 n (0 for a figure no level reads), n x (u32 day as
 *       two's complement, u32 value)
 *
 * Loading replays the values through the engine's own transaction, so
 * every check a setting gets applies, then checks each record against
 * the members the snapshot holds and the bounds the levels set.
 */
#include "engines/levels/snapshot.h"

#include "engines/levels/defs.h"
#include "engines/levels/state.h"
#include "io/container.h"
#include "io/named-defs.h"
#include "model/community.h"
#include "model/roles.h"
#include "util/memory.h"
#include "util/random.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* The fewest bytes one record takes. */
#define RECORD_MIN_SIZE ((size_t)(4 + 1 + 1 + 8 + 3 * 8 + 4 * FIG_N))

static kith_status set(void *ctx, const char *name, const char *v, size_t n, char *err, size_t es);

/* The levels and [levels] settings, encoded as io/named-defs.h says. */
static const struct kith_snap_defs level_defs = {
        .kind = &kith_levels_kind,
        .noun = "level",
        .a_noun = "a level",
        .section = "levels",
        .value_max = LEVELS_VALUE_MAX,
        .key_name = kith_levels_key_name,
        .global_name = kith_levels_global_name,
        .set = set,
};

void kith_levels_snapshot_write(struct kith_snap_writer *w, const kith_community *c)
{
	const struct kith_levels *s = kith_levels_of(c);
	kith_snap_put_defs(w, &level_defs, s->defs.lv, s->defs.count, s->defs.global);
	for (int i = 0; i < 4; i++)
		kith_snap_put_u64(w, s->rng.s[i]);
	uint32_t n = 0;
	for (size_t i = 0; i < s->rec_n; i++)
		n += s->rec[i].member < c->members.count;
	kith_snap_put_u32(w, n);
	for (size_t i = 0; i < s->rec_n; i++) {
		const struct levels_rec *r = &s->rec[i];
		if (r->member >= c->members.count)
			continue; /* made for an event that failed: the same as none */
		kith_snap_put_u32(w, r->member);
		kith_snap_put_u8(w, r->level);
		kith_snap_put_u8(w, r->locked);
		kith_snap_put_u64(w, r->xp);
		kith_snap_put_i64(w, r->promoted_ms);
		kith_snap_put_i64(w, r->last_xp_ms);
		kith_snap_put_i64(w, r->sanction_ms);
		for (int f = 0; f < FIG_N; f++) {
			const struct levels_entry *e = kith_levels_fig(r, f);
			/* A figure no level reads any more (the levels were
			 * redefined) is not kept: it would never be read. */
			uint16_t kept = s->cap[f] ? r->n[f] : 0;
			kith_snap_put_u32(w, kept);
			for (uint16_t j = 0; j < kept; j++) {
				kith_snap_put_u32(w, (uint32_t)e[j].day);
				kith_snap_put_u32(w, e[j].v);
			}
		}
	}
}

/* ---- reading ---------------------------------------------------------------- */

struct loading {
	struct kith_snap_reader *r;
	kith_community *c;
	const struct kith_roles *roles;
	struct levels_txn *t;
	char value[LEVELS_VALUE_MAX + 1];
};

/* A value read, through the engine's own transaction. */
static kith_status set(void *ctx, const char *name, const char *v, size_t n, char *err, size_t es)
{
	struct loading *ld = ctx;
	void *txn = ld->t;
	return kith_levels_txn_set(ld->c, &txn, ld->roles, name, v, n, err, es);
}

static bool read_definitions(struct loading *ld)
{
	struct kith_snap_reader *r = ld->r;
	struct levels_defs *d = &ld->t->defs;
	uint64_t at = kith_snap_offset(r);
	bool any;
	if (!kith_snap_get_defs(r, &level_defs, ld, d->lv, &d->count, d->global, ld->value, &any))
		return false;
	if (!any)
		return kith_snap_fail(r, KITH_ECORRUPT, at,
		                      "the section holds no level and no setting (levels without "
		                      "state write no section)");
	char why[KITH_ERROR_MAX];
	at = kith_snap_offset(r);
	kith_status st = kith_levels_txn_prepare(ld->c, ld->t, ld->roles, why, sizeof why);
	if (st == KITH_ENOMEM)
		return kith_snap_fail(r, KITH_ENOMEM, at, "out of memory compiling the levels");
	if (st != KITH_OK)
		return kith_snap_fail(r, KITH_ECORRUPT, at, "the levels do not compile: %s", why);
	return true;
}

static bool read_figures(struct loading *ld, struct kith_levels *s, struct levels_rec *rec)
{
	struct kith_snap_reader *r = ld->r;
	const struct kith_mem *mem = &ld->c->mem;
	uint32_t n[FIG_N];
	size_t total = 0;
	for (int f = 0; f < FIG_N; f++) {
		uint64_t at = kith_snap_offset(r);
		if (!kith_snap_get_u32(r, &n[f]))
			return false;
		/* A figure holds at most its cap; a level redefined with a
		 * smaller bound may leave more, up to the largest bound. */
		if (n[f] > 65535 || (n[f] && !s->cap[f]))
			return kith_snap_fail(r, KITH_ECORRUPT, at,
			                      "a member's figure holds %u entries", (unsigned)n[f]);
		if (!kith_snap_check_count(r, at, n[f], 65535, 8, "figure entries"))
			return false;
		if (n[f]) {
			struct levels_entry *e = kith_mem_realloc(mem, rec->e, total * sizeof *e,
			                                          (total + n[f]) * sizeof *e);
			if (!e)
				return kith_snap_fail(r, KITH_ENOMEM, at,
				                      "out of memory for figures");
			rec->e = e;
			rec->n[f] = rec->alloc[f] = (uint16_t)n[f];
			for (uint32_t j = 0; j < n[f]; j++) {
				uint32_t day, v;
				if (!kith_snap_get_u32(r, &day) || !kith_snap_get_u32(r, &v))
					return false;
				e[total + j] = (struct levels_entry){(int32_t)day, v};
				if (f < FIG_COUNTS &&
				    (v == 0 || (j && (int32_t)day <= e[total + j - 1].day)))
					return kith_snap_fail(
					        r, KITH_ECORRUPT, at,
					        "a member's counts are not in day order");
			}
		}
		total += n[f];
	}
	return true;
}

static bool read_records(struct loading *ld, struct kith_levels *s, uint32_t members)
{
	struct kith_snap_reader *r = ld->r;
	for (int i = 0; i < 4; i++)
		if (!kith_snap_get_u64(r, &s->rng.s[i]))
			return false;
	uint64_t at = kith_snap_offset(r);
	uint32_t count;
	if (!kith_snap_get_u32(r, &count) ||
	    !kith_snap_check_count(r, at, count, members, RECORD_MIN_SIZE, "level records"))
		return false;
	if (count && !kith_levels_rec_reserve(&ld->c->mem, s, count, 0))
		return kith_snap_fail(r, KITH_ENOMEM, at, "out of memory for level records");
	for (uint32_t i = 0; i < count; i++) {
		at = kith_snap_offset(r);
		uint32_t member;
		uint8_t level, locked;
		uint64_t xp;
		int64_t promoted, last_xp, sanction;
		if (!kith_snap_get_u32(r, &member) || !kith_snap_get_u8(r, &level) ||
		    !kith_snap_get_u8(r, &locked) || !kith_snap_get_u64(r, &xp) ||
		    !kith_snap_get_i64(r, &promoted) || !kith_snap_get_i64(r, &last_xp) ||
		    !kith_snap_get_i64(r, &sanction))
			return false;
		if (member >= members || kith_levels_rec(s, member))
			return kith_snap_fail(
			        r, KITH_ECORRUPT, at,
			        "a level record names member %u twice or out of range",
			        (unsigned)member);
		if (level > s->lv_n || locked > 1 || (locked && !level))
			return kith_snap_fail(
			        r, KITH_ECORRUPT, at, "member %u holds level %u (of %zu, lock %u)",
			        (unsigned)member, (unsigned)level, s->lv_n, (unsigned)locked);
		if (!kith_levels_rec_reserve(&ld->c->mem, s, 0, member + 1))
			return kith_snap_fail(r, KITH_ENOMEM, at, "out of memory for level records");
		struct levels_rec *rec = kith_levels_rec_make(s, member);
		rec->level = level;
		rec->locked = locked;
		rec->xp = xp;
		rec->xp_level = kith_levels_xp_level(&s->cfg, xp);
		rec->promoted_ms = promoted;
		rec->last_xp_ms = last_xp;
		rec->sanction_ms = sanction;
		if (!read_figures(ld, s, rec))
			return false;
	}
	return true;
}

bool kith_levels_snapshot_read(struct kith_snap_reader *r, kith_community *c,
                               const struct kith_roles *roles, uint32_t members, void **out)
{
	*out = NULL;
	const struct kith_mem *mem = &c->mem;
	uint64_t at = kith_snap_offset(r);
	struct loading *ld = kith_mem_alloc(mem, sizeof *ld);
	if (!ld)
		return kith_snap_fail(r, KITH_ENOMEM, at, "out of memory for the levels");
	ld->r = r;
	ld->c = c;
	ld->roles = roles;
	ld->t = kith_levels_txn_empty(mem);
	bool ok = ld->t != NULL;
	if (!ok)
		kith_snap_fail(r, KITH_ENOMEM, at, "out of memory for the levels");
	else
		ok = read_definitions(ld);
	struct kith_levels *s = ok ? ld->t->prepared : NULL;
	if (ok)
		ld->t->prepared = NULL;
	if (ok)
		ok = read_records(ld, s, members);
	if (ok)
		*out = s;
	else
		kith_levels_state_free(mem, s);
	if (ld->t)
		kith_levels_txn_abort(c, ld->t);
	kith_mem_free(mem, ld, sizeof *ld);
	return ok;
}

void kith_levels_install(kith_community *c, void *loaded)
{
	kith_levels_replace(c, loaded);
}

void kith_levels_discard(kith_community *c, void *loaded)
{
	kith_levels_state_free(&c->mem, loaded);
}
