/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for lib/bs/json.c: the load wrapper (duplicate keys at any
 * depth, trailing data, size cap, UTF-8, "\u0000", top-level type, every
 * truncation), error messages that never echo the input, key allow-lists,
 * hex members and stable output.  Inputs are copied to heap buffers of
 * exactly their length (no NUL) so a read past the end is caught.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bs/bs.h"
#include "bs/json.h"
#include "internal.h"

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

static int
setup_ctx(void **state)
{
	struct vouch_ctx *ctx;

	ctx = vouch_ctx_new();
	if (ctx == NULL) {
		return -1;
	}
	*state = ctx;
	return 0;
}

static int
teardown_ctx(void **state)
{
	vouch_ctx_free(*state);
	return 0;
}

/* Load |len| bytes of |s| from an exact-size heap copy. */
static enum vouch_err
load(struct vouch_ctx *ctx, const char *s, size_t len, size_t max,
    json_t **out)
{
	uint8_t *p;
	enum vouch_err rv;

	p = malloc(len > 0 ? len : 1);
	assert_non_null(p);
	if (len > 0) {
		memcpy(p, s, len);
	}
	rv = vouch_json_load(ctx, p, len, max, out);
	free(p);
	return rv;
}

static enum vouch_err
load_str(struct vouch_ctx *ctx, const char *s, json_t **out)
{
	return load(ctx, s, strlen(s), 0, out);
}

struct load_case {
	const char	*name;
	const char	*s;
	size_t		 len;	/* 0: strlen(s) */
	enum vouch_err	 want;
};

static const struct load_case load_cases[] = {
	{ "object", "{\"a\":1}", 0, VOUCH_OK },
	{ "empty object", "{}", 0, VOUCH_OK },
	{ "array", "[1,\"x\",null,true,{\"a\":[]}]", 0, VOUCH_OK },
	{ "empty array", "[]", 0, VOUCH_OK },
	{ "whitespace around", " \t\r\n{\"a\" : 1}\n ", 0, VOUCH_OK },
	{ "utf-8 value", "{\"a\":\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"}", 0,
	    VOUCH_OK },
	{ "escaped pair", "{\"a\":\"\\ud83d\\ude00\"}", 0, VOUCH_OK },
	{ "same key in siblings", "{\"x\":{\"k\":1},\"y\":{\"k\":1}}", 0,
	    VOUCH_OK },
	{ "same key at two depths", "{\"k\":{\"k\":1}}", 0, VOUCH_OK },

	/* Duplicate keys, at every depth. */
	{ "dup top", "{\"a\":1,\"a\":2}", 0, VOUCH_ERR_DUPLICATE_KEY },
	{ "dup top same value", "{\"a\":1,\"a\":1}", 0,
	    VOUCH_ERR_DUPLICATE_KEY },
	{ "dup top apart", "{\"a\":1,\"b\":2,\"a\":3}", 0,
	    VOUCH_ERR_DUPLICATE_KEY },
	{ "dup nested", "{\"x\":{\"k\":1,\"k\":2}}", 0,
	    VOUCH_ERR_DUPLICATE_KEY },
	{ "dup deep", "{\"x\":{\"y\":{\"z\":{\"k\":1,\"k\":2}}}}", 0,
	    VOUCH_ERR_DUPLICATE_KEY },
	{ "dup in array", "[{\"k\":1},{\"k\":1,\"k\":1}]", 0,
	    VOUCH_ERR_DUPLICATE_KEY },
	{ "dup via escape", "{\"a\":1,\"\\u0061\":2}", 0,
	    VOUCH_ERR_DUPLICATE_KEY },
	{ "dup empty key", "{\"\":1,\"\":2}", 0, VOUCH_ERR_DUPLICATE_KEY },

	/* Trailing data. */
	{ "trailing garbage", "{} x", 0, VOUCH_ERR_BAD_JSON },
	{ "two values", "{}{}", 0, VOUCH_ERR_BAD_JSON },
	{ "two arrays", "[] []", 0, VOUCH_ERR_BAD_JSON },
	{ "trailing comma", "{\"a\":1},", 0, VOUCH_ERR_BAD_JSON },
	{ "trailing NUL", "{}\0", 3, VOUCH_ERR_BAD_JSON },
	{ "NUL then garbage", "{}\0x", 4, VOUCH_ERR_BAD_JSON },

	/* Encoding. */
	{ "invalid utf-8 ff", "[\"\xff\"]", 0, VOUCH_ERR_BAD_JSON },
	{ "invalid utf-8 continuation", "[\"\x80\"]", 0,
	    VOUCH_ERR_BAD_JSON },
	{ "overlong slash", "[\"\xc0\xaf\"]", 0, VOUCH_ERR_BAD_JSON },
	{ "overlong nul", "[\"\xc0\x80\"]", 0, VOUCH_ERR_BAD_JSON },
	{ "utf-8 surrogate", "[\"\xed\xa0\x80\"]", 0, VOUCH_ERR_BAD_JSON },
	{ "truncated utf-8", "[\"\xe2\x82\"]", 0, VOUCH_ERR_BAD_JSON },
	{ "above U+10FFFF", "[\"\xf4\x90\x80\x80\"]", 0, VOUCH_ERR_BAD_JSON },
	{ "invalid utf-8 key", "{\"\xff\":1}", 0, VOUCH_ERR_BAD_JSON },
	{ "BOM", "\xef\xbb\xbf{}", 0, VOUCH_ERR_BAD_JSON },
	{ "u0000 value", "{\"a\":\"\\u0000\"}", 0, VOUCH_ERR_BAD_JSON },
	{ "u0000 inside value", "{\"a\":\"x\\u0000y\"}", 0,
	    VOUCH_ERR_BAD_JSON },
	{ "u0000 key", "{\"a\\u0000b\":1}", 0, VOUCH_ERR_BAD_JSON },
	{ "raw NUL in string", "{\"a\":\"\0\"}", 8, VOUCH_ERR_BAD_JSON },
	{ "raw control char", "{\"a\":\"\x01\"}", 0, VOUCH_ERR_BAD_JSON },
	{ "lone high surrogate", "[\"\\ud800\"]", 0, VOUCH_ERR_BAD_JSON },
	{ "lone low surrogate", "[\"\\udc00\"]", 0, VOUCH_ERR_BAD_JSON },

	/* Top level must be an object or an array. */
	{ "number", "1", 0, VOUCH_ERR_BAD_JSON },
	{ "string", "\"s\"", 0, VOUCH_ERR_BAD_JSON },
	{ "null", "null", 0, VOUCH_ERR_BAD_JSON },
	{ "true", "true", 0, VOUCH_ERR_BAD_JSON },
	{ "empty", "", 0, VOUCH_ERR_BAD_JSON },
	{ "whitespace only", " \n", 0, VOUCH_ERR_BAD_JSON },

	/* Syntax. */
	{ "single quotes", "{'a':1}", 0, VOUCH_ERR_BAD_JSON },
	{ "bare key", "{a:1}", 0, VOUCH_ERR_BAD_JSON },
	{ "comment", "{/* c */}", 0, VOUCH_ERR_BAD_JSON },
	{ "comma in object", "{\"a\":1,}", 0, VOUCH_ERR_BAD_JSON },
	{ "comma in array", "[1,]", 0, VOUCH_ERR_BAD_JSON },
	{ "NaN", "[NaN]", 0, VOUCH_ERR_BAD_JSON },
	{ "leading zero", "[01]", 0, VOUCH_ERR_BAD_JSON },
	{ "huge real", "[1e999]", 0, VOUCH_ERR_BAD_JSON },
	{ "unterminated", "{\"a\":1", 0, VOUCH_ERR_BAD_JSON },
};

static void
test_load_cases(void **state)
{
	struct vouch_ctx *ctx = *state;
	const struct load_case *lc;
	json_t *v;
	enum vouch_err rv;
	size_t i, len;

	for (i = 0; i < ARRAY_LEN(load_cases); i++) {
		lc = &load_cases[i];
		len = lc->len != 0 ? lc->len : strlen(lc->s);
		v = json_null();	/* non-NULL, so the reset shows */
		rv = load(ctx, lc->s, len, 0, &v);
		if (rv != lc->want) {
			fail_msg("%s: got %s, want %s", lc->name,
			    vouch_errname(rv), vouch_errname(lc->want));
		}
		if (rv == VOUCH_OK) {
			assert_non_null(v);
			assert_true(json_is_object(v) || json_is_array(v));
			json_decref(v);
		} else {
			assert_null(v);
			assert_int_equal(vouch_error_code(ctx), lc->want);
		}
	}
}

/* Every proper prefix of a valid document is rejected. */
static void
test_load_truncated(void **state)
{
	static const char *const docs[] = {
		"{\"a\":[1,2.5,\"x\\u00e9\"],\"b\":{\"c\":null,\"d\":true}}",
		"[{\"k\":\"\xc3\xa9\"},false,-0.5e3]",
	};
	struct vouch_ctx *ctx = *state;
	json_t *v;
	enum vouch_err rv;
	size_t i, k, n;

	for (i = 0; i < ARRAY_LEN(docs); i++) {
		n = strlen(docs[i]);
		assert_int_equal(load(ctx, docs[i], n, 0, &v), VOUCH_OK);
		json_decref(v);
		for (k = 0; k < n; k++) {
			rv = load(ctx, docs[i], k, 0, &v);
			if (rv != VOUCH_ERR_BAD_JSON) {
				fail_msg("doc %zu: %zu of %zu bytes gave %s", i,
				    k, n, vouch_errname(rv));
			}
			assert_null(v);
		}
	}
}

/* Messages give the position but never the input bytes. */
static void
test_load_messages(void **state)
{
	struct vouch_ctx *ctx = *state;
	const char *msg;
	json_t *v;

	assert_int_equal(load_str(ctx, "{\"SeCrEt\":1,\n\"SeCrEt\":2}", &v),
	    VOUCH_ERR_DUPLICATE_KEY);
	msg = vouch_error(ctx);
	assert_non_null(strstr(msg, "line 2"));
	assert_non_null(strstr(msg, "column"));
	assert_null(strstr(msg, "SeCrEt"));

	assert_int_equal(load_str(ctx, "{\"a\":\n  hunter2}", &v),
	    VOUCH_ERR_BAD_JSON);
	msg = vouch_error(ctx);
	assert_non_null(strstr(msg, "line 2"));
	assert_null(strstr(msg, "hunter"));

	assert_int_equal(load_str(ctx, "{} TOPSECRET", &v),
	    VOUCH_ERR_BAD_JSON);
	assert_null(strstr(vouch_error(ctx), "TOPSECRET"));

	assert_int_equal(load_str(ctx, "{\"k\":\"PASS\\u0000WORD\"}", &v),
	    VOUCH_ERR_BAD_JSON);
	assert_null(strstr(vouch_error(ctx), "PASS"));

	assert_int_equal(load_str(ctx, "[\"SECR\xff\"]", &v),
	    VOUCH_ERR_BAD_JSON);
	assert_null(strstr(vouch_error(ctx), "SECR"));

	/* A NULL context is allowed: the code alone comes back. */
	assert_int_equal(load_str(NULL, "{\"a\":1,\"a\":1}", &v),
	    VOUCH_ERR_DUPLICATE_KEY);
	assert_int_equal(load_str(NULL, "[", &v), VOUCH_ERR_BAD_JSON);
}

static void
test_load_size_cap(void **state)
{
	struct vouch_ctx *ctx = *state;
	static const char doc[] = "{\"a\":\"0123456789\"}";
	size_t n = sizeof(doc) - 1;
	uint8_t *big;
	json_t *v;

	/* The cap is inclusive. */
	assert_int_equal(load(ctx, doc, n, n, &v), VOUCH_OK);
	json_decref(v);
	v = json_null();
	assert_int_equal(load(ctx, doc, n, n - 1, &v), VOUCH_ERR_TOO_LARGE);
	assert_null(v);
	assert_int_equal(vouch_error_code(ctx), VOUCH_ERR_TOO_LARGE);
	assert_int_equal(load(ctx, doc, n, 1, &v), VOUCH_ERR_TOO_LARGE);

	/* max = 0 means VOUCH_JSON_MAX_BYTES; the size is checked first. */
	big = calloc(1, (size_t)VOUCH_JSON_MAX_BYTES + 1);
	assert_non_null(big);
	memset(big, ' ', (size_t)VOUCH_JSON_MAX_BYTES + 1);
	big[0] = '[';
	big[VOUCH_JSON_MAX_BYTES] = ']';
	assert_int_equal(vouch_json_load(ctx, big,
	    (size_t)VOUCH_JSON_MAX_BYTES + 1, 0, &v), VOUCH_ERR_TOO_LARGE);
	assert_null(v);
	/* One byte less fits: "[  ...  ]" with the last space dropped. */
	big[VOUCH_JSON_MAX_BYTES - 1] = ']';
	assert_int_equal(vouch_json_load(ctx, big, VOUCH_JSON_MAX_BYTES, 0,
	    &v), VOUCH_OK);
	assert_true(json_is_array(v));
	json_decref(v);
	free(big);
}

static void
test_load_arguments(void **state)
{
	struct vouch_ctx *ctx = *state;
	json_t *v;

	assert_int_equal(vouch_json_load(ctx, NULL, 1, 0, &v),
	    VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(vouch_json_load(ctx, (const uint8_t *)"{}", 2, 0,
	    NULL), VOUCH_ERR_INVALID_ARGUMENT);
	/* An empty document is malformed JSON, not a bad argument. */
	assert_int_equal(vouch_json_load(ctx, NULL, 0, 0, &v),
	    VOUCH_ERR_BAD_JSON);
	assert_null(v);
}

static void
test_load_values(void **state)
{
	struct vouch_ctx *ctx = *state;
	json_t *v;

	assert_int_equal(load_str(ctx, "{\"a\":\"\\u00e9\",\"n\":42}", &v),
	    VOUCH_OK);
	assert_string_equal(json_string_value(json_object_get(v, "a")),
	    "\xc3\xa9");
	assert_int_equal(json_integer_value(json_object_get(v, "n")), 42);
	json_decref(v);
}

/* Nesting beyond jansson's depth limit is malformed, not a crash. */
static void
test_load_deep(void **state)
{
	struct vouch_ctx *ctx = *state;
	const size_t depth = 100000;
	char *doc;
	json_t *v;

	doc = malloc(2 * depth);
	assert_non_null(doc);
	memset(doc, '[', depth);
	memset(doc + depth, ']', depth);
	v = json_null();
	assert_int_equal(load(ctx, doc, 2 * depth, 0, &v), VOUCH_ERR_BAD_JSON);
	assert_null(v);
	assert_non_null(strstr(vouch_error(ctx), "nesting"));
	free(doc);

	/* Moderate depth is fine. */
	assert_int_equal(load_str(ctx,
	    "[[[[[[[[[[{\"a\":[[[]]]}]]]]]]]]]]", &v), VOUCH_OK);
	json_decref(v);
}

/*
 * Fault injection: fail jansson's Nth allocation for every N until a load
 * succeeds.  Each attempt must fail cleanly (no partial value, no crash,
 * no leak).  jansson 2.14 reports most allocation failures in the parser
 * as syntax errors, so VOUCH_ERR_BAD_JSON is accepted alongside
 * VOUCH_ERR_NO_MEMORY.
 */
static long alloc_budget;

static void *
failing_malloc(size_t n)
{
	if (alloc_budget == 0) {
		return NULL;
	}
	if (alloc_budget > 0) {
		alloc_budget--;
	}
	return malloc(n);
}

static void
test_load_no_memory(void **state)
{
	static const char doc[] =
	    "{\"a\":[1,2,{\"b\":\"xyz\",\"c\":null}],\"d\":{\"e\":1.5}}";
	struct vouch_ctx *ctx = *state;
	enum vouch_err rv;
	json_t *v;
	long n;

	for (n = 0; n < 1000; n++) {
		alloc_budget = n;
		json_set_alloc_funcs(failing_malloc, free);
		v = json_null();
		rv = load(ctx, doc, sizeof(doc) - 1, 0, &v);
		json_decref(v);
		json_set_alloc_funcs(malloc, free);
		if (rv == VOUCH_OK) {
			break;
		}
		if (rv != VOUCH_ERR_NO_MEMORY && rv != VOUCH_ERR_BAD_JSON) {
			fail_msg("allocation %ld failed: got %s", n,
			    vouch_errname(rv));
		}
		assert_null(v);
	}
	/* Some allocation failed first, and a large enough budget worked. */
	assert_true(n > 0);
	assert_true(n < 1000);
}

static const char *const allowed_ab[] = { "a", "bb", NULL };

static void
test_check_keys(void **state)
{
	struct vouch_ctx *ctx = *state;
	json_t *v;

	assert_int_equal(load_str(ctx, "{\"a\":1,\"bb\":2}", &v), VOUCH_OK);
	assert_int_equal(vouch_json_check_keys(ctx, v, allowed_ab, "thing"),
	    VOUCH_OK);
	json_decref(v);
	assert_int_equal(load_str(ctx, "{}", &v), VOUCH_OK);
	assert_int_equal(vouch_json_check_keys(ctx, v, allowed_ab, "thing"),
	    VOUCH_OK);
	json_decref(v);

	assert_int_equal(load_str(ctx, "{\"a\":1,\"cc\":2}", &v), VOUCH_OK);
	assert_int_equal(vouch_json_check_keys(ctx, v, allowed_ab, "thing"),
	    VOUCH_ERR_BAD_FIELD);
	assert_int_equal(vouch_error_code(ctx), VOUCH_ERR_BAD_FIELD);
	assert_non_null(strstr(vouch_error(ctx), "thing"));
	assert_non_null(strstr(vouch_error(ctx), "\"cc\""));
	json_decref(v);

	/* Names match whole, not by prefix either way. */
	assert_int_equal(load_str(ctx, "{\"b\":1}", &v), VOUCH_OK);
	assert_int_equal(vouch_json_check_keys(ctx, v, allowed_ab, "thing"),
	    VOUCH_ERR_BAD_FIELD);
	json_decref(v);
	assert_int_equal(load_str(ctx, "{\"bbb\":1}", &v), VOUCH_OK);
	assert_int_equal(vouch_json_check_keys(ctx, v, allowed_ab, "thing"),
	    VOUCH_ERR_BAD_FIELD);
	json_decref(v);
	assert_int_equal(load_str(ctx, "{\"A\":1}", &v), VOUCH_OK);
	assert_int_equal(vouch_json_check_keys(ctx, v, allowed_ab, "thing"),
	    VOUCH_ERR_BAD_FIELD);
	json_decref(v);

	/* Not an object. */
	assert_int_equal(load_str(ctx, "[\"a\"]", &v), VOUCH_OK);
	assert_int_equal(vouch_json_check_keys(ctx, v, allowed_ab, "thing"),
	    VOUCH_ERR_BAD_FIELD);
	json_decref(v);
	assert_int_equal(vouch_json_check_keys(ctx, NULL, allowed_ab,
	    "thing"), VOUCH_ERR_BAD_FIELD);

	/* |what| may be NULL; a missing allow-list is a caller bug. */
	assert_int_equal(load_str(ctx, "{\"zz\":1}", &v), VOUCH_OK);
	assert_int_equal(vouch_json_check_keys(ctx, v, allowed_ab, NULL),
	    VOUCH_ERR_BAD_FIELD);
	assert_non_null(strstr(vouch_error(ctx), "object: unknown key"));
	assert_int_equal(vouch_json_check_keys(ctx, v, NULL, "thing"),
	    VOUCH_ERR_INVALID_ARGUMENT);
	json_decref(v);
}

/* A key with an embedded NUL (built, since the parser refuses it). */
static void
test_check_keys_embedded_nul(void **state)
{
	struct vouch_ctx *ctx = *state;
	json_t *o;

	o = json_object();
	assert_non_null(o);
	assert_int_equal(json_object_setn_new(o, "a\0x", 3, json_true()), 0);
	assert_int_equal(vouch_json_check_keys(ctx, o, allowed_ab, "thing"),
	    VOUCH_ERR_BAD_FIELD);
	json_decref(o);
}

/* The unknown key is quoted, but cut short and with odd bytes masked. */
static void
test_check_keys_message(void **state)
{
	struct vouch_ctx *ctx = *state;
	const char *msg;
	json_t *v;
	char doc[256];
	size_t i;

	assert_int_equal(load_str(ctx,
	    "{\"x\\n\\u001b[31m\\\"y\\u00e9\":1}", &v), VOUCH_OK);
	assert_int_equal(vouch_json_check_keys(ctx, v, allowed_ab, "thing"),
	    VOUCH_ERR_BAD_FIELD);
	msg = vouch_error(ctx);
	for (i = 0; msg[i] != '\0'; i++) {
		assert_true((unsigned char)msg[i] >= 0x20 &&
		    (unsigned char)msg[i] < 0x7f);
	}
	assert_non_null(strstr(msg, "\"x??[31m?y??\""));
	json_decref(v);

	memset(doc, 0, sizeof(doc));
	doc[0] = '{';
	doc[1] = '"';
	memset(doc + 2, 'k', 200);
	memcpy(doc + 202, "\":1}", 4);
	assert_int_equal(load_str(ctx, doc, &v), VOUCH_OK);
	assert_int_equal(vouch_json_check_keys(ctx, v, allowed_ab, "thing"),
	    VOUCH_ERR_BAD_FIELD);
	assert_true(strlen(vouch_error(ctx)) < 120);
	json_decref(v);
}

static void
test_get_hex(void **state)
{
	static const uint8_t want[4] = { 0x00, 0xab, 0xcd, 0xff };
	struct vouch_ctx *ctx = *state;
	uint8_t out[4];
	json_t *v;

	assert_int_equal(load_str(ctx,
	    "{\"lo\":\"00abcdff\",\"up\":\"00ABCDFF\","
	    "\"short\":\"00abcd\",\"long\":\"00abcdff00\",\"odd\":\"00abcdf\","
	    "\"bad\":\"00abcdfg\",\"num\":1,\"space\":\"00ab cdff\","
	    "\"arr\":[\"00abcdff\"],\"empty\":\"\"}", &v), VOUCH_OK);

	memset(out, 0, sizeof(out));
	assert_int_equal(vouch_json_get_hex(ctx, v, "lo", out, 4), VOUCH_OK);
	assert_memory_equal(out, want, 4);
	memset(out, 0, sizeof(out));
	assert_int_equal(vouch_json_get_hex(ctx, v, "up", out, 4), VOUCH_OK);
	assert_memory_equal(out, want, 4);
	assert_int_equal(vouch_json_get_hex(ctx, v, "empty", out, 0),
	    VOUCH_OK);

	assert_int_equal(vouch_json_get_hex(ctx, v, "short", out, 4),
	    VOUCH_ERR_BAD_FIELD);
	assert_non_null(strstr(vouch_error(ctx), "short"));
	assert_int_equal(vouch_json_get_hex(ctx, v, "long", out, 4),
	    VOUCH_ERR_BAD_FIELD);
	assert_non_null(strstr(vouch_error(ctx), "expected 4 bytes"));
	assert_int_equal(vouch_json_get_hex(ctx, v, "odd", out, 4),
	    VOUCH_ERR_BAD_FIELD);
	assert_int_equal(vouch_json_get_hex(ctx, v, "bad", out, 4),
	    VOUCH_ERR_BAD_FIELD);
	assert_int_equal(vouch_json_get_hex(ctx, v, "space", out, 4),
	    VOUCH_ERR_BAD_FIELD);
	assert_int_equal(vouch_json_get_hex(ctx, v, "num", out, 4),
	    VOUCH_ERR_BAD_FIELD);
	assert_int_equal(vouch_json_get_hex(ctx, v, "arr", out, 4),
	    VOUCH_ERR_BAD_FIELD);
	assert_int_equal(vouch_json_get_hex(ctx, v, "empty", out, 4),
	    VOUCH_ERR_BAD_FIELD);
	assert_int_equal(vouch_json_get_hex(ctx, v, "missing", out, 4),
	    VOUCH_ERR_BAD_FIELD);
	assert_non_null(strstr(vouch_error(ctx), "missing"));
	/* A length whose double would overflow. */
	assert_int_equal(vouch_json_get_hex(ctx, v, "lo", out,
	    SIZE_MAX / 2 + 3), VOUCH_ERR_BAD_FIELD);
	json_decref(v);

	/* The container must be an object. */
	assert_int_equal(load_str(ctx, "[\"00abcdff\"]", &v), VOUCH_OK);
	assert_int_equal(vouch_json_get_hex(ctx, v, "lo", out, 4),
	    VOUCH_ERR_BAD_FIELD);
	json_decref(v);
	assert_int_equal(vouch_json_get_hex(ctx, NULL, "lo", out, 4),
	    VOUCH_ERR_BAD_FIELD);

	/* Caller bugs. */
	assert_int_equal(load_str(ctx, "{\"lo\":\"00\"}", &v), VOUCH_OK);
	assert_int_equal(vouch_json_get_hex(ctx, v, NULL, out, 1),
	    VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(vouch_json_get_hex(ctx, v, "lo", NULL, 1),
	    VOUCH_ERR_INVALID_ARGUMENT);
	json_decref(v);
}

static void
test_dump(void **state)
{
	struct vouch_ctx *ctx = *state;
	json_t *v, *back;
	char *s;

	assert_int_equal(load_str(ctx,
	    "{ \"b\": 1, \"a\": [1, 2], "
	    "\"c\": {\"z\": null, \"y\": \"\\u00e9\"} }",
	    &v), VOUCH_OK);
	s = vouch_json_dump(v);
	assert_non_null(s);
	assert_string_equal(s,
	    "{\"a\":[1,2],\"b\":1,\"c\":{\"y\":\"\xc3\xa9\",\"z\":null}}");
	free(s);

	s = vouch_json_pretty(v);
	assert_non_null(s);
	assert_string_equal(s,
	    "{\n"
	    "  \"a\": [\n"
	    "    1,\n"
	    "    2\n"
	    "  ],\n"
	    "  \"b\": 1,\n"
	    "  \"c\": {\n"
	    "    \"y\": \"\xc3\xa9\",\n"
	    "    \"z\": null\n"
	    "  }\n"
	    "}");
	free(s);
	json_decref(v);

	/* Output is stable whatever the insertion order. */
	v = json_pack("{s:i,s:i,s:i}", "z", 1, "m", 2, "a", 3);
	assert_non_null(v);
	s = vouch_json_dump(v);
	assert_string_equal(s, "{\"a\":3,\"m\":2,\"z\":1}");
	free(s);
	json_decref(v);

	/* A dump loads back to an equal value. */
	v = json_pack("{s:[i,s,b],s:{s:n}}", "k", -7, "\xe2\x82\xac", 1,
	    "o", "p");
	assert_non_null(v);
	s = vouch_json_dump(v);
	assert_non_null(s);
	assert_int_equal(load_str(ctx, s, &back), VOUCH_OK);
	assert_true(json_equal(v, back));
	json_decref(back);
	free(s);
	json_decref(v);

	assert_null(vouch_json_dump(NULL));
	assert_null(vouch_json_pretty(NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_cases),
		cmocka_unit_test(test_load_truncated),
		cmocka_unit_test(test_load_messages),
		cmocka_unit_test(test_load_size_cap),
		cmocka_unit_test(test_load_arguments),
		cmocka_unit_test(test_load_values),
		cmocka_unit_test(test_load_deep),
		cmocka_unit_test(test_load_no_memory),
		cmocka_unit_test(test_check_keys),
		cmocka_unit_test(test_check_keys_embedded_nul),
		cmocka_unit_test(test_check_keys_message),
		cmocka_unit_test(test_get_hex),
		cmocka_unit_test(test_dump),
	};

	return cmocka_run_group_tests(tests, setup_ctx, teardown_ctx);
}
