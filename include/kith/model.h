/*
 * kith — events, the trace format and the model (members, roles, content value,
 * the interaction graph).
 *
 * SPDX-License-Identifier: MIT
 *
 * Part of libkith's public interface: programs include <kith.h>, which
 * includes this header. The conventions at the top of kith.h hold here.
 */
#ifndef KITH_MODEL_H
#define KITH_MODEL_H

#include "core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Events                                                                    */
/* ------------------------------------------------------------------------ */

/** Event types; the names in brackets are the kith-trace 1 names. @since 1.0 */
typedef enum kith_event_type {
	KITH_EVENT_JOIN = 1,      /**< [join] by = inviter (optional) */
	KITH_EVENT_LEAVE = 2,     /**< [leave] */
	KITH_EVENT_KICK = 3,      /**< [kick] actor is kicked, by = who kicked */
	KITH_EVENT_BAN = 4,       /**< [ban] actor is banned, by = who banned */
	KITH_EVENT_MESSAGE = 5,   /**< [msg] msg_id, kind, length, reply_to, to, tags, text */
	KITH_EVENT_REACTION = 6,  /**< [react] msg_id reacted to, to = its author */
	KITH_EVENT_NICK = 7,      /**< [nick] name = new display name */
	KITH_EVENT_ALIAS = 8,     /**< [alias] name = a further id of the actor */
	KITH_EVENT_ROLE = 9,      /**< [role] name = role, op = add/remove, by */
	KITH_EVENT_REPORT = 10,   /**< [report] to = reported member, msg_id */
	KITH_EVENT_ATTEND = 11,   /**< [attend] name = activity */
	KITH_EVENT_ENVELOPE = 12, /**< [envelope] op = send/claim, amount */
	KITH_EVENT_DELETE = 13,   /**< [delete] msg_id, by */
	KITH_EVENT_PURCHASE = 14  /**< [purchase] amount */
} kith_event_type;

/** Content kinds of a message, in the trace's names. @since 1.0 */
typedef enum kith_kind {
	KITH_KIND_TEXT = 0,
	KITH_KIND_PHOTO = 1,
	KITH_KIND_VIDEO = 2,
	KITH_KIND_VOICE = 3,
	KITH_KIND_LINK = 4,     /**< an H5 page or plain link */
	KITH_KIND_ARTICLE = 5,  /**< a link to an article */
	KITH_KIND_DOCUMENT = 6,
	KITH_KIND_SHARE = 7,    /**< a net-disk share */
	KITH_KIND_STICKER = 8,
	KITH_KIND_ENVELOPE = 9, /**< a red envelope posted as a message */
	KITH_KIND_SYSTEM = 10,
	KITH_KIND_OTHER = 11
} kith_kind;

/** Number of content kinds. @since 1.0 */
#define KITH_KIND_COUNT 12

/** Operations of role and envelope events. @since 1.0 */
typedef enum kith_event_op {
	KITH_OP_NONE = 0,
	KITH_OP_ADD = 1,    /**< role: grant */
	KITH_OP_REMOVE = 2, /**< role: revoke */
	KITH_OP_SEND = 3,   /**< envelope: send */
	KITH_OP_CLAIM = 4   /**< envelope: claim */
} kith_event_op;

/**
 * One event. Initialise with KITH_EVENT_INIT (or set size to
 * sizeof(kith_event)) so that a program built against this header keeps
 * working when later versions append fields. A string field is absent when
 * its pointer is NULL; its length may be KITH_NUL_TERMINATED. The library
 * reads the event during the call only and keeps no pointer into it.
 * Fields that an event type does not use (kith_event_type lists those it
 * uses) are ignored: neither read nor checked against their limits.
 * @since 1.0
 */
typedef struct kith_event {
	uint32_t size;       /**< sizeof(kith_event) as the caller was built */
	uint32_t type;       /**< a kith_event_type */
	int64_t time_ms;     /**< ms since the Unix epoch, UTC, non-decreasing; not KITH_TIME_NONE */
	const char *actor;   /**< the member the event is about (required) */
	size_t actor_len;
	const char *by;      /**< inviter, kicker, banner, granter, deleter */
	size_t by_len;
	const char *to;      /**< addressee of a message, author reacted to, reported member */
	size_t to_len;
	const char *msg_id;  /**< the message's id, or the message acted on */
	size_t msg_id_len;
	const char *reply_to; /**< id of the message this one replies to */
	size_t reply_to_len;
	const char *name;    /**< display name, alias id, role name or activity */
	size_t name_len;
	const char *tags;    /**< comma-separated topic tags of a message */
	size_t tags_len;
	const char *text;    /**< message text: used by rules, never retained */
	size_t text_len;
	uint32_t kind;       /**< a kith_kind, for messages */
	uint32_t length;     /**< message length in characters; 0 = text_len */
	uint32_t op;         /**< a kith_event_op, for role and envelope events */
	uint32_t reserved;   /**< must be 0 */
	int64_t amount;      /**< envelope or purchase amount, in cents */
} kith_event;

/** Initialiser for a kith_event. @since 1.0 */
#define KITH_EVENT_INIT                                                                            \
	{                                                                                          \
		sizeof(kith_event), 0, 0, NULL, 0, NULL, 0, NULL, 0, NULL, 0, NULL, 0, NULL, 0, NULL,  \
		    0, NULL, 0, 0, 0, 0, 0, 0                                                      \
	}

/**
 * Apply one event to the community, in the semantics of kith-trace 1
 * (kith_event_type says what each type does): an unknown actor is created present (an implicit join), a
 * message, reaction or attendance from an absent member brings them back,
 * join of a present member and leave of an absent one change nothing.
 * @return KITH_OK; KITH_EINVAL (NULL, missing actor, unknown type, kind or
 *         op, non-zero reserved); KITH_EVERSION (size unknown); KITH_ERANGE
 *         (a string over its limit, a negative amount, a time equal to
 *         KITH_TIME_NONE); KITH_EORDER (time
 *         earlier than the previous event's); KITH_ELIMIT; KITH_ENOMEM.
 *         On failure the community is unchanged.
 * @since 1.0
 */
KITH_API kith_status kith_community_ingest(kith_community *community, const kith_event *event);

/**
 * Apply events[0..count) in order, stopping at the first that fails. The
 * result is exactly that of kith_community_ingest on each in turn, but an
 * array is faster: the interactions its events count reach the graph in
 * bulk, and large communities look members up ahead. Give events in
 * arrays when they come in batches (a backlog, a replayed log).
 * @param done receives how many events were applied (may be NULL); on
 *        failure events[*done] is the one that failed and the community
 *        holds exactly the effect of the events before it.
 * @return KITH_OK or the failing event's status.
 * @since 1.0
 */
KITH_API kith_status kith_community_ingest_array(kith_community *community, const kith_event *events,
                                                 size_t count, size_t *done);

/* ------------------------------------------------------------------------ */
/* The trace format (kith-trace 1)                                           */
/* ------------------------------------------------------------------------ */

/**
 * Parse one kith-trace 1 line (without its line terminator; a trailing
 * "\r" is tolerated) and apply it. Comment lines, blank lines and the
 * "kith-trace 1" header are accepted and change nothing.
 * @param line_no the line's number, used only in error messages.
 * @return KITH_OK; KITH_ESYNTAX with "line L, column C: reason" in the
 *         last error for a malformed line; KITH_EVERSION for another
 *         format version; otherwise as kith_community_ingest. On failure
 *         the community is unchanged.
 * @since 1.0
 */
KITH_API kith_status kith_community_ingest_trace_line(kith_community *community, const char *line,
                                                      size_t len, uint64_t line_no);

/**
 * Parse and apply a whole trace held in memory ("\n" or "\r\n" line ends;
 * the last line need not end with one). Stops at the first bad line.
 * @param lines_done receives the number of complete lines applied (may be
 *        NULL); on failure the bad line is number *lines_done + 1 and the
 *        community holds exactly the effect of the lines before it.
 * @return as kith_community_ingest_trace_line.
 * @since 1.0
 */
KITH_API kith_status kith_community_ingest_trace(kith_community *community, const char *buf, size_t len,
                                                 uint64_t *lines_done);

/* ------------------------------------------------------------------------ */
/* Members                                                                   */
/* ------------------------------------------------------------------------ */

/**
 * Members are numbered by dense handles 0 .. kith_community_member_count()-1
 * in the order they were first seen. A handle never changes for the life
 * of the community and is preserved by snapshots.
 */

/** Number of members ever seen (present or not). NULL gives 0. @since 1.0 */
KITH_API size_t kith_community_member_count(const kith_community *community);

/** Number of members present now. NULL gives 0. @since 1.0 */
KITH_API size_t kith_community_present_count(const kith_community *community);

/** Number of message events ingested. NULL gives 0. @since 1.0 */
KITH_API uint64_t kith_community_message_count(const kith_community *community);

/** Time of the latest event ingested, or KITH_TIME_NONE. @since 1.0 */
KITH_API int64_t kith_community_last_event_ms(const kith_community *community);

/**
 * Number of events applied to the community, of every type, counted as
 * each is ingested (an event that fails is not counted; comment and blank
 * trace lines are not events). Kept by snapshots. A snapshot written
 * before the count was kept loads with the count of its messages, a
 * lower bound. NULL gives 0.
 * @since 1.0
 */
KITH_API uint64_t kith_community_event_count(const kith_community *community);

/**
 * Time of the first event applied to the community. Kept by snapshots.
 * @param out receives the time (ms since the Unix epoch, UTC).
 * @return KITH_OK and *out set; KITH_ENOTFOUND when no event was applied,
 *         or when the community was loaded from a snapshot written before
 *         the time was kept (kith_community_last_event_ms then says
 *         whether it holds events); KITH_EINVAL (NULL community or out).
 *         *out is unchanged unless KITH_OK.
 * @since 1.0
 */
KITH_API kith_status kith_community_first_event_ms(const kith_community *community, int64_t *out);

/**
 * Find the member an id (first id or alias) names.
 * @return KITH_OK and *out set; KITH_ENOTFOUND; KITH_EINVAL.
 * @since 1.0
 */
KITH_API kith_status kith_community_find_member(const kith_community *community, const char *id,
                                                size_t id_len, uint32_t *out);

/**
 * The member's first id.
 * @param len receives its length in bytes (may be NULL).
 * @return a borrowed pointer to the id, NUL-terminated (the id itself may
 *         hold NULs); NULL for a bad handle.
 * @since 1.0
 */
KITH_API const char *kith_member_id(const kith_community *community, uint32_t member, size_t *len);

/**
 * The member's display name, or NULL when none was set.
 * @return borrowed, NUL-terminated; valid until the next ingest.
 * @since 1.0
 */
KITH_API const char *kith_member_display_name(const kith_community *community, uint32_t member,
                                              size_t *len);

/** Integer statistics of a member, read with kith_member_stat. @since 1.0 */
typedef enum kith_stat {
	KITH_STAT_PRESENT = 1,           /**< 1 if present, else 0 */
	KITH_STAT_BANNED = 2,            /**< 1 if banned (and not rejoined), else 0 */
	KITH_STAT_JOINED_MS = 3,         /**< last join, explicit or implicit */
	KITH_STAT_FIRST_MSG_MS = 4,      /**< or KITH_TIME_NONE */
	KITH_STAT_LAST_MSG_MS = 5,       /**< or KITH_TIME_NONE */
	KITH_STAT_MESSAGES = 6,          /**< all message events */
	KITH_STAT_REPLIES_GIVEN = 7,     /**< messages addressed to another member */
	KITH_STAT_REPLIES_RECEIVED = 8,  /**< messages another member addressed to this one */
	KITH_STAT_MENTIONS_RECEIVED = 9, /**< of those, addressed by "to" without replying */
	KITH_STAT_REACTIONS_RECEIVED = 10,
	KITH_STAT_INVITES = 11,          /**< joins this member invited */
	KITH_STAT_INVITEES_PRESENT = 12, /**< of those invitees, how many are present now */
	KITH_STAT_QUESTIONS = 13,        /**< messages tagged "question" or whose text holds '?' */
	KITH_STAT_FEEDBACK = 14,         /**< messages tagged "feedback" */
	KITH_STAT_COMPLAINTS = 15,       /**< messages tagged "complaint" */
	KITH_STAT_ENVELOPES_SENT = 16,
	KITH_STAT_ENVELOPES_CLAIMED = 17,
	KITH_STAT_ATTENDED = 18,         /**< activity attendances */
	KITH_STAT_HIGH_VALUE = 19,       /**< messages whose value reached value.high_threshold */
	KITH_STAT_INVITER = 20,          /**< handle of the inviter of the last join, or -1 */
	KITH_STAT_REPORTS_RECEIVED = 21, /**< reports naming this member */
	KITH_STAT_NAME_COMPLIANT = 22,   /**< 1 if the display name matches community.name_format */
	KITH_STAT_LAST_PURCHASE_MS = 23, /**< or KITH_TIME_NONE */
	KITH_STAT_LAST_ATTEND_MS = 24,   /**< last activity attendance, or KITH_TIME_NONE */
	KITH_STAT_VIOLATIONS = 25,       /**< rule violations the ladder counts, as of the last
	                                      event: 0 once rules.forgive_after has passed
	                                      without a new one */
	KITH_STAT_WARNINGS = 26,         /**< warn verdicts the rules engine gave the member */
	KITH_STAT_LAST_VIOLATION_MS = 27, /**< or KITH_TIME_NONE */
	KITH_STAT_KIND_BASE = 100        /**< + a kith_kind: messages of that kind */
} kith_stat;

/**
 * Read an integer statistic of a member.
 * @return KITH_OK and *out set; KITH_ENOTFOUND for a bad handle;
 *         KITH_EINVAL for an unknown stat or NULL.
 * @since 1.0
 */
KITH_API kith_status kith_member_stat(const kith_community *community, uint32_t member, kith_stat stat,
                                      int64_t *out);

/**
 * Distinct local days (by the community.utc_offset setting) with at least
 * one message among the `days` local days ending on the day of now_ms.
 * days is 1 .. 128. The model holds a member's 128 local days up to the
 * day of their latest message; earlier days are known only to be silent
 * when they come before the member's first message. A window that
 * reaches further back (now_ms well before the latest message, as when
 * asking about the past of a replayed trace) cannot be answered.
 * @return KITH_OK and *out set; KITH_ENOTFOUND for a bad handle;
 *         KITH_EINVAL (NULL, days outside 1 .. 128); KITH_ERANGE when the
 *         window reaches days the model no longer holds (*out is 0 and
 *         the last error names the days).
 * @since 1.0
 */
KITH_API kith_status kith_member_active_days(const kith_community *community, uint32_t member,
                                             int64_t now_ms, uint32_t days, uint32_t *out);

/**
 * The member's contribution score at now_ms: the value of each message and
 * of the engagement it drew, decayed with half-life value.half_life_days
 * from the second it was earned. now_ms earlier than the last event is
 * read as the last event's time. Scores are kept in single precision:
 * compare them with a relative tolerance of about 1e-6.
 * @return KITH_OK and *out set; KITH_ENOTFOUND for a bad handle;
 *         KITH_EINVAL (NULL).
 * @since 1.0
 */
KITH_API kith_status kith_member_score(const kith_community *community, uint32_t member, int64_t now_ms,
                                       double *out);

/**
 * Whether the member holds a role.
 * @return 1 yes, 0 no (also for bad arguments).
 * @since 1.0
 */
KITH_API int kith_member_has_role(const kith_community *community, uint32_t member, uint32_t role);

/**
 * Render the member's figures as one JSON object (no newline) with
 * exactly these keys, in this order: id (the first id, a string), present
 * (true or false), joined_ms, first_msg_ms and last_msg_ms (null for
 * KITH_TIME_NONE), messages, active_days_30 (kith_member_active_days over
 * 30 days; null when the model no longer holds those days), replies_given,
 * replies_received, score (kith_member_score)
 * and roles (an array of the names of the roles held, in handle order);
 * active_days_30 and score are taken at now_ms.
 * @param buf receives at most size bytes, NUL-terminated when size > 0.
 * @param needed receives the length the full text needs, without the NUL
 *        (may be NULL). A text longer than size - 1 is truncated and the
 *        call still succeeds: compare *needed with size.
 * @return KITH_OK, also when the text was truncated; KITH_ENOTFOUND for
 *         a bad handle; KITH_EINVAL (NULL community, or buf NULL with
 *         size above 0).
 * @since 1.0
 */
KITH_API kith_status kith_member_to_json(const kith_community *community, uint32_t member, int64_t now_ms,
                                         char *buf, size_t size, size_t *needed);

/* ------------------------------------------------------------------------ */
/* Roles                                                                     */
/* ------------------------------------------------------------------------ */

/** Built-in roles, always defined with these handles. @since 1.0 */
typedef enum kith_builtin_role {
	KITH_ROLE_OWNER = 0,
	KITH_ROLE_ADMIN = 1,
	KITH_ROLE_OPINION_LEADER = 2,
	KITH_ROLE_SEED = 3,
	KITH_ROLE_INITIATOR = 4,
	KITH_ROLE_EXPERT = 5,
	KITH_ROLE_HELPER = 6,
	KITH_ROLE_MEMBER = 7
} kith_builtin_role;

/** Role permissions, a bit set. @since 1.0 */
typedef enum kith_permission {
	KITH_PERM_INVITE = 1,    /**< may invite people */
	KITH_PERM_LINKS = 2,     /**< may post links */
	KITH_PERM_ANNOUNCE = 4,  /**< may post announcements */
	KITH_PERM_EXEMPT = 8     /**< exempt from rules */
} kith_permission;

/** Number of roles defined (built-in and custom). @since 1.0 */
KITH_API uint32_t kith_community_role_count(const kith_community *community);

/** A role's name; borrowed, NUL-terminated; NULL for a bad handle. @since 1.0 */
KITH_API const char *kith_role_name(const kith_community *community, uint32_t role);

/**
 * Find a role by name (ASCII case-insensitive).
 * @return KITH_OK and *out set; KITH_ENOTFOUND; KITH_EINVAL.
 * @since 1.0
 */
KITH_API kith_status kith_community_find_role(const kith_community *community, const char *name,
                                              size_t name_len, uint32_t *out);

/**
 * Define a custom role, or redefine an existing one's permissions and
 * protection. Names are 1..64 bytes of letters, digits, '-', '_' and '.'.
 * The same is reachable through the settings "role.NAME.permissions" and
 * "role.NAME.protected".
 * @param permissions a set of kith_permission bits.
 * @param protected_from_cleanup non-zero to protect holders from cleanup.
 * @param out receives the role's handle (may be NULL).
 * @return KITH_OK; KITH_EINVAL (bad name or unknown permission bits);
 *         KITH_ELIMIT (KITH_ROLES_MAX reached); KITH_ENOMEM.
 * @since 1.0
 */
KITH_API kith_status kith_community_define_role(kith_community *community, const char *name,
                                                size_t name_len, uint32_t permissions,
                                                int protected_from_cleanup, uint32_t *out);

/** A role's permission bits; 0 for a bad handle. @since 1.0 */
KITH_API uint32_t kith_role_permissions(const kith_community *community, uint32_t role);

/** 1 if the role protects its holders from cleanup, else 0. @since 1.0 */
KITH_API int kith_role_is_protected(const kith_community *community, uint32_t role);

/* ------------------------------------------------------------------------ */
/* Content value                                                             */
/* ------------------------------------------------------------------------ */

/**
 * The value score of a recent message (one still in the bounded ledger of
 * the last ledger.capacity messages), including the engagement it drew.
 * @return KITH_OK; KITH_ENOTFOUND once the message has left the ledger.
 * @since 1.0
 */
KITH_API kith_status kith_community_message_value(const kith_community *community, const char *msg_id,
                                                  size_t msg_id_len, double *out);

/**
 * The community's value ratio: the share of all messages whose value
 * reached value.high_threshold, in [0, 1]; 0 with no messages.
 * @since 1.0
 */
KITH_API double kith_community_value_ratio(const kith_community *community);

/**
 * Number of entries in the digest: the most valuable messages of the local
 * day of the latest message (at most digest.size), best first (value
 * descending, the older first between equals), among those the ledger
 * still holds (a day with more than ledger.capacity messages loses its
 * earliest ones). Messages whose value is not above 0, deleted ones among
 * them, are left out. The digest is worked out from the ledger when first
 * asked for after a change (a walk over the day's messages), then kept
 * until the next event, setting or load.
 * @since 1.0
 */
KITH_API size_t kith_community_digest_count(const kith_community *community);

/**
 * Read digest entry i (0 is the best).
 * @param msg_id receives the message id (borrowed, valid until the next
 *        ingest, NOT NUL-terminated; NULL for a message without an id;
 *        may be NULL), msg_id_len its length, author its member,
 *        value its value score. Any out pointer may be NULL.
 * @return KITH_OK; KITH_ENOTFOUND when i is past the end.
 * @since 1.0
 */
KITH_API kith_status kith_community_digest_entry(const kith_community *community, size_t i,
                                                 const char **msg_id, size_t *msg_id_len,
                                                 uint32_t *author, double *value);

/**
 * The time and content kind of digest entry i's message (0 is the best),
 * as it was ingested.
 * @param time_ms receives the message's time (may be NULL).
 * @param kind receives its kind (may be NULL).
 * @return KITH_OK; KITH_ENOTFOUND when i is past the end (the outs are
 *         unchanged); KITH_EINVAL for a NULL community.
 * @since 1.0
 */
KITH_API kith_status kith_community_digest_message(const kith_community *community, size_t i,
                                                   int64_t *time_ms, kith_kind *kind);

/** The most bytes kith_community_keep_digest_texts keeps of a text. @since 1.0 */
#define KITH_KEPT_TEXT_MAX 4096

/**
 * Keep the start of message texts so that kith_community_digest_text can
 * give those of the digest. Texts are otherwise never retained, and by
 * default none are: a community that does not ask pays nothing.
 *
 * Any message of the latest local day may enter the digest later, as its
 * value grows with the replies and reactions it draws, so what is kept is
 * the first max_bytes bytes of the text of every message of that day
 * (cut before a UTF-8 character the limit would split) while the ledger
 * holds the message: a message on a later local day drops the others,
 * and a deleted message's text is wiped. Memory thus grows with the
 * day's messages, at most max_bytes and 16 bytes each, never past the
 * ledger's capacity of them.
 *
 * Only messages ingested while texts are kept have one. Snapshots hold no
 * texts: after a load none is kept, until the next messages. The choice
 * itself belongs to the community object, like its allocator, and a
 * load leaves it as it is.
 * @param max_bytes bytes kept of each text, 1 .. KITH_KEPT_TEXT_MAX; a new
 *        limit applies to the texts of later messages. 0 stops keeping
 *        texts and frees those kept.
 * @return KITH_OK; KITH_EINVAL for a NULL community; KITH_ERANGE when
 *         max_bytes is above KITH_KEPT_TEXT_MAX; KITH_ENOMEM. On failure
 *         nothing changed.
 * @since 1.0
 */
KITH_API kith_status kith_community_keep_digest_texts(kith_community *community, size_t max_bytes);

/**
 * The kept text of digest entry i's message (0 is the best): its first
 * bytes, as kith_community_keep_digest_texts kept them, unescaped (a tab
 * or a newline in the text is one).
 * @param buf receives at most size bytes, NUL-terminated when size > 0
 *        (the text itself may hold NULs); "" when the call fails.
 * @param needed receives the kept text's length in bytes, without the NUL
 *        (may be NULL; 0 when the call fails). A text longer than size - 1
 *        is truncated and the call still succeeds: compare *needed with
 *        size.
 * @return KITH_OK, also when truncated, and with an empty text for a
 *         message without one; KITH_ENOTFOUND when i is past the end;
 *         KITH_ESTATE when no text was kept for the message (texts are not
 *         being kept, or were not when it was ingested, or it came before
 *         a load or before the latest day's first message under an
 *         earlier community.utc_offset); KITH_EINVAL (NULL community, or
 *         buf NULL with size above 0).
 * @since 1.0
 */
KITH_API kith_status kith_community_digest_text(const kith_community *community, size_t i,
                                                char *buf, size_t size, size_t *needed);

/* ------------------------------------------------------------------------ */
/* The interaction graph                                                     */
/* ------------------------------------------------------------------------ */

/** Kinds of interaction counted on each directed edge. @since 1.0 */
typedef enum kith_interaction {
	KITH_INTERACTION_REPLY = 0,    /**< source addressed a message to target */
	KITH_INTERACTION_MENTION = 1,  /**< of those, by "to" without replying */
	KITH_INTERACTION_REACTION = 2, /**< source reacted to target's message */
	KITH_INTERACTION_INVITE = 3    /**< source invited target */
} kith_interaction;

/** Number of directed edges (source, target) seen so far. @since 1.0 */
KITH_API size_t kith_community_edge_count(const kith_community *community);

/**
 * Read edge i, in the order edges were first seen.
 * @param counts receives KITH_INTERACTION_* counts, 4 entries (may be NULL).
 * @return KITH_OK; KITH_ENOTFOUND past the end; KITH_EINVAL.
 * @since 1.0
 */
KITH_API kith_status kith_community_edge(const kith_community *community, size_t i, uint32_t *source,
                                         uint32_t *target, uint32_t counts[4]);

/**
 * The count of one interaction kind from source to target (0 when they
 * never interacted).
 * @return KITH_OK and *out set; KITH_ENOTFOUND for a bad handle;
 *         KITH_EINVAL (NULL, an unknown kind).
 * @since 1.0
 */
KITH_API kith_status kith_community_interactions(const kith_community *community, uint32_t source,
                                                 uint32_t target, kith_interaction kind,
                                                 uint32_t *out);

#ifdef __cplusplus
}
#endif

#endif /* KITH_MODEL_H */
