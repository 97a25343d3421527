/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for lib/bs/cbb.c: exact bytes for short and long-form
 * lengths and minimal INTEGERs, round trips through the DER reader
 * (der.c), nesting with implicit closing, the hard cap (sticky failure,
 * exact fit, a cap crossed only when a length goes long), closed
 * children, bad tags and UTF-8 validation.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bs/bs.h"
#include "bs/cbb.h"

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

static void
finish_ok(struct cbb *b, uint8_t **out, size_t *len)
{
	assert_true(cbb_finish(b, out, len));
	assert_non_null(*out);
}

static void
test_init_and_empty(void **state)
{
	struct cbb b;
	uint8_t *out;
	size_t len;

	(void)state;
	assert_false(cbb_init(&b, 0));
	assert_false(cbb_add_u8(&b, 1));
	cbb_cleanup(&b);

	assert_true(cbb_init(&b, 16));
	assert_int_equal(cbb_len(&b), 0);
	finish_ok(&b, &out, &len);
	assert_int_equal(len, 0);
	free(out);
	/* The root is reusable after finish. */
	assert_true(cbb_add_u8(&b, 7));
	finish_ok(&b, &out, &len);
	assert_int_equal(len, 1);
	assert_int_equal(out[0], 7);
	free(out);
	cbb_cleanup(&b);
	cbb_cleanup(&b);
}

static void
test_scalars(void **state)
{
	static const uint8_t want[] = {
		0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0xaa, 0xbb,
	};
	static const uint8_t tail[] = { 0xaa, 0xbb };
	struct cbb b;
	uint8_t *out;
	size_t len;

	(void)state;
	assert_true(cbb_init(&b, 64));
	assert_true(cbb_add_u8(&b, 0x01));
	assert_true(cbb_add_u16be(&b, 0x0203));
	assert_true(cbb_add_u32be(&b, 0x04050607));
	assert_true(cbb_add_bytes(&b, NULL, 0));
	assert_true(cbb_add_bytes(&b, tail, sizeof(tail)));
	assert_int_equal(cbb_len(&b), sizeof(want));
	finish_ok(&b, &out, &len);
	assert_int_equal(len, sizeof(want));
	assert_memory_equal(out, want, sizeof(want));
	free(out);
	cbb_cleanup(&b);
}

struct uint_case {
	uint64_t	 v;
	uint8_t		 der[11];
	size_t		 der_len;
};

static const struct uint_case uint_cases[] = {
	{ 0, { 0x02, 0x01, 0x00 }, 3 },
	{ 1, { 0x02, 0x01, 0x01 }, 3 },
	{ 0x7f, { 0x02, 0x01, 0x7f }, 3 },
	{ 0x80, { 0x02, 0x02, 0x00, 0x80 }, 4 },
	{ 0xff, { 0x02, 0x02, 0x00, 0xff }, 4 },
	{ 0x100, { 0x02, 0x02, 0x01, 0x00 }, 4 },
	{ 0x7fff, { 0x02, 0x02, 0x7f, 0xff }, 4 },
	{ 0x8000, { 0x02, 0x03, 0x00, 0x80, 0x00 }, 5 },
	{ 0x0100000000ull, { 0x02, 0x05, 0x01, 0x00, 0x00, 0x00, 0x00 }, 7 },
	{ 0x7fffffffffffffffull, { 0x02, 0x08, 0x7f, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff }, 10 },
	{ 0x8000000000000000ull, { 0x02, 0x09, 0x00, 0x80, 0x00, 0x00, 0x00,
	    0x00, 0x00, 0x00, 0x00 }, 11 },
	{ UINT64_MAX, { 0x02, 0x09, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff }, 11 },
};

static void
test_uint64(void **state)
{
	struct cbb b;
	struct cbs c;
	uint8_t *out;
	uint64_t v;
	size_t len, i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(uint_cases); i++) {
		assert_true(cbb_init(&b, 32));
		assert_true(cbb_add_asn1_uint64(&b, uint_cases[i].v));
		finish_ok(&b, &out, &len);
		assert_int_equal(len, uint_cases[i].der_len);
		assert_memory_equal(out, uint_cases[i].der, len);
		/* The strict reader takes back exactly what was written. */
		cbs_init(&c, out, len);
		assert_true(cbs_get_asn1_uint64(&c, &v));
		assert_true(cbs_is_empty(&c));
		assert_true(v == uint_cases[i].v);
		free(out);
		cbb_cleanup(&b);
	}
}

/* Lengths on both sides of every change of form. */
static const size_t lengths[] = {
	0, 1, 127, 128, 129, 255, 256, 257, 1000, 65535, 65536, 70000,
};

static void
test_lengths(void **state)
{
	struct cbb b;
	struct cbs c, body;
	uint8_t *out, *data;
	size_t len, i, n, hdr;

	(void)state;
	for (i = 0; i < ARRAY_LEN(lengths); i++) {
		n = lengths[i];
		data = malloc(n > 0 ? n : 1);
		assert_non_null(data);
		memset(data, 0x5a, n);
		assert_true(cbb_init(&b, 1u << 20));
		assert_true(cbb_add_asn1_octet_string(&b, data, n));
		finish_ok(&b, &out, &len);
		hdr = n < 128 ? 2 : n < 256 ? 3 : n < 65536 ? 4 : 5;
		assert_int_equal(len, hdr + n);
		assert_int_equal(out[0], CBS_ASN1_OCTETSTRING);
		if (n < 128) {
			assert_int_equal(out[1], n);
		} else if (n < 256) {
			assert_int_equal(out[1], 0x81);
			assert_int_equal(out[2], n);
		} else if (n < 65536) {
			assert_int_equal(out[1], 0x82);
			assert_int_equal(out[2], n >> 8);
			assert_int_equal(out[3], n & 0xff);
		} else {
			assert_int_equal(out[1], 0x83);
			assert_int_equal(out[2], n >> 16);
			assert_int_equal(out[3], (n >> 8) & 0xff);
			assert_int_equal(out[4], n & 0xff);
		}
		cbs_init(&c, out, len);
		assert_true(cbs_get_asn1(&c, &body, CBS_ASN1_OCTETSTRING));
		assert_true(cbs_is_empty(&c));
		assert_int_equal(cbs_len(&body), n);
		if (n > 0) {
			assert_memory_equal(cbs_data(&body), data, n);
		}
		free(out);
		free(data);
		cbb_cleanup(&b);
	}
}

/*
 * A SEQUENCE whose contents grow past 255 bytes after it was opened, with
 * elements before and after it: the contents move right by two octets
 * and what follows lands after them.
 */
static void
test_nested_long(void **state)
{
	struct cbb b, seq, inner;
	struct cbs c, s, in, os;
	uint8_t data[300], *out;
	uint64_t v;
	size_t len;

	(void)state;
	memset(data, 0xc3, sizeof(data));
	assert_true(cbb_init(&b, 4096));
	assert_true(cbb_add_asn1_uint64(&b, 5));
	assert_true(cbb_add_asn1(&b, &seq, CBS_ASN1_SEQUENCE));
	assert_true(cbb_add_asn1(&seq, &inner, CBS_ASN1_SET));
	assert_true(cbb_add_asn1_octet_string(&inner, data, sizeof(data)));
	assert_true(cbb_add_asn1_uint64(&seq, 9));
	/* Writing to the root closes both open children. */
	assert_true(cbb_add_asn1_uint64(&b, 6));
	finish_ok(&b, &out, &len);
	/* INTEGER, SEQUENCE { SET { OCTET STRING }, INTEGER }, INTEGER */
	assert_int_equal(len, 3 + 4 + 4 + 4 + 300 + 3 + 3);
	assert_int_equal(out[3], CBS_ASN1_SEQUENCE);
	assert_int_equal(out[4], 0x82);
	assert_int_equal(out[5], 0x01);
	assert_int_equal(out[6], 0x37);	/* 311 */

	cbs_init(&c, out, len);
	assert_true(cbs_get_asn1_uint64(&c, &v));
	assert_true(v == 5);
	assert_true(cbs_get_asn1(&c, &s, CBS_ASN1_SEQUENCE));
	assert_true(cbs_get_asn1(&s, &in, CBS_ASN1_SET));
	assert_true(cbs_get_asn1(&in, &os, CBS_ASN1_OCTETSTRING));
	assert_true(cbs_is_empty(&in));
	assert_int_equal(cbs_len(&os), sizeof(data));
	assert_memory_equal(cbs_data(&os), data, sizeof(data));
	assert_true(cbs_get_asn1_uint64(&s, &v));
	assert_true(v == 9);
	assert_true(cbs_is_empty(&s));
	assert_true(cbs_get_asn1_uint64(&c, &v));
	assert_true(v == 6);
	assert_true(cbs_is_empty(&c));
	free(out);
	cbb_cleanup(&b);
}

/* The admission-extension shape, read back field by field. */
static void
test_round_trip_record(void **state)
{
	static const char platform[] = "snp";
	static const char release[] = "2024.06-r\xc3\xa9";	/* "é" */
	struct cbb b, seq;
	struct cbs c, s, f;
	uint8_t meas[48], *out;
	uint64_t v;
	size_t len, i;

	(void)state;
	for (i = 0; i < sizeof(meas); i++) {
		meas[i] = (uint8_t)i;
	}
	assert_true(cbb_init(&b, 512));
	assert_true(cbb_add_asn1(&b, &seq, CBS_ASN1_SEQUENCE));
	assert_true(cbb_add_asn1_uint64(&seq, 1));
	assert_true(cbb_add_asn1_utf8(&seq, platform, strlen(platform)));
	assert_true(cbb_add_asn1_octet_string(&seq, meas, sizeof(meas)));
	assert_true(cbb_add_asn1_uint64(&seq, 42));
	assert_true(cbb_add_asn1_utf8(&seq, release, strlen(release)));
	assert_int_equal(cbb_len(&seq), 3 + 5 + 50 + 3 + 2 + strlen(release));
	finish_ok(&b, &out, &len);

	cbs_init(&c, out, len);
	assert_true(cbs_get_asn1(&c, &s, CBS_ASN1_SEQUENCE));
	assert_true(cbs_is_empty(&c));
	assert_true(cbs_get_asn1_uint64(&s, &v));
	assert_true(v == 1);
	assert_true(cbs_get_asn1(&s, &f, CBS_ASN1_UTF8STRING));
	assert_true(cbs_mem_equal(&f, (const uint8_t *)platform,
	    strlen(platform)));
	assert_true(cbs_get_asn1(&s, &f, CBS_ASN1_OCTETSTRING));
	assert_true(cbs_mem_equal(&f, meas, sizeof(meas)));
	assert_true(cbs_get_asn1_uint64(&s, &v));
	assert_true(v == 42);
	assert_true(cbs_get_asn1(&s, &f, CBS_ASN1_UTF8STRING));
	assert_true(cbs_mem_equal(&f, (const uint8_t *)release,
	    strlen(release)));
	assert_true(cbs_is_empty(&s));
	free(out);
	cbb_cleanup(&b);
}

/* Many elements: the buffer is reallocated many times over. */
static void
test_growth(void **state)
{
	struct cbb b, seq;
	struct cbs c, s;
	uint8_t *out;
	uint64_t v, i;
	size_t len;

	(void)state;
	assert_true(cbb_init(&b, 1u << 20));
	assert_true(cbb_add_asn1(&b, &seq, CBS_ASN1_SEQUENCE));
	for (i = 0; i < 5000; i++) {
		assert_true(cbb_add_asn1_uint64(&seq, i * 977));
	}
	finish_ok(&b, &out, &len);
	cbs_init(&c, out, len);
	assert_true(cbs_get_asn1(&c, &s, CBS_ASN1_SEQUENCE));
	assert_true(cbs_is_empty(&c));
	for (i = 0; i < 5000; i++) {
		assert_true(cbs_get_asn1_uint64(&s, &v));
		assert_true(v == i * 977);
	}
	assert_true(cbs_is_empty(&s));
	free(out);
	cbb_cleanup(&b);
}

static void
test_cap(void **state)
{
	static const uint8_t eleven[11] = { 0 };
	uint8_t big[128], *out;
	struct cbb b, child;
	size_t len;

	(void)state;
	memset(big, 1, sizeof(big));

	/* Exceeded by plain bytes; the failure sticks. */
	assert_true(cbb_init(&b, 10));
	assert_false(cbb_add_bytes(&b, eleven, sizeof(eleven)));
	assert_false(cbb_add_u8(&b, 1));
	assert_false(cbb_finish(&b, &out, &len));
	assert_null(out);
	assert_int_equal(len, 0);
	cbb_cleanup(&b);

	/* Exceeded by one byte after an exact fill. */
	assert_true(cbb_init(&b, 10));
	assert_true(cbb_add_bytes(&b, eleven, 10));
	assert_false(cbb_add_u8(&b, 1));
	assert_false(cbb_finish(&b, &out, &len));
	cbb_cleanup(&b);

	/* Exact fit with a header. */
	assert_true(cbb_init(&b, 4));
	assert_true(cbb_add_asn1_octet_string(&b, eleven, 2));
	finish_ok(&b, &out, &len);
	assert_int_equal(len, 4);
	free(out);
	cbb_cleanup(&b);

	/*
	 * 128 bytes of contents fit in 130 while the length is one octet,
	 * but the long form needs a third header octet: 131.
	 */
	assert_true(cbb_init(&b, 130));
	assert_true(cbb_add_asn1(&b, &child, CBS_ASN1_OCTETSTRING));
	assert_true(cbb_add_bytes(&child, big, sizeof(big)));
	assert_false(cbb_flush(&b));
	assert_false(cbb_add_u8(&b, 0));
	assert_false(cbb_finish(&b, &out, &len));
	assert_null(out);
	cbb_cleanup(&b);

	assert_true(cbb_init(&b, 131));
	assert_true(cbb_add_asn1(&b, &child, CBS_ASN1_OCTETSTRING));
	assert_true(cbb_add_bytes(&child, big, sizeof(big)));
	finish_ok(&b, &out, &len);
	assert_int_equal(len, 131);
	free(out);
	cbb_cleanup(&b);

	/* A failure in a child fails the whole tree. */
	assert_true(cbb_init(&b, 8));
	assert_true(cbb_add_asn1(&b, &child, CBS_ASN1_SEQUENCE));
	assert_false(cbb_add_asn1_octet_string(&child, big, 16));
	assert_false(cbb_add_u8(&b, 0));
	assert_false(cbb_finish(&b, &out, &len));
	cbb_cleanup(&b);
}

static void
test_closed_child(void **state)
{
	struct cbb b, c1, c2;
	uint8_t *out;
	size_t len;

	(void)state;
	assert_true(cbb_init(&b, 64));
	assert_true(cbb_add_asn1(&b, &c1, CBS_ASN1_SEQUENCE));
	assert_true(cbb_add_u8(&c1, 0xaa));
	/* Opening a sibling closes |c1|. */
	assert_true(cbb_add_asn1(&b, &c2, CBS_ASN1_SET));
	assert_false(cbb_add_u8(&c1, 0xbb));
	assert_int_equal(cbb_len(&c1), 0);
	assert_true(cbb_add_u8(&c2, 0xcc));
	assert_true(cbb_flush(&b));
	assert_false(cbb_add_u8(&c2, 0xdd));
	/* A child can never be finished or cleaned up as a root. */
	assert_false(cbb_finish(&c2, &out, &len));
	cbb_cleanup(&c2);
	finish_ok(&b, &out, &len);
	assert_int_equal(len, 6);
	assert_int_equal(out[0], 0x30);
	assert_int_equal(out[1], 0x01);
	assert_int_equal(out[2], 0xaa);
	assert_int_equal(out[3], 0x31);
	assert_int_equal(out[4], 0x01);
	assert_int_equal(out[5], 0xcc);
	free(out);
	cbb_cleanup(&b);
}

static void
test_bad_tags(void **state)
{
	static const unsigned bad[] = { 0x00, 0x20, 0x1f, 0x3f, 0x9f, 0xff,
	    0x100, 0x130 };
	static const unsigned good[] = { 0x01, 0x1e, 0x30, 0x80, 0xa0, 0xbe,
	    0xe1 };
	struct cbb b, child;
	struct cbs c, body;
	uint8_t *out;
	unsigned tag;
	size_t len, i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(bad); i++) {
		assert_true(cbb_init(&b, 64));
		assert_false(cbb_add_asn1(&b, &child, bad[i]));
		assert_false(cbb_finish(&b, &out, &len));
		cbb_cleanup(&b);
	}
	for (i = 0; i < ARRAY_LEN(good); i++) {
		assert_true(cbb_init(&b, 64));
		assert_true(cbb_add_asn1(&b, &child, good[i]));
		assert_true(cbb_add_u8(&child, 0));
		finish_ok(&b, &out, &len);
		cbs_init(&c, out, len);
		assert_true(cbs_get_any_asn1(&c, &body, &tag));
		assert_int_equal(tag, good[i]);
		assert_int_equal(cbs_len(&body), 1);
		free(out);
		cbb_cleanup(&b);
	}
}

struct utf8_case {
	const char	*s;
	size_t		 n;
	bool		 ok;
};

static const struct utf8_case utf8_cases[] = {
	{ "", 0, true },
	{ "sim", 3, true },
	{ "\xc3\xa9", 2, true },			/* U+00E9 */
	{ "\xe2\x82\xac", 3, true },			/* U+20AC */
	{ "\xed\x9f\xbf", 3, true },			/* U+D7FF */
	{ "\xee\x80\x80", 3, true },			/* U+E000 */
	{ "\xf0\x9f\x98\x80", 4, true },		/* U+1F600 */
	{ "\xf4\x8f\xbf\xbf", 4, true },		/* U+10FFFF */
	{ "a\0b", 3, false },				/* NUL */
	{ "\x80", 1, false },				/* lone tail */
	{ "\xc0\x80", 2, false },			/* overlong NUL */
	{ "\xc1\xbf", 2, false },			/* overlong */
	{ "\xe0\x80\xaf", 3, false },			/* overlong */
	{ "\xe0\x9f\xbf", 3, false },			/* overlong */
	{ "\xed\xa0\x80", 3, false },			/* U+D800 */
	{ "\xed\xbf\xbf", 3, false },			/* U+DFFF */
	{ "\xf0\x8f\xbf\xbf", 4, false },		/* overlong */
	{ "\xf4\x90\x80\x80", 4, false },		/* > U+10FFFF */
	{ "\xf5\x80\x80\x80", 4, false },
	{ "\xff", 1, false },
	{ "\xe2\x82", 2, false },			/* truncated */
	{ "\xc3", 1, false },				/* truncated */
	{ "\xf0\x9f\x98", 3, false },			/* truncated */
	{ "\xe2\x28\xa1", 3, false },			/* bad tail */
	{ "\xf0\x9f\x28\x80", 4, false },		/* bad tail */
};

static void
test_utf8(void **state)
{
	struct cbb b;
	uint8_t *out;
	size_t len, i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(utf8_cases); i++) {
		assert_int_equal(bs_utf8_is_valid(
		    (const uint8_t *)utf8_cases[i].s, utf8_cases[i].n),
		    utf8_cases[i].ok);
		assert_true(cbb_init(&b, 64));
		assert_int_equal(cbb_add_asn1_utf8(&b, utf8_cases[i].s,
		    utf8_cases[i].n), utf8_cases[i].ok);
		assert_int_equal(cbb_finish(&b, &out, &len),
		    utf8_cases[i].ok);
		if (utf8_cases[i].ok) {
			assert_int_equal(len, 2 + utf8_cases[i].n);
			assert_int_equal(out[0], CBS_ASN1_UTF8STRING);
			free(out);
		}
		cbb_cleanup(&b);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_and_empty),
		cmocka_unit_test(test_scalars),
		cmocka_unit_test(test_uint64),
		cmocka_unit_test(test_lengths),
		cmocka_unit_test(test_nested_long),
		cmocka_unit_test(test_round_trip_record),
		cmocka_unit_test(test_growth),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_closed_child),
		cmocka_unit_test(test_bad_tags),
		cmocka_unit_test(test_utf8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
