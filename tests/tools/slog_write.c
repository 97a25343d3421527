/* SPDX-License-Identifier: Apache-2.0 */
/*
 * slog_write: a sealed-log writer in its own process, for
 * tests/integration/cli_log.sh and scripts/gen-corpus.sh.  It uses only
 * the public API (vouch_log_open, vouch_log, vouch_log_checkpoint,
 * vouch_log_close), so the verifier that checks its output shares no
 * state with it.
 *
 *   slog_write (--pub PEM | --derive-key TEXT) [--no-close] FILE < LINES
 *
 * Each input line becomes one record: "debug: ", "info: ", "warn: " or
 * "error: " in front picks the level (info otherwise); a line
 * "#checkpoint" writes a checkpoint.  --no-close leaves the stream
 * without its close record, as a crash would.  --derive-key seals to the
 * X25519 key DeriveKeyPair(TEXT) (RFC 9180 §7.1.3), the fixed key of the
 * fuzz target.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto/hpke.h"
#include "internal.h"
#include "vouch.h"

static int
usage(void)
{
	fputs("usage: slog_write (--pub PEM | --derive-key TEXT) [--no-close] "
	    "FILE < LINES\n", stderr);
	return 2;
}

static const struct {
	const char		*prefix;
	enum vouch_log_level	 level;
} levels[] = {
	{ "debug: ", VOUCH_LOG_DEBUG },
	{ "info: ", VOUCH_LOG_INFO },
	{ "warn: ", VOUCH_LOG_WARN },
	{ "error: ", VOUCH_LOG_ERROR },
};

int
main(int argc, char **argv)
{
	const char *pub = NULL, *derive = NULL, *file = NULL;
	char tmp[] = "/tmp/slog_write.XXXXXX", line[20000];
	enum vouch_log_level level;
	struct vouch_log *l = NULL;
	uint8_t sk[VOUCH_X25519_BYTES], pk[VOUCH_X25519_BYTES];
	bool close_it = true;
	const char *text;
	size_t n, i;
	int k, fd;

	for (k = 1; k < argc; k++) {
		if (strcmp(argv[k], "--pub") == 0 && k + 1 < argc) {
			pub = argv[++k];
		} else if (strcmp(argv[k], "--derive-key") == 0 && k + 1 < argc) {
			derive = argv[++k];
		} else if (strcmp(argv[k], "--no-close") == 0) {
			close_it = false;
		} else if (file == NULL && argv[k][0] != '-') {
			file = argv[k];
		} else {
			return usage();
		}
	}
	if (file == NULL || (pub == NULL) == (derive == NULL)) {
		return usage();
	}
	if (derive != NULL) {
		fd = mkstemp(tmp);
		if (fd == -1) {
			perror("slog_write: mkstemp");
			return 1;
		}
		close(fd);
		if (vouch_hpke_derive_keypair(NULL, (const uint8_t *)derive,
		    strlen(derive), sk, pk) != VOUCH_OK ||
		    vouch_x25519_write_pub_pem(NULL, tmp, pk) != VOUCH_OK) {
			fputs("slog_write: cannot derive the key\n", stderr);
			unlink(tmp);
			return 1;
		}
		vouch_wipe(sk, sizeof(sk));
		pub = tmp;
	}
	if (vouch_log_open(NULL, file, pub, &l) != VOUCH_OK) {
		fputs("slog_write: cannot open the log\n", stderr);
		if (derive != NULL) {
			unlink(tmp);
		}
		return 1;
	}
	if (derive != NULL) {
		unlink(tmp);
	}
	while (fgets(line, sizeof(line), stdin) != NULL) {
		n = strlen(line);
		if (n > 0 && line[n - 1] == '\n') {
			line[--n] = '\0';
		}
		if (strcmp(line, "#checkpoint") == 0) {
			if (vouch_log_checkpoint(l) != VOUCH_OK) {
				fputs("slog_write: checkpoint failed\n", stderr);
				return 1;
			}
			continue;
		}
		level = VOUCH_LOG_INFO;
		text = line;
		for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
			if (strncmp(line, levels[i].prefix,
			    strlen(levels[i].prefix)) == 0) {
				level = levels[i].level;
				text = line + strlen(levels[i].prefix);
				break;
			}
		}
		if (vouch_log(l, level, "%s", text) != VOUCH_OK) {
			fputs("slog_write: write failed\n", stderr);
			return 1;
		}
	}
	if (!close_it) {
		/* As a crash would: no close record, nothing wiped. */
		_exit(0);
	}
	if (vouch_log_close(l) != VOUCH_OK) {
		fputs("slog_write: close failed\n", stderr);
		return 1;
	}
	return 0;
}
