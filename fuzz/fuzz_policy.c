/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: the policy parser and the signed-policy envelope. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "crypto/crypto.h"
#include "policy/jws.h"
#include "policy/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static EVP_PKEY *key;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vouch_policy *pol = NULL;
	uint8_t *payload = NULL;
	size_t plen = 0;
	volatile int64_t sink;

	if (key == NULL && vouch_key_gen_p384(NULL, &key) != VOUCH_OK) {
		abort();
	}
	if (vouch_policy_parse(NULL, data, size, &pol) == VOUCH_OK) {
		sink = vouch_policy_version(pol) + vouch_policy_admission_lifetime(pol);
		(void)sink;
	}
	vouch_policy_free(pol);
	/* Random bytes never carry a valid signature by a fresh key. */
	if (vouch_policy_verify_signed(NULL, key, data, size, &payload, &plen) ==
	    VOUCH_OK) {
		__builtin_trap();
	}
	free(payload);
	return 0;
}
