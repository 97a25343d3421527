/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JSON for untrusted input, through jansson.  Every load goes through
 * vouch_json_load: duplicate keys are rejected (jansson accepts them and
 * keeps the last one unless JSON_REJECT_DUPLICATES is passed), the input
 * size is capped, and a single top-level value with nothing after it is
 * required.
 */
#ifndef VOUCH_BS_JSON_H
#define VOUCH_BS_JSON_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "vouch/err.h"

struct vouch_ctx;

/* Largest JSON document any caller parses (policies, collateral, bodies). */
#define VOUCH_JSON_MAX_BYTES	(4u * 1024u * 1024u)

/*
 * vouch_json_load parses |len| bytes at |buf| (need not be NUL-terminated).
 * On success |*out| is a new reference the caller must json_decref.
 * Returns VOUCH_ERR_TOO_LARGE above |max| bytes (0 means
 * VOUCH_JSON_MAX_BYTES), VOUCH_ERR_DUPLICATE_KEY for a repeated key and
 * VOUCH_ERR_BAD_JSON for anything else malformed, with the position in the
 * context's detail.  On failure |*out| is NULL.
 */
enum vouch_err	vouch_json_load(struct vouch_ctx *ctx, const uint8_t *buf,
		    size_t len, size_t max, json_t **out) VOUCH_MUST_CHECK;

/*
 * vouch_json_check_keys fails with VOUCH_ERR_BAD_FIELD naming the first key
 * of object |obj| that is not in the NULL-terminated list |allowed|, or
 * when |obj| is not an object.  |what| names the object in the message.
 */
enum vouch_err	vouch_json_check_keys(struct vouch_ctx *ctx, const json_t *obj,
		    const char *const *allowed, const char *what)
		    VOUCH_MUST_CHECK;

/*
 * vouch_json_get_hex decodes the string member |key| of |obj| as hex of
 * exactly |n| bytes into |out|.  Missing, not a string, wrong length or
 * bad hex is VOUCH_ERR_BAD_FIELD.
 */
enum vouch_err	vouch_json_get_hex(struct vouch_ctx *ctx, const json_t *obj,
		    const char *key, uint8_t *out, size_t n) VOUCH_MUST_CHECK;

/*
 * vouch_json_dump renders |v| compactly with sorted keys (stable output).
 * Returns a malloc'd NUL-terminated string or NULL.
 */
char		*vouch_json_dump(const json_t *v);

/* vouch_json_pretty renders |v| indented by 2 with sorted keys. */
char		*vouch_json_pretty(const json_t *v);

#endif
