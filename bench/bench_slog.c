/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Sealed log throughput: records per second for 256-byte messages, with
 * everything a record costs (bucket padding, the body header and clock,
 * the key ratchet, AES-256-GCM, the SHA-256 hash chain, a checkpoint
 * every 1000 records), beside the raw AEAD it is built on.
 *
 *   bench_slog memory SECONDS  slog_writer_message into a 64 MiB ring
 *                              in memory (what a host buffers)
 *   bench_slog file SECONDS PATH
 *                              vouch_log(l, INFO, "%s", msg) to PATH: the
 *                              public API, formatting, the lock and one
 *                              write(2) per record (use a tmpfs path)
 *   bench_slog aead SECONDS    AES-256-GCM alone on one reused context:
 *                              a fresh nonce, 256 bytes and the tag per
 *                              operation (openssl speed's loop, in process)
 *
 * Each prints "RESULT <name> <ops> <seconds> <ops/s>".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "crypto/hpke.h"
#include "internal.h"
#include "log/slog.h"
#include "vouch.h"

#define MSG_BYTES	256
#define RING_BYTES	(64u << 20)

struct ring {
	uint8_t	*p;
	size_t	 off;
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static enum vouch_err
ring_write(void *arg, const uint8_t *p, size_t n)
{
	struct ring *r = arg;

	if (n > RING_BYTES - r->off) {
		r->off = 0;
	}
	memcpy(r->p + r->off, p, n);
	r->off += n;
	return VOUCH_OK;
}

static void
result(const char *name, unsigned long ops, double secs)
{
	printf("RESULT %s %lu %.3f %.0f\n", name, ops, secs, (double)ops / secs);
}

static int
bench_memory(double secs)
{
	uint8_t sk[32], pk[32], msg[MSG_BYTES];
	struct slog_writer *w = NULL;
	struct ring ring = { NULL, 0 };
	struct slog_sink sink = { ring_write, &ring };
	unsigned long ops = 0;
	double t0, t;
	int i;

	memset(msg, 'm', sizeof(msg));
	ring.p = malloc(RING_BYTES);
	if (ring.p == NULL || vouch_x25519_keygen(NULL, sk, pk) != VOUCH_OK ||
	    slog_writer_new(NULL, pk, "test", NULL, 0, &sink, &w) != VOUCH_OK) {
		fputs("bench_slog: setup failed\n", stderr);
		return 1;
	}
	t0 = now();
	do {
		for (i = 0; i < 1000; i++) {
			if (slog_writer_message(NULL, w, 1, msg, sizeof(msg)) !=
			    VOUCH_OK) {
				fputs("bench_slog: write failed\n", stderr);
				return 1;
			}
		}
		ops += 1000;
		t = now() - t0;
	} while (t < secs);
	result("slog_memory", ops, t);
	slog_writer_free(w);
	free(ring.p);
	return 0;
}

static int
bench_file(double secs, const char *path)
{
	char pem[4096], msg[MSG_BYTES + 1];
	uint8_t sk[32], pk[32];
	struct vouch_log *l = NULL;
	unsigned long ops = 0;
	double t0, t;
	int i;

	memset(msg, 'm', MSG_BYTES);
	msg[MSG_BYTES] = '\0';
	snprintf(pem, sizeof(pem), "%s.pub", path);
	unlink(path);
	if (vouch_x25519_keygen(NULL, sk, pk) != VOUCH_OK ||
	    vouch_x25519_write_pub_pem(NULL, pem, pk) != VOUCH_OK ||
	    vouch_log_open(NULL, path, pem, &l) != VOUCH_OK) {
		fputs("bench_slog: setup failed\n", stderr);
		return 1;
	}
	t0 = now();
	do {
		for (i = 0; i < 1000; i++) {
			if (vouch_log(l, VOUCH_LOG_INFO, "%s", msg) != VOUCH_OK) {
				fputs("bench_slog: write failed\n", stderr);
				return 1;
			}
		}
		ops += 1000;
		t = now() - t0;
		/* Keep the file small: the point is the per-record cost. */
		if (ops % 100000 == 0) {
			(void)vouch_log_close(l);
			l = NULL;
			unlink(path);
			if (vouch_log_open(NULL, path, pem, &l) != VOUCH_OK) {
				return 1;
			}
		}
	} while (t < secs);
	result("slog_file", ops, t);
	(void)vouch_log_close(l);
	unlink(path);
	unlink(pem);
	return 0;
}

static int
bench_aead(double secs)
{
	uint8_t key[32] = { 1 }, iv[12] = { 0 }, buf[MSG_BYTES], tag[16];
	EVP_CIPHER *gcm = EVP_CIPHER_fetch(NULL, "AES-256-GCM", NULL);
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	unsigned long ops = 0;
	double t0, t;
	int i, l;

	memset(buf, 'm', sizeof(buf));
	if (gcm == NULL || c == NULL ||
	    EVP_EncryptInit_ex(c, gcm, NULL, key, iv) != 1) {
		return 1;
	}
	t0 = now();
	do {
		for (i = 0; i < 1000; i++) {
			iv[11] = (uint8_t)i;
			iv[10] = (uint8_t)(ops >> 10);
			if (EVP_EncryptInit_ex(c, NULL, NULL, NULL, iv) != 1 ||
			    EVP_EncryptUpdate(c, buf, &l, buf, sizeof(buf)) != 1 ||
			    EVP_EncryptFinal_ex(c, buf + l, &l) != 1 ||
			    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16,
			    tag) != 1) {
				return 1;
			}
		}
		ops += 1000;
		t = now() - t0;
	} while (t < secs);
	result("aead_inprocess", ops, t);
	EVP_CIPHER_CTX_free(c);
	EVP_CIPHER_free(gcm);
	return 0;
}

int
main(int argc, char **argv)
{
	double secs;

	if (argc < 3 || (secs = atof(argv[2])) <= 0) {
		fputs("usage: bench_slog memory|aead SECONDS | "
		    "file SECONDS PATH\n", stderr);
		return 2;
	}
	if (strcmp(argv[1], "memory") == 0) {
		return bench_memory(secs);
	}
	if (strcmp(argv[1], "aead") == 0) {
		return bench_aead(secs);
	}
	if (strcmp(argv[1], "file") == 0 && argc == 4) {
		return bench_file(secs, argv[3]);
	}
	fputs("bench_slog: unknown mode\n", stderr);
	return 2;
}
