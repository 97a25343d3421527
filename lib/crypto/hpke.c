/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hpke: RFC 9180 Hybrid Public Key Encryption, base mode, built from
 * OpenSSL 3.0 primitives: X25519 (EVP_PKEY), HMAC-SHA256 (EVP_MAC) for
 * HKDF Extract and Expand, and the AEADs (EVP_CIPHER).  The contract is
 * in hpke.h; docs/hpke.md says where it is used and how it is tested.
 *
 * HKDF is computed here from HMAC (RFC 5869 §2.2, §2.3) rather than with
 * EVP_KDF because the labeled inputs of RFC 9180 §4 are concatenations
 * of several pieces, some of them secret and some of unbounded length:
 * streaming the pieces into one HMAC needs neither an allocation nor a
 * copy of a secret.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "crypto/crypto.h"
#include "crypto/hpke.h"
#include "util/file.h"

/* RFC 9180 §4: the version label of every labeled KDF input. */
#define HPKE_V1			"HPKE-v1"
#define HPKE_V1_LEN		(sizeof(HPKE_V1) - 1)
/* Nh of HKDF-SHA256 (§7.2) and Nsecret of DHKEM(X25519, HKDF-SHA256). */
#define HPKE_NH			32
#define HPKE_NSECRET		32
/* Nn of every supported AEAD (§7.3). */
#define HPKE_NN			12
#define HPKE_NK_MAX		32
/* RFC 5869 §2.3: L <= 255 * HashLen. */
#define HPKE_EXPAND_MAX		(255 * HPKE_NH)
/* §5: mode_base. */
#define HPKE_MODE_BASE		0x00
/* Labeled expansions take at most this many pieces of info. */
#define HPKE_INFO_PARTS_MAX	3

/* DER SubjectPublicKeyInfo of an X25519 key (RFC 8410 §4): the prefix. */
static const uint8_t spki_x25519_prefix[] = {
	0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x03, 0x21, 0x00,
};

struct vouch_hpke {
	enum vouch_hpke_aead	 aead;
	bool			 is_sender;
	size_t			 nk;
	uint64_t		 seq;
	uint8_t			 key[HPKE_NK_MAX];
	uint8_t			 base_nonce[HPKE_NN];
	uint8_t			 exporter_secret[HPKE_NH];
};

struct hpke_part {
	const uint8_t	*p;
	size_t		 n;
};

/* §4.1: suite_id = concat("KEM", I2OSP(kem_id, 2)). */
static const uint8_t kem_suite_id[5] = { 'K', 'E', 'M', 0x00, 0x20 };

/*
 * §5.1: suite_id = concat("HPKE", I2OSP(kem_id, 2), I2OSP(kdf_id, 2),
 *                         I2OSP(aead_id, 2))
 */
static void
hpke_suite_id(enum vouch_hpke_aead aead, uint8_t out[10])
{
	out[0] = 'H';
	out[1] = 'P';
	out[2] = 'K';
	out[3] = 'E';
	out[4] = (uint8_t)(VOUCH_HPKE_KEM_X25519_SHA256 >> 8);
	out[5] = (uint8_t)(VOUCH_HPKE_KEM_X25519_SHA256 & 0xff);
	out[6] = (uint8_t)(VOUCH_HPKE_KDF_HKDF_SHA256 >> 8);
	out[7] = (uint8_t)(VOUCH_HPKE_KDF_HKDF_SHA256 & 0xff);
	out[8] = (uint8_t)(((unsigned)aead >> 8) & 0xff);
	out[9] = (uint8_t)((unsigned)aead & 0xff);
}

/* §7.3: Nk and the cipher of |aead|; false for an unknown identifier. */
static bool
aead_params(enum vouch_hpke_aead aead, size_t *nk, const EVP_CIPHER **cipher)
{
	switch (aead) {
	case VOUCH_HPKE_AES_128_GCM:
		*nk = 16;
		*cipher = EVP_aes_128_gcm();
		return true;
	case VOUCH_HPKE_AES_256_GCM:
		*nk = 32;
		*cipher = EVP_aes_256_gcm();
		return true;
	case VOUCH_HPKE_CHACHA20_POLY1305:
		*nk = 32;
		*cipher = EVP_chacha20_poly1305();
		return true;
	case VOUCH_HPKE_EXPORT_ONLY:
		*nk = 0;
		*cipher = NULL;
		return true;
	}
	return false;
}

/* HMAC-SHA256(|key|, concatenation of |parts|). */
static enum vouch_err
hmac_sha256(struct vouch_ctx *ctx, const uint8_t *key, size_t key_len,
    const struct hpke_part *parts, size_t nparts, uint8_t out[HPKE_NH])
{
	enum vouch_err rv = VOUCH_ERR_CRYPTO;
	EVP_MAC *mac = NULL;
	EVP_MAC_CTX *m = NULL;
	OSSL_PARAM params[2];
	size_t i, out_len = 0;

	mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	m = mac != NULL ? EVP_MAC_CTX_new(mac) : NULL;
	if (m == NULL) {
		rv = vouch_fail(ctx, VOUCH_ERR_CRYPTO,
		    "hpke: HMAC not available");
		goto out;
	}
	/* OSSL_PARAM takes non-const pointers; the MAC only reads them. */
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
	    (char *)(uintptr_t)"SHA256", 0);
	params[1] = OSSL_PARAM_construct_end();
	if (EVP_MAC_init(m, key, key_len, params) != 1) {
		rv = vouch_fail(ctx, VOUCH_ERR_CRYPTO, "hpke: HMAC init");
		goto out;
	}
	for (i = 0; i < nparts; i++) {
		if (parts[i].n > 0 &&
		    EVP_MAC_update(m, parts[i].p, parts[i].n) != 1) {
			rv = vouch_fail(ctx, VOUCH_ERR_CRYPTO,
			    "hpke: HMAC update");
			goto out;
		}
	}
	if (EVP_MAC_final(m, out, &out_len, HPKE_NH) != 1 ||
	    out_len != HPKE_NH) {
		rv = vouch_fail(ctx, VOUCH_ERR_CRYPTO, "hpke: HMAC final");
		goto out;
	}
	rv = VOUCH_OK;
 out:
	if (rv != VOUCH_OK) {
		vouch_wipe(out, HPKE_NH);
	}
	/* The HMAC provider clears its copy of the key when freed. */
	EVP_MAC_CTX_free(m);
	EVP_MAC_free(mac);
	ERR_clear_error();
	return rv;
}

/*
 * §4: LabeledExtract(salt, label, ikm) =
 *   Extract(salt, concat("HPKE-v1", suite_id, label, ikm)),
 * where Extract is HKDF-Extract (RFC 5869 §2.2): HMAC(salt, ikm), an
 * empty salt standing for Nh zero bytes.
 */
static enum vouch_err
labeled_extract(struct vouch_ctx *ctx, const uint8_t *suite_id,
    size_t suite_len, const uint8_t *salt, size_t salt_len, const char *label,
    const uint8_t *ikm, size_t ikm_len, uint8_t prk[HPKE_NH])
{
	static const uint8_t zeros[HPKE_NH];
	struct hpke_part parts[4];

	parts[0].p = (const uint8_t *)HPKE_V1;
	parts[0].n = HPKE_V1_LEN;
	parts[1].p = suite_id;
	parts[1].n = suite_len;
	parts[2].p = (const uint8_t *)label;
	parts[2].n = strlen(label);
	parts[3].p = ikm;
	parts[3].n = ikm_len;
	if (salt_len == 0) {
		salt = zeros;
		salt_len = sizeof(zeros);
	}
	return hmac_sha256(ctx, salt, salt_len, parts, 4, prk);
}

/*
 * §4: LabeledExpand(prk, label, info, L) =
 *   Expand(prk, concat(I2OSP(L, 2), "HPKE-v1", suite_id, label, info), L),
 * where Expand is HKDF-Expand (RFC 5869 §2.3):
 *   T(0) = "", T(i) = HMAC(prk, T(i-1) | info | I2OSP(i, 1)).
 * |info| is the concatenation of |ninfo| pieces.
 */
static enum vouch_err
labeled_expand(struct vouch_ctx *ctx, const uint8_t *suite_id,
    size_t suite_len, const uint8_t prk[HPKE_NH], const char *label,
    const struct hpke_part *info, size_t ninfo, uint8_t *out, size_t len)
{
	enum vouch_err rv = VOUCH_ERR_INTERNAL;
	struct hpke_part parts[6 + HPKE_INFO_PARTS_MAX];
	uint8_t t[HPKE_NH];
	uint8_t len2[2];
	uint8_t counter = 1;
	size_t done = 0, take, n, i;

	if (len == 0 || len > HPKE_EXPAND_MAX) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "hpke: expand length %zu out of range", len);
	}
	if (ninfo > HPKE_INFO_PARTS_MAX) {
		return vouch_fail(ctx, VOUCH_ERR_INTERNAL,
		    "hpke: too many info parts");
	}
	len2[0] = (uint8_t)(len >> 8);
	len2[1] = (uint8_t)(len & 0xff);
	while (done < len) {
		n = 0;
		if (counter > 1) {
			parts[n].p = t;
			parts[n++].n = sizeof(t);
		}
		parts[n].p = len2;
		parts[n++].n = sizeof(len2);
		parts[n].p = (const uint8_t *)HPKE_V1;
		parts[n++].n = HPKE_V1_LEN;
		parts[n].p = suite_id;
		parts[n++].n = suite_len;
		parts[n].p = (const uint8_t *)label;
		parts[n++].n = strlen(label);
		for (i = 0; i < ninfo; i++) {
			parts[n++] = info[i];
		}
		parts[n].p = &counter;
		parts[n++].n = 1;
		rv = hmac_sha256(ctx, prk, HPKE_NH, parts, n, t);
		if (rv != VOUCH_OK) {
			goto out;
		}
		take = len - done < sizeof(t) ? len - done : sizeof(t);
		memcpy(out + done, t, take);
		done += take;
		/* len <= 255 * Nh keeps the counter within one octet. */
		counter++;
	}
	rv = VOUCH_OK;
 out:
	vouch_wipe(t, sizeof(t));
	if (rv != VOUCH_OK) {
		vouch_wipe(out, len);
	}
	return rv;
}

static EVP_PKEY *
x25519_priv_key(const uint8_t priv[VOUCH_X25519_BYTES])
{
	return EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, NULL, priv,
	    VOUCH_X25519_BYTES);
}

enum vouch_err
vouch_x25519_public(struct vouch_ctx *ctx,
    const uint8_t priv[VOUCH_X25519_BYTES], uint8_t pub[VOUCH_X25519_BYTES])
{
	enum vouch_err rv = VOUCH_ERR_CRYPTO;
	EVP_PKEY *k;
	size_t len = VOUCH_X25519_BYTES;

	k = x25519_priv_key(priv);
	if (k == NULL) {
		rv = vouch_fail(ctx, VOUCH_ERR_CRYPTO,
		    "x25519: cannot load the private key");
		goto out;
	}
	if (EVP_PKEY_get_raw_public_key(k, pub, &len) != 1 ||
	    len != VOUCH_X25519_BYTES) {
		rv = vouch_fail(ctx, VOUCH_ERR_CRYPTO,
		    "x25519: cannot compute the public key");
		goto out;
	}
	rv = VOUCH_OK;
 out:
	/* EVP_PKEY_free clears the private key it holds. */
	EVP_PKEY_free(k);
	ERR_clear_error();
	return rv;
}

enum vouch_err
vouch_x25519_keygen(struct vouch_ctx *ctx, uint8_t priv[VOUCH_X25519_BYTES],
    uint8_t pub[VOUCH_X25519_BYTES])
{
	enum vouch_err rv = VOUCH_ERR_CRYPTO;
	EVP_PKEY *k;
	size_t len = VOUCH_X25519_BYTES;

	k = EVP_PKEY_Q_keygen(NULL, NULL, "X25519");
	if (k == NULL) {
		rv = vouch_fail(ctx, VOUCH_ERR_CRYPTO, "x25519: keygen failed");
		goto out;
	}
	if (EVP_PKEY_get_raw_private_key(k, priv, &len) != 1 ||
	    len != VOUCH_X25519_BYTES) {
		rv = vouch_fail(ctx, VOUCH_ERR_CRYPTO,
		    "x25519: cannot read the new private key");
		goto out;
	}
	len = VOUCH_X25519_BYTES;
	if (EVP_PKEY_get_raw_public_key(k, pub, &len) != 1 ||
	    len != VOUCH_X25519_BYTES) {
		rv = vouch_fail(ctx, VOUCH_ERR_CRYPTO,
		    "x25519: cannot read the new public key");
		goto out;
	}
	rv = VOUCH_OK;
 out:
	if (rv != VOUCH_OK) {
		vouch_wipe(priv, VOUCH_X25519_BYTES);
	}
	EVP_PKEY_free(k);
	ERR_clear_error();
	return rv;
}

/*
 * DH(sk, pk) of §4.1 with X25519 (RFC 7748 §5), and the check of
 * §7.1.4: "recipients MUST check whether the Diffie-Hellman shared
 * secret is the all-zero value and abort if so".  Senders check too, so
 * a low-order recipient key is refused before anything is sealed to it.
 * OpenSSL's X25519 refuses an all-zero result itself; the explicit check
 * keeps the rule here whatever the provider does.
 */
static enum vouch_err
x25519_dh(struct vouch_ctx *ctx, const uint8_t sk[VOUCH_X25519_BYTES],
    const uint8_t pk[VOUCH_X25519_BYTES], uint8_t dh[VOUCH_X25519_BYTES])
{
	static const uint8_t zeros[VOUCH_X25519_BYTES];
	enum vouch_err rv = VOUCH_ERR_CRYPTO;
	EVP_PKEY *priv = NULL, *peer = NULL;
	EVP_PKEY_CTX *d = NULL;
	size_t len = VOUCH_X25519_BYTES;

	priv = x25519_priv_key(sk);
	peer = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, NULL, pk,
	    VOUCH_X25519_BYTES);
	if (priv == NULL || peer == NULL) {
		rv = vouch_fail(ctx, VOUCH_ERR_CRYPTO,
		    "x25519: cannot load keys");
		goto out;
	}
	d = EVP_PKEY_CTX_new_from_pkey(NULL, priv, NULL);
	if (d == NULL || EVP_PKEY_derive_init(d) != 1) {
		rv = vouch_fail(ctx, VOUCH_ERR_CRYPTO, "x25519: derive init");
		goto out;
	}
	if (EVP_PKEY_derive_set_peer(d, peer) != 1) {
		rv = vouch_fail(ctx, VOUCH_ERR_BAD_KEY,
		    "x25519: public key refused");
		goto out;
	}
	if (EVP_PKEY_derive(d, dh, &len) != 1) {
		rv = vouch_fail(ctx, VOUCH_ERR_BAD_KEY,
		    "x25519: no shared secret (low-order public key)");
		goto out;
	}
	if (len != VOUCH_X25519_BYTES) {
		rv = vouch_fail(ctx, VOUCH_ERR_CRYPTO,
		    "x25519: shared secret of %zu bytes", len);
		goto out;
	}
	if (vouch_ct_eq(dh, zeros, sizeof(zeros))) {
		rv = vouch_fail(ctx, VOUCH_ERR_BAD_KEY,
		    "x25519: all-zero shared secret (low-order public key)");
		goto out;
	}
	rv = VOUCH_OK;
 out:
	if (rv != VOUCH_OK) {
		vouch_wipe(dh, VOUCH_X25519_BYTES);
	}
	EVP_PKEY_CTX_free(d);
	EVP_PKEY_free(peer);
	EVP_PKEY_free(priv);
	ERR_clear_error();
	return rv;
}

/*
 * §4.1: ExtractAndExpand(dh, kem_context), kem_context = concat(enc, pkRm):
 *   eae_prk = LabeledExtract("", "eae_prk", dh)
 *   shared_secret = LabeledExpand(eae_prk, "shared_secret", kem_context,
 *                                 Nsecret)
 */
static enum vouch_err
extract_and_expand(struct vouch_ctx *ctx, const uint8_t dh[VOUCH_X25519_BYTES],
    const uint8_t enc[VOUCH_HPKE_ENC_BYTES],
    const uint8_t pk_rm[VOUCH_X25519_BYTES],
    uint8_t shared_secret[HPKE_NSECRET])
{
	enum vouch_err rv;
	uint8_t eae_prk[HPKE_NH];
	struct hpke_part kem_context[2];

	kem_context[0].p = enc;
	kem_context[0].n = VOUCH_HPKE_ENC_BYTES;
	kem_context[1].p = pk_rm;
	kem_context[1].n = VOUCH_X25519_BYTES;
	rv = labeled_extract(ctx, kem_suite_id, sizeof(kem_suite_id), NULL, 0,
	    "eae_prk", dh, VOUCH_X25519_BYTES, eae_prk);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = labeled_expand(ctx, kem_suite_id, sizeof(kem_suite_id), eae_prk,
	    "shared_secret", kem_context, 2, shared_secret, HPKE_NSECRET);
 out:
	vouch_wipe(eae_prk, sizeof(eae_prk));
	return rv;
}

enum vouch_err
vouch_hpke_derive_keypair(struct vouch_ctx *ctx, const uint8_t *ikm,
    size_t ikm_len, uint8_t priv[VOUCH_X25519_BYTES],
    uint8_t pub[VOUCH_X25519_BYTES])
{
	enum vouch_err rv;
	uint8_t dkp_prk[HPKE_NH];

	/*
	 * §7.1.3: "the ikm parameter given to DeriveKeyPair() SHOULD have
	 * length at least Nsk"; shorter input is refused.
	 */
	if (ikm == NULL || ikm_len < VOUCH_X25519_BYTES) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "hpke: DeriveKeyPair needs at least %d bytes of ikm",
		    VOUCH_X25519_BYTES);
	}
	/*
	 * §7.1.3, X25519:
	 *   dkp_prk = LabeledExtract("", "dkp_prk", ikm)
	 *   sk = LabeledExpand(dkp_prk, "sk", "", Nsk)
	 * sk is returned as derived, unclamped, as the Appendix A vectors
	 * print it; X25519 clamps it on every use (RFC 7748 §5).
	 */
	rv = labeled_extract(ctx, kem_suite_id, sizeof(kem_suite_id), NULL, 0,
	    "dkp_prk", ikm, ikm_len, dkp_prk);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = labeled_expand(ctx, kem_suite_id, sizeof(kem_suite_id), dkp_prk,
	    "sk", NULL, 0, priv, VOUCH_X25519_BYTES);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = vouch_x25519_public(ctx, priv, pub);
 out:
	if (rv != VOUCH_OK) {
		vouch_wipe(priv, VOUCH_X25519_BYTES);
	}
	vouch_wipe(dkp_prk, sizeof(dkp_prk));
	return rv;
}

/*
 * §5.1 KeySchedule for mode_base (psk = psk_id = ""):
 *   psk_id_hash = LabeledExtract("", "psk_id_hash", psk_id)
 *   info_hash = LabeledExtract("", "info_hash", info)
 *   key_schedule_context = concat(mode, psk_id_hash, info_hash)
 *   secret = LabeledExtract(shared_secret, "secret", psk)
 *   key = LabeledExpand(secret, "key", key_schedule_context, Nk)
 *   base_nonce = LabeledExpand(secret, "base_nonce", key_schedule_context, Nn)
 *   exporter_secret = LabeledExpand(secret, "exp", key_schedule_context, Nh)
 * The export-only AEAD has Nk = Nn = 0: no key and no nonce (§7.3).
 */
static enum vouch_err
key_schedule(struct vouch_ctx *ctx, struct vouch_hpke *h,
    const uint8_t shared_secret[HPKE_NSECRET], const uint8_t *info,
    size_t info_len)
{
	enum vouch_err rv;
	uint8_t suite_id[10];
	uint8_t mode = HPKE_MODE_BASE;
	uint8_t psk_id_hash[HPKE_NH], info_hash[HPKE_NH], secret[HPKE_NH];
	struct hpke_part ksc[3];

	hpke_suite_id(h->aead, suite_id);
	rv = labeled_extract(ctx, suite_id, sizeof(suite_id), NULL, 0,
	    "psk_id_hash", NULL, 0, psk_id_hash);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = labeled_extract(ctx, suite_id, sizeof(suite_id), NULL, 0,
	    "info_hash", info, info_len, info_hash);
	if (rv != VOUCH_OK) {
		goto out;
	}
	ksc[0].p = &mode;
	ksc[0].n = 1;
	ksc[1].p = psk_id_hash;
	ksc[1].n = sizeof(psk_id_hash);
	ksc[2].p = info_hash;
	ksc[2].n = sizeof(info_hash);
	rv = labeled_extract(ctx, suite_id, sizeof(suite_id), shared_secret,
	    HPKE_NSECRET, "secret", NULL, 0, secret);
	if (rv != VOUCH_OK) {
		goto out;
	}
	if (h->nk > 0) {
		rv = labeled_expand(ctx, suite_id, sizeof(suite_id), secret,
		    "key", ksc, 3, h->key, h->nk);
		if (rv != VOUCH_OK) {
			goto out;
		}
		rv = labeled_expand(ctx, suite_id, sizeof(suite_id), secret,
		    "base_nonce", ksc, 3, h->base_nonce, HPKE_NN);
		if (rv != VOUCH_OK) {
			goto out;
		}
	}
	rv = labeled_expand(ctx, suite_id, sizeof(suite_id), secret, "exp",
	    ksc, 3, h->exporter_secret, HPKE_NH);
 out:
	vouch_wipe(secret, sizeof(secret));
	return rv;
}

/* Common checks and allocation of a context for |aead| and |info|. */
static enum vouch_err
hpke_new(struct vouch_ctx *ctx, enum vouch_hpke_aead aead,
    const uint8_t *info, size_t info_len, struct vouch_hpke **out)
{
	struct vouch_hpke *h;
	const EVP_CIPHER *cipher;
	size_t nk;

	*out = NULL;
	if (!aead_params(aead, &nk, &cipher)) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "hpke: unsupported AEAD 0x%04x", (unsigned)aead);
	}
	if (info == NULL && info_len > 0) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "hpke: info is NULL");
	}
	if (info_len > VOUCH_HPKE_INFO_MAX_BYTES) {
		return vouch_fail(ctx, VOUCH_ERR_TOO_LARGE,
		    "hpke: info of %zu bytes exceeds %d", info_len,
		    VOUCH_HPKE_INFO_MAX_BYTES);
	}
	h = calloc(1, sizeof(*h));
	if (h == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "hpke: context");
	}
	h->aead = aead;
	h->nk = nk;
	*out = h;
	return VOUCH_OK;
}

void
vouch_hpke_free(struct vouch_hpke *h)
{
	vouch_freezero(h, sizeof(*h));
}

enum vouch_err
vouch_hpke_setup_sender(struct vouch_ctx *ctx, enum vouch_hpke_aead aead,
    const uint8_t pk_r[VOUCH_X25519_BYTES], const uint8_t *info,
    size_t info_len, const uint8_t *ikm_e, size_t ikm_e_len,
    uint8_t enc[VOUCH_HPKE_ENC_BYTES], struct vouch_hpke **out)
{
	enum vouch_err rv;
	struct vouch_hpke *h = NULL;
	uint8_t sk_e[VOUCH_X25519_BYTES];
	uint8_t dh[VOUCH_X25519_BYTES];
	uint8_t shared_secret[HPKE_NSECRET];

	*out = NULL;
	vouch_wipe(sk_e, sizeof(sk_e));
	vouch_wipe(dh, sizeof(dh));
	vouch_wipe(shared_secret, sizeof(shared_secret));
	if (ikm_e == NULL && ikm_e_len > 0) {
		rv = vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "hpke: ikm_e is NULL");
		goto out;
	}
	rv = hpke_new(ctx, aead, info, info_len, &h);
	if (rv != VOUCH_OK) {
		goto out;
	}
	/*
	 * §4.1 Encap(pkR):
	 *   skE, pkE = GenerateKeyPair()
	 *   dh = DH(skE, pkR)
	 *   enc = SerializePublicKey(pkE)
	 *   kem_context = concat(enc, SerializePublicKey(pkR))
	 *   shared_secret = ExtractAndExpand(dh, kem_context)
	 */
	if (ikm_e != NULL) {
		rv = vouch_hpke_derive_keypair(ctx, ikm_e, ikm_e_len, sk_e,
		    enc);
	} else {
		rv = vouch_x25519_keygen(ctx, sk_e, enc);
	}
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = x25519_dh(ctx, sk_e, pk_r, dh);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = extract_and_expand(ctx, dh, enc, pk_r, shared_secret);
	if (rv != VOUCH_OK) {
		goto out;
	}
	/* §5.1.1 SetupBaseS: KeyScheduleS(mode_base, shared_secret, info). */
	rv = key_schedule(ctx, h, shared_secret, info, info_len);
	if (rv != VOUCH_OK) {
		goto out;
	}
	h->is_sender = true;
	*out = h;
	h = NULL;
 out:
	if (rv != VOUCH_OK) {
		vouch_wipe(enc, VOUCH_HPKE_ENC_BYTES);
	}
	vouch_wipe(sk_e, sizeof(sk_e));
	vouch_wipe(dh, sizeof(dh));
	vouch_wipe(shared_secret, sizeof(shared_secret));
	vouch_hpke_free(h);
	return rv;
}

enum vouch_err
vouch_hpke_setup_recipient(struct vouch_ctx *ctx, enum vouch_hpke_aead aead,
    const uint8_t enc[VOUCH_HPKE_ENC_BYTES],
    const uint8_t sk_r[VOUCH_X25519_BYTES], const uint8_t *info,
    size_t info_len, struct vouch_hpke **out)
{
	enum vouch_err rv;
	struct vouch_hpke *h = NULL;
	uint8_t pk_rm[VOUCH_X25519_BYTES];
	uint8_t dh[VOUCH_X25519_BYTES];
	uint8_t shared_secret[HPKE_NSECRET];

	*out = NULL;
	vouch_wipe(dh, sizeof(dh));
	vouch_wipe(shared_secret, sizeof(shared_secret));
	rv = hpke_new(ctx, aead, info, info_len, &h);
	if (rv != VOUCH_OK) {
		goto out;
	}
	/*
	 * §4.1 Decap(enc, skR):
	 *   pkE = DeserializePublicKey(enc)
	 *   dh = DH(skR, pkE)
	 *   kem_context = concat(enc, SerializePublicKey(pk(skR)))
	 *   shared_secret = ExtractAndExpand(dh, kem_context)
	 */
	rv = vouch_x25519_public(ctx, sk_r, pk_rm);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = x25519_dh(ctx, sk_r, enc, dh);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = extract_and_expand(ctx, dh, enc, pk_rm, shared_secret);
	if (rv != VOUCH_OK) {
		goto out;
	}
	/* §5.1.1 SetupBaseR: KeyScheduleR(mode_base, shared_secret, info). */
	rv = key_schedule(ctx, h, shared_secret, info, info_len);
	if (rv != VOUCH_OK) {
		goto out;
	}
	h->is_sender = false;
	*out = h;
	h = NULL;
 out:
	vouch_wipe(dh, sizeof(dh));
	vouch_wipe(shared_secret, sizeof(shared_secret));
	vouch_hpke_free(h);
	return rv;
}

/*
 * §5.2 ComputeNonce(seq) = xor(base_nonce, I2OSP(seq, Nn)); the 64-bit
 * sequence number fills the last 8 of the 12 octets.
 */
static void
compute_nonce(const struct vouch_hpke *h, uint8_t nonce[HPKE_NN])
{
	size_t i;

	memcpy(nonce, h->base_nonce, HPKE_NN);
	for (i = 0; i < 8; i++) {
		nonce[HPKE_NN - 1 - i] ^= (uint8_t)(h->seq >> (8 * i));
	}
}

/*
 * Seal or Open of the context's AEAD (§7.3) with |nonce|.  Encryption
 * writes |n| bytes to |out| and the tag to |tag|; decryption checks
 * |tag| and on any failure leaves |out| zeroed.
 */
static enum vouch_err
aead_crypt(struct vouch_ctx *ctx, const struct vouch_hpke *h, bool encrypt,
    const uint8_t nonce[HPKE_NN], const uint8_t *aad, size_t aad_len,
    const uint8_t *in, size_t n, uint8_t *out,
    uint8_t tag[VOUCH_HPKE_TAG_BYTES])
{
	enum vouch_err rv = VOUCH_ERR_CRYPTO;
	const EVP_CIPHER *cipher = NULL;
	EVP_CIPHER_CTX *c = NULL;
	uint8_t fin[VOUCH_HPKE_TAG_BYTES];
	size_t nk = 0;
	int len = 0, enc = encrypt ? 1 : 0;

	if (!aead_params(h->aead, &nk, &cipher) || cipher == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_INTERNAL, "hpke: no cipher");
	}
	if (n > INT_MAX || aad_len > INT_MAX) {
		return vouch_fail(ctx, VOUCH_ERR_TOO_LARGE,
		    "hpke: input too large");
	}
	c = EVP_CIPHER_CTX_new();
	if (c == NULL) {
		rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY,
		    "hpke: cipher context");
		goto out;
	}
	if (EVP_CipherInit_ex(c, cipher, NULL, NULL, NULL, enc) != 1 ||
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_IVLEN, HPKE_NN,
	    NULL) != 1 ||
	    EVP_CipherInit_ex(c, NULL, NULL, h->key, nonce, enc) != 1) {
		rv = vouch_fail(ctx, VOUCH_ERR_CRYPTO, "hpke: cipher init");
		goto out;
	}
	if (!encrypt) {
		/* The ctrl takes a non-const pointer; copy the tag. */
		memcpy(fin, tag, sizeof(fin));
		if (EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG,
		    VOUCH_HPKE_TAG_BYTES, fin) != 1) {
			rv = vouch_fail(ctx, VOUCH_ERR_CRYPTO, "hpke: set tag");
			goto out;
		}
	}
	if (aad_len > 0 &&
	    EVP_CipherUpdate(c, NULL, &len, aad, (int)aad_len) != 1) {
		rv = vouch_fail(ctx, VOUCH_ERR_CRYPTO, "hpke: aad");
		goto out;
	}
	if (n > 0 && (EVP_CipherUpdate(c, out, &len, in, (int)n) != 1 ||
	    (size_t)len != n)) {
		rv = vouch_fail(ctx, VOUCH_ERR_CRYPTO, "hpke: cipher update");
		goto out;
	}
	/* GCM and ChaCha20-Poly1305 output nothing at the end. */
	if (EVP_CipherFinal_ex(c, fin, &len) != 1) {
		if (encrypt) {
			rv = vouch_fail(ctx, VOUCH_ERR_CRYPTO,
			    "hpke: cipher final");
		} else {
			rv = vouch_fail(ctx, VOUCH_ERR_SIGNATURE_INVALID,
			    "hpke: authentication tag does not verify");
		}
		goto out;
	}
	if (encrypt && EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_GET_TAG,
	    VOUCH_HPKE_TAG_BYTES, tag) != 1) {
		rv = vouch_fail(ctx, VOUCH_ERR_CRYPTO, "hpke: get tag");
		goto out;
	}
	rv = VOUCH_OK;
 out:
	if (rv != VOUCH_OK && n > 0) {
		vouch_wipe(out, n);
	}
	vouch_wipe(fin, sizeof(fin));
	/* Freeing the cipher context clears the expanded key. */
	EVP_CIPHER_CTX_free(c);
	ERR_clear_error();
	return rv;
}

/* The checks shared by Seal and Open. */
static enum vouch_err
check_crypt(struct vouch_ctx *ctx, const struct vouch_hpke *h, bool sealing,
    const uint8_t *aad, size_t aad_len, const void *in, size_t in_len)
{
	if (h == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "hpke: no context");
	}
	if (h->aead == VOUCH_HPKE_EXPORT_ONLY) {
		return vouch_fail(ctx, VOUCH_ERR_STATE,
		    "hpke: an export-only context can neither seal nor open");
	}
	if (sealing && !h->is_sender) {
		return vouch_fail(ctx, VOUCH_ERR_STATE,
		    "hpke: a recipient context cannot seal");
	}
	if (!sealing && h->is_sender) {
		return vouch_fail(ctx, VOUCH_ERR_STATE,
		    "hpke: a sender context cannot open");
	}
	/*
	 * §5.2 IncrementSeq refuses seq >= 2^(8*Nn) - 1.  The counter here
	 * is 64 bits wide, so it stops earlier, at 2^64 - 1; no sender
	 * reaches either.
	 */
	if (h->seq == UINT64_MAX) {
		return vouch_fail(ctx, VOUCH_ERR_STATE,
		    "hpke: sequence number exhausted");
	}
	if ((aad == NULL && aad_len > 0) || (in == NULL && in_len > 0)) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "hpke: NULL input");
	}
	return VOUCH_OK;
}

enum vouch_err
vouch_hpke_seal(struct vouch_ctx *ctx, struct vouch_hpke *h,
    const uint8_t *aad, size_t aad_len, const uint8_t *pt, size_t pt_len,
    uint8_t *ct)
{
	enum vouch_err rv;
	uint8_t nonce[HPKE_NN];

	rv = check_crypt(ctx, h, true, aad, aad_len, pt, pt_len);
	if (rv != VOUCH_OK) {
		return rv;
	}
	/*
	 * §5.2 ContextS.Seal(aad, pt):
	 *   ct = Seal(key, ComputeNonce(seq), aad, pt); IncrementSeq()
	 */
	compute_nonce(h, nonce);
	rv = aead_crypt(ctx, h, true, nonce, aad, aad_len, pt, pt_len, ct,
	    ct + pt_len);
	if (rv != VOUCH_OK) {
		vouch_wipe(ct, pt_len + VOUCH_HPKE_TAG_BYTES);
		return rv;
	}
	h->seq++;
	return VOUCH_OK;
}

enum vouch_err
vouch_hpke_open(struct vouch_ctx *ctx, struct vouch_hpke *h,
    const uint8_t *aad, size_t aad_len, const uint8_t *ct, size_t ct_len,
    uint8_t *pt)
{
	enum vouch_err rv;
	uint8_t nonce[HPKE_NN];
	uint8_t tag[VOUCH_HPKE_TAG_BYTES];
	size_t n;

	rv = check_crypt(ctx, h, false, aad, aad_len, ct, ct_len);
	if (rv != VOUCH_OK) {
		return rv;
	}
	if (ct_len < VOUCH_HPKE_TAG_BYTES) {
		return vouch_fail(ctx, VOUCH_ERR_TRUNCATED,
		    "hpke: ciphertext shorter than its tag");
	}
	n = ct_len - VOUCH_HPKE_TAG_BYTES;
	memcpy(tag, ct + n, sizeof(tag));
	/*
	 * §5.2 ContextR.Open(aad, ct):
	 *   pt = Open(key, ComputeNonce(seq), aad, ct)
	 *   if pt == OpenError: raise OpenError
	 *   IncrementSeq()
	 * so a failed open leaves seq where it was.
	 */
	compute_nonce(h, nonce);
	rv = aead_crypt(ctx, h, false, nonce, aad, aad_len, ct, n, pt, tag);
	if (rv != VOUCH_OK) {
		return rv;
	}
	h->seq++;
	return VOUCH_OK;
}

enum vouch_err
vouch_hpke_export(struct vouch_ctx *ctx, struct vouch_hpke *h,
    const uint8_t *exporter_context, size_t exporter_context_len,
    uint8_t *out, size_t out_len)
{
	uint8_t suite_id[10];
	struct hpke_part exp_ctx;

	if (h == NULL || out == NULL ||
	    (exporter_context == NULL && exporter_context_len > 0)) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "hpke: export: NULL argument");
	}
	if (out_len == 0 || out_len > HPKE_EXPAND_MAX) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "hpke: export length %zu is not in 1..%d", out_len,
		    HPKE_EXPAND_MAX);
	}
	if (exporter_context_len > VOUCH_HPKE_INFO_MAX_BYTES) {
		return vouch_fail(ctx, VOUCH_ERR_TOO_LARGE,
		    "hpke: exporter context of %zu bytes exceeds %d",
		    exporter_context_len, VOUCH_HPKE_INFO_MAX_BYTES);
	}
	/*
	 * §5.3 Context.Export(exporter_context, L) =
	 *   LabeledExpand(exporter_secret, "sec", exporter_context, L)
	 */
	hpke_suite_id(h->aead, suite_id);
	exp_ctx.p = exporter_context;
	exp_ctx.n = exporter_context_len;
	return labeled_expand(ctx, suite_id, sizeof(suite_id),
	    h->exporter_secret, "sec", &exp_ctx, 1, out, out_len);
}

enum vouch_err
vouch_hpke_seal_base(struct vouch_ctx *ctx, enum vouch_hpke_aead aead,
    const uint8_t pk_r[VOUCH_X25519_BYTES], const uint8_t *info,
    size_t info_len, const uint8_t *aad, size_t aad_len, const uint8_t *pt,
    size_t pt_len, uint8_t **out, size_t *out_len)
{
	enum vouch_err rv;
	struct vouch_hpke *h = NULL;
	uint8_t *buf = NULL;
	size_t len = 0;

	*out = NULL;
	*out_len = 0;
	if (aead == VOUCH_HPKE_EXPORT_ONLY) {
		return vouch_fail(ctx, VOUCH_ERR_STATE,
		    "hpke: the export-only AEAD cannot seal");
	}
	if (pt_len > INT_MAX) {
		return vouch_fail(ctx, VOUCH_ERR_TOO_LARGE,
		    "hpke: plaintext too large");
	}
	len = VOUCH_HPKE_ENC_BYTES + pt_len + VOUCH_HPKE_TAG_BYTES;
	buf = malloc(len);
	if (buf == NULL) {
		rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "hpke: output");
		goto out;
	}
	/*
	 * §6.1 SealBase:
	 *   enc, ctx = SetupBaseS(pkR, info); ct = ctx.Seal(aad, pt)
	 */
	rv = vouch_hpke_setup_sender(ctx, aead, pk_r, info, info_len, NULL, 0,
	    buf, &h);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = vouch_hpke_seal(ctx, h, aad, aad_len, pt, pt_len,
	    buf + VOUCH_HPKE_ENC_BYTES);
	if (rv != VOUCH_OK) {
		goto out;
	}
	*out = buf;
	*out_len = len;
	buf = NULL;
 out:
	vouch_hpke_free(h);
	free(buf);	/* enc and ciphertext only: nothing secret */
	return rv;
}

enum vouch_err
vouch_hpke_open_base(struct vouch_ctx *ctx, enum vouch_hpke_aead aead,
    const uint8_t sk_r[VOUCH_X25519_BYTES], const uint8_t *info,
    size_t info_len, const uint8_t *aad, size_t aad_len, const uint8_t *in,
    size_t in_len, uint8_t **out, size_t *out_len)
{
	enum vouch_err rv;
	struct vouch_hpke *h = NULL;
	uint8_t *buf = NULL;
	size_t n = 0;

	*out = NULL;
	*out_len = 0;
	if (aead == VOUCH_HPKE_EXPORT_ONLY) {
		return vouch_fail(ctx, VOUCH_ERR_STATE,
		    "hpke: the export-only AEAD cannot open");
	}
	if (in == NULL && in_len > 0) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "hpke: NULL input");
	}
	if (in_len < VOUCH_HPKE_ENC_BYTES + VOUCH_HPKE_TAG_BYTES) {
		return vouch_fail(ctx, VOUCH_ERR_TRUNCATED,
		    "hpke: %zu bytes are shorter than enc and a tag", in_len);
	}
	n = in_len - VOUCH_HPKE_ENC_BYTES - VOUCH_HPKE_TAG_BYTES;
	/*
	 * §6.1 OpenBase:
	 *   ctx = SetupBaseR(enc, skR, info); return ctx.Open(aad, ct)
	 */
	rv = vouch_hpke_setup_recipient(ctx, aead, in, sk_r, info, info_len,
	    &h);
	if (rv == VOUCH_ERR_BAD_KEY) {
		/* A low-order enc is one more way a message can be forged. */
		rv = vouch_fail(ctx, VOUCH_ERR_SIGNATURE_INVALID,
		    "hpke: enc is a low-order X25519 point");
		goto out;
	}
	if (rv != VOUCH_OK) {
		goto out;
	}
	buf = malloc(n > 0 ? n : 1);
	if (buf == NULL) {
		rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "hpke: output");
		goto out;
	}
	rv = vouch_hpke_open(ctx, h, aad, aad_len, in + VOUCH_HPKE_ENC_BYTES,
	    in_len - VOUCH_HPKE_ENC_BYTES, buf);
	if (rv != VOUCH_OK) {
		goto out;
	}
	*out = buf;
	*out_len = n;
	buf = NULL;
 out:
	vouch_hpke_free(h);
	vouch_freezero(buf, n > 0 ? n : 1);
	return rv;
}

/*
 * X25519 keys in PEM files.  The private key is PKCS#8 (RFC 5958, RFC
 * 8410 §7), decoded by OpenSSL; the public key is the one fixed
 * SubjectPublicKeyInfo encoding of RFC 8410 §4, matched exactly.
 */

/* A PEM block as read by PEM_read_bio, freed (and cleared) together. */
struct pem_block {
	char		*name;
	char		*header;
	unsigned char	*data;
	long		 len;
};

static void
pem_block_free(struct pem_block *b)
{
	if (b->data != NULL && b->len > 0) {
		OPENSSL_clear_free(b->data, (size_t)b->len);
	} else {
		OPENSSL_free(b->data);
	}
	OPENSSL_free(b->name);
	OPENSSL_free(b->header);
	memset(b, 0, sizeof(*b));
}

/*
 * Exactly one PEM block named |name|, without headers (so not encrypted),
 * in |buf|.  Text outside the block is ignored as OpenSSL does; a second
 * block is refused.
 */
static enum vouch_err
pem_one_block(struct vouch_ctx *ctx, const char *what, const uint8_t *buf,
    size_t len, const char *name, struct pem_block *out)
{
	enum vouch_err rv = VOUCH_ERR_BAD_KEY;
	struct pem_block extra;
	BIO *bio = NULL;

	memset(out, 0, sizeof(*out));
	memset(&extra, 0, sizeof(extra));
	if (len > VOUCH_PEM_FILE_MAX_BYTES) {
		return vouch_fail(ctx, VOUCH_ERR_TOO_LARGE,
		    "%s: PEM input too large", what);
	}
	bio = BIO_new_mem_buf(buf, (int)len);
	if (bio == NULL) {
		rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "%s: BIO", what);
		goto out;
	}
	if (PEM_read_bio(bio, &out->name, &out->header, &out->data,
	    &out->len) != 1) {
		rv = vouch_fail(ctx, VOUCH_ERR_BAD_KEY,
		    "%s: no PEM %s block", what, name);
		goto out;
	}
	if (strcmp(out->name, name) != 0) {
		rv = vouch_fail(ctx, VOUCH_ERR_BAD_KEY,
		    "%s: PEM block is not a %s", what, name);
		goto out;
	}
	if (out->header != NULL && out->header[0] != '\0') {
		rv = vouch_fail(ctx, VOUCH_ERR_BAD_KEY,
		    "%s: PEM %s block has headers (encrypted?)", what, name);
		goto out;
	}
	if (PEM_read_bio(bio, &extra.name, &extra.header, &extra.data,
	    &extra.len) == 1) {
		rv = vouch_fail(ctx, VOUCH_ERR_BAD_KEY,
		    "%s: more than one PEM block", what);
		goto out;
	}
	rv = VOUCH_OK;
 out:
	pem_block_free(&extra);
	if (rv != VOUCH_OK) {
		pem_block_free(out);
	}
	BIO_free(bio);
	ERR_clear_error();
	return rv;
}

static enum vouch_err
pub_from_pem(struct vouch_ctx *ctx, const char *what, const char *pem,
    size_t len, uint8_t pub[VOUCH_X25519_BYTES])
{
	enum vouch_err rv;
	struct pem_block b;

	if (pem == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "%s: NULL PEM", what);
	}
	rv = pem_one_block(ctx, what, (const uint8_t *)pem, len, "PUBLIC KEY",
	    &b);
	if (rv != VOUCH_OK) {
		return rv;
	}
	if ((size_t)b.len != sizeof(spki_x25519_prefix) + VOUCH_X25519_BYTES ||
	    memcmp(b.data, spki_x25519_prefix,
	    sizeof(spki_x25519_prefix)) != 0) {
		rv = vouch_fail(ctx, VOUCH_ERR_BAD_KEY,
		    "%s: not an X25519 SubjectPublicKeyInfo", what);
		goto out;
	}
	memcpy(pub, b.data + sizeof(spki_x25519_prefix), VOUCH_X25519_BYTES);
	rv = VOUCH_OK;
 out:
	pem_block_free(&b);
	return rv;
}

enum vouch_err
vouch_x25519_pub_from_pem(struct vouch_ctx *ctx, const char *pem, size_t len,
    uint8_t pub[VOUCH_X25519_BYTES])
{
	return pub_from_pem(ctx, "x25519", pem, len, pub);
}

enum vouch_err
vouch_x25519_read_pub_pem(struct vouch_ctx *ctx, const char *path,
    uint8_t pub[VOUCH_X25519_BYTES])
{
	enum vouch_err rv;
	uint8_t *buf = NULL;
	size_t len = 0;

	rv = vouch_file_read(ctx, path, VOUCH_PEM_FILE_MAX_BYTES, &buf, &len);
	if (rv != VOUCH_OK) {
		return rv;
	}
	rv = pub_from_pem(ctx, path, (const char *)buf, len, pub);
	free(buf);
	return rv;
}

enum vouch_err
vouch_x25519_read_priv_pem(struct vouch_ctx *ctx, const char *path,
    uint8_t priv[VOUCH_X25519_BYTES])
{
	enum vouch_err rv;
	struct pem_block b;
	uint8_t *buf = NULL;
	size_t len = 0, klen = VOUCH_X25519_BYTES;
	const unsigned char *p;
	PKCS8_PRIV_KEY_INFO *p8 = NULL;
	EVP_PKEY *k = NULL;

	memset(&b, 0, sizeof(b));
	rv = vouch_file_read(ctx, path, VOUCH_PEM_FILE_MAX_BYTES, &buf, &len);
	if (rv != VOUCH_OK) {
		return rv;
	}
	rv = pem_one_block(ctx, path, buf, len, "PRIVATE KEY", &b);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = VOUCH_ERR_BAD_KEY;
	p = b.data;
	p8 = d2i_PKCS8_PRIV_KEY_INFO(NULL, &p, b.len);
	if (p8 == NULL || p != b.data + b.len) {
		rv = vouch_fail(ctx, VOUCH_ERR_BAD_KEY,
		    "%s: malformed PKCS#8", path);
		goto out;
	}
	k = EVP_PKCS82PKEY(p8);
	if (k == NULL || EVP_PKEY_get_id(k) != EVP_PKEY_X25519) {
		rv = vouch_fail(ctx, VOUCH_ERR_BAD_KEY,
		    "%s: not an X25519 private key", path);
		goto out;
	}
	if (EVP_PKEY_get_raw_private_key(k, priv, &klen) != 1 ||
	    klen != VOUCH_X25519_BYTES) {
		rv = vouch_fail(ctx, VOUCH_ERR_BAD_KEY,
		    "%s: cannot read the X25519 private key", path);
		goto out;
	}
	rv = VOUCH_OK;
 out:
	if (rv != VOUCH_OK) {
		vouch_wipe(priv, VOUCH_X25519_BYTES);
	}
	/* Both clear the key material they hold when freed. */
	EVP_PKEY_free(k);
	PKCS8_PRIV_KEY_INFO_free(p8);
	pem_block_free(&b);
	/* vouch_file_read allocates len + 1 bytes. */
	vouch_freezero(buf, len + 1);
	ERR_clear_error();
	return rv;
}

enum vouch_err
vouch_x25519_write_priv_pem(struct vouch_ctx *ctx, const char *path,
    const uint8_t priv[VOUCH_X25519_BYTES])
{
	enum vouch_err rv;
	EVP_PKEY *k;

	k = x25519_priv_key(priv);
	if (k == NULL) {
		ERR_clear_error();
		return vouch_fail(ctx, VOUCH_ERR_CRYPTO,
		    "x25519: cannot load the private key");
	}
	/* PKCS#8 PEM through a secure-heap BIO, written 0600 atomically. */
	rv = vouch_key_write_pem(ctx, path, k);
	EVP_PKEY_free(k);
	ERR_clear_error();
	return rv;
}

enum vouch_err
vouch_x25519_write_pub_pem(struct vouch_ctx *ctx, const char *path,
    const uint8_t pub[VOUCH_X25519_BYTES])
{
	enum vouch_err rv = VOUCH_ERR_CRYPTO;
	EVP_PKEY *k;
	BIO *bio = NULL;
	char *data = NULL;
	long len;

	k = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, NULL, pub,
	    VOUCH_X25519_BYTES);
	bio = BIO_new(BIO_s_mem());
	if (k == NULL || bio == NULL) {
		rv = vouch_fail(ctx, VOUCH_ERR_CRYPTO,
		    "x25519: cannot load the public key");
		goto out;
	}
	if (PEM_write_bio_PUBKEY(bio, k) != 1) {
		rv = vouch_fail(ctx, VOUCH_ERR_CRYPTO,
		    "x25519: cannot encode the public key");
		goto out;
	}
	len = BIO_get_mem_data(bio, &data);
	if (len <= 0) {
		rv = vouch_fail(ctx, VOUCH_ERR_CRYPTO,
		    "x25519: cannot encode the public key");
		goto out;
	}
	rv = vouch_file_write(ctx, path, (const uint8_t *)data, (size_t)len,
	    0644);
 out:
	BIO_free(bio);
	EVP_PKEY_free(k);
	ERR_clear_error();
	return rv;
}
