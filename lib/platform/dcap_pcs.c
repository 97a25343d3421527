/* SPDX-License-Identifier: Apache-2.0 */
/*
 * DCAP collateral from the cache directory and Intel PCS / a PCCS
 * (dcap_pcs.h).  Cache layout under the collateral directory:
 *
 *   intel/tcb-{tdx|sgx}-{fmspc}.json   + .chain.pem   TCB Info
 *   intel/qe-{tdx|sgx}.json            + .chain.pem   QE Identity
 *   intel/pckcrl-{platform|processor}.der + .chain.pem
 *   intel/rootcacrl.der
 *
 * A cached document is fresh while its nextUpdate (JSON "nextUpdate" or
 * the CRL's) is after now; its issuer chain goes with it.  Nothing here
 * decides trust: dcap.c verifies whatever this returns.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/x509.h>

#include "bs/bs.h"
#include "bs/json.h"
#include "client/client.h"
#include "crypto/crypto.h"
#include "platform/dcap_pcs.h"
#include "util/file.h"

#define PCS_DEFAULT	"https://api.trustedservices.intel.com"
#define PCS_ROOT_CRL	"https://certificates.trustedservices.intel.com/IntelSGXRootCA.der"

void
dcap_fetched_free(struct dcap_fetched *f)
{
	size_t i;

	for (i = 0; f != NULL && i < f->n; i++) {
		free(f->item[i].p);
	}
	if (f != NULL) {
		memset(f, 0, sizeof(*f));
	}
}

/* The nextUpdate of a PCS document or a CRL; -1 if it is neither. */
static int64_t
next_update(const uint8_t *p, size_t n, bool crl)
{
	X509_CRL *c;
	json_t *root = NULL, *doc;
	int64_t t = -1;
	const char *s;

	if (crl) {
		c = vouch_crl_parse(p, n);
		if (c != NULL) {
			t = vouch_asn1_unix(X509_CRL_get0_nextUpdate(c));
			X509_CRL_free(c);
		}
		return t;
	}
	if (vouch_json_load(NULL, p, n, 0, &root) != VOUCH_OK) {
		return -1;
	}
	doc = json_object_get(root, "tcbInfo");
	if (doc == NULL) {
		doc = json_object_get(root, "enclaveIdentity");
	}
	s = json_string_value(json_object_get(doc, "nextUpdate"));
	if (s == NULL || !vouch_time_parse_rfc3339(s, &t)) {
		t = -1;
	}
	json_decref(root);
	return t;
}

static bool
make_dir(const char *root)
{
	char path[4096];

	if (!vouch_path_join(path, sizeof(path), root, "intel")) {
		return false;
	}
	return (mkdir(root, 0755) == 0 || errno == EEXIST) &&
	    (mkdir(path, 0755) == 0 || errno == EEXIST);
}

static enum vouch_err
add(struct vouch_ctx *ctx, struct dcap_fetched *out, uint8_t *p, size_t n)
{
	if (out->n >= DCAP_PCS_MAX_ITEMS) {
		free(p);
		return vouch_fail(ctx, VOUCH_ERR_INTERNAL, "dcap: too many items");
	}
	out->item[out->n].p = p;
	out->item[out->n].n = n;
	out->n++;
	return VOUCH_OK;
}

/* %XX-decoding of an issuer chain header, in place. */
static size_t
url_decode(char *s)
{
	size_t i, o = 0, n = strlen(s);
	uint8_t b;

	for (i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n &&
		    vouch_hex_decode(s + i + 1, 2, &b, 1, &(size_t){0})) {
			s[o++] = (char)b;
			i += 2;
		} else {
			s[o++] = s[i];
		}
	}
	s[o] = '\0';
	return o;
}

/*
 * One document (with its chain when |chain_hdr| is set): the cached copy
 * when fresh at |now|, else PCS (cached afterwards) when fetching is on,
 * else a stale cached copy.
 */
static enum vouch_err
get_one(struct vouch_ctx *ctx, const struct vouch_verify_config *cfg,
    const char *rel, const char *url, const char *chain_hdr, bool crl,
    int64_t now, struct dcap_fetched *out)
{
	char path[4096], cpath[4200];
	uint8_t *body = NULL, *chain = NULL;
	size_t body_len = 0, chain_len = 0;
	char *hdr = NULL;
	X509_CRL *parsed;
	enum vouch_err rv;
	bool fresh = false;

	path[0] = cpath[0] = '\0';
	if (cfg->collateral_dir != NULL) {
		if (!vouch_path_join(path, sizeof(path), cfg->collateral_dir,
		    rel) || (size_t)snprintf(cpath, sizeof(cpath),
		    "%s.chain.pem", path) >= sizeof(cpath)) {
			return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
			    "dcap: cache path too long");
		}
		if (vouch_file_read(NULL, path, DCAP_PCS_MAX_BYTES, &body,
		    &body_len) == VOUCH_OK && (chain_hdr == NULL ||
		    vouch_file_read(NULL, cpath, DCAP_PCS_MAX_BYTES, &chain,
		    &chain_len) == VOUCH_OK)) {
			fresh = next_update(body, body_len, crl) > now;
		} else {
			free(body);
			body = NULL;
		}
	}
	if (body != NULL && (fresh || url == NULL)) {
		goto found;
	}
	if (url == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_COLLATERAL_MISSING,
		    "dcap: %s is not in the cache%s and fetching is off", rel,
		    cfg->collateral_dir == NULL ? " (none configured)" : "");
	}
	free(body);
	free(chain);
	body = chain = NULL;
	rv = vouch_http_get_hdr(ctx, url, DCAP_PCS_MAX_BYTES, chain_hdr,
	    chain_hdr != NULL ? &hdr : NULL, &body, &body_len);
	if (rv != VOUCH_OK) {
		return rv;
	}
	if (hdr != NULL) {
		chain_len = url_decode(hdr);
		chain = (uint8_t *)hdr;
	}
	/* A PCCS may answer the root CA CRL as hex text. */
	parsed = crl ? vouch_crl_parse(body, body_len) : NULL;
	if (crl && parsed == NULL && body_len > 0 && body_len % 2 == 0) {
		uint8_t *bin = malloc(body_len / 2);
		size_t got = 0;

		if (bin != NULL && vouch_hex_decode((const char *)body,
		    body_len, bin, body_len / 2, &got)) {
			free(body);
			body = bin;
			body_len = got;
		} else {
			free(bin);
		}
	}
	X509_CRL_free(parsed);
	if (next_update(body, body_len, crl) < 0) {
		free(body);
		free(chain);
		return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
		    "dcap: %s from %s is not what it should be", rel, url);
	}
	/* Keep it; a cache that cannot be written only costs a download. */
	if (cfg->collateral_dir != NULL && make_dir(cfg->collateral_dir) &&
	    (chain == NULL || vouch_file_write(NULL, cpath, chain, chain_len,
	    0644) == VOUCH_OK) &&
	    vouch_file_write(NULL, path, body, body_len, 0644) != VOUCH_OK) {
		(void)unlink(cpath);
	}
 found:
	rv = add(ctx, out, body, body_len);
	if (rv == VOUCH_OK && chain != NULL) {
		return add(ctx, out, chain, chain_len);
	}
	free(chain);
	return rv;
}

enum vouch_err
dcap_pcs_get(struct vouch_ctx *ctx, const struct vouch_verify_config *cfg,
    bool tdx, const uint8_t fmspc[6], const char *ca, int64_t now,
    struct dcap_fetched *out)
{
	const char *base = cfg->dcap_pcs_url, *tee = tdx ? "tdx" : "sgx";
	char rel[128], url[VOUCH_FETCH_URL_MAX + 256], hex[13];
	enum vouch_err rv, first = VOUCH_OK;
	char first_msg[256] = "";
	size_t i;

	if (strcmp(ca, "platform") != 0 && strcmp(ca, "processor") != 0) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "dcap: PCK CA kind");
	}
	if (!vouch_hex_encode(fmspc, 6, hex, sizeof(hex))) {
		return vouch_fail(ctx, VOUCH_ERR_INTERNAL, "dcap: hex");
	}
	for (i = 0; i < 4; i++) {
		url[0] = '\0';
		switch (i) {
		case 0:
			(void)snprintf(rel, sizeof(rel), "intel/tcb-%s-%s.json",
			    tee, hex);
			if (base != NULL) {
				(void)snprintf(url, sizeof(url),
				    "%s/%s/certification/v4/tcb?fmspc=%s", base,
				    tee, hex);
			}
			rv = get_one(ctx, cfg, rel, base != NULL ? url : NULL,
			    "TCB-Info-Issuer-Chain", false, now, out);
			break;
		case 1:
			(void)snprintf(rel, sizeof(rel), "intel/qe-%s.json", tee);
			if (base != NULL) {
				(void)snprintf(url, sizeof(url),
				    "%s/%s/certification/v4/qe/identity", base,
				    tee);
			}
			rv = get_one(ctx, cfg, rel, base != NULL ? url : NULL,
			    "SGX-Enclave-Identity-Issuer-Chain", false, now, out);
			break;
		case 2:
			(void)snprintf(rel, sizeof(rel), "intel/pckcrl-%s.der",
			    ca);
			if (base != NULL) {
				(void)snprintf(url, sizeof(url),
				    "%s/sgx/certification/v4/pckcrl?ca=%s&"
				    "encoding=der", base, ca);
			}
			rv = get_one(ctx, cfg, rel, base != NULL ? url : NULL,
			    "SGX-PCK-CRL-Issuer-Chain", true, now, out);
			break;
		default:
			(void)snprintf(rel, sizeof(rel), "intel/rootcacrl.der");
			/* Intel PCS does not serve it; its CDP does. */
			if (base != NULL) {
				(void)snprintf(url, sizeof(url), "%s",
				    strcmp(base, PCS_DEFAULT) == 0 ? PCS_ROOT_CRL :
				    "");
				if (url[0] == '\0') {
					(void)snprintf(url, sizeof(url),
					    "%s/sgx/certification/v4/rootcacrl",
					    base);
				}
			}
			rv = get_one(ctx, cfg, rel, base != NULL ? url : NULL,
			    NULL, true, now, out);
			break;
		}
		if (rv != VOUCH_OK && first == VOUCH_OK) {
			first = rv;
			(void)snprintf(first_msg, sizeof(first_msg), "%s",
			    vouch_error(ctx));
		}
	}
	/* What was found is used; dcap.c names what is still missing. */
	if (out->n == 0 && first != VOUCH_OK) {
		return vouch_fail(ctx, first, "%s", first_msg);
	}
	return VOUCH_OK;
}
