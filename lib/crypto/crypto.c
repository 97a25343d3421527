/* SPDX-License-Identifier: Apache-2.0 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include "bs/bs.h"
#include "crypto/crypto.h"
#include "util/file.h"

enum vouch_err
vouch_random(struct vouch_ctx *ctx, uint8_t *out, size_t n)
{
	if (n > INT32_MAX || RAND_bytes(out, (int)n) != 1) {
		return vouch_fail(ctx, VOUCH_ERR_CRYPTO, "RAND_bytes failed");
	}
	return VOUCH_OK;
}

static void
digest(const EVP_MD *md, const uint8_t *in, size_t n, uint8_t *out)
{
	unsigned int len = 0;

	/* EVP_Digest fails only on allocation failure; fail closed. */
	if (EVP_Digest(in, n, out, &len, md, NULL) != 1) {
		abort();
	}
}

void
vouch_sha256(const uint8_t *in, size_t n, uint8_t out[VOUCH_SHA256_BYTES])
{
	digest(EVP_sha256(), in, n, out);
}

void
vouch_sha384(const uint8_t *in, size_t n, uint8_t out[VOUCH_SHA384_BYTES])
{
	digest(EVP_sha384(), in, n, out);
}

void
vouch_sha512(const uint8_t *in, size_t n, uint8_t out[VOUCH_SHA512_BYTES])
{
	digest(EVP_sha512(), in, n, out);
}

enum vouch_err
vouch_sha384_file(struct vouch_ctx *ctx, const char *path,
    uint8_t out[VOUCH_SHA384_BYTES])
{
	enum vouch_err rv = VOUCH_ERR_IO;
	EVP_MD_CTX *md = NULL;
	uint8_t buf[65536];
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1) {
		return vouch_fail(ctx, VOUCH_ERR_NOT_FOUND, "%s: cannot open",
		    path);
	}
	md = EVP_MD_CTX_new();
	if (md == NULL || EVP_DigestInit_ex(md, EVP_sha384(), NULL) != 1) {
		rv = vouch_fail(ctx, VOUCH_ERR_CRYPTO, "sha384 init");
		goto out;
	}
	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n == 0) {
			break;
		}
		if (n < 0) {
			rv = vouch_fail(ctx, VOUCH_ERR_IO, "%s: read error", path);
			goto out;
		}
		if (EVP_DigestUpdate(md, buf, (size_t)n) != 1) {
			rv = vouch_fail(ctx, VOUCH_ERR_CRYPTO, "sha384 update");
			goto out;
		}
	}
	if (EVP_DigestFinal_ex(md, out, NULL) != 1) {
		rv = vouch_fail(ctx, VOUCH_ERR_CRYPTO, "sha384 final");
		goto out;
	}
	rv = VOUCH_OK;
 out:
	EVP_MD_CTX_free(md);
	close(fd);
	return rv;
}

enum vouch_err
vouch_key_gen_p384(struct vouch_ctx *ctx, EVP_PKEY **out)
{
	*out = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
	if (*out == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_CRYPTO, "P-384 key generation");
	}
	return VOUCH_OK;
}

/* Curve order width in bytes and the digest ECDSA uses with it. */
static bool
ec_params(const EVP_PKEY *key, size_t *width, const EVP_MD **md)
{
	char group[64];
	size_t glen = 0;

	if (EVP_PKEY_get_base_id(key) != EVP_PKEY_EC) {
		return false;
	}
	if (EVP_PKEY_get_group_name(key, group, sizeof(group), &glen) != 1) {
		return false;
	}
	if (strcmp(group, "secp384r1") == 0) {
		*width = 48;
		*md = EVP_sha384();
		return true;
	}
	if (strcmp(group, "prime256v1") == 0) {
		*width = 32;
		*md = EVP_sha256();
		return true;
	}
	return false;
}

bool
vouch_key_is_p384(const EVP_PKEY *key)
{
	size_t w;
	const EVP_MD *md;

	return key != NULL && ec_params(key, &w, &md) && w == 48;
}

enum vouch_err
vouch_key_write_pem(struct vouch_ctx *ctx, const char *path, EVP_PKEY *key)
{
	enum vouch_err rv = VOUCH_ERR_CRYPTO;
	BIO *bio;
	char *data = NULL;
	long len;

	bio = BIO_new(BIO_s_secmem());
	if (bio == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "BIO_new");
	}
	if (PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0, NULL, NULL) != 1) {
		rv = vouch_fail(ctx, VOUCH_ERR_CRYPTO, "cannot encode key");
		goto out;
	}
	len = BIO_get_mem_data(bio, &data);
	if (len <= 0) {
		rv = vouch_fail(ctx, VOUCH_ERR_CRYPTO, "cannot encode key");
		goto out;
	}
	rv = vouch_file_write(ctx, path, (const uint8_t *)data, (size_t)len,
	    0600);
 out:
	BIO_free(bio);
	return rv;
}

enum vouch_err
vouch_key_read_pem(struct vouch_ctx *ctx, const char *path, EVP_PKEY **out)
{
	enum vouch_err rv;
	uint8_t *buf = NULL;
	size_t len = 0;
	BIO *bio = NULL;

	*out = NULL;
	rv = vouch_file_read(ctx, path, VOUCH_PEM_FILE_MAX_BYTES, &buf, &len);
	if (rv != VOUCH_OK) {
		return rv;
	}
	bio = BIO_new_mem_buf(buf, (int)len);
	if (bio == NULL) {
		rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "BIO_new_mem_buf");
		goto out;
	}
	*out = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
	if (*out == NULL) {
		rv = vouch_fail(ctx, VOUCH_ERR_BAD_KEY, "%s: not a PEM private key",
		    path);
		goto out;
	}
	rv = VOUCH_OK;
 out:
	BIO_free(bio);
	vouch_freezero(buf, len);
	ERR_clear_error();
	return rv;
}

enum vouch_err
vouch_key_spki_sha256(struct vouch_ctx *ctx, EVP_PKEY *key,
    uint8_t out[VOUCH_SHA256_BYTES])
{
	uint8_t *der = NULL;
	int len;

	len = i2d_PUBKEY(key, &der);
	if (len <= 0) {
		return vouch_fail(ctx, VOUCH_ERR_CRYPTO, "cannot encode public key");
	}
	vouch_sha256(der, (size_t)len, out);
	OPENSSL_free(der);
	return VOUCH_OK;
}

enum vouch_err
vouch_ecdsa_sign_raw(struct vouch_ctx *ctx, EVP_PKEY *key, const uint8_t *msg,
    size_t n, uint8_t *sig, size_t sig_len)
{
	enum vouch_err rv = VOUCH_ERR_CRYPTO;
	EVP_MD_CTX *md = NULL;
	const EVP_MD *alg;
	ECDSA_SIG *es = NULL;
	const BIGNUM *r, *s;
	uint8_t der[160];
	const uint8_t *p = der;
	size_t der_len = sizeof(der), width;

	if (!ec_params(key, &width, &alg) || sig_len != 2 * width) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_KEY,
		    "signing key is not P-256 or P-384");
	}
	md = EVP_MD_CTX_new();
	if (md == NULL ||
	    EVP_DigestSignInit(md, NULL, alg, NULL, key) != 1 ||
	    EVP_DigestSign(md, der, &der_len, msg, n) != 1) {
		rv = vouch_fail(ctx, VOUCH_ERR_CRYPTO, "ECDSA signing failed");
		goto out;
	}
	es = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
	if (es == NULL) {
		rv = vouch_fail(ctx, VOUCH_ERR_CRYPTO, "ECDSA signature decode");
		goto out;
	}
	ECDSA_SIG_get0(es, &r, &s);
	if (BN_bn2binpad(r, sig, (int)width) != (int)width ||
	    BN_bn2binpad(s, sig + width, (int)width) != (int)width) {
		rv = vouch_fail(ctx, VOUCH_ERR_CRYPTO, "ECDSA signature encode");
		goto out;
	}
	rv = VOUCH_OK;
 out:
	ECDSA_SIG_free(es);
	EVP_MD_CTX_free(md);
	return rv;
}

enum vouch_err
vouch_ecdsa_sign_der(struct vouch_ctx *ctx, EVP_PKEY *key, const uint8_t *msg,
    size_t n, uint8_t *sig, size_t cap, size_t *sig_len)
{
	enum vouch_err rv = VOUCH_ERR_CRYPTO;
	EVP_MD_CTX *md = NULL;
	const EVP_MD *alg;
	size_t width, len = cap;

	*sig_len = 0;
	if (!ec_params(key, &width, &alg)) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_KEY,
		    "signing key is not P-256 or P-384");
	}
	md = EVP_MD_CTX_new();
	if (md == NULL ||
	    EVP_DigestSignInit(md, NULL, alg, NULL, key) != 1 ||
	    EVP_DigestSign(md, sig, &len, msg, n) != 1 || len > cap) {
		rv = vouch_fail(ctx, VOUCH_ERR_CRYPTO, "ECDSA signing failed");
		goto out;
	}
	*sig_len = len;
	rv = VOUCH_OK;
 out:
	EVP_MD_CTX_free(md);
	ERR_clear_error();
	return rv;
}

enum vouch_err
vouch_ecdsa_verify_raw(struct vouch_ctx *ctx, EVP_PKEY *pub, const uint8_t *msg,
    size_t n, const uint8_t *sig, size_t sig_len)
{
	enum vouch_err rv = VOUCH_ERR_SIGNATURE_INVALID;
	EVP_MD_CTX *md = NULL;
	const EVP_MD *alg;
	ECDSA_SIG *es = NULL;
	BIGNUM *r = NULL, *s = NULL;
	uint8_t *der = NULL;
	size_t width;
	int der_len, ok;

	if (!ec_params(pub, &width, &alg)) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_KEY,
		    "verification key is not P-256 or P-384");
	}
	if (sig_len != 2 * width) {
		return vouch_fail(ctx, VOUCH_ERR_SIGNATURE_INVALID,
		    "signature has %zu bytes, expected %zu", sig_len, 2 * width);
	}
	es = ECDSA_SIG_new();
	r = BN_bin2bn(sig, (int)width, NULL);
	s = BN_bin2bn(sig + width, (int)width, NULL);
	if (es == NULL || r == NULL || s == NULL || ECDSA_SIG_set0(es, r, s) != 1) {
		BN_free(r);
		BN_free(s);
		rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "ECDSA_SIG");
		goto out;
	}
	der_len = i2d_ECDSA_SIG(es, &der);
	if (der_len <= 0) {
		rv = vouch_fail(ctx, VOUCH_ERR_CRYPTO, "ECDSA signature encode");
		goto out;
	}
	md = EVP_MD_CTX_new();
	if (md == NULL || EVP_DigestVerifyInit(md, NULL, alg, NULL, pub) != 1) {
		rv = vouch_fail(ctx, VOUCH_ERR_CRYPTO, "ECDSA verify init");
		goto out;
	}
	ok = EVP_DigestVerify(md, der, (size_t)der_len, msg, n);
	if (ok != 1) {
		rv = vouch_fail(ctx, VOUCH_ERR_SIGNATURE_INVALID,
		    "ECDSA signature does not verify");
		goto out;
	}
	rv = VOUCH_OK;
 out:
	OPENSSL_free(der);
	ECDSA_SIG_free(es);
	EVP_MD_CTX_free(md);
	ERR_clear_error();
	return rv;
}

enum vouch_err
vouch_cert_from_der(struct vouch_ctx *ctx, const uint8_t *buf, size_t len,
    X509 **out)
{
	const uint8_t *p = buf;
	X509 *x;

	*out = NULL;
	if (len == 0 || len > VOUCH_CERT_MAX_BYTES) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_CERT,
		    "certificate of %zu bytes (limit %u)", len,
		    VOUCH_CERT_MAX_BYTES);
	}
	x = d2i_X509(NULL, &p, (long)len);
	ERR_clear_error();
	if (x == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_CERT,
		    "certificate is not valid DER X.509");
	}
	if (p != buf + len) {
		X509_free(x);
		return vouch_fail(ctx, VOUCH_ERR_TRAILING_DATA,
		    "bytes after the certificate");
	}
	*out = x;
	return VOUCH_OK;
}

enum vouch_err
vouch_certs_parse(struct vouch_ctx *ctx, const uint8_t *buf, size_t len,
    STACK_OF(X509) *stack)
{
	static const char pem_begin[] = "-----BEGIN ";
	enum vouch_err rv;
	BIO *bio;
	X509 *x;
	int count = 0;

	if (len >= sizeof(pem_begin) - 1 &&
	    memmem(buf, len, pem_begin, sizeof(pem_begin) - 1) != NULL) {
		if (len > INT32_MAX) {
			return vouch_fail(ctx, VOUCH_ERR_TOO_LARGE, "PEM too large");
		}
		bio = BIO_new_mem_buf(buf, (int)len);
		if (bio == NULL) {
			return vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "BIO");
		}
		for (;;) {
			x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
			if (x == NULL) {
				break;
			}
			if (count >= VOUCH_VERIFY_MAX_ITEMS ||
			    sk_X509_push(stack, x) == 0) {
				X509_free(x);
				BIO_free(bio);
				return vouch_fail(ctx, VOUCH_ERR_TOO_LARGE,
				    "too many certificates");
			}
			count++;
		}
		BIO_free(bio);
		ERR_clear_error();
		if (count == 0) {
			return vouch_fail(ctx, VOUCH_ERR_BAD_CERT,
			    "no PEM certificate found");
		}
		return VOUCH_OK;
	}
	rv = vouch_cert_from_der(ctx, buf, len, &x);
	if (rv != VOUCH_OK) {
		return rv;
	}
	if (sk_X509_push(stack, x) == 0) {
		X509_free(x);
		return vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "sk_X509_push");
	}
	return VOUCH_OK;
}

enum vouch_err
vouch_cert_write_pem(struct vouch_ctx *ctx, const char *path, X509 *cert)
{
	enum vouch_err rv;
	BIO *bio;
	char *data = NULL;
	long len;

	bio = BIO_new(BIO_s_mem());
	if (bio == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "BIO_new");
	}
	if (PEM_write_bio_X509(bio, cert) != 1 ||
	    (len = BIO_get_mem_data(bio, &data)) <= 0) {
		BIO_free(bio);
		return vouch_fail(ctx, VOUCH_ERR_CRYPTO, "cannot encode certificate");
	}
	rv = vouch_file_write(ctx, path, (const uint8_t *)data, (size_t)len,
	    0644);
	BIO_free(bio);
	return rv;
}

enum vouch_err
vouch_cert_read_pem(struct vouch_ctx *ctx, const char *path, X509 **out)
{
	enum vouch_err rv;
	STACK_OF(X509) *sk;
	uint8_t *buf = NULL;
	size_t len = 0;

	*out = NULL;
	rv = vouch_file_read(ctx, path, VOUCH_PEM_FILE_MAX_BYTES, &buf, &len);
	if (rv != VOUCH_OK) {
		return rv;
	}
	sk = sk_X509_new_null();
	if (sk == NULL) {
		free(buf);
		return vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "sk_X509_new");
	}
	rv = vouch_certs_parse(ctx, buf, len, sk);
	free(buf);
	if (rv == VOUCH_OK && sk_X509_num(sk) != 1) {
		rv = vouch_fail(ctx, VOUCH_ERR_BAD_CERT,
		    "%s: expected exactly one certificate", path);
	}
	if (rv == VOUCH_OK) {
		*out = sk_X509_shift(sk);
	}
	sk_X509_pop_free(sk, X509_free);
	return rv;
}

enum vouch_err
vouch_cert_to_der(struct vouch_ctx *ctx, X509 *cert, uint8_t **out,
    size_t *out_len)
{
	uint8_t *der = NULL, *copy;
	int len;

	*out = NULL;
	*out_len = 0;
	len = i2d_X509(cert, &der);
	if (len <= 0) {
		return vouch_fail(ctx, VOUCH_ERR_CRYPTO, "cannot encode certificate");
	}
	copy = malloc((size_t)len);
	if (copy == NULL) {
		OPENSSL_free(der);
		return vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
	}
	memcpy(copy, der, (size_t)len);
	OPENSSL_free(der);
	*out = copy;
	*out_len = (size_t)len;
	return VOUCH_OK;
}

bool
vouch_cert_subject_serial(X509 *cert, char *out, size_t cap)
{
	X509_NAME *name = X509_get_subject_name(cert);
	X509_NAME_ENTRY *e;
	ASN1_STRING *s;
	int idx, len;

	idx = X509_NAME_get_index_by_NID(name, NID_serialNumber, -1);
	if (idx < 0) {
		return false;
	}
	/* A second serialNumber attribute would be ambiguous. */
	if (X509_NAME_get_index_by_NID(name, NID_serialNumber, idx) >= 0) {
		return false;
	}
	e = X509_NAME_get_entry(name, idx);
	s = X509_NAME_ENTRY_get_data(e);
	if (ASN1_STRING_type(s) != V_ASN1_PRINTABLESTRING) {
		return false;
	}
	len = ASN1_STRING_length(s);
	if (len < 0 || (size_t)len >= cap) {
		return false;
	}
	memcpy(out, ASN1_STRING_get0_data(s), (size_t)len);
	out[len] = '\0';
	return strlen(out) == (size_t)len;
}

static bool
add_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX v3;
	X509_EXTENSION *ext;
	int ok;

	X509V3_set_ctx(&v3, issuer, cert, NULL, NULL, 0);
	ext = X509V3_EXT_nconf_nid(NULL, &v3, nid, value);
	if (ext == NULL) {
		return false;
	}
	ok = X509_add_ext(cert, ext, -1);
	X509_EXTENSION_free(ext);
	return ok == 1;
}

/* A non-critical extension |oid| whose extnValue holds |der|. */
static bool
add_raw_ext(X509 *cert, const char *oid, const uint8_t *der, size_t len)
{
	ASN1_OBJECT *obj = OBJ_txt2obj(oid, 1);
	ASN1_OCTET_STRING *os = ASN1_OCTET_STRING_new();
	X509_EXTENSION *ext = NULL;
	bool ok = false;

	if (obj != NULL && os != NULL && len <= INT32_MAX &&
	    ASN1_OCTET_STRING_set(os, der, (int)len) == 1) {
		ext = X509_EXTENSION_create_by_OBJ(NULL, obj, 0, os);
		ok = ext != NULL && X509_add_ext(cert, ext, -1) == 1;
	}
	X509_EXTENSION_free(ext);
	ASN1_OCTET_STRING_free(os);
	ASN1_OBJECT_free(obj);
	return ok;
}

static bool
name_add(X509_NAME *name, const char *field, const char *value)
{
	return X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
	    (const unsigned char *)value, -1, -1, 0) == 1;
}

enum vouch_err
vouch_cert_build(struct vouch_ctx *ctx, const struct vouch_cert_spec *spec,
    EVP_PKEY *subject_key, X509 *issuer, EVP_PKEY *issuer_key, X509 **out)
{
	enum vouch_err rv = VOUCH_ERR_CRYPTO;
	X509 *x = NULL;
	X509_NAME *name = NULL;
	BIGNUM *bn = NULL;
	uint8_t serial[16];
	char buf[256];
	const EVP_MD *md;
	size_t width;

	*out = NULL;
	if (!ec_params(issuer_key, &width, &md)) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_KEY,
		    "issuer key is not P-256 or P-384");
	}
	rv = vouch_random(ctx, serial, sizeof(serial));
	if (rv != VOUCH_OK) {
		return rv;
	}
	/* RFC 5280 §4.1.2.2: positive, at most 20 octets. */
	serial[0] &= 0x7f;
	serial[0] |= 0x40;
	rv = VOUCH_ERR_CRYPTO;
	x = X509_new();
	name = X509_NAME_new();
	bn = BN_bin2bn(serial, sizeof(serial), NULL);
	if (x == NULL || name == NULL || bn == NULL ||
	    X509_set_version(x, X509_VERSION_3) != 1 ||
	    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) == NULL) {
		goto err;
	}
	if (spec->organization != NULL && !name_add(name, "O", spec->organization)) {
		goto err;
	}
	if (!name_add(name, "CN", spec->common_name)) {
		goto err;
	}
	if (spec->serial_attr != NULL &&
	    X509_NAME_add_entry_by_NID(name, NID_serialNumber,
	    MBSTRING_ASC,
	    (const unsigned char *)spec->serial_attr, -1, -1, 0) != 1) {
		goto err;
	}
	if (X509_set_subject_name(x, name) != 1 ||
	    X509_set_issuer_name(x, issuer != NULL ?
	    X509_get_subject_name(issuer) : name) != 1 ||
	    X509_set_pubkey(x, subject_key) != 1 ||
	    ASN1_TIME_set(X509_getm_notBefore(x), (time_t)spec->not_before) == NULL ||
	    ASN1_TIME_set(X509_getm_notAfter(x), (time_t)spec->not_after) == NULL) {
		goto err;
	}
	if (spec->is_ca) {
		if (spec->path_len >= 0) {
			(void)snprintf(buf, sizeof(buf),
			    "critical,CA:TRUE,pathlen:%d", spec->path_len);
		} else {
			(void)snprintf(buf, sizeof(buf), "critical,CA:TRUE");
		}
		if (!add_ext(x, issuer != NULL ? issuer : x,
		    NID_basic_constraints, buf) ||
		    !add_ext(x, issuer != NULL ? issuer : x, NID_key_usage,
		    "critical,keyCertSign,cRLSign")) {
			goto err;
		}
	} else {
		if (!add_ext(x, issuer, NID_basic_constraints, "critical,CA:FALSE") ||
		    !add_ext(x, issuer, NID_key_usage,
		    "critical,digitalSignature")) {
			goto err;
		}
	}
	if (spec->eku_client || spec->eku_server || spec->extra_eku != NULL) {
		(void)snprintf(buf, sizeof(buf), "%s%s%s%s%s",
		    spec->eku_client ? "clientAuth," : "",
		    spec->eku_server ? "serverAuth," : "",
		    spec->extra_eku != NULL ? spec->extra_eku : "",
		    spec->extra_eku != NULL ? "," : "", "");
		buf[strlen(buf) - 1] = '\0';	/* the last comma */
		if (!add_ext(x, issuer, NID_ext_key_usage, buf)) {
			goto err;
		}
	}
	if (spec->ext_oid != NULL && !add_raw_ext(x, spec->ext_oid,
	    spec->ext_der, spec->ext_der_len)) {
		goto err;
	}
	if (spec->uri_san != NULL || spec->dns_ip_san != NULL) {
		if ((spec->uri_san != NULL && strlen(spec->uri_san) > 110) ||
		    (spec->dns_ip_san != NULL && strlen(spec->dns_ip_san) > 110)) {
			rv = vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
			    "subject alternative name too long");
			goto out;
		}
		(void)snprintf(buf, sizeof(buf), "%s%s%s%s",
		    spec->uri_san != NULL ? "URI:" : "",
		    spec->uri_san != NULL ? spec->uri_san : "",
		    spec->uri_san != NULL && spec->dns_ip_san != NULL ? "," : "",
		    spec->dns_ip_san != NULL ? spec->dns_ip_san : "");
		if (!add_ext(x, issuer, NID_subject_alt_name, buf)) {
			goto err;
		}
	}
	if (!add_ext(x, issuer != NULL ? issuer : x, NID_subject_key_identifier,
	    "hash") ||
	    !add_ext(x, issuer != NULL ? issuer : x,
	    NID_authority_key_identifier, "keyid:always")) {
		goto err;
	}
	if (X509_sign(x, issuer_key, md) <= 0) {
		goto err;
	}
	*out = x;
	x = NULL;
	rv = VOUCH_OK;
	goto out;
 err:
	rv = vouch_fail(ctx, VOUCH_ERR_CRYPTO, "cannot build certificate");
 out:
	ERR_clear_error();
	BN_free(bn);
	X509_NAME_free(name);
	X509_free(x);
	return rv;
}

enum vouch_err
vouch_chain_verify(struct vouch_ctx *ctx, X509 *leaf, STACK_OF(X509) *untrusted,
    STACK_OF(X509) *anchors, int64_t at, STACK_OF(X509) **out_chain)
{
	return vouch_chain_verify_flags(ctx, leaf, untrusted, anchors, at,
	    X509_V_FLAG_X509_STRICT, out_chain);
}

enum vouch_err
vouch_chain_verify_flags(struct vouch_ctx *ctx, X509 *leaf,
    STACK_OF(X509) *untrusted, STACK_OF(X509) *anchors, int64_t at,
    unsigned long flags, STACK_OF(X509) **out_chain)
{
	enum vouch_err rv = VOUCH_ERR_CHAIN_INVALID;
	X509_STORE *store = NULL;
	X509_STORE_CTX *sctx = NULL;
	X509_VERIFY_PARAM *param;
	int i, err, depth;

	if (out_chain != NULL) {
		*out_chain = NULL;
	}
	if (anchors == NULL || sk_X509_num(anchors) == 0) {
		return vouch_fail(ctx, VOUCH_ERR_NO_TRUST_ANCHOR,
		    "no trust anchor configured");
	}
	store = X509_STORE_new();
	sctx = X509_STORE_CTX_new();
	if (store == NULL || sctx == NULL) {
		rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "X509_STORE");
		goto out;
	}
	for (i = 0; i < sk_X509_num(anchors); i++) {
		if (X509_STORE_add_cert(store, sk_X509_value(anchors, i)) != 1) {
			rv = vouch_fail(ctx, VOUCH_ERR_CRYPTO,
			    "cannot add trust anchor");
			goto out;
		}
	}
	if (X509_STORE_CTX_init(sctx, store, leaf, untrusted) != 1) {
		rv = vouch_fail(ctx, VOUCH_ERR_CRYPTO, "X509_STORE_CTX_init");
		goto out;
	}
	param = X509_STORE_CTX_get0_param(sctx);
	X509_VERIFY_PARAM_set_time(param, (time_t)at);
	X509_VERIFY_PARAM_set_flags(param, flags);
	X509_VERIFY_PARAM_set_depth(param, VOUCH_CHAIN_MAX_DEPTH);
	if (X509_verify_cert(sctx) == 1) {
		if (out_chain != NULL) {
			*out_chain = X509_STORE_CTX_get1_chain(sctx);
		}
		rv = VOUCH_OK;
		goto out;
	}
	err = X509_STORE_CTX_get_error(sctx);
	depth = X509_STORE_CTX_get_error_depth(sctx);
	switch (err) {
	case X509_V_ERR_CERT_HAS_EXPIRED:
		rv = vouch_fail(ctx, VOUCH_ERR_CERT_EXPIRED,
		    "certificate at depth %d expired", depth);
		break;
	case X509_V_ERR_CERT_NOT_YET_VALID:
		rv = vouch_fail(ctx, VOUCH_ERR_CERT_NOT_YET_VALID,
		    "certificate at depth %d not yet valid", depth);
		break;
	case X509_V_ERR_CERT_REVOKED:
		rv = vouch_fail(ctx, VOUCH_ERR_CERT_REVOKED,
		    "certificate at depth %d revoked", depth);
		break;
	default:
		rv = vouch_fail(ctx, VOUCH_ERR_CHAIN_INVALID,
		    "chain validation failed at depth %d: %s", depth,
		    X509_verify_cert_error_string(err));
		break;
	}
 out:
	ERR_clear_error();
	X509_STORE_CTX_free(sctx);
	X509_STORE_free(store);
	return rv;
}

static bool
digits(const char *s, size_t n, int *out)
{
	size_t i;
	int v = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9') {
			return false;
		}
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

bool
vouch_time_parse_rfc3339(const char *s, int64_t *out)
{
	struct tm tm;
	int year, mon, day, hour, min, sec, oh, om, sign;
	size_t len = strlen(s), i = 19;
	time_t t;

	memset(&tm, 0, sizeof(tm));
	if (len < 20 || s[4] != '-' || s[7] != '-' ||
	    (s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':') {
		return false;
	}
	if (!digits(s, 4, &year) || !digits(s + 5, 2, &mon) ||
	    !digits(s + 8, 2, &day) || !digits(s + 11, 2, &hour) ||
	    !digits(s + 14, 2, &min) || !digits(s + 17, 2, &sec)) {
		return false;
	}
	if (mon < 1 || mon > 12 || day < 1 || day > 31 || hour > 23 ||
	    min > 59 || sec > 60) {
		return false;
	}
	if (s[i] == '.') {
		i++;
		if (i >= len || s[i] < '0' || s[i] > '9') {
			return false;
		}
		while (i < len && s[i] >= '0' && s[i] <= '9') {
			i++;
		}
	}
	if (i == len - 1 && (s[i] == 'Z' || s[i] == 'z')) {
		oh = om = 0;
		sign = 1;
	} else if (i + 6 == len && (s[i] == '+' || s[i] == '-') &&
	    s[i + 3] == ':' && digits(s + i + 1, 2, &oh) &&
	    digits(s + i + 4, 2, &om) && oh <= 23 && om <= 59) {
		sign = s[i] == '-' ? -1 : 1;
	} else {
		return false;
	}
	tm.tm_year = year - 1900;
	tm.tm_mon = mon - 1;
	tm.tm_mday = day;
	tm.tm_hour = hour;
	tm.tm_min = min;
	tm.tm_sec = sec == 60 ? 59 : sec;
	t = timegm(&tm);
	if (t == (time_t)-1 || tm.tm_mday != day) {
		return false;
	}
	*out = (int64_t)t - sign * (int64_t)(oh * 3600 + om * 60);
	return true;
}

bool
vouch_time_format_rfc3339(int64_t t, char *out, size_t cap)
{
	struct tm tm;
	time_t tt = (time_t)t;

	if (gmtime_r(&tt, &tm) == NULL) {
		return false;
	}
	return strftime(out, cap, "%Y-%m-%dT%H:%M:%SZ", &tm) != 0;
}

static json_t *
name_json(X509_NAME *name)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *data = NULL;
	long len;
	json_t *j = NULL;

	if (bio == NULL) {
		return NULL;
	}
	if (X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253) >= 0) {
		len = BIO_get_mem_data(bio, &data);
		if (len >= 0) {
			j = json_stringn(data, (size_t)len);
		}
	}
	BIO_free(bio);
	return j;
}

static json_t *
asn1_time_json(const ASN1_TIME *t)
{
	struct tm tm;
	char buf[32];

	if (ASN1_TIME_to_tm(t, &tm) != 1 ||
	    strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
		return NULL;
	}
	return json_string(buf);
}

json_t *
vouch_cert_describe(X509 *cert)
{
	const ASN1_INTEGER *sn = X509_get0_serialNumber(cert);
	BIGNUM *bn = ASN1_INTEGER_to_BN(sn, NULL);
	char *hex = bn != NULL ? BN_bn2hex(bn) : NULL;
	EVP_PKEY *pk = X509_get0_pubkey(cert);
	json_t *o;

	o = json_pack("{s:o?, s:o?, s:s?, s:o?, s:o?, s:s, s:i}",
	    "subject", name_json(X509_get_subject_name(cert)),
	    "issuer", name_json(X509_get_issuer_name(cert)),
	    "serial", hex,
	    "not_before", asn1_time_json(X509_get0_notBefore(cert)),
	    "not_after", asn1_time_json(X509_get0_notAfter(cert)),
	    "key_type", pk != NULL ? EVP_PKEY_get0_type_name(pk) : "unknown",
	    "key_bits", pk != NULL ? EVP_PKEY_get_bits(pk) : 0);
	OPENSSL_free(hex);
	BN_free(bn);
	ERR_clear_error();
	return o;
}

enum vouch_err
vouch_domain_uri(struct vouch_ctx *ctx, X509 *root, char *out, size_t cap)
{
	static const char prefix[] = "urn:vouch:domain:";
	uint8_t id[VOUCH_SHA256_BYTES];
	EVP_PKEY *pk = X509_get0_pubkey(root);
	enum vouch_err rv;

	if (pk == NULL || cap < VOUCH_DOMAIN_URI_MAX) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "cannot name the domain");
	}
	rv = vouch_key_spki_sha256(ctx, pk, id);
	if (rv != VOUCH_OK) {
		return rv;
	}
	memcpy(out, prefix, sizeof(prefix) - 1);
	if (!vouch_hex_encode(id, sizeof(id), out + sizeof(prefix) - 1,
	    cap - (sizeof(prefix) - 1))) {
		return vouch_fail(ctx, VOUCH_ERR_INTERNAL, "domain uri");
	}
	return VOUCH_OK;
}

void
vouch_bind(const char *label, const uint8_t *const *parts, const size_t *lens,
    size_t n, uint8_t out[VOUCH_SHA512_BYTES])
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	uint8_t zero = 0, be[4];
	size_t i;
	int ok;

	ok = md != NULL && EVP_DigestInit_ex(md, EVP_sha512(), NULL) == 1 &&
	    EVP_DigestUpdate(md, label, strlen(label)) == 1 &&
	    EVP_DigestUpdate(md, &zero, 1) == 1;
	for (i = 0; ok && i < n; i++) {
		be[0] = (uint8_t)(lens[i] >> 24);
		be[1] = (uint8_t)(lens[i] >> 16);
		be[2] = (uint8_t)(lens[i] >> 8);
		be[3] = (uint8_t)lens[i];
		ok = lens[i] <= UINT32_MAX &&
		    EVP_DigestUpdate(md, be, sizeof(be)) == 1 &&
		    EVP_DigestUpdate(md, parts[i], lens[i]) == 1;
	}
	ok = ok && EVP_DigestFinal_ex(md, out, NULL) == 1;
	EVP_MD_CTX_free(md);
	if (!ok) {
		/* Allocation failure inside OpenSSL: never return a guess. */
		abort();
	}
}

void
vouch_bind_certify_spki(const uint8_t *nonce, size_t nonce_len,
    const uint8_t *spki, size_t spki_len, uint8_t out[VOUCH_SHA512_BYTES])
{
	vouch_bind_certify_profile(nonce, nonce_len, spki, spki_len, NULL, out);
}

void
vouch_bind_certify_profile(const uint8_t *nonce, size_t nonce_len,
    const uint8_t *spki, size_t spki_len, const char *profile,
    uint8_t out[VOUCH_SHA512_BYTES])
{
	const uint8_t *parts[3] = { nonce, spki, (const uint8_t *)profile };
	size_t lens[3] = { nonce_len, spki_len,
	    profile != NULL ? strlen(profile) : 0 };

	vouch_bind(VOUCH_BIND_CERTIFY, parts, lens, profile != NULL ? 3 : 2,
	    out);
}

bool
vouch_profile_name_valid(const char *s, size_t len)
{
	static const char *const names[] = { "debug", "test", "staging",
	    "production" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (len == strlen(names[i]) && memcmp(s, names[i], len) == 0) {
			return true;
		}
	}
	return false;
}

enum vouch_err
vouch_bind_certify(struct vouch_ctx *ctx, const uint8_t *nonce,
    size_t nonce_len, EVP_PKEY *pub, uint8_t out[VOUCH_SHA512_BYTES])
{
	uint8_t *der = NULL;
	int len;

	len = i2d_PUBKEY(pub, &der);
	if (len <= 0) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_KEY, "cannot encode public key");
	}
	vouch_bind_certify_spki(nonce, nonce_len, der, (size_t)len, out);
	OPENSSL_free(der);
	return VOUCH_OK;
}

/*
 * RFC 5480 §2: SubjectPublicKeyInfo { id-ecPublicKey, namedCurve } with
 * the uncompressed point (SEC 1 §2.3.3: 0x04 || X || Y) in the BIT STRING.
 */
static const uint8_t spki_p384_prefix[] = {
	0x30, 0x76, 0x30, 0x10, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02,
	0x01, 0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22, 0x03, 0x62, 0x00, 0x04,
};
static const uint8_t spki_p256_prefix[] = {
	0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02,
	0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03,
	0x42, 0x00, 0x04,
};

enum vouch_err
vouch_ec_pubkey_from_pem(struct vouch_ctx *ctx, const char *pem, size_t len,
    EVP_PKEY **out, uint8_t *spki, size_t *spki_len)
{
	static const char begin[] = "-----BEGIN PUBLIC KEY-----";
	static const char end[] = "-----END PUBLIC KEY-----";
	char b64[2 * VOUCH_EC_SPKI_MAX];
	const char *p, *e;
	size_t n = 0, dlen = 0, plen, i;
	const char *group;
	OSSL_PARAM params[3];
	EVP_PKEY_CTX *pctx = NULL;
	enum vouch_err rv;

	*out = NULL;
	/* Optional leading/trailing newlines only; one block, nothing else. */
	while (len > 0 && (pem[len - 1] == '\n' || pem[len - 1] == '\r')) {
		len--;
	}
	if (len < sizeof(begin) - 1 + sizeof(end) - 1 ||
	    memcmp(pem, begin, sizeof(begin) - 1) != 0 ||
	    memcmp(pem + len - (sizeof(end) - 1), end, sizeof(end) - 1) != 0) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_KEY,
		    "public key is not one PEM PUBLIC KEY block");
	}
	p = pem + sizeof(begin) - 1;
	e = pem + len - (sizeof(end) - 1);
	for (; p < e; p++) {
		if (*p == '\n' || *p == '\r') {
			continue;
		}
		if (n == sizeof(b64)) {
			return vouch_fail(ctx, VOUCH_ERR_BAD_KEY,
			    "public key too long");
		}
		b64[n++] = *p;
	}
	if (!vouch_b64_decode(b64, n, false, spki, VOUCH_EC_SPKI_MAX, &dlen)) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_KEY, "public key: bad base64");
	}
	if (dlen == sizeof(spki_p384_prefix) + 96 &&
	    memcmp(spki, spki_p384_prefix, sizeof(spki_p384_prefix)) == 0) {
		group = "P-384";
		plen = sizeof(spki_p384_prefix);
	} else if (dlen == sizeof(spki_p256_prefix) + 64 &&
	    memcmp(spki, spki_p256_prefix, sizeof(spki_p256_prefix)) == 0) {
		group = "P-256";
		plen = sizeof(spki_p256_prefix);
	} else {
		return vouch_fail(ctx, VOUCH_ERR_BAD_KEY,
		    "public key is not an uncompressed EC P-256 or P-384 key");
	}
	i = plen - 1;	/* the point starts at its 0x04 */
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME,
	    (char *)(uintptr_t)group, 0);
	params[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY,
	    spki + i, dlen - i);
	params[2] = OSSL_PARAM_construct_end();
	pctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	if (pctx == NULL || EVP_PKEY_fromdata_init(pctx) != 1 ||
	    EVP_PKEY_fromdata(pctx, out, EVP_PKEY_PUBLIC_KEY, params) != 1) {
		*out = NULL;
		rv = vouch_fail(ctx, VOUCH_ERR_BAD_KEY,
		    "public key: point is not on the curve");
	} else {
		*spki_len = dlen;
		rv = VOUCH_OK;
	}
	EVP_PKEY_CTX_free(pctx);
	ERR_clear_error();
	return rv;
}
