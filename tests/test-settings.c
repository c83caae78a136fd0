/*
 * Settings: every entry of the settings reference in include/kith.h, its
 * default, bounds, malformed values and errors. The expectations are taken
 * from the header's documentation, not from the implementation.
 *
 * SPDX-License-Identifier: MIT
 */
#include "testutil.h"

#include "engines/cleanup/engine.h" /* each engine's duration in ms */
#include "model/community.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define NO_BOUNDS NAN /* the header documents no bound for this type */

/* One setting of the reference: values that must be accepted, values out
 * of bounds, and values that are not of the type at all. */
struct setting_case {
	const char *name;
	kith_setting_type type;
	double min, max;     /* as kith_setting_describe reports them */
	const char *def;     /* the default, in canonical form */
	const char *valid[8];
	const char *out_of_range[6];
	const char *malformed[6];
};

#define WEIGHT(kind, d)                                                                            \
	{                                                                                          \
		"value.weight." kind, KITH_SETTING_NUMBER, 0, 100, d,                              \
		    {"0", "100", "2.5", "0.125", "42"}, {"-0.5", "100.5", "1e9"},              \
		    {"abc", "1.5x", "", "0.1.2"},                                              \
	}

static const struct setting_case cases[] = {
    {"community.name", KITH_SETTING_TEXT, 0, 256, "",
     {"Fission Growth Lab", "", "A", "\xe8\xa3\x82\xe5\x8f\x98 #1 = ok"}, {NULL}, {NULL}},
    {"community.topics", KITH_SETTING_LIST, 0, 64, "",
     {"fission, growth, referral, operations", "one", ""}, {NULL}, {NULL}},
    {"community.utc_offset", KITH_SETTING_UTC_OFFSET, NO_BOUNDS, NO_BOUNDS, "+00:00",
     {"+08:00", "-05:30", "+14:00", "-14:00", "+05:45", "+00:00"},
     {"+14:01", "-14:30", "+15:00", "-23:00"},
     {"abc", "", "08:00x", "+08:0", "+08:60", "UTC"}},
    {"community.capacity", KITH_SETTING_INTEGER, 0, 33554430, "0",
     {"1", "33554430", "200", "12345", "0"},
     {"33554431", "-1", "100000000000", "99999999999999999999"},
     {"abc", "", "12x", "1.5", "five"}},
    {"community.name_format", KITH_SETTING_REGEX, NO_BOUNDS, NO_BOUNDS, "",
     {"^[A-Z][a-z]+-[A-Za-z]+-.+$", "", "a|b", "^(x|y){2,3}$"},
     {NULL},
     {"(", "a[", "*a{"}},
    {"value.half_life_days", KITH_SETTING_NUMBER, 0.01, 36500, "30",
     {"0.01", "36500", "7", "0.5", "365.25"},
     {"0", "0.001", "36501", "-30", "1e6"},
     {"abc", "30 days", "", "3..0"}},
    WEIGHT("text", "1"),
    WEIGHT("photo", "0.9"),
    WEIGHT("video", "0.8"),
    WEIGHT("voice", "0.7"),
    WEIGHT("link", "0.6"),
    WEIGHT("article", "0.5"),
    WEIGHT("document", "0.4"),
    WEIGHT("share", "0.3"),
    WEIGHT("other", "0.2"),
    WEIGHT("sticker", "0.1"),
    WEIGHT("envelope", "0.1"),
    WEIGHT("system", "0"),
    {"value.greeting_weight", KITH_SETTING_NUMBER, 0, 100, "0.1",
     {"0", "100", "0.05", "3"}, {"-1", "100.01"}, {"abc", "", "0,5"}},
    {"value.topic_bonus", KITH_SETTING_NUMBER, 0, 100, "0.5",
     {"0", "100", "1.75"}, {"-0.01", "101"}, {"abc", "", "1 5"}},
    {"value.repeat_factor", KITH_SETTING_NUMBER, 0, 1, "0.2",
     {"0", "1", "0.75", "0.333"}, {"-0.1", "1.01", "2"}, {"abc", "", "half"}},
    {"value.reply_credit", KITH_SETTING_NUMBER, 0, 100, "0.5",
     {"0", "100", "2"}, {"-2", "200"}, {"abc", "", "2x"}},
    {"value.reaction_credit", KITH_SETTING_NUMBER, 0, 100, "0.2",
     {"0", "100", "0.4"}, {"-0.2", "100.2"}, {"abc", "", "."}},
    {"value.high_threshold", KITH_SETTING_NUMBER, 0, 1000, "0.5",
     {"0", "1000", "12.5"}, {"-0.5", "1000.5", "5000"}, {"abc", "", "--1"}},
    {"ledger.capacity", KITH_SETTING_INTEGER, 16, 1048576, "1024",
     {"16", "1048576", "100", "65536"}, {"15", "0", "1048577", "-16"},
     {"abc", "", "4k", "64.0"}},
    {"digest.size", KITH_SETTING_INTEGER, 1, 100, "10",
     {"1", "100", "25"}, {"0", "101", "-3"}, {"abc", "", "ten", "2 3"}},
};

#define CASE_COUNT (sizeof cases / sizeof cases[0])
/* The reference lists 26 fixed settings: 5 community.*, 19 value.* (12 of
 * them weights), ledger.capacity and digest.size. */
#define FIXED_SETTINGS 26
#define BUILTIN_ROLES 8

static const char *const builtin_roles[BUILTIN_ROLES] = {
    "owner", "admin", "opinion-leader", "seed", "initiator", "expert", "helper", "member",
};

/* ---- helpers ------------------------------------------------------------ */

static char *get(const kith_community *c, const char *name)
{
	static char buf[8192];
	kith_status st = kith_setting_get(c, name, KITH_NUL_TERMINATED, buf, sizeof buf, NULL);
	if (st != KITH_OK)
		fail_msg("kith_setting_get(%s, KITH_NUL_TERMINATED): %s", name,
		         kith_status_name(st));
	return buf;
}

static char *get_copy(const kith_community *c, const char *name)
{
	char *s = strdup(get(c, name));
	assert_non_null(s);
	return s;
}

static kith_status set(kith_community *c, const char *name, const char *value)
{
	return kith_setting_set(c, name, KITH_NUL_TERMINATED, value, strlen(value));
}

static void set_ok(kith_community *c, const char *name, const char *value)
{
	kith_status st = set(c, name, value);
	if (st != KITH_OK)
		fail_msg("%s = '%s': %s (%s)", name, value, kith_status_name(st),
		         kith_community_last_error(c));
}

/* The last error names the setting and quotes the value, in '' or "". */
static void assert_error_names(const kith_community *c, const char *name, const char *value)
{
	const char *err = kith_community_last_error(c);
	if (!strstr(err, name))
		fail_msg("the error \"%s\" does not name %s", err, name);
	if (!value)
		return;
	char single[512], dbl[512];
	snprintf(single, sizeof single, "'%s'", value);
	snprintf(dbl, sizeof dbl, "\"%s\"", value);
	if (!strstr(err, single) && !strstr(err, dbl))
		fail_msg("the error \"%s\" does not quote the value '%s'", err, value);
}

/* Setting name = value fails with want and leaves the old value. Prints
 * what is wrong and returns false, so that a test can list every
 * disagreement with the header before it fails. */
static bool rejected_as(kith_community *c, const char *name, const char *value, kith_status want)
{
	char *before = get_copy(c, name);
	bool ok = true;
	kith_status st = set(c, name, value);
	const char *err = kith_community_last_error(c);
	if (st != want) {
		print_error("%s = '%s': got %s, want %s (%s)\n", name, value, kith_status_name(st),
		            kith_status_name(want), err);
		ok = false;
	}
	if (!strstr(err, name)) {
		print_error("%s = '%s': the error \"%s\" does not name the setting\n", name, value,
		            err);
		ok = false;
	}
	char single[512], dbl[512];
	snprintf(single, sizeof single, "'%s'", value);
	snprintf(dbl, sizeof dbl, "\"%s\"", value);
	if (!strstr(err, single) && !strstr(err, dbl)) {
		print_error("%s = '%s': the error \"%s\" does not quote the value\n", name, value,
		            err);
		ok = false;
	}
	if (strcmp(get(c, name), before) != 0) {
		print_error("%s = '%s' changed the value from '%s' to '%s'\n", name, value, before,
		            get(c, name));
		ok = false;
	}
	free(before);
	return ok;
}

static void check_rejected(kith_community *c, const char *name, const char *value,
                           kith_status want)
{
	if (!rejected_as(c, name, value, want))
		fail_msg("%s = '%s' was not rejected as documented", name, value);
}

/* ---- defaults and round trips --------------------------------------------- */

static void defaults_in_canonical_form(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	int wrong = 0;
	for (size_t i = 0; i < CASE_COUNT; i++) {
		const char *got = get(c, cases[i].name);
		if (strcmp(got, cases[i].def) != 0) {
			print_error("default of %s: got '%s', want '%s'\n", cases[i].name, got,
			            cases[i].def);
			wrong++;
		}
	}
	kith_community_free(c);
	assert_int_equal(wrong, 0);
}

static void valid_values_round_trip(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	for (size_t i = 0; i < CASE_COUNT; i++) {
		const struct setting_case *sc = &cases[i];
		for (size_t k = 0; k < 8 && sc->valid[k]; k++) {
			set_ok(c, sc->name, sc->valid[k]);
			char *first = get_copy(c, sc->name);
			set_ok(c, sc->name, first);
			char *second = get_copy(c, sc->name);
			if (strcmp(first, second) != 0)
				fail_msg("%s = '%s' reads '%s', which sets back as '%s'", sc->name,
				         sc->valid[k], first, second);
			/* Numbers read back as the same number. */
			if (sc->type == KITH_SETTING_NUMBER || sc->type == KITH_SETTING_INTEGER)
				assert_true(strtod(first, NULL) == strtod(sc->valid[k], NULL));
			free(first);
			free(second);
		}
	}
	kith_community_free(c);
}

static void canonical_forms_documented(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	/* Values already in the header's canonical forms read back as set. */
	static const char *const same[][2] = {
	    {"community.utc_offset", "+08:00"},
	    {"community.utc_offset", "-05:30"},
	    {"community.utc_offset", "-14:00"},
	    {"community.capacity", "123"},
	    {"community.name", "Fission Growth Lab"},
	    {"community.topics", "fission, growth, referral"},
	    {"community.name_format", "^[A-Z]"},
	    {"value.half_life_days", "7"},
	    {"value.weight.photo", "0.25"},
	    {"value.weight.text", "100"},
	    {"value.half_life_days", "36500"},
	    {"value.high_threshold", "1000"},
	    {"role.member.permissions", "invite, links"},
	    {"role.member.permissions", "none"},
	};
	int wrong = 0;
	for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
		set_ok(c, same[i][0], same[i][1]);
		if (strcmp(get(c, same[i][0]), same[i][1]) != 0) {
			print_error("%s = '%s' reads back as '%s'\n", same[i][0], same[i][1],
			            get(c, same[i][0]));
			wrong++;
		}
	}
	/* Blanks around list items do not matter. */
	set_ok(c, "community.topics", "a,b ,  c");
	assert_string_equal(get(c, "community.topics"), "a, b, c");
	kith_community_free(c);
	assert_int_equal(wrong, 0);
}

/* ---- rejections --------------------------------------------------------------- */

static void out_of_bounds_is_erange(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	int wrong = 0;
	for (size_t i = 0; i < CASE_COUNT; i++)
		for (size_t k = 0; k < 6 && cases[i].out_of_range[k]; k++)
			wrong += !rejected_as(c, cases[i].name, cases[i].out_of_range[k], KITH_ERANGE);
	kith_community_free(c);
	assert_int_equal(wrong, 0);
}

static void malformed_is_einval(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	int wrong = 0;
	for (size_t i = 0; i < CASE_COUNT; i++)
		for (size_t k = 0; k < 6 && cases[i].malformed[k]; k++)
			wrong += !rejected_as(c, cases[i].name, cases[i].malformed[k], KITH_EINVAL);
	kith_community_free(c);
	assert_int_equal(wrong, 0);
}

static void text_and_list_limits(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	char name[300];

	/* community.name: 0 .. 256 bytes. */
	memset(name, 'n', 256);
	name[256] = '\0';
	set_ok(c, "community.name", name);
	assert_int_equal(strlen(get(c, "community.name")), 256);
	name[256] = 'n';
	name[257] = '\0';
	char *before = get_copy(c, "community.name");
	assert_int_equal(set(c, "community.name", name), KITH_ERANGE);
	assert_error_names(c, "community.name", NULL);
	assert_string_equal(get(c, "community.name"), before);
	free(before);

	/* community.topics: up to 64 keywords. */
	char topics[1024];
	size_t len = 0;
	for (int i = 0; i < 64; i++)
		len += (size_t)snprintf(topics + len, sizeof topics - len, "%st%d", i ? ", " : "", i);
	set_ok(c, "community.topics", topics);
	assert_string_equal(get(c, "community.topics"), topics);
	snprintf(topics + len, sizeof topics - len, ", t64");
	assert_int_equal(set(c, "community.topics", topics), KITH_ERANGE);
	assert_error_names(c, "community.topics", NULL);
	assert_true(strstr(get(c, "community.topics"), "t63") != NULL);
	assert_true(strstr(get(c, "community.topics"), "t64") == NULL);
	kith_community_free(c);
}

static void unknown_names_are_enotfound(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	static const char *const names[] = {
	    "community.nope", "community", "value.weight", "value.weight.gif", "capacity",
	    "", "ledger.size", "digest.capacity", "role.admin.colour", "value.weight.text.x",
	};
	char buf[64];
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		kith_status st = set(c, names[i], "1");
		if (st != KITH_ENOTFOUND)
			fail_msg("set '%s': got %s", names[i], kith_status_name(st));
		st = kith_setting_get(c, names[i], KITH_NUL_TERMINATED, buf, sizeof buf, NULL);
		if (st != KITH_ENOTFOUND)
			fail_msg("get '%s': got %s", names[i], kith_status_name(st));
	}
	/* Reading a role that does not exist finds nothing (and defines nothing). */
	assert_int_equal(kith_setting_get(c, "role.ghost.permissions", KITH_NUL_TERMINATED, buf,
	                                  sizeof buf, NULL),
	                 KITH_ENOTFOUND);
	assert_int_equal(kith_community_role_count(c), BUILTIN_ROLES);
	/* The error of a set names the setting. */
	assert_int_equal(set(c, "community.nope", "1"), KITH_ENOTFOUND);
	assert_error_names(c, "community.nope", NULL);
	kith_community_free(c);
}

/* The name is a (pointer, length) pair like every string: a length ends it
 * wherever the bytes go on, and a NUL inside it is part of the name. */
static void names_taken_with_their_length(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	static const char bytes[] = "digest.size.and.more";
	char buf[64];
	assert_int_equal(kith_setting_set(c, bytes, 11, "7", 1), KITH_OK);
	assert_string_equal(get(c, "digest.size"), "7");
	size_t needed = 0;
	assert_int_equal(kith_setting_get(c, bytes, 11, buf, sizeof buf, &needed), KITH_OK);
	assert_string_equal(buf, "7");
	assert_int_equal(needed, 1);
	/* One byte short or one byte long is another name. */
	assert_int_equal(kith_setting_set(c, bytes, 10, "8", 1), KITH_ENOTFOUND);
	assert_int_equal(kith_setting_get(c, bytes, 12, buf, sizeof buf, NULL), KITH_ENOTFOUND);
	/* "digest.size\0" with its NUL counted names no setting. */
	assert_int_equal(kith_setting_set(c, "digest.size", 12, "8", 1), KITH_ENOTFOUND);
	assert_int_equal(kith_setting_get(c, "digest.size", 12, buf, sizeof buf, NULL),
	                 KITH_ENOTFOUND);
	/* A name far longer than any setting's is unknown, not an overflow. */
	char long_name[4096];
	memset(long_name, 'x', sizeof long_name);
	memcpy(long_name, "digest.size", 11);
	assert_int_equal(kith_setting_set(c, long_name, sizeof long_name, "8", 1), KITH_ENOTFOUND);
	assert_int_equal(kith_setting_get(c, long_name, sizeof long_name, buf, sizeof buf, NULL),
	                 KITH_ENOTFOUND);
	assert_string_equal(get(c, "digest.size"), "7");
	kith_community_free(c);
}

static void null_arguments(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	char buf[16];
	assert_int_equal(kith_setting_set(NULL, "digest.size", KITH_NUL_TERMINATED, "3", 1),
	                 KITH_EINVAL);
	assert_int_equal(kith_setting_set(c, NULL, KITH_NUL_TERMINATED, "3", 1), KITH_EINVAL);
	assert_int_equal(kith_setting_set(c, "digest.size", KITH_NUL_TERMINATED, NULL, 1),
	                 KITH_EINVAL);
	assert_int_equal(
	        kith_setting_get(NULL, "digest.size", KITH_NUL_TERMINATED, buf, sizeof buf, NULL),
	        KITH_EINVAL);
	assert_int_equal(kith_setting_get(c, NULL, KITH_NUL_TERMINATED, buf, sizeof buf, NULL),
	                 KITH_EINVAL);
	assert_int_equal(kith_setting_count(NULL), 0);
	assert_int_equal(kith_setting_describe(NULL, 0, NULL, NULL, NULL, NULL), KITH_EINVAL);
	assert_string_equal(get(c, "digest.size"), "10");
	kith_community_free(c);
}

/* ---- reading: buffer sizes ------------------------------------------------------- */

static void get_truncates_and_reports_needed(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	set_ok(c, "community.name", "Fission Growth Lab"); /* 18 bytes */
	char buf[8];
	size_t needed = 0;
	assert_int_equal(kith_setting_get(c, "community.name", KITH_NUL_TERMINATED, buf, sizeof buf,
	                                  &needed),
	                 KITH_OK);
	assert_int_equal(needed, 18);
	assert_string_equal(buf, "Fission");
	needed = 0;
	assert_int_equal(
	        kith_setting_get(c, "community.name", KITH_NUL_TERMINATED, NULL, 0, &needed),
	        KITH_OK);
	assert_int_equal(needed, 18);
	char big[19];
	assert_int_equal(kith_setting_get(c, "community.name", KITH_NUL_TERMINATED, big, sizeof big,
	                                  &needed),
	                 KITH_OK);
	assert_string_equal(big, "Fission Growth Lab");
	kith_community_free(c);
}

/* ---- enumeration ---------------------------------------------------------------- */

/* Engine settings (cleanup.*, health.*, rules.* ...) are tested by their
 * engines' suites; here they are only counted. */
static bool is_engine_setting(const char *name)
{
	static const char *const prefixes[] = {"cleanup.", "health.", "rules.", "seeds.",
	                                       "schedule.", "templates.", "levels."};
	for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
		if (strncmp(name, prefixes[i], strlen(prefixes[i])) == 0)
			return true;
	return false;
}

static size_t engine_settings(const kith_community *c)
{
	size_t n = 0;
	for (size_t i = 0; i < kith_setting_count(c); i++) {
		const char *name = NULL;
		kith_setting_describe(c, i, &name, NULL, NULL, NULL);
		n += name && is_engine_setting(name);
	}
	return n;
}

static void count_and_describe_enumerate_all(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	size_t count = kith_setting_count(c);
	assert_int_equal(count, FIXED_SETTINGS + engine_settings(c) + 2 * BUILTIN_ROLES);
	assert_int_equal(CASE_COUNT, FIXED_SETTINGS);

	int seen_case[CASE_COUNT] = {0};
	int seen_perm[BUILTIN_ROLES] = {0}, seen_prot[BUILTIN_ROLES] = {0};
	for (size_t i = 0; i < count; i++) {
		const char *name = NULL;
		kith_setting_type type = 0;
		double lo = NAN, hi = NAN;
		assert_int_equal(kith_setting_describe(c, i, &name, &type, &lo, &hi), KITH_OK);
		assert_non_null(name);
		/* Every described setting can be read. */
		char buf[8192];
		assert_int_equal(
		        kith_setting_get(c, name, KITH_NUL_TERMINATED, buf, sizeof buf, NULL),
		        KITH_OK);

		size_t k;
		for (k = 0; k < CASE_COUNT; k++)
			if (strcmp(cases[k].name, name) == 0)
				break;
		if (k < CASE_COUNT) {
			seen_case[k]++;
			assert_int_equal(type, cases[k].type);
			if (!isnan(cases[k].min)) {
				assert_true(lo == cases[k].min);
				assert_true(hi == cases[k].max);
			}
			continue;
		}
		if (is_engine_setting(name))
			continue;
		for (k = 0; k < BUILTIN_ROLES; k++) {
			char want[64];
			snprintf(want, sizeof want, "role.%s.permissions", builtin_roles[k]);
			if (strcmp(want, name) == 0) {
				seen_perm[k]++;
				assert_int_equal(type, KITH_SETTING_LIST);
				break;
			}
			snprintf(want, sizeof want, "role.%s.protected", builtin_roles[k]);
			if (strcmp(want, name) == 0) {
				seen_prot[k]++;
				assert_int_equal(type, KITH_SETTING_BOOLEAN);
				break;
			}
		}
		if (k == BUILTIN_ROLES)
			fail_msg("describe(%zu) gave an unexpected setting '%s'", i, name);
	}
	for (size_t k = 0; k < CASE_COUNT; k++)
		if (seen_case[k] != 1)
			fail_msg("%s was described %d times", cases[k].name, seen_case[k]);
	for (size_t k = 0; k < BUILTIN_ROLES; k++) {
		assert_int_equal(seen_perm[k], 1);
		assert_int_equal(seen_prot[k], 1);
	}
	assert_int_equal(kith_setting_describe(c, count, NULL, NULL, NULL, NULL), KITH_ENOTFOUND);

	/* UTC offset bounds are symmetric, whatever their unit. */
	for (size_t i = 0; i < count; i++) {
		const char *name;
		double lo, hi;
		kith_setting_describe(c, i, &name, NULL, &lo, &hi);
		if (strcmp(name, "community.utc_offset") == 0) {
			assert_true(hi > 0);
			assert_true(lo == -hi);
		}
	}
	kith_community_free(c);
}

/* Every duration setting reads one syntax (include/kith.h): the engine's
 * rules.forgive_after and the cleanup engine's durations accept the same
 * forms with the same meaning. */
static void durations_have_one_syntax(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		int64_t ms;
		const char *canonical; /* as a cleanup duration reads back */
	} forms[] = {
	    {"12 h", 12 * INT64_C(3600000), "12 h"},
	    {"12 hours", 12 * INT64_C(3600000), "12 h"},
	    {"1 hour", INT64_C(3600000), "1 h"},
	    {"30 d", 30 * INT64_C(86400000), "30 d"},
	    {"30 days", 30 * INT64_C(86400000), "30 d"},
	    {"1 day", INT64_C(86400000), "1 d"},
	    {"90 MIN", 90 * INT64_C(60000), "90 min"},
	    {"1.5 h", 90 * INT64_C(60000), "90 min"},
	    {"2 W", 14 * INT64_C(86400000), "2 w"},
	    {"10m", 10 * INT64_C(60000), "10 min"},
	    {" 45 sec ", 45 * INT64_C(1000), "45 s"},
	};
	kith_community *c = test_community_new(NULL);
	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		if (kith_setting_set(c, "cleanup.ultimatum", KITH_NUL_TERMINATED, forms[i].text,
		                     KITH_NUL_TERMINATED) != KITH_OK)
			fail_msg("cleanup.ultimatum = '%s' refused: %s", forms[i].text,
			         kith_community_last_error(c));
		assert_string_equal(get(c, "cleanup.ultimatum"), forms[i].canonical);
		if (kith_setting_set(c, "rules.forgive_after", KITH_NUL_TERMINATED, forms[i].text,
		                     KITH_NUL_TERMINATED) != KITH_OK)
			fail_msg("rules.forgive_after = '%s' refused: %s", forms[i].text,
			         kith_community_last_error(c));
		/* The same meaning in both engines. */
		assert_int_equal(kith_cleanup_settings(c)->ultimatum_ms, forms[i].ms);
		assert_int_equal(c->forgive_ms, forms[i].ms);
	}
	kith_community_free(c);
}

static void rules_settings_are_described(void **state)
{
	(void)state;
	/* The rules engine's settings of fixed name are listed, typed, and
	 * read back into themselves; rule.NAME.KEY settings are not listed. */
	static const struct {
		const char *name;
		kith_setting_type type;
	} want[] = {
	    {"rules.ladder", KITH_SETTING_LIST},         {"rules.forgive_after", KITH_SETTING_DURATION},
	    {"templates.welcome", KITH_SETTING_TEXT},    {"templates.warning", KITH_SETTING_TEXT},
	    {"templates.reminder", KITH_SETTING_TEXT},   {"templates.ultimatum", KITH_SETTING_TEXT},
	    {"templates.reward", KITH_SETTING_TEXT},
	};
	kith_community *c = test_community_new(NULL);
	set_ok(c, "rule.spam.keywords", "cheap pills");
	int seen[sizeof want / sizeof want[0]] = {0};
	for (size_t i = 0; i < kith_setting_count(c); i++) {
		const char *name;
		kith_setting_type type;
		double lo, hi;
		assert_int_equal(kith_setting_describe(c, i, &name, &type, &lo, &hi), KITH_OK);
		assert_true(strncmp(name, "rule.", 5) != 0);
		for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
			if (strcmp(name, want[k].name) != 0)
				continue;
			seen[k]++;
			assert_int_equal(type, want[k].type);
			assert_true(lo <= hi && hi > 0);
			char buf[4096], again[4096];
			assert_int_equal(kith_setting_get(c, name, KITH_NUL_TERMINATED, buf,
			                                  sizeof buf, NULL),
			                 KITH_OK);
			set_ok(c, name, buf);
			assert_int_equal(kith_setting_get(c, name, KITH_NUL_TERMINATED, again,
			                                  sizeof again, NULL),
			                 KITH_OK);
			assert_string_equal(again, buf);
		}
	}
	for (size_t k = 0; k < sizeof want / sizeof want[0]; k++)
		if (seen[k] != 1)
			fail_msg("%s was described %d times", want[k].name, seen[k]);
	kith_community_free(c);

	/* Back to the default ("") and set to what get then gives (the
	 * default's text): the same community, to the byte (a fuzz-events
	 * finding: the text was kept as an explicit value). */
	for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
		kith_community *fresh = test_community_new(NULL);
		size_t n0, n1, n2;
		unsigned char *b0 = test_save(fresh, &n0);
		set_ok(fresh, want[k].name, "");
		unsigned char *b1 = test_save(fresh, &n1);
		char text[4096];
		assert_int_equal(kith_setting_get(fresh, want[k].name, KITH_NUL_TERMINATED, text,
		                                  sizeof text, NULL),
		                 KITH_OK);
		assert_true(text[0] != '\0');
		set_ok(fresh, want[k].name, text);
		unsigned char *b2 = test_save(fresh, &n2);
		if (n1 != n2 || memcmp(b1, b2, n1) != 0)
			fail_msg("%s = its default's text changed the snapshot", want[k].name);
		assert_int_equal(n0, n1);
		assert_memory_equal(b0, b1, n0);
		free(b0);
		free(b1);
		free(b2);
		kith_community_free(fresh);
	}
}

/* ---- roles ------------------------------------------------------------------------- */

static void role_setting_defines_a_role(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	set_ok(c, "role.moderator.permissions", "invite, links");
	uint32_t r = UINT32_MAX;
	assert_int_equal(kith_community_find_role(c, "moderator", KITH_NUL_TERMINATED, &r), KITH_OK);
	assert_true(r >= BUILTIN_ROLES);
	assert_int_equal(kith_role_permissions(c, r), KITH_PERM_INVITE | KITH_PERM_LINKS);
	assert_int_equal(kith_community_role_count(c), BUILTIN_ROLES + 1);
	assert_int_equal(kith_setting_count(c),
	                 FIXED_SETTINGS + engine_settings(c) + 2 * (BUILTIN_ROLES + 1));
	assert_string_equal(get(c, "role.moderator.permissions"), "invite, links");

	/* The new role's settings are enumerated. */
	int found = 0;
	for (size_t i = 0; i < kith_setting_count(c); i++) {
		const char *name;
		kith_setting_describe(c, i, &name, NULL, NULL, NULL);
		if (strcmp(name, "role.moderator.permissions") == 0 ||
		    strcmp(name, "role.moderator.protected") == 0)
			found++;
	}
	assert_int_equal(found, 2);

	/* role.NAME.protected alone also defines a role. */
	set_ok(c, "role.vip.protected", "yes");
	assert_int_equal(kith_community_find_role(c, "vip", KITH_NUL_TERMINATED, &r), KITH_OK);
	assert_int_equal(kith_role_is_protected(c, r), 1);
	assert_int_equal(kith_community_role_count(c), BUILTIN_ROLES + 2);

	/* A rejected value defines nothing. */
	assert_int_equal(set(c, "role.ghost.permissions", "fly"), KITH_EINVAL);
	assert_error_names(c, "role.ghost.permissions", "fly");
	assert_int_equal(kith_community_find_role(c, "ghost", KITH_NUL_TERMINATED, &r),
	                 KITH_ENOTFOUND);
	assert_int_equal(kith_community_role_count(c), BUILTIN_ROLES + 2);
	kith_community_free(c);
}

static void role_permissions_and_protection(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	static const struct {
		const char *text;
		uint32_t bits;
	} perms[] = {
	    {"none", 0},
	    {"invite", KITH_PERM_INVITE},
	    {"links", KITH_PERM_LINKS},
	    {"announce", KITH_PERM_ANNOUNCE},
	    {"exempt", KITH_PERM_EXEMPT},
	    {"exempt, invite", KITH_PERM_INVITE | KITH_PERM_EXEMPT},
	    {"invite, links, announce, exempt", 15},
	};
	for (size_t i = 0; i < sizeof perms / sizeof perms[0]; i++) {
		set_ok(c, "role.expert.permissions", perms[i].text);
		assert_int_equal(kith_role_permissions(c, KITH_ROLE_EXPERT), perms[i].bits);
		char *text = get_copy(c, "role.expert.permissions");
		set_ok(c, "role.expert.permissions", text);
		assert_int_equal(kith_role_permissions(c, KITH_ROLE_EXPERT), perms[i].bits);
		free(text);
	}
	check_rejected(c, "role.expert.permissions", "fly", KITH_EINVAL);
	check_rejected(c, "role.expert.permissions", "invite, fly", KITH_EINVAL);

	static const struct {
		const char *text;
		int yes;
	} bools[] = {
	    {"yes", 1}, {"no", 0}, {"true", 1}, {"false", 0}, {"1", 1}, {"0", 0},
	};
	for (size_t i = 0; i < sizeof bools / sizeof bools[0]; i++) {
		set_ok(c, "role.member.protected", bools[i].text);
		assert_int_equal(kith_role_is_protected(c, KITH_ROLE_MEMBER), bools[i].yes);
		char *text = get_copy(c, "role.member.protected");
		set_ok(c, "role.member.protected", text);
		assert_int_equal(kith_role_is_protected(c, KITH_ROLE_MEMBER), bools[i].yes);
		free(text);
	}
	check_rejected(c, "role.member.protected", "maybe", KITH_EINVAL);
	check_rejected(c, "role.member.protected", "2", KITH_EINVAL);
	check_rejected(c, "role.member.protected", "", KITH_EINVAL);
	/* Role names in settings are case-insensitive, as find_role is. */
	set_ok(c, "role.Member.protected", "yes");
	assert_int_equal(kith_role_is_protected(c, KITH_ROLE_MEMBER), 1);
	assert_int_equal(kith_community_role_count(c), BUILTIN_ROLES);
	kith_community_free(c);
}

static void role_limit(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	char name[64];
	for (int i = BUILTIN_ROLES; i < KITH_ROLES_MAX; i++) {
		snprintf(name, sizeof name, "role.r%d.protected", i);
		set_ok(c, name, "no");
	}
	assert_int_equal(kith_community_role_count(c), KITH_ROLES_MAX);
	assert_int_equal(set(c, "role.onemore.protected", "no"), KITH_ELIMIT);
	assert_int_equal(kith_community_role_count(c), KITH_ROLES_MAX);
	/* Existing roles can still be changed. */
	set_ok(c, "role.r9.protected", "yes");
	kith_community_free(c);
}

/* ---- state and regex --------------------------------------------------------------- */

static void utc_offset_fixed_once_a_message_is_in(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	set_ok(c, "community.utc_offset", "+09:00");
	/* A join is not a message: the offset may still change. */
	test_join(c, 1700000000000, "alice", NULL);
	set_ok(c, "community.utc_offset", "+08:00");

	test_msg(c, 1700000060000, "alice", "m1", KITH_KIND_TEXT, NULL, NULL, NULL, "hello");
	assert_int_equal(set(c, "community.utc_offset", "+09:00"), KITH_ESTATE);
	assert_error_names(c, "community.utc_offset", NULL);
	assert_string_equal(get(c, "community.utc_offset"), "+08:00");
	/* Setting the same value again is fine. */
	assert_int_equal(set(c, "community.utc_offset", "+08:00"), KITH_OK);
	assert_string_equal(get(c, "community.utc_offset"), "+08:00");
	/* Other settings can still change. */
	set_ok(c, "community.capacity", "300");
	kith_community_free(c);
}

static void ingest_name(kith_community *c, int64_t t, const char *id, const char *name)
{
	kith_event ev = KITH_EVENT_INIT;
	ev.type = KITH_EVENT_NICK;
	ev.time_ms = t;
	ev.actor = id;
	ev.actor_len = KITH_NUL_TERMINATED;
	ev.name = name;
	ev.name_len = KITH_NUL_TERMINATED;
	assert_int_equal(kith_community_ingest(c, &ev), KITH_OK);
}

static void bad_regex_keeps_old_pattern(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	set_ok(c, "community.name_format", "^[A-Z][a-z]+$");
	check_rejected(c, "community.name_format", "([a-z", KITH_EINVAL);
	check_rejected(c, "community.name_format", "a{1", KITH_EINVAL);
	assert_string_equal(get(c, "community.name_format"), "^[A-Z][a-z]+$");
	/* The old pattern is still the one in force. */
	ingest_name(c, 1000, "alice", "Alice");
	ingest_name(c, 2000, "bob", "bob");
	assert_int_equal(test_stat(c, "alice", KITH_STAT_NAME_COMPLIANT), 1);
	assert_int_equal(test_stat(c, "bob", KITH_STAT_NAME_COMPLIANT), 0);
	/* "" removes the format. */
	set_ok(c, "community.name_format", "");
	assert_string_equal(get(c, "community.name_format"), "");
	kith_community_free(c);
}

/* ---- allocation failures -------------------------------------------------------------- */

static void allocation_failures_change_nothing(void **state)
{
	(void)state;
	static const char *const sets[][2] = {
	    {"community.name_format", "^[A-Z]"},
	    {"ledger.capacity", "32"},
	    {"role.newrole.permissions", "links"},
	    {"community.topics", "a, b"},
	};
	for (size_t s = 0; s < sizeof sets / sizeof sets[0]; s++) {
		bool done = false;
		for (uint64_t n = 1; n < 1000 && !done; n++) {
			struct test_alloc ta = {0};
			kith_community *c = test_community_new(&ta);
			bool is_role = strncmp(sets[s][0], "role.", 5) == 0;
			char *before = is_role ? NULL : get_copy(c, sets[s][0]);
			uint32_t roles = kith_community_role_count(c);
			ta.fail_at = ta.calls + n;
			kith_status st = set(c, sets[s][0], sets[s][1]);
			ta.fail_at = 0;
			if (st == KITH_OK) {
				done = true;
				assert_string_equal(get(c, sets[s][0]), sets[s][1]);
			} else {
				assert_int_equal(st, KITH_ENOMEM);
				assert_int_equal(kith_community_role_count(c), roles);
				if (before)
					assert_string_equal(get(c, sets[s][0]), before);
			}
			free(before);
			kith_community_free(c);
			assert_int_equal(ta.live_bytes, 0);
		}
		assert_true(done);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(defaults_in_canonical_form),
	    cmocka_unit_test(valid_values_round_trip),
	    cmocka_unit_test(canonical_forms_documented),
	    cmocka_unit_test(out_of_bounds_is_erange),
	    cmocka_unit_test(malformed_is_einval),
	    cmocka_unit_test(text_and_list_limits),
	    cmocka_unit_test(unknown_names_are_enotfound),
	    cmocka_unit_test(names_taken_with_their_length),
	    cmocka_unit_test(null_arguments),
	    cmocka_unit_test(get_truncates_and_reports_needed),
	    cmocka_unit_test(count_and_describe_enumerate_all),
	    cmocka_unit_test(rules_settings_are_described),
	    cmocka_unit_test(durations_have_one_syntax),
	    cmocka_unit_test(role_setting_defines_a_role),
	    cmocka_unit_test(role_permissions_and_protection),
	    cmocka_unit_test(role_limit),
	    cmocka_unit_test(utc_offset_fixed_once_a_message_is_in),
	    cmocka_unit_test(bad_regex_keeps_old_pattern),
	    cmocka_unit_test(allocation_failures_change_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
