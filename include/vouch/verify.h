/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vouch relying-party API: evidence in, verified claims out.
 *
 * Nothing here prints.  Every fallible call returns an enum vouch_err and
 * records a detail message in the context (vouch_error).  Verification is
 * strict by default; anything weaker has "insecure" in its name.
 */
#ifndef VOUCH_VERIFY_H
#define VOUCH_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include "vouch/err.h"

struct vouch_ctx;
struct vouch_verify_config;
struct vouch_result;
struct vouch_claims;

/* Size of the report_data field every platform binds. */
#define VOUCH_REPORT_DATA_BYTES	64
/* Largest evidence blob accepted by any platform. */
#define VOUCH_EVIDENCE_MAX_BYTES (1024u * 1024u)
/* Largest endorsement file (certificate, CRL, JSON collateral). */
#define VOUCH_ENDORSEMENT_MAX_BYTES (4u * 1024u * 1024u)
/* Most trust anchors and endorsements a configuration holds. */
#define VOUCH_VERIFY_MAX_ITEMS	64

/*
 * vouch_ctx_new returns a new context or NULL when out of memory.  A
 * context holds the last error detail and the clock; it is not shared
 * between threads.
 */
VOUCH_API struct vouch_ctx *vouch_ctx_new(void);
/* vouch_ctx_free frees |ctx|; NULL does nothing. */
VOUCH_API void vouch_ctx_free(struct vouch_ctx *ctx);
/*
 * vouch_error returns the detail of the last failure recorded in |ctx|
 * ("" if none).  The string belongs to |ctx| and is valid until the next
 * call that fails.
 */
VOUCH_API const char *vouch_error(const struct vouch_ctx *ctx);
/* vouch_error_code returns the code of the last failure, or VOUCH_OK. */
VOUCH_API enum vouch_err vouch_error_code(const struct vouch_ctx *ctx);
/*
 * vouch_ctx_set_time fixes the clock used for every validity check to
 * |unix_seconds|.  Without it the system clock is read at each check.
 */
VOUCH_API void vouch_ctx_set_time(struct vouch_ctx *ctx, int64_t unix_seconds);

/* vouch_verify_config_new returns a strict configuration, or NULL. */
VOUCH_API struct vouch_verify_config *vouch_verify_config_new(void);
VOUCH_API void vouch_verify_config_free(struct vouch_verify_config *cfg);
/*
 * vouch_verify_config_set_platform restricts verification to |name|
 * ("sim", "snp", ...) or "auto" (the default: recognized by content).
 * Unknown names are VOUCH_ERR_INVALID_ARGUMENT.
 */
VOUCH_API enum vouch_err vouch_verify_config_set_platform(struct vouch_ctx *ctx,
    struct vouch_verify_config *cfg, const char *name) VOUCH_MUST_CHECK;
/*
 * vouch_verify_config_add_trust_anchor adds a certificate (PEM, possibly
 * several, or DER) that chains may end in.  The bytes are copied.
 */
VOUCH_API enum vouch_err vouch_verify_config_add_trust_anchor(struct vouch_ctx *ctx,
    struct vouch_verify_config *cfg, const uint8_t *buf, size_t len)
    VOUCH_MUST_CHECK;
/*
 * vouch_verify_config_add_endorsement adds collateral (certificates, CRLs,
 * JSON); its kind is recognized by content.  The bytes are copied.
 */
VOUCH_API enum vouch_err vouch_verify_config_add_endorsement(struct vouch_ctx *ctx,
    struct vouch_verify_config *cfg, const uint8_t *buf, size_t len)
    VOUCH_MUST_CHECK;
/*
 * vouch_verify_config_set_report_data sets the value report_data must
 * equal.  |len| must be exactly VOUCH_REPORT_DATA_BYTES: a shorter or
 * longer value is VOUCH_ERR_INVALID_ARGUMENT, never padded or truncated.
 * Without it the binding is reported as unchecked.
 */
VOUCH_API enum vouch_err vouch_verify_config_set_report_data(struct vouch_ctx *ctx,
    struct vouch_verify_config *cfg, const uint8_t *rd, size_t len)
    VOUCH_MUST_CHECK;
/*
 * vouch_verify_config_set_cache_dir names a directory where collateral
 * (for snp: VCEKs, AMD certificate chains and CRLs; layout in docs/snp.md)
 * is looked up when the endorsements and the evidence lack it, and where
 * fetched collateral is stored.  The cache is not a trust store: whatever
 * it holds is verified like any other endorsement, and a copy past its
 * validity (a CRL's nextUpdate, a certificate's notAfter, at the context's
 * time) is fetched again when fetching is enabled.  The path is copied.
 */
VOUCH_API enum vouch_err vouch_verify_config_set_cache_dir(struct vouch_ctx *ctx,
    struct vouch_verify_config *cfg, const char *dir) VOUCH_MUST_CHECK;
/*
 * vouch_verify_config_enable_fetch lets verification of |platform|
 * evidence download missing collateral from the vendor's service at
 * |base_url|, or at the vendor default when NULL (snp: AMD KDS,
 * https://kdsintf.amd.com; tdx and sgx, which share one setting: Intel
 * PCS, https://api.trustedservices.intel.com, or a PCCS).  Off by
 * default: without it, verification never touches the network.
 * |base_url| must start with https:// (or http://, which only a caller
 * that spells it out gets: the collateral is verified against pinned
 * roots, not trusted for its transport).  Other platforms are
 * VOUCH_ERR_UNSUPPORTED_PLATFORM.
 */
VOUCH_API enum vouch_err vouch_verify_config_enable_fetch(struct vouch_ctx *ctx,
    struct vouch_verify_config *cfg, const char *platform,
    const char *base_url) VOUCH_MUST_CHECK;
/*
 * vouch_verify_config_accept_tcb_status accepts Intel DCAP (tdx, sgx)
 * evidence whose TCB status is |status|: "SWHardeningNeeded",
 * "ConfigurationNeeded" or "ConfigurationAndSWHardeningNeeded" (anything
 * else is VOUCH_ERR_INVALID_ARGUMENT).  By default only "UpToDate" passes
 * and these are VOUCH_ERR_TCB_NEEDS_POLICY; OutOfDate, Revoked and
 * unknown statuses are never accepted.  The advisories are in claim
 * "tcb.advisories".  `vouch evidence verify --policy` calls this for what
 * the policy's accept_tcb_status lists.
 */
VOUCH_API enum vouch_err vouch_verify_config_accept_tcb_status(
    struct vouch_ctx *ctx, struct vouch_verify_config *cfg,
    const char *status) VOUCH_MUST_CHECK;
/*
 * vouch_verify_config_set_event_log gives the TDX CC event log (CCEL) to
 * replay against the quote's RTMR0-3: a mismatch is
 * VOUCH_ERR_EVENT_LOG_MISMATCH, a match sets claim "tdx.ccel_replayed".
 * The |len| bytes at |log| are borrowed and must outlive verification.
 */
VOUCH_API enum vouch_err vouch_verify_config_set_event_log(
    struct vouch_ctx *ctx, struct vouch_verify_config *cfg,
    const uint8_t *log, size_t len) VOUCH_MUST_CHECK;
/* vouch_verify_config_insecure_allow_debug accepts debug-mode TEEs. */
VOUCH_API void vouch_verify_config_insecure_allow_debug(struct vouch_verify_config *cfg);
/*
 * vouch_verify_config_insecure_allow_provisional_firmware accepts
 * evidence whose committed TCB is below its current TCB (SEV-SNP: an
 * update not yet committed, which can still be rolled back); by default
 * it is VOUCH_ERR_TCB_MISMATCH (checklist §1.1 #7).
 */
VOUCH_API void vouch_verify_config_insecure_allow_provisional_firmware(
    struct vouch_verify_config *cfg);
/*
 * vouch_verify_config_insecure_skip_revocation verifies without revocation
 * lists (by default a platform with CRLs fails closed without a valid
 * one); the result then lists "revocation" as unchecked.
 */
VOUCH_API void vouch_verify_config_insecure_skip_revocation(struct vouch_verify_config *cfg);

/*
 * vouch_verify_evidence parses and verifies |len| bytes of evidence under
 * |cfg| at the context's time.  On VOUCH_OK |*out| is a new result the
 * caller frees with vouch_result_free; on failure |*out| is NULL and the
 * error names the first check that failed.
 */
VOUCH_API enum vouch_err vouch_verify_evidence(struct vouch_ctx *ctx,
    const struct vouch_verify_config *cfg, const uint8_t *evidence, size_t len,
    struct vouch_result **out) VOUCH_MUST_CHECK;

VOUCH_API void vouch_result_free(struct vouch_result *r);
/* Platform name of the verified evidence ("sim", ...). */
VOUCH_API const char *vouch_result_platform(const struct vouch_result *r);
/* The verified claims; owned by |r|. */
VOUCH_API const struct vouch_claims *vouch_result_claims(const struct vouch_result *r);
/*
 * vouch_result_report_data_checked is 1 when report_data was compared with
 * an expected value and matched, 0 when no value was given (unchecked).
 */
VOUCH_API int vouch_result_report_data_checked(const struct vouch_result *r);
/*
 * vouch_result_to_json renders the verdict, the checks and the claims as
 * a JSON object with stable keys; a malloc'd string or NULL.
 */
VOUCH_API char *vouch_result_to_json(const struct vouch_result *r);

/* Claims: a flat set of names ("measurement", "sim.tcb_svn") and values. */
enum vouch_claim_type {
	VOUCH_CLAIM_BOOL = 1,
	VOUCH_CLAIM_INT,
	VOUCH_CLAIM_STRING,
	VOUCH_CLAIM_BYTES,
};
VOUCH_API size_t vouch_claims_count(const struct vouch_claims *c);
/* Name of the |i|th claim (sorted by name), or NULL past the end. */
VOUCH_API const char *vouch_claims_name(const struct vouch_claims *c, size_t i);
/* Returns 1 and the value if |name| is present with that type, else 0. */
VOUCH_API int vouch_claims_get_bool(const struct vouch_claims *c, const char *name, int *out);
VOUCH_API int vouch_claims_get_int(const struct vouch_claims *c, const char *name, int64_t *out);
VOUCH_API int vouch_claims_get_string(const struct vouch_claims *c, const char *name, const char **out);
VOUCH_API int vouch_claims_get_bytes(const struct vouch_claims *c, const char *name,
    const uint8_t **out, size_t *out_len);
/* vouch_claims_to_json: the claims as one JSON object, sorted keys. */
VOUCH_API char *vouch_claims_to_json(const struct vouch_claims *c);

#endif
