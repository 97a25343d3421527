/* SPDX-License-Identifier: Apache-2.0 */
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/param_build.h>

#include "crypto/crypto.h"
#include "crypto/ecverify.h"

struct vouch_ec_verifier {
	EVP_PKEY	*key;
	EVP_PKEY_CTX	*pctx;
	const EVP_MD	*md;
	size_t		 width;		/* bytes of r and of s */
};

enum vouch_err
vouch_ec_pubkey_from_xy(struct vouch_ctx *ctx, const uint8_t *xy, size_t n,
    EVP_PKEY **out)
{
	uint8_t point[1 + 96];
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *pctx = NULL;
	enum vouch_err rv;

	*out = NULL;
	if (n != 64 && n != 96) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_KEY,
		    "EC point of %zu bytes (64: P-256, 96: P-384)", n);
	}
	point[0] = 0x04;
	memcpy(point + 1, xy, n);
	bld = OSSL_PARAM_BLD_new();
	if (bld == NULL ||
	    OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
	    n == 64 ? "prime256v1" : "secp384r1", 0) != 1 ||
	    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
	    point, n + 1) != 1 ||
	    (params = OSSL_PARAM_BLD_to_param(bld)) == NULL ||
	    (pctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(pctx) != 1) {
		rv = vouch_fail(ctx, VOUCH_ERR_CRYPTO, "EC key import setup");
	} else if (EVP_PKEY_fromdata(pctx, out, EVP_PKEY_PUBLIC_KEY,
	    params) != 1) {
		/* Decoding the point checks that it lies on the curve. */
		*out = NULL;
		rv = vouch_fail(ctx, VOUCH_ERR_BAD_KEY,
		    "the public key is not a point on the curve");
	} else {
		rv = VOUCH_OK;
	}
	ERR_clear_error();
	EVP_PKEY_CTX_free(pctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	return rv;
}

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
