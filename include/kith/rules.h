/*
 * kith — the rules engine and its verdicts.
 *
 * SPDX-License-Identifier: MIT
 *
 * Part of libkith's public interface: programs include <kith.h>, which
 * includes this header. The conventions at the top of kith.h hold here.
 */
#ifndef KITH_RULES_H
#define KITH_RULES_H

#include "core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Rules and verdicts                                                        */
/* ------------------------------------------------------------------------ */

/**
 * Rules run at ingest and leave verdicts: what the bot should do about the
 * event just ingested. A rule has a name and keys, set as text like
 * settings (kith_rule_set, or the settings "rule.NAME.KEY", or a charter's
 * [rule NAME] section). Every condition a rule sets must hold (they are
 * ANDed); a rule without a condition never fires on messages.
 *
 *  keywords                list "a, b, c": any occurs in the text
 *                          (ASCII case-insensitive, bytewise, any UTF-8).
 *                          "cat*" occurs at the start of a word, "*cat" at
 *                          the end of one, "*cat*" anywhere; a plain "cat"
 *                          anywhere, or as a whole word under
 *                          keyword_match word. A word's edge is the text's
 *                          end or a byte other than an ASCII letter, digit,
 *                          '_' or a byte of a UTF-8 sequence, and is only
 *                          asked for beside a keyword's own word bytes
 *                          (so "!ban" needs no edge before '!'). A star
 *                          inside a keyword is a star
 *  keyword_match           anywhere (the default) or word: how the plain
 *                          keywords of the rule match (Discord's keyword
 *                          filter and AutoModerator match whole words)
 *  regex                   POSIX extended regex found in the text
 *                          (case-sensitive; text up to its first NUL)
 *  kinds                   list of kinds ("share, link")
 *  flood                   "6 messages in 10 s": this message is the
 *                          member's 6th within 10 s (2 .. KITH_FLOOD_MAX);
 *                          or "4 consecutive": this message is the 4th in
 *                          a row by the member in the community, with no
 *                          time window (2 .. KITH_FLOOD_CONSECUTIVE_MAX). A
 *                          message by anyone else, exempt or not, starts
 *                          the count again at 1, and so does firing: the
 *                          next message after the one that fired counts 1
 *  repeats                 K: the same text K times in a row (within a
 *                          day); "K in T" (K up to KITH_FLOOD_MAX): and the
 *                          first of the K less than T before this one
 *  mentions                N (1 .. 100): the text mentions at least N
 *                          distinct members: Discord's "<@ID>" and
 *                          "<@!ID>", and "@name" at the start or after a
 *                          Unicode space or a byte other than a letter,
 *                          digit, '_' or UTF-8 byte (an e-mail address is
 *                          none), the name
 *                          running to a Unicode space (U+00A0, U+2000 ..
 *                          U+200B, U+202F, U+3000) or another such byte;
 *                          names compare ASCII case-insensitively
 *                          (YAGPDB's mention trigger)
 *  links_need_permission   yes: a link (kind link, article or share, or
 *                          http://, https://, www. in the text) from a
 *                          member no role of whom has KITH_PERM_LINKS
 *  invite_needs_permission yes: fires on a join whose inviter lacks
 *                          KITH_PERM_INVITE; the verdict is the inviter's
 *  name_format_deadline    "12 h": a message from a member whose display
 *                          name misses community.name_format this long
 *                          after joining (or after a pending ultimatum's
 *                          deadline)
 *  off_topic               yes: the tags and text name none of
 *                          community.topics (needs topics)
 *  new_member_hours        N: the member joined less than N hours ago
 *  joined_days             "< 7" or "> 30" (optionally "days" after the
 *                          number, decimals allowed, 0 .. 36600): the time
 *                          since the member's last join is strictly below
 *                          or above that many days (AutoModerator's
 *                          account_age, with the community standing for
 *                          the platform account)
 *  score                   "< 10" or "> 10" (0 .. 1e9): the member's
 *                          contribution score (kith_member_score) before
 *                          this message is strictly below or above the
 *                          number (AutoModerator's karma); a member's first
 *                          message is scored 0
 *  first_message_link      yes: the member's first message is a link
 *  violations              "4 of spam in 60 min": fires on a message that
 *                          makes the member break the rule spam (which
 *                          must exist and not count violations itself)
 *                          for the 4th time within 60 min, this time
 *                          included (1 .. 1000 times). Of the rules that
 *                          count one rule and reach their count at once,
 *                          only the one with the highest count acts
 *                          (YAGPDB's violation triggers). A rule with this
 *                          key has no message condition; the last 65536
 *                          violations of counted rules are remembered
 *  group                   a name: of the rules of one group that match
 *                          one message, only the first (in rule order)
 *                          acts; the others are passed over as if they
 *                          had not matched (AutoModerator: only the first
 *                          matching removal rule acts)
 *  unless_role             list of roles exempt from this rule, or "none";
 *                          by default owner, admin and any role with
 *                          KITH_PERM_EXEMPT are exempt
 *  action                  list of: log, warn, delete, mute DURATION, kick,
 *                          ban, notify, welcome, remind, reward (default log)
 *  counted                 yes (the default) or no: no, the rule acts
 *                          without counting a violation toward the ladder
 *                          (a warn in it takes the step the member's count
 *                          is at, the first at least); Marie's and Rose's
 *                          antiflood does not add a warn
 *
 * A rule with the welcome action and no message condition fires on joins;
 * one with reward fires on a report naming a message that recently broke
 * a rule (or, without a message id, a member with live violations), and
 * its verdict is the reporter's.
 *
 * The ladder: a rule whose actions include warn, delete, mute, kick or ban
 * counts one violation of the member (once per event) unless it says
 * counted = no; a member's count is
 * forgiven after rules.forgive_after without a new one (default "30 d";
 * "never"). The action "warn" stands for the ladder's step for the count
 * (rules.ladder, default "warn, warn, mute 12 h, kick"; the last step
 * repeats, unless rules.ladder_resets is yes: then the count goes back
 * to 0 once it reaches the last step, so that step acts every
 * ladder-length violations, as Marie's warn limit does with its kick or
 * ban). Settings of the engine: rules.ladder, rules.ladder_resets,
 * rules.forgive_after, templates.welcome, templates.warning,
 * templates.reminder, templates.ultimatum, templates.reward: texts with {member} (display
 * name, else id), {rule}, {community} and {deadline} (local
 * "YYYY-MM-DD HH:MM": the mute's end or the name deadline). Setting a key
 * to "" unsets it. Snapshots keep the rules, the ladder, the templates and
 * the state the rules carry between events.
 */

/** Most rules a community holds. @since 1.0 */
#define KITH_RULES_MAX 62
/** Longest rule name (the same characters as role names). @since 1.0 */
#define KITH_RULE_NAME_MAX 64
/** Most actions in one rule's action list. @since 1.0 */
#define KITH_RULE_ACTIONS_MAX 8
/** Most steps of rules.ladder. @since 1.0 */
#define KITH_LADDER_MAX 16
/** Largest N of a flood condition. @since 1.0 */
#define KITH_FLOOD_MAX 32
/** Largest N of a flood condition "N consecutive". @since 1.0 */
#define KITH_FLOOD_CONSECUTIVE_MAX 1000
/** Longest template, in bytes. @since 1.0 */
#define KITH_TEMPLATE_MAX 2048
/** Longest regex of a rule, in bytes. @since 1.0 */
#define KITH_REGEX_MAX 4096

/** Actions of verdicts. Values never change meaning. @since 1.0 */
typedef enum kith_action {
	KITH_ACTION_NONE = 0, /**< no verdict: kith_verdict_action past the end */
	KITH_ACTION_LOG = 1,
	KITH_ACTION_WARN = 2,
	KITH_ACTION_DELETE = 3, /**< delete the message */
	KITH_ACTION_MUTE = 4,   /**< for kith_verdict_mute_ms */
	KITH_ACTION_KICK = 5,
	KITH_ACTION_BAN = 6,
	KITH_ACTION_NOTIFY = 7,  /**< tell the admins */
	KITH_ACTION_WELCOME = 8, /**< greet, show the rules, ask for an introduction */
	KITH_ACTION_REMIND = 9,  /**< repeat the rules */
	KITH_ACTION_REWARD = 10  /**< thank the member who reported a real violation */
} kith_action;

/**
 * Set one key of a rule (creating the rule), as the setting
 * "rule.RULE.KEY". The value is checked at once (a bad regex, an unknown
 * action, kind or role is refused) and the rule set is recompiled.
 * @param rule, rule_len the rule's name (at most KITH_RULE_NAME_MAX bytes).
 * @param key, key_len one of the keys listed above ("keywords").
 * @param value, value_len the key's value as text.
 * @return as kith_setting_set; also KITH_EINVAL for a rule name over
 *         KITH_RULE_NAME_MAX bytes or a name or key holding a NUL, and
 *         KITH_ELIMIT past KITH_RULES_MAX rules.
 * @since 1.0
 */
KITH_API kith_status kith_rule_set(kith_community *community, const char *rule, size_t rule_len,
                                   const char *key, size_t key_len, const char *value,
                                   size_t value_len);

/**
 * Remove a rule.
 * @param rule, rule_len the rule's name (ASCII case-insensitive).
 * @return KITH_OK; KITH_ENOTFOUND; KITH_EINVAL; KITH_ENOMEM.
 * @since 1.0
 */
KITH_API kith_status kith_rule_remove(kith_community *community, const char *rule, size_t rule_len);

/** Number of rules, in the order they were first set. NULL gives 0. @since 1.0 */
KITH_API size_t kith_rule_count(const kith_community *community);

/** Name of rule i; borrowed until the next change of rules; NULL past the end. @since 1.0 */
KITH_API const char *kith_rule_name(const kith_community *community, size_t i);

/**
 * The name of an action: "log", "warn", "delete", "mute", "kick", "ban",
 * "notify", "welcome", "remind", "reward"; "none" for KITH_ACTION_NONE.
 * @return a static string, never NULL; "unknown" for an unknown value.
 * @since 1.0
 */
KITH_API const char *kith_action_name(kith_action action);

/**
 * Number of verdicts the last successful ingest left (0 without rules).
 * Verdicts and the strings they lend are valid until the next call that
 * ingests or changes rules; a failed ingest leaves them as they were.
 * @since 1.0
 */
KITH_API size_t kith_community_verdict_count(const kith_community *community);

/** Action of verdict i; KITH_ACTION_NONE past the end. @since 1.0 */
KITH_API kith_action kith_verdict_action(const kith_community *community, size_t i);

/** Member handle verdict i is about; UINT32_MAX past the end. @since 1.0 */
KITH_API uint32_t kith_verdict_member(const kith_community *community, size_t i);

/** Name of the rule behind verdict i; borrowed; NULL past the end. @since 1.0 */
KITH_API const char *kith_verdict_rule(const kith_community *community, size_t i);

/**
 * Id of the message verdict i is about (borrowed, NUL-terminated), or NULL
 * when none and past the end. len receives its length, 0 with NULL (may be
 * NULL).
 * @since 1.0
 */
KITH_API const char *kith_verdict_message_id(const kith_community *community, size_t i, size_t *len);

/** Mute duration of verdict i in ms (0 unless its action is mute; 0 past the end). @since 1.0 */
KITH_API int64_t kith_verdict_mute_ms(const kith_community *community, size_t i);

/**
 * The rendered template of verdict i, a text a bot can post.
 * @return borrowed, NUL-terminated; NULL past the end.
 * @since 1.0
 */
KITH_API const char *kith_verdict_text(const kith_community *community, size_t i);

/**
 * The verdicts as a JSON array of objects with keys action, member (id),
 * rule, message_id (or null), mute_ms and text.
 * @param buf, size, needed as for kith_member_to_json.
 * @return KITH_OK, also when the text was truncated; KITH_EINVAL (NULL
 *         community, or buf NULL with size above 0).
 * @since 1.0
 */
KITH_API kith_status kith_community_verdicts_to_json(const kith_community *community, char *buf,
                                                     size_t size, size_t *needed);

#ifdef __cplusplus
}
#endif

#endif /* KITH_RULES_H */
