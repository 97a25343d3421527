/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for lib/policy/jws.c: sign/verify round trip with fresh
 * P-384 keys, then envelopes crafted here (and correctly signed, so that
 * only the property under test is wrong): other algorithms, header
 * members, kid, extra envelope members, base64url padding and alphabet,
 * signature length; every single-byte change of a valid envelope; sizes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>
#include <openssl/evp.h>

#include "bs/bs.h"
#include "bs/json.h"
#include "crypto/crypto.h"
#include "policy/jws.h"
#include "policy/policy.h"

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

#define H8(x)		x x x x x x x x
#define M1		H8("111111111111")

static const char policy_doc[] =
	"{\"vouch_policy\":1,\"version\":3,\"expires\":\"2030-01-01T00:00:00Z\","
	"\"platforms\":{\"sim\":{\"min_tcb_svn\":1}},"
	"\"measurements\":{\"release-1\":[\"" M1 "\"]},"
	"\"rules\":{\"claim\":\"profile\",\"equals\":\"production\"}}";

struct fixture {
	struct vouch_ctx	*ctx;
	EVP_PKEY		*key;		/* the domain key */
	EVP_PKEY		*other;		/* another P-384 key */
	EVP_PKEY		*p256;
	char			 kid[2 * VOUCH_SHA256_BYTES + 1];
	char			 other_kid[2 * VOUCH_SHA256_BYTES + 1];
};

static struct fixture F;

static void
kid_of(EVP_PKEY *key, char *out, size_t cap)
{
	uint8_t h[VOUCH_SHA256_BYTES];

	assert_int_equal(vouch_key_spki_sha256(NULL, key, h), VOUCH_OK);
	assert_true(vouch_hex_encode(h, sizeof(h), out, cap));
}

static int
setup(void **state)
{
	(void)state;
	memset(&F, 0, sizeof(F));
	F.ctx = vouch_ctx_new();
	assert_non_null(F.ctx);
	vouch_ctx_set_time(F.ctx, 1800000000);
	assert_int_equal(vouch_key_gen_p384(F.ctx, &F.key), VOUCH_OK);
	assert_int_equal(vouch_key_gen_p384(F.ctx, &F.other), VOUCH_OK);
	F.p256 = EVP_EC_gen("P-256");
	assert_non_null(F.p256);
	kid_of(F.key, F.kid, sizeof(F.kid));
	kid_of(F.other, F.other_kid, sizeof(F.other_kid));
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	EVP_PKEY_free(F.key);
	EVP_PKEY_free(F.other);
	EVP_PKEY_free(F.p256);
	vouch_ctx_free(F.ctx);
	return 0;
}

/* Verify |len| bytes of |env| from a heap copy of exactly that size. */
static enum vouch_err
verify_n(EVP_PKEY *pub, const char *env, size_t len, uint8_t **out,
    size_t *out_len)
{
	enum vouch_err rv;
	uint8_t *p;

	p = malloc(len > 0 ? len : 1);
	assert_non_null(p);
	if (len > 0) {
		memcpy(p, env, len);
	}
	rv = vouch_policy_verify_signed(F.ctx, pub, p, len, out, out_len);
	free(p);
	return rv;
}

/* Verify and discard the payload; checks outputs are reset on failure. */
static enum vouch_err
verify(EVP_PKEY *pub, const char *env)
{
	uint8_t *out = (uint8_t *)&out;
	size_t out_len = 12345;
	enum vouch_err rv;

	rv = verify_n(pub, env, strlen(env), &out, &out_len);
	if (rv != VOUCH_OK) {
		assert_null(out);
		assert_int_equal(out_len, 0);
	}
	free(rv == VOUCH_OK ? out : NULL);
	return rv;
}

static char *
b64url(const void *p, size_t n)
{
	size_t cap = vouch_b64_encoded_len(n, true) + 1;
	char *s = malloc(cap);

	assert_non_null(s);
	assert_true(vouch_b64_encode(p, n, true, s, cap));
	return s;
}

static char *
b64std(const void *p, size_t n)
{
	size_t cap = vouch_b64_encoded_len(n, false) + 1;
	char *s = malloc(cap);

	assert_non_null(s);
	assert_true(vouch_b64_encode(p, n, false, s, cap));
	return s;
}

/* The base64url signature of |key| over prot "." pay, as given. */
static char *
sign_parts(EVP_PKEY *key, const char *prot, const char *pay)
{
	uint8_t sig[VOUCH_P384_SIG_BYTES];
	size_t plen = strlen(prot), ylen = strlen(pay);
	char *input = malloc(plen + 1 + ylen);

	assert_non_null(input);
	memcpy(input, prot, plen);
	input[plen] = '.';
	memcpy(input + plen + 1, pay, ylen);
	assert_int_equal(vouch_ecdsa_sign_raw(NULL, key, (uint8_t *)input,
	    plen + 1 + ylen, sig, sizeof(sig)), VOUCH_OK);
	free(input);
	return b64url(sig, sizeof(sig));
}

/* {"payload":pay,"protected":prot,"signature":sig<extra>} */
static char *
envelope(const char *prot, const char *pay, const char *sig,
    const char *extra)
{
	size_t cap = strlen(prot) + strlen(pay) + strlen(sig) +
	    strlen(extra) + 64;
	char *s = malloc(cap);

	assert_non_null(s);
	assert_true(snprintf(s, cap, "{\"payload\":\"%s\",\"protected\":"
	    "\"%s\",\"signature\":\"%s\"%s}", pay, prot, sig, extra) <
	    (int)cap);
	return s;
}

/* A correctly signed envelope with header |hdr| over |payload|. */
static char *
craft(EVP_PKEY *key, const char *hdr, const char *payload, size_t plen,
    const char *extra)
{
	char *prot = b64url(hdr, strlen(hdr));
	char *pay = b64url(payload, plen);
	char *sig = sign_parts(key, prot, pay);
	char *env = envelope(prot, pay, sig, extra);

	free(prot);
	free(pay);
	free(sig);
	return env;
}

static char *
good_header(void)
{
	static char hdr[256];

	assert_true(snprintf(hdr, sizeof(hdr), "{\"alg\":\"ES384\",\"kid\":"
	    "\"%s\",\"typ\":\"vouch-policy+json\"}", F.kid) <
	    (int)sizeof(hdr));
	return hdr;
}

static char *
sign_policy(void)
{
	char *out = NULL;

	assert_int_equal(vouch_policy_sign(F.ctx, F.key,
	    (const uint8_t *)policy_doc, strlen(policy_doc), &out), VOUCH_OK);
	assert_non_null(out);
	return out;
}

static void
test_round_trip(void **state)
{
	struct vouch_policy *pol = NULL;
	uint8_t *payload = NULL, hdr[256];
	size_t len = 0, hlen;
	json_t *env;
	char *signed_doc, want[256];
	const char *prot;

	signed_doc = sign_policy();
	assert_int_equal(verify_n(F.key, signed_doc, strlen(signed_doc),
	    &payload, &len), VOUCH_OK);
	assert_int_equal(len, strlen(policy_doc));
	assert_memory_equal(payload, policy_doc, len);
	assert_int_equal(vouch_policy_parse(F.ctx, payload, len, &pol),
	    VOUCH_OK);
	assert_int_equal(vouch_policy_version(pol), 3);
	vouch_policy_free(pol);
	free(payload);

	/* The shape: three members in order, the header as documented. */
	assert_memory_equal(signed_doc, "{\"payload\":\"", 12);
	assert_int_equal(vouch_json_load(NULL, (const uint8_t *)signed_doc,
	    strlen(signed_doc), 0, &env), VOUCH_OK);
	assert_int_equal(json_object_size(env), 3);
	prot = json_string_value(json_object_get(env, "protected"));
	assert_non_null(prot);
	assert_true(vouch_b64_decode(prot, strlen(prot), true, hdr,
	    sizeof(hdr), &hlen));
	assert_true(snprintf(want, sizeof(want), "{\"alg\":\"ES384\",\"kid\":"
	    "\"%s\",\"typ\":\"vouch-policy+json\"}", F.kid) < (int)sizeof(want));
	assert_int_equal(hlen, strlen(want));
	assert_memory_equal(hdr, want, hlen);
	assert_int_equal(strlen(json_string_value(json_object_get(env,
	    "signature"))), 128);
	json_decref(env);

	/* Verification with the public half only. */
	{
		uint8_t *der = NULL;
		const uint8_t *p;
		EVP_PKEY *pub;
		int n;

		n = i2d_PUBKEY(F.key, &der);
		assert_true(n > 0);
		p = der;
		pub = d2i_PUBKEY(NULL, &p, n);
		assert_non_null(pub);
		assert_int_equal(verify(pub, signed_doc), VOUCH_OK);
		EVP_PKEY_free(pub);
		OPENSSL_free(der);
	}
	free(signed_doc);
}

static void
test_wrong_key(void **state)
{
	char *signed_doc = sign_policy(), *env;

	/* The kid already names another key... */
	assert_int_equal(verify(F.other, signed_doc),
	    VOUCH_ERR_POLICY_SIGNATURE);
	assert_non_null(strstr(vouch_error(F.ctx), "kid"));
	/* ...and without a kid the signature itself fails. */
	env = craft(F.key, "{\"alg\":\"ES384\",\"typ\":\"vouch-policy+json\"}",
	    policy_doc, strlen(policy_doc), "");
	assert_int_equal(verify(F.key, env), VOUCH_OK);
	assert_int_equal(verify(F.other, env), VOUCH_ERR_POLICY_SIGNATURE);
	assert_non_null(strstr(vouch_error(F.ctx), "does not verify"));
	/* A P-256 key is not a policy key. */
	assert_int_equal(verify(F.p256, env), VOUCH_ERR_BAD_KEY);
	free(env);
	free(signed_doc);
}

/* Another character of the base64url alphabet than |c|. */
static char
other_b64(char c)
{
	return c == 'A' ? 'B' : 'A';
}

static void
test_flipped_member(void **state)
{
	static const char *const members[] = {
		"\"payload\":\"", "\"protected\":\"", "\"signature\":\"",
	};
	char *signed_doc = sign_policy(), *copy, *start, *end;
	size_t m, i, len = strlen(signed_doc), tested;

	for (m = 0; m < ARRAY_LEN(members); m++) {
		start = strstr(signed_doc, members[m]);
		assert_non_null(start);
		start += strlen(members[m]);
		end = strchr(start, '"');
		assert_non_null(end);
		tested = 0;
		/*
		 * Every 8th character and the last one: the exhaustive
		 * single-byte pass is test_every_byte_flip_rejected.
		 */
		for (i = (size_t)(start - signed_doc);
		    i < (size_t)(end - signed_doc); i++) {
			if ((i - (size_t)(start - signed_doc)) % 8 != 0 &&
			    i != (size_t)(end - signed_doc) - 1) {
				continue;
			}
			copy = malloc(len + 1);
			assert_non_null(copy);
			memcpy(copy, signed_doc, len + 1);
			copy[i] = other_b64(copy[i]);
			if (verify(F.key, copy) != VOUCH_ERR_POLICY_SIGNATURE) {
				fail_msg("%s byte %zu changed: %s", members[m],
				    i, vouch_error(F.ctx));
			}
			free(copy);
			tested++;
		}
		assert_true(tested > 0);
	}
	free(signed_doc);
}

/*
 * Every byte of the envelope XOR 0x01 (a base64url character becomes
 * another or an invalid one; JSON punctuation breaks): never accepted.
 */
static void
test_every_byte_flip_rejected(void **state)
{
	static const uint8_t masks[] = { 0x01 };
	char *signed_doc = sign_policy(), *copy;
	size_t i, k, len = strlen(signed_doc);
	uint8_t *out;
	size_t out_len;

	copy = malloc(len);
	assert_non_null(copy);
	for (i = 0; i < len; i++) {
		for (k = 0; k < ARRAY_LEN(masks); k++) {
			memcpy(copy, signed_doc, len);
			copy[i] = (char)(copy[i] ^ masks[k]);
			out = NULL;
			if (verify_n(F.key, copy, len, &out, &out_len) ==
			    VOUCH_OK) {
				fail_msg("byte %zu ^ 0x%02x accepted", i,
				    masks[k]);
			}
		}
	}
	free(copy);
	/* And every truncation. */
	for (i = 0; i < len; i++) {
		out = NULL;
		if (verify_n(F.key, signed_doc, i, &out, &out_len) ==
		    VOUCH_OK) {
			fail_msg("prefix of %zu bytes accepted", i);
		}
	}
	free(signed_doc);
}

/* Headers that are wrong; each envelope is correctly signed. */
struct hdr_case {
	const char	*name;
	const char	*hdr;		/* "%s" is replaced by the right kid */
	const char	*msg;
};

static const struct hdr_case bad_headers[] = {
	{ "alg none", "{\"alg\":\"none\",\"typ\":\"vouch-policy+json\"}",
	  "alg must be" },
	{ "alg None", "{\"alg\":\"None\",\"typ\":\"vouch-policy+json\"}",
	  "alg must be" },
	{ "alg ES256", "{\"alg\":\"ES256\",\"kid\":\"%s\","
	  "\"typ\":\"vouch-policy+json\"}", "alg must be" },
	{ "alg HS256", "{\"alg\":\"HS256\",\"typ\":\"vouch-policy+json\"}",
	  "alg must be" },
	{ "alg RS384", "{\"alg\":\"RS384\",\"typ\":\"vouch-policy+json\"}",
	  "alg must be" },
	{ "alg ES512", "{\"alg\":\"ES512\",\"typ\":\"vouch-policy+json\"}",
	  "alg must be" },
	{ "alg es384", "{\"alg\":\"es384\",\"typ\":\"vouch-policy+json\"}",
	  "alg must be" },
	{ "alg ES384 with NUL", "{\"alg\":\"ES384\\u0000\","
	  "\"typ\":\"vouch-policy+json\"}", "protected header" },
	{ "alg ES384 with space", "{\"alg\":\"ES384 \","
	  "\"typ\":\"vouch-policy+json\"}", "alg must be" },
	{ "alg number", "{\"alg\":384,\"typ\":\"vouch-policy+json\"}",
	  "alg must be" },
	{ "alg array", "{\"alg\":[\"ES384\"],\"typ\":\"vouch-policy+json\"}",
	  "alg must be" },
	{ "alg missing", "{\"kid\":\"%s\",\"typ\":\"vouch-policy+json\"}",
	  "alg must be" },
	{ "alg twice", "{\"alg\":\"none\",\"alg\":\"ES384\","
	  "\"typ\":\"vouch-policy+json\"}", "duplicate" },
	{ "typ missing", "{\"alg\":\"ES384\",\"kid\":\"%s\"}", "typ must be" },
	{ "typ JWT", "{\"alg\":\"ES384\",\"typ\":\"JWT\"}", "typ must be" },
	{ "typ with prefix", "{\"alg\":\"ES384\","
	  "\"typ\":\"application/vouch-policy+json\"}", "typ must be" },
	{ "crit", "{\"alg\":\"ES384\",\"typ\":\"vouch-policy+json\","
	  "\"crit\":[\"exp\"],\"exp\":1}", "\"crit\" is not supported" },
	{ "crit empty", "{\"alg\":\"ES384\",\"typ\":\"vouch-policy+json\","
	  "\"crit\":[]}", "crit" },
	{ "jku", "{\"alg\":\"ES384\",\"typ\":\"vouch-policy+json\","
	  "\"jku\":\"https://example.com/k\"}", "unknown key \"jku\"" },
	{ "jwk", "{\"alg\":\"ES384\",\"typ\":\"vouch-policy+json\","
	  "\"jwk\":{}}", "unknown key \"jwk\"" },
	{ "x5c", "{\"alg\":\"ES384\",\"typ\":\"vouch-policy+json\","
	  "\"x5c\":[]}", "unknown key \"x5c\"" },
	{ "b64 false", "{\"alg\":\"ES384\",\"typ\":\"vouch-policy+json\","
	  "\"b64\":false}", "unknown key \"b64\"" },
	{ "kid of another key", NULL, "kid names another key" },
	{ "kid short", "{\"alg\":\"ES384\",\"kid\":\"00\","
	  "\"typ\":\"vouch-policy+json\"}", "kid must be" },
	{ "kid not hex", "{\"alg\":\"ES384\",\"kid\":\"" H8("zzzzzzzz")
	  "\",\"typ\":\"vouch-policy+json\"}", "kid must be" },
	{ "kid number", "{\"alg\":\"ES384\",\"kid\":1,"
	  "\"typ\":\"vouch-policy+json\"}", "kid must be" },
	{ "header array", "[\"ES384\"]", "not a JSON object" },
	{ "header not JSON", "ES384", "protected header" },
	{ "header trailing data", "{\"alg\":\"ES384\","
	  "\"typ\":\"vouch-policy+json\"}x", "protected header" },
	{ "header empty", "", "protected header" },
};

static void
test_bad_headers(void **state)
{
	char hdr[512], *env;
	size_t i;

	for (i = 0; i < ARRAY_LEN(bad_headers); i++) {
		if (bad_headers[i].hdr == NULL) {
			assert_true(snprintf(hdr, sizeof(hdr), "{\"alg\":"
			    "\"ES384\",\"kid\":\"%s\",\"typ\":"
			    "\"vouch-policy+json\"}", F.other_kid) <
			    (int)sizeof(hdr));
		} else if (strstr(bad_headers[i].hdr, "%s") != NULL) {
			/* The format is a table entry, not user input. */
			const char *pct = strstr(bad_headers[i].hdr, "%s");
			size_t pre = (size_t)(pct - bad_headers[i].hdr);

			assert_true(snprintf(hdr, sizeof(hdr), "%.*s%s%s",
			    (int)pre, bad_headers[i].hdr, F.kid, pct + 2) <
			    (int)sizeof(hdr));
		} else {
			assert_true(snprintf(hdr, sizeof(hdr), "%s",
			    bad_headers[i].hdr) < (int)sizeof(hdr));
		}
		env = craft(F.key, hdr, policy_doc, strlen(policy_doc), "");
		if (verify(F.key, env) != VOUCH_ERR_POLICY_SIGNATURE) {
			fail_msg("%s: accepted or wrong code: %s",
			    bad_headers[i].name, vouch_error(F.ctx));
		}
		if (strstr(vouch_error(F.ctx), bad_headers[i].msg) == NULL) {
			fail_msg("%s: \"%s\" lacks \"%s\"", bad_headers[i].name,
			    vouch_error(F.ctx), bad_headers[i].msg);
		}
		free(env);
	}
}

static void
test_good_headers(void **state)
{
	char hdr[512], upper[2 * VOUCH_SHA256_BYTES + 1], *env;
	size_t i;

	/* Member order and an upper-case kid do not matter. */
	for (i = 0; i < sizeof(upper) - 1; i++) {
		upper[i] = F.kid[i] >= 'a' && F.kid[i] <= 'f' ?
		    (char)(F.kid[i] - 'a' + 'A') : F.kid[i];
	}
	upper[sizeof(upper) - 1] = '\0';
	assert_true(snprintf(hdr, sizeof(hdr), "{\"typ\":\"vouch-policy+json\","
	    "\"kid\":\"%s\",\"alg\":\"ES384\"}", upper) < (int)sizeof(hdr));
	env = craft(F.key, hdr, policy_doc, strlen(policy_doc), "");
	assert_int_equal(verify(F.key, env), VOUCH_OK);
	free(env);

	/* alg none with no signature at all. */
	env = envelope("eyJhbGciOiJub25lIiwidHlwIjoidm91Y2gtcG9saWN5K2pzb24ifQ",
	    "e30", "", "");
	assert_int_equal(verify(F.key, env), VOUCH_ERR_POLICY_SIGNATURE);
	assert_non_null(strstr(vouch_error(F.ctx), "alg must be"));
	free(env);
}

static void
test_envelope_members(void **state)
{
	static const char *const extras[] = {
		",\"header\":{\"alg\":\"ES384\"}",
		",\"signatures\":[]",
		",\"payload2\":\"\"",
		",\"kid\":\"x\"",
	};
	char *env, *prot, *pay, *sig, buf[4096];
	size_t i;

	for (i = 0; i < ARRAY_LEN(extras); i++) {
		env = craft(F.key, good_header(), policy_doc,
		    strlen(policy_doc), extras[i]);
		assert_int_equal(verify(F.key, env),
		    VOUCH_ERR_POLICY_SIGNATURE);
		assert_non_null(strstr(vouch_error(F.ctx), "unknown key"));
		free(env);
	}

	prot = b64url(good_header(), strlen(good_header()));
	pay = b64url(policy_doc, strlen(policy_doc));
	sig = sign_parts(F.key, prot, pay);

	/* Missing members, members that are not strings. */
	assert_true(snprintf(buf, sizeof(buf), "{\"payload\":\"%s\","
	    "\"protected\":\"%s\"}", pay, prot) < (int)sizeof(buf));
	assert_int_equal(verify(F.key, buf), VOUCH_ERR_POLICY_SIGNATURE);
	assert_true(snprintf(buf, sizeof(buf), "{\"payload\":\"%s\","
	    "\"signature\":\"%s\"}", pay, sig) < (int)sizeof(buf));
	assert_int_equal(verify(F.key, buf), VOUCH_ERR_POLICY_SIGNATURE);
	assert_true(snprintf(buf, sizeof(buf), "{\"protected\":\"%s\","
	    "\"signature\":\"%s\"}", prot, sig) < (int)sizeof(buf));
	assert_int_equal(verify(F.key, buf), VOUCH_ERR_POLICY_SIGNATURE);
	assert_true(snprintf(buf, sizeof(buf), "{\"payload\":{},"
	    "\"protected\":\"%s\",\"signature\":\"%s\"}", prot, sig) <
	    (int)sizeof(buf));
	assert_int_equal(verify(F.key, buf), VOUCH_ERR_POLICY_SIGNATURE);
	assert_true(snprintf(buf, sizeof(buf), "{\"payload\":\"%s\","
	    "\"protected\":\"%s\",\"signature\":null}", pay, prot) <
	    (int)sizeof(buf));
	assert_int_equal(verify(F.key, buf), VOUCH_ERR_POLICY_SIGNATURE);

	/* Duplicate member: JSON-level rejection. */
	assert_true(snprintf(buf, sizeof(buf), "{\"payload\":\"%s\","
	    "\"protected\":\"%s\",\"signature\":\"%s\",\"payload\":\"e30\"}",
	    pay, prot, sig) < (int)sizeof(buf));
	assert_int_equal(verify(F.key, buf), VOUCH_ERR_DUPLICATE_KEY);

	/* Not an object, not JSON, trailing data. */
	assert_int_equal(verify(F.key, "[]"), VOUCH_ERR_POLICY_SIGNATURE);
	assert_int_equal(verify(F.key, ""), VOUCH_ERR_BAD_JSON);
	assert_int_equal(verify(F.key, "{"), VOUCH_ERR_BAD_JSON);
	env = envelope(prot, pay, sig, "");
	assert_int_equal(verify(F.key, env), VOUCH_OK);
	assert_true(snprintf(buf, sizeof(buf), "%s{}", env) < (int)sizeof(buf));
	assert_int_equal(verify(F.key, buf), VOUCH_ERR_BAD_JSON);
	free(env);

	free(prot);
	free(pay);
	free(sig);
}

/*
 * Strict base64url: padding, the standard alphabet and stray characters
 * are rejected even when the signature covers them.
 */
static void
test_base64url_strict(void **state)
{
	/* 0xfb 0xff 0xbf encodes to "-_-_" in base64url, "+/+/" in base64. */
	static const uint8_t odd[] = { 0xfb, 0xff, 0xbf, 0xfb, 0xff };
	char *prot, *pay, *sig, *env, *padded, *std;
	size_t n;

	/* Control: the unpadded, URL-safe form verifies. */
	env = craft(F.key, good_header(), (const char *)odd, sizeof(odd), "");
	assert_int_equal(verify(F.key, env), VOUCH_OK);
	free(env);

	/* Padded payload ("...-w=" is "...-w" plus padding). */
	pay = b64url(odd, sizeof(odd));
	n = strlen(pay);
	assert_int_equal(n % 4, 3);
	padded = malloc(n + 2);
	assert_non_null(padded);
	memcpy(padded, pay, n);
	padded[n] = '=';
	padded[n + 1] = '\0';
	prot = b64url(good_header(), strlen(good_header()));
	sig = sign_parts(F.key, prot, padded);
	env = envelope(prot, padded, sig, "");
	assert_int_equal(verify(F.key, env), VOUCH_ERR_POLICY_SIGNATURE);
	assert_non_null(strstr(vouch_error(F.ctx), "payload"));
	free(env);
	free(sig);
	free(padded);

	/* Standard alphabet in the payload. */
	std = b64std(odd, sizeof(odd));
	assert_non_null(strchr(std, '+'));
	std[strcspn(std, "=")] = '\0';
	sig = sign_parts(F.key, prot, std);
	env = envelope(prot, std, sig, "");
	assert_int_equal(verify(F.key, env), VOUCH_ERR_POLICY_SIGNATURE);
	free(env);
	free(sig);
	free(std);
	free(prot);

	/* Padded protected header. */
	{
		const char *hdr = "{\"alg\":\"ES384\","
		    "\"typ\":\"vouch-policy+json\"}";
		size_t pad;
		char *ph;

		prot = b64url(hdr, strlen(hdr));
		n = strlen(prot);
		pad = (4 - n % 4) % 4;
		assert_true(pad > 0);
		ph = malloc(n + pad + 1);
		assert_non_null(ph);
		memcpy(ph, prot, n);
		memcpy(ph + n, "==", pad);
		ph[n + pad] = '\0';
		sig = sign_parts(F.key, ph, pay);
		env = envelope(ph, pay, sig, "");
		assert_int_equal(verify(F.key, env),
		    VOUCH_ERR_POLICY_SIGNATURE);
		assert_non_null(strstr(vouch_error(F.ctx), "protected"));
		free(env);
		free(sig);
		free(ph);
		free(prot);
	}

	/* Padded or oversized signature. */
	prot = b64url(good_header(), strlen(good_header()));
	sig = sign_parts(F.key, prot, pay);
	padded = malloc(strlen(sig) + 3);
	assert_non_null(padded);
	memcpy(padded, sig, strlen(sig));
	memcpy(padded + strlen(sig), "==", 3);
	env = envelope(prot, pay, padded, "");
	assert_int_equal(verify(F.key, env), VOUCH_ERR_POLICY_SIGNATURE);
	assert_non_null(strstr(vouch_error(F.ctx), "signature is not 96"));
	free(env);
	memcpy(padded + strlen(sig), "AA", 3);
	env = envelope(prot, pay, padded, "");
	assert_int_equal(verify(F.key, env), VOUCH_ERR_POLICY_SIGNATURE);
	free(env);
	/* 95 bytes. */
	padded[strlen(sig) - 4] = '\0';
	env = envelope(prot, pay, padded, "");
	assert_int_equal(verify(F.key, env), VOUCH_ERR_POLICY_SIGNATURE);
	free(env);
	free(padded);

	/* Whitespace inside a member. */
	padded = malloc(strlen(pay) + 2);
	assert_non_null(padded);
	memcpy(padded, pay, 2);
	padded[2] = ' ';
	memcpy(padded + 3, pay + 2, strlen(pay) - 1);
	free(sig);
	sig = sign_parts(F.key, prot, padded);
	env = envelope(prot, padded, sig, "");
	assert_int_equal(verify(F.key, env), VOUCH_ERR_POLICY_SIGNATURE);
	free(env);
	free(padded);

	free(sig);
	free(prot);
	free(pay);
}

static void
test_payload_limits(void **state)
{
	char *prot, *sig, *env, *big;
	size_t n;

	/* Empty payload. */
	prot = b64url(good_header(), strlen(good_header()));
	sig = sign_parts(F.key, prot, "");
	env = envelope(prot, "", sig, "");
	assert_int_equal(verify(F.key, env), VOUCH_ERR_POLICY_SIGNATURE);
	assert_non_null(strstr(vouch_error(F.ctx), "empty payload"));
	free(env);
	free(sig);

	/* A payload just over the policy limit in an envelope under its own. */
	n = VOUCH_POLICY_MAX_BYTES + 3;
	big = malloc(n);
	assert_non_null(big);
	memset(big, ' ', n);
	env = craft(F.key, good_header(), big, n, "");
	assert_true(strlen(env) < VOUCH_POLICY_SIGNED_MAX_BYTES);
	assert_int_equal(verify(F.key, env), VOUCH_ERR_TOO_LARGE);
	free(env);

	/* At the limit it verifies (the policy itself is not parsed). */
	env = craft(F.key, good_header(), big, VOUCH_POLICY_MAX_BYTES, "");
	assert_int_equal(verify(F.key, env), VOUCH_OK);
	free(env);
	free(big);

	/* An envelope over its limit is refused before parsing. */
	n = VOUCH_POLICY_SIGNED_MAX_BYTES + 1;
	big = malloc(n);
	assert_non_null(big);
	memset(big, ' ', n);
	big[0] = '{';
	big[n - 1] = '}';
	{
		uint8_t *p = NULL;
		size_t plen = 0;

		assert_int_equal(verify_n(F.key, big, n, &p, &plen),
		    VOUCH_ERR_TOO_LARGE);
		assert_null(p);
	}
	free(big);
	free(prot);
}

static void
test_sign_checks(void **state)
{
	static const char *const bad[] = {
		/* unknown key */
		"{\"vouch_policy\":1,\"version\":1,\"expires\":"
		"\"2030-01-01T00:00:00Z\",\"platforms\":{},\"measurements\":{},"
		"\"extra\":1}",
		/* not JSON */
		"{",
		"",
	};
	char *out = (char *)&out;
	size_t i;

	for (i = 0; i < ARRAY_LEN(bad); i++) {
		out = (char *)&out;
		assert_int_not_equal(vouch_policy_sign(F.ctx, F.key,
		    (const uint8_t *)bad[i], strlen(bad[i]), &out), VOUCH_OK);
		assert_null(out);
	}
	assert_int_equal(vouch_policy_sign(F.ctx, F.key,
	    (const uint8_t *)bad[0], strlen(bad[0]), &out),
	    VOUCH_ERR_POLICY_INVALID);
	assert_non_null(strstr(vouch_error(F.ctx), "extra: unknown key"));

	/* An unknown claim is caught at signing time. */
	{
		const char *doc = "{\"vouch_policy\":1,\"version\":1,"
		    "\"expires\":\"2030-01-01T00:00:00Z\",\"platforms\":{},"
		    "\"measurements\":{},\"rules\":{\"claim\":\"sim.tcb\","
		    "\"equals\":1}}";

		assert_int_equal(vouch_policy_sign(F.ctx, F.key,
		    (const uint8_t *)doc, strlen(doc), &out),
		    VOUCH_ERR_UNKNOWN_CLAIM);
		assert_null(out);
	}

	/* An expired policy can still be signed (tools explain expiry). */
	{
		const char *doc = "{\"vouch_policy\":1,\"version\":1,"
		    "\"expires\":\"2001-01-01T00:00:00Z\",\"platforms\":{},"
		    "\"measurements\":{}}";

		assert_int_equal(vouch_policy_sign(F.ctx, F.key,
		    (const uint8_t *)doc, strlen(doc), &out), VOUCH_OK);
		assert_int_equal(verify(F.key, out), VOUCH_OK);
		free(out);
	}

	/* Keys and arguments. */
	assert_int_equal(vouch_policy_sign(F.ctx, F.p256,
	    (const uint8_t *)policy_doc, strlen(policy_doc), &out),
	    VOUCH_ERR_BAD_KEY);
	assert_null(out);
	assert_int_equal(vouch_policy_sign(F.ctx, NULL,
	    (const uint8_t *)policy_doc, strlen(policy_doc), &out),
	    VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(vouch_policy_sign(F.ctx, F.key, NULL, 1, &out),
	    VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(vouch_policy_sign(F.ctx, F.key,
	    (const uint8_t *)policy_doc, strlen(policy_doc), NULL),
	    VOUCH_ERR_INVALID_ARGUMENT);
	{
		uint8_t *p;
		size_t n;

		assert_int_equal(vouch_policy_verify_signed(F.ctx, NULL,
		    (const uint8_t *)"{}", 2, &p, &n),
		    VOUCH_ERR_INVALID_ARGUMENT);
		assert_int_equal(vouch_policy_verify_signed(F.ctx, F.key,
		    NULL, 2, &p, &n), VOUCH_ERR_INVALID_ARGUMENT);
		assert_int_equal(vouch_policy_verify_signed(F.ctx, F.key,
		    (const uint8_t *)"{}", 2, NULL, &n),
		    VOUCH_ERR_INVALID_ARGUMENT);
		assert_int_equal(vouch_policy_verify_signed(F.ctx, F.key,
		    (const uint8_t *)"{}", 2, &p, NULL),
		    VOUCH_ERR_INVALID_ARGUMENT);
	}
}

/* Two signatures of the same policy differ (ECDSA is randomized) but both verify. */
static void
test_two_signatures(void **state)
{
	char *a = sign_policy(), *b = sign_policy();

	assert_string_not_equal(a, b);
	assert_int_equal(verify(F.key, a), VOUCH_OK);
	assert_int_equal(verify(F.key, b), VOUCH_OK);
	free(a);
	free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_wrong_key),
		cmocka_unit_test(test_flipped_member),
		cmocka_unit_test(test_every_byte_flip_rejected),
		cmocka_unit_test(test_bad_headers),
		cmocka_unit_test(test_good_headers),
		cmocka_unit_test(test_envelope_members),
		cmocka_unit_test(test_base64url_strict),
		cmocka_unit_test(test_payload_limits),
		cmocka_unit_test(test_sign_checks),
		cmocka_unit_test(test_two_signatures),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
