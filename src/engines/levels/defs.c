/*
 * The keys of [level NAME] and [levels]: their names, how each value is
 * read and checked, and how a level and the XP settings compile.
 *
 * SPDX-License-Identifier: MIT
 */
#include "engines/levels/defs.h"

#include "model/roles.h"
#include "util/lex.h"
#include "util/time.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const char *const level_keys[LK_N] = {
        "role",          "window_days",     "active_days",     "messages",
        "threads",       "replied_members", "reactions_given", "reactions_received",
        "reaction_days", "reactors",        "joined_days",     "reports_max",
        "reporters_max", "clean_days",      "demote_below",    "grace_days",
};

/* Bounds of the integer keys (role and demote_below are not integers). */
static const uint32_t level_max[LK_N] = {
        [LK_WINDOW] = LEVELS_WINDOW_MAX,
        [LK_ACTIVE_DAYS] = LEVELS_WINDOW_MAX,
        [LK_MESSAGES] = 65535,
        [LK_THREADS] = 1024,
        [LK_REPLIED] = 1024,
        [LK_GIVEN] = 65535,
        [LK_RECEIVED] = 65535,
        [LK_REACTION_DAYS] = LEVELS_WINDOW_MAX,
        [LK_REACTORS] = 1024,
        [LK_JOINED_DAYS] = 36500,
        [LK_REPORTS_MAX] = 1023,
        [LK_REPORTERS_MAX] = 1023,
        [LK_CLEAN_DAYS] = 36500,
        [LK_GRACE_DAYS] = 3650,
};

static const int key_figure[LK_N] = {
        [LK_ROLE] = -1,
        [LK_WINDOW] = -1,
        [LK_ACTIVE_DAYS] = -1,
        [LK_MESSAGES] = FIG_MESSAGES,
        [LK_THREADS] = FIG_THREADS,
        [LK_REPLIED] = FIG_REPLIED,
        [LK_GIVEN] = FIG_GIVEN,
        [LK_RECEIVED] = FIG_RECEIVED,
        [LK_REACTION_DAYS] = FIG_REACTION_DAYS,
        [LK_REACTORS] = FIG_REACTORS,
        [LK_JOINED_DAYS] = -1,
        [LK_REPORTS_MAX] = FIG_REPORTS,
        [LK_REPORTERS_MAX] = FIG_REPORTERS,
        [LK_CLEAN_DAYS] = -1,
        [LK_DEMOTE_BELOW] = -1,
        [LK_GRACE_DAYS] = -1,
};

static const char *const global_keys[GK_N] = {
        "xp_min", "xp_max", "xp_cooldown", "xp_seed", "xp_curve", "no_xp_roles", "rewards",
};

static const char *const global_defaults[GK_N] = {
        "0", "0", "0 s", "0", "5, 50, 100", "", "",
};

int kith_levels_key_figure(int key)
{
	return key >= 0 && key < LK_N ? key_figure[key] : -1;
}

bool kith_levels_key_counted(int key)
{
	return key == LK_ACTIVE_DAYS || (key_figure[key] >= 0 && !kith_levels_key_at_most(key));
}

static int find(const char *const *names, int n, const char *name)
{
	for (int k = 0; k < n; k++)
		if (strcmp(names[k], name) == 0)
			return k;
	return -1;
}

int kith_levels_key_find(const char *name)
{
	return find(level_keys, LK_N, name);
}
const char *kith_levels_key_name(int key)
{
	return level_keys[key];
}
int kith_levels_global_find(const char *name)
{
	return find(global_keys, GK_N, name);
}
const char *kith_levels_global_name(int key)
{
	return global_keys[key];
}
const char *kith_levels_global_default(int key)
{
	return global_defaults[key];
}

/* A whole decimal integer up to max, no sign, no blanks inside. */
static bool parse_uint(const char *v, size_t n, uint64_t max, uint64_t *out)
{
	uint64_t x = 0;
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return false;
		x = x * 10 + (uint64_t)(v[i] - '0');
		if (x > max)
			return false;
	}
	*out = x;
	return true;
}

/* A fraction in [0, 1] written "0.9", "1", "0", ".75": at most 6 decimals,
 * read exactly in millionths so that no locale or rounding differs. */
static bool parse_fraction(const char *v, size_t n, double *out)
{
	uint64_t whole = 0, frac = 0, scale = 1;
	size_t i = 0, digits = 0;
	while (i < n && v[i] >= '0' && v[i] <= '9' && digits < 3) {
		whole = whole * 10 + (uint64_t)(v[i++] - '0');
		digits++;
	}
	if (i < n && v[i] == '.') {
		i++;
		size_t fd = 0;
		while (i < n && v[i] >= '0' && v[i] <= '9' && fd < 6) {
			frac = frac * 10 + (uint64_t)(v[i++] - '0');
			scale *= 10;
			fd++;
			digits++;
		}
	}
	if (i != n || digits == 0)
		return false;
	double x = (double)whole + (double)frac / (double)scale;
	if (x > 1.0)
		return false;
	*out = x;
	return true;
}

static bool role_list_ok(const char *v, size_t n, char *err, size_t es)
{
	size_t at = 0, len;
	const char *item;
	while (kith_lex_item(v, n, &at, &item, &len))
		if (!kith_role_name_valid(item, len)) {
			snprintf(err, es, "'%.*s' is not a role name", (int)(len < 64 ? len : 64),
			         item);
			return false;
		}
	return true;
}

kith_status kith_levels_check(int key, const char *v, size_t n, char *err, size_t es)
{
	if (key == LK_ROLE) {
		if (!kith_role_name_valid(v, n)) {
			snprintf(err, es,
			         "a level's role is a role name (1 to 64 letters, digits, "
			         "'-', '_' or '.')");
			return KITH_EINVAL;
		}
		return KITH_OK;
	}
	if (key == LK_DEMOTE_BELOW) {
		double f;
		if (!parse_fraction(v, n, &f)) {
			snprintf(err, es, "demote_below is a fraction from 0 to 1, like 0.9");
			return KITH_EINVAL;
		}
		return KITH_OK;
	}
	uint64_t x;
	if (!parse_uint(v, n, level_max[key], &x) || (key == LK_WINDOW && x == 0)) {
		snprintf(err, es, "%s is a whole number from %d to %u", level_keys[key],
		         key == LK_WINDOW, (unsigned)level_max[key]);
		return KITH_ERANGE;
	}
	return KITH_OK;
}

/* "a, b, c": the XP curve's three coefficients. */
static bool parse_curve(const char *v, size_t n, uint32_t out[3])
{
	size_t at = 0, len, k = 0;
	const char *item;
	while (kith_lex_item(v, n, &at, &item, &len)) {
		uint64_t x;
		if (k == 3 || !parse_uint(item, len, 1000000, &x))
			return false;
		out[k++] = (uint32_t)x;
	}
	return k == 3 && (out[0] || out[1] || out[2]);
}

/* One reward, "LEVEL ROLE". */
static bool parse_reward(const char *item, size_t len, uint64_t *level, const char **role,
                         size_t *rn)
{
	size_t i = 0;
	while (i < len && !kith_lex_blank(item[i]))
		i++;
	if (!parse_uint(item, i, 1000, level) || *level == 0)
		return false;
	*role = item + i;
	*rn = len - i;
	kith_lex_trim(role, rn);
	return kith_role_name_valid(*role, *rn);
}

kith_status kith_levels_global_check(int key, const char *v, size_t n, char *err, size_t es)
{
	uint64_t x;
	switch ((enum levels_key)key) {
	case GK_XP_MIN:
	case GK_XP_MAX:
		if (!parse_uint(v, n, 100000, &x)) {
			snprintf(err, es, "%s is a whole number from 0 to 100000",
			         global_keys[key]);
			return KITH_ERANGE;
		}
		return KITH_OK;
	case GK_XP_SEED:
		if (!parse_uint(v, n, UINT64_MAX / 10 - 1, &x)) {
			snprintf(err, es, "xp_seed is a whole number");
			return KITH_ERANGE;
		}
		return KITH_OK;
	case GK_XP_COOLDOWN: {
		int64_t ms;
		kith_status st = kith_lex_duration(v, n, &ms);
		if (st != KITH_OK || ms > 30 * KITH_MS_PER_DAY) {
			snprintf(err, es, "xp_cooldown is a duration up to 30 d, like 60 s");
			return st == KITH_EINVAL ? KITH_EINVAL : KITH_ERANGE;
		}
		return KITH_OK;
	}
	case GK_XP_CURVE: {
		uint32_t curve[3];
		if (!parse_curve(v, n, curve)) {
			snprintf(err, es,
			         "xp_curve is \"a, b, c\" (whole numbers up to 1000000, "
			         "not all 0): a L^2 + b L + c XP from level L to L + 1");
			return KITH_EINVAL;
		}
		return KITH_OK;
	}
	case GK_NO_XP_ROLES: return role_list_ok(v, n, err, es) ? KITH_OK : KITH_EINVAL;
	case GK_REWARDS: {
		size_t at = 0, len, count = 0, rn;
		const char *item, *role;
		while (kith_lex_item(v, n, &at, &item, &len)) {
			if (!parse_reward(item, len, &x, &role, &rn)) {
				snprintf(err, es,
				         "a reward is \"LEVEL ROLE\" (level 1 to 1000): "
				         "'%.*s'",
				         (int)(len < 64 ? len : 64), item);
				return KITH_EINVAL;
			}
			if (++count > LEVELS_REWARDS_MAX) {
				snprintf(err, es, "at most %d rewards", LEVELS_REWARDS_MAX);
				return KITH_ELIMIT;
			}
		}
		return KITH_OK;
	}
	case GK_N: break;
	}
	return KITH_EINVAL;
}

static uint32_t find_role(const struct kith_roles *roles, const char *name, size_t n, char *err,
                          size_t es)
{
	uint32_t r = kith_roles_find(roles, name, n);
	if (r == UINT32_MAX)
		snprintf(err, es, "no such role: %.*s", (int)(n < 64 ? n : 64), name);
	return r;
}

bool kith_levels_compile(const struct kith_def *d, const struct kith_roles *roles,
                         struct level *out, char *err, size_t es)
{
	memset(out, 0, sizeof *out);
	if (!d->value[LK_ROLE]) {
		snprintf(err, es, "level %s has no role", d->name);
		return false;
	}
	out->role = find_role(roles, d->value[LK_ROLE], strlen(d->value[LK_ROLE]), err, es);
	if (out->role == UINT32_MAX)
		return false;
	for (int k = 0; k < LK_N; k++) {
		out->need[k] = -1;
		uint64_t x;
		const char *v = d->value[k];
		if (k != LK_ROLE && k != LK_DEMOTE_BELOW && v &&
		    parse_uint(v, strlen(v), level_max[k], &x))
			out->need[k] = (int64_t)x;
	}
	out->window = out->need[LK_WINDOW] > 0 ? (uint32_t)out->need[LK_WINDOW] : 30;
	if (d->value[LK_DEMOTE_BELOW])
		parse_fraction(d->value[LK_DEMOTE_BELOW], strlen(d->value[LK_DEMOTE_BELOW]),
		               &out->demote_below);
	out->grace_ms =
	        out->need[LK_GRACE_DAYS] > 0 ? out->need[LK_GRACE_DAYS] * KITH_MS_PER_DAY : 0;
	return true;
}

static const char *value_or_default(char *const global[GK_N], int k)
{
	return global[k] ? global[k] : global_defaults[k];
}

bool kith_levels_config_compile(char *const global[GK_N], const struct kith_roles *roles,
                                struct levels_config *out, char *err, size_t es)
{
	memset(out, 0, sizeof *out);
	uint64_t x = 0;
	const char *v = value_or_default(global, GK_XP_MIN);
	parse_uint(v, strlen(v), 100000, &x);
	out->xp_min = (uint32_t)x;
	v = value_or_default(global, GK_XP_MAX);
	parse_uint(v, strlen(v), 100000, &x);
	out->xp_max = (uint32_t)x;
	if (out->xp_max && out->xp_min > out->xp_max) {
		snprintf(err, es, "levels.xp_min (%u) is above levels.xp_max (%u)",
		         (unsigned)out->xp_min, (unsigned)out->xp_max);
		return false;
	}
	v = value_or_default(global, GK_XP_COOLDOWN);
	kith_lex_duration(v, strlen(v), &out->cooldown_ms);
	v = value_or_default(global, GK_XP_SEED);
	parse_uint(v, strlen(v), UINT64_MAX / 10 - 1, &out->seed);
	v = value_or_default(global, GK_XP_CURVE);
	parse_curve(v, strlen(v), out->curve);
	v = value_or_default(global, GK_NO_XP_ROLES);
	size_t at = 0, len, rn;
	const char *item, *role;
	while (kith_lex_item(v, strlen(v), &at, &item, &len)) {
		uint32_t r = find_role(roles, item, len, err, es);
		if (r == UINT32_MAX)
			return false;
		out->no_xp |= 1u << r;
	}
	v = value_or_default(global, GK_REWARDS);
	at = 0;
	while (kith_lex_item(v, strlen(v), &at, &item, &len)) {
		parse_reward(item, len, &x, &role, &rn);
		uint32_t r = find_role(roles, role, rn, err, es);
		if (r == UINT32_MAX)
			return false;
		out->reward[out->reward_n].level = (uint32_t)x;
		out->reward[out->reward_n++].role = r;
	}
	return true;
}

uint32_t kith_levels_xp_level(const struct levels_config *cfg, uint64_t xp)
{
	/* The curve is increasing: a binary search over levels. */
	uint32_t lo = 0, hi = 1000000;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo + 1) / 2;
		if (kith_levels_xp_total(cfg, mid) <= xp)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}
