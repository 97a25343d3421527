/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: the dcap-qvl collateral bundle (dcap_bundle_probe,
 * dcap_bundle_parse) and the two signed documents it carries, parsed as
 * bare objects.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "platform/dcap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct dcap_tcb_info ti;
static struct dcap_qe_identity qi;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dcap_bundle b;
	bool probe;

	memset(&b, 0, sizeof(b));
	probe = dcap_bundle_probe(data, size);
	if (dcap_bundle_parse(NULL, data, size, &b) != VOUCH_OK) {
		/* A failed parse leaves nothing behind. */
		if (b.tcb_info != NULL || b.pck_crl != NULL ||
		    b.qe_identity_issuer_chain != NULL) {
			__builtin_trap();
		}
		return 0;
	}
	if (!probe || b.root_ca_crl == NULL || b.pck_crl == NULL ||
	    b.tcb_info == NULL || b.qe_identity == NULL ||
	    strlen(b.pck_crl_issuer_chain) == 0 ||
	    strlen((const char *)b.tcb_info) != b.tcb_info_len) {
		__builtin_trap();
	}
	/* The strings are bare objects: as such they parse, or fail cleanly. */
	if (dcap_tcb_info_parse(NULL, b.tcb_info, b.tcb_info_len, &ti, NULL) ==
	    VOUCH_OK && ti.n_levels == 0) {
		__builtin_trap();
	}
	if (dcap_qe_identity_parse(NULL, b.qe_identity, b.qe_identity_len, &qi,
	    NULL) == VOUCH_OK && qi.n_levels == 0) {
		__builtin_trap();
	}
	dcap_bundle_free(&b);
	return 0;
}
