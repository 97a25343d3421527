/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vouch catalog: every line a workload built with libvouch may show its
 * host in the staging and production profiles (include/vouch/catalog.h).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "vouch.h"

static int
usage(void)
{
	return cli_usage("catalog [--markdown]\n"
	    "  Print the host-visible error catalog, one line per code, exactly\n"
	    "  as a staging or production workload writes it on stderr, then its\n"
	    "  exit status.  --markdown prints the table of docs/logging.md.");
}

int
cmd_catalog(int argc, char **argv)
{
	enum vouch_code code;
	const char *line;
	bool md = false;
	size_t i;

	if (argc == 2 && strcmp(argv[1], "--markdown") == 0) {
		md = true;
	} else if (argc != 1) {
		return argc == 2 && cli_is_help(argv[1]) ? (usage(), CLI_EXIT_OK) :
		    usage();
	}
	if (md) {
		printf("| code | exit status | line on stderr |\n"
		    "|---|---|---|\n");
	}
	for (i = 0; (line = vouch_code_line_at(i, &code)) != NULL; i++) {
		if (md) {
			printf("| %d | %d | `%s` |\n", (int)code,
			    vouch_code_exit_status(code), line);
		} else {
			printf("%s\t%d\n", line, vouch_code_exit_status(code));
		}
	}
	return CLI_EXIT_OK;
}
