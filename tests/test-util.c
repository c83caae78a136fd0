/* The util layer on its own: the lexer of text values (blanks, case,
 * lists, booleans, durations) and the text writer (buffer and needed
 * size, JSON strings, numbers, durations).
 * SPDX-License-Identifier: MIT */
#include <locale.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/lex.h"
#include "util/random.h"
#include "util/text.h"

#define S(lit) lit, sizeof lit - 1

static int64_t duration(const char *s)
{
	int64_t ms = -1;
	assert_int_equal(kith_lex_duration(s, strlen(s), &ms), KITH_OK);
	return ms;
}

static void durations_take_every_documented_form(void **state)
{
	(void)state;
	assert_int_equal(duration("12 h"), 12 * 3600000);
	assert_int_equal(duration("12 hours"), 12 * 3600000);
	assert_int_equal(duration("1 hour"), 3600000);
	assert_int_equal(duration("12h"), 12 * 3600000);
	assert_int_equal(duration("  12\tH  "), 12 * 3600000);
	assert_int_equal(duration("30 d"), INT64_C(30) * 86400000);
	assert_int_equal(duration("30 days"), INT64_C(30) * 86400000);
	assert_int_equal(duration("1 Day"), 86400000);
	assert_int_equal(duration("2 w"), INT64_C(14) * 86400000);
	assert_int_equal(duration("10 min"), 600000);
	assert_int_equal(duration("10 m"), 600000);
	assert_int_equal(duration("5 s"), 5000);
	assert_int_equal(duration("5 sec"), 5000);
	assert_int_equal(duration("250 ms"), 250);
	assert_int_equal(duration("0 ms"), 0);
	assert_int_equal(duration("1.5 h"), 5400000);
	assert_int_equal(duration(".5 s"), 500);
	assert_int_equal(duration("5. s"), 5000);
	assert_int_equal(duration("0.0004 s"), 0); /* 0.4 ms rounds down */
	assert_int_equal(duration("0.0005 s"), 1); /* 0.5 ms rounds up */
	assert_int_equal(duration("1.0001 ms"), 1);
	/* The largest: INT64_MAX ms written in ms. */
	assert_int_equal(duration("9223372036854775807 ms"), INT64_MAX);
}

static void durations_refuse_what_is_not_one(void **state)
{
	(void)state;
	static const char *const bad[] = {
	        "",       "   ",   "h",       "12",     "12 hr", "12 years", "-1 h",
	        "+1 h",   "1e3 s", "1.2.3 h", ".",      ". h",   "12 h h",   "twelve h",
	        "0x10 s", "nan s", "inf h",   "12,5 h", "1 h,",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int64_t ms = 42;
		kith_status st = kith_lex_duration(bad[i], strlen(bad[i]), &ms);
		if (st != KITH_EINVAL)
			fail_msg("'%s' gave %d", bad[i], (int)st);
		assert_int_equal(ms, 42);
	}
	int64_t ms = 42;
	assert_int_equal(kith_lex_duration(S("9223372036854775808 ms"), &ms), KITH_ERANGE);
	assert_int_equal(kith_lex_duration(S("15250284452472 w"), &ms), KITH_ERANGE);
	assert_int_equal(kith_lex_duration(S("99999999999999999999999999 d"), &ms), KITH_ERANGE);
	assert_int_equal(kith_lex_duration(S("9223372036854775807.9 ms"), &ms), KITH_ERANGE);
	assert_int_equal(ms, 42);
	/* Only n bytes are read. */
	assert_int_equal(kith_lex_duration("3 dx", 3, &ms), KITH_OK);
	assert_int_equal(ms, INT64_C(3) * 86400000);
}

static void durations_ignore_the_locale(void **state)
{
	(void)state;
	/* A host program may set a locale with a decimal comma; a duration
	 * is read with '.' all the same. */
	if (!setlocale(LC_NUMERIC, "de_DE.UTF-8") && !setlocale(LC_NUMERIC, "fr_FR.UTF-8"))
		skip();
	assert_int_equal(duration("1.5 h"), 5400000);
	int64_t ms;
	assert_int_equal(kith_lex_duration(S("1,5 h"), &ms), KITH_EINVAL);
	setlocale(LC_NUMERIC, "C");
}

static void booleans_have_one_syntax(void **state)
{
	(void)state;
	static const char *const yes[] = {"yes", "YES", "true", "True", "on", "1", " yes\t"};
	static const char *const no[] = {"no", "No", "false", "FALSE", "off", "0", "\tno "};
	static const char *const bad[] = {"", "y", "n", "2", "yes no", "truee", "o", "enabled"};
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		bool b = false;
		assert_true(kith_lex_bool(yes[i], strlen(yes[i]), &b));
		assert_true(b);
	}
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
		bool b = true;
		assert_true(kith_lex_bool(no[i], strlen(no[i]), &b));
		assert_false(b);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		bool b = true;
		assert_false(kith_lex_bool(bad[i], strlen(bad[i]), &b));
		assert_true(b);
	}
}

/* The items of a list joined with '|', for comparison. */
static const char *items(const char *list)
{
	static char out[256];
	size_t at = 0, len, o = 0, count = 0;
	const char *item;
	out[0] = '\0';
	while (kith_lex_item(list, strlen(list), &at, &item, &len)) {
		o += (size_t)snprintf(out + o, sizeof out - o, "%s%.*s", count++ ? "|" : "",
		                      (int)len, item);
		assert_true(o < sizeof out);
	}
	return out;
}

static void lists_split_on_commas_and_trim(void **state)
{
	(void)state;
	assert_string_equal(items(""), "");
	assert_string_equal(items("a"), "a");
	assert_string_equal(items("a, b ,\tc"), "a|b|c");
	assert_string_equal(items(" spam eggs , ham "), "spam eggs|ham");
	/* Empty items are there for a caller to refuse. */
	assert_string_equal(items("a,"), "a|");
	assert_string_equal(items("a,,b"), "a||b");
	assert_string_equal(items(","), "|");
	assert_string_equal(items(" "), "");
	/* The list ends at n, not at a NUL. */
	size_t at = 0, len;
	const char *item;
	assert_true(kith_lex_item("x,y", 1, &at, &item, &len));
	assert_int_equal(len, 1);
	assert_false(kith_lex_item("x,y", 1, &at, &item, &len));
}

static void trimming_takes_spaces_and_tabs_only(void **state)
{
	(void)state;
	const char *s = " \t a b \t ";
	size_t n = strlen(s);
	kith_lex_trim(&s, &n);
	assert_int_equal(n, 3);
	assert_memory_equal(s, "a b", 3);
	s = "\na\r";
	n = 3;
	kith_lex_trim(&s, &n);
	assert_int_equal(n, 3);
	s = " \t ";
	n = 3;
	kith_lex_trim(&s, &n);
	assert_int_equal(n, 0);
}

static void case_folds_ascii_only(void **state)
{
	(void)state;
	for (int b = 0; b < 256; b++) {
		int want = b >= 'A' && b <= 'Z' ? b + 32 : b;
		assert_int_equal(kith_lex_lower((unsigned char)b), want);
	}
	char buf[16];
	kith_lex_lower_copy(buf, "MiXeD \xc3\x89T\xc3\xa9", 11);
	assert_memory_equal(buf, "mixed \xc3\x89t\xc3\xa9", 11);
	assert_true(kith_lex_equal_nocase(S("HeLLo"), S("hello")));
	assert_false(kith_lex_equal_nocase(S("hello"), S("hell")));
	assert_false(kith_lex_equal_nocase(S("\xc3\x89"), S("\xc3\xa9"))); /* no Unicode folding */
	assert_false(kith_lex_equal_nocase(S("@"), S("`")));               /* 0x40 is not 0x60 */
	assert_true(kith_lex_word(S("NONE"), "none"));
	assert_false(kith_lex_word(S("non"), "none"));
	assert_int_equal(kith_lex_casecmp("Role.Admin", "role.admin"), 0);
	assert_true(kith_lex_casecmp("a", "B") < 0);
	assert_true(kith_lex_casecmp("b", "A") > 0);
	assert_true(kith_lex_casecmp("ab", "A") > 0);
	assert_true(kith_lex_contains_nocase(S("We love GARDENING here"), S("gardening")));
	assert_true(kith_lex_contains_nocase(S("gggardenin gardening"), S("gardening")));
	assert_false(kith_lex_contains_nocase(S("garden"), S("gardening")));
	assert_false(kith_lex_contains_nocase(S("anything"), "", 0));
}

/* ---- the text writer ------------------------------------------------------- */

/* Write with f into a buffer of each size from 0 to the full length and
 * check the needed size and the truncated text against the full one. */
static void check_writer(void (*f)(struct kith_text *, const void *), const void *arg,
                         const char *want)
{
	size_t full = strlen(want);
	for (size_t size = 0; size <= full + 1; size++) {
		char buf[512];
		memset(buf, '#', sizeof buf);
		struct kith_text o;
		/* A buffer of size 0 is never written, even when it is not NULL. */
		kith_text_init(&o, buf, size);
		f(&o, arg);
		size_t needed = 0;
		kith_text_finish(&o, &needed);
		assert_int_equal(needed, full);
		if (size) {
			size_t k = full < size - 1 ? full : size - 1;
			assert_memory_equal(buf, want, k);
			assert_int_equal(buf[k], '\0');
			assert_int_equal(buf[k + 1], '#');
		} else {
			assert_int_equal(buf[0], '#');
		}
	}
}

struct bytes {
	const char *s;
	size_t n;
};

static void write_json(struct kith_text *o, const void *arg)
{
	const struct bytes *b = arg;
	kith_text_json_string(o, b->s, b->n);
}

static void json_string(const char *s, size_t n, const char *want)
{
	struct bytes b = {s, n};
	check_writer(write_json, &b, want);
}

static void json_escapes_every_control_byte_and_0x7f(void **state)
{
	(void)state;
	for (int ch = 0; ch < 0x20; ch++) {
		char in[3] = {'a', (char)ch, 'b'};
		char want[16];
		snprintf(want, sizeof want, "\"a\\u%04xb\"", ch);
		json_string(in, 3, want);
	}
	json_string("\x7f", 1, "\"\\u007f\"");
	json_string(S("say \"hi\" \\ bye"), "\"say \\\"hi\\\" \\\\ bye\"");
	json_string(S("/"), "\"/\"");
	json_string("", 0, "\"\"");
}

static void json_replaces_invalid_utf8(void **state)
{
	(void)state;
	/* Valid sequences of each length pass as they are. */
	json_string(S("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"),
	            "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"");
	json_string(S("\xff"), "\"\\ufffd\"");                       /* never in UTF-8 */
	json_string(S("\x80"), "\"\\ufffd\"");                       /* a lone continuation */
	json_string(S("\xc0\xaf"), "\"\\ufffd\\ufffd\"");            /* overlong '/' */
	json_string(S("\xe0\x80\xaf"), "\"\\ufffd\\ufffd\\ufffd\""); /* overlong, 3 bytes */
	json_string(S("\xed\xa0\x80"), "\"\\ufffd\\ufffd\\ufffd\""); /* a surrogate */
	json_string(S("\xf4\x90\x80\x80"), "\"\\ufffd\\ufffd\\ufffd\\ufffd\""); /* past U+10FFFF */
	json_string(S("a\xe2\x82"), "\"a\\ufffd\\ufffd\""); /* truncated at the end */
	json_string(S("\xc3(x"), "\"\\ufffd(x\"");          /* a bad continuation */
}

static void write_number(struct kith_text *o, const void *arg)
{
	kith_text_number(o, *(const double *)arg, 6);
}

static void numbers_are_locale_free_json(void **state)
{
	(void)state;
	static const struct {
		double x;
		const char *want;
	} cases[] = {
	        {0, "0"},         {-0.0, "0"},           {1.5, "1.5"},
	        {-2.25, "-2.25"}, {1.0 / 3, "0.333333"}, {1234567, "1.23457e+06"},
	        {1e-7, "1e-07"},  {100, "100"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		check_writer(write_number, &cases[i].x, cases[i].want);
	double nan = strtod("nan", NULL), inf = strtod("inf", NULL), ninf = -inf;
	check_writer(write_number, &nan, "null");
	check_writer(write_number, &inf, "null");
	check_writer(write_number, &ninf, "null");
	if (setlocale(LC_NUMERIC, "de_DE.UTF-8") || setlocale(LC_NUMERIC, "fr_FR.UTF-8")) {
		double x = 1.5;
		check_writer(write_number, &x, "1.5");
		setlocale(LC_NUMERIC, "C");
	}
}

static void write_i64(struct kith_text *o, const void *arg)
{
	kith_text_i64(o, *(const int64_t *)arg);
}

static void write_time(struct kith_text *o, const void *arg)
{
	kith_text_time(o, *(const int64_t *)arg);
}

static void integers_and_times(void **state)
{
	(void)state;
	int64_t v = INT64_MIN;
	check_writer(write_i64, &v, "-9223372036854775808");
	v = 0;
	check_writer(write_i64, &v, "0");
	v = 1795132800000;
	check_writer(write_time, &v, "1795132800000");
	v = KITH_TIME_NONE;
	check_writer(write_time, &v, "null");
}

static void write_duration(struct kith_text *o, const void *arg)
{
	kith_text_duration(o, *(const int64_t *)arg);
}

static void durations_read_for_people(void **state)
{
	(void)state;
	static const struct {
		int64_t ms;
		const char *want;
	} cases[] = {
	        {12 * INT64_C(3600000), "12 h"},
	        {36 * INT64_C(3600000), "36 h"},
	        {3 * INT64_C(86400000), "3 d"},
	        {INT64_C(86400000), "1 d"},
	        {90 * 60000, "90 min"},
	        {INT64_C(129600000) + 3600000, "37 h"},
	        {INT64_C(86400000) * 3 + 43200000, "3.5 d"},
	        {1500, "1500 ms"},
	        {5500, "5.5 s"},
	        {999, "999 ms"},
	        {0, "0 ms"},
	        {-2 * INT64_C(3600000), "-2 h"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		check_writer(write_duration, &cases[i].ms, cases[i].want);
}

static void write_duration_exact(struct kith_text *o, const void *arg)
{
	kith_text_duration_exact(o, *(const int64_t *)arg);
}

/* The canonical text of a duration setting, and that it reads back. */
static void exact_durations_read_back(void **state)
{
	(void)state;
	static const struct {
		int64_t ms;
		const char *want;
	} cases[] = {
	        {0, "0 ms"},
	        {1500, "1500 ms"},
	        {45000, "45 s"},
	        {5400000, "90 min"},
	        {12 * INT64_C(3600000), "12 h"},
	        {36 * INT64_C(3600000), "36 h"},
	        {30 * INT64_C(86400000), "30 d"},
	        {14 * INT64_C(86400000), "2 w"},
	        {INT64_MAX, "9223372036854775807 ms"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		check_writer(write_duration_exact, &cases[i].ms, cases[i].want);
		assert_int_equal(duration(cases[i].want), cases[i].ms);
	}
}

/* The generator's first outputs for seed 42, worked out by a separate
 * implementation of splitmix64 and xoshiro256**: the same on every
 * platform, big-endian included. */
static void random_numbers_are_the_same_everywhere(void **state)
{
	(void)state;
	struct kith_random r;
	kith_random_seed(&r, 42);
	assert_true(kith_random_next(&r) == UINT64_C(0x15780b2e0c2ec716));
	assert_true(kith_random_next(&r) == UINT64_C(0x6104d9866d113a7e));
	assert_true(kith_random_next(&r) == UINT64_C(0xae17533239e499a1));
	/* Bounded draws stay in range and reach both ends. */
	int seen[7] = {0};
	for (int i = 0; i < 1000; i++) {
		uint32_t v = kith_random_below(&r, 7);
		assert_true(v < 7);
		seen[v] = 1;
	}
	for (int i = 0; i < 7; i++)
		assert_true(seen[i]);
	assert_true(kith_random_threshold(0) == 0);
	assert_true(kith_random_threshold(1) == KITH_RANDOM_ONE);
	assert_true(kith_random_threshold(0.5) == KITH_RANDOM_ONE / 2);
	assert_true(kith_random_threshold(1e-300) == 1);
}

static void the_portable_log_agrees_with_libm(void **state)
{
	(void)state;
	static const double xs[] = {1e-300, 0.001, 0.5, 0.70710678, 1, 1.5, 2, 10, 15229, 1e12, 1e300};
	for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
		double want = log(xs[i]), got = kith_random_log(xs[i]);
		if (fabs(got - want) > 1e-14 * (fabs(want) > 1 ? fabs(want) : 1))
			fail_msg("log(%g): %.17g, libm %.17g", xs[i], got, want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(durations_take_every_documented_form),
	        cmocka_unit_test(durations_refuse_what_is_not_one),
	        cmocka_unit_test(durations_ignore_the_locale),
	        cmocka_unit_test(booleans_have_one_syntax),
	        cmocka_unit_test(lists_split_on_commas_and_trim),
	        cmocka_unit_test(trimming_takes_spaces_and_tabs_only),
	        cmocka_unit_test(case_folds_ascii_only),
	        cmocka_unit_test(json_escapes_every_control_byte_and_0x7f),
	        cmocka_unit_test(json_replaces_invalid_utf8),
	        cmocka_unit_test(numbers_are_locale_free_json),
	        cmocka_unit_test(integers_and_times),
	        cmocka_unit_test(durations_read_for_people),
	        cmocka_unit_test(exact_durations_read_back),
	        cmocka_unit_test(random_numbers_are_the_same_everywhere),
	        cmocka_unit_test(the_portable_log_agrees_with_libm),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
