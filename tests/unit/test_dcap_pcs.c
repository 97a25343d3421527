/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for lib/platform/dcap_pcs.c against a local PCS stand-in:
 * a forked HTTP/1.1 server on 127.0.0.1 that answers each request
 * target from a file in a temporary directory (404 when absent), with
 * response headers from a ".hdr" file beside it, and logs every target it
 * was asked for.  The files are filled at run time from sample T-1's
 * collateral (tdx/gtg_collateral, read in place from $VOUCH_TESTDATA).
 * Covers: a full fetch (bodies + URL-decoded issuer chains), the cache hit
 * (no request), stale cache re-fetch, offline mode (no URL: cache only,
 * stale copies still returned), 404, a missing issuer-chain header, an
 * oversized body, and the PCK CA kind.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "platform/dcap_pcs.h"
#include "platform/platform.h"
#include "http_stub.h"
#include "snp_testdata.h"

#define T1_NOW		1688173200	/* 2023-07-01T01:00:00Z */
#define T1_STALE	1690848000	/* 2023-08-01T00:00:00Z */
#define ROOT_PEM	"certs/intel/Intel_SGX_Root_CA.pem"

#define R_TCB	"tdx/certification/v4/tcb?fmspc=50806f000000"
#define R_QE	"tdx/certification/v4/qe/identity"
#define R_PCK	"sgx/certification/v4/pckcrl?ca=platform&encoding=der"
#define R_ROOT	"sgx/certification/v4/rootcacrl"

static char dir[64], srv[128], cache[128], reqlog[160], url[64];
static pid_t srv_pid = -1;
static char *chain_enc;		/* URL-encoded root PEM */
static struct blob root_pem;

/* The server's file name for a request target: [/?&=] become '_'. */
static void
route_name(const char *target, char *out, size_t cap)
{
	size_t i;

	(void)snprintf(out, cap, "%s/", srv);
	for (i = 0; target[i] != '\0' && strlen(out) + 2 < cap; i++) {
		char ch = target[i];

		if (ch == '/' || ch == '?' || ch == '&' || ch == '=') {
			ch = '_';
		}
		out[strlen(out) + 1] = '\0';
		out[strlen(out)] = ch;
	}
}

static void
serve_one(int c)
{
	char req[4096], path[1400], hpath[1500], *target;
	uint8_t *body = NULL, *hdr = NULL;
	size_t blen = 0, hlen = 0;

	target = http_stub_read_get(c, req, sizeof(req));
	if (target == NULL || target[0] != '/' || strlen(target) >= 1024) {
		return;
	}
	target++;
	http_stub_log(reqlog, target);
	route_name(target, path, sizeof(path));
	(void)snprintf(hpath, sizeof(hpath), "%s.hdr", path);
	if (vouch_file_read(NULL, path, 4u << 20, &body, &blen) != VOUCH_OK) {
		http_stub_reply(c, 404, "", 0, NULL, 0);
		return;
	}
	if (vouch_file_read(NULL, hpath, 1u << 20, &hdr, &hlen) != VOUCH_OK) {
		hdr = NULL;
		hlen = 0;
	}
	http_stub_reply(c, 200, (const char *)hdr, hlen, body, blen);
	free(body);
	free(hdr);
}

static void
start_server(void)
{
	srv_pid = http_stub_start(serve_one, url, sizeof(url));
}

static void
put_route(const char *target, const char *src, const char *hdr_name)
{
	char path[1400], hpath[1500], *h;
	struct blob b = td(src);
	size_t cap;

	route_name(target, path, sizeof(path));
	assert_int_equal(vouch_file_write(NULL, path, b.p, b.n, 0644),
	    VOUCH_OK);
	free(b.p);
	(void)snprintf(hpath, sizeof(hpath), "%s.hdr", path);
	(void)remove(hpath);
	if (hdr_name != NULL) {
		cap = strlen(hdr_name) + strlen(chain_enc) + 8;
		h = malloc(cap);
		assert_non_null(h);
		(void)snprintf(h, cap, "%s: %s\r\n", hdr_name, chain_enc);
		assert_int_equal(vouch_file_write(NULL, hpath,
		    (const uint8_t *)h, strlen(h), 0644), VOUCH_OK);
		free(h);
	}
}

static void
del_route(const char *target)
{
	char path[1400];

	route_name(target, path, sizeof(path));
	(void)remove(path);
}

static void
full_pcs(void)
{
	put_route(R_TCB, "tdx/gtg_collateral/tcbinfo_50806f000000.json",
	    "TCB-Info-Issuer-Chain");
	put_route(R_QE, "tdx/gtg_collateral/qe_identity_td_qe.json",
	    "SGX-Enclave-Identity-Issuer-Chain");
	put_route(R_PCK, "tdx/gtg_collateral/pck_platform_crl.der",
	    "SGX-PCK-CRL-Issuer-Chain");
	put_route(R_ROOT, "tdx/gtg_collateral/root_ca_crl.der", NULL);
}

/* Lines in the server's request log (and empties it). */
static size_t
requests(void)
{
	uint8_t *p = NULL;
	size_t n = 0, i, lines = 0;

	if (vouch_file_read(NULL, reqlog, 1u << 20, &p, &n) != VOUCH_OK) {
		return 0;
	}
	for (i = 0; i < n; i++) {
		lines += p[i] == '\n';
	}
	free(p);
	(void)remove(reqlog);
	return lines;
}

static void
clear_cache(void)
{
	char cmd[256];

	(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", cache);
	assert_int_equal(system(cmd), 0);
}

static enum vouch_err
get(bool online, bool with_cache, const char *ca, int64_t now,
    struct dcap_fetched *f)
{
	static const uint8_t fmspc[6] = { 0x50, 0x80, 0x6f, 0, 0, 0 };
	struct vouch_verify_config cfg;
	struct vouch_ctx *ctx = vouch_ctx_new();
	enum vouch_err rv;

	assert_non_null(ctx);
	memset(&cfg, 0, sizeof(cfg));
	cfg.collateral_dir = with_cache ? cache : NULL;
	cfg.dcap_pcs_url = online ? url : NULL;
	memset(f, 0, sizeof(*f));
	rv = dcap_pcs_get(ctx, &cfg, true, fmspc, ca, now, f);
	if (rv != VOUCH_OK) {
		assert_int_equal(vouch_error_code(ctx), rv);
	}
	vouch_ctx_free(ctx);
	return rv;
}

/* |f| holds the four T-1 documents and three root chains, in order. */
static void
check_full(const struct dcap_fetched *f)
{
	struct blob b;
	size_t i;

	assert_int_equal(f->n, 7);
	b = td("tdx/gtg_collateral/tcbinfo_50806f000000.json");
	assert_int_equal(f->item[0].n, b.n);
	assert_memory_equal(f->item[0].p, b.p, b.n);
	free(b.p);
	b = td("tdx/gtg_collateral/root_ca_crl.der");
	assert_int_equal(f->item[6].n, b.n);
	assert_memory_equal(f->item[6].p, b.p, b.n);
	free(b.p);
	for (i = 1; i < 6; i += 2) {
		assert_int_equal(f->item[i].n, root_pem.n);
		assert_memory_equal(f->item[i].p, root_pem.p, root_pem.n);
	}
}

static int
setup(void **state)
{
	char cmd[256];
	size_t i, o = 0;

	(void)state;
	snp_testdata_find();
	(void)snprintf(dir, sizeof(dir), "/tmp/vouch-pcs-XXXXXX");
	assert_non_null(mkdtemp(dir));
	(void)snprintf(srv, sizeof(srv), "%s/srv", dir);
	(void)snprintf(cache, sizeof(cache), "%s/cache", dir);
	(void)snprintf(reqlog, sizeof(reqlog), "%s/requests.log", dir);
	(void)snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", srv);
	assert_int_equal(system(cmd), 0);
	if (testdata == NULL) {
		return 0;
	}
	root_pem = td(ROOT_PEM);
	chain_enc = malloc(root_pem.n * 3 + 1);
	assert_non_null(chain_enc);
	for (i = 0; i < root_pem.n; i++) {
		uint8_t ch = root_pem.p[i];

		if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		    (ch >= '0' && ch <= '9') || ch == '-' || ch == '.') {
			chain_enc[o++] = (char)ch;
		} else {
			(void)snprintf(chain_enc + o, 4, "%%%02X", ch);
			o += 3;
		}
	}
	chain_enc[o] = '\0';
	start_server();
	return 0;
}

static int
teardown(void **state)
{
	char cmd[256];

	(void)state;
	http_stub_stop(srv_pid);
	(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(chain_enc);
	free(root_pem.p);
	return 0;
}

/* Fetch, then the cache answers without a request until nextUpdate. */
static void
test_fetch_and_cache(void **state)
{
	struct dcap_fetched f;

	(void)state;
	NEED_TESTDATA();
	clear_cache();
	full_pcs();
	(void)requests();
	assert_int_equal(get(true, true, "platform", T1_NOW, &f), VOUCH_OK);
	check_full(&f);
	dcap_fetched_free(&f);
	assert_int_equal(requests(), 4);
	/* Cache hit: the server is not asked. */
	assert_int_equal(get(true, true, "platform", T1_NOW, &f), VOUCH_OK);
	check_full(&f);
	dcap_fetched_free(&f);
	assert_int_equal(requests(), 0);
	/* Offline: the cache alone. */
	assert_int_equal(get(false, true, "platform", T1_NOW, &f), VOUCH_OK);
	check_full(&f);
	dcap_fetched_free(&f);
	/* Stale at T1_STALE: tcb, QE, PCK CRL re-fetched, root CRL kept. */
	assert_int_equal(get(true, true, "platform", T1_STALE, &f), VOUCH_OK);
	check_full(&f);
	dcap_fetched_free(&f);
	assert_int_equal(requests(), 3);
	/* Offline and stale: the stale copies (dcap.c refuses them). */
	assert_int_equal(get(false, true, "platform", T1_STALE, &f),
	    VOUCH_OK);
	check_full(&f);
	dcap_fetched_free(&f);
	dcap_fetched_free(NULL);
}

static void
test_offline_nothing(void **state)
{
	struct dcap_fetched f;

	(void)state;
	NEED_TESTDATA();
	clear_cache();
	assert_int_equal(get(false, true, "platform", T1_NOW, &f),
	    VOUCH_ERR_COLLATERAL_MISSING);
	assert_int_equal(f.n, 0);
	assert_int_equal(get(false, false, "platform", T1_NOW, &f),
	    VOUCH_ERR_COLLATERAL_MISSING);
	assert_int_equal(f.n, 0);
}

static void
test_errors(void **state)
{
	struct dcap_fetched f;
	uint8_t *big;
	char path[1400];

	(void)state;
	NEED_TESTDATA();
	clear_cache();
	full_pcs();
	/* Bad CA kind. */
	assert_int_equal(get(true, true, "nope", T1_NOW, &f),
	    VOUCH_ERR_INVALID_ARGUMENT);
	/* "processor": its CRL route is absent (404); the rest is found. */
	assert_int_equal(get(true, false, "processor", T1_NOW, &f), VOUCH_OK);
	assert_int_equal(f.n, 5);
	dcap_fetched_free(&f);
	/* 404 everywhere: the first failure is returned. */
	del_route(R_TCB);
	del_route(R_QE);
	del_route(R_PCK);
	del_route(R_ROOT);
	assert_int_not_equal(get(true, false, "platform", T1_NOW, &f),
	    VOUCH_OK);
	assert_int_equal(f.n, 0);
	/* Missing issuer-chain header: that piece is dropped. */
	full_pcs();
	put_route(R_TCB, "tdx/gtg_collateral/tcbinfo_50806f000000.json",
	    NULL);
	assert_int_equal(get(true, false, "platform", T1_NOW, &f), VOUCH_OK);
	assert_int_equal(f.n, 5);
	dcap_fetched_free(&f);
	/* A body that is not the document asked for. */
	put_route(R_TCB, "tdx/gtg_collateral/root_ca_crl.der",
	    "TCB-Info-Issuer-Chain");
	assert_int_equal(get(true, false, "platform", T1_NOW, &f), VOUCH_OK);
	assert_int_equal(f.n, 5);
	dcap_fetched_free(&f);
	/* Oversized body (above DCAP_PCS_MAX_BYTES). */
	big = calloc(1, DCAP_PCS_MAX_BYTES + 1);
	assert_non_null(big);
	memset(big, ' ', DCAP_PCS_MAX_BYTES + 1);
	route_name(R_TCB, path, sizeof(path));
	assert_int_equal(vouch_file_write(NULL, path, big,
	    DCAP_PCS_MAX_BYTES + 1, 0644), VOUCH_OK);
	free(big);
	assert_int_equal(get(true, false, "platform", T1_NOW, &f), VOUCH_OK);
	assert_int_equal(f.n, 5);
	dcap_fetched_free(&f);
	/* Nothing cached from the failures. */
	clear_cache();
	assert_int_equal(get(true, true, "platform", T1_NOW, &f), VOUCH_OK);
	dcap_fetched_free(&f);
	assert_int_equal(get(false, true, "platform", T1_NOW, &f), VOUCH_OK);
	assert_int_equal(f.n, 5);
	dcap_fetched_free(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fetch_and_cache),
		cmocka_unit_test(test_offline_nothing),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
