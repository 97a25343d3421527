/* SPDX-License-Identifier: Apache-2.0 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <nettle/sha2.h>

#include "bs/bs.h"
#include "bs/json.h"
#include "crypto/crypto.h"
#include "platform/dcap.h"
#include "platform/platform.h"

/* Every built-in platform, one line each. */
static const struct vouch_platform *const platforms[] = {
	&vouch_platform_sim,
	&vouch_platform_snp,
	&vouch_platform_tdx,
	&vouch_platform_sgx,
};

/* Names the CLI accepts; those without a table above are not built yet. */
static const char *const known_names[] = {
	"sim", "snp", "tdx", "sgx", "tpm", "cca",
};

const struct vouch_platform *
vouch_platform_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(platforms) / sizeof(platforms[0]); i++) {
		if (strcmp(platforms[i]->name, name) == 0) {
			return platforms[i];
		}
	}
	return NULL;
}

bool
vouch_platform_name_known(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(known_names) / sizeof(known_names[0]); i++) {
		if (strcmp(known_names[i], name) == 0) {
			return true;
		}
	}
	return false;
}

const struct vouch_platform *
vouch_platform_detect(const uint8_t *ev, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(platforms) / sizeof(platforms[0]); i++) {
		if (platforms[i]->probe(ev, len)) {
			return platforms[i];
		}
	}
	return NULL;
}

enum vouch_endorsement_kind
vouch_endorsement_kind(const uint8_t *buf, size_t len)
{
	static const char pem_cert[] = "-----BEGIN CERTIFICATE-----";
	static const char pem_crl[] = "-----BEGIN X509 CRL-----";
	const uint8_t *p = buf;
	X509 *x;
	X509_CRL *crl;
	size_t i = 0;

	/* JSON first: collateral bundles carry PEM text inside strings. */
	while (i < len && (buf[i] == ' ' || buf[i] == '\n' || buf[i] == '\r' ||
	    buf[i] == '\t')) {
		i++;
	}
	if (i < len && (buf[i] == '{' || buf[i] == '[')) {
		return VOUCH_ENDORSEMENT_JSON;
	}
	if (memmem(buf, len, pem_cert, sizeof(pem_cert) - 1) != NULL) {
		return VOUCH_ENDORSEMENT_CERT;
	}
	if (memmem(buf, len, pem_crl, sizeof(pem_crl) - 1) != NULL) {
		return VOUCH_ENDORSEMENT_CRL;
	}
	if (len > 0 && buf[0] == 0x30 && len <= INT32_MAX) {
		x = d2i_X509(NULL, &p, (long)len);
		if (x != NULL && p == buf + len) {
			X509_free(x);
			return VOUCH_ENDORSEMENT_CERT;
		}
		X509_free(x);
		p = buf;
		crl = d2i_X509_CRL(NULL, &p, (long)len);
		if (crl != NULL && p == buf + len) {
			X509_CRL_free(crl);
			return VOUCH_ENDORSEMENT_CRL;
		}
		X509_CRL_free(crl);
		ERR_clear_error();
	}
	return VOUCH_ENDORSEMENT_UNKNOWN;
}

static void
cache_clear(struct vouch_chain_cache *c)
{
	size_t i;

	for (i = 0; c != NULL && i < VOUCH_CHAIN_CACHE_SLOTS; i++) {
		X509_free(c->e[i].leaf);
		if (c->e[i].extra_free != NULL) {
			c->e[i].extra_free(c->e[i].extra);
		}
		memset(&c->e[i], 0, sizeof(c->e[i]));
	}
}

bool
vouch_chain_cache_get_ex(const struct vouch_verify_config *cfg,
    const uint8_t key[32], int64_t now, X509 **out_leaf,
    uint8_t out_root_id[32], void **extra)
{
	struct vouch_chain_cache_entry *e;
	size_t i;

	for (i = 0; cfg->cache != NULL && i < VOUCH_CHAIN_CACHE_SLOTS; i++) {
		e = &cfg->cache->e[i];
		if (e->used && memcmp(e->key, key, 32) == 0 &&
		    now >= e->not_before && now <= e->not_after &&
		    X509_up_ref(e->leaf) == 1) {
			*out_leaf = e->leaf;
			memcpy(out_root_id, e->root_id, 32);
			if (extra != NULL) {
				*extra = e->extra;
			}
			return true;
		}
	}
	return false;
}

bool
vouch_chain_cache_get(const struct vouch_verify_config *cfg,
    const uint8_t key[32], int64_t now, X509 **out_leaf,
    uint8_t out_root_id[32])
{
	return vouch_chain_cache_get_ex(cfg, key, now, out_leaf, out_root_id,
	    NULL);
}

void
vouch_chain_cache_put_ex(const struct vouch_verify_config *cfg,
    const uint8_t key[32], STACK_OF(X509) *chain, const uint8_t root_id[32],
    int64_t nb, int64_t na, void *extra, void (*extra_free)(void *))
{
	struct vouch_chain_cache_entry *e;
	int64_t t;
	X509 *x;
	int i;

	if (cfg->cache == NULL || sk_X509_num(chain) < 1) {
		goto drop;
	}
	for (i = 0; i < sk_X509_num(chain); i++) {
		x = sk_X509_value(chain, i);
		t = vouch_asn1_unix(X509_get0_notBefore(x));
		if (t < 0) {
			goto drop;
		}
		nb = t > nb ? t : nb;
		t = vouch_asn1_unix(X509_get0_notAfter(x));
		if (t < 0) {
			goto drop;
		}
		na = t < na ? t : na;
	}
	x = sk_X509_value(chain, 0);
	if (X509_up_ref(x) != 1) {
		goto drop;
	}
	e = &cfg->cache->e[cfg->cache->next];
	cfg->cache->next = (cfg->cache->next + 1) % VOUCH_CHAIN_CACHE_SLOTS;
	X509_free(e->leaf);
	if (e->extra_free != NULL) {
		e->extra_free(e->extra);
	}
	e->used = true;
	memcpy(e->key, key, 32);
	e->leaf = x;
	memcpy(e->root_id, root_id, 32);
	e->not_before = nb;
	e->not_after = na;
	e->extra = extra;
	e->extra_free = extra_free;
	return;
 drop:
	if (extra_free != NULL) {
		extra_free(extra);
	}
}

void
vouch_chain_cache_put(const struct vouch_verify_config *cfg,
    const uint8_t key[32], STACK_OF(X509) *chain, const uint8_t root_id[32])
{
	vouch_chain_cache_put_ex(cfg, key, chain, root_id, INT64_MIN,
	    INT64_MAX, NULL, NULL);
}

struct vouch_verify_config *
vouch_verify_config_new(void)
{
	struct vouch_verify_config *cfg = calloc(1, sizeof(*cfg));

	if (cfg == NULL) {
		return NULL;
	}
	cfg->anchors = sk_X509_new_null();
	cfg->cache = calloc(1, sizeof(*cfg->cache));
	cfg->fetch = calloc(1, sizeof(*cfg->fetch));
	if (cfg->anchors == NULL || cfg->cache == NULL || cfg->fetch == NULL) {
		sk_X509_free(cfg->anchors);
		free(cfg->cache);
		free(cfg->fetch);
		free(cfg);
		return NULL;
	}
	return cfg;
}

void
vouch_verify_config_free(struct vouch_verify_config *cfg)
{
	size_t i;

	if (cfg == NULL) {
		return;
	}
	sk_X509_pop_free(cfg->anchors, X509_free);
	cache_clear(cfg->cache);
	free(cfg->cache);
	free(cfg->fetch);
	for (i = 0; i < cfg->n_endorsements; i++) {
		free(cfg->endorsements[i].p);
	}
	vouch_wipe(cfg->report_data, sizeof(cfg->report_data));
	free(cfg->collateral_dir);
	free(cfg->snp_kds_url);
	free(cfg->dcap_pcs_url);
	free(cfg);
}

enum vouch_err
vouch_verify_config_set_platform(struct vouch_ctx *ctx,
    struct vouch_verify_config *cfg, const char *name)
{
	const struct vouch_platform *p;

	if (strcmp(name, "auto") == 0) {
		cfg->platform = NULL;
		return VOUCH_OK;
	}
	if (!vouch_platform_name_known(name)) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "unknown platform \"%.32s\"", name);
	}
	p = vouch_platform_find(name);
	if (p == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_UNSUPPORTED_PLATFORM,
		    "platform %s is not built into this version", name);
	}
	cfg->platform = p;
	return VOUCH_OK;
}

enum vouch_err
vouch_verify_config_add_trust_anchor(struct vouch_ctx *ctx,
    struct vouch_verify_config *cfg, const uint8_t *buf, size_t len)
{
	if (sk_X509_num(cfg->anchors) >= VOUCH_VERIFY_MAX_ITEMS) {
		return vouch_fail(ctx, VOUCH_ERR_TOO_LARGE, "too many trust anchors");
	}
	cache_clear(cfg->cache);
	return vouch_certs_parse(ctx, buf, len, cfg->anchors);
}

void
vouch_digest_chain(uint8_t d[32], const uint8_t *p, size_t n)
{
	struct sha256_ctx h;
	uint8_t len[8];
	size_t i;

	/*
	 * nettle's SHA-256: no allocation or algorithm fetch, which the
	 * warm verification path would otherwise pay on every call.
	 */
	for (i = 0; i < 8; i++) {
		len[i] = (uint8_t)((uint64_t)n >> (56 - 8 * i));
	}
	sha256_init(&h);
	sha256_update(&h, 32, d);
	sha256_update(&h, sizeof(len), len);
	sha256_update(&h, n, p);
	sha256_digest(&h, 32, d);
}

void
vouch_chain_cache_key(const struct vouch_verify_config *cfg,
    const char *label, uint8_t flags, const uint8_t *a, size_t an,
    const uint8_t *b, size_t bn, uint8_t key[32])
{
	struct sha256_ctx h;
	uint8_t hdr[2];

	hdr[0] = 0;
	hdr[1] = (uint8_t)(flags | (cfg->skip_revocation ? 0x80 : 0));
	sha256_init(&h);
	sha256_update(&h, strlen(label), (const uint8_t *)label);
	sha256_update(&h, sizeof(hdr), hdr);
	sha256_update(&h, sizeof(cfg->endorsements_digest),
	    cfg->endorsements_digest);
	sha256_digest(&h, 32, key);
	/* The variable parts, length-prefixed, chained like endorsements. */
	vouch_digest_chain(key, a, an);
	vouch_digest_chain(key, b, bn);
}

enum vouch_err
vouch_verify_config_add_endorsement(struct vouch_ctx *ctx,
    struct vouch_verify_config *cfg, const uint8_t *buf, size_t len)
{
	struct vouch_blob *b;

	if (len > VOUCH_ENDORSEMENT_MAX_BYTES) {
		return vouch_fail(ctx, VOUCH_ERR_TOO_LARGE,
		    "endorsement larger than %u bytes",
		    VOUCH_ENDORSEMENT_MAX_BYTES);
	}
	if (cfg->n_endorsements >= VOUCH_VERIFY_MAX_ITEMS) {
		return vouch_fail(ctx, VOUCH_ERR_TOO_LARGE, "too many endorsements");
	}
	if (vouch_endorsement_kind(buf, len) == VOUCH_ENDORSEMENT_UNKNOWN) {
		return vouch_fail(ctx, VOUCH_ERR_UNKNOWN_FORMAT,
		    "endorsement is neither a certificate, a CRL nor JSON");
	}
	b = &cfg->endorsements[cfg->n_endorsements];
	b->p = malloc(len == 0 ? 1 : len);
	if (b->p == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
	}
	memcpy(b->p, buf, len);
	b->n = len;
	vouch_digest_chain(cfg->endorsements_digest, b->p, b->n);
	cfg->n_endorsements++;
	return VOUCH_OK;
}

enum vouch_err
vouch_verify_config_set_report_data(struct vouch_ctx *ctx,
    struct vouch_verify_config *cfg, const uint8_t *rd, size_t len)
{
	if (len != VOUCH_REPORT_DATA_BYTES) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "expected report_data has %zu bytes, must be exactly %d",
		    len, VOUCH_REPORT_DATA_BYTES);
	}
	memcpy(cfg->report_data, rd, len);
	cfg->has_report_data = true;
	return VOUCH_OK;
}

enum vouch_err
vouch_verify_config_set_cache_dir(struct vouch_ctx *ctx,
    struct vouch_verify_config *cfg, const char *dir)
{
	char *copy;

	if (dir == NULL || dir[0] == '\0' || strlen(dir) > 1024) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "cache directory: empty or too long");
	}
	copy = strdup(dir);
	if (copy == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
	}
	free(cfg->collateral_dir);
	cfg->collateral_dir = copy;
	return VOUCH_OK;
}

enum vouch_err
vouch_verify_config_enable_fetch(struct vouch_ctx *ctx,
    struct vouch_verify_config *cfg, const char *platform,
    const char *base_url)
{
	const char *url = base_url;
	size_t n, i;
	char *copy;

	if (platform == NULL || (strcmp(platform, "snp") != 0 &&
	    strcmp(platform, "tdx") != 0 && strcmp(platform, "sgx") != 0)) {
		return vouch_fail(ctx, VOUCH_ERR_UNSUPPORTED_PLATFORM,
		    "collateral fetching exists for snp, tdx and sgx only");
	}
	if (url == NULL) {
		url = strcmp(platform, "snp") == 0 ? "https://kdsintf.amd.com" :
		    "https://api.trustedservices.intel.com";
	}
	n = strlen(url);
	if ((strncmp(url, "https://", 8) != 0 &&
	    strncmp(url, "http://", 7) != 0) || n > VOUCH_FETCH_URL_MAX) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "collateral URL must be https:// (or http://) and at most "
		    "%d characters", VOUCH_FETCH_URL_MAX);
	}
	for (i = 0; i < n; i++) {
		if ((unsigned char)url[i] <= 0x20 || url[i] == 0x7f ||
		    url[i] == '?' || url[i] == '#') {
			return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
			    "collateral URL: no spaces, controls, query or "
			    "fragment");
		}
	}
	while (n > 0 && url[n - 1] == '/') {
		n--;
	}
	copy = strndup(url, n);
	if (copy == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
	}
	if (strcmp(platform, "snp") == 0) {
		free(cfg->snp_kds_url);
		cfg->snp_kds_url = copy;
	} else {
		free(cfg->dcap_pcs_url);
		cfg->dcap_pcs_url = copy;
	}
	return VOUCH_OK;
}

enum vouch_err
vouch_verify_config_accept_tcb_status(struct vouch_ctx *ctx,
    struct vouch_verify_config *cfg, const char *status)
{
	static const struct {
		const char		*name;
		enum dcap_tcb_status	 st;
	} acceptable[] = {
		{ "SWHardeningNeeded", DCAP_TCB_SW_HARDENING_NEEDED },
		{ "ConfigurationNeeded", DCAP_TCB_CONFIGURATION_NEEDED },
		{ "ConfigurationAndSWHardeningNeeded",
		    DCAP_TCB_CONFIGURATION_AND_SW_HARDENING_NEEDED },
	};
	size_t i;

	for (i = 0; status != NULL &&
	    i < sizeof(acceptable) / sizeof(acceptable[0]); i++) {
		if (strcmp(status, acceptable[i].name) == 0) {
			cfg->dcap_allow_status |= 1u << acceptable[i].st;
			return VOUCH_OK;
		}
	}
	return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
	    "TCB status: one of SWHardeningNeeded, ConfigurationNeeded, "
	    "ConfigurationAndSWHardeningNeeded");
}

enum vouch_err
vouch_verify_config_set_event_log(struct vouch_ctx *ctx,
    struct vouch_verify_config *cfg, const uint8_t *log, size_t len)
{
	if (log == NULL || len == 0) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "event log: empty");
	}
	cfg->event_log = log;
	cfg->event_log_len = len;
	return VOUCH_OK;
}

void
vouch_verify_config_insecure_allow_debug(struct vouch_verify_config *cfg)
{
	cfg->allow_debug = true;
}

void
vouch_verify_config_insecure_allow_provisional_firmware(
    struct vouch_verify_config *cfg)
{
	cfg->allow_provisional_firmware = true;
}

void
vouch_verify_config_insecure_skip_revocation(struct vouch_verify_config *cfg)
{
	cfg->skip_revocation = true;
}

void
vouch_result_note_unchecked(struct vouch_result *r, const char *what)
{
	if (r->n_unchecked < VOUCH_RESULT_MAX_NOTES) {
		r->unchecked[r->n_unchecked++] = what;
	}
}

void
vouch_result_note_relaxed(struct vouch_result *r, const char *what)
{
	if (r->n_relaxed < VOUCH_RESULT_MAX_NOTES) {
		r->relaxed[r->n_relaxed++] = what;
	}
}

void
vouch_result_free(struct vouch_result *r)
{
	if (r == NULL) {
		return;
	}
	vouch_claims_free(r->claims);
	free(r);
}

const char *
vouch_result_platform(const struct vouch_result *r)
{
	return r->platform;
}

const struct vouch_claims *
vouch_result_claims(const struct vouch_result *r)
{
	return r->claims;
}

int
vouch_result_report_data_checked(const struct vouch_result *r)
{
	return r->report_data_checked ? 1 : 0;
}

/* The checks every platform shares, on verified normalized claims. */
static enum vouch_err
common_checks(struct vouch_ctx *ctx, const struct vouch_verify_config *cfg,
    struct vouch_result *r)
{
	const char *platform = NULL;
	const uint8_t *rd;
	size_t rd_len;
	int debug, provisional = 0;

	if (!vouch_claims_get_string(r->claims, "platform", &platform) ||
	    !vouch_claims_get_bool(r->claims, "debug", &debug) ||
	    !vouch_claims_get_bytes(r->claims, "report_data", &rd, &rd_len) ||
	    rd_len != VOUCH_REPORT_DATA_BYTES) {
		return vouch_fail(ctx, VOUCH_ERR_INTERNAL,
		    "platform did not emit the required claims");
	}
	if (debug) {
		if (!cfg->allow_debug) {
			return vouch_fail(ctx, VOUCH_ERR_DEBUG_ENABLED,
			    "%s: evidence comes from a debug-mode TEE", platform);
		}
		vouch_result_note_relaxed(r, "debug");
	}
	if (vouch_claims_get_bool(r->claims, "snp.provisional_firmware",
	    &provisional) && provisional) {
		if (!cfg->allow_provisional_firmware) {
			return vouch_fail(ctx, VOUCH_ERR_TCB_MISMATCH,
			    "%s: committed TCB below current TCB (provisional "
			    "firmware, can still be rolled back)", platform);
		}
		vouch_result_note_relaxed(r, "provisional_firmware");
	}
	if (cfg->has_report_data) {
		if (!vouch_ct_eq(rd, cfg->report_data, VOUCH_REPORT_DATA_BYTES)) {
			return vouch_fail(ctx, VOUCH_ERR_REPORT_DATA_MISMATCH,
			    "%s: report_data differs from the expected value",
			    platform);
		}
		r->report_data_checked = true;
	} else {
		vouch_result_note_unchecked(r, "report_data");
	}
	return VOUCH_OK;
}

enum vouch_err
vouch_verify_evidence(struct vouch_ctx *ctx,
    const struct vouch_verify_config *cfg, const uint8_t *ev, size_t len,
    struct vouch_result **out)
{
	enum vouch_err rv = VOUCH_ERR_INTERNAL;
	const struct vouch_platform *p;
	struct vouch_result *r = NULL;

	*out = NULL;
	if (len > VOUCH_EVIDENCE_MAX_BYTES) {
		return vouch_fail(ctx, VOUCH_ERR_TOO_LARGE,
		    "evidence larger than %u bytes", VOUCH_EVIDENCE_MAX_BYTES);
	}
	p = vouch_platform_detect(ev, len);
	if (cfg->platform != NULL) {
		if (p != NULL && p != cfg->platform) {
			return vouch_fail(ctx, VOUCH_ERR_PLATFORM_MISMATCH,
			    "evidence is %s, not %s", p->name,
			    cfg->platform->name);
		}
		p = cfg->platform;
	} else if (p == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_UNKNOWN_FORMAT,
		    "evidence format not recognized");
	}
	r = calloc(1, sizeof(*r));
	if (r == NULL || (r->claims = vouch_claims_new()) == NULL) {
		rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
		goto out;
	}
	r->platform = p->name;
	rv = p->verify(ctx, cfg, ev, len, r);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = common_checks(ctx, cfg, r);
	if (rv != VOUCH_OK) {
		goto out;
	}
	*out = r;
	r = NULL;
 out:
	vouch_result_free(r);
	return rv;
}

char *
vouch_result_to_json(const struct vouch_result *r)
{
	json_t *o, *un, *rel, *claims;
	char *s = NULL;
	size_t i;

	o = json_object();
	un = json_array();
	rel = json_array();
	claims = vouch_claims_json(r->claims);
	if (o == NULL || un == NULL || rel == NULL || claims == NULL) {
		goto out;
	}
	for (i = 0; i < r->n_unchecked; i++) {
		if (json_array_append_new(un, json_string(r->unchecked[i])) != 0) {
			goto out;
		}
	}
	for (i = 0; i < r->n_relaxed; i++) {
		if (json_array_append_new(rel, json_string(r->relaxed[i])) != 0) {
			goto out;
		}
	}
	if (json_object_set_new(o, "verdict", json_string("verified")) != 0 ||
	    json_object_set_new(o, "platform", json_string(r->platform)) != 0 ||
	    json_object_set_new(o, "report_data_binding",
	    json_string(r->report_data_checked ? "checked" : "unchecked")) != 0) {
		goto out;
	}
	if (json_object_set(o, "unchecked", un) != 0 ||
	    json_object_set(o, "insecure_relaxed", rel) != 0 ||
	    json_object_set(o, "claims", claims) != 0) {
		goto out;
	}
	s = vouch_json_dump(o);
 out:
	json_decref(claims);
	json_decref(rel);
	json_decref(un);
	json_decref(o);
	return s;
}

X509_CRL *
vouch_crl_parse(const uint8_t *buf, size_t len)
{
	static const char pem[] = "-----BEGIN X509 CRL-----";
	const uint8_t *p = buf;
	X509_CRL *crl = NULL;
	BIO *bio;

	if (len == 0 || len > INT32_MAX) {
		return NULL;
	}
	if (memmem(buf, len, pem, sizeof(pem) - 1) != NULL) {
		bio = BIO_new_mem_buf(buf, (int)len);
		if (bio != NULL) {
			crl = PEM_read_bio_X509_CRL(bio, NULL, NULL, NULL);
			BIO_free(bio);
		}
		ERR_clear_error();
		return crl;
	}
	crl = d2i_X509_CRL(NULL, &p, (long)len);
	if (crl != NULL && p != buf + len) {
		X509_CRL_free(crl);
		crl = NULL;
	}
	ERR_clear_error();
	return crl;
}

enum vouch_err
vouch_check_revocation(struct vouch_ctx *ctx, const struct vouch_crl_ref *crls,
    size_t ncrls, X509 *ark, X509 *const *certs, size_t n, int64_t now,
    const char *who, int64_t *win_nb, int64_t *win_na)
{
	enum vouch_err rv = VOUCH_ERR_CRL_MISSING;
	X509_CRL *crl = NULL;
	X509_REVOKED *entry;
	EVP_PKEY *ark_key = X509_get0_pubkey(ark);
	int64_t this_update, next_update;
	size_t i, j, n_valid = 0, n_stale = 0;

	if (ark_key == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_INTERNAL, "%s CRL: issuer key", who);
	}
	for (i = 0; i < ncrls; i++) {
		X509_CRL_free(crl);
		crl = vouch_crl_parse(crls[i].p, crls[i].n);
		if (crl == NULL) {
			rv = vouch_fail(ctx, VOUCH_ERR_BAD_DER,
			    "%s CRL: list %zu is not a readable CRL", who, i);
			goto out;
		}
		/* Only a list issued and signed by |ark| (the issuer) counts. */
		if (X509_NAME_cmp(X509_CRL_get_issuer(crl),
		    X509_get_subject_name(ark)) != 0 ||
		    X509_CRL_verify(crl, ark_key) != 1) {
			ERR_clear_error();
			continue;
		}
		/* An unknown critical extension makes the list unusable. */
		if (X509_CRL_get_ext_by_critical(crl, 1, -1) >= 0) {
			continue;
		}
		this_update = vouch_asn1_unix(X509_CRL_get0_lastUpdate(crl));
		next_update = vouch_asn1_unix(X509_CRL_get0_nextUpdate(crl));
		if (this_update < 0 || next_update < 0 || now < this_update ||
		    now >= next_update) {
			n_stale++;
			continue;
		}
		n_valid++;
		if (win_nb != NULL && this_update > *win_nb) {
			*win_nb = this_update;
		}
		if (win_na != NULL && next_update - 1 < *win_na) {
			*win_na = next_update - 1;
		}
		/*
		 * Serial numbers are unique per issuer, so the list speaks
		 * only for certificates its issuer issued.
		 */
		for (j = 0; j < n; j++) {
			if (X509_NAME_cmp(X509_get_issuer_name(certs[j]),
			    X509_get_subject_name(ark)) != 0) {
				continue;
			}
			entry = NULL;
			if (X509_CRL_get0_by_serial(crl, &entry,
			    X509_get0_serialNumber(certs[j])) > 0) {
				rv = vouch_fail(ctx, VOUCH_ERR_CERT_REVOKED,
				    "%s CRL: certificate %zu of the chain is "
				    "revoked", who, j);
				goto out;
			}
		}
	}
	if (n_valid > 0) {
		rv = VOUCH_OK;
	} else if (n_stale > 0) {
		rv = vouch_fail(ctx, VOUCH_ERR_CRL_EXPIRED,
		    "%s CRL is not in force at the verification "
		    "time", who);
	} else {
		rv = vouch_fail(ctx, VOUCH_ERR_CRL_MISSING,
		    "%s CRL: none signed by the issuer among the "
		    "collateral", who);
	}
 out:
	X509_CRL_free(crl);
	return rv;
}
