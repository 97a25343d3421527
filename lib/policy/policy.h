/* SPDX-License-Identifier: Apache-2.0 */
/*
 * policy: the domain policy (DESIGN §6; the format is specified in
 * docs/policy.md).  A policy is data: trusted platforms and their settings,
 * trusted measurements grouped per release, the admission certificate
 * lifetime, and rules over verified claims.  Parsing is strict (every key
 * known, every claim name in the claim table, every limit below enforced);
 * evaluation is default deny and explains each decision.
 */
#ifndef VOUCH_POLICY_H
#define VOUCH_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "internal.h"

/* The only value of the "vouch_policy" member this code understands. */
#define VOUCH_POLICY_FORMAT		1
/* Largest policy document, in bytes. */
#define VOUCH_POLICY_MAX_BYTES		(256u * 1024u)
/* Deepest rule: rule objects on the path from a root rule, inclusive. */
#define VOUCH_POLICY_MAX_DEPTH		16
/* Most rule objects in one document ("rules" and every release rule). */
#define VOUCH_POLICY_MAX_NODES		256
/* Most values in one "in" array. */
#define VOUCH_POLICY_MAX_IN_VALUES	64
/* Longest release or release rule name; names use [A-Za-z0-9._-]. */
#define VOUCH_POLICY_NAME_MAX		64
/* Most releases under "measurements". */
#define VOUCH_POLICY_MAX_RELEASES	256
/* Most measurements over all releases. */
#define VOUCH_POLICY_MAX_MEASUREMENTS	4096
/* Measurement sizes, in bytes. */
#define VOUCH_POLICY_MEASUREMENT_MIN	32
#define VOUCH_POLICY_MEASUREMENT_MAX	64
/* Most entries under "release_rules". */
#define VOUCH_POLICY_MAX_RELEASE_RULES	256
/* Largest "max_releases" of a release rule. */
#define VOUCH_POLICY_MAX_RELEASES_LIMIT	INT64_C(2147483647)
/* "admission.lifetime_seconds": default and bounds. */
#define VOUCH_POLICY_LIFETIME_DEFAULT	INT64_C(86400)
#define VOUCH_POLICY_LIFETIME_MIN	INT64_C(60)
#define VOUCH_POLICY_LIFETIME_MAX	INT64_C(31536000)

/* Sizes of the explanation buffers, including the terminating NUL. */
#define VOUCH_EXPLAIN_PATH_MAX		384
#define VOUCH_EXPLAIN_CLAIM_MAX		64
#define VOUCH_EXPLAIN_TEXT_MAX		2048

struct vouch_policy;
struct vouch_claims;

/*
 * struct vouch_explain is why an evaluation ended as it did.  The caller
 * owns it (usually on the stack); the evaluators reset it, then fill it.
 * Every string is NUL-terminated, printable ASCII, and cut with "..." when
 * it does not fit.  Untrusted text (claim values) appears only sanitized.
 */
struct vouch_explain {
	/* The result of the evaluation (VOUCH_OK when admitted/allowed). */
	enum vouch_err	code;
	/*
	 * The release whose measurement matched the "measurement" claim, ""
	 * when none did or the evaluation stopped before that step.
	 */
	char		release[VOUCH_POLICY_NAME_MAX + 1];
	/* JSON path of the first failing check ("rules.allOf[1]"), or "". */
	char		path[VOUCH_EXPLAIN_PATH_MAX];
	/* The claim of the first failing check ("sim.tcb_svn"), or "". */
	char		claim[VOUCH_EXPLAIN_CLAIM_MAX];
	/*
	 * One line for a person: which rule, which claim, the value and what
	 * was required, e.g. "rules.allOf[1]: claim sim.tcb_svn = 0, requires
	 * greaterOrEquals 2".  For an anyOf it lists why every branch failed.
	 */
	char		text[VOUCH_EXPLAIN_TEXT_MAX];
};

/*
 * vouch_policy_parse parses and validates the policy document of |len|
 * bytes at |buf| (JSON, through vouch_json_load: duplicate keys rejected).
 * It does not check expiry (see vouch_policy_check_current), so tools can
 * show an expired policy.  On VOUCH_OK |*out| is a new policy the caller
 * frees with vouch_policy_free; it keeps no reference to |buf|.  On
 * failure |*out| is NULL and the context's detail names the JSON path:
 *   VOUCH_ERR_TOO_LARGE           more than VOUCH_POLICY_MAX_BYTES
 *   VOUCH_ERR_BAD_JSON, VOUCH_ERR_DUPLICATE_KEY   not valid JSON
 *   VOUCH_ERR_UNSUPPORTED_VERSION "vouch_policy" is present but not 1
 *   VOUCH_ERR_UNKNOWN_CLAIM       a rule names a claim not in the table
 *   VOUCH_ERR_POLICY_INVALID      anything else (unknown key, wrong type,
 *                                 value out of range, limit exceeded)
 *   VOUCH_ERR_NO_MEMORY, VOUCH_ERR_INVALID_ARGUMENT
 */
enum vouch_err	vouch_policy_parse(struct vouch_ctx *ctx, const uint8_t *buf,
		    size_t len, struct vouch_policy **out) VOUCH_MUST_CHECK;

/* vouch_policy_free frees |pol|; NULL does nothing. */
void		vouch_policy_free(struct vouch_policy *pol);

/* vouch_policy_version returns the "version" member (>= 1). */
int64_t		vouch_policy_version(const struct vouch_policy *pol);
/* vouch_policy_expires returns "expires" as Unix seconds. */
int64_t		vouch_policy_expires(const struct vouch_policy *pol);
/*
 * vouch_policy_admission_lifetime returns "admission.lifetime_seconds",
 * or VOUCH_POLICY_LIFETIME_DEFAULT when absent.
 */
int64_t		vouch_policy_admission_lifetime(const struct vouch_policy *pol);
/*
 * vouch_policy_platform_is_trusted is true when |platform| ("sim", "snp",
 * ...) is listed under "platforms".
 */
bool		vouch_policy_platform_is_trusted(const struct vouch_policy *pol,
		    const char *platform);
/*
 * vouch_policy_platform_allows_debug is true when |platform| is trusted
 * and its "insecure_allow_debug" is true.
 */
bool		vouch_policy_platform_allows_debug(
		    const struct vouch_policy *pol, const char *platform);
/*
 * vouch_policy_dcap_accepts is true when |platform| ("tdx", "sgx") is
 * trusted and its accept_tcb_status lists |status| ("SWHardeningNeeded",
 * "ConfigurationNeeded", "ConfigurationAndSWHardeningNeeded").
 */
bool		vouch_policy_dcap_accepts(const struct vouch_policy *pol,
		    const char *platform, const char *status);
/*
 * vouch_policy_platform_min_tcb_svn is true, with |*out| set, when
 * |platform| is trusted and has a "min_tcb_svn" (only "sim" for now).
 */
bool		vouch_policy_platform_min_tcb_svn(
		    const struct vouch_policy *pol, const char *platform,
		    int64_t *out);
/*
 * vouch_policy_measurement_release returns the name of the release that
 * lists the |len|-byte measurement |m| (exact length and bytes), or NULL.
 * The string belongs to |pol|.  A measurement is in at most one release.
 */
const char	*vouch_policy_measurement_release(
		    const struct vouch_policy *pol, const uint8_t *m, size_t len);
/*
 * vouch_policy_release_rule_limits is true when |name| has an entry under
 * "release_rules"; then |*out_max_releases| is its "max_releases" (0 when
 * absent: no limit) and |*out_not_after| its "not_after" (INT64_MAX when
 * absent).  Either output may be NULL.  Counting releases is the caller's
 * job.
 */
bool		vouch_policy_release_rule_limits(const struct vouch_policy *pol,
		    const char *name, int64_t *out_max_releases,
		    int64_t *out_not_after);

/*
 * vouch_policy_check_current fails with VOUCH_ERR_POLICY_EXPIRED when the
 * context's clock (vouch_ctx_now) is at or after "expires".
 */
enum vouch_err	vouch_policy_check_current(struct vouch_ctx *ctx,
		    const struct vouch_policy *pol) VOUCH_MUST_CHECK;

/*
 * vouch_policy_evaluate_admission decides whether |claims| (verified
 * claims, see DESIGN §5) may be admitted under |pol|.  Checks, in order,
 * the first failure deciding:
 *   1. expiry                                VOUCH_ERR_POLICY_EXPIRED
 *   2. claim "platform" listed in platforms  VOUCH_ERR_PLATFORM_NOT_TRUSTED
 *   3. platform settings: claim sim.tcb_svn >= min_tcb_svn
 *                                            VOUCH_ERR_TCB_OUT_OF_DATE;
 *      claim "debug" true without insecure_allow_debug
 *                                            VOUCH_ERR_DEBUG_ENABLED
 *      claim "debug" missing without insecure_allow_debug
 *                                            VOUCH_ERR_POLICY_DENIED
 *   4. claim "measurement" in some release   VOUCH_ERR_MEASUREMENT_NOT_TRUSTED
 *   5. "rules", when present                 VOUCH_ERR_POLICY_DENIED
 * Returns VOUCH_OK when every check holds.  |ex| may be NULL; otherwise it
 * receives the explanation, including the matched release name, whatever
 * the result.  The context's detail carries the same text.
 */
enum vouch_err	vouch_policy_evaluate_admission(struct vouch_ctx *ctx,
		    const struct vouch_policy *pol,
		    const struct vouch_claims *claims, struct vouch_explain *ex)
		    VOUCH_MUST_CHECK;

/*
 * vouch_policy_evaluate_rule decides whether the release rule |name| holds
 * for |claims|: the policy must be current (VOUCH_ERR_POLICY_EXPIRED), the
 * rule must exist and the clock be before its "not_after", and its rule
 * must hold (otherwise VOUCH_ERR_POLICY_DENIED).  It does not repeat the
 * admission checks nor count releases: the caller admits the claims first
 * and enforces "max_releases".  |ex| may be NULL.
 */
enum vouch_err	vouch_policy_evaluate_rule(struct vouch_ctx *ctx,
		    const struct vouch_policy *pol, const char *name,
		    const struct vouch_claims *claims, struct vouch_explain *ex)
		    VOUCH_MUST_CHECK;

#endif
