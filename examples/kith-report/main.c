/*
 * kith-report — replay a community's event trace and print what its
 * operators need to know: who is here and who only watches, how much is
 * said and how much of it is worth reading, when the group is awake, who
 * carries it, and the best of the latest day.
 *
 * SPDX-License-Identifier: MIT
 *
 *   kith-report [TRACE] [--charter FILE] [--now MS] [--json] [--html FILE] [--quiet]
 *   kith-report members [TRACE] [--charter FILE] [--now MS] [--quiet]
 *
 * Without TRACE it replays the sample community it carries (built in from
 * examples/data/sample.trace and sample.charter), so it works from any
 * directory. TRACE "-" reads standard input. --now defaults to the time of
 * the last event. "members" prints one JSON object per member and line
 * (kith_member_to_json's figures); --json prints the whole report as one
 * JSON document, described by report.schema.json in this folder; --html
 * FILE writes the report as a self-contained HTML page instead of the
 * text (with --json, the JSON still goes to standard output).
 *
 * The library reads the trace and the charter; this program only reads
 * files and presents figures. The activity by day and hour is what the
 * library's counters show after each line of the replay; every other
 * figure, the digest messages' texts among them (kept by the library for
 * this program: kith_community_keep_digest_texts), is read from the model.
 *
 * Exit status: 0 success, 2 bad input (a malformed trace or charter, a bad
 * option), 1 any other failure (a file that cannot be read, no memory).
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

/* ---- Usage ------------------------------------------------------------ */

static void usage(FILE *f)
{
	fputs("usage: kith-report [TRACE] [--charter FILE] [--now MS] [--json] [--html FILE]\n"
	      "                   [--quiet]\n"
	      "       kith-report members [TRACE] [--charter FILE] [--now MS] [--quiet]\n"
	      "Replay a kith-trace 1 file and report on the community.\n"
	      "  TRACE           the trace to replay (\"-\" for standard input); without it,\n"
	      "                  the built-in sample community with its charter\n"
	      "  members         print one JSON object per member and line instead\n"
	      "  --charter FILE  apply this charter before replaying\n"
	      "  --now MS        report as of this time (ms since the Unix epoch, UTC):\n"
	      "                  the replay stops there, and the report says how many\n"
	      "                  later events it left out; default: the last event\n"
	      "  --json          print one JSON document (format 1, described by\n"
	      "                  share/kith/report.schema.json) instead of the text report\n"
	      "  --html FILE     write the report as one self-contained HTML page (charts\n"
	      "                  as inline SVG, nothing loaded from outside) to FILE\n"
	      "                  instead of the text report\n"
	      "  --quiet, -q     no progress on stderr (shown only on a terminal, for\n"
	      "                  replays that take more than a second)\n"
	      "  --help          show this help\n"
	      "Exit status: 0 success, 2 bad input, 1 other failure.\n",
	      f);
}

/* The kind, time and text of digest entry i's message, the text on one
 * line for display (a tab or a newline becomes a space) and cut to
 * DIGEST_TEXT_MAX bytes, as the library keeps it. */
static void digest_details(const kith_community *c, size_t i, struct digest_line *d)
{
	kith_kind kind;
	size_t needed = 0;
	d->kind = -1;
	d->time_ms = KITH_TIME_NONE;
	if (kith_community_digest_message(c, i, &d->time_ms, &kind) == KITH_OK)
		d->kind = (int)kind;
	d->text_len = 0;
	if (kith_community_digest_text(c, i, d->text, sizeof d->text, &needed) != KITH_OK)
		return;
	d->text_len = needed < sizeof d->text - 1 ? needed : sizeof d->text - 1;
	for (size_t k = 0; k < d->text_len; k++)
		if (d->text[k] == '\t' || d->text[k] == '\n')
			d->text[k] = ' ';
}

static int report(kith_community *c, const struct input *in, const struct activity *activity,
                  int64_t now, bool sample, const struct verdict_tally *verdicts,
                  const struct level_tally *levels, bool json, const char *html)
{
	size_t n = kith_community_member_count(c), dg_count = kith_community_digest_count(c);
	int64_t off = utc_offset_ms(c);
	struct row *rows = calloc(n ? n : 1, sizeof *rows);
	int64_t *msgs = calloc(n ? n : 1, sizeof *msgs);
	struct digest_line *dg = calloc(dg_count ? dg_count : 1, sizeof *dg);
	struct totals t;
	struct timeline s;
	char format[8], half_life[32];
	int64_t span_days = 0;

	if (!rows || !msgs || !dg) {
		free(rows);
		free(msgs);
		free(dg);
		fprintf(stderr, "kith-report: out of memory\n");
		return EXIT_FAILURE;
	}
	memset(&t, 0, sizeof t);
	for (size_t i = 0; i < n; i++) {
		uint32_t h = (uint32_t)i, d7 = 0, d30 = 0;
		struct row *r = &rows[i];
		bool present = stat_of(c, h, KITH_STAT_PRESENT) != 0;
		int64_t last_msg = stat_of(c, h, KITH_STAT_LAST_MSG_MS);
		r->h = h;
		r->messages = stat_of(c, h, KITH_STAT_MESSAGES);
		r->replies_given = stat_of(c, h, KITH_STAT_REPLIES_GIVEN);
		r->replies_received = stat_of(c, h, KITH_STAT_REPLIES_RECEIVED);
		kith_member_score(c, h, now, &r->score);
		bool known7 = kith_member_active_days(c, h, now, 7, &d7) == KITH_OK;
		r->days30_known = kith_member_active_days(c, h, now, 30, &d30) == KITH_OK;
		r->days30 = d30;
		t.unknown7 += present && !known7;
		t.unknown30 += present && !r->days30_known;
		msgs[i] = r->messages;

		t.present += present;
		t.spoke += r->messages > 0;
		/* Shares below are of present members: count the present only. */
		t.active7 += present && d7 > 0;
		t.active30 += present && d30 > 0;
		for (int k = 0; k < KITH_KIND_COUNT; k++)
			t.kinds[k] += (uint64_t)stat_of(c, h, (kith_stat)(KITH_STAT_KIND_BASE + k));
		t.questions += (uint64_t)stat_of(c, h, KITH_STAT_QUESTIONS);
		t.feedback += (uint64_t)stat_of(c, h, KITH_STAT_FEEDBACK);
		t.complaints += (uint64_t)stat_of(c, h, KITH_STAT_COMPLAINTS);
		t.envelopes_sent += (uint64_t)stat_of(c, h, KITH_STAT_ENVELOPES_SENT);
		{
			int64_t claimed = stat_of(c, h, KITH_STAT_ENVELOPES_CLAIMED);
			t.envelopes_claimed += (uint64_t)claimed;
			t.claimers += claimed > 0;
			/* Onlookers: present and never spoke, envelope claimers
			 * among them (as health counts lurkers). */
			t.onlookers += present && r->messages == 0;
			t.envelope_only += present && r->messages == 0 && claimed > 0;
		}
		t.attended += (uint64_t)stat_of(c, h, KITH_STAT_ATTENDED);
		t.invites += (uint64_t)stat_of(c, h, KITH_STAT_INVITES);
		t.invitees_present += (uint64_t)stat_of(c, h, KITH_STAT_INVITEES_PRESENT);
		t.reports += (uint64_t)stat_of(c, h, KITH_STAT_REPORTS_RECEIVED);
		t.high_value += (uint64_t)stat_of(c, h, KITH_STAT_HIGH_VALUE);
		t.buyers += stat_of(c, h, KITH_STAT_LAST_PURCHASE_MS) != KITH_TIME_NONE;
		if (present) {
			if (stat_of(c, h, KITH_STAT_JOINED_MS) >= add_sat(now, -NEWCOMER_MS))
				t.newcomers++;
			if (r->messages > 0 && last_msg < add_sat(now, -7 * MS_DAY))
				t.silent7++;
			size_t name_len;
			if (kith_member_display_name(c, h, &name_len))
				t.named++;
			t.compliant += stat_of(c, h, KITH_STAT_NAME_COMPLIANT) != 0;
		}
		for (uint32_t role = 0;
		     role < kith_community_role_count(c) && role < KITH_ROLES_MAX; role++)
			t.role_holders[role] += (uint64_t)kith_member_has_role(c, h, role);
	}
	qsort(msgs, n, sizeof *msgs, cmp_desc_i64);

	for (size_t i = 0; i < dg_count; i++) {
		if (kith_community_digest_entry(c, i, &dg[i].id, &dg[i].id_len, &dg[i].author,
		                                &dg[i].value) != KITH_OK) {
			dg_count = i;
			break;
		}
		digest_details(c, i, &dg[i]);
	}
	memset(&s, 0, sizeof s);
	s.events = kith_community_event_count(c);
	/* A snapshot older than the first event's time is never loaded here,
	 * so with events there is a first time. */
	if (kith_community_first_event_ms(c, &s.first_ms) != KITH_OK)
		s.first_ms = kith_community_last_event_ms(c);
	activity_profile(activity, now, off, &s);
	if (s.events > 0)
		span_days = local_day(kith_community_last_event_ms(c), off) -
		            local_day(s.first_ms, off) + 1;

	setting_text(c, "community.name_format", format, sizeof format);
	setting_text(c, "value.half_life_days", half_life, sizeof half_life);
	/* The engines' results, made once for every section that shows them. */
	kith_health *hl = NULL;
	kith_cleanup_plan *plan = NULL;
	char health_error[512] = "", cleanup_error[512] = "";
	if (kith_health_new(c, now, &hl) != KITH_OK)
		snprintf(health_error, sizeof health_error, "%s", kith_community_last_error(c));
	if (kith_cleanup_plan_new(c, now, &plan) != KITH_OK)
		snprintf(cleanup_error, sizeof cleanup_error, "%s", kith_community_last_error(c));
	struct agenda_report agenda;
	agenda_make(c, now, &agenda);
	struct seeds_report seeds;
	seeds_make(c, now, &seeds);
	if (json || html) {
		struct report_data d = {
		        c,        in, now,  off,      span_days, sample, format[0] != '\0',
		        &t,       &s, rows, n,        msgs,      dg,     dg_count,
		        verdicts, hl, plan, activity, &seeds,    levels, &agenda};
		int status = html ? report_html(&d, html) : 0;
		if (status == 0 && json)
			status = report_json(&d);
		seeds_free(&seeds);
		agenda_free(&agenda);
		kith_health_free(hl);
		kith_cleanup_plan_free(plan);
		free(rows);
		free(msgs);
		free(dg);
		return status;
	}
	print_header(c, in, &s, now, off, sample);
	if (s.events > 0) {
		print_members(c, &t, format[0] != '\0');
		print_messages(c, &t, hl, msgs, n, span_days);
		print_activity(&s, now, off);
		print_graph(c);
		print_top(c, rows, n, half_life);
		print_repliers(c, rows, n);
		print_digest(c, dg, dg_count, off);
		print_rules(c, verdicts);
		print_cleanup(c, plan, cleanup_error);
		print_health(hl, health_error);
		print_levels(c, levels);
		print_seeds(c, &seeds);
		print_agenda(c, &agenda);
	}
	seeds_free(&seeds);
	agenda_free(&agenda);
	kith_health_free(hl);
	kith_cleanup_plan_free(plan);
	free(rows);
	free(msgs);
	free(dg);
	return 0;
}

static int print_member_lines(const kith_community *c, int64_t now, const char *label)
{
	size_t n = kith_community_member_count(c), size = 512, needed = 0;
	char *buf;
	/* Standard output stays JSON lines (none); say why on stderr. */
	if (n == 0) {
		fprintf(stderr,
		        "kith-report: %s: no members to print: no event of the trace "
		        "names one\n",
		        label);
		return 0;
	}
	buf = malloc(size);
	if (!buf) {
		fprintf(stderr, "kith-report: out of memory\n");
		return EXIT_FAILURE;
	}
	for (size_t i = 0; i < n; i++) {
		kith_status st = kith_member_to_json(c, (uint32_t)i, now, buf, size, &needed);
		if (st == KITH_OK && needed >= size) {
			char *bigger = realloc(buf, needed + 1);
			if (!bigger) {
				free(buf);
				fprintf(stderr, "kith-report: out of memory\n");
				return EXIT_FAILURE;
			}
			buf = bigger;
			size = needed + 1;
			st = kith_member_to_json(c, (uint32_t)i, now, buf, size, &needed);
		}
		if (st != KITH_OK) {
			fprintf(stderr, "kith-report: member %zu: %s\n", i, kith_status_name(st));
			free(buf);
			return EXIT_FAILURE;
		}
		fwrite(buf, 1, needed, stdout);
		putchar('\n');
	}
	free(buf);
	return 0;
}

/* ---- main ------------------------------------------------------------- */

/* The latest --now: 9999-12-31 23:59:59.999 UTC. */
#define NOW_MAX INT64_C(253402300799999)

static bool parse_ms(const char *s, int64_t *out)
{
	char *end;
	long long v;
	if (!s || !*s || *s == ' ' || *s == '+')
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end)
		return false;
	*out = (int64_t)v;
	return true;
}

/* Returns -1 to go on, else an exit status. */
static int parse_options(int argc, char **argv, struct options *o)
{
	int i = 1;
	memset(o, 0, sizeof *o);
	if (argc > 1 && strcmp(argv[1], "members") == 0) {
		o->members = true;
		i = 2;
	}
	for (; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return 0;
		}
		if (strcmp(a, "--json") == 0) {
			o->json = true;
			continue;
		}
		if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
			o->quiet = true;
			continue;
		}
		if (strcmp(a, "--html") == 0) {
			if (i + 1 >= argc || argv[i + 1][0] == '\0') {
				fprintf(stderr, "kith-report: --html needs a file name\n");
				return EXIT_BAD_INPUT;
			}
			o->html = argv[++i];
			continue;
		}
		if (strcmp(a, "--charter") == 0 || strcmp(a, "--now") == 0) {
			if (i + 1 >= argc) {
				fprintf(stderr, "kith-report: %s needs a value\n", a);
				usage(stderr);
				return EXIT_BAD_INPUT;
			}
			if (a[2] == 'c') {
				o->charter = argv[++i];
			} else if (!parse_ms(argv[++i], &o->now) || o->now <= 0 ||
			           o->now > NOW_MAX) {
				fprintf(stderr,
				        "kith-report: bad --now '%s': expected milliseconds since "
				        "the Unix epoch, from 1 to %lld (the end of year 9999)\n",
				        argv[i], (long long)NOW_MAX);
				return EXIT_BAD_INPUT;
			} else {
				o->have_now = true;
			}
			continue;
		}
		if (a[0] == '-' && a[1] != '\0') {
			fprintf(stderr, "kith-report: unknown option '%s'\n", a);
			usage(stderr);
			return EXIT_BAD_INPUT;
		}
		if (o->trace) {
			fprintf(stderr, "kith-report: more than one trace ('%s' and '%s')\n",
			        o->trace, a);
			usage(stderr);
			return EXIT_BAD_INPUT;
		}
		o->trace = a;
	}
	if (o->members && o->html) {
		fprintf(stderr, "kith-report: --html is for the report, not members\n");
		return EXIT_BAD_INPUT;
	}
	if (o->members && o->json) {
		fprintf(stderr, "kith-report: members already prints JSON, one object a line; "
		                "--json is for the report\n");
		return EXIT_BAD_INPUT;
	}
	return -1;
}

int main(int argc, char **argv)
{
	struct options o;
	struct input trace = {0}, charter = {0};
	struct verdict_tally verdicts;
	static struct activity activity; /* 7 KB: not on the stack */
	struct level_tally levels;
	kith_community *c = NULL;
	kith_status st;
	uint64_t lines = 0;
	int64_t now = 0;
	int status = parse_options(argc, argv, &o);

	if (status >= 0)
		return status;
	memset(&verdicts, 0, sizeof verdicts);
	status = 0;
	if (o.trace) {
		status = read_input(o.trace, &trace);
	} else {
		trace.label = "sample.trace";
		trace.data = (const char *)kith_sample_trace;
		trace.len = kith_sample_trace_len;
	}
	if (status == 0 && o.charter) {
		status = read_input(o.charter, &charter);
	} else if (status == 0 && !o.trace) {
		charter.label = "sample.charter";
		charter.data = (const char *)kith_sample_charter;
		charter.len = kith_sample_charter_len;
	}
	if (status == 0 && o.have_now)
		status = cut_at(&trace, o.now);
	if (status == 0 && (st = kith_community_new(&c)) != KITH_OK) {
		fprintf(stderr, "kith-report: %s\n", kith_status_name(st));
		status = EXIT_FAILURE;
	}
	/* The digest shows the start of its messages' texts, which the
	 * library keeps only when asked. */
	if (status == 0 && !o.members &&
	    (st = kith_community_keep_digest_texts(c, DIGEST_TEXT_MAX)) != KITH_OK) {
		fprintf(stderr, "kith-report: %s\n", kith_community_last_error(c));
		status = EXIT_FAILURE;
	}
	if (status == 0 && charter.data) {
		st = kith_community_apply_charter(c, charter.data, charter.len);
		if (st != KITH_OK) {
			print_text_error(charter.label, kith_community_last_error(c), 1);
			status = exit_code_for(st);
		}
	}
	if (status == 0) {
		levels_start(c, &levels);
		st = ingest_tallying(c, trace.data, trace.len, &lines, &verdicts, &activity, &levels,
		                     o.quiet);
		if (st != KITH_OK) {
			print_text_error(trace.label, kith_community_last_error(c), lines + 1);
			status = exit_code_for(st);
		}
	}
	if (status == 0) {
		now = o.have_now ? o.now : kith_community_last_event_ms(c);
		if (now == KITH_TIME_NONE)
			now = 0;
		/* The review of the last day, as of now. */
		st = levels_finish(c, &levels, now);
		if (st != KITH_OK) {
			fprintf(stderr, "kith-report: levels review: %s\n",
			        kith_community_last_error(c));
			status = EXIT_FAILURE;
		}
	}
	if (status == 0) {
		status = o.members ? print_member_lines(c, now, trace.label)
		                   : report(c, &trace, &activity, now, !o.trace, &verdicts, &levels,
		                            o.json, o.html);
	}
	if (status == 0 && (fflush(stdout) != 0 || ferror(stdout))) {
		fprintf(stderr, "kith-report: writing the report failed\n");
		status = EXIT_FAILURE;
	}
	kith_community_free(c);
	free(verdicts.members);
	free(trace.owned);
	free(charter.owned);
	return status;
}
