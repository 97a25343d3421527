/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for lib/bs/der.c: element headers (tags, short and long
 * lengths, every way of breaking DER's one-encoding rule), INTEGER and
 * BOOLEAN, optional elements, and every truncation of every reader's
 * input.  Inputs live in heap buffers of exactly their own length so that
 * a read past the end is caught by ASan and valgrind.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bs/bs.h"

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

/* Room for the longest header used below plus 64 KiB of contents. */
#define DER_BUF_MAX	(12 + 65536)

static uint8_t *
dup_exact(const uint8_t *p, size_t n)
{
	uint8_t *q;

	q = malloc(n > 0 ? n : 1);
	assert_non_null(q);
	if (n > 0) {
		memcpy(q, p, n);
	}
	return q;
}

static void
assert_cbs_same(const struct cbs *a, const struct cbs *b)
{
	assert_ptr_equal(a->data, b->data);
	assert_int_equal(a->len, b->len);
	assert_int_equal(a->initial_len, b->initial_len);
}

/*
 * A header case: the header octets, then |body| bytes of contents (filled
 * with a pattern) appended when the test builds the input.
 */
struct header_case {
	const char	*name;
	uint8_t		 hdr[12];
	size_t		 hdr_len;
	size_t		 body;
	bool		 ok;
	unsigned	 tag;	/* when ok */
};

static const struct header_case header_cases[] = {
	/* Accepted. */
	{ "empty sequence", { 0x30, 0x00 }, 2, 0, true, 0x30 },
	{ "octet string", { 0x04, 0x03 }, 2, 3, true, 0x04 },
	{ "short form max", { 0x04, 0x7f }, 2, 127, true, 0x04 },
	{ "long form 1 octet min", { 0x04, 0x81, 0x80 }, 3, 128, true,
	    0x04 },
	{ "long form 1 octet max", { 0x04, 0x81, 0xff }, 3, 255, true,
	    0x04 },
	{ "long form 2 octets min", { 0x04, 0x82, 0x01, 0x00 }, 4, 256, true,
	    0x04 },
	{ "long form 3 octets min", { 0x04, 0x83, 0x01, 0x00, 0x00 }, 5,
	    65536, true, 0x04 },
	{ "context [0] constructed", { 0xa0, 0x01 }, 2, 1, true, 0xa0 },
	{ "context [0] primitive", { 0x80, 0x01 }, 2, 1, true, 0x80 },
	{ "context [30] primitive", { 0x9e, 0x00 }, 2, 0, true, 0x9e },
	{ "universal 30", { 0x1e, 0x02 }, 2, 2, true, 0x1e },
	{ "universal 1", { 0x01, 0x01 }, 2, 1, true, 0x01 },
	{ "private constructed", { 0xe1, 0x00 }, 2, 0, true, 0xe1 },

	/*
	 * High-tag-number form: X.690 §8.1.2.4.  Each would be a valid
	 * element if the first octet were taken as a whole tag.
	 */
	{ "high tag universal", { 0x1f, 0x00 }, 2, 0, false, 0 },
	{ "high tag universal 2", { 0x1f, 0x02, 0x01, 0x00 }, 4, 0, false,
	    0 },
	{ "high tag constructed", { 0x3f, 0x01, 0x00 }, 3, 0, false, 0 },
	{ "high tag context", { 0x9f, 0x00 }, 2, 0, false, 0 },
	{ "high tag context 31", { 0x9f, 0x1f, 0x00 }, 3, 0, false, 0 },
	{ "high tag context cons", { 0xbf, 0x81, 0x00, 0x00 }, 4, 0, false,
	    0 },
	{ "high tag application", { 0x5f, 0x00 }, 2, 0, false, 0 },
	{ "high tag private", { 0xff, 0x00 }, 2, 0, false, 0 },
	/* End-of-contents: universal tag 0. */
	{ "end of contents", { 0x00, 0x00 }, 2, 0, false, 0 },
	{ "constructed tag 0", { 0x20, 0x00 }, 2, 0, false, 0 },
	/* Indefinite length: X.690 §10.1. */
	{ "indefinite", { 0x30, 0x80 }, 2, 0, false, 0 },
	{ "indefinite with eoc", { 0x30, 0x80, 0x00, 0x00 }, 4, 0, false,
	    0 },
	/* Non-minimal lengths. */
	{ "long form for 0", { 0x04, 0x81, 0x00 }, 3, 0, false, 0 },
	{ "long form for 5", { 0x04, 0x81, 0x05 }, 3, 5, false, 0 },
	{ "long form for 127", { 0x04, 0x81, 0x7f }, 3, 127, false, 0 },
	{ "leading zero 2 octets", { 0x04, 0x82, 0x00, 0x80 }, 4, 128, false,
	    0 },
	{ "leading zero 2 octets small", { 0x04, 0x82, 0x00, 0x05 }, 4, 5,
	    false, 0 },
	{ "leading zero 3 octets", { 0x04, 0x83, 0x00, 0x01, 0x00 }, 5, 256,
	    false, 0 },
	{ "leading zero 4 octets", { 0x04, 0x84, 0x00, 0x00, 0x01, 0x00 }, 6,
	    256, false, 0 },
	/* Too many length octets, and the reserved 0xff. */
	{ "5 length octets", { 0x04, 0x85, 0x01, 0x00, 0x00, 0x00, 0x00 }, 7,
	    0, false, 0 },
	{ "8 length octets", { 0x04, 0x88, 0x01, 0, 0, 0, 0, 0 }, 8, 0,
	    false, 0 },
	{ "reserved 0xff", { 0x04, 0xff }, 2, 0, false, 0 },
	/* 9 octets: a reader that shifts without a limit wraps to 128. */
	{ "9 length octets wrap", { 0x04, 0x89, 0x01, 0, 0, 0, 0, 0, 0, 0,
	    0x80 }, 11, 128, false, 0 },
	/* 5 octets: the same with a 32-bit accumulator. */
	{ "5 length octets wrap", { 0x04, 0x85, 0x01, 0, 0, 0, 0x80 }, 7,
	    128, false, 0 },
	/* Lengths beyond the input. */
	{ "short over by 1", { 0x04, 0x03 }, 2, 2, false, 0 },
	{ "short over", { 0x30, 0x05 }, 2, 0, false, 0 },
	{ "long over by 1", { 0x04, 0x81, 0x81 }, 3, 128, false, 0 },
	{ "long 4 octets huge", { 0x04, 0x84, 0xff, 0xff, 0xff, 0xff }, 6, 4,
	    false, 0 },
	{ "long 4 octets 2^31", { 0x04, 0x84, 0x80, 0x00, 0x00, 0x00 }, 6, 4,
	    false, 0 },
	{ "long form octets missing", { 0x04, 0x82, 0x01 }, 3, 0, false, 0 },
	/* Nothing at all. */
	{ "empty input", { 0 }, 0, 0, false, 0 },
	{ "tag only", { 0x30 }, 1, 0, false, 0 },
};

/* Build header + pattern body into a fresh heap buffer of exact size. */
static uint8_t *
build_case(const struct header_case *hc, size_t *out_len)
{
	uint8_t *buf;
	size_t i, n = hc->hdr_len + hc->body;

	assert_true(n <= DER_BUF_MAX);
	buf = malloc(n > 0 ? n : 1);
	assert_non_null(buf);
	memcpy(buf, hc->hdr, hc->hdr_len);
	for (i = 0; i < hc->body; i++) {
		buf[hc->hdr_len + i] = (uint8_t)(i * 7 + 1);
	}
	*out_len = n;
	return buf;
}

static void
test_headers_any(void **state)
{
	const struct header_case *hc;
	struct cbs c, saved, body;
	unsigned tag;
	uint8_t *buf;
	size_t i, n;

	for (i = 0; i < ARRAY_LEN(header_cases); i++) {
		hc = &header_cases[i];
		buf = build_case(hc, &n);
		cbs_init(&c, buf, n);
		saved = c;
		tag = 0x1234;
		if (cbs_get_any_asn1(&c, &body, &tag) != hc->ok) {
			fail_msg("%s: want %s", hc->name,
			    hc->ok ? "accept" : "reject");
		}
		if (hc->ok) {
			assert_int_equal(tag, hc->tag);
			assert_true(cbs_is_empty(&c));
			assert_int_equal(cbs_len(&body), hc->body);
			assert_ptr_equal(cbs_data(&body), buf + hc->hdr_len);
			assert_int_equal(cbs_offset(&body), 0);
		} else {
			assert_cbs_same(&c, &saved);
			assert_int_equal(tag, 0x1234);
		}
		free(buf);
	}
}

/* The same headers through the tagged readers, right and wrong tag. */
static void
test_headers_tagged(void **state)
{
	const struct header_case *hc;
	struct cbs c, saved, out;
	uint8_t *buf;
	size_t i, n;
	unsigned tag;

	for (i = 0; i < ARRAY_LEN(header_cases); i++) {
		hc = &header_cases[i];
		buf = build_case(hc, &n);
		tag = hc->ok ? hc->tag : (hc->hdr_len > 0 ? hc->hdr[0] : 0x30);

		cbs_init(&c, buf, n);
		saved = c;
		if (cbs_get_asn1(&c, &out, tag) != hc->ok) {
			fail_msg("%s: cbs_get_asn1", hc->name);
		}
		if (hc->ok) {
			assert_int_equal(cbs_len(&out), hc->body);
			assert_true(cbs_is_empty(&c));
		} else {
			assert_cbs_same(&c, &saved);
		}

		cbs_init(&c, buf, n);
		if (cbs_get_asn1_element(&c, &out, tag) != hc->ok) {
			fail_msg("%s: cbs_get_asn1_element", hc->name);
		}
		if (hc->ok) {
			assert_ptr_equal(cbs_data(&out), buf);
			assert_int_equal(cbs_len(&out), n);
			assert_int_equal(out.initial_len, n);
			assert_true(cbs_is_empty(&c));
		} else {
			assert_cbs_same(&c, &saved);
		}

		/* A valid element under a different tag is not read. */
		cbs_init(&c, buf, n);
		assert_false(cbs_get_asn1(&c, &out, tag ^ 0x01));
		assert_cbs_same(&c, &saved);
		assert_false(cbs_get_asn1_element(&c, &out, tag ^ 0x20));
		assert_cbs_same(&c, &saved);
		free(buf);
	}
}

/* Every proper prefix of every valid element is rejected unchanged. */
static void
test_headers_truncated(void **state)
{
	const struct header_case *hc;
	struct cbs c, saved, out;
	uint8_t *full, *buf;
	unsigned tag;
	size_t i, k, n;

	for (i = 0; i < ARRAY_LEN(header_cases); i++) {
		hc = &header_cases[i];
		if (!hc->ok) {
			continue;
		}
		full = build_case(hc, &n);
		for (k = 0; k < n; k++) {
			buf = dup_exact(full, k);
			cbs_init(&c, buf, k);
			saved = c;
			if (cbs_get_any_asn1(&c, &out, &tag) ||
			    cbs_get_asn1(&c, &out, hc->tag) ||
			    cbs_get_asn1_element(&c, &out, hc->tag)) {
				fail_msg("%s: accepted %zu of %zu bytes",
				    hc->name, k, n);
			}
			assert_cbs_same(&c, &saved);
			free(buf);
		}
		free(full);
	}
}

/* Trailing bytes after an element stay in the view. */
static void
test_element_then_more(void **state)
{
	static const uint8_t in[] = {
		0x02, 0x01, 0x05, 0x04, 0x00, 0xff,
	};
	struct cbs c, out;
	unsigned tag;

	cbs_init(&c, in, sizeof(in));
	assert_true(cbs_get_asn1(&c, &out, CBS_ASN1_INTEGER));
	assert_int_equal(cbs_offset(&c), 3);
	assert_true(cbs_get_any_asn1(&c, &out, &tag));
	assert_int_equal(tag, CBS_ASN1_OCTETSTRING);
	assert_true(cbs_is_empty(&out));
	assert_int_equal(cbs_len(&c), 1);
	/* The tag output is optional. */
	cbs_init(&c, in, sizeof(in));
	assert_true(cbs_get_any_asn1(&c, &out, NULL));
	assert_int_equal(cbs_len(&out), 1);
	assert_true(cbs_skip(&c, 2));
	/* 0xff alone is a high-tag-number identifier with nothing after. */
	assert_false(cbs_get_any_asn1(&c, &out, &tag));
	assert_int_equal(cbs_len(&c), 1);
}

static void
test_peek(void **state)
{
	static const uint8_t in[] = { 0x30, 0x00 };
	struct cbs c;

	cbs_init(&c, in, sizeof(in));
	assert_true(cbs_peek_asn1_tag(&c, CBS_ASN1_SEQUENCE));
	assert_false(cbs_peek_asn1_tag(&c, CBS_ASN1_SET));
	assert_false(cbs_peek_asn1_tag(&c, 0x10));
	assert_int_equal(cbs_offset(&c), 0);
	cbs_init(&c, NULL, 0);
	assert_false(cbs_peek_asn1_tag(&c, CBS_ASN1_SEQUENCE));
	assert_false(cbs_peek_asn1_tag(&c, 0));
}

static void
test_optional(void **state)
{
	static const uint8_t present[] = { 0xa0, 0x03, 0x02, 0x01, 0x02, 0x05,
	    0x00 };
	static const uint8_t absent[] = { 0x05, 0x00 };
	static const uint8_t broken[] = { 0xa0, 0x05, 0x02, 0x01, 0x02 };
	static const uint8_t broken_len[] = { 0xa0, 0x81, 0x01, 0x00 };
	const unsigned tag0 = CBS_ASN1_CONTEXT_SPECIFIC | CBS_ASN1_CONSTRUCTED;
	struct cbs c, saved, out;
	bool is_present;
	uint64_t v;

	cbs_init(&c, present, sizeof(present));
	is_present = false;
	assert_true(cbs_get_optional_asn1(&c, &out, &is_present, tag0));
	assert_true(is_present);
	assert_int_equal(cbs_len(&out), 3);
	assert_int_equal(cbs_offset(&c), 5);
	assert_true(cbs_get_asn1_uint64(&out, &v));
	assert_int_equal(v, 2);
	/* The next element is not [0]: absent, nothing consumed. */
	saved = c;
	is_present = true;
	assert_true(cbs_get_optional_asn1(&c, &out, &is_present, tag0));
	assert_false(is_present);
	assert_int_equal(cbs_len(&out), 0);
	assert_cbs_same(&c, &saved);

	cbs_init(&c, absent, sizeof(absent));
	saved = c;
	is_present = true;
	assert_true(cbs_get_optional_asn1(&c, &out, &is_present, tag0));
	assert_false(is_present);
	assert_cbs_same(&c, &saved);

	/* At the end of input the element is simply absent. */
	cbs_init(&c, NULL, 0);
	is_present = true;
	assert_true(cbs_get_optional_asn1(&c, &out, &is_present, tag0));
	assert_false(is_present);

	/* Both outputs may be NULL: just skip the element if there. */
	cbs_init(&c, present, sizeof(present));
	assert_true(cbs_get_optional_asn1(&c, NULL, NULL, tag0));
	assert_int_equal(cbs_offset(&c), 5);
	assert_true(cbs_get_optional_asn1(&c, NULL, NULL, tag0));
	assert_int_equal(cbs_offset(&c), 5);

	/* Present but malformed is an error, not "absent". */
	cbs_init(&c, broken, sizeof(broken));
	saved = c;
	assert_false(cbs_get_optional_asn1(&c, &out, &is_present, tag0));
	assert_cbs_same(&c, &saved);
	cbs_init(&c, broken_len, sizeof(broken_len));
	saved = c;
	assert_false(cbs_get_optional_asn1(&c, &out, &is_present, tag0));
	assert_cbs_same(&c, &saved);
}

/* Every truncation of a present optional element fails, except "none". */
static void
test_optional_truncated(void **state)
{
	static const uint8_t in[] = { 0xa3, 0x04, 0x01, 0x01, 0xff, 0x00 };
	const unsigned tag3 = 0xa3;
	struct cbs c, saved, out;
	bool is_present;
	uint8_t *buf;
	size_t k;

	for (k = 1; k < sizeof(in); k++) {
		buf = dup_exact(in, k);
		cbs_init(&c, buf, k);
		saved = c;
		if (cbs_get_optional_asn1(&c, &out, &is_present, tag3)) {
			fail_msg("optional: accepted %zu of %zu bytes", k,
			    sizeof(in));
		}
		assert_cbs_same(&c, &saved);
		free(buf);
	}
	buf = dup_exact(in, sizeof(in));
	cbs_init(&c, buf, sizeof(in));
	assert_true(cbs_get_optional_asn1(&c, &out, &is_present, tag3));
	assert_true(is_present);
	assert_true(cbs_is_empty(&c));
	free(buf);
}

struct uint_case {
	const char	*name;
	uint8_t		 in[12];
	size_t		 len;
	bool		 ok;
	uint64_t	 want;
};

static const struct uint_case uint_cases[] = {
	{ "zero", { 0x02, 0x01, 0x00 }, 3, true, 0 },
	{ "one", { 0x02, 0x01, 0x01 }, 3, true, 1 },
	{ "127", { 0x02, 0x01, 0x7f }, 3, true, 127 },
	{ "128", { 0x02, 0x02, 0x00, 0x80 }, 4, true, 128 },
	{ "255", { 0x02, 0x02, 0x00, 0xff }, 4, true, 255 },
	{ "256", { 0x02, 0x02, 0x01, 0x00 }, 4, true, 256 },
	{ "0x7fff", { 0x02, 0x02, 0x7f, 0xff }, 4, true, 0x7fff },
	{ "0x8000", { 0x02, 0x03, 0x00, 0x80, 0x00 }, 5, true, 0x8000 },
	{ "int64 max", { 0x02, 0x08, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff }, 10, true, INT64_MAX },
	{ "2^63", { 0x02, 0x09, 0x00, 0x80, 0, 0, 0, 0, 0, 0, 0 }, 11, true,
	    0x8000000000000000ull },
	{ "uint64 max", { 0x02, 0x09, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff }, 11, true, UINT64_MAX },
	{ "bytes in order", { 0x02, 0x08, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06,
	    0x07, 0x08 }, 10, true, 0x0102030405060708ull },

	{ "empty contents", { 0x02, 0x00 }, 2, false, 0 },
	{ "negative -1", { 0x02, 0x01, 0xff }, 3, false, 0 },
	{ "negative -128", { 0x02, 0x01, 0x80 }, 3, false, 0 },
	{ "negative -129", { 0x02, 0x02, 0xff, 0x7f }, 4, false, 0 },
	{ "negative non-minimal", { 0x02, 0x02, 0xff, 0x80 }, 4, false, 0 },
	{ "negative 2^63", { 0x02, 0x08, 0x80, 0, 0, 0, 0, 0, 0, 0 }, 10,
	    false, 0 },
	{ "non-minimal zero", { 0x02, 0x02, 0x00, 0x00 }, 4, false, 0 },
	{ "non-minimal 1", { 0x02, 0x02, 0x00, 0x01 }, 4, false, 0 },
	{ "non-minimal 127", { 0x02, 0x02, 0x00, 0x7f }, 4, false, 0 },
	{ "two leading zeros", { 0x02, 0x03, 0x00, 0x00, 0x80 }, 5, false,
	    0 },
	{ "2^64", { 0x02, 0x09, 0x01, 0, 0, 0, 0, 0, 0, 0, 0 }, 11, false,
	    0 },
	{ "9 bytes positive", { 0x02, 0x09, 0x7f, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff, 0xff }, 11, false, 0 },
	{ "10 bytes", { 0x02, 0x0a, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff }, 12, false, 0 },
	{ "wrong tag enumerated", { 0x0a, 0x01, 0x01 }, 3, false, 0 },
	{ "wrong tag octet string", { 0x04, 0x01, 0x01 }, 3, false, 0 },
	{ "constructed integer", { 0x22, 0x03, 0x02, 0x01, 0x01 }, 5, false,
	    0 },
	{ "length over", { 0x02, 0x02, 0x01 }, 3, false, 0 },
	{ "non-minimal length", { 0x02, 0x81, 0x01, 0x01 }, 4, false, 0 },
};

static void
test_uint64(void **state)
{
	const struct uint_case *uc;
	struct cbs c, saved;
	uint64_t v;
	uint8_t *buf;
	size_t i;

	for (i = 0; i < ARRAY_LEN(uint_cases); i++) {
		uc = &uint_cases[i];
		buf = dup_exact(uc->in, uc->len);
		cbs_init(&c, buf, uc->len);
		saved = c;
		v = 0x1111;
		if (cbs_get_asn1_uint64(&c, &v) != uc->ok) {
			fail_msg("%s: want %s", uc->name,
			    uc->ok ? "accept" : "reject");
		}
		if (uc->ok) {
			if (v != uc->want) {
				fail_msg("%s: got %llx", uc->name,
				    (unsigned long long)v);
			}
			assert_true(cbs_is_empty(&c));
		} else {
			assert_int_equal(v, 0x1111);
			assert_cbs_same(&c, &saved);
		}
		free(buf);
	}
}

static void
test_uint64_truncated(void **state)
{
	const struct uint_case *uc;
	struct cbs c, saved;
	uint64_t v;
	uint8_t *buf;
	size_t i, k;

	for (i = 0; i < ARRAY_LEN(uint_cases); i++) {
		uc = &uint_cases[i];
		if (!uc->ok) {
			continue;
		}
		for (k = 0; k < uc->len; k++) {
			buf = dup_exact(uc->in, k);
			cbs_init(&c, buf, k);
			saved = c;
			if (cbs_get_asn1_uint64(&c, &v)) {
				fail_msg("%s: accepted %zu of %zu bytes",
				    uc->name, k, uc->len);
			}
			assert_cbs_same(&c, &saved);
			free(buf);
		}
	}
}

struct bool_case {
	const char	*name;
	uint8_t		 in[4];
	size_t		 len;
	bool		 ok;
	bool		 want;
};

static const struct bool_case bool_cases[] = {
	{ "false", { 0x01, 0x01, 0x00 }, 3, true, false },
	{ "true", { 0x01, 0x01, 0xff }, 3, true, true },
	{ "ber true 0x01", { 0x01, 0x01, 0x01 }, 3, false, false },
	{ "ber true 0x80", { 0x01, 0x01, 0x80 }, 3, false, false },
	{ "ber true 0xfe", { 0x01, 0x01, 0xfe }, 3, false, false },
	{ "ber true 0x7f", { 0x01, 0x01, 0x7f }, 3, false, false },
	{ "empty", { 0x01, 0x00 }, 2, false, false },
	{ "two octets false", { 0x01, 0x02, 0x00, 0x00 }, 4, false, false },
	{ "two octets true", { 0x01, 0x02, 0xff, 0xff }, 4, false, false },
	{ "wrong tag", { 0x02, 0x01, 0xff }, 3, false, false },
	{ "constructed", { 0x21, 0x01, 0xff }, 3, false, false },
	{ "length over", { 0x01, 0x02, 0xff }, 3, false, false },
};

static void
test_bool(void **state)
{
	const struct bool_case *bc;
	struct cbs c, saved;
	uint8_t *buf;
	bool v;
	size_t i;

	for (i = 0; i < ARRAY_LEN(bool_cases); i++) {
		bc = &bool_cases[i];
		buf = dup_exact(bc->in, bc->len);
		cbs_init(&c, buf, bc->len);
		saved = c;
		v = !bc->want;
		if (cbs_get_asn1_bool(&c, &v) != bc->ok) {
			fail_msg("%s: want %s", bc->name,
			    bc->ok ? "accept" : "reject");
		}
		if (bc->ok) {
			assert_int_equal(v, bc->want);
			assert_true(cbs_is_empty(&c));
		} else {
			assert_int_equal(v, !bc->want);
			assert_cbs_same(&c, &saved);
		}
		free(buf);
	}
}

static void
test_bool_truncated(void **state)
{
	const struct bool_case *bc;
	struct cbs c, saved;
	uint8_t *buf;
	bool v;
	size_t i, k;

	for (i = 0; i < ARRAY_LEN(bool_cases); i++) {
		bc = &bool_cases[i];
		if (!bc->ok) {
			continue;
		}
		for (k = 0; k < bc->len; k++) {
			buf = dup_exact(bc->in, k);
			cbs_init(&c, buf, k);
			saved = c;
			assert_false(cbs_get_asn1_bool(&c, &v));
			assert_cbs_same(&c, &saved);
			free(buf);
		}
	}
}

/*
 * A small extension-like structure walked the way certificate code does:
 *   SEQUENCE { INTEGER 5, BOOLEAN TRUE, [0] { OCTET STRING 'ab' },
 *              [1] absent, NULL }
 */
static const uint8_t nested[] = {
	0x30, 0x0e,
	    0x02, 0x01, 0x05,
	    0x01, 0x01, 0xff,
	    0xa0, 0x04, 0x04, 0x02, 0x61, 0x62,
	    0x05, 0x00,
	0x00,	/* not part of the sequence */
};

static bool
walk_nested(struct cbs *c, uint64_t *out_n, bool *out_b, struct cbs *out_os)
{
	struct cbs seq, ctx0, ctx1;
	bool has0, has1;

	if (!cbs_get_asn1(c, &seq, CBS_ASN1_SEQUENCE) ||
	    !cbs_get_asn1_uint64(&seq, out_n) ||
	    !cbs_get_asn1_bool(&seq, out_b) ||
	    !cbs_get_optional_asn1(&seq, &ctx0, &has0,
	    CBS_ASN1_CONTEXT_SPECIFIC | CBS_ASN1_CONSTRUCTED | 0) ||
	    !has0 ||
	    !cbs_get_asn1(&ctx0, out_os, CBS_ASN1_OCTETSTRING) ||
	    !cbs_is_empty(&ctx0) ||
	    !cbs_get_optional_asn1(&seq, &ctx1, &has1,
	    CBS_ASN1_CONTEXT_SPECIFIC | CBS_ASN1_CONSTRUCTED | 1) ||
	    has1 ||
	    !cbs_get_asn1(&seq, &ctx1, CBS_ASN1_NULL) ||
	    !cbs_is_empty(&seq)) {
		return false;
	}
	return true;
}

static void
test_nested(void **state)
{
	struct cbs c, os;
	uint64_t n;
	bool b;

	cbs_init(&c, nested, sizeof(nested));
	assert_true(walk_nested(&c, &n, &b, &os));
	assert_int_equal(n, 5);
	assert_true(b);
	assert_true(cbs_mem_equal(&os, (const uint8_t *)"ab", 2));
	/* Offsets are relative to the buffer the view was made over. */
	assert_int_equal(cbs_data(&os) - nested, 12);
	assert_int_equal(cbs_offset(&c), 16);
	assert_int_equal(cbs_len(&c), 1);
}

static void
test_nested_truncated(void **state)
{
	struct cbs c, saved, os;
	uint8_t *buf;
	uint64_t n;
	bool b;
	size_t k;

	/* The sequence is the first 16 bytes. */
	for (k = 0; k < 16; k++) {
		buf = dup_exact(nested, k);
		cbs_init(&c, buf, k);
		saved = c;
		assert_false(walk_nested(&c, &n, &b, &os));
		assert_cbs_same(&c, &saved);
		free(buf);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_headers_any),
		cmocka_unit_test(test_headers_tagged),
		cmocka_unit_test(test_headers_truncated),
		cmocka_unit_test(test_element_then_more),
		cmocka_unit_test(test_peek),
		cmocka_unit_test(test_optional),
		cmocka_unit_test(test_optional_truncated),
		cmocka_unit_test(test_uint64),
		cmocka_unit_test(test_uint64_truncated),
		cmocka_unit_test(test_bool),
		cmocka_unit_test(test_bool_truncated),
		cmocka_unit_test(test_nested),
		cmocka_unit_test(test_nested_truncated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
