/* SPDX-License-Identifier: Apache-2.0 */
/* vouch policy sign | check: the domain owner's signed policy. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "crypto/crypto.h"
#include "policy/jws.h"
#include "policy/policy.h"
#include "util/file.h"

static const char sign_usage[] =
    "usage: vouch policy sign --domain DIR POLICY.json -o SIGNED\n"
    "\n"
    "Validate POLICY.json (docs/policy.md: unknown keys and unknown claims are\n"
    "errors) and sign it with the domain key DIR/domain.key as a JWS (ES384,\n"
    "JSON flattened serialization).\n";

static const char check_usage[] =
    "usage: vouch policy check --domain-cert ROOT [--at RFC3339] SIGNED\n"
    "\n"
    "Check the signature of SIGNED against the domain root certificate,\n"
    "validate the policy and explain it: version, expiry, trusted platforms\n"
    "and settings, releases, admission lifetime.  Exit 0 when valid and\n"
    "current, 1 when invalid or expired, 2 on usage errors.\n";

static int
policy_sign_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "domain", required_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = NULL, *outp = NULL;
	struct vouch_ctx *ctx = NULL;
	char path[4096], *signed_json = NULL;
	uint8_t *buf = NULL;
	size_t len = 0;
	EVP_PKEY *key = NULL;
	enum vouch_err rv;
	int ch, rc = CLI_EXIT_FAIL;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'D':
			dir = optarg;
			break;
		case 'o':
			outp = optarg;
			break;
		case 'h':
			fputs(sign_usage, stdout);
			return CLI_EXIT_OK;
		default:
			fputs(sign_usage, stderr);
			return CLI_EXIT_USAGE;
		}
	}
	if (optind != argc - 1 || dir == NULL || outp == NULL) {
		fputs(sign_usage, stderr);
		return CLI_EXIT_USAGE;
	}
	ctx = vouch_ctx_new();
	if (ctx == NULL) {
		return CLI_EXIT_FAIL;
	}
	rv = vouch_file_read(ctx, argv[optind], VOUCH_POLICY_MAX_BYTES, &buf, &len);
	if (rv != VOUCH_OK) {
		rc = cli_read_error(ctx, rv);
		goto out;
	}
	if (!vouch_path_join(path, sizeof(path), dir, "domain.key")) {
		rc = cli_usage("path too long");
		goto out;
	}
	rv = vouch_key_read_pem(ctx, path, &key);
	if (rv != VOUCH_OK) {
		rc = cli_read_error(ctx, rv);
		goto out;
	}
	rv = vouch_policy_sign(ctx, key, buf, len, &signed_json);
	if (rv != VOUCH_OK) {
		rc = cli_error(ctx, rv, CLI_EXIT_FAIL);
		goto out;
	}
	rv = vouch_file_write(ctx, outp, (const uint8_t *)signed_json,
	    strlen(signed_json), 0644);
	if (rv != VOUCH_OK) {
		rc = cli_error(ctx, rv, CLI_EXIT_FAIL);
		goto out;
	}
	fprintf(stderr, "vouch: policy signed: %s\n", outp);
	rc = CLI_EXIT_OK;
 out:
	free(signed_json);
	EVP_PKEY_free(key);
	free(buf);
	vouch_ctx_free(ctx);
	return rc;
}

static int
policy_check_main(int argc, char **argv)
{
	static const char *const platforms[] = {
		"sim", "snp", "tdx", "sgx", "tpm", "cca",
	};
	static const struct option opts[] = {
		{ "domain-cert", required_argument, NULL, 'r' },
		{ "at", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *root_path = NULL;
	struct vouch_ctx *ctx = vouch_ctx_new();
	struct vouch_policy *pol = NULL;
	uint8_t *buf = NULL, *payload = NULL;
	size_t len = 0, plen = 0, i;
	X509 *root = NULL;
	enum vouch_err rv;
	char when[32];
	int64_t at, min;
	int ch, rc = CLI_EXIT_USAGE;

	if (ctx == NULL) {
		return CLI_EXIT_FAIL;
	}
	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'r':
			root_path = optarg;
			break;
		case 't':
			if (!vouch_time_parse_rfc3339(optarg, &at)) {
				rc = cli_usage("--at: expected RFC 3339 time");
				goto out;
			}
			vouch_ctx_set_time(ctx, at);
			break;
		case 'h':
			fputs(check_usage, stdout);
			rc = CLI_EXIT_OK;
			goto out;
		default:
			fputs(check_usage, stderr);
			goto out;
		}
	}
	if (optind != argc - 1 || root_path == NULL) {
		fputs(check_usage, stderr);
		goto out;
	}
	rv = vouch_cert_read_pem(ctx, root_path, &root);
	if (rv == VOUCH_OK) {
		rv = vouch_file_read(ctx, argv[optind],
		    VOUCH_POLICY_SIGNED_MAX_BYTES, &buf, &len);
	}
	if (rv != VOUCH_OK) {
		rc = cli_read_error(ctx, rv);
		goto out;
	}
	rv = vouch_policy_verify_signed(ctx, X509_get0_pubkey(root), buf, len,
	    &payload, &plen);
	if (rv == VOUCH_OK) {
		rv = vouch_policy_parse(ctx, payload, plen, &pol);
	}
	if (rv != VOUCH_OK) {
		rc = cli_error(ctx, rv, CLI_EXIT_FAIL);
		goto out;
	}
	printf("signature: valid (domain root %s)\n", root_path);
	printf("version: %lld\n", (long long)vouch_policy_version(pol));
	(void)vouch_time_format_rfc3339(vouch_policy_expires(pol), when,
	    sizeof(when));
	printf("expires: %s\n", when);
	printf("admission lifetime: %lld s\n",
	    (long long)vouch_policy_admission_lifetime(pol));
	printf("trusted platforms:");
	for (i = 0; i < sizeof(platforms) / sizeof(platforms[0]); i++) {
		if (!vouch_policy_platform_is_trusted(pol, platforms[i])) {
			continue;
		}
		printf(" %s", platforms[i]);
		if (vouch_policy_platform_min_tcb_svn(pol, platforms[i], &min)) {
			printf(" (min_tcb_svn %lld)", (long long)min);
		}
		if (vouch_policy_platform_allows_debug(pol, platforms[i])) {
			printf(" (INSECURE: debug allowed)");
		}
	}
	printf("\n");
	rv = vouch_policy_check_current(ctx, pol);
	if (rv != VOUCH_OK) {
		rc = cli_error(ctx, rv, CLI_EXIT_FAIL);
		goto out;
	}
	printf("status: valid and current\n");
	rc = CLI_EXIT_OK;
 out:
	vouch_policy_free(pol);
	free(payload);
	free(buf);
	X509_free(root);
	vouch_ctx_free(ctx);
	return rc;
}

static const struct cli_cmd policy_cmds[] = {
	{ "sign", policy_sign_main, "validate and sign a policy with the domain key" },
	{ "check", policy_check_main, "verify a signed policy and explain it" },
};

int
cmd_policy(int argc, char **argv)
{
	return cli_dispatch("vouch policy", policy_cmds,
	    sizeof(policy_cmds) / sizeof(policy_cmds[0]), argc, argv);
}
