/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for lib/err.c: the table built from VOUCH_ERR_LIST has
 * distinct names and numbers in the right blocks, and name <-> code
 * <-> message round-trip; unknown values and names are refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "internal.h"

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

struct err_row {
	enum vouch_err	 code;
	int		 num;
	const char	*name;
	const char	*msg;
};

/* The test's own copy of the list, made from the same X-macro. */
static const struct err_row rows[] = {
#define TEST_ERR_ROW_(name, num, msg) { name, num, #name, msg },
	VOUCH_ERR_LIST(TEST_ERR_ROW_)
#undef TEST_ERR_ROW_
};

static void
test_distinct(void **state)
{
	size_t i, j;

	for (i = 0; i < ARRAY_LEN(rows); i++) {
		for (j = i + 1; j < ARRAY_LEN(rows); j++) {
			if (rows[i].num == rows[j].num) {
				fail_msg("%s and %s share %d", rows[i].name,
				    rows[j].name, rows[i].num);
			}
			if (strcmp(rows[i].name, rows[j].name) == 0) {
				fail_msg("%s listed twice", rows[i].name);
			}
			if (strcmp(rows[i].msg, rows[j].msg) == 0) {
				fail_msg("%s and %s share a message",
				    rows[i].name, rows[j].name);
			}
		}
	}
}

/* Numbers are in their block: 0, then 1xx .. 5xx. */
static void
test_blocks(void **state)
{
	size_t i;
	int n;

	assert_int_equal(VOUCH_OK, 0);
	assert_string_equal(rows[0].name, "VOUCH_OK");
	for (i = 1; i < ARRAY_LEN(rows); i++) {
		n = rows[i].num;
		assert_int_equal((int)rows[i].code, n);
		if (n < 100 || n > 599) {
			fail_msg("%s: %d outside 1xx..5xx", rows[i].name, n);
		}
		if (strncmp(rows[i].name, "VOUCH_ERR_", 10) != 0) {
			fail_msg("%s: not VOUCH_ERR_*", rows[i].name);
		}
		/* Listed in increasing order, so additions go at the end. */
		assert_true(rows[i].num > rows[i - 1].num);
	}
	assert_int_equal(VOUCH_ERR_TRUNCATED, 100);
	assert_int_equal(VOUCH_ERR_SIGNATURE_INVALID, 200);
	assert_int_equal(VOUCH_ERR_POLICY_DENIED, 300);
	assert_int_equal(VOUCH_ERR_INVALID_ARGUMENT, 400);
	assert_int_equal(VOUCH_ERR_INTERNAL, 500);
}

static void
test_round_trip(void **state)
{
	enum vouch_err back;
	size_t i;

	for (i = 0; i < ARRAY_LEN(rows); i++) {
		assert_string_equal(vouch_errname(rows[i].code), rows[i].name);
		assert_string_equal(vouch_strerror(rows[i].code), rows[i].msg);
		back = (enum vouch_err)-1;
		assert_int_equal(vouch_err_from_name(rows[i].name, &back), 1);
		assert_int_equal(back, rows[i].code);
		assert_int_equal(vouch_err_from_name(vouch_errname(
		    rows[i].code), &back), 1);
		assert_int_equal(back, rows[i].code);
	}
}

/* Fixed messages: no format directives, no trailing punctuation. */
static void
test_messages(void **state)
{
	size_t i, n;

	for (i = 0; i < ARRAY_LEN(rows); i++) {
		n = strlen(rows[i].msg);
		assert_true(n > 0);
		assert_null(strchr(rows[i].msg, '%'));
		assert_null(strchr(rows[i].msg, '\n'));
		assert_true(rows[i].msg[n - 1] != '.');
		assert_string_not_equal(rows[i].msg, "unknown error");
	}
}

static void
test_unknown(void **state)
{
	static const int bad[] = { -1, 1, 99, 199, 250, 599, 600, 9999 };
	enum vouch_err e;
	size_t i;

	for (i = 0; i < ARRAY_LEN(bad); i++) {
		e = (enum vouch_err)bad[i];
		assert_string_equal(vouch_errname(e), "VOUCH_ERR_UNKNOWN");
		assert_string_equal(vouch_strerror(e), "unknown error");
	}

	e = VOUCH_ERR_IO;
	assert_int_equal(vouch_err_from_name("VOUCH_ERR_UNKNOWN", &e), 0);
	assert_int_equal(vouch_err_from_name("", &e), 0);
	assert_int_equal(vouch_err_from_name("VOUCH_ERR_TRUNC", &e), 0);
	assert_int_equal(vouch_err_from_name("VOUCH_ERR_TRUNCATEDX", &e), 0);
	assert_int_equal(vouch_err_from_name("vouch_err_truncated", &e), 0);
	assert_int_equal(vouch_err_from_name("TRUNCATED", &e), 0);
	assert_int_equal(vouch_err_from_name("100", &e), 0);
	/* A failed lookup leaves the output alone. */
	assert_int_equal(e, VOUCH_ERR_IO);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_distinct),
		cmocka_unit_test(test_blocks),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_unknown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
