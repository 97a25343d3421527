/* SPDX-License-Identifier: Apache-2.0 */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>

#include "crypto/crypto.h"
#include "crypto/ecverify.h"

struct vouch_ec_verifier {
	EVP_PKEY	*key;
	EVP_PKEY_CTX	*pctx;
	const EVP_MD	*md;
	size_t		 width;		/* bytes of r and of s */
};

enum vouch_err
vouch_ec_verifier_new(struct vouch_ctx *ctx, EVP_PKEY *key,
    struct vouch_ec_verifier **out)
{
	struct vouch_ec_verifier *v;
	int bits;

	*out = NULL;
	if (key == NULL || EVP_PKEY_get_base_id(key) != EVP_PKEY_EC) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_KEY, "not an EC key");
	}
	bits = EVP_PKEY_get_bits(key);
	if (bits != 256 && bits != 384) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_KEY,
		    "verification key is not P-256 or P-384");
	}
	v = calloc(1, sizeof(*v));
	if (v == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
	}
	v->width = bits == 256 ? 32 : 48;
	v->md = bits == 256 ? EVP_sha256() : EVP_sha384();
	v->pctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
	if (v->pctx == NULL || EVP_PKEY_verify_init(v->pctx) != 1 ||
	    EVP_PKEY_up_ref(key) != 1) {
		EVP_PKEY_CTX_free(v->pctx);
		free(v);
		ERR_clear_error();
		return vouch_fail(ctx, VOUCH_ERR_CRYPTO, "verify context");
	}
	v->key = key;
	*out = v;
	return VOUCH_OK;
}

void
vouch_ec_verifier_free(struct vouch_ec_verifier *v)
{
	if (v != NULL) {
		EVP_PKEY_CTX_free(v->pctx);
		EVP_PKEY_free(v->key);
		free(v);
	}
}

EVP_PKEY *
vouch_ec_verifier_key(const struct vouch_ec_verifier *v)
{
	return v->key;
}

/* One DER INTEGER of the unsigned big-endian |p|, |n| bytes. */
static size_t
der_int(uint8_t *out, const uint8_t *p, size_t n)
{
	size_t lead = 0, len;

	while (lead < n - 1 && p[lead] == 0) {
		lead++;
	}
	len = n - lead + ((p[lead] & 0x80) != 0);
	out[0] = 0x02;
	out[1] = (uint8_t)len;
	if ((p[lead] & 0x80) != 0) {
		out[2] = 0;
		memcpy(out + 3, p + lead, n - lead);
	} else {
		memcpy(out + 2, p + lead, n - lead);
	}
	return 2 + len;
}

bool
vouch_ec_verifier_verify(struct vouch_ec_verifier *v, const uint8_t *msg,
    size_t n, const uint8_t *sig, size_t sig_len)
{
	uint8_t dgst[EVP_MAX_MD_SIZE], ints[2 * (3 + 48)], der[3 + sizeof(ints)];
	unsigned int dn = 0;
	size_t il, dl;
	bool ok;

	if (v == NULL || sig_len != 2 * v->width ||
	    EVP_Digest(msg, n, dgst, &dn, v->md, NULL) != 1) {
		return false;
	}
	/* SEQUENCE { INTEGER r, INTEGER s } (RFC 5480 2.2.3). */
	il = der_int(ints, sig, v->width);
	il += der_int(ints + il, sig + v->width, v->width);
	if (il > sizeof(ints)) {
		return false;
	}
	der[0] = 0x30;
	if (il < 0x80) {
		der[1] = (uint8_t)il;
		dl = 2;
	} else {
		der[1] = 0x81;
		der[2] = (uint8_t)il;
		dl = 3;
	}
	memcpy(der + dl, ints, il);
	ok = EVP_PKEY_verify(v->pctx, der, dl + il, dgst, dn) == 1;
	ERR_clear_error();
	return ok;
}
