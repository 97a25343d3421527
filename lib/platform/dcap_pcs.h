/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Intel DCAP collateral beyond what the caller passed: the collateral
 * cache directory and Intel PCS (or a PCCS) at cfg->dcap_pcs_url, API v4:
 *
 *   {base}/{sgx|tdx}/certification/v4/tcb?fmspc=HEX      TCB Info
 *   {base}/{sgx|tdx}/certification/v4/qe/identity        QE Identity
 *   {base}/sgx/certification/v4/pckcrl?ca=platform|processor&encoding=der
 *   {base}/sgx/certification/v4/rootcacrl                Root CA CRL
 *
 * with the issuer chain of each signed answer in the response header
 * (TCB-Info-Issuer-Chain, SGX-Enclave-Identity-Issuer-Chain,
 * SGX-PCK-CRL-Issuer-Chain; URL-encoded PEM).  Nothing found here is
 * trusted for where it came from: dcap.c verifies it exactly like the
 * caller's endorsements (pinned root, signatures, windows).
 */
#ifndef VOUCH_DCAP_PCS_H
#define VOUCH_DCAP_PCS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "internal.h"
#include "platform/platform.h"

#define DCAP_PCS_MAX_BYTES	(512u * 1024u)
#define DCAP_PCS_MAX_ITEMS	8

/* What one lookup found: blobs recognized by content, like endorsements. */
struct dcap_fetched {
	struct vouch_blob	item[DCAP_PCS_MAX_ITEMS];
	size_t			n;
};

/*
 * dcap_pcs_get adds to |out| the TCB Info (tdx or sgx) for |fmspc|, the
 * QE Identity, the PCK CRL of |ca| ("platform" or "processor"), the Root
 * CA CRL and the issuer chains: from the cache when fresh at |now|, else
 * from PCS when a URL is configured (then cached), else a stale cached
 * copy.  VOUCH_ERR_COLLATERAL_MISSING when neither has a piece.
 */
enum vouch_err	dcap_pcs_get(struct vouch_ctx *ctx,
		    const struct vouch_verify_config *cfg, bool tdx,
		    const uint8_t fmspc[6], const char *ca, int64_t now,
		    struct dcap_fetched *out) VOUCH_MUST_CHECK;
void		dcap_fetched_free(struct dcap_fetched *f);

#endif
