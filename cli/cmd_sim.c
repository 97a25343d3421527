/* SPDX-License-Identifier: Apache-2.0 */
/* vouch sim init | attest: the simulated platform. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "crypto/crypto.h"
#include "platform/sim.h"
#include "util/file.h"

static const char init_usage[] =
    "usage: vouch sim init [--tcb-svn N] [--chip-days N] [--root-days N] DIR\n"
    "\n"
    "Create a simulated platform in DIR: a vendor root key and certificate\n"
    "(ECDSA P-384, sim-root.pem / sim-root.key), a chip attestation key\n"
    "certified by it (chip.pem / chip.key), a random chip id and TCB SVN\n"
    "(platform.json) and the platform sealing secret (seal-secret.bin).\n"
    "Keys and secrets are written with mode 0600.  An existing platform is\n"
    "never overwritten.\n"
    "\n"
    "  --tcb-svn N     TCB security version the chip reports (default 1)\n"
    "  --chip-days N   validity of the chip certificate (default 365)\n"
    "  --root-days N   validity of the root certificate (default 3650)\n";

static const char attest_usage[] =
    "usage: vouch sim attest --platform-dir DIR --report-data HEX [--exe PATH]\n"
    "                        [--host-data HEX] [--tcb-svn N] [--debug] -o FILE\n"
    "\n"
    "Make sim evidence: a report (measurement = SHA-384 of the executable,\n"
    "the 64-byte report_data, flags, TCB SVN, chip id, time) signed by the\n"
    "chip key, packed with the chip certificate (docs/sim-evidence.md).\n"
    "\n"
    "  --platform-dir DIR  a directory made by 'vouch sim init'\n"
    "  --report-data HEX   exactly 64 bytes (128 hex digits)\n"
    "  --exe PATH          program to measure (default: this vouch binary)\n"
    "  --host-data HEX     32 bytes the host sets (default zero)\n"
    "  --tcb-svn N         report this TCB SVN instead of the platform's\n"
    "  --debug             set the debug flag (verifiers reject it)\n"
    "  -o FILE             output file ('-' for standard output)\n";

static int
sim_init_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "tcb-svn", required_argument, NULL, 't' },
		{ "chip-days", required_argument, NULL, 'c' },
		{ "root-days", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct sim_init_opts o = { .tcb_svn = 1, .root_days = 3650, .chip_days = 365 };
	struct vouch_ctx *ctx;
	enum vouch_err rv;
	uint64_t v;
	int ch, rc;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 't':
			if (!cli_parse_u64(optarg, UINT32_MAX, &v)) {
				return cli_usage("--tcb-svn: expected 0 to 4294967295");
			}
			o.tcb_svn = (uint32_t)v;
			break;
		case 'c':
		case 'r':
			if (!cli_parse_u64(optarg, 36500, &v) || v == 0) {
				return cli_usage("--%s: expected 1 to 36500 days",
				    ch == 'c' ? "chip-days" : "root-days");
			}
			if (ch == 'c') {
				o.chip_days = (int64_t)v;
			} else {
				o.root_days = (int64_t)v;
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
	ctx = vouch_ctx_new();
	if (ctx == NULL) {
		return CLI_EXIT_FAIL;
	}
	rv = sim_init(ctx, argv[optind], &o);
	rc = rv == VOUCH_OK ? CLI_EXIT_OK : cli_error(ctx, rv, CLI_EXIT_FAIL);
	if (rv == VOUCH_OK) {
		fprintf(stderr, "vouch: sim platform created in %s\n", argv[optind]);
	}
	vouch_ctx_free(ctx);
	return rc;
}

static int
sim_attest_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "platform-dir", required_argument, NULL, 'p' },
		{ "report-data", required_argument, NULL, 'r' },
		{ "exe", required_argument, NULL, 'e' },
		{ "host-data", required_argument, NULL, 'H' },
		{ "tcb-svn", required_argument, NULL, 't' },
		{ "debug", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct sim_attest_opts o;
	struct vouch_ctx *ctx = NULL;
	const char *dir = NULL, *exe = "/proc/self/exe", *outp = NULL;
	bool have_rd = false;
	enum vouch_err rv;
	uint8_t *ev = NULL;
	size_t ev_len = 0, off;
	uint64_t v;
	ssize_t n;
	int ch, rc = CLI_EXIT_FAIL;

	memset(&o, 0, sizeof(o));
	optind = 1;
	while ((ch = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'p':
			dir = optarg;
			break;
		case 'r':
			if (!cli_parse_hex(optarg, o.report_data,
			    sizeof(o.report_data))) {
				return cli_usage("--report-data: expected exactly "
				    "64 bytes as 128 hex digits");
			}
			have_rd = true;
			break;
		case 'e':
			exe = optarg;
			break;
		case 'H':
			if (!cli_parse_hex(optarg, o.host_data,
			    sizeof(o.host_data))) {
				return cli_usage("--host-data: expected exactly "
				    "32 bytes as 64 hex digits");
			}
			break;
		case 't':
			if (!cli_parse_u64(optarg, UINT32_MAX, &v)) {
				return cli_usage("--tcb-svn: expected 0 to 4294967295");
			}
			o.has_tcb_svn = true;
			o.tcb_svn = (uint32_t)v;
			break;
		case 'd':
			o.debug = true;
			break;
		case 'o':
			outp = optarg;
			break;
		case 'h':
			fputs(attest_usage, stdout);
			return CLI_EXIT_OK;
		default:
			fputs(attest_usage, stderr);
			return CLI_EXIT_USAGE;
		}
	}
	if (optind != argc || dir == NULL || !have_rd || outp == NULL) {
		fputs(attest_usage, stderr);
		return CLI_EXIT_USAGE;
	}
	ctx = vouch_ctx_new();
	if (ctx == NULL) {
		return CLI_EXIT_FAIL;
	}
	rv = vouch_sha384_file(ctx, exe, o.measurement);
	if (rv != VOUCH_OK) {
		rc = cli_read_error(ctx, rv);
		goto out;
	}
	rv = sim_attest(ctx, dir, &o, &ev, &ev_len);
	if (rv != VOUCH_OK) {
		rc = cli_error(ctx, rv, CLI_EXIT_FAIL);
		goto out;
	}
	if (strcmp(outp, "-") == 0) {
		for (off = 0; off < ev_len; off += (size_t)n) {
			n = write(STDOUT_FILENO, ev + off, ev_len - off);
			if (n <= 0) {
				rc = cli_error(ctx, vouch_fail(ctx, VOUCH_ERR_IO,
				    "cannot write standard output"), CLI_EXIT_FAIL);
				goto out;
			}
		}
	} else {
		rv = vouch_file_write(ctx, outp, ev, ev_len, 0644);
		if (rv != VOUCH_OK) {
			rc = cli_error(ctx, rv, CLI_EXIT_FAIL);
			goto out;
		}
	}
	rc = CLI_EXIT_OK;
 out:
	free(ev);
	vouch_ctx_free(ctx);
	return rc;
}

static const struct cli_cmd sim_cmds[] = {
	{ "init", sim_init_main, "create a simulated platform (vendor root, chip key)" },
	{ "attest", sim_attest_main, "make sim evidence for a program and report_data" },
};

int
cmd_sim(int argc, char **argv)
{
	return cli_dispatch("vouch sim", sim_cmds,
	    sizeof(sim_cmds) / sizeof(sim_cmds[0]), argc, argv);
}
