/*
 * Activities and the schedule's settings as text and compiled
 * (activity.c): the keys of an [activity NAME] section and of [schedule],
 * checked one value at a time and compiled as a whole.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_ENGINES_SCHEDULE_ACTIVITY_H
#define KITH_ENGINES_SCHEDULE_ACTIVITY_H

#include "engines/schedule/recurrence.h"
#include "kith.h"
#include "model/named-defs.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KITH_ACTIVITIES_MAX    64
#define KITH_ACTIVITY_NAME_MAX 64
#define KITH_REMINDERS_MAX     8
/* A check-in series' days when count is not set. */
#define KITH_CHECKIN_DAYS 21
/* Most bytes of one value (a list of 64 moves fits). */
#define KITH_ACTIVITY_VALUE_MAX 4096
/* schedule.topics: most prompts, and most bytes of one. */
#define KITH_TOPICS_MAX     64
#define KITH_TOPIC_TEXT_MAX 256
/* schedule.greetings and schedule.festivals: most of each. */
#define KITH_GREETINGS_MAX     4
#define KITH_FESTIVALS_MAX     64
#define KITH_FESTIVAL_NAME_MAX 64

/* The keys of an activity, in the order snapshots and listings use. */
enum act_key {
	AK_EVERY,
	AK_ON,
	AK_FROM,
	AK_AT,
	AK_DURATION,
	AK_IMPORTANCE,
	AK_PREHEAT,
	AK_REMINDERS,
	AK_UNTIL,
	AK_COUNT,
	AK_CANCEL,
	AK_MOVE,
	AK_N
};

/* The [schedule] settings. */
enum sched_key {
	SK_QUIET,
	SK_MAX_PUSHES,
	SK_MIN_GAP,
	SK_MIN_INTERACTIONS,
	SK_DIGEST_AT,
	SK_REVIVE,
	SK_TOPICS,
	SK_GREETINGS,
	SK_FESTIVALS,
	SK_CELEBRATE_AT,
	SK_N
};

/* An activity as text is a named definition (model/named-defs.h): its
 * name and each key's trimmed value, or NULL when not set. At most
 * KITH_ACTIVITIES_MAX of AK_N keys, and SK_N [schedule] settings (txn.c). */
extern const struct kith_defs_kind kith_activities_kind;

/* An activity compiled. Its recurrence points into its own arrays: an
 * activity does not move once compiled. */
struct activity {
	char name[KITH_ACTIVITY_NAME_MAX + 1];
	struct kith_recurrence rec;
	int64_t cancelled[KITH_RECUR_EXCEPTIONS_MAX];
	struct kith_recur_move moved[KITH_RECUR_EXCEPTIONS_MAX];
	uint8_t importance; /* 1 .. 3 */
	bool checkin;       /* every = check-in: its starts are check-in days */
	int64_t preheat_ms; /* before the start; 0: none */
	uint8_t reminder_n;
	int64_t reminder_ms[KITH_REMINDERS_MAX]; /* before the start, longest first */
};

/* The [schedule] settings compiled. */
struct schedule_config {
	uint32_t quiet_from_min, quiet_to_min; /* equal: no quiet hours */
	uint32_t max_pushes;                   /* per local day */
	int64_t min_gap_ms;
	uint32_t min_interactions;
	int32_t digest_at_min; /* -1: no digest */
	int64_t revive_after_ms;
	uint32_t greeting_min[KITH_GREETINGS_MAX]; /* local times */
	uint32_t greeting_n;
	uint32_t celebrate_min; /* local time of festivals and birthdays */
};

/* A festival of schedule.festivals: every year on month-day (year 0),
 * or once on a date. */
struct festival {
	int64_t year;
	unsigned month, day;
	const char *name; /* into the value parsed, not NUL-terminated */
	size_t name_n;
};

const char *kith_activity_key_name(int key);
/* The key named s, or -1. */
int kith_activity_key_find(const char *s);
const char *kith_schedule_key_name(int key);
int kith_schedule_key_find(const char *s);
/* The text a [schedule] setting reads when not set. */
const char *kith_schedule_key_default(int key);

/* Check one value's syntax; KITH_EINVAL or KITH_ERANGE with a reason. */
kith_status kith_activity_check(int key, const char *v, size_t n, char *err, size_t err_size);
kith_status kith_schedule_check(int key, const char *v, size_t n, char *err, size_t err_size);

/* Compile a whole activity (its values already checked); false with a
 * reason naming the key. */
bool kith_activity_compile(const struct kith_def *d, struct activity *a, char *err,
                           size_t err_size);
/* The prompts of a schedule.topics value (checked), separated by ';':
 * calls f for each, trimmed, in order; returns how many. */
size_t kith_schedule_topics(const char *v, void (*f)(void *payload, const char *topic, size_t n),
                            void *payload);

/* The festivals of a schedule.festivals value (checked), in order: calls
 * f for each; returns how many. */
size_t kith_schedule_festivals(const char *v, void (*f)(void *payload, const struct festival *fe),
                               void *payload);

/* Compile the [schedule] settings (NULL values read their defaults). */
void kith_schedule_config_compile(char *const value[SK_N], struct schedule_config *cfg);

#endif /* KITH_ENGINES_SCHEDULE_ACTIVITY_H */
