/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Hex and base64 (RFC 4648).  Keys and secrets pass through here, so the
 * character <-> value mapping is branch-free arithmetic on masks rather
 * than a table indexed by secret data; decoders accumulate an error flag
 * and decide once at the end.  Lengths are public and may be branched on.
 */
#include <stdint.h>

#include "bs/bs.h"
#include "internal.h"

/*
 * All ones when lo <= x <= hi, else zero, for x, lo, hi < 2^31: a
 * difference that goes below zero wraps and sets bit 31.
 */
static uint32_t
ct_in_range(uint32_t x, uint32_t lo, uint32_t hi)
{
	uint32_t outside = ((x - lo) | (hi - x)) >> 31;

	return (outside ^ 1u) * 0xffffffffu;
}

/* Lower-case hex digit for the nibble |v| (0..15). */
static char
hex_digit(uint32_t v)
{
	uint32_t c;

	c = ct_in_range(v, 0, 9) & (v + '0');
	c |= ct_in_range(v, 10, 15) & (v - 10 + 'a');
	return (char)c;
}

/* Value of hex digit |ch| in bits 0..3; bit 8 set when |ch| is not one. */
static uint32_t
hex_value(unsigned char ch)
{
	uint32_t c = ch, v, ok, m;

	m = ct_in_range(c, '0', '9');
	ok = m;
	v = m & (c - '0');
	m = ct_in_range(c, 'a', 'f');
	ok |= m;
	v |= m & (c - 'a' + 10);
	m = ct_in_range(c, 'A', 'F');
	ok |= m;
	v |= m & (c - 'A' + 10);
	return v | (~ok & 0x100u);
}

size_t
vouch_hex_encoded_len(size_t n)
{
	/* No buffer that large can exist; 0 makes any later cap check fail. */
	if (n > SIZE_MAX / 2) {
		return 0;
	}
	return n * 2;
}

bool
vouch_hex_encode(const uint8_t *in, size_t n, char *out, size_t cap)
{
	size_t i;

	if (cap == 0 || n > (cap - 1) / 2) {
		return false;
	}
	for (i = 0; i < n; i++) {
		out[2 * i] = hex_digit((uint32_t)in[i] >> 4);
		out[2 * i + 1] = hex_digit((uint32_t)in[i] & 0x0f);
	}
	out[2 * n] = '\0';
	return true;
}

bool
vouch_hex_decode(const char *s, size_t slen, uint8_t *out, size_t cap,
    size_t *out_len)
{
	uint32_t hi, lo, bad = 0;
	size_t i, n;

	if (slen % 2 != 0) {
		return false;
	}
	n = slen / 2;
	if (n > cap) {
		return false;
	}
	for (i = 0; i < n; i++) {
		hi = hex_value((unsigned char)s[2 * i]);
		lo = hex_value((unsigned char)s[2 * i + 1]);
		bad |= hi | lo;
		out[i] = (uint8_t)((hi << 4) | (lo & 0x0f));
	}
	if ((bad & 0x100u) != 0) {
		vouch_wipe(out, n);
		return false;
	}
	*out_len = n;
	return true;
}

/*
 * Base64.  RFC 4648 §4 (standard, '+' '/', '=' padding required) and §5
 * (URL-safe, '-' '_', no padding).
 */
#define B64_PAD	'='

static uint32_t
b64_char62(bool url)
{
	return url ? '-' : '+';
}

static uint32_t
b64_char63(bool url)
{
	return url ? '_' : '/';
}

/* Character for the 6-bit value |v|. */
static char
b64_char(uint32_t v, bool url)
{
	uint32_t c;

	c = ct_in_range(v, 0, 25) & (v + 'A');
	c |= ct_in_range(v, 26, 51) & (v - 26 + 'a');
	c |= ct_in_range(v, 52, 61) & (v - 52 + '0');
	c |= ct_in_range(v, 62, 62) & b64_char62(url);
	c |= ct_in_range(v, 63, 63) & b64_char63(url);
	return (char)c;
}

/* Value of |ch| in bits 0..5; bit 8 set when |ch| is not in the alphabet. */
static uint32_t
b64_value(unsigned char ch, bool url)
{
	uint32_t c = ch, v, ok, m;

	m = ct_in_range(c, 'A', 'Z');
	ok = m;
	v = m & (c - 'A');
	m = ct_in_range(c, 'a', 'z');
	ok |= m;
	v |= m & (c - 'a' + 26);
	m = ct_in_range(c, '0', '9');
	ok |= m;
	v |= m & (c - '0' + 52);
	m = ct_in_range(c, b64_char62(url), b64_char62(url));
	ok |= m;
	v |= m & 62u;
	m = ct_in_range(c, b64_char63(url), b64_char63(url));
	ok |= m;
	v |= m & 63u;
	return v | (~ok & 0x100u);
}

size_t
vouch_b64_encoded_len(size_t n, bool url)
{
	size_t groups = n / 3, rem = n % 3;

	/* As for hex: a length no buffer can have gives 0. */
	if (groups > (SIZE_MAX - 4) / 4) {
		return 0;
	}
	if (rem == 0) {
		return groups * 4;
	}
	/* A partial group is 2 or 3 characters, padded to 4 unless |url|. */
	return groups * 4 + (url ? rem + 1 : 4);
}

size_t
vouch_b64_decoded_max(size_t slen)
{
	/* 4 characters carry 3 bytes; a tail of 2 or 3 carries 1 or 2. */
	return (slen / 4) * 3 + (slen % 4) * 3 / 4;
}

bool
vouch_b64_encode(const uint8_t *in, size_t n, bool url, char *out,
    size_t cap)
{
	size_t enc, i, o = 0, rem;
	uint32_t w;

	enc = vouch_b64_encoded_len(n, url);
	if (enc == 0 && n != 0) {
		return false;
	}
	if (cap == 0 || enc > cap - 1) {
		return false;
	}
	for (i = 0; n - i >= 3; i += 3) {
		w = ((uint32_t)in[i] << 16) | ((uint32_t)in[i + 1] << 8) |
		    in[i + 2];
		out[o++] = b64_char(w >> 18, url);
		out[o++] = b64_char((w >> 12) & 0x3f, url);
		out[o++] = b64_char((w >> 6) & 0x3f, url);
		out[o++] = b64_char(w & 0x3f, url);
	}
	rem = n - i;
	if (rem > 0) {
		w = (uint32_t)in[i] << 16;
		if (rem == 2) {
			w |= (uint32_t)in[i + 1] << 8;
		}
		out[o++] = b64_char(w >> 18, url);
		out[o++] = b64_char((w >> 12) & 0x3f, url);
		if (rem == 2) {
			out[o++] = b64_char((w >> 6) & 0x3f, url);
		} else if (!url) {
			out[o++] = B64_PAD;
		}
		if (!url) {
			out[o++] = B64_PAD;
		}
	}
	out[o] = '\0';
	return true;
}

bool
vouch_b64_decode(const char *s, size_t slen, bool url, uint8_t *out,
    size_t cap, size_t *out_len)
{
	uint32_t v0, v1, v2, v3, w, bad = 0;
	size_t nchars, rem, n, i, o = 0;

	if (url) {
		/* '=' is simply not in the URL-safe alphabet. */
		nchars = slen;
	} else {
		/*= RFC 4648 §3.2
		 *# Implementations MUST include appropriate pad characters
		 *# at the end of encoded data */
		if (slen % 4 != 0) {
			return false;
		}
		nchars = slen;
		if (nchars > 0 && s[nchars - 1] == B64_PAD) {
			nchars--;
			if (s[nchars - 1] == B64_PAD) {
				nchars--;
			}
		}
	}
	rem = nchars % 4;
	if (rem == 1) {
		/* 6 bits cannot make a byte. */
		return false;
	}
	n = (nchars / 4) * 3 + (rem == 0 ? 0 : rem - 1);
	if (n > cap) {
		return false;
	}

	for (i = 0; nchars - i >= 4; i += 4) {
		v0 = b64_value((unsigned char)s[i], url);
		v1 = b64_value((unsigned char)s[i + 1], url);
		v2 = b64_value((unsigned char)s[i + 2], url);
		v3 = b64_value((unsigned char)s[i + 3], url);
		bad |= v0 | v1 | v2 | v3;
		w = ((v0 & 0x3f) << 18) | ((v1 & 0x3f) << 12) |
		    ((v2 & 0x3f) << 6) | (v3 & 0x3f);
		out[o++] = (uint8_t)(w >> 16);
		out[o++] = (uint8_t)(w >> 8);
		out[o++] = (uint8_t)w;
	}
	if (rem > 0) {
		v0 = b64_value((unsigned char)s[i], url);
		v1 = b64_value((unsigned char)s[i + 1], url);
		bad |= v0 | v1;
		out[o++] = (uint8_t)(((v0 & 0x3f) << 2) | ((v1 & 0x3f) >> 4));
		if (rem == 3) {
			v2 = b64_value((unsigned char)s[i + 2], url);
			bad |= v2;
			out[o++] = (uint8_t)(((v1 & 0x0f) << 4) |
			    ((v2 & 0x3f) >> 2));
			/*= RFC 4648 §3.5
			 *# decoders MAY chose to reject an encoding if the pad
			 *# bits have not been set to zero
			 * and we do: otherwise two strings decode the same. */
			bad |= (v2 & 0x03) << 8;
		} else {
			bad |= (v1 & 0x0f) << 8;
		}
	}
	if ((bad & 0xff00u) != 0) {
		vouch_wipe(out, n);
		return false;
	}
	*out_len = n;
	return true;
}
