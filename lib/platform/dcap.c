/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The tdx and sgx platforms: Intel DCAP ECDSA quotes verified completely,
 * in the order of ../shared/VERIFIER-CHECKLIST.md §1.2 (docs/tdx.md):
 *
 *   1. parse strictly (dcap_quote.c; header values, every length)
 *   2. quote signature: P-256 over header [|| type || size] || body with
 *      the raw attestation key, which must be a point on the curve
 *   3. PCK chain (certification data type 5) to the pinned Intel SGX Root
 *      CA, with the expected names; the root is pinned by the SHA-256 of
 *      its key, never trusted because the quote carries it
 *   4. QE report signed by the PCK key; QE REPORT_DATA = SHA-256(attestation
 *      key || QE auth data) || 0^32; a debug QE is refused
 *   5. revocation: the Root CA CRL (PCK CA, TCB Signing) and the PCK CA
 *      CRL (the PCK leaf), each signed, in force; fail closed
 *   6. TCB Info and QE Identity: signed by "Intel SGX TCB Signing" chained
 *      to the pinned root, in force, for this FMSPC / PCEID / TEE
 *   7. QE identity match, TCB level match (TDX module identities too),
 *      status merge; only UpToDate passes unless the caller accepts more
 *   8. TD or SGX attributes; the CC event log replayed to the RTMRs when
 *      given; claims from verified fields only
 *
 * Debug and the report_data binding are enforced by the shared layer on
 * the claims, as for every platform.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "bs/bs.h"
#include "bs/json.h"
#include "claims/claims.h"
#include "crypto/crypto.h"
#include "crypto/ecverify.h"
#include "platform/ccel.h"
#include "platform/dcap.h"
#include "platform/dcap_pcs.h"
#include "platform/platform.h"

/*
 * The Intel SGX Root CA's key: SHA-256 of its SubjectPublicKeyInfo,
 * computed from ../shared/testdata/certs/intel/Intel_SGX_Root_CA.pem with
 *   openssl x509 -noout -pubkey | openssl pkey -pubin -outform DER | sha256sum
 * (the certificate https://certificates.trustedservices.intel.com/
 * Intel_SGX_Provisioning_Certification_RootCA.pem serves).
 */
const uint8_t dcap_intel_root_pin[VOUCH_SHA256_BYTES] = {
	0xa0, 0xaf, 0x03, 0x12, 0x89, 0xf5, 0xd5, 0xd4,
	0x13, 0x2f, 0x91, 0x86, 0x06, 0x8a, 0x7f, 0xc1,
	0x36, 0x28, 0x63, 0x3b, 0xa2, 0x35, 0x77, 0x74,
	0x72, 0xe2, 0x9b, 0x6b, 0x6c, 0x67, 0xa4, 0x9e,
};

#define DCAP_MAX_DOCS	VOUCH_VERIFY_MAX_ITEMS
#define DCAP_MAX_CRLS	(VOUCH_VERIFY_MAX_ITEMS + 4)

/* A signed JSON document: the signed bytes and the r||s signature. */
struct dcap_doc {
	const uint8_t	*p;		/* the whole document */
	size_t		 n;
	bool		 bare;		/* the signed object itself (bundle) */
	const uint8_t	*sig;		/* bare: the bundle's signature */
};

/* The collateral of one verification. */
struct dcap_coll {
	STACK_OF(X509)		*certs;		/* candidates, owned */
	struct vouch_crl_ref	 crls[DCAP_MAX_CRLS];
	size_t			 ncrls;
	struct dcap_doc		 tcbinfo[DCAP_MAX_DOCS];
	size_t			 ntcbinfo;
	struct dcap_doc		 qeid[DCAP_MAX_DOCS];
	size_t			 nqeid;
	struct dcap_bundle	 bundle;
	bool			 has_bundle;
	struct dcap_fetched	 fetched;
};

static enum vouch_err
coll_add_crl(struct vouch_ctx *ctx, struct dcap_coll *c, const uint8_t *p,
    size_t n)
{
	if (c->ncrls >= DCAP_MAX_CRLS) {
		return vouch_fail(ctx, VOUCH_ERR_TOO_LARGE, "dcap: too many CRLs");
	}
	c->crls[c->ncrls].p = p;
	c->crls[c->ncrls].n = n;
	c->ncrls++;
	return VOUCH_OK;
}

static enum vouch_err
coll_add_doc(struct vouch_ctx *ctx, struct dcap_doc *docs, size_t *n,
    const uint8_t *p, size_t len, const uint8_t *sig)
{
	if (*n >= DCAP_MAX_DOCS) {
		return vouch_fail(ctx, VOUCH_ERR_TOO_LARGE,
		    "dcap: too many collateral documents");
	}
	docs[*n].p = p;
	docs[*n].n = len;
	docs[*n].bare = sig != NULL;
	docs[*n].sig = sig;
	(*n)++;
	return VOUCH_OK;
}

static enum vouch_err
coll_add_pem(struct vouch_ctx *ctx, struct dcap_coll *c, const char *pem)
{
	if (pem == NULL || pem[0] == '\0') {
		return VOUCH_OK;
	}
	return vouch_certs_parse(ctx, (const uint8_t *)pem, strlen(pem),
	    c->certs);
}

/*
 * Sort one JSON endorsement: a PCS TCB Info or Enclave Identity body, or
 * a dcap-qvl bundle.  Other JSON is not ours and is left alone.
 */
static enum vouch_err
coll_add_json(struct vouch_ctx *ctx, struct dcap_coll *c, const uint8_t *p,
    size_t n)
{
	enum vouch_err rv;
	json_t *root = NULL;

	if (dcap_bundle_probe(p, n)) {
		if (c->has_bundle) {
			return vouch_fail(ctx, VOUCH_ERR_TOO_LARGE,
			    "dcap: more than one collateral bundle");
		}
		rv = dcap_bundle_parse(ctx, p, n, &c->bundle);
		if (rv != VOUCH_OK) {
			return rv;
		}
		c->has_bundle = true;
		if ((rv = coll_add_pem(ctx, c,
		    c->bundle.pck_crl_issuer_chain)) != VOUCH_OK ||
		    (rv = coll_add_pem(ctx, c,
		    c->bundle.tcb_info_issuer_chain)) != VOUCH_OK ||
		    (rv = coll_add_pem(ctx, c,
		    c->bundle.qe_identity_issuer_chain)) != VOUCH_OK ||
		    (rv = coll_add_crl(ctx, c, c->bundle.root_ca_crl,
		    c->bundle.root_ca_crl_len)) != VOUCH_OK ||
		    (rv = coll_add_crl(ctx, c, c->bundle.pck_crl,
		    c->bundle.pck_crl_len)) != VOUCH_OK ||
		    (rv = coll_add_doc(ctx, c->tcbinfo, &c->ntcbinfo,
		    c->bundle.tcb_info, c->bundle.tcb_info_len,
		    c->bundle.tcb_info_sig)) != VOUCH_OK ||
		    (rv = coll_add_doc(ctx, c->qeid, &c->nqeid,
		    c->bundle.qe_identity, c->bundle.qe_identity_len,
		    c->bundle.qe_identity_sig)) != VOUCH_OK) {
			return rv;
		}
		return VOUCH_OK;
	}
	rv = vouch_json_load(ctx, p, n, 0, &root);
	if (rv != VOUCH_OK) {
		return rv;
	}
	if (json_object_get(root, "tcbInfo") != NULL) {
		rv = coll_add_doc(ctx, c->tcbinfo, &c->ntcbinfo, p, n, NULL);
	} else if (json_object_get(root, "enclaveIdentity") != NULL) {
		rv = coll_add_doc(ctx, c->qeid, &c->nqeid, p, n, NULL);
	}
	json_decref(root);
	return rv;
}

static enum vouch_err
coll_add_blob(struct vouch_ctx *ctx, struct dcap_coll *c, const uint8_t *p,
    size_t n)
{
	switch (vouch_endorsement_kind(p, n)) {
	case VOUCH_ENDORSEMENT_CRL:
		return coll_add_crl(ctx, c, p, n);
	case VOUCH_ENDORSEMENT_CERT:
		return vouch_certs_parse(ctx, p, n, c->certs);
	case VOUCH_ENDORSEMENT_JSON:
		return coll_add_json(ctx, c, p, n);
	default:
		return VOUCH_OK;
	}
}

static void
coll_free(struct dcap_coll *c)
{
	sk_X509_pop_free(c->certs, X509_free);
	if (c->has_bundle) {
		dcap_bundle_free(&c->bundle);
	}
	dcap_fetched_free(&c->fetched);
	memset(c, 0, sizeof(*c));
}

static bool
cert_cn_is(X509 *x, const char *want)
{
	char cn[128];
	int n = X509_NAME_get_text_by_NID(X509_get_subject_name(x),
	    NID_commonName, cn, (int)sizeof(cn));

	return n > 0 && n < (int)sizeof(cn) && strcmp(cn, want) == 0;
}

/* The pinned, self-signed roots among |certs|, pushed onto |out|. */
static enum vouch_err
pinned_roots(struct vouch_ctx *ctx, STACK_OF(X509) *certs,
    const uint8_t pin[VOUCH_SHA256_BYTES], STACK_OF(X509) *out)
{
	uint8_t id[VOUCH_SHA256_BYTES];
	enum vouch_err rv;
	X509 *x;
	int i;

	for (i = 0; i < sk_X509_num(certs); i++) {
		x = sk_X509_value(certs, i);
		rv = vouch_key_spki_sha256(ctx, X509_get0_pubkey(x), id);
		if (rv != VOUCH_OK) {
			return rv;
		}
		if (memcmp(id, pin, sizeof(id)) == 0 &&
		    X509_check_issued(x, x) == X509_V_OK &&
		    sk_X509_push(out, x) == 0) {
			return vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
		}
	}
	return VOUCH_OK;
}

/* |x| validated through |certs| to a pinned root at |now|. */
static enum vouch_err
chain_to_pin(struct vouch_ctx *ctx, X509 *x, STACK_OF(X509) *certs,
    const uint8_t pin[VOUCH_SHA256_BYTES], int64_t now,
    STACK_OF(X509) **out_chain)
{
	STACK_OF(X509) *roots = sk_X509_new_null();
	enum vouch_err rv;

	if (roots == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
	}
	rv = pinned_roots(ctx, certs, pin, roots);
	if (rv == VOUCH_OK && sk_X509_num(roots) == 0) {
		rv = vouch_fail(ctx, VOUCH_ERR_NO_TRUST_ANCHOR,
		    "dcap: the Intel SGX Root CA is not among the certificates");
	}
	if (rv == VOUCH_OK) {
		rv = vouch_chain_verify_flags(ctx, x, certs, roots, now,
		    X509_V_FLAG_CHECK_SS_SIGNATURE, out_chain);
	}
	sk_X509_free(roots);
	return rv;
}

/*
 * The "Intel SGX TCB Signing" certificate that chains to the pinned root
 * at |now| (the first one, in collateral order), in *out (borrowed).
 */
static enum vouch_err
tcb_signer(struct vouch_ctx *ctx, struct dcap_coll *c,
    const uint8_t pin[VOUCH_SHA256_BYTES], int64_t now, X509 **out)
{
	STACK_OF(X509) *chain = NULL;
	enum vouch_err rv = VOUCH_ERR_COLLATERAL_MISSING, first = VOUCH_OK;
	char detail[256] = "";
	X509 *x;
	int i;

	*out = NULL;
	for (i = 0; i < sk_X509_num(c->certs); i++) {
		x = sk_X509_value(c->certs, i);
		if (!cert_cn_is(x, "Intel SGX TCB Signing")) {
			continue;
		}
		rv = chain_to_pin(ctx, x, c->certs, pin, now, &chain);
		sk_X509_pop_free(chain, X509_free);
		chain = NULL;
		if (rv == VOUCH_OK) {
			*out = x;
			return VOUCH_OK;
		}
		if (first == VOUCH_OK) {
			first = rv;
			(void)snprintf(detail, sizeof(detail), "%s",
			    vouch_error(ctx));
		}
	}
	if (first != VOUCH_OK) {
		return vouch_fail(ctx, first, "dcap: Intel SGX TCB Signing "
		    "certificate: %s", detail);
	}
	return vouch_fail(ctx, VOUCH_ERR_COLLATERAL_MISSING,
	    "dcap: no Intel SGX TCB Signing certificate among the collateral "
	    "(it comes with the TCB Info issuer chain)");
}

static bool
in_force(int64_t issue, int64_t next, int64_t now)
{
	return issue <= now && now < next;
}

static void
hex_of(const uint8_t *p, size_t n, char *out, size_t cap)
{
	if (!vouch_hex_encode(p, n, out, cap)) {
		(void)snprintf(out, cap, "?");
	}
}

/*
 * The signature of collateral document |d| by the TCB Signing key: over
 * the exact signed text (|sj| from the parser, or the whole bare object of
 * a bundle with the bundle's signature).
 */
static enum vouch_err
doc_verify(struct vouch_ctx *ctx, const struct dcap_doc *d,
    const struct dcap_signed_json *sj, EVP_PKEY *signer, const char *what)
{
	if (vouch_ecdsa_verify_raw(ctx, signer, d->bare ? d->p : sj->signed_p,
	    d->bare ? d->n : sj->signed_len, d->bare ? d->sig : sj->sig,
	    DCAP_P256_SIG_LEN) != VOUCH_OK) {
		return vouch_fail(ctx, VOUCH_ERR_SIGNATURE_INVALID,
		    "dcap: %s signature does not verify with the Intel SGX TCB "
		    "Signing key", what);
	}
	return VOUCH_OK;
}

/*
 * The TCB Info for this platform, FMSPC and time, signature verified
 * (checklist #7) into *ti.
 */
static enum vouch_err
pick_tcb_info(struct vouch_ctx *ctx, struct dcap_coll *c, bool tdx,
    const struct dcap_pck_ext *pck, EVP_PKEY *signer, int64_t now,
    struct dcap_tcb_info *ti)
{
	struct dcap_signed_json sj;
	enum vouch_err rv;
	size_t i, n_other = 0, n_stale = 0;
	char have[16] = "", want[16];

	for (i = 0; i < c->ntcbinfo; i++) {
		memset(&sj, 0, sizeof(sj));
		rv = dcap_tcb_info_parse(ctx, c->tcbinfo[i].p, c->tcbinfo[i].n,
		    ti, c->tcbinfo[i].bare ? NULL : &sj);
		if (rv != VOUCH_OK) {
			return rv;
		}
		if (ti->tdx != tdx) {
			continue;
		}
		if (memcmp(ti->fmspc, pck->fmspc, sizeof(pck->fmspc)) != 0) {
			hex_of(ti->fmspc, sizeof(ti->fmspc), have, sizeof(have));
			n_other++;
			continue;
		}
		rv = doc_verify(ctx, &c->tcbinfo[i], &sj, signer, "TCB Info");
		if (rv != VOUCH_OK) {
			return rv;
		}
		if (!in_force(ti->issue_date, ti->next_update, now)) {
			n_stale++;
			continue;
		}
		if (memcmp(ti->pceid, pck->pceid, sizeof(pck->pceid)) != 0) {
			return vouch_fail(ctx, VOUCH_ERR_TCB_MISMATCH,
			    "dcap: TCB Info PCEID does not match the PCK "
			    "certificate's");
		}
		return VOUCH_OK;
	}
	hex_of(pck->fmspc, sizeof(pck->fmspc), want, sizeof(want));
	if (n_stale > 0) {
		return vouch_fail(ctx, VOUCH_ERR_COLLATERAL_EXPIRED,
		    "dcap: the %s TCB Info for FMSPC %s is not in force at the "
		    "verification time (issueDate .. nextUpdate)",
		    tdx ? "TDX" : "SGX", want);
	}
	if (n_other > 0) {
		return vouch_fail(ctx, VOUCH_ERR_TCB_MISMATCH,
		    "dcap: TCB Info is for FMSPC %s, the PCK certificate's is %s",
		    have, want);
	}
	return vouch_fail(ctx, VOUCH_ERR_COLLATERAL_MISSING,
	    "dcap: no %s TCB Info among the collateral (FMSPC %s)",
	    tdx ? "TDX" : "SGX", want);
}

/* The QE Identity (TD_QE for TDX, QE for SGX) in force, verified. */
static enum vouch_err
pick_qe_identity(struct vouch_ctx *ctx, struct dcap_coll *c, bool tdx,
    EVP_PKEY *signer, int64_t now, struct dcap_qe_identity *qi)
{
	struct dcap_signed_json sj;
	enum vouch_err rv;
	size_t i, n_stale = 0;

	for (i = 0; i < c->nqeid; i++) {
		memset(&sj, 0, sizeof(sj));
		rv = dcap_qe_identity_parse(ctx, c->qeid[i].p, c->qeid[i].n,
		    qi, c->qeid[i].bare ? NULL : &sj);
		if (rv != VOUCH_OK) {
			return rv;
		}
		if (qi->td_qe != tdx) {
			continue;
		}
		rv = doc_verify(ctx, &c->qeid[i], &sj, signer, "QE Identity");
		if (rv != VOUCH_OK) {
			return rv;
		}
		if (!in_force(qi->issue_date, qi->next_update, now)) {
			n_stale++;
			continue;
		}
		return VOUCH_OK;
	}
	if (n_stale > 0) {
		return vouch_fail(ctx, VOUCH_ERR_COLLATERAL_EXPIRED,
		    "dcap: the %s identity is not in force at the verification "
		    "time (issueDate .. nextUpdate)", tdx ? "TD_QE" : "QE");
	}
	return vouch_fail(ctx, VOUCH_ERR_COLLATERAL_MISSING,
	    "dcap: no %s identity among the collateral", tdx ? "TD_QE" : "QE");
}

/* Collateral from the endorsements, the cache and PCS (if enabled). */
static enum vouch_err
gather(struct vouch_ctx *ctx, const struct vouch_verify_config *cfg,
    struct dcap_coll *c)
{
	enum vouch_err rv;
	size_t i;

	for (i = 0; i < cfg->n_endorsements; i++) {
		rv = coll_add_blob(ctx, c, cfg->endorsements[i].p,
		    cfg->endorsements[i].n);
		if (rv != VOUCH_OK) {
			return rv;
		}
	}
	return VOUCH_OK;
}

static enum vouch_err
gather_fetched(struct vouch_ctx *ctx, const struct vouch_verify_config *cfg,
    struct dcap_coll *c, bool tdx, const struct dcap_pck_ext *pck,
    bool processor_ca, int64_t now)
{
	enum vouch_err rv;
	size_t i;

	if (cfg->collateral_dir == NULL && cfg->dcap_pcs_url == NULL) {
		return VOUCH_OK;
	}
	rv = dcap_pcs_get(ctx, cfg, tdx, pck->fmspc,
	    processor_ca ? "processor" : "platform", now, &c->fetched);
	if (rv != VOUCH_OK) {
		return rv;
	}
	for (i = 0; i < c->fetched.n; i++) {
		rv = coll_add_blob(ctx, c, c->fetched.item[i].p,
		    c->fetched.item[i].n);
		if (rv != VOUCH_OK) {
			return rv;
		}
	}
	return VOUCH_OK;
}

/* The status of the verified TCB, after merging (checklist #9). */
static enum vouch_err
judge_status(struct vouch_ctx *ctx, const struct vouch_verify_config *cfg,
    enum dcap_tcb_status st)
{
	const char *name = dcap_tcb_status_name(st);

	switch (st) {
	case DCAP_TCB_UP_TO_DATE:
		return VOUCH_OK;
	case DCAP_TCB_SW_HARDENING_NEEDED:
	case DCAP_TCB_CONFIGURATION_NEEDED:
	case DCAP_TCB_CONFIGURATION_AND_SW_HARDENING_NEEDED:
		if ((cfg->dcap_allow_status & (1u << st)) != 0) {
			return VOUCH_OK;
		}
		return vouch_fail(ctx, VOUCH_ERR_TCB_NEEDS_POLICY,
		    "dcap: TCB status %s is accepted only when a policy names it "
		    "(see the advisories)", name);
	case DCAP_TCB_OUT_OF_DATE:
	case DCAP_TCB_OUT_OF_DATE_CONFIGURATION_NEEDED:
		return vouch_fail(ctx, VOUCH_ERR_TCB_OUT_OF_DATE,
		    "dcap: TCB status %s", name);
	case DCAP_TCB_REVOKED:
		return vouch_fail(ctx, VOUCH_ERR_TCB_REVOKED,
		    "dcap: TCB status Revoked");
	default:
		return vouch_fail(ctx, VOUCH_ERR_TCB_STATUS_UNKNOWN,
		    "dcap: the matching TCB level has a status this verifier "
		    "does not know");
	}
}

static void
adv_merge(struct dcap_advisories *into, const struct dcap_advisories *from)
{
	size_t i, j;

	for (i = 0; i < from->n; i++) {
		for (j = 0; j < into->n; j++) {
			if (strcmp(into->id[j], from->id[i]) == 0) {
				break;
			}
		}
		if (j == into->n && into->n < DCAP_MAX_ADVISORIES) {
			memcpy(into->id[into->n], from->id[i], DCAP_ADVISORY_MAX);
			into->n++;
		}
	}
}

static int
adv_cmp(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

/* What the TCB evaluation found, for the claims. */
struct dcap_verdict {
	enum dcap_tcb_status	 status;
	enum dcap_tcb_status	 platform_status;
	enum dcap_tcb_status	 qe_status;
	enum dcap_tcb_status	 module_status;	/* UNKNOWN: no identity used */
	struct dcap_advisories	 adv;
	int64_t			 tcb_date;
	int			 eval_number;
	bool			 ccel_replayed;
	size_t			 ccel_events;
	/* From the replayed log (ccel_visit). */
	int			 secure_boot;	/* -1: no SecureBoot event */
	bool			 has_cmdline;
	char			 cmdline[VOUCH_CLAIM_STRING_MAX];
	uint8_t			 apps[VOUCH_CLAIM_BYTES_MAX];
	size_t			 napps;
	bool			 apps_overflow;
};

static enum vouch_err
set_common_claims(struct vouch_ctx *ctx, struct vouch_claims *c,
    const struct dcap_quote *q, const struct dcap_pck_ext *pck,
    const struct dcap_verdict *v, const uint8_t root_id[VOUCH_SHA256_BYTES])
{
	char adv[DCAP_MAX_ADVISORIES * (DCAP_ADVISORY_MAX + 1)] = "";
	char date[32];
	struct dcap_advisories sorted = v->adv;
	enum vouch_err rv;
	size_t i, off = 0;

	qsort(sorted.id, sorted.n, DCAP_ADVISORY_MAX, adv_cmp);
	for (i = 0; i < sorted.n; i++) {
		off += (size_t)snprintf(adv + off, sizeof(adv) - off, "%s%s",
		    i > 0 ? "," : "", sorted.id[i]);
	}
	if (!vouch_time_format_rfc3339(v->tcb_date, date, sizeof(date))) {
		return vouch_fail(ctx, VOUCH_ERR_INTERNAL, "dcap: tcbDate");
	}
	if ((rv = vouch_claims_set_string(ctx, c, "tcb.status",
	    dcap_tcb_status_name(v->status))) != VOUCH_OK ||
	    (rv = vouch_claims_set_string(ctx, c, "tcb.advisories", adv)) !=
	    VOUCH_OK ||
	    (rv = vouch_claims_set_bytes(ctx, c, "root_key_id", root_id,
	    VOUCH_SHA256_BYTES)) != VOUCH_OK ||
	    (rv = vouch_claims_set_bytes(ctx, c, "chip_id", pck->ppid,
	    sizeof(pck->ppid))) != VOUCH_OK ||
	    (rv = vouch_claims_set_int(ctx, c, "dcap.quote_version",
	    q->version)) != VOUCH_OK ||
	    (rv = vouch_claims_set_int(ctx, c, "dcap.qe_svn", q->qe_svn)) !=
	    VOUCH_OK ||
	    (rv = vouch_claims_set_int(ctx, c, "dcap.pce_svn", q->pce_svn)) !=
	    VOUCH_OK ||
	    (rv = vouch_claims_set_bytes(ctx, c, "dcap.fmspc", pck->fmspc,
	    sizeof(pck->fmspc))) != VOUCH_OK ||
	    (rv = vouch_claims_set_bytes(ctx, c, "dcap.pceid", pck->pceid,
	    sizeof(pck->pceid))) != VOUCH_OK ||
	    (rv = vouch_claims_set_bytes(ctx, c, "dcap.cpusvn", pck->cpusvn,
	    sizeof(pck->cpusvn))) != VOUCH_OK ||
	    (rv = vouch_claims_set_int(ctx, c, "dcap.pck_pcesvn",
	    pck->pcesvn)) != VOUCH_OK ||
	    (rv = vouch_claims_set_int(ctx, c, "dcap.sgx_type",
	    pck->sgx_type)) != VOUCH_OK ||
	    (rv = vouch_claims_set_string(ctx, c, "dcap.tcb_date", date)) !=
	    VOUCH_OK ||
	    (rv = vouch_claims_set_int(ctx, c, "dcap.tcb_eval_number",
	    v->eval_number)) != VOUCH_OK ||
	    (rv = vouch_claims_set_string(ctx, c, "dcap.platform_tcb_status",
	    dcap_tcb_status_name(v->platform_status))) != VOUCH_OK ||
	    (rv = vouch_claims_set_string(ctx, c, "dcap.qe_tcb_status",
	    dcap_tcb_status_name(v->qe_status))) != VOUCH_OK ||
	    (rv = vouch_claims_set_int(ctx, c, "dcap.qe_isvsvn",
	    q->qe_report.isv_svn)) != VOUCH_OK) {
		return rv;
	}
	return VOUCH_OK;
}

static const struct {
	const char	*name;
	uint64_t	 bit;
} td_attr_bits[] = {
	{ "tdx.td_attributes.debug", DCAP_TD_ATTR_DEBUG },
	{ "tdx.td_attributes.sept_ve_disable", DCAP_TD_ATTR_SEPT_VE_DISABLE },
	{ "tdx.td_attributes.migratable", DCAP_TD_ATTR_MIGRATABLE },
	{ "tdx.td_attributes.pks", DCAP_TD_ATTR_PKS },
	{ "tdx.td_attributes.kl", DCAP_TD_ATTR_KL },
	{ "tdx.td_attributes.tpa", DCAP_TD_ATTR_TPA },
	{ "tdx.td_attributes.perfmon", DCAP_TD_ATTR_PERFMON },
};

static enum vouch_err
set_td_claims(struct vouch_ctx *ctx, struct vouch_claims *c,
    const struct dcap_td_report *td, const struct dcap_verdict *v)
{
	static const char *const rtmr[4] = {
		"tdx.rtmr0", "tdx.rtmr1", "tdx.rtmr2", "tdx.rtmr3",
	};
	enum vouch_err rv;
	size_t i;

	if ((rv = vouch_claims_set_string(ctx, c, "platform", "tdx")) !=
	    VOUCH_OK ||
	    (rv = vouch_claims_set_bool(ctx, c, "debug",
	    (td->td_attributes & DCAP_TD_ATTR_DEBUG) != 0)) != VOUCH_OK ||
	    (rv = vouch_claims_set_bytes(ctx, c, "report_data",
	    td->report_data, sizeof(td->report_data))) != VOUCH_OK ||
	    (rv = vouch_claims_set_bytes(ctx, c, "measurement", td->mrtd,
	    sizeof(td->mrtd))) != VOUCH_OK ||
	    (rv = vouch_claims_set_bytes(ctx, c, "tdx.mrtd", td->mrtd,
	    sizeof(td->mrtd))) != VOUCH_OK ||
	    (rv = vouch_claims_set_bytes(ctx, c, "tdx.mrconfigid",
	    td->mrconfigid, sizeof(td->mrconfigid))) != VOUCH_OK ||
	    (rv = vouch_claims_set_bytes(ctx, c, "tdx.mrowner", td->mrowner,
	    sizeof(td->mrowner))) != VOUCH_OK ||
	    (rv = vouch_claims_set_bytes(ctx, c, "tdx.mrownerconfig",
	    td->mrownerconfig, sizeof(td->mrownerconfig))) != VOUCH_OK ||
	    (rv = vouch_claims_set_bytes(ctx, c, "tdx.mrseam", td->mrseam,
	    sizeof(td->mrseam))) != VOUCH_OK ||
	    (rv = vouch_claims_set_bytes(ctx, c, "tdx.mrsignerseam",
	    td->mrsignerseam, sizeof(td->mrsignerseam))) != VOUCH_OK ||
	    (rv = vouch_claims_set_int(ctx, c, "tdx.seam_attributes",
	    (int64_t)td->seam_attributes)) != VOUCH_OK ||
	    (rv = vouch_claims_set_int(ctx, c, "tdx.td_attributes",
	    (int64_t)td->td_attributes)) != VOUCH_OK ||
	    (rv = vouch_claims_set_int(ctx, c, "tdx.xfam",
	    (int64_t)td->xfam)) != VOUCH_OK ||
	    (rv = vouch_claims_set_bytes(ctx, c, "tdx.tee_tcb_svn",
	    td->tee_tcb_svn, sizeof(td->tee_tcb_svn))) != VOUCH_OK ||
	    (rv = vouch_claims_set_bool(ctx, c, "tdx.ccel_replayed",
	    v->ccel_replayed)) != VOUCH_OK) {
		return rv;
	}
	for (i = 0; i < 4; i++) {
		rv = vouch_claims_set_bytes(ctx, c, rtmr[i], td->rtmr[i],
		    sizeof(td->rtmr[i]));
		if (rv != VOUCH_OK) {
			return rv;
		}
	}
	for (i = 0; i < sizeof(td_attr_bits) / sizeof(td_attr_bits[0]); i++) {
		rv = vouch_claims_set_bool(ctx, c, td_attr_bits[i].name,
		    (td->td_attributes & td_attr_bits[i].bit) != 0);
		if (rv != VOUCH_OK) {
			return rv;
		}
	}
	if (v->ccel_replayed &&
	    ((rv = vouch_claims_set_int(ctx, c, "tdx.ccel_events",
	    (int64_t)v->ccel_events)) != VOUCH_OK ||
	    (v->secure_boot >= 0 && (rv = vouch_claims_set_bool(ctx, c,
	    "tdx.ccel.secure_boot", v->secure_boot == 1)) != VOUCH_OK) ||
	    (v->has_cmdline && (rv = vouch_claims_set_string(ctx, c,
	    "tdx.ccel.kernel_cmdline", v->cmdline)) != VOUCH_OK) ||
	    (v->napps > 0 && !v->apps_overflow && (rv = vouch_claims_set_bytes(
	    ctx, c, "tdx.ccel.boot_applications", v->apps, v->napps)) !=
	    VOUCH_OK))) {
		return rv;
	}
	if (v->module_status != DCAP_TCB_UNKNOWN) {
		rv = vouch_claims_set_string(ctx, c, "tdx.module_tcb_status",
		    dcap_tcb_status_name(v->module_status));
		if (rv != VOUCH_OK) {
			return rv;
		}
	}
	if (td->v15 &&
	    ((rv = vouch_claims_set_bytes(ctx, c, "tdx.tee_tcb_svn2",
	    td->tee_tcb_svn2, sizeof(td->tee_tcb_svn2))) != VOUCH_OK ||
	    (rv = vouch_claims_set_bytes(ctx, c, "tdx.mrservicetd",
	    td->mrservicetd, sizeof(td->mrservicetd))) != VOUCH_OK)) {
		return rv;
	}
	return VOUCH_OK;
}

static enum vouch_err
set_sgx_claims(struct vouch_ctx *ctx, struct vouch_claims *c,
    const struct dcap_sgx_report *r)
{
	enum vouch_err rv;

	if ((rv = vouch_claims_set_string(ctx, c, "platform", "sgx")) !=
	    VOUCH_OK ||
	    (rv = vouch_claims_set_bool(ctx, c, "debug",
	    (r->attr_flags & DCAP_SGX_ATTR_DEBUG) != 0)) != VOUCH_OK ||
	    (rv = vouch_claims_set_bytes(ctx, c, "report_data", r->report_data,
	    sizeof(r->report_data))) != VOUCH_OK ||
	    (rv = vouch_claims_set_bytes(ctx, c, "measurement", r->mrenclave,
	    sizeof(r->mrenclave))) != VOUCH_OK ||
	    (rv = vouch_claims_set_bytes(ctx, c, "signer", r->mrsigner,
	    sizeof(r->mrsigner))) != VOUCH_OK ||
	    (rv = vouch_claims_set_bytes(ctx, c, "sgx.mrenclave", r->mrenclave,
	    sizeof(r->mrenclave))) != VOUCH_OK ||
	    (rv = vouch_claims_set_bytes(ctx, c, "sgx.mrsigner", r->mrsigner,
	    sizeof(r->mrsigner))) != VOUCH_OK ||
	    (rv = vouch_claims_set_int(ctx, c, "sgx.isv_prod_id",
	    r->isv_prod_id)) != VOUCH_OK ||
	    (rv = vouch_claims_set_int(ctx, c, "sgx.isv_svn", r->isv_svn)) !=
	    VOUCH_OK ||
	    (rv = vouch_claims_set_bytes(ctx, c, "sgx.attributes",
	    r->attributes, sizeof(r->attributes))) != VOUCH_OK ||
	    (rv = vouch_claims_set_bool(ctx, c, "sgx.attributes.debug",
	    (r->attr_flags & DCAP_SGX_ATTR_DEBUG) != 0)) != VOUCH_OK ||
	    (rv = vouch_claims_set_bool(ctx, c, "sgx.attributes.mode64bit",
	    (r->attr_flags & DCAP_SGX_ATTR_MODE64) != 0)) != VOUCH_OK ||
	    (rv = vouch_claims_set_bool(ctx, c, "sgx.attributes.provision_key",
	    (r->attr_flags & DCAP_SGX_ATTR_PROVKEY) != 0)) != VOUCH_OK ||
	    (rv = vouch_claims_set_bool(ctx, c, "sgx.attributes.kss",
	    (r->attr_flags & DCAP_SGX_ATTR_KSS) != 0)) != VOUCH_OK ||
	    (rv = vouch_claims_set_int(ctx, c, "sgx.miscselect",
	    r->miscselect)) != VOUCH_OK ||
	    (rv = vouch_claims_set_bytes(ctx, c, "sgx.cpusvn", r->cpusvn,
	    sizeof(r->cpusvn))) != VOUCH_OK ||
	    (rv = vouch_claims_set_bytes(ctx, c, "sgx.config_id", r->config_id,
	    sizeof(r->config_id))) != VOUCH_OK ||
	    (rv = vouch_claims_set_int(ctx, c, "sgx.config_svn",
	    r->config_svn)) != VOUCH_OK ||
	    (rv = vouch_claims_set_bytes(ctx, c, "sgx.isv_ext_prod_id",
	    r->isv_ext_prod_id, sizeof(r->isv_ext_prod_id))) != VOUCH_OK ||
	    (rv = vouch_claims_set_bytes(ctx, c, "sgx.isv_family_id",
	    r->isv_family_id, sizeof(r->isv_family_id))) != VOUCH_OK) {
		return rv;
	}
	return VOUCH_OK;
}

static enum vouch_err
set_claims(struct vouch_ctx *ctx, struct vouch_result *res,
    const struct dcap_quote *q, bool tdx, const struct dcap_pck_ext *pck,
    const struct dcap_verdict *v, const uint8_t root_id[VOUCH_SHA256_BYTES])
{
	enum vouch_err rv;

	rv = tdx ? set_td_claims(ctx, res->claims, &q->td, v) :
	    set_sgx_claims(ctx, res->claims, &q->sgx);
	if (rv != VOUCH_OK) {
		return rv;
	}
	return set_common_claims(ctx, res->claims, q, pck, v, root_id);
}

/*
 * Revocation (checklist #6): the Root CA's list for what the root issued
 * (the PCK CA, the TCB Signing certificate), the PCK CA's for the leaf.
 */
static enum vouch_err
check_revocation(struct vouch_ctx *ctx, const struct dcap_coll *c,
    STACK_OF(X509) *pck_chain, X509 *signer, int64_t now, int64_t *nb,
    int64_t *na)
{
	X509 *root = sk_X509_value(pck_chain, sk_X509_num(pck_chain) - 1);
	X509 *ca = sk_X509_value(pck_chain, 1);
	X509 *leaf = sk_X509_value(pck_chain, 0);
	X509 *by_root[2];
	enum vouch_err rv;

	by_root[0] = ca;
	by_root[1] = signer;
	rv = vouch_check_revocation(ctx, c->crls, c->ncrls, root, by_root, 2,
	    now, "dcap: the Intel SGX Root CA's", nb, na);
	if (rv != VOUCH_OK) {
		return rv;
	}
	/* The PCK CA's list: its issuer must be the leaf's issuer, exactly. */
	return vouch_check_revocation(ctx, c->crls, c->ncrls, ca, &leaf, 1,
	    now, cert_cn_is(ca, "Intel SGX PCK Processor CA") ?
	    "dcap: the PCK Processor CA's" : "dcap: the PCK Platform CA's",
	    nb, na);
}

/*
 * The PCK chain of the quote (checklist #5): exactly leaf, PCK CA, root,
 * with the names Intel gives them, validated to the pinned root.
 */
static enum vouch_err
check_pck_chain(struct vouch_ctx *ctx, struct dcap_coll *c,
    const struct dcap_quote *q, const uint8_t pin[VOUCH_SHA256_BYTES],
    int64_t now, STACK_OF(X509) **out_chain, bool *processor)
{
	STACK_OF(X509) *quote_certs = sk_X509_new_null();
	enum vouch_err rv;
	X509 *leaf, *ca;
	int i;

	*out_chain = NULL;
	if (quote_certs == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
	}
	rv = vouch_certs_parse(ctx, q->pck_chain, q->pck_chain_len,
	    quote_certs);
	if (rv != VOUCH_OK) {
		rv = vouch_fail(ctx, VOUCH_ERR_BAD_CERT,
		    "dcap: the certification data is not a PEM certificate "
		    "chain");
		goto out;
	}
	if (sk_X509_num(quote_certs) != 3) {
		rv = vouch_fail(ctx, VOUCH_ERR_BAD_CERT,
		    "dcap: the PCK chain has %d certificates, expected 3 (PCK, "
		    "PCK CA, root)", sk_X509_num(quote_certs));
		goto out;
	}
	leaf = sk_X509_value(quote_certs, 0);
	if (!cert_cn_is(leaf, "Intel SGX PCK Certificate")) {
		rv = vouch_fail(ctx, VOUCH_ERR_CHAIN_INVALID,
		    "dcap: the first certificate is not an Intel SGX PCK "
		    "Certificate");
		goto out;
	}
	/* The quote's certificates join the candidates (the root is pinned). */
	for (i = 0; i < 3; i++) {
		if (X509_up_ref(sk_X509_value(quote_certs, i)) != 1 ||
		    sk_X509_push(c->certs, sk_X509_value(quote_certs, i)) == 0) {
			rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
			goto out;
		}
	}
	rv = chain_to_pin(ctx, leaf, c->certs, pin, now, out_chain);
	if (rv != VOUCH_OK) {
		goto out;
	}
	if (sk_X509_num(*out_chain) != 3) {
		rv = vouch_fail(ctx, VOUCH_ERR_CHAIN_INVALID,
		    "dcap: the PCK chain is not leaf, PCK CA, root");
		goto out;
	}
	ca = sk_X509_value(*out_chain, 1);
	*processor = cert_cn_is(ca, "Intel SGX PCK Processor CA");
	if (!*processor && !cert_cn_is(ca, "Intel SGX PCK Platform CA")) {
		rv = vouch_fail(ctx, VOUCH_ERR_CHAIN_INVALID,
		    "dcap: the PCK issuer is neither the Intel SGX PCK Platform "
		    "CA nor the Processor CA");
		goto out;
	}
	if (!cert_cn_is(sk_X509_value(*out_chain, 2), "Intel SGX Root CA")) {
		rv = vouch_fail(ctx, VOUCH_ERR_CHAIN_INVALID,
		    "dcap: the pinned root is not named Intel SGX Root CA");
		goto out;
	}
 out:
	if (rv != VOUCH_OK) {
		sk_X509_pop_free(*out_chain, X509_free);
		*out_chain = NULL;
	}
	sk_X509_pop_free(quote_certs, X509_free);
	return rv;
}

/* Checklist #4: the QE report, its signature and its key binding. */
static enum vouch_err
check_qe_report(struct vouch_ctx *ctx, const struct dcap_quote *q,
    struct vouch_ec_verifier *pck)
{
	uint8_t want[VOUCH_SHA256_BYTES];
	EVP_MD_CTX *md;
	unsigned int n = 0;
	size_t i;

	if (!vouch_ec_verifier_verify(pck, q->qe_report_p, DCAP_SGX_REPORT_LEN,
	    q->qe_report_sig, DCAP_P256_SIG_LEN)) {
		return vouch_fail(ctx, VOUCH_ERR_SIGNATURE_INVALID,
		    "dcap: the QE report signature does not verify with the "
		    "PCK key");
	}
	md = EVP_MD_CTX_new();
	if (md == NULL || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1 ||
	    EVP_DigestUpdate(md, q->att_key, sizeof(q->att_key)) != 1 ||
	    EVP_DigestUpdate(md, q->qe_auth, q->qe_auth_len) != 1 ||
	    EVP_DigestFinal_ex(md, want, &n) != 1 || n != sizeof(want)) {
		EVP_MD_CTX_free(md);
		return vouch_fail(ctx, VOUCH_ERR_CRYPTO, "dcap: SHA-256");
	}
	EVP_MD_CTX_free(md);
	if (memcmp(q->qe_report.report_data, want, sizeof(want)) != 0) {
		return vouch_fail(ctx, VOUCH_ERR_SIGNATURE_INVALID,
		    "dcap: the QE report does not bind the attestation key "
		    "(REPORT_DATA[0:32] != SHA-256(key || QE auth data))");
	}
	for (i = sizeof(want); i < sizeof(q->qe_report.report_data); i++) {
		if (q->qe_report.report_data[i] != 0) {
			return vouch_fail(ctx, VOUCH_ERR_SIGNATURE_INVALID,
			    "dcap: QE REPORT_DATA[32:64] is not zero");
		}
	}
	if ((q->qe_report.attr_flags & DCAP_SGX_ATTR_DEBUG) != 0) {
		return vouch_fail(ctx, VOUCH_ERR_DEBUG_ENABLED,
		    "dcap: the quoting enclave runs in debug mode");
	}
	return VOUCH_OK;
}

/*
 * Checklist #8-#11 against verified collateral: QE identity, TCB level,
 * module identity, status.  Fills |v|.
 */
static enum vouch_err
evaluate_tcb(struct vouch_ctx *ctx, const struct vouch_verify_config *cfg,
    const struct dcap_quote *q, bool tdx, const struct dcap_pck_ext *pck,
    const struct dcap_tcb_info *ti, const struct dcap_qe_identity *qi,
    struct dcap_verdict *v)
{
	const struct dcap_isv_level *ql = NULL, *ml = NULL;
	const struct dcap_tcb_level *pl;
	enum vouch_err rv;
	size_t idx = 0;
	char detail[256];

	/* #10: the QE is the one Intel signed for, at some level. */
	rv = dcap_match_qe_identity(ctx, qi, &q->qe_report, &ql);
	if (rv == VOUCH_ERR_MEASUREMENT_NOT_TRUSTED) {
		(void)snprintf(detail, sizeof(detail), "%s", vouch_error(ctx));
		rv = vouch_fail(ctx, VOUCH_ERR_QE_IDENTITY_MISMATCH, "%s",
		    detail);
	}
	if (rv != VOUCH_OK) {
		return rv;
	}
	/* #8: the platform's level. */
	rv = dcap_match_tcb_level(ctx, ti, pck,
	    tdx ? q->td.tee_tcb_svn : NULL, &idx);
	if (rv != VOUCH_OK) {
		return rv;
	}
	pl = &ti->levels[idx];
	/* #11: the TDX module. */
	v->module_status = DCAP_TCB_UNKNOWN;
	if (tdx) {
		rv = dcap_match_module_identity(ctx, ti, &q->td, &ml);
		if (rv != VOUCH_OK) {
			return rv;
		}
	}
	v->platform_status = pl->status;
	v->qe_status = ql->status;
	v->status = pl->status;
	v->adv = pl->adv;
	if (ml != NULL) {
		v->module_status = ml->status;
		v->status = dcap_converge_status(v->status, ml->status);
		adv_merge(&v->adv, &ml->adv);
	}
	v->status = dcap_converge_status(v->status, ql->status);
	adv_merge(&v->adv, &ql->adv);
	v->tcb_date = pl->tcb_date;
	v->eval_number = ti->eval_number;
	/* #9. */
	return judge_status(ctx, cfg, v->status);
}

/* Checklist #12: TD attributes beyond DEBUG (which the shared layer judges). */
static enum vouch_err
check_td_attributes(struct vouch_ctx *ctx, const struct dcap_td_report *td)
{
	if ((td->td_attributes & ~DCAP_TD_ATTR_KNOWN) != 0) {
		return vouch_fail(ctx, VOUCH_ERR_RESERVED_NONZERO,
		    "dcap: TDATTRIBUTES has reserved bits set (0x%016llx)",
		    (unsigned long long)(td->td_attributes & ~DCAP_TD_ATTR_KNOWN));
	}
	return VOUCH_OK;
}

#define EV_IPL				0x0000000du
#define EV_EFI_VARIABLE_DRIVER_CONFIG	0x80000001u
#define EV_EFI_BOOT_SERVICES_APPLICATION 0x80000003u

/* "SecureBoot" in UTF-16LE, the variable name UEFI measures into RTMR0. */
static const uint8_t secure_boot_name[20] = {
	'S', 0, 'e', 0, 'c', 0, 'u', 0, 'r', 0, 'e', 0, 'B', 0, 'o', 0,
	'o', 0, 't', 0,
};

/*
 * What replayed events say that policies ask about (docs/tdx.md §4):
 * UEFI Secure Boot (the SecureBoot variable, UEFI_VARIABLE_DATA: GUID,
 * UINT64 name length in characters, UINT64 data length, name, data; TCG
 * PFP §10.2.6), the kernel command line GRUB measures ("kernel_cmdline: "
 * EV_IPL event), and the digests of the EFI applications loaded (shim,
 * bootloader, kernel).  The events are authentic once the log replayed to
 * the quote's RTMRs, but an event's data is only as authentic as its
 * relation to its digest: the variable event's digest is SHA-384 of its
 * data (TCG PFP §10.4.1), GRUB's is SHA-384 of the command line after
 * the prefix; an event whose data does not hash to its digest gives no
 * claim.  The applications' digests (Authenticode) are claims as they are.
 */
static bool
digest_of(const uint8_t *p, size_t n, const uint8_t digest[48])
{
	uint8_t h[48];
	unsigned int hn = 0;

	return EVP_Digest(p, n, h, &hn, EVP_sha384(), NULL) == 1 &&
	    hn == sizeof(h) && memcmp(h, digest, sizeof(h)) == 0;
}

static int
ccel_visit(void *arg, const struct ccel_event *e)
{
	static const char prefix[] = "kernel_cmdline: ";
	struct dcap_verdict *v = arg;
	struct cbs c, name;
	uint64_t nlen, dlen;
	uint8_t val;
	size_t i, n;

	if (e->event_type == EV_EFI_VARIABLE_DRIVER_CONFIG &&
	    digest_of(e->data, e->data_len, e->digest)) {
		cbs_init(&c, e->data, e->data_len);
		if (cbs_skip(&c, 16) && cbs_get_u64le(&c, &nlen) &&
		    cbs_get_u64le(&c, &dlen) && nlen == 10 &&
		    cbs_get_bytes(&c, &name, 20) &&
		    cbs_mem_equal(&name, secure_boot_name, 20) && dlen == 1 &&
		    cbs_get_u8(&c, &val) && cbs_is_empty(&c)) {
			v->secure_boot = val != 0;
		}
	} else if (e->event_type == EV_IPL && e->data_len > sizeof(prefix) - 1 &&
	    memcmp(e->data, prefix, sizeof(prefix) - 1) == 0) {
		n = e->data_len - (sizeof(prefix) - 1);
		if (n > 0 && e->data[e->data_len - 1] == '\0') {
			n--;
		}
		v->has_cmdline = n < sizeof(v->cmdline) &&
		    digest_of(e->data + sizeof(prefix) - 1, n, e->digest);
		for (i = 0; v->has_cmdline && i < n; i++) {
			val = e->data[sizeof(prefix) - 1 + i];
			v->has_cmdline = val >= 0x20 && val < 0x7f;
			v->cmdline[i] = (char)val;
		}
		v->cmdline[v->has_cmdline ? n : 0] = '\0';
	} else if (e->event_type == EV_EFI_BOOT_SERVICES_APPLICATION) {
		if (v->napps + 48 <= sizeof(v->apps)) {
			memcpy(v->apps + v->napps, e->digest, 48);
			v->napps += 48;
		} else {
			v->apps_overflow = true;
		}
	}
	return 0;
}

/* The CC event log, when given, must replay to the quote's RTMRs. */
static enum vouch_err
check_event_log(struct vouch_ctx *ctx, const struct vouch_verify_config *cfg,
    const struct dcap_td_report *td, struct dcap_verdict *v)
{
	uint8_t rtmr[4][48];
	enum vouch_err rv;
	size_t i, n = 0;

	v->secure_boot = -1;
	if (cfg->event_log == NULL) {
		return VOUCH_OK;
	}
	rv = ccel_replay(ctx, cfg->event_log, cfg->event_log_len, rtmr, &n,
	    ccel_visit, v);
	if (rv != VOUCH_OK) {
		return rv;
	}
	for (i = 0; i < 4; i++) {
		if (memcmp(rtmr[i], td->rtmr[i], sizeof(rtmr[i])) != 0) {
			return vouch_fail(ctx, VOUCH_ERR_EVENT_LOG_MISMATCH,
			    "dcap: the event log replays to a different RTMR%zu",
			    i);
		}
	}
	v->ccel_replayed = true;
	v->ccel_events = n;
	return VOUCH_OK;
}

/*
 * What a verified PCK chain and its collateral leave in the chain cache
 * (platform.h): the PCK values and the TCB Info and QE Identity whose
 * signatures, issuers and windows were checked.  The entry's window is
 * that of the chain, the TCB Signing chain, the CRLs and both documents,
 * so a warm verification checks the two quote signatures, the key
 * binding and the TCB matching only.
 */
struct dcap_chain_extra {
	struct dcap_pck_ext	 pck;
	struct dcap_tcb_info	*ti;
	struct dcap_qe_identity	*qi;
	/* The PCK key, and the last attestation key seen with this chain
	 * (a QE keeps its key across quotes), prepared once. */
	struct vouch_ec_verifier *pck_v;
	uint8_t			 ak_raw[DCAP_P256_KEY_LEN];
	struct vouch_ec_verifier *ak_v;
};

static void
dcap_chain_extra_free(void *p)
{
	struct dcap_chain_extra *e = p;

	if (e != NULL) {
		free(e->ti);
		free(e->qi);
		vouch_ec_verifier_free(e->pck_v);
		vouch_ec_verifier_free(e->ak_v);
		free(e);
	}
}

static void
narrow(int64_t *nb, int64_t *na, int64_t from, int64_t until)
{
	*nb = from > *nb ? from : *nb;
	*na = until < *na ? until : *na;
}

/*
 * Checklist #6-#8 with the collateral in |c|: the TCB Signing chain,
 * revocation, the TCB Info and QE Identity, verified into *ti and *qi
 * (malloc'd), and the window [*nb, *na] in which all of it holds.
 */
static enum vouch_err
judge_collateral(struct vouch_ctx *ctx, const struct vouch_verify_config *cfg,
    struct dcap_coll *c, bool tdx, const struct dcap_pck_ext *pck,
    STACK_OF(X509) *chain, const uint8_t pin[VOUCH_SHA256_BYTES], int64_t now,
    struct dcap_tcb_info **ti, struct dcap_qe_identity **qi, int64_t *nb,
    int64_t *na)
{
	enum vouch_err rv;
	X509 *signer = NULL;

	*ti = NULL;
	*qi = NULL;
	/* The TCB Signing certificate every collateral document needs. */
	rv = tcb_signer(ctx, c, pin, now, &signer);
	if (rv != VOUCH_OK) {
		return rv;
	}
	narrow(nb, na, vouch_asn1_unix(X509_get0_notBefore(signer)),
	    vouch_asn1_unix(X509_get0_notAfter(signer)));
	/* Revocation (checklist #6), fail closed. */
	if (!cfg->skip_revocation) {
		rv = check_revocation(ctx, c, chain, signer, now, nb, na);
		if (rv != VOUCH_OK) {
			return rv;
		}
	}
	/* Collateral (checklist #7, #10). */
	*ti = calloc(1, sizeof(**ti));
	*qi = calloc(1, sizeof(**qi));
	if (*ti == NULL || *qi == NULL) {
		rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
		goto fail;
	}
	rv = pick_tcb_info(ctx, c, tdx, pck, X509_get0_pubkey(signer), now,
	    *ti);
	if (rv != VOUCH_OK) {
		goto fail;
	}
	rv = pick_qe_identity(ctx, c, tdx, X509_get0_pubkey(signer), now, *qi);
	if (rv != VOUCH_OK) {
		goto fail;
	}
	narrow(nb, na, (*ti)->issue_date, (*ti)->next_update - 1);
	narrow(nb, na, (*qi)->issue_date, (*qi)->next_update - 1);
	return VOUCH_OK;
 fail:
	free(*ti);
	free(*qi);
	*ti = NULL;
	*qi = NULL;
	return rv;
}

/*
 * The cache key (vouch_chain_cache_key): the TEE, the endorsements and
 * the quote's PCK chain.
 */
static void
dcap_chain_key(const struct vouch_verify_config *cfg, const struct dcap_quote *q,
    bool tdx, uint8_t key[VOUCH_SHA256_BYTES])
{
	vouch_chain_cache_key(cfg, "vouch-dcap-chain-v1", tdx ? 1 : 0,
	    q->pck_chain, q->pck_chain_len, NULL, 0, key);
}

enum vouch_err
dcap_verify_pinned(struct vouch_ctx *ctx, const struct vouch_verify_config *cfg,
    const uint8_t *buf, size_t len, struct vouch_result *res, bool tdx,
    const uint8_t pin[VOUCH_SHA256_BYTES])
{
	struct dcap_quote q;
	struct dcap_coll c;
	struct dcap_verdict v;
	struct dcap_chain_extra *ce = NULL, *hit = NULL;
	STACK_OF(X509) *chain = NULL;
	struct vouch_ec_verifier *ak = NULL, *ak_new = NULL;
	EVP_PKEY *ak_key = NULL;
	X509 *leaf = NULL;
	uint8_t root_id[VOUCH_SHA256_BYTES], ckey[VOUCH_SHA256_BYTES];
	enum vouch_err rv;
	int64_t now = vouch_ctx_now(ctx), nb = INT64_MIN, na = INT64_MAX;
	bool processor = false, leaf_owned = true;
	void *extra = NULL;

	memset(&c, 0, sizeof(c));
	memset(&v, 0, sizeof(v));
	/* 1. Parse (checklist #1, #2). */
	rv = dcap_quote_parse(ctx, buf, len, &q);
	if (rv != VOUCH_OK) {
		return rv;
	}
	if (tdx != (q.tee_type == DCAP_TEE_TDX)) {
		return vouch_fail(ctx, VOUCH_ERR_PLATFORM_MISMATCH,
		    "dcap: this is %s quote, not %s", q.tee_type == DCAP_TEE_TDX ?
		    "a TDX" : "an SGX", tdx ? "TDX" : "SGX");
	}
	if (tdx) {
		rv = check_td_attributes(ctx, &q.td);
		if (rv != VOUCH_OK) {
			return rv;
		}
	}
	if (cfg->event_log != NULL && !tdx) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "dcap: an event log applies to TDX evidence only");
	}

	/*
	 * A PCK chain and collateral that were verified for the same
	 * inputs and whose window covers now (platform.h, chain cache).
	 */
	dcap_chain_key(cfg, &q, tdx, ckey);
	if (vouch_chain_cache_get_ex(cfg, ckey, now, &leaf, root_id, &extra) &&
	    extra != NULL) {
		hit = extra;
	}

	/* 2. The quote signature (checklist #3). */
	if (hit != NULL && hit->ak_v != NULL &&
	    memcmp(hit->ak_raw, q.att_key, sizeof(q.att_key)) == 0) {
		ak = hit->ak_v;
	} else {
		rv = vouch_ec_pubkey_from_xy(ctx, q.att_key, sizeof(q.att_key),
		    &ak_key);
		if (rv == VOUCH_OK) {
			rv = vouch_ec_verifier_new(ctx, ak_key, &ak_new);
		}
		EVP_PKEY_free(ak_key);
		if (rv != VOUCH_OK) {
			goto out;
		}
		ak = ak_new;
	}
	if (!vouch_ec_verifier_verify(ak, q.signed_p, q.signed_len, q.sig,
	    sizeof(q.sig))) {
		rv = vouch_fail(ctx, VOUCH_ERR_SIGNATURE_INVALID,
		    "dcap: the quote signature does not verify with its "
		    "attestation key");
		goto out;
	}

	/* Warm: the QE report is all that is left to check. */
	if (hit != NULL) {
		if (ak_new != NULL) {
			vouch_ec_verifier_free(hit->ak_v);
			hit->ak_v = ak_new;
			memcpy(hit->ak_raw, q.att_key, sizeof(q.att_key));
			ak_new = NULL;
		}
		rv = check_qe_report(ctx, &q, hit->pck_v);
		if (rv == VOUCH_OK && tdx) {
			rv = check_event_log(ctx, cfg, &q.td, &v);
		}
		if (rv == VOUCH_OK) {
			rv = evaluate_tcb(ctx, cfg, &q, tdx, &hit->pck, hit->ti,
			    hit->qi, &v);
		}
		if (rv == VOUCH_OK) {
			if (cfg->skip_revocation) {
				vouch_result_note_unchecked(res, "revocation");
			}
			rv = set_claims(ctx, res, &q, tdx, &hit->pck, &v, root_id);
		}
		goto out;
	}
	X509_free(leaf);
	leaf = NULL;
	leaf_owned = false;

	c.certs = sk_X509_new_null();
	ce = calloc(1, sizeof(*ce));
	if (c.certs == NULL || ce == NULL) {
		rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
		goto out;
	}
	rv = gather(ctx, cfg, &c);
	if (rv != VOUCH_OK) {
		goto out;
	}

	/* 3. The PCK chain (checklist #5). */
	rv = check_pck_chain(ctx, &c, &q, pin, now, &chain, &processor);
	if (rv != VOUCH_OK) {
		goto out;
	}
	leaf = sk_X509_value(chain, 0);
	rv = vouch_key_spki_sha256(ctx,
	    X509_get0_pubkey(sk_X509_value(chain, 2)), root_id);
	if (rv != VOUCH_OK) {
		goto out;
	}

	/* 4. The QE report (checklist #4) and the PCK's SGX extension. */
	rv = vouch_ec_verifier_new(ctx, X509_get0_pubkey(leaf), &ce->pck_v);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = check_qe_report(ctx, &q, ce->pck_v);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = dcap_pck_ext_from_cert(ctx, leaf, &ce->pck);
	if (rv != VOUCH_OK) {
		goto out;
	}

	/*
	 * 5. The RTMRs are authentic now (quote, QE report, PCK chain): the
	 * event log, when given, must replay to them (checklist #12).
	 */
	if (tdx) {
		rv = check_event_log(ctx, cfg, &q.td, &v);
		if (rv != VOUCH_OK) {
			goto out;
		}
	}

	/*
	 * 6-8. Revocation and collateral at hand; when some is missing or
	 * stale, what the cache or PCS has for this FMSPC, and once more.
	 */
	if (cfg->skip_revocation) {
		vouch_result_note_unchecked(res, "revocation");
	}
	rv = judge_collateral(ctx, cfg, &c, tdx, &ce->pck, chain, pin, now,
	    &ce->ti, &ce->qi, &nb, &na);
	if ((rv == VOUCH_ERR_COLLATERAL_MISSING ||
	    rv == VOUCH_ERR_COLLATERAL_EXPIRED || rv == VOUCH_ERR_CRL_MISSING ||
	    rv == VOUCH_ERR_CRL_EXPIRED) && (cfg->collateral_dir != NULL ||
	    cfg->dcap_pcs_url != NULL)) {
		rv = gather_fetched(ctx, cfg, &c, tdx, &ce->pck, processor, now);
		if (rv != VOUCH_OK) {
			goto out;
		}
		nb = INT64_MIN;
		na = INT64_MAX;
		rv = judge_collateral(ctx, cfg, &c, tdx, &ce->pck, chain, pin,
		    now, &ce->ti, &ce->qi, &nb, &na);
	}
	if (rv != VOUCH_OK) {
		goto out;
	}

	/* 9-11. QE identity, TCB level, status. */
	rv = evaluate_tcb(ctx, cfg, &q, tdx, &ce->pck, ce->ti, ce->qi, &v);
	if (rv == VOUCH_OK) {
		/* 12. Claims. */
		rv = set_claims(ctx, res, &q, tdx, &ce->pck, &v, root_id);
	}
	/*
	 * The verdict on chain and collateral holds whatever this quote's
	 * TCB level was: remember it.
	 */
	if ((rv == VOUCH_OK || rv == VOUCH_ERR_TCB_OUT_OF_DATE ||
	    rv == VOUCH_ERR_TCB_NEEDS_POLICY || rv == VOUCH_ERR_TCB_NO_MATCH ||
	    rv == VOUCH_ERR_TCB_REVOKED || rv == VOUCH_ERR_QE_IDENTITY_MISMATCH ||
	    rv == VOUCH_ERR_TCB_STATUS_UNKNOWN ||
	    rv == VOUCH_ERR_TCB_MISMATCH)) {
		ce->ak_v = ak_new;
		memcpy(ce->ak_raw, q.att_key, sizeof(q.att_key));
		ak_new = NULL;
		vouch_chain_cache_put_ex(cfg, ckey, chain, root_id, nb, na, ce,
		    dcap_chain_extra_free);
		ce = NULL;
	}
 out:
	if (leaf_owned) {
		X509_free(leaf);
	}
	vouch_ec_verifier_free(ak_new);
	dcap_chain_extra_free(ce);
	sk_X509_pop_free(chain, X509_free);
	coll_free(&c);
	return rv;
}

static enum vouch_err
tdx_verify(struct vouch_ctx *ctx, const struct vouch_verify_config *cfg,
    const uint8_t *buf, size_t len, struct vouch_result *res)
{
	return dcap_verify_pinned(ctx, cfg, buf, len, res, true,
	    cfg->dcap_test_root_pin != NULL ? cfg->dcap_test_root_pin :
	    dcap_intel_root_pin);
}

static enum vouch_err
sgx_verify(struct vouch_ctx *ctx, const struct vouch_verify_config *cfg,
    const uint8_t *buf, size_t len, struct vouch_result *res)
{
	return dcap_verify_pinned(ctx, cfg, buf, len, res, false,
	    cfg->dcap_test_root_pin != NULL ? cfg->dcap_test_root_pin :
	    dcap_intel_root_pin);
}

/* Recognition by content: a DCAP header of the platform's TEE type. */
static bool
dcap_probe(const uint8_t *ev, size_t len, bool tdx)
{
	uint16_t version, key;
	uint32_t tee;

	if (len < DCAP_HEADER_LEN) {
		return false;
	}
	version = (uint16_t)(ev[0] | ev[1] << 8);
	key = (uint16_t)(ev[2] | ev[3] << 8);
	tee = (uint32_t)ev[4] | (uint32_t)ev[5] << 8 |
	    (uint32_t)ev[6] << 16 | (uint32_t)ev[7] << 24;
	if (version < 3 || version > 5 || key != DCAP_ATT_KEY_ECDSA_P256 ||
	    memcmp(ev + 12, dcap_intel_qe_vendor_id, 16) != 0) {
		return false;
	}
	return tdx ? tee == DCAP_TEE_TDX : tee == DCAP_TEE_SGX;
}

static bool
tdx_probe(const uint8_t *ev, size_t len)
{
	return dcap_probe(ev, len, true);
}

static bool
sgx_probe(const uint8_t *ev, size_t len)
{
	return dcap_probe(ev, len, false);
}

static json_t *
hex_json(const uint8_t *p, size_t n)
{
	char s[2 * 128 + 1];

	if (n > 128 || !vouch_hex_encode(p, n, s, sizeof(s))) {
		return json_null();
	}
	return json_string(s);
}

static json_t *
sgx_report_json(const struct dcap_sgx_report *r)
{
	return json_pack("{s:o, s:I, s:o, s:o, s:o, s:o, s:o, s:I, s:I, s:I, "
	    "s:o, s:o}",
	    "cpusvn", hex_json(r->cpusvn, sizeof(r->cpusvn)),
	    "miscselect", (json_int_t)r->miscselect,
	    "isv_ext_prod_id", hex_json(r->isv_ext_prod_id,
	    sizeof(r->isv_ext_prod_id)),
	    "attributes", hex_json(r->attributes, sizeof(r->attributes)),
	    "mrenclave", hex_json(r->mrenclave, sizeof(r->mrenclave)),
	    "mrsigner", hex_json(r->mrsigner, sizeof(r->mrsigner)),
	    "config_id", hex_json(r->config_id, sizeof(r->config_id)),
	    "isv_prod_id", (json_int_t)r->isv_prod_id,
	    "isv_svn", (json_int_t)r->isv_svn,
	    "config_svn", (json_int_t)r->config_svn,
	    "isv_family_id", hex_json(r->isv_family_id,
	    sizeof(r->isv_family_id)),
	    "report_data", hex_json(r->report_data, sizeof(r->report_data)));
}

static json_t *
td_report_json(const struct dcap_td_report *td)
{
	json_t *o = json_pack("{s:o, s:o, s:o, s:I, s:I, s:I, s:o, s:o, s:o, "
	    "s:o, s:[o,o,o,o], s:o}",
	    "tee_tcb_svn", hex_json(td->tee_tcb_svn, sizeof(td->tee_tcb_svn)),
	    "mrseam", hex_json(td->mrseam, sizeof(td->mrseam)),
	    "mrsignerseam", hex_json(td->mrsignerseam, sizeof(td->mrsignerseam)),
	    "seam_attributes", (json_int_t)td->seam_attributes,
	    "td_attributes", (json_int_t)td->td_attributes,
	    "xfam", (json_int_t)td->xfam,
	    "mrtd", hex_json(td->mrtd, sizeof(td->mrtd)),
	    "mrconfigid", hex_json(td->mrconfigid, sizeof(td->mrconfigid)),
	    "mrowner", hex_json(td->mrowner, sizeof(td->mrowner)),
	    "mrownerconfig", hex_json(td->mrownerconfig,
	    sizeof(td->mrownerconfig)),
	    "rtmr", hex_json(td->rtmr[0], 48), hex_json(td->rtmr[1], 48),
	    hex_json(td->rtmr[2], 48), hex_json(td->rtmr[3], 48),
	    "report_data", hex_json(td->report_data, sizeof(td->report_data)));

	if (o != NULL && td->v15) {
		(void)json_object_set_new(o, "tee_tcb_svn2",
		    hex_json(td->tee_tcb_svn2, sizeof(td->tee_tcb_svn2)));
		(void)json_object_set_new(o, "mrservicetd",
		    hex_json(td->mrservicetd, sizeof(td->mrservicetd)));
	}
	return o;
}

static enum vouch_err
dcap_show(struct vouch_ctx *ctx, const uint8_t *buf, size_t len, json_t **out)
{
	struct dcap_quote q;
	enum vouch_err rv;
	json_t *o;

	*out = NULL;
	rv = dcap_quote_parse(ctx, buf, len, &q);
	if (rv != VOUCH_OK) {
		return rv;
	}
	o = json_pack("{s:s, s:b, s:I, s:I, s:I, s:I, s:I, s:o, s:I, s:o, "
	    "s:o, s:I, s:I}",
	    "platform", q.tee_type == DCAP_TEE_TDX ? "tdx" : "sgx",
	    "verified", 0,
	    "version", (json_int_t)q.version,
	    "att_key_type", (json_int_t)q.att_key_type,
	    "tee_type", (json_int_t)q.tee_type,
	    "qe_svn", (json_int_t)q.qe_svn,
	    "pce_svn", (json_int_t)q.pce_svn,
	    "user_data", hex_json(q.user_data, sizeof(q.user_data)),
	    "body_type", (json_int_t)q.body_type,
	    "body", q.tee_type == DCAP_TEE_TDX ? td_report_json(&q.td) :
	    sgx_report_json(&q.sgx),
	    "qe_report", sgx_report_json(&q.qe_report),
	    "quote_bytes", (json_int_t)q.quote_len,
	    "trailing_bytes", (json_int_t)q.trailing);
	if (o == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
	}
	*out = o;
	return VOUCH_OK;
}

const struct vouch_platform vouch_platform_tdx = {
	.name = "tdx",
	.probe = tdx_probe,
	.verify = tdx_verify,
	.show = dcap_show,
};

const struct vouch_platform vouch_platform_sgx = {
	.name = "sgx",
	.probe = sgx_probe,
	.verify = sgx_verify,
	.show = dcap_show,
};
