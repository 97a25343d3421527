/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Secure key release, the client side (release.h, docs/secrets.md): a
 * fresh X25519 key per call, evidence binding the challenge, that key
 * and the secret's name, and the secret back HPKE-sealed to the key.  A
 * relayed or recorded answer is useless without the ephemeral private
 * key, which never leaves this function and is wiped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bs/bs.h"
#include "bs/json.h"
#include "client/client.h"
#include "secret/release.h"
#include "secret/seal.h"
#include "vouch_internal.h"

/* Longest problem code from vouchd quoted in an error detail. */
/* "/v1/secrets/" + name + "/release" */
#define RELEASE_PATH_MAX		(12 + VOUCH_SECRET_NAME_MAX + 8 + 1)

/* RFC 8410: SEQUENCE { SEQUENCE { OID 1.3.101.110 }, BIT STRING }. */
static const uint8_t x25519_spki_prefix[12] = {
	0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x03, 0x21, 0x00,
};

bool
vouch_secret_name_valid(const char *s, size_t len)
{
	size_t i;

	if (s == NULL || len == 0 || len > VOUCH_SECRET_NAME_MAX) {
		return false;
	}
	for (i = 0; i < len; i++) {
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '.' ||
		    s[i] == '_' || s[i] == '-')) {
			return false;
		}
	}
	return true;
}

void
vouch_bind_release(const uint8_t nonce[VOUCH_RELEASE_NONCE_BYTES],
    const uint8_t pub[VOUCH_X25519_BYTES], const char *name,
    const char *profile, uint8_t out[VOUCH_SHA512_BYTES])
{
	const uint8_t *parts[4] = { nonce, pub, (const uint8_t *)name,
	    (const uint8_t *)profile };
	size_t lens[4] = { VOUCH_RELEASE_NONCE_BYTES, VOUCH_X25519_BYTES,
	    strlen(name), profile != NULL ? strlen(profile) : 0 };

	vouch_bind(VOUCH_BIND_RELEASE, parts, lens, profile != NULL ? 4 : 3,
	    out);
}

size_t
vouch_release_info(const char *name, uint8_t *out)
{
	size_t ll = sizeof(VOUCH_BIND_RELEASE) - 1;
	size_t nl = strnlen(name, VOUCH_SECRET_NAME_MAX);

	memcpy(out, VOUCH_BIND_RELEASE, ll);
	memcpy(out + ll, name, nl);
	return ll + nl;
}

size_t
vouch_release_aad(const char *name, int64_t version, uint8_t *out)
{
	uint64_t v = (uint64_t)version;
	size_t nl = strnlen(name, VOUCH_SECRET_NAME_MAX);
	int i;

	for (i = 0; i < 8; i++) {
		out[i] = (uint8_t)(v >> (8 * (7 - i)));
	}
	memcpy(out + 8, name, nl);
	return 8 + nl;
}

bool
vouch_x25519_pub_to_pem(const uint8_t pub[VOUCH_X25519_BYTES], char *out,
    size_t cap)
{
	uint8_t der[sizeof(x25519_spki_prefix) + VOUCH_X25519_BYTES];
	char b64[64];
	int n;

	memcpy(der, x25519_spki_prefix, sizeof(x25519_spki_prefix));
	memcpy(der + sizeof(x25519_spki_prefix), pub, VOUCH_X25519_BYTES);
	if (!vouch_b64_encode(der, sizeof(der), false, b64, sizeof(b64))) {
		return false;
	}
	n = snprintf(out, cap, "-----BEGIN PUBLIC KEY-----\n%s\n"
	    "-----END PUBLIC KEY-----\n", b64);
	return n > 0 && (size_t)n < cap;
}


/* Check the answer's shape and decode "sealed" into a new buffer. */
static enum vouch_err
release_parse_answer(struct vouch_ctx *ctx, const json_t *resp,
    const char *name, int64_t *out_version, uint8_t **out, size_t *out_len)
{
	static const char *const keys[] = { "name", "version", "sealed", NULL };
	const json_t *jv = json_object_get(resp, "version");
	const json_t *js = json_object_get(resp, "sealed");
	const char *rname = json_string_value(json_object_get(resp, "name"));
	size_t slen, cap;
	uint8_t *buf;

	*out = NULL;
	*out_len = 0;
	if (vouch_json_check_keys(ctx, resp, keys, "release answer") !=
	    VOUCH_OK) {
		return vouch_error_code(ctx);
	}
	if (rname == NULL || strcmp(rname, name) != 0 ||
	    !json_is_integer(jv) || json_integer_value(jv) < 1 ||
	    !json_is_string(js)) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
		    "release: the answer needs name (this secret), version "
		    "(>= 1) and sealed (base64)");
	}
	slen = json_string_length(js);
	cap = vouch_b64_decoded_max(slen);
	if (cap == 0 || cap > VOUCH_RELEASE_SEALED_MAX + 3) {
		return vouch_fail(ctx, VOUCH_ERR_TOO_LARGE,
		    "release: sealed value of the wrong size");
	}
	buf = malloc(cap);
	if (buf == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
	}
	if (!vouch_b64_decode(json_string_value(js), slen, false, buf, cap,
	    out_len)) {
		free(buf);
		return vouch_fail(ctx, VOUCH_ERR_BAD_ENCODING,
		    "release: sealed is not base64");
	}
	*out_version = (int64_t)json_integer_value(jv);
	*out = buf;
	return VOUCH_OK;
}

enum vouch_err
vouch_secret_release_exchange(struct vouch_ctx *ctx, const char *service_url,
    const char *domain_root_path, const struct vouch_attester *att,
    const char *name, const char *profile, uint8_t **out, size_t *out_len,
    int64_t *out_version)
{
	enum vouch_err rv = VOUCH_ERR_INTERNAL;
	struct vouch_client *cl = NULL;
	uint8_t nonce[VOUCH_RELEASE_NONCE_BYTES], rd[VOUCH_SHA512_BYTES];
	uint8_t sk[VOUCH_X25519_BYTES], pk[VOUCH_X25519_BYTES];
	uint8_t info[VOUCH_RELEASE_INFO_MAX], aad[VOUCH_RELEASE_AAD_MAX];
	uint8_t *ev = NULL, *sealed = NULL, *pt = NULL;
	size_t ev_len = 0, b64_len = 0, sealed_len = 0, pt_len = 0;
	size_t info_len, aad_len;
	char nonce_hex[2 * VOUCH_RELEASE_NONCE_BYTES + 1];
	char pem[VOUCH_X25519_PEM_MAX], path[RELEASE_PATH_MAX], *b64 = NULL;
	json_t *req = NULL, *resp = NULL;
	int64_t version = 0;
	long status = 0;

	if (out == NULL || out_len == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "release: no output");
	}
	*out = NULL;
	*out_len = 0;
	if (out_version != NULL) {
		*out_version = 0;
	}
	if (name == NULL || !vouch_secret_name_valid(name, strlen(name))) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "release: a secret name is 1 to %d of [A-Za-z0-9._-]",
		    VOUCH_SECRET_NAME_MAX);
	}
	if (profile != NULL &&
	    !vouch_profile_name_valid(profile, strlen(profile))) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "release: unknown build profile");
	}
	if (service_url == NULL || domain_root_path == NULL || att == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "release: service, domain root and evidence source needed");
	}
	rv = vouch_client_new(ctx, service_url, domain_root_path, NULL, NULL,
	    &cl);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = vouch_client_challenge(ctx, cl, nonce);
	if (rv != VOUCH_OK) {
		goto out;
	}
	/* A fresh key per release: nothing can be replayed to an old one. */
	rv = vouch_x25519_keygen(ctx, sk, pk);
	if (rv != VOUCH_OK) {
		goto out;
	}
	vouch_bind_release(nonce, pk, name, profile, rd);
	rv = att->attest(ctx, att->arg, rd, &ev, &ev_len);
	if (rv != VOUCH_OK) {
		goto out;
	}
	b64_len = vouch_b64_encoded_len(ev_len, false) + 1;
	b64 = malloc(b64_len);
	if (b64 == NULL || !vouch_b64_encode(ev, ev_len, false, b64, b64_len) ||
	    !vouch_hex_encode(nonce, sizeof(nonce), nonce_hex,
	    sizeof(nonce_hex)) || !vouch_x25519_pub_to_pem(pk, pem,
	    sizeof(pem))) {
		rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
		goto out;
	}
	req = json_pack("{s:s, s:s, s:s}", "nonce", nonce_hex, "evidence", b64,
	    "public_key", pem);
	if (req == NULL || (profile != NULL && json_object_set_new(req,
	    "profile", json_string(profile)) != 0)) {
		rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
		goto out;
	}
	(void)snprintf(path, sizeof(path), "/v1/secrets/%s/release", name);
	rv = vouch_client_call(ctx, cl, "POST", path, req, &status, &resp);
	if (rv != VOUCH_OK) {
		goto out;
	}
	if (status == 403) {
		rv = vouch_fail(ctx, VOUCH_ERR_POLICY_DENIED,
		    "vouchd refused to release %s: %s", name,
		    vouch_client_problem_code(resp));
		goto out;
	}
	if (status != 200) {
		rv = vouch_fail(ctx, VOUCH_ERR_NETWORK,
		    "release: vouchd answered HTTP %ld %s", status,
		    vouch_client_problem_code(resp));
		goto out;
	}
	rv = release_parse_answer(ctx, resp, name, &version, &sealed,
	    &sealed_len);
	if (rv != VOUCH_OK) {
		goto out;
	}
	info_len = vouch_release_info(name, info);
	aad_len = vouch_release_aad(name, version, aad);
	rv = vouch_hpke_open_base(ctx, VOUCH_RELEASE_AEAD, sk, info, info_len,
	    aad, aad_len, sealed, sealed_len, &pt, &pt_len);
	if (rv != VOUCH_OK) {
		goto out;
	}
	if (pt_len == 0 || pt_len > VOUCH_SECRET_MAX_BYTES) {
		rv = vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
		    "release: secret of %zu bytes", pt_len);
		goto out;
	}
	*out = pt;
	*out_len = pt_len;
	pt = NULL;
	if (out_version != NULL) {
		*out_version = version;
	}
	rv = VOUCH_OK;
 out:
	vouch_wipe(sk, sizeof(sk));
	vouch_freezero(pt, pt_len);
	json_decref(req);
	json_decref(resp);
	free(sealed);
	free(b64);
	free(ev);
	vouch_client_free(cl);
	return rv;
}

static enum vouch_err
release_backend_attest(struct vouch_ctx *ctx, void *arg,
    const uint8_t rd[64], uint8_t **out, size_t *out_len)
{
	struct vouch *v = arg;

	(void)ctx;
	return v->backend->attest(v, rd, out, out_len);
}

enum vouch_err
vouch_secret_get(struct vouch *v, const char *name, uint8_t **out,
    size_t *out_len)
{
	struct vouch_attester att;

	if (v == NULL) {
		return VOUCH_ERR_INVALID_ARGUMENT;
	}
	if (out == NULL || out_len == NULL) {
		return vouch_fail(v->ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "secret_get: no output");
	}
	*out = NULL;
	*out_len = 0;
	if (v->service_url == NULL) {
		return vouch_fail(v->ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "no service_url to ask for secrets");
	}
	att.attest = release_backend_attest;
	att.arg = v;
	return vouch_secret_release_exchange(v->ctx, v->service_url,
	    v->domain_root_path, &att, name, vouch_profile(), out, out_len,
	    NULL);
}

void
vouch_secret_free(uint8_t *secret, size_t len)
{
	vouch_freezero(secret, len);
}

enum vouch_err
vouch_secret_seal_key(struct vouch *v, uint8_t key[32])
{
	enum vouch_err rv = VOUCH_ERR_INTERNAL;
	uint8_t *ikm = NULL;
	size_t ikm_len = 0;

	rv = vouch_secret_get(v, VOUCH_SEAL_SECRET_NAME, &ikm, &ikm_len);
	if (rv != VOUCH_OK) {
		return rv;
	}
	/* vouchd derived it for our verified measurement (docs/secrets.md §8). */
	if (ikm_len != VOUCH_SEAL_KEY_BYTES) {
		rv = vouch_fail(v->ctx, VOUCH_ERR_BAD_KEY,
		    "secret %s: vouchd answered %zu bytes, not a %d-byte key",
		    VOUCH_SEAL_SECRET_NAME, ikm_len, VOUCH_SEAL_KEY_BYTES);
		goto out;
	}
	memcpy(key, ikm, VOUCH_SEAL_KEY_BYTES);
	rv = VOUCH_OK;
 out:
	vouch_secret_free(ikm, ikm_len);
	return rv;
}
