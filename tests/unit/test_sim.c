/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for lib/platform/sim.c: the valid path, and one negative test
 * per check, each built so that it passes only while that check exists
 * (re-signed reports for the parse-level checks).  Plus every single-byte
 * flip of the evidence, every truncation and trailing bytes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "bs/bs.h"
#include "crypto/crypto.h"
#include "platform/platform.h"
#include "platform/sim.h"
#include "util/file.h"

#define CONTAINER_REPORT_OFF	16	/* magic 8, version 2, count 2, len 4 */

struct fixture {
	char			 dir[64];
	char			 plat[96];
	char			 other[96];
	struct vouch_ctx	*ctx;
	uint8_t			*ev;
	size_t			 ev_len;
	struct sim_attest_opts	 opts;
	uint8_t			*anchor;
	size_t			 anchor_len;
};

static struct fixture F;

static void
rmtree(const char *dir)
{
	char cmd[256];

	(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void
read_anchor(const char *plat, uint8_t **buf, size_t *len)
{
	char path[256];

	assert_true(vouch_path_join(path, sizeof(path), plat, SIM_FILE_ROOT_CERT));
	assert_int_equal(vouch_file_read(NULL, path, 1 << 20, buf, len), VOUCH_OK);
}

static int
setup(void **state)
{
	struct sim_init_opts io = { .tcb_svn = 3, .root_days = 3650, .chip_days = 30 };

	(void)state;
	memset(&F, 0, sizeof(F));
	(void)snprintf(F.dir, sizeof(F.dir), "/tmp/vouch-test-sim-XXXXXX");
	assert_non_null(mkdtemp(F.dir));
	(void)snprintf(F.plat, sizeof(F.plat), "%s/p", F.dir);
	(void)snprintf(F.other, sizeof(F.other), "%s/other", F.dir);
	F.ctx = vouch_ctx_new();
	assert_non_null(F.ctx);
	vouch_ctx_set_time(F.ctx, 1800000000);
	assert_int_equal(sim_init(F.ctx, F.plat, &io), VOUCH_OK);
	assert_int_equal(sim_init(F.ctx, F.other, &io), VOUCH_OK);
	memset(F.opts.report_data, 0xab, sizeof(F.opts.report_data));
	memset(F.opts.measurement, 0x11, sizeof(F.opts.measurement));
	assert_int_equal(sim_attest(F.ctx, F.plat, &F.opts, &F.ev, &F.ev_len),
	    VOUCH_OK);
	read_anchor(F.plat, &F.anchor, &F.anchor_len);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	free(F.ev);
	free(F.anchor);
	vouch_ctx_free(F.ctx);
	rmtree(F.dir);
	return 0;
}

/* Verify |ev| at the fixture time against the fixture's root. */
static enum vouch_err
verify_full(const uint8_t *ev, size_t len, int64_t at, bool with_rd,
    bool allow_debug, const uint8_t *anchor, size_t anchor_len,
    struct vouch_result **out)
{
	struct vouch_ctx *ctx = vouch_ctx_new();
	struct vouch_verify_config *cfg = vouch_verify_config_new();
	struct vouch_result *res = NULL;
	enum vouch_err rv;

	assert_non_null(ctx);
	assert_non_null(cfg);
	vouch_ctx_set_time(ctx, at);
	assert_int_equal(vouch_verify_config_set_platform(ctx, cfg, "sim"), VOUCH_OK);
	if (anchor != NULL) {
		assert_int_equal(vouch_verify_config_add_trust_anchor(ctx, cfg,
		    anchor, anchor_len), VOUCH_OK);
	}
	if (with_rd) {
		assert_int_equal(vouch_verify_config_set_report_data(ctx, cfg,
		    F.opts.report_data, sizeof(F.opts.report_data)), VOUCH_OK);
	}
	if (allow_debug) {
		vouch_verify_config_insecure_allow_debug(cfg);
	}
	rv = vouch_verify_evidence(ctx, cfg, ev, len, &res);
	if (rv != VOUCH_OK) {
		assert_null(res);
		assert_int_equal(vouch_error_code(ctx), rv);
		assert_true(strlen(vouch_error(ctx)) > 0);
	}
	if (out != NULL) {
		*out = res;
	} else {
		vouch_result_free(res);
	}
	vouch_verify_config_free(cfg);
	vouch_ctx_free(ctx);
	return rv;
}

static enum vouch_err
verify(const uint8_t *ev, size_t len)
{
	return verify_full(ev, len, 1800000100, true, false, F.anchor,
	    F.anchor_len, NULL);
}

/* Re-sign the report inside a copy of the evidence after a mutation. */
static uint8_t *
resign(void (*mutate)(uint8_t *report))
{
	uint8_t *ev = malloc(F.ev_len);
	uint8_t *report;
	EVP_PKEY *key = NULL;
	char path[256];

	assert_non_null(ev);
	memcpy(ev, F.ev, F.ev_len);
	report = ev + CONTAINER_REPORT_OFF;
	mutate(report);
	assert_true(vouch_path_join(path, sizeof(path), F.plat, SIM_FILE_CHIP_KEY));
	assert_int_equal(vouch_key_read_pem(NULL, path, &key), VOUCH_OK);
	assert_int_equal(vouch_ecdsa_sign_raw(NULL, key, report,
	    SIM_REPORT_SIGNED_LEN, report + SIM_REPORT_SIGNED_LEN, 96), VOUCH_OK);
	EVP_PKEY_free(key);
	return ev;
}

static void
test_valid(void **state)
{
	struct vouch_result *res = NULL;
	const uint8_t *p;
	size_t n;
	int64_t v;
	int b;
	const char *s;
	char *json;

	(void)state;
	assert_int_equal(verify_full(F.ev, F.ev_len, 1800000100, true, false,
	    F.anchor, F.anchor_len, &res), VOUCH_OK);
	assert_string_equal(vouch_result_platform(res), "sim");
	assert_int_equal(vouch_result_report_data_checked(res), 1);
	assert_true(vouch_claims_get_string(vouch_result_claims(res), "platform", &s));
	assert_string_equal(s, "sim");
	assert_true(vouch_claims_get_bytes(vouch_result_claims(res), "measurement", &p, &n));
	assert_int_equal(n, 48);
	assert_memory_equal(p, F.opts.measurement, 48);
	assert_true(vouch_claims_get_bytes(vouch_result_claims(res), "report_data", &p, &n));
	assert_int_equal(n, 64);
	assert_memory_equal(p, F.opts.report_data, 64);
	assert_true(vouch_claims_get_bool(vouch_result_claims(res), "debug", &b));
	assert_int_equal(b, 0);
	assert_true(vouch_claims_get_int(vouch_result_claims(res), "sim.tcb_svn", &v));
	assert_int_equal(v, 3);
	assert_true(vouch_claims_get_int(vouch_result_claims(res), "sim.time", &v));
	assert_int_equal(v, 1800000000);
	json = vouch_result_to_json(res);
	assert_non_null(json);
	assert_non_null(strstr(json, "\"report_data_binding\":\"checked\""));
	free(json);
	vouch_result_free(res);
}

static void
test_binding_unchecked_is_reported(void **state)
{
	struct vouch_result *res = NULL;
	char *json;

	(void)state;
	assert_int_equal(verify_full(F.ev, F.ev_len, 1800000100, false, false,
	    F.anchor, F.anchor_len, &res), VOUCH_OK);
	assert_int_equal(vouch_result_report_data_checked(res), 0);
	json = vouch_result_to_json(res);
	assert_non_null(strstr(json, "\"report_data_binding\":\"unchecked\""));
	assert_non_null(strstr(json, "\"unchecked\":[\"report_data\"]"));
	free(json);
	vouch_result_free(res);
}

static void
test_every_byte_flip_rejected(void **state)
{
	uint8_t *ev = malloc(F.ev_len);
	enum vouch_err rv;
	size_t i;

	(void)state;
	assert_non_null(ev);
	for (i = 0; i < F.ev_len; i++) {
		memcpy(ev, F.ev, F.ev_len);
		ev[i] ^= 0x01;
		rv = verify(ev, F.ev_len);
		if (rv == VOUCH_OK) {
			fail_msg("flip at byte %zu accepted", i);
		}
		/* Inside the signed range: a signature or parse error. */
		if (i >= CONTAINER_REPORT_OFF &&
		    i < CONTAINER_REPORT_OFF + SIM_REPORT_SIGNED_LEN &&
		    rv != VOUCH_ERR_SIGNATURE_INVALID &&
		    rv != VOUCH_ERR_UNSUPPORTED_VERSION &&
		    rv != VOUCH_ERR_RESERVED_NONZERO) {
			fail_msg("flip at byte %zu: %s", i, vouch_errname(rv));
		}
		ev[i] ^= 0x81;
		if (verify(ev, F.ev_len) == VOUCH_OK) {
			fail_msg("flip 0x80 at byte %zu accepted", i);
		}
	}
	free(ev);
}

static void
test_every_truncation_rejected(void **state)
{
	uint8_t *ev;
	size_t n;

	(void)state;
	for (n = 0; n < F.ev_len; n++) {
		ev = malloc(n == 0 ? 1 : n);
		assert_non_null(ev);
		memcpy(ev, F.ev, n);
		if (verify(ev, n) != VOUCH_ERR_TRUNCATED) {
			fail_msg("truncation to %zu bytes: %s", n,
			    vouch_errname(verify(ev, n)));
		}
		free(ev);
	}
}

static void
test_trailing_bytes_rejected(void **state)
{
	uint8_t *ev = malloc(F.ev_len + 1);

	(void)state;
	assert_non_null(ev);
	memcpy(ev, F.ev, F.ev_len);
	ev[F.ev_len] = 0;
	assert_int_equal(verify(ev, F.ev_len + 1), VOUCH_ERR_TRAILING_DATA);
	free(ev);
}

static void
test_wrong_anchor(void **state)
{
	uint8_t *other;
	size_t other_len;

	(void)state;
	read_anchor(F.other, &other, &other_len);
	assert_int_equal(verify_full(F.ev, F.ev_len, 1800000100, true, false,
	    other, other_len, NULL), VOUCH_ERR_CHAIN_INVALID);
	free(other);
	assert_int_equal(verify_full(F.ev, F.ev_len, 1800000100, true, false,
	    NULL, 0, NULL), VOUCH_ERR_NO_TRUST_ANCHOR);
}

static void
test_chip_cert_validity(void **state)
{
	(void)state;
	/* The chip certificate is valid for 30 days from 1800000000. */
	assert_int_equal(verify_full(F.ev, F.ev_len, 1800000000 + 31 * 86400,
	    true, false, F.anchor, F.anchor_len, NULL), VOUCH_ERR_CERT_EXPIRED);
	assert_int_equal(verify_full(F.ev, F.ev_len, 1800000000 - 86400,
	    true, false, F.anchor, F.anchor_len, NULL),
	    VOUCH_ERR_CERT_NOT_YET_VALID);
}

static void
mut_time_future(uint8_t *r)
{
	uint64_t t = 1800000000 + 3600;

	memcpy(r + 0x10, &t, 8);	/* little-endian host assumed below */
}

static void
test_report_time_after_verification(void **state)
{
	uint8_t *ev;
	uint16_t one = 1;

	(void)state;
	if (*(uint8_t *)&one != 1) {
		skip();
	}
	ev = resign(mut_time_future);
	assert_int_equal(verify(ev, F.ev_len), VOUCH_ERR_REPORT_FROM_FUTURE);
	free(ev);
}

static void
test_report_data_mismatch(void **state)
{
	struct vouch_ctx *ctx = vouch_ctx_new();
	struct vouch_verify_config *cfg = vouch_verify_config_new();
	struct vouch_result *res = NULL;
	uint8_t rd[65];

	(void)state;
	memcpy(rd, F.opts.report_data, 64);
	rd[63] ^= 1;
	vouch_ctx_set_time(ctx, 1800000100);
	assert_int_equal(vouch_verify_config_add_trust_anchor(ctx, cfg,
	    F.anchor, F.anchor_len), VOUCH_OK);
	/* Wrong lengths are errors, never padded or truncated. */
	assert_int_equal(vouch_verify_config_set_report_data(ctx, cfg, rd, 63),
	    VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(vouch_verify_config_set_report_data(ctx, cfg, rd, 65),
	    VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(vouch_verify_config_set_report_data(ctx, cfg, rd, 64),
	    VOUCH_OK);
	assert_int_equal(vouch_verify_evidence(ctx, cfg, F.ev, F.ev_len, &res),
	    VOUCH_ERR_REPORT_DATA_MISMATCH);
	assert_null(res);
	vouch_verify_config_free(cfg);
	vouch_ctx_free(ctx);
}

static void
test_debug_rejected_unless_insecure(void **state)
{
	struct sim_attest_opts o = F.opts;
	struct vouch_result *res = NULL;
	uint8_t *ev = NULL;
	size_t len = 0;
	char *json;

	(void)state;
	o.debug = true;
	assert_int_equal(sim_attest(F.ctx, F.plat, &o, &ev, &len), VOUCH_OK);
	assert_int_equal(verify(ev, len), VOUCH_ERR_DEBUG_ENABLED);
	assert_int_equal(verify_full(ev, len, 1800000100, true, true, F.anchor,
	    F.anchor_len, &res), VOUCH_OK);
	json = vouch_result_to_json(res);
	assert_non_null(strstr(json, "\"insecure_relaxed\":[\"debug\"]"));
	free(json);
	vouch_result_free(res);
	free(ev);
}

static void
mut_reserved32(uint8_t *r)
{
	r[0x0c] = 1;
}

static void
mut_reserved_tail(uint8_t *r)
{
	r[0xdf] = 1;
}

static void
mut_flags(uint8_t *r)
{
	r[0x04] |= 0x02;
}

static void
mut_chip_id(uint8_t *r)
{
	r[0x88] ^= 0xff;
}

static void
mut_version(uint8_t *r)
{
	r[0x00] = 2;
}

static void
test_resigned_field_checks(void **state)
{
	static const struct {
		void		(*mutate)(uint8_t *);
		enum vouch_err	 want;
	} cases[] = {
		{ mut_reserved32, VOUCH_ERR_RESERVED_NONZERO },
		{ mut_reserved_tail, VOUCH_ERR_RESERVED_NONZERO },
		{ mut_flags, VOUCH_ERR_RESERVED_NONZERO },
		{ mut_chip_id, VOUCH_ERR_CHIP_ID_MISMATCH },
		{ mut_version, VOUCH_ERR_UNSUPPORTED_VERSION },
	};
	uint8_t *ev;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ev = resign(cases[i].mutate);
		assert_int_equal(verify(ev, F.ev_len), cases[i].want);
		free(ev);
	}
}

/* A container around |report| with |cert| as the chip certificate. */
static uint8_t *
container(const uint8_t *report, const uint8_t *cert, size_t cert_len,
    size_t *out_len)
{
	size_t n = CONTAINER_REPORT_OFF + SIM_REPORT_LEN + 4 + cert_len;
	uint8_t *ev = malloc(n);

	assert_non_null(ev);
	memcpy(ev, F.ev, CONTAINER_REPORT_OFF);
	memcpy(ev + CONTAINER_REPORT_OFF, report, SIM_REPORT_LEN);
	ev[CONTAINER_REPORT_OFF + SIM_REPORT_LEN] = (uint8_t)cert_len;
	ev[CONTAINER_REPORT_OFF + SIM_REPORT_LEN + 1] = (uint8_t)(cert_len >> 8);
	ev[CONTAINER_REPORT_OFF + SIM_REPORT_LEN + 2] = 0;
	ev[CONTAINER_REPORT_OFF + SIM_REPORT_LEN + 3] = 0;
	memcpy(ev + CONTAINER_REPORT_OFF + SIM_REPORT_LEN + 4, cert, cert_len);
	*out_len = n;
	return ev;
}

/* The chip key certified as a CA, or a chip cert for a P-256 key. */
static void
test_chip_cert_kind(void **state)
{
	struct vouch_cert_spec spec;
	EVP_PKEY *root_key = NULL, *chip_key = NULL, *p256 = NULL;
	X509 *root = NULL, *cert = NULL;
	uint8_t report[SIM_REPORT_LEN], *der = NULL, *ev;
	char path[256], chip_hex[65];
	size_t der_len, ev_len;

	(void)state;
	assert_true(vouch_path_join(path, sizeof(path), F.plat, SIM_FILE_ROOT_KEY));
	assert_int_equal(vouch_key_read_pem(NULL, path, &root_key), VOUCH_OK);
	assert_true(vouch_path_join(path, sizeof(path), F.plat, SIM_FILE_ROOT_CERT));
	assert_int_equal(vouch_cert_read_pem(NULL, path, &root), VOUCH_OK);
	assert_true(vouch_path_join(path, sizeof(path), F.plat, SIM_FILE_CHIP_KEY));
	assert_int_equal(vouch_key_read_pem(NULL, path, &chip_key), VOUCH_OK);
	memcpy(report, F.ev + CONTAINER_REPORT_OFF, SIM_REPORT_LEN);
	assert_true(vouch_hex_encode(report + 0x88, 32, chip_hex, sizeof(chip_hex)));
	memset(&spec, 0, sizeof(spec));
	spec.common_name = "vouch sim chip";
	spec.serial_attr = chip_hex;
	spec.not_before = 1800000000 - 10;
	spec.not_after = 1800000000 + 86400;
	spec.is_ca = true;
	spec.path_len = 0;
	assert_int_equal(vouch_cert_build(NULL, &spec, chip_key, root, root_key,
	    &cert), VOUCH_OK);
	assert_int_equal(vouch_cert_to_der(NULL, cert, &der, &der_len), VOUCH_OK);
	ev = container(report, der, der_len, &ev_len);
	assert_int_equal(verify(ev, ev_len), VOUCH_ERR_CHAIN_INVALID);
	free(ev);
	free(der);
	X509_free(cert);

	/* A P-256 chip key is not the sim scheme. */
	p256 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	assert_non_null(p256);
	spec.is_ca = false;
	spec.path_len = -1;
	assert_int_equal(vouch_cert_build(NULL, &spec, p256, root, root_key,
	    &cert), VOUCH_OK);
	assert_int_equal(vouch_cert_to_der(NULL, cert, &der, &der_len), VOUCH_OK);
	ev = container(report, der, der_len, &ev_len);
	assert_int_equal(verify(ev, ev_len), VOUCH_ERR_BAD_KEY);
	free(ev);
	free(der);
	X509_free(cert);
	EVP_PKEY_free(p256);
	EVP_PKEY_free(chip_key);
	EVP_PKEY_free(root_key);
	X509_free(root);
}

static void
test_container_fields(void **state)
{
	uint8_t *ev = malloc(F.ev_len);

	(void)state;
	assert_non_null(ev);
	memcpy(ev, F.ev, F.ev_len);
	ev[0] = 'X';
	assert_int_equal(verify(ev, F.ev_len), VOUCH_ERR_BAD_MAGIC);
	memcpy(ev, F.ev, F.ev_len);
	ev[8] = 2;
	assert_int_equal(verify(ev, F.ev_len), VOUCH_ERR_UNSUPPORTED_VERSION);
	memcpy(ev, F.ev, F.ev_len);
	ev[10] = 0;
	assert_int_equal(verify(ev, F.ev_len), VOUCH_ERR_BAD_FIELD);
	memcpy(ev, F.ev, F.ev_len);
	ev[10] = 5;
	assert_int_equal(verify(ev, F.ev_len), VOUCH_ERR_BAD_FIELD);
	memcpy(ev, F.ev, F.ev_len);
	ev[10] = 2;	/* declares a second certificate that is not there */
	assert_int_equal(verify(ev, F.ev_len), VOUCH_ERR_TRUNCATED);
	/* The report length field set to 0, the maximum and remaining + 1. */
	memcpy(ev, F.ev, F.ev_len);
	memset(ev + 12, 0, 4);
	assert_int_not_equal(verify(ev, F.ev_len), VOUCH_OK);
	memset(ev + 12, 0xff, 4);
	assert_int_equal(verify(ev, F.ev_len), VOUCH_ERR_TRUNCATED);
	memcpy(ev, F.ev, F.ev_len);
	ev[12] = (uint8_t)(F.ev_len - CONTAINER_REPORT_OFF + 1);
	ev[13] = (uint8_t)((F.ev_len - CONTAINER_REPORT_OFF + 1) >> 8);
	assert_int_equal(verify(ev, F.ev_len), VOUCH_ERR_TRUNCATED);
	free(ev);
}

static void
test_auto_detect_and_platform_names(void **state)
{
	struct vouch_ctx *ctx = vouch_ctx_new();
	struct vouch_verify_config *cfg = vouch_verify_config_new();
	struct vouch_result *res = NULL;
	static const uint8_t junk[] = "not evidence at all";

	(void)state;
	assert_int_equal(vouch_verify_config_set_platform(ctx, cfg, "bogus"),
	    VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(vouch_verify_config_set_platform(ctx, cfg, "auto"),
	    VOUCH_OK);
	assert_int_equal(vouch_verify_evidence(ctx, cfg, junk, sizeof(junk), &res),
	    VOUCH_ERR_UNKNOWN_FORMAT);
	assert_int_equal(vouch_verify_config_add_endorsement(ctx, cfg, junk,
	    sizeof(junk)), VOUCH_ERR_UNKNOWN_FORMAT);
	vouch_verify_config_free(cfg);
	vouch_ctx_free(ctx);
}

/* One configuration, reused: the chain cache must never mask a check. */
static void
test_chain_cache(void **state)
{
	struct vouch_ctx *ctx = vouch_ctx_new();
	struct vouch_verify_config *cfg = vouch_verify_config_new();
	struct vouch_result *res = NULL;
	uint8_t *ev = malloc(F.ev_len), *other = NULL;
	size_t other_len = 0;
	int i;

	(void)state;
	assert_non_null(ev);
	assert_int_equal(vouch_verify_config_add_trust_anchor(ctx, cfg,
	    F.anchor, F.anchor_len), VOUCH_OK);
	for (i = 0; i < 3; i++) {
		vouch_ctx_set_time(ctx, 1800000100);
		assert_int_equal(vouch_verify_evidence(ctx, cfg, F.ev, F.ev_len,
		    &res), VOUCH_OK);
		vouch_result_free(res);
		res = NULL;
		/* Cached chain, but the chip certificate has expired by then. */
		vouch_ctx_set_time(ctx, 1800000000 + 31 * 86400);
		assert_int_equal(vouch_verify_evidence(ctx, cfg, F.ev, F.ev_len,
		    &res), VOUCH_ERR_CERT_EXPIRED);
		vouch_ctx_set_time(ctx, 1800000000 - 86400);
		assert_int_equal(vouch_verify_evidence(ctx, cfg, F.ev, F.ev_len,
		    &res), VOUCH_ERR_CERT_NOT_YET_VALID);
	}
	/* Cached chain: a flipped signed byte still fails the signature. */
	vouch_ctx_set_time(ctx, 1800000100);
	memcpy(ev, F.ev, F.ev_len);
	ev[CONTAINER_REPORT_OFF + 0x48] ^= 1;
	assert_int_equal(vouch_verify_evidence(ctx, cfg, ev, F.ev_len, &res),
	    VOUCH_ERR_SIGNATURE_INVALID);
	/* Another platform's chip is not in the cache and not trusted. */
	assert_int_equal(sim_attest(F.ctx, F.other, &F.opts, &other, &other_len),
	    VOUCH_OK);
	assert_int_equal(vouch_verify_evidence(ctx, cfg, other, other_len, &res),
	    VOUCH_ERR_CHAIN_INVALID);
	assert_null(res);
	free(other);
	free(ev);
	vouch_verify_config_free(cfg);
	vouch_ctx_free(ctx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_binding_unchecked_is_reported),
		cmocka_unit_test(test_every_byte_flip_rejected),
		cmocka_unit_test(test_every_truncation_rejected),
		cmocka_unit_test(test_trailing_bytes_rejected),
		cmocka_unit_test(test_wrong_anchor),
		cmocka_unit_test(test_chip_cert_validity),
		cmocka_unit_test(test_report_time_after_verification),
		cmocka_unit_test(test_report_data_mismatch),
		cmocka_unit_test(test_debug_rejected_unless_insecure),
		cmocka_unit_test(test_resigned_field_checks),
		cmocka_unit_test(test_chip_cert_kind),
		cmocka_unit_test(test_container_fields),
		cmocka_unit_test(test_auto_detect_and_platform_names),
		cmocka_unit_test(test_chain_cache),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
