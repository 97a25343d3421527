/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A public key prepared for many ECDSA verifications (P-256 with SHA-256,
 * P-384 with SHA-384), raw r||s signatures: the OpenSSL context is set up
 * once, each verification hashes, encodes the signature as DER and calls
 * EVP_PKEY_verify — what `openssl speed` measures, plus the hash.  The
 * hot path of the DCAP verifier (dcap.c keeps one per cached PCK and
 * attestation key).  Not for concurrent use from several threads.
 */
#ifndef VOUCH_ECVERIFY_H
#define VOUCH_ECVERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "internal.h"

struct vouch_ec_verifier;

/*
 * vouch_ec_pubkey_from_xy makes a public key from the raw affine point
 * x || y (64 bytes: P-256, 96: P-384, big-endian), refusing a point off
 * the curve (VOUCH_ERR_BAD_KEY).  Quotes and reports carry keys this way.
 */
enum vouch_err	vouch_ec_pubkey_from_xy(struct vouch_ctx *ctx,
		    const uint8_t *xy, size_t n, EVP_PKEY **out) VOUCH_MUST_CHECK;

/* |key| must be P-256 or P-384 (VOUCH_ERR_BAD_KEY); it is up-referenced. */
enum vouch_err	vouch_ec_verifier_new(struct vouch_ctx *ctx, EVP_PKEY *key,
		    struct vouch_ec_verifier **out) VOUCH_MUST_CHECK;
void		vouch_ec_verifier_free(struct vouch_ec_verifier *v);
/* The key the verifier was made for (borrowed). */
EVP_PKEY	*vouch_ec_verifier_key(const struct vouch_ec_verifier *v);
/*
 * True when |sig| (|sig_len| bytes: r || s, each as wide as the curve
 * order, big-endian) is a valid signature of |msg|.
 */
bool		vouch_ec_verifier_verify(struct vouch_ec_verifier *v,
		    const uint8_t *msg, size_t n, const uint8_t *sig,
		    size_t sig_len);

#endif
