/* SPDX-License-Identifier: Apache-2.0 */
/*
 * crypto: the one module that calls OpenSSL.  Hashes, random bytes,
 * ECDSA with raw r||s signatures, keys and certificates in files, X.509
 * building and chain validation at the context's clock.
 */
#ifndef VOUCH_CRYPTO_H
#define VOUCH_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <jansson.h>

#include "internal.h"

#define VOUCH_SHA256_BYTES	32
#define VOUCH_SHA384_BYTES	48
#define VOUCH_SHA512_BYTES	64
/* Raw P-384 signature: r and s, 48 bytes each, big-endian. */
#define VOUCH_P384_SIG_BYTES	96
/* Largest certificate accepted from untrusted input. */
#define VOUCH_CERT_MAX_BYTES	16384
/* Largest key or certificate file read from disk. */
#define VOUCH_PEM_FILE_MAX_BYTES (256u * 1024u)
/* Longest chain validated. */
#define VOUCH_CHAIN_MAX_DEPTH	6

enum vouch_err	vouch_random(struct vouch_ctx *ctx, uint8_t *out, size_t n)
		    VOUCH_MUST_CHECK;
void	vouch_sha256(const uint8_t *in, size_t n, uint8_t out[VOUCH_SHA256_BYTES]);
void	vouch_sha384(const uint8_t *in, size_t n, uint8_t out[VOUCH_SHA384_BYTES]);
void	vouch_sha512(const uint8_t *in, size_t n, uint8_t out[VOUCH_SHA512_BYTES]);
/* SHA-384 of a whole file, read in chunks (the sim measurement). */
enum vouch_err	vouch_sha384_file(struct vouch_ctx *ctx, const char *path,
		    uint8_t out[VOUCH_SHA384_BYTES]) VOUCH_MUST_CHECK;

/* A fresh ECDSA P-384 key. */
enum vouch_err	vouch_key_gen_p384(struct vouch_ctx *ctx, EVP_PKEY **out)
		    VOUCH_MUST_CHECK;
/* True when |key| is an EC key on P-384. */
bool	vouch_key_is_p384(const EVP_PKEY *key);
/* Write |key| as PKCS#8 PEM to |path| with mode 0600, atomically. */
enum vouch_err	vouch_key_write_pem(struct vouch_ctx *ctx, const char *path,
		    EVP_PKEY *key) VOUCH_MUST_CHECK;
enum vouch_err	vouch_key_read_pem(struct vouch_ctx *ctx, const char *path,
		    EVP_PKEY **out) VOUCH_MUST_CHECK;
/* SHA-256 of the DER SubjectPublicKeyInfo of |key|. */
enum vouch_err	vouch_key_spki_sha256(struct vouch_ctx *ctx, EVP_PKEY *key,
		    uint8_t out[VOUCH_SHA256_BYTES]) VOUCH_MUST_CHECK;

/*
 * ECDSA over SHA-384 (P-384) or SHA-256 (P-256) with the signature as raw
 * r||s, each big-endian and as wide as the curve order.
 */
enum vouch_err	vouch_ecdsa_sign_raw(struct vouch_ctx *ctx, EVP_PKEY *key,
		    const uint8_t *msg, size_t n, uint8_t *sig, size_t sig_len)
		    VOUCH_MUST_CHECK;
enum vouch_err	vouch_ecdsa_verify_raw(struct vouch_ctx *ctx, EVP_PKEY *pub,
		    const uint8_t *msg, size_t n, const uint8_t *sig,
		    size_t sig_len) VOUCH_MUST_CHECK;
/* Largest DER ECDSA-Sig-Value vouch_ecdsa_sign_der writes (P-384: 104). */
#define VOUCH_ECDSA_DER_MAX	112
/*
 * The same signature as vouch_ecdsa_sign_raw, as the DER ECDSA-Sig-Value
 * X.509 carries (RFC 5480 §2.2.3, RFC 5758 §3.2): |sig| has room for
 * |cap| bytes (VOUCH_ECDSA_DER_MAX is enough), |*sig_len| gets the length.
 */
enum vouch_err	vouch_ecdsa_sign_der(struct vouch_ctx *ctx, EVP_PKEY *key,
		    const uint8_t *msg, size_t n, uint8_t *sig, size_t cap,
		    size_t *sig_len) VOUCH_MUST_CHECK;

/* One DER certificate, exactly |len| bytes with nothing after it. */
enum vouch_err	vouch_cert_from_der(struct vouch_ctx *ctx, const uint8_t *buf,
		    size_t len, X509 **out) VOUCH_MUST_CHECK;
/*
 * Append every certificate in |buf| (one DER certificate, or one or more
 * PEM blocks) to |stack|.  Anything else is VOUCH_ERR_BAD_CERT.
 */
enum vouch_err	vouch_certs_parse(struct vouch_ctx *ctx, const uint8_t *buf,
		    size_t len, STACK_OF(X509) *stack) VOUCH_MUST_CHECK;
enum vouch_err	vouch_cert_write_pem(struct vouch_ctx *ctx, const char *path,
		    X509 *cert) VOUCH_MUST_CHECK;
enum vouch_err	vouch_cert_read_pem(struct vouch_ctx *ctx, const char *path,
		    X509 **out) VOUCH_MUST_CHECK;
/* DER encoding of |cert|, malloc'd. */
enum vouch_err	vouch_cert_to_der(struct vouch_ctx *ctx, X509 *cert,
		    uint8_t **out, size_t *out_len) VOUCH_MUST_CHECK;
/*
 * A JSON description of |cert| (subject, issuer, serial, validity, key
 * type) for display; new reference or NULL.
 */
json_t	*vouch_cert_describe(X509 *cert);
/* Value of the subject's serialNumber attribute (NUL-terminated). */
bool	vouch_cert_subject_serial(X509 *cert, char *out, size_t cap);

/* What a new certificate says; see vouch_cert_build. */
struct vouch_cert_spec {
	const char	*common_name;
	const char	*organization;	/* optional */
	const char	*serial_attr;	/* optional subject serialNumber */
	int64_t		 not_before;
	int64_t		 not_after;
	bool		 is_ca;
	int		 path_len;	/* CA only; -1 for none */
	bool		 eku_client;
	bool		 eku_server;
	const char	*uri_san;	/* optional */
	const char	*dns_ip_san;	/* optional, e.g. "DNS:localhost,IP:127.0.0.1" */
	const char	*extra_eku;	/* optional dotted OID added to the EKU */
	const char	*ext_oid;	/* optional private extension: OID, */
	const uint8_t	*ext_der;	/* its DER value (inside the OCTET STRING) */
	size_t		 ext_der_len;
};

/* vouch's private OID arc (a UUID OID, ITU-T X.667): 2.25.<uuid>. */
#define VOUCH_OID_ARC		"2.25.66971839469569201210590510064957739205"
/* Admission extension: measurement, platform, policy version (docs/admission.md). */
#define VOUCH_OID_ADMISSION	VOUCH_OID_ARC ".1"
/* Extended key usage of a domain administrator certificate. */
#define VOUCH_OID_EKU_ADMIN	VOUCH_OID_ARC ".2"

/*
 * vouch_cert_build creates an X.509 v3 certificate for |subject_key|
 * signed by |issuer_key| (with |issuer| as the issuer certificate, or
 * self-signed when |issuer| is NULL), with a random 128-bit serial,
 * subject and authority key identifiers, basic constraints and key usage
 * (keyCertSign|cRLSign for a CA, digitalSignature otherwise), all critical
 * where RFC 5280 says so.
 */
enum vouch_err	vouch_cert_build(struct vouch_ctx *ctx,
		    const struct vouch_cert_spec *spec, EVP_PKEY *subject_key,
		    X509 *issuer, EVP_PKEY *issuer_key, X509 **out)
		    VOUCH_MUST_CHECK;

/*
 * vouch_chain_verify validates |leaf| through |untrusted| to one of
 * |anchors| (self-signed roots) at time |at|, strictly (X509_V_FLAG_X509_STRICT),
 * at most VOUCH_CHAIN_MAX_DEPTH deep.  Expiry and not-yet-valid have
 * their own codes; any other failure is VOUCH_ERR_CHAIN_INVALID.  On
 * success and if |out_chain| is not NULL it receives the validated chain
 * (leaf first, root last), which the caller frees with
 * OSSL_STACK_OF_X509_free / sk_X509_pop_free.
 */
enum vouch_err	vouch_chain_verify(struct vouch_ctx *ctx, X509 *leaf,
		    STACK_OF(X509) *untrusted, STACK_OF(X509) *anchors,
		    int64_t at, STACK_OF(X509) **out_chain) VOUCH_MUST_CHECK;

/*
 * vouch_chain_verify_flags is vouch_chain_verify with explicit OpenSSL
 * X509_V_FLAG_* |flags| instead of X509_V_FLAG_X509_STRICT.  For vendor
 * PKIs whose real certificates strict mode rejects: AMD's VCEKs have no
 * Authority Key Identifier, which OpenSSL 3 strict mode requires.  The
 * caller then checks what strict mode would have (snp.c).
 */
enum vouch_err	vouch_chain_verify_flags(struct vouch_ctx *ctx, X509 *leaf,
		    STACK_OF(X509) *untrusted, STACK_OF(X509) *anchors,
		    int64_t at, unsigned long flags, STACK_OF(X509) **out_chain)
		    VOUCH_MUST_CHECK;

/* Length of "urn:vouch:domain:" + 64 hex digits + NUL. */
#define VOUCH_DOMAIN_URI_MAX	82
/*
 * vouch_domain_uri names the domain rooted at |root|:
 * "urn:vouch:domain:<hex SHA-256 of the root's SubjectPublicKeyInfo>".
 * Admission certificates carry it as a URI SAN.
 */
enum vouch_err	vouch_domain_uri(struct vouch_ctx *ctx, X509 *root, char *out,
		    size_t cap) VOUCH_MUST_CHECK;

/* Label of the certify binding (docs/binding.md). */
#define VOUCH_BIND_CERTIFY	"vouch-certify-v1"
/* Label of the relying-party verify binding. */
#define VOUCH_BIND_VERIFY	"vouch-verify-v1"
/* Most parts one binding hashes. */
#define VOUCH_BIND_MAX_PARTS	4

/*
 * vouch_bind computes report_data for a binding: SHA-512 over the ASCII
 * |label|, a 0x00 byte, then each part as a 4-byte big-endian length and
 * its bytes.  Length prefixes keep the encoding unambiguous; the label
 * separates purposes (certify, verify, secret release).
 */
void	vouch_bind(const char *label, const uint8_t *const *parts,
	    const size_t *lens, size_t n, uint8_t out[VOUCH_SHA512_BYTES]);
/*
 * vouch_bind_certify: report_data binding nonce and public key,
 * vouch_bind(VOUCH_BIND_CERTIFY, { nonce, DER SubjectPublicKeyInfo }).
 */
enum vouch_err	vouch_bind_certify(struct vouch_ctx *ctx, const uint8_t *nonce,
		    size_t nonce_len, EVP_PKEY *pub,
		    uint8_t out[VOUCH_SHA512_BYTES]) VOUCH_MUST_CHECK;

/* As vouch_bind_certify, with the DER SubjectPublicKeyInfo given. */
void	vouch_bind_certify_spki(const uint8_t *nonce, size_t nonce_len,
	    const uint8_t *spki, size_t spki_len, uint8_t out[VOUCH_SHA512_BYTES]);
/*
 * With a build profile ("production", ...) bound as a third part:
 * vouch_bind(VOUCH_BIND_CERTIFY, { nonce, SPKI, profile }).  A NULL
 * |profile| is the two-part binding above.  Every part is length-prefixed,
 * so the encodings of two and three parts never coincide: a profile can be
 * neither added to nor stripped from evidence bound without it.
 */
void	vouch_bind_certify_profile(const uint8_t *nonce, size_t nonce_len,
	    const uint8_t *spki, size_t spki_len, const char *profile,
	    uint8_t out[VOUCH_SHA512_BYTES]);
/* Label of the secret-release binding (docs/secrets.md). */
#define VOUCH_BIND_RELEASE	"vouch-release-v1"
/* The build profiles, in the order a policy would rank them. */
#define VOUCH_PROFILE_MAX_LEN	16
bool	vouch_profile_name_valid(const char *s, size_t len);

/* Largest DER SubjectPublicKeyInfo accepted for an EC P-256/P-384 key. */
#define VOUCH_EC_SPKI_MAX	120
/*
 * vouch_ec_pubkey_from_pem reads one PEM "PUBLIC KEY" block holding an
 * uncompressed EC P-256 or P-384 key (RFC 5480), exactly and strictly: the
 * DER must be the one canonical encoding (fixed prefix, then the point),
 * and the point must lie on the curve.  It does not use OpenSSL's generic
 * decoders, which cost hundreds of microseconds per key.  On success
 * |*out| is the key and |spki| (cap VOUCH_EC_SPKI_MAX) its DER.
 */
enum vouch_err	vouch_ec_pubkey_from_pem(struct vouch_ctx *ctx, const char *pem,
		    size_t len, EVP_PKEY **out, uint8_t *spki, size_t *spki_len)
		    VOUCH_MUST_CHECK;

/* Parse "YYYY-MM-DDTHH:MM:SSZ" (RFC 3339, UTC or numeric offset). */
bool	vouch_time_parse_rfc3339(const char *s, int64_t *out);
/* Format as "YYYY-MM-DDTHH:MM:SSZ" into |out| (cap >= 21). */
bool	vouch_time_format_rfc3339(int64_t t, char *out, size_t cap);

#endif
