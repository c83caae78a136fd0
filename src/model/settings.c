/*
 * Settings: every knob of the model as a named value, set and read as
 * text with typed validation and bounds. The charter (charter.c) and the
 * key/value API both come through kith_settings_apply, which applies a
 * batch of assignments all or nothing: each one is applied to a copy of
 * the settings and roles, and only a batch that fully succeeds replaces
 * them and updates what depends on them in the model.
 *
 * SPDX-License-Identifier: MIT
 */
#include "kith-private.h"
#include "util/lex.h"
#include "util/text.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[KITH_KIND_COUNT] = {
	"text",  "photo", "video",   "voice",    "link",   "article",
	"document", "share", "sticker", "envelope", "system", "other",
};

static const double default_kind_weight[KITH_KIND_COUNT] = {
	1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.1, 0.1, 0.0, 0.2,
};

void kith_settings_defaults(struct kith_settings *s)
{
	memset(s, 0, sizeof *s);
	s->utc_offset_min = 0;
	s->capacity = 500;
	s->half_life_days = 30.0;
	memcpy(s->kind_weight, default_kind_weight, sizeof s->kind_weight);
	s->greeting_weight = 0.1;
	s->topic_bonus = 0.5;
	s->repeat_factor = 0.2;
	s->reply_credit = 0.5;
	s->reaction_credit = 0.2;
	s->high_threshold = 0.5;
	s->ledger_capacity = 1024;
	s->digest_size = 10;
	/* The cleanup engine and the health diagnosis. */
	s->cleanup_silent_days = 30;
	s->cleanup_speak_within_ms = 3 * KITH_MS_PER_DAY;
	s->cleanup_newcomer_grace_ms = 3 * KITH_MS_PER_DAY;
	s->cleanup_ultimatum_ms = 12 * INT64_C(3600000);
	s->cleanup_max_violations = 3;
	s->cleanup_envelope_days = 14;
	s->cleanup_purchase_protects_ms = 30 * KITH_MS_PER_DAY;
	s->cleanup_attendance_protects_ms = 30 * KITH_MS_PER_DAY;
	s->health_window_days = 7;
	s->health_long_window_days = 30;
	s->health_dead_days = 5;
	s->health_min_active_share = 0.2;
	s->health_min_active_share_long = 0.4;
	s->health_min_messages_per_day = 10;
	s->health_min_interactions_per_day = 3;
	s->health_min_value_ratio = 0.4;
	s->health_max_lurker_share = 0.7;
	s->health_opinion_leader_share = 0.1;
	s->health_expert_share = 0.2;
	s->health_min_retention = 0.5;
	s->health_min_half_writers = 3;
	s->health_max_envelope_share = 0.2;
	s->health_max_official_share = 0.3;
}

static char *dup_string(const struct kith_mem *mem, const char *src, size_t n)
{
	char *d = kith_mem_alloc(mem, n + 1);
	if (d) {
		memcpy(d, src, n);
		d[n] = '\0';
	}
	return d;
}

/* Compile a pattern; returns 0 or the regcomp error. */
static int compile_pattern(regex_t *re, const char *pattern)
{
	return regcomp(re, pattern, REG_EXTENDED | REG_NOSUB);
}

bool kith_settings_copy(const struct kith_mem *mem, struct kith_settings *dst,
                        const struct kith_settings *src)
{
	struct kith_settings tmp = *src;
	tmp.name_format = NULL;
	if (src->name_format) {
		tmp.name_format = dup_string(mem, src->name_format, strlen(src->name_format));
		if (!tmp.name_format)
			return false;
		if (compile_pattern(&tmp.name_regex, tmp.name_format) != 0) {
			kith_mem_free(mem, tmp.name_format, strlen(tmp.name_format) + 1);
			return false;
		}
	}
	*dst = tmp;
	return true;
}

void kith_settings_fini(const struct kith_mem *mem, struct kith_settings *s)
{
	if (s->name_format) {
		regfree(&s->name_regex);
		kith_mem_free(mem, s->name_format, strlen(s->name_format) + 1);
		s->name_format = NULL;
	}
}

/* ---- the table of settings ---------------------------------------------- */

/* A pending change: the settings and roles as they will be. */
struct txn {
	kith_community *c;
	struct kith_settings s;
	struct kith_roles roles;
	struct kith_rules_txn *rules; /* pending rules engine change, or NULL */
	char *err;       /* where a setter writes its reason */
	size_t err_size;
};

/* Setters and getters that only engine settings use may have no user in
 * a build whose engines define none. */
#define KITH_UNUSED_OK __attribute__((unused))

struct setting;
typedef kith_status (*setter_fn)(struct txn *t, const struct setting *d, const char *v, size_t n);
typedef void (*getter_fn)(const struct kith_settings *s, const struct setting *d, char *buf, size_t size);

struct setting {
	const char *name;
	kith_setting_type type;
	double min, max;
	size_t offset; /* of the field in struct kith_settings */
	setter_fn set;
	getter_fn get;
	/* Snapshots save a generic setting by name and text, so an engine can
	 * add one without touching the snapshot format. Generic setters use
	 * only t->s and t->err (never the community). */
	bool generic;
};

#define FIELD(f) offsetof(struct kith_settings, f)

static kith_status reason(struct txn *t, kith_status st, const char *fmt, const char *value,
                          size_t n, double a, double b)
{
	char shown[80];
	size_t k = n < sizeof shown - 4 ? n : sizeof shown - 4;
	memcpy(shown, value, k);
	strcpy(shown + k, n > k ? "..." : "");
	snprintf(t->err, t->err_size, fmt, shown, a, b);
	return st;
}

/* Settings always write numbers with '.', whatever LC_NUMERIC the host
 * program chose; strtod and printf follow the locale, so translate. */
static char locale_point(void)
{
	const char *p = localeconv()->decimal_point;
	return p && p[0] && !p[1] ? p[0] : '.';
}

/* Parse a decimal number; false when malformed. */
static bool parse_double(const char *v, size_t n, double *out)
{
	char buf[64];
	if (n == 0 || n >= sizeof buf)
		return false;
	memcpy(buf, v, n);
	buf[n] = '\0';
	char point = locale_point();
	for (size_t i = 0; i < n; i++) {
		if (buf[i] == point && point != '.')
			return false; /* the locale's own separator is not ours */
		if (buf[i] == '.')
			buf[i] = point;
	}
	char *end;
	errno = 0;
	double d = strtod(buf, &end);
	if (*end != '\0' || errno == ERANGE || !isfinite(d))
		return false;
	/* strtod accepts hex floats, "inf" and "nan"; settings are decimal. */
	for (size_t i = 0; i < n; i++)
		if (buf[i] == 'x' || buf[i] == 'X' || buf[i] == 'n' || buf[i] == 'N')
			return false;
	*out = d;
	return true;
}

static kith_status set_number(struct txn *t, const struct setting *d, const char *v, size_t n)
{
	double x;
	kith_lex_trim(&v, &n);
	if (!parse_double(v, n, &x))
		return reason(t, KITH_EINVAL, "'%s' is not a number", v, n, 0, 0);
	if (x < d->min || x > d->max)
		return reason(t, KITH_ERANGE, "'%s' is out of range %g .. %g", v, n, d->min, d->max);
	memcpy((char *)&t->s + d->offset, &x, sizeof x);
	return KITH_OK;
}

static kith_status set_integer(struct txn *t, const struct setting *d, const char *v, size_t n)
{
	kith_lex_trim(&v, &n);
	size_t i = n && (v[0] == '-' || v[0] == '+') ? 1 : 0;
	if (i == n)
		return reason(t, KITH_EINVAL, "'%s' is not a whole number", v, n, 0, 0);
	uint64_t x = 0;
	bool overflow = false;
	for (; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return reason(t, KITH_EINVAL, "'%s' is not a whole number", v, n, 0, 0);
		if (x > (UINT64_MAX - 9) / 10)
			overflow = true;
		else
			x = x * 10 + (uint64_t)(v[i] - '0');
	}
	/* A well-formed number outside the bounds is a range error. */
	if (v[0] == '-' ? x != 0 : false)
		overflow = true;
	if (overflow || (double)x < d->min || (double)x > d->max)
		return reason(t, KITH_ERANGE, "'%s' is out of range %.0f .. %.0f", v, n, d->min, d->max);
	uint32_t u = (uint32_t)x;
	memcpy((char *)&t->s + d->offset, &u, sizeof u);
	return KITH_OK;
}

static kith_status set_text(struct txn *t, const struct setting *d, const char *v, size_t n)
{
	kith_lex_trim(&v, &n);
	if ((double)n > d->max)
		return reason(t, KITH_ERANGE, "'%s' is longer than %.0f bytes", v, n, d->max, 0);
	if (memchr(v, '\0', n))
		return reason(t, KITH_EINVAL, "'%s' holds a NUL byte", v, n, 0, 0);
	char *dst = (char *)&t->s + d->offset;
	memcpy(dst, v, n);
	dst[n] = '\0';
	return KITH_OK;
}

static kith_status set_topics(struct txn *t, const struct setting *d, const char *v, size_t n)
{
	struct kith_settings *s = &t->s;
	uint32_t count = 0;
	char topics[KITH_TOPICS_MAX][KITH_TOPIC_MAX + 1];
	kith_lex_trim(&v, &n);
	if (n && v[n - 1] == ',')
		return reason(t, KITH_EINVAL, "'%s' has an empty topic", v, n, 0, 0);
	size_t at = 0, len;
	const char *item;
	while (kith_lex_item(v, n, &at, &item, &len)) {
		if (len == 0)
			return reason(t, KITH_EINVAL, "'%s' has an empty topic", v, n, 0, 0);
		if (len > KITH_TOPIC_MAX)
			return reason(t, KITH_ERANGE, "'%s' has a topic longer than %.0f bytes", v, n,
			              KITH_TOPIC_MAX, 0);
		if (memchr(item, '\0', len))
			return reason(t, KITH_EINVAL, "'%s' holds a NUL byte", v, n, 0, 0);
		if (count == KITH_TOPICS_MAX)
			return reason(t, KITH_ERANGE, "'%s' has more than %.0f topics", v, n, d->max, 0);
		kith_lex_lower_copy(topics[count], item, len);
		topics[count][len] = '\0';
		count++;
	}
	memcpy(s->topics, topics, sizeof topics);
	s->topic_count = count;
	return KITH_OK;
}

static kith_status set_utc_offset(struct txn *t, const struct setting *d, const char *v, size_t n)
{
	kith_lex_trim(&v, &n);
	const char *p = v, *end = v + n;
	int sign = 1;
	if (p < end && (*p == '+' || *p == '-'))
		sign = *p++ == '-' ? -1 : 1;
	int hours = 0, minutes = 0, digits = 0;
	while (p < end && *p >= '0' && *p <= '9' && digits < 2) {
		hours = hours * 10 + (*p++ - '0');
		digits++;
	}
	if (digits == 0)
		return reason(t, KITH_EINVAL, "'%s' is not a UTC offset like +08:00", v, n, 0, 0);
	if (p < end && *p == ':') {
		p++;
		if (end - p != 2 || p[0] < '0' || p[0] > '5' || p[1] < '0' || p[1] > '9')
			return reason(t, KITH_EINVAL, "'%s' is not a UTC offset like +08:00", v, n, 0, 0);
		minutes = (p[0] - '0') * 10 + (p[1] - '0');
		p += 2;
	}
	if (p != end)
		return reason(t, KITH_EINVAL, "'%s' is not a UTC offset like +08:00", v, n, 0, 0);
	int total = sign * (hours * 60 + minutes);
	if (total < d->min || total > d->max)
		return reason(t, KITH_ERANGE, "'%s' is out of range -14:00 .. +14:00", v, n, 0, 0);
	/* Active days are recorded in local days: a different offset would
	 * mix two calendars in one bitmap. */
	if (total != t->s.utc_offset_min && t->c->messages > 0)
		return reason(t, KITH_ESTATE,
		              "'%s' cannot be set once messages are in (active days are kept in local days)",
		              v, n, 0, 0);
	t->s.utc_offset_min = total;
	return KITH_OK;
}

static kith_status set_regex(struct txn *t, const struct setting *d, const char *v, size_t n)
{
	(void)d;
	kith_lex_trim(&v, &n);
	if (n > KITH_ID_MAX)
		return reason(t, KITH_ERANGE, "'%s' is longer than %.0f bytes", v, n, KITH_ID_MAX, 0);
	if (memchr(v, '\0', n))
		return reason(t, KITH_EINVAL, "'%s' holds a NUL byte", v, n, 0, 0);
	if (!kith_regex_bounded(v, n))
		return reason(t, KITH_ERANGE,
		              "'%s' repeats too much: its expansion by {m,n} and + would be too large, "
		              "or it stacks repetition operators (as in a*+)",
		              v, n, 0, 0);
	const struct kith_mem *mem = &t->c->mem;
	char *pattern = NULL;
	regex_t re;
	if (n) {
		pattern = dup_string(mem, v, n);
		if (!pattern)
			return KITH_ENOMEM;
		int rc = compile_pattern(&re, pattern);
		if (rc != 0) {
			char why[128];
			regerror(rc, &re, why, sizeof why);
			snprintf(t->err, t->err_size, "'%.80s' is not a valid extended regular expression: %s",
			         pattern, why);
			kith_mem_free(mem, pattern, n + 1);
			return rc == REG_ESPACE ? KITH_ENOMEM : KITH_EINVAL;
		}
	}
	kith_settings_fini(mem, &t->s);
	t->s.name_format = pattern;
	if (pattern)
		t->s.name_regex = re;
	return KITH_OK;
}

/* A duration (util/lex.h has the syntax), stored in ms. */
static KITH_UNUSED_OK kith_status set_duration(struct txn *t, const struct setting *d, const char *v, size_t n)
{
	kith_lex_trim(&v, &n);
	int64_t value;
	kith_status st = kith_lex_duration(v, n, &value);
	if (st == KITH_EINVAL)
		return reason(t, KITH_EINVAL, "'%s' is not a duration like 12 h (units ms, s, min, h, d, w)",
		              v, n, 0, 0);
	if (st != KITH_OK || (double)value < d->min || (double)value > d->max)
		return reason(t, KITH_ERANGE, "'%s' is out of range %.0f .. %.0f ms", v, n, d->min, d->max);
	memcpy((char *)&t->s + d->offset, &value, sizeof value);
	return KITH_OK;
}

static kith_status parse_bool(struct txn *t, const char *v, size_t n, bool *out);

static KITH_UNUSED_OK kith_status set_boolean(struct txn *t, const struct setting *d, const char *v, size_t n)
{
	bool b;
	kith_status st = parse_bool(t, v, n, &b);
	if (st == KITH_OK) {
		uint32_t u = b;
		memcpy((char *)&t->s + d->offset, &u, sizeof u);
	}
	return st;
}

/* A time of day "HH:MM", stored as minutes after local midnight. */
static KITH_UNUSED_OK kith_status set_time_of_day(struct txn *t, const struct setting *d, const char *v, size_t n)
{
	kith_lex_trim(&v, &n);
	if (n != 5 || v[2] != ':' || v[0] < '0' || v[0] > '2' || v[1] < '0' || v[1] > '9' ||
	    v[3] < '0' || v[3] > '5' || v[4] < '0' || v[4] > '9')
		return reason(t, KITH_EINVAL, "'%s' is not a time of day like 20:00", v, n, 0, 0);
	uint32_t minutes = (uint32_t)(((v[0] - '0') * 10 + (v[1] - '0')) * 60 + (v[3] - '0') * 10 +
	                              (v[4] - '0'));
	if (minutes >= 24 * 60)
		return reason(t, KITH_ERANGE, "'%s' is past 23:59", v, n, 0, 0);
	(void)d;
	memcpy((char *)&t->s + d->offset, &minutes, sizeof minutes);
	return KITH_OK;
}

/* ---- getters --------------------------------------------------------------- */

static void fmt_number(double x, char *buf, size_t size)
{
	/* The shortest plain decimal that reads back as the same double;
	 * exponent form only where no plain form of 17 digits exists. */
	char point = locale_point();
	int prec;
	for (prec = 1; prec < 17; prec++) {
		snprintf(buf, size, "%.*g", prec, x);
		if (!strchr(buf, 'e') && strtod(buf, NULL) == x)
			break;
	}
	if (prec == 17)
		snprintf(buf, size, "%.17g", x);
	for (char *p = buf; *p; p++)
		if (*p == point)
			*p = '.';
}

static void get_number(const struct kith_settings *s, const struct setting *d, char *buf, size_t size)
{
	double x;
	memcpy(&x, (const char *)s + d->offset, sizeof x);
	fmt_number(x, buf, size);
}

static void get_integer(const struct kith_settings *s, const struct setting *d, char *buf, size_t size)
{
	uint32_t x;
	memcpy(&x, (const char *)s + d->offset, sizeof x);
	snprintf(buf, size, "%u", (unsigned)x);
}

static KITH_UNUSED_OK void get_duration(const struct kith_settings *s, const struct setting *d, char *buf, size_t size)
{
	int64_t ms;
	memcpy(&ms, (const char *)s + d->offset, sizeof ms);
	struct kith_text o;
	kith_text_init(&o, buf, size);
	kith_text_duration_exact(&o, ms);
	kith_text_finish(&o, NULL);
}

static KITH_UNUSED_OK void get_boolean(const struct kith_settings *s, const struct setting *d, char *buf, size_t size)
{
	uint32_t u;
	memcpy(&u, (const char *)s + d->offset, sizeof u);
	snprintf(buf, size, "%s", u ? "yes" : "no");
}

static KITH_UNUSED_OK void get_time_of_day(const struct kith_settings *s, const struct setting *d, char *buf, size_t size)
{
	uint32_t m;
	memcpy(&m, (const char *)s + d->offset, sizeof m);
	snprintf(buf, size, "%02u:%02u", (unsigned)(m / 60), (unsigned)(m % 60));
}

static void get_text(const struct kith_settings *s, const struct setting *d, char *buf, size_t size)
{
	snprintf(buf, size, "%s", (const char *)s + d->offset);
}

static void get_topics(const struct kith_settings *s, const struct setting *d, char *buf, size_t size)
{
	(void)d;
	size_t len = 0;
	buf[0] = '\0';
	for (uint32_t i = 0; i < s->topic_count; i++) {
		int w = snprintf(buf + len, size - len, "%s%s", i ? ", " : "", s->topics[i]);
		if (w < 0 || (size_t)w >= size - len)
			return;
		len += (size_t)w;
	}
}

static void get_utc_offset(const struct kith_settings *s, const struct setting *d, char *buf, size_t size)
{
	(void)d;
	int m = s->utc_offset_min;
	snprintf(buf, size, "%c%02d:%02d", m < 0 ? '-' : '+', abs(m) / 60, abs(m) % 60);
}

static void get_regex(const struct kith_settings *s, const struct setting *d, char *buf, size_t size)
{
	(void)d;
	snprintf(buf, size, "%s", s->name_format ? s->name_format : "");
}

#define NUMBER(n, f, lo, hi) {n, KITH_SETTING_NUMBER, lo, hi, FIELD(f), set_number, get_number, false}
#define INTEGER(n, f, lo, hi) {n, KITH_SETTING_INTEGER, lo, hi, FIELD(f), set_integer, get_integer, false}
/* Engine settings: saved by name in snapshots (see `generic`). Fields are
 * double (NUMBER), uint32_t (INTEGER, BOOLEAN, TIME_OF_DAY: minutes) and
 * int64_t (DURATION: ms). */
#define ENGINE_NUMBER(n, f, lo, hi) {n, KITH_SETTING_NUMBER, lo, hi, FIELD(f), set_number, get_number, true}
#define ENGINE_INTEGER(n, f, lo, hi) {n, KITH_SETTING_INTEGER, lo, hi, FIELD(f), set_integer, get_integer, true}
#define ENGINE_DURATION(n, f, lo, hi) {n, KITH_SETTING_DURATION, lo, hi, FIELD(f), set_duration, get_duration, true}
#define ENGINE_BOOLEAN(n, f) {n, KITH_SETTING_BOOLEAN, 0, 1, FIELD(f), set_boolean, get_boolean, true}
#define ENGINE_TIME_OF_DAY(n, f) {n, KITH_SETTING_TIME_OF_DAY, 0, 1439, FIELD(f), set_time_of_day, get_time_of_day, true}

static const struct setting settings_table[] = {
	{"community.name", KITH_SETTING_TEXT, 0, KITH_COMMUNITY_NAME_MAX, FIELD(name), set_text, get_text, false},
	{"community.topics", KITH_SETTING_LIST, 0, KITH_TOPICS_MAX, 0, set_topics, get_topics, false},
	{"community.utc_offset", KITH_SETTING_UTC_OFFSET, -840, 840, 0, set_utc_offset, get_utc_offset, false},
	INTEGER("community.capacity", capacity, 1, KITH_MEMBERS_MAX),
	{"community.name_format", KITH_SETTING_REGEX, 0, KITH_ID_MAX, 0, set_regex, get_regex, false},
	NUMBER("value.half_life_days", half_life_days, 0.01, 36500),
	NUMBER("value.weight.text", kind_weight[KITH_KIND_TEXT], 0, 100),
	NUMBER("value.weight.photo", kind_weight[KITH_KIND_PHOTO], 0, 100),
	NUMBER("value.weight.video", kind_weight[KITH_KIND_VIDEO], 0, 100),
	NUMBER("value.weight.voice", kind_weight[KITH_KIND_VOICE], 0, 100),
	NUMBER("value.weight.link", kind_weight[KITH_KIND_LINK], 0, 100),
	NUMBER("value.weight.article", kind_weight[KITH_KIND_ARTICLE], 0, 100),
	NUMBER("value.weight.document", kind_weight[KITH_KIND_DOCUMENT], 0, 100),
	NUMBER("value.weight.share", kind_weight[KITH_KIND_SHARE], 0, 100),
	NUMBER("value.weight.sticker", kind_weight[KITH_KIND_STICKER], 0, 100),
	NUMBER("value.weight.envelope", kind_weight[KITH_KIND_ENVELOPE], 0, 100),
	NUMBER("value.weight.system", kind_weight[KITH_KIND_SYSTEM], 0, 100),
	NUMBER("value.weight.other", kind_weight[KITH_KIND_OTHER], 0, 100),
	NUMBER("value.greeting_weight", greeting_weight, 0, 100),
	NUMBER("value.topic_bonus", topic_bonus, 0, 100),
	NUMBER("value.repeat_factor", repeat_factor, 0, 1),
	NUMBER("value.reply_credit", reply_credit, 0, 100),
	NUMBER("value.reaction_credit", reaction_credit, 0, 100),
	NUMBER("value.high_threshold", high_threshold, 0, 1000),
	INTEGER("ledger.capacity", ledger_capacity, 16, 1048576),
	INTEGER("digest.size", digest_size, 1, 100),
	/* Engine settings go below, as ENGINE_* entries. */
	/* The cleanup engine (cleanup.c). */
	ENGINE_INTEGER("cleanup.silent_days", cleanup_silent_days, 1, 3650),
	ENGINE_DURATION("cleanup.speak_within", cleanup_speak_within_ms, 0, 3650.0 * 86400000),
	ENGINE_DURATION("cleanup.newcomer_grace", cleanup_newcomer_grace_ms, 0, 3650.0 * 86400000),
	ENGINE_DURATION("cleanup.ultimatum", cleanup_ultimatum_ms, 0, 365.0 * 86400000),
	ENGINE_INTEGER("cleanup.max_violations", cleanup_max_violations, 0, 1000000),
	ENGINE_INTEGER("cleanup.envelope_days", cleanup_envelope_days, 1, 3650),
	ENGINE_NUMBER("cleanup.min_score", cleanup_min_score, 0, 1e9),
	ENGINE_DURATION("cleanup.purchase_protects", cleanup_purchase_protects_ms, 0, 3650.0 * 86400000),
	ENGINE_DURATION("cleanup.attendance_protects", cleanup_attendance_protects_ms, 0, 3650.0 * 86400000),
	ENGINE_NUMBER("cleanup.keep_active_share", cleanup_keep_active_share, 0, 1),
	ENGINE_INTEGER("cleanup.room_for", cleanup_room_for, 0, KITH_MEMBERS_MAX),
	ENGINE_INTEGER("cleanup.max_per_run", cleanup_max_per_run, 0, KITH_MEMBERS_MAX),
	/* The health diagnosis (health.c). */
	ENGINE_INTEGER("health.window_days", health_window_days, 1, 64),
	ENGINE_INTEGER("health.long_window_days", health_long_window_days, 1, 64),
	ENGINE_INTEGER("health.dead_days", health_dead_days, 1, 3650),
	ENGINE_NUMBER("health.min_active_share", health_min_active_share, 0, 1),
	ENGINE_NUMBER("health.min_active_share_long", health_min_active_share_long, 0, 1),
	ENGINE_NUMBER("health.min_messages_per_day", health_min_messages_per_day, 0, 1e9),
	ENGINE_NUMBER("health.min_interactions_per_day", health_min_interactions_per_day, 0, 1e9),
	ENGINE_NUMBER("health.min_value_ratio", health_min_value_ratio, 0, 1),
	ENGINE_NUMBER("health.max_lurker_share", health_max_lurker_share, 0, 1),
	ENGINE_NUMBER("health.opinion_leader_share", health_opinion_leader_share, 0, 1),
	ENGINE_NUMBER("health.expert_share", health_expert_share, 0, 1),
	ENGINE_NUMBER("health.min_retention", health_min_retention, 0, 1),
	ENGINE_INTEGER("health.min_half_writers", health_min_half_writers, 0, 1000000),
	ENGINE_NUMBER("health.max_envelope_share", health_max_envelope_share, 0, 1),
	ENGINE_NUMBER("health.max_official_share", health_max_official_share, 0, 1),
};

#define STATIC_COUNT (sizeof settings_table / sizeof settings_table[0])

/* ---- role settings -------------------------------------------------------- */

static const struct {
	const char *word;
	uint32_t bit;
} permission_words[] = {
	{"invite", KITH_PERM_INVITE},
	{"links", KITH_PERM_LINKS},
	{"announce", KITH_PERM_ANNOUNCE},
	{"exempt", KITH_PERM_EXEMPT},
};

static kith_status parse_permissions(struct txn *t, const char *v, size_t n, uint32_t *out)
{
	uint32_t bits = 0;
	kith_lex_trim(&v, &n);
	if (kith_lex_word(v, n, "none") || n == 0) {
		*out = 0;
		return KITH_OK;
	}
	size_t at = 0, len;
	const char *item;
	while (kith_lex_item(v, n, &at, &item, &len)) {
		size_t k = 0;
		while (k < sizeof permission_words / sizeof permission_words[0] &&
		       !kith_lex_word(item, len, permission_words[k].word))
			k++;
		if (k == sizeof permission_words / sizeof permission_words[0])
			return reason(t, KITH_EINVAL,
			              "'%s' is not a list of invite, links, announce, exempt (or none)", v, n,
			              0, 0);
		bits |= permission_words[k].bit;
	}
	*out = bits;
	return KITH_OK;
}

static kith_status parse_bool(struct txn *t, const char *v, size_t n, bool *out)
{
	kith_lex_trim(&v, &n);
	if (kith_lex_bool(v, n, out))
		return KITH_OK;
	return reason(t, KITH_EINVAL, "'%s' is not a boolean (yes, no, true, false, 1, 0)", v, n, 0, 0);
}

/* Split "role.NAME.key"; false when name is not of that form. */
static bool role_setting(const char *name, const char **role, size_t *role_len, const char **key)
{
	if (strncmp(name, "role.", 5) != 0)
		return false;
	const char *dot = strrchr(name + 5, '.');
	if (!dot || dot == name + 5)
		return false;
	*role = name + 5;
	*role_len = (size_t)(dot - (name + 5));
	*key = dot + 1;
	return strcmp(*key, "permissions") == 0 || strcmp(*key, "protected") == 0;
}

static kith_status set_role_setting(struct txn *t, const char *role, size_t role_len, const char *key,
                                    const char *v, size_t n)
{
	if (!kith_role_name_valid(role, role_len)) {
		snprintf(t->err, t->err_size, "role name must be 1 to %d letters, digits, '-', '_' or '.'",
		         KITH_ROLE_NAME_MAX);
		return KITH_EINVAL;
	}
	uint32_t perms = 0;
	bool prot = false;
	kith_status st = strcmp(key, "permissions") == 0 ? parse_permissions(t, v, n, &perms)
	                                                 : parse_bool(t, v, n, &prot);
	if (st != KITH_OK)
		return st;
	uint32_t r = kith_roles_find(&t->roles, role, role_len);
	if (r == UINT32_MAX) {
		if (t->roles.count >= KITH_ROLES_MAX) {
			snprintf(t->err, t->err_size, "too many roles: at most %d", KITH_ROLES_MAX);
			return KITH_ELIMIT;
		}
		r = kith_roles_add(&t->roles, role, role_len);
	}
	if (strcmp(key, "permissions") == 0)
		t->roles.role[r].permissions = perms;
	else
		t->roles.role[r].protected_from_cleanup = prot;
	return KITH_OK;
}

static const struct setting *find_static(const char *name)
{
	for (size_t i = 0; i < STATIC_COUNT; i++)
		if (strcmp(settings_table[i].name, name) == 0)
			return &settings_table[i];
	return NULL;
}

/* Apply one assignment to the pending change. */
static kith_status txn_set(struct txn *t, const char *name, const char *v, size_t n)
{
	const struct setting *d = find_static(name);
	if (d)
		return d->set(t, d, v, n);
	const char *role, *key;
	size_t role_len;
	if (role_setting(name, &role, &role_len, &key))
		return set_role_setting(t, role, role_len, key, v, n);
	if (kith_rules_owns_setting(name))
		return kith_rules_txn_set(t->c, &t->rules, &t->roles, name, v, n, t->err, t->err_size);
	snprintf(t->err, t->err_size, "no such setting");
	return KITH_ENOTFOUND;
}

/* Bring the model in line with the new settings. Allocations are made
 * before anything changes, so on failure nothing has. */
static kith_status txn_commit(struct txn *t)
{
	kith_community *c = t->c;
	struct kith_settings *old = &c->settings, *s = &t->s;
	kith_status rst = t->rules ? kith_rules_txn_prepare(c, t->rules, &t->roles) : KITH_OK;
	if (rst != KITH_OK)
		return rst;
	if (s->ledger_capacity != old->ledger_capacity &&
	    !kith_ledger_resize(&c->mem, &c->ledger, s->ledger_capacity))
		return KITH_ENOMEM;
	if (t->rules) {
		kith_rules_txn_commit(c, t->rules);
		t->rules = NULL;
	}
	if (s->half_life_days != old->half_life_days)
		kith_score_rebase(c, c->last_event_ms == KITH_TIME_NONE ? c->score_epoch_ms : c->last_event_ms);
	bool format_changed = (s->name_format == NULL) != (old->name_format == NULL) ||
	                      (s->name_format && strcmp(s->name_format, old->name_format) != 0);
	if (s->utc_offset_min != old->utc_offset_min)
		c->day_cache_start = c->day_cache_end = 0;
	kith_settings_fini(&c->mem, old);
	*old = *s;
	c->roles = t->roles;
	if (format_changed)
		kith_members_check_names(c);
	kith_digest_forget(c); /* its size, the local day or the ledger may have changed */
	return KITH_OK;
}

kith_status kith_settings_apply(kith_community *c, const struct kith_assignment *a, size_t n,
                                size_t *failed)
{
	char why[KITH_ERROR_MAX - 64];
	struct txn t;
	memset(&t, 0, sizeof t);
	t.c = c;
	t.roles = c->roles;
	t.err = why;
	t.err_size = sizeof why;
	why[0] = '\0';
	if (!kith_settings_copy(&c->mem, &t.s, &c->settings))
		return kith_fail(c, KITH_ENOMEM, "out of memory copying the settings");
	kith_status st = KITH_OK;
	size_t i;
	for (i = 0; i < n; i++) {
		st = txn_set(&t, a[i].name, a[i].value, a[i].value_len);
		if (st != KITH_OK)
			break;
	}
	if (st == KITH_OK) {
		st = txn_commit(&t);
		if (st == KITH_OK)
			return KITH_OK;
		i = n ? n - 1 : 0;
		if (st == KITH_ENOMEM)
			snprintf(why, sizeof why, "out of memory applying the settings");
		else
			snprintf(why, sizeof why, "the rules exceed the keyword matcher's bounds");
	}
	kith_rules_txn_abort(c, t.rules);
	kith_settings_fini(&c->mem, &t.s);
	if (failed)
		*failed = i;
	if (st == KITH_ENOMEM && why[0] == '\0')
		snprintf(why, sizeof why, "out of memory");
	if (i < n && a[i].line)
		return kith_fail(c, st, "line %llu, column %llu: setting %.100s: %s",
		                 (unsigned long long)a[i].line, (unsigned long long)a[i].column, a[i].name,
		                 why);
	return kith_fail(c, st, "setting %.100s: %s", i < n ? a[i].name : "", why);
}

/* ---- the public API ------------------------------------------------------- */

kith_status kith_setting_set(kith_community *community, const char *name, const char *value,
                             size_t value_len)
{
	if (!community || !name || !value)
		return kith_fail(community, KITH_EINVAL, "kith_setting_set: NULL argument");
	struct kith_assignment a = {name, value, kith_len(value, value_len), 0, 0};
	return kith_settings_apply(community, &a, 1, NULL);
}

static void get_role_setting(const kith_community *c, uint32_t r, bool permissions, char *buf,
                             size_t size)
{
	const struct kith_role *role = &c->roles.role[r];
	if (!permissions) {
		snprintf(buf, size, "%s", role->protected_from_cleanup ? "yes" : "no");
		return;
	}
	size_t len = 0;
	buf[0] = '\0';
	for (size_t k = 0; k < sizeof permission_words / sizeof permission_words[0]; k++) {
		if (!(role->permissions & permission_words[k].bit))
			continue;
		int w = snprintf(buf + len, size - len, "%s%s", len ? ", " : "", permission_words[k].word);
		if (w > 0 && (size_t)w < size - len)
			len += (size_t)w;
	}
	if (len == 0)
		snprintf(buf, size, "none");
}

kith_status kith_setting_get(const kith_community *community, const char *name, char *buf,
                             size_t size, size_t *needed)
{
	if (!community || !name || (!buf && size))
		return KITH_EINVAL;
	/* Long enough for any setting: 64 topics of 64 bytes and separators. */
	char text[KITH_TOPICS_MAX * (KITH_TOPIC_MAX + 2) + KITH_ID_MAX + 64];
	const struct setting *d = find_static(name);
	const char *role, *key;
	size_t role_len;
	if (d) {
		d->get(&community->settings, d, text, sizeof text);
	} else if (role_setting(name, &role, &role_len, &key)) {
		uint32_t r = kith_roles_find(&community->roles, role, role_len);
		if (r == UINT32_MAX)
			return KITH_ENOTFOUND;
		get_role_setting(community, r, strcmp(key, "permissions") == 0, text, sizeof text);
	} else if (kith_rules_owns_setting(name)) {
		return kith_rules_setting_get(community, name, buf, size, needed);
	} else {
		return KITH_ENOTFOUND;
	}
	size_t len = strlen(text);
	if (needed)
		*needed = len;
	if (size) {
		size_t k = len < size - 1 ? len : size - 1;
		memcpy(buf, text, k);
		buf[k] = '\0';
	}
	return KITH_OK;
}

size_t kith_setting_count(const kith_community *community)
{
	return community ? STATIC_COUNT + kith_rules_setting_count() + 2 * (size_t)community->roles.count
	                 : 0;
}

kith_status kith_setting_describe(const kith_community *community, size_t i, const char **name,
                                  kith_setting_type *type, double *min, double *max)
{
	if (!community)
		return KITH_EINVAL;
	if (i >= kith_setting_count(community))
		return KITH_ENOTFOUND;
	const char *nm;
	kith_setting_type ty;
	double lo = 0, hi = 0;
	if (i < STATIC_COUNT) {
		const struct setting *d = &settings_table[i];
		nm = d->name;
		ty = d->type;
		lo = d->min;
		hi = d->max;
	} else if (i < STATIC_COUNT + kith_rules_setting_count()) {
		kith_rules_setting_describe(i - STATIC_COUNT, &nm, &ty, &lo, &hi);
	} else {
		size_t k = i - STATIC_COUNT - kith_rules_setting_count();
		const struct kith_role *role = &community->roles.role[k / 2];
		if (k % 2 == 0) {
			nm = role->setting_permissions;
			ty = KITH_SETTING_LIST;
			hi = 4;
		} else {
			nm = role->setting_protected;
			ty = KITH_SETTING_BOOLEAN;
			hi = 1;
		}
	}
	if (name)
		*name = nm;
	if (type)
		*type = ty;
	if (min)
		*min = lo;
	if (max)
		*max = hi;
	return KITH_OK;
}

const char *kith_kind_name(uint32_t kind)
{
	return kind < KITH_KIND_COUNT ? kind_names[kind] : NULL;
}

uint32_t kith_kind_from_name(const char *name, size_t n)
{
	for (uint32_t k = 0; k < KITH_KIND_COUNT; k++)
		if (strlen(kind_names[k]) == n && memcmp(kind_names[k], name, n) == 0)
			return k;
	return UINT32_MAX;
}

/* ---- generic settings, for snapshots -------------------------------------- */

size_t kith_settings_generic_next(size_t pos, const char **name)
{
	for (; pos < STATIC_COUNT; pos++)
		if (settings_table[pos].generic) {
			*name = settings_table[pos].name;
			return pos;
		}
	return SIZE_MAX;
}

size_t kith_settings_generic_find(const char *name, size_t from)
{
	for (size_t pos = from; pos < STATIC_COUNT; pos++)
		if (settings_table[pos].generic && strcmp(settings_table[pos].name, name) == 0)
			return pos;
	return SIZE_MAX;
}

void kith_settings_generic_get(const struct kith_settings *s, size_t pos, char *buf, size_t size)
{
	const struct setting *d = &settings_table[pos];
	d->get(s, d, buf, size);
}

kith_status kith_settings_generic_set(struct kith_settings *s, size_t pos, const char *value,
                                      size_t n, char *err, size_t err_size)
{
	const struct setting *d = &settings_table[pos];
	struct txn t;
	memset(&t, 0, sizeof t);
	t.s = *s;
	t.err = err;
	t.err_size = err_size;
	kith_status st = d->set(&t, d, value, n);
	if (st != KITH_OK)
		return st;
	/* Snapshots hold canonical text only, so that loading and saving
	 * again gives the same bytes. */
	char canon[256];
	d->get(&t.s, d, canon, sizeof canon);
	if (strlen(canon) != n || memcmp(canon, value, n) != 0) {
		snprintf(err, err_size, "value is not in canonical form (%.100s)", canon);
		return KITH_EINVAL;
	}
	*s = t.s;
	return KITH_OK;
}
