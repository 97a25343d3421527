/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Collecting SEV-SNP evidence inside a guest: configfs-tsm (tsm.h,
 * provider "sev_guest") where the kernel has it, else the sev-guest
 * driver's ioctls (<linux/sev-guest.h>: SNP_GET_REPORT and, for the
 * certificate table, SNP_GET_EXT_REPORT).  The evidence is the report,
 * followed by the certificate table when the host supplies one, the form
 * snp_evidence_parse reads.
 */
#ifndef VOUCH_SNP_GUEST_H
#define VOUCH_SNP_GUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "internal.h"

#define SNP_GUEST_DEV_DEFAULT	"/dev/sev-guest"

struct snp_collect_opts {
	const char	*tsm_root;	/* NULL: $VOUCH_TSM_ROOT, default */
	const char	*tsm_entry;	/* NULL: $VOUCH_TSM_ENTRY, fresh one */
	const char	*dev;		/* NULL: $VOUCH_SEV_GUEST_DEV, default */
	int		 vmpl;		/* -1: the interface's default */
	bool		 no_certs;	/* leave the certificate table out */
};

/* The device in use for |dev| (NULL: $VOUCH_SEV_GUEST_DEV, the default). */
const char	*snp_guest_dev(const char *dev);
/* True when configfs-tsm with the sev_guest provider, or the sev-guest
 * device, is there. */
bool		snp_guest_available(const struct snp_collect_opts *o);

/*
 * snp_collect asks the platform for a report binding the 64 bytes |rd|
 * and returns the evidence (malloc'd, |*out_len| bytes) and, in
 * |*out_source|, the interface used ("configfs-tsm", "sev-guest").  The
 * answer is checked before it is returned: it parses as evidence, its
 * REPORT_DATA is |rd| (VOUCH_ERR_REPORT_DATA_MISMATCH otherwise: a stale
 * or foreign report) and its VMPL is the one asked for
 * (VOUCH_ERR_BAD_FIELD).  VOUCH_ERR_NOT_FOUND when neither interface
 * exists.
 */
enum vouch_err	snp_collect(struct vouch_ctx *ctx,
		    const struct snp_collect_opts *o, const uint8_t rd[64],
		    uint8_t **out, size_t *out_len, const char **out_source)
		    VOUCH_MUST_CHECK;

/*
 * snp_guest_ioctl_report issues SNP_GET_REPORT (or SNP_GET_EXT_REPORT
 * with |ext|, sizing the certificate buffer as the driver asks) on |dev|.
 * |*report| is the 1184-byte report (malloc'd); |*certs| the table or
 * NULL.  Exposed for tests (which can only reach its error paths).
 */
enum vouch_err	snp_guest_ioctl_report(struct vouch_ctx *ctx, const char *dev,
		    const uint8_t rd[64], int vmpl, bool ext, uint8_t **report,
		    size_t *report_len, uint8_t **certs, size_t *certs_len)
		    VOUCH_MUST_CHECK;

/*
 * snp_msg_report_rsp_parse reads MSG_REPORT_RSP (SEV-SNP ABI 56860,
 * Table 25: STATUS, REPORT_SIZE, 24 reserved bytes, REPORT) from the
 * |len| bytes the driver returned; |*report| points into |buf|.
 */
enum vouch_err	snp_msg_report_rsp_parse(struct vouch_ctx *ctx,
		    const uint8_t *buf, size_t len, const uint8_t **report,
		    size_t *report_len) VOUCH_MUST_CHECK;

/*
 * SNP_GET_DERIVED_KEY (MSG_KEY_REQ, SEV-SNP ABI 56860 §7.2 "Key Derivation",
 * Table 19): a key the firmware derives from a root key (VCEK, chip-unique,
 * or VMRK) and the guest fields selected by GUEST_FIELD_SELECT.
 */
#define SNP_KEY_ROOT_VCEK		0u
#define SNP_KEY_FIELD_POLICY		(1u << 0)
#define SNP_KEY_FIELD_IMAGE_ID		(1u << 1)
#define SNP_KEY_FIELD_FAMILY_ID		(1u << 2)
#define SNP_KEY_FIELD_MEASUREMENT	(1u << 3)
#define SNP_KEY_FIELD_GUEST_SVN		(1u << 4)
#define SNP_KEY_FIELD_TCB_VERSION	(1u << 5)
#define SNP_DERIVED_KEY_BYTES		32

struct snp_key_request {
	uint32_t	root_key_select;
	uint64_t	guest_field_select;
	uint32_t	vmpl;		/* at least the caller's VMPL */
	uint32_t	guest_svn;	/* mixed in only when selected */
	uint64_t	tcb_version;	/* mixed in only when selected */
};

/*
 * snp_guest_derived_key issues SNP_GET_DERIVED_KEY on |dev| (NULL:
 * $VOUCH_SEV_GUEST_DEV, the default) and returns the 32-byte key in |key|
 * (the caller wipes it).  configfs-tsm has no key interface: this needs
 * the sev-guest device (VOUCH_ERR_NOT_FOUND naming it when absent).
 */
enum vouch_err	snp_guest_derived_key(struct vouch_ctx *ctx, const char *dev,
		    const struct snp_key_request *kr,
		    uint8_t key[SNP_DERIVED_KEY_BYTES]) VOUCH_MUST_CHECK;

/*
 * snp_msg_key_rsp_parse reads MSG_KEY_RSP (ABI 56860 Table 20: STATUS,
 * 28 reserved bytes, DERIVED_KEY) from the |len| bytes the driver
 * returned into |key|.  Exposed for tests.
 */
enum vouch_err	snp_msg_key_rsp_parse(struct vouch_ctx *ctx,
		    const uint8_t *buf, size_t len,
		    uint8_t key[SNP_DERIVED_KEY_BYTES]) VOUCH_MUST_CHECK;

#endif
