/*
 * kith-report --html FILE: the report as one self-contained HTML page,
 * its charts inline SVG (svg.c) and its style inline CSS, with no script
 * and no outside resource. It draws the figures main.c gathered for
 * every output (struct report_data); it computes none of them again.
 *
 * SPDX-License-Identifier: MIT
 */
#include "report.h"
#include "svg.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GRAPH_CORE    12 /* members drawn in the interaction graph */
#define HEAT_DAYS     28 /* four whole weeks of hours */
#define CLEANUP_ROWS  20
#define ID_CHARS      24 /* member ids longer than this are cut in tables */

static const char style[] =
        "body{font:15px/1.45 system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1d2330}"
        "main{max-width:1080px;margin:0 auto;padding:16px 24px 40px}"
        "h1{font-size:26px;margin:8px 0 2px}h2{font-size:19px;margin:0 0 10px}"
        "section{background:#fff;border-radius:8px;padding:16px 20px;margin:16px 0;"
        "box-shadow:0 1px 3px rgba(0,0,0,.12)}"
        ".sub{color:#5b6475;margin:0}.figs{display:flex;flex-wrap:wrap;gap:12px;margin-top:12px}"
        ".fig{background:#eef2f8;border-radius:6px;padding:8px 14px;min-width:120px}"
        ".fig b{display:block;font-size:22px}"
        "svg.chart{width:100%;height:auto;display:block}"
        "svg .axis{font-size:12px;fill:#5b6475}svg .grid{stroke:#dde1e8}"
        "svg .node{font-size:12px;fill:#1d2330}"
        "table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:4px 8px;"
        "border-bottom:1px solid #e3e6ec;vertical-align:top}th{color:#5b6475;font-weight:600}"
        "td.n{text-align:right;font-variant-numeric:tabular-nums}"
        "ul.lights{list-style:none;padding:0;margin:0}ul.lights li{padding:6px 0;"
        "border-bottom:1px solid #e3e6ec}"
        ".dot{display:inline-block;width:14px;height:14px;border-radius:50%;"
        "margin-right:8px;vertical-align:-2px}"
        ".ok{background:#2e9d4f}.info{background:#3d7fd9}.warning{background:#e6a117}"
        ".critical{background:#d63b3b}.code{font-weight:600;margin-right:6px}"
        ".none{color:#5b6475;font-style:italic}";

static void text(FILE *f, const char *s)
{
	markup_text(f, s, strlen(s), 0);
}

static void member_id(FILE *f, const kith_community *c, uint32_t h)
{
	size_t n = 0;
	const char *s = kith_member_id(c, h, &n);
	if (s)
		markup_text(f, s, n, ID_CHARS);
}

static void member_name(FILE *f, const kith_community *c, uint32_t h)
{
	size_t n = 0;
	const char *s = kith_member_display_name(c, h, &n);
	if (s)
		markup_text(f, s, n, ID_CHARS);
}

/* A headline figure; data-figure names it for the programs that read the page. */
static void figure(FILE *f, const char *key, const char *label, uint64_t v)
{
	char n1[32];
	fprintf(f, "<div class=\"fig\"><b data-figure=\"%s\" data-value=\"%" PRIu64 "\">%s</b>",
	        key, v, fmt_count(n1, sizeof n1, v));
	text(f, label);
	fputs("</div>", f);
}

static void html_header(FILE *f, const struct report_data *d)
{
	char name[300], a[32], b[32];
	setting_text(d->c, "community.name", name, sizeof name);
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	      "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
	      "<title>kith-report: ",
	      f);
	text(f, name[0] ? name : d->in->label);
	fprintf(f, "</title><style>%s</style></head>\n<body><main>\n<header><h1>", style);
	text(f, name[0] ? name : "kith community");
	fputs("</h1><p class=\"sub\">", f);
	text(f, d->in->label);
	if (d->s->events > 0) {
		fputs(": ", f);
		text(f, fmt_time(a, sizeof a, d->s->first_ms, d->off));
		fputs(" to ", f);
		text(f, fmt_time(b, sizeof b, d->now, d->off));
		fputs(" (local time)", f);
	}
	if (d->in->left_out) {
		char n1[32];
		fprintf(f,
		        "; <span data-figure=\"left_out\" data-value=\"%" PRIu64 "\">%s</span> "
		        "later events left out (--now)",
		        d->in->left_out, fmt_count(n1, sizeof n1, d->in->left_out));
	}
	fputs("</p><div class=\"figs\">", f);
	figure(f, "events", "events", d->s->events);
	figure(f, "messages", "messages", kith_community_message_count(d->c));
	figure(f, "present", "members present", d->t->present);
	figure(f, "active_30", "active in 30 days", d->t->active30);
	figure(f, "days", "days", d->span_days > 0 ? (uint64_t)d->span_days : 0);
	fputs("</div></header>\n", f);
}

static void html_days(FILE *f, const struct report_data *d)
{
	char dates[PROFILE_DAYS][16];
	const char *labels[PROFILE_DAYS];
	uint64_t msgs[PROFILE_DAYS], joins[PROFILE_DAYS], leaves[PROFILE_DAYS];
	int64_t now_day = local_day(d->now, d->off);
	/* Oldest first; the profile's slot 0 is the day of now. */
	for (int i = 0; i < PROFILE_DAYS; i++) {
		int ago = PROFILE_DAYS - 1 - i;
		int64_t y;
		unsigned m, dd;
		civil_from_days(now_day - ago, &y, &m, &dd);
		snprintf(dates[i], sizeof dates[i], "%02u-%02u", m, dd);
		labels[i] = dates[i];
		msgs[i] = d->s->day_msgs[ago];
		joins[i] = d->s->day_joins[ago];
		leaves[i] = d->s->day_leaves[ago];
	}
	struct svg_series m[] = {{"messages", "#3d7fd9", msgs}};
	struct svg_series jl[] = {{"joins", "#2e9d4f", joins}, {"departures", "#d63b3b", leaves}};
	fputs("<section id=\"days\"><h2>Messages, joins and departures per day</h2>"
	      "<p class=\"sub\">The last 14 local days.</p>",
	      f);
	svg_bars(f, "Messages per day", labels, PROFILE_DAYS, m, 1);
	svg_bars(f, "Joins and departures per day", labels, PROFILE_DAYS, jl, 2);
	fputs("</section>\n", f);
}

static void html_heat(FILE *f, const struct report_data *d)
{
	/* Rows Monday to Sunday; weekdays[] starts on Thursday (day 0). */
	static const char *const rows[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
	uint64_t cells[7 * 24] = {0};
	const struct activity *a = d->activity;
	int64_t now_day = local_day(d->now, d->off);
	for (int64_t ago = 0; a && a->any && ago < HEAT_DAYS; ago++) {
		int64_t day = now_day - ago;
		if (day > a->last_day || day <= a->last_day - ACTIVITY_DAYS)
			continue;
		size_t slot = (size_t)(((day % ACTIVITY_DAYS) + ACTIVITY_DAYS) % ACTIVITY_DAYS);
		size_t row = (size_t)((((day % 7) + 7) % 7 + 3) % 7);
		for (int h = 0; h < 24; h++)
			cells[row * 24 + (size_t)h] += a->hours[slot][h];
	}
	fputs("<section id=\"hours\"><h2>Activity by hour of the week</h2>"
	      "<p class=\"sub\">Messages by local weekday and hour, over the last 28 days.</p>",
	      f);
	svg_heat(f, "Messages by weekday and hour", rows, 7, 24, cells);
	fputs("</section>\n", f);
}

static void html_kinds(FILE *f, const struct report_data *d)
{
	const char *labels[KITH_KIND_COUNT];
	uint64_t values[KITH_KIND_COUNT];
	size_t n = 0;
	char ratio[32], high[32];
	for (int k = 0; k < KITH_KIND_COUNT; k++) {
		if (!d->t->kinds[k])
			continue;
		labels[n] = kind_names[k];
		values[n++] = d->t->kinds[k];
	}
	fputs("<section id=\"kinds\"><h2>The value mix by kind</h2>", f);
	fprintf(f, "<p class=\"sub\">Value ratio %s; %s high-value messages.</p>",
	        fmt_figure(ratio, sizeof ratio, kith_community_value_ratio(d->c)),
	        fmt_count(high, sizeof high, d->t->high_value));
	if (n)
		svg_hbars(f, "Messages by kind", labels, values, n, "#7a5cd6");
	else
		fputs("<p class=\"none\">No messages.</p>", f);
	fputs("</section>\n", f);
}

static void html_contributors(FILE *f, const struct report_data *d)
{
	char n1[32], n2[32], n3[32], sc[32];
	size_t shown = 0;
	double top = 0;
	qsort(d->rows, d->n, sizeof *d->rows, cmp_score);
	if (d->n)
		top = d->rows[0].score;
	fputs("<section id=\"contributors\"><h2>Top contributors</h2>", f);
	fputs("<table><tr><th>#</th><th>member</th><th>name</th><th>score</th><th></th>"
	      "<th>messages</th><th>replies given</th><th>replies received</th></tr>",
	      f);
	for (size_t i = 0; i < d->n && shown < TOP_CONTRIBUTORS && d->rows[i].score > 0;
	     i++, shown++) {
		const struct row *r = &d->rows[i];
		fprintf(f, "<tr data-rank=\"%zu\"><td class=\"n\">%zu</td><td class=\"member\">",
		        shown + 1, shown + 1);
		member_id(f, d->c, r->h);
		fputs("</td><td>", f);
		member_name(f, d->c, r->h);
		fprintf(f,
		        "</td><td class=\"n\">%s</td><td><svg width=\"120\" height=\"12\">"
		        "<rect width=\"%.1f\" height=\"12\" fill=\"#3d7fd9\"/></svg></td>"
		        "<td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td></tr>",
		        fmt_figure(sc, sizeof sc, r->score), top > 0 ? 120 * r->score / top : 0,
		        fmt_count(n1, sizeof n1, (uint64_t)r->messages),
		        fmt_count(n2, sizeof n2, (uint64_t)r->replies_given),
		        fmt_count(n3, sizeof n3, (uint64_t)r->replies_received));
	}
	fputs("</table>", f);
	if (!shown)
		fputs("<p class=\"none\">No member has a score yet.</p>", f);
	fputs("</section>\n", f);
}

/* The core of the interaction graph: the members with the most replies,
 * given and received, on a circle, with their reply links between them. */
static int html_graph(FILE *f, const struct report_data *d)
{
	size_t edges = kith_community_edge_count(d->c), core_n = 0;
	uint64_t *degree = calloc(d->n ? d->n : 1, sizeof *degree);
	int *slot = malloc((d->n ? d->n : 1) * sizeof *slot);
	uint32_t core[GRAPH_CORE];
	double x[GRAPH_CORE], y[GRAPH_CORE];
	uint64_t links[GRAPH_CORE][GRAPH_CORE] = {{0}}, max_link = 0;
	if (!degree || !slot) {
		free(degree);
		free(slot);
		return -1;
	}
	for (size_t i = 0; i < edges; i++) {
		uint32_t s, t, counts[4];
		if (kith_community_edge(d->c, i, &s, &t, counts) != KITH_OK || s >= d->n ||
		    t >= d->n)
			continue;
		degree[s] += counts[KITH_INTERACTION_REPLY];
		degree[t] += counts[KITH_INTERACTION_REPLY];
	}
	/* The GRAPH_CORE largest degrees, the lower handle first between equals. */
	for (size_t i = 0; i < d->n; i++) {
		slot[i] = -1;
		if (!degree[i])
			continue;
		size_t at = core_n;
		while (at > 0 && degree[core[at - 1]] < degree[i])
			at--;
		if (at >= GRAPH_CORE)
			continue;
		if (core_n < GRAPH_CORE)
			core_n++;
		memmove(&core[at + 1], &core[at], (core_n - 1 - at) * sizeof core[0]);
		core[at] = (uint32_t)i;
	}
	for (size_t k = 0; k < core_n; k++) {
		double angle = 2 * 3.14159265358979 * (double)k / (double)core_n - 3.14159265358979 / 2;
		slot[core[k]] = (int)k;
		x[k] = 500 + 300 * cos(angle);
		y[k] = 260 + 200 * sin(angle);
	}
	for (size_t i = 0; i < edges; i++) {
		uint32_t s, t, counts[4];
		if (kith_community_edge(d->c, i, &s, &t, counts) != KITH_OK || s >= d->n ||
		    t >= d->n || slot[s] < 0 || slot[t] < 0 || s == t)
			continue;
		/* Both directions of a pair make one link. */
		int a = slot[s] < slot[t] ? slot[s] : slot[t], b = slot[s] < slot[t] ? slot[t] : slot[s];
		links[a][b] += counts[KITH_INTERACTION_REPLY];
		if (links[a][b] > max_link)
			max_link = links[a][b];
	}
	fputs("<section id=\"graph\"><h2>The core of the interaction graph</h2>", f);
	fprintf(f, "<p class=\"sub\">The %zu members with the most replies (given and received) "
	           "and the replies between them; a thicker line is more replies.</p>",
	        core_n);
	if (!core_n) {
		fputs("<p class=\"none\">No replies yet.</p></section>\n", f);
		free(degree);
		free(slot);
		return 0;
	}
	fputs("<svg class=\"chart\" viewBox=\"0 0 1000 520\" role=\"img\">"
	      "<title>Reply links between the most connected members</title>",
	      f);
	for (size_t a = 0; a < core_n; a++)
		for (size_t b = a + 1; b < core_n; b++) {
			if (!links[a][b])
				continue;
			double w = 1 + 5 * log((double)links[a][b]) / log((double)max_link + 1);
			fprintf(f,
			        "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
			        "stroke=\"#8aa6d6\" stroke-opacity=\"0.8\" stroke-width=\"%.1f\">"
			        "<title>%" PRIu64 " replies</title></line>",
			        x[a], y[a], x[b], y[b], w, links[a][b]);
		}
	for (size_t k = 0; k < core_n; k++) {
		double r = 8 + 14 * (double)degree[core[k]] / (double)degree[core[0]];
		fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"#3d7fd9\"><title>",
		        x[k], y[k], r);
		member_id(f, d->c, core[k]);
		fprintf(f, ": %" PRIu64 " replies</title></circle>", degree[core[k]]);
		bool left = x[k] < 499;
		fprintf(f, "<text class=\"node\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">",
		        x[k] + (left ? -(r + 6) : r + 6), y[k] + 4, left ? "end" : "start");
		member_id(f, d->c, core[k]);
		fputs("</text>", f);
	}
	fputs("</svg></section>\n", f);
	free(degree);
	free(slot);
	return 0;
}

static void html_health(FILE *f, const struct report_data *d)
{
	static const char *const light[] = {"ok", "info", "warning", "critical"};
	size_t n = kith_health_count(d->hl);
	fprintf(f, "<section id=\"health\"><h2>Health</h2><ul class=\"lights\" data-findings=\"%zu\">",
	        n);
	for (size_t i = 0; i < n; i++) {
		kith_health_code code;
		kith_severity sev;
		if (kith_health_finding(d->hl, i, &code, &sev, NULL, NULL, NULL) != KITH_OK)
			continue;
		const char *why = kith_health_explanation(d->hl, i);
		int level = sev >= KITH_SEVERITY_OK && sev <= KITH_SEVERITY_CRITICAL ? (int)sev : 1;
		fprintf(f, "<li class=\"finding\"><span class=\"dot %s\" title=\"%s\"></span>"
		           "<span class=\"code\">",
		        light[level], light[level]);
		text(f, kith_health_code_name(code));
		fputs("</span>", f);
		if (why)
			text(f, why);
		fputs("</li>", f);
	}
	fputs("</ul>", f);
	if (!d->hl)
		fputs("<p class=\"none\">The health check could not be made.</p>", f);
	fputs("</section>\n", f);
}

static void html_cleanup(FILE *f, const struct report_data *d)
{
	const kith_cleanup_plan *p = d->plan;
	size_t count = kith_cleanup_plan_count(p);
	int64_t candidates = 0, waiting = 0, spared = 0;
	char n1[32], n2[32], n3[32];
	fputs("<section id=\"cleanup\"><h2>Cleanup plan</h2>", f);
	if (!p) {
		fputs("<p class=\"none\">No plan could be made.</p></section>\n", f);
		return;
	}
	kith_cleanup_plan_summary(p, KITH_CLEANUP_SUMMARY_CANDIDATES, &candidates);
	kith_cleanup_plan_summary(p, KITH_CLEANUP_SUMMARY_WAITING, &waiting);
	kith_cleanup_plan_summary(p, KITH_CLEANUP_SUMMARY_PROTECTED, &spared);
	fprintf(f,
	        "<p class=\"sub\">A dry run: <span data-figure=\"candidates\" "
	        "data-value=\"%" PRId64 "\">%s</span> proposed, %s waiting on an ultimatum, "
	        "%s spared by a protection.</p>",
	        candidates, fmt_count(n1, sizeof n1, (uint64_t)candidates),
	        fmt_count(n2, sizeof n2, (uint64_t)waiting),
	        fmt_count(n3, sizeof n3, (uint64_t)spared));
	fputs("<table><tr><th>#</th><th>stage</th><th>member</th><th>name</th><th>why</th></tr>", f);
	for (size_t i = 0; i < count && i < CLEANUP_ROWS; i++) {
		uint32_t h;
		kith_cleanup_stage stage;
		if (kith_cleanup_plan_entry(p, i, &h, &stage, NULL) != KITH_OK)
			continue;
		const char *why = kith_cleanup_plan_explanation(p, i);
		fprintf(f, "<tr><td class=\"n\">%zu</td><td>", i + 1);
		text(f, kith_cleanup_stage_name(stage));
		fputs("</td><td class=\"member\">", f);
		member_id(f, d->c, h);
		fputs("</td><td>", f);
		member_name(f, d->c, h);
		fputs("</td><td>", f);
		if (why)
			text(f, why);
		fputs("</td></tr>", f);
	}
	fputs("</table>", f);
	if (count > CLEANUP_ROWS)
		fprintf(f, "<p class=\"sub\">... and %s more.</p>",
		        fmt_count(n1, sizeof n1, count - CLEANUP_ROWS));
	else if (!count)
		fputs("<p class=\"none\">Nobody to warn or remove.</p>", f);
	fputs("</section>\n", f);
}

/* Write the page to path. 0, or an exit status after saying why. */
int report_html(const struct report_data *d, const char *path)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "kith-report: --html: cannot write '%s': %s\n", path,
		        strerror(errno));
		return EXIT_BAD_INPUT;
	}
	html_header(f, d);
	if (d->s->events > 0) {
		html_days(f, d);
		html_heat(f, d);
		html_kinds(f, d);
		html_contributors(f, d);
		if (html_graph(f, d) != 0) {
			fclose(f);
			fprintf(stderr, "kith-report: out of memory\n");
			return EXIT_FAILURE;
		}
		html_health(f, d);
		html_cleanup(f, d);
	} else {
		fputs("<section><p class=\"none\">The trace holds no event.</p></section>\n", f);
	}
	fputs("<footer><p class=\"sub\">Written by kith-report.</p></footer>\n"
	      "</main></body></html>\n",
	      f);
	if (ferror(f) | (fclose(f) != 0)) {
		fprintf(stderr, "kith-report: --html: writing '%s' failed\n", path);
		return EXIT_BAD_INPUT;
	}
	return 0;
}
