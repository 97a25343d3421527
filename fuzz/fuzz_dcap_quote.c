/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: the DCAP quote parser (lib/platform/dcap_quote.c,
 * header, bodies, signature data, certification data) and the whole tdx
 * and sgx verification paths with no collateral, which must never
 * succeed.
 */
#include <stddef.h>
#include <stdint.h>

#include "platform/dcap.h"
#include "platform/platform.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "tdx", "sgx" };
	struct vouch_ctx *ctx = vouch_ctx_new();
	struct vouch_result *res = NULL;
	struct vouch_verify_config *cfg;
	struct dcap_quote q;
	volatile uint8_t sink = 0;
	size_t i;

	if (ctx == NULL) {
		return 0;
	}
	if (dcap_quote_parse(ctx, data, size, &q) == VOUCH_OK) {
		/* Every view must lie inside the input. */
		for (i = 0; i < q.qe_auth_len; i++) {
			sink ^= q.qe_auth[i];
		}
		for (i = 0; i < q.pck_chain_len; i++) {
			sink ^= q.pck_chain[i];
		}
		sink ^= q.qe_report_p[383] ^ q.signed_p[q.signed_len - 1];
		(void)sink;
	}
	vouch_ctx_set_time(ctx, 1790000000);
	for (i = 0; i < 2; i++) {
		cfg = vouch_verify_config_new();
		if (cfg != NULL &&
		    vouch_verify_config_set_platform(ctx, cfg, names[i]) ==
		    VOUCH_OK &&
		    vouch_verify_evidence(ctx, cfg, data, size, &res) ==
		    VOUCH_OK) {
			__builtin_trap();
		}
		vouch_result_free(res);
		res = NULL;
		vouch_verify_config_free(cfg);
	}
	vouch_ctx_free(ctx);
	return 0;
}
