/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hpke_tool: a test-only driver for lib/crypto/hpke.c, so that an
 * independent implementation (npm @hpke/core, tests/interop/
 * hpke_interop.mjs) can open what vouch seals and the other way round
 * (tests/integration/hpke_interop.sh).  Not installed.
 *
 *   hpke_tool keygen PRIV_PEM PUB_PEM
 *   hpke_tool derive IKM_FILE PRIV_PEM PUB_PEM      DeriveKeyPair (§7.1.3)
 *   hpke_tool pub PUB_PEM                           prints the key in hex
 *   hpke_tool seal AEAD PUB_PEM INFO AAD EXPCTX IN OUT
 *   hpke_tool open AEAD PRIV_PEM INFO AAD EXPCTX IN OUT
 *
 * AEAD is aes128gcm, aes256gcm, chacha20poly1305 or export-only.  INFO,
 * AAD and EXPCTX are hex (possibly empty); keys and messages are files,
 * never argv.  seal writes enc || ciphertext to OUT (enc alone for
 * export-only), open reads the same and writes the plaintext (nothing
 * for export-only); both print Export(EXPCTX, 32) in hex on stdout.
 * Exit 0 on success, 1 on failure (the error on stderr), 2 on usage.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bs/bs.h"
#include "crypto/hpke.h"
#include "util/file.h"
#include "vouch/verify.h"

#define TOOL_MSG_MAX		(1u << 20)
#define TOOL_HEX_MAX		4096
#define TOOL_EXPORT_BYTES	32

static int
usage(void)
{
	fputs("usage: hpke_tool keygen PRIV_PEM PUB_PEM\n"
	    "       hpke_tool derive IKM_FILE PRIV_PEM PUB_PEM\n"
	    "       hpke_tool pub PUB_PEM\n"
	    "       hpke_tool seal AEAD PUB_PEM INFO AAD EXPCTX IN OUT\n"
	    "       hpke_tool open AEAD PRIV_PEM INFO AAD EXPCTX IN OUT\n",
	    stderr);
	return 2;
}

static int
fail(struct vouch_ctx *ctx, enum vouch_err rv)
{
	fprintf(stderr, "hpke_tool: %s: %s\n", vouch_errname(rv),
	    vouch_error(ctx));
	return 1;
}

static bool
parse_aead(const char *s, enum vouch_hpke_aead *out)
{
	if (strcmp(s, "aes128gcm") == 0) {
		*out = VOUCH_HPKE_AES_128_GCM;
	} else if (strcmp(s, "aes256gcm") == 0) {
		*out = VOUCH_HPKE_AES_256_GCM;
	} else if (strcmp(s, "chacha20poly1305") == 0) {
		*out = VOUCH_HPKE_CHACHA20_POLY1305;
	} else if (strcmp(s, "export-only") == 0) {
		*out = VOUCH_HPKE_EXPORT_ONLY;
	} else {
		return false;
	}
	return true;
}

static bool
parse_hex(const char *s, uint8_t *out, size_t *out_len)
{
	size_t n = strlen(s);

	if (n > 2 * TOOL_HEX_MAX || n % 2 != 0) {
		return false;
	}
	return vouch_hex_decode(s, n, out, TOOL_HEX_MAX, out_len);
}

static void
print_hex(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		printf("%02x", p[i]);
	}
	printf("\n");
}

static int
cmd_keys(struct vouch_ctx *ctx, int argc, char **argv, bool derive)
{
	enum vouch_err rv;
	uint8_t priv[VOUCH_X25519_BYTES], pub[VOUCH_X25519_BYTES];
	uint8_t *ikm = NULL;
	size_t ikm_len = 0;
	int a = derive ? 1 : 0;

	if (argc != 3 + a) {
		return usage();
	}
	if (derive) {
		rv = vouch_file_read(ctx, argv[1], 4096, &ikm, &ikm_len);
		if (rv == VOUCH_OK) {
			rv = vouch_hpke_derive_keypair(ctx, ikm, ikm_len, priv,
			    pub);
		}
		vouch_freezero(ikm, ikm_len + 1);
	} else {
		rv = vouch_x25519_keygen(ctx, priv, pub);
	}
	if (rv == VOUCH_OK) {
		rv = vouch_x25519_write_priv_pem(ctx, argv[1 + a], priv);
	}
	if (rv == VOUCH_OK) {
		rv = vouch_x25519_write_pub_pem(ctx, argv[2 + a], pub);
	}
	vouch_wipe(priv, sizeof(priv));
	if (rv != VOUCH_OK) {
		return fail(ctx, rv);
	}
	return 0;
}

static int
cmd_pub(struct vouch_ctx *ctx, int argc, char **argv)
{
	enum vouch_err rv;
	uint8_t pub[VOUCH_X25519_BYTES];

	if (argc != 2) {
		return usage();
	}
	rv = vouch_x25519_read_pub_pem(ctx, argv[1], pub);
	if (rv != VOUCH_OK) {
		return fail(ctx, rv);
	}
	print_hex(pub, sizeof(pub));
	return 0;
}

static int
cmd_crypt(struct vouch_ctx *ctx, int argc, char **argv, bool seal)
{
	static uint8_t info[TOOL_HEX_MAX], aad[TOOL_HEX_MAX];
	static uint8_t expctx[TOOL_HEX_MAX];
	enum vouch_err rv;
	enum vouch_hpke_aead aead;
	struct vouch_hpke *h = NULL;
	uint8_t key[VOUCH_X25519_BYTES], exp[TOOL_EXPORT_BYTES];
	uint8_t *in = NULL, *out = NULL;
	size_t info_len, aad_len, expctx_len, in_len = 0, out_len = 0;
	bool export_only;

	if (argc != 8 || !parse_aead(argv[1], &aead) ||
	    !parse_hex(argv[3], info, &info_len) ||
	    !parse_hex(argv[4], aad, &aad_len) ||
	    !parse_hex(argv[5], expctx, &expctx_len)) {
		return usage();
	}
	export_only = aead == VOUCH_HPKE_EXPORT_ONLY;
	rv = seal ? vouch_x25519_read_pub_pem(ctx, argv[2], key) :
	    vouch_x25519_read_priv_pem(ctx, argv[2], key);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = vouch_file_read(ctx, argv[6], TOOL_MSG_MAX, &in, &in_len);
	if (rv != VOUCH_OK) {
		goto out;
	}
	if (seal) {
		out_len = VOUCH_HPKE_ENC_BYTES +
		    (export_only ? 0 : in_len + VOUCH_HPKE_TAG_BYTES);
		out = malloc(out_len);
		if (out == NULL) {
			rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "output");
			goto out;
		}
		rv = vouch_hpke_setup_sender(ctx, aead, key, info, info_len,
		    NULL, 0, out, &h);
		if (rv == VOUCH_OK && !export_only) {
			rv = vouch_hpke_seal(ctx, h, aad, aad_len, in, in_len,
			    out + VOUCH_HPKE_ENC_BYTES);
		}
	} else {
		if (in_len < VOUCH_HPKE_ENC_BYTES ||
		    (!export_only && in_len < VOUCH_HPKE_ENC_BYTES +
		    VOUCH_HPKE_TAG_BYTES) ||
		    (export_only && in_len != VOUCH_HPKE_ENC_BYTES)) {
			rv = vouch_fail(ctx, VOUCH_ERR_TRUNCATED,
			    "%s: wrong length", argv[6]);
			goto out;
		}
		out_len = export_only ? 0 : in_len - VOUCH_HPKE_ENC_BYTES -
		    VOUCH_HPKE_TAG_BYTES;
		out = malloc(out_len > 0 ? out_len : 1);
		if (out == NULL) {
			rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "output");
			goto out;
		}
		rv = vouch_hpke_setup_recipient(ctx, aead, in, key, info,
		    info_len, &h);
		if (rv == VOUCH_OK && !export_only) {
			rv = vouch_hpke_open(ctx, h, aad, aad_len,
			    in + VOUCH_HPKE_ENC_BYTES,
			    in_len - VOUCH_HPKE_ENC_BYTES, out);
		}
	}
	if (rv == VOUCH_OK) {
		rv = vouch_hpke_export(ctx, h, expctx, expctx_len, exp,
		    sizeof(exp));
	}
	if (rv == VOUCH_OK) {
		rv = vouch_file_write(ctx, argv[7], out, out_len, 0600);
	}
	if (rv == VOUCH_OK) {
		print_hex(exp, sizeof(exp));
	}
 out:
	vouch_hpke_free(h);
	vouch_wipe(key, sizeof(key));
	vouch_freezero(in, in_len + 1);
	vouch_freezero(out, out_len > 0 ? out_len : 1);
	if (rv != VOUCH_OK) {
		return fail(ctx, rv);
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct vouch_ctx *ctx;
	int rc;

	if (argc < 2) {
		return usage();
	}
	ctx = vouch_ctx_new();
	if (ctx == NULL) {
		fputs("hpke_tool: out of memory\n", stderr);
		return 1;
	}
	if (strcmp(argv[1], "keygen") == 0) {
		rc = cmd_keys(ctx, argc - 1, argv + 1, false);
	} else if (strcmp(argv[1], "derive") == 0) {
		rc = cmd_keys(ctx, argc - 1, argv + 1, true);
	} else if (strcmp(argv[1], "pub") == 0) {
		rc = cmd_pub(ctx, argc - 1, argv + 1);
	} else if (strcmp(argv[1], "seal") == 0) {
		rc = cmd_crypt(ctx, argc - 1, argv + 1, true);
	} else if (strcmp(argv[1], "open") == 0) {
		rc = cmd_crypt(ctx, argc - 1, argv + 1, false);
	} else {
		rc = usage();
	}
	vouch_ctx_free(ctx);
	return rc;
}
