/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Sealing (DESIGN §9): AES-256-GCM under a key derived from the
 * platform's sealing secret and the program's measurement.  The format
 * is in seal.h and docs/sealing.md.
 *
 * A different measurement gives a different key and a different AAD, so
 * another program cannot open the blob even on the same platform; a
 * different platform has a different secret.  The version byte is not in
 * the AAD but is checked before anything else, and the label in the AAD
 * ("vouch-seal-v1") ties the ciphertext to version 1 of the format.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include "crypto/crypto.h"
#include "platform/sim.h"
#include "secret/seal.h"
#include "util/file.h"
#include "vouch_internal.h"

#define LABEL_LEN	(sizeof(VOUCH_SEAL_LABEL) - 1)

enum vouch_err
vouch_hkdf_sha256(struct vouch_ctx *ctx, const uint8_t *salt, size_t salt_len,
    const uint8_t *ikm, size_t ikm_len, const uint8_t *info, size_t info_len,
    uint8_t *out, size_t out_len)
{
	enum vouch_err rv = VOUCH_ERR_CRYPTO;
	EVP_KDF *kdf = NULL;
	EVP_KDF_CTX *kctx = NULL;
	OSSL_PARAM params[5];
	size_t i = 0;

	/* RFC 5869 §2.3: L <= 255 * HashLen. */
	if (out_len == 0 || out_len > 255 * VOUCH_SHA256_BYTES) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "hkdf: output length %zu out of range", out_len);
	}
	kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	kctx = kdf != NULL ? EVP_KDF_CTX_new(kdf) : NULL;
	if (kctx == NULL) {
		rv = vouch_fail(ctx, VOUCH_ERR_CRYPTO, "hkdf: not available");
		goto out;
	}
	/* OSSL_PARAM takes non-const pointers; the KDF only reads them. */
	params[i++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
	    (char *)(uintptr_t)"SHA256", 0);
	params[i++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
	    (void *)(uintptr_t)ikm, ikm_len);
	if (salt_len > 0) {
		params[i++] = OSSL_PARAM_construct_octet_string(
		    OSSL_KDF_PARAM_SALT, (void *)(uintptr_t)salt, salt_len);
	}
	if (info_len > 0) {
		params[i++] = OSSL_PARAM_construct_octet_string(
		    OSSL_KDF_PARAM_INFO, (void *)(uintptr_t)info, info_len);
	}
	params[i] = OSSL_PARAM_construct_end();
	if (EVP_KDF_derive(kctx, out, out_len, params) != 1) {
		vouch_wipe(out, out_len);
		rv = vouch_fail(ctx, VOUCH_ERR_CRYPTO, "hkdf: derive failed");
		goto out;
	}
	rv = VOUCH_OK;
 out:
	EVP_KDF_CTX_free(kctx);
	EVP_KDF_free(kdf);
	ERR_clear_error();
	return rv;
}

static enum vouch_err
gcm_init(struct vouch_ctx *ctx, EVP_CIPHER_CTX *c, bool enc,
    const uint8_t *key, const uint8_t *nonce, const uint8_t *aad,
    size_t aad_len)
{
	int len = 0;

	if (EVP_CipherInit_ex(c, EVP_aes_256_gcm(), NULL, NULL, NULL,
	    enc ? 1 : 0) != 1 ||
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN,
	    VOUCH_GCM_NONCE_BYTES, NULL) != 1 ||
	    EVP_CipherInit_ex(c, NULL, NULL, key, nonce, enc ? 1 : 0) != 1) {
		return vouch_fail(ctx, VOUCH_ERR_CRYPTO, "aes-256-gcm: init");
	}
	if (aad_len > 0 &&
	    EVP_CipherUpdate(c, NULL, &len, aad, (int)aad_len) != 1) {
		return vouch_fail(ctx, VOUCH_ERR_CRYPTO, "aes-256-gcm: aad");
	}
	return VOUCH_OK;
}

enum vouch_err
vouch_aes256gcm_encrypt(struct vouch_ctx *ctx,
    const uint8_t key[VOUCH_SEAL_KEY_BYTES],
    const uint8_t nonce[VOUCH_GCM_NONCE_BYTES], const uint8_t *aad,
    size_t aad_len, const uint8_t *in, size_t n, uint8_t *out,
    uint8_t tag[VOUCH_GCM_TAG_BYTES])
{
	enum vouch_err rv = VOUCH_ERR_CRYPTO;
	EVP_CIPHER_CTX *c = NULL;
	int len = 0;

	if (n > INT_MAX || aad_len > INT_MAX) {
		return vouch_fail(ctx, VOUCH_ERR_TOO_LARGE,
		    "aes-256-gcm: input too large");
	}
	c = EVP_CIPHER_CTX_new();
	if (c == NULL) {
		rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "aes-256-gcm: context");
		goto out;
	}
	rv = gcm_init(ctx, c, true, key, nonce, aad, aad_len);
	if (rv != VOUCH_OK) {
		goto out;
	}
	if (n > 0 && EVP_EncryptUpdate(c, out, &len, in, (int)n) != 1) {
		rv = vouch_fail(ctx, VOUCH_ERR_CRYPTO, "aes-256-gcm: encrypt");
		goto out;
	}
	if (EVP_EncryptFinal_ex(c, out + len, &len) != 1 ||
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, VOUCH_GCM_TAG_BYTES,
	    tag) != 1) {
		rv = vouch_fail(ctx, VOUCH_ERR_CRYPTO, "aes-256-gcm: final");
		goto out;
	}
	rv = VOUCH_OK;
 out:
	/* Frees wipe the expanded key schedule (EVP_CIPHER_CTX_free). */
	EVP_CIPHER_CTX_free(c);
	ERR_clear_error();
	return rv;
}

enum vouch_err
vouch_aes256gcm_decrypt(struct vouch_ctx *ctx,
    const uint8_t key[VOUCH_SEAL_KEY_BYTES],
    const uint8_t nonce[VOUCH_GCM_NONCE_BYTES], const uint8_t *aad,
    size_t aad_len, const uint8_t *in, size_t n,
    const uint8_t tag[VOUCH_GCM_TAG_BYTES], uint8_t *out)
{
	enum vouch_err rv = VOUCH_ERR_CRYPTO;
	EVP_CIPHER_CTX *c = NULL;
	uint8_t tagbuf[VOUCH_GCM_TAG_BYTES];
	int len = 0;

	if (n > INT_MAX || aad_len > INT_MAX) {
		return vouch_fail(ctx, VOUCH_ERR_TOO_LARGE,
		    "aes-256-gcm: input too large");
	}
	c = EVP_CIPHER_CTX_new();
	if (c == NULL) {
		rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "aes-256-gcm: context");
		goto out;
	}
	rv = gcm_init(ctx, c, false, key, nonce, aad, aad_len);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = VOUCH_ERR_CRYPTO;
	memcpy(tagbuf, tag, sizeof(tagbuf));
	if (n > 0 && EVP_DecryptUpdate(c, out, &len, in, (int)n) != 1) {
		rv = vouch_fail(ctx, VOUCH_ERR_CRYPTO, "aes-256-gcm: decrypt");
		goto out;
	}
	if (EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, VOUCH_GCM_TAG_BYTES,
	    tagbuf) != 1) {
		rv = vouch_fail(ctx, VOUCH_ERR_CRYPTO, "aes-256-gcm: tag");
		goto out;
	}
	if (EVP_DecryptFinal_ex(c, out + len, &len) != 1) {
		rv = vouch_fail(ctx, VOUCH_ERR_SIGNATURE_INVALID,
		    "aes-256-gcm: authentication tag does not verify");
		goto out;
	}
	rv = VOUCH_OK;
 out:
	if (rv != VOUCH_OK && n > 0) {
		vouch_wipe(out, n);
	}
	EVP_CIPHER_CTX_free(c);
	ERR_clear_error();
	return rv;
}

/* The AAD: "vouch-seal-v1" || measurement. */
static bool
seal_aad(uint8_t *aad, size_t cap, const uint8_t *m, size_t mlen,
    size_t *out_len)
{
	if (mlen == 0 || mlen > VOUCH_SEAL_MEASUREMENT_MAX ||
	    mlen > cap - LABEL_LEN) {
		return false;
	}
	memcpy(aad, VOUCH_SEAL_LABEL, LABEL_LEN);
	memcpy(aad + LABEL_LEN, m, mlen);
	*out_len = LABEL_LEN + mlen;
	return true;
}

enum vouch_err
vouch_seal_key_derive(struct vouch_ctx *ctx, const uint8_t *ikm,
    size_t ikm_len, const uint8_t *measurement, size_t mlen,
    uint8_t key[VOUCH_SEAL_KEY_BYTES])
{
	return vouch_hkdf_sha256(ctx, (const uint8_t *)VOUCH_SEAL_LABEL,
	    LABEL_LEN, ikm, ikm_len, measurement, mlen, key,
	    VOUCH_SEAL_KEY_BYTES);
}

enum vouch_err
seal_sim_key(struct vouch_ctx *ctx, const char *sim_dir,
    const uint8_t *measurement, size_t mlen, uint8_t key[VOUCH_SEAL_KEY_BYTES])
{
	enum vouch_err rv;
	char path[4096];
	uint8_t *secret = NULL;
	size_t len = 0;

	if (mlen == 0 || mlen > VOUCH_SEAL_MEASUREMENT_MAX) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "seal: measurement of %zu bytes", mlen);
	}
	if (!vouch_path_join(path, sizeof(path), sim_dir,
	    SIM_FILE_SEAL_SECRET)) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "seal: sim directory path too long");
	}
	rv = vouch_file_read(ctx, path, SIM_SEAL_SECRET_BYTES, &secret, &len);
	if (rv != VOUCH_OK) {
		goto out;
	}
	if (len != SIM_SEAL_SECRET_BYTES) {
		rv = vouch_fail(ctx, VOUCH_ERR_BAD_KEY,
		    "%s: the sealing secret must be %d bytes", path,
		    SIM_SEAL_SECRET_BYTES);
		goto out;
	}
	rv = vouch_seal_key_derive(ctx, secret, len, measurement, mlen, key);
 out:
	/* vouch_file_read allocates len + 1 bytes. */
	vouch_freezero(secret, len + 1);
	return rv;
}

enum vouch_err
seal_encrypt(struct vouch_ctx *ctx, const uint8_t key[VOUCH_SEAL_KEY_BYTES],
    const uint8_t *measurement, size_t mlen, const uint8_t *in, size_t n,
    uint8_t **out, size_t *out_len)
{
	enum vouch_err rv = VOUCH_ERR_INTERNAL;
	uint8_t aad[sizeof(VOUCH_SEAL_LABEL) + VOUCH_SEAL_MEASUREMENT_MAX];
	uint8_t *buf = NULL;
	size_t aad_len = 0, total;

	*out = NULL;
	*out_len = 0;
	if (n > VOUCH_SEAL_MAX_BYTES) {
		return vouch_fail(ctx, VOUCH_ERR_TOO_LARGE,
		    "seal: more than %u bytes", VOUCH_SEAL_MAX_BYTES);
	}
	if (n > 0 && in == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "seal: no input");
	}
	if (!seal_aad(aad, sizeof(aad), measurement, mlen, &aad_len)) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "seal: measurement of %zu bytes", mlen);
	}
	total = VOUCH_SEAL_OVERHEAD + n;
	buf = malloc(total);
	if (buf == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
	}
	buf[0] = VOUCH_SEAL_FORMAT_V1;
	/*
	 * A random 96-bit nonce per seal: one key seals few blobs (a store
	 * and application data), far below the 2^32 messages NIST SP
	 * 800-38D §8.3 allows for random nonces.
	 */
	rv = vouch_random(ctx, buf + 1, VOUCH_GCM_NONCE_BYTES);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = vouch_aes256gcm_encrypt(ctx, key, buf + 1, aad, aad_len, in, n,
	    buf + 1 + VOUCH_GCM_NONCE_BYTES,
	    buf + 1 + VOUCH_GCM_NONCE_BYTES + n);
	if (rv != VOUCH_OK) {
		goto out;
	}
	*out = buf;
	*out_len = total;
	buf = NULL;
 out:
	free(buf);
	return rv;
}

enum vouch_err
seal_decrypt(struct vouch_ctx *ctx, const uint8_t key[VOUCH_SEAL_KEY_BYTES],
    const uint8_t *measurement, size_t mlen, const uint8_t *in, size_t n,
    uint8_t **out, size_t *out_len)
{
	enum vouch_err rv = VOUCH_ERR_INTERNAL;
	uint8_t aad[sizeof(VOUCH_SEAL_LABEL) + VOUCH_SEAL_MEASUREMENT_MAX];
	uint8_t *buf = NULL;
	size_t aad_len = 0, clen;

	*out = NULL;
	*out_len = 0;
	if (!seal_aad(aad, sizeof(aad), measurement, mlen, &aad_len)) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "unseal: measurement of %zu bytes", mlen);
	}
	/*
	 * Every way a blob can fail to be ours is the same code: truncation
	 * and a changed version byte are modifications like any other.
	 */
	if (in == NULL || n < VOUCH_SEAL_OVERHEAD) {
		return vouch_fail(ctx, VOUCH_ERR_SIGNATURE_INVALID,
		    "unseal: %zu bytes is shorter than any sealed blob (%d)",
		    in == NULL ? (size_t)0 : n, VOUCH_SEAL_OVERHEAD);
	}
	if (in[0] != VOUCH_SEAL_FORMAT_V1) {
		return vouch_fail(ctx, VOUCH_ERR_SIGNATURE_INVALID,
		    "unseal: unknown format version 0x%02x", in[0]);
	}
	clen = n - VOUCH_SEAL_OVERHEAD;
	if (clen > VOUCH_SEAL_MAX_BYTES) {
		return vouch_fail(ctx, VOUCH_ERR_TOO_LARGE,
		    "unseal: more than %u bytes", VOUCH_SEAL_MAX_BYTES);
	}
	buf = malloc(clen > 0 ? clen : 1);
	if (buf == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
	}
	rv = vouch_aes256gcm_decrypt(ctx, key, in + 1, aad, aad_len,
	    in + 1 + VOUCH_GCM_NONCE_BYTES, clen,
	    in + 1 + VOUCH_GCM_NONCE_BYTES + clen, buf);
	if (rv != VOUCH_OK) {
		if (rv == VOUCH_ERR_SIGNATURE_INVALID) {
			rv = vouch_fail(ctx, VOUCH_ERR_SIGNATURE_INVALID,
			    "unseal: not sealed by this program on this "
			    "platform, or modified");
		}
		goto out;
	}
	*out = buf;
	*out_len = clen;
	buf = NULL;
 out:
	/* Decrypt already wiped a rejected plaintext. */
	free(buf);
	return rv;
}

static enum vouch_err
seal_key_of(struct vouch *v, uint8_t key[VOUCH_SEAL_KEY_BYTES])
{
	if (v->backend == NULL || v->backend->seal_key == NULL) {
		return vouch_fail(v->ctx, VOUCH_ERR_UNSUPPORTED_PLATFORM,
		    "sealing is not available on this platform");
	}
	return v->backend->seal_key(v, key);
}

enum vouch_err
vouch_seal(struct vouch *v, const uint8_t *in, size_t n, uint8_t **out,
    size_t *out_len)
{
	enum vouch_err rv = VOUCH_ERR_INTERNAL;
	uint8_t key[VOUCH_SEAL_KEY_BYTES];

	if (out == NULL || out_len == NULL) {
		return v != NULL ? vouch_fail(v->ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "seal: no output") : VOUCH_ERR_INVALID_ARGUMENT;
	}
	*out = NULL;
	*out_len = 0;
	if (v == NULL) {
		return VOUCH_ERR_INVALID_ARGUMENT;
	}
	rv = seal_key_of(v, key);
	if (rv == VOUCH_OK) {
		rv = seal_encrypt(v->ctx, key, v->measurement,
		    v->measurement_len, in, n, out, out_len);
	}
	vouch_wipe(key, sizeof(key));
	return rv;
}

enum vouch_err
vouch_unseal(struct vouch *v, const uint8_t *in, size_t n, uint8_t **out,
    size_t *out_len)
{
	enum vouch_err rv = VOUCH_ERR_INTERNAL;
	uint8_t key[VOUCH_SEAL_KEY_BYTES];

	if (out == NULL || out_len == NULL) {
		return v != NULL ? vouch_fail(v->ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "unseal: no output") : VOUCH_ERR_INVALID_ARGUMENT;
	}
	*out = NULL;
	*out_len = 0;
	if (v == NULL) {
		return VOUCH_ERR_INVALID_ARGUMENT;
	}
	rv = seal_key_of(v, key);
	if (rv == VOUCH_OK) {
		rv = seal_decrypt(v->ctx, key, v->measurement,
		    v->measurement_len, in, n, out, out_len);
	}
	vouch_wipe(key, sizeof(key));
	return rv;
}
