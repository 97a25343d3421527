/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for lib/platform/dcap_guest.c without a TEE: configfs-tsm and
 * Gramine's /dev/attestation as trees of plain files made at run time from
 * real quotes (tdx/trustee_tdx_quote_6.dat, sgx/trustee_occlum_quote_v3.dat,
 * read in place from $VOUCH_TESTDATA).
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

#include "platform/dcap.h"
#include "platform/dcap_guest.h"
#include "platform/tsm.h"
#include "snp_testdata.h"

#define TDX_QUOTE	"tdx/trustee_tdx_quote_6.dat"
#define SGX_QUOTE	"sgx/trustee_occlum_quote_v3.dat"

static char root[64];

static void
put(const char *dir, const char *name, const void *p, size_t n)
{
	char path[256];

	(void)snprintf(path, sizeof(path), "%s/%s/%s", root, dir, name);
	assert_int_equal(vouch_file_write(NULL, path, p, n, 0644), VOUCH_OK);
}

/* rm -rf {root}/{sub} (sub "" removes the root), then mkdir -p {mk}. */
static void
sh(const char *sub, const char *mk)
{
	char cmd[512];

	if (mk != NULL) {
		(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s/%s' && "
		    "mkdir -p '%s/%s'", root, sub, root, mk);
	} else {
		(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s/%s'", root, sub);
	}
	assert_int_equal(system(cmd), 0);
}

/* The report data the real quote |q| carries. */
static void
quote_rd(const struct blob *q, uint32_t tee, uint8_t rd[64])
{
	struct dcap_quote dq;

	assert_int_equal(dcap_quote_parse(NULL, q->p, q->n, &dq), VOUCH_OK);
	assert_int_equal(dq.tee_type, tee);
	memcpy(rd, tee == DCAP_TEE_TDX ? dq.td.report_data :
	    dq.sgx.report_data, 64);
}

static void
fake_tsm(const char *provider, const uint8_t *q, size_t n)
{
	sh("tsm", "tsm/report/e1");
	put("tsm/report/e1", "provider", provider, strlen(provider));
	put("tsm/report/e1", "generation", "1\n", 2);
	put("tsm/report/e1", "inblob", "", 0);
	put("tsm/report/e1", "privlevel", "", 0);
	put("tsm/report/e1", "outblob", q, n);
}

static void
fake_gramine(const char *type, const uint8_t *q, size_t n)
{
	sh("att", "att");
	if (type != NULL) {
		put("att", "attestation_type", type, strlen(type));
	}
	put("att", "user_report_data", "", 0);
	if (q != NULL) {
		put("att", "quote", q, n);
	}
}

static enum vouch_err
collect(int sgx, const uint8_t rd[64], struct blob *out)
{
	struct vouch_ctx *ctx = vouch_ctx_new();
	char dir[128];
	enum vouch_err rv;

	assert_non_null(ctx);
	(void)snprintf(dir, sizeof(dir), "%s/%s", root, sgx ? "att" : "tsm");
	rv = sgx ? dcap_collect_sgx(ctx, dir, rd, &out->p, &out->n) :
	    dcap_collect_tdx(ctx, dir, rd, &out->p, &out->n);
	if (rv != VOUCH_OK) {
		assert_int_equal(vouch_error_code(ctx), rv);
		assert_null(out->p);
		assert_int_equal(out->n, 0);
	}
	vouch_ctx_free(ctx);
	return rv;
}

static int
setup(void **state)
{
	(void)state;
	(void)snprintf(root, sizeof(root), "/tmp/vouch-dcapg-XXXXXX");
	assert_non_null(mkdtemp(root));
	assert_int_equal(setenv("VOUCH_TSM_ENTRY", "e1", 1), 0);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	sh("", NULL);
	return 0;
}

static void
test_tdx(void **state)
{
	struct blob q, out, in;
	uint8_t rd[64], *big;
	char path[256];

	(void)state;
	NEED_TESTDATA();
	q = td(TDX_QUOTE);
	quote_rd(&q, DCAP_TEE_TDX, rd);
	/* No configfs-tsm at all. */
	sh("tsm", NULL);
	assert_int_equal(collect(0, rd, &out), VOUCH_ERR_NOT_FOUND);
	fake_tsm("tdx_guest\n", q.p, q.n);
	assert_int_equal(collect(0, rd, &out), VOUCH_OK);
	assert_int_equal(out.n, q.n);
	assert_memory_equal(out.p, q.p, q.n);
	free(out.p);
	(void)snprintf(path, sizeof(path), "%s/tsm/report/e1/inblob", root);
	assert_int_equal(vouch_file_read(NULL, path, 4096, &in.p, &in.n),
	    VOUCH_OK);
	assert_int_equal(in.n, 64);
	assert_memory_equal(in.p, rd, 64);
	free(in.p);
	/* Another provider. */
	fake_tsm("sev_guest\n", q.p, q.n);
	assert_int_not_equal(collect(0, rd, &out), VOUCH_OK);
	/* Empty quote. */
	fake_tsm("tdx_guest\n", q.p, 0);
	assert_int_not_equal(collect(0, rd, &out), VOUCH_OK);
	/* Oversized quote (above TSM_OUTBLOB_MAX). */
	big = calloc(1, TSM_OUTBLOB_MAX + 1);
	assert_non_null(big);
	memcpy(big, q.p, q.n);
	fake_tsm("tdx_guest\n", big, TSM_OUTBLOB_MAX + 1);
	assert_int_equal(collect(0, rd, &out), VOUCH_ERR_TOO_LARGE);
	free(big);
	/* A quote for other report data. */
	fake_tsm("tdx_guest\n", q.p, q.n);
	rd[0] ^= 1;
	assert_int_equal(collect(0, rd, &out),
	    VOUCH_ERR_REPORT_DATA_MISMATCH);
	free(q.p);
}

static void
test_tdx_gets_sgx_quote(void **state)
{
	struct blob q, out;
	uint8_t rd[64];

	(void)state;
	NEED_TESTDATA();
	q = td(SGX_QUOTE);
	quote_rd(&q, DCAP_TEE_SGX, rd);
	fake_tsm("tdx_guest\n", q.p, q.n);
	assert_int_equal(collect(0, rd, &out), VOUCH_ERR_PLATFORM_MISMATCH);
	free(q.p);
}

static void
test_sgx(void **state)
{
	struct blob q, out, in;
	uint8_t rd[64], *big;
	char path[256];

	(void)state;
	NEED_TESTDATA();
	q = td(SGX_QUOTE);
	quote_rd(&q, DCAP_TEE_SGX, rd);
	sh("att", NULL);
	assert_int_equal(collect(1, rd, &out), VOUCH_ERR_NOT_FOUND);
	fake_gramine("dcap\n", q.p, q.n);
	assert_int_equal(collect(1, rd, &out), VOUCH_OK);
	assert_int_equal(out.n, q.n);
	assert_memory_equal(out.p, q.p, q.n);
	free(out.p);
	(void)snprintf(path, sizeof(path), "%s/att/user_report_data", root);
	assert_int_equal(vouch_file_read(NULL, path, 4096, &in.p, &in.n),
	    VOUCH_OK);
	assert_int_equal(in.n, 64);
	assert_memory_equal(in.p, rd, 64);
	free(in.p);
	/* Other attestation types, missing files. */
	fake_gramine("epid\n", q.p, q.n);
	assert_int_equal(collect(1, rd, &out),
	    VOUCH_ERR_UNSUPPORTED_PLATFORM);
	fake_gramine("none", q.p, q.n);
	assert_int_equal(collect(1, rd, &out),
	    VOUCH_ERR_UNSUPPORTED_PLATFORM);
	fake_gramine(NULL, q.p, q.n);
	assert_int_equal(collect(1, rd, &out), VOUCH_ERR_NOT_FOUND);
	fake_gramine("dcap", NULL, 0);
	assert_int_not_equal(collect(1, rd, &out), VOUCH_OK);
	/* Empty and oversized quotes. */
	fake_gramine("dcap", q.p, 0);
	assert_int_equal(collect(1, rd, &out), VOUCH_ERR_TRUNCATED);
	big = calloc(1, DCAP_QUOTE_MAX + 1);
	assert_non_null(big);
	memcpy(big, q.p, q.n);
	fake_gramine("dcap", big, DCAP_QUOTE_MAX + 1);
	assert_int_equal(collect(1, rd, &out), VOUCH_ERR_TOO_LARGE);
	free(big);
	/* A TDX quote from the SGX interface. */
	free(q.p);
	q = td(TDX_QUOTE);
	fake_gramine("dcap", q.p, q.n);
	assert_int_equal(collect(1, rd, &out), VOUCH_ERR_PLATFORM_MISMATCH);
	free(q.p);
}

static void
test_sgx_root(void **state)
{
	(void)state;
	assert_string_equal(dcap_sgx_root("/x"), "/x");
	assert_int_equal(unsetenv("VOUCH_SGX_ATTESTATION_ROOT"), 0);
	assert_string_equal(dcap_sgx_root(NULL), DCAP_SGX_ROOT_DEFAULT);
	assert_int_equal(setenv("VOUCH_SGX_ATTESTATION_ROOT", "/y", 1), 0);
	assert_string_equal(dcap_sgx_root(NULL), "/y");
	assert_string_equal(dcap_sgx_root("/x"), "/x");
	assert_int_equal(unsetenv("VOUCH_SGX_ATTESTATION_ROOT"), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tdx),
		cmocka_unit_test(test_tdx_gets_sgx_quote),
		cmocka_unit_test(test_sgx),
		cmocka_unit_test(test_sgx_root),
	};

	snp_testdata_find();
	return cmocka_run_group_tests(tests, setup, teardown);
}
