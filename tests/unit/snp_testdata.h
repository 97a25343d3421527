/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared by the SEV-SNP unit tests (test_snp_*.c): real evidence read in
 * place from $VOUCH_TESTDATA (../shared/testdata), never copied into the
 * repository.  Include after <cmocka.h>.
 */
#ifndef VOUCH_TEST_SNP_TESTDATA_H
#define VOUCH_TEST_SNP_TESTDATA_H

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/x509.h>

#include "crypto/crypto.h"
#include "util/file.h"

#if defined(__GNUC__)
#define SNP_TEST_UNUSED __attribute__((unused))
#else
#define SNP_TEST_UNUSED
#endif

#define T_MILAN		1663981200	/* 2022-09-24T01:00:00Z, S-1's time */
#define T_2025		1748736000	/* 2025-06-01T00:00:00Z */

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
#define GENOA_CRL_2024	"crl/amd/genoa_crl_2024-10-23.der"

struct blob {
	uint8_t	*p;
	size_t	 n;
};

static const char *testdata SNP_TEST_UNUSED;

/* Sets |testdata|, or NULL when the directory is absent. */
static void SNP_TEST_UNUSED
snp_testdata_find(void)
{
	struct stat st;

	testdata = getenv("VOUCH_TESTDATA");
	if (testdata == NULL) {
		testdata = "../shared/testdata";
	}
	if (stat(testdata, &st) != 0 || !S_ISDIR(st.st_mode)) {
		testdata = NULL;
	}
}

#define NEED_TESTDATA() do {						\
	if (testdata == NULL) {						\
		skip();							\
	}								\
} while (0)

static struct blob SNP_TEST_UNUSED
td(const char *rel)
{
	struct blob b = { NULL, 0 };
	char path[1024];

	assert_true(vouch_path_join(path, sizeof(path), testdata, rel));
	assert_int_equal(vouch_file_read(NULL, path, 1 << 20, &b.p, &b.n),
	    VOUCH_OK);
	return b;
}

/* The |idx|th certificate of the PEM bundle |rel|, as DER (malloc'd). */
static struct blob SNP_TEST_UNUSED
td_cert_der(const char *rel, int idx)
{
	STACK_OF(X509) *sk = sk_X509_new_null();
	struct blob b = td(rel), out = { NULL, 0 };

	assert_non_null(sk);
	assert_int_equal(vouch_certs_parse(NULL, b.p, b.n, sk), VOUCH_OK);
	assert_true(idx < sk_X509_num(sk));
	assert_int_equal(vouch_cert_to_der(NULL, sk_X509_value(sk, idx),
	    &out.p, &out.n), VOUCH_OK);
	sk_X509_pop_free(sk, X509_free);
	free(b.p);
	return out;
}

/* Exit status when the testdata is missing: skip, but fail in CI. */
static int SNP_TEST_UNUSED
snp_testdata_missing(const char *prog)
{
	fprintf(stderr, "%s: no testdata directory (VOUCH_TESTDATA)\n", prog);
	return getenv("CI") != NULL ? 1 : 0;
}

#endif
