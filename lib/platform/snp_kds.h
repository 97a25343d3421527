/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SEV-SNP collateral beyond what the caller passed: the working set of
 * candidate certificates and CRLs one verification uses, and the lookup
 * of missing pieces in the collateral cache directory and at the AMD Key
 * Distribution Service (AMD publication 57230, "VCEK Certificate and KDS
 * Interface Specification"):
 *
 *   {base}/vcek/v1/{product}/{hwid}?blSPL=&teeSPL=&snpSPL=&ucodeSPL=
 *       the VCEK (DER); Turin: hwid is the first 8 bytes of CHIP_ID and
 *       fmcSPL= comes first
 *   {base}/{vcek|vlek}/v1/{product}/cert_chain   ASK|ASVK, then ARK (PEM)
 *   {base}/{vcek|vlek}/v1/{product}/crl          the ARK's CRL (DER)
 *
 * Nothing found here is trusted for where it came from: snp.c verifies it
 * exactly like the caller's endorsements (pinned ARK, CRL signature).
 */
#ifndef VOUCH_SNP_KDS_H
#define VOUCH_SNP_KDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/x509.h>

#include "internal.h"
#include "platform/platform.h"
#include "platform/snp.h"

/* Largest KDS answer or cached file accepted (a VCEK is ~1.4 KB). */
#define SNP_KDS_MAX_BYTES	(64u * 1024u)
/*
 * After a 429 from KDS the configuration does not ask it again for the
 * answer's Retry-After seconds, this many when it gives none (or an
 * HTTP-date), and at most SNP_KDS_RETRY_MAX (snp_kds.c).
 */
#define SNP_KDS_RETRY_DEFAULT	60
#define SNP_KDS_RETRY_MAX	3600
/* Most CRLs one verification considers. */
#define SNP_MAX_CRLS		(VOUCH_VERIFY_MAX_ITEMS + 8)

/* The collateral of one verification; snp_collateral_free releases it. */
struct snp_collateral {
	STACK_OF(X509)		*certs;		/* candidates, owned */
	struct vouch_crl_ref	 crls[SNP_MAX_CRLS];
	size_t			 ncrls;
	uint8_t			*owned[SNP_MAX_CRLS];	/* CRLs we copied */
	size_t			 nowned;
	unsigned		 fetches;	/* downloads made */
	unsigned		 cache_hits;	/* fresh cached files used */
	unsigned		 cache_writes;	/* downloads stored */
};

enum vouch_err	snp_collateral_init(struct vouch_ctx *ctx,
		    struct snp_collateral *c) VOUCH_MUST_CHECK;
void		snp_collateral_free(struct snp_collateral *c);
/* Add a CRL view |p|/|n| that outlives |c| (not copied). */
enum vouch_err	snp_collateral_add_crl_ref(struct vouch_ctx *ctx,
		    struct snp_collateral *c, const uint8_t *p, size_t n)
		    VOUCH_MUST_CHECK;

/* True when the cache or the network may supply collateral. */
bool		snp_kds_configured(const struct vouch_verify_config *cfg);

/*
 * snp_kds_vcek adds to |c| the VCEK for |r|'s CHIP_ID and REPORTED_TCB
 * under |product|, from the cache or KDS.  VOUCH_ERR_COLLATERAL_MISSING
 * when neither is configured, the chip id is masked, or the cache lacks
 * it and fetching is off; VOUCH_ERR_NOT_FOUND when KDS has none;
 * VOUCH_ERR_NETWORK and friends from the download, also at once and
 * without a download while KDS's rate limit (a 429 to an earlier lookup
 * with |cfg|) lasts.
 */
enum vouch_err	snp_kds_vcek(struct vouch_ctx *ctx,
		    const struct vouch_verify_config *cfg,
		    const struct snp_report *r, enum snp_product product,
		    int64_t now, struct snp_collateral *c) VOUCH_MUST_CHECK;
/* The ASK (ASVK with |vlek|) and ARK of |product|, as for snp_kds_vcek. */
enum vouch_err	snp_kds_chain(struct vouch_ctx *ctx,
		    const struct vouch_verify_config *cfg,
		    enum snp_product product, bool vlek, int64_t now,
		    struct snp_collateral *c) VOUCH_MUST_CHECK;
/* The ARK's CRL for |product| (the VLEK endpoint's with |vlek|). */
enum vouch_err	snp_kds_crl(struct vouch_ctx *ctx,
		    const struct vouch_verify_config *cfg,
		    enum snp_product product, bool vlek, int64_t now,
		    struct snp_collateral *c) VOUCH_MUST_CHECK;

/* Parse a DER or PEM CRL of exactly |len| bytes; NULL if it is not one. */
X509_CRL	*snp_crl_parse(const uint8_t *buf, size_t len);

#endif
