/*
 * kith-gen — write a realistic, deterministic kith-trace 1 of an online
 * group community, for the demo, tests and benchmarks.
 *
 * SPDX-License-Identifier: MIT
 *
 *   kith-gen [--seed N] [--members N] [--days N] [--start MS] [--truth FILE] > trace
 *
 * The output is a pure function of the options. The generator has its own
 * PRNG (xoshiro256** seeded through splitmix64) and takes every random
 * decision with integer arithmetic, so a seed gives the same bytes on any
 * machine and with any libc.
 *
 * The community lives at UTC+08:00 and follows a daily rhythm: quiet at
 * night, busy at lunch and in the evening. Its cast:
 *   - an owner who creates the group and gives roles (role=+owner, +admin,
 *     +expert, later +opinion-leader) and a few admins who welcome people,
 *     post announcements and digests, drop red envelopes, delete ads and
 *     kick spammers;
 *   - opinion leaders who post often and well, and experts who answer
 *     questions and host a Q&A evening every third day (attend events,
 *     questions, answers, thanks, reactions);
 *   - ordinary members with a heavy-tailed appetite for talk, greetings
 *     and stickers between the real content, photos, links, articles,
 *     documents and net-disk shares, multi-line texts with tabs and
 *     backslashes (escaped in the trace);
 *   - onlookers who join and never speak (about 40%), members who only
 *     ever claim red envelopes, members who go quiet after a while, a few
 *     leaves, newcomers in the last days with self-introductions;
 *   - one or two spammers: a flood of ads that gets reported, deleted and
 *     kicked, and a repeat offender who is warned.
 * People join in waves along invitation chains (join by=inviter).
 *
 * --truth FILE writes one line per member, "id<TAB>category", decided from
 * what was actually written, the first rule that matches:
 *   owner, admin     holds that role
 *   spammer          posted ads
 *   newcomer         joined within the last 3 days before the end
 *                    (the end is midnight after the last simulated day)
 *   opinion-leader   one of the prolific, well-received posters
 *   expert           answers questions and hosts Q&A (holds role expert)
 *   envelope-only    never sent a message, claimed a red envelope
 *   onlooker         never sent a message nor claimed an envelope
 *   quiet            sent messages, none in the last 10 days
 *   member           sent a message in the last 10 days
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* ---- PRNG: xoshiro256** ---------------------------------------------- */

struct rng {
	uint64_t s[4];
};

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += UINT64_C(0x9E3779B97F4A7C15));
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

static void rng_seed(struct rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

/* Uniform in [0, n), without modulo bias; n > 0. */
static uint64_t rng_below(struct rng *r, uint64_t n)
{
	uint64_t threshold = (0 - n) % n;
	for (;;) {
		uint64_t x = rng_next(r);
		if (x >= threshold)
			return x % n;
	}
}

/* True with probability per_mille / 1000. */
static bool rng_chance(struct rng *r, unsigned per_mille)
{
	return rng_below(r, 1000) < per_mille;
}

/* Uniform in [lo, hi); lo when the range is empty. */
static int64_t rng_range(struct rng *r, int64_t lo, int64_t hi)
{
	return hi > lo ? lo + (int64_t)rng_below(r, (uint64_t)(hi - lo)) : lo;
}

/* Failures before the first success, each step continuing with
 * probability continue_pm / 1000; at most cap. */
static unsigned rng_geometric(struct rng *r, unsigned continue_pm, unsigned cap)
{
	unsigned k = 0;
	while (k < cap && rng_chance(r, continue_pm))
		k++;
	return k;
}

#define PICK(r, array) (array)[rng_below((r), sizeof(array) / sizeof((array)[0]))]

/* ---- Words ------------------------------------------------------------ */

static const char *const topics[] = {"fission", "growth", "referral", "operations"};
static const char *const tactics[] = {
        "group-buy referral", "invite-3-get-1",      "a 21-day check-in", "a free trial week",
        "red envelope rain",  "poster fission",      "tiered rewards",    "mini-program sharing",
        "KOC seeding",        "live-stream coupons", "a points mall",     "friend-assist bargains",
};
static const char *const metrics[] = {
        "retention",  "K-factor", "conversion", "activation", "day-7 retention",
        "share rate", "CAC",      "LTV",        "DAU",        "reply rate",
};
static const char *const advice[] = {
        "keep the first reward instant",
        "cap invites per person",
        "pre-warm the group a day early",
        "pin the rules on day one",
        "answer every question within an hour",
        "post the digest at 22:00",
        "use a countdown poster",
        "segment by city",
        "test two headlines",
        "thank the inviter publicly",
        "kill the campaign after 72 hours",
        "give seed users early access",
};
static const char *const products[] = {
        "course",    "SaaS tool", "tea shop",     "fitness app",
        "bookstore", "bakery",    "online class", "skin-care brand",
};
static const char *const cities[] = {
        "Shanghai", "Beijing", "Shenzhen", "Hangzhou", "Chengdu",
        "Wuhan",    "Nanjing", "Xiamen",   "Suzhou",   "Guangzhou",
};
static const char *const industries[] = {
        "Ops", "Growth", "Retail", "Edu", "SaaS", "Media", "Finance", "Design", "Health", "Food",
};
static const char *const given[] = {
        "Wei", "Fang", "Lei",   "Jing", "Min",  "Tao", "Yan", "Hui",
        "Jun", "Ling", "Qiang", "Xin",  "Hong", "Bo",  "Na",  "Ping",
};
/* Display names that break the City-Industry-Name rule. */
static const char *const loose_names[] = {
        "%G\xF0\x9F\x8C\xB8", /* a flower */
        "%G_ops",
        "%G (%C)",
        "\xE5\xB0\x8F\xE6\x98\x8E", /* a Chinese nickname */
        "~%G~",
        "%G from %C",
};

static const char *const t_chat[] = {
        "%A, that worked for us on %T",
        "agree, %M matters more than %M",
        "we tried %X for our %P and %M went up %N%",
        "interesting, our %M dropped after %X",
        "for a %P I would %A",
        "the hard part of %T is keeping people after week one",
        "just shipped %X for a client in %C",
        "my %T checklist:\n1. %A\n2. %A\n3. %A",
        "tip:\t%A",
        "numbers are in C:\\growth\\%T-%N.xlsx on the shared drive",
        "good point",
        "haha same here",
        "makes sense",
        "+1",
        "\xE8\xB0\xA2\xE8\xB0\xA2\xE5\x88\x86\xE4\xBA\xAB", /* thanks for sharing */
        "\xE6\x94\xB6\xE5\x88\xB0",                         /* got it */
        "%X is overrated imo, %A instead",
        "anyone going to the %T meetup in %C next week",
        "our %P ran %X last month: %N% of new users came from referrals",
        "\xE8\xBF\x99\xE4\xB8\xAA%T\xE6\x96\xB9\xE6\xA1\x88\xE4\xB8\x8D\xE9\x94\x99", /* this plan
                                                                                         is good */
};
static const char *const t_reply[] = {
        "agree with you",
        "same experience here, %A",
        "thanks, very useful",
        "not sure, in our %P %M went down",
        "what was your %M before that?",
        "exactly, %A",
        "\xE8\xB5\x9E", /* like */
        "this ^",
};
static const char *const t_question[] = {
        "how do you measure %M for %X?",
        "what is a normal %M for a %P?",
        "has anyone run %X in %C? worth it?",
        "how many invites per person before people get annoyed?",
        "which tool do you use to track %T?",
        "any template for a %T poster?",
        "is %X still working in 2026?",
        "\xE8\xAF\xB7\xE9\x97\xAE%X\xE6\x80\x8E\xE4\xB9\x88\xE5\x81\x9A\xEF\xBC\x9F", /* how to do
                                                                                         X? */
};
static const char *const t_answer[] = {
        "in our %P we saw %M up %N% after %X; %A.",
        "short answer: %A. long answer: it depends on your %M.",
        "we measure %M weekly, and %A",
        "I'd start with %X, then %A",
        "two things: 1) %A 2) %A",
        "benchmarks I've seen for a %P: %N% %M in the first month",
};
static const char *const t_feedback[] = {
        "thanks, that helps!",
        "great, will try %X",
        "\xE6\x98\x8E\xE7\x99\xBD\xE4\xBA\x86\xEF\xBC\x8C\xE8\xB0\xA2\xE8\xB0\xA2", /* understood,
                                                                                       thanks */
        "super clear, thank you",
};
static const char *const t_greeting[] = {
        "good morning everyone",
        "morning!",
        "\xE6\x97\xA9\xE4\xB8\x8A\xE5\xA5\xBD",  /* good morning */
        "good morning \xE2\x98\x80\xEF\xB8\x8F", /* with a sun */
        "morning all, happy %T day",
};
static const char *const t_intro[] = {
        "Hi all, I'm %G from %C, working on %T for a %P",
        "hello everyone, %G here, %P in %C, happy to learn",
        "new here: %G, %C, I run %T for a small %P",
};
static const char *const t_thanks[] = {
        "thanks boss!",
        "\xE8\xB0\xA2\xE8\xB0\xA2\xE8\x80\x81\xE6\x9D\xBF", /* thanks boss */
        "\xF0\x9F\xA7\xA7\xF0\x9F\xA7\xA7\xF0\x9F\xA7\xA7", /* envelopes */
        "lucky me",
};
static const char *const t_envelope[] = {
        "Lucky money for everyone \xF0\x9F\xA7\xA7",
        ("\xE6\x81\xAD\xE5\x96\x9C\xE5\x8F\x91\xE8\xB4\xA2\xEF\xBC\x8C\xE5\xA4\xA7\xE5\x90\x89\xE5"
         "\xA4\xA7\xE5\x88\xA9"), /* prosperity */
        "thanks for a great week, a little red envelope",
};
static const char *const t_spam[] = {
        "add me on vx: %K, cheap followers 1000 for 9.9",
        "scan the code for free gifts https://spam.example/%K",
        "part-time job, paid daily, add me on vx: %K",
};
static const char *const t_article[] = {
        "worth reading: https://mp.example.com/s/%K",
        "our write-up on %X https://mp.example.com/s/%K",
        "case study, %P in %C: https://mp.example.com/s/%K",
};
static const char *const t_link[] = {
        "demo page https://h5.example.cn/%K",
        "try the poster generator https://h5.example.cn/%K",
};
static const char *const t_document[] = {
        "%T-playbook-v%N.pdf",
        "%X checklist.docx",
};
static const char *const t_share[] = {
        "slides: https://pan.example.com/s/%K code %K",
        "all the templates https://pan.example.com/s/%K",
};
static const char *const t_mention[] = {
        "what do you think about %X?",
        "you did %T for a %P, right? how did it go",
};

/* ---- The community ---------------------------------------------------- */

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

static const char *const ev_names[] = {"join",   "leave",    "kick",   "msg",
                                       "react",  "nick",     "role",   "report",
                                       "attend", "envelope", "delete", "purchase"};

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
static const char *const kind_names[] = {"text",    "photo",    "video", "voice",   "link",
                                         "article", "document", "share", "sticker", "envelope"};

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
static const char *const tag_names[] = {"question",     "answer", "greeting", "feedback",
                                        "announcement", "intro",  "welcome",  "warning"};

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

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q) {
		fprintf(stderr, "kith-gen: out of memory\n");
		exit(1);
	}
	return q;
}

static void *xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);
	if (!p) {
		fprintf(stderr, "kith-gen: out of memory\n");
		exit(1);
	}
	return p;
}

/* ---- Time ------------------------------------------------------------- */

/* Relative weight of each local hour: night is quiet, lunch and the
 * evening are busy. */
static const unsigned hour_weight[24] = {3,  2,  1, 1, 1,  2,  5,  12, 16, 14, 12, 12,
                                         14, 10, 9, 9, 10, 10, 11, 15, 22, 24, 18, 8};

static int64_t day_start(const struct gen *g, int32_t d)
{
	int64_t t = g->mid0 + d * MS_DAY;
	return t < g->start ? g->start : t;
}

static int64_t day_end(const struct gen *g, int32_t d)
{
	return g->mid0 + (d + 1) * MS_DAY;
}

static unsigned pick_hour(struct gen *g)
{
	unsigned total = 0, x;
	for (int h = 0; h < 24; h++)
		total += hour_weight[h];
	x = (unsigned)rng_below(&g->rng, total);
	for (unsigned h = 0; h < 24; h++) {
		if (x < hour_weight[h])
			return h;
		x -= hour_weight[h];
	}
	return 23;
}

/* A time on day d within [lo, hi), following the daily rhythm when it
 * can; -1 when the window is empty. */
static int64_t sample_time(struct gen *g, int32_t d, int64_t lo, int64_t hi)
{
	int64_t a = lo > day_start(g, d) ? lo : day_start(g, d);
	int64_t b = hi < day_end(g, d) ? hi : day_end(g, d);
	if (a >= b)
		return -1;
	for (int i = 0; i < 16; i++) {
		int64_t t = g->mid0 + d * MS_DAY + (int64_t)pick_hour(g) * MS_HOUR +
		            rng_range(&g->rng, 0, MS_HOUR);
		if (t >= a && t < b)
			return t;
	}
	return rng_range(&g->rng, a, b);
}

/* A uniform time within [lo, hi) clipped to day d; -1 when empty. */
static int64_t window_time(struct gen *g, int32_t d, int64_t lo, int64_t hi)
{
	int64_t a = lo > day_start(g, d) ? lo : day_start(g, d);
	int64_t b = hi < day_end(g, d) ? hi : day_end(g, d);
	return a < b ? rng_range(&g->rng, a, b) : -1;
}

/* UTC ms of local time hh:mm on day d. */
static int64_t local_at(const struct gen *g, int32_t d, int hh, int mm)
{
	return g->mid0 + d * MS_DAY + hh * MS_HOUR + mm * MS_MINUTE;
}

static bool here(const struct gen *g, uint32_t who, int64_t t)
{
	const struct member *mb = &g->m[who];
	return mb->join_day != NO_DAY && mb->join_ms < t && t < mb->leave_ms;
}

/* ---- Building events -------------------------------------------------- */

static uint32_t text_put(struct gen *g, const char *s, size_t n)
{
	uint32_t off;
	if (g->text_len + n > g->text_cap) {
		g->text_cap = (g->text_len + n) * 2 + 4096;
		g->text = xrealloc(g->text, g->text_cap);
	}
	off = (uint32_t)g->text_len;
	memcpy(g->text + g->text_len, s, n);
	g->text_len += n;
	return off;
}

static void text_add(struct gen *g, const char *s)
{
	text_put(g, s, strlen(s));
}

static void text_code(struct gen *g, unsigned len)
{
	static const char alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";
	char buf[16];
	for (unsigned i = 0; i < len && i < sizeof buf; i++)
		buf[i] = alphabet[rng_below(&g->rng, sizeof alphabet - 1)];
	text_put(g, buf, len < sizeof buf ? len : sizeof buf);
}

/* Expand a template into the day's text arena: %T topic, %X tactic,
 * %M metric, %A advice, %P product, %C city, %G given name, %N a number,
 * %K a random code. Returns the text's offset; *len its length. */
static uint32_t expand(struct gen *g, const char *tpl, unsigned topic, uint32_t *len)
{
	size_t begin = g->text_len;
	char num[16];
	for (const char *p = tpl; *p; p++) {
		if (*p != '%' || p[1] == '\0') {
			const char *q = strchr(p, '%');
			size_t n = q ? (size_t)(q - p) : strlen(p);
			if (n == 0)
				n = 1;
			text_put(g, p, n);
			p += n - 1;
			continue;
		}
		switch (*++p) {
		case 'T': text_add(g, topics[topic % 4]); break;
		case 'X': text_add(g, PICK(&g->rng, tactics)); break;
		case 'M': text_add(g, PICK(&g->rng, metrics)); break;
		case 'A': text_add(g, PICK(&g->rng, advice)); break;
		case 'P': text_add(g, PICK(&g->rng, products)); break;
		case 'C': text_add(g, PICK(&g->rng, cities)); break;
		case 'G': text_add(g, PICK(&g->rng, given)); break;
		case 'N':
			snprintf(num, sizeof num, "%u", (unsigned)rng_range(&g->rng, 2, 61));
			text_add(g, num);
			break;
		case 'K': text_code(g, 6); break;
		default: text_put(g, p - 1, 2); break;
		}
	}
	*len = (uint32_t)(g->text_len - begin);
	return (uint32_t)begin;
}

static struct ev *push(struct gen *g, int64_t t, enum ev_type type, uint32_t actor)
{
	struct ev *e;
	if (g->n_ev == g->cap_ev) {
		g->cap_ev = g->cap_ev ? g->cap_ev * 2 : 4096;
		g->ev = xrealloc(g->ev, g->cap_ev * sizeof *g->ev);
	}
	e = &g->ev[g->n_ev++];
	memset(e, 0, sizeof *e);
	e->t = t;
	e->seq = g->seq++;
	e->type = (uint8_t)type;
	e->actor = actor;
	return e;
}

/* A message from who at t; tpl NULL for media without text. Returns its
 * number. */
static uint32_t add_msg(struct gen *g, int64_t t, uint32_t who, enum kind kind, const char *tpl,
                        unsigned tags, uint32_t reply, uint32_t to)
{
	struct member *mb = &g->m[who];
	unsigned topic = mb->topic;
	struct ev *e;
	if (rng_chance(&g->rng, 300))
		topic = (unsigned)rng_below(&g->rng, 4);
	e = push(g, t, E_MSG, who);
	e->msg = ++g->next_msg;
	e->kind = (uint8_t)kind;
	e->reply = reply;
	e->other = to;
	if (tpl) {
		e->text = expand(g, tpl, topic, &e->text_len);
		e->has_text = true;
		/* Tag the topic when the text is about it. */
		if (strstr(tpl, "%T") || (tags & (T_QUESTION | T_ANSWER)))
			tags |= T_TOPIC | topic * 512u;
	}
	e->tags = tags;
	mb->messages++;
	if (t > mb->last_msg_ms)
		mb->last_msg_ms = t;
	return e->msg;
}

static void add_react(struct gen *g, int64_t t, uint32_t who, uint32_t msg, uint32_t author)
{
	struct ev *e = push(g, t, E_REACT, who);
	e->msg = msg;
	e->other = author + 1;
}

static void add_named(struct gen *g, int64_t t, enum ev_type type, uint32_t who, const char *s,
                      uint32_t other)
{
	struct ev *e = push(g, t, type, who);
	e->text = text_put(g, s, strlen(s));
	e->text_len = (uint32_t)strlen(s);
	e->has_text = true;
	e->other = other;
}

static void add_nick(struct gen *g, int64_t t, uint32_t who)
{
	char name[96];
	uint32_t len, off;
	if (rng_chance(&g->rng, 780)) {
		/* One draw a statement: the order in which a call's arguments
		 * are evaluated is unspecified (and differs between targets). */
		const char *person = PICK(&g->rng, given);
		const char *industry = PICK(&g->rng, industries);
		const char *city = PICK(&g->rng, cities);
		snprintf(name, sizeof name, "%s-%s-%s", city, industry, person);
		add_named(g, t, E_NICK, who, name, 0);
		return;
	}
	off = expand(g, PICK(&g->rng, loose_names), 0, &len);
	struct ev *e = push(g, t, E_NICK, who);
	e->text = off;
	e->text_len = len;
	e->has_text = true;
}

/* Remember a chatter message as a candidate for later replies. */
static void ring_add(struct gen *g, uint32_t msg, uint32_t author, int64_t t)
{
	g->ring[g->ring_head] = (struct recent){msg, author, t};
	g->ring_head = (g->ring_head + 1) % RING;
	if (g->ring_count < RING)
		g->ring_count++;
}

/* A recent message not by who, the newest most likely; NULL if none. */
static const struct recent *ring_pick(struct gen *g, uint32_t who)
{
	for (int tries = 0; tries < 4 && g->ring_count > 0; tries++) {
		unsigned back = rng_geometric(&g->rng, 700, g->ring_count - 1);
		const struct recent *r = &g->ring[(g->ring_head + RING - 1 - back) % RING];
		if (r->author != who)
			return r;
	}
	return NULL;
}

static bool speaks(const struct member *mb)
{
	switch (mb->profile) {
	case P_OWNER:
	case P_ADMIN:
	case P_LEADER:
	case P_EXPERT:
	case P_MEMBER:
	case P_QUIET:
	case P_NEWCOMER: return true;
	default: return false;
	}
}

/* A random present speaker other than not, at time t; UINT32_MAX if none
 * was found quickly. */
static uint32_t pick_speaker(struct gen *g, uint32_t not, int64_t t)
{
	for (int tries = 0; tries < 6 && g->n_speakers > 0; tries++) {
		uint32_t who = g->speakers[rng_below(&g->rng, g->n_speakers)];
		if (who != not &&here(g, who, t))
			return who;
	}
	return UINT32_MAX;
}

static uint32_t pick_helper(struct gen *g, uint32_t not, int64_t t)
{
	for (int tries = 0; tries < 6 && g->n_helpers > 0; tries++) {
		uint32_t who = g->helpers[rng_below(&g->rng, g->n_helpers)];
		if (who != not &&here(g, who, t))
			return who;
	}
	return UINT32_MAX;
}

/* The owner or an admin present at t (the owner when nobody else is). */
static uint32_t pick_staff(struct gen *g, int64_t t)
{
	if (g->n_admins > 0 && rng_chance(&g->rng, 800)) {
		uint32_t who = g->admins[rng_below(&g->rng, g->n_admins)];
		if (here(g, who, t))
			return who;
	}
	return 0;
}

/* Reactions to a message: a few members, minutes to hours later. */
static void add_reactions(struct gen *g, int64_t t, int32_t d, uint32_t msg, uint32_t author,
                          unsigned pm)
{
	uint32_t done[12];
	unsigned count = rng_geometric(&g->rng, pm, 12), n_done = 0;
	for (unsigned i = 0; i < count; i++) {
		int64_t when =
		        t + rng_range(&g->rng, 10 * MS_SECOND,
		                      rng_chance(&g->rng, 700) ? 20 * MS_MINUTE : 3 * MS_HOUR);
		uint32_t who;
		bool again = false;
		if (when >= day_end(g, d))
			continue;
		who = pick_speaker(g, author, when);
		/* One reaction per member and message. */
		for (unsigned k = 0; k < n_done; k++)
			again |= done[k] == who;
		if (who == UINT32_MAX || again)
			continue;
		done[n_done++] = who;
		add_react(g, when, who, msg, author);
	}
}

static unsigned reaction_pm(const struct member *mb)
{
	switch (mb->profile) {
	case P_LEADER: return 600;
	case P_EXPERT: return 520;
	case P_OWNER:
	case P_ADMIN: return 380;
	default: return 260;
	}
}

/* Answers to a question from the experts and leaders, then the asker's
 * thanks. */
static void add_answers(struct gen *g, int64_t t, int32_t d, uint32_t q, uint32_t asker,
                        uint32_t host, unsigned chance_pm)
{
	unsigned count;
	if (!rng_chance(&g->rng, chance_pm))
		return;
	count = 1 + rng_geometric(&g->rng, 300, 3);
	for (unsigned i = 0; i < count; i++) {
		int64_t when = t + rng_range(&g->rng, MS_MINUTE,
		                             i == 0 && host != UINT32_MAX ? 8 * MS_MINUTE
		                                                          : 45 * MS_MINUTE);
		uint32_t who = i == 0 && host != UINT32_MAX ? host : pick_helper(g, asker, when);
		uint32_t a;
		if (who == UINT32_MAX || who == asker || when >= day_end(g, d) ||
		    !here(g, who, when))
			continue;
		a = add_msg(g, when, who, K_TEXT, PICK(&g->rng, t_answer), T_ANSWER, q, asker + 1);
		add_reactions(g, when, d, a, who, 600);
		if (i == 0 && rng_chance(&g->rng, 550)) {
			int64_t fb = when + rng_range(&g->rng, 30 * MS_SECOND, 20 * MS_MINUTE);
			if (fb < day_end(g, d) && here(g, asker, fb))
				add_msg(g, fb, asker, K_TEXT, PICK(&g->rng, t_feedback), T_FEEDBACK,
				        a, who + 1);
		}
	}
}

static void slot_add(struct gen *g, int64_t t, uint32_t who)
{
	if (g->n_slots == g->cap_slots) {
		g->cap_slots = g->cap_slots ? g->cap_slots * 2 : 1024;
		g->slots = xrealloc(g->slots, g->cap_slots * sizeof *g->slots);
	}
	g->slots[g->n_slots] = (struct slot){t, who, (uint32_t)g->n_slots};
	g->n_slots++;
}

static int cmp_slot(const void *a, const void *b)
{
	const struct slot *x = a, *y = b;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* ---- The cast and their joins ----------------------------------------- */

static void make_id(struct gen *g, uint32_t i, char out[16])
{
	static const char alphabet[] = "abcdefghijkmnpqrstuvwxyz23456789"; /* 32 symbols */
	/* An odd multiplier is a bijection modulo 2^50, so ids never collide;
	 * the seed only moves them around. */
	uint64_t mask = (UINT64_C(1) << 50) - 1;
	uint64_t x = (((uint64_t)i * UINT64_C(0x5DEECE66D1)) ^ (g->rng.s[0] & mask)) & mask;
	memcpy(out, "wxid_", 5);
	for (int k = 0; k < 10; k++) {
		out[5 + k] = alphabet[x & 31];
		x >>= 5;
	}
	out[15] = '\0';
}

static int32_t pick_join_day(struct gen *g, int32_t lo, int32_t hi)
{
	if (hi < lo)
		return lo;
	/* Half the newcomers come in campaign waves. */
	if (rng_chance(&g->rng, 500)) {
		for (int tries = 0; tries < 8; tries++) {
			int32_t d = (int32_t)rng_range(&g->rng, lo, (int64_t)hi + 1);
			if (g->campaign[d])
				return d;
		}
	}
	return (int32_t)rng_range(&g->rng, lo, (int64_t)hi + 1);
}

static void assign_profiles(struct gen *g)
{
	uint32_t n = g->n, k = 1;
	uint32_t n_admin = n >= 2 ? 1 + n / 100 : 0;
	uint32_t n_leader = n >= 10 ? (n * 3 / 100 > 1 ? n * 3 / 100 : 1) : 0;
	uint32_t n_expert = n >= 10 ? (n * 4 / 100 > 1 ? n * 4 / 100 : 1) : 0;
	uint32_t n_spam = n >= 50 ? 2 : n >= 20 ? 1 : 0;
	uint32_t rest, n_onlooker, n_env, n_quiet, n_new;
	uint8_t *p = xcalloc(n, 1);

	if (n_admin > 6)
		n_admin = 6;
	if (n_admin > n - 1)
		n_admin = n - 1;
	p[0] = P_OWNER;
	for (uint32_t i = 0; i < n_admin; i++)
		p[k++] = P_ADMIN;
	for (uint32_t i = 0; i < n_leader; i++)
		p[k++] = P_LEADER;
	for (uint32_t i = 0; i < n_expert; i++)
		p[k++] = P_EXPERT;
	for (uint32_t i = 0; i < n_spam; i++)
		p[k++] = P_SPAMMER;
	rest = n - k;
	n_onlooker = rest * 40 / 100;
	n_env = rest * 6 / 100;
	n_quiet = g->days >= QUIET_DAYS + 2 ? rest * 12 / 100 : 0;
	n_new = g->days > NEWCOMER_DAYS ? rest * 5 / 100 : 0;
	for (uint32_t i = 0; i < n_onlooker; i++)
		p[k++] = P_ONLOOKER;
	for (uint32_t i = 0; i < n_env; i++)
		p[k++] = P_ENVELOPE;
	for (uint32_t i = 0; i < n_quiet; i++)
		p[k++] = P_QUIET;
	for (uint32_t i = 0; i < n_new; i++)
		p[k++] = P_NEWCOMER;
	while (k < n)
		p[k++] = P_MEMBER;
	/* The owner stays first; everyone else is shuffled. */
	for (uint32_t i = n - 1; i > 1; i--) {
		uint32_t j = 1 + (uint32_t)rng_below(&g->rng, i);
		uint8_t tmp = p[i];
		p[i] = p[j];
		p[j] = tmp;
	}
	g->admins = xcalloc(n_admin, sizeof(uint32_t));
	g->leaders = xcalloc(n_leader, sizeof(uint32_t));
	g->experts = xcalloc(n_expert, sizeof(uint32_t));
	g->spammers = xcalloc(n_spam, sizeof(uint32_t));
	for (uint32_t i = 0; i < n; i++) {
		g->m[i].profile = p[i];
		switch (p[i]) {
		case P_ADMIN: g->admins[g->n_admins++] = i; break;
		case P_LEADER: g->leaders[g->n_leaders++] = i; break;
		case P_EXPERT: g->experts[g->n_experts++] = i; break;
		case P_SPAMMER: g->spammers[g->n_spammers++] = i; break;
		default: break;
		}
	}
	free(p);
}

/* When each member joins, speaks, goes quiet and leaves. */
static void plan_members(struct gen *g)
{
	int32_t last = g->days - 1;
	int32_t settled = last - NEWCOMER_DAYS; /* last join day of a non-newcomer */
	for (uint32_t i = 0; i < g->n; i++) {
		struct member *mb = &g->m[i];
		int32_t jd = 0;
		make_id(g, i, mb->id);
		mb->leave_ms = NEVER;
		mb->last_msg_ms = INT64_MIN;
		mb->quit_day = NO_DAY;
		mb->force_day = NO_DAY;
		mb->topic = (uint8_t)rng_below(&g->rng, 4);
		switch (mb->profile) {
		case P_OWNER:
			mb->active_pm = 550;
			mb->burst_pm = 450;
			break;
		case P_ADMIN:
			mb->active_pm = 650;
			mb->burst_pm = 500;
			break;
		case P_LEADER:
			mb->active_pm = 880;
			mb->burst_pm = 720;
			break;
		case P_EXPERT:
			mb->active_pm = 520;
			mb->burst_pm = 550;
			break;
		case P_SPAMMER:
			jd = (int32_t)rng_range(&g->rng, last >= 1 ? 1 : 0,
			                        (last > 2 ? last - 1 : last) + 1);
			break;
		case P_MEMBER: {
			/* A heavy tail: most talk rarely, a few a lot. */
			unsigned u = (unsigned)rng_below(&g->rng, 1000);
			mb->active_pm = (uint16_t)(25 + u * u / 2000);
			mb->burst_pm = (uint16_t)rng_range(&g->rng, 250, 600);
			jd = rng_chance(&g->rng, 350) ? 0 : pick_join_day(g, 1, settled);
			if (jd > settled)
				jd = settled > 0 ? settled : 0;
			mb->force_day = (int32_t)rng_range(&g->rng, jd > last - 6 ? jd : last - 6,
			                                   (int64_t)last + 1);
			break;
		}
		case P_QUIET:
			mb->active_pm = (uint16_t)rng_range(&g->rng, 250, 550);
			mb->burst_pm = (uint16_t)rng_range(&g->rng, 300, 600);
			jd = (int32_t)rng_range(&g->rng, 0, (int64_t)(last - QUIET_DAYS) + 1);
			mb->quit_day =
			        (int32_t)rng_range(&g->rng, jd, (int64_t)(last - QUIET_DAYS) + 1);
			mb->force_day = jd;
			break;
		case P_ONLOOKER:
		case P_ENVELOPE:
			jd = rng_chance(&g->rng, 350) ? 0 : pick_join_day(g, 1, settled);
			if (jd > settled)
				jd = settled > 0 ? settled : 0;
			break;
		case P_NEWCOMER:
			mb->active_pm = 450;
			mb->burst_pm = 400;
			jd = (int32_t)rng_range(
			        &g->rng,
			        last - NEWCOMER_DAYS + 1 > 0 ? last - NEWCOMER_DAYS + 1 : 0,
			        (int64_t)last + 1);
			break;
		}
		if (jd < 0)
			jd = 0;
		if (jd > last)
			jd = last;
		mb->join_day = jd;
	}

	/* The owner creates the group; the founders follow the same day. */
	g->m[0].join_ms = g->start;
	for (uint32_t i = 1; i < g->n; i++) {
		struct member *mb = &g->m[i];
		int64_t lo = mb->join_day == 0 ? g->start + MS_MINUTE : day_start(g, mb->join_day);
		mb->join_ms = sample_time(g, mb->join_day, lo, day_end(g, mb->join_day));
		if (mb->join_ms < 0)
			mb->join_ms = day_end(g, mb->join_day) - 1;
		if (mb->profile == P_ADMIN) {
			int64_t t =
			        window_time(g, 0, g->start + MS_MINUTE, g->start + 30 * MS_MINUTE);
			mb->join_ms = t > 0 ? t : day_end(g, 0) - 1;
		}
	}

	/* Some onlookers give up; some of the quiet ones leave after a while. */
	for (uint32_t i = 1; i < g->n; i++) {
		struct member *mb = &g->m[i];
		int32_t d;
		int64_t t;
		if (mb->profile == P_ONLOOKER && rng_chance(&g->rng, 120)) {
			d = (int32_t)rng_range(&g->rng, mb->join_day, (int64_t)last + 1);
			t = sample_time(g, d, mb->join_ms + MS_HOUR, NEVER);
		} else if (mb->profile == P_QUIET && mb->quit_day < last &&
		           rng_chance(&g->rng, 250)) {
			d = (int32_t)rng_range(&g->rng, mb->quit_day + 1, (int64_t)last + 1);
			t = sample_time(g, d, mb->join_ms + MS_HOUR, NEVER);
		} else {
			continue;
		}
		if (t > 0)
			mb->leave_ms = t;
	}
}

static bool can_invite(const struct member *mb)
{
	return mb->profile == P_MEMBER || mb->profile == P_LEADER || mb->profile == P_EXPERT ||
	       mb->profile == P_QUIET || mb->profile == P_NEWCOMER;
}

/* Who invited whom: walk the joins in time order, so inviters were there
 * first; recent joiners invite their friends, which makes chains. */
static void plan_invites(struct gen *g)
{
	uint32_t recent[64];
	uint32_t n_recent = 0, head = 0;
	g->n_slots = 0;
	for (uint32_t i = 0; i < g->n; i++)
		slot_add(g, g->m[i].join_ms, i);
	qsort(g->slots, g->n_slots, sizeof *g->slots, cmp_slot);
	for (uint32_t k = 0; k < g->n; k++) {
		uint32_t i = g->slots[k].who;
		struct member *mb = &g->m[i];
		uint32_t inviter = UINT32_MAX;
		unsigned roll = (unsigned)rng_below(&g->rng, 1000);
		if (i == 0)
			continue;
		if (mb->profile == P_ADMIN || mb->profile == P_LEADER || mb->profile == P_EXPERT) {
			inviter = mb->profile == P_EXPERT && g->n_admins > 0 && roll < 500
			                  ? g->admins[rng_below(&g->rng, g->n_admins)]
			                  : 0;
		} else if (mb->profile == P_SPAMMER) {
			if (roll < 500 && n_recent > 0)
				inviter = recent[rng_below(&g->rng, n_recent)];
		} else if (roll < 330) {
			inviter = UINT32_MAX; /* came through a QR code or a link */
		} else if (roll < 550) {
			inviter = rng_chance(&g->rng, 300) || g->n_admins == 0
			                  ? 0
			                  : g->admins[rng_below(&g->rng, g->n_admins)];
		} else if (n_recent > 0) {
			inviter =
			        recent[(head + 64 - 1 - rng_geometric(&g->rng, 850, n_recent - 1)) %
			               64];
		} else if (g->n_leaders > 0) {
			inviter = g->leaders[rng_below(&g->rng, g->n_leaders)];
		}
		if (inviter != UINT32_MAX && inviter != i && g->m[inviter].join_ms < mb->join_ms &&
		    g->m[inviter].leave_ms > mb->join_ms)
			mb->inviter = inviter + 1;
		if (can_invite(mb)) {
			recent[head] = i;
			head = (head + 1) % 64;
			if (n_recent < 64)
				n_recent++;
		}
	}
}

/* ---- One day ---------------------------------------------------------- */

static void day_joins(struct gen *g, int32_t d)
{
	unsigned welcomes = 0;
	for (uint32_t i = 0; i < g->n; i++) {
		struct member *mb = &g->m[i];
		int64_t t;
		if (mb->join_day != d)
			continue;
		{
			struct ev *e = push(g, mb->join_ms, E_JOIN, i);
			e->other = mb->inviter;
		}
		if (mb->profile == P_OWNER) {
			add_named(g, mb->join_ms, E_ROLE, i, "+owner", 1);
			continue;
		}
		if (mb->profile == P_ADMIN || mb->profile == P_EXPERT) {
			t = window_time(g, d, mb->join_ms + MS_SECOND,
			                mb->join_ms + 40 * MS_MINUTE);
			if (t > 0)
				add_named(g, t, E_ROLE, i,
				          mb->profile == P_ADMIN ? "+admin" : "+expert", 1);
		}
		/* Most people set a display name soon after joining. */
		if (rng_chance(&g->rng, mb->profile == P_ONLOOKER || mb->profile == P_ENVELOPE
		                                ? 450
		                                : 820)) {
			t = window_time(g, d, mb->join_ms + 20 * MS_SECOND,
			                mb->join_ms + 3 * MS_HOUR);
			if (t > 0 && t < mb->leave_ms)
				add_nick(g, t, i);
		}
		/* Admins welcome people who join after the founding day, as
		 * many as they have time for. */
		if (d > 0 && mb->profile != P_SPAMMER && welcomes < 12 &&
		    rng_chance(&g->rng, 550)) {
			t = window_time(g, d, mb->join_ms + 30 * MS_SECOND,
			                mb->join_ms + 30 * MS_MINUTE);
			if (t > 0) {
				uint32_t admin = pick_staff(g, t);
				if (here(g, admin, t) && ++welcomes)
					add_msg(g, t, admin, K_TEXT,
					        "Welcome! Please set your name as "
					        "City-Industry-Name and introduce yourself",
					        T_WELCOME, 0, i + 1);
			}
		}
		if ((mb->profile == P_NEWCOMER && rng_chance(&g->rng, 700)) ||
		    ((mb->profile == P_MEMBER || mb->profile == P_QUIET) &&
		     rng_chance(&g->rng, 350))) {
			t = window_time(g, d, mb->join_ms + 2 * MS_MINUTE,
			                mb->join_ms + 2 * MS_HOUR);
			if (t > 0 && t < mb->leave_ms) {
				uint32_t msg = add_msg(g, t, i, K_TEXT, PICK(&g->rng, t_intro),
				                       T_INTRO, 0, 0);
				add_reactions(g, t, d, msg, i, 450);
			}
		}
	}
}

static void day_leaves(struct gen *g, int32_t d)
{
	for (uint32_t i = 0; i < g->n; i++) {
		const struct member *mb = &g->m[i];
		if (mb->leave_ms != NEVER && !mb->kicked && mb->leave_ms >= day_start(g, d) &&
		    mb->leave_ms < day_end(g, d))
			push(g, mb->leave_ms, E_LEAVE, i);
	}
}

/* Who may speak, react or answer today. */
static void day_cast(struct gen *g, int32_t d)
{
	g->n_speakers = 0;
	g->n_helpers = 0;
	for (uint32_t i = 0; i < g->n; i++) {
		const struct member *mb = &g->m[i];
		if (!speaks(mb) || mb->join_day > d || mb->leave_ms <= day_start(g, d) ||
		    (mb->quit_day != NO_DAY && d > mb->quit_day))
			continue;
		g->speakers[g->n_speakers++] = i;
		if (mb->profile == P_EXPERT || mb->profile == P_LEADER)
			g->helpers[g->n_helpers++] = i;
	}
}

/* Kind weights per mille: text photo video voice link article document share sticker. */
static const unsigned kind_member[9] = {640, 70, 10, 40, 20, 20, 10, 10, 180};
static const unsigned kind_leader[9] = {600, 60, 20, 20, 60, 130, 30, 40, 40};
static const unsigned kind_expert[9] = {700, 40, 10, 20, 40, 80, 60, 40, 10};
static const unsigned kind_staff[9] = {640, 80, 10, 10, 60, 90, 40, 30, 40};

static enum kind pick_kind(struct gen *g, const struct member *mb)
{
	const unsigned *w = mb->profile == P_LEADER                            ? kind_leader
	                    : mb->profile == P_EXPERT                          ? kind_expert
	                    : mb->profile == P_OWNER || mb->profile == P_ADMIN ? kind_staff
	                                                                       : kind_member;
	unsigned x = (unsigned)rng_below(&g->rng, 1000);
	for (unsigned k = 0; k < 9; k++) {
		if (x < w[k])
			return (enum kind)k;
		x -= w[k];
	}
	return K_TEXT;
}

static unsigned question_pm(const struct member *mb)
{
	switch (mb->profile) {
	case P_NEWCOMER: return 160;
	case P_MEMBER:
	case P_QUIET: return 90;
	case P_LEADER: return 60;
	default: return 15;
	}
}

/* One chatter message by who at t. */
static void chatter_one(struct gen *g, int32_t d, int64_t t, uint32_t who)
{
	struct member *mb = &g->m[who];
	int local_hour = (int)((t - g->mid0 - d * MS_DAY) / MS_HOUR);
	enum kind kind;
	const char *tpl = NULL;
	unsigned tags = 0;
	uint32_t reply = 0, to = 0, msg;
	const struct recent *r;

	if (local_hour >= 6 && local_hour < 10 && rng_chance(&g->rng, 280)) {
		if (rng_chance(&g->rng, 350)) {
			msg = add_msg(g, t, who, K_STICKER, NULL, T_GREETING, 0, 0);
		} else {
			msg = add_msg(g, t, who, K_TEXT, PICK(&g->rng, t_greeting), T_GREETING, 0,
			              0);
		}
		add_reactions(g, t, d, msg, who, 150);
		return;
	}
	kind = pick_kind(g, mb);
	switch (kind) {
	case K_TEXT:
		if (rng_chance(&g->rng, question_pm(mb))) {
			msg = add_msg(g, t, who, K_TEXT, PICK(&g->rng, t_question), T_QUESTION, 0,
			              0);
			ring_add(g, msg, who, t);
			add_reactions(g, t, d, msg, who, 200);
			add_answers(g, t, d, msg, who, UINT32_MAX, 750);
			return;
		}
		if (rng_chance(&g->rng, 380) && (r = ring_pick(g, who)) != NULL) {
			reply = r->msg;
			to = r->author + 1;
			tpl = PICK(&g->rng, t_reply);
		} else if (rng_chance(&g->rng, 60) && (r = ring_pick(g, who)) != NULL) {
			to = r->author + 1; /* a mention without a reply */
			tpl = PICK(&g->rng, t_mention);
		} else {
			tpl = PICK(&g->rng, t_chat);
		}
		break;
	case K_LINK: tpl = PICK(&g->rng, t_link); break;
	case K_ARTICLE: tpl = PICK(&g->rng, t_article); break;
	case K_DOCUMENT: tpl = PICK(&g->rng, t_document); break;
	case K_SHARE: tpl = PICK(&g->rng, t_share); break;
	case K_STICKER:
		/* Stickers answer what was just said. */
		if (rng_chance(&g->rng, 400) && (r = ring_pick(g, who)) != NULL) {
			reply = r->msg;
			to = r->author + 1;
		}
		break;
	default: break;
	}
	msg = add_msg(g, t, who, kind, tpl, tags, reply, to);
	if (kind != K_STICKER)
		ring_add(g, msg, who, t);
	add_reactions(g, t, d, msg, who, kind == K_STICKER ? 120 : reaction_pm(mb));
}

static void day_chatter(struct gen *g, int32_t d)
{
	g->n_slots = 0;
	for (uint32_t k = 0; k < g->n_speakers; k++) {
		uint32_t who = g->speakers[k];
		const struct member *mb = &g->m[who];
		unsigned count;
		if (d != mb->force_day && !rng_chance(&g->rng, mb->active_pm))
			continue;
		count = 1 + rng_geometric(&g->rng, mb->burst_pm, 30);
		for (unsigned i = 0; i < count; i++) {
			int64_t t = sample_time(g, d, mb->join_ms + MS_SECOND, mb->leave_ms);
			if (t > 0)
				slot_add(g, t, who);
		}
	}
	qsort(g->slots, g->n_slots, sizeof *g->slots, cmp_slot);
	for (size_t k = 0; k < g->n_slots; k++)
		chatter_one(g, d, g->slots[k].t, g->slots[k].who);
}

/* A Q&A evening hosted by an expert, announced in the morning. */
static void day_qa(struct gen *g, int32_t d)
{
	int64_t open = local_at(g, d, 20, 0), t;
	uint32_t host, staff, n_att = 0, *att;
	unsigned questions;

	if (g->n_experts == 0 || d % 3 != 2)
		return;
	host = g->experts[(uint32_t)(d / 3) % g->n_experts];
	if (!here(g, host, open - MS_MINUTE) || open < g->start)
		return;
	t = window_time(g, d, local_at(g, d, 10, 30), local_at(g, d, 12, 0));
	staff = pick_staff(g, t);
	if (t > 0 && here(g, staff, t))
		add_msg(g, t, staff, K_TEXT,
		        "Tonight 20:00: member Q&A on %T with our expert. Bring your questions!",
		        T_ANNOUNCE, 0, 0);
	t = local_at(g, d, 19, 30) + rng_range(&g->rng, 0, 2 * MS_MINUTE);
	if (here(g, staff, t))
		add_msg(g, t, staff, K_TEXT, "Q&A starts in 30 minutes, questions welcome",
		        T_ANNOUNCE, 0, 0);
	add_msg(g, open + rng_range(&g->rng, 0, MS_MINUTE), host, K_TEXT,
	        "Hi all, let's start. Today: %T for a %P, ask anything", T_ANNOUNCE, 0, 0);

	att = xcalloc(g->n_speakers, sizeof(uint32_t));
	for (uint32_t k = 0; k < g->n_speakers && n_att < 400; k++) {
		uint32_t who = g->speakers[k];
		const struct member *mb = &g->m[who];
		unsigned pm = mb->profile == P_LEADER                            ? 800
		              : mb->profile == P_EXPERT                          ? 700
		              : mb->profile == P_ADMIN || mb->profile == P_OWNER ? 600
		                                                                 : 230;
		int64_t when = open + rng_range(&g->rng, -5 * MS_MINUTE, 10 * MS_MINUTE);
		if (who == host || !rng_chance(&g->rng, pm) || !here(g, who, when))
			continue;
		add_named(g, when, E_ATTEND, who, "member-qa", 0);
		att[n_att++] = who;
	}
	questions = n_att / 2 + 1 < 30 ? n_att / 2 + 1 : 30;
	for (unsigned k = 0; k < questions && n_att > 0; k++) {
		uint32_t asker = att[rng_below(&g->rng, n_att)];
		int64_t when = open + rng_range(&g->rng, 2 * MS_MINUTE, 52 * MS_MINUTE);
		uint32_t q;
		if (g->m[asker].profile == P_EXPERT || !here(g, asker, when))
			continue;
		q = add_msg(g, when, asker, K_TEXT, PICK(&g->rng, t_question), T_QUESTION, 0, 0);
		add_reactions(g, when, d, q, asker, 250);
		add_answers(g, when, d, q, asker, host, 920);
	}
	t = local_at(g, d, 21, 0) + rng_range(&g->rng, 0, 5 * MS_MINUTE);
	if (here(g, host, t)) {
		uint32_t msg = add_msg(
		        g, t, host, K_SHARE,
		        "thanks everyone! slides: https://pan.example.com/s/%K code %K", 0, 0, 0);
		add_reactions(g, t, d, msg, host, 750);
	}
	/* A few attendees buy the course afterwards. */
	for (unsigned k = 0; k < 3 && n_att > 0; k++) {
		uint32_t who = att[rng_below(&g->rng, n_att)];
		int64_t when = local_at(g, d, 21, 10) + rng_range(&g->rng, 0, 110 * MS_MINUTE);
		if (rng_chance(&g->rng, 350) && here(g, who, when)) {
			struct ev *e = push(g, when, E_PURCHASE, who);
			e->amount = 19900;
		}
	}
	free(att);
}

/* A red envelope: the sender's message and send, then a rush of claims,
 * then thanks. */
static void day_envelope(struct gen *g, int32_t d)
{
	int64_t t;
	uint32_t sender, shares, present = 0;
	int64_t total, left;
	uint64_t wsum = 0;
	uint32_t *weight;

	if (d % 5 != 4 && d != g->days - 1)
		return;
	t = d % 3 == 2 ? local_at(g, d, 21, 8) + rng_range(&g->rng, 0, 20 * MS_MINUTE)
	               : window_time(g, d, local_at(g, d, 12, 0), local_at(g, d, 13, 0));
	if (t < 0)
		return;
	sender = rng_chance(&g->rng, 400) ? 0 : pick_staff(g, t);
	if (!here(g, sender, t))
		return;
	add_msg(g, t, sender, K_ENVELOPE, PICK(&g->rng, t_envelope), 0, 0, 0);

	g->n_slots = 0;
	for (uint32_t i = 0; i < g->n; i++) {
		const struct member *mb = &g->m[i];
		unsigned pm;
		int64_t delay;
		if (i == sender || !here(g, i, t))
			continue;
		present++;
		switch (mb->profile) {
		case P_ENVELOPE: pm = 900; break;
		case P_ONLOOKER:
		case P_SPAMMER: pm = 0; break;
		case P_QUIET: pm = 300; break;
		default: pm = 420; break;
		}
		if (!rng_chance(&g->rng, pm))
			continue;
		/* Those who are only here for envelopes are the quickest. */
		delay = mb->profile == P_ENVELOPE
		                ? rng_range(&g->rng, MS_SECOND, 90 * MS_SECOND)
		                : rng_range(&g->rng, 2 * MS_SECOND, 15 * MS_MINUTE);
		if (t + delay < day_end(g, d) && here(g, i, t + delay))
			slot_add(g, t + delay, i);
	}
	shares = present / 4;
	shares = shares < 5 ? 5 : shares > 100 ? 100 : shares;
	total = (int64_t)shares * rng_range(&g->rng, 50, 400);
	{
		struct ev *e = push(g, t, E_ENVELOPE, sender);
		e->op = 1;
		e->amount = total;
	}
	qsort(g->slots, g->n_slots, sizeof *g->slots, cmp_slot);
	if (g->n_slots < shares)
		shares = (uint32_t)g->n_slots;
	weight = xcalloc(shares, sizeof(uint32_t));
	for (uint32_t k = 0; k < shares; k++) {
		weight[k] = 1 + (uint32_t)rng_below(&g->rng, 100);
		wsum += weight[k];
	}
	/* Random shares that add up to the total, at least a cent each. */
	left = total;
	for (uint32_t k = 0; k < shares; k++) {
		const struct slot *s = &g->slots[k];
		struct member *mb = &g->m[s->who];
		int64_t amount =
		        k + 1 == shares ? left
		                        : 1 + (total - (int64_t)shares) * weight[k] / (int64_t)wsum;
		struct ev *e = push(g, s->t, E_ENVELOPE, s->who);
		e->op = 2;
		e->amount = amount;
		left -= amount;
		mb->claims++;
		if (speaks(mb) && (mb->quit_day == NO_DAY || d <= mb->quit_day) &&
		    rng_chance(&g->rng, 350)) {
			int64_t when = s->t + rng_range(&g->rng, 5 * MS_SECOND, 5 * MS_MINUTE);
			if (when < day_end(g, d) && here(g, s->who, when)) {
				if (rng_chance(&g->rng, 500))
					add_msg(g, when, s->who, K_STICKER, NULL, 0, 0, 0);
				else {
					/* one draw a statement (see add_nick) */
					uint32_t to = rng_chance(&g->rng, 500) ? sender + 1 : 0;
					add_msg(g, when, s->who, K_TEXT, PICK(&g->rng, t_thanks), 0, 0, to);
				}
			}
		}
	}
	free(weight);
}

/* A spammer's ad, the same every time: expanded with a generator seeded
 * from the spammer, leaving the day's generator where it was. */
static uint32_t spam_text(struct gen *g, uint32_t who, uint32_t *len, bool *link)
{
	struct rng keep = g->rng;
	uint32_t off;
	const char *tpl;
	rng_seed(&g->rng, g->seed ^ ((uint64_t)who << 32 | 0x5A5Au));
	tpl = PICK(&g->rng, t_spam);
	*link = strstr(tpl, "https://") != NULL;
	off = expand(g, tpl, 0, len);
	g->rng = keep;
	return off;
}

/* Spammer 0 floods once and is reported, cleaned up and kicked; spammer 1
 * posts an ad every few days and is warned. */
static void day_spam(struct gen *g, int32_t d)
{
	for (uint32_t k = 0; k < g->n_spammers; k++) {
		uint32_t who = g->spammers[k];
		struct member *mb = &g->m[who];
		uint32_t first, last = 0, staff;
		int64_t t, when;
		unsigned flood;
		uint32_t text, text_len;
		bool link;
		if (mb->kicked || d < mb->join_day)
			continue;
		if (k == 1 && (d - mb->join_day) % 3 != 0)
			continue;
		if (k == 0 && d != mb->join_day && d != mb->join_day + 1)
			continue;
		if (k == 0 && d == mb->join_day && rng_chance(&g->rng, 500) && d < g->days - 1)
			continue;
		t = sample_time(g, d, mb->join_ms + 5 * MS_MINUTE, day_end(g, d) - MS_HOUR);
		if (t < 0)
			continue;
		/* The same ad, again and again: each spammer's text comes from
		 * a generator of its own, so every post repeats it. */
		text = spam_text(g, who, &text_len, &link);
		flood = k == 0 ? 6 + (unsigned)rng_below(&g->rng, 4) : 1;
		first = g->next_msg + 1;
		for (unsigned i = 0; i < flood; i++) {
			struct ev *e = push(g, t, E_MSG, who);
			e->msg = last = ++g->next_msg;
			e->kind = link ? K_LINK : K_TEXT;
			e->text = text;
			e->text_len = text_len;
			e->has_text = true;
			mb->messages++;
			mb->last_msg_ms = t;
			t += rng_range(&g->rng, 800, 4 * MS_SECOND);
		}
		for (unsigned i = 0, reports = 1 + (unsigned)rng_below(&g->rng, 3); i < reports;
		     i++) {
			when = t + rng_range(&g->rng, MS_MINUTE, 10 * MS_MINUTE);
			uint32_t reporter = pick_speaker(g, who, when);
			if (reporter != UINT32_MAX) {
				struct ev *e = push(g, when, E_REPORT, reporter);
				e->other = who + 1;
				e->msg = last;
			}
		}
		when = t + rng_range(&g->rng, 10 * MS_MINUTE, 25 * MS_MINUTE);
		staff = pick_staff(g, when);
		if (!here(g, staff, when))
			continue;
		if (k == 1) {
			add_msg(g, when, staff, K_TEXT,
			        "please no ads in this group, read the rules", T_WARNING, 0,
			        who + 1);
			if (rng_chance(&g->rng, 500)) {
				struct ev *e = push(g, when + MS_SECOND, E_DELETE, who);
				e->msg = last;
				e->other = staff + 1;
			}
			continue;
		}
		for (uint32_t m = first; m <= last; m++) {
			struct ev *e = push(g, when, E_DELETE, who);
			e->msg = m;
			e->other = staff + 1;
			when += rng_range(&g->rng, 500, 3 * MS_SECOND);
		}
		when += rng_range(&g->rng, 5 * MS_SECOND, 40 * MS_SECOND);
		{
			struct ev *e = push(g, when, E_KICK, who);
			e->other = staff + 1;
		}
		mb->kicked = true;
		mb->leave_ms = when;
		add_msg(g, when + rng_range(&g->rng, 10 * MS_SECOND, MS_MINUTE), staff, K_TEXT,
		        "Removed an ad account. Reminder: no ads here, thanks for reporting",
		        T_ANNOUNCE, 0, 0);
	}
}

/* Staff routine: a morning greeting and the evening digest. */
static void day_staff(struct gen *g, int32_t d)
{
	int64_t t = window_time(g, d, local_at(g, d, 7, 45), local_at(g, d, 8, 30));
	uint32_t staff;
	if (t > 0 && rng_chance(&g->rng, 600)) {
		staff = pick_staff(g, t);
		if (here(g, staff, t)) {
			uint32_t msg = add_msg(g, t, staff, K_TEXT, PICK(&g->rng, t_greeting),
			                       T_GREETING, 0, 0);
			add_reactions(g, t, d, msg, staff, 300);
		}
	}
	t = window_time(g, d, local_at(g, d, 22, 0), local_at(g, d, 22, 5));
	if (t > 0 && rng_chance(&g->rng, 700)) {
		staff = pick_staff(g, t);
		if (here(g, staff, t))
			add_msg(g, t, staff, K_TEXT, "Today's digest:\n1. %X\n2. %A\n3. %M, %N%",
			        T_ANNOUNCE, 0, 0);
	}
	/* Now and then someone renames; halfway through the owner recognises
	 * the first opinion leader. */
	for (uint32_t k = 0; k < g->n_speakers; k++) {
		uint32_t who = g->speakers[k];
		if (rng_chance(&g->rng, 3)) {
			t = sample_time(g, d, g->m[who].join_ms + MS_MINUTE, g->m[who].leave_ms);
			if (t > 0)
				add_nick(g, t, who);
		}
	}
	if (d == g->days / 2 && g->n_leaders > 0) {
		t = window_time(g, d, local_at(g, d, 12, 0), local_at(g, d, 13, 0));
		if (t > 0 && here(g, g->leaders[0], t))
			add_named(g, t, E_ROLE, g->leaders[0], "+opinion-leader", 1);
	}
}

/* ---- Output ----------------------------------------------------------- */

#define OBUF_SIZE (1u << 20)

static void out_flush(struct gen *g)
{
	if (g->olen > 0 && fwrite(g->obuf, 1, g->olen, g->out) != g->olen)
		g->write_failed = true;
	g->olen = 0;
}

static void out_bytes(struct gen *g, const char *s, size_t n)
{
	if (g->olen + n > OBUF_SIZE) {
		out_flush(g);
		if (n > OBUF_SIZE) {
			if (fwrite(s, 1, n, g->out) != n)
				g->write_failed = true;
			return;
		}
	}
	memcpy(g->obuf + g->olen, s, n);
	g->olen += n;
}

static void out_str(struct gen *g, const char *s)
{
	out_bytes(g, s, strlen(s));
}

static void out_u64(struct gen *g, uint64_t v)
{
	char buf[24];
	int i = 24;
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	out_bytes(g, buf + i, (size_t)(24 - i));
}

static void out_i64(struct gen *g, int64_t v)
{
	if (v < 0) {
		out_bytes(g, "-", 1);
		out_u64(g, 0 - (uint64_t)v);
	} else {
		out_u64(g, (uint64_t)v);
	}
}

/* A value with tab, newline and backslash escaped. */
static void out_escaped(struct gen *g, const char *s, size_t n)
{
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		const char *esc = s[i] == '\t'   ? "\\t"
		                  : s[i] == '\n' ? "\\n"
		                  : s[i] == '\\' ? "\\\\"
		                                 : NULL;
		if (!esc)
			continue;
		out_bytes(g, s + run, i - run);
		out_bytes(g, esc, 2);
		run = i + 1;
	}
	out_bytes(g, s + run, n - run);
}

static void out_field(struct gen *g, const char *key)
{
	out_bytes(g, "\t", 1);
	out_str(g, key);
}

static void out_member(struct gen *g, const char *key, uint32_t who)
{
	out_field(g, key);
	out_str(g, g->m[who].id);
}

static void out_msg(struct gen *g, const char *key, uint32_t msg)
{
	if (msg >= g->msg_map_cap || g->msg_map[msg] == 0) {
		fprintf(stderr,
		        "kith-gen: internal error: message %" PRIu32
		        " used before it was written\n",
		        msg);
		exit(1);
	}
	out_field(g, key);
	out_bytes(g, "m", 1);
	out_u64(g, g->msg_map[msg]);
}

/* Characters (code points) of a UTF-8 text. */
static uint32_t utf8_length(const char *s, size_t n)
{
	uint32_t count = 0;
	for (size_t i = 0; i < n; i++)
		count += ((unsigned char)s[i] & 0xC0) != 0x80;
	return count;
}

static void out_tags(struct gen *g, unsigned tags)
{
	bool first = true;
	if (tags == 0)
		return;
	out_field(g, "tags=");
	for (unsigned k = 0; k < 8; k++) {
		if (!(tags & (1u << k)))
			continue;
		if (!first)
			out_bytes(g, ",", 1);
		out_str(g, tag_names[k]);
		first = false;
	}
	if (tags & T_TOPIC) {
		if (!first)
			out_bytes(g, ",", 1);
		out_str(g, topics[(tags / 512) % 4]);
	}
}

static void out_event(struct gen *g, const struct ev *e)
{
	const char *text = g->text + e->text;
	out_i64(g, e->t);
	out_bytes(g, "\t", 1);
	out_str(g, ev_names[e->type]);
	out_bytes(g, "\t", 1);
	out_str(g, g->m[e->actor].id);
	switch (e->type) {
	case E_JOIN:
	case E_KICK:
		if (e->other)
			out_member(g, "by=", e->other - 1);
		break;
	case E_MSG:
		if (e->msg >= g->msg_map_cap) {
			size_t old = g->msg_map_cap;
			g->msg_map_cap = (size_t)e->msg * 2 + 1024;
			g->msg_map = xrealloc(g->msg_map, g->msg_map_cap * sizeof *g->msg_map);
			memset(g->msg_map + old, 0, (g->msg_map_cap - old) * sizeof *g->msg_map);
		}
		g->msg_map[e->msg] = ++g->written_msgs;
		out_msg(g, "id=", e->msg);
		out_field(g, "kind=");
		out_str(g, kind_names[e->kind]);
		if (e->has_text) {
			out_field(g, "len=");
			out_u64(g, utf8_length(text, e->text_len));
		}
		if (e->reply)
			out_msg(g, "reply=", e->reply);
		if (e->other)
			out_member(g, "to=", e->other - 1);
		out_tags(g, e->tags);
		if (e->has_text) {
			out_field(g, "text=");
			out_escaped(g, text, e->text_len);
		}
		break;
	case E_REACT:
		out_msg(g, "msg=", e->msg);
		out_member(g, "to=", e->other - 1);
		break;
	case E_NICK:
		out_field(g, "name=");
		out_escaped(g, text, e->text_len);
		break;
	case E_ROLE:
		out_field(g, "role=");
		out_escaped(g, text, e->text_len);
		out_member(g, "by=", e->other - 1);
		break;
	case E_REPORT:
		out_member(g, "target=", e->other - 1);
		out_msg(g, "msg=", e->msg);
		break;
	case E_ATTEND:
		out_field(g, "activity=");
		out_escaped(g, text, e->text_len);
		break;
	case E_ENVELOPE:
		out_field(g, e->op == 1 ? "op=send" : "op=claim");
		out_field(g, "amount=");
		out_i64(g, e->amount);
		break;
	case E_DELETE:
		out_msg(g, "msg=", e->msg);
		out_member(g, "by=", e->other - 1);
		break;
	case E_PURCHASE:
		out_field(g, "amount=");
		out_i64(g, e->amount);
		break;
	default: break;
	}
	out_bytes(g, "\n", 1);
}

static int cmp_ev(const void *a, const void *b)
{
	const struct ev *x = a, *y = b;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* ---- Ground truth ----------------------------------------------------- */

static const char *category(const struct gen *g, const struct member *mb)
{
	switch (mb->profile) {
	case P_OWNER: return "owner";
	case P_ADMIN: return "admin";
	case P_SPAMMER: return "spammer";
	default: break;
	}
	if (mb->join_ms >= g->end - NEWCOMER_DAYS * MS_DAY)
		return "newcomer";
	if (mb->profile == P_LEADER)
		return "opinion-leader";
	if (mb->profile == P_EXPERT)
		return "expert";
	if (mb->messages == 0)
		return mb->claims > 0 ? "envelope-only" : "onlooker";
	if (mb->last_msg_ms < g->end - QUIET_DAYS * MS_DAY)
		return "quiet";
	return "member";
}

static int write_truth(const struct gen *g, const char *path)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "kith-gen: %s: %s\n", path, strerror(errno));
		return 1;
	}
	for (uint32_t i = 0; i < g->n; i++)
		fprintf(f, "%s\t%s\n", g->m[i].id, category(g, &g->m[i]));
	if (fclose(f) != 0) {
		fprintf(stderr, "kith-gen: %s: %s\n", path, strerror(errno));
		return 1;
	}
	return 0;
}

/* ---- main ------------------------------------------------------------- */

static void usage(FILE *f)
{
	fputs("usage: kith-gen [--seed N] [--members N] [--days N] [--start MS] [--truth FILE] > "
	      "trace\n"
	      "Write a realistic, deterministic kith-trace 1 of an online group community.\n"
	      "  --seed N      random seed (default 1); the same seed gives the same bytes\n"
	      "  --members N   members ever seen, 1 .. 10000000 (default 200)\n"
	      "  --days N      days simulated, 1 .. 3650 (default 30)\n"
	      "  --start MS    start time, ms since the Unix epoch (default 1793462400000,\n"
	      "                2026-11-01 00:00 at UTC+08:00, the community's offset)\n"
	      "  --truth FILE  write \"id<TAB>category\" per member to FILE\n",
	      f);
}

static bool parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
	char *end;
	unsigned long long v;
	if (!s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	/* Decimal, or hexadecimal with 0x; never octal by accident. */
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		if (!isxdigit((unsigned char)s[2]))
			return false;
		v = strtoull(s + 2, &end, 16);
	} else {
		v = strtoull(s, &end, 10);
	}
	if (errno || *end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

int main(int argc, char **argv)
{
	struct gen g;
	uint64_t seed = 1, members = 200, days = 30, start = (uint64_t)DEFAULT_START;
	const char *truth = NULL;
	int64_t last_t = INT64_MIN;
	int status = 0;

	/* Every option takes a value: step over both. */
	for (int i = 1; i < argc; i += 2) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		bool ok;
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(a, "--seed") == 0) {
			ok = parse_u64(v, 0, UINT64_MAX, &seed);
		} else if (strcmp(a, "--members") == 0) {
			ok = parse_u64(v, 1, MEMBERS_MAX, &members);
		} else if (strcmp(a, "--days") == 0) {
			ok = parse_u64(v, 1, DAYS_MAX, &days);
		} else if (strcmp(a, "--start") == 0) {
			/* Up to the year 9999, so every time fits comfortably. */
			ok = parse_u64(v, 0,
			               UINT64_C(253402300799999) - DAYS_MAX * (uint64_t)MS_DAY,
			               &start);
		} else if (strcmp(a, "--truth") == 0) {
			ok = v != NULL;
			truth = v;
		} else {
			fprintf(stderr, "kith-gen: unknown option '%s'\n", a);
			usage(stderr);
			return 2;
		}
		if (!ok) {
			fprintf(stderr, "kith-gen: bad or missing value for %s%s%s\n", a,
			        v ? ": " : "", v ? v : "");
			usage(stderr);
			return 2;
		}
	}

	memset(&g, 0, sizeof g);
	rng_seed(&g.rng, seed);
	g.seed = seed;
	g.n = (uint32_t)members;
	g.days = (int32_t)days;
	g.start = (int64_t)start;
	{
		int64_t local = g.start + UTC_OFFSET_MS;
		int64_t into_day = ((local % MS_DAY) + MS_DAY) % MS_DAY;
		g.mid0 = g.start - into_day;
	}
	g.end = g.mid0 + g.days * MS_DAY;
	g.out = stdout;
	g.obuf = xrealloc(NULL, OBUF_SIZE);
	g.m = xcalloc(g.n, sizeof *g.m);
	g.speakers = xcalloc(g.n, sizeof(uint32_t));
	g.helpers = xcalloc(g.n, sizeof(uint32_t));
	/* A few campaign days bring waves of newcomers. */
	for (int k = 0; k < 1 + g.days / 10; k++)
		g.campaign[rng_below(&g.rng, (uint64_t)g.days)] = true;

	assign_profiles(&g);
	plan_members(&g);
	plan_invites(&g);

	out_str(&g, "kith-trace 1\n# generated by kith-gen --seed ");
	out_u64(&g, seed);
	out_str(&g, " --members ");
	out_u64(&g, members);
	out_str(&g, " --days ");
	out_u64(&g, days);
	out_str(&g, " --start ");
	out_u64(&g, start);
	out_str(&g, "\n# a WeChat-style growth community at UTC+08:00\n");

	for (int32_t d = 0; d < g.days; d++) {
		g.n_ev = 0;
		g.text_len = 0;
		day_cast(&g, d);
		day_joins(&g, d);
		day_spam(&g, d);
		day_qa(&g, d);
		day_envelope(&g, d);
		day_staff(&g, d);
		day_chatter(&g, d);
		day_leaves(&g, d);
		qsort(g.ev, g.n_ev, sizeof *g.ev, cmp_ev);
		for (size_t k = 0; k < g.n_ev; k++) {
			/* Every event of day d lies within it, so sorting the day
			 * keeps the whole trace in order; check it anyway. */
			if (g.ev[k].t < last_t || g.ev[k].t >= day_end(&g, d)) {
				fprintf(stderr,
				        "kith-gen: internal error: event out of order on day %d\n",
				        (int)d);
				return 1;
			}
			last_t = g.ev[k].t;
			out_event(&g, &g.ev[k]);
		}
	}
	out_flush(&g);
	if (fflush(stdout) != 0 || g.write_failed || ferror(stdout)) {
		fprintf(stderr, "kith-gen: writing the trace failed: %s\n", strerror(errno));
		status = 1;
	}
	if (status == 0 && truth)
		status = write_truth(&g, truth);

	free(g.obuf);
	free(g.m);
	free(g.speakers);
	free(g.helpers);
	free(g.admins);
	free(g.leaders);
	free(g.experts);
	free(g.spammers);
	free(g.ev);
	free(g.text);
	free(g.slots);
	free(g.msg_map);
	return status;
}
