/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for daemon/ear.c: the token is verified with libjose (an
 * implementation other than ours) against the JWK published in the JWKS,
 * and refused once its payload, header or signature is changed or under
 * another key; the header and every claim are checked by name and type
 * (draft-ietf-rats-ear-04); the AR4SI vector and status for each kind of
 * appraisal; the kid recomputed independently; the JWKS members and its
 * x5c chain; every argument bound.  When tests/interop has its npm
 * dependencies installed and node is on the PATH, the token and JWKS are
 * also handed to tests/interop/ear_verify.mjs (npm jose).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <jansson.h>
#include <jose/b64.h>
#include <jose/jose.h>
#include <jose/jwk.h>
#include <jose/jws.h>
#include <jose/openssl.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "bs/bs.h"
#include "crypto/crypto.h"
#include "ear.h"

#define DAY	(24 * 3600)
#define IAT	1767225600	/* 2026-01-01T00:00:00Z */

struct fixture {
	struct vouch_ctx	*ctx;
	int64_t			 now;
	EVP_PKEY		*root_key;
	X509			*root;
	EVP_PKEY		*key;
	X509			*issuer;
	char			 kid[EAR_KID_LEN + 1];
	char			*jwks;
	json_t			*jwk;	/* keys[0] of jwks */
	uint8_t			 nonce[32];
	uint8_t			 meas[48];
	char			 dir[64];
};

static struct fixture F;

static X509 *
make_ca(EVP_PKEY *key, X509 *parent, EVP_PKEY *parent_key, const char *cn,
    int path_len)
{
	struct vouch_cert_spec spec;
	X509 *x = NULL;

	memset(&spec, 0, sizeof(spec));
	spec.common_name = cn;
	spec.not_before = F.now - DAY;
	spec.not_after = F.now + 30 * (int64_t)DAY;
	spec.is_ca = true;
	spec.path_len = path_len;
	assert_int_equal(vouch_cert_build(F.ctx, &spec, key, parent,
	    parent_key != NULL ? parent_key : key, &x), VOUCH_OK);
	return x;
}

static int
setup(void **state)
{
	json_t *set;
	size_t i;

	(void)state;
	memset(&F, 0, sizeof(F));
	F.ctx = vouch_ctx_new();
	assert_non_null(F.ctx);
	F.now = (int64_t)time(NULL);
	assert_int_equal(vouch_key_gen_p384(F.ctx, &F.root_key), VOUCH_OK);
	assert_int_equal(vouch_key_gen_p384(F.ctx, &F.key), VOUCH_OK);
	F.root = make_ca(F.root_key, NULL, NULL, "vouch test domain root", -1);
	F.issuer = make_ca(F.key, F.root, F.root_key, "vouch test issuing CA",
	    0);
	assert_int_equal(ear_kid(F.ctx, F.key, F.kid), VOUCH_OK);
	/* The daemon passes its private key; only the public part is used. */
	assert_int_equal(ear_jwks(F.ctx, F.key, F.issuer, F.root, &F.jwks),
	    VOUCH_OK);
	set = json_loads(F.jwks, JSON_REJECT_DUPLICATES, NULL);
	assert_non_null(set);
	F.jwk = json_incref(json_array_get(json_object_get(set, "keys"), 0));
	assert_non_null(F.jwk);
	json_decref(set);
	for (i = 0; i < sizeof(F.nonce); i++) {
		F.nonce[i] = (uint8_t)(0x10 + i);
	}
	for (i = 0; i < sizeof(F.meas); i++) {
		F.meas[i] = (uint8_t)(0xa0 + i);
	}
	(void)snprintf(F.dir, sizeof(F.dir), "/tmp/vouch-test-ear-XXXXXX");
	assert_non_null(mkdtemp(F.dir));
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", F.dir);
	assert_int_equal(system(cmd), 0);
	json_decref(F.jwk);
	free(F.jwks);
	X509_free(F.root);
	X509_free(F.issuer);
	EVP_PKEY_free(F.root_key);
	EVP_PKEY_free(F.key);
	vouch_ctx_free(F.ctx);
	return 0;
}

/* An admitted, verified, non-debug appraisal on |platform|. */
static struct ear_input
good_input(const char *platform)
{
	struct ear_input in;

	memset(&in, 0, sizeof(in));
	in.admitted = true;
	in.hardware_verified = true;
	in.platform = platform;
	in.is_sim = strcmp(platform, "sim") == 0;
	in.measurement_trusted = true;
	in.measurement = F.meas;
	in.measurement_len = sizeof(F.meas);
	in.nonce = F.nonce;
	in.nonce_len = sizeof(F.nonce);
	in.policy_version = 4;
	return in;
}

static char *
sign(const struct ear_input *in)
{
	char *jwt = NULL;

	assert_int_equal(ear_sign(F.ctx, F.key, F.kid, in, IAT, &jwt),
	    VOUCH_OK);
	assert_non_null(jwt);
	return jwt;
}

/* The flattened JWS JSON form of a compact token, for libjose. */
static json_t *
jws_of(const char *jwt)
{
	const char *d1, *d2;

	d1 = strchr(jwt, '.');
	assert_non_null(d1);
	d2 = strchr(d1 + 1, '.');
	assert_non_null(d2);
	assert_null(strchr(d2 + 1, '.'));
	return json_pack("{s:s%,s:s%,s:s}", "protected", jwt,
	    (size_t)(d1 - jwt), "payload", d1 + 1, (size_t)(d2 - d1 - 1),
	    "signature", d2 + 1);
}

/* Keep libjose's expected complaints about tampered tokens off stderr. */
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

static bool
jose_verifies(const char *jwt, const json_t *jwk)
{
	json_t *jws = jws_of(jwt);
	jose_cfg_t *cfg = jose_cfg();
	bool ok;

	assert_non_null(jws);
	assert_non_null(cfg);
	jose_cfg_set_err_func(cfg, jose_quiet, NULL);
	ok = jose_jws_ver(cfg, jws, NULL, jwk, false);
	jose_cfg_decref(cfg);
	json_decref(jws);
	return ok;
}

/* A decoded part of the token: 0 header, 1 claims. */
static json_t *
part(const char *jwt, int which)
{
	json_t *jws = jws_of(jwt), *out;

	out = jose_b64_dec_load(json_object_get(jws,
	    which == 0 ? "protected" : "payload"));
	assert_non_null(out);
	json_decref(jws);
	return out;
}

static void
assert_only_keys(const json_t *o, const char *const *allowed)
{
	const char *k;
	json_t *v;
	size_t i;
	bool found;

	assert_true(json_is_object(o));
	json_object_foreach((json_t *)(uintptr_t)o, k, v) {
		found = false;
		for (i = 0; allowed[i] != NULL; i++) {
			if (strcmp(k, allowed[i]) == 0) {
				found = true;
			}
		}
		if (!found) {
			fail_msg("unexpected member \"%s\"", k);
		}
		(void)v;
	}
}

static const char *
str(const json_t *o, const char *k)
{
	const json_t *v = json_object_get(o, k);

	if (!json_is_string(v)) {
		fail_msg("\"%s\" is not a string", k);
	}
	return json_string_value(v);
}

static json_int_t
integer(const json_t *o, const char *k)
{
	const json_t *v = json_object_get(o, k);

	if (!json_is_integer(v)) {
		fail_msg("\"%s\" is not an integer", k);
	}
	return json_integer_value(v);
}

static void
test_kid(void **state)
{
	uint8_t *der = NULL, h[32];
	char want[64];
	size_t n;
	int len;

	(void)state;
	assert_int_equal(strlen(F.kid), EAR_KID_LEN);
	/* Recomputed with OpenSSL and libjose's base64url. */
	len = i2d_PUBKEY(F.key, &der);
	assert_true(len > 0);
	assert_int_equal(EVP_Digest(der, (size_t)len, h, NULL, EVP_sha256(),
	    NULL), 1);
	OPENSSL_free(der);
	n = jose_b64_enc_buf(h, sizeof(h), want, sizeof(want) - 1);
	assert_int_equal(n, EAR_KID_LEN);
	want[n] = '\0';
	assert_string_equal(F.kid, want);
	assert_int_equal(ear_kid(F.ctx, NULL, want),
	    VOUCH_ERR_INVALID_ARGUMENT);
	assert_string_equal(want, "");
}

static void
test_sign_verify(void **state)
{
	static const char *const top[] = { "eat_profile", "iat",
	    "ear_verifier_id", "ear_status", "eat_nonce", "submods", NULL };
	static const char *const appr[] = { "ear_status",
	    "ear_trustworthiness_vector", "ear_appraisal_policy_ids",
	    "ear_attester_claims", "ear_verifier_claims", NULL };
	static const char *const tv[] = { "instance-identity", "configuration",
	    "executables", "file-system", "hardware", "runtime-opaque",
	    "storage-opaque", "sourced-data", NULL };
	struct ear_input in = good_input("snp");
	json_t *hdr, *c, *vid, *sub, *a, *vec, *ids, *att, *ver, *key;
	uint8_t nonce[64];
	const char *s;
	char hex[97];
	size_t n, i;
	char *jwt;

	(void)state;
	jwt = sign(&in);
	assert_true(jose_verifies(jwt, F.jwk));
	/* Also with a JWK made straight from the key, without "alg". */
	key = jose_openssl_jwk_from_EVP_PKEY(NULL, F.key);
	assert_non_null(key);
	assert_true(jose_jwk_pub(NULL, key));
	assert_true(jose_verifies(jwt, key));
	json_decref(key);

	/* RFC 7515 / 7519 header: exactly alg, kid, typ. */
	hdr = part(jwt, 0);
	assert_int_equal(json_object_size(hdr), 3);
	assert_string_equal(str(hdr, "alg"), "ES384");
	assert_string_equal(str(hdr, "kid"), F.kid);
	assert_string_equal(str(hdr, "typ"), "JWT");
	json_decref(hdr);

	/* draft-ietf-rats-ear-04 §3: the claims set. */
	c = part(jwt, 1);
	assert_only_keys(c, top);
	assert_string_equal(str(c, "eat_profile"),
	    "tag:ietf.org,2026:rats/ear#04");
	assert_int_equal(integer(c, "iat"), IAT);
	assert_string_equal(str(c, "ear_status"), "affirming");
	vid = json_object_get(c, "ear_verifier_id");
	assert_true(json_is_object(vid));
	assert_int_equal(json_object_size(vid), 2);
	assert_string_equal(str(vid, "build"), EAR_DEFAULT_BUILD);
	assert_string_equal(str(vid, "developer"), EAR_DEVELOPER);
	/* eat_nonce: base64url of the nonce. */
	s = str(c, "eat_nonce");
	assert_true(vouch_b64_decode(s, strlen(s), true, nonce, sizeof(nonce),
	    &n));
	assert_int_equal(n, sizeof(F.nonce));
	assert_memory_equal(nonce, F.nonce, n);

	/* §3.1: one submodule, named by the platform. */
	sub = json_object_get(c, "submods");
	assert_true(json_is_object(sub));
	assert_int_equal(json_object_size(sub), 1);
	a = json_object_get(sub, "snp");
	assert_only_keys(a, appr);
	assert_string_equal(str(a, "ear_status"), "affirming");
	vec = json_object_get(a, "ear_trustworthiness_vector");
	assert_only_keys(vec, tv);
	assert_int_equal(json_object_size(vec), 8);
	for (i = 0; tv[i] != NULL; i++) {
		(void)integer(vec, tv[i]);
	}
	assert_int_equal(integer(vec, "instance-identity"), 2);
	assert_int_equal(integer(vec, "configuration"), 2);
	assert_int_equal(integer(vec, "executables"), 2);
	assert_int_equal(integer(vec, "hardware"), 2);
	assert_int_equal(integer(vec, "runtime-opaque"), 2);
	assert_int_equal(integer(vec, "file-system"), 0);
	ids = json_object_get(a, "ear_appraisal_policy_ids");
	assert_true(json_is_array(ids));
	assert_int_equal(json_array_size(ids), 1);
	assert_string_equal(json_string_value(json_array_get(ids, 0)),
	    "urn:vouch:policy:4");
	att = json_object_get(a, "ear_attester_claims");
	assert_true(json_is_object(att));
	assert_string_equal(str(att, "vouch.platform"), "snp");
	assert_true(vouch_hex_encode(F.meas, sizeof(F.meas), hex, sizeof(hex)));
	assert_string_equal(str(att, "vouch.measurement"), hex);
	assert_true(json_is_false(json_object_get(att, "vouch.debug")));
	ver = json_object_get(a, "ear_verifier_claims");
	assert_true(json_is_object(ver));
	assert_int_equal(integer(ver, "vouch.policy_version"), 4);
	assert_true(json_is_true(json_object_get(ver, "vouch.admitted")));
	assert_true(json_is_true(json_object_get(ver,
	    "vouch.measurement_trusted")));
	json_decref(c);
	free(jwt);

	/* Optional members are left out when there is nothing to say. */
	in.nonce = NULL;
	in.nonce_len = 0;
	in.policy_version = 0;
	in.measurement = NULL;
	in.measurement_len = 0;
	in.verifier_build = "vouchd 9.9";
	jwt = sign(&in);
	assert_true(jose_verifies(jwt, F.jwk));
	c = part(jwt, 1);
	assert_null(json_object_get(c, "eat_nonce"));
	assert_string_equal(str(json_object_get(c, "ear_verifier_id"),
	    "build"), "vouchd 9.9");
	a = json_object_get(json_object_get(c, "submods"), "snp");
	assert_null(json_object_get(a, "ear_appraisal_policy_ids"));
	assert_null(json_object_get(json_object_get(a, "ear_attester_claims"),
	    "vouch.measurement"));
	assert_null(json_object_get(json_object_get(a, "ear_verifier_claims"),
	    "vouch.policy_version"));
	json_decref(c);
	free(jwt);
}

/* Replace |jwt|'s segment |seg| (0..2) by |repl| into a new string. */
static char *
with_segment(const char *jwt, int seg, const char *repl)
{
	const char *d1 = strchr(jwt, '.'), *d2 = strchr(d1 + 1, '.');
	const char *start[3] = { jwt, d1 + 1, d2 + 1 };
	const char *end[3] = { d1, d2, jwt + strlen(jwt) };
	size_t cap = strlen(jwt) + strlen(repl) + 3, off = 0, n;
	const char *src;
	char *out = malloc(cap);
	int i;

	assert_non_null(out);
	for (i = 0; i < 3; i++) {
		if (i > 0) {
			out[off++] = '.';
		}
		src = i == seg ? repl : start[i];
		n = i == seg ? strlen(repl) : (size_t)(end[i] - start[i]);
		assert_true(n < cap - off);
		memcpy(out + off, src, n);
		off += n;
	}
	out[off] = '\0';
	return out;
}

static void
test_tamper(void **state)
{
	struct ear_input in = good_input("snp");
	char *jwt, *bad, *seg, *p;
	json_t *c, *jws, *other_jwk;
	EVP_PKEY *other;
	size_t i, n;

	(void)state;
	jwt = sign(&in);
	assert_true(jose_verifies(jwt, F.jwk));

	/* Flip each payload character to another base64url character. */
	p = strchr(jwt, '.') + 1;
	n = (size_t)(strchr(p, '.') - p);
	for (i = 0; i < n; i += 7) {
		bad = strdup(jwt);
		assert_non_null(bad);
		bad[p - jwt + (ptrdiff_t)i] =
		    (char)(p[i] == 'A' ? 'B' : 'A');
		assert_false(jose_verifies(bad, F.jwk));
		free(bad);
	}
	/* Every signature character. */
	p = strrchr(jwt, '.') + 1;
	n = strlen(p);
	for (i = 0; i < n; i++) {
		bad = strdup(jwt);
		assert_non_null(bad);
		bad[p - jwt + (ptrdiff_t)i] = (char)(p[i] == 'A' ? 'B' : 'A');
		assert_false(jose_verifies(bad, F.jwk));
		free(bad);
	}
	/* A truncated signature, and none at all. */
	bad = strdup(jwt);
	assert_non_null(bad);
	bad[strlen(bad) - 4] = '\0';
	assert_false(jose_verifies(bad, F.jwk));
	free(bad);

	/* A well-formed payload with one claim changed, same signature. */
	c = part(jwt, 1);
	assert_int_equal(json_object_set_new(c, "ear_status",
	    json_string("contraindicated")), 0);
	jws = jose_b64_enc_dump(c);
	assert_non_null(jws);
	bad = with_segment(jwt, 1, json_string_value(jws));
	assert_false(jose_verifies(bad, F.jwk));
	free(bad);
	json_decref(jws);
	json_decref(c);

	/* The header claiming another algorithm. */
	c = json_pack("{s:s,s:s,s:s}", "alg", "ES256", "kid", F.kid, "typ",
	    "JWT");
	jws = jose_b64_enc_dump(c);
	seg = strdup(json_string_value(jws));
	bad = with_segment(jwt, 0, seg);
	assert_false(jose_verifies(bad, F.jwk));
	free(bad);
	free(seg);
	json_decref(jws);
	json_decref(c);

	/* Another key. */
	assert_int_equal(vouch_key_gen_p384(F.ctx, &other), VOUCH_OK);
	other_jwk = jose_openssl_jwk_from_EVP_PKEY(NULL, other);
	assert_non_null(other_jwk);
	assert_true(jose_jwk_pub(NULL, other_jwk));
	assert_false(jose_verifies(jwt, other_jwk));
	json_decref(other_jwk);
	EVP_PKEY_free(other);
	free(jwt);
}

struct appraise_case {
	const char	*name;
	const char	*platform;
	bool		 is_sim, admitted, verified, debug, trusted;
	enum ear_tier	 status;
	struct ear_vector v;
};

static const struct appraise_case appraise_cases[] = {
	{ "hardware, all good", "snp", false, true, true, false, true,
	    EAR_TIER_AFFIRMING, { 2, 2, 2, 0, 2, 2, 0, 0 } },
	{ "sim, all good", "sim", true, true, true, false, true,
	    EAR_TIER_WARNING, { 2, 2, 2, 0, 32, 0, 0, 0 } },
	{ "named sim, flag unset", "sim", false, true, true, false, true,
	    EAR_TIER_WARNING, { 2, 2, 2, 0, 32, 0, 0, 0 } },
	{ "sim flag, other name", "tdx", true, true, true, false, true,
	    EAR_TIER_WARNING, { 2, 2, 2, 0, 32, 0, 0, 0 } },
	{ "debug, admitted anyway", "snp", false, true, true, true, true,
	    EAR_TIER_CONTRAINDICATED, { 2, 96, 2, 0, 2, 96, 0, 0 } },
	{ "sim debug", "sim", true, true, true, true, true,
	    EAR_TIER_CONTRAINDICATED, { 2, 96, 2, 0, 32, 96, 0, 0 } },
	{ "unknown measurement, refused", "snp", false, false, true, false,
	    false, EAR_TIER_CONTRAINDICATED, { 2, 2, 33, 0, 2, 2, 0, 0 } },
	{ "unknown measurement, admitted", "snp", false, true, true, false,
	    false, EAR_TIER_WARNING, { 2, 2, 33, 0, 2, 2, 0, 0 } },
	{ "refused by another rule", "snp", false, false, true, false, true,
	    EAR_TIER_CONTRAINDICATED, { 2, 2, 2, 0, 2, 2, 0, 0 } },
	{ "evidence not verified", "snp", false, false, false, false, false,
	    EAR_TIER_CONTRAINDICATED, { 99, 0, 0, 0, 0, 0, 0, 0 } },
	{ "not verified, admitted flag", "snp", false, true, false, false,
	    true, EAR_TIER_CONTRAINDICATED, { 99, 0, 0, 0, 0, 0, 0, 0 } },
};

static void
test_appraise(void **state)
{
	const struct appraise_case *t;
	struct ear_input in;
	struct ear_vector v;
	enum ear_tier st, worst;
	json_t *c, *a;
	char *jwt;
	size_t i;
	int j, vals[8];

	(void)state;
	for (i = 0; i < sizeof(appraise_cases) / sizeof(appraise_cases[0]);
	    i++) {
		t = &appraise_cases[i];
		memset(&in, 0, sizeof(in));
		in.platform = t->platform;
		in.is_sim = t->is_sim;
		in.admitted = t->admitted;
		in.hardware_verified = t->verified;
		in.debug = t->debug;
		in.measurement_trusted = t->trusted;
		ear_appraise(&in, &v, &st);
		if (st != t->status || memcmp(&v, &t->v, sizeof(v)) != 0) {
			fail_msg("%s: %s, vector %d %d %d %d %d %d %d %d",
			    t->name, ear_tier_name(st), v.instance_identity,
			    v.configuration, v.executables, v.file_system,
			    v.hardware, v.runtime_opaque, v.storage_opaque,
			    v.sourced_data);
		}
		/* §3.1: never more trusting than the worst claim. */
		vals[0] = v.instance_identity;
		vals[1] = v.configuration;
		vals[2] = v.executables;
		vals[3] = v.file_system;
		vals[4] = v.hardware;
		vals[5] = v.runtime_opaque;
		vals[6] = v.storage_opaque;
		vals[7] = v.sourced_data;
		worst = EAR_TIER_NONE;
		for (j = 0; j < 8; j++) {
			if (ear_tier_of(vals[j]) > worst) {
				worst = ear_tier_of(vals[j]);
			}
		}
		assert_true(st >= worst);
		/* And the token says the same. */
		jwt = sign(&in);
		assert_true(jose_verifies(jwt, F.jwk));
		c = part(jwt, 1);
		assert_string_equal(str(c, "ear_status"), ear_tier_name(st));
		a = json_object_get(json_object_get(c, "submods"), t->platform);
		assert_string_equal(str(a, "ear_status"), ear_tier_name(st));
		assert_int_equal(integer(json_object_get(a,
		    "ear_trustworthiness_vector"), "hardware"), v.hardware);
		json_decref(c);
		free(jwt);
	}

	/* Tier boundaries of AR4SI. */
	assert_int_equal(ear_tier_of(0), EAR_TIER_NONE);
	assert_int_equal(ear_tier_of(1), EAR_TIER_NONE);
	assert_int_equal(ear_tier_of(-1), EAR_TIER_NONE);
	assert_int_equal(ear_tier_of(2), EAR_TIER_AFFIRMING);
	assert_int_equal(ear_tier_of(31), EAR_TIER_AFFIRMING);
	assert_int_equal(ear_tier_of(-2), EAR_TIER_AFFIRMING);
	assert_int_equal(ear_tier_of(32), EAR_TIER_WARNING);
	assert_int_equal(ear_tier_of(95), EAR_TIER_WARNING);
	assert_int_equal(ear_tier_of(-33), EAR_TIER_WARNING);
	assert_int_equal(ear_tier_of(96), EAR_TIER_CONTRAINDICATED);
	assert_int_equal(ear_tier_of(127), EAR_TIER_CONTRAINDICATED);
	assert_int_equal(ear_tier_of(-97), EAR_TIER_CONTRAINDICATED);
	assert_string_equal(ear_tier_name(EAR_TIER_NONE), "none");
}

static void
test_jwks(void **state)
{
	static const char *const members[] = { "kty", "crv", "x", "y", "kid",
	    "alg", "use", "x5c", NULL };
	json_t *set, *k, *x5c;
	uint8_t der[VOUCH_CERT_MAX_BYTES];
	const uint8_t *p;
	const char *s;
	size_t n, i;
	X509 *x, *want[2];
	EVP_PKEY *other, *pub;
	uint8_t *spki = NULL;
	char *out = (char *)1;
	int len;

	(void)state;
	set = json_loads(F.jwks, JSON_REJECT_DUPLICATES, NULL);
	assert_non_null(set);
	assert_int_equal(json_object_size(set), 1);
	assert_int_equal(json_array_size(json_object_get(set, "keys")), 1);
	k = json_array_get(json_object_get(set, "keys"), 0);
	assert_only_keys(k, members);
	assert_string_equal(str(k, "kty"), "EC");
	assert_string_equal(str(k, "crv"), "P-384");
	assert_string_equal(str(k, "kid"), F.kid);
	assert_string_equal(str(k, "alg"), "ES384");
	assert_string_equal(str(k, "use"), "sig");
	assert_null(json_object_get(k, "d"));
	/* P-384 coordinates: 48 bytes, 64 base64url characters. */
	assert_int_equal(strlen(str(k, "x")), 64);
	assert_int_equal(strlen(str(k, "y")), 64);
	x5c = json_object_get(k, "x5c");
	assert_int_equal(json_array_size(x5c), 2);
	want[0] = F.issuer;
	want[1] = F.root;
	for (i = 0; i < 2; i++) {
		s = json_string_value(json_array_get(x5c, i));
		assert_non_null(s);
		/* Standard base64 with padding, not base64url. */
		assert_true(vouch_b64_decode(s, strlen(s), false, der,
		    sizeof(der), &n));
		p = der;
		x = d2i_X509(NULL, &p, (long)n);
		assert_non_null(x);
		assert_int_equal(X509_cmp(x, want[i]), 0);
		X509_free(x);
	}
	json_decref(set);

	/* From the public key alone: the same document. */
	len = i2d_PUBKEY(F.key, &spki);
	assert_true(len > 0);
	p = spki;
	pub = d2i_PUBKEY(NULL, &p, len);
	assert_non_null(pub);
	OPENSSL_free(spki);
	assert_int_equal(ear_jwks(F.ctx, pub, F.issuer, F.root, &out),
	    VOUCH_OK);
	assert_string_equal(out, F.jwks);
	free(out);
	EVP_PKEY_free(pub);

	/* A key the issuing certificate does not carry. */
	assert_int_equal(vouch_key_gen_p384(F.ctx, &other), VOUCH_OK);
	assert_int_equal(ear_jwks(F.ctx, other, F.issuer, F.root, &out),
	    VOUCH_ERR_BAD_KEY);
	assert_null(out);
	EVP_PKEY_free(other);
	/* Not P-384. */
	other = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "prime256v1");
	assert_non_null(other);
	assert_int_equal(ear_jwks(F.ctx, other, F.issuer, F.root, &out),
	    VOUCH_ERR_BAD_KEY);
	EVP_PKEY_free(other);
	assert_int_equal(ear_jwks(F.ctx, F.key, NULL, F.root, &out),
	    VOUCH_ERR_INVALID_ARGUMENT);
}

static void
test_sign_bounds(void **state)
{
	static const uint8_t big[65] = { 0 };
	struct ear_input in;
	EVP_PKEY *p256;
	char *jwt = (char *)1;

	(void)state;
	in = good_input("snp");
	p256 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "prime256v1");
	assert_non_null(p256);
	assert_int_equal(ear_sign(F.ctx, p256, F.kid, &in, IAT, &jwt),
	    VOUCH_ERR_BAD_KEY);
	assert_null(jwt);
	EVP_PKEY_free(p256);
	assert_int_equal(ear_sign(F.ctx, NULL, F.kid, &in, IAT, &jwt),
	    VOUCH_ERR_BAD_KEY);
	assert_int_equal(ear_sign(F.ctx, F.key, NULL, &in, IAT, &jwt),
	    VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(ear_sign(F.ctx, F.key, "", &in, IAT, &jwt),
	    VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(ear_sign(F.ctx, F.key, F.kid, NULL, IAT, &jwt),
	    VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(ear_sign(F.ctx, F.key, F.kid, &in, -1, &jwt),
	    VOUCH_ERR_INVALID_ARGUMENT);

	in.nonce_len = EAR_NONCE_MIN - 1;
	assert_int_equal(ear_sign(F.ctx, F.key, F.kid, &in, IAT, &jwt),
	    VOUCH_ERR_INVALID_ARGUMENT);
	in.nonce = big;
	in.nonce_len = EAR_NONCE_MAX + 1;
	assert_int_equal(ear_sign(F.ctx, F.key, F.kid, &in, IAT, &jwt),
	    VOUCH_ERR_INVALID_ARGUMENT);
	in.nonce = NULL;
	in.nonce_len = 8;
	assert_int_equal(ear_sign(F.ctx, F.key, F.kid, &in, IAT, &jwt),
	    VOUCH_ERR_INVALID_ARGUMENT);
	/* The extremes that are allowed. */
	in.nonce = big;
	in.nonce_len = EAR_NONCE_MAX;
	jwt = sign(&in);
	free(jwt);
	in.nonce_len = EAR_NONCE_MIN;
	jwt = sign(&in);
	free(jwt);

	in = good_input("snp");
	in.measurement = big;
	in.measurement_len = EAR_MEASUREMENT_MAX + 1;
	assert_int_equal(ear_sign(F.ctx, F.key, F.kid, &in, IAT, &jwt),
	    VOUCH_ERR_INVALID_ARGUMENT);
	in = good_input("snp");
	in.policy_version = -1;
	assert_int_equal(ear_sign(F.ctx, F.key, F.kid, &in, IAT, &jwt),
	    VOUCH_ERR_INVALID_ARGUMENT);
	in = good_input("snp");
	in.platform = NULL;
	assert_int_equal(ear_sign(F.ctx, F.key, F.kid, &in, IAT, &jwt),
	    VOUCH_ERR_INVALID_ARGUMENT);
	in.platform = "";
	assert_int_equal(ear_sign(F.ctx, F.key, F.kid, &in, IAT, &jwt),
	    VOUCH_ERR_INVALID_ARGUMENT);
	in.platform = "s n p";
	assert_int_equal(ear_sign(F.ctx, F.key, F.kid, &in, IAT, &jwt),
	    VOUCH_ERR_INVALID_ARGUMENT);
	in.platform = "a-platform-name-longer-than-32-bytes";
	assert_int_equal(ear_sign(F.ctx, F.key, F.kid, &in, IAT, &jwt),
	    VOUCH_ERR_INVALID_ARGUMENT);
	in = good_input("snp");
	in.verifier_build = "";
	assert_int_equal(ear_sign(F.ctx, F.key, F.kid, &in, IAT, &jwt),
	    VOUCH_ERR_INVALID_ARGUMENT);
	assert_null(jwt);
}

static void
write_file(const char *name, const char *text)
{
	char path[128];
	FILE *f;

	(void)snprintf(path, sizeof(path), "%s/%s", F.dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	assert_int_equal(fclose(f), 0);
}

/*
 * Independent verification with npm jose (tests/interop/ear_verify.mjs)
 * when it is installed; skipped, and said so, otherwise.
 */
static void
test_npm_jose(void **state)
{
	char interop[512], cmd[1536], *slash, *jwt, *bad;
	struct ear_input in = good_input("sim");

	(void)state;
	(void)snprintf(interop, sizeof(interop), "%s", __FILE__);
	slash = strrchr(interop, '/');
	assert_non_null(slash);
	/* tests/unit/test_ear.c -> tests/interop */
	(void)snprintf(slash, sizeof(interop) - (size_t)(slash - interop),
	    "/../interop");
	(void)snprintf(cmd, sizeof(cmd),
	    "test -d '%s/node_modules/jose' && command -v node >/dev/null",
	    interop);
	if (system(cmd) != 0) {
		print_message("npm jose not installed in %s: skipped\n",
		    interop);
		skip();
	}
	jwt = sign(&in);
	write_file("jwks.json", F.jwks);
	write_file("token.jwt", jwt);
	(void)snprintf(cmd, sizeof(cmd),
	    "node '%s/ear_verify.mjs' '%s/jwks.json' '%s/token.jwt' >'%s/out' "
	    "2>&1", interop, F.dir, F.dir, F.dir);
	assert_int_equal(system(cmd), 0);
	/* A tampered token is refused by npm jose too. */
	bad = strdup(jwt);
	assert_non_null(bad);
	bad[strlen(bad) - 2] = (char)(bad[strlen(bad) - 2] == 'A' ? 'B' : 'A');
	write_file("token.jwt", bad);
	assert_int_not_equal(system(cmd), 0);
	free(bad);
	free(jwt);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kid),
		cmocka_unit_test(test_sign_verify),
		cmocka_unit_test(test_tamper),
		cmocka_unit_test(test_appraise),
		cmocka_unit_test(test_jwks),
		cmocka_unit_test(test_sign_bounds),
		cmocka_unit_test(test_npm_jose),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
