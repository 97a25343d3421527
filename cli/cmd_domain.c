/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vouch domain init, vouch service-cert issue, vouch admin-cert issue:
 * the domain owner's key and the certificates it signs.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "crypto/crypto.h"
#include "util/file.h"

#define DOMAIN_FILE_KEY		"domain.key"
#define DOMAIN_FILE_CERT	"domain.pem"

static const char init_usage[] =
    "usage: vouch domain init [--name NAME] [--days N] DIR\n"
    "\n"
    "Create a security domain in DIR: the policy key (ECDSA P-384,\n"
    "domain.key, mode 0600) and its self-signed root certificate\n"
    "(domain.pem, CA, pathlen 1, default 3650 days).  Build domain.pem into\n"
    "every application of the domain; keep domain.key offline.\n";

static const char service_usage[] =
    "usage: vouch service-cert issue --domain DIR --key-out FILE --cert-out FILE\n"
    "                                [--days N] [--name NAME]\n"
    "\n"
    "Issue the certificate vouchd issues admission certificates with: a new\n"
    "ECDSA P-384 key (written with mode 0600) and a CA certificate signed by\n"
    "the domain key, pathlen 0, valid N days (default 30).\n";

static const char admin_usage[] =
    "usage: vouch admin-cert issue --domain DIR --key-out FILE --cert-out FILE\n"
    "                              [--days N] [--name NAME]\n"
    "\n"
    "Issue a domain administrator certificate: a new ECDSA P-384 key (mode\n"
    "0600) and a client certificate signed directly by the domain key with\n"
    "the vouch admin extended key usage (" VOUCH_OID_EKU_ADMIN ").\n"
    "vouchd accepts admin requests (policy, audit) only over TLS with such a\n"
    "certificate.  Default validity 90 days.\n";

static int
domain_init_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "days", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct vouch_ctx *ctx = NULL;
	struct vouch_cert_spec spec;
	const char *name = "vouch domain", *dir;
	char path[4096], cn[128], uri[VOUCH_DOMAIN_URI_MAX];
	EVP_PKEY *key = NULL;
	X509 *cert = NULL;
	struct stat st;
	enum vouch_err rv = VOUCH_OK;
	uint64_t days = 3650;
	int ch, rc = CLI_EXIT_FAIL;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'n':
			if (strlen(optarg) == 0 || strlen(optarg) > 64) {
				return cli_usage("--name: 1 to 64 characters");
			}
			name = optarg;
			break;
		case 'd':
			if (!cli_parse_u64(optarg, 36500, &days) || days == 0) {
				return cli_usage("--days: expected 1 to 36500");
			}
			break;
		case 'h':
			fputs(init_usage, stdout);
			return CLI_EXIT_OK;
		default:
			fputs(init_usage, stderr);
			return CLI_EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		fputs(init_usage, stderr);
		return CLI_EXIT_USAGE;
	}
	dir = argv[optind];
	ctx = vouch_ctx_new();
	if (ctx == NULL) {
		return CLI_EXIT_FAIL;
	}
	if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
		rc = cli_error(ctx, vouch_fail(ctx, VOUCH_ERR_IO,
		    "%s: cannot create: %s", dir, strerror(errno)), CLI_EXIT_FAIL);
		goto out;
	}
	if (!vouch_path_join(path, sizeof(path), dir, DOMAIN_FILE_KEY)) {
		rc = cli_usage("path too long");
		goto out;
	}
	if (stat(path, &st) == 0) {
		rc = cli_error(ctx, vouch_fail(ctx, VOUCH_ERR_STATE,
		    "%s: already holds a domain key", dir), CLI_EXIT_FAIL);
		goto out;
	}
	(void)snprintf(cn, sizeof(cn), "%s root", name);
	memset(&spec, 0, sizeof(spec));
	spec.common_name = cn;
	spec.organization = "vouch security domain";
	spec.not_before = vouch_ctx_now(ctx) - 60;
	spec.not_after = vouch_ctx_now(ctx) + (int64_t)days * 86400;
	spec.is_ca = true;
	spec.path_len = 1;
	if ((rv = vouch_key_gen_p384(ctx, &key)) != VOUCH_OK ||
	    (rv = vouch_cert_build(ctx, &spec, key, NULL, key, &cert)) != VOUCH_OK ||
	    (rv = vouch_key_write_pem(ctx, path, key)) != VOUCH_OK) {
		rc = cli_error(ctx, rv, CLI_EXIT_FAIL);
		goto out;
	}
	if (!vouch_path_join(path, sizeof(path), dir, DOMAIN_FILE_CERT) ||
	    (rv = vouch_cert_write_pem(ctx, path, cert)) != VOUCH_OK ||
	    (rv = vouch_domain_uri(ctx, cert, uri, sizeof(uri))) != VOUCH_OK) {
		rc = cli_error(ctx, rv, CLI_EXIT_FAIL);
		goto out;
	}
	printf("%s\n", uri);
	fprintf(stderr, "vouch: domain created in %s (root certificate %s)\n",
	    dir, path);
	rc = CLI_EXIT_OK;
 out:
	X509_free(cert);
	EVP_PKEY_free(key);
	vouch_ctx_free(ctx);
	return rc;
}

/* Issue a certificate under the domain key: service CA or admin client. */
static int
issue_main(int argc, char **argv, bool admin)
{
	static const struct option opts[] = {
		{ "domain", required_argument, NULL, 'D' },
		{ "key-out", required_argument, NULL, 'k' },
		{ "cert-out", required_argument, NULL, 'c' },
		{ "days", required_argument, NULL, 'd' },
		{ "name", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *usage = admin ? admin_usage : service_usage;
	const char *dir = NULL, *key_out = NULL, *cert_out = NULL;
	const char *name = admin ? "vouch domain admin" : "vouchd issuing CA";
	struct vouch_ctx *ctx = NULL;
	struct vouch_cert_spec spec;
	EVP_PKEY *dkey = NULL, *key = NULL;
	X509 *droot = NULL, *cert = NULL;
	char path[4096];
	enum vouch_err rv;
	uint64_t days = admin ? 90 : 30;
	int ch, rc = CLI_EXIT_FAIL;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'D':
			dir = optarg;
			break;
		case 'k':
			key_out = optarg;
			break;
		case 'c':
			cert_out = optarg;
			break;
		case 'n':
			if (strlen(optarg) == 0 || strlen(optarg) > 64) {
				return cli_usage("--name: 1 to 64 characters");
			}
			name = optarg;
			break;
		case 'd':
			if (!cli_parse_u64(optarg, 3650, &days) || days == 0) {
				return cli_usage("--days: expected 1 to 3650");
			}
			break;
		case 'h':
			fputs(usage, stdout);
			return CLI_EXIT_OK;
		default:
			fputs(usage, stderr);
			return CLI_EXIT_USAGE;
		}
	}
	if (optind != argc || dir == NULL || key_out == NULL || cert_out == NULL) {
		fputs(usage, stderr);
		return CLI_EXIT_USAGE;
	}
	ctx = vouch_ctx_new();
	if (ctx == NULL) {
		return CLI_EXIT_FAIL;
	}
	if (!vouch_path_join(path, sizeof(path), dir, DOMAIN_FILE_KEY) ||
	    (rv = vouch_key_read_pem(ctx, path, &dkey)) != VOUCH_OK) {
		rc = cli_read_error(ctx, vouch_error_code(ctx));
		goto out;
	}
	if (!vouch_path_join(path, sizeof(path), dir, DOMAIN_FILE_CERT) ||
	    (rv = vouch_cert_read_pem(ctx, path, &droot)) != VOUCH_OK) {
		rc = cli_read_error(ctx, vouch_error_code(ctx));
		goto out;
	}
	if (X509_check_private_key(droot, dkey) != 1) {
		rc = cli_error(ctx, vouch_fail(ctx, VOUCH_ERR_BAD_KEY,
		    "%s: domain.key does not match domain.pem", dir),
		    CLI_EXIT_FAIL);
		goto out;
	}
	memset(&spec, 0, sizeof(spec));
	spec.common_name = name;
	spec.organization = "vouch security domain";
	spec.not_before = vouch_ctx_now(ctx) - 60;
	spec.not_after = vouch_ctx_now(ctx) + (int64_t)days * 86400;
	if (admin) {
		spec.path_len = -1;
		spec.eku_client = true;
		spec.extra_eku = VOUCH_OID_EKU_ADMIN;
	} else {
		spec.is_ca = true;
		spec.path_len = 0;
	}
	if ((rv = vouch_key_gen_p384(ctx, &key)) != VOUCH_OK ||
	    (rv = vouch_cert_build(ctx, &spec, key, droot, dkey, &cert)) != VOUCH_OK ||
	    (rv = vouch_key_write_pem(ctx, key_out, key)) != VOUCH_OK ||
	    (rv = vouch_cert_write_pem(ctx, cert_out, cert)) != VOUCH_OK) {
		rc = cli_error(ctx, rv, CLI_EXIT_FAIL);
		goto out;
	}
	fprintf(stderr, "vouch: %s certificate valid %llu days: %s\n",
	    admin ? "admin" : "service", (unsigned long long)days, cert_out);
	rc = CLI_EXIT_OK;
 out:
	X509_free(cert);
	X509_free(droot);
	EVP_PKEY_free(key);
	EVP_PKEY_free(dkey);
	vouch_ctx_free(ctx);
	return rc;
}

static int
service_issue_main(int argc, char **argv)
{
	return issue_main(argc, argv, false);
}

static int
admin_issue_main(int argc, char **argv)
{
	return issue_main(argc, argv, true);
}

static const struct cli_cmd domain_cmds[] = {
	{ "init", domain_init_main, "create a domain: policy key and root certificate" },
};

static const struct cli_cmd service_cmds[] = {
	{ "issue", service_issue_main, "issue vouchd's issuing CA certificate" },
};

static const struct cli_cmd admin_cmds[] = {
	{ "issue", admin_issue_main, "issue a domain administrator certificate" },
};

int
cmd_domain(int argc, char **argv)
{
	return cli_dispatch("vouch domain", domain_cmds,
	    sizeof(domain_cmds) / sizeof(domain_cmds[0]), argc, argv);
}

int
cmd_service_cert(int argc, char **argv)
{
	return cli_dispatch("vouch service-cert", service_cmds,
	    sizeof(service_cmds) / sizeof(service_cmds[0]), argc, argv);
}

int
cmd_admin_cert(int argc, char **argv)
{
	return cli_dispatch("vouch admin-cert", admin_cmds,
	    sizeof(admin_cmds) / sizeof(admin_cmds[0]), argc, argv);
}
