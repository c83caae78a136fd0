/*
 * The seeds engine on a generated community: a plan of opinion leaders
 * (k = 10% of present members) for 100,000 and 1,000,000 members.
 *
 *   seeds-community-100k  seconds   one kith_seeds_plan_new (target: 1 s)
 *   seeds-community-1m    seconds   the same over a million members
 *
 * Each also prints, as its peer measured in the same run, the time of the
 * core's own selection (kith_seeds_graph_select, coverage alone, the same
 * online bounds, epsilon, k and random seed) on the plan's influence
 * graph, built from the community's edges, and the ratio of the two: what
 * the engine costs beyond influence maximisation itself.
 *
 * The community is built through the public event API, deterministically:
 * three messages a member on average, members joining one after another;
 * half the messages after a member's first reply to an earlier message
 * chosen with a heavy bias towards early ones (the regulars everybody
 * answers), and one message in ten draws a reaction.
 *
 * SPDX-License-Identifier: MIT
 */
#include "benchutil.h"

#include <kith.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T0 INT64_C(1700000000000)

static uint64_t rng = 0x9e3779b97f4a7c15u;

static uint64_t next(void)
{
	/* splitmix64 */
	uint64_t z = (rng += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static double uniform(void)
{
	return (double)(next() >> 11) / 9007199254740992.0;
}

struct built {
	kith_community *c;
	size_t events;
};

static struct built build(uint32_t members)
{
	size_t messages = (size_t)members * 3;
	char (*ids)[12] = xmalloc(messages * sizeof *ids);
	char (*names)[12] = xmalloc((size_t)members * sizeof *names);
	uint32_t *author = xmalloc(messages * sizeof *author);
	kith_event *evs = xmalloc(2 * messages * sizeof *evs);
	for (uint32_t i = 0; i < members; i++)
		snprintf(names[i], sizeof names[i], "u%u", (unsigned)i);
	size_t n = 0;
	uint32_t joined = 0;
	int64_t t = T0;
	for (size_t m = 0; m < messages; m++) {
		t += 500;
		uint32_t who;
		/* The first message of each member in turn, spread over the run. */
		if (joined < members && (m % 3 == 0 || messages - m <= members - joined))
			who = joined++;
		else
			who = (uint32_t)(uniform() * joined);
		snprintf(ids[m], sizeof ids[m], "m%zu", m);
		author[m] = who;
		kith_event ev = KITH_EVENT_INIT;
		ev.type = KITH_EVENT_MESSAGE;
		ev.time_ms = t;
		ev.actor = names[who];
		ev.actor_len = KITH_NUL_TERMINATED;
		ev.msg_id = ids[m];
		ev.msg_id_len = KITH_NUL_TERMINATED;
		ev.kind = KITH_KIND_TEXT;
		ev.length = 40;
		if (m > 0 && (next() & 1)) {
			double u = uniform();
			size_t to = (size_t)(u * u * u * (double)m);
			ev.reply_to = ids[to];
			ev.reply_to_len = KITH_NUL_TERMINATED;
			ev.to = names[author[to]];
			ev.to_len = KITH_NUL_TERMINATED;
		}
		evs[n++] = ev;
		if (m > 0 && next() % 10 == 0) {
			size_t on = (size_t)(uniform() * (double)m);
			kith_event r = KITH_EVENT_INIT;
			r.type = KITH_EVENT_REACTION;
			r.time_ms = t;
			r.actor = names[(uint32_t)(uniform() * joined)];
			r.actor_len = KITH_NUL_TERMINATED;
			r.msg_id = ids[on];
			r.msg_id_len = KITH_NUL_TERMINATED;
			r.to = names[author[on]];
			r.to_len = KITH_NUL_TERMINATED;
			evs[n++] = r;
		}
	}
	struct built b = {NULL, n};
	kith_status st = kith_community_new(&b.c);
	if (st != KITH_OK)
		die("kith_community_new", NULL, st);
	size_t done = 0;
	st = kith_community_ingest_array(b.c, evs, n, &done);
	if (st != KITH_OK)
		die("kith_community_ingest_array", b.c, st);
	free(ids);
	free(names);
	free(author);
	free(evs);
	return b;
}

/* The core alone on the plan's own influence graph, built here from the
 * community's edges by the rule the header documents (a reply or a
 * reaction from A to B counts for B -> A, an invitation from A to B for
 * A -> B; weighted cascade; every member is present here, so node v is
 * member v). */
static double core_seconds(kith_community *c, uint32_t k)
{
	uint32_t nodes = (uint32_t)kith_community_member_count(c);
	size_t edges = kith_community_edge_count(c), m = 0;
	uint32_t *src = xmalloc(2 * edges * sizeof *src), *dst = xmalloc(2 * edges * sizeof *dst);
	double *p = xmalloc(2 * edges * sizeof *p), *in = calloc(nodes, sizeof *in);
	if (!in)
		die("calloc", NULL, KITH_ENOMEM);
	for (size_t e = 0; e < edges; e++) {
		uint32_t s, t, counts[4];
		if (kith_community_edge(c, e, &s, &t, counts) != KITH_OK || s == t)
			continue;
		double attention = (double)counts[KITH_INTERACTION_REPLY] +
		                   (double)counts[KITH_INTERACTION_REACTION];
		if (attention > 0) {
			src[m] = t, dst[m] = s, p[m++] = attention;
			in[s] += attention;
		}
		if (counts[KITH_INTERACTION_INVITE]) {
			src[m] = s, dst[m] = t, p[m++] = counts[KITH_INTERACTION_INVITE];
			in[t] += counts[KITH_INTERACTION_INVITE];
		}
	}
	for (size_t e = 0; e < m; e++)
		p[e] /= in[dst[e]];
	kith_seeds_graph *g;
	kith_status st = kith_seeds_graph_new(&g, nodes);
	if (st == KITH_OK)
		st = kith_seeds_graph_add_edges(g, m, src, dst, p);
	if (st == KITH_OK)
		st = kith_seeds_graph_set_bounds(g, KITH_SEEDS_BOUNDS_ONLINE);
	if (st != KITH_OK)
		die("kith_seeds_graph", NULL, st);
	kith_seeds_selection *sel;
	double t0 = now_s();
	st = kith_seeds_graph_select(g, k, KITH_SEEDS_IC, 0.2, 1, &sel);
	double secs = now_s() - t0;
	if (st != KITH_OK)
		die(kith_seeds_graph_last_error(g), NULL, st);
	kith_seeds_selection_free(sel);
	kith_seeds_graph_free(g);
	free(src);
	free(dst);
	free(p);
	free(in);
	return secs;
}

static void run(const char *name, uint32_t members)
{
	double t0 = now_s();
	struct built b = build(members);
	printf("# %s: built %u members from %zu events in %.2f s; %zu edges\n", name,
	       (unsigned)members, b.events, now_s() - t0, kith_community_edge_count(b.c));
	kith_seeds_plan *plan;
	t0 = now_s();
	kith_status st = kith_seeds_plan_new(b.c, kith_community_last_event_ms(b.c),
	                                     KITH_SEEDS_OPINION_LEADERS, NULL, 0, &plan);
	double secs = now_s() - t0;
	if (st != KITH_OK)
		die("kith_seeds_plan_new", b.c, st);
	printf("# %s: %zu seeds, coverage %.0f of %zu present\n", name, kith_seeds_plan_count(plan),
	       kith_seeds_plan_coverage(plan), kith_community_present_count(b.c));
	if (kith_community_present_count(b.c) != members)
		die("every generated member should be present", b.c, KITH_ESTATE);
	double core = core_seconds(b.c, (uint32_t)kith_seeds_plan_k(plan));
	report(name, "seconds", secs, "s");
	report(name, "core_select_seconds", core, "s");
	report(name, "ratio_vs_core_select", core / secs, "1");
	kith_seeds_plan_free(plan);
	kith_community_free(b.c);
}

int main(int argc, char **argv)
{
	bench_program = "bench-seeds-community";
	bool quick = argc > 1 && strcmp(argv[1], "--quick") == 0;
	run("seeds-community-100k", 100000);
	if (!quick)
		run("seeds-community-1m", 1000000);
	return 0;
}
