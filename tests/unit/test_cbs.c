/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for lib/bs/cbs.c: every getter on known bytes, on every
 * truncation of its input (the view must come back unchanged), and on
 * sub-views.  Truncated inputs live in heap buffers of exactly their own
 * length so that ASan and valgrind catch a read past the end.
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

/* A heap copy of |n| bytes, so that any access past |n| is caught. */
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
 * Each reader wraps one getter in a common shape: it reads from |c| and
 * reports a number to compare (the value, or the length of a sub-view).
 */
typedef bool (*reader_fn)(struct cbs *c, uint64_t *val);

static bool
rd_u8(struct cbs *c, uint64_t *val)
{
	uint8_t v;

	if (!cbs_get_u8(c, &v)) {
		return false;
	}
	*val = v;
	return true;
}

static bool
rd_u16le(struct cbs *c, uint64_t *val)
{
	uint16_t v;

	if (!cbs_get_u16le(c, &v)) {
		return false;
	}
	*val = v;
	return true;
}

static bool
rd_u32le(struct cbs *c, uint64_t *val)
{
	uint32_t v;

	if (!cbs_get_u32le(c, &v)) {
		return false;
	}
	*val = v;
	return true;
}

static bool
rd_u64le(struct cbs *c, uint64_t *val)
{
	return cbs_get_u64le(c, val);
}

static bool
rd_u16be(struct cbs *c, uint64_t *val)
{
	uint16_t v;

	if (!cbs_get_u16be(c, &v)) {
		return false;
	}
	*val = v;
	return true;
}

static bool
rd_u24be(struct cbs *c, uint64_t *val)
{
	uint32_t v;

	if (!cbs_get_u24be(c, &v)) {
		return false;
	}
	*val = v;
	return true;
}

static bool
rd_u32be(struct cbs *c, uint64_t *val)
{
	uint32_t v;

	if (!cbs_get_u32be(c, &v)) {
		return false;
	}
	*val = v;
	return true;
}

static bool
rd_u64be(struct cbs *c, uint64_t *val)
{
	return cbs_get_u64be(c, val);
}

static bool
rd_skip5(struct cbs *c, uint64_t *val)
{
	*val = 5;
	return cbs_skip(c, 5);
}

static bool
rd_bytes5(struct cbs *c, uint64_t *val)
{
	struct cbs sub;

	if (!cbs_get_bytes(c, &sub, 5)) {
		return false;
	}
	*val = cbs_len(&sub);
	return true;
}

static bool
rd_copy5(struct cbs *c, uint64_t *val)
{
	uint8_t buf[5];
	size_t i;

	if (!cbs_copy(c, buf, sizeof(buf))) {
		return false;
	}
	*val = 0;
	for (i = 0; i < sizeof(buf); i++) {
		*val = (*val << 8) | buf[i];
	}
	return true;
}

static bool
rd_u8_prefixed(struct cbs *c, uint64_t *val)
{
	struct cbs sub;

	if (!cbs_get_u8_prefixed(c, &sub)) {
		return false;
	}
	*val = cbs_len(&sub);
	return true;
}

static bool
rd_u16be_prefixed(struct cbs *c, uint64_t *val)
{
	struct cbs sub;

	if (!cbs_get_u16be_prefixed(c, &sub)) {
		return false;
	}
	*val = cbs_len(&sub);
	return true;
}

static bool
rd_u16le_prefixed(struct cbs *c, uint64_t *val)
{
	struct cbs sub;

	if (!cbs_get_u16le_prefixed(c, &sub)) {
		return false;
	}
	*val = cbs_len(&sub);
	return true;
}

static bool
rd_u32le_prefixed(struct cbs *c, uint64_t *val)
{
	struct cbs sub;

	if (!cbs_get_u32le_prefixed(c, &sub)) {
		return false;
	}
	*val = cbs_len(&sub);
	return true;
}

static bool
rd_exact5(struct cbs *c, uint64_t *val)
{
	struct cbs sub;

	if (!cbs_get_exact(c, &sub, 5)) {
		return false;
	}
	*val = cbs_len(&sub);
	return true;
}

struct reader_case {
	const char	*name;
	reader_fn	 read;
	uint8_t		 in[16];
	size_t		 len;	/* bytes the reader consumes */
	uint64_t	 want;
};

static const struct reader_case reader_cases[] = {
	{ "u8", rd_u8, { 0x9a }, 1, 0x9a },
	{ "u16le", rd_u16le, { 0x01, 0x02 }, 2, 0x0201 },
	{ "u16le high", rd_u16le, { 0xff, 0x80 }, 2, 0x80ff },
	{ "u32le", rd_u32le, { 0x01, 0x02, 0x03, 0x04 }, 4, 0x04030201 },
	{ "u32le high", rd_u32le, { 0x00, 0x00, 0x00, 0x80 }, 4,
	    0x80000000u },
	{ "u64le", rd_u64le, { 1, 2, 3, 4, 5, 6, 7, 8 }, 8,
	    0x0807060504030201ull },
	{ "u64le high", rd_u64le, { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff }, 8, UINT64_MAX },
	{ "u16be", rd_u16be, { 0x01, 0x02 }, 2, 0x0102 },
	{ "u16be high", rd_u16be, { 0x80, 0xff }, 2, 0x80ff },
	{ "u24be", rd_u24be, { 0x01, 0x02, 0x03 }, 3, 0x010203 },
	{ "u24be high", rd_u24be, { 0xff, 0x00, 0x01 }, 3, 0xff0001 },
	{ "u32be", rd_u32be, { 0x01, 0x02, 0x03, 0x04 }, 4, 0x01020304 },
	{ "u32be high", rd_u32be, { 0x80, 0x00, 0x00, 0x01 }, 4,
	    0x80000001u },
	{ "u64be", rd_u64be, { 1, 2, 3, 4, 5, 6, 7, 8 }, 8,
	    0x0102030405060708ull },
	{ "u64be high", rd_u64be, { 0x80, 0, 0, 0, 0, 0, 0, 0xfe }, 8,
	    0x80000000000000feull },
	{ "skip", rd_skip5, { 1, 2, 3, 4, 5 }, 5, 5 },
	{ "get_bytes", rd_bytes5, { 1, 2, 3, 4, 5 }, 5, 5 },
	{ "copy", rd_copy5, { 1, 2, 3, 4, 5 }, 5, 0x0102030405ull },
	{ "u8_prefixed", rd_u8_prefixed, { 3, 0xa, 0xb, 0xc }, 4, 3 },
	{ "u8_prefixed empty", rd_u8_prefixed, { 0 }, 1, 0 },
	{ "u16be_prefixed", rd_u16be_prefixed, { 0, 3, 0xa, 0xb, 0xc }, 5,
	    3 },
	{ "u16le_prefixed", rd_u16le_prefixed, { 3, 0, 0xa, 0xb, 0xc }, 5,
	    3 },
	{ "u32le_prefixed", rd_u32le_prefixed, { 2, 0, 0, 0, 0xa, 0xb }, 6,
	    2 },
	{ "exact", rd_exact5, { 1, 2, 3, 4, 5 }, 5, 5 },
};

/* The reader succeeds on its input, takes all of it and reads |want|. */
static void
test_readers_ok(void **state)
{
	const struct reader_case *rc;
	struct cbs c;
	uint64_t v;
	uint8_t *buf;
	size_t i;

	for (i = 0; i < ARRAY_LEN(reader_cases); i++) {
		rc = &reader_cases[i];
		buf = dup_exact(rc->in, rc->len);
		cbs_init(&c, buf, rc->len);
		v = ~rc->want;
		if (!rc->read(&c, &v)) {
			fail_msg("%s: failed on valid input", rc->name);
		}
		if (v != rc->want) {
			fail_msg("%s: read %llx, want %llx", rc->name,
			    (unsigned long long)v,
			    (unsigned long long)rc->want);
		}
		assert_true(cbs_is_empty(&c));
		assert_int_equal(cbs_offset(&c), rc->len);
		assert_ptr_equal(cbs_data(&c), buf + rc->len);
		free(buf);
	}
}

/* Every proper prefix of each reader's input fails and changes nothing. */
static void
test_readers_truncated(void **state)
{
	const struct reader_case *rc;
	struct cbs c, saved;
	uint64_t v;
	uint8_t *buf;
	size_t i, k;

	for (i = 0; i < ARRAY_LEN(reader_cases); i++) {
		rc = &reader_cases[i];
		for (k = 0; k < rc->len; k++) {
			buf = dup_exact(rc->in, k);
			cbs_init(&c, buf, k);
			saved = c;
			v = 0x5555;
			if (rc->read(&c, &v)) {
				fail_msg("%s: accepted %zu of %zu bytes",
				    rc->name, k, rc->len);
			}
			assert_cbs_same(&c, &saved);
			free(buf);
		}
	}
}

/*
 * With one byte more than needed, every reader except get_exact succeeds
 * and leaves exactly that byte; get_exact fails without moving.
 */
static void
test_readers_extra_byte(void **state)
{
	const struct reader_case *rc;
	struct cbs c, saved;
	uint8_t buf[17];
	uint64_t v;
	size_t i;

	for (i = 0; i < ARRAY_LEN(reader_cases); i++) {
		rc = &reader_cases[i];
		memcpy(buf, rc->in, rc->len);
		buf[rc->len] = 0xee;
		cbs_init(&c, buf, rc->len + 1);
		saved = c;
		if (rc->read == rd_exact5) {
			assert_false(rc->read(&c, &v));
			assert_cbs_same(&c, &saved);
			continue;
		}
		assert_true(rc->read(&c, &v));
		assert_int_equal(v, rc->want);
		assert_int_equal(cbs_len(&c), 1);
		assert_int_equal(cbs_data(&c)[0], 0xee);
		assert_int_equal(cbs_offset(&c), rc->len);
	}
}

static void
test_init_and_offset(void **state)
{
	static const uint8_t buf[6] = { 1, 2, 3, 4, 5, 6 };
	struct cbs c;
	uint16_t v;

	cbs_init(&c, buf, sizeof(buf));
	assert_ptr_equal(cbs_data(&c), buf);
	assert_int_equal(cbs_len(&c), 6);
	assert_int_equal(cbs_offset(&c), 0);
	assert_false(cbs_is_empty(&c));
	assert_true(cbs_get_u16be(&c, &v));
	assert_int_equal(cbs_offset(&c), 2);
	assert_true(cbs_skip(&c, 3));
	assert_int_equal(cbs_offset(&c), 5);
	assert_int_equal(cbs_len(&c), 1);
	assert_false(cbs_get_u16be(&c, &v));
	assert_int_equal(cbs_offset(&c), 5);
	assert_true(cbs_skip(&c, 1));
	assert_true(cbs_is_empty(&c));
	assert_int_equal(cbs_offset(&c), 6);

	/* An empty view may hold NULL; zero-length reads still work. */
	cbs_init(&c, NULL, 0);
	assert_true(cbs_is_empty(&c));
	assert_true(cbs_skip(&c, 0));
	assert_true(cbs_copy(&c, NULL, 0));
	assert_false(cbs_skip(&c, 1));
	assert_null(cbs_data(&c));
	assert_int_equal(cbs_offset(&c), 0);
}

/* Sub-views start their own offset count and see only their bytes. */
static void
test_subview_offsets(void **state)
{
	static const uint8_t buf[10] = {
		0xa0, 0xa1, 0x00, 0x03, 0x11, 0x22, 0x33, 0xb0, 0xb1, 0xb2,
	};
	struct cbs c, sub, sub2;
	uint8_t b;
	uint16_t v;

	cbs_init(&c, buf, sizeof(buf));
	assert_true(cbs_skip(&c, 2));
	assert_true(cbs_get_u16be_prefixed(&c, &sub));
	assert_int_equal(cbs_offset(&c), 7);
	assert_ptr_equal(cbs_data(&sub), buf + 4);
	assert_int_equal(cbs_len(&sub), 3);
	assert_int_equal(sub.initial_len, 3);
	assert_int_equal(cbs_offset(&sub), 0);

	assert_true(cbs_get_u8(&sub, &b));
	assert_int_equal(b, 0x11);
	assert_int_equal(cbs_offset(&sub), 1);
	/* The sub-view ends at its own length, not the parent's. */
	assert_true(cbs_get_u16be(&sub, &v));
	assert_int_equal(v, 0x2233);
	assert_false(cbs_get_u8(&sub, &b));
	assert_int_equal(cbs_offset(&sub), 3);
	assert_true(cbs_is_empty(&sub));
	/* Reading the sub-view does not move the parent. */
	assert_int_equal(cbs_offset(&c), 7);

	assert_true(cbs_get_bytes(&c, &sub2, 2));
	assert_int_equal(sub2.initial_len, 2);
	assert_int_equal(cbs_offset(&sub2), 0);
	assert_ptr_equal(cbs_data(&sub2), buf + 7);
	assert_int_equal(cbs_offset(&c), 9);
	assert_true(cbs_skip(&sub2, 1));
	assert_int_equal(cbs_offset(&sub2), 1);
	assert_int_equal(cbs_offset(&c), 9);
}

/* cbs_get_bytes may write the sub-view over its own source. */
static void
test_get_bytes_aliased(void **state)
{
	static const uint8_t buf[4] = { 1, 2, 3, 4 };
	struct cbs c;

	cbs_init(&c, buf, sizeof(buf));
	assert_true(cbs_skip(&c, 1));
	assert_true(cbs_get_bytes(&c, &c, 2));
	assert_ptr_equal(cbs_data(&c), buf + 1);
	assert_int_equal(cbs_len(&c), 2);
	assert_int_equal(cbs_offset(&c), 0);

	cbs_init(&c, buf, sizeof(buf));
	assert_false(cbs_get_bytes(&c, &c, 5));
	assert_ptr_equal(cbs_data(&c), buf);
	assert_int_equal(cbs_len(&c), 4);
}

static void
test_get_bytes_zero(void **state)
{
	static const uint8_t buf[2] = { 1, 2 };
	struct cbs c, sub;

	cbs_init(&c, buf, sizeof(buf));
	assert_true(cbs_get_bytes(&c, &sub, 0));
	assert_int_equal(cbs_len(&sub), 0);
	assert_int_equal(cbs_offset(&c), 0);
	assert_true(cbs_get_bytes(&c, &sub, 2));
	assert_false(cbs_get_bytes(&c, &sub, 1));
	assert_int_equal(cbs_len(&sub), 2);
}

/* A failed copy writes nothing into the destination. */
static void
test_copy_fail_untouched(void **state)
{
	static const uint8_t buf[3] = { 1, 2, 3 };
	uint8_t out[4] = { 0xee, 0xee, 0xee, 0xee };
	struct cbs c, saved;
	size_t i;

	cbs_init(&c, buf, sizeof(buf));
	saved = c;
	assert_false(cbs_copy(&c, out, sizeof(out)));
	assert_cbs_same(&c, &saved);
	for (i = 0; i < sizeof(out); i++) {
		assert_int_equal(out[i], 0xee);
	}
	assert_true(cbs_copy(&c, out, 3));
	assert_memory_equal(out, buf, 3);
	assert_int_equal(out[3], 0xee);
}

struct prefixed_case {
	const char	*name;
	reader_fn	 read;
	uint8_t		 in[8];
	size_t		 len;
};

/* Length prefixes that claim more than is there. */
static const struct prefixed_case prefixed_bad[] = {
	{ "u8 over", rd_u8_prefixed, { 4, 1, 2, 3 }, 4 },
	{ "u8 max", rd_u8_prefixed, { 0xff, 1, 2 }, 3 },
	{ "u16be over", rd_u16be_prefixed, { 0, 3, 1, 2 }, 4 },
	{ "u16be byte order", rd_u16be_prefixed, { 2, 0, 1, 2 }, 4 },
	{ "u16be max", rd_u16be_prefixed, { 0xff, 0xff, 1 }, 3 },
	{ "u16le over", rd_u16le_prefixed, { 3, 0, 1, 2 }, 4 },
	{ "u16le byte order", rd_u16le_prefixed, { 0, 2, 1, 2 }, 4 },
	{ "u32le over", rd_u32le_prefixed, { 3, 0, 0, 0, 1, 2 }, 6 },
	{ "u32le byte order", rd_u32le_prefixed, { 0, 0, 0, 2, 1, 2 }, 6 },
	{ "u32le max", rd_u32le_prefixed, { 0xff, 0xff, 0xff, 0xff, 1 }, 5 },
};

static void
test_prefixed_overlong(void **state)
{
	const struct prefixed_case *pc;
	struct cbs c, saved;
	uint64_t v;
	uint8_t *buf;
	size_t i;

	for (i = 0; i < ARRAY_LEN(prefixed_bad); i++) {
		pc = &prefixed_bad[i];
		buf = dup_exact(pc->in, pc->len);
		cbs_init(&c, buf, pc->len);
		saved = c;
		if (pc->read(&c, &v)) {
			fail_msg("%s: accepted", pc->name);
		}
		assert_cbs_same(&c, &saved);
		free(buf);
	}
}

static void
test_prefixed_contents(void **state)
{
	static const uint8_t buf[] = {
		0x02, 0xaa, 0xbb,		/* u8 */
		0x00, 0x01, 0xcc,		/* u16be */
		0x01, 0x00, 0xdd,		/* u16le */
		0x01, 0x00, 0x00, 0x00, 0xee,	/* u32le */
		0x00,				/* u8, empty */
	};
	struct cbs c, sub;
	uint8_t b;

	cbs_init(&c, buf, sizeof(buf));
	assert_true(cbs_get_u8_prefixed(&c, &sub));
	assert_true(cbs_mem_equal(&sub, buf + 1, 2));
	assert_true(cbs_get_u16be_prefixed(&c, &sub));
	assert_true(cbs_get_u8(&sub, &b));
	assert_int_equal(b, 0xcc);
	assert_true(cbs_get_u16le_prefixed(&c, &sub));
	assert_true(cbs_get_u8(&sub, &b));
	assert_int_equal(b, 0xdd);
	assert_true(cbs_get_u32le_prefixed(&c, &sub));
	assert_int_equal(cbs_offset(&c), 14);
	assert_true(cbs_get_u8(&sub, &b));
	assert_int_equal(b, 0xee);
	assert_true(cbs_get_u8_prefixed(&c, &sub));
	assert_true(cbs_is_empty(&sub));
	assert_true(cbs_is_empty(&c));
}

static void
test_get_exact(void **state)
{
	static const uint8_t buf[4] = { 1, 2, 3, 4 };
	struct cbs c, saved, sub;

	cbs_init(&c, buf, sizeof(buf));
	assert_true(cbs_skip(&c, 1));
	saved = c;
	assert_false(cbs_get_exact(&c, &sub, 2));
	assert_cbs_same(&c, &saved);
	assert_false(cbs_get_exact(&c, &sub, 4));
	assert_cbs_same(&c, &saved);
	assert_false(cbs_get_exact(&c, &sub, SIZE_MAX));
	assert_cbs_same(&c, &saved);
	assert_true(cbs_get_exact(&c, &sub, 3));
	assert_true(cbs_is_empty(&c));
	assert_int_equal(cbs_offset(&c), 4);
	assert_ptr_equal(cbs_data(&sub), buf + 1);
	assert_int_equal(cbs_len(&sub), 3);
	assert_int_equal(cbs_offset(&sub), 0);

	/* Exactly nothing left is fine for n = 0. */
	assert_true(cbs_get_exact(&c, &sub, 0));
	assert_int_equal(cbs_len(&sub), 0);
}

/* Huge lengths must not wrap around in the bounds checks. */
static void
test_huge_lengths(void **state)
{
	static const uint8_t buf[4] = { 1, 2, 3, 4 };
	struct cbs c, saved, sub;
	uint8_t out[4];

	cbs_init(&c, buf, sizeof(buf));
	assert_true(cbs_skip(&c, 1));
	saved = c;
	assert_false(cbs_skip(&c, SIZE_MAX));
	assert_false(cbs_get_bytes(&c, &sub, SIZE_MAX));
	assert_false(cbs_copy(&c, out, SIZE_MAX));
	assert_false(cbs_skip(&c, SIZE_MAX - 1));
	assert_false(cbs_skip(&c, 4));
	assert_cbs_same(&c, &saved);
}

static void
test_is_all_zero(void **state)
{
	uint8_t buf[8];
	struct cbs c;
	size_t i;

	cbs_init(&c, NULL, 0);
	assert_true(cbs_is_all_zero(&c));
	memset(buf, 0, sizeof(buf));
	cbs_init(&c, buf, sizeof(buf));
	assert_true(cbs_is_all_zero(&c));
	for (i = 0; i < sizeof(buf); i++) {
		buf[i] = 0x01;
		assert_false(cbs_is_all_zero(&c));
		buf[i] = 0x80;
		assert_false(cbs_is_all_zero(&c));
		buf[i] = 0;
	}
	/* Only the remaining bytes count. */
	buf[0] = 0xff;
	assert_false(cbs_is_all_zero(&c));
	assert_true(cbs_skip(&c, 1));
	assert_true(cbs_is_all_zero(&c));
}

static void
test_mem_equal(void **state)
{
	static const uint8_t want[5] = { 1, 2, 3, 4, 5 };
	uint8_t buf[5];
	struct cbs c;
	size_t i;
	unsigned bit;

	memcpy(buf, want, sizeof(buf));
	cbs_init(&c, buf, sizeof(buf));
	assert_true(cbs_mem_equal(&c, want, sizeof(want)));
	/* Lengths differ either way. */
	assert_false(cbs_mem_equal(&c, want, 4));
	cbs_init(&c, buf, 4);
	assert_false(cbs_mem_equal(&c, want, 5));
	assert_true(cbs_mem_equal(&c, want, 4));
	/* Every bit of every byte matters. */
	cbs_init(&c, buf, sizeof(buf));
	for (i = 0; i < sizeof(buf); i++) {
		for (bit = 0; bit < 8; bit++) {
			buf[i] ^= (uint8_t)(1u << bit);
			assert_false(cbs_mem_equal(&c, want, sizeof(want)));
			buf[i] ^= (uint8_t)(1u << bit);
		}
	}
	assert_true(cbs_mem_equal(&c, want, sizeof(want)));
	/* The comparison is over the remaining bytes only. */
	assert_true(cbs_skip(&c, 2));
	assert_true(cbs_mem_equal(&c, want + 2, 3));
	assert_false(cbs_mem_equal(&c, want, 3));
	/* Empty equals empty. */
	cbs_init(&c, NULL, 0);
	assert_true(cbs_mem_equal(&c, NULL, 0));
	assert_false(cbs_mem_equal(&c, want, 1));
}

/* A fixed-layout record read field by field, as the platform parsers do. */
static void
test_chained_record(void **state)
{
	static const uint8_t rec[] = {
		0x02, 0x00, 0x00, 0x00,			/* version, le */
		0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,	/* policy */
		0xca, 0xfe,				/* id, be */
		0x00, 0x00,				/* reserved */
		0x00, 0x02, 0x5a, 0xa5,			/* TPM2B */
	};
	struct cbs c, reserved, blob;
	uint32_t version;
	uint64_t policy;
	uint16_t id;

	cbs_init(&c, rec, sizeof(rec));
	if (!cbs_get_u32le(&c, &version) ||
	    !cbs_get_u64le(&c, &policy) ||
	    !cbs_get_u16be(&c, &id) ||
	    !cbs_get_bytes(&c, &reserved, 2) ||
	    !cbs_get_u16be_prefixed(&c, &blob)) {
		fail_msg("record: short read");
		return;
	}
	assert_true(cbs_is_empty(&c));
	assert_int_equal(version, 2);
	assert_int_equal(policy, 0x0807060504030201ull);
	assert_int_equal(id, 0xcafe);
	assert_true(cbs_is_all_zero(&reserved));
	assert_int_equal(cbs_len(&blob), 2);
	assert_int_equal(cbs_data(&blob) - rec, 18);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_readers_ok),
		cmocka_unit_test(test_readers_truncated),
		cmocka_unit_test(test_readers_extra_byte),
		cmocka_unit_test(test_init_and_offset),
		cmocka_unit_test(test_subview_offsets),
		cmocka_unit_test(test_get_bytes_aliased),
		cmocka_unit_test(test_get_bytes_zero),
		cmocka_unit_test(test_copy_fail_untouched),
		cmocka_unit_test(test_prefixed_overlong),
		cmocka_unit_test(test_prefixed_contents),
		cmocka_unit_test(test_get_exact),
		cmocka_unit_test(test_huge_lengths),
		cmocka_unit_test(test_is_all_zero),
		cmocka_unit_test(test_mem_equal),
		cmocka_unit_test(test_chained_record),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
