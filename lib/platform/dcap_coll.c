/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Intel DCAP collateral: TCB Info (v2, v3) and Enclave Identity (v2) as
 * served by the Intel PCS API v4 ("Get TCB Info" and "Get Quoting Enclave
 * Identity" / "Get TD Quoting Enclave Identity", Intel SGX and Intel TDX
 * PCS API specification v4, §"TCB Info V3" / §"Enclave Identity V2"), the
 * dcap-qvl collateral bundle, and the matching rules of Intel's QVL
 * (QuoteVerifier.cpp §4.1.2.4.11, §4.1.2.4.17 TcbLevelCheck.cpp,
 * TdxModuleCheck.cpp, EnclaveReportVerifier.cpp §4.1.2.9.5-10).
 * VERIFIER-CHECKLIST §1.2 #7-#11.
 *
 * Parsing is strict: every member Intel documents is known here by name,
 * anything else is VOUCH_ERR_BAD_FIELD, and each value is checked for type
 * and range.  The signature of a PCS response covers the exact bytes of
 * the "tcbInfo" / "enclaveIdentity" value as sent, so the span is found in
 * the raw text (json_span) rather than re-serialised.
 *
 * Byte orders.  Hex strings are decoded to bytes in string order.  Where
 * a value is kept as an integer it is the LITTLE-ENDIAN reading of those
 * bytes, i.e. the integer the same bytes would give at the same place in
 * a quote or report: tdxModule.attributes / attributesMask (SEAMATTRIBUTES,
 * a u64 LE in the TD report) and miscselect / miscselectMask (a u32 LE in
 * the SGX report).  So "hex byte i" is compared with "quote byte i", as
 * Intel (byte arrays, QuoteVerifier.cpp §4.1.2.4.11.2; vectorToUint32 with
 * swapBytes in EnclaveReportVerifier.cpp) and go-tdx-guest (bytes.Equal)
 * do.  MRSIGNERs and SGX ATTRIBUTES are kept as raw bytes.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bs/bs.h"
#include "bs/json.h"
#include "crypto/crypto.h"
#include "platform/dcap.h"

/* Longest: "tcbInfo.tdxModuleIdentities[7].tcbLevels[63].tcb.isvsvn". */
#define PATH_MAX_LEN	96

struct status_name {
	enum dcap_tcb_status	 status;
	const char		*name;
};

/* PCS API v4, "tcbStatus" of TCB Info V3 and Enclave Identity V2 levels. */
static const struct status_name status_names[] = {
	{ DCAP_TCB_UP_TO_DATE, "UpToDate" },
	{ DCAP_TCB_SW_HARDENING_NEEDED, "SWHardeningNeeded" },
	{ DCAP_TCB_CONFIGURATION_NEEDED, "ConfigurationNeeded" },
	{ DCAP_TCB_CONFIGURATION_AND_SW_HARDENING_NEEDED,
	    "ConfigurationAndSWHardeningNeeded" },
	{ DCAP_TCB_OUT_OF_DATE, "OutOfDate" },
	{ DCAP_TCB_OUT_OF_DATE_CONFIGURATION_NEEDED,
	    "OutOfDateConfigurationNeeded" },
	{ DCAP_TCB_REVOKED, "Revoked" },
};

const char *
dcap_tcb_status_name(enum dcap_tcb_status s)
{
	size_t i;

	for (i = 0; i < sizeof(status_names) / sizeof(status_names[0]); i++) {
		if (status_names[i].status == s) {
			return status_names[i].name;
		}
	}
	return "Unknown";
}

enum dcap_tcb_status
dcap_tcb_status_parse(const char *s)
{
	size_t i;

	if (s == NULL) {
		return DCAP_TCB_UNKNOWN;
	}
	for (i = 0; i < sizeof(status_names) / sizeof(status_names[0]); i++) {
		if (strcmp(status_names[i].name, s) == 0) {
			return status_names[i].status;
		}
	}
	return DCAP_TCB_UNKNOWN;
}

/*
 * path_fmt writes a member path for messages ("tcbLevels[3].tcb"); a path
 * too long for |cap| is cut, which only shortens a message.
 */
static void path_fmt(char *dst, size_t cap, const char *fmt, ...)
    VOUCH_PRINTF(3, 4);

static void
path_fmt(char *dst, size_t cap, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (vsnprintf(dst, cap, fmt, ap) < 0 && cap > 0) {
		dst[0] = '\0';
	}
	va_end(ap);
}

/*
 * Small typed getters.  |path| names the enclosing object in messages
 * ("tcbInfo", "tcbLevels[3].tcb").
 */
static const json_t *
get_member(struct vouch_ctx *ctx, const json_t *obj, const char *path,
    const char *key, enum vouch_err *rv)
{
	const json_t *v;

	v = json_object_get(obj, key);
	if (v == NULL) {
		*rv = vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
		    "dcap: %s.%s: missing", path, key);
		return NULL;
	}
	*rv = VOUCH_OK;
	return v;
}

static enum vouch_err
get_uint(struct vouch_ctx *ctx, const json_t *obj, const char *path,
    const char *key, json_int_t max, json_int_t *out)
{
	const json_t *v;
	enum vouch_err rv;
	json_int_t n;

	v = get_member(ctx, obj, path, key, &rv);
	if (v == NULL) {
		return rv;
	}
	if (!json_is_integer(v)) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
		    "dcap: %s.%s: not an integer", path, key);
	}
	n = json_integer_value(v);
	if (n < 0 || n > max) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
		    "dcap: %s.%s: %lld out of range 0..%lld", path, key,
		    (long long)n, (long long)max);
	}
	*out = n;
	return VOUCH_OK;
}

static enum vouch_err
get_string(struct vouch_ctx *ctx, const json_t *obj, const char *path,
    const char *key, const char **out, size_t *out_len)
{
	const json_t *v;
	enum vouch_err rv;

	v = get_member(ctx, obj, path, key, &rv);
	if (v == NULL) {
		return rv;
	}
	if (!json_is_string(v)) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
		    "dcap: %s.%s: not a string", path, key);
	}
	*out = json_string_value(v);
	*out_len = json_string_length(v);
	return VOUCH_OK;
}

static enum vouch_err
get_hex(struct vouch_ctx *ctx, const json_t *obj, const char *path,
    const char *key, uint8_t *out, size_t n)
{
	const char *s;
	size_t slen, got;
	enum vouch_err rv;

	rv = get_string(ctx, obj, path, key, &s, &slen);
	if (rv != VOUCH_OK) {
		return rv;
	}
	if (slen % 2 != 0 || slen / 2 != n) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
		    "dcap: %s.%s: %zu hex characters, expected %zu", path, key,
		    slen, 2 * n);
	}
	if (!vouch_hex_decode(s, slen, out, n, &got) || got != n) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
		    "dcap: %s.%s: bad hex", path, key);
	}
	return VOUCH_OK;
}

/* Hex read as the little-endian integer the same bytes make in a quote. */
static enum vouch_err
get_hex_le(struct vouch_ctx *ctx, const json_t *obj, const char *path,
    const char *key, size_t n, uint64_t *out)
{
	uint8_t b[8];
	uint64_t v = 0;
	size_t i;
	enum vouch_err rv;

	rv = get_hex(ctx, obj, path, key, b, n);
	if (rv != VOUCH_OK) {
		return rv;
	}
	for (i = n; i > 0; i--) {
		v = (v << 8) | b[i - 1];
	}
	*out = v;
	return VOUCH_OK;
}

static enum vouch_err
get_date(struct vouch_ctx *ctx, const json_t *obj, const char *path,
    const char *key, int64_t *out)
{
	const char *s;
	size_t slen;
	enum vouch_err rv;

	rv = get_string(ctx, obj, path, key, &s, &slen);
	if (rv != VOUCH_OK) {
		return rv;
	}
	if (slen != strlen(s) || !vouch_time_parse_rfc3339(s, out)) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
		    "dcap: %s.%s: not an RFC 3339 date", path, key);
	}
	return VOUCH_OK;
}

/* "tcbStatus": unknown strings are kept as DCAP_TCB_UNKNOWN (dcap.h). */
static enum vouch_err
get_status(struct vouch_ctx *ctx, const json_t *obj, const char *path,
    enum dcap_tcb_status *out)
{
	const char *s;
	size_t slen;
	enum vouch_err rv;

	rv = get_string(ctx, obj, path, "tcbStatus", &s, &slen);
	if (rv != VOUCH_OK) {
		return rv;
	}
	*out = slen == strlen(s) ? dcap_tcb_status_parse(s) : DCAP_TCB_UNKNOWN;
	return VOUCH_OK;
}

/* Optional "advisoryIDs": an array of short strings. */
static enum vouch_err
get_advisories(struct vouch_ctx *ctx, const json_t *obj, const char *path,
    struct dcap_advisories *adv)
{
	const json_t *arr, *v;
	size_t i, slen;

	adv->n = 0;
	arr = json_object_get(obj, "advisoryIDs");
	if (arr == NULL) {
		return VOUCH_OK;
	}
	if (!json_is_array(arr)) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
		    "dcap: %s.advisoryIDs: not an array", path);
	}
	if (json_array_size(arr) > DCAP_MAX_ADVISORIES) {
		return vouch_fail(ctx, VOUCH_ERR_TOO_LARGE,
		    "dcap: %s.advisoryIDs: %zu entries, at most %d", path,
		    json_array_size(arr), DCAP_MAX_ADVISORIES);
	}
	for (i = 0; i < json_array_size(arr); i++) {
		v = json_array_get(arr, i);
		if (!json_is_string(v)) {
			return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
			    "dcap: %s.advisoryIDs[%zu]: not a string", path, i);
		}
		slen = json_string_length(v);
		if (slen == 0 || slen != strlen(json_string_value(v))) {
			return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
			    "dcap: %s.advisoryIDs[%zu]: empty or with NUL",
			    path, i);
		}
		if (slen >= DCAP_ADVISORY_MAX) {
			return vouch_fail(ctx, VOUCH_ERR_TOO_LARGE,
			    "dcap: %s.advisoryIDs[%zu]: %zu characters, at "
			    "most %d", path, i, slen, DCAP_ADVISORY_MAX - 1);
		}
		memcpy(adv->id[i], json_string_value(v), slen + 1);
	}
	adv->n = i;
	return VOUCH_OK;
}

static enum vouch_err
check_keys(struct vouch_ctx *ctx, const json_t *obj, const char *const *keys,
    const char *path)
{
	char what[PATH_MAX_LEN + 8];

	if (!json_is_object(obj)) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
		    "dcap: %s: not a JSON object", path);
	}
	path_fmt(what, sizeof(what), "dcap: %s", path);
	return vouch_json_check_keys(ctx, obj, keys, what);
}

/* A JSON array of at most |max| entries (more: TOO_LARGE), at least one. */
static enum vouch_err
get_array(struct vouch_ctx *ctx, const json_t *obj, const char *path,
    const char *key, size_t max, const json_t **out)
{
	const json_t *v;
	enum vouch_err rv;

	v = get_member(ctx, obj, path, key, &rv);
	if (v == NULL) {
		return rv;
	}
	if (!json_is_array(v)) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
		    "dcap: %s.%s: not an array", path, key);
	}
	if (json_array_size(v) == 0) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
		    "dcap: %s.%s: empty", path, key);
	}
	if (json_array_size(v) > max) {
		return vouch_fail(ctx, VOUCH_ERR_TOO_LARGE,
		    "dcap: %s.%s: %zu entries, at most %zu", path, key,
		    json_array_size(v), max);
	}
	*out = v;
	return VOUCH_OK;
}

/*
 * The span of a member's value in raw JSON text.  Runs only after
 * vouch_json_load accepted |buf|, but is bounds-checked on its own.
 */
static size_t
span_ws(const uint8_t *p, size_t len, size_t i)
{
	while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' ||
	    p[i] == '\r')) {
		i++;
	}
	return i;
}

/* |i| at an opening quote; returns the index after the closing one, or 0. */
static size_t
span_string(const uint8_t *p, size_t len, size_t i)
{
	if (i >= len || p[i] != '"') {
		return 0;
	}
	for (i++; i < len; i++) {
		if (p[i] == '\\') {
			i++;
		} else if (p[i] == '"') {
			return i + 1;
		}
	}
	return 0;
}

/* |i| at a value; returns the index after it, or 0. */
static size_t
span_value(const uint8_t *p, size_t len, size_t i)
{
	size_t depth = 0;

	if (i >= len) {
		return 0;
	}
	if (p[i] == '"') {
		return span_string(p, len, i);
	}
	if (p[i] != '{' && p[i] != '[') {
		while (i < len && p[i] != ',' && p[i] != '}' && p[i] != ']' &&
		    p[i] != ' ' && p[i] != '\t' && p[i] != '\n' &&
		    p[i] != '\r') {
			i++;
		}
		return i;
	}
	while (i < len) {
		if (p[i] == '"') {
			i = span_string(p, len, i);
			if (i == 0) {
				return 0;
			}
			continue;
		}
		if (p[i] == '{' || p[i] == '[') {
			depth++;
		} else if (p[i] == '}' || p[i] == ']') {
			if (depth == 0) {
				return 0;
			}
			depth--;
			if (depth == 0) {
				return i + 1;
			}
		}
		i++;
	}
	return 0;
}

/*
 * json_span finds the raw value of top-level member |key| of the object
 * in |buf|.  Member names are compared as written: a name spelled with
 * escapes is not found (PCS never escapes them).
 */
static enum vouch_err
json_span(struct vouch_ctx *ctx, const uint8_t *buf, size_t len,
    const char *key, const uint8_t **out, size_t *out_len)
{
	size_t klen = strlen(key), i, ks, ke, vs, ve;

	i = span_ws(buf, len, 0);
	if (i >= len || buf[i] != '{') {
		goto bad;
	}
	i++;
	for (;;) {
		ks = span_ws(buf, len, i);
		ke = span_string(buf, len, ks);
		if (ke == 0) {
			goto bad;
		}
		i = span_ws(buf, len, ke);
		if (i >= len || buf[i] != ':') {
			goto bad;
		}
		vs = span_ws(buf, len, i + 1);
		ve = span_value(buf, len, vs);
		if (ve == 0) {
			goto bad;
		}
		if (ke - ks == klen + 2 &&
		    memcmp(buf + ks + 1, key, klen) == 0) {
			*out = buf + vs;
			*out_len = ve - vs;
			return VOUCH_OK;
		}
		i = span_ws(buf, len, ve);
		if (i >= len || buf[i] != ',') {
			goto bad;
		}
		i++;
	}
 bad:
	return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
	    "dcap: \"%s\" not found as written in the document", key);
}

/*
 * The PCS response envelope {"<body>": {...}, "signature": "<hex r||s>"}
 * (PCS API v4, "Get TCB Info" / "Get Enclave Identity" response body).
 */
static enum vouch_err
parse_envelope(struct vouch_ctx *ctx, const uint8_t *buf, size_t len,
    const json_t *root, const char *body_key, const json_t **body,
    struct dcap_signed_json *sj)
{
	const char *keys[] = { NULL, "signature", NULL };
	enum vouch_err rv;

	keys[0] = body_key;
	rv = check_keys(ctx, root, keys, "response");
	if (rv != VOUCH_OK) {
		return rv;
	}
	*body = get_member(ctx, root, "response", body_key, &rv);
	if (*body == NULL) {
		return rv;
	}
	if (!json_is_object(*body)) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
		    "dcap: response.%s: not a JSON object", body_key);
	}
	rv = get_hex(ctx, root, "response", "signature", sj->sig,
	    sizeof(sj->sig));
	if (rv != VOUCH_OK) {
		return rv;
	}
	return json_span(ctx, buf, len, body_key, &sj->signed_p,
	    &sj->signed_len);
}

/* {"tcb": {"isvsvn": n}, "tcbDate", "tcbStatus", "advisoryIDs"?} */
static enum vouch_err
parse_isv_level(struct vouch_ctx *ctx, const json_t *lv, const char *path,
    struct dcap_isv_level *out)
{
	static const char *const keys[] = { "tcb", "tcbDate", "tcbStatus",
	    "advisoryIDs", NULL };
	static const char *const tcb_keys[] = { "isvsvn", NULL };
	char tpath[PATH_MAX_LEN];
	const json_t *tcb;
	json_int_t n;
	enum vouch_err rv;

	rv = check_keys(ctx, lv, keys, path);
	if (rv != VOUCH_OK) {
		return rv;
	}
	path_fmt(tpath, sizeof(tpath), "%s.tcb", path);
	tcb = get_member(ctx, lv, path, "tcb", &rv);
	if (tcb == NULL) {
		return rv;
	}
	rv = check_keys(ctx, tcb, tcb_keys, tpath);
	if (rv != VOUCH_OK) {
		return rv;
	}
	rv = get_uint(ctx, tcb, tpath, "isvsvn", UINT16_MAX, &n);
	if (rv != VOUCH_OK) {
		return rv;
	}
	out->isvsvn = (uint16_t)n;
	rv = get_date(ctx, lv, path, "tcbDate", &out->tcb_date);
	if (rv != VOUCH_OK) {
		return rv;
	}
	rv = get_status(ctx, lv, path, &out->status);
	if (rv != VOUCH_OK) {
		return rv;
	}
	return get_advisories(ctx, lv, path, &out->adv);
}

static enum vouch_err
parse_isv_levels(struct vouch_ctx *ctx, const json_t *obj, const char *path,
    struct dcap_isv_level *levels, size_t *n_levels)
{
	char lpath[PATH_MAX_LEN];
	const json_t *arr;
	size_t i;
	enum vouch_err rv;

	rv = get_array(ctx, obj, path, "tcbLevels", DCAP_MAX_TCB_LEVELS, &arr);
	if (rv != VOUCH_OK) {
		return rv;
	}
	for (i = 0; i < json_array_size(arr); i++) {
		path_fmt(lpath, sizeof(lpath), "%s.tcbLevels[%zu]", path,
		    i);
		rv = parse_isv_level(ctx, json_array_get(arr, i), lpath,
		    &levels[i]);
		if (rv != VOUCH_OK) {
			return rv;
		}
	}
	*n_levels = i;
	return VOUCH_OK;
}

/* v3 "sgxtcbcomponents" / "tdxtcbcomponents": 16 x {svn, category?, type?}. */
static enum vouch_err
parse_components(struct vouch_ctx *ctx, const json_t *tcb, const char *path,
    const char *key, uint8_t svn[16])
{
	static const char *const keys[] = { "svn", "category", "type", NULL };
	char cpath[PATH_MAX_LEN];
	const json_t *arr, *c, *v;
	json_int_t n;
	size_t i;
	enum vouch_err rv;

	arr = get_member(ctx, tcb, path, key, &rv);
	if (arr == NULL) {
		return rv;
	}
	if (!json_is_array(arr)) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
		    "dcap: %s.%s: not an array", path, key);
	}
	/* dcap-qvl's tests: 15 or 17 must not pass as 16 (PROVENANCE T-5). */
	if (json_array_size(arr) != 16) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
		    "dcap: %s.%s: component count mismatch: %zu, expected 16",
		    path, key, json_array_size(arr));
	}
	for (i = 0; i < 16; i++) {
		path_fmt(cpath, sizeof(cpath), "%s.%s[%zu]", path, key,
		    i);
		c = json_array_get(arr, i);
		rv = check_keys(ctx, c, keys, cpath);
		if (rv != VOUCH_OK) {
			return rv;
		}
		rv = get_uint(ctx, c, cpath, "svn", UINT8_MAX, &n);
		if (rv != VOUCH_OK) {
			return rv;
		}
		svn[i] = (uint8_t)n;
		v = json_object_get(c, "category");
		if (v != NULL && !json_is_string(v)) {
			return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
			    "dcap: %s.category: not a string", cpath);
		}
		v = json_object_get(c, "type");
		if (v != NULL && !json_is_string(v)) {
			return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
			    "dcap: %s.type: not a string", cpath);
		}
	}
	return VOUCH_OK;
}

/*
 * One TCB level.  v3: {"tcb": {"sgxtcbcomponents", "pcesvn",
 * "tdxtcbcomponents"? (TDX only)}, "tcbDate", "tcbStatus", "advisoryIDs"?};
 * v2: {"tcb": {"sgxtcbcomp01svn".."sgxtcbcomp16svn", "pcesvn"}, ...}.
 */
static enum vouch_err
parse_tcb_level(struct vouch_ctx *ctx, const json_t *lv, const char *path,
    int version, bool tdx, struct dcap_tcb_level *out)
{
	static const char *const keys[] = { "tcb", "tcbDate", "tcbStatus",
	    "advisoryIDs", NULL };
	static const char *const v3_sgx[] = { "sgxtcbcomponents", "pcesvn",
	    NULL };
	static const char *const v3_tdx[] = { "sgxtcbcomponents", "pcesvn",
	    "tdxtcbcomponents", NULL };
	static const char *const v2[] = { "sgxtcbcomp01svn", "sgxtcbcomp02svn",
	    "sgxtcbcomp03svn", "sgxtcbcomp04svn", "sgxtcbcomp05svn",
	    "sgxtcbcomp06svn", "sgxtcbcomp07svn", "sgxtcbcomp08svn",
	    "sgxtcbcomp09svn", "sgxtcbcomp10svn", "sgxtcbcomp11svn",
	    "sgxtcbcomp12svn", "sgxtcbcomp13svn", "sgxtcbcomp14svn",
	    "sgxtcbcomp15svn", "sgxtcbcomp16svn", "pcesvn", NULL };
	char tpath[PATH_MAX_LEN];
	const json_t *tcb;
	json_int_t n = 0;
	size_t i;
	enum vouch_err rv;

	memset(out, 0, sizeof(*out));
	rv = check_keys(ctx, lv, keys, path);
	if (rv != VOUCH_OK) {
		return rv;
	}
	path_fmt(tpath, sizeof(tpath), "%s.tcb", path);
	tcb = get_member(ctx, lv, path, "tcb", &rv);
	if (tcb == NULL) {
		return rv;
	}
	if (version == 2) {
		rv = check_keys(ctx, tcb, v2, tpath);
		for (i = 0; rv == VOUCH_OK && i < 16; i++) {
			rv = get_uint(ctx, tcb, tpath, v2[i], UINT8_MAX, &n);
			out->sgx_svn[i] = (uint8_t)n;
		}
	} else {
		rv = check_keys(ctx, tcb, tdx ? v3_tdx : v3_sgx, tpath);
		if (rv == VOUCH_OK) {
			rv = parse_components(ctx, tcb, tpath,
			    "sgxtcbcomponents", out->sgx_svn);
		}
		if (rv == VOUCH_OK && json_object_get(tcb,
		    "tdxtcbcomponents") != NULL) {
			out->has_tdx = true;
			rv = parse_components(ctx, tcb, tpath,
			    "tdxtcbcomponents", out->tdx_svn);
		}
	}
	if (rv != VOUCH_OK) {
		return rv;
	}
	rv = get_uint(ctx, tcb, tpath, "pcesvn", UINT16_MAX, &n);
	if (rv != VOUCH_OK) {
		return rv;
	}
	out->pcesvn = (uint16_t)n;
	rv = get_date(ctx, lv, path, "tcbDate", &out->tcb_date);
	if (rv != VOUCH_OK) {
		return rv;
	}
	rv = get_status(ctx, lv, path, &out->status);
	if (rv != VOUCH_OK) {
		return rv;
	}
	return get_advisories(ctx, lv, path, &out->adv);
}

/* TDX "tdxModule": {mrsigner (48), attributes (8), attributesMask (8)}. */
static enum vouch_err
parse_module(struct vouch_ctx *ctx, const json_t *m, const char *path,
    const char *const *keys, uint8_t mrsigner[48], uint64_t *attributes,
    uint64_t *mask)
{
	enum vouch_err rv;

	rv = check_keys(ctx, m, keys, path);
	if (rv != VOUCH_OK) {
		return rv;
	}
	rv = get_hex(ctx, m, path, "mrsigner", mrsigner, 48);
	if (rv != VOUCH_OK) {
		return rv;
	}
	rv = get_hex_le(ctx, m, path, "attributes", 8, attributes);
	if (rv != VOUCH_OK) {
		return rv;
	}
	return get_hex_le(ctx, m, path, "attributesMask", 8, mask);
}

static enum vouch_err
parse_module_ids(struct vouch_ctx *ctx, const json_t *arr,
    struct dcap_tcb_info *out)
{
	static const char *const keys[] = { "id", "mrsigner", "attributes",
	    "attributesMask", "tcbLevels", NULL };
	char path[PATH_MAX_LEN];
	struct dcap_tdx_module_identity *mi;
	const json_t *m;
	const char *id;
	size_t i, j, idlen;
	enum vouch_err rv;

	if (!json_is_array(arr)) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
		    "dcap: tcbInfo.tdxModuleIdentities: not an array");
	}
	if (json_array_size(arr) > DCAP_MAX_MODULE_IDS) {
		return vouch_fail(ctx, VOUCH_ERR_TOO_LARGE,
		    "dcap: tcbInfo.tdxModuleIdentities: %zu entries, at "
		    "most %d", json_array_size(arr), DCAP_MAX_MODULE_IDS);
	}
	for (i = 0; i < json_array_size(arr); i++) {
		mi = &out->module_ids[i];
		m = json_array_get(arr, i);
		path_fmt(path, sizeof(path),
		    "tcbInfo.tdxModuleIdentities[%zu]", i);
		rv = parse_module(ctx, m, path, keys, mi->mrsigner,
		    &mi->attributes, &mi->attributes_mask);
		if (rv != VOUCH_OK) {
			return rv;
		}
		rv = get_string(ctx, m, path, "id", &id, &idlen);
		if (rv != VOUCH_OK) {
			return rv;
		}
		if (idlen == 0 || idlen >= sizeof(mi->id) ||
		    idlen != strlen(id)) {
			return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
			    "dcap: %s.id: empty, with NUL or longer than %zu",
			    path, sizeof(mi->id) - 1);
		}
		memcpy(mi->id, id, idlen + 1);
		for (j = 0; j < i; j++) {
			if (strcasecmp(out->module_ids[j].id, mi->id) == 0) {
				return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
				    "dcap: %s.id: \"%s\" repeated", path,
				    mi->id);
			}
		}
		rv = parse_isv_levels(ctx, m, path, mi->levels, &mi->n_levels);
		if (rv != VOUCH_OK) {
			return rv;
		}
	}
	out->n_module_ids = i;
	return VOUCH_OK;
}

/* The tcbInfo object itself (PCS API v4, "TCB Info V3"; v2 for SGX). */
static enum vouch_err
parse_tcb_info_body(struct vouch_ctx *ctx, const json_t *ti,
    struct dcap_tcb_info *out)
{
	static const char *const keys_tdx[] = { "id", "version", "issueDate",
	    "nextUpdate", "fmspc", "pceId", "tcbType",
	    "tcbEvaluationDataNumber", "tdxModule", "tdxModuleIdentities",
	    "tcbLevels", NULL };
	static const char *const keys_sgx[] = { "id", "version", "issueDate",
	    "nextUpdate", "fmspc", "pceId", "tcbType",
	    "tcbEvaluationDataNumber", "tcbLevels", NULL };
	static const char *const mkeys[] = { "mrsigner", "attributes",
	    "attributesMask", NULL };
	char path[PATH_MAX_LEN];
	const json_t *v, *arr;
	const char *id;
	size_t idlen, i;
	json_int_t n;
	enum vouch_err rv;

	if (!json_is_object(ti)) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
		    "dcap: tcbInfo: not a JSON object");
	}
	/* Version first: it decides which members exist. */
	rv = get_uint(ctx, ti, "tcbInfo", "version", INT_MAX, &n);
	if (rv != VOUCH_OK) {
		return rv;
	}
	if (n != 2 && n != 3) {
		return vouch_fail(ctx, VOUCH_ERR_UNSUPPORTED_VERSION,
		    "dcap: tcbInfo.version: %lld, expected 2 or 3",
		    (long long)n);
	}
	out->version = (int)n;
	/* "id" is new in v3; a v2 document is SGX. */
	v = json_object_get(ti, "id");
	if (v == NULL && out->version == 2) {
		out->tdx = false;
	} else {
		rv = get_string(ctx, ti, "tcbInfo", "id", &id, &idlen);
		if (rv != VOUCH_OK) {
			return rv;
		}
		if (idlen == 3 && strcmp(id, "TDX") == 0) {
			out->tdx = true;
		} else if (idlen == 3 && strcmp(id, "SGX") == 0) {
			out->tdx = false;
		} else {
			return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
			    "dcap: tcbInfo.id: not \"SGX\" or \"TDX\"");
		}
	}
	if (out->tdx && out->version != 3) {
		return vouch_fail(ctx, VOUCH_ERR_UNSUPPORTED_VERSION,
		    "dcap: tcbInfo.version: TDX needs version 3, got %d",
		    out->version);
	}
	rv = check_keys(ctx, ti, out->tdx ? keys_tdx : keys_sgx, "tcbInfo");
	if (rv != VOUCH_OK) {
		return rv;
	}
	rv = get_date(ctx, ti, "tcbInfo", "issueDate", &out->issue_date);
	if (rv != VOUCH_OK) {
		return rv;
	}
	rv = get_date(ctx, ti, "tcbInfo", "nextUpdate", &out->next_update);
	if (rv != VOUCH_OK) {
		return rv;
	}
	if (out->next_update < out->issue_date) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
		    "dcap: tcbInfo.nextUpdate: before issueDate");
	}
	rv = get_hex(ctx, ti, "tcbInfo", "fmspc", out->fmspc,
	    sizeof(out->fmspc));
	if (rv != VOUCH_OK) {
		return rv;
	}
	rv = get_hex(ctx, ti, "tcbInfo", "pceId", out->pceid,
	    sizeof(out->pceid));
	if (rv != VOUCH_OK) {
		return rv;
	}
	rv = get_uint(ctx, ti, "tcbInfo", "tcbType", INT_MAX, &n);
	if (rv != VOUCH_OK) {
		return rv;
	}
	/* PCS API v4: tcbType 0 is the only type defined (16 SVN bytes). */
	if (n != 0) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
		    "dcap: tcbInfo.tcbType: %lld, expected 0", (long long)n);
	}
	out->tcb_type = 0;
	rv = get_uint(ctx, ti, "tcbInfo", "tcbEvaluationDataNumber", INT_MAX,
	    &n);
	if (rv != VOUCH_OK) {
		return rv;
	}
	out->eval_number = (int)n;
	v = json_object_get(ti, "tdxModule");
	if (v != NULL) {
		rv = parse_module(ctx, v, "tcbInfo.tdxModule", mkeys,
		    out->tdx_module_mrsigner, &out->tdx_module_attributes,
		    &out->tdx_module_attributes_mask);
		if (rv != VOUCH_OK) {
			return rv;
		}
		out->has_tdx_module = true;
	}
	v = json_object_get(ti, "tdxModuleIdentities");
	if (v != NULL) {
		rv = parse_module_ids(ctx, v, out);
		if (rv != VOUCH_OK) {
			return rv;
		}
	}
	rv = get_array(ctx, ti, "tcbInfo", "tcbLevels", DCAP_MAX_TCB_LEVELS,
	    &arr);
	if (rv != VOUCH_OK) {
		return rv;
	}
	for (i = 0; i < json_array_size(arr); i++) {
		path_fmt(path, sizeof(path), "tcbInfo.tcbLevels[%zu]", i);
		rv = parse_tcb_level(ctx, json_array_get(arr, i), path,
		    out->version, out->tdx, &out->levels[i]);
		if (rv != VOUCH_OK) {
			return rv;
		}
	}
	out->n_levels = i;
	return VOUCH_OK;
}

enum vouch_err
dcap_tcb_info_parse(struct vouch_ctx *ctx, const uint8_t *buf, size_t len,
    struct dcap_tcb_info *out, struct dcap_signed_json *sj)
{
	json_t *root = NULL;
	const json_t *body;
	enum vouch_err rv;

	if (out == NULL || (buf == NULL && len > 0)) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "dcap: tcb info: no input or output");
	}
	memset(out, 0, sizeof(*out));
	if (sj != NULL) {
		memset(sj, 0, sizeof(*sj));
	}
	rv = vouch_json_load(ctx, buf, len, 0, &root);
	if (rv != VOUCH_OK) {
		goto out;
	}
	body = root;
	if (sj != NULL) {
		rv = parse_envelope(ctx, buf, len, root, "tcbInfo", &body, sj);
		if (rv != VOUCH_OK) {
			goto out;
		}
	}
	rv = parse_tcb_info_body(ctx, body, out);
 out:
	json_decref(root);
	if (rv != VOUCH_OK) {
		memset(out, 0, sizeof(*out));
		if (sj != NULL) {
			memset(sj, 0, sizeof(*sj));
		}
	}
	return rv;
}

/* PCS API v4, "Enclave Identity V2" (QE and TD_QE). */
static enum vouch_err
parse_qe_identity_body(struct vouch_ctx *ctx, const json_t *ei,
    struct dcap_qe_identity *out)
{
	static const char *const keys[] = { "id", "version", "issueDate",
	    "nextUpdate", "tcbEvaluationDataNumber", "miscselect",
	    "miscselectMask", "attributes", "attributesMask", "mrsigner",
	    "isvprodid", "tcbLevels", NULL };
	const char *id;
	size_t idlen;
	uint64_t u;
	json_int_t n;
	enum vouch_err rv;

	rv = check_keys(ctx, ei, keys, "enclaveIdentity");
	if (rv != VOUCH_OK) {
		return rv;
	}
	rv = get_uint(ctx, ei, "enclaveIdentity", "version", INT_MAX, &n);
	if (rv != VOUCH_OK) {
		return rv;
	}
	if (n != 2) {
		return vouch_fail(ctx, VOUCH_ERR_UNSUPPORTED_VERSION,
		    "dcap: enclaveIdentity.version: %lld, expected 2",
		    (long long)n);
	}
	out->version = 2;
	rv = get_string(ctx, ei, "enclaveIdentity", "id", &id, &idlen);
	if (rv != VOUCH_OK) {
		return rv;
	}
	/* QVE and anything else is not the identity of a quoting enclave. */
	if (idlen == 2 && strcmp(id, "QE") == 0) {
		out->td_qe = false;
	} else if (idlen == 5 && strcmp(id, "TD_QE") == 0) {
		out->td_qe = true;
	} else {
		return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
		    "dcap: enclaveIdentity.id: not \"QE\" or \"TD_QE\"");
	}
	rv = get_date(ctx, ei, "enclaveIdentity", "issueDate",
	    &out->issue_date);
	if (rv != VOUCH_OK) {
		return rv;
	}
	rv = get_date(ctx, ei, "enclaveIdentity", "nextUpdate",
	    &out->next_update);
	if (rv != VOUCH_OK) {
		return rv;
	}
	if (out->next_update < out->issue_date) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
		    "dcap: enclaveIdentity.nextUpdate: before issueDate");
	}
	rv = get_uint(ctx, ei, "enclaveIdentity", "tcbEvaluationDataNumber",
	    INT_MAX, &n);
	if (rv != VOUCH_OK) {
		return rv;
	}
	out->eval_number = (int)n;
	rv = get_hex_le(ctx, ei, "enclaveIdentity", "miscselect", 4, &u);
	if (rv != VOUCH_OK) {
		return rv;
	}
	out->miscselect = (uint32_t)u;
	rv = get_hex_le(ctx, ei, "enclaveIdentity", "miscselectMask", 4, &u);
	if (rv != VOUCH_OK) {
		return rv;
	}
	out->miscselect_mask = (uint32_t)u;
	rv = get_hex(ctx, ei, "enclaveIdentity", "attributes", out->attributes,
	    sizeof(out->attributes));
	if (rv != VOUCH_OK) {
		return rv;
	}
	rv = get_hex(ctx, ei, "enclaveIdentity", "attributesMask",
	    out->attributes_mask, sizeof(out->attributes_mask));
	if (rv != VOUCH_OK) {
		return rv;
	}
	rv = get_hex(ctx, ei, "enclaveIdentity", "mrsigner", out->mrsigner,
	    sizeof(out->mrsigner));
	if (rv != VOUCH_OK) {
		return rv;
	}
	rv = get_uint(ctx, ei, "enclaveIdentity", "isvprodid", UINT16_MAX, &n);
	if (rv != VOUCH_OK) {
		return rv;
	}
	out->isvprodid = (uint16_t)n;
	return parse_isv_levels(ctx, ei, "enclaveIdentity", out->levels,
	    &out->n_levels);
}

enum vouch_err
dcap_qe_identity_parse(struct vouch_ctx *ctx, const uint8_t *buf, size_t len,
    struct dcap_qe_identity *out, struct dcap_signed_json *sj)
{
	json_t *root = NULL;
	const json_t *body;
	enum vouch_err rv;

	if (out == NULL || (buf == NULL && len > 0)) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "dcap: qe identity: no input or output");
	}
	memset(out, 0, sizeof(*out));
	if (sj != NULL) {
		memset(sj, 0, sizeof(*sj));
	}
	rv = vouch_json_load(ctx, buf, len, 0, &root);
	if (rv != VOUCH_OK) {
		goto out;
	}
	body = root;
	if (sj != NULL) {
		rv = parse_envelope(ctx, buf, len, root, "enclaveIdentity",
		    &body, sj);
		if (rv != VOUCH_OK) {
			goto out;
		}
	}
	rv = parse_qe_identity_body(ctx, body, out);
 out:
	json_decref(root);
	if (rv != VOUCH_OK) {
		memset(out, 0, sizeof(*out));
		if (sj != NULL) {
			memset(sj, 0, sizeof(*sj));
		}
	}
	return rv;
}

/*
 * The dcap-qvl QuoteCollateralV3 JSON (Phala-Network/dcap-qvl src/lib.rs):
 * byte fields as hex strings, the rest as strings.
 */
static const char *const bundle_keys[] = { "pck_crl_issuer_chain",
    "root_ca_crl", "pck_crl", "tcb_info_issuer_chain", "tcb_info",
    "tcb_info_signature", "qe_identity_issuer_chain", "qe_identity",
    "qe_identity_signature", NULL };

bool
dcap_bundle_probe(const uint8_t *buf, size_t len)
{
	json_t *root = NULL;
	bool ok;

	if (buf == NULL || vouch_json_load(NULL, buf, len, 0, &root) !=
	    VOUCH_OK) {
		return false;
	}
	ok = json_is_object(root) && json_object_get(root, "tcb_info") != NULL;
	json_decref(root);
	return ok;
}

static enum vouch_err
bundle_string(struct vouch_ctx *ctx, const json_t *root, const char *key,
    char **out, size_t *out_len)
{
	const char *s;
	size_t slen;
	enum vouch_err rv;

	rv = get_string(ctx, root, "bundle", key, &s, &slen);
	if (rv != VOUCH_OK) {
		return rv;
	}
	if (slen == 0 || slen != strlen(s)) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
		    "dcap: bundle.%s: empty or with NUL", key);
	}
	*out = malloc(slen + 1);
	if (*out == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "dcap: bundle.%s",
		    key);
	}
	memcpy(*out, s, slen + 1);
	if (out_len != NULL) {
		*out_len = slen;
	}
	return VOUCH_OK;
}

static enum vouch_err
bundle_hex(struct vouch_ctx *ctx, const json_t *root, const char *key,
    uint8_t **out, size_t *out_len)
{
	const char *s;
	size_t slen, got;
	enum vouch_err rv;

	rv = get_string(ctx, root, "bundle", key, &s, &slen);
	if (rv != VOUCH_OK) {
		return rv;
	}
	if (slen == 0 || slen % 2 != 0) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
		    "dcap: bundle.%s: %zu hex characters", key, slen);
	}
	*out = malloc(slen / 2);
	if (*out == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "dcap: bundle.%s",
		    key);
	}
	if (!vouch_hex_decode(s, slen, *out, slen / 2, &got) ||
	    got != slen / 2) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
		    "dcap: bundle.%s: bad hex", key);
	}
	*out_len = got;
	return VOUCH_OK;
}

enum vouch_err
dcap_bundle_parse(struct vouch_ctx *ctx, const uint8_t *buf, size_t len,
    struct dcap_bundle *out)
{
	json_t *root = NULL;
	char *s = NULL;
	size_t n;
	enum vouch_err rv;

	if (out == NULL || (buf == NULL && len > 0)) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "dcap: bundle: no input or output");
	}
	memset(out, 0, sizeof(*out));
	rv = vouch_json_load(ctx, buf, len, 0, &root);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = check_keys(ctx, root, bundle_keys, "bundle");
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = bundle_string(ctx, root, "pck_crl_issuer_chain",
	    &out->pck_crl_issuer_chain, NULL);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = bundle_hex(ctx, root, "root_ca_crl", &out->root_ca_crl,
	    &out->root_ca_crl_len);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = bundle_hex(ctx, root, "pck_crl", &out->pck_crl, &out->pck_crl_len);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = bundle_string(ctx, root, "tcb_info_issuer_chain",
	    &out->tcb_info_issuer_chain, NULL);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = bundle_string(ctx, root, "tcb_info", &s, &n);
	if (rv != VOUCH_OK) {
		goto out;
	}
	out->tcb_info = (uint8_t *)s;
	out->tcb_info_len = n;
	s = NULL;
	rv = get_hex(ctx, root, "bundle", "tcb_info_signature",
	    out->tcb_info_sig, sizeof(out->tcb_info_sig));
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = bundle_string(ctx, root, "qe_identity_issuer_chain",
	    &out->qe_identity_issuer_chain, NULL);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = bundle_string(ctx, root, "qe_identity", &s, &n);
	if (rv != VOUCH_OK) {
		goto out;
	}
	out->qe_identity = (uint8_t *)s;
	out->qe_identity_len = n;
	s = NULL;
	rv = get_hex(ctx, root, "bundle", "qe_identity_signature",
	    out->qe_identity_sig, sizeof(out->qe_identity_sig));
 out:
	json_decref(root);
	if (rv != VOUCH_OK) {
		dcap_bundle_free(out);
	}
	return rv;
}

void
dcap_bundle_free(struct dcap_bundle *b)
{
	if (b == NULL) {
		return;
	}
	free(b->root_ca_crl);
	free(b->pck_crl);
	free(b->pck_crl_issuer_chain);
	free(b->tcb_info_issuer_chain);
	free(b->qe_identity_issuer_chain);
	free(b->tcb_info);
	free(b->qe_identity);
	memset(b, 0, sizeof(*b));
}

/*
 * TCB level matching, QVL TcbLevelCheck.cpp matchTcbLevels (§4.1.2.4.17.1-3):
 * the levels are in the document's (descending) order; a level matches
 * when every SGX component SVN and the PCESVN of the PCK certificate are
 * >= the level's and, for TDX, every TEE_TCB_SVN byte is >= the level's
 * tdxtcbcomponents SVN.  When TEE_TCB_SVN[1] (the TDX module major
 * version) is not zero, bytes 0 and 1 (module SVN and version) are NOT
 * compared here: QVL isTdxTcbHigherOrEqual and go-tdx-guest
 * isTdxTcbSvnHigherOrEqual start at index 2, and the module is judged by
 * its tdxModuleIdentities entry (dcap_match_module_identity).  With
 * TEE_TCB_SVN[1] == 0 byte 1 is compared as >=, i.e. the level must
 * also have 0 there.
 */
enum vouch_err
dcap_match_tcb_level(struct vouch_ctx *ctx, const struct dcap_tcb_info *ti,
    const struct dcap_pck_ext *pck, const uint8_t *tee_tcb_svn,
    size_t *out_level)
{
	const struct dcap_tcb_level *lv;
	size_t i, j, start;
	bool ok;

	if (ti == NULL || pck == NULL || out_level == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "dcap: match tcb level: missing argument");
	}
	if ((tee_tcb_svn != NULL) != ti->tdx) {
		return vouch_fail(ctx, VOUCH_ERR_PLATFORM_MISMATCH,
		    "dcap: tcbInfo.id is %s but the quote is %s",
		    ti->tdx ? "TDX" : "SGX", tee_tcb_svn != NULL ? "TDX" :
		    "SGX");
	}
	start = tee_tcb_svn != NULL && tee_tcb_svn[1] > 0 ? 2 : 0;
	for (i = 0; i < ti->n_levels && i < DCAP_MAX_TCB_LEVELS; i++) {
		lv = &ti->levels[i];
		ok = pck->pcesvn >= lv->pcesvn;
		for (j = 0; ok && j < 16; j++) {
			ok = pck->comp_svn[j] >= lv->sgx_svn[j];
		}
		if (!ok) {
			continue;
		}
		if (tee_tcb_svn != NULL) {
			if (!lv->has_tdx) {
				return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
				    "dcap: tcbInfo.tcbLevels[%zu]: no "
				    "tdxtcbcomponents in a TDX TCB Info", i);
			}
			for (j = start; ok && j < 16; j++) {
				ok = tee_tcb_svn[j] >= lv->tdx_svn[j];
			}
			if (!ok) {
				continue;
			}
		}
		if (lv->status == DCAP_TCB_UNKNOWN) {
			return vouch_fail(ctx, VOUCH_ERR_TCB_STATUS_UNKNOWN,
			    "dcap: tcbInfo.tcbLevels[%zu].tcbStatus: unknown "
			    "status", i);
		}
		*out_level = i;
		return VOUCH_OK;
	}
	return vouch_fail(ctx, VOUCH_ERR_TCB_NO_MATCH,
	    "dcap: no tcbInfo.tcbLevels entry matches the platform (%zu "
	    "levels)", ti->n_levels);
}

/* SEAMATTRIBUTES and both attribute values are u64 in quote byte order. */
static enum vouch_err
check_module(struct vouch_ctx *ctx, const char *what,
    const uint8_t mrsigner[48], uint64_t attributes, uint64_t mask,
    const struct dcap_td_report *td)
{
	if (memcmp(td->mrsignerseam, mrsigner, 48) != 0) {
		return vouch_fail(ctx, VOUCH_ERR_TCB_MISMATCH,
		    "dcap: MRSIGNERSEAM is not %s.mrsigner", what);
	}
	if ((td->seam_attributes & mask) != attributes) {
		return vouch_fail(ctx, VOUCH_ERR_TCB_MISMATCH,
		    "dcap: SEAMATTRIBUTES under %s.attributesMask is not "
		    "%s.attributes", what, what);
	}
	return VOUCH_OK;
}

/*
 * QVL QuoteVerifier.cpp §4.1.2.4.11 (MRSIGNERSEAM, SEAMATTRIBUTES against
 * tdxModule, or the identity's values when TEE_TCB_SVN[1] > 0) and
 * TdxModuleCheck.cpp checkTdxModuleTcbStatus (identity "TDX_%02X",
 * compared without regard to case as QVL upper-cases the id; first level
 * with isvsvn <= TEE_TCB_SVN[0]).
 */
enum vouch_err
dcap_match_module_identity(struct vouch_ctx *ctx,
    const struct dcap_tcb_info *ti, const struct dcap_td_report *td,
    const struct dcap_isv_level **out)
{
	const struct dcap_tdx_module_identity *mi = NULL;
	char want[16], what[48];
	size_t i;
	enum vouch_err rv;

	if (out != NULL) {
		*out = NULL;
	}
	if (ti == NULL || td == NULL || out == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "dcap: match module identity: missing argument");
	}
	if (!ti->tdx) {
		return vouch_fail(ctx, VOUCH_ERR_PLATFORM_MISMATCH,
		    "dcap: tdx module check with an SGX TCB Info");
	}
	if (td->tee_tcb_svn[1] == 0) {
		if (!ti->has_tdx_module) {
			return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
			    "dcap: tcbInfo.tdxModule: missing");
		}
		return check_module(ctx, "tcbInfo.tdxModule",
		    ti->tdx_module_mrsigner, ti->tdx_module_attributes,
		    ti->tdx_module_attributes_mask, td);
	}
	path_fmt(want, sizeof(want), "TDX_%02X", td->tee_tcb_svn[1]);
	for (i = 0; i < ti->n_module_ids && i < DCAP_MAX_MODULE_IDS; i++) {
		if (strcasecmp(ti->module_ids[i].id, want) == 0) {
			mi = &ti->module_ids[i];
			break;
		}
	}
	if (mi == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_TCB_NO_MATCH,
		    "dcap: tcbInfo.tdxModuleIdentities: no \"%s\"", want);
	}
	path_fmt(what, sizeof(what), "tcbInfo.tdxModuleIdentities[%zu]",
	    i);
	rv = check_module(ctx, what, mi->mrsigner, mi->attributes,
	    mi->attributes_mask, td);
	if (rv != VOUCH_OK) {
		return rv;
	}
	for (i = 0; i < mi->n_levels && i < DCAP_MAX_TCB_LEVELS; i++) {
		if (mi->levels[i].isvsvn <= td->tee_tcb_svn[0]) {
			if (mi->levels[i].status == DCAP_TCB_UNKNOWN) {
				return vouch_fail(ctx,
				    VOUCH_ERR_TCB_STATUS_UNKNOWN,
				    "dcap: %s.tcbLevels[%zu].tcbStatus: "
				    "unknown status", what, i);
			}
			*out = &mi->levels[i];
			return VOUCH_OK;
		}
	}
	return vouch_fail(ctx, VOUCH_ERR_TCB_NO_MATCH,
	    "dcap: %s: no level for TDX module SVN %u", what,
	    td->tee_tcb_svn[0]);
}

/* QVL EnclaveReportVerifier.cpp §4.1.2.9.5-10. */
enum vouch_err
dcap_match_qe_identity(struct vouch_ctx *ctx,
    const struct dcap_qe_identity *qi, const struct dcap_sgx_report *qe,
    const struct dcap_isv_level **out)
{
	size_t i;

	if (out != NULL) {
		*out = NULL;
	}
	if (qi == NULL || qe == NULL || out == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "dcap: match qe identity: missing argument");
	}
	if ((qe->miscselect & qi->miscselect_mask) != qi->miscselect) {
		return vouch_fail(ctx, VOUCH_ERR_MEASUREMENT_NOT_TRUSTED,
		    "dcap: QE MISCSELECT under enclaveIdentity.miscselectMask "
		    "is not enclaveIdentity.miscselect");
	}
	for (i = 0; i < sizeof(qi->attributes); i++) {
		if ((qe->attributes[i] & qi->attributes_mask[i]) !=
		    qi->attributes[i]) {
			return vouch_fail(ctx,
			    VOUCH_ERR_MEASUREMENT_NOT_TRUSTED,
			    "dcap: QE ATTRIBUTES under enclaveIdentity."
			    "attributesMask are not enclaveIdentity.attributes "
			    "(byte %zu)", i);
		}
	}
	if (memcmp(qe->mrsigner, qi->mrsigner, sizeof(qi->mrsigner)) != 0) {
		return vouch_fail(ctx, VOUCH_ERR_MEASUREMENT_NOT_TRUSTED,
		    "dcap: QE MRSIGNER is not enclaveIdentity.mrsigner");
	}
	if (qe->isv_prod_id != qi->isvprodid) {
		return vouch_fail(ctx, VOUCH_ERR_MEASUREMENT_NOT_TRUSTED,
		    "dcap: QE ISVPRODID %u is not enclaveIdentity.isvprodid %u",
		    qe->isv_prod_id, qi->isvprodid);
	}
	for (i = 0; i < qi->n_levels && i < DCAP_MAX_TCB_LEVELS; i++) {
		if (qi->levels[i].isvsvn <= qe->isv_svn) {
			if (qi->levels[i].status == DCAP_TCB_UNKNOWN) {
				return vouch_fail(ctx,
				    VOUCH_ERR_TCB_STATUS_UNKNOWN,
				    "dcap: enclaveIdentity.tcbLevels[%zu]."
				    "tcbStatus: unknown status", i);
			}
			*out = &qi->levels[i];
			return VOUCH_OK;
		}
	}
	return vouch_fail(ctx, VOUCH_ERR_TCB_NO_MATCH,
	    "dcap: no enclaveIdentity.tcbLevels entry for QE ISVSVN %u",
	    qe->isv_svn);
}

/*
 * QVL TcbLevelCheck.cpp convergeTcbStatusWithQeTcbStatus.  QVL turns
 * every QE level status other than UpToDate and Revoked into
 * "ISVSVN out of date" (EnclaveReportVerifier.cpp §4.1.2.9.10), so any
 * such QE status is treated as OutOfDate here.  An unknown status on
 * either side gives DCAP_TCB_UNKNOWN (always rejected).
 */
enum dcap_tcb_status
dcap_converge_status(enum dcap_tcb_status platform, enum dcap_tcb_status qe)
{
	if (dcap_tcb_status_parse(dcap_tcb_status_name(platform)) !=
	    platform || platform == DCAP_TCB_UNKNOWN ||
	    dcap_tcb_status_parse(dcap_tcb_status_name(qe)) != qe ||
	    qe == DCAP_TCB_UNKNOWN) {
		return DCAP_TCB_UNKNOWN;
	}
	if (qe == DCAP_TCB_REVOKED) {
		return DCAP_TCB_REVOKED;
	}
	if (qe != DCAP_TCB_UP_TO_DATE) {
		switch (platform) {
		case DCAP_TCB_UP_TO_DATE:
		case DCAP_TCB_SW_HARDENING_NEEDED:
			return DCAP_TCB_OUT_OF_DATE;
		case DCAP_TCB_CONFIGURATION_NEEDED:
		case DCAP_TCB_CONFIGURATION_AND_SW_HARDENING_NEEDED:
			return DCAP_TCB_OUT_OF_DATE_CONFIGURATION_NEEDED;
		default:
			return platform;
		}
	}
	return platform;
}

