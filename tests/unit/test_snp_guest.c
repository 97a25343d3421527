/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for lib/platform/tsm.c and lib/platform/snp_guest.c without
 * an SNP guest: configfs-tsm on a tree of plain files made at run time
 * from the real Milan report (testdata read in place), MSG_REPORT_RSP
 * parsing, and the sev-guest ioctl path's failures on a device that is
 * not one.  The CLI side is tests/integration/cli_snp_collect.sh.
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
#include "crypto/crypto.h"
#include "platform/snp.h"
#include "platform/snp_guest.h"
#include "platform/tsm.h"
#include "snp_testdata.h"

struct fixture {
	char	root[64];
	char	entry[128];
	uint8_t	rd[64];
};

static struct fixture F;

static void
put(const char *name, const void *p, size_t n)
{
	char path[256];

	assert_true(vouch_path_join(path, sizeof(path), F.entry, name));
	assert_int_equal(vouch_file_write(NULL, path, p, n, 0644), VOUCH_OK);
}

static void
puts_attr(const char *name, const char *s)
{
	put(name, s, strlen(s));
}

static void
fake_entry(void)
{
	struct blob rep = td(MILAN_REPORT);
	char cmd[512];

	(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s' && mkdir -p '%s'",
	    F.entry, F.entry);
	assert_int_equal(system(cmd), 0);
	puts_attr("provider", "sev_guest\n");
	puts_attr("generation", "41\n");
	puts_attr("inblob", "");
	puts_attr("privlevel", "");
	put("outblob", rep.p, rep.n);
	free(rep.p);
}

static int
setup(void **state)
{
	(void)state;
	(void)snprintf(F.root, sizeof(F.root), "/tmp/vouch-tsm-XXXXXX");
	assert_non_null(mkdtemp(F.root));
	(void)snprintf(F.entry, sizeof(F.entry), "%s/report/e1", F.root);
	memset(F.rd, 0, sizeof(F.rd));
	memcpy(F.rd, "\x01\x02\x03\x04\x05", 5);	/* S-1's REPORT_DATA */
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", F.root);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static enum vouch_err
get(const char *entry, const char *provider, size_t inlen, int privlevel,
    struct tsm_report *out)
{
	struct vouch_ctx *ctx = vouch_ctx_new();
	struct tsm_request req;
	enum vouch_err rv;

	memset(&req, 0, sizeof(req));
	req.root = F.root;
	req.entry = entry;
	req.provider = provider;
	req.inblob = F.rd;
	req.inblob_len = inlen;
	req.privlevel = privlevel;
	rv = tsm_get_report(ctx, &req, out);
	if (rv != VOUCH_OK) {
		assert_int_equal(vouch_error_code(ctx), rv);
		assert_null(out->outblob);
	}
	vouch_ctx_free(ctx);
	return rv;
}

static void
test_tsm(void **state)
{
	struct tsm_report r;
	struct blob in;
	char path[256];

	(void)state;
	NEED_TESTDATA();
	assert_false(tsm_available(F.root));
	fake_entry();
	assert_true(tsm_available(F.root));
	assert_string_equal(tsm_root("/x"), "/x");
	assert_int_equal(get("e1", "sev_guest", 64, 2, &r), VOUCH_OK);
	assert_string_equal(r.provider, "sev_guest");
	assert_int_equal(r.generation, 41);
	assert_int_equal(r.outblob_len, SNP_REPORT_LEN);
	assert_null(r.auxblob);
	tsm_report_clear(&r);
	assert_true(vouch_path_join(path, sizeof(path), F.entry, "inblob"));
	assert_int_equal(vouch_file_read(NULL, path, 4096, &in.p, &in.n),
	    VOUCH_OK);
	assert_int_equal(in.n, 64);
	assert_memory_equal(in.p, F.rd, 64);
	free(in.p);
	assert_true(vouch_path_join(path, sizeof(path), F.entry, "privlevel"));
	assert_int_equal(vouch_file_read(NULL, path, 4096, &in.p, &in.n),
	    VOUCH_OK);
	assert_int_equal(in.n, 2);
	assert_memory_equal(in.p, "2\n", 2);
	free(in.p);
	/* Any provider when none is required. */
	assert_int_equal(get("e1", NULL, 64, -1, &r), VOUCH_OK);
	tsm_report_clear(&r);
	/* An empty auxblob is none. */
	puts_attr("auxblob", "");
	assert_int_equal(get("e1", NULL, 64, -1, &r), VOUCH_OK);
	assert_null(r.auxblob);
	tsm_report_clear(&r);

	/* Refusals. */
	assert_int_equal(get("e1", "tdx_guest", 64, -1, &r),
	    VOUCH_ERR_UNSUPPORTED_PLATFORM);
	assert_int_equal(get("e1", "sev_guest", 0, -1, &r),
	    VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(get("e1", "sev_guest", 65, -1, &r),
	    VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(get("e1", "sev_guest", 64, 4, &r),
	    VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(get("a/b", "sev_guest", 64, -1, &r),
	    VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(get("..", "sev_guest", 64, -1, &r),
	    VOUCH_ERR_INVALID_ARGUMENT);
	puts_attr("generation", "");
	assert_int_equal(get("e1", "sev_guest", 64, -1, &r),
	    VOUCH_ERR_BAD_FIELD);
	puts_attr("generation", "99999999999999999999999\n");
	assert_int_equal(get("e1", "sev_guest", 64, -1, &r),
	    VOUCH_ERR_BAD_FIELD);
	puts_attr("generation", "41\n");
	puts_attr("provider", "sev_guest\nx\n");
	assert_int_equal(get("e1", "sev_guest", 64, -1, &r),
	    VOUCH_ERR_UNSUPPORTED_PLATFORM);
	puts_attr("provider", "sev_guest\n");
	put("outblob", "", 0);
	assert_int_equal(get("e1", "sev_guest", 64, -1, &r),
	    VOUCH_ERR_TRUNCATED);
	/* No inblob attribute: never created by us. */
	fake_entry();
	assert_true(vouch_path_join(path, sizeof(path), F.entry, "inblob"));
	assert_int_equal(remove(path), 0);
	assert_int_equal(get("e1", "sev_guest", 64, -1, &r),
	    VOUCH_ERR_NOT_FOUND);
	assert_int_equal(access(path, F_OK), -1);
	/* A fresh entry on plain files has no provider; it is removed. */
	assert_int_equal(get(NULL, "sev_guest", 64, -1, &r),
	    VOUCH_ERR_NOT_FOUND);
	assert_true(vouch_path_join(path, sizeof(path), F.root, "report/e2"));
	assert_int_equal(get("e2", "sev_guest", 64, -1, &r),
	    VOUCH_ERR_NOT_FOUND);
	assert_int_equal(access(path, F_OK), -1);
}

static void
test_msg_report_rsp(void **state)
{
	struct vouch_ctx *ctx = vouch_ctx_new();
	uint8_t buf[4000];
	const uint8_t *rep;
	size_t n;

	(void)state;
	memset(buf, 0, sizeof(buf));
	buf[4] = 0xa0;			/* REPORT_SIZE 0x4a0 */
	buf[5] = 0x04;
	buf[0x20] = 2;
	assert_int_equal(snp_msg_report_rsp_parse(ctx, buf, sizeof(buf), &rep,
	    &n), VOUCH_OK);
	assert_ptr_equal(rep, buf + 0x20);
	assert_int_equal(n, SNP_REPORT_LEN);
	/* Exactly long enough, one byte short. */
	assert_int_equal(snp_msg_report_rsp_parse(ctx, buf, 0x20 + 0x4a0, &rep,
	    &n), VOUCH_OK);
	assert_int_equal(snp_msg_report_rsp_parse(ctx, buf, 0x20 + 0x4a0 - 1,
	    &rep, &n), VOUCH_ERR_TRUNCATED);
	assert_int_equal(snp_msg_report_rsp_parse(ctx, buf, 0x1f, &rep, &n),
	    VOUCH_ERR_TRUNCATED);
	buf[0] = 0x16;			/* STATUS: invalid parameters */
	assert_int_equal(snp_msg_report_rsp_parse(ctx, buf, sizeof(buf), &rep,
	    &n), VOUCH_ERR_IO);
	buf[0] = 0;
	buf[5] = 0x05;			/* REPORT_SIZE 0x5a0 */
	assert_int_equal(snp_msg_report_rsp_parse(ctx, buf, sizeof(buf), &rep,
	    &n), VOUCH_ERR_UNSUPPORTED_VERSION);
	buf[4] = 0xff;
	buf[5] = 0xff;
	buf[6] = 0xff;
	buf[7] = 0xff;
	assert_int_equal(snp_msg_report_rsp_parse(ctx, buf, sizeof(buf), &rep,
	    &n), VOUCH_ERR_UNSUPPORTED_VERSION);
	buf[4] = 0xa0;
	buf[5] = 0x04;
	buf[6] = 0;
	buf[7] = 0;
	buf[0x1f] = 1;			/* reserved */
	assert_int_equal(snp_msg_report_rsp_parse(ctx, buf, sizeof(buf), &rep,
	    &n), VOUCH_ERR_RESERVED_NONZERO);
	vouch_ctx_free(ctx);
}

static void
test_collect(void **state)
{
	struct vouch_ctx *ctx = vouch_ctx_new();
	struct snp_collect_opts o;
	uint8_t *ev = NULL, *rep = NULL, *certs = NULL, rd[64];
	size_t n = 0, rn = 0, cn = 0;
	const char *src = NULL;
	char dev[128];

	(void)state;
	NEED_TESTDATA();
	fake_entry();
	memset(&o, 0, sizeof(o));
	o.tsm_root = F.root;
	o.tsm_entry = "e1";
	o.vmpl = -1;
	assert_true(snp_guest_available(&o));
	/* configfs-tsm of another TEE is not an SNP guest interface. */
	puts_attr("provider", "tdx_guest\n");
	assert_false(snp_guest_available(&o));
	assert_false(tsm_provider_is(F.root, "e1", "sev_guest"));
	assert_true(tsm_provider_is(F.root, "e1", "tdx_guest"));
	puts_attr("provider", "sev_guest\n");
	assert_true(tsm_provider_is(F.root, "e1", "sev_guest"));
	assert_int_equal(snp_collect(ctx, &o, F.rd, &ev, &n, &src), VOUCH_OK);
	assert_string_equal(src, "configfs-tsm");
	assert_int_equal(n, SNP_REPORT_LEN);
	free(ev);
	o.vmpl = 0;
	assert_int_equal(snp_collect(ctx, &o, F.rd, &ev, &n, &src), VOUCH_OK);
	free(ev);
	o.vmpl = 1;
	assert_int_equal(snp_collect(ctx, &o, F.rd, &ev, &n, &src),
	    VOUCH_ERR_BAD_FIELD);
	assert_null(ev);
	o.vmpl = 4;
	assert_int_equal(snp_collect(ctx, &o, F.rd, &ev, &n, &src),
	    VOUCH_ERR_INVALID_ARGUMENT);
	o.vmpl = -1;
	memcpy(rd, F.rd, sizeof(rd));
	rd[63] ^= 1;
	assert_int_equal(snp_collect(ctx, &o, rd, &ev, &n, &src),
	    VOUCH_ERR_REPORT_DATA_MISMATCH);
	/* A report with a flipped reserved byte is not handed out. */
	{
		struct blob rep_b = td(MILAN_REPORT);

		rep_b.p[0x4c] = 1;
		put("outblob", rep_b.p, rep_b.n);
		free(rep_b.p);
		assert_int_equal(snp_collect(ctx, &o, F.rd, &ev, &n, &src),
		    VOUCH_ERR_RESERVED_NONZERO);
	}

	/* No configfs-tsm: the device, which here is missing or a file. */
	o.tsm_root = "/nonexistent-vouch-tsm";
	(void)snprintf(dev, sizeof(dev), "%s/no-device", F.root);
	o.dev = dev;
	assert_false(snp_guest_available(&o));
	assert_int_equal(snp_collect(ctx, &o, F.rd, &ev, &n, &src),
	    VOUCH_ERR_NOT_FOUND);
	(void)snprintf(dev, sizeof(dev), "%s/report/e1/provider", F.root);
	assert_true(snp_guest_available(&o));
	assert_int_equal(snp_collect(ctx, &o, F.rd, &ev, &n, &src),
	    VOUCH_ERR_IO);
	assert_int_equal(snp_guest_ioctl_report(ctx, dev, F.rd, 0, true, &rep,
	    &rn, &certs, &cn), VOUCH_ERR_IO);
	assert_null(rep);
	assert_null(certs);
	assert_string_equal(snp_guest_dev("/x"), "/x");
	vouch_ctx_free(ctx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tsm),
		cmocka_unit_test(test_msg_report_rsp),
		cmocka_unit_test(test_collect),
	};

	snp_testdata_find();
	if (testdata == NULL) {
		return snp_testdata_missing("test_snp_guest");
	}
	return cmocka_run_group_tests(tests, setup, teardown);
}
