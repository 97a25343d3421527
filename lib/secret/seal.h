/* SPDX-License-Identifier: Apache-2.0 */
/*
 * seal: data only this program (same measurement) on this platform can
 * read back, and the HKDF/AEAD primitives it is built on.
 *
 * Sealed format, version 1 (docs/sealing.md):
 *
 *   offset  size  field
 *   0       1     version, 0x01
 *   1       12    nonce, random per seal
 *   13      n     ciphertext (AES-256-GCM), as long as the plaintext
 *   13+n    16    GCM tag
 *
 *   key = HKDF-SHA256(IKM = platform sealing secret,
 *                     salt = "vouch-seal-v1", info = measurement, L = 32)
 *   AAD = "vouch-seal-v1" || measurement
 *
 * On the sim platform the sealing secret is the 32 bytes of
 * <sim_dir>/seal-secret.bin (SIM_FILE_SEAL_SECRET).
 */
#ifndef VOUCH_SEAL_H
#define VOUCH_SEAL_H

#include <stddef.h>
#include <stdint.h>

#include "internal.h"

#define VOUCH_SEAL_FORMAT_V1	0x01u
#define VOUCH_SEAL_LABEL	"vouch-seal-v1"
#define VOUCH_SEAL_KEY_BYTES	32
#define VOUCH_GCM_NONCE_BYTES	12
#define VOUCH_GCM_TAG_BYTES	16
/* Bytes a sealed blob adds to its plaintext. */
#define VOUCH_SEAL_OVERHEAD	(1 + VOUCH_GCM_NONCE_BYTES + VOUCH_GCM_TAG_BYTES)
/* Longest measurement bound into a seal (VOUCH_MEASUREMENT_MAX_BYTES). */
#define VOUCH_SEAL_MEASUREMENT_MAX 64

/*
 * vouch_hkdf_sha256 is RFC 5869 HKDF-Extract-and-Expand with SHA-256:
 * |out_len| (1..8160) bytes into |out|.  |salt| and |info| may be empty.
 */
enum vouch_err	vouch_hkdf_sha256(struct vouch_ctx *ctx, const uint8_t *salt,
		    size_t salt_len, const uint8_t *ikm, size_t ikm_len,
		    const uint8_t *info, size_t info_len, uint8_t *out,
		    size_t out_len) VOUCH_MUST_CHECK;

/*
 * vouch_aes256gcm_encrypt encrypts |n| bytes of |in| into |out| (|n|
 * bytes; may equal |in|) and writes the tag.  |n| and |aad_len| are at
 * most INT_MAX.
 */
enum vouch_err	vouch_aes256gcm_encrypt(struct vouch_ctx *ctx,
		    const uint8_t key[VOUCH_SEAL_KEY_BYTES],
		    const uint8_t nonce[VOUCH_GCM_NONCE_BYTES],
		    const uint8_t *aad, size_t aad_len, const uint8_t *in,
		    size_t n, uint8_t *out, uint8_t tag[VOUCH_GCM_TAG_BYTES])
		    VOUCH_MUST_CHECK;
/*
 * vouch_aes256gcm_decrypt reverses it.  A tag that does not verify is
 * VOUCH_ERR_SIGNATURE_INVALID and leaves |out| zeroed: nothing of an
 * unauthenticated plaintext is ever handed out.
 */
enum vouch_err	vouch_aes256gcm_decrypt(struct vouch_ctx *ctx,
		    const uint8_t key[VOUCH_SEAL_KEY_BYTES],
		    const uint8_t nonce[VOUCH_GCM_NONCE_BYTES],
		    const uint8_t *aad, size_t aad_len, const uint8_t *in,
		    size_t n, const uint8_t tag[VOUCH_GCM_TAG_BYTES],
		    uint8_t *out) VOUCH_MUST_CHECK;

/*
 * vouch_seal_key_derive is how every platform turns its secret into the
 * sealing key of a program (docs/sealing.md):
 *   key = HKDF-SHA256(salt = "vouch-seal-v1", IKM = |ikm|,
 *                     info = |measurement|, L = 32)
 * The sim platform's secret file, the SEV-SNP derived key, the SGX seal
 * key, and (in vouchd) the value of vouch-seal-key for platforms with
 * none.  The caller wipes |key|.
 */
enum vouch_err	vouch_seal_key_derive(struct vouch_ctx *ctx,
		    const uint8_t *ikm, size_t ikm_len,
		    const uint8_t *measurement, size_t mlen,
		    uint8_t key[VOUCH_SEAL_KEY_BYTES]) VOUCH_MUST_CHECK;

/*
 * seal_sim_key derives the sealing key of the program measured
 * |measurement| (1..VOUCH_SEAL_MEASUREMENT_MAX bytes) on the sim platform
 * in |sim_dir|.  The caller wipes |key|.
 */
enum vouch_err	seal_sim_key(struct vouch_ctx *ctx, const char *sim_dir,
		    const uint8_t *measurement, size_t mlen,
		    uint8_t key[VOUCH_SEAL_KEY_BYTES]) VOUCH_MUST_CHECK;

/*
 * seal_encrypt seals |n| bytes (at most VOUCH_SEAL_MAX_BYTES) under |key|
 * for |measurement| in the version 1 format.  |*out| is malloc'd (free
 * with free()); NULL on failure.
 */
enum vouch_err	seal_encrypt(struct vouch_ctx *ctx,
		    const uint8_t key[VOUCH_SEAL_KEY_BYTES],
		    const uint8_t *measurement, size_t mlen, const uint8_t *in,
		    size_t n, uint8_t **out, size_t *out_len) VOUCH_MUST_CHECK;
/*
 * seal_decrypt opens a sealed blob.  Anything that is not an authentic
 * version 1 blob for |key| and |measurement| (too short, another version,
 * a modified byte, another key or measurement) is
 * VOUCH_ERR_SIGNATURE_INVALID, the detail saying which.  |*out| is
 * malloc'd (at least one byte, so never NULL on success); the caller
 * wipes it when it holds secrets.
 */
enum vouch_err	seal_decrypt(struct vouch_ctx *ctx,
		    const uint8_t key[VOUCH_SEAL_KEY_BYTES],
		    const uint8_t *measurement, size_t mlen, const uint8_t *in,
		    size_t n, uint8_t **out, size_t *out_len) VOUCH_MUST_CHECK;

#endif
