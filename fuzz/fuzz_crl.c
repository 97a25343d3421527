/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: CRL intake (platform.c: recognition by content,
 * vouch_crl_parse, vouch_check_revocation against an issuer made at
 * start), as both vendors' revocation checks use it.
 */
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "crypto/crypto.h"
#include "platform/platform.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static X509 *issuer;

static void
init(void)
{
	struct vouch_cert_spec spec = { 0 };
	EVP_PKEY *k = EVP_EC_gen("P-256");

	spec.common_name = "Intel SGX PCK Platform CA";
	spec.not_before = 0;
	spec.not_after = 4102444800;
	spec.is_ca = true;
	spec.path_len = 0;
	if (k == NULL || vouch_cert_build(NULL, &spec, k, NULL, k, &issuer) !=
	    VOUCH_OK) {
		__builtin_trap();
	}
	EVP_PKEY_free(k);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vouch_ctx *ctx = vouch_ctx_new();
	struct vouch_crl_ref ref = { data, size };
	X509 *certs[1];
	int64_t nb = INT64_MIN, na = INT64_MAX;

	if (issuer == NULL) {
		init();
	}
	if (ctx == NULL) {
		return 0;
	}
	(void)vouch_endorsement_kind(data, size);
	X509_CRL_free(vouch_crl_parse(data, size));
	certs[0] = issuer;
	if (vouch_check_revocation(ctx, &ref, 1, issuer, certs, 1, 1790000000,
	    "fuzz", &nb, &na) == VOUCH_OK && nb > na) {
		__builtin_trap();
	}
	vouch_ctx_free(ctx);
	return 0;
}
