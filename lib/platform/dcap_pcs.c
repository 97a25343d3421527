/* SPDX-License-Identifier: Apache-2.0 */
#include <stdlib.h>
#include <string.h>

#include "platform/dcap_pcs.h"

void
dcap_fetched_free(struct dcap_fetched *f)
{
	size_t i;

	for (i = 0; f != NULL && i < f->n; i++) {
		free(f->item[i].p);
	}
	if (f != NULL) {
		memset(f, 0, sizeof(*f));
	}
}

enum vouch_err
dcap_pcs_get(struct vouch_ctx *ctx, const struct vouch_verify_config *cfg,
    bool tdx, const uint8_t fmspc[6], const char *ca, int64_t now,
    struct dcap_fetched *out)
{
	(void)cfg;
	(void)tdx;
	(void)fmspc;
	(void)ca;
	(void)now;
	(void)out;
	return vouch_fail(ctx, VOUCH_ERR_COLLATERAL_MISSING,
	    "dcap: collateral lookup in a cache or at Intel PCS is not "
	    "implemented yet");
}
