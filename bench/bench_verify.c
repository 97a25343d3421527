/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Evidence verifications per second on one core, through the public
 * relying-party API (vouch_verify_evidence), as `vouch evidence verify`
 * and vouchd do it:
 *
 *   bench_verify [--insecure-allow-debug] [--insecure-allow-provisional-firmware]
 *                PLATFORM SECONDS cached|uncached|interleaved AT EVIDENCE
 *                ENDORSEMENT...
 *
 * cached:   one verification configuration for every call, so what the
 *           platform caches (validated chains, parsed keys, verified
 *           collateral) is reused, bounded by its validity;
 *   uncached: a fresh configuration per call: every certificate parsed,
 *           every chain, CRL and collateral signature checked again.
 *
 * AT is the verification time (RFC 3339).  The endorsements are read
 * once.  Runs for SECONDS of wall time and prints
 *   RESULT <platform>-<mode> <ops> <wall s> <ops/wall s> <CPU s> <ops/CPU s>
 * where CPU time is this process's user + system time: `openssl speed`
 * divides by user CPU time (its default without -elapsed), so ops/CPU s
 * is the rate to set beside it (counting system time too is the
 * conservative side).
 *
 * interleaved: cached verifications and OpenSSL's own ECDSA verify (the
 *           call `openssl speed ecdsap384` / `ecdsap256` times:
 *           EVP_PKEY_verify of a 20-byte message with a fresh key of the
 *           platform's curve, snp P-384, tdx and sgx P-256) alternate in
 *           slices of 20 ms of CPU time, so both see the same machine
 *           state; prints
 *   RESULT <platform>-interleaved <ops> <CPU s> <ops/CPU s> <openssl ops/CPU s>
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sys/resource.h>

#include <openssl/ec.h>
#include <openssl/evp.h>

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

/* Length of one interleaved slice, CPU seconds. */
#define SLICE	0.02

/* User + system CPU seconds of this process. */
static double
cpu_now(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) != 0) {
		return 0;
	}
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
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

/* OpenSSL's verify of |curve| as `openssl speed` runs it. */
struct ossl_bench {
	EVP_PKEY	*key;
	EVP_PKEY_CTX	*vctx;
	unsigned char	 msg[20];
	unsigned char	 sig[160];
	size_t		 sig_len;
};

static bool
ossl_setup(struct ossl_bench *o, const char *curve)
{
	EVP_PKEY_CTX *sctx;
	bool ok;

	memset(o, 0, sizeof(*o));
	memset(o->msg, 0x5a, sizeof(o->msg));
	o->key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", curve);
	if (o->key == NULL) {
		return false;
	}
	sctx = EVP_PKEY_CTX_new(o->key, NULL);
	o->sig_len = sizeof(o->sig);
	ok = sctx != NULL && EVP_PKEY_sign_init(sctx) == 1 &&
	    EVP_PKEY_sign(sctx, o->sig, &o->sig_len, o->msg,
	    sizeof(o->msg)) == 1;
	EVP_PKEY_CTX_free(sctx);
	o->vctx = EVP_PKEY_CTX_new(o->key, NULL);
	return ok && o->vctx != NULL && EVP_PKEY_verify_init(o->vctx) == 1;
}

static bool
ossl_verify(struct ossl_bench *o)
{
	return EVP_PKEY_verify(o->vctx, o->sig, o->sig_len, o->msg,
	    sizeof(o->msg)) == 1;
}

static void
ossl_free(struct ossl_bench *o)
{
	EVP_PKEY_CTX_free(o->vctx);
	EVP_PKEY_free(o->key);
}

static int
interleaved(struct vouch_ctx *ctx, struct vouch_verify_config *cfg,
    const char *platform, const uint8_t *ev, size_t ev_len, double secs)
{
	struct ossl_bench o;
	struct vouch_result *res;
	unsigned long ops = 0, oops = 0;
	double t0, c, cv = 0, co = 0;

	if (!ossl_setup(&o, strcmp(platform, "snp") == 0 ? "P-384" :
	    "P-256")) {
		fprintf(stderr, "bench_verify: OpenSSL key setup failed\n");
		ossl_free(&o);
		return 1;
	}
	t0 = now();
	while (now() - t0 < secs) {
		c = cpu_now();
		do {
			res = NULL;
			if (vouch_verify_evidence(ctx, cfg, ev, ev_len, &res) !=
			    VOUCH_OK) {
				fprintf(stderr, "bench_verify: %s\n",
				    vouch_error(ctx));
				ossl_free(&o);
				return 1;
			}
			vouch_result_free(res);
			ops++;
		} while (cpu_now() - c < SLICE);
		cv += cpu_now() - c;
		c = cpu_now();
		do {
			if (!ossl_verify(&o)) {
				fprintf(stderr, "bench_verify: OpenSSL verify "
				    "failed\n");
				ossl_free(&o);
				return 1;
			}
			oops++;
		} while (cpu_now() - c < SLICE);
		co += cpu_now() - c;
	}
	ossl_free(&o);
	if (cv <= 0 || co <= 0) {
		fprintf(stderr, "bench_verify: no CPU time measured\n");
		return 1;
	}
	printf("RESULT %s-interleaved %lu %.3f %.1f %.1f\n", platform, ops, cv,
	    (double)ops / cv, (double)oops / co);
	return 0;
}

int
main(int argc, char **argv)
{
	struct vouch_ctx *ctx = vouch_ctx_new();
	struct vouch_verify_config *cfg = NULL;
	struct vouch_result *res;
	uint8_t *ev = NULL, *e[MAX_ENDORSEMENTS];
	size_t ev_len, en[MAX_ENDORSEMENTS];
	double secs, t0, t, c0, c;
	unsigned long ops = 0;
	int64_t at;
	bool cached;
	int i, n, rc = 1;

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
	    strcmp(argv[3], "uncached") != 0 &&
	    strcmp(argv[3], "interleaved") != 0) ||
	    !vouch_time_parse_rfc3339(argv[4], &at)) {
		fprintf(stderr, "usage: bench_verify PLATFORM SECONDS "
		    "cached|uncached|interleaved AT EVIDENCE ENDORSEMENT...\n");
		return 2;
	}
	cached = strcmp(argv[3], "uncached") != 0;
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
	if (strcmp(argv[3], "interleaved") == 0) {
		cfg = config(ctx, argv[1], e, en, n);
		if (cfg == NULL) {
			fprintf(stderr, "bench_verify: config: %s\n",
			    vouch_error(ctx));
			return 1;
		}
		rc = interleaved(ctx, cfg, argv[1], ev, ev_len, secs);
		goto out;
	}
	t0 = now();
	c0 = cpu_now();
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
	c = cpu_now() - c0;
	if (c <= 0) {
		fprintf(stderr, "bench_verify: no CPU time measured\n");
		return 1;
	}
	printf("RESULT %s-%s %lu %.3f %.1f %.3f %.1f\n", argv[1], argv[3], ops,
	    t, (double)ops / t, c, (double)ops / c);
	rc = 0;
 out:
	vouch_verify_config_free(cfg);
	for (i = 0; i < n; i++) {
		free(e[i]);
	}
	free(ev);
	vouch_ctx_free(ctx);
	return rc;
}
