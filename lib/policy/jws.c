/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The signed policy envelope: JWS flattened JSON serialization
 * (RFC 7515 §7.2.2) with ES384 only.  The algorithm is fixed by this code,
 * never chosen by the header, and the key is the caller's: the header can
 * only confirm it ("kid"), never select it.  The bytes verified are the
 * two base64url strings exactly as received (RFC 7515 §5.2 step 8), never
 * re-encoded.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bs/bs.h"
#include "bs/json.h"
#include "crypto/crypto.h"
#include "policy/jws.h"
#include "policy/policy.h"

/* 96 signature bytes are exactly 128 base64url characters. */
#define JWS_SIG_B64_LEN		128
#define JWS_KID_HEX_LEN		(2 * VOUCH_SHA256_BYTES)
/* The header this code writes is about 120 bytes. */
#define JWS_HEADER_OUT_MAX	256

static enum vouch_err	jws_fail(struct vouch_ctx *ctx, const char *fmt,
			    ...) VOUCH_PRINTF(2, 3);

/* Fail with VOUCH_ERR_POLICY_SIGNATURE: "policy signature: <detail>". */
static enum vouch_err
jws_fail(struct vouch_ctx *ctx, const char *fmt, ...)
{
	char detail[VOUCH_ERRMSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	return vouch_fail(ctx, VOUCH_ERR_POLICY_SIGNATURE,
	    "policy signature: %s", detail);
}

/*
 * Re-raise the detail already in |ctx| as |code| under our prefix; the
 * detail is copied first because vouch_fail rewrites that buffer.
 */
static enum vouch_err
jws_refail(struct vouch_ctx *ctx, enum vouch_err code, const char *what)
{
	char detail[VOUCH_ERRMSG_MAX];
	size_t n;

	n = strnlen(vouch_error(ctx), sizeof(detail) - 1);
	memcpy(detail, vouch_error(ctx), n);
	detail[n] = '\0';
	return vouch_fail(ctx, code, "policy signature: %s: %s", what, detail);
}

/* True when the JSON string |v| is exactly |want|. */
static bool
jws_str_eq(const json_t *v, const char *want)
{
	size_t n = strlen(want);

	return json_is_string(v) && json_string_length(v) == n &&
	    memcmp(json_string_value(v), want, n) == 0;
}

/* The string member |key| of |obj|: pointer and length, no NUL needed. */
static bool
jws_get_str(const json_t *obj, const char *key, const char **out,
    size_t *out_len)
{
	const json_t *v = json_object_get(obj, key);

	if (!json_is_string(v)) {
		return false;
	}
	*out = json_string_value(v);
	*out_len = json_string_length(v);
	return true;
}

enum vouch_err
vouch_policy_sign(struct vouch_ctx *ctx, EVP_PKEY *key, const uint8_t *policy,
    size_t len, char **out_json)
{
	enum vouch_err rv = VOUCH_ERR_INTERNAL;	/* fail closed */
	struct vouch_policy *pol = NULL;
	uint8_t spki[VOUCH_SHA256_BYTES], sig[VOUCH_P384_SIG_BYTES];
	char kid[JWS_KID_HEX_LEN + 1], hdr[JWS_HEADER_OUT_MAX];
	char sig64[JWS_SIG_B64_LEN + 1];
	char *input = NULL;
	json_t *env = NULL;
	size_t hlen, plen, paylen, inlen;
	int n;

	if (out_json == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "policy signature: no output");
	}
	*out_json = NULL;
	if (key == NULL || (policy == NULL && len > 0)) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "policy signature: no key or no policy");
	}
	if (!vouch_key_is_p384(key)) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_KEY,
		    "policy signature: the signing key is not ECDSA P-384");
	}
	/* Never sign what a verifier would refuse to load. */
	rv = vouch_policy_parse(ctx, policy, len, &pol);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = vouch_key_spki_sha256(ctx, key, spki);
	if (rv != VOUCH_OK) {
		goto out;
	}
	if (!vouch_hex_encode(spki, sizeof(spki), kid, sizeof(kid))) {
		rv = vouch_fail(ctx, VOUCH_ERR_INTERNAL,
		    "policy signature: kid encoding");
		goto out;
	}
	n = snprintf(hdr, sizeof(hdr), "{\"alg\":\"%s\",\"kid\":\"%s\","
	    "\"typ\":\"%s\"}", VOUCH_POLICY_JWS_ALG, kid,
	    VOUCH_POLICY_JWS_TYP);
	if (n < 0 || (size_t)n >= sizeof(hdr)) {
		rv = vouch_fail(ctx, VOUCH_ERR_INTERNAL,
		    "policy signature: header too long");
		goto out;
	}
	hlen = (size_t)n;

	/*= RFC 7515 §5.1
	 *# Compute the JWS Signature in the manner defined for the
	 *# particular algorithm being used over the JWS Signing Input
	 *# ASCII(BASE64URL(UTF8(JWS Protected Header)) || '.' ||
	 *# BASE64URL(JWS Payload)). */
	plen = vouch_b64_encoded_len(hlen, true);
	paylen = vouch_b64_encoded_len(len, true);
	/* Both are small (the policy was size-checked); check anyway. */
	if (plen == 0 || paylen == 0 || paylen > SIZE_MAX - plen - 2) {
		rv = vouch_fail(ctx, VOUCH_ERR_TOO_LARGE,
		    "policy signature: policy too large");
		goto out;
	}
	inlen = plen + 1 + paylen;
	input = malloc(inlen + 1);
	if (input == NULL) {
		rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY,
		    "policy signature: out of memory");
		goto out;
	}
	if (!vouch_b64_encode((const uint8_t *)hdr, hlen, true, input,
	    plen + 1) ||
	    !vouch_b64_encode(policy, len, true, input + plen + 1,
	    paylen + 1)) {
		rv = vouch_fail(ctx, VOUCH_ERR_INTERNAL,
		    "policy signature: base64url encoding");
		goto out;
	}
	input[plen] = '.';
	rv = vouch_ecdsa_sign_raw(ctx, key, (const uint8_t *)input, inlen, sig,
	    sizeof(sig));
	if (rv != VOUCH_OK) {
		goto out;
	}
	if (!vouch_b64_encode(sig, sizeof(sig), true, sig64, sizeof(sig64))) {
		rv = vouch_fail(ctx, VOUCH_ERR_INTERNAL,
		    "policy signature: base64url encoding");
		goto out;
	}

	env = json_object();
	if (env == NULL ||
	    json_object_set_new(env, "payload",
	    json_stringn(input + plen + 1, paylen)) != 0 ||
	    json_object_set_new(env, "protected",
	    json_stringn(input, plen)) != 0 ||
	    json_object_set_new(env, "signature",
	    json_stringn(sig64, JWS_SIG_B64_LEN)) != 0) {
		rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY,
		    "policy signature: out of memory");
		goto out;
	}
	*out_json = vouch_json_dump(env);
	if (*out_json == NULL) {
		rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY,
		    "policy signature: out of memory");
		goto out;
	}
	rv = VOUCH_OK;
 out:
	json_decref(env);
	free(input);
	vouch_policy_free(pol);
	return rv;
}

/*
 * The protected header: {"alg":"ES384","typ":"vouch-policy+json"} and an
 * optional "kid" that must name |pub|.
 */
static enum vouch_err
jws_check_header(struct vouch_ctx *ctx, EVP_PKEY *pub, const char *prot,
    size_t prot_len)
{
	static const char *const keys[] = { "alg", "kid", "typ", NULL };
	enum vouch_err rv = VOUCH_ERR_POLICY_SIGNATURE;	/* fail closed */
	uint8_t hdr[VOUCH_POLICY_JWS_HEADER_MAX];
	uint8_t spki[VOUCH_SHA256_BYTES], want[VOUCH_SHA256_BYTES];
	const json_t *kid;
	json_t *h = NULL;
	size_t hlen, n;

	if (prot_len == 0 || vouch_b64_decoded_max(prot_len) > sizeof(hdr) ||
	    !vouch_b64_decode(prot, prot_len, true, hdr, sizeof(hdr), &hlen)) {
		rv = jws_fail(ctx, "protected header is not strict base64url "
		    "of at most %d bytes", VOUCH_POLICY_JWS_HEADER_MAX);
		goto out;
	}
	rv = vouch_json_load(ctx, hdr, hlen, sizeof(hdr), &h);
	if (rv != VOUCH_OK) {
		rv = jws_refail(ctx, VOUCH_ERR_POLICY_SIGNATURE,
		    "protected header");
		goto out;
	}
	if (!json_is_object(h)) {
		rv = jws_fail(ctx, "protected header is not a JSON object");
		goto out;
	}
	/*= RFC 7515 §4.1.11
	 *# If any of the listed extension Header Parameters are not
	 *# understood and supported by the recipient, then the JWS is
	 *# invalid.
	 * We support none, so "crit" itself is refused. */
	if (json_object_get(h, "crit") != NULL) {
		rv = jws_fail(ctx, "protected header: \"crit\" is not "
		    "supported");
		goto out;
	}
	rv = vouch_json_check_keys(ctx, h, keys, "protected header");
	if (rv != VOUCH_OK) {
		rv = jws_refail(ctx, VOUCH_ERR_POLICY_SIGNATURE, "header");
		goto out;
	}
	/*= RFC 7515 §5.2 step 8 (and RFC 8725 §3.1): the algorithm is ours,
	 * not the sender's; "none", HS*, RS*, ES256 and the rest are
	 * rejected here, before any cryptography. */
	if (!jws_str_eq(json_object_get(h, "alg"), VOUCH_POLICY_JWS_ALG)) {
		rv = jws_fail(ctx, "alg must be \"%s\"", VOUCH_POLICY_JWS_ALG);
		goto out;
	}
	if (!jws_str_eq(json_object_get(h, "typ"), VOUCH_POLICY_JWS_TYP)) {
		rv = jws_fail(ctx, "typ must be \"%s\"", VOUCH_POLICY_JWS_TYP);
		goto out;
	}
	kid = json_object_get(h, "kid");
	if (kid != NULL) {
		if (!json_is_string(kid) ||
		    json_string_length(kid) != JWS_KID_HEX_LEN ||
		    !vouch_hex_decode(json_string_value(kid), JWS_KID_HEX_LEN,
		    want, sizeof(want), &n) || n != sizeof(want)) {
			rv = jws_fail(ctx, "kid must be %d hex digits (the "
			    "SHA-256 of the signer's SubjectPublicKeyInfo)",
			    JWS_KID_HEX_LEN);
			goto out;
		}
		rv = vouch_key_spki_sha256(ctx, pub, spki);
		if (rv != VOUCH_OK) {
			goto out;
		}
		if (memcmp(spki, want, sizeof(spki)) != 0) {
			rv = jws_fail(ctx, "kid names another key than the "
			    "verification key");
			goto out;
		}
	}
	rv = VOUCH_OK;
 out:
	json_decref(h);
	return rv;
}

enum vouch_err
vouch_policy_verify_signed(struct vouch_ctx *ctx, EVP_PKEY *pub,
    const uint8_t *buf, size_t len, uint8_t **out_payload, size_t *out_len)
{
	static const char *const keys[] = {
		"payload", "protected", "signature", NULL,
	};
	enum vouch_err rv = VOUCH_ERR_POLICY_SIGNATURE;	/* fail closed */
	uint8_t sig[VOUCH_P384_SIG_BYTES];
	uint8_t *payload = NULL, *input = NULL;
	const char *prot, *pay, *sigs;
	size_t prot_len, pay_len, sig_len, payload_len, n, inlen;
	json_t *env = NULL;

	if (out_payload == NULL || out_len == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "policy signature: no output");
	}
	*out_payload = NULL;
	*out_len = 0;
	if (pub == NULL || (buf == NULL && len > 0)) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "policy signature: no key or no envelope");
	}
	if (!vouch_key_is_p384(pub)) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_KEY,
		    "policy signature: the verification key is not ECDSA "
		    "P-384");
	}
	if (len > VOUCH_POLICY_SIGNED_MAX_BYTES) {
		return vouch_fail(ctx, VOUCH_ERR_TOO_LARGE,
		    "policy signature: envelope of %zu bytes exceeds the limit "
		    "of %u", len, VOUCH_POLICY_SIGNED_MAX_BYTES);
	}
	rv = vouch_json_load(ctx, buf, len, VOUCH_POLICY_SIGNED_MAX_BYTES,
	    &env);
	if (rv != VOUCH_OK) {
		rv = jws_refail(ctx, rv, "envelope");
		goto out;
	}

	/*= RFC 7515 §7.2.2 flattened syntax, restricted to exactly
	 * "payload", "protected" and "signature": no unprotected "header"
	 * (nothing unsigned may influence verification) and no "signatures". */
	if (!json_is_object(env)) {
		rv = jws_fail(ctx, "envelope is not a JSON object");
		goto out;
	}
	rv = vouch_json_check_keys(ctx, env, keys, "envelope");
	if (rv != VOUCH_OK) {
		rv = jws_refail(ctx, VOUCH_ERR_POLICY_SIGNATURE, "envelope");
		goto out;
	}
	if (!jws_get_str(env, "protected", &prot, &prot_len) ||
	    !jws_get_str(env, "payload", &pay, &pay_len) ||
	    !jws_get_str(env, "signature", &sigs, &sig_len)) {
		rv = jws_fail(ctx, "envelope needs the string members payload, "
		    "protected and signature");
		goto out;
	}

	rv = jws_check_header(ctx, pub, prot, prot_len);
	if (rv != VOUCH_OK) {
		goto out;
	}

	/*= RFC 7518 §3.4
	 *# the JWS Signature value is the concatenation of R and S: 96
	 *# octets for ES384 (2 x 48) */
	if (sig_len != JWS_SIG_B64_LEN ||
	    !vouch_b64_decode(sigs, sig_len, true, sig, sizeof(sig), &n) ||
	    n != sizeof(sig)) {
		rv = jws_fail(ctx, "signature is not %d bytes of strict "
		    "base64url", VOUCH_P384_SIG_BYTES);
		goto out;
	}

	if (pay_len == 0) {
		rv = jws_fail(ctx, "empty payload");
		goto out;
	}
	if (vouch_b64_decoded_max(pay_len) > VOUCH_POLICY_MAX_BYTES) {
		rv = vouch_fail(ctx, VOUCH_ERR_TOO_LARGE,
		    "policy signature: payload exceeds %u bytes",
		    VOUCH_POLICY_MAX_BYTES);
		goto out;
	}
	payload = malloc(vouch_b64_decoded_max(pay_len));
	if (payload == NULL) {
		rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY,
		    "policy signature: out of memory");
		goto out;
	}
	if (!vouch_b64_decode(pay, pay_len, true, payload,
	    vouch_b64_decoded_max(pay_len), &payload_len) ||
	    payload_len == 0) {
		rv = jws_fail(ctx, "payload is not strict base64url");
		goto out;
	}

	/* Lengths are bounded by |len|, so the sum cannot overflow. */
	inlen = prot_len + 1 + pay_len;
	input = malloc(inlen);
	if (input == NULL) {
		rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY,
		    "policy signature: out of memory");
		goto out;
	}
	memcpy(input, prot, prot_len);
	input[prot_len] = '.';
	memcpy(input + prot_len + 1, pay, pay_len);
	rv = vouch_ecdsa_verify_raw(ctx, pub, input, inlen, sig, sizeof(sig));
	if (rv == VOUCH_ERR_SIGNATURE_INVALID) {
		rv = jws_fail(ctx, "signature does not verify with the domain "
		    "key");
		goto out;
	}
	if (rv != VOUCH_OK) {
		goto out;
	}
	*out_payload = payload;
	*out_len = payload_len;
	payload = NULL;
	rv = VOUCH_OK;
 out:
	free(payload);
	free(input);
	json_decref(env);
	return rv;
}
