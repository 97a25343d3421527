/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for lib/platform/snp_kds.c without a network: the collateral
 * cache directory, filled at run time from the real testdata (read in
 * place, written only to a temporary directory), used offline; stale,
 * missing, misplaced and corrupt cached collateral; the fetch settings;
 * and a download that cannot connect.  The downloads themselves run
 * against a local KDS stand-in in tests/integration/cli_snp_collateral.sh.
 *
 * KDS rate limiting (429 Too Many Requests) runs here against a forked
 * HTTP/1.1 server on 127.0.0.1 that answers every request as its "mode"
 * file says and logs each request target, so a test can count what one
 * verification asked; and the Retry-After parser on its own.
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

#include "bs/bs.h"
#include "client/client.h"
#include "crypto/crypto.h"
#include "platform/platform.h"
#include "platform/snp.h"
#include "platform/snp_certs.h"
#include "platform/snp_kds.h"
#include "http_stub.h"
#include "snp_testdata.h"

struct fixture {
	char	dir[64];
	char	milan_vcek_rel[512];
	/* The local KDS stand-in for the rate limit tests. */
	char	srv_dir[64];
	char	srv_mode[128];		/* how it answers (set_mode) */
	char	srv_log[128];		/* one line per request */
	char	srv_url[64];
	pid_t	srv_pid;
};

static struct fixture F;

static void
rmtree(const char *dir)
{
	char cmd[256];

	(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* Copy testdata |src| to |rel| under the cache (directories made). */
static void
put(const char *src, const char *rel)
{
	char path[1024], cmd[1200];
	struct blob b = td(src);

	assert_true(vouch_path_join(path, sizeof(path), F.dir, rel));
	(void)snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\"", path);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(vouch_file_write(NULL, path, b.p, b.n, 0644),
	    VOUCH_OK);
	free(b.p);
}

static void
put_bytes(const char *rel, const char *bytes)
{
	char path[1024];

	assert_true(vouch_path_join(path, sizeof(path), F.dir, rel));
	assert_int_equal(vouch_file_write(NULL, path, (const uint8_t *)bytes,
	    strlen(bytes), 0644), VOUCH_OK);
}

static void
del(const char *rel)
{
	char path[1024];

	assert_true(vouch_path_join(path, sizeof(path), F.dir, rel));
	assert_int_equal(remove(path), 0);
}

/*
 * The stand-in answers every request with the mode file: its first line
 * is the status and the absolute path of the body ("-": none), the rest
 * are response header lines, sent as they are.
 */
static void
serve_one(int c)
{
	char req[4096], *target, *sp, body_path[512];
	uint8_t *mode = NULL, *body = NULL;
	size_t mlen = 0, blen = 0, hl;
	const char *nl, *hdrs;
	int status;

	target = http_stub_read_get(c, req, sizeof(req));
	if (target == NULL) {
		return;
	}
	http_stub_log(F.srv_log, target);
	if (vouch_file_read(NULL, F.srv_mode, 4096, &mode, &mlen) !=
	    VOUCH_OK) {
		return;
	}
	nl = strchr((const char *)mode, '\n');
	hdrs = nl != NULL ? nl + 1 : "";
	hl = nl != NULL ? (size_t)(nl - (const char *)mode) : mlen;
	if (hl > 0 && mode[hl - 1] == '\r') {
		hl--;
	}
	status = (int)strtol((const char *)mode, NULL, 10);
	(void)snprintf(body_path, sizeof(body_path), "%.*s", (int)hl,
	    (const char *)mode);
	sp = strchr(body_path, ' ');
	if (sp != NULL && strcmp(sp + 1, "-") != 0 &&
	    vouch_file_read(NULL, sp + 1, 1u << 20, &body, &blen) != VOUCH_OK) {
		body = NULL;
		blen = 0;
	}
	http_stub_reply(c, status, hdrs, strlen(hdrs), body, blen);
	free(body);
	free(mode);
}

static void
start_server(void)
{
	(void)snprintf(F.srv_dir, sizeof(F.srv_dir),
	    "/tmp/vouch-snp-kds-srv-XXXXXX");
	assert_non_null(mkdtemp(F.srv_dir));
	(void)snprintf(F.srv_mode, sizeof(F.srv_mode), "%s/mode", F.srv_dir);
	(void)snprintf(F.srv_log, sizeof(F.srv_log), "%s/requests.log",
	    F.srv_dir);
	F.srv_pid = http_stub_start(serve_one, F.srv_url, sizeof(F.srv_url));
}

/* How the stand-in answers from now on (see serve_one). */
static void
set_mode(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	assert_int_equal(vouch_file_write(NULL, F.srv_mode,
	    (const uint8_t *)buf, strlen(buf), 0644), VOUCH_OK);
}

/* Requests the stand-in saw since the last call. */
static size_t
requests(void)
{
	uint8_t *p = NULL;
	size_t n = 0, i, lines = 0;

	if (vouch_file_read(NULL, F.srv_log, 1u << 20, &p, &n) != VOUCH_OK) {
		return 0;
	}
	for (i = 0; i < n; i++) {
		lines += p[i] == '\n';
	}
	free(p);
	(void)remove(F.srv_log);
	return lines;
}

static int
setup(void **state)
{
	struct vouch_ctx *ctx = vouch_ctx_new();
	struct snp_report r;
	struct blob ev;
	char hwid[129];

	(void)state;
	assert_non_null(ctx);
	(void)snprintf(F.dir, sizeof(F.dir), "/tmp/vouch-snp-kds-XXXXXX");
	assert_non_null(mkdtemp(F.dir));
	ev = td(MILAN_REPORT);
	assert_int_equal(snp_report_parse(ctx, ev.p, ev.n, &r), VOUCH_OK);
	assert_true(vouch_hex_encode(r.chip_id, 64, hwid, sizeof(hwid)));
	(void)snprintf(F.milan_vcek_rel, sizeof(F.milan_vcek_rel),
	    "snp/Milan/vcek/%s-%016llx.der", hwid,
	    (unsigned long long)r.reported_tcb);
	free(ev.p);
	vouch_ctx_free(ctx);
	start_server();
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	http_stub_stop(F.srv_pid);
	rmtree(F.srv_dir);
	rmtree(F.dir);
	return 0;
}

/* Fill the cache for the Milan report (S-1) at its time. */
static void
fill_milan(void)
{
	put(MILAN_VCEK, F.milan_vcek_rel);
	put(MILAN_CHAIN, "snp/Milan/vcek_cert_chain.pem");
	put(MILAN_CRL_2022, "snp/Milan/vcek_crl.der");
}

/*
 * Verify |report| with nothing but the cache (and |endorsement|, may be
 * NULL) at |at|; |url| enables fetching from it.
 */
static enum vouch_err
verify_cached(const char *report, const char *endorsement, int64_t at,
    const char *url)
{
	struct vouch_ctx *ctx = vouch_ctx_new();
	struct vouch_verify_config *cfg = vouch_verify_config_new();
	struct vouch_result *res = NULL;
	struct blob ev = td(report), en;
	enum vouch_err rv;

	assert_non_null(ctx);
	assert_non_null(cfg);
	vouch_ctx_set_time(ctx, at);
	assert_int_equal(vouch_verify_config_set_platform(ctx, cfg, "snp"),
	    VOUCH_OK);
	assert_int_equal(vouch_verify_config_set_cache_dir(ctx, cfg, F.dir),
	    VOUCH_OK);
	if (url != NULL) {
		assert_int_equal(vouch_verify_config_enable_fetch(ctx, cfg,
		    "snp", url), VOUCH_OK);
	}
	if (endorsement != NULL) {
		en = td(endorsement);
		assert_int_equal(vouch_verify_config_add_endorsement(ctx, cfg,
		    en.p, en.n), VOUCH_OK);
		free(en.p);
	}
	/* What is tested here is collateral, not the guest: S-1 is a debug
	 * guest, S-2 runs provisional firmware. */
	vouch_verify_config_insecure_allow_debug(cfg);
	vouch_verify_config_insecure_allow_provisional_firmware(cfg);
	rv = vouch_verify_evidence(ctx, cfg, ev.p, ev.n, &res);
	if (rv != VOUCH_OK) {
		assert_null(res);
		assert_int_equal(vouch_error_code(ctx), rv);
	}
	vouch_result_free(res);
	free(ev.p);
	vouch_verify_config_free(cfg);
	vouch_ctx_free(ctx);
	return rv;
}

static void
test_cache_offline(void **state)
{
	(void)state;
	NEED_TESTDATA();
	/* Nothing cached, nothing to fetch from. */
	assert_int_equal(verify_cached(MILAN_REPORT, NULL, T_MILAN, NULL),
	    VOUCH_ERR_COLLATERAL_MISSING);
	fill_milan();
	assert_int_equal(verify_cached(MILAN_REPORT, NULL, T_MILAN, NULL),
	    VOUCH_OK);
	/* The CRL is past its nextUpdate in 2025: kept, but stale. */
	assert_int_equal(verify_cached(MILAN_REPORT, NULL, T_2025, NULL),
	    VOUCH_ERR_CRL_EXPIRED);
	/* A current CRL among the endorsements beats the stale cached one. */
	assert_int_equal(verify_cached(MILAN_REPORT, MILAN_CRL_2025, T_2025,
	    NULL), VOUCH_OK);
	/* A CRL that is not one is ignored: the list is then missing. */
	put_bytes("snp/Milan/vcek_crl.der", "not a CRL");
	assert_int_equal(verify_cached(MILAN_REPORT, NULL, T_MILAN, NULL),
	    VOUCH_ERR_CRL_MISSING);
	del("snp/Milan/vcek_crl.der");
	assert_int_equal(verify_cached(MILAN_REPORT, NULL, T_MILAN, NULL),
	    VOUCH_ERR_CRL_MISSING);
	put(MILAN_CRL_2022, "snp/Milan/vcek_crl.der");
	/* No chain cached: no anchor. */
	del("snp/Milan/vcek_cert_chain.pem");
	assert_int_equal(verify_cached(MILAN_REPORT, NULL, T_MILAN, NULL),
	    VOUCH_ERR_NO_TRUST_ANCHOR);
	/* The Genoa chain under Milan's name: the pins decide, not names. */
	put(GENOA_CHAIN, "snp/Milan/vcek_cert_chain.pem");
	assert_int_equal(verify_cached(MILAN_REPORT, NULL, T_MILAN, NULL),
	    VOUCH_ERR_CHAIN_INVALID);
	put(MILAN_CHAIN, "snp/Milan/vcek_cert_chain.pem");
	/* Another chip's VCEK in this chip's slot: the signature fails. */
	put(GENOA_VCEK, F.milan_vcek_rel);
	assert_int_equal(verify_cached(MILAN_REPORT, NULL, T_MILAN, NULL),
	    VOUCH_ERR_SIGNATURE_INVALID);
	/* A corrupt file in the VCEK's slot counts as absent. */
	put_bytes(F.milan_vcek_rel, "-----BEGIN CERTIFICATE-----\nAAAA\n");
	assert_int_equal(verify_cached(MILAN_REPORT, NULL, T_MILAN, NULL),
	    VOUCH_ERR_COLLATERAL_MISSING);
	put(MILAN_VCEK, F.milan_vcek_rel);
	/* Before the VCEK was issued: kept (no fetching), then expired. */
	assert_int_equal(verify_cached(MILAN_REPORT, NULL, T_MILAN - 86400 *
	    400, NULL), VOUCH_ERR_CERT_NOT_YET_VALID);
	assert_int_equal(verify_cached(MILAN_REPORT, NULL, T_MILAN, NULL),
	    VOUCH_OK);
}

static void
test_cache_genoa_and_vlek(void **state)
{
	struct vouch_ctx *ctx = vouch_ctx_new();
	struct snp_report r;
	struct blob ev;
	char hwid[129], rel[512];

	(void)state;
	NEED_TESTDATA();
	/* Genoa (v3): the product comes from CPUID. */
	ev = td(GENOA_REPORT);
	assert_int_equal(snp_report_parse(ctx, ev.p, ev.n, &r), VOUCH_OK);
	assert_true(vouch_hex_encode(r.chip_id, 64, hwid, sizeof(hwid)));
	(void)snprintf(rel, sizeof(rel), "snp/Genoa/vcek/%s-%016llx.der",
	    hwid, (unsigned long long)r.reported_tcb);
	free(ev.p);
	put(GENOA_VCEK, rel);
	put(GENOA_CHAIN, "snp/Genoa/vcek_cert_chain.pem");
	assert_int_equal(verify_cached(GENOA_REPORT, NULL, T_2025, NULL),
	    VOUCH_ERR_CRL_MISSING);
	put(GENOA_CRL_2024, "snp/Genoa/vcek_crl.der");
	assert_int_equal(verify_cached(GENOA_REPORT, NULL, T_2025, NULL),
	    VOUCH_OK);
	/* A VLEK is never looked up by chip; its chain and CRL are. */
	assert_int_equal(verify_cached(VLEK_REPORT, NULL, T_2025, NULL),
	    VOUCH_ERR_COLLATERAL_MISSING);
	assert_int_equal(verify_cached(VLEK_REPORT, VLEK_CERT, T_2025, NULL),
	    VOUCH_ERR_NO_TRUST_ANCHOR);
	/* The VCEK chain does not issue VLEKs. */
	put(MILAN_CHAIN, "snp/Milan/vlek_cert_chain.pem");
	assert_int_not_equal(verify_cached(VLEK_REPORT, VLEK_CERT, T_2025,
	    NULL), VOUCH_OK);
	put(VLEK_CHAIN, "snp/Milan/vlek_cert_chain.pem");
	assert_int_equal(verify_cached(VLEK_REPORT, VLEK_CERT, T_2025, NULL),
	    VOUCH_ERR_CRL_MISSING);
	put(MILAN_CRL_2025, "snp/Milan/vlek_crl.der");
	assert_int_equal(verify_cached(VLEK_REPORT, VLEK_CERT, T_2025, NULL),
	    VOUCH_OK);
	vouch_ctx_free(ctx);
}

static void
test_fetch_settings(void **state)
{
	struct vouch_ctx *ctx = vouch_ctx_new();
	struct vouch_verify_config *cfg = vouch_verify_config_new();

	(void)state;
	assert_non_null(ctx);
	assert_non_null(cfg);
	assert_false(snp_kds_configured(cfg));
	assert_int_equal(vouch_verify_config_enable_fetch(ctx, cfg, "snp",
	    NULL), VOUCH_OK);
	assert_string_equal(cfg->snp_kds_url, "https://kdsintf.amd.com");
	assert_true(snp_kds_configured(cfg));
	assert_int_equal(vouch_verify_config_enable_fetch(ctx, cfg, "snp",
	    "http://127.0.0.1:8080//"), VOUCH_OK);
	assert_string_equal(cfg->snp_kds_url, "http://127.0.0.1:8080");
	assert_int_equal(vouch_verify_config_enable_fetch(ctx, cfg, "tpm",
	    NULL), VOUCH_ERR_UNSUPPORTED_PLATFORM);
	/* tdx and sgx share the Intel PCS URL, not the KDS one. */
	assert_int_equal(vouch_verify_config_enable_fetch(ctx, cfg, "tdx",
	    NULL), VOUCH_OK);
	assert_string_equal(cfg->dcap_pcs_url,
	    "https://api.trustedservices.intel.com");
	assert_string_equal(cfg->snp_kds_url, "http://127.0.0.1:8080");
	assert_int_equal(vouch_verify_config_enable_fetch(ctx, cfg, "snp",
	    "ftp://kdsintf.amd.com"), VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(vouch_verify_config_enable_fetch(ctx, cfg, "snp",
	    "kdsintf.amd.com"), VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(vouch_verify_config_enable_fetch(ctx, cfg, "snp",
	    "https://kds.example/?x=1"), VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(vouch_verify_config_enable_fetch(ctx, cfg, "snp",
	    "https://kds.example/a b"), VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(vouch_verify_config_set_cache_dir(ctx, cfg, ""),
	    VOUCH_ERR_INVALID_ARGUMENT);
	/* A rejected setting leaves the previous one. */
	assert_string_equal(cfg->snp_kds_url, "http://127.0.0.1:8080");
	vouch_verify_config_free(cfg);
	vouch_ctx_free(ctx);
}

static void
test_fetch_unreachable(void **state)
{
	(void)state;
	NEED_TESTDATA();
	/*
	 * Port 1 on the loopback: nothing listens, the connection is refused
	 * at once.  Collateral that must be fetched is a network error, not
	 * an acceptance; a fresh cache needs no network at all.
	 */
	rmtree(F.dir);
	(void)snprintf(F.dir, sizeof(F.dir), "/tmp/vouch-snp-kds-XXXXXX");
	assert_non_null(mkdtemp(F.dir));
	assert_int_equal(verify_cached(MILAN_REPORT, NULL, T_MILAN,
	    "http://127.0.0.1:1"), VOUCH_ERR_NETWORK);
	fill_milan();
	assert_int_equal(verify_cached(MILAN_REPORT, NULL, T_MILAN,
	    "http://127.0.0.1:1"), VOUCH_OK);
	/* Stale CRL with fetching on: refetched, and that fails. */
	assert_int_equal(verify_cached(MILAN_REPORT, NULL, T_2025,
	    "http://127.0.0.1:1"), VOUCH_ERR_NETWORK);
}

static void
test_retry_after_parse(void **state)
{
	(void)state;
	assert_int_equal(vouch_http_retry_after("0"), 0);
	assert_int_equal(vouch_http_retry_after("00"), 0);
	assert_int_equal(vouch_http_retry_after("120"), 120);
	assert_int_equal(vouch_http_retry_after(" \t120 "), 120);
	assert_int_equal(vouch_http_retry_after("86400"), 86400);
	/* Huge values saturate. */
	assert_int_equal(vouch_http_retry_after("86401"),
	    VOUCH_HTTP_RETRY_AFTER_MAX);
	assert_int_equal(vouch_http_retry_after("9223372036854775807"),
	    VOUCH_HTTP_RETRY_AFTER_MAX);
	assert_int_equal(vouch_http_retry_after("9223372036854775808"),
	    VOUCH_HTTP_RETRY_AFTER_MAX);
	assert_int_equal(vouch_http_retry_after(
	    "999999999999999999999999999999"), VOUCH_HTTP_RETRY_AFTER_MAX);
	/* delay-seconds is 1*DIGIT: no sign, fraction, base or unit. */
	assert_int_equal(vouch_http_retry_after("-5"), -1);
	assert_int_equal(vouch_http_retry_after("-0"), -1);
	assert_int_equal(vouch_http_retry_after("+5"), -1);
	assert_int_equal(vouch_http_retry_after("1.5"), -1);
	assert_int_equal(vouch_http_retry_after("0x10"), -1);
	assert_int_equal(vouch_http_retry_after("12abc"), -1);
	assert_int_equal(vouch_http_retry_after("120 s"), -1);
	assert_int_equal(vouch_http_retry_after("1 2"), -1);
	assert_int_equal(vouch_http_retry_after("abc"), -1);
	assert_int_equal(vouch_http_retry_after(""), -1);
	assert_int_equal(vouch_http_retry_after("   "), -1);
	/* The HTTP-date form counts as unknown. */
	assert_int_equal(vouch_http_retry_after(
	    "Wed, 21 Oct 2015 07:28:00 GMT"), -1);
	assert_int_equal(vouch_http_retry_after(
	    "Sunday, 06-Nov-94 08:49:37 GMT"), -1);
}

/* A configuration for the S-1 report: the cache and the stand-in. */
static struct vouch_verify_config *
rl_config(struct vouch_ctx *ctx)
{
	struct vouch_verify_config *cfg = vouch_verify_config_new();

	assert_non_null(cfg);
	assert_int_equal(vouch_verify_config_set_platform(ctx, cfg, "snp"),
	    VOUCH_OK);
	assert_int_equal(vouch_verify_config_set_cache_dir(ctx, cfg, F.dir),
	    VOUCH_OK);
	assert_int_equal(vouch_verify_config_enable_fetch(ctx, cfg, "snp",
	    F.srv_url), VOUCH_OK);
	vouch_verify_config_insecure_allow_debug(cfg);
	return cfg;
}

/* Verify S-1 with |cfg| at |at|. */
static enum vouch_err
rl_verify(struct vouch_ctx *ctx, struct vouch_verify_config *cfg, int64_t at)
{
	struct vouch_result *res = NULL;
	struct blob ev = td(MILAN_REPORT);
	enum vouch_err rv;

	vouch_ctx_set_time(ctx, at);
	rv = vouch_verify_evidence(ctx, cfg, ev.p, ev.n, &res);
	if (rv != VOUCH_OK) {
		assert_null(res);
		assert_int_equal(vouch_error_code(ctx), rv);
	}
	vouch_result_free(res);
	free(ev.p);
	return rv;
}

static void
assert_error_has(struct vouch_ctx *ctx, const char *want)
{
	if (strstr(vouch_error(ctx), want) == NULL) {
		fail_msg("error \"%s\" lacks \"%s\"", vouch_error(ctx), want);
	}
}

/* A clean cache with S-1's VCEK and chain, not its CRL. */
static void
rl_fresh_cache(void)
{
	rmtree(F.dir);
	(void)snprintf(F.dir, sizeof(F.dir), "/tmp/vouch-snp-kds-XXXXXX");
	assert_non_null(mkdtemp(F.dir));
	put(MILAN_VCEK, F.milan_vcek_rel);
	put(MILAN_CHAIN, "snp/Milan/vcek_cert_chain.pem");
}

static void
test_rate_limited(void **state)
{
	struct vouch_ctx *ctx = vouch_ctx_new();
	struct vouch_verify_config *cfg, *other;
	char crl[1024];
	char host[128];

	(void)state;
	NEED_TESTDATA();
	assert_non_null(ctx);
	(void)snprintf(crl, sizeof(crl), "%s/%s", testdata, MILAN_CRL_2022);
	(void)snprintf(host, sizeof(host), "rate limited by %s: ",
	    F.srv_url + strlen("http://"));
	rl_fresh_cache();
	(void)requests();
	set_mode("429 -\r\nRetry-After: 120\r\n");
	cfg = rl_config(ctx);
	/* The CRL is missing: KDS says 429, a network error naming it. */
	assert_int_equal(rl_verify(ctx, cfg, T_MILAN), VOUCH_ERR_NETWORK);
	assert_error_has(ctx, host);
	assert_error_has(ctx, "retry after 120 s");
	assert_int_equal(requests(), 1);
	/* The same configuration inside the window: no request at all. */
	assert_int_equal(rl_verify(ctx, cfg, T_MILAN + 60), VOUCH_ERR_NETWORK);
	assert_string_equal(vouch_error(ctx), "snp: AMD KDS rate-limited us; "
	    "not asking again before 2022-09-24T01:02:00Z");
	assert_int_equal(rl_verify(ctx, cfg, T_MILAN + 119),
	    VOUCH_ERR_NETWORK);
	assert_error_has(ctx, "not asking again before 2022-09-24T01:02:00Z");
	assert_int_equal(requests(), 0);
	/* The window belongs to the configuration: another one asks. */
	other = rl_config(ctx);
	assert_int_equal(rl_verify(ctx, other, T_MILAN + 60),
	    VOUCH_ERR_NETWORK);
	assert_error_has(ctx, "retry after 120 s");
	assert_int_equal(requests(), 1);
	/* Fresh cached collateral is still used meanwhile. */
	put(MILAN_CRL_2022, "snp/Milan/vcek_crl.der");
	assert_int_equal(rl_verify(ctx, other, T_MILAN + 61), VOUCH_OK);
	assert_int_equal(requests(), 0);
	del("snp/Milan/vcek_crl.der");
	vouch_verify_config_free(other);
	/* After the window KDS is asked again, and now answers. */
	set_mode("200 %s\r\n", crl);
	assert_int_equal(rl_verify(ctx, cfg, T_MILAN + 120), VOUCH_OK);
	assert_int_equal(requests(), 1);
	vouch_verify_config_free(cfg);

	/*
	 * No Retry-After: 60 s.  The VCEK is missing too: the v2 report is
	 * looked up as Milan and, after the 429, not as Genoa.
	 */
	rl_fresh_cache();
	del(F.milan_vcek_rel);
	set_mode("429 -\r\n");
	cfg = rl_config(ctx);
	assert_int_equal(rl_verify(ctx, cfg, T_MILAN), VOUCH_ERR_NETWORK);
	assert_error_has(ctx, "snp: VCEK lookup: ");
	assert_error_has(ctx, host);
	assert_error_has(ctx, "retry later");
	assert_int_equal(requests(), 1);
	assert_int_equal(rl_verify(ctx, cfg, T_MILAN + 59), VOUCH_ERR_NETWORK);
	assert_error_has(ctx, "not asking again before 2022-09-24T01:01:00Z");
	assert_int_equal(requests(), 0);
	assert_int_equal(rl_verify(ctx, cfg, T_MILAN + 60), VOUCH_ERR_NETWORK);
	assert_error_has(ctx, "retry later");
	assert_int_equal(requests(), 1);
	vouch_verify_config_free(cfg);

	/* An HTTP-date counts as unknown: 60 s as well. */
	rl_fresh_cache();
	set_mode("429 -\r\nRetry-After: Sat, 24 Sep 2022 01:30:00 GMT\r\n");
	cfg = rl_config(ctx);
	assert_int_equal(rl_verify(ctx, cfg, T_MILAN), VOUCH_ERR_NETWORK);
	assert_error_has(ctx, "retry later");
	assert_int_equal(rl_verify(ctx, cfg, T_MILAN + 59), VOUCH_ERR_NETWORK);
	assert_error_has(ctx, "not asking again before 2022-09-24T01:01:00Z");
	assert_int_equal(requests(), 1);
	vouch_verify_config_free(cfg);

	/* Garbage likewise. */
	set_mode("429 -\r\nRetry-After: -30\r\n");
	cfg = rl_config(ctx);
	assert_int_equal(rl_verify(ctx, cfg, T_MILAN), VOUCH_ERR_NETWORK);
	assert_error_has(ctx, "retry later");
	assert_int_equal(rl_verify(ctx, cfg, T_MILAN + 59), VOUCH_ERR_NETWORK);
	assert_int_equal(requests(), 1);
	vouch_verify_config_free(cfg);

	/* A huge delay is capped at an hour. */
	set_mode("429 -\r\nRetry-After: 99999999999999999999\r\n");
	cfg = rl_config(ctx);
	assert_int_equal(rl_verify(ctx, cfg, T_MILAN), VOUCH_ERR_NETWORK);
	assert_error_has(ctx, "retry after 86400 s");
	assert_int_equal(rl_verify(ctx, cfg, T_MILAN + 3599),
	    VOUCH_ERR_NETWORK);
	assert_error_has(ctx, "not asking again before 2022-09-24T02:00:00Z");
	assert_int_equal(requests(), 1);
	assert_int_equal(rl_verify(ctx, cfg, T_MILAN + 3600),
	    VOUCH_ERR_NETWORK);
	assert_error_has(ctx, "retry after 86400 s");
	assert_int_equal(requests(), 1);
	vouch_verify_config_free(cfg);

	/* Retry-After: 0 still waits a second. */
	set_mode("429 -\r\nRetry-After: 0\r\n");
	cfg = rl_config(ctx);
	assert_int_equal(rl_verify(ctx, cfg, T_MILAN), VOUCH_ERR_NETWORK);
	assert_error_has(ctx, "retry after 0 s");
	assert_int_equal(rl_verify(ctx, cfg, T_MILAN), VOUCH_ERR_NETWORK);
	assert_error_has(ctx, "not asking again before 2022-09-24T01:00:01Z");
	assert_int_equal(requests(), 1);
	set_mode("200 %s\r\n", crl);
	assert_int_equal(rl_verify(ctx, cfg, T_MILAN + 1), VOUCH_OK);
	assert_int_equal(requests(), 1);
	vouch_verify_config_free(cfg);

	/*
	 * A stale cached CRL is never the fallback: in 2025 the cached 2022
	 * list is stale, KDS says 429, and that is the answer both times.
	 */
	set_mode("429 -\r\nRetry-After: 120\r\n");
	cfg = rl_config(ctx);
	assert_int_equal(rl_verify(ctx, cfg, T_2025), VOUCH_ERR_NETWORK);
	assert_error_has(ctx, "retry after 120 s");
	assert_int_equal(rl_verify(ctx, cfg, T_2025 + 1), VOUCH_ERR_NETWORK);
	assert_error_has(ctx, "not asking again before 2025-06-01T00:02:00Z");
	assert_int_equal(requests(), 1);
	vouch_verify_config_free(cfg);
	vouch_ctx_free(ctx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cache_offline),
		cmocka_unit_test(test_cache_genoa_and_vlek),
		cmocka_unit_test(test_fetch_settings),
		cmocka_unit_test(test_fetch_unreachable),
		cmocka_unit_test(test_retry_after_parse),
		cmocka_unit_test(test_rate_limited),
	};

	snp_testdata_find();
	if (testdata == NULL) {
		return snp_testdata_missing("test_snp_kds");
	}
	return cmocka_run_group_tests(tests, setup, teardown);
}
