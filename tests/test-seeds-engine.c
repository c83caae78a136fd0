/* The seeds engine on communities: each criterion on hand-built members,
 * the quality formula, exclusions and their counts, presets and
 * settings, a star's centre first, the greedy against every k-subset
 * scored by exact spread, determinism (and through a snapshot), bad
 * arguments, allocation failures, and the #ubuntu replay's most
 * replied-to members among the opinion leaders.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/community.h"
#include "model/members.h"
#include "testutil.h"

#define HOUR INT64_C(3600000)
#define DAY  (24 * HOUR)
/* A UTC midnight (2023-11-14). */
#define T0 INT64_C(1699920000000)

/* ---- helpers ------------------------------------------------------------------- */

static void line(kith_community *c, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	kith_status st = test_line(c, buf);
	if (st != KITH_OK)
		fail_msg("%s: %s", buf, kith_community_last_error(c));
}

static void set(kith_community *c, const char *name, const char *value)
{
	if (kith_setting_set(c, name, KITH_NUL_TERMINATED, value, KITH_NUL_TERMINATED) != KITH_OK)
		fail_msg("%s = %s: %s", name, value, kith_community_last_error(c));
}

static uint32_t h(kith_community *c, const char *id)
{
	uint32_t m;
	assert_int_equal(kith_community_find_member(c, id, KITH_NUL_TERMINATED, &m), KITH_OK);
	return m;
}

static kith_seeds_plan *plan(kith_community *c, int64_t now, kith_seeds_preset preset)
{
	kith_seeds_plan *p = NULL;
	kith_status st = kith_seeds_plan_new(c, now, preset, NULL, 0, &p);
	if (st != KITH_OK)
		fail_msg("plan: %s", kith_community_last_error(c));
	return p;
}

/* The index of a member among the plan's seeds; fails when absent. */
static size_t seed_index(const kith_seeds_plan *p, uint32_t m)
{
	for (size_t i = 0; i < kith_seeds_plan_count(p); i++) {
		uint32_t got;
		assert_int_equal(kith_seeds_plan_entry(p, i, &got, NULL, NULL, NULL), KITH_OK);
		if (got == m)
			return i;
	}
	fail_msg("member %u is not among the seeds", (unsigned)m);
	return 0;
}

static bool is_seed(const kith_seeds_plan *p, uint32_t m)
{
	for (size_t i = 0; i < kith_seeds_plan_count(p); i++) {
		uint32_t got;
		assert_int_equal(kith_seeds_plan_entry(p, i, &got, NULL, NULL, NULL), KITH_OK);
		if (got == m)
			return true;
	}
	return false;
}

static double crit(kith_community *c, const kith_seeds_plan *p, const char *id,
                   kith_seeds_criterion k)
{
	double v = -1;
	assert_int_equal(kith_seeds_plan_criterion(p, seed_index(p, h(c, id)), k, &v), KITH_OK);
	return v;
}

static char *plan_json(const kith_seeds_plan *p)
{
	size_t need = 0;
	assert_int_equal(kith_seeds_plan_to_json(p, NULL, 0, &need), KITH_OK);
	char *buf = malloc(need + 1);
	assert_non_null(buf);
	size_t again = 0;
	assert_int_equal(kith_seeds_plan_to_json(p, buf, need + 1, &again), KITH_OK);
	assert_int_equal(again, need);
	assert_int_equal(strlen(buf), need);
	return buf;
}

/* Every member a seed: k = all, no quality floor, coverage barely counts. */
static void everyone(kith_community *c)
{
	set(c, "seeds.k", "1000");
	set(c, "seeds.min_quality", "-1");
	set(c, "seeds.lambda", "0.0001");
}

/* ---- criteria ------------------------------------------------------------------ */

static void need_feedback_complaints(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	for (int i = 0; i < 3; i++)
		line(c, "%lld\tjoin\t%c", (long long)T0, 'a' + i);
	int64_t t = T0 + HOUR;
	line(c, "%lld\tmsg\ta\tid=1\ttext=how?", (long long)t);
	line(c, "%lld\tmsg\ta\tid=2\ttags=question", (long long)t);
	line(c, "%lld\tmsg\tb\tid=3\ttags=question", (long long)t);
	line(c, "%lld\tmsg\tb\tid=4\ttags=feedback", (long long)t);
	line(c, "%lld\tmsg\tb\tid=5\ttags=feedback", (long long)t);
	line(c, "%lld\tmsg\tc\tid=6\ttags=feedback", (long long)t);
	line(c, "%lld\tmsg\tc\tid=7\ttags=complaint", (long long)t);
	everyone(c);
	kith_seeds_plan *p = plan(c, t, KITH_SEEDS_SEED_USERS);
	assert_int_equal(kith_seeds_plan_count(p), 3);
	assert_true(crit(c, p, "a", KITH_SEEDS_NEED) == 1.0);
	assert_true(crit(c, p, "b", KITH_SEEDS_NEED) == 0.5);
	assert_true(crit(c, p, "c", KITH_SEEDS_NEED) == 0.0);
	assert_true(crit(c, p, "a", KITH_SEEDS_FEEDBACK) == 0.0);
	assert_true(crit(c, p, "b", KITH_SEEDS_FEEDBACK) == 1.0);
	assert_true(crit(c, p, "c", KITH_SEEDS_FEEDBACK) == 0.5);
	assert_true(crit(c, p, "a", KITH_SEEDS_COMPLAINTS) == 0.0);
	assert_true(crit(c, p, "c", KITH_SEEDS_COMPLAINTS) == 1.0);

	/* The quality is the documented formula of the criteria and weights. */
	for (size_t i = 0; i < kith_seeds_plan_count(p); i++) {
		double q, w, v, sum = 0, wsum = 0;
		assert_int_equal(kith_seeds_plan_entry(p, i, NULL, NULL, &q, NULL), KITH_OK);
		for (int k = 0; k < KITH_SEEDS_CRITERION_COUNT; k++) {
			assert_int_equal(kith_seeds_plan_weight(p, (kith_seeds_criterion)k, &w), KITH_OK);
			assert_int_equal(kith_seeds_plan_criterion(p, i, (kith_seeds_criterion)k, &v),
			                 KITH_OK);
			assert_true(v >= 0 && v <= 1);
			if (k < KITH_SEEDS_COMPLAINTS) {
				sum += w * v;
				wsum += w;
			} else {
				sum -= w * v;
			}
		}
		assert_true(fabs(q - sum / wsum) < 1e-12);
	}
	/* seed-users' weights: need, openness, feedback 3; the rest 1; penalties 2, 3. */
	double w;
	assert_int_equal(kith_seeds_plan_weight(p, KITH_SEEDS_NEED, &w), KITH_OK);
	assert_true(w == 3);
	assert_int_equal(kith_seeds_plan_weight(p, KITH_SEEDS_REACH, &w), KITH_OK);
	assert_true(w == 1);
	assert_int_equal(kith_seeds_plan_weight(p, KITH_SEEDS_VIOLATIONS, &w), KITH_OK);
	assert_true(w == 3);
	kith_seeds_plan_free(p);
	kith_community_free(c);
}

static void openness_activity_content_violations(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	line(c, "%lld\tjoin\ta", (long long)T0);
	line(c, "%lld\tjoin\tb", (long long)(T0 + 10 * DAY));
	line(c, "%lld\tjoin\tc", (long long)(T0 + 20 * DAY));
	int64_t t = T0 + 20 * DAY + HOUR;
	line(c, "%lld\tattend\ta\tname=qa", (long long)t);
	line(c, "%lld\tattend\ta\tname=qa", (long long)t);
	line(c, "%lld\tattend\tb\tname=qa", (long long)t);
	line(c, "%lld\tpurchase\tc\tamount=100", (long long)t);
	/* Active days in the last 7: a on 4, b on 2, c on none. */
	for (int d = 0; d < 4; d++) {
		line(c, "%lld\tmsg\ta\tid=a%d\tkind=text\tlen=40", (long long)(t + (d + 2) * DAY), d);
		if (d < 2)
			line(c, "%lld\tmsg\tb\tid=b%d\tkind=article\tlen=900",
			     (long long)(t + (d + 2) * DAY), d);
	}
	int64_t now = t + 6 * DAY;
	assert_true(kith_members_reserve_extra(&c->mem, &c->members));
	kith_members_extra_get(&c->members, h(c, "b"))->violations = 4;
	kith_members_extra_get(&c->members, h(c, "c"))->violations = 1;
	everyone(c);
	/* A light penalty, so that b's violations leave its quality above 0. */
	set(c, "seeds.penalty_violations", "0.5");
	set(c, "seeds.window_days", "7");
	kith_seeds_plan *p = plan(c, now, KITH_SEEDS_SEED_USERS);
	assert_int_equal(kith_seeds_plan_count(p), 3);
	/* Openness: (early + attended / most attended + purchased) / 3. */
	assert_true(fabs(crit(c, p, "a", KITH_SEEDS_OPENNESS) - (1.0 + 1.0 + 0.0) / 3) < 1e-12);
	assert_true(fabs(crit(c, p, "b", KITH_SEEDS_OPENNESS) - (0.5 + 0.5 + 0.0) / 3) < 1e-12);
	assert_true(fabs(crit(c, p, "c", KITH_SEEDS_OPENNESS) - (0.0 + 0.0 + 1.0) / 3) < 1e-12);
	assert_true(crit(c, p, "a", KITH_SEEDS_ACTIVITY) == 1.0);
	assert_true(crit(c, p, "b", KITH_SEEDS_ACTIVITY) == 0.5);
	assert_true(crit(c, p, "c", KITH_SEEDS_ACTIVITY) == 0.0);
	assert_true(crit(c, p, "b", KITH_SEEDS_VIOLATIONS) == 1.0);
	assert_true(crit(c, p, "c", KITH_SEEDS_VIOLATIONS) == 0.25);
	assert_true(crit(c, p, "a", KITH_SEEDS_VIOLATIONS) == 0.0);
	/* Content: the mean value of a member's messages over the best mean. */
	double sa, sb;
	assert_int_equal(kith_member_score(c, h(c, "a"), now, &sa), KITH_OK);
	assert_int_equal(kith_member_score(c, h(c, "b"), now, &sb), KITH_OK);
	double ma = sa / 4, mb = sb / 2, best = ma > mb ? ma : mb;
	assert_true(best > 0);
	assert_true(fabs(crit(c, p, "a", KITH_SEEDS_CONTENT) - ma / best) < 1e-12);
	assert_true(fabs(crit(c, p, "b", KITH_SEEDS_CONTENT) - mb / best) < 1e-12);
	assert_true(crit(c, p, "c", KITH_SEEDS_CONTENT) == 0.0);
	kith_seeds_plan_free(p);
	kith_community_free(c);
}

/* A star: every leaf replied to the centre, so the centre reaches them. */
static kith_community *star(int leaves)
{
	kith_community *c = test_community_new(NULL);
	line(c, "%lld\tmsg\tcentre\tid=s0\tkind=text\tlen=50", (long long)T0);
	for (int i = 0; i < leaves; i++)
		line(c, "%lld\tmsg\tleaf%d\tid=l%d\treply=s0\tto=centre", (long long)(T0 + 1000 + i), i,
		     i);
	return c;
}

static void star_centre_first(void **state)
{
	(void)state;
	kith_community *c = star(6);
	set(c, "seeds.k", "3");
	kith_seeds_plan *p = plan(c, T0 + DAY, KITH_SEEDS_OPINION_LEADERS);
	uint32_t m;
	double gain, quality, reach;
	assert_int_equal(kith_seeds_plan_entry(p, 0, &m, &gain, &quality, &reach), KITH_OK);
	assert_int_equal(m, h(c, "centre"));
	/* Each leaf has one in-edge, of probability 1: the centre reaches all 7. */
	assert_true(fabs(reach - 7) < 0.5);
	assert_true(crit(c, p, "centre", KITH_SEEDS_REACH) == 1.0);
	assert_true(fabs(kith_seeds_plan_coverage(p) - 7) < 1e-9);
	/* The others add no coverage: their gains are their qualities. */
	for (size_t i = 1; i < kith_seeds_plan_count(p); i++) {
		assert_int_equal(kith_seeds_plan_entry(p, i, NULL, &gain, &quality, NULL), KITH_OK);
		assert_true(fabs(gain - quality) < 1e-12);
	}
	/* Under linear threshold the same. */
	set(c, "seeds.linear_threshold", "yes");
	kith_seeds_plan_free(p);
	p = plan(c, T0 + DAY, KITH_SEEDS_OPINION_LEADERS);
	assert_int_equal(kith_seeds_plan_entry(p, 0, &m, NULL, NULL, NULL), KITH_OK);
	assert_int_equal(m, h(c, "centre"));
	kith_seeds_plan_free(p);
	kith_community_free(c);
}

/* ---- exclusions ------------------------------------------------------------------ */

static void exclusions_counted(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	const char *ids[] = {"boss", "mod", "troll", "gone", "nope", "skip", "grump", "ok1", "ok2"};
	for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
		line(c, "%lld\tmsg\t%s\tid=m%zu\ttext=why?", (long long)T0, ids[i], i);
	int64_t t = T0 + HOUR;
	line(c, "%lld\trole\tboss\trole=+owner", (long long)t);
	line(c, "%lld\trole\tmod\trole=+admin\tby=boss", (long long)t);
	line(c, "%lld\tban\ttroll\tby=mod", (long long)t);
	line(c, "%lld\tleave\tgone", (long long)t);
	/* grump complained, and complaints weigh heavily here: quality under 0. */
	line(c, "%lld\tmsg\tgrump\tid=g1\ttags=complaint", (long long)t);
	set(c, "seeds.deny", "nope, stranger");
	set(c, "seeds.penalty_complaints", "100");
	set(c, "seeds.min_quality", "0");
	set(c, "seeds.k", "100");
	uint32_t skip = h(c, "skip");
	kith_seeds_plan *p = NULL;
	assert_int_equal(kith_seeds_plan_new(c, t, KITH_SEEDS_SEED_USERS, &skip, 1, &p), KITH_OK);
	assert_int_equal(kith_seeds_plan_excluded(p, KITH_SEEDS_EXCLUDED_BANNED), 1);
	assert_int_equal(kith_seeds_plan_excluded(p, KITH_SEEDS_EXCLUDED_ABSENT), 1);
	assert_int_equal(kith_seeds_plan_excluded(p, KITH_SEEDS_EXCLUDED_DENIED), 2);
	assert_int_equal(kith_seeds_plan_excluded(p, KITH_SEEDS_EXCLUDED_STAFF), 2);
	assert_int_equal(kith_seeds_plan_excluded(p, KITH_SEEDS_EXCLUDED_LOW_QUALITY), 1);
	assert_int_equal(kith_seeds_plan_excluded(p, (kith_seeds_exclusion)0), 0);
	assert_int_equal(kith_seeds_plan_count(p), 2);
	assert_true(is_seed(p, h(c, "ok1")) && is_seed(p, h(c, "ok2")));
	char *json = plan_json(p);
	assert_non_null(strstr(json, "\"excluded\":{\"banned\":1,\"absent\":1,\"denied\":2,"
	                             "\"staff\":2,\"low-quality\":1,\"total\":7}"));
	free(json);
	kith_seeds_plan_free(p);

	/* Staff may be chosen when asked; the deny list still holds. */
	set(c, "seeds.include_staff", "yes");
	assert_int_equal(kith_seeds_plan_new(c, t, KITH_SEEDS_SEED_USERS, &skip, 1, &p), KITH_OK);
	assert_int_equal(kith_seeds_plan_excluded(p, KITH_SEEDS_EXCLUDED_STAFF), 0);
	assert_true(is_seed(p, h(c, "boss")) && is_seed(p, h(c, "mod")));
	assert_false(is_seed(p, h(c, "nope")) || is_seed(p, skip));
	assert_int_equal(kith_seeds_plan_count(p), 4);
	kith_seeds_plan_free(p);
	kith_community_free(c);
}

/* ---- diversity ------------------------------------------------------------------------ */

static void diversity_cap(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	set(c, "seeds.diversity", "2");
	int64_t t = T0;
	/* Five members talk linux most, two python; a sixth mostly python
	 * with a little linux; one has no tags. */
	for (int i = 0; i < 5; i++)
		for (int j = 0; j <= i; j++)
			line(c, "%lld\tmsg\tl%d\tid=l%d.%d\ttags=linux,question", (long long)++t, i, i,
			     j);
	line(c, "%lld\tmsg\tp0\tid=p0\ttags=python", (long long)++t);
	line(c, "%lld\tmsg\tp1\tid=p1\ttags=python,feedback", (long long)++t);
	line(c, "%lld\tmsg\tmix\tid=x0\ttags=linux", (long long)++t);
	line(c, "%lld\tmsg\tmix\tid=x1\ttags=python", (long long)++t);
	line(c, "%lld\tmsg\tmix\tid=x2\ttags=python", (long long)++t);
	line(c, "%lld\tmsg\tnone\tid=n0", (long long)++t);
	set(c, "seeds.k", "7");
	set(c, "seeds.min_quality", "-1");
	kith_seeds_plan *p = plan(c, t, KITH_SEEDS_SEED_USERS);
	size_t linux_n = 0, python_n = 0, untagged = 0;
	for (size_t i = 0; i < kith_seeds_plan_count(p); i++) {
		const char *tag = kith_seeds_plan_tag(p, i);
		if (!tag)
			untagged++;
		else if (strcmp(tag, "linux") == 0)
			linux_n++;
		else if (strcmp(tag, "python") == 0)
			python_n++;
		else
			fail_msg("seed %zu has tag %s", i, tag);
	}
	/* question is each l member's tag as often as linux: the lower tag
	 * (interned first) is linux. mix is python's. */
	assert_int_equal(linux_n, 2);
	assert_int_equal(python_n, 2);
	assert_int_equal(untagged, 1);
	assert_int_equal(kith_seeds_plan_count(p), 5);
	assert_int_equal(kith_seeds_plan_capped(p), 4); /* three l members and one of p0, p1, mix */
	assert_true(is_seed(p, h(c, "none")));
	char *json = plan_json(p);
	assert_non_null(strstr(json, "\"diversity\":2,\"capped\":4"));
	assert_non_null(strstr(json, "\"tag\":\"linux\""));
	free(json);
	kith_seeds_plan_free(p);

	/* The tags survive a snapshot: the same plan from the loaded copy. */
	size_t n;
	unsigned char *snap = test_save(c, &n);
	kith_community *d = test_community_new(NULL);
	assert_int_equal(test_load(d, snap, n), KITH_OK);
	test_assert_same_snapshot(c, d);
	kith_seeds_plan *a = plan(c, t, KITH_SEEDS_SEED_USERS), *b = plan(d, t, KITH_SEEDS_SEED_USERS);
	char *ja = plan_json(a), *jb = plan_json(b);
	assert_string_equal(ja, jb);
	free(ja);
	free(jb);
	kith_seeds_plan_free(a);
	kith_seeds_plan_free(b);
	/* No cap: no tags in the plan. */
	set(c, "seeds.diversity", "0");
	p = plan(c, t, KITH_SEEDS_SEED_USERS);
	assert_int_equal(kith_seeds_plan_count(p), 7);
	assert_null(kith_seeds_plan_tag(p, 0));
	kith_seeds_plan_free(p);
	free(snap);
	kith_community_free(d);
	kith_community_free(c);
}

/* ---- presets and settings ----------------------------------------------------------- */

static void presets_and_settings(void **state)
{
	(void)state;
	kith_community *c = star(19);
	char buf[64];
	assert_int_equal(kith_setting_get(c, "seeds.preset", KITH_NUL_TERMINATED, buf, sizeof buf,
	                                  NULL),
	                 KITH_OK);
	assert_string_equal(buf, "opinion-leaders");
	/* 20 present, 10%: k = 2 for either preset. */
	kith_seeds_plan *p = plan(c, T0 + DAY, KITH_SEEDS_PRESET_SETTING);
	assert_int_equal(kith_seeds_plan_k(p), 2);
	double w;
	assert_int_equal(kith_seeds_plan_weight(p, KITH_SEEDS_CONTENT, &w), KITH_OK);
	assert_true(w == 3);
	char *json = plan_json(p);
	assert_non_null(strstr(json, "\"preset\":\"opinion-leaders\""));
	free(json);
	kith_seeds_plan_free(p);
	/* A weight set replaces the preset's for every preset; -1 gives it back. */
	set(c, "seeds.weight_content", "7");
	set(c, "seeds.preset", "seed-users");
	set(c, "seeds.k_share", "0.25");
	p = plan(c, T0 + DAY, KITH_SEEDS_PRESET_SETTING);
	assert_int_equal(kith_seeds_plan_weight(p, KITH_SEEDS_CONTENT, &w), KITH_OK);
	assert_true(w == 7);
	assert_int_equal(kith_seeds_plan_weight(p, KITH_SEEDS_NEED, &w), KITH_OK);
	assert_true(w == 3);
	assert_int_equal(kith_seeds_plan_k(p), 5);
	kith_seeds_plan_free(p);
	set(c, "seeds.weight_content", "-1");
	set(c, "seeds.k", "4");
	p = plan(c, T0 + DAY, KITH_SEEDS_OPINION_LEADERS);
	assert_int_equal(kith_seeds_plan_weight(p, KITH_SEEDS_CONTENT, &w), KITH_OK);
	assert_true(w == 3);
	assert_int_equal(kith_seeds_plan_k(p), 4);
	kith_seeds_plan_free(p);
	/* Bad values are refused and change nothing. */
	assert_int_equal(kith_setting_set(c, "seeds.epsilon", KITH_NUL_TERMINATED, "1",
	                                  KITH_NUL_TERMINATED),
	                 KITH_ERANGE);
	assert_int_equal(kith_setting_set(c, "seeds.k", KITH_NUL_TERMINATED, "-3",
	                                  KITH_NUL_TERMINATED),
	                 KITH_EINVAL);
	assert_int_equal(kith_setting_set(c, "seeds.preset", KITH_NUL_TERMINATED, "all",
	                                  KITH_NUL_TERMINATED),
	                 KITH_EINVAL);
	assert_int_equal(kith_setting_get(c, "seeds.k", KITH_NUL_TERMINATED, buf, sizeof buf, NULL),
	                 KITH_OK);
	assert_string_equal(buf, "4");
	kith_community_free(c);
}

/* ---- the greedy against every k-subset --------------------------------------------- */

/* Influence edges given as (from, to) pairs of nodes 0 .. n-1, made in
 * the community as replies from `to` to `from`'s message. */
struct small {
	int n;
	int m;
	int from[16], to[16];
};

/* Exact expected spread under IC by enumerating every live-edge outcome,
 * with the weighted cascade probabilities worked out here: 1 over the
 * target's in-degree (every pair interacts once). */
static double exact_spread(const struct small *g, unsigned set)
{
	int indeg[16] = {0};
	for (int e = 0; e < g->m; e++)
		indeg[g->to[e]]++;
	double total = 0;
	for (unsigned live = 0; live < (1u << g->m); live++) {
		double pr = 1;
		for (int e = 0; e < g->m; e++) {
			double p = 1.0 / indeg[g->to[e]];
			pr *= (live >> e) & 1 ? p : 1 - p;
		}
		if (pr == 0)
			continue;
		unsigned reached = set;
		for (bool grew = true; grew;) {
			grew = false;
			for (int e = 0; e < g->m; e++)
				if (((live >> e) & 1) && ((reached >> g->from[e]) & 1) &&
				    !((reached >> g->to[e]) & 1)) {
					reached |= 1u << g->to[e];
					grew = true;
				}
		}
		total += pr * (double)__builtin_popcount(reached);
	}
	return total;
}

static void greedy_against_enumeration(const struct small *g, int k, bool must_equal)
{
	kith_community *c = test_community_new(NULL);
	for (int v = 0; v < g->n; v++)
		line(c, "%lld\tmsg\tn%d\tid=p%d", (long long)T0, v, v);
	for (int e = 0; e < g->m; e++)
		line(c, "%lld\tmsg\tn%d\tid=r%d\treply=p%d\tto=n%d", (long long)(T0 + 1 + e), g->to[e],
		     e, g->from[e], g->from[e]);
	/* Pure influence maximisation: no quality, coverage only. */
	const char *w[] = {"weight_need", "weight_openness", "weight_feedback", "weight_content",
	                   "weight_activity", "weight_reach", "penalty_complaints",
	                   "penalty_violations"};
	for (size_t i = 0; i < sizeof w / sizeof w[0]; i++) {
		char name[64];
		snprintf(name, sizeof name, "seeds.%s", w[i]);
		set(c, name, "0");
	}
	set(c, "seeds.lambda", "1");
	set(c, "seeds.min_quality", "-1");
	set(c, "seeds.epsilon", "0.05");
	char kk[16];
	snprintf(kk, sizeof kk, "%d", k);
	set(c, "seeds.k", kk);
	kith_seeds_plan *p = plan(c, T0 + DAY, KITH_SEEDS_OPINION_LEADERS);
	assert_int_equal(kith_seeds_plan_count(p), (size_t)k);
	unsigned chosen = 0;
	for (int i = 0; i < k; i++) {
		uint32_t m;
		assert_int_equal(kith_seeds_plan_entry(p, (size_t)i, &m, NULL, NULL, NULL), KITH_OK);
		chosen |= 1u << m; /* node v is member handle v */
	}
	double best = 0;
	for (unsigned s = 0; s < (1u << g->n); s++)
		if (__builtin_popcount(s) == k) {
			double x = exact_spread(g, s);
			best = x > best ? x : best;
		}
	double got = exact_spread(g, chosen);
	if (must_equal)
		assert_true(fabs(got - best) < 1e-9);
	else if (got < (1 - 1 / 2.718281828459045 - 0.05) * best)
		fail_msg("greedy %g, best %g", got, best);
	/* The plan's estimate of its coverage is close to the exact spread. */
	assert_true(fabs(kith_seeds_plan_coverage(p) - got) < 0.1 * got);
	kith_seeds_plan_free(p);
	kith_community_free(c);
}

static void greedy_finds_the_optimum(void **state)
{
	(void)state;
	/* Two stars (centres 0 and 4) and a path: leaves have in-degree 1, so
	 * spreads are certain; the best pair is both centres. */
	struct small stars = {10, 7, {0, 0, 0, 4, 4, 7, 8}, {1, 2, 3, 5, 6, 8, 9}};
	greedy_against_enumeration(&stars, 2, true);
	greedy_against_enumeration(&stars, 3, true);
	/* A tangle where edges share targets (probabilities 1/2, 1/3). */
	struct small tangle = {8, 12, {0, 1, 0, 2, 1, 3, 4, 5, 6, 0, 4, 2},
	                       {1, 2, 2, 3, 3, 4, 5, 6, 7, 7, 7, 5}};
	greedy_against_enumeration(&tangle, 2, false);
	greedy_against_enumeration(&tangle, 3, false);
}

/* ---- determinism and snapshots -------------------------------------------------------- */

static void deterministic_and_snapshotted(void **state)
{
	(void)state;
	kith_community *c = star(30);
	for (int i = 0; i < 30; i += 3)
		line(c, "%lld\treact\tleaf%d\tmsg=l%d\tto=leaf%d", (long long)(T0 + 5000 + i), i + 1, i,
		     i);
	set(c, "seeds.weight_reach", "2");
	set(c, "seeds.deny", "leaf3");
	kith_seeds_plan *a = plan(c, T0 + DAY, KITH_SEEDS_OPINION_LEADERS);
	kith_seeds_plan *b = plan(c, T0 + DAY, KITH_SEEDS_OPINION_LEADERS);
	char *ja = plan_json(a), *jb = plan_json(b);
	assert_string_equal(ja, jb);
	size_t n;
	unsigned char *snap = test_save(c, &n);
	kith_community *d = test_community_new(NULL);
	assert_int_equal(test_load(d, snap, n), KITH_OK);
	kith_seeds_plan *e = plan(d, T0 + DAY, KITH_SEEDS_OPINION_LEADERS);
	char *je = plan_json(e);
	assert_string_equal(ja, je);
	test_assert_same_snapshot(c, d);
	free(ja);
	free(jb);
	free(je);
	free(snap);
	kith_seeds_plan_free(a);
	kith_seeds_plan_free(b);
	kith_seeds_plan_free(e);
	kith_community_free(d);

	/* A community that sets nothing of seeds saves no seeds section. */
	kith_community *plain = star(3), *set_back = star(3);
	set(set_back, "seeds.k", "2");
	set(set_back, "seeds.k", "0");
	unsigned char *s1 = test_save(plain, &n);
	size_t n2;
	unsigned char *s2 = test_save(set_back, &n2);
	assert_true(n2 > n); /* set once, the section stays, with the defaults */
	for (size_t i = 0; i + 7 <= n; i++)
		assert_false(memcmp(s1 + i, "seeds.k", 7) == 0);
	free(s1);
	free(s2);
	kith_community_free(plain);
	kith_community_free(set_back);
	kith_community_free(c);
}

/* ---- bad arguments and allocation failures --------------------------------------------- */

static void bad_arguments(void **state)
{
	(void)state;
	kith_community *c = star(3);
	kith_seeds_plan *p = (kith_seeds_plan *)&p;
	uint32_t bad = 99;
	assert_int_equal(kith_seeds_plan_new(NULL, T0, KITH_SEEDS_SEED_USERS, NULL, 0, &p),
	                 KITH_EINVAL);
	assert_null(p);
	assert_int_equal(kith_seeds_plan_new(c, T0, KITH_SEEDS_SEED_USERS, NULL, 0, NULL),
	                 KITH_EINVAL);
	assert_int_equal(kith_seeds_plan_new(c, T0, (kith_seeds_preset)7, NULL, 0, &p), KITH_EINVAL);
	assert_non_null(strstr(kith_community_last_error(c), "unknown preset 7"));
	assert_int_equal(kith_seeds_plan_new(c, KITH_TIME_NONE, KITH_SEEDS_SEED_USERS, NULL, 0, &p),
	                 KITH_EINVAL);
	assert_int_equal(kith_seeds_plan_new(c, T0, KITH_SEEDS_SEED_USERS, NULL, 2, &p), KITH_EINVAL);
	assert_int_equal(kith_seeds_plan_new(c, T0, KITH_SEEDS_SEED_USERS, &bad, 1, &p),
	                 KITH_ENOTFOUND);
	assert_non_null(strstr(kith_community_last_error(c), "deny[0] = 99"));
	set(c, "seeds.linear_threshold", "yes");
	set(c, "seeds.edge_probability", "0.3");
	assert_int_equal(kith_seeds_plan_new(c, T0, KITH_SEEDS_SEED_USERS, NULL, 0, &p), KITH_ERANGE);
	assert_null(p);
	/* A constant probability under IC is fine. */
	set(c, "seeds.linear_threshold", "no");
	assert_int_equal(kith_seeds_plan_new(c, T0, KITH_SEEDS_SEED_USERS, NULL, 0, &p), KITH_OK);
	kith_seeds_plan_free(p);
	/* Readers of NULL. */
	assert_int_equal(kith_seeds_plan_count(NULL), 0);
	assert_int_equal(kith_seeds_plan_k(NULL), 0);
	assert_true(kith_seeds_plan_coverage(NULL) == 0);
	assert_int_equal(kith_seeds_plan_excluded(NULL, KITH_SEEDS_EXCLUDED_STAFF), 0);
	assert_int_equal(kith_seeds_plan_entry(NULL, 0, NULL, NULL, NULL, NULL), KITH_EINVAL);
	assert_int_equal(kith_seeds_plan_to_json(NULL, NULL, 0, NULL), KITH_EINVAL);
	assert_string_equal(kith_seeds_preset_name((kith_seeds_preset)9), "unknown");
	assert_string_equal(kith_seeds_criterion_name(KITH_SEEDS_VIOLATIONS), "violations");
	assert_string_equal(kith_seeds_exclusion_name(KITH_SEEDS_EXCLUDED_LOW_QUALITY),
	                    "low-quality");
	kith_seeds_plan_free(NULL);
	/* An empty community gives an empty plan. */
	kith_community *e = test_community_new(NULL);
	p = plan(e, T0, KITH_SEEDS_SEED_USERS);
	assert_int_equal(kith_seeds_plan_count(p), 0);
	assert_int_equal(kith_seeds_plan_entry(p, 0, NULL, NULL, NULL, NULL), KITH_ENOTFOUND);
	kith_seeds_plan_free(p);
	kith_community_free(e);
	kith_community_free(c);
}

static kith_status make_plan(kith_community *c, int64_t now, void **out)
{
	return kith_seeds_plan_new(c, now, KITH_SEEDS_OPINION_LEADERS, NULL, 0,
	                           (kith_seeds_plan **)out);
}

static char *render_plan(const void *p)
{
	return plan_json(p);
}

static void release_plan(void *p)
{
	kith_seeds_plan_free(p);
}

static void allocation_failures(void **state)
{
	(void)state;
	struct test_alloc ta;
	memset(&ta, 0, sizeof ta);
	kith_community *c = test_community_new(&ta);
	line(c, "%lld\tmsg\tcentre\tid=s0\tkind=text\tlen=50", (long long)T0);
	for (int i = 0; i < 8; i++)
		line(c, "%lld\tmsg\tleaf%d\tid=l%d\treply=s0\tto=centre", (long long)(T0 + 1 + i), i, i);
	set(c, "seeds.deny", "leaf2");
	kith_seeds_plan *p = plan(c, T0 + DAY, KITH_SEEDS_OPINION_LEADERS);
	char *want = plan_json(p);
	kith_seeds_plan_free(p);
	const struct test_engine e = {make_plan, render_plan, release_plan};
	assert_true(test_each_allocation_fails(c, &ta, T0 + DAY, &e, want) > 5);
	free(want);
	kith_community_free(c);
}

/* ---- the #ubuntu replay ------------------------------------------------------------------ */

struct count {
	char *id;
	uint32_t n;
};

/* A table of counts by id, open addressing (cap a power of two). */
struct counts {
	struct count *slot;
	size_t used, cap;
};

static uint64_t fnv(const char *s, size_t n)
{
	uint64_t x = 1469598103934665603u;
	for (size_t i = 0; i < n; i++)
		x = (x ^ (unsigned char)s[i]) * 1099511628211u;
	return x;
}

static void count_id(struct counts *t, const char *id, size_t n)
{
	if (2 * (t->used + 1) > t->cap) {
		struct counts bigger = {calloc(t->cap ? 2 * t->cap : 1024, sizeof *t->slot), 0,
		                        t->cap ? 2 * t->cap : 1024};
		assert_non_null(bigger.slot);
		for (size_t i = 0; i < t->cap; i++)
			if (t->slot[i].id) {
				size_t j = fnv(t->slot[i].id, strlen(t->slot[i].id)) & (bigger.cap - 1);
				while (bigger.slot[j].id)
					j = (j + 1) & (bigger.cap - 1);
				bigger.slot[j] = t->slot[i];
				bigger.used++;
			}
		free(t->slot);
		*t = bigger;
	}
	size_t j = fnv(id, n) & (t->cap - 1);
	while (t->slot[j].id && (strlen(t->slot[j].id) != n || memcmp(t->slot[j].id, id, n) != 0))
		j = (j + 1) & (t->cap - 1);
	if (!t->slot[j].id) {
		t->slot[j].id = malloc(n + 1);
		assert_non_null(t->slot[j].id);
		memcpy(t->slot[j].id, id, n);
		t->slot[j].id[n] = '\0';
		t->used++;
	}
	t->slot[j].n++;
}

static int by_count(const void *a, const void *b)
{
	const struct count *x = a, *y = b;
	if (!x->id || !y->id)
		return !x->id - !y->id;
	return x->n != y->n ? (x->n < y->n ? 1 : -1) : strcmp(x->id, y->id);
}

static void ubuntu_opinion_leaders(void **state)
{
	(void)state;
	const char *dir = getenv("KITH_SHARED_DATA");
	char path[4096];
	size_t len = 0;
	snprintf(path, sizeof path, "%s/ubuntu-irc/ubuntu.trace", dir ? dir : "../shared/data");
	char *buf = test_read_file(path, &len);
	if (!buf) {
		skip();
		return;
	}
	kith_community *c = test_community_new(NULL);
	uint64_t done = 0;
	if (kith_community_ingest_trace(c, buf, len, &done) != KITH_OK)
		fail_msg("line %llu: %s", (unsigned long long)done + 1, kith_community_last_error(c));

	/* Count the replies each addressee received, from the text itself:
	 * the to= field of every msg line, by the id it names. */
	struct counts t = {NULL, 0, 0};
	for (char *p = buf, *end = buf + len; p < end;) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *eol = nl ? nl : end;
		*eol = '\0';
		char *tab1 = strchr(p, '\t');
		if (p[0] != '#' && tab1 && strncmp(tab1 + 1, "msg\t", 4) == 0) {
			char *to = strstr(tab1, "\tto=");
			if (to)
				count_id(&t, to + 4, strcspn(to + 4, "\t"));
		}
		p = nl ? nl + 1 : end;
	}
	qsort(t.slot, t.cap, sizeof *t.slot, by_count);
	struct count *counts = t.slot;
	size_t nc = t.used;

	kith_seeds_plan *p = plan(c, kith_community_last_event_ms(c), KITH_SEEDS_OPINION_LEADERS);
	size_t top = kith_seeds_plan_count(p) < 10 ? kith_seeds_plan_count(p) : 10;
	assert_int_equal(top, 10);
	/* The three present members most replied to are among the top ten. */
	int checked = 0;
	for (size_t i = 0; i < nc && checked < 3; i++) {
		uint32_t m;
		int64_t present = 0;
		if (kith_community_find_member(c, counts[i].id, KITH_NUL_TERMINATED, &m) != KITH_OK)
			continue;
		assert_int_equal(kith_member_stat(c, m, KITH_STAT_PRESENT, &present), KITH_OK);
		if (!present || kith_member_has_role(c, m, KITH_ROLE_OWNER) ||
		    kith_member_has_role(c, m, KITH_ROLE_ADMIN))
			continue;
		bool found = false;
		for (size_t j = 0; j < top; j++) {
			uint32_t s;
			assert_int_equal(kith_seeds_plan_entry(p, j, &s, NULL, NULL, NULL), KITH_OK);
			found |= s == m;
		}
		if (!found)
			fail_msg("%s, replied to %u times, is not among the top ten", counts[i].id,
			         counts[i].n);
		checked++;
	}
	assert_int_equal(checked, 3);
	print_message("ubuntu: %zu present, k %zu, coverage %.1f\n",
	              (size_t)kith_community_present_count(c), kith_seeds_plan_k(p),
	              kith_seeds_plan_coverage(p));
	for (size_t i = 0; i < nc; i++)
		free(counts[i].id);
	free(counts);
	kith_seeds_plan_free(p);
	kith_community_free(c);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(need_feedback_complaints),
	        cmocka_unit_test(openness_activity_content_violations),
	        cmocka_unit_test(star_centre_first),
	        cmocka_unit_test(exclusions_counted),
	        cmocka_unit_test(diversity_cap),
	        cmocka_unit_test(presets_and_settings),
	        cmocka_unit_test(greedy_finds_the_optimum),
	        cmocka_unit_test(deterministic_and_snapshotted),
	        cmocka_unit_test(bad_arguments),
	        cmocka_unit_test(allocation_failures),
	        cmocka_unit_test(ubuntu_opinion_leaders),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
