/*
 * The charter: INI-like text of settings, applied all or nothing.
 * Expected lines and columns below are counted by hand from the texts.
 *
 * SPDX-License-Identifier: MIT
 */
#include "testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* ---- helpers ------------------------------------------------------------ */

static const char *get(const kith_community *c, const char *name)
{
	static char buf[8192];
	kith_status st = kith_setting_get(c, name, KITH_NUL_TERMINATED, buf, sizeof buf, NULL);
	if (st != KITH_OK)
		fail_msg("kith_setting_get(%s, KITH_NUL_TERMINATED): %s", name,
		         kith_status_name(st));
	return buf;
}

static kith_status apply(kith_community *c, const char *text)
{
	return kith_community_apply_charter(c, text, strlen(text));
}

static void apply_ok(kith_community *c, const char *text)
{
	kith_status st = apply(c, text);
	if (st != KITH_OK)
		fail_msg("charter failed (%s): %s", kith_status_name(st),
		         kith_community_last_error(c));
}

static uint32_t role(const kith_community *c, const char *name)
{
	uint32_t r = UINT32_MAX;
	if (kith_community_find_role(c, name, KITH_NUL_TERMINATED, &r) != KITH_OK)
		fail_msg("no role %s", name);
	return r;
}

/* Every setting's name and value, to compare a community before and after
 * a failed call. */
struct settings_dump {
	size_t count;
	char **lines; /* "name=value" */
	uint32_t roles;
};

static void dump_settings(const kith_community *c, struct settings_dump *d)
{
	d->count = kith_setting_count(c);
	d->roles = kith_community_role_count(c);
	d->lines = calloc(d->count, sizeof *d->lines);
	assert_non_null(d->lines);
	for (size_t i = 0; i < d->count; i++) {
		const char *name = NULL;
		assert_int_equal(kith_setting_describe(c, i, &name, NULL, NULL, NULL), KITH_OK);
		assert_non_null(name);
		const char *value = get(c, name);
		size_t n = strlen(name) + strlen(value) + 2;
		d->lines[i] = malloc(n);
		assert_non_null(d->lines[i]);
		snprintf(d->lines[i], n, "%s=%s", name, value);
	}
}

static void dump_free(struct settings_dump *d)
{
	for (size_t i = 0; i < d->count; i++)
		free(d->lines[i]);
	free(d->lines);
	d->lines = NULL;
}

static void assert_same_settings(const struct settings_dump *before, const kith_community *c)
{
	struct settings_dump after;
	dump_settings(c, &after);
	assert_int_equal(after.roles, before->roles);
	assert_int_equal(after.count, before->count);
	for (size_t i = 0; i < after.count; i++)
		assert_string_equal(after.lines[i], before->lines[i]);
	dump_free(&after);
}

/* The last error starts with "line L, column C: ". */
static void assert_error_at(const kith_community *c, unsigned line, unsigned column)
{
	char prefix[64];
	snprintf(prefix, sizeof prefix, "line %u, column %u: ", line, column);
	const char *err = kith_community_last_error(c);
	if (strncmp(err, prefix, strlen(prefix)) != 0)
		fail_msg("expected an error starting \"%s\", got \"%s\"", prefix, err);
}

static void assert_error_has(const kith_community *c, const char *needle)
{
	const char *err = kith_community_last_error(c);
	if (!strstr(err, needle))
		fail_msg("expected \"%s\" in the error \"%s\"", needle, err);
}

/* A charter that fails: the status, where, and that nothing changed. */
static void check_error(const char *text, size_t len, kith_status want, unsigned line,
                        unsigned column, const char *needle)
{
	kith_community *c = test_community_new(NULL);
	struct settings_dump before;
	dump_settings(c, &before);
	kith_status st = kith_community_apply_charter(c, text, len);
	if (st != want)
		fail_msg("charter %s: got %s, want %s (%s)", text, kith_status_name(st),
		         kith_status_name(want), kith_community_last_error(c));
	assert_error_at(c, line, column);
	if (needle)
		assert_error_has(c, needle);
	assert_same_settings(&before, c);
	dump_free(&before);
	kith_community_free(c);
}

static void check_error_str(const char *text, kith_status want, unsigned line, unsigned column,
                            const char *needle)
{
	check_error(text, strlen(text), want, line, column, needle);
}

/* DESIGN.md's example charter up to its first section that this version
 * does not support ([rule no-ads], line 14 of the example). */
static const char design_head[] =
	"# Fission growth lab \xe2\x80\x94 a WeChat-style study group\n"
	"[community]\n"
	"name = Fission Growth Lab\n"
	"topics = fission, growth, referral, operations\n"
	"utc_offset = +08:00\n"
	"capacity = 500\n"
	"# display names must read City-Industry-Name\n"
	"name_format = ^[A-Z][a-z]+-[A-Za-z]+-.+$\n"
	"\n"
	"[role initiator]\n"
	"permissions = invite, announce\n"
	"protected = yes\n"
	"\n";

static const char design_tail[] =
	"[rule no-ads]\n"
	"keywords = add me on, scan the code, cheap followers, vx:\n"
	"unless_role = admin, owner\n"
	"action = delete, warn\n"
	"\n"
	"[rule flood]\n"
	"flood = 6 messages in 10 s\n"
	"action = mute 10 min\n"
	"\n"
	"[rules]\n"
	"ladder = warn, warn, mute 12 h, kick\n"
	"forgive_after = 30 d\n"
	"\n"
	"[cleanup]\n"
	"silent_days = 30\n"
	"newcomer_grace = 3 d\n"
	"ultimatum = 12 h\n"
	"keep_active_share = 0.6\n"
	"\n"
	"[seeds]\n"
	"# about 10% of present members\n"
	"preset = opinion-leaders\n"
	"\n"
	"[activity member-qa]\n"
	"every = 3 d\n"
	"from = 2026-11-21\n"
	"at = 20:00\n"
	"duration = 60 min\n"
	"importance = 3\n"
	"preheat = 8 h\n"
	"\n"
	"[schedule]\n"
	"quiet_hours = 23:00-08:00\n"
	"max_pushes_per_day = 6\n"
	"min_interactions_per_day = 3\n"
	"digest_at = 22:00\n"
	"\n"
	"[templates]\n"
	"welcome = Welcome {member} to {community}! Please read the rules and set your name as "
	"City-Industry-Name within 12 hours.\n";

/* ---- what applies -------------------------------------------------------- */

static void design_example_applies(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	/* A changed capacity shows that [community] keys reach the settings:
	 * the example sets 500 over it. */
	assert_int_equal(kith_setting_set(c, "community.capacity", KITH_NUL_TERMINATED, "200",
	                                  KITH_NUL_TERMINATED),
	                 KITH_OK);
	apply_ok(c, design_head);
	assert_string_equal(get(c, "community.name"), "Fission Growth Lab");
	assert_string_equal(get(c, "community.topics"), "fission, growth, referral, operations");
	assert_string_equal(get(c, "community.utc_offset"), "+08:00");
	assert_string_equal(get(c, "community.capacity"), "500");
	assert_string_equal(get(c, "community.name_format"), "^[A-Z][a-z]+-[A-Za-z]+-.+$");

	uint32_t r = role(c, "initiator");
	assert_int_equal(r, KITH_ROLE_INITIATOR);
	assert_int_equal(kith_role_permissions(c, r), KITH_PERM_INVITE | KITH_PERM_ANNOUNCE);
	assert_int_equal(kith_role_is_protected(c, r), 1);
	assert_string_equal(get(c, "role.initiator.permissions"), "invite, announce");
	assert_string_equal(get(c, "role.initiator.protected"), "yes");
	/* No role was added: initiator is built in. */
	assert_int_equal(kith_community_role_count(c), 8);
	kith_community_free(c);
}

static void design_example_whole_applies(void **state)
{
	(void)state;
	size_t n = strlen(design_head) + strlen(design_tail);
	char *text = malloc(n + 1);
	assert_non_null(text);
	snprintf(text, n + 1, "%s%s", design_head, design_tail);
	/* Every section of the design's example has its engine now, [seeds]
	 * on line 33 the last to come. */
	kith_community *c = test_community_new(NULL);
	apply_ok(c, text);
	assert_string_equal(get(c, "seeds.preset"), "opinion-leaders");
	assert_string_equal(get(c, "cleanup.silent_days"), "30");
	kith_community_free(c);
	free(text);
}

static void value_ledger_digest_sections(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	apply_ok(c, "[value]\n"
	            "weight.text = 2\n"
	            "weight.sticker = 0\n"
	            "half_life_days = 7\n"
	            "repeat_factor = 0.25\n"
	            "[ledger]\n"
	            "capacity = 64\n"
	            "[digest]\n"
	            "size = 5\n");
	assert_string_equal(get(c, "value.weight.text"), "2");
	assert_string_equal(get(c, "value.weight.sticker"), "0");
	assert_string_equal(get(c, "value.half_life_days"), "7");
	assert_string_equal(get(c, "value.repeat_factor"), "0.25");
	assert_string_equal(get(c, "ledger.capacity"), "64");
	assert_string_equal(get(c, "digest.size"), "5");
	/* Untouched settings keep their defaults (no capacity: 0). */
	assert_string_equal(get(c, "value.weight.photo"), "0.9");
	assert_string_equal(get(c, "community.capacity"), "0");
	kith_community_free(c);
}

static void role_sections_define_roles(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	/* Settings besides the roles' own two each (engines add theirs). */
	size_t fixed = kith_setting_count(c) - 2 * 8;
	apply_ok(c, "[role moderator]\n"
	            "permissions = links, exempt\n"
	            "protected = yes\n"
	            "\n"
	            "[role guest]\n"
	            "permissions = none\n"
	            "protected = no\n"
	            "\n"
	            "[role Helper]\n" /* built in, found case-insensitively */
	            "permissions = announce\n"
	            "protected = no\n");
	assert_int_equal(kith_community_role_count(c), 10);

	uint32_t m = role(c, "moderator");
	assert_true(m >= 8);
	assert_int_equal(kith_role_permissions(c, m), KITH_PERM_LINKS | KITH_PERM_EXEMPT);
	assert_int_equal(kith_role_is_protected(c, m), 1);

	uint32_t g = role(c, "guest");
	assert_true(g >= 8 && g != m);
	assert_int_equal(kith_role_permissions(c, g), 0);
	assert_int_equal(kith_role_is_protected(c, g), 0);

	uint32_t h = role(c, "helper");
	assert_int_equal(h, KITH_ROLE_HELPER);
	assert_int_equal(kith_role_permissions(c, h), KITH_PERM_ANNOUNCE);
	assert_int_equal(kith_role_is_protected(c, h), 0);

	/* Each role brings its two settings. */
	assert_int_equal(kith_setting_count(c), fixed + 2 * 10);
	assert_string_equal(get(c, "role.moderator.permissions"), "links, exempt");
	kith_community_free(c);
}

static void role_section_with_one_key(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	apply_ok(c, "[role vip.gold]\nprotected = true\n");
	uint32_t r = role(c, "vip.gold");
	assert_int_equal(kith_role_is_protected(c, r), 1);
	assert_int_equal(kith_role_permissions(c, r), 0);
	kith_community_free(c);
}

static void syntax_variants_accepted(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	/* A byte order mark, CRLF line ends, blanks and tabs around keys,
	 * values and inside brackets, comments after blanks, '#' and '='
	 * inside values, and a last line without a newline. */
	apply_ok(c, "\xEF\xBB\xBF; a comment\r\n"
	            "   # another\r\n"
	            "\t;\tand another\r\n"
	            "[ community ]  \r\n"
	            "\r\n"
	            "\tname\t=\t Lab #1 ; not a comment \t\r\n"
	            "name_format = ^a=b$\r\n"
	            "  [digest]\r\n"
	            "size=3");
	assert_string_equal(get(c, "community.name"), "Lab #1 ; not a comment");
	assert_string_equal(get(c, "community.name_format"), "^a=b$");
	assert_string_equal(get(c, "digest.size"), "3");
	kith_community_free(c);
}

static void empty_value_and_empty_charter(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	assert_int_equal(kith_setting_set(c, "community.name", KITH_NUL_TERMINATED, "Old",
	                                  KITH_NUL_TERMINATED),
	                 KITH_OK);
	apply_ok(c, "[community]\nname =\n");
	assert_string_equal(get(c, "community.name"), "");

	assert_int_equal(kith_community_apply_charter(c, "", 0), KITH_OK);
	assert_int_equal(apply(c, "\n\n# only comments\n   \n"), KITH_OK);
	assert_int_equal(apply(c, "\xEF\xBB\xBF"), KITH_OK);
	/* A section with no keys changes nothing. */
	assert_int_equal(apply(c, "[community]\n[value]\n"), KITH_OK);
	assert_string_equal(get(c, "community.name"), "");
	kith_community_free(c);
}

static void nul_terminated_length(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	assert_int_equal(
	    kith_community_apply_charter(c, "[community]\ncapacity = 42\n", KITH_NUL_TERMINATED),
	    KITH_OK);
	assert_string_equal(get(c, "community.capacity"), "42");
	/* An explicit length reads only that prefix: "capacity = 4". */
	const char *text = "[community]\ncapacity = 43\n";
	assert_int_equal(kith_community_apply_charter(c, text, 24), KITH_OK);
	assert_string_equal(get(c, "community.capacity"), "4");
	kith_community_free(c);
}

static void null_arguments(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	assert_int_equal(kith_community_apply_charter(NULL, "[community]\n", 12), KITH_EINVAL);
	assert_int_equal(kith_community_apply_charter(c, NULL, 3), KITH_EINVAL);
	assert_true(strlen(kith_community_last_error(c)) > 0);
	kith_community_free(c);
}

/* ---- errors with their line and column ------------------------------------ */

static void key_outside_section(void **state)
{
	(void)state;
	check_error_str("capacity = 5\n", KITH_ESYNTAX, 1, 1, "outside any section");
	check_error_str("# intro\n\n  capacity = 5\n[community]\n", KITH_ESYNTAX, 3, 3,
	                "outside any section");
}

static void line_without_equals(void **state)
{
	(void)state;
	check_error_str("[community]\nname Lab\n", KITH_ESYNTAX, 2, 1, NULL);
	check_error_str("[community]\nname = a\n   capacity\n", KITH_ESYNTAX, 3, 4, NULL);
}

static void empty_key(void **state)
{
	(void)state;
	/* The column is the '=' where a key was expected. */
	check_error_str("[community]\n= x\n", KITH_ESYNTAX, 2, 1, NULL);
	check_error_str("[community]\n  \t = x\n", KITH_ESYNTAX, 2, 5, NULL);
}

static void bad_key_bytes(void **state)
{
	(void)state;
	check_error_str("[community]\nna me = x\n", KITH_ESYNTAX, 2, 3, NULL);
	check_error_str("[community]\ncapa$city = 3\n", KITH_ESYNTAX, 2, 5, "'$'");
	/* A NUL byte inside a key (the length is explicit). */
	static const char nul[] = "[community]\nna\0me = x\n";
	check_error(nul, sizeof nul - 1, KITH_ESYNTAX, 2, 3, "0x00");
}

static void bad_section_headers(void **state)
{
	(void)state;
	/* Missing ']': the column is just after the header's last byte. */
	check_error_str("[community\nname = x\n", KITH_ESYNTAX, 1, 11, "']'");
	check_error_str("\n[community  \n", KITH_ESYNTAX, 2, 11, "']'");
	/* [role] without a name: at the ']'. */
	check_error_str("\n[role]\n", KITH_ESYNTAX, 2, 6, "[role NAME]");
	check_error_str("[ role ]\n", KITH_ESYNTAX, 1, 8, "[role NAME]");
	/* A third word: at the 'y'. */
	check_error_str("[ role x y ]\n", KITH_ESYNTAX, 1, 10, NULL);
	/* Text after the header. */
	check_error_str("[community] extra\n", KITH_ESYNTAX, 1, 13, NULL);
	check_error_str("[community]]\n", KITH_ESYNTAX, 1, 12, NULL);
	/* A name where none belongs. */
	check_error_str("[community main]\n", KITH_ESYNTAX, 1, 12, "takes no name");
	/* An empty header. */
	check_error_str("[]\n", KITH_ESYNTAX, 1, 2, NULL);
	check_error_str("[   ]\n", KITH_ESYNTAX, 1, 5, NULL);
	/* A role name with a forbidden byte or over 64 bytes. */
	check_error_str("[role a/b]\n", KITH_ESYNTAX, 1, 7, "bad role name");
	char longname[128];
	snprintf(longname, sizeof longname, "[role %065d]\n", 0);
	check_error_str(longname, KITH_ESYNTAX, 1, 7, "bad role name");
}

static void unknown_section(void **state)
{
	(void)state;
	check_error_str("[community]\nname = a\n[comunity]\n", KITH_ESYNTAX, 3, 2,
	                "unknown section [comunity]");
	check_error_str("[ Community ]\n", KITH_ESYNTAX, 1, 3, "unknown section");
}

static void duplicate_keys(void **state)
{
	(void)state;
	check_error_str("[community]\ncapacity = 1\n  capacity = 2\n", KITH_ESYNTAX, 3, 3,
	                "line 2");
	/* The same section opened twice is still the same setting. */
	check_error_str("[community]\nname = a\n[value]\ntopic_bonus = 1\n[community]\nname = b\n",
	                KITH_ESYNTAX, 6, 1, "already set on line 2");
	/* Role names are case-insensitive, so these are one role. */
	check_error_str("[role Mod]\nprotected = yes\n[role mod]\nprotected = no\n", KITH_ESYNTAX,
	                4, 1, "already set on line 2");
	/* The earliest duplicate in the text is reported, here line 5 (of
	 * name, first on line 2) and not line 6 (of capacity, first on 3). */
	check_error_str("[community]\nname = a\ncapacity = 3\n[community]\nname = b\n"
	                "capacity = 4\n",
	                KITH_ESYNTAX, 5, 1, "already set on line 2");
	/* A duplicate before a syntax error is the earlier mistake. */
	check_error_str("[community]\nname = a\nname = b\n\nbroken line\n", KITH_ESYNTAX, 3, 1,
	                "already set on line 2");
	/* The same key in different sections is fine. */
	kith_community *c = test_community_new(NULL);
	apply_ok(c, "[ledger]\ncapacity = 32\n[community]\ncapacity = 33\n");
	assert_string_equal(get(c, "ledger.capacity"), "32");
	assert_string_equal(get(c, "community.capacity"), "33");
	kith_community_free(c);
}

static void crlf_and_bom_positions(void **state)
{
	(void)state;
	/* A CRLF file counts lines the same; the BOM is not a column. */
	check_error_str("[community]\r\nname = a\r\nbogus\r\n", KITH_ESYNTAX, 3, 1, NULL);
	check_error_str("\xEF\xBB\xBFname = x", KITH_ESYNTAX, 1, 1, "outside any section");
	check_error_str("\xEF\xBB\xBF[community\r\n", KITH_ESYNTAX, 1, 11, NULL);
	/* The error on a last line without a newline. */
	check_error_str("[community]\nname = a\n[role]", KITH_ESYNTAX, 3, 6, NULL);
}

static void setting_errors_carry_the_value_position(void **state)
{
	(void)state;
	/* Errors found by the settings themselves point at the value. */
	check_error_str("[community]\ncapacity = -1\n", KITH_ERANGE, 2, 12, "community.capacity");
	check_error_str("[community]\nname = ok\n  capacity   =   many\n", KITH_EINVAL, 3, 18,
	                "'many'");
	check_error_str("[community]\nbogus = 1\n", KITH_ENOTFOUND, 2, 9, "community.bogus");
	check_error_str("[value]\nweight.gif = 1\n", KITH_ENOTFOUND, 2, 14, "value.weight.gif");
	check_error_str("[community]\nname_format = ([a-z\n", KITH_EINVAL, 2, 15, NULL);
	/* A role section takes permissions and protected only; an unknown
	 * key is reported at the key. A dotted key must not reach the
	 * settings as role.mod.x.protected, which would define role mod.x. */
	check_error_str("[role mod]\ncolour = red\n", KITH_ENOTFOUND, 2, 1, "colour");
	check_error_str("[role mod]\nprotected = yes\n  x.protected = yes\n", KITH_ENOTFOUND, 3, 3,
	                "x.protected");
	check_error_str("[role mod]\nprotected = perhaps\n", KITH_EINVAL, 2, 13, "'perhaps'");
	check_error_str("[role mod]\npermissions = invite, fly\n", KITH_EINVAL, 2, 15, NULL);
}

/* ---- all or nothing --------------------------------------------------------- */

static void error_on_last_line_applies_nothing(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	apply_ok(c, "[community]\nname = Before\ncapacity = 100\n");
	struct settings_dump before;
	dump_settings(c, &before);

	kith_status st = apply(c, "[community]\n"
	                          "name = After\n"
	                          "topics = a, b\n"
	                          "utc_offset = -05:30\n"
	                          "capacity = 300\n"
	                          "name_format = ^x$\n"
	                          "[role newcomer]\n"
	                          "permissions = invite\n"
	                          "[role admin]\n"
	                          "protected = no\n"
	                          "[value]\n"
	                          "weight.text = 3\n"
	                          "[ledger]\n"
	                          "capacity = 128\n"
	                          "[digest]\n"
	                          "size = 101\n");
	assert_int_equal(st, KITH_ERANGE);
	assert_error_at(c, 16, 8);
	assert_same_settings(&before, c);
	uint32_t r;
	assert_int_equal(kith_community_find_role(c, "newcomer", KITH_NUL_TERMINATED, &r),
	                 KITH_ENOTFOUND);
	assert_int_equal(kith_role_is_protected(c, KITH_ROLE_ADMIN), 1);
	assert_string_equal(get(c, "community.name"), "Before");

	/* A syntax error on the last line: the same. */
	st = apply(c, "[community]\nname = After\n[role newcomer]\npermissions = invite\n[digest]\n"
	              "size 5");
	assert_int_equal(st, KITH_ESYNTAX);
	assert_error_at(c, 6, 1);
	assert_same_settings(&before, c);
	dump_free(&before);
	kith_community_free(c);
}

static void seeds_section(void **state)
{
	(void)state;
	/* [seeds] applies all or nothing like every section: a bad value on
	 * line 4 leaves the good one on line 3 unapplied. */
	check_error_str("[seeds]\nweight_reach = 2\nepsilon = 2\n", KITH_ERANGE, 3, 11,
	                "seeds.epsilon");
	check_error_str("[seeds]\npreset = leaders\n", KITH_EINVAL, 2, 10, "leaders");
	kith_community *c = test_community_new(NULL);
	apply_ok(c, "[seeds]\npreset = seed-users\nweight_reach = 2.5\ndeny = alice, bob\n");
	assert_string_equal(get(c, "seeds.preset"), "seed-users");
	assert_string_equal(get(c, "seeds.weight_reach"), "2.5");
	assert_string_equal(get(c, "seeds.weight_need"), "-1");
	assert_string_equal(get(c, "seeds.deny"), "alice, bob");
	kith_community_free(c);
}

/* ---- allocation failures ------------------------------------------------------ */

static void allocation_failures(void **state)
{
	(void)state;
	const char *text = "[community]\n"
	                   "name = Lab\n"
	                   "topics = a, b\n"
	                   "name_format = ^[A-Z]\n"
	                   "capacity = 77\n"
	                   "[role moderator]\n"
	                   "permissions = links\n"
	                   "protected = yes\n"
	                   "[ledger]\n"
	                   "capacity = 64\n";
	bool succeeded = false;
	uint64_t failures = 0;
	for (uint64_t n = 1; n < 10000 && !succeeded; n++) {
		struct test_alloc ta = {0};
		kith_community *c = test_community_new(&ta);
		struct settings_dump before;
		dump_settings(c, &before);
		ta.fail_at = ta.calls + n;
		kith_status st = apply(c, text);
		ta.fail_at = 0;
		if (st == KITH_OK) {
			succeeded = true;
			assert_string_equal(get(c, "community.capacity"), "77");
			assert_string_equal(get(c, "ledger.capacity"), "64");
			assert_int_equal(kith_role_permissions(c, role(c, "moderator")),
			                 KITH_PERM_LINKS);
		} else {
			failures++;
			if (st != KITH_ENOMEM)
				fail_msg("allocation %llu failed: got %s (%s)",
				         (unsigned long long)n, kith_status_name(st),
				         kith_community_last_error(c));
			assert_same_settings(&before, c);
			/* The community still works after the failure. */
			assert_int_equal(kith_setting_set(c, "digest.size", KITH_NUL_TERMINATED,
			                                  "7", KITH_NUL_TERMINATED),
			                 KITH_OK);
		}
		dump_free(&before);
		kith_community_free(c);
		assert_int_equal(ta.live_bytes, 0);
		assert_int_equal(ta.live_blocks, 0);
	}
	assert_true(succeeded);
	/* The charter allocates at least its assignments and their names. */
	assert_true(failures >= 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(design_example_applies),
	    cmocka_unit_test(design_example_whole_applies),
	    cmocka_unit_test(value_ledger_digest_sections),
	    cmocka_unit_test(role_sections_define_roles),
	    cmocka_unit_test(role_section_with_one_key),
	    cmocka_unit_test(syntax_variants_accepted),
	    cmocka_unit_test(empty_value_and_empty_charter),
	    cmocka_unit_test(nul_terminated_length),
	    cmocka_unit_test(null_arguments),
	    cmocka_unit_test(key_outside_section),
	    cmocka_unit_test(line_without_equals),
	    cmocka_unit_test(empty_key),
	    cmocka_unit_test(bad_key_bytes),
	    cmocka_unit_test(bad_section_headers),
	    cmocka_unit_test(unknown_section),
	    cmocka_unit_test(duplicate_keys),
	    cmocka_unit_test(crlf_and_bom_positions),
	    cmocka_unit_test(setting_errors_carry_the_value_position),
	    cmocka_unit_test(error_on_last_line_applies_nothing),
	    cmocka_unit_test(seeds_section),
	    cmocka_unit_test(allocation_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
