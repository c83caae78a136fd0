/*
 * The rules engine's vocabulary and value syntax: the names of rule keys,
 * templates and actions, and the parsing and checking of each key's
 * value (a number, a duration, a flood "N messages in T", an action
 * list), shared by the transaction that sets a value and the compiler
 * that builds a rule set from it.
 *
 * SPDX-License-Identifier: MIT
 */
#include "engines/rules/parse.h"

#include "engines/rules/keywords.h"
#include "engines/rules/rules.h"
#include "model/roles.h"
#include "model/settings.h"
#include "util/lex.h"
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
	"keyword_match", "joined_days", "score", "group", "violations", "mentions", "counted",
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

kith_status kith_rules_fail(char *err, size_t size, kith_status st, const char *fmt, const char *v,
                        size_t n)
{
	char shown[72];
	size_t k = n < 64 ? n : 64;
	memcpy(shown, v, k);
	strcpy(shown + k, n > k ? "..." : "");
	snprintf(err, size, fmt, shown);
	return st;
}

bool kith_rules_parse_uint(const char *v, size_t n, uint64_t max, uint64_t *out)
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
bool kith_rules_parse_duration(const char *v, size_t n, int64_t *out)
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
		return kith_rules_fail(err, es, KITH_EINVAL,
		            "unknown action '%s': expected log, warn, delete, mute DURATION, kick, ban, "
		            "notify, welcome, remind or reward",
		            v, n);
	if (a->type == KITH_ACTION_MUTE) {
		if (!kith_rules_parse_duration(v + w, n - w, &a->mute_ms))
			return kith_rules_fail(err, es, KITH_EINVAL, "'%s': mute needs a duration like mute 12 h", v, n);
	} else if (w < n) {
		return kith_rules_fail(err, es, KITH_EINVAL, "unexpected text after the action in '%s'", v, n);
	}
	return KITH_OK;
}

kith_status kith_rules_parse_actions(const char *v, size_t n, struct action *out, uint32_t max,
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
			return kith_rules_fail(err, es, KITH_EINVAL, "empty item in the action list '%s'", v, n);
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

/* "6 messages in 10 s" (the word "messages" may be left out), or "4
 * consecutive" / "4 consecutive messages" (*ms = 0: no window). */
bool kith_rules_parse_flood(const char *v, size_t n, uint32_t *count, int64_t *ms)
{
	kith_lex_trim(&v, &n);
	size_t k = 0;
	while (k < n && v[k] >= '0' && v[k] <= '9')
		k++;
	uint64_t x;
	if (!kith_rules_parse_uint(v, k, KITH_FLOOD_CONSECUTIVE_MAX, &x) || x < 2)
		return false;
	const char *r = v + k;
	size_t rn = n - k;
	kith_lex_trim(&r, &rn);
	size_t cw = 0;
	while (cw < rn && r[cw] != ' ' && r[cw] != '\t')
		cw++;
	if (kith_lex_word(r, cw, "consecutive")) {
		r += cw;
		rn -= cw;
		kith_lex_trim(&r, &rn);
		if (rn && !kith_lex_word(r, rn, "messages"))
			return false;
		*count = (uint32_t)x;
		*ms = 0;
		return true;
	}
	if (x > KITH_FLOOD_MAX)
		return false;
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
	return kith_rules_parse_duration(r, rn, ms);
}

/* A keyword's form: "*cat*" anywhere, "cat*" at a word's start, "*cat"
 * at a word's end, plain "cat" a whole word when words is set, else
 * anywhere. Returns the form; *core_n gets the length of the text to
 * find, which starts after a leading star. A star inside is literal. */
unsigned kith_rules_keyword_form(const char *item, size_t n, bool words, size_t *core_n)
{
	bool lead = n && item[0] == '*';
	bool trail = n > (size_t)lead && item[n - 1] == '*';
	*core_n = n - lead - trail;
	if (lead && trail)
		return KW_ANYWHERE;
	if (lead)
		return KW_END;
	if (trail)
		return KW_START;
	return words ? KW_START | KW_END : KW_ANYWHERE;
}

/* "< 7" or "> 2.5" (a strict comparison with a decimal number from 0 to
 * max), with an optional unit word after the number. */
bool kith_rules_parse_gate(const char *v, size_t n, const char *unit, double max, bool *below,
                           double *out)
{
	kith_lex_trim(&v, &n);
	if (n < 2 || (v[0] != '<' && v[0] != '>'))
		return false;
	*below = v[0] == '<';
	v++;
	n--;
	kith_lex_trim(&v, &n);
	size_t k = 0, digits = 0;
	double x = 0, scale = 1;
	bool point = false;
	for (; k < n && ((v[k] >= '0' && v[k] <= '9') || (v[k] == '.' && !point)); k++) {
		if (v[k] == '.') {
			point = true;
			continue;
		}
		if (++digits > 15)
			return false;
		if (point)
			x += (v[k] - '0') * (scale /= 10);
		else
			x = x * 10 + (v[k] - '0');
	}
	if (digits == 0 || v[k - 1] == '.' || x > max)
		return false;
	const char *u = v + k;
	size_t un = n - k;
	kith_lex_trim(&u, &un);
	if (un && !(unit && kith_lex_word(u, un, unit)))
		return false;
	*out = x;
	return true;
}

/* "4 of spam in 60 min": *name gets the rule's name (in v). */
bool kith_rules_parse_violations(const char *v, size_t n, uint32_t *count, const char **name,
                                 size_t *name_n, int64_t *ms)
{
	kith_lex_trim(&v, &n);
	size_t k = 0;
	while (k < n && v[k] >= '0' && v[k] <= '9')
		k++;
	uint64_t x;
	if (!kith_rules_parse_uint(v, k, VIOL_MAX, &x) || x < 1)
		return false;
	const char *w[3];
	size_t wn[3];
	const char *r = v + k;
	size_t rn = n - k;
	for (int i = 0; i < 3; i++) {
		kith_lex_trim(&r, &rn);
		size_t e = 0;
		while (e < rn && r[e] != ' ' && r[e] != '\t')
			e++;
		w[i] = r;
		wn[i] = e;
		r += e;
		rn -= e;
	}
	if (!kith_lex_word(w[0], wn[0], "of") || !kith_role_name_valid(w[1], wn[1]) ||
	    !(kith_lex_word(w[2], wn[2], "in") || kith_lex_word(w[2], wn[2], "within")))
		return false;
	*count = (uint32_t)x;
	*name = w[1];
	*name_n = wn[1];
	return kith_rules_parse_duration(r, rn, ms);
}

/* "4" (the same text 4 times in a row) or "4 in 30 s" (and the first of
 * the 4 less than 30 s before the last; 2 .. KITH_FLOOD_MAX). */
bool kith_rules_parse_repeats(const char *v, size_t n, uint32_t *count, int64_t *ms)
{
	kith_lex_trim(&v, &n);
	size_t k = 0;
	while (k < n && v[k] >= '0' && v[k] <= '9')
		k++;
	uint64_t x;
	if (!kith_rules_parse_uint(v, k, 1000, &x) || x < 2)
		return false;
	*count = (uint32_t)x;
	*ms = 0;
	const char *r = v + k;
	size_t rn = n - k;
	kith_lex_trim(&r, &rn);
	if (rn == 0)
		return true;
	if (x > KITH_FLOOD_MAX || rn < 3 || !kith_lex_word(r, 2, "in") || (r[2] != ' ' && r[2] != '\t'))
		return false;
	return kith_rules_parse_duration(r + 3, rn - 3, ms);
}

bool kith_rules_keyword_words(const struct rule_def *d)
{
	const char *m = d->value[KEY_KEYWORD_MATCH];
	return m && kith_lex_word(m, strlen(m), "word");
}

/* Check a rule key's value; err gets the reason. */
kith_status kith_rules_check_value(enum key k, const char *v, size_t n, const struct kith_roles *roles,
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
		while (kith_lex_item(v, n, &at, &item, &in)) {
			if (in > KITH_KW_PATTERN_MAX)
				return kith_rules_fail(err, es, KITH_ERANGE, "keyword '%s' is longer than 1024 bytes", item, in);
			size_t cn = 1;
			if (in)
				kith_rules_keyword_form(item, in, false, &cn);
			if (cn == 0)
				return kith_rules_fail(err, es, KITH_EINVAL,
				                       "keyword '%s' is only stars: expected a word around them", item, in);
		}
		return KITH_OK;
	}
	case KEY_JOINED_DAYS: {
		double d;
		if (!kith_rules_parse_gate(v, n, "days", 36600, &b, &d))
			return kith_rules_fail(err, es, KITH_EINVAL,
			                       "'%s' is not a comparison like '< 7' (days since joining, "
			                       "< or >, 0 to 36600)",
			                       v, n);
		return KITH_OK;
	}
	case KEY_SCORE: {
		double d;
		if (!kith_rules_parse_gate(v, n, NULL, 1e9, &b, &d))
			return kith_rules_fail(err, es, KITH_EINVAL,
			                       "'%s' is not a comparison like '< 10' (contribution score, "
			                       "< or >, 0 to 1e9)",
			                       v, n);
		return KITH_OK;
	}
	case KEY_VIOLATIONS: {
		const char *name;
		size_t nn;
		if (!kith_rules_parse_violations(v, n, &u, &name, &nn, &ms))
			return kith_rules_fail(err, es, KITH_EINVAL,
			                       "'%s' is not a violation count like '4 of spam in 60 min' (1 "
			                       "to 1000 violations of one rule, at most 10 years)",
			                       v, n);
		return KITH_OK;
	}
	case KEY_GROUP:
		if (!kith_role_name_valid(v, n))
			return kith_rules_fail(err, es, KITH_EINVAL,
			                       "bad group name '%s': expected 1 to 64 letters, digits, '-', '_' "
			                       "or '.'",
			                       v, n);
		return KITH_OK;
	case KEY_KEYWORD_MATCH:
		if (!kith_lex_word(v, n, "anywhere") && !kith_lex_word(v, n, "word"))
			return kith_rules_fail(err, es, KITH_EINVAL, "'%s' is not anywhere or word", v, n);
		return KITH_OK;
	case KEY_REGEX: {
		if (n > KITH_REGEX_MAX)
			return kith_rules_fail(err, es, KITH_ERANGE, "regex '%s' is longer than 4096 bytes", v, n);
		if (!kith_regex_bounded(v, n))
			return kith_rules_fail(err, es, KITH_ERANGE,
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
				return kith_rules_fail(err, es, KITH_EINVAL,
				            "unknown kind '%s': expected text, photo, video, voice, link, "
				            "article, document, share, sticker, envelope, system or other",
				            item, in);
		return KITH_OK;
	}
	case KEY_FLOOD:
		if (!kith_rules_parse_flood(v, n, &u, &ms))
			return kith_rules_fail(err, es, KITH_EINVAL,
			            "'%s' is not a flood limit like '6 messages in 10 s' (2 to " "32"
			            " messages, at most 10 years) or '4 consecutive' (2 to 1000)",
			            v, n);
		return KITH_OK;
	case KEY_REPEATS:
		if (!kith_rules_parse_repeats(v, n, &u, &ms))
			return kith_rules_fail(err, es, KITH_ERANGE,
			                       "'%s' is not a repeat count from 2 to 1000, or from 2 to 32 "
			                       "with a window like '4 in 30 s'",
			                       v, n);
		return KITH_OK;
	case KEY_MENTIONS:
		if (!kith_rules_parse_uint(v, n, KITH_MENTIONS_MAX, &x) || x == 0)
			return kith_rules_fail(err, es, KITH_ERANGE,
			                       "'%s' is not a number of mentions from 1 to " "100", v, n);
		return KITH_OK;
	case KEY_COUNTED:
	case KEY_LINKS:
	case KEY_INVITE:
	case KEY_OFF_TOPIC:
	case KEY_FIRST_LINK:
		if (!kith_lex_bool(v, n, &b))
			return kith_rules_fail(err, es, KITH_EINVAL, "'%s' is not yes or no", v, n);
		return KITH_OK;
	case KEY_NAME_DEADLINE:
		if (!kith_rules_parse_duration(v, n, &ms))
			return kith_rules_fail(err, es, KITH_EINVAL, "'%s' is not a duration like 12 h", v, n);
		return KITH_OK;
	case KEY_NEW_MEMBER:
		if (!kith_rules_parse_uint(v, n, 8760, &x) || x == 0)
			return kith_rules_fail(err, es, KITH_ERANGE, "'%s' is not a number of hours from 1 to 8760", v, n);
		return KITH_OK;
	case KEY_UNLESS_ROLE: {
		if (kith_lex_word(v, n, "none"))
			return KITH_OK;
		const char *item;
		size_t in, at = 0;
		while (kith_lex_item(v, n, &at, &item, &in))
			if (kith_roles_find(roles, item, in) == UINT32_MAX)
				return kith_rules_fail(err, es, KITH_ENOTFOUND, "unknown role '%s'", item, in);
		return KITH_OK;
	}
	case KEY_ACTION: {
		struct action a[KITH_RULE_ACTIONS_MAX];
		return kith_rules_parse_actions(v, n, a, KITH_RULE_ACTIONS_MAX, &u, err, es);
	}
	case KEY_COUNT:
		break;
	}
	return KITH_EINVAL;
}

const char *kith_rules_key_name(int k) { return k >= 0 && k < KEY_COUNT ? key_names[k] : NULL; }

const char *kith_rules_template_default(int k) { return k >= 0 && k < TMPL_COUNT ? tmpl_defaults[k] : NULL; }

const char *kith_rules_template_name(int k) { return k >= 0 && k < TMPL_COUNT ? tmpl_names[k] : NULL; }

const char *kith_action_name(kith_action action)
{
	if (action == KITH_ACTION_NONE)
		return "none";
	return action >= 1 && action <= ACTION_LAST ? action_names[action] : "unknown";
}
