/*
 * Seeds plans (include/kith/seeds.h): every member weighed in one pass
 * (criteria, penalties, exclusions), the interaction graph of the present
 * members turned into an influence graph, RR sets sampled on it as the
 * core's bounds call for, and a lazy greedy over quality plus lambda
 * times RR-set coverage.
 *
 * The greedy keeps a max-heap of (gain, node) whose gains are refreshed
 * only when they reach the top: a node's gain is its quality, which never
 * changes, plus lambda times the RR sets it holds that no seed covers
 * yet, which only goes down. A node popped whose refreshed gain still
 * beats the new top is the best, as every other gain in the heap is an
 * upper bound of its own.
 *
 * SPDX-License-Identifier: MIT
 */
#include "engines/seeds/engine.h"
#include "engines/seeds/imm.h"

#include "model/community.h"
#include "util/lex.h"
#include "util/text.h"

#include <math.h>
#include <string.h>

#define EXCLUSIONS 6 /* kith_seeds_exclusion values, 0 unused */
#define CRITERIA   KITH_SEEDS_CRITERION_COUNT

struct plan_seed {
	uint32_t member;
	double gain, quality, reach;
	double criteria[CRITERIA];
	size_t id_off, id_len;
	size_t tag_off; /* SIZE_MAX: no interest tag */
};

struct kith_seeds_plan {
	struct kith_mem mem;
	int64_t now_ms;
	kith_seeds_preset preset;
	kith_seeds_model model;
	size_t k, count;
	double lambda, coverage;
	double weight[CRITERIA];
	size_t samples, present, eligible, diversity;
	size_t capped; /* eligible members passed over for the diversity cap */
	size_t excluded[EXCLUSIONS];
	struct plan_seed *seeds;
	struct kith_strings ids;
};

/* What a preset gives: weights by criterion, lambda, the share k. */
struct preset {
	double weight[CRITERIA];
	double lambda, k_share;
};

static const struct preset presets[] = {
	[KITH_SEEDS_SEED_USERS] = {{3, 3, 3, 1, 1, 1, 2, 3}, 0.05, 0.1},
	[KITH_SEEDS_OPINION_LEADERS] = {{0.5, 0.5, 1, 3, 3, 3, 2, 3}, 0.2, 0.1},
};

static const char *const criterion_names[CRITERIA] = {
	"need", "openness", "feedback", "content", "activity", "reach", "complaints", "violations",
};

static const char *const exclusion_names[EXCLUSIONS] = {
	NULL, "banned", "absent", "denied", "staff", "low-quality",
};

const char *kith_seeds_criterion_name(kith_seeds_criterion criterion)
{
	unsigned i = (unsigned)criterion;
	return i < CRITERIA ? criterion_names[i] : "unknown";
}

const char *kith_seeds_exclusion_name(kith_seeds_exclusion exclusion)
{
	unsigned i = (unsigned)exclusion;
	return i >= 1 && i < EXCLUSIONS ? exclusion_names[i] : "unknown";
}

/* ---- one pass over the members ------------------------------------------------ */

/* Raw figures of a present member, by node (present members in handle order). */
struct raw {
	uint32_t need, attended, feedback, active_days, complaints, violations;
	int64_t joined_ms;
	double content;
	bool purchased;
};

struct run {
	kith_community *c;
	const struct kith_mem *mem;
	int64_t now;
	struct preset eff; /* the preset with the settings laid over it */
	const struct kith_seeds_config *es;
	uint32_t members, present;
	size_t cap;          /* entries of the arrays by member or node (members, at least 1) */
	uint8_t *reason;     /* by member: kith_seeds_exclusion, 0 = eligible */
	uint32_t *node_of;   /* by member: node, or UINT32_MAX when absent */
	uint32_t *member_of; /* by node */
	struct raw *raw;     /* by node */
	double *quality;     /* by node */
	double *crit;        /* by node, CRITERIA each */
	uint32_t *held;      /* by node: RR sets holding it */
	kith_seeds_graph *g;
	struct kith_rrsets rr;
	kith_seeds_model model;
	uint32_t k;
	const struct kith_seeds_tags *tags; /* NULL: no cap */
	size_t capped;
	size_t excluded[EXCLUSIONS];
};

static int64_t stat_of(const kith_community *c, uint32_t m, kith_stat s)
{
	int64_t v = 0;
	(void)kith_member_stat(c, m, s, &v);
	return v;
}

static uint32_t clamp_u32(int64_t v)
{
	return v < 0 ? 0 : v > (int64_t)UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

/* Exclusions that need no quality, and the raw figures of present members. */
static void weigh_members(struct run *x)
{
	kith_community *c = x->c;
	uint32_t node = 0;
	for (uint32_t m = 0; m < x->members; m++) {
		x->node_of[m] = UINT32_MAX;
		if (stat_of(c, m, KITH_STAT_BANNED)) {
			x->reason[m] = KITH_SEEDS_EXCLUDED_BANNED;
			continue;
		}
		if (!stat_of(c, m, KITH_STAT_PRESENT)) {
			x->reason[m] = KITH_SEEDS_EXCLUDED_ABSENT;
			continue;
		}
		if (x->reason[m] != KITH_SEEDS_EXCLUDED_DENIED && !x->es->include_staff &&
		    (kith_member_has_role(c, m, KITH_ROLE_OWNER) ||
		     kith_member_has_role(c, m, KITH_ROLE_ADMIN)))
			x->reason[m] = KITH_SEEDS_EXCLUDED_STAFF;
		x->node_of[m] = node;
		x->member_of[node] = m;
		struct raw *r = &x->raw[node];
		r->need = clamp_u32(stat_of(c, m, KITH_STAT_QUESTIONS));
		r->attended = clamp_u32(stat_of(c, m, KITH_STAT_ATTENDED));
		r->feedback = clamp_u32(stat_of(c, m, KITH_STAT_FEEDBACK));
		r->complaints = clamp_u32(stat_of(c, m, KITH_STAT_COMPLAINTS));
		r->violations = clamp_u32(stat_of(c, m, KITH_STAT_VIOLATIONS));
		r->joined_ms = stat_of(c, m, KITH_STAT_JOINED_MS);
		r->purchased = stat_of(c, m, KITH_STAT_LAST_PURCHASE_MS) != KITH_TIME_NONE;
		uint32_t days = 0;
		(void)kith_member_active_days(c, m, x->now, x->es->window_days, &days);
		r->active_days = days;
		int64_t messages = stat_of(c, m, KITH_STAT_MESSAGES);
		double score = 0;
		if (messages > 0 && kith_member_score(c, m, x->now, &score) == KITH_OK && score > 0)
			r->content = score / (double)messages;
		node++;
	}
	x->present = node;
}

/* Mark the members seeds.deny names; ids that name no member are ignored. */
static void deny_listed(struct run *x)
{
	const char *list = x->es->deny, *item;
	size_t n = x->es->deny_len, at = 0, len;
	while (list && kith_lex_item(list, n, &at, &item, &len)) {
		uint32_t m;
		if (len && kith_community_find_member(x->c, item, len, &m) == KITH_OK)
			x->reason[m] = KITH_SEEDS_EXCLUDED_DENIED;
	}
}

/* ---- the influence graph and its RR sets ---------------------------------------- */

/* Influence edges of the present members: an edge (s, t) of the
 * community, s addressed or reacted to t, gives t -> s with its replies
 * and reactions; s invited t gives s -> t. */
static kith_status build_graph(struct run *x)
{
	kith_community *c = x->c;
	const struct kith_mem *mem = x->mem;
	size_t edges = kith_community_edge_count(c), m = 0;
	uint32_t *src = NULL, *dst = NULL;
	double *w = NULL, *in = NULL;
	kith_status st = KITH_ENOMEM;
	if (edges > SIZE_MAX / 2 / sizeof(double))
		return kith_fail(c, KITH_ELIMIT, "kith_seeds_plan_new: %zu edges are too many", edges);
	/* At least one slot, so that the arrays are never NULL below. */
	size_t cap = edges ? 2 * edges : 1;
	src = kith_mem_alloc_array(mem, cap, sizeof *src);
	dst = kith_mem_alloc_array(mem, cap, sizeof *dst);
	w = kith_mem_alloc_array(mem, cap, sizeof *w);
	in = kith_mem_calloc(mem, x->present, sizeof *in);
	if (!src || !dst || !w || !in)
		goto out;
	for (size_t i = 0; i < edges; i++) {
		uint32_t s, t, counts[4];
		if (kith_community_edge(c, i, &s, &t, counts) != KITH_OK)
			continue;
		uint32_t ns = x->node_of[s], nt = x->node_of[t];
		if (ns == UINT32_MAX || nt == UINT32_MAX || ns == nt)
			continue;
		double attention = (double)counts[KITH_INTERACTION_REPLY] +
		                   (double)counts[KITH_INTERACTION_REACTION];
		if (attention > 0) {
			src[m] = nt;
			dst[m] = ns;
			w[m++] = attention;
			in[ns] += attention;
		}
		if (counts[KITH_INTERACTION_INVITE]) {
			src[m] = ns;
			dst[m] = nt;
			w[m++] = counts[KITH_INTERACTION_INVITE];
			in[nt] += counts[KITH_INTERACTION_INVITE];
		}
	}
	double constant = x->es->edge_probability;
	for (size_t i = 0; i < m; i++)
		w[i] = constant > 0 ? constant : w[i] / in[dst[i]];
	st = kith_seeds_graph_new_with_allocator(&x->g, x->present, mem->fn, mem->payload);
	if (st != KITH_OK)
		goto out;
	st = kith_seeds_graph_set_bounds(x->g, x->es->imm_bounds ? KITH_SEEDS_BOUNDS_IMM
	                                                         : KITH_SEEDS_BOUNDS_ONLINE);
	if (st == KITH_OK)
		st = kith_seeds_graph_add_edges(x->g, m, src, dst, w);
	if (st != KITH_OK && st != KITH_ENOMEM)
		st = kith_fail(c, st, "kith_seeds_plan_new: %s", kith_seeds_graph_last_error(x->g));
out:
	kith_mem_free(mem, src, cap * sizeof *src);
	kith_mem_free(mem, dst, cap * sizeof *dst);
	kith_mem_free(mem, w, cap * sizeof *w);
	kith_mem_free(mem, in, x->present * sizeof *in);
	return st;
}

static kith_status sample(struct run *x)
{
	uint32_t kb = x->k ? x->k : 1;
	if (kb > x->present)
		kb = x->present;
	kith_status st = kith_seeds_sample_for(x->g, kb, x->model, x->es->epsilon,
	                                       x->es->random_seed, &x->rr);
	if (st != KITH_OK)
		return st == KITH_ENOMEM ? st
		                         : kith_fail(x->c, st, "kith_seeds_plan_new: %s",
		                                     kith_seeds_graph_last_error(x->g));
	for (size_t i = 0; i < x->rr.len; i++)
		x->held[x->rr.nodes[i]]++;
	return KITH_OK;
}

/* ---- quality ---------------------------------------------------------------------- */

static double share(double v, double max)
{
	return max > 0 ? v / max : 0;
}

static void score_members(struct run *x)
{
	struct raw hi = {0};
	int64_t earliest = INT64_MAX, latest = INT64_MIN;
	uint32_t held_max = 0;
	double early_max;
	for (uint32_t v = 0; v < x->present; v++) {
		const struct raw *r = &x->raw[v];
		hi.need = r->need > hi.need ? r->need : hi.need;
		hi.attended = r->attended > hi.attended ? r->attended : hi.attended;
		hi.feedback = r->feedback > hi.feedback ? r->feedback : hi.feedback;
		hi.active_days = r->active_days > hi.active_days ? r->active_days : hi.active_days;
		hi.complaints = r->complaints > hi.complaints ? r->complaints : hi.complaints;
		hi.violations = r->violations > hi.violations ? r->violations : hi.violations;
		hi.content = r->content > hi.content ? r->content : hi.content;
		earliest = r->joined_ms < earliest ? r->joined_ms : earliest;
		latest = r->joined_ms > latest ? r->joined_ms : latest;
		held_max = x->held[v] > held_max ? x->held[v] : held_max;
	}
	early_max = x->present ? (double)latest - (double)earliest : 0;
	double wsum = 0;
	for (int i = 0; i < KITH_SEEDS_COMPLAINTS; i++)
		wsum += x->eff.weight[i];
	for (uint32_t v = 0; v < x->present; v++) {
		const struct raw *r = &x->raw[v];
		double *cr = &x->crit[(size_t)v * CRITERIA];
		cr[KITH_SEEDS_NEED] = share(r->need, hi.need);
		cr[KITH_SEEDS_OPENNESS] = (share((double)latest - (double)r->joined_ms, early_max) +
		                           share(r->attended, hi.attended) + (r->purchased ? 1.0 : 0.0)) /
		                          3;
		cr[KITH_SEEDS_FEEDBACK] = share(r->feedback, hi.feedback);
		cr[KITH_SEEDS_CONTENT] = share(r->content, hi.content);
		cr[KITH_SEEDS_ACTIVITY] = share(r->active_days, hi.active_days);
		cr[KITH_SEEDS_REACH] = share(x->held[v], held_max);
		cr[KITH_SEEDS_COMPLAINTS] = share(r->complaints, hi.complaints);
		cr[KITH_SEEDS_VIOLATIONS] = share(r->violations, hi.violations);
		double q = 0;
		for (int i = 0; i < KITH_SEEDS_COMPLAINTS; i++)
			q += x->eff.weight[i] * cr[i];
		for (int i = KITH_SEEDS_COMPLAINTS; i < CRITERIA; i++)
			q -= x->eff.weight[i] * cr[i];
		q = wsum > 0 ? q / wsum : q;
		x->quality[v] = q;
		uint32_t m = x->member_of[v];
		if (!x->reason[m] && q < x->es->min_quality)
			x->reason[m] = KITH_SEEDS_EXCLUDED_LOW_QUALITY;
	}
}

/* ---- lazy greedy ------------------------------------------------------------------ */

struct cand {
	double gain;
	uint32_t node;
};

/* a before b: the larger gain, then the lower node. */
static inline bool before(const struct cand *a, const struct cand *b)
{
	return a->gain > b->gain || (a->gain == b->gain && a->node < b->node);
}

static void sift_down(struct cand *h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, best = i;
		if (l < n && before(&h[l], &h[best]))
			best = l;
		if (l + 1 < n && before(&h[l + 1], &h[best]))
			best = l + 1;
		if (best == i)
			return;
		struct cand t = h[i];
		h[i] = h[best];
		h[best] = t;
		i = best;
	}
}

/* Put c at h[n] and restore the heap above it. */
static void sift_up(struct cand *h, size_t n, struct cand c)
{
	size_t i = n;
	while (i > 0 && before(&c, &h[(i - 1) / 2])) {
		h[i] = h[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h[i] = c;
}

/* Choose up to k nodes into order[], gains into gain[]; returns how many,
 * or SIZE_MAX out of memory; *covered receives the RR sets they cover. */
static size_t greedy(struct run *x, uint32_t *order, double *gain, size_t *covered)
{
	const struct kith_mem *mem = x->mem;
	const struct kith_rrsets *rr = &x->rr;
	uint32_t n = x->present;
	double per_set = rr->count ? x->eff.lambda * (double)n / (double)rr->count : 0;
	size_t *off = kith_mem_calloc(mem, (size_t)n + 1, sizeof *off);
	uint32_t *sets = kith_mem_alloc_array(mem, rr->len ? rr->len : 1, sizeof *sets);
	uint32_t *deg = kith_mem_alloc_array(mem, n, sizeof *deg);
	uint8_t *done = kith_mem_calloc(mem, rr->count ? rr->count : 1, 1);
	struct cand *heap = kith_mem_alloc_array(mem, n, sizeof *heap);
	uint32_t tag_n = x->tags ? x->tags->names : 0;
	uint32_t *used = tag_n ? kith_mem_calloc(mem, tag_n, sizeof *used) : NULL;
	size_t taken = SIZE_MAX, hn = 0;
	*covered = 0;
	if (!off || !sets || !deg || !done || !heap || (tag_n && !used))
		goto out;
	for (uint32_t v = 0; v < n; v++)
		off[v + 1] = off[v] + x->held[v];
	memcpy(deg, x->held, (size_t)n * sizeof *deg);
	for (size_t s = 0; s < rr->count; s++)
		for (size_t i = rr->off[s]; i < rr->off[s + 1]; i++)
			sets[off[rr->nodes[i]]++] = (uint32_t)s;
	for (uint32_t v = n; v > 0; v--)
		off[v] = off[v - 1];
	off[0] = 0;
	for (uint32_t v = 0; v < n; v++)
		if (!x->reason[x->member_of[v]])
			heap[hn++] = (struct cand){x->quality[v] + per_set * deg[v], v};
	for (size_t i = hn / 2; i-- > 0;)
		sift_down(heap, hn, i);
	taken = 0;
	while (taken < x->k && hn > 0) {
		struct cand top = heap[0];
		heap[0] = heap[--hn];
		sift_down(heap, hn, 0);
		top.gain = x->quality[top.node] + per_set * deg[top.node];
		if (hn > 0 && before(&heap[0], &top)) {
			sift_up(heap, hn, top);
			hn++;
			continue;
		}
		if (!(top.gain > 0))
			break;
		uint32_t tag = x->tags ? kith_seeds_tags_top(x->tags, x->member_of[top.node])
		                       : KITH_SEEDS_TAG_NONE;
		/* A tag is always one of the tag_n names counted; the bound
		 * keeps used[] safe even so. */
		if (tag != KITH_SEEDS_TAG_NONE && tag < tag_n) {
			if (used[tag] >= x->es->diversity) {
				x->capped++;
				continue;
			}
			used[tag]++;
		}
		order[taken] = top.node;
		gain[taken++] = top.gain;
		for (size_t j = off[top.node]; j < off[top.node + 1]; j++) {
			uint32_t s = sets[j];
			if (done[s])
				continue;
			done[s] = 1;
			++*covered;
			for (size_t i = rr->off[s]; i < rr->off[s + 1]; i++)
				deg[rr->nodes[i]]--;
		}
	}
out:
	kith_mem_free(mem, off, ((size_t)n + 1) * sizeof *off);
	kith_mem_free(mem, sets, (rr->len ? rr->len : 1) * sizeof *sets);
	kith_mem_free(mem, deg, (size_t)n * sizeof *deg);
	kith_mem_free(mem, done, rr->count ? rr->count : 1);
	kith_mem_free(mem, heap, (size_t)n * sizeof *heap);
	kith_mem_free(mem, used, tag_n * sizeof *used);
	return taken;
}

/* ---- the plan ------------------------------------------------------------------------ */

static void plan_free(kith_seeds_plan *p)
{
	struct kith_mem mem = p->mem;
	kith_mem_free(&mem, p->seeds, p->k * sizeof *p->seeds);
	kith_strings_fini(&mem, &p->ids);
	kith_mem_free(&mem, p, sizeof *p);
}

void kith_seeds_plan_free(kith_seeds_plan *plan)
{
	if (plan)
		plan_free(plan);
}

static void run_fini(struct run *x)
{
	const struct kith_mem *mem = x->mem;
	size_t n = x->cap;
	kith_mem_free(mem, x->reason, n);
	kith_mem_free(mem, x->node_of, n * sizeof *x->node_of);
	kith_mem_free(mem, x->member_of, n * sizeof *x->member_of);
	kith_mem_free(mem, x->raw, n * sizeof *x->raw);
	kith_mem_free(mem, x->quality, n * sizeof *x->quality);
	kith_mem_free(mem, x->crit, n * CRITERIA * sizeof *x->crit);
	kith_mem_free(mem, x->held, n * sizeof *x->held);
	kith_rrsets_fini(mem, &x->rr);
	kith_seeds_graph_free(x->g);
}

/* The effective weights, lambda and k of a plan. */
static uint32_t resolve(struct run *x, kith_seeds_preset preset, uint32_t present)
{
	const struct kith_seeds_config *es = x->es;
	x->eff = presets[preset];
	for (int i = 0; i < CRITERIA; i++)
		if (es->weight[i] >= 0)
			x->eff.weight[i] = es->weight[i];
	if (es->lambda >= 0)
		x->eff.lambda = es->lambda;
	if (es->k_share >= 0)
		x->eff.k_share = es->k_share;
	if (es->k > 0)
		return es->k;
	double k = floor(x->eff.k_share * (double)present + 0.5);
	if (k < 1 && x->eff.k_share > 0 && present > 0)
		k = 1;
	return (uint32_t)k;
}

kith_status kith_seeds_plan_new(kith_community *community, int64_t now_ms, kith_seeds_preset preset,
                                const uint32_t *deny, size_t deny_count, kith_seeds_plan **out)
{
	if (out)
		*out = NULL;
	if (!community || !out)
		return kith_fail(community, KITH_EINVAL, "kith_seeds_plan_new: NULL argument");
	kith_community *c = community;
	if (!deny && deny_count)
		return kith_fail(c, KITH_EINVAL, "kith_seeds_plan_new: deny is NULL but deny_count is %zu",
		                 deny_count);
	if (preset != KITH_SEEDS_SEED_USERS && preset != KITH_SEEDS_OPINION_LEADERS &&
	    preset != KITH_SEEDS_PRESET_SETTING)
		return kith_fail(c, KITH_EINVAL, "kith_seeds_plan_new: unknown preset %d", (int)preset);
	if (now_ms == KITH_TIME_NONE)
		return kith_fail(c, KITH_EINVAL,
		                 "kith_seeds_plan_new: now is KITH_TIME_NONE, which means 'no time'");
	size_t members = kith_community_member_count(c);
	for (size_t i = 0; i < deny_count; i++)
		if (deny[i] >= members)
			return kith_fail(c, KITH_ENOTFOUND,
			                 "kith_seeds_plan_new: deny[%zu] = %lu names no member (there are %zu)",
			                 i, (unsigned long)deny[i], members);
	const struct kith_seeds_config *es = kith_seeds_config(c);
	if (preset == KITH_SEEDS_PRESET_SETTING)
		preset = (kith_seeds_preset)es->preset;
	if (es->linear_threshold && es->edge_probability > 0)
		return kith_fail(c, KITH_ERANGE,
		                 "kith_seeds_plan_new: seeds.edge_probability %g with "
		                 "seeds.linear_threshold: linear threshold needs the weighted cascade "
		                 "(seeds.edge_probability = 0)",
		                 es->edge_probability);

	struct run x;
	memset(&x, 0, sizeof x);
	x.c = c;
	x.mem = &c->mem;
	x.now = now_ms;
	x.es = es;
	x.members = (uint32_t)members;
	x.model = es->linear_threshold ? KITH_SEEDS_LT : KITH_SEEDS_IC;
	x.tags = es->diversity ? kith_seeds_tags_of(c) : NULL;
	kith_seeds_plan *p = NULL;
	uint32_t *order = NULL;
	double *gains = NULL;
	size_t taken = 0, covered = 0, kcap = 1;
	kith_status st = KITH_ENOMEM;
	size_t n = x.cap = members ? members : 1;
	x.reason = kith_mem_calloc(x.mem, n, 1);
	x.node_of = kith_mem_alloc_array(x.mem, n, sizeof *x.node_of);
	x.member_of = kith_mem_alloc_array(x.mem, n, sizeof *x.member_of);
	x.raw = kith_mem_calloc(x.mem, n, sizeof *x.raw);
	x.quality = kith_mem_calloc(x.mem, n, sizeof *x.quality);
	x.crit = kith_mem_calloc(x.mem, n * CRITERIA, sizeof *x.crit);
	x.held = kith_mem_calloc(x.mem, n, sizeof *x.held);
	if (!x.reason || !x.node_of || !x.member_of || !x.raw || !x.quality || !x.crit || !x.held)
		goto fail;
	for (size_t i = 0; i < deny_count; i++)
		x.reason[deny[i]] = KITH_SEEDS_EXCLUDED_DENIED;
	deny_listed(&x);
	weigh_members(&x);
	x.k = resolve(&x, preset, x.present);
	if (x.present > 0) {
		if ((st = build_graph(&x)) != KITH_OK || (st = sample(&x)) != KITH_OK)
			goto fail;
	}
	score_members(&x);
	uint32_t k = x.k < x.present ? x.k : x.present;
	st = KITH_ENOMEM;
	kcap = k ? k : 1;
	order = kith_mem_alloc_array(x.mem, kcap, sizeof *order);
	gains = kith_mem_alloc_array(x.mem, kcap, sizeof *gains);
	p = kith_mem_calloc(x.mem, 1, sizeof *p);
	if (p)
		p->mem = c->mem;
	if (!order || !gains || !p)
		goto fail;
	if (x.present > 0) {
		x.k = k;
		taken = greedy(&x, order, gains, &covered);
		if (taken == SIZE_MAX)
			goto fail;
	}
	p->now_ms = now_ms;
	p->preset = preset;
	p->model = x.model;
	p->k = k;
	p->lambda = x.eff.lambda;
	memcpy(p->weight, x.eff.weight, sizeof p->weight);
	p->samples = x.rr.count;
	p->present = x.present;
	p->diversity = es->diversity;
	p->capped = x.capped;
	p->coverage = x.rr.count ? (double)x.present * (double)covered / (double)x.rr.count : 0;
	for (size_t m = 0; m < members; m++)
		p->excluded[x.reason[m]]++;
	p->eligible = p->excluded[0];
	p->excluded[0] = 0;
	if (k) {
		p->seeds = kith_mem_calloc(x.mem, k, sizeof *p->seeds);
		if (!p->seeds)
			goto fail;
	}
	double per_reach = x.rr.count ? (double)x.present / (double)x.rr.count : 0;
	for (size_t i = 0; i < taken; i++) {
		struct plan_seed *s = &p->seeds[i];
		uint32_t v = order[i];
		s->member = x.member_of[v];
		s->gain = gains[i];
		s->quality = x.quality[v];
		s->reach = per_reach * x.held[v];
		memcpy(s->criteria, &x.crit[(size_t)v * CRITERIA], sizeof s->criteria);
		size_t len = 0;
		const char *id = kith_member_id(c, s->member, &len);
		if (!kith_strings_add(x.mem, &p->ids, id ? id : "", id ? len : 0, &s->id_off))
			goto fail;
		s->id_len = id ? len : 0;
		s->tag_off = SIZE_MAX;
		uint32_t tag = x.tags ? kith_seeds_tags_top(x.tags, s->member) : KITH_SEEDS_TAG_NONE;
		const char *name = tag != KITH_SEEDS_TAG_NONE ? kith_seeds_tags_name(x.tags, tag) : NULL;
		if (name && !kith_strings_add(x.mem, &p->ids, name, strlen(name), &s->tag_off))
			goto fail;
		p->count = i + 1;
	}
	kith_mem_free(x.mem, order, kcap * sizeof *order);
	kith_mem_free(x.mem, gains, kcap * sizeof *gains);
	run_fini(&x);
	*out = p;
	return KITH_OK;
fail:
	if (st == KITH_ENOMEM)
		kith_fail(c, KITH_ENOMEM, "kith_seeds_plan_new: out of memory");
	kith_mem_free(x.mem, order, kcap * sizeof *order);
	kith_mem_free(x.mem, gains, kcap * sizeof *gains);
	if (p)
		plan_free(p);
	run_fini(&x);
	return st;
}

/* ---- reading a plan --------------------------------------------------------------------- */

size_t kith_seeds_plan_count(const kith_seeds_plan *plan)
{
	return plan ? plan->count : 0;
}

size_t kith_seeds_plan_k(const kith_seeds_plan *plan)
{
	return plan ? plan->k : 0;
}

double kith_seeds_plan_coverage(const kith_seeds_plan *plan)
{
	return plan ? plan->coverage : 0;
}

size_t kith_seeds_plan_excluded(const kith_seeds_plan *plan, kith_seeds_exclusion reason)
{
	unsigned r = (unsigned)reason;
	return plan && r >= 1 && r < EXCLUSIONS ? plan->excluded[r] : 0;
}

kith_status kith_seeds_plan_entry(const kith_seeds_plan *plan, size_t i, uint32_t *member,
                                  double *gain, double *quality, double *reach)
{
	if (!plan)
		return KITH_EINVAL;
	if (i >= plan->count)
		return KITH_ENOTFOUND;
	const struct plan_seed *s = &plan->seeds[i];
	if (member)
		*member = s->member;
	if (gain)
		*gain = s->gain;
	if (quality)
		*quality = s->quality;
	if (reach)
		*reach = s->reach;
	return KITH_OK;
}

const char *kith_seeds_plan_tag(const kith_seeds_plan *plan, size_t i)
{
	if (!plan || i >= plan->count || plan->seeds[i].tag_off == SIZE_MAX)
		return NULL;
	return plan->ids.data + plan->seeds[i].tag_off;
}

size_t kith_seeds_plan_capped(const kith_seeds_plan *plan)
{
	return plan ? plan->capped : 0;
}

kith_status kith_seeds_plan_criterion(const kith_seeds_plan *plan, size_t i,
                                      kith_seeds_criterion criterion, double *out)
{
	if (!plan || !out || (unsigned)criterion >= CRITERIA)
		return KITH_EINVAL;
	if (i >= plan->count)
		return KITH_ENOTFOUND;
	*out = plan->seeds[i].criteria[criterion];
	return KITH_OK;
}

kith_status kith_seeds_plan_weight(const kith_seeds_plan *plan, kith_seeds_criterion criterion,
                                   double *out)
{
	if (!plan || !out || (unsigned)criterion >= CRITERIA)
		return KITH_EINVAL;
	*out = plan->weight[criterion];
	return KITH_OK;
}

static void json_criteria(struct kith_text *o, const double *v)
{
	kith_text_puts(o, "{");
	for (int i = 0; i < CRITERIA; i++) {
		kith_text_printf(o, "%s\"%s\":", i ? "," : "", criterion_names[i]);
		kith_text_number(o, v[i], 6);
	}
	kith_text_puts(o, "}");
}

kith_status kith_seeds_plan_to_json(const kith_seeds_plan *plan, char *buf, size_t size,
                                    size_t *needed)
{
	if (!plan || (!buf && size))
		return KITH_EINVAL;
	struct kith_text o;
	kith_text_init(&o, buf, size);
	kith_text_puts(&o, "{\"now_ms\":");
	kith_text_i64(&o, plan->now_ms);
	kith_text_printf(&o, ",\"preset\":\"%s\",\"k\":%zu,\"lambda\":",
	                 kith_seeds_preset_name(plan->preset), plan->k);
	kith_text_number(&o, plan->lambda, 6);
	kith_text_printf(&o, ",\"model\":\"%s\",\"samples\":%zu,\"coverage\":",
	                 kith_seeds_model_name(plan->model), plan->samples);
	kith_text_number(&o, plan->coverage, 6);
	kith_text_printf(&o, ",\"present\":%zu,\"eligible\":%zu,\"diversity\":%zu,\"capped\":%zu"
	                 ",\"weights\":",
	                 plan->present, plan->eligible, plan->diversity, plan->capped);
	json_criteria(&o, plan->weight);
	kith_text_puts(&o, ",\"excluded\":{");
	size_t total = 0;
	for (int r = 1; r < EXCLUSIONS; r++) {
		kith_text_printf(&o, "\"%s\":%zu,", exclusion_names[r], plan->excluded[r]);
		total += plan->excluded[r];
	}
	kith_text_printf(&o, "\"total\":%zu},\"seeds\":[", total);
	for (size_t i = 0; i < plan->count; i++) {
		const struct plan_seed *s = &plan->seeds[i];
		kith_text_printf(&o, "%s{\"member\":%lu,\"id\":", i ? "," : "",
		                 (unsigned long)s->member);
		kith_text_json_string(&o, plan->ids.data + s->id_off, s->id_len);
		kith_text_puts(&o, ",\"tag\":");
		if (s->tag_off == SIZE_MAX)
			kith_text_puts(&o, "null");
		else
			kith_text_json_string(&o, plan->ids.data + s->tag_off,
			                      strlen(plan->ids.data + s->tag_off));
		kith_text_puts(&o, ",\"gain\":");
		kith_text_number(&o, s->gain, 6);
		kith_text_puts(&o, ",\"quality\":");
		kith_text_number(&o, s->quality, 6);
		kith_text_puts(&o, ",\"reach\":");
		kith_text_number(&o, s->reach, 6);
		kith_text_puts(&o, ",\"criteria\":");
		json_criteria(&o, s->criteria);
		kith_text_puts(&o, "}");
	}
	kith_text_puts(&o, "]}");
	kith_text_finish(&o, needed);
	return KITH_OK;
}
