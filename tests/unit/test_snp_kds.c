/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for lib/platform/snp_kds.c without a network: the collateral
 * cache directory, filled at run time from the real testdata (read in
 * place, written only to a temporary directory), used offline; stale,
 * missing, misplaced and corrupt cached collateral; the fetch settings;
 * and a download that cannot connect.  The downloads themselves run
 * against a local KDS stand-in in tests/integration/cli_snp_collateral.sh.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "bs/bs.h"
#include "crypto/crypto.h"
#include "platform/platform.h"
#include "platform/snp.h"
#include "platform/snp_certs.h"
#include "platform/snp_kds.h"
#include "snp_testdata.h"

struct fixture {
	char	dir[64];
	char	milan_vcek_rel[512];
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
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cache_offline),
		cmocka_unit_test(test_cache_genoa_and_vlek),
		cmocka_unit_test(test_fetch_settings),
		cmocka_unit_test(test_fetch_unreachable),
	};

	snp_testdata_find();
	if (testdata == NULL) {
		return snp_testdata_missing("test_snp_kds");
	}
	return cmocka_run_group_tests(tests, setup, teardown);
}
