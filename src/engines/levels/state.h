/*
 * The levels engine's identity and state (state.c): the definitions as
 * text and compiled, the per-member records, the level changes on show,
 * and the settings transaction its entry in the engine table calls.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_ENGINES_LEVELS_STATE_H
#define KITH_ENGINES_LEVELS_STATE_H

#include "engines/levels/defs.h"
#include "model/community.h"
#include "model/engine.h"
#include "model/roles.h"
#include "util/memory.h"
#include "util/random.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One entry of a figure: counts keep (day, how many that day) in day
 * order; distinct figures keep (last day seen, key). */
struct levels_entry {
	int32_t day;
	uint32_t v;
};

/* What the engine keeps of one member it tracks (a member gets a record
 * on the first event that feeds a figure, XP or a level). The figures
 * share one block e: figure f's entries start at the sum of alloc[g]
 * for g < f. A figure never holds more than the engine's cap of it
 * (the most any level asks), so a record's size follows the member's
 * own activity up to that bound. */
struct levels_rec {
	uint32_t member;
	uint8_t level;  /* 1 + index of the ranked level held; 0 none */
	uint8_t locked; /* set by hand with a lock */
	/* 1 + the figure whose growth alone can let the next level hold (the
	 * first counted requirement found short at the last check: until an
	 * event feeds that figure, every check would fail on it again, since
	 * figures only fall as time passes); 0: any event may. Together with
	 * wait_day it keeps a member far from the next level from being
	 * checked at each event, at no cost in memory (it fills what was
	 * padding). Not saved, like wait_day. */
	uint8_t blocked;
	uint8_t unused;
	uint32_t xp_level;
	/* No promotion is possible before this local day (a bound worked out
	 * at the last check; INT32_MIN: check at the next event). Not saved:
	 * a loaded record checks again. */
	int32_t wait_day;
	uint64_t xp;
	int64_t promoted_ms; /* when the level held was reached */
	int64_t last_xp_ms;  /* KITH_TIME_NONE: never rewarded */
	int64_t sanction_ms; /* last kick or ban; KITH_TIME_NONE none */
	struct levels_entry *e;
	uint16_t n[FIG_N];
	uint16_t alloc[FIG_N];
};

struct levels_change {
	uint32_t kind; /* a kith_level_change_kind */
	uint32_t member;
	uint32_t level; /* index of the ranked level, or UINT32_MAX */
	uint32_t role;  /* or UINT32_MAX */
	uint32_t xp_level;
};

struct levels_changes {
	struct levels_change *v;
	size_t count, cap;
};

/* Levels whose XP threshold the state keeps (2 KiB; MEE6's curve asks some
 * 29 million XP for level 256). */
#define LEVELS_XP_TABLE 256

/* The engine's state: NULL until a level or a [levels] setting is set. */
struct kith_levels {
	struct levels_defs defs;
	struct level lv[KITH_LEVELS_MAX];
	size_t lv_n;
	struct levels_config cfg;
	uint16_t cap[FIG_N]; /* most entries a figure needs (0: not kept) */
	uint32_t kept;       /* bit f: cap[f] > 0 */
	/* Bit t: an event of type t needs its actor's record even when it
	 * feeds no figure (messages for promotion and XP, reactions for
	 * promotion, kicks and bans for the last sanction). */
	uint32_t actor_types;
	size_t change_max; /* most level changes one event can bring */
	/* xp_next[L]: the total XP that reaches level L + 1 (the curve's
	 * kith_levels_xp_total, worked out once per change of settings), for
	 * the levels nearly every member holds: a rewarded message compares
	 * its member's XP with one entry instead of evaluating the curve. */
	uint64_t xp_next[LEVELS_XP_TABLE];
	uint32_t max_window; /* the longest window, days */
	bool need_active_days;
	struct kith_random rng;
	struct levels_rec *rec;
	size_t rec_n, rec_cap;
	/* slot[member]: the index of its record, UINT32_MAX for none; as long
	 * as the highest handle that ever got a record (4 bytes a member up
	 * to there), so that finding a record at each event is one load. */
	uint32_t *slot;
	size_t slot_n;
	struct levels_changes list[2];
	unsigned shown;
	/* Set by evaluate for commit: the records the event feeds, and the
	 * figures it feeds of each (bit f; FIG_N bits). */
	bool pending;
	uint16_t fed_actor, fed_to;
	uint32_t actor, to;
	uint32_t actor_rec, to_rec; /* their records (UINT32_MAX: none) */
};

/* A pending change of definitions, and once prepared its state. */
struct levels_txn {
	struct levels_defs defs;
	struct kith_levels *prepared;
};

extern const struct kith_engine_id kith_levels_id;

static inline struct kith_levels *kith_levels_of(const kith_community *c)
{
	return (struct kith_levels *)kith_engine_state(c, &kith_levels_id);
}

/* The transaction hooks. */
bool kith_levels_owns(const char *name);
kith_status kith_levels_txn_set(kith_community *c, void **txn, const struct kith_roles *roles,
                                const char *name, const char *value, size_t n, char *err,
                                size_t err_size);
kith_status kith_levels_txn_prepare(kith_community *c, void *txn, const struct kith_roles *roles,
                                    char *err, size_t err_size);
void kith_levels_txn_commit(kith_community *c, void *txn);
void kith_levels_txn_abort(kith_community *c, void *txn);
kith_status kith_levels_setting_get(const kith_community *c, const char *name, char *buf,
                                    size_t size, size_t *needed);
void kith_levels_free(kith_community *c);

/* For the snapshot section: a change that starts from nothing; freeing a
 * state; replacing the community's (cannot fail). */
struct levels_txn *kith_levels_txn_empty(const struct kith_mem *mem);
void kith_levels_state_free(const struct kith_mem *mem, struct kith_levels *s);
void kith_levels_replace(kith_community *c, struct kith_levels *s);

/* Records (state.c): the index of member's record or UINT32_MAX; the
 * record of member, or NULL; room for extra more records, the highest
 * of them for a member below upto (false: out of memory, nothing
 * changed); make one (after that room was made; returns the existing
 * one if any); make sure figure f of r has room for one more entry. */
static inline uint32_t kith_levels_rec_index(const struct kith_levels *s, uint32_t member)
{
	return member < s->slot_n ? s->slot[member] : UINT32_MAX;
}
struct levels_rec *kith_levels_rec(const struct kith_levels *s, uint32_t member);
bool kith_levels_rec_reserve(const struct kith_mem *mem, struct kith_levels *s, size_t extra,
                             uint32_t upto);
struct levels_rec *kith_levels_rec_make(struct kith_levels *s, uint32_t member);
bool kith_levels_fig_reserve(const struct kith_mem *mem, const struct kith_levels *s,
                             struct levels_rec *r, int f);
static inline struct levels_entry *kith_levels_fig(const struct levels_rec *r, int f)
{
	size_t off = 0;
	for (int g = 0; g < f; g++)
		off += r->alloc[g];
	return r->e ? r->e + off : NULL; /* NULL: no entry yet */
}
/* Room for count changes on the list not on show. */
bool kith_levels_changes_reserve(const struct kith_mem *mem, struct kith_levels *s, size_t count);

#endif /* KITH_ENGINES_LEVELS_STATE_H */
