/*
 * The charter: INI-like text of settings, applied all at once.
 *
 * SPDX-License-Identifier: MIT
 *
 * The text is read twice. The first pass checks the syntax and counts the
 * assignments and the bytes of their setting names without allocating, so
 * that a syntax error costs nothing and the second pass can allocate
 * exactly once: one array of assignments and one buffer of names. The
 * values are not copied: each assignment points into the caller's text,
 * which outlives the call. Validation of the values and the all-or-nothing
 * application are kith_settings_apply's job (settings.c), so a charter and
 * a series of kith_setting_set calls can never disagree.
 *
 * Columns are 1-based byte offsets within the line. A UTF-8 byte order
 * mark at the start of the text is not part of line 1: editors do not show
 * it, so column 1 is the first byte after it.
 */
#include "model/community.h"
#include "model/registry.h"
#include "model/roles.h"
#include "util/bytes.h"
#include "util/memory.h"
#include "util/lex.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The longest piece of the caller's text quoted in an error message, so
 * that the message keeps its "line, column" and reason within
 * KITH_ERROR_MAX. */
#define QUOTE_MAX 64

/* A section: its name, whether it takes a name ([role NAME]), the prefix
 * its keys' setting names get, and whether it is the role section, whose
 * keys are checked here. The model's sections are below; the engines'
 * come from the community's engine set. A section of an engine this
 * build lacks (planned) has no prefix: it is refused rather than
 * skipped, as an operator whose rules were silently ignored would
 * believe the group is moderated. */
struct section_type {
	const char *name;
	bool named;
	const char *prefix; /* NULL: a planned section */
	bool role;
};

static const struct section_type model_sections[] = {
	{"community", false, "community.", false},
	{"value", false, "value.", false},
	{"ledger", false, "ledger.", false},
	{"digest", false, "digest.", false},
	{"role", true, "role.", true},
};

struct charter {
	kith_community *c;
	const char *text; /* after the byte order mark, if any */
	size_t len;
	/* Second pass only: where assignments and names are written. */
	struct kith_assignment *out;
	char *names;
	/* Counted by both passes. */
	size_t count;
	size_t name_bytes;
	/* The section being read (section points to current when set). */
	const struct section_type *section;
	struct section_type current;
	const char *role; /* [role NAME]: the name, in the text */
	size_t role_len;
	/* The line being read, as a pointer to its first byte. */
	const char *line;
	uint64_t line_no;
};

/* Key bytes: those of setting names. Anything else is a typo or a stray
 * byte, and refusing it keeps the setting name a plain C string. */
static bool is_key_byte(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '_' || ch == '-' || ch == '.';
}

static size_t skip_blanks(const char *s, size_t i, size_t end)
{
	while (i < end && kith_lex_blank(s[i]))
		i++;
	return i;
}

static size_t trim_blanks_back(const char *s, size_t start, size_t end)
{
	while (end > start && kith_lex_blank(s[end - 1]))
		end--;
	return end;
}

static size_t word_end(const char *s, size_t i, size_t end)
{
	while (i < end && !kith_lex_blank(s[i]))
		i++;
	return i;
}

static int quote_len(size_t n)
{
	return (int)(n < QUOTE_MAX ? n : QUOTE_MAX);
}

static kith_status charter_fail_at(struct charter *p, kith_status st, size_t index,
                                   const char *reason)
{
	return kith_fail(p->c, st, "line %" PRIu64 ", column %zu: %s", p->line_no, index + 1, reason);
}

static bool name_is(const char *want, const char *name, size_t n)
{
	return strlen(want) == n && memcmp(want, name, n) == 0;
}

/* The section called name, in *out; false when there is none. */
static bool section_type_find(const kith_community *c, const char *name, size_t n,
                              struct section_type *out)
{
	for (size_t i = 0; i < sizeof model_sections / sizeof model_sections[0]; i++)
		if (name_is(model_sections[i].name, name, n)) {
			*out = model_sections[i];
			return true;
		}
	const struct kith_engine_set *set = c->engines;
	for (size_t i = 0; i < set->count; i++)
		for (size_t k = 0; k < set->engine[i]->section_count; k++) {
			const struct kith_engine_section *es = &set->engine[i]->sections[k];
			if (name_is(es->name, name, n)) {
				*out = (struct section_type){es->name, es->named, es->prefix, false};
				return true;
			}
		}
	for (size_t i = 0; i < set->planned_count; i++)
		if (name_is(set->planned_sections[i], name, n)) {
			*out = (struct section_type){set->planned_sections[i], false, NULL, false};
			return true;
		}
	return false;
}

/* The sections a charter may hold, for the message about an unknown one. */
static void section_list(const kith_community *c, char *buf, size_t size)
{
	size_t len = 0;
	buf[0] = '\0';
	const struct kith_engine_set *set = c->engines;
	size_t total = sizeof model_sections / sizeof model_sections[0];
	for (size_t i = 0; i < set->count; i++)
		total += set->engine[i]->section_count;
	for (size_t i = 0; i < total; i++) {
		const char *nm;
		bool named;
		if (i < sizeof model_sections / sizeof model_sections[0]) {
			nm = model_sections[i].name;
			named = model_sections[i].named;
		} else {
			size_t k = i - sizeof model_sections / sizeof model_sections[0];
			size_t e = 0;
			while (k >= set->engine[e]->section_count)
				k -= set->engine[e++]->section_count;
			nm = set->engine[e]->sections[k].name;
			named = set->engine[e]->sections[k].named;
		}
		int w = snprintf(buf + len, size - len, "%s[%s%s]", i == 0 ? "" : i + 1 == total ? " or " : ", ",
		                 nm, named ? " NAME" : "");
		if (w < 0 || (size_t)w >= size - len)
			return;
		len += (size_t)w;
	}
}

/* "[kind]" or "[kind name]", with blanks allowed inside the brackets and
 * after them. open is the index of the '['. */
static kith_status charter_section(struct charter *p, const char *s, size_t n, size_t open)
{
	const char *close_p = memchr(s + open, ']', n - open);
	char msg[KITH_ERROR_MAX];

	if (!close_p)
		return charter_fail_at(p, KITH_ESYNTAX, trim_blanks_back(s, open, n),
		                       "expected ']' to close the section header");
	size_t close = (size_t)(close_p - s);
	size_t after = skip_blanks(s, close + 1, n);
	if (after < n)
		return charter_fail_at(p, KITH_ESYNTAX, after,
		                       "unexpected text after the section header");

	size_t w1 = skip_blanks(s, open + 1, close);
	if (w1 == close)
		return charter_fail_at(p, KITH_ESYNTAX, close,
		                       "empty section header: expected a section name");
	size_t w1_end = word_end(s, w1, close);
	size_t w2 = skip_blanks(s, w1_end, close);
	size_t w2_end = word_end(s, w2, close);
	size_t w3 = skip_blanks(s, w2_end, close);
	size_t last_end = trim_blanks_back(s, w1, close);

	struct section_type found;
	if (!section_type_find(p->c, s + w1, w1_end - w1, &found)) {
		char expected[KITH_ERROR_MAX / 2];
		section_list(p->c, expected, sizeof expected);
		snprintf(msg, sizeof msg, "unknown section [%.*s]; expected %s",
		         quote_len(w1_end - w1), s + w1, expected);
		return charter_fail_at(p, KITH_ESYNTAX, w1, msg);
	}
	const struct section_type *type = &found;
	if (!type->prefix) {
		snprintf(msg, sizeof msg,
		         "section [%.*s] is not supported yet by this version of kith",
		         quote_len(last_end - w1), s + w1);
		return charter_fail_at(p, KITH_EUNSUPPORTED, open, msg);
	}
	if (!type->named) {
		if (w2 < close) {
			snprintf(msg, sizeof msg, "section [%s] takes no name", type->name);
			return charter_fail_at(p, KITH_ESYNTAX, w2, msg);
		}
		p->role = NULL;
		p->role_len = 0;
	} else {
		const char *what = type->name; /* "role" or "rule": same name syntax */
		if (w2 == close) {
			snprintf(msg, sizeof msg, "section [%s] needs a name: [%s NAME]", what, what);
			return charter_fail_at(p, KITH_ESYNTAX, close, msg);
		}
		if (w3 < close) {
			snprintf(msg, sizeof msg,
			         "unexpected text after the %s name (%s names have no blanks)", what,
			         what);
			return charter_fail_at(p, KITH_ESYNTAX, w3, msg);
		}
		if (!kith_role_name_valid(s + w2, w2_end - w2)) {
			snprintf(msg, sizeof msg,
			         "bad %s name '%.*s': expected 1 to %d letters, digits, '-', '_' "
			         "or '.'",
			         what, quote_len(w2_end - w2), s + w2, KITH_ROLE_NAME_MAX);
			return charter_fail_at(p, KITH_ESYNTAX, w2, msg);
		}
		p->role = s + w2;
		p->role_len = w2_end - w2;
	}
	p->current = found;
	p->section = &p->current;
	return KITH_OK;
}

/* "key = value". start is the index of the first non-blank byte. */
static kith_status charter_assignment(struct charter *p, const char *s, size_t n, size_t start)
{
	const char *eq_p = memchr(s + start, '=', n - start);
	char msg[KITH_ERROR_MAX];

	if (!eq_p)
		return charter_fail_at(p, KITH_ESYNTAX, start,
		                       "expected 'key = value', a [section] or a comment");
	size_t eq = (size_t)(eq_p - s);
	size_t key_end = trim_blanks_back(s, start, eq);
	if (key_end == start)
		return charter_fail_at(p, KITH_ESYNTAX, eq, "expected a key before '='");
	for (size_t i = start; i < key_end; i++) {
		if (!is_key_byte(s[i])) {
			unsigned char b = (unsigned char)s[i];
			if (b > 0x20 && b < 0x7f)
				snprintf(msg, sizeof msg,
				         "unexpected '%c' in key: keys are letters, digits, '_', '-' "
				         "and '.'",
				         s[i]);
			else
				snprintf(msg, sizeof msg,
				         "unexpected byte 0x%02x in key: keys are letters, digits, "
				         "'_', '-' and '.'",
				         b);
			return charter_fail_at(p, KITH_ESYNTAX, i, msg);
		}
	}
	if (!p->section) {
		snprintf(msg, sizeof msg,
		         "key '%.*s' outside any section: start one with a header such as "
		         "[community]",
		         quote_len(key_end - start), s + start);
		return charter_fail_at(p, KITH_ESYNTAX, start, msg);
	}

	/* A role section takes its two keys only. Anything else would reach
	 * the settings as role.NAME.KEY, and a KEY such as "x.protected"
	 * would silently define the role NAME.x. */
	size_t key_len = key_end - start;
	if (p->role && p->section->role &&
	    !(key_len == 11 && memcmp(s + start, "permissions", 11) == 0) &&
	    !(key_len == 9 && memcmp(s + start, "protected", 9) == 0)) {
		snprintf(msg, sizeof msg,
		         "unknown key '%.*s' in [role %.*s]: expected permissions or protected",
		         quote_len(key_len), s + start, quote_len(p->role_len), p->role);
		return charter_fail_at(p, KITH_ENOTFOUND, start, msg);
	}

	size_t value = skip_blanks(s, eq + 1, n);
	size_t value_end = trim_blanks_back(s, value, n);
	size_t prefix_len = strlen(p->section->prefix);
	size_t name_len = prefix_len + (p->role ? p->role_len + 1 : 0) + key_len;

	if (p->out) {
		char *name = p->names + p->name_bytes;
		char *w = name;
		memcpy(w, p->section->prefix, prefix_len);
		w += prefix_len;
		if (p->role) {
			memcpy(w, p->role, p->role_len);
			w += p->role_len;
			*w++ = '.';
		}
		memcpy(w, s + start, key_len);
		w[key_len] = '\0';

		struct kith_assignment *a = &p->out[p->count];
		a->name = name;
		a->value = s + value;
		a->value_len = value_end - value;
		a->line = p->line_no;
		a->column = (uint64_t)value + 1;
	}
	p->count++;
	p->name_bytes += name_len + 1;
	return KITH_OK;
}

static kith_status charter_line(struct charter *p, const char *s, size_t n)
{
	size_t i = skip_blanks(s, 0, n);

	if (i == n || s[i] == '#' || s[i] == ';')
		return KITH_OK;
	if (s[i] == '[')
		return charter_section(p, s, n, i);
	return charter_assignment(p, s, n, i);
}

/* One pass over the whole text. Stops at the first error, which it
 * reports as the last error; p->count then holds the assignments before
 * it. */
static kith_status charter_scan(struct charter *p)
{
	size_t pos = 0;

	p->count = 0;
	p->name_bytes = 0;
	p->section = NULL;
	p->role = NULL;
	p->role_len = 0;
	for (p->line_no = 1;; p->line_no++) {
		const char *nl = memchr(p->text + pos, '\n', p->len - pos);
		size_t eol = nl ? (size_t)(nl - p->text) : p->len;
		size_t end = eol;
		if (end > pos && p->text[end - 1] == '\r')
			end--;
		p->line = p->text + pos;
		kith_status st = charter_line(p, p->line, end - pos);
		if (st != KITH_OK)
			return st;
		if (!nl)
			return KITH_OK;
		pos = eol + 1;
	}
}

/* Orders by name, then by position in the text (the array order). Setting
 * names compare ASCII case-insensitively, as role names do: [role Helper]
 * and [role helper] set the same role. */
static int assignment_order(const void *x, const void *y)
{
	const struct kith_assignment *a = *(const struct kith_assignment *const *)x;
	const struct kith_assignment *b = *(const struct kith_assignment *const *)y;
	int d = kith_lex_casecmp(a->name, b->name);
	if (d != 0)
		return d;
	return a < b ? -1 : a > b;
}

/* The column of the key of an assignment: the first non-blank byte of the
 * line its value lies in. */
static size_t key_index(const struct charter *p, const struct kith_assignment *a)
{
	const char *line = a->value;
	while (line > p->text && line[-1] != '\n')
		line--;
	size_t n = (size_t)(a->value - line);
	return skip_blanks(line, 0, n);
}

/* Finds the earliest assignment (in text order) to a setting that an
 * earlier one already set. Sorting keeps this O(n log n) for charters of
 * any size. Returns KITH_ENOMEM, KITH_ESYNTAX (reported) or KITH_OK. */
static kith_status charter_check_duplicates(struct charter *p)
{
	const struct kith_mem *mem = &p->c->mem;
	size_t n = p->count;
	const struct kith_assignment **order;
	const struct kith_assignment *dup = NULL, *first_of_dup = NULL, *first = NULL;

	if (n < 2)
		return KITH_OK;
	order = kith_mem_calloc(mem, n, sizeof *order);
	if (!order)
		return KITH_ENOMEM;
	for (size_t i = 0; i < n; i++)
		order[i] = &p->out[i];
	qsort(order, n, sizeof *order, assignment_order);
	for (size_t i = 0; i < n; i++) {
		if (i == 0 || kith_lex_casecmp(order[i - 1]->name, order[i]->name) != 0) {
			first = order[i];
			continue;
		}
		/* Only the second of a group matters: the later ones come after
		 * it in the text. */
		if (order[i - 1] == first && (!dup || order[i] < dup)) {
			dup = order[i];
			first_of_dup = first;
		}
	}
	kith_mem_free(mem, order, n * sizeof *order);
	if (!dup)
		return KITH_OK;

	char msg[KITH_ERROR_MAX];
	size_t key = key_index(p, dup);
	snprintf(msg, sizeof msg, "duplicate key: %.*s was already set on line %" PRIu64,
	         quote_len(strlen(dup->name)), dup->name, first_of_dup->line);
	p->line_no = dup->line;
	return charter_fail_at(p, KITH_ESYNTAX, key, msg);
}

KITH_API kith_status kith_community_apply_charter(kith_community *community, const char *text,
                                                  size_t len)
{
	struct charter p = {0};
	const struct kith_mem *mem;
	kith_status syntax, st;

	if (!community)
		return KITH_EINVAL;
	if (!text)
		return kith_fail(community, KITH_EINVAL, "the charter text is NULL");
	mem = &community->mem;
	p.c = community;
	p.text = text;
	p.len = kith_len(text, len);
	if (p.len >= 3 && memcmp(p.text, "\xEF\xBB\xBF", 3) == 0) {
		p.text += 3;
		p.len -= 3;
	}

	syntax = charter_scan(&p);
	if (p.count == 0)
		return syntax;

	/* Second pass, even after a syntax error: a duplicate key before the
	 * error is the earlier mistake and is reported first. */
	size_t count = p.count, name_bytes = p.name_bytes;
	p.out = kith_mem_calloc(mem, count, sizeof *p.out);
	p.names = kith_mem_alloc(mem, name_bytes);
	if (!p.out || !p.names) {
		st = kith_fail(community, KITH_ENOMEM, "out of memory reading the charter");
		goto out;
	}
	if (charter_scan(&p) != syntax || p.count != count || p.name_bytes != name_bytes) {
		/* Cannot happen: both passes read the same text. */
		st = kith_fail(community, KITH_EINVAL, "the charter text changed while it was read");
		goto out;
	}
	st = charter_check_duplicates(&p);
	if (st == KITH_ENOMEM)
		st = kith_fail(community, KITH_ENOMEM, "out of memory reading the charter");
	if (st != KITH_OK)
		goto out;
	if (syntax != KITH_OK) {
		/* The second pass reported the same error again; it stands. */
		st = syntax;
		goto out;
	}

	size_t failed = 0;
	st = kith_settings_apply(community, p.out, count, &failed);

out:
	if (p.names)
		kith_mem_free(mem, p.names, name_bytes);
	if (p.out)
		kith_mem_free(mem, p.out, count * sizeof *p.out);
	return st;
}
