/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The DER builder.  A child writes a one-octet placeholder length after
 * its identifier octet; closing the child either stores the short-form
 * length there or, for 128 bytes and more, turns it into the long-form
 * count and moves the contents right to make room for the length octets.
 * Every size check subtracts from the cap (n > max - len), so nothing can
 * wrap, and the first failure is recorded in the shared buffer.
 */
#include <stdlib.h>
#include <string.h>

#include "bs/bs.h"
#include "bs/cbb.h"
#include "internal.h"

/* First allocation; doubled from there up to the cap. */
#define CBB_INITIAL_ALLOC	64
/* Low five identifier bits all set: the high-tag-number form. */
#define CBB_TAG_NUMBER_MASK	0x1fu
/* Length octet: bit 8 set is the long form. */
#define CBB_LENGTH_LONG		0x80u

bool
cbb_init(struct cbb *cbb, size_t max)
{
	memset(cbb, 0, sizeof(*cbb));
	if (max == 0) {
		return false;
	}
	cbb->own.max = max;
	cbb->buf = &cbb->own;
	return true;
}

void
cbb_cleanup(struct cbb *cbb)
{
	if (cbb->is_child || cbb->buf == NULL) {
		return;
	}
	if (cbb->own.data != NULL) {
		vouch_freezero(cbb->own.data, cbb->own.alloc);
	}
	memset(&cbb->own, 0, sizeof(cbb->own));
	cbb->buf = NULL;
	cbb->child = NULL;
}

/*
 * Make room for |n| more bytes in |b| and account for them; |*out| (when
 * not NULL) points at the first new byte.  The old buffer is wiped, not
 * just freed, since callers may build key material.
 */
static bool
cbb_grow(struct cbb_buffer *b, size_t n, uint8_t **out)
{
	uint8_t *p;
	size_t need, alloc;

	if (b->failed) {
		return false;
	}
	if (n > b->max - b->len) {
		b->failed = true;
		return false;
	}
	need = b->len + n;
	if (need > b->alloc) {
		alloc = b->alloc == 0 ? CBB_INITIAL_ALLOC : b->alloc;
		while (alloc < need) {
			if (alloc > b->max / 2) {
				alloc = b->max;
				break;
			}
			alloc *= 2;
		}
		if (alloc > b->max) {
			alloc = b->max;
		}
		p = malloc(alloc);
		if (p == NULL) {
			b->failed = true;
			return false;
		}
		if (b->data != NULL) {
			memcpy(p, b->data, b->len);
			vouch_freezero(b->data, b->alloc);
		}
		b->data = p;
		b->alloc = alloc;
	}
	if (out != NULL) {
		*out = b->data + b->len;
	}
	b->len = need;
	return true;
}

/* Close |child|, whose contents run from child->start to the end of |b|. */
static bool
cbb_close_child(struct cbb_buffer *b, struct cbb *child)
{
	size_t len, start = child->start, n, i;
	uint8_t octets[sizeof(size_t)];
	size_t v;

	len = b->len - start;
	if (len < CBB_LENGTH_LONG) {
		/*= X.690 §8.1.3.4: short form, one octet, bit 8 zero. */
		b->data[start - 1] = (uint8_t)len;
		return true;
	}
	/*= X.690 §10.1
	 *# The definite form of length encoding shall be used, encoded
	 *# in the minimum number of octets. */
	n = 0;
	v = len;
	while (v != 0) {
		octets[sizeof(octets) - 1 - n] = (uint8_t)(v & 0xffu);
		v >>= 8;
		n++;
	}
	if (n > CBB_MAX_LENGTH_OCTETS) {
		b->failed = true;
		return false;
	}
	if (!cbb_grow(b, n, NULL)) {
		return false;
	}
	memmove(b->data + start + n, b->data + start, len);
	b->data[start - 1] = (uint8_t)(CBB_LENGTH_LONG | n);
	for (i = 0; i < n; i++) {
		b->data[start + i] = octets[sizeof(octets) - n + i];
	}
	return true;
}

bool
cbb_flush(struct cbb *cbb)
{
	struct cbb_buffer *b = cbb->buf;
	struct cbb *child = cbb->child;

	if (b == NULL || b->failed) {
		return false;
	}
	if (child == NULL) {
		return true;
	}
	if (!cbb_flush(child) || !cbb_close_child(b, child)) {
		b->failed = true;
		return false;
	}
	child->buf = NULL;
	child->child = NULL;
	cbb->child = NULL;
	return true;
}

size_t
cbb_len(const struct cbb *cbb)
{
	if (cbb->buf == NULL) {
		return 0;
	}
	if (cbb->is_child) {
		return cbb->buf->len - cbb->start;
	}
	return cbb->buf->len;
}

bool
cbb_finish(struct cbb *cbb, uint8_t **out, size_t *out_len)
{
	uint8_t *data;

	*out = NULL;
	*out_len = 0;
	if (cbb->is_child || cbb->buf == NULL) {
		return false;
	}
	if (!cbb_flush(cbb)) {
		cbb_cleanup(cbb);
		return false;
	}
	data = cbb->own.data;
	if (data == NULL) {
		data = malloc(1);
		if (data == NULL) {
			cbb_cleanup(cbb);
			return false;
		}
	}
	*out = data;
	*out_len = cbb->own.len;
	cbb->own.data = NULL;
	cbb->own.len = 0;
	cbb->own.alloc = 0;
	return true;
}

/* Close the open child of |cbb| and return the buffer to write to. */
static struct cbb_buffer *
cbb_prepare(struct cbb *cbb)
{
	if (!cbb_flush(cbb)) {
		return NULL;
	}
	return cbb->buf;
}

bool
cbb_add_bytes(struct cbb *cbb, const uint8_t *p, size_t n)
{
	struct cbb_buffer *b = cbb_prepare(cbb);
	uint8_t *dst;

	if (b == NULL || !cbb_grow(b, n, &dst)) {
		return false;
	}
	if (n > 0) {
		memcpy(dst, p, n);
	}
	return true;
}

bool
cbb_add_u8(struct cbb *cbb, uint8_t v)
{
	return cbb_add_bytes(cbb, &v, 1);
}

bool
cbb_add_u16be(struct cbb *cbb, uint16_t v)
{
	uint8_t be[2];

	be[0] = (uint8_t)(v >> 8);
	be[1] = (uint8_t)v;
	return cbb_add_bytes(cbb, be, sizeof(be));
}

bool
cbb_add_u32be(struct cbb *cbb, uint32_t v)
{
	uint8_t be[4];

	be[0] = (uint8_t)(v >> 24);
	be[1] = (uint8_t)(v >> 16);
	be[2] = (uint8_t)(v >> 8);
	be[3] = (uint8_t)v;
	return cbb_add_bytes(cbb, be, sizeof(be));
}

/* The identifier octets the DER reader (der.c) accepts, and no others. */
static bool
cbb_tag_ok(unsigned tag)
{
	if (tag > 0xffu) {
		return false;
	}
	/*= X.690 §8.1.2.4: tag numbers 31 and up need more octets. */
	if ((tag & CBB_TAG_NUMBER_MASK) == CBB_TAG_NUMBER_MASK) {
		return false;
	}
	/*= X.690 §8.1.5: universal 0 is end-of-contents. */
	if ((tag & ~CBS_ASN1_CONSTRUCTED) == 0) {
		return false;
	}
	return true;
}

bool
cbb_add_asn1(struct cbb *cbb, struct cbb *child, unsigned tag)
{
	struct cbb_buffer *b = cbb_prepare(cbb);
	uint8_t *hdr;

	memset(child, 0, sizeof(*child));
	if (b == NULL) {
		return false;
	}
	if (!cbb_tag_ok(tag)) {
		b->failed = true;
		return false;
	}
	/* The identifier, then a placeholder fixed when the child closes. */
	if (!cbb_grow(b, 2, &hdr)) {
		return false;
	}
	hdr[0] = (uint8_t)tag;
	hdr[1] = 0;
	child->buf = b;
	child->start = b->len;
	child->is_child = true;
	cbb->child = child;
	return true;
}

/*
 * One primitive element with |n| bytes of contents.  The child lives on
 * this stack frame, so it is closed, or forgotten on failure, before
 * returning.
 */
static bool
cbb_add_simple(struct cbb *cbb, unsigned tag, const uint8_t *p, size_t n)
{
	struct cbb child;

	if (cbb_add_asn1(cbb, &child, tag) && cbb_add_bytes(&child, p, n) &&
	    cbb_flush(cbb)) {
		return true;
	}
	cbb->child = NULL;
	return false;
}

bool
cbb_add_asn1_uint64(struct cbb *cbb, uint64_t v)
{
	uint8_t be[9];
	size_t i, first;

	be[0] = 0;
	for (i = 0; i < 8; i++) {
		be[1 + i] = (uint8_t)(v >> (56 - 8 * i));
	}
	/*= X.690 §8.3.2
	 *# the bits of the first octet and bit 8 of the second octet shall
	 *# not all be zero
	 * so drop leading zero octets, but keep one ahead of an octet with bit
	 * 8 set, which would otherwise read as negative (§8.3.3). */
	first = 1;
	while (first < 8 && be[first] == 0) {
		first++;
	}
	if ((be[first] & 0x80u) != 0) {
		first--;
	}
	return cbb_add_simple(cbb, CBS_ASN1_INTEGER, be + first,
	    sizeof(be) - first);
}

bool
cbb_add_asn1_octet_string(struct cbb *cbb, const uint8_t *p, size_t n)
{
	return cbb_add_simple(cbb, CBS_ASN1_OCTETSTRING, p, n);
}

bool
cbb_add_asn1_utf8(struct cbb *cbb, const char *s, size_t n)
{
	if (!bs_utf8_is_valid((const uint8_t *)s, n)) {
		if (cbb->buf != NULL) {
			cbb->buf->failed = true;
		}
		return false;
	}
	return cbb_add_simple(cbb, CBS_ASN1_UTF8STRING, (const uint8_t *)s,
	    n);
}

/* True when |b| is a continuation octet 10xxxxxx. */
static bool
utf8_cont(uint8_t b)
{
	return (b & 0xc0u) == 0x80u;
}

bool
bs_utf8_is_valid(const uint8_t *p, size_t n)
{
	size_t i = 0, more, k;
	uint8_t b, lo, hi;

	while (i < n) {
		b = p[i];
		/*= RFC 3629 §4, the UTF8-octets ABNF
		 *# UTF8-2 = %xC2-DF UTF8-tail
		 *# UTF8-3 = %xE0 %xA0-BF UTF8-tail / %xE1-EC 2( UTF8-tail ) /
		 *#          %xED %x80-9F UTF8-tail / %xEE-EF 2( UTF8-tail )
		 *# UTF8-4 = %xF0 %x90-BF 2( UTF8-tail ) /
		 *#          %xF1-F3 3( UTF8-tail ) /
		 *#          %xF4 %x80-8F 2( UTF8-tail ) */
		lo = 0x80;
		hi = 0xbf;
		if (b == 0x00) {
			return false;
		} else if (b < 0x80) {
			more = 0;
		} else if (b >= 0xc2 && b <= 0xdf) {
			more = 1;
		} else if (b == 0xe0) {
			more = 2;
			lo = 0xa0;
		} else if (b == 0xed) {
			more = 2;
			hi = 0x9f;
		} else if (b >= 0xe1 && b <= 0xef) {
			more = 2;
		} else if (b == 0xf0) {
			more = 3;
			lo = 0x90;
		} else if (b >= 0xf1 && b <= 0xf3) {
			more = 3;
		} else if (b == 0xf4) {
			more = 3;
			hi = 0x8f;
		} else {
			return false;
		}
		if (more > n - i - 1) {
			return false;
		}
		if (more > 0 && (p[i + 1] < lo || p[i + 1] > hi)) {
			return false;
		}
		for (k = 2; k <= more; k++) {
			if (!utf8_cont(p[i + k])) {
				return false;
			}
		}
		i += more + 1;
	}
	return true;
}
