/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Certify throughput against the crypto bound, in one run.
 *
 *   bench_certify crypto SECONDS THREADS ISSUER_KEY ISSUER_CERT ROOT
 *     ops/s of { one TLS 1.3 handshake (client and server, in memory,
 *     with a P-384 server key under the issuing CA, client verifying to
 *     the domain root) + one P-384 verify + one P-384 signature }, and
 *     the server side's CPU time per op, in total and by part.
 *   bench_certify certify SECONDS CLIENTS URL ROOT PLATFORM_DIR
 *     certify/s: each client, on a fresh connection, asks a challenge,
 *     makes a key, sim evidence bound to both, and certifies.
 * Both print one line "RESULT <name> <ops> <seconds> <ops/s>".
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include "bs/bs.h"
#include "client/client.h"
#include "crypto/crypto.h"
#include "platform/sim.h"

static atomic_ulong ops;
/* Server-side CPU time of the crypto loop: handshake (server side), verify, sign. */
static atomic_ullong hs_ns, verify_ns, sign_ns;
static atomic_int stop;
static const char *a_key, *a_cert, *a_root, *a_url, *a_plat;
static SSL_CTX *sctx, *cctx;
static EVP_PKEY *sig_key;

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t
thread_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int
handshake_once(void)
{
	SSL *s = SSL_new(sctx), *c = SSL_new(cctx);
	BIO *sb = NULL, *cb = NULL;
	int done_s = 0, done_c = 0, i, r, ok = 0;

	if (s == NULL || c == NULL || BIO_new_bio_pair(&sb, 0, &cb, 0) != 1) {
		goto out;
	}
	SSL_set_bio(s, sb, sb);
	SSL_set_bio(c, cb, cb);
	SSL_set_accept_state(s);
	SSL_set_connect_state(c);
	(void)SSL_set1_host(c, "localhost");
	for (i = 0; i < 100 && !(done_s && done_c); i++) {
		if (!done_c) {
			r = SSL_do_handshake(c);
			done_c = r == 1;
			if (r <= 0 && SSL_get_error(c, r) != SSL_ERROR_WANT_READ) {
				goto out;
			}
		}
		if (!done_s) {
			uint64_t t = thread_ns();

			r = SSL_do_handshake(s);
			atomic_fetch_add(&hs_ns, thread_ns() - t);
			done_s = r == 1;
			if (r <= 0 && SSL_get_error(s, r) != SSL_ERROR_WANT_READ) {
				goto out;
			}
		}
	}
	/* TLS 1.3: the client finishes after reading the server's flight. */
	ok = done_s && done_c && SSL_get_verify_result(c) == X509_V_OK;
 out:
	SSL_free(s);
	SSL_free(c);
	ERR_clear_error();
	return ok;
}

static void *
crypto_worker(void *arg)
{
	uint8_t msg[224], sig[96];

	(void)arg;
	memset(msg, 0x5a, sizeof(msg));
	while (!atomic_load(&stop)) {
		uint64_t t, t2;

		if (!handshake_once()) {
			fprintf(stderr, "handshake failed\n");
			exit(1);
		}
		t = thread_ns();
		if (vouch_ecdsa_sign_raw(NULL, sig_key, msg, sizeof(msg), sig,
		    sizeof(sig)) != VOUCH_OK) {
			fprintf(stderr, "crypto op failed\n");
			exit(1);
		}
		t2 = thread_ns();
		atomic_fetch_add(&sign_ns, t2 - t);
		if (vouch_ecdsa_verify_raw(NULL, sig_key, msg, sizeof(msg), sig,
		    sizeof(sig)) != VOUCH_OK) {
			fprintf(stderr, "crypto op failed\n");
			exit(1);
		}
		atomic_fetch_add(&verify_ns, thread_ns() - t2);
		atomic_fetch_add(&ops, 1);
	}
	return NULL;
}

/* The client's own measurement, hashed once (not part of the cost). */
static uint8_t self_measurement[48];

static int
certify_once(void)
{
	struct vouch_ctx *ctx = vouch_ctx_new();
	struct vouch_client *cl = NULL;
	struct sim_attest_opts ao;
	EVP_PKEY *key = NULL;
	uint8_t nonce[32], *ev = NULL;
	size_t ev_len = 0, blen;
	char nhex[65], *b64 = NULL, *pub = NULL, *data = NULL;
	json_t *req = NULL, *resp = NULL;
	BIO *bio = NULL;
	long status = 0, plen;
	int ok = 0;

	memset(&ao, 0, sizeof(ao));
	memcpy(ao.measurement, self_measurement, sizeof(ao.measurement));
	if (ctx == NULL ||
	    vouch_client_new(ctx, a_url, a_root, NULL, NULL, &cl) != VOUCH_OK ||
	    vouch_client_challenge(ctx, cl, nonce) != VOUCH_OK ||
	    vouch_key_gen_p384(ctx, &key) != VOUCH_OK ||
	    vouch_bind_certify(ctx, nonce, 32, key, ao.report_data) != VOUCH_OK ||
	    sim_attest(ctx, a_plat, &ao, &ev, &ev_len) != VOUCH_OK) {
		goto out;
	}
	blen = vouch_b64_encoded_len(ev_len, false) + 1;
	b64 = malloc(blen);
	bio = BIO_new(BIO_s_mem());
	if (b64 == NULL || bio == NULL || !vouch_b64_encode(ev, ev_len, false, b64, blen) ||
	    PEM_write_bio_PUBKEY(bio, key) != 1 ||
	    (plen = BIO_get_mem_data(bio, &data)) <= 0 ||
	    (pub = strndup(data, (size_t)plen)) == NULL ||
	    !vouch_hex_encode(nonce, 32, nhex, sizeof(nhex))) {
		goto out;
	}
	req = json_pack("{s:s, s:s, s:s}", "nonce", nhex, "evidence", b64,
	    "public_key", pub);
	if (req != NULL && vouch_client_call(ctx, cl, "POST", "/v1/certify", req,
	    &status, &resp) == VOUCH_OK && status == 200) {
		ok = 1;
	}
 out:
	json_decref(req);
	json_decref(resp);
	BIO_free(bio);
	free(pub);
	free(b64);
	free(ev);
	EVP_PKEY_free(key);
	vouch_client_free(cl);
	vouch_ctx_free(ctx);
	return ok;
}

static void *
certify_worker(void *arg)
{
	(void)arg;
	while (!atomic_load(&stop)) {
		if (!certify_once()) {
			fprintf(stderr, "certify failed\n");
			exit(1);
		}
		atomic_fetch_add(&ops, 1);
	}
	return NULL;
}

static int
setup_tls(void)
{
	X509 *issuer = NULL, *cert = NULL;
	EVP_PKEY *ikey = NULL, *skey = NULL;
	struct vouch_cert_spec spec;

	if (vouch_cert_read_pem(NULL, a_cert, &issuer) != VOUCH_OK ||
	    vouch_key_read_pem(NULL, a_key, &ikey) != VOUCH_OK ||
	    vouch_key_gen_p384(NULL, &skey) != VOUCH_OK ||
	    vouch_key_gen_p384(NULL, &sig_key) != VOUCH_OK) {
		return -1;
	}
	memset(&spec, 0, sizeof(spec));
	spec.common_name = "bench";
	spec.not_before = time(NULL) - 60;
	spec.not_after = time(NULL) + 86400;
	spec.path_len = -1;
	spec.eku_server = true;
	spec.dns_ip_san = "DNS:localhost";
	if (vouch_cert_build(NULL, &spec, skey, issuer, ikey, &cert) != VOUCH_OK) {
		return -1;
	}
	/* The same shape as vouchd's: TLS 1.3, P-384 leaf + issuing CA. */
	sctx = SSL_CTX_new(TLS_server_method());
	cctx = SSL_CTX_new(TLS_client_method());
	if (sctx == NULL || cctx == NULL ||
	    SSL_CTX_set_min_proto_version(sctx, TLS1_3_VERSION) != 1 ||
	    SSL_CTX_set_min_proto_version(cctx, TLS1_3_VERSION) != 1 ||
	    SSL_CTX_use_certificate(sctx, cert) != 1 ||
	    SSL_CTX_use_PrivateKey(sctx, skey) != 1 ||
	    SSL_CTX_add1_chain_cert(sctx, issuer) != 1 ||
	    SSL_CTX_load_verify_locations(cctx, a_root, NULL) != 1) {
		return -1;
	}
	SSL_CTX_set_session_cache_mode(cctx, SSL_SESS_CACHE_OFF);
	SSL_CTX_set_session_cache_mode(sctx, SSL_SESS_CACHE_OFF);
	SSL_CTX_set_num_tickets(sctx, 0);
	SSL_CTX_set_verify(cctx, SSL_VERIFY_PEER, NULL);
	X509_free(cert);
	X509_free(issuer);
	EVP_PKEY_free(ikey);
	EVP_PKEY_free(skey);
	return 0;
}

int
main(int argc, char **argv)
{
	pthread_t th[64];
	double secs, t0, t1;
	long n, i;
	int crypto;

	if (argc != 7 || (strcmp(argv[1], "crypto") != 0 &&
	    strcmp(argv[1], "certify") != 0)) {
		fprintf(stderr, "usage: bench_certify crypto SECONDS THREADS KEY CERT ROOT\n"
		    "       bench_certify certify SECONDS CLIENTS URL ROOT PLATFORM_DIR\n");
		return 2;
	}
	crypto = strcmp(argv[1], "crypto") == 0;
	secs = strtod(argv[2], NULL);
	n = strtol(argv[3], NULL, 10);
	if (secs <= 0 || n < 1 || n > 64) {
		return 2;
	}
	if (crypto) {
		a_key = argv[4];
		a_cert = argv[5];
		a_root = argv[6];
		if (setup_tls() != 0) {
			fprintf(stderr, "TLS setup failed\n");
			return 1;
		}
	} else {
		a_url = argv[4];
		a_root = argv[5];
		a_plat = argv[6];
		if (vouch_sha384_file(NULL, "/proc/self/exe", self_measurement) !=
		    VOUCH_OK) {
			return 1;
		}
	}
	t0 = now();
	for (i = 0; i < n; i++) {
		pthread_create(&th[i], NULL, crypto ? crypto_worker : certify_worker,
		    NULL);
	}
	while (now() - t0 < secs) {
		struct timespec ts = { 0, 50000000 };

		nanosleep(&ts, NULL);
	}
	atomic_store(&stop, 1);
	for (i = 0; i < n; i++) {
		pthread_join(th[i], NULL);
	}
	t1 = now();
	printf("RESULT %s %lu %.2f %.1f\n", argv[1], atomic_load(&ops), t1 - t0,
	    (double)atomic_load(&ops) / (t1 - t0));
	if (crypto && atomic_load(&ops) > 0) {
		double k = 1e6 * (double)atomic_load(&ops);

		printf("SERVER_MS %.3f\n", (double)(atomic_load(&hs_ns) +
		    atomic_load(&verify_ns) + atomic_load(&sign_ns)) / k);
		printf("SERVER_PARTS_MS handshake %.3f verify %.3f sign %.3f\n",
		    (double)atomic_load(&hs_ns) / k,
		    (double)atomic_load(&verify_ns) / k,
		    (double)atomic_load(&sign_ns) / k);
	}
	SSL_CTX_free(sctx);
	SSL_CTX_free(cctx);
	EVP_PKEY_free(sig_key);
	return 0;
}
