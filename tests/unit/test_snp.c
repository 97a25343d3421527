/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for lib/platform/snp.c on real AMD evidence read in place
 * from $VOUCH_TESTDATA (../shared/testdata; see snp/, certs/ and crl/
 * PROVENANCE.md): the valid paths, every single-byte flip, every
 * truncation, trailing data, trust-anchor confusion, TCB/chip/product
 * binding, CRL missing/stale/revoked, and strict parse rules.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <cmocka.h>

#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "bs/bs.h"
#include "crypto/crypto.h"
#include "platform/platform.h"
#include "platform/snp.h"
#include "platform/snp_kds.h"
#include "policy/policy.h"
#include "util/file.h"

#define T_MILAN		1663981200	/* 2022-09-24T01:00:00Z, S-1's time */
#define T_2025		1748736000	/* 2025-06-01T00:00:00Z */
#define T_2023		1672531200	/* 2023-01-01T00:00:00Z */
#define T_2026		1767225600	/* 2026-01-01T00:00:00Z */

#define MILAN_REPORT	"snp/gsg_milan_attestation.bin"
#define MILAN_VCEK	"snp/gsg_milan_vcek.der"
#define MILAN_CHAIN	"certs/amd/ask_ark_milan.pem"
#define MILAN_CRL_2022	"crl/amd/milan_crl_2022-05-09.der"
#define MILAN_CRL_2025	"crl/amd/milan_crl_2025-05-06.der"
#define VLEK_REPORT	"snp/trustee_milan_vlek_report.bin"
#define VLEK_CERT	"snp/trustee_milan_vlek.der"
#define VLEK_CHAIN	"certs/amd/ask_ark_milan_vlek.pem"
#define GENOA_REPORT	"snp/derived/trustee_genoa_e2e_report.bin"
#define GENOA_VCEK	"snp/derived/trustee_genoa_e2e_vcek.der"
#define GENOA_CHAIN	"certs/amd/ask_ark_genoa.pem"
#define GENOA_CRL_2022	"crl/amd/genoa_crl_2022-10-31.der"
#define GENOA_CRL_2024	"crl/amd/genoa_crl_2024-10-23.der"
#define GENOA_ASK_REVOKED "certs/amd/genoa_ask_revoked_020001.der"
#define AZURE_HCL	"snp/az-snp-vtpm/hcl-report.bin"
#define AZURE_VCEK	"snp/az-snp-vtpm/vcek.pem"

static const char *testdata;

struct blob {
	uint8_t	*p;
	size_t	 n;
};

static struct blob
td(const char *rel)
{
	struct blob b = { NULL, 0 };
	char path[1024];

	assert_true(vouch_path_join(path, sizeof(path), testdata, rel));
	assert_int_equal(vouch_file_read(NULL, path, 1 << 20, &b.p, &b.n),
	    VOUCH_OK);
	return b;
}

/* The |idx|th PEM block of |b| (a malloc'd copy). */
static struct blob
pem_block(struct blob b, int idx)
{
	static const char begin[] = "-----BEGIN CERTIFICATE-----";
	static const char end[] = "-----END CERTIFICATE-----";
	const uint8_t *s = NULL, *e, *from = b.p;
	struct blob out;
	int i;

	for (i = 0; i <= idx; i++) {
		s = memmem(from, b.n - (size_t)(from - b.p), begin,
		    sizeof(begin) - 1);
		assert_non_null(s);
		from = s + 1;
	}
	e = memmem(s, b.n - (size_t)(s - b.p), end, sizeof(end) - 1);
	assert_non_null(e);
	out.n = (size_t)(e - s) + sizeof(end) - 1;
	out.p = malloc(out.n);
	assert_non_null(out.p);
	memcpy(out.p, s, out.n);
	return out;
}

static int
setup(void **state)
{
	struct stat st;

	(void)state;
	testdata = getenv("VOUCH_TESTDATA");
	if (testdata == NULL) {
		testdata = "../shared/testdata";
	}
	if (stat(testdata, &st) != 0 || !S_ISDIR(st.st_mode)) {
		testdata = NULL;
	}
	return 0;
}

#define NEED_TESTDATA() do {						\
	if (testdata == NULL) {						\
		skip();							\
	}								\
} while (0)

#define F_DEBUG		0x1	/* insecure_allow_debug */
#define F_SKIP_REV	0x2	/* insecure_skip_revocation */
/* admit_real: provisional firmware (COMMITTED_TCB below CURRENT_TCB). */
#define F_PROVISIONAL	0x4

/* A config for platform snp with the endorsement files |files|. */
static struct vouch_verify_config *
config(struct vouch_ctx *ctx, const char *const *files, int flags)
{
	struct vouch_verify_config *cfg = vouch_verify_config_new();
	struct blob b;
	size_t i;

	assert_non_null(cfg);
	assert_int_equal(vouch_verify_config_set_platform(ctx, cfg, "snp"),
	    VOUCH_OK);
	for (i = 0; files[i] != NULL; i++) {
		b = td(files[i]);
		assert_int_equal(vouch_verify_config_add_endorsement(ctx, cfg,
		    b.p, b.n), VOUCH_OK);
		free(b.p);
	}
	if ((flags & F_DEBUG) != 0) {
		vouch_verify_config_insecure_allow_debug(cfg);
	}
	if ((flags & F_SKIP_REV) != 0) {
		vouch_verify_config_insecure_skip_revocation(cfg);
	}
	if ((flags & F_PROVISIONAL) != 0) {
		vouch_verify_config_insecure_allow_provisional_firmware(cfg);
	}
	return cfg;
}

static enum vouch_err
run(struct vouch_ctx *ctx, const struct vouch_verify_config *cfg,
    const uint8_t *ev, size_t len, struct vouch_result **out)
{
	struct vouch_result *res = NULL;
	enum vouch_err rv;

	rv = vouch_verify_evidence(ctx, cfg, ev, len, &res);
	if (rv != VOUCH_OK) {
		assert_null(res);
		assert_int_equal(vouch_error_code(ctx), rv);
		assert_true(strlen(vouch_error(ctx)) > 0);
	}
	if (out != NULL) {
		*out = res;
	} else {
		vouch_result_free(res);
	}
	return rv;
}

/* Verify the report file |report| with |files| at |at|. */
static enum vouch_err
verify_files(const char *report, const char *const *files, int64_t at,
    int flags, struct vouch_result **out)
{
	struct vouch_ctx *ctx = vouch_ctx_new();
	struct vouch_verify_config *cfg;
	struct blob ev = td(report);
	enum vouch_err rv;

	assert_non_null(ctx);
	vouch_ctx_set_time(ctx, at);
	cfg = config(ctx, files, flags);
	rv = run(ctx, cfg, ev.p, ev.n, out);
	free(ev.p);
	vouch_verify_config_free(cfg);
	vouch_ctx_free(ctx);
	return rv;
}

static const char *const milan_files[] = { MILAN_VCEK, MILAN_CHAIN,
    MILAN_CRL_2022, NULL };

static void
test_milan_valid(void **state)
{
	static const char *const files_2025[] = { MILAN_VCEK, MILAN_CHAIN,
	    MILAN_CRL_2025, NULL };
	struct vouch_result *res = NULL;
	const struct vouch_claims *c;
	const uint8_t *p;
	const char *s;
	uint8_t want_rd[64];
	size_t n;
	int64_t v;
	int b;
	char *json;

	(void)state;
	NEED_TESTDATA();
	assert_int_equal(verify_files(MILAN_REPORT, milan_files, T_MILAN,
	    F_DEBUG, &res), VOUCH_OK);
	c = vouch_result_claims(res);
	assert_string_equal(vouch_result_platform(res), "snp");
	assert_true(vouch_claims_get_string(c, "platform", &s));
	assert_string_equal(s, "snp");
	assert_true(vouch_claims_get_bool(c, "debug", &b));
	assert_int_equal(b, 1);		/* POLICY 0x0b0000 has DEBUG */
	memset(want_rd, 0, sizeof(want_rd));
	memcpy(want_rd, "\x01\x02\x03\x04\x05", 5);
	assert_true(vouch_claims_get_bytes(c, "report_data", &p, &n));
	assert_int_equal(n, 64);
	assert_memory_equal(p, want_rd, 64);
	assert_true(vouch_claims_get_bytes(c, "measurement", &p, &n));
	assert_int_equal(n, 48);
	assert_true(vouch_claims_get_bytes(c, "chip_id", &p, &n));
	assert_int_equal(n, 64);
	assert_memory_equal(p, "\x3a\xc3\xfe\x21\xe1\x3f\xb0\x99", 8);
	assert_true(vouch_claims_get_bytes(c, "host_data", &p, &n));
	assert_int_equal(n, 32);
	assert_true(vouch_claims_get_bytes(c, "root_key_id", &p, &n));
	assert_int_equal(n, 32);
	assert_memory_equal(p, "\x9f\x05\x6b\xee", 4);
	assert_true(vouch_claims_get_int(c, "snp.version", &v));
	assert_int_equal(v, 2);
	assert_true(vouch_claims_get_int(c, "snp.vmpl", &v));
	assert_int_equal(v, 0);
	assert_true(vouch_claims_get_int(c, "snp.policy", &v));
	assert_int_equal(v, 0x0b0000);
	assert_true(vouch_claims_get_int(c, "snp.reported_tcb.bootloader", &v));
	assert_int_equal(v, 2);
	assert_true(vouch_claims_get_int(c, "snp.reported_tcb.tee", &v));
	assert_int_equal(v, 0);
	assert_true(vouch_claims_get_int(c, "snp.reported_tcb.snp", &v));
	assert_int_equal(v, 5);
	assert_true(vouch_claims_get_int(c, "snp.reported_tcb.microcode", &v));
	assert_int_equal(v, 68);
	assert_true(vouch_claims_get_string(c, "snp.signing_key", &s));
	assert_string_equal(s, "vcek");
	assert_true(vouch_claims_get_string(c, "snp.product", &s));
	assert_string_equal(s, "Milan");
	assert_true(vouch_claims_get_bool(c, "snp.policy.migrate_ma", &b));
	assert_int_equal(b, 0);
	json = vouch_result_to_json(res);
	assert_non_null(json);
	assert_non_null(strstr(json, "\"insecure_relaxed\":[\"debug\"]"));
	assert_null(strstr(json, "revocation"));
	free(json);
	vouch_result_free(res);

	/* Secure default: a debug guest is refused. */
	assert_int_equal(verify_files(MILAN_REPORT, milan_files, T_MILAN, 0,
	    NULL), VOUCH_ERR_DEBUG_ENABLED);
	/* Another window, with the list in force then. */
	assert_int_equal(verify_files(MILAN_REPORT, files_2025, T_2025, F_DEBUG,
	    NULL), VOUCH_OK);
	/* Before the VCEK was issued. */
	assert_int_equal(verify_files(MILAN_REPORT, files_2025,
	    T_MILAN - 86400, F_DEBUG | F_SKIP_REV, NULL),
	    VOUCH_ERR_CERT_NOT_YET_VALID);
}

static void
test_vlek_valid(void **state)
{
	static const char *const files[] = { VLEK_CERT, VLEK_CHAIN,
	    MILAN_CRL_2025, NULL };
	static const char *const vcek_chain[] = { VLEK_CERT, MILAN_CHAIN,
	    MILAN_CRL_2025, NULL };
	struct vouch_result *res = NULL;
	const struct vouch_claims *c;
	const char *s;
	int64_t v;
	int b;

	(void)state;
	NEED_TESTDATA();
	/* S-2 runs provisional firmware: refused unless allowed by name. */
	assert_int_equal(verify_files(VLEK_REPORT, files, T_2025, 0, NULL),
	    VOUCH_ERR_TCB_MISMATCH);
	assert_int_equal(verify_files(VLEK_REPORT, files, T_2025,
	    F_PROVISIONAL, &res), VOUCH_OK);
	c = vouch_result_claims(res);
	assert_true(vouch_claims_get_string(c, "snp.signing_key", &s));
	assert_string_equal(s, "vlek");
	assert_true(vouch_claims_get_int(c, "snp.vmpl", &v));
	assert_int_equal(v, 1);
	assert_true(vouch_claims_get_int(c, "snp.version", &v));
	assert_int_equal(v, 3);
	assert_true(vouch_claims_get_int(c, "snp.reported_tcb.microcode", &v));
	assert_int_equal(v, 0xd9);
	assert_true(vouch_claims_get_bool(c, "debug", &b));
	assert_int_equal(b, 0);
	vouch_result_free(res);
	/* The VLEK expired 2025-12-10. */
	assert_int_equal(verify_files(VLEK_REPORT, files, T_2026, F_SKIP_REV,
	    NULL), VOUCH_ERR_CERT_EXPIRED);
	/* A VLEK needs the ASVK: the VCEK ASK does not issue it. */
	assert_int_not_equal(verify_files(VLEK_REPORT, vcek_chain, T_2025, 0,
	    NULL), VOUCH_OK);
}

static void
test_genoa_valid(void **state)
{
	static const char *const files[] = { GENOA_VCEK, GENOA_CHAIN,
	    GENOA_CRL_2024, NULL };
	struct vouch_result *res = NULL;
	const char *s;

	(void)state;
	NEED_TESTDATA();
	assert_int_equal(verify_files(GENOA_REPORT, files, T_2025, 0, &res),
	    VOUCH_OK);
	assert_true(vouch_claims_get_string(vouch_result_claims(res),
	    "snp.product", &s));
	assert_string_equal(s, "Genoa");
	vouch_result_free(res);
}

/* Every single-byte change anywhere in the report is rejected. */
static void
test_every_byte_flip(void **state)
{
	struct vouch_ctx *ctx = vouch_ctx_new();
	struct vouch_verify_config *cfg;
	struct blob ev;
	size_t i, n_sig = 0;
	enum vouch_err rv;

	(void)state;
	NEED_TESTDATA();
	ev = td(MILAN_REPORT);
	assert_int_equal(ev.n, SNP_REPORT_LEN);
	vouch_ctx_set_time(ctx, T_MILAN);
	cfg = config(ctx, milan_files, F_DEBUG);
	assert_int_equal(run(ctx, cfg, ev.p, ev.n, NULL), VOUCH_OK);
	for (i = 0; i < ev.n; i++) {
		ev.p[i] ^= 0x01;
		rv = run(ctx, cfg, ev.p, ev.n, NULL);
		if (rv == VOUCH_OK) {
			fail_msg("flip at 0x%03zx accepted", i);
		}
		if (rv == VOUCH_ERR_SIGNATURE_INVALID) {
			n_sig++;
		}
		ev.p[i] ^= 0x01;
	}
	/* The signed bytes that no parse rule constrains fail the signature. */
	assert_true(n_sig >= 0x200);
	assert_int_equal(run(ctx, cfg, ev.p, ev.n, NULL), VOUCH_OK);
	free(ev.p);
	vouch_verify_config_free(cfg);
	vouch_ctx_free(ctx);
}

static void
test_truncation_and_trailing(void **state)
{
	struct vouch_ctx *ctx = vouch_ctx_new();
	struct vouch_verify_config *cfg;
	struct blob ev;
	uint8_t *longer;
	size_t n;

	(void)state;
	NEED_TESTDATA();
	ev = td(MILAN_REPORT);
	vouch_ctx_set_time(ctx, T_MILAN);
	cfg = config(ctx, milan_files, F_DEBUG);
	for (n = 0; n < ev.n; n++) {
		assert_int_not_equal(run(ctx, cfg, ev.p, n, NULL), VOUCH_OK);
	}
	assert_int_equal(run(ctx, cfg, ev.p, 4, NULL), VOUCH_ERR_TRUNCATED);
	assert_int_equal(run(ctx, cfg, ev.p, ev.n - 1, NULL), VOUCH_ERR_TRUNCATED);
	longer = calloc(1, ev.n + 1);
	assert_non_null(longer);
	memcpy(longer, ev.p, ev.n);
	assert_int_equal(run(ctx, cfg, longer, ev.n + 1, NULL),
	    VOUCH_ERR_TRAILING_DATA);
	free(longer);
	free(ev.p);
	vouch_verify_config_free(cfg);
	vouch_ctx_free(ctx);
}

/* A self-signed RSA certificate with ARK-Milan's exact subject. */
static X509 *
attacker_ark(X509 *real)
{
	EVP_PKEY *key = EVP_RSA_gen(2048);
	X509 *x = X509_new();

	assert_non_null(key);
	assert_non_null(x);
	assert_int_equal(X509_set_version(x, X509_VERSION_3), 1);
	assert_int_equal(ASN1_INTEGER_set(X509_get_serialNumber(x), 1), 1);
	assert_int_equal(X509_set_subject_name(x, X509_get_subject_name(real)), 1);
	assert_int_equal(X509_set_issuer_name(x, X509_get_subject_name(real)), 1);
	assert_non_null(ASN1_TIME_set(X509_getm_notBefore(x), T_MILAN - 86400 * 365));
	assert_non_null(ASN1_TIME_set(X509_getm_notAfter(x), T_MILAN + 86400 * 365));
	assert_int_equal(X509_set_pubkey(x, key), 1);
	assert_true(X509_sign(x, key, EVP_sha384()) > 0);
	EVP_PKEY_free(key);
	return x;
}

static void
test_trust_anchor_confusion(void **state)
{
	static const char *const genoa_root[] = { MILAN_VCEK, GENOA_CHAIN,
	    GENOA_CRL_2024, NULL };
	static const char *const vcek_only[] = { MILAN_VCEK, MILAN_CRL_2022,
	    NULL };
	struct vouch_ctx *ctx = vouch_ctx_new();
	struct vouch_verify_config *cfg;
	struct blob ev, chain, ask, genoa, genoa_ark;
	STACK_OF(X509) *sk = sk_X509_new_null();
	X509 *fake;
	uint8_t *der = NULL;
	size_t der_len = 0;

	(void)state;
	NEED_TESTDATA();
	ev = td(MILAN_REPORT);
	chain = td(MILAN_CHAIN);
	genoa = td(GENOA_CHAIN);
	ask = pem_block(chain, 0);
	genoa_ark = pem_block(genoa, 1);
	vouch_ctx_set_time(ctx, T_MILAN);

	/* A Genoa root (and Genoa ASK) for a Milan report. */
	assert_int_equal(verify_files(MILAN_REPORT, genoa_root, T_MILAN,
	    F_DEBUG, NULL), VOUCH_ERR_CHAIN_INVALID);
	/* Milan ASK with the Genoa ARK. */
	cfg = config(ctx, vcek_only, F_DEBUG);
	assert_int_equal(vouch_verify_config_add_endorsement(ctx, cfg, ask.p,
	    ask.n), VOUCH_OK);
	assert_int_equal(vouch_verify_config_add_endorsement(ctx, cfg,
	    genoa_ark.p, genoa_ark.n), VOUCH_OK);
	assert_int_equal(run(ctx, cfg, ev.p, ev.n, NULL), VOUCH_ERR_CHAIN_INVALID);
	vouch_verify_config_free(cfg);

	/* No ARK at all. */
	cfg = config(ctx, vcek_only, F_DEBUG);
	assert_int_equal(vouch_verify_config_add_endorsement(ctx, cfg, ask.p,
	    ask.n), VOUCH_OK);
	assert_int_equal(run(ctx, cfg, ev.p, ev.n, NULL),
	    VOUCH_ERR_NO_TRUST_ANCHOR);

	/* An attacker ARK with ARK-Milan's subject, as endorsement... */
	assert_int_equal(vouch_certs_parse(ctx, chain.p, chain.n, sk), VOUCH_OK);
	fake = attacker_ark(sk_X509_value(sk, 1));
	assert_int_equal(vouch_cert_to_der(ctx, fake, &der, &der_len), VOUCH_OK);
	assert_int_equal(vouch_verify_config_add_endorsement(ctx, cfg, der,
	    der_len), VOUCH_OK);
	assert_int_equal(run(ctx, cfg, ev.p, ev.n, NULL),
	    VOUCH_ERR_NO_TRUST_ANCHOR);
	/* ...and as a configured trust anchor: still not pinned. */
	assert_int_equal(vouch_verify_config_add_trust_anchor(ctx, cfg, der,
	    der_len), VOUCH_OK);
	assert_int_equal(run(ctx, cfg, ev.p, ev.n, NULL),
	    VOUCH_ERR_NO_TRUST_ANCHOR);
	vouch_verify_config_free(cfg);

	free(der);
	X509_free(fake);
	sk_X509_pop_free(sk, X509_free);
	free(ask.p);
	free(genoa_ark.p);
	free(genoa.p);
	free(chain.p);
	free(ev.p);
	vouch_ctx_free(ctx);
}

static void
test_cert_binding(void **state)
{
	struct vouch_ctx *ctx = vouch_ctx_new();
	struct blob ev, vcek;
	struct snp_report r, m;
	X509 *leaf = NULL;

	(void)state;
	NEED_TESTDATA();
	ev = td(MILAN_REPORT);
	vcek = td(MILAN_VCEK);
	assert_int_equal(snp_report_parse(ctx, ev.p, ev.n, &r), VOUCH_OK);
	assert_int_equal(vouch_cert_from_der(ctx, vcek.p, vcek.n, &leaf), VOUCH_OK);
	assert_int_equal(snp_check_cert_binding(ctx, &r, leaf,
	    SNP_PRODUCT_MILAN, false), VOUCH_OK);
	/* Each TCB component off by one (VCEK for TCB X, report TCB Y). */
	m = r;
	m.reported_tcb += 1;			/* bootloader */
	m.current_tcb = 0xffffffffffffffffull;
	assert_int_equal(snp_check_cert_binding(ctx, &m, leaf,
	    SNP_PRODUCT_MILAN, false), VOUCH_ERR_TCB_MISMATCH);
	m = r;
	m.reported_tcb += 1ull << 8;		/* TEE */
	m.current_tcb = 0xffffffffffffffffull;
	assert_int_equal(snp_check_cert_binding(ctx, &m, leaf,
	    SNP_PRODUCT_MILAN, false), VOUCH_ERR_TCB_MISMATCH);
	m = r;
	m.reported_tcb -= 1ull << 48;		/* SNP */
	assert_int_equal(snp_check_cert_binding(ctx, &m, leaf,
	    SNP_PRODUCT_MILAN, false), VOUCH_ERR_TCB_MISMATCH);
	m = r;
	m.reported_tcb -= 1ull << 56;		/* microcode */
	assert_int_equal(snp_check_cert_binding(ctx, &m, leaf,
	    SNP_PRODUCT_MILAN, false), VOUCH_ERR_TCB_MISMATCH);
	m = r;
	m.reported_tcb += 1ull << 16;		/* reserved byte 2 = SPL 3.4 */
	m.current_tcb = 0xffffffffffffffffull;
	assert_int_equal(snp_check_cert_binding(ctx, &m, leaf,
	    SNP_PRODUCT_MILAN, false), VOUCH_ERR_TCB_MISMATCH);
	/* Certified TCB newer than the running one. */
	m = r;
	m.current_tcb -= 1ull << 56;
	assert_int_equal(snp_check_cert_binding(ctx, &m, leaf,
	    SNP_PRODUCT_MILAN, false), VOUCH_ERR_TCB_MISMATCH);
	/* chip_id: another chip is refused, all-zero only when masked. */
	m = r;
	m.chip_id[63] ^= 1;
	assert_int_equal(snp_check_cert_binding(ctx, &m, leaf,
	    SNP_PRODUCT_MILAN, false), VOUCH_ERR_CHIP_ID_MISMATCH);
	memset(m.chip_id, 0, sizeof(m.chip_id));
	assert_int_equal(snp_check_cert_binding(ctx, &m, leaf,
	    SNP_PRODUCT_MILAN, false), VOUCH_ERR_CHIP_ID_MISMATCH);
	m.flags |= SNP_FLAG_MASK_CHIP_KEY;
	assert_int_equal(snp_check_cert_binding(ctx, &m, leaf,
	    SNP_PRODUCT_MILAN, false), VOUCH_OK);
	/* productName "Milan-B0" under a Genoa root. */
	assert_int_equal(snp_check_cert_binding(ctx, &r, leaf,
	    SNP_PRODUCT_GENOA, false), VOUCH_ERR_PRODUCT_MISMATCH);
	/* A VCEK presented as a VLEK. */
	assert_int_equal(snp_check_cert_binding(ctx, &r, leaf,
	    SNP_PRODUCT_MILAN, true), VOUCH_ERR_BAD_CERT);
	X509_free(leaf);
	free(vcek.p);
	free(ev.p);
	vouch_ctx_free(ctx);
}

/* Checklist #7: COMMITTED_TCB and the committed version against current. */
static void
test_committed(void **state)
{
	struct vouch_ctx *ctx = vouch_ctx_new();
	struct blob ev;
	struct snp_report r, m;
	bool prov;

	(void)state;
	NEED_TESTDATA();
	ev = td(MILAN_REPORT);
	assert_int_equal(snp_report_parse(ctx, ev.p, ev.n, &r), VOUCH_OK);
	free(ev.p);
	/* S-1: committed = current. */
	assert_int_equal(snp_check_committed(ctx, &r, SNP_PRODUCT_MILAN,
	    &prov), VOUCH_OK);
	assert_false(prov);
	/* Each component committed above current is refused by name. */
	m = r;
	m.committed_tcb += 1ull << 56;
	assert_int_equal(snp_check_committed(ctx, &m, SNP_PRODUCT_MILAN,
	    &prov), VOUCH_ERR_TCB_MISMATCH);
	assert_non_null(strstr(vouch_error(ctx), "committed_tcb microcode 69 "
	    "is above current_tcb microcode 68"));
	m = r;
	m.committed_tcb += 1;
	assert_int_equal(snp_check_committed(ctx, &m, SNP_PRODUCT_MILAN,
	    &prov), VOUCH_ERR_TCB_MISMATCH);
	assert_non_null(strstr(vouch_error(ctx), "bootloader 3"));
	m = r;
	m.committed_tcb += 1ull << 8;
	assert_int_equal(snp_check_committed(ctx, &m, SNP_PRODUCT_MILAN,
	    &prov), VOUCH_ERR_TCB_MISMATCH);
	assert_non_null(strstr(vouch_error(ctx), "committed_tcb tee 1"));
	m = r;
	m.committed_tcb += 1ull << 48;
	assert_int_equal(snp_check_committed(ctx, &m, SNP_PRODUCT_MILAN,
	    &prov), VOUCH_ERR_TCB_MISMATCH);
	assert_non_null(strstr(vouch_error(ctx), "committed_tcb snp 6"));
	/* Turin's FMC is byte 0. */
	m = r;
	m.committed_tcb = 0x0101010100000001ull;
	m.current_tcb = 0x0101010100000000ull;
	assert_int_equal(snp_check_committed(ctx, &m, SNP_PRODUCT_TURIN,
	    &prov), VOUCH_ERR_TCB_MISMATCH);
	assert_non_null(strstr(vouch_error(ctx), "committed_tcb fmc 1"));
	/* Below current in one component: provisional, not refused here. */
	m = r;
	m.committed_tcb -= 1ull << 56;
	assert_int_equal(snp_check_committed(ctx, &m, SNP_PRODUCT_MILAN,
	    &prov), VOUCH_OK);
	assert_true(prov);
	/* A reserved byte that differs (SPL 3.4 on Milan) is not "equal". */
	m = r;
	m.current_tcb += 1ull << 16;
	assert_int_equal(snp_check_committed(ctx, &m, SNP_PRODUCT_MILAN,
	    &prov), VOUCH_OK);
	assert_true(prov);
	m = r;
	m.committed_tcb -= 1ull << 56;
	/* One component below and another above is still refused. */
	m.committed_tcb += 1;
	assert_int_equal(snp_check_committed(ctx, &m, SNP_PRODUCT_MILAN,
	    &prov), VOUCH_ERR_TCB_MISMATCH);
	/* The firmware version, (major, minor, build) in order. */
	m = r;
	m.committed_build = (uint8_t)(r.current_build + 1);
	assert_int_equal(snp_check_committed(ctx, &m, SNP_PRODUCT_MILAN,
	    &prov), VOUCH_ERR_TCB_MISMATCH);
	assert_non_null(strstr(vouch_error(ctx), "committed firmware 1.49 "
	    "build 4 is above current 1.49 build 3"));
	m = r;
	m.committed_build = 0;
	assert_int_equal(snp_check_committed(ctx, &m, SNP_PRODUCT_MILAN,
	    &prov), VOUCH_OK);
	assert_true(prov);
	m = r;
	m.committed_minor = (uint8_t)(r.current_minor - 1);
	m.committed_build = 255;
	assert_int_equal(snp_check_committed(ctx, &m, SNP_PRODUCT_MILAN,
	    &prov), VOUCH_OK);
	assert_true(prov);
	m.committed_major = (uint8_t)(r.current_major + 1);
	assert_int_equal(snp_check_committed(ctx, &m, SNP_PRODUCT_MILAN,
	    &prov), VOUCH_ERR_TCB_MISMATCH);
	vouch_ctx_free(ctx);
}

static void
test_crl(void **state)
{
	static const char *const none[] = { MILAN_VCEK, MILAN_CHAIN, NULL };
	static const char *const stale[] = { MILAN_VCEK, MILAN_CHAIN,
	    MILAN_CRL_2022, NULL };
	static const char *const future[] = { MILAN_VCEK, MILAN_CHAIN,
	    MILAN_CRL_2025, NULL };
	static const char *const other[] = { MILAN_VCEK, MILAN_CHAIN,
	    GENOA_CRL_2024, NULL };
	struct vouch_result *res = NULL;
	char *json;

	(void)state;
	NEED_TESTDATA();
	assert_int_equal(verify_files(MILAN_REPORT, none, T_MILAN, F_DEBUG,
	    NULL), VOUCH_ERR_CRL_MISSING);
	assert_int_equal(verify_files(MILAN_REPORT, stale, T_2025, F_DEBUG,
	    NULL), VOUCH_ERR_CRL_EXPIRED);
	assert_int_equal(verify_files(MILAN_REPORT, future, T_MILAN, F_DEBUG,
	    NULL), VOUCH_ERR_CRL_EXPIRED);
	/* Genoa's list does not speak for the Milan ASK. */
	assert_int_equal(verify_files(MILAN_REPORT, other, T_2025, F_DEBUG,
	    NULL), VOUCH_ERR_CRL_MISSING);
	/* Explicitly skipped: verified, and reported as unchecked. */
	assert_int_equal(verify_files(MILAN_REPORT, none, T_MILAN,
	    F_DEBUG | F_SKIP_REV, &res), VOUCH_OK);
	json = vouch_result_to_json(res);
	assert_non_null(json);
	assert_non_null(strstr(json, "\"unchecked\":[\"revocation\""));
	free(json);
	vouch_result_free(res);
}

static void
test_revoked_ask(void **state)
{
	struct vouch_ctx *ctx = vouch_ctx_new();
	STACK_OF(X509) *sk = sk_X509_new_null();
	struct blob chain, revoked, crl24, crl22, milan;
	struct vouch_crl_ref ref[2];
	X509 *old_ask = NULL, *ask, *ark;

	(void)state;
	NEED_TESTDATA();
	chain = td(GENOA_CHAIN);
	revoked = td(GENOA_ASK_REVOKED);
	crl24 = td(GENOA_CRL_2024);
	crl22 = td(GENOA_CRL_2022);
	milan = td(MILAN_CRL_2025);
	assert_int_equal(vouch_certs_parse(ctx, chain.p, chain.n, sk), VOUCH_OK);
	ask = sk_X509_value(sk, 0);
	ark = sk_X509_value(sk, 1);
	assert_int_equal(vouch_cert_from_der(ctx, revoked.p, revoked.n,
	    &old_ask), VOUCH_OK);

	ref[0].p = crl24.p;
	ref[0].n = crl24.n;
	assert_int_equal(snp_check_revocation(ctx, ref, 1, ark, &old_ask, 1,
	    T_2025), VOUCH_ERR_CERT_REVOKED);
	assert_int_equal(snp_check_revocation(ctx, ref, 1, ark, &ask, 1,
	    T_2025), VOUCH_OK);
	/* Stale at 2026 for either certificate. */
	assert_int_equal(snp_check_revocation(ctx, ref, 1, ark, &ask, 1,
	    T_2026), VOUCH_ERR_CRL_EXPIRED);
	ref[0].p = crl22.p;
	ref[0].n = crl22.n;
	assert_int_equal(snp_check_revocation(ctx, ref, 1, ark, &old_ask, 1,
	    T_2023), VOUCH_ERR_CERT_REVOKED);
	/* The Milan ARK's list does not speak for Genoa: missing. */
	ref[0].p = milan.p;
	ref[0].n = milan.n;
	assert_int_equal(snp_check_revocation(ctx, ref, 1, ark, &old_ask, 1,
	    T_2025), VOUCH_ERR_CRL_MISSING);
	/* A stale list beside a current one: the current one decides. */
	ref[0].p = crl22.p;
	ref[0].n = crl22.n;
	ref[1].p = crl24.p;
	ref[1].n = crl24.n;
	assert_int_equal(snp_check_revocation(ctx, ref, 2, ark, &ask, 1,
	    T_2025), VOUCH_OK);
	/* A CRL that does not parse is an error, not a skip. */
	ref[1].n = crl24.n - 1;
	assert_int_equal(snp_check_revocation(ctx, ref, 2, ark, &ask, 1,
	    T_2025), VOUCH_ERR_BAD_DER);
	X509_free(old_ask);
	sk_X509_pop_free(sk, X509_free);
	free(chain.p);
	free(revoked.p);
	free(crl24.p);
	free(crl22.p);
	free(milan.p);
	vouch_ctx_free(ctx);
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* Parse-level rules on edited copies (signatures cannot be redone). */
static void
test_parse_rules(void **state)
{
	struct vouch_ctx *ctx = vouch_ctx_new();
	struct snp_report r;
	struct blob ev;
	uint8_t b[SNP_REPORT_LEN];

	(void)state;
	NEED_TESTDATA();
	ev = td(MILAN_REPORT);
	assert_int_equal(snp_report_parse(ctx, ev.p, ev.n, &r), VOUCH_OK);
	assert_int_equal(r.version, 2);
	assert_int_equal(r.policy, 0x0b0000);
	assert_true((r.policy & SNP_POLICY_DEBUG) != 0);
	assert_true((r.policy & SNP_POLICY_SMT) != 0);
	assert_true((r.policy & SNP_POLICY_MIGRATE_MA) == 0);
	assert_int_equal(r.reported_tcb, 0x4405000000000002ull);
	assert_int_equal(r.current_tcb, 0x4405000000000002ull);

#define EDIT(stmt, want) do {						\
	memcpy(b, ev.p, sizeof(b));					\
	stmt;								\
	assert_int_equal(snp_report_parse(ctx, b, sizeof(b), &r), want);\
} while (0)
	EDIT(put32(b, 4), VOUCH_ERR_UNSUPPORTED_VERSION);
	EDIT(put32(b, 1), VOUCH_ERR_UNSUPPORTED_VERSION);
	EDIT(put32(b, 6), VOUCH_ERR_UNSUPPORTED_VERSION);
	EDIT(put32(b, 3), VOUCH_OK);	/* v3 layout, CPUID bytes zero */
	EDIT(put32(b, 5), VOUCH_OK);
	EDIT(put32(b + 0x34, 2), VOUCH_ERR_BAD_FIELD);
	EDIT(b[0x0a] &= (uint8_t)~0x02, VOUCH_ERR_RESERVED_NONZERO); /* bit 17 */
	EDIT(b[0x0b] |= 0x04, VOUCH_ERR_RESERVED_NONZERO);	/* bit 26 */
	EDIT(b[0x0f] |= 0x80, VOUCH_ERR_RESERVED_NONZERO);	/* bit 63 */
	EDIT(b[0x41] |= 0x01, VOUCH_ERR_RESERVED_NONZERO);	/* platform_info */
	EDIT(b[0x48] |= 0x20, VOUCH_ERR_RESERVED_NONZERO);	/* key info 31:5 */
	EDIT(b[0x48] |= 0x08, VOUCH_ERR_BAD_FIELD);		/* signing_key 2 */
	EDIT(b[0x48] |= 0x1c, VOUCH_ERR_BAD_FIELD);		/* signing_key 7 */
	EDIT(b[0x4c] = 1, VOUCH_ERR_RESERVED_NONZERO);
	EDIT(b[0x188] = 1, VOUCH_ERR_RESERVED_NONZERO);		/* v2: reserved */
	EDIT((put32(b, 3), b[0x188] = 0x19), VOUCH_OK);		/* v3: CPUID */
	EDIT((put32(b, 3), b[0x18b] = 1), VOUCH_ERR_RESERVED_NONZERO);
	EDIT(b[0x1eb] = 1, VOUCH_ERR_RESERVED_NONZERO);
	EDIT(b[0x1ef] = 1, VOUCH_ERR_RESERVED_NONZERO);
	EDIT(b[0x1f8] = 1, VOUCH_ERR_RESERVED_NONZERO);		/* v2: reserved */
	EDIT((put32(b, 5), b[0x1f8] = 1), VOUCH_OK);		/* v5: vector */
	EDIT((put32(b, 5), b[0x208] = 1), VOUCH_ERR_RESERVED_NONZERO);
	EDIT(b[0x29f] = 1, VOUCH_ERR_RESERVED_NONZERO);
	EDIT(b[0x2a0 + 48] = 1, VOUCH_ERR_SIGNATURE_INVALID);	/* R high */
	EDIT(b[0x2e8 + 71] = 1, VOUCH_ERR_SIGNATURE_INVALID);	/* S high */
	EDIT(b[0x330] = 1, VOUCH_ERR_RESERVED_NONZERO);
	EDIT(b[0x49f] = 1, VOUCH_ERR_RESERVED_NONZERO);
	/* Policy decoding: MIGRATE_MA and SINGLE_SOCKET parse, DEBUG clears. */
	EDIT(b[0x0a] |= 0x04 | 0x10, VOUCH_OK);
	assert_true((r.policy & SNP_POLICY_MIGRATE_MA) != 0);
	assert_true((r.policy & SNP_POLICY_SINGLE_SOCKET) != 0);
	EDIT(b[0x0a] &= (uint8_t)~0x08, VOUCH_OK);
	assert_true((r.policy & SNP_POLICY_DEBUG) == 0);
#undef EDIT
	free(ev.p);
	vouch_ctx_free(ctx);
}

static void
test_probe_and_show(void **state)
{
	const struct vouch_platform *p = vouch_platform_find("snp");
	struct blob ev;
	json_t *o = NULL;
	char *s;

	(void)state;
	NEED_TESTDATA();
	assert_non_null(p);
	ev = td(MILAN_REPORT);
	assert_ptr_equal(vouch_platform_detect(ev.p, ev.n), p);
	assert_false(p->probe(ev.p, ev.n - 1));
	assert_int_equal(p->show(NULL, ev.p, ev.n, &o), VOUCH_OK);
	s = json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT);
	assert_non_null(s);
	assert_non_null(strstr(s, "\"verified\":false"));
	assert_non_null(strstr(s, "\"chip_id\":\"3ac3fe21"));
	free(s);
	json_decref(o);
	free(ev.p);
	/* Firmware versions and the fields after them are shown too. */
	ev = td(VLEK_REPORT);
	assert_int_equal(p->show(NULL, ev.p, ev.n, &o), VOUCH_OK);
	s = json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT);
	assert_non_null(s);
	assert_non_null(strstr(s, "\"current_version\":{\"build\":29,"
	    "\"major\":1,\"minor\":55}"));
	assert_non_null(strstr(s, "\"committed_version\":{"));
	assert_non_null(strstr(s, "\"signature_s\":\""));
	assert_non_null(strstr(s, "\"flags\":4"));
	free(s);
	json_decref(o);
	free(ev.p);
}

/*
 * S-5: the Azure Genoa vTPM evidence JSON (snp/PROVENANCE.md).  Its
 * "report" is the 2600-byte HCL report as an array of numbers, with an
 * SNP report v3 at offset 0x20, verified with vcek-genoa.pem (the same
 * certificate as the JSON's "vcek") under the Genoa chain and CRL.
 */
static void
test_azure_genoa(void **state)
{
	static const char *const files[] = { "snp/az-snp-vtpm/vcek-genoa.pem",
	    GENOA_CHAIN, GENOA_CRL_2024, NULL };
	static const char *const milan_crl[] = {
	    "snp/az-snp-vtpm/vcek-genoa.pem", GENOA_CHAIN, MILAN_CRL_2025,
	    NULL };
	struct vouch_ctx *ctx;
	struct vouch_verify_config *cfg;
	struct vouch_result *res = NULL;
	struct blob doc, vcek;
	uint8_t hcl[2600], digest[32];
	uint32_t claims_len;
	const uint8_t *p;
	const char *s;
	json_t *root, *arr;
	size_t i, n;

	(void)state;
	NEED_TESTDATA();
	doc = td("snp/az-snp-vtpm/evidence-genoa.json");
	root = json_loadb((const char *)doc.p, doc.n, 0, NULL);
	assert_non_null(root);
	arr = json_object_get(root, "report");
	assert_true(json_is_array(arr));
	assert_int_equal(json_array_size(arr), sizeof(hcl));
	for (i = 0; i < sizeof(hcl); i++) {
		json_int_t v = json_integer_value(json_array_get(arr, i));

		assert_true(json_is_integer(json_array_get(arr, i)) && v >= 0 &&
		    v <= 255);
		hcl[i] = (uint8_t)v;
	}
	vcek = td("snp/az-snp-vtpm/vcek-genoa.pem");
	s = json_string_value(json_object_get(root, "vcek"));
	assert_non_null(s);
	assert_int_equal(strlen(s), vcek.n);
	assert_memory_equal(s, vcek.p, vcek.n);

	ctx = vouch_ctx_new();
	assert_non_null(ctx);
	vouch_ctx_set_time(ctx, T_2025);
	cfg = config(ctx, files, 0);
	assert_int_equal(run(ctx, cfg, hcl + 0x20, SNP_REPORT_LEN, &res),
	    VOUCH_OK);
	assert_true(vouch_claims_get_string(vouch_result_claims(res),
	    "snp.product", &s));
	assert_string_equal(s, "Genoa");
	assert_true(vouch_claims_get_bytes(vouch_result_claims(res),
	    "report_data", &p, &n));
	/*
	 * REPORT_DATA = SHA-256(the runtime claims JSON at HCL 0x4D4, its
	 * length a u32le at 0x4D0) || 0^32, as in S-4.
	 */
	claims_len = (uint32_t)hcl[0x4d0] | (uint32_t)hcl[0x4d1] << 8 |
	    (uint32_t)hcl[0x4d2] << 16 | (uint32_t)hcl[0x4d3] << 24;
	assert_true(claims_len > 0 && claims_len <= sizeof(hcl) - 0x4d4);
	vouch_sha256(hcl + 0x4d4, claims_len, digest);
	assert_int_equal(n, 64);
	assert_memory_equal(p, digest, sizeof(digest));
	for (i = 32; i < 64; i++) {
		assert_int_equal(p[i], 0);
	}
	vouch_result_free(res);
	/* The HCL report around it is not evidence. */
	assert_int_not_equal(run(ctx, cfg, hcl, sizeof(hcl), NULL), VOUCH_OK);
	/* One byte of the signed range. */
	hcl[0x20 + 0x90] ^= 1;
	assert_int_equal(run(ctx, cfg, hcl + 0x20, SNP_REPORT_LEN, NULL),
	    VOUCH_ERR_SIGNATURE_INVALID);
	hcl[0x20 + 0x90] ^= 1;
	vouch_verify_config_free(cfg);
	/* Milan's CRL does not cover a Genoa chain. */
	cfg = config(ctx, milan_crl, 0);
	assert_int_equal(run(ctx, cfg, hcl + 0x20, SNP_REPORT_LEN, NULL),
	    VOUCH_ERR_CRL_MISSING);
	vouch_verify_config_free(cfg);
	vouch_ctx_free(ctx);
	json_decref(root);
	free(vcek.p);
	free(doc.p);
}

/*
 * The SEV-SNP policy settings (lib/policy/policy.c, docs/policy.md
 * 2.1.1) on claims verified from the real reports: each setting holds on
 * one report and fails on another (or with another value), the same
 * evaluation vouchd runs at admission.
 */
struct real_report {
	const char		*name;
	const char		*file;
	size_t			 offset;	/* of the report inside |file| */
	const char *const	*files;
	int64_t			 at;
	int			 flags;
};

static const char *const vlek_files[] = { VLEK_CERT, VLEK_CHAIN,
    MILAN_CRL_2025, NULL };
static const char *const genoa_files[] = { GENOA_VCEK, GENOA_CHAIN,
    GENOA_CRL_2024, NULL };
static const char *const azure_files[] = { AZURE_VCEK, MILAN_CRL_2025,
    NULL };

static const struct real_report real_milan = { "Milan S-1", MILAN_REPORT, 0,
    milan_files, T_MILAN, F_DEBUG };
static const struct real_report real_vlek = { "Milan VLEK S-2", VLEK_REPORT,
    0, vlek_files, T_2025, F_PROVISIONAL };
static const struct real_report real_genoa = { "Genoa S-3", GENOA_REPORT, 0,
    genoa_files, T_2025, 0 };
/* S-4: the SNP report at offset 0x20 of the Azure HCL report. */
static const struct real_report real_azure = { "Azure Milan S-4",
    AZURE_HCL, 0x20, azure_files, T_2025, F_PROVISIONAL };

/*
 * Verify |rr| (must succeed), then evaluate a policy trusting snp with
 * |settings| and the report's own measurement.
 */
static enum vouch_err
admit_real(const struct real_report *rr, const char *settings,
    struct vouch_explain *ex)
{
	struct vouch_ctx *ctx = vouch_ctx_new();
	struct vouch_verify_config *cfg;
	struct vouch_result *res = NULL;
	struct vouch_policy *pol = NULL;
	struct blob ev = td(rr->file);
	const uint8_t *m;
	char hex[2 * 48 + 1], doc[4096], pre[128];
	enum vouch_err rv;
	size_t n;
	int len;

	assert_non_null(ctx);
	assert_true(ev.n >= rr->offset + SNP_REPORT_LEN);
	vouch_ctx_set_time(ctx, rr->at);
	cfg = config(ctx, rr->files, rr->flags);
	rv = run(ctx, cfg, ev.p + rr->offset, SNP_REPORT_LEN, &res);
	if (rv != VOUCH_OK) {
		fail_msg("%s: verification failed: %s", rr->name,
		    vouch_error(ctx));
	}
	assert_true(vouch_claims_get_bytes(vouch_result_claims(res),
	    "measurement", &m, &n));
	assert_true(vouch_hex_encode(m, n, hex, sizeof(hex)));
	/*
	 * Debug and provisional samples get the relaxation they need, so
	 * that each case is about its own setting; cases that name
	 * allow_provisional_firmware decide it themselves.
	 */
	(void)snprintf(pre, sizeof(pre), "%s%s",
	    (rr->flags & F_DEBUG) != 0 ? "\"insecure_allow_debug\":true," : "",
	    (rr->flags & F_PROVISIONAL) != 0 &&
	    strstr(settings, "allow_provisional_firmware") == NULL ?
	    "\"allow_provisional_firmware\":true," : "");
	if (settings[0] == '\0' && pre[0] != '\0') {
		pre[strlen(pre) - 1] = '\0';
	}
	len = snprintf(doc, sizeof(doc), "{\"vouch_policy\":1,\"version\":1,"
	    "\"expires\":\"2099-01-01T00:00:00Z\",\"platforms\":{\"snp\":{"
	    "%s%s}},\"measurements\":{\"r\":[\"%s\"]}}", pre, settings, hex);
	assert_true(len > 0 && (size_t)len < sizeof(doc));
	rv = vouch_policy_parse(ctx, (const uint8_t *)doc, (size_t)len, &pol);
	if (rv != VOUCH_OK) {
		fail_msg("%s: policy %s: %s", rr->name, doc, vouch_error(ctx));
	}
	rv = vouch_policy_evaluate_admission(ctx, pol,
	    vouch_result_claims(res), ex);
	vouch_policy_free(pol);
	vouch_result_free(res);
	vouch_verify_config_free(cfg);
	free(ev.p);
	vouch_ctx_free(ctx);
	return rv;
}

struct real_case {
	const struct real_report	*rr;
	const char			*settings;
	enum vouch_err			 want;
	const char			*text;	/* substring of the explanation */
};

#define MIN_TCB(p, bl, tee, snp, uc) "\"min_tcb\":{\"" p "\":{\"bootloader\":" \
	#bl ",\"tee\":" #tee ",\"snp\":" #snp ",\"microcode\":" #uc "}}"
#define ZERO32 "0000000000000000000000000000000000000000000000000000000000000000"

static const struct real_case real_cases[] = {
	/* No settings: the defaults (no debug) only. */
	{ &real_vlek, "", VOUCH_OK, "admitted: platform snp" },
	{ &real_genoa, "", VOUCH_OK, "admitted" },
	{ &real_azure, "", VOUCH_OK, "admitted" },
	{ &real_milan, "", VOUCH_OK, "admitted" },
	/* products */
	{ &real_milan, "\"products\":[\"Milan\"]", VOUCH_OK, "admitted" },
	{ &real_genoa, "\"products\":[\"Genoa\",\"Turin\"]", VOUCH_OK,
	  "admitted" },
	{ &real_milan, "\"products\":[\"Genoa\",\"Turin\"]",
	  VOUCH_ERR_POLICY_DENIED, "platforms.snp.products: claim snp.product "
	  "= \"Milan\", requires in [\"Genoa\", \"Turin\"]" },
	{ &real_vlek, "\"products\":[\"Genoa\"]", VOUCH_ERR_POLICY_DENIED,
	  "claim snp.product = \"Milan\"" },
	/* signing_keys */
	{ &real_milan, "\"signing_keys\":[\"vcek\"]", VOUCH_OK, "admitted" },
	{ &real_vlek, "\"signing_keys\":[\"vlek\"]", VOUCH_OK, "admitted" },
	{ &real_vlek, "\"signing_keys\":[\"vcek\"]", VOUCH_ERR_POLICY_DENIED,
	  "platforms.snp.signing_keys: claim snp.signing_key = \"vlek\", "
	  "requires in [\"vcek\"]" },
	{ &real_genoa, "\"signing_keys\":[\"vlek\"]", VOUCH_ERR_POLICY_DENIED,
	  "claim snp.signing_key = \"vcek\"" },
	/* min_tcb: exactly the reported TCB passes, one more fails */
	{ &real_milan, MIN_TCB("Milan", 2, 0, 5, 68), VOUCH_OK, "admitted" },
	{ &real_milan, MIN_TCB("Milan", 2, 0, 5, 69), VOUCH_ERR_TCB_OUT_OF_DATE,
	  "platforms.snp.min_tcb.Milan.microcode: claim "
	  "snp.reported_tcb.microcode = 68, requires greaterOrEquals 69" },
	{ &real_genoa, MIN_TCB("Genoa", 10, 0, 23, 25), VOUCH_OK, "admitted" },
	{ &real_genoa, MIN_TCB("Genoa", 11, 0, 23, 25),
	  VOUCH_ERR_TCB_OUT_OF_DATE, "snp.reported_tcb.bootloader = 10" },
	{ &real_genoa, MIN_TCB("Genoa", 10, 1, 23, 25),
	  VOUCH_ERR_TCB_OUT_OF_DATE, "snp.reported_tcb.tee = 0" },
	{ &real_genoa, MIN_TCB("Genoa", 10, 0, 24, 25),
	  VOUCH_ERR_TCB_OUT_OF_DATE, "snp.reported_tcb.snp = 23" },
	/* A floor for Milan says nothing about Genoa. */
	{ &real_genoa, MIN_TCB("Milan", 0, 0, 0, 0), VOUCH_ERR_POLICY_DENIED,
	  "claim snp.product = \"Genoa\" has no minimum TCB" },
	/*
	 * The floor is on REPORTED_TCB (the TCB the V[CL]EK certifies):
	 * S-4 runs microcode 210 (CURRENT_TCB) but signs with a VCEK for
	 * 115; S-2 runs 220 and signs for 217.
	 */
	{ &real_azure, MIN_TCB("Milan", 3, 0, 8, 115), VOUCH_OK, "admitted" },
	{ &real_azure, MIN_TCB("Milan", 3, 0, 8, 200),
	  VOUCH_ERR_TCB_OUT_OF_DATE, "snp.reported_tcb.microcode = 115, "
	  "requires greaterOrEquals 200" },
	{ &real_vlek, MIN_TCB("Milan", 4, 0, 24, 217), VOUCH_OK, "admitted" },
	{ &real_vlek, MIN_TCB("Milan", 4, 0, 24, 218),
	  VOUCH_ERR_TCB_OUT_OF_DATE, "snp.reported_tcb.microcode = 217" },
	/* max_vmpl: S-2 was requested at VMPL 1 */
	{ &real_vlek, "\"max_vmpl\":1", VOUCH_OK, "admitted" },
	{ &real_vlek, "\"max_vmpl\":0", VOUCH_ERR_POLICY_DENIED,
	  "platforms.snp.max_vmpl: claim snp.vmpl = 1, requires lessOrEquals "
	  "0" },
	{ &real_genoa, "\"max_vmpl\":0", VOUCH_OK, "admitted" },
	/* guest_policy: every sample allows SMT, none is single-socket */
	{ &real_milan, "\"guest_policy\":{\"require\":[\"smt\"]}", VOUCH_OK,
	  "admitted" },
	{ &real_vlek, "\"guest_policy\":{\"forbid\":[\"smt\"]}",
	  VOUCH_ERR_POLICY_DENIED, "platforms.snp.guest_policy.forbid: claim "
	  "snp.policy = 0x30000 has bit 16 (smt) set" },
	{ &real_genoa, "\"guest_policy\":{\"forbid\":[\"single_socket\"]}",
	  VOUCH_OK, "admitted" },
	{ &real_genoa, "\"guest_policy\":{\"require\":[\"single_socket\"]}",
	  VOUCH_ERR_POLICY_DENIED, "platforms.snp.guest_policy.require: claim "
	  "snp.policy = 0x30000 lacks bit 20 (single_socket)" },
	{ &real_azure, "\"guest_policy\":{\"require\":[\"smt\"],\"forbid\":"
	  "[\"single_socket\",\"rapl_dis\",\"cxl_allowed\"]}", VOUCH_OK,
	  "admitted" },
	/* host_data: every sample has all zeros */
	{ &real_azure, "\"host_data\":[\"" ZERO32 "\"]", VOUCH_OK, "admitted" },
	{ &real_vlek, "\"host_data\":[\"" ZERO32 "\"]", VOUCH_OK, "admitted" },
	{ &real_genoa, "\"host_data\":[\"1111111111111111111111111111111111111"
	  "111111111111111111111111111\"]", VOUCH_ERR_POLICY_DENIED,
	  "platforms.snp.host_data: claim host_data = " ZERO32 " is none of "
	  "the 1 allowed values" },
	/*
	 * Checklist #7: S-2 runs microcode 220 with 219 committed, S-4
	 * 210 with 115 committed (provisional); S-1 and S-3 are committed.
	 */
	{ &real_vlek, "\"allow_provisional_firmware\":false",
	  VOUCH_ERR_TCB_MISMATCH, "platforms.snp.allow_provisional_firmware: "
	  "claim snp.committed_tcb.microcode = 219, snp.current_tcb.microcode "
	  "= 220: provisional firmware" },
	{ &real_vlek, "\"allow_provisional_firmware\":true", VOUCH_OK,
	  "admitted" },
	{ &real_azure, "\"allow_provisional_firmware\":false",
	  VOUCH_ERR_TCB_MISMATCH, "claim snp.committed_tcb.microcode = 115, "
	  "snp.current_tcb.microcode = 210" },
	{ &real_azure, "\"allow_provisional_firmware\":true", VOUCH_OK,
	  "admitted" },
	{ &real_genoa, "\"allow_provisional_firmware\":false", VOUCH_OK,
	  "admitted" },
	{ &real_milan, "\"allow_provisional_firmware\":false", VOUCH_OK,
	  "admitted" },
	/* #8: LAUNCH_TCB floor (S-2 launched at microcode 219). */
	{ &real_vlek, "\"min_launch_tcb\":{\"Milan\":{\"bootloader\":4,"
	  "\"tee\":0,\"snp\":24,\"microcode\":219}}", VOUCH_OK, "admitted" },
	{ &real_vlek, "\"min_launch_tcb\":{\"Milan\":{\"bootloader\":4,"
	  "\"tee\":0,\"snp\":24,\"microcode\":220}}",
	  VOUCH_ERR_TCB_OUT_OF_DATE, "platforms.snp.min_launch_tcb.Milan."
	  "microcode: claim snp.launch_tcb.microcode = 219, requires "
	  "greaterOrEquals 220" },
	{ &real_genoa, "\"min_launch_tcb\":{\"Genoa\":{\"bootloader\":10,"
	  "\"tee\":0,\"snp\":24,\"microcode\":25}}",
	  VOUCH_ERR_TCB_OUT_OF_DATE, "snp.launch_tcb.snp = 23" },
	/* #8: firmware version (S-1 1.49 build 3, S-2 1.55.29, S-3 1.55.40,
	 * S-4 1.52.4). */
	{ &real_vlek, "\"min_firmware\":{\"major\":1,\"minor\":55,"
	  "\"build\":29}", VOUCH_OK, "admitted" },
	{ &real_vlek, "\"min_firmware\":{\"major\":1,\"minor\":55,"
	  "\"build\":30}", VOUCH_ERR_TCB_OUT_OF_DATE,
	  "platforms.snp.min_firmware: claims snp.current_version.{major,"
	  "minor,build} = 1.55.29, requires greaterOrEquals 1.55.30" },
	{ &real_genoa, "\"min_firmware\":{\"major\":1,\"minor\":55,"
	  "\"build\":30}", VOUCH_OK, "admitted" },
	{ &real_milan, "\"min_firmware\":{\"major\":1,\"minor\":51,"
	  "\"build\":0}", VOUCH_ERR_TCB_OUT_OF_DATE, "= 1.49.3, requires "
	  "greaterOrEquals 1.51.0" },
	{ &real_azure, "\"min_firmware\":{\"major\":1,\"minor\":52,"
	  "\"build\":4}", VOUCH_OK, "admitted" },
	/* #10: ABI from the guest policy (S-4 0x3001f: 0.31; others 0.0). */
	{ &real_azure, "\"min_abi\":{\"major\":0,\"minor\":31}", VOUCH_OK,
	  "admitted" },
	{ &real_azure, "\"min_abi\":{\"major\":0,\"minor\":32}",
	  VOUCH_ERR_POLICY_DENIED, "platforms.snp.min_abi: claims snp.policy."
	  "{abi_major,abi_minor} = 0.31, requires greaterOrEquals 0.32" },
	{ &real_genoa, "\"min_abi\":{\"major\":0,\"minor\":1}",
	  VOUCH_ERR_POLICY_DENIED, "= 0.0, requires greaterOrEquals 0.1" },
	/* #11: PLATFORM_INFO (S-1, S-4 0x1; S-2 0x27; S-3 0x25). */
	{ &real_vlek, "\"platform_info\":{\"require\":[\"smt_en\","
	  "\"tsme_en\",\"ecc_en\",\"alias_check_complete\"],\"forbid\":["
	  "\"rapl_dis\",\"ciphertext_hiding_en\",\"tio_en\"]}", VOUCH_OK,
	  "admitted" },
	{ &real_genoa, "\"platform_info\":{\"require\":[\"tsme_en\"]}",
	  VOUCH_ERR_POLICY_DENIED, "platforms.snp.platform_info.require: claim "
	  "snp.platform_info.tsme_en = false (snp.platform_info = 0x25 lacks "
	  "bit 1)" },
	{ &real_azure, "\"platform_info\":{\"forbid\":[\"smt_en\"]}",
	  VOUCH_ERR_POLICY_DENIED, "snp.platform_info.smt_en = true" },
	{ &real_milan, "\"platform_info\":{\"require\":["
	  "\"alias_check_complete\"]}", VOUCH_ERR_POLICY_DENIED,
	  "snp.platform_info.alias_check_complete = false" },
	/* #11: no sample is v5, so required mitigations cannot be met. */
	{ &real_genoa, "\"required_mitigations\":[0]",
	  VOUCH_ERR_POLICY_DENIED, "claim snp.current_mit_vector is missing "
	  "(the vectors exist from report version 5)" },
	/* #12: S-4 has FAMILY_ID 01 00.., IMAGE_ID 02 00.., GUEST_SVN 5. */
	{ &real_azure, "\"family_id\":[\"01000000000000000000000000000000\"],"
	  "\"image_id\":[\"02000000000000000000000000000000\"],"
	  "\"min_guest_svn\":5", VOUCH_OK, "admitted" },
	{ &real_azure, "\"family_id\":[\"02000000000000000000000000000000\"]",
	  VOUCH_ERR_POLICY_DENIED, "platforms.snp.family_id: claim "
	  "snp.family_id = 01000000000000000000000000000000 is none of the 1" },
	{ &real_azure, "\"image_id\":[\"01000000000000000000000000000000\"]",
	  VOUCH_ERR_POLICY_DENIED, "platforms.snp.image_id: claim "
	  "snp.image_id = 02000000000000000000000000000000" },
	{ &real_azure, "\"min_guest_svn\":6", VOUCH_ERR_POLICY_DENIED,
	  "platforms.snp.min_guest_svn: claim snp.guest_svn = 5, requires "
	  "greaterOrEquals 6" },
	/* #12: no sample has an ID block; a trusted ID key is then missing. */
	{ &real_genoa, "\"id_key_digest\":[\"" ZERO32 "11111111111111111111"
	  "111111111111\"],\"require_id_block\":true", VOUCH_ERR_POLICY_DENIED,
	  "platforms.snp.require_id_block: claim snp.id_key_digest = "
	  ZERO32 "00000000000000000000000000000000 is none of the 1 allowed "
	  "values (all zeros: no ID block)" },
	{ &real_vlek, "\"author_key_digest\":[\"" ZERO32 "1111111111111111"
	  "1111111111111111\"]", VOUCH_ERR_POLICY_DENIED,
	  "platforms.snp.author_key_digest: claim snp.author_key_en is false" },
	/* Everything at once on S-2. */
	{ &real_vlek, "\"products\":[\"Milan\"],\"signing_keys\":[\"vlek\"],"
	  MIN_TCB("Milan", 4, 0, 24, 217) ",\"max_vmpl\":1,\"guest_policy\":{"
	  "\"require\":[\"smt\"],\"forbid\":[\"single_socket\"]},"
	  "\"host_data\":[\"" ZERO32 "\"]", VOUCH_OK, "admitted" },
};

static void
run_real_case(const struct real_case *tc)
{
	struct vouch_explain ex;
	enum vouch_err rv;

	memset(&ex, 0, sizeof(ex));
	rv = admit_real(tc->rr, tc->settings, &ex);
	if (rv != tc->want) {
		fail_msg("%s {%s}: got %s (%s), want %s", tc->rr->name,
		    tc->settings, vouch_errname(rv), ex.text,
		    vouch_errname(tc->want));
	}
	if (strstr(ex.text, tc->text) == NULL) {
		fail_msg("%s {%s}: text \"%s\" lacks \"%s\"", tc->rr->name,
		    tc->settings, ex.text, tc->text);
	}
}

static void
test_policy_on_real_reports(void **state)
{
	struct vouch_explain ex;
	size_t i;

	(void)state;
	NEED_TESTDATA();
	for (i = 0; i < sizeof(real_cases) / sizeof(real_cases[0]); i++) {
		run_real_case(&real_cases[i]);
	}
	/*
	 * insecure_allow_debug: S-1 is a debug guest.  Verified with the
	 * insecure flag, a policy without insecure_allow_debug still
	 * refuses it (the helper adds the setting for F_DEBUG reports, so
	 * evaluate a policy by hand here).
	 */
	{
		static const struct real_report nodbg = { "Milan S-1",
		    MILAN_REPORT, 0, milan_files, T_MILAN, F_DEBUG };
		struct vouch_ctx *ctx = vouch_ctx_new();
		struct vouch_verify_config *cfg;
		struct vouch_result *res = NULL;
		struct vouch_policy *pol = NULL;
		struct blob ev = td(nodbg.file);
		const uint8_t *m;
		char hex[97], doc[512];
		size_t n;
		int len;

		vouch_ctx_set_time(ctx, nodbg.at);
		cfg = config(ctx, nodbg.files, nodbg.flags);
		assert_int_equal(run(ctx, cfg, ev.p, ev.n, &res), VOUCH_OK);
		assert_true(vouch_claims_get_bytes(vouch_result_claims(res),
		    "measurement", &m, &n));
		assert_true(vouch_hex_encode(m, n, hex, sizeof(hex)));
		len = snprintf(doc, sizeof(doc), "{\"vouch_policy\":1,"
		    "\"version\":1,\"expires\":\"2099-01-01T00:00:00Z\","
		    "\"platforms\":{\"snp\":{\"products\":[\"Milan\"]}},"
		    "\"measurements\":{\"r\":[\"%s\"]}}", hex);
		assert_int_equal(vouch_policy_parse(ctx, (const uint8_t *)doc,
		    (size_t)len, &pol), VOUCH_OK);
		assert_int_equal(vouch_policy_evaluate_admission(ctx, pol,
		    vouch_result_claims(res), &ex), VOUCH_ERR_DEBUG_ENABLED);
		assert_non_null(strstr(ex.text,
		    "platforms.snp.insecure_allow_debug: claim debug = true"));
		vouch_policy_free(pol);
		vouch_result_free(res);
		vouch_verify_config_free(cfg);
		free(ev.p);
		vouch_ctx_free(ctx);
	}
	assert_int_equal(admit_real(&real_milan, "", &ex), VOUCH_OK);
}

/* The claims of checklist #7, #8, #10-#12 on verified S-2 and S-3. */
static void
test_more_claims(void **state)
{
	static const struct {
		const struct real_report	*rr;
		const char			*name;
		int64_t				 v;
	} ints[] = {
		{ &real_vlek, "snp.current_version.major", 1 },
		{ &real_vlek, "snp.current_version.minor", 55 },
		{ &real_vlek, "snp.current_version.build", 29 },
		{ &real_vlek, "snp.committed_version.build", 29 },
		{ &real_vlek, "snp.committed_tcb.microcode", 219 },
		{ &real_vlek, "snp.current_tcb.microcode", 220 },
		{ &real_vlek, "snp.launch_tcb.microcode", 219 },
		{ &real_vlek, "snp.platform_info", 0x27 },
		{ &real_vlek, "snp.policy.abi_major", 0 },
		{ &real_azure, "snp.policy.abi_minor", 31 },
		{ &real_azure, "snp.guest_svn", 5 },
		{ &real_genoa, "snp.platform_info", 0x25 },
		{ &real_genoa, "snp.current_version.build", 40 },
	};
	static const struct {
		const struct real_report	*rr;
		const char			*name;
		int				 v;
	} bools[] = {
		{ &real_vlek, "snp.provisional_firmware", 1 },
		{ &real_azure, "snp.provisional_firmware", 1 },
		{ &real_genoa, "snp.provisional_firmware", 0 },
		{ &real_milan, "snp.provisional_firmware", 0 },
		{ &real_vlek, "snp.platform_info.smt_en", 1 },
		{ &real_vlek, "snp.platform_info.tsme_en", 1 },
		{ &real_vlek, "snp.platform_info.ecc_en", 1 },
		{ &real_vlek, "snp.platform_info.rapl_dis", 0 },
		{ &real_vlek, "snp.platform_info.ciphertext_hiding_en", 0 },
		{ &real_vlek, "snp.platform_info.alias_check_complete", 1 },
		{ &real_vlek, "snp.platform_info.tio_en", 0 },
		{ &real_genoa, "snp.platform_info.tsme_en", 0 },
		{ &real_vlek, "snp.author_key_en", 0 },
	};
	struct vouch_ctx *ctx;
	struct vouch_verify_config *cfg;
	struct vouch_result *res;
	const struct real_report *rr;
	const uint8_t *p;
	struct blob ev;
	int64_t iv;
	size_t i, n;
	int bv;

	(void)state;
	NEED_TESTDATA();
	for (i = 0; i < sizeof(ints) / sizeof(ints[0]) +
	    sizeof(bools) / sizeof(bools[0]); i++) {
		rr = i < sizeof(ints) / sizeof(ints[0]) ? ints[i].rr :
		    bools[i - sizeof(ints) / sizeof(ints[0])].rr;
		ctx = vouch_ctx_new();
		vouch_ctx_set_time(ctx, rr->at);
		ev = td(rr->file);
		cfg = config(ctx, rr->files, rr->flags);
		res = NULL;
		assert_int_equal(run(ctx, cfg, ev.p + rr->offset,
		    SNP_REPORT_LEN, &res), VOUCH_OK);
		if (i < sizeof(ints) / sizeof(ints[0])) {
			if (!vouch_claims_get_int(vouch_result_claims(res),
			    ints[i].name, &iv) || iv != ints[i].v) {
				fail_msg("%s: %s", rr->name, ints[i].name);
			}
		} else {
			n = i - sizeof(ints) / sizeof(ints[0]);
			if (!vouch_claims_get_bool(vouch_result_claims(res),
			    bools[n].name, &bv) || (bv != 0) != (bools[n].v != 0)) {
				fail_msg("%s: %s", rr->name, bools[n].name);
			}
		}
		/* The digests are claims; no sample has an ID block. */
		assert_true(vouch_claims_get_bytes(vouch_result_claims(res),
		    "snp.id_key_digest", &p, &n));
		assert_int_equal(n, 48);
		assert_true(vouch_claims_get_bytes(vouch_result_claims(res),
		    "snp.author_key_digest", &p, &n));
		assert_int_equal(n, 48);
		/* No sample is v5: the mitigation vectors are absent. */
		assert_false(vouch_claims_get_int(vouch_result_claims(res),
		    "snp.current_mit_vector", &iv));
		vouch_result_free(res);
		vouch_verify_config_free(cfg);
		free(ev.p);
		vouch_ctx_free(ctx);
	}
}

/* Measured cost of one full verification (no chain cache in snp). */
/*
 * The warm path (a chain verdict in the cache, crypto/p384.h) never
 * masks what the cold path refuses: a flipped report, a time outside the
 * chain's or the CRL's window, another collateral set, revocation that
 * was skipped before.
 */
static void
test_warm_cache(void **state)
{
	static const char *const no_crl[] = { MILAN_VCEK, MILAN_CHAIN, NULL };
	struct vouch_ctx *ctx = vouch_ctx_new();
	struct vouch_verify_config *cfg, *cfg2;
	struct vouch_result *res = NULL;
	struct blob ev;
	char *js;
	size_t i;

	(void)state;
	NEED_TESTDATA();
	ev = td(MILAN_REPORT);
	vouch_ctx_set_time(ctx, T_MILAN);
	cfg = config(ctx, milan_files, F_DEBUG);
	for (i = 0; i < 3; i++) {
		assert_int_equal(run(ctx, cfg, ev.p, ev.n, NULL), VOUCH_OK);
	}
	/* Signed bytes and signature, warm. */
	for (i = 0; i < SNP_REPORT_LEN; i += 37) {
		ev.p[i] ^= 0x01;
		assert_int_not_equal(run(ctx, cfg, ev.p, ev.n, NULL), VOUCH_OK);
		ev.p[i] ^= 0x01;
		assert_int_equal(run(ctx, cfg, ev.p, ev.n, NULL), VOUCH_OK);
	}
	/* The 2022 CRL's nextUpdate is behind us in 2025: refused, warm. */
	vouch_ctx_set_time(ctx, T_2025);
	assert_int_equal(run(ctx, cfg, ev.p, ev.n, NULL), VOUCH_ERR_CRL_EXPIRED);
	/* Before the VCEK: refused, warm. */
	vouch_ctx_set_time(ctx, T_MILAN - 2 * 86400);
	assert_int_not_equal(run(ctx, cfg, ev.p, ev.n, NULL), VOUCH_OK);
	vouch_ctx_set_time(ctx, T_MILAN);
	assert_int_equal(run(ctx, cfg, ev.p, ev.n, &res), VOUCH_OK);
	assert_true(vouch_result_report_data_checked(res) == 0);
	vouch_result_free(res);
	/* Skipping revocation is its own entry, and says so when warm. */
	cfg2 = config(ctx, no_crl, F_DEBUG);
	assert_int_equal(run(ctx, cfg2, ev.p, ev.n, NULL), VOUCH_ERR_CRL_MISSING);
	vouch_verify_config_insecure_skip_revocation(cfg2);
	for (i = 0; i < 2; i++) {
		res = NULL;
		assert_int_equal(run(ctx, cfg2, ev.p, ev.n, &res), VOUCH_OK);
		js = vouch_result_to_json(res);
		assert_non_null(js);
		assert_non_null(strstr(js, "\"revocation\""));
		free(js);
		vouch_result_free(res);
	}
	free(ev.p);
	vouch_verify_config_free(cfg);
	vouch_verify_config_free(cfg2);
	vouch_ctx_free(ctx);
}

static void
test_timing(void **state)
{
	struct vouch_ctx *ctx = vouch_ctx_new();
	struct vouch_verify_config *cfg;
	struct timespec a, b;
	struct blob ev;
	double us;
	int i;

	(void)state;
	NEED_TESTDATA();
	ev = td(MILAN_REPORT);
	vouch_ctx_set_time(ctx, T_MILAN);
	cfg = config(ctx, milan_files, F_DEBUG);
	assert_int_equal(clock_gettime(CLOCK_MONOTONIC, &a), 0);
	for (i = 0; i < 200; i++) {
		assert_int_equal(run(ctx, cfg, ev.p, ev.n, NULL), VOUCH_OK);
	}
	assert_int_equal(clock_gettime(CLOCK_MONOTONIC, &b), 0);
	us = ((double)(b.tv_sec - a.tv_sec) * 1e6 +
	    (double)(b.tv_nsec - a.tv_nsec) / 1e3) / 200.0;
	printf("snp: %.0f us per verification of the Milan report (200 runs)\n",
	    us);
	free(ev.p);
	vouch_verify_config_free(cfg);
	vouch_ctx_free(ctx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_milan_valid),
		cmocka_unit_test(test_warm_cache),
		cmocka_unit_test(test_vlek_valid),
		cmocka_unit_test(test_genoa_valid),
		cmocka_unit_test(test_azure_genoa),
		cmocka_unit_test(test_every_byte_flip),
		cmocka_unit_test(test_truncation_and_trailing),
		cmocka_unit_test(test_trust_anchor_confusion),
		cmocka_unit_test(test_cert_binding),
		cmocka_unit_test(test_committed),
		cmocka_unit_test(test_crl),
		cmocka_unit_test(test_revoked_ask),
		cmocka_unit_test(test_parse_rules),
		cmocka_unit_test(test_probe_and_show),
		cmocka_unit_test(test_policy_on_real_reports),
		cmocka_unit_test(test_more_claims),
		cmocka_unit_test(test_timing),
	};

	/*
	 * Every test reads real evidence: without ../shared/testdata they
	 * would only be skipped, so say so once (and fail in CI, where it
	 * must be there).
	 */
	(void)setup(NULL);
	if (testdata == NULL) {
		fprintf(stderr, "test_snp: no testdata directory (VOUCH_TESTDATA)\n");
		return getenv("CI") != NULL ? 1 : 0;
	}
	return cmocka_run_group_tests(tests, setup, NULL);
}
