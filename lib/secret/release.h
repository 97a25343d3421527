/* SPDX-License-Identifier: Apache-2.0 */
/*
 * release: secure key release from vouchd (docs/secrets.md), the pieces
 * the client (lib/secret/release.c, vouch_secret_get, "vouch secret get")
 * and the daemon (daemon/secrets.c) share, so both sides compute the
 * binding, the HPKE info and the AAD from one definition.
 *
 *   report_data = vouch_bind("vouch-release-v1",
 *                            { nonce (32), X25519 public key (32 raw),
 *                              secret name (UTF-8) [, profile] })
 *   HPKE base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM
 *   info = "vouch-release-v1" || name
 *   aad  = u64be(version) || name
 *   sealed = enc (32) || ciphertext || tag (16)
 */
#ifndef VOUCH_RELEASE_H
#define VOUCH_RELEASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/crypto.h"
#include "crypto/hpke.h"
#include "internal.h"
#include "vouch.h"

/* Bytes of the challenge nonce bound into a release. */
#define VOUCH_RELEASE_NONCE_BYTES	32
/* HPKE suite of a release. */
#define VOUCH_RELEASE_AEAD		VOUCH_HPKE_AES_256_GCM
/* Longest info and aad. */
#define VOUCH_RELEASE_INFO_MAX \
	(sizeof(VOUCH_BIND_RELEASE) - 1 + VOUCH_SECRET_NAME_MAX)
#define VOUCH_RELEASE_AAD_MAX		(8 + VOUCH_SECRET_NAME_MAX)
/* Largest "sealed" value: enc, the largest secret, the tag. */
#define VOUCH_RELEASE_SEALED_MAX \
	(VOUCH_HPKE_ENC_BYTES + VOUCH_SECRET_MAX_BYTES + VOUCH_HPKE_TAG_BYTES)
/* Length of an X25519 SubjectPublicKeyInfo PEM block, with the NUL. */
#define VOUCH_X25519_PEM_MAX		128
/*
 * The secret whose value seeds sealing keys on platforms without a
 * derived sealing key (vouch_secret_seal_key).
 */
#define VOUCH_SEAL_SECRET_NAME		"vouch-seal-key"

struct vouch_attester;

/* A secret or release rule name: 1 to 64 bytes of [A-Za-z0-9._-]. */
bool	vouch_secret_name_valid(const char *s, size_t len);

/* The binding above; a NULL |profile| leaves the fourth part out. */
void	vouch_bind_release(const uint8_t nonce[VOUCH_RELEASE_NONCE_BYTES],
	    const uint8_t pub[VOUCH_X25519_BYTES], const char *name,
	    const char *profile, uint8_t out[VOUCH_SHA512_BYTES]);

/*
 * The HPKE info and aad of a release of |name| (a valid name), |version|
 * (>= 1) into |out| (VOUCH_RELEASE_INFO_MAX / VOUCH_RELEASE_AAD_MAX
 * bytes); they return the length.
 */
size_t	vouch_release_info(const char *name, uint8_t *out);
size_t	vouch_release_aad(const char *name, int64_t version, uint8_t *out);

/* |pub| as a SubjectPublicKeyInfo PEM block (RFC 8410) into |out|. */
bool	vouch_x25519_pub_to_pem(const uint8_t pub[VOUCH_X25519_BYTES],
	    char *out, size_t cap);

/*
 * vouch_secret_release_exchange runs the release protocol with vouchd at
 * |service_url| (TLS trusting only |domain_root_path|): challenge, a
 * fresh X25519 key, evidence from |att| binding nonce, key, |name| and
 * |profile| (may be NULL), POST /v1/secrets/<name>/release, and HPKE open
 * with the ephemeral key, which is wiped before returning.  On VOUCH_OK
 * |*out| (malloc'd, at least one byte; wipe and free it, e.g. with
 * vouch_secret_free) holds the value and |*out_version| (may be NULL)
 * its version.  A 403 is VOUCH_ERR_POLICY_DENIED with vouchd's problem
 * code in the detail; an answer that does not open
 * VOUCH_ERR_SIGNATURE_INVALID; other statuses VOUCH_ERR_NETWORK.
 */
enum vouch_err	vouch_secret_release_exchange(struct vouch_ctx *ctx,
		    const char *service_url, const char *domain_root_path,
		    const struct vouch_attester *att, const char *name,
		    const char *profile, uint8_t **out, size_t *out_len,
		    int64_t *out_version) VOUCH_MUST_CHECK;

/*
 * vouch_secret_seal_key is the seal_key of a platform backend that has
 * no key derived by the hardware (struct vouch_backend in
 * vouch_internal.h): it releases VOUCH_SEAL_SECRET_NAME (at least 32
 * bytes) from vouchd and derives
 *   key = HKDF-SHA256(IKM = that value, salt = "vouch-seal-v1",
 *                     info = measurement, L = 32)
 * exactly as the sim platform derives its key from its sealing secret.
 * Each call asks vouchd.  The caller wipes |key|.
 */
enum vouch_err	vouch_secret_seal_key(struct vouch *v, uint8_t key[32])
		    VOUCH_MUST_CHECK;

#endif
