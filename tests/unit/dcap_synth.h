/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A synthetic DCAP hierarchy and quote builder for the unit tests (and
 * for making the committed fuzz corpora): what real Intel data cannot
 * reach.  Header-only, static functions; include after <cmocka.h>.
 *
 *   root ("Intel SGX Root CA", self-signed P-256, a TEST root: pin it
 *   with dsy->pin), "Intel SGX PCK Platform CA" under it, a PCK leaf with
 *   the SGX extension (SGX PCK Certificate Profile §1.3.5) the caller
 *   describes, and "Intel SGX TCB Signing" under the root.
 *
 * dsy_quote builds a quote v3 (SGX ECDSA Quote Library API §A.4), v4
 * (TDX DCAP QGL/QVL rev. 0.9 §A.3) or v5 (§A.4): header || [type || size]
 * || body, signed with a fresh attestation P-256 key (raw r||s), the QE
 * report signed by the PCK leaf key, the QE report data
 * SHA-256(att_key || auth) || 0^32 unless told not to, and the PEM chain
 * leaf, intermediate, root.
 */
#ifndef VOUCH_TEST_DCAP_SYNTH_H
#define VOUCH_TEST_DCAP_SYNTH_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "crypto/crypto.h"
#include "platform/dcap.h"

#if defined(__GNUC__)
#define DSY_UNUSED __attribute__((unused))
#else
#define DSY_UNUSED
#endif

#define DSY_NOT_BEFORE	1735689600	/* 2025-01-01 */
#define DSY_NOT_AFTER	1924992000	/* 2031-01-01 */

/* What the PCK leaf's SGX extension says. */
struct dsy_pck {
	uint8_t		fmspc[6];
	uint8_t		pceid[2];
	uint8_t		comp_svn[16];
	uint16_t	pcesvn;
	uint8_t		cpusvn[16];
};

struct dsy {
	EVP_PKEY	*root_key, *ca_key, *pck_key, *tcb_key;
	X509		*root, *ca, *pck, *tcb;
	uint8_t		 pin[32];	/* SHA-256 of the root's SPKI */
	char		*chain_pem;	/* leaf, intermediate, root */
	size_t		 chain_len;
};

/* What dsy_quote builds. */
struct dsy_quote_spec {
	uint16_t	 version;	/* 3, 4 or 5 */
	uint32_t	 tee_type;	/* DCAP_TEE_SGX or DCAP_TEE_TDX */
	const uint8_t	*body;		/* 384 (SGX), 584 (TD10) or 648 (TD15) */
	size_t		 body_len;
	const uint8_t	*qe_report;	/* 384 bytes */
	const uint8_t	*auth;		/* QE authentication data */
	size_t		 auth_len;
	bool		 keep_report_data;	/* don't fill the QE report_data */
};

static size_t DSY_UNUSED
dsy_tlv(uint8_t *out, uint8_t tag, const uint8_t *v, size_t n)
{
	size_t h = 2;

	out[0] = tag;
	if (n < 0x80) {
		out[1] = (uint8_t)n;
	} else if (n < 0x100) {
		out[1] = 0x81;
		out[2] = (uint8_t)n;
		h = 3;
	} else {
		out[1] = 0x82;
		out[2] = (uint8_t)(n >> 8);
		out[3] = (uint8_t)n;
		h = 4;
	}
	memmove(out + h, v, n);
	return h + n;
}

static size_t DSY_UNUSED
dsy_der_uint(uint8_t *out, unsigned v)
{
	uint8_t b[3];
	size_t n = 0;

	if (v >= 0x8000) {
		b[n++] = 0;
		b[n++] = (uint8_t)(v >> 8);
	} else if (v >= 0x100) {
		b[n++] = (uint8_t)(v >> 8);
	} else if (v >= 0x80) {
		b[n++] = 0;
	}
	b[n++] = (uint8_t)v;
	return dsy_tlv(out, 0x02, b, n);
}

/* SEQUENCE { OID 1.2.840.113741.1.13.1.a[.b], value } */
static size_t DSY_UNUSED
dsy_member(uint8_t *out, int a, int b, const uint8_t *val, size_t vn)
{
	uint8_t oid[16] = { 0x2a, 0x86, 0x48, 0x86, 0xf8, 0x4d, 0x01, 0x0d,
	    0x01 }, body[512];
	size_t on = 9, n;

	oid[on++] = (uint8_t)a;
	if (b > 0) {
		oid[on++] = (uint8_t)b;
	}
	n = dsy_tlv(body, 0x06, oid, on);
	memcpy(body + n, val, vn);
	return dsy_tlv(out, 0x30, body, n + vn);
}

/* The SGX extension value (§1.3.5) for |p|; PPID 0x11.., type Standard. */
static size_t DSY_UNUSED
dsy_sgx_extension(const struct dsy_pck *p, uint8_t *out)
{
	uint8_t seq[2048], tcb[1024], v[64], m[1024], ppid[16];
	size_t n = 0, tn = 0, vn, i;

	memset(ppid, 0x11, sizeof(ppid));
	for (i = 0; i < 16; i++) {
		vn = dsy_der_uint(v, p->comp_svn[i]);
		tn += dsy_member(tcb + tn, 2, (int)i + 1, v, vn);
	}
	vn = dsy_der_uint(v, p->pcesvn);
	tn += dsy_member(tcb + tn, 2, 17, v, vn);
	vn = dsy_tlv(v, 0x04, p->cpusvn, 16);
	tn += dsy_member(tcb + tn, 2, 18, v, vn);
	vn = dsy_tlv(v, 0x04, ppid, 16);
	n += dsy_member(seq + n, 1, 0, v, vn);
	vn = dsy_tlv(m, 0x30, tcb, tn);
	n += dsy_member(seq + n, 2, 0, m, vn);
	vn = dsy_tlv(v, 0x04, p->pceid, 2);
	n += dsy_member(seq + n, 3, 0, v, vn);
	vn = dsy_tlv(v, 0x04, p->fmspc, 6);
	n += dsy_member(seq + n, 4, 0, v, vn);
	vn = dsy_tlv(v, 0x0a, (const uint8_t *)"\0", 1);
	n += dsy_member(seq + n, 5, 0, v, vn);
	return dsy_tlv(out, 0x30, seq, n);
}

static X509 * DSY_UNUSED
dsy_cert(const char *cn, EVP_PKEY *key, X509 *issuer, EVP_PKEY *issuer_key,
    bool ca, const uint8_t *ext, size_t ext_len)
{
	struct vouch_cert_spec spec;
	X509 *x = NULL;

	memset(&spec, 0, sizeof(spec));
	spec.common_name = cn;
	spec.organization = "Intel Corporation";
	spec.not_before = DSY_NOT_BEFORE;
	spec.not_after = DSY_NOT_AFTER;
	spec.is_ca = ca;
	spec.path_len = ca ? (issuer == NULL ? 1 : 0) : -1;
	if (ext != NULL) {
		spec.ext_oid = "1.2.840.113741.1.13.1";
		spec.ext_der = ext;
		spec.ext_der_len = ext_len;
	}
	assert_int_equal(vouch_cert_build(NULL, &spec, key, issuer,
	    issuer_key != NULL ? issuer_key : key, &x), VOUCH_OK);
	return x;
}

static void DSY_UNUSED
dsy_pem_append(char **buf, size_t *len, X509 *x)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *p;
	long n;

	assert_non_null(b);
	assert_int_equal(PEM_write_bio_X509(b, x), 1);
	n = BIO_get_mem_data(b, &p);
	*buf = realloc(*buf, *len + (size_t)n + 1);
	assert_non_null(*buf);
	memcpy(*buf + *len, p, (size_t)n);
	*len += (size_t)n;
	(*buf)[*len] = '\0';
	BIO_free(b);
}

static EVP_PKEY * DSY_UNUSED
dsy_p256(void)
{
	EVP_PKEY *k = EVP_EC_gen("P-256");

	assert_non_null(k);
	return k;
}

static void DSY_UNUSED
dsy_init(struct dsy *s, const struct dsy_pck *p)
{
	uint8_t ext[4096];
	size_t n;

	memset(s, 0, sizeof(*s));
	s->root_key = dsy_p256();
	s->ca_key = dsy_p256();
	s->pck_key = dsy_p256();
	s->tcb_key = dsy_p256();
	s->root = dsy_cert("Intel SGX Root CA", s->root_key, NULL, NULL, true,
	    NULL, 0);
	s->ca = dsy_cert("Intel SGX PCK Platform CA", s->ca_key, s->root,
	    s->root_key, true, NULL, 0);
	n = dsy_sgx_extension(p, ext);
	s->pck = dsy_cert("Intel SGX PCK Certificate", s->pck_key, s->ca,
	    s->ca_key, false, ext, n);
	s->tcb = dsy_cert("Intel SGX TCB Signing", s->tcb_key, s->root,
	    s->root_key, false, NULL, 0);
	assert_int_equal(vouch_key_spki_sha256(NULL, X509_get0_pubkey(s->root),
	    s->pin), VOUCH_OK);
	dsy_pem_append(&s->chain_pem, &s->chain_len, s->pck);
	dsy_pem_append(&s->chain_pem, &s->chain_len, s->ca);
	dsy_pem_append(&s->chain_pem, &s->chain_len, s->root);
}

static void DSY_UNUSED
dsy_free(struct dsy *s)
{
	EVP_PKEY_free(s->root_key);
	EVP_PKEY_free(s->ca_key);
	EVP_PKEY_free(s->pck_key);
	EVP_PKEY_free(s->tcb_key);
	X509_free(s->root);
	X509_free(s->ca);
	X509_free(s->pck);
	X509_free(s->tcb);
	free(s->chain_pem);
	memset(s, 0, sizeof(*s));
}

static void DSY_UNUSED
dsy_put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void DSY_UNUSED
dsy_put32(uint8_t *p, uint32_t v)
{
	dsy_put16(p, v & 0xffff);
	dsy_put16(p + 2, v >> 16);
}

/* A malloc'd quote of *out_len bytes, as |sp| says, signed in |s|. */
static uint8_t * DSY_UNUSED
dsy_quote(const struct dsy *s, const struct dsy_quote_spec *sp,
    size_t *out_len)
{
	uint8_t *q, qe[384], sig[64], qsig[64], xy[65], hash[32];
	size_t hdr = sp->version == 5 ? 54 : 48, signed_len, n, kn;
	size_t qe_data_len, siglen;
	unsigned int hn = 0;
	uint16_t body_type;
	EVP_PKEY *ak = dsy_p256();
	EVP_MD_CTX *md;

	assert_true(sp->version >= 3 && sp->version <= 5);
	assert_int_equal(sp->qe_report != NULL, 1);
	assert_true(sp->auth_len <= 0xffff);
	signed_len = hdr + sp->body_len;
	qe_data_len = 384 + 64 + 2 + sp->auth_len + 6 + s->chain_len;
	siglen = 64 + 64 + (sp->version == 3 ? 0 : 6) + qe_data_len;
	*out_len = signed_len + 4 + siglen;
	q = calloc(1, *out_len);
	assert_non_null(q);

	/* Header (§A.3.1) [|| body type || body size (§A.4.2)] || body. */
	dsy_put16(q, sp->version);
	dsy_put16(q + 2, DCAP_ATT_KEY_ECDSA_P256);
	dsy_put32(q + 4, sp->tee_type);
	dsy_put16(q + 8, 4);	/* QE SVN */
	dsy_put16(q + 10, 13);	/* PCE SVN */
	memcpy(q + 12, dcap_intel_qe_vendor_id, 16);
	if (sp->version == 5) {
		body_type = sp->body_len == DCAP_SGX_REPORT_LEN ? DCAP_BODY_SGX :
		    sp->body_len == DCAP_TD10_BODY_LEN ? DCAP_BODY_TD10 :
		    DCAP_BODY_TD15;
		dsy_put16(q + 48, body_type);
		dsy_put32(q + 50, (uint32_t)sp->body_len);
	}
	memcpy(q + hdr, sp->body, sp->body_len);
	assert_int_equal(vouch_ecdsa_sign_raw(NULL, ak, q, signed_len, sig,
	    sizeof(sig)), VOUCH_OK);
	assert_int_equal(EVP_PKEY_get_octet_string_param(ak,
	    OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, xy, sizeof(xy), &kn), 1);
	assert_int_equal(kn, 65);
	EVP_PKEY_free(ak);

	/* QE report: report_data = SHA-256(att_key || auth) || 0^32. */
	memcpy(qe, sp->qe_report, sizeof(qe));
	if (!sp->keep_report_data) {
		md = EVP_MD_CTX_new();
		assert_true(md != NULL &&
		    EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1 &&
		    EVP_DigestUpdate(md, xy + 1, 64) == 1 &&
		    EVP_DigestUpdate(md, sp->auth, sp->auth_len) == 1 &&
		    EVP_DigestFinal_ex(md, hash, &hn) == 1);
		EVP_MD_CTX_free(md);
		memcpy(qe + 320, hash, 32);
		memset(qe + 352, 0, 32);
	}
	assert_int_equal(vouch_ecdsa_sign_raw(NULL, s->pck_key, qe, sizeof(qe),
	    qsig, sizeof(qsig)), VOUCH_OK);

	/* Signature data (§A.3.3 / §A.4.3). */
	n = signed_len;
	dsy_put32(q + n, (uint32_t)siglen);
	n += 4;
	memcpy(q + n, sig, 64);
	n += 64;
	memcpy(q + n, xy + 1, 64);
	n += 64;
	if (sp->version != 3) {
		dsy_put16(q + n, DCAP_CERT_QE_REPORT);
		dsy_put32(q + n + 2, (uint32_t)qe_data_len);
		n += 6;
	}
	memcpy(q + n, qe, 384);
	n += 384;
	memcpy(q + n, qsig, 64);
	n += 64;
	dsy_put16(q + n, (unsigned)sp->auth_len);
	if (sp->auth_len > 0) {
		memcpy(q + n + 2, sp->auth, sp->auth_len);
	}
	n += 2 + sp->auth_len;
	dsy_put16(q + n, DCAP_CERT_PCK_CHAIN);
	dsy_put32(q + n + 2, (uint32_t)s->chain_len);
	n += 6;
	memcpy(q + n, s->chain_pem, s->chain_len);
	n += s->chain_len;
	assert_int_equal(n, *out_len);
	return q;
}

#endif
