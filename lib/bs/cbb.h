/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cbb: a small builder for DER and other length-prefixed bytes, the
 * writing half of bs.h.
 *
 * A root struct cbb owns a growable buffer with a hard size cap given at
 * cbb_init.  cbb_add_asn1 opens a child: an element whose contents are
 * written through the child and whose length is filled in, in the
 * minimal DER form (X.690 §10.1), when the child is flushed.  Writing to
 * a parent, flushing it or opening another child closes the open child
 * first; a closed child refuses further writes.
 *
 * A root refers to its own storage, so a struct cbb must not be copied
 * or moved while in use; children live wherever the caller puts them, but
 * no longer than the call that closes them.
 *
 * Every call returns true on success.  The first failure (cap exceeded,
 * out of memory, bad tag, write through a closed child) is sticky: later
 * calls on the same tree fail and cbb_finish fails, so a caller may check
 * only the last call.  Nothing is printed and no context is needed.
 * Modelled on the CBB idea (BoringSSL/LibreSSL bytestring); our own code.
 */
#ifndef VOUCH_BS_CBB_H
#define VOUCH_BS_CBB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Most length octets written: elements up to 2^32 - 1 bytes (as der.c). */
#define CBB_MAX_LENGTH_OCTETS	4

/* The buffer shared by a root and all its children. */
struct cbb_buffer {
	uint8_t		*data;
	size_t		 len;		/* bytes written */
	size_t		 alloc;		/* bytes allocated */
	size_t		 max;		/* hard cap on |len| */
	bool		 failed;	/* sticky error */
};

struct cbb {
	struct cbb_buffer	*buf;	/* NULL once a child is closed */
	struct cbb_buffer	 own;	/* the storage, in a root only */
	struct cbb		*child;	/* the open child, or NULL */
	size_t			 start;	/* child: offset of its contents */
	bool			 is_child;
};

/*
 * cbb_init makes |cbb| an empty root that will hold at most |max| bytes
 * (the finished output, length octets included).  Allocation is lazy.
 * Returns false for |max| == 0.  Pair with cbb_cleanup.
 */
bool	cbb_init(struct cbb *cbb, size_t max);
/*
 * cbb_cleanup wipes and frees the buffer of the root |cbb| (output that
 * was not taken with cbb_finish).  On a child, or twice, it does nothing.
 */
void	cbb_cleanup(struct cbb *cbb);
/*
 * cbb_finish closes every open child of the root |cbb| and hands its
 * bytes to the caller: |*out| is malloc'd (never NULL on success, even for
 * zero bytes; free with free()) and |*out_len| its length.  The root is
 * left empty.  On failure, including any earlier failure in the tree,
 * |*out| is NULL, |*out_len| 0 and the buffer is freed.
 */
bool	cbb_finish(struct cbb *cbb, uint8_t **out, size_t *out_len);
/* cbb_flush closes the open child of |cbb| (and its children), if any. */
bool	cbb_flush(struct cbb *cbb);
/*
 * cbb_len is the number of bytes written through |cbb| so far: for a
 * child, its contents; for a root, everything (open children counted
 * without their final length octets).
 */
size_t	cbb_len(const struct cbb *cbb);

bool	cbb_add_u8(struct cbb *cbb, uint8_t v);
bool	cbb_add_u16be(struct cbb *cbb, uint16_t v);
bool	cbb_add_u32be(struct cbb *cbb, uint32_t v);
/* Append |n| bytes from |p| (|p| may be NULL when |n| is 0). */
bool	cbb_add_bytes(struct cbb *cbb, const uint8_t *p, size_t n);

/*
 * cbb_add_asn1 starts an element with identifier octet |tag| (a
 * CBS_ASN1_* value from bs.h: one octet, tag numbers 0..30 except the
 * universal end-of-contents 0) in |cbb| and makes |child| the writer of
 * its contents.  |child| needs no initialisation and no cleanup.
 */
bool	cbb_add_asn1(struct cbb *cbb, struct cbb *child, unsigned tag);
/* INTEGER |v|, non-negative, minimal form (X.690 §8.3). */
bool	cbb_add_asn1_uint64(struct cbb *cbb, uint64_t v);
/* OCTET STRING holding |n| bytes from |p|. */
bool	cbb_add_asn1_octet_string(struct cbb *cbb, const uint8_t *p,
	    size_t n);
/*
 * UTF8String holding the |n| bytes at |s| (no NUL needed), which must be
 * well-formed UTF-8 (bs_utf8_is_valid); anything else fails.
 */
bool	cbb_add_asn1_utf8(struct cbb *cbb, const char *s, size_t n);

/*
 * bs_utf8_is_valid is true when the |n| bytes at |p| are well-formed
 * UTF-8 (RFC 3629 §4: shortest form, no surrogates, at most U+10FFFF)
 * with no NUL character, so they can be held as a C string.
 */
bool	bs_utf8_is_valid(const uint8_t *p, size_t n);

#endif
