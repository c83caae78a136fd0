/*
 * The rules engine: rule definitions, their evaluation at ingest and the
 * ladder of graded enforcement (include/kith/rules.h).
 *
 * SPDX-License-Identifier: MIT
 *
 * Definitions are kept as text (the canonical value of each key), like
 * settings, and compiled into a rule set in one go: a change made through
 * kith_rule_set, kith_setting_set or a charter goes into a transaction
 * that copies the definitions, validates each value as it is set, and
 * compiles the whole set before anything changes; the commit only swaps
 * pointers. So a rule set is immutable while it is in use, and the one
 * keyword automaton (keywords.c) serves every rule: keyword lists, the
 * literals required by each regular expression (regexec runs only when
 * its literal occurs, or always when none could be extracted) and the
 * link markers share one pass over the text.
 *
 * At ingest the engine evaluates the event before the model changes
 * (kith_rules_evaluate), reserving all it needs and rendering the
 * verdicts into the list not on show; after the model is applied,
 * kith_rules_commit swaps the lists and records the effects (violation
 * counts, flood and repeat state). A failed ingest therefore changes
 * nothing, not even the verdicts on show.
 *
 * Bounds: at most KITH_RULES_MAX rules, KITH_RULE_ACTIONS_MAX actions per
 * rule and KITH_LADDER_MAX ladder steps; flood "N messages in T" takes
 * N <= KITH_FLOOD_MAX. Flood and repeat state is a sparse table with one
 * fixed record (FLOOD_RING times) per member who posted within the
 * horizon (the longest flood window, and at least a day for repeats);
 * older records are dropped when the table would grow, so it holds at
 * most about twice the members active within the horizon.
 */
#include "engines/rules/rules.h"
#include "util/lex.h"

#include "engines/rules/keywords.h"
#include "model/community.h"
#include "model/members.h"
#include "model/names.h"
#include "model/roles.h"
#include "model/settings.h"
#include "model/value.h"
#include "util/bytes.h"
#include "util/hash.h"
#include "util/memory.h"
#include "util/regex-bound.h"
#include "util/time.h"

#include <inttypes.h>
#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const char *const key_names[KEY_COUNT] = {
	"keywords",         "regex",      "kinds",           "flood",      "repeats",
	"links_need_permission", "invite_needs_permission", "name_format_deadline",
	"off_topic",        "new_member_hours", "first_message_link", "unless_role", "action",
};

static const char *const tmpl_names[TMPL_COUNT] = {"welcome", "warning", "reminder", "ultimatum",
                                                   "reward"};

static const char *const tmpl_defaults[TMPL_COUNT] = {
	"Welcome {member} to {community}! Please read the rules and introduce yourself.",
	"{member}, this breaks the rule {rule}.",
	"{member}, a reminder of the rules of {community}: {rule}.",
	"{member}, please set your display name as the rules ask by {deadline}, or you will be removed.",
	"Thank you {member} for reporting a violation of {rule}.",
};

static const char *const action_names[] = {
	NULL, "log", "warn", "delete", "mute", "kick", "ban", "notify", "welcome", "remind", "reward",
};

const struct kith_engine_id kith_rules_id = {"rules"};

/* ---- small parsers ---------------------------------------------------------- */

static kith_status fail(char *err, size_t size, kith_status st, const char *fmt, const char *v,
                        size_t n)
{
	char shown[72];
	size_t k = n < 64 ? n : 64;
	memcpy(shown, v, k);
	strcpy(shown + k, n > k ? "..." : "");
	snprintf(err, size, fmt, shown);
	return st;
}

static bool parse_uint(const char *v, size_t n, uint64_t max, uint64_t *out)
{
	uint64_t x = 0;
	if (n == 0 || n > 19)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return false;
		x = x * 10 + (uint64_t)(v[i] - '0');
	}
	if (x > max)
		return false;
	*out = x;
	return true;
}

/* A duration (util/lex.h has the syntax) that is positive and at most
 * 3660 days: what a rule, a mute or forgive_after may last. */
static bool parse_duration(const char *v, size_t n, int64_t *out)
{
	int64_t ms;
	if (kith_lex_duration(v, n, &ms) != KITH_OK || ms <= 0 || ms > INT64_C(3660) * KITH_MS_PER_DAY)
		return false;
	*out = ms;
	return true;
}

/* One action, e.g. "mute 12 h". */
static kith_status parse_action(const char *v, size_t n, struct action *a, char *err, size_t es)
{
	size_t w = 0;
	while (w < n && v[w] != ' ' && v[w] != '\t')
		w++;
	a->type = 0;
	a->mute_ms = 0;
	for (uint32_t i = 1; i <= ACTION_LAST; i++)
		if (kith_lex_word(v, w, action_names[i]))
			a->type = i;
	if (!a->type)
		return fail(err, es, KITH_EINVAL,
		            "unknown action '%s': expected log, warn, delete, mute DURATION, kick, ban, "
		            "notify, welcome, remind or reward",
		            v, n);
	if (a->type == KITH_ACTION_MUTE) {
		if (!parse_duration(v + w, n - w, &a->mute_ms))
			return fail(err, es, KITH_EINVAL, "'%s': mute needs a duration like mute 12 h", v, n);
	} else if (w < n) {
		return fail(err, es, KITH_EINVAL, "unexpected text after the action in '%s'", v, n);
	}
	return KITH_OK;
}

static kith_status parse_actions(const char *v, size_t n, struct action *out, uint32_t max,
                                 uint32_t *count, char *err, size_t es)
{
	const char *item;
	size_t in, at = 0;
	*count = 0;
	kith_lex_trim(&v, &n);
	if (n == 0)
		return KITH_OK;
	while (kith_lex_item(v, n, &at, &item, &in)) {
		if (in == 0)
			return fail(err, es, KITH_EINVAL, "empty item in the action list '%s'", v, n);
		if (*count == max) {
			snprintf(err, es, "more than %u actions", (unsigned)max);
			return KITH_ERANGE;
		}
		kith_status st = parse_action(item, in, &out[*count], err, es);
		if (st != KITH_OK)
			return st;
		(*count)++;
	}
	return KITH_OK;
}

/* "6 messages in 10 s" (the word "messages" may be left out). */
static bool parse_flood(const char *v, size_t n, uint32_t *count, int64_t *ms)
{
	kith_lex_trim(&v, &n);
	size_t k = 0;
	while (k < n && v[k] >= '0' && v[k] <= '9')
		k++;
	uint64_t x;
	if (!parse_uint(v, k, KITH_FLOOD_MAX, &x) || x < 2)
		return false;
	const char *r = v + k;
	size_t rn = n - k;
	kith_lex_trim(&r, &rn);
	for (int pass = 0; pass < 2; pass++) {
		size_t w = 0;
		while (w < rn && r[w] != ' ' && r[w] != '\t')
			w++;
		if (pass == 0 && (kith_lex_word(r, w, "messages") || kith_lex_word(r, w, "message") || kith_lex_word(r, w, "msgs"))) {
			r += w;
			rn -= w;
			kith_lex_trim(&r, &rn);
			continue;
		}
		if (!kith_lex_word(r, w, "in"))
			return false;
		r += w;
		rn -= w;
		break;
	}
	*count = (uint32_t)x;
	return parse_duration(r, rn, ms);
}

/* ---- definitions ------------------------------------------------------------ */

static char *dup_text(const struct kith_mem *mem, const char *s, size_t n)
{
	char *d = kith_mem_alloc(mem, n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

static void free_text(const struct kith_mem *mem, char *s)
{
	if (s)
		kith_mem_free(mem, s, strlen(s) + 1);
}

static void defs_fini(const struct kith_mem *mem, struct defs *d)
{
	for (size_t i = 0; i < d->count; i++)
		for (int k = 0; k < KEY_COUNT; k++)
			free_text(mem, d->rule[i].value[k]);
	if (d->rule)
		kith_mem_free(mem, d->rule, KITH_RULES_MAX * sizeof *d->rule);
	free_text(mem, d->ladder);
	free_text(mem, d->forgive);
	for (int k = 0; k < TMPL_COUNT; k++)
		free_text(mem, d->tmpl[k]);
	memset(d, 0, sizeof *d);
}

static bool copy_text(const struct kith_mem *mem, char **dst, const char *src)
{
	*dst = NULL;
	if (!src)
		return true;
	*dst = dup_text(mem, src, strlen(src));
	return *dst != NULL;
}

/* Deep copy; the rule array always has room for KITH_RULES_MAX rules. */
bool kith_rules_defs_copy(const struct kith_mem *mem, struct defs *dst, const struct defs *src)
{
	memset(dst, 0, sizeof *dst);
	dst->rule = kith_mem_calloc(mem, KITH_RULES_MAX, sizeof *dst->rule);
	if (!dst->rule)
		return false;
	bool ok = true;
	if (src) {
		for (size_t i = 0; i < src->count; i++) {
			memcpy(dst->rule[i].name, src->rule[i].name, sizeof dst->rule[i].name);
			dst->count = i + 1;
			for (int k = 0; k < KEY_COUNT; k++)
				ok &= copy_text(mem, &dst->rule[i].value[k], src->rule[i].value[k]);
		}
		ok &= copy_text(mem, &dst->ladder, src->ladder);
		ok &= copy_text(mem, &dst->forgive, src->forgive);
		for (int k = 0; k < TMPL_COUNT; k++)
			ok &= copy_text(mem, &dst->tmpl[k], src->tmpl[k]);
	}
	if (!ok)
		defs_fini(mem, dst);
	return ok;
}

struct rule_def *kith_rules_defs_find(const struct defs *d, const char *name, size_t n)
{
	for (size_t i = 0; i < d->count; i++)
		if (kith_lex_equal_nocase(d->rule[i].name, strlen(d->rule[i].name), name, n))
			return &d->rule[i];
	return NULL;
}

/* ---- compiling -------------------------------------------------------------- */

/* The longest run of plain characters that every match of an extended
 * regular expression must contain, or 0 when none can be proved: any
 * top-level alternation gives up, and a character made optional by ?, *
 * or {..} is not required. Groups, brackets, anchors and '.' end a run. */
static size_t regex_literal(const char *re, char *out, size_t max)
{
	size_t best = 0, cur = 0;
	char run[KITH_KW_PATTERN_MAX];
	int depth = 0;
	for (const char *p = re; *p; p++)
		if (*p == '\\' && p[1])
			p++;
		else if (*p == '[')
			for (p++, p += *p == '^', p += *p == ']'; *p && *p != ']'; p++)
				;
		else if (*p == '(')
			depth++;
		else if (*p == ')')
			depth--;
		else if (*p == '|' && depth == 0)
			return 0;
		else if (!*p)
			break;
	for (const char *p = re; *p;) {
		char ch = *p;
		bool literal = false;
		char lit = 0;
		size_t adv = 1;
		if (ch == '\\') {
			if (p[1] && !(p[1] >= 'a' && p[1] <= 'z') && !(p[1] >= 'A' && p[1] <= 'Z') &&
			    !(p[1] >= '0' && p[1] <= '9')) {
				literal = true;
				lit = p[1];
			}
			adv = p[1] ? 2 : 1;
		} else if (ch == '[' ) {
			const char *q = p + 1;
			q += *q == '^';
			q += *q == ']';
			while (*q && *q != ']')
				q++;
			adv = (size_t)(q - p) + (*q ? 1 : 0);
		} else if (ch == '(') {
			int d = 0;
			const char *q = p;
			for (; *q; q++) {
				if (*q == '\\' && q[1]) {
					q++;
					continue;
				}
				if (*q == '(')
					d++;
				else if (*q == ')' && --d == 0)
					break;
			}
			adv = (size_t)(q - p) + (*q ? 1 : 0);
		} else if (ch == '{') {
			/* An interval: its digits are counts, not text. */
			const char *q = p + 1;
			while (*q && *q != '}')
				q++;
			adv = (size_t)(q - p) + (*q ? 1 : 0);
		} else if (!strchr(".^$*+?{}|)", ch)) {
			literal = true;
			lit = ch;
		}
		const char *next = p + adv;
		bool optional = *next == '?' || *next == '*' || *next == '{';
		bool ends = *next == '+';
		if (literal && !optional && cur < sizeof run) {
			run[cur++] = lit;
		} else {
			cur = 0;
		}
		if (cur > best && cur <= max) {
			best = cur;
			memcpy(out, run, cur);
		}
		if (ends || !literal || optional)
			cur = 0;
		p = next;
	}
	return best;
}

static void ruleset_free(const struct kith_mem *mem, struct ruleset *s)
{
	if (!s)
		return;
	if (s->rule) {
		for (size_t i = 0; i < s->defs.count; i++)
			if (s->rule[i].has_regex)
				regfree(&s->rule[i].re);
		kith_mem_free(mem, s->rule, (s->defs.count ? s->defs.count : 1) * sizeof *s->rule);
	}
	kith_kw_fini(mem, &s->kw);
	defs_fini(mem, &s->defs);
	kith_mem_free(mem, s, sizeof *s);
}

static uint32_t role_bits(const struct kith_roles *roles, const char *v, size_t n, bool *ok)
{
	const char *item;
	size_t in, at = 0;
	uint32_t bits = 0;
	*ok = true;
	if (kith_lex_word(v, n, "none"))
		return 0;
	while (kith_lex_item(v, n, &at, &item, &in)) {
		uint32_t r = kith_roles_find(roles, item, in);
		if (r == UINT32_MAX) {
			*ok = false;
			return 0;
		}
		bits |= 1u << r;
	}
	return bits;
}

/* Compile one rule from valid text (each value was checked when set, so
 * only memory or the matcher's bounds can fail here). */
static kith_status compile_rule(const struct rule_def *d, struct crule *r, const struct kith_roles *roles)
{
	char err[8];
	memset(r, 0, sizeof *r);
	for (int k = 0; k < KEY_COUNT; k++) {
		const char *v = d->value[k];
		if (!v)
			continue;
		size_t n = strlen(v);
		bool b = false;
		uint64_t x = 0;
		switch ((enum key)k) {
		case KEY_KEYWORDS:
			r->cond |= C_KEYWORDS;
			break;
		case KEY_REGEX:
			if (regcomp(&r->re, v, REG_EXTENDED | REG_NOSUB) != 0)
				return KITH_EINVAL;
			r->has_regex = true;
			r->cond |= C_REGEX;
			break;
		case KEY_KINDS: {
			const char *item;
			size_t in, at = 0;
			while (kith_lex_item(v, n, &at, &item, &in)) {
				uint32_t kind = kith_kind_from_name(item, in);
				if (kind < KITH_KIND_COUNT)
					r->kinds |= 1u << kind;
			}
			r->cond |= C_KINDS;
			break;
		}
		case KEY_FLOOD:
			parse_flood(v, n, &r->flood_n, &r->flood_ms);
			r->cond |= C_FLOOD;
			break;
		case KEY_REPEATS:
			parse_uint(v, n, 1000, &x);
			r->repeats = (uint32_t)x;
			r->cond |= C_REPEATS;
			break;
		case KEY_LINKS:
		case KEY_INVITE:
		case KEY_OFF_TOPIC:
		case KEY_FIRST_LINK:
			kith_lex_bool(v, n, &b);
			if (b)
				r->cond |= 1u << k;
			break;
		case KEY_NAME_DEADLINE:
			parse_duration(v, n, &r->name_deadline_ms);
			r->cond |= C_NAME;
			break;
		case KEY_NEW_MEMBER:
			parse_uint(v, n, 8760, &x);
			r->new_member_ms = (int64_t)x * 3600000;
			r->cond |= C_NEW_MEMBER;
			break;
		case KEY_UNLESS_ROLE:
			r->custom_exempt = true;
			r->exempt_roles = role_bits(roles, v, n, &b);
			break;
		case KEY_ACTION:
			parse_actions(v, n, r->act, KITH_RULE_ACTIONS_MAX, &r->nact, err, sizeof err);
			break;
		case KEY_COUNT:
			break;
		}
	}
	if (r->nact == 0) {
		r->act[0].type = KITH_ACTION_LOG;
		r->nact = 1;
	}
	bool welcome = false, reward = false;
	for (uint32_t i = 0; i < r->nact; i++) {
		uint32_t t = r->act[i].type;
		welcome |= t == KITH_ACTION_WELCOME;
		reward |= t == KITH_ACTION_REWARD;
		r->punitive |= t == KITH_ACTION_WARN || t == KITH_ACTION_DELETE || t == KITH_ACTION_MUTE ||
		               t == KITH_ACTION_KICK || t == KITH_ACTION_BAN;
	}
	if (r->cond & C_INVITE)
		r->trigger = TRIG_INVITE;
	else if (r->cond & C_MESSAGE)
		r->trigger = TRIG_MESSAGE;
	else if (welcome)
		r->trigger = TRIG_JOIN;
	else if (reward)
		r->trigger = TRIG_REPORT;
	else
		r->trigger = TRIG_NONE;
	return KITH_OK;
}

static size_t count_items(const char *v)
{
	size_t n = 1;
	for (; *v; v++)
		n += *v == ',';
	return n;
}

/* Build the one keyword automaton of a rule set. */
static kith_status build_matcher(const struct kith_mem *mem, struct ruleset *s)
{
	size_t max = 3;
	for (size_t i = 0; i < s->defs.count; i++) {
		if (s->defs.rule[i].value[KEY_KEYWORDS])
			max += count_items(s->defs.rule[i].value[KEY_KEYWORDS]);
		max += 1;
	}
	struct kith_kw_pattern *pat = kith_mem_calloc(mem, max, sizeof *pat);
	char *lits = kith_mem_alloc(mem, s->defs.count * KITH_KW_PATTERN_MAX + 1);
	if (!pat || !lits) {
		if (pat)
			kith_mem_free(mem, pat, max * sizeof *pat);
		if (lits)
			kith_mem_free(mem, lits, s->defs.count * KITH_KW_PATTERN_MAX + 1);
		return KITH_ENOMEM;
	}
	size_t np = 0;
	bool links = false;
	for (size_t i = 0; i < s->defs.count; i++) {
		const char *kw = s->defs.rule[i].value[KEY_KEYWORDS];
		if (kw) {
			const char *item;
			size_t in, at = 0;
			while (kith_lex_item(kw, strlen(kw), &at, &item, &in))
				if (in && np < max)
					pat[np++] = (struct kith_kw_pattern){item, in, (uint32_t)i};
		}
		struct crule *r = &s->rule[i];
		if (r->has_regex) {
			char *lit = lits + i * KITH_KW_PATTERN_MAX;
			size_t ln = regex_literal(s->defs.rule[i].value[KEY_REGEX], lit, KITH_KW_PATTERN_MAX);
			/* Even one required character spares most regexec calls. */
			if (ln >= 1 && np < max) {
				pat[np++] = (struct kith_kw_pattern){lit, ln, 64 + (uint32_t)i};
				r->regex_prefiltered = true;
			}
		}
		links |= (r->cond & (C_LINKS | C_FIRST_LINK)) != 0;
	}
	if (links) {
		static const char *const markers[] = {"http://", "https://", "www."};
		for (size_t k = 0; k < 3 && np < max; k++)
			pat[np++] = (struct kith_kw_pattern){markers[k], strlen(markers[k]), TAG_LINK};
	}
	kith_status st = KITH_OK;
	if (np)
		st = kith_kw_build(mem, pat, np, &s->kw);
	s->scan = np > 0;
	kith_mem_free(mem, pat, max * sizeof *pat);
	kith_mem_free(mem, lits, s->defs.count * KITH_KW_PATTERN_MAX + 1);
	return st;
}

/* Compile definitions into a new rule set, which takes them over. */
static kith_status ruleset_build(const struct kith_mem *mem, struct defs *defs,
                                 const struct kith_roles *roles, struct ruleset **out)
{
	struct ruleset *s = kith_mem_calloc(mem, 1, sizeof *s);
	if (!s)
		return KITH_ENOMEM;
	s->defs = *defs;
	memset(defs, 0, sizeof *defs);
	s->rule = kith_mem_calloc(mem, s->defs.count ? s->defs.count : 1, sizeof *s->rule);
	if (!s->rule) {
		ruleset_free(mem, s);
		return KITH_ENOMEM;
	}
	kith_status st = KITH_OK;
	char err[KITH_ERROR_MAX];
	s->horizon_ms = REPEAT_HORIZON_MS;
	for (size_t i = 0; i < s->defs.count && st == KITH_OK; i++) {
		st = compile_rule(&s->defs.rule[i], &s->rule[i], roles);
		struct crule *r = &s->rule[i];
		if (r->cond & (C_FLOOD | C_REPEATS))
			s->track = true;
		if (r->flood_n > s->max_flood_n)
			s->max_flood_n = r->flood_n;
		if (r->flood_ms > s->horizon_ms)
			s->horizon_ms = r->flood_ms;
		for (uint32_t k = 0; k < r->nact; k++)
			s->max_intents++;
	}
	if (st == KITH_OK)
		st = build_matcher(mem, s);
	for (size_t i = 0; i < s->defs.count && st == KITH_OK; i++) {
		const struct crule *r = &s->rule[i];
		uint64_t bit = UINT64_C(1) << i;
		if (r->trigger == TRIG_MESSAGE)
			s->message_rules |= bit;
		if (r->cond & C_KEYWORDS)
			s->need_kw |= bit;
		if ((r->cond & C_REGEX) && r->regex_prefiltered)
			s->need_re |= bit;
	}
	if (st == KITH_OK) {
		/* The ladder's text was checked when it was set; the default's
		 * text is the one kith_setting_get shows. */
		const char *ladder = s->defs.ladder ? s->defs.ladder : LADDER_DEFAULT_TEXT;
		parse_actions(ladder, strlen(ladder), s->ladder, KITH_LADDER_MAX, &s->ladder_n, err,
		              sizeof err);
		if (s->ladder_n == 0)
			parse_actions(LADDER_DEFAULT_TEXT, strlen(LADDER_DEFAULT_TEXT), s->ladder,
			              KITH_LADDER_MAX, &s->ladder_n, err, sizeof err);
		s->forgive_ms = KITH_FORGIVE_DEFAULT_MS;
		if (s->defs.forgive) {
			if (kith_lex_word(s->defs.forgive, strlen(s->defs.forgive), "never"))
				s->forgive_ms = 0;
			else
				parse_duration(s->defs.forgive, strlen(s->defs.forgive), &s->forgive_ms);
		}
	}
	if (st != KITH_OK) {
		ruleset_free(mem, s);
		return st;
	}
	*out = s;
	return KITH_OK;
}

/* ---- transactions ----------------------------------------------------------- */

bool kith_rules_owns_setting(const char *name)
{
	return strncmp(name, "rule.", 5) == 0 || strncmp(name, "rules.", 6) == 0 ||
	       strncmp(name, "templates.", 10) == 0;
}

/* Check a rule key's value; err gets the reason. */
static kith_status check_value(enum key k, const char *v, size_t n, const struct kith_roles *roles,
                               char *err, size_t es)
{
	bool b;
	uint64_t x;
	uint32_t u;
	int64_t ms;
	switch (k) {
	case KEY_KEYWORDS: {
		const char *item;
		size_t in, at = 0;
		while (kith_lex_item(v, n, &at, &item, &in))
			if (in > KITH_KW_PATTERN_MAX)
				return fail(err, es, KITH_ERANGE, "keyword '%s' is longer than 1024 bytes", item, in);
		return KITH_OK;
	}
	case KEY_REGEX: {
		if (n > KITH_REGEX_MAX)
			return fail(err, es, KITH_ERANGE, "regex '%s' is longer than 4096 bytes", v, n);
		if (!kith_regex_bounded(v, n))
			return fail(err, es, KITH_ERANGE,
			            "regex '%s' repeats too much: its expansion by {m,n} and + would "
			            "take more than 10000 nodes, or it stacks repetition operators (as in a*+)",
			            v, n);
		return KITH_OK; /* compiled by the caller, which has the allocator */
	}
	case KEY_KINDS: {
		const char *item;
		size_t in, at = 0;
		while (kith_lex_item(v, n, &at, &item, &in))
			if (kith_kind_from_name(item, in) == UINT32_MAX)
				return fail(err, es, KITH_EINVAL,
				            "unknown kind '%s': expected text, photo, video, voice, link, "
				            "article, document, share, sticker, envelope, system or other",
				            item, in);
		return KITH_OK;
	}
	case KEY_FLOOD:
		if (!parse_flood(v, n, &u, &ms))
			return fail(err, es, KITH_EINVAL,
			            "'%s' is not a flood limit like '6 messages in 10 s' (2 to " "32"
			            " messages, at most 10 years)",
			            v, n);
		return KITH_OK;
	case KEY_REPEATS:
		if (!parse_uint(v, n, 1000, &x) || x < 2)
			return fail(err, es, KITH_ERANGE, "'%s' is not a repeat count from 2 to 1000", v, n);
		return KITH_OK;
	case KEY_LINKS:
	case KEY_INVITE:
	case KEY_OFF_TOPIC:
	case KEY_FIRST_LINK:
		if (!kith_lex_bool(v, n, &b))
			return fail(err, es, KITH_EINVAL, "'%s' is not yes or no", v, n);
		return KITH_OK;
	case KEY_NAME_DEADLINE:
		if (!parse_duration(v, n, &ms))
			return fail(err, es, KITH_EINVAL, "'%s' is not a duration like 12 h", v, n);
		return KITH_OK;
	case KEY_NEW_MEMBER:
		if (!parse_uint(v, n, 8760, &x) || x == 0)
			return fail(err, es, KITH_ERANGE, "'%s' is not a number of hours from 1 to 8760", v, n);
		return KITH_OK;
	case KEY_UNLESS_ROLE: {
		if (kith_lex_word(v, n, "none"))
			return KITH_OK;
		const char *item;
		size_t in, at = 0;
		while (kith_lex_item(v, n, &at, &item, &in))
			if (kith_roles_find(roles, item, in) == UINT32_MAX)
				return fail(err, es, KITH_ENOTFOUND, "unknown role '%s'", item, in);
		return KITH_OK;
	}
	case KEY_ACTION: {
		struct action a[KITH_RULE_ACTIONS_MAX];
		return parse_actions(v, n, a, KITH_RULE_ACTIONS_MAX, &u, err, es);
	}
	case KEY_COUNT:
		break;
	}
	return KITH_EINVAL;
}

/* A text setting's value; NULL (the default) when empty or when exactly
 * the default's text, so that setting what kith_setting_get gave back
 * leaves the community (and its snapshot) as it was. */
static kith_status set_text_value(const struct kith_mem *mem, char **slot, const char *v, size_t n,
                                  const char *default_text)
{
	if (default_text && n == strlen(default_text) && memcmp(v, default_text, n) == 0)
		n = 0;
	char *d = NULL;
	if (n) {
		d = dup_text(mem, v, n);
		if (!d)
			return KITH_ENOMEM;
	}
	free_text(mem, *slot);
	*slot = d;
	return KITH_OK;
}

static kith_status txn_get(kith_community *c, struct kith_rules_txn **t)
{
	if (*t)
		return KITH_OK;
	struct kith_rules_txn *x = kith_mem_calloc(&c->mem, 1, sizeof *x);
	if (!x)
		return KITH_ENOMEM;
	if (!kith_rules_defs_copy(&c->mem, &x->defs, kith_rules_of(c) ? &kith_rules_of(c)->set->defs : NULL)) {
		kith_mem_free(&c->mem, x, sizeof *x);
		return KITH_ENOMEM;
	}
	*t = x;
	return KITH_OK;
}

kith_status kith_rules_txn_set(kith_community *c, struct kith_rules_txn **t, const struct kith_roles *roles,
                               const char *name, const char *v, size_t n, char *err, size_t es)
{
	const struct kith_mem *mem = &c->mem;
	if (!v)
		v = "";
	kith_lex_trim(&v, &n);
	if (n && memchr(v, '\0', n))
		return fail(err, es, KITH_EINVAL, "value '%s' holds a NUL byte", v, n);
	kith_status st = txn_get(c, t);
	if (st != KITH_OK) {
		snprintf(err, es, "out of memory");
		return st;
	}
	struct defs *d = &(*t)->defs;
	if (strncmp(name, "templates.", 10) == 0) {
		for (int k = 0; k < TMPL_COUNT; k++)
			if (strcmp(name + 10, tmpl_names[k]) == 0) {
				if (n > KITH_TEMPLATE_MAX) {
					snprintf(err, es, "a template holds at most %d bytes", KITH_TEMPLATE_MAX);
					return KITH_ERANGE;
				}
				return set_text_value(mem, &d->tmpl[k], v, n, tmpl_defaults[k]);
			}
		snprintf(err, es, "no such template: expected welcome, warning, reminder, ultimatum or reward");
		return KITH_ENOTFOUND;
	}
	if (strcmp(name, "rules.ladder") == 0) {
		struct action a[KITH_LADDER_MAX];
		uint32_t count;
		st = parse_actions(v, n, a, KITH_LADDER_MAX, &count, err, es);
		return st != KITH_OK ? st : set_text_value(mem, &d->ladder, v, n, LADDER_DEFAULT_TEXT);
	}
	if (strcmp(name, "rules.forgive_after") == 0) {
		int64_t ms;
		if (n && !kith_lex_word(v, n, "never") && !parse_duration(v, n, &ms))
			return fail(err, es, KITH_EINVAL, "'%s' is not a duration like 30 d (or never)", v, n);
		return set_text_value(mem, &d->forgive, v, n, FORGIVE_DEFAULT_TEXT);
	}
	if (strncmp(name, "rule.", 5) != 0) {
		snprintf(err, es, "no such setting");
		return KITH_ENOTFOUND;
	}
	const char *rname = name + 5, *dot = strrchr(rname, '.');
	if (!dot) {
		snprintf(err, es, "expected rule.NAME.KEY");
		return KITH_ENOTFOUND;
	}
	size_t rn = (size_t)(dot - rname);
	if (!kith_role_name_valid(rname, rn))
		return fail(err, es, KITH_EINVAL,
		            "bad rule name '%s': expected 1 to 64 letters, digits, '-', '_' or '.'", rname, rn);
	int key = -1;
	for (int k = 0; k < KEY_COUNT; k++)
		if (strcmp(dot + 1, key_names[k]) == 0)
			key = k;
	if (key < 0)
		return fail(err, es, KITH_ENOTFOUND,
		            "unknown rule key '%s': expected keywords, regex, kinds, flood, repeats, "
		            "links_need_permission, invite_needs_permission, name_format_deadline, "
		            "off_topic, new_member_hours, first_message_link, unless_role or action",
		            dot + 1, strlen(dot + 1));
	if (n) {
		st = check_value((enum key)key, v, n, roles, err, es);
		if (st != KITH_OK)
			return st;
		if (key == KEY_REGEX) {
			char *pattern = dup_text(mem, v, n);
			if (!pattern) {
				snprintf(err, es, "out of memory");
				return KITH_ENOMEM;
			}
			regex_t re;
			int rc = regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB);
			if (rc == 0) {
				regfree(&re);
			} else {
				char why[128];
				regerror(rc, &re, why, sizeof why);
				snprintf(err, es, "bad regular expression '%.64s': %s", pattern, why);
			}
			kith_mem_free(mem, pattern, n + 1);
			if (rc != 0)
				return KITH_EINVAL;
		}
	}
	struct rule_def *r = kith_rules_defs_find(d, rname, rn);
	if (!r) {
		if (n == 0)
			return KITH_OK;
		if (d->count == KITH_RULES_MAX) {
			snprintf(err, es, "a community holds at most %d rules", KITH_RULES_MAX);
			return KITH_ELIMIT;
		}
		r = &d->rule[d->count++];
		memset(r, 0, sizeof *r);
		memcpy(r->name, rname, rn);
		r->name[rn] = '\0';
	}
	return set_text_value(mem, &r->value[key], v, n, NULL);
}

kith_status kith_rules_txn_prepare(kith_community *c, struct kith_rules_txn *t, const struct kith_roles *roles)
{
	if (!kith_rules_of(c) && !t->fresh) {
		t->fresh = kith_mem_calloc(&c->mem, 1, sizeof *t->fresh);
		if (!t->fresh)
			return KITH_ENOMEM;
	}
	struct defs copy;
	if (!kith_rules_defs_copy(&c->mem, &copy, &t->defs))
		return KITH_ENOMEM;
	kith_status st = ruleset_build(&c->mem, &copy, roles, &t->prepared);
	defs_fini(&c->mem, &copy);
	if (st != KITH_OK)
		return st;
	/* Room to stage the verdicts of one event. */
	struct kith_rules *r = t->fresh ? t->fresh : kith_rules_of(c);
	size_t need = t->prepared->max_intents + 1;
	if (need > r->intents_cap) {
		void *p = r->intents;
		size_t cap = r->intents_cap;
		if (!kith_mem_grow(&c->mem, &p, &cap, need, sizeof *r->intents))
			return KITH_ENOMEM;
		r->intents = p;
		r->intents_cap = cap;
	}
	return KITH_OK;
}

void kith_rules_txn_abort(kith_community *c, struct kith_rules_txn *t)
{
	if (!t)
		return;
	defs_fini(&c->mem, &t->defs);
	ruleset_free(&c->mem, t->prepared);
	kith_rules_engine_free(&c->mem, t->fresh);
	kith_mem_free(&c->mem, t, sizeof *t);
}

void kith_rules_txn_commit(kith_community *c, struct kith_rules_txn *t)
{
	if (!kith_rules_of(c)) {
		kith_rules_set_state(c, t->fresh);
		t->fresh = NULL;
	}
	struct kith_rules *r = kith_rules_of(c);
	ruleset_free(&c->mem, r->set);
	r->set = t->prepared;
	t->prepared = NULL;
	c->forgive_ms = r->set->forgive_ms;
	kith_rules_txn_abort(c, t);
}

void kith_rules_engine_free(const struct kith_mem *mem, struct kith_rules *r)
{
	if (!r)
		return;
	ruleset_free(mem, r->set);
	kith_verdicts_fini(mem, &r->list[0]);
	kith_verdicts_fini(mem, &r->list[1]);
	if (r->flood)
		kith_mem_free(mem, r->flood, r->flood_cap * sizeof *r->flood);
	if (r->intents)
		kith_mem_free(mem, r->intents, r->intents_cap * sizeof *r->intents);
	if (r->scratch)
		kith_mem_free(mem, r->scratch, r->scratch_cap);
	kith_mem_free(mem, r, sizeof *r);
}

void kith_rules_free(kith_community *c)
{
	kith_rules_engine_free(&c->mem, kith_rules_of(c));
	kith_rules_set_state(c, NULL);
	c->forgive_ms = KITH_FORGIVE_DEFAULT_MS;
}

const char *kith_rules_key_name(int k) { return k >= 0 && k < KEY_COUNT ? key_names[k] : NULL; }

const char *kith_rules_template_name(int k) { return k >= 0 && k < TMPL_COUNT ? tmpl_names[k] : NULL; }

const struct kith_verdict_list *kith_rules_shown(const kith_community *c)
{
	return &kith_rules_of(c)->list[kith_rules_of(c)->shown];
}

kith_status kith_rules_setting_get(const kith_community *c, const char *name, char *buf, size_t size,
                                   size_t *needed)
{
	const struct defs *d = kith_rules_of(c) ? &kith_rules_of(c)->set->defs : NULL;
	const char *v = NULL;
	if (strncmp(name, "templates.", 10) == 0) {
		int k;
		for (k = 0; k < TMPL_COUNT && strcmp(name + 10, tmpl_names[k]) != 0; k++)
			;
		if (k == TMPL_COUNT)
			return KITH_ENOTFOUND;
		v = d && d->tmpl[k] ? d->tmpl[k] : tmpl_defaults[k];
	} else if (strcmp(name, "rules.ladder") == 0) {
		v = d && d->ladder ? d->ladder : LADDER_DEFAULT_TEXT;
	} else if (strcmp(name, "rules.forgive_after") == 0) {
		v = d && d->forgive ? d->forgive : FORGIVE_DEFAULT_TEXT;
	} else if (strncmp(name, "rule.", 5) == 0) {
		const char *rname = name + 5, *dot = strrchr(rname, '.');
		const struct rule_def *r = d && dot ? kith_rules_defs_find(d, rname, (size_t)(dot - rname)) : NULL;
		if (!r)
			return KITH_ENOTFOUND;
		int k;
		for (k = 0; k < KEY_COUNT && strcmp(dot + 1, key_names[k]) != 0; k++)
			;
		if (k == KEY_COUNT)
			return KITH_ENOTFOUND;
		v = r->value[k] ? r->value[k] : "";
	} else {
		return KITH_ENOTFOUND;
	}
	size_t len = strlen(v);
	if (needed)
		*needed = len;
	if (size) {
		size_t k = len < size - 1 ? len : size - 1;
		memcpy(buf, v, k);
		buf[k] = '\0';
	}
	return KITH_OK;
}

/* ---- the public rule API ---------------------------------------------------- */

kith_status kith_rule_set(kith_community *community, const char *rule, size_t rule_len,
                          const char *key, size_t key_len, const char *value, size_t value_len)
{
	if (!community || !rule || !key || !value)
		return kith_fail(community, KITH_EINVAL, "kith_rule_set: NULL argument");
	size_t rn = kith_len(rule, rule_len), kn = kith_len(key, key_len);
	if (rn > KITH_RULE_NAME_MAX || kn > 64)
		return kith_fail(community, KITH_EINVAL, "kith_rule_set: rule name or key too long");
	if (memchr(rule, '\0', rn) || memchr(key, '\0', kn))
		return kith_fail(community, KITH_EINVAL, "kith_rule_set: NUL in the rule name or key");
	char name[KITH_RULE_NAME_MAX + 80];
	memcpy(name, "rule.", 5);
	memcpy(name + 5, rule, rn);
	name[5 + rn] = '.';
	memcpy(name + 6 + rn, key, kn);
	return kith_setting_set(community, name, 6 + rn + kn, value, value_len);
}

kith_status kith_rule_remove(kith_community *community, const char *rule, size_t rule_len)
{
	if (!community || !rule)
		return kith_fail(community, KITH_EINVAL, "kith_rule_remove: NULL argument");
	kith_community *c = community;
	size_t rn = kith_len(rule, rule_len);
	if (!kith_rules_of(c) || !kith_rules_defs_find(&kith_rules_of(c)->set->defs, rule, rn))
		return kith_fail(c, KITH_ENOTFOUND, "no rule named '%.*s'", (int)(rn < 64 ? rn : 64),
		                 rule);
	struct kith_rules_txn *t = NULL;
	if (txn_get(c, &t) != KITH_OK)
		return kith_fail(c, KITH_ENOMEM, "out of memory removing a rule");
	struct rule_def *r = kith_rules_defs_find(&t->defs, rule, rn);
	for (int k = 0; k < KEY_COUNT; k++)
		free_text(&c->mem, r->value[k]);
	size_t i = (size_t)(r - t->defs.rule);
	memmove(r, r + 1, (t->defs.count - i - 1) * sizeof *r);
	t->defs.count--;
	kith_status st = kith_rules_txn_prepare(c, t, &c->roles);
	if (st != KITH_OK) {
		kith_rules_txn_abort(c, t);
		return kith_fail(c, st, "out of memory removing a rule");
	}
	kith_rules_txn_commit(c, t);
	return KITH_OK;
}

size_t kith_rule_count(const kith_community *community)
{
	return community && kith_rules_of(community) ? kith_rules_of(community)->set->defs.count : 0;
}

const char *kith_rule_name(const kith_community *community, size_t i)
{
	if (!community || !kith_rules_of(community) || i >= kith_rules_of(community)->set->defs.count)
		return NULL;
	return kith_rules_of(community)->set->defs.rule[i].name;
}

const char *kith_action_name(kith_action action)
{
	if (action == KITH_ACTION_NONE)
		return "none";
	return action >= 1 && action <= ACTION_LAST ? action_names[action] : "unknown";
}

/* ---- evaluation ------------------------------------------------------------- */

/* The facts about the member an event is about, as they will be. */
struct who {
	uint32_t h;
	uint32_t roles;
	uint32_t perms;
	int64_t joined_ms;
	int64_t first_msg_ms;
	bool name_ok;
	bool exists;
};

static void who_of(const kith_community *c, uint32_t h, bool exists, int64_t t, struct who *w)
{
	memset(w, 0, sizeof *w);
	w->h = h;
	w->exists = exists;
	w->joined_ms = t;
	w->first_msg_ms = KITH_TIME_NONE;
	w->name_ok = kith_name_compliant(c, NULL, 0);
	if (exists) {
		const struct kith_member *m = kith_member_at(&c->members, h);
		w->roles = m->roles;
		w->joined_ms = m->present ? m->joined_ms : t;
		w->first_msg_ms = m->first_msg_ms;
		w->name_ok = m->name_ok;
	}
	for (uint32_t r = 0; r < c->roles.count; r++)
		if (w->roles >> r & 1)
			w->perms |= c->roles.role[r].permissions;
}

static bool exempt(const struct crule *r, const struct who *w)
{
	if (r->custom_exempt)
		return (w->roles & r->exempt_roles) != 0;
	return (w->roles & (1u << KITH_ROLE_OWNER | 1u << KITH_ROLE_ADMIN)) || (w->perms & KITH_PERM_EXEMPT);
}

struct flood_entry *kith_rules_flood_find(const struct kith_rules *r, uint32_t h, size_t *slot)
{
	if (!r->flood_cap)
		return NULL;
	size_t mask = r->flood_cap - 1;
	for (size_t i = kith_hash_u64(h) & mask;; i = (i + 1) & mask) {
		if (r->flood[i].member_plus1 == h + 1) {
			*slot = i;
			return &r->flood[i];
		}
		if (r->flood[i].member_plus1 == 0) {
			*slot = i;
			return NULL;
		}
	}
}

static bool stale(const struct flood_entry *e, int64_t now, int64_t horizon)
{
	return kith_time_diff(now, e->last_ms) > horizon;
}

/* Make sure member h has a slot; dropping stale records first, which
 * changes no outcome since a stale record reads as an empty one. */
static bool flood_reserve(kith_community *c, struct kith_rules *r, uint32_t h, int64_t now)
{
	size_t slot;
	if (kith_rules_flood_find(r, h, &slot) || (r->flood_cap && (r->flood_used + 1) * 4 <= r->flood_cap * 3))
		return true;
	size_t live = 0;
	for (size_t i = 0; i < r->flood_cap; i++)
		live += r->flood[i].member_plus1 && !stale(&r->flood[i], now, r->set->horizon_ms);
	size_t cap = 16;
	while (cap < (live + 1) * 2)
		cap *= 2;
	struct flood_entry *t = kith_mem_calloc(&c->mem, cap, sizeof *t);
	if (!t)
		return false;
	struct kith_rules fresh = {0};
	fresh.flood = t;
	fresh.flood_cap = cap;
	for (size_t i = 0; i < r->flood_cap; i++) {
		const struct flood_entry *e = &r->flood[i];
		if (e->member_plus1 && !stale(e, now, r->set->horizon_ms)) {
			kith_rules_flood_find(&fresh, e->member_plus1 - 1, &slot);
			t[slot] = *e;
			fresh.flood_used++;
		}
	}
	if (r->flood)
		kith_mem_free(&c->mem, r->flood, r->flood_cap * sizeof *r->flood);
	r->flood = t;
	r->flood_cap = cap;
	r->flood_used = fresh.flood_used;
	return true;
}

static bool off_topic(const kith_community *c, const kith_event *ev, size_t tags_n, size_t text_n)
{
	const struct kith_settings *s = &c->settings;
	if (s->topic_count == 0)
		return false;
	for (uint32_t i = 0; i < s->topic_count; i++) {
		if (tags_n && kith_tags_have(ev->tags, tags_n, s->topics[i]))
			return false;
		if (text_n && kith_lex_contains_nocase(ev->text, text_n, s->topics[i], strlen(s->topics[i])))
			return false;
	}
	return true;
}

/* regexec reads a NUL-terminated string, so the text is copied (once per
 * message, and only when some regex passed its prefilter) into a scratch
 * buffer grown before the model changes. A text is matched up to its
 * first NUL byte. */
static bool regex_match(kith_community *c, struct kith_rules *r, const regex_t *re, const char *text,
                        size_t n, bool *copied, bool *nomem)
{
	if (!*copied) {
		if (n + 1 > r->scratch_cap) {
			void *p = r->scratch;
			size_t cap = r->scratch_cap;
			if (!kith_mem_grow(&c->mem, &p, &cap, n + 1, 1)) {
				*nomem = true;
				return false;
			}
			r->scratch = p;
			r->scratch_cap = cap;
		}
		if (n)
			memcpy(r->scratch, text, n);
		r->scratch[n] = '\0';
		*copied = true;
	}
	return regexec(re, r->scratch, 0, NULL, 0) == 0;
}

/* The rule's actions for a member who broke it; "warn" is the next step
 * of the ladder. */
struct staging {
	struct intent *in;
	size_t n, cap;
};

static void stage(struct staging *s, uint32_t action, uint32_t member, uint32_t rule, enum tmpl tmpl,
                  int64_t mute_ms, int64_t deadline_ms, bool with_msg)
{
	if (s->n < s->cap)
		s->in[s->n++] = (struct intent){action, member, rule, tmpl, mute_ms, deadline_ms, with_msg};
}

static uint32_t next_violation(const kith_community *c, struct kith_rules *r, uint32_t h, bool exists,
                               int64_t t)
{
	if (r->eff.violation && r->eff.violator == h)
		return r->eff.count;
	const struct kith_member_extra *x = exists ? kith_members_extra(&c->members, h) : NULL;
	uint32_t v = x ? x->violations : 0;
	if (x && kith_violations_forgiven(x, r->set->forgive_ms, t))
		v = 0;
	return v < UINT32_MAX ? v + 1 : v;
}

static void fire(const kith_community *c, struct kith_rules *r, struct staging *s, uint32_t rule,
                 const struct who *w, int64_t t, int64_t deadline, bool with_msg)
{
	const struct ruleset *set = r->set;
	const struct crule *cr = &set->rule[rule];
	enum tmpl base = cr->cond & C_NAME ? TMPL_ULTIMATUM : TMPL_WARNING;
	uint32_t count = 0;
	if (cr->punitive) {
		count = next_violation(c, r, w->h, w->exists, t);
		/* One member's violations are counted per event; an event that
		 * could make two members break rules counts the first. */
		if (!r->eff.violation) {
			r->eff.violation = true;
			r->eff.violator = w->h;
			r->eff.count = count;
		}
	}
	for (uint32_t k = 0; k < cr->nact; k++) {
		struct action a = cr->act[k];
		if (a.type == KITH_ACTION_WARN) {
			uint32_t step = count < set->ladder_n ? count : set->ladder_n;
			a = set->ladder[step ? step - 1 : 0];
		}
		enum tmpl tm = a.type == KITH_ACTION_WELCOME  ? TMPL_WELCOME
		               : a.type == KITH_ACTION_REMIND ? TMPL_REMINDER
		               : a.type == KITH_ACTION_REWARD ? TMPL_REWARD
		                                              : base;
		int64_t dl = a.type == KITH_ACTION_MUTE ? kith_time_add(t, a.mute_ms) : deadline;
		stage(s, a.type, w->h, rule, tm, a.mute_ms, dl, with_msg);
	}
}

struct msg_ctx {
	const kith_event *ev;
	size_t text_n, tags_n;
	struct kith_kw_hits hits;
	uint32_t flood_count; /* messages within each rule's window, computed per rule */
	const struct flood_entry *fe;
	uint32_t run;
	bool is_link;
	bool copied; /* the text is in the scratch buffer */
	bool nomem;
};

static uint32_t flood_count(const struct msg_ctx *m, int64_t t, int64_t window, int64_t horizon)
{
	uint32_t n = 1;
	const struct flood_entry *e = m->fe;
	if (!e || stale(e, t, horizon))
		return n;
	for (uint32_t k = 0; k < e->filled; k++) {
		uint32_t i = (e->head + FLOOD_RING - 1 - k) % FLOOD_RING;
		if (kith_time_diff(t, e->times[i]) >= window)
			break;
		n++;
	}
	return n;
}

static bool message_matches(kith_community *c, struct kith_rules *r, uint32_t i, struct msg_ctx *m,
                            const struct who *w, int64_t t, int64_t *deadline)
{
	const struct crule *cr = &r->set->rule[i];
	const kith_event *ev = m->ev;
	uint32_t cond = cr->cond;
	if ((cond & C_KEYWORDS) && !kith_kw_hit(&m->hits, i))
		return false;
	if ((cond & C_KINDS) && !(cr->kinds >> ev->kind & 1))
		return false;
	if ((cond & C_NEW_MEMBER) && kith_time_diff(t, w->joined_ms) >= cr->new_member_ms)
		return false;
	if ((cond & C_FIRST_LINK) && (w->first_msg_ms != KITH_TIME_NONE || !m->is_link))
		return false;
	if ((cond & C_LINKS) && (!m->is_link || (w->perms & KITH_PERM_LINKS)))
		return false;
	if ((cond & C_REPEATS) && m->run < cr->repeats)
		return false;
	if ((cond & C_FLOOD) && flood_count(m, t, cr->flood_ms, r->set->horizon_ms) < cr->flood_n)
		return false;
	if (cond & C_NAME) {
		if (w->name_ok)
			return false;
		const struct kith_member_extra *x = w->exists ? kith_members_extra(&c->members, w->h) : NULL;
		int64_t dl = x && x->ultimatum_deadline_ms != KITH_TIME_NONE
		                 ? x->ultimatum_deadline_ms
		                 : (w->joined_ms <= INT64_MAX - cr->name_deadline_ms ? w->joined_ms + cr->name_deadline_ms
		                                                                     : INT64_MAX);
		if (t < dl)
			return false;
		*deadline = dl;
	}
	if ((cond & C_OFF_TOPIC) && !off_topic(c, ev, m->tags_n, m->text_n))
		return false;
	if (cond & C_REGEX) {
		if (cr->regex_prefiltered && !kith_kw_hit(&m->hits, 64 + i))
			return false;
		if (!regex_match(c, r, &cr->re, ev->text, m->text_n, &m->copied, &m->nomem))
			return false;
	}
	return true;
}

static kith_status eval_message(kith_community *c, struct kith_rules *r, struct staging *s,
                                const kith_event *ev, uint32_t h, bool exists, size_t text_n,
                                size_t tags_n)
{
	const struct ruleset *set = r->set;
	int64_t t = ev->time_ms;
	struct msg_ctx m;
	memset(&m, 0, sizeof m);
	m.ev = ev;
	m.text_n = text_n;
	m.tags_n = tags_n;
	if (set->scan && text_n)
		kith_kw_scan(&set->kw, ev->text, text_n, &m.hits);
	m.is_link = ev->kind == KITH_KIND_LINK || ev->kind == KITH_KIND_ARTICLE ||
	            ev->kind == KITH_KIND_SHARE || kith_kw_hit(&m.hits, TAG_LINK);
	if (set->track) {
		if (!flood_reserve(c, r, h, t))
			return KITH_ENOMEM;
		size_t slot = 0;
		const struct flood_entry *e = kith_rules_flood_find(r, h, &slot);
		m.fe = e;
		uint64_t hash = text_n ? kith_hash_bytes(ev->text, text_n) | 1 : 0;
		bool fresh = !e || stale(e, t, set->horizon_ms);
		m.run = !hash ? 0 : !fresh && e->text_hash == hash ? (e->run < UINT32_MAX ? e->run + 1 : e->run) : 1;
		r->eff.track = true;
		r->eff.slot = slot;
		r->eff.actor = h;
		r->eff.text_hash = hash;
		r->eff.run = m.run;
	}
	/* Only the rules whose keyword and regex-literal tags the scan hit
	 * can match; the others are not looked at. */
	_Static_assert(KITH_RULES_MAX <= 63 && TAG_LINK == 63 && KITH_KW_TAGS == 128,
	               "rule i's tags are bit i of hits.w[0] and of hits.w[1]");
	uint64_t candidates = set->message_rules & (m.hits.w[0] | ~set->need_kw) &
	                      (m.hits.w[1] | ~set->need_re);
	struct who who;
	const struct who *w = &who;
	if (candidates)
		who_of(c, h, exists, t, &who);
	while (candidates) {
		size_t i = (size_t)__builtin_ctzll(candidates);
		candidates &= candidates - 1;
		const struct crule *cr = &set->rule[i];
		int64_t deadline = KITH_TIME_NONE;
		if (exempt(cr, w))
			continue;
		if (!message_matches(c, r, (uint32_t)i, &m, w, t, &deadline)) {
			if (m.nomem)
				return KITH_ENOMEM;
			continue;
		}
		fire(c, r, s, (uint32_t)i, w, t, deadline, true);
		if (cr->punitive && ev->msg_id) {
			size_t idn = kith_len(ev->msg_id, ev->msg_id_len);
			if (idn) {
				r->eff.bad_id = true;
				r->eff.bad_hash = kith_hash_bytes(ev->msg_id, idn);
			}
		}
	}
	return KITH_OK;
}

static bool recently_bad(const struct kith_rules *r, uint64_t hash)
{
	for (size_t i = 0; i < BAD_IDS; i++)
		if (r->bad_ids[i] == hash && hash)
			return true;
	return false;
}

/* The deadline as local "YYYY-MM-DD HH:MM" (UTC offset applied). */
static size_t fmt_time(const kith_community *c, int64_t t, char *out, size_t size)
{
	if (t == KITH_TIME_NONE)
		return (size_t)snprintf(out, size, "%s", "");
	int64_t local = t + (int64_t)c->settings.utc_offset_min * 60000;
	int64_t days = local / KITH_MS_PER_DAY, ms = local % KITH_MS_PER_DAY;
	if (ms < 0) {
		ms += KITH_MS_PER_DAY;
		days--;
	}
	/* Civil date from days since 1970-01-01 (proleptic Gregorian). */
	int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1, mo = mp < 10 ? mp + 3 : mp - 9;
	y += mo <= 2;
	int n = snprintf(out, size, "%04" PRId64 "-%02" PRId64 "-%02" PRId64 " %02" PRId64 ":%02" PRId64, y, mo,
	                 d, ms / 3600000, ms / 60000 % 60);
	return n < 0 ? 0 : (size_t)n;
}

/* Render (or, with dst NULL, measure) an intent's text. */
static size_t render(const kith_community *c, const struct intent *in, char *dst)
{
	const struct ruleset *set = kith_rules_of(c)->set;
	const enum tmpl k = in->tmpl;
	const char *tpl = set->defs.tmpl[k] ? set->defs.tmpl[k] : tmpl_defaults[k];
	size_t len = 0;
	for (const char *p = tpl; *p;) {
		const char *sub = NULL;
		size_t sn = 0, skip = 0;
		char tbuf[64];
		if (*p == '{') {
			if (strncmp(p, "{member}", 8) == 0) {
				skip = 8;
				sub = in->member < c->members.count ? kith_member_display_name(c, in->member, &sn) : NULL;
				if (!sub && in->member < c->members.count)
					sub = kith_member_id(c, in->member, &sn);
				if (!sub) {
					sub = "";
					sn = 0;
				}
			} else if (strncmp(p, "{rule}", 6) == 0) {
				skip = 6;
				sub = set->defs.rule[in->rule].name;
				sn = strlen(sub);
			} else if (strncmp(p, "{community}", 11) == 0) {
				skip = 11;
				sub = c->settings.name;
				sn = strlen(sub);
			} else if (strncmp(p, "{deadline}", 10) == 0) {
				skip = 10;
				sn = fmt_time(c, in->deadline_ms, tbuf, sizeof tbuf);
				sub = tbuf;
			}
		}
		if (sub) {
			if (dst)
				memcpy(dst + len, sub, sn);
			len += sn;
			p += skip;
		} else {
			if (dst)
				dst[len] = *p;
			len++;
			p++;
		}
	}
	return len;
}

/* The texts name the member, whose id is only known once the member
 * exists; a new member's verdict is rendered after the model is applied.
 * So texts are rendered at commit into room reserved now: the template
 * length with each {member} counted at the longest id. */
static size_t render_bound(const kith_community *c, const struct intent *in, size_t actor_n)
{
	const struct ruleset *set = kith_rules_of(c)->set;
	const char *tpl = set->defs.tmpl[in->tmpl] ? set->defs.tmpl[in->tmpl] : tmpl_defaults[in->tmpl];
	size_t name_max = actor_n;
	if (in->member < c->members.count) {
		size_t a = 0, b = 0;
		kith_member_id(c, in->member, &a);
		kith_member_display_name(c, in->member, &b);
		name_max = a > b ? a : b;
	}
	/* A nick event could rename the member before commit: count the
	 * longest name a member can have. */
	if (name_max < KITH_ID_MAX)
		name_max = KITH_ID_MAX;
	size_t len = 0;
	for (const char *p = tpl; *p;) {
		if (strncmp(p, "{member}", 8) == 0) {
			len += name_max;
			p += 8;
		} else if (strncmp(p, "{rule}", 6) == 0) {
			len += KITH_RULE_NAME_MAX;
			p += 6;
		} else if (strncmp(p, "{community}", 11) == 0) {
			len += strlen(c->settings.name);
			p += 11;
		} else if (strncmp(p, "{deadline}", 10) == 0) {
			len += 64;
			p += 10;
		} else {
			len++;
			p++;
		}
	}
	return len;
}

kith_status kith_rules_evaluate(kith_community *c, const kith_event *ev, uint32_t actor, uint32_t by,
                                uint32_t to, size_t actor_n, size_t msg_id_n, size_t tags_n, size_t text_n)
{
	struct kith_rules *r = kith_rules_of(c);
	if (!r)
		return KITH_OK;
	memset(&r->eff, 0, sizeof r->eff);
	r->pending = false;
	r->now = ev->time_ms;
	const struct ruleset *set = r->set;
	struct staging s = {r->intents, 0, r->intents_cap};
	bool exists = actor != UINT32_MAX;
	uint32_t h = exists ? actor : c->members.count;
	int64_t t = ev->time_ms;
	struct who w;
	kith_status st = KITH_OK;
	if (ev->type == KITH_EVENT_MESSAGE)
		st = eval_message(c, r, &s, ev, h, exists, text_n, tags_n);
	else
		who_of(c, h, exists, t, &w);

	switch (ev->type) {
	case KITH_EVENT_JOIN: {
		bool arriving = !exists || !kith_member_at(&c->members, h)->present;
		if (!arriving)
			break;
		for (size_t i = 0; i < set->defs.count; i++) {
			const struct crule *cr = &set->rule[i];
			if (cr->trigger == TRIG_JOIN && !exempt(cr, &w)) {
				fire(c, r, &s, (uint32_t)i, &w, t, KITH_TIME_NONE, false);
			} else if (cr->trigger == TRIG_INVITE && by != UINT32_MAX && by != h) {
				struct who inv;
				who_of(c, by, true, t, &inv);
				if (!exempt(cr, &inv) && !(inv.perms & KITH_PERM_INVITE))
					fire(c, r, &s, (uint32_t)i, &inv, t, KITH_TIME_NONE, false);
			}
		}
		break;
	}
	case KITH_EVENT_REPORT: {
		if (to == UINT32_MAX || to == h)
			break;
		bool real;
		if (msg_id_n) {
			real = recently_bad(r, kith_hash_bytes(ev->msg_id, msg_id_n));
		} else {
			const struct kith_member_extra *x = kith_members_extra(&c->members, to);
			real = x && x->violations > 0 &&
			       !(set->forgive_ms > 0 &&
			         kith_time_diff(t, x->last_violation_ms) >= set->forgive_ms);
		}
		if (!real)
			break;
		for (size_t i = 0; i < set->defs.count; i++)
			if (set->rule[i].trigger == TRIG_REPORT)
				fire(c, r, &s, (uint32_t)i, &w, t, KITH_TIME_NONE, msg_id_n > 0);
		break;
	}
	default:
		break;
	}
	if (st != KITH_OK)
		return kith_fail(c, st, "out of memory evaluating the rules");

	/* Reserve what commit will need. */
	struct kith_verdict_list *next = &r->list[r->shown ^ 1];
	size_t bytes = 0;
	for (size_t i = 0; i < s.n; i++)
		bytes += KITH_RULE_NAME_MAX + 1 + (s.in[i].with_msg ? msg_id_n : 0) + 1 +
		         render_bound(c, &s.in[i], actor_n) + 1;
	if (!kith_verdicts_prepare(&c->mem, next, s.n, bytes) ||
	    (r->eff.violation && !kith_members_reserve_extra(&c->mem, &c->members)))
		return kith_fail(c, KITH_ENOMEM, "out of memory staging the verdicts");
	next->count = s.n; /* the intents wait in r->intents until commit */
	r->pending = true;
	return KITH_OK;
}

void kith_rules_commit(kith_community *c, const kith_event *ev, size_t msg_id_n)
{
	struct kith_rules *r = kith_rules_of(c);
	if (!r || !r->pending)
		return;
	r->pending = false;
	struct kith_verdict_list *next = &r->list[r->shown ^ 1];
	size_t n = next->count;
	next->count = 0;
	next->buf_len = 0;
	for (size_t i = 0; i < n; i++) {
		const struct intent *in = &r->intents[i];
		struct kith_verdict *v = &next->v[next->count++];
		memset(v, 0, sizeof *v);
		v->action = in->action;
		v->member = in->member;
		v->mute_ms = in->action == KITH_ACTION_MUTE ? in->mute_ms : 0;
		const char *rn = r->set->defs.rule[in->rule].name;
		v->rule_len = (uint32_t)strlen(rn);
		v->rule_off = kith_verdicts_push_str(next, rn, v->rule_len);
		if (in->with_msg && msg_id_n) {
			v->has_msg = true;
			v->msg_len = (uint32_t)msg_id_n;
			v->msg_off = kith_verdicts_push_str(next, ev->msg_id, msg_id_n);
		}
		v->text_off = (uint32_t)next->buf_len;
		v->text_len = (uint32_t)render(c, in, next->buf + next->buf_len);
		next->buf[next->buf_len + v->text_len] = '\0';
		next->buf_len += v->text_len + 1;
	}
	r->shown ^= 1;

	const struct effect *e = &r->eff;
	if (e->violation) {
		/* The record was reserved at evaluation. Warnings are counted for
		 * the member whose violation the event counts. */
		struct kith_member_extra *x = kith_members_extra_get(&c->members, e->violator);
		x->violations = e->count;
		x->last_violation_ms = r->now;
		for (size_t i = 0; i < n; i++)
			if (r->intents[i].action == KITH_ACTION_WARN && r->intents[i].member == e->violator &&
			    x->warnings < UINT32_MAX)
				x->warnings++;
	}
	if (e->track) {
		struct flood_entry *f = &r->flood[e->slot];
		if (f->member_plus1 != e->actor + 1 || stale(f, r->now, r->set->horizon_ms)) {
			if (f->member_plus1 == 0)
				r->flood_used++;
			memset(f, 0, sizeof *f);
			f->member_plus1 = e->actor + 1;
		}
		f->run = e->run;
		f->text_hash = e->text_hash;
		f->last_ms = r->now;
		f->times[f->head] = r->now;
		f->head = (f->head + 1) % FLOOD_RING;
		if (f->filled < FLOOD_RING)
			f->filled++;
	}
	if (e->bad_id) {
		r->bad_ids[r->bad_next] = e->bad_hash;
		r->bad_next = (r->bad_next + 1) % BAD_IDS;
	}
}
