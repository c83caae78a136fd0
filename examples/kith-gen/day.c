/*
 * kith-gen: one day of the community: joins and leaves, chatter, Q&A, red
 * envelopes, spam and the staff's work.
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

/* ---- The texts of a day's messages ------------------------------------- */

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

void day_joins(struct gen *g, int32_t d)
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

void day_leaves(struct gen *g, int32_t d)
{
	for (uint32_t i = 0; i < g->n; i++) {
		const struct member *mb = &g->m[i];
		if (mb->leave_ms != NEVER && !mb->kicked && mb->leave_ms >= day_start(g, d) &&
		    mb->leave_ms < day_end(g, d))
			push(g, mb->leave_ms, E_LEAVE, i);
	}
}

/* Who may speak, react or answer today. */
void day_cast(struct gen *g, int32_t d)
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

void day_chatter(struct gen *g, int32_t d)
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
void day_qa(struct gen *g, int32_t d)
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
void day_envelope(struct gen *g, int32_t d)
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
					add_msg(g, when, s->who, K_TEXT, PICK(&g->rng, t_thanks), 0,
					        0, to);
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
void day_spam(struct gen *g, int32_t d)
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
void day_staff(struct gen *g, int32_t d)
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
