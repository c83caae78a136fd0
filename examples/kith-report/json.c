/*
 * kith-report --json: the report as one JSON document (report.schema.json).
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

/* ---- --json: the same figures as one JSON document ----------------------- */

static void json_sep(struct json *j)
{
	if (j->depth > 0 && !j->first[j->depth - 1])
		fputc(',', j->f);
	if (j->depth > 0)
		j->first[j->depth - 1] = false;
}

/* A JSON string: quotes, backslashes and control characters escaped,
 * bytes that are not UTF-8 as U+FFFD. */
static void json_put_string(FILE *f, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t used;
	fputc('"', f);
	for (size_t i = 0; i < n; i += used) {
		uint32_t cp = utf8_next(p + i, n - i, &used);
		if (cp == '"' || cp == '\\')
			fprintf(f, "\\%c", (char)cp);
		else if (cp < 0x20 || cp == 0x7F)
			fprintf(f, "\\u%04x", (unsigned)cp);
		else if (cp == 0xFFFD && !(used == 3 && p[i] == 0xEF))
			fputs("\\ufffd", f);
		else
			fwrite(p + i, 1, used, f);
	}
	fputc('"', f);
}

void json_key(struct json *j, const char *key)
{
	json_sep(j);
	json_put_string(j->f, key, strlen(key));
	fputc(':', j->f);
	/* The value that follows takes no comma of its own. */
	j->first[j->depth] = true;
	j->depth++;
}

void json_value_done(struct json *j, bool keyed)
{
	if (keyed)
		j->depth--;
}

void json_open(struct json *j, const char *key, char bracket)
{
	if (key)
		json_key(j, key);
	else
		json_sep(j);
	fputc(bracket, j->f);
	j->first[j->depth++] = true;
}

void json_close(struct json *j, const char *key, char bracket)
{
	fputc(bracket, j->f);
	j->depth--;
	json_value_done(j, key != NULL);
}

void json_u64(struct json *j, const char *key, uint64_t v)
{
	if (key)
		json_key(j, key);
	else
		json_sep(j);
	fprintf(j->f, "%" PRIu64, v);
	json_value_done(j, key != NULL);
}

void json_i64(struct json *j, const char *key, int64_t v)
{
	if (key)
		json_key(j, key);
	else
		json_sep(j);
	if (v == KITH_TIME_NONE)
		fputs("null", j->f);
	else
		fprintf(j->f, "%" PRId64, v);
	json_value_done(j, key != NULL);
}

/* A number; null when it is not finite (a figure that cannot be measured). */
void json_num(struct json *j, const char *key, double v)
{
	if (key)
		json_key(j, key);
	else
		json_sep(j);
	if (isfinite(v))
		fprintf(j->f, "%.9g", v);
	else
		fputs("null", j->f);
	json_value_done(j, key != NULL);
}

void json_str(struct json *j, const char *key, const char *s, size_t n)
{
	if (key)
		json_key(j, key);
	else
		json_sep(j);
	if (s)
		json_put_string(j->f, s, n);
	else
		fputs("null", j->f);
	json_value_done(j, key != NULL);
}

void json_bool(struct json *j, const char *key, bool v)
{
	json_key(j, key);
	fputs(v ? "true" : "false", j->f);
	json_value_done(j, true);
}


static kith_status health_json(const void *o, char *b, size_t s, size_t *n)
{
	return kith_health_to_json(o, b, s, n);
}

static kith_status cleanup_json(const void *o, char *b, size_t s, size_t *n)
{
	return kith_cleanup_plan_to_json(o, b, s, n);
}

/* False when out of memory. */
bool json_library(struct json *j, const char *key, const void *obj, to_json_fn fn)
{
	size_t needed = 0;
	char *buf;
	json_key(j, key);
	if (!obj) {
		fputs("null", j->f);
		json_value_done(j, true);
		return true;
	}
	fn(obj, NULL, 0, &needed);
	buf = malloc(needed + 1);
	if (!buf)
		return false;
	fn(obj, buf, needed + 1, &needed);
	fwrite(buf, 1, needed, j->f);
	free(buf);
	json_value_done(j, true);
	return true;
}

static void json_member(struct json *j, const kith_community *c, const struct row *r)
{
	size_t n = 0;
	const char *s;
	char roles[256];
	json_open(j, NULL, '{');
	s = kith_member_id(c, r->h, &n);
	json_str(j, "id", s ? s : "", s ? n : 0);
	s = kith_member_display_name(c, r->h, &n);
	json_str(j, "name", s, n);
	json_num(j, "score", r->score);
	json_i64(j, "messages", r->messages);
	json_i64(j, "replies_given", r->replies_given);
	json_i64(j, "replies_received", r->replies_received);
	json_key(j, "active_days_30");
	if (r->days30_known)
		fprintf(j->f, "%" PRIu32, r->days30);
	else
		fputs("null", j->f);
	json_value_done(j, true);
	json_open(j, "roles", '[');
	role_list(c, r->h, roles, sizeof roles);
	for (char *p = roles; *p;) {
		size_t len = strcspn(p, ",");
		json_str(j, NULL, p, len);
		p += len + (p[len] == ',');
	}
	json_close(j, "roles", ']');
	json_close(j, NULL, '}');
}

static void json_header(struct json *j, const struct report_data *d)
{
	char name[300], offset[32];
	setting_text(d->c, "community.name", name, sizeof name);
	setting_text(d->c, "community.utc_offset", offset, sizeof offset);
	json_u64(j, "format", 1);
	json_str(j, "source", d->in->label, strlen(d->in->label));
	json_bool(j, "sample", d->sample);
	json_open(j, "community", '{');
	json_str(j, "name", name, strlen(name));
	json_str(j, "utc_offset", offset, strlen(offset));
	json_close(j, "community", '}');
	json_open(j, "figures", '{');
	json_u64(j, "events", d->s->events);
	json_i64(j, "first_event_ms", d->s->events ? d->s->first_ms : KITH_TIME_NONE);
	json_i64(j, "last_event_ms", kith_community_last_event_ms(d->c));
	json_i64(j, "now_ms", d->s->events ? d->now : KITH_TIME_NONE);
	json_i64(j, "days", d->span_days);
	json_u64(j, "messages", kith_community_message_count(d->c));
	json_u64(j, "left_out", d->in->left_out);
	json_close(j, "figures", '}');
}

static void json_members(struct json *j, const struct report_data *d)
{
	const struct totals *t = d->t;
	uint64_t ever = kith_community_member_count(d->c);
	json_open(j, "members", '{');
	json_u64(j, "ever", ever);
	json_u64(j, "present", t->present);
	json_u64(j, "left", ever - t->present);
	json_u64(j, "spoke", t->spoke);
	json_u64(j, "onlookers", t->onlookers);
	json_u64(j, "active_7", t->active7);
	json_u64(j, "active_30", t->active30);
	json_u64(j, "unknown_7", t->unknown7);
	json_u64(j, "unknown_30", t->unknown30);
	json_u64(j, "envelope_only", t->envelope_only);
	json_u64(j, "newcomers_3d", t->newcomers);
	json_u64(j, "silent_7", t->silent7);
	json_u64(j, "invites", t->invites);
	json_u64(j, "invitees_present", t->invitees_present);
	json_u64(j, "named", t->named);
	json_key(j, "name_compliant");
	if (d->name_format)
		fprintf(j->f, "%" PRIu64, t->compliant);
	else
		fputs("null", j->f);
	json_value_done(j, true);
	json_open(j, "roles", '{');
	for (uint32_t r = 0; r < kith_community_role_count(d->c) && r < KITH_ROLES_MAX; r++) {
		const char *name = kith_role_name(d->c, r);
		if (name)
			json_u64(j, name, t->role_holders[r]);
	}
	json_close(j, "roles", '}');
	json_close(j, "members", '}');
}

static void json_messages(struct json *j, const struct report_data *d)
{
	const struct totals *t = d->t;
	uint64_t total = kith_community_message_count(d->c);
	json_open(j, "messages", '{');
	json_u64(j, "total", total);
	json_num(j, "per_day", d->span_days > 0 ? (double)total / (double)d->span_days : 0);
	json_num(j, "lately_per_day", health_figure(d->hl, KITH_HEALTH_MESSAGES_PER_DAY));
	json_open(j, "by_kind", '{');
	for (int k = 0; k < KITH_KIND_COUNT; k++)
		json_u64(j, kind_names[k], t->kinds[k]);
	json_close(j, "by_kind", '}');
	json_num(j, "value_ratio", kith_community_value_ratio(d->c));
	json_u64(j, "high_value", t->high_value);
	json_u64(j, "questions", t->questions);
	json_u64(j, "feedback", t->feedback);
	json_u64(j, "complaints", t->complaints);
	json_u64(j, "half_writers", half_writers(d->sorted_msgs, d->n, total));
	json_u64(j, "envelopes_sent", t->envelopes_sent);
	json_u64(j, "envelopes_claimed", t->envelopes_claimed);
	json_u64(j, "claimers", t->claimers);
	json_u64(j, "attendances", t->attended);
	json_u64(j, "buyers", t->buyers);
	json_u64(j, "reports", t->reports);
	json_close(j, "messages", '}');
}

static void json_activity(struct json *j, const struct report_data *d)
{
	int64_t now_day = local_day(d->now, d->off);
	json_open(j, "activity", '{');
	json_open(j, "days", '[');
	for (int i = PROFILE_DAYS - 1; i >= 0; i--) {
		int64_t y;
		unsigned m, dd;
		char date[32];
		civil_from_days(now_day - i, &y, &m, &dd);
		snprintf(date, sizeof date, "%04" PRId64 "-%02u-%02u", y, m, dd);
		json_open(j, NULL, '{');
		json_str(j, "date", date, strlen(date));
		json_u64(j, "messages", d->s->day_msgs[i]);
		json_u64(j, "joins", d->s->day_joins[i]);
		json_u64(j, "departures", d->s->day_leaves[i]);
		json_close(j, NULL, '}');
	}
	json_close(j, "days", ']');
	json_open(j, "hours_30_days", '[');
	for (int h = 0; h < 24; h++)
		json_u64(j, NULL, d->s->hour_msgs[h]);
	json_close(j, "hours_30_days", ']');
	json_close(j, "activity", '}');
}

static void json_interactions(struct json *j, const kith_community *c)
{
	uint64_t sum[4];
	size_t mutual;
	graph_totals(c, sum, &mutual);
	json_open(j, "interactions", '{');
	json_u64(j, "edges", kith_community_edge_count(c));
	json_u64(j, "replies", sum[KITH_INTERACTION_REPLY]);
	json_u64(j, "mentions", sum[KITH_INTERACTION_MENTION]);
	json_u64(j, "reactions", sum[KITH_INTERACTION_REACTION]);
	json_u64(j, "invites", sum[KITH_INTERACTION_INVITE]);
	json_u64(j, "mutual_pairs", mutual);
	json_close(j, "interactions", '}');
}

static void json_rankings(struct json *j, const struct report_data *d)
{
	size_t shown = 0;
	qsort(d->rows, d->n, sizeof *d->rows, cmp_score);
	json_open(j, "contributors", '[');
	for (size_t i = 0; i < d->n && shown < TOP_CONTRIBUTORS && d->rows[i].score > 0;
	     i++, shown++)
		json_member(j, d->c, &d->rows[i]);
	json_close(j, "contributors", ']');
	shown = 0;
	qsort(d->rows, d->n, sizeof *d->rows, cmp_replies);
	json_open(j, "repliers", '[');
	for (size_t i = 0; i < d->n && shown < TOP_REPLIERS && d->rows[i].replies_given > 0;
	     i++, shown++)
		json_member(j, d->c, &d->rows[i]);
	json_close(j, "repliers", ']');
}

static void json_digest(struct json *j, const struct report_data *d)
{
	json_open(j, "digest", '[');
	for (size_t i = 0; i < d->dg_count; i++) {
		const struct digest_line *g = &d->dg[i];
		size_t n = 0;
		const char *author = kith_member_id(d->c, g->author, &n);
		json_open(j, NULL, '{');
		json_str(j, "id", g->id, g->id_len);
		json_str(j, "author", author ? author : "", author ? n : 0);
		json_num(j, "value", g->value);
		json_str(j, "kind", g->kind >= 0 ? kind_names[g->kind] : NULL,
		         g->kind >= 0 ? strlen(kind_names[g->kind]) : 0);
		json_i64(j, "time_ms", g->kind >= 0 ? g->time_ms : KITH_TIME_NONE);
		json_str(j, "text", g->text, g->text_len);
		json_close(j, NULL, '}');
	}
	json_close(j, "digest", ']');
}

static void json_rules(struct json *j, const struct report_data *d)
{
	const struct verdict_tally *t = d->verdicts;
	size_t rules = kith_rule_count(d->c);
	json_open(j, "rules", '{');
	json_u64(j, "verdicts", t->verdicts);
	json_u64(j, "events", t->events);
	json_u64(j, "members", t->member_count);
	json_open(j, "by_action", '{');
	for (int a = KITH_ACTION_LOG; a <= KITH_ACTION_REWARD; a++)
		if (t->by_action[a])
			json_u64(j, kith_action_name((kith_action)a), t->by_action[a]);
	json_close(j, "by_action", '}');
	json_open(j, "by_rule", '{');
	for (size_t r = 0; r < rules && r < KITH_RULES_MAX; r++)
		json_u64(j, kith_rule_name(d->c, r), t->by_rule[r]);
	json_close(j, "by_rule", '}');
	json_open(j, "examples", '[');
	for (size_t i = 0; i < t->shown_n; i++)
		json_str(j, NULL, t->shown[i], strlen(t->shown[i]));
	json_close(j, "examples", ']');
	json_close(j, "rules", '}');
}

/* The whole report as one JSON document (report.schema.json). */
int report_json(const struct report_data *d)
{
	struct json j = {stdout, 0, {false}};
	json_open(&j, NULL, '{');
	json_header(&j, d);
	json_members(&j, d);
	json_messages(&j, d);
	json_activity(&j, d);
	json_interactions(&j, d->c);
	json_rankings(&j, d);
	json_digest(&j, d);
	json_rules(&j, d);
	if (!json_library(&j, "cleanup", d->plan, cleanup_json) ||
	    !json_library(&j, "health", d->hl, health_json) || !json_levels(&j, d->c, d->levels) ||
	    !json_seeds(&j, d->seeds) || !json_agenda(&j, d->agenda)) {
		fprintf(stderr, "kith-report: out of memory\n");
		return EXIT_FAILURE;
	}
	json_close(&j, NULL, '}');
	fputc('\n', stdout);
	return 0;
}
