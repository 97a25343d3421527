/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Wycheproof ECDSA vectors (../shared/testdata/wycheproof, read in place)
 * through the signature paths the verifiers use:
 *   P-256, P1363 (r||s): vouch_ec_verifier_verify — DCAP quote and QE
 *     report signatures — and vouch_ecdsa_verify_raw — TCB Info and QE
 *     Identity signatures;
 *   P-384, P1363: vouch_p384_verify (nettle) — SEV-SNP report signatures —
 *     and vouch_ecdsa_verify_raw;
 *   P-256 and P-384, DER: OpenSSL's EVP_DigestVerify, what certificate
 *     and CRL signatures go through.
 * Every case of every file runs (the count is checked against the file's
 * numberOfTests); "valid" must verify and "invalid" must not.
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
#include <openssl/param_build.h>

#include "bs/bs.h"
#include "bs/json.h"
#include "crypto/crypto.h"
#include "crypto/ecverify.h"
#include "crypto/p384.h"
#include "util/file.h"

static const char *testdata;

static int
setup(void **state)
{
	(void)state;
	testdata = getenv("VOUCH_TESTDATA");
	if (testdata == NULL) {
		testdata = "../shared/testdata";
	}
	return 0;
}

static size_t
unhex(const char *s, uint8_t **out)
{
	size_t n = strlen(s), got = 0;

	assert_true(n % 2 == 0);
	*out = malloc(n / 2 + 1);
	assert_non_null(*out);
	assert_true(vouch_hex_decode(s, n, *out, n / 2 + 1, &got));
	return got;
}

static EVP_PKEY *
pubkey(const char *group, const uint8_t *pt, size_t n)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params;
	EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	EVP_PKEY *k = NULL;

	assert_true(bld != NULL && pctx != NULL);
	assert_int_equal(OSSL_PARAM_BLD_push_utf8_string(bld,
	    OSSL_PKEY_PARAM_GROUP_NAME, group, 0), 1);
	assert_int_equal(OSSL_PARAM_BLD_push_octet_string(bld,
	    OSSL_PKEY_PARAM_PUB_KEY, pt, n), 1);
	params = OSSL_PARAM_BLD_to_param(bld);
	assert_non_null(params);
	assert_int_equal(EVP_PKEY_fromdata_init(pctx), 1);
	assert_int_equal(EVP_PKEY_fromdata(pctx, &k, EVP_PKEY_PUBLIC_KEY,
	    params), 1);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	EVP_PKEY_CTX_free(pctx);
	return k;
}

static bool
der_verify(EVP_PKEY *k, const EVP_MD *md, const uint8_t *msg, size_t n,
    const uint8_t *sig, size_t sn)
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	bool ok;

	assert_non_null(c);
	assert_int_equal(EVP_DigestVerifyInit(c, NULL, md, NULL, k), 1);
	ok = EVP_DigestVerify(c, sig, sn, msg, n) == 1;
	EVP_MD_CTX_free(c);
	return ok;
}

/* Run one file; |p1363| selects the raw paths, else DER through OpenSSL. */
static void
run(const char *file, bool p384, bool p1363)
{
	char path[1024];
	uint8_t *buf = NULL, *pt, *msg, *sig;
	size_t len, ptn, mn, sn, gi, ti, count = 0, valid = 0;
	json_t *root = NULL, *group, *test;
	struct vouch_p384_key *nk;
	struct vouch_ec_verifier *ev;
	const char *result;
	EVP_PKEY *k;
	bool want, got[3];
	size_t np, pi;

	(void)snprintf(path, sizeof(path), "%s/wycheproof/%s", testdata, file);
	assert_int_equal(vouch_file_read(NULL, path, 8u << 20, &buf, &len),
	    VOUCH_OK);
	assert_int_equal(vouch_json_load(NULL, buf, len, 8u << 20, &root),
	    VOUCH_OK);
	json_array_foreach(json_object_get(root, "testGroups"), gi, group) {
		ptn = unhex(json_string_value(json_object_get(json_object_get(
		    group, "publicKey"), "uncompressed")), &pt);
		k = pubkey(p384 ? "secp384r1" : "prime256v1", pt, ptn);
		assert_int_equal(vouch_ec_verifier_new(NULL, k, &ev), VOUCH_OK);
		nk = NULL;
		if (p384) {
			assert_int_equal(ptn, 97);
			assert_int_equal(vouch_p384_key_from_xy(NULL, pt + 1, &nk),
			    VOUCH_OK);
		}
		json_array_foreach(json_object_get(group, "tests"), ti, test) {
			mn = unhex(json_string_value(json_object_get(test,
			    "msg")), &msg);
			sn = unhex(json_string_value(json_object_get(test,
			    "sig")), &sig);
			result = json_string_value(json_object_get(test,
			    "result"));
			assert_non_null(result);
			assert_true(strcmp(result, "valid") == 0 ||
			    strcmp(result, "invalid") == 0);
			want = strcmp(result, "valid") == 0;
			/* Every path must give the expected answer. */
			np = 0;
			if (p1363) {
				got[np++] = vouch_ecdsa_verify_raw(NULL, k, msg, mn,
				    sig, sn) == VOUCH_OK;
				got[np++] = vouch_ec_verifier_verify(ev, msg, mn,
				    sig, sn);
				if (p384) {
					got[np++] = sn == 96 &&
					    vouch_p384_verify(nk, msg, mn, sig);
				}
			} else {
				got[np++] = der_verify(k, p384 ? EVP_sha384() :
				    EVP_sha256(), msg, mn, sig, sn);
			}
			for (pi = 0; pi < np; pi++) {
				if (got[pi] != want) {
					fail_msg("%s tcId %lld (%s): path %zu says "
					    "%d, want %d", file, (long long)
					    json_integer_value(json_object_get(
					    test, "tcId")), json_string_value(
					    json_object_get(test, "comment")), pi,
					    got[pi], want);
				}
			}
			valid += want;
			count++;
			free(msg);
			free(sig);
		}
		vouch_p384_key_free(nk);
		vouch_ec_verifier_free(ev);
		EVP_PKEY_free(k);
		free(pt);
	}
	assert_int_equal((long long)count, json_integer_value(
	    json_object_get(root, "numberOfTests")));
	printf("wycheproof %s: %zu cases (%zu valid) agree\n", file, count,
	    valid);
	json_decref(root);
	free(buf);
}

static void
t_p256_p1363(void **state)
{
	(void)state;
	run("ecdsa_secp256r1_sha256_p1363_test.json", false, true);
}

static void
t_p256_der(void **state)
{
	(void)state;
	run("ecdsa_secp256r1_sha256_test.json", false, false);
}

static void
t_p384_p1363(void **state)
{
	(void)state;
	run("ecdsa_secp384r1_sha384_p1363_test.json", true, true);
}

static void
t_p384_der(void **state)
{
	(void)state;
	run("ecdsa_secp384r1_sha384_test.json", true, false);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_p256_p1363),
		cmocka_unit_test(t_p256_der),
		cmocka_unit_test(t_p384_p1363),
		cmocka_unit_test(t_p384_der),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
