/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: the TDX CC event log parser and replay (ccel.c). */
#include <stddef.h>
#include <stdint.h>

#include "platform/ccel.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile uint8_t sink;

static int
visit(void *arg, const struct ccel_event *e)
{
	size_t i;

	(void)arg;
	for (i = 0; i < e->data_len; i++) {
		sink ^= e->data[i];
	}
	sink ^= (uint8_t)ccel_event_type_name(e->event_type)[0];
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vouch_ctx *ctx = vouch_ctx_new();
	uint8_t rtmr[4][48];
	size_t n;

	if (ctx == NULL) {
		return 0;
	}
	if (ccel_replay(ctx, data, size, rtmr, &n, visit, NULL) ==
	    VOUCH_OK && n > CCEL_MAX_EVENTS) {
		__builtin_trap();
	}
	vouch_ctx_free(ctx);
	return 0;
}
