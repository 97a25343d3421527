/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: Intel Enclave (QE / TD_QE) Identity
 * (dcap_qe_identity_parse), as a PCS response and as a bare object, then
 * QE report matching and status convergence on whatever parsed.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "platform/dcap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct dcap_qe_identity qi;

static void
match(const uint8_t *data, size_t size)
{
	const struct dcap_isv_level *il = NULL;
	struct dcap_sgx_report r;

	/* A report that passes the masks, with the input's ISVSVN. */
	memset(&r, 0, sizeof(r));
	r.miscselect = qi.miscselect;
	memcpy(r.attributes, qi.attributes, sizeof(r.attributes));
	memcpy(r.mrsigner, qi.mrsigner, sizeof(r.mrsigner));
	r.isv_prod_id = qi.isvprodid;
	r.isv_svn = size > 1 ? (uint16_t)(data[0] | data[1] << 8) : 0;
	if (dcap_match_qe_identity(NULL, &qi, &r, &il) == VOUCH_OK) {
		if (il == NULL || il->isvsvn > r.isv_svn ||
		    il->status == DCAP_TCB_UNKNOWN) {
			__builtin_trap();
		}
		(void)dcap_converge_status(DCAP_TCB_UP_TO_DATE, il->status);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dcap_signed_json sj;

	if (dcap_qe_identity_parse(NULL, data, size, &qi, &sj) == VOUCH_OK) {
		if (sj.signed_p < data || sj.signed_len < 2 ||
		    sj.signed_len > size ||
		    (size_t)(sj.signed_p - data) > size - sj.signed_len ||
		    sj.signed_p[0] != '{' ||
		    sj.signed_p[sj.signed_len - 1] != '}') {
			__builtin_trap();
		}
		if (dcap_qe_identity_parse(NULL, sj.signed_p, sj.signed_len,
		    &qi, NULL) != VOUCH_OK) {
			__builtin_trap();
		}
		match(data, size);
	}
	if (dcap_qe_identity_parse(NULL, data, size, &qi, NULL) == VOUCH_OK) {
		if (qi.version != 2 || qi.n_levels == 0 ||
		    qi.n_levels > DCAP_MAX_TCB_LEVELS) {
			__builtin_trap();
		}
		match(data, size);
	}
	return 0;
}
