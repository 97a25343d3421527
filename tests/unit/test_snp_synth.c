/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for lib/platform/snp.c on a SYNTHETIC AMD hierarchy built
 * here with OpenSSL (nothing is committed): what the real samples of
 * test_snp.c cannot reach because their signatures cannot be redone.
 *
 *   ARK-{Milan,Genoa,Turin}   self-signed RSA-4096, RSASSA-PSS/SHA-384
 *   SEV-{product}             the ASK, under the ARK
 *   SEV-VLEK-{product}        the ASVK, under the ARK
 *   SEV-VCEK / SEV-VLEK       P-384 leaves with AMD's extensions (VCEK
 *                             certificate spec 57230: productName, hwID or
 *                             cspID, the TCB SPLs 3.1-3.9)
 *   the ARK's CRL             thisUpdate/nextUpdate around the test time
 *
 * The names and extensions copy the shapes of the real certificates in
 * ../shared/testdata/certs/amd.  The RSA keys have four primes (a 4096-bit
 * modulus like AMD's, generated in a fraction of the time; the public key
 * is an ordinary RSA key) and are made once, in the group setup.  One ARK
 * key stands for every product: the test pin (struct vouch_verify_config
 * snp_test_ark_pin / snp_test_ark_product, platform.h) says which product
 * line it is in each case.
 *
 * Reports (ABI 56860 Table 23) of versions 2, 3 and 5 are built field by
 * field and signed over 0x000-0x29F with the leaf's P-384 key, R and S
 * little-endian in their 72-byte fields, so every rule of the verifier
 * that only a validly signed report reaches is exercised: guest policy,
 * reserved fields, the binding of REPORTED_TCB, CHIP_ID and the product
 * to the certificate, COMMITTED_TCB, VCEK against VLEK chains, the shape
 * of the chain, revocation and validity, and the snp policy settings on
 * v5 and Turin claims.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "bs/bs.h"
#include "crypto/crypto.h"
#include "platform/platform.h"
#include "platform/snp.h"
#include "platform/snp_certs.h"
#include "policy/policy.h"

#define T_NOW		1748736000	/* 2025-06-01T00:00:00Z */
#define DAY		((int64_t)86400)
#define YEAR		(365 * DAY)

#define F_DEBUG		0x1	/* insecure_allow_debug */
#define F_SKIP_REV	0x2	/* insecure_skip_revocation */
#define F_PROVISIONAL	0x4	/* insecure_allow_provisional_firmware */

#define NPROD		4	/* indexed by enum snp_product */

struct blob {
	uint8_t	*p;
	size_t	 n;
};

/* The keys and the CA certificates, made once for all tests. */
static struct {
	EVP_PKEY	*ark_key, *ask_key, *asvk_key;	/* RSA-4096 */
	EVP_PKEY	*evil_key;	/* RSA-4096, never pinned */
	EVP_PKEY	*small_key;	/* RSA-2048 */
	EVP_PKEY	*vcek_key, *vlek_key, *other_p384;
	uint8_t		 pin[32];	/* SHA-256 of the ARK's SPKI */
	X509		*ark[NPROD], *ask[NPROD], *asvk[NPROD];
	struct blob	 crl[NPROD];	/* the ARK's, in force at T_NOW */
} W;

/* ---- certificates ------------------------------------------------ */

static EVP_PKEY *
rsa_key(int bits, int primes)
{
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
	EVP_PKEY *k = NULL;

	assert_non_null(c);
	assert_int_equal(EVP_PKEY_keygen_init(c), 1);
	assert_true(EVP_PKEY_CTX_set_rsa_keygen_bits(c, bits) > 0);
	assert_true(EVP_PKEY_CTX_set_rsa_keygen_primes(c, primes) > 0);
	assert_int_equal(EVP_PKEY_generate(c, &k), 1);
	EVP_PKEY_CTX_free(c);
	return k;
}

static EVP_PKEY *
p384_key(void)
{
	EVP_PKEY *k = EVP_EC_gen("P-384");

	assert_non_null(k);
	return k;
}

/* OU=Engineering, C=US, L=Santa Clara, ST=CA, O=Advanced Micro Devices, CN */
static X509_NAME *
amd_name(const char *cn)
{
	static const char *const f[][2] = { { "OU", "Engineering" },
	    { "C", "US" }, { "L", "Santa Clara" }, { "ST", "CA" },
	    { "O", "Advanced Micro Devices" } };
	X509_NAME *n = X509_NAME_new();
	size_t i;

	assert_non_null(n);
	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		assert_int_equal(X509_NAME_add_entry_by_txt(n, f[i][0],
		    MBSTRING_ASC, (const unsigned char *)f[i][1], -1, -1, 0), 1);
	}
	assert_int_equal(X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC,
	    (const unsigned char *)cn, -1, -1, 0), 1);
	return n;
}

/* RSASSA-PSS, SHA-384, MGF1-SHA-384, salt 48 (AMD's), or PKCS#1 v1.5. */
static EVP_MD_CTX *
sign_ctx(EVP_PKEY *key, bool pkcs1)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pc = NULL;

	assert_non_null(md);
	assert_int_equal(EVP_DigestSignInit(md, &pc, EVP_sha384(), NULL, key),
	    1);
	if (!pkcs1 && EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA) {
		assert_true(EVP_PKEY_CTX_set_rsa_padding(pc,
		    RSA_PKCS1_PSS_PADDING) > 0);
		assert_true(EVP_PKEY_CTX_set_rsa_pss_saltlen(pc, 48) > 0);
		assert_true(EVP_PKEY_CTX_set_rsa_mgf1_md(pc, EVP_sha384()) > 0);
	}
	return md;
}

struct cspec {
	const char	*cn;
	long		 serial;
	int64_t		 nb, na;
	bool		 v1;		/* X.509 v1 instead of v3 */
	bool		 ca;
	int		 pathlen;	/* -1: none */
	bool		 pkcs1;		/* PKCS#1 v1.5 instead of PSS */
	/* AMD's V[CL]EK extensions, when |amd| */
	bool		 amd;
	const char	*product;	/* productName; NULL: absent */
	int		 spl[10];	/* 1.3.6.1.4.1.3704.1.3.n; -1: absent */
	const uint8_t	*hwid;		/* NULL: absent */
	size_t		 hwid_len;
	const char	*csp_id;	/* NULL: absent */
};

static void
add_conf_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX v3;
	X509_EXTENSION *e;

	X509V3_set_ctx(&v3, issuer, x, NULL, NULL, 0);
	e = X509V3_EXT_conf_nid(NULL, &v3, nid, value);
	assert_non_null(e);
	assert_int_equal(X509_add_ext(x, e, -1), 1);
	X509_EXTENSION_free(e);
}

/* An extension whose extnValue holds the |n| bytes at |der|. */
static void
add_raw_ext(X509 *x, const char *oid, const uint8_t *der, size_t n)
{
	ASN1_OBJECT *o = OBJ_txt2obj(oid, 1);
	ASN1_OCTET_STRING *os = ASN1_OCTET_STRING_new();
	X509_EXTENSION *e;

	assert_true(o != NULL && os != NULL);
	assert_int_equal(ASN1_OCTET_STRING_set(os, der, (int)n), 1);
	e = X509_EXTENSION_create_by_OBJ(NULL, o, 0, os);
	assert_non_null(e);
	assert_int_equal(X509_add_ext(x, e, -1), 1);
	X509_EXTENSION_free(e);
	ASN1_OCTET_STRING_free(os);
	ASN1_OBJECT_free(o);
}

/* INTEGER v (0..65535) as AMD writes SPLs: 02 01 v. */
static void
add_int_ext(X509 *x, const char *oid, int v)
{
	uint8_t der[4];
	size_t n = 0;

	der[n++] = 0x02;
	if (v > 0xff) {
		der[n++] = 2;
		der[n++] = (uint8_t)(v >> 8);
	} else if (v > 0x7f) {
		der[n++] = 2;
		der[n++] = 0;
	} else {
		der[n++] = 1;
	}
	der[n++] = (uint8_t)v;
	add_raw_ext(x, oid, der, n);
}

static void
add_ia5_ext(X509 *x, const char *oid, const char *s)
{
	uint8_t der[128];
	size_t n = strlen(s);

	assert_true(n < 126);
	der[0] = 0x16;
	der[1] = (uint8_t)n;
	memcpy(der + 2, s, n);
	add_raw_ext(x, oid, der, n + 2);
}

/* In the order of the real VCEK: 1, 2, 3.1, 3.2, 3.4-3.7, 3.3, 3.8, 3.9. */
static void
add_amd_exts(X509 *x, const struct cspec *s)
{
	static const int order[] = { 1, 2, 4, 5, 6, 7, 3, 8, 9 };
	char oid[32];
	size_t i;

	add_int_ext(x, "1.3.6.1.4.1.3704.1.1", 0);	/* structVersion */
	if (s->product != NULL) {
		add_ia5_ext(x, "1.3.6.1.4.1.3704.1.2", s->product);
	}
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		if (s->spl[order[i]] < 0) {
			continue;
		}
		(void)snprintf(oid, sizeof(oid), "1.3.6.1.4.1.3704.1.3.%d",
		    order[i]);
		add_int_ext(x, oid, s->spl[order[i]]);
	}
	if (s->hwid != NULL) {
		/* Raw bytes, no OCTET STRING inside (as KDS writes hwID). */
		add_raw_ext(x, "1.3.6.1.4.1.3704.1.4", s->hwid, s->hwid_len);
	}
	if (s->csp_id != NULL) {
		add_ia5_ext(x, "1.3.6.1.4.1.3704.1.5", s->csp_id);
	}
}

/* A certificate for |key| as |s| says, by |issuer| (NULL: self-signed). */
static X509 *
make_cert(const struct cspec *s, EVP_PKEY *key, X509 *issuer,
    EVP_PKEY *issuer_key)
{
	X509 *x = X509_new();
	X509_NAME *name = amd_name(s->cn);
	EVP_MD_CTX *md;
	char bc[48];

	assert_non_null(x);
	assert_int_equal(X509_set_version(x, s->v1 ? X509_VERSION_1 :
	    X509_VERSION_3), 1);
	assert_int_equal(ASN1_INTEGER_set(X509_get_serialNumber(x),
	    s->serial), 1);
	assert_int_equal(X509_set_subject_name(x, name), 1);
	assert_int_equal(X509_set_issuer_name(x, issuer != NULL ?
	    X509_get_subject_name(issuer) : name), 1);
	assert_non_null(ASN1_TIME_set(X509_getm_notBefore(x), (time_t)s->nb));
	assert_non_null(ASN1_TIME_set(X509_getm_notAfter(x), (time_t)s->na));
	assert_int_equal(X509_set_pubkey(x, key), 1);
	if (!s->v1) {
		if (s->ca) {
			if (s->pathlen >= 0) {
				(void)snprintf(bc, sizeof(bc),
				    "critical,CA:TRUE,pathlen:%d", s->pathlen);
			} else {
				(void)snprintf(bc, sizeof(bc),
				    "critical,CA:TRUE");
			}
			add_conf_ext(x, issuer != NULL ? issuer : x,
			    NID_basic_constraints, bc);
			add_conf_ext(x, issuer != NULL ? issuer : x,
			    NID_key_usage, issuer == NULL ?
			    "critical,keyCertSign,cRLSign" :
			    "critical,keyCertSign");
			add_conf_ext(x, issuer != NULL ? issuer : x,
			    NID_subject_key_identifier, "hash");
			if (issuer != NULL) {
				add_conf_ext(x, issuer,
				    NID_authority_key_identifier,
				    "keyid:always");
			}
		}
		if (s->amd) {
			add_amd_exts(x, s);
		}
	}
	md = sign_ctx(issuer_key != NULL ? issuer_key : key, s->pkcs1);
	assert_true(X509_sign_ctx(x, md) > 0);
	EVP_MD_CTX_free(md);
	X509_NAME_free(name);
	return x;
}

static void
ca_spec(struct cspec *s, const char *cn, long serial)
{
	memset(s, 0, sizeof(*s));
	s->cn = cn;
	s->serial = serial;
	s->nb = T_NOW - 5 * YEAR;
	s->na = T_NOW + 20 * YEAR;
	s->ca = true;
	s->pathlen = -1;
}

static X509 *
make_ark(enum snp_product p, EVP_PKEY *key)
{
	struct cspec s;
	char cn[32];

	(void)snprintf(cn, sizeof(cn), "ARK-%s", snp_product_name(p));
	ca_spec(&s, cn, 0x10000);
	return make_cert(&s, key, NULL, NULL);
}

/* The ASK (SEV-{product}) or ASVK (SEV-VLEK-{product}) named |p|. */
static X509 *
make_ask(enum snp_product p, bool vlek, X509 *ark, EVP_PKEY *ark_key,
    EVP_PKEY *key)
{
	struct cspec s;
	char cn[32];

	(void)snprintf(cn, sizeof(cn), "SEV-%s%s", vlek ? "VLEK-" : "",
	    snp_product_name(p));
	ca_spec(&s, cn, vlek ? 0x10002 : 0x10001);
	s.pathlen = 0;
	return make_cert(&s, key, ark, ark_key);
}

/* ---- reports ----------------------------------------------------- */

/* TCB_VERSION (ABI Table 3; Turin: FMC, BL, TEE, SNP, rsvd[3], UCODE). */
static uint64_t
tcb(enum snp_product p, unsigned fmc, unsigned bl, unsigned tee, unsigned snp,
    unsigned ucode)
{
	if (p == SNP_PRODUCT_TURIN) {
		return (uint64_t)fmc | (uint64_t)bl << 8 | (uint64_t)tee << 16 |
		    (uint64_t)snp << 24 | (uint64_t)ucode << 56;
	}
	return (uint64_t)bl | (uint64_t)tee << 8 | (uint64_t)snp << 48 |
	    (uint64_t)ucode << 56;
}

struct rep {
	uint32_t	 version;
	enum snp_product product;
	uint32_t	 guest_svn;
	uint64_t	 policy;
	uint32_t	 vmpl, sig_algo, flags;
	uint64_t	 current_tcb, reported_tcb, committed_tcb, launch_tcb;
	uint64_t	 platform_info, launch_mit, current_mit;
	uint8_t		 cur_ver[3], com_ver[3];	/* major, minor, build */
	uint8_t		 cpuid[3];	/* family, model, stepping (v3+) */
	uint8_t		 chip_id[64], report_data[64], measurement[48];
	uint8_t		 host_data[32], family_id[16], image_id[16];
	/* Raw bytes written after the fields (before signing). */
	size_t		 poke_off[4];
	uint8_t		 poke_val[4];
	size_t		 npoke;
	EVP_PKEY	*key;		/* NULL: the VCEK or VLEK key */
	/* What the leaf certificate says (check_rep). */
	uint64_t	 cert_tcb;
	uint8_t		 cert_chip[64];
	enum snp_product cert_product;
};

static const uint8_t cpuid_of[NPROD][3] = {
	{ 0, 0, 0 },
	{ 0x19, 0x01, 0x01 },	/* Milan */
	{ 0x19, 0x11, 0x01 },	/* Genoa */
	{ 0x1a, 0x02, 0x00 },	/* Turin */
};

static uint64_t
default_tcb(enum snp_product p)
{
	switch (p) {
	case SNP_PRODUCT_MILAN:
		return tcb(p, 0, 4, 0, 24, 219);
	case SNP_PRODUCT_GENOA:
		return tcb(p, 0, 10, 0, 23, 84);
	default:
		return tcb(p, 2, 3, 0, 5, 77);
	}
}

static void
rep_init(struct rep *o, enum snp_product p, uint32_t version)
{
	size_t i;

	memset(o, 0, sizeof(*o));
	o->version = version;
	o->product = p;
	o->cert_product = p;
	o->guest_svn = 7;
	o->policy = 0x30000;	/* SMT, reserved bit 17 */
	o->sig_algo = SNP_SIG_ALGO_ECDSA_P384_SHA384;
	o->current_tcb = o->reported_tcb = o->committed_tcb = o->launch_tcb =
	    o->cert_tcb = default_tcb(p);
	o->platform_info = 0x25;
	o->cur_ver[0] = o->com_ver[0] = 1;
	o->cur_ver[1] = o->com_ver[1] = 58;
	o->cur_ver[2] = o->com_ver[2] = 3;
	if (version >= 3) {
		memcpy(o->cpuid, cpuid_of[p], 3);
	}
	if (version >= 5) {
		o->launch_mit = 0x3;
		o->current_mit = 0x7;
	}
	for (i = 0; i < 64; i++) {
		o->chip_id[i] = (uint8_t)(0x40 + i * 3 + (unsigned)p);
		o->report_data[i] = (uint8_t)(0xa0 ^ i);
	}
	memcpy(o->cert_chip, o->chip_id, 64);
	memset(o->measurement, 0x5d, sizeof(o->measurement));
	memset(o->host_data, 0x11, sizeof(o->host_data));
	o->family_id[0] = 1;
	o->image_id[0] = 2;
}

static void
rep_poke(struct rep *o, size_t off, uint8_t v)
{
	assert_true(o->npoke < 4);
	o->poke_off[o->npoke] = off;
	o->poke_val[o->npoke] = v;
	o->npoke++;
}

static void
put32(uint8_t *p, uint32_t v)
{
	size_t i;

	for (i = 0; i < 4; i++) {
		p[i] = (uint8_t)(v >> (8 * i));
	}
}

static void
put64(uint8_t *p, uint64_t v)
{
	size_t i;

	for (i = 0; i < 8; i++) {
		p[i] = (uint8_t)(v >> (8 * i));
	}
}

static bool
is_vlek(const struct rep *o)
{
	return ((o->flags & SNP_FLAG_SIGNING_KEY_MASK) >>
	    SNP_FLAG_SIGNING_KEY_SHIFT) == SNP_SIGNING_KEY_VLEK;
}

/* The 1184-byte report |o| describes, signed (ABI Table 23, Table 139). */
static void
make_report(const struct rep *o, uint8_t b[SNP_REPORT_LEN])
{
	EVP_PKEY *key = o->key != NULL ? o->key :
	    is_vlek(o) ? W.vlek_key : W.vcek_key;
	uint8_t sig[96];
	size_t i;

	memset(b, 0, SNP_REPORT_LEN);
	put32(b + 0x00, o->version);
	put32(b + 0x04, o->guest_svn);
	put64(b + 0x08, o->policy);
	memcpy(b + 0x10, o->family_id, 16);
	memcpy(b + 0x20, o->image_id, 16);
	put32(b + 0x30, o->vmpl);
	put32(b + 0x34, o->sig_algo);
	put64(b + 0x38, o->current_tcb);
	put64(b + 0x40, o->platform_info);
	put32(b + 0x48, o->flags);
	memcpy(b + 0x50, o->report_data, 64);
	memcpy(b + 0x90, o->measurement, 48);
	memcpy(b + 0xc0, o->host_data, 32);
	memset(b + 0x140, 0x77, 32);		/* REPORT_ID */
	memset(b + 0x160, 0xff, 32);		/* REPORT_ID_MA: none */
	put64(b + 0x180, o->reported_tcb);
	memcpy(b + 0x188, o->cpuid, 3);
	memcpy(b + 0x1a0, o->chip_id, 64);
	put64(b + 0x1e0, o->committed_tcb);
	b[0x1e8] = o->cur_ver[2];
	b[0x1e9] = o->cur_ver[1];
	b[0x1ea] = o->cur_ver[0];
	b[0x1ec] = o->com_ver[2];
	b[0x1ed] = o->com_ver[1];
	b[0x1ee] = o->com_ver[0];
	put64(b + 0x1f0, o->launch_tcb);
	if (o->version >= 5) {
		put64(b + 0x1f8, o->launch_mit);
		put64(b + 0x200, o->current_mit);
	}
	for (i = 0; i < o->npoke; i++) {
		b[o->poke_off[i]] = o->poke_val[i];
	}
	assert_int_equal(vouch_ecdsa_sign_raw(NULL, key, b,
	    SNP_REPORT_SIGNED_LEN, sig, sizeof(sig)), VOUCH_OK);
	/* R and S: big-endian 48 bytes in, little-endian 72-byte fields out. */
	for (i = 0; i < 48; i++) {
		b[0x2a0 + i] = sig[47 - i];
		b[0x2e8 + i] = sig[95 - i];
	}
}

/* ---- leaves and CRLs --------------------------------------------- */

/* A V[CL]EK spec for TCB |t| of product |p| with every SPL AMD writes. */
static void
leaf_spec(struct cspec *s, enum snp_product p, bool vlek, uint64_t t,
    const uint8_t *chip)
{
	size_t i;

	memset(s, 0, sizeof(*s));
	s->cn = vlek ? "SEV-VLEK" : "SEV-VCEK";
	s->serial = 0x4242;
	s->nb = T_NOW - 30 * DAY;
	s->na = T_NOW + 7 * YEAR;
	s->pathlen = -1;
	s->amd = true;
	for (i = 0; i < 10; i++) {
		s->spl[i] = -1;
	}
	if (p == SNP_PRODUCT_TURIN) {
		s->product = vlek ? "Turin" : "Turin-B0";
		s->spl[9] = (uint8_t)t;
		s->spl[1] = (uint8_t)(t >> 8);
		s->spl[2] = (uint8_t)(t >> 16);
		s->spl[3] = (uint8_t)(t >> 24);
		for (i = 5; i <= 7; i++) {
			s->spl[i] = (uint8_t)(t >> (8 * (i - 1)));
		}
	} else {
		s->product = p == SNP_PRODUCT_MILAN ?
		    (vlek ? "Milan" : "Milan-B0") : (vlek ? "Genoa" : "Genoa-B1");
		s->spl[1] = (uint8_t)t;
		s->spl[2] = (uint8_t)(t >> 8);
		for (i = 4; i <= 7; i++) {
			s->spl[i] = (uint8_t)(t >> (8 * (i - 2)));
		}
		s->spl[3] = (uint8_t)(t >> 48);
	}
	s->spl[8] = (uint8_t)(t >> 56);
	if (vlek) {
		s->csp_id = "CN=csp.example";
	} else {
		/* AMD 57230 Table 11: Turin's hwID is CHIP_ID[0..8). */
		s->hwid = chip;
		s->hwid_len = p == SNP_PRODUCT_TURIN ? 8 : 64;
	}
}

static X509 *
make_leaf(const struct cspec *s, enum snp_product p, bool vlek)
{
	return make_cert(s, vlek ? W.vlek_key : W.vcek_key,
	    vlek ? W.asvk[p] : W.ask[p], vlek ? W.asvk_key : W.ask_key);
}

/* The leaf |o| is meant to be verified with. */
static X509 *
leaf_for(const struct rep *o)
{
	struct cspec s;

	leaf_spec(&s, o->cert_product, is_vlek(o), o->cert_tcb, o->cert_chip);
	return make_leaf(&s, o->cert_product, is_vlek(o));
}

struct crlspec {
	X509		*issuer;	/* the name */
	EVP_PKEY	*key;		/* the signer */
	int64_t		 this_update, next_update;	/* next 0: absent */
	X509		*revoked[2];
	bool		 critical_ext;	/* an unknown critical extension */
};

static struct blob
make_crl(const struct crlspec *s)
{
	X509_CRL *crl = X509_CRL_new();
	ASN1_TIME *t = ASN1_TIME_new();
	X509_REVOKED *rv;
	ASN1_INTEGER *serial;
	ASN1_OBJECT *o;
	ASN1_OCTET_STRING *os;
	X509_EXTENSION *e;
	EVP_MD_CTX *md;
	struct blob b = { NULL, 0 };
	unsigned char *p = NULL;
	size_t i;
	int n;

	assert_true(crl != NULL && t != NULL);
	assert_int_equal(X509_CRL_set_version(crl, X509_CRL_VERSION_2), 1);
	assert_int_equal(X509_CRL_set_issuer_name(crl,
	    X509_get_subject_name(s->issuer)), 1);
	assert_non_null(ASN1_TIME_set(t, (time_t)s->this_update));
	assert_int_equal(X509_CRL_set1_lastUpdate(crl, t), 1);
	if (s->next_update != 0) {
		assert_non_null(ASN1_TIME_set(t, (time_t)s->next_update));
		assert_int_equal(X509_CRL_set1_nextUpdate(crl, t), 1);
	}
	for (i = 0; i < 2 && s->revoked[i] != NULL; i++) {
		rv = X509_REVOKED_new();
		assert_non_null(rv);
		serial = ASN1_INTEGER_dup(X509_get0_serialNumber(s->revoked[i]));
		assert_non_null(serial);
		assert_int_equal(X509_REVOKED_set_serialNumber(rv, serial), 1);
		ASN1_INTEGER_free(serial);
		assert_non_null(ASN1_TIME_set(t, (time_t)(T_NOW - 10 * DAY)));
		assert_int_equal(X509_REVOKED_set_revocationDate(rv, t), 1);
		assert_int_equal(X509_CRL_add0_revoked(crl, rv), 1);
	}
	if (s->critical_ext) {
		o = OBJ_txt2obj("1.3.6.1.4.1.3704.99", 1);
		os = ASN1_OCTET_STRING_new();
		assert_true(o != NULL && os != NULL &&
		    ASN1_OCTET_STRING_set(os, (const unsigned char *)"\x05\x00",
		    2) == 1);
		e = X509_EXTENSION_create_by_OBJ(NULL, o, 1, os);
		assert_non_null(e);
		assert_int_equal(X509_CRL_add_ext(crl, e, -1), 1);
		X509_EXTENSION_free(e);
		ASN1_OCTET_STRING_free(os);
		ASN1_OBJECT_free(o);
	}
	assert_int_equal(X509_CRL_sort(crl), 1);
	md = sign_ctx(s->key, false);
	assert_true(X509_CRL_sign_ctx(crl, md) > 0);
	EVP_MD_CTX_free(md);
	n = i2d_X509_CRL(crl, &p);
	assert_true(n > 0);
	b.p = malloc((size_t)n);
	assert_non_null(b.p);
	memcpy(b.p, p, (size_t)n);
	b.n = (size_t)n;
	OPENSSL_free(p);
	ASN1_TIME_free(t);
	X509_CRL_free(crl);
	return b;
}

static void
crl_std(struct crlspec *s, enum snp_product p)
{
	memset(s, 0, sizeof(*s));
	s->issuer = W.ark[p];
	s->key = W.ark_key;
	s->this_update = T_NOW - 5 * DAY;
	s->next_update = T_NOW + 180 * DAY;
}

/* ---- verification ------------------------------------------------ */

/* What a verification is given besides the evidence. */
struct env {
	X509		*cert[6];	/* NULL-terminated */
	struct blob	 crl[3];	/* p == NULL ends */
	int		 pin;		/* enum snp_product; 0: no test pin */
	const uint8_t	*pin_hash;	/* NULL: W.pin */
	int		 flags;		/* F_* */
	int64_t		 at;		/* 0: T_NOW */
	const uint8_t	*rd;		/* expected report_data, or NULL */
};

/* leaf, its ASK (ASVK), the ARK of |p|, the ARK's CRL, pinned as |p|. */
static void
env_std(struct env *e, enum snp_product p, X509 *leaf, bool vlek)
{
	memset(e, 0, sizeof(*e));
	e->cert[0] = leaf;
	e->cert[1] = vlek ? W.asvk[p] : W.ask[p];
	e->cert[2] = W.ark[p];
	e->crl[0] = W.crl[p];
	e->pin = (int)p;
}

static void
add_cert(struct vouch_ctx *ctx, struct vouch_verify_config *cfg, X509 *x)
{
	uint8_t *der = NULL;
	size_t n = 0;

	assert_int_equal(vouch_cert_to_der(NULL, x, &der, &n), VOUCH_OK);
	assert_int_equal(vouch_verify_config_add_endorsement(ctx, cfg, der, n),
	    VOUCH_OK);
	free(der);
}

static struct vouch_verify_config *
config(struct vouch_ctx *ctx, const struct env *e)
{
	struct vouch_verify_config *cfg = vouch_verify_config_new();
	size_t i;

	assert_non_null(cfg);
	assert_int_equal(vouch_verify_config_set_platform(ctx, cfg, "snp"),
	    VOUCH_OK);
	for (i = 0; i < 6 && e->cert[i] != NULL; i++) {
		add_cert(ctx, cfg, e->cert[i]);
	}
	for (i = 0; i < 3 && e->crl[i].p != NULL; i++) {
		assert_int_equal(vouch_verify_config_add_endorsement(ctx, cfg,
		    e->crl[i].p, e->crl[i].n), VOUCH_OK);
	}
	if (e->pin != 0) {
		cfg->snp_test_ark_pin = e->pin_hash != NULL ? e->pin_hash : W.pin;
		cfg->snp_test_ark_product = e->pin;
	}
	if ((e->flags & F_DEBUG) != 0) {
		vouch_verify_config_insecure_allow_debug(cfg);
	}
	if ((e->flags & F_SKIP_REV) != 0) {
		vouch_verify_config_insecure_skip_revocation(cfg);
	}
	if ((e->flags & F_PROVISIONAL) != 0) {
		vouch_verify_config_insecure_allow_provisional_firmware(cfg);
	}
	if (e->rd != NULL) {
		assert_int_equal(vouch_verify_config_set_report_data(ctx, cfg,
		    e->rd, 64), VOUCH_OK);
	}
	return cfg;
}

/* The last failure's message (static; for substring checks). */
static char last_error[512];

static enum vouch_err
run(struct vouch_ctx *ctx, const struct vouch_verify_config *cfg,
    const uint8_t *ev, size_t len, struct vouch_result **out)
{
	struct vouch_result *res = NULL;
	enum vouch_err rv;

	rv = vouch_verify_evidence(ctx, cfg, ev, len, &res);
	last_error[0] = '\0';
	if (rv != VOUCH_OK) {
		assert_null(res);
		assert_int_equal(vouch_error_code(ctx), rv);
		assert_true(strlen(vouch_error(ctx)) > 0);
		(void)snprintf(last_error, sizeof(last_error), "%s",
		    vouch_error(ctx));
	}
	if (out != NULL) {
		*out = res;
	} else {
		vouch_result_free(res);
	}
	return rv;
}

static enum vouch_err
verify_env(const uint8_t *ev, size_t len, const struct env *e,
    struct vouch_result **out)
{
	struct vouch_ctx *ctx = vouch_ctx_new();
	struct vouch_verify_config *cfg;
	enum vouch_err rv;

	assert_non_null(ctx);
	vouch_ctx_set_time(ctx, e->at != 0 ? e->at : T_NOW);
	cfg = config(ctx, e);
	rv = run(ctx, cfg, ev, len, out);
	vouch_verify_config_free(cfg);
	vouch_ctx_free(ctx);
	return rv;
}

#define EXPECT(got, want) do {						\
	enum vouch_err got_ = (got), want_ = (want);			\
	if (got_ != want_) {						\
		fail_msg("%s:%d: got %s (%s), want %s", __FILE__,	\
		    __LINE__, vouch_errname(got_), last_error,		\
		    vouch_errname(want_));				\
	}								\
} while (0)

/*
 * Build |o|, its leaf (leaf_for) and the standard collateral, verify
 * with |flags| and return the result (and the result in *out).
 */
static enum vouch_err
check_rep_ex(const struct rep *o, int flags, struct vouch_result **out)
{
	uint8_t ev[SNP_REPORT_LEN];
	X509 *leaf = leaf_for(o);
	struct env e;
	enum vouch_err rv;

	make_report(o, ev);
	env_std(&e, o->product, leaf, is_vlek(o));
	e.flags = flags;
	rv = verify_env(ev, sizeof(ev), &e, out);
	X509_free(leaf);
	return rv;
}

static enum vouch_err
check_rep(const struct rep *o)
{
	return check_rep_ex(o, 0, NULL);
}

static void
claim_string(const struct vouch_result *res, const char *name,
    const char *want)
{
	const char *s = NULL;

	if (!vouch_claims_get_string(vouch_result_claims(res), name, &s)) {
		fail_msg("claim %s is missing", name);
	}
	assert_string_equal(s, want);
}

static void
claim_int(const struct vouch_result *res, const char *name, int64_t want)
{
	int64_t v = 0;

	if (!vouch_claims_get_int(vouch_result_claims(res), name, &v)) {
		fail_msg("claim %s is missing", name);
	}
	if (v != want) {
		fail_msg("claim %s = %lld, want %lld", name, (long long)v,
		    (long long)want);
	}
}

static bool
json_has(const struct vouch_result *res, const char *needle)
{
	char *js = vouch_result_to_json(res);
	bool ok;

	assert_non_null(js);
	ok = strstr(js, needle) != NULL;
	free(js);
	return ok;
}

/* ---- setup ------------------------------------------------------- */

static int
group_setup(void **state)
{
	struct crlspec cs;
	int p;

	(void)state;
	memset(&W, 0, sizeof(W));
	W.ark_key = rsa_key(4096, 4);
	W.ask_key = rsa_key(4096, 4);
	W.asvk_key = rsa_key(4096, 4);
	W.evil_key = rsa_key(4096, 4);
	W.small_key = rsa_key(2048, 2);
	W.vcek_key = p384_key();
	W.vlek_key = p384_key();
	W.other_p384 = p384_key();
	assert_int_equal(vouch_key_spki_sha256(NULL, W.ark_key, W.pin),
	    VOUCH_OK);
	for (p = SNP_PRODUCT_MILAN; p <= SNP_PRODUCT_TURIN; p++) {
		W.ark[p] = make_ark((enum snp_product)p, W.ark_key);
		W.ask[p] = make_ask((enum snp_product)p, false, W.ark[p],
		    W.ark_key, W.ask_key);
		W.asvk[p] = make_ask((enum snp_product)p, true, W.ark[p],
		    W.ark_key, W.asvk_key);
		crl_std(&cs, (enum snp_product)p);
		W.crl[p] = make_crl(&cs);
	}
	return 0;
}

static int
group_teardown(void **state)
{
	int p;

	(void)state;
	for (p = SNP_PRODUCT_MILAN; p <= SNP_PRODUCT_TURIN; p++) {
		X509_free(W.ark[p]);
		X509_free(W.ask[p]);
		X509_free(W.asvk[p]);
		free(W.crl[p].p);
	}
	EVP_PKEY_free(W.ark_key);
	EVP_PKEY_free(W.ask_key);
	EVP_PKEY_free(W.asvk_key);
	EVP_PKEY_free(W.evil_key);
	EVP_PKEY_free(W.small_key);
	EVP_PKEY_free(W.vcek_key);
	EVP_PKEY_free(W.vlek_key);
	EVP_PKEY_free(W.other_p384);
	return 0;
}

/* ---- 1. valid reports -------------------------------------------- */

static void
test_valid_products(void **state)
{
	static const struct {
		enum snp_product	p;
		uint32_t		version;
	} cases[] = {
		{ SNP_PRODUCT_MILAN, 2 }, { SNP_PRODUCT_MILAN, 3 },
		{ SNP_PRODUCT_MILAN, 5 }, { SNP_PRODUCT_GENOA, 3 },
		{ SNP_PRODUCT_GENOA, 5 }, { SNP_PRODUCT_TURIN, 3 },
		{ SNP_PRODUCT_TURIN, 5 },
	};
	struct vouch_result *res;
	const uint8_t *b;
	struct rep o;
	size_t i, n;
	int64_t v;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rep_init(&o, cases[i].p, cases[i].version);
		res = NULL;
		if (check_rep_ex(&o, 0, &res) != VOUCH_OK) {
			fail_msg("%s v%u: %s", snp_product_name(cases[i].p),
			    cases[i].version, last_error);
		}
		claim_string(res, "platform", "snp");
		claim_string(res, "snp.product", snp_product_name(cases[i].p));
		claim_string(res, "snp.signing_key", "vcek");
		claim_int(res, "snp.version", cases[i].version);
		claim_int(res, "snp.guest_svn", 7);
		assert_true(vouch_claims_get_bytes(vouch_result_claims(res),
		    "root_key_id", &b, &n));
		assert_int_equal(n, 32);
		assert_memory_equal(b, W.pin, 32);
		assert_true(vouch_claims_get_bytes(vouch_result_claims(res),
		    "chip_id", &b, &n));
		assert_memory_equal(b, o.chip_id, 64);
		if (cases[i].p == SNP_PRODUCT_TURIN) {
			/* FMC first: fmc 2, bl 3, tee 0, snp 5, ucode 77. */
			claim_int(res, "snp.reported_tcb.fmc", 2);
			claim_int(res, "snp.reported_tcb.bootloader", 3);
			claim_int(res, "snp.reported_tcb.snp", 5);
			claim_int(res, "snp.reported_tcb.microcode", 77);
		} else {
			assert_false(vouch_claims_get_int(
			    vouch_result_claims(res), "snp.reported_tcb.fmc",
			    &v));
		}
		if (cases[i].version >= 5) {
			claim_int(res, "snp.launch_mit_vector", 3);
			claim_int(res, "snp.current_mit_vector", 7);
		} else {
			assert_false(vouch_claims_get_int(
			    vouch_result_claims(res), "snp.current_mit_vector",
			    &v));
		}
		assert_true(json_has(res, "\"unchecked\":[\"report_data\"]"));
		vouch_result_free(res);
	}
}

/* The warm path (chain cache) on Turin v5 never masks a refusal. */
static void
test_warm_path(void **state)
{
	struct vouch_ctx *ctx = vouch_ctx_new();
	struct vouch_verify_config *cfg;
	uint8_t ev[SNP_REPORT_LEN];
	struct rep o;
	struct env e;
	X509 *leaf;
	int i;

	(void)state;
	rep_init(&o, SNP_PRODUCT_TURIN, 5);
	leaf = leaf_for(&o);
	env_std(&e, SNP_PRODUCT_TURIN, leaf, false);
	vouch_ctx_set_time(ctx, T_NOW);
	cfg = config(ctx, &e);
	make_report(&o, ev);
	for (i = 0; i < 3; i++) {
		EXPECT(run(ctx, cfg, ev, sizeof(ev), NULL), VOUCH_OK);
	}
	/* Signed by the same key, with forbidden content: refused warm. */
	o.policy |= SNP_POLICY_MIGRATE_MA;
	make_report(&o, ev);
	EXPECT(run(ctx, cfg, ev, sizeof(ev), NULL), VOUCH_ERR_POLICY_DENIED);
	o.policy &= ~SNP_POLICY_MIGRATE_MA;
	o.committed_tcb = tcb(SNP_PRODUCT_TURIN, 3, 3, 0, 5, 77);
	make_report(&o, ev);
	EXPECT(run(ctx, cfg, ev, sizeof(ev), NULL), VOUCH_ERR_TCB_MISMATCH);
	assert_non_null(strstr(last_error, "committed_tcb fmc 3"));
	o.committed_tcb = o.current_tcb;
	o.reported_tcb = tcb(SNP_PRODUCT_TURIN, 1, 3, 0, 5, 77);
	make_report(&o, ev);
	EXPECT(run(ctx, cfg, ev, sizeof(ev), NULL), VOUCH_ERR_TCB_MISMATCH);
	o.reported_tcb = o.current_tcb;
	o.chip_id[0] ^= 1;
	make_report(&o, ev);
	EXPECT(run(ctx, cfg, ev, sizeof(ev), NULL), VOUCH_ERR_CHIP_ID_MISMATCH);
	o.chip_id[0] ^= 1;
	/* Another key: the cached one does not verify, the cold path says. */
	o.key = W.other_p384;
	make_report(&o, ev);
	EXPECT(run(ctx, cfg, ev, sizeof(ev), NULL), VOUCH_ERR_SIGNATURE_INVALID);
	o.key = NULL;
	/* Outside the CRL's window, still warm. */
	make_report(&o, ev);
	vouch_ctx_set_time(ctx, T_NOW + 200 * DAY);
	EXPECT(run(ctx, cfg, ev, sizeof(ev), NULL), VOUCH_ERR_CRL_EXPIRED);
	vouch_ctx_set_time(ctx, T_NOW);
	EXPECT(run(ctx, cfg, ev, sizeof(ev), NULL), VOUCH_OK);
	vouch_verify_config_free(cfg);
	vouch_ctx_free(ctx);
	X509_free(leaf);
}

/* ---- 2. the pin is the only trust -------------------------------- */

/* report || certificate table {ARK, ASK, VCEK, CRL} (GHCB 56421). */
static struct blob
with_table(const uint8_t rep[SNP_REPORT_LEN], X509 *const *certs,
    const enum snp_cert_kind *kinds, size_t n, const struct blob *crl)
{
	struct blob out, d[5];
	size_t i, ne = n + (crl != NULL ? 1 : 0), off, total;
	uint8_t *t;

	assert_true(ne <= 5);
	for (i = 0; i < n; i++) {
		d[i].p = NULL;
		assert_int_equal(vouch_cert_to_der(NULL, certs[i], &d[i].p,
		    &d[i].n), VOUCH_OK);
	}
	if (crl != NULL) {
		d[n] = *crl;
	}
	total = (ne + 1) * SNP_CERT_TABLE_ENTRY_BYTES;
	for (i = 0; i < ne; i++) {
		total += d[i].n;
	}
	out.n = SNP_REPORT_LEN + total;
	out.p = calloc(1, out.n);
	assert_non_null(out.p);
	memcpy(out.p, rep, SNP_REPORT_LEN);
	t = out.p + SNP_REPORT_LEN;
	off = (ne + 1) * SNP_CERT_TABLE_ENTRY_BYTES;
	for (i = 0; i < ne; i++) {
		memcpy(t + i * 24, snp_cert_guid(i < n ? kinds[i] :
		    SNP_CERT_CRL), 16);
		put32(t + i * 24 + 16, (uint32_t)off);
		put32(t + i * 24 + 20, (uint32_t)d[i].n);
		memcpy(t + off, d[i].p, d[i].n);
		off += d[i].n;
	}
	for (i = 0; i < n; i++) {
		free(d[i].p);
	}
	return out;
}

static void
test_pin_required(void **state)
{
	static const enum snp_cert_kind kinds[] = { SNP_CERT_VCEK,
	    SNP_CERT_ASK, SNP_CERT_ARK };
	struct vouch_ctx *ctx = vouch_ctx_new();
	struct vouch_verify_config *cfg;
	uint8_t ev[SNP_REPORT_LEN], *der = NULL, bogus[32];
	struct blob ext;
	X509 *leaf, *certs[3];
	struct rep o;
	struct env e;
	size_t n = 0;

	(void)state;
	rep_init(&o, SNP_PRODUCT_MILAN, 3);
	leaf = leaf_for(&o);
	make_report(&o, ev);
	env_std(&e, SNP_PRODUCT_MILAN, leaf, false);
	EXPECT(verify_env(ev, sizeof(ev), &e, NULL), VOUCH_OK);
	/* Without the test pin: AMD's pins, which the synthetic ARK is not. */
	e.pin = 0;
	EXPECT(verify_env(ev, sizeof(ev), &e, NULL), VOUCH_ERR_NO_TRUST_ANCHOR);
	/* A pin on another key. */
	memcpy(bogus, W.pin, sizeof(bogus));
	bogus[31] ^= 1;
	e.pin = SNP_PRODUCT_MILAN;
	e.pin_hash = bogus;
	EXPECT(verify_env(ev, sizeof(ev), &e, NULL), VOUCH_ERR_NO_TRUST_ANCHOR);
	/* The synthetic ARK as a configured trust anchor: still not pinned. */
	e.pin = 0;
	e.pin_hash = NULL;
	vouch_ctx_set_time(ctx, T_NOW);
	cfg = config(ctx, &e);
	assert_int_equal(vouch_cert_to_der(NULL, W.ark[SNP_PRODUCT_MILAN],
	    &der, &n), VOUCH_OK);
	assert_int_equal(vouch_verify_config_add_trust_anchor(ctx, cfg, der, n),
	    VOUCH_OK);
	EXPECT(run(ctx, cfg, ev, sizeof(ev), NULL), VOUCH_ERR_NO_TRUST_ANCHOR);
	vouch_verify_config_free(cfg);
	free(der);

	/* The whole hierarchy inside the evidence's certificate table. */
	certs[0] = leaf;
	certs[1] = W.ask[SNP_PRODUCT_MILAN];
	certs[2] = W.ark[SNP_PRODUCT_MILAN];
	ext = with_table(ev, certs, kinds, 3, &W.crl[SNP_PRODUCT_MILAN]);
	memset(&e, 0, sizeof(e));
	EXPECT(verify_env(ext.p, ext.n, &e, NULL), VOUCH_ERR_NO_TRUST_ANCHOR);
	e.pin = SNP_PRODUCT_MILAN;
	EXPECT(verify_env(ext.p, ext.n, &e, NULL), VOUCH_OK);
	free(ext.p);
	/* An evil ARK with ARK-Milan's name in the table, the real one pinned. */
	certs[2] = make_ark(SNP_PRODUCT_MILAN, W.evil_key);
	certs[1] = make_ask(SNP_PRODUCT_MILAN, false, certs[2], W.evil_key,
	    W.ask_key);
	ext = with_table(ev, certs, kinds, 3, &W.crl[SNP_PRODUCT_MILAN]);
	EXPECT(verify_env(ext.p, ext.n, &e, NULL), VOUCH_ERR_NO_TRUST_ANCHOR);
	free(ext.p);
	X509_free(certs[1]);
	X509_free(certs[2]);
	X509_free(leaf);
	vouch_ctx_free(ctx);
}

/* ---- 3. signed but forbidden content ----------------------------- */

static void
test_guest_policy(void **state)
{
	struct vouch_result *res = NULL;
	struct rep o;

	(void)state;
	rep_init(&o, SNP_PRODUCT_GENOA, 3);
	o.policy |= SNP_POLICY_DEBUG;
	EXPECT(check_rep(&o), VOUCH_ERR_DEBUG_ENABLED);
	EXPECT(check_rep_ex(&o, F_DEBUG, &res), VOUCH_OK);
	assert_true(json_has(res, "\"insecure_relaxed\":[\"debug\"]"));
	vouch_result_free(res);
	rep_init(&o, SNP_PRODUCT_GENOA, 3);
	o.policy |= SNP_POLICY_MIGRATE_MA;
	EXPECT(check_rep(&o), VOUCH_ERR_POLICY_DENIED);
	/* No insecure flag lifts MIGRATE_MA. */
	EXPECT(check_rep_ex(&o, F_DEBUG | F_SKIP_REV | F_PROVISIONAL, NULL),
	    VOUCH_ERR_POLICY_DENIED);
	/* Reserved policy bits: 17 must be one, 63:26 zero. */
	rep_init(&o, SNP_PRODUCT_GENOA, 3);
	o.policy &= ~SNP_POLICY_RESERVED_1;
	EXPECT(check_rep(&o), VOUCH_ERR_RESERVED_NONZERO);
	o.policy = 0x30000 | (1ull << 26);
	EXPECT(check_rep(&o), VOUCH_ERR_RESERVED_NONZERO);
	o.policy = 0x30000 | (1ull << 63);
	EXPECT(check_rep(&o), VOUCH_ERR_RESERVED_NONZERO);
	/* Bits 25:20 are defined (v5 guest policy): accepted. */
	o.policy = 0x30000 | SNP_POLICY_SINGLE_SOCKET | (1ull << 25);
	EXPECT(check_rep(&o), VOUCH_OK);
}

static void
test_versions_and_reserved(void **state)
{
	static const uint32_t bad_versions[] = { 0, 1, 4, 6, 0x102 };
	static const struct {
		uint32_t	version;
		size_t		off;
	} rsv[] = {
		{ 3, 0x4c }, { 3, 0x4f },
		{ 2, 0x188 }, { 2, 0x18a },	/* CPUID bytes are reserved in v2 */
		{ 3, 0x18b }, { 5, 0x19f },
		{ 3, 0x1eb }, { 5, 0x1ef },
		{ 2, 0x1f8 }, { 3, 0x207 },	/* mitigation vectors before v5 */
		{ 5, 0x208 }, { 5, 0x29f }, { 2, 0x29f },
	};
	uint8_t ev[SNP_REPORT_LEN];
	struct rep o;
	struct env e;
	X509 *leaf;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad_versions) / sizeof(bad_versions[0]); i++) {
		rep_init(&o, SNP_PRODUCT_MILAN, 5);
		o.version = bad_versions[i];
		EXPECT(check_rep(&o), VOUCH_ERR_UNSUPPORTED_VERSION);
	}
	for (i = 0; i < sizeof(rsv) / sizeof(rsv[0]); i++) {
		rep_init(&o, SNP_PRODUCT_MILAN, rsv[i].version);
		rep_poke(&o, rsv[i].off, 0x01);
		if (check_rep(&o) != VOUCH_ERR_RESERVED_NONZERO) {
			fail_msg("v%u byte 0x%03zx: %s", rsv[i].version,
			    rsv[i].off, last_error);
		}
	}
	/* PLATFORM_INFO bits 63:8 and the key-info word's bits 31:5. */
	rep_init(&o, SNP_PRODUCT_MILAN, 3);
	o.platform_info |= 1ull << 8;
	EXPECT(check_rep(&o), VOUCH_ERR_RESERVED_NONZERO);
	o.platform_info = 0xff;		/* every defined bit */
	EXPECT(check_rep(&o), VOUCH_OK);
	rep_init(&o, SNP_PRODUCT_MILAN, 3);
	o.flags |= 1u << 5;
	EXPECT(check_rep(&o), VOUCH_ERR_RESERVED_NONZERO);
	o.flags = 1u << 31;
	EXPECT(check_rep(&o), VOUCH_ERR_RESERVED_NONZERO);
	/* signing_key 2..7 (7: none, an unsigned report). */
	for (i = 2; i <= 7; i++) {
		rep_init(&o, SNP_PRODUCT_MILAN, 3);
		o.flags = (uint32_t)i << SNP_FLAG_SIGNING_KEY_SHIFT;
		o.key = W.vcek_key;
		EXPECT(check_rep(&o), VOUCH_ERR_BAD_FIELD);
	}
	/* signature_algo other than 1 (ECDSA P-384 with SHA-384). */
	for (i = 0; i < 4; i++) {
		if (i == 1) {
			continue;
		}
		rep_init(&o, SNP_PRODUCT_MILAN, 3);
		o.sig_algo = (uint32_t)i;
		EXPECT(check_rep(&o), VOUCH_ERR_BAD_FIELD);
	}
	/* The unsigned tail: the high bytes of R and S, and the reserved area. */
	rep_init(&o, SNP_PRODUCT_MILAN, 5);
	leaf = leaf_for(&o);
	env_std(&e, SNP_PRODUCT_MILAN, leaf, false);
	make_report(&o, ev);
	EXPECT(verify_env(ev, sizeof(ev), &e, NULL), VOUCH_OK);
	ev[0x2a0 + 48] = 1;
	EXPECT(verify_env(ev, sizeof(ev), &e, NULL), VOUCH_ERR_SIGNATURE_INVALID);
	ev[0x2a0 + 48] = 0;
	ev[0x2e8 + 71] = 1;
	EXPECT(verify_env(ev, sizeof(ev), &e, NULL), VOUCH_ERR_SIGNATURE_INVALID);
	ev[0x2e8 + 71] = 0;
	ev[0x330] = 1;
	EXPECT(verify_env(ev, sizeof(ev), &e, NULL), VOUCH_ERR_RESERVED_NONZERO);
	ev[0x330] = 0;
	ev[0x49f] = 1;
	EXPECT(verify_env(ev, sizeof(ev), &e, NULL), VOUCH_ERR_RESERVED_NONZERO);
	ev[0x49f] = 0;
	/* The signature's low half: S + 1 does not verify. */
	ev[0x2e8] ^= 1;
	EXPECT(verify_env(ev, sizeof(ev), &e, NULL), VOUCH_ERR_SIGNATURE_INVALID);
	ev[0x2e8] ^= 1;
	EXPECT(verify_env(ev, sizeof(ev), &e, NULL), VOUCH_OK);
	X509_free(leaf);
	/* Signed by a key no certificate vouches for. */
	rep_init(&o, SNP_PRODUCT_MILAN, 5);
	o.key = W.other_p384;
	EXPECT(check_rep(&o), VOUCH_ERR_SIGNATURE_INVALID);
}

static void
test_chip_id(void **state)
{
	enum snp_product p;
	struct rep o;

	(void)state;
	for (p = SNP_PRODUCT_MILAN; p <= SNP_PRODUCT_TURIN; p++) {
		/* CHIP_ID other than hwID; for Turin, in hwID's 8 bytes. */
		rep_init(&o, p, 5);
		o.chip_id[p == SNP_PRODUCT_TURIN ? 7 : 63] ^= 0x80;
		EXPECT(check_rep(&o), VOUCH_ERR_CHIP_ID_MISMATCH);
		/* MASK_CHIP_KEY set does not excuse a CHIP_ID that differs. */
		o.flags |= SNP_FLAG_MASK_CHIP_KEY;
		EXPECT(check_rep(&o), VOUCH_ERR_CHIP_ID_MISMATCH);
		/* Masked: zero CHIP_ID accepted only with MASK_CHIP_KEY. */
		memset(o.chip_id, 0, sizeof(o.chip_id));
		EXPECT(check_rep(&o), VOUCH_OK);
		o.flags &= ~SNP_FLAG_MASK_CHIP_KEY;
		EXPECT(check_rep(&o), VOUCH_ERR_CHIP_ID_MISMATCH);
	}
	/* Turin: hwID names the first 8 bytes; the rest is not in it. */
	rep_init(&o, SNP_PRODUCT_TURIN, 5);
	o.chip_id[8] ^= 0x80;
	EXPECT(check_rep(&o), VOUCH_OK);
}

/* REPORTED_TCB against the V[CL]EK's SPLs, and against CURRENT_TCB. */
static void
test_reported_tcb(void **state)
{
	static const struct {
		enum snp_product	p;
		int			shift;	/* the byte that differs */
	} cases[] = {
		{ SNP_PRODUCT_MILAN, 0 }, { SNP_PRODUCT_MILAN, 8 },
		{ SNP_PRODUCT_MILAN, 16 }, { SNP_PRODUCT_MILAN, 40 },
		{ SNP_PRODUCT_MILAN, 48 }, { SNP_PRODUCT_MILAN, 56 },
		{ SNP_PRODUCT_GENOA, 0 }, { SNP_PRODUCT_GENOA, 56 },
		{ SNP_PRODUCT_TURIN, 0 }, { SNP_PRODUCT_TURIN, 8 },
		{ SNP_PRODUCT_TURIN, 16 }, { SNP_PRODUCT_TURIN, 24 },
		{ SNP_PRODUCT_TURIN, 32 }, { SNP_PRODUCT_TURIN, 48 },
		{ SNP_PRODUCT_TURIN, 56 },
	};
	struct rep o;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		/* The report says one more than the certificate. */
		rep_init(&o, cases[i].p, 5);
		o.reported_tcb += 1ull << cases[i].shift;
		o.current_tcb = o.committed_tcb = o.reported_tcb;
		if (check_rep(&o) != VOUCH_ERR_TCB_MISMATCH) {
			fail_msg("%s byte %d: %s", snp_product_name(cases[i].p),
			    cases[i].shift / 8, last_error);
		}
		/* And one less. */
		rep_init(&o, cases[i].p, 5);
		o.cert_tcb += 1ull << cases[i].shift;
		if (check_rep(&o) != VOUCH_ERR_TCB_MISMATCH) {
			fail_msg("%s cert byte %d: %s",
			    snp_product_name(cases[i].p), cases[i].shift / 8,
			    last_error);
		}
	}
	/* The certified TCB newer than what runs (each component). */
	rep_init(&o, SNP_PRODUCT_MILAN, 3);
	o.current_tcb = o.committed_tcb = o.reported_tcb - (1ull << 56);
	EXPECT(check_rep(&o), VOUCH_ERR_TCB_MISMATCH);
	assert_non_null(strstr(last_error, "newer than current_tcb"));
	rep_init(&o, SNP_PRODUCT_TURIN, 5);
	o.current_tcb = o.committed_tcb = o.reported_tcb - 1;	/* FMC */
	EXPECT(check_rep(&o), VOUCH_ERR_TCB_MISMATCH);
	assert_non_null(strstr(last_error, "newer than current_tcb"));
	/* An older certified TCB under newer firmware is fine (S-4's case). */
	rep_init(&o, SNP_PRODUCT_TURIN, 5);
	o.current_tcb = o.committed_tcb = o.reported_tcb + (2ull << 56) + 1;
	EXPECT(check_rep(&o), VOUCH_OK);
}

static void
test_committed(void **state)
{
	struct vouch_result *res = NULL;
	struct rep o;
	int b = 0;

	(void)state;
	/* Each Turin component committed above current, by name. */
	rep_init(&o, SNP_PRODUCT_TURIN, 5);
	o.committed_tcb += 1;
	EXPECT(check_rep(&o), VOUCH_ERR_TCB_MISMATCH);
	assert_non_null(strstr(last_error, "committed_tcb fmc 3 is above "
	    "current_tcb fmc 2"));
	rep_init(&o, SNP_PRODUCT_TURIN, 5);
	o.committed_tcb += 1ull << 24;
	EXPECT(check_rep(&o), VOUCH_ERR_TCB_MISMATCH);
	assert_non_null(strstr(last_error, "committed_tcb snp 6"));
	rep_init(&o, SNP_PRODUCT_MILAN, 2);
	o.committed_tcb += 1ull << 56;
	EXPECT(check_rep(&o), VOUCH_ERR_TCB_MISMATCH);
	assert_non_null(strstr(last_error, "committed_tcb microcode 220"));
	/* The committed firmware version above the current one. */
	rep_init(&o, SNP_PRODUCT_GENOA, 5);
	o.com_ver[2] = 4;
	EXPECT(check_rep(&o), VOUCH_ERR_TCB_MISMATCH);
	assert_non_null(strstr(last_error, "committed firmware 1.58 build 4"));
	rep_init(&o, SNP_PRODUCT_GENOA, 5);
	o.com_ver[0] = 2;
	o.com_ver[1] = 0;
	o.com_ver[2] = 0;
	EXPECT(check_rep(&o), VOUCH_ERR_TCB_MISMATCH);
	/* Below: provisional firmware, refused unless allowed by name. */
	rep_init(&o, SNP_PRODUCT_TURIN, 5);
	o.committed_tcb -= 1;
	EXPECT(check_rep(&o), VOUCH_ERR_TCB_MISMATCH);
	assert_non_null(strstr(last_error, "provisional"));
	EXPECT(check_rep_ex(&o, F_PROVISIONAL, &res), VOUCH_OK);
	assert_true(vouch_claims_get_bool(vouch_result_claims(res),
	    "snp.provisional_firmware", &b));
	assert_int_equal(b, 1);
	assert_true(json_has(res, "\"insecure_relaxed\":[\""
	    "provisional_firmware\"]"));
	vouch_result_free(res);
	rep_init(&o, SNP_PRODUCT_MILAN, 3);
	o.com_ver[1] = 57;
	o.com_ver[2] = 200;
	EXPECT(check_rep(&o), VOUCH_ERR_TCB_MISMATCH);
	EXPECT(check_rep_ex(&o, F_PROVISIONAL, NULL), VOUCH_OK);
}

static void
test_report_data(void **state)
{
	uint8_t ev[SNP_REPORT_LEN], want[64];
	struct vouch_result *res = NULL;
	struct rep o;
	struct env e;
	X509 *leaf;

	(void)state;
	rep_init(&o, SNP_PRODUCT_GENOA, 5);
	leaf = leaf_for(&o);
	make_report(&o, ev);
	env_std(&e, SNP_PRODUCT_GENOA, leaf, false);
	memcpy(want, o.report_data, 64);
	e.rd = want;
	EXPECT(verify_env(ev, sizeof(ev), &e, &res), VOUCH_OK);
	assert_int_equal(vouch_result_report_data_checked(res), 1);
	vouch_result_free(res);
	want[63] ^= 1;
	EXPECT(verify_env(ev, sizeof(ev), &e, NULL),
	    VOUCH_ERR_REPORT_DATA_MISMATCH);
	want[63] ^= 1;
	want[0] ^= 0x80;
	EXPECT(verify_env(ev, sizeof(ev), &e, NULL),
	    VOUCH_ERR_REPORT_DATA_MISMATCH);
	X509_free(leaf);
}

/* CPUID (v3+) names the product; the certificate's extensions must parse. */
static void
test_product_and_extensions(void **state)
{
	uint8_t ev[SNP_REPORT_LEN];
	struct cspec s;
	struct rep o;
	struct env e;
	X509 *leaf;

	(void)state;
	/* CPUID of another product or of none. */
	rep_init(&o, SNP_PRODUCT_MILAN, 3);
	memcpy(o.cpuid, cpuid_of[SNP_PRODUCT_GENOA], 3);
	EXPECT(check_rep(&o), VOUCH_ERR_PRODUCT_MISMATCH);
	rep_init(&o, SNP_PRODUCT_TURIN, 5);
	o.cpuid[0] = 0x17;
	EXPECT(check_rep(&o), VOUCH_ERR_PRODUCT_MISMATCH);
	rep_init(&o, SNP_PRODUCT_GENOA, 5);
	o.cpuid[1] = 0xa1;	/* Genoa-X / Bergamo models */
	EXPECT(check_rep(&o), VOUCH_OK);

	/* Certificates that lack or garble what the binding needs. */
	rep_init(&o, SNP_PRODUCT_TURIN, 5);
	make_report(&o, ev);
#define LEAF_CASE(edit, want) do {					\
	leaf_spec(&s, SNP_PRODUCT_TURIN, false, o.cert_tcb, o.cert_chip);	\
	edit;								\
	leaf = make_leaf(&s, SNP_PRODUCT_TURIN, false);			\
	env_std(&e, SNP_PRODUCT_TURIN, leaf, false);			\
	EXPECT(verify_env(ev, sizeof(ev), &e, NULL), want);		\
	X509_free(leaf);						\
} while (0)
	LEAF_CASE((void)0, VOUCH_OK);
	LEAF_CASE(s.spl[8] = -1, VOUCH_ERR_BAD_CERT);		/* no ucodeSPL */
	LEAF_CASE(s.spl[1] = -1, VOUCH_ERR_BAD_CERT);		/* no blSPL */
	LEAF_CASE(s.spl[2] = 256, VOUCH_ERR_BAD_CERT);		/* > 255 */
	LEAF_CASE(s.spl[9] = 3, VOUCH_ERR_TCB_MISMATCH);	/* fmcSPL */
	LEAF_CASE(s.spl[9] = -1, VOUCH_ERR_BAD_CERT);		/* no fmcSPL */
	LEAF_CASE(s.spl[5] = 1, VOUCH_ERR_TCB_MISMATCH);	/* reserved */
	LEAF_CASE(s.product = NULL, VOUCH_ERR_PRODUCT_MISMATCH);
	LEAF_CASE(s.product = "Turin-B1", VOUCH_OK);
	LEAF_CASE(s.product = "Turing", VOUCH_ERR_PRODUCT_MISMATCH);
	LEAF_CASE(s.product = "Milan-B0", VOUCH_ERR_PRODUCT_MISMATCH);
	LEAF_CASE(s.hwid_len = 64, VOUCH_ERR_CHIP_ID_MISMATCH);	/* Milan's */
	LEAF_CASE(s.hwid_len = 7, VOUCH_ERR_BAD_CERT);
	LEAF_CASE(s.hwid = NULL, VOUCH_ERR_CHIP_ID_MISMATCH);
#undef LEAF_CASE
	/* Milan: a 64-byte hwID, and an 8-byte one is not enough. */
	rep_init(&o, SNP_PRODUCT_MILAN, 3);
	make_report(&o, ev);
	leaf_spec(&s, SNP_PRODUCT_MILAN, false, o.cert_tcb, o.cert_chip);
	s.hwid_len = 8;
	leaf = make_leaf(&s, SNP_PRODUCT_MILAN, false);
	env_std(&e, SNP_PRODUCT_MILAN, leaf, false);
	EXPECT(verify_env(ev, sizeof(ev), &e, NULL), VOUCH_ERR_CHIP_ID_MISMATCH);
	X509_free(leaf);
	leaf_spec(&s, SNP_PRODUCT_MILAN, false, o.cert_tcb, o.cert_chip);
	s.spl[4] = 9;		/* reserved byte 2 */
	leaf = make_leaf(&s, SNP_PRODUCT_MILAN, false);
	env_std(&e, SNP_PRODUCT_MILAN, leaf, false);
	EXPECT(verify_env(ev, sizeof(ev), &e, NULL), VOUCH_ERR_TCB_MISMATCH);
	X509_free(leaf);
}

/* ---- 4. VCEK and VLEK -------------------------------------------- */

static void
test_vlek(void **state)
{
	uint8_t ev[SNP_REPORT_LEN];
	struct vouch_result *res = NULL;
	X509 *vlek, *vcek, *wrong;
	struct cspec s;
	struct rep o, v;
	struct env e;
	enum snp_product p;

	(void)state;
	for (p = SNP_PRODUCT_MILAN; p <= SNP_PRODUCT_TURIN; p++) {
		rep_init(&o, p, 5);
		o.flags = SNP_SIGNING_KEY_VLEK << SNP_FLAG_SIGNING_KEY_SHIFT;
		memset(o.chip_id, 0, sizeof(o.chip_id));
		o.flags |= SNP_FLAG_MASK_CHIP_KEY;
		res = NULL;
		EXPECT(check_rep_ex(&o, 0, &res), VOUCH_OK);
		claim_string(res, "snp.signing_key", "vlek");
		claim_string(res, "snp.product", snp_product_name(p));
		vouch_result_free(res);
	}
	/* A VLEK report needs no CHIP_ID (cspID instead of hwID). */
	rep_init(&o, SNP_PRODUCT_MILAN, 3);
	o.flags = SNP_SIGNING_KEY_VLEK << SNP_FLAG_SIGNING_KEY_SHIFT;
	EXPECT(check_rep(&o), VOUCH_OK);

	vlek = leaf_for(&o);
	make_report(&o, ev);
	/* The VCEK chain (ASK) does not issue a VLEK. */
	env_std(&e, SNP_PRODUCT_MILAN, vlek, false);
	EXPECT(verify_env(ev, sizeof(ev), &e, NULL), VOUCH_ERR_CHAIN_INVALID);
	/* A VLEK issued by the ASK, given with the ASVK... */
	leaf_spec(&s, SNP_PRODUCT_MILAN, true, o.cert_tcb, NULL);
	wrong = make_cert(&s, W.vlek_key, W.ask[SNP_PRODUCT_MILAN], W.ask_key);
	env_std(&e, SNP_PRODUCT_MILAN, wrong, true);
	EXPECT(verify_env(ev, sizeof(ev), &e, NULL), VOUCH_ERR_CHAIN_INVALID);
	/* ...or with that ASK: the intermediate is no ASVK. */
	env_std(&e, SNP_PRODUCT_MILAN, wrong, false);
	EXPECT(verify_env(ev, sizeof(ev), &e, NULL), VOUCH_ERR_CHAIN_INVALID);
	assert_non_null(strstr(last_error, "not the ASVK SEV-VLEK-Milan"));
	X509_free(wrong);
	/* A VLEK with a hwID, or without cspID. */
	leaf_spec(&s, SNP_PRODUCT_MILAN, true, o.cert_tcb, NULL);
	s.hwid = o.chip_id;
	s.hwid_len = 64;
	wrong = make_leaf(&s, SNP_PRODUCT_MILAN, true);
	env_std(&e, SNP_PRODUCT_MILAN, wrong, true);
	EXPECT(verify_env(ev, sizeof(ev), &e, NULL), VOUCH_ERR_BAD_CERT);
	X509_free(wrong);
	leaf_spec(&s, SNP_PRODUCT_MILAN, true, o.cert_tcb, NULL);
	s.csp_id = NULL;
	wrong = make_leaf(&s, SNP_PRODUCT_MILAN, true);
	env_std(&e, SNP_PRODUCT_MILAN, wrong, true);
	EXPECT(verify_env(ev, sizeof(ev), &e, NULL), VOUCH_ERR_BAD_CERT);
	X509_free(wrong);

	/* The VLEK's key signing a report that claims the VCEK... */
	v = o;
	v.flags = 0;
	v.key = W.vlek_key;
	make_report(&v, ev);
	env_std(&e, SNP_PRODUCT_MILAN, vlek, true);
	EXPECT(verify_env(ev, sizeof(ev), &e, NULL),
	    VOUCH_ERR_COLLATERAL_MISSING);
	/* ...and the VCEK's key a report that claims the VLEK. */
	rep_init(&v, SNP_PRODUCT_MILAN, 3);
	vcek = leaf_for(&v);
	v.flags = SNP_SIGNING_KEY_VLEK << SNP_FLAG_SIGNING_KEY_SHIFT;
	v.key = W.vcek_key;
	make_report(&v, ev);
	env_std(&e, SNP_PRODUCT_MILAN, vcek, false);
	EXPECT(verify_env(ev, sizeof(ev), &e, NULL),
	    VOUCH_ERR_COLLATERAL_MISSING);
	e.cert[3] = vlek;
	e.cert[4] = W.asvk[SNP_PRODUCT_MILAN];
	EXPECT(verify_env(ev, sizeof(ev), &e, NULL), VOUCH_ERR_SIGNATURE_INVALID);
	/* A VCEK report with the ASVK instead of the ASK. */
	v.flags = 0;
	make_report(&v, ev);
	env_std(&e, SNP_PRODUCT_MILAN, vcek, false);
	e.cert[1] = W.asvk[SNP_PRODUCT_MILAN];
	EXPECT(verify_env(ev, sizeof(ev), &e, NULL), VOUCH_ERR_CHAIN_INVALID);
	X509_free(vcek);
	X509_free(vlek);
}

/* ---- 5. product line and chain shape ----------------------------- */

static void
test_product_line(void **state)
{
	uint8_t ev[SNP_REPORT_LEN];
	X509 *leaf, *ask;
	struct cspec s;
	struct rep o;
	struct env e;

	(void)state;
	/* A Turin VCEK under the Milan ASK and ARK, pinned as Milan. */
	rep_init(&o, SNP_PRODUCT_TURIN, 5);
	make_report(&o, ev);
	leaf_spec(&s, SNP_PRODUCT_TURIN, false, o.cert_tcb, o.cert_chip);
	leaf = make_leaf(&s, SNP_PRODUCT_MILAN, false);
	env_std(&e, SNP_PRODUCT_MILAN, leaf, false);
	EXPECT(verify_env(ev, sizeof(ev), &e, NULL), VOUCH_ERR_PRODUCT_MISMATCH);
	X509_free(leaf);
	/* The Turin hierarchy pinned as Milan or Genoa: the names disagree. */
	rep_init(&o, SNP_PRODUCT_TURIN, 5);
	leaf = leaf_for(&o);
	env_std(&e, SNP_PRODUCT_TURIN, leaf, false);
	e.pin = SNP_PRODUCT_MILAN;
	EXPECT(verify_env(ev, sizeof(ev), &e, NULL), VOUCH_ERR_CHAIN_INVALID);
	e.pin = SNP_PRODUCT_GENOA;
	EXPECT(verify_env(ev, sizeof(ev), &e, NULL), VOUCH_ERR_CHAIN_INVALID);
	e.pin = SNP_PRODUCT_TURIN;
	EXPECT(verify_env(ev, sizeof(ev), &e, NULL), VOUCH_OK);
	/* ASK named for Genoa between ARK-Turin and the Turin VCEK. */
	e.cert[1] = W.ask[SNP_PRODUCT_GENOA];
	EXPECT(verify_env(ev, sizeof(ev), &e, NULL), VOUCH_ERR_CHAIN_INVALID);
	X509_free(leaf);
	/* The Genoa ASK and ARK issuing a Turin VCEK, the key pinned as Turin. */
	leaf_spec(&s, SNP_PRODUCT_TURIN, false, o.cert_tcb, o.cert_chip);
	leaf = make_leaf(&s, SNP_PRODUCT_GENOA, false);
	env_std(&e, SNP_PRODUCT_GENOA, leaf, false);
	e.pin = SNP_PRODUCT_TURIN;
	EXPECT(verify_env(ev, sizeof(ev), &e, NULL), VOUCH_ERR_CHAIN_INVALID);
	assert_non_null(strstr(last_error, "not the ASK SEV-Turin"));
	X509_free(leaf);
	/* ARK-Genoa's name on the key pinned as Turin. */
	ask = make_ask(SNP_PRODUCT_TURIN, false, W.ark[SNP_PRODUCT_GENOA],
	    W.ark_key, W.ask_key);
	leaf_spec(&s, SNP_PRODUCT_TURIN, false, o.cert_tcb, o.cert_chip);
	leaf = make_cert(&s, W.vcek_key, ask, W.ask_key);
	env_std(&e, SNP_PRODUCT_TURIN, leaf, false);
	e.cert[1] = ask;
	e.cert[2] = W.ark[SNP_PRODUCT_GENOA];
	e.crl[0] = W.crl[SNP_PRODUCT_GENOA];
	EXPECT(verify_env(ev, sizeof(ev), &e, NULL), VOUCH_ERR_CHAIN_INVALID);
	assert_non_null(strstr(last_error, "root is not ARK-Turin"));
	X509_free(leaf);
	X509_free(ask);
}

/* What check_chain_shape requires of AMD's certificates. */
static void
test_chain_shape(void **state)
{
	uint8_t ev[SNP_REPORT_LEN], pin2048[32];
	X509 *leaf, *ark, *ask, *mid;
	struct cspec s;
	struct rep o;
	struct env e;

	(void)state;
	rep_init(&o, SNP_PRODUCT_GENOA, 3);
	make_report(&o, ev);
	/* Leaf signed with PKCS#1 v1.5 instead of PSS. */
	leaf_spec(&s, SNP_PRODUCT_GENOA, false, o.cert_tcb, o.cert_chip);
	s.pkcs1 = true;
	leaf = make_leaf(&s, SNP_PRODUCT_GENOA, false);
	env_std(&e, SNP_PRODUCT_GENOA, leaf, false);
	EXPECT(verify_env(ev, sizeof(ev), &e, NULL), VOUCH_ERR_CHAIN_INVALID);
	assert_non_null(strstr(last_error, "signing certificate is not a VCEK"));
	X509_free(leaf);
	/* A leaf that is a CA. */
	leaf_spec(&s, SNP_PRODUCT_GENOA, false, o.cert_tcb, o.cert_chip);
	s.ca = true;
	leaf = make_leaf(&s, SNP_PRODUCT_GENOA, false);
	env_std(&e, SNP_PRODUCT_GENOA, leaf, false);
	EXPECT(verify_env(ev, sizeof(ev), &e, NULL), VOUCH_ERR_CHAIN_INVALID);
	X509_free(leaf);
	/* A leaf not named SEV-VCEK is no candidate. */
	leaf_spec(&s, SNP_PRODUCT_GENOA, false, o.cert_tcb, o.cert_chip);
	s.cn = "SEV-VCEK2";
	leaf = make_leaf(&s, SNP_PRODUCT_GENOA, false);
	env_std(&e, SNP_PRODUCT_GENOA, leaf, false);
	EXPECT(verify_env(ev, sizeof(ev), &e, NULL),
	    VOUCH_ERR_COLLATERAL_MISSING);
	X509_free(leaf);
	/* An RSA-2048 ASK. */
	ask = make_ask(SNP_PRODUCT_GENOA, false, W.ark[SNP_PRODUCT_GENOA],
	    W.ark_key, W.small_key);
	leaf_spec(&s, SNP_PRODUCT_GENOA, false, o.cert_tcb, o.cert_chip);
	leaf = make_cert(&s, W.vcek_key, ask, W.small_key);
	env_std(&e, SNP_PRODUCT_GENOA, leaf, false);
	e.cert[1] = ask;
	EXPECT(verify_env(ev, sizeof(ev), &e, NULL), VOUCH_ERR_CHAIN_INVALID);
	assert_non_null(strstr(last_error, "intermediate is not the ASK"));
	X509_free(leaf);
	X509_free(ask);
	/* An RSA-2048 ARK, pinned. */
	ark = make_ark(SNP_PRODUCT_GENOA, W.small_key);
	ask = make_ask(SNP_PRODUCT_GENOA, false, ark, W.small_key, W.ask_key);
	leaf_spec(&s, SNP_PRODUCT_GENOA, false, o.cert_tcb, o.cert_chip);
	leaf = make_cert(&s, W.vcek_key, ask, W.ask_key);
	assert_int_equal(vouch_key_spki_sha256(NULL, W.small_key, pin2048),
	    VOUCH_OK);
	env_std(&e, SNP_PRODUCT_GENOA, leaf, false);
	e.cert[1] = ask;
	e.cert[2] = ark;
	e.pin_hash = pin2048;
	e.flags = F_SKIP_REV;
	EXPECT(verify_env(ev, sizeof(ev), &e, NULL), VOUCH_ERR_CHAIN_INVALID);
	assert_non_null(strstr(last_error, "root is not ARK-Genoa"));
	X509_free(leaf);
	X509_free(ask);
	X509_free(ark);
	/* Four certificates: an extra CA between the ARK and "SEV-Genoa". */
	ca_spec(&s, "SEV-Genoa-0", 0x10004);
	ask = make_cert(&s, W.ask_key, W.ark[SNP_PRODUCT_GENOA], W.ark_key);
	ca_spec(&s, "SEV-Genoa", 0x10005);
	mid = make_cert(&s, W.asvk_key, ask, W.ask_key);
	leaf_spec(&s, SNP_PRODUCT_GENOA, false, o.cert_tcb, o.cert_chip);
	leaf = make_cert(&s, W.vcek_key, mid, W.asvk_key);
	env_std(&e, SNP_PRODUCT_GENOA, leaf, false);
	e.cert[1] = mid;
	e.cert[3] = ask;
	EXPECT(verify_env(ev, sizeof(ev), &e, NULL), VOUCH_ERR_CHAIN_INVALID);
	assert_non_null(strstr(last_error, "chain has 4 certificates"));
	X509_free(leaf);
	X509_free(mid);
	X509_free(ask);
	/* An X.509 v1 ARK (no extensions), pinned. */
	ca_spec(&s, "ARK-Genoa", 0x10000);
	s.v1 = true;
	ark = make_cert(&s, W.ark_key, NULL, NULL);
	leaf = leaf_for(&o);
	env_std(&e, SNP_PRODUCT_GENOA, leaf, false);
	e.cert[2] = ark;
	e.flags = F_SKIP_REV;
	EXPECT(verify_env(ev, sizeof(ev), &e, NULL), VOUCH_ERR_CHAIN_INVALID);
	assert_non_null(strstr(last_error, "depth 2 is not X.509 v3"));
	X509_free(leaf);
	X509_free(ark);
}

/* ---- 6. revocation ----------------------------------------------- */

static void
test_revocation(void **state)
{
	uint8_t ev[SNP_REPORT_LEN];
	struct vouch_result *res = NULL;
	struct crlspec cs;
	struct blob crl, crl2;
	X509 *leaf;
	struct rep o;
	struct env e;

	(void)state;
	rep_init(&o, SNP_PRODUCT_TURIN, 5);
	leaf = leaf_for(&o);
	make_report(&o, ev);
	env_std(&e, SNP_PRODUCT_TURIN, leaf, false);
#define WITH_CRL(edit, want) do {					\
	crl_std(&cs, SNP_PRODUCT_TURIN);				\
	edit;								\
	crl = make_crl(&cs);						\
	e.crl[0] = crl;							\
	EXPECT(verify_env(ev, sizeof(ev), &e, NULL), want);		\
	free(crl.p);							\
} while (0)
	WITH_CRL((void)0, VOUCH_OK);
	/* The ASK is on the ARK's list. */
	WITH_CRL(cs.revoked[0] = W.ask[SNP_PRODUCT_TURIN],
	    VOUCH_ERR_CERT_REVOKED);
	WITH_CRL((cs.revoked[0] = W.asvk[SNP_PRODUCT_TURIN],
	    cs.revoked[1] = W.ask[SNP_PRODUCT_TURIN]), VOUCH_ERR_CERT_REVOKED);
	/*
	 * The VCEK's serial on the ARK's list: the ASK issued the VCEK, and
	 * a list speaks only for its issuer's certificates (serials are
	 * unique per issuer; real VCEKs have serial 0).
	 */
	WITH_CRL(cs.revoked[0] = leaf, VOUCH_OK);
	/* Stale, future, no nextUpdate, an unknown critical extension. */
	WITH_CRL((cs.this_update = T_NOW - 100 * DAY,
	    cs.next_update = T_NOW - DAY), VOUCH_ERR_CRL_EXPIRED);
	WITH_CRL(cs.next_update = T_NOW, VOUCH_ERR_CRL_EXPIRED);
	WITH_CRL(cs.this_update = T_NOW + 1, VOUCH_ERR_CRL_EXPIRED);
	WITH_CRL(cs.next_update = 0, VOUCH_ERR_CRL_EXPIRED);
	WITH_CRL(cs.critical_ext = true, VOUCH_ERR_CRL_MISSING);
	/* Signed by another key under the ARK's name; another ARK's list. */
	WITH_CRL(cs.key = W.evil_key, VOUCH_ERR_CRL_MISSING);
	WITH_CRL(cs.issuer = W.ark[SNP_PRODUCT_GENOA], VOUCH_ERR_CRL_MISSING);
	WITH_CRL(cs.issuer = W.ask[SNP_PRODUCT_TURIN], VOUCH_ERR_CRL_MISSING);
	WITH_CRL((cs.issuer = W.ask[SNP_PRODUCT_TURIN], cs.key = W.ask_key,
	    cs.revoked[0] = leaf), VOUCH_ERR_CRL_MISSING);
#undef WITH_CRL
	/* A stale list beside one in force: the one in force decides. */
	crl_std(&cs, SNP_PRODUCT_TURIN);
	cs.this_update = T_NOW - 100 * DAY;
	cs.next_update = T_NOW - DAY;
	cs.revoked[0] = W.ask[SNP_PRODUCT_TURIN];
	crl = make_crl(&cs);
	e.crl[0] = crl;
	e.crl[1] = W.crl[SNP_PRODUCT_TURIN];
	EXPECT(verify_env(ev, sizeof(ev), &e, NULL), VOUCH_OK);
	/* Two in force, one revoking: revoked. */
	crl_std(&cs, SNP_PRODUCT_TURIN);
	cs.revoked[0] = W.ask[SNP_PRODUCT_TURIN];
	crl2 = make_crl(&cs);
	e.crl[0] = crl2;
	EXPECT(verify_env(ev, sizeof(ev), &e, NULL), VOUCH_ERR_CERT_REVOKED);
	/* No list at all; and revocation skipped by name. */
	memset(e.crl, 0, sizeof(e.crl));
	EXPECT(verify_env(ev, sizeof(ev), &e, NULL), VOUCH_ERR_CRL_MISSING);
	e.flags = F_SKIP_REV;
	EXPECT(verify_env(ev, sizeof(ev), &e, &res), VOUCH_OK);
	assert_true(json_has(res, "\"unchecked\":[\"revocation\""));
	vouch_result_free(res);
	/* Skipped even with a revoking list present. */
	e.crl[0] = crl2;
	EXPECT(verify_env(ev, sizeof(ev), &e, NULL), VOUCH_OK);
	free(crl.p);
	free(crl2.p);
	X509_free(leaf);

	/* The VLEK path: the ASVK revoked. */
	rep_init(&o, SNP_PRODUCT_GENOA, 5);
	o.flags = SNP_SIGNING_KEY_VLEK << SNP_FLAG_SIGNING_KEY_SHIFT;
	leaf = leaf_for(&o);
	make_report(&o, ev);
	env_std(&e, SNP_PRODUCT_GENOA, leaf, true);
	EXPECT(verify_env(ev, sizeof(ev), &e, NULL), VOUCH_OK);
	crl_std(&cs, SNP_PRODUCT_GENOA);
	cs.revoked[0] = W.asvk[SNP_PRODUCT_GENOA];
	crl = make_crl(&cs);
	e.crl[0] = crl;
	EXPECT(verify_env(ev, sizeof(ev), &e, NULL), VOUCH_ERR_CERT_REVOKED);
	free(crl.p);
	X509_free(leaf);
}

/* ---- 7. validity ------------------------------------------------- */

static void
test_validity(void **state)
{
	uint8_t ev[SNP_REPORT_LEN];
	X509 *leaf, *ask, *ark;
	struct cspec s;
	struct rep o;
	struct env e;

	(void)state;
	rep_init(&o, SNP_PRODUCT_MILAN, 5);
	make_report(&o, ev);
	/* The VCEK: expired, not yet valid, and at its edges. */
	leaf_spec(&s, SNP_PRODUCT_MILAN, false, o.cert_tcb, o.cert_chip);
	s.nb = T_NOW - 2 * YEAR;
	s.na = T_NOW - 1;
	leaf = make_leaf(&s, SNP_PRODUCT_MILAN, false);
	env_std(&e, SNP_PRODUCT_MILAN, leaf, false);
	EXPECT(verify_env(ev, sizeof(ev), &e, NULL), VOUCH_ERR_CERT_EXPIRED);
	e.at = T_NOW - 2;
	EXPECT(verify_env(ev, sizeof(ev), &e, NULL), VOUCH_OK);
	X509_free(leaf);
	leaf_spec(&s, SNP_PRODUCT_MILAN, false, o.cert_tcb, o.cert_chip);
	s.nb = T_NOW + 1;
	leaf = make_leaf(&s, SNP_PRODUCT_MILAN, false);
	env_std(&e, SNP_PRODUCT_MILAN, leaf, false);
	EXPECT(verify_env(ev, sizeof(ev), &e, NULL),
	    VOUCH_ERR_CERT_NOT_YET_VALID);
	e.at = T_NOW + 1;
	EXPECT(verify_env(ev, sizeof(ev), &e, NULL), VOUCH_OK);
	X509_free(leaf);
	/* The ASK expired. */
	ca_spec(&s, "SEV-Milan", 0x10011);
	s.pathlen = 0;
	s.na = T_NOW - DAY;
	ask = make_cert(&s, W.ask_key, W.ark[SNP_PRODUCT_MILAN], W.ark_key);
	leaf = leaf_for(&o);
	env_std(&e, SNP_PRODUCT_MILAN, leaf, false);
	e.cert[1] = ask;
	EXPECT(verify_env(ev, sizeof(ev), &e, NULL), VOUCH_ERR_CERT_EXPIRED);
	X509_free(ask);
	/* The ASK not yet valid. */
	ca_spec(&s, "SEV-Milan", 0x10012);
	s.pathlen = 0;
	s.nb = T_NOW + DAY;
	ask = make_cert(&s, W.ask_key, W.ark[SNP_PRODUCT_MILAN], W.ark_key);
	e.cert[1] = ask;
	EXPECT(verify_env(ev, sizeof(ev), &e, NULL),
	    VOUCH_ERR_CERT_NOT_YET_VALID);
	X509_free(ask);
	/* The ARK expired. */
	ca_spec(&s, "ARK-Milan", 0x10000);
	s.na = T_NOW - DAY;
	ark = make_cert(&s, W.ark_key, NULL, NULL);
	env_std(&e, SNP_PRODUCT_MILAN, leaf, false);
	e.cert[2] = ark;
	EXPECT(verify_env(ev, sizeof(ev), &e, NULL), VOUCH_ERR_CERT_EXPIRED);
	X509_free(ark);
	X509_free(leaf);
}

/* ---- 8. policy on synthetic v5 / Turin claims -------------------- */

/*
 * Verify |o| and evaluate a policy trusting snp with |settings| whose one
 * release has the measurement |meas| (NULL: the report's own).
 */
static enum vouch_err
admit(const struct rep *o, const char *settings, const uint8_t *meas,
    struct vouch_explain *ex)
{
	struct vouch_ctx *ctx = vouch_ctx_new();
	struct vouch_result *res = NULL;
	struct vouch_policy *pol = NULL;
	char hex[2 * 48 + 1], doc[2048];
	enum vouch_err rv;
	int len;

	EXPECT(check_rep_ex(o, 0, &res), VOUCH_OK);
	assert_true(vouch_hex_encode(meas != NULL ? meas : o->measurement, 48,
	    hex, sizeof(hex)));
	len = snprintf(doc, sizeof(doc), "{\"vouch_policy\":1,\"version\":1,"
	    "\"expires\":\"2099-01-01T00:00:00Z\",\"platforms\":{\"snp\":{"
	    "%s}},\"measurements\":{\"r\":[\"%s\"]}}", settings, hex);
	assert_true(len > 0 && (size_t)len < sizeof(doc));
	rv = vouch_policy_parse(ctx, (const uint8_t *)doc, (size_t)len, &pol);
	if (rv != VOUCH_OK) {
		fail_msg("policy %s: %s", doc, vouch_error(ctx));
	}
	memset(ex, 0, sizeof(*ex));
	rv = vouch_policy_evaluate_admission(ctx, pol,
	    vouch_result_claims(res), ex);
	vouch_policy_free(pol);
	vouch_result_free(res);
	vouch_ctx_free(ctx);
	return rv;
}

#define TURIN_TCB(fmc, bl, tee, snp, uc) "\"min_tcb\":{\"Turin\":{"	\
	"\"fmc\":" #fmc ",\"bootloader\":" #bl ",\"tee\":" #tee		\
	",\"snp\":" #snp ",\"microcode\":" #uc "}}"

static void
test_policy(void **state)
{
	static const struct {
		const char	*settings;
		enum vouch_err	 want;
		const char	*text;
	} cases[] = {
		{ "", VOUCH_OK, "admitted" },
		{ "\"products\":[\"Turin\"],\"signing_keys\":[\"vcek\"]",
		  VOUCH_OK, "admitted" },
		{ "\"products\":[\"Milan\",\"Genoa\"]", VOUCH_ERR_POLICY_DENIED,
		  "claim snp.product = \"Turin\"" },
		{ TURIN_TCB(2, 3, 0, 5, 77), VOUCH_OK, "admitted" },
		{ TURIN_TCB(3, 3, 0, 5, 77), VOUCH_ERR_TCB_OUT_OF_DATE,
		  "platforms.snp.min_tcb.Turin.fmc: claim "
		  "snp.reported_tcb.fmc = 2, requires greaterOrEquals 3" },
		{ TURIN_TCB(2, 3, 0, 5, 78), VOUCH_ERR_TCB_OUT_OF_DATE,
		  "snp.reported_tcb.microcode = 77" },
		{ "\"min_launch_tcb\":{\"Turin\":{\"fmc\":2,\"bootloader\":3,"
		  "\"tee\":0,\"snp\":6,\"microcode\":0}}",
		  VOUCH_ERR_TCB_OUT_OF_DATE, "snp.launch_tcb.snp = 5" },
		{ "\"required_mitigations\":[0,1]", VOUCH_OK, "admitted" },
		{ "\"required_mitigations\":[2]", VOUCH_ERR_POLICY_DENIED,
		  "claim snp.launch_mit_vector = 0x3 lacks bit 2" },
		{ "\"required_mitigations\":[63]", VOUCH_ERR_POLICY_DENIED,
		  "required_mitigations" },
		{ "\"max_vmpl\":2", VOUCH_OK, "admitted" },
		{ "\"max_vmpl\":1", VOUCH_ERR_POLICY_DENIED,
		  "claim snp.vmpl = 2, requires lessOrEquals 1" },
		{ "\"guest_policy\":{\"require\":[\"single_socket\","
		  "\"page_swap_disable\"],\"forbid\":[\"cxl_allowed\"]}",
		  VOUCH_OK, "admitted" },
		{ "\"guest_policy\":{\"require\":[\"ciphertext_hiding\"]}",
		  VOUCH_ERR_POLICY_DENIED, "lacks bit 24 (ciphertext_hiding)" },
		{ "\"min_firmware\":{\"major\":1,\"minor\":58,\"build\":3}",
		  VOUCH_OK, "admitted" },
		{ "\"min_firmware\":{\"major\":1,\"minor\":58,\"build\":4}",
		  VOUCH_ERR_TCB_OUT_OF_DATE, "= 1.58.3" },
		{ "\"min_guest_svn\":7,\"image_id\":[\"0200000000000000000000"
		  "0000000000\"]", VOUCH_OK, "admitted" },
		{ "\"min_guest_svn\":8", VOUCH_ERR_POLICY_DENIED,
		  "snp.guest_svn = 7" },
	};
	struct vouch_explain ex;
	uint8_t other[48];
	struct rep o;
	size_t i;
	enum vouch_err rv;

	(void)state;
	rep_init(&o, SNP_PRODUCT_TURIN, 5);
	o.vmpl = 2;
	o.launch_mit = 0x3;
	o.current_mit = 0x7;
	o.policy |= SNP_POLICY_SINGLE_SOCKET | (1ull << 25);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rv = admit(&o, cases[i].settings, NULL, &ex);
		if (rv != cases[i].want) {
			fail_msg("{%s}: got %s (%s), want %s",
			    cases[i].settings, vouch_errname(rv), ex.text,
			    vouch_errname(cases[i].want));
		}
		if (strstr(ex.text, cases[i].text) == NULL) {
			fail_msg("{%s}: \"%s\" lacks \"%s\"", cases[i].settings,
			    ex.text, cases[i].text);
		}
	}
	/* Another measurement than the policy's release. */
	rep_init(&o, SNP_PRODUCT_TURIN, 5);
	memcpy(other, o.measurement, sizeof(other));
	other[47] ^= 1;
	EXPECT(admit(&o, "", other, &ex), VOUCH_ERR_MEASUREMENT_NOT_TRUSTED);
	assert_non_null(strstr(ex.text, "measurement"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_products),
		cmocka_unit_test(test_warm_path),
		cmocka_unit_test(test_pin_required),
		cmocka_unit_test(test_guest_policy),
		cmocka_unit_test(test_versions_and_reserved),
		cmocka_unit_test(test_chip_id),
		cmocka_unit_test(test_reported_tcb),
		cmocka_unit_test(test_committed),
		cmocka_unit_test(test_report_data),
		cmocka_unit_test(test_product_and_extensions),
		cmocka_unit_test(test_vlek),
		cmocka_unit_test(test_product_line),
		cmocka_unit_test(test_chain_shape),
		cmocka_unit_test(test_revocation),
		cmocka_unit_test(test_validity),
		cmocka_unit_test(test_policy),
	};

	/*
	 * Under valgrind (scripts/valgrind-unit.sh sets VOUCH_TEST_QUICK)
	 * a representative subset: the valid paths of every product and
	 * key kind, the warm path and revocation.  Every test runs in the
	 * normal and sanitizer builds.
	 */
	const struct CMUnitTest quick[] = {
		cmocka_unit_test(test_valid_products),
		cmocka_unit_test(test_warm_path),
		cmocka_unit_test(test_vlek),
		cmocka_unit_test(test_revocation),
	};

	if (getenv("VOUCH_TEST_QUICK") != NULL) {
		return cmocka_run_group_tests(quick, group_setup,
		    group_teardown);
	}
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
