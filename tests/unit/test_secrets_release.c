/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for lib/secret/release.c: the name syntax, the release
 * binding (three parts, or four with a profile, against vouch_bind
 * directly), the HPKE info and aad bytes, the X25519 PEM both ways
 * (against OpenSSL's writer), a seal as vouchd makes it opening only
 * with the right key, name and version, and the exchange's argument
 * checks.
 *
 * Run as "test_secrets_release --workload get|seal-key URL ROOT SIMDIR
 * STOREDIR [NAME]" it is a workload on the sim platform instead:
 * vouch_open, then vouch_secret_get (the value in hex on stdout) or
 * vouch_secret_seal_key (the key in hex), for
 * tests/integration/vouchd_secrets.py.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "bs/bs.h"
#include "crypto/crypto.h"
#include "crypto/hpke.h"
#include "secret/release.h"
#include "util/file.h"
#include "vouch_internal.h"

static void
test_names(void **state)
{
	static const struct {
		const char	*name;
		bool		 ok;
	} cases[] = {
		{ "db-password", true },
		{ "A.b_c-9", true },
		{ "x", true },
		{ "a123456789012345678901234567890123456789012345678901234567890123",
		    true },
		{ "a1234567890123456789012345678901234567890123456789012345678901234",
		    false },
		{ "", false },
		{ "a/b", false },
		{ "a b", false },
		{ "a%2fb", false },
		{ "caf\xc3\xa9", false },
		{ "..", true },	/* harmless: names are never paths */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (vouch_secret_name_valid(cases[i].name,
		    strlen(cases[i].name)) != cases[i].ok) {
			fail_msg("name \"%s\": want %d", cases[i].name,
			    cases[i].ok);
		}
	}
	assert_false(vouch_secret_name_valid(NULL, 0));
	assert_false(vouch_secret_name_valid("a\0b", 3));
}

static void
test_binding(void **state)
{
	uint8_t nonce[32], pub[32], got[64], want[64], other[64];
	const uint8_t *parts[4];
	size_t lens[4];

	(void)state;
	memset(nonce, 0x11, sizeof(nonce));
	memset(pub, 0x22, sizeof(pub));
	parts[0] = nonce;
	lens[0] = 32;
	parts[1] = pub;
	lens[1] = 32;
	parts[2] = (const uint8_t *)"db";
	lens[2] = 2;
	parts[3] = (const uint8_t *)"production";
	lens[3] = 10;
	vouch_bind_release(nonce, pub, "db", NULL, got);
	vouch_bind("vouch-release-v1", parts, lens, 3, want);
	assert_memory_equal(got, want, 64);
	vouch_bind_release(nonce, pub, "db", "production", got);
	vouch_bind("vouch-release-v1", parts, lens, 4, want);
	assert_memory_equal(got, want, 64);
	/* The label separates it from certify; each part matters. */
	vouch_bind("vouch-certify-v1", parts, lens, 4, other);
	assert_memory_not_equal(got, other, 64);
	vouch_bind_release(nonce, pub, "dc", "production", other);
	assert_memory_not_equal(got, other, 64);
	vouch_bind_release(nonce, pub, "db", NULL, other);
	assert_memory_not_equal(got, other, 64);
	pub[31] ^= 1;
	vouch_bind_release(nonce, pub, "db", "production", other);
	assert_memory_not_equal(got, other, 64);
}

static void
test_info_aad(void **state)
{
	uint8_t buf[VOUCH_RELEASE_INFO_MAX + VOUCH_RELEASE_AAD_MAX];
	size_t n;

	(void)state;
	n = vouch_release_info("db-password", buf);
	assert_int_equal(n, 16 + 11);
	assert_memory_equal(buf, "vouch-release-v1db-password", n);
	n = vouch_release_aad("db-password", 0x0102030405060708, buf);
	assert_int_equal(n, 8 + 11);
	assert_memory_equal(buf, "\x01\x02\x03\x04\x05\x06\x07\x08"
	    "db-password", n);
	n = vouch_release_info(
	    "a123456789012345678901234567890123456789012345678901234567890123",
	    buf);
	assert_int_equal(n, VOUCH_RELEASE_INFO_MAX);
}

static void
test_pem(void **state)
{
	struct vouch_ctx *ctx = vouch_ctx_new();
	uint8_t sk[32], pk[32], back[32], *file = NULL;
	char pem[VOUCH_X25519_PEM_MAX], dir[64], path[128];
	size_t len = 0;

	(void)state;
	assert_non_null(ctx);
	assert_int_equal(vouch_x25519_keygen(ctx, sk, pk), VOUCH_OK);
	assert_true(vouch_x25519_pub_to_pem(pk, pem, sizeof(pem)));
	assert_int_equal(vouch_x25519_pub_from_pem(ctx, pem, strlen(pem), back),
	    VOUCH_OK);
	assert_memory_equal(back, pk, 32);
	/* Byte for byte what OpenSSL writes. */
	(void)snprintf(dir, sizeof(dir), "/tmp/vouch-test-rel-XXXXXX");
	assert_non_null(mkdtemp(dir));
	(void)snprintf(path, sizeof(path), "%s/pub.pem", dir);
	assert_int_equal(vouch_x25519_write_pub_pem(ctx, path, pk), VOUCH_OK);
	assert_int_equal(vouch_file_read(ctx, path, 4096, &file, &len),
	    VOUCH_OK);
	assert_int_equal(len, strlen(pem));
	assert_memory_equal(file, pem, len);
	free(file);
	(void)unlink(path);
	(void)rmdir(dir);
	assert_false(vouch_x25519_pub_to_pem(pk, pem, 40));
	vouch_wipe(sk, sizeof(sk));
	vouch_ctx_free(ctx);
}

/* What vouchd sends opens with the ephemeral key, and only with it. */
static void
test_seal_open(void **state)
{
	static const uint8_t secret[] = "s3cr3t value";
	struct vouch_ctx *ctx = vouch_ctx_new();
	uint8_t sk[32], pk[32], sk2[32], pk2[32];
	uint8_t info[VOUCH_RELEASE_INFO_MAX], aad[VOUCH_RELEASE_AAD_MAX];
	uint8_t aad2[VOUCH_RELEASE_AAD_MAX], info2[VOUCH_RELEASE_INFO_MAX];
	uint8_t *sealed = NULL, *pt = NULL;
	size_t sealed_len = 0, pt_len = 0, il, al, al2, il2;

	(void)state;
	assert_non_null(ctx);
	assert_int_equal(vouch_x25519_keygen(ctx, sk, pk), VOUCH_OK);
	assert_int_equal(vouch_x25519_keygen(ctx, sk2, pk2), VOUCH_OK);
	il = vouch_release_info("db", info);
	al = vouch_release_aad("db", 3, aad);
	assert_int_equal(vouch_hpke_seal_base(ctx, VOUCH_RELEASE_AEAD, pk, info,
	    il, aad, al, secret, sizeof(secret), &sealed, &sealed_len),
	    VOUCH_OK);
	assert_int_equal(sealed_len, 32 + sizeof(secret) + 16);
	assert_null(memmem(sealed, sealed_len, "s3cr3t", 6));
	assert_int_equal(vouch_hpke_open_base(ctx, VOUCH_RELEASE_AEAD, sk, info,
	    il, aad, al, sealed, sealed_len, &pt, &pt_len), VOUCH_OK);
	assert_int_equal(pt_len, sizeof(secret));
	assert_memory_equal(pt, secret, pt_len);
	vouch_freezero(pt, pt_len);
	pt = NULL;
	/* Another key, another version, another name, another suite. */
	assert_int_equal(vouch_hpke_open_base(ctx, VOUCH_RELEASE_AEAD, sk2,
	    info, il, aad, al, sealed, sealed_len, &pt, &pt_len),
	    VOUCH_ERR_SIGNATURE_INVALID);
	al2 = vouch_release_aad("db", 4, aad2);
	assert_int_equal(vouch_hpke_open_base(ctx, VOUCH_RELEASE_AEAD, sk, info,
	    il, aad2, al2, sealed, sealed_len, &pt, &pt_len),
	    VOUCH_ERR_SIGNATURE_INVALID);
	il2 = vouch_release_info("dc", info2);
	assert_int_equal(vouch_hpke_open_base(ctx, VOUCH_RELEASE_AEAD, sk,
	    info2, il2, aad, al, sealed, sealed_len, &pt, &pt_len),
	    VOUCH_ERR_SIGNATURE_INVALID);
	assert_int_equal(vouch_hpke_open_base(ctx, VOUCH_HPKE_AES_128_GCM, sk,
	    info, il, aad, al, sealed, sealed_len, &pt, &pt_len),
	    VOUCH_ERR_SIGNATURE_INVALID);
	assert_null(pt);
	free(sealed);
	vouch_wipe(sk, sizeof(sk));
	vouch_wipe(sk2, sizeof(sk2));
	vouch_ctx_free(ctx);
}

static enum vouch_err
never_attest(struct vouch_ctx *ctx, void *arg, const uint8_t rd[64],
    uint8_t **out, size_t *out_len)
{
	(void)arg;
	(void)rd;
	(void)out;
	(void)out_len;
	fail_msg("evidence collected before the arguments were checked");
	return vouch_fail(ctx, VOUCH_ERR_INTERNAL, "unreachable");
}

static void
test_exchange_arguments(void **state)
{
	struct vouch_ctx *ctx = vouch_ctx_new();
	struct vouch_attester att = { never_attest, NULL };
	uint8_t *out = (uint8_t *)1;
	size_t len = 1;
	int64_t ver = 1;

	(void)state;
	assert_non_null(ctx);
	assert_int_equal(vouch_secret_release_exchange(ctx, "https://x:1",
	    "/nonexistent", &att, "a/b", NULL, &out, &len, &ver),
	    VOUCH_ERR_INVALID_ARGUMENT);
	assert_null(out);
	assert_int_equal(len, 0);
	assert_int_equal(ver, 0);
	assert_int_equal(vouch_secret_release_exchange(ctx, "https://x:1",
	    "/nonexistent", &att, "a", "prod", &out, &len, NULL),
	    VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(vouch_secret_release_exchange(ctx, NULL,
	    "/nonexistent", &att, "a", NULL, &out, &len, NULL),
	    VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(vouch_secret_release_exchange(ctx, "http://x:1",
	    "/nonexistent", &att, "a", NULL, &out, &len, NULL),
	    VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(vouch_secret_release_exchange(ctx, "https://x:1",
	    "/nonexistent", &att, "a", NULL, NULL, &len, NULL),
	    VOUCH_ERR_INVALID_ARGUMENT);
	/* Nobody listening: a network error before any evidence. */
	assert_int_equal(vouch_secret_release_exchange(ctx,
	    "https://127.0.0.1:1", "/nonexistent", &att, "a", NULL, &out, &len,
	    NULL), VOUCH_ERR_NETWORK);
	assert_null(out);
	assert_int_equal(vouch_secret_get(NULL, "a", &out, &len),
	    VOUCH_ERR_INVALID_ARGUMENT);
	vouch_secret_free(NULL, 0);
	vouch_ctx_free(ctx);
}

/* ---- the workload mode ---------------------------------------------- */

static int
workload(int argc, char **argv)
{
	struct vouch_options o;
	struct vouch *v = NULL;
	uint8_t *val = NULL, key[32];
	size_t len = 0, i;
	enum vouch_err rv;
	bool get;

	if (argc < 7 || (strcmp(argv[2], "get") != 0 &&
	    strcmp(argv[2], "seal-key") != 0) ||
	    (strcmp(argv[2], "get") == 0 && argc != 8)) {
		fprintf(stderr, "usage: %s --workload get|seal-key URL ROOT "
		    "SIMDIR STOREDIR [NAME]\n", argv[0]);
		return 2;
	}
	get = strcmp(argv[2], "get") == 0;
	memset(&o, 0, sizeof(o));
	o.platform = "sim";
	o.service_url = argv[3];
	o.domain_root = argv[4];
	o.sim_dir = argv[5];
	o.store_dir = argv[6];
	rv = vouch_open(&v, &o);
	if (rv != VOUCH_OK) {
		fprintf(stderr, "vouch_open: %s\n", vouch_errname(rv));
		return 1;
	}
	if (get) {
		rv = vouch_secret_get(v, argv[7], &val, &len);
	} else {
		rv = vouch_secret_seal_key(v, key);
		val = key;
		len = sizeof(key);
	}
	if (rv != VOUCH_OK) {
		fprintf(stderr, "%s: %s\n", vouch_errname(rv),
		    vouch_last_error(v));
		vouch_close(v);
		return 1;
	}
	for (i = 0; i < len; i++) {
		printf("%02x", val[i]);
	}
	printf("\n");
	if (get) {
		vouch_secret_free(val, len);
	} else {
		vouch_wipe(key, sizeof(key));
	}
	vouch_close(v);
	return 0;
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_binding),
		cmocka_unit_test(test_info_aad),
		cmocka_unit_test(test_pem),
		cmocka_unit_test(test_seal_open),
		cmocka_unit_test(test_exchange_arguments),
	};

	if (argc > 1 && strcmp(argv[1], "--workload") == 0) {
		return workload(argc, argv);
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
