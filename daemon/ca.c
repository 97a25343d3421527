/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The issuing CA: the VouchAdmission extension (built with cbb, read back
 * strictly with cbs) and the admission certificate profile of
 * docs/admission.md, written as DER with cbb and signed with
 * vouch_ecdsa_sign_der: byte for byte what vouch_cert_build makes for
 * this profile, at a fraction of its cost per certificate.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
	size_t plen = 0, rlen = 0;

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

/*
 * The admission certificate is written here as DER, field by field, and
 * signed over its TBSCertificate: the same bytes OpenSSL's X509 builder
 * (vouch_cert_build) produces for this profile, without its cost per
 * certificate (the subject key re-encoded through the provider
 * encoders and decoders, the extensions parsed from configuration
 * strings).  The fixed parts, in the order vouch_cert_build adds them:
 */
/* ecdsa-with-SHA384 and ecdsa-with-SHA256, parameters absent (RFC 5758 §3.2). */
static const uint8_t der_alg_ecdsa_sha384[] = {
	0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03,
};
static const uint8_t der_alg_ecdsa_sha256[] = {
	0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02,
};
/* basicConstraints, critical, CA:FALSE (the DEFAULT, so an empty SEQUENCE). */
static const uint8_t der_ext_basic_constraints[] = {
	0x30, 0x0c, 0x06, 0x03, 0x55, 0x1d, 0x13, 0x01, 0x01, 0xff, 0x04, 0x02,
	0x30, 0x00,
};
/* keyUsage, critical, digitalSignature. */
static const uint8_t der_ext_key_usage[] = {
	0x30, 0x0e, 0x06, 0x03, 0x55, 0x1d, 0x0f, 0x01, 0x01, 0xff, 0x04, 0x04,
	0x03, 0x02, 0x07, 0x80,
};
/* extKeyUsage clientAuth, serverAuth, in that order. */
static const uint8_t der_ext_eku[] = {
	0x30, 0x1d, 0x06, 0x03, 0x55, 0x1d, 0x25, 0x04, 0x16, 0x30, 0x14, 0x06,
	0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x02, 0x06, 0x08, 0x2b,
	0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01,
};
static const uint8_t oid_common_name[] = { 0x55, 0x04, 0x03 };
static const uint8_t oid_subject_alt_name[] = { 0x55, 0x1d, 0x11 };
static const uint8_t oid_subject_key_id[] = { 0x55, 0x1d, 0x0e };
static const uint8_t oid_authority_key_id[] = { 0x55, 0x1d, 0x23 };
static const uint8_t oid_ec_public_key[] = {
	0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01,
};
static const uint8_t oid_secp384r1[] = { 0x2b, 0x81, 0x04, 0x00, 0x22 };
static const uint8_t oid_prime256v1[] = {
	0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07,
};
/* Longest subjectAltName URI (as vouch_cert_build). */
#define CA_URI_MAX		110
/* Serial bytes: 128 random bits, as vouch_cert_build. */
#define CA_SERIAL_BYTES		(CA_SERIAL_HEX_LEN / 2)
/* The SHA-1 key identifier of RFC 5280 §4.2.1.2 (1). */
#define CA_KEY_ID_BYTES		20

/* True when |key| is an EC key on the named curve |group|. */
static bool
ec_group_is(EVP_PKEY *key, const char *group)
{
	char name[CA_GROUP_NAME_MAX];
	size_t len = 0;

	return key != NULL && EVP_PKEY_get_base_id(key) == EVP_PKEY_EC &&
	    EVP_PKEY_get_group_name(key, name, sizeof(name), &len) == 1 &&
	    strcmp(name, group) == 0;
}

/*
 * The public key bits (the BIT STRING contents after its unused-bits
 * octet, which must be 0) of the DER SubjectPublicKeyInfo |spki|, and its
 * AlgorithmIdentifier contents in |alg|.
 */
static bool
spki_parts(const uint8_t *spki, size_t len, struct cbs *alg, struct cbs *bits)
{
	struct cbs c, seq;
	uint8_t unused;

	cbs_init(&c, spki, len);
	return cbs_get_asn1(&c, &seq, CBS_ASN1_SEQUENCE) && cbs_is_empty(&c) &&
	    cbs_get_asn1(&seq, alg, CBS_ASN1_SEQUENCE) &&
	    cbs_get_asn1(&seq, bits, CBS_ASN1_BITSTRING) && cbs_is_empty(&seq) &&
	    cbs_get_u8(bits, &unused) && unused == 0 && cbs_len(bits) > 0;
}

/*
 * |spki| is an uncompressed EC point on P-384 or P-256 under the named
 * curve (RFC 5480): the form vouch_ec_pubkey_from_pem accepts.
 */
static bool
spki_is_admission_key(const uint8_t *spki, size_t len)
{
	struct cbs alg, bits, oid, curve;
	size_t want;

	if (!spki_parts(spki, len, &alg, &bits) ||
	    !cbs_get_asn1(&alg, &oid, CBS_ASN1_OBJECT) ||
	    !cbs_mem_equal(&oid, oid_ec_public_key, sizeof(oid_ec_public_key)) ||
	    !cbs_get_asn1(&alg, &curve, CBS_ASN1_OBJECT) || !cbs_is_empty(&alg)) {
		return false;
	}
	if (cbs_mem_equal(&curve, oid_secp384r1, sizeof(oid_secp384r1))) {
		want = 1 + 2 * 48;
	} else if (cbs_mem_equal(&curve, oid_prime256v1,
	    sizeof(oid_prime256v1))) {
		want = 1 + 2 * 32;
	} else {
		return false;
	}
	return cbs_len(&bits) == want && cbs_data(&bits)[0] == 0x04;
}

/* An OCTET STRING-wrapped extension: SEQUENCE { OID, [critical,] OCTET STRING }. */
static bool
cbb_ext_open(struct cbb *exts, struct cbb *ext, struct cbb *value,
    const uint8_t *oid, size_t oid_len)
{
	struct cbb o;

	return cbb_add_asn1(exts, ext, CBS_ASN1_SEQUENCE) &&
	    cbb_add_asn1(ext, &o, CBS_ASN1_OBJECT) &&
	    cbb_add_bytes(&o, oid, oid_len) &&
	    cbb_add_asn1(ext, value, CBS_ASN1_OCTETSTRING);
}

/*
 * |t| as ASN1_TIME_set writes it: UTCTime for the years 1950 to 2049,
 * GeneralizedTime otherwise (RFC 5280 §4.1.2.5).
 */
static bool
cbb_add_x509_time(struct cbb *cbb, int64_t t)
{
	struct cbb e;
	struct tm tm;
	time_t tt = (time_t)t;
	char buf[32];
	int n;
	unsigned tag;

	if ((int64_t)tt != t || gmtime_r(&tt, &tm) == NULL) {
		return false;
	}
	if (tm.tm_year >= 50 && tm.tm_year < 150) {
		tag = CBS_ASN1_UTCTIME;
		n = snprintf(buf, sizeof(buf), "%02d%02d%02d%02d%02d%02dZ",
		    tm.tm_year % 100, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec);
	} else {
		if (tm.tm_year < -1900 || tm.tm_year > 8099) {
			return false;
		}
		tag = CBS_ASN1_GENERALIZEDTIME;
		n = snprintf(buf, sizeof(buf), "%04d%02d%02d%02d%02d%02dZ",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec);
	}
	return n > 0 && (size_t)n < sizeof(buf) &&
	    cbb_add_asn1(cbb, &e, tag) &&
	    cbb_add_bytes(&e, (const uint8_t *)buf, (size_t)n) && cbb_flush(cbb);
}

/*
 * Build and sign the admission certificate: |spki| is the subject's DER
 * SubjectPublicKeyInfo, |uri| the domain URI, |ext| the encoded
 * VouchAdmission.  The checks of ca_issue_admission are done.  On
 * VOUCH_OK |*out| is the malloc'd DER certificate and |serial| its
 * serial in hex.
 */
static enum vouch_err
admission_der(struct vouch_ctx *ctx, X509 *issuer_cert, EVP_PKEY *issuer_key,
    const char *uri, const uint8_t *spki, size_t spki_len,
    const struct ca_admission *adm, const uint8_t *ext, size_t ext_len,
    int64_t not_before, int64_t not_after, uint8_t **out, size_t *out_len,
    char serial_hex[CA_SERIAL_HEX_LEN + 1])
{
	enum vouch_err rv;
	struct cbb tbs, cert, seq, f, g, h, exts, e, v, w;
	struct cbs alg_cbs, bits;
	const uint8_t *alg;
	const ASN1_OCTET_STRING *ikid;
	ASN1_OBJECT *adm_oid = NULL;
	uint8_t serial[CA_SERIAL_BYTES], ski[CA_KEY_ID_BYTES];
	uint8_t sig[VOUCH_ECDSA_DER_MAX], *issuer_name = NULL, *tbs_der = NULL;
	size_t alg_len, cn_bytes, tbs_len = 0, sig_len = 0;
	char cn[sizeof("vouch admission ") + 2 * CA_CN_MEASUREMENT_BYTES];
	char hex[2 * CA_CN_MEASUREMENT_BYTES + 1];
	unsigned int ski_len = 0;
	int name_len;
	bool ok;

	*out = NULL;
	*out_len = 0;
	serial_hex[0] = '\0';
	(void)cbb_init(&tbs, VOUCH_CERT_MAX_BYTES);
	(void)cbb_init(&cert, VOUCH_CERT_MAX_BYTES);
	cn_bytes = adm->measurement_len < CA_CN_MEASUREMENT_BYTES ?
	    adm->measurement_len : CA_CN_MEASUREMENT_BYTES;
	if (!vouch_hex_encode(adm->measurement, cn_bytes, hex, sizeof(hex))) {
		rv = vouch_fail(ctx, VOUCH_ERR_INTERNAL, "admission: CN");
		goto out;
	}
	(void)snprintf(cn, sizeof(cn), "vouch admission %s", hex);
	if (ec_group_is(issuer_key, "secp384r1")) {
		alg = der_alg_ecdsa_sha384;
		alg_len = sizeof(der_alg_ecdsa_sha384);
	} else if (ec_group_is(issuer_key, "prime256v1")) {
		alg = der_alg_ecdsa_sha256;
		alg_len = sizeof(der_alg_ecdsa_sha256);
	} else {
		rv = vouch_fail(ctx, VOUCH_ERR_BAD_KEY,
		    "issuer key is not P-256 or P-384");
		goto out;
	}
	rv = vouch_random(ctx, serial, sizeof(serial));
	if (rv != VOUCH_OK) {
		goto out;
	}
	/* RFC 5280 §4.1.2.2: positive, at most 20 octets; never a 0x00 pad. */
	serial[0] &= 0x7f;
	serial[0] |= 0x40;
	if (strlen(uri) > CA_URI_MAX) {
		rv = vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "subject alternative name too long");
		goto out;
	}
	/* From here on every failure is the builder's. */
	rv = VOUCH_ERR_CRYPTO;
	ikid = X509_get0_subject_key_id(issuer_cert);
	name_len = i2d_X509_NAME(X509_get_subject_name(issuer_cert),
	    &issuer_name);
	adm_oid = OBJ_txt2obj(VOUCH_OID_ADMISSION, 1);
	if (ikid == NULL || name_len <= 0 || adm_oid == NULL ||
	    !spki_parts(spki, spki_len, &alg_cbs, &bits) ||
	    EVP_Digest(cbs_data(&bits), cbs_len(&bits), ski, &ski_len,
	    EVP_sha1(), NULL) != 1 || ski_len != sizeof(ski)) {
		goto err;
	}
	/*= RFC 5280 §4.1, TBSCertificate */
	ok = cbb_add_asn1(&tbs, &seq, CBS_ASN1_SEQUENCE) &&
	    /* version [0] EXPLICIT v3 */
	    cbb_add_asn1(&seq, &f, CBS_ASN1_CONTEXT_SPECIFIC |
	    CBS_ASN1_CONSTRUCTED | 0) && cbb_add_asn1_uint64(&f, 2) &&
	    cbb_add_asn1(&seq, &f, CBS_ASN1_INTEGER) &&
	    cbb_add_bytes(&f, serial, sizeof(serial)) &&
	    cbb_add_bytes(&seq, alg, alg_len) &&
	    cbb_add_bytes(&seq, issuer_name, (size_t)name_len) &&
	    cbb_add_asn1(&seq, &f, CBS_ASN1_SEQUENCE) &&
	    cbb_add_x509_time(&f, not_before) &&
	    cbb_add_x509_time(&f, not_after) &&
	    /* subject: one RDN, commonName as a UTF8String */
	    cbb_add_asn1(&seq, &f, CBS_ASN1_SEQUENCE) &&
	    cbb_add_asn1(&f, &g, CBS_ASN1_SET) &&
	    cbb_add_asn1(&g, &h, CBS_ASN1_SEQUENCE) &&
	    cbb_add_asn1(&h, &e, CBS_ASN1_OBJECT) &&
	    cbb_add_bytes(&e, oid_common_name, sizeof(oid_common_name)) &&
	    cbb_add_asn1_utf8(&h, cn, strlen(cn)) &&
	    cbb_add_bytes(&seq, spki, spki_len) &&
	    /* extensions [3] EXPLICIT */
	    cbb_add_asn1(&seq, &f, CBS_ASN1_CONTEXT_SPECIFIC |
	    CBS_ASN1_CONSTRUCTED | 3) &&
	    cbb_add_asn1(&f, &exts, CBS_ASN1_SEQUENCE) &&
	    cbb_add_bytes(&exts, der_ext_basic_constraints,
	    sizeof(der_ext_basic_constraints)) &&
	    cbb_add_bytes(&exts, der_ext_key_usage, sizeof(der_ext_key_usage)) &&
	    cbb_add_bytes(&exts, der_ext_eku, sizeof(der_ext_eku)) &&
	    cbb_ext_open(&exts, &e, &v, OBJ_get0_data(adm_oid),
	    OBJ_length(adm_oid)) &&
	    cbb_add_bytes(&v, ext, ext_len) &&
	    cbb_ext_open(&exts, &e, &v, oid_subject_alt_name,
	    sizeof(oid_subject_alt_name)) &&
	    cbb_add_asn1(&v, &w, CBS_ASN1_SEQUENCE) &&
	    cbb_add_asn1(&w, &g, CBS_ASN1_CONTEXT_SPECIFIC | 6) &&
	    cbb_add_bytes(&g, (const uint8_t *)uri, strlen(uri)) &&
	    cbb_ext_open(&exts, &e, &v, oid_subject_key_id,
	    sizeof(oid_subject_key_id)) &&
	    cbb_add_asn1_octet_string(&v, ski, sizeof(ski)) &&
	    cbb_ext_open(&exts, &e, &v, oid_authority_key_id,
	    sizeof(oid_authority_key_id)) &&
	    cbb_add_asn1(&v, &w, CBS_ASN1_SEQUENCE) &&
	    cbb_add_asn1(&w, &g, CBS_ASN1_CONTEXT_SPECIFIC | 0) &&
	    cbb_add_bytes(&g, ASN1_STRING_get0_data(ikid),
	    (size_t)ASN1_STRING_length(ikid)) &&
	    cbb_finish(&tbs, &tbs_der, &tbs_len);
	if (!ok) {
		goto err;
	}
	rv = vouch_ecdsa_sign_der(ctx, issuer_key, tbs_der, tbs_len, sig,
	    sizeof(sig), &sig_len);
	if (rv != VOUCH_OK) {
		goto out;
	}
	/*= RFC 5280 §4.1, Certificate */
	rv = VOUCH_ERR_CRYPTO;
	ok = cbb_add_asn1(&cert, &seq, CBS_ASN1_SEQUENCE) &&
	    cbb_add_bytes(&seq, tbs_der, tbs_len) &&
	    cbb_add_bytes(&seq, alg, alg_len) &&
	    cbb_add_asn1(&seq, &f, CBS_ASN1_BITSTRING) &&
	    cbb_add_u8(&f, 0) && cbb_add_bytes(&f, sig, sig_len) &&
	    cbb_finish(&cert, out, out_len);
	if (!ok ||
	    !vouch_hex_encode(serial, sizeof(serial), serial_hex,
	    CA_SERIAL_HEX_LEN + 1)) {
		free(*out);
		*out = NULL;
		*out_len = 0;
		serial_hex[0] = '\0';
		goto err;
	}
	rv = VOUCH_OK;
	goto out;
 err:
	rv = vouch_fail(ctx, VOUCH_ERR_CRYPTO, "cannot build certificate");
 out:
	cbb_cleanup(&tbs);
	cbb_cleanup(&cert);
	free(tbs_der);
	OPENSSL_free(issuer_name);
	ASN1_OBJECT_free(adm_oid);
	ERR_clear_error();
	return rv;
}

/*
 * The checks shared by both ways of issuing, in this order: arguments,
 * lifetime, the subject key (|subject_ok|), the issuer key against its
 * certificate, the issuer's validity at |now|; then the validity period.
 */
static enum vouch_err
admission_check(struct vouch_ctx *ctx, X509 *issuer_cert, EVP_PKEY *issuer_key,
    const void *domain, const struct ca_admission *adm, bool subject_ok,
    int64_t now, int64_t lifetime_seconds, int64_t *out_nb, int64_t *out_na)
{
	int64_t issuer_nb, issuer_na, not_before, not_after;

	if (issuer_cert == NULL || issuer_key == NULL || domain == NULL ||
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
	if (!subject_ok) {
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
	*out_nb = not_before;
	*out_na = not_after;
	return VOUCH_OK;
}

enum vouch_err
ca_issue_admission(struct vouch_ctx *ctx, X509 *issuer_cert,
    EVP_PKEY *issuer_key, X509 *domain_root, EVP_PKEY *subject_pub,
    const struct ca_admission *adm, int64_t now, int64_t lifetime_seconds,
    X509 **out, char out_serial_hex[CA_SERIAL_HEX_LEN + 1])
{
	enum vouch_err rv;
	uint8_t *ext = NULL, *spki = NULL, *der = NULL;
	const uint8_t *p;
	size_t ext_len = 0, der_len = 0;
	int64_t not_before = 0, not_after = 0;
	char uri[VOUCH_DOMAIN_URI_MAX];
	int spki_len;

	*out = NULL;
	out_serial_hex[0] = '\0';
	rv = admission_check(ctx, issuer_cert, issuer_key, domain_root, adm,
	    is_admission_key(subject_pub), now, lifetime_seconds, &not_before,
	    &not_after);
	if (rv != VOUCH_OK) {
		return rv;
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
	/* What X509_set_pubkey would have put in the certificate. */
	spki_len = i2d_PUBKEY(subject_pub, &spki);
	if (spki_len <= 0) {
		rv = vouch_fail(ctx, VOUCH_ERR_CRYPTO, "cannot build certificate");
		goto out;
	}
	rv = admission_der(ctx, issuer_cert, issuer_key, uri, spki,
	    (size_t)spki_len, adm, ext, ext_len, not_before, not_after, &der,
	    &der_len, out_serial_hex);
	if (rv != VOUCH_OK) {
		goto out;
	}
	p = der;
	*out = d2i_X509(NULL, &p, (long)der_len);
	if (*out == NULL || p != der + der_len) {
		X509_free(*out);
		*out = NULL;
		out_serial_hex[0] = '\0';
		rv = vouch_fail(ctx, VOUCH_ERR_CRYPTO, "cannot build certificate");
		goto out;
	}
	rv = VOUCH_OK;
 out:
	free(der);
	OPENSSL_free(spki);
	free(ext);
	ERR_clear_error();
	return rv;
}

/* Append |der| to |out| as a PEM block, 64 columns, as PEM_write_bio does. */
static bool
pem_append(char *out, size_t cap, size_t *off, const char *label,
    const uint8_t *der, size_t len)
{
	size_t i, n, line;
	int w;

	w = snprintf(out + *off, cap - *off, "-----BEGIN %s-----\n", label);
	if (w < 0 || (size_t)w >= cap - *off) {
		return false;
	}
	*off += (size_t)w;
	for (i = 0; i < len; i += n) {
		n = len - i < 48 ? len - i : 48;
		line = vouch_b64_encoded_len(n, false);
		if (line + 2 > cap - *off ||
		    !vouch_b64_encode(der + i, n, false, out + *off, cap - *off)) {
			return false;
		}
		*off += line;
		out[(*off)++] = '\n';
	}
	w = snprintf(out + *off, cap - *off, "-----END %s-----\n", label);
	if (w < 0 || (size_t)w >= cap - *off) {
		return false;
	}
	*off += (size_t)w;
	return true;
}

/* Room for the PEM of |len| DER bytes under a CERTIFICATE label. */
static size_t
pem_cap(size_t len)
{
	return vouch_b64_encoded_len(len, false) + len / 48 + 1 + 64;
}

enum vouch_err
ca_issue_admission_pem(struct vouch_ctx *ctx, X509 *issuer_cert,
    EVP_PKEY *issuer_key, const char *domain_uri, const uint8_t *spki,
    size_t spki_len, const struct ca_admission *adm, int64_t now,
    int64_t lifetime_seconds, char **out_chain,
    char out_serial_hex[CA_SERIAL_HEX_LEN + 1])
{
	enum vouch_err rv;
	uint8_t *ext = NULL, *der = NULL, *issuer_der = NULL;
	size_t ext_len = 0, der_len = 0, cap, off = 0;
	int64_t not_before = 0, not_after = 0;
	int issuer_len;
	char *pem = NULL;

	*out_chain = NULL;
	out_serial_hex[0] = '\0';
	rv = admission_check(ctx, issuer_cert, issuer_key, domain_uri, adm,
	    spki != NULL && spki_is_admission_key(spki, spki_len), now,
	    lifetime_seconds, &not_before, &not_after);
	if (rv != VOUCH_OK) {
		return rv;
	}
	rv = ca_admission_ext_encode(ctx, adm->platform, adm->measurement,
	    adm->measurement_len, adm->policy_version, adm->release, &ext,
	    &ext_len);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = admission_der(ctx, issuer_cert, issuer_key, domain_uri, spki,
	    spki_len, adm, ext, ext_len, not_before, not_after, &der, &der_len,
	    out_serial_hex);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = VOUCH_ERR_CRYPTO;
	issuer_len = i2d_X509(issuer_cert, &issuer_der);
	if (issuer_len <= 0) {
		rv = vouch_fail(ctx, VOUCH_ERR_CRYPTO, "chain: cannot write PEM");
		goto out;
	}
	cap = pem_cap(der_len) + pem_cap((size_t)issuer_len) + 1;
	pem = malloc(cap);
	if (pem == NULL) {
		rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
		goto out;
	}
	if (!pem_append(pem, cap, &off, "CERTIFICATE", der, der_len) ||
	    !pem_append(pem, cap, &off, "CERTIFICATE", issuer_der,
	    (size_t)issuer_len)) {
		rv = vouch_fail(ctx, VOUCH_ERR_CRYPTO, "chain: cannot write PEM");
		goto out;
	}
	pem[off] = '\0';
	*out_chain = pem;
	pem = NULL;
	rv = VOUCH_OK;
 out:
	if (rv != VOUCH_OK) {
		out_serial_hex[0] = '\0';
	}
	free(pem);
	OPENSSL_free(issuer_der);
	free(der);
	free(ext);
	ERR_clear_error();
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
