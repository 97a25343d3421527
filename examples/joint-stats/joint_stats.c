/* SPDX-License-Identifier: Apache-2.0 */
/*
 * joint-stats: multi-party analytics on attested channels.
 *
 *   joint-stats-analytics PORT OWNERS
 *     certifies with vouchd, accepts OWNERS attested channels, reads each
 *     owner's CSV ("group,value" rows), computes per-group statistics over
 *     all rows, signs the result with its attested key and sends every
 *     owner the bundle: result, signature, admission chain, EAR token.
 *   joint-stats-owner HOST PORT CSV BUNDLE_OUT
 *     certifies, connects requiring the analytics measurement given in
 *     VOUCH_PEER_MEASUREMENT (hex), sends its rows only after the peer
 *     checks out, and writes the bundle it gets back.  The owner then
 *     verifies it offline: vouch result verify.
 *
 * Options come from the environment: VOUCH_STORE, VOUCH_DOMAIN_ROOT,
 * VOUCH_SERVICE_URL, VOUCH_SIM_DIR, and optionally VOUCH_LOG_FILE: then
 * every message and failure detail goes into a sealed log only the
 * tenant can read (`vouch log verify`).  The tenant's X25519 public key
 * is not taken from the host (who could substitute its own and read the
 * log): vouchd releases it to this measurement as the secret
 * TENANT_LOG_KEY_SECRET, put there by the domain owner.
 With VOUCH_RESULTS_KEY_SECRET
 * the analytics program also asks vouchd for that secret (key release,
 * docs/secrets.md): the domain's results-signing key, a P-384 private key
 * in PEM that vouchd releases only to this program's measurement, and
 * countersigns the result with it, so owners can check results against
 * one published key (`vouch result verify --results-key`).  Messages on
 * the channel are a
 * 4-byte big-endian length and that many bytes.
 *
 * TEE-safe output (docs/logging.md): the host sees failures only as
 * lines of the catalog (vouch_report) and progress only in the debug and
 * test profiles (vouch_note); built with VOUCH_PROFILE=production these
 * programs write nothing else on stdout or stderr, and exit with the
 * catalog's status.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "vouch.h"

#define MAX_MSG		(1u << 20)	/* one CSV or bundle */
#define MAX_ROWS	100000
#define MAX_GROUPS	64
#define MAX_GROUP_NAME	32
/* Values are bounded so sums and quartiles stay finite. */
#define MAX_ABS_VALUE	1e12

struct group {
	char	 name[MAX_GROUP_NAME + 1];
	double	*v;
	size_t	 n, cap;
};

/* The tenant's sealed log, when VOUCH_LOG_FILE is set. */
static struct vouch_log *slog;
/* The secret holding the tenant's log key (its public key, PEM). */
#define TENANT_LOG_KEY_SECRET	"joint-stats-tenant-log-key"

/*
 * Report a failure: the catalog line for the host, the detail for the
 * tenant.  Returns the catalog's exit status.
 */
static int
fail(struct vouch *v, enum vouch_code code, const char *what,
    enum vouch_err err)
{
	vouch_report(slog, code, "joint-stats: %s: %s: %s", what,
	    vouch_errname(err), v != NULL ? vouch_last_error(v) : "");
	return vouch_code_exit_status(code);
}

static int
usage_fail(const char *msg)
{
	vouch_report(slog, VOUCH_C_LOAD_USAGE, "joint-stats: %s", msg);
	return vouch_code_exit_status(VOUCH_C_LOAD_USAGE);
}

static enum vouch_err
send_msg(struct vouch_channel *ch, const void *p, size_t n)
{
	uint8_t hdr[4] = { (uint8_t)(n >> 24), (uint8_t)(n >> 16),
	    (uint8_t)(n >> 8), (uint8_t)n };
	enum vouch_err rv = vouch_channel_write(ch, hdr, 4);

	return rv != VOUCH_OK ? rv : vouch_channel_write(ch, p, n);
}

static enum vouch_err
read_full(struct vouch_channel *ch, uint8_t *p, size_t n)
{
	size_t got = 0, k;
	enum vouch_err rv;

	while (got < n) {
		rv = vouch_channel_read(ch, p + got, n - got, &k);
		if (rv != VOUCH_OK) {
			return rv;
		}
		if (k == 0) {
			return VOUCH_ERR_TRUNCATED;
		}
		got += k;
	}
	return VOUCH_OK;
}

/* One length-prefixed message, at most MAX_MSG bytes; NUL-terminated. */
static enum vouch_err
recv_msg(struct vouch_channel *ch, char **out, size_t *out_len)
{
	uint8_t hdr[4];
	size_t n;
	char *buf;
	enum vouch_err rv;

	*out = NULL;
	rv = read_full(ch, hdr, 4);
	if (rv != VOUCH_OK) {
		return rv;
	}
	n = (size_t)hdr[0] << 24 | (size_t)hdr[1] << 16 | (size_t)hdr[2] << 8 | hdr[3];
	if (n > MAX_MSG) {
		return VOUCH_ERR_TOO_LARGE;
	}
	buf = malloc(n + 1);
	if (buf == NULL) {
		return VOUCH_ERR_NO_MEMORY;
	}
	rv = read_full(ch, (uint8_t *)buf, n);
	if (rv != VOUCH_OK) {
		free(buf);
		return rv;
	}
	buf[n] = '\0';
	*out = buf;
	*out_len = n;
	return VOUCH_OK;
}

static struct group *
group_get(struct group *g, size_t *ng, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < *ng; i++) {
		if (strlen(g[i].name) == len && memcmp(g[i].name, name, len) == 0) {
			return &g[i];
		}
	}
	if (*ng == MAX_GROUPS) {
		return NULL;
	}
	memcpy(g[*ng].name, name, len);
	g[*ng].name[len] = '\0';
	return &g[(*ng)++];
}

/*
 * Parse untrusted CSV: a "group,value" header, then rows of a group name
 * ([A-Za-z0-9_-], 1-32 chars) and a finite decimal value.  Returns the
 * number of rows, or -1 with nothing added on any malformed line.
 */
static long
parse_csv(const char *csv, size_t len, struct group *g, size_t *ng, size_t *total)
{
	const char *p = csv, *end = csv + len, *nl, *comma;
	char num[64], *e;
	double val;
	size_t glen;
	long rows = 0;
	struct group *gr;
	double *nv;

	nl = memchr(p, '\n', (size_t)(end - p));
	if (nl == NULL || (size_t)(nl - p) != 11 || memcmp(p, "group,value", 11) != 0) {
		return -1;
	}
	for (p = nl + 1; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL) {
			nl = end;
		}
		if (nl == p) {
			continue;
		}
		comma = memchr(p, ',', (size_t)(nl - p));
		if (comma == NULL || comma == p || (glen = (size_t)(comma - p)) > MAX_GROUP_NAME ||
		    strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") < glen ||
		    (size_t)(nl - comma - 1) == 0 || (size_t)(nl - comma - 1) >= sizeof(num)) {
			return -1;
		}
		memcpy(num, comma + 1, (size_t)(nl - comma - 1));
		num[nl - comma - 1] = '\0';
		errno = 0;
		val = strtod(num, &e);
		if (errno != 0 || *e != '\0' || !isfinite(val) ||
		    fabs(val) > MAX_ABS_VALUE || *total >= MAX_ROWS) {
			return -1;
		}
		gr = group_get(g, ng, p, glen);
		if (gr == NULL) {
			return -1;
		}
		if (gr->n == gr->cap) {
			nv = realloc(gr->v, (gr->cap == 0 ? 64 : gr->cap * 2) * sizeof(double));
			if (nv == NULL) {
				return -1;
			}
			gr->v = nv;
			gr->cap = gr->cap == 0 ? 64 : gr->cap * 2;
		}
		gr->v[gr->n++] = val;
		(*total)++;
		rows++;
		if (nl == end) {
			break;
		}
	}
	return rows;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Quantile by linear interpolation between order statistics. */
static double
quantile(const double *v, size_t n, double q)
{
	double h = (double)(n - 1) * q;
	size_t lo = (size_t)floor(h);

	if (lo + 1 >= n) {
		return v[n - 1];
	}
	return v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]);
}

static double
round4(double x)
{
	return round(x * 10000.0) / 10000.0;
}

static json_t *
stats(struct group *g, size_t ng, size_t owners, size_t total)
{
	json_t *res = json_object(), *groups = json_object(), *o;
	double sum;
	size_t i, k;

	for (i = 0; i < ng; i++) {
		qsort(g[i].v, g[i].n, sizeof(double), cmp_double);
		for (sum = 0, k = 0; k < g[i].n; k++) {
			sum += g[i].v[k];
		}
		o = json_pack("{s:I, s:f, s:f, s:f, s:f, s:f, s:f, s:f}",
		    "count", (json_int_t)g[i].n, "sum", round4(sum),
		    "mean", round4(sum / (double)g[i].n), "min", g[i].v[0],
		    "max", g[i].v[g[i].n - 1],
		    "q1", round4(quantile(g[i].v, g[i].n, 0.25)),
		    "median", round4(quantile(g[i].v, g[i].n, 0.5)),
		    "q3", round4(quantile(g[i].v, g[i].n, 0.75)));
		if (o == NULL || json_object_set_new(groups, g[i].name, o) != 0) {
			json_decref(groups);
			json_decref(res);
			return NULL;
		}
	}
	if (res == NULL || groups == NULL ||
	    json_object_set_new(res, "groups", groups) != 0 ||
	    json_object_set_new(res, "owners", json_integer((json_int_t)owners)) != 0 ||
	    json_object_set_new(res, "rows", json_integer((json_int_t)total)) != 0) {
		json_decref(res);
		return NULL;
	}
	return res;
}

static void
hex(const uint8_t *p, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		(void)snprintf(out + 2 * i, 3, "%02x", p[i]);
	}
}

/* A required peer measurement from hex; -1 when absent or malformed. */
static int
parse_measurement(const char *hexs, struct vouch_peer_requirements *req)
{
	size_t wl = hexs != NULL ? strlen(hexs) : 0, i;
	char two[3], *e;

	memset(req, 0, sizeof(*req));
	if (wl == 0 || wl % 2 != 0 || wl / 2 > sizeof(req->measurement)) {
		return -1;
	}
	for (i = 0; i < wl / 2; i++) {
		two[0] = hexs[2 * i];
		two[1] = hexs[2 * i + 1];
		two[2] = '\0';
		req->measurement[i] = (uint8_t)strtoul(two, &e, 16);
		if (*e != '\0') {
			return -1;
		}
	}
	req->measurement_len = wl / 2;
	return 0;
}

/*
 * The domain's results-signing key, released by vouchd to this program
 * only (a P-384 private key in PEM).  The PEM is wiped by
 * vouch_secret_free as soon as it is parsed.
 */
static enum vouch_err
load_released_key(struct vouch *v, const char *secret_name, EVP_PKEY **out)
{
	enum vouch_err rv;
	uint8_t *pem = NULL;
	size_t pem_len = 0;
	BIO *bio;

	*out = NULL;
	rv = vouch_secret_get(v, secret_name, &pem, &pem_len);
	if (rv != VOUCH_OK) {
		return rv;
	}
	bio = BIO_new_mem_buf(pem, (int)pem_len);
	*out = bio != NULL ? PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL) : NULL;
	BIO_free(bio);
	vouch_secret_free(pem, pem_len);
	if (*out != NULL && (EVP_PKEY_get_base_id(*out) != EVP_PKEY_EC ||
	    EVP_PKEY_get_bits(*out) != 384)) {
		EVP_PKEY_free(*out);
		*out = NULL;
	}
	return *out != NULL ? VOUCH_OK : VOUCH_ERR_BAD_KEY;
}

/* ECDSA P-384 over SHA-384 of |msg| with |key|, raw r||s as hex. */
static enum vouch_err
sign_with_key(EVP_PKEY *key, const char *msg, char hexout[193])
{
	enum vouch_err rv = VOUCH_ERR_CRYPTO;
	uint8_t der[128], raw[96];
	const unsigned char *p = der;
	size_t der_len = sizeof(der);
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	ECDSA_SIG *es = NULL;
	const BIGNUM *r, *sv;

	if (md == NULL ||
	    EVP_DigestSignInit(md, NULL, EVP_sha384(), NULL, key) != 1 ||
	    EVP_DigestSign(md, der, &der_len, (const unsigned char *)msg,
	    strlen(msg)) != 1 ||
	    (es = d2i_ECDSA_SIG(NULL, &p, (long)der_len)) == NULL) {
		goto out;
	}
	ECDSA_SIG_get0(es, &r, &sv);
	if (BN_bn2binpad(r, raw, 48) == 48 && BN_bn2binpad(sv, raw + 48, 48) == 48) {
		hex(raw, sizeof(raw), hexout);
		rv = VOUCH_OK;
	}
 out:
	ECDSA_SIG_free(es);
	EVP_MD_CTX_free(md);
	return rv;
}

static int
open_env(struct vouch **v)
{
	struct vouch_options o;
	enum vouch_err rv;

	memset(&o, 0, sizeof(o));
	o.platform = "auto";
	o.store_dir = getenv("VOUCH_STORE");
	o.domain_root = getenv("VOUCH_DOMAIN_ROOT");
	o.service_url = getenv("VOUCH_SERVICE_URL");
	const char *log_path = getenv("VOUCH_LOG_FILE");
	uint8_t *tenant_pem = NULL;
	size_t tenant_len = 0;

	if (o.store_dir == NULL || o.domain_root == NULL || o.service_url == NULL) {
		vouch_report(NULL, VOUCH_C_LOAD_CONFIG, "joint-stats: set "
		    "VOUCH_STORE, VOUCH_DOMAIN_ROOT, VOUCH_SERVICE_URL (and "
		    "VOUCH_SIM_DIR)");
		return vouch_code_exit_status(VOUCH_C_LOAD_CONFIG);
	}
	rv = vouch_open(v, &o);
	if (rv != VOUCH_OK) {
		return fail(NULL, rv == VOUCH_ERR_UNSUPPORTED_PLATFORM ?
		    VOUCH_C_LOAD_PLATFORM : rv == VOUCH_ERR_INVALID_ARGUMENT ||
		    rv == VOUCH_ERR_NOT_FOUND ? VOUCH_C_LOAD_CONFIG :
		    VOUCH_C_LOAD_STORE, "open", rv);
	}
	if (log_path != NULL) {
		rv = vouch_secret_get(*v, TENANT_LOG_KEY_SECRET, &tenant_pem,
		    &tenant_len);
		if (rv == VOUCH_OK) {
			rv = vouch_log_open_pem(*v, log_path, tenant_pem,
			    tenant_len, &slog);
		}
		vouch_secret_free(tenant_pem, tenant_len);
		if (rv != VOUCH_OK) {
			return fail(*v, VOUCH_C_LOAD_LOG, "sealed log (tenant key "
			    "released by vouchd as " TENANT_LOG_KEY_SECRET ")", rv);
		}
	}
	rv = vouch_certify(*v);
	if (rv != VOUCH_OK) {
		return fail(*v, rv == VOUCH_ERR_POLICY_DENIED ?
		    VOUCH_C_EXEC_CERTIFY_REFUSED : rv == VOUCH_ERR_NETWORK ?
		    VOUCH_C_EXEC_CERTIFY_UNREACHABLE : VOUCH_C_EXEC_CERTIFY_FAILED,
		    "certify", rv);
	}
	return 0;
}

static int
analytics(const char *port_s, const char *owners_s)
{
	struct group groups[MAX_GROUPS];
	struct vouch *v = NULL;
	struct vouch_channel *ch[16];
	struct vouch_peer_info pi;
	struct vouch_peer_requirements oreq, *owner_req = NULL;
	struct sockaddr_in sa;
	size_t ng = 0, total = 0, owners, i, len;
	const char *chain, *ear;
	char *csv, *result_s = NULL, *bundle_s = NULL, sighex[193], rksig[193];
	const char *results_secret = getenv("VOUCH_RESULTS_KEY_SECRET");
	EVP_PKEY *results_key = NULL;
	uint8_t sig[96];
	json_t *result = NULL, *bundle = NULL;
	enum vouch_err rv;
	int lfd = -1, fd, one = 1, rc = 1;
	long port = strtol(port_s, NULL, 10), rows;

	owners = (size_t)strtoul(owners_s, NULL, 10);
	memset(groups, 0, sizeof(groups));
	memset(ch, 0, sizeof(ch));
	if (port <= 0 || port > 65535 || owners == 0 || owners > 16) {
		return usage_fail("bad PORT or OWNERS (1-16)");
	}
	/* Only the owners' client program may hand in rows. */
	if (parse_measurement(getenv("VOUCH_OWNER_MEASUREMENT"), &oreq) != 0) {
		return usage_fail("set VOUCH_OWNER_MEASUREMENT (hex): rows are "
		    "accepted only from the owners' client program");
	}
	owner_req = &oreq;
	rc = open_env(&v);
	if (rc != 0) {
		goto out;
	}
	rc = vouch_code_exit_status(VOUCH_C_APP_FAILED);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (lfd < 0 || setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(lfd, 16) != 0) {
		vouch_report(slog, VOUCH_C_RT_LISTEN, "joint-stats: listen on "
		    "port %ld: %s", port, strerror(errno));
		rc = vouch_code_exit_status(VOUCH_C_RT_LISTEN);
		goto out;
	}
	/* The key first: owners hand over rows only to a program that has it. */
	if (results_secret != NULL) {
		rv = load_released_key(v, results_secret, &results_key);
		if (rv != VOUCH_OK) {
			rc = fail(v, rv == VOUCH_ERR_POLICY_DENIED ?
			    VOUCH_C_EXEC_SECRET_REFUSED : VOUCH_C_EXEC_SECRET_FAILED,
			    "results-signing key", rv);
			goto out;
		}
		vouch_note(slog, "analytics: results-signing key \"%s\" released "
		    "by vouchd (HPKE-sealed to this program)", results_secret);
	}
	vouch_note(slog, "analytics: certified; waiting for %zu data owners "
	    "on port %ld", owners, port);
	for (i = 0; i < owners; i++) {
		fd = accept(lfd, NULL, NULL);
		if (fd < 0) {
			rc = fail(v, VOUCH_C_RT_LISTEN, "accept", VOUCH_ERR_IO);
			goto out;
		}
		rv = vouch_channel_accept(v, fd, owner_req, &ch[i]);
		if (rv != VOUCH_OK) {
			/* A refused peer does not count as an owner. */
			(void)fail(v, VOUCH_C_RT_PEER_REFUSED, "channel refused", rv);
			i--;
			continue;
		}
		if (vouch_channel_peer(ch[i], &pi) != VOUCH_OK) {
			rc = fail(v, VOUCH_C_RT_PEER_REFUSED, "peer", VOUCH_ERR_STATE);
			goto out;
		}
		rv = recv_msg(ch[i], &csv, &len);
		if (rv != VOUCH_OK) {
			rc = fail(v, VOUCH_C_RT_CHANNEL_IO, "receive", rv);
			goto out;
		}
		rows = parse_csv(csv, len, groups, &ng, &total);
		free(csv);
		if (rows < 0) {
			vouch_report(slog, VOUCH_C_APP_INPUT, "analytics: owner "
			    "%zu sent malformed CSV", i + 1);
			rc = vouch_code_exit_status(VOUCH_C_APP_INPUT);
			goto out;
		}
		vouch_note(slog, "analytics: owner %zu (attested %s peer, release "
		    "%s) sent %ld rows", i + 1, pi.platform, pi.release, rows);
	}
	result = stats(groups, ng, owners, total);
	result_s = result != NULL ? json_dumps(result, JSON_COMPACT | JSON_SORT_KEYS |
	    JSON_REAL_PRECISION(10)) : NULL;
	if (result_s == NULL ||
	    vouch_sign(v, (const uint8_t *)result_s, strlen(result_s), sig) != VOUCH_OK ||
	    vouch_admission_chain(v, &chain, &ear) != VOUCH_OK) {
		rc = fail(v, VOUCH_C_RT_SIGN, "sign result", VOUCH_ERR_INTERNAL);
		goto out;
	}
	hex(sig, sizeof(sig), sighex);
	bundle = json_pack("{s:i, s:s, s:s, s:s, s:s}", "vouch_result", 1,
	    "result", result_s, "signature", sighex, "certificate_chain", chain,
	    "ear", ear);
	if (bundle != NULL && results_key != NULL) {
		if (sign_with_key(results_key, result_s, rksig) != VOUCH_OK) {
			rc = fail(v, VOUCH_C_RT_SIGN, "results key", VOUCH_ERR_CRYPTO);
			goto out;
		}
		json_object_set_new(bundle, "results_key_signature",
		    json_string(rksig));
	}
	bundle_s = bundle != NULL ? json_dumps(bundle, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	for (i = 0; bundle_s != NULL && i < owners; i++) {
		if (send_msg(ch[i], bundle_s, strlen(bundle_s)) != VOUCH_OK) {
			vouch_report(slog, VOUCH_C_RT_CHANNEL_IO, "analytics: "
			    "cannot send result to owner %zu", i + 1);
			rc = vouch_code_exit_status(VOUCH_C_RT_CHANNEL_IO);
			goto out;
		}
	}
	if (bundle_s == NULL) {
		rc = fail(v, VOUCH_C_RT_MEMORY, "result bundle", VOUCH_ERR_NO_MEMORY);
		goto out;
	}
	vouch_note(slog, "analytics: joint result over %zu rows sent to %zu "
	    "owners", total, owners);
	rc = 0;
 out:
	for (i = 0; i < 16; i++) {
		vouch_channel_close(ch[i]);
	}
	for (i = 0; i < ng; i++) {
		free(groups[i].v);
	}
	EVP_PKEY_free(results_key);
	free(bundle_s);
	free(result_s);
	json_decref(bundle);
	json_decref(result);
	if (lfd >= 0) {
		close(lfd);
	}
	if (vouch_log_close(slog) != VOUCH_OK && rc == 0) {
		vouch_report(NULL, VOUCH_C_RT_LOG, "joint-stats: closing the "
		    "sealed log failed");
		rc = vouch_code_exit_status(VOUCH_C_RT_LOG);
	}
	slog = NULL;
	vouch_close(v);
	return rc;
}

static int
owner(const char *host, const char *port_s, const char *csv_path, const char *out_path)
{
	struct vouch_peer_requirements req;
	struct vouch_peer_info pi;
	struct vouch *v = NULL;
	struct vouch_channel *ch = NULL;
	const char *want = getenv("VOUCH_PEER_MEASUREMENT");
	char *bundle = NULL, mhex[2 * VOUCH_MEASUREMENT_MAX_BYTES + 1];
	uint8_t *csv = NULL;
	size_t len = 0;
	long port = strtol(port_s, NULL, 10);
	enum vouch_err rv;
	FILE *f;
	int rc;

	if (parse_measurement(want, &req) != 0 || port <= 0 || port > 65535) {
		return usage_fail("owner needs VOUCH_PEER_MEASUREMENT (hex) and a "
		    "valid PORT: an owner never sends data to an unchecked peer");
	}
	f = fopen(csv_path, "rb");
	if (f == NULL) {
		vouch_report(NULL, VOUCH_C_APP_INPUT, "joint-stats: %s: %s",
		    csv_path, strerror(errno));
		return vouch_code_exit_status(VOUCH_C_APP_INPUT);
	}
	csv = malloc(MAX_MSG);
	len = csv != NULL ? fread(csv, 1, MAX_MSG, f) : 0;
	fclose(f);
	rc = open_env(&v);
	if (rc != 0) {
		goto out;
	}
	rv = vouch_channel_connect(v, host, (uint16_t)port, &req, &ch);
	if (rv != VOUCH_OK) {
		rc = fail(v, rv == VOUCH_ERR_NETWORK ? VOUCH_C_RT_CONNECT :
		    VOUCH_C_RT_PEER_REFUSED, "analytics peer refused", rv);
		goto out;
	}
	if (vouch_channel_peer(ch, &pi) != VOUCH_OK) {
		rc = fail(v, VOUCH_C_RT_PEER_REFUSED, "peer", VOUCH_ERR_STATE);
		goto out;
	}
	hex(pi.measurement, pi.measurement_len, mhex);
	vouch_note(slog, "owner %s: peer verified: platform %s, measurement "
	    "%.16s..., release %s, policy v%lld", csv_path, pi.platform, mhex,
	    pi.release, (long long)pi.policy_version);
	if ((rv = send_msg(ch, csv, len)) != VOUCH_OK ||
	    (rv = recv_msg(ch, &bundle, &len)) != VOUCH_OK) {
		rc = fail(v, VOUCH_C_RT_CHANNEL_IO, "exchange", rv);
		goto out;
	}
	f = fopen(out_path, "wb");
	if (f == NULL || fwrite(bundle, 1, len, f) != len || fclose(f) != 0) {
		vouch_report(slog, VOUCH_C_APP_OUTPUT, "joint-stats: cannot "
		    "write %s", out_path);
		rc = vouch_code_exit_status(VOUCH_C_APP_OUTPUT);
		goto out;
	}
	rc = 0;
 out:
	free(bundle);
	free(csv);
	vouch_channel_close(ch);
	if (vouch_log_close(slog) != VOUCH_OK && rc == 0) {
		vouch_report(NULL, VOUCH_C_RT_LOG, "joint-stats: closing the "
		    "sealed log failed");
		rc = vouch_code_exit_status(VOUCH_C_RT_LOG);
	}
	slog = NULL;
	vouch_close(v);
	return rc;
}

/*
 * One source, two programs: the analytics program and the data owners'
 * client are built separately (JOINT_STATS_OWNER), so each has its own
 * measurement and the policy can trust them as separate releases.
 */
int
main(int argc, char **argv)
{
	signal(SIGPIPE, SIG_IGN);
#ifdef JOINT_STATS_OWNER
	if (argc == 5) {
		return owner(argv[1], argv[2], argv[3], argv[4]);
	}
	(void)analytics;
	return usage_fail("usage: joint-stats-owner HOST PORT CSV BUNDLE_OUT");
#else
	if (argc == 3) {
		return analytics(argv[1], argv[2]);
	}
	(void)owner;
	return usage_fail("usage: joint-stats-analytics PORT OWNERS");
#endif
}
