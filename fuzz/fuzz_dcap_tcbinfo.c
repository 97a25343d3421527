/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: Intel TCB Info (dcap_tcb_info_parse), as a PCS
 * response with its signed span and as a bare tcbInfo object, then TCB
 * level and TDX module identity matching on whatever parsed.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "platform/dcap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct dcap_tcb_info ti;	/* about 600 KiB: not on the stack */

static void
match(const uint8_t *data, size_t size)
{
	const struct dcap_isv_level *il = NULL;
	struct dcap_pck_ext pck;
	struct dcap_td_report td;
	size_t lvl = 0, i;

	memset(&pck, 0, sizeof(pck));
	memset(&td, 0, sizeof(td));
	/* Platform values from the input's first bytes, else mid-range. */
	for (i = 0; i < 16; i++) {
		pck.comp_svn[i] = size > i ? data[i] : 0x80;
		td.tee_tcb_svn[i] = size > 16 + i ? data[16 + i] : 0x80;
	}
	pck.pcesvn = size > 32 ? (uint16_t)(data[32] << 8 | data[31]) : 0x80;
	if (dcap_match_tcb_level(NULL, &ti, &pck, ti.tdx ? td.tee_tcb_svn :
	    NULL, &lvl) == VOUCH_OK && lvl >= ti.n_levels) {
		__builtin_trap();
	}
	if (dcap_match_module_identity(NULL, &ti, &td, &il) == VOUCH_OK &&
	    il != NULL && il->status == DCAP_TCB_UNKNOWN) {
		__builtin_trap();
	}
	(void)dcap_converge_status(ti.levels[0].status, ti.levels[0].status);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dcap_signed_json sj;

	if (dcap_tcb_info_parse(NULL, data, size, &ti, &sj) == VOUCH_OK) {
		/* The signed span lies inside the input and is an object. */
		if (sj.signed_p < data || sj.signed_len < 2 ||
		    sj.signed_len > size ||
		    (size_t)(sj.signed_p - data) > size - sj.signed_len ||
		    sj.signed_p[0] != '{' ||
		    sj.signed_p[sj.signed_len - 1] != '}') {
			__builtin_trap();
		}
		/* The span alone is the bare object, and parses the same. */
		if (dcap_tcb_info_parse(NULL, sj.signed_p, sj.signed_len, &ti,
		    NULL) != VOUCH_OK) {
			__builtin_trap();
		}
		match(data, size);
	}
	if (dcap_tcb_info_parse(NULL, data, size, &ti, NULL) == VOUCH_OK) {
		if (ti.n_levels == 0 || ti.n_levels > DCAP_MAX_TCB_LEVELS ||
		    ti.n_module_ids > DCAP_MAX_MODULE_IDS ||
		    (ti.tdx && ti.version != 3)) {
			__builtin_trap();
		}
		match(data, size);
	}
	return 0;
}
