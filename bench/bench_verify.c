/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Evidence verifications per second on one core, through the public
 * relying-party API (vouch_verify_evidence), as `vouch evidence verify`
 * and vouchd do it:
 *
 *   bench_verify [--insecure-allow-debug] [--insecure-allow-provisional-firmware]
 *                PLATFORM SECONDS cached|uncached AT EVIDENCE ENDORSEMENT...
 *
 * cached:   one verification configuration for every call, so what the
 *           platform caches (validated chains, parsed keys, verified
 *           collateral) is reused, bounded by its validity;
 *   uncached: a fresh configuration per call: every certificate parsed,
 *           every chain, CRL and collateral signature checked again.
 *
 * AT is the verification time (RFC 3339).  The endorsements are read
 * once.  Prints "RESULT <platform>-<mode> <ops> <seconds> <ops/s>".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto/crypto.h"
#include "util/file.h"
#include "vouch/verify.h"

#define MAX_ENDORSEMENTS	16

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool allow_debug, allow_provisional;

static struct vouch_verify_config *
config(struct vouch_ctx *ctx, const char *platform, uint8_t **e, size_t *en,
    int n)
{
	struct vouch_verify_config *cfg = vouch_verify_config_new();
	int i;

	if (cfg == NULL ||
	    vouch_verify_config_set_platform(ctx, cfg, platform) != VOUCH_OK) {
		return NULL;
	}
	if (allow_debug) {
		vouch_verify_config_insecure_allow_debug(cfg);
	}
	if (allow_provisional) {
		vouch_verify_config_insecure_allow_provisional_firmware(cfg);
	}
	for (i = 0; i < n; i++) {
		if (vouch_verify_config_add_endorsement(ctx, cfg, e[i], en[i]) !=
		    VOUCH_OK) {
			vouch_verify_config_free(cfg);
			return NULL;
		}
	}
	return cfg;
}

int
main(int argc, char **argv)
{
	struct vouch_ctx *ctx = vouch_ctx_new();
	struct vouch_verify_config *cfg = NULL;
	struct vouch_result *res;
	uint8_t *ev = NULL, *e[MAX_ENDORSEMENTS];
	size_t ev_len, en[MAX_ENDORSEMENTS];
	double secs, t0, t;
	unsigned long ops = 0;
	int64_t at;
	bool cached;
	int i, n;

	while (argc > 1 && strncmp(argv[1], "--", 2) == 0) {
		if (strcmp(argv[1], "--insecure-allow-debug") == 0) {
			allow_debug = true;
		} else if (strcmp(argv[1],
		    "--insecure-allow-provisional-firmware") == 0) {
			allow_provisional = true;
		} else {
			fprintf(stderr, "bench_verify: unknown option %s\n",
			    argv[1]);
			return 2;
		}
		argv++;
		argc--;
	}
	if (argc < 6 || argc - 6 > MAX_ENDORSEMENTS || ctx == NULL ||
	    (secs = atof(argv[2])) <= 0 ||
	    (strcmp(argv[3], "cached") != 0 &&
	    strcmp(argv[3], "uncached") != 0) ||
	    !vouch_time_parse_rfc3339(argv[4], &at)) {
		fprintf(stderr, "usage: bench_verify PLATFORM SECONDS "
		    "cached|uncached AT EVIDENCE ENDORSEMENT...\n");
		return 2;
	}
	cached = strcmp(argv[3], "cached") == 0;
	vouch_ctx_set_time(ctx, at);
	if (vouch_file_read(ctx, argv[5], 1u << 20, &ev, &ev_len) != VOUCH_OK) {
		fprintf(stderr, "bench_verify: %s: %s\n", argv[5],
		    vouch_error(ctx));
		return 2;
	}
	n = argc - 6;
	for (i = 0; i < n; i++) {
		if (vouch_file_read(ctx, argv[6 + i], 1u << 24, &e[i], &en[i]) !=
		    VOUCH_OK) {
			fprintf(stderr, "bench_verify: %s: %s\n", argv[6 + i],
			    vouch_error(ctx));
			return 2;
		}
	}
	t0 = now();
	do {
		if (cfg == NULL || !cached) {
			vouch_verify_config_free(cfg);
			cfg = config(ctx, argv[1], e, en, n);
			if (cfg == NULL) {
				fprintf(stderr, "bench_verify: config: %s\n",
				    vouch_error(ctx));
				return 1;
			}
		}
		res = NULL;
		if (vouch_verify_evidence(ctx, cfg, ev, ev_len, &res) !=
		    VOUCH_OK) {
			fprintf(stderr, "bench_verify: %s\n", vouch_error(ctx));
			return 1;
		}
		vouch_result_free(res);
		ops++;
		t = now() - t0;
	} while (t < secs);
	printf("RESULT %s-%s %lu %.3f %.1f\n", argv[1], argv[3], ops, t,
	    (double)ops / t);
	vouch_verify_config_free(cfg);
	for (i = 0; i < n; i++) {
		free(e[i]);
	}
	free(ev);
	vouch_ctx_free(ctx);
	return 0;
}
