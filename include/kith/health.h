/*
 * kith — the health diagnosis.
 *
 * SPDX-License-Identifier: MIT
 *
 * Part of libkith's public interface: programs include <kith.h>, which
 * includes this header. The conventions at the top of kith.h hold here.
 */
#ifndef KITH_HEALTH_H
#define KITH_HEALTH_H

#include "core.h"

#ifdef __cplusplus
extern "C" {
#endif

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
 *    it, CRITICAL when full); no finding while community.capacity is 0
 *    (unset), so a diagnosis has 14 findings then and 15 otherwise;
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
 * @return a static string, never NULL; "unknown" for an unknown value.
 * @since 1.0
 */
KITH_API const char *kith_health_code_name(kith_health_code code);

/**
 * A severity's name: "ok", "info", "warning", "critical".
 * @return a static string, never NULL; "unknown" for an unknown value.
 * @since 1.0
 */
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
 * @return KITH_OK, also when the text was truncated; KITH_EINVAL (NULL
 *         diagnosis, or buf NULL with size above 0).
 * @since 1.0
 */
KITH_API kith_status kith_health_to_json(const kith_health *health, char *buf, size_t size,
                                         size_t *needed);

#ifdef __cplusplus
}
#endif

#endif /* KITH_HEALTH_H */
