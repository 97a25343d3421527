/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The DCAP quote parser (lib/platform/dcap_quote.c) and the PCK SGX
 * extension parser (lib/platform/dcap_pck.c) on every real quote of
 * $VOUCH_TESTDATA (tdx/, sgx/; read in place, never copied): known field
 * values from the PROVENANCE files, every truncation, every declared
 * length set to 0 / max / one more than the bytes left, header fields,
 * certification data types, the trailing-bytes rule, the v5 body size,
 * reserved bytes, and the PCK extension of each embedded leaf.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "platform/dcap.h"
#include "util/file.h"
#include "vouch/verify.h"

#include "dcap_synth.h"

struct blob {
	uint8_t	*p;
	size_t	 n;
};

struct sample {
	const char	*path;
	uint16_t	 version;
	uint16_t	 body_type;
	size_t		 trailing;
};

/* Trailing byte counts: tdx/PROVENANCE.md and measured on the files. */
static const struct sample samples[] = {
	{ "tdx/gtg_spr_e4_quote_v4.dat", 4, DCAP_BODY_TD10, 39 },
	{ "tdx/gtg_quote_v5_sample.dat", 5, DCAP_BODY_TD15, (size_t)-1 },
	{ "tdx/gtg_ccel/cos-113-tdx-quote.dat", 4, DCAP_BODY_TD10, 8000 - 4935 },
	{ "tdx/trustee_tdx_quote_6.dat", 4, DCAP_BODY_TD10, (size_t)-1 },
	{ "tdx/phala_tdx_quote.dat", 4, DCAP_BODY_TD10, 70 },
	{ "tdx/phala_tdx-quote.hex", 4, DCAP_BODY_TD10, (size_t)-1 },
	{ "tdx/az-tdx-vtpm/td-quote.bin", 4, DCAP_BODY_TD10, (size_t)-1 },
	{ "sgx/trustee_occlum_quote_v3.dat", 3, DCAP_BODY_SGX, (size_t)-1 },
	{ "sgx/mc_hw_quote_v3.dat", 3, DCAP_BODY_SGX, (size_t)-1 },
};
#define NSAMPLES	(sizeof(samples) / sizeof(samples[0]))

static const char *testdata;

static int
hexval(int ch)
{
	if (ch >= '0' && ch <= '9') {
		return ch - '0';
	}
	if (ch >= 'a' && ch <= 'f') {
		return ch - 'a' + 10;
	}
	if (ch >= 'A' && ch <= 'F') {
		return ch - 'A' + 10;
	}
	return -1;
}

static struct blob
load(const char *rel)
{
	char path[1024];
	struct blob b = { NULL, 0 };
	size_t i, n;
	int hi, lo;

	assert_true((size_t)snprintf(path, sizeof(path), "%s/%s", testdata,
	    rel) < sizeof(path));
	assert_int_equal(vouch_file_read(NULL, path, 1u << 20, &b.p, &b.n),
	    VOUCH_OK);
	n = strlen(rel);
	if (n > 4 && strcmp(rel + n - 4, ".hex") == 0) {
		/* ASCII hex (T-6 as dcap-qvl ships it, "0x..."): decode. */
		i = b.n >= 2 && b.p[0] == '0' && b.p[1] == 'x' ? 2 : 0;
		for (n = 0; i + 1 < b.n; i += 2) {
			hi = hexval(b.p[i]);
			lo = hexval(b.p[i + 1]);
			if (hi < 0 || lo < 0) {
				break;
			}
			b.p[n++] = (uint8_t)(hi << 4 | lo);
		}
		b.n = n;
	}
	return b;
}

static enum vouch_err
parse(const uint8_t *p, size_t n, struct dcap_quote *q)
{
	struct vouch_ctx *ctx = vouch_ctx_new();
	enum vouch_err rv;

	assert_non_null(ctx);
	rv = dcap_quote_parse(ctx, p, n, q);
	vouch_ctx_free(ctx);
	return rv;
}

static void
put_u16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void
put_u32(uint8_t *p, uint32_t v)
{
	put_u16(p, (uint16_t)v);
	put_u16(p + 2, (uint16_t)(v >> 16));
}

static int
setup(void **state)
{
	(void)state;
	testdata = getenv("VOUCH_TESTDATA");
	return 0;
}

#define NEED_TESTDATA() do {						\
	if (testdata == NULL) {						\
		print_message("VOUCH_TESTDATA is not set: skipped\n");	\
		skip();							\
	}								\
} while (0)

/* Offsets of the declared lengths of a parsed quote. */
struct offs {
	size_t	siglen;		/* u32 signature data length */
	size_t	t6;		/* u16 type 6 + u32 size (v4/v5), else 0 */
	size_t	auth;		/* u16 QE auth data length */
	size_t	t5;		/* u16 type 5 + u32 size */
};

static struct offs
offsets(const struct blob *b, const struct dcap_quote *q)
{
	struct offs o;

	o.siglen = q->signed_len;
	o.t6 = q->version == 3 ? 0 : o.siglen + 4 + 128;
	o.auth = (size_t)(q->qe_report_p - b->p) + 384 + 64;
	o.t5 = o.auth + 2 + q->qe_auth_len;
	assert_int_equal(o.t5 + 6 + q->pck_chain_len, q->quote_len);
	return o;
}

static X509 *
pck_leaf(const struct dcap_quote *q)
{
	BIO *bio = BIO_new_mem_buf(q->pck_chain, (int)q->pck_chain_len);
	X509 *x;

	assert_non_null(bio);
	x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	BIO_free(bio);
	assert_non_null(x);
	return x;
}

/* Every real sample parses; the structure adds up. */
static void
t_real_samples(void **state)
{
	struct dcap_quote q;
	struct blob b;
	size_t i;

	(void)state;
	NEED_TESTDATA();
	for (i = 0; i < NSAMPLES; i++) {
		b = load(samples[i].path);
		assert_int_equal(parse(b.p, b.n, &q), VOUCH_OK);
		assert_int_equal(q.version, samples[i].version);
		assert_int_equal(q.body_type, samples[i].body_type);
		assert_int_equal(q.quote_len + q.trailing, b.n);
		if (samples[i].trailing != (size_t)-1) {
			assert_int_equal(q.trailing, samples[i].trailing);
		}
		assert_memory_equal(q.qe_vendor_id, dcap_intel_qe_vendor_id, 16);
		assert_true(q.signed_p == b.p);
		assert_int_equal(q.signed_len, 48 + (q.version == 5 ? 6 : 0) +
		    (q.body_type == DCAP_BODY_SGX ? 384 :
		    q.body_type == DCAP_BODY_TD10 ? 584 : 648));
		assert_true(q.pck_chain_len > 0);
		assert_memory_equal(q.pck_chain, "-----BEGIN CERTIFICATE-----", 27);
		(void)offsets(&b, &q);
		print_message("%s: v%u, quote %zu bytes, %zu trailing\n",
		    samples[i].path, q.version, q.quote_len, q.trailing);
		free(b.p);
	}
}

/* Known values (tdx/PROVENANCE.md, sgx/PROVENANCE.md). */
static void
t_known_values(void **state)
{
	static const uint8_t t1_svn[4] = { 0x03, 0x00, 0x04, 0x00 };
	static const uint8_t t2_svn[3] = { 0x0b, 0x01, 0x04 };
	static const uint8_t g2_mre[8] = {
		0x84, 0x0d, 0x61, 0xb0, 0x58, 0x5d, 0xc8, 0xb4 };
	static const uint8_t o_mre[4] = { 0x8f, 0x17, 0x3e, 0x46 };
	struct dcap_quote q;
	struct blob b;

	(void)state;
	NEED_TESTDATA();
	b = load("tdx/gtg_spr_e4_quote_v4.dat");
	assert_int_equal(parse(b.p, b.n, &q), VOUCH_OK);
	assert_int_equal(q.tee_type, DCAP_TEE_TDX);
	assert_memory_equal(q.td.tee_tcb_svn, t1_svn, 4);
	assert_int_equal(q.qe_report.isv_svn, 4);
	assert_int_equal(q.quote_len, 4935);
	assert_memory_equal(b.p + q.quote_len, "\nextra bytes", 12);
	assert_false(q.td.v15);
	free(b.p);

	b = load("tdx/gtg_quote_v5_sample.dat");
	assert_int_equal(parse(b.p, b.n, &q), VOUCH_OK);
	assert_int_equal(q.body_type, DCAP_BODY_TD15);
	assert_true(q.td.v15);
	assert_memory_equal(q.td.tee_tcb_svn, t2_svn, 3);
	assert_int_equal(q.qe_report.isv_svn, 7);
	free(b.p);

	b = load("sgx/mc_hw_quote_v3.dat");
	assert_int_equal(parse(b.p, b.n, &q), VOUCH_OK);
	assert_int_equal(q.tee_type, DCAP_TEE_SGX);
	assert_memory_equal(q.sgx.mrenclave, g2_mre, 8);
	assert_int_equal(q.qe_report.isv_svn, 9);
	free(b.p);

	b = load("sgx/trustee_occlum_quote_v3.dat");
	assert_int_equal(parse(b.p, b.n, &q), VOUCH_OK);
	assert_memory_equal(q.sgx.mrenclave, o_mre, 4);
	assert_int_equal(q.qe_report.isv_svn, 8);
	free(b.p);
}

/* Every proper prefix of every real quote fails as truncated. */
static void
t_truncations(void **state)
{
	struct dcap_quote q, full;
	struct blob b;
	uint8_t *cut;
	size_t i, n;

	(void)state;
	NEED_TESTDATA();
	for (i = 0; i < NSAMPLES; i++) {
		b = load(samples[i].path);
		assert_int_equal(parse(b.p, b.n, &full), VOUCH_OK);
		for (n = 0; n < full.quote_len; n++) {
			/* A copy of exactly n bytes, so ASan sees overreads. */
			cut = malloc(n ? n : 1);
			assert_non_null(cut);
			memcpy(cut, b.p, n);
			assert_int_equal(parse(cut, n, &q), VOUCH_ERR_TRUNCATED);
			free(cut);
		}
		/* Exactly the quote, no trailing bytes. */
		assert_int_equal(parse(b.p, full.quote_len, &q), VOUCH_OK);
		assert_int_equal(q.trailing, 0);
		free(b.p);
	}
}

/* Set the u16/u32 at |off| of a copy of |b| to |v|; parse. */
static enum vouch_err
with_u(const struct blob *b, size_t len, size_t off, int width, uint32_t v)
{
	struct dcap_quote q;
	uint8_t *p = malloc(len);
	enum vouch_err rv;

	assert_non_null(p);
	memcpy(p, b->p, len);
	if (width == 2) {
		put_u16(p + off, (uint16_t)v);
	} else {
		put_u32(p + off, v);
	}
	rv = parse(p, len, &q);
	free(p);
	return rv;
}

/*
 * Declared lengths at 0, at the maximum and at one more than the bytes
 * left; inflated inner lengths.  Inner slack is VOUCH_ERR_TRAILING_DATA
 * (dcap_quote.c), a length past the end VOUCH_ERR_TRUNCATED.
 */
static void
t_lengths(void **state)
{
	struct dcap_quote q;
	struct offs o;
	struct blob b;
	size_t i, len;
	uint32_t siglen, t6, t5;

	(void)state;
	NEED_TESTDATA();
	for (i = 0; i < NSAMPLES; i++) {
		b = load(samples[i].path);
		assert_int_equal(parse(b.p, b.n, &q), VOUCH_OK);
		o = offsets(&b, &q);
		len = q.quote_len;	/* no trailing bytes: "left" is exact */
		siglen = (uint32_t)(len - o.siglen - 4);
		/* signature_data_len */
		assert_int_equal(with_u(&b, len, o.siglen, 4, 0),
		    VOUCH_ERR_TRUNCATED);
		assert_int_equal(with_u(&b, len, o.siglen, 4, 0xffffffffu),
		    VOUCH_ERR_TRUNCATED);
		assert_int_equal(with_u(&b, len, o.siglen, 4, siglen + 1),
		    VOUCH_ERR_TRUNCATED);
		assert_int_equal(with_u(&b, len, o.siglen, 4, siglen - 1),
		    VOUCH_ERR_TRUNCATED);
		/* Inflated into the trailing bytes: slack inside. */
		if (q.trailing > 0) {
			assert_int_equal(with_u(&b, b.n, o.siglen, 4,
			    siglen + 1), VOUCH_ERR_TRAILING_DATA);
		}
		/* QE report certification data (type 6) size */
		if (o.t6 != 0) {
			t6 = (uint32_t)(len - o.t6 - 6);
			assert_int_equal(with_u(&b, len, o.t6 + 2, 4, 0),
			    VOUCH_ERR_TRAILING_DATA);
			assert_int_equal(with_u(&b, len, o.t6 + 2, 4,
			    0xffffffffu), VOUCH_ERR_TRUNCATED);
			assert_int_equal(with_u(&b, len, o.t6 + 2, 4, t6 + 1),
			    VOUCH_ERR_TRUNCATED);
			assert_int_equal(with_u(&b, len, o.t6 + 2, 4, t6 - 1),
			    VOUCH_ERR_TRAILING_DATA);
		}
		/* QE authentication data length */
		assert_int_not_equal(with_u(&b, len, o.auth, 2, 0), VOUCH_OK);
		assert_int_equal(with_u(&b, len, o.auth, 2, 0xffff),
		    VOUCH_ERR_TRUNCATED);
		assert_int_equal(with_u(&b, len, o.auth, 2,
		    (uint32_t)(len - o.auth - 2 + 1)), VOUCH_ERR_TRUNCATED);
		assert_int_not_equal(with_u(&b, len, o.auth, 2,
		    (uint32_t)q.qe_auth_len + 1), VOUCH_OK);
		/* PCK chain (type 5) size */
		t5 = (uint32_t)q.pck_chain_len;
		assert_int_equal(with_u(&b, len, o.t5 + 2, 4, 0),
		    VOUCH_ERR_TRUNCATED);
		assert_int_equal(with_u(&b, len, o.t5 + 2, 4, 0xffffffffu),
		    VOUCH_ERR_TRUNCATED);
		assert_int_equal(with_u(&b, len, o.t5 + 2, 4, t5 + 1),
		    VOUCH_ERR_TRUNCATED);
		assert_int_equal(with_u(&b, len, o.t5 + 2, 4, t5 - 1),
		    VOUCH_ERR_TRAILING_DATA);
		free(b.p);
	}
}

/* Header fields and certification data types. */
static void
t_header_and_types(void **state)
{
	struct dcap_quote q;
	struct offs o;
	struct blob b;
	size_t i;
	uint8_t *p;

	(void)state;
	NEED_TESTDATA();
	for (i = 0; i < NSAMPLES; i++) {
		b = load(samples[i].path);
		assert_int_equal(parse(b.p, b.n, &q), VOUCH_OK);
		o = offsets(&b, &q);
		assert_int_equal(with_u(&b, b.n, 0, 2, 2),
		    VOUCH_ERR_UNSUPPORTED_VERSION);
		assert_int_equal(with_u(&b, b.n, 0, 2, 6),
		    VOUCH_ERR_UNSUPPORTED_VERSION);
		assert_int_equal(with_u(&b, b.n, 2, 2, 3),
		    VOUCH_ERR_UNSUPPORTED_VERSION);
		assert_int_equal(with_u(&b, b.n, 4, 4, 0x80),
		    VOUCH_ERR_BAD_FIELD);
		if (q.version != 4) {
			/* v3 is SGX only; v5 body type vs TEE type. */
			assert_int_equal(with_u(&b, b.n, 4, 4,
			    q.tee_type == DCAP_TEE_SGX ? DCAP_TEE_TDX :
			    DCAP_TEE_SGX), VOUCH_ERR_BAD_FIELD);
		} else {
			assert_int_not_equal(with_u(&b, b.n, 4, 4,
			    DCAP_TEE_SGX), VOUCH_OK);
		}
		p = malloc(b.n);
		assert_non_null(p);
		memcpy(p, b.p, b.n);
		p[12] ^= 1;	/* QE vendor id */
		assert_int_equal(parse(p, b.n, &q), VOUCH_ERR_BAD_FIELD);
		free(p);
		assert_int_equal(parse(b.p, b.n, &q), VOUCH_OK);
		if (o.t6 != 0) {
			assert_int_equal(with_u(&b, b.n, o.t6, 2, 1),
			    VOUCH_ERR_UNSUPPORTED_VERSION);
			assert_int_equal(with_u(&b, b.n, o.t6, 2, 5),
			    VOUCH_ERR_UNSUPPORTED_VERSION);
			assert_int_equal(with_u(&b, b.n, o.t6, 2, 7),
			    VOUCH_ERR_UNSUPPORTED_VERSION);
		}
		assert_int_equal(with_u(&b, b.n, o.t5, 2, 1),
		    VOUCH_ERR_UNSUPPORTED_VERSION);
		assert_int_equal(with_u(&b, b.n, o.t5, 2, 6),
		    VOUCH_ERR_UNSUPPORTED_VERSION);
		assert_int_equal(with_u(&b, b.n, o.t5, 2, 7),
		    VOUCH_ERR_UNSUPPORTED_VERSION);
		if (q.version == 5) {
			/* body_type / body_size (§A.4.2) */
			assert_int_equal(with_u(&b, b.n, 50, 4, 584),
			    VOUCH_ERR_BAD_FIELD);
			assert_int_equal(with_u(&b, b.n, 50, 4, 649),
			    VOUCH_ERR_BAD_FIELD);
			assert_int_equal(with_u(&b, b.n, 48, 2, 1),
			    VOUCH_ERR_BAD_FIELD);
			assert_int_equal(with_u(&b, b.n, 48, 2, 4),
			    VOUCH_ERR_UNSUPPORTED_VERSION);
		}
		free(b.p);
	}
}

/* The reserved ranges of the SGX bodies (enclave and QE report). */
static void
t_reserved(void **state)
{
	static const size_t rs[4][2] = {
		{ 20, 12 }, { 96, 32 }, { 160, 32 }, { 262, 42 } };
	struct dcap_quote q;
	struct blob b;
	size_t i, j, k, base[2];
	uint8_t *p;

	(void)state;
	NEED_TESTDATA();
	for (i = 0; i < NSAMPLES; i++) {
		b = load(samples[i].path);
		assert_int_equal(parse(b.p, b.n, &q), VOUCH_OK);
		base[0] = (size_t)(q.qe_report_p - b.p);
		base[1] = q.body_type == DCAP_BODY_SGX ? q.signed_len - 384 : 0;
		p = malloc(b.n);
		assert_non_null(p);
		for (k = 0; k < 2; k++) {
			if (base[k] == 0) {
				continue;
			}
			for (j = 0; j < 4; j++) {
				memcpy(p, b.p, b.n);
				p[base[k] + rs[j][0]] = 1;
				assert_int_equal(parse(p, b.n, &q),
				    VOUCH_ERR_RESERVED_NONZERO);
				memcpy(p, b.p, b.n);
				p[base[k] + rs[j][0] + rs[j][1] - 1] = 0x80;
				assert_int_equal(parse(p, b.n, &q),
				    VOUCH_ERR_RESERVED_NONZERO);
			}
		}
		free(p);
		free(b.p);
	}
}

/* Trailing bytes: zero padding and text are tolerated and counted. */
static void
t_trailing(void **state)
{
	struct dcap_quote q;
	struct blob b;
	uint8_t *p;

	(void)state;
	NEED_TESTDATA();
	b = load("sgx/mc_hw_quote_v3.dat");
	assert_int_equal(parse(b.p, b.n, &q), VOUCH_OK);
	p = calloc(1, q.quote_len + 100);
	assert_non_null(p);
	memcpy(p, b.p, q.quote_len);
	assert_int_equal(parse(p, q.quote_len + 100, &q), VOUCH_OK);
	assert_int_equal(q.trailing, 100);
	memcpy(p + q.quote_len, "not part of it", 14);
	assert_int_equal(parse(p, q.quote_len + 14, &q), VOUCH_OK);
	assert_int_equal(q.trailing, 14);
	free(p);
	p = calloc(1, DCAP_QUOTE_MAX + 1);
	assert_non_null(p);
	memcpy(p, b.p, q.quote_len);
	assert_int_equal(parse(p, DCAP_QUOTE_MAX, &q), VOUCH_OK);
	assert_int_equal(parse(p, DCAP_QUOTE_MAX + 1, &q), VOUCH_ERR_TOO_LARGE);
	free(p);
	free(b.p);
}

/* The PCK SGX extension of every embedded leaf. */
static void
t_pck_real(void **state)
{
	static const uint8_t t1_fmspc[6] = { 0x50, 0x80, 0x6f, 0, 0, 0 };
	static const uint8_t t1_cpusvn[16] = {
		3, 3, 2, 2, 2, 1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0 };
	static const uint8_t t1_ppid[16] = {
		0x08, 0x9d, 0xdf, 0xdb, 0x9c, 0x03, 0x59, 0xc8,
		0x2a, 0x3b, 0xc7, 0x71, 0x92, 0x39, 0x57, 0x4e };
	struct vouch_ctx *ctx;
	struct dcap_pck_ext e;
	struct dcap_quote q;
	struct blob b;
	X509 *x;
	size_t i;

	(void)state;
	NEED_TESTDATA();
	ctx = vouch_ctx_new();
	assert_non_null(ctx);
	for (i = 0; i < NSAMPLES; i++) {
		b = load(samples[i].path);
		assert_int_equal(parse(b.p, b.n, &q), VOUCH_OK);
		x = pck_leaf(&q);
		assert_int_equal(dcap_pck_ext_from_cert(ctx, x, &e), VOUCH_OK);
		if (i == 0) {
			assert_memory_equal(e.fmspc, t1_fmspc, 6);
			assert_int_equal(e.pceid[0], 0);
			assert_int_equal(e.pceid[1], 0);
			assert_int_equal(e.pcesvn, 11);
			assert_memory_equal(e.cpusvn, t1_cpusvn, 16);
			assert_memory_equal(e.ppid, t1_ppid, 16);
		}
		X509_free(x);
		free(b.p);
	}
	vouch_ctx_free(ctx);
}

/* ---- PCK SGX extension variants, built here in DER ---- */

struct der {
	uint8_t	b[4096];
	size_t	n;
};

static void
der_tlv(struct der *d, uint8_t tag, const uint8_t *p, size_t n)
{
	assert_true(d->n + n + 4 <= sizeof(d->b));
	d->b[d->n++] = tag;
	if (n < 0x80) {
		d->b[d->n++] = (uint8_t)n;
	} else if (n < 0x100) {
		d->b[d->n++] = 0x81;
		d->b[d->n++] = (uint8_t)n;
	} else {
		d->b[d->n++] = 0x82;
		d->b[d->n++] = (uint8_t)(n >> 8);
		d->b[d->n++] = (uint8_t)n;
	}
	memcpy(d->b + d->n, p, n);
	d->n += n;
}

/* INTEGER / ENUMERATED |v| >= 0, minimal. */
static void
der_uint(struct der *d, uint8_t tag, uint32_t v)
{
	uint8_t t[5];
	size_t n = 0, i;

	for (i = 4; i-- > 0;) {
		if (n == 0 && i > 0 && ((v >> (8 * i)) & 0xff) == 0) {
			continue;
		}
		if (n == 0 && ((v >> (8 * i)) & 0x80) != 0) {
			t[n++] = 0;
		}
		t[n++] = (uint8_t)(v >> (8 * i));
	}
	der_tlv(d, tag, t, n);
}

static void
der_octets(struct der *d, size_t n, uint8_t fill)
{
	uint8_t t[32];

	memset(t, fill, sizeof(t));
	der_tlv(d, 0x04, t, n);
}

/* SEQUENCE { OID 1.2.840.113741.1.13.1.<arc>[.<sub>], value } */
static void
der_member(struct der *d, int arc, int sub, const struct der *val)
{
	static const uint8_t pfx[] = {
		0x2a, 0x86, 0x48, 0x86, 0xf8, 0x4d, 0x01, 0x0d, 0x01 };
	uint8_t oid[16];
	struct der m = { .n = 0 };
	size_t n = sizeof(pfx);

	memcpy(oid, pfx, n);
	oid[n++] = (uint8_t)arc;
	if (sub > 0) {
		oid[n++] = (uint8_t)sub;
	}
	der_tlv(&m, 0x06, oid, n);
	memcpy(m.b + m.n, val->b, val->n);
	m.n += val->n;
	der_tlv(d, 0x30, m.b, m.n);
}

/*
 * What to do to one member: |arc| is the top-level arc (1..7), or
 * 100 + the TCB arc (1..18).
 */
enum pck_edit { E_NONE, E_OMIT, E_DUP, E_SIZE, E_TYPE };

struct pck_variant {
	int		arc;
	enum pck_edit	edit;
	int		unknown;	/* add member arc 8 (1) or TCB arc 19 (2) */
	bool		optional;	/* add PlatformInstanceID and Configuration */
};

static void
pck_value(struct der *v, int arc, enum pck_edit e)
{
	struct der inner = { .n = 0 }, leaf = { .n = 0 };
	int j;

	v->n = 0;
	if (arc > 100) {	/* a TCB member */
		j = arc - 100;
		if (e == E_TYPE) {
			der_octets(v, 1, 1);
		} else if (j == 18) {
			der_octets(v, e == E_SIZE ? 15 : 16, 3);
		} else if (j == 17) {
			der_uint(v, 0x02, e == E_SIZE ? 65536 : 11);
		} else {
			der_uint(v, 0x02, e == E_SIZE ? 256 : (uint32_t)j);
		}
		return;
	}
	switch (arc) {
	case 1:
	case 6:
		if (e == E_TYPE) {
			der_uint(v, 0x02, 1);
		} else {
			der_octets(v, e == E_SIZE ? 17 : 16, (uint8_t)arc);
		}
		break;
	case 3:
	case 4:
		if (e == E_TYPE) {
			der_uint(v, 0x02, 1);
		} else {
			der_octets(v, (arc == 3 ? 2 : 6) + (e == E_SIZE),
			    (uint8_t)arc);
		}
		break;
	case 5:
		der_uint(v, e == E_TYPE ? 0x02 : 0x0a, e == E_SIZE ? 3 : 1);
		break;
	case 7:
		if (e == E_TYPE) {
			der_octets(v, 1, 0);
			break;
		}
		der_uint(&leaf, 0x01, 0xff);	/* BOOLEAN TRUE */
		der_member(&inner, 7, 1, &leaf);
		der_tlv(v, 0x30, inner.b, inner.n);
		break;
	default:
		der_octets(v, 1, 0);
		break;
	}
}

static void
pck_build(struct der *out, const struct pck_variant *pv)
{
	struct der tcb = { .n = 0 }, body = { .n = 0 }, v, seq;
	int a, j, last = pv->optional ? 7 : 5;

	for (j = 1; j <= 18; j++) {
		if (pv->arc == 100 + j && pv->edit == E_OMIT) {
			continue;
		}
		pck_value(&v, 100 + j, pv->arc == 100 + j ? pv->edit : E_NONE);
		der_member(&tcb, 2, j, &v);
		if (pv->arc == 100 + j && pv->edit == E_DUP) {
			der_member(&tcb, 2, j, &v);
		}
	}
	if (pv->unknown == 2) {
		pck_value(&v, 101, E_NONE);
		der_member(&tcb, 2, 19, &v);
	}
	for (a = 1; a <= last; a++) {
		if (pv->arc == a && pv->edit == E_OMIT) {
			continue;
		}
		if (a == 2) {
			seq.n = 0;
			if (pv->arc == 2 && pv->edit == E_TYPE) {
				der_octets(&seq, 2, 0);
			} else {
				der_tlv(&seq, 0x30, tcb.b, tcb.n);
			}
			v = seq;
		} else {
			pck_value(&v, a, pv->arc == a ? pv->edit : E_NONE);
		}
		der_member(&body, a, 0, &v);
		if (pv->arc == a && pv->edit == E_DUP) {
			der_member(&body, a, 0, &v);
		}
	}
	if (pv->unknown == 1) {
		pck_value(&v, 8, E_NONE);
		der_member(&body, 8, 0, &v);
	}
	out->n = 0;
	der_tlv(out, 0x30, body.b, body.n);
}

static enum vouch_err
pck_try(const struct pck_variant *pv, struct dcap_pck_ext *e)
{
	struct vouch_ctx *ctx = vouch_ctx_new();
	struct der d;
	enum vouch_err rv;

	assert_non_null(ctx);
	pck_build(&d, pv);
	rv = dcap_pck_ext_parse(ctx, d.b, d.n, e);
	vouch_ctx_free(ctx);
	return rv;
}

/* The builder's extension parses; each member broken is BAD_CERT. */
static void
t_pck_variants(void **state)
{
	static const enum pck_edit edits[] = { E_OMIT, E_DUP, E_SIZE, E_TYPE };
	struct pck_variant pv = { 0, E_NONE, 0, false };
	struct vouch_ctx *ctx;
	struct dcap_pck_ext e;
	struct der d;
	size_t k;
	int a, j;

	(void)state;
	assert_int_equal(pck_try(&pv, &e), VOUCH_OK);
	for (j = 0; j < 16; j++) {
		assert_int_equal(e.comp_svn[j], j + 1);
	}
	assert_int_equal(e.pcesvn, 11);
	assert_int_equal(e.cpusvn[15], 3);
	assert_int_equal(e.ppid[0], 1);
	assert_int_equal(e.pceid[1], 3);
	assert_int_equal(e.fmspc[5], 4);
	assert_int_equal(e.sgx_type, 1);
	assert_false(e.has_platform_instance_id);
	pv.optional = true;
	assert_int_equal(pck_try(&pv, &e), VOUCH_OK);
	assert_true(e.has_platform_instance_id);
	assert_int_equal(e.platform_instance_id[0], 6);

	/* Every member (optional ones included) edited every way. */
	for (a = 1; a <= 7; a++) {
		for (k = 0; k < 4; k++) {
			pv.arc = a;
			pv.edit = edits[k];
			if (a == 2 && edits[k] == E_SIZE) {
				continue;	/* covered by the TCB members */
			if (a >= 6 && edits[k] == E_OMIT) {
				assert_int_equal(pck_try(&pv, &e), VOUCH_OK);
			}
				continue;
			}
			if (a == 7 && edits[k] == E_SIZE) {
				continue;	/* Configuration has no size */
			assert_int_equal(pck_try(&pv, &e), VOUCH_ERR_BAD_CERT);
			}
		}
	}
	for (j = 1; j <= 18; j++) {
		for (k = 0; k < 4; k++) {
			pv.arc = 100 + j;
			pv.edit = edits[k];
			assert_int_equal(pck_try(&pv, &e), VOUCH_ERR_BAD_CERT);
		}
	}
	pv.arc = 0;
	pv.edit = E_NONE;
	pv.unknown = 1;
	assert_int_equal(pck_try(&pv, &e), VOUCH_ERR_BAD_CERT);
	pv.unknown = 2;
	assert_int_equal(pck_try(&pv, &e), VOUCH_ERR_BAD_CERT);

	/* Bytes after the SEQUENCE, and every truncation. */
	pv.unknown = 0;
	pck_build(&d, &pv);
	ctx = vouch_ctx_new();
	assert_non_null(ctx);
	d.b[d.n++] = 0;
	assert_int_equal(dcap_pck_ext_parse(ctx, d.b, d.n, &e),
	    VOUCH_ERR_BAD_CERT);
	for (d.n--; d.n-- > 0;) {
		assert_int_equal(dcap_pck_ext_parse(ctx, d.b, d.n, &e),
		    VOUCH_ERR_BAD_CERT);
	}
	vouch_ctx_free(ctx);
}

/* A certificate without the extension (the root of a real chain). */
static void
t_pck_no_ext(void **state)
{
	struct vouch_ctx *ctx;
	struct dcap_pck_ext e;
	struct dcap_quote q;
	struct blob b;
	BIO *bio;
	X509 *x;

	(void)state;
	NEED_TESTDATA();
	b = load("tdx/gtg_spr_e4_quote_v4.dat");
	assert_int_equal(parse(b.p, b.n, &q), VOUCH_OK);
	bio = BIO_new_mem_buf(q.pck_chain, (int)q.pck_chain_len);
	assert_non_null(bio);
	X509_free(PEM_read_bio_X509(bio, NULL, NULL, NULL));
	x = PEM_read_bio_X509(bio, NULL, NULL, NULL);	/* Platform CA */
	BIO_free(bio);
	assert_non_null(x);
	ctx = vouch_ctx_new();
	assert_non_null(ctx);
	assert_int_equal(dcap_pck_ext_from_cert(ctx, x, &e), VOUCH_ERR_BAD_CERT);
	vouch_ctx_free(ctx);
	X509_free(x);
	free(b.p);
}

/* ---- synthetic quotes (dcap_synth.h) ---- */

static const struct dsy_pck synth_pck = {
	.fmspc = { 0x00, 0x90, 0x6e, 0xd5, 0x00, 0x00 },
	.pceid = { 0x00, 0x00 },
	.comp_svn = { 6, 6, 12, 12, 255, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	.pcesvn = 13,
	.cpusvn = { 6, 6, 12, 12, 255, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
};

/*
 * Write |p| to $VOUCH_DCAP_CORPUS_OUT/<name>: how fuzz/corpus/dcap_quote
 * and fuzz/corpus/dcap_pck were made (VOUCH_DCAP_CORPUS_OUT=fuzz/corpus).
 */
static void
corpus_out(const char *name, const uint8_t *p, size_t n)
{
	const char *dir = getenv("VOUCH_DCAP_CORPUS_OUT");
	char path[1024];
	FILE *f;

	if (dir == NULL) {
		return;
	}
	assert_true((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) <
	    sizeof(path));
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

/* The P-256 public key 0x04 || x || y. */
static EVP_PKEY *
p256_pub(uint8_t pt[65])
{
	static char group[] = "prime256v1";
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	OSSL_PARAM params[3];
	EVP_PKEY *k = NULL;

	assert_non_null(c);
	params[0] = OSSL_PARAM_construct_utf8_string(
	    OSSL_PKEY_PARAM_GROUP_NAME, group, 0);
	params[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY,
	    pt, 65);
	params[2] = OSSL_PARAM_construct_end();
	assert_int_equal(EVP_PKEY_fromdata_init(c), 1);
	assert_int_equal(EVP_PKEY_fromdata(c, &k, EVP_PKEY_PUBLIC_KEY, params),
	    1);
	EVP_PKEY_CTX_free(c);
	return k;
}

static bool
verify_raw(EVP_PKEY *pub, const uint8_t *m, size_t n, const uint8_t sig[64])
{
	return vouch_ecdsa_verify_raw(NULL, pub, m, n, sig, 64) == VOUCH_OK;
}

/* v3/v4/v5 with every body kind round-trip through the parser. */
static void
t_synth_roundtrip(void **state)
{
	static const struct {
		uint16_t	version;
		uint32_t	tee;
		size_t		body_len;
		uint16_t	body_type;
		const char	*name;
	} cases[] = {
		{ 3, DCAP_TEE_SGX, 384, DCAP_BODY_SGX, "synth-sgx-v3" },
		{ 4, DCAP_TEE_SGX, 384, DCAP_BODY_SGX, "synth-sgx-v4" },
		{ 4, DCAP_TEE_TDX, 584, DCAP_BODY_TD10, "synth-tdx-v4" },
		{ 5, DCAP_TEE_SGX, 384, DCAP_BODY_SGX, "synth-sgx-v5" },
		{ 5, DCAP_TEE_TDX, 584, DCAP_BODY_TD10, "synth-td10-v5" },
		{ 5, DCAP_TEE_TDX, 648, DCAP_BODY_TD15, "synth-td15-v5" },
	};
	static const uint8_t auth[40] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	struct dsy_quote_spec sp;
	struct dcap_pck_ext e;
	struct vouch_ctx *ctx;
	struct dcap_quote q;
	uint8_t body[648], qe[384], *p, *pad, ak[65], ext[4096], *der;
	int kn;
	EVP_PKEY *akey;
	struct dsy s;
	size_t i, j, n;

	(void)state;
	dsy_init(&s, &synth_pck);
	ctx = vouch_ctx_new();
	assert_non_null(ctx);
	assert_int_equal(dcap_pck_ext_from_cert(ctx, s.pck, &e), VOUCH_OK);
	assert_memory_equal(e.fmspc, synth_pck.fmspc, 6);
	assert_memory_equal(e.comp_svn, synth_pck.comp_svn, 16);
	assert_int_equal(e.pcesvn, 13);
	n = dsy_sgx_extension(&synth_pck, ext);
	corpus_out("dcap_pck/synth-extension", ext, n);
	der = NULL;
	kn = i2d_X509(s.pck, &der);
	assert_true(kn > 0);
	corpus_out("dcap_pck/synth-pck-cert", der, (size_t)kn);
	OPENSSL_free(der);
	for (i = 0; i < sizeof(body); i++) {
		body[i] = (uint8_t)(i * 7 + 1);
	}
	memset(qe, 0, sizeof(qe));
	memset(qe + 128, 0x8c, 32);	/* MRSIGNER */
	dsy_put16(qe + 256, 1);
	dsy_put16(qe + 258, 8);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (cases[i].body_len == 384) {
			/* An SGX body with its reserved ranges zero. */
			memset(body + 20, 0, 12);
			memset(body + 96, 0, 32);
			memset(body + 160, 0, 32);
			memset(body + 262, 0, 42);
		}
		memset(&sp, 0, sizeof(sp));
		sp.version = cases[i].version;
		sp.tee_type = cases[i].tee;
		sp.body = body;
		sp.body_len = cases[i].body_len;
		sp.qe_report = qe;
		sp.auth = auth;
		sp.auth_len = sizeof(auth);
		p = dsy_quote(&s, &sp, &n);
		assert_int_equal(dcap_quote_parse(ctx, p, n, &q), VOUCH_OK);
		assert_int_equal(q.version, cases[i].version);
		assert_int_equal(q.body_type, cases[i].body_type);
		assert_int_equal(q.quote_len, n);
		assert_int_equal(q.trailing, 0);
		assert_int_equal(q.signed_len, (cases[i].version == 5 ? 54 : 48) +
		    cases[i].body_len);
		assert_memory_equal(q.signed_p + q.signed_len - cases[i].body_len,
		    body, cases[i].body_len);
		assert_int_equal(q.qe_auth_len, sizeof(auth));
		assert_memory_equal(q.qe_auth, auth, sizeof(auth));
		assert_int_equal(q.pck_chain_len, s.chain_len);
		assert_int_equal(q.qe_report.isv_svn, 8);
		if (cases[i].body_type == DCAP_BODY_TD15) {
			assert_memory_equal(q.td.mrservicetd, body + 600, 48);
		}
		/* The signatures verify with what the parser found. */
		ak[0] = 0x04;
		memcpy(ak + 1, q.att_key, 64);
		akey = p256_pub(ak);
		assert_true(verify_raw(akey, q.signed_p, q.signed_len, q.sig));
		EVP_PKEY_free(akey);
		assert_true(verify_raw(X509_get0_pubkey(s.pck), q.qe_report_p,
		    384, q.qe_report_sig));
		(void)snprintf((char *)ext, sizeof(ext), "dcap_quote/%s",
		    cases[i].name);
		corpus_out((const char *)ext, p, n);
		/* Every truncation, and the same with zero padding. */
		for (j = 0; j < n; j++) {
			assert_int_equal(dcap_quote_parse(ctx, p, j, &q),
			    VOUCH_ERR_TRUNCATED);
		}
		pad = calloc(1, n + 16);
		assert_non_null(pad);
		memcpy(pad, p, n);
		assert_int_equal(dcap_quote_parse(ctx, pad, n + 16, &q), VOUCH_OK);
		assert_int_equal(q.trailing, 16);
		free(pad);
		if (cases[i].version == 5) {
			/* body_size one off either way, body type 0 */
			dsy_put32(p + 50, (uint32_t)cases[i].body_len + 1);
			assert_int_equal(dcap_quote_parse(ctx, p, n, &q),
			    VOUCH_ERR_BAD_FIELD);
			dsy_put32(p + 50, (uint32_t)cases[i].body_len - 1);
			assert_int_equal(dcap_quote_parse(ctx, p, n, &q),
			    VOUCH_ERR_BAD_FIELD);
			dsy_put32(p + 50, (uint32_t)cases[i].body_len);
			dsy_put16(p + 48, 0);
			assert_int_equal(dcap_quote_parse(ctx, p, n, &q),
			    VOUCH_ERR_UNSUPPORTED_VERSION);
		}
		free(p);
	}
	/* A v3 quote claiming TDX; v4 TDX body with an SGX size is not it. */
	sp.version = 3;
	sp.tee_type = DCAP_TEE_TDX;
	sp.body_len = 384;
	p = dsy_quote(&s, &sp, &n);
	assert_int_equal(dcap_quote_parse(ctx, p, n, &q), VOUCH_ERR_BAD_FIELD);
	free(p);
	/* The QE report data untouched: still parses (dcap.c checks it). */
	sp.version = 4;
	sp.keep_report_data = true;
	sp.auth_len = 0;
	sp.tee_type = DCAP_TEE_TDX;
	sp.body_len = 584;
	p = dsy_quote(&s, &sp, &n);
	assert_int_equal(dcap_quote_parse(ctx, p, n, &q), VOUCH_OK);
	assert_int_equal(q.qe_auth_len, 0);
	free(p);
	vouch_ctx_free(ctx);
	dsy_free(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_real_samples),
		cmocka_unit_test(t_known_values),
		cmocka_unit_test(t_truncations),
		cmocka_unit_test(t_lengths),
		cmocka_unit_test(t_header_and_types),
		cmocka_unit_test(t_reserved),
		cmocka_unit_test(t_trailing),
		cmocka_unit_test(t_pck_real),
		cmocka_unit_test(t_pck_variants),
		cmocka_unit_test(t_pck_no_ext),
		cmocka_unit_test(t_synth_roundtrip),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
