/*
 * bench-communities: many communities in one process (issue 18), as a bot
 * that hosts every group it was added to holds them.
 *
 *  communities-100k  N communities (100,000 with --full; 10,000 by
 *                 default, so that `meson test --benchmark` stays short),
 *                 most of 30 members and 300 messages, one in 300 of 600
 *                 members and 3,000 messages, each ingested as one batch
 *                 and kept; then every member's last message time,
 *                 message count and active days read back. Reports bytes
 *                 a community (counted through the allocator, and resident),
 *                 events per second, the same events held by SQLite (one
 *                 in-memory database, one events table with a community
 *                 column, the per-member aggregate query of ingest-sqlite
 *                 grouped by community and actor) as memory_ratio_vs_sqlite
 *                 and ratio_vs_sqlite, the seconds to create and free N
 *                 empty communities (create_free_s), and the bytes of a
 *                 small community's snapshot (snapshot_bytes_small).
 *
 * Usage: bench-communities [--full | --communities=N]
 *
 * Lines are "kith-bench<TAB>name<TAB>metric<TAB>value<TAB>unit"; ratios
 * above 1 are better for kith. It fails only when kith returns an error
 * or its figures differ from SQLite's.
 *
 * SPDX-License-Identifier: MIT
 */
#include <kith.h>

#include "benchutil.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef KITH_BENCH_SQLITE
#include <sqlite3.h>
#endif

#define NAME "communities-100k"
#define T0_MS INT64_C(1700000000000)
#define MS_PER_DAY INT64_C(86400000)
#define ACTIVE_WINDOW_DAYS 128
#define SMALL_MEMBERS 30
#define SMALL_MESSAGES 300
#define LARGE_MEMBERS 600
#define LARGE_MESSAGES 3000
#define LARGE_EVERY 300
#define ID_STRIDE 24

/* ---- the workload ------------------------------------------------------ */

/* One community's events, made again from its number whenever needed (the
 * same every time), with their strings in one buffer. */
struct community_events {
	kith_event *events;
	char *strings;
	size_t count;
	int64_t now_ms;
};

static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15u;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9u;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebu;
	return x ^ (x >> 31);
}

static bool is_large(size_t k)
{
	return k % LARGE_EVERY == LARGE_EVERY / 2;
}

/* Community k: its members join over a day, then write messages over the
 * next 30 days, some replying to an earlier message and some addressed to
 * a member. Ids look like a chat service's: numeric, 9 to 10 digits. */
static void make_events(size_t k, struct community_events *ce)
{
	uint32_t members = is_large(k) ? LARGE_MEMBERS : SMALL_MEMBERS;
	uint32_t messages = is_large(k) ? LARGE_MESSAGES : SMALL_MESSAGES;
	size_t n = (size_t)members + messages;
	uint64_t seed = mix(k + 1);
	int64_t start = T0_MS + (int64_t)(seed % 86400) * 1000;
	char *s = ce->strings;
	for (uint32_t i = 0; i < members; i++) {
		kith_event ev = KITH_EVENT_INIT;
		ev.type = KITH_EVENT_JOIN;
		ev.time_ms = start + (int64_t)i * 2000;
		ev.actor = s;
		ev.actor_len = (size_t)snprintf(s, ID_STRIDE, "%" PRIu64, 100000000 + mix(seed + i) % 900000000);
		s += ID_STRIDE;
		ce->events[i] = ev;
	}
	int64_t span = 30 * MS_PER_DAY;
	for (uint32_t j = 0; j < messages; j++) {
		uint64_t r = mix(seed ^ (0x51ed27u + j));
		const kith_event *author = &ce->events[r % members];
		kith_event ev = KITH_EVENT_INIT;
		ev.type = KITH_EVENT_MESSAGE;
		ev.time_ms = start + MS_PER_DAY + (int64_t)((uint64_t)span / messages * j);
		ev.actor = author->actor;
		ev.actor_len = author->actor_len;
		ev.kind = (uint32_t)(r >> 20) % 4 == 0 ? KITH_KIND_PHOTO : KITH_KIND_TEXT;
		ev.msg_id = s;
		ev.msg_id_len = (size_t)snprintf(s, ID_STRIDE, "%u", 1000 + j);
		s += ID_STRIDE;
		if (j > 0 && (r >> 8) % 3 == 0) {
			ev.reply_to = s;
			ev.reply_to_len = (size_t)snprintf(s, ID_STRIDE, "%u", 1000 + (uint32_t)((r >> 32) % j));
			s += ID_STRIDE;
		}
		if ((r >> 12) % 10 == 0) {
			const kith_event *to = &ce->events[(r >> 40) % members];
			ev.to = to->actor;
			ev.to_len = to->actor_len;
		}
		ce->events[members + j] = ev;
	}
	ce->count = n;
	ce->now_ms = ce->events[n - 1].time_ms;
}

static void events_init(struct community_events *ce)
{
	size_t n = LARGE_MEMBERS + LARGE_MESSAGES;
	ce->events = xmalloc(n * sizeof *ce->events);
	ce->strings = xmalloc(n * 2 * ID_STRIDE);
	ce->count = 0;
}

/* ---- memory ------------------------------------------------------------- */

static int64_t counted_bytes;

static void *counting_alloc(void *ptr, size_t old_size, size_t new_size, void *payload)
{
	(void)payload;
	if (new_size == 0) {
		if (ptr)
			counted_bytes -= (int64_t)old_size;
		free(ptr);
		return NULL;
	}
	void *p = realloc(ptr, new_size);
	if (p)
		counted_bytes += (int64_t)new_size - (int64_t)(ptr ? old_size : 0);
	return p;
}

/* Resident bytes of the process (Linux), or -1. */
static double resident_bytes(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	if (!f)
		return -1;
	unsigned long size = 0, resident = 0;
	int got = fscanf(f, "%lu %lu", &size, &resident);
	fclose(f);
	return got == 2 ? (double)resident * 4096.0 : -1;
}

/* ---- the figures both sides must agree on ------------------------------- */

struct figures {
	uint64_t members, messages, active_days, last_msg_sum;
};

static void kith_add_figures(const kith_community *c, int64_t now_ms, struct figures *f)
{
	size_t n = kith_community_member_count(c);
	for (uint32_t h = 0; h < n; h++) {
		int64_t last = 0, msgs = 0;
		uint32_t days = 0;
		kith_status st;
		if ((st = kith_member_stat(c, h, KITH_STAT_LAST_MSG_MS, &last)) != KITH_OK ||
		    (st = kith_member_stat(c, h, KITH_STAT_MESSAGES, &msgs)) != KITH_OK ||
		    (st = kith_member_active_days(c, h, now_ms, ACTIVE_WINDOW_DAYS, &days)) != KITH_OK)
			die("kith_member_stat", NULL, st);
		f->members++;
		f->messages += (uint64_t)msgs;
		f->active_days += days;
		if (last != KITH_TIME_NONE)
			f->last_msg_sum += (uint64_t)last;
	}
}

/* ---- kith --------------------------------------------------------------- */

struct kith_run {
	double ingest_s, query_s;
	uint64_t events;
	double bytes, resident;
	struct figures figures;
};

static void kith_run(size_t n, struct kith_run *out)
{
	struct community_events ce;
	events_init(&ce);
	kith_community **cs = xmalloc(n * sizeof *cs);
	int64_t *now = xmalloc(n * sizeof *now);
	double rss0 = resident_bytes();
	counted_bytes = 0;
	out->ingest_s = 0;
	out->events = 0;
	for (size_t k = 0; k < n; k++) {
		make_events(k, &ce);
		now[k] = ce.now_ms;
		double t0 = now_s();
		kith_status st = kith_community_new_with_allocator(&cs[k], counting_alloc, NULL);
		if (st != KITH_OK)
			die("kith_community_new_with_allocator", NULL, st);
		if ((st = kith_community_ingest_array(cs[k], ce.events, ce.count, NULL)) != KITH_OK)
			die("kith_community_ingest_array", cs[k], st);
		out->ingest_s += now_s() - t0;
		out->events += ce.count;
	}
	out->bytes = (double)counted_bytes;
	out->resident = resident_bytes() - rss0;
	double t0 = now_s();
	memset(&out->figures, 0, sizeof out->figures);
	for (size_t k = 0; k < n; k++)
		kith_add_figures(cs[k], now[k], &out->figures);
	out->query_s = now_s() - t0;
	for (size_t k = 0; k < n; k++)
		kith_community_free(cs[k]);
	free(now);
	free(cs);
	free(ce.events);
	free(ce.strings);
}

static double create_free_s(size_t n)
{
	kith_community **cs = xmalloc(n * sizeof *cs);
	double t0 = now_s();
	for (size_t k = 0; k < n; k++) {
		kith_status st = kith_community_new(&cs[k]);
		if (st != KITH_OK)
			die("kith_community_new", NULL, st);
	}
	for (size_t k = 0; k < n; k++)
		kith_community_free(cs[k]);
	double s = now_s() - t0;
	free(cs);
	return s;
}

/* The snapshot of community 0 (30 members, 300 messages), which must load
 * back into an equal community. */
static size_t snapshot_bytes_small(void)
{
	struct community_events ce;
	events_init(&ce);
	make_events(0, &ce);
	kith_community *c = NULL, *back = NULL;
	kith_status st = kith_community_new(&c);
	if (st != KITH_OK || (st = kith_community_ingest_array(c, ce.events, ce.count, NULL)) != KITH_OK)
		die("a small community", c, st);
	struct membuf b = {NULL, 0, 0, 0};
	if ((st = kith_community_save(c, membuf_write, &b)) != KITH_OK)
		die("kith_community_save", c, st);
	if ((st = kith_community_new(&back)) != KITH_OK ||
	    (st = kith_community_load(back, membuf_read, &b)) != KITH_OK)
		die("kith_community_load", back, st);
	if (kith_community_member_count(back) != kith_community_member_count(c) ||
	    kith_community_message_count(back) != kith_community_message_count(c))
		die("the loaded small community", back, KITH_ECORRUPT);
	size_t len = b.len;
	kith_community_free(back);
	kith_community_free(c);
	free(b.data);
	free(ce.events);
	free(ce.strings);
	return len;
}

/* ---- SQLite ------------------------------------------------------------- */

#ifdef KITH_BENCH_SQLITE

static void sql_check(sqlite3 *db, int rc, const char *what)
{
	if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
		fprintf(stderr, "bench-communities: sqlite %s: %s\n", what, sqlite3_errmsg(db));
		exit(1);
	}
}

static void bind_text(sqlite3 *db, sqlite3_stmt *st, int col, const char *s, size_t n)
{
	int rc = s ? sqlite3_bind_text(st, col, s, (int)n, SQLITE_STATIC) : sqlite3_bind_null(st, col);
	sql_check(db, rc, "bind");
}

struct sqlite_run {
	double insert_s, query_s, bytes;
	struct figures figures;
};

/* A bot writer's way without kith: every event a row tagged with its
 * community, then one aggregate query per member of every community. The
 * active-day window ends at each community's own last event, as kith's. */
static void sqlite_run(size_t n, struct sqlite_run *out)
{
	struct community_events ce;
	events_init(&ce);
	sqlite3 *db = NULL;
	sqlite3_stmt *ins = NULL, *q = NULL;
	if (sqlite3_open(":memory:", &db) != SQLITE_OK) {
		fprintf(stderr, "bench-communities: sqlite3_open failed\n");
		exit(1);
	}
	int64_t base = sqlite3_memory_used();
	sql_check(db,
	          sqlite3_exec(db,
	                       "CREATE TABLE events (community INTEGER NOT NULL, time INTEGER NOT NULL,"
	                       " type INTEGER NOT NULL, actor TEXT NOT NULL, msg_id TEXT, kind INTEGER,"
	                       " reply_to TEXT, \"to\" TEXT);"
	                       "CREATE TABLE last (community INTEGER PRIMARY KEY, now INTEGER NOT NULL)",
	                       NULL, NULL, NULL),
	          "create");
	sql_check(db, sqlite3_exec(db, "BEGIN", NULL, NULL, NULL), "begin");
	sql_check(db,
	          sqlite3_prepare_v2(db,
	                             "INSERT INTO events VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", -1,
	                             &ins, NULL),
	          "prepare insert");
	sqlite3_stmt *last = NULL;
	sql_check(db, sqlite3_prepare_v2(db, "INSERT INTO last VALUES (?1, ?2)", -1, &last, NULL),
	          "prepare last");
	out->insert_s = 0;
	for (size_t k = 0; k < n; k++) {
		make_events(k, &ce);
		double t0 = now_s();
		for (size_t i = 0; i < ce.count; i++) {
			const kith_event *e = &ce.events[i];
			sql_check(db, sqlite3_bind_int64(ins, 1, (sqlite3_int64)k), "bind");
			sql_check(db, sqlite3_bind_int64(ins, 2, e->time_ms), "bind");
			sql_check(db, sqlite3_bind_int(ins, 3, (int)e->type), "bind");
			bind_text(db, ins, 4, e->actor, e->actor_len);
			bind_text(db, ins, 5, e->msg_id, e->msg_id_len);
			if (e->type == KITH_EVENT_MESSAGE)
				sql_check(db, sqlite3_bind_int(ins, 6, (int)e->kind), "bind");
			else
				sql_check(db, sqlite3_bind_null(ins, 6), "bind");
			bind_text(db, ins, 7, e->reply_to, e->reply_to_len);
			bind_text(db, ins, 8, e->to, e->to_len);
			sql_check(db, sqlite3_step(ins), "insert");
			sqlite3_reset(ins);
		}
		sql_check(db, sqlite3_bind_int64(last, 1, (sqlite3_int64)k), "bind");
		sql_check(db, sqlite3_bind_int64(last, 2, ce.now_ms), "bind");
		sql_check(db, sqlite3_step(last), "insert");
		sqlite3_reset(last);
		out->insert_s += now_s() - t0;
	}
	sqlite3_finalize(ins);
	sqlite3_finalize(last);
	sql_check(db, sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), "commit");
	out->bytes = (double)(sqlite3_memory_used() - base);
	double t0 = now_s();
	sql_check(db,
	          sqlite3_prepare_v2(db,
	                             "SELECT e.actor,"
	                             " MAX(CASE WHEN e.type = 5 THEN e.time END),"
	                             " SUM(e.type = 5),"
	                             " COUNT(DISTINCT CASE WHEN e.type = 5 AND e.time >="
	                             " (l.now / 86400000 - ?1) * 86400000 THEN e.time / 86400000 END)"
	                             " FROM events e JOIN last l USING (community)"
	                             " GROUP BY e.community, e.actor",
	                             -1, &q, NULL),
	          "prepare query");
	sql_check(db, sqlite3_bind_int64(q, 1, ACTIVE_WINDOW_DAYS - 1), "bind");
	struct figures f = {0, 0, 0, 0};
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (!sqlite3_column_text(q, 0))
			sql_check(db, SQLITE_NOMEM, "column");
		f.members++;
		if (sqlite3_column_type(q, 1) != SQLITE_NULL)
			f.last_msg_sum += (uint64_t)sqlite3_column_int64(q, 1);
		f.messages += (uint64_t)sqlite3_column_int64(q, 2);
		f.active_days += (uint64_t)sqlite3_column_int64(q, 3);
	}
	sql_check(db, rc, "query");
	sqlite3_finalize(q);
	out->query_s = now_s() - t0;
	out->figures = f;
	sqlite3_close(db);
	free(ce.events);
	free(ce.strings);
}

#endif

/* ---- main --------------------------------------------------------------- */

int main(int argc, char **argv)
{
	bench_program = "bench-communities";
	size_t n = 10000;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--full") == 0) {
			n = 100000;
		} else if (strncmp(argv[i], "--communities=", 14) == 0) {
			char *end;
			unsigned long long v = strtoull(argv[i] + 14, &end, 10);
			if (*end || v == 0 || v > 10000000) {
				fprintf(stderr, "bench-communities: bad count '%s'\n", argv[i] + 14);
				return 2;
			}
			n = (size_t)v;
		} else {
			fprintf(stderr, "usage: bench-communities [--full | --communities=N]\n");
			return 2;
		}
	}
	printf("# %s: %zu communities (--full for 100,000), one in %d of %d members and %d"
	       " messages, the others of %d and %d; each ingested as one batch and kept, then every"
	       " member's last message time, message count and active days read back\n",
	       NAME, n, LARGE_EVERY, LARGE_MEMBERS, LARGE_MESSAGES, SMALL_MEMBERS, SMALL_MESSAGES);
	struct kith_run kr;
	kith_run(n, &kr);
	report(NAME, "communities", (double)n, "1");
	report(NAME, "events", (double)kr.events, "1");
	report(NAME, "events_per_s", (double)kr.events / kr.ingest_s, "1/s");
	report(NAME, "kith_ingest_s", kr.ingest_s, "s");
	report(NAME, "kith_query_s", kr.query_s, "s");
	report(NAME, "bytes_per_community", kr.bytes / (double)n, "B");
	if (kr.resident >= 0)
		report(NAME, "resident_bytes_per_community", kr.resident / (double)n, "B");
	report(NAME, "create_free_s", create_free_s(n), "s");
	report(NAME, "snapshot_bytes_small", (double)snapshot_bytes_small(), "B");
#ifdef KITH_BENCH_SQLITE
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 1);
	struct sqlite_run sr;
	sqlite_run(n, &sr);
	bool agree = sr.figures.members == kr.figures.members &&
	             sr.figures.messages == kr.figures.messages &&
	             sr.figures.active_days == kr.figures.active_days &&
	             sr.figures.last_msg_sum == kr.figures.last_msg_sum;
	if (!agree)
		printf("# %s: MISMATCH kith: members %" PRIu64 " messages %" PRIu64 " active_days %" PRIu64
		       "; sqlite: %" PRIu64 " %" PRIu64 " %" PRIu64 "\n",
		       NAME, kr.figures.members, kr.figures.messages, kr.figures.active_days,
		       sr.figures.members, sr.figures.messages, sr.figures.active_days);
	report(NAME, "figures_agree", agree ? 1 : 0, "1");
	double kith_s = kr.ingest_s + kr.query_s, sqlite_s = sr.insert_s + sr.query_s;
	report(NAME, "sqlite_s", sqlite_s, "s");
	report(NAME, "sqlite_bytes_per_community", sr.bytes / (double)n, "B");
	report(NAME, "ratio_vs_sqlite", sqlite_s / kith_s, "x");
	report(NAME, "memory_ratio_vs_sqlite", sr.bytes / kr.bytes, "x");
	return agree ? 0 : 1;
#else
	report(NAME, "sqlite", 0, "skipped");
	return 0;
#endif
}
