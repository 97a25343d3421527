/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JSON for untrusted input.  jansson does the parsing; this file fixes the
 * flags every caller gets and turns jansson's errors into vouch codes.
 * jansson's own error text quotes the input ("near '...'"), so it is never
 * copied into a message: only the error class and the position are.
 */
#include <stdint.h>
#include <string.h>

#include "bs/bs.h"
#include "bs/json.h"
#include "internal.h"

/* Longest key quoted in a message; longer ones are cut. */
#define JSON_KEY_QUOTE_MAX	64

/* A fixed description of a jansson error class. */
static const char *
json_error_class(enum json_error_code code)
{
	switch (code) {
	case json_error_out_of_memory:
		return "out of memory";
	case json_error_stack_overflow:
		return "nesting too deep";
	case json_error_invalid_utf8:
		return "invalid UTF-8";
	case json_error_premature_end_of_input:
		return "premature end of input";
	case json_error_end_of_input_expected:
		return "trailing data after the top-level value";
	case json_error_invalid_syntax:
		return "invalid syntax";
	case json_error_null_character:
		return "\\u0000 in a string";
	case json_error_null_byte_in_key:
		return "\\u0000 in a key";
	case json_error_duplicate_key:
		return "duplicate key";
	case json_error_numeric_overflow:
		return "number out of range";
	default:
		return "parse error";
	}
}

enum vouch_err
vouch_json_load(struct vouch_ctx *ctx, const uint8_t *buf, size_t len,
    size_t max, json_t **out)
{
	json_error_t jerr;
	json_t *v;
	const char *p;

	if (out == NULL || (buf == NULL && len > 0)) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "json: no buffer");
	}
	*out = NULL;
	if (max == 0) {
		max = VOUCH_JSON_MAX_BYTES;
	}
	if (len > max) {
		return vouch_fail(ctx, VOUCH_ERR_TOO_LARGE,
		    "json: %zu bytes exceeds the limit of %zu", len, max);
	}
	/* jansson refuses a NULL buffer even when it is empty. */
	p = buf != NULL ? (const char *)buf : "";

	/*
	 * No JSON_DECODE_ANY: the top level must be an object or an array.
	 * No JSON_DISABLE_EOF_CHECK: anything after the value is an error.
	 * No JSON_ALLOW_NUL: "\u0000" is rejected.
	 */
	memset(&jerr, 0, sizeof(jerr));
	v = json_loadb(p, len, JSON_REJECT_DUPLICATES, &jerr);
	if (v == NULL) {
		enum json_error_code code = json_error_code(&jerr);
		enum vouch_err rv = VOUCH_ERR_BAD_JSON;

		/*
		 * jansson 2.14 reports most allocation failures inside the
		 * parser as syntax errors; the ones it does flag are mapped.
		 */
		if (code == json_error_duplicate_key) {
			rv = VOUCH_ERR_DUPLICATE_KEY;
		} else if (code == json_error_out_of_memory) {
			rv = VOUCH_ERR_NO_MEMORY;
		}
		return vouch_fail(ctx, rv,
		    "json: %s at line %d column %d (byte %d)",
		    json_error_class(code), jerr.line, jerr.column,
		    jerr.position);
	}
	*out = v;
	return VOUCH_OK;
}

/*
 * jansson's iteration API takes a non-const object although it does not
 * modify it; go through uintptr_t rather than cast the qualifier away.
 */
static json_t *
json_unconst(const json_t *v)
{
	return (json_t *)(uintptr_t)v;
}

/*
 * Copy as much of |key| as fits in |buf| (|cap| > 0, NUL included) for a
 * message.  Bytes outside printable ASCII, '"' and backslash become '?'.
 */
static void
json_quote_key(const char *key, size_t klen, char *buf, size_t cap)
{
	size_t i, n;
	unsigned char ch;

	n = klen;
	if (n > cap - 1) {
		n = cap - 1;
	}
	for (i = 0; i < n; i++) {
		ch = (unsigned char)key[i];
		if (ch < 0x20 || ch > 0x7e || ch == '"' || ch == '\\') {
			ch = '?';
		}
		buf[i] = (char)ch;
	}
	buf[n] = '\0';
}

static bool
json_key_allowed(const char *key, size_t klen, const char *const *allowed)
{
	size_t i;

	for (i = 0; allowed[i] != NULL; i++) {
		if (strlen(allowed[i]) == klen &&
		    memcmp(allowed[i], key, klen) == 0) {
			return true;
		}
	}
	return false;
}

enum vouch_err
vouch_json_check_keys(struct vouch_ctx *ctx, const json_t *obj,
    const char *const *allowed, const char *what)
{
	char quoted[JSON_KEY_QUOTE_MAX + 1];
	json_t *o;
	void *it;
	const char *key;
	size_t klen;

	if (what == NULL) {
		what = "object";
	}
	if (!json_is_object(obj)) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
		    "%s: not a JSON object", what);
	}
	if (allowed == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "%s: no list of keys", what);
	}
	o = json_unconst(obj);
	for (it = json_object_iter(o); it != NULL;
	    it = json_object_iter_next(o, it)) {
		key = json_object_iter_key(it);
		klen = json_object_iter_key_len(it);
		if (!json_key_allowed(key, klen, allowed)) {
			json_quote_key(key, klen, quoted, sizeof(quoted));
			return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
			    "%s: unknown key \"%s\"", what, quoted);
		}
	}
	return VOUCH_OK;
}

enum vouch_err
vouch_json_get_hex(struct vouch_ctx *ctx, const json_t *obj, const char *key,
    uint8_t *out, size_t n)
{
	const json_t *v;
	const char *s;
	size_t slen, got;

	if (key == NULL || (out == NULL && n > 0)) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "json: no key or output");
	}
	if (!json_is_object(obj)) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
		    "%s: not in a JSON object", key);
	}
	v = json_object_get(obj, key);
	if (v == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD, "%s: missing", key);
	}
	if (!json_is_string(v)) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
		    "%s: not a string", key);
	}
	s = json_string_value(v);
	slen = json_string_length(v);
	/* Divide rather than compute 2n, which could overflow. */
	if (slen % 2 != 0 || slen / 2 != n) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
		    "%s: %zu hex characters, expected %zu bytes", key, slen,
		    n);
	}
	if (!vouch_hex_decode(s, slen, out, n, &got) || got != n) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD, "%s: bad hex",
		    key);
	}
	return VOUCH_OK;
}

char *
vouch_json_dump(const json_t *v)
{
	if (v == NULL) {
		return NULL;
	}
	return json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
}

char *
vouch_json_pretty(const json_t *v)
{
	if (v == NULL) {
		return NULL;
	}
	return json_dumps(v, JSON_INDENT(2) | JSON_SORT_KEYS |
	    JSON_ENCODE_ANY);
}
