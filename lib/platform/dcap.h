/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Intel DCAP (TDX and SGX ECDSA quotes) — the pieces the tdx and sgx
 * platforms (dcap.c) are built from:
 *
 *   dcap_quote.c  quotes v3 (SGX), v4 and v5 (TDX 1.0 / 1.5, SGX body),
 *                 Intel "TDX DCAP Quote Generation Library and Quote
 *                 Verification Library" §A.3 (v4) and §A.4 (v5), "SGX ECDSA
 *                 Quote Library API" §A.4 (v3).
 *   dcap_pck.c    the SGX extension of PCK certificates (Intel "SGX PCK
 *                 Certificate and Certificate Revocation List Profile
 *                 Specification" §1.3.5, OID 1.2.840.113741.1.13.1).
 *   dcap_coll.c   TCB Info (v2, v3) and Enclave (QE) Identity (v2) JSON as
 *                 served by Intel PCS v4, the dcap-qvl collateral bundle,
 *                 and TCB level matching (VERIFIER-CHECKLIST §1.2 #7-#11).
 *   ccel.c        the TDX CC event log and RTMR replay (ccel.h).
 *   dcap_pcs.c    collateral from the cache and Intel PCS (dcap_pcs.h).
 *   dcap_guest.c  collection in the TEE (dcap_guest.h).
 *
 * Every parser takes untrusted bytes and reads them through the
 * bounds-checked cursor (bs/bs.h); every declared length is checked
 * against the bytes left before it is used.
 */
#ifndef VOUCH_DCAP_H
#define VOUCH_DCAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/x509.h>

#include "internal.h"

#define DCAP_HEADER_LEN		48u
#define DCAP_SGX_REPORT_LEN	384u	/* SGX report body, also the QE report */
#define DCAP_TD10_BODY_LEN	584u
#define DCAP_TD15_BODY_LEN	648u
#define DCAP_P256_SIG_LEN	64u	/* r||s, big-endian */
#define DCAP_P256_KEY_LEN	64u	/* x||y, big-endian, no 0x04 prefix */

#define DCAP_ATT_KEY_ECDSA_P256	2u
#define DCAP_TEE_SGX		0x00000000u
#define DCAP_TEE_TDX		0x00000081u

/* v5 body types (§A.4.2). */
#define DCAP_BODY_SGX		1u
#define DCAP_BODY_TD10		2u
#define DCAP_BODY_TD15		3u

/* Certification data types. */
#define DCAP_CERT_PCK_CHAIN	5u	/* PEM: PCK leaf, intermediate, root */
#define DCAP_CERT_QE_REPORT	6u	/* QE report certification data (v4/v5) */

/* Largest quote accepted (real ones are about 5 KiB). */
#define DCAP_QUOTE_MAX		(64u * 1024u)

/* 939A7233-F79C-4CA9-940A-0DB3957F0607, the Intel QE. */
extern const uint8_t dcap_intel_qe_vendor_id[16];

/* SGX ATTRIBUTES.FLAGS bits (SDM Vol. 3D, 38.7.1). */
#define DCAP_SGX_ATTR_INIT	(1ull << 0)
#define DCAP_SGX_ATTR_DEBUG	(1ull << 1)
#define DCAP_SGX_ATTR_MODE64	(1ull << 2)
#define DCAP_SGX_ATTR_PROVKEY	(1ull << 4)
#define DCAP_SGX_ATTR_EINITTOKEN (1ull << 5)
#define DCAP_SGX_ATTR_KSS	(1ull << 7)

/* TDATTRIBUTES bits (TDX Module ABI spec, TD_PARAMS.ATTRIBUTES). */
#define DCAP_TD_ATTR_DEBUG		(1ull << 0)
#define DCAP_TD_ATTR_SEPT_VE_DISABLE	(1ull << 28)
#define DCAP_TD_ATTR_MIGRATABLE		(1ull << 29)
#define DCAP_TD_ATTR_PKS		(1ull << 30)
#define DCAP_TD_ATTR_KL			(1ull << 31)
#define DCAP_TD_ATTR_TPA		(1ull << 62)
#define DCAP_TD_ATTR_PERFMON		(1ull << 63)
/* Every bit not named above is reserved and must be zero. */
#define DCAP_TD_ATTR_KNOWN	(DCAP_TD_ATTR_DEBUG | DCAP_TD_ATTR_SEPT_VE_DISABLE | \
	DCAP_TD_ATTR_MIGRATABLE | DCAP_TD_ATTR_PKS | DCAP_TD_ATTR_KL | \
	DCAP_TD_ATTR_TPA | DCAP_TD_ATTR_PERFMON)

/* An SGX report body (enclave report, or the QE report), host order. */
struct dcap_sgx_report {
	uint8_t		cpusvn[16];
	uint32_t	miscselect;
	uint8_t		isv_ext_prod_id[16];
	uint8_t		attributes[16];	/* FLAGS (u64 LE) || XFRM (u64 LE), raw */
	uint64_t	attr_flags;	/* attributes[0..7] as a u64 */
	uint64_t	attr_xfrm;	/* attributes[8..15] as a u64 */
	uint8_t		mrenclave[32];
	uint8_t		mrsigner[32];
	uint8_t		config_id[64];
	uint16_t	isv_prod_id;
	uint16_t	isv_svn;
	uint16_t	config_svn;
	uint8_t		isv_family_id[16];
	uint8_t		report_data[64];
};

/* A TD report body (TDX 1.0; the last two fields with TDX 1.5 only). */
struct dcap_td_report {
	uint8_t		tee_tcb_svn[16];
	uint8_t		mrseam[48];
	uint8_t		mrsignerseam[48];
	uint64_t	seam_attributes;
	uint64_t	td_attributes;
	uint64_t	xfam;
	uint8_t		mrtd[48];
	uint8_t		mrconfigid[48];
	uint8_t		mrowner[48];
	uint8_t		mrownerconfig[48];
	uint8_t		rtmr[4][48];
	uint8_t		report_data[64];
	bool		v15;		/* TDX 1.5 body: the next two are set */
	uint8_t		tee_tcb_svn2[16];
	uint8_t		mrservicetd[48];
};

/*
 * A parsed quote.  Pointers point into the buffer given to
 * dcap_quote_parse and live as long as it.
 */
struct dcap_quote {
	/* Header (48 bytes). */
	uint16_t	version;	/* 3, 4 or 5 */
	uint16_t	att_key_type;	/* 2 */
	uint32_t	tee_type;	/* 0 (SGX) or 0x81 (TDX) */
	uint16_t	qe_svn;
	uint16_t	pce_svn;
	uint8_t		qe_vendor_id[16];
	uint8_t		user_data[20];
	/* Body: body_type says which of sgx / td is set. */
	uint16_t	body_type;	/* DCAP_BODY_*; for v3/v4 derived from tee_type */
	struct dcap_sgx_report	sgx;
	struct dcap_td_report	td;
	/* The bytes the attestation key signs: header [|| type || size] || body. */
	const uint8_t	*signed_p;
	size_t		 signed_len;
	/* Signature data. */
	uint8_t		 sig[DCAP_P256_SIG_LEN];
	uint8_t		 att_key[DCAP_P256_KEY_LEN];
	const uint8_t	*qe_report_p;	/* the 384 signed bytes of the QE report */
	struct dcap_sgx_report	qe_report;
	uint8_t		 qe_report_sig[DCAP_P256_SIG_LEN];
	const uint8_t	*qe_auth;	/* QE authentication data */
	size_t		 qe_auth_len;
	/* The innermost certification data: type 5, a PEM chain. */
	const uint8_t	*pck_chain;
	size_t		 pck_chain_len;
	/* Where the quote ends inside the buffer, and what follows it. */
	size_t		 quote_len;
	size_t		 trailing;
};

/*
 * dcap_quote_parse parses a quote at |buf| strictly: header values
 * (version 3/4/5, att_key_type 2, tee_type 0 or 0x81 consistent with the
 * version and body type, the Intel QE vendor id), every declared length
 * against the bytes left (VOUCH_ERR_TRUNCATED), certification data of
 * type 6 wrapping type 5 in v4/v5 and type 5 in v3 (any other type
 * VOUCH_ERR_UNSUPPORTED_VERSION), the reserved fields of the SGX report
 * bodies zero (VOUCH_ERR_RESERVED_NONZERO), no slack inside the signature
 * data (VOUCH_ERR_TRAILING_DATA).
 *
 * Trailing bytes: the quote ends where its signature data ends; bytes
 * after that (real quote buffers carry zero padding or appended text)
 * are not part of the evidence, are never read, and are reported in
 * |q->trailing|.  Above DCAP_QUOTE_MAX is VOUCH_ERR_TOO_LARGE.
 */
enum vouch_err	dcap_quote_parse(struct vouch_ctx *ctx, const uint8_t *buf,
		    size_t len, struct dcap_quote *q) VOUCH_MUST_CHECK;

/* Parse one 384-byte SGX report body (reserved fields must be zero). */
enum vouch_err	dcap_sgx_report_parse(struct vouch_ctx *ctx, const uint8_t *buf,
		    size_t len, struct dcap_sgx_report *r) VOUCH_MUST_CHECK;

/* The SGX extension of a PCK certificate. */
struct dcap_pck_ext {
	uint8_t		ppid[16];
	uint8_t		comp_svn[16];	/* SGX TCB component SVNs 1..16 */
	uint16_t	pcesvn;
	uint8_t		cpusvn[16];
	uint8_t		pceid[2];
	uint8_t		fmspc[6];
	int		sgx_type;	/* 0 Standard, 1 Scalable, 2 ScalableWithIntegrity */
	bool		has_platform_instance_id;	/* Platform CA PCKs */
	uint8_t		platform_instance_id[16];
};

/*
 * dcap_pck_ext_parse parses the DER value (the extnValue contents) of
 * the SGX extension: a SEQUENCE of {OID, value} for PPID, TCB (16
 * component SVNs, PCESVN, CPUSVN), PCE-ID, FMSPC, SGX Type and, optionally,
 * PlatformInstanceID and Configuration.  Every required member once,
 * nothing unknown in the required part, each with its exact size:
 * otherwise VOUCH_ERR_BAD_CERT naming the member.
 */
enum vouch_err	dcap_pck_ext_parse(struct vouch_ctx *ctx, const uint8_t *der,
		    size_t len, struct dcap_pck_ext *out) VOUCH_MUST_CHECK;
/* The same, from a certificate (missing or repeated extension: BAD_CERT). */
enum vouch_err	dcap_pck_ext_from_cert(struct vouch_ctx *ctx, X509 *x,
		    struct dcap_pck_ext *out) VOUCH_MUST_CHECK;

/* TCB statuses (PCS API v4, "tcbStatus"). */
enum dcap_tcb_status {
	DCAP_TCB_UNKNOWN = 0,	/* a string we do not know: always rejected */
	DCAP_TCB_UP_TO_DATE,
	DCAP_TCB_SW_HARDENING_NEEDED,
	DCAP_TCB_CONFIGURATION_NEEDED,
	DCAP_TCB_CONFIGURATION_AND_SW_HARDENING_NEEDED,
	DCAP_TCB_OUT_OF_DATE,
	DCAP_TCB_OUT_OF_DATE_CONFIGURATION_NEEDED,
	DCAP_TCB_REVOKED,
};
/* "UpToDate", ...; the PCS spelling. */
const char	*dcap_tcb_status_name(enum dcap_tcb_status s);
enum dcap_tcb_status dcap_tcb_status_parse(const char *s);

#define DCAP_MAX_ADVISORIES	32
#define DCAP_ADVISORY_MAX	32	/* "INTEL-SA-00615" and room */

struct dcap_advisories {
	char		id[DCAP_MAX_ADVISORIES][DCAP_ADVISORY_MAX];
	size_t		n;
};

#define DCAP_MAX_TCB_LEVELS	64

struct dcap_tcb_level {
	uint8_t		sgx_svn[16];
	uint16_t	pcesvn;
	bool		has_tdx;
	uint8_t		tdx_svn[16];
	int64_t		tcb_date;
	enum dcap_tcb_status	status;
	struct dcap_advisories	adv;
};

/* QE identity and TDX module identity levels are keyed by one isvsvn. */
struct dcap_isv_level {
	uint16_t	isvsvn;
	int64_t		tcb_date;
	enum dcap_tcb_status	status;
	struct dcap_advisories	adv;
};

#define DCAP_MAX_MODULE_IDS	8

struct dcap_tdx_module_identity {
	char		id[16];		/* "TDX_01" */
	uint8_t		mrsigner[48];
	/* The hex-decoded bytes read little-endian: quote byte i is hex
	 * byte i (Intel compares byte arrays). */
	uint64_t	attributes;
	uint64_t	attributes_mask;
	struct dcap_isv_level	levels[DCAP_MAX_TCB_LEVELS];
	size_t		n_levels;
};

struct dcap_tcb_info {
	bool		tdx;		/* id "TDX" (else "SGX") */
	int		version;	/* 2 or 3 (TDX: 3 only) */
	int64_t		issue_date;
	int64_t		next_update;
	uint8_t		fmspc[6];
	uint8_t		pceid[2];
	int		tcb_type;
	int		eval_number;
	bool		has_tdx_module;
	uint8_t		tdx_module_mrsigner[48];
	uint64_t	tdx_module_attributes;
	uint64_t	tdx_module_attributes_mask;
	struct dcap_tdx_module_identity	module_ids[DCAP_MAX_MODULE_IDS];
	size_t		n_module_ids;
	struct dcap_tcb_level	levels[DCAP_MAX_TCB_LEVELS];
	size_t		n_levels;
};

struct dcap_qe_identity {
	bool		td_qe;		/* id "TD_QE" (else "QE") */
	int		version;	/* 2 */
	int64_t		issue_date;
	int64_t		next_update;
	int		eval_number;
	uint32_t	miscselect;
	uint32_t	miscselect_mask;
	uint8_t		attributes[16];
	uint8_t		attributes_mask[16];
	uint8_t		mrsigner[32];
	uint16_t	isvprodid;
	struct dcap_isv_level	levels[DCAP_MAX_TCB_LEVELS];
	size_t		n_levels;
};

/*
 * A signed collateral document: the exact bytes the signature covers
 * (the raw text of the "tcbInfo" / "enclaveIdentity" member, or the
 * dcap-qvl string), and the raw r||s signature.  |signed_p| points into
 * the caller's buffer.
 */
struct dcap_signed_json {
	const uint8_t	*signed_p;
	size_t		 signed_len;
	uint8_t		 sig[DCAP_P256_SIG_LEN];
};

/*
 * dcap_tcb_info_parse parses a PCS TCB Info response body
 * {"tcbInfo": {...}, "signature": "hex"} (|sj| gets the exact signed
 * span), or, when |sj| is NULL, the bare tcbInfo object alone.  Strict:
 * unknown members, missing members, wrong types, bad hex, dates not in
 * RFC 3339, more than DCAP_MAX_* entries, component arrays not of 16,
 * unknown status strings kept as DCAP_TCB_UNKNOWN (rejected at matching
 * time, not at parse time, so the error names the level).  Errors:
 * VOUCH_ERR_BAD_JSON / DUPLICATE_KEY / BAD_FIELD / TOO_LARGE /
 * UNSUPPORTED_VERSION (version not 2 or 3, or TDX with version 2).
 */
enum vouch_err	dcap_tcb_info_parse(struct vouch_ctx *ctx, const uint8_t *buf,
		    size_t len, struct dcap_tcb_info *out,
		    struct dcap_signed_json *sj) VOUCH_MUST_CHECK;
/* The same for {"enclaveIdentity": {...}, "signature": "hex"}. */
enum vouch_err	dcap_qe_identity_parse(struct vouch_ctx *ctx, const uint8_t *buf,
		    size_t len, struct dcap_qe_identity *out,
		    struct dcap_signed_json *sj) VOUCH_MUST_CHECK;

/*
 * The dcap-qvl QuoteCollateralV3 bundle (Phala-Network/dcap-qvl
 * src/quote.rs; tdx/PROVENANCE.md): one JSON object with
 * pck_crl_issuer_chain, root_ca_crl (hex DER), pck_crl (hex DER),
 * tcb_info_issuer_chain, tcb_info (the signed text), tcb_info_signature
 * (hex r||s), qe_identity_issuer_chain, qe_identity, qe_identity_signature.
 * Everything is copied out; free with dcap_bundle_free.
 */
struct dcap_bundle {
	uint8_t		*root_ca_crl;	size_t root_ca_crl_len;
	uint8_t		*pck_crl;	size_t pck_crl_len;
	char		*pck_crl_issuer_chain;		/* PEM */
	char		*tcb_info_issuer_chain;		/* PEM */
	char		*qe_identity_issuer_chain;	/* PEM */
	uint8_t		*tcb_info;	size_t tcb_info_len;
	uint8_t		 tcb_info_sig[DCAP_P256_SIG_LEN];
	uint8_t		*qe_identity;	size_t qe_identity_len;
	uint8_t		 qe_identity_sig[DCAP_P256_SIG_LEN];
};
/* True when |buf| looks like a bundle (a JSON object with "tcb_info"). */
bool		dcap_bundle_probe(const uint8_t *buf, size_t len);
enum vouch_err	dcap_bundle_parse(struct vouch_ctx *ctx, const uint8_t *buf,
		    size_t len, struct dcap_bundle *out) VOUCH_MUST_CHECK;
void		dcap_bundle_free(struct dcap_bundle *b);

/*
 * dcap_match_tcb_level implements Intel's getMatchingTcbLevel over
 * |ti|->levels in document order (they are sorted descending): the
 * first level whose 16 SGX SVNs are each <= |pck|->comp_svn and whose
 * pcesvn <= |pck|->pcesvn and, for TDX (|tee_tcb_svn| non-NULL), whose
 * 16 TDX SVNs are each <= tee_tcb_svn (indices 0 and 1 skipped when
 * tee_tcb_svn[1] > 0: the module identity rule below judges the module).
 * *out_level gets its index.
 * No level: VOUCH_ERR_TCB_NO_MATCH.  A TDX TCB Info level without
 * tdxtcbcomponents while |tee_tcb_svn| is given: VOUCH_ERR_BAD_FIELD.
 */
enum vouch_err	dcap_match_tcb_level(struct vouch_ctx *ctx,
		    const struct dcap_tcb_info *ti, const struct dcap_pck_ext *pck,
		    const uint8_t *tee_tcb_svn, size_t *out_level) VOUCH_MUST_CHECK;

/*
 * dcap_match_module_identity: TDX only, when tee_tcb_svn[1] > 0 (TDX
 * 1.5+ module).  Finds module identity "TDX_%02X" of tee_tcb_svn[1] (no
 * such identity: VOUCH_ERR_TCB_NO_MATCH), checks MRSIGNERSEAM equal to
 * its mrsigner and SEAMATTRIBUTES & mask == attributes
 * (VOUCH_ERR_TCB_MISMATCH), and returns the first of its levels with
 * isvsvn <= tee_tcb_svn[0] (none: VOUCH_ERR_TCB_NO_MATCH) in *out.
 * With tee_tcb_svn[1] == 0 it checks MRSIGNERSEAM / SEAMATTRIBUTES
 * against ti->tdx_module and sets *out to NULL.
 */
enum vouch_err	dcap_match_module_identity(struct vouch_ctx *ctx,
		    const struct dcap_tcb_info *ti, const struct dcap_td_report *td,
		    const struct dcap_isv_level **out) VOUCH_MUST_CHECK;

/*
 * dcap_match_qe_identity checks a QE report against |qi|: MISCSELECT and
 * ATTRIBUTES under their masks, MRSIGNER and ISVPRODID equal
 * (VOUCH_ERR_MEASUREMENT_NOT_TRUSTED naming the field; dcap.c reports it
 * as VOUCH_ERR_QE_IDENTITY_MISMATCH), and returns the
 * first level with isvsvn <= the report's ISVSVN (none:
 * VOUCH_ERR_TCB_NO_MATCH) in *out.
 */
enum vouch_err	dcap_match_qe_identity(struct vouch_ctx *ctx,
		    const struct dcap_qe_identity *qi,
		    const struct dcap_sgx_report *qe,
		    const struct dcap_isv_level **out) VOUCH_MUST_CHECK;

/*
 * dcap_converge_status merges the platform level status with the QE
 * identity status (QuoteVerifier.cpp convergeTcbStatus): an OutOfDate
 * QE makes UpToDate / SWHardeningNeeded -> OutOfDate and the
 * Configuration* ones -> OutOfDateConfigurationNeeded; a Revoked QE ->
 * Revoked; otherwise the platform status.  (dcap.c merges the
 * advisories of the levels it used.)
 */
enum dcap_tcb_status dcap_converge_status(enum dcap_tcb_status platform,
		    enum dcap_tcb_status qe);

/* SHA-256 of the Intel SGX Root CA's SubjectPublicKeyInfo (dcap.c). */
extern const uint8_t dcap_intel_root_pin[32];

struct vouch_verify_config;
struct vouch_result;
/*
 * dcap_verify_pinned verifies a TDX (|tdx|) or SGX quote as the tdx and
 * sgx platforms do, with the root pinned by |pin| (the SHA-256 of its
 * SubjectPublicKeyInfo).  The platforms pass dcap_intel_root_pin; tests
 * pass the root of a synthetic hierarchy to reach what real data cannot.
 */
enum vouch_err	dcap_verify_pinned(struct vouch_ctx *ctx,
		    const struct vouch_verify_config *cfg, const uint8_t *buf,
		    size_t len, struct vouch_result *res, bool tdx,
		    const uint8_t pin[32]) VOUCH_MUST_CHECK;

#endif
