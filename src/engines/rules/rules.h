/*
 * The rules engine's data: rule definitions as text, compiled rule sets,
 * and the engine's state (txn.h finds it in a community). The
 * code is by stage: parse.c (values), defs.c (definitions), compile.c
 * (rule sets), txn.c (changes, the state, the rule API), evaluate.c
 * (ingest), verdicts.c (the verdicts and their texts), state.c (the
 * snapshot section), engine.c (the entry in the engine table).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_ENGINES_RULES_H
#define KITH_ENGINES_RULES_H

#include "engines/rules/keywords.h"
#include "engines/rules/verdict-list.h"
#include "model/community.h"
#include "model/engine.h"
#include "model/roles.h"
#include "util/memory.h"
#include "util/time.h"

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- rule sets and engine state ------------------------------------------- */

#define FLOOD_RING KITH_FLOOD_MAX
#define BAD_IDS 256 /* recent messages that broke a rule, for rewards */
#define TAG_LINK 63 /* keyword tags: rule i is tag i, its regex 64 + i */
#define REPEAT_HORIZON_MS KITH_MS_PER_DAY
/* The defaults as kith_setting_get gives them. */
#define LADDER_DEFAULT_TEXT "warn, warn, mute 12 h, kick"
#define FORGIVE_DEFAULT_TEXT "30 d"

enum key {
	KEY_KEYWORDS,
	KEY_REGEX,
	KEY_KINDS,
	KEY_FLOOD,
	KEY_REPEATS,
	KEY_LINKS,
	KEY_INVITE,
	KEY_NAME_DEADLINE,
	KEY_OFF_TOPIC,
	KEY_NEW_MEMBER,
	KEY_FIRST_LINK,
	KEY_UNLESS_ROLE,
	KEY_ACTION,
	KEY_KEYWORD_MATCH,
	KEY_JOINED_DAYS,
	KEY_SCORE,
	KEY_GROUP,
	KEY_VIOLATIONS,
	KEY_MENTIONS,
	KEY_COUNTED,
	KEY_COUNT
};

enum tmpl { TMPL_WELCOME, TMPL_WARNING, TMPL_REMINDER, TMPL_ULTIMATUM, TMPL_REWARD, TMPL_COUNT };

#define ACTION_LAST KITH_ACTION_REWARD

/* Conditions (bits of struct crule.cond). */
#define C_KEYWORDS (1u << KEY_KEYWORDS)
#define C_REGEX (1u << KEY_REGEX)
#define C_KINDS (1u << KEY_KINDS)
#define C_FLOOD (1u << KEY_FLOOD)
#define C_REPEATS (1u << KEY_REPEATS)
#define C_LINKS (1u << KEY_LINKS)
#define C_INVITE (1u << KEY_INVITE)
#define C_NAME (1u << KEY_NAME_DEADLINE)
#define C_OFF_TOPIC (1u << KEY_OFF_TOPIC)
#define C_NEW_MEMBER (1u << KEY_NEW_MEMBER)
#define C_FIRST_LINK (1u << KEY_FIRST_LINK)
#define C_JOINED_DAYS (1u << KEY_JOINED_DAYS)
#define C_SCORE (1u << KEY_SCORE)
#define C_VIOLATIONS (1u << KEY_VIOLATIONS)
#define C_MENTIONS (1u << KEY_MENTIONS)
#define C_MESSAGE                                                                                  \
	(C_KEYWORDS | C_REGEX | C_KINDS | C_FLOOD | C_REPEATS | C_LINKS | C_NAME | C_OFF_TOPIC |     \
	 C_FIRST_LINK | C_NEW_MEMBER | C_JOINED_DAYS | C_SCORE | C_MENTIONS)

/* What a rule fires on. */
enum trigger { TRIG_NONE, TRIG_MESSAGE, TRIG_INVITE, TRIG_JOIN, TRIG_REPORT, TRIG_VIOLATIONS };

#define VIOL_MAX 1000            /* largest N of "N of RULE in T" */
#define VIOL_LOG_MAX (1u << 16)  /* violation records kept at most */

struct action {
	uint32_t type;
	int64_t mute_ms;
};

/* A rule as text: the canonical value of each key, NULL when unset. */
struct rule_def {
	char name[KITH_RULE_NAME_MAX + 1];
	char *value[KEY_COUNT];
};

struct defs {
	struct rule_def *rule;
	size_t count;
	char *ladder;  /* NULL: the default */
	char *forgive; /* NULL: the default */
	char *resets;  /* rules.ladder_resets; NULL: the default, no */
	char *tmpl[TMPL_COUNT];
};

/* A compiled rule. */
struct crule {
	uint32_t cond;
	enum trigger trigger;
	uint32_t kinds;
	uint32_t flood_n;
	int64_t flood_ms;
	uint32_t repeats;
	uint32_t mentions; /* distinct mentions a message needs */
	bool uncounted;    /* counted = no: its violations leave the count alone */
	int64_t repeats_ms; /* 0: no window */
	int64_t name_deadline_ms;
	int64_t new_member_ms;
	bool joined_below; /* joined_days: "<" (else ">") */
	int64_t joined_ms; /* joined_days in ms */
	bool score_below;  /* score: "<" (else ">") */
	double score;
	bool keyword_forms; /* some keyword is matched at word edges */
	bool has_regex;
	bool regex_prefiltered;
	regex_t re;
	bool custom_exempt;
	uint32_t exempt_roles; /* role bits, when custom_exempt */
	bool punitive;         /* breaking it counts as a violation */
	uint32_t group;        /* 1 + the first rule of its group; 0: none */
	uint32_t viol_n;       /* violations: N of the source rule within viol_ms */
	int64_t viol_ms;
	uint32_t viol_source;  /* the source rule's index */
	struct action act[KITH_RULE_ACTIONS_MAX];
	uint32_t nact;
};

struct ruleset {
	struct defs defs;
	struct crule *rule;
	struct kith_kw kw;
	bool scan; /* some rule needs the keyword pass */
	struct action ladder[KITH_LADDER_MAX];
	uint32_t ladder_n;
	int64_t forgive_ms; /* 0: never forgiven */
	bool ladder_resets; /* the count starts again once the last step acts */
	uint32_t max_flood_n;
	int64_t horizon_ms;  /* how long flood and repeat state matters */
	bool track;          /* some rule uses a timed flood or repeats */
	bool consecutive;    /* some rule uses a flood "N consecutive" */
	size_t max_intents;  /* verdicts one event can give at most */
	/* Bit i for rule i: it fires on messages; it needs its keyword tag
	 * (i) hit; it needs its regex literal's tag (64 + i) hit. A message
	 * looks only at the rules whose needed tags the scan found. */
	uint64_t message_rules, need_kw, need_re;
	/* Bit i: rule i is a violations trigger; rule i is some trigger's
	 * source. viol_horizon_ms: the longest trigger window. */
	uint64_t viol_triggers, viol_sources;
	int64_t viol_horizon_ms;
};

/* A violation of a source rule, for violations triggers: the rule by the
 * hash of its case-folded name, so that records outlive renumbering. */
struct viol_rec {
	uint32_t member;
	uint32_t rule_hash;
	int64_t time_ms;
};

struct flood_entry {
	uint32_t member_plus1; /* 0: empty slot */
	uint32_t run;          /* the same text this many times in a row */
	uint64_t text_hash;
	int64_t last_ms;
	int64_t times[FLOOD_RING]; /* ring of the latest message times */
	uint32_t head;             /* where the next time goes */
	uint32_t filled;
};

struct intent {
	uint32_t action;
	uint32_t member;
	uint32_t rule;
	enum tmpl tmpl;
	int64_t mute_ms;
	int64_t deadline_ms;
	bool with_msg;
};

struct effect {
	bool violation;
	uint32_t violator;
	uint32_t count;
	bool track;
	size_t slot;
	uint32_t actor;
	uint64_t text_hash;
	uint32_t run;
	bool bad_id;
	uint64_t bad_hash;
	bool consecutive; /* the run below replaces the engine's */
	uint32_t run_member_plus1;
	uint32_t run_count;
	uint64_t viol_fired; /* sources the actor broke: recorded at commit */
	uint32_t viol_member;
};

struct kith_rules {
	struct ruleset *set;
	struct kith_verdict_list list[2];
	uint32_t shown;
	bool pending;
	struct effect eff;
	struct flood_entry *flood;
	size_t flood_cap; /* power of two, or 0 */
	size_t flood_used;
	uint64_t bad_ids[BAD_IDS];
	uint32_t bad_next;
	struct intent *intents;
	size_t intents_cap;
	char *scratch; /* the text, NUL-terminated, for regexec */
	size_t scratch_cap;
	int64_t now; /* time of the event being evaluated */
	/* Consecutive messages: who wrote the last run of messages in the
	 * community (0: nobody, or reset) and how many in a row. */
	uint32_t run_member_plus1;
	uint32_t run_count;
	/* Recent violations of source rules, oldest first: viol[viol_start ..
	 * viol_end) of viol_cap. */
	struct viol_rec *viol;
	size_t viol_cap, viol_start, viol_end;
};

struct kith_rules_txn {
	struct defs defs;
	struct ruleset *prepared;
	struct kith_rules *fresh; /* engine state for a community that had none */
};

#endif /* KITH_ENGINES_RULES_H */
