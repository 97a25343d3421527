/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SEV-SNP collateral from the cache directory and AMD KDS (snp_kds.h).
 *
 * Cache layout, under the directory given to
 * vouch_verify_config_set_cache_dir (docs/snp.md):
 *
 *   snp/{product}/vcek_cert_chain.pem    KDS vcek/v1/{product}/cert_chain
 *   snp/{product}/vlek_cert_chain.pem    KDS vlek/v1/{product}/cert_chain
 *   snp/{product}/vcek_crl.der           KDS vcek/v1/{product}/crl
 *   snp/{product}/vlek_crl.der           KDS vlek/v1/{product}/crl
 *   snp/{product}/vcek/{hwid}-{tcb}.der  the VCEK; tcb is REPORTED_TCB as
 *                                        16 hex digits
 *
 * A cached file is used while it is valid at the verification time: a CRL
 * from thisUpdate to nextUpdate, certificates from notBefore to notAfter.
 * Otherwise it is fetched again (when fetching is enabled) and replaced;
 * without fetching the stale copy is still handed to verification, which
 * then fails with the precise reason (CRL_EXPIRED, CERT_EXPIRED).
 *
 * Rate limiting: when KDS answers 429 Too Many Requests, the
 * configuration remembers (cfg->fetch) not to ask it again before now +
 * Retry-After (SNP_KDS_RETRY_DEFAULT when absent or not delay-seconds, at
 * least 1 s, at most SNP_KDS_RETRY_MAX).  Until then a lookup the cache
 * cannot answer fails at once with VOUCH_ERR_NETWORK, without network
 * I/O and never with stale collateral.  Nothing here sleeps or retries.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "bs/bs.h"
#include "client/client.h"
#include "crypto/crypto.h"
#include "platform/snp_kds.h"
#include "util/file.h"

enum vouch_err
snp_collateral_init(struct vouch_ctx *ctx, struct snp_collateral *c)
{
	memset(c, 0, sizeof(*c));
	c->certs = sk_X509_new_null();
	if (c->certs == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
	}
	return VOUCH_OK;
}

void
snp_collateral_free(struct snp_collateral *c)
{
	size_t i;

	sk_X509_pop_free(c->certs, X509_free);
	c->certs = NULL;
	for (i = 0; i < c->nowned; i++) {
		free(c->owned[i]);
	}
	c->nowned = 0;
	c->ncrls = 0;
}

enum vouch_err
snp_collateral_add_crl_ref(struct vouch_ctx *ctx, struct snp_collateral *c,
    const uint8_t *p, size_t n)
{
	if (c->ncrls >= SNP_MAX_CRLS) {
		return vouch_fail(ctx, VOUCH_ERR_TOO_LARGE,
		    "snp: more than %d CRLs", SNP_MAX_CRLS);
	}
	c->crls[c->ncrls].p = p;
	c->crls[c->ncrls].n = n;
	c->ncrls++;
	return VOUCH_OK;
}

/* Take ownership of the malloc'd CRL |p| and add it. */
static enum vouch_err
add_crl_owned(struct vouch_ctx *ctx, struct snp_collateral *c, uint8_t *p,
    size_t n)
{
	enum vouch_err rv;

	if (c->nowned >= SNP_MAX_CRLS) {
		free(p);
		return vouch_fail(ctx, VOUCH_ERR_TOO_LARGE,
		    "snp: more than %d CRLs", SNP_MAX_CRLS);
	}
	rv = snp_collateral_add_crl_ref(ctx, c, p, n);
	if (rv != VOUCH_OK) {
		free(p);
		return rv;
	}
	c->owned[c->nowned++] = p;
	return VOUCH_OK;
}

bool
snp_kds_configured(const struct vouch_verify_config *cfg)
{
	return cfg->collateral_dir != NULL || cfg->snp_kds_url != NULL;
}

X509_CRL *
snp_crl_parse(const uint8_t *buf, size_t len)
{
	return vouch_crl_parse(buf, len);
}

/* What one piece of collateral is, to check a download and a cached copy. */
enum kds_kind {
	KDS_CERTS,	/* one DER certificate or PEM certificates */
	KDS_CRL,
};

/*
 * Whether |buf| is a |kind| at all (|*fresh| unset then), and whether it
 * is valid at |now|.
 */
static bool
kds_check(enum kds_kind kind, const uint8_t *buf, size_t len, int64_t now,
    bool *fresh)
{
	STACK_OF(X509) *sk;
	X509_CRL *crl;
	X509 *x;
	int64_t a, b;
	bool ok = false;
	int i;

	*fresh = false;
	if (kind == KDS_CRL) {
		crl = snp_crl_parse(buf, len);
		if (crl == NULL) {
			return false;
		}
		a = vouch_asn1_unix(X509_CRL_get0_lastUpdate(crl));
		b = vouch_asn1_unix(X509_CRL_get0_nextUpdate(crl));
		*fresh = a >= 0 && b >= 0 && now >= a && now < b;
		X509_CRL_free(crl);
		return true;
	}
	sk = sk_X509_new_null();
	if (sk == NULL || vouch_certs_parse(NULL, buf, len, sk) != VOUCH_OK ||
	    sk_X509_num(sk) == 0) {
		goto out;
	}
	ok = true;
	*fresh = true;
	for (i = 0; i < sk_X509_num(sk); i++) {
		x = sk_X509_value(sk, i);
		a = vouch_asn1_unix(X509_get0_notBefore(x));
		b = vouch_asn1_unix(X509_get0_notAfter(x));
		if (a < 0 || b < 0 || now < a || now > b) {
			*fresh = false;
		}
	}
 out:
	sk_X509_pop_free(sk, X509_free);
	ERR_clear_error();
	return ok;
}

/* mkdir -p for the directories of |path| below |root| (which may exist). */
static bool
make_dirs(const char *root, const char *path)
{
	char buf[4096];
	size_t i, rl = strlen(root), n = strlen(path);

	if (n >= sizeof(buf) || rl > n) {
		return false;
	}
	memcpy(buf, path, n + 1);
	if (mkdir(root, 0755) != 0 && errno != EEXIST) {
		return false;
	}
	for (i = rl + 1; i < n; i++) {
		if (buf[i] != '/') {
			continue;
		}
		buf[i] = '\0';
		if (mkdir(buf, 0755) != 0 && errno != EEXIST) {
			return false;
		}
		buf[i] = '/';
	}
	return true;
}

/* "YYYY-MM-DDTHH:MM:SSZ" for |t|, or its number if out of range. */
static void
utc_time(int64_t t, char *out, size_t cap)
{
	struct tm tm;
	time_t tt = (time_t)t;

	if ((int64_t)tt != t || gmtime_r(&tt, &tm) == NULL ||
	    strftime(out, cap, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
		(void)snprintf(out, cap, "%" PRId64, t);
	}
}

/*
 * KDS answered |ans| at |now|: after a 429, remember in |cfg| not to ask
 * again before now + Retry-After (bounded as above).
 */
static void
kds_note_answer(const struct vouch_verify_config *cfg,
    const struct vouch_http_answer *ans, int64_t now)
{
	int64_t wait, until;

	if (cfg->fetch == NULL || ans->status != 429) {
		return;
	}
	wait = ans->retry_after < 0 ? SNP_KDS_RETRY_DEFAULT :
	    ans->retry_after;
	if (wait < 1) {
		wait = 1;
	}
	if (wait > SNP_KDS_RETRY_MAX) {
		wait = SNP_KDS_RETRY_MAX;
	}
	until = now > INT64_MAX - wait ? INT64_MAX : now + wait;
	if (until > cfg->fetch->snp_kds_retry_at) {
		cfg->fetch->snp_kds_retry_at = until;
	}
}

/*
 * One piece of collateral: the cached file |rel| if it is fresh at |now|,
 * else KDS {base}/|url_path| (when fetching is on; stored in the cache),
 * else the stale cached copy.  |*out| is malloc'd.
 */
static enum vouch_err
kds_get(struct vouch_ctx *ctx, const struct vouch_verify_config *cfg,
    struct snp_collateral *c, enum kds_kind kind, const char *rel,
    const char *url_path, int64_t now, uint8_t **out, size_t *out_len)
{
	struct vouch_http_answer ans;
	enum vouch_err rv;
	uint8_t *cached = NULL, *body = NULL;
	size_t cached_len = 0, body_len = 0;
	char path[4096], url[2048], when[64];
	int64_t t_now;
	bool fresh = false;

	*out = NULL;
	*out_len = 0;
	path[0] = '\0';
	if (cfg->collateral_dir != NULL) {
		if (!vouch_path_join(path, sizeof(path), cfg->collateral_dir,
		    rel)) {
			return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
			    "snp: cache path too long");
		}
		rv = vouch_file_read(NULL, path, SNP_KDS_MAX_BYTES, &cached,
		    &cached_len);
		if (rv == VOUCH_OK && !kds_check(kind, cached, cached_len, now,
		    &fresh)) {
			/* Not what it should be: ignore it, refetch. */
			free(cached);
			cached = NULL;
		}
		if (cached != NULL && fresh) {
			c->cache_hits++;
			*out = cached;
			*out_len = cached_len;
			return VOUCH_OK;
		}
	}
	if (cfg->snp_kds_url == NULL) {
		if (cached != NULL) {
			*out = cached;
			*out_len = cached_len;
			return VOUCH_OK;
		}
		return vouch_fail(ctx, VOUCH_ERR_COLLATERAL_MISSING,
		    "snp: %s is not in the cache%s and fetching is off", rel,
		    cfg->collateral_dir == NULL ? " (none configured)" : "");
	}
	/* Fetching: a stale cached copy is never the answer. */
	free(cached);
	/*
	 * The rate limit runs on the context's clock, which is also what
	 * the validity checks use (|now| is that clock at the start of the
	 * verification).
	 */
	t_now = vouch_ctx_now(ctx);
	if (cfg->fetch != NULL && t_now < cfg->fetch->snp_kds_retry_at) {
		utc_time(cfg->fetch->snp_kds_retry_at, when, sizeof(when));
		return vouch_fail(ctx, VOUCH_ERR_NETWORK,
		    "snp: AMD KDS rate-limited us; not asking again before %s",
		    when);
	}
	if ((size_t)snprintf(url, sizeof(url), "%s/%s", cfg->snp_kds_url,
	    url_path) >= sizeof(url)) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "snp: KDS URL too long");
	}
	c->fetches++;
	rv = vouch_http_get_ex(ctx, url, SNP_KDS_MAX_BYTES, &ans, &body,
	    &body_len);
	if (rv != VOUCH_OK) {
		kds_note_answer(cfg, &ans, t_now);
		return rv;
	}
	if (!kds_check(kind, body, body_len, now, &fresh)) {
		free(body);
		return vouch_fail(ctx, kind == KDS_CRL ? VOUCH_ERR_BAD_DER :
		    VOUCH_ERR_BAD_CERT, "snp: %s did not answer with %s", url,
		    kind == KDS_CRL ? "a CRL" : "certificates");
	}
	/* Best effort: a cache that cannot be written only costs a fetch. */
	if (path[0] != '\0' && make_dirs(cfg->collateral_dir, path) &&
	    vouch_file_write(NULL, path, body, body_len, 0644) == VOUCH_OK) {
		c->cache_writes++;
	}
	*out = body;
	*out_len = body_len;
	return VOUCH_OK;
}

static enum vouch_err
add_certs(struct vouch_ctx *ctx, struct snp_collateral *c, uint8_t *buf,
    size_t len)
{
	enum vouch_err rv = vouch_certs_parse(ctx, buf, len, c->certs);

	free(buf);
	return rv;
}

enum vouch_err
snp_kds_vcek(struct vouch_ctx *ctx, const struct vouch_verify_config *cfg,
    const struct snp_report *r, enum snp_product product, int64_t now,
    struct snp_collateral *c)
{
	static const uint8_t zero[64];
	const char *pname = snp_product_name(product);
	char hwid[2 * 64 + 1], rel[512], url[512];
	struct snp_tcb t;
	enum vouch_err rv;
	uint8_t *buf = NULL;
	size_t len = 0, hwid_len;

	if (!snp_kds_configured(cfg)) {
		return vouch_fail(ctx, VOUCH_ERR_COLLATERAL_MISSING,
		    "snp: no VCEK among the endorsements (no cache or KDS "
		    "configured)");
	}
	if (product == SNP_PRODUCT_UNKNOWN) {
		return vouch_fail(ctx, VOUCH_ERR_COLLATERAL_MISSING,
		    "snp: unknown product: cannot look up the VCEK");
	}
	if (vouch_ct_eq(r->chip_id, zero, sizeof(zero))) {
		return vouch_fail(ctx, VOUCH_ERR_COLLATERAL_MISSING,
		    "snp: CHIP_ID is masked: the VCEK cannot be looked up");
	}
	/*= AMD 57230 rev 1.0, Table 11: Turin's hwID is the first 8 bytes of
	 *# CHIP_ID; earlier products use all 64. */
	hwid_len = product == SNP_PRODUCT_TURIN ? 8 : 64;
	if (!vouch_hex_encode(r->chip_id, hwid_len, hwid, sizeof(hwid))) {
		return vouch_fail(ctx, VOUCH_ERR_INTERNAL, "snp: hwid");
	}
	snp_tcb_decode(r->reported_tcb, product, &t);
	(void)snprintf(rel, sizeof(rel), "snp/%s/vcek/%s-%016" PRIx64 ".der",
	    pname, hwid, r->reported_tcb);
	if (product == SNP_PRODUCT_TURIN) {
		(void)snprintf(url, sizeof(url), "vcek/v1/%s/%s?fmcSPL=%u&"
		    "blSPL=%u&teeSPL=%u&snpSPL=%u&ucodeSPL=%u", pname, hwid,
		    t.fmc, t.bootloader, t.tee, t.snp, t.microcode);
	} else {
		(void)snprintf(url, sizeof(url), "vcek/v1/%s/%s?blSPL=%u&"
		    "teeSPL=%u&snpSPL=%u&ucodeSPL=%u", pname, hwid,
		    t.bootloader, t.tee, t.snp, t.microcode);
	}
	rv = kds_get(ctx, cfg, c, KDS_CERTS, rel, url, now, &buf, &len);
	if (rv != VOUCH_OK) {
		return rv;
	}
	return add_certs(ctx, c, buf, len);
}

enum vouch_err
snp_kds_chain(struct vouch_ctx *ctx, const struct vouch_verify_config *cfg,
    enum snp_product product, bool vlek, int64_t now,
    struct snp_collateral *c)
{
	const char *pname = snp_product_name(product);
	const char *kind = vlek ? "vlek" : "vcek";
	char rel[128], url[128];
	enum vouch_err rv;
	uint8_t *buf = NULL;
	size_t len = 0;

	if (product == SNP_PRODUCT_UNKNOWN) {
		return vouch_fail(ctx, VOUCH_ERR_COLLATERAL_MISSING,
		    "snp: unknown product: no certificate chain to look up");
	}
	(void)snprintf(rel, sizeof(rel), "snp/%s/%s_cert_chain.pem", pname,
	    kind);
	(void)snprintf(url, sizeof(url), "%s/v1/%s/cert_chain", kind, pname);
	rv = kds_get(ctx, cfg, c, KDS_CERTS, rel, url, now, &buf, &len);
	if (rv != VOUCH_OK) {
		return rv;
	}
	return add_certs(ctx, c, buf, len);
}

enum vouch_err
snp_kds_crl(struct vouch_ctx *ctx, const struct vouch_verify_config *cfg,
    enum snp_product product, bool vlek, int64_t now,
    struct snp_collateral *c)
{
	const char *pname = snp_product_name(product);
	const char *kind = vlek ? "vlek" : "vcek";
	char rel[128], url[128];
	enum vouch_err rv;
	uint8_t *buf = NULL;
	size_t len = 0;

	(void)snprintf(rel, sizeof(rel), "snp/%s/%s_crl.der", pname, kind);
	(void)snprintf(url, sizeof(url), "%s/v1/%s/crl", kind, pname);
	rv = kds_get(ctx, cfg, c, KDS_CRL, rel, url, now, &buf, &len);
	if (rv != VOUCH_OK) {
		return rv;
	}
	return add_crl_owned(ctx, c, buf, len);
}
