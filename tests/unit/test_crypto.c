/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for lib/crypto/crypto.c: the binding (known answers computed
 * outside vouch), the strict EC public-key reader, raw ECDSA, RFC 3339.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/pem.h>

#include "bs/bs.h"
#include "crypto/crypto.h"

static void
test_bind_known_answer(void **state)
{
	/*
	 * python3: hashlib.sha512(b"vouch-certify-v1\0" + b"\0\0\0\3abc"
	 *     + b"\0\0\0\2de").hexdigest()
	 */
	static const char want[] =
	    "ff6b36ec3ea93e0899a44887ac0467fd40e80e3ba671729b9659c2bfc34fc98c"
	    "62e7110c0c9e63ee0c6795adb6f3741ca6432462da8a19602e6646916bb25a2e";
	const uint8_t *parts[2] = { (const uint8_t *)"abc", (const uint8_t *)"de" };
	size_t lens[2] = { 3, 2 };
	uint8_t out[64], out2[64];
	char hex[129];

	(void)state;
	vouch_bind(VOUCH_BIND_CERTIFY, parts, lens, 2, out);
	assert_true(vouch_hex_encode(out, 64, hex, sizeof(hex)));
	assert_string_equal(hex, want);
	/* Moving a byte across the part boundary changes the binding. */
	parts[0] = (const uint8_t *)"abcd";
	lens[0] = 4;
	parts[1] = (const uint8_t *)"e";
	lens[1] = 1;
	vouch_bind(VOUCH_BIND_CERTIFY, parts, lens, 2, out2);
	assert_memory_not_equal(out, out2, 64);
	/* Another label, another binding. */
	vouch_bind(VOUCH_BIND_VERIFY, parts, lens, 2, out);
	assert_memory_not_equal(out, out2, 64);
}

static char *
pem_of(EVP_PKEY *k)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *d = NULL, *s;
	long n;

	assert_non_null(b);
	assert_int_equal(PEM_write_bio_PUBKEY(b, k), 1);
	n = BIO_get_mem_data(b, &d);
	s = strndup(d, (size_t)n);
	BIO_free(b);
	return s;
}

static void
test_ec_pubkey_from_pem(void **state)
{
	EVP_PKEY *k384 = NULL, *k256, *got = NULL, *rsa;
	uint8_t spki[VOUCH_EC_SPKI_MAX], *der = NULL, rd1[64], rd2[64];
	size_t spki_len = 0;
	char *pem, *bad;
	int der_len;

	(void)state;
	assert_int_equal(vouch_key_gen_p384(NULL, &k384), VOUCH_OK);
	k256 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	assert_non_null(k256);
	pem = pem_of(k384);
	assert_int_equal(vouch_ec_pubkey_from_pem(NULL, pem, strlen(pem), &got,
	    spki, &spki_len), VOUCH_OK);
	assert_int_equal(EVP_PKEY_eq(got, k384), 1);
	der_len = i2d_PUBKEY(k384, &der);
	assert_int_equal((size_t)der_len, spki_len);
	assert_memory_equal(der, spki, spki_len);
	/* The binding from the DER equals the binding from the key. */
	vouch_bind_certify_spki((const uint8_t *)"n", 1, spki, spki_len, rd1);
	assert_int_equal(vouch_bind_certify(NULL, (const uint8_t *)"n", 1, k384,
	    rd2), VOUCH_OK);
	assert_memory_equal(rd1, rd2, 64);
	OPENSSL_free(der);
	EVP_PKEY_free(got);
	got = NULL;
	free(pem);

	pem = pem_of(k256);
	assert_int_equal(vouch_ec_pubkey_from_pem(NULL, pem, strlen(pem), &got,
	    spki, &spki_len), VOUCH_OK);
	assert_int_equal(EVP_PKEY_eq(got, k256), 1);
	EVP_PKEY_free(got);
	got = NULL;

	/* Every truncation fails. */
	for (size_t n = 0; n + 1 < strlen(pem) - 1; n++) {
		assert_int_not_equal(vouch_ec_pubkey_from_pem(NULL, pem, n, &got,
		    spki, &spki_len), VOUCH_OK);
		assert_null(got);
	}
	/* Something after the block, or two blocks. */
	bad = malloc(2 * strlen(pem) + 2);
	assert_non_null(bad);
	(void)snprintf(bad, 2 * strlen(pem) + 2, "%s%s", pem, pem);
	assert_int_equal(vouch_ec_pubkey_from_pem(NULL, bad, strlen(bad), &got,
	    spki, &spki_len), VOUCH_ERR_BAD_KEY);
	free(bad);
	free(pem);

	/* A point off the curve: change the last coordinate byte. */
	pem = pem_of(k384);
	{
		uint8_t raw[VOUCH_EC_SPKI_MAX + 8];
		size_t rl = 0, i, j = 0;
		char b64[256], out[400];
		const char *body = pem + strlen("-----BEGIN PUBLIC KEY-----\n");
		size_t blen = strlen(body) - strlen("-----END PUBLIC KEY-----\n");

		for (i = 0; i < blen; i++) {
			if (body[i] != '\n') {
				b64[j++] = body[i];
			}
		}
		assert_true(vouch_b64_decode(b64, j, false, raw, sizeof(raw), &rl));
		raw[rl - 1] ^= 1;
		assert_true(vouch_b64_encode(raw, rl, false, b64, sizeof(b64)));
		(void)snprintf(out, sizeof(out),
		    "-----BEGIN PUBLIC KEY-----\n%s\n-----END PUBLIC KEY-----\n", b64);
		assert_int_equal(vouch_ec_pubkey_from_pem(NULL, out, strlen(out),
		    &got, spki, &spki_len), VOUCH_ERR_BAD_KEY);
		assert_null(got);
	}
	free(pem);

	/* Not EC. */
	rsa = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	assert_non_null(rsa);
	pem = pem_of(rsa);
	assert_int_equal(vouch_ec_pubkey_from_pem(NULL, pem, strlen(pem), &got,
	    spki, &spki_len), VOUCH_ERR_BAD_KEY);
	free(pem);
	EVP_PKEY_free(rsa);
	EVP_PKEY_free(k256);
	EVP_PKEY_free(k384);
}

static void
test_ecdsa_raw(void **state)
{
	EVP_PKEY *k = NULL;
	uint8_t msg[100], sig[96];
	size_t i;

	(void)state;
	memset(msg, 7, sizeof(msg));
	assert_int_equal(vouch_key_gen_p384(NULL, &k), VOUCH_OK);
	assert_int_equal(vouch_ecdsa_sign_raw(NULL, k, msg, sizeof(msg), sig,
	    sizeof(sig)), VOUCH_OK);
	assert_int_equal(vouch_ecdsa_verify_raw(NULL, k, msg, sizeof(msg), sig,
	    sizeof(sig)), VOUCH_OK);
	for (i = 0; i < sizeof(sig); i += 7) {
		sig[i] ^= 0x10;
		assert_int_equal(vouch_ecdsa_verify_raw(NULL, k, msg, sizeof(msg),
		    sig, sizeof(sig)), VOUCH_ERR_SIGNATURE_INVALID);
		sig[i] ^= 0x10;
	}
	assert_int_equal(vouch_ecdsa_verify_raw(NULL, k, msg, sizeof(msg), sig, 95),
	    VOUCH_ERR_SIGNATURE_INVALID);
	assert_int_equal(vouch_ecdsa_sign_raw(NULL, k, msg, sizeof(msg), sig, 64),
	    VOUCH_ERR_BAD_KEY);
	EVP_PKEY_free(k);
}

static void
test_rfc3339(void **state)
{
	static const struct {
		const char	*s;
		int		 ok;
		int64_t		 t;
	} cases[] = {
		{ "1970-01-01T00:00:00Z", 1, 0 },
		{ "2026-11-28T01:36:56Z", 1, 1795829816 },
		{ "2026-11-28T02:36:56+01:00", 1, 1795829816 },
		{ "2026-11-28T01:36:56.123Z", 1, 1795829816 },
		{ "2026-11-28 01:36:56Z", 0, 0 },
		{ "2026-02-30T00:00:00Z", 0, 0 },
		{ "2026-11-28T01:36:56", 0, 0 },
		{ "2026-11-28T25:00:00Z", 0, 0 },
		{ "yesterday", 0, 0 },
		{ "", 0, 0 },
	};
	int64_t t;
	size_t i;
	char buf[32];

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(vouch_time_parse_rfc3339(cases[i].s, &t),
		    cases[i].ok);
		if (cases[i].ok) {
			assert_int_equal(t, cases[i].t);
		}
	}
	assert_true(vouch_time_format_rfc3339(1795829816, buf, sizeof(buf)));
	assert_string_equal(buf, "2026-11-28T01:36:56Z");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bind_known_answer),
		cmocka_unit_test(test_ec_pubkey_from_pem),
		cmocka_unit_test(test_ecdsa_raw),
		cmocka_unit_test(test_rfc3339),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
