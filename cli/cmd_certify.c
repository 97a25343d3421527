/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vouch certify: attest on the sim platform or in a SEV-SNP guest, TDX
 * guest or Gramine SGX enclave, and get an admission certificate from
 * vouchd (challenge, fresh key, bound evidence, certify).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "crypto/crypto.h"
#include "platform/dcap_guest.h"
#include "platform/sim.h"
#include "platform/snp_guest.h"
#include "util/file.h"
#include "vouch_internal.h"

static const char usage[] =
    "usage: vouch certify --service URL --domain-cert ROOT\n"
    "                     [--platform sim] --platform-dir DIR [--exe PATH]\n"
    "                     --key-out KEY --cert-out CHAIN [--ear-out FILE]\n"
    "       vouch certify --service URL --domain-cert ROOT --platform snp|tdx|sgx\n"
    "                     --key-out KEY --cert-out CHAIN [--ear-out FILE]\n"
    "\n"
    "Get an admission certificate from vouchd for a program on the sim\n"
    "platform, or for this SEV-SNP guest, TDX guest or Gramine enclave\n"
    "(evidence collected as by 'vouch evidence collect'; docs/snp.md §5,\n"
    "docs/tdx.md §5): ask for a challenge, make a fresh ECDSA P-384 key, make\n"
    "evidence whose report_data binds the nonce and the public key\n"
    "(docs/vouchd.md), and certify.  The returned chain must be for the\n"
    "new key and verify to the domain root.  Writes the key (mode 0600),\n"
    "the certificate chain (PEM, leaf first) and optionally the EAR token.\n"
    "\n"
    "  --service URL       vouchd, e.g. https://127.0.0.1:8443\n"
    "  --domain-cert ROOT  the domain root: vouchd's TLS certificate must chain to it\n"
    "  --platform NAME     sim (the default), snp, tdx or sgx\n"
    "  --platform-dir DIR  the sim platform ('vouch sim init')\n"
    "  --exe PATH          sim: program to measure (default: this vouch binary)\n"
    "\n"
    "Prints the certificate serial.  Exit status: 0 certified, 1 refused\n"
    "(VOUCH_ERR_POLICY_DENIED with vouchd's problem code) or failed,\n"
    "2 usage error or unreadable input.\n";

static enum vouch_err
cli_snp_attest(struct vouch_ctx *ctx, void *arg, const uint8_t rd[64],
    uint8_t **out, size_t *out_len)
{
	struct snp_collect_opts co;
	const char *source;

	(void)arg;
	memset(&co, 0, sizeof(co));
	co.vmpl = -1;
	return snp_collect(ctx, &co, rd, out, out_len, &source);
}

static enum vouch_err
cli_tdx_attest(struct vouch_ctx *ctx, void *arg, const uint8_t rd[64],
    uint8_t **out, size_t *out_len)
{
	(void)arg;
	return dcap_collect_tdx(ctx, NULL, rd, out, out_len);
}

static enum vouch_err
cli_sgx_attest(struct vouch_ctx *ctx, void *arg, const uint8_t rd[64],
    uint8_t **out, size_t *out_len)
{
	(void)arg;
	return dcap_collect_sgx(ctx, NULL, rd, out, out_len);
}

/* The hardware platforms: the name and where their evidence comes from. */
static const struct {
	const char	*name;
	enum vouch_err	(*attest)(struct vouch_ctx *, void *, const uint8_t[64],
			    uint8_t **, size_t *);
} hw_platforms[] = {
	{ "snp", cli_snp_attest },
	{ "tdx", cli_tdx_attest },
	{ "sgx", cli_sgx_attest },
};

int
cmd_certify(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "service", required_argument, NULL, 's' },
		{ "domain-cert", required_argument, NULL, 'r' },
		{ "platform", required_argument, NULL, 'P' },
		{ "platform-dir", required_argument, NULL, 'p' },
		{ "key-out", required_argument, NULL, 'k' },
		{ "cert-out", required_argument, NULL, 'c' },
		{ "ear-out", required_argument, NULL, 'e' },
		{ "exe", required_argument, NULL, 'x' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *service = NULL, *root_path = NULL, *key_out = NULL;
	const char *cert_out = NULL, *ear_out = NULL, *exe = NULL;
	const char *platform = "sim";
	struct vouch_ctx *ctx = NULL;
	struct cli_sim_attester sa;
	struct vouch_attester att;
	struct vouch_admission_info info;
	EVP_PKEY *key = NULL;
	X509 *root = NULL;
	char *chain = NULL, *ear = NULL, serial[CA_SERIAL_HEX_LEN + 1];
	enum vouch_err rv;
	int ch, rc = CLI_EXIT_FAIL;
	bool hw = false;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	memset(&info, 0, sizeof(info));
	optind = 1;
	for (;;) {
		ch = getopt_long(argc, argv, "h", opts, NULL);
		if (ch == -1) {
			break;
		}
		switch (ch) {
		case 's': service = optarg; break;
		case 'r': root_path = optarg; break;
		case 'P': platform = optarg; break;
		case 'p': sa.dir = optarg; break;
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
	att.attest = cli_sim_attest;
	att.arg = &sa;
	for (i = 0; i < sizeof(hw_platforms) / sizeof(hw_platforms[0]); i++) {
		if (strcmp(platform, hw_platforms[i].name) == 0) {
			att.attest = hw_platforms[i].attest;
			hw = true;
		}
	}
	if (optind != argc || service == NULL || root_path == NULL ||
	    key_out == NULL || cert_out == NULL ||
	    (!hw && strcmp(platform, "sim") != 0) ||
	    (hw && (sa.dir != NULL || exe != NULL)) ||
	    (!hw && sa.dir == NULL)) {
		fputs(usage, stderr);
		return CLI_EXIT_USAGE;
	}
	ctx = vouch_ctx_new();
	if (ctx == NULL) {
		return CLI_EXIT_FAIL;
	}
	rv = hw ? VOUCH_OK : vouch_sha384_file(ctx,
	    exe != NULL ? exe : "/proc/self/exe", sa.measurement);
	if (rv == VOUCH_OK) {
		rv = vouch_cert_read_pem(ctx, root_path, &root);
	}
	if (rv != VOUCH_OK) {
		rc = cli_read_error(ctx, rv);
		goto out;
	}
	/* The same exchange and checks as vouch_certify (lib/vouch.c). */
	rv = vouch_certify_exchange(ctx, service, root_path, &att, &key, &chain,
	    &ear, serial);
	if (rv == VOUCH_OK) {
		rv = vouch_admission_check(ctx, root, key, chain, strlen(chain),
		    true, vouch_ctx_now(ctx), &info);
	}
	if (rv == VOUCH_OK) {
		rv = vouch_key_write_pem(ctx, key_out, key);
	}
	if (rv == VOUCH_OK) {
		rv = vouch_file_write(ctx, cert_out, (const uint8_t *)chain,
		    strlen(chain), 0644);
	}
	if (rv == VOUCH_OK && ear_out != NULL) {
		rv = vouch_file_write(ctx, ear_out, (const uint8_t *)ear,
		    strlen(ear), 0644);
	}
	if (rv != VOUCH_OK) {
		rc = cli_error(ctx, rv, CLI_EXIT_FAIL);
		goto out;
	}
	printf("%s\n", serial);
	rc = CLI_EXIT_OK;
 out:
	vouch_admission_info_clear(&info);
	free(chain);
	free(ear);
	X509_free(root);
	EVP_PKEY_free(key);
	vouch_ctx_free(ctx);
	return rc;
}
