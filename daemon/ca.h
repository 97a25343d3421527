/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ca: vouchd's issuing CA.  It issues admission certificates (X.509 v3,
 * short-lived, for a key generated inside an attested TEE) and reads back
 * their private extension.  docs/admission.md has the certificate
 * profile; the extension, OID VOUCH_OID_ADMISSION, non-critical, is
 *
 *   VouchAdmission ::= SEQUENCE {
 *       version        INTEGER (1),
 *       platform       UTF8String (SIZE (1..64)),
 *       measurement    OCTET STRING (SIZE (1..64)),
 *       policyVersion  INTEGER (0..9223372036854775807),
 *       release        UTF8String (SIZE (0..64)) }
 *
 * in DER.  The strings are well-formed UTF-8 without NUL characters.
 */
#ifndef VOUCHD_CA_H
#define VOUCHD_CA_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "internal.h"

/* The only VouchAdmission version. */
#define CA_ADMISSION_VERSION		1
/* Longest platform and release names, in bytes. */
#define CA_ADMISSION_STRING_MAX		64
/* Longest measurement (SHA-512 / SNP and TDX use 48). */
#define CA_ADMISSION_MEASUREMENT_MAX	64
/* Largest encoded extension value: every field at its maximum. */
#define CA_ADMISSION_EXT_MAX_BYTES	256
/* Seconds notBefore is set back from the issuing time (clock skew). */
#define CA_ADMISSION_BACKDATE		60
/* Longest admission lifetime accepted, whatever the policy says. */
#define CA_ADMISSION_LIFETIME_MAX	(366 * 24 * 3600)
/* A certificate serial as 32 lower-case hex digits plus NUL. */
#define CA_SERIAL_HEX_LEN		32

/* A decoded VouchAdmission; the strings are NUL-terminated. */
struct ca_admission {
	char		platform[CA_ADMISSION_STRING_MAX + 1];
	uint8_t		measurement[CA_ADMISSION_MEASUREMENT_MAX];
	size_t		measurement_len;
	int64_t		policy_version;
	char		release[CA_ADMISSION_STRING_MAX + 1];
};

/*
 * ca_admission_ext_encode encodes a VouchAdmission (version 1) in DER.
 * |platform| and |release| are NUL-terminated; |measurement| is |mlen|
 * bytes.  On VOUCH_OK |*out| is malloc'd (free with free()) and
 * |*out_len| its length; on failure they are NULL and 0.  Values the
 * decoder would reject are refused here, with the decoder's codes:
 * VOUCH_ERR_BAD_FIELD for an empty or too long platform or measurement,
 * a too long release or a negative policy version, VOUCH_ERR_BAD_ENCODING
 * for malformed UTF-8; VOUCH_ERR_NO_MEMORY.
 */
enum vouch_err	ca_admission_ext_encode(struct vouch_ctx *ctx,
		    const char *platform, const uint8_t *measurement,
		    size_t mlen, int64_t policy_version, const char *release,
		    uint8_t **out, size_t *out_len) VOUCH_MUST_CHECK;

/*
 * ca_admission_ext_decode strictly decodes the |len| bytes at |der| (the
 * extension's extnValue contents) into |*out|.  Every byte must belong to
 * the one SEQUENCE.  On failure |*out| is zeroed.  Returns
 *   VOUCH_ERR_TOO_LARGE            over CA_ADMISSION_EXT_MAX_BYTES
 *   VOUCH_ERR_BAD_DER              not DER of this shape (truncated, wrong
 *                                  tags, non-minimal, negative INTEGER)
 *   VOUCH_ERR_TRAILING_DATA        bytes after the SEQUENCE or after its
 *                                  last field
 *   VOUCH_ERR_UNSUPPORTED_VERSION  version other than 1
 *   VOUCH_ERR_BAD_FIELD            a length out of bounds, policyVersion
 *                                  above INT64_MAX
 *   VOUCH_ERR_BAD_ENCODING         a string is not UTF-8 or holds a NUL
 */
enum vouch_err	ca_admission_ext_decode(struct vouch_ctx *ctx,
		    const uint8_t *der, size_t len, struct ca_admission *out)
		    VOUCH_MUST_CHECK;

/*
 * ca_admission_from_cert finds the VOUCH_OID_ADMISSION extension of
 * |cert| and decodes it into |*out| (zeroed on failure).  No extension,
 * two or more, or a critical one is VOUCH_ERR_BAD_CERT; otherwise the
 * codes of ca_admission_ext_decode.  The certificate is not validated:
 * call this on a certificate whose chain has been verified.
 */
enum vouch_err	ca_admission_from_cert(struct vouch_ctx *ctx, X509 *cert,
		    struct ca_admission *out) VOUCH_MUST_CHECK;

/*
 * ca_issue_admission issues an admission certificate for |subject_pub|
 * (an EC key on P-384 or P-256, else VOUCH_ERR_BAD_KEY) signed by
 * |issuer_key| under |issuer_cert| (the key must match the certificate,
 * else VOUCH_ERR_BAD_KEY), for the domain rooted at |domain_root|:
 *
 *   - X.509 v3, random 128-bit serial, subject CN
 *     "vouch admission <first 16 hex digits of the measurement>";
 *   - notBefore = |now| - CA_ADMISSION_BACKDATE (not before the issuer's
 *     notBefore), notAfter = |now| + |lifetime_seconds| but never after
 *     the issuer's notAfter;
 *   - basicConstraints CA:FALSE and keyUsage digitalSignature (critical),
 *     extKeyUsage clientAuth + serverAuth, subjectAltName URI
 *     vouch_domain_uri(|domain_root|), key identifiers, and the
 *     VouchAdmission extension from |adm| (non-critical).
 *
 * |lifetime_seconds| must be 1..CA_ADMISSION_LIFETIME_MAX
 * (VOUCH_ERR_INVALID_ARGUMENT).  An issuer that is expired at |now| is
 * VOUCH_ERR_CERT_EXPIRED, one not yet valid VOUCH_ERR_CERT_NOT_YET_VALID.
 * On VOUCH_OK |*out| is the new certificate (X509_free) and
 * |out_serial_hex| its serial as 32 lower-case hex digits and a NUL; on
 * failure |*out| is NULL and |out_serial_hex| the empty string.
 */
enum vouch_err	ca_issue_admission(struct vouch_ctx *ctx, X509 *issuer_cert,
		    EVP_PKEY *issuer_key, X509 *domain_root,
		    EVP_PKEY *subject_pub, const struct ca_admission *adm,
		    int64_t now, int64_t lifetime_seconds, X509 **out,
		    char out_serial_hex[CA_SERIAL_HEX_LEN + 1])
		    VOUCH_MUST_CHECK;

/*
 * ca_issue_admission_pem issues the same certificate as
 * ca_issue_admission, with the same checks and error codes, for the
 * daemon's hot path: the subject key is given as its DER
 * SubjectPublicKeyInfo |spki| (an uncompressed point on P-384 or P-256
 * under its named curve, as vouch_ec_pubkey_from_pem returns it; the
 * caller has checked the point is on the curve), the domain as its URI
 * |domain_uri| (vouch_domain_uri of the root, computed once), and the
 * result as the PEM chain ca_chain_pem would render (the new
 * certificate, then |issuer_cert|).  On VOUCH_OK |*out_chain| is a
 * malloc'd NUL-terminated string (free with free()); on failure NULL,
 * and |out_serial_hex| the empty string.
 */
enum vouch_err	ca_issue_admission_pem(struct vouch_ctx *ctx,
		    X509 *issuer_cert, EVP_PKEY *issuer_key,
		    const char *domain_uri, const uint8_t *spki,
		    size_t spki_len, const struct ca_admission *adm,
		    int64_t now, int64_t lifetime_seconds, char **out_chain,
		    char out_serial_hex[CA_SERIAL_HEX_LEN + 1])
		    VOUCH_MUST_CHECK;

/*
 * ca_chain_pem renders |leaf| then |issuer| as PEM.  On VOUCH_OK |*out|
 * is a malloc'd NUL-terminated string (free with free()); on failure
 * NULL.
 */
enum vouch_err	ca_chain_pem(struct vouch_ctx *ctx, X509 *leaf, X509 *issuer,
		    char **out) VOUCH_MUST_CHECK;

#endif
