/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: the SEV-SNP report parser, the whole snp
 * verification path with no endorsements (it must never succeed), and
 * the sev-guest driver's MSG_REPORT_RSP and MSG_KEY_RSP parsers.
 */
#include <stddef.h>
#include <stdint.h>

#include "platform/platform.h"
#include "platform/snp.h"
#include "platform/snp_guest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vouch_ctx *ctx = vouch_ctx_new();
	struct vouch_verify_config *cfg = vouch_verify_config_new();
	struct vouch_result *res = NULL;
	struct snp_report r;
	const uint8_t *rep;
	uint8_t key[SNP_DERIVED_KEY_BYTES];
	size_t rep_len;
	volatile uint32_t sink;

	if (ctx == NULL || cfg == NULL) {
		goto out;
	}
	if (snp_report_parse(ctx, data, size, &r) == VOUCH_OK) {
		sink = r.version;
		(void)sink;
	}
	if (snp_msg_report_rsp_parse(ctx, data, size, &rep, &rep_len) ==
	    VOUCH_OK && (rep < data || rep + rep_len > data + size)) {
		__builtin_trap();
	}
	if (snp_msg_key_rsp_parse(ctx, data, size, key) == VOUCH_OK) {
		sink = key[0];
		(void)sink;
	}
	vouch_ctx_set_time(ctx, 1790000000);
	if (vouch_verify_config_set_platform(ctx, cfg, "snp") == VOUCH_OK &&
	    vouch_verify_evidence(ctx, cfg, data, size, &res) == VOUCH_OK) {
		__builtin_trap();
	}
 out:
	vouch_result_free(res);
	vouch_verify_config_free(cfg);
	vouch_ctx_free(ctx);
	return 0;
}
