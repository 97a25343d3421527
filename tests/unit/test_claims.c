/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for lib/claims/claims.c: the claim table and claim sets. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "claims/claims.h"

static void
test_table(void **state)
{
	const struct vouch_claim_def *d;
	size_t i, j;

	(void)state;
	/* The normalized names every platform uses exist with their types. */
	assert_int_equal(vouch_claim_def_find("platform")->type, VOUCH_CLAIM_STRING);
	assert_int_equal(vouch_claim_def_find("measurement")->type, VOUCH_CLAIM_BYTES);
	assert_int_equal(vouch_claim_def_find("debug")->type, VOUCH_CLAIM_BOOL);
	assert_int_equal(vouch_claim_def_find("report_data")->type, VOUCH_CLAIM_BYTES);
	assert_int_equal(vouch_claim_def_find("sim.tcb_svn")->type, VOUCH_CLAIM_INT);
	assert_null(vouch_claim_def_find("Platform"));
	assert_null(vouch_claim_def_find(""));
	/* Names are unique and documented. */
	for (i = 0; (d = vouch_claim_def_at(i)) != NULL; i++) {
		assert_true(strlen(d->doc) > 0);
		for (j = i + 1; vouch_claim_def_at(j) != NULL; j++) {
			assert_string_not_equal(d->name, vouch_claim_def_at(j)->name);
		}
	}
	assert_true(i > 10);
}

static void
test_set_get_json(void **state)
{
	struct vouch_claims *c = vouch_claims_new();
	const uint8_t m[3] = { 0xde, 0xad, 0x01 };
	const uint8_t *p;
	const char *s;
	size_t n;
	int64_t v;
	int b;
	char *json;

	(void)state;
	assert_non_null(c);
	assert_int_equal(vouch_claims_set_string(NULL, c, "platform", "sim"), VOUCH_OK);
	assert_int_equal(vouch_claims_set_int(NULL, c, "sim.tcb_svn", -3), VOUCH_OK);
	assert_int_equal(vouch_claims_set_bool(NULL, c, "debug", true), VOUCH_OK);
	assert_int_equal(vouch_claims_set_bytes(NULL, c, "measurement", m, 3), VOUCH_OK);
	/* Unknown name, wrong type, repeated name: the emitter is wrong. */
	assert_int_equal(vouch_claims_set_int(NULL, c, "nope", 1), VOUCH_ERR_INTERNAL);
	assert_int_equal(vouch_claims_set_int(NULL, c, "debug", 1), VOUCH_ERR_INTERNAL);
	assert_int_equal(vouch_claims_set_bool(NULL, c, "debug", false), VOUCH_ERR_INTERNAL);
	assert_int_equal(vouch_claims_count(c), 4);
	/* Sorted by name. */
	assert_string_equal(vouch_claims_name(c, 0), "debug");
	assert_string_equal(vouch_claims_name(c, 3), "sim.tcb_svn");
	assert_null(vouch_claims_name(c, 4));
	assert_true(vouch_claims_get_string(c, "platform", &s));
	assert_string_equal(s, "sim");
	assert_true(vouch_claims_get_int(c, "sim.tcb_svn", &v));
	assert_int_equal(v, -3);
	assert_true(vouch_claims_get_bool(c, "debug", &b));
	assert_int_equal(b, 1);
	assert_true(vouch_claims_get_bytes(c, "measurement", &p, &n));
	assert_int_equal(n, 3);
	/* Asking with the wrong type finds nothing. */
	assert_false(vouch_claims_get_int(c, "debug", &v));
	assert_false(vouch_claims_get_bytes(c, "platform", &p, &n));
	json = vouch_claims_to_json(c);
	assert_string_equal(json, "{\"debug\":true,\"measurement\":\"dead01\","
	    "\"platform\":\"sim\",\"sim.tcb_svn\":-3}");
	free(json);
	vouch_claims_free(c);
	vouch_claims_free(NULL);
}

static void
test_limits(void **state)
{
	struct vouch_claims *c = vouch_claims_new();
	char *big = malloc(VOUCH_CLAIM_STRING_MAX + 2);
	uint8_t *bytes = calloc(1, VOUCH_CLAIM_BYTES_MAX + 1);

	(void)state;
	assert_non_null(big);
	assert_non_null(bytes);
	memset(big, 'a', VOUCH_CLAIM_STRING_MAX + 1);
	big[VOUCH_CLAIM_STRING_MAX + 1] = '\0';
	assert_int_equal(vouch_claims_set_string(NULL, c, "platform", big),
	    VOUCH_ERR_INTERNAL);
	assert_int_equal(vouch_claims_set_bytes(NULL, c, "measurement", bytes,
	    VOUCH_CLAIM_BYTES_MAX + 1), VOUCH_ERR_INTERNAL);
	assert_int_equal(vouch_claims_set_bytes(NULL, c, "measurement", bytes, 0),
	    VOUCH_OK);
	assert_int_equal(vouch_claims_count(c), 1);
	free(big);
	free(bytes);
	vouch_claims_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_set_get_json),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
