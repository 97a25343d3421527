/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The EAR token.  The claims set is built with jansson and rendered
 * compactly with sorted keys; the JWS is assembled here and signed with
 * vouch_ecdsa_sign_raw (raw r||s, RFC 7518 §3.4), so the private key never
 * leaves its EVP_PKEY (libjose would need it as a JWK in a JSON string
 * that cannot be wiped) and an HSM-held key works the same way.  libjose
 * serves the public side: the JWK in the JWKS, and the tests verify with
 * jose_jws_ver.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <jose/jose.h>
#include <jose/openssl.h>
#include <openssl/err.h>
#include <openssl/x509.h>

#include "bs/bs.h"
#include "bs/cbb.h"
#include "bs/json.h"
#include "crypto/crypto.h"
#include "ear.h"

/* AR4SI: cryptographic validation of the Evidence failed. */
#define EAR_TV_CRYPTO_FAILED	99
/* A JWS header and payload this small never need more. */
#define EAR_JSON_MAX		(EAR_TOKEN_MAX_BYTES / 2)

enum ear_tier
ear_tier_of(int value)
{
	/*
	 * draft-ietf-rats-ar4si, trustworthiness tiers: none -1..1,
	 * affirming 2..31 and -32..-2, warning 32..95 and -96..-33,
	 * contraindicated 96..127 and -128..-97.
	 */
	if (value >= -1 && value <= 1) {
		return EAR_TIER_NONE;
	}
	if ((value >= 2 && value <= 31) || (value >= -32 && value <= -2)) {
		return EAR_TIER_AFFIRMING;
	}
	if ((value >= 32 && value <= 95) || (value >= -96 && value <= -33)) {
		return EAR_TIER_WARNING;
	}
	return EAR_TIER_CONTRAINDICATED;
}

const char *
ear_tier_name(enum ear_tier tier)
{
	switch (tier) {
	case EAR_TIER_AFFIRMING:
		return "affirming";
	case EAR_TIER_WARNING:
		return "warning";
	case EAR_TIER_CONTRAINDICATED:
		return "contraindicated";
	case EAR_TIER_NONE:
		return "none";
	}
	return "contraindicated";
}

static bool
is_sim(const struct ear_input *in)
{
	return in->is_sim ||
	    (in->platform != NULL && strcmp(in->platform, "sim") == 0);
}

/* The worse (less trusted) of two tiers; the enum values rise with risk. */
static enum ear_tier
worse(enum ear_tier a, enum ear_tier b)
{
	return a > b ? a : b;
}

void
ear_appraise(const struct ear_input *in, struct ear_vector *v,
    enum ear_tier *out_status)
{
	const int claims_n = 8;
	int claims[8], i;
	enum ear_tier status = EAR_TIER_NONE;

	memset(v, 0, sizeof(*v));
	if (!in->hardware_verified) {
		/* Nothing else can be said about unverified evidence. */
		v->instance_identity = EAR_TV_CRYPTO_FAILED;
		*out_status = EAR_TIER_CONTRAINDICATED;
		return;
	}
	v->instance_identity = EAR_TV_AFFIRMING;
	/*
	 * The sim platform's "hardware" is a software key: never genuine,
	 * so at best a warning, whatever else holds.
	 */
	v->hardware = is_sim(in) ? EAR_TV_HW_UNSAFE : EAR_TV_AFFIRMING;
	/* Debug mode exposes the TEE's memory and state to the host. */
	if (in->debug) {
		v->configuration = EAR_TV_CONFIG_UNSUPPORTABLE;
		v->runtime_opaque = EAR_TV_RUNTIME_VISIBLE;
	} else {
		v->configuration = EAR_TV_AFFIRMING;
		/* The sim platform protects no memory, so claims nothing. */
		v->runtime_opaque = is_sim(in) ? EAR_TV_NO_CLAIM :
		    EAR_TV_AFFIRMING;
	}
	v->executables = in->measurement_trusted ? EAR_TV_AFFIRMING :
	    EAR_TV_EXEC_UNRECOGNIZED;
	v->file_system = EAR_TV_NO_CLAIM;
	v->storage_opaque = EAR_TV_NO_CLAIM;
	v->sourced_data = EAR_TV_NO_CLAIM;

	/*= draft-ietf-rats-ear-04 §3.1, ear_status
	 *# The value of this claim MUST be set to a tier of no higher trust
	 *# than the tier corresponding to the worst trustworthiness claim
	 *# across the entire trustworthiness vector. */
	claims[0] = v->instance_identity;
	claims[1] = v->configuration;
	claims[2] = v->executables;
	claims[3] = v->file_system;
	claims[4] = v->hardware;
	claims[5] = v->runtime_opaque;
	claims[6] = v->storage_opaque;
	claims[7] = v->sourced_data;
	for (i = 0; i < claims_n; i++) {
		status = worse(status, ear_tier_of(claims[i]));
	}
	/* A refusal is never reported as anything but contraindicated. */
	if (!in->admitted) {
		status = EAR_TIER_CONTRAINDICATED;
	}
	*out_status = status;
}

enum vouch_err
ear_kid(struct vouch_ctx *ctx, EVP_PKEY *key, char out[EAR_KID_LEN + 1])
{
	uint8_t h[VOUCH_SHA256_BYTES];
	enum vouch_err rv;

	out[0] = '\0';
	if (key == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "ear: no key");
	}
	rv = vouch_key_spki_sha256(ctx, key, h);
	if (rv != VOUCH_OK) {
		return rv;
	}
	if (!vouch_b64_encode(h, sizeof(h), true, out, EAR_KID_LEN + 1)) {
		return vouch_fail(ctx, VOUCH_ERR_INTERNAL, "ear: kid");
	}
	return VOUCH_OK;
}

/* Set |k| to |v| in |o|, taking |v|; false when |v| is NULL or on failure. */
static bool
put(json_t *o, const char *k, json_t *v)
{
	return json_object_set_new(o, k, v) == 0;
}

/* A short name of [A-Za-z0-9._-] (platform names label a submodule). */
static bool
is_name(const char *s, size_t max)
{
	size_t i, n = strnlen(s, max + 1);

	if (n == 0 || n > max) {
		return false;
	}
	for (i = 0; i < n; i++) {
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '.' || s[i] == '_' || s[i] == '-')) {
			return false;
		}
	}
	return true;
}

/* |n| bytes as a base64url JSON string, or NULL. */
static json_t *
b64url_string(const uint8_t *p, size_t n)
{
	char buf[2 * EAR_NONCE_MAX];
	json_t *s = NULL;

	if (vouch_b64_encode(p, n, true, buf, sizeof(buf))) {
		s = json_string(buf);
	}
	return s;
}

static enum vouch_err
check_input(struct vouch_ctx *ctx, const char *kid,
    const struct ear_input *in, int64_t iat)
{
	size_t n;

	if (kid == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "ear: no kid");
	}
	n = strnlen(kid, EAR_STRING_MAX + 1);
	if (n == 0 || n > EAR_STRING_MAX ||
	    !bs_utf8_is_valid((const uint8_t *)kid, n)) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "ear: bad kid");
	}
	if (in->platform == NULL || !is_name(in->platform, EAR_PLATFORM_MAX)) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "ear: platform must be 1..%d of [A-Za-z0-9._-]",
		    EAR_PLATFORM_MAX);
	}
	if (in->verifier_build != NULL) {
		n = strnlen(in->verifier_build, EAR_STRING_MAX + 1);
		if (n == 0 || n > EAR_STRING_MAX ||
		    !bs_utf8_is_valid((const uint8_t *)in->verifier_build, n)) {
			return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
			    "ear: bad verifier build");
		}
	}
	if (in->measurement_len > EAR_MEASUREMENT_MAX ||
	    (in->measurement == NULL && in->measurement_len != 0)) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "ear: measurement over %d bytes", EAR_MEASUREMENT_MAX);
	}
	/* RFC 9711 §4.1: an eat_nonce is 8 to 64 bytes. */
	if (in->nonce_len != 0 || in->nonce != NULL) {
		if (in->nonce == NULL || in->nonce_len < EAR_NONCE_MIN ||
		    in->nonce_len > EAR_NONCE_MAX) {
			return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
			    "ear: nonce must be %d..%d bytes", EAR_NONCE_MIN,
			    EAR_NONCE_MAX);
		}
	}
	if (iat < 0 || in->policy_version < 0) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "ear: negative iat or policy version");
	}
	return VOUCH_OK;
}

/* The AR4SI vector under its JSON claim names. */
static json_t *
vector_json(const struct ear_vector *v)
{
	json_t *o = json_object();

	if (o == NULL ||
	    !put(o, "instance-identity", json_integer(v->instance_identity)) ||
	    !put(o, "configuration", json_integer(v->configuration)) ||
	    !put(o, "executables", json_integer(v->executables)) ||
	    !put(o, "file-system", json_integer(v->file_system)) ||
	    !put(o, "hardware", json_integer(v->hardware)) ||
	    !put(o, "runtime-opaque", json_integer(v->runtime_opaque)) ||
	    !put(o, "storage-opaque", json_integer(v->storage_opaque)) ||
	    !put(o, "sourced-data", json_integer(v->sourced_data))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/*
 * The appraisal of the one submodule.  vouch's own claims ride in the
 * draft's two open containers, namespaced "vouch.": what the evidence
 * said in ear_attester_claims, what vouchd decided in ear_verifier_claims.
 */
static json_t *
appraisal_json(const struct ear_input *in, const struct ear_vector *v,
    enum ear_tier status)
{
	char hex[2 * EAR_MEASUREMENT_MAX + 1];
	char pid[64];
	json_t *a = json_object(), *att = json_object(), *ver = json_object();
	json_t *ids = NULL;
	bool ok;

	ok = a != NULL && att != NULL && ver != NULL &&
	    put(a, "ear_status", json_string(ear_tier_name(status))) &&
	    put(a, "ear_trustworthiness_vector", vector_json(v)) &&
	    put(att, "vouch.platform", json_string(in->platform)) &&
	    put(att, "vouch.debug", json_boolean(in->debug)) &&
	    put(ver, "vouch.admitted", json_boolean(in->admitted)) &&
	    put(ver, "vouch.measurement_trusted",
	    json_boolean(in->measurement_trusted));
	if (ok && in->measurement_len > 0) {
		ok = vouch_hex_encode(in->measurement, in->measurement_len, hex,
		    sizeof(hex)) &&
		    put(att, "vouch.measurement", json_string(hex));
	}
	if (ok && in->policy_version > 0) {
		(void)snprintf(pid, sizeof(pid), "urn:vouch:policy:%lld",
		    (long long)in->policy_version);
		ids = json_array();
		ok = ids != NULL &&
		    json_array_append_new(ids, json_string(pid)) == 0;
		if (ok) {
			/* put() takes |ids| whether or not it succeeds. */
			ok = put(a, "ear_appraisal_policy_ids", ids);
			ids = NULL;
		}
		ok = ok && put(ver, "vouch.policy_version",
		    json_integer(in->policy_version));
	}
	if (ok) {
		ok = put(a, "ear_attester_claims", att);
		att = NULL;
	}
	if (ok) {
		ok = put(a, "ear_verifier_claims", ver);
		ver = NULL;
	}
	json_decref(ids);
	json_decref(att);
	json_decref(ver);
	if (!ok) {
		json_decref(a);
		return NULL;
	}
	return a;
}

/* The whole claims set (draft-ietf-rats-ear-04 §3). */
static json_t *
claims_json(const struct ear_input *in, int64_t iat)
{
	struct ear_vector v;
	enum ear_tier status;
	json_t *c = json_object(), *vid = json_object(), *sub = json_object();
	bool ok;

	ear_appraise(in, &v, &status);
	ok = c != NULL && vid != NULL && sub != NULL &&
	    put(c, "eat_profile", json_string(EAR_PROFILE)) &&
	    put(c, "iat", json_integer((json_int_t)iat)) &&
	    put(vid, "build", json_string(in->verifier_build != NULL ?
	    in->verifier_build : EAR_DEFAULT_BUILD)) &&
	    put(vid, "developer", json_string(EAR_DEVELOPER)) &&
	    put(sub, in->platform, appraisal_json(in, &v, status)) &&
	    put(c, "ear_status", json_string(ear_tier_name(status)));
	if (ok && in->nonce_len > 0) {
		ok = put(c, "eat_nonce", b64url_string(in->nonce,
		    in->nonce_len));
	}
	if (ok) {
		ok = put(c, "ear_verifier_id", vid);
		vid = NULL;
	}
	if (ok) {
		ok = put(c, "submods", sub);
		sub = NULL;
	}
	json_decref(vid);
	json_decref(sub);
	if (!ok) {
		json_decref(c);
		return NULL;
	}
	return c;
}

/* Render |v| compactly and append it base64url-encoded to |out| at |*off|. */
static bool
append_b64_json(const json_t *v, char *out, size_t cap, size_t *off)
{
	char *s = vouch_json_dump(v);
	size_t n;
	bool ok = false;

	if (s == NULL) {
		return false;
	}
	n = strlen(s);
	if (n <= EAR_JSON_MAX && *off < cap &&
	    vouch_b64_encode((const uint8_t *)s, n, true, out + *off,
	    cap - *off)) {
		*off += strlen(out + *off);
		ok = true;
	}
	free(s);
	return ok;
}

enum vouch_err
ear_sign(struct vouch_ctx *ctx, EVP_PKEY *issuer_key, const char *kid,
    const struct ear_input *in, int64_t iat, char **out_jwt)
{
	enum vouch_err rv = VOUCH_ERR_INTERNAL;
	json_t *hdr = NULL, *claims = NULL;
	uint8_t sig[VOUCH_P384_SIG_BYTES];
	char *tok = NULL;
	size_t off = 0;

	*out_jwt = NULL;
	if (in == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "ear: no input");
	}
	if (issuer_key == NULL || !vouch_key_is_p384(issuer_key)) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_KEY,
		    "ear: the issuing key is not P-384 (ES384)");
	}
	rv = check_input(ctx, kid, in, iat);
	if (rv != VOUCH_OK) {
		return rv;
	}
	tok = malloc(EAR_TOKEN_MAX_BYTES);
	hdr = json_object();
	claims = claims_json(in, iat);
	/*= RFC 7515 §4.1.1, §4.1.4, §4.1.9, RFC 7519 §5.1: alg kid typ */
	if (tok == NULL || hdr == NULL || claims == NULL ||
	    !put(hdr, "alg", json_string(EAR_JWS_ALG)) ||
	    !put(hdr, "kid", json_string(kid)) ||
	    !put(hdr, "typ", json_string("JWT"))) {
		rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "ear: out of memory");
		goto out;
	}
	/*= RFC 7515 §7.1
	 *# BASE64URL(UTF8(JWS Protected Header)) || '.' ||
	 *# BASE64URL(JWS Payload) || '.' || BASE64URL(JWS Signature) */
	if (!append_b64_json(hdr, tok, EAR_TOKEN_MAX_BYTES, &off) ||
	    off > EAR_TOKEN_MAX_BYTES - 2) {
		rv = vouch_fail(ctx, VOUCH_ERR_TOO_LARGE, "ear: header");
		goto out;
	}
	tok[off++] = '.';
	if (!append_b64_json(claims, tok, EAR_TOKEN_MAX_BYTES, &off)) {
		rv = vouch_fail(ctx, VOUCH_ERR_TOO_LARGE, "ear: claims");
		goto out;
	}
	/* RFC 7515 §5.1 step 8: sign the ASCII of header.payload. */
	rv = vouch_ecdsa_sign_raw(ctx, issuer_key, (const uint8_t *)tok, off,
	    sig, sizeof(sig));
	if (rv != VOUCH_OK) {
		goto out;
	}
	if (off > EAR_TOKEN_MAX_BYTES - 2) {
		rv = vouch_fail(ctx, VOUCH_ERR_TOO_LARGE, "ear: token");
		goto out;
	}
	tok[off++] = '.';
	if (!vouch_b64_encode(sig, sizeof(sig), true, tok + off,
	    EAR_TOKEN_MAX_BYTES - off)) {
		rv = vouch_fail(ctx, VOUCH_ERR_TOO_LARGE, "ear: token");
		goto out;
	}
	*out_jwt = tok;
	tok = NULL;
	rv = VOUCH_OK;
 out:
	free(tok);
	json_decref(hdr);
	json_decref(claims);
	return rv;
}

/* libjose prints its errors on stderr by default; the library never prints. */
static void
jose_quiet(void *misc, const char *file, int line, uint64_t err,
    const char *fmt, va_list ap)
{
	(void)misc;
	(void)file;
	(void)line;
	(void)err;
	(void)fmt;
	(void)ap;
}

/* True when member |k| of |o| is the string |want|. */
static bool
member_is(const json_t *o, const char *k, const char *want)
{
	const char *v = json_string_value(json_object_get(o, k));

	return v != NULL && strcmp(v, want) == 0;
}

/* |cert| as a base64 (not base64url) DER string for "x5c". */
static json_t *
x5c_entry(struct vouch_ctx *ctx, X509 *cert)
{
	uint8_t *der = NULL;
	size_t len = 0, cap;
	char *b64 = NULL;
	json_t *s = NULL;

	if (vouch_cert_to_der(ctx, cert, &der, &len) != VOUCH_OK) {
		return NULL;
	}
	cap = vouch_b64_encoded_len(len, false) + 1;
	b64 = malloc(cap);
	/*= RFC 7517 §4.7
	 *# Each string in the array is a base64-encoded (Section 4 of
	 *# [RFC4648] -- not base64url-encoded) DER [ITU.X690.2008] PKIX
	 *# certificate value. */
	if (b64 != NULL && vouch_b64_encode(der, len, false, b64, cap)) {
		s = json_string(b64);
	}
	free(b64);
	free(der);
	return s;
}

enum vouch_err
ear_jwks(struct vouch_ctx *ctx, EVP_PKEY *issuer_pub, X509 *issuer_cert,
    X509 *domain_root, char **out_json)
{
	enum vouch_err rv = VOUCH_ERR_CRYPTO;
	EVP_PKEY *pub = NULL;
	uint8_t *spki = NULL;
	const uint8_t *p;
	json_t *jwk = NULL, *x5c = NULL, *keys = NULL, *set = NULL;
	jose_cfg_t *cfg = NULL;
	char kid[EAR_KID_LEN + 1];
	int len;

	*out_json = NULL;
	if (issuer_pub == NULL || issuer_cert == NULL || domain_root == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "jwks: missing argument");
	}
	if (!vouch_key_is_p384(issuer_pub)) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_KEY,
		    "jwks: the issuing key is not P-384");
	}
	/*= RFC 7517 §4.7
	 *# The key in the first certificate MUST match the public key
	 *# represented by other members of the JWK. */
	if (X509_get0_pubkey(issuer_cert) == NULL ||
	    EVP_PKEY_eq(X509_get0_pubkey(issuer_cert), issuer_pub) != 1) {
		rv = vouch_fail(ctx, VOUCH_ERR_BAD_KEY,
		    "jwks: the issuing certificate does not carry the key");
		goto out;
	}
	rv = ear_kid(ctx, issuer_pub, kid);
	if (rv != VOUCH_OK) {
		goto out;
	}
	/* Through SubjectPublicKeyInfo: no private part can reach the JWK. */
	len = i2d_PUBKEY(issuer_pub, &spki);
	if (len > 0) {
		p = spki;
		pub = d2i_PUBKEY(NULL, &p, len);
	}
	if (pub == NULL) {
		rv = vouch_fail(ctx, VOUCH_ERR_CRYPTO, "jwks: public key");
		goto out;
	}
	cfg = jose_cfg();
	if (cfg == NULL) {
		rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "jwks: libjose");
		goto out;
	}
	jose_cfg_set_err_func(cfg, jose_quiet, NULL);
	jwk = jose_openssl_jwk_from_EVP_PKEY(cfg, pub);
	if (jwk == NULL || json_object_get(jwk, "d") != NULL ||
	    !json_is_string(json_object_get(jwk, "x")) ||
	    !json_is_string(json_object_get(jwk, "y")) ||
	    !member_is(jwk, "kty", "EC") || !member_is(jwk, "crv", "P-384")) {
		rv = vouch_fail(ctx, VOUCH_ERR_CRYPTO, "jwks: JWK conversion");
		goto out;
	}
	x5c = json_array();
	keys = json_array();
	set = json_object();
	if (x5c == NULL || keys == NULL || set == NULL ||
	    json_array_append_new(x5c, x5c_entry(ctx, issuer_cert)) != 0 ||
	    json_array_append_new(x5c, x5c_entry(ctx, domain_root)) != 0 ||
	    !put(jwk, "kid", json_string(kid)) ||
	    !put(jwk, "alg", json_string(EAR_JWS_ALG)) ||
	    !put(jwk, "use", json_string("sig"))) {
		rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "jwks: build");
		goto out;
	}
	if (!put(jwk, "x5c", x5c)) {
		x5c = NULL;
		rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "jwks: build");
		goto out;
	}
	x5c = NULL;
	if (json_array_append_new(keys, jwk) != 0) {
		jwk = NULL;
		rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "jwks: build");
		goto out;
	}
	jwk = NULL;
	if (!put(set, "keys", keys)) {
		keys = NULL;
		rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "jwks: build");
		goto out;
	}
	keys = NULL;
	*out_json = vouch_json_dump(set);
	if (*out_json == NULL) {
		rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "jwks: render");
		goto out;
	}
	rv = VOUCH_OK;
 out:
	json_decref(set);
	json_decref(keys);
	json_decref(x5c);
	json_decref(jwk);
	if (cfg != NULL) {
		jose_cfg_decref(cfg);
	}
	EVP_PKEY_free(pub);
	OPENSSL_free(spki);
	ERR_clear_error();
	return rv;
}
