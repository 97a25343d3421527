/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The SEV-SNP extended guest request certificate table (snp_certs.h).
 * The host writes it, so it is untrusted: every offset and length is
 * checked by subtraction, and the certificates it carries are only ever
 * candidates for a chain that must end in a pinned ARK (snp.c).
 */
#include <string.h>

#include "bs/bs.h"
#include "platform/snp_certs.h"

/*= GHCB specification (56421) 2.03, Table 14, certificate GUIDs; the CRL
 *# GUID is the one virtee/sev and the AMD host tools use. */
static const struct {
	enum snp_cert_kind	 kind;
	const char		*name;
	uint8_t			 guid[16];
} known[] = {
	{ SNP_CERT_ARK, "ARK", { 0xc0, 0xb4, 0x06, 0xa4, 0xa8, 0x03, 0x49,
	    0x52, 0x97, 0x43, 0x3f, 0xb6, 0x01, 0x4c, 0xd0, 0xae } },
	{ SNP_CERT_ASK, "ASK", { 0x4a, 0xb7, 0xb3, 0x79, 0xbb, 0xac, 0x4f,
	    0xe4, 0xa0, 0x2f, 0x05, 0xae, 0xf3, 0x27, 0xc7, 0x82 } },
	{ SNP_CERT_VCEK, "VCEK", { 0x63, 0xda, 0x75, 0x8d, 0xe6, 0x64, 0x45,
	    0x64, 0xad, 0xc5, 0xf4, 0xb9, 0x3b, 0xe8, 0xac, 0xcd } },
	{ SNP_CERT_VLEK, "VLEK", { 0xa8, 0x07, 0x4b, 0xc2, 0xa2, 0x5a, 0x48,
	    0x3e, 0xaa, 0xe6, 0x39, 0xc0, 0x45, 0xa0, 0xb8, 0xa1 } },
	{ SNP_CERT_CRL, "CRL", { 0x92, 0xf8, 0x1b, 0xc3, 0x58, 0x11, 0x4d,
	    0x3d, 0x97, 0xff, 0xd1, 0x9f, 0x88, 0xdc, 0x67, 0xea } },
};
#define NKNOWN	(sizeof(known) / sizeof(known[0]))

enum snp_cert_kind
snp_cert_kind_of(const uint8_t guid[16])
{
	size_t i;

	for (i = 0; i < NKNOWN; i++) {
		if (memcmp(known[i].guid, guid, 16) == 0) {
			return known[i].kind;
		}
	}
	return SNP_CERT_OTHER;
}

const uint8_t *
snp_cert_guid(enum snp_cert_kind kind)
{
	size_t i;

	for (i = 0; i < NKNOWN; i++) {
		if (known[i].kind == kind) {
			return known[i].guid;
		}
	}
	return NULL;
}

const char *
snp_cert_kind_name(enum snp_cert_kind kind)
{
	size_t i;

	for (i = 0; i < NKNOWN; i++) {
		if (known[i].kind == kind) {
			return known[i].name;
		}
	}
	return "other";
}

static bool
is_zero(const uint8_t *p, size_t n)
{
	size_t i;
	uint8_t acc = 0;

	for (i = 0; i < n; i++) {
		acc |= p[i];
	}
	return acc == 0;
}

enum vouch_err
snp_cert_table_parse(struct vouch_ctx *ctx, const uint8_t *buf, size_t len,
    struct snp_cert_table *out)
{
	struct cbs c;
	uint8_t guid[16];
	uint32_t off[SNP_CERT_TABLE_MAX_ENTRIES], o, n;
	size_t order[SNP_CERT_TABLE_MAX_ENTRIES];
	size_t hdr_end, i, j, k, pos, lo;
	struct snp_cert_entry *e;

	memset(out, 0, sizeof(*out));
	if (len > SNP_CERT_TABLE_MAX_BYTES) {
		return vouch_fail(ctx, VOUCH_ERR_TOO_LARGE,
		    "snp: certificate table of %zu bytes exceeds %u", len,
		    SNP_CERT_TABLE_MAX_BYTES);
	}
	cbs_init(&c, buf, len);
	/*= GHCB 56421, SNP Extended Guest Request: the certificate table is
	 *# an array of { GUID, offset, length } entries ended by an entry
	 *# whose GUID, offset and length are all zero. */
	for (;;) {
		if (!cbs_copy(&c, guid, sizeof(guid)) ||
		    !cbs_get_u32le(&c, &o) || !cbs_get_u32le(&c, &n)) {
			return vouch_fail(ctx, VOUCH_ERR_TRUNCATED, "snp: "
			    "certificate table ends before its terminator");
		}
		if (is_zero(guid, sizeof(guid))) {
			if (o != 0 || n != 0) {
				return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
				    "snp: certificate table entry %zu has a zero "
				    "GUID but data", out->n);
			}
			break;
		}
		if (out->n >= SNP_CERT_TABLE_MAX_ENTRIES) {
			return vouch_fail(ctx, VOUCH_ERR_TOO_LARGE,
			    "snp: certificate table has more than %u entries",
			    SNP_CERT_TABLE_MAX_ENTRIES);
		}
		e = &out->e[out->n];
		memcpy(e->guid, guid, sizeof(guid));
		e->kind = snp_cert_kind_of(guid);
		e->len = n;
		off[out->n] = o;
		out->n++;
	}
	hdr_end = cbs_offset(&c);
	for (i = 0; i < out->n; i++) {
		e = &out->e[i];
		if (e->len == 0) {
			return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
			    "snp: certificate table entry %zu is empty", i);
		}
		if (off[i] < hdr_end || off[i] > len || e->len > len - off[i]) {
			return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
			    "snp: certificate table entry %zu (offset %u, "
			    "length %zu) is not inside the data after the "
			    "entries (%zu..%zu)", i, off[i], e->len, hdr_end,
			    len);
		}
		e->data = buf + off[i];
		for (j = 0; j < i; j++) {
			if (e->kind != SNP_CERT_OTHER &&
			    out->e[j].kind == e->kind) {
				return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
				    "snp: certificate table lists the %s twice",
				    snp_cert_kind_name(e->kind));
			}
		}
		/* Insertion sort by offset: at most 16 entries. */
		for (k = i; k > 0 && off[order[k - 1]] > off[i]; k--) {
			order[k] = order[k - 1];
		}
		order[k] = i;
	}
	/*
	 * In offset order: no entry starts before the previous one ended,
	 * and every byte between them (and after the last) is zero.
	 */
	pos = hdr_end;
	for (k = 0; k < out->n; k++) {
		i = order[k];
		lo = off[i];
		if (lo < pos) {
			return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
			    "snp: certificate table entry %zu overlaps another "
			    "entry", i);
		}
		if (!is_zero(buf + pos, lo - pos)) {
			return vouch_fail(ctx, VOUCH_ERR_RESERVED_NONZERO,
			    "snp: certificate table has non-zero bytes between "
			    "its entries");
		}
		pos = lo + out->e[i].len;
	}
	if (!is_zero(buf + pos, len - pos)) {
		return vouch_fail(ctx, VOUCH_ERR_RESERVED_NONZERO,
		    "snp: certificate table has non-zero bytes after its "
		    "entries");
	}
	return VOUCH_OK;
}
