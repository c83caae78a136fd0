/*
 * kith-gen's own declarations, shared by its files: random.c (random
 * numbers), time.c (local days and hours), events.c (building events),
 * cast.c (the members), day.c (a day's events), trace.c (the trace
 * writer and the ground truth), main.c (options and the run).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_GEN_H
#define KITH_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define MS_SECOND     INT64_C(1000)
#define MS_MINUTE     (60 * MS_SECOND)
#define MS_HOUR       (60 * MS_MINUTE)
#define MS_DAY        (24 * MS_HOUR)
#define UTC_OFFSET_MS (8 * MS_HOUR)
/* 2026-11-01 00:00 at UTC+08:00. */
#define DEFAULT_START INT64_C(1793462400000)
#define NEWCOMER_DAYS 3
#define QUIET_DAYS    10
#define MEMBERS_MAX   10000000u
#define DAYS_MAX      3650
#define NO_DAY        INT32_MAX
#define NEVER         INT64_MAX
#define RING          64
/* The output buffer (trace.c). */
#define OBUF_SIZE (1u << 20)

/* The generator's random state (random.c). */
struct rng {
	uint64_t s[4];
};

/* A random element of an array. */
#define PICK(r, array) (array)[rng_below((r), sizeof(array) / sizeof((array)[0]))]

enum profile {
	P_OWNER,
	P_ADMIN,
	P_LEADER,
	P_EXPERT,
	P_SPAMMER,
	P_MEMBER,
	P_QUIET,
	P_ONLOOKER,
	P_ENVELOPE,
	P_NEWCOMER,
};

struct member {
	char id[16];
	int64_t join_ms;
	int64_t leave_ms; /* NEVER when staying */
	int64_t last_msg_ms;
	uint32_t messages;
	uint32_t claims;
	uint32_t inviter; /* index + 1, 0 none */
	int32_t join_day;
	int32_t quit_day;   /* last day this member may speak */
	int32_t force_day;  /* a day this member surely speaks, or NO_DAY */
	uint16_t active_pm; /* chance of speaking on a day */
	uint16_t burst_pm;  /* chance of one more message that day */
	uint8_t profile;
	uint8_t topic;
	bool kicked;
};

enum ev_type {
	E_JOIN,
	E_LEAVE,
	E_KICK,
	E_MSG,
	E_REACT,
	E_NICK,
	E_ROLE,
	E_REPORT,
	E_ATTEND,
	E_ENVELOPE,
	E_DELETE,
	E_PURCHASE,
};

enum kind {
	K_TEXT,
	K_PHOTO,
	K_VIDEO,
	K_VOICE,
	K_LINK,
	K_ARTICLE,
	K_DOCUMENT,
	K_SHARE,
	K_STICKER,
	K_ENVELOPE
};

enum tag {
	T_QUESTION = 1,
	T_ANSWER = 2,
	T_GREETING = 4,
	T_FEEDBACK = 8,
	T_ANNOUNCE = 16,
	T_INTRO = 32,
	T_WELCOME = 64,
	T_WARNING = 128,
	T_TOPIC = 256, /* plus the topic's index times 512 */
};

/* One event of the day being generated; rendered once the day is sorted. */
struct ev {
	int64_t t;
	int64_t amount;
	uint32_t seq;
	uint32_t actor;
	uint32_t other; /* by, to or target: index + 1, 0 none */
	uint32_t msg;   /* message number: id= or msg=, 0 none */
	uint32_t reply; /* replied message number, 0 none */
	uint32_t text;  /* offset in the day's text arena */
	uint32_t text_len;
	uint32_t tags;
	uint8_t type;
	uint8_t kind;
	uint8_t op; /* 1 send, 2 claim */
	bool has_text;
};

struct recent {
	uint32_t msg;
	uint32_t author;
	int64_t t;
};

/* A candidate for a timed action (a chatter message, an envelope claim). */
struct slot {
	int64_t t;
	uint32_t who;
	uint32_t order;
};

struct gen {
	struct rng rng;
	uint64_t seed;
	uint32_t n;
	int32_t days;
	int64_t start;
	int64_t mid0; /* UTC ms of local midnight of the first day */
	int64_t end;  /* local midnight after the last day */
	struct member *m;
	uint32_t *admins, n_admins;
	uint32_t *experts, n_experts;
	uint32_t *leaders, n_leaders;
	uint32_t *spammers, n_spammers;
	uint32_t *speakers, n_speakers; /* who may speak today */
	uint32_t *helpers, n_helpers;   /* experts and leaders among them */
	struct ev *ev;
	size_t n_ev, cap_ev;
	char *text;
	size_t text_len, text_cap;
	struct slot *slots;
	size_t n_slots, cap_slots;
	uint32_t seq;
	uint32_t next_msg;
	/* Messages are numbered as they are generated but renamed in the
	 * order they are written, as platforms number them: msg_map[n] is
	 * the written number of generated message n. */
	uint32_t *msg_map;
	size_t msg_map_cap;
	uint32_t written_msgs;
	struct recent ring[RING];
	uint32_t ring_count;
	uint32_t ring_head;
	bool campaign[DAYS_MAX];
	/* output */
	FILE *out;
	char *obuf;
	size_t olen;
	bool write_failed;
};

/* The community's topic keywords (events.c). */
extern const char *const topics[];

/* random.c */
void rng_seed(struct rng *r, uint64_t seed);
uint64_t rng_below(struct rng *r, uint64_t n);
bool rng_chance(struct rng *r, unsigned per_mille);
int64_t rng_range(struct rng *r, int64_t lo, int64_t hi);
unsigned rng_geometric(struct rng *r, unsigned continue_pm, unsigned cap);

/* time.c */
int64_t day_start(const struct gen *g, int32_t d);
int64_t day_end(const struct gen *g, int32_t d);
int64_t sample_time(struct gen *g, int32_t d, int64_t lo, int64_t hi);
int64_t window_time(struct gen *g, int32_t d, int64_t lo, int64_t hi);
int64_t local_at(const struct gen *g, int32_t d, int hh, int mm);
bool here(const struct gen *g, uint32_t who, int64_t t);

/* events.c */
uint32_t expand(struct gen *g, const char *tpl, unsigned topic, uint32_t *len);
struct ev *push(struct gen *g, int64_t t, enum ev_type type, uint32_t actor);
uint32_t add_msg(struct gen *g, int64_t t, uint32_t who, enum kind kind, const char *tpl,
                 unsigned tags, uint32_t reply, uint32_t to);
void add_named(struct gen *g, int64_t t, enum ev_type type, uint32_t who, const char *s,
               uint32_t other);
void add_nick(struct gen *g, int64_t t, uint32_t who);
void ring_add(struct gen *g, uint32_t msg, uint32_t author, int64_t t);
const struct recent *ring_pick(struct gen *g, uint32_t who);
bool speaks(const struct member *mb);
uint32_t pick_speaker(struct gen *g, uint32_t not, int64_t t);
uint32_t pick_staff(struct gen *g, int64_t t);
void add_reactions(struct gen *g, int64_t t, int32_t d, uint32_t msg, uint32_t author, unsigned pm);
unsigned reaction_pm(const struct member *mb);
void add_answers(struct gen *g, int64_t t, int32_t d, uint32_t q, uint32_t asker, uint32_t host,
                 unsigned chance_pm);
void slot_add(struct gen *g, int64_t t, uint32_t who);
int cmp_slot(const void *a, const void *b);

/* cast.c */
void assign_profiles(struct gen *g);
void plan_members(struct gen *g);
void plan_invites(struct gen *g);

/* day.c */
void day_joins(struct gen *g, int32_t d);
void day_leaves(struct gen *g, int32_t d);
void day_cast(struct gen *g, int32_t d);
void day_chatter(struct gen *g, int32_t d);
void day_qa(struct gen *g, int32_t d);
void day_envelope(struct gen *g, int32_t d);
void day_spam(struct gen *g, int32_t d);
void day_staff(struct gen *g, int32_t d);

/* trace.c */
void out_flush(struct gen *g);
void out_str(struct gen *g, const char *s);
void out_u64(struct gen *g, uint64_t v);
void out_event(struct gen *g, const struct ev *e);
int cmp_ev(const void *a, const void *b);
int write_truth(const struct gen *g, const char *path);

/* main.c */
void *xrealloc(void *p, size_t n);
void *xcalloc(size_t count, size_t size);

#endif /* KITH_GEN_H */
