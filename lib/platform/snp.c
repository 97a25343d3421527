/* SPDX-License-Identifier: Apache-2.0 */
/*
 * AMD SEV-SNP verification.  Evidence is the raw 1184-byte
 * ATTESTATION_REPORT, optionally followed by the extended request's
 * certificate table (snp_certs.h).  The VCEK or VLEK, the ASK or ASVK,
 * the ARK and the ARK-signed KDS CRL come from the endorsements
 * (--endorsements), that table, the collateral cache or AMD KDS
 * (snp_kds.h), in that order; wherever they come from, they are verified
 * the same way.
 *
 * Order (VERIFIER-CHECKLIST §1.1): strict parse (#1, #2), report
 * signature by the V[CL]EK (#3), chain to a PINNED ARK at the context
 * time (#4), revocation (#6), product line (#5), TCB and chip_id against
 * the certificate (#7, #9), guest policy (#10), committed against current
 * TCB (#7), then claims.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "bs/bs.h"
#include "bs/json.h"
#include "crypto/crypto.h"
#include "crypto/p384.h"
#include "platform/platform.h"
#include "platform/snp.h"
#include "platform/snp_certs.h"
#include "platform/snp_kds.h"

_Static_assert(SNP_REPORT_SIGNED_LEN + 2 * SNP_SIG_FIELD_BYTES + 368 ==
    SNP_REPORT_LEN, "snp report: signature block fills the report");

/*
 * Pinned AMD root keys: SHA-256 of the DER SubjectPublicKeyInfo of each
 * ARK.  Computed once from the second certificate of
 * ../shared/testdata/certs/amd/ask_ark_{milan,genoa,turin_vcek}.pem with
 *   openssl x509 -noout -pubkey | openssl pkey -pubin -outform DER | sha256sum
 * (the *_vlek.pem bundles carry the same ARKs).  These are AMD's public
 * root keys as served by https://kdsintf.amd.com/vcek/v1/{product}/cert_chain.
 */
static const struct {
	enum snp_product	product;
	uint8_t			spki_sha256[32];
} ark_pins[] = {
	{ SNP_PRODUCT_MILAN, {	/* ARK-Milan */
	    0x9f, 0x05, 0x6b, 0xee, 0x44, 0x37, 0x7e, 0x29,
	    0x30, 0x8c, 0xb5, 0xff, 0xa8, 0x95, 0xbd, 0xfb,
	    0x62, 0xd1, 0x88, 0x81, 0xfa, 0x6b, 0xed, 0x8d,
	    0x6f, 0x07, 0x5b, 0x02, 0x04, 0x08, 0x9c, 0xb9 } },
	{ SNP_PRODUCT_GENOA, {	/* ARK-Genoa */
	    0x42, 0x9a, 0x69, 0xc9, 0x42, 0x2a, 0xa2, 0x58,
	    0xee, 0x4d, 0x8d, 0xb5, 0xfc, 0xda, 0x9c, 0x64,
	    0x70, 0xef, 0x15, 0xf8, 0xcd, 0x5a, 0x9c, 0xeb,
	    0xd6, 0xcb, 0xc7, 0xd9, 0x0b, 0x86, 0x38, 0x31 } },
	{ SNP_PRODUCT_TURIN, {	/* ARK-Turin */
	    0x4f, 0x12, 0x54, 0x10, 0x56, 0x3a, 0x2a, 0xb9,
	    0xa5, 0x03, 0x56, 0xf9, 0x24, 0x3f, 0x6f, 0xe0,
	    0xb6, 0xf7, 0x3d, 0xe9, 0x86, 0x03, 0xf5, 0x3f,
	    0x90, 0x33, 0x9c, 0x70, 0xe9, 0xd7, 0xad, 0x08 } },
};

enum snp_product
snp_ark_product(const uint8_t spki_sha256[32])
{
	size_t i;

	for (i = 0; i < sizeof(ark_pins) / sizeof(ark_pins[0]); i++) {
		if (vouch_ct_eq(ark_pins[i].spki_sha256, spki_sha256, 32)) {
			return ark_pins[i].product;
		}
	}
	return SNP_PRODUCT_UNKNOWN;
}

/* The pinned product of an ARK key for |cfg| (a test pin replaces AMD's). */
static enum snp_product
ark_product(const struct vouch_verify_config *cfg, const uint8_t id[32])
{
	if (cfg->snp_test_ark_pin != NULL) {
		return vouch_ct_eq(cfg->snp_test_ark_pin, id, 32) ?
		    (enum snp_product)cfg->snp_test_ark_product :
		    SNP_PRODUCT_UNKNOWN;
	}
	return snp_ark_product(id);
}

const char *
snp_product_name(enum snp_product p)
{
	switch (p) {
	case SNP_PRODUCT_MILAN:
		return "Milan";
	case SNP_PRODUCT_GENOA:
		return "Genoa";
	case SNP_PRODUCT_TURIN:
		return "Turin";
	default:
		return "unknown";
	}
}

/* A 72-byte little-endian R or S: the low 48 bytes, big-endian out. */
static bool
sig_component(struct cbs *c, uint8_t out[SNP_SIG_SCALAR_BYTES])
{
	struct cbs field, high;
	uint8_t le[SNP_SIG_SCALAR_BYTES];
	size_t i;

	if (!cbs_get_bytes(c, &field, SNP_SIG_FIELD_BYTES) ||
	    !cbs_copy(&field, le, sizeof(le)) ||
	    !cbs_get_bytes(&field, &high, SNP_SIG_FIELD_BYTES -
	    SNP_SIG_SCALAR_BYTES) || !cbs_is_all_zero(&high)) {
		return false;
	}
	for (i = 0; i < SNP_SIG_SCALAR_BYTES; i++) {
		out[i] = le[SNP_SIG_SCALAR_BYTES - 1 - i];
	}
	return true;
}

enum vouch_err
snp_report_parse(struct vouch_ctx *ctx, const uint8_t *buf, size_t len,
    struct snp_report *r)
{
	struct cbs c, rsv_4c, rsv_188, rsv_1f8, rsv_sig;
	uint8_t rsv_1eb, rsv_1ef;
	uint32_t signing_key;
	size_t rsv_188_len, rsv_1f8_len;

	memset(r, 0, sizeof(*r));
	cbs_init(&c, buf, len);
	/*= SEV-SNP ABI spec (56860) Table 23, ATTESTATION_REPORT
	 *# 0x00 VERSION (u32): 2 (ABI 1.51), 3 (1.55, adds CPUID), 5 (1.58,
	 *# adds mitigation vectors).  4 is not accepted here. */
	if (!cbs_get_u32le(&c, &r->version)) {
		return vouch_fail(ctx, VOUCH_ERR_TRUNCATED,
		    "snp: report shorter than its version field");
	}
	if (r->version != 2 && r->version != 3 && r->version != 5) {
		return vouch_fail(ctx, VOUCH_ERR_UNSUPPORTED_VERSION,
		    "snp: report version %u is not supported (2, 3, 5)",
		    r->version);
	}
	if (len < SNP_REPORT_LEN) {
		return vouch_fail(ctx, VOUCH_ERR_TRUNCATED,
		    "snp: report has %zu bytes, needs %u", len, SNP_REPORT_LEN);
	}
	if (len > SNP_REPORT_LEN) {
		return vouch_fail(ctx, VOUCH_ERR_TRAILING_DATA,
		    "snp: %zu bytes after the report", len - SNP_REPORT_LEN);
	}
	/*# 0x04 GUEST_SVN u32, 0x08 POLICY u64, 0x10 FAMILY_ID[16],
	 *# 0x20 IMAGE_ID[16], 0x30 VMPL u32, 0x34 SIGNATURE_ALGO u32,
	 *# 0x38 CURRENT_TCB u64, 0x40 PLATFORM_INFO u64,
	 *# 0x48 u32 {0 AUTHOR_KEY_EN, 1 MASK_CHIP_KEY, 4:2 SIGNING_KEY,
	 *# 31:5 reserved}, 0x4C reserved u32,
	 *# 0x50 REPORT_DATA[64], 0x90 MEASUREMENT[48], 0xC0 HOST_DATA[32],
	 *# 0xE0 ID_KEY_DIGEST[48], 0x110 AUTHOR_KEY_DIGEST[48],
	 *# 0x140 REPORT_ID[32], 0x160 REPORT_ID_MA[32], 0x180 REPORTED_TCB u64 */
	if (!cbs_get_u32le(&c, &r->guest_svn) ||
	    !cbs_get_u64le(&c, &r->policy) ||
	    !cbs_copy(&c, r->family_id, sizeof(r->family_id)) ||
	    !cbs_copy(&c, r->image_id, sizeof(r->image_id)) ||
	    !cbs_get_u32le(&c, &r->vmpl) ||
	    !cbs_get_u32le(&c, &r->signature_algo) ||
	    !cbs_get_u64le(&c, &r->current_tcb) ||
	    !cbs_get_u64le(&c, &r->platform_info) ||
	    !cbs_get_u32le(&c, &r->flags) ||
	    !cbs_get_bytes(&c, &rsv_4c, 4) ||
	    !cbs_copy(&c, r->report_data, sizeof(r->report_data)) ||
	    !cbs_copy(&c, r->measurement, sizeof(r->measurement)) ||
	    !cbs_copy(&c, r->host_data, sizeof(r->host_data)) ||
	    !cbs_copy(&c, r->id_key_digest, sizeof(r->id_key_digest)) ||
	    !cbs_copy(&c, r->author_key_digest, sizeof(r->author_key_digest)) ||
	    !cbs_copy(&c, r->report_id, sizeof(r->report_id)) ||
	    !cbs_copy(&c, r->report_id_ma, sizeof(r->report_id_ma)) ||
	    !cbs_get_u64le(&c, &r->reported_tcb)) {
		return vouch_fail(ctx, VOUCH_ERR_TRUNCATED, "snp: report body");
	}
	/*# 0x188 CPUID_FAM_ID, 0x189 CPUID_MOD_ID, 0x18A CPUID_STEP (v3+;
	 *# reserved in v2), then reserved to 0x19F. */
	rsv_188_len = 0x1a0 - 0x188;
	if (r->version >= 3) {
		if (!cbs_get_u8(&c, &r->cpuid_fam_id) ||
		    !cbs_get_u8(&c, &r->cpuid_mod_id) ||
		    !cbs_get_u8(&c, &r->cpuid_step)) {
			return vouch_fail(ctx, VOUCH_ERR_TRUNCATED, "snp: cpuid");
		}
		rsv_188_len = 0x1a0 - 0x18b;
	}
	/*# 0x1A0 CHIP_ID[64], 0x1E0 COMMITTED_TCB u64, 0x1E8 CURRENT_BUILD,
	 *# CURRENT_MINOR, CURRENT_MAJOR, reserved u8, 0x1EC COMMITTED_BUILD,
	 *# COMMITTED_MINOR, COMMITTED_MAJOR, reserved u8, 0x1F0 LAUNCH_TCB u64,
	 *# v5: 0x1F8 LAUNCH_MIT_VECTOR u64, 0x200 CURRENT_MIT_VECTOR u64;
	 *# reserved to 0x29F. */
	if (!cbs_get_bytes(&c, &rsv_188, rsv_188_len) ||
	    !cbs_copy(&c, r->chip_id, sizeof(r->chip_id)) ||
	    !cbs_get_u64le(&c, &r->committed_tcb) ||
	    !cbs_get_u8(&c, &r->current_build) ||
	    !cbs_get_u8(&c, &r->current_minor) ||
	    !cbs_get_u8(&c, &r->current_major) ||
	    !cbs_get_u8(&c, &rsv_1eb) ||
	    !cbs_get_u8(&c, &r->committed_build) ||
	    !cbs_get_u8(&c, &r->committed_minor) ||
	    !cbs_get_u8(&c, &r->committed_major) ||
	    !cbs_get_u8(&c, &rsv_1ef) ||
	    !cbs_get_u64le(&c, &r->launch_tcb)) {
		return vouch_fail(ctx, VOUCH_ERR_TRUNCATED, "snp: report body");
	}
	rsv_1f8_len = SNP_REPORT_SIGNED_LEN - 0x1f8;
	if (r->version >= 5) {
		if (!cbs_get_u64le(&c, &r->launch_mit_vector) ||
		    !cbs_get_u64le(&c, &r->current_mit_vector)) {
			return vouch_fail(ctx, VOUCH_ERR_TRUNCATED,
			    "snp: mitigation vectors");
		}
		rsv_1f8_len = SNP_REPORT_SIGNED_LEN - 0x208;
	}
	if (!cbs_get_bytes(&c, &rsv_1f8, rsv_1f8_len) ||
	    cbs_offset(&c) != SNP_REPORT_SIGNED_LEN) {
		return vouch_fail(ctx, VOUCH_ERR_INTERNAL, "snp: layout");
	}
	/*# 0x2A0 SIGNATURE (Table 139, ECDSA P-384 with SHA-384): R[72],
	 *# S[72] little-endian, zero-extended; reserved to 0x49F. */
	if (!sig_component(&c, r->sig_r) || !sig_component(&c, r->sig_s)) {
		return vouch_fail(ctx, VOUCH_ERR_SIGNATURE_INVALID,
		    "snp: signature R or S has bits above 384");
	}
	if (!cbs_get_bytes(&c, &rsv_sig, cbs_len(&c)) ||
	    cbs_offset(&c) != SNP_REPORT_LEN) {
		return vouch_fail(ctx, VOUCH_ERR_INTERNAL, "snp: layout");
	}
	if (!cbs_is_all_zero(&rsv_4c) || !cbs_is_all_zero(&rsv_188) ||
	    rsv_1eb != 0 || rsv_1ef != 0 || !cbs_is_all_zero(&rsv_1f8) ||
	    !cbs_is_all_zero(&rsv_sig)) {
		return vouch_fail(ctx, VOUCH_ERR_RESERVED_NONZERO,
		    "snp: reserved report field is not zero");
	}
	if (r->signature_algo != SNP_SIG_ALGO_ECDSA_P384_SHA384) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
		    "snp: signature_algo %u is not 1 (ECDSA P-384/SHA-384)",
		    r->signature_algo);
	}
	/* ABI Table 9: bit 17 is reserved and must be one; 63:26 zero. */
	if ((r->policy & SNP_POLICY_RESERVED_1) == 0) {
		return vouch_fail(ctx, VOUCH_ERR_RESERVED_NONZERO,
		    "snp: policy bit 17 (reserved, must be one) is zero");
	}
	if ((r->policy & SNP_POLICY_MBZ) != 0) {
		return vouch_fail(ctx, VOUCH_ERR_RESERVED_NONZERO,
		    "snp: policy has reserved bits 63:26 set (0x%016llx)",
		    (unsigned long long)r->policy);
	}
	if ((r->platform_info & SNP_PLATFORM_INFO_MBZ) != 0) {
		return vouch_fail(ctx, VOUCH_ERR_RESERVED_NONZERO,
		    "snp: platform_info has reserved bits set");
	}
	if ((r->flags & SNP_FLAG_MBZ) != 0) {
		return vouch_fail(ctx, VOUCH_ERR_RESERVED_NONZERO,
		    "snp: reserved bits 31:5 of the key-info word are set");
	}
	signing_key = (r->flags & SNP_FLAG_SIGNING_KEY_MASK) >>
	    SNP_FLAG_SIGNING_KEY_SHIFT;
	if (signing_key != SNP_SIGNING_KEY_VCEK &&
	    signing_key != SNP_SIGNING_KEY_VLEK) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
		    "snp: signing_key %u is neither VCEK (0) nor VLEK (1)",
		    signing_key);
	}
	return VOUCH_OK;
}

void
snp_tcb_decode(uint64_t v, enum snp_product p, struct snp_tcb *out)
{
	memset(out, 0, sizeof(*out));
	if (p == SNP_PRODUCT_TURIN) {
		/* Turin: FMC, bootloader, TEE, SNP, reserved[3], microcode. */
		out->fmc = (uint8_t)v;
		out->bootloader = (uint8_t)(v >> 8);
		out->tee = (uint8_t)(v >> 16);
		out->snp = (uint8_t)(v >> 24);
	} else {
		/* Milan, Genoa: bootloader, TEE, reserved[4], SNP, microcode. */
		out->bootloader = (uint8_t)v;
		out->tee = (uint8_t)(v >> 8);
		out->snp = (uint8_t)(v >> 48);
	}
	out->microcode = (uint8_t)(v >> 56);
}

static bool
snp_probe(const uint8_t *ev, size_t len)
{
	struct snp_cert_table table;
	uint32_t version, algo;
	struct cbs c;

	cbs_init(&c, ev, len);
	if (len < SNP_REPORT_LEN || !cbs_get_u32le(&c, &version) ||
	    !cbs_skip(&c, 0x34 - 4) || !cbs_get_u32le(&c, &algo)) {
		return false;
	}
	if (version != 2 && version != 3 && version != 5) {
		return false;
	}
	if (algo != SNP_SIG_ALGO_ECDSA_P384_SHA384) {
		return false;
	}
	/* An extended report: the certificate table must parse. */
	return len == SNP_REPORT_LEN ||
	    (snp_cert_table_parse(NULL, ev + SNP_REPORT_LEN,
	    len - SNP_REPORT_LEN, &table) == VOUCH_OK && table.n > 0);
}

/* Product from CPUID family/model (v3+), per AMD's KDS product names. */
static enum snp_product
cpuid_product(uint8_t family, uint8_t model)
{
	if (family == 0x19 && model <= 0x0f) {
		return SNP_PRODUCT_MILAN;
	}
	if (family == 0x19 && ((model >= 0x10 && model <= 0x1f) ||
	    (model >= 0xa0 && model <= 0xaf))) {
		return SNP_PRODUCT_GENOA;
	}
	if (family == 0x1a && model <= 0x11) {
		return SNP_PRODUCT_TURIN;
	}
	return SNP_PRODUCT_UNKNOWN;
}

/*
 * AMD's certificate extensions (VCEK/VLEK spec, publication 57230,
 * "VCEK Certificate Extensions"): OID arc 1.3.6.1.4.1.3704.1.
 */
#define AMD_OID_PREFIX_LEN	8
static const uint8_t amd_oid_prefix[AMD_OID_PREFIX_LEN] = {
	0x2b, 0x06, 0x01, 0x04, 0x01, 0x9c, 0x78, 0x01,	/* 1.3.6.1.4.1.3704.1 */
};
#define SNP_SPL_MAX	9	/* .3.1 .. .3.9 */

struct snp_cert_ext {
	bool	 has_spl[SNP_SPL_MAX + 1];
	uint8_t	 spl[SNP_SPL_MAX + 1];	/* index n: 1.3.6.1.4.1.3704.1.3.n */
	bool	 has_product;
	char	 product[32];		/* .2 productName, IA5String */
	bool	 has_hwid;
	uint8_t	 hwid[64];		/* .4 hwID, raw bytes */
	size_t	 hwid_len;		/* 64, or 8 (Turin) */
	bool	 has_csp_id;		/* .5 cspID (VLEK) */
};

static enum vouch_err
amd_ext(struct vouch_ctx *ctx, const uint8_t *oid, size_t oid_len,
    struct cbs *val, struct snp_cert_ext *e)
{
	struct cbs in;
	uint64_t v;
	unsigned n;

	if (oid_len < AMD_OID_PREFIX_LEN ||
	    memcmp(oid, amd_oid_prefix, AMD_OID_PREFIX_LEN) != 0) {
		return VOUCH_OK;	/* not AMD's */
	}
	oid += AMD_OID_PREFIX_LEN;
	oid_len -= AMD_OID_PREFIX_LEN;
	if (oid_len == 2 && oid[0] == 3 && oid[1] >= 1 && oid[1] <= SNP_SPL_MAX) {
		/* .3.n: an SPL, INTEGER 0..255 */
		n = oid[1];
		if (e->has_spl[n] || !cbs_get_asn1_uint64(val, &v) ||
		    !cbs_is_empty(val) || v > 255) {
			return vouch_fail(ctx, VOUCH_ERR_BAD_CERT,
			    "snp: VCEK TCB extension 3.%u is not 0..255", n);
		}
		e->has_spl[n] = true;
		e->spl[n] = (uint8_t)v;
		return VOUCH_OK;
	}
	if (oid_len == 1 && oid[0] == 2) {
		if (e->has_product || !cbs_get_asn1(val, &in, CBS_ASN1_IA5STRING) ||
		    !cbs_is_empty(val) || cbs_len(&in) >= sizeof(e->product) ||
		    memchr(cbs_data(&in), 0, cbs_len(&in)) != NULL) {
			return vouch_fail(ctx, VOUCH_ERR_BAD_CERT,
			    "snp: VCEK productName malformed or repeated");
		}
		memcpy(e->product, cbs_data(&in), cbs_len(&in));
		e->product[cbs_len(&in)] = '\0';
		e->has_product = true;
		return VOUCH_OK;
	}
	if (oid_len == 1 && oid[0] == 4) {
		/*= AMD 57230 rev 1.0, Table 11: hwID is the 64-byte CHIP_ID,
		 *# on Turin its first 8 bytes (as the KDS URL, snp_kds.c). */
		e->hwid_len = cbs_len(val);
		if (e->has_hwid || (e->hwid_len != 64 && e->hwid_len != 8) ||
		    !cbs_copy(val, e->hwid, e->hwid_len)) {
			return vouch_fail(ctx, VOUCH_ERR_BAD_CERT,
			    "snp: VCEK hwID is not 64 (or 8) bytes or repeated");
		}
		e->has_hwid = true;
		return VOUCH_OK;
	}
	if (oid_len == 1 && oid[0] == 5) {
		e->has_csp_id = true;
	}
	return VOUCH_OK;
}

/*
 * Walk the certificate's DER (RFC 5280 §4.1) to its extensions and
 * collect AMD's.  OpenSSL has already parsed the same bytes; this reads
 * the values with our own bounds-checked reader.
 */
static enum vouch_err
cert_amd_exts(struct vouch_ctx *ctx, const uint8_t *der, size_t len,
    struct snp_cert_ext *e)
{
	struct cbs c, cert, tbs, skip, exts_wrap, exts, ext, oid, val;
	bool present, critical;
	enum vouch_err rv;

	memset(e, 0, sizeof(*e));
	cbs_init(&c, der, len);
	if (!cbs_get_asn1(&c, &cert, CBS_ASN1_SEQUENCE) || !cbs_is_empty(&c) ||
	    !cbs_get_asn1(&cert, &tbs, CBS_ASN1_SEQUENCE) ||
	    !cbs_get_optional_asn1(&tbs, &skip, &present,
	    CBS_ASN1_CONTEXT_SPECIFIC | CBS_ASN1_CONSTRUCTED | 0) ||
	    !cbs_get_asn1(&tbs, &skip, CBS_ASN1_INTEGER) ||		/* serial */
	    !cbs_get_asn1(&tbs, &skip, CBS_ASN1_SEQUENCE) ||	/* signature */
	    !cbs_get_asn1(&tbs, &skip, CBS_ASN1_SEQUENCE) ||	/* issuer */
	    !cbs_get_asn1(&tbs, &skip, CBS_ASN1_SEQUENCE) ||	/* validity */
	    !cbs_get_asn1(&tbs, &skip, CBS_ASN1_SEQUENCE) ||	/* subject */
	    !cbs_get_asn1(&tbs, &skip, CBS_ASN1_SEQUENCE) ||	/* SPKI */
	    !cbs_get_optional_asn1(&tbs, &skip, &present,
	    CBS_ASN1_CONTEXT_SPECIFIC | 1) ||
	    !cbs_get_optional_asn1(&tbs, &skip, &present,
	    CBS_ASN1_CONTEXT_SPECIFIC | 2) ||
	    !cbs_get_optional_asn1(&tbs, &exts_wrap, &present,
	    CBS_ASN1_CONTEXT_SPECIFIC | CBS_ASN1_CONSTRUCTED | 3) ||
	    !present || !cbs_is_empty(&tbs) ||
	    !cbs_get_asn1(&exts_wrap, &exts, CBS_ASN1_SEQUENCE) ||
	    !cbs_is_empty(&exts_wrap)) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_CERT,
		    "snp: VCEK/VLEK has no readable extensions");
	}
	while (!cbs_is_empty(&exts)) {
		critical = false;
		if (!cbs_get_asn1(&exts, &ext, CBS_ASN1_SEQUENCE) ||
		    !cbs_get_asn1(&ext, &oid, CBS_ASN1_OBJECT)) {
			return vouch_fail(ctx, VOUCH_ERR_BAD_CERT,
			    "snp: malformed certificate extension");
		}
		if (cbs_peek_asn1_tag(&ext, CBS_ASN1_BOOLEAN) &&
		    !cbs_get_asn1_bool(&ext, &critical)) {
			return vouch_fail(ctx, VOUCH_ERR_BAD_CERT,
			    "snp: malformed critical flag");
		}
		if (!cbs_get_asn1(&ext, &val, CBS_ASN1_OCTETSTRING) ||
		    !cbs_is_empty(&ext)) {
			return vouch_fail(ctx, VOUCH_ERR_BAD_CERT,
			    "snp: malformed certificate extension value");
		}
		rv = amd_ext(ctx, cbs_data(&oid), cbs_len(&oid), &val, e);
		if (rv != VOUCH_OK) {
			return rv;
		}
	}
	return VOUCH_OK;
}

static bool
subject_cn(X509 *x, char *out, int cap)
{
	int n = X509_NAME_get_text_by_NID(X509_get_subject_name(x),
	    NID_commonName, out, cap);

	return n > 0 && n < cap;
}

enum vouch_err
snp_check_revocation(struct vouch_ctx *ctx, const struct vouch_crl_ref *crls,
    size_t ncrls, X509 *ark, X509 *const *certs, size_t n, int64_t now)
{
	return vouch_check_revocation(ctx, crls, ncrls, ark, certs, n, now,
	    "snp: the ARK's", NULL, NULL);
}

/*
 * The collateral at hand: every certificate and CRL of the endorsements,
 * the configured anchors, and the evidence's certificate table |table|.
 */
static enum vouch_err
collect_certs(struct vouch_ctx *ctx, const struct vouch_verify_config *cfg,
    const struct snp_cert_table *table, struct snp_collateral *coll)
{
	STACK_OF(X509) *all = coll->certs;
	enum vouch_endorsement_kind kind;
	const struct snp_cert_entry *e;
	enum vouch_err rv;
	X509 *x;
	size_t i;
	int k;

	for (i = 0; i < cfg->n_endorsements; i++) {
		kind = vouch_endorsement_kind(cfg->endorsements[i].p,
		    cfg->endorsements[i].n);
		if (kind == VOUCH_ENDORSEMENT_CRL) {
			rv = snp_collateral_add_crl_ref(ctx, coll,
			    cfg->endorsements[i].p, cfg->endorsements[i].n);
		} else if (kind == VOUCH_ENDORSEMENT_CERT) {
			rv = vouch_certs_parse(ctx, cfg->endorsements[i].p,
			    cfg->endorsements[i].n, all);
		} else {
			continue;
		}
		if (rv != VOUCH_OK) {
			return rv;
		}
	}
	/* The host's table: candidates like any other (the ARK is pinned). */
	for (i = 0; i < table->n; i++) {
		e = &table->e[i];
		if (e->kind == SNP_CERT_CRL) {
			rv = snp_collateral_add_crl_ref(ctx, coll, e->data,
			    e->len);
		} else if (e->kind != SNP_CERT_OTHER) {
			rv = vouch_certs_parse(ctx, e->data, e->len, all);
			if (rv != VOUCH_OK) {
				return vouch_fail(ctx, VOUCH_ERR_BAD_CERT,
				    "snp: the %s in the certificate table is not "
				    "a certificate", snp_cert_kind_name(e->kind));
			}
		} else {
			continue;
		}
		if (rv != VOUCH_OK) {
			return rv;
		}
	}
	/* A configured anchor is still only used if it is a pinned ARK. */
	for (k = 0; k < sk_X509_num(cfg->anchors); k++) {
		x = sk_X509_value(cfg->anchors, k);
		if (X509_up_ref(x) != 1 || sk_X509_push(all, x) == 0) {
			return vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
		}
	}
	return VOUCH_OK;
}

/* The report signature (checklist #3), on nettle (crypto/p384.h). */
static bool
p384_verify(struct vouch_ctx *ctx, X509 *x, const uint8_t *report,
    const uint8_t sig[VOUCH_P384_SIG_BYTES])
{
	EVP_PKEY *pub = X509_get0_pubkey(x);
	struct vouch_p384_key *k = NULL;
	bool ok;

	if (pub == NULL || !vouch_key_is_p384(pub) ||
	    vouch_p384_key_from_pkey(ctx, pub, &k) != VOUCH_OK) {
		return false;
	}
	ok = vouch_p384_verify(k, report, SNP_REPORT_SIGNED_LEN, sig);
	vouch_p384_key_free(k);
	return ok;
}

/*
 * What a validated chain leaves in the chain cache (platform.h): the
 * leaf's key for nettle, the product of the pinned ARK, VCEK or VLEK.
 * The entry's window is that of the chain and of the CRLs it was
 * checked against, so a warm verification skips parsing, the chain and
 * revocation and costs one nettle verify (docs/snp.md).
 */
struct snp_chain_extra {
	struct vouch_p384_key	*key;
	enum snp_product	 product;
	bool			 vlek;
};

static void
snp_chain_extra_free(void *p)
{
	struct snp_chain_extra *e = p;

	if (e != NULL) {
		vouch_p384_key_free(e->key);
		free(e);
	}
}

/*
 * The cache key (vouch_chain_cache_key): the endorsements, VCEK or VLEK,
 * the evidence's certificate table, and the chip and TCB that name the
 * VCEK a cache or KDS lookup would add, so reports of several chips with
 * the same endorsements each find their own entry.
 */
static void
snp_chain_key(const struct vouch_verify_config *cfg, const uint8_t *buf,
    size_t len, const struct snp_report *r, bool vlek,
    uint8_t key[VOUCH_SHA256_BYTES])
{
	uint8_t chip[sizeof(r->chip_id) + 8];
	size_t i;

	memcpy(chip, r->chip_id, sizeof(r->chip_id));
	for (i = 0; i < 8; i++) {
		chip[sizeof(r->chip_id) + i] = (uint8_t)(r->reported_tcb >>
		    (8 * i));
	}
	vouch_chain_cache_key(cfg, "vouch-snp-chain-v1", vlek ? 1 : 0,
	    chip, sizeof(chip), len > SNP_REPORT_LEN ? buf + SNP_REPORT_LEN :
	    buf, len > SNP_REPORT_LEN ? len - SNP_REPORT_LEN : 0, key);
}

static bool
is_rsa4096_pss_ca(X509 *x)
{
	EVP_PKEY *k = X509_get0_pubkey(x);

	return k != NULL && EVP_PKEY_get_bits(k) == 4096 &&
	    X509_get_signature_nid(x) == NID_rsassaPss && X509_check_ca(x) != 0;
}

/*
 * Check what OpenSSL's strict mode would, without it (AMD's VCEKs lack an
 * authority key identifier): v3 everywhere, AMD's key types and names.
 */
static enum vouch_err
check_chain_shape(struct vouch_ctx *ctx, STACK_OF(X509) *chain,
    enum snp_product product, bool vlek)
{
	char cn[64], want[64];
	X509 *leaf, *ask, *ark;
	int i;

	if (sk_X509_num(chain) != 3) {
		return vouch_fail(ctx, VOUCH_ERR_CHAIN_INVALID,
		    "snp: chain has %d certificates, expected 3",
		    sk_X509_num(chain));
	}
	for (i = 0; i < 3; i++) {
		if (X509_get_version(sk_X509_value(chain, i)) != X509_VERSION_3) {
			return vouch_fail(ctx, VOUCH_ERR_CHAIN_INVALID,
			    "snp: certificate at depth %d is not X.509 v3", i);
		}
	}
	leaf = sk_X509_value(chain, 0);
	ask = sk_X509_value(chain, 1);
	ark = sk_X509_value(chain, 2);
	if (X509_check_ca(leaf) != 0 || X509_get_signature_nid(leaf) !=
	    NID_rsassaPss || !subject_cn(leaf, cn, sizeof(cn)) ||
	    strcmp(cn, vlek ? "SEV-VLEK" : "SEV-VCEK") != 0) {
		return vouch_fail(ctx, VOUCH_ERR_CHAIN_INVALID,
		    "snp: signing certificate is not a %s",
		    vlek ? "VLEK" : "VCEK");
	}
	(void)snprintf(want, sizeof(want), "%s%s", vlek ? "SEV-VLEK-" : "SEV-",
	    snp_product_name(product));
	if (!is_rsa4096_pss_ca(ask) || !subject_cn(ask, cn, sizeof(cn)) ||
	    strcmp(cn, want) != 0) {
		return vouch_fail(ctx, VOUCH_ERR_CHAIN_INVALID,
		    "snp: intermediate is not the %s %s", vlek ? "ASVK" : "ASK",
		    want);
	}
	(void)snprintf(want, sizeof(want), "ARK-%s", snp_product_name(product));
	if (!is_rsa4096_pss_ca(ark) || !subject_cn(ark, cn, sizeof(cn)) ||
	    strcmp(cn, want) != 0) {
		return vouch_fail(ctx, VOUCH_ERR_CHAIN_INVALID,
		    "snp: root is not %s", want);
	}
	return VOUCH_OK;
}

/* checklist #5, #7, #9: the report against the V[CL]EK's extensions. */
enum vouch_err
snp_check_cert_binding(struct vouch_ctx *ctx, const struct snp_report *r,
    X509 *leaf, enum snp_product product, bool vlek)
{
	struct snp_cert_ext e;
	struct snp_tcb rep, cur;
	enum vouch_err rv;
	uint8_t *der = NULL;
	size_t der_len = 0, plen, i, hwid_len;
	const char *pname = snp_product_name(product);
	static const uint8_t zero[64];
	enum snp_product cp;

	rv = vouch_cert_to_der(ctx, leaf, &der, &der_len);
	if (rv != VOUCH_OK) {
		return rv;
	}
	rv = cert_amd_exts(ctx, der, der_len, &e);
	free(der);
	if (rv != VOUCH_OK) {
		return rv;
	}
	/* productName is "Milan", "Milan-B0", ...: the part before '-'. */
	plen = strlen(pname);
	if (!e.has_product || strncmp(e.product, pname, plen) != 0 ||
	    (e.product[plen] != '\0' && e.product[plen] != '-')) {
		return vouch_fail(ctx, VOUCH_ERR_PRODUCT_MISMATCH,
		    "snp: certificate product \"%s\" is not %s",
		    e.has_product ? e.product : "(none)", pname);
	}
	if (r->version >= 3) {
		cp = cpuid_product(r->cpuid_fam_id, r->cpuid_mod_id);
		if (cp != product) {
			return vouch_fail(ctx, VOUCH_ERR_PRODUCT_MISMATCH,
			    "snp: report CPUID family 0x%02x model 0x%02x is "
			    "not %s", r->cpuid_fam_id, r->cpuid_mod_id, pname);
		}
	}
	if (!e.has_spl[1] || !e.has_spl[2] || !e.has_spl[3] || !e.has_spl[8]) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_CERT,
		    "snp: certificate lacks a TCB extension (3.1, 3.2, 3.3, 3.8)");
	}
	/*
	 * AMD 57230 rev 1.0 (VCEK extensions) and ABI 56860 Table 3: Turin's
	 * TCB_VERSION starts with FMC, certified as fmcSPL (3.9); without
	 * it the certificate would not bind that component.
	 */
	if (product == SNP_PRODUCT_TURIN && !e.has_spl[9]) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_CERT,
		    "snp: Turin certificate lacks fmcSPL (3.9)");
	}
	snp_tcb_decode(r->reported_tcb, product, &rep);
	if (e.spl[1] != rep.bootloader || e.spl[2] != rep.tee ||
	    e.spl[3] != rep.snp || e.spl[8] != rep.microcode ||
	    (product == SNP_PRODUCT_TURIN && e.has_spl[9] &&
	    e.spl[9] != rep.fmc)) {
		return vouch_fail(ctx, VOUCH_ERR_TCB_MISMATCH,
		    "snp: reported_tcb bl=%u tee=%u snp=%u ucode=%u, certificate "
		    "bl=%u tee=%u snp=%u ucode=%u", rep.bootloader, rep.tee,
		    rep.snp, rep.microcode, e.spl[1], e.spl[2], e.spl[3],
		    e.spl[8]);
	}
	/* Milan/Genoa: reserved TCB bytes 2-5 are SPLs 3.4-3.7. */
	if (product != SNP_PRODUCT_TURIN) {
		for (i = 4; i <= 7; i++) {
			if (e.has_spl[i] &&
			    e.spl[i] != (uint8_t)(r->reported_tcb >> (8 * (i - 2)))) {
				return vouch_fail(ctx, VOUCH_ERR_TCB_MISMATCH,
				    "snp: reported_tcb SPL %zu differs from the "
				    "certificate", i);
			}
		}
	} else {
		/*
		 * Turin (ABI 56860 Table 3): reserved TCB bytes 4-6 are SPLs
		 * 3.5-3.7 (go-sev-guest kds.TCBPartsTurin); the whole
		 * TCB_VERSION is what the VCEK is derived for.
		 */
		for (i = 5; i <= 7; i++) {
			if (e.has_spl[i] &&
			    e.spl[i] != (uint8_t)(r->reported_tcb >> (8 * (i - 1)))) {
				return vouch_fail(ctx, VOUCH_ERR_TCB_MISMATCH,
				    "snp: reported_tcb SPL %zu differs from the "
				    "certificate", i);
			}
		}
	}
	/* The certified TCB cannot be newer than what runs now. */
	snp_tcb_decode(r->current_tcb, product, &cur);
	if (rep.bootloader > cur.bootloader || rep.tee > cur.tee ||
	    rep.snp > cur.snp || rep.microcode > cur.microcode ||
	    rep.fmc > cur.fmc) {
		return vouch_fail(ctx, VOUCH_ERR_TCB_MISMATCH,
		    "snp: reported_tcb is newer than current_tcb");
	}
	if (vlek) {
		if (e.has_hwid || !e.has_csp_id) {
			return vouch_fail(ctx, VOUCH_ERR_BAD_CERT,
			    "snp: a VLEK carries cspID and no hwID");
		}
	} else if (!vouch_ct_eq(r->chip_id, zero, sizeof(zero))) {
		/* AMD 57230 Table 11: Turin's hwID is CHIP_ID[0..8). */
		hwid_len = product == SNP_PRODUCT_TURIN ? 8 : 64;
		if (!e.has_hwid || e.hwid_len != hwid_len ||
		    !vouch_ct_eq(e.hwid, r->chip_id, hwid_len)) {
			return vouch_fail(ctx, VOUCH_ERR_CHIP_ID_MISMATCH,
			    "snp: chip_id is not the VCEK's hwID");
		}
	} else if ((r->flags & SNP_FLAG_MASK_CHIP_KEY) == 0) {
		return vouch_fail(ctx, VOUCH_ERR_CHIP_ID_MISMATCH,
		    "snp: chip_id is zero but MASK_CHIP_KEY is not set");
	}
	return VOUCH_OK;
}

static enum vouch_err
set_tcb_claims(struct vouch_ctx *ctx, struct vouch_claims *c,
    const char *prefix, uint64_t v, enum snp_product p)
{
	struct snp_tcb t;
	enum vouch_err rv;
	char name[48];
	static const char *const comp[] = { "bootloader", "tee", "snp",
	    "microcode" };
	uint8_t vals[4];
	size_t i;

	snp_tcb_decode(v, p, &t);
	vals[0] = t.bootloader;
	vals[1] = t.tee;
	vals[2] = t.snp;
	vals[3] = t.microcode;
	for (i = 0; i < 4; i++) {
		(void)snprintf(name, sizeof(name), "snp.%s_tcb.%s", prefix,
		    comp[i]);
		rv = vouch_claims_set_int(ctx, c, name, vals[i]);
		if (rv != VOUCH_OK) {
			return rv;
		}
	}
	/* Turin adds an FMC level. */
	if (p == SNP_PRODUCT_TURIN) {
		(void)snprintf(name, sizeof(name), "snp.%s_tcb.fmc", prefix);
		return vouch_claims_set_int(ctx, c, name, t.fmc);
	}
	return VOUCH_OK;
}

/*
 * checklist #7: COMMITTED_TCB against CURRENT_TCB, and the committed
 * firmware version against the current one.  The committed values are
 * the anti-rollback floor, so committed above current is impossible on
 * genuine firmware and always refused, naming the component.  Committed
 * below current is provisional firmware (an update not yet committed,
 * e.g. late-loaded microcode): reported in *provisional as claim
 * snp.provisional_firmware, refused by the policy unless
 * platforms.snp.allow_provisional_firmware (docs/snp.md).
 */
enum vouch_err
snp_check_committed(struct vouch_ctx *ctx, const struct snp_report *r,
    enum snp_product product, bool *provisional)
{
	static const char *const names[] = { "fmc", "bootloader", "tee", "snp",
	    "microcode" };
	struct snp_tcb com, cur;
	uint8_t cv[5], kv[5];
	uint32_t cver, kver;
	size_t i;

	*provisional = false;
	snp_tcb_decode(r->committed_tcb, product, &com);
	snp_tcb_decode(r->current_tcb, product, &cur);
	kv[0] = com.fmc;
	kv[1] = com.bootloader;
	kv[2] = com.tee;
	kv[3] = com.snp;
	kv[4] = com.microcode;
	cv[0] = cur.fmc;
	cv[1] = cur.bootloader;
	cv[2] = cur.tee;
	cv[3] = cur.snp;
	cv[4] = cur.microcode;
	for (i = 0; i < 5; i++) {
		if (kv[i] > cv[i]) {
			return vouch_fail(ctx, VOUCH_ERR_TCB_MISMATCH,
			    "snp: committed_tcb %s %u is above current_tcb %s "
			    "%u", names[i], kv[i], names[i], cv[i]);
		}
		if (kv[i] < cv[i]) {
			*provisional = true;
		}
	}
	/* Reserved TCB bytes that differ: not "equal", so provisional too. */
	if (r->committed_tcb != r->current_tcb) {
		*provisional = true;
	}
	/* (major, minor, build), compared in that order. */
	cver = (uint32_t)r->current_major << 16 |
	    (uint32_t)r->current_minor << 8 | r->current_build;
	kver = (uint32_t)r->committed_major << 16 |
	    (uint32_t)r->committed_minor << 8 | r->committed_build;
	if (kver > cver) {
		return vouch_fail(ctx, VOUCH_ERR_TCB_MISMATCH,
		    "snp: committed firmware %u.%u build %u is above current "
		    "%u.%u build %u", r->committed_major, r->committed_minor,
		    r->committed_build, r->current_major, r->current_minor,
		    r->current_build);
	}
	if (kver < cver) {
		*provisional = true;
	}
	return VOUCH_OK;
}

/* The named PLATFORM_INFO bits (ABI 56860 rev 1.58, Table 24). */
static const struct {
	const char	*claim;
	unsigned	 bit;
} snp_pinfo_bits[] = {
	{ "snp.platform_info.smt_en", 0 },
	{ "snp.platform_info.tsme_en", 1 },
	{ "snp.platform_info.ecc_en", 2 },
	{ "snp.platform_info.rapl_dis", 3 },
	{ "snp.platform_info.ciphertext_hiding_en", 4 },
	{ "snp.platform_info.alias_check_complete", 5 },
	{ "snp.platform_info.tio_en", 7 },
};

/* Claims added with checklist #7, #8, #10-#12 (docs/snp.md). */
static enum vouch_err
set_more_claims(struct vouch_ctx *ctx, struct vouch_claims *c,
    const struct snp_report *r, bool provisional)
{
	enum vouch_err rv;
	size_t i;

	if ((rv = vouch_claims_set_int(ctx, c, "snp.policy.abi_major",
	    (int64_t)((r->policy >> 8) & 0xff))) != VOUCH_OK ||
	    (rv = vouch_claims_set_int(ctx, c, "snp.policy.abi_minor",
	    (int64_t)(r->policy & 0xff))) != VOUCH_OK ||
	    (rv = vouch_claims_set_int(ctx, c, "snp.current_version.major",
	    r->current_major)) != VOUCH_OK ||
	    (rv = vouch_claims_set_int(ctx, c, "snp.current_version.minor",
	    r->current_minor)) != VOUCH_OK ||
	    (rv = vouch_claims_set_int(ctx, c, "snp.current_version.build",
	    r->current_build)) != VOUCH_OK ||
	    (rv = vouch_claims_set_int(ctx, c, "snp.committed_version.major",
	    r->committed_major)) != VOUCH_OK ||
	    (rv = vouch_claims_set_int(ctx, c, "snp.committed_version.minor",
	    r->committed_minor)) != VOUCH_OK ||
	    (rv = vouch_claims_set_int(ctx, c, "snp.committed_version.build",
	    r->committed_build)) != VOUCH_OK ||
	    (rv = vouch_claims_set_bool(ctx, c, "snp.provisional_firmware",
	    provisional)) != VOUCH_OK ||
	    (rv = vouch_claims_set_int(ctx, c, "snp.platform_info",
	    (int64_t)r->platform_info)) != VOUCH_OK ||
	    (rv = vouch_claims_set_bool(ctx, c, "snp.author_key_en",
	    (r->flags & SNP_FLAG_AUTHOR_KEY_EN) != 0)) != VOUCH_OK ||
	    (rv = vouch_claims_set_bytes(ctx, c, "snp.id_key_digest",
	    r->id_key_digest, sizeof(r->id_key_digest))) != VOUCH_OK ||
	    (rv = vouch_claims_set_bytes(ctx, c, "snp.author_key_digest",
	    r->author_key_digest, sizeof(r->author_key_digest))) != VOUCH_OK) {
		return rv;
	}
	for (i = 0; i < sizeof(snp_pinfo_bits) / sizeof(snp_pinfo_bits[0]);
	    i++) {
		rv = vouch_claims_set_bool(ctx, c, snp_pinfo_bits[i].claim,
		    ((r->platform_info >> snp_pinfo_bits[i].bit) & 1) != 0);
		if (rv != VOUCH_OK) {
			return rv;
		}
	}
	/* The vectors exist from version 5; absent (not zero) before. */
	if (r->version >= 5) {
		if ((rv = vouch_claims_set_int(ctx, c, "snp.launch_mit_vector",
		    (int64_t)r->launch_mit_vector)) != VOUCH_OK ||
		    (rv = vouch_claims_set_int(ctx, c, "snp.current_mit_vector",
		    (int64_t)r->current_mit_vector)) != VOUCH_OK) {
			return rv;
		}
	}
	return VOUCH_OK;
}

static enum vouch_err
set_claims(struct vouch_ctx *ctx, struct vouch_claims *c,
    const struct snp_report *r, enum snp_product product, bool vlek,
    bool provisional, const uint8_t root_id[VOUCH_SHA256_BYTES])
{
	enum vouch_err rv;

	if ((rv = vouch_claims_set_string(ctx, c, "platform", "snp")) != VOUCH_OK ||
	    (rv = vouch_claims_set_bool(ctx, c, "debug",
	    (r->policy & SNP_POLICY_DEBUG) != 0)) != VOUCH_OK ||
	    (rv = vouch_claims_set_bytes(ctx, c, "report_data", r->report_data,
	    sizeof(r->report_data))) != VOUCH_OK ||
	    (rv = vouch_claims_set_bytes(ctx, c, "measurement", r->measurement,
	    sizeof(r->measurement))) != VOUCH_OK ||
	    (rv = vouch_claims_set_bytes(ctx, c, "host_data", r->host_data,
	    sizeof(r->host_data))) != VOUCH_OK ||
	    (rv = vouch_claims_set_bytes(ctx, c, "chip_id", r->chip_id,
	    sizeof(r->chip_id))) != VOUCH_OK ||
	    (rv = vouch_claims_set_bytes(ctx, c, "root_key_id", root_id,
	    VOUCH_SHA256_BYTES)) != VOUCH_OK ||
	    (rv = vouch_claims_set_int(ctx, c, "snp.version", r->version)) != VOUCH_OK ||
	    (rv = vouch_claims_set_int(ctx, c, "snp.guest_svn", r->guest_svn)) != VOUCH_OK ||
	    (rv = vouch_claims_set_int(ctx, c, "snp.vmpl", r->vmpl)) != VOUCH_OK ||
	    (rv = vouch_claims_set_int(ctx, c, "snp.policy",
	    (int64_t)r->policy)) != VOUCH_OK ||
	    (rv = vouch_claims_set_bool(ctx, c, "snp.policy.debug",
	    (r->policy & SNP_POLICY_DEBUG) != 0)) != VOUCH_OK ||
	    (rv = vouch_claims_set_bool(ctx, c, "snp.policy.migrate_ma",
	    (r->policy & SNP_POLICY_MIGRATE_MA) != 0)) != VOUCH_OK ||
	    (rv = vouch_claims_set_bool(ctx, c, "snp.policy.smt",
	    (r->policy & SNP_POLICY_SMT) != 0)) != VOUCH_OK ||
	    (rv = vouch_claims_set_bool(ctx, c, "snp.policy.single_socket",
	    (r->policy & SNP_POLICY_SINGLE_SOCKET) != 0)) != VOUCH_OK ||
	    (rv = vouch_claims_set_bytes(ctx, c, "snp.family_id", r->family_id,
	    sizeof(r->family_id))) != VOUCH_OK ||
	    (rv = vouch_claims_set_bytes(ctx, c, "snp.image_id", r->image_id,
	    sizeof(r->image_id))) != VOUCH_OK ||
	    (rv = set_tcb_claims(ctx, c, "reported", r->reported_tcb,
	    product)) != VOUCH_OK ||
	    (rv = set_tcb_claims(ctx, c, "committed", r->committed_tcb,
	    product)) != VOUCH_OK ||
	    (rv = set_tcb_claims(ctx, c, "launch", r->launch_tcb,
	    product)) != VOUCH_OK ||
	    (rv = set_tcb_claims(ctx, c, "current", r->current_tcb,
	    product)) != VOUCH_OK ||
	    (rv = vouch_claims_set_string(ctx, c, "snp.signing_key",
	    vlek ? "vlek" : "vcek")) != VOUCH_OK ||
	    (rv = vouch_claims_set_string(ctx, c, "snp.product",
	    snp_product_name(product))) != VOUCH_OK) {
		return rv;
	}
	return set_more_claims(ctx, c, r, provisional);
}

/*
 * Split |len| bytes of evidence: the report, then optionally the
 * extended request's certificate table (at least one entry, parsed
 * strictly).  |table| holds views into |buf|.
 */
enum vouch_err
snp_evidence_parse(struct vouch_ctx *ctx, const uint8_t *buf, size_t len,
    struct snp_report *r, struct snp_cert_table *table)
{
	enum vouch_err rv;
	size_t tail;

	memset(table, 0, sizeof(*table));
	if (len <= SNP_REPORT_LEN) {
		return snp_report_parse(ctx, buf, len, r);
	}
	rv = snp_report_parse(ctx, buf, SNP_REPORT_LEN, r);
	if (rv != VOUCH_OK) {
		return rv;
	}
	tail = len - SNP_REPORT_LEN;
	if (tail < SNP_CERT_TABLE_ENTRY_BYTES) {
		return vouch_fail(ctx, VOUCH_ERR_TRAILING_DATA,
		    "snp: %zu bytes after the report are not a certificate "
		    "table", tail);
	}
	rv = snp_cert_table_parse(ctx, buf + SNP_REPORT_LEN, tail, table);
	if (rv != VOUCH_OK) {
		return rv;
	}
	if (table->n == 0) {
		return vouch_fail(ctx, VOUCH_ERR_TRAILING_DATA,
		    "snp: the certificate table after the report is empty");
	}
	return VOUCH_OK;
}

/* The product a V[CL]EK names in productName ("Milan-B0"), or UNKNOWN. */
static enum snp_product
leaf_product(struct vouch_ctx *ctx, X509 *leaf)
{
	static const enum snp_product all[] = { SNP_PRODUCT_MILAN,
	    SNP_PRODUCT_GENOA, SNP_PRODUCT_TURIN };
	struct snp_cert_ext e;
	uint8_t *der = NULL;
	size_t der_len = 0, i, n;
	const char *name;

	if (vouch_cert_to_der(ctx, leaf, &der, &der_len) != VOUCH_OK) {
		return SNP_PRODUCT_UNKNOWN;
	}
	if (cert_amd_exts(ctx, der, der_len, &e) != VOUCH_OK ||
	    !e.has_product) {
		free(der);
		return SNP_PRODUCT_UNKNOWN;
	}
	free(der);
	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		name = snp_product_name(all[i]);
		n = strlen(name);
		if (strncmp(e.product, name, n) == 0 &&
		    (e.product[n] == '\0' || e.product[n] == '-')) {
			return all[i];
		}
	}
	return SNP_PRODUCT_UNKNOWN;
}

/* The candidate whose P-384 key verifies the report (checklist #3). */
static X509 *
find_leaf(struct vouch_ctx *ctx, STACK_OF(X509) *all, const uint8_t *report,
    const uint8_t sig[VOUCH_P384_SIG_BYTES], bool vlek)
{
	char cn[64];
	X509 *x;
	int i;

	for (i = 0; i < sk_X509_num(all); i++) {
		x = sk_X509_value(all, i);
		if (subject_cn(x, cn, sizeof(cn)) &&
		    strcmp(cn, vlek ? "SEV-VLEK" : "SEV-VCEK") == 0 &&
		    p384_verify(ctx, x, report, sig)) {
			return x;
		}
	}
	return NULL;
}

/* Whether |all| holds any certificate named like a VCEK (or VLEK). */
static bool
has_leaf_named(STACK_OF(X509) *all, bool vlek)
{
	char cn[64];
	int i;

	for (i = 0; i < sk_X509_num(all); i++) {
		if (subject_cn(sk_X509_value(all, i), cn, sizeof(cn)) &&
		    strcmp(cn, vlek ? "SEV-VLEK" : "SEV-VCEK") == 0) {
			return true;
		}
	}
	return false;
}

/*
 * No V[CL]EK at hand verifies the report: look the VCEK up by CHIP_ID and
 * REPORTED_TCB (a VLEK cannot be: the cloud provider holds it).  The
 * product comes from CPUID (v3+); a v2 report does not say, so Milan,
 * then Genoa (the products that produced v2 reports).
 */
static enum vouch_err
lookup_vcek(struct vouch_ctx *ctx, const struct vouch_verify_config *cfg,
    const struct snp_report *r, const uint8_t *report,
    const uint8_t sig[VOUCH_P384_SIG_BYTES], int64_t now,
    struct snp_collateral *coll, X509 **out_leaf)
{
	enum snp_product tries[2];
	enum vouch_err rv, hard = VOUCH_OK;
	bool got = false, not_found = false;
	char hard_msg[256];
	size_t n = 0, i;

	*out_leaf = NULL;
	if (r->version >= 3) {
		tries[n++] = cpuid_product(r->cpuid_fam_id, r->cpuid_mod_id);
	} else {
		tries[n++] = SNP_PRODUCT_MILAN;
		tries[n++] = SNP_PRODUCT_GENOA;
	}
	for (i = 0; i < n && *out_leaf == NULL; i++) {
		rv = snp_kds_vcek(ctx, cfg, r, tries[i], now, coll);
		if (rv == VOUCH_OK) {
			got = true;
			*out_leaf = find_leaf(ctx, coll->certs, report, sig,
			    false);
		} else if (rv == VOUCH_ERR_NOT_FOUND) {
			not_found = true;
		} else if (rv != VOUCH_ERR_COLLATERAL_MISSING &&
		    hard == VOUCH_OK) {
			hard = rv;
			(void)snprintf(hard_msg, sizeof(hard_msg), "%s",
			    vouch_error(ctx));
		}
	}
	if (*out_leaf != NULL) {
		return VOUCH_OK;
	}
	/* Worst first: a failed download may have hidden the right VCEK. */
	if (hard != VOUCH_OK) {
		return vouch_fail(ctx, hard, "snp: VCEK lookup: %s", hard_msg);
	}
	if (got) {
		return vouch_fail(ctx, VOUCH_ERR_SIGNATURE_INVALID,
		    "snp: report signature does not verify with the VCEK for "
		    "its CHIP_ID and REPORTED_TCB");
	}
	if (not_found) {
		return vouch_fail(ctx, VOUCH_ERR_COLLATERAL_MISSING,
		    "snp: KDS has no VCEK for this CHIP_ID and REPORTED_TCB");
	}
	return vouch_fail(ctx, VOUCH_ERR_COLLATERAL_MISSING,
	    "snp: no VCEK among the endorsements, and none cached%s",
	    cfg->snp_kds_url == NULL ? " (fetching is off)" : "");
}

/* True when |all| has a pinned ARK and the intermediate |want_cn|. */
static bool
have_chain(struct vouch_ctx *ctx, const struct vouch_verify_config *cfg,
    STACK_OF(X509) *all, const char *want_cn)
{
	uint8_t id[VOUCH_SHA256_BYTES];
	bool ark = false, ask = false;
	char cn[64];
	X509 *x;
	int i;

	for (i = 0; i < sk_X509_num(all); i++) {
		x = sk_X509_value(all, i);
		if (vouch_key_spki_sha256(ctx, X509_get0_pubkey(x), id) ==
		    VOUCH_OK && ark_product(cfg, id) != SNP_PRODUCT_UNKNOWN) {
			ark = true;
		} else if (subject_cn(x, cn, sizeof(cn)) &&
		    strcmp(cn, want_cn) == 0) {
			ask = true;
		}
	}
	return ark && ask;
}

static enum vouch_err
snp_verify(struct vouch_ctx *ctx, const struct vouch_verify_config *cfg,
    const uint8_t *buf, size_t len, struct vouch_result *res)
{
	enum vouch_err rv = VOUCH_ERR_INTERNAL, rv2;
	struct snp_report r;
	struct snp_cert_table table;
	struct snp_collateral coll;
	STACK_OF(X509) *untrusted = NULL, *arks = NULL;
	STACK_OF(X509) *chain = NULL;
	X509 *x, *leaf = NULL, *check[2];
	uint8_t sig[VOUCH_P384_SIG_BYTES], id[VOUCH_SHA256_BYTES];
	uint8_t root_id[VOUCH_SHA256_BYTES];
	enum snp_product product, named;
	struct snp_chain_extra *ce = NULL;
	uint8_t ckey[VOUCH_SHA256_BYTES];
	char want[64];
	int64_t now = vouch_ctx_now(ctx), win_nb = INT64_MIN, win_na = INT64_MAX;
	bool vlek, provisional = false, leaf_owned = false;
	void *extra = NULL;
	int i;

	/* 1. Parse strictly (checklist #1, #2), and the table if any. */
	rv = snp_evidence_parse(ctx, buf, len, &r, &table);
	if (rv != VOUCH_OK) {
		return rv;
	}
	vlek = ((r.flags & SNP_FLAG_SIGNING_KEY_MASK) >>
	    SNP_FLAG_SIGNING_KEY_SHIFT) == SNP_SIGNING_KEY_VLEK;
	memcpy(sig, r.sig_r, SNP_SIG_SCALAR_BYTES);
	memcpy(sig + SNP_SIG_SCALAR_BYTES, r.sig_s, SNP_SIG_SCALAR_BYTES);

	rv = snp_collateral_init(ctx, &coll);
	if (rv != VOUCH_OK) {
		return rv;
	}
	/*
	 * A chain that validated (with its CRLs) for the same collateral and
	 * is still inside its window: only the signature is left to check.
	 * If it does not verify, the full path below says why.
	 */
	snp_chain_key(cfg, buf, len, &r, vlek, ckey);
	if (vouch_chain_cache_get_ex(cfg, ckey, now, &leaf, root_id, &extra)) {
		ce = extra;
		if (ce != NULL && ce->vlek == vlek &&
		    vouch_p384_verify(ce->key, buf, SNP_REPORT_SIGNED_LEN, sig)) {
			leaf_owned = true;
			product = ce->product;
			if (cfg->skip_revocation) {
				vouch_result_note_unchecked(res, "revocation");
			}
			goto bound;
		}
		X509_free(leaf);
		leaf = NULL;
	}
	untrusted = sk_X509_new_null();
	arks = sk_X509_new_null();
	if (untrusted == NULL || arks == NULL) {
		rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
		goto out;
	}
	rv = collect_certs(ctx, cfg, &table, &coll);
	if (rv != VOUCH_OK) {
		goto out;
	}

	/*
	 * 2. Signature (checklist #3): by the one V[CL]EK among the
	 * collateral whose P-384 key verifies bytes 0x000-0x29F; failing
	 * that, the VCEK from the cache or KDS.
	 */
	leaf = find_leaf(ctx, coll.certs, buf, sig, vlek);
	if (leaf == NULL && !vlek && snp_kds_configured(cfg)) {
		rv = lookup_vcek(ctx, cfg, &r, buf, sig, now, &coll, &leaf);
		if (rv != VOUCH_OK) {
			goto out;
		}
	}
	if (leaf == NULL && !has_leaf_named(coll.certs, vlek)) {
		/* Nothing to check the signature with: say what is missing. */
		rv = vouch_fail(ctx, VOUCH_ERR_COLLATERAL_MISSING,
		    "snp: no %s among the endorsements%s", vlek ? "VLEK" : "VCEK",
		    vlek ? "" : " (give it, a cache directory, or enable fetching)");
		goto out;
	}
	if (leaf == NULL) {
		rv = vouch_fail(ctx, VOUCH_ERR_SIGNATURE_INVALID,
		    "snp: report signature does not verify with any %s given",
		    vlek ? "VLEK" : "VCEK");
		goto out;
	}

	/*
	 * The ASK (ASVK) and ARK of the product the leaf names, when the
	 * collateral lacks them.  Which root is accepted is decided below
	 * by the pins alone, never by where a certificate came from.
	 */
	named = leaf_product(ctx, leaf);
	if (named != SNP_PRODUCT_UNKNOWN && snp_kds_configured(cfg)) {
		(void)snprintf(want, sizeof(want), "%s%s", vlek ? "SEV-VLEK-" :
		    "SEV-", snp_product_name(named));
		if (!have_chain(ctx, cfg, coll.certs, want)) {
			rv = snp_kds_chain(ctx, cfg, named, vlek, now, &coll);
			if (rv != VOUCH_OK && rv != VOUCH_ERR_COLLATERAL_MISSING) {
				goto out;
			}
		}
	}

	/*
	 * 3. Chain (checklist #4): only an ARK whose key is pinned above is
	 * an anchor; every other certificate is merely a candidate
	 * intermediate.
	 */
	for (i = 0; i < sk_X509_num(coll.certs); i++) {
		x = sk_X509_value(coll.certs, i);
		if (x == leaf) {
			continue;
		}
		rv = vouch_key_spki_sha256(ctx, X509_get0_pubkey(x), id);
		if (rv != VOUCH_OK) {
			goto out;
		}
		if (ark_product(cfg, id) != SNP_PRODUCT_UNKNOWN &&
		    X509_check_issued(x, x) == X509_V_OK) {
			if (sk_X509_push(arks, x) == 0) {
				rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY,
				    "out of memory");
				goto out;
			}
		} else if (sk_X509_push(untrusted, x) == 0) {
			rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
			goto out;
		}
	}
	if (sk_X509_num(arks) == 0) {
		rv = vouch_fail(ctx, VOUCH_ERR_NO_TRUST_ANCHOR,
		    "snp: no pinned AMD ARK (Milan, Genoa, Turin) among the "
		    "collateral");
		goto out;
	}
	/*
	 * Not X509_V_FLAG_X509_STRICT: OpenSSL 3 strict mode rejects every
	 * real VCEK (no authority key identifier); check_chain_shape checks
	 * the rest.  The ARK's self-signature is checked too.
	 */
	rv = vouch_chain_verify_flags(ctx, leaf, untrusted, arks, now,
	    X509_V_FLAG_CHECK_SS_SIGNATURE, &chain);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = vouch_key_spki_sha256(ctx,
	    X509_get0_pubkey(sk_X509_value(chain, sk_X509_num(chain) - 1)),
	    root_id);
	if (rv != VOUCH_OK) {
		goto out;
	}
	product = ark_product(cfg, root_id);
	if (product == SNP_PRODUCT_UNKNOWN) {
		rv = vouch_fail(ctx, VOUCH_ERR_NO_TRUST_ANCHOR,
		    "snp: chain does not end in a pinned ARK");
		goto out;
	}
	rv = check_chain_shape(ctx, chain, product, vlek);
	if (rv != VOUCH_OK) {
		goto out;
	}

	/* 4. Revocation (checklist #6), fail closed. */
	if (cfg->skip_revocation) {
		vouch_result_note_unchecked(res, "revocation");
	} else {
		check[0] = sk_X509_value(chain, 1);
		check[1] = leaf;
		rv = vouch_check_revocation(ctx, coll.crls, coll.ncrls,
		    sk_X509_value(chain, 2), check, 2, now, "snp: the ARK's",
		    &win_nb, &win_na);
		if ((rv == VOUCH_ERR_CRL_MISSING || rv == VOUCH_ERR_CRL_EXPIRED) &&
		    snp_kds_configured(cfg)) {
			rv2 = snp_kds_crl(ctx, cfg, product, vlek, now, &coll);
			if (rv2 != VOUCH_OK &&
			    rv2 != VOUCH_ERR_COLLATERAL_MISSING) {
				rv = rv2;
				goto out;
			}
			/* Again, with whatever the lookup added. */
			rv = vouch_check_revocation(ctx, coll.crls, coll.ncrls,
			    sk_X509_value(chain, 2), check, 2, now,
			    "snp: the ARK's", &win_nb, &win_na);
		}
		if (rv != VOUCH_OK) {
			goto out;
		}
	}

	/* Remember the verdict on the chain for the next report. */
	ce = calloc(1, sizeof(*ce));
	if (ce != NULL && vouch_p384_key_from_pkey(ctx, X509_get0_pubkey(leaf),
	    &ce->key) == VOUCH_OK) {
		ce->product = product;
		ce->vlek = vlek;
		vouch_chain_cache_put_ex(cfg, ckey, chain, root_id, win_nb,
		    win_na, ce, snp_chain_extra_free);
	} else {
		snp_chain_extra_free(ce);
	}
	ce = NULL;

 bound:
	/* 5. Product, TCB and chip_id against the certificate. */
	rv = snp_check_cert_binding(ctx, &r, leaf, product, vlek);
	if (rv != VOUCH_OK) {
		goto out;
	}

	/* 6. Guest policy (checklist #10); DEBUG is enforced by the shared layer. */
	if ((r.policy & SNP_POLICY_MIGRATE_MA) != 0) {
		rv = vouch_fail(ctx, VOUCH_ERR_POLICY_DENIED,
		    "snp: guest policy allows a migration agent (MIGRATE_MA, "
		    "bit 18); not accepted");
		goto out;
	}

	/* Committed against current (checklist #7); see snp_check_committed. */
	rv = snp_check_committed(ctx, &r, product, &provisional);
	if (rv != VOUCH_OK) {
		goto out;
	}

	/* 7. Claims, from verified fields only. */
	rv = set_claims(ctx, res->claims, &r, product, vlek, provisional,
	    root_id);
 out:
	if (leaf_owned) {
		X509_free(leaf);
	}
	sk_X509_pop_free(chain, X509_free);
	sk_X509_free(untrusted);
	sk_X509_free(arks);
	snp_collateral_free(&coll);
	return rv;
}

static json_t *
hex_json(const uint8_t *p, size_t n)
{
	char buf[2 * 64 + 1];

	if (!vouch_hex_encode(p, n, buf, sizeof(buf))) {
		return NULL;
	}
	return json_string(buf);
}

static json_t *
tcb_json(uint64_t v, enum snp_product p)
{
	struct snp_tcb t;
	char raw[19];

	snp_tcb_decode(v, p, &t);
	(void)snprintf(raw, sizeof(raw), "0x%016llx", (unsigned long long)v);
	return json_pack("{s:s, s:i, s:i, s:i, s:i}", "raw", raw,
	    "bootloader", (int)t.bootloader, "tee", (int)t.tee,
	    "snp", (int)t.snp, "microcode", (int)t.microcode);
}

static enum vouch_err
snp_show(struct vouch_ctx *ctx, const uint8_t *buf, size_t len, json_t **out)
{
	struct snp_report r;
	enum vouch_err rv;
	enum snp_product p = SNP_PRODUCT_UNKNOWN;
	json_t *o, *rep, *tcb;

	struct snp_cert_table table;
	json_t *certs;
	size_t i;

	*out = NULL;
	rv = snp_evidence_parse(ctx, buf, len, &r, &table);
	if (rv != VOUCH_OK) {
		return rv;
	}
	if (r.version >= 3) {
		p = cpuid_product(r.cpuid_fam_id, r.cpuid_mod_id);
	}
	certs = json_array();
	for (i = 0; certs != NULL && i < table.n; i++) {
		if (json_array_append_new(certs, json_pack("{s:s, s:o?, s:I}",
		    "kind", snp_cert_kind_name(table.e[i].kind),
		    "guid", hex_json(table.e[i].guid, 16),
		    "length", (json_int_t)table.e[i].len)) != 0) {
			json_decref(certs);
			certs = NULL;
		}
	}
	tcb = json_pack("{s:o?, s:o?, s:o?, s:o?}",
	    "current", tcb_json(r.current_tcb, p),
	    "reported", tcb_json(r.reported_tcb, p),
	    "committed", tcb_json(r.committed_tcb, p),
	    "launch", tcb_json(r.launch_tcb, p));
	rep = json_pack("{s:I, s:I, s:I, s:b, s:b, s:I, s:I, s:I, s:I, s:s,"
	    " s:o?, s:o?, s:o?, s:o?, s:o?, s:o?, s:o?, s:o?, s:o?, s:o?,"
	    " s:o?}",
	    "version", (json_int_t)r.version,
	    "guest_svn", (json_int_t)r.guest_svn,
	    "policy", (json_int_t)r.policy,
	    "debug", (r.policy & SNP_POLICY_DEBUG) != 0,
	    "migrate_ma", (r.policy & SNP_POLICY_MIGRATE_MA) != 0,
	    "vmpl", (json_int_t)r.vmpl,
	    "platform_info", (json_int_t)r.platform_info,
	    "signing_key", (json_int_t)((r.flags & SNP_FLAG_SIGNING_KEY_MASK) >>
	    SNP_FLAG_SIGNING_KEY_SHIFT),
	    "cpuid", (json_int_t)((r.cpuid_fam_id << 16) | (r.cpuid_mod_id << 8) |
	    r.cpuid_step),
	    "product_from_cpuid", snp_product_name(p),
	    "family_id", hex_json(r.family_id, sizeof(r.family_id)),
	    "image_id", hex_json(r.image_id, sizeof(r.image_id)),
	    "report_data", hex_json(r.report_data, sizeof(r.report_data)),
	    "measurement", hex_json(r.measurement, sizeof(r.measurement)),
	    "host_data", hex_json(r.host_data, sizeof(r.host_data)),
	    "id_key_digest", hex_json(r.id_key_digest, sizeof(r.id_key_digest)),
	    "author_key_digest", hex_json(r.author_key_digest,
	    sizeof(r.author_key_digest)),
	    "report_id", hex_json(r.report_id, sizeof(r.report_id)),
	    "chip_id", hex_json(r.chip_id, sizeof(r.chip_id)),
	    "tcb", tcb,
	    "signature_r", hex_json(r.sig_r, sizeof(r.sig_r)));
	/* The rest of the report (firmware versions, v5 mitigation vectors). */
	if (rep != NULL && (json_object_set_new(rep, "flags",
	    json_integer((json_int_t)r.flags)) != 0 ||
	    json_object_set_new(rep, "signature_algo",
	    json_integer((json_int_t)r.signature_algo)) != 0 ||
	    json_object_set_new(rep, "report_id_ma", hex_json(r.report_id_ma,
	    sizeof(r.report_id_ma))) != 0 ||
	    json_object_set_new(rep, "current_version", json_pack(
	    "{s:I, s:I, s:I}", "major", (json_int_t)r.current_major,
	    "minor", (json_int_t)r.current_minor,
	    "build", (json_int_t)r.current_build)) != 0 ||
	    json_object_set_new(rep, "committed_version", json_pack(
	    "{s:I, s:I, s:I}", "major", (json_int_t)r.committed_major,
	    "minor", (json_int_t)r.committed_minor,
	    "build", (json_int_t)r.committed_build)) != 0 ||
	    (r.version >= 5 && (json_object_set_new(rep, "launch_mit_vector",
	    json_integer((json_int_t)r.launch_mit_vector)) != 0 ||
	    json_object_set_new(rep, "current_mit_vector",
	    json_integer((json_int_t)r.current_mit_vector)) != 0)) ||
	    json_object_set_new(rep, "signature_s", hex_json(r.sig_s,
	    sizeof(r.sig_s))) != 0)) {
		json_decref(rep);
		rep = NULL;
	}
	o = json_pack("{s:b, s:s, s:o?, s:o?}", "verified", 0, "platform",
	    "snp", "report", rep, "certificate_table", certs);
	if (o == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
	}
	*out = o;
	return VOUCH_OK;
}

const struct vouch_platform vouch_platform_snp = {
	.name = "snp",
	.probe = snp_probe,
	.verify = snp_verify,
	.show = snp_show,
};
