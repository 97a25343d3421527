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

#include "vouch/verify.h"
#include "platform/dcap.h"
#include "util/file.h"

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
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
