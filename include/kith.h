/*
 * kith — an embeddable model of an online group community.
 *
 * SPDX-License-Identifier: MIT
 *
 * This header is the specification of libkith's public interface.
 *
 * Conventions (they hold for every function below unless its comment says
 * otherwise):
 *
 *  - Every fallible function returns a kith_status: KITH_OK (0) on success,
 *    a negative constant on failure. kith_status_str() names a status;
 *    kith_community_last_error() gives the detail of the last failure on
 *    that community (the offending value, or line and column for text).
 *  - A call that fails leaves the community exactly as it was before the
 *    call, including when an allocation fails. Batch calls document which
 *    prefix of the batch was applied.
 *  - Strings are UTF-8 byte strings passed as (pointer, length). Passing
 *    KITH_NUL_TERMINATED as the length means "up to the first NUL". Bytes
 *    are never interpreted beyond what a function documents, so an id may
 *    hold any byte, including NUL when a length is given.
 *  - Pointers returned by the library are either *borrowed* (owned by the
 *    community, valid until the next call that changes it, never to be
 *    freed) or *owned* (the caller frees them with the matching _free);
 *    each function says which.
 *  - Time is always passed in by the caller, in milliseconds since the Unix
 *    epoch (UTC). The library reads no clock, does no I/O and keeps no
 *    global state.
 *
 * Threading: a kith_community is used by one thread at a time; it has no
 * internal locking. Distinct communities share nothing and may be used from
 * different threads at the same time. kith_version() and kith_status_str()
 * may be called from any thread.
 */
#ifndef KITH_H
#define KITH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(KITH_BUILDING_LIBRARY) && defined(__GNUC__)
#define KITH_API __attribute__((visibility("default")))
#else
#define KITH_API
#endif

/** @since 1.0 */
#define KITH_VERSION_MAJOR 1
/** @since 1.0 */
#define KITH_VERSION_MINOR 0
/** @since 1.0 */
#define KITH_VERSION_PATCH 0

/** Length value meaning "the string is NUL-terminated". @since 1.0 */
#define KITH_NUL_TERMINATED ((size_t)-1)

/** A time that is absent (no message yet, no deadline). @since 1.0 */
#define KITH_TIME_NONE INT64_MIN

/** Longest member id, display name, role name or message id, in bytes. @since 1.0 */
#define KITH_ID_MAX 1024
/** Longest message text, in bytes. @since 1.0 */
#define KITH_TEXT_MAX (1024 * 1024)
/** Longest tag list of a message, in bytes. @since 1.0 */
#define KITH_TAGS_MAX 4096
/** Most members (ids ever seen) one community can hold. @since 1.0 */
#define KITH_MEMBERS_MAX 33554430u
/** Most roles (built-in and custom) one community can define. @since 1.0 */
#define KITH_ROLES_MAX 24

/**
 * The runtime version of the library as "MAJOR.MINOR.PATCH".
 * @return a static string (never NULL, never to be freed).
 * @since 1.0
 */
KITH_API const char *kith_version(void);

/** Status codes. Values never change meaning. @since 1.0 */
typedef enum kith_status {
	KITH_OK = 0,
	KITH_EINVAL = -1,      /**< an argument is NULL or malformed */
	KITH_ENOMEM = -2,      /**< an allocation failed; nothing changed */
	KITH_ERANGE = -3,      /**< a value is out of its documented bounds */
	KITH_ENOTFOUND = -4,   /**< no such member, setting, role or message */
	KITH_ESYNTAX = -5,     /**< malformed text (trace line, charter) */
	KITH_ECORRUPT = -6,    /**< a snapshot is truncated or corrupted */
	KITH_EVERSION = -7,    /**< unknown format or struct version */
	KITH_EORDER = -8,      /**< an event is earlier than the previous one */
	KITH_EUNSUPPORTED = -9, /**< understood, but not supported yet */
	KITH_EIO = -10,        /**< a caller's read or write callback failed */
	KITH_ELIMIT = -11,     /**< a documented capacity limit was reached */
	KITH_ESTATE = -12      /**< not allowed in the community's present state */
} kith_status;

/**
 * A short constant English name for a status, e.g. "out of memory".
 * @return a static string; unknown values give "unknown status".
 * @since 1.0
 */
KITH_API const char *kith_status_str(kith_status status);

/* ------------------------------------------------------------------------ */
/* The community                                                             */
/* ------------------------------------------------------------------------ */

/** The root object: members, roles, settings, statistics. @since 1.0 */
typedef struct kith_community kith_community;

/**
 * A caller-supplied allocator with realloc semantics: called with
 * (NULL, 0, n) it allocates n bytes; with (p, old, n) it resizes the block p
 * of old bytes to n bytes; with (p, old, 0) it frees p and returns NULL.
 * A failed allocation or resize returns NULL and leaves p untouched.
 * Blocks must be aligned for any C type (as malloc's are).
 * @since 1.0
 */
typedef void *(*kith_alloc_fn)(void *ptr, size_t old_size, size_t new_size, void *payload);

/**
 * Create an empty community with default settings and the built-in roles.
 * @param out receives the new community (owned: free with kith_community_free).
 * @return KITH_OK, KITH_EINVAL if out is NULL, KITH_ENOMEM.
 * @since 1.0
 */
KITH_API kith_status kith_community_new(kith_community **out);

/**
 * Like kith_community_new, but every allocation the community ever makes
 * goes through alloc (with payload as its last argument). alloc must stay
 * valid for the community's life.
 * @return KITH_OK, KITH_EINVAL if out or alloc is NULL, KITH_ENOMEM.
 * @since 1.0
 */
KITH_API kith_status kith_community_new_with_allocator(kith_community **out, kith_alloc_fn alloc,
                                                       void *payload);

/**
 * Free a community and everything it owns. NULL is a no-op.
 * Borrowed pointers obtained from it become invalid.
 * @since 1.0
 */
KITH_API void kith_community_free(kith_community *community);

/**
 * The message of the last failed call on this community, e.g.
 * "line 12, column 31: unknown kind 'gif'". Empty when no call failed yet.
 * @return a borrowed string, valid until the next call on the community;
 *         "" for a NULL community.
 * @since 1.0
 */
KITH_API const char *kith_community_last_error(const kith_community *community);

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
 * (DESIGN.md): an unknown actor is created present (an implicit join), a
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
 * days is 1 .. 128.
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
 * Render the member's figures as one JSON object (no newline), with
 * exactly the keys of DESIGN.md "Per-member figures", active_days_30 and
 * score taken at now_ms.
 * @param buf receives at most size bytes, NUL-terminated when size > 0.
 * @param needed receives the length the full text needs, without the NUL
 *        (may be NULL). A text longer than size - 1 is truncated and the
 *        call still succeeds: compare *needed with size.
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
 * @since 1.0
 */
KITH_API kith_status kith_community_interactions(const kith_community *community, uint32_t source,
                                                 uint32_t target, kith_interaction kind,
                                                 uint32_t *out);

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
 *  community.capacity     integer 1 .. 33554430              500
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
 *                         community.capacity (0: no target)              0
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
 * @return KITH_OK; KITH_ENOTFOUND (unknown name); KITH_EINVAL (malformed
 *         value, with the value quoted in the last error); KITH_ERANGE
 *         (out of bounds); KITH_ESTATE; KITH_ELIMIT (a role.NAME setting
 *         past KITH_ROLES_MAX roles); KITH_ENOMEM. On failure the
 *         setting keeps its value.
 * @since 1.0
 */
KITH_API kith_status kith_setting_set(kith_community *community, const char *name, const char *value,
                                      size_t value_len);

/**
 * Read a setting in canonical text form (setting it back gives the same
 * value).
 * @param buf, size, needed as for kith_member_to_json.
 * @since 1.0
 */
KITH_API kith_status kith_setting_get(const kith_community *community, const char *name, char *buf,
                                      size_t size, size_t *needed);

/** Number of settings currently defined (grows with custom roles). @since 1.0 */
KITH_API size_t kith_setting_count(const kith_community *community);

/**
 * Describe setting i (0 .. kith_setting_count()-1), for discovery by
 * bindings and tools: the settings of fixed name, then each role's
 * role.NAME.permissions and role.NAME.protected. The rule.NAME.KEY
 * settings are not among them: kith_rule_name lists the rules.
 * @param name receives its name (borrowed; valid until the next call that
 *        defines a role), type its kith_setting_type, min and max its
 *        bounds (for text and lists, lengths in bytes and items). Any out
 *        pointer may be NULL.
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
 * [templates] the rules.* and templates.* settings. Sections of engines
 * this version does not have ([seeds], [activity NAME], [schedule]) are
 * rejected with KITH_EUNSUPPORTED.
 * All or nothing: on any error nothing of the charter is applied, and the
 * last error reads "line L, column C: reason".
 * @since 1.0
 */
KITH_API kith_status kith_community_apply_charter(kith_community *community, const char *text,
                                                  size_t len);

/* ------------------------------------------------------------------------ */
/* Snapshots                                                                 */
/* ------------------------------------------------------------------------ */

/**
 * A sink for snapshot bytes: write all len bytes, return 0 on success,
 * anything else to abort the save (which then returns KITH_EIO).
 * @since 1.0
 */
typedef int (*kith_write_fn)(const void *data, size_t len, void *payload);

/**
 * A source of snapshot bytes: fill up to len bytes of buf and return how
 * many were read (0 at the end), or a negative value on error.
 * @since 1.0
 */
typedef ptrdiff_t (*kith_read_fn)(void *buf, size_t len, void *payload);

/**
 * Write the whole community (settings, roles, members, statistics, ledger,
 * graph) as a versioned, little-endian, checksummed snapshot. The same
 * community always gives the same bytes, on any host: a snapshot saved
 * on one machine loads on another whatever their byte order.
 * @return KITH_OK; KITH_EIO if write failed; KITH_ENOMEM; KITH_EINVAL.
 * @since 1.0
 */
KITH_API kith_status kith_community_save(const kith_community *community, kith_write_fn write,
                                         void *payload);

/**
 * Replace the community's whole content with a snapshot read from read.
 * The snapshot is read and checked completely before anything changes: on
 * any failure the community is as it was. Everything is replaced: the
 * settings, roles, members, ledger, graph and digest, and the rules
 * engine (its rules, ladder and templates, its flood and repeat windows
 * and the recent rule-breaking messages a report can name); the verdicts
 * on show are cleared, since no event has been ingested since. The digest
 * is derived from the ledger: the snapshot's copy is checked, and the
 * loaded community works it out again (so a snapshot whose digest
 * disagrees with its ledger loads, and saves with the digest corrected).
 * @return KITH_OK; KITH_ECORRUPT (truncated, bad checksum, inconsistent);
 *         KITH_EVERSION (a newer format); KITH_EIO (read failed);
 *         KITH_ENOMEM; KITH_EINVAL.
 * @since 1.0
 */
KITH_API kith_status kith_community_load(kith_community *community, kith_read_fn read, void *payload);

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
 *                          (ASCII case-insensitive, bytewise, any UTF-8)
 *  regex                   POSIX extended regex found in the text
 *                          (case-sensitive; text up to its first NUL)
 *  kinds                   list of kinds ("share, link")
 *  flood                   "6 messages in 10 s": this message is the
 *                          member's 6th within 10 s (2 .. KITH_FLOOD_MAX)
 *  repeats                 K: the same text K times in a row (within a day)
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
 *  first_message_link      yes: the member's first message is a link
 *  unless_role             list of roles exempt from this rule, or "none";
 *                          by default owner, admin and any role with
 *                          KITH_PERM_EXEMPT are exempt
 *  action                  list of: log, warn, delete, mute DURATION, kick,
 *                          ban, notify, welcome, remind, reward (default log)
 *
 * A rule with the welcome action and no message condition fires on joins;
 * one with reward fires on a report naming a message that recently broke
 * a rule (or, without a message id, a member with live violations), and
 * its verdict is the reporter's.
 *
 * The ladder: a rule whose actions include warn, delete, mute, kick or ban
 * counts one violation of the member (once per event); a member's count is
 * forgiven after rules.forgive_after without a new one (default "30 d";
 * "never"). The action "warn" stands for the ladder's step for the count
 * (rules.ladder, default "warn, warn, mute 12 h, kick"; the last step
 * repeats). Settings of the engine: rules.ladder, rules.forgive_after,
 * templates.welcome, templates.warning, templates.reminder,
 * templates.ultimatum, templates.reward: texts with {member} (display
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
/** Longest template, in bytes. @since 1.0 */
#define KITH_TEMPLATE_MAX 2048
/** Longest regex of a rule, in bytes. @since 1.0 */
#define KITH_REGEX_MAX 4096

/** Actions of verdicts. Values never change meaning. @since 1.0 */
typedef enum kith_action {
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
 * @return as kith_setting_set; KITH_ELIMIT past KITH_RULES_MAX rules.
 * @since 1.0
 */
KITH_API kith_status kith_rule_set(kith_community *community, const char *rule, const char *key,
                                   const char *value, size_t value_len);

/**
 * Remove a rule.
 * @return KITH_OK; KITH_ENOTFOUND; KITH_EINVAL; KITH_ENOMEM.
 * @since 1.0
 */
KITH_API kith_status kith_rule_remove(kith_community *community, const char *rule);

/** Number of rules, in the order they were first set. NULL gives 0. @since 1.0 */
KITH_API size_t kith_rule_count(const kith_community *community);

/** Name of rule i; borrowed until the next change of rules; NULL past the end. @since 1.0 */
KITH_API const char *kith_rule_name(const kith_community *community, size_t i);

/** The name of an action ("mute"); "unknown" for others. Static. @since 1.0 */
KITH_API const char *kith_action_name(kith_action action);

/**
 * Number of verdicts the last successful ingest left (0 without rules).
 * Verdicts and the strings they lend are valid until the next call that
 * ingests or changes rules; a failed ingest leaves them as they were.
 * @since 1.0
 */
KITH_API size_t kith_community_verdict_count(const kith_community *community);

/** Action of verdict i; 0 past the end. @since 1.0 */
KITH_API kith_action kith_verdict_action(const kith_community *community, size_t i);

/** Member handle verdict i is about; UINT32_MAX past the end. @since 1.0 */
KITH_API uint32_t kith_verdict_member(const kith_community *community, size_t i);

/** Name of the rule behind verdict i; borrowed; NULL past the end. @since 1.0 */
KITH_API const char *kith_verdict_rule(const kith_community *community, size_t i);

/**
 * Id of the message verdict i is about (borrowed, NUL-terminated), or NULL
 * when none. len receives its length (may be NULL).
 * @since 1.0
 */
KITH_API const char *kith_verdict_message_id(const kith_community *community, size_t i, size_t *len);

/** Mute duration of verdict i in ms (0 unless its action is mute). @since 1.0 */
KITH_API int64_t kith_verdict_mute_ms(const kith_community *community, size_t i);

/** The rendered template of verdict i, a text a bot can post; borrowed. @since 1.0 */
KITH_API const char *kith_verdict_text(const kith_community *community, size_t i);

/**
 * The verdicts as a JSON array of objects with keys action, member (id),
 * rule, message_id (or null), mute_ms and text.
 * @param buf, size, needed as for kith_member_to_json.
 * @since 1.0
 */
KITH_API kith_status kith_community_verdicts_json(const kith_community *community, char *buf, size_t size,
                                                  size_t *needed);

/* ------------------------------------------------------------------------ */
/* Cleanup                                                                   */
/* ------------------------------------------------------------------------ */

/**
 * The cleanup engine answers "whom do I clear out?" with a plan: a dry run
 * the bot reads, shows and acts on (or not). Every present member is
 * weighed in one pass against the reasons below; members who are
 * protected are spared and counted; the rest go through two stages: an
 * ultimatum first (the bot warns the member, with a deadline of
 * cleanup.ultimatum, and records it with kith_member_issue_ultimatum),
 * then removal once the deadline passed and the reason still holds.
 *
 * The model clears an ultimatum when the member complies: any message
 * clears one given for KITH_CLEANUP_NEVER_SPOKE, KITH_CLEANUP_SILENT,
 * KITH_CLEANUP_ENVELOPE_ONLY or KITH_CLEANUP_LOW_SCORE; a display name
 * that comes to match community.name_format clears one given for
 * KITH_CLEANUP_NAME. An ultimatum whose reason no longer holds when a plan
 * is made (violations forgiven, the name format changed) is ignored: the
 * member starts again from the ultimatum stage for whatever reason holds.
 *
 * Reasons (a member may have several; the plan names the first in this
 * priority order and gives all of them as a bit set):
 *  - violations: at least cleanup.max_violations rule violations;
 *  - envelope-only: claimed red envelopes but sent no real message (any
 *    kind but sticker, envelope and system) ever, or no message at all in
 *    cleanup.envelope_days;
 *  - never spoke: no message ever, cleanup.speak_within after the last
 *    join;
 *  - silent: spoke, but not for cleanup.silent_days (counted from the last
 *    message, or from the last join when that is later);
 *  - name: the display name does not match community.name_format (only
 *    when a format is set; no display name does not match);
 *  - low score: contribution score under cleanup.min_score (when set).
 *
 * Protection (checked in this order; a spared member is counted under the
 * first that applies): the allow-list (kith_member_allow); a role that is
 * protected from cleanup; the newcomer grace (joined within
 * cleanup.newcomer_grace); a purchase within cleanup.purchase_protects;
 * an activity attended within cleanup.attendance_protects. Absent
 * members are not weighed at all.
 *
 * Order: removals first (they finish what an ultimatum started), then
 * worst first: longest silent (since the last message, or the last join
 * when the member never spoke or rejoined later), then lowest
 * contribution score, then lowest member handle, so equal members always
 * come in the same order.
 *
 * Targets: with cleanup.keep_active_share (the share of present members
 * who spoke within cleanup.silent_days) or cleanup.room_for (free places
 * below community.capacity for that many newcomers) set, the plan lists
 * only as many entries, worst first, as it takes to reach both targets
 * (members waiting on an ultimatum count as already gone, so that a plan
 * made again before their deadlines does not warn more members than
 * needed). cleanup.max_per_run caps the entries of one plan.
 */

/** Why a member is proposed. Values never change meaning. @since 1.0 */
typedef enum kith_cleanup_reason {
	KITH_CLEANUP_NONE = 0,          /**< no reason */
	KITH_CLEANUP_NEVER_SPOKE = 1,   /**< no message, cleanup.speak_within after joining */
	KITH_CLEANUP_SILENT = 2,        /**< no message for cleanup.silent_days */
	KITH_CLEANUP_NAME = 3,          /**< display name not matching community.name_format */
	KITH_CLEANUP_VIOLATIONS = 4,    /**< at least cleanup.max_violations violations */
	KITH_CLEANUP_ENVELOPE_ONLY = 5, /**< only claims red envelopes */
	KITH_CLEANUP_LOW_SCORE = 6      /**< contribution score under cleanup.min_score */
} kith_cleanup_reason;

/** The stage of a plan entry. @since 1.0 */
typedef enum kith_cleanup_stage {
	KITH_CLEANUP_STAGE_ULTIMATUM = 1, /**< warn the member now, with a deadline */
	KITH_CLEANUP_STAGE_REMOVE = 2     /**< the ultimatum lapsed: remove the member */
} kith_cleanup_stage;

/** Evidence figures of a plan entry, read with kith_cleanup_plan_evidence. @since 1.0 */
typedef enum kith_cleanup_evidence {
	KITH_CLEANUP_EVIDENCE_REASONS = 1,     /**< bit set: bit r for every kith_cleanup_reason r that holds */
	KITH_CLEANUP_EVIDENCE_SILENT_MS = 2,   /**< how long silent (see "Order" above), in ms */
	KITH_CLEANUP_EVIDENCE_LAST_MSG_MS = 3, /**< or KITH_TIME_NONE */
	KITH_CLEANUP_EVIDENCE_JOINED_MS = 4,   /**< last join */
	KITH_CLEANUP_EVIDENCE_MESSAGES = 5,    /**< all messages */
	KITH_CLEANUP_EVIDENCE_REAL_MESSAGES = 6, /**< messages but stickers, envelopes and system ones */
	KITH_CLEANUP_EVIDENCE_ENVELOPES_CLAIMED = 7,
	KITH_CLEANUP_EVIDENCE_VIOLATIONS = 8,
	KITH_CLEANUP_EVIDENCE_DEADLINE_MS = 9, /**< ultimatum stage: the deadline to give (now +
	                                            cleanup.ultimatum); remove stage: the lapsed one */
	KITH_CLEANUP_EVIDENCE_ISSUED_MS = 10   /**< remove stage: when the ultimatum was issued,
	                                            else KITH_TIME_NONE */
} kith_cleanup_evidence;

/** Summary figures of a plan, read with kith_cleanup_plan_summary. @since 1.0 */
typedef enum kith_cleanup_summary {
	KITH_CLEANUP_SUMMARY_PRESENT = 1,    /**< present members */
	KITH_CLEANUP_SUMMARY_ACTIVE = 2,     /**< of those, who spoke within cleanup.silent_days */
	KITH_CLEANUP_SUMMARY_CANDIDATES = 3, /**< members with a reason, neither protected nor waiting */
	KITH_CLEANUP_SUMMARY_WAITING = 4,    /**< members with a reason whose ultimatum has not lapsed */
	KITH_CLEANUP_SUMMARY_NEEDED = 5,     /**< entries the targets call for, before the cap (all
	                                          candidates when they fall short); -1 without a target */
	KITH_CLEANUP_SUMMARY_TARGET_MET = 6, /**< 1 if the entries (before the cap) reach the targets,
	                                          0 if even every candidate would not; -1 without a target */
	KITH_CLEANUP_SUMMARY_PROTECTED = 10, /**< members with a reason spared by a protection, in all */
	KITH_CLEANUP_SUMMARY_PROTECTED_ALLOWED = 11,    /**< ... by the allow-list */
	KITH_CLEANUP_SUMMARY_PROTECTED_ROLE = 12,       /**< ... by a protected role */
	KITH_CLEANUP_SUMMARY_PROTECTED_NEWCOMER = 13,   /**< ... by the newcomer grace */
	KITH_CLEANUP_SUMMARY_PROTECTED_PURCHASE = 14,   /**< ... by a recent purchase */
	KITH_CLEANUP_SUMMARY_PROTECTED_ATTENDANCE = 15  /**< ... by activity attendance */
} kith_cleanup_summary;

/** A cleanup plan: an owned, immutable result. @since 1.0 */
typedef struct kith_cleanup_plan kith_cleanup_plan;

/**
 * A reason's name: "never-spoke", "silent", "name", "violations",
 * "envelope-only", "low-score"; "none" for KITH_CLEANUP_NONE.
 * @return a static string; NULL for an unknown value.
 * @since 1.0
 */
KITH_API const char *kith_cleanup_reason_name(kith_cleanup_reason reason);

/**
 * A stage's name: "ultimatum" or "remove".
 * @return a static string; NULL for an unknown value.
 * @since 1.0
 */
KITH_API const char *kith_cleanup_stage_name(kith_cleanup_stage stage);

/**
 * Make a cleanup plan as of now_ms with the community's cleanup.* settings.
 * Nothing in the community changes (but its last error on failure); the
 * plan is independent of the community afterwards (it may outlive it),
 * but it is allocated through the community's allocator, which must stay
 * valid until the plan is freed.
 * @param now_ms the time the plan is for (any time but KITH_TIME_NONE;
 *        the caller's clock, usually at or after the last event).
 * @param out receives the plan (owned: free with kith_cleanup_plan_free).
 * @return KITH_OK; KITH_EINVAL (NULL argument, now_ms KITH_TIME_NONE);
 *         KITH_ENOMEM (and *out is NULL).
 * @since 1.0
 */
KITH_API kith_status kith_cleanup_plan_new(kith_community *community, int64_t now_ms,
                                           kith_cleanup_plan **out);

/** Free a plan. NULL is a no-op. @since 1.0 */
KITH_API void kith_cleanup_plan_free(kith_cleanup_plan *plan);

/** Number of entries of the plan; 0 for NULL. @since 1.0 */
KITH_API size_t kith_cleanup_plan_count(const kith_cleanup_plan *plan);

/**
 * Read entry i (0 is the first to act on).
 * @param member receives the member's handle, stage its stage, reason
 *        its reason (for the remove stage, the reason of the lapsed
 *        ultimatum). Any out pointer may be NULL.
 * @return KITH_OK; KITH_ENOTFOUND when i is past the end; KITH_EINVAL.
 * @since 1.0
 */
KITH_API kith_status kith_cleanup_plan_entry(const kith_cleanup_plan *plan, size_t i, uint32_t *member,
                                             kith_cleanup_stage *stage, kith_cleanup_reason *reason);

/**
 * Read an evidence figure of entry i, as of the plan's time.
 * @return KITH_OK; KITH_ENOTFOUND past the end; KITH_EINVAL (NULL, an
 *         unknown figure).
 * @since 1.0
 */
KITH_API kith_status kith_cleanup_plan_evidence(const kith_cleanup_plan *plan, size_t i,
                                                kith_cleanup_evidence what, int64_t *out);

/**
 * The contribution score of entry i's member at the plan's time (as
 * kith_member_score).
 * @return KITH_OK; KITH_ENOTFOUND past the end; KITH_EINVAL.
 * @since 1.0
 */
KITH_API kith_status kith_cleanup_plan_score(const kith_cleanup_plan *plan, size_t i, double *out);

/**
 * A sentence for people explaining entry i: the reason with its figures
 * and threshold, and what to do ("warn now: deadline in 12 h" or "the
 * ultimatum lapsed 3 h ago: remove").
 * @return borrowed from the plan, NUL-terminated; NULL past the end.
 * @since 1.0
 */
KITH_API const char *kith_cleanup_plan_explanation(const kith_cleanup_plan *plan, size_t i);

/**
 * Read a summary figure of the plan.
 * @return KITH_OK; KITH_EINVAL (NULL, an unknown figure).
 * @since 1.0
 */
KITH_API kith_status kith_cleanup_plan_summary(const kith_cleanup_plan *plan, kith_cleanup_summary what,
                                               int64_t *out);

/**
 * Render the plan as one JSON object: now_ms, the summary (present,
 * active, candidates, waiting, needed, target_met, protected with a
 * member per protection and total) and entries, an array of objects with
 * member (handle), id, stage, reason, reasons (names), silent_ms,
 * last_msg_ms, joined_ms, messages, real_messages, envelopes_claimed,
 * violations, score, deadline_ms, issued_ms and explanation. Absent
 * times are null.
 * @param buf, size, needed as for kith_member_to_json.
 * @since 1.0
 */
KITH_API kith_status kith_cleanup_plan_to_json(const kith_cleanup_plan *plan, char *buf, size_t size,
                                               size_t *needed);

/**
 * Record that the member was given an ultimatum at now_ms for reason:
 * the deadline is now_ms + cleanup.ultimatum. It replaces any ultimatum
 * pending. The model clears it when the member complies (see above);
 * snapshots keep it.
 * @return KITH_OK; KITH_ENOTFOUND (bad handle); KITH_EINVAL (NULL,
 *         KITH_CLEANUP_NONE or an unknown reason, now_ms KITH_TIME_NONE);
 *         KITH_ENOMEM. On failure nothing changes.
 * @since 1.0
 */
KITH_API kith_status kith_member_issue_ultimatum(kith_community *community, uint32_t member,
                                                 int64_t now_ms, kith_cleanup_reason reason);

/**
 * Withdraw the member's pending ultimatum, if any.
 * @return KITH_OK (also when none was pending); KITH_ENOTFOUND; KITH_EINVAL.
 * @since 1.0
 */
KITH_API kith_status kith_member_clear_ultimatum(kith_community *community, uint32_t member);

/**
 * The member's pending ultimatum.
 * @param issued_ms receives when it was issued, or KITH_TIME_NONE when
 *        none is pending; deadline_ms its deadline (or KITH_TIME_NONE);
 *        reason its reason (KITH_CLEANUP_NONE when none). Any out
 *        pointer may be NULL.
 * @return KITH_OK; KITH_ENOTFOUND; KITH_EINVAL.
 * @since 1.0
 */
KITH_API kith_status kith_member_ultimatum(const kith_community *community, uint32_t member,
                                           int64_t *issued_ms, int64_t *deadline_ms,
                                           kith_cleanup_reason *reason);

/**
 * Put the member on the cleanup allow-list (allowed non-zero: never
 * proposed) or take them off it. Snapshots keep the list.
 * @return KITH_OK; KITH_ENOTFOUND; KITH_EINVAL; KITH_ENOMEM (nothing changed).
 * @since 1.0
 */
KITH_API kith_status kith_member_allow(kith_community *community, uint32_t member, int allowed);

/** 1 if the member is on the cleanup allow-list, else 0 (also for bad arguments). @since 1.0 */
KITH_API int kith_member_is_allowed(const kith_community *community, uint32_t member);

/* ------------------------------------------------------------------------ */
/* Health                                                                    */
/* ------------------------------------------------------------------------ */

/**
 * The health diagnosis answers "is this group healthy?" with findings,
 * one per aspect, always all of them and in code order. Each has a
 * measured figure, the threshold it is held to, a severity, and where the
 * model can tell, the same figure for the window before (the trend);
 * figures that cannot be measured (no messages, no newcomers) are NaN
 * with severity OK.
 *
 * Windows: "short" is health.window_days, "long" health.long_window_days,
 * both in local days (community.utc_offset) ending on the day of now, as
 * kith_member_active_days counts them. Figures from messages (per day,
 * value, concentration, official voice) come from the bounded ledger of
 * recent messages over the rolling short window before now: when the
 * ledger no longer holds the window's oldest messages, they are measured
 * over the part it holds (rates per day over that span). "Staff" are
 * holders of the owner or admin role.
 *
 * Findings (figure; threshold; severity when it is not met):
 *  - size: present members; 50 (under 50: OK, intimate), 150 (50 to 150:
 *    INFO, needs strong rules and activities; over 150: WARNING, beyond
 *    one person's circle);
 *  - capacity: present members; community.capacity (WARNING from 90% of
 *    it, CRITICAL when full);
 *  - active-short, active-long: share of present members with a message
 *    in the window; health.min_active_share, health.min_active_share_long
 *    (WARNING below); previous: the window before, among present members
 *    who had joined by then;
 *  - messages-per-day: health.min_messages_per_day (WARNING below);
 *  - interactions-per-day: messages per day times the community's
 *    interactions (replies and reactions) per message over its life;
 *    health.min_interactions_per_day (WARNING below);
 *  - value-ratio: share of the window's messages whose value (with the
 *    engagement they drew) reached value.high_threshold, the rest being
 *    side dishes; health.min_value_ratio (WARNING below);
 *  - lurkers: share of present members who never spoke, among those who
 *    joined before the short window; health.max_lurker_share (WARNING above);
 *  - opinion-leaders, experts: share of present members holding the role;
 *    health.opinion_leader_share, health.expert_share (INFO below);
 *  - retention: of the members whose last join falls in the long window,
 *    the share present with a message in the short window;
 *    health.min_retention (WARNING below);
 *  - concentration: the fewest members who wrote half the window's
 *    messages; health.min_half_writers (WARNING below);
 *  - envelope-dependence: share of present members who claimed red
 *    envelopes but never sent a real message, among those who did either;
 *    health.max_envelope_share (WARNING above);
 *  - official-voice: share of the window's messages written by staff;
 *    health.max_official_share (WARNING above);
 *  - dead: days since the last message of a member who is not staff (or
 *    since the earliest join of a present one, when none ever spoke);
 *    health.dead_days (CRITICAL at or above).
 */

/** Aspects of the diagnosis. Values never change meaning. @since 1.0 */
typedef enum kith_health_code {
	KITH_HEALTH_SIZE = 1,
	KITH_HEALTH_CAPACITY = 2,
	KITH_HEALTH_ACTIVE_SHORT = 3,
	KITH_HEALTH_ACTIVE_LONG = 4,
	KITH_HEALTH_MESSAGES_PER_DAY = 5,
	KITH_HEALTH_INTERACTIONS_PER_DAY = 6,
	KITH_HEALTH_VALUE_RATIO = 7,
	KITH_HEALTH_LURKERS = 8,
	KITH_HEALTH_OPINION_LEADERS = 9,
	KITH_HEALTH_EXPERTS = 10,
	KITH_HEALTH_RETENTION = 11,
	KITH_HEALTH_CONCENTRATION = 12,
	KITH_HEALTH_ENVELOPE_DEPENDENCE = 13,
	KITH_HEALTH_OFFICIAL_VOICE = 14,
	KITH_HEALTH_DEAD = 15
} kith_health_code;

/** Severity of a finding; higher is worse. @since 1.0 */
typedef enum kith_severity {
	KITH_SEVERITY_OK = 0,
	KITH_SEVERITY_INFO = 1,
	KITH_SEVERITY_WARNING = 2,
	KITH_SEVERITY_CRITICAL = 3
} kith_severity;

/** A health diagnosis: an owned, immutable result. @since 1.0 */
typedef struct kith_health kith_health;

/**
 * A finding code's name: "size", "capacity", "active-short", "active-long",
 * "messages-per-day", "interactions-per-day", "value-ratio", "lurkers",
 * "opinion-leaders", "experts", "retention", "concentration",
 * "envelope-dependence", "official-voice", "dead".
 * @return a static string; NULL for an unknown value.
 * @since 1.0
 */
KITH_API const char *kith_health_code_name(kith_health_code code);

/** "ok", "info", "warning", "critical"; NULL for an unknown value. @since 1.0 */
KITH_API const char *kith_severity_name(kith_severity severity);

/**
 * Diagnose the community as of now_ms with its health.* settings. Nothing
 * in the community changes (but its last error on failure); the result is
 * independent of the community afterwards, but allocated through its
 * allocator, which must stay valid until the result is freed.
 * @param out receives the diagnosis (owned: free with kith_health_free).
 * @return KITH_OK; KITH_EINVAL (NULL argument, now_ms KITH_TIME_NONE);
 *         KITH_ENOMEM (and *out is NULL).
 * @since 1.0
 */
KITH_API kith_status kith_health_new(kith_community *community, int64_t now_ms, kith_health **out);

/** Free a diagnosis. NULL is a no-op. @since 1.0 */
KITH_API void kith_health_free(kith_health *health);

/** Number of findings; 0 for NULL. @since 1.0 */
KITH_API size_t kith_health_count(const kith_health *health);

/**
 * Read finding i.
 * @param code, severity, figure, threshold, previous (the figure for the
 *        window before, NaN when the model cannot tell) receive the
 *        finding's parts. Any out pointer may be NULL.
 * @return KITH_OK; KITH_ENOTFOUND past the end; KITH_EINVAL.
 * @since 1.0
 */
KITH_API kith_status kith_health_finding(const kith_health *health, size_t i, kith_health_code *code,
                                         kith_severity *severity, double *figure, double *threshold,
                                         double *previous);

/**
 * Find the finding with a code.
 * @return KITH_OK and *index set; KITH_ENOTFOUND; KITH_EINVAL.
 * @since 1.0
 */
KITH_API kith_status kith_health_find(const kith_health *health, kith_health_code code, size_t *index);

/**
 * A sentence for people explaining finding i.
 * @return borrowed from the diagnosis, NUL-terminated; NULL past the end.
 * @since 1.0
 */
KITH_API const char *kith_health_explanation(const kith_health *health, size_t i);

/** The worst severity among the findings; KITH_SEVERITY_OK for NULL. @since 1.0 */
KITH_API kith_severity kith_health_worst(const kith_health *health);

/**
 * Render the diagnosis as one JSON object: now_ms, worst, and findings,
 * an array of objects with code, severity, figure, threshold, previous,
 * trend ("up", "down", "flat" or null) and explanation; figures that
 * cannot be measured are null.
 * @param buf, size, needed as for kith_member_to_json.
 * @since 1.0
 */
KITH_API kith_status kith_health_to_json(const kith_health *health, char *buf, size_t size,
                                         size_t *needed);

#ifdef __cplusplus
}
#endif

#endif /* KITH_H */
