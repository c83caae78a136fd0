/*
 * The settings registry: every knob of the model, the roles and the
 * engines as a named value, set and read as text with typed validation
 * and bounds. The engines' settings come from their tables
 * (model/engine.h); nothing here names an engine. The charter
 * (io/charter.c) and the key/value API both come through
 * kith_settings_apply, which applies a batch of assignments all or
 * nothing: each one is applied to a copy of the settings and roles, and
 * only a batch that fully succeeds replaces them and updates what
 * depends on them in the model.
 *
 * SPDX-License-Identifier: MIT
 */
#include "model/registry.h"

#include "model/community.h"
#include "model/engine.h"
#include "model/ledger.h"
#include "model/names.h"
#include "model/roles.h"
#include "model/settings.h"
#include "model/value.h"
#include "util/bytes.h"
#include "util/lex.h"
#include "util/memory.h"
#include "util/regex-bound.h"
#include "util/text.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the table of settings ---------------------------------------------- */

/* A pending change: the settings and roles as they will be. */
struct txn {
	kith_community *c;
	struct kith_settings s;
	struct kith_roles roles;
	/* Per engine of the community's set: its pending own change (NULL:
	 * none) and its pending block of plain settings (NULL: unchanged). */
	void *engine_txn[KITH_ENGINES_MAX];
	void *plain[KITH_ENGINES_MAX];
	void *target;    /* the struct a plain setter writes into */
	char *err;       /* where a setter writes its reason */
	size_t err_size;
};

struct setting;
typedef kith_status (*setter_fn)(struct txn *t, const struct setting *d, const char *v, size_t n);
typedef void (*getter_fn)(const void *s, const struct setting *d, char *buf, size_t size);

struct setting {
	const char *name;
	kith_setting_type type;
	double min, max;
	size_t offset; /* of the field in struct kith_settings, or in an engine's block */
	setter_fn set;
	getter_fn get;
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
	memcpy((char *)t->target + d->offset, &x, sizeof x);
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
	memcpy((char *)t->target + d->offset, &u, sizeof u);
	return KITH_OK;
}

/* community.name: a text setting whose value is allocated (settings.h). */
static kith_status set_name(struct txn *t, const struct setting *d, const char *v, size_t n)
{
	kith_lex_trim(&v, &n);
	if ((double)n > d->max)
		return reason(t, KITH_ERANGE, "'%s' is longer than %.0f bytes", v, n, d->max, 0);
	if (memchr(v, '\0', n))
		return reason(t, KITH_EINVAL, "'%s' holds a NUL byte", v, n, 0, 0);
	return kith_settings_set_name(&t->c->mem, &t->s, v, n) ? KITH_OK : KITH_ENOMEM;
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
	if (!kith_settings_set_topics(&t->c->mem, s, (const char(*)[KITH_TOPIC_MAX + 1])topics, count))
		return KITH_ENOMEM;
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
		pattern = kith_mem_strdup(mem, v, n);
		if (!pattern)
			return KITH_ENOMEM;
		int rc = kith_name_format_compile(&re, pattern);
		if (rc != 0) {
			char why[128];
			regerror(rc, &re, why, sizeof why);
			snprintf(t->err, t->err_size, "'%.80s' is not a valid extended regular expression: %s",
			         pattern, why);
			kith_mem_free(mem, pattern, n + 1);
			return rc == REG_ESPACE ? KITH_ENOMEM : KITH_EINVAL;
		}
	}
	if (t->s.name_format) {
		regfree(&t->s.name_regex);
		kith_mem_free(mem, t->s.name_format, strlen(t->s.name_format) + 1);
	}
	t->s.name_format = pattern;
	if (pattern)
		t->s.name_regex = re;
	return KITH_OK;
}

/* A duration (util/lex.h has the syntax), stored in ms. */
static kith_status set_duration(struct txn *t, const struct setting *d, const char *v, size_t n)
{
	kith_lex_trim(&v, &n);
	int64_t value;
	kith_status st = kith_lex_duration(v, n, &value);
	if (st == KITH_EINVAL)
		return reason(t, KITH_EINVAL, "'%s' is not a duration like 12 h (units ms, s, min, h, d, w)",
		              v, n, 0, 0);
	if (st != KITH_OK || (double)value < d->min || (double)value > d->max)
		return reason(t, KITH_ERANGE, "'%s' is out of range %.0f .. %.0f ms", v, n, d->min, d->max);
	memcpy((char *)t->target + d->offset, &value, sizeof value);
	return KITH_OK;
}

static kith_status parse_bool(struct txn *t, const char *v, size_t n, bool *out);

static kith_status set_boolean(struct txn *t, const struct setting *d, const char *v, size_t n)
{
	bool b;
	kith_status st = parse_bool(t, v, n, &b);
	if (st == KITH_OK) {
		uint32_t u = b;
		memcpy((char *)t->target + d->offset, &u, sizeof u);
	}
	return st;
}

/* A time of day "HH:MM", stored as minutes after local midnight. */
static kith_status set_time_of_day(struct txn *t, const struct setting *d, const char *v, size_t n)
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
	memcpy((char *)t->target + d->offset, &minutes, sizeof minutes);
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

static void get_number(const void *s, const struct setting *d, char *buf, size_t size)
{
	double x;
	memcpy(&x, (const char *)s + d->offset, sizeof x);
	fmt_number(x, buf, size);
}

static void get_integer(const void *s, const struct setting *d, char *buf, size_t size)
{
	uint32_t x;
	memcpy(&x, (const char *)s + d->offset, sizeof x);
	snprintf(buf, size, "%u", (unsigned)x);
}

static void get_duration(const void *s, const struct setting *d, char *buf, size_t size)
{
	int64_t ms;
	memcpy(&ms, (const char *)s + d->offset, sizeof ms);
	struct kith_text o;
	kith_text_init(&o, buf, size);
	kith_text_duration_exact(&o, ms);
	kith_text_finish(&o, NULL);
}

static void get_boolean(const void *s, const struct setting *d, char *buf, size_t size)
{
	uint32_t u;
	memcpy(&u, (const char *)s + d->offset, sizeof u);
	snprintf(buf, size, "%s", u ? "yes" : "no");
}

static void get_time_of_day(const void *s, const struct setting *d, char *buf, size_t size)
{
	uint32_t m;
	memcpy(&m, (const char *)s + d->offset, sizeof m);
	snprintf(buf, size, "%02u:%02u", (unsigned)(m / 60), (unsigned)(m % 60));
}

static void get_name(const void *base, const struct setting *d, char *buf, size_t size)
{
	(void)d;
	const struct kith_settings *s = base;
	snprintf(buf, size, "%s", s->name);
}

static void get_topics(const void *base, const struct setting *d, char *buf, size_t size)
{
	(void)d;
	const struct kith_settings *s = base;
	size_t len = 0;
	buf[0] = '\0';
	for (uint32_t i = 0; i < s->topic_count; i++) {
		int w = snprintf(buf + len, size - len, "%s%s", i ? ", " : "", s->topics[i]);
		if (w < 0 || (size_t)w >= size - len)
			return;
		len += (size_t)w;
	}
}

static void get_utc_offset(const void *base, const struct setting *d, char *buf, size_t size)
{
	(void)d;
	const struct kith_settings *s = base;
	int m = s->utc_offset_min;
	snprintf(buf, size, "%c%02d:%02d", m < 0 ? '-' : '+', abs(m) / 60, abs(m) % 60);
}

static void get_regex(const void *base, const struct setting *d, char *buf, size_t size)
{
	(void)d;
	const struct kith_settings *s = base;
	snprintf(buf, size, "%s", s->name_format ? s->name_format : "");
}

#define NUMBER(n, f, lo, hi) {n, KITH_SETTING_NUMBER, lo, hi, FIELD(f), set_number, get_number}
#define INTEGER(n, f, lo, hi) {n, KITH_SETTING_INTEGER, lo, hi, FIELD(f), set_integer, get_integer}
static const struct setting settings_table[] = {
	{"community.name", KITH_SETTING_TEXT, 0, KITH_COMMUNITY_NAME_MAX, 0, set_name, get_name},
	{"community.topics", KITH_SETTING_LIST, 0, KITH_TOPICS_MAX, 0, set_topics, get_topics},
	{"community.utc_offset", KITH_SETTING_UTC_OFFSET, -840, 840, 0, set_utc_offset, get_utc_offset},
	INTEGER("community.capacity", capacity, 0, KITH_MEMBERS_MAX),
	{"community.name_format", KITH_SETTING_REGEX, 0, KITH_ID_MAX, 0, set_regex, get_regex},
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
	INTEGER("ledger.capacity", ledger_capacity, 16, KITH_LEDGER_MAX),
	INTEGER("digest.size", digest_size, 1, 100),
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
		r = kith_roles_add(&t->c->mem, &t->roles, role, role_len);
		if (r == UINT32_MAX)
			return KITH_ENOMEM;
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

/* ---- engine settings -------------------------------------------------------- */

/* The setter and getter of a plain engine setting, by its type. */
static struct setting plain_setting(const struct kith_engine_setting *es)
{
	struct setting d = {es->name, es->type, es->min, es->max, es->offset, NULL, NULL};
	switch (es->type) {
	case KITH_SETTING_NUMBER:
		d.set = set_number;
		d.get = get_number;
		break;
	case KITH_SETTING_DURATION:
		d.set = set_duration;
		d.get = get_duration;
		break;
	case KITH_SETTING_BOOLEAN:
		d.set = set_boolean;
		d.get = get_boolean;
		break;
	case KITH_SETTING_TIME_OF_DAY:
		d.set = set_time_of_day;
		d.get = get_time_of_day;
		break;
	default: /* KITH_SETTING_INTEGER */
		d.set = set_integer;
		d.get = get_integer;
		break;
	}
	return d;
}

static bool is_plain(const struct kith_engine_setting *es)
{
	return es->offset != KITH_ENGINE_OWN;
}

/* The entry of an engine's table named name, or NULL. */
static const struct kith_engine_setting *engine_setting_find(const struct kith_engine *e,
                                                             const char *name)
{
	for (size_t k = 0; k < e->setting_count; k++)
		if (strcmp(e->settings[k].name, name) == 0)
			return &e->settings[k];
	return NULL;
}

/* The pending block of engine i's plain settings, made on first use from
 * the block in force. */
static void *txn_plain(struct txn *t, size_t i)
{
	if (t->plain[i])
		return t->plain[i];
	const struct kith_engine *e = t->c->engines->engine[i];
	void *block = kith_mem_alloc(&t->c->mem, e->settings_size);
	if (block)
		memcpy(block, kith_engine_settings(t->c, e->id), e->settings_size);
	t->plain[i] = block;
	return block;
}

/* Apply one assignment to an engine's settings; KITH_ENOTFOUND (with no
 * reason written) when no engine has the name. */
static kith_status txn_set_engine(struct txn *t, const char *name, const char *v, size_t n)
{
	const struct kith_engine_set *set = t->c->engines;
	for (size_t i = 0; i < set->count; i++) {
		const struct kith_engine *e = set->engine[i];
		const struct kith_engine_setting *es = engine_setting_find(e, name);
		if (es && is_plain(es)) {
			struct setting d = plain_setting(es);
			t->target = txn_plain(t, i);
			if (!t->target) {
				snprintf(t->err, t->err_size, "out of memory");
				return KITH_ENOMEM;
			}
			return d.set(t, &d, v, n);
		}
		if ((es || (e->owns && e->owns(name))) && e->txn_set)
			return e->txn_set(t->c, &t->engine_txn[i], &t->roles, name, v, n, t->err,
			                  t->err_size);
	}
	return KITH_ENOTFOUND;
}

/* Install a pending block of plain settings (cannot fail): a block equal
 * to the defaults is freed, so that a community pays for what is set. */
static void plain_install(kith_community *c, size_t i, void *block)
{
	const struct kith_engine *e = c->engines->engine[i];
	if (block && memcmp(block, e->settings_defaults, e->settings_size) == 0) {
		kith_mem_free(&c->mem, block, e->settings_size);
		block = NULL;
	}
	kith_mem_free(&c->mem, c->engine_settings[i], e->settings_size);
	c->engine_settings[i] = block;
}

/* Drop a pending change of the engines' settings. */
static void txn_engines_abort(struct txn *t)
{
	const struct kith_engine_set *set = t->c->engines;
	for (size_t i = 0; i < set->count; i++) {
		const struct kith_engine *e = set->engine[i];
		if (t->engine_txn[i])
			e->txn_abort(t->c, t->engine_txn[i]);
		t->engine_txn[i] = NULL;
		kith_mem_free(&t->c->mem, t->plain[i], e->settings_size);
		t->plain[i] = NULL;
	}
}

/* Apply one assignment to the pending change. */
static kith_status txn_set(struct txn *t, const char *name, const char *v, size_t n)
{
	const struct setting *d = find_static(name);
	if (d) {
		t->target = &t->s;
		return d->set(t, d, v, n);
	}
	const char *role, *key;
	size_t role_len;
	if (role_setting(name, &role, &role_len, &key))
		return set_role_setting(t, role, role_len, key, v, n);
	kith_status st = txn_set_engine(t, name, v, n);
	if (st == KITH_ENOTFOUND && t->err[0] == '\0')
		snprintf(t->err, t->err_size, "no such setting");
	return st;
}

/* Bring the model in line with the new settings. Allocations are made
 * before anything changes, so on failure nothing has. */
static kith_status txn_commit(struct txn *t)
{
	kith_community *c = t->c;
	const struct kith_engine_set *set = c->engines;
	struct kith_settings *old = &c->settings, *s = &t->s;
	for (size_t i = 0; i < set->count; i++) {
		if (!t->engine_txn[i])
			continue;
		kith_status st = set->engine[i]->txn_prepare(c, t->engine_txn[i], &t->roles, t->err,
		                                             t->err_size);
		if (st != KITH_OK)
			return st;
	}
	if (s->ledger_capacity != old->ledger_capacity &&
	    !kith_ledger_resize(&c->mem, &c->ledger, s->ledger_capacity))
		return KITH_ENOMEM;
	for (size_t i = 0; i < set->count; i++) {
		if (t->engine_txn[i])
			set->engine[i]->txn_commit(c, t->engine_txn[i]);
		t->engine_txn[i] = NULL;
		if (t->plain[i])
			plain_install(c, i, t->plain[i]);
		t->plain[i] = NULL;
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
		why[0] = '\0';
		st = txn_commit(&t);
		if (st == KITH_OK)
			return KITH_OK;
		/* A check of the whole change fails at the last assignment. */
		i = n ? n - 1 : 0;
		if (st == KITH_ENOMEM)
			snprintf(why, sizeof why, "out of memory applying the settings");
		else if (why[0] == '\0')
			snprintf(why, sizeof why, "the change is not valid as a whole");
	}
	txn_engines_abort(&t);
	kith_roles_release(&c->mem, &t.roles, c->roles.count);
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

/* The lookups compare C strings, so a name given with a length is copied
 * into one. No setting's name comes near the buffer (rule.NAME.KEY, the
 * longest, is under 100 bytes), and a name holding a NUL names none: both
 * are unknown names. */
#define SETTING_NAME_BUF 256
static bool setting_name_z(const char *name, size_t name_len, char out[SETTING_NAME_BUF])
{
	size_t n = kith_len(name, name_len);
	if (n >= SETTING_NAME_BUF || memchr(name, '\0', n))
		return false;
	memcpy(out, name, n);
	out[n] = '\0';
	return true;
}

kith_status kith_setting_set(kith_community *community, const char *name, size_t name_len,
                             const char *value, size_t value_len)
{
	if (!community || !name || !value)
		return kith_fail(community, KITH_EINVAL, "kith_setting_set: NULL argument");
	char name_z[SETTING_NAME_BUF];
	if (!setting_name_z(name, name_len, name_z)) {
		size_t n = kith_len(name, name_len);
		return kith_fail(community, KITH_ENOTFOUND, "setting %.*s: no such setting",
		                 (int)(n < 100 ? n : 100), name);
	}
	struct kith_assignment a = {name_z, value, kith_len(value, value_len), 0, 0};
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

/* Read an engine's setting into text; KITH_ENOTFOUND when no engine has
 * it. *own is set when the engine itself answered (into buf/size). */
static kith_status get_engine_setting(const kith_community *c, const char *name, char *text,
                                      size_t text_size, char *buf, size_t size, size_t *needed,
                                      bool *own)
{
	const struct kith_engine_set *set = c->engines;
	*own = false;
	for (size_t i = 0; i < set->count; i++) {
		const struct kith_engine *e = set->engine[i];
		const struct kith_engine_setting *es = engine_setting_find(e, name);
		if (es && is_plain(es)) {
			struct setting d = plain_setting(es);
			d.get(kith_engine_settings(c, e->id), &d, text, text_size);
			return KITH_OK;
		}
		if ((es || (e->owns && e->owns(name))) && e->setting_get) {
			*own = true;
			return e->setting_get(c, name, buf, size, needed);
		}
	}
	return KITH_ENOTFOUND;
}

kith_status kith_setting_get(const kith_community *community, const char *name, size_t name_len,
                             char *buf, size_t size, size_t *needed)
{
	if (!community || !name || (!buf && size))
		return KITH_EINVAL;
	char name_z[SETTING_NAME_BUF];
	if (!setting_name_z(name, name_len, name_z))
		return KITH_ENOTFOUND;
	name = name_z;
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
	} else {
		bool own;
		kith_status st =
		    get_engine_setting(community, name, text, sizeof text, buf, size, needed, &own);
		if (st != KITH_OK || own)
			return st;
	}
	struct kith_text o;
	kith_text_init(&o, buf, size);
	kith_text_puts(&o, text);
	kith_text_finish(&o, needed);
	return KITH_OK;
}

static size_t engine_setting_count(const kith_community *c)
{
	size_t n = 0;
	for (size_t i = 0; i < c->engines->count; i++)
		n += c->engines->engine[i]->setting_count;
	return n;
}

size_t kith_setting_count(const kith_community *community)
{
	return community ? STATIC_COUNT + engine_setting_count(community) +
	                       2 * (size_t)community->roles.count
	                 : 0;
}

kith_status kith_setting_describe(const kith_community *community, size_t i, const char **name,
                                  kith_setting_type *type, double *min, double *max)
{
	if (!community)
		return KITH_EINVAL;
	if (i >= kith_setting_count(community))
		return KITH_ENOTFOUND;
	const char *nm = NULL;
	kith_setting_type ty = KITH_SETTING_NUMBER;
	double lo = 0, hi = 0;
	size_t engines = engine_setting_count(community);
	if (i < STATIC_COUNT) {
		const struct setting *d = &settings_table[i];
		nm = d->name;
		ty = d->type;
		lo = d->min;
		hi = d->max;
	} else if (i < STATIC_COUNT + engines) {
		size_t k = i - STATIC_COUNT;
		const struct kith_engine_set *set = community->engines;
		for (size_t e = 0; e < set->count; e++) {
			if (k < set->engine[e]->setting_count) {
				const struct kith_engine_setting *es = &set->engine[e]->settings[k];
				nm = es->name;
				ty = es->type;
				lo = es->min;
				hi = es->max;
				break;
			}
			k -= set->engine[e]->setting_count;
		}
	} else {
		size_t k = i - STATIC_COUNT - engines;
		const struct kith_role *role = &community->roles.role[k / 2];
		if (k % 2 == 0) {
			nm = kith_role_setting_permissions(role);
			ty = KITH_SETTING_LIST;
			hi = 4;
		} else {
			nm = kith_role_setting_protected(role);
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

/* ---- plain engine settings, for snapshots ----------------------------------- */

/* Positions run over every engine's table in order; only plain settings
 * have one that the functions below return. */
static const struct kith_engine_setting *plain_at(const struct kith_engine_set *set, size_t pos,
                                                  size_t *engine)
{
	*engine = 0;
	for (size_t i = 0; i < set->count; i++) {
		if (pos < set->engine[i]->setting_count) {
			*engine = i;
			return &set->engine[i]->settings[pos];
		}
		pos -= set->engine[i]->setting_count;
	}
	return NULL;
}

size_t kith_plain_next(const struct kith_engine_set *set, size_t pos, const char **name)
{
	size_t engine;
	for (const struct kith_engine_setting *es; (es = plain_at(set, pos, &engine)) != NULL; pos++)
		if (is_plain(es)) {
			*name = es->name;
			return pos;
		}
	return SIZE_MAX;
}

size_t kith_plain_find(const struct kith_engine_set *set, const char *name, size_t from)
{
	const char *nm;
	for (size_t pos = kith_plain_next(set, from, &nm); pos != SIZE_MAX;
	     pos = kith_plain_next(set, pos + 1, &nm))
		if (strcmp(nm, name) == 0)
			return pos;
	return SIZE_MAX;
}

void kith_plain_get(const struct kith_engine_set *set, void *const blocks[], size_t pos, char *buf,
                    size_t size)
{
	size_t i = 0;
	const struct kith_engine_setting *es = plain_at(set, pos, &i);
	struct setting d = plain_setting(es);
	d.get(blocks[i] ? blocks[i] : set->engine[i]->settings_defaults, &d, buf, size);
}

kith_status kith_plain_set(const struct kith_mem *mem, const struct kith_engine_set *set,
                           void *blocks[], size_t pos, const char *value, size_t n, char *err,
                           size_t err_size)
{
	size_t i = 0;
	const struct kith_engine_setting *es = plain_at(set, pos, &i);
	const struct kith_engine *e = set->engine[i];
	struct setting d = plain_setting(es);
	void *scratch = kith_mem_alloc(mem, e->settings_size);
	if (!scratch) {
		snprintf(err, err_size, "out of memory");
		return KITH_ENOMEM;
	}
	memcpy(scratch, blocks[i] ? blocks[i] : e->settings_defaults, e->settings_size);
	struct txn t;
	memset(&t, 0, sizeof t);
	t.target = scratch;
	t.err = err;
	t.err_size = err_size;
	kith_status st = d.set(&t, &d, value, n);
	/* Snapshots hold canonical text only, so that loading and saving
	 * again gives the same bytes. */
	char canon[256];
	if (st == KITH_OK) {
		d.get(scratch, &d, canon, sizeof canon);
		if (strlen(canon) != n || memcmp(canon, value, n) != 0) {
			snprintf(err, err_size, "value is not in canonical form (%.100s)", canon);
			st = KITH_EINVAL;
		}
	}
	if (st != KITH_OK) {
		kith_mem_free(mem, scratch, e->settings_size);
		return st;
	}
	kith_mem_free(mem, blocks[i], e->settings_size);
	blocks[i] = scratch;
	return KITH_OK;
}

void kith_plain_install(kith_community *c, void *blocks[])
{
	for (size_t i = 0; i < c->engines->count; i++) {
		plain_install(c, i, blocks[i]);
		blocks[i] = NULL;
	}
}

void kith_plain_discard(const struct kith_mem *mem, const struct kith_engine_set *set,
                        void *blocks[])
{
	for (size_t i = 0; i < set->count; i++) {
		kith_mem_free(mem, blocks[i], set->engine[i]->settings_size);
		blocks[i] = NULL;
	}
}
