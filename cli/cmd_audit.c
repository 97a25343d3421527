/* SPDX-License-Identifier: Apache-2.0 */
/* vouch audit verify: check vouchd's hash-chained audit log. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "store.h"
#include "util/file.h"

static const char verify_usage[] =
    "usage: vouch audit verify --data-dir DIR\n"
    "\n"
    "Recompute the hash chain of vouchd's audit log in the store in DIR\n"
    "(the directory holding vouchd.db): every record's sequence number,\n"
    "its link to the previous record and its SHA-256 hash.  Prints\n"
    "\"audit log intact: N records\" and exits 0, or \"audit log broken at\n"
    "record N\" and exits 1.  Safe while vouchd runs.  Records removed from\n"
    "the end of the log leave a shorter intact chain: compare N with a\n"
    "count kept elsewhere.\n"
    "\n"
    "  --data-dir DIR  vouchd's data directory\n";

static int
audit_verify_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "data-dir", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct store_ops *ops = &store_sqlite_ops;
	struct vouch_ctx *ctx = NULL;
	struct store *store = NULL;
	const char *dir = NULL;
	char path[4096];
	struct stat st;
	enum vouch_err rv;
	uint64_t count = 0, bad = 0;
	int ch, rc = CLI_EXIT_FAIL;

	optind = 1;
	for (;;) {
		ch = getopt_long(argc, argv, "h", opts, NULL);
		if (ch == -1) {
			break;
		}
		switch (ch) {
		case 'd':
			dir = optarg;
			break;
		case 'h':
			fputs(verify_usage, stdout);
			return CLI_EXIT_OK;
		default:
			fputs(verify_usage, stderr);
			return CLI_EXIT_USAGE;
		}
	}
	if (optind != argc || dir == NULL) {
		fputs(verify_usage, stderr);
		return CLI_EXIT_USAGE;
	}
	ctx = vouch_ctx_new();
	if (ctx == NULL) {
		return CLI_EXIT_FAIL;
	}
	/*
	 * Opening creates a missing store; checking a directory that holds
	 * none must not report an empty, intact log.
	 */
	if (!vouch_path_join(path, sizeof(path), dir, "vouchd.db")) {
		rc = cli_usage("--data-dir: path too long");
		goto out;
	}
	if (stat(path, &st) == -1) {
		rc = cli_read_error(ctx, vouch_fail(ctx, VOUCH_ERR_NOT_FOUND,
		    "%s: %s", path, strerror(errno)));
		goto out;
	}
	rv = ops->open(ctx, dir, &store);
	if (rv != VOUCH_OK) {
		rc = cli_error(ctx, rv, CLI_EXIT_FAIL);
		goto out;
	}
	rv = ops->audit_verify(ctx, store, &count, &bad);
	if (rv == VOUCH_OK) {
		printf("audit log intact: %llu records\n",
		    (unsigned long long)count);
		rc = CLI_EXIT_OK;
		goto out;
	}
	if (bad != 0) {
		printf("audit log broken at record %llu\n",
		    (unsigned long long)bad);
	}
	rc = cli_error(ctx, rv, CLI_EXIT_FAIL);
 out:
	ops->close(store);
	vouch_ctx_free(ctx);
	return rc;
}

static const struct cli_cmd audit_cmds[] = {
	{ "verify", audit_verify_main, "check the hash chain of vouchd's audit log" },
};

int
cmd_audit(int argc, char **argv)
{
	return cli_dispatch("vouch audit", audit_cmds,
	    sizeof(audit_cmds) / sizeof(audit_cmds[0]), argc, argv);
}
