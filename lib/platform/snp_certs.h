/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The certificate table of the SEV-SNP extended guest request (GHCB
 * specification 56421, "SNP Extended Guest Request", certificate table;
 * what Linux returns as the configfs-tsm auxblob and SNP_GET_EXT_REPORT
 * writes to certs_address).  Entries of 24 bytes:
 *
 *   GUID[16]  (the bytes in the order the GUID is written)
 *   OFFSET    u32 little-endian, from the start of the table
 *   LENGTH    u32 little-endian
 *
 * ended by an all-zero entry, then the certificate data.
 */
#ifndef VOUCH_SNP_CERTS_H
#define VOUCH_SNP_CERTS_H

#include <stddef.h>
#include <stdint.h>

#include "internal.h"

#define SNP_CERT_TABLE_ENTRY_BYTES	24u
/* Most entries (before the terminator) a table may have. */
#define SNP_CERT_TABLE_MAX_ENTRIES	16u
/* Largest table accepted: the kernel's SEV_FW_BLOB_MAX_SIZE is 16 KiB. */
#define SNP_CERT_TABLE_MAX_BYTES	(64u * 1024u)

enum snp_cert_kind {
	SNP_CERT_OTHER = 0,	/* a GUID this code does not use */
	SNP_CERT_ARK,		/* c0b406a4-a803-4952-9743-3fb6014cd0ae */
	SNP_CERT_ASK,		/* 4ab7b379-bbac-4fe4-a02f-05aef327c782 */
	SNP_CERT_VCEK,		/* 63da758d-e664-4564-adc5-f4b93be8accd */
	SNP_CERT_VLEK,		/* a8074bc2-a25a-483e-aae6-39c045a0b8a1 */
	SNP_CERT_CRL,		/* 92f81bc3-5811-4d3d-97ff-d19f88dc67ea */
};

struct snp_cert_entry {
	enum snp_cert_kind	 kind;
	uint8_t			 guid[16];
	const uint8_t		*data;	/* points into the parsed buffer */
	size_t			 len;
};

struct snp_cert_table {
	struct snp_cert_entry	e[SNP_CERT_TABLE_MAX_ENTRIES];
	size_t			 n;
};

/*
 * snp_cert_table_parse reads the table in the |len| bytes at |buf|
 * strictly: the terminator is present; every entry has a non-zero length
 * and lies inside the buffer after the entries (checked by subtraction);
 * no two entries overlap; a known GUID appears at most once; and every
 * byte that is neither entry header nor entry data is zero (the host pads
 * to whole pages).  Entries with other GUIDs are kept as SNP_CERT_OTHER
 * and their contents never used.  |out| holds views into |buf| and lives
 * no longer than it.  Errors: VOUCH_ERR_TRUNCATED (no terminator),
 * VOUCH_ERR_TOO_LARGE, VOUCH_ERR_BAD_FIELD (bounds, overlap, duplicate,
 * zero GUID with data), VOUCH_ERR_RESERVED_NONZERO (padding).
 */
enum vouch_err	snp_cert_table_parse(struct vouch_ctx *ctx, const uint8_t *buf,
		    size_t len, struct snp_cert_table *out) VOUCH_MUST_CHECK;

/* The kind of a 16-byte GUID as it appears in a table. */
enum snp_cert_kind snp_cert_kind_of(const uint8_t guid[16]);
/* The 16 table bytes of a known |kind| (not SNP_CERT_OTHER). */
const uint8_t	*snp_cert_guid(enum snp_cert_kind kind);
const char	*snp_cert_kind_name(enum snp_cert_kind kind);

#endif
