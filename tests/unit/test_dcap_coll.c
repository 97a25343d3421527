/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lib/platform/dcap_coll.c: TCB Info, QE Identity and the dcap-qvl bundle
 * on real Intel collateral read in place from $VOUCH_TESTDATA (never
 * copied), the signed spans checked with the TCB Signing key, TCB level
 * matching against the samples of tdx/PROVENANCE.md and sgx/PROVENANCE.md,
 * and strictness on mutated copies built in memory.
 *
 * The PCK values (SGX TCB component SVNs, PCESVN) are written out by hand
 * below: read from each quote's PCK leaf certificate with
 *   openssl asn1parse (SGX extension 1.2.840.113741.1.13.1.2.1..17)
 * because the PCK extension parser (dcap_pck.c) is tested on its own.
 * TEE_TCB_SVN, MRSIGNERSEAM, SEAMATTRIBUTES and the QE report are read
 * from the quote bytes here.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "bs/bs.h"
#include "bs/json.h"
#include "platform/dcap.h"
#include "snp_testdata.h"

#define TCB_SIGNER	"certs/intel/Intel_SGX_TCB_Signing_2018-2025.pem"
#define T1_TCB		"tdx/gtg_collateral/tcbinfo_50806f000000.json"
#define T1_QE		"tdx/gtg_collateral/qe_identity_td_qe.json"
#define T1_QUOTE	"tdx/gtg_spr_e4_quote_v4.dat"
#define T2_TCB		"tdx/gtg_collateral/tcbinfo_90c06f000000.json"
#define T2_QUOTE	"tdx/gtg_quote_v5_sample.dat"
#define T4_TCB		"tdx/trustee_collateral/tcbInfo_00a06d080000.json"
#define T4_QE		"tdx/trustee_collateral/enclaveIdentity_td_qe.json"
#define T4_QUOTE	"tdx/trustee_tdx_quote_6.dat"
#define T5_BUNDLE	"tdx/phala_tdx_quote_collateral.json"
#define T5_QUOTE	"tdx/phala_tdx_quote.dat"
#define G2_TCB		"sgx/mc_collateral/tcbinfo_00906ED50000_2023_07_12.json"
#define G2_QE		"sgx/mc_collateral/qe_identity.json"
#define G2_QUOTE	"sgx/mc_hw_quote_v3.dat"

static struct dcap_tcb_info ti;	/* large: keep off the stack */
static struct dcap_qe_identity qi;

static int
setup(void **state)
{
	(void)state;
	snp_testdata_find();
	return 0;
}

static uint16_t
le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t
le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static uint64_t
le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

static int64_t
date(const char *s)
{
	int64_t t;

	assert_true(vouch_time_parse_rfc3339(s, &t));
	return t;
}

static EVP_PKEY *
pem_key(const char *pem, size_t len)
{
	BIO *b = BIO_new_mem_buf(pem, (int)len);
	X509 *x;
	EVP_PKEY *k;

	assert_non_null(b);
	x = PEM_read_bio_X509(b, NULL, NULL, NULL);
	assert_non_null(x);
	k = X509_get_pubkey(x);
	assert_non_null(k);
	X509_free(x);
	BIO_free(b);
	return k;
}

static EVP_PKEY *
tcb_signer(void)
{
	struct blob b = td(TCB_SIGNER);
	EVP_PKEY *k = pem_key((const char *)b.p, b.n);

	free(b.p);
	return k;
}

/* ECDSA P-256 / SHA-256, the raw r||s re-encoded as DER. */
static bool
verify_sig(EVP_PKEY *k, const uint8_t *msg, size_t n, const uint8_t sig[64])
{
	ECDSA_SIG *s = ECDSA_SIG_new();
	BIGNUM *r = BN_bin2bn(sig, 32, NULL), *ss = BN_bin2bn(sig + 32, 32,
	    NULL);
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char *der = NULL;
	int dl, ok;

	assert_non_null(s);
	assert_non_null(md);
	assert_int_equal(ECDSA_SIG_set0(s, r, ss), 1);
	dl = i2d_ECDSA_SIG(s, &der);
	assert_true(dl > 0);
	assert_int_equal(EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, k),
	    1);
	ok = EVP_DigestVerify(md, der, (size_t)dl, msg, n);
	EVP_MD_CTX_free(md);
	OPENSSL_free(der);
	ECDSA_SIG_free(s);
	return ok == 1;
}

/* The span verifies, and no longer does with any one byte changed. */
static void
check_span(EVP_PKEY *k, const struct dcap_signed_json *sj)
{
	uint8_t *copy;
	size_t i;

	assert_true(sj->signed_len > 2);
	assert_int_equal(sj->signed_p[0], '{');
	assert_int_equal(sj->signed_p[sj->signed_len - 1], '}');
	assert_true(verify_sig(k, sj->signed_p, sj->signed_len, sj->sig));
	copy = malloc(sj->signed_len);
	assert_non_null(copy);
	memcpy(copy, sj->signed_p, sj->signed_len);
	for (i = 0; i < sj->signed_len; i++) {
		copy[i] ^= 0x01;
		assert_false(verify_sig(k, copy, sj->signed_len, sj->sig));
		copy[i] ^= 0x01;
	}
	/* One byte shorter or longer is not the signed text either. */
	assert_false(verify_sig(k, copy, sj->signed_len - 1, sj->sig));
	free(copy);
}

static void
test_status_names(void **state)
{
	static const char *const names[] = { "UpToDate", "SWHardeningNeeded",
	    "ConfigurationNeeded", "ConfigurationAndSWHardeningNeeded",
	    "OutOfDate", "OutOfDateConfigurationNeeded", "Revoked" };
	size_t i;

	(void)state;
	for (i = 0; i < 7; i++) {
		assert_int_equal(dcap_tcb_status_parse(names[i]), (int)i + 1);
		assert_string_equal(dcap_tcb_status_name(
		    dcap_tcb_status_parse(names[i])), names[i]);
	}
	assert_int_equal(dcap_tcb_status_parse("uptodate"), DCAP_TCB_UNKNOWN);
	assert_int_equal(dcap_tcb_status_parse("UpToDate "), DCAP_TCB_UNKNOWN);
	assert_int_equal(dcap_tcb_status_parse(""), DCAP_TCB_UNKNOWN);
	assert_int_equal(dcap_tcb_status_parse("TDRelaunchAdvised"),
	    DCAP_TCB_UNKNOWN);
	assert_int_equal(dcap_tcb_status_parse(NULL), DCAP_TCB_UNKNOWN);
	assert_string_equal(dcap_tcb_status_name(DCAP_TCB_UNKNOWN), "Unknown");
}

static const struct {
	const char	*file;
	bool		 tdx;
	const char	*fmspc;
	const char	*issue, *next;
	int		 eval;
	size_t		 n_levels, n_module_ids;
} real_tcb[] = {
	{ T1_TCB, true, "50806f000000", "2023-06-18T08:42:58Z",
	    "2023-07-18T08:42:58Z", 15, 2, 0 },
	{ T2_TCB, true, "90c06f000000", "2026-02-01T14:49:26Z",
	    "2026-03-03T14:49:26Z", 18, 3, 2 },
	{ T4_TCB, true, "00a06d080000", "2025-10-27T13:07:17Z",
	    "2025-11-26T13:07:17Z", 17, 2, 2 },
	{ G2_TCB, false, "00906ed50000", "2023-07-12T19:56:44Z",
	    "2023-08-11T19:56:44Z", 15, 17, 0 },
};

static void
fmspc_eq(const uint8_t got[6], const char *hex)
{
	uint8_t want[6];
	size_t n;

	assert_true(vouch_hex_decode(hex, 12, want, 6, &n));
	assert_memory_equal(got, want, 6);
}

static void
test_real_tcb_info(void **state)
{
	struct dcap_signed_json sj;
	EVP_PKEY *k;
	struct blob b;
	size_t i;

	(void)state;
	NEED_TESTDATA();
	k = tcb_signer();
	for (i = 0; i < sizeof(real_tcb) / sizeof(real_tcb[0]); i++) {
		b = td(real_tcb[i].file);
		assert_int_equal(dcap_tcb_info_parse(NULL, b.p, b.n, &ti, &sj),
		    VOUCH_OK);
		assert_int_equal(ti.tdx, real_tcb[i].tdx);
		assert_int_equal(ti.version, 3);
		fmspc_eq(ti.fmspc, real_tcb[i].fmspc);
		assert_int_equal(ti.pceid[0], 0);
		assert_int_equal(ti.pceid[1], 0);
		assert_int_equal(ti.tcb_type, 0);
		assert_int_equal(ti.eval_number, real_tcb[i].eval);
		assert_int_equal(ti.issue_date, date(real_tcb[i].issue));
		assert_int_equal(ti.next_update, date(real_tcb[i].next));
		assert_int_equal(ti.n_levels, real_tcb[i].n_levels);
		assert_int_equal(ti.n_module_ids, real_tcb[i].n_module_ids);
		assert_int_equal(ti.has_tdx_module, real_tcb[i].tdx);
		if (ti.tdx) {
			assert_true(ti.levels[0].has_tdx);
			assert_int_equal(ti.tdx_module_attributes, 0);
			assert_int_equal(ti.tdx_module_attributes_mask,
			    UINT64_MAX);
		}
		/* The span lies inside the buffer, after {"tcbInfo": */
		assert_true(sj.signed_p == b.p + 11);
		check_span(k, &sj);
		free(b.p);
	}
	/* Field by field on one document (T-2, with module identities). */
	b = td(T2_TCB);
	assert_int_equal(dcap_tcb_info_parse(NULL, b.p, b.n, &ti, &sj),
	    VOUCH_OK);
	assert_string_equal(ti.module_ids[0].id, "TDX_03");
	assert_string_equal(ti.module_ids[1].id, "TDX_01");
	assert_int_equal(ti.module_ids[1].n_levels, 3);
	assert_int_equal(ti.module_ids[1].levels[1].isvsvn, 4);
	assert_int_equal(ti.module_ids[1].levels[1].status,
	    DCAP_TCB_OUT_OF_DATE);
	assert_int_equal(ti.module_ids[1].levels[1].adv.n, 2);
	assert_string_equal(ti.module_ids[1].levels[1].adv.id[1],
	    "INTEL-SA-01099");
	assert_int_equal(ti.levels[0].pcesvn, 13);
	assert_int_equal(ti.levels[0].sgx_svn[7], 5);
	assert_int_equal(ti.levels[0].tdx_svn[2], 3);
	assert_int_equal(ti.levels[0].tcb_date, date("2024-11-13T00:00:00Z"));
	assert_int_equal(ti.levels[0].status, DCAP_TCB_UP_TO_DATE);
	assert_int_equal(ti.levels[2].pcesvn, 5);
	free(b.p);
	EVP_PKEY_free(k);
}

static const struct {
	const char	*file;
	bool		 td_qe;
	const char	*issue;
	uint16_t	 isvprodid;
	size_t		 n_levels;
	uint8_t		 mrsigner0;
} real_qe[] = {
	{ T1_QE, true, "2023-06-08T07:24:59Z", 2, 1, 0xdc },
	{ T4_QE, true, "2025-10-28T06:45:09Z", 2, 1, 0xdc },
	{ G2_QE, false, "2023-07-12T20:48:25Z", 1, 6, 0x8c },
};

static void
test_real_qe_identity(void **state)
{
	struct dcap_signed_json sj;
	EVP_PKEY *k;
	struct blob b;
	size_t i;

	(void)state;
	NEED_TESTDATA();
	k = tcb_signer();
	for (i = 0; i < sizeof(real_qe) / sizeof(real_qe[0]); i++) {
		b = td(real_qe[i].file);
		assert_int_equal(dcap_qe_identity_parse(NULL, b.p, b.n, &qi,
		    &sj), VOUCH_OK);
		assert_int_equal(qi.td_qe, real_qe[i].td_qe);
		assert_int_equal(qi.version, 2);
		assert_int_equal(qi.issue_date, date(real_qe[i].issue));
		assert_int_equal(qi.next_update - qi.issue_date, 30 * 86400);
		assert_int_equal(qi.isvprodid, real_qe[i].isvprodid);
		assert_int_equal(qi.n_levels, real_qe[i].n_levels);
		assert_int_equal(qi.mrsigner[0], real_qe[i].mrsigner0);
		assert_int_equal(qi.miscselect, 0);
		assert_int_equal(qi.miscselect_mask, 0xffffffffu);
		assert_int_equal(qi.attributes[0], 0x11);
		assert_int_equal(qi.attributes_mask[0], 0xfb);
		assert_int_equal(qi.attributes_mask[8], 0x00);
		assert_true(sj.signed_p == b.p + 19);
		check_span(k, &sj);
		free(b.p);
	}
	b = td(G2_QE);
	assert_int_equal(dcap_qe_identity_parse(NULL, b.p, b.n, &qi, &sj),
	    VOUCH_OK);
	assert_int_equal(qi.levels[0].isvsvn, 8);
	assert_int_equal(qi.levels[0].status, DCAP_TCB_UP_TO_DATE);
	assert_int_equal(qi.levels[2].isvsvn, 5);
	assert_int_equal(qi.levels[2].adv.n, 2);
	assert_string_equal(qi.levels[2].adv.id[0], "INTEL-SA-00477");
	free(b.p);
	EVP_PKEY_free(k);
}

static void
test_bundle(void **state)
{
	struct dcap_bundle bu;
	struct blob b, t;
	EVP_PKEY *k, *k2;
	const uint8_t *p;
	X509_CRL *crl;

	(void)state;
	NEED_TESTDATA();
	b = td(T5_BUNDLE);
	assert_true(dcap_bundle_probe(b.p, b.n));
	assert_int_equal(dcap_bundle_parse(NULL, b.p, b.n, &bu), VOUCH_OK);
	assert_int_equal(bu.root_ca_crl_len, 584 / 2);
	assert_int_equal(bu.pck_crl_len, 5326 / 2);
	p = bu.root_ca_crl;
	crl = d2i_X509_CRL(NULL, &p, (long)bu.root_ca_crl_len);
	assert_non_null(crl);
	X509_CRL_free(crl);
	p = bu.pck_crl;
	crl = d2i_X509_CRL(NULL, &p, (long)bu.pck_crl_len);
	assert_non_null(crl);
	X509_CRL_free(crl);
	assert_memory_equal(bu.pck_crl_issuer_chain, "-----BEGIN CERT", 15);
	assert_memory_equal(bu.qe_identity_issuer_chain, "-----BEGIN CERT",
	    15);
	assert_int_equal(bu.tcb_info_len, 2934);
	assert_int_equal(bu.qe_identity_len, 461);

	/* The strings are the signed text; the TCB Signing 2025-2032 key. */
	k = pem_key(bu.tcb_info_issuer_chain, strlen(bu.tcb_info_issuer_chain));
	assert_true(verify_sig(k, bu.tcb_info, bu.tcb_info_len,
	    bu.tcb_info_sig));
	assert_true(verify_sig(k, bu.qe_identity, bu.qe_identity_len,
	    bu.qe_identity_sig));
	k2 = tcb_signer();
	assert_int_equal(EVP_PKEY_eq(k, k2), 1);
	EVP_PKEY_free(k2);
	bu.tcb_info[100] ^= 1;
	assert_false(verify_sig(k, bu.tcb_info, bu.tcb_info_len,
	    bu.tcb_info_sig));
	bu.tcb_info[100] ^= 1;
	EVP_PKEY_free(k);

	assert_int_equal(dcap_tcb_info_parse(NULL, bu.tcb_info, bu.tcb_info_len,
	    &ti, NULL), VOUCH_OK);
	assert_true(ti.tdx);
	fmspc_eq(ti.fmspc, "b0c06f000000");
	assert_int_equal(ti.n_levels, 2);
	assert_int_equal(ti.n_module_ids, 2);
	assert_int_equal(ti.issue_date, date("2025-06-19T10:16:03Z"));
	assert_int_equal(dcap_qe_identity_parse(NULL, bu.qe_identity,
	    bu.qe_identity_len, &qi, NULL), VOUCH_OK);
	assert_true(qi.td_qe);
	assert_int_equal(qi.next_update, date("2025-07-19T10:32:27Z"));
	/* The bare object is not a response envelope, and vice versa. */
	assert_int_equal(dcap_tcb_info_parse(NULL, bu.tcb_info,
	    bu.tcb_info_len, &ti, &(struct dcap_signed_json){ 0 }),
	    VOUCH_ERR_BAD_FIELD);
	dcap_bundle_free(&bu);
	dcap_bundle_free(&bu);	/* cleared: twice is harmless */
	dcap_bundle_free(NULL);
	free(b.p);

	t = td(T1_TCB);
	assert_false(dcap_bundle_probe(t.p, t.n));
	/* A response is not a bare tcbInfo: no "version" at the top. */
	assert_int_equal(dcap_tcb_info_parse(NULL, t.p, t.n, &ti, NULL),
	    VOUCH_ERR_BAD_FIELD);
	free(t.p);
	assert_false(dcap_bundle_probe((const uint8_t *)"[1]", 3));
	assert_false(dcap_bundle_probe((const uint8_t *)"{\"tcb_info\"", 11));
	assert_false(dcap_bundle_probe(NULL, 0));
	assert_true(dcap_bundle_probe((const uint8_t *)"{\"tcb_info\":1}",
	    14));
}

/* ---- Quotes, read by hand at the offsets of dcap.h. ---- */

struct quote_view {
	struct blob		b;
	struct dcap_td_report	td;
	struct dcap_sgx_report	qe;
};

static void
sgx_report(const uint8_t *p, struct dcap_sgx_report *r)
{
	memset(r, 0, sizeof(*r));
	memcpy(r->cpusvn, p, 16);
	r->miscselect = le32(p + 16);
	memcpy(r->attributes, p + 48, 16);
	r->attr_flags = le64(p + 48);
	r->attr_xfrm = le64(p + 56);
	memcpy(r->mrenclave, p + 64, 32);
	memcpy(r->mrsigner, p + 128, 32);
	r->isv_prod_id = le16(p + 256);
	r->isv_svn = le16(p + 258);
}

/* TDX v4 / v5 or SGX v3 quote: TD body fields and the QE report. */
static void
quote_view(const char *rel, struct quote_view *v)
{
	const uint8_t *q, *body;
	size_t qe_off;
	uint16_t ver;

	memset(v, 0, sizeof(*v));
	v->b = td(rel);
	q = v->b.p;
	ver = le16(q);
	if (ver == 3) {
		/* header, 384-byte body, len, sig, key, QE report */
		qe_off = 48 + 384 + 4 + 64 + 64;
	} else {
		if (ver == 5) {
			assert_int_equal(le16(q + 48), DCAP_BODY_TD15);
			body = q + 54;
			qe_off = 54 + 648 + 4 + 64 + 64;
		} else {
			assert_int_equal(ver, 4);
			body = q + 48;
			qe_off = 48 + 584 + 4 + 64 + 64;
		}
		memcpy(v->td.tee_tcb_svn, body, 16);
		memcpy(v->td.mrseam, body + 16, 48);
		memcpy(v->td.mrsignerseam, body + 64, 48);
		v->td.seam_attributes = le64(body + 112);
		v->td.td_attributes = le64(body + 120);
		/* Certification data type 6 (QE report) wraps the PCK chain. */
		assert_int_equal(le16(q + qe_off), DCAP_CERT_QE_REPORT);
		qe_off += 6;
	}
	assert_true(qe_off + DCAP_SGX_REPORT_LEN <= v->b.n);
	sgx_report(q + qe_off, &v->qe);
}

static void
pck_fill(struct dcap_pck_ext *pck, const uint8_t comps[16], uint16_t pcesvn)
{
	memset(pck, 0, sizeof(*pck));
	memcpy(pck->comp_svn, comps, 16);
	memcpy(pck->cpusvn, comps, 16);
	pck->pcesvn = pcesvn;
}

static void
load_tcb(const char *rel)
{
	struct blob b = td(rel);
	struct dcap_signed_json sj;

	assert_int_equal(dcap_tcb_info_parse(NULL, b.p, b.n, &ti, &sj),
	    VOUCH_OK);
	free(b.p);
}

static void
load_qe(const char *rel)
{
	struct blob b = td(rel);
	struct dcap_signed_json sj;

	assert_int_equal(dcap_qe_identity_parse(NULL, b.p, b.n, &qi, &sj),
	    VOUCH_OK);
	free(b.p);
}

static void
load_bundle(void)
{
	struct dcap_bundle bu;
	struct blob b = td(T5_BUNDLE);

	assert_int_equal(dcap_bundle_parse(NULL, b.p, b.n, &bu), VOUCH_OK);
	assert_int_equal(dcap_tcb_info_parse(NULL, bu.tcb_info,
	    bu.tcb_info_len, &ti, NULL), VOUCH_OK);
	assert_int_equal(dcap_qe_identity_parse(NULL, bu.qe_identity,
	    bu.qe_identity_len, &qi, NULL), VOUCH_OK);
	dcap_bundle_free(&bu);
	free(b.p);
}

/* T-1: PCK comps 03 03 02 02 02 01 00 02, PCESVN 11: below every level. */
static void
test_match_t1(void **state)
{
	static const uint8_t comps[16] = { 3, 3, 2, 2, 2, 1, 0, 2 };
	static const uint8_t tee[16] = { 3, 0, 4 };
	struct vouch_ctx *ctx = vouch_ctx_new();
	const struct dcap_isv_level *il;
	struct dcap_pck_ext pck;
	struct quote_view v;
	size_t lvl = 99;

	(void)state;
	NEED_TESTDATA();
	quote_view(T1_QUOTE, &v);
	assert_memory_equal(v.td.tee_tcb_svn, tee, 16);
	pck_fill(&pck, comps, 11);
	load_tcb(T1_TCB);
	assert_int_equal(dcap_match_tcb_level(ctx, &ti, &pck, v.td.tee_tcb_svn,
	    &lvl), VOUCH_ERR_TCB_NO_MATCH);
	assert_int_equal(lvl, 99);
	assert_non_null(strstr(vouch_error(ctx), "no tcbInfo.tcbLevels"));
	/* TDX 1.0 module: checked against tdxModule, no identity level. */
	il = (const void *)&lvl;
	assert_int_equal(dcap_match_module_identity(NULL, &ti, &v.td, &il),
	    VOUCH_OK);
	assert_null(il);
	/* The QE (ISVSVN 4) against the TD_QE identity of the same date. */
	assert_int_equal(v.qe.isv_svn, 4);
	load_qe(T1_QE);
	assert_int_equal(dcap_match_qe_identity(NULL, &qi, &v.qe, &il),
	    VOUCH_OK);
	assert_int_equal(il->status, DCAP_TCB_UP_TO_DATE);
	free(v.b.p);
	vouch_ctx_free(ctx);
}

/* T-2 (v5, TDX 1.5): TEE_TCB_SVN 0b 01 04, module TDX_01. */
static void
test_match_t2(void **state)
{
	static const uint8_t comps[16] = { 4, 4, 2, 2, 4, 1, 0, 5 };
	const struct dcap_isv_level *il;
	struct dcap_pck_ext pck;
	struct quote_view v;
	size_t lvl;

	(void)state;
	NEED_TESTDATA();
	quote_view(T2_QUOTE, &v);
	assert_int_equal(v.td.tee_tcb_svn[0], 0x0b);
	assert_int_equal(v.td.tee_tcb_svn[1], 0x01);
	assert_int_equal(v.td.tee_tcb_svn[2], 0x04);
	pck_fill(&pck, comps, 13);
	load_tcb(T2_TCB);
	assert_int_equal(dcap_match_tcb_level(NULL, &ti, &pck,
	    v.td.tee_tcb_svn, &lvl), VOUCH_OK);
	assert_int_equal(lvl, 0);
	assert_int_equal(ti.levels[lvl].status, DCAP_TCB_UP_TO_DATE);
	assert_int_equal(ti.levels[lvl].tcb_date, date("2024-11-13T00:00:00Z"));
	assert_int_equal(dcap_match_module_identity(NULL, &ti, &v.td, &il),
	    VOUCH_OK);
	assert_ptr_equal(il, &ti.module_ids[1].levels[0]);
	assert_int_equal(il->status, DCAP_TCB_UP_TO_DATE);
	assert_int_equal(v.qe.isv_svn, 7);
	free(v.b.p);
}

/* T-4 (trustee): PCK comps 02 02 07 07 04 01 00 02, PCESVN 11 -> OutOfDate. */
static void
test_match_t4(void **state)
{
	static const uint8_t comps[16] = { 2, 2, 7, 7, 4, 1, 0, 2 };
	const struct dcap_isv_level *il, *qel;
	struct dcap_pck_ext pck;
	struct quote_view v;
	size_t lvl;

	(void)state;
	NEED_TESTDATA();
	quote_view(T4_QUOTE, &v);
	assert_int_equal(v.td.tee_tcb_svn[0], 5);
	assert_int_equal(v.td.tee_tcb_svn[1], 3);
	assert_int_equal(v.td.tee_tcb_svn[2], 2);
	pck_fill(&pck, comps, 11);
	load_tcb(T4_TCB);
	assert_int_equal(dcap_match_tcb_level(NULL, &ti, &pck,
	    v.td.tee_tcb_svn, &lvl), VOUCH_OK);
	assert_int_equal(lvl, 1);
	assert_int_equal(ti.levels[lvl].status, DCAP_TCB_OUT_OF_DATE);
	assert_int_equal(ti.levels[lvl].tcb_date, date("2018-01-04T00:00:00Z"));
	assert_int_equal(dcap_match_module_identity(NULL, &ti, &v.td, &il),
	    VOUCH_OK);
	assert_string_equal(ti.module_ids[0].id, "TDX_03");
	assert_ptr_equal(il, &ti.module_ids[0].levels[0]);
	load_qe(T4_QE);
	assert_int_equal(v.qe.isv_svn, 7);
	assert_int_equal(dcap_match_qe_identity(NULL, &qi, &v.qe, &qel),
	    VOUCH_OK);
	assert_int_equal(qel->status, DCAP_TCB_UP_TO_DATE);
	assert_int_equal(dcap_converge_status(ti.levels[lvl].status,
	    qel->status), DCAP_TCB_OUT_OF_DATE);
	free(v.b.p);
}

/* T-5 (phala quote + bundle) -> UpToDate, no advisories. */
static void
test_match_t5(void **state)
{
	static const uint8_t comps[16] = { 3, 3, 2, 2, 4, 1, 0, 5 };
	struct vouch_ctx *ctx = vouch_ctx_new();
	const struct dcap_isv_level *il, *qel;
	struct dcap_td_report t;
	struct dcap_sgx_report r;
	struct dcap_pck_ext pck;
	struct quote_view v;
	size_t lvl;

	(void)state;
	NEED_TESTDATA();
	assert_non_null(ctx);
	quote_view(T5_QUOTE, &v);
	assert_int_equal(v.td.tee_tcb_svn[0], 6);
	assert_int_equal(v.td.tee_tcb_svn[1], 1);
	assert_int_equal(v.td.tee_tcb_svn[2], 3);
	pck_fill(&pck, comps, 11);
	load_bundle();
	assert_int_equal(dcap_match_tcb_level(NULL, &ti, &pck,
	    v.td.tee_tcb_svn, &lvl), VOUCH_OK);
	assert_int_equal(lvl, 0);
	assert_int_equal(ti.levels[0].status, DCAP_TCB_UP_TO_DATE);
	assert_int_equal(ti.levels[0].adv.n, 0);
	assert_int_equal(dcap_match_module_identity(NULL, &ti, &v.td, &il),
	    VOUCH_OK);
	assert_string_equal(ti.module_ids[1].id, "TDX_01");
	assert_ptr_equal(il, &ti.module_ids[1].levels[0]);
	assert_int_equal(v.qe.isv_svn, 6);
	assert_int_equal(dcap_match_qe_identity(NULL, &qi, &v.qe, &qel),
	    VOUCH_OK);
	assert_int_equal(dcap_converge_status(ti.levels[0].status, qel->status),
	    DCAP_TCB_UP_TO_DATE);

	/* One PCESVN or SGX SVN lower: the OutOfDate level (pcesvn 5). */
	pck.pcesvn = 10;
	assert_int_equal(dcap_match_tcb_level(NULL, &ti, &pck,
	    v.td.tee_tcb_svn, &lvl), VOUCH_OK);
	assert_int_equal(lvl, 1);
	pck.pcesvn = 11;
	pck.comp_svn[7] = 4;
	assert_int_equal(dcap_match_tcb_level(NULL, &ti, &pck,
	    v.td.tee_tcb_svn, &lvl), VOUCH_ERR_TCB_NO_MATCH);
	pck.comp_svn[7] = 5;
	/* TEE_TCB_SVN[2] below the level's 2: nothing matches. */
	t = v.td;
	t.tee_tcb_svn[2] = 1;
	assert_int_equal(dcap_match_tcb_level(NULL, &ti, &pck, t.tee_tcb_svn,
	    &lvl), VOUCH_ERR_TCB_NO_MATCH);
	/*
	 * With TEE_TCB_SVN[1] > 0 bytes 0 and 1 are left to the module
	 * identity (QVL isTdxTcbHigherOrEqual): SVN 0 still matches level 0.
	 */
	t = v.td;
	t.tee_tcb_svn[0] = 0;
	assert_int_equal(dcap_match_tcb_level(NULL, &ti, &pck, t.tee_tcb_svn,
	    &lvl), VOUCH_OK);
	assert_int_equal(lvl, 0);
	/* ... but then no TDX_01 level has isvsvn <= 0. */
	assert_int_equal(dcap_match_module_identity(ctx, &ti, &t, &il),
	    VOUCH_ERR_TCB_NO_MATCH);
	assert_null(il);
	t.tee_tcb_svn[0] = 3;	/* the OutOfDate isvsvn-2 level */
	assert_int_equal(dcap_match_module_identity(ctx, &ti, &t, &il),
	    VOUCH_OK);
	assert_int_equal(il->status, DCAP_TCB_OUT_OF_DATE);
	/* With TEE_TCB_SVN[1] == 0 all 16 bytes are compared. */
	t.tee_tcb_svn[1] = 0;
	t.tee_tcb_svn[0] = 4;
	assert_int_equal(dcap_match_tcb_level(NULL, &ti, &pck, t.tee_tcb_svn,
	    &lvl), VOUCH_ERR_TCB_NO_MATCH);
	t.tee_tcb_svn[0] = 5;
	assert_int_equal(dcap_match_tcb_level(NULL, &ti, &pck, t.tee_tcb_svn,
	    &lvl), VOUCH_OK);
	/* Module version 2: no TDX_02 identity. */
	t = v.td;
	t.tee_tcb_svn[1] = 2;
	assert_int_equal(dcap_match_module_identity(ctx, &ti, &t, &il),
	    VOUCH_ERR_TCB_NO_MATCH);
	assert_non_null(strstr(vouch_error(ctx), "TDX_02"));
	/* MRSIGNERSEAM and SEAMATTRIBUTES (quote byte order). */
	t = v.td;
	t.mrsignerseam[47] = 1;
	assert_int_equal(dcap_match_module_identity(ctx, &ti, &t, &il),
	    VOUCH_ERR_TCB_MISMATCH);
	t = v.td;
	t.seam_attributes = 1ull << 63;
	assert_int_equal(dcap_match_module_identity(ctx, &ti, &t, &il),
	    VOUCH_ERR_TCB_MISMATCH);
	assert_non_null(strstr(vouch_error(ctx), "SEAMATTRIBUTES"));
	/* An SGX quote (no TEE_TCB_SVN) against TDX TCB Info. */
	assert_int_equal(dcap_match_tcb_level(NULL, &ti, &pck, NULL, &lvl),
	    VOUCH_ERR_PLATFORM_MISMATCH);

	/* QE identity: every field under its mask. */
	r = v.qe;
	r.mrsigner[0] ^= 1;
	assert_int_equal(dcap_match_qe_identity(ctx, &qi, &r, &qel),
	    VOUCH_ERR_MEASUREMENT_NOT_TRUSTED);
	assert_non_null(strstr(vouch_error(ctx), "MRSIGNER"));
	assert_null(qel);
	r = v.qe;
	r.isv_prod_id = 1;
	assert_int_equal(dcap_match_qe_identity(ctx, &qi, &r, &qel),
	    VOUCH_ERR_MEASUREMENT_NOT_TRUSTED);
	assert_non_null(strstr(vouch_error(ctx), "ISVPRODID"));
	r = v.qe;
	r.miscselect = 0x80000000u;
	assert_int_equal(dcap_match_qe_identity(ctx, &qi, &r, &qel),
	    VOUCH_ERR_MEASUREMENT_NOT_TRUSTED);
	assert_non_null(strstr(vouch_error(ctx), "MISCSELECT"));
	r = v.qe;
	r.attributes[0] |= (uint8_t)DCAP_SGX_ATTR_DEBUG; /* under mask FB */
	assert_int_equal(dcap_match_qe_identity(ctx, &qi, &r, &qel),
	    VOUCH_ERR_MEASUREMENT_NOT_TRUSTED);
	assert_non_null(strstr(vouch_error(ctx), "ATTRIBUTES"));
	r = v.qe;
	r.attributes[0] |= 0x04;	/* MODE64BIT: outside mask FB */
	r.attributes[8] = 0xe7;	/* XFRM: mask 00 */
	assert_int_equal(dcap_match_qe_identity(ctx, &qi, &r, &qel), VOUCH_OK);
	r = v.qe;
	r.isv_svn = 3;
	assert_int_equal(dcap_match_qe_identity(ctx, &qi, &r, &qel),
	    VOUCH_ERR_TCB_NO_MATCH);
	free(v.b.p);
	vouch_ctx_free(ctx);
}

/* G-2 (SGX): CPUSVN 14 14 02 04 01 80 0e, PCESVN 13 -> SWHardeningNeeded. */
static void
test_match_g2(void **state)
{
	static const uint8_t comps[16] = { 0x14, 0x14, 2, 4, 1, 0x80, 0x0e };
	const struct dcap_isv_level *qel;
	struct dcap_pck_ext pck;
	struct quote_view v;
	size_t lvl;

	(void)state;
	NEED_TESTDATA();
	quote_view(G2_QUOTE, &v);
	pck_fill(&pck, comps, 13);
	load_tcb(G2_TCB);
	assert_int_equal(dcap_match_tcb_level(NULL, &ti, &pck, NULL, &lvl),
	    VOUCH_OK);
	assert_int_equal(lvl, 0);
	assert_int_equal(ti.levels[0].status, DCAP_TCB_SW_HARDENING_NEEDED);
	assert_int_equal(ti.levels[0].adv.n, 2);
	assert_string_equal(ti.levels[0].adv.id[0], "INTEL-SA-00334");
	assert_string_equal(ti.levels[0].adv.id[1], "INTEL-SA-00615");
	/* The TDX-only checks refuse SGX TCB Info. */
	assert_int_equal(dcap_match_tcb_level(NULL, &ti, &pck,
	    v.td.tee_tcb_svn, &lvl), VOUCH_ERR_PLATFORM_MISMATCH);
	assert_int_equal(dcap_match_module_identity(NULL, &ti, &v.td, &qel),
	    VOUCH_ERR_PLATFORM_MISMATCH);
	/* Component 7 at 13: the ConfigurationAndSWHardeningNeeded level. */
	pck.comp_svn[6] = 13;
	assert_int_equal(dcap_match_tcb_level(NULL, &ti, &pck, NULL, &lvl),
	    VOUCH_OK);
	assert_int_equal(ti.levels[lvl].status,
	    DCAP_TCB_CONFIGURATION_AND_SW_HARDENING_NEEDED);
	/* QE: MRSIGNER 8c4f5775..., ISVPRODID 1, ISVSVN 9 -> UpToDate. */
	load_qe(G2_QE);
	assert_int_equal(v.qe.isv_svn, 9);
	assert_int_equal(v.qe.isv_prod_id, 1);
	assert_int_equal(dcap_match_qe_identity(NULL, &qi, &v.qe, &qel),
	    VOUCH_OK);
	assert_ptr_equal(qel, &qi.levels[0]);
	assert_int_equal(dcap_converge_status(ti.levels[0].status,
	    qel->status), DCAP_TCB_SW_HARDENING_NEEDED);
	v.qe.isv_svn = 7;	/* the OutOfDate isvsvn-6 level */
	assert_int_equal(dcap_match_qe_identity(NULL, &qi, &v.qe, &qel),
	    VOUCH_OK);
	assert_ptr_equal(qel, &qi.levels[1]);
	assert_int_equal(dcap_converge_status(ti.levels[0].status,
	    qel->status), DCAP_TCB_OUT_OF_DATE);
	/* A TD QE identity is no use for an SGX QE (MRSIGNER, ISVPRODID). */
	load_qe(T1_QE);
	assert_int_equal(dcap_match_qe_identity(NULL, &qi, &v.qe, &qel),
	    VOUCH_ERR_MEASUREMENT_NOT_TRUSTED);
	free(v.b.p);
}

/* ---- Strictness, on copies of real documents mutated in memory. ---- */

/* Set (JSON text) or delete (NULL) the member at "a/0/b"; "-" appends. */
static void
mutate(json_t *root, const char *path, const char *val)
{
	char buf[256], *tok, *next;
	json_t *cur = root, *nv = NULL;
	json_error_t err;

	assert_true((size_t)snprintf(buf, sizeof(buf), "%s", path) <
	    sizeof(buf));
	if (val != NULL) {
		nv = json_loads(val, JSON_DECODE_ANY, &err);
		assert_non_null(nv);
	}
	tok = buf;
	for (;;) {
		next = strchr(tok, '/');
		if (next != NULL) {
			*next = '\0';
		}
		if (next == NULL) {
			break;
		}
		cur = json_is_array(cur) ? json_array_get(cur,
		    strtoul(tok, NULL, 10)) : json_object_get(cur, tok);
		assert_non_null(cur);
		tok = next + 1;
	}
	if (json_is_array(cur)) {
		if (strcmp(tok, "-") == 0) {
			assert_int_equal(json_array_append_new(cur, nv), 0);
		} else if (nv == NULL) {
			assert_int_equal(json_array_remove(cur,
			    strtoul(tok, NULL, 10)), 0);
		} else {
			assert_int_equal(json_array_set_new(cur,
			    strtoul(tok, NULL, 10), nv), 0);
		}
	} else if (nv == NULL) {
		assert_int_equal(json_object_del(cur, tok), 0);
	} else {
		assert_int_equal(json_object_set_new(cur, tok, nv), 0);
	}
}

/* The value of |key| in the response |rel|, as a new reference. */
static json_t *
body_of(const char *rel, const char *key)
{
	struct blob b = td(rel);
	json_t *root, *v;

	assert_int_equal(vouch_json_load(NULL, b.p, b.n, 0, &root), VOUCH_OK);
	v = json_incref(json_object_get(root, key));
	assert_non_null(v);
	json_decref(root);
	free(b.p);
	return v;
}

static enum vouch_err
parse_doc(const json_t *doc, bool qe, bool envelope, struct vouch_ctx *ctx)
{
	json_t *env = NULL;
	char *s;
	enum vouch_err rv;
	struct dcap_signed_json sj;

	if (envelope) {
		env = json_pack("{sOss}", qe ? "enclaveIdentity" : "tcbInfo",
		    doc, "signature", "00112233445566778899aabbccddeeff"
		    "00112233445566778899aabbccddeeff00112233445566778899aabb"
		    "ccddeeff00112233445566778899aabbccddeeff");
		assert_non_null(env);
		doc = env;
	}
	s = json_dumps(doc, JSON_COMPACT);
	assert_non_null(s);
	if (qe) {
		rv = dcap_qe_identity_parse(ctx, (const uint8_t *)s, strlen(s),
		    &qi, envelope ? &sj : NULL);
	} else {
		rv = dcap_tcb_info_parse(ctx, (const uint8_t *)s, strlen(s),
		    &ti, envelope ? &sj : NULL);
	}
	free(s);
	json_decref(env);
	return rv;
}

struct mutation {
	const char	*path;
	const char	*val;	/* NULL: delete */
	enum vouch_err	 want;
	const char	*msg;	/* in the detail, or NULL */
};

#define C1	"{\"svn\":1}"
#define COMPS15	"[" C1 "," C1 "," C1 "," C1 "," C1 "," C1 "," C1 "," C1 "," \
	C1 "," C1 "," C1 "," C1 "," C1 "," C1 "," C1 "]"

static const struct mutation tdx_mutations[] = {
	{ "foo", "1", VOUCH_ERR_BAD_FIELD, "unknown key \"foo\"" },
	{ "id", NULL, VOUCH_ERR_BAD_FIELD, "tcbInfo.id: missing" },
	{ "id", "\"tdx\"", VOUCH_ERR_BAD_FIELD, "tcbInfo.id" },
	{ "id", "\"TDX \"", VOUCH_ERR_BAD_FIELD, "tcbInfo.id" },
	{ "id", "3", VOUCH_ERR_BAD_FIELD, "tcbInfo.id: not a string" },
	{ "version", NULL, VOUCH_ERR_BAD_FIELD, "tcbInfo.version: missing" },
	{ "version", "2", VOUCH_ERR_UNSUPPORTED_VERSION,
	    "TDX needs version 3" },
	{ "version", "4", VOUCH_ERR_UNSUPPORTED_VERSION, "tcbInfo.version" },
	{ "version", "\"3\"", VOUCH_ERR_BAD_FIELD, "not an integer" },
	{ "version", "3.0", VOUCH_ERR_BAD_FIELD, "not an integer" },
	{ "issueDate", NULL, VOUCH_ERR_BAD_FIELD, "issueDate: missing" },
	{ "issueDate", "\"2026-02-01\"", VOUCH_ERR_BAD_FIELD, "RFC 3339" },
	{ "issueDate", "\"2026-02-01T14:49:26\"", VOUCH_ERR_BAD_FIELD,
	    "RFC 3339" },
	{ "nextUpdate", "1", VOUCH_ERR_BAD_FIELD, "nextUpdate: not a string" },
	{ "nextUpdate", "\"2026-01-01T00:00:00Z\"", VOUCH_ERR_BAD_FIELD,
	    "before issueDate" },
	{ "fmspc", NULL, VOUCH_ERR_BAD_FIELD, "fmspc: missing" },
	{ "fmspc", "\"90c06f00000\"", VOUCH_ERR_BAD_FIELD, "fmspc: 11 hex" },
	{ "fmspc", "\"90c06f0000000\"", VOUCH_ERR_BAD_FIELD, "fmspc" },
	{ "fmspc", "\"90c06f00000g\"", VOUCH_ERR_BAD_FIELD, "fmspc: bad hex" },
	{ "fmspc", "\"90c06f 00000\"", VOUCH_ERR_BAD_FIELD, "fmspc: bad hex" },
	{ "pceId", "\"000\"", VOUCH_ERR_BAD_FIELD, "pceId" },
	{ "pceId", "0", VOUCH_ERR_BAD_FIELD, "pceId: not a string" },
	{ "tcbType", "1", VOUCH_ERR_BAD_FIELD, "tcbType: 1" },
	{ "tcbType", NULL, VOUCH_ERR_BAD_FIELD, "tcbType: missing" },
	{ "tcbEvaluationDataNumber", "-1", VOUCH_ERR_BAD_FIELD,
	    "out of range" },
	{ "tcbEvaluationDataNumber", "null", VOUCH_ERR_BAD_FIELD,
	    "not an integer" },
	{ "tdxModule", "[]", VOUCH_ERR_BAD_FIELD, "tdxModule: not a JSON" },
	{ "tdxModule/x", "1", VOUCH_ERR_BAD_FIELD, "unknown key \"x\"" },
	{ "tdxModule/mrsigner", "\"00\"", VOUCH_ERR_BAD_FIELD,
	    "tdxModule.mrsigner: 2 hex" },
	{ "tdxModule/attributesMask", NULL, VOUCH_ERR_BAD_FIELD,
	    "tdxModule.attributesMask: missing" },
	{ "tdxModule/attributes", "\"000000000000000\"", VOUCH_ERR_BAD_FIELD,
	    "tdxModule.attributes" },
	{ "tdxModuleIdentities", "{}", VOUCH_ERR_BAD_FIELD, "not an array" },
	{ "tdxModuleIdentities/0/id", "\"\"", VOUCH_ERR_BAD_FIELD,
	    "tdxModuleIdentities[0].id" },
	{ "tdxModuleIdentities/0/id", "\"TDX_0123456789ABC\"",
	    VOUCH_ERR_BAD_FIELD, "tdxModuleIdentities[0].id" },
	{ "tdxModuleIdentities/1/id", "\"tdx_03\"", VOUCH_ERR_BAD_FIELD,
	    "repeated" },
	{ "tdxModuleIdentities/0/tcbLevels", NULL, VOUCH_ERR_BAD_FIELD,
	    "tdxModuleIdentities[0].tcbLevels: missing" },
	{ "tdxModuleIdentities/0/tcbLevels", "[]", VOUCH_ERR_BAD_FIELD,
	    "empty" },
	{ "tdxModuleIdentities/0/tcbLevels/0/tcb/isvsvn", "65536",
	    VOUCH_ERR_BAD_FIELD, "isvsvn: 65536 out of range" },
	{ "tdxModuleIdentities/0/tcbLevels/0/tcb/pcesvn", "1",
	    VOUCH_ERR_BAD_FIELD, "unknown key \"pcesvn\"" },
	{ "tdxModuleIdentities/0/extra", "1", VOUCH_ERR_BAD_FIELD,
	    "unknown key \"extra\"" },
	{ "tcbLevels", NULL, VOUCH_ERR_BAD_FIELD, "tcbLevels: missing" },
	{ "tcbLevels", "[]", VOUCH_ERR_BAD_FIELD, "tcbLevels: empty" },
	{ "tcbLevels", "{}", VOUCH_ERR_BAD_FIELD, "not an array" },
	{ "tcbLevels/0", "[]", VOUCH_ERR_BAD_FIELD,
	    "tcbLevels[0]: not a JSON" },
	{ "tcbLevels/1/x", "1", VOUCH_ERR_BAD_FIELD, "unknown key \"x\"" },
	{ "tcbLevels/1/tcb/x", "1", VOUCH_ERR_BAD_FIELD, "unknown key \"x\"" },
	{ "tcbLevels/1/tcb", NULL, VOUCH_ERR_BAD_FIELD, "tcb: missing" },
	{ "tcbLevels/0/tcb/sgxtcbcomponents/-", "{\"svn\":0}",
	    VOUCH_ERR_BAD_FIELD, "component count mismatch: 17" },
	{ "tcbLevels/0/tcb/sgxtcbcomponents/15", NULL, VOUCH_ERR_BAD_FIELD,
	    "component count mismatch: 15" },
	{ "tcbLevels/2/tcb/tdxtcbcomponents/-", "{\"svn\":0}",
	    VOUCH_ERR_BAD_FIELD, "tdxtcbcomponents: component count mismatch" },
	{ "tcbLevels/2/tcb/tdxtcbcomponents", COMPS15, VOUCH_ERR_BAD_FIELD,
	    "tdxtcbcomponents: component count mismatch: 15" },
	{ "tcbLevels/0/tcb/sgxtcbcomponents", "{}", VOUCH_ERR_BAD_FIELD,
	    "not an array" },
	{ "tcbLevels/0/tcb/sgxtcbcomponents", NULL, VOUCH_ERR_BAD_FIELD,
	    "sgxtcbcomponents: missing" },
	{ "tcbLevels/0/tcb/sgxtcbcomponents/3/svn", "256", VOUCH_ERR_BAD_FIELD,
	    "sgxtcbcomponents[3].svn: 256 out of range" },
	{ "tcbLevels/0/tcb/sgxtcbcomponents/3/svn", "-1", VOUCH_ERR_BAD_FIELD,
	    "out of range" },
	{ "tcbLevels/0/tcb/sgxtcbcomponents/3/svn", "\"1\"",
	    VOUCH_ERR_BAD_FIELD, "not an integer" },
	{ "tcbLevels/0/tcb/sgxtcbcomponents/3/svn", NULL, VOUCH_ERR_BAD_FIELD,
	    "svn: missing" },
	{ "tcbLevels/0/tcb/sgxtcbcomponents/3/foo", "1", VOUCH_ERR_BAD_FIELD,
	    "unknown key \"foo\"" },
	{ "tcbLevels/0/tcb/sgxtcbcomponents/3/category", "1",
	    VOUCH_ERR_BAD_FIELD, "category: not a string" },
	{ "tcbLevels/0/tcb/tdxtcbcomponents/0/type", "null",
	    VOUCH_ERR_BAD_FIELD, "type: not a string" },
	{ "tcbLevels/0/tcb/sgxtcbcomponents/3", "7", VOUCH_ERR_BAD_FIELD,
	    "not a JSON object" },
	{ "tcbLevels/0/tcb/pcesvn", "65536", VOUCH_ERR_BAD_FIELD,
	    "pcesvn: 65536 out of range" },
	{ "tcbLevels/0/tcb/pcesvn", NULL, VOUCH_ERR_BAD_FIELD,
	    "pcesvn: missing" },
	{ "tcbLevels/0/tcbDate", "\"yesterday\"", VOUCH_ERR_BAD_FIELD,
	    "tcbLevels[0].tcbDate" },
	{ "tcbLevels/0/tcbDate", NULL, VOUCH_ERR_BAD_FIELD,
	    "tcbDate: missing" },
	{ "tcbLevels/0/tcbStatus", NULL, VOUCH_ERR_BAD_FIELD,
	    "tcbStatus: missing" },
	{ "tcbLevels/0/tcbStatus", "[\"UpToDate\"]", VOUCH_ERR_BAD_FIELD,
	    "tcbStatus: not a string" },
	{ "tcbLevels/0/advisoryIDs", "\"INTEL-SA-00001\"", VOUCH_ERR_BAD_FIELD,
	    "advisoryIDs: not an array" },
	{ "tcbLevels/0/advisoryIDs", "[1]", VOUCH_ERR_BAD_FIELD,
	    "advisoryIDs[0]: not a string" },
	{ "tcbLevels/0/advisoryIDs", "[\"\"]", VOUCH_ERR_BAD_FIELD,
	    "advisoryIDs[0]" },
	{ "tcbLevels/0/advisoryIDs", "[\"INTEL-SA-00001\",\"INTEL-SA-00002-"
	    "and-a-much-much-longer-one\"]", VOUCH_ERR_TOO_LARGE,
	    "advisoryIDs[1]" },
};

static const struct mutation sgx_mutations[] = {
	{ "tdxModule", "{\"mrsigner\":\"00\"}", VOUCH_ERR_BAD_FIELD,
	    "unknown key \"tdxModule\"" },
	{ "tdxModuleIdentities", "[]", VOUCH_ERR_BAD_FIELD,
	    "unknown key \"tdxModuleIdentities\"" },
	{ "tcbLevels/0/tcb/tdxtcbcomponents", "[]", VOUCH_ERR_BAD_FIELD,
	    "unknown key \"tdxtcbcomponents\"" },
	{ "id", "\"QE\"", VOUCH_ERR_BAD_FIELD, "tcbInfo.id" },
	{ "tcbLevels/16/tcb/sgxtcbcomponents/15/svn", "1.5",
	    VOUCH_ERR_BAD_FIELD, "tcbLevels[16].tcb.sgxtcbcomponents[15].svn" },
};

static const struct mutation qe_mutations[] = {
	{ "foo", "{}", VOUCH_ERR_BAD_FIELD, "unknown key \"foo\"" },
	{ "id", "\"QVE\"", VOUCH_ERR_BAD_FIELD, "enclaveIdentity.id" },
	{ "id", "\"TDQE\"", VOUCH_ERR_BAD_FIELD, "enclaveIdentity.id" },
	{ "id", NULL, VOUCH_ERR_BAD_FIELD, "id: missing" },
	{ "version", "1", VOUCH_ERR_UNSUPPORTED_VERSION, "version: 1" },
	{ "version", "3", VOUCH_ERR_UNSUPPORTED_VERSION, "version: 3" },
	{ "version", "\"2\"", VOUCH_ERR_BAD_FIELD, "not an integer" },
	{ "issueDate", "\"2023-13-01T00:00:00Z\"", VOUCH_ERR_BAD_FIELD,
	    "issueDate" },
	{ "nextUpdate", NULL, VOUCH_ERR_BAD_FIELD, "nextUpdate: missing" },
	{ "tcbEvaluationDataNumber", "\"15\"", VOUCH_ERR_BAD_FIELD,
	    "not an integer" },
	{ "miscselect", "\"0000000\"", VOUCH_ERR_BAD_FIELD, "miscselect: 7" },
	{ "miscselectMask", "\"FFFFFFFX\"", VOUCH_ERR_BAD_FIELD,
	    "miscselectMask: bad hex" },
	{ "attributes", "\"110000000000000000000000000000\"",
	    VOUCH_ERR_BAD_FIELD, "attributes: 30 hex" },
	{ "attributesMask", NULL, VOUCH_ERR_BAD_FIELD,
	    "attributesMask: missing" },
	{ "mrsigner", "\"DC9E\"", VOUCH_ERR_BAD_FIELD, "mrsigner" },
	{ "isvprodid", "65536", VOUCH_ERR_BAD_FIELD, "isvprodid: 65536" },
	{ "isvprodid", "true", VOUCH_ERR_BAD_FIELD, "not an integer" },
	{ "tcbLevels", NULL, VOUCH_ERR_BAD_FIELD, "tcbLevels: missing" },
	{ "tcbLevels/0/tcb/isvsvn", "\"4\"", VOUCH_ERR_BAD_FIELD,
	    "tcbLevels[0].tcb.isvsvn: not an integer" },
	{ "tcbLevels/0/tcb/x", "1", VOUCH_ERR_BAD_FIELD, "unknown key \"x\"" },
	{ "tcbLevels/0/tcb", "{}", VOUCH_ERR_BAD_FIELD, "isvsvn: missing" },
	{ "tcbLevels/0/advisoryIDs", "{}", VOUCH_ERR_BAD_FIELD,
	    "not an array" },
};

static void
run_mutations(const char *rel, const char *key, bool qe,
    const struct mutation *m, size_t n)
{
	struct vouch_ctx *ctx = vouch_ctx_new();
	json_t *base, *doc;
	size_t i;
	enum vouch_err rv;

	assert_non_null(ctx);
	base = body_of(rel, key);
	assert_int_equal(parse_doc(base, qe, false, NULL), VOUCH_OK);
	assert_int_equal(parse_doc(base, qe, true, NULL), VOUCH_OK);
	for (i = 0; i < n; i++) {
		doc = json_deep_copy(base);
		mutate(doc, m[i].path, m[i].val);
		rv = parse_doc(doc, qe, (i & 1) != 0, ctx);
		if (rv != m[i].want || (m[i].msg != NULL &&
		    strstr(vouch_error(ctx), m[i].msg) == NULL)) {
			fail_msg("%s: %s = %s: got %s \"%s\"", rel, m[i].path,
			    m[i].val != NULL ? m[i].val : "(deleted)",
			    vouch_errname(rv), vouch_error(ctx));
		}
		json_decref(doc);
	}
	json_decref(base);
	vouch_ctx_free(ctx);
}

static void
test_strict_tcb_info(void **state)
{
	(void)state;
	NEED_TESTDATA();
	run_mutations(T2_TCB, "tcbInfo", false, tdx_mutations,
	    sizeof(tdx_mutations) / sizeof(tdx_mutations[0]));
	run_mutations(G2_TCB, "tcbInfo", false, sgx_mutations,
	    sizeof(sgx_mutations) / sizeof(sgx_mutations[0]));
}

static void
test_strict_qe_identity(void **state)
{
	(void)state;
	NEED_TESTDATA();
	run_mutations(G2_QE, "enclaveIdentity", true, qe_mutations,
	    sizeof(qe_mutations) / sizeof(qe_mutations[0]));
}

/* More than DCAP_MAX_* of anything is TOO_LARGE; exactly the limit is fine. */
static void
test_limits(void **state)
{
	json_t *base, *doc, *arr, *adv, *m;
	char id[16];
	size_t i;

	(void)state;
	NEED_TESTDATA();
	base = body_of(T2_TCB, "tcbInfo");

	doc = json_deep_copy(base);
	arr = json_object_get(doc, "tcbLevels");
	while (json_array_size(arr) < DCAP_MAX_TCB_LEVELS) {
		json_array_append_new(arr, json_deep_copy(json_array_get(arr,
		    2)));
	}
	assert_int_equal(parse_doc(doc, false, false, NULL), VOUCH_OK);
	assert_int_equal(ti.n_levels, DCAP_MAX_TCB_LEVELS);
	json_array_append_new(arr, json_deep_copy(json_array_get(arr, 2)));
	assert_int_equal(parse_doc(doc, false, false, NULL),
	    VOUCH_ERR_TOO_LARGE);
	json_decref(doc);

	doc = json_deep_copy(base);
	arr = json_object_get(doc, "tdxModuleIdentities");
	for (i = 2; i < DCAP_MAX_MODULE_IDS + 1; i++) {
		m = json_deep_copy(json_array_get(arr, 0));
		(void)snprintf(id, sizeof(id), "TDX_%02zX", i + 3);
		json_object_set_new(m, "id", json_string(id));
		json_array_append_new(arr, m);
	}
	assert_int_equal(parse_doc(doc, false, false, NULL),
	    VOUCH_ERR_TOO_LARGE);
	json_array_remove(arr, 0);
	assert_int_equal(parse_doc(doc, false, false, NULL), VOUCH_OK);
	assert_int_equal(ti.n_module_ids, DCAP_MAX_MODULE_IDS);
	json_decref(doc);

	doc = json_deep_copy(base);
	adv = json_array();
	for (i = 0; i < DCAP_MAX_ADVISORIES; i++) {
		json_array_append_new(adv, json_string("INTEL-SA-00615"));
	}
	json_object_set(json_array_get(json_object_get(doc, "tcbLevels"), 0),
	    "advisoryIDs", adv);
	assert_int_equal(parse_doc(doc, false, false, NULL), VOUCH_OK);
	assert_int_equal(ti.levels[0].adv.n, DCAP_MAX_ADVISORIES);
	json_array_append_new(adv, json_string("INTEL-SA-00615"));
	assert_int_equal(parse_doc(doc, false, false, NULL),
	    VOUCH_ERR_TOO_LARGE);
	json_decref(adv);
	json_decref(doc);
	json_decref(base);

	base = body_of(G2_QE, "enclaveIdentity");
	arr = json_object_get(base, "tcbLevels");
	while (json_array_size(arr) <= DCAP_MAX_TCB_LEVELS) {
		json_array_append_new(arr, json_deep_copy(json_array_get(arr,
		    5)));
	}
	assert_int_equal(parse_doc(base, true, true, NULL),
	    VOUCH_ERR_TOO_LARGE);
	json_decref(base);
}

/* TCB Info v2 (PCS API v3 for SGX): no id, sgxtcbcompNNsvn members. */
static void
test_v2(void **state)
{
	json_t *base, *lv, *tcb, *comps, *doc;
	char name[32];
	size_t i, j;

	(void)state;
	NEED_TESTDATA();
	base = body_of(G2_TCB, "tcbInfo");
	json_object_del(base, "id");
	json_object_set_new(base, "version", json_integer(2));
	for (i = 0; i < json_array_size(json_object_get(base, "tcbLevels"));
	    i++) {
		lv = json_array_get(json_object_get(base, "tcbLevels"), i);
		tcb = json_object_get(lv, "tcb");
		comps = json_incref(json_object_get(tcb, "sgxtcbcomponents"));
		json_object_del(tcb, "sgxtcbcomponents");
		for (j = 0; j < 16; j++) {
			(void)snprintf(name, sizeof(name), "sgxtcbcomp%02zusvn",
			    j + 1);
			json_object_set(tcb, name, json_object_get(
			    json_array_get(comps, j), "svn"));
		}
		json_decref(comps);
	}
	assert_int_equal(parse_doc(base, false, true, NULL), VOUCH_OK);
	assert_int_equal(ti.version, 2);
	assert_false(ti.tdx);
	assert_int_equal(ti.n_levels, 17);
	assert_int_equal(ti.levels[0].sgx_svn[5], 128);
	assert_int_equal(ti.levels[0].sgx_svn[6], 14);
	assert_int_equal(ti.levels[0].status, DCAP_TCB_SW_HARDENING_NEEDED);

	doc = json_deep_copy(base);
	json_object_set_new(doc, "id", json_string("SGX"));
	assert_int_equal(parse_doc(doc, false, false, NULL), VOUCH_OK);
	json_object_set_new(doc, "id", json_string("TDX"));
	assert_int_equal(parse_doc(doc, false, false, NULL),
	    VOUCH_ERR_UNSUPPORTED_VERSION);
	json_decref(doc);
	doc = json_deep_copy(base);
	mutate(doc, "tcbLevels/3/tcb/sgxtcbcomp16svn", NULL);
	assert_int_equal(parse_doc(doc, false, false, NULL),
	    VOUCH_ERR_BAD_FIELD);
	json_decref(doc);
	doc = json_deep_copy(base);
	mutate(doc, "tcbLevels/3/tcb/sgxtcbcomponents", "[]");
	assert_int_equal(parse_doc(doc, false, false, NULL),
	    VOUCH_ERR_BAD_FIELD);
	json_decref(doc);
	doc = json_deep_copy(base);
	mutate(doc, "tcbLevels/3/tcb/sgxtcbcomp01svn", "300");
	assert_int_equal(parse_doc(doc, false, false, NULL),
	    VOUCH_ERR_BAD_FIELD);
	json_decref(doc);
	json_decref(base);
}

static enum vouch_err
tcb_text(const char *s, struct dcap_signed_json *sj)
{
	return dcap_tcb_info_parse(NULL, (const uint8_t *)s, strlen(s), &ti,
	    sj);
}

/* The envelope and the raw span scanner. */
static void
test_envelope(void **state)
{
	static const char sig[] = "\"signature\":\"00112233445566778899aabbccdd"
	    "eeff00112233445566778899aabbccddeeff00112233445566778899aabbccdd"
	    "eeff00112233445566778899aabbccddee33\"";
	struct dcap_signed_json sj;
	json_t *body;
	char *inner, *doc, *escaped;
	size_t n;

	(void)state;
	NEED_TESTDATA();
	body = body_of(T1_TCB, "tcbInfo");
	/* Make a string inside the span hold braces, quotes and escapes. */
	mutate(body, "tcbLevels/0/tcb/sgxtcbcomponents/0/category",
	    "\"}]\\\"{[\\\\\"");
	inner = json_dumps(body, JSON_INDENT(1));
	assert_non_null(inner);
	n = 2 * strlen(inner) + sizeof(sig) + 64;
	doc = malloc(n);
	assert_non_null(doc);

	/* Signature first, whitespace everywhere. */
	(void)snprintf(doc, n, " {\n %s ,\n \"tcbInfo\" :\t%s \n}\r\n", sig,
	    inner);
	assert_int_equal(tcb_text(doc, &sj), VOUCH_OK);
	assert_int_equal(sj.signed_len, strlen(inner));
	assert_memory_equal(sj.signed_p, inner, sj.signed_len);
	assert_int_equal(sj.sig[0], 0x00);
	assert_int_equal(sj.sig[1], 0x11);
	assert_int_equal(sj.sig[62], 0xee);
	assert_int_equal(sj.sig[63], 0x33);

	/* Unknown, missing, mistyped members of the envelope. */
	(void)snprintf(doc, n, "{\"tcbInfo\":%s,%s,\"x\":1}", inner, sig);
	assert_int_equal(tcb_text(doc, &sj), VOUCH_ERR_BAD_FIELD);
	assert_null(sj.signed_p);
	(void)snprintf(doc, n, "{\"tcbInfo\":%s}", inner);
	assert_int_equal(tcb_text(doc, &sj), VOUCH_ERR_BAD_FIELD);
	(void)snprintf(doc, n, "{%s}", sig);
	assert_int_equal(tcb_text(doc, &sj), VOUCH_ERR_BAD_FIELD);
	(void)snprintf(doc, n, "{\"tcbInfo\":%s,\"signature\":\"0011\"}",
	    inner);
	assert_int_equal(tcb_text(doc, &sj), VOUCH_ERR_BAD_FIELD);
	(void)snprintf(doc, n, "{\"tcbInfo\":\"{}\",%s}", sig);
	assert_int_equal(tcb_text(doc, &sj), VOUCH_ERR_BAD_FIELD);
	(void)snprintf(doc, n, "{\"enclaveIdentity\":%s,%s}", inner, sig);
	assert_int_equal(tcb_text(doc, &sj), VOUCH_ERR_BAD_FIELD);
	/* Duplicates, at the top and inside the signed object. */
	(void)snprintf(doc, n, "{\"tcbInfo\":%s,%s,\"tcbInfo\":%s}", inner, sig,
	    inner);
	assert_int_equal(tcb_text(doc, &sj), VOUCH_ERR_DUPLICATE_KEY);
	(void)snprintf(doc, n, "{\"tcbInfo\":{\"version\":3,\"version\":3},%s}",
	    sig);
	assert_int_equal(tcb_text(doc, &sj), VOUCH_ERR_DUPLICATE_KEY);
	/* Not JSON, or something after it. */
	(void)snprintf(doc, n, "{\"tcbInfo\":%s,%s}x", inner, sig);
	assert_int_equal(tcb_text(doc, &sj), VOUCH_ERR_BAD_JSON);
	assert_int_equal(tcb_text("", &sj), VOUCH_ERR_BAD_JSON);
	assert_int_equal(tcb_text("[]", &sj), VOUCH_ERR_BAD_FIELD);
	assert_int_equal(tcb_text("[]", NULL), VOUCH_ERR_BAD_FIELD);
	/* A member name spelled with an escape is not the signed text. */
	escaped = malloc(n);
	assert_non_null(escaped);
	(void)snprintf(escaped, n, "{\"tcb\\u0049nfo\":%s,%s}", inner, sig);
	assert_int_equal(tcb_text(escaped, &sj), VOUCH_ERR_BAD_FIELD);
	free(escaped);
	/* Same for the QE identity. */
	(void)snprintf(doc, n, "{\"enclaveIdentity\":{},\"tcbInfo\":{}}");
	assert_int_equal(dcap_qe_identity_parse(NULL, (const uint8_t *)doc,
	    strlen(doc), &qi, &sj), VOUCH_ERR_BAD_FIELD);
	assert_int_equal(dcap_qe_identity_parse(NULL, NULL, 0, &qi, &sj),
	    VOUCH_ERR_BAD_JSON);
	assert_int_equal(dcap_tcb_info_parse(NULL, (const uint8_t *)"{}", 2,
	    NULL, NULL), VOUCH_ERR_INVALID_ARGUMENT);
	free(doc);
	free(inner);
	json_decref(body);
}

/* An unknown tcbStatus parses, and is refused when its level is chosen. */
static void
test_unknown_status(void **state)
{
	static const uint8_t comps[16] = { 3, 3, 2, 2, 4, 1, 0, 5 };
	static const uint8_t tee[16] = { 5, 0, 3 };
	struct vouch_ctx *ctx = vouch_ctx_new();
	const struct dcap_isv_level *il;
	struct dcap_sgx_report r;
	struct dcap_pck_ext pck;
	struct dcap_td_report t;
	json_t *doc;
	size_t lvl = 77;

	(void)state;
	NEED_TESTDATA();
	doc = body_of(T2_TCB, "tcbInfo");
	mutate(doc, "tcbLevels/0/tcbStatus", "\"TDRelaunchAdvised\"");
	mutate(doc, "tdxModuleIdentities/1/tcbLevels/0/tcbStatus", "\"Bogus\"");
	assert_int_equal(parse_doc(doc, false, true, NULL), VOUCH_OK);
	assert_int_equal(ti.levels[0].status, DCAP_TCB_UNKNOWN);
	pck_fill(&pck, comps, 13);
	assert_int_equal(dcap_match_tcb_level(ctx, &ti, &pck, tee, &lvl),
	    VOUCH_ERR_TCB_STATUS_UNKNOWN);
	assert_int_equal(lvl, 77);
	assert_non_null(strstr(vouch_error(ctx),
	    "tcbInfo.tcbLevels[0].tcbStatus"));
	/* A lower platform skips the unknown level and matches level 1. */
	pck.comp_svn[0] = 2;
	assert_int_equal(dcap_match_tcb_level(ctx, &ti, &pck, tee, &lvl),
	    VOUCH_OK);
	assert_int_equal(lvl, 1);
	memset(&t, 0, sizeof(t));
	t.tee_tcb_svn[0] = 6;
	t.tee_tcb_svn[1] = 1;
	assert_int_equal(dcap_match_module_identity(ctx, &ti, &t, &il),
	    VOUCH_ERR_TCB_STATUS_UNKNOWN);
	assert_non_null(strstr(vouch_error(ctx),
	    "tdxModuleIdentities[1].tcbLevels[0]"));
	t.tee_tcb_svn[0] = 5;
	assert_int_equal(dcap_match_module_identity(ctx, &ti, &t, &il),
	    VOUCH_OK);
	assert_int_equal(il->status, DCAP_TCB_OUT_OF_DATE);
	json_decref(doc);

	doc = body_of(G2_QE, "enclaveIdentity");
	mutate(doc, "tcbLevels/0/tcbStatus", "\"upToDate\"");
	assert_int_equal(parse_doc(doc, true, false, NULL), VOUCH_OK);
	memset(&r, 0, sizeof(r));
	memcpy(r.mrsigner, qi.mrsigner, 32);
	memcpy(r.attributes, qi.attributes, 16);
	r.isv_prod_id = 1;
	r.isv_svn = 9;
	assert_int_equal(dcap_match_qe_identity(ctx, &qi, &r, &il),
	    VOUCH_ERR_TCB_STATUS_UNKNOWN);
	r.isv_svn = 6;
	assert_int_equal(dcap_match_qe_identity(ctx, &qi, &r, &il), VOUCH_OK);
	json_decref(doc);
	vouch_ctx_free(ctx);
}

/* A TDX level without tdxtcbcomponents, and the byte orders. */
static void
test_tdx_components_and_byte_order(void **state)
{
	static const uint8_t comps[16] = { 9, 9, 9, 9, 9, 9, 9, 9 };
	static const uint8_t tee[16] = { 9, 0, 9 };
	struct vouch_ctx *ctx = vouch_ctx_new();
	const struct dcap_isv_level *il;
	struct dcap_pck_ext pck;
	struct dcap_td_report t;
	json_t *doc;
	size_t lvl;

	(void)state;
	NEED_TESTDATA();
	doc = body_of(T1_TCB, "tcbInfo");
	mutate(doc, "tcbLevels/0/tcb/tdxtcbcomponents", NULL);
	assert_int_equal(parse_doc(doc, false, false, NULL), VOUCH_OK);
	assert_false(ti.levels[0].has_tdx);
	pck_fill(&pck, comps, 20);
	assert_int_equal(dcap_match_tcb_level(ctx, &ti, &pck, tee, &lvl),
	    VOUCH_ERR_BAD_FIELD);
	assert_non_null(strstr(vouch_error(ctx), "tdxtcbcomponents"));
	json_decref(doc);

	/*
	 * "attributes": hex byte i is SEAMATTRIBUTES byte i of the quote,
	 * i.e. bits 8i..8i+7 of the little-endian u64.
	 */
	doc = body_of(T1_TCB, "tcbInfo");
	mutate(doc, "tdxModule/attributes", "\"0100000000000080\"");
	mutate(doc, "tdxModule/attributesMask", "\"03000000000000FF\"");
	assert_int_equal(parse_doc(doc, false, false, NULL), VOUCH_OK);
	assert_int_equal(ti.tdx_module_attributes, 0x8000000000000001ull);
	assert_int_equal(ti.tdx_module_attributes_mask, 0xff00000000000003ull);
	memset(&t, 0, sizeof(t));
	t.seam_attributes = 0x8000000000000001ull | 0x0000ff0000000004ull;
	assert_int_equal(dcap_match_module_identity(ctx, &ti, &t, &il),
	    VOUCH_OK);
	assert_null(il);
	t.seam_attributes = 0x0100000000000080ull;	/* big-endian reading */
	assert_int_equal(dcap_match_module_identity(ctx, &ti, &t, &il),
	    VOUCH_ERR_TCB_MISMATCH);
	t.seam_attributes = 0x8000000000000001ull;
	t.mrsignerseam[0] = 1;
	assert_int_equal(dcap_match_module_identity(ctx, &ti, &t, &il),
	    VOUCH_ERR_TCB_MISMATCH);
	assert_non_null(strstr(vouch_error(ctx),
	    "tcbInfo.tdxModule.mrsigner"));
	mutate(doc, "tdxModule", NULL);
	assert_int_equal(parse_doc(doc, false, false, NULL), VOUCH_OK);
	assert_false(ti.has_tdx_module);
	assert_int_equal(dcap_match_module_identity(ctx, &ti, &t, &il),
	    VOUCH_ERR_BAD_FIELD);
	json_decref(doc);

	/* "miscselect" likewise: hex byte i is MISCSELECT byte i. */
	doc = body_of(T1_QE, "enclaveIdentity");
	mutate(doc, "miscselect", "\"01000080\"");
	mutate(doc, "miscselectMask", "\"0F0000F0\"");
	assert_int_equal(parse_doc(doc, true, false, NULL), VOUCH_OK);
	assert_int_equal(qi.miscselect, 0x80000001u);
	assert_int_equal(qi.miscselect_mask, 0xf000000fu);
	json_decref(doc);
	vouch_ctx_free(ctx);
}

static void
test_bundle_strict(void **state)
{
	struct vouch_ctx *ctx = vouch_ctx_new();
	struct dcap_bundle bu;
	json_t *base, *doc;
	struct blob b;
	char *s;
	void *it;
	size_t i, nkeys;
	enum vouch_err rv;
	static const struct {
		const char	*key;
		const char	*val;
		const char	*msg;
	} bad[] = {
		{ "x", "1", "unknown key \"x\"" },
		{ "pck_certificate_chain", "\"-----BEGIN\"", "unknown key" },
		{ "root_ca_crl", "\"308\"", "bundle.root_ca_crl: 3 hex" },
		{ "pck_crl", "\"30zz\"", "bundle.pck_crl: bad hex" },
		{ "pck_crl", "\"\"", "bundle.pck_crl" },
		{ "tcb_info", "{}", "bundle.tcb_info: not a string" },
		{ "qe_identity", "\"\"", "bundle.qe_identity: empty" },
		{ "tcb_info_signature", "\"00\"", "bundle.tcb_info_signature" },
		{ "qe_identity_signature", "[]", "not a string" },
		{ "tcb_info_issuer_chain", "7", "not a string" },
	};

	(void)state;
	NEED_TESTDATA();
	assert_non_null(ctx);
	b = td(T5_BUNDLE);
	assert_int_equal(vouch_json_load(NULL, b.p, b.n, 0, &base), VOUCH_OK);
	free(b.p);
	nkeys = json_object_size(base);
	assert_int_equal(nkeys, 9);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		doc = json_deep_copy(base);
		mutate(doc, bad[i].key, bad[i].val);
		s = json_dumps(doc, JSON_COMPACT);
		rv = dcap_bundle_parse(ctx, (const uint8_t *)s, strlen(s), &bu);
		if (rv != VOUCH_ERR_BAD_FIELD ||
		    strstr(vouch_error(ctx), bad[i].msg) == NULL) {
			fail_msg("bundle %s: %s \"%s\"", bad[i].key,
			    vouch_errname(rv), vouch_error(ctx));
		}
		assert_null(bu.tcb_info);
		assert_null(bu.root_ca_crl);
		free(s);
		json_decref(doc);
	}
	/* Every member is required. */
	for (it = json_object_iter(base); it != NULL;
	    it = json_object_iter_next(base, it)) {
		doc = json_deep_copy(base);
		json_object_del(doc, json_object_iter_key(it));
		s = json_dumps(doc, JSON_COMPACT);
		assert_int_equal(dcap_bundle_parse(ctx, (const uint8_t *)s,
		    strlen(s), &bu), VOUCH_ERR_BAD_FIELD);
		assert_non_null(strstr(vouch_error(ctx), "missing"));
		free(s);
		json_decref(doc);
	}
	json_decref(base);
	assert_int_equal(dcap_bundle_parse(ctx, (const uint8_t *)"[]", 2, &bu),
	    VOUCH_ERR_BAD_FIELD);
	assert_int_equal(dcap_bundle_parse(ctx,
	    (const uint8_t *)"{\"tcb_info\":1,\"tcb_info\":1}", 27, &bu),
	    VOUCH_ERR_DUPLICATE_KEY);
	vouch_ctx_free(ctx);
}

static void
test_converge(void **state)
{
	static const struct {
		enum dcap_tcb_status	platform, qe, want;
	} rows[] = {
		{ DCAP_TCB_UP_TO_DATE, DCAP_TCB_UP_TO_DATE,
		    DCAP_TCB_UP_TO_DATE },
		{ DCAP_TCB_SW_HARDENING_NEEDED, DCAP_TCB_UP_TO_DATE,
		    DCAP_TCB_SW_HARDENING_NEEDED },
		{ DCAP_TCB_CONFIGURATION_NEEDED, DCAP_TCB_UP_TO_DATE,
		    DCAP_TCB_CONFIGURATION_NEEDED },
		{ DCAP_TCB_OUT_OF_DATE, DCAP_TCB_UP_TO_DATE,
		    DCAP_TCB_OUT_OF_DATE },
		{ DCAP_TCB_REVOKED, DCAP_TCB_UP_TO_DATE, DCAP_TCB_REVOKED },
		{ DCAP_TCB_UP_TO_DATE, DCAP_TCB_OUT_OF_DATE,
		    DCAP_TCB_OUT_OF_DATE },
		{ DCAP_TCB_SW_HARDENING_NEEDED, DCAP_TCB_OUT_OF_DATE,
		    DCAP_TCB_OUT_OF_DATE },
		{ DCAP_TCB_CONFIGURATION_NEEDED, DCAP_TCB_OUT_OF_DATE,
		    DCAP_TCB_OUT_OF_DATE_CONFIGURATION_NEEDED },
		{ DCAP_TCB_CONFIGURATION_AND_SW_HARDENING_NEEDED,
		    DCAP_TCB_OUT_OF_DATE,
		    DCAP_TCB_OUT_OF_DATE_CONFIGURATION_NEEDED },
		{ DCAP_TCB_OUT_OF_DATE, DCAP_TCB_OUT_OF_DATE,
		    DCAP_TCB_OUT_OF_DATE },
		{ DCAP_TCB_OUT_OF_DATE_CONFIGURATION_NEEDED,
		    DCAP_TCB_OUT_OF_DATE,
		    DCAP_TCB_OUT_OF_DATE_CONFIGURATION_NEEDED },
		{ DCAP_TCB_REVOKED, DCAP_TCB_OUT_OF_DATE, DCAP_TCB_REVOKED },
		{ DCAP_TCB_UP_TO_DATE, DCAP_TCB_REVOKED, DCAP_TCB_REVOKED },
		{ DCAP_TCB_CONFIGURATION_NEEDED, DCAP_TCB_REVOKED,
		    DCAP_TCB_REVOKED },
		/* QVL: any QE status but UpToDate / Revoked is out of date. */
		{ DCAP_TCB_UP_TO_DATE, DCAP_TCB_SW_HARDENING_NEEDED,
		    DCAP_TCB_OUT_OF_DATE },
		{ DCAP_TCB_UNKNOWN, DCAP_TCB_UP_TO_DATE, DCAP_TCB_UNKNOWN },
		{ DCAP_TCB_UP_TO_DATE, DCAP_TCB_UNKNOWN, DCAP_TCB_UNKNOWN },
		{ (enum dcap_tcb_status)42, DCAP_TCB_UP_TO_DATE,
		    DCAP_TCB_UNKNOWN },
		{ DCAP_TCB_UP_TO_DATE, (enum dcap_tcb_status)-1,
		    DCAP_TCB_UNKNOWN },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		if (dcap_converge_status(rows[i].platform, rows[i].qe) !=
		    rows[i].want) {
			fail_msg("converge row %zu", i);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_names),
		cmocka_unit_test(test_converge),
		cmocka_unit_test(test_real_tcb_info),
		cmocka_unit_test(test_real_qe_identity),
		cmocka_unit_test(test_bundle),
		cmocka_unit_test(test_match_t1),
		cmocka_unit_test(test_match_t2),
		cmocka_unit_test(test_match_t4),
		cmocka_unit_test(test_match_t5),
		cmocka_unit_test(test_match_g2),
		cmocka_unit_test(test_strict_tcb_info),
		cmocka_unit_test(test_strict_qe_identity),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_v2),
		cmocka_unit_test(test_envelope),
		cmocka_unit_test(test_unknown_status),
		cmocka_unit_test(test_tdx_components_and_byte_order),
		cmocka_unit_test(test_bundle_strict),
	};

	(void)setup(NULL);
	if (testdata == NULL) {
		return snp_testdata_missing("test_dcap_coll");
	}
	return cmocka_run_group_tests(tests, setup, NULL);
}
