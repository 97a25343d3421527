/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: the admission-certificate extension decoder. */
#include <stddef.h>
#include <stdint.h>

#include "ca.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ca_admission adm;
	volatile size_t sink;

	if (ca_admission_ext_decode(NULL, data, size, &adm) == VOUCH_OK) {
		sink = adm.measurement_len + (size_t)adm.policy_version;
		(void)sink;
	}
	return 0;
}
