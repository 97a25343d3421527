/* SPDX-License-Identifier: Apache-2.0 */
/* vouch evidence verify | show. */
#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bs/json.h"
#include "cli.h"
#include "crypto/crypto.h"
#include "platform/platform.h"
#include "util/file.h"

static const char verify_usage[] =
    "usage: vouch evidence verify [--platform auto|sim|snp|tdx|sgx|tpm|cca]\n"
    "           [--endorsements PATH]... [--trust-anchor FILE]... [--at RFC3339]\n"
    "           [--report-data HEX] [--json] [--insecure-allow-debug]\n"
    "           [--insecure-skip-revocation] FILE\n"
    "\n"
    "Verify attestation evidence offline and print its claims.\n"
    "\n"
    "  --platform NAME       platform of FILE (default auto: by content)\n"
    "  --endorsements PATH   collateral: a file or a directory of certificates\n"
    "                        (PEM/DER), CRLs and JSON, recognized by content\n"
    "  --trust-anchor FILE   root certificate(s) chains may end in (PEM/DER);\n"
    "                        the sim platform has no built-in root\n"
    "  --at RFC3339          the time every validity check uses (default now)\n"
    "  --report-data HEX     the 64 bytes report_data must equal; without it\n"
    "                        the binding is reported as unchecked\n"
    "  --json                print the result as JSON on standard output\n"
    "  --insecure-allow-debug  accept evidence from a debug-mode TEE\n"
    "  --insecure-skip-revocation  verify without a revocation list (CRL);\n"
    "                        reported as \"revocation\" in the unchecked list\n"
    "\n"
    "Exit status: 0 verified, 1 rejected (the stable error name is printed on\n"
    "standard error and in the JSON), 2 usage error or unreadable input.\n";

static const char show_usage[] =
    "usage: vouch evidence show [--platform NAME] FILE\n"
    "\n"
    "Decode evidence and print its fields as JSON, WITHOUT verifying it\n"
    "(the output says \"verified\": false).\n";

/* Load every regular, non-hidden file of a directory, sorted by name. */
static int
add_endorsement_dir(struct vouch_ctx *ctx, struct vouch_verify_config *cfg,
    const char *dir)
{
	struct dirent **names = NULL;
	char path[4096];
	uint8_t *buf;
	size_t len;
	struct stat st;
	enum vouch_err rv;
	int n, i, rc = CLI_EXIT_OK;

	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0) {
		return cli_read_error(ctx, vouch_fail(ctx, VOUCH_ERR_IO,
		    "%s: cannot read directory", dir));
	}
	for (i = 0; i < n; i++) {
		if (rc != CLI_EXIT_OK || names[i]->d_name[0] == '.' ||
		    !vouch_path_join(path, sizeof(path), dir, names[i]->d_name) ||
		    stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
			free(names[i]);
			continue;
		}
		rv = vouch_file_read(ctx, path, VOUCH_ENDORSEMENT_MAX_BYTES, &buf,
		    &len);
		if (rv != VOUCH_OK) {
			rc = cli_read_error(ctx, rv);
		} else if (vouch_endorsement_kind(buf, len) ==
		    VOUCH_ENDORSEMENT_UNKNOWN) {
			fprintf(stderr, "vouch: note: %s: not a certificate, CRL "
			    "or JSON; skipped\n", path);
		} else {
			rv = vouch_verify_config_add_endorsement(ctx, cfg, buf, len);
			if (rv != VOUCH_OK) {
				rc = cli_read_error(ctx, rv);
			}
		}
		free(buf);
		free(names[i]);
	}
	free(names);
	return rc;
}

static int
add_endorsement(struct vouch_ctx *ctx, struct vouch_verify_config *cfg,
    const char *path)
{
	struct stat st;
	uint8_t *buf = NULL;
	size_t len = 0;
	enum vouch_err rv;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		return add_endorsement_dir(ctx, cfg, path);
	}
	rv = vouch_file_read(ctx, path, VOUCH_ENDORSEMENT_MAX_BYTES, &buf, &len);
	if (rv == VOUCH_OK) {
		rv = vouch_verify_config_add_endorsement(ctx, cfg, buf, len);
	}
	free(buf);
	return rv == VOUCH_OK ? CLI_EXIT_OK : cli_read_error(ctx, rv);
}

static int
add_anchor(struct vouch_ctx *ctx, struct vouch_verify_config *cfg,
    const char *path)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	enum vouch_err rv;

	rv = vouch_file_read(ctx, path, VOUCH_PEM_FILE_MAX_BYTES, &buf, &len);
	if (rv == VOUCH_OK) {
		rv = vouch_verify_config_add_trust_anchor(ctx, cfg, buf, len);
	}
	free(buf);
	return rv == VOUCH_OK ? CLI_EXIT_OK : cli_read_error(ctx, rv);
}

static void
print_rejection_json(enum vouch_err err, const char *detail)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "verdict", "rejected",
	    "error", vouch_errname(err), "message", vouch_strerror(err),
	    "detail", detail);
	char *s = o != NULL ? vouch_json_dump(o) : NULL;

	if (s != NULL) {
		printf("%s\n", s);
	}
	free(s);
	json_decref(o);
}

static void
print_result_text(const struct vouch_result *r)
{
	const struct vouch_claims *c = vouch_result_claims(r);
	char *claims = vouch_claims_to_json(c);
	json_t *j = NULL, *v;
	const char *k;
	char *vs;

	printf("verified: %s evidence\n", vouch_result_platform(r));
	if (vouch_result_report_data_checked(r)) {
		printf("report_data binding: checked\n");
	} else {
		printf("report_data binding: UNCHECKED (no --report-data given)\n");
	}
	printf("claims:\n");
	if (claims != NULL &&
	    vouch_json_load(NULL, (const uint8_t *)claims, strlen(claims), 0,
	    &j) == VOUCH_OK) {
		json_object_foreach(j, k, v) {
			vs = json_dumps(v, JSON_ENCODE_ANY);
			printf("  %-14s %s\n", k, vs != NULL ? vs : "?");
			free(vs);
		}
	}
	json_decref(j);
	free(claims);
}

static int
evidence_verify_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "platform", required_argument, NULL, 'p' },
		{ "endorsements", required_argument, NULL, 'e' },
		{ "trust-anchor", required_argument, NULL, 'a' },
		{ "at", required_argument, NULL, 't' },
		{ "report-data", required_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'j' },
		{ "insecure-allow-debug", no_argument, NULL, 'D' },
		{ "insecure-skip-revocation", no_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct vouch_ctx *ctx = vouch_ctx_new();
	struct vouch_verify_config *cfg = vouch_verify_config_new();
	struct vouch_result *res = NULL;
	uint8_t rd[VOUCH_REPORT_DATA_BYTES], *ev = NULL;
	size_t ev_len = 0, hex_len;
	int64_t at;
	bool json = false;
	enum vouch_err rv;
	char *s;
	int ch, rc = CLI_EXIT_USAGE;

	if (ctx == NULL || cfg == NULL) {
		rc = CLI_EXIT_FAIL;
		goto out;
	}
	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'p':
			rv = vouch_verify_config_set_platform(ctx, cfg, optarg);
			if (rv == VOUCH_ERR_INVALID_ARGUMENT) {
				rc = cli_usage("--platform: one of auto, sim, snp, "
				    "tdx, sgx, tpm, cca");
				goto out;
			}
			if (rv != VOUCH_OK) {
				rc = cli_error(ctx, rv, CLI_EXIT_FAIL);
				goto out;
			}
			break;
		case 'e':
			rc = add_endorsement(ctx, cfg, optarg);
			if (rc != CLI_EXIT_OK) {
				goto out;
			}
			rc = CLI_EXIT_USAGE;
			break;
		case 'a':
			rc = add_anchor(ctx, cfg, optarg);
			if (rc != CLI_EXIT_OK) {
				goto out;
			}
			rc = CLI_EXIT_USAGE;
			break;
		case 't':
			if (!vouch_time_parse_rfc3339(optarg, &at)) {
				rc = cli_usage("--at: expected RFC 3339 time, "
				    "e.g. 2026-01-31T12:00:00Z");
				goto out;
			}
			vouch_ctx_set_time(ctx, at);
			break;
		case 'r':
			hex_len = strlen(optarg);
			if (hex_len != 2 * VOUCH_REPORT_DATA_BYTES ||
			    !cli_parse_hex(optarg, rd, sizeof(rd))) {
				rc = cli_usage("--report-data: expected exactly 64 "
				    "bytes as 128 hex digits, got %zu characters",
				    hex_len);
				goto out;
			}
			rv = vouch_verify_config_set_report_data(ctx, cfg, rd,
			    sizeof(rd));
			if (rv != VOUCH_OK) {
				rc = cli_read_error(ctx, rv);
				goto out;
			}
			break;
		case 'j':
			json = true;
			break;
		case 'D':
			vouch_verify_config_insecure_allow_debug(cfg);
			break;
		case 'R':
			vouch_verify_config_insecure_skip_revocation(cfg);
			break;
		case 'h':
			fputs(verify_usage, stdout);
			rc = CLI_EXIT_OK;
			goto out;
		default:
			fputs(verify_usage, stderr);
			goto out;
		}
	}
	if (optind != argc - 1) {
		fputs(verify_usage, stderr);
		goto out;
	}
	rv = vouch_file_read(ctx, argv[optind], VOUCH_EVIDENCE_MAX_BYTES, &ev,
	    &ev_len);
	if (rv != VOUCH_OK) {
		rc = cli_read_error(ctx, rv);
		goto out;
	}
	rv = vouch_verify_evidence(ctx, cfg, ev, ev_len, &res);
	if (rv != VOUCH_OK) {
		if (json) {
			print_rejection_json(rv, vouch_error(ctx));
		}
		rc = cli_error(ctx, rv, CLI_EXIT_FAIL);
		goto out;
	}
	if (json) {
		s = vouch_result_to_json(res);
		if (s == NULL) {
			rc = CLI_EXIT_FAIL;
			goto out;
		}
		printf("%s\n", s);
		free(s);
	} else {
		print_result_text(res);
	}
	rc = fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAIL;
 out:
	vouch_wipe(rd, sizeof(rd));
	vouch_result_free(res);
	free(ev);
	vouch_verify_config_free(cfg);
	vouch_ctx_free(ctx);
	return rc;
}

static int
evidence_show_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "platform", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct vouch_ctx *ctx = vouch_ctx_new();
	const struct vouch_platform *p = NULL;
	const char *name = "auto";
	uint8_t *ev = NULL;
	size_t ev_len = 0;
	json_t *out = NULL;
	enum vouch_err rv;
	char *s;
	int ch, rc = CLI_EXIT_USAGE;

	if (ctx == NULL) {
		return CLI_EXIT_FAIL;
	}
	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'p':
			name = optarg;
			break;
		case 'h':
			fputs(show_usage, stdout);
			rc = CLI_EXIT_OK;
			goto out;
		default:
			fputs(show_usage, stderr);
			goto out;
		}
	}
	if (optind != argc - 1) {
		fputs(show_usage, stderr);
		goto out;
	}
	if (strcmp(name, "auto") != 0) {
		if (!vouch_platform_name_known(name)) {
			rc = cli_usage("--platform: one of auto, sim, snp, tdx, "
			    "sgx, tpm, cca");
			goto out;
		}
		p = vouch_platform_find(name);
		if (p == NULL) {
			rc = cli_error(ctx, vouch_fail(ctx,
			    VOUCH_ERR_UNSUPPORTED_PLATFORM,
			    "platform %s is not built into this version", name),
			    CLI_EXIT_FAIL);
			goto out;
		}
	}
	rv = vouch_file_read(ctx, argv[optind], VOUCH_EVIDENCE_MAX_BYTES, &ev,
	    &ev_len);
	if (rv != VOUCH_OK) {
		rc = cli_read_error(ctx, rv);
		goto out;
	}
	if (p == NULL) {
		p = vouch_platform_detect(ev, ev_len);
	}
	if (p == NULL) {
		rc = cli_error(ctx, vouch_fail(ctx, VOUCH_ERR_UNKNOWN_FORMAT,
		    "evidence format not recognized"), CLI_EXIT_FAIL);
		goto out;
	}
	rv = p->show(ctx, ev, ev_len, &out);
	if (rv != VOUCH_OK) {
		rc = cli_error(ctx, rv, CLI_EXIT_FAIL);
		goto out;
	}
	s = vouch_json_pretty(out);
	if (s == NULL) {
		rc = CLI_EXIT_FAIL;
		goto out;
	}
	printf("%s\n", s);
	free(s);
	rc = fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAIL;
 out:
	json_decref(out);
	free(ev);
	vouch_ctx_free(ctx);
	return rc;
}

static const struct cli_cmd evidence_cmds[] = {
	{ "verify", evidence_verify_main, "verify evidence and print its claims" },
	{ "show", evidence_show_main, "decode evidence without verifying it" },
};

int
cmd_evidence(int argc, char **argv)
{
	return cli_dispatch("vouch evidence", evidence_cmds,
	    sizeof(evidence_cmds) / sizeof(evidence_cmds[0]), argc, argv);
}
