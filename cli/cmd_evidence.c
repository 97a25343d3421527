/* SPDX-License-Identifier: Apache-2.0 */
/* vouch evidence verify | show | collect. */
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
#include "platform/dcap_guest.h"
#include "platform/snp_guest.h"
#include "platform/tsm.h"
#include "policy/jws.h"
#include "policy/policy.h"
#include "util/file.h"

static const char verify_usage[] =
    "usage: vouch evidence verify [--platform auto|sim|snp|tdx|sgx|tpm|cca]\n"
    "           [--endorsements PATH]... [--trust-anchor FILE]... [--at RFC3339]\n"
    "           [--report-data HEX] [--policy FILE [--domain-cert FILE]]\n"
    "           [--cache-dir DIR] [--kds-url URL] [--pcs-url URL] [--offline]\n"
    "           [--event-log FILE] [--json]\n"
    "           [--insecure-allow-debug] [--insecure-skip-revocation]\n"
    "           [--insecure-allow-provisional-firmware] FILE\n"
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
    "  --policy FILE         also evaluate a domain policy (docs/policy.md)\n"
    "                        against the verified claims, as vouchd does at\n"
    "                        admission; a plain policy JSON, or a signed one\n"
    "                        (JWS) with --domain-cert.  The policy only adds\n"
    "                        requirements (its insecure_allow_debug does not\n"
    "                        replace --insecure-allow-debug), except the TCB\n"
    "                        statuses its tdx/sgx accept_tcb_status names\n"
    "  --domain-cert FILE    the domain root certificate (PEM) that signed\n"
    "                        the --policy envelope\n"
    "  --cache-dir DIR       collateral cache: looked up when the endorsements\n"
    "                        and the evidence lack a VCEK, chain or CRL, and\n"
    "                        where downloads are kept (layout: docs/snp.md)\n"
    "  --kds-url URL         where to download SEV-SNP collateral from\n"
    "                        (default https://kdsintf.amd.com, AMD KDS)\n"
    "  --pcs-url URL         where to download Intel TDX/SGX collateral from:\n"
    "                        Intel PCS or a PCCS (default\n"
    "                        https://api.trustedservices.intel.com)\n"
    "  --event-log FILE      TDX: the CC event log (CCEL) to replay against\n"
    "                        RTMR0-3; a mismatch rejects the evidence\n"
    "  --offline             never download anything\n"
    "  --json                print the result as JSON on standard output\n"
    "  --insecure-allow-debug  accept evidence from a debug-mode TEE\n"
    "  --insecure-skip-revocation  verify without a revocation list (CRL);\n"
    "                        reported as \"revocation\" in the unchecked list\n"
    "  --insecure-allow-provisional-firmware  accept a committed TCB below\n"
    "                        the current one (SEV-SNP; listed as relaxed)\n"
    "\n"
    "Exit status: 0 verified (and admitted by --policy), 1 rejected, denied\n"
    "by the policy or the policy is invalid (the stable error name is printed\n"
    "on standard error and in the JSON), 2 usage error or unreadable input.\n";

static const char collect_usage[] =
    "usage: vouch evidence collect --platform snp|tdx|sgx --report-data HEX\n"
    "           [--vmpl N] [--no-certs] -o FILE\n"
    "\n"
    "Ask this machine's TEE for evidence binding the 64 bytes of report data\n"
    "and write it to FILE.  SEV-SNP: through configfs-tsm (the root is\n"
    "$VOUCH_TSM_ROOT, default /sys/kernel/config/tsm; $VOUCH_TSM_ENTRY names\n"
    "an entry to reuse), else /dev/sev-guest ($VOUCH_SEV_GUEST_DEV).  The\n"
    "evidence is the report, followed by the host's certificate table\n"
    "(VCEK, ASK, ARK) when it supplies one.  TDX: a quote through\n"
    "configfs-tsm (provider tdx_guest).  SGX: a quote through Gramine's\n"
    "/dev/attestation ($VOUCH_SGX_ATTESTATION_ROOT) in an enclave built for\n"
    "DCAP attestation.\n"
    "\n"
    "  --report-data HEX     exactly 64 bytes as 128 hex digits\n"
    "  --vmpl N              snp: the VMPL to report at (0-3; default: the\n"
    "                        interface's)\n"
    "  --no-certs            snp: leave the host's certificate table out\n"
    "  -o FILE               where to write the evidence\n"
    "\n"
    "Exit status: 0 written, 1 the TEE failed or answered wrongly, 2 usage.\n";

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

/*
 * The policy in |path|: a plain policy document, or a signed envelope
 * (an object with "payload") checked against the domain root in
 * |cert_path|.  Either way it is parsed strictly (unknown keys are
 * errors).  Returns a CLI exit code.
 */
static int
load_policy(struct vouch_ctx *ctx, const char *path, const char *cert_path,
    struct vouch_policy **out)
{
	uint8_t *buf = NULL, *payload = NULL;
	size_t len = 0, plen = 0;
	json_t *doc = NULL;
	X509 *root = NULL;
	enum vouch_err rv;
	bool is_signed;
	int rc = CLI_EXIT_USAGE;

	*out = NULL;
	rv = vouch_file_read(ctx, path, VOUCH_POLICY_SIGNED_MAX_BYTES, &buf,
	    &len);
	if (rv != VOUCH_OK) {
		rc = cli_read_error(ctx, rv);
		goto out;
	}
	/* As `vouch policy check`: a policy that is not valid is a 1. */
	rv = vouch_json_load(ctx, buf, len, VOUCH_POLICY_SIGNED_MAX_BYTES, &doc);
	if (rv != VOUCH_OK) {
		rc = cli_error(ctx, rv, CLI_EXIT_FAIL);
		goto out;
	}
	is_signed = json_is_object(doc) &&
	    json_object_get(doc, "payload") != NULL;
	if (is_signed && cert_path == NULL) {
		rc = cli_usage("--policy: %s is a signed policy: give the "
		    "domain root with --domain-cert", path);
		goto out;
	}
	if (!is_signed && cert_path != NULL) {
		rc = cli_usage("--domain-cert: %s is not a signed policy", path);
		goto out;
	}
	if (is_signed) {
		rv = vouch_cert_read_pem(ctx, cert_path, &root);
		if (rv != VOUCH_OK) {
			rc = cli_read_error(ctx, rv);
			goto out;
		}
		rv = vouch_policy_verify_signed(ctx, X509_get0_pubkey(root), buf,
		    len, &payload, &plen);
		if (rv == VOUCH_OK) {
			rv = vouch_policy_parse(ctx, payload, plen, out);
		}
	} else {
		rv = vouch_policy_parse(ctx, buf, len, out);
	}
	rc = rv == VOUCH_OK ? CLI_EXIT_OK : cli_error(ctx, rv, CLI_EXIT_FAIL);
 out:
	json_decref(doc);
	X509_free(root);
	free(payload);
	free(buf);
	return rc;
}

/* The "policy" member of the JSON output. */
static json_t *
policy_json(const struct vouch_policy *pol, const struct vouch_explain *ex)
{
	return json_pack("{s:s, s:s, s:I, s:s, s:s, s:s, s:s}",
	    "verdict", ex->code == VOUCH_OK ? "admitted" : "denied",
	    "error", vouch_errname(ex->code),
	    "version", (json_int_t)vouch_policy_version(pol),
	    "release", ex->release,
	    "path", ex->path,
	    "claim", ex->claim,
	    "explanation", ex->text);
}

/* The result JSON, with the policy's verdict when there is one. */
static int
print_result_json(const struct vouch_result *res,
    const struct vouch_policy *pol, const struct vouch_explain *ex)
{
	json_t *o = NULL, *pj;
	char *s = vouch_result_to_json(res), *t = NULL;
	int rc = CLI_EXIT_FAIL;

	if (s == NULL) {
		return CLI_EXIT_FAIL;
	}
	if (pol == NULL) {
		printf("%s\n", s);
		free(s);
		return CLI_EXIT_OK;
	}
	if (vouch_json_load(NULL, (const uint8_t *)s, strlen(s), 0, &o) !=
	    VOUCH_OK || (pj = policy_json(pol, ex)) == NULL) {
		goto out;
	}
	/* With a policy the verdict is the policy's: admitted or denied. */
	if (json_object_set_new(o, "policy", pj) != 0 ||
	    json_object_set_new(o, "verdict", json_string(ex->code == VOUCH_OK ?
	    "admitted" : "denied")) != 0 || (t = vouch_json_dump(o)) == NULL) {
		goto out;
	}
	printf("%s\n", t);
	rc = CLI_EXIT_OK;
 out:
	free(t);
	json_decref(o);
	free(s);
	return rc;
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
		{ "policy", required_argument, NULL, 'P' },
		{ "domain-cert", required_argument, NULL, 'C' },
		{ "insecure-allow-debug", no_argument, NULL, 'D' },
		{ "insecure-skip-revocation", no_argument, NULL, 'R' },
		{ "insecure-allow-provisional-firmware", no_argument, NULL, 'F' },
		{ "cache-dir", required_argument, NULL, 'c' },
		{ "kds-url", required_argument, NULL, 'k' },
		{ "offline", no_argument, NULL, 'O' },
		{ "pcs-url", required_argument, NULL, 'u' },
		{ "event-log", required_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const dcap_statuses[] = {
		"SWHardeningNeeded", "ConfigurationNeeded",
		"ConfigurationAndSWHardeningNeeded",
	};
	struct vouch_ctx *ctx = vouch_ctx_new();
	struct vouch_verify_config *cfg = vouch_verify_config_new();
	const char *kds_url = NULL, *pcs_url = NULL, *log_path = NULL;
	uint8_t *elog = NULL;
	size_t elog_len = 0, k;
	bool offline = false;
	struct vouch_result *res = NULL;
	struct vouch_policy *pol = NULL;
	struct vouch_explain ex;
	const char *policy_path = NULL, *cert_path = NULL;
	uint8_t rd[VOUCH_REPORT_DATA_BYTES], *ev = NULL;
	size_t ev_len = 0, hex_len;
	int64_t at;
	bool json = false;
	enum vouch_err rv;
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
		case 'P':
			policy_path = optarg;
			break;
		case 'C':
			cert_path = optarg;
			break;
		case 'D':
			vouch_verify_config_insecure_allow_debug(cfg);
			break;
		case 'R':
			vouch_verify_config_insecure_skip_revocation(cfg);
			break;
		case 'F':
			vouch_verify_config_insecure_allow_provisional_firmware(cfg);
			break;
		case 'c':
			rv = vouch_verify_config_set_cache_dir(ctx, cfg, optarg);
			if (rv != VOUCH_OK) {
				rc = cli_usage("--cache-dir: %s", vouch_error(ctx));
				goto out;
			}
			break;
		case 'k':
			kds_url = optarg;
			break;
		case 'O':
			offline = true;
			break;
		case 'u':
			pcs_url = optarg;
			break;
		case 'L':
			log_path = optarg;
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
	memset(&ex, 0, sizeof(ex));
	if (optind != argc - 1) {
		fputs(verify_usage, stderr);
		goto out;
	}
	if (cert_path != NULL && policy_path == NULL) {
		rc = cli_usage("--domain-cert goes with --policy");
		goto out;
	}
	if (offline && (kds_url != NULL || pcs_url != NULL)) {
		rc = cli_usage("--offline excludes --kds-url and --pcs-url");
		goto out;
	}
	/* Missing collateral is downloaded unless --offline. */
	if (!offline) {
		rv = vouch_verify_config_enable_fetch(ctx, cfg, "snp", kds_url);
		if (rv != VOUCH_OK) {
			rc = cli_usage("--kds-url: %s", vouch_error(ctx));
			goto out;
		}
		rv = vouch_verify_config_enable_fetch(ctx, cfg, "tdx", pcs_url);
		if (rv != VOUCH_OK) {
			rc = cli_usage("--pcs-url: %s", vouch_error(ctx));
			goto out;
		}
	}
	if (log_path != NULL) {
		rv = vouch_file_read(ctx, log_path, VOUCH_EVIDENCE_MAX_BYTES,
		    &elog, &elog_len);
		if (rv != VOUCH_OK) {
			rc = cli_read_error(ctx, rv);
			goto out;
		}
		rv = vouch_verify_config_set_event_log(ctx, cfg, elog, elog_len);
		if (rv != VOUCH_OK) {
			rc = cli_usage("--event-log: %s", vouch_error(ctx));
			goto out;
		}
	}
	if (policy_path != NULL) {
		rc = load_policy(ctx, policy_path, cert_path, &pol);
		if (rc != CLI_EXIT_OK) {
			goto out;
		}
		rc = CLI_EXIT_USAGE;
		/*
		 * The TCB statuses the policy accepts for tdx / sgx relax the
		 * verifier's UpToDate-only default; the policy then checks
		 * the claim itself (with its advisories).
		 */
		for (k = 0; k < sizeof(dcap_statuses) / sizeof(dcap_statuses[0]);
		    k++) {
			if ((vouch_policy_dcap_accepts(pol, "tdx",
			    dcap_statuses[k]) || vouch_policy_dcap_accepts(pol,
			    "sgx", dcap_statuses[k])) &&
			    vouch_verify_config_accept_tcb_status(ctx, cfg,
			    dcap_statuses[k]) != VOUCH_OK) {
				rc = cli_error(ctx, VOUCH_ERR_INTERNAL,
				    CLI_EXIT_FAIL);
				goto out;
			}
		}
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
	/*
	 * The policy sees only verified claims, and only adds requirements:
	 * the verification above already applied the secure defaults.
	 */
	if (pol != NULL && vouch_policy_evaluate_admission(ctx, pol,
	    vouch_result_claims(res), &ex) != ex.code) {
		rc = cli_error(ctx, VOUCH_ERR_INTERNAL, CLI_EXIT_FAIL);
		goto out;
	}
	if (json) {
		if (print_result_json(res, pol, &ex) != CLI_EXIT_OK) {
			rc = CLI_EXIT_FAIL;
			goto out;
		}
	} else {
		print_result_text(res);
		if (pol != NULL) {
			printf("policy: %s (version %lld): %s\n",
			    ex.code == VOUCH_OK ? "admitted" : "DENIED",
			    (long long)vouch_policy_version(pol), ex.text);
		}
	}
	rc = fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAIL;
	if (rc == CLI_EXIT_OK && pol != NULL && ex.code != VOUCH_OK) {
		/* The context's detail is the explanation. */
		rc = cli_error(ctx, ex.code, CLI_EXIT_FAIL);
	}
 out:
	vouch_policy_free(pol);
	vouch_wipe(rd, sizeof(rd));
	vouch_result_free(res);
	free(ev);
	vouch_verify_config_free(cfg);
	free(elog);
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

static int
evidence_collect_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "platform", required_argument, NULL, 'p' },
		{ "report-data", required_argument, NULL, 'r' },
		{ "vmpl", required_argument, NULL, 'v' },
		{ "no-certs", no_argument, NULL, 'n' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct vouch_ctx *ctx = vouch_ctx_new();
	struct snp_collect_opts co;
	const char *platform = NULL, *out_path = NULL, *source = NULL;
	uint8_t rd[VOUCH_REPORT_DATA_BYTES], *ev = NULL;
	size_t ev_len = 0;
	bool have_rd = false;
	uint64_t vmpl;
	enum vouch_err rv;
	int ch, rc = CLI_EXIT_USAGE;

	if (ctx == NULL) {
		return CLI_EXIT_FAIL;
	}
	memset(&co, 0, sizeof(co));
	co.vmpl = -1;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
		switch (ch) {
		case 'p':
			platform = optarg;
			break;
		case 'r':
			if (strlen(optarg) != 2 * VOUCH_REPORT_DATA_BYTES ||
			    !cli_parse_hex(optarg, rd, sizeof(rd))) {
				rc = cli_usage("--report-data: expected exactly 64 "
				    "bytes as 128 hex digits");
				goto out;
			}
			have_rd = true;
			break;
		case 'v':
			if (!cli_parse_u64(optarg, 3, &vmpl)) {
				rc = cli_usage("--vmpl: 0, 1, 2 or 3");
				goto out;
			}
			co.vmpl = (int)vmpl;
			break;
		case 'n':
			co.no_certs = true;
			break;
		case 'o':
			out_path = optarg;
			break;
		case 'h':
			fputs(collect_usage, stdout);
			rc = CLI_EXIT_OK;
			goto out;
		default:
			fputs(collect_usage, stderr);
			goto out;
		}
	}
	if (optind != argc || platform == NULL || !have_rd || out_path == NULL) {
		fputs(collect_usage, stderr);
		goto out;
	}
	if (strcmp(platform, "tdx") == 0 || strcmp(platform, "sgx") == 0) {
		if (co.vmpl >= 0 || co.no_certs) {
			rc = cli_usage("--vmpl and --no-certs are for snp");
			goto out;
		}
		rv = strcmp(platform, "tdx") == 0 ?
		    dcap_collect_tdx(ctx, NULL, rd, &ev, &ev_len) :
		    dcap_collect_sgx(ctx, NULL, rd, &ev, &ev_len);
		if (rv == VOUCH_OK) {
			rv = vouch_file_write(ctx, out_path, ev, ev_len, 0644);
		}
		if (rv != VOUCH_OK) {
			rc = cli_error(ctx, rv, CLI_EXIT_FAIL);
			goto out;
		}
		fprintf(stderr, "vouch: %s quote from %s: %zu bytes -> %s\n",
		    platform, strcmp(platform, "tdx") == 0 ? tsm_root(NULL) :
		    dcap_sgx_root(NULL), ev_len, out_path);
		rc = CLI_EXIT_OK;
		goto out;
	}
	if (strcmp(platform, "snp") != 0) {
		if (!vouch_platform_name_known(platform)) {
			rc = cli_usage("--platform: one of sim, snp, tdx, sgx, "
			    "tpm, cca");
			goto out;
		}
		rc = cli_error(ctx, vouch_fail(ctx,
		    VOUCH_ERR_UNSUPPORTED_PLATFORM, "collect: %s is not "
		    "supported here (sim evidence: vouch sim attest)", platform),
		    CLI_EXIT_FAIL);
		goto out;
	}
	rv = snp_collect(ctx, &co, rd, &ev, &ev_len, &source);
	if (rv == VOUCH_OK) {
		rv = vouch_file_write(ctx, out_path, ev, ev_len, 0644);
	}
	if (rv != VOUCH_OK) {
		rc = cli_error(ctx, rv, CLI_EXIT_FAIL);
		goto out;
	}
	fprintf(stderr, "vouch: snp evidence from %s: %zu bytes%s -> %s\n",
	    source, ev_len, ev_len > 1184 ? " (report and certificate table)" :
	    "", out_path);
	rc = CLI_EXIT_OK;
 out:
	vouch_wipe(rd, sizeof(rd));
	free(ev);
	vouch_ctx_free(ctx);
	return rc;
}

static const struct cli_cmd evidence_cmds[] = {
	{ "verify", evidence_verify_main, "verify evidence and print its claims" },
	{ "show", evidence_show_main, "decode evidence without verifying it" },
	{ "collect", evidence_collect_main,
	  "ask this machine's TEE for evidence (snp)" },
};

int
cmd_evidence(int argc, char **argv)
{
	return cli_dispatch("vouch evidence", evidence_cmds,
	    sizeof(evidence_cmds) / sizeof(evidence_cmds[0]), argc, argv);
}
