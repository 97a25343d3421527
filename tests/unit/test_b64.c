/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for lib/bs/b64.c: RFC 4648 §10 vectors in both directions,
 * both base64 alphabets, every input byte value against a plain reference,
 * non-canonical padding bits, bad padding, whitespace, output capacity,
 * and every truncation of valid encodings.  Encoded inputs are copied to
 * heap buffers of exactly their length (no NUL) so that a read past the
 * end is caught by ASan and valgrind.
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

/* |n| bytes of |s| in a heap buffer of exactly that size, no NUL. */
static char *
dup_exact(const char *s, size_t n)
{
	char *q;

	q = malloc(n > 0 ? n : 1);
	assert_non_null(q);
	if (n > 0) {
		memcpy(q, s, n);
	}
	return q;
}

static bool
hex_dec(const char *s, size_t slen, uint8_t *out, size_t cap,
    size_t *out_len)
{
	char *p;
	bool ok;

	p = dup_exact(s, slen);
	ok = vouch_hex_decode(p, slen, out, cap, out_len);
	free(p);
	return ok;
}

static bool
b64_dec(const char *s, size_t slen, bool url, uint8_t *out, size_t cap,
    size_t *out_len)
{
	char *p;
	bool ok;

	p = dup_exact(s, slen);
	ok = vouch_b64_decode(p, slen, url, out, cap, out_len);
	free(p);
	return ok;
}

/* RFC 4648 §10. */
struct vector {
	const char	*raw;
	const char	*b64;
	const char	*b64url;	/* the same without padding */
	const char	*hex;		/* RFC 4648 gives upper case */
};

static const struct vector vectors[] = {
	{ "", "", "", "" },
	{ "f", "Zg==", "Zg", "66" },
	{ "fo", "Zm8=", "Zm8", "666F" },
	{ "foo", "Zm9v", "Zm9v", "666F6F" },
	{ "foob", "Zm9vYg==", "Zm9vYg", "666F6F62" },
	{ "fooba", "Zm9vYmE=", "Zm9vYmE", "666F6F6261" },
	{ "foobar", "Zm9vYmFy", "Zm9vYmFy", "666F6F626172" },
};

/* Lower-case a hex vector for comparison with the encoder's output. */
static void
lower(const char *s, char *out, size_t cap)
{
	size_t i;

	for (i = 0; s[i] != '\0' && i + 1 < cap; i++) {
		out[i] = s[i] >= 'A' && s[i] <= 'F' ? (char)(s[i] - 'A' + 'a') :
		    s[i];
	}
	out[i] = '\0';
}

static void
test_hex_vectors(void **state)
{
	const struct vector *v;
	char enc[32], want[32];
	uint8_t dec[16];
	size_t i, n, rawlen, hexlen;

	for (i = 0; i < ARRAY_LEN(vectors); i++) {
		v = &vectors[i];
		rawlen = strlen(v->raw);
		hexlen = strlen(v->hex);
		lower(v->hex, want, sizeof(want));
		assert_int_equal(vouch_hex_encoded_len(rawlen), hexlen);
		assert_true(vouch_hex_encode((const uint8_t *)v->raw, rawlen,
		    enc, hexlen + 1));
		assert_string_equal(enc, want);

		n = 999;
		assert_true(hex_dec(v->hex, hexlen, dec, rawlen, &n));
		assert_int_equal(n, rawlen);
		assert_memory_equal(dec, v->raw, rawlen);
		n = 999;
		assert_true(hex_dec(want, hexlen, dec, rawlen, &n));
		assert_int_equal(n, rawlen);
		assert_memory_equal(dec, v->raw, rawlen);
	}
}

static void
test_hex_all_bytes(void **state)
{
	uint8_t raw[256], dec[256];
	char enc[513];
	size_t i, n;

	for (i = 0; i < sizeof(raw); i++) {
		raw[i] = (uint8_t)i;
	}
	assert_true(vouch_hex_encode(raw, sizeof(raw), enc, sizeof(enc)));
	assert_int_equal(strlen(enc), 512);
	assert_memory_equal(enc, "000102", 6);
	assert_memory_equal(enc + 506, "fdfeff", 6);
	assert_true(hex_dec(enc, 512, dec, sizeof(dec), &n));
	assert_int_equal(n, 256);
	assert_memory_equal(dec, raw, 256);
}

/* Reference digit value, written the obvious way. */
static int
ref_hex(int c)
{
	if (c >= '0' && c <= '9') {
		return c - '0';
	}
	if (c >= 'a' && c <= 'f') {
		return c - 'a' + 10;
	}
	if (c >= 'A' && c <= 'F') {
		return c - 'A' + 10;
	}
	return -1;
}

/* Every byte value, in the high and low nibble, against the reference. */
static void
test_hex_every_char(void **state)
{
	char s[2];
	uint8_t out;
	size_t n;
	int c, want;

	for (c = 0; c < 256; c++) {
		want = ref_hex(c);
		s[0] = (char)c;
		s[1] = '7';
		out = 0xee;
		if (hex_dec(s, 2, &out, 1, &n) != (want >= 0)) {
			fail_msg("hex: char 0x%02x high nibble", c);
		}
		if (want >= 0) {
			assert_int_equal(out, ((unsigned)want << 4) | 7);
		}
		s[0] = '7';
		s[1] = (char)c;
		if (hex_dec(s, 2, &out, 1, &n) != (want >= 0)) {
			fail_msg("hex: char 0x%02x low nibble", c);
		}
		if (want >= 0) {
			assert_int_equal(out, 0x70 | (unsigned)want);
		}
	}
}

struct bad_case {
	const char	*name;
	const char	*s;
	size_t		 len;
};

static const struct bad_case hex_bad[] = {
	{ "odd length 1", "a", 1 },
	{ "odd length 3", "abc", 3 },
	{ "g", "0g", 2 },
	{ "G", "G0", 2 },
	{ "space", "00 11", 5 },
	{ "leading space", " 0011", 5 },
	{ "trailing newline", "0011\n", 5 },
	{ "embedded NUL", "00\0" "0", 4 },
	{ "NUL pair", "00\0\0", 4 },
	{ "0x prefix", "0x11", 4 },
	{ "high bit", "\xc3\xa9", 2 },
	{ "bad last", "00112z", 6 },
	{ "colon", "00:1", 4 },
	{ "slash", "/0", 2 },
	{ "at", "@0", 2 },
	{ "backquote", "`0", 2 },
};

static void
test_hex_bad(void **state)
{
	uint8_t out[8];
	size_t i, n;

	for (i = 0; i < ARRAY_LEN(hex_bad); i++) {
		n = 999;
		if (hex_dec(hex_bad[i].s, hex_bad[i].len, out, sizeof(out),
		    &n)) {
			fail_msg("hex %s: accepted", hex_bad[i].name);
		}
		assert_int_equal(n, 999);
	}
}

/* A failed decode leaves no partial output behind. */
static void
test_hex_fail_wipes(void **state)
{
	uint8_t out[4];
	size_t n;

	memset(out, 0xaa, sizeof(out));
	assert_false(hex_dec("a1b2c3zz", 8, out, sizeof(out), &n));
	assert_int_equal(out[0], 0);
	assert_int_equal(out[1], 0);
	assert_int_equal(out[2], 0);
	assert_int_equal(out[3], 0);
}

static void
test_hex_capacity(void **state)
{
	static const uint8_t raw[3] = { 0x00, 0xff, 0x10 };
	char enc[8];
	uint8_t dec[3];
	size_t n;

	/* The encoder needs 2n + 1 bytes including the NUL. */
	memset(enc, 'x', sizeof(enc));
	assert_false(vouch_hex_encode(raw, 3, enc, 6));
	assert_false(vouch_hex_encode(raw, 3, enc, 1));
	assert_false(vouch_hex_encode(raw, 3, enc, 0));
	assert_int_equal(enc[0], 'x');
	assert_true(vouch_hex_encode(raw, 3, enc, 7));
	assert_string_equal(enc, "00ff10");
	assert_true(vouch_hex_encode(raw, 0, enc, 1));
	assert_string_equal(enc, "");
	assert_false(vouch_hex_encode(raw, 0, enc, 0));
	/* Huge n must not wrap the capacity check. */
	assert_false(vouch_hex_encode(raw, SIZE_MAX / 2 + 1, enc, 8));
	assert_false(vouch_hex_encode(raw, SIZE_MAX, enc, 8));

	/* The decoder needs slen / 2 bytes. */
	assert_false(hex_dec("00ff10", 6, dec, 2, &n));
	assert_true(hex_dec("00ff10", 6, dec, 3, &n));
	assert_true(hex_dec("", 0, dec, 0, &n));
	assert_int_equal(n, 0);
	assert_true(vouch_hex_decode(NULL, 0, NULL, 0, &n));
	assert_int_equal(n, 0);

	assert_int_equal(vouch_hex_encoded_len(0), 0);
	assert_int_equal(vouch_hex_encoded_len(32), 64);
	assert_int_equal(vouch_hex_encoded_len(SIZE_MAX / 2), SIZE_MAX - 1);
	assert_int_equal(vouch_hex_encoded_len(SIZE_MAX / 2 + 1), 0);
}

/* Even prefixes decode to the matching prefix; odd ones fail. */
static void
test_hex_truncated(void **state)
{
	static const char s[] = "00ff10a5C3";
	static const uint8_t raw[5] = { 0x00, 0xff, 0x10, 0xa5, 0xc3 };
	uint8_t dec[5];
	size_t k, n;

	for (k = 0; k < sizeof(s) - 1; k++) {
		n = 999;
		if (k % 2 != 0) {
			assert_false(hex_dec(s, k, dec, sizeof(dec), &n));
			assert_int_equal(n, 999);
			continue;
		}
		assert_true(hex_dec(s, k, dec, sizeof(dec), &n));
		assert_int_equal(n, k / 2);
		assert_memory_equal(dec, raw, n);
	}
}

static void
test_b64_vectors(void **state)
{
	const struct vector *v;
	char enc[32];
	uint8_t dec[16];
	size_t i, n, rawlen, elen, ulen;

	for (i = 0; i < ARRAY_LEN(vectors); i++) {
		v = &vectors[i];
		rawlen = strlen(v->raw);
		elen = strlen(v->b64);
		ulen = strlen(v->b64url);

		assert_int_equal(vouch_b64_encoded_len(rawlen, false), elen);
		assert_true(vouch_b64_encode((const uint8_t *)v->raw, rawlen,
		    false, enc, elen + 1));
		assert_string_equal(enc, v->b64);
		assert_int_equal(vouch_b64_encoded_len(rawlen, true), ulen);
		assert_true(vouch_b64_encode((const uint8_t *)v->raw, rawlen,
		    true, enc, ulen + 1));
		assert_string_equal(enc, v->b64url);

		assert_true(vouch_b64_decoded_max(elen) >= rawlen);
		assert_true(vouch_b64_decoded_max(ulen) >= rawlen);
		n = 999;
		assert_true(b64_dec(v->b64, elen, false, dec, rawlen, &n));
		assert_int_equal(n, rawlen);
		assert_memory_equal(dec, v->raw, rawlen);
		n = 999;
		assert_true(b64_dec(v->b64url, ulen, true, dec, rawlen, &n));
		assert_int_equal(n, rawlen);
		assert_memory_equal(dec, v->raw, rawlen);

		/* Each alphabet's padding rule is enforced on the other. */
		if (elen != ulen) {
			assert_false(b64_dec(v->b64, elen, true, dec,
			    sizeof(dec), &n));
			assert_false(b64_dec(v->b64url, ulen, false, dec,
			    sizeof(dec), &n));
		}
	}
}

/* The characters for 62 and 63 are what tells the alphabets apart. */
static void
test_b64_alphabets(void **state)
{
	static const uint8_t raw[] = { 0xfb, 0xff, 0xbf };
	static const uint8_t raw2[] = { 0xfb, 0xff };
	char enc[8];
	uint8_t dec[4];
	size_t n;

	assert_true(vouch_b64_encode(raw, 3, false, enc, sizeof(enc)));
	assert_string_equal(enc, "+/+/");
	assert_true(vouch_b64_encode(raw, 3, true, enc, sizeof(enc)));
	assert_string_equal(enc, "-_-_");
	assert_true(vouch_b64_encode(raw2, 2, false, enc, sizeof(enc)));
	assert_string_equal(enc, "+/8=");
	assert_true(vouch_b64_encode(raw2, 2, true, enc, sizeof(enc)));
	assert_string_equal(enc, "-_8");

	assert_true(b64_dec("+/+/", 4, false, dec, sizeof(dec), &n));
	assert_int_equal(n, 3);
	assert_memory_equal(dec, raw, 3);
	assert_true(b64_dec("-_-_", 4, true, dec, sizeof(dec), &n));
	assert_int_equal(n, 3);
	assert_memory_equal(dec, raw, 3);
	assert_true(b64_dec("-_8", 3, true, dec, sizeof(dec), &n));
	assert_int_equal(n, 2);
	assert_memory_equal(dec, raw2, 2);

	/* No mixing. */
	assert_false(b64_dec("-_-_", 4, false, dec, sizeof(dec), &n));
	assert_false(b64_dec("+/+/", 4, true, dec, sizeof(dec), &n));
	assert_false(b64_dec("+_+_", 4, false, dec, sizeof(dec), &n));
	assert_false(b64_dec("-/-/", 4, true, dec, sizeof(dec), &n));
}

static void
test_b64_all_bytes(void **state)
{
	uint8_t raw[256], dec[256];
	char enc[345];
	size_t i, len, n;
	int url;

	for (i = 0; i < sizeof(raw); i++) {
		raw[i] = (uint8_t)(255 - i);
	}
	for (url = 0; url <= 1; url++) {
		/* Every length 0..256 covers each tail shape many times. */
		for (len = 0; len <= sizeof(raw); len++) {
			assert_true(vouch_b64_encode(raw, len, url, enc,
			    sizeof(enc)));
			assert_int_equal(strlen(enc),
			    vouch_b64_encoded_len(len, url));
			assert_true(vouch_b64_decoded_max(strlen(enc)) >= len);
			n = 999;
			assert_true(b64_dec(enc, strlen(enc), url, dec, len,
			    &n));
			assert_int_equal(n, len);
			assert_memory_equal(dec, raw, len);
		}
	}
}

/* Reference 6-bit value, written the obvious way. */
static int
ref_b64(int c, bool url)
{
	if (c >= 'A' && c <= 'Z') {
		return c - 'A';
	}
	if (c >= 'a' && c <= 'z') {
		return c - 'a' + 26;
	}
	if (c >= '0' && c <= '9') {
		return c - '0' + 52;
	}
	if (c == (url ? '-' : '+')) {
		return 62;
	}
	if (c == (url ? '_' : '/')) {
		return 63;
	}
	return -1;
}

/*
 * Every byte value in each position of a full quantum (where all six bits
 * count, so there is no canonical-bits question) against the reference.
 */
static void
test_b64_every_char(void **state)
{
	char s[4];
	uint8_t out[3];
	uint32_t w;
	size_t n, pos;
	int c, want, url;

	for (url = 0; url <= 1; url++) {
		for (pos = 0; pos < 4; pos++) {
			for (c = 0; c < 256; c++) {
				want = ref_b64(c, url);
				memcpy(s, "AAAA", 4);
				s[pos] = (char)c;
				if (!url && c == '=' && pos == 3) {
					/* "AAA=" is padding, not data. */
					assert_true(b64_dec(s, 4, url, out, 3,
					    &n));
					assert_int_equal(n, 2);
					continue;
				}
				if (b64_dec(s, 4, url, out, 3, &n) !=
				    (want >= 0)) {
					fail_msg("b64 url=%d: 0x%02x at %zu",
					    url, c, pos);
				}
				if (want < 0) {
					continue;
				}
				w = (uint32_t)want << (6 * (3 - pos));
				assert_int_equal(out[0], (w >> 16) & 0xff);
				assert_int_equal(out[1], (w >> 8) & 0xff);
				assert_int_equal(out[2], w & 0xff);
			}
		}
	}
}

struct b64_bad_case {
	const char	*name;
	const char	*s;
	size_t		 len;
	bool		 url;
};

static const struct b64_bad_case b64_bad[] = {
	/* Non-canonical: the unused low bits of the last character. */
	{ "QR== bits", "QR==", 4, false },
	{ "QR url bits", "QR", 2, true },
	{ "Zh== bits", "Zh==", 4, false },
	{ "Zm9= bits", "Zm9=", 4, false },
	{ "QUJ= bits", "QUJ=", 4, false },
	{ "QUJ url bits", "QUJ", 3, true },
	{ "Zm9vYh== bits", "Zm9vYh==", 8, false },
	{ "//9= bits", "//9=", 4, false },
	{ "___ url bits", "___", 3, true },
	/* Padding. */
	{ "missing padding 2", "Zg", 2, false },
	{ "missing padding 1", "Zm8", 3, false },
	{ "short padding", "Zg=", 3, false },
	{ "extra padding", "Zg===", 5, false },
	{ "three pads", "Z===", 4, false },
	{ "all padding", "====", 4, false },
	{ "padding in the middle", "Zg==Zg==", 8, false },
	{ "pad then data", "Zg=a", 4, false },
	{ "pad inside quantum", "Z=g=", 4, false },
	{ "full quantum padded", "Zm9v====", 8, false },
	{ "pad only", "=", 1, false },
	{ "url with padding", "Zg==", 4, true },
	{ "url with one pad", "Zm8=", 4, true },
	{ "url pad only", "==", 2, true },
	/* Lengths no encoding has. */
	{ "one char", "Z", 1, false },
	{ "one char url", "Z", 1, true },
	{ "five chars url", "Zm9vY", 5, true },
	{ "five chars", "Zm9vY", 5, false },
	/* Whitespace and other bytes. */
	{ "newline", "Zm9v\nYmFy", 9, false },
	{ "crlf", "Zm9v\r\nYmFy", 10, false },
	{ "trailing newline", "Zm9vYmFy\n", 9, false },
	{ "space", "Zm9v YmFy", 9, false },
	{ "tab url", "Zm9v\tYmFy", 9, true },
	{ "embedded NUL", "Zm\0v", 4, false },
	{ "star", "Zm9*", 4, false },
	{ "dot url", "Zm9.", 4, true },
	{ "high bit", "Zm9\xff", 4, false },
	{ "utf-8", "Zm\xc3\xa9", 4, false },
};

static void
test_b64_bad(void **state)
{
	const struct b64_bad_case *bc;
	uint8_t out[16];
	size_t i, n;

	for (i = 0; i < ARRAY_LEN(b64_bad); i++) {
		bc = &b64_bad[i];
		n = 999;
		if (b64_dec(bc->s, bc->len, bc->url, out, sizeof(out), &n)) {
			fail_msg("b64 %s: accepted", bc->name);
		}
		assert_int_equal(n, 999);
	}
}

/* The canonical neighbours of the non-canonical cases are accepted. */
static void
test_b64_canonical(void **state)
{
	uint8_t out[4];
	size_t n;

	assert_true(b64_dec("QQ==", 4, false, out, sizeof(out), &n));
	assert_int_equal(n, 1);
	assert_int_equal(out[0], 'A');
	assert_true(b64_dec("QQ", 2, true, out, sizeof(out), &n));
	assert_int_equal(n, 1);
	assert_int_equal(out[0], 'A');
	assert_true(b64_dec("QUI=", 4, false, out, sizeof(out), &n));
	assert_int_equal(n, 2);
	assert_memory_equal(out, "AB", 2);
	assert_true(b64_dec("//8=", 4, false, out, sizeof(out), &n));
	assert_int_equal(n, 2);
	assert_int_equal(out[0], 0xff);
	assert_int_equal(out[1], 0xff);
	assert_true(b64_dec("_w", 2, true, out, sizeof(out), &n));
	assert_int_equal(n, 1);
	assert_int_equal(out[0], 0xff);
}

static void
test_b64_fail_wipes(void **state)
{
	uint8_t out[6];
	size_t n, i;

	memset(out, 0xaa, sizeof(out));
	assert_false(b64_dec("Zm9vYm*y", 8, false, out, sizeof(out), &n));
	for (i = 0; i < sizeof(out); i++) {
		assert_int_equal(out[i], 0);
	}
}

static void
test_b64_capacity(void **state)
{
	static const uint8_t raw[4] = { 1, 2, 3, 4 };
	char enc[16];
	uint8_t dec[8];
	size_t n;

	/* "AQIDBA==" is 8 characters plus the NUL. */
	memset(enc, 'x', sizeof(enc));
	assert_false(vouch_b64_encode(raw, 4, false, enc, 8));
	assert_false(vouch_b64_encode(raw, 4, false, enc, 0));
	assert_int_equal(enc[0], 'x');
	assert_true(vouch_b64_encode(raw, 4, false, enc, 9));
	assert_string_equal(enc, "AQIDBA==");
	assert_false(vouch_b64_encode(raw, 4, true, enc, 6));
	assert_true(vouch_b64_encode(raw, 4, true, enc, 7));
	assert_string_equal(enc, "AQIDBA");
	assert_true(vouch_b64_encode(raw, 0, false, enc, 1));
	assert_string_equal(enc, "");
	assert_false(vouch_b64_encode(raw, 0, true, enc, 0));
	/* Huge n must not wrap the capacity check. */
	assert_false(vouch_b64_encode(raw, SIZE_MAX, false, enc, 16));
	assert_false(vouch_b64_encode(raw, SIZE_MAX / 4 * 3, true, enc, 16));

	assert_false(b64_dec("AQIDBA==", 8, false, dec, 3, &n));
	assert_true(b64_dec("AQIDBA==", 8, false, dec, 4, &n));
	assert_int_equal(n, 4);
	assert_false(b64_dec("AQIDBA", 6, true, dec, 3, &n));
	assert_true(b64_dec("AQIDBA", 6, true, dec, 4, &n));
	assert_true(vouch_b64_decode(NULL, 0, false, NULL, 0, &n));
	assert_int_equal(n, 0);
	assert_true(vouch_b64_decode(NULL, 0, true, NULL, 0, &n));
	assert_int_equal(n, 0);

	assert_int_equal(vouch_b64_encoded_len(0, false), 0);
	assert_int_equal(vouch_b64_encoded_len(1, false), 4);
	assert_int_equal(vouch_b64_encoded_len(1, true), 2);
	assert_int_equal(vouch_b64_encoded_len(2, true), 3);
	assert_int_equal(vouch_b64_encoded_len(3, true), 4);
	assert_int_equal(vouch_b64_encoded_len(SIZE_MAX, false), 0);
	assert_int_equal(vouch_b64_decoded_max(0), 0);
	assert_int_equal(vouch_b64_decoded_max(2), 1);
	assert_int_equal(vouch_b64_decoded_max(3), 2);
	assert_int_equal(vouch_b64_decoded_max(4), 3);
	assert_int_equal(vouch_b64_decoded_max(8), 6);
	assert_int_equal(vouch_b64_decoded_max(SIZE_MAX), SIZE_MAX / 4 * 3 +
	    2);
}

/*
 * Every prefix of a valid encoding: padded text decodes only at whole
 * quanta and then to the matching prefix of the data; unpadded text never
 * decodes to anything but a prefix of the data.
 */
static void
test_b64_truncated(void **state)
{
	static const char std[] = "Zm9vYmFyYmF6cXV4MTIzNA==";
	static const char url[] = "Zm9vYmFyYmF6cXV4MTIzNA";
	static const char raw[] = "foobarbazqux1234";
	uint8_t dec[32];
	size_t k, n;

	for (k = 0; k < sizeof(std) - 1; k++) {
		n = 999;
		if (k % 4 != 0) {
			if (b64_dec(std, k, false, dec, sizeof(dec), &n)) {
				fail_msg("b64: accepted %zu of %zu chars", k,
				    sizeof(std) - 1);
			}
			assert_int_equal(n, 999);
			continue;
		}
		assert_true(b64_dec(std, k, false, dec, sizeof(dec), &n));
		assert_int_equal(n, k / 4 * 3);
		assert_memory_equal(dec, raw, n);
	}
	for (k = 0; k < sizeof(url) - 1; k++) {
		n = 999;
		if (!b64_dec(url, k, true, dec, sizeof(dec), &n)) {
			assert_int_equal(n, 999);
			continue;
		}
		assert_true(k % 4 != 1);
		assert_true(n < sizeof(raw) - 1);
		assert_memory_equal(dec, raw, n);
	}
	/* Whole quanta of the URL form always decode. */
	for (k = 0; k < sizeof(url) - 1; k += 4) {
		assert_true(b64_dec(url, k, true, dec, sizeof(dec), &n));
		assert_int_equal(n, k / 4 * 3);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hex_vectors),
		cmocka_unit_test(test_hex_all_bytes),
		cmocka_unit_test(test_hex_every_char),
		cmocka_unit_test(test_hex_bad),
		cmocka_unit_test(test_hex_fail_wipes),
		cmocka_unit_test(test_hex_capacity),
		cmocka_unit_test(test_hex_truncated),
		cmocka_unit_test(test_b64_vectors),
		cmocka_unit_test(test_b64_alphabets),
		cmocka_unit_test(test_b64_all_bytes),
		cmocka_unit_test(test_b64_every_char),
		cmocka_unit_test(test_b64_bad),
		cmocka_unit_test(test_b64_canonical),
		cmocka_unit_test(test_b64_fail_wipes),
		cmocka_unit_test(test_b64_capacity),
		cmocka_unit_test(test_b64_truncated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
