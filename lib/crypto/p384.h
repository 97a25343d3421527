/* SPDX-License-Identifier: Apache-2.0 */
/*
 * P-384 ECDSA verification on nettle (hogweed) for the hot path: SEV-SNP
 * report signatures.  nettle's ecdsa_verify is about 1.9 times faster
 * than OpenSSL 3.0's on this machine (../shared/DEPENDENCIES.md); OpenSSL
 * stays for X.509, RSA-PSS and everything else.  A key is converted once
 * (vouch_p384_key_from_pkey) and kept with the verified chain, so a warm
 * verification costs one SHA-384 and one nettle verify.  The Wycheproof
 * P-384 vectors run through vouch_p384_verify (tests/unit/test_wycheproof.c).
 */
#ifndef VOUCH_P384_H
#define VOUCH_P384_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "internal.h"

struct vouch_p384_key;

/*
 * A nettle copy of the P-384 public key |pkey| (which must be P-384:
 * otherwise VOUCH_ERR_BAD_KEY); free with vouch_p384_key_free.
 */
enum vouch_err	vouch_p384_key_from_pkey(struct vouch_ctx *ctx, EVP_PKEY *pkey,
		    struct vouch_p384_key **out) VOUCH_MUST_CHECK;
/* The same from the raw affine point x || y (48 + 48 bytes, big-endian). */
enum vouch_err	vouch_p384_key_from_xy(struct vouch_ctx *ctx,
		    const uint8_t xy[96], struct vouch_p384_key **out)
		    VOUCH_MUST_CHECK;
void		vouch_p384_key_free(struct vouch_p384_key *k);

/*
 * vouch_p384_verify checks the ECDSA P-384 signature r || s (48 + 48
 * bytes, big-endian, as IEEE P1363) over SHA-384(|msg|).  r and s must be
 * in [1, n-1].  A signature nettle refuses is checked again with OpenSSL
 * (nettle 3.8 refuses valid signatures whose check doubles a point).
 */
bool		vouch_p384_verify(const struct vouch_p384_key *k,
		    const uint8_t *msg, size_t n, const uint8_t sig[96]);

#endif
