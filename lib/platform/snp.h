/* SPDX-License-Identifier: Apache-2.0 */
/*
 * AMD SEV-SNP: the ATTESTATION_REPORT (SEV Secure Nested Paging Firmware
 * ABI Specification, publication 56860, Table 23 "ATTESTATION_REPORT
 * Structure" in revision 1.55 onwards), parsed into host-order fields.
 */
#ifndef VOUCH_SNP_H
#define VOUCH_SNP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/x509.h>

#include "internal.h"
#include "platform/platform.h"

#define SNP_REPORT_LEN		0x4a0u	/* whole report, 1184 bytes */
#define SNP_REPORT_SIGNED_LEN	0x2a0u	/* bytes 0x000-0x29F are signed */
#define SNP_SIG_FIELD_BYTES	72u	/* R and S: little-endian, 72 bytes */
#define SNP_SIG_SCALAR_BYTES	48u	/* P-384 scalar */
#define SNP_SIG_ALGO_ECDSA_P384_SHA384	1u

/* GUEST_POLICY bits (ABI Table 9). */
#define SNP_POLICY_SMT		(1ull << 16)
#define SNP_POLICY_RESERVED_1	(1ull << 17)	/* must be one */
#define SNP_POLICY_MIGRATE_MA	(1ull << 18)
#define SNP_POLICY_DEBUG	(1ull << 19)
#define SNP_POLICY_SINGLE_SOCKET (1ull << 20)
/* Bits 63:26 are reserved and must be zero. */
#define SNP_POLICY_MBZ		(~((1ull << 26) - 1))
/* PLATFORM_INFO: bits 7:0 are defined up to ABI 1.58; the rest is MBZ. */
#define SNP_PLATFORM_INFO_MBZ	(~0xffull)

/* The word at 0x48 (ABI Table 23). */
#define SNP_FLAG_AUTHOR_KEY_EN	(1u << 0)
#define SNP_FLAG_MASK_CHIP_KEY	(1u << 1)
#define SNP_FLAG_SIGNING_KEY_SHIFT 2
#define SNP_FLAG_SIGNING_KEY_MASK (7u << 2)
#define SNP_FLAG_MBZ		(~0x1fu)
#define SNP_SIGNING_KEY_VCEK	0u
#define SNP_SIGNING_KEY_VLEK	1u

enum snp_product {
	SNP_PRODUCT_UNKNOWN = 0,
	SNP_PRODUCT_MILAN,
	SNP_PRODUCT_GENOA,
	SNP_PRODUCT_TURIN,
};

struct snp_report {
	uint32_t	version;
	uint32_t	guest_svn;
	uint64_t	policy;
	uint8_t		family_id[16];
	uint8_t		image_id[16];
	uint32_t	vmpl;
	uint32_t	signature_algo;
	uint64_t	current_tcb;
	uint64_t	platform_info;
	uint32_t	flags;		/* author_key_en, mask_chip_key, signing_key */
	uint8_t		report_data[64];
	uint8_t		measurement[48];
	uint8_t		host_data[32];
	uint8_t		id_key_digest[48];
	uint8_t		author_key_digest[48];
	uint8_t		report_id[32];
	uint8_t		report_id_ma[32];
	uint64_t	reported_tcb;
	uint8_t		cpuid_fam_id;	/* v3+ */
	uint8_t		cpuid_mod_id;	/* v3+ */
	uint8_t		cpuid_step;	/* v3+ */
	uint8_t		chip_id[64];
	uint64_t	committed_tcb;
	uint8_t		current_build, current_minor, current_major;
	uint8_t		committed_build, committed_minor, committed_major;
	uint64_t	launch_tcb;
	uint64_t	launch_mit_vector;	/* v5 */
	uint64_t	current_mit_vector;	/* v5 */
	uint8_t		sig_r[SNP_SIG_SCALAR_BYTES];	/* big-endian */
	uint8_t		sig_s[SNP_SIG_SCALAR_BYTES];	/* big-endian */
};

/* TCB_VERSION components (ABI Table 3; Turin has its own layout). */
struct snp_tcb {
	uint8_t	fmc;		/* Turin only */
	uint8_t	bootloader;
	uint8_t	tee;
	uint8_t	snp;
	uint8_t	microcode;
};

/*
 * snp_report_parse parses exactly SNP_REPORT_LEN bytes of versions 2, 3
 * or 5 strictly: reserved ranges zero, signature_algo 1, the high bytes
 * of R and S zero, nothing after the report.
 */
enum vouch_err	snp_report_parse(struct vouch_ctx *ctx, const uint8_t *buf,
		    size_t len, struct snp_report *r) VOUCH_MUST_CHECK;

/*
 * snp_check_committed refuses COMMITTED_TCB above CURRENT_TCB in any
 * component, or a committed firmware version above the current one
 * (VOUCH_ERR_TCB_MISMATCH naming it), and sets *provisional when any is
 * below (provisional firmware; the policy decides, docs/snp.md).
 */
enum vouch_err	snp_check_committed(struct vouch_ctx *ctx,
		    const struct snp_report *r, enum snp_product product,
		    bool *provisional) VOUCH_MUST_CHECK;

/* Decode a TCB_VERSION for |p| (Turin has FMC first). */
void	snp_tcb_decode(uint64_t v, enum snp_product p, struct snp_tcb *out);

/* The product whose pinned ARK key has this SPKI SHA-256, or UNKNOWN. */
enum snp_product snp_ark_product(const uint8_t spki_sha256[32]);
const char	*snp_product_name(enum snp_product p);

struct snp_cert_table;

/*
 * snp_check_revocation looks among the |ncrls| CRLs at |crls| for one
 * signed by |ark| and in force at |now|, and fails with
 * VOUCH_ERR_CERT_REVOKED if it lists any of |certs| that |ark| issued.
 * No such CRL: VOUCH_ERR_CRL_EXPIRED if one signed by |ark| exists but
 * is stale, future-dated or lacks nextUpdate, else VOUCH_ERR_CRL_MISSING.
 * A CRL that does not parse is VOUCH_ERR_BAD_DER.
 */
enum vouch_err	snp_check_revocation(struct vouch_ctx *ctx,
		    const struct vouch_crl_ref *crls, size_t ncrls, X509 *ark,
		    X509 *const *certs, size_t n, int64_t now) VOUCH_MUST_CHECK;

/*
 * snp_evidence_parse parses SNP evidence: exactly one report
 * (snp_report_parse), or a report followed by a non-empty certificate
 * table of the extended request (snp_certs.h; fewer than 24 bytes or an
 * empty table after the report are VOUCH_ERR_TRAILING_DATA).  |table|
 * points into |buf|.
 */
enum vouch_err	snp_evidence_parse(struct vouch_ctx *ctx, const uint8_t *buf,
		    size_t len, struct snp_report *r,
		    struct snp_cert_table *table) VOUCH_MUST_CHECK;

/*
 * snp_check_cert_binding checks a parsed report against its verified
 * V[CL]EK |leaf| under the pinned product: productName and CPUID (v3+)
 * name |product|; REPORTED_TCB equals the TCB extensions and is not newer
 * than CURRENT_TCB; CHIP_ID equals hwID unless masked (VCEK), or the
 * certificate is a VLEK with cspID.  Exposed for unit tests.
 */
enum vouch_err	snp_check_cert_binding(struct vouch_ctx *ctx,
		    const struct snp_report *r, X509 *leaf,
		    enum snp_product product, bool vlek) VOUCH_MUST_CHECK;

#endif
