/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for lib/secret/seal.c: HKDF-SHA256 and AES-256-GCM against
 * published vectors; vouch_seal/vouch_unseal round trips on a sim
 * platform; every flipped byte, every truncation, an appended byte and
 * other version bytes refused with VOUCH_ERR_SIGNATURE_INVALID; another
 * measurement and another platform cannot unseal; the sealing secret
 * checked; and the format decrypted by an independent implementation
 * (Python's cryptography package) when it is installed.
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
#include <unistd.h>

#include <cmocka.h>

#include "bs/bs.h"
#include "crypto/crypto.h"
#include "platform/sim.h"
#include "secret/seal.h"
#include "util/file.h"
#include "vouch_internal.h"

struct fixture {
	struct vouch_ctx	*ctx;
	char			 dir[64];
	char			 plat[128];
	char			 plat2[128];
	char			 root[128];
	char			 store[128];
	struct vouch		*v;
};

static struct fixture F;

static void
hex_to(const char *hex, uint8_t *out, size_t n)
{
	size_t len = 0;

	assert_true(vouch_hex_decode(hex, strlen(hex), out, n, &len));
	assert_int_equal(len, n);
}

static struct vouch *
open_on(const char *plat)
{
	struct vouch_options o;
	struct vouch *v = NULL;

	memset(&o, 0, sizeof(o));
	o.platform = "sim";
	o.store_dir = F.store;
	o.domain_root = F.root;
	o.sim_dir = plat;
	assert_int_equal(vouch_open(&v, &o), VOUCH_OK);
	assert_non_null(v);
	return v;
}

static int
setup(void **state)
{
	struct sim_init_opts so = { .tcb_svn = 1, .root_days = 30,
	    .chip_days = 30 };
	struct vouch_cert_spec spec;
	EVP_PKEY *key = NULL;
	X509 *root = NULL;
	int64_t now = (int64_t)time(NULL);

	(void)state;
	memset(&F, 0, sizeof(F));
	F.ctx = vouch_ctx_new();
	assert_non_null(F.ctx);
	(void)snprintf(F.dir, sizeof(F.dir), "/tmp/vouch-test-seal-XXXXXX");
	assert_non_null(mkdtemp(F.dir));
	(void)snprintf(F.plat, sizeof(F.plat), "%s/plat", F.dir);
	(void)snprintf(F.plat2, sizeof(F.plat2), "%s/plat2", F.dir);
	(void)snprintf(F.root, sizeof(F.root), "%s/domain.pem", F.dir);
	(void)snprintf(F.store, sizeof(F.store), "%s/store", F.dir);
	assert_int_equal(sim_init(F.ctx, F.plat, &so), VOUCH_OK);
	assert_int_equal(sim_init(F.ctx, F.plat2, &so), VOUCH_OK);
	/* vouch_open needs a domain root; sealing does not use it. */
	memset(&spec, 0, sizeof(spec));
	spec.common_name = "vouch test domain root";
	spec.not_before = now - 3600;
	spec.not_after = now + 86400;
	spec.is_ca = true;
	spec.path_len = -1;
	assert_int_equal(vouch_key_gen_p384(F.ctx, &key), VOUCH_OK);
	assert_int_equal(vouch_cert_build(F.ctx, &spec, key, NULL, key, &root),
	    VOUCH_OK);
	assert_int_equal(vouch_cert_write_pem(F.ctx, F.root, root), VOUCH_OK);
	X509_free(root);
	EVP_PKEY_free(key);
	F.v = open_on(F.plat);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	vouch_close(F.v);
	(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", F.dir);
	assert_int_equal(system(cmd), 0);
	vouch_ctx_free(F.ctx);
	return 0;
}

/* RFC 5869 appendix A.1 and A.3. */
static void
test_hkdf_vectors(void **state)
{
	uint8_t ikm[22], salt[13], info[10], okm[42], want[42];
	size_t i;

	(void)state;
	memset(ikm, 0x0b, sizeof(ikm));
	for (i = 0; i < sizeof(salt); i++) {
		salt[i] = (uint8_t)i;
	}
	for (i = 0; i < sizeof(info); i++) {
		info[i] = (uint8_t)(0xf0 + i);
	}
	hex_to("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
	    "34007208d5b887185865", want, sizeof(want));
	assert_int_equal(vouch_hkdf_sha256(F.ctx, salt, sizeof(salt), ikm,
	    sizeof(ikm), info, sizeof(info), okm, sizeof(okm)), VOUCH_OK);
	assert_memory_equal(okm, want, sizeof(want));
	/* A.3: empty salt and info. */
	hex_to("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"
	    "9d201395faa4b61a96c8", want, sizeof(want));
	assert_int_equal(vouch_hkdf_sha256(F.ctx, NULL, 0, ikm, sizeof(ikm),
	    NULL, 0, okm, sizeof(okm)), VOUCH_OK);
	assert_memory_equal(okm, want, sizeof(want));
	assert_int_equal(vouch_hkdf_sha256(F.ctx, NULL, 0, ikm, sizeof(ikm),
	    NULL, 0, okm, 0), VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(vouch_hkdf_sha256(F.ctx, NULL, 0, ikm, sizeof(ikm),
	    NULL, 0, okm, 255 * 32 + 1), VOUCH_ERR_INVALID_ARGUMENT);
}

/* The GCM specification (McGrew & Viega), test cases 13 and 14. */
static void
test_gcm_vectors(void **state)
{
	uint8_t key[32], nonce[12], pt[16], ct[16], tag[16], want[16];
	uint8_t back[16];

	(void)state;
	memset(key, 0, sizeof(key));
	memset(nonce, 0, sizeof(nonce));
	memset(pt, 0, sizeof(pt));
	assert_int_equal(vouch_aes256gcm_encrypt(F.ctx, key, nonce, NULL, 0,
	    NULL, 0, NULL, tag), VOUCH_OK);
	hex_to("530f8afbc74536b9a963b4f1c4cb738b", want, 16);
	assert_memory_equal(tag, want, 16);
	assert_int_equal(vouch_aes256gcm_encrypt(F.ctx, key, nonce, NULL, 0,
	    pt, sizeof(pt), ct, tag), VOUCH_OK);
	hex_to("cea7403d4d606b6e074ec5d3baf39d18", want, 16);
	assert_memory_equal(ct, want, 16);
	hex_to("d0d1c8a799996bf0265b98b5d48ab919", want, 16);
	assert_memory_equal(tag, want, 16);
	assert_int_equal(vouch_aes256gcm_decrypt(F.ctx, key, nonce, NULL, 0,
	    ct, sizeof(ct), tag, back), VOUCH_OK);
	assert_memory_equal(back, pt, 16);
	/* A bad tag leaves nothing of the plaintext behind. */
	tag[0] ^= 1;
	memset(back, 0xaa, sizeof(back));
	assert_int_equal(vouch_aes256gcm_decrypt(F.ctx, key, nonce, NULL, 0,
	    ct, sizeof(ct), tag, back), VOUCH_ERR_SIGNATURE_INVALID);
	memset(want, 0, sizeof(want));
	assert_memory_equal(back, want, 16);
}

static void
test_round_trip(void **state)
{
	static const size_t sizes[] = { 0, 1, 15, 16, 17, 1000, 70000 };
	uint8_t *in, *blob = NULL, *blob2 = NULL, *out = NULL;
	size_t i, k, blob_len = 0, blob2_len = 0, out_len = 0;

	(void)state;
	in = malloc(70000);
	assert_non_null(in);
	for (k = 0; k < 70000; k++) {
		in[k] = (uint8_t)(k * 31 + 7);
	}
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		assert_int_equal(vouch_seal(F.v, in, sizes[i], &blob, &blob_len),
		    VOUCH_OK);
		assert_int_equal(blob_len, sizes[i] + VOUCH_SEAL_OVERHEAD);
		assert_int_equal(blob[0], VOUCH_SEAL_FORMAT_V1);
		assert_int_equal(vouch_unseal(F.v, blob, blob_len, &out,
		    &out_len), VOUCH_OK);
		assert_non_null(out);
		assert_int_equal(out_len, sizes[i]);
		if (sizes[i] > 0) {
			assert_memory_equal(out, in, sizes[i]);
			/* Not stored in the clear. */
			assert_memory_not_equal(blob + 13, in, sizes[i]);
		}
		/* A fresh nonce every time. */
		assert_int_equal(vouch_seal(F.v, in, sizes[i], &blob2,
		    &blob2_len), VOUCH_OK);
		assert_memory_not_equal(blob + 1, blob2 + 1, 12);
		free(blob);
		free(blob2);
		free(out);
		blob = blob2 = out = NULL;
	}
	free(in);
}

static void
test_arguments(void **state)
{
	static uint8_t sentinel;
	uint8_t *out = &sentinel, b = 0;
	size_t out_len = 9;

	(void)state;
	assert_int_equal(vouch_seal(NULL, &b, 1, &out, &out_len),
	    VOUCH_ERR_INVALID_ARGUMENT);
	assert_null(out);
	assert_int_equal(vouch_seal(F.v, &b, 1, NULL, &out_len),
	    VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(vouch_seal(F.v, NULL, 1, &out, &out_len),
	    VOUCH_ERR_INVALID_ARGUMENT);
	/* The size limit is checked before the input is read. */
	assert_int_equal(vouch_seal(F.v, &b, (size_t)VOUCH_SEAL_MAX_BYTES + 1,
	    &out, &out_len), VOUCH_ERR_TOO_LARGE);
	assert_null(out);
	assert_int_equal(out_len, 0);
	assert_int_equal(vouch_unseal(F.v, NULL, 0, &out, &out_len),
	    VOUCH_ERR_SIGNATURE_INVALID);
}

static void
test_tamper(void **state)
{
	static const char msg[] = "the tenant's database password";
	uint8_t *blob = NULL, *out = NULL, *bad;
	size_t blob_len = 0, out_len = 0, i, n;
	static const uint8_t flips[] = { 0x01, 0x80, 0xff };
	static const uint8_t versions[] = { 0x00, 0x02, 0x10, 0x81, 0xff };

	(void)state;
	assert_int_equal(vouch_seal(F.v, (const uint8_t *)msg, sizeof(msg),
	    &blob, &blob_len), VOUCH_OK);
	bad = malloc(blob_len + 1);
	assert_non_null(bad);
	/* Every byte, several bit patterns. */
	for (i = 0; i < blob_len; i++) {
		for (n = 0; n < sizeof(flips); n++) {
			memcpy(bad, blob, blob_len);
			bad[i] ^= flips[n];
			assert_int_equal(vouch_unseal(F.v, bad, blob_len, &out,
			    &out_len), VOUCH_ERR_SIGNATURE_INVALID);
			assert_null(out);
			assert_int_equal(out_len, 0);
		}
	}
	/* Every truncation, including nothing at all. */
	for (i = 0; i < blob_len; i++) {
		assert_int_equal(vouch_unseal(F.v, blob, i, &out, &out_len),
		    VOUCH_ERR_SIGNATURE_INVALID);
		assert_null(out);
	}
	/* A byte appended. */
	memcpy(bad, blob, blob_len);
	bad[blob_len] = 0;
	assert_int_equal(vouch_unseal(F.v, bad, blob_len + 1, &out, &out_len),
	    VOUCH_ERR_SIGNATURE_INVALID);
	/* Other version bytes: refused before any decryption. */
	for (i = 0; i < sizeof(versions); i++) {
		memcpy(bad, blob, blob_len);
		bad[0] = versions[i];
		assert_int_equal(vouch_unseal(F.v, bad, blob_len, &out,
		    &out_len), VOUCH_ERR_SIGNATURE_INVALID);
		assert_non_null(strstr(vouch_last_error(F.v), "version"));
	}
	/* The original still opens. */
	assert_int_equal(vouch_unseal(F.v, blob, blob_len, &out, &out_len),
	    VOUCH_OK);
	assert_int_equal(out_len, sizeof(msg));
	assert_memory_equal(out, msg, sizeof(msg));
	free(out);
	free(bad);
	free(blob);
}

static void
test_other_measurement(void **state)
{
	static const char msg[] = "only for one program";
	uint8_t m1[48], m2[48], k1[32], k2[32];
	uint8_t *blob = NULL, *out = NULL;
	size_t blob_len = 0, out_len = 0;

	(void)state;
	memcpy(m1, F.v->measurement, sizeof(m1));
	memcpy(m2, m1, sizeof(m2));
	m2[47] ^= 1;
	assert_int_equal(seal_sim_key(F.ctx, F.plat, m1, 48, k1), VOUCH_OK);
	assert_int_equal(seal_sim_key(F.ctx, F.plat, m2, 48, k2), VOUCH_OK);
	assert_memory_not_equal(k1, k2, 32);
	/* Sealed for another program: this one cannot open it. */
	assert_int_equal(seal_encrypt(F.ctx, k2, m2, 48, (const uint8_t *)msg,
	    sizeof(msg), &blob, &blob_len), VOUCH_OK);
	assert_int_equal(vouch_unseal(F.v, blob, blob_len, &out, &out_len),
	    VOUCH_ERR_SIGNATURE_INVALID);
	assert_null(out);
	/* Key of this program, AAD naming another: refused too. */
	free(blob);
	assert_int_equal(seal_encrypt(F.ctx, k1, m2, 48, (const uint8_t *)msg,
	    sizeof(msg), &blob, &blob_len), VOUCH_OK);
	assert_int_equal(vouch_unseal(F.v, blob, blob_len, &out, &out_len),
	    VOUCH_ERR_SIGNATURE_INVALID);
	assert_int_equal(seal_decrypt(F.ctx, k1, m2, 48, blob, blob_len, &out,
	    &out_len), VOUCH_OK);
	assert_memory_equal(out, msg, sizeof(msg));
	free(out);
	free(blob);
	/* What this program seals, the other one cannot open. */
	assert_int_equal(vouch_seal(F.v, (const uint8_t *)msg, sizeof(msg),
	    &blob, &blob_len), VOUCH_OK);
	out = NULL;
	assert_int_equal(seal_decrypt(F.ctx, k2, m2, 48, blob, blob_len, &out,
	    &out_len), VOUCH_ERR_SIGNATURE_INVALID);
	assert_null(out);
	free(blob);
	/* Measurement lengths. */
	assert_int_equal(seal_sim_key(F.ctx, F.plat, m1, 0, k1),
	    VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(seal_encrypt(F.ctx, k1, m1, 65, (const uint8_t *)msg,
	    1, &blob, &blob_len), VOUCH_ERR_INVALID_ARGUMENT);
}

static void
test_other_platform(void **state)
{
	static const char msg[] = "bound to one machine";
	struct vouch *v2;
	uint8_t *blob = NULL, *out = NULL;
	size_t blob_len = 0, out_len = 0;

	(void)state;
	v2 = open_on(F.plat2);
	/* Same program, another platform secret. */
	assert_memory_equal(v2->measurement, F.v->measurement, 48);
	assert_int_equal(vouch_seal(F.v, (const uint8_t *)msg, sizeof(msg),
	    &blob, &blob_len), VOUCH_OK);
	assert_int_equal(vouch_unseal(v2, blob, blob_len, &out, &out_len),
	    VOUCH_ERR_SIGNATURE_INVALID);
	assert_null(out);
	free(blob);
	assert_int_equal(vouch_seal(v2, (const uint8_t *)msg, sizeof(msg),
	    &blob, &blob_len), VOUCH_OK);
	assert_int_equal(vouch_unseal(F.v, blob, blob_len, &out, &out_len),
	    VOUCH_ERR_SIGNATURE_INVALID);
	assert_int_equal(vouch_unseal(v2, blob, blob_len, &out, &out_len),
	    VOUCH_OK);
	assert_memory_equal(out, msg, sizeof(msg));
	free(out);
	free(blob);
	vouch_close(v2);
}

static void
test_secret_file(void **state)
{
	char path[256], dir[160];
	uint8_t m[48], key[32], junk[33];
	struct sim_init_opts so = { .tcb_svn = 1, .root_days = 30,
	    .chip_days = 30 };

	(void)state;
	memset(m, 0x5a, sizeof(m));
	memset(junk, 0x11, sizeof(junk));
	(void)snprintf(dir, sizeof(dir), "%s/plat3", F.dir);
	assert_int_equal(sim_init(F.ctx, dir, &so), VOUCH_OK);
	(void)snprintf(path, sizeof(path), "%s/%s", dir, SIM_FILE_SEAL_SECRET);
	assert_int_equal(vouch_file_write(F.ctx, path, junk, 31, 0600),
	    VOUCH_OK);
	assert_int_equal(seal_sim_key(F.ctx, dir, m, 48, key),
	    VOUCH_ERR_BAD_KEY);
	assert_int_equal(vouch_file_write(F.ctx, path, junk, 33, 0600),
	    VOUCH_OK);
	assert_int_equal(seal_sim_key(F.ctx, dir, m, 48, key),
	    VOUCH_ERR_TOO_LARGE);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(seal_sim_key(F.ctx, dir, m, 48, key),
	    VOUCH_ERR_NOT_FOUND);
}

/*
 * An independent implementation opens what vouch_seal made: Python's
 * cryptography package (HKDF + AESGCM) given the platform secret and
 * the measurement, following docs/sealing.md only.
 */
static void
test_independent(void **state)
{
	static const char msg[] = "read by another implementation";
	static const char script[] =
	    "import sys\n"
	    "from cryptography.hazmat.primitives import hashes\n"
	    "from cryptography.hazmat.primitives.kdf.hkdf import HKDF\n"
	    "from cryptography.hazmat.primitives.ciphers.aead import AESGCM\n"
	    "d = sys.argv[1]\n"
	    "blob = open(d + '/blob', 'rb').read()\n"
	    "m = open(d + '/measurement', 'rb').read()\n"
	    "ikm = open(d + '/plat/seal-secret.bin', 'rb').read()\n"
	    "assert blob[0] == 1\n"
	    "k = HKDF(hashes.SHA256(), 32, b'vouch-seal-v1', m).derive(ikm)\n"
	    "pt = AESGCM(k).decrypt(blob[1:13], blob[13:], b'vouch-seal-v1' + m)\n"
	    "open(d + '/plain', 'wb').write(pt)\n";
	char path[256], cmd[512];
	uint8_t *blob = NULL, *plain = NULL;
	size_t blob_len = 0, plain_len = 0;

	(void)state;
	if (system("python3 -c 'import cryptography' >/dev/null 2>&1") != 0) {
		skip();
	}
	assert_int_equal(vouch_seal(F.v, (const uint8_t *)msg, sizeof(msg),
	    &blob, &blob_len), VOUCH_OK);
	(void)snprintf(path, sizeof(path), "%s/blob", F.dir);
	assert_int_equal(vouch_file_write(F.ctx, path, blob, blob_len, 0600),
	    VOUCH_OK);
	(void)snprintf(path, sizeof(path), "%s/measurement", F.dir);
	assert_int_equal(vouch_file_write(F.ctx, path, F.v->measurement,
	    F.v->measurement_len, 0600), VOUCH_OK);
	(void)snprintf(path, sizeof(path), "%s/check.py", F.dir);
	assert_int_equal(vouch_file_write(F.ctx, path, (const uint8_t *)script,
	    strlen(script), 0600), VOUCH_OK);
	(void)snprintf(cmd, sizeof(cmd), "python3 '%s' '%s'", path, F.dir);
	assert_int_equal(system(cmd), 0);
	(void)snprintf(path, sizeof(path), "%s/plain", F.dir);
	assert_int_equal(vouch_file_read(F.ctx, path, 4096, &plain,
	    &plain_len), VOUCH_OK);
	assert_int_equal(plain_len, sizeof(msg));
	assert_memory_equal(plain, msg, sizeof(msg));
	free(plain);
	free(blob);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hkdf_vectors),
		cmocka_unit_test(test_gcm_vectors),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_arguments),
		cmocka_unit_test(test_tamper),
		cmocka_unit_test(test_other_measurement),
		cmocka_unit_test(test_other_platform),
		cmocka_unit_test(test_secret_file),
		cmocka_unit_test(test_independent),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
