/* Members: interning, rejoin, aliases, display names, roles. SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

static void interning_gives_dense_stable_handles(void **state)
{
	(void)state;
	kith_community *c = test_community_new(NULL);
	test_join(c, 1000, "alice", NULL);
	test_join(c, 2000, "bob", NULL);
	test_join(c, 3000, "carol", NULL);
	assert_int_equal(kith_community_member_count(c), 3);
	uint32_t h;
	assert_int_equal(kith_community_find_member(c, "bob", KITH_NUL_TERMINATED, &h), KITH_OK);
	assert_int_equal(h, 1);
	size_t n;
	assert_string_equal(kith_member_id(c, 2, &n), "carol");
	assert_int_equal(n, 5);
	assert_int_equal(kith_community_find_member(c, "dave", KITH_NUL_TERMINATED, &h), KITH_ENOTFOUND);
	assert_null(kith_member_id(c, 3, NULL));
	kith_community_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(interning_gives_dense_stable_handles),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
