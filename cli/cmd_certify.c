/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vouch certify: attest on the sim platform and get an admission
 * certificate from vouchd (challenge, fresh key, bound evidence, certify).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/pem.h>

#include "bs/bs.h"
#include "cli.h"
#include "client/client.h"
#include "crypto/crypto.h"
#include "platform/sim.h"
#include "util/file.h"

static const char usage[] =
    "usage: vouch certify --service URL --domain-cert ROOT --platform-dir DIR\n"
    "                     --key-out KEY --cert-out CHAIN [--ear-out FILE] [--exe PATH]\n"
    "\n"
    "Get an admission certificate from vouchd for a program on the sim\n"
    "platform: ask for a challenge, make a fresh ECDSA P-384 key, make\n"
    "evidence whose report_data binds the nonce and the public key\n"
    "(docs/vouchd.md), and certify.  Writes the key (mode 0600), the\n"
    "certificate chain (PEM, leaf first) and optionally the EAR token.\n"
    "\n"
    "  --service URL       vouchd, e.g. https://127.0.0.1:8443\n"
    "  --domain-cert ROOT  the domain root: vouchd's TLS certificate must chain to it\n"
    "  --platform-dir DIR  the sim platform ('vouch sim init')\n"
    "  --exe PATH          program to measure (default: this vouch binary)\n"
    "\n"
    "Exit status: 0 certified, 1 refused or failed (the problem code is\n"
    "printed), 2 usage error.\n";

static char *
pubkey_pem(EVP_PKEY *key)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *data = NULL, *out = NULL;
	long len;

	if (bio != NULL && PEM_write_bio_PUBKEY(bio, key) == 1) {
		len = BIO_get_mem_data(bio, &data);
		if (len > 0) {
			out = strndup(data, (size_t)len);
		}
	}
	BIO_free(bio);
	return out;
}

int
cmd_certify(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "service", required_argument, NULL, 's' },
		{ "domain-cert", required_argument, NULL, 'r' },
		{ "platform-dir", required_argument, NULL, 'p' },
		{ "key-out", required_argument, NULL, 'k' },
		{ "cert-out", required_argument, NULL, 'c' },
		{ "ear-out", required_argument, NULL, 'e' },
		{ "exe", required_argument, NULL, 'x' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *service = NULL, *root = NULL, *plat = NULL, *key_out = NULL;
	const char *cert_out = NULL, *ear_out = NULL, *exe = "/proc/self/exe";
	struct vouch_ctx *ctx = NULL;
	struct vouch_client *cl = NULL;
	struct sim_attest_opts ao;
	EVP_PKEY *key = NULL;
	uint8_t nonce[32], *ev = NULL;
	size_t ev_len = 0, b64_len;
	char nonce_hex[65], *b64 = NULL, *pub = NULL;
	json_t *req = NULL, *resp = NULL;
	const char *chain, *ear, *code;
	long status = 0;
	enum vouch_err rv;
	int ch, rc = CLI_EXIT_FAIL;

	memset(&ao, 0, sizeof(ao));
	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 's': service = optarg; break;
		case 'r': root = optarg; break;
		case 'p': plat = optarg; break;
		case 'k': key_out = optarg; break;
		case 'c': cert_out = optarg; break;
		case 'e': ear_out = optarg; break;
		case 'x': exe = optarg; break;
		case 'h':
			fputs(usage, stdout);
			return CLI_EXIT_OK;
		default:
			fputs(usage, stderr);
			return CLI_EXIT_USAGE;
		}
	}
	if (optind != argc || service == NULL || root == NULL || plat == NULL ||
	    key_out == NULL || cert_out == NULL) {
		fputs(usage, stderr);
		return CLI_EXIT_USAGE;
	}
	ctx = vouch_ctx_new();
	if (ctx == NULL) {
		return CLI_EXIT_FAIL;
	}
	if ((rv = vouch_sha384_file(ctx, exe, ao.measurement)) != VOUCH_OK) {
		rc = cli_read_error(ctx, rv);
		goto out;
	}
	if ((rv = vouch_client_new(ctx, service, root, NULL, NULL, &cl)) != VOUCH_OK ||
	    (rv = vouch_client_challenge(ctx, cl, nonce)) != VOUCH_OK ||
	    (rv = vouch_key_gen_p384(ctx, &key)) != VOUCH_OK ||
	    (rv = vouch_bind_certify(ctx, nonce, sizeof(nonce), key,
	    ao.report_data)) != VOUCH_OK ||
	    (rv = sim_attest(ctx, plat, &ao, &ev, &ev_len)) != VOUCH_OK) {
		rc = cli_error(ctx, rv, CLI_EXIT_FAIL);
		goto out;
	}
	b64_len = vouch_b64_encoded_len(ev_len, false) + 1;
	b64 = malloc(b64_len);
	pub = pubkey_pem(key);
	if (b64 == NULL || pub == NULL ||
	    !vouch_b64_encode(ev, ev_len, false, b64, b64_len) ||
	    !vouch_hex_encode(nonce, sizeof(nonce), nonce_hex, sizeof(nonce_hex))) {
		rc = cli_error(ctx, vouch_fail(ctx, VOUCH_ERR_NO_MEMORY,
		    "out of memory"), CLI_EXIT_FAIL);
		goto out;
	}
	req = json_pack("{s:s, s:s, s:s}", "nonce", nonce_hex, "evidence", b64,
	    "public_key", pub);
	rv = req != NULL ? vouch_client_call(ctx, cl, "POST", "/v1/certify", req,
	    &status, &resp) : VOUCH_ERR_NO_MEMORY;
	if (rv != VOUCH_OK) {
		rc = cli_error(ctx, rv, CLI_EXIT_FAIL);
		goto out;
	}
	chain = json_string_value(json_object_get(resp, "certificate_chain"));
	ear = json_string_value(json_object_get(resp, "ear"));
	if (status != 200 || chain == NULL || ear == NULL) {
		code = json_string_value(json_object_get(resp, "code"));
		fprintf(stderr, "vouch: certify refused: HTTP %ld %s\n", status,
		    code != NULL ? code : "(no problem code)");
		goto out;
	}
	if ((rv = vouch_key_write_pem(ctx, key_out, key)) != VOUCH_OK ||
	    (rv = vouch_file_write(ctx, cert_out, (const uint8_t *)chain,
	    strlen(chain), 0644)) != VOUCH_OK ||
	    (ear_out != NULL && (rv = vouch_file_write(ctx, ear_out,
	    (const uint8_t *)ear, strlen(ear), 0644)) != VOUCH_OK)) {
		rc = cli_error(ctx, rv, CLI_EXIT_FAIL);
		goto out;
	}
	printf("%s\n", json_string_value(json_object_get(resp, "serial")));
	rc = CLI_EXIT_OK;
 out:
	json_decref(req);
	json_decref(resp);
	free(pub);
	free(b64);
	free(ev);
	EVP_PKEY_free(key);
	vouch_client_free(cl);
	vouch_ctx_free(ctx);
	return rc;
}
