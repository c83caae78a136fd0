/*
 * kith-gen: the cast: member ids, profiles, join days and invitation chains.
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

void assign_profiles(struct gen *g)
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
void plan_members(struct gen *g)
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
void plan_invites(struct gen *g)
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
