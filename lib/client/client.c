/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "bs/bs.h"
#include "bs/json.h"
#include "client/client.h"

struct vouch_client {
	CURL	*curl;
	char	*base;
	char	*root;
	char	*cert;
	char	*key;
};

struct body {
	uint8_t	*p;
	size_t	 n;
	bool	 too_big;
	size_t	 cap;	/* largest body accepted */
};

static size_t
write_cb(char *data, size_t size, size_t nmemb, void *arg)
{
	struct body *b = arg;
	size_t n = size * nmemb;
	uint8_t *np;

	if (nmemb != 0 && n / nmemb != size) {
		return 0;
	}
	if (n > b->cap - b->n) {
		b->too_big = true;
		return 0;
	}
	np = realloc(b->p, b->n + n + 1);
	if (np == NULL) {
		return 0;
	}
	memcpy(np + b->n, data, n);
	b->p = np;
	b->n += n;
	b->p[b->n] = '\0';
	return n;
}

void
vouch_client_free(struct vouch_client *c)
{
	if (c == NULL) {
		return;
	}
	if (c->curl != NULL) {
		curl_easy_cleanup(c->curl);
	}
	free(c->base);
	free(c->root);
	free(c->cert);
	free(c->key);
	free(c);
}

enum vouch_err
vouch_client_new(struct vouch_ctx *ctx, const char *base_url,
    const char *domain_root, const char *client_cert, const char *client_key,
    struct vouch_client **out)
{
	struct vouch_client *c;

	*out = NULL;
	if (strncmp(base_url, "https://", 8) != 0) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "service URL must start with https://");
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		return vouch_fail(ctx, VOUCH_ERR_NETWORK, "curl_global_init");
	}
	c = calloc(1, sizeof(*c));
	if (c == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
	}
	c->curl = curl_easy_init();
	c->base = strdup(base_url);
	c->root = strdup(domain_root);
	c->cert = client_cert != NULL ? strdup(client_cert) : NULL;
	c->key = client_key != NULL ? strdup(client_key) : NULL;
	if (c->curl == NULL || c->base == NULL || c->root == NULL ||
	    (client_cert != NULL && c->cert == NULL) ||
	    (client_key != NULL && c->key == NULL)) {
		vouch_client_free(c);
		return vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
	}
	*out = c;
	return VOUCH_OK;
}

enum vouch_err
vouch_client_call(struct vouch_ctx *ctx, struct vouch_client *c,
    const char *method, const char *path, const json_t *body,
    long *out_status, json_t **out)
{
	enum vouch_err rv = VOUCH_ERR_NETWORK;
	struct curl_slist *hdr = NULL;
	struct body resp = { NULL, 0, false, VOUCH_CLIENT_MAX_RESPONSE };
	char url[1024], *payload = NULL;
	CURLcode cc;
	CURL *h = c->curl;

	*out = NULL;
	*out_status = 0;
	if ((size_t)snprintf(url, sizeof(url), "%s%s", c->base, path) >= sizeof(url)) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT, "URL too long");
	}
	if (body != NULL) {
		payload = vouch_json_dump(body);
		if (payload == NULL) {
			return vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
		}
	}
	curl_easy_reset(h);
	hdr = curl_slist_append(hdr, "Content-Type: application/json");
	if (hdr == NULL) {
		rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
		goto out;
	}
	if (curl_easy_setopt(h, CURLOPT_URL, url) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https") != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_CAINFO, c->root) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_CAPATH, NULL) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_SSLVERSION,
	    (long)CURL_SSLVERSION_TLSv1_3) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)VOUCH_CLIENT_TIMEOUT) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, write_cb) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_WRITEDATA, &resp) != CURLE_OK) {
		rv = vouch_fail(ctx, VOUCH_ERR_NETWORK, "curl setup failed");
		goto out;
	}
	if (payload != NULL &&
	    curl_easy_setopt(h, CURLOPT_POSTFIELDS, payload) != CURLE_OK) {
		rv = vouch_fail(ctx, VOUCH_ERR_NETWORK, "curl setup failed");
		goto out;
	}
	if (c->cert != NULL &&
	    (curl_easy_setopt(h, CURLOPT_SSLCERT, c->cert) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_SSLKEY, c->key) != CURLE_OK)) {
		rv = vouch_fail(ctx, VOUCH_ERR_NETWORK, "curl client certificate");
		goto out;
	}
	cc = curl_easy_perform(h);
	if (cc != CURLE_OK) {
		rv = vouch_fail(ctx, resp.too_big ? VOUCH_ERR_TOO_LARGE :
		    VOUCH_ERR_NETWORK, "%s%s: %s", c->base, path,
		    resp.too_big ? "response too large" : curl_easy_strerror(cc));
		goto out;
	}
	(void)curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, out_status);
	/* A body that is not JSON leaves *out NULL; the status still counts. */
	if (resp.n > 0 && vouch_json_load(NULL, resp.p, resp.n,
	    VOUCH_CLIENT_MAX_RESPONSE, out) != VOUCH_OK) {
		*out = NULL;
	}
	rv = VOUCH_OK;
 out:
	curl_slist_free_all(hdr);
	free(payload);
	free(resp.p);
	return rv;
}

enum vouch_err
vouch_client_challenge(struct vouch_ctx *ctx, struct vouch_client *c,
    uint8_t nonce[32])
{
	enum vouch_err rv;
	json_t *resp = NULL, *req = json_object();
	long status = 0;

	if (req == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
	}
	rv = vouch_client_call(ctx, c, "POST", "/v1/challenge", req, &status,
	    &resp);
	json_decref(req);
	if (rv != VOUCH_OK) {
		return rv;
	}
	if (status != 200 ||
	    vouch_json_get_hex(ctx, resp, "nonce", nonce, 32) != VOUCH_OK) {
		json_decref(resp);
		return vouch_fail(ctx, VOUCH_ERR_NETWORK,
		    "challenge: unexpected answer (HTTP %ld)", status);
	}
	json_decref(resp);
	return VOUCH_OK;
}

/* Longest Retry-After value looked at; longer ones count as unknown. */
#define RETRY_AFTER_VALUE_MAX	31

/*
 * The response headers kept: one by name (case-insensitive), if asked
 * for, and Retry-After.  Headers of an interim (1xx) answer are dropped
 * when the next status line arrives.
 */
struct header {
	const char	*name;		/* NULL: none */
	char		*value;		/* malloc'd, NUL-terminated */
	bool		 too_big;
	char		 retry_after[RETRY_AFTER_VALUE_MAX + 1];
	bool		 has_retry_after;
};

/* The value of header line |data|/|n| if it is |name|'s, trimmed. */
static bool
header_match(const char *data, size_t n, const char *name, const char **v,
    size_t *vl)
{
	size_t nl = strlen(name);

	if (n <= nl || data[nl] != ':' || strncasecmp(data, name, nl) != 0) {
		return false;
	}
	*v = data + nl + 1;
	*vl = n - nl - 1;
	while (*vl > 0 && (**v == ' ' || **v == '\t')) {
		(*v)++;
		(*vl)--;
	}
	while (*vl > 0 && ((*v)[*vl - 1] == '\r' || (*v)[*vl - 1] == '\n' ||
	    (*v)[*vl - 1] == ' ' || (*v)[*vl - 1] == '\t')) {
		(*vl)--;
	}
	return true;
}

static size_t
header_cb(char *data, size_t size, size_t nmemb, void *arg)
{
	struct header *h = arg;
	size_t n = size * nmemb, vl;
	const char *v;

	if (nmemb != 0 && n / nmemb != size) {
		return 0;
	}
	if (n >= 5 && memcmp(data, "HTTP/", 5) == 0) {
		free(h->value);
		h->value = NULL;
		h->has_retry_after = false;
		return n;
	}
	if (header_match(data, n, "Retry-After", &v, &vl)) {
		/* Too long for a number of seconds: left unknown. */
		h->has_retry_after = vl <= RETRY_AFTER_VALUE_MAX;
		if (h->has_retry_after) {
			memcpy(h->retry_after, v, vl);
			h->retry_after[vl] = '\0';
		}
	}
	if (h->name == NULL || !header_match(data, n, h->name, &v, &vl)) {
		return n;
	}
	if (vl > VOUCH_HTTP_HEADER_MAX) {
		h->too_big = true;
		return 0;
	}
	free(h->value);
	h->value = strndup(v, vl);
	return h->value != NULL ? n : 0;
}

int64_t
vouch_http_retry_after(const char *value)
{
	const char *p = value, *e;
	char *end = NULL;
	long long v;

	while (*p == ' ' || *p == '\t') {
		p++;
	}
	e = p + strlen(p);
	while (e > p && (e[-1] == ' ' || e[-1] == '\t')) {
		e--;
	}
	/* delay-seconds = 1*DIGIT: no sign, no space, no date. */
	if (e == p || *p < '0' || *p > '9') {
		return -1;
	}
	errno = 0;
	v = strtoll(p, &end, 10);
	if (end != e) {
		return -1;
	}
	if ((errno == ERANGE && v == LLONG_MAX) ||
	    v > VOUCH_HTTP_RETRY_AFTER_MAX) {
		return VOUCH_HTTP_RETRY_AFTER_MAX;
	}
	if (errno != 0 || v < 0) {
		return -1;
	}
	return (int64_t)v;
}

/* The host (and port) of |url| for a message: after "//", before [/?#]. */
static void
url_host(const char *url, char *out, size_t cap)
{
	const char *p = strstr(url, "//"), *at;
	size_t n;

	p = p != NULL ? p + 2 : url;
	n = strcspn(p, "/?#");
	/* Never show credentials. */
	at = memchr(p, '@', n);
	if (at != NULL) {
		n -= (size_t)(at + 1 - p);
		p = at + 1;
	}
	(void)snprintf(out, cap, "%.*s", (int)(n < 255 ? n : 255), p);
}

static enum vouch_err
http_get(struct vouch_ctx *ctx, const char *url, size_t max,
    const char *header_name, char **header_value,
    struct vouch_http_answer *ans, uint8_t **out, size_t *out_len)
{
	enum vouch_err rv = VOUCH_ERR_NETWORK;
	struct body resp = { NULL, 0, false, max };
	struct header hdr;
	struct vouch_http_answer dummy;
	const char *proto;
	char host[256];
	long status = 0;
	CURLcode cc;
	CURL *h = NULL;

	*out = NULL;
	*out_len = 0;
	if (ans == NULL) {
		ans = &dummy;
	}
	ans->status = 0;
	ans->retry_after = -1;
	memset(&hdr, 0, sizeof(hdr));
	hdr.name = header_name;
	/* The scheme the caller chose; redirects are never followed. */
	if (strncmp(url, "https://", 8) == 0) {
		proto = "https";
	} else if (strncmp(url, "http://", 7) == 0) {
		proto = "http";
	} else {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "URL must start with https:// or http://");
	}
	if (max == 0 || max > VOUCH_CLIENT_MAX_RESPONSE) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "response limit out of range");
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		return vouch_fail(ctx, VOUCH_ERR_NETWORK, "curl_global_init");
	}
	h = curl_easy_init();
	if (h == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
	}
	if (curl_easy_setopt(h, CURLOPT_URL, url) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, proto) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_SSLVERSION,
	    (long)CURL_SSLVERSION_TLSv1_2) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT,
	    (long)VOUCH_HTTP_CONNECT_TIMEOUT) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)VOUCH_CLIENT_TIMEOUT) !=
	    CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, write_cb) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_WRITEDATA, &resp) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, header_cb) !=
	    CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_HEADERDATA, &hdr) != CURLE_OK) {
		rv = vouch_fail(ctx, VOUCH_ERR_NETWORK, "curl setup failed");
		goto out;
	}
	cc = curl_easy_perform(h);
	(void)curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	ans->status = status;
	if (cc != CURLE_OK) {
		rv = vouch_fail(ctx, resp.too_big || hdr.too_big ?
		    VOUCH_ERR_TOO_LARGE : VOUCH_ERR_NETWORK, "GET %s: %s", url,
		    resp.too_big || hdr.too_big ? "response too large" :
		    curl_easy_strerror(cc));
		goto out;
	}
	if (status == 429) {
		/* RFC 6585 §4: 429 Too Many Requests, "MAY include a
		 * Retry-After header" (RFC 9110 §10.2.3). */
		ans->retry_after = hdr.has_retry_after ?
		    vouch_http_retry_after(hdr.retry_after) : -1;
		url_host(url, host, sizeof(host));
		if (ans->retry_after >= 0) {
			rv = vouch_fail(ctx, VOUCH_ERR_NETWORK,
			    "rate limited by %s: retry after %" PRId64 " s",
			    host, ans->retry_after);
		} else {
			rv = vouch_fail(ctx, VOUCH_ERR_NETWORK,
			    "rate limited by %s: retry later", host);
		}
		goto out;
	}
	if (status != 200) {
		rv = vouch_fail(ctx, status == 404 ? VOUCH_ERR_NOT_FOUND :
		    VOUCH_ERR_NETWORK, "GET %s: HTTP %ld", url, status);
		goto out;
	}
	if (resp.n == 0) {
		rv = vouch_fail(ctx, VOUCH_ERR_NETWORK, "GET %s: empty body", url);
		goto out;
	}
	if (header_name != NULL && hdr.value == NULL) {
		rv = vouch_fail(ctx, VOUCH_ERR_NETWORK,
		    "GET %s: no %s header", url, header_name);
		goto out;
	}
	*out = resp.p;
	*out_len = resp.n;
	resp.p = NULL;
	if (header_value != NULL) {
		*header_value = hdr.value;
		hdr.value = NULL;
	}
	rv = VOUCH_OK;
 out:
	free(resp.p);
	free(hdr.value);
	curl_easy_cleanup(h);
	return rv;
}

enum vouch_err
vouch_http_get(struct vouch_ctx *ctx, const char *url, size_t max,
    uint8_t **out, size_t *out_len)
{
	return http_get(ctx, url, max, NULL, NULL, NULL, out, out_len);
}

enum vouch_err
vouch_http_get_ex(struct vouch_ctx *ctx, const char *url, size_t max,
    struct vouch_http_answer *ans, uint8_t **out, size_t *out_len)
{
	return http_get(ctx, url, max, NULL, NULL, ans, out, out_len);
}

enum vouch_err
vouch_http_get_hdr(struct vouch_ctx *ctx, const char *url, size_t max,
    const char *header_name, char **header_value, uint8_t **out,
    size_t *out_len)
{
	return http_get(ctx, url, max, header_name, header_value, NULL, out,
	    out_len);
}

/* vouchd's problem code if it is a plain token, else a placeholder. */
const char *
vouch_client_problem_code(const json_t *resp)
{
	const char *code = json_string_value(json_object_get(resp, "code"));
	size_t i, n;

	if (code == NULL) {
		return "(no problem code)";
	}
	n = strlen(code);
	if (n == 0 || n > VOUCH_PROBLEM_CODE_MAX) {
		return "(unrecognized problem code)";
	}
	for (i = 0; i < n; i++) {
		if (!((code[i] >= 'a' && code[i] <= 'z') ||
		    (code[i] >= '0' && code[i] <= '9') || code[i] == '-')) {
			return "(unrecognized problem code)";
		}
	}
	return code;
}
