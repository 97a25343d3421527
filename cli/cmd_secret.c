/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vouch secret put | list | delete | get (docs/secrets.md).
 *
 * put, list and delete are admin calls to vouchd over mutual TLS with a
 * certificate from "vouch admin-cert issue".  A value is read from a file
 * or standard input, never from the command line (argv is visible to
 * every user of the machine in /proc).  get is the workload's side on the
 * sim platform: attest, and receive the value sealed to a fresh key.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bs/bs.h"
#include "bs/json.h"
#include "cli.h"
#include "client/client.h"
#include "crypto/crypto.h"
#include "platform/sim.h"
#include "secret/release.h"
#include "util/file.h"
#include "vouch_internal.h"

int	cmd_secret(int argc, char **argv);

/* "/v1/secrets/" + name */
#define SECRET_PATH_MAX	(12 + VOUCH_SECRET_NAME_MAX + 1)

static const char put_usage[] =
    "usage: vouch secret put --service URL --domain-cert ROOT --admin-cert CERT\n"
    "                        --admin-key KEY --rule RULE --value-file FILE NAME\n"
    "\n"
    "Store a new version of secret NAME in vouchd, released only to workloads\n"
    "that satisfy the release rule RULE of the signed policy (docs/policy.md).\n"
    "The value (1 to 65536 bytes) is read from FILE, or from standard input\n"
    "when FILE is '-'; it is never taken from the command line.  Prints the\n"
    "new version.\n"
    "\n"
    "  --service URL       vouchd, e.g. https://127.0.0.1:8443\n"
    "  --domain-cert ROOT  the domain root: vouchd's TLS certificate must chain to it\n"
    "  --admin-cert CERT   an admin certificate ('vouch admin-cert issue')\n"
    "  --admin-key KEY     its key\n"
    "  --rule RULE         the release rule's name under release_rules\n"
    "  --value-file FILE   the value ('-' for standard input)\n";

static const char list_usage[] =
    "usage: vouch secret list --service URL --domain-cert ROOT --admin-cert CERT\n"
    "                         --admin-key KEY [NAME]\n"
    "\n"
    "Show the metadata of every secret, or of every version of NAME (rule,\n"
    "version, creation time, the key-encryption key, releases counted), as\n"
    "JSON.  Values are never shown.\n";

static const char delete_usage[] =
    "usage: vouch secret delete --service URL --domain-cert ROOT --admin-cert CERT\n"
    "                           --admin-key KEY NAME\n"
    "\n"
    "Delete every version of secret NAME.  Version numbers are not reused.\n";

static const char get_usage[] =
    "usage: vouch secret get --service URL --domain-cert ROOT --platform-dir DIR\n"
    "                        [--exe PATH] [-o FILE] NAME\n"
    "\n"
    "Release secret NAME to a program on the sim platform: ask for a\n"
    "challenge, make a fresh X25519 key, make evidence whose report_data binds\n"
    "the nonce, the key and NAME (docs/secrets.md), and open the answer\n"
    "vouchd sealed to the key with HPKE.  Writes the value to FILE (mode 0600,\n"
    "atomically) or to standard output.\n"
    "\n"
    "  --service URL       vouchd, e.g. https://127.0.0.1:8443\n"
    "  --domain-cert ROOT  the domain root: vouchd's TLS certificate must chain to it\n"
    "  --platform-dir DIR  the sim platform ('vouch sim init')\n"
    "  --exe PATH          program to measure (default: this vouch binary)\n"
    "  -o FILE             output file (default: standard output)\n"
    "\n"
    "Exit status: 0 released, 1 refused (VOUCH_ERR_POLICY_DENIED with vouchd's\n"
    "problem code) or failed, 2 usage error or unreadable input.\n";

/* The options every admin subcommand takes. */
struct admin_opts {
	const char	*service;
	const char	*root;
	const char	*cert;
	const char	*key;
	const char	*rule;
	const char	*value_file;
};

/*
 * Parse the admin options; returns -1 to go on, else an exit code.
 * |with_value|: put's --rule and --value-file are allowed.
 */
static int
admin_parse(int argc, char **argv, const char *usage, bool with_value,
    struct admin_opts *o)
{
	static const struct option opts[] = {
		{ "service", required_argument, NULL, 's' },
		{ "domain-cert", required_argument, NULL, 'r' },
		{ "admin-cert", required_argument, NULL, 'c' },
		{ "admin-key", required_argument, NULL, 'k' },
		{ "rule", required_argument, NULL, 'u' },
		{ "value-file", required_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	memset(o, 0, sizeof(*o));
	optind = 1;
	for (;;) {
		ch = getopt_long(argc, argv, "h", opts, NULL);
		if (ch == -1) {
			break;
		}
		switch (ch) {
		case 's': o->service = optarg; break;
		case 'r': o->root = optarg; break;
		case 'c': o->cert = optarg; break;
		case 'k': o->key = optarg; break;
		case 'u':
		case 'v':
			if (!with_value) {
				fputs(usage, stderr);
				return CLI_EXIT_USAGE;
			}
			if (ch == 'u') {
				o->rule = optarg;
			} else {
				o->value_file = optarg;
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
	if (o->service == NULL || o->root == NULL || o->cert == NULL ||
	    o->key == NULL || (with_value && (o->rule == NULL ||
	    o->value_file == NULL))) {
		fputs(usage, stderr);
		return CLI_EXIT_USAGE;
	}
	return -1;
}

static bool
name_ok(const char *name)
{
	return vouch_secret_name_valid(name, strlen(name));
}

/* Report a non-2xx answer with vouchd's problem code. */
static int
answer_error(long status, const json_t *resp)
{
	const char *code = json_string_value(json_object_get(resp, "code"));

	fprintf(stderr, "vouch: vouchd answered HTTP %ld%s%s\n", status,
	    code != NULL ? ": " : "", code != NULL ? code : "");
	return CLI_EXIT_FAIL;
}

static int
admin_call(const struct admin_opts *o, const char *method, const char *path,
    const json_t *body, json_t **out, long *out_status)
{
	struct vouch_ctx *ctx = vouch_ctx_new();
	struct vouch_client *cl = NULL;
	enum vouch_err rv;
	int rc = CLI_EXIT_FAIL;

	*out = NULL;
	if (ctx == NULL) {
		return CLI_EXIT_FAIL;
	}
	rv = vouch_client_new(ctx, o->service, o->root, o->cert, o->key, &cl);
	if (rv == VOUCH_OK) {
		rv = vouch_client_call(ctx, cl, method, path, body, out_status,
		    out);
	}
	if (rv != VOUCH_OK) {
		rc = cli_error(ctx, rv, CLI_EXIT_FAIL);
	} else {
		rc = CLI_EXIT_OK;
	}
	vouch_client_free(cl);
	vouch_ctx_free(ctx);
	return rc;
}

static int
secret_put_main(int argc, char **argv)
{
	struct admin_opts o;
	struct vouch_ctx *ctx = NULL;
	json_t *req = NULL, *resp = NULL, *jv = NULL;
	uint8_t *val = NULL;
	size_t len = 0, b64_len = 0;
	char path[SECRET_PATH_MAX], *b64 = NULL;
	long status = 0;
	enum vouch_err rv;
	int rc;

	rc = admin_parse(argc, argv, put_usage, true, &o);
	if (rc >= 0) {
		return rc;
	}
	if (optind != argc - 1 || !name_ok(argv[optind]) || !name_ok(o.rule)) {
		return cli_usage("secret put: NAME and RULE are 1 to %d of "
		    "A-Z a-z 0-9 . _ -", VOUCH_SECRET_NAME_MAX);
	}
	ctx = vouch_ctx_new();
	if (ctx == NULL) {
		return CLI_EXIT_FAIL;
	}
	rv = vouch_file_read(ctx, o.value_file, VOUCH_SECRET_MAX_BYTES, &val,
	    &len);
	if (rv == VOUCH_OK && len == 0) {
		rv = vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "%s: the value is empty", o.value_file);
	}
	if (rv != VOUCH_OK) {
		rc = cli_read_error(ctx, rv);
		goto out;
	}
	b64_len = vouch_b64_encoded_len(len, false) + 1;
	b64 = malloc(b64_len);
	if (b64 == NULL || !vouch_b64_encode(val, len, false, b64, b64_len)) {
		rc = CLI_EXIT_FAIL;
		goto out;
	}
	jv = json_string(b64);
	req = json_pack("{s:s, s:O}", "rule", o.rule, "value", jv);
	if (req == NULL) {
		rc = CLI_EXIT_FAIL;
		goto out;
	}
	(void)snprintf(path, sizeof(path), "/v1/secrets/%s", argv[optind]);
	rc = admin_call(&o, "PUT", path, req, &resp, &status);
	if (rc != CLI_EXIT_OK) {
		goto out;
	}
	if (status != 201) {
		rc = answer_error(status, resp);
		goto out;
	}
	printf("%s version %lld\n", argv[optind],
	    (long long)json_integer_value(json_object_get(resp, "version")));
	if (!json_is_true(json_object_get(resp, "rule_in_policy"))) {
		fprintf(stderr, "vouch: note: the current policy has no "
		    "release rule \"%s\": nothing is released until one does\n",
		    o.rule);
	}
	rc = CLI_EXIT_OK;
 out:
	/* jansson and the HTTP client keep copies we cannot reach. */
	if (jv != NULL) {
		vouch_wipe((void *)(uintptr_t)json_string_value(jv),
		    json_string_length(jv));
	}
	json_decref(jv);
	json_decref(req);
	json_decref(resp);
	vouch_freezero(b64, b64_len);
	vouch_freezero(val, len);
	vouch_ctx_free(ctx);
	return rc;
}

static int
secret_list_main(int argc, char **argv)
{
	struct admin_opts o;
	json_t *resp = NULL;
	char path[SECRET_PATH_MAX], *text;
	long status = 0;
	int rc;

	rc = admin_parse(argc, argv, list_usage, false, &o);
	if (rc >= 0) {
		return rc;
	}
	if (optind == argc) {
		(void)snprintf(path, sizeof(path), "/v1/secrets");
	} else if (optind == argc - 1 && name_ok(argv[optind])) {
		(void)snprintf(path, sizeof(path), "/v1/secrets/%s",
		    argv[optind]);
	} else {
		fputs(list_usage, stderr);
		return CLI_EXIT_USAGE;
	}
	rc = admin_call(&o, "GET", path, NULL, &resp, &status);
	if (rc != CLI_EXIT_OK) {
		goto out;
	}
	if (status != 200 || resp == NULL) {
		rc = answer_error(status, resp);
		goto out;
	}
	text = vouch_json_pretty(resp);
	if (text == NULL) {
		rc = CLI_EXIT_FAIL;
		goto out;
	}
	printf("%s\n", text);
	free(text);
	rc = CLI_EXIT_OK;
 out:
	json_decref(resp);
	return rc;
}

static int
secret_delete_main(int argc, char **argv)
{
	struct admin_opts o;
	json_t *resp = NULL;
	char path[SECRET_PATH_MAX];
	long status = 0;
	int rc;

	rc = admin_parse(argc, argv, delete_usage, false, &o);
	if (rc >= 0) {
		return rc;
	}
	if (optind != argc - 1 || !name_ok(argv[optind])) {
		fputs(delete_usage, stderr);
		return CLI_EXIT_USAGE;
	}
	(void)snprintf(path, sizeof(path), "/v1/secrets/%s", argv[optind]);
	rc = admin_call(&o, "DELETE", path, NULL, &resp, &status);
	if (rc != CLI_EXIT_OK) {
		goto out;
	}
	if (status != 200) {
		rc = answer_error(status, resp);
		goto out;
	}
	printf("%s: %lld versions deleted\n", argv[optind], (long long)
	    json_integer_value(json_object_get(resp, "deleted_versions")));
	rc = CLI_EXIT_OK;
 out:
	json_decref(resp);
	return rc;
}

static int
secret_get_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "service", required_argument, NULL, 's' },
		{ "domain-cert", required_argument, NULL, 'r' },
		{ "platform-dir", required_argument, NULL, 'p' },
		{ "exe", required_argument, NULL, 'x' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *service = NULL, *root = NULL, *out_path = NULL;
	const char *exe = "/proc/self/exe";
	struct cli_sim_attester sa;
	struct vouch_attester att;
	struct vouch_ctx *ctx = NULL;
	uint8_t *val = NULL;
	size_t len = 0;
	int64_t version = 0;
	enum vouch_err rv;
	int ch, rc = CLI_EXIT_FAIL;

	memset(&sa, 0, sizeof(sa));
	optind = 1;
	for (;;) {
		ch = getopt_long(argc, argv, "ho:", opts, NULL);
		if (ch == -1) {
			break;
		}
		switch (ch) {
		case 's': service = optarg; break;
		case 'r': root = optarg; break;
		case 'p': sa.dir = optarg; break;
		case 'x': exe = optarg; break;
		case 'o': out_path = optarg; break;
		case 'h':
			fputs(get_usage, stdout);
			return CLI_EXIT_OK;
		default:
			fputs(get_usage, stderr);
			return CLI_EXIT_USAGE;
		}
	}
	if (optind != argc - 1 || service == NULL || root == NULL ||
	    sa.dir == NULL) {
		fputs(get_usage, stderr);
		return CLI_EXIT_USAGE;
	}
	if (!name_ok(argv[optind])) {
		return cli_usage("secret get: NAME is 1 to %d of A-Z a-z 0-9 . "
		    "_ -", VOUCH_SECRET_NAME_MAX);
	}
	ctx = vouch_ctx_new();
	if (ctx == NULL) {
		return CLI_EXIT_FAIL;
	}
	rv = vouch_sha384_file(ctx, exe, sa.measurement);
	if (rv != VOUCH_OK) {
		rc = cli_read_error(ctx, rv);
		goto out;
	}
	att.attest = cli_sim_attest;
	att.arg = &sa;
	rv = vouch_secret_release_exchange(ctx, service, root, &att,
	    argv[optind], vouch_profile(), &val, &len, &version);
	if (rv == VOUCH_OK && out_path != NULL) {
		rv = vouch_file_write(ctx, out_path, val, len, 0600);
	}
	if (rv != VOUCH_OK) {
		rc = cli_error(ctx, rv, CLI_EXIT_FAIL);
		goto out;
	}
	if (out_path == NULL &&
	    (fwrite(val, 1, len, stdout) != len || fflush(stdout) != 0)) {
		fprintf(stderr, "vouch: cannot write the secret to standard "
		    "output\n");
		goto out;
	}
	if (out_path != NULL) {
		fprintf(stderr, "%s version %lld written to %s\n", argv[optind],
		    (long long)version, out_path);
	}
	rc = CLI_EXIT_OK;
 out:
	vouch_secret_free(val, len);
	vouch_ctx_free(ctx);
	return rc;
}

static const struct cli_cmd secret_cmds[] = {
	{ "put", secret_put_main, "store a new version of a secret (admin)" },
	{ "list", secret_list_main, "show secrets' metadata, never values (admin)" },
	{ "delete", secret_delete_main, "delete every version of a secret (admin)" },
	{ "get", secret_get_main, "release a secret to this (sim) workload" },
};

int
cmd_secret(int argc, char **argv)
{
	return cli_dispatch("vouch secret", secret_cmds,
	    sizeof(secret_cmds) / sizeof(secret_cmds[0]), argc, argv);
}
