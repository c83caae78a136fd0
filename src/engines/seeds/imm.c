/*
 * IMM (Tang, Shi, Xiao, SIGMOD 2015): sample reverse-reachable sets until
 * a lower bound of the optimum is established, then as many as the
 * martingale bound asks for that bound, and cover them greedily.
 *
 * An RR set is the set of nodes that would have activated a uniformly
 * chosen node in one random outcome of the diffusion; a seed set's
 * spread is n times the share of RR sets it touches. Sets are kept in
 * one flat array with offsets; the greedy inverts them into the same
 * shape (node -> sets) and takes nodes from a max-heap whose keys are
 * refreshed lazily, as coverage only goes down.
 *
 * SPDX-License-Identifier: MIT
 */
#include "engines/seeds/imm.h"

#include "engines/seeds/live.h"

#include "util/text.h"

#include <math.h>
#include <string.h>

#define ONE_MINUS_INV_E 0.63212055882855767840
#define LN2             0.69314718055994530942
/* Most RR sets one collection holds: two collections' stamps stay below
 * 2^32. */
#define RR_MAX (UINT32_C(1) << 30)
/* Most doublings the online bounds make past their first certificate
 * while the choice still improves (opim). */
#define SETTLE_DOUBLINGS 3

void kith_rrsets_fini(const struct kith_mem *mem, struct kith_rrsets *rr)
{
	kith_mem_free(mem, rr->nodes, rr->cap * sizeof *rr->nodes);
	kith_mem_free(mem, rr->off, rr->off_cap * sizeof *rr->off);
	memset(rr, 0, sizeof *rr);
}

static inline bool push(const struct kith_mem *mem, struct kith_rrsets *rr, uint32_t v)
{
	if (rr->len == rr->cap &&
	    !kith_mem_grow(mem, (void **)&rr->nodes, &rr->cap, rr->len + 1, sizeof *rr->nodes))
		return false;
	rr->nodes[rr->len++] = v;
	return true;
}

/* Add u to the set unless it is there already. */
static inline bool visit(const kith_seeds_graph *g, struct kith_rrsets *rr, uint32_t u, uint32_t id,
                         uint32_t *stamp)
{
	if (stamp[u] == id)
		return true;
	stamp[u] = id;
	return push(&g->mem, rr, u);
}

/* The live in-edges of w among rows with a table (live.h): their count,
 * then that many distinct edges of the row, uniformly. */
static inline bool expand_table(const kith_seeds_graph *g, struct kith_rrsets *rr, uint32_t w,
                                uint32_t id, uint32_t *stamp, struct kith_random *r)
{
	uint32_t l = kith_seeds_live_count(g->live.cdf, g->live.kind[w], r);
	if (l == 0)
		return true;
	uint32_t begin = g->in_off[w], d = g->in_off[w + 1] - begin;
	if (l == 1)
		return visit(g, rr, g->in_src[begin + kith_random_below(r, d)], id, stamp);
	uint32_t chosen[KITH_LIVE_TABLE_MAX];
	for (uint32_t j = 0; j < l;) {
		uint32_t i = kith_random_below(r, d), h = 0;
		/* chosen[0 .. j) is set, which cppcheck cannot see. */
		// cppcheck-suppress uninitvar
		while (h < j && chosen[h] != i)
			h++;
		if (h < j)
			continue; /* drawn already: draw again */
		chosen[j++] = i;
		if (!visit(g, rr, g->in_src[begin + i], id, stamp))
			return false;
	}
	return true;
}

/* IC: breadth first over in-edges, each live with its probability: one
 * draw per edge, or for rows with a table (live.h) a draw of how many
 * are live and which. The set itself is the queue. */
static bool sample_ic(const kith_seeds_graph *g, struct kith_rrsets *rr, uint32_t id,
                      uint32_t *stamp, struct kith_random *r)
{
	uint32_t v = kith_random_below(r, g->n);
	stamp[v] = id;
	size_t i = rr->len;
	if (!push(&g->mem, rr, v))
		return false;
	for (; i < rr->len; i++) {
		uint32_t w = rr->nodes[i];
		if (g->live.kind[w] < KITH_LIVE_UNIFORM) {
			if (!expand_table(g, rr, w, id, stamp, r))
				return false;
			continue;
		}
		for (uint32_t e = g->in_off[w]; e < g->in_off[w + 1]; e++) {
			uint32_t u = g->in_src[e];
			if (stamp[u] == id)
				continue;
			uint64_t t = g->in_thr[e];
			if (t >= KITH_RANDOM_ONE || (t && kith_random_53(r) < t)) {
				stamp[u] = id;
				if (!push(&g->mem, rr, u))
					return false;
			}
		}
	}
	return true;
}

/* LT: each node has at most one live in-edge, edge e with its weight (cut
 * where the row's sum passes 1), none with what is left: a walk back
 * that ends at a node without one or at a node already on the walk. */
static bool sample_lt(const kith_seeds_graph *g, struct kith_rrsets *rr, uint32_t id,
                      uint32_t *stamp, struct kith_random *r)
{
	uint32_t v = kith_random_below(r, g->n);
	for (;;) {
		stamp[v] = id;
		if (!push(&g->mem, rr, v))
			return false;
		uint32_t begin = g->in_off[v], end = g->in_off[v + 1];
		if (begin == end)
			return true;
		uint64_t x = kith_random_53(r), acc = 0;
		uint32_t e = begin;
		if (g->live.kind[v] != KITH_LIVE_MIXED) {
			/* Equal weights t: edge x / t, the one the walk below finds. */
			uint64_t t = g->in_thr[begin];
			if (t == 0 || x / t >= end - begin)
				return true;
			e = begin + (uint32_t)(x / t);
		} else {
			for (; e < end; e++) {
				acc += g->in_thr[e];
				if (x < acc)
					break;
			}
			if (e == end)
				return true;
		}
		v = g->in_src[e];
		if (stamp[v] == id)
			return true;
	}
}

/* Sample RR sets until there are count of them. KITH_OK or KITH_ENOMEM;
 * stamp is per-node scratch (zero at first) marked with ++*stamp_id for
 * each new set, r the generator. */
static kith_status kith_rrsets_sample(const kith_seeds_graph *g, kith_seeds_model model,
                               struct kith_rrsets *rr, size_t count, uint32_t *stamp,
                               uint32_t *stamp_id, struct kith_random *r)
{
	if (count <= rr->count)
		return KITH_OK;
	if (!kith_mem_grow(&g->mem, (void **)&rr->off, &rr->off_cap, count + 1, sizeof *rr->off))
		return KITH_ENOMEM;
	rr->off[0] = 0;
	while (rr->count < count) {
		uint32_t id = ++*stamp_id;
		bool ok = model == KITH_SEEDS_LT ? sample_lt(g, rr, id, stamp, r)
		                                 : sample_ic(g, rr, id, stamp, r);
		if (!ok)
			return KITH_ENOMEM;
		rr->off[++rr->count] = rr->len;
	}
	return KITH_OK;
}

/* ---- greedy maximum coverage ---------------------------------------------------- */

struct cover {
	uint32_t *deg;   /* sets a node touches that are not covered yet */
	size_t *idx_off; /* node -> its sets, flat */
	uint32_t *idx_sets;
	uint8_t *covered; /* per set */
	uint64_t *heap;   /* deg << 32 | ~node: the max is the most coverage, lowest node */
	size_t n, len, count;
};

static void cover_fini(const struct kith_mem *mem, struct cover *c)
{
	kith_mem_free(mem, c->deg, c->n * sizeof *c->deg);
	kith_mem_free(mem, c->idx_off, (c->n + 1) * sizeof *c->idx_off);
	kith_mem_free(mem, c->idx_sets, c->len * sizeof *c->idx_sets);
	kith_mem_free(mem, c->covered, c->count);
	kith_mem_free(mem, c->heap, c->n * sizeof *c->heap);
	memset(c, 0, sizeof *c);
}

static void sift_down(uint64_t *h, size_t n, size_t i)
{
	uint64_t x = h[i];
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= n)
			break;
		if (c + 1 < n && h[c + 1] > h[c])
			c++;
		if (h[c] <= x)
			break;
		h[i] = h[c];
		i = c;
	}
	h[i] = x;
}

static inline uint64_t heap_key(uint32_t deg, uint32_t v)
{
	return (uint64_t)deg << 32 | (uint32_t)~v;
}

/* The sum of the k largest of deg[0 .. n): no k nodes cover more sets. */
static size_t top_k_sum(const struct kith_mem *mem, const uint32_t *deg, uint32_t n, size_t k)
{
	/* A min-heap of the k largest seen so far. */
	uint64_t *h = kith_mem_calloc(mem, k, sizeof *h);
	if (!h)
		return SIZE_MAX;
	for (uint32_t v = 0; v < n; v++) {
		if (deg[v] <= h[0])
			continue;
		/* Replace the least, then sift it down (min-heap). */
		size_t i = 0;
		uint64_t x = deg[v];
		for (;;) {
			size_t c = 2 * i + 1;
			if (c >= k)
				break;
			if (c + 1 < k && h[c + 1] < h[c])
				c++;
			if (h[c] >= x)
				break;
			h[i] = h[c];
			i = c;
		}
		h[i] = x;
	}
	size_t sum = 0;
	for (size_t i = 0; i < k; i++)
		sum += h[i];
	kith_mem_free(mem, h, k * sizeof *h);
	return sum;
}

/* Choose k nodes covering the most sets; nodes[] and gains[] (sets newly
 * covered by each) receive them in order; *top (when not NULL) the sum of
 * the k largest coverages before any choice. Returns the sets covered,
 * or SIZE_MAX when memory ran out. */
static size_t greedy(const struct kith_mem *mem, uint32_t n, const struct kith_rrsets *rr, size_t k,
                     uint32_t *nodes, uint32_t *gains, size_t *top)
{
	struct cover c = {.n = n, .len = rr->len, .count = rr->count};
	c.deg = kith_mem_calloc(mem, n, sizeof *c.deg);
	c.idx_off = kith_mem_calloc(mem, (size_t)n + 1, sizeof *c.idx_off);
	c.idx_sets = kith_mem_alloc_array(mem, rr->len, sizeof *c.idx_sets);
	c.covered = kith_mem_calloc(mem, rr->count ? rr->count : 1, 1);
	c.heap = kith_mem_alloc_array(mem, (size_t)n, sizeof *c.heap);
	c.count = rr->count ? rr->count : 1;
	if (!c.deg || !c.idx_off || (rr->len && !c.idx_sets) || !c.covered || !c.heap) {
		cover_fini(mem, &c);
		return SIZE_MAX;
	}
	for (size_t i = 0; i < rr->len; i++)
		c.deg[rr->nodes[i]]++;
	for (uint32_t v = 0; v < n; v++)
		c.idx_off[v + 1] = c.idx_off[v] + c.deg[v];
	for (size_t s = 0; s < rr->count; s++)
		for (size_t i = rr->off[s]; i < rr->off[s + 1]; i++)
			c.idx_sets[c.idx_off[rr->nodes[i]]++] = (uint32_t)s;
	for (uint32_t v = n; v > 0; v--)
		c.idx_off[v] = c.idx_off[v - 1];
	c.idx_off[0] = 0;

	if (top && (*top = top_k_sum(mem, c.deg, n, k)) == SIZE_MAX) {
		cover_fini(mem, &c);
		return SIZE_MAX;
	}
	for (uint32_t v = 0; v < n; v++)
		c.heap[v] = heap_key(c.deg[v], v);
	size_t hn = n;
	for (size_t i = hn / 2; i-- > 0;)
		sift_down(c.heap, hn, i);

	size_t total = 0;
	for (size_t j = 0; j < k && hn > 0;) {
		uint64_t head = c.heap[0];
		uint32_t v = ~(uint32_t)head;
		uint32_t key = (uint32_t)(head >> 32);
		if (key != c.deg[v]) {
			c.heap[0] = heap_key(c.deg[v], v);
			sift_down(c.heap, hn, 0);
			continue;
		}
		c.heap[0] = c.heap[--hn];
		sift_down(c.heap, hn, 0);
		nodes[j] = v;
		gains[j] = key;
		total += key;
		for (size_t i = c.idx_off[v]; i < c.idx_off[v + 1]; i++) {
			uint32_t s = c.idx_sets[i];
			if (c.covered[s])
				continue;
			c.covered[s] = 1;
			for (size_t t = rr->off[s]; t < rr->off[s + 1]; t++)
				c.deg[rr->nodes[t]]--;
		}
		j++;
	}
	cover_fini(mem, &c);
	return total;
}

/* ---- the bounds --------------------------------------------------------------- */

static double log_choose(uint32_t n, uint32_t k)
{
	double s = 0;
	for (uint32_t i = 0; i < k; i++)
		s += kith_random_log((double)(n - i) / (double)(i + 1));
	return s;
}

static kith_status theta_checked(kith_seeds_graph *g, double theta, size_t *out)
{
	if (!(theta <= (double)RR_MAX))
		return kith_seeds_graph_fail(
		        g, KITH_ELIMIT, "the bounds call for %.3g RR sets, above the limit of %lu",
		        theta, (unsigned long)RR_MAX);
	*out = theta < 1 ? 1 : (size_t)ceil(theta);
	return KITH_OK;
}

struct imm_run {
	kith_seeds_graph *g;
	kith_seeds_model model;
	struct kith_rrsets rr, rr2;
	uint32_t *stamp, stamp_id;
	uint32_t *nodes, *gains;
	struct kith_random r;
};

static kith_status sample_into(struct imm_run *x, struct kith_rrsets *rr, size_t count)
{
	kith_status st =
	        kith_rrsets_sample(x->g, x->model, rr, count, x->stamp, &x->stamp_id, &x->r);
	if (st != KITH_OK)
		return kith_seeds_graph_fail(x->g, st, "out of memory sampling %zu RR sets", count);
	return KITH_OK;
}

static kith_status sample(struct imm_run *x, size_t count)
{
	return sample_into(x, &x->rr, count);
}

static kith_status cover(struct imm_run *x, uint32_t k, size_t *covered)
{
	*covered = greedy(&x->g->mem, x->g->n, &x->rr, k, x->nodes, x->gains, NULL);
	if (*covered == SIZE_MAX)
		return kith_seeds_graph_fail(x->g, KITH_ENOMEM,
		                             "out of memory covering %zu RR sets", x->rr.count);
	return KITH_OK;
}

/* IMM's two phases with l = 1 (raised by log 2 / log n so that both
 * phases together fail with probability at most 1/n). As in the
 * authors' code, the final phase keeps the sampling phase's RR sets;
 * W. Chen ("An issue in the martingale analysis of the influence
 * maximization algorithm IMM", 2018) showed that the proof then wants
 * fresh sets or a slightly larger bound. Kept, as the reference to
 * compare with; the online bounds use independent collections. */
static kith_status imm(struct imm_run *x, uint32_t k, double eps)
{
	double n = x->g->n;
	double logn = kith_random_log(n < 2 ? 2 : n);
	double l = 1 + LN2 / logn;
	double lcnk = log_choose(x->g->n, k);
	double eps1 = sqrt(2.0) * eps;
	double log2n = logn / LN2;
	double lambda1 = (2 + 2.0 / 3 * eps1) *
	                 (lcnk + l * logn + kith_random_log(log2n < 2 ? 2 : log2n)) * n /
	                 (eps1 * eps1);
	double lb = 1;
	size_t covered, need = 0;
	kith_status st;
	for (int i = 1; i < log2n; i++) {
		double xi = n / ldexp(1.0, i);
		if ((st = theta_checked(x->g, lambda1 / xi, &need)) != KITH_OK ||
		    (st = sample(x, need)) != KITH_OK || (st = cover(x, k, &covered)) != KITH_OK)
			return st;
		double est = n * (double)covered / (double)x->rr.count;
		if (est >= (1 + eps1) * xi) {
			lb = est / (1 + eps1);
			break;
		}
	}
	double alpha = sqrt(l * logn + LN2);
	double beta = sqrt(ONE_MINUS_INV_E * (lcnk + l * logn + LN2));
	double ab = ONE_MINUS_INV_E * alpha + beta;
	double lambda_star = 2 * n * ab * ab / (eps * eps);
	if ((st = theta_checked(x->g, lambda_star / lb, &need)) != KITH_OK ||
	    (st = sample(x, need)) != KITH_OK)
		return st;
	return cover(x, k, &covered);
}

/* Sets of rr that hold a node of nodes[0 .. k), with mark as scratch. */
static size_t coverage_of(const struct kith_rrsets *rr, const uint32_t *nodes, size_t k,
                          uint8_t *mark)
{
	for (size_t i = 0; i < k; i++)
		mark[nodes[i]] = 1;
	size_t covered = 0;
	for (size_t s = 0; s < rr->count; s++)
		for (size_t i = rr->off[s]; i < rr->off[s + 1]; i++)
			if (mark[rr->nodes[i]]) {
				covered++;
				break;
			}
	for (size_t i = 0; i < k; i++)
		mark[nodes[i]] = 0;
	return covered;
}

/* Append the sets of from to into. KITH_OK or KITH_ENOMEM. */
static kith_status append_sets(const struct kith_mem *mem, struct kith_rrsets *into,
                               const struct kith_rrsets *from)
{
	if (!kith_mem_grow(mem, (void **)&into->nodes, &into->cap, into->len + from->len,
	                   sizeof *into->nodes) ||
	    !kith_mem_grow(mem, (void **)&into->off, &into->off_cap, into->count + from->count + 1,
	                   sizeof *into->off))
		return KITH_ENOMEM;
	memcpy(into->nodes + into->len, from->nodes, from->len * sizeof *from->nodes);
	for (size_t s = 1; s <= from->count; s++)
		into->off[into->count + s] = into->len + from->off[s];
	into->len += from->len;
	into->count += from->count;
	return KITH_OK;
}

/* The online bounds' ratio of the lower bound of a set covering c of
 * check's sets to the upper bound of the optimum from a collection of
 * size count whose greedy covered covered (k largest: top). */
static double certified_ratio(double n, double a, double c, size_t check_count, size_t covered,
                              size_t top, size_t count)
{
	double upper = (double)covered / ONE_MINUS_INV_E;
	if ((double)top < upper)
		upper = (double)top;
	double lo = sqrt(c + 2 * a / 9) - sqrt(a / 2);
	double sigma_l = (lo * lo - a / 18) * n / (double)check_count;
	double hi = sqrt(upper + a / 2) + sqrt(a / 2);
	double sigma_u = hi * hi * n / (double)count;
	return sigma_l / sigma_u;
}

/* Once R1's choice is certified and settled: choose again on R1 and R2
 * together (twice the sets, so a better choice, as a doubling would
 * give), and certify that choice on fresh sets as many as R1 (half what
 * a doubling costs). Should the certificate fail, R1's choice stands,
 * its gains counted on the merged collection. The scratch keeps R1's
 * choice meanwhile. */
static kith_status choose_on_both(struct imm_run *x, uint32_t k, double eps, double a,
                                  uint32_t *keep_nodes, uint32_t *keep_gains, uint8_t *mark)
{
	size_t per = x->rr.count;
	memcpy(keep_nodes, x->nodes, k * sizeof *keep_nodes);
	memcpy(keep_gains, x->gains, k * sizeof *keep_gains);
	if (append_sets(&x->g->mem, &x->rr, &x->rr2) != KITH_OK)
		return kith_seeds_graph_fail(x->g, KITH_ENOMEM, "out of memory merging %zu RR sets",
		                             x->rr2.count);
	x->rr2.count = x->rr2.len = 0;
	kith_status st = sample_into(x, &x->rr2, per);
	if (st != KITH_OK)
		return st;
	size_t top, covered = greedy(&x->g->mem, x->g->n, &x->rr, k, x->nodes, x->gains, &top);
	if (covered == SIZE_MAX)
		return kith_seeds_graph_fail(x->g, KITH_ENOMEM, "out of memory covering %zu RR sets",
		                             x->rr.count);
	double c3 = (double)coverage_of(&x->rr2, x->nodes, k, mark);
	if (certified_ratio(x->g->n, a, c3, x->rr2.count, covered, top, x->rr.count) >=
	    ONE_MINUS_INV_E - eps)
		return KITH_OK;
	/* R1's choice; its gains were counted over half the merged sets. */
	memcpy(x->nodes, keep_nodes, k * sizeof *keep_nodes);
	for (uint32_t j = 0; j < k; j++)
		x->gains[j] = 2 * keep_gains[j];
	return KITH_OK;
}

/* OPIM-C's online bounds (Tang, Tang, Xiao, Yuan, SIGMOD 2018), with
 * delta = 1/n: two independent collections, R1 to choose and bound the
 * optimum from above (its greedy coverage over 1 - 1/e, or the k largest
 * coverages, whichever is less), R2 to bound the choice from below;
 * both double until the ratio of the bounds certifies 1 - 1/e - epsilon,
 * or they reach the size that certifies it anyway.
 *
 * The certificate alone stops early: 1 - 1/e - epsilon is far below what
 * the greedy reaches, and a set chosen on few RR sets is measurably
 * weaker (2-4% on the public graphs). So the doubling also goes on until
 * it stops paying: R1 of this round holds the previous round's R1 as its
 * first half, and the set chosen there is weighed against this round's
 * choice on this round's R2, independent of both; while the new choice
 * covers more than epsilon / 20 more of R2, the samples still improve
 * the answer. Stopping later keeps the certificate (it is checked each
 * round, and delta is shared out over every round that may run, and the
 * final check of choose_on_both). scratch holds 2 k entries.
 *
 * The settling doubles at most SETTLE_DOUBLINGS times past the first
 * certified round: with k in the thousands every doubling still improves
 * the tail of the choice a little, and a selection of 10,000 seeds among
 * 100,000 members took 40 times as long as the certificate alone.
 *
 * Without settle (kith_seeds_sample_for: the seeds engine, whose own
 * objective covers the sets and whose k is often a tenth of the
 * members) the first certified round stops: settling there multiplied
 * the engine's time on a 100,000-member community by six. */
static kith_status opim(struct imm_run *x, uint32_t k, double eps, uint8_t *mark,
                        uint32_t *scratch, bool settle)
{
	uint32_t *previous = scratch;
	double n = x->g->n;
	double logn = kith_random_log(n < 2 ? 2 : n);
	double lcnk = log_choose(x->g->n, k);
	double l6 = kith_random_log(6.0) + logn; /* ln(6 / delta) */
	double root = ONE_MINUS_INV_E * sqrt(l6) + sqrt(ONE_MINUS_INV_E * (lcnk + l6));
	double theta_max = 2 * n * root * root / (eps * eps * k);
	double theta0 = theta_max * eps * eps * k / n;
	int imax = 1;
	while (ldexp(theta0, imax) < theta_max)
		imax++;
	double a = kith_random_log(3.0 * (imax + 1)) + logn;
	size_t need = 0, covered, top;
	kith_status st = theta_checked(x->g, theta0, &need);
	if (st != KITH_OK)
		return st;
	int first_certified = 0;
	for (int i = 1;; i++) {
		if ((st = sample_into(x, &x->rr, need)) != KITH_OK ||
		    (st = sample_into(x, &x->rr2, need)) != KITH_OK)
			return st;
		covered = greedy(&x->g->mem, x->g->n, &x->rr, k, x->nodes, x->gains, &top);
		if (covered == SIZE_MAX)
			return kith_seeds_graph_fail(x->g, KITH_ENOMEM,
			                             "out of memory covering %zu RR sets",
			                             x->rr.count);
		double c2 = (double)coverage_of(&x->rr2, x->nodes, k, mark);
		/* The gain over the previous round's choice, both on R2. */
		double gain = 1;
		if (i > 1) {
			double before = (double)coverage_of(&x->rr2, previous, k, mark);
			gain = c2 > 0 ? (c2 - before) / c2 : 0;
		}
		memcpy(previous, x->nodes, k * sizeof *previous);
		bool certified = certified_ratio(n, a, c2, x->rr2.count, covered, top,
		                                 x->rr.count) >= ONE_MINUS_INV_E - eps;
		if (certified && !settle)
			return KITH_OK;
		if (certified && !first_certified)
			first_certified = i;
		if (certified && (gain <= eps / 20 || i - first_certified >= SETTLE_DOUBLINGS))
			return choose_on_both(x, k, eps, a, scratch, scratch + k, mark);
		if (i >= imax)
			return KITH_OK;
		if ((st = theta_checked(x->g, 2.0 * (double)need, &need)) != KITH_OK)
			return st;
	}
}

const char *kith_seeds_bounds_name(kith_seeds_bounds bounds)
{
	switch (bounds) {
	case KITH_SEEDS_BOUNDS_IMM: return "imm";
	case KITH_SEEDS_BOUNDS_ONLINE: return "online";
	}
	return "unknown";
}

kith_status kith_seeds_graph_set_bounds(kith_seeds_graph *g, kith_seeds_bounds bounds)
{
	if (!g)
		return KITH_EINVAL;
	if (bounds != KITH_SEEDS_BOUNDS_IMM && bounds != KITH_SEEDS_BOUNDS_ONLINE)
		return kith_seeds_graph_fail(g, KITH_EINVAL, "unknown bounds %d", (int)bounds);
	g->bounds = bounds;
	return KITH_OK;
}

static void selection_free(kith_seeds_selection *s)
{
	struct kith_mem mem = s->mem;
	kith_mem_free(&mem, s->nodes, s->k * sizeof *s->nodes);
	kith_mem_free(&mem, s->gain, s->k * sizeof *s->gain);
	kith_mem_free(&mem, s, sizeof *s);
}

void kith_seeds_selection_free(kith_seeds_selection *s)
{
	if (s)
		selection_free(s);
}

kith_status kith_seeds_graph_select(kith_seeds_graph *g, uint32_t k, kith_seeds_model model,
                                    double epsilon, uint64_t seed, kith_seeds_selection **out)
{
	if (!out)
		return g ? kith_seeds_graph_fail(g, KITH_EINVAL, "out is NULL") : KITH_EINVAL;
	*out = NULL;
	if (!g)
		return KITH_EINVAL;
	kith_status st = kith_seeds_graph_check_model(g, model);
	if (st != KITH_OK)
		return st;
	if (k > g->n)
		return kith_seeds_graph_fail(g, KITH_ERANGE, "k %lu is above the node count %lu",
		                             (unsigned long)k, (unsigned long)g->n);
	if (!(epsilon > 0 && epsilon < 1))
		return kith_seeds_graph_fail(g, KITH_ERANGE, "epsilon %g is outside (0, 1)",
		                             epsilon);

	const struct kith_mem *mem = &g->mem;
	kith_seeds_selection *s = kith_mem_calloc(mem, 1, sizeof *s);
	if (!s)
		return kith_seeds_graph_fail(g, KITH_ENOMEM, "out of memory");
	s->mem = *mem;
	s->k = k;
	s->model = model;
	s->epsilon = epsilon;
	s->seed = seed;
	s->bounds = g->bounds;
	s->nodes = kith_mem_alloc_array(mem, k, sizeof *s->nodes);
	s->gain = kith_mem_alloc_array(mem, k, sizeof *s->gain);
	struct imm_run x = {.g = g, .model = model};
	uint8_t *mark = NULL;
	uint32_t *previous = NULL;
	x.stamp = kith_mem_calloc(mem, g->n, sizeof *x.stamp);
	x.gains = kith_mem_alloc_array(mem, k, sizeof *x.gains);
	if ((k && (!s->nodes || !s->gain || !x.gains)) || !x.stamp) {
		st = kith_seeds_graph_fail(g, KITH_ENOMEM, "out of memory");
		goto out;
	}
	x.nodes = s->nodes;
	kith_random_seed(&x.r, seed);
	if (k > 0) {
		if (g->bounds == KITH_SEEDS_BOUNDS_ONLINE) {
			mark = kith_mem_calloc(mem, g->n, 1);
			previous = kith_mem_alloc_array(mem, 2 * (size_t)k, sizeof *previous);
			if (!mark || !previous) {
				st = kith_seeds_graph_fail(g, KITH_ENOMEM, "out of memory");
				goto out;
			}
			st = opim(&x, k, epsilon, mark, previous, true);
		} else {
			st = imm(&x, k, epsilon);
		}
		if (st != KITH_OK)
			goto out;
		double scale = (double)g->n / (double)x.rr.count;
		for (uint32_t i = 0; i < k; i++) {
			s->gain[i] = scale * x.gains[i];
			s->estimate += s->gain[i];
		}
		s->samples = x.rr.count + x.rr2.count;
	}
	*out = s;
	s = NULL;
out:
	kith_rrsets_fini(mem, &x.rr);
	kith_rrsets_fini(mem, &x.rr2);
	kith_mem_free(mem, mark, g->n);
	kith_mem_free(mem, previous, 2 * (size_t)k * sizeof *previous);
	kith_mem_free(mem, x.stamp, (size_t)g->n * sizeof *x.stamp);
	kith_mem_free(mem, x.gains, k * sizeof *x.gains);
	if (s)
		selection_free(s);
	return st;
}

size_t kith_seeds_selection_count(const kith_seeds_selection *s)
{
	return s ? s->k : 0;
}

kith_status kith_seeds_selection_entry(const kith_seeds_selection *s, size_t i, uint32_t *node,
                                       double *gain)
{
	if (!s)
		return KITH_EINVAL;
	if (i >= s->k)
		return KITH_ENOTFOUND;
	if (node)
		*node = s->nodes[i];
	if (gain)
		*gain = s->gain[i];
	return KITH_OK;
}

double kith_seeds_selection_estimate(const kith_seeds_selection *s)
{
	return s ? s->estimate : 0;
}

size_t kith_seeds_selection_samples(const kith_seeds_selection *s)
{
	return s ? s->samples : 0;
}

kith_status kith_seeds_selection_to_json(const kith_seeds_selection *s, char *buf, size_t size,
                                         size_t *needed)
{
	if (!s || (!buf && size))
		return KITH_EINVAL;
	struct kith_text o;
	kith_text_init(&o, buf, size);
	kith_text_printf(&o, "{\"model\":\"%s\",\"bounds\":\"%s\",\"k\":%zu,\"epsilon\":",
	                 kith_seeds_model_name(s->model), kith_seeds_bounds_name(s->bounds), s->k);
	kith_text_number(&o, s->epsilon, 17);
	kith_text_printf(&o, ",\"seed\":\"%llu\",\"samples\":%zu,\"estimate\":",
	                 (unsigned long long)s->seed, s->samples);
	kith_text_number(&o, s->estimate, 17);
	kith_text_puts(&o, ",\"seeds\":[");
	for (size_t i = 0; i < s->k; i++) {
		kith_text_printf(&o, "%s{\"node\":%lu,\"gain\":", i ? "," : "",
		                 (unsigned long)s->nodes[i]);
		kith_text_number(&o, s->gain[i], 17);
		kith_text_puts(&o, "}");
	}
	kith_text_puts(&o, "]}");
	kith_text_finish(&o, needed);
	return KITH_OK;
}

kith_status kith_seeds_sample_for(kith_seeds_graph *g, uint32_t k, kith_seeds_model model,
                                  double epsilon, uint64_t seed, struct kith_rrsets *out)
{
	memset(out, 0, sizeof *out);
	kith_status st = kith_seeds_graph_check_model(g, model);
	if (st != KITH_OK)
		return st;
	if (k == 0 || k > g->n || !(epsilon > 0 && epsilon < 1))
		return kith_seeds_graph_fail(g, KITH_ERANGE, "k %lu or epsilon %g out of range",
		                             (unsigned long)k, epsilon);
	const struct kith_mem *mem = &g->mem;
	struct imm_run x = {.g = g, .model = model};
	uint8_t *mark = NULL;
	uint32_t *previous = NULL;
	x.stamp = kith_mem_calloc(mem, g->n, sizeof *x.stamp);
	x.nodes = kith_mem_alloc_array(mem, k, sizeof *x.nodes);
	x.gains = kith_mem_alloc_array(mem, k, sizeof *x.gains);
	if (!x.stamp || !x.nodes || !x.gains) {
		st = kith_seeds_graph_fail(g, KITH_ENOMEM, "out of memory");
		goto out;
	}
	kith_random_seed(&x.r, seed);
	if (g->bounds == KITH_SEEDS_BOUNDS_ONLINE) {
		mark = kith_mem_calloc(mem, g->n, 1);
		previous = kith_mem_alloc_array(mem, 2 * (size_t)k, sizeof *previous);
		st = mark && previous ? opim(&x, k, epsilon, mark, previous, false)
		                      : kith_seeds_graph_fail(g, KITH_ENOMEM, "out of memory");
	} else {
		st = imm(&x, k, epsilon);
	}
	if (st == KITH_OK) {
		*out = x.rr;
		memset(&x.rr, 0, sizeof x.rr);
	}
out:
	kith_rrsets_fini(mem, &x.rr);
	kith_rrsets_fini(mem, &x.rr2);
	kith_mem_free(mem, mark, g->n);
	kith_mem_free(mem, previous, 2 * (size_t)k * sizeof *previous);
	kith_mem_free(mem, x.stamp, (size_t)g->n * sizeof *x.stamp);
	kith_mem_free(mem, x.nodes, k * sizeof *x.nodes);
	kith_mem_free(mem, x.gains, k * sizeof *x.gains);
	return st;
}
