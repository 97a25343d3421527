/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for lib/platform/ccel.c: the real CC event log of sample T-3
 * (tdx/gtg_ccel, read in place from $VOUCH_TESTDATA) replays to the RTMRs
 * of its quote; hand-built logs cover the end-of-log rule and every error.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "platform/ccel.h"
#include "snp_testdata.h"

#define CCEL_LOG	"tdx/gtg_ccel/ccel_data.dat"
#define CCEL_QUOTE	"tdx/gtg_ccel/cos-113-tdx-quote.dat"
#define RTMR_OFF	376	/* 48-byte header + TD10 body offset 328 */

struct buf {
	uint8_t	p[4096];
	size_t	n;
};

static void
put(struct buf *b, const void *p, size_t n)
{
	assert_true(n <= sizeof(b->p) - b->n);
	memcpy(b->p + b->n, p, n);
	b->n += n;
}

static void
u16(struct buf *b, uint16_t v)
{
	uint8_t x[2] = { (uint8_t)v, (uint8_t)(v >> 8) };

	put(b, x, 2);
}

static void
u32(struct buf *b, uint32_t v)
{
	uint8_t x[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
	    (uint8_t)(v >> 24) };

	put(b, x, 4);
}

/* TCG_PCR_EVENT with a TCG_EfiSpecIdEvent naming SHA-256 and |alg2|. */
static void
spec_id(struct buf *b, uint16_t alg2, uint16_t size2)
{
	static const uint8_t zero[20];

	u32(b, 0);
	u32(b, 3);			/* EV_NO_ACTION */
	put(b, zero, 20);
	u32(b, 16 + 4 + 4 + 4 + 2 * 4 + 1);
	put(b, "Spec ID Event03", 16);
	u32(b, 0);			/* platformClass */
	put(b, "\x00\x02\x00\x02", 4);	/* minor, major, errata, uintnSize */
	u32(b, 2);
	u16(b, 0x000b);
	u16(b, 32);
	u16(b, alg2);
	u16(b, size2);
	put(b, "", 1);			/* vendorInfoSize 0 */
}

/* TCG_PCR_EVENT2 with SHA-256 and SHA-384 digests filled with |fill|. */
static void
event2(struct buf *b, uint32_t idx, uint32_t type, uint8_t fill,
    const char *data)
{
	uint8_t d[48];

	memset(d, fill, sizeof(d));
	u32(b, idx);
	u32(b, type);
	u32(b, 2);
	u16(b, 0x000b);
	put(b, d, 32);
	u16(b, 0x000c);
	put(b, d, 48);
	u32(b, (uint32_t)strlen(data));
	put(b, data, strlen(data));
}

static void
good_log(struct buf *b)
{
	b->n = 0;
	spec_id(b, 0x000c, 48);
	event2(b, 1, 0x80000008u, 0x11, "fw blob");
	event2(b, 0, 0x80000008u, 0x22, "mrtd: not replayed");
	event2(b, 2, 0x0000000du, 0x33, "grub");
	event2(b, 4, 3, 0x44, "no action: not replayed");
	event2(b, 3, 0x80000003u, 0x55, "");
}

static void
sha384_extend(uint8_t mr[48], uint8_t fill)
{
	uint8_t in[96], out[48];
	unsigned int n = 0;

	memcpy(in, mr, 48);
	memset(in + 48, fill, 48);
	assert_int_equal(EVP_Digest(in, sizeof(in), out, &n, EVP_sha384(),
	    NULL), 1);
	memcpy(mr, out, 48);
}

static enum vouch_err
replay(const uint8_t *p, size_t n, uint8_t rtmr[4][48], size_t *ev)
{
	struct vouch_ctx *ctx = vouch_ctx_new();
	enum vouch_err rv;

	assert_non_null(ctx);
	rv = ccel_replay(ctx, p, n, rtmr, ev, NULL, NULL);
	if (rv != VOUCH_OK) {
		assert_non_null(vouch_error(ctx));
		assert_true(strncmp(vouch_error(ctx), "ccel: ", 6) == 0);
	}
	vouch_ctx_free(ctx);
	return rv;
}

static int
count_cb(void *arg, const struct ccel_event *e)
{
	size_t *n = arg;

	assert_true(e->mr_index <= 4);
	assert_non_null(ccel_event_type_name(e->event_type));
	(*n)++;
	return 0;
}

static int
stop_cb(void *arg, const struct ccel_event *e)
{
	(void)arg;
	(void)e;
	return 1;
}

/* Sample T-3: the log replays to RTMR0..3 of the quote (version 4). */
static void
test_real_log_matches_quote(void **state)
{
	struct vouch_ctx *ctx;
	struct blob log, q;
	uint8_t rtmr[4][48];
	size_t n = 0, seen = 0, i;

	(void)state;
	NEED_TESTDATA();
	log = td(CCEL_LOG);
	q = td(CCEL_QUOTE);
	assert_true(q.n >= RTMR_OFF + 4 * 48);
	assert_int_equal(q.p[0] | q.p[1] << 8, 4);
	ctx = vouch_ctx_new();
	assert_non_null(ctx);
	assert_int_equal(ccel_replay(ctx, log.p, log.n, rtmr, &n, count_cb,
	    &seen), VOUCH_OK);
	assert_true(n > 0);
	assert_int_equal(n, seen);
	for (i = 0; i < 4; i++) {
		assert_memory_equal(rtmr[i], q.p + RTMR_OFF + 48 * i, 48);
	}
	/* A non-zero callback return stops the replay. */
	assert_int_equal(ccel_replay(ctx, log.p, log.n, rtmr, &n, stop_cb,
	    NULL), VOUCH_ERR_INTERNAL);
	vouch_ctx_free(ctx);
	free(log.p);
	free(q.p);
}

/* Flipping a byte of the first event's SHA-384 digest changes an RTMR. */
static void
test_real_log_flipped_digest(void **state)
{
	struct blob log, q;
	uint8_t rtmr[4][48];
	size_t n, off, i;
	bool same = true;
	uint32_t spec_len;

	(void)state;
	NEED_TESTDATA();
	log = td(CCEL_LOG);
	q = td(CCEL_QUOTE);
	/* Skip the TCG_PCR_EVENT (32 bytes + data) and the EVENT2 header. */
	spec_len = (uint32_t)log.p[28] | (uint32_t)log.p[29] << 8 |
	    (uint32_t)log.p[30] << 16 | (uint32_t)log.p[31] << 24;
	off = 32 + spec_len + 12;
	/* Walk to the SHA-384 digest of the first EVENT2. */
	while (!(log.p[off] == 0x0c && log.p[off + 1] == 0x00)) {
		off += 2 + 32;	/* the sample logs SHA-384 only or after SHA-256 */
		assert_true(off < 200);
	}
	log.p[off + 2 + 5] ^= 0x01;
	assert_int_equal(replay(log.p, log.n, rtmr, &n), VOUCH_OK);
	for (i = 0; i < 4; i++) {
		same = same && memcmp(rtmr[i], q.p + RTMR_OFF + 48 * i,
		    48) == 0;
	}
	assert_false(same);
	free(log.p);
	free(q.p);
}

/* Every truncation of the used part of the real log: no crash. */
static void
test_real_log_truncations(void **state)
{
	struct blob log;
	uint8_t rtmr[4][48], *cp;
	size_t n, cut, used = 0;

	(void)state;
	NEED_TESTDATA();
	log = td(CCEL_LOG);
	assert_int_equal(replay(log.p, log.n, rtmr, &n), VOUCH_OK);
	/* The used length: the first all-0xFF/0x00 header after the log. */
	for (used = log.n; used > 8 && (log.p[used - 1] == 0xff ||
	    log.p[used - 1] == 0); used--) {
	}
	for (cut = 0; cut < used + 8 && cut <= log.n; cut += 7) {
		cp = malloc(cut + 1);
		assert_non_null(cp);
		memcpy(cp, log.p, cut);
		(void)replay(cp, cut, rtmr, &n);
		free(cp);
	}
	free(log.p);
}

static void
test_synth_replay(void **state)
{
	struct buf b;
	uint8_t rtmr[4][48], want[4][48];
	size_t n;

	(void)state;
	good_log(&b);
	memset(want, 0, sizeof(want));
	sha384_extend(want[0], 0x11);
	sha384_extend(want[1], 0x33);
	sha384_extend(want[2], 0x55);
	assert_int_equal(replay(b.p, b.n, rtmr, &n), VOUCH_OK);
	assert_int_equal(n, 5);
	assert_memory_equal(rtmr, want, sizeof(want));
}

/*
 * End rule: the log ends at the end of the buffer, or at the first entry
 * whose first 8 bytes (index, type) are all 0xFF or all 0x00; fewer than
 * 8 bytes left also ends it.
 */
static void
test_end_rule(void **state)
{
	struct buf b;
	uint8_t rtmr[4][48], base[4][48];
	size_t n, n0;

	(void)state;
	good_log(&b);
	assert_int_equal(replay(b.p, b.n, base, &n0), VOUCH_OK);
	memset(b.p + b.n, 0xff, 64);
	assert_int_equal(replay(b.p, b.n + 64, rtmr, &n), VOUCH_OK);
	assert_int_equal(n, n0);
	assert_memory_equal(rtmr, base, sizeof(base));
	memset(b.p + b.n, 0x00, 64);
	assert_int_equal(replay(b.p, b.n + 64, rtmr, &n), VOUCH_OK);
	assert_int_equal(n, n0);
	memset(b.p + b.n, 0xff, 7);
	assert_int_equal(replay(b.p, b.n + 7, rtmr, &n), VOUCH_OK);
	assert_int_equal(n, n0);
	/* Mixed 0xFF/0x00 is not an end marker: index 0xff is an error. */
	memset(b.p + b.n, 0xff, 64);
	b.p[b.n + 7] = 0;
	assert_int_equal(replay(b.p, b.n + 64, rtmr, &n),
	    VOUCH_ERR_BAD_FIELD);
	/* Events after the marker are never read. */
	memset(b.p + b.n, 0x00, 8);
	b.n += 8;
	event2(&b, 1, 1, 0x66, "after the end");
	assert_int_equal(replay(b.p, b.n, rtmr, &n), VOUCH_OK);
	assert_int_equal(n, n0);
}

static void
test_errors(void **state)
{
	struct buf b = { { 0 }, 0 };
	uint8_t rtmr[4][48];
	uint8_t *big;
	size_t n, k;

	(void)state;
	/* Empty. */
	b.n = 0;
	assert_int_equal(replay(b.p, b.n, rtmr, &n), VOUCH_ERR_TRUNCATED);
	/* Not a Spec ID event. */
	good_log(&b);
	b.p[32] = 'X';
	assert_int_equal(replay(b.p, b.n, rtmr, &n), VOUCH_ERR_BAD_MAGIC);
	good_log(&b);
	b.p[4] = 4;
	assert_int_equal(replay(b.p, b.n, rtmr, &n), VOUCH_ERR_BAD_MAGIC);
	/* No SHA-384 in the algorithm list. */
	b.n = 0;
	spec_id(&b, 0x0004, 20);
	assert_int_equal(replay(b.p, b.n, rtmr, &n),
	    VOUCH_ERR_UNSUPPORTED_VERSION);
	/* SHA-384 declared with a wrong size. */
	b.n = 0;
	spec_id(&b, 0x000c, 32);
	assert_int_equal(replay(b.p, b.n, rtmr, &n),
	    VOUCH_ERR_UNSUPPORTED_VERSION);
	/* Index 5. */
	good_log(&b);
	event2(&b, 5, 1, 0, "");
	assert_int_equal(replay(b.p, b.n, rtmr, &n), VOUCH_ERR_BAD_FIELD);
	/* Digest count 0 and 3 (> 2 algorithms). */
	for (k = 0; k < 2; k++) {
		good_log(&b);
		u32(&b, 1);
		u32(&b, 1);
		u32(&b, k == 0 ? 0 : 3);
		put(&b, "\x0b\x00", 2);
		memset(b.p + b.n, 1, 40);
		b.n += 40;
		assert_int_equal(replay(b.p, b.n, rtmr, &n),
		    VOUCH_ERR_UNSUPPORTED_VERSION);
	}
	/* Unknown algorithm (SHA-512 not in the Spec ID list). */
	good_log(&b);
	u32(&b, 1);
	u32(&b, 1);
	u32(&b, 1);
	u16(&b, 0x000d);
	memset(b.p + b.n, 1, 80);
	b.n += 80;
	assert_int_equal(replay(b.p, b.n, rtmr, &n),
	    VOUCH_ERR_UNSUPPORTED_VERSION);
	/* Only SHA-256, no SHA-384 digest in the event. */
	good_log(&b);
	u32(&b, 1);
	u32(&b, 1);
	u32(&b, 1);
	u16(&b, 0x000b);
	memset(b.p + b.n, 1, 32);
	b.n += 32;
	u32(&b, 0);
	assert_int_equal(replay(b.p, b.n, rtmr, &n),
	    VOUCH_ERR_UNSUPPORTED_VERSION);
	/* Event size above the bytes left. */
	good_log(&b);
	event2(&b, 1, 1, 0, "abcd");
	b.n -= 1;
	assert_int_equal(replay(b.p, b.n, rtmr, &n), VOUCH_ERR_TRUNCATED);
	/* Event size above CCEL_MAX_EVENT_DATA (the bytes are there). */
	good_log(&b);
	u32(&b, 1);
	u32(&b, 1);
	u32(&b, 1);
	u16(&b, 0x000c);
	memset(b.p + b.n, 1, 48);
	b.n += 48;
	u32(&b, CCEL_MAX_EVENT_DATA + 1);
	big = calloc(1, b.n + CCEL_MAX_EVENT_DATA + 1);
	assert_non_null(big);
	memcpy(big, b.p, b.n);
	assert_int_equal(replay(big, b.n + CCEL_MAX_EVENT_DATA + 1, rtmr, &n),
	    VOUCH_ERR_TOO_LARGE);
	free(big);
}

/* Every prefix of a hand-built log: OK only at event boundaries. */
static void
test_synth_truncations(void **state)
{
	struct buf b;
	uint8_t rtmr[4][48];
	size_t n, cut;
	enum vouch_err rv;

	(void)state;
	good_log(&b);
	for (cut = 0; cut < b.n; cut++) {
		rv = replay(b.p, cut, rtmr, &n);
		assert_true(rv == VOUCH_OK || rv == VOUCH_ERR_TRUNCATED);
	}
}

static void
test_event_names(void **state)
{
	(void)state;
	assert_string_equal(ccel_event_type_name(0x80000003u),
	    "EV_EFI_BOOT_SERVICES_APPLICATION");
	assert_string_equal(ccel_event_type_name(3), "EV_NO_ACTION");
	assert_string_equal(ccel_event_type_name(0x7fffffffu), "EV_UNKNOWN");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_log_matches_quote),
		cmocka_unit_test(test_real_log_flipped_digest),
		cmocka_unit_test(test_real_log_truncations),
		cmocka_unit_test(test_synth_replay),
		cmocka_unit_test(test_end_rule),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_synth_truncations),
		cmocka_unit_test(test_event_names),
	};

	snp_testdata_find();
	if (getenv("VOUCH_CCEL_CORPUS") != NULL) {
		struct buf b;
		FILE *f;

		good_log(&b);
		f = fopen(getenv("VOUCH_CCEL_CORPUS"), "wb");
		if (f != NULL) {
			(void)fwrite(b.p, 1, b.n, f);
			(void)fclose(f);
		}
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
