/*
 * kith-gen — write a realistic, deterministic kith-trace 1 of an online
 * group community, for the demo, tests and benchmarks.
 *
 * SPDX-License-Identifier: MIT
 *
 *   kith-gen [--seed N] [--members N] [--days N] [--start MS] [--truth FILE] > trace
 *
 * The output is a pure function of the options. The generator has its own
 * PRNG (xoshiro256** seeded through splitmix64) and takes every random
 * decision with integer arithmetic, so a seed gives the same bytes on any
 * machine and with any libc.
 *
 * The community lives at UTC+08:00 and follows a daily rhythm: quiet at
 * night, busy at lunch and in the evening. Its cast:
 *   - an owner who creates the group and gives roles (role=+owner, +admin,
 *     +expert, later +opinion-leader) and a few admins who welcome people,
 *     post announcements and digests, drop red envelopes, delete ads and
 *     kick spammers;
 *   - opinion leaders who post often and well, and experts who answer
 *     questions and host a Q&A evening every third day (attend events,
 *     questions, answers, thanks, reactions);
 *   - ordinary members with a heavy-tailed appetite for talk, greetings
 *     and stickers between the real content, photos, links, articles,
 *     documents and net-disk shares, multi-line texts with tabs and
 *     backslashes (escaped in the trace);
 *   - onlookers who join and never speak (about 40%), members who only
 *     ever claim red envelopes, members who go quiet after a while, a few
 *     leaves, newcomers in the last days with self-introductions;
 *   - one or two spammers: a flood of ads that gets reported, deleted and
 *     kicked, and a repeat offender who is warned.
 * People join in waves along invitation chains (join by=inviter).
 *
 * --truth FILE writes one line per member, "id<TAB>category", decided from
 * what was actually written, the first rule that matches:
 *   owner, admin     holds that role
 *   spammer          posted ads
 *   newcomer         joined within the last 3 days before the end
 *                    (the end is midnight after the last simulated day)
 *   opinion-leader   one of the prolific, well-received posters
 *   expert           answers questions and hosts Q&A (holds role expert)
 *   envelope-only    never sent a message, claimed a red envelope
 *   onlooker         never sent a message nor claimed an envelope
 *   quiet            sent messages, none in the last 10 days
 *   member           sent a message in the last 10 days
 */
#include "gen.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q) {
		fprintf(stderr, "kith-gen: out of memory\n");
		exit(1);
	}
	return q;
}
void *xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);
	if (!p) {
		fprintf(stderr, "kith-gen: out of memory\n");
		exit(1);
	}
	return p;
}

static void usage(FILE *f)
{
	fputs("usage: kith-gen [--seed N] [--members N] [--days N] [--start MS] [--truth FILE] > "
	      "trace\n"
	      "Write a realistic, deterministic kith-trace 1 of an online group community.\n"
	      "  --seed N      random seed (default 1); the same seed gives the same bytes\n"
	      "  --members N   members ever seen, 1 .. 10000000 (default 200)\n"
	      "  --days N      days simulated, 1 .. 3650 (default 30)\n"
	      "  --start MS    start time, ms since the Unix epoch (default 1793462400000,\n"
	      "                2026-11-01 00:00 at UTC+08:00, the community's offset)\n"
	      "  --truth FILE  write \"id<TAB>category\" per member to FILE\n",
	      f);
}

static bool parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
	char *end;
	unsigned long long v;
	if (!s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	/* Decimal, or hexadecimal with 0x; never octal by accident. */
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		if (!isxdigit((unsigned char)s[2]))
			return false;
		v = strtoull(s + 2, &end, 16);
	} else {
		v = strtoull(s, &end, 10);
	}
	if (errno || *end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

int main(int argc, char **argv)
{
	struct gen g;
	uint64_t seed = 1, members = 200, days = 30, start = (uint64_t)DEFAULT_START;
	const char *truth = NULL;
	int64_t last_t = INT64_MIN;
	int status = 0;

	/* Every option takes a value: step over both. */
	for (int i = 1; i < argc; i += 2) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		bool ok;
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(a, "--seed") == 0) {
			ok = parse_u64(v, 0, UINT64_MAX, &seed);
		} else if (strcmp(a, "--members") == 0) {
			ok = parse_u64(v, 1, MEMBERS_MAX, &members);
		} else if (strcmp(a, "--days") == 0) {
			ok = parse_u64(v, 1, DAYS_MAX, &days);
		} else if (strcmp(a, "--start") == 0) {
			/* Up to the year 9999, so every time fits comfortably. */
			ok = parse_u64(v, 0,
			               UINT64_C(253402300799999) - DAYS_MAX * (uint64_t)MS_DAY,
			               &start);
		} else if (strcmp(a, "--truth") == 0) {
			ok = v != NULL;
			truth = v;
		} else {
			fprintf(stderr, "kith-gen: unknown option '%s'\n", a);
			usage(stderr);
			return 2;
		}
		if (!ok) {
			fprintf(stderr, "kith-gen: bad or missing value for %s%s%s\n", a,
			        v ? ": " : "", v ? v : "");
			usage(stderr);
			return 2;
		}
	}

	memset(&g, 0, sizeof g);
	rng_seed(&g.rng, seed);
	g.seed = seed;
	g.n = (uint32_t)members;
	g.days = (int32_t)days;
	g.start = (int64_t)start;
	{
		int64_t local = g.start + UTC_OFFSET_MS;
		int64_t into_day = ((local % MS_DAY) + MS_DAY) % MS_DAY;
		g.mid0 = g.start - into_day;
	}
	g.end = g.mid0 + g.days * MS_DAY;
	g.out = stdout;
	g.obuf = xrealloc(NULL, OBUF_SIZE);
	g.m = xcalloc(g.n, sizeof *g.m);
	g.speakers = xcalloc(g.n, sizeof(uint32_t));
	g.helpers = xcalloc(g.n, sizeof(uint32_t));
	/* A few campaign days bring waves of newcomers. */
	for (int k = 0; k < 1 + g.days / 10; k++)
		g.campaign[rng_below(&g.rng, (uint64_t)g.days)] = true;

	assign_profiles(&g);
	plan_members(&g);
	plan_invites(&g);

	out_str(&g, "kith-trace 1\n# generated by kith-gen --seed ");
	out_u64(&g, seed);
	out_str(&g, " --members ");
	out_u64(&g, members);
	out_str(&g, " --days ");
	out_u64(&g, days);
	out_str(&g, " --start ");
	out_u64(&g, start);
	out_str(&g, "\n# a WeChat-style growth community at UTC+08:00\n");

	for (int32_t d = 0; d < g.days; d++) {
		g.n_ev = 0;
		g.text_len = 0;
		day_cast(&g, d);
		day_joins(&g, d);
		day_spam(&g, d);
		day_qa(&g, d);
		day_envelope(&g, d);
		day_staff(&g, d);
		day_chatter(&g, d);
		day_leaves(&g, d);
		qsort(g.ev, g.n_ev, sizeof *g.ev, cmp_ev);
		for (size_t k = 0; k < g.n_ev; k++) {
			/* Every event of day d lies within it, so sorting the day
			 * keeps the whole trace in order; check it anyway. */
			if (g.ev[k].t < last_t || g.ev[k].t >= day_end(&g, d)) {
				fprintf(stderr,
				        "kith-gen: internal error: event out of order on day %d\n",
				        (int)d);
				return 1;
			}
			last_t = g.ev[k].t;
			out_event(&g, &g.ev[k]);
		}
	}
	out_flush(&g);
	if (fflush(stdout) != 0 || g.write_failed || ferror(stdout)) {
		fprintf(stderr, "kith-gen: writing the trace failed: %s\n", strerror(errno));
		status = 1;
	}
	if (status == 0 && truth)
		status = write_truth(&g, truth);

	free(g.obuf);
	free(g.m);
	free(g.speakers);
	free(g.helpers);
	free(g.admins);
	free(g.leaders);
	free(g.experts);
	free(g.spammers);
	free(g.ev);
	free(g.text);
	free(g.slots);
	free(g.msg_map);
	return status;
}
