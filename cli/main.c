/* SPDX-License-Identifier: Apache-2.0 */
/* vouch: the command line.  One file per subcommand (cmd_<name>.c). */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bs/bs.h"
#include "cli.h"
#include "platform/sim.h"

int	cmd_secret(int argc, char **argv);	/* cli/cmd_secret.c */

static const struct cli_cmd commands[] = {
	{ "admin-cert", cmd_admin_cert, "issue a domain administrator certificate" },
	{ "audit", cmd_audit, "verify vouchd's hash-chained audit log" },
	{ "catalog", cmd_catalog, "print the host-visible error catalog" },
	{ "certify", cmd_certify, "attest (sim) and get an admission certificate from vouchd" },
	{ "domain", cmd_domain, "create a security domain (policy key, root)" },
	{ "evidence", cmd_evidence, "verify or show attestation evidence" },
	{ "log", cmd_log, "the tenant's sealed log: keygen, verify" },
	{ "policy", cmd_policy, "sign a policy, check a signed one" },
	{ "result", cmd_result, "verify an attested result bundle offline" },
	{ "secret", cmd_secret, "store, list, delete (admin) and get secrets" },
	{ "service-cert", cmd_service_cert, "issue vouchd's issuing CA certificate" },
	{ "sim", cmd_sim, "the simulated platform: init, attest" },
};

bool
cli_is_help(const char *arg)
{
	return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0 ||
	    strcmp(arg, "help") == 0;
}

int
cli_dispatch(const char *prog, const struct cli_cmd *cmds, size_t n,
    int argc, char **argv)
{
	size_t i;
	FILE *f = stderr;
	int rc = CLI_EXIT_USAGE;

	if (argc >= 2) {
		for (i = 0; i < n; i++) {
			if (strcmp(argv[1], cmds[i].name) == 0) {
				return cmds[i].run(argc - 1, argv + 1);
			}
		}
		if (cli_is_help(argv[1])) {
			f = stdout;
			rc = CLI_EXIT_OK;
		} else {
			fprintf(stderr, "vouch: unknown command \"%s\"\n", argv[1]);
		}
	}
	fprintf(f, "usage: %s <command> [options]\n\ncommands:\n", prog);
	for (i = 0; i < n; i++) {
		fprintf(f, "  %-10s %s\n", cmds[i].name, cmds[i].desc);
	}
	fprintf(f, "\n'%s <command> --help' describes each command.\n", prog);
	return rc;
}

int
cli_usage(const char *fmt, ...)
{
	va_list ap;

	fputs("vouch: usage: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return CLI_EXIT_USAGE;
}

int
cli_error(struct vouch_ctx *ctx, enum vouch_err err, int code)
{
	const char *detail = vouch_error(ctx);

	if (vouch_error_code(ctx) != err || detail[0] == '\0') {
		detail = vouch_strerror(err);
	}
	fprintf(stderr, "vouch: %s: %s\n", vouch_errname(err), detail);
	return code;
}

int
cli_read_error(struct vouch_ctx *ctx, enum vouch_err err)
{
	return cli_error(ctx, err, CLI_EXIT_USAGE);
}

bool
cli_parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end = NULL;

	if (s[0] < '0' || s[0] > '9') {
		return false;
	}
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v > max) {
		return false;
	}
	*out = (uint64_t)v;
	return true;
}

bool
cli_parse_hex(const char *s, uint8_t *out, size_t n)
{
	size_t got = 0;

	return vouch_hex_decode(s, strlen(s), out, n, &got) && got == n;
}

int
main(int argc, char **argv)
{
	/* A closed pipe must be an error return, not a silent death. */
	signal(SIGPIPE, SIG_IGN);
	return cli_dispatch("vouch", commands,
	    sizeof(commands) / sizeof(commands[0]), argc, argv);
}

_Static_assert(sizeof(((struct cli_sim_attester *)0)->measurement) ==
    SIM_MEASUREMENT_BYTES, "a sim measurement");

enum vouch_err
cli_sim_attest(struct vouch_ctx *ctx, void *arg, const uint8_t rd[64],
    uint8_t **out, size_t *out_len)
{
	const struct cli_sim_attester *a = arg;
	struct sim_attest_opts ao;

	memset(&ao, 0, sizeof(ao));
	memcpy(ao.report_data, rd, sizeof(ao.report_data));
	memcpy(ao.measurement, a->measurement, sizeof(ao.measurement));
	return sim_attest(ctx, a->dir, &ao, out, out_len);
}
