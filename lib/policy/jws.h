/* SPDX-License-Identifier: Apache-2.0 */
/*
 * jws: the signed policy envelope, a JWS in the flattened JSON
 * serialization (RFC 7515 §7.2.2) with exactly three members:
 *
 *   {"payload":   BASE64URL(policy bytes),
 *    "protected": BASE64URL({"alg":"ES384","kid":"<hex>","typ":"vouch-policy+json"}),
 *    "signature": BASE64URL(r || s)}
 *
 * The signature is ECDSA P-384 with SHA-384 over the ASCII bytes
 * protected || "." || payload exactly as they appear in the envelope
 * (RFC 7515 §5.1), as 96 raw bytes (RFC 7518 §3.4).  "kid" is the
 * lower-case hex SHA-256 of the signer's DER SubjectPublicKeyInfo.
 * BASE64URL is RFC 4648 §5 without padding.  docs/policy.md has the
 * details and the list of what verification rejects.
 */
#ifndef VOUCH_POLICY_JWS_H
#define VOUCH_POLICY_JWS_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "internal.h"

/* The only algorithm accepted or produced. */
#define VOUCH_POLICY_JWS_ALG		"ES384"
/* The "typ" header value of a signed policy. */
#define VOUCH_POLICY_JWS_TYP		"vouch-policy+json"
/* Largest signed envelope: a VOUCH_POLICY_MAX_BYTES policy in base64url. */
#define VOUCH_POLICY_SIGNED_MAX_BYTES	(384u * 1024u)
/* Largest decoded protected header. */
#define VOUCH_POLICY_JWS_HEADER_MAX	1024

/*
 * vouch_policy_sign validates the |len|-byte policy at |policy| with
 * vouch_policy_parse (so an unknown key or claim fails here, with that
 * function's code), then signs it with the P-384 private key |key|.  On
 * VOUCH_OK |*out_json| is a malloc'd NUL-terminated envelope, compact
 * JSON with sorted keys, that the caller frees with free(); on failure it
 * is NULL.  A key that is not P-384 is VOUCH_ERR_BAD_KEY.  The policy is
 * not checked for expiry.
 */
enum vouch_err	vouch_policy_sign(struct vouch_ctx *ctx, EVP_PKEY *key,
		    const uint8_t *policy, size_t len, char **out_json)
		    VOUCH_MUST_CHECK;

/*
 * vouch_policy_verify_signed checks the |len|-byte envelope at |buf|
 * against the P-384 public key |pub| (the domain root's key; the header
 * never chooses the key).  On VOUCH_OK |*out_payload| is a malloc'd copy
 * of the signed policy bytes (|*out_len| of them; free with free()), which
 * the caller then gives to vouch_policy_parse.  On failure the outputs are
 * NULL and 0.  Returns:
 *   VOUCH_ERR_TOO_LARGE  the envelope exceeds VOUCH_POLICY_SIGNED_MAX_BYTES
 *                        or the payload VOUCH_POLICY_MAX_BYTES
 *   VOUCH_ERR_BAD_JSON, VOUCH_ERR_DUPLICATE_KEY  the envelope is not JSON
 *   VOUCH_ERR_BAD_KEY    |pub| is not a P-384 key
 *   VOUCH_ERR_POLICY_SIGNATURE  anything else: a member other than the
 *                        three, a missing or non-string member, base64url
 *                        that is not strict (padding, '+', '/', bad
 *                        trailing bits), a protected header that is not
 *                        {"alg":"ES384","typ":"vouch-policy+json"} plus an
 *                        optional "kid" (so "crit", "jku", "x5u", ... are
 *                        rejected), a "kid" that is not |pub|'s, a
 *                        signature that is not 96 bytes or does not verify,
 *                        an empty payload
 *   VOUCH_ERR_NO_MEMORY, VOUCH_ERR_INVALID_ARGUMENT
 */
enum vouch_err	vouch_policy_verify_signed(struct vouch_ctx *ctx,
		    EVP_PKEY *pub, const uint8_t *buf, size_t len,
		    uint8_t **out_payload, size_t *out_len) VOUCH_MUST_CHECK;

#endif
