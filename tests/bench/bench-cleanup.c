/*
 * Cleanup and health benchmarks over a million members.
 *
 * SPDX-License-Identifier: MIT
 *
 *  cleanup-1m        kith_cleanup_plan_new with a cap of 1000 entries (the
 *                    bounded-heap path), best of several runs
 *  cleanup-1m-share  the same with a target of 60% active members and no
 *                    cap (the quickselect path: about 270 000 entries)
 *  health-1m         kith_health_new
 *
 * The community is built through the public event API: a million members
 * join over 99.5 days, most of them speak (some long ago, some lately),
 * some only claim red envelopes, a few buy, attend or are admins; then a
 * few are put on the allow-list and a few get ultimatums that have
 * lapsed. "Now" is day 100.
 *
 * The peer is SQLite in memory answering the same questions over the same
 * data: one row per member with the figures a bot writer would keep (read
 * out of kith through the API, so both sides see identical data), and the
 * query such a writer would write: the cleanup rules as a WHERE clause
 * with ORDER BY ... LIMIT, the health figures as aggregates. Only the
 * queries are timed, and both answers are checked to agree. Lines are
 * "kith-bench<TAB>name<TAB>metric<TAB>value<TAB>unit"; ratio_vs_sqlite is
 * SQLite's time over kith's.
 *
 * Usage: bench-cleanup [--runs=N]
 */
#include <kith.h>

#include "benchutil.h"

#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef KITH_BENCH_SQLITE
#include <sqlite3.h>
#endif

#define MEMBERS   1000000
#define HOUR      INT64_C(3600000)
#define DAY       (24 * HOUR)
#define T0        INT64_C(1700006400000) /* a UTC midnight */
#define NOW       (T0 + 100 * DAY)
#define JOIN_STEP INT64_C(8597) /* a million joins over 99.5 days */
#define CAP       1000
#define ID_STRIDE 16

/* ---- output and helpers ---------------------------------------------------- */

struct rng {
	uint64_t s;
};

static uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->s += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static uint64_t rng_below(struct rng *r, uint64_t n)
{
	return rng_next(r) % n;
}

/* ---- the community ----------------------------------------------------------- */

static int by_time(const void *pa, const void *pb)
{
	const kith_event *a = pa, *b = pb;
	if (a->time_ms != b->time_ms)
		return a->time_ms < b->time_ms ? -1 : 1;
	/* Joins before anything else at the same time; then a stable order. */
	if (a->type != b->type)
		return a->type == KITH_EVENT_JOIN   ? -1
		       : b->type == KITH_EVENT_JOIN ? 1
		                                    : (int)a->type - (int)b->type;
	return a->actor < b->actor ? -1 : a->actor > b->actor;
}

static kith_community *build(void)
{
	struct rng r = {UINT64_C(0xc1ea)};
	char *ids = xmalloc((size_t)MEMBERS * ID_STRIDE);
	size_t cap = 4 * (size_t)MEMBERS, n = 0;
	kith_event *evs = xmalloc(cap * sizeof *evs);
	for (uint32_t i = 0; i < MEMBERS; i++)
		snprintf(ids + (size_t)i * ID_STRIDE, ID_STRIDE, "u%07u", i);
#define PUSH(type_, t_, i_)                                                                        \
	do {                                                                                       \
		if (n == cap) {                                                                    \
			fprintf(stderr, "bench-cleanup: too many events\n");                       \
			exit(1);                                                                   \
		}                                                                                  \
		evs[n] = (kith_event)KITH_EVENT_INIT;                                              \
		evs[n].type = (type_);                                                             \
		evs[n].time_ms = (t_);                                                             \
		evs[n].actor = ids + (size_t)(i_)*ID_STRIDE;                                       \
		evs[n].actor_len = 8;                                                              \
		n++;                                                                               \
	} while (0)
	for (uint32_t i = 0; i < MEMBERS; i++) {
		int64_t joined = T0 + (int64_t)i * JOIN_STEP;
		int64_t life = NOW - joined;
		PUSH(KITH_EVENT_JOIN, joined, i);
		uint64_t kind = rng_below(&r, 100);
		int messages = 0;
		int64_t from = joined, span = life;
		if (kind < 35) {
			/* onlooker */
		} else if (kind < 65) {
			/* active: 1..5 messages, the last within the last week */
			messages = 1 + (int)rng_below(&r, 5);
			if (life > 7 * DAY) {
				from = NOW - 7 * DAY;
				span = 7 * DAY;
			}
		} else if (kind < 90) {
			/* quiet: 1..3 messages in the first half of their time here */
			messages = 1 + (int)rng_below(&r, 3);
			span = life / 2;
		} else if (kind < 96) {
			/* envelope claimers, one in three with a sticker */
			int claims = 1 + (int)rng_below(&r, 3);
			for (int k = 0; k < claims; k++) {
				PUSH(KITH_EVENT_ENVELOPE,
				     joined + (int64_t)rng_below(&r, (uint64_t)life), i);
				evs[n - 1].op = KITH_OP_CLAIM;
				evs[n - 1].amount = 100;
			}
			if (rng_below(&r, 3) == 0) {
				PUSH(KITH_EVENT_MESSAGE,
				     joined + (int64_t)rng_below(&r, (uint64_t)life), i);
				evs[n - 1].kind = KITH_KIND_STICKER;
			}
		} else {
			/* regulars: messages all along */
			messages = 2 + (int)rng_below(&r, 8);
		}
		for (int k = 0; k < messages; k++) {
			PUSH(KITH_EVENT_MESSAGE, from + (int64_t)rng_below(&r, (uint64_t)span), i);
			evs[n - 1].kind = rng_below(&r, 10) < 8 ? KITH_KIND_TEXT : KITH_KIND_PHOTO;
			evs[n - 1].length = 20 + (uint32_t)rng_below(&r, 60);
		}
		uint64_t extra = rng_below(&r, 1000);
		if (extra < 5) {
			PUSH(KITH_EVENT_PURCHASE, joined + (int64_t)rng_below(&r, (uint64_t)life),
			     i);
			evs[n - 1].amount = 990;
		} else if (extra < 15) {
			PUSH(KITH_EVENT_ATTEND, joined + (int64_t)rng_below(&r, (uint64_t)life), i);
			evs[n - 1].name = "weekly-qa";
			evs[n - 1].name_len = 9;
		} else if (extra < 16) {
			PUSH(KITH_EVENT_ROLE, joined, i);
			evs[n - 1].name = "admin";
			evs[n - 1].name_len = 5;
			evs[n - 1].op = KITH_OP_ADD;
		}
	}
#undef PUSH
	qsort(evs, n, sizeof *evs, by_time);
	kith_community *c = NULL;
	kith_status st = kith_community_new(&c);
	if (st != KITH_OK)
		die("kith_community_new", NULL, st);
	size_t done = 0;
	double t0 = now_s();
	st = kith_community_ingest_array(c, evs, n, &done);
	if (st != KITH_OK)
		die("kith_community_ingest_array", c, st);
	printf("# built %u members from %zu events in %.2f s\n", MEMBERS, n, now_s() - t0);
	/* A bot's own decisions: an allow-list and ultimatums it issued a
	 * day ago (so they have lapsed), for reasons that may still hold. */
	for (uint32_t i = 0; i < MEMBERS; i++) {
		uint64_t x = rng_below(&r, 1000);
		if (x < 1 && (st = kith_member_allow(c, i, 1)) != KITH_OK)
			die("kith_member_allow", c, st);
		if (x >= 1 && x < 3 &&
		    (st = kith_member_issue_ultimatum(c, i, NOW - DAY,
		                                      x == 1 ? KITH_CLEANUP_NEVER_SPOKE
		                                             : KITH_CLEANUP_SILENT)) != KITH_OK)
			die("kith_member_issue_ultimatum", c, st);
	}
	free(evs);
	free(ids);
	return c;
}

/* ---- kith ------------------------------------------------------------------------ */

static void set(kith_community *c, const char *name, const char *value)
{
	kith_status st = kith_setting_set(c, name, KITH_NUL_TERMINATED, value, KITH_NUL_TERMINATED);
	if (st != KITH_OK)
		die(name, c, st);
}

static double time_plan(kith_community *c, int runs, kith_cleanup_plan **keep)
{
	double best = 1e30;
	for (int run = 0; run < runs; run++) {
		kith_cleanup_plan *p = NULL;
		double t0 = now_s();
		kith_status st = kith_cleanup_plan_new(c, NOW, &p);
		double dt = now_s() - t0;
		if (st != KITH_OK)
			die("kith_cleanup_plan_new", c, st);
		if (dt < best)
			best = dt;
		if (run == runs - 1 && keep)
			*keep = p;
		else
			kith_cleanup_plan_free(p);
	}
	return best;
}

static double time_health(kith_community *c, int runs, kith_health **keep)
{
	double best = 1e30;
	for (int run = 0; run < runs; run++) {
		kith_health *hl = NULL;
		double t0 = now_s();
		kith_status st = kith_health_new(c, NOW, &hl);
		double dt = now_s() - t0;
		if (st != KITH_OK)
			die("kith_health_new", c, st);
		if (dt < best)
			best = dt;
		if (run == runs - 1 && keep)
			*keep = hl;
		else
			kith_health_free(hl);
	}
	return best;
}

/* ---- SQLite ----------------------------------------------------------------------- */

#ifdef KITH_BENCH_SQLITE

static double figure(const kith_health *hl, kith_health_code code)
{
	size_t i;
	double f = NAN;
	if (kith_health_find(hl, code, &i) == KITH_OK)
		kith_health_finding(hl, i, NULL, NULL, &f, NULL, NULL);
	return f;
}

static void sql_check(sqlite3 *db, int rc, const char *what)
{
	if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
		fprintf(stderr, "bench-cleanup: sqlite %s: %s\n", what, sqlite3_errmsg(db));
		exit(1);
	}
}

static int64_t member_stat(const kith_community *c, uint32_t h, kith_stat s)
{
	int64_t v = 0;
	kith_status st = kith_member_stat(c, h, s, &v);
	if (st != KITH_OK)
		die("kith_member_stat", NULL, st);
	return v;
}

static void bind_time(sqlite3 *db, sqlite3_stmt *q, int col, int64_t t)
{
	sql_check(db,
	          t == KITH_TIME_NONE ? sqlite3_bind_null(q, col) : sqlite3_bind_int64(q, col, t),
	          "bind");
}

/* The member table a bot writer keeps, filled from kith's model. */
static sqlite3 *sqlite_load(const kith_community *c)
{
	sqlite3 *db = NULL;
	if (sqlite3_open(":memory:", &db) != SQLITE_OK) {
		fprintf(stderr, "bench-cleanup: sqlite3_open failed\n");
		exit(1);
	}
	sql_check(db,
	          sqlite3_exec(
	                  db,
	                  "CREATE TABLE members (h INTEGER PRIMARY KEY, id TEXT NOT NULL,"
	                  " present INTEGER, joined_ms INTEGER, first_msg_ms INTEGER,"
	                  " last_msg_ms INTEGER, messages INTEGER, real_messages INTEGER,"
	                  " envelopes_claimed INTEGER, last_attend_ms INTEGER, last_purchase_ms INTEGER,"
	                  " protected_role INTEGER, staff INTEGER, opinion_leader INTEGER,"
	                  " expert INTEGER, allowed INTEGER, score REAL, ult_issued INTEGER,"
	                  " ult_deadline INTEGER, ult_reason INTEGER)",
	                  NULL, NULL, NULL),
	          "create");
	sql_check(db, sqlite3_exec(db, "BEGIN", NULL, NULL, NULL), "begin");
	sqlite3_stmt *ins = NULL;
	sql_check(
	        db,
	        sqlite3_prepare_v2(db,
	                           "INSERT INTO members VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
	                           " ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
	                           -1, &ins, NULL),
	        "prepare insert");
	size_t n = kith_community_member_count(c);
	uint32_t roles = kith_community_role_count(c);
	for (uint32_t h = 0; h < n; h++) {
		size_t id_len;
		const char *id = kith_member_id(c, h, &id_len);
		int64_t real =
		        member_stat(c, h, KITH_STAT_MESSAGES) -
		        member_stat(c, h, (kith_stat)(KITH_STAT_KIND_BASE + KITH_KIND_STICKER)) -
		        member_stat(c, h, (kith_stat)(KITH_STAT_KIND_BASE + KITH_KIND_ENVELOPE)) -
		        member_stat(c, h, (kith_stat)(KITH_STAT_KIND_BASE + KITH_KIND_SYSTEM));
		int prot = 0;
		for (uint32_t role = 0; role < roles; role++)
			prot |= kith_member_has_role(c, h, role) && kith_role_is_protected(c, role);
		double score = 0;
		kith_member_score(c, h, NOW, &score);
		int64_t issued, deadline;
		kith_cleanup_reason reason;
		kith_member_ultimatum(c, h, &issued, &deadline, &reason);
		sql_check(db, sqlite3_bind_int64(ins, 1, h), "bind");
		sql_check(db, sqlite3_bind_text(ins, 2, id, (int)id_len, SQLITE_STATIC), "bind");
		sql_check(db, sqlite3_bind_int64(ins, 3, member_stat(c, h, KITH_STAT_PRESENT)),
		          "bind");
		bind_time(db, ins, 4, member_stat(c, h, KITH_STAT_JOINED_MS));
		bind_time(db, ins, 5, member_stat(c, h, KITH_STAT_FIRST_MSG_MS));
		bind_time(db, ins, 6, member_stat(c, h, KITH_STAT_LAST_MSG_MS));
		sql_check(db, sqlite3_bind_int64(ins, 7, member_stat(c, h, KITH_STAT_MESSAGES)),
		          "bind");
		sql_check(db, sqlite3_bind_int64(ins, 8, real), "bind");
		sql_check(
		        db,
		        sqlite3_bind_int64(ins, 9, member_stat(c, h, KITH_STAT_ENVELOPES_CLAIMED)),
		        "bind");
		bind_time(db, ins, 10, member_stat(c, h, KITH_STAT_LAST_ATTEND_MS));
		bind_time(db, ins, 11, member_stat(c, h, KITH_STAT_LAST_PURCHASE_MS));
		sql_check(db, sqlite3_bind_int(ins, 12, prot), "bind");
		sql_check(db,
		          sqlite3_bind_int(ins, 13,
		                           kith_member_has_role(c, h, KITH_ROLE_OWNER) ||
		                                   kith_member_has_role(c, h, KITH_ROLE_ADMIN)),
		          "bind");
		sql_check(db,
		          sqlite3_bind_int(ins, 14,
		                           kith_member_has_role(c, h, KITH_ROLE_OPINION_LEADER)),
		          "bind");
		sql_check(db,
		          sqlite3_bind_int(ins, 15, kith_member_has_role(c, h, KITH_ROLE_EXPERT)),
		          "bind");
		sql_check(db, sqlite3_bind_int(ins, 16, kith_member_is_allowed(c, h)), "bind");
		sql_check(db, sqlite3_bind_double(ins, 17, score), "bind");
		bind_time(db, ins, 18, issued);
		bind_time(db, ins, 19, deadline);
		sql_check(db, sqlite3_bind_int(ins, 20, (int)reason), "bind");
		sql_check(db, sqlite3_step(ins), "insert");
		sqlite3_reset(ins);
	}
	sqlite3_finalize(ins);
	sql_check(db, sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), "commit");
	return db;
}

/* The cleanup rules (defaults: never spoke 3 d after joining, silent 30
 * d, envelope-only 14 d; spared: allow-list, protected roles, newcomers
 * of 3 d, a purchase or an attendance in 30 d; a lapsed ultimatum whose
 * reason holds first) as a bot writer would put them in SQL. */
static const char cleanup_sql[] =
        "WITH c AS ("
        " SELECT h,"
        "  (first_msg_ms IS NULL AND ?1 - joined_ms >= 3 * 86400000) AS never,"
        "  (last_msg_ms IS NOT NULL AND ?1 - MAX(last_msg_ms, joined_ms) >= 30 * 86400000) AS "
        "silent,"
        "  (envelopes_claimed > 0 AND (last_msg_ms IS NULL OR real_messages = 0"
        "   OR ?1 - last_msg_ms >= 14 * 86400000)) AS env,"
        "  CASE WHEN last_msg_ms > joined_ms THEN last_msg_ms ELSE joined_ms END AS since,"
        "  score, ult_issued, ult_deadline, ult_reason"
        " FROM members"
        " WHERE present AND NOT allowed AND NOT protected_role AND ?1 - joined_ms >= 3 * 86400000"
        "  AND NOT (last_purchase_ms IS NOT NULL AND ?1 - last_purchase_ms < 30 * 86400000)"
        "  AND NOT (last_attend_ms IS NOT NULL AND ?1 - last_attend_ms < 30 * 86400000)),"
        " r AS ("
        " SELECT h, since, score,"
        "  CASE WHEN ult_issued IS NOT NULL AND ((ult_reason = 1 AND never) OR (ult_reason = 2 AND "
        "silent)"
        "   OR (ult_reason = 5 AND env))"
        "  THEN (CASE WHEN ?1 >= ult_deadline THEN 0 ELSE 2 END) ELSE 1 END AS rank"
        " FROM c WHERE never OR silent OR env)"
        " SELECT h FROM r WHERE rank < 2 ORDER BY rank, since, score, h LIMIT ?2";

static double sqlite_cleanup(sqlite3 *db, int runs, uint32_t *out, size_t *count)
{
	double best = 1e30;
	for (int run = 0; run < runs; run++) {
		sqlite3_stmt *q = NULL;
		size_t n = 0;
		double t0 = now_s();
		sql_check(db, sqlite3_prepare_v2(db, cleanup_sql, -1, &q, NULL), "prepare cleanup");
		sql_check(db, sqlite3_bind_int64(q, 1, NOW), "bind");
		sql_check(db, sqlite3_bind_int(q, 2, CAP), "bind");
		int rc;
		while ((rc = sqlite3_step(q)) == SQLITE_ROW)
			if (n < CAP)
				out[n++] = (uint32_t)sqlite3_column_int64(q, 0);
		sql_check(db, rc, "cleanup query");
		sqlite3_finalize(q);
		double dt = now_s() - t0;
		if (dt < best)
			best = dt;
		*count = n;
	}
	return best;
}

struct sql_health {
	double present, active_short, active_long, lurkers, opinion_leaders, experts, envelope,
	        retention, dead_days;
};

/* The member-table findings of the diagnosis as aggregate queries. */
static double sqlite_health(sqlite3 *db, int runs, int64_t short_start, int64_t long_start,
                            struct sql_health *f)
{
	static const char *const sql[] = {
	        ("SELECT count(*), sum(last_msg_ms >= ?1), sum(last_msg_ms >= ?2),"
	         " sum(joined_ms < ?1), sum(joined_ms < ?1 AND first_msg_ms IS NULL),"
	         " sum(opinion_leader), sum(expert),"
	         " sum(envelopes_claimed > 0 OR last_msg_ms IS NOT NULL),"
	         " sum(envelopes_claimed > 0 AND real_messages = 0)"
	         " FROM members WHERE present"),
	        ("SELECT count(*), sum(present AND last_msg_ms >= ?1) FROM members"
	         " WHERE joined_ms >= ?2 AND joined_ms <= ?3"),
	        "SELECT max(last_msg_ms) FROM members WHERE NOT staff",
	};
	double best = 1e30;
	for (int run = 0; run < runs; run++) {
		double t0 = now_s();
		double v[3][9] = {{0}};
		for (int k = 0; k < 3; k++) {
			sqlite3_stmt *q = NULL;
			sql_check(db, sqlite3_prepare_v2(db, sql[k], -1, &q, NULL),
			          "prepare health");
			if (k < 2) {
				sql_check(db, sqlite3_bind_int64(q, 1, short_start), "bind");
				sql_check(db, sqlite3_bind_int64(q, 2, long_start), "bind");
			}
			if (k == 1)
				sql_check(db, sqlite3_bind_int64(q, 3, NOW), "bind");
			int rc = sqlite3_step(q);
			if (rc != SQLITE_ROW)
				sql_check(db, rc == SQLITE_DONE ? SQLITE_ERROR : rc,
				          "health query");
			for (int col = 0; col < sqlite3_column_count(q) && col < 9; col++)
				v[k][col] = sqlite3_column_double(q, col);
			sqlite3_finalize(q);
		}
		double dt = now_s() - t0;
		if (dt < best)
			best = dt;
		f->present = v[0][0];
		f->active_short = v[0][1] / v[0][0];
		f->active_long = v[0][2] / v[0][0];
		f->lurkers = v[0][4] / v[0][3];
		f->opinion_leaders = v[0][5] / v[0][0];
		f->experts = v[0][6] / v[0][0];
		f->envelope = v[0][8] / v[0][7];
		f->retention = v[1][1] / v[1][0];
		f->dead_days = ((double)NOW - v[2][0]) / (double)DAY;
	}
	return best;
}

static bool close_to(double a, double b)
{
	return fabs(a - b) <= 1e-9 * (fabs(a) + fabs(b) + 1);
}

#endif /* KITH_BENCH_SQLITE */

int main(int argc, char **argv)
{
	bench_program = "bench-cleanup";
	int runs = 7;
	for (int i = 1; i < argc; i++) {
		if (strncmp(argv[i], "--runs=", 7) == 0 && atoi(argv[i] + 7) > 0) {
			runs = atoi(argv[i] + 7);
		} else {
			fprintf(stderr, "usage: bench-cleanup [--runs=N]\n");
			return 2;
		}
	}
	printf("# kith %s cleanup and health benchmarks, best of %d runs\n", kith_version(), runs);
	kith_community *c = build();
	bool disagreed = false;

	char cap[16];
	snprintf(cap, sizeof cap, "%d", CAP);
	set(c, "cleanup.max_per_run", cap);
	kith_cleanup_plan *plan = NULL;
	double cleanup_s = time_plan(c, runs, &plan);
	int64_t candidates = 0, waiting = 0, protected_ = 0;
	kith_cleanup_plan_summary(plan, KITH_CLEANUP_SUMMARY_CANDIDATES, &candidates);
	kith_cleanup_plan_summary(plan, KITH_CLEANUP_SUMMARY_WAITING, &waiting);
	kith_cleanup_plan_summary(plan, KITH_CLEANUP_SUMMARY_PROTECTED, &protected_);
	printf("# cleanup-1m: %" PRId64 " candidates, %" PRId64 " waiting, %" PRId64
	       " protected; %zu listed (cap %d)\n",
	       candidates, waiting, protected_, kith_cleanup_plan_count(plan), CAP);
	report("cleanup-1m", "members", MEMBERS, "1");
	report("cleanup-1m", "ms", cleanup_s * 1e3, "ms");

	set(c, "cleanup.max_per_run", "0");
	set(c, "cleanup.keep_active_share", "0.6");
	kith_cleanup_plan *share_plan = NULL;
	double share_s = time_plan(c, runs, &share_plan);
	printf("# cleanup-1m-share: %zu entries to reach 60%% active\n",
	       kith_cleanup_plan_count(share_plan));
	report("cleanup-1m-share", "ms", share_s * 1e3, "ms");
	kith_cleanup_plan_free(share_plan);
	set(c, "cleanup.keep_active_share", "0");

	kith_health *hl = NULL;
	double health_s = time_health(c, runs, &hl);
	report("health-1m", "ms", health_s * 1e3, "ms");

#ifdef KITH_BENCH_SQLITE
	double t0 = now_s();
	sqlite3 *db = sqlite_load(c);
	printf("# sqlite: loaded %u member rows in %.2f s (not timed); in memory, no index\n",
	       MEMBERS, now_s() - t0);
	int sql_runs = runs < 3 ? runs : 3;
	uint32_t *rows = xmalloc(CAP * sizeof *rows);
	size_t row_count = 0;
	double sql_cleanup_s = sqlite_cleanup(db, sql_runs, rows, &row_count);
	bool agree = row_count == kith_cleanup_plan_count(plan);
	if (!agree)
		printf("# disagreement: kith lists %zu, SQLite %zu\n", kith_cleanup_plan_count(plan),
		       row_count);
	for (size_t i = 0; agree && i < row_count; i++) {
		uint32_t m;
		kith_cleanup_plan_entry(plan, i, &m, NULL, NULL);
		agree = m == rows[i];
		if (!agree)
			printf("# disagreement at entry %zu: kith lists member %" PRIu32 ", SQLite %" PRIu32
			       "\n",
			       i, m, rows[i]);
	}
	report("cleanup-1m", "agree_with_sqlite", agree, "1");
	disagreed |= !agree;
	report("cleanup-1m", "sqlite_ms", sql_cleanup_s * 1e3, "ms");
	report("cleanup-1m", "ratio_vs_sqlite", sql_cleanup_s / cleanup_s, "x");

	/* The windows of the diagnosis: 7 and 30 local days ending today
	 * (UTC+00:00 here), as kith counts them. */
	int64_t today = NOW / DAY;
	struct sql_health f = {0};
	double sql_health_s =
	        sqlite_health(db, sql_runs, (today - 6) * DAY, (today - 29) * DAY, &f);
	bool hagree = close_to(f.present, figure(hl, KITH_HEALTH_SIZE)) &&
	              close_to(f.active_short, figure(hl, KITH_HEALTH_ACTIVE_SHORT)) &&
	              close_to(f.active_long, figure(hl, KITH_HEALTH_ACTIVE_LONG)) &&
	              close_to(f.lurkers, figure(hl, KITH_HEALTH_LURKERS)) &&
	              close_to(f.opinion_leaders, figure(hl, KITH_HEALTH_OPINION_LEADERS)) &&
	              close_to(f.experts, figure(hl, KITH_HEALTH_EXPERTS)) &&
	              close_to(f.envelope, figure(hl, KITH_HEALTH_ENVELOPE_DEPENDENCE)) &&
	              close_to(f.retention, figure(hl, KITH_HEALTH_RETENTION)) &&
	              close_to(f.dead_days, figure(hl, KITH_HEALTH_DEAD));
	report("health-1m", "agree_with_sqlite", hagree, "1");
	disagreed |= !hagree;
	report("health-1m", "sqlite_ms", sql_health_s * 1e3, "ms");
	report("health-1m", "ratio_vs_sqlite", sql_health_s / health_s, "x");
	free(rows);
	sqlite3_close(db);
#else
	printf("# built without SQLite (dependency sqlite3 not found)\n");
	report("cleanup-1m", "skipped_sqlite", 0, "-");
#endif
	kith_cleanup_plan_free(plan);
	kith_health_free(hl);
	kith_community_free(c);
	/* Different answers from the peer are a bug (in kith or in the peer's
	 * model of it), never noise: the benchmark fails. */
	return disagreed ? 1 : 0;
}
