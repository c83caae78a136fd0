/*
 * kith-report: SEEDS, the seeds engine's two plans: whom to make opinion
 * leaders and whom to invite as seed users, each seed with its strongest
 * reasons.
 *
 * SPDX-License-Identifier: MIT
 */
#include "report.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const kith_seeds_preset presets[SEEDS_PLANS] = {KITH_SEEDS_OPINION_LEADERS,
                                                       KITH_SEEDS_SEED_USERS};
static const char *const plan_titles[SEEDS_PLANS] = {"make these opinion leaders",
                                                     "invite these as seed users"};
static const char *const plan_keys[SEEDS_PLANS] = {"opinion_leaders", "seed_users"};

/* Both presets ask for 10% of the present members unless the charter
 * says otherwise (seeds.k, seeds.k_share): on ubuntu.trace (23,823
 * present) that is k = 2,382, and the whole report, both plans included,
 * takes 0.4 s of CPU, so k is left as the charter has it. */
void seeds_make(kith_community *c, int64_t now, struct seeds_report *r)
{
	memset(r, 0, sizeof *r);
	for (int i = 0; i < SEEDS_PLANS; i++)
		if (kith_seeds_plan_new(c, now, presets[i], NULL, 0, &r->plan[i]) != KITH_OK)
			snprintf(r->error[i], sizeof r->error[i], "%s", kith_community_last_error(c));
}

void seeds_free(struct seeds_report *r)
{
	for (int i = 0; i < SEEDS_PLANS; i++)
		kith_seeds_plan_free(r->plan[i]);
}

/* The (at most three) criteria that weigh most in seed i's quality:
 * weight times criterion, the largest first, those above 0 only. */
static void reasons(const kith_seeds_plan *p, size_t i, char *buf, size_t size)
{
	double v[KITH_SEEDS_REACH + 1];
	size_t used = 0;
	buf[0] = '\0';
	for (int k = 0; k <= KITH_SEEDS_REACH; k++) {
		double w = 0, x = 0;
		kith_seeds_plan_weight(p, (kith_seeds_criterion)k, &w);
		kith_seeds_plan_criterion(p, i, (kith_seeds_criterion)k, &x);
		v[k] = w * x;
	}
	for (int shown = 0; shown < 3; shown++) {
		int best = -1;
		for (int k = 0; k <= KITH_SEEDS_REACH; k++)
			if (v[k] > 0 && (best < 0 || v[k] > v[best]))
				best = k;
		if (best < 0)
			break;
		int n = snprintf(buf + used, size - used, "%s%s %.2f", shown ? ", " : "",
		                 kith_seeds_criterion_name((kith_seeds_criterion)best), v[best]);
		if (n < 0 || (size_t)n >= size - used)
			break;
		used += (size_t)n;
		v[best] = 0;
	}
	if (!buf[0])
		snprintf(buf, size, "(none: no criterion above 0)");
}

static void print_plan(const kith_community *c, const kith_seeds_plan *p, const char *title,
                       const char *error)
{
	char n1[32], n2[32], n3[32], why[160];
	if (!p) {
		printf("  %s: no plan: %s\n", title, error);
		return;
	}
	size_t count = kith_seeds_plan_count(p);
	printf("  %s: %s chosen of k = %s; they reach %s members\n", title,
	       fmt_count(n3, sizeof n3, count), fmt_count(n1, sizeof n1, kith_seeds_plan_k(p)),
	       fmt_figure(n2, sizeof n2, kith_seeds_plan_coverage(p)));
	printf("    excluded:");
	size_t total = 0;
	for (int e = KITH_SEEDS_EXCLUDED_BANNED; e <= KITH_SEEDS_EXCLUDED_LOW_QUALITY; e++) {
		size_t x = kith_seeds_plan_excluded(p, (kith_seeds_exclusion)e);
		total += x;
		printf("%s %s %s", e == KITH_SEEDS_EXCLUDED_BANNED ? "" : ",",
		       kith_seeds_exclusion_name((kith_seeds_exclusion)e), fmt_count(n1, sizeof n1, x));
	}
	printf(" (%s in all)\n", fmt_count(n1, sizeof n1, total));
	if (count == 0)
		return;
	printf("    %-20s %7s %7s %7s  %s\n", "member", "gain", "quality", "reach",
	       "strongest reasons (weight x criterion)");
	for (size_t i = 0; i < count && i < SEEDS_SHOWN; i++) {
		uint32_t h = 0;
		double gain = 0, quality = 0, reach = 0;
		kith_seeds_plan_entry(p, i, &h, &gain, &quality, &reach);
		reasons(p, i, why, sizeof why);
		printf("    ");
		put_member_id(stdout, c, h, 20);
		printf(" %7.3f %7.3f %7.1f  %s\n", gain, quality, reach, why);
	}
	if (count > SEEDS_SHOWN)
		printf("    ... and %s more\n", fmt_count(n1, sizeof n1, count - SEEDS_SHOWN));
}

void print_seeds(const kith_community *c, const struct seeds_report *r)
{
	printf("\nSEEDS (whom to cultivate: the seeds engine's plans)\n");
	for (int i = 0; i < SEEDS_PLANS; i++)
		print_plan(c, r->plan[i], plan_titles[i], r->error[i]);
}

static kith_status plan_json(const void *o, char *b, size_t s, size_t *n)
{
	return kith_seeds_plan_to_json(o, b, s, n);
}

bool json_seeds(struct json *j, const struct seeds_report *r)
{
	json_open(j, "seeds", '{');
	for (int i = 0; i < SEEDS_PLANS; i++)
		if (!json_library(j, plan_keys[i], r->plan[i], plan_json))
			return false;
	json_close(j, "seeds", '}');
	return true;
}
