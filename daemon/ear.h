/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ear: the attestation result vouchd hands out, an EAT Attestation Result
 * (draft-ietf-rats-ear-04) serialized as a JWT (its §3.2), signed ES384
 * (RFC 7518 §3.4) with the issuing key.  The claims set:
 *
 *   {
 *     "eat_profile":     "tag:ietf.org,2026:rats/ear#04",
 *     "iat":             <NumericDate>,
 *     "ear_verifier_id": { "build": "vouchd ...", "developer": "..." },
 *     "ear_status":      <overall tier name>,
 *     "eat_nonce":       <base64url nonce, when one was given>,
 *     "submods": {
 *       "<platform>": {
 *         "ear_status": "affirming" | "warning" | "contraindicated" | "none",
 *         "ear_trustworthiness_vector": {
 *           "instance-identity": n, "configuration": n, "executables": n,
 *           "file-system": n, "hardware": n, "runtime-opaque": n,
 *           "storage-opaque": n, "sourced-data": n },
 *         "ear_appraisal_policy_ids": [ "urn:vouch:policy:<version>" ],
 *         "ear_attester_claims": { "vouch.platform": ...,
 *             "vouch.measurement": ..., "vouch.debug": ... },
 *         "ear_verifier_claims": { "vouch.admitted": ...,
 *             "vouch.measurement_trusted": ..., "vouch.policy_version": ... }
 *       }
 *     }
 *   }
 *
 * The trustworthiness values are AR4SI's (draft-ietf-rats-ar4si): 0 no
 * claim, 2..31 affirming, 32..95 warning, 96..127 contraindicated.
 * docs/admission.md ("The attestation result") has the mapping from a
 * vouch appraisal to the vector, the JWS header and the JWKS.
 */
#ifndef VOUCHD_EAR_H
#define VOUCHD_EAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "internal.h"

/* The EAT profile of draft-ietf-rats-ear-04 (its "eat_profile" value). */
#define EAR_PROFILE		"tag:ietf.org,2026:rats/ear#04"
/* The only JWS algorithm produced. */
#define EAR_JWS_ALG		"ES384"
/* "developer" of ear_verifier_id. */
#define EAR_DEVELOPER		"vouch"
/* Default "build" of ear_verifier_id. */
#define EAR_DEFAULT_BUILD	"vouchd"
/* kid: base64url (no padding) of a SHA-256, 43 characters, plus NUL. */
#define EAR_KID_LEN		43
/* eat_nonce bounds in bytes (RFC 9711 §4.1: 8 to 64). */
#define EAR_NONCE_MIN		8
#define EAR_NONCE_MAX		64
/* Longest platform name (it names the submodule). */
#define EAR_PLATFORM_MAX	32
/* Longest measurement carried in ear_attester_claims. */
#define EAR_MEASUREMENT_MAX	64
/* Longest "build" string and policy identifier. */
#define EAR_STRING_MAX		128
/* Largest token produced; far above what the claims above can reach. */
#define EAR_TOKEN_MAX_BYTES	8192

/* AR4SI trustworthiness tiers, as the anchor values of each tier. */
enum ear_tier {
	EAR_TIER_NONE = 0,
	EAR_TIER_AFFIRMING = 2,
	EAR_TIER_WARNING = 32,
	EAR_TIER_CONTRAINDICATED = 96,
};

/*
 * AR4SI trustworthiness claim values used here (draft-ietf-rats-ar4si
 * §2.3): each names its tier by its range.
 */
#define EAR_TV_NO_CLAIM			0
#define EAR_TV_AFFIRMING		2	/* generic affirming value */
#define EAR_TV_IDENTITY_UNRECOGNIZED	97	/* instance not recognized */
#define EAR_TV_CONFIG_UNSAFE		32	/* known vulnerabilities */
#define EAR_TV_CONFIG_UNSUPPORTABLE	96	/* unacceptable vulns */
#define EAR_TV_EXEC_UNRECOGNIZED	33	/* unrecognized run-time */
#define EAR_TV_HW_UNSAFE		32	/* genuine... or simulated */
#define EAR_TV_RUNTIME_VISIBLE		96	/* memory visible to the host */

/* What vouchd concluded about one piece of evidence. */
struct ear_input {
	/* The verdict: admitted under the current policy. */
	bool		 admitted;
	/* The evidence signature and chain verified to a pinned root. */
	bool		 hardware_verified;
	/* Platform name ("sim", "snp", ...); names the submodule. */
	const char	*platform;
	/* The simulated platform: not genuine hardware, whatever its name. */
	bool		 is_sim;
	/* The TEE runs in debug mode. */
	bool		 debug;
	/* The measurement is one the policy trusts. */
	bool		 measurement_trusted;
	/* Optional: the measurement, shown as "vouch.measurement". */
	const uint8_t	*measurement;
	size_t		 measurement_len;
	/* Optional: the nonce echoed as eat_nonce, 8..64 bytes. */
	const uint8_t	*nonce;
	size_t		 nonce_len;
	/* Policy version applied; 0 when none was. */
	int64_t		 policy_version;
	/* Optional: ear_verifier_id "build"; EAR_DEFAULT_BUILD when NULL. */
	const char	*verifier_build;
};

/* The eight AR4SI claims of one appraisal. */
struct ear_vector {
	int	instance_identity;
	int	configuration;
	int	executables;
	int	file_system;
	int	hardware;
	int	runtime_opaque;
	int	storage_opaque;
	int	sourced_data;
};

/* ear_tier_of returns the tier of an AR4SI claim value. */
enum ear_tier	ear_tier_of(int value);
/* ear_tier_name: "none", "affirming", "warning", "contraindicated". */
const char	*ear_tier_name(enum ear_tier tier);

/*
 * ear_appraise computes the trustworthiness vector and the status for
 * |in| (docs/admission.md).  The status is never more trusting than the worst
 * claim in the vector, and contraindicated whenever |in| is not admitted.
 */
void	ear_appraise(const struct ear_input *in, struct ear_vector *out,
	    enum ear_tier *out_status);

/*
 * ear_kid writes into |out| the key identifier of |key| (public or
 * private): base64url without padding of the SHA-256 of its DER
 * SubjectPublicKeyInfo, 43 characters and a NUL.
 */
enum vouch_err	ear_kid(struct vouch_ctx *ctx, EVP_PKEY *key,
		    char out[EAR_KID_LEN + 1]) VOUCH_MUST_CHECK;

/*
 * ear_sign builds the EAR for |in| issued at |iat| and signs it as a
 * compact JWS with header {"alg":"ES384","kid":|kid|,"typ":"JWT"}, with
 * the P-384 private key |issuer_key| (otherwise VOUCH_ERR_BAD_KEY).  On
 * VOUCH_OK |*out_jwt| is a malloc'd NUL-terminated token (free with
 * free()); on failure it is NULL.  VOUCH_ERR_INVALID_ARGUMENT for a
 * missing or too long platform, kid, build or measurement, a nonce
 * outside EAR_NONCE_MIN..EAR_NONCE_MAX bytes, or a negative |iat| or
 * policy version.
 */
enum vouch_err	ear_sign(struct vouch_ctx *ctx, EVP_PKEY *issuer_key,
		    const char *kid, const struct ear_input *in, int64_t iat,
		    char **out_jwt) VOUCH_MUST_CHECK;

/*
 * ear_jwks renders the JWK Set (RFC 7517 §5) relying parties verify EARs
 * with: one EC P-384 key, the public half of |issuer_pub| (a private key
 * is accepted; only its public part is published), with "kid" (ear_kid),
 * "alg" "ES384", "use" "sig" and "x5c" = [|issuer_cert|, |domain_root|]
 * as base64 DER (RFC 7517 §4.7).  |issuer_cert| must carry that key
 * (VOUCH_ERR_BAD_KEY otherwise).  On VOUCH_OK |*out_json| is malloc'd
 * compact JSON with sorted keys (free with free()); on failure NULL.
 */
enum vouch_err	ear_jwks(struct vouch_ctx *ctx, EVP_PKEY *issuer_pub,
		    X509 *issuer_cert, X509 *domain_root, char **out_json)
		    VOUCH_MUST_CHECK;

#endif
