/* SPDX-License-Identifier: Apache-2.0 */
/*
 * DCAP quote parser (dcap.h): versions 3, 4 and 5, field by field in the
 * order of Intel's "TDX DCAP Quote Generation Library and Quote
 * Verification Library" (rev. 0.9) §A.3 (quote v4) and §A.4 (quote v5),
 * and the "SGX ECDSA Quote Library API" §A.4 (quote v3).  Every read goes
 * through the bounds-checked cursor; every declared length is checked
 * against the bytes left before anything is sliced.
 *
 * Inside the quote there is no slack: the signature data length must be
 * exactly what its fields use, the QE report certification data (type 6)
 * size exactly its contents (VOUCH_ERR_TRAILING_DATA otherwise).  Bytes
 * after the signature data are not part of the quote (padding of real
 * buffers) and are only counted.
 */
#include <string.h>

#include "bs/bs.h"
#include "platform/dcap.h"

const uint8_t dcap_intel_qe_vendor_id[16] = {
	0x93, 0x9a, 0x72, 0x33, 0xf7, 0x9c, 0x4c, 0xa9,
	0x94, 0x0a, 0x0d, 0xb3, 0x95, 0x7f, 0x06, 0x07,
};

static bool
get_u64le_bytes(struct cbs *c, uint8_t raw[8], uint64_t *v)
{
	size_t i;

	if (!cbs_copy(c, raw, 8)) {
		return false;
	}
	*v = 0;
	for (i = 0; i < 8; i++) {
		*v |= (uint64_t)raw[i] << (8 * i);
	}
	return true;
}

/* |n| reserved bytes that must be zero. */
static enum vouch_err
reserved(struct vouch_ctx *ctx, struct cbs *c, size_t n, const char *what)
{
	struct cbs r;

	if (!cbs_get_bytes(c, &r, n)) {
		return vouch_fail(ctx, VOUCH_ERR_TRUNCATED, "dcap: %s", what);
	}
	if (!cbs_is_all_zero(&r)) {
		return vouch_fail(ctx, VOUCH_ERR_RESERVED_NONZERO,
		    "dcap: %s is not zero", what);
	}
	return VOUCH_OK;
}

/* SGX report body, 384 bytes (SDM Vol. 3D 38.15, sgx_report_body_t). */
enum vouch_err
dcap_sgx_report_parse(struct vouch_ctx *ctx, const uint8_t *buf, size_t len,
    struct dcap_sgx_report *r)
{
	struct cbs c;
	uint8_t raw[8];
	enum vouch_err rv;

	memset(r, 0, sizeof(*r));
	if (len != DCAP_SGX_REPORT_LEN) {
		return vouch_fail(ctx, len < DCAP_SGX_REPORT_LEN ?
		    VOUCH_ERR_TRUNCATED : VOUCH_ERR_TRAILING_DATA,
		    "dcap: an SGX report body has %u bytes, not %zu",
		    DCAP_SGX_REPORT_LEN, len);
	}
	cbs_init(&c, buf, len);
	if (!cbs_copy(&c, r->cpusvn, sizeof(r->cpusvn)) ||
	    !cbs_get_u32le(&c, &r->miscselect)) {
		return vouch_fail(ctx, VOUCH_ERR_TRUNCATED, "dcap: report");
	}
	if ((rv = reserved(ctx, &c, 12, "SGX report reserved1")) != VOUCH_OK) {
		return rv;
	}
	if (!cbs_copy(&c, r->isv_ext_prod_id, sizeof(r->isv_ext_prod_id))) {
		return vouch_fail(ctx, VOUCH_ERR_TRUNCATED, "dcap: report");
	}
	memcpy(r->attributes, cbs_data(&c), 16);
	if (!get_u64le_bytes(&c, raw, &r->attr_flags) ||
	    !get_u64le_bytes(&c, raw, &r->attr_xfrm) ||
	    !cbs_copy(&c, r->mrenclave, sizeof(r->mrenclave))) {
		return vouch_fail(ctx, VOUCH_ERR_TRUNCATED, "dcap: report");
	}
	if ((rv = reserved(ctx, &c, 32, "SGX report reserved2")) != VOUCH_OK) {
		return rv;
	}
	if (!cbs_copy(&c, r->mrsigner, sizeof(r->mrsigner))) {
		return vouch_fail(ctx, VOUCH_ERR_TRUNCATED, "dcap: report");
	}
	if ((rv = reserved(ctx, &c, 32, "SGX report reserved3")) != VOUCH_OK) {
		return rv;
	}
	if (!cbs_copy(&c, r->config_id, sizeof(r->config_id)) ||
	    !cbs_get_u16le(&c, &r->isv_prod_id) ||
	    !cbs_get_u16le(&c, &r->isv_svn) ||
	    !cbs_get_u16le(&c, &r->config_svn)) {
		return vouch_fail(ctx, VOUCH_ERR_TRUNCATED, "dcap: report");
	}
	if ((rv = reserved(ctx, &c, 42, "SGX report reserved4")) != VOUCH_OK) {
		return rv;
	}
	if (!cbs_copy(&c, r->isv_family_id, sizeof(r->isv_family_id)) ||
	    !cbs_copy(&c, r->report_data, sizeof(r->report_data)) ||
	    !cbs_is_empty(&c)) {
		return vouch_fail(ctx, VOUCH_ERR_INTERNAL, "dcap: report layout");
	}
	return VOUCH_OK;
}

/* TD report body: TDX 1.0 (584 bytes) or 1.5 (648), §A.3.2 / §A.4.2. */
static enum vouch_err
td_report_parse(struct vouch_ctx *ctx, struct cbs *body, bool v15,
    struct dcap_td_report *t)
{
	uint8_t raw[8];
	size_t i;

	memset(t, 0, sizeof(*t));
	t->v15 = v15;
	if (!cbs_copy(body, t->tee_tcb_svn, sizeof(t->tee_tcb_svn)) ||
	    !cbs_copy(body, t->mrseam, sizeof(t->mrseam)) ||
	    !cbs_copy(body, t->mrsignerseam, sizeof(t->mrsignerseam)) ||
	    !get_u64le_bytes(body, raw, &t->seam_attributes) ||
	    !get_u64le_bytes(body, raw, &t->td_attributes) ||
	    !get_u64le_bytes(body, raw, &t->xfam) ||
	    !cbs_copy(body, t->mrtd, sizeof(t->mrtd)) ||
	    !cbs_copy(body, t->mrconfigid, sizeof(t->mrconfigid)) ||
	    !cbs_copy(body, t->mrowner, sizeof(t->mrowner)) ||
	    !cbs_copy(body, t->mrownerconfig, sizeof(t->mrownerconfig))) {
		return vouch_fail(ctx, VOUCH_ERR_TRUNCATED, "dcap: TD report");
	}
	for (i = 0; i < 4; i++) {
		if (!cbs_copy(body, t->rtmr[i], sizeof(t->rtmr[i]))) {
			return vouch_fail(ctx, VOUCH_ERR_TRUNCATED,
			    "dcap: TD report");
		}
	}
	if (!cbs_copy(body, t->report_data, sizeof(t->report_data)) ||
	    (v15 && (!cbs_copy(body, t->tee_tcb_svn2,
	    sizeof(t->tee_tcb_svn2)) ||
	    !cbs_copy(body, t->mrservicetd, sizeof(t->mrservicetd)))) ||
	    !cbs_is_empty(body)) {
		return vouch_fail(ctx, VOUCH_ERR_INTERNAL, "dcap: TD layout");
	}
	return VOUCH_OK;
}

/*
 * The QE report certification data (type 6 in v4/v5; the same fields
 * directly in v3): QE report, its signature, the QE authentication data
 * and the PCK chain (type 5).  |c| must be consumed exactly.
 */
static enum vouch_err
qe_cert_data_parse(struct vouch_ctx *ctx, struct cbs *c, struct dcap_quote *q)
{
	struct cbs rep, auth, chain;
	uint16_t type;
	uint32_t size;
	enum vouch_err rv;

	if (!cbs_get_bytes(c, &rep, DCAP_SGX_REPORT_LEN)) {
		return vouch_fail(ctx, VOUCH_ERR_TRUNCATED,
		    "dcap: QE report truncated");
	}
	q->qe_report_p = cbs_data(&rep);
	rv = dcap_sgx_report_parse(ctx, cbs_data(&rep), cbs_len(&rep),
	    &q->qe_report);
	if (rv != VOUCH_OK) {
		return rv;
	}
	if (!cbs_copy(c, q->qe_report_sig, sizeof(q->qe_report_sig))) {
		return vouch_fail(ctx, VOUCH_ERR_TRUNCATED,
		    "dcap: QE report signature truncated");
	}
	if (!cbs_get_u16le_prefixed(c, &auth)) {
		return vouch_fail(ctx, VOUCH_ERR_TRUNCATED,
		    "dcap: QE authentication data longer than the bytes left");
	}
	q->qe_auth = cbs_data(&auth);
	q->qe_auth_len = cbs_len(&auth);
	if (!cbs_get_u16le(c, &type) || !cbs_get_u32le(c, &size)) {
		return vouch_fail(ctx, VOUCH_ERR_TRUNCATED,
		    "dcap: certification data header truncated");
	}
	if (type != DCAP_CERT_PCK_CHAIN) {
		return vouch_fail(ctx, VOUCH_ERR_UNSUPPORTED_VERSION,
		    "dcap: certification data type %u inside the QE report "
		    "data, expected 5 (PCK certificate chain)", type);
	}
	if (size > cbs_len(c)) {
		return vouch_fail(ctx, VOUCH_ERR_TRUNCATED,
		    "dcap: PCK chain size %u, %zu bytes left", size, cbs_len(c));
	}
	if (size == 0 || !cbs_get_bytes(c, &chain, size)) {
		return vouch_fail(ctx, VOUCH_ERR_TRUNCATED,
		    "dcap: empty PCK chain");
	}
	q->pck_chain = cbs_data(&chain);
	q->pck_chain_len = cbs_len(&chain);
	if (!cbs_is_empty(c)) {
		return vouch_fail(ctx, VOUCH_ERR_TRAILING_DATA,
		    "dcap: %zu bytes after the PCK chain inside the signature "
		    "data", cbs_len(c));
	}
	return VOUCH_OK;
}

enum vouch_err
dcap_quote_parse(struct vouch_ctx *ctx, const uint8_t *buf, size_t len,
    struct dcap_quote *q)
{
	struct cbs c, body, sigdata, t6;
	uint32_t body_size, siglen, t6size;
	uint16_t type;
	size_t body_len, start;
	enum vouch_err rv;

	memset(q, 0, sizeof(*q));
	if (len > DCAP_QUOTE_MAX) {
		return vouch_fail(ctx, VOUCH_ERR_TOO_LARGE,
		    "dcap: %zu bytes, more than a quote (%u)", len,
		    DCAP_QUOTE_MAX);
	}
	cbs_init(&c, buf, len);
	/* Header (§A.3.1). */
	if (!cbs_get_u16le(&c, &q->version) ||
	    !cbs_get_u16le(&c, &q->att_key_type) ||
	    !cbs_get_u32le(&c, &q->tee_type) ||
	    !cbs_get_u16le(&c, &q->qe_svn) ||
	    !cbs_get_u16le(&c, &q->pce_svn) ||
	    !cbs_copy(&c, q->qe_vendor_id, sizeof(q->qe_vendor_id)) ||
	    !cbs_copy(&c, q->user_data, sizeof(q->user_data))) {
		return vouch_fail(ctx, VOUCH_ERR_TRUNCATED,
		    "dcap: shorter than the 48-byte quote header");
	}
	if (q->version < 3 || q->version > 5) {
		return vouch_fail(ctx, VOUCH_ERR_UNSUPPORTED_VERSION,
		    "dcap: quote version %u (3, 4 and 5 are known)", q->version);
	}
	if (q->att_key_type != DCAP_ATT_KEY_ECDSA_P256) {
		return vouch_fail(ctx, VOUCH_ERR_UNSUPPORTED_VERSION,
		    "dcap: attestation key type %u, only 2 (ECDSA P-256) is "
		    "supported", q->att_key_type);
	}
	if (q->tee_type != DCAP_TEE_SGX && q->tee_type != DCAP_TEE_TDX) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
		    "dcap: TEE type 0x%x (0 SGX, 0x81 TDX)", q->tee_type);
	}
	if (q->version == 3 && q->tee_type != DCAP_TEE_SGX) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
		    "dcap: a version 3 quote is SGX only");
	}
	if (memcmp(q->qe_vendor_id, dcap_intel_qe_vendor_id, 16) != 0) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
		    "dcap: QE vendor ID is not Intel's");
	}
	/* Body: its type and size in v5 (§A.4.2), from the TEE before. */
	if (q->version == 5) {
		if (!cbs_get_u16le(&c, &q->body_type) ||
		    !cbs_get_u32le(&c, &body_size)) {
			return vouch_fail(ctx, VOUCH_ERR_TRUNCATED,
			    "dcap: v5 body descriptor truncated");
		}
		switch (q->body_type) {
		case DCAP_BODY_SGX:
			body_len = DCAP_SGX_REPORT_LEN;
			break;
		case DCAP_BODY_TD10:
			body_len = DCAP_TD10_BODY_LEN;
			break;
		case DCAP_BODY_TD15:
			body_len = DCAP_TD15_BODY_LEN;
			break;
		default:
			return vouch_fail(ctx, VOUCH_ERR_UNSUPPORTED_VERSION,
			    "dcap: v5 body type %u (1 SGX, 2 TDX 1.0, 3 TDX 1.5)",
			    q->body_type);
		}
		if (body_size != body_len) {
			return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
			    "dcap: v5 body type %u has %zu bytes, the quote says "
			    "%u", q->body_type, body_len, body_size);
		}
		if ((q->body_type == DCAP_BODY_SGX) !=
		    (q->tee_type == DCAP_TEE_SGX)) {
			return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
			    "dcap: v5 body type %u with TEE type 0x%x",
			    q->body_type, q->tee_type);
		}
	} else if (q->tee_type == DCAP_TEE_TDX) {
		q->body_type = DCAP_BODY_TD10;
		body_len = DCAP_TD10_BODY_LEN;
	} else {
		q->body_type = DCAP_BODY_SGX;
		body_len = DCAP_SGX_REPORT_LEN;
	}
	if (!cbs_get_bytes(&c, &body, body_len)) {
		return vouch_fail(ctx, VOUCH_ERR_TRUNCATED,
		    "dcap: the %zu-byte body is truncated", body_len);
	}
	q->signed_p = buf;
	q->signed_len = cbs_offset(&c);
	if (q->body_type == DCAP_BODY_SGX) {
		rv = dcap_sgx_report_parse(ctx, cbs_data(&body), cbs_len(&body),
		    &q->sgx);
	} else {
		rv = td_report_parse(ctx, &body, q->body_type == DCAP_BODY_TD15,
		    &q->td);
	}
	if (rv != VOUCH_OK) {
		return rv;
	}

	/* Signature data (§A.3.3 / §A.4.3). */
	if (!cbs_get_u32le(&c, &siglen)) {
		return vouch_fail(ctx, VOUCH_ERR_TRUNCATED,
		    "dcap: no signature data length");
	}
	if (siglen > cbs_len(&c)) {
		return vouch_fail(ctx, VOUCH_ERR_TRUNCATED,
		    "dcap: signature data length %u, %zu bytes left", siglen,
		    cbs_len(&c));
	}
	start = cbs_offset(&c);
	if (!cbs_get_bytes(&c, &sigdata, siglen)) {
		return vouch_fail(ctx, VOUCH_ERR_TRUNCATED, "dcap: signature data");
	}
	q->quote_len = start + siglen;
	q->trailing = cbs_len(&c);
	if (!cbs_copy(&sigdata, q->sig, sizeof(q->sig)) ||
	    !cbs_copy(&sigdata, q->att_key, sizeof(q->att_key))) {
		return vouch_fail(ctx, VOUCH_ERR_TRUNCATED,
		    "dcap: signature or attestation key truncated");
	}
	if (q->version == 3) {
		return qe_cert_data_parse(ctx, &sigdata, q);
	}
	/* v4/v5: the QE report certification data, type 6. */
	if (!cbs_get_u16le(&sigdata, &type) ||
	    !cbs_get_u32le(&sigdata, &t6size)) {
		return vouch_fail(ctx, VOUCH_ERR_TRUNCATED,
		    "dcap: certification data header truncated");
	}
	if (type != DCAP_CERT_QE_REPORT) {
		return vouch_fail(ctx, VOUCH_ERR_UNSUPPORTED_VERSION,
		    "dcap: certification data type %u, expected 6 (QE report "
		    "certification data)", type);
	}
	if (t6size > cbs_len(&sigdata)) {
		return vouch_fail(ctx, VOUCH_ERR_TRUNCATED,
		    "dcap: certification data size %u, %zu bytes left", t6size,
		    cbs_len(&sigdata));
	}
	if (t6size != cbs_len(&sigdata)) {
		return vouch_fail(ctx, VOUCH_ERR_TRAILING_DATA,
		    "dcap: %zu bytes after the certification data inside the "
		    "signature data", cbs_len(&sigdata) - t6size);
	}
	if (!cbs_get_bytes(&sigdata, &t6, t6size)) {
		return vouch_fail(ctx, VOUCH_ERR_TRUNCATED, "dcap: certification");
	}
	return qe_cert_data_parse(ctx, &t6, q);
}
