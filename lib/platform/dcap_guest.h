/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Intel DCAP evidence collection inside the TEE.
 *
 * TDX: configfs-tsm (tsm.h) with provider "tdx_guest": the 64 bytes of
 * report data go to inblob, the quote comes back in outblob.
 *
 * SGX: Gramine's pseudo-files (Gramine docs, "Attestation and Secret
 * Provisioning", /dev/attestation):
 *   {root}/attestation_type   reads "dcap" under DCAP attestation
 *   {root}/user_report_data   write: the 64 bytes of report data
 *   {root}/quote              read: the quote for them
 *   {root}/keys/_sgx_mrenclave read: the enclave's 16-byte SGX seal key
 *                             (EGETKEY, KEYPOLICY MRENCLAVE)
 * {root} is /dev/attestation, or $VOUCH_SGX_ATTESTATION_ROOT (tests use a
 * tree of plain files made from real samples).
 */
#ifndef VOUCH_DCAP_GUEST_H
#define VOUCH_DCAP_GUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "internal.h"

#define DCAP_SGX_ROOT_DEFAULT	"/dev/attestation"
#define DCAP_SGX_SEAL_KEY_BYTES	16

/* The root in use for |root| (NULL: $VOUCH_SGX_ATTESTATION_ROOT, default). */
const char	*dcap_sgx_root(const char *root);

/*
 * dcap_collect_tdx asks configfs-tsm at |tsm_root| (NULL: tsm.h default)
 * for a TDX quote over |rd|; dcap_collect_sgx asks Gramine at |root|.
 * On VOUCH_OK |*out| is the malloc'd quote (checked to parse as one of the
 * platform's TEE).  Errors: VOUCH_ERR_NOT_FOUND (no interface),
 * VOUCH_ERR_UNSUPPORTED_PLATFORM (another provider / attestation type),
 * VOUCH_ERR_TRUNCATED (empty answer), VOUCH_ERR_TOO_LARGE, VOUCH_ERR_IO,
 * and the quote parser's.
 */
enum vouch_err	dcap_collect_tdx(struct vouch_ctx *ctx, const char *tsm_root,
		    const uint8_t rd[64], uint8_t **out, size_t *out_len)
		    VOUCH_MUST_CHECK;
enum vouch_err	dcap_collect_sgx(struct vouch_ctx *ctx, const char *root,
		    const uint8_t rd[64], uint8_t **out, size_t *out_len)
		    VOUCH_MUST_CHECK;

/* True when Gramine at |root| (NULL: the default) attests with DCAP. */
bool		dcap_sgx_available(const char *root);

/*
 * dcap_sgx_seal_key reads the enclave's MRENCLAVE seal key from Gramine
 * at |root| into |key| (the caller wipes it): exactly 16 bytes, else
 * VOUCH_ERR_BAD_KEY; VOUCH_ERR_NOT_FOUND without the file.
 */
enum vouch_err	dcap_sgx_seal_key(struct vouch_ctx *ctx, const char *root,
		    uint8_t key[DCAP_SGX_SEAL_KEY_BYTES]) VOUCH_MUST_CHECK;

#endif
