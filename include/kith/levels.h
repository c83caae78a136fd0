/*
 * kith — the levels engine: standing earned by activity.
 *
 * SPDX-License-Identifier: MIT
 *
 * Part of libkith's public interface: programs include <kith.h>, which
 * includes this header. The conventions at the top of kith.h hold here.
 */
#ifndef KITH_LEVELS_H
#define KITH_LEVELS_H

#include "core.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Levels turn activity into standing, in two independent ways.
 *
 * Ranked levels (Discourse's trust levels): a charter's [level NAME]
 * sections, or the settings "level.NAME.KEY", in the order the levels
 * were first set, the lowest first. Each has a role and requirements over
 * the member's figures within its window (the last window_days local
 * days, the day of the event included); when all hold, the member is
 * promoted to the level (and, one event at a time, through every level
 * below it whose requirements hold too).
 *
 *  role                the role the level stands for (required)
 *  window_days         1 .. 128 (default 30)
 *  active_days         days with a message
 *  messages            messages
 *  threads             distinct messages replied to (reply_to)
 *  replied_members     distinct members addressed ("to")
 *  reactions_given     reactions given
 *  reactions_received  reactions received
 *  reaction_days       days on which a reaction was received
 *  reactors            distinct members whose reactions were received
 *  joined_days         days since the member's last join (not windowed)
 *  reports_max         at most this many reports naming the member
 *  reporters_max       at most this many distinct members reporting them
 *  clean_days          no kick or ban of the member in this many days
 *  demote_below        a fraction (default 0: never demoted)
 *  grace_days          days after a promotion without demotion
 *
 * A member holding a level loses it (one level at a time) when a counted
 * requirement of the level (active_days to reactors) falls below
 * demote_below times its minimum, never within grace_days of the
  * promotion; reports, joins and sanctions only hold a promotion back.
 * A promotion comes with the event that completes it; as figures fall
 * only as time passes, demotions come from kith_community_levels_review.
 * Figures the model does not keep are counted from the moment a level
 * that needs them is set. A level set by hand with a lock
 * (kith_member_level_set) is never changed by the engine.
 *
 * XP (MEE6): the [levels] settings. Each message earns a number of XP
 * drawn uniformly from levels.xp_min .. levels.xp_max (0 = no XP) by a
 * generator seeded with levels.xp_seed, unless it comes within
 * levels.xp_cooldown of the member's last rewarded message (such a
 * message earns nothing and does not extend the cooldown) or from a
 * member holding one of levels.no_xp_roles. levels.xp_curve "a, b, c"
 * says a L^2 + b L + c XP take a member from level L to L + 1 (default
 * "5, 50, 100"); levels.rewards "5 regular, 10 veteran" grants a role at
 * an XP level.
 *
 * The engine keeps the levels held itself and tells the bot what to do:
 * after each successful ingest (and after kith_community_levels_review),
 * the level changes below say whom to promote, demote, congratulate or
 * reward; granting and removing the roles is the bot's to do (a role
 * event then records it in the model).
 */

/** Most levels a community holds. @since 1.0 */
#define KITH_LEVELS_MAX 16
/** Longest level name (the same characters as role names). @since 1.0 */
#define KITH_LEVEL_NAME_MAX 64

/** Kinds of level changes. Values never change meaning. @since 1.0 */
typedef enum kith_level_change_kind {
	KITH_LEVEL_NONE = 0,     /**< past the end */
	KITH_LEVEL_PROMOTED = 1, /**< reached a ranked level: grant its role */
	KITH_LEVEL_DEMOTED = 2,  /**< lost a ranked level: remove its role */
	KITH_LEVEL_UP = 3,       /**< reached an XP level: congratulate */
	KITH_LEVEL_REWARD = 4    /**< an XP level's reward: grant its role */
} kith_level_change_kind;

/**
 * The name of a change kind: "none", "promoted", "demoted", "level_up",
 * "reward".
 * @return a static string, never NULL; "unknown" for an unknown value.
 * @since 1.0
 */
KITH_API const char *kith_level_change_kind_name(kith_level_change_kind kind);

/** Number of ranked levels, lowest first. NULL gives 0. @since 1.0 */
KITH_API size_t kith_level_count(const kith_community *community);

/** Name of ranked level i; borrowed until the next change of levels; NULL past the end. @since 1.0
 */
KITH_API const char *kith_level_name(const kith_community *community, size_t i);

/**
 * Number of level changes the last successful ingest (or review) left.
 * Changes and the strings they lend are valid until the next call that
 * ingests, reviews or changes levels; a failed call leaves them as they
 * were. 0 without levels.
 * @since 1.0
 */
KITH_API size_t kith_community_level_change_count(const kith_community *community);

/** Kind of change i; KITH_LEVEL_NONE past the end. @since 1.0 */
KITH_API kith_level_change_kind kith_level_change_kind_of(const kith_community *community,
                                                          size_t i);

/** Member change i is about; UINT32_MAX past the end. @since 1.0 */
KITH_API uint32_t kith_level_change_member(const kith_community *community, size_t i);

/**
 * The ranked level of change i (promoted, demoted): borrowed, NULL for
 * XP changes and past the end.
 * @since 1.0
 */
KITH_API const char *kith_level_change_level(const kith_community *community, size_t i);

/** Role to grant (promoted, reward) or remove (demoted); UINT32_MAX for level_up and past the end.
 * @since 1.0 */
KITH_API uint32_t kith_level_change_role(const kith_community *community, size_t i);

/** XP level of change i (level_up, reward); 0 otherwise. @since 1.0 */
KITH_API uint32_t kith_level_change_xp_level(const kith_community *community, size_t i);

/**
 * The changes as a JSON array of objects with keys kind, member (id),
 * level (or null), role (or null) and xp_level.
 * @param buf, size, needed as for kith_member_to_json.
 * @return KITH_OK, also when truncated; KITH_EINVAL.
 * @since 1.0
 */
KITH_API kith_status kith_community_level_changes_to_json(const kith_community *community,
                                                          char *buf, size_t size, size_t *needed);

/**
 * Apply the demotions that time alone brings (a window that moved on):
 * every member holding an unlocked ranked level is checked at now_ms, and
 * the changes are left as by an ingest (Discourse reviews daily).
 * @param now_ms not earlier than the last event.
 * @return KITH_OK; KITH_EINVAL (NULL); KITH_EORDER (now_ms before the
 *         last event); KITH_ENOMEM (nothing changed).
 * @since 1.0
 */
KITH_API kith_status kith_community_levels_review(kith_community *community, int64_t now_ms);

/**
 * The ranked level a member holds.
 * @param level receives 1 + the index of the level held, 0 for none.
 * @param locked receives 1 when a lock holds it (may be NULL).
 * @return KITH_OK; KITH_ENOTFOUND (bad handle); KITH_EINVAL (NULL).
 * @since 1.0
 */
KITH_API kith_status kith_member_level(const kith_community *community, uint32_t member,
                                       uint32_t *level, int *locked);

/**
 * Set a member's ranked level by hand (a moderator's decision), from
 * now_ms on (the start of its grace period).
 * @param level, level_len the level's name, or NULL for none.
 * @param lock non-zero: the engine never changes it until a call with
 *        lock 0.
 * @return KITH_OK; KITH_ENOTFOUND (bad handle, unknown level or no
 *         levels defined); KITH_EINVAL; KITH_ENOMEM (nothing changed).
 * @since 1.0
 */
KITH_API kith_status kith_member_level_set(kith_community *community, uint32_t member,
                                           const char *level, size_t level_len, int lock,
                                           int64_t now_ms);

/**
 * A member's experience.
 * @param xp receives the XP earned (may be NULL), level the XP level it
 *        reaches on levels.xp_curve (may be NULL).
 * @return KITH_OK; KITH_ENOTFOUND (bad handle); KITH_EINVAL (NULL).
 * @since 1.0
 */
KITH_API kith_status kith_member_xp(const kith_community *community, uint32_t member, uint64_t *xp,
                                    uint32_t *level);

#ifdef __cplusplus
}
#endif

#endif /* KITH_LEVELS_H */
