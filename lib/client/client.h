/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Talking to vouchd over HTTPS with libcurl: the server is authenticated
 * by the domain root (its TLS certificate comes from the issuing CA),
 * TLS 1.3 only, https only, bounded response sizes and time.
 */
#ifndef VOUCH_CLIENT_H
#define VOUCH_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "internal.h"

/* Largest response body accepted from vouchd. */
#define VOUCH_CLIENT_MAX_RESPONSE	(1024u * 1024u)
/* Whole-request timeout, seconds. */
#define VOUCH_CLIENT_TIMEOUT		30

/* Connection timeout of vouch_http_get, seconds. */
#define VOUCH_HTTP_CONNECT_TIMEOUT	10

struct vouch_client;

/*
 * vouch_client_new prepares requests to |base_url| ("https://host:port")
 * trusting only |domain_root_pem_path| for the server certificate.
 * |client_cert|/|client_key| (PEM paths) are optional.
 */
enum vouch_err	vouch_client_new(struct vouch_ctx *ctx, const char *base_url,
		    const char *domain_root_pem_path, const char *client_cert,
		    const char *client_key, struct vouch_client **out)
		    VOUCH_MUST_CHECK;
void		vouch_client_free(struct vouch_client *c);

/*
 * vouch_client_call sends |method| |path| with an optional JSON |body|.
 * On a transport success returns VOUCH_OK with |*out_status| and the
 * parsed JSON response in |*out| (new reference, NULL if the body is not
 * JSON).  Transport failures are VOUCH_ERR_NETWORK.
 */
enum vouch_err	vouch_client_call(struct vouch_ctx *ctx, struct vouch_client *c,
		    const char *method, const char *path, const json_t *body,
		    long *out_status, json_t **out) VOUCH_MUST_CHECK;

/* POST /v1/challenge: a 32-byte nonce. */
enum vouch_err	vouch_client_challenge(struct vouch_ctx *ctx,
		    struct vouch_client *c, uint8_t nonce[32]) VOUCH_MUST_CHECK;

/*
 * vouch_http_get fetches |url| with GET: https:// (the system's CA store,
 * TLS 1.2 or later) or, only when the caller spelled it out, plain
 * http://.  Redirects are not followed; the body may have at most |max|
 * bytes (at most VOUCH_CLIENT_MAX_RESPONSE) and the whole request
 * VOUCH_CLIENT_TIMEOUT seconds.  For collateral that is verified after
 * download (AMD KDS), so the transport is not what makes it trusted.
 * On VOUCH_OK |*out| is the malloc'd body of a 200 answer (|*out_len|
 * bytes, NUL-terminated, not counted).  A 404 is VOUCH_ERR_NOT_FOUND,
 * another status (429: see vouch_http_get_ex) or a transport failure
 * VOUCH_ERR_NETWORK, a longer body VOUCH_ERR_TOO_LARGE.
 */
enum vouch_err	vouch_http_get(struct vouch_ctx *ctx, const char *url,
		    size_t max, uint8_t **out, size_t *out_len) VOUCH_MUST_CHECK;
/* Longest response header value vouch_http_get_hdr keeps. */
#define VOUCH_HTTP_HEADER_MAX	(32u * 1024u)
/*
 * vouch_http_get, also returning the value of the response header
 * |header_name| (case-insensitive; malloc'd into *header_value).  A 200
 * answer without it is VOUCH_ERR_NETWORK; a value above
 * VOUCH_HTTP_HEADER_MAX is VOUCH_ERR_TOO_LARGE.  For Intel PCS, whose
 * issuer chains come in headers.
 */
enum vouch_err	vouch_http_get_hdr(struct vouch_ctx *ctx, const char *url,
		    size_t max, const char *header_name, char **header_value,
		    uint8_t **out, size_t *out_len) VOUCH_MUST_CHECK;

/*
 * What vouch_http_get_ex tells about the answer besides the body, also
 * when it fails: the HTTP status (0 when none arrived: the URL was
 * refused or the transport failed) and, for a 429 Too Many Requests, the
 * server's Retry-After in seconds (-1 when absent or not delay-seconds).
 */
struct vouch_http_answer {
	long	status;
	int64_t	retry_after;
};
/* Retry-After values above this many seconds count as this many. */
#define VOUCH_HTTP_RETRY_AFTER_MAX	86400
/*
 * vouch_http_get, also filling |*ans| (which may be NULL).  A 429 is
 * still VOUCH_ERR_NETWORK, with the message "rate limited by HOST: retry
 * after N s" ("retry later" when N is unknown): the caller reads the
 * status and the delay from |*ans| and decides when to ask again.  It
 * never sleeps or retries by itself.
 */
enum vouch_err	vouch_http_get_ex(struct vouch_ctx *ctx, const char *url,
		    size_t max, struct vouch_http_answer *ans, uint8_t **out,
		    size_t *out_len) VOUCH_MUST_CHECK;
/*
 * vouch_http_retry_after parses a Retry-After value (RFC 9110 §10.2.3)
 * of the delay-seconds form (digits only; surrounding spaces and tabs
 * allowed), at most VOUCH_HTTP_RETRY_AFTER_MAX.  An HTTP-date, a sign,
 * an empty value or anything else is -1 (unknown).
 */
int64_t		vouch_http_retry_after(const char *value);

/* Longest problem code passed on from vouchd. */
#define VOUCH_PROBLEM_CODE_MAX	48
/*
 * vouchd's problem+json "code" of |resp| if it is a plain token
 * ([a-z0-9-], at most VOUCH_PROBLEM_CODE_MAX), else a fixed placeholder:
 * what a peer sent never reaches an error message unchecked.
 */
const char	*vouch_client_problem_code(const json_t *resp);

#endif
