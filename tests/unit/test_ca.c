/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for daemon/ca.c: a domain root, an issuing CA (pathlen 0)
 * and an admission certificate built in memory; the chain checked with
 * vouch_chain_verify and with the openssl command line (plain, strict,
 * and for the sslclient and sslserver purposes); the profile (serial, CN,
 * validity and its clamp to the issuer, SAN, key and extended key usage,
 * the extension) read back; keys refused; and the VouchAdmission decoder
 * given every truncation, trailing bytes, other versions and every bound
 * crossed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "bs/bs.h"
#include "bs/cbb.h"
#include "ca.h"
#include "crypto/crypto.h"

#define DAY		(24 * 3600)
#define LIFETIME	3600

struct fixture {
	struct vouch_ctx	*ctx;
	int64_t			 now;
	EVP_PKEY		*root_key;
	X509			*root;
	EVP_PKEY		*issuer_key;
	X509			*issuer;
	EVP_PKEY		*subject;
	struct ca_admission	 adm;
	char			 dir[64];
};

static struct fixture F;

static X509 *
make_ca(EVP_PKEY *key, X509 *parent, EVP_PKEY *parent_key, const char *cn,
    int path_len, int64_t nb, int64_t na)
{
	struct vouch_cert_spec spec;
	X509 *x = NULL;

	memset(&spec, 0, sizeof(spec));
	spec.common_name = cn;
	spec.not_before = nb;
	spec.not_after = na;
	spec.is_ca = true;
	spec.path_len = path_len;
	assert_int_equal(vouch_cert_build(F.ctx, &spec, key, parent,
	    parent_key != NULL ? parent_key : key, &x), VOUCH_OK);
	return x;
}

static int
setup(void **state)
{
	size_t i;

	(void)state;
	memset(&F, 0, sizeof(F));
	F.ctx = vouch_ctx_new();
	assert_non_null(F.ctx);
	F.now = (int64_t)time(NULL);
	assert_int_equal(vouch_key_gen_p384(F.ctx, &F.root_key), VOUCH_OK);
	assert_int_equal(vouch_key_gen_p384(F.ctx, &F.issuer_key), VOUCH_OK);
	assert_int_equal(vouch_key_gen_p384(F.ctx, &F.subject), VOUCH_OK);
	F.root = make_ca(F.root_key, NULL, NULL, "vouch test domain root", -1,
	    F.now - DAY, F.now + 3650 * (int64_t)DAY);
	F.issuer = make_ca(F.issuer_key, F.root, F.root_key,
	    "vouch test issuing CA", 0, F.now - DAY, F.now + 30 * (int64_t)DAY);

	(void)snprintf(F.adm.platform, sizeof(F.adm.platform), "sim");
	for (i = 0; i < 48; i++) {
		F.adm.measurement[i] = (uint8_t)(0xa0 + i);
	}
	F.adm.measurement_len = 48;
	F.adm.policy_version = 7;
	(void)snprintf(F.adm.release, sizeof(F.adm.release), "2024.06");

	(void)snprintf(F.dir, sizeof(F.dir), "/tmp/vouch-test-ca-XXXXXX");
	assert_non_null(mkdtemp(F.dir));
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", F.dir);
	assert_int_equal(system(cmd), 0);
	X509_free(F.root);
	X509_free(F.issuer);
	EVP_PKEY_free(F.root_key);
	EVP_PKEY_free(F.issuer_key);
	EVP_PKEY_free(F.subject);
	vouch_ctx_free(F.ctx);
	return 0;
}

static X509 *
issue(EVP_PKEY *subject, X509 *issuer, EVP_PKEY *issuer_key, int64_t now,
    int64_t lifetime, char serial[CA_SERIAL_HEX_LEN + 1])
{
	X509 *x = NULL;

	assert_int_equal(ca_issue_admission(F.ctx, issuer, issuer_key, F.root,
	    subject, &F.adm, now, lifetime, &x, serial), VOUCH_OK);
	assert_non_null(x);
	return x;
}

static int64_t
unix_time(const ASN1_TIME *t)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	assert_int_equal(ASN1_TIME_to_tm(t, &tm), 1);
	return (int64_t)timegm(&tm);
}

static enum vouch_err
chain_verify(X509 *leaf, X509 *root, int64_t at)
{
	STACK_OF(X509) *untrusted = sk_X509_new_null();
	STACK_OF(X509) *anchors = sk_X509_new_null();
	enum vouch_err rv;

	assert_non_null(untrusted);
	assert_non_null(anchors);
	assert_true(sk_X509_push(untrusted, F.issuer) > 0);
	assert_true(sk_X509_push(anchors, root) > 0);
	rv = vouch_chain_verify(F.ctx, leaf, untrusted, anchors, at, NULL);
	sk_X509_free(untrusted);
	sk_X509_free(anchors);
	return rv;
}

static void
write_pem(const char *name, X509 *x)
{
	char path[128];

	(void)snprintf(path, sizeof(path), "%s/%s", F.dir, name);
	assert_int_equal(vouch_cert_write_pem(F.ctx, path, x), VOUCH_OK);
}

/*
 * Exit status of `openssl verify` with |extra| options over the files;
 * its output is shown when a verification expected to pass fails.
 */
static int
openssl_verify(const char *root, const char *extra, bool expect_ok)
{
	char cmd[512];
	int st;

	(void)snprintf(cmd, sizeof(cmd),
	    "openssl verify %s -CAfile '%s/%s' -untrusted '%s/issuer.pem' "
	    "'%s/leaf.pem' >'%s/verify.out' 2>&1", extra, F.dir, root, F.dir,
	    F.dir, F.dir);
	st = system(cmd);
	if (st != 0 && expect_ok) {
		(void)snprintf(cmd, sizeof(cmd), "cat '%s/verify.out' >&2",
		    F.dir);
		if (system(cmd) != 0) {
			print_error("cannot show %s/verify.out\n", F.dir);
		}
	}
	return st;
}

static void
test_issue_and_verify(void **state)
{
	char serial[CA_SERIAL_HEX_LEN + 1], want[CA_SERIAL_HEX_LEN + 1];
	char *bnhex;
	BIGNUM *bn;
	X509 *leaf, *other_root;
	EVP_PKEY *other_key;
	size_t i;

	(void)state;
	leaf = issue(F.subject, F.issuer, F.issuer_key, F.now, LIFETIME,
	    serial);

	/* The serial: 32 lower-case hex digits, the certificate's own. */
	assert_int_equal(strlen(serial), CA_SERIAL_HEX_LEN);
	for (i = 0; i < CA_SERIAL_HEX_LEN; i++) {
		assert_true((serial[i] >= '0' && serial[i] <= '9') ||
		    (serial[i] >= 'a' && serial[i] <= 'f'));
	}
	bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(leaf), NULL);
	assert_non_null(bn);
	assert_true(BN_num_bits(bn) <= 128 && BN_num_bits(bn) > 64);
	bnhex = BN_bn2hex(bn);
	assert_non_null(bnhex);
	assert_int_equal(strlen(bnhex), CA_SERIAL_HEX_LEN);
	for (i = 0; i < CA_SERIAL_HEX_LEN; i++) {
		want[i] = (char)(bnhex[i] >= 'A' && bnhex[i] <= 'F' ?
		    bnhex[i] - 'A' + 'a' : bnhex[i]);
	}
	want[CA_SERIAL_HEX_LEN] = '\0';
	assert_string_equal(serial, want);
	OPENSSL_free(bnhex);
	BN_free(bn);
	assert_int_equal(X509_get_version(leaf), X509_VERSION_3);

	/* Our validator: valid now, not after notAfter, not elsewhere. */
	assert_int_equal(chain_verify(leaf, F.root, F.now), VOUCH_OK);
	assert_int_equal(chain_verify(leaf, F.root, F.now + LIFETIME + 1),
	    VOUCH_ERR_CERT_EXPIRED);
	assert_int_equal(vouch_key_gen_p384(F.ctx, &other_key), VOUCH_OK);
	other_root = make_ca(other_key, NULL, NULL, "another root", -1,
	    F.now - DAY, F.now + DAY);
	assert_int_not_equal(chain_verify(leaf, other_root, F.now), VOUCH_OK);

	/* The stock openssl command agrees, for clients and servers. */
	write_pem("root.pem", F.root);
	write_pem("issuer.pem", F.issuer);
	write_pem("leaf.pem", leaf);
	write_pem("other.pem", other_root);
	assert_int_equal(openssl_verify("root.pem", "", true), 0);
	assert_int_equal(openssl_verify("root.pem", "-x509_strict", true), 0);
	assert_int_equal(openssl_verify("root.pem", "-purpose sslclient",
	    true), 0);
	assert_int_equal(openssl_verify("root.pem", "-purpose sslserver",
	    true), 0);
	assert_int_equal(openssl_verify("root.pem",
	    "-x509_strict -purpose sslserver -verify_depth 2", true), 0);
	/* And it really checks: another root is refused. */
	assert_int_not_equal(openssl_verify("other.pem", "", false), 0);

	X509_free(other_root);
	EVP_PKEY_free(other_key);
	X509_free(leaf);
}

static void
test_profile(void **state)
{
	char serial[CA_SERIAL_HEX_LEN + 1], uri[VOUCH_DOMAIN_URI_MAX];
	char cn[128];
	struct ca_admission got;
	GENERAL_NAMES *san;
	const GENERAL_NAME *gn;
	BASIC_CONSTRAINTS *bc;
	ASN1_BIT_STRING *ku;
	ASN1_OBJECT *oid;
	X509 *leaf;
	int crit = -1, idx;

	(void)state;
	leaf = issue(F.subject, F.issuer, F.issuer_key, F.now, LIFETIME,
	    serial);

	/* Subject CN: the first 8 measurement bytes in hex. */
	assert_true(X509_NAME_get_text_by_NID(X509_get_subject_name(leaf),
	    NID_commonName, cn, sizeof(cn)) > 0);
	assert_string_equal(cn, "vouch admission a0a1a2a3a4a5a6a7");
	assert_int_equal(X509_NAME_cmp(X509_get_issuer_name(leaf),
	    X509_get_subject_name(F.issuer)), 0);

	/* Validity: backdated one minute, |LIFETIME| ahead. */
	assert_int_equal(unix_time(X509_get0_notBefore(leaf)),
	    F.now - CA_ADMISSION_BACKDATE);
	assert_int_equal(unix_time(X509_get0_notAfter(leaf)), F.now + LIFETIME);

	/* SAN: exactly the domain URI. */
	assert_int_equal(vouch_domain_uri(F.ctx, F.root, uri, sizeof(uri)),
	    VOUCH_OK);
	san = X509_get_ext_d2i(leaf, NID_subject_alt_name, &crit, NULL);
	assert_non_null(san);
	assert_int_equal(crit, 0);
	assert_int_equal(sk_GENERAL_NAME_num(san), 1);
	gn = sk_GENERAL_NAME_value(san, 0);
	assert_int_equal(gn->type, GEN_URI);
	assert_int_equal(ASN1_STRING_length(gn->d.uniformResourceIdentifier),
	    (int)strlen(uri));
	assert_memory_equal(ASN1_STRING_get0_data(
	    gn->d.uniformResourceIdentifier), uri, strlen(uri));
	GENERAL_NAMES_free(san);

	/* An end entity for TLS clients and servers. */
	bc = X509_get_ext_d2i(leaf, NID_basic_constraints, &crit, NULL);
	assert_non_null(bc);
	assert_int_equal(crit, 1);
	assert_false(bc->ca);
	BASIC_CONSTRAINTS_free(bc);
	ku = X509_get_ext_d2i(leaf, NID_key_usage, &crit, NULL);
	assert_non_null(ku);
	assert_int_equal(crit, 1);
	ASN1_BIT_STRING_free(ku);
	assert_true((X509_get_key_usage(leaf) & KU_DIGITAL_SIGNATURE) != 0);
	assert_true((X509_get_key_usage(leaf) & KU_KEY_CERT_SIGN) == 0);
	assert_int_equal(X509_get_extended_key_usage(leaf),
	    XKU_SSL_CLIENT | XKU_SSL_SERVER);
	assert_int_equal(EVP_PKEY_eq(X509_get0_pubkey(leaf), F.subject), 1);

	/* The extension: non-critical, and it decodes to what went in. */
	oid = OBJ_txt2obj(VOUCH_OID_ADMISSION, 1);
	assert_non_null(oid);
	idx = X509_get_ext_by_OBJ(leaf, oid, -1);
	ASN1_OBJECT_free(oid);
	assert_true(idx >= 0);
	assert_int_equal(X509_EXTENSION_get_critical(X509_get_ext(leaf, idx)),
	    0);
	assert_int_equal(ca_admission_from_cert(F.ctx, leaf, &got), VOUCH_OK);
	assert_string_equal(got.platform, "sim");
	assert_int_equal(got.measurement_len, 48);
	assert_memory_equal(got.measurement, F.adm.measurement, 48);
	assert_int_equal(got.policy_version, 7);
	assert_string_equal(got.release, "2024.06");

	/* The issuer has none. */
	assert_int_equal(ca_admission_from_cert(F.ctx, F.issuer, &got),
	    VOUCH_ERR_BAD_CERT);
	X509_free(leaf);
}

static void
test_lifetime_clamp(void **state)
{
	char serial[CA_SERIAL_HEX_LEN + 1];
	EVP_PKEY *k;
	X509 *short_ca, *leaf, *saved;

	(void)state;
	/* An issuing CA that expires in 1000 s, a leaf asked for 3600 s. */
	assert_int_equal(vouch_key_gen_p384(F.ctx, &k), VOUCH_OK);
	short_ca = make_ca(k, F.root, F.root_key, "short-lived issuer", 0,
	    F.now - DAY, F.now + 1000);
	leaf = issue(F.subject, short_ca, k, F.now, LIFETIME, serial);
	assert_int_equal(unix_time(X509_get0_notAfter(leaf)), F.now + 1000);
	assert_int_equal(ASN1_TIME_compare(X509_get0_notAfter(leaf),
	    X509_get0_notAfter(short_ca)), 0);
	saved = F.issuer;
	F.issuer = short_ca;
	assert_int_equal(chain_verify(leaf, F.root, F.now + 999), VOUCH_OK);
	assert_int_equal(chain_verify(leaf, F.root, F.now + 1001),
	    VOUCH_ERR_CERT_EXPIRED);
	F.issuer = saved;
	X509_free(leaf);

	/* notBefore is not set before the issuer's own. */
	leaf = issue(F.subject, short_ca, k, F.now - DAY + 10, 60, serial);
	assert_int_equal(unix_time(X509_get0_notBefore(leaf)), F.now - DAY);
	X509_free(leaf);

	/* An issuer past its notAfter, or not yet valid, issues nothing. */
	leaf = (X509 *)1;
	serial[0] = 'x';
	assert_int_equal(ca_issue_admission(F.ctx, short_ca, k, F.root,
	    F.subject, &F.adm, F.now + 1000, LIFETIME, &leaf, serial),
	    VOUCH_ERR_CERT_EXPIRED);
	assert_null(leaf);
	assert_string_equal(serial, "");
	assert_int_equal(ca_issue_admission(F.ctx, short_ca, k, F.root,
	    F.subject, &F.adm, F.now - DAY - 1, LIFETIME, &leaf, serial),
	    VOUCH_ERR_CERT_NOT_YET_VALID);
	assert_null(leaf);

	/* Lifetimes out of bounds. */
	assert_int_equal(ca_issue_admission(F.ctx, F.issuer, F.issuer_key,
	    F.root, F.subject, &F.adm, F.now, 0, &leaf, serial),
	    VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(ca_issue_admission(F.ctx, F.issuer, F.issuer_key,
	    F.root, F.subject, &F.adm, F.now, -5, &leaf, serial),
	    VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(ca_issue_admission(F.ctx, F.issuer, F.issuer_key,
	    F.root, F.subject, &F.adm, F.now, CA_ADMISSION_LIFETIME_MAX + 1,
	    &leaf, serial), VOUCH_ERR_INVALID_ARGUMENT);
	assert_null(leaf);
	X509_free(short_ca);
	EVP_PKEY_free(k);
}

static void
test_keys(void **state)
{
	char serial[CA_SERIAL_HEX_LEN + 1];
	EVP_PKEY *p256, *p521, *rsa, *ed, *pub_only, *other;
	X509 *leaf = NULL;
	uint8_t *der = NULL;
	const uint8_t *p;
	int len;

	(void)state;
	/* P-256 is accepted, and a public-only key is all that is needed. */
	p256 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "prime256v1");
	assert_non_null(p256);
	len = i2d_PUBKEY(p256, &der);
	assert_true(len > 0);
	p = der;
	pub_only = d2i_PUBKEY(NULL, &p, len);
	assert_non_null(pub_only);
	OPENSSL_free(der);
	leaf = issue(pub_only, F.issuer, F.issuer_key, F.now, LIFETIME, serial);
	assert_int_equal(chain_verify(leaf, F.root, F.now), VOUCH_OK);
	X509_free(leaf);

	p521 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "secp521r1");
	rsa = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	ed = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	assert_non_null(p521);
	assert_non_null(rsa);
	assert_non_null(ed);
	assert_int_equal(ca_issue_admission(F.ctx, F.issuer, F.issuer_key,
	    F.root, p521, &F.adm, F.now, LIFETIME, &leaf, serial),
	    VOUCH_ERR_BAD_KEY);
	assert_int_equal(ca_issue_admission(F.ctx, F.issuer, F.issuer_key,
	    F.root, rsa, &F.adm, F.now, LIFETIME, &leaf, serial),
	    VOUCH_ERR_BAD_KEY);
	assert_int_equal(ca_issue_admission(F.ctx, F.issuer, F.issuer_key,
	    F.root, ed, &F.adm, F.now, LIFETIME, &leaf, serial),
	    VOUCH_ERR_BAD_KEY);
	assert_int_equal(ca_issue_admission(F.ctx, F.issuer, F.issuer_key,
	    F.root, NULL, &F.adm, F.now, LIFETIME, &leaf, serial),
	    VOUCH_ERR_BAD_KEY);
	assert_null(leaf);

	/* An issuing key that is not the issuing certificate's. */
	assert_int_equal(vouch_key_gen_p384(F.ctx, &other), VOUCH_OK);
	assert_int_equal(ca_issue_admission(F.ctx, F.issuer, other, F.root,
	    F.subject, &F.adm, F.now, LIFETIME, &leaf, serial),
	    VOUCH_ERR_BAD_KEY);
	assert_null(leaf);

	/* An admission the encoder refuses issues nothing. */
	F.adm.measurement_len = 0;
	assert_int_equal(ca_issue_admission(F.ctx, F.issuer, F.issuer_key,
	    F.root, F.subject, &F.adm, F.now, LIFETIME, &leaf, serial),
	    VOUCH_ERR_BAD_FIELD);
	assert_null(leaf);
	F.adm.measurement_len = 48;

	EVP_PKEY_free(other);
	EVP_PKEY_free(p256);
	EVP_PKEY_free(pub_only);
	EVP_PKEY_free(p521);
	EVP_PKEY_free(rsa);
	EVP_PKEY_free(ed);
}

/* |x| with one more copy of the admission extension, or a critical one. */
static X509 *
with_extra_ext(X509 *x, bool critical)
{
	static const uint8_t val[] = { 0x30, 0x00 };
	ASN1_OBJECT *obj = OBJ_txt2obj(VOUCH_OID_ADMISSION, 1);
	ASN1_OCTET_STRING *os = ASN1_OCTET_STRING_new();
	X509_EXTENSION *ext;
	X509 *copy = X509_dup(x);

	assert_non_null(obj);
	assert_non_null(os);
	assert_non_null(copy);
	assert_int_equal(ASN1_OCTET_STRING_set(os, val, sizeof(val)), 1);
	ext = X509_EXTENSION_create_by_OBJ(NULL, obj, critical ? 1 : 0, os);
	assert_non_null(ext);
	assert_int_equal(X509_add_ext(copy, ext, -1), 1);
	X509_EXTENSION_free(ext);
	ASN1_OCTET_STRING_free(os);
	ASN1_OBJECT_free(obj);
	return copy;
}

static void
test_from_cert_negative(void **state)
{
	char serial[CA_SERIAL_HEX_LEN + 1];
	struct ca_admission got;
	X509 *leaf, *two, *crit;

	(void)state;
	leaf = issue(F.subject, F.issuer, F.issuer_key, F.now, LIFETIME,
	    serial);
	two = with_extra_ext(leaf, false);
	assert_int_equal(ca_admission_from_cert(F.ctx, two, &got),
	    VOUCH_ERR_BAD_CERT);
	assert_int_equal(got.measurement_len, 0);
	crit = with_extra_ext(F.issuer, true);
	assert_int_equal(ca_admission_from_cert(F.ctx, crit, &got),
	    VOUCH_ERR_BAD_CERT);
	assert_int_equal(ca_admission_from_cert(F.ctx, NULL, &got),
	    VOUCH_ERR_INVALID_ARGUMENT);
	X509_free(two);
	X509_free(crit);
	X509_free(leaf);
}

static void
test_chain_pem(void **state)
{
	char serial[CA_SERIAL_HEX_LEN + 1], *pem = NULL;
	X509 *leaf, *a, *b, *c;
	BIO *bio;

	(void)state;
	leaf = issue(F.subject, F.issuer, F.issuer_key, F.now, LIFETIME,
	    serial);
	assert_int_equal(ca_chain_pem(F.ctx, leaf, F.issuer, &pem), VOUCH_OK);
	assert_non_null(pem);
	assert_true(strncmp(pem, "-----BEGIN CERTIFICATE-----\n", 28) == 0);
	bio = BIO_new_mem_buf(pem, (int)strlen(pem));
	assert_non_null(bio);
	a = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	b = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	c = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	assert_non_null(a);
	assert_non_null(b);
	assert_null(c);
	assert_int_equal(X509_cmp(a, leaf), 0);
	assert_int_equal(X509_cmp(b, F.issuer), 0);
	X509_free(a);
	X509_free(b);
	BIO_free(bio);
	free(pem);
	assert_int_equal(ca_chain_pem(F.ctx, leaf, NULL, &pem),
	    VOUCH_ERR_INVALID_ARGUMENT);
	assert_null(pem);
	X509_free(leaf);
}

/* A hand-built VouchAdmission with any field values. */
struct raw_adm {
	uint64_t	 version;
	unsigned	 platform_tag;
	const char	*platform;
	size_t		 platform_len;
	size_t		 mlen;
	bool		 negative_pv;
	uint64_t	 pv;
	const char	*release;
	size_t		 release_len;
	bool		 extra_field;
};

static uint8_t *
build_raw(const struct raw_adm *r, size_t *len)
{
	static const uint8_t neg[] = { 0xff };
	uint8_t meas[128], *out = NULL;
	struct cbb b, seq, f;

	memset(meas, 0x11, sizeof(meas));
	assert_true(r->mlen <= sizeof(meas));
	assert_true(cbb_init(&b, 1024));
	assert_true(cbb_add_asn1(&b, &seq, CBS_ASN1_SEQUENCE));
	assert_true(cbb_add_asn1_uint64(&seq, r->version));
	/* Raw bytes, so that malformed UTF-8 can be written too. */
	assert_true(cbb_add_asn1(&seq, &f, r->platform_tag));
	assert_true(cbb_add_bytes(&f, (const uint8_t *)r->platform,
	    r->platform_len));
	assert_true(cbb_add_asn1_octet_string(&seq, meas, r->mlen));
	if (r->negative_pv) {
		assert_true(cbb_add_asn1(&seq, &f, CBS_ASN1_INTEGER));
		assert_true(cbb_add_bytes(&f, neg, sizeof(neg)));
	} else {
		assert_true(cbb_add_asn1_uint64(&seq, r->pv));
	}
	assert_true(cbb_add_asn1(&seq, &f, CBS_ASN1_UTF8STRING));
	assert_true(cbb_add_bytes(&f, (const uint8_t *)r->release,
	    r->release_len));
	if (r->extra_field) {
		assert_true(cbb_add_asn1_uint64(&seq, 0));
	}
	assert_true(cbb_finish(&b, &out, len));
	cbb_cleanup(&b);
	return out;
}

static const char s64[] =
    "0123456789012345678901234567890123456789012345678901234567890123";
static const char s65[] =
    "01234567890123456789012345678901234567890123456789012345678901234";

#define RAW_OK	{ 1, CBS_ASN1_UTF8STRING, "sim", 3, 48, false, 7, "r1", 2, \
		    false }

struct raw_case {
	const char	*name;
	struct raw_adm	 r;
	enum vouch_err	 want;
};

static const struct raw_case raw_cases[] = {
	{ "valid", RAW_OK, VOUCH_OK },
	{ "max sizes", { 1, CBS_ASN1_UTF8STRING, s64, 64, 64, false,
	    INT64_MAX, s64, 64, false }, VOUCH_OK },
	{ "min sizes", { 1, CBS_ASN1_UTF8STRING, "x", 1, 1, false, 0, "", 0,
	    false }, VOUCH_OK },
	{ "utf-8 names", { 1, CBS_ASN1_UTF8STRING, "s\xc3\xafm", 4, 32, false,
	    1, "\xe2\x82\xac", 3, false }, VOUCH_OK },
	{ "version 0", { 0, CBS_ASN1_UTF8STRING, "sim", 3, 48, false, 7, "r1",
	    2, false }, VOUCH_ERR_UNSUPPORTED_VERSION },
	{ "version 2", { 2, CBS_ASN1_UTF8STRING, "sim", 3, 48, false, 7, "r1",
	    2, false }, VOUCH_ERR_UNSUPPORTED_VERSION },
	{ "measurement 65", { 1, CBS_ASN1_UTF8STRING, "sim", 3, 65, false, 7,
	    "r1", 2, false }, VOUCH_ERR_BAD_FIELD },
	{ "measurement 128", { 1, CBS_ASN1_UTF8STRING, "sim", 3, 128, false,
	    7, "r1", 2, false }, VOUCH_ERR_BAD_FIELD },
	{ "measurement empty", { 1, CBS_ASN1_UTF8STRING, "sim", 3, 0, false,
	    7, "r1", 2, false }, VOUCH_ERR_BAD_FIELD },
	{ "platform 65", { 1, CBS_ASN1_UTF8STRING, s65, 65, 48, false, 7,
	    "r1", 2, false }, VOUCH_ERR_BAD_FIELD },
	{ "platform empty", { 1, CBS_ASN1_UTF8STRING, "", 0, 48, false, 7,
	    "r1", 2, false }, VOUCH_ERR_BAD_FIELD },
	{ "release 65", { 1, CBS_ASN1_UTF8STRING, "sim", 3, 48, false, 7, s65,
	    65, false }, VOUCH_ERR_BAD_FIELD },
	{ "platform NUL", { 1, CBS_ASN1_UTF8STRING, "s\0m", 3, 48, false, 7,
	    "r1", 2, false }, VOUCH_ERR_BAD_ENCODING },
	{ "release bad utf-8", { 1, CBS_ASN1_UTF8STRING, "sim", 3, 48, false,
	    7, "\xc0\x80", 2, false }, VOUCH_ERR_BAD_ENCODING },
	{ "platform PrintableString", { 1, CBS_ASN1_PRINTABLESTRING, "sim", 3,
	    48, false, 7, "r1", 2, false }, VOUCH_ERR_BAD_DER },
	{ "negative policyVersion", { 1, CBS_ASN1_UTF8STRING, "sim", 3, 48,
	    true, 0, "r1", 2, false }, VOUCH_ERR_BAD_DER },
	{ "policyVersion 2^63", { 1, CBS_ASN1_UTF8STRING, "sim", 3, 48, false,
	    0x8000000000000000ull, "r1", 2, false }, VOUCH_ERR_BAD_FIELD },
	{ "extra field", { 1, CBS_ASN1_UTF8STRING, "sim", 3, 48, false, 7,
	    "r1", 2, true }, VOUCH_ERR_TRAILING_DATA },
};

static void
test_decode_table(void **state)
{
	struct ca_admission got;
	uint8_t *der;
	size_t len, i;

	(void)state;
	for (i = 0; i < sizeof(raw_cases) / sizeof(raw_cases[0]); i++) {
		der = build_raw(&raw_cases[i].r, &len);
		if (ca_admission_ext_decode(F.ctx, der, len, &got) !=
		    raw_cases[i].want) {
			fail_msg("%s: got %s (%s)", raw_cases[i].name,
			    vouch_errname(vouch_error_code(F.ctx)),
			    vouch_error(F.ctx));
		}
		if (raw_cases[i].want == VOUCH_OK) {
			assert_int_equal(got.measurement_len,
			    raw_cases[i].r.mlen);
			assert_int_equal(strlen(got.platform),
			    raw_cases[i].r.platform_len);
			assert_memory_equal(got.platform,
			    raw_cases[i].r.platform,
			    raw_cases[i].r.platform_len);
			assert_int_equal(strlen(got.release),
			    raw_cases[i].r.release_len);
			assert_true((uint64_t)got.policy_version ==
			    raw_cases[i].r.pv);
		} else {
			/* Nothing is left behind on failure. */
			assert_int_equal(got.measurement_len, 0);
			assert_int_equal(got.platform[0], '\0');
		}
		free(der);
	}
}

static void
test_decode_bytes(void **state)
{
	static const uint8_t nonminimal_version[] = {
		0x30, 0x0f, 0x02, 0x02, 0x00, 0x01, 0x0c, 0x01, 's',
		0x04, 0x01, 0x00, 0x02, 0x01, 0x00, 0x0c, 0x00,
	};
	static const uint8_t indefinite[] = {
		0x30, 0x80, 0x02, 0x01, 0x01, 0x00, 0x00,
	};
	struct ca_admission got;
	uint8_t *der, *buf, big[CA_ADMISSION_EXT_MAX_BYTES + 1];
	size_t len, cut, i;
	enum vouch_err rv;

	(void)state;
	assert_int_equal(ca_admission_ext_encode(F.ctx, "snp",
	    F.adm.measurement, 48, 3, "r9", &der, &len), VOUCH_OK);
	assert_int_equal(ca_admission_ext_decode(F.ctx, der, len, &got),
	    VOUCH_OK);
	assert_string_equal(got.platform, "snp");
	assert_string_equal(got.release, "r9");
	assert_int_equal(got.policy_version, 3);

	/* Every truncation, in a buffer of exactly that size. */
	for (cut = 0; cut < len; cut++) {
		buf = malloc(cut > 0 ? cut : 1);
		assert_non_null(buf);
		memcpy(buf, der, cut);
		rv = ca_admission_ext_decode(F.ctx, buf, cut, &got);
		assert_int_equal(rv, VOUCH_ERR_BAD_DER);
		free(buf);
	}
	/* A trailing byte, whatever its value. */
	buf = malloc(len + 1);
	assert_non_null(buf);
	memcpy(buf, der, len);
	for (i = 0; i < 256; i += 85) {
		buf[len] = (uint8_t)i;
		assert_int_equal(ca_admission_ext_decode(F.ctx, buf, len + 1,
		    &got), VOUCH_ERR_TRAILING_DATA);
		assert_int_equal(got.platform[0], '\0');
	}
	/* Every single-bit flip is either refused or decodes cleanly. */
	for (i = 0; i < len * 8; i++) {
		memcpy(buf, der, len);
		buf[i / 8] ^= (uint8_t)(1u << (i % 8));
		rv = ca_admission_ext_decode(F.ctx, buf, len, &got);
		if (rv == VOUCH_OK) {
			assert_true(strlen(got.platform) >= 1);
			assert_true(got.measurement_len >= 1);
		}
	}
	free(buf);
	free(der);

	assert_int_equal(ca_admission_ext_decode(F.ctx, nonminimal_version,
	    sizeof(nonminimal_version), &got), VOUCH_ERR_BAD_DER);
	assert_int_equal(ca_admission_ext_decode(F.ctx, indefinite,
	    sizeof(indefinite), &got), VOUCH_ERR_BAD_DER);
	memset(big, 0, sizeof(big));
	assert_int_equal(ca_admission_ext_decode(F.ctx, big, sizeof(big),
	    &got), VOUCH_ERR_TOO_LARGE);
	assert_int_equal(ca_admission_ext_decode(F.ctx, NULL, 0, &got),
	    VOUCH_ERR_BAD_DER);
}

static void
test_encode_bounds(void **state)
{
	uint8_t m[65] = { 0 }, *der = (uint8_t *)1;
	size_t len = 1;

	(void)state;
	assert_int_equal(ca_admission_ext_encode(F.ctx, "sim", m, 65, 1, "",
	    &der, &len), VOUCH_ERR_BAD_FIELD);
	assert_null(der);
	assert_int_equal(len, 0);
	assert_int_equal(ca_admission_ext_encode(F.ctx, "sim", m, 0, 1, "",
	    &der, &len), VOUCH_ERR_BAD_FIELD);
	assert_int_equal(ca_admission_ext_encode(F.ctx, "", m, 1, 1, "",
	    &der, &len), VOUCH_ERR_BAD_FIELD);
	assert_int_equal(ca_admission_ext_encode(F.ctx, s65, m, 1, 1, "",
	    &der, &len), VOUCH_ERR_BAD_FIELD);
	assert_int_equal(ca_admission_ext_encode(F.ctx, "sim", m, 1, 1, s65,
	    &der, &len), VOUCH_ERR_BAD_FIELD);
	assert_int_equal(ca_admission_ext_encode(F.ctx, "sim", m, 1, -1, "",
	    &der, &len), VOUCH_ERR_BAD_FIELD);
	assert_int_equal(ca_admission_ext_encode(F.ctx, "s\xff", m, 1, 1, "",
	    &der, &len), VOUCH_ERR_BAD_ENCODING);
	assert_int_equal(ca_admission_ext_encode(F.ctx, NULL, m, 1, 1, "",
	    &der, &len), VOUCH_ERR_INVALID_ARGUMENT);
	assert_null(der);
	/* The largest encoding stays under the decoder's cap. */
	assert_int_equal(ca_admission_ext_encode(F.ctx, s64, m, 64, INT64_MAX,
	    s64, &der, &len), VOUCH_OK);
	assert_true(len <= CA_ADMISSION_EXT_MAX_BYTES);
	free(der);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_issue_and_verify),
		cmocka_unit_test(test_profile),
		cmocka_unit_test(test_lifetime_clamp),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_from_cert_negative),
		cmocka_unit_test(test_chain_pem),
		cmocka_unit_test(test_decode_table),
		cmocka_unit_test(test_decode_bytes),
		cmocka_unit_test(test_encode_bounds),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
