/*
 * kith — the cleanup engine.
 *
 * SPDX-License-Identifier: MIT
 *
 * Part of libkith's public interface: programs include <kith.h>, which
 * includes this header. The conventions at the top of kith.h hold here.
 */
#ifndef KITH_CLEANUP_H
#define KITH_CLEANUP_H

#include "core.h"

#ifdef __cplusplus
extern "C" {
#endif

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
 * protected from cleanup (with cleanup.spare_role_holders yes, every role
 * is, as Discord's prune spares any member holding a role, but those
 * listed in cleanup.prune_roles, "role, role": a member whose roles are
 * all listed is not spared, as with the roles chosen for Discord's
 * prune; the list is kept in snapshots); the newcomer grace (joined within
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
 * below community.capacity for that many newcomers; no target while the
 * community has no capacity) set, the plan lists
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
 * @return a static string, never NULL; "unknown" for an unknown value.
 * @since 1.0
 */
KITH_API const char *kith_cleanup_reason_name(kith_cleanup_reason reason);

/**
 * A stage's name: "ultimatum" or "remove".
 * @return a static string, never NULL; "unknown" for an unknown value.
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
 * @return KITH_OK, also when the text was truncated; KITH_EINVAL (NULL
 *         plan, or buf NULL with size above 0).
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

#ifdef __cplusplus
}
#endif

#endif /* KITH_CLEANUP_H */
