/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: RFC 9180 HPKE base-mode open (lib/crypto/hpke.c)
 * with a fixed recipient key over arbitrary input.
 *
 * The first byte picks the AEAD (mod 4: AES-128-GCM, AES-256-GCM,
 * ChaCha20-Poly1305, export-only); the rest is enc || ciphertext for
 * vouch_hpke_open_base, or for export-only enc || exporter_context for a
 * recipient context and one export.  scripts/gen-corpus.sh seals seeds to
 * the same key (DeriveKeyPair of FUZZ_HPKE_IKM), info and aad.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "crypto/hpke.h"

#define FUZZ_HPKE_IKM	"vouch fuzz_hpke_open recipient key, not a secret"
#define FUZZ_HPKE_INFO	"vouch fuzz info"
#define FUZZ_HPKE_AAD	"vouch fuzz aad"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const enum vouch_hpke_aead fuzz_aeads[4] = {
	VOUCH_HPKE_AES_128_GCM, VOUCH_HPKE_AES_256_GCM,
	VOUCH_HPKE_CHACHA20_POLY1305, VOUCH_HPKE_EXPORT_ONLY,
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t sk[VOUCH_X25519_BYTES], pk[VOUCH_X25519_BYTES];
	static int have_key;
	enum vouch_hpke_aead aead;
	struct vouch_hpke *h = NULL;
	uint8_t *out = NULL;
	uint8_t exp[32];
	size_t out_len = 0;
	volatile uint8_t sink;

	if (!have_key) {
		if (vouch_hpke_derive_keypair(NULL,
		    (const uint8_t *)FUZZ_HPKE_IKM, sizeof(FUZZ_HPKE_IKM) - 1,
		    sk, pk) != VOUCH_OK) {
			abort();
		}
		have_key = 1;
	}
	if (size < 1) {
		return 0;
	}
	aead = fuzz_aeads[data[0] & 3];
	data++;
	size--;
	if (aead != VOUCH_HPKE_EXPORT_ONLY) {
		if (vouch_hpke_open_base(NULL, aead, sk,
		    (const uint8_t *)FUZZ_HPKE_INFO, sizeof(FUZZ_HPKE_INFO) - 1,
		    (const uint8_t *)FUZZ_HPKE_AAD, sizeof(FUZZ_HPKE_AAD) - 1,
		    data, size, &out, &out_len) == VOUCH_OK) {
			/* Keep the result live so the open is not optimized away. */
			sink = out_len > 0 ? out[0] : 0;
			(void)sink;
			vouch_freezero(out, out_len);
		} else if (out != NULL) {
			abort();	/* outputs are NULL on failure */
		}
		return 0;
	}
	if (size < VOUCH_HPKE_ENC_BYTES) {
		return 0;
	}
	if (vouch_hpke_setup_recipient(NULL, aead, data, sk,
	    (const uint8_t *)FUZZ_HPKE_INFO, sizeof(FUZZ_HPKE_INFO) - 1,
	    &h) == VOUCH_OK) {
		if (vouch_hpke_export(NULL, h, data + VOUCH_HPKE_ENC_BYTES,
		    size - VOUCH_HPKE_ENC_BYTES, exp, sizeof(exp)) == VOUCH_OK) {
			sink = exp[0];
			(void)sink;
		}
		/* Export-only contexts never open. */
		if (vouch_hpke_open(NULL, h, NULL, 0, data, size, exp) !=
		    VOUCH_ERR_STATE) {
			abort();
		}
	}
	vouch_hpke_free(h);
	return 0;
}
