/*
 * The kith-trace 1 reader: one event a line, tab-separated, parsed into a
 * kith_event and applied with kith_community_ingest.
 *
 * SPDX-License-Identifier: MIT
 *
 * The hot path (a line without backslashes) allocates nothing and copies
 * nothing: every string of the event points into the caller's line. Only
 * values holding escapes are rewritten, into a stack buffer for ordinary
 * lines and into one allocation from the community's allocator for long
 * ones, freed before the call returns.
 */
#include "model/community.h"
#include "model/engine.h"
#include "model/ingest.h"
#include "util/bytes.h"
#include "util/compiler.h"
#include "util/lex.h"
#include "util/memory.h"

#include <inttypes.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Lines up to this many bytes unescape into a stack buffer. */
#define TRACE_STACK_BYTES 2048
/* Bytes of an offending value quoted in an error message. */
#define TRACE_QUOTE_MAX 40

/* The known fields of all event types. */
enum trace_field {
	FIELD_BY,
	FIELD_ID,
	FIELD_KIND,
	FIELD_LEN,
	FIELD_REPLY,
	FIELD_TO,
	FIELD_TAGS,
	FIELD_TEXT,
	FIELD_MSG,
	FIELD_NAME,
	FIELD_NEW,
	FIELD_ROLE,
	FIELD_TARGET,
	FIELD_ACTIVITY,
	FIELD_OP,
	FIELD_AMOUNT,
	FIELD_UNKNOWN
};

#define F(x) (1u << (x))

struct trace_type {
	const char *name;
	size_t len;
	uint32_t type;
	uint32_t fields; /* the fields this type takes; others are ignored */
};

/* Ordered by how often real traces use them, since lookup is a scan. */
static const struct trace_type trace_types[] = {
        {"msg", 3, KITH_EVENT_MESSAGE,
         F(FIELD_ID) | F(FIELD_KIND) | F(FIELD_LEN) | F(FIELD_REPLY) | F(FIELD_TO) | F(FIELD_TAGS) |
                 F(FIELD_TEXT)},
        {"join", 4, KITH_EVENT_JOIN, F(FIELD_BY)},
        {"leave", 5, KITH_EVENT_LEAVE, 0},
        {"react", 5, KITH_EVENT_REACTION, F(FIELD_MSG) | F(FIELD_TO)},
        {"alias", 5, KITH_EVENT_ALIAS, F(FIELD_NEW)},
        {"nick", 4, KITH_EVENT_NICK, F(FIELD_NAME)},
        {"kick", 4, KITH_EVENT_KICK, F(FIELD_BY)},
        {"ban", 3, KITH_EVENT_BAN, F(FIELD_BY)},
        {"role", 4, KITH_EVENT_ROLE, F(FIELD_ROLE) | F(FIELD_BY)},
        {"report", 6, KITH_EVENT_REPORT, F(FIELD_TARGET) | F(FIELD_MSG)},
        {"attend", 6, KITH_EVENT_ATTEND, F(FIELD_ACTIVITY)},
        {"envelope", 8, KITH_EVENT_ENVELOPE, F(FIELD_OP) | F(FIELD_AMOUNT)},
        {"delete", 6, KITH_EVENT_DELETE, F(FIELD_MSG) | F(FIELD_BY)},
        {"purchase", 8, KITH_EVENT_PURCHASE, F(FIELD_AMOUNT)},
};

/* Indexed by kith_kind. */
static const char *const trace_kinds[KITH_KIND_COUNT] = {
        "text",     "photo", "video",   "voice",    "link",   "article",
        "document", "share", "sticker", "envelope", "system", "other",
};
static const unsigned char trace_kind_lens[KITH_KIND_COUNT] = {4, 5, 5, 5, 4, 7, 8, 5, 7, 8, 6, 5};

static const char *const trace_field_names[FIELD_UNKNOWN] = {
        "by",  "id",   "kind", "len",  "reply",  "to",       "tags", "text",
        "msg", "name", "new",  "role", "target", "activity", "op",   "amount",
};

/* One line being parsed. */
struct trace_parse {
	kith_community *c;
	const char *line;
	size_t len;
	uint64_t line_no;
	/* Where unescaped values go: stack, or heap when the line is long. */
	char *scratch;
	size_t scratch_used;
	char *heap;
	size_t heap_n;
	char stack[TRACE_STACK_BYTES];
};

/* Names are a few bytes long: a loop beats a call to memcmp. */
static bool trace_eq(const char *s, size_t n, const char *lit, size_t lit_n)
{
	if (n != lit_n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] != lit[i])
			return false;
	return true;
}

/* Copy at most TRACE_QUOTE_MAX bytes of s into out for an error message,
 * with control bytes shown as '?' so the message stays one printable line. */
static const char *trace_quote(char out[TRACE_QUOTE_MAX + 4], const char *s, size_t n)
{
	size_t k = n < TRACE_QUOTE_MAX ? n : TRACE_QUOTE_MAX;
	for (size_t i = 0; i < k; i++) {
		unsigned char ch = (unsigned char)s[i];
		out[i] = ch < 0x20 || ch == 0x7f ? '?' : (char)ch;
	}
	if (k < n) {
		memcpy(out + k, "...", 3);
		k += 3;
	}
	out[k] = '\0';
	return out;
}

static kith_status trace_fail(const struct trace_parse *tp, kith_status st, size_t offset,
                              const char *fmt, ...) KITH_PRINTF(4, 5);

/* Fail with "line L, column C: reason"; offset is 0-based in the line. */
static kith_status trace_fail(const struct trace_parse *tp, kith_status st, size_t offset,
                              const char *fmt, ...)
{
	char reason[KITH_ERROR_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof reason, fmt, ap);
	va_end(ap);
	return kith_fail(tp->c, st, "line %" PRIu64 ", column %zu: %s", tp->line_no, offset + 1,
	                 reason);
}

/* Constant-length compares compile to a load and a compare, no call. */
#define TRACE_IS(s, lit) (memcmp((s), (lit), sizeof(lit) - 1) == 0)

static enum trace_field trace_field_find(const char *k, size_t n)
{
	switch (n) {
	case 2:
		return TRACE_IS(k, "id")   ? FIELD_ID
		       : TRACE_IS(k, "to") ? FIELD_TO
		       : TRACE_IS(k, "by") ? FIELD_BY
		       : TRACE_IS(k, "op") ? FIELD_OP
		                           : FIELD_UNKNOWN;
	case 3:
		return TRACE_IS(k, "len")   ? FIELD_LEN
		       : TRACE_IS(k, "msg") ? FIELD_MSG
		       : TRACE_IS(k, "new") ? FIELD_NEW
		                            : FIELD_UNKNOWN;
	case 4:
		return TRACE_IS(k, "kind")   ? FIELD_KIND
		       : TRACE_IS(k, "text") ? FIELD_TEXT
		       : TRACE_IS(k, "tags") ? FIELD_TAGS
		       : TRACE_IS(k, "name") ? FIELD_NAME
		       : TRACE_IS(k, "role") ? FIELD_ROLE
		                             : FIELD_UNKNOWN;
	case 5: return TRACE_IS(k, "reply") ? FIELD_REPLY : FIELD_UNKNOWN;
	case 6:
		return TRACE_IS(k, "target")   ? FIELD_TARGET
		       : TRACE_IS(k, "amount") ? FIELD_AMOUNT
		                               : FIELD_UNKNOWN;
	case 8: return TRACE_IS(k, "activity") ? FIELD_ACTIVITY : FIELD_UNKNOWN;
	default: return FIELD_UNKNOWN;
	}
}

/* Parse a signed decimal int64 (an optional '-', then 1..19 digits without
 * overflow). */
static bool trace_int64(const char *s, size_t n, int64_t *out)
{
	bool neg = n > 0 && s[0] == '-';
	size_t i = neg ? 1 : 0;
	uint64_t v = 0;
	if (i == n)
		return false;
	while (n - i > 1 && s[i] == '0')
		i++;
	if (n - i > 19)
		return false;
	for (; i < n; i++) {
		unsigned d = (unsigned)(unsigned char)s[i] - '0';
		if (d > 9)
			return false;
		v = v * 10 + d; /* 19 digits fit a uint64 */
	}
	if (v > (neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX))
		return false;
	/* -2^63 does not fit a positive int64, so negate in unsigned. */
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return true;
}

static bool trace_uint32(const char *s, size_t n, uint32_t *out)
{
	uint64_t v = 0;
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned d = (unsigned)(unsigned char)s[i] - '0';
		if (d > 9)
			return false;
		v = v * 10 + d;
		if (v > UINT32_MAX)
			return false;
	}
	*out = (uint32_t)v;
	return true;
}

/* Check the escapes of v[0..n), whose first backslash is at bs; when out is
 * non-NULL also write the unescaped bytes there. Returns the unescaped
 * length, or SIZE_MAX with *bad at the offending backslash. */
static size_t trace_unescape(const char *v, size_t n, const char *bs, char *out, const char **bad)
{
	size_t o = 0;
	const char *p = v, *end = v + n;
	while (bs) {
		size_t plain = (size_t)(bs - p);
		if (out)
			memcpy(out + o, p, plain);
		o += plain;
		if (bs + 1 == end) {
			*bad = bs;
			return SIZE_MAX;
		}
		char ch;
		switch (bs[1]) {
		case 't': ch = '\t'; break;
		case 'n': ch = '\n'; break;
		case '\\': ch = '\\'; break;
		default: *bad = bs; return SIZE_MAX;
		}
		if (out)
			out[o] = ch;
		o++;
		p = bs + 2;
		bs = memchr(p, '\\', (size_t)(end - p));
	}
	if (out)
		memcpy(out + o, p, (size_t)(end - p));
	return o + (size_t)(end - p);
}

static kith_status trace_bad_escape(const struct trace_parse *tp, const char *bad, const char *end)
{
	return trace_fail(tp, KITH_ESYNTAX, (size_t)(bad - tp->line), "bad escape '\\%.*s'",
	                  bad + 1 < end ? 1 : 0, bad + 1);
}

/* Make the unescape buffer ready: the unescaped values of a line never
 * take more bytes than the line itself, so one buffer of len bytes serves
 * every value of the line. */
static kith_status trace_scratch(struct trace_parse *tp)
{
	if (tp->scratch)
		return KITH_OK;
	if (tp->len <= sizeof tp->stack) {
		tp->scratch = tp->stack;
		return KITH_OK;
	}
	tp->heap = kith_mem_alloc(&tp->c->mem, tp->len);
	if (!tp->heap)
		return kith_fail(tp->c, KITH_ENOMEM, "line %" PRIu64 ": out of memory",
		                 tp->line_no);
	tp->heap_n = tp->len;
	tp->scratch = tp->heap;
	return KITH_OK;
}

/* Resolve a value whose first backslash is bs (NULL: none): a pointer
 * into the line when it has no escape, else its unescaped copy in the
 * scratch buffer. */
static kith_status trace_value(struct trace_parse *tp, const char *v, size_t n, const char *bs,
                               const char **out, size_t *out_n)
{
	const char *bad = NULL;
	if (!bs) {
		*out = v;
		*out_n = n;
		return KITH_OK;
	}
	kith_status st = trace_scratch(tp);
	if (st != KITH_OK)
		return st;
	char *dst = tp->scratch + tp->scratch_used;
	size_t m = trace_unescape(v, n, bs, dst, &bad);
	if (m == SIZE_MAX)
		return trace_bad_escape(tp, bad, v + n);
	tp->scratch_used += m;
	*out = dst;
	*out_n = m;
	return KITH_OK;
}

/* Check the escapes of a value that is not kept. */
static kith_status trace_value_check(struct trace_parse *tp, const char *v, size_t n,
                                     const char *bs)
{
	const char *bad = NULL;
	if (bs && trace_unescape(v, n, bs, NULL, &bad) == SIZE_MAX)
		return trace_bad_escape(tp, bad, v + n);
	return KITH_OK;
}

/* Store a known field's value into the event. */
static kith_status trace_set(struct trace_parse *tp, kith_event *ev, enum trace_field f,
                             const char *field, const char *v, size_t n, const char *bs)
{
	char q[TRACE_QUOTE_MAX + 4];
	size_t col = (size_t)(field - tp->line);
	const char *s;
	size_t sn;
	kith_status st;

	switch (f) {
	case FIELD_KIND:
		for (uint32_t k = 0; k < KITH_KIND_COUNT; k++) {
			if (trace_eq(v, n, trace_kinds[k], trace_kind_lens[k])) {
				ev->kind = k;
				return KITH_OK;
			}
		}
		return trace_fail(tp, KITH_ESYNTAX, col, "unknown kind '%s'", trace_quote(q, v, n));
	case FIELD_LEN:
		if (!trace_uint32(v, n, &ev->length))
			return trace_fail(tp, KITH_ESYNTAX, col,
			                  "bad len '%s' (expected 0 .. 4294967295)",
			                  trace_quote(q, v, n));
		return KITH_OK;
	case FIELD_AMOUNT:
		if (!trace_int64(v, n, &ev->amount))
			return trace_fail(tp, KITH_ESYNTAX, col,
			                  "bad amount '%s' (expected an integer in cents)",
			                  trace_quote(q, v, n));
		return KITH_OK;
	case FIELD_OP:
		if (trace_eq(v, n, "send", 4))
			ev->op = KITH_OP_SEND;
		else if (trace_eq(v, n, "claim", 5))
			ev->op = KITH_OP_CLAIM;
		else
			return trace_fail(tp, KITH_ESYNTAX, col,
			                  "unknown op '%s' (expected send or claim)",
			                  trace_quote(q, v, n));
		return KITH_OK;
	case FIELD_ROLE:
		if (n < 2 || (v[0] != '+' && v[0] != '-'))
			return trace_fail(tp, KITH_ESYNTAX, col,
			                  "bad role '%s' (expected +NAME or -NAME)",
			                  trace_quote(q, v, n));
		ev->op = v[0] == '+' ? KITH_OP_ADD : KITH_OP_REMOVE;
		v++;
		n--;
		break;
	default: break;
	}

	st = trace_value(tp, v, n, bs, &s, &sn);
	if (st != KITH_OK)
		return st;
	switch (f) {
	case FIELD_BY:
		ev->by = s;
		ev->by_len = sn;
		break;
	case FIELD_TO:
	case FIELD_TARGET:
		ev->to = s;
		ev->to_len = sn;
		break;
	case FIELD_ID:
	case FIELD_MSG:
		ev->msg_id = s;
		ev->msg_id_len = sn;
		break;
	case FIELD_REPLY:
		ev->reply_to = s;
		ev->reply_to_len = sn;
		break;
	case FIELD_TAGS:
		ev->tags = s;
		ev->tags_len = sn;
		break;
	case FIELD_TEXT:
		ev->text = s;
		ev->text_len = sn;
		break;
	default: /* name, new, role, activity */
		ev->name = s;
		ev->name_len = sn;
		break;
	}
	return KITH_OK;
}

/* The "kith-trace N" header. */
static kith_status trace_header(struct trace_parse *tp, const char *p, size_t n, bool allowed)
{
	const size_t magic = sizeof "kith-trace" - 1;
	char q[TRACE_QUOTE_MAX + 4];
	uint32_t version;
	if (n < magic + 2 || p[magic] != ' ' ||
	    !trace_uint32(p + magic + 1, n - magic - 1, &version))
		return trace_fail(tp, KITH_ESYNTAX, 0, "bad header '%s' (expected 'kith-trace 1')",
		                  trace_quote(q, p, n));
	if (version != 1)
		return trace_fail(tp, KITH_EVERSION, magic + 1,
		                  "unsupported trace version %" PRIu32, version);
	if (!allowed)
		return trace_fail(tp, KITH_ESYNTAX, 0, "header after the first event");
	return KITH_OK;
}

/* The end of the field at p: the next tab, or end. *bs receives the
 * field's first backslash, or NULL. Fields are short and many, so eight
 * bytes are tested at a time without a call into libc: a byte of w equals
 * c exactly where (w ^ c*ones) has a zero byte, and the lowest zero byte of
 * x is flagged exactly by (x - ones) & ~x & highs (higher flags may be
 * false, so only the lowest is trusted). */
static const char *trace_scan(const char *p, const char *end, const char **bs)
{
	const uint64_t ones = UINT64_C(0x0101010101010101);
	const uint64_t highs = UINT64_C(0x8080808080808080);
	const uint64_t tabs = ones * '\t', slashes = ones * '\\';
	*bs = NULL;
#if defined(__SSE2__)
	/* Sixteen bytes at a time where SSE2 is there (every x86-64). */
	const __m128i vtab = _mm_set1_epi8('\t'), vbs = _mm_set1_epi8('\\');
	while (end - p >= 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
		unsigned hit = (unsigned)_mm_movemask_epi8(
		        _mm_or_si128(_mm_cmpeq_epi8(x, vtab), _mm_cmpeq_epi8(x, vbs)));
		if (hit) {
			const char *q = p + __builtin_ctz(hit);
			if (*q == '\t')
				return q;
			p = q; /* a backslash (rare): finish byte by byte */
			goto bytes;
		}
		p += 16;
	}
#endif
	while (end - p >= 8) {
		uint64_t w, a, b, hit;
		memcpy(&w, p, 8);
		a = w ^ tabs;
		b = w ^ slashes;
		hit = ((a - ones) & ~a & highs) | ((b - ones) & ~b & highs);
		if (hit) {
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			const char *q = p + (__builtin_ctzll(hit) >> 3);
			if (*q == '\t')
				return q;
			p = q; /* a backslash (rare): finish byte by byte */
#endif
			break;
		}
		p += 8;
	}
#if defined(__SSE2__)
bytes:
#endif
	for (; p < end; p++) {
		if (*p == '\t')
			return p;
		if (*p == '\\' && !*bs)
			*bs = p;
	}
	return end;
}

/* The engine record of type t[0..n), or NULL. */
static const struct kith_engine_record *trace_record_find(const kith_community *c, const char *t,
                                                          size_t n)
{
	const struct kith_engine_set *set = c->engines;
	for (size_t i = 0; i < set->count; i++)
		for (size_t k = 0; k < set->engine[i]->record_count; k++) {
			const struct kith_engine_record *r = &set->engine[i]->records[k];
			if (trace_eq(t, n, r->type, strlen(r->type)))
				return r;
		}
	return NULL;
}

/* An engine's record: the actor from f (the field after the type), then
 * key=value fields, of which the record's own is kept and the others are
 * checked and ignored, as an event's unknown fields are; then applied. */
static kith_status trace_record(struct trace_parse *tp, const struct kith_engine_record *r,
                                int64_t time_ms, const char *p, size_t n, const char *fe)
{
	char q[TRACE_QUOTE_MAX + 4];
	const char *end = p + n, *f, *bs, *actor, *value = NULL;
	size_t actor_n, value_n = 0, value_col = 0;
	if (fe == end || fe + 1 == end || fe[1] == '\t')
		return trace_fail(tp, KITH_ESYNTAX, fe == end ? n : (size_t)(fe + 1 - p),
		                  "missing actor");
	f = fe + 1;
	fe = trace_scan(f, end, &bs);
	size_t actor_col = (size_t)(f - p);
	kith_status st = trace_value(tp, f, (size_t)(fe - f), bs, &actor, &actor_n);
	if (st != KITH_OK)
		return st;
	bool seen = false;
	while (fe != end) {
		f = fe + 1;
		fe = trace_scan(f, end, &bs);
		if (fe == f)
			return trace_fail(tp, KITH_ESYNTAX, (size_t)(f - p), "empty field");
		const char *eq = memchr(f, '=', (size_t)(fe - f));
		if (!eq)
			return trace_fail(tp, KITH_ESYNTAX, (size_t)(f - p),
			                  "field '%s' without '='",
			                  trace_quote(q, f, (size_t)(fe - f)));
		if (eq == f)
			return trace_fail(tp, KITH_ESYNTAX, (size_t)(f - p),
			                  "field without a name");
		const char *v = eq + 1;
		size_t vn = (size_t)(fe - v);
		if (bs && bs < v)
			bs = memchr(v, '\\', vn);
		if (!trace_eq(f, (size_t)(eq - f), r->field, strlen(r->field))) {
			st = trace_value_check(tp, v, vn, bs);
		} else if (seen) {
			return trace_fail(tp, KITH_ESYNTAX, (size_t)(f - p), "duplicate field '%s'",
			                  r->field);
		} else {
			seen = true;
			value_col = (size_t)(v - p);
			st = trace_value(tp, v, vn, bs, &value, &value_n);
		}
		if (st != KITH_OK)
			return st;
	}
	char why[KITH_ERROR_MAX - 64];
	why[0] = '\0';
	st = r->apply(tp->c, time_ms, actor, actor_n, value, value_n, why, sizeof why);
	if (st == KITH_OK)
		return KITH_OK;
	bool value_fault = st == KITH_ESYNTAX || st == KITH_ERANGE;
	return trace_fail(tp, st, value_fault ? (value ? value_col : n) : actor_col, "%s", why);
}

/* Parse the event line p[0..n) (not blank, not a comment) into ev; an
 * engine's record (*record set) is applied here instead. */
static kith_status trace_parse_event(struct trace_parse *tp, const char *p, size_t n,
                                     kith_event *ev, bool *record)
{
	char q[TRACE_QUOTE_MAX + 4];
	const char *end = p + n;
	const char *f = p, *bs;
	const char *fe = trace_scan(f, end, &bs);
	const struct trace_type *tt = NULL;
	uint32_t seen = 0;
	kith_status st;

	/* Time. */
	if (!trace_int64(f, (size_t)(fe - f), &ev->time_ms))
		return trace_fail(tp, KITH_ESYNTAX, 0,
		                  "bad time '%s' (expected milliseconds, an int64)",
		                  trace_quote(q, f, (size_t)(fe - f)));
	if (fe == end)
		return trace_fail(tp, KITH_ESYNTAX, n, "missing event type");

	/* Type. */
	f = fe + 1;
	fe = trace_scan(f, end, &bs);
	size_t tn = (size_t)(fe - f);
	for (size_t i = 0; i < sizeof trace_types / sizeof trace_types[0]; i++) {
		if (trace_eq(f, tn, trace_types[i].name, trace_types[i].len)) {
			tt = &trace_types[i];
			break;
		}
	}
	if (!tt && tn == 0)
		return trace_fail(tp, KITH_ESYNTAX, (size_t)(f - p), "missing event type");
	const struct kith_engine_record *r = tt ? NULL : trace_record_find(tp->c, f, tn);
	if (r) {
		*record = true;
		return trace_record(tp, r, ev->time_ms, p, n, fe);
	}
	if (!tt)
		return trace_fail(tp, KITH_ESYNTAX, (size_t)(f - p), "unknown event type '%s'",
		                  trace_quote(q, f, tn));
	ev->type = tt->type;

	/* Actor. */
	if (fe == end || fe + 1 == end || fe[1] == '\t')
		return trace_fail(tp, KITH_ESYNTAX, fe == end ? n : (size_t)(fe + 1 - p),
		                  "missing actor");
	f = fe + 1;
	fe = trace_scan(f, end, &bs);
	st = trace_value(tp, f, (size_t)(fe - f), bs, &ev->actor, &ev->actor_len);
	if (st != KITH_OK)
		return st;

	/* key=value fields. */
	while (fe != end) {
		f = fe + 1;
		fe = trace_scan(f, end, &bs);
		if (fe == f)
			return trace_fail(tp, KITH_ESYNTAX, (size_t)(f - p), "empty field");
		const char *eq = f;
		while (eq < fe && *eq != '=')
			eq++;
		if (eq == fe)
			return trace_fail(tp, KITH_ESYNTAX, (size_t)(f - p),
			                  "field '%s' without '='",
			                  trace_quote(q, f, (size_t)(fe - f)));
		size_t kn = (size_t)(eq - f);
		if (kn == 0)
			return trace_fail(tp, KITH_ESYNTAX, (size_t)(f - p),
			                  "field without a name");
		const char *v = eq + 1;
		size_t vn = (size_t)(fe - v);
		if (bs && bs < v) /* the backslash was in the key: look again */
			bs = memchr(v, '\\', vn);
		enum trace_field fld = trace_field_find(f, kn);
		if (fld == FIELD_UNKNOWN || !(tt->fields & F(fld))) {
			/* Unknown to this type: ignored, but the line must still be
			 * well-formed. */
			st = trace_value_check(tp, v, vn, bs);
		} else if (seen & F(fld)) {
			return trace_fail(tp, KITH_ESYNTAX, (size_t)(f - p), "duplicate field '%s'",
			                  trace_field_names[fld]);
		} else {
			seen |= F(fld);
			st = trace_set(tp, ev, fld, f, v, vn, bs);
		}
		if (st != KITH_OK)
			return st;
	}
	return KITH_OK;
}

/* Apply an event, prefixing ingest's own error with the line number. */
static kith_status trace_apply(struct trace_parse *tp, const kith_event *ev)
{
	kith_status st = kith_community_ingest(tp->c, ev);
	if (st != KITH_OK) {
		/* kith_fail writes the buffer we read from: copy first. */
		char msg[KITH_ERROR_MAX];
		snprintf(msg, sizeof msg, "%s", kith_community_last_error(tp->c));
		kith_fail(tp->c, st, "line %" PRIu64 ": %s", tp->line_no, msg);
	}
	return st;
}

static bool trace_blank(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!kith_lex_blank(p[i]))
			return false;
	return true;
}

/* One line. header_ok: whether a header may appear here; *event is set when
 * the line was an event (so a later header is out of place). */
static kith_status trace_line(kith_community *c, const char *line, size_t len, uint64_t line_no,
                              bool header_ok, bool *event)
{
	struct trace_parse tp;
	kith_event ev = KITH_EVENT_INIT;
	kith_status st;

	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (len == 0 || line[0] == '#')
		return KITH_OK;
	if (line[0] == 'k' && len >= 10 && memcmp(line, "kith-trace", 10) == 0 &&
	    (len == 10 || line[10] == ' ')) {
		tp.c = c;
		tp.line = line;
		tp.line_no = line_no;
		return trace_header(&tp, line, len, header_ok);
	}
	if (kith_lex_blank(line[0]) && trace_blank(line, len))
		return KITH_OK;

	tp.c = c;
	tp.line = line;
	tp.len = len;
	tp.line_no = line_no;
	tp.scratch = NULL;
	tp.scratch_used = 0;
	tp.heap = NULL;
	tp.heap_n = 0;
	bool record = false;
	st = trace_parse_event(&tp, line, len, &ev, &record);
	if (st == KITH_OK) {
		*event = true;
		if (!record)
			st = trace_apply(&tp, &ev);
	}
	if (tp.heap)
		kith_mem_free(&c->mem, tp.heap, tp.heap_n);
	return st;
}

KITH_API kith_status kith_community_ingest_trace_line(kith_community *c, const char *line,
                                                      size_t len, uint64_t line_no)
{
	bool event = false;
	if (!c)
		return KITH_EINVAL;
	if (!line && len != 0)
		return kith_fail(c, KITH_EINVAL, "line %" PRIu64 ": NULL line", line_no);
	len = kith_len(line, len);
	/* A single line has no context, so the header is accepted wherever it
	 * comes; kith_community_ingest_trace checks its place in a file. */
	return trace_line(c, line ? line : "", len, line_no, true, &event);
}

KITH_API kith_status kith_community_ingest_trace(kith_community *c, const char *buf, size_t len,
                                                 uint64_t *lines_done)
{
	uint64_t done = 0;
	bool event = false;
	kith_status st = KITH_OK;
	const char *p, *end;

	if (lines_done)
		*lines_done = 0;
	if (!c)
		return KITH_EINVAL;
	if (!buf && len != 0)
		return kith_fail(c, KITH_EINVAL, "NULL buffer");
	if (!buf)
		return KITH_OK;
	len = kith_len(buf, len);
	p = buf;
	end = buf + len;
	/* Editors on some systems prefix UTF-8 files with a byte order mark. */
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	kith_ingest_batch_begin(c);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		st = trace_line(c, p, (size_t)(eol - p), done + 1, !event, &event);
		if (st != KITH_OK)
			break;
		done++;
		p = nl ? nl + 1 : end;
	}
	kith_ingest_batch_end(c);
	if (lines_done)
		*lines_done = done;
	return st;
}
