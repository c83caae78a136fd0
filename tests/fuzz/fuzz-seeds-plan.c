/*
 * libFuzzer target for seeds plans: the input is read as settings (k,
 * diversity, lambda, minimum quality, weights, staff, model, bounds,
 * epsilon), then a small community's events (up to 10 members: messages
 * with replies, mentions and tags, reactions, invitations, leaves, bans,
 * staff roles), and a deny array. Checks:
 *  - a plan is made, or refused only for the documented reasons (LT with
 *    a constant edge probability);
 *  - at most k seeds, distinct, each present, not banned, not denied
 *    (by the setting or the array), staff only with seeds.include_staff;
 *  - gains above 0, criteria in [0, 1], coverage between 0 and the
 *    present members, no more than seeds.diversity seeds share a tag;
 *  - exclusion counts add up to the members minus the eligible;
 *  - the same call gives the same JSON.
 *
 * SPDX-License-Identifier: MIT
 */
#include <kith.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz-seeds-plan: check failed at line %d: %s\n",         \
			        __LINE__, #cond);                                                  \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

#define MEMBERS 10

struct input {
	const uint8_t *p;
	size_t n;
};

static uint8_t take8(struct input *in)
{
	if (in->n == 0)
		return 0;
	in->n--;
	return *in->p++;
}

static void set(kith_community *c, const char *name, const char *value)
{
	CHECK(kith_setting_set(c, name, KITH_NUL_TERMINATED, value, KITH_NUL_TERMINATED) ==
	      KITH_OK);
}

static void set_num(kith_community *c, const char *name, double v)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%g", v);
	set(c, name, buf);
}

static char *json(const kith_seeds_plan *p)
{
	size_t need = 0;
	CHECK(kith_seeds_plan_to_json(p, NULL, 0, &need) == KITH_OK);
	char *buf = malloc(need + 1);
	CHECK(buf);
	CHECK(kith_seeds_plan_to_json(p, buf, need + 1, NULL) == KITH_OK);
	return buf;
}

static const char *const tag_lists[] = {NULL, "linux", "python", "linux,python", "question",
                                        "feedback", "complaint", "a,b,c,d"};
static const char *const weights[] = {"seeds.weight_need",     "seeds.weight_openness",
                                      "seeds.weight_feedback", "seeds.weight_content",
                                      "seeds.weight_activity", "seeds.weight_reach",
                                      "seeds.penalty_complaints", "seeds.penalty_violations"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = {data, size};
	kith_community *c = NULL;
	CHECK(kith_community_new(&c) == KITH_OK);
	uint8_t flags = take8(&in);
	unsigned diversity = take8(&in) % 4;
	set_num(c, "seeds.k", take8(&in) % 14);
	set_num(c, "seeds.diversity", diversity);
	set_num(c, "seeds.lambda", (take8(&in) % 8) * 0.25);
	set_num(c, "seeds.min_quality", ((int)(take8(&in) % 9) - 4) * 0.25);
	set_num(c, "seeds.epsilon", 0.1 + (take8(&in) % 8) * 0.1);
	double constant = (take8(&in) % 3) * 0.4;
	set_num(c, "seeds.edge_probability", constant);
	set(c, "seeds.include_staff", flags & 1 ? "yes" : "no");
	set(c, "seeds.linear_threshold", flags & 2 ? "yes" : "no");
	set(c, "seeds.imm_bounds", flags & 4 ? "yes" : "no");
	set(c, "seeds.preset", flags & 8 ? "seed-users" : "opinion-leaders");
	if (flags & 16)
		set(c, "seeds.deny", "m1, nobody, m3");
	for (int i = 0; i < 8; i++)
		if (take8(&in) & 1)
			set_num(c, weights[i], take8(&in) % 5);

	char ids[MEMBERS][4];
	for (int i = 0; i < MEMBERS; i++)
		snprintf(ids[i], sizeof ids[i], "m%d", i);
	int64_t t = INT64_C(1700000000000);
	char msg_ids[64][8];
	int msgs = 0, authors[64];
	size_t events = take8(&in) % 48;
	for (size_t e = 0; e < events && in.n > 0; e++) {
		uint8_t what = take8(&in), who = take8(&in) % MEMBERS, other = take8(&in);
		kith_event ev = KITH_EVENT_INIT;
		ev.time_ms = (t += 1000 + (int64_t)(what & 7) * 3600000);
		ev.actor = ids[who];
		ev.actor_len = KITH_NUL_TERMINATED;
		switch (what >> 5) {
		case 0:
		case 1:
		case 2:
			ev.type = KITH_EVENT_MESSAGE;
			if (msgs < 64) {
				snprintf(msg_ids[msgs], sizeof msg_ids[msgs], "x%d", msgs);
				ev.msg_id = msg_ids[msgs];
				ev.msg_id_len = KITH_NUL_TERMINATED;
				authors[msgs++] = who;
			}
			ev.tags = tag_lists[other % 8];
			ev.tags_len = KITH_NUL_TERMINATED;
			if (msgs > 1 && (other & 8)) {
				int to = (other >> 4) % (msgs - 1);
				ev.reply_to = msg_ids[to];
				ev.reply_to_len = KITH_NUL_TERMINATED;
				ev.to = ids[authors[to]];
				ev.to_len = KITH_NUL_TERMINATED;
			}
			break;
		case 3:
			if (!msgs)
				continue;
			ev.type = KITH_EVENT_REACTION;
			ev.msg_id = msg_ids[other % msgs];
			ev.msg_id_len = KITH_NUL_TERMINATED;
			ev.to = ids[authors[other % msgs]];
			ev.to_len = KITH_NUL_TERMINATED;
			break;
		case 4:
			ev.type = KITH_EVENT_JOIN;
			ev.by = ids[other % MEMBERS];
			ev.by_len = KITH_NUL_TERMINATED;
			break;
		case 5: ev.type = KITH_EVENT_LEAVE; break;
		case 6:
			ev.type = KITH_EVENT_BAN;
			ev.by = ids[other % MEMBERS];
			ev.by_len = KITH_NUL_TERMINATED;
			break;
		default:
			ev.type = KITH_EVENT_ROLE;
			ev.name = other & 1 ? "owner" : "admin";
			ev.name_len = KITH_NUL_TERMINATED;
			ev.op = KITH_OP_ADD;
			break;
		}
		kith_status st = kith_community_ingest(c, &ev);
		CHECK(st == KITH_OK || st == KITH_EINVAL);
	}
	uint32_t deny[3];
	size_t deny_n = 0, members = kith_community_member_count(c);
	for (int i = 0; i < 3 && members; i++)
		if (take8(&in) & 1)
			deny[deny_n++] = take8(&in) % members;

	int64_t now = kith_community_last_event_ms(c);
	if (now == KITH_TIME_NONE)
		now = t;
	kith_seeds_plan *p = NULL;
	kith_status st = kith_seeds_plan_new(c, now, KITH_SEEDS_PRESET_SETTING, deny, deny_n, &p);
	if ((flags & 2) && constant > 0) {
		CHECK(st == KITH_ERANGE && !p);
		kith_community_free(c);
		return 0;
	}
	CHECK(st == KITH_OK && p);
	size_t count = kith_seeds_plan_count(p), present = kith_community_present_count(c);
	CHECK(count <= kith_seeds_plan_k(p) && count <= present);
	int seen[MEMBERS] = {0};
	uint32_t denied_by_setting[2];
	size_t dn = 0;
	if (flags & 16) {
		if (kith_community_find_member(c, "m1", 2, &denied_by_setting[dn]) == KITH_OK)
			dn++;
		if (kith_community_find_member(c, "m3", 2, &denied_by_setting[dn]) == KITH_OK)
			dn++;
	}
	for (size_t i = 0; i < count; i++) {
		uint32_t m;
		double gain, quality, reach;
		CHECK(kith_seeds_plan_entry(p, i, &m, &gain, &quality, &reach) == KITH_OK);
		CHECK(m < members && !seen[m]);
		seen[m] = 1;
		CHECK(gain > 0 && isfinite(quality) && reach >= 0 && reach <= present + 1e-9);
		int64_t v;
		CHECK(kith_member_stat(c, m, KITH_STAT_PRESENT, &v) == KITH_OK && v == 1);
		CHECK(kith_member_stat(c, m, KITH_STAT_BANNED, &v) == KITH_OK && v == 0);
		for (size_t j = 0; j < deny_n; j++)
			CHECK(deny[j] != m);
		for (size_t j = 0; j < dn; j++)
			CHECK(denied_by_setting[j] != m);
		if (!(flags & 1))
			CHECK(!kith_member_has_role(c, m, KITH_ROLE_OWNER) &&
			      !kith_member_has_role(c, m, KITH_ROLE_ADMIN));
		for (int k = 0; k < KITH_SEEDS_CRITERION_COUNT; k++) {
			double x;
			CHECK(kith_seeds_plan_criterion(p, i, (kith_seeds_criterion)k, &x) == KITH_OK);
			CHECK(x >= 0 && x <= 1);
		}
		const char *tag = kith_seeds_plan_tag(p, i);
		CHECK(!tag || diversity > 0);
		if (tag) {
			unsigned same = 0;
			for (size_t j = 0; j < count; j++) {
				const char *other = kith_seeds_plan_tag(p, j);
				same += other && strcmp(other, tag) == 0;
			}
			CHECK(same <= diversity);
		}
	}
	double cov = kith_seeds_plan_coverage(p);
	CHECK(cov >= 0 && cov <= present + 1e-9);
	size_t excluded = 0;
	for (int r = 1; r <= 5; r++)
		excluded += kith_seeds_plan_excluded(p, (kith_seeds_exclusion)r);
	CHECK(excluded <= members);
	kith_seeds_plan *again = NULL;
	CHECK(kith_seeds_plan_new(c, now, KITH_SEEDS_PRESET_SETTING, deny, deny_n, &again) ==
	      KITH_OK);
	char *a = json(p), *b = json(again);
	CHECK(strcmp(a, b) == 0);
	free(a);
	free(b);
	kith_seeds_plan_free(again);
	kith_seeds_plan_free(p);
	kith_community_free(c);
	return 0;
}
