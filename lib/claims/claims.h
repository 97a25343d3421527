/* SPDX-License-Identifier: Apache-2.0 */
/*
 * claims: the normalized claim set every platform emits (DESIGN §3) plus
 * namespaced platform claims.  Every name a platform may emit is listed
 * once in the table in claims.c, with its type; policies are checked
 * against the same table, so an unknown claim is an error at signing time.
 */
#ifndef VOUCH_CLAIMS_H
#define VOUCH_CLAIMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "internal.h"

/* Most claims one evidence may produce. */
#define VOUCH_CLAIMS_MAX	256
/* Longest string claim value. */
#define VOUCH_CLAIM_STRING_MAX	1024
/* Longest bytes claim value. */
#define VOUCH_CLAIM_BYTES_MAX	4096

struct vouch_claim_def {
	const char		*name;
	enum vouch_claim_type	 type;
	const char		*doc;
};

/* The definition of |name|, or NULL if no platform emits it. */
const struct vouch_claim_def *vouch_claim_def_find(const char *name);
/* Iterate over all definitions; NULL past the end. */
const struct vouch_claim_def *vouch_claim_def_at(size_t i);

struct vouch_claims *vouch_claims_new(void);
void	vouch_claims_free(struct vouch_claims *c);

/*
 * Setters add one claim.  A name missing from the table, a type that does
 * not match it, a repeated name or an oversized value is
 * VOUCH_ERR_INTERNAL: the emitting code is wrong, never the input.
 */
enum vouch_err	vouch_claims_set_bool(struct vouch_ctx *ctx, struct vouch_claims *c,
		    const char *name, bool v) VOUCH_MUST_CHECK;
enum vouch_err	vouch_claims_set_int(struct vouch_ctx *ctx, struct vouch_claims *c,
		    const char *name, int64_t v) VOUCH_MUST_CHECK;
enum vouch_err	vouch_claims_set_string(struct vouch_ctx *ctx, struct vouch_claims *c,
		    const char *name, const char *v) VOUCH_MUST_CHECK;
enum vouch_err	vouch_claims_set_bytes(struct vouch_ctx *ctx, struct vouch_claims *c,
		    const char *name, const uint8_t *v, size_t n) VOUCH_MUST_CHECK;

/* The claims as a JSON object (bytes as lower-case hex); new reference. */
json_t	*vouch_claims_json(const struct vouch_claims *c);
/* The value of one claim as JSON (new reference), or NULL if absent. */
json_t	*vouch_claims_value_json(const struct vouch_claims *c, const char *name);

#endif
