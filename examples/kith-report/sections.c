/*
 * kith-report: the text report, one function per section.
 *
 * SPDX-License-Identifier: MIT
 */
#include "report.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- The report ------------------------------------------------------- */

int cmp_score(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	if (x->messages != y->messages)
		return x->messages > y->messages ? -1 : 1;
	return x->h < y->h ? -1 : x->h > y->h;
}

int cmp_replies(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	int64_t sx = x->replies_given + x->replies_received,
	        sy = y->replies_given + y->replies_received;
	if (x->replies_given != y->replies_given)
		return x->replies_given > y->replies_given ? -1 : 1;
	if (sx != sy)
		return sx > sy ? -1 : 1;
	return x->h < y->h ? -1 : x->h > y->h;
}

int cmp_desc_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x > y ? -1 : x < y;
}

/* The role names a member holds, comma-separated. */
void role_list(const kith_community *c, uint32_t h, char *buf, size_t size)
{
	size_t k = 0;
	buf[0] = '\0';
	for (uint32_t r = 0; r < kith_community_role_count(c); r++) {
		const char *name = kith_role_name(c, r);
		if (!name || !kith_member_has_role(c, h, r))
			continue;
		k += (size_t)snprintf(buf + k, size - k, "%s%s", k ? "," : "", name);
		if (k >= size)
			break;
	}
}

void setting_text(const kith_community *c, const char *name, char *buf, size_t size)
{
	if (kith_setting_get(c, name, KITH_NUL_TERMINATED, buf, size, NULL) != KITH_OK)
		snprintf(buf, size, "?");
}

/* The UTC offset in ms, from the setting's "+08:00". */
int64_t utc_offset_ms(const kith_community *c)
{
	char buf[32];
	unsigned hh = 0, mm = 0;
	char sign = '+';
	setting_text(c, "community.utc_offset", buf, sizeof buf);
	if (sscanf(buf, "%c%u:%u", &sign, &hh, &mm) != 3)
		return 0;
	return (sign == '-' ? -1 : 1) * ((int64_t)hh * MS_HOUR + (int64_t)mm * MS_MINUTE);
}

static void section(const char *title)
{
	printf("\n%s\n", title);
}

void print_header(const kith_community *c, const struct input *in, const struct timeline *s,
                  int64_t now, int64_t off, bool sample)
{
	char name[300], offset[32], a[32], b[32], n1[32], n2[32];
	int64_t last = kith_community_last_event_ms(c);
	setting_text(c, "community.name", name, sizeof name);
	setting_text(c, "community.utc_offset", offset, sizeof offset);
	printf("kith-report: ");
	put_cell(stdout, name[0] ? name : "(unnamed community)",
	         strlen(name[0] ? name : "(unnamed community)"), 40, false);
	printf(" - %s%s\n", in->label, sample ? " (the built-in sample)" : "");
	if (s->events == 0) {
		printf("No events.\n");
		return;
	}
	printf("%s events, %s .. %s (UTC%s), %s days\n", fmt_count(n1, sizeof n1, s->events),
	       fmt_time(a, sizeof a, s->first_ms, off), fmt_time(b, sizeof b, last, off), offset,
	       fmt_count(n2, sizeof n2,
	                 (uint64_t)(local_day(last, off) - local_day(s->first_ms, off) + 1)));
	printf("Figures as of %s; %s messages in all.\n", fmt_time(a, sizeof a, now, off),
	       fmt_count(n2, sizeof n2, kith_community_message_count(c)));
	if (in->left_out)
		printf("%s later events of the trace left out (--now).\n",
		       fmt_count(n1, sizeof n1, in->left_out));
}

void print_members(const kith_community *c, const struct totals *t, bool name_format)
{
	uint64_t ever = kith_community_member_count(c);
	char n1[32], n2[32], n3[32], p1[32], p2[32];
	section("MEMBERS");
	printf("  ever seen        %7s   present now      %7s   (%s left or removed)\n",
	       fmt_count(n1, sizeof n1, ever), fmt_count(n2, sizeof n2, t->present),
	       fmt_count(n3, sizeof n3, ever - t->present));
	printf("  spoke, ever      %7s   onlookers        %7s   (%s of present never spoke)\n",
	       fmt_count(n1, sizeof n1, t->spoke), fmt_count(n2, sizeof n2, t->onlookers),
	       fmt_share(p1, sizeof p1, t->onlookers, t->present));
	printf("  active in 7 days %7s   active in 30 days%7s   (%s / %s of present)\n",
	       fmt_count(n1, sizeof n1, t->active7), fmt_count(n2, sizeof n2, t->active30),
	       fmt_share(p1, sizeof p1, t->active7, t->present),
	       fmt_share(p2, sizeof p2, t->active30, t->present));
	if (t->unknown7 || t->unknown30)
		printf("  (cannot tell for %s / %s present members: their window reaches before "
		       "the 128 days the model holds of them; not counted)\n",
		       fmt_count(n1, sizeof n1, t->unknown7),
		       fmt_count(n2, sizeof n2, t->unknown30));
	printf("  envelope-only    %7s   newcomers (3 d)  %7s   silent 7+ days: %s\n",
	       fmt_count(n1, sizeof n1, t->envelope_only), fmt_count(n2, sizeof n2, t->newcomers),
	       fmt_count(n3, sizeof n3, t->silent7));
	printf("  invites          %7s   invitees present %7s   ",
	       fmt_count(n1, sizeof n1, t->invites), fmt_count(n2, sizeof n2, t->invitees_present));
	if (t->invites)
		printf("(%s kept)\n", fmt_share(p1, sizeof p1, t->invitees_present, t->invites));
	else
		printf("(no invites)\n");
	if (name_format)
		printf("  display names    %7s   match the format %7s   (%s of present)\n",
		       fmt_count(n1, sizeof n1, t->named), fmt_count(n2, sizeof n2, t->compliant),
		       fmt_share(p1, sizeof p1, t->compliant, t->present));
	printf("  roles           ");
	{
		const char *sep = " ";
		for (uint32_t r = 0; r < kith_community_role_count(c) && r < KITH_ROLES_MAX; r++) {
			const char *name = kith_role_name(c, r);
			if (!name || t->role_holders[r] == 0)
				continue;
			printf("%s%s %s", sep, name, fmt_count(n1, sizeof n1, t->role_holders[r]));
			sep = ", ";
		}
		printf("%s\n", sep[0] == ' ' ? " none" : "");
	}
}

struct kind_count {
	int kind;
	uint64_t count;
};

static int cmp_kind(const void *a, const void *b)
{
	const struct kind_count *x = a, *y = b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return x->kind - y->kind;
}

/* The fewest members who together sent half the messages. */
size_t half_writers(const int64_t *sorted_msgs, size_t n, uint64_t total)
{
	uint64_t half = 0;
	size_t fewest = 0;
	for (size_t i = 0; i < n && half * 2 < total; i++) {
		half += (uint64_t)sorted_msgs[i];
		fewest++;
	}
	return fewest;
}

/* A figure of the health diagnosis, NaN when it has none: the report
 * prints what health measured rather than measuring it again. */
double health_figure(const kith_health *hl, kith_health_code code)
{
	size_t i;
	double figure = NAN;
	if (kith_health_find(hl, code, &i) == KITH_OK)
		kith_health_finding(hl, i, NULL, NULL, &figure, NULL, NULL);
	return figure;
}

void print_messages(const kith_community *c, const struct totals *t, const kith_health *hl,
                    const int64_t *sorted_msgs, size_t n_members, int64_t span_days)
{
	uint64_t total = kith_community_message_count(c);
	struct kind_count kc[KITH_KIND_COUNT];
	char n1[32], n2[32], n3[32], threshold[32];
	size_t fewest = 0;
	int col;

	section("MESSAGES");
	printf("  total           %8s   %s a day over %s days", fmt_count(n1, sizeof n1, total),
	       fmt_rate(n2, sizeof n2, total, span_days),
	       fmt_count(n3, sizeof n3, (uint64_t)span_days));
	/* Lately: health's messages-per-day, over the window its ledger holds. */
	double lately = health_figure(hl, KITH_HEALTH_MESSAGES_PER_DAY);
	if (isfinite(lately))
		printf("; lately %s a day (see HEALTH)\n", fmt_figure(n2, sizeof n2, lately));
	else
		printf("; lately: not measured (see HEALTH)\n");
	for (int k = 0; k < KITH_KIND_COUNT; k++)
		kc[k] = (struct kind_count){k, t->kinds[k]};
	qsort(kc, KITH_KIND_COUNT, sizeof kc[0], cmp_kind);
	printf("  by kind        ");
	col = 17;
	for (int k = 0; k < KITH_KIND_COUNT && kc[k].count > 0; k++) {
		char item[64];
		int len = snprintf(item, sizeof item, " %s %s (%s)", kind_names[kc[k].kind],
		                   fmt_count(n1, sizeof n1, kc[k].count),
		                   fmt_share(n2, sizeof n2, kc[k].count, total));
		if (col + len > 79) {
			printf("\n                 ");
			col = 17;
		}
		fputs(item, stdout);
		col += len;
	}
	printf("\n");
	setting_text(c, "value.high_threshold", threshold, sizeof threshold);
	printf("  value ratio     %8.2f   %s messages worth %s or more; side dishes (stickers) "
	       "%s\n",
	       kith_community_value_ratio(c), fmt_count(n1, sizeof n1, t->high_value), threshold,
	       fmt_share(n2, sizeof n2, t->kinds[KITH_KIND_STICKER], total));
	printf("  questions       %8s   feedback %s, complaints %s\n",
	       fmt_count(n1, sizeof n1, t->questions), fmt_count(n2, sizeof n2, t->feedback),
	       fmt_count(n3, sizeof n3, t->complaints));
	fewest = half_writers(sorted_msgs, n_members, total);
	if (total > 0)
		printf("  concentration   %8s   members sent half the messages (%s of those who "
		       "spoke)\n",
		       fmt_count(n1, sizeof n1, fewest),
		       fmt_share(n2, sizeof n2, fewest, t->spoke));
	printf("  red envelopes   %8s   sent; %s claims by %s members\n",
	       fmt_count(n1, sizeof n1, t->envelopes_sent),
	       fmt_count(n2, sizeof n2, t->envelopes_claimed),
	       fmt_count(n3, sizeof n3, t->claimers));
	printf("  activities      %8s   attendances; %s buyers; %s reports\n",
	       fmt_count(n1, sizeof n1, t->attended), fmt_count(n2, sizeof n2, t->buyers),
	       fmt_count(n3, sizeof n3, t->reports));
}

void print_activity(const struct timeline *s, int64_t now, int64_t off)
{
	uint64_t max = 1, hmax = 1;
	int64_t now_day = local_day(now, off);
	static const char levels[] = " .:-=+*#%@";
	int best[3] = {-1, -1, -1};

	section("ACTIVITY (local days; messages, joins, departures)");
	for (int i = 0; i < PROFILE_DAYS; i++)
		if (s->day_msgs[i] > max)
			max = s->day_msgs[i];
	for (int i = PROFILE_DAYS - 1; i >= 0; i--) {
		int64_t y;
		unsigned m, d;
		int64_t day = now_day - i;
		unsigned bar = (unsigned)((s->day_msgs[i] * 40 + max - 1) / max);
		civil_from_days(day, &y, &m, &d);
		char n1[32], n2[32], n3[32];
		printf("  %02u-%02u %s %6s %4s %4s  ", m, d, weekdays[((day % 7) + 7) % 7],
		       fmt_count(n1, sizeof n1, s->day_msgs[i]),
		       fmt_count(n2, sizeof n2, s->day_joins[i]),
		       fmt_count(n3, sizeof n3, s->day_leaves[i]));
		for (unsigned k = 0; k < bar; k++)
			putchar('#');
		putchar('\n');
	}
	for (int h = 0; h < 24; h++) {
		if (s->hour_msgs[h] > hmax)
			hmax = s->hour_msgs[h];
		for (int k = 0; k < 3; k++) {
			if (best[k] < 0 || s->hour_msgs[h] > s->hour_msgs[best[k]]) {
				for (int j = 2; j > k; j--)
					best[j] = best[j - 1];
				best[k] = h;
				break;
			}
		}
	}
	printf("  by hour, 30 days  |");
	for (int h = 0; h < 24; h++) {
		size_t level = (size_t)((s->hour_msgs[h] * 9 + hmax - 1) / hmax);
		putchar(levels[level]);
	}
	printf("|  busiest:");
	for (int k = 0; k < 3; k++)
		if (best[k] >= 0 && s->hour_msgs[best[k]] > 0)
			printf(" %02d:00", best[k]);
	printf("\n                     0     6     12    18   23\n");
}

/* Interactions by kind over the graph, and the pairs who replied to each
 * other. */
void graph_totals(const kith_community *c, uint64_t sum[4], size_t *mutual_out)
{
	size_t edges = kith_community_edge_count(c), mutual = 0;
	for (int k = 0; k < 4; k++)
		sum[k] = 0;
	for (size_t i = 0; i < edges; i++) {
		uint32_t src, dst, counts[4], back = 0;
		if (kith_community_edge(c, i, &src, &dst, counts) != KITH_OK)
			continue;
		for (int k = 0; k < 4; k++)
			sum[k] += counts[k];
		if (counts[KITH_INTERACTION_REPLY] > 0 && src < dst &&
		    kith_community_interactions(c, dst, src, KITH_INTERACTION_REPLY, &back) ==
		            KITH_OK &&
		    back > 0)
			mutual++;
	}
	*mutual_out = mutual;
}

void print_graph(const kith_community *c)
{
	size_t edges = kith_community_edge_count(c), mutual = 0;
	uint64_t sum[4];
	char n1[32], n2[32], n3[32], n4[32], n5[32];
	graph_totals(c, sum, &mutual);
	section("INTERACTIONS");
	printf("  graph %s directed edges: replies %s (mentions %s), reactions %s, invites %s\n",
	       fmt_count(n1, sizeof n1, edges),
	       fmt_count(n2, sizeof n2, sum[KITH_INTERACTION_REPLY]),
	       fmt_count(n3, sizeof n3, sum[KITH_INTERACTION_MENTION]),
	       fmt_count(n4, sizeof n4, sum[KITH_INTERACTION_REACTION]),
	       fmt_count(n5, sizeof n5, sum[KITH_INTERACTION_INVITE]));
	printf("  %s pairs of members replied to each other\n", fmt_count(n1, sizeof n1, mutual));
}

void print_top(const kith_community *c, struct row *rows, size_t n, const char *half_life)
{
	size_t shown = 0;
	section("TOP CONTRIBUTORS (decayed contribution score)");
	printf("   # %-16s %-18s %7s %6s %11s %4s  %s\n", "id", "name", "score", "msgs",
	       "given/recv", "d30", "roles");
	qsort(rows, n, sizeof *rows, cmp_score);
	for (size_t i = 0; i < n && shown < TOP_CONTRIBUTORS; i++) {
		char roles[128], rr[48], msgs[32], d30[16];
		if (rows[i].score <= 0)
			break;
		role_list(c, rows[i].h, roles, sizeof roles);
		char given[32], received[32];
		snprintf(rr, sizeof rr, "%s/%s",
		         fmt_count(given, sizeof given, (uint64_t)rows[i].replies_given),
		         fmt_count(received, sizeof received, (uint64_t)rows[i].replies_received));
		printf("  %2zu ", ++shown);
		put_member_id(stdout, c, rows[i].h, 16);
		putchar(' ');
		put_member_name(stdout, c, rows[i].h, 18);
		/* "?": the model no longer holds the member's 30 days */
		if (rows[i].days30_known)
			snprintf(d30, sizeof d30, "%" PRIu32, rows[i].days30);
		else
			snprintf(d30, sizeof d30, "?");
		printf(" %7.2f %6s %11s %4s  ", rows[i].score,
		       fmt_count(msgs, sizeof msgs, (uint64_t)rows[i].messages), rr, d30);
		put_cell(stdout, roles, strlen(roles), 14, false);
		putchar('\n');
	}
	if (shown == 0)
		printf("  nobody has contributed yet\n");
	else
		printf("  (half-life %g days; d30 = active days of the last 30)\n",
		       strtod(half_life, NULL));
}

void print_repliers(const kith_community *c, struct row *rows, size_t n)
{
	size_t shown = 0;
	section("BUSIEST REPLIERS");
	qsort(rows, n, sizeof *rows, cmp_replies);
	for (size_t i = 0; i < n && shown < TOP_REPLIERS; i++) {
		if (rows[i].replies_given <= 0)
			break;
		printf("  %2zu ", ++shown);
		put_member_id(stdout, c, rows[i].h, 16);
		putchar(' ');
		put_member_name(stdout, c, rows[i].h, 18);
		char given[32], received[32];
		printf(" %5s replies given, %5s received\n",
		       fmt_count(given, sizeof given, (uint64_t)rows[i].replies_given),
		       fmt_count(received, sizeof received, (uint64_t)rows[i].replies_received));
	}
	if (shown == 0)
		printf("  nobody has replied to anyone yet\n");
}

void print_digest(const kith_community *c, const struct digest_line *dg, size_t n, int64_t off)
{
	char day[32];
	int64_t when = dg[0].kind >= 0 ? dg[0].time_ms : kith_community_last_event_ms(c);
	if (n == 0) {
		section("DIGEST");
		printf("  no messages yet\n");
		return;
	}
	/* The digest is of one local day: that of its best message. */
	fmt_time(day, sizeof day, when, off);
	*strchr(day, ' ') = '\0';
	printf("\nDIGEST (the best messages of the latest day, %s)\n", day);
	for (size_t i = 0; i < n; i++) {
		printf("  %2zu %5.2f ", i + 1, dg[i].value);
		put_member_id(stdout, c, dg[i].author, 16);
		putchar(' ');
		if (dg[i].text_len > 0) {
			put_cell(stdout, dg[i].text, dg[i].text_len, 52, false);
		} else {
			printf("[%s ", dg[i].kind >= 0 ? kind_names[dg[i].kind] : "message");
			put_cell(stdout, dg[i].id, dg[i].id_len, 30, false);
			putchar(']');
		}
		putchar('\n');
	}
}

/* The cleanup engine's dry run with the community's cleanup.* settings. */
void print_cleanup(const kith_community *c, const kith_cleanup_plan *p, const char *error)
{
	char n1[32], n2[32], n3[32];
	section("CLEANUP (a dry run: whom to warn, whom to remove)");
	if (!p) {
		printf("  no plan: %s\n", error);
		return;
	}
	int64_t v[16] = {0};
	static const kith_cleanup_summary what[] = {
	        KITH_CLEANUP_SUMMARY_CANDIDATES,
	        KITH_CLEANUP_SUMMARY_WAITING,
	        KITH_CLEANUP_SUMMARY_PROTECTED,
	        KITH_CLEANUP_SUMMARY_PROTECTED_ALLOWED,
	        KITH_CLEANUP_SUMMARY_PROTECTED_ROLE,
	        KITH_CLEANUP_SUMMARY_PROTECTED_NEWCOMER,
	        KITH_CLEANUP_SUMMARY_PROTECTED_PURCHASE,
	        KITH_CLEANUP_SUMMARY_PROTECTED_ATTENDANCE,
	        KITH_CLEANUP_SUMMARY_NEEDED,
	        KITH_CLEANUP_SUMMARY_TARGET_MET,
	};
	for (size_t k = 0; k < sizeof what / sizeof what[0]; k++)
		kith_cleanup_plan_summary(p, what[k], &v[k]);
	size_t count = kith_cleanup_plan_count(p);
	char spared[5][32];
	for (int k = 0; k < 5; k++)
		fmt_count(spared[k], sizeof spared[k], (uint64_t)v[3 + k]);
	printf("  %s proposed, %s waiting on an ultimatum; %s more spared (allow-list %s, "
	       "protected role %s, newcomer %s, purchase %s, attendance %s)\n",
	       fmt_count(n1, sizeof n1, (uint64_t)v[0]), fmt_count(n2, sizeof n2, (uint64_t)v[1]),
	       fmt_count(n3, sizeof n3, (uint64_t)v[2]), spared[0], spared[1], spared[2], spared[3],
	       spared[4]);
	if (v[8] >= 0)
		printf("  the targets call for %s %s\n", fmt_count(n1, sizeof n1, (uint64_t)v[8]),
		       v[9] ? "removals" : "removals, more than there are candidates");
	if (count < (size_t)v[0] && v[8] < 0)
		printf("  (cleanup.max_per_run lists %zu of them)\n", count);
	for (size_t i = 0; i < count && i < CLEANUP_SHOWN; i++) {
		uint32_t h;
		kith_cleanup_stage stage;
		kith_cleanup_reason reason;
		kith_cleanup_plan_entry(p, i, &h, &stage, &reason);
		printf("  %2zu %-9s ", i + 1, kith_cleanup_stage_name(stage));
		put_member_id(stdout, c, h, 16);
		putchar(' ');
		put_member_name(stdout, c, h, 18);
		printf("\n       %s\n", kith_cleanup_plan_explanation(p, i));
	}
	if (count > CLEANUP_SHOWN)
		printf("  ... and %s more\n", fmt_count(n1, sizeof n1, count - CLEANUP_SHOWN));
}

/* The health diagnosis with the community's health.* settings. */
void print_health(const kith_health *hl, const char *error)
{
	section("HEALTH");
	if (!hl) {
		printf("  no diagnosis: %s\n", error);
		return;
	}
	for (size_t i = 0; i < kith_health_count(hl); i++) {
		kith_health_code code;
		kith_severity severity;
		kith_health_finding(hl, i, &code, &severity, NULL, NULL, NULL);
		printf("  %-8s %-20s %s\n", kith_severity_name(severity),
		       kith_health_code_name(code), kith_health_explanation(hl, i));
	}
	printf("  worst: %s\n", kith_severity_name(kith_health_worst(hl)));
}

void print_rules(const kith_community *c, const struct verdict_tally *t)
{
	char n1[32], n2[32], n3[32];
	section("RULES (verdicts while replaying: what the bot would have done)");
	size_t rules = kith_rule_count(c);
	if (rules == 0) {
		printf("  no rules (a charter's [rule NAME] sections add them)\n");
		return;
	}
	printf("  %zu rules:", rules);
	for (size_t r = 0; r < rules; r++)
		printf("%s %s", r ? "," : "", kith_rule_name(c, r));
	printf("\n  %s verdicts on %s events, to %s members\n",
	       fmt_count(n1, sizeof n1, t->verdicts), fmt_count(n2, sizeof n2, t->events),
	       fmt_count(n3, sizeof n3, t->member_count));
	if (t->verdicts == 0)
		return;
	printf("  by action:");
	bool first = true;
	for (int a = KITH_ACTION_LOG; a <= KITH_ACTION_REWARD; a++) {
		if (!t->by_action[a])
			continue;
		printf("%s %s %s", first ? "" : ",", kith_action_name((kith_action)a),
		       fmt_count(n1, sizeof n1, t->by_action[a]));
		first = false;
	}
	printf("\n  by rule:  ");
	first = true;
	for (size_t r = 0; r < rules && r < KITH_RULES_MAX; r++) {
		if (!t->by_rule[r])
			continue;
		printf("%s %s %s", first ? "" : ",", kith_rule_name(c, r),
		       fmt_count(n1, sizeof n1, t->by_rule[r]));
		first = false;
	}
	printf("\n");
	for (size_t i = 0; i < t->shown_n; i++)
		printf("  %s\n", t->shown[i]);
}
