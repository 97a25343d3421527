/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bs: the one bounds-checked reader for untrusted bytes.
 *
 * A struct cbs is a read-only view { data, len } into a buffer the caller
 * owns; it never allocates and lives no longer than that buffer.  Every
 * getter returns true and advances on success, or returns false and leaves
 * the view unchanged.  Bounds checks subtract (n > len), never add.
 * Modelled on the CBS idea (BoringSSL/LibreSSL bytestring); our own code.
 */
#ifndef VOUCH_BS_H
#define VOUCH_BS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cbs {
	const uint8_t	*data;
	size_t		 len;
	size_t		 initial_len;
};

void		 cbs_init(struct cbs *c, const uint8_t *data, size_t len);
size_t		 cbs_len(const struct cbs *c);
const uint8_t	*cbs_data(const struct cbs *c);
/* Bytes consumed since cbs_init (for sub-views: since their creation). */
size_t		 cbs_offset(const struct cbs *c);

bool	cbs_skip(struct cbs *c, size_t n);
bool	cbs_get_u8(struct cbs *c, uint8_t *out);
bool	cbs_get_u16le(struct cbs *c, uint16_t *out);
bool	cbs_get_u32le(struct cbs *c, uint32_t *out);
bool	cbs_get_u64le(struct cbs *c, uint64_t *out);
bool	cbs_get_u16be(struct cbs *c, uint16_t *out);
bool	cbs_get_u24be(struct cbs *c, uint32_t *out);
bool	cbs_get_u32be(struct cbs *c, uint32_t *out);
bool	cbs_get_u64be(struct cbs *c, uint64_t *out);
/* Sub-view of the next |n| bytes. */
bool	cbs_get_bytes(struct cbs *c, struct cbs *out, size_t n);
/* Copy the next |n| bytes into |out| (a fixed-size field). */
bool	cbs_copy(struct cbs *c, uint8_t *out, size_t n);
/* Length-prefixed sub-views (TPM2B is u16be-prefixed). */
bool	cbs_get_u8_prefixed(struct cbs *c, struct cbs *out);
bool	cbs_get_u16be_prefixed(struct cbs *c, struct cbs *out);
bool	cbs_get_u16le_prefixed(struct cbs *c, struct cbs *out);
bool	cbs_get_u32le_prefixed(struct cbs *c, struct cbs *out);
/* Take the whole rest of |c| and require it to be exactly |n| bytes. */
bool	cbs_get_exact(struct cbs *c, struct cbs *out, size_t n);
/* True when every byte was consumed: formats without trailing data. */
bool	cbs_is_empty(const struct cbs *c);
/* True when every remaining byte is zero (reserved fields). */
bool	cbs_is_all_zero(const struct cbs *c);
/* Constant-time comparison of the remaining bytes with |p|/|n|. */
bool	cbs_mem_equal(const struct cbs *c, const uint8_t *p, size_t n);

/*
 * DER subset (ITU-T X.690 §8, §10): definite lengths in minimal form,
 * single-byte tags (numbers 0..30), which is what X.509 extensions need.
 * |tag| is the whole identifier octet, e.g. CBS_ASN1_SEQUENCE (0x30).
 */
#define CBS_ASN1_BOOLEAN	0x01u
#define CBS_ASN1_INTEGER	0x02u
#define CBS_ASN1_BITSTRING	0x03u
#define CBS_ASN1_OCTETSTRING	0x04u
#define CBS_ASN1_NULL		0x05u
#define CBS_ASN1_OBJECT		0x06u
#define CBS_ASN1_ENUMERATED	0x0au
#define CBS_ASN1_UTF8STRING	0x0cu
#define CBS_ASN1_PRINTABLESTRING 0x13u
#define CBS_ASN1_IA5STRING	0x16u
#define CBS_ASN1_UTCTIME	0x17u
#define CBS_ASN1_GENERALIZEDTIME 0x18u
#define CBS_ASN1_SEQUENCE	0x30u
#define CBS_ASN1_SET		0x31u
#define CBS_ASN1_CONSTRUCTED	0x20u
#define CBS_ASN1_CONTEXT_SPECIFIC 0x80u
/* Nesting limit for callers that recurse over DER. */
#define CBS_ASN1_MAX_DEPTH	32

/* Read one element with identifier |tag|; |out| gets its contents. */
bool	cbs_get_asn1(struct cbs *c, struct cbs *out, unsigned tag);
/* As cbs_get_asn1, but |out| includes the header. */
bool	cbs_get_asn1_element(struct cbs *c, struct cbs *out, unsigned tag);
/* Read any element: |out_tag| and contents. */
bool	cbs_get_any_asn1(struct cbs *c, struct cbs *out, unsigned *out_tag);
/* True when the next identifier octet is |tag| (no other check). */
bool	cbs_peek_asn1_tag(const struct cbs *c, unsigned tag);
/*
 * Read an element tagged |tag| if it is next; |*out_present| says whether
 * it was.  Fails only on a malformed element.
 */
bool	cbs_get_optional_asn1(struct cbs *c, struct cbs *out,
	    bool *out_present, unsigned tag);
/* Non-negative INTEGER in minimal form that fits in 64 bits. */
bool	cbs_get_asn1_uint64(struct cbs *c, uint64_t *out);
/* BOOLEAN with DER values 0x00 / 0xff only. */
bool	cbs_get_asn1_bool(struct cbs *c, bool *out);

/*
 * Hex (lower or upper case in, lower case out) and base64 (RFC 4648 §4
 * standard alphabet with padding, §5 URL-safe without padding).
 * Decoders are strict: wrong length, bad characters, non-canonical
 * padding bits and embedded whitespace are errors.
 */
/* Encoded length, excluding the NUL the encoders always write. */
size_t	vouch_hex_encoded_len(size_t n);
/* Writes 2n+1 bytes (NUL-terminated) into |out| of size |cap|. */
bool	vouch_hex_encode(const uint8_t *in, size_t n, char *out, size_t cap);
/* Decodes |slen| hex chars into |out|; |*out_len| = slen/2. */
bool	vouch_hex_decode(const char *s, size_t slen, uint8_t *out,
	    size_t cap, size_t *out_len);

size_t	vouch_b64_encoded_len(size_t n, bool url);
size_t	vouch_b64_decoded_max(size_t slen);
bool	vouch_b64_encode(const uint8_t *in, size_t n, bool url, char *out,
	    size_t cap);
bool	vouch_b64_decode(const char *s, size_t slen, bool url, uint8_t *out,
	    size_t cap, size_t *out_len);

#endif
