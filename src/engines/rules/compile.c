/*
 * The rules engine's compiler: a rule set built from the definitions in
 * one go. The one keyword automaton (keywords.c) serves every rule:
 * keyword lists, the literals required by each regular expression
 * (regexec runs only when its literal occurs, or always when none could
 * be extracted) and the link markers share one pass over the text.
 *
 * SPDX-License-Identifier: MIT
 */
#include "engines/rules/compile.h"

#include "engines/rules/defs.h"
#include "engines/rules/keywords.h"
#include "engines/rules/parse.h"
#include "engines/rules/rules.h"
#include "model/community.h"
#include "model/roles.h"
#include "model/settings.h"
#include "util/lex.h"
#include "util/memory.h"

#include <inttypes.h>
#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

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

/* The rule a violations trigger counts, or SIZE_MAX when it names none
 * or one that is itself a trigger. */
static size_t violations_source(const struct defs *d, size_t i)
{
	const char *v = d->rule[i].value[KEY_VIOLATIONS], *name;
	uint32_t n;
	size_t nn;
	int64_t ms;
	if (!v || !kith_rules_parse_violations(v, strlen(v), &n, &name, &nn, &ms))
		return SIZE_MAX;
	const struct rule_def *src = kith_rules_defs_find(d, name, nn);
	if (!src || src->value[KEY_VIOLATIONS])
		return SIZE_MAX;
	return (size_t)(src - d->rule);
}

kith_status kith_rules_defs_check(const struct defs *d, char *err, size_t es)
{
	for (size_t i = 0; i < d->count; i++) {
		const char *v = d->rule[i].value[KEY_VIOLATIONS];
		for (int k = 0; v && k < KEY_COUNT; k++)
			if (((1u << k) & C_MESSAGE) && d->rule[i].value[k]) {
				snprintf(err, es,
				         "rule %s counts violations, so it cannot also have the message "
				         "condition %s",
				         d->rule[i].name, kith_rules_key_name(k));
				return KITH_EINVAL;
			}
		if (v && violations_source(d, i) == SIZE_MAX) {
			snprintf(err, es,
			         "rule %s counts violations of a rule that does not exist or is itself a "
			         "violations trigger ('%.64s')",
			         d->rule[i].name, v);
			return KITH_ENOTFOUND;
		}
	}
	return KITH_OK;
}

void kith_rules_ruleset_free(const struct kith_mem *mem, struct ruleset *s)
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
	kith_rules_defs_fini(mem, &s->defs);
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
		case KEY_KEYWORD_MATCH:
		case KEY_GROUP:      /* numbered by the rule set */
			break;
		case KEY_VIOLATIONS: { /* the source is found by the rule set */
			const char *name;
			size_t nn;
			kith_rules_parse_violations(v, n, &r->viol_n, &name, &nn, &r->viol_ms);
			r->cond |= C_VIOLATIONS;
			break;
		}
		case KEY_JOINED_DAYS: {
			double days = 0;
			kith_rules_parse_gate(v, n, "days", 36600, &r->joined_below, &days);
			r->joined_ms = (int64_t)(days * KITH_MS_PER_DAY + 0.5);
			r->cond |= C_JOINED_DAYS;
			break;
		}
		case KEY_SCORE:
			kith_rules_parse_gate(v, n, NULL, 1e9, &r->score_below, &r->score);
			r->cond |= C_SCORE;
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
			kith_rules_parse_flood(v, n, &r->flood_n, &r->flood_ms);
			r->cond |= C_FLOOD;
			break;
		case KEY_REPEATS:
			kith_rules_parse_repeats(v, n, &r->repeats, &r->repeats_ms);
			r->cond |= C_REPEATS;
			break;
		case KEY_COUNTED:
			kith_lex_bool(v, n, &b);
			r->uncounted = !b;
			break;
		case KEY_MENTIONS:
			kith_rules_parse_uint(v, n, KITH_MENTIONS_MAX, &x);
			r->mentions = (uint32_t)x;
			r->cond |= C_MENTIONS;
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
			kith_rules_parse_duration(v, n, &r->name_deadline_ms);
			r->cond |= C_NAME;
			break;
		case KEY_NEW_MEMBER:
			kith_rules_parse_uint(v, n, 8760, &x);
			r->new_member_ms = (int64_t)x * 3600000;
			r->cond |= C_NEW_MEMBER;
			break;
		case KEY_UNLESS_ROLE:
			r->custom_exempt = true;
			r->exempt_roles = role_bits(roles, v, n, &b);
			break;
		case KEY_ACTION:
			kith_rules_parse_actions(v, n, r->act, KITH_RULE_ACTIONS_MAX, &r->nact, err, sizeof err);
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
	if (r->cond & C_VIOLATIONS)
		r->trigger = TRIG_VIOLATIONS;
	else if (r->cond & C_INVITE)
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
		struct crule *r = &s->rule[i];
		if (kw) {
			const char *item;
			size_t in, at = 0;
			bool words = kith_rules_keyword_words(&s->defs.rule[i]);
			while (kith_lex_item(kw, strlen(kw), &at, &item, &in)) {
				size_t cn;
				unsigned form = in ? kith_rules_keyword_form(item, in, words, &cn) : KW_ANYWHERE;
				r->keyword_forms |= form != KW_ANYWHERE;
				if (in && np < max)
					pat[np++] = (struct kith_kw_pattern){item + (item[0] == '*'), cn, (uint32_t)i};
			}
		}
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
kith_status kith_rules_ruleset_build(const struct kith_mem *mem, struct defs *defs,
                                 const struct kith_roles *roles, struct ruleset **out)
{
	struct ruleset *s = kith_mem_calloc(mem, 1, sizeof *s);
	if (!s)
		return KITH_ENOMEM;
	s->defs = *defs;
	memset(defs, 0, sizeof *defs);
	s->rule = kith_mem_calloc(mem, s->defs.count ? s->defs.count : 1, sizeof *s->rule);
	if (!s->rule) {
		kith_rules_ruleset_free(mem, s);
		return KITH_ENOMEM;
	}
	kith_status st = KITH_OK;
	char err[KITH_ERROR_MAX];
	s->horizon_ms = REPEAT_HORIZON_MS;
	for (size_t i = 0; i < s->defs.count && st == KITH_OK; i++) {
		st = compile_rule(&s->defs.rule[i], &s->rule[i], roles);
		struct crule *r = &s->rule[i];
		bool consecutive = (r->cond & C_FLOOD) && r->flood_ms == 0;
		if ((r->cond & C_REPEATS) || ((r->cond & C_FLOOD) && !consecutive))
			s->track = true;
		s->consecutive |= consecutive;
		if (!consecutive && r->flood_n > s->max_flood_n)
			s->max_flood_n = r->flood_n;
		if (r->flood_ms > s->horizon_ms)
			s->horizon_ms = r->flood_ms;
		for (uint32_t k = 0; k < r->nact; k++)
			s->max_intents++;
	}
	for (size_t i = 0; i < s->defs.count && st == KITH_OK; i++) {
		const char *g = s->defs.rule[i].value[KEY_GROUP];
		for (size_t j = 0; g && j <= i; j++) {
			const char *h = s->defs.rule[j].value[KEY_GROUP];
			if (h && kith_lex_casecmp(g, h) == 0) {
				s->rule[i].group = (uint32_t)j + 1;
				break;
			}
		}
	}
	for (size_t i = 0; i < s->defs.count && st == KITH_OK; i++) {
		struct crule *r = &s->rule[i];
		if (r->trigger != TRIG_VIOLATIONS)
			continue;
		size_t src = violations_source(&s->defs, i);
		if (src == SIZE_MAX) { /* checked by kith_rules_defs_check */
			r->trigger = TRIG_NONE;
			continue;
		}
		r->viol_source = (uint32_t)src;
		s->viol_triggers |= UINT64_C(1) << i;
		s->viol_sources |= UINT64_C(1) << src;
		if (r->viol_ms > s->viol_horizon_ms)
			s->viol_horizon_ms = r->viol_ms;
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
		kith_rules_parse_actions(ladder, strlen(ladder), s->ladder, KITH_LADDER_MAX, &s->ladder_n, err,
		              sizeof err);
		if (s->ladder_n == 0)
			kith_rules_parse_actions(LADDER_DEFAULT_TEXT, strlen(LADDER_DEFAULT_TEXT), s->ladder,
			              KITH_LADDER_MAX, &s->ladder_n, err, sizeof err);
		bool resets = false;
		if (s->defs.resets)
			kith_lex_bool(s->defs.resets, strlen(s->defs.resets), &resets);
		s->ladder_resets = resets;
		s->forgive_ms = KITH_FORGIVE_DEFAULT_MS;
		if (s->defs.forgive) {
			if (kith_lex_word(s->defs.forgive, strlen(s->defs.forgive), "never"))
				s->forgive_ms = 0;
			else
				kith_rules_parse_duration(s->defs.forgive, strlen(s->defs.forgive), &s->forgive_ms);
		}
	}
	if (st != KITH_OK) {
		kith_rules_ruleset_free(mem, s);
		return st;
	}
	*out = s;
	return KITH_OK;
}
