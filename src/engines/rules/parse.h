/*
 * The rules engine's vocabulary and value syntax (parse.c).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_ENGINES_RULES_PARSE_H
#define KITH_ENGINES_RULES_PARSE_H

#include "engines/rules/rules.h"
#include "model/roles.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Write "fmt" with the value v (n bytes, shortened to 64) for %s into
 * err; returns st. */
kith_status kith_rules_fail(char *err, size_t size, kith_status st, const char *fmt, const char *v,
                            size_t n);
/* A whole number at most max. */
bool kith_rules_parse_uint(const char *v, size_t n, uint64_t max, uint64_t *out);
/* A duration (util/lex.h's syntax) above 0 and at most 3660 days. */
bool kith_rules_parse_duration(const char *v, size_t n, int64_t *out);
/* A comma-separated list of at most max actions into out (*count of them). */
kith_status kith_rules_parse_actions(const char *v, size_t n, struct action *out, uint32_t max,
                                     uint32_t *count, char *err, size_t es);
/* Keyword forms: where an occurrence must meet a word's edge. */
#define KW_ANYWHERE 0u
#define KW_START 1u
#define KW_END 2u
unsigned kith_rules_keyword_form(const char *item, size_t n, bool words, size_t *core_n);
/* A strict comparison "< X" or "> X", 0 <= X <= max, then optionally the
 * word unit (NULL: none allowed). */
bool kith_rules_parse_gate(const char *v, size_t n, const char *unit, double max, bool *below,
                           double *out);
/* "N of RULE in T" (1 <= N <= VIOL_MAX): *name, *name_n point into v. */
bool kith_rules_parse_violations(const char *v, size_t n, uint32_t *count, const char **name,
                                 size_t *name_n, int64_t *ms);
/* "K" or "K in T" (*ms 0 without a window). */
bool kith_rules_parse_repeats(const char *v, size_t n, uint32_t *count, int64_t *ms);
/* Whether a rule's plain keywords are whole words (keyword_match). */
bool kith_rules_keyword_words(const struct rule_def *d);
/* "N messages in T", or "N consecutive" (*ms = 0). */
bool kith_rules_parse_flood(const char *v, size_t n, uint32_t *count, int64_t *ms);
/* Check the value of rule key k (roles: those the change will install). */
kith_status kith_rules_check_value(enum key k, const char *v, size_t n, const struct kith_roles *roles,
                                   char *err, size_t es);
/* The names of rule keys and templates, and the templates' default texts
 * (NULL outside 0 .. KEY_COUNT-1 or TMPL_COUNT-1). */
const char *kith_rules_key_name(int k);
const char *kith_rules_template_name(int k);
const char *kith_rules_template_default(int k);

#endif /* KITH_ENGINES_RULES_PARSE_H */
