/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vouch error codes.
 *
 * One X-macro list produces the enum, vouch_errname() and vouch_strerror(),
 * so names, numbers and messages cannot drift apart.  Codes are only ever
 * added, never renumbered or removed.  Blocks: 1xx malformed input,
 * 2xx verification, 3xx policy, 4xx misuse, 5xx environment.
 */
#ifndef VOUCH_ERR_H
#define VOUCH_ERR_H

#define VOUCH_ERR_LIST(X) \
	X(VOUCH_OK, 0, "success") \
	/* 1xx: malformed input */ \
	X(VOUCH_ERR_TRUNCATED, 100, "input is truncated") \
	X(VOUCH_ERR_TRAILING_DATA, 101, "unexpected bytes after the end of the structure") \
	X(VOUCH_ERR_BAD_MAGIC, 102, "input does not start with the expected magic value") \
	X(VOUCH_ERR_UNSUPPORTED_VERSION, 103, "unknown or unsupported format version") \
	X(VOUCH_ERR_RESERVED_NONZERO, 104, "a reserved field is not zero") \
	X(VOUCH_ERR_TOO_LARGE, 105, "input exceeds a size limit") \
	X(VOUCH_ERR_BAD_ENCODING, 106, "malformed encoding") \
	X(VOUCH_ERR_BAD_DER, 107, "malformed DER") \
	X(VOUCH_ERR_BAD_JSON, 108, "malformed JSON") \
	X(VOUCH_ERR_DUPLICATE_KEY, 109, "duplicate key in JSON object") \
	X(VOUCH_ERR_BAD_CERT, 110, "malformed certificate") \
	X(VOUCH_ERR_BAD_KEY, 111, "malformed or unsuitable key") \
	X(VOUCH_ERR_UNKNOWN_FORMAT, 112, "evidence format not recognized") \
	X(VOUCH_ERR_BAD_FIELD, 113, "a field has an invalid value") \
	/* 2xx: verification */ \
	X(VOUCH_ERR_SIGNATURE_INVALID, 200, "signature does not verify") \
	X(VOUCH_ERR_CHAIN_INVALID, 201, "certificate chain does not verify to a trust anchor") \
	X(VOUCH_ERR_NO_TRUST_ANCHOR, 202, "no trust anchor for this platform") \
	X(VOUCH_ERR_CERT_EXPIRED, 203, "certificate is expired at the verification time") \
	X(VOUCH_ERR_CERT_NOT_YET_VALID, 204, "certificate is not yet valid at the verification time") \
	X(VOUCH_ERR_REPORT_DATA_MISMATCH, 205, "report_data does not match the expected binding") \
	X(VOUCH_ERR_DEBUG_ENABLED, 206, "the TEE runs in debug mode") \
	X(VOUCH_ERR_CHIP_ID_MISMATCH, 207, "chip identifier does not match the certificate") \
	X(VOUCH_ERR_REPORT_FROM_FUTURE, 208, "report time is later than the verification time") \
	X(VOUCH_ERR_CERT_REVOKED, 209, "certificate is revoked") \
	X(VOUCH_ERR_CRL_MISSING, 210, "no valid revocation list is available") \
	X(VOUCH_ERR_CRL_EXPIRED, 211, "revocation list is stale or not yet valid") \
	X(VOUCH_ERR_COLLATERAL_MISSING, 212, "required collateral is missing") \
	X(VOUCH_ERR_COLLATERAL_EXPIRED, 213, "collateral is expired") \
	X(VOUCH_ERR_TCB_MISMATCH, 214, "TCB in the report does not match the certificate") \
	X(VOUCH_ERR_TCB_OUT_OF_DATE, 215, "TCB level is out of date") \
	X(VOUCH_ERR_TCB_REVOKED, 216, "TCB level is revoked") \
	X(VOUCH_ERR_TCB_NO_MATCH, 217, "no TCB level matches the platform") \
	X(VOUCH_ERR_PRODUCT_MISMATCH, 218, "product line does not match the trust anchor") \
	X(VOUCH_ERR_NONCE_INVALID, 219, "nonce is unknown, expired or already used") \
	X(VOUCH_ERR_BINDING_MISSING, 220, "evidence carries no binding to the request") \
	X(VOUCH_ERR_TCB_NEEDS_POLICY, 221, "TCB level needs software hardening or configuration; not accepted without policy") \
	X(VOUCH_ERR_TCB_STATUS_UNKNOWN, 222, "TCB status is not one this verifier knows") \
	X(VOUCH_ERR_EVENT_LOG_MISMATCH, 223, "event log does not replay to the measured registers") \
	X(VOUCH_ERR_QE_IDENTITY_MISMATCH, 224, "quoting enclave does not match its signed identity") \
	/* 3xx: policy */ \
	X(VOUCH_ERR_POLICY_DENIED, 300, "denied by policy") \
	X(VOUCH_ERR_POLICY_INVALID, 301, "policy document is invalid") \
	X(VOUCH_ERR_POLICY_SIGNATURE, 302, "policy signature does not verify") \
	X(VOUCH_ERR_POLICY_EXPIRED, 303, "policy is expired") \
	X(VOUCH_ERR_POLICY_ROLLBACK, 304, "policy version is older than the current one") \
	X(VOUCH_ERR_PLATFORM_NOT_TRUSTED, 305, "platform is not trusted by policy") \
	X(VOUCH_ERR_MEASUREMENT_NOT_TRUSTED, 306, "measurement is not trusted by policy") \
	X(VOUCH_ERR_UNKNOWN_CLAIM, 307, "unknown claim name") \
	/* 4xx: misuse */ \
	X(VOUCH_ERR_INVALID_ARGUMENT, 400, "invalid argument") \
	X(VOUCH_ERR_UNSUPPORTED_PLATFORM, 401, "platform is not supported by this build") \
	X(VOUCH_ERR_PLATFORM_MISMATCH, 402, "evidence is not of the requested platform") \
	X(VOUCH_ERR_STATE, 403, "operation not valid in the current state") \
	/* 5xx: environment */ \
	X(VOUCH_ERR_INTERNAL, 500, "internal error") \
	X(VOUCH_ERR_NO_MEMORY, 501, "out of memory") \
	X(VOUCH_ERR_IO, 502, "input/output error") \
	X(VOUCH_ERR_CRYPTO, 503, "cryptographic library failure") \
	X(VOUCH_ERR_NOT_FOUND, 504, "file or object not found") \
	X(VOUCH_ERR_STORE, 505, "store failure") \
	X(VOUCH_ERR_NETWORK, 506, "network failure")

enum vouch_err {
#define VOUCH_ERR_ENUM_(name, num, msg) name = num,
	VOUCH_ERR_LIST(VOUCH_ERR_ENUM_)
#undef VOUCH_ERR_ENUM_
};

#if defined(__GNUC__)
#define VOUCH_MUST_CHECK __attribute__((warn_unused_result))
#else
#define VOUCH_MUST_CHECK
#endif

#if defined(__GNUC__)
#define VOUCH_API __attribute__((visibility("default")))
#else
#define VOUCH_API
#endif

/*
 * vouch_errname returns the stable name of |err| ("VOUCH_ERR_TRUNCATED"),
 * or "VOUCH_ERR_UNKNOWN" for a value not in the list.  The string is static.
 */
VOUCH_API const char *vouch_errname(enum vouch_err err);

/*
 * vouch_strerror returns the fixed one-line message for |err|.  It never
 * contains input-dependent text; details live in the context.
 */
VOUCH_API const char *vouch_strerror(enum vouch_err err);

/*
 * vouch_err_from_name parses a stable name back to its code.  Returns 1 and
 * sets |*out| on success, 0 if the name is unknown.
 */
VOUCH_API int vouch_err_from_name(const char *name, enum vouch_err *out);

#endif
