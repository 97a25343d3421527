/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A strict DER subset (ITU-T X.690): single-octet identifiers, definite
 * lengths in minimal form, at most 4 length octets.  Anything else is
 * rejected rather than tolerated, since DER gives every value exactly one
 * encoding and signatures are checked over the bytes as received.
 */
#include "bs/bs.h"

/* Low five identifier bits all set: the high-tag-number form follows. */
#define DER_TAG_NUMBER_MASK	0x1fu
/* Length octets: bit 8 set means long form, 0x80 alone is indefinite. */
#define DER_LENGTH_LONG		0x80u
/* Most length octets accepted: lengths up to 2^32 - 1. */
#define DER_MAX_LENGTH_OCTETS	4

/*
 * Parse one element at the start of |c| without advancing it.  On success
 * |*out_tag| is the identifier octet, |out_element| the whole element,
 * |out_contents| its contents and |out_rest| what follows it.
 */
static bool
der_parse(const struct cbs *c, unsigned *out_tag, struct cbs *out_element,
    struct cbs *out_contents, struct cbs *out_rest)
{
	struct cbs tmp = *c, contents;
	uint8_t tag, b;
	uint64_t len;
	size_t i, n;

	/*= X.690 §8.1.2.4.1
	 *# bits 5 to 1 shall be encoded as 11111
	 * for tag numbers of 31 and more, with more identifier octets after;
	 * we accept only tag numbers 0..30 in one octet. */
	if (!cbs_get_u8(&tmp, &tag)) {
		return false;
	}
	if ((tag & DER_TAG_NUMBER_MASK) == DER_TAG_NUMBER_MASK) {
		return false;
	}
	/*= X.690 §8.1.5
	 *# The end-of-contents octets shall consist of two zero octets.
	 * Universal tag number 0 only ever ends an indefinite length. */
	if ((tag & ~CBS_ASN1_CONSTRUCTED) == 0) {
		return false;
	}

	if (!cbs_get_u8(&tmp, &b)) {
		return false;
	}
	if ((b & DER_LENGTH_LONG) == 0) {
		/*= X.690 §8.1.3.4: short form, one octet, bit 8 zero. */
		len = b;
	} else {
		/*= X.690 §10.1
		 *# The definite form of length encoding shall be used, encoded
		 *# in the minimum number of octets. */
		n = b & ~DER_LENGTH_LONG;
		if (n == 0 || n > DER_MAX_LENGTH_OCTETS) {
			return false;
		}
		len = 0;
		for (i = 0; i < n; i++) {
			if (!cbs_get_u8(&tmp, &b)) {
				return false;
			}
			if (i == 0 && b == 0) {
				/* A leading zero: a shorter form exists. */
				return false;
			}
			len = (len << 8) | b;
		}
		if (len < DER_LENGTH_LONG) {
			/* Fits the short form. */
			return false;
		}
	}
	/* At most 4 length octets, so |len| < 2^32 fits a size_t. */
	if (!cbs_get_bytes(&tmp, &contents, (size_t)len)) {
		return false;
	}

	*out_tag = tag;
	/* Not cbs_offset: |c| may itself be partly consumed. */
	cbs_init(out_element, cbs_data(c), cbs_len(c) - cbs_len(&tmp));
	*out_contents = contents;
	*out_rest = tmp;
	return true;
}

/*
 * Read any element.  |out| gets the contents, or the whole element when
 * |with_header| is set.
 */
static bool
der_get_any(struct cbs *c, struct cbs *out, unsigned *out_tag,
    bool with_header)
{
	struct cbs element, contents, rest;
	unsigned tag;

	if (!der_parse(c, &tag, &element, &contents, &rest)) {
		return false;
	}
	*c = rest;
	*out = with_header ? element : contents;
	if (out_tag != NULL) {
		*out_tag = tag;
	}
	return true;
}

/* Read an element tagged |tag|, leaving |c| alone on any mismatch. */
static bool
der_get_tagged(struct cbs *c, struct cbs *out, unsigned tag,
    bool with_header)
{
	struct cbs tmp = *c, body;
	unsigned got;

	if (!der_get_any(&tmp, &body, &got, with_header)) {
		return false;
	}
	if (got != tag) {
		return false;
	}
	*c = tmp;
	*out = body;
	return true;
}

bool
cbs_get_asn1(struct cbs *c, struct cbs *out, unsigned tag)
{
	return der_get_tagged(c, out, tag, false);
}

bool
cbs_get_asn1_element(struct cbs *c, struct cbs *out, unsigned tag)
{
	return der_get_tagged(c, out, tag, true);
}

bool
cbs_get_any_asn1(struct cbs *c, struct cbs *out, unsigned *out_tag)
{
	return der_get_any(c, out, out_tag, false);
}

bool
cbs_peek_asn1_tag(const struct cbs *c, unsigned tag)
{
	if (cbs_len(c) < 1) {
		return false;
	}
	return cbs_data(c)[0] == tag;
}

bool
cbs_get_optional_asn1(struct cbs *c, struct cbs *out, bool *out_present,
    unsigned tag)
{
	struct cbs body;
	bool present = false;

	cbs_init(&body, NULL, 0);
	if (cbs_peek_asn1_tag(c, tag)) {
		if (!cbs_get_asn1(c, &body, tag)) {
			return false;
		}
		present = true;
	}
	if (out != NULL) {
		*out = body;
	}
	if (out_present != NULL) {
		*out_present = present;
	}
	return true;
}

bool
cbs_get_asn1_uint64(struct cbs *c, uint64_t *out)
{
	struct cbs tmp = *c, body;
	const uint8_t *p;
	uint64_t v = 0;
	size_t len, i;

	if (!cbs_get_asn1(&tmp, &body, CBS_ASN1_INTEGER)) {
		return false;
	}
	p = cbs_data(&body);
	len = cbs_len(&body);
	/*= X.690 §8.3.1
	 *# The contents octets shall consist of one or more octets. */
	if (len == 0) {
		return false;
	}
	/* Two's complement: bit 8 of the first octet set is negative. */
	if ((p[0] & 0x80) != 0) {
		return false;
	}
	/*= X.690 §8.3.2
	 *# the bits of the first octet and bit 8 of the second octet shall
	 *# not all be zero */
	if (p[0] == 0x00 && len > 1) {
		if ((p[1] & 0x80) == 0) {
			return false;
		}
		/* The zero only keeps the value positive; drop it. */
		p++;
		len--;
	}
	if (len > sizeof(v)) {
		return false;
	}
	for (i = 0; i < len; i++) {
		v = (v << 8) | p[i];
	}
	*c = tmp;
	*out = v;
	return true;
}

bool
cbs_get_asn1_bool(struct cbs *c, bool *out)
{
	struct cbs tmp = *c, body;
	uint8_t b;

	if (!cbs_get_asn1(&tmp, &body, CBS_ASN1_BOOLEAN)) {
		return false;
	}
	if (!cbs_get_u8(&body, &b) || !cbs_is_empty(&body)) {
		return false;
	}
	/*= X.690 §11.1
	 *# If the encoding represents the boolean value TRUE, its single
	 *# contents octet shall have all eight bits set to one. */
	if (b != 0x00 && b != 0xff) {
		return false;
	}
	*c = tmp;
	*out = b == 0xff;
	return true;
}
