/*
 * kith — settings and the charter.
 *
 * SPDX-License-Identifier: MIT
 *
 * Part of libkith's public interface: programs include <kith.h>, which
 * includes this header. The conventions at the top of kith.h hold here.
 */
#ifndef KITH_SETTINGS_H
#define KITH_SETTINGS_H

#include "core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Settings and the charter                                                  */
/* ------------------------------------------------------------------------ */

/**
 * Settings are named values, read and written as text. Each has a type
 * (integer, number, boolean, duration like "12 h", time of day like
 * "20:00", UTC offset like "+08:00", text, list "a, b, c", regular
 * expression) and bounds; kith_setting_describe tells them. Every
 * duration, an engine's or a rule's, is a decimal number and a unit: ms;
 * s or sec; min or m; h, hour or hours; d, day or days; w (any case;
 * "1.5 h", "30 days"); a cleanup duration reads back in its largest whole
 * unit ("90 min"), a rule's as written.
 * A boolean is yes, true, on, 1 or no, false, off, 0 (any case). The
 * settings reference:
 *
 *  community.name         text, 0..256 bytes                 ""
 *  community.topics       list of up to 64 topic keywords     ""
 *  community.utc_offset   -14:00 .. +14:00; fixed once a message is in   +00:00
 *  community.capacity     integer 0 .. 33554430, the most members the
 *                         group holds; 0: no limit (no capacity finding,
 *                         no cleanup.room_for target)          0
 *  community.name_format  POSIX extended regex, "" for none  ""
 *  value.half_life_days   number 0.01 .. 36500               30
 *  value.weight.KIND      number 0 .. 100 (KIND a trace kind) text 1, photo 0.9,
 *                         video 0.8, voice 0.7, link 0.6, article 0.5, document 0.4,
 *                         share 0.3, other 0.2, sticker 0.1, envelope 0.1, system 0
 *  value.greeting_weight  number 0 .. 100, for messages tagged "greeting"   0.1
 *  value.topic_bonus      number 0 .. 100                    0.5
 *  value.repeat_factor    number 0 .. 1                      0.2
 *  value.reply_credit     number 0 .. 100                    0.5
 *  value.reaction_credit  number 0 .. 100                    0.2
 *  value.high_threshold   number 0 .. 1000                   0.5
 *  ledger.capacity        integer 16 .. 1048576              1024
 *  digest.size            integer 1 .. 100                   10
 *  role.NAME.permissions  list of invite, links, announce, exempt (or "none")
 *  role.NAME.protected    boolean yes/no/true/false/1/0
 *  cleanup.silent_days    integer 1 .. 3650: days without a message that make
 *                         a member silent                                30
 *  cleanup.speak_within   duration 0 .. 3650 d: time after joining to speak   3 d
 *  cleanup.newcomer_grace duration 0 .. 3650 d: newcomers are spared this long  3 d
 *  cleanup.ultimatum      duration 0 .. 365 d: the deadline an ultimatum gives;
 *                         0 skips the ultimatum stage                    12 h
 *  cleanup.max_violations integer 0 .. 1000000 (0: off)                  3
 *  cleanup.envelope_days  integer 1 .. 3650: days without a message after which
 *                         an envelope claimer counts as envelope-only    14
 *  cleanup.min_score      number 0 .. 1e9: contribution score below which a
 *                         member is proposed (0: off)                    0
 *  cleanup.purchase_protects   duration 0 .. 3650 d: a purchase this recent
 *                         spares a member (0: off)                       30 d
 *  cleanup.attendance_protects duration 0 .. 3650 d: an activity
 *                         attendance this recent spares a member (0: off) 30 d
 *  cleanup.keep_active_share   number 0 .. 1: target share of active members
 *                         (0: no target)                                 0
 *  cleanup.room_for       integer 0 .. 33554430: target free places below
 *                         community.capacity (0, or no capacity: no target)  0
 *  cleanup.max_per_run    integer 0 .. 33554430: most entries a plan (0: no cap)  0
 *  health.window_days     integer 1 .. 64: the short window              7
 *  health.long_window_days     integer 1 .. 64: the long window          30
 *  health.dead_days       integer 1 .. 3650: days without a member message
 *                         that make the group dead                       5
 *  health.min_active_share     number 0 .. 1 (short window)              0.2
 *  health.min_active_share_long number 0 .. 1 (long window)              0.4
 *  health.min_messages_per_day number 0 .. 1e9                           10
 *  health.min_interactions_per_day number 0 .. 1e9                       3
 *  health.min_value_ratio number 0 .. 1                                  0.4
 *  health.max_lurker_share     number 0 .. 1                             0.7
 *  health.opinion_leader_share number 0 .. 1: target                     0.1
 *  health.expert_share    number 0 .. 1: target                          0.2
 *  health.min_retention   number 0 .. 1                                  0.5
 *  health.min_half_writers     integer 0 .. 1000000                      3
 *  health.max_envelope_share   number 0 .. 1                             0.2
 *  health.max_official_share   number 0 .. 1                             0.3
 *  seeds.preset           seed-users or opinion-leaders          opinion-leaders
 *  seeds.weight_need, _openness, _feedback, _content, _activity, _reach,
 *  seeds.penalty_complaints, _violations, seeds.lambda
 *                         number -1 .. 1000 (lambda 1e6); -1: the preset's   -1
 *  seeds.k                integer 0 .. 33554430; 0: by seeds.k_share     0
 *  seeds.k_share          number -1 .. 1; -1: the preset's (0.1)         -1
 *  seeds.min_quality      number -1 .. 1                                 0.02
 *  seeds.window_days      integer 1 .. 128                               30
 *  seeds.diversity        integer 0 .. 33554430: seeds a tag may have    0
 *  seeds.include_staff, seeds.linear_threshold, seeds.imm_bounds  boolean  no
 *  seeds.edge_probability number 0 .. 1; 0: weighted cascade          0
 *  seeds.epsilon          number 0.01 .. 0.99                            0.2
 *  seeds.random_seed      integer 0 .. 4294967295                        1
 *  seeds.deny             list of member ids, up to 4096 bytes           ""
 *
 * Setting role.NAME.* for an unknown NAME defines that role.
 */

/** Types of settings. @since 1.0 */
typedef enum kith_setting_type {
	KITH_SETTING_INTEGER = 1,
	KITH_SETTING_NUMBER = 2,
	KITH_SETTING_BOOLEAN = 3,
	KITH_SETTING_DURATION = 4,
	KITH_SETTING_TIME_OF_DAY = 5,
	KITH_SETTING_UTC_OFFSET = 6,
	KITH_SETTING_TEXT = 7,
	KITH_SETTING_LIST = 8,
	KITH_SETTING_REGEX = 9
} kith_setting_type;

/**
 * Set a setting from its text form, validating type and bounds.
 * @param name, name_len the setting's name ("community.topics").
 * @param value, value_len its value as text.
 * @return KITH_OK; KITH_ENOTFOUND (unknown name); KITH_EINVAL (NULL
 *         argument, malformed value, with the value quoted in the last
 *         error); KITH_ERANGE (out of bounds); KITH_ESTATE; KITH_ELIMIT (a
 *         role.NAME setting past KITH_ROLES_MAX roles); KITH_ENOMEM. On
 *         failure the setting keeps its value.
 * @since 1.0
 */
KITH_API kith_status kith_setting_set(kith_community *community, const char *name, size_t name_len,
                                      const char *value, size_t value_len);

/**
 * Read a setting in canonical text form (setting it back gives the same
 * value).
 * @param name, name_len the setting's name.
 * @param buf, size, needed as for kith_member_to_json.
 * @return KITH_OK, also when the text was truncated; KITH_ENOTFOUND
 *         (unknown name, or a role.NAME setting of a role not defined);
 *         KITH_EINVAL (NULL community or name, or buf NULL with size
 *         above 0).
 * @since 1.0
 */
KITH_API kith_status kith_setting_get(const kith_community *community, const char *name,
                                      size_t name_len, char *buf, size_t size, size_t *needed);

/** Number of settings currently defined (grows with custom roles). @since 1.0 */
KITH_API size_t kith_setting_count(const kith_community *community);

/**
 * Describe setting i (0 .. kith_setting_count()-1), for discovery by
 * bindings and tools: the settings of fixed name, then each role's
 * role.NAME.permissions and role.NAME.protected. The rule.NAME.KEY and
 * activity.NAME.KEY settings are not among them: kith_rule_name and
 * kith_activity_name list the rules and activities.
 * @param name receives its name (borrowed; valid until the next call that
 *        defines a role), type its kith_setting_type, min and max its
 *        bounds (for text and lists, lengths in bytes and items). Any out
 *        pointer may be NULL.
 * @return KITH_OK; KITH_ENOTFOUND when i is past the end; KITH_EINVAL
 *         (NULL community).
 * @since 1.0
 */
KITH_API kith_status kith_setting_describe(const kith_community *community, size_t i, const char **name,
                                           kith_setting_type *type, double *min, double *max);

/**
 * Apply a charter: INI-like text of settings in sections ([community],
 * [role NAME], ...). "#" or ";" starts a comment only at the start of a
 * line. [community] keys are the community.* settings without the prefix,
 * [role NAME] takes permissions and protected, [value] the value.*,
 * [ledger] and [digest] theirs, [cleanup] and [health] the cleanup.* and
 * health.* settings, [rule NAME] the keys of kith_rule_set, [rules] and
 * [templates] the rules.* and templates.* settings (the verdicts' texts,
 * and as schedule.KIND the agenda's), [activity NAME] the keys of an
 * activity and [schedule] the schedule.* settings (kith/schedule.h),
 * [level NAME] the keys of a level and [levels] the levels.* settings
 * (kith/levels.h), [seeds] the seeds.* settings (kith/seeds.h).
 * Sections of engines this version does not have are rejected with
 * KITH_EUNSUPPORTED.
 * All or nothing: on any error nothing of the charter is applied, and the
 * last error reads "line L, column C: reason".
 * @return KITH_OK; KITH_ESYNTAX (a malformed line, a setting given
 *         twice); KITH_EUNSUPPORTED (a section of an engine this
 *         version does not have); for a key, what kith_setting_set
 *         returns for its setting (KITH_ENOTFOUND for an unknown key,
 *         KITH_EINVAL, KITH_ERANGE, KITH_ESTATE, KITH_ELIMIT);
 *         KITH_EINVAL (NULL); KITH_ENOMEM.
 * @since 1.0
 */
KITH_API kith_status kith_community_apply_charter(kith_community *community, const char *text,
                                                  size_t len);

#ifdef __cplusplus
}
#endif

#endif /* KITH_SETTINGS_H */
