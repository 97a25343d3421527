/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: the SEV-SNP extended request's certificate table
 * (lib/platform/snp_certs.c), alone and behind a synthetic report through
 * the whole snp verification path, which must never succeed.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "platform/platform.h"
#include "platform/snp.h"
#include "platform/snp_certs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vouch_ctx *ctx = vouch_ctx_new();
	struct vouch_verify_config *cfg = vouch_verify_config_new();
	struct vouch_result *res = NULL;
	struct snp_cert_table t;
	volatile uint8_t sink = 0;
	uint8_t *ev = NULL;
	size_t i, j;

	if (ctx == NULL || cfg == NULL) {
		goto out;
	}
	if (snp_cert_table_parse(ctx, data, size, &t) == VOUCH_OK) {
		/* Every view must lie inside the input. */
		for (i = 0; i < t.n; i++) {
			for (j = 0; j < t.e[i].len; j++) {
				sink ^= t.e[i].data[j];
			}
		}
		(void)sink;
	}
	if (size > SNP_CERT_TABLE_MAX_BYTES + 64) {
		goto out;
	}
	/* A report layout (version 2, policy bit 17, ECDSA) then the input. */
	ev = calloc(1, SNP_REPORT_LEN + size);
	if (ev == NULL) {
		goto out;
	}
	ev[0x00] = 2;
	ev[0x0a] = 0x03;
	ev[0x34] = 1;
	memcpy(ev + SNP_REPORT_LEN, data, size);
	vouch_ctx_set_time(ctx, 1790000000);
	if (vouch_verify_config_set_platform(ctx, cfg, "snp") == VOUCH_OK &&
	    vouch_verify_evidence(ctx, cfg, ev, SNP_REPORT_LEN + size, &res) ==
	    VOUCH_OK) {
		__builtin_trap();
	}
 out:
	free(ev);
	vouch_result_free(res);
	vouch_verify_config_free(cfg);
	vouch_ctx_free(ctx);
	return 0;
}
