/*
 * kith-report's own declarations: what its files share. One concept per
 * file: format.c (text for people), input.c (files, errors, --now),
 * replay.c (the replay and its verdicts), sections.c (the text report), json.c (--json), main.c
 * (options and the figures every output shares), html.c and svg.c
 * (--html); a file each for the engines' sections: levels.c (LEVELS,
 * tallied through the replay), seeds.c (SEEDS) and agenda.c (AGENDA),
 * text and JSON.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_REPORT_H
#define KITH_REPORT_H

#include <kith.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The sample community, generated at build time by kith-embed. */
extern const unsigned char kith_sample_trace[];
extern const size_t kith_sample_trace_len;
extern const unsigned char kith_sample_charter[];
extern const size_t kith_sample_charter_len;

#define EXIT_BAD_INPUT   2
#define MS_MINUTE        INT64_C(60000)
#define MS_HOUR          (60 * MS_MINUTE)
#define MS_DAY           (24 * MS_HOUR)
#define PROFILE_DAYS     14
#define TOP_CONTRIBUTORS 10
#define TOP_REPLIERS     5
#define DIGEST_TEXT_MAX  200
#define NEWCOMER_MS      (3 * MS_DAY)
#define CLEANUP_SHOWN    10

struct options {
	bool members;
	bool json;           /* --json: one JSON document instead of the text */
	bool quiet;          /* --quiet: no progress on stderr */
	const char *html;    /* --html FILE: also write the HTML report there */
	const char *trace;   /* NULL: the embedded sample */
	const char *charter; /* NULL: none, or the sample's with the sample */
	bool have_now;
	int64_t now;
};

/* A whole input file, or the embedded data. */
struct input {
	const char *label;
	const char *data;
	size_t len;
	char *owned;
	uint64_t left_out; /* event lines after --now, not replayed */
};

/* One member's figures, for the rankings. */
struct row {
	uint32_t h;
	double score;
	int64_t messages;
	int64_t replies_given;
	int64_t replies_received;
	uint32_t days30;
	bool days30_known; /* false: the model no longer holds those days */
};

struct digest_line {
	const char *id;
	size_t id_len;
	uint32_t author;
	double value;
	int kind; /* -1 when the library does not give it */
	int64_t time_ms;
	char text[DIGEST_TEXT_MAX + 1]; /* as the library kept it, on one line */
	size_t text_len;
};

/* What the library applied during the replay, by local day: the
 * messages it counted, the members it brought in (present count up) and
 * the ones it saw go (present count down), read from its counters after
 * each line rather than from the trace's text. Slot d % ACTIVITY_DAYS
 * holds local day d, for the ACTIVITY_DAYS days up to last_day. */
#define ACTIVITY_DAYS 32
struct activity {
	bool any;         /* a day was recorded */
	int64_t last_day; /* the latest local day recorded */
	uint64_t msgs[ACTIVITY_DAYS], arrivals[ACTIVITY_DAYS], departures[ACTIVITY_DAYS];
	uint64_t hours[ACTIVITY_DAYS][24];
};

/* The events applied and when they started (from the model), and the
 * recent days and hours of the replay's activity (activity_profile). */
struct timeline {
	uint64_t events;
	int64_t first_ms;                /* valid when events > 0 */
	uint64_t day_msgs[PROFILE_DAYS]; /* [0] is the local day of now */
	uint64_t day_joins[PROFILE_DAYS];
	uint64_t day_leaves[PROFILE_DAYS];
	uint64_t hour_msgs[24]; /* local hours, over the last 30 days */
};

struct totals {
	uint64_t present, spoke, onlookers, envelope_only, newcomers, active7, active30, silent7;
	uint64_t unknown7, unknown30; /* present members whose window the model cannot read */
	uint64_t kinds[KITH_KIND_COUNT];
	uint64_t questions, feedback, complaints, envelopes_sent, envelopes_claimed, claimers;
	uint64_t attended, invites, invitees_present, reports, buyers, high_value;
	uint64_t named, compliant;
	uint64_t role_holders[KITH_ROLES_MAX];
};

#define VERDICTS_SHOWN 6

struct verdict_tally {
	uint64_t verdicts, events; /* verdicts, and events that left any */
	uint64_t by_action[KITH_ACTION_REWARD + 1];
	uint64_t by_rule[KITH_RULES_MAX]; /* by the rule's position */
	unsigned char *members;           /* members given a verdict (1 each) */
	size_t members_cap;
	uint64_t member_count;
	char shown[VERDICTS_SHOWN][240];
	size_t shown_n;
};

/* LEVELS: the level changes tallied through the replay (levels.c). */
#define LEVELS_XP_SHOWN 5
struct level_tally {
	bool on;        /* the charter defines ranked levels */
	bool xp;        /* levels.xp_max is above 0 */
	bool day_known; /* day holds the local day of the last event */
	int64_t day;
	uint64_t promoted[KITH_LEVELS_MAX], demoted[KITH_LEVELS_MAX]; /* by level */
	uint64_t level_ups, rewards, changes, reviews;
};

/* AGENDA: the next seven days and the best slots (agenda.c). */
#define AGENDA_SHOWN 30 /* items listed in the text */
struct agenda_report {
	bool on; /* the community plans: see agenda.c */
	int64_t from, to;
	kith_agenda *agenda; /* NULL when it could not be made */
	kith_slots *slots;
	char agenda_error[512], slots_error[512];
	uint64_t fates[KITH_AGENDA_DROPPED + 1]; /* kept, moved, dropped */
};

/* SEEDS: the two plans, made once for the text and the JSON. */
#define SEEDS_PLANS  2   /* opinion leaders, seed users */
#define SEEDS_SHOWN  10  /* seeds listed per plan in the text */
struct seeds_report {
	kith_seeds_plan *plan[SEEDS_PLANS]; /* NULL when it could not be made */
	char error[SEEDS_PLANS][512];
};

/* What the JSON document is made of, as the text report computes it. */
struct report_data {
	kith_community *c;
	const struct input *in;
	int64_t now, off, span_days;
	bool sample, name_format;
	const struct totals *t;
	const struct timeline *s;
	struct row *rows;
	size_t n;
	const int64_t *sorted_msgs;
	const struct digest_line *dg;
	size_t dg_count;
	const struct verdict_tally *verdicts;
	const kith_health *hl;
	const kith_cleanup_plan *plan;
	const struct activity *activity; /* the replay's days and hours */
	const struct seeds_report *seeds;
	const struct level_tally *levels;
	const struct agenda_report *agenda;
};

extern const char *const kind_names[KITH_KIND_COUNT];
extern const char *const weekdays[7];

/* format.c */
int64_t add_sat(int64_t a, int64_t b);
int64_t local_day(int64_t t, int64_t offset_ms);
int64_t ms_in_day(int64_t t, int64_t offset_ms);
void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d);
const char *fmt_time(char *buf, size_t size, int64_t ms, int64_t offset_ms);
const char *fmt_count(char *buf, size_t size, uint64_t v);
const char *fmt_figure(char *buf, size_t size, double x);
const char *fmt_rate(char *buf, size_t size, uint64_t count, int64_t days);
const char *fmt_share(char *buf, size_t size, uint64_t part, uint64_t whole);
uint32_t utf8_next(const unsigned char *s, size_t n, size_t *used);
void put_cell(FILE *f, const char *s, size_t n, int width, bool pad);
void put_member_id(FILE *f, const kith_community *c, uint32_t h, int width);
void put_member_name(FILE *f, const kith_community *c, uint32_t h, int width);
int64_t stat_of(const kith_community *c, uint32_t h, kith_stat s);

/* input.c */
int read_input(const char *path, struct input *in);
void print_text_error(const char *label, const char *msg, uint64_t line_guess);
int exit_code_for(kith_status st);
int cut_at(struct input *in, int64_t t);

/* replay.c */
kith_status ingest_tallying(kith_community *c, const char *buf, size_t len, uint64_t *lines,
                            struct verdict_tally *t, struct activity *a, struct level_tally *lv,
                            bool quiet);
void activity_profile(const struct activity *a, int64_t now, int64_t off, struct timeline *s);

/* sections.c */
int cmp_score(const void *a, const void *b);
int cmp_replies(const void *a, const void *b);
int cmp_desc_i64(const void *a, const void *b);
void role_list(const kith_community *c, uint32_t h, char *buf, size_t size);
void setting_text(const kith_community *c, const char *name, char *buf, size_t size);
int64_t utc_offset_ms(const kith_community *c);
void print_header(const kith_community *c, const struct input *in, const struct timeline *s,
                  int64_t now, int64_t off, bool sample);
void print_members(const kith_community *c, const struct totals *t, bool name_format);
size_t half_writers(const int64_t *sorted_msgs, size_t n, uint64_t total);
double health_figure(const kith_health *hl, kith_health_code code);
void print_messages(const kith_community *c, const struct totals *t, const kith_health *hl,
                    const int64_t *sorted_msgs, size_t n_members, int64_t span_days);
void print_activity(const struct timeline *s, int64_t now, int64_t off);
void graph_totals(const kith_community *c, uint64_t sum[4], size_t *mutual_out);
void print_graph(const kith_community *c);
void print_top(const kith_community *c, struct row *rows, size_t n, const char *half_life);
void print_repliers(const kith_community *c, struct row *rows, size_t n);
void print_digest(const kith_community *c, const struct digest_line *dg, size_t n, int64_t off);
void print_cleanup(const kith_community *c, const kith_cleanup_plan *p, const char *error);
void print_health(const kith_health *hl, const char *error);
void print_rules(const kith_community *c, const struct verdict_tally *t);

/* levels.c */
void levels_start(const kith_community *c, struct level_tally *t);
kith_status levels_after_line(kith_community *c, struct level_tally *t, const char *line,
                              size_t len, int64_t off);
kith_status levels_finish(kith_community *c, struct level_tally *t, int64_t now);
void print_levels(const kith_community *c, const struct level_tally *t);

/* agenda.c */
void agenda_make(kith_community *c, int64_t now, struct agenda_report *r);
void agenda_free(struct agenda_report *r);
void print_agenda(const kith_community *c, const struct agenda_report *r);

/* seeds.c */
void seeds_make(kith_community *c, int64_t now, struct seeds_report *r);
void seeds_free(struct seeds_report *r);
void print_seeds(const kith_community *c, const struct seeds_report *r);

/* json.c: the document, and the writer the sections' own files use. */
/* A JSON writer that places the commas: one "first" flag per open level. */
struct json {
	FILE *f;
	int depth;
	bool first[16];
};
/* A library object rendered by one of its _to_json functions. */
typedef kith_status (*to_json_fn)(const void *obj, char *buf, size_t size, size_t *needed);
int report_json(const struct report_data *d);
void json_key(struct json *j, const char *key);
void json_value_done(struct json *j, bool keyed);
void json_open(struct json *j, const char *key, char bracket);
void json_close(struct json *j, const char *key, char bracket);
void json_u64(struct json *j, const char *key, uint64_t v);
void json_i64(struct json *j, const char *key, int64_t v);
void json_num(struct json *j, const char *key, double v);
void json_str(struct json *j, const char *key, const char *s, size_t n);
void json_bool(struct json *j, const char *key, bool v);
/* Key and value; false when out of memory. A NULL obj is null. */
bool json_library(struct json *j, const char *key, const void *obj, to_json_fn fn);
/* The sections' own parts of the document; false when out of memory. */
bool json_levels(struct json *j, const kith_community *c, const struct level_tally *t);
bool json_agenda(struct json *j, const struct agenda_report *r);
bool json_seeds(struct json *j, const struct seeds_report *r);

/* html.c */
int report_html(const struct report_data *d, const char *path);

#endif /* KITH_REPORT_H */
