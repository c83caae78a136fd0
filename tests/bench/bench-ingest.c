/*
 * Ingest benchmarks.
 *
 * SPDX-License-Identifier: MIT
 *
 *  ingest-500     the struct API (kith_community_ingest_array) on a
 *                 500-member community with a realistic mix of events
 *  ingest-1m      a million members who join and speak: speed, and the
 *                 exact bytes per member through a counting allocator
 *  trace-ubuntu   the Ubuntu IRC trace through kith_community_ingest_trace
 *  ingest-sqlite  the ingest-1m events kept the way a bot writer would
 *                 without kith (SQLite in memory, one events table, one
 *                 aggregate query) against kith ingest plus the same
 *                 per-member figures read through the API
 *  ingest-sqlite-500  the same comparison on the ingest-500 events: kith
 *                 keeps O(1) per member, SQLite O(1) per event, so the two
 *                 workloads bracket the memory ratio
 *  ingest-500-levels  ingest-500 with the Discourse and MEE6 presets
 *                 loaded against none (ratio_vs_no_levels, a cost)
 *  levels-review-1m   a levels review over the ingest-1m members
 *  snapshot-1m    saving the ingest-1m community to memory and loading it
 *                 into a fresh one: seconds each (best of three) and bytes
 *
 * Every figure is printed on its own line as
 * "kith-bench<TAB>name<TAB>metric<TAB>value<TAB>unit"; a comparison with a
 * peer also prints "ratio_vs_<peer>" (kith's speed over the peer's: the
 * peer's time over kith's) and "memory_ratio_vs_<peer>" (the peer's peak
 * bytes over kith's); above 1 is better for kith. Lines starting with '#'
 * are notes for people.
 *
 * Usage: bench-ingest [--only=NAME] [TRACE]
 *   TRACE defaults to $KITH_SHARED_DATA/ubuntu-irc/ubuntu.trace.
 *
 * Events are generated beforehand from a fixed seed, so every run measures
 * the same work; timing covers only the calls into kith (or SQLite).
 */
#include <kith.h>

#include "benchutil.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef KITH_BENCH_SQLITE
#include <sqlite3.h>
#endif

#define T0_MS INT64_C(1700000000000)
#define MS_PER_DAY INT64_C(86400000)
/* Fixed string slots, so the id of member i is found without a lookup. */
#define ID_STRIDE 16

#define INGEST_500_MEMBERS 500
#define INGEST_500_EVENTS 3000000
#define INGEST_500_RUNS 5
#define INGEST_1M_MEMBERS 1000000
#define INGEST_1M_MESSAGES 3000000
#define INGEST_1M_RUNS 3
#define TRACE_RUNS 10
/* SQLite takes seconds a run; two runs keep a busy machine from deciding
 * the ratio while the whole benchmark stays well under two minutes. */
#define SQLITE_RUNS 2
/* The SQLite query counts active days over this window, as kith does. */
#define ACTIVE_WINDOW_DAYS 128

/* ---- output ------------------------------------------------------------ */

/* ---- a counting allocator ---------------------------------------------- */

/* Counts the bytes kith asks for (not malloc's own overhead), so the
 * figure is the model's size on any libc. */
struct counter {
	int64_t live;
	int64_t peak;
	uint64_t calls;
};

static void *counting_alloc(void *ptr, size_t old_size, size_t new_size, void *payload)
{
	struct counter *k = payload;
	if (new_size == 0) {
		if (ptr)
			k->live -= (int64_t)old_size;
		free(ptr);
		return NULL;
	}
	void *p = realloc(ptr, new_size);
	if (!p)
		return NULL;
	k->calls++;
	k->live += (int64_t)new_size - (int64_t)(ptr ? old_size : 0);
	if (k->live > k->peak)
		k->peak = k->live;
	return p;
}

static kith_community *community_new(struct counter *k)
{
	kith_community *c = NULL;
	kith_status st = k ? kith_community_new_with_allocator(&c, counting_alloc, k)
	                   : kith_community_new(&c);
	if (st != KITH_OK)
		die("kith_community_new", NULL, st);
	return c;
}

/* ---- a deterministic generator ----------------------------------------- */

struct rng {
	uint64_t s;
};

/* splitmix64: fast, and good enough to shape a workload. */
static uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->s += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* Uniform in [0, n). */
static uint32_t rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rng_next(r) >> 32) * n) >> 32);
}

/* Content kinds in rough proportion to what chat groups carry: mostly text,
 * then photos and stickers, a tail of links, media and files. */
static uint32_t random_kind(struct rng *r)
{
	static const struct {
		uint8_t kind;
		uint8_t percent;
	} mix[] = {
	    {KITH_KIND_TEXT, 62},   {KITH_KIND_PHOTO, 10},   {KITH_KIND_STICKER, 8},
	    {KITH_KIND_LINK, 5},    {KITH_KIND_VOICE, 4},    {KITH_KIND_VIDEO, 3},
	    {KITH_KIND_ARTICLE, 3}, {KITH_KIND_DOCUMENT, 2}, {KITH_KIND_SHARE, 1},
	    {KITH_KIND_ENVELOPE, 1}, {KITH_KIND_OTHER, 1},
	};
	uint32_t x = rng_below(r, 100);
	for (size_t i = 0; i < sizeof mix / sizeof mix[0]; i++) {
		if (x < mix[i].percent)
			return mix[i].kind;
		x -= mix[i].percent;
	}
	return KITH_KIND_TEXT;
}

/* ---- workloads --------------------------------------------------------- */

struct workload {
	kith_event *events;
	size_t count;
	size_t cap;
	uint32_t members;
	char *member_ids; /* member i's id at i * ID_STRIDE */
	uint8_t *member_id_len;
	char *msg_ids;    /* message m's id at m * ID_STRIDE */
	size_t msg_count;
	size_t msg_cap;
	/* The member ids each event names, copied in event order, the way a
	 * bot holds them in the update it just received: reading an event's
	 * ids streams through memory instead of jumping around a table of a
	 * million ids (which would charge the benchmark's own cache misses to
	 * kith). */
	char *stream;
	size_t stream_len;
	size_t stream_cap;
	size_t messages;  /* message events */
	uint64_t id_bytes; /* bytes of all member ids */
};

static void workload_init(struct workload *w, uint32_t members, size_t events, size_t messages)
{
	memset(w, 0, sizeof *w);
	w->cap = events;
	w->events = xmalloc(events * sizeof *w->events);
	w->members = members;
	w->member_ids = xmalloc((size_t)members * ID_STRIDE);
	w->member_id_len = xmalloc(members);
	/* Telegram-style numeric user ids: ten digits, spread out. */
	for (uint32_t i = 0; i < members; i++) {
		int n = snprintf(w->member_ids + (size_t)i * ID_STRIDE, ID_STRIDE, "%" PRIu64,
		                 UINT64_C(5000000000) + (uint64_t)i * 7919);
		w->member_id_len[i] = (uint8_t)n;
		w->id_bytes += (uint64_t)n;
	}
	w->msg_cap = messages;
	w->msg_ids = xmalloc(messages * ID_STRIDE);
	/* At most two member ids an event (actor, and by or to); the part
	 * never written is never touched, so it costs no memory. */
	w->stream_cap = events * 2 * ID_STRIDE;
	w->stream = xmalloc(w->stream_cap);
}

static void workload_fini(struct workload *w)
{
	free(w->events);
	free(w->member_ids);
	free(w->member_id_len);
	free(w->msg_ids);
	free(w->stream);
	memset(w, 0, sizeof *w);
}

/* A fresh copy of member m's id in the event stream (NUL-terminated). */
static const char *stream_member_id(struct workload *w, uint32_t m, size_t *len)
{
	size_t n = w->member_id_len[m];
	char *s = w->stream + w->stream_len;
	if (w->stream_len + n + 1 > w->stream_cap) {
		fprintf(stderr, "bench-ingest: id stream overflow\n");
		exit(1);
	}
	memcpy(s, w->member_ids + (size_t)m * ID_STRIDE, n + 1);
	w->stream_len += n + 1;
	*len = n;
	return s;
}

static const char *msg_id(const struct workload *w, size_t m)
{
	return w->msg_ids + m * ID_STRIDE;
}

static kith_event *push_event(struct workload *w, uint32_t type, int64_t t, uint32_t actor)
{
	if (w->count == w->cap) {
		fprintf(stderr, "bench-ingest: workload overflow\n");
		exit(1);
	}
	kith_event *e = &w->events[w->count++];
	*e = (kith_event)KITH_EVENT_INIT;
	e->type = type;
	e->time_ms = t;
	e->actor = stream_member_id(w, actor, &e->actor_len);
	return e;
}

static void set_to(struct workload *w, kith_event *e, uint32_t m)
{
	e->to = stream_member_id(w, m, &e->to_len);
}

/* A message with a fresh id, a kind and a length; returns its number. */
static size_t push_message(struct workload *w, struct rng *r, int64_t t, uint32_t actor)
{
	if (w->msg_count == w->msg_cap) {
		fprintf(stderr, "bench-ingest: message id overflow\n");
		exit(1);
	}
	size_t m = w->msg_count++;
	char *id = w->msg_ids + m * ID_STRIDE;
	int n = snprintf(id, ID_STRIDE, "m%zu", m);
	kith_event *e = push_event(w, KITH_EVENT_MESSAGE, t, actor);
	e->msg_id = id;
	e->msg_id_len = (size_t)n;
	e->kind = random_kind(r);
	e->length = 1 + rng_below(r, 300);
	w->messages++;
	return m;
}

/* Most talk comes from a core: 60% of picks go to the first fifth. */
static uint32_t pick_member(struct rng *r, uint32_t members)
{
	if (rng_below(r, 100) < 60)
		return rng_below(r, members / 5 ? members / 5 : 1);
	return rng_below(r, members);
}

struct recent {
	uint32_t msg;
	uint32_t author;
};

#define RECENT_RING 256

/*
 * The 500-member group: everyone joins first, then per event about 4% joins
 * and leaves, 12% reactions to recent messages and 84% messages, of which
 * 20% reply to a recent message (70% of those also name its author in
 * "to", the rest leave kith to find the author in its ledger), 4% mention
 * someone, and a few carry a "question" or "feedback" tag. One event every
 * half second on average.
 */
static void workload_500(struct workload *w, size_t events)
{
	struct rng r = {UINT64_C(0x500)};
	struct recent ring[RECENT_RING];
	size_t ring_n = 0;
	bool present[INGEST_500_MEMBERS] = {false};
	const uint32_t members = INGEST_500_MEMBERS;
	int64_t t = T0_MS;

	workload_init(w, members, events, events);
	for (uint32_t i = 0; i < members && w->count < events; i++) {
		kith_event *e = push_event(w, KITH_EVENT_JOIN, t, i);
		if (i > 0 && rng_below(&r, 3) == 0) {
			uint32_t by = rng_below(&r, i);
			e->by = stream_member_id(w, by, &e->by_len);
		}
		present[i] = true;
		t += rng_below(&r, 1000);
	}
	while (w->count < events) {
		uint32_t actor = pick_member(&r, members);
		uint32_t x = rng_below(&r, 100);
		t += rng_below(&r, 1000);
		if (x < 4) {
			/* Leaves come from anyone; joins bring someone back. */
			uint32_t m = rng_below(&r, members);
			push_event(w, present[m] ? KITH_EVENT_LEAVE : KITH_EVENT_JOIN, t, m);
			present[m] = !present[m];
		} else if (x < 16 && ring_n > 0) {
			struct recent k = ring[(ring_n - 1 - rng_below(&r, ring_n < 64 ? (uint32_t)ring_n : 64)) %
			                      RECENT_RING];
			kith_event *e = push_event(w, KITH_EVENT_REACTION, t, actor);
			e->msg_id = msg_id(w, k.msg);
			e->msg_id_len = strlen(e->msg_id);
			if (k.author != actor)
				set_to(w, e, k.author);
			present[actor] = true;
		} else {
			uint32_t y = rng_below(&r, 100);
			struct recent k = {0, 0};
			bool reply = y < 20 && ring_n > 0;
			if (reply)
				k = ring[(ring_n - 1 - rng_below(&r, ring_n < 64 ? (uint32_t)ring_n : 64)) %
				         RECENT_RING];
			size_t m = push_message(w, &r, t, actor);
			kith_event *e = &w->events[w->count - 1];
			if (reply) {
				e->reply_to = msg_id(w, k.msg);
				e->reply_to_len = strlen(e->reply_to);
				if (k.author != actor && rng_below(&r, 10) < 7)
					set_to(w, e, k.author);
			} else if (y < 24) {
				uint32_t to = rng_below(&r, members);
				if (to != actor)
					set_to(w, e, to);
			}
			uint32_t z = rng_below(&r, 100);
			if (z < 4) {
				e->tags = "question";
				e->tags_len = 8;
			} else if (z < 5) {
				e->tags = "feedback";
				e->tags_len = 8;
			}
			ring[ring_n % RECENT_RING] = (struct recent){(uint32_t)m, actor};
			ring_n++;
			present[actor] = true;
		}
	}
}

/*
 * The million-member community: members join one after another (no
 * inviter) between messages, and every member speaks at least once: half
 * the messages go to the oldest member who has not spoken yet, the rest to
 * a member picked at random among those who joined. One event every two
 * seconds on average, so the whole run spans about 93 days (inside the
 * 128-day window of active days).
 */
static void workload_1m(struct workload *w)
{
	struct rng r = {UINT64_C(0x1000000)};
	const uint32_t members = INGEST_1M_MEMBERS;
	const size_t messages = INGEST_1M_MESSAGES;
	/* Room for a flush of silent members at the end (rarely used; the
	 * untouched tail of the array costs no memory). */
	const size_t cap = members + messages + members;
	uint32_t joined = 0, silent = 0; /* members [silent, joined) have not spoken */
	size_t sent = 0;
	int64_t t = T0_MS;

	workload_init(w, members, cap, messages + members);
	while (joined < members || sent < messages) {
		uint64_t left_joins = members - joined;
		uint64_t left_total = left_joins + (sent < messages ? messages - sent : 0);
		t += rng_below(&r, 4000);
		if (joined == 0 || (left_joins > 0 && rng_next(&r) % left_total < left_joins)) {
			push_event(w, KITH_EVENT_JOIN, t, joined++);
			continue;
		}
		uint32_t actor;
		if (silent < joined && rng_below(&r, 2) == 0)
			actor = silent++;
		else
			actor = rng_below(&r, joined);
		push_message(w, &r, t, actor);
		sent++;
	}
	while (silent < joined) {
		t += rng_below(&r, 4000);
		push_message(w, &r, t, silent++);
	}
}

/* ---- running kith on a workload ---------------------------------------- */

static void ingest_array(kith_community *c, const struct workload *w)
{
	size_t done = 0;
	kith_status st = kith_community_ingest_array(c, w->events, w->count, &done);
	if (st != KITH_OK) {
		fprintf(stderr, "bench-ingest: event %zu of %zu\n", done, w->count);
		die("kith_community_ingest_array", c, st);
	}
}

/* The three per-member figures both kith and SQLite produce (last message
 * time, message count, distinct active days), summed over the members, so
 * that a disagreement between the two shows. */
struct figures {
	uint64_t members;
	uint64_t messages;
	uint64_t active_days;
	uint64_t last_msg_sum; /* wrapping sum of last message times */
};

static struct figures kith_read_figures(const kith_community *c, int64_t now_ms)
{
	struct figures f = {0, 0, 0, 0};
	size_t n = kith_community_member_count(c);
	for (uint32_t h = 0; h < n; h++) {
		int64_t last = 0, msgs = 0;
		uint32_t days = 0;
		size_t id_len;
		kith_status st;
		/* Read the id too: a bot needs to know whom a figure is for. */
		if (!kith_member_id(c, h, &id_len))
			die("kith_member_id", NULL, KITH_ENOTFOUND);
		if ((st = kith_member_stat(c, h, KITH_STAT_LAST_MSG_MS, &last)) != KITH_OK ||
		    (st = kith_member_stat(c, h, KITH_STAT_MESSAGES, &msgs)) != KITH_OK)
			die("kith_member_stat", NULL, st);
		if ((st = kith_member_active_days(c, h, now_ms, ACTIVE_WINDOW_DAYS, &days)) != KITH_OK)
			die("kith_member_active_days", NULL, st);
		f.members++;
		f.messages += (uint64_t)msgs;
		f.active_days += days;
		if (last != KITH_TIME_NONE)
			f.last_msg_sum += (uint64_t)last;
	}
	return f;
}

struct kith_result {
	double ingest_s; /* best kith_community_ingest_array */
	double total_s;  /* best community_new + ingest + every member's figures */
	int64_t live_bytes; /* counted bytes after ingest */
	int64_t peak_bytes;
	struct figures figures;
};

/* Ingest w into a fresh community `runs` times, keeping the best times.
 * Every run counts its bytes: the counting allocator costs a few additions
 * per allocation and kith allocates rarely, so it does not move the time. */
static void kith_run(const char *name, const struct workload *w, int runs, struct kith_result *res)
{
	int64_t now_ms = w->events[w->count - 1].time_ms;

	res->ingest_s = 1e30;
	res->total_s = 1e30;
	for (int run = 0; run < runs; run++) {
		struct counter k = {0, 0, 0};
		double t0 = now_s();
		kith_community *c = community_new(&k);
		double t1 = now_s();
		ingest_array(c, w);
		double t2 = now_s();
		struct figures f = kith_read_figures(c, now_ms);
		double t3 = now_s();
		if (t2 - t1 < res->ingest_s)
			res->ingest_s = t2 - t1;
		if (t3 - t0 < res->total_s)
			res->total_s = t3 - t0;
		if (kith_community_member_count(c) != w->members ||
		    kith_community_message_count(c) != w->messages) {
			fprintf(stderr, "bench-ingest: %s counted %zu members, %" PRIu64
			                " messages; expected %u, %zu\n",
			        name, kith_community_member_count(c), kith_community_message_count(c),
			        w->members, w->messages);
			exit(1);
		}
		res->live_bytes = k.live;
		res->peak_bytes = k.peak;
		res->figures = f;
		kith_community_free(c);
		if (k.live != 0) {
			fprintf(stderr, "bench-ingest: %s: %" PRId64 " bytes still live after free\n",
			        name, k.live);
			exit(1);
		}
	}
}

/* ---- the SQLite peer --------------------------------------------------- */

/* Set when a peer's figures differ from kith's: a bug (in kith or in the
 * peer's model of it), never noise, so the benchmark fails at the end. */
static bool peer_disagreed;

#ifdef KITH_BENCH_SQLITE

static void sql_check(sqlite3 *db, int rc, const char *what)
{
	if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
		fprintf(stderr, "bench-ingest: sqlite %s: %s\n", what, sqlite3_errmsg(db));
		exit(1);
	}
}

static void bind_text(sqlite3 *db, sqlite3_stmt *st, int col, const char *s, size_t n)
{
	int rc = s ? sqlite3_bind_text(st, col, s, (int)n, SQLITE_STATIC) : sqlite3_bind_null(st, col);
	sql_check(db, rc, "bind");
}

struct sqlite_result {
	double insert_s;
	double query_s;
	int64_t peak_bytes;
	int64_t live_bytes;
	struct figures figures;
};

/* What a bot writer does without kith: log every event as a row, then ask
 * for the per-member figures with one aggregate query. No index: the query
 * groups by actor, which SQLite does with one sort. */
static void sqlite_run(const struct workload *w, struct sqlite_result *res)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *ins = NULL, *q = NULL;
	int64_t now_ms = w->events[w->count - 1].time_ms;
	int64_t window_start = (now_ms / MS_PER_DAY - (ACTIVE_WINDOW_DAYS - 1)) * MS_PER_DAY;
	struct figures f = {0, 0, 0, 0};

	sqlite3_memory_highwater(1);
	double t0 = now_s();
	if (sqlite3_open(":memory:", &db) != SQLITE_OK) {
		fprintf(stderr, "bench-ingest: sqlite3_open failed\n");
		exit(1);
	}
	sql_check(db,
	          sqlite3_exec(db,
	                       "CREATE TABLE events (time INTEGER NOT NULL, type INTEGER NOT NULL,"
	                       " actor TEXT NOT NULL, msg_id TEXT, kind INTEGER, reply_to TEXT,"
	                       " \"to\" TEXT)",
	                       NULL, NULL, NULL),
	          "create");
	sql_check(db, sqlite3_exec(db, "BEGIN", NULL, NULL, NULL), "begin");
	sql_check(db,
	          sqlite3_prepare_v2(db,
	                             "INSERT INTO events (time, type, actor, msg_id, kind, reply_to,"
	                             " \"to\") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	                             -1, &ins, NULL),
	          "prepare insert");
	for (size_t i = 0; i < w->count; i++) {
		const kith_event *e = &w->events[i];
		sql_check(db, sqlite3_bind_int64(ins, 1, e->time_ms), "bind");
		sql_check(db, sqlite3_bind_int(ins, 2, (int)e->type), "bind");
		bind_text(db, ins, 3, e->actor, e->actor_len);
		bind_text(db, ins, 4, e->msg_id, e->msg_id_len);
		if (e->type == KITH_EVENT_MESSAGE)
			sql_check(db, sqlite3_bind_int(ins, 5, (int)e->kind), "bind");
		else
			sql_check(db, sqlite3_bind_null(ins, 5), "bind");
		bind_text(db, ins, 6, e->reply_to, e->reply_to_len);
		bind_text(db, ins, 7, e->to, e->to_len);
		sql_check(db, sqlite3_step(ins), "insert");
		sqlite3_reset(ins);
	}
	sqlite3_finalize(ins);
	sql_check(db, sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), "commit");
	double t1 = now_s();
	sql_check(db,
	          sqlite3_prepare_v2(db,
	                             "SELECT actor,"
	                             " MAX(CASE WHEN type = 5 THEN time END),"
	                             " SUM(type = 5),"
	                             " COUNT(DISTINCT CASE WHEN type = 5 AND time >= ?1"
	                             " THEN time / 86400000 END)"
	                             " FROM events GROUP BY actor",
	                             -1, &q, NULL),
	          "prepare query");
	sql_check(db, sqlite3_bind_int64(q, 1, window_start), "bind");
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
	double t2 = now_s();
	res->insert_s = t1 - t0;
	res->query_s = t2 - t1;
	res->peak_bytes = sqlite3_memory_highwater(0);
	res->live_bytes = sqlite3_memory_used();
	res->figures = f;
	sqlite3_close(db);
}

static bool figures_agree(const struct figures *a, const struct figures *b)
{
	return a->members == b->members && a->messages == b->messages &&
	       a->active_days == b->active_days && a->last_msg_sum == b->last_msg_sum;
}

static void compare_sqlite(const char *name, const char *workload, const struct workload *w,
                           const struct kith_result *kr, int kith_runs)
{
	struct sqlite_result sr = {0};
	double sqlite_s = 1e30;

	printf("# %s: the %s workload (%u members, %zu events), kith best of %d runs, SQLite best"
	       " of %d, both end to end (create, ingest or INSERT, every member's last message time,"
	       " message count and active days); SQLite in memory, one events table, no index,"
	       " prepared INSERTs in one transaction, one GROUP BY actor query; memory is SQLite's"
	       " sqlite3_memory_highwater against kith's peak counted bytes\n",
	       name, workload, w->members, w->count, kith_runs, SQLITE_RUNS);
	for (int run = 0; run < SQLITE_RUNS; run++) {
		struct sqlite_result r;
		sqlite_run(w, &r);
		if (r.insert_s + r.query_s < sqlite_s) {
			sqlite_s = r.insert_s + r.query_s;
			sr = r;
		}
	}
	if (!figures_agree(&kr->figures, &sr.figures)) {
		printf("# %s: MISMATCH kith: members %" PRIu64 " messages %" PRIu64
		       " active_days %" PRIu64 " last_msg_sum %" PRIu64 "; sqlite: %" PRIu64 " %" PRIu64
		       " %" PRIu64 " %" PRIu64 "\n",
		       name, kr->figures.members, kr->figures.messages, kr->figures.active_days,
		       kr->figures.last_msg_sum, sr.figures.members, sr.figures.messages,
		       sr.figures.active_days, sr.figures.last_msg_sum);
		report(name, "figures_agree", 0, "1");
		peer_disagreed = true;
	} else {
		report(name, "figures_agree", 1, "1");
	}
	report(name, "kith_s", kr->total_s, "s");
	report(name, "kith_ingest_s", kr->ingest_s, "s");
	report(name, "sqlite_s", sqlite_s, "s");
	report(name, "sqlite_insert_s", sr.insert_s, "s");
	report(name, "sqlite_query_s", sr.query_s, "s");
	report(name, "ratio_vs_sqlite", sqlite_s / kr->total_s, "x");
	report(name, "kith_bytes", (double)kr->peak_bytes, "B");
	report(name, "sqlite_bytes", (double)sr.peak_bytes, "B");
	if (sr.peak_bytes > 0)
		report(name, "memory_ratio_vs_sqlite", (double)sr.peak_bytes / (double)kr->peak_bytes,
		       "x");
	else
		printf("# %s: this SQLite does not count its memory (SQLITE_DEFAULT_MEMSTATUS=0)\n",
		       name);
}

#else

static void compare_sqlite(const char *name, const char *workload, const struct workload *w,
                           const struct kith_result *kr, int kith_runs)
{
	(void)workload;
	(void)w;
	(void)kr;
	(void)kith_runs;
	printf("# %s: built without SQLite (dependency sqlite3 not found)\n", name);
	report(name, "skipped", 0, "-");
}

#endif /* KITH_BENCH_SQLITE */

/* ---- ingest-500, ingest-1m and their SQLite comparisons ----------------- */

static void bench_500(bool compare)
{
	struct workload w;
	struct kith_result kr;

	workload_500(&w, INGEST_500_EVENTS);
	kith_run("ingest-500", &w, INGEST_500_RUNS, &kr);
	report("ingest-500", "events", (double)w.count, "1");
	report("ingest-500", "events_per_s", (double)w.count / kr.ingest_s, "1/s");
	report("ingest-500", "ns_per_event", kr.ingest_s * 1e9 / (double)w.count, "ns");
	report("ingest-500", "bytes", (double)kr.live_bytes, "B");
	if (compare)
		compare_sqlite("ingest-sqlite-500", "ingest-500", &w, &kr, INGEST_500_RUNS);
	workload_fini(&w);
}

/*
 * The memory budget: at a million members kith may hold at most 160 bytes
 * a member plus the bytes of the ids themselves. bytes_per_member counts
 * everything the community allocated (member records, the id table and
 * its arena with their growth slack, the ledger, the graph), divided by
 * the members; id_bytes_per_member is what the ids alone weigh, so the
 * figure to hold to 160 is the difference of the two, printed as
 * bytes_per_member_besides_ids.
 */
static void bench_1m(bool compare)
{
	struct workload w;
	struct kith_result kr;

	workload_1m(&w);
	kith_run("ingest-1m", &w, INGEST_1M_RUNS, &kr);
	report("ingest-1m", "members", (double)w.members, "1");
	report("ingest-1m", "events", (double)w.count, "1");
	report("ingest-1m", "events_per_s", (double)w.count / kr.ingest_s, "1/s");
	report("ingest-1m", "bytes_per_member", (double)kr.live_bytes / (double)w.members, "B");
	report("ingest-1m", "id_bytes_per_member", (double)w.id_bytes / (double)w.members, "B");
	report("ingest-1m", "bytes_per_member_besides_ids",
	       (double)(kr.live_bytes - (int64_t)w.id_bytes) / (double)w.members, "B");
	report("ingest-1m", "peak_bytes_per_member", (double)kr.peak_bytes / (double)w.members, "B");
	if (compare)
		compare_sqlite("ingest-sqlite", "ingest-1m", &w, &kr, INGEST_1M_RUNS);
	workload_fini(&w);
}

/* ---- trace-ubuntu ------------------------------------------------------ */

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0;
	if (!f)
		return NULL;
	for (;;) {
		if (n == cap) {
			cap = cap ? cap * 2 : (size_t)1 << 20;
			char *b = realloc(buf, cap);
			if (!b) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = b;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		if (got == 0)
			break;
		n += got;
	}
	bool bad = ferror(f) != 0;
	fclose(f);
	if (bad) {
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

/* Event lines: neither blank, nor a comment, nor the format header. */
static uint64_t count_event_lines(const char *buf, size_t len)
{
	uint64_t events = 0;
	size_t i = 0;
	while (i < len) {
		const char *nl = memchr(buf + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - buf) : len;
		size_t n = end - i;
		if (n > 0 && buf[end - 1] == '\r')
			n--;
		if (n > 0 && buf[i] != '#' && !(n >= 10 && memcmp(buf + i, "kith-trace", 10) == 0))
			events++;
		i = end + 1;
	}
	return events;
}

static void bench_trace(const char *path_arg)
{
	char path[4096];
	const char *dir = getenv("KITH_SHARED_DATA");
	size_t len = 0;
	char *buf = NULL;
	double best = 1e30;
	uint64_t lines = 0;

	if (path_arg)
		snprintf(path, sizeof path, "%s", path_arg);
	else if (dir)
		snprintf(path, sizeof path, "%s/ubuntu-irc/ubuntu.trace", dir);
	else
		path[0] = '\0';
	if (path[0])
		buf = read_file(path, &len);
	if (!buf) {
		printf("# trace-ubuntu: no trace at '%s' (set KITH_SHARED_DATA or pass a path)\n", path);
		report("trace-ubuntu", "skipped", 0, "-");
		return;
	}
	uint64_t events = count_event_lines(buf, len);
	for (int run = 0; run < TRACE_RUNS; run++) {
		kith_community *c = community_new(NULL);
		double t0 = now_s();
		kith_status st = kith_community_ingest_trace(c, buf, len, &lines);
		double dt = now_s() - t0;
		if (st != KITH_OK) {
			fprintf(stderr, "bench-ingest: %s line %" PRIu64 "\n", path, lines + 1);
			die("kith_community_ingest_trace", c, st);
		}
		if (dt < best)
			best = dt;
		kith_community_free(c);
	}
	report("trace-ubuntu", "events", (double)events, "1");
	report("trace-ubuntu", "events_per_s", (double)events / best, "1/s");
	report("trace-ubuntu", "bytes_per_s", (double)len / best, "B/s");
	free(buf);
}

/* ---- levels: the Discourse and MEE6 presets loaded -------------------- */

/* Both presets of examples/charters (the directory in $KITH_CHARTERS),
 * one after the other; NULL when they cannot be read. */
static char *levels_charter(size_t *len)
{
	const char *dir = getenv("KITH_CHARTERS");
	const char *names[2] = {"discourse-trust-levels", "mee6-levels"};
	char *all = NULL;
	*len = 0;
	for (int i = 0; i < 2 && dir; i++) {
		char path[4096];
		size_t n;
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		char *text = read_file(path, &n);
		char *grown = text ? realloc(all, *len + n + 2) : NULL;
		if (!grown) {
			free(text);
			free(all);
			return NULL;
		}
		all = grown;
		memcpy(all + *len, text, n);
		*len += n;
		all[(*len)++] = '\n';
		all[*len] = '\0';
		free(text);
	}
	return all;
}

static kith_community *with_charter(struct counter *k, const char *charter, size_t len)
{
	kith_community *c = community_new(k);
	kith_status st = charter ? kith_community_apply_charter(c, charter, len) : KITH_OK;
	if (st != KITH_OK)
		die("kith_community_apply_charter", c, st);
	return c;
}

/*
 * ingest-500-levels: the ingest-500 events into a community without
 * levels and into one with both presets, runs interleaved so that a busy
 * machine weighs on both alike, best of each. Here ratio_vs_no_levels is
 * a cost, the time with levels over the time without (the issue's
 * budget: at most 1.10).
 */
static void bench_levels_500(void)
{
	size_t len;
	char *charter = levels_charter(&len);
	if (!charter) {
		printf("# ingest-500-levels: no presets (set KITH_CHARTERS)\n");
		report("ingest-500-levels", "skipped", 0, "-");
		return;
	}
	struct workload w;
	workload_500(&w, INGEST_500_EVENTS);
	double none = 1e30, with = 1e30;
	size_t changes = 0;
	for (int run = 0; run < INGEST_500_RUNS; run++) {
		for (int levels = 0; levels < 2; levels++) {
			kith_community *c = with_charter(NULL, levels ? charter : NULL, len);
			double t0 = now_s();
			ingest_array(c, &w);
			double t = now_s() - t0;
			if (levels) {
				with = t < with ? t : with;
				changes = kith_level_count(c);
			} else {
				none = t < none ? t : none;
			}
			kith_community_free(c);
		}
	}
	if (changes != 3)
		die("the presets' levels", NULL, KITH_EINVAL);
	report("ingest-500-levels", "events", (double)w.count, "1");
	report("ingest-500-levels", "ns_per_event_no_levels", none * 1e9 / (double)w.count, "ns");
	report("ingest-500-levels", "ns_per_event", with * 1e9 / (double)w.count, "ns");
	report("ingest-500-levels", "ratio_vs_no_levels", with / none, "1");
	workload_fini(&w);
	free(charter);
}

/*
 * levels-review-1m: the ingest-1m events (a million members, each of whom
 * speaks) with both presets loaded, so every member holds a record, TL1
 * and XP; one member in ten is then set to TL3 by hand (no lock, past its
 * grace), and kith_community_levels_review finds them all below TL3's
 * low-water mark and demotes them. Best of three reviews, each after the
 * levels were set again. Also the bytes a member costs with the presets.
 */
static void bench_levels_review(void)
{
	size_t len;
	char *charter = levels_charter(&len);
	if (!charter) {
		printf("# levels-review-1m: no presets (set KITH_CHARTERS)\n");
		report("levels-review-1m", "skipped", 0, "-");
		return;
	}
	struct workload w;
	workload_1m(&w);
	struct counter k0 = {0, 0, 0}, k = {0, 0, 0};
	kith_community *plain = with_charter(&k0, NULL, 0);
	ingest_array(plain, &w);
	int64_t bytes_plain = k0.live;
	kith_community_free(plain);
	kith_community *c = with_charter(&k, charter, len);
	ingest_array(c, &w);
	int64_t bytes_levels = k.live;
	int64_t last = kith_community_last_event_ms(c);
	double best = 1e30;
	size_t demoted = 0;
	for (int run = 0; run < 3; run++) {
		for (uint32_t h = 0; h < w.members; h += 10)
			if (kith_member_level_set(c, h, "regular", KITH_NUL_TERMINATED, 0, T0_MS) !=
			    KITH_OK)
				die("kith_member_level_set", c, KITH_EINVAL);
		double t0 = now_s();
		kith_status st = kith_community_levels_review(c, last + run);
		double t = now_s() - t0;
		if (st != KITH_OK)
			die("kith_community_levels_review", c, st);
		best = t < best ? t : best;
		demoted = kith_community_level_change_count(c);
	}
	if (demoted != (w.members + 9) / 10)
		die("the review's demotions", c, KITH_EINVAL);
	report("levels-review-1m", "members", (double)w.members, "1");
	report("levels-review-1m", "demotions", (double)demoted, "1");
	report("levels-review-1m", "ms", best * 1e3, "ms");
	report("levels-review-1m", "bytes_per_member_for_levels",
	       (double)(bytes_levels - bytes_plain) / (double)w.members, "B");
	kith_community_free(c);
	workload_fini(&w);
	free(charter);
}

/*
 * snapshot-1m: the ingest-1m community saved into a memory buffer and
 * loaded back into a fresh community, best of three each; the loaded one
 * must hold the same members and messages. What a bot pays to persist a
 * large community, and the size of what it writes.
 */
static void bench_snapshot_1m(void)
{
	struct workload w;
	workload_1m(&w);
	kith_community *c = community_new(NULL);
	ingest_array(c, &w);
	double save = 1e30, load = 1e30;
	size_t bytes = 0;
	for (int run = 0; run < 3; run++) {
		struct membuf b = {NULL, 0, 0, 0};
		double t0 = now_s();
		kith_status st = kith_community_save(c, membuf_write, &b);
		double t1 = now_s();
		if (st != KITH_OK)
			die("kith_community_save", c, st);
		kith_community *back = community_new(NULL);
		double t2 = now_s();
		st = kith_community_load(back, membuf_read, &b);
		double t3 = now_s();
		if (st != KITH_OK)
			die("kith_community_load", back, st);
		if (kith_community_member_count(back) != w.members ||
		    kith_community_message_count(back) != w.messages)
			die("the loaded community", back, KITH_ECORRUPT);
		save = t1 - t0 < save ? t1 - t0 : save;
		load = t3 - t2 < load ? t3 - t2 : load;
		bytes = b.len;
		kith_community_free(back);
		free(b.data);
	}
	report("snapshot-1m", "members", (double)w.members, "1");
	report("snapshot-1m", "bytes", (double)bytes, "B");
	report("snapshot-1m", "save_s", save, "s");
	report("snapshot-1m", "load_s", load, "s");
	kith_community_free(c);
	workload_fini(&w);
}

/* ---- main -------------------------------------------------------------- */

static bool selected(const char *only, const char *name)
{
	return !only || strcmp(only, name) == 0;
}

int main(int argc, char **argv)
{
	bench_program = "bench-ingest";
	const char *only = NULL;
	const char *trace = NULL;

	for (int i = 1; i < argc; i++) {
		if (strncmp(argv[i], "--only=", 7) == 0)
			only = argv[i] + 7;
		else if (argv[i][0] == '-') {
			fprintf(stderr, "usage: bench-ingest [--only=NAME] [TRACE]\n"
			                "NAME: ingest-500 ingest-sqlite-500 ingest-1m ingest-sqlite"
			                " trace-ubuntu snapshot-1m\n");
			return 2;
		} else
			trace = argv[i];
	}
#ifdef KITH_BENCH_SQLITE
	/* Count SQLite's memory even where it was built not to by default. */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 1);
#endif
	printf("# kith %s ingest benchmarks\n", kith_version());
	/* A comparison needs the kith run of its workload, so it brings it. */
	if (selected(only, "ingest-500") || selected(only, "ingest-sqlite-500"))
		bench_500(selected(only, "ingest-sqlite-500"));
	if (selected(only, "ingest-1m") || selected(only, "ingest-sqlite"))
		bench_1m(selected(only, "ingest-sqlite"));
	if (selected(only, "ingest-500-levels"))
		bench_levels_500();
	if (selected(only, "levels-review-1m"))
		bench_levels_review();
	if (selected(only, "trace-ubuntu"))
		bench_trace(trace);
	if (selected(only, "snapshot-1m"))
		bench_snapshot_1m();
	return peer_disagreed ? 1 : 0;
}
