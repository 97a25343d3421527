/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: the sim evidence container and the whole verification
 * path behind it (certificate parsing, signature, chain with no anchor).
 */
#include <stddef.h>
#include <stdint.h>

#include "platform/platform.h"
#include "platform/sim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vouch_ctx *ctx = vouch_ctx_new();
	struct vouch_verify_config *cfg = vouch_verify_config_new();
	struct vouch_result *res = NULL;
	struct sim_evidence ev;
	volatile size_t sink;

	if (ctx == NULL || cfg == NULL) {
		goto out;
	}
	if (sim_container_parse(ctx, data, size, &ev) == VOUCH_OK) {
		sink = ev.report_len + ev.n_certs;
		(void)sink;
	}
	vouch_ctx_set_time(ctx, 1790000000);
	if (vouch_verify_evidence(ctx, cfg, data, size, &res) == VOUCH_OK) {
		/* No anchor is configured: success would be a bug. */
		__builtin_trap();
	}
 out:
	vouch_result_free(res);
	vouch_verify_config_free(cfg);
	vouch_ctx_free(ctx);
	return 0;
}
