/*
 * The rules engine's state and the transactions that change its
 * definitions, and the public rule API (include/kith/rules.h).
 *
 * SPDX-License-Identifier: MIT
 *
 * Definitions are kept as text (the canonical value of each key), like
 * settings, and compiled into a rule set in one go (compile.c): a change
 * made through kith_rule_set, kith_setting_set or a charter goes into a
 * transaction that copies the definitions, validates each value as it is
 * set (parse.c), and compiles the whole set before anything changes; the
 * commit only swaps pointers. So a rule set is immutable while it is in
 * use. Evaluation at ingest is evaluate.c's; the verdicts it renders are
 * verdicts.c's; the snapshot section is state.c's.
 *
 * Bounds: at most KITH_RULES_MAX rules, KITH_RULE_ACTIONS_MAX actions per
 * rule and KITH_LADDER_MAX ladder steps; flood "N messages in T" takes
 * N <= KITH_FLOOD_MAX.
 */
#include "engines/rules/txn.h"

#include "engines/rules/defs.h"
#include "engines/rules/rules.h"

#include "engines/rules/compile.h"
#include "engines/rules/parse.h"
#include "engines/rules/verdict-list.h"
#include "model/community.h"
#include "model/engine.h"
#include "model/roles.h"
#include "util/bytes.h"
#include "util/lex.h"
#include "util/memory.h"
#include "util/text.h"

#include <inttypes.h>
#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

const struct kith_engine_id kith_rules_id = {"rules"};

/* ---- transactions ----------------------------------------------------------- */

bool kith_rules_owns_setting(const char *name)
{
	/* The [templates] section is shared: templates.schedule.* are the
	 * schedule engine's agenda texts, and no verdict template has a
	 * dotted name. */
	return strncmp(name, "rule.", 5) == 0 || strncmp(name, "rules.", 6) == 0 ||
	       (strncmp(name, "templates.", 10) == 0 && strncmp(name + 10, "schedule.", 9) != 0);
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
		d = kith_mem_strdup(mem, v, n);
		if (!d)
			return KITH_ENOMEM;
	}
	kith_rules_text_free(mem, *slot);
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
		return kith_rules_fail(err, es, KITH_EINVAL, "value '%s' holds a NUL byte", v, n);
	kith_status st = txn_get(c, t);
	if (st != KITH_OK) {
		snprintf(err, es, "out of memory");
		return st;
	}
	struct defs *d = &(*t)->defs;
	if (strncmp(name, "templates.", 10) == 0) {
		for (int k = 0; k < TMPL_COUNT; k++)
			if (strcmp(name + 10, kith_rules_template_name(k)) == 0) {
				if (n > KITH_TEMPLATE_MAX) {
					snprintf(err, es, "a template holds at most %d bytes", KITH_TEMPLATE_MAX);
					return KITH_ERANGE;
				}
				return set_text_value(mem, &d->tmpl[k], v, n, kith_rules_template_default(k));
			}
		snprintf(err, es, "no such template: expected welcome, warning, reminder, ultimatum or reward");
		return KITH_ENOTFOUND;
	}
	if (strcmp(name, "rules.ladder") == 0) {
		struct action a[KITH_LADDER_MAX];
		uint32_t count;
		st = kith_rules_parse_actions(v, n, a, KITH_LADDER_MAX, &count, err, es);
		return st != KITH_OK ? st : set_text_value(mem, &d->ladder, v, n, LADDER_DEFAULT_TEXT);
	}
	if (strcmp(name, "rules.forgive_after") == 0) {
		int64_t ms;
		if (n && !kith_lex_word(v, n, "never") && !kith_rules_parse_duration(v, n, &ms))
			return kith_rules_fail(err, es, KITH_EINVAL, "'%s' is not a duration like 30 d (or never)", v, n);
		return set_text_value(mem, &d->forgive, v, n, FORGIVE_DEFAULT_TEXT);
	}
	if (strcmp(name, "rules.ladder_resets") == 0) {
		bool b;
		if (n && !kith_lex_bool(v, n, &b))
			return kith_rules_fail(err, es, KITH_EINVAL, "'%s' is not yes or no", v, n);
		return set_text_value(mem, &d->resets, v, n, "no");
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
		return kith_rules_fail(err, es, KITH_EINVAL,
		            "bad rule name '%s': expected 1 to 64 letters, digits, '-', '_' or '.'", rname, rn);
	int key = -1;
	for (int k = 0; k < KEY_COUNT; k++)
		if (strcmp(dot + 1, kith_rules_key_name(k)) == 0)
			key = k;
	if (key < 0)
		return kith_rules_fail(err, es, KITH_ENOTFOUND,
		            "unknown rule key '%s': expected keywords, regex, kinds, flood, repeats, "
		            "links_need_permission, invite_needs_permission, name_format_deadline, "
		            "off_topic, new_member_hours, first_message_link, unless_role, action, "
		            "keyword_match, joined_days, score, group, violations, mentions or counted",
		            dot + 1, strlen(dot + 1));
	if (n) {
		st = kith_rules_check_value((enum key)key, v, n, roles, err, es);
		if (st != KITH_OK)
			return st;
		if (key == KEY_REGEX) {
			char *pattern = kith_mem_strdup(mem, v, n);
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
	kith_status st = kith_rules_ruleset_build(&c->mem, &copy, roles, &t->prepared);
	kith_rules_defs_fini(&c->mem, &copy);
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
	kith_rules_defs_fini(&c->mem, &t->defs);
	kith_rules_ruleset_free(&c->mem, t->prepared);
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
	kith_rules_ruleset_free(&c->mem, r->set);
	r->set = t->prepared;
	t->prepared = NULL;
	c->forgive_ms = r->set->forgive_ms;
	kith_rules_txn_abort(c, t);
}

void kith_rules_engine_free(const struct kith_mem *mem, struct kith_rules *r)
{
	if (!r)
		return;
	kith_rules_ruleset_free(mem, r->set);
	kith_verdicts_fini(mem, &r->list[0]);
	kith_verdicts_fini(mem, &r->list[1]);
	if (r->flood)
		kith_mem_free(mem, r->flood, r->flood_cap * sizeof *r->flood);
	if (r->intents)
		kith_mem_free(mem, r->intents, r->intents_cap * sizeof *r->intents);
	if (r->scratch)
		kith_mem_free(mem, r->scratch, r->scratch_cap);
	if (r->viol)
		kith_mem_free(mem, r->viol, r->viol_cap * sizeof *r->viol);
	kith_mem_free(mem, r, sizeof *r);
}

void kith_rules_free(kith_community *c)
{
	kith_rules_engine_free(&c->mem, kith_rules_of(c));
	kith_rules_set_state(c, NULL);
	c->forgive_ms = KITH_FORGIVE_DEFAULT_MS;
}

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
		for (k = 0; k < TMPL_COUNT && strcmp(name + 10, kith_rules_template_name(k)) != 0; k++)
			;
		if (k == TMPL_COUNT)
			return KITH_ENOTFOUND;
		v = d && d->tmpl[k] ? d->tmpl[k] : kith_rules_template_default(k);
	} else if (strcmp(name, "rules.ladder") == 0) {
		v = d && d->ladder ? d->ladder : LADDER_DEFAULT_TEXT;
	} else if (strcmp(name, "rules.forgive_after") == 0) {
		v = d && d->forgive ? d->forgive : FORGIVE_DEFAULT_TEXT;
	} else if (strcmp(name, "rules.ladder_resets") == 0) {
		v = d && d->resets ? d->resets : "no";
	} else if (strncmp(name, "rule.", 5) == 0) {
		const char *rname = name + 5, *dot = strrchr(rname, '.');
		const struct rule_def *r = d && dot ? kith_rules_defs_find(d, rname, (size_t)(dot - rname)) : NULL;
		if (!r)
			return KITH_ENOTFOUND;
		int k;
		for (k = 0; k < KEY_COUNT && strcmp(dot + 1, kith_rules_key_name(k)) != 0; k++)
			;
		if (k == KEY_COUNT)
			return KITH_ENOTFOUND;
		v = r->value[k] ? r->value[k] : "";
	} else {
		return KITH_ENOTFOUND;
	}
	struct kith_text o;
	kith_text_init(&o, buf, size);
	kith_text_puts(&o, v);
	kith_text_finish(&o, needed);
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
		kith_rules_text_free(&c->mem, r->value[k]);
	size_t i = (size_t)(r - t->defs.rule);
	memmove(r, r + 1, (t->defs.count - i - 1) * sizeof *r);
	t->defs.count--;
	char why[KITH_ERROR_MAX];
	if (kith_rules_defs_check(&t->defs, why, sizeof why) != KITH_OK) {
		kith_rules_txn_abort(c, t);
		return kith_fail(c, KITH_EINVAL, "rule %.*s cannot go: %s", (int)(rn < 64 ? rn : 64), rule,
		                 why);
	}
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
