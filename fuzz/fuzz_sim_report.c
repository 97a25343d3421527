/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: the sim report parser. */
#include <stddef.h>
#include <stdint.h>

#include "platform/sim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sim_report r;
	volatile uint32_t sink;

	if (sim_report_parse(NULL, data, size, &r) == VOUCH_OK) {
		/* Keep the result live so the parse is not optimized away. */
		sink = r.version ^ r.flags ^ r.tcb_svn;
		(void)sink;
	}
	return 0;
}
