/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for lib/platform/snp_certs.c: the extended request's
 * certificate table, built here from the real Milan VCEK, ASK and ARK
 * (testdata, read in place) since no real extended report exists in the
 * data set.  Valid tables, then every rule of the strict parser: each
 * length and offset at 0, at the maximum and one past the data; overlap;
 * duplicates; missing terminator; padding; limits; every truncation.
 * Then the evidence form (report || table) through vouch_verify_evidence:
 * the table's certificates verify the real report, its ARK is never
 * trusted unless pinned, and a CRL inside it counts.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <openssl/evp.h>

#include "bs/bs.h"
#include "crypto/crypto.h"
#include "platform/platform.h"
#include "platform/snp.h"
#include "platform/snp_certs.h"
#include "snp_testdata.h"

#define TABLE_CAP	(2 * 4096)

struct entry {
	enum snp_cert_kind	 kind;
	const uint8_t		*guid;	/* NULL: the kind's GUID */
	const uint8_t		*data;
	size_t			 len;
};

/*
 * Move |n| bytes at |p| up by |by|, byte by byte from the end: the same
 * as memmove, written out because valgrind mistakes the fortified
 * memmove of -D_FORTIFY_SOURCE=3 builds for an overlapping memcpy.
 */
static int
shift_up(uint8_t *p, size_t n, size_t by)
{
	while (n-- > 0) {
		p[n + by] = p[n];
	}
	return 0;
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/*
 * A table of |n| entries in order, data packed after the terminator,
 * zero padding up to |pad_to| (0: none).  Returns its length.
 */
static size_t
build(uint8_t *out, const struct entry *e, size_t n, size_t pad_to)
{
	size_t off = (n + 1) * SNP_CERT_TABLE_ENTRY_BYTES, i;

	memset(out, 0, TABLE_CAP);
	for (i = 0; i < n; i++) {
		memcpy(out + i * 24, e[i].guid != NULL ? e[i].guid :
		    snp_cert_guid(e[i].kind), 16);
		put32(out + i * 24 + 16, (uint32_t)off);
		put32(out + i * 24 + 20, (uint32_t)e[i].len);
		assert_true(off + e[i].len <= TABLE_CAP);
		memcpy(out + off, e[i].data, e[i].len);
		off += e[i].len;
	}
	if (pad_to > off) {
		assert_true(pad_to <= TABLE_CAP);
		off = pad_to;
	}
	return off;
}

struct fixture {
	struct blob	report, vcek, ask, ark, crl, vlek_chain_ask;
	uint8_t		table[TABLE_CAP];
	size_t		len;
};

static struct fixture F;

static int
setup(void **state)
{
	struct entry e[3];

	(void)state;
	snp_testdata_find();
	if (testdata == NULL) {
		return 0;
	}
	F.report = td(MILAN_REPORT);
	F.vcek = td(MILAN_VCEK);
	F.ask = td_cert_der(MILAN_CHAIN, 0);
	F.ark = td_cert_der(MILAN_CHAIN, 1);
	F.crl = td(MILAN_CRL_2022);
	e[0] = (struct entry){ SNP_CERT_VCEK, NULL, F.vcek.p, F.vcek.n };
	e[1] = (struct entry){ SNP_CERT_ASK, NULL, F.ask.p, F.ask.n };
	e[2] = (struct entry){ SNP_CERT_ARK, NULL, F.ark.p, F.ark.n };
	/* Padded to whole pages, as the kernel hands it out. */
	F.len = build(F.table, e, 3, 2 * 4096);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	free(F.report.p);
	free(F.vcek.p);
	free(F.ask.p);
	free(F.ark.p);
	free(F.crl.p);
	return 0;
}

static enum vouch_err
parse(const uint8_t *p, size_t n, struct snp_cert_table *t)
{
	struct vouch_ctx *ctx = vouch_ctx_new();
	enum vouch_err rv;
	uint8_t *copy = malloc(n > 0 ? n : 1);

	assert_non_null(ctx);
	assert_non_null(copy);
	memcpy(copy, p, n);
	/* Exactly |n| bytes on the heap: an overread trips ASan/valgrind. */
	rv = snp_cert_table_parse(ctx, copy, n, t);
	if (rv != VOUCH_OK) {
		assert_int_equal(vouch_error_code(ctx), rv);
		assert_true(strlen(vouch_error(ctx)) > 0);
	}
	free(copy);
	vouch_ctx_free(ctx);
	return rv;
}

static void
test_valid(void **state)
{
	struct snp_cert_table t;
	struct entry e[2];
	uint8_t other[16], buf[TABLE_CAP];
	size_t n;

	(void)state;
	NEED_TESTDATA();
	assert_int_equal(snp_cert_table_parse(NULL, F.table, F.len, &t),
	    VOUCH_OK);
	assert_int_equal(t.n, 3);
	assert_int_equal(t.e[0].kind, SNP_CERT_VCEK);
	assert_int_equal(t.e[1].kind, SNP_CERT_ASK);
	assert_int_equal(t.e[2].kind, SNP_CERT_ARK);
	assert_int_equal(t.e[0].len, F.vcek.n);
	assert_memory_equal(t.e[0].data, F.vcek.p, F.vcek.n);
	assert_memory_equal(t.e[2].data, F.ark.p, F.ark.n);
	assert_ptr_equal(t.e[0].data, F.table + 4 * 24);
	assert_string_equal(snp_cert_kind_name(t.e[0].kind), "VCEK");
	/* The GUID bytes are the GUID's text in order. */
	assert_memory_equal(snp_cert_guid(SNP_CERT_VCEK),
	    "\x63\xda\x75\x8d\xe6\x64\x45\x64\xad\xc5\xf4\xb9\x3b\xe8\xac\xcd",
	    16);
	/* Without padding. */
	assert_int_equal(parse(F.table, 4 * 24 + F.vcek.n + F.ask.n + F.ark.n,
	    &t), VOUCH_OK);
	/* An empty table: the terminator only (the caller decides). */
	memset(buf, 0, 24);
	assert_int_equal(parse(buf, 24, &t), VOUCH_OK);
	assert_int_equal(t.n, 0);
	/* Entries out of offset order, and an unknown GUID kept as other. */
	memset(other, 0x5a, sizeof(other));
	e[0] = (struct entry){ SNP_CERT_OTHER, other, F.ark.p, 10 };
	e[1] = (struct entry){ SNP_CERT_VCEK, NULL, F.vcek.p, F.vcek.n };
	n = build(buf, e, 2, 0);
	/* Swap the two headers: offsets no longer ascend with the index. */
	{
		uint8_t tmp[24];

		memcpy(tmp, buf, 24);
		memcpy(buf, buf + 24, 24);
		memcpy(buf + 24, tmp, 24);
	}
	assert_int_equal(parse(buf, n, &t), VOUCH_OK);
	assert_int_equal(t.n, 2);
	assert_int_equal(t.e[0].kind, SNP_CERT_VCEK);
	assert_int_equal(t.e[1].kind, SNP_CERT_OTHER);
	assert_int_equal(snp_cert_kind_of(other), SNP_CERT_OTHER);
}

/* Every length and offset of entry 1 (ASK) at 0, the maximum, past the end. */
static void
test_bounds(void **state)
{
	struct snp_cert_table t;
	uint8_t b[TABLE_CAP];
	size_t data_end = 4 * 24 + F.vcek.n + F.ask.n + F.ark.n;
	size_t ark_off = 4 * 24 + F.vcek.n + F.ask.n;

	(void)state;
	NEED_TESTDATA();
#define EDIT(stmt, n, want) do {					\
	memcpy(b, F.table, sizeof(b));					\
	stmt;								\
	assert_int_equal(parse(b, (n), &t), (want));			\
} while (0)
	/* Lengths. */
	EDIT(put32(b + 24 + 20, 0), F.len, VOUCH_ERR_BAD_FIELD);
	EDIT(put32(b + 24 + 20, 0xffffffffu), F.len, VOUCH_ERR_BAD_FIELD);
	/* ASK reaches one byte past the buffer. */
	EDIT(put32(b + 24 + 20, (uint32_t)(F.len - (4 * 24 + F.vcek.n) + 1)),
	    F.len, VOUCH_ERR_BAD_FIELD);
	/* ASK runs into the ARK. */
	EDIT(put32(b + 24 + 20, (uint32_t)F.ask.n + 1), F.len,
	    VOUCH_ERR_BAD_FIELD);
	/* ARK (the last) reaching exactly the end of the buffer: fine. */
	EDIT(put32(b + 48 + 20, (uint32_t)(F.len - ark_off)), F.len, VOUCH_OK);
	/* Offsets. */
	EDIT(put32(b + 24 + 16, 0), F.len, VOUCH_ERR_BAD_FIELD);
	EDIT(put32(b + 24 + 16, 4 * 24 - 1), F.len, VOUCH_ERR_BAD_FIELD);
	EDIT(put32(b + 24 + 16, 0xffffffffu), F.len, VOUCH_ERR_BAD_FIELD);
	EDIT(put32(b + 24 + 16, (uint32_t)F.len), F.len, VOUCH_ERR_BAD_FIELD);
	EDIT(put32(b + 24 + 16, (uint32_t)F.len + 1), F.len,
	    VOUCH_ERR_BAD_FIELD);
	/* Offset + length wraps around 2^32. */
	EDIT((put32(b + 24 + 16, 0xfffffff0u), put32(b + 24 + 20, 0x20)),
	    F.len, VOUCH_ERR_BAD_FIELD);
	/* The ASK points at the VCEK's bytes (overlap). */
	EDIT(put32(b + 24 + 16, 4 * 24), F.len, VOUCH_ERR_BAD_FIELD);
	/* Overlap by one byte. */
	EDIT(put32(b + 24 + 16, (uint32_t)(4 * 24 + F.vcek.n - 1)), F.len,
	    VOUCH_ERR_BAD_FIELD);
	/* Two VCEKs. */
	EDIT(memcpy(b + 24, snp_cert_guid(SNP_CERT_VCEK), 16), F.len,
	    VOUCH_ERR_BAD_FIELD);
	/* A zero GUID with an offset or a length. */
	EDIT(memset(b + 24, 0, 16), F.len, VOUCH_ERR_BAD_FIELD);
	EDIT(put32(b + 72 + 20, 1), F.len, VOUCH_ERR_BAD_FIELD);
	EDIT(put32(b + 72 + 16, 1), F.len, VOUCH_ERR_BAD_FIELD);
	/* No terminator (it is overwritten by a fourth entry's GUID). */
	EDIT(memset(b + 72, 0x11, 16), 72 + 16, VOUCH_ERR_TRUNCATED);
	/* Padding is zero: after the data, and in a gap. */
	EDIT(b[F.len - 1] = 1, F.len, VOUCH_ERR_RESERVED_NONZERO);
	EDIT(b[data_end] = 1, F.len, VOUCH_ERR_RESERVED_NONZERO);
	/* A zero gap of 8 bytes before the ARK: fine; non-zero: not. */
	EDIT((shift_up(b + ark_off, F.ark.n, 8),
	    memset(b + ark_off, 0, 8), put32(b + 48 + 16,
	    (uint32_t)ark_off + 8)), F.len, VOUCH_OK);
	EDIT((shift_up(b + ark_off, F.ark.n, 8),
	    memset(b + ark_off, 0, 8), b[ark_off + 3] = 1, put32(b + 48 + 16,
	    (uint32_t)ark_off + 8)), F.len, VOUCH_ERR_RESERVED_NONZERO);
#undef EDIT
}

static void
test_limits_and_truncation(void **state)
{
	struct snp_cert_table t;
	struct entry e[SNP_CERT_TABLE_MAX_ENTRIES + 1];
	uint8_t guids[SNP_CERT_TABLE_MAX_ENTRIES + 1][16];
	uint8_t *big, b[TABLE_CAP];
	size_t i, n, data_end = 4 * 24 + F.vcek.n + F.ask.n + F.ark.n;

	(void)state;
	NEED_TESTDATA();
	/* 16 entries are fine, 17 are not. */
	for (i = 0; i <= SNP_CERT_TABLE_MAX_ENTRIES; i++) {
		memset(guids[i], (int)(0x40 + i), 16);
		e[i] = (struct entry){ SNP_CERT_OTHER, guids[i], F.ark.p, 4 };
	}
	n = build(b, e, SNP_CERT_TABLE_MAX_ENTRIES, 0);
	assert_int_equal(parse(b, n, &t), VOUCH_OK);
	assert_int_equal(t.n, SNP_CERT_TABLE_MAX_ENTRIES);
	n = build(b, e, SNP_CERT_TABLE_MAX_ENTRIES + 1, 0);
	assert_int_equal(parse(b, n, &t), VOUCH_ERR_TOO_LARGE);
	/* A table over the size limit. */
	big = calloc(1, SNP_CERT_TABLE_MAX_BYTES + 1);
	assert_non_null(big);
	memcpy(big, F.table, F.len);
	assert_int_equal(parse(big, SNP_CERT_TABLE_MAX_BYTES, &t), VOUCH_OK);
	assert_int_equal(parse(big, SNP_CERT_TABLE_MAX_BYTES + 1, &t),
	    VOUCH_ERR_TOO_LARGE);
	free(big);
	/* Every cut before the end of the last entry's data fails. */
	for (n = 0; n < data_end; n++) {
		if (parse(F.table, n, &t) == VOUCH_OK) {
			fail_msg("table cut at %zu accepted", n);
		}
	}
	assert_int_equal(parse(F.table, 0, &t), VOUCH_ERR_TRUNCATED);
	assert_int_equal(parse(F.table, 23, &t), VOUCH_ERR_TRUNCATED);
	assert_int_equal(parse(F.table, data_end, &t), VOUCH_OK);
}

/* report || table through the verifier. */
static enum vouch_err
verify_ext(const uint8_t *table, size_t tlen, const struct blob *extra,
    size_t nextra, struct vouch_result **out)
{
	struct vouch_ctx *ctx = vouch_ctx_new();
	struct vouch_verify_config *cfg = vouch_verify_config_new();
	struct vouch_result *res = NULL;
	enum vouch_err rv;
	uint8_t *ev = malloc(SNP_REPORT_LEN + tlen);
	size_t i;

	assert_non_null(ctx);
	assert_non_null(cfg);
	assert_non_null(ev);
	vouch_ctx_set_time(ctx, T_MILAN);
	assert_int_equal(vouch_verify_config_set_platform(ctx, cfg, "snp"),
	    VOUCH_OK);
	vouch_verify_config_insecure_allow_debug(cfg);
	for (i = 0; i < nextra; i++) {
		assert_int_equal(vouch_verify_config_add_endorsement(ctx, cfg,
		    extra[i].p, extra[i].n), VOUCH_OK);
	}
	memcpy(ev, F.report.p, SNP_REPORT_LEN);
	memcpy(ev + SNP_REPORT_LEN, table, tlen);
	rv = vouch_verify_evidence(ctx, cfg, ev, SNP_REPORT_LEN + tlen, &res);
	if (rv != VOUCH_OK) {
		assert_null(res);
		assert_int_equal(vouch_error_code(ctx), rv);
	}
	if (out != NULL) {
		*out = res;
	} else {
		vouch_result_free(res);
	}
	free(ev);
	vouch_verify_config_free(cfg);
	vouch_ctx_free(ctx);
	return rv;
}

/* A self-signed RSA certificate with the ARK's exact subject. */
static struct blob
attacker_ark(void)
{
	EVP_PKEY *key = EVP_RSA_gen(2048);
	X509 *real = NULL, *x = X509_new();
	struct blob out = { NULL, 0 };

	assert_non_null(key);
	assert_non_null(x);
	assert_int_equal(vouch_cert_from_der(NULL, F.ark.p, F.ark.n, &real),
	    VOUCH_OK);
	assert_int_equal(X509_set_version(x, X509_VERSION_3), 1);
	assert_int_equal(ASN1_INTEGER_set(X509_get_serialNumber(x), 1), 1);
	assert_int_equal(X509_set_subject_name(x, X509_get_subject_name(real)), 1);
	assert_int_equal(X509_set_issuer_name(x, X509_get_subject_name(real)), 1);
	assert_non_null(ASN1_TIME_set(X509_getm_notBefore(x), T_MILAN - 86400));
	assert_non_null(ASN1_TIME_set(X509_getm_notAfter(x), T_MILAN + 86400));
	assert_int_equal(X509_set_pubkey(x, key), 1);
	assert_true(X509_sign(x, key, EVP_sha384()) > 0);
	assert_int_equal(vouch_cert_to_der(NULL, x, &out.p, &out.n), VOUCH_OK);
	X509_free(real);
	X509_free(x);
	EVP_PKEY_free(key);
	return out;
}

static void
test_extended_evidence(void **state)
{
	const struct vouch_platform *snp = vouch_platform_find("snp");
	struct vouch_result *res = NULL;
	struct entry e[4];
	struct blob fake, garbage = { NULL, 0 };
	uint8_t b[TABLE_CAP], zeros[64];
	json_t *o = NULL;
	char *s;
	size_t n;

	(void)state;
	NEED_TESTDATA();
	/* The table's chain plus a CRL endorsement: verified. */
	assert_int_equal(verify_ext(F.table, F.len, &F.crl, 1, &res), VOUCH_OK);
	assert_string_equal(vouch_result_platform(res), "snp");
	vouch_result_free(res);
	/* The table alone has no CRL: fail closed. */
	assert_int_equal(verify_ext(F.table, F.len, NULL, 0, NULL),
	    VOUCH_ERR_CRL_MISSING);
	/* A CRL inside the table counts. */
	e[0] = (struct entry){ SNP_CERT_VCEK, NULL, F.vcek.p, F.vcek.n };
	e[1] = (struct entry){ SNP_CERT_ASK, NULL, F.ask.p, F.ask.n };
	e[2] = (struct entry){ SNP_CERT_ARK, NULL, F.ark.p, F.ark.n };
	e[3] = (struct entry){ SNP_CERT_CRL, NULL, F.crl.p, F.crl.n };
	n = build(b, e, 4, 0);
	assert_int_equal(verify_ext(b, n, NULL, 0, NULL), VOUCH_OK);
	/* Without the ARK in the table: no anchor at all. */
	n = build(b, e, 2, 0);
	assert_int_equal(verify_ext(b, n, &F.crl, 1, NULL),
	    VOUCH_ERR_NO_TRUST_ANCHOR);
	/* An attacker ARK in the table is not pinned, whatever its name. */
	fake = attacker_ark();
	e[2] = (struct entry){ SNP_CERT_ARK, NULL, fake.p, fake.n };
	n = build(b, e, 3, 0);
	assert_int_equal(verify_ext(b, n, &F.crl, 1, NULL),
	    VOUCH_ERR_NO_TRUST_ANCHOR);
	free(fake.p);
	/* A VCEK entry that is not a certificate. */
	garbage.p = zeros;
	garbage.n = sizeof(zeros);
	memset(zeros, 0x30, sizeof(zeros));
	e[0] = (struct entry){ SNP_CERT_VCEK, NULL, garbage.p, garbage.n };
	e[2] = (struct entry){ SNP_CERT_ARK, NULL, F.ark.p, F.ark.n };
	n = build(b, e, 3, 0);
	assert_int_equal(verify_ext(b, n, &F.crl, 1, NULL), VOUCH_ERR_BAD_CERT);
	/* A VCEK for another chip (the Genoa one) does not verify it. */
	{
		struct blob genoa = td(GENOA_VCEK);

		e[0] = (struct entry){ SNP_CERT_VCEK, NULL, genoa.p, genoa.n };
		n = build(b, e, 3, 0);
		assert_int_equal(verify_ext(b, n, &F.crl, 1, NULL),
		    VOUCH_ERR_SIGNATURE_INVALID);
		free(genoa.p);
	}
	/* Bytes after the report that are not a table. */
	memset(zeros, 0, sizeof(zeros));
	assert_int_equal(verify_ext(zeros, 1, &F.crl, 1, NULL),
	    VOUCH_ERR_TRAILING_DATA);
	assert_int_equal(verify_ext(zeros, 23, &F.crl, 1, NULL),
	    VOUCH_ERR_TRAILING_DATA);
	/* An empty table. */
	assert_int_equal(verify_ext(zeros, 24, &F.crl, 1, NULL),
	    VOUCH_ERR_TRAILING_DATA);
	assert_int_equal(verify_ext(zeros, 64, &F.crl, 1, NULL),
	    VOUCH_ERR_TRAILING_DATA);
	/* A malformed table after a good report. */
	memcpy(b, F.table, F.len);
	put32(b + 24 + 20, 0xffffffffu);
	assert_int_equal(verify_ext(b, F.len, &F.crl, 1, NULL),
	    VOUCH_ERR_BAD_FIELD);

	/* Detection by content and `evidence show`. */
	memcpy(b, F.report.p, SNP_REPORT_LEN);
	memcpy(b + SNP_REPORT_LEN, F.table, 1024);
	assert_non_null(snp);
	n = SNP_REPORT_LEN + 4 * 24 + F.vcek.n + F.ask.n + F.ark.n;
	assert_true(n <= sizeof(b));
	memcpy(b + SNP_REPORT_LEN, F.table, n - SNP_REPORT_LEN);
	assert_ptr_equal(vouch_platform_detect(b, n), snp);
	assert_false(snp->probe(b, SNP_REPORT_LEN + 10));
	assert_int_equal(snp->show(NULL, b, n, &o), VOUCH_OK);
	s = json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT);
	assert_non_null(s);
	assert_non_null(strstr(s, "\"certificate_table\":[{\"guid\":"
	    "\"63da758de6644564adc5f4b93be8accd\",\"kind\":\"VCEK\""));
	free(s);
	json_decref(o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_limits_and_truncation),
		cmocka_unit_test(test_extended_evidence),
	};

	snp_testdata_find();
	if (testdata == NULL) {
		return snp_testdata_missing("test_snp_certs");
	}
	return cmocka_run_group_tests(tests, setup, teardown);
}
