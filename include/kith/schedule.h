/*
 * kith — the schedule engine: activities and the agenda.
 *
 * SPDX-License-Identifier: MIT
 *
 * Part of libkith's public interface: programs include <kith.h>, which
 * includes this header. The conventions at the top of kith.h hold here.
 */
#ifndef KITH_SCHEDULE_H
#define KITH_SCHEDULE_H

#include "core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Schedule                                                                  */
/* ------------------------------------------------------------------------ */

/**
 * Activities are set as text like settings: "activity.NAME.KEY" (or a
 * charter's [activity NAME] section), all keys of a change checked
 * together, so that their order does not matter:
 *
 *  every      once (default); day, N d; week, N w; month, N months
 *             (N 1 to 1000); check-in: a series every day for count days
 *             (default 21), whose starts are check-in items labelled
 *             "day K of N"
 *  on         weekly: weekdays ("mon, wed, fri"; default the weekday of
 *             from); monthly: a day of the month ("15", "last"; default
 *             from's) or the nth weekday ("third tue", "last fri").
 *             Months without the day are skipped, as iCalendar does
 *  from       the first date, YYYY-MM-DD, 1900 to 9999 (required)
 *  at         the local start, HH:MM (required)
 *  duration   default 60 min (at most 30 d)
 *  importance 1, 2 (default) or 3
 *  preheat    how long before the start it is announced (default 12 h:
 *             an 8 p.m. event is announced at 8 a.m.; 0 or none: never)
 *  reminders  leads before the start ("1 d, 1 h"; at most 8; none); by
 *             default none at importance 1, 1 h at 2, and 1 d, 1 h and
 *             10 min at 3
 *  until      the last date an occurrence may fall on
 *  count      most occurrences, 1 to 100000 (cancelled ones count)
 *  cancel     dates of occurrences that do not take place (at most 64)
 *  move       "DATE -> DATE HH:MM, ...": occurrences held at another
 *             local date and time (at most 64)
 *
 * An activity is made, and removed, in one change that sets all its
 * keys: a charter's [activity NAME] section (kith_community_apply_charter),
 * kith_activity_define and kith_activity_remove do that.
 * kith_activity_set and kith_setting_set change one key of an activity
 * that exists; alone it cannot make one (from and at are both required) nor
 * remove one. Setting every key of an activity empty in one change
 * removes it; a community holds at most 64 activities. The [schedule]
 * settings are schedule.topics (prompts for filler items, separated by
 * ';'; default none), schedule.quiet_hours (default 23:00-08:00, or none; two
 * equal ends are refused: say none),
 * schedule.max_pushes_per_day (6), schedule.min_gap (30 min),
 * schedule.min_interactions_per_day (3), schedule.digest_at (none, or a
 * local HH:MM) and schedule.revive_after (3 d).
 *
 * Time: local dates and times follow community.utc_offset, a fixed
 * offset with no daylight saving time and no time-zone database. A group
 * that observes DST changes its offset on the change date; an agenda
 * is worked out with the offset in force when it is made, so an agenda
 * made before a change and reaching past it puts the items after the
 * change an hour off: make the agenda again after the change.
 *
 * Texts: each agenda item has a text (kith_agenda_item_text) rendered
 * from the template of its kind, the setting templates.schedule.KIND (a
 * charter's [templates] section, key schedule.KIND, beside the rules
 * engine's templates), KIND being the kind's name (kith_agenda_kind_name:
 * preheat, reminder, start, end, digest, revive, filler, greeting,
 * festival, birthday, check-in). A template holds at most
 * KITH_TEMPLATE_MAX bytes; empty restores the built-in text. A
 * placeholder is '{', 1 to 16 letters a-z or '_', and '}' (other braces
 * are text), and each kind takes only those it has a value for, any
 * other being refused (KITH_EINVAL, naming it):
 *  {community}  community.name (every kind)
 *  {activity}   the activity's name (preheat, reminder, start, end,
 *               check-in)
 *  {start}      the local date and time its occurrence starts,
 *               "YYYY-MM-DD HH:MM" (the same kinds)
 *  {member}     the member's display name, or id without one (birthday)
 *  {label}      the item's label (kith_agenda_item_label: filler,
 *               greeting, festival, check-in); a filler without a topic
 *               reads "what is on your mind today?"
 * Setting a template sets the engine to work as a [schedule] setting
 * does.
 *
 * Activities, the [schedule] settings and the templates are kept in snapshots
 * (kith_community_save and kith_community_load); a community that sets
 * none saves the same bytes as a library without the schedule engine.
 */

/**
 * Set one key of an activity, as the setting "activity.ACTIVITY.KEY"
 * (kith_setting_set): the activity is checked whole again, so a key that
 * would leave it without from or at, or a cancelled date that is not an
 * occurrence, is refused. An activity is made by kith_activity_define
 * (or a charter), which gives from and at together.
 * @param activity, activity_len its name: 1 to 64 letters, digits, '-',
 *        '_' or '.' (KITH_NUL_TERMINATED allowed).
 * @param key, key_len one of the keys above ("every").
 * @param value, value_len the key's value as text; empty clears the key.
 * @return as kith_setting_set (KITH_ENOTFOUND for an unknown key,
 *         KITH_EINVAL or KITH_ERANGE for a bad value or an activity the
 *         change leaves invalid, KITH_ENOMEM); also KITH_EINVAL for a NULL
 *         argument, a name over 64 bytes, a key over 16 bytes or a NUL in
 *         either. On failure nothing changes.
 * @since 1.0
 */
KITH_API kith_status kith_activity_set(kith_community *community, const char *activity,
                                       size_t activity_len, const char *key, size_t key_len,
                                       const char *value, size_t value_len);

/**
 * Define an activity, or replace the one of that name, from the text of
 * an [activity NAME] section: "key = value" lines (blank lines and lines
 * starting with '#' or ';' are skipped), the keys above, each at most
 * once. The keys the text does not give are cleared, so the activity is
 * exactly what the text says; all keys are checked together, as a
 * charter's section is. A new activity goes after the others; a
 * replaced one keeps its place.
 * @param activity, activity_len its name, as for kith_activity_set.
 * @param definition, definition_len the text (KITH_NUL_TERMINATED
 *        allowed). An empty text removes the activity, as removing does.
 * @return KITH_OK; KITH_ESYNTAX (a line without '=', a key given twice);
 *         KITH_ENOTFOUND (an unknown key); KITH_EINVAL or KITH_ERANGE (a
 *         bad value, or an activity that is not valid whole: from or at
 *         missing); KITH_ELIMIT (past 64 activities); KITH_EINVAL (a NULL
 *         argument, a bad name, a NUL in the text); KITH_ENOMEM. The last
 *         error names the line. On failure nothing changes.
 * @since 1.0
 */
KITH_API kith_status kith_activity_define(kith_community *community, const char *activity,
                                          size_t activity_len, const char *definition,
                                          size_t definition_len);

/**
 * Remove an activity (all its keys, in one change).
 * @param activity, activity_len its name (KITH_NUL_TERMINATED allowed).
 * @return KITH_OK; KITH_ENOTFOUND (no such activity); KITH_EINVAL (NULL
 *         argument, a name over 64 bytes or holding a NUL); KITH_ENOMEM.
 *         On failure nothing changes.
 * @since 1.0
 */
KITH_API kith_status kith_activity_remove(kith_community *community, const char *activity,
                                          size_t activity_len);

/**
 * Number of activities, in the order they were first set.
 * @return the count; 0 for NULL.
 * @since 1.0
 */
KITH_API size_t kith_activity_count(const kith_community *community);

/**
 * Name of activity i.
 * @return borrowed from the community until its activities next change,
 *         NUL-terminated; NULL past the end or for NULL.
 * @since 1.0
 */
KITH_API const char *kith_activity_name(const kith_community *community, size_t i);

/**
 * Set a member's birthday, a month and a day (29 February is held on 28
 * February in other years), or clear it with 0 and 0. The agenda has a
 * birthday item (importance 2, labelled with the member's id) at
 * schedule.celebrate_at on the local date each year. Birthdays are the
 * schedule engine's: they set it to work (see the fillers at
 * kith_agenda_new), are kept in snapshots, survive changes of the
 * settings, and stay when the member leaves (clear them then if wanted).
 * A trace sets them too, with the record "TIME birthday MEMBER
 * date=MM-DD" (date=none clears), which is no event (README, the trace
 * format).
 * @param member, member_len the member's id (KITH_NUL_TERMINATED
 *        allowed); the member must be known.
 * @return KITH_OK (also clearing one not set); KITH_EINVAL (NULL, an
 *         empty or too long id); KITH_ENOTFOUND (no such member);
 *         KITH_ERANGE (not a month and a day of it); KITH_ENOMEM. On
 *         failure nothing changes.
 * @since 1.0
 */
KITH_API kith_status kith_member_set_birthday(kith_community *community, const char *member,
                                              size_t member_len, int month, int day);

/**
 * Read a member's birthday.
 * @param month, day receive it (either may be NULL).
 * @return KITH_OK; KITH_ENOTFOUND (none set); KITH_EINVAL (NULL).
 * @since 1.0
 */
KITH_API kith_status kith_member_birthday(const kith_community *community, const char *member,
                                          size_t member_len, int *month, int *day);

/** The kind of an agenda item. Values never change meaning. @since 1.0 */
typedef enum kith_agenda_kind {
	KITH_AGENDA_PREHEAT = 1,  /**< the announcement, the preheat lead before the start */
	KITH_AGENDA_REMINDER = 2, /**< a reminder, one of the reminder leads before the start */
	KITH_AGENDA_START = 3,    /**< the activity starts (its own time: never moved) */
	KITH_AGENDA_END = 4,      /**< the activity ends (its own time: never moved) */
	KITH_AGENDA_DIGEST = 5,   /**< the daily digest at schedule.digest_at */
	KITH_AGENDA_REVIVE = 6, /**< a revival post: no member message for schedule.revive_after */
	KITH_AGENDA_FILLER = 7, /**< a prompt on a day short of schedule.min_interactions_per_day */
	KITH_AGENDA_GREETING = 8, /**< a daily greeting at one of schedule.greetings */
	KITH_AGENDA_FESTIVAL = 9, /**< a festival of schedule.festivals, at schedule.celebrate_at */
	KITH_AGENDA_BIRTHDAY = 10, /**< a member's birthday, at schedule.celebrate_at */
	KITH_AGENDA_CHECKIN = 11   /**< a day of a check-in series starts (in place of a start) */
} kith_agenda_kind;

/** What became of an item. @since 1.0 */
typedef enum kith_agenda_fate {
	KITH_AGENDA_KEPT = 0,   /**< at its planned time */
	KITH_AGENDA_MOVED = 1,  /**< later than planned (see the reason) */
	KITH_AGENDA_DROPPED = 2 /**< not sent: no later time on its day before its deadline */
} kith_agenda_fate;

/** Why an item moved (the constraint that first moved it) or was
 * dropped (the one that finally stopped it). @since 1.0 */
typedef enum kith_agenda_reason {
	KITH_AGENDA_REASON_NONE = 0,
	KITH_AGENDA_REASON_QUIET_HOURS = 1, /**< its time was in schedule.quiet_hours */
	KITH_AGENDA_REASON_DAILY_CAP = 2,   /**< its local day had schedule.max_pushes_per_day */
	KITH_AGENDA_REASON_MIN_GAP = 3      /**< a push was within schedule.min_gap, or it fell in
	                                         the last schedule.min_gap of its local day */
} kith_agenda_reason;

/** The longest horizon an agenda covers: 366 days, in ms. @since 1.0 */
#define KITH_AGENDA_HORIZON_MAX_MS INT64_C(31622400000)

/** An agenda: an owned, immutable result. @since 1.0 */
typedef struct kith_agenda kith_agenda;

/**
 * A kind's name: "preheat", "reminder", "start", "end", "digest",
 * "revive", "filler", "greeting", "festival", "birthday", "check-in".
 * @return a static string, never NULL; "unknown" for an unknown value.
 * @since 1.0
 */
KITH_API const char *kith_agenda_kind_name(kith_agenda_kind kind);

/**
 * A fate's name: "kept", "moved", "dropped".
 * @return a static string, never NULL; "unknown" for an unknown value.
 * @since 1.0
 */
KITH_API const char *kith_agenda_fate_name(kith_agenda_fate fate);

/**
 * A reason's name: "none", "quiet-hours", "daily-cap", "min-gap".
 * @return a static string, never NULL; "unknown" for an unknown value.
 * @since 1.0
 */
KITH_API const char *kith_agenda_reason_name(kith_agenda_reason reason);

/**
 * Make the agenda of the community's activities for the horizon
 * [from_ms, to_ms): every item whose time (a dropped item's planned
 * time) is in it.
 *
 * Revivals: while the community's last member message (any member's)
 * is older than schedule.revive_after, a revive item (importance 3) is
 * planned each time the silence reaches another multiple of it (3 d, 6 d,
 * ... after the message), so a group that stays quiet is tried again.
 *
 * Pushes (preheat, reminder, digest, revive) obey the [schedule]
 * settings, each local day on its own:
 *  - a push planned in quiet hours, or in the last schedule.min_gap of a
 *    local day (kept free so that no day's pushes crowd the next day's),
 *    is delayed to the end of that rest, and belongs to the local day
 *    the delay ends on. One that the delay would carry to its deadline
 *    (its event's start; a day after a digest or a revival) is dropped;
 *  - on each local day, pushes are placed by importance (highest first),
 *    then planned time, then activity order, each at the earliest time
 *    from its delayed one that is out of the rest and at least
 *    schedule.min_gap from every push placed before it on the day. One
 *    that finds the day at schedule.max_pushes_per_day, or whose gap
 *    would carry it to its deadline or off its day, is dropped.
 *
 * Fillers: while the engine is in use (an activity or a [schedule]
 * setting is set), a local day of the horizon with fewer planned
 * interactions (pushes sent, activity starts and check-in days) than
 * schedule.min_interactions_per_day gets filler pushes (importance 1,
 * event and planned time their own) on whole hours, the group's best
 * first (by the engagement at that hour of the week, see kith_slots_new;
 * ties, and a group without figures, in the order 20:00, 12:00, 18:00,
 * 21:00, 19:00, 13:00, 17:00, then the rest of the day), each out of the rest, at least
 * the gap from every other push and under the cap, after the day's other
 * pushes: fillers never move them. Each carries a prompt of
 * schedule.topics (kith_agenda_item_label), the list taken in turn from
 * a place set by the local day, or none (a question of the day).
 *
 * So lower importance moves first, then drops; a day's pushes never
 * depend on another day's, so the same items land at the same local
 * times on every day that has them (regular push times), and an agenda
 * for [a, c) is exactly the agenda for [a, b) followed by the one for
 * [b, c), for any b. Start and end items are the activity's own times
 * and are not pushes.
 *
 * Nothing in the community changes (but its last error on failure); the
 * agenda is independent of the community afterwards, but is allocated
 * through its allocator, which must stay valid until the agenda is
 * freed.
 * @param from_ms, to_ms the horizon (UTC ms); to_ms - from_ms at most
 *        KITH_AGENDA_HORIZON_MAX_MS, both within the years 1900 to 9999.
 * @param out receives the agenda (owned: free with kith_agenda_free).
 * @return KITH_OK; KITH_EINVAL (NULL argument, to_ms before from_ms,
 *         a time out of range); KITH_ERANGE (a horizon over the
 *         maximum); KITH_ENOMEM (and *out is NULL).
 * @since 1.0
 */
KITH_API kith_status kith_agenda_new(kith_community *community, int64_t from_ms, int64_t to_ms,
                                     kith_agenda **out);

/** Free an agenda. NULL is a no-op. @since 1.0 */
KITH_API void kith_agenda_free(kith_agenda *agenda);

/**
 * Number of items, dropped ones included; 0 for NULL.
 * @return the count.
 * @since 1.0
 */
KITH_API size_t kith_agenda_count(const kith_agenda *agenda);

/**
 * Read item i. Items are in time order (a dropped item at its planned
 * time), then by importance (highest first), activity and kind.
 * @param activity receives the activity's name (borrowed from the
 *        agenda), or NULL for a digest; time_ms the item's time (when it
 *        moved, its new time; when dropped, its planned time); kind its
 *        kind; importance 1 to 3. Any out pointer may be NULL.
 * @return KITH_OK; KITH_ENOTFOUND past the end; KITH_EINVAL (NULL agenda).
 * @since 1.0
 */
KITH_API kith_status kith_agenda_item(const kith_agenda *agenda, size_t i, const char **activity,
                                      int64_t *time_ms, kith_agenda_kind *kind, int *importance);

/**
 * What became of item i and why.
 * @param fate, reason receive them; planned_ms the time the item was
 *        planned for; event_ms the start of the occurrence it belongs to
 *        (a digest: its planned time; a revival: the last member
 *        message, its evidence). Any out pointer may be NULL.
 * @return KITH_OK; KITH_ENOTFOUND past the end; KITH_EINVAL (NULL agenda).
 * @since 1.0
 */
KITH_API kith_status kith_agenda_item_change(const kith_agenda *agenda, size_t i,
                                             kith_agenda_fate *fate, kith_agenda_reason *reason,
                                             int64_t *planned_ms, int64_t *event_ms);

/**
 * The label of item i: a filler's prompt (one of schedule.topics), a
 * festival's name, a greeting's part of the day ("morning" before noon,
 * "evening" from noon), a birthday's member id.
 * @return borrowed from the agenda, NUL-terminated; NULL for the other
 *         kinds, a filler without a topic (schedule.topics empty: a
 *         question of the day), past the end, or for NULL.
 * @since 1.0
 */
KITH_API const char *kith_agenda_item_label(const kith_agenda *agenda, size_t i);

/**
 * The text of item i, its kind's template (templates.schedule.KIND, see
 * the top of this header) rendered with the templates, community.name,
 * community.utc_offset and display names in force when the agenda was
 * made.
 * @param buf, size, needed as for kith_member_to_json.
 * @return KITH_OK, also when the text was truncated; KITH_ENOTFOUND past
 *         the end; KITH_EINVAL (NULL agenda, or buf NULL with size above
 *         0).
 * @since 1.0
 */
KITH_API kith_status kith_agenda_item_text(const kith_agenda *agenda, size_t i, char *buf,
                                           size_t size, size_t *needed);

/**
 * Render the agenda as one JSON object: from_ms, to_ms, and items, an
 * array of objects with time_ms, kind, activity (null for a digest),
 * importance, event_ms, planned_ms, fate, reason, label (a string, or
 * null) and text (kith_agenda_item_text).
 * @param buf, size, needed as for kith_member_to_json.
 * @return KITH_OK, also when the text was truncated; KITH_EINVAL (NULL
 *         agenda, or buf NULL with size above 0).
 * @since 1.0
 */
KITH_API kith_status kith_agenda_to_json(const kith_agenda *agenda, char *buf, size_t size,
                                         size_t *needed);

/* ------------------------------------------------------------------------ */
/* The best slot for a new activity                                         */
/* ------------------------------------------------------------------------ */

/** Whether a slot can take a new activity. @since 1.0 */
typedef enum kith_slot_reason {
	KITH_SLOT_FREE = 0,        /**< it can */
	KITH_SLOT_QUIET_HOURS = 1, /**< the activity would run into schedule.quiet_hours */
	KITH_SLOT_CLASH = 2        /**< it would overlap an existing activity's occurrence */
} kith_slot_reason;

/** The slots of a week for a new activity: an owned, immutable result.
 * @since 1.0 */
typedef struct kith_slots kith_slots;

/**
 * A reason's name: "free", "quiet-hours", "clash".
 * @return a static string, never NULL; "unknown" for an unknown value.
 * @since 1.0
 */
KITH_API const char *kith_slot_reason_name(kith_slot_reason reason);

/**
 * Rank the 168 local hours of the week as weekly start times for a new
 * activity of duration_ms, from the group's own engagement.
 *
 * Engagement: while the engine is in use (an activity or a [schedule]
 * setting is set), each message ingested counts at its local hour of the
 * week, 1 for a message and 2 for a reply (a message with a to or a
 * reply_to), decayed with a time constant of 16 weeks; the counters are
 * kept in snapshots and survive changes of the engine's settings (not
 * its removal). A slot's engagement is the expected weighted messages
 * per week over the hours the activity would run (a part hour in part),
 * as of the last message counted: the decayed sums over the decayed
 * number of weeks observed (at least one). Its evidence is the messages
 * counted at those hours, undecayed.
 *
 * A slot starting at HH:00 on a weekday is first held at first_ms, the
 * first such local time not before from_ms. It is not free when the
 * activity would run into the quiet hours, or meet an occurrence of an
 * existing activity on any of its first four weeks (the first one met
 * is named). Free slots come first, by engagement (highest first), then
 * the rest; ties go in the fillers' hour order (20:00, 12:00, 18:00,
 * ...), then by weekday.
 * Nothing in the community changes (but its last error on failure); the
 * result is independent of the community afterwards, but is allocated
 * through its allocator, which must stay valid until it is freed.
 * @param from_ms the time from which the activity would be held (UTC ms,
 *        in the years 1900 to 9999).
 * @param duration_ms the activity's duration, 1 min to 24 h.
 * @param out receives the slots (owned: free with kith_slots_free).
 * @return KITH_OK; KITH_EINVAL (NULL argument, from_ms out of range);
 *         KITH_ERANGE (the duration); KITH_ENOMEM (and *out is NULL).
 * @since 1.0
 */
KITH_API kith_status kith_slots_new(kith_community *community, int64_t from_ms, int64_t duration_ms,
                                    kith_slots **out);

/** Free slots. NULL is a no-op. @since 1.0 */
KITH_API void kith_slots_free(kith_slots *slots);

/**
 * Number of slots: 168, or 0 for NULL.
 * @return the count.
 * @since 1.0
 */
KITH_API size_t kith_slots_count(const kith_slots *slots);

/**
 * Read slot i, best first.
 * @param weekday receives 0 (Monday) to 6 (Sunday); start_min the local
 *        start in minutes after midnight; first_ms its first start (UTC
 *        ms); reason whether it is free; engagement the expected weighted
 *        messages per week over its hours. Any out pointer may be NULL.
 * @return KITH_OK; KITH_ENOTFOUND past the end; KITH_EINVAL (NULL slots).
 * @since 1.0
 */
KITH_API kith_status kith_slots_item(const kith_slots *slots, size_t i, int *weekday,
                                     int *start_min, int64_t *first_ms, kith_slot_reason *reason,
                                     double *engagement);

/**
 * The evidence for slot i.
 * @param messages receives the messages counted at its hours of the week
 *        (undecayed); clash_activity the activity it would meet (borrowed
 *        from the slots; NULL unless the reason is KITH_SLOT_CLASH);
 *        clash_ms that occurrence's start (KITH_TIME_NONE without a
 *        clash). Any out pointer may be NULL.
 * @return KITH_OK; KITH_ENOTFOUND past the end; KITH_EINVAL (NULL slots).
 * @since 1.0
 */
KITH_API kith_status kith_slots_evidence(const kith_slots *slots, size_t i, uint32_t *messages,
                                         const char **clash_activity, int64_t *clash_ms);

/**
 * Render the slots as one JSON object: from_ms, duration_ms, and slots,
 * an array of objects with weekday ("mon" .. "sun"), start ("HH:00"),
 * first_ms, reason, engagement, messages, clash (the activity's name, or
 * null) and, with a clash, clash_ms.
 * @param buf, size, needed as for kith_member_to_json.
 * @return KITH_OK, also when the text was truncated; KITH_EINVAL (NULL
 *         slots, or buf NULL with size above 0).
 * @since 1.0
 */
KITH_API kith_status kith_slots_to_json(const kith_slots *slots, char *buf, size_t size,
                                        size_t *needed);

#ifdef __cplusplus
}
#endif

#endif /* KITH_SCHEDULE_H */
