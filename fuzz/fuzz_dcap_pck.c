/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: the PCK certificate SGX extension reader
 * (lib/platform/dcap_pck.c), on the raw extension value and on a whole
 * DER certificate.
 */
#include <stddef.h>
#include <stdint.h>

#include <openssl/x509.h>

#include "platform/dcap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vouch_ctx *ctx = vouch_ctx_new();
	struct dcap_pck_ext e;
	const uint8_t *p = data;
	X509 *x;

	if (ctx == NULL) {
		return 0;
	}
	if (dcap_pck_ext_parse(ctx, data, size, &e) == VOUCH_OK &&
	    e.sgx_type > 2) {
		__builtin_trap();
	}
	if (size < (1u << 20)) {
		x = d2i_X509(NULL, &p, (long)size);
		if (x != NULL) {
			if (dcap_pck_ext_from_cert(ctx, x, &e) == VOUCH_OK &&
			    e.sgx_type > 2) {
				__builtin_trap();
			}
			X509_free(x);
		}
	}
	vouch_ctx_free(ctx);
	return 0;
}
