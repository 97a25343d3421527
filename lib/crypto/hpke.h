/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hpke: RFC 9180 Hybrid Public Key Encryption, base mode only, on
 * OpenSSL 3.0 primitives (OpenSSL 3.0 has no HPKE API).
 *
 *   KEM  DHKEM(X25519, HKDF-SHA256)   0x0020 (RFC 9180 §4.1, §7.1)
 *   KDF  HKDF-SHA256                  0x0001
 *   AEAD AES-128-GCM 0x0001, AES-256-GCM 0x0002,
 *        ChaCha20-Poly1305 0x0003, export-only 0xFFFF (§7.3)
 *
 * Keys are raw 32-byte X25519 scalars and points (RFC 7748 encoding).
 * Every secret a context holds is wiped by vouch_hpke_free.
 */
#ifndef VOUCH_HPKE_H
#define VOUCH_HPKE_H

#include <stddef.h>
#include <stdint.h>

#include "internal.h"

#define VOUCH_X25519_BYTES		32
/* Nenc, Npk, Nsk of DHKEM(X25519, HKDF-SHA256). */
#define VOUCH_HPKE_ENC_BYTES		32
/* Nt of every supported AEAD. */
#define VOUCH_HPKE_TAG_BYTES		16
#define VOUCH_HPKE_KEM_X25519_SHA256	0x0020u
#define VOUCH_HPKE_KDF_HKDF_SHA256	0x0001u
/*
 * Longest info and exporter_context accepted (RFC 9180 §7.2.1 allows far
 * more; longer input is VOUCH_ERR_TOO_LARGE).
 */
#define VOUCH_HPKE_INFO_MAX_BYTES	65536

enum vouch_hpke_aead {
	VOUCH_HPKE_AES_128_GCM		= 0x0001,
	VOUCH_HPKE_AES_256_GCM		= 0x0002,
	VOUCH_HPKE_CHACHA20_POLY1305	= 0x0003,
	VOUCH_HPKE_EXPORT_ONLY		= 0xFFFF,
};

struct vouch_hpke;	/* one sender or recipient context (§5.1) */

/* A fresh X25519 key pair. */
enum vouch_err	vouch_x25519_keygen(struct vouch_ctx *ctx,
		    uint8_t priv[VOUCH_X25519_BYTES],
		    uint8_t pub[VOUCH_X25519_BYTES]) VOUCH_MUST_CHECK;
/* The public key of |priv|. */
enum vouch_err	vouch_x25519_public(struct vouch_ctx *ctx,
		    const uint8_t priv[VOUCH_X25519_BYTES],
		    uint8_t pub[VOUCH_X25519_BYTES]) VOUCH_MUST_CHECK;
/*
 * X25519 keys in files: the private key as PKCS#8 PEM written with mode
 * 0600 atomically, the public key as SubjectPublicKeyInfo PEM.  Reading
 * a file that holds anything else (another key type, two keys, garbage)
 * is VOUCH_ERR_BAD_KEY.  The caller wipes |priv|.
 */
enum vouch_err	vouch_x25519_write_priv_pem(struct vouch_ctx *ctx,
		    const char *path, const uint8_t priv[VOUCH_X25519_BYTES])
		    VOUCH_MUST_CHECK;
enum vouch_err	vouch_x25519_write_pub_pem(struct vouch_ctx *ctx,
		    const char *path, const uint8_t pub[VOUCH_X25519_BYTES])
		    VOUCH_MUST_CHECK;
enum vouch_err	vouch_x25519_read_priv_pem(struct vouch_ctx *ctx,
		    const char *path, uint8_t priv[VOUCH_X25519_BYTES])
		    VOUCH_MUST_CHECK;
enum vouch_err	vouch_x25519_read_pub_pem(struct vouch_ctx *ctx,
		    const char *path, uint8_t pub[VOUCH_X25519_BYTES])
		    VOUCH_MUST_CHECK;
/* The public key from SubjectPublicKeyInfo PEM text in memory. */
enum vouch_err	vouch_x25519_pub_from_pem(struct vouch_ctx *ctx,
		    const char *pem, size_t len, uint8_t pub[VOUCH_X25519_BYTES])
		    VOUCH_MUST_CHECK;
/* DeriveKeyPair(ikm) of §7.1.3 (the test vectors' keys). */
enum vouch_err	vouch_hpke_derive_keypair(struct vouch_ctx *ctx,
		    const uint8_t *ikm, size_t ikm_len,
		    uint8_t priv[VOUCH_X25519_BYTES],
		    uint8_t pub[VOUCH_X25519_BYTES]) VOUCH_MUST_CHECK;

/*
 * SetupBaseS (§5.1.1): encapsulate to |pk_r| and write |enc|.  The
 * ephemeral key is random unless |ikm_e| is given (test vectors only:
 * DeriveKeyPair(ikm_e)).  An all-zero shared secret (a low-order |pk_r|)
 * is VOUCH_ERR_BAD_KEY (§7.1.4).
 */
enum vouch_err	vouch_hpke_setup_sender(struct vouch_ctx *ctx,
		    enum vouch_hpke_aead aead,
		    const uint8_t pk_r[VOUCH_X25519_BYTES],
		    const uint8_t *info, size_t info_len,
		    const uint8_t *ikm_e, size_t ikm_e_len,
		    uint8_t enc[VOUCH_HPKE_ENC_BYTES],
		    struct vouch_hpke **out) VOUCH_MUST_CHECK;
/* SetupBaseR (§5.1.1). */
enum vouch_err	vouch_hpke_setup_recipient(struct vouch_ctx *ctx,
		    enum vouch_hpke_aead aead,
		    const uint8_t enc[VOUCH_HPKE_ENC_BYTES],
		    const uint8_t sk_r[VOUCH_X25519_BYTES],
		    const uint8_t *info, size_t info_len,
		    struct vouch_hpke **out) VOUCH_MUST_CHECK;
/*
 * ContextS.Seal (§5.2): |ct| receives |pt_len| + VOUCH_HPKE_TAG_BYTES
 * bytes.  The sequence number advances; its overflow is VOUCH_ERR_STATE.
 * Export-only contexts and recipient contexts refuse (VOUCH_ERR_STATE).
 */
enum vouch_err	vouch_hpke_seal(struct vouch_ctx *ctx, struct vouch_hpke *h,
		    const uint8_t *aad, size_t aad_len, const uint8_t *pt,
		    size_t pt_len, uint8_t *ct) VOUCH_MUST_CHECK;
/*
 * ContextR.Open (§5.2): |pt| receives |ct_len| - VOUCH_HPKE_TAG_BYTES
 * bytes.  A tag that does not verify is VOUCH_ERR_SIGNATURE_INVALID, the
 * sequence number does not advance and |pt| is zeroed.
 */
enum vouch_err	vouch_hpke_open(struct vouch_ctx *ctx, struct vouch_hpke *h,
		    const uint8_t *aad, size_t aad_len, const uint8_t *ct,
		    size_t ct_len, uint8_t *pt) VOUCH_MUST_CHECK;
/* Context.Export (§5.3): |out_len| (1..8160) bytes. */
enum vouch_err	vouch_hpke_export(struct vouch_ctx *ctx, struct vouch_hpke *h,
		    const uint8_t *exporter_context, size_t exporter_context_len,
		    uint8_t *out, size_t out_len) VOUCH_MUST_CHECK;
/* Wipe and free; NULL is fine. */
void		vouch_hpke_free(struct vouch_hpke *h);

/*
 * Single-shot APIs (§6.1).  The output is enc || ciphertext, malloc'd
 * (free with free(); vouch_hpke_open_base's output is wiped by the caller
 * when it holds secrets).  Inputs shorter than enc plus a tag are
 * VOUCH_ERR_TRUNCATED; a wrong key, info, aad or any modified byte is
 * VOUCH_ERR_SIGNATURE_INVALID (so is an enc that is a low-order point,
 * which vouch_hpke_setup_recipient reports as VOUCH_ERR_BAD_KEY).  The
 * export-only AEAD is VOUCH_ERR_STATE for both.
 */
enum vouch_err	vouch_hpke_seal_base(struct vouch_ctx *ctx,
		    enum vouch_hpke_aead aead,
		    const uint8_t pk_r[VOUCH_X25519_BYTES],
		    const uint8_t *info, size_t info_len,
		    const uint8_t *aad, size_t aad_len,
		    const uint8_t *pt, size_t pt_len,
		    uint8_t **out, size_t *out_len) VOUCH_MUST_CHECK;
enum vouch_err	vouch_hpke_open_base(struct vouch_ctx *ctx,
		    enum vouch_hpke_aead aead,
		    const uint8_t sk_r[VOUCH_X25519_BYTES],
		    const uint8_t *info, size_t info_len,
		    const uint8_t *aad, size_t aad_len,
		    const uint8_t *in, size_t in_len,
		    uint8_t **out, size_t *out_len) VOUCH_MUST_CHECK;

#endif
