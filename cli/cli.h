/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by the vouch subcommands: exit codes, messages, argument parsing. */
#ifndef VOUCH_CLI_H
#define VOUCH_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "internal.h"

/* Exit codes: the CLI contract (README, "CLI contract"). */
#define CLI_EXIT_OK	0	/* verified / done */
#define CLI_EXIT_FAIL	1	/* rejected / the operation failed */
#define CLI_EXIT_USAGE	2	/* usage error or unreadable input */

struct cli_cmd {
	const char	*name;
	int		(*run)(int argc, char **argv);
	const char	*desc;
};

/* Dispatch argv[1] among |cmds|; prints the table for help. */
int	cli_dispatch(const char *prog, const struct cli_cmd *cmds, size_t n,
	    int argc, char **argv);
/* "vouch: usage: ..." on stderr; returns CLI_EXIT_USAGE. */
int	cli_usage(const char *fmt, ...) VOUCH_PRINTF(1, 2);
/*
 * Print the stable error name and the context's detail on stderr,
 * "vouch: VOUCH_ERR_NAME: detail", and return |code| for exit.
 */
int	cli_error(struct vouch_ctx *ctx, enum vouch_err err, int code);
/* Exit code for a failure to read input: usage (2). */
int	cli_read_error(struct vouch_ctx *ctx, enum vouch_err err);
/* Strict unsigned parse; false on junk, sign, overflow or > max. */
bool	cli_parse_u64(const char *s, uint64_t max, uint64_t *out);
/* Hex of exactly |n| bytes. */
bool	cli_parse_hex(const char *s, uint8_t *out, size_t n);
/* True when |arg| is -h or --help. */
bool	cli_is_help(const char *arg);

/* Evidence of the sim platform in |dir| for |measurement| (vouch certify,
 * vouch secret get): the attest callback of a struct vouch_attester. */
struct cli_sim_attester {
	const char	*dir;
	uint8_t		 measurement[48];
};
enum vouch_err	cli_sim_attest(struct vouch_ctx *ctx, void *arg,
		    const uint8_t rd[64], uint8_t **out, size_t *out_len);

int	cmd_sim(int argc, char **argv);
int	cmd_evidence(int argc, char **argv);
int	cmd_domain(int argc, char **argv);
int	cmd_certify(int argc, char **argv);
int	cmd_policy(int argc, char **argv);
int	cmd_result(int argc, char **argv);
int	cmd_service_cert(int argc, char **argv);
int	cmd_admin_cert(int argc, char **argv);
int	cmd_audit(int argc, char **argv);
int	cmd_log(int argc, char **argv);
int	cmd_catalog(int argc, char **argv);

#endif
