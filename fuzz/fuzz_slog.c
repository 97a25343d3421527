/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: the sealed log verifier over arbitrary bytes, with a
 * fixed tenant key, DeriveKeyPair(FUZZ_TENANT) (RFC 9180 §7.1.3), so
 * seeds written to it (scripts/gen-corpus.sh: slog_write --derive-key)
 * get past the header into the records.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "crypto/hpke.h"
#include "log/slog.h"

#define FUZZ_TENANT	"vouch fuzz_slog tenant key, not a secret"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t sk[VOUCH_X25519_BYTES], pk[VOUCH_X25519_BYTES];
	static int have_key;
	struct slog_report *r = NULL;
	volatile size_t sink;

	if (!have_key) {
		if (vouch_hpke_derive_keypair(NULL, (const uint8_t *)FUZZ_TENANT,
		    strlen(FUZZ_TENANT), sk, pk) != VOUCH_OK) {
			return 0;
		}
		have_key = 1;
	}
	if (slog_verify(NULL, sk, data, size, &r) == VOUCH_OK) {
		/* Keep the result live so the work is not optimized away. */
		sink = r->nentries + r->nfindings + r->damage;
		(void)sink;
	}
	slog_report_free(r);
	return 0;
}
