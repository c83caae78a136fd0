/*
 * Levels as text and compiled (defs.c): the keys of a [level NAME]
 * section and of [levels], each value checked as it is set, and the
 * whole set compiled once a change is prepared (a level's role may be
 * defined later in the same change).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_ENGINES_LEVELS_DEFS_H
#define KITH_ENGINES_LEVELS_DEFS_H

#include "kith.h"
#include "model/named-defs.h"
#include "model/roles.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Most bytes of one value (a list of rewards fits). */
#define LEVELS_VALUE_MAX 1024
/* The longest window a level can look back over: the model keeps a
 * member's active days for 128 days. */
#define LEVELS_WINDOW_MAX 128

/* The keys of a level, in the order snapshots and listings use. */
enum level_key {
	LK_ROLE,
	LK_WINDOW,
	LK_ACTIVE_DAYS,
	LK_MESSAGES,
	LK_THREADS,
	LK_REPLIED,
	LK_GIVEN,
	LK_RECEIVED,
	LK_REACTION_DAYS,
	LK_REACTORS,
	LK_JOINED_DAYS,
	LK_REPORTS_MAX,
	LK_REPORTERS_MAX,
	LK_CLEAN_DAYS,
	LK_DEMOTE_BELOW,
	LK_GRACE_DAYS,
	LK_N
};

/* The [levels] settings. */
enum levels_key {
	GK_XP_MIN,
	GK_XP_MAX,
	GK_XP_COOLDOWN,
	GK_XP_SEED,
	GK_XP_CURVE,
	GK_NO_XP_ROLES,
	GK_REWARDS,
	GK_N
};

/* The figures the engine keeps per member, beyond the model's. The
 * first FIG_COUNTS are counts (entries: a day and how many that day);
 * the others count distinct keys (entries: a key and the last day it
 * was seen). */
enum figure {
	FIG_MESSAGES,
	FIG_GIVEN,
	FIG_RECEIVED,
	FIG_REPORTS,
	FIG_THREADS,
	FIG_REPLIED,
	FIG_REACTION_DAYS,
	FIG_REACTORS,
	FIG_REPORTERS,
	FIG_N
};
#define FIG_COUNTS 4
/* The figure bits fit the 16 bits state.h keeps them in. */
typedef char levels_figures_fit[FIG_N <= 16 ? 1 : -1];

/* Definitions as text, in the order levels were first set (their rank):
 * a level's name and each key's trimmed value (NULL when not set), in
 * the shared table of model/named-defs.h. */
/* Levels as named definitions: at most KITH_LEVELS_MAX of LK_N keys,
 * and GK_N [levels] settings (state.c). */
extern const struct kith_defs_kind kith_levels_kind;

struct levels_defs {
	size_t count;
	struct kith_def lv[KITH_LEVELS_MAX];
	char *global[GK_N]; /* NULL: the default */
};

/* A level compiled: need[k] is the least figure (the most, for the
 * keys kith_levels_key_at_most names), or -1 when the key is not set. */
struct level {
	uint32_t role;
	uint32_t window; /* days */
	int64_t need[LK_N];
	double demote_below; /* 0: never demoted */
	int64_t grace_ms;
};

#define LEVELS_REWARDS_MAX 32

struct levels_config {
	uint32_t xp_min, xp_max; /* xp_max 0: no XP */
	int64_t cooldown_ms;
	uint64_t seed;
	uint32_t curve[3]; /* a, b, c: a L^2 + b L + c XP from level L to L + 1 */
	uint32_t no_xp;    /* bit r: role r earns nothing */
	size_t reward_n;
	struct levels_reward {
		uint32_t level, role;
	} reward[LEVELS_REWARDS_MAX];
};

/* The figure a level key reads, or -1 (not a figure the engine keeps). */
int kith_levels_key_figure(int key);
/* Whether a key is a counted requirement (one that demotes). */
bool kith_levels_key_counted(int key);
/* Whether a key is a bound from above (reports_max, reporters_max): it
 * holds while the figure is at most the value. */
static inline bool kith_levels_key_at_most(int key)
{
	return key == LK_REPORTS_MAX || key == LK_REPORTERS_MAX;
}

int kith_levels_key_find(const char *name);
const char *kith_levels_key_name(int key);
int kith_levels_global_find(const char *name);
const char *kith_levels_global_name(int key);
const char *kith_levels_global_default(int key);

/* Check one value of a key (trimmed, not empty); err gets the reason. */
kith_status kith_levels_check(int key, const char *v, size_t n, char *err, size_t es);
kith_status kith_levels_global_check(int key, const char *v, size_t n, char *err, size_t es);

/* Compile a level (its role is looked up in roles), and the [levels]
 * settings; false with a reason in err. */
bool kith_levels_compile(const struct kith_def *d, const struct kith_roles *roles,
                         struct level *out, char *err, size_t es);
bool kith_levels_config_compile(char *const global[GK_N], const struct kith_roles *roles,
                                struct levels_config *out, char *err, size_t es);

/* Total XP needed to reach level L under the curve (saturating); inline,
 * as every rewarded message asks it. */
static inline uint64_t kith_levels_xp_total(const struct levels_config *cfg, uint32_t level)
{
	/* The sum over k < L of a k^2 + b k + c, in closed form:
	 * a (L-1) L (2L-1) / 6 + b (L-1) L / 2 + c L. L is at most a few
	 * thousand in practice; the sum is exact in 64 bits up to L ~ 1.5e6
	 * for a at its bound, and saturates beyond. */
	uint64_t L = level;
	if (L > 1000000)
		return UINT64_MAX;
	uint64_t sq = L ? (L - 1) * L * (2 * L - 1) / 6 : 0;
	uint64_t tri = L ? (L - 1) * L / 2 : 0;
	uint64_t a = cfg->curve[0], b = cfg->curve[1], c = cfg->curve[2];
	/* a sq > UINT64_MAX / 4 saturates (the same as sq > UINT64_MAX / 4 / a,
	 * without a division at each message). */
	uint64_t asq;
	if (__builtin_mul_overflow(a, sq, &asq) || asq > UINT64_MAX / 4)
		return UINT64_MAX;
	return asq + b * tri + c * L;
}

/* The level a total of xp reaches. */
uint32_t kith_levels_xp_level(const struct levels_config *cfg, uint64_t xp);

#endif /* KITH_ENGINES_LEVELS_DEFS_H */
