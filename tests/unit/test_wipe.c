/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for lib/util/wipe.c: vouch_ct_eq on every bit, the
 * overflow check in vouch_reallocarray, and vouch_wipe / vouch_freezero.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "internal.h"

static void
test_ct_eq(void **state)
{
	uint8_t a[33], b[33];
	size_t i;
	unsigned bit;

	for (i = 0; i < sizeof(a); i++) {
		a[i] = (uint8_t)(i * 29 + 3);
	}
	memcpy(b, a, sizeof(a));
	assert_true(vouch_ct_eq(a, b, sizeof(a)));
	assert_true(vouch_ct_eq(a, a, sizeof(a)));
	/* Every bit of every byte, including the first and the last. */
	for (i = 0; i < sizeof(b); i++) {
		for (bit = 0; bit < 8; bit++) {
			b[i] ^= (uint8_t)(1u << bit);
			if (vouch_ct_eq(a, b, sizeof(a))) {
				fail_msg("byte %zu bit %u ignored", i, bit);
			}
			/* Symmetric. */
			assert_false(vouch_ct_eq(b, a, sizeof(a)));
			b[i] ^= (uint8_t)(1u << bit);
		}
	}
	assert_true(vouch_ct_eq(a, b, sizeof(a)));
	/* Only the first |n| bytes count. */
	b[32] ^= 0xff;
	assert_true(vouch_ct_eq(a, b, 32));
	assert_false(vouch_ct_eq(a, b, 33));
	/* Zero length is equal, even with nothing to point at. */
	assert_true(vouch_ct_eq(a, b, 0));
	assert_true(vouch_ct_eq(NULL, NULL, 0));
}

static void
test_reallocarray(void **state)
{
	uint32_t *p, *q;
	size_t i;

	/* Products that wrap size_t fail before anything is allocated. */
	errno = 0;
	assert_null(vouch_reallocarray(NULL, SIZE_MAX / 2 + 1, 2));
	assert_int_equal(errno, ENOMEM);
	errno = 0;
	assert_null(vouch_reallocarray(NULL, 2, SIZE_MAX / 2 + 1));
	assert_int_equal(errno, ENOMEM);
	assert_null(vouch_reallocarray(NULL, SIZE_MAX, SIZE_MAX));
	assert_null(vouch_reallocarray(NULL, (SIZE_MAX >> 16) + 1,
	    (size_t)1 << 16));
	assert_null(vouch_reallocarray(NULL, SIZE_MAX / sizeof(*p) + 1,
	    sizeof(*p)));

	/* Ordinary use, growing and keeping the contents. */
	p = vouch_reallocarray(NULL, 4, sizeof(*p));
	assert_non_null(p);
	for (i = 0; i < 4; i++) {
		p[i] = (uint32_t)(i + 100);
	}
	q = vouch_reallocarray(p, 1000, sizeof(*p));
	assert_non_null(q);
	p = q;
	for (i = 0; i < 4; i++) {
		assert_int_equal(p[i], i + 100);
	}
	/* A failed overflow check leaves the old block alive and intact. */
	q = vouch_reallocarray(p, SIZE_MAX / 2, 4);
	assert_null(q);
	assert_int_equal(p[3], 103);
	free(p);
}

static void
test_wipe(void **state)
{
	volatile uint8_t *vp;
	uint8_t buf[64];
	size_t i;

	memset(buf, 0xa5, sizeof(buf));
	vouch_wipe(buf + 8, 40);
	vp = buf;
	for (i = 0; i < sizeof(buf); i++) {
		if (i >= 8 && i < 48) {
			assert_int_equal(vp[i], 0);
		} else {
			assert_int_equal(vp[i], 0xa5);
		}
	}
	/* Zero length and NULL do nothing. */
	vouch_wipe(buf, 0);
	assert_int_equal(vp[0], 0xa5);
	vouch_wipe(NULL, 0);
	vouch_wipe(NULL, 16);
}

static void
test_wipe_heap(void **state)
{
	uint8_t *p;
	volatile uint8_t *vp;
	size_t i;

	p = malloc(100);
	assert_non_null(p);
	memset(p, 0x3c, 100);
	vouch_wipe(p, 100);
	vp = p;
	for (i = 0; i < 100; i++) {
		assert_int_equal(vp[i], 0);
	}
	free(p);

	/* vouch_freezero wipes and frees (ASan/valgrind see the free). */
	p = malloc(100);
	assert_non_null(p);
	memset(p, 0x3c, 100);
	vouch_freezero(p, 100);
	vouch_freezero(NULL, 100);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ct_eq),
		cmocka_unit_test(test_reallocarray),
		cmocka_unit_test(test_wipe),
		cmocka_unit_test(test_wipe_heap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
