/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The tdx and sgx platforms end to end (lib/platform/dcap.c) on real
 * quotes and collateral read in place from $VOUCH_TESTDATA: the verdicts
 * of tests/vectors/{tdx,sgx}/MANIFEST at the library level, and the
 * tamper suite — every byte of each signed region flipped, signatures,
 * keys, the QE report and its authentication data, certificates swapped
 * between quotes, collateral documents edited, truncations and trailing
 * bytes.  VOUCH_TEST_QUICK (set by scripts/valgrind-unit.sh) strides the
 * exhaustive loops.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "bs/bs.h"
#include "crypto/crypto.h"
#include "platform/ccel.h"
#include "platform/dcap.h"
#include "platform/platform.h"
#include "util/file.h"
#include "vouch/verify.h"

#define HEX48Z	"000000000000000000000000000000000000000000000000" \
	"000000000000000000000000000000000000000000000000"
#define T5_TIME		1752919234	/* 2025-07-19T10:00:34Z */
#define T5_QUOTE	"tdx/phala_tdx_quote.dat"
#define T5_BUNDLE	"tdx/phala_tdx_quote_collateral.json"
#define T4_QUOTE	"tdx/trustee_tdx_quote_6.dat"
#define G2_QUOTE	"sgx/mc_hw_quote_v3.dat"
#define G2_TIME		1689194905	/* 2023-07-12T20:48:25Z */

/* v4 TDX quote offsets (dcap.h; tdx/PROVENANCE.md) */
#define V4_BODY		48u
#define V4_SIGNED_END	632u
#define V4_SIGLEN	632u
#define V4_SIG		636u
#define V4_AK		700u
#define V4_T6		764u
#define V4_QE_REPORT	770u
#define V4_QE_SIG	1154u
#define V4_AUTH_LEN	1218u
#define V4_TDATTR	(V4_BODY + 16u + 48u + 48u + 8u)

struct blob {
	uint8_t	*p;
	size_t	 n;
};

static const char *testdata;
static size_t stride = 1;

static int
setup(void **state)
{
	(void)state;
	testdata = getenv("VOUCH_TESTDATA");
	if (testdata == NULL) {
		testdata = "../shared/testdata";
	}
	if (getenv("VOUCH_TEST_QUICK") != NULL) {
		stride = 13;
	}
	return 0;
}

static struct blob
load(const char *rel)
{
	char path[1024];
	struct blob b = { NULL, 0 };

	assert_true((size_t)snprintf(path, sizeof(path), "%s/%s", testdata,
	    rel) < sizeof(path));
	assert_int_equal(vouch_file_read(NULL, path, 1u << 20, &b.p, &b.n),
	    VOUCH_OK);
	return b;
}

/*
 * Verify |q| as |platform| at |t| with the endorsements |e| (n of them);
 * returns the error code, and the claims JSON in *claims when asked.
 */
static enum vouch_err
verify(const char *platform, const struct blob *q, int64_t t,
    const struct blob *e, size_t n, bool skip_crl, char **claims)
{
	struct vouch_ctx *ctx = vouch_ctx_new();
	struct vouch_verify_config *cfg = vouch_verify_config_new();
	struct vouch_result *res = NULL;
	enum vouch_err rv;
	size_t i;

	assert_non_null(ctx);
	assert_non_null(cfg);
	vouch_ctx_set_time(ctx, t);
	assert_int_equal(vouch_verify_config_set_platform(ctx, cfg, platform),
	    VOUCH_OK);
	for (i = 0; i < n; i++) {
		assert_int_equal(vouch_verify_config_add_endorsement(ctx, cfg,
		    e[i].p, e[i].n), VOUCH_OK);
	}
	if (skip_crl) {
		vouch_verify_config_insecure_skip_revocation(cfg);
	}
	rv = vouch_verify_evidence(ctx, cfg, q->p, q->n, &res);
	if (rv == VOUCH_OK && claims != NULL) {
		*claims = vouch_claims_to_json(vouch_result_claims(res));
	}
	vouch_result_free(res);
	vouch_verify_config_free(cfg);
	vouch_ctx_free(ctx);
	return rv;
}

static enum vouch_err
verify_t5(const struct blob *q, const struct blob *bundle)
{
	return verify("tdx", q, T5_TIME, bundle, 1, false, NULL);
}

/* T-5 with its bundle: UpToDate, and the claims say so. */
static void
t_phala_valid(void **state)
{
	struct blob q = load(T5_QUOTE), b = load(T5_BUNDLE);
	char *claims = NULL;
	const char *want[] = {
		"\"platform\":\"tdx\"", "\"tcb.status\":\"UpToDate\"",
		"\"tcb.advisories\":\"\"", "\"debug\":false",
		"\"dcap.fmspc\":\"b0c06f000000\"", "\"dcap.quote_version\":4",
		"\"measurement\":\"91eb2b44d141d4ece09f0c75c2c53d247a3c68edd7fafe8a3520c942a604a407de03ae6dc5f87f27428b2538873118b7\"",
		"\"tdx.td_attributes.sept_ve_disable\":true",
	};
	size_t i;

	(void)state;
	assert_int_equal(verify("tdx", &q, T5_TIME, &b, 1, false, &claims),
	    VOUCH_OK);
	assert_non_null(claims);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		if (strstr(claims, want[i]) == NULL) {
			fail_msg("claim %s missing in %s", want[i], claims);
		}
	}
	free(claims);
	/* The same quote is not SGX evidence. */
	assert_int_equal(verify("sgx", &q, T5_TIME, &b, 1, false, NULL),
	    VOUCH_ERR_PLATFORM_MISMATCH);
	free(q.p);
	free(b.p);
}

static void
flip_range(const struct blob *q, const struct blob *b, size_t from,
    size_t to, const enum vouch_err *allowed, size_t nallowed)
{
	enum vouch_err rv;
	size_t i, k;
	uint8_t m;

	for (i = from; i < to; i += stride) {
		for (m = 0x01; m != 0; m = m == 0x01 ? 0x80 : 0) {
			q->p[i] ^= m;
			rv = verify_t5(q, b);
			q->p[i] ^= m;
			for (k = 0; k < nallowed; k++) {
				if (rv == allowed[k]) {
					break;
				}
			}
			if (k == nallowed) {
				fail_msg("byte %zu ^ 0x%02x: %s", i, m,
				    vouch_errname(rv));
			}
		}
	}
}

/* Checklist #3: every byte of header || body. */
static void
t_flip_signed_region(void **state)
{
	struct blob q = load(T5_QUOTE), b = load(T5_BUNDLE);
	const enum vouch_err body[] = { VOUCH_ERR_SIGNATURE_INVALID };
	const enum vouch_err attrs[] = { VOUCH_ERR_SIGNATURE_INVALID,
	    VOUCH_ERR_RESERVED_NONZERO };
	const enum vouch_err header[] = { VOUCH_ERR_SIGNATURE_INVALID,
	    VOUCH_ERR_UNSUPPORTED_VERSION, VOUCH_ERR_BAD_FIELD,
	    VOUCH_ERR_PLATFORM_MISMATCH, VOUCH_ERR_TRUNCATED,
	    VOUCH_ERR_UNKNOWN_FORMAT, VOUCH_ERR_TRAILING_DATA };

	(void)state;
	assert_int_equal(verify_t5(&q, &b), VOUCH_OK);
	flip_range(&q, &b, 0, V4_BODY, header, 7);
	flip_range(&q, &b, V4_BODY, V4_TDATTR, body, 1);
	flip_range(&q, &b, V4_TDATTR, V4_TDATTR + 8, attrs, 2);
	flip_range(&q, &b, V4_TDATTR + 8, V4_SIGNED_END, body, 1);
	free(q.p);
	free(b.p);
}

/* The quote signature, the attestation key, the QE report, its signature. */
static void
t_flip_signatures(void **state)
{
	struct blob q = load(T5_QUOTE), b = load(T5_BUNDLE);
	const enum vouch_err sig[] = { VOUCH_ERR_SIGNATURE_INVALID };
	const enum vouch_err key[] = { VOUCH_ERR_SIGNATURE_INVALID,
	    VOUCH_ERR_BAD_KEY };
	const enum vouch_err qe[] = { VOUCH_ERR_SIGNATURE_INVALID,
	    VOUCH_ERR_RESERVED_NONZERO };
	size_t auth_len;

	(void)state;
	flip_range(&q, &b, V4_SIG, V4_AK, sig, 1);
	flip_range(&q, &b, V4_AK, V4_T6, key, 2);
	flip_range(&q, &b, V4_QE_REPORT, V4_QE_SIG, qe, 2);
	flip_range(&q, &b, V4_QE_SIG, V4_AUTH_LEN, sig, 1);
	/* Checklist #4: the QE authentication data is bound by the report. */
	auth_len = (size_t)q.p[V4_AUTH_LEN] | (size_t)q.p[V4_AUTH_LEN + 1] << 8;
	assert_true(auth_len > 0);
	flip_range(&q, &b, V4_AUTH_LEN + 2, V4_AUTH_LEN + 2 + auth_len, sig, 1);
	free(q.p);
	free(b.p);
}

/*
 * |q| with its PCK chain replaced by |pem| (v4 layout, every length
 * fixed up); malloc'd.
 */
static struct blob
with_chain(const struct blob *q, const uint8_t *pem, size_t pem_len)
{
	size_t auth_len = (size_t)q->p[V4_AUTH_LEN] |
	    (size_t)q->p[V4_AUTH_LEN + 1] << 8;
	size_t t5 = V4_AUTH_LEN + 2 + auth_len;
	size_t siglen, t6size;
	struct blob out;

	out.n = t5 + 6 + pem_len;
	out.p = malloc(out.n);
	assert_non_null(out.p);
	memcpy(out.p, q->p, t5 + 2);
	out.p[t5 + 2] = (uint8_t)pem_len;
	out.p[t5 + 3] = (uint8_t)(pem_len >> 8);
	out.p[t5 + 4] = (uint8_t)(pem_len >> 16);
	out.p[t5 + 5] = (uint8_t)(pem_len >> 24);
	memcpy(out.p + t5 + 6, pem, pem_len);
	siglen = out.n - V4_SIG;
	out.p[V4_SIGLEN] = (uint8_t)siglen;
	out.p[V4_SIGLEN + 1] = (uint8_t)(siglen >> 8);
	out.p[V4_SIGLEN + 2] = 0;
	out.p[V4_SIGLEN + 3] = 0;
	t6size = out.n - V4_QE_REPORT;
	out.p[V4_T6 + 2] = (uint8_t)t6size;
	out.p[V4_T6 + 3] = (uint8_t)(t6size >> 8);
	out.p[V4_T6 + 4] = 0;
	out.p[V4_T6 + 5] = 0;
	return out;
}

static const uint8_t *
chain_of(const struct blob *q, size_t *len)
{
	size_t auth_len = (size_t)q->p[V4_AUTH_LEN] |
	    (size_t)q->p[V4_AUTH_LEN + 1] << 8;
	size_t t5 = V4_AUTH_LEN + 2 + auth_len;

	*len = (size_t)q->p[t5 + 2] | (size_t)q->p[t5 + 3] << 8 |
	    (size_t)q->p[t5 + 4] << 16;
	return q->p + t5 + 6;
}

/* Certificates swapped between quotes; the chain rebuilt unchanged passes. */
static void
t_swap_chain(void **state)
{
	struct blob q = load(T5_QUOTE), b = load(T5_BUNDLE), other = load(T4_QUOTE);
	struct blob same, swapped, cut;
	const uint8_t *pem, *third;
	size_t n;

	(void)state;
	pem = chain_of(&q, &n);
	same = with_chain(&q, pem, n);
	assert_int_equal(verify_t5(&same, &b), VOUCH_OK);
	/* Another platform's PCK: the QE report signature fails. */
	pem = chain_of(&other, &n);
	swapped = with_chain(&q, pem, n);
	assert_int_equal(verify_t5(&swapped, &b), VOUCH_ERR_SIGNATURE_INVALID);
	/* Only the leaf and the intermediate: three certificates required. */
	pem = chain_of(&q, &n);
	third = memmem(pem, n, "-----BEGIN", 10);
	assert_non_null(third);
	third = memmem(third + 1, n - (size_t)(third + 1 - pem), "-----BEGIN", 10);
	assert_non_null(third);
	third = memmem(third + 1, n - (size_t)(third + 1 - pem), "-----BEGIN", 10);
	assert_non_null(third);
	cut = with_chain(&q, pem, (size_t)(third - pem));
	assert_int_equal(verify_t5(&cut, &b), VOUCH_ERR_BAD_CERT);
	free(cut.p);
	free(same.p);
	free(swapped.p);
	free(q.p);
	free(b.p);
	free(other.p);
}

/* Every truncation fails; bytes after the quote are ignored. */
static void
t_truncate_and_trailing(void **state)
{
	struct blob q = load(T5_QUOTE), b = load(T5_BUNDLE), t;
	enum vouch_err rv;
	size_t i, end = 4936;

	(void)state;
	assert_true(q.n == 5006);
	for (i = 0; i < end; i += stride * 7) {
		t.p = q.p;
		t.n = i;
		rv = verify_t5(&t, &b);
		assert_int_not_equal(rv, VOUCH_OK);
	}
	t.n = end;
	assert_int_equal(verify_t5(&t, &b), VOUCH_OK);
	/* Text instead of zero padding after it. */
	memcpy(q.p + end, "extra bytes after the quote", 27);
	assert_int_equal(verify_t5(&q, &b), VOUCH_OK);
	/* A signature_data_len larger than the bytes present. */
	q.n = end;
	q.p[V4_SIGLEN] = (uint8_t)(q.p[V4_SIGLEN] + 1);
	assert_int_not_equal(verify_t5(&q, &b), VOUCH_OK);
	free(q.p);
	free(b.p);
}

/* |doc| with the first |from| replaced by |to| (same length). */
static void
edit(struct blob *doc, const char *from, const char *to)
{
	uint8_t *p = memmem(doc->p, doc->n, from, strlen(from));

	assert_non_null(p);
	assert_int_equal(strlen(from), strlen(to));
	memcpy(p, to, strlen(to));
}

/* Collateral documents edited after signing: refused. */
static void
t_collateral_edited(void **state)
{
	struct blob q = load(T5_QUOTE), b;

	(void)state;
	b = load(T5_BUNDLE);
	edit(&b, "\\\"tcbEvaluationDataNumber\\\":17", "\\\"tcbEvaluationDataNumber\\\":16");
	assert_int_equal(verify_t5(&q, &b), VOUCH_ERR_SIGNATURE_INVALID);
	free(b.p);
	b = load(T5_BUNDLE);
	edit(&b, "\\\"isvprodid\\\":2", "\\\"isvprodid\\\":3");
	assert_int_equal(verify_t5(&q, &b), VOUCH_ERR_SIGNATURE_INVALID);
	free(b.p);
	free(q.p);
}

/* G-2 (SGX v3): SWHardeningNeeded needs acceptance; then the claims. */
static void
t_sgx_swhardening(void **state)
{
	struct blob q = load(G2_QUOTE);
	struct blob e[6];
	struct vouch_ctx *ctx = vouch_ctx_new();
	struct vouch_verify_config *cfg = vouch_verify_config_new();
	struct vouch_result *res = NULL;
	const char *s;
	size_t i;

	(void)state;
	e[0] = load("sgx/mc_collateral/processor_ca.pem");
	e[1] = load("sgx/mc_collateral/qe_identity.json");
	e[2] = load("sgx/mc_collateral/tcb_signer.pem");
	e[3] = load("sgx/mc_collateral/tcbinfo_00906ED50000_2023_07_12.json");
	e[4] = load("sgx/mc_collateral/processor_crl.der");
	e[5] = load("sgx/mc_collateral/root_crl.der");
	assert_int_equal(verify("sgx", &q, G2_TIME, e, 6, false, NULL),
	    VOUCH_ERR_CRL_EXPIRED);
	assert_int_equal(verify("sgx", &q, G2_TIME, e, 6, true, NULL),
	    VOUCH_ERR_TCB_NEEDS_POLICY);
	assert_int_equal(verify("tdx", &q, G2_TIME, e, 6, true, NULL),
	    VOUCH_ERR_PLATFORM_MISMATCH);

	vouch_ctx_set_time(ctx, G2_TIME);
	assert_int_equal(vouch_verify_config_set_platform(ctx, cfg, "sgx"),
	    VOUCH_OK);
	for (i = 0; i < 6; i++) {
		assert_int_equal(vouch_verify_config_add_endorsement(ctx, cfg,
		    e[i].p, e[i].n), VOUCH_OK);
	}
	vouch_verify_config_insecure_skip_revocation(cfg);
	assert_int_equal(vouch_verify_config_accept_tcb_status(ctx, cfg,
	    "OutOfDate"), VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(vouch_verify_config_accept_tcb_status(ctx, cfg,
	    "SWHardeningNeeded"), VOUCH_OK);
	assert_int_equal(vouch_verify_evidence(ctx, cfg, q.p, q.n, &res),
	    VOUCH_OK);
	assert_true(vouch_claims_get_string(vouch_result_claims(res),
	    "tcb.status", &s));
	assert_string_equal(s, "SWHardeningNeeded");
	assert_true(vouch_claims_get_string(vouch_result_claims(res),
	    "tcb.advisories", &s));
	assert_string_equal(s, "INTEL-SA-00334,INTEL-SA-00615");
	assert_true(vouch_claims_get_string(vouch_result_claims(res),
	    "dcap.qe_tcb_status", &s));
	assert_string_equal(s, "UpToDate");
	assert_true(vouch_claims_get_string(vouch_result_claims(res),
	    "platform", &s));
	assert_string_equal(s, "sgx");
	vouch_result_free(res);
	vouch_verify_config_free(cfg);
	vouch_ctx_free(ctx);
	for (i = 0; i < 6; i++) {
		free(e[i].p);
	}
	free(q.p);
}

/* ---- a synthetic DCAP world, for what real data cannot reach ---- */

#define S_NOW		1780000000	/* 2026-05-28 */
#define S_NB		1735689600	/* 2025-01-01 */
#define S_NA		1924992000	/* 2031-01-01 */

static const uint8_t qe_mrsigner[32] = {
	0x8c, 0x4f, 0x57, 0x75, 0xd7, 0x96, 0x50, 0x3e,
	0x96, 0x13, 0x7f, 0x77, 0xc6, 0x8a, 0x82, 0x9a,
	0x00, 0x56, 0xac, 0x8d, 0xed, 0x70, 0x14, 0x0b,
	0x08, 0x1b, 0x09, 0x44, 0x90, 0xc5, 0x7b, 0xff,
};

struct synth {
	EVP_PKEY	*root_key, *ca_key, *pck_key, *tcb_key, *ak;
	X509		*root, *ca, *pck, *tcb;
	uint8_t		 pin[32];
	char		*chain_pem;
	size_t		 chain_len;
	uint8_t		 comp[16];
	uint16_t	 pcesvn;
	uint8_t		 fmspc[6];
};

/* Append a DER TLV (short or two-byte long form). */
static size_t
tlv(uint8_t *out, uint8_t tag, const uint8_t *v, size_t n)
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
	memcpy(out + h, v, n);
	return h + n;
}

static size_t
der_uint(uint8_t *out, unsigned v)
{
	uint8_t b[3];
	size_t n = 0;

	if (v >= 0x8000) {
		b[n++] = 0;
	}
	if (v >= 0x80) {
		if (v < 0x100) {
			b[n++] = 0;
		} else {
			b[n++] = (uint8_t)(v >> 8);
		}
	}
	b[n++] = (uint8_t)v;
	return tlv(out, 0x02, b, n);
}

/* SEQUENCE { OID 1.2.840.113741.1.13.1[.a[.b]], value } */
static size_t
member(uint8_t *out, int a, int b, const uint8_t *val, size_t vn)
{
	uint8_t oid[16] = { 0x2a, 0x86, 0x48, 0x86, 0xf8, 0x4d, 0x01, 0x0d,
	    0x01 }, body[512];
	size_t on = 9, n;

	oid[on++] = (uint8_t)a;
	if (b > 0) {
		oid[on++] = (uint8_t)b;
	}
	n = tlv(body, 0x06, oid, on);
	memcpy(body + n, val, vn);
	return tlv(out, 0x30, body, n + vn);
}

static size_t
sgx_extension(const struct synth *s, uint8_t *out)
{
	uint8_t seq[2048], tcb[1024], v[64], m[1024];
	size_t n = 0, tn = 0, vn, i;
	static const uint8_t zero16[16];

	for (i = 0; i < 16; i++) {
		vn = der_uint(v, s->comp[i]);
		tn += member(tcb + tn, 2, (int)i + 1, v, vn);
	}
	vn = der_uint(v, s->pcesvn);
	tn += member(tcb + tn, 2, 17, v, vn);
	vn = tlv(v, 0x04, s->comp, 16);
	tn += member(tcb + tn, 2, 18, v, vn);
	vn = tlv(v, 0x04, zero16, 16);
	n += member(seq + n, 1, 0, v, vn);
	vn = tlv(m, 0x30, tcb, tn);
	n += member(seq + n, 2, 0, m, vn);
	vn = tlv(v, 0x04, (const uint8_t *)"\0\0", 2);
	n += member(seq + n, 3, 0, v, vn);
	vn = tlv(v, 0x04, s->fmspc, 6);
	n += member(seq + n, 4, 0, v, vn);
	vn = tlv(v, 0x0a, (const uint8_t *)"\0", 1);
	n += member(seq + n, 5, 0, v, vn);
	return tlv(out, 0x30, seq, n);
}

static EVP_PKEY *
p256(void)
{
	EVP_PKEY *k = EVP_EC_gen("P-256");

	assert_non_null(k);
	return k;
}

static X509 *
cert(const char *cn, EVP_PKEY *key, X509 *issuer, EVP_PKEY *issuer_key,
    bool ca, const uint8_t *ext, size_t ext_len)
{
	struct vouch_cert_spec spec;
	X509 *x = NULL;

	memset(&spec, 0, sizeof(spec));
	spec.common_name = cn;
	spec.organization = "Intel Corporation";
	spec.not_before = S_NB;
	spec.not_after = S_NA;
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

static void
pem_append(char **buf, size_t *len, X509 *x)
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

static void
synth_init(struct synth *s, bool self_signed_only)
{
	uint8_t ext[4096];
	size_t n;

	memset(s, 0, sizeof(*s));
	memset(s->comp, 3, sizeof(s->comp));
	s->pcesvn = 13;
	memcpy(s->fmspc, "\x00\x90\x6e\xd5\x00\x00", 6);
	s->root_key = p256();
	s->ca_key = p256();
	s->pck_key = p256();
	s->tcb_key = p256();
	s->ak = p256();
	s->root = cert("Intel SGX Root CA", s->root_key, NULL, NULL, true, NULL,
	    0);
	s->ca = cert("Intel SGX PCK Platform CA", s->ca_key, s->root,
	    s->root_key, true, NULL, 0);
	n = sgx_extension(s, ext);
	s->pck = cert("Intel SGX PCK Certificate", s->pck_key, s->ca,
	    s->ca_key, false, ext, n);
	s->tcb = cert("Intel SGX TCB Signing", s->tcb_key, s->root, s->root_key,
	    false, NULL, 0);
	assert_int_equal(vouch_key_spki_sha256(NULL, X509_get0_pubkey(s->root),
	    s->pin), VOUCH_OK);
	(void)self_signed_only;
	pem_append(&s->chain_pem, &s->chain_len, s->pck);
	pem_append(&s->chain_pem, &s->chain_len, s->ca);
	pem_append(&s->chain_pem, &s->chain_len, s->root);
}

static void
synth_free(struct synth *s)
{
	EVP_PKEY_free(s->root_key);
	EVP_PKEY_free(s->ca_key);
	EVP_PKEY_free(s->pck_key);
	EVP_PKEY_free(s->tcb_key);
	EVP_PKEY_free(s->ak);
	X509_free(s->root);
	X509_free(s->ca);
	X509_free(s->pck);
	X509_free(s->tcb);
	free(s->chain_pem);
}

static void
put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, v & 0xffff);
	put16(p + 2, v >> 16);
}

static void
put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

struct qopts {
	bool		 tdx;
	uint64_t	 td_attr;
	uint64_t	 sgx_flags;	/* enclave ATTRIBUTES.FLAGS */
	uint64_t	 qe_flags;	/* QE ATTRIBUTES.FLAGS */
	uint8_t		 tee_tcb_svn[16];
	const uint8_t	(*rtmr)[48];	/* RTMR0..3, or NULL: zero */
};

/* A quote (v4 TDX or v3 SGX) signed in the synthetic world. */
static struct blob
synth_quote(const struct synth *s, const struct qopts *o)
{
	static const uint8_t auth[32] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	uint8_t hdr_body[48 + 584], qe[384], sig[64], qsig[64], xy[65];
	uint8_t hash[32];
	size_t body = o->tdx ? 584 : 384, signed_len = 48 + body, n = 0, kn;
	size_t qe_data_len, siglen;
	struct blob q;
	EVP_MD_CTX *md;
	unsigned int hn = 0;

	memset(hdr_body, 0, sizeof(hdr_body));
	put16(hdr_body, o->tdx ? 4 : 3);
	put16(hdr_body + 2, 2);
	put32(hdr_body + 4, o->tdx ? 0x81 : 0);
	memcpy(hdr_body + 12, dcap_intel_qe_vendor_id, 16);
	if (o->tdx) {
		memcpy(hdr_body + 48, o->tee_tcb_svn, 16);
		put64(hdr_body + 48 + 120, o->td_attr);
		memset(hdr_body + 48 + 136, 0xab, 48);		/* MRTD */
		if (o->rtmr != NULL) {
			memcpy(hdr_body + 48 + 328, o->rtmr, 4 * 48);
		}
	} else {
		put64(hdr_body + 48 + 48, o->sgx_flags | 0x5);
		memset(hdr_body + 48 + 64, 0xcd, 32);		/* MRENCLAVE */
		memset(hdr_body + 48 + 128, 0xef, 32);		/* MRSIGNER */
	}
	assert_int_equal(vouch_ecdsa_sign_raw(NULL, s->ak, hdr_body, signed_len,
	    sig, sizeof(sig)), VOUCH_OK);
	assert_int_equal(EVP_PKEY_get_octet_string_param(s->ak,
	    OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, xy, sizeof(xy), &kn), 1);
	assert_int_equal(kn, 65);
	memset(qe, 0, sizeof(qe));
	put64(qe + 48, o->qe_flags);
	put64(qe + 56, 0xe7);
	memcpy(qe + 128, qe_mrsigner, 32);
	put16(qe + 256, o->tdx ? 2 : 1);
	put16(qe + 258, 8);
	md = EVP_MD_CTX_new();
	assert_true(md != NULL && EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1 &&
	    EVP_DigestUpdate(md, xy + 1, 64) == 1 &&
	    EVP_DigestUpdate(md, auth, sizeof(auth)) == 1 &&
	    EVP_DigestFinal_ex(md, hash, &hn) == 1);
	EVP_MD_CTX_free(md);
	memcpy(qe + 320, hash, 32);
	assert_int_equal(vouch_ecdsa_sign_raw(NULL, s->pck_key, qe, sizeof(qe),
	    qsig, sizeof(qsig)), VOUCH_OK);
	qe_data_len = 384 + 64 + 2 + sizeof(auth) + 6 + s->chain_len;
	siglen = 64 + 64 + (o->tdx ? 6 : 0) + qe_data_len;
	q.n = signed_len + 4 + siglen;
	q.p = malloc(q.n);
	assert_non_null(q.p);
	memcpy(q.p, hdr_body, signed_len);
	n = signed_len;
	put32(q.p + n, (uint32_t)siglen);
	n += 4;
	memcpy(q.p + n, sig, 64);
	n += 64;
	memcpy(q.p + n, xy + 1, 64);
	n += 64;
	if (o->tdx) {
		put16(q.p + n, 6);
		put32(q.p + n + 2, (uint32_t)qe_data_len);
		n += 6;
	}
	memcpy(q.p + n, qe, 384);
	n += 384;
	memcpy(q.p + n, qsig, 64);
	n += 64;
	put16(q.p + n, sizeof(auth));
	memcpy(q.p + n + 2, auth, sizeof(auth));
	n += 2 + sizeof(auth);
	put16(q.p + n, 5);
	put32(q.p + n + 2, (uint32_t)s->chain_len);
	n += 6;
	memcpy(q.p + n, s->chain_pem, s->chain_len);
	n += s->chain_len;
	assert_int_equal(n, q.n);
	return q;
}

/* {"<member>":<text>,"signature":"<hex r||s by the TCB key>"} */
static struct blob
signed_doc(const struct synth *s, EVP_PKEY *key, const char *member,
    const char *text)
{
	uint8_t sig[64];
	char hex[129];
	struct blob b;

	assert_int_equal(vouch_ecdsa_sign_raw(NULL, key != NULL ? key :
	    s->tcb_key, (const uint8_t *)text, strlen(text), sig, sizeof(sig)),
	    VOUCH_OK);
	assert_true(vouch_hex_encode(sig, sizeof(sig), hex, sizeof(hex)));
	b.n = strlen(member) + strlen(text) + 160;
	b.p = malloc(b.n);
	assert_non_null(b.p);
	b.n = (size_t)snprintf((char *)b.p, b.n, "{\"%s\":%s,\"signature\":\"%s\"}",
	    member, text, hex);
	return b;
}

static void
comps(char *out, size_t cap, unsigned svn)
{
	size_t i, off = 0;

	off += (size_t)snprintf(out + off, cap - off, "[");
	for (i = 0; i < 16; i++) {
		off += (size_t)snprintf(out + off, cap - off, "%s{\"svn\":%u}",
		    i > 0 ? "," : "", svn);
	}
	(void)snprintf(out + off, cap - off, "]");
}

static struct blob
synth_tcb_info(const struct synth *s, bool tdx, const char *status,
    const char *fmspc_hex)
{
	char text[8192], c[512], t[512];

	comps(c, sizeof(c), 3);
	comps(t, sizeof(t), 0);
	(void)snprintf(text, sizeof(text),
	    "{\"id\":\"%s\",\"version\":3,\"issueDate\":\"2026-05-01T00:00:00Z\","
	    "\"nextUpdate\":\"2026-06-30T00:00:00Z\",\"fmspc\":\"%s\","
	    "\"pceId\":\"0000\",\"tcbType\":0,\"tcbEvaluationDataNumber\":17,"
	    "%s\"tcbLevels\":[{\"tcb\":{\"sgxtcbcomponents\":%s,\"pcesvn\":13"
	    "%s%s},\"tcbDate\":\"2024-01-01T00:00:00Z\",\"tcbStatus\":\"%s\","
	    "\"advisoryIDs\":[\"INTEL-SA-00001\"]}]}",
	    tdx ? "TDX" : "SGX", fmspc_hex != NULL ? fmspc_hex : "00906ed50000",
	    tdx ? "\"tdxModule\":{\"mrsigner\":\"" HEX48Z "\",\"attributes\":"
	    "\"0000000000000000\",\"attributesMask\":\"FFFFFFFFFFFFFFFF\"}," : "",
	    c, tdx ? ",\"tdxtcbcomponents\":" : "", tdx ? t : "", status);
	return signed_doc(s, NULL, "tcbInfo", text);
}

static struct blob
synth_qe_identity(const struct synth *s, EVP_PKEY *key, bool tdx,
    const char *mrsigner_hex, const char *status)
{
	char text[2048], mr[65];

	assert_true(vouch_hex_encode(qe_mrsigner, 32, mr, sizeof(mr)));
	(void)snprintf(text, sizeof(text),
	    "{\"id\":\"%s\",\"version\":2,\"issueDate\":\"2026-05-01T00:00:00Z\","
	    "\"nextUpdate\":\"2026-06-30T00:00:00Z\",\"tcbEvaluationDataNumber\":"
	    "17,\"miscselect\":\"00000000\",\"miscselectMask\":\"FFFFFFFF\","
	    "\"attributes\":\"11000000000000000000000000000000\","
	    "\"attributesMask\":\"FBFFFFFFFFFFFFFF0000000000000000\","
	    "\"mrsigner\":\"%s\",\"isvprodid\":%d,\"tcbLevels\":[{\"tcb\":"
	    "{\"isvsvn\":8},\"tcbDate\":\"2024-01-01T00:00:00Z\",\"tcbStatus\":"
	    "\"%s\"}]}", tdx ? "TD_QE" : "QE",
	    mrsigner_hex != NULL ? mrsigner_hex : mr, tdx ? 2 : 1, status);
	return signed_doc(s, key, "enclaveIdentity", text);
}

/* A DER CRL by |issuer| listing |revoked| (may be NULL), in force at S_NOW. */
static struct blob
synth_crl(X509 *issuer, EVP_PKEY *key, X509 *revoked)
{
	X509_CRL *crl = X509_CRL_new();
	X509_REVOKED *r;
	ASN1_INTEGER *serial;
	ASN1_TIME *t1 = ASN1_TIME_set(NULL, S_NOW - 86400);
	ASN1_TIME *t2 = ASN1_TIME_set(NULL, S_NOW + 86400 * 20);
	unsigned char *der = NULL;
	struct blob b;
	int n;

	assert_true(crl != NULL && t1 != NULL && t2 != NULL);
	assert_int_equal(X509_CRL_set_version(crl, 1), 1);
	assert_int_equal(X509_CRL_set_issuer_name(crl,
	    X509_get_subject_name(issuer)), 1);
	assert_int_equal(X509_CRL_set1_lastUpdate(crl, t1), 1);
	assert_int_equal(X509_CRL_set1_nextUpdate(crl, t2), 1);
	if (revoked != NULL) {
		r = X509_REVOKED_new();
		assert_non_null(r);
		serial = ASN1_INTEGER_dup(X509_get0_serialNumber(revoked));
		assert_non_null(serial);
		assert_int_equal(X509_REVOKED_set_serialNumber(r, serial), 1);
		ASN1_INTEGER_free(serial);
		assert_int_equal(X509_REVOKED_set_revocationDate(r, t1), 1);
		assert_int_equal(X509_CRL_add0_revoked(crl, r), 1);
	}
	assert_true(X509_CRL_sign(crl, key, EVP_sha256()) > 0);
	n = i2d_X509_CRL(crl, &der);
	assert_true(n > 0);
	b.p = malloc((size_t)n);
	assert_non_null(b.p);
	memcpy(b.p, der, (size_t)n);
	b.n = (size_t)n;
	OPENSSL_free(der);
	X509_CRL_free(crl);
	ASN1_TIME_free(t1);
	ASN1_TIME_free(t2);
	return b;
}

static struct blob
cert_pem(X509 *x)
{
	struct blob b = { NULL, 0 };

	pem_append((char **)&b.p, &b.n, x);
	return b;
}

/*
 * Verify |q| in the synthetic world (pinned synthetic root unless
 * |intel_pin|), with endorsements |e|.
 */
static enum vouch_err
synth_verify(const struct synth *s, const struct blob *q, bool tdx,
    const struct blob *e, size_t n, unsigned flags, char **claims)
{
	struct vouch_ctx *ctx = vouch_ctx_new();
	struct vouch_verify_config *cfg = vouch_verify_config_new();
	struct vouch_result *res = NULL;
	enum vouch_err rv;
	size_t i;

	assert_true(ctx != NULL && cfg != NULL);
	vouch_ctx_set_time(ctx, (flags & 8) ? S_NOW + 86400 * 40 : S_NOW);
	assert_int_equal(vouch_verify_config_set_platform(ctx, cfg,
	    tdx ? "tdx" : "sgx"), VOUCH_OK);
	if ((flags & 1) == 0) {
		cfg->dcap_test_root_pin = s->pin;
	}
	if (flags & 2) {
		vouch_verify_config_insecure_allow_debug(cfg);
	}
	if (flags & 4) {
		assert_int_equal(vouch_verify_config_accept_tcb_status(ctx, cfg,
		    "ConfigurationNeeded"), VOUCH_OK);
	}
	for (i = 0; i < n; i++) {
		assert_int_equal(vouch_verify_config_add_endorsement(ctx, cfg,
		    e[i].p, e[i].n), VOUCH_OK);
	}
	rv = vouch_verify_evidence(ctx, cfg, q->p, q->n, &res);
	if (rv == VOUCH_OK && claims != NULL) {
		*claims = vouch_claims_to_json(vouch_result_claims(res));
	}
	vouch_result_free(res);
	vouch_verify_config_free(cfg);
	vouch_ctx_free(ctx);
	return rv;
}

#define SF_INTEL_PIN	1
#define SF_DEBUG	2
#define SF_ACCEPT_CONF	4
#define SF_LATER	8

/* The collateral of the synthetic world: TCB Info, QE identity, CRLs, signer. */
struct world {
	struct synth	 s;
	struct blob	 e[5];
};

static void
world_init(struct world *w, bool tdx, const char *status,
    const char *qe_status)
{
	synth_init(&w->s, false);
	w->e[0] = synth_tcb_info(&w->s, tdx, status, NULL);
	w->e[1] = synth_qe_identity(&w->s, NULL, tdx, NULL, qe_status);
	w->e[2] = synth_crl(w->s.root, w->s.root_key, NULL);
	w->e[3] = synth_crl(w->s.ca, w->s.ca_key, NULL);
	w->e[4] = cert_pem(w->s.tcb);
}

static void
world_free(struct world *w)
{
	size_t i;

	for (i = 0; i < 5; i++) {
		free(w->e[i].p);
	}
	synth_free(&w->s);
}

static void
t_synth_tdx(void **state)
{
	struct qopts o = { .tdx = true, .qe_flags = 0x11 };
	struct world w;
	struct blob q, saved;
	char *claims = NULL;

	(void)state;
	world_init(&w, true, "UpToDate", "UpToDate");
	q = synth_quote(&w.s, &o);
	assert_int_equal(synth_verify(&w.s, &q, true, w.e, 5, 0, &claims),
	    VOUCH_OK);
	assert_non_null(strstr(claims, "\"tcb.advisories\":\"INTEL-SA-00001\""));
	free(claims);
	/* The real Intel root is pinned by default: this chain is not Intel's. */
	assert_int_equal(synth_verify(&w.s, &q, true, w.e, 5, SF_INTEL_PIN,
	    NULL), VOUCH_ERR_NO_TRUST_ANCHOR);
	/* Collateral past its nextUpdate. */
	assert_int_equal(synth_verify(&w.s, &q, true, w.e, 5, SF_LATER, NULL),
	    VOUCH_ERR_CRL_EXPIRED);
	free(q.p);
	/* TD debug: refused, unless the insecure option. */
	o.td_attr = DCAP_TD_ATTR_DEBUG;
	q = synth_quote(&w.s, &o);
	assert_int_equal(synth_verify(&w.s, &q, true, w.e, 5, 0, NULL),
	    VOUCH_ERR_DEBUG_ENABLED);
	assert_int_equal(synth_verify(&w.s, &q, true, w.e, 5, SF_DEBUG, NULL),
	    VOUCH_OK);
	free(q.p);
	/* A reserved TDATTRIBUTES bit. */
	o.td_attr = 1ull << 5;
	q = synth_quote(&w.s, &o);
	assert_int_equal(synth_verify(&w.s, &q, true, w.e, 5, 0, NULL),
	    VOUCH_ERR_RESERVED_NONZERO);
	free(q.p);
	/* A debug QE. */
	o.td_attr = 0;
	o.qe_flags = 0x13;
	q = synth_quote(&w.s, &o);
	assert_int_equal(synth_verify(&w.s, &q, true, w.e, 5, 0, NULL),
	    VOUCH_ERR_DEBUG_ENABLED);
	free(q.p);
	/* A TDX 1.5 module version without its module identity. */
	o.qe_flags = 0x11;
	o.tee_tcb_svn[1] = 1;
	q = synth_quote(&w.s, &o);
	assert_int_equal(synth_verify(&w.s, &q, true, w.e, 5, 0, NULL),
	    VOUCH_ERR_TCB_NO_MATCH);
	free(q.p);
	/* No TCB Signing certificate: nothing can vouch for the collateral. */
	o.tee_tcb_svn[1] = 0;
	q = synth_quote(&w.s, &o);
	assert_int_equal(synth_verify(&w.s, &q, true, w.e, 4, 0, NULL),
	    VOUCH_ERR_COLLATERAL_MISSING);
	/* A PCK CRL listing the PCK. */
	saved = w.e[3];
	w.e[3] = synth_crl(w.s.ca, w.s.ca_key, w.s.pck);
	assert_int_equal(synth_verify(&w.s, &q, true, w.e, 5, 0, NULL),
	    VOUCH_ERR_CERT_REVOKED);
	free(w.e[3].p);
	/* A root CRL listing the PCK CA. */
	w.e[3] = synth_crl(w.s.root, w.s.root_key, w.s.ca);
	assert_int_equal(synth_verify(&w.s, &q, true, w.e, 5, 0, NULL),
	    VOUCH_ERR_CERT_REVOKED);
	free(w.e[3].p);
	w.e[3] = saved;
	free(q.p);
	world_free(&w);
}

static void
t_synth_qe_identity(void **state)
{
	struct qopts o = { .tdx = true, .qe_flags = 0x11 };
	struct world w;
	struct blob q, good, other_key;
	EVP_PKEY *rogue = p256();
	X509 *rogue_cert;

	(void)state;
	world_init(&w, true, "UpToDate", "UpToDate");
	q = synth_quote(&w.s, &o);
	good = w.e[1];
	/* Correctly signed, but for another QE (wrong MRSIGNER). */
	w.e[1] = synth_qe_identity(&w.s, NULL, true, "00112233445566778899aabb"
	    "ccddeeff00112233445566778899aabbccddeeff", "UpToDate");
	assert_int_equal(synth_verify(&w.s, &q, true, w.e, 5, 0, NULL),
	    VOUCH_ERR_QE_IDENTITY_MISMATCH);
	free(w.e[1].p);
	/* Signed by a key that is not the TCB Signing key. */
	w.e[1] = synth_qe_identity(&w.s, rogue, true, NULL, "UpToDate");
	assert_int_equal(synth_verify(&w.s, &q, true, w.e, 5, 0, NULL),
	    VOUCH_ERR_SIGNATURE_INVALID);
	free(w.e[1].p);
	/* A self-signed "Intel SGX TCB Signing" certificate is no signer. */
	rogue_cert = cert("Intel SGX TCB Signing", rogue, NULL, NULL, true,
	    NULL, 0);
	other_key = cert_pem(rogue_cert);
	w.e[1] = synth_qe_identity(&w.s, rogue, true, NULL, "UpToDate");
	free(w.e[4].p);
	w.e[4] = other_key;
	assert_int_not_equal(synth_verify(&w.s, &q, true, w.e, 5, 0, NULL),
	    VOUCH_OK);
	free(w.e[1].p);
	w.e[1] = good;
	/* The SGX QE's identity for a TDX quote: none for TD_QE. */
	free(w.e[4].p);
	w.e[4] = cert_pem(w.s.tcb);
	good = w.e[1];
	w.e[1] = synth_qe_identity(&w.s, NULL, false, NULL, "UpToDate");
	assert_int_equal(synth_verify(&w.s, &q, true, w.e, 5, 0, NULL),
	    VOUCH_ERR_COLLATERAL_MISSING);
	free(w.e[1].p);
	w.e[1] = good;
	X509_free(rogue_cert);
	EVP_PKEY_free(rogue);
	free(q.p);
	world_free(&w);
}

static void
t_synth_status(void **state)
{
	static const struct {
		const char	*platform;
		const char	*qe;
		unsigned	 flags;
		enum vouch_err	 want;
	} cases[] = {
		{ "UpToDate", "UpToDate", 0, VOUCH_OK },
		{ "ConfigurationNeeded", "UpToDate", 0,
		    VOUCH_ERR_TCB_NEEDS_POLICY },
		{ "ConfigurationNeeded", "UpToDate", SF_ACCEPT_CONF, VOUCH_OK },
		{ "SWHardeningNeeded", "UpToDate", SF_ACCEPT_CONF,
		    VOUCH_ERR_TCB_NEEDS_POLICY },
		{ "UpToDate", "OutOfDate", 0, VOUCH_ERR_TCB_OUT_OF_DATE },
		{ "ConfigurationNeeded", "OutOfDate", SF_ACCEPT_CONF,
		    VOUCH_ERR_TCB_OUT_OF_DATE },
		{ "OutOfDateConfigurationNeeded", "UpToDate", 0,
		    VOUCH_ERR_TCB_OUT_OF_DATE },
		{ "Revoked", "UpToDate", 0, VOUCH_ERR_TCB_REVOKED },
		{ "UpToDate", "Revoked", 0, VOUCH_ERR_TCB_REVOKED },
		{ "TotallyFine", "UpToDate", 0, VOUCH_ERR_TCB_STATUS_UNKNOWN },
	};
	struct qopts o = { .tdx = false, .qe_flags = 0x11 };
	struct world w;
	struct blob q;
	size_t i, k;
	enum vouch_err rv;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (k = 0; k < 2; k++) {
			o.tdx = k == 1;
			world_init(&w, o.tdx, cases[i].platform, cases[i].qe);
			q = synth_quote(&w.s, &o);
			rv = synth_verify(&w.s, &q, o.tdx, w.e, 5,
			    cases[i].flags, NULL);
			if (rv != cases[i].want) {
				fail_msg("%s %s/%s: %s, want %s", o.tdx ? "tdx" :
				    "sgx", cases[i].platform, cases[i].qe,
				    vouch_errname(rv),
				    vouch_errname(cases[i].want));
			}
			free(q.p);
			world_free(&w);
		}
	}
	/* SGX enclave in debug mode. */
	o.tdx = false;
	o.sgx_flags = DCAP_SGX_ATTR_DEBUG;
	world_init(&w, false, "UpToDate", "UpToDate");
	q = synth_quote(&w.s, &o);
	assert_int_equal(synth_verify(&w.s, &q, false, w.e, 5, 0, NULL),
	    VOUCH_ERR_DEBUG_ENABLED);
	free(q.p);
	/* TCB Info for another FMSPC. */
	o.sgx_flags = 0;
	free(w.e[0].p);
	w.e[0] = synth_tcb_info(&w.s, false, "UpToDate", "00906ed50001");
	q = synth_quote(&w.s, &o);
	assert_int_equal(synth_verify(&w.s, &q, false, w.e, 5, 0, NULL),
	    VOUCH_ERR_TCB_MISMATCH);
	free(q.p);
	world_free(&w);
}

/*
 * The warm path (chain and collateral verdict cached) refuses what the
 * cold one refuses: collateral going stale, flipped quote and QE bytes,
 * another attestation key.
 */
static void
t_warm_cache(void **state)
{
	struct blob q = load(T5_QUOTE), b = load(T5_BUNDLE);
	struct vouch_ctx *ctx = vouch_ctx_new();
	struct vouch_verify_config *cfg = vouch_verify_config_new();
	struct vouch_result *res = NULL;
	size_t i;

	(void)state;
	assert_int_equal(vouch_verify_config_set_platform(ctx, cfg, "tdx"),
	    VOUCH_OK);
	assert_int_equal(vouch_verify_config_add_endorsement(ctx, cfg, b.p,
	    b.n), VOUCH_OK);
	vouch_ctx_set_time(ctx, T5_TIME);
	for (i = 0; i < 3; i++) {
		assert_int_equal(vouch_verify_evidence(ctx, cfg, q.p, 4936, &res),
		    VOUCH_OK);
		vouch_result_free(res);
		res = NULL;
	}
	/* Flipped bytes, warm: body, quote signature, QE report, QE sig. */
	for (i = V4_BODY; i < V4_AUTH_LEN; i += 41) {
		q.p[i] ^= 0x04;
		assert_int_not_equal(vouch_verify_evidence(ctx, cfg, q.p, 4936,
		    &res), VOUCH_OK);
		q.p[i] ^= 0x04;
	}
	assert_int_equal(vouch_verify_evidence(ctx, cfg, q.p, 4936, &res),
	    VOUCH_OK);
	vouch_result_free(res);
	res = NULL;
	/* One second later the PCK CRL is past its nextUpdate. */
	vouch_ctx_set_time(ctx, T5_TIME + 1);
	assert_int_equal(vouch_verify_evidence(ctx, cfg, q.p, 4936, &res),
	    VOUCH_ERR_CRL_EXPIRED);
	/* Before the PCK was issued. */
	vouch_ctx_set_time(ctx, 1738800000);
	assert_int_equal(vouch_verify_evidence(ctx, cfg, q.p, 4936, &res),
	    VOUCH_ERR_CERT_NOT_YET_VALID);
	vouch_ctx_set_time(ctx, T5_TIME);
	assert_int_equal(vouch_verify_evidence(ctx, cfg, q.p, 4936, &res),
	    VOUCH_OK);
	vouch_result_free(res);
	vouch_verify_config_free(cfg);
	vouch_ctx_free(ctx);
	free(q.p);
	free(b.p);
}

/* ---- the CC event log ---- */

/* A log: Spec ID (SHA-384 only), then |n| events into RTMR0/1, data "ev". */
static size_t
synth_log(uint8_t *out, size_t cap, size_t n, uint32_t bad_index)
{
	static const uint8_t spec[] = "Spec ID Event03";
	size_t off = 0, i;

	assert_true(cap > 200 + n * 80);
	memset(out, 0xff, cap);
	put32(out, 0);
	put32(out + 4, 3);		/* EV_NO_ACTION */
	memset(out + 8, 0, 20);
	put32(out + 28, 16 + 4 + 4 + 4 + 4 + 1);
	off = 32;
	memcpy(out + off, spec, 16);
	off += 16;
	put32(out + off, 0);
	out[off + 4] = 0;
	out[off + 5] = 2;
	out[off + 6] = 0;
	out[off + 7] = 2;
	off += 8;
	put32(out + off, 1);
	put16(out + off + 4, 0x000c);
	put16(out + off + 6, 48);
	out[off + 8] = 0;
	off += 9;
	for (i = 0; i < n; i++) {
		put32(out + off, i == 1 && bad_index != 0 ? bad_index :
		    1 + (uint32_t)(i % 2));
		put32(out + off + 4, 0x80000001u);
		put32(out + off + 8, 1);
		put16(out + off + 12, 0x000c);
		memset(out + off + 14, (int)(0x10 + i), 48);
		put32(out + off + 62, 2);
		out[off + 66] = 'e';
		out[off + 67] = 'v';
		off += 68;
	}
	return off;
}

static void
t_ccel(void **state)
{
	struct blob log = load("tdx/gtg_ccel/ccel_data.dat");
	struct blob q = load("tdx/gtg_ccel/cos-113-tdx-quote.dat");
	struct vouch_ctx *ctx = vouch_ctx_new();
	struct dcap_quote dq;
	uint8_t rtmr[4][48], buf[4096], want[48], ext[96];
	size_t n = 0, len, i;
	unsigned int hn;

	(void)state;
	/* The real log replays to the real quote's RTMRs (T-3). */
	assert_int_equal(ccel_replay(ctx, log.p, log.n, rtmr, &n, NULL, NULL),
	    VOUCH_OK);
	assert_true(n > 10);
	assert_int_equal(dcap_quote_parse(ctx, q.p, q.n, &dq), VOUCH_OK);
	for (i = 0; i < 4; i++) {
		assert_memory_equal(rtmr[i], dq.td.rtmr[i], 48);
	}
	/* A flipped digest byte changes the result. */
	log.p[0x58] ^= 1;
	assert_int_equal(ccel_replay(ctx, log.p, log.n, rtmr, &n, NULL, NULL),
	    VOUCH_OK);
	assert_memory_not_equal(rtmr[0], dq.td.rtmr[0], 48);
	log.p[0x58] ^= 1;
	/* Every truncation: an error or a shorter replay, never a crash. */
	for (i = 0; i < 20000; i += stride * 3) {
		if (ccel_replay(ctx, log.p, i, rtmr, &n, NULL, NULL) ==
		    VOUCH_OK) {
			assert_true(n <= 200);
		}
	}
	/* A synthetic log: the extend rule, event by event. */
	len = synth_log(buf, sizeof(buf), 3, 0);
	assert_int_equal(ccel_replay(ctx, buf, len, rtmr, &n, NULL, NULL),
	    VOUCH_OK);
	assert_int_equal(n, 3);
	memset(ext, 0, 48);
	memset(ext + 48, 0x10, 48);
	assert_int_equal(EVP_Digest(ext, 96, want, &hn, EVP_sha384(), NULL), 1);
	memcpy(ext, want, 48);
	memset(ext + 48, 0x12, 48);
	assert_int_equal(EVP_Digest(ext, 96, want, &hn, EVP_sha384(), NULL), 1);
	assert_memory_equal(rtmr[0], want, 48);
	/* Errors: an index above RTMR3, no Spec ID, a length past the end. */
	len = synth_log(buf, sizeof(buf), 3, 7);
	assert_int_equal(ccel_replay(ctx, buf, len, rtmr, &n, NULL, NULL),
	    VOUCH_ERR_BAD_FIELD);
	len = synth_log(buf, sizeof(buf), 3, 0);
	buf[32] = 'X';
	assert_int_equal(ccel_replay(ctx, buf, len, rtmr, &n, NULL, NULL),
	    VOUCH_ERR_BAD_MAGIC);
	len = synth_log(buf, sizeof(buf), 3, 0);
	put32(buf + len - 6, 0x7fffffff);
	assert_int_equal(ccel_replay(ctx, buf, len, rtmr, &n, NULL, NULL),
	    VOUCH_ERR_TRUNCATED);
	len = synth_log(buf, sizeof(buf), 3, 0);
	put16(buf + 57 + 4, 0x000b);	/* the Spec ID lists SHA-256 only */
	put16(buf + 57 + 6, 32);
	assert_int_equal(ccel_replay(ctx, buf, len, rtmr, &n, NULL, NULL),
	    VOUCH_ERR_UNSUPPORTED_VERSION);
	free(log.p);
	free(q.p);
	vouch_ctx_free(ctx);
}

static void
hash_over(const uint8_t *p, size_t n, uint8_t out[48])
{
	unsigned int hn = 0;

	assert_int_equal(EVP_Digest(p, n, out, &hn, EVP_sha384(), NULL), 1);
}

/*
 * A log with the events policies ask about: SecureBoot = 1 (RTMR0), two
 * EFI applications (RTMR1), GRUB's kernel command line (RTMR2).
 */
static size_t
synth_log_facts(uint8_t *out, size_t cap)
{
	static const char cmdline[] = "kernel_cmdline: /vmlinuz root=/dev/vda1 ro";
	uint8_t var[16 + 8 + 8 + 20 + 1];
	size_t off = synth_log(out, cap, 0, 0), i;
	struct {
		uint32_t	 mr, type;
		const uint8_t	*data;
		size_t		 n;
		uint8_t		 fill;
	} ev[4];

	memset(var, 0x11, 16);
	put64(var + 16, 10);
	put64(var + 24, 1);
	for (i = 0; i < 10; i++) {
		var[32 + 2 * i] = (uint8_t)"SecureBoot"[i];
		var[33 + 2 * i] = 0;
	}
	var[52] = 1;
	ev[0].mr = 1; ev[0].type = 0x80000001u; ev[0].data = var;
	ev[0].n = sizeof(var); ev[0].fill = 0;
	ev[1].mr = 2; ev[1].type = 0x80000003u; ev[1].data = (const uint8_t *)"app";
	ev[1].n = 3; ev[1].fill = 0x22;
	ev[2].mr = 2; ev[2].type = 0x80000003u; ev[2].data = (const uint8_t *)"app";
	ev[2].n = 3; ev[2].fill = 0x23;
	ev[3].mr = 3; ev[3].type = 0x0000000du; ev[3].data = (const uint8_t *)cmdline;
	ev[3].n = sizeof(cmdline); ev[3].fill = 0;
	for (i = 0; i < 4; i++) {
		assert_true(off + 66 + ev[i].n < cap);
		put32(out + off, ev[i].mr);
		put32(out + off + 4, ev[i].type);
		put32(out + off + 8, 1);
		put16(out + off + 12, 0x000c);
		memset(out + off + 14, ev[i].fill, 48);
		if (ev[i].fill == 0) {
			/* The digest the firmware / GRUB would record. */
			hash_over(i == 0 ? ev[i].data : ev[i].data + 16,
			    i == 0 ? ev[i].n : ev[i].n - 16 - 1, out + off + 14);
		}
		put32(out + off + 62, (uint32_t)ev[i].n);
		memcpy(out + off + 66, ev[i].data, ev[i].n);
		off += 66 + ev[i].n;
	}
	memset(out + off, 0xff, 16);
	return off + 16;
}

/* Replayed events become claims (SecureBoot, kernel command line, apps). */
static void
t_ccel_claims(void **state)
{
	struct qopts o = { .tdx = true, .qe_flags = 0x11 };
	struct vouch_ctx *ctx = vouch_ctx_new();
	struct vouch_verify_config *cfg;
	struct vouch_result *res = NULL;
	struct world w;
	struct blob q;
	uint8_t log[4096], rtmr[4][48];
	const uint8_t *apps;
	const char *s;
	size_t len, n = 0, an = 0;
	int b;

	(void)state;
	len = synth_log_facts(log, sizeof(log));
	assert_int_equal(ccel_replay(ctx, log, len, rtmr, &n, NULL, NULL),
	    VOUCH_OK);
	assert_int_equal(n, 4);
	o.rtmr = (const uint8_t (*)[48])rtmr;
	world_init(&w, true, "UpToDate", "UpToDate");
	q = synth_quote(&w.s, &o);
	cfg = vouch_verify_config_new();
	vouch_ctx_set_time(ctx, S_NOW);
	assert_int_equal(vouch_verify_config_set_platform(ctx, cfg, "tdx"),
	    VOUCH_OK);
	cfg->dcap_test_root_pin = w.s.pin;
	for (size_t i = 0; i < 5; i++) {
		assert_int_equal(vouch_verify_config_add_endorsement(ctx, cfg,
		    w.e[i].p, w.e[i].n), VOUCH_OK);
	}
	assert_int_equal(vouch_verify_config_set_event_log(ctx, cfg, log, len),
	    VOUCH_OK);
	assert_int_equal(vouch_verify_evidence(ctx, cfg, q.p, q.n, &res),
	    VOUCH_OK);
	assert_true(vouch_claims_get_bool(vouch_result_claims(res),
	    "tdx.ccel.secure_boot", &b));
	assert_true(b);
	assert_true(vouch_claims_get_string(vouch_result_claims(res),
	    "tdx.ccel.kernel_cmdline", &s));
	assert_string_equal(s, "/vmlinuz root=/dev/vda1 ro");
	assert_true(vouch_claims_get_bytes(vouch_result_claims(res),
	    "tdx.ccel.boot_applications", &apps, &an));
	assert_int_equal(an, 96);
	assert_int_equal(apps[0], 0x22);
	assert_int_equal(apps[48], 0x23);
	vouch_result_free(res);
	res = NULL;
	/*
	 * The command line text changed, its digest kept: the log still
	 * replays, but the text no longer hashes to the digest: no claim.
	 */
	log[len - 16 - 5] = 'w';
	assert_int_equal(vouch_verify_evidence(ctx, cfg, q.p, q.n, &res),
	    VOUCH_OK);
	assert_false(vouch_claims_get_string(vouch_result_claims(res),
	    "tdx.ccel.kernel_cmdline", &s));
	assert_true(vouch_claims_get_bool(vouch_result_claims(res),
	    "tdx.ccel.secure_boot", &b));
	vouch_result_free(res);
	res = NULL;
	/* A changed digest: it no longer replays. */
	log[len - 16 - 66 - 43 + 14] ^= 1;
	assert_int_equal(vouch_verify_evidence(ctx, cfg, q.p, q.n, &res),
	    VOUCH_ERR_EVENT_LOG_MISMATCH);
	vouch_verify_config_free(cfg);
	vouch_ctx_free(ctx);
	free(q.p);
	world_free(&w);
}

/* Quote parser rules beyond what the verification tests reach. */
static void
t_quote_rules(void **state)
{
	struct qopts o = { .tdx = true, .qe_flags = 0x11 };
	struct vouch_ctx *ctx = vouch_ctx_new();
	struct synth s;
	struct dcap_quote dq;
	struct blob q;
	size_t i;

	(void)state;
	synth_init(&s, false);
	q = synth_quote(&s, &o);
	assert_int_equal(dcap_quote_parse(ctx, q.p, q.n, &dq), VOUCH_OK);
	assert_int_equal(dq.quote_len, q.n);
	assert_int_equal(dq.trailing, 0);
	put16(q.p, 6);
	assert_int_equal(dcap_quote_parse(ctx, q.p, q.n, &dq),
	    VOUCH_ERR_UNSUPPORTED_VERSION);
	put16(q.p, 4);
	put16(q.p + 2, 3);
	assert_int_equal(dcap_quote_parse(ctx, q.p, q.n, &dq),
	    VOUCH_ERR_UNSUPPORTED_VERSION);
	put16(q.p + 2, 2);
	put32(q.p + 4, 0x80);
	assert_int_equal(dcap_quote_parse(ctx, q.p, q.n, &dq),
	    VOUCH_ERR_BAD_FIELD);
	put32(q.p + 4, 0x81);
	q.p[12] ^= 1;
	assert_int_equal(dcap_quote_parse(ctx, q.p, q.n, &dq),
	    VOUCH_ERR_BAD_FIELD);
	q.p[12] ^= 1;
	/* Certification data type 6 must be there, not 5 or 7. */
	put16(q.p + 48 + 584 + 4 + 128, 5);
	assert_int_equal(dcap_quote_parse(ctx, q.p, q.n, &dq),
	    VOUCH_ERR_UNSUPPORTED_VERSION);
	put16(q.p + 48 + 584 + 4 + 128, 6);
	/* Slack inside the signature data is refused; after it, tolerated. */
	put32(q.p + 48 + 584, (uint32_t)(q.n - 48 - 584 - 4 - 1));
	assert_int_not_equal(dcap_quote_parse(ctx, q.p, q.n, &dq), VOUCH_OK);
	put32(q.p + 48 + 584, (uint32_t)(q.n - 48 - 584 - 4));
	q.p = realloc(q.p, q.n + 70);
	assert_non_null(q.p);
	memset(q.p + q.n, 0, 70);
	assert_int_equal(dcap_quote_parse(ctx, q.p, q.n + 70, &dq), VOUCH_OK);
	assert_int_equal(dq.trailing, 70);
	/* Every declared length: 0 and all ones. */
	for (i = 0; i < 3; i++) {
		size_t at[3] = { 48 + 584, 48 + 584 + 4 + 128 + 2,
		    48 + 584 + 4 + 128 + 6 + 384 + 64 };
		uint8_t save[4];

		memcpy(save, q.p + at[i], 4);
		memset(q.p + at[i], 0, i == 2 ? 2 : 4);
		assert_int_not_equal(dcap_quote_parse(ctx, q.p, q.n, &dq),
		    VOUCH_OK);
		memset(q.p + at[i], 0xff, i == 2 ? 2 : 4);
		assert_int_not_equal(dcap_quote_parse(ctx, q.p, q.n, &dq),
		    VOUCH_OK);
		memcpy(q.p + at[i], save, 4);
	}
	assert_int_equal(dcap_quote_parse(ctx, q.p, q.n, &dq), VOUCH_OK);
	/* Above the size limit. */
	assert_int_equal(dcap_quote_parse(ctx, q.p, DCAP_QUOTE_MAX + 1, &dq),
	    VOUCH_ERR_TOO_LARGE);
	free(q.p);
	synth_free(&s);
	vouch_ctx_free(ctx);
}

/* The PCK SGX extension: real certificates, and malformed variants. */
static void
t_pck_extension(void **state)
{
	static const uint8_t ppid[16] = { 0x08, 0x9d, 0xdf, 0xdb, 0x9c, 0x03,
	    0x59, 0xc8, 0x2a, 0x3b, 0xc7, 0x71, 0x92, 0x39, 0x57, 0x4e };
	struct blob q = load("tdx/gtg_spr_e4_quote_v4.dat");
	struct vouch_ctx *ctx = vouch_ctx_new();
	STACK_OF(X509) *sk = sk_X509_new_null();
	struct dcap_quote dq;
	struct dcap_pck_ext e;
	struct synth s;
	uint8_t ext[4096];
	size_t n;

	(void)state;
	assert_int_equal(dcap_quote_parse(ctx, q.p, q.n, &dq), VOUCH_OK);
	assert_int_equal(dq.trailing, 39);
	assert_int_equal(vouch_certs_parse(ctx, dq.pck_chain, dq.pck_chain_len,
	    sk), VOUCH_OK);
	assert_int_equal(dcap_pck_ext_from_cert(ctx, sk_X509_value(sk, 0), &e),
	    VOUCH_OK);
	/* tdx/PROVENANCE.md T-1 (go-tdx-guest TestPckCertificateExtensions). */
	assert_memory_equal(e.fmspc, "\x50\x80\x6f\x00\x00\x00", 6);
	assert_memory_equal(e.pceid, "\x00\x00", 2);
	assert_int_equal(e.pcesvn, 11);
	assert_memory_equal(e.cpusvn, "\x03\x03\x02\x02\x02\x01\x00\x02", 8);
	assert_memory_equal(e.ppid, ppid, 16);
	/* The intermediate has no SGX extension. */
	assert_int_equal(dcap_pck_ext_from_cert(ctx, sk_X509_value(sk, 1), &e),
	    VOUCH_ERR_BAD_CERT);
	synth_init(&s, false);
	n = sgx_extension(&s, ext);
	assert_int_equal(dcap_pck_ext_parse(ctx, ext, n, &e), VOUCH_OK);
	assert_int_equal(e.pcesvn, 13);
	/* Every truncation and a byte after the end. */
	for (size_t i = 0; i < n; i++) {
		assert_int_not_equal(dcap_pck_ext_parse(ctx, ext, i, &e),
		    VOUCH_OK);
	}
	ext[n] = 0;
	assert_int_not_equal(dcap_pck_ext_parse(ctx, ext, n + 1, &e), VOUCH_OK);
	/* FMSPC of 5 bytes: shorten the member in place is not possible; a
	 * flipped OID arc makes an unknown member. */
	ext[4 + 2 + 9] = 9;	/* first member's arc: .1 -> .9 */
	assert_int_equal(dcap_pck_ext_parse(ctx, ext, n, &e),
	    VOUCH_ERR_BAD_CERT);
	synth_free(&s);
	sk_X509_pop_free(sk, X509_free);
	free(q.p);
	vouch_ctx_free(ctx);
}

/*
 * With VOUCH_DCAP_CORPUS set to a directory: write the synthetic inputs
 * of the ccel and crl fuzz corpora (scripts/gen-corpus.sh; the quote and
 * PCK corpora come from test_dcap_quote.c).  Skipped otherwise.
 */
static void
write_file(const char *dir, const char *sub, const char *name,
    const uint8_t *p, size_t n)
{
	char path[1024];
	FILE *f;

	(void)snprintf(path, sizeof(path), "%s/%s/%s", dir, sub, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static void
t_corpus(void **state)
{
	const char *dir = getenv("VOUCH_DCAP_CORPUS");
	struct synth s;
	struct blob c;
	uint8_t buf[4096];
	size_t n;

	(void)state;
	if (dir == NULL) {
		skip();
	}
	synth_init(&s, false);
	n = synth_log(buf, sizeof(buf), 5, 0);
	write_file(dir, "ccel", "synth-log", buf, n + 16);
	c = synth_crl(s.ca, s.ca_key, s.pck);
	write_file(dir, "crl", "synth-crl-one-entry", c.p, c.n);
	free(c.p);
	synth_free(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_phala_valid),
		cmocka_unit_test(t_flip_signed_region),
		cmocka_unit_test(t_flip_signatures),
		cmocka_unit_test(t_swap_chain),
		cmocka_unit_test(t_truncate_and_trailing),
		cmocka_unit_test(t_collateral_edited),
		cmocka_unit_test(t_sgx_swhardening),
		cmocka_unit_test(t_synth_tdx),
		cmocka_unit_test(t_synth_qe_identity),
		cmocka_unit_test(t_synth_status),
		cmocka_unit_test(t_warm_cache),
		cmocka_unit_test(t_ccel),
		cmocka_unit_test(t_ccel_claims),
		cmocka_unit_test(t_quote_rules),
		cmocka_unit_test(t_pck_extension),
		cmocka_unit_test(t_corpus),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
