/*
 * kith-gen: building events: texts from templates and word lists, messages,
 * reactions, answers, and who is around to speak.
 *
 * SPDX-License-Identifier: MIT
 */
#include "gen.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Words the templates and names draw from ---------------------------- */

const char *const topics[] = {"fission", "growth", "referral", "operations"};
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
uint32_t expand(struct gen *g, const char *tpl, unsigned topic, uint32_t *len)
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

struct ev *push(struct gen *g, int64_t t, enum ev_type type, uint32_t actor)
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
uint32_t add_msg(struct gen *g, int64_t t, uint32_t who, enum kind kind, const char *tpl,
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

void add_named(struct gen *g, int64_t t, enum ev_type type, uint32_t who, const char *s,
               uint32_t other)
{
	struct ev *e = push(g, t, type, who);
	e->text = text_put(g, s, strlen(s));
	e->text_len = (uint32_t)strlen(s);
	e->has_text = true;
	e->other = other;
}

void add_nick(struct gen *g, int64_t t, uint32_t who)
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
void ring_add(struct gen *g, uint32_t msg, uint32_t author, int64_t t)
{
	g->ring[g->ring_head] = (struct recent){msg, author, t};
	g->ring_head = (g->ring_head + 1) % RING;
	if (g->ring_count < RING)
		g->ring_count++;
}

/* A recent message not by who, the newest most likely; NULL if none. */
const struct recent *ring_pick(struct gen *g, uint32_t who)
{
	for (int tries = 0; tries < 4 && g->ring_count > 0; tries++) {
		unsigned back = rng_geometric(&g->rng, 700, g->ring_count - 1);
		const struct recent *r = &g->ring[(g->ring_head + RING - 1 - back) % RING];
		if (r->author != who)
			return r;
	}
	return NULL;
}

bool speaks(const struct member *mb)
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
uint32_t pick_speaker(struct gen *g, uint32_t not, int64_t t)
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
uint32_t pick_staff(struct gen *g, int64_t t)
{
	if (g->n_admins > 0 && rng_chance(&g->rng, 800)) {
		uint32_t who = g->admins[rng_below(&g->rng, g->n_admins)];
		if (here(g, who, t))
			return who;
	}
	return 0;
}

/* Reactions to a message: a few members, minutes to hours later. */
void add_reactions(struct gen *g, int64_t t, int32_t d, uint32_t msg, uint32_t author, unsigned pm)
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

unsigned reaction_pm(const struct member *mb)
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
void add_answers(struct gen *g, int64_t t, int32_t d, uint32_t q, uint32_t asker, uint32_t host,
                 unsigned chance_pm)
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

void slot_add(struct gen *g, int64_t t, uint32_t who)
{
	if (g->n_slots == g->cap_slots) {
		g->cap_slots = g->cap_slots ? g->cap_slots * 2 : 1024;
		g->slots = xrealloc(g->slots, g->cap_slots * sizeof *g->slots);
	}
	g->slots[g->n_slots] = (struct slot){t, who, (uint32_t)g->n_slots};
	g->n_slots++;
}

int cmp_slot(const void *a, const void *b)
{
	const struct slot *x = a, *y = b;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}
