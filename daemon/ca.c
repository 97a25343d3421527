/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The issuing CA: the VouchAdmission extension (built with cbb, read back
 * strictly with cbs) and the admission certificate profile of
 * docs/admission.md on top of vouch_cert_build.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "bs/bs.h"
#include "bs/cbb.h"
#include "ca.h"
#include "crypto/crypto.h"

/* Measurement bytes shown in the subject CN (16 hex digits). */
#define CA_CN_MEASUREMENT_BYTES	8
/* Longest group name EVP_PKEY_get_group_name gives us room for. */
#define CA_GROUP_NAME_MAX	64

/* Length of the NUL-terminated |s|, or |max| + 1 when it is longer. */
static size_t
bounded_len(const char *s, size_t max)
{
	return strnlen(s, max + 1);
}

/* Checks shared by the encoder; the decoder applies the same bounds. */
static enum vouch_err
check_string(struct vouch_ctx *ctx, const char *s, size_t min,
    const char *what, size_t *out_len)
{
	size_t n = bounded_len(s, CA_ADMISSION_STRING_MAX);

	if (n < min || n > CA_ADMISSION_STRING_MAX) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
		    "admission: %s must be %zu..%d bytes", what, min,
		    CA_ADMISSION_STRING_MAX);
	}
	if (!bs_utf8_is_valid((const uint8_t *)s, n)) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_ENCODING,
		    "admission: %s is not UTF-8", what);
	}
	*out_len = n;
	return VOUCH_OK;
}

enum vouch_err
ca_admission_ext_encode(struct vouch_ctx *ctx, const char *platform,
    const uint8_t *measurement, size_t mlen, int64_t policy_version,
    const char *release, uint8_t **out, size_t *out_len)
{
	enum vouch_err rv = VOUCH_ERR_INTERNAL;
	struct cbb b, seq;
	size_t plen, rlen;

	*out = NULL;
	*out_len = 0;
	if (!cbb_init(&b, CA_ADMISSION_EXT_MAX_BYTES)) {
		return vouch_fail(ctx, VOUCH_ERR_INTERNAL, "admission: cbb");
	}
	if (platform == NULL || release == NULL || measurement == NULL) {
		rv = vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "admission: missing field");
		goto out;
	}
	rv = check_string(ctx, platform, 1, "platform", &plen);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = check_string(ctx, release, 0, "release", &rlen);
	if (rv != VOUCH_OK) {
		goto out;
	}
	if (mlen == 0 || mlen > CA_ADMISSION_MEASUREMENT_MAX) {
		rv = vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
		    "admission: measurement must be 1..%d bytes",
		    CA_ADMISSION_MEASUREMENT_MAX);
		goto out;
	}
	if (policy_version < 0) {
		rv = vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
		    "admission: negative policy version");
		goto out;
	}
	if (!cbb_add_asn1(&b, &seq, CBS_ASN1_SEQUENCE) ||
	    !cbb_add_asn1_uint64(&seq, CA_ADMISSION_VERSION) ||
	    !cbb_add_asn1_utf8(&seq, platform, plen) ||
	    !cbb_add_asn1_octet_string(&seq, measurement, mlen) ||
	    !cbb_add_asn1_uint64(&seq, (uint64_t)policy_version) ||
	    !cbb_add_asn1_utf8(&seq, release, rlen) ||
	    !cbb_finish(&b, out, out_len)) {
		/* Inputs are bounded, so only allocation can fail here. */
		rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY,
		    "admission: cannot encode");
		goto out;
	}
	rv = VOUCH_OK;
 out:
	cbb_cleanup(&b);
	return rv;
}

/*
 * Read a UTF8String of |min|..CA_ADMISSION_STRING_MAX bytes from |seq|
 * into |out| (CA_ADMISSION_STRING_MAX + 1 bytes) as a C string.
 */
static enum vouch_err
get_utf8(struct vouch_ctx *ctx, struct cbs *seq, size_t min, char *out,
    const char *what)
{
	struct cbs f;
	size_t n;

	if (!cbs_get_asn1(seq, &f, CBS_ASN1_UTF8STRING)) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_DER,
		    "admission: %s is not a UTF8String", what);
	}
	n = cbs_len(&f);
	if (n < min || n > CA_ADMISSION_STRING_MAX) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
		    "admission: %s length %zu out of bounds", what, n);
	}
	/* No NUL inside, so the copy reads back as the same C string. */
	if (!bs_utf8_is_valid(cbs_data(&f), n)) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_ENCODING,
		    "admission: %s is not UTF-8", what);
	}
	if (!cbs_copy(&f, (uint8_t *)out, n)) {
		return vouch_fail(ctx, VOUCH_ERR_INTERNAL, "admission: copy");
	}
	out[n] = '\0';
	return VOUCH_OK;
}

enum vouch_err
ca_admission_ext_decode(struct vouch_ctx *ctx, const uint8_t *der, size_t len,
    struct ca_admission *out)
{
	enum vouch_err rv;
	struct ca_admission a;
	struct cbs c, seq, f;
	uint64_t version, pv;

	memset(out, 0, sizeof(*out));
	memset(&a, 0, sizeof(a));
	if (len > CA_ADMISSION_EXT_MAX_BYTES) {
		return vouch_fail(ctx, VOUCH_ERR_TOO_LARGE,
		    "admission: extension of %zu bytes", len);
	}
	cbs_init(&c, der, len);
	/*= docs/admission.md, the VouchAdmission extension
	 *# VouchAdmission ::= SEQUENCE {
	 *#     version INTEGER (1), platform UTF8String,
	 *#     measurement OCTET STRING, policyVersion INTEGER,
	 *#     release UTF8String } */
	if (!cbs_get_asn1(&c, &seq, CBS_ASN1_SEQUENCE)) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_DER,
		    "admission: not a DER SEQUENCE");
	}
	if (!cbs_is_empty(&c)) {
		return vouch_fail(ctx, VOUCH_ERR_TRAILING_DATA,
		    "admission: bytes after the SEQUENCE");
	}
	if (!cbs_get_asn1_uint64(&seq, &version)) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_DER, "admission: version");
	}
	if (version != CA_ADMISSION_VERSION) {
		return vouch_fail(ctx, VOUCH_ERR_UNSUPPORTED_VERSION,
		    "admission: version %llu", (unsigned long long)version);
	}
	rv = get_utf8(ctx, &seq, 1, a.platform, "platform");
	if (rv != VOUCH_OK) {
		return rv;
	}
	if (!cbs_get_asn1(&seq, &f, CBS_ASN1_OCTETSTRING)) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_DER,
		    "admission: measurement is not an OCTET STRING");
	}
	if (cbs_len(&f) == 0 || cbs_len(&f) > CA_ADMISSION_MEASUREMENT_MAX) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
		    "admission: measurement of %zu bytes", cbs_len(&f));
	}
	a.measurement_len = cbs_len(&f);
	if (!cbs_copy(&f, a.measurement, a.measurement_len)) {
		return vouch_fail(ctx, VOUCH_ERR_INTERNAL, "admission: copy");
	}
	if (!cbs_get_asn1_uint64(&seq, &pv)) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_DER,
		    "admission: policyVersion");
	}
	if (pv > (uint64_t)INT64_MAX) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
		    "admission: policyVersion out of range");
	}
	a.policy_version = (int64_t)pv;
	rv = get_utf8(ctx, &seq, 0, a.release, "release");
	if (rv != VOUCH_OK) {
		return rv;
	}
	if (!cbs_is_empty(&seq)) {
		return vouch_fail(ctx, VOUCH_ERR_TRAILING_DATA,
		    "admission: fields after release");
	}
	*out = a;
	return VOUCH_OK;
}

enum vouch_err
ca_admission_from_cert(struct vouch_ctx *ctx, X509 *cert,
    struct ca_admission *out)
{
	enum vouch_err rv = VOUCH_ERR_BAD_CERT;
	ASN1_OBJECT *oid = NULL;
	X509_EXTENSION *ext, *found = NULL;
	const ASN1_OCTET_STRING *os;
	int i, n, count = 0;

	memset(out, 0, sizeof(*out));
	if (cert == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "admission: no certificate");
	}
	oid = OBJ_txt2obj(VOUCH_OID_ADMISSION, 1);
	if (oid == NULL) {
		rv = vouch_fail(ctx, VOUCH_ERR_CRYPTO, "admission: OID");
		goto out;
	}
	n = X509_get_ext_count(cert);
	for (i = 0; i < n; i++) {
		ext = X509_get_ext(cert, i);
		if (ext != NULL &&
		    OBJ_cmp(X509_EXTENSION_get_object(ext), oid) == 0) {
			found = ext;
			count++;
		}
	}
	if (count == 0) {
		rv = vouch_fail(ctx, VOUCH_ERR_BAD_CERT,
		    "admission: certificate has no admission extension");
		goto out;
	}
	/* RFC 5280 §4.2: one instance of an extension per certificate. */
	if (count > 1) {
		rv = vouch_fail(ctx, VOUCH_ERR_BAD_CERT,
		    "admission: %d admission extensions", count);
		goto out;
	}
	if (X509_EXTENSION_get_critical(found)) {
		rv = vouch_fail(ctx, VOUCH_ERR_BAD_CERT,
		    "admission: extension marked critical");
		goto out;
	}
	os = X509_EXTENSION_get_data(found);
	if (os == NULL || ASN1_STRING_length(os) < 0) {
		rv = vouch_fail(ctx, VOUCH_ERR_BAD_CERT,
		    "admission: extension without a value");
		goto out;
	}
	rv = ca_admission_ext_decode(ctx, ASN1_STRING_get0_data(os),
	    (size_t)ASN1_STRING_length(os), out);
 out:
	ASN1_OBJECT_free(oid);
	ERR_clear_error();
	return rv;
}

/* An EC key on P-384 or P-256: what TEEs generate and TLS 1.3 signs with. */
static bool
is_admission_key(EVP_PKEY *key)
{
	char group[CA_GROUP_NAME_MAX];
	size_t glen = 0;

	if (key == NULL || EVP_PKEY_get_base_id(key) != EVP_PKEY_EC) {
		return false;
	}
	if (EVP_PKEY_get_group_name(key, group, sizeof(group), &glen) != 1) {
		return false;
	}
	return strcmp(group, "secp384r1") == 0 ||
	    strcmp(group, "prime256v1") == 0;
}

/* |t| as seconds since the epoch. */
static bool
time_to_unix(const ASN1_TIME *t, int64_t *out)
{
	struct tm tm;
	time_t v;

	memset(&tm, 0, sizeof(tm));
	if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1) {
		return false;
	}
	v = timegm(&tm);
	if (v == (time_t)-1) {
		return false;
	}
	*out = (int64_t)v;
	return true;
}

/* The serial of |x| as exactly 32 lower-case hex digits. */
static enum vouch_err
serial_hex(struct vouch_ctx *ctx, X509 *x, char out[CA_SERIAL_HEX_LEN + 1])
{
	enum vouch_err rv = VOUCH_ERR_INTERNAL;
	BIGNUM *bn;
	uint8_t raw[CA_SERIAL_HEX_LEN / 2];

	bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);
	if (bn == NULL || BN_is_negative(bn) ||
	    BN_num_bytes(bn) > (int)sizeof(raw) ||
	    BN_bn2binpad(bn, raw, (int)sizeof(raw)) != (int)sizeof(raw) ||
	    !vouch_hex_encode(raw, sizeof(raw), out, CA_SERIAL_HEX_LEN + 1)) {
		rv = vouch_fail(ctx, VOUCH_ERR_INTERNAL,
		    "admission: serial is not 128 bits");
		goto out;
	}
	rv = VOUCH_OK;
 out:
	BN_free(bn);
	return rv;
}

enum vouch_err
ca_issue_admission(struct vouch_ctx *ctx, X509 *issuer_cert,
    EVP_PKEY *issuer_key, X509 *domain_root, EVP_PKEY *subject_pub,
    const struct ca_admission *adm, int64_t now, int64_t lifetime_seconds,
    X509 **out, char out_serial_hex[CA_SERIAL_HEX_LEN + 1])
{
	enum vouch_err rv = VOUCH_ERR_INTERNAL;
	struct vouch_cert_spec spec;
	uint8_t *ext = NULL;
	size_t ext_len = 0, cn_bytes;
	int64_t issuer_nb, issuer_na, not_before, not_after;
	char uri[VOUCH_DOMAIN_URI_MAX];
	char cn[sizeof("vouch admission ") + 2 * CA_CN_MEASUREMENT_BYTES];
	char hex[2 * CA_CN_MEASUREMENT_BYTES + 1];
	X509 *x = NULL;

	*out = NULL;
	out_serial_hex[0] = '\0';
	if (issuer_cert == NULL || issuer_key == NULL || domain_root == NULL ||
	    adm == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "admission: missing argument");
	}
	if (lifetime_seconds <= 0 ||
	    lifetime_seconds > CA_ADMISSION_LIFETIME_MAX) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "admission: lifetime %lld out of 1..%d seconds",
		    (long long)lifetime_seconds, CA_ADMISSION_LIFETIME_MAX);
	}
	if (!is_admission_key(subject_pub)) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_KEY,
		    "admission: subject key is not EC P-384 or P-256");
	}
	if (X509_check_private_key(issuer_cert, issuer_key) != 1) {
		ERR_clear_error();
		return vouch_fail(ctx, VOUCH_ERR_BAD_KEY,
		    "admission: issuer key does not match its certificate");
	}
	if (!time_to_unix(X509_get0_notBefore(issuer_cert), &issuer_nb) ||
	    !time_to_unix(X509_get0_notAfter(issuer_cert), &issuer_na)) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_CERT,
		    "admission: issuer validity unreadable");
	}
	if (issuer_na <= now) {
		return vouch_fail(ctx, VOUCH_ERR_CERT_EXPIRED,
		    "admission: the issuing certificate has expired");
	}
	if (issuer_nb > now) {
		return vouch_fail(ctx, VOUCH_ERR_CERT_NOT_YET_VALID,
		    "admission: the issuing certificate is not yet valid");
	}
	if (now < INT64_MIN + CA_ADMISSION_BACKDATE ||
	    lifetime_seconds > INT64_MAX - now) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "admission: time out of range");
	}
	/* Within the issuer's validity, so the chain is valid throughout. */
	not_before = now - CA_ADMISSION_BACKDATE;
	if (not_before < issuer_nb) {
		not_before = issuer_nb;
	}
	not_after = now + lifetime_seconds;
	if (not_after > issuer_na) {
		not_after = issuer_na;
	}

	rv = ca_admission_ext_encode(ctx, adm->platform, adm->measurement,
	    adm->measurement_len, adm->policy_version, adm->release, &ext,
	    &ext_len);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = vouch_domain_uri(ctx, domain_root, uri, sizeof(uri));
	if (rv != VOUCH_OK) {
		goto out;
	}
	cn_bytes = adm->measurement_len < CA_CN_MEASUREMENT_BYTES ?
	    adm->measurement_len : CA_CN_MEASUREMENT_BYTES;
	if (!vouch_hex_encode(adm->measurement, cn_bytes, hex, sizeof(hex))) {
		rv = vouch_fail(ctx, VOUCH_ERR_INTERNAL, "admission: CN");
		goto out;
	}
	(void)snprintf(cn, sizeof(cn), "vouch admission %s", hex);

	memset(&spec, 0, sizeof(spec));
	spec.common_name = cn;
	spec.not_before = not_before;
	spec.not_after = not_after;
	spec.is_ca = false;
	spec.path_len = -1;
	spec.eku_client = true;
	spec.eku_server = true;
	spec.uri_san = uri;
	spec.ext_oid = VOUCH_OID_ADMISSION;
	spec.ext_der = ext;
	spec.ext_der_len = ext_len;
	rv = vouch_cert_build(ctx, &spec, subject_pub, issuer_cert, issuer_key,
	    &x);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = serial_hex(ctx, x, out_serial_hex);
	if (rv != VOUCH_OK) {
		out_serial_hex[0] = '\0';
		goto out;
	}
	*out = x;
	x = NULL;
 out:
	X509_free(x);
	free(ext);
	return rv;
}

enum vouch_err
ca_chain_pem(struct vouch_ctx *ctx, X509 *leaf, X509 *issuer, char **out)
{
	enum vouch_err rv = VOUCH_ERR_CRYPTO;
	BIO *bio = NULL;
	char *data = NULL, *copy;
	long len;

	*out = NULL;
	if (leaf == NULL || issuer == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "chain: missing certificate");
	}
	bio = BIO_new(BIO_s_mem());
	if (bio == NULL || PEM_write_bio_X509(bio, leaf) != 1 ||
	    PEM_write_bio_X509(bio, issuer) != 1) {
		rv = vouch_fail(ctx, VOUCH_ERR_CRYPTO,
		    "chain: cannot write PEM");
		goto out;
	}
	len = BIO_get_mem_data(bio, &data);
	if (len <= 0 || data == NULL) {
		rv = vouch_fail(ctx, VOUCH_ERR_CRYPTO, "chain: empty PEM");
		goto out;
	}
	copy = malloc((size_t)len + 1);
	if (copy == NULL) {
		rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
		goto out;
	}
	memcpy(copy, data, (size_t)len);
	copy[len] = '\0';
	*out = copy;
	rv = VOUCH_OK;
 out:
	BIO_free(bio);
	ERR_clear_error();
	return rv;
}
