/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for lib/vouch.c: vouch_open's options and platform choice,
 * the sealed identity store (written 0600 in a 0700 directory, read back
 * at open, every tampering, truncation, other platform or bad content
 * refused at vouch_open and the file left as it was), the checks on an
 * installed identity, the reuse/renewal decision of vouch_certify, and
 * vouch_sign / vouch_admission_chain.  Identities come from a domain
 * built in memory (root, issuing CA, ca_issue_admission), installed with
 * vouch_identity_install: no vouchd needed.  The SEV-SNP backend runs on
 * a configfs-tsm tree of plain files made from the real Milan report
 * (read in place from $VOUCH_TESTDATA); its derived sealing key needs
 * /dev/sev-guest, so only its failures and MSG_KEY_RSP parsing are
 * reachable here.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <openssl/x509.h>

#include "ca.h"
#include "bs/json.h"
#include "crypto/crypto.h"
#include "platform/dcap.h"
#include "platform/sim.h"
#include "platform/snp.h"
#include "platform/snp_guest.h"
#include "secret/seal.h"
#include "util/file.h"
#include "vouch_internal.h"
#include "snp_testdata.h"

#define DAY		(24 * 3600)
#define LIFETIME	3600
#define EAR		"eyJhbGciOiJFUzM4NCJ9.e30.c2ln"

struct domain {
	EVP_PKEY	*root_key;
	X509		*root;
	EVP_PKEY	*issuer_key;
	X509		*issuer;
	char		 root_path[160];
};

struct fixture {
	struct vouch_ctx	*ctx;
	int64_t			 now;
	char			 dir[64];
	char			 plat[128];
	char			 plat2[128];
	char			 store[128];
	char			 store_file[192];
	struct domain		 d;
	struct domain		 other;
	uint8_t			 measurement[48];
};

static struct fixture F;

static X509 *
make_ca(EVP_PKEY *key, X509 *parent, EVP_PKEY *parent_key, const char *cn,
    int path_len, int64_t nb, int64_t na)
{
	struct vouch_cert_spec spec;
	X509 *x = NULL;

	memset(&spec, 0, sizeof(spec));
	spec.common_name = cn;
	spec.not_before = nb;
	spec.not_after = na;
	spec.is_ca = true;
	spec.path_len = path_len;
	assert_int_equal(vouch_cert_build(F.ctx, &spec, key, parent,
	    parent_key != NULL ? parent_key : key, &x), VOUCH_OK);
	return x;
}

static void
domain_make(struct domain *d, const char *name)
{
	assert_int_equal(vouch_key_gen_p384(F.ctx, &d->root_key), VOUCH_OK);
	assert_int_equal(vouch_key_gen_p384(F.ctx, &d->issuer_key), VOUCH_OK);
	d->root = make_ca(d->root_key, NULL, NULL, "vouch test domain root",
	    -1, F.now - 30 * (int64_t)DAY, F.now + 3650 * (int64_t)DAY);
	d->issuer = make_ca(d->issuer_key, d->root, d->root_key,
	    "vouch test issuing CA", 0, F.now - 30 * (int64_t)DAY,
	    F.now + 30 * (int64_t)DAY);
	(void)snprintf(d->root_path, sizeof(d->root_path), "%s/%s.pem", F.dir,
	    name);
	assert_int_equal(vouch_cert_write_pem(F.ctx, d->root_path, d->root),
	    VOUCH_OK);
}

static void
domain_free(struct domain *d)
{
	X509_free(d->root);
	X509_free(d->issuer);
	EVP_PKEY_free(d->root_key);
	EVP_PKEY_free(d->issuer_key);
}

/* A PEM admission chain (leaf + issuing CA) for |subject|. */
static char *
chain_for(struct domain *d, EVP_PKEY *subject, const char *platform,
    const uint8_t *m, size_t mlen, int64_t now, int64_t lifetime)
{
	struct ca_admission adm;
	char serial[CA_SERIAL_HEX_LEN + 1], *pem = NULL;
	X509 *leaf = NULL;

	memset(&adm, 0, sizeof(adm));
	(void)snprintf(adm.platform, sizeof(adm.platform), "%s", platform);
	memcpy(adm.measurement, m, mlen);
	adm.measurement_len = mlen;
	adm.policy_version = 3;
	(void)snprintf(adm.release, sizeof(adm.release), "release-1");
	assert_int_equal(ca_issue_admission(F.ctx, d->issuer, d->issuer_key,
	    d->root, subject, &adm, now, lifetime, &leaf, serial), VOUCH_OK);
	assert_int_equal(ca_chain_pem(F.ctx, leaf, d->issuer, &pem), VOUCH_OK);
	X509_free(leaf);
	return pem;
}

static enum vouch_err
try_open(struct vouch **v, const char *platform, const char *plat,
    const char *root, const char *service)
{
	struct vouch_options o;

	memset(&o, 0, sizeof(o));
	o.platform = platform;
	o.store_dir = F.store;
	o.domain_root = root;
	o.sim_dir = plat;
	o.service_url = service;
	return vouch_open(v, &o);
}

static struct vouch *
open_ok(void)
{
	struct vouch *v = NULL;

	assert_int_equal(try_open(&v, "sim", F.plat, F.d.root_path, NULL),
	    VOUCH_OK);
	assert_non_null(v);
	return v;
}

/* Open, install a fresh identity for this program and save it. */
static void
make_store(EVP_PKEY **out_key)
{
	struct vouch *v;
	EVP_PKEY *key = NULL;
	char *chain;

	(void)unlink(F.store_file);
	v = open_ok();
	assert_int_equal(vouch_key_gen_p384(F.ctx, &key), VOUCH_OK);
	chain = chain_for(&F.d, key, "sim", F.measurement, 48, F.now, LIFETIME);
	assert_int_equal(vouch_identity_install(v, key, chain, EAR, true),
	    VOUCH_OK);
	free(chain);
	vouch_close(v);
	if (out_key != NULL) {
		*out_key = key;
	} else {
		EVP_PKEY_free(key);
	}
}

static int
setup(void **state)
{
	struct sim_init_opts so = { .tcb_svn = 1, .root_days = 30,
	    .chip_days = 30 };

	(void)state;
	memset(&F, 0, sizeof(F));
	F.ctx = vouch_ctx_new();
	assert_non_null(F.ctx);
	F.now = (int64_t)time(NULL);
	(void)snprintf(F.dir, sizeof(F.dir), "/tmp/vouch-test-store-XXXXXX");
	assert_non_null(mkdtemp(F.dir));
	(void)snprintf(F.plat, sizeof(F.plat), "%s/plat", F.dir);
	(void)snprintf(F.plat2, sizeof(F.plat2), "%s/plat2", F.dir);
	(void)snprintf(F.store, sizeof(F.store), "%s/store", F.dir);
	(void)snprintf(F.store_file, sizeof(F.store_file), "%s/%s", F.store,
	    VOUCH_STORE_FILE);
	assert_int_equal(sim_init(F.ctx, F.plat, &so), VOUCH_OK);
	assert_int_equal(sim_init(F.ctx, F.plat2, &so), VOUCH_OK);
	assert_int_equal(vouch_sha384_file(F.ctx, "/proc/self/exe",
	    F.measurement), VOUCH_OK);
	domain_make(&F.d, "domain");
	domain_make(&F.other, "other");
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", F.dir);
	assert_int_equal(system(cmd), 0);
	domain_free(&F.d);
	domain_free(&F.other);
	vouch_ctx_free(F.ctx);
	return 0;
}

/* Each test starts without a store. */
static int
fresh(void **state)
{
	(void)state;
	(void)unlink(F.store_file);
	return 0;
}

static void
test_open_arguments(void **state)
{
	struct vouch_options o;
	struct vouch *v = (struct vouch *)&F;
	char missing[192];

	(void)state;
	assert_int_equal(vouch_open(NULL, NULL), VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(vouch_open(&v, NULL), VOUCH_ERR_INVALID_ARGUMENT);
	assert_null(v);
	memset(&o, 0, sizeof(o));
	o.domain_root = F.d.root_path;
	o.sim_dir = F.plat;
	assert_int_equal(vouch_open(&v, &o), VOUCH_ERR_INVALID_ARGUMENT);
	o.store_dir = F.store;
	o.domain_root = NULL;
	assert_int_equal(vouch_open(&v, &o), VOUCH_ERR_INVALID_ARGUMENT);
	o.domain_root = F.d.root_path;
	o.renew_before = -1;
	assert_int_equal(vouch_open(&v, &o), VOUCH_ERR_INVALID_ARGUMENT);
	assert_null(v);

	/* Platforms: sim and snp are built (snp absent here); names checked. */
	assert_int_equal(setenv("VOUCH_TSM_ROOT", "/nonexistent-tsm", 1), 0);
	assert_int_equal(setenv("VOUCH_SEV_GUEST_DEV", "/nonexistent-sev-guest",
	    1), 0);
	assert_int_equal(try_open(&v, "snp", F.plat, F.d.root_path, NULL),
	    VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(setenv("VOUCH_SGX_ATTESTATION_ROOT",
	    "/nonexistent-attestation", 1), 0);
	assert_int_equal(try_open(&v, "tdx", F.plat, F.d.root_path, NULL),
	    VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(try_open(&v, "sgx", F.plat, F.d.root_path, NULL),
	    VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(try_open(&v, "tpm", F.plat, F.d.root_path, NULL),
	    VOUCH_ERR_UNSUPPORTED_PLATFORM);
	assert_int_equal(try_open(&v, "bogus", F.plat, F.d.root_path, NULL),
	    VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(unsetenv("VOUCH_SIM_DIR"), 0);
	assert_int_equal(try_open(&v, "auto", NULL, F.d.root_path, NULL),
	    VOUCH_ERR_UNSUPPORTED_PLATFORM);
	assert_int_equal(try_open(&v, NULL, NULL, F.d.root_path, NULL),
	    VOUCH_ERR_UNSUPPORTED_PLATFORM);
	assert_int_equal(try_open(&v, "sim", NULL, F.d.root_path, NULL),
	    VOUCH_ERR_INVALID_ARGUMENT);
	assert_null(v);
	/* "auto" takes the sim directory from the option or the environment. */
	assert_int_equal(try_open(&v, "auto", F.plat, F.d.root_path, NULL),
	    VOUCH_OK);
	assert_string_equal(v->backend->name, "sim");
	assert_memory_equal(v->measurement, F.measurement, 48);
	vouch_close(v);
	assert_int_equal(setenv("VOUCH_SIM_DIR", F.plat, 1), 0);
	assert_int_equal(try_open(&v, "auto", NULL, F.d.root_path, NULL),
	    VOUCH_OK);
	assert_string_equal(v->sim_dir, F.plat);
	vouch_close(v);
	assert_int_equal(unsetenv("VOUCH_SIM_DIR"), 0);

	/* A missing or unreadable domain root. */
	(void)snprintf(missing, sizeof(missing), "%s/missing.pem", F.dir);
	assert_int_equal(try_open(&v, "sim", F.plat, missing, NULL),
	    VOUCH_ERR_NOT_FOUND);
	assert_int_equal(try_open(&v, "sim", F.plat, F.plat, NULL),
	    VOUCH_ERR_IO);
	assert_null(v);
	vouch_close(NULL);
	assert_string_equal(vouch_last_error(NULL), "");
}

static void
test_not_certified(void **state)
{
	struct vouch *v = open_ok();
	const char *chain = "x", *ear = "x";
	uint8_t sig[96];
	struct stat st;

	(void)state;
	assert_int_equal(stat(F.store, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(vouch_sign(v, (const uint8_t *)"m", 1, sig),
	    VOUCH_ERR_STATE);
	assert_int_equal(vouch_admission_chain(v, &chain, &ear),
	    VOUCH_ERR_STATE);
	assert_null(chain);
	assert_null(ear);
	assert_true(strlen(vouch_last_error(v)) > 0);
	/* No identity and no service: certify cannot do anything. */
	assert_int_equal(vouch_certify(v), VOUCH_ERR_INVALID_ARGUMENT);
	vouch_close(v);
}

static void
test_install_and_reopen(void **state)
{
	struct vouch *v;
	EVP_PKEY *key = NULL;
	const char *chain = NULL, *ear = NULL;
	uint8_t sig[96];
	struct stat st;
	X509 *leaf = NULL;
	STACK_OF(X509) *certs;
	static const char msg[] = "an attested result";

	(void)state;
	make_store(&key);
	assert_int_equal(stat(F.store_file, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	v = open_ok();
	assert_non_null(v->id.key);
	assert_int_equal(EVP_PKEY_eq(v->id.key, key), 1);
	assert_int_equal(vouch_admission_chain(v, &chain, &ear), VOUCH_OK);
	assert_string_equal(ear, EAR);
	assert_non_null(strstr(chain, "BEGIN CERTIFICATE"));
	assert_string_equal(v->id.adm.platform, "sim");
	assert_int_equal(v->id.adm.policy_version, 3);
	/* A fresh identity is reused: no service is needed. */
	assert_int_equal(vouch_certify(v), VOUCH_OK);
	/* vouch_sign verifies with the admission certificate's key. */
	assert_int_equal(vouch_sign(v, (const uint8_t *)msg, sizeof(msg), sig),
	    VOUCH_OK);
	certs = sk_X509_new_null();
	assert_non_null(certs);
	assert_int_equal(vouch_certs_parse(F.ctx, (const uint8_t *)chain,
	    strlen(chain), certs), VOUCH_OK);
	leaf = sk_X509_value(certs, 0);
	assert_int_equal(vouch_ecdsa_verify_raw(F.ctx, X509_get0_pubkey(leaf),
	    (const uint8_t *)msg, sizeof(msg), sig, sizeof(sig)), VOUCH_OK);
	sig[5] ^= 1;
	assert_int_equal(vouch_ecdsa_verify_raw(F.ctx, X509_get0_pubkey(leaf),
	    (const uint8_t *)msg, sizeof(msg), sig, sizeof(sig)),
	    VOUCH_ERR_SIGNATURE_INVALID);
	sk_X509_pop_free(certs, X509_free);
	assert_int_equal(vouch_sign(v, NULL, 0, sig), VOUCH_OK);
	assert_int_equal(vouch_sign(v, NULL, 1, sig),
	    VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(vouch_sign(v, (const uint8_t *)msg, 1, NULL),
	    VOUCH_ERR_INVALID_ARGUMENT);
	vouch_close(v);
	EVP_PKEY_free(key);
}

static void
test_renewal_window(void **state)
{
	struct vouch *v;
	struct vouch_options o;
	int64_t na;

	(void)state;
	make_store(NULL);
	v = open_ok();
	na = v->id.not_after;
	assert_int_equal(na, F.now + LIFETIME);
	/* Default window: a quarter of the lifetime (3660 s -> 915 s). */
	vouch_ctx_set_time(v->ctx, na - 1000);
	assert_int_equal(vouch_certify(v), VOUCH_OK);
	vouch_ctx_set_time(v->ctx, na - 900);
	assert_int_equal(vouch_certify(v), VOUCH_ERR_INVALID_ARGUMENT);
	assert_non_null(strstr(vouch_last_error(v), "service_url"));
	vouch_ctx_set_time(v->ctx, na + 10);
	assert_int_equal(vouch_certify(v), VOUCH_ERR_INVALID_ARGUMENT);
	/* Not valid yet also means a new certificate. */
	vouch_ctx_set_time(v->ctx, F.now - 3600);
	assert_int_equal(vouch_certify(v), VOUCH_ERR_INVALID_ARGUMENT);
	vouch_close(v);

	/* renew_before overrides the default. */
	memset(&o, 0, sizeof(o));
	o.platform = "sim";
	o.store_dir = F.store;
	o.domain_root = F.d.root_path;
	o.sim_dir = F.plat;
	o.renew_before = 100;
	assert_int_equal(vouch_open(&v, &o), VOUCH_OK);
	vouch_ctx_set_time(v->ctx, na - 900);
	assert_int_equal(vouch_certify(v), VOUCH_OK);
	vouch_ctx_set_time(v->ctx, na - 50);
	assert_int_equal(vouch_certify(v), VOUCH_ERR_INVALID_ARGUMENT);
	vouch_close(v);

	/* Renewal goes to vouchd: a service that is not there fails. */
	assert_int_equal(try_open(&v, "sim", F.plat, F.d.root_path,
	    "https://127.0.0.1:1"), VOUCH_OK);
	vouch_ctx_set_time(v->ctx, na + 10);
	assert_int_equal(vouch_certify(v), VOUCH_ERR_NETWORK);
	vouch_close(v);
	assert_int_equal(try_open(&v, "sim", F.plat, F.d.root_path,
	    "http://127.0.0.1:1"), VOUCH_OK);
	vouch_ctx_set_time(v->ctx, na + 10);
	assert_int_equal(vouch_certify(v), VOUCH_ERR_INVALID_ARGUMENT);
	/* A failed renewal keeps the old identity. */
	assert_non_null(v->id.key);
	vouch_close(v);

	/* A store from a domain the program no longer trusts is renewed. */
	assert_int_equal(try_open(&v, "sim", F.plat, F.other.root_path, NULL),
	    VOUCH_OK);
	assert_non_null(v->id.key);
	assert_int_equal(vouch_certify(v), VOUCH_ERR_INVALID_ARGUMENT);
	vouch_close(v);
}

static void
read_store(uint8_t **buf, size_t *len)
{
	assert_int_equal(vouch_file_read(F.ctx, F.store_file,
	    VOUCH_STORE_MAX_BYTES, buf, len), VOUCH_OK);
}

static void
write_store(const uint8_t *buf, size_t len)
{
	assert_int_equal(vouch_file_write(F.ctx, F.store_file, buf, len, 0600),
	    VOUCH_OK);
}

/*
 * vouch_open on |platform| (sim directory |plat|) must fail with |want|
 * and leave the store file unchanged.
 */
static void
open_fails_on(const char *platform, const char *plat, enum vouch_err want)
{
	struct vouch *v = (struct vouch *)&F;
	uint8_t *before = NULL, *after = NULL;
	size_t blen = 0, alen = 0;

	read_store(&before, &blen);
	assert_int_equal(try_open(&v, platform, plat, F.d.root_path, NULL),
	    want);
	assert_null(v);
	read_store(&after, &alen);
	assert_int_equal(alen, blen);
	assert_memory_equal(after, before, blen);
	free(before);
	free(after);
}

static void
open_fails(enum vouch_err want)
{
	open_fails_on("sim", F.plat, want);
}

static void
test_tampered_store(void **state)
{
	uint8_t *good = NULL, *bad;
	size_t len = 0, i;
	struct vouch *v;

	(void)state;
	make_store(NULL);
	read_store(&good, &len);
	assert_true(len > 1000);
	bad = malloc(len);
	assert_non_null(bad);
	/* The header, the tag and a spread of ciphertext bytes. */
	for (i = 0; i < len; i++) {
		if (i >= 16 && i + 24 < len && i % 97 != 0) {
			continue;
		}
		memcpy(bad, good, len);
		bad[i] ^= (uint8_t)(1u << (i % 8));
		write_store(bad, len);
		open_fails(VOUCH_ERR_SIGNATURE_INVALID);
	}
	/* Truncations and an empty file. */
	write_store(good, len - 1);
	open_fails(VOUCH_ERR_SIGNATURE_INVALID);
	write_store(good, 28);
	open_fails(VOUCH_ERR_SIGNATURE_INVALID);
	write_store(good, 0);
	open_fails(VOUCH_ERR_SIGNATURE_INVALID);
	memcpy(bad, good, len);
	write_store(bad, len);
	v = open_ok();
	assert_non_null(v->id.key);
	vouch_close(v);
	free(bad);
	free(good);
}

static void
test_other_platform_store(void **state)
{
	struct vouch *v = NULL;

	(void)state;
	make_store(NULL);
	/* Another sim platform (another sealing secret) cannot open it. */
	assert_int_equal(try_open(&v, "sim", F.plat2, F.d.root_path, NULL),
	    VOUCH_ERR_SIGNATURE_INVALID);
	assert_null(v);
	assert_int_equal(try_open(&v, "sim", F.plat, F.d.root_path, NULL),
	    VOUCH_OK);
	vouch_close(v);
}

/* Seal |text| as the store with this program's sealing key. */
static void
seal_store(struct vouch *v, const char *text)
{
	uint8_t *blob = NULL;
	size_t len = 0;

	assert_int_equal(vouch_seal(v, (const uint8_t *)text, strlen(text),
	    &blob, &len), VOUCH_OK);
	write_store(blob, len);
	free(blob);
}

static void
test_bad_content(void **state)
{
	struct vouch *v;
	uint8_t *text = NULL;
	size_t len = 0;
	json_t *doc = NULL;
	char *s, *other_chain;
	EVP_PKEY *other = NULL;

	(void)state;
	make_store(NULL);
	v = open_ok();
	seal_store(v, "not json");
	open_fails(VOUCH_ERR_BAD_JSON);
	seal_store(v, "{\"vouch_store\":1}");
	open_fails(VOUCH_ERR_BAD_FIELD);
	seal_store(v, "{\"vouch_store\":1,\"vouch_store\":1}");
	open_fails(VOUCH_ERR_DUPLICATE_KEY);

	/* The real content, altered one member at a time. */
	make_store(NULL);
	read_store(&text, &len);
	{
		uint8_t *pt = NULL;
		size_t pt_len = 0;

		assert_int_equal(vouch_unseal(v, text, len, &pt, &pt_len),
		    VOUCH_OK);
		assert_int_equal(vouch_json_load(F.ctx, pt, pt_len, 0, &doc),
		    VOUCH_OK);
		free(pt);
	}
	free(text);
	json_object_set_new(doc, "vouch_store", json_integer(2));
	s = json_dumps(doc, JSON_COMPACT);
	seal_store(v, s);
	free(s);
	open_fails(VOUCH_ERR_UNSUPPORTED_VERSION);
	json_object_set_new(doc, "vouch_store", json_integer(1));
	json_object_set_new(doc, "platform", json_string("snp"));
	s = json_dumps(doc, JSON_COMPACT);
	seal_store(v, s);
	free(s);
	open_fails(VOUCH_ERR_PLATFORM_MISMATCH);
	json_object_set_new(doc, "platform", json_string("sim"));
	json_object_set_new(doc, "extra", json_true());
	s = json_dumps(doc, JSON_COMPACT);
	seal_store(v, s);
	free(s);
	open_fails(VOUCH_ERR_BAD_FIELD);
	json_object_del(doc, "extra");
	json_object_set_new(doc, "key", json_string("-----BEGIN PRIVATE KEY-----"));
	s = json_dumps(doc, JSON_COMPACT);
	seal_store(v, s);
	free(s);
	open_fails(VOUCH_ERR_BAD_KEY);
	/* A chain for another key than the stored one. */
	assert_int_equal(vouch_key_gen_p384(F.ctx, &other), VOUCH_OK);
	other_chain = chain_for(&F.d, other, "sim", F.measurement, 48, F.now,
	    LIFETIME);
	make_store(NULL);
	read_store(&text, &len);
	{
		uint8_t *pt = NULL;
		size_t pt_len = 0;

		json_decref(doc);
		assert_int_equal(vouch_unseal(v, text, len, &pt, &pt_len),
		    VOUCH_OK);
		assert_int_equal(vouch_json_load(F.ctx, pt, pt_len, 0, &doc),
		    VOUCH_OK);
		free(pt);
	}
	free(text);
	json_object_set_new(doc, "certificate_chain", json_string(other_chain));
	s = json_dumps(doc, JSON_COMPACT);
	seal_store(v, s);
	free(s);
	open_fails(VOUCH_ERR_BAD_KEY);
	free(other_chain);
	EVP_PKEY_free(other);
	json_decref(doc);
	vouch_close(v);
}

static void
test_install_rejects(void **state)
{
	struct vouch *v = open_ok();
	EVP_PKEY *key = NULL, *other = NULL, *p256 = NULL;
	uint8_t m2[48];
	char *chain, *two;
	size_t n;

	(void)state;
	assert_int_equal(vouch_key_gen_p384(F.ctx, &key), VOUCH_OK);
	assert_int_equal(vouch_key_gen_p384(F.ctx, &other), VOUCH_OK);
	memcpy(m2, F.measurement, sizeof(m2));
	m2[0] ^= 1;

	/* For another key. */
	chain = chain_for(&F.d, other, "sim", F.measurement, 48, F.now,
	    LIFETIME);
	assert_int_equal(vouch_identity_install(v, key, chain, EAR, true),
	    VOUCH_ERR_BAD_KEY);
	free(chain);
	/* From another domain. */
	chain = chain_for(&F.other, key, "sim", F.measurement, 48, F.now,
	    LIFETIME);
	assert_int_equal(vouch_identity_install(v, key, chain, EAR, true),
	    VOUCH_ERR_CHAIN_INVALID);
	free(chain);
	/* For another program or platform. */
	chain = chain_for(&F.d, key, "sim", m2, 48, F.now, LIFETIME);
	assert_int_equal(vouch_identity_install(v, key, chain, EAR, true),
	    VOUCH_ERR_BAD_CERT);
	free(chain);
	chain = chain_for(&F.d, key, "snp", F.measurement, 48, F.now, LIFETIME);
	assert_int_equal(vouch_identity_install(v, key, chain, EAR, true),
	    VOUCH_ERR_PLATFORM_MISMATCH);
	free(chain);
	/* Expired. */
	chain = chain_for(&F.d, key, "sim", F.measurement, 48,
	    F.now - 2 * (int64_t)DAY, LIFETIME);
	assert_int_equal(vouch_identity_install(v, key, chain, EAR, true),
	    VOUCH_ERR_CERT_EXPIRED);
	free(chain);
	/* Only the leaf, or a third certificate. */
	chain = chain_for(&F.d, key, "sim", F.measurement, 48, F.now, LIFETIME);
	n = (size_t)(strstr(chain + 1, "-----BEGIN") - chain);
	two = strndup(chain, n);
	assert_non_null(two);
	assert_int_equal(vouch_identity_install(v, key, two, EAR, true),
	    VOUCH_ERR_BAD_CERT);
	free(two);
	two = malloc(2 * strlen(chain) + 1);
	assert_non_null(two);
	(void)snprintf(two, 2 * strlen(chain) + 1, "%s%s", chain, chain);
	assert_int_equal(vouch_identity_install(v, key, two, EAR, true),
	    VOUCH_ERR_BAD_CERT);
	free(two);
	/* Not P-384, or missing parts. */
	p256 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	assert_non_null(p256);
	assert_int_equal(vouch_identity_install(v, p256, chain, EAR, true),
	    VOUCH_ERR_BAD_KEY);
	assert_int_equal(vouch_identity_install(v, key, chain, NULL, true),
	    VOUCH_ERR_INVALID_ARGUMENT);
	/* Nothing was installed or saved. */
	assert_null(v->id.key);
	assert_int_equal(access(F.store_file, F_OK), -1);
	/* The good one, not saved. */
	assert_int_equal(vouch_identity_install(v, key, chain, EAR, false),
	    VOUCH_OK);
	assert_non_null(v->id.key);
	assert_int_equal(access(F.store_file, F_OK), -1);
	free(chain);
	EVP_PKEY_free(p256);
	EVP_PKEY_free(key);
	EVP_PKEY_free(other);
	vouch_close(v);
}

/* ---- SEV-SNP ------------------------------------------------------ */

/* Real samples are read in place: skipped without them, except in CI. */
static void
need_testdata(void)
{
	snp_testdata_find();
	if (testdata == NULL) {
		if (getenv("CI") != NULL) {
			fail_msg("no testdata in CI");
		}
		skip();
	}
}

/* A configfs-tsm entry F.dir/tsm/report/e1 of |provider| answering |report|. */
static void
tsm_fake_tree(const char *provider, const uint8_t *report, size_t n)
{
	const struct { const char *name, *text; } attrs[] = {
		{ "provider", provider }, { "generation", "7\n" },
		{ "inblob", "" }, { "privlevel", "" },
	};
	char dir[128], path[192], cmd[320];
	size_t i;

	(void)snprintf(dir, sizeof(dir), "%s/tsm/report/e1", F.dir);
	(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s' && mkdir -p '%s'", dir,
	    dir);
	assert_int_equal(system(cmd), 0);
	for (i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
		assert_true(vouch_path_join(path, sizeof(path), dir,
		    attrs[i].name));
		assert_int_equal(vouch_file_write(NULL, path,
		    (const uint8_t *)attrs[i].text, strlen(attrs[i].text), 0644),
		    VOUCH_OK);
	}
	assert_true(vouch_path_join(path, sizeof(path), dir, "outblob"));
	assert_int_equal(vouch_file_write(NULL, path, report, n, 0644),
	    VOUCH_OK);
}

static enum vouch_err
test_seal_key(struct vouch *v, uint8_t key[32])
{
	(void)v;
	memset(key, 0x5a, 32);
	return VOUCH_OK;
}

static void
snp_fake_tree(const uint8_t *report, size_t n)
{
	tsm_fake_tree("sev_guest\n", report, n);
}

static void
test_snp_backend(void **state)
{
	struct vouch_backend tb;
	struct vouch *v = NULL;
	struct blob rep;
	EVP_PKEY *key = NULL;
	uint8_t *sealed = NULL, dk[SNP_DERIVED_KEY_BYTES], rsp[64];
	size_t sealed_len = 0;
	char dev[160], tsm[160], *chain;
	const char *pem, *ear;
	struct snp_key_request kr;

	(void)state;
	need_testdata();
	(void)snprintf(tsm, sizeof(tsm), "%s/tsm", F.dir);
	(void)snprintf(dev, sizeof(dev), "%s/sev-guest", F.dir);
	assert_int_equal(setenv("VOUCH_TSM_ROOT", tsm, 1), 0);
	assert_int_equal(setenv("VOUCH_TSM_ENTRY", "e1", 1), 0);
	assert_int_equal(setenv("VOUCH_SEV_GUEST_DEV", dev, 1), 0);
	assert_int_equal(unsetenv("VOUCH_SIM_DIR"), 0);
	rep = td(MILAN_REPORT);
	assert_int_equal(rep.n, SNP_REPORT_LEN);

	/* The measure report carries zero REPORT_DATA: S-1's does not. */
	snp_fake_tree(rep.p, rep.n);
	assert_int_equal(try_open(&v, "snp", NULL, F.d.root_path, NULL),
	    VOUCH_ERR_REPORT_DATA_MISMATCH);
	assert_null(v);
	memset(rep.p + 0x50, 0, 64);
	snp_fake_tree(rep.p, rep.n);

	/* "auto" finds the guest interface; the measurement is the report's. */
	assert_int_equal(try_open(&v, NULL, NULL, F.d.root_path, NULL),
	    VOUCH_OK);
	assert_string_equal(v->backend->name, "snp");
	assert_int_equal(v->measurement_len, 48);
	assert_memory_equal(v->measurement, rep.p + 0x90, 48);
	assert_int_equal(v->snp_vmpl, rep.p[0x30]);

	/* Sealing needs SNP_GET_DERIVED_KEY: no device, not a device. */
	assert_int_equal(vouch_seal(v, (const uint8_t *)"x", 1, &sealed,
	    &sealed_len), VOUCH_ERR_NOT_FOUND);
	assert_non_null(strstr(vouch_last_error(v), "sev-guest"));
	assert_int_equal(vouch_file_write(NULL, dev, (const uint8_t *)"", 0,
	    0600), VOUCH_OK);
	assert_int_equal(vouch_seal(v, (const uint8_t *)"x", 1, &sealed,
	    &sealed_len), VOUCH_ERR_IO);
	assert_null(sealed);

	/* Identities: platform snp and this measurement only. */
	assert_int_equal(vouch_key_gen_p384(F.ctx, &key), VOUCH_OK);
	chain = chain_for(&F.d, key, "sim", rep.p + 0x90, 48, F.now, LIFETIME);
	assert_int_equal(vouch_identity_install(v, key, chain, EAR, false),
	    VOUCH_ERR_PLATFORM_MISMATCH);
	free(chain);
	chain = chain_for(&F.d, key, "snp", F.measurement, 48, F.now, LIFETIME);
	assert_int_equal(vouch_identity_install(v, key, chain, EAR, false),
	    VOUCH_ERR_BAD_CERT);
	free(chain);
	chain = chain_for(&F.d, key, "snp", rep.p + 0x90, 48, F.now, LIFETIME);
	/* Saving needs the sealing key: refused, nothing written. */
	assert_int_equal(vouch_identity_install(v, key, chain, EAR, true),
	    VOUCH_ERR_IO);
	assert_int_equal(access(F.store_file, F_OK), -1);
	assert_int_equal(vouch_identity_install(v, key, chain, EAR, false),
	    VOUCH_OK);
	assert_int_equal(vouch_admission_chain(v, &pem, &ear), VOUCH_OK);
	assert_string_equal(ear, EAR);

	/*
	 * With a stand-in key the store is written; reopened with the real
	 * backend it cannot be unsealed here, which is an error naming the
	 * store, and the file is left as it was.
	 */
	tb = vouch_snp_backend;
	tb.seal_key = test_seal_key;
	v->backend = &tb;
	assert_int_equal(vouch_identity_install(v, key, chain, EAR, true),
	    VOUCH_OK);
	vouch_close(v);
	v = NULL;
	free(chain);
	open_fails_on("snp", NULL, VOUCH_ERR_IO);

	/* MSG_KEY_RSP: STATUS, 28 reserved bytes, the key. */
	memset(rsp, 0, sizeof(rsp));
	memset(rsp + 0x20, 0xab, 32);
	assert_int_equal(snp_msg_key_rsp_parse(F.ctx, rsp, sizeof(rsp), dk),
	    VOUCH_OK);
	assert_int_equal(dk[0], 0xab);
	assert_int_equal(dk[31], 0xab);
	assert_int_equal(snp_msg_key_rsp_parse(F.ctx, rsp, 0x3f, dk),
	    VOUCH_ERR_TRUNCATED);
	assert_int_equal(snp_msg_key_rsp_parse(F.ctx, rsp, 0x10, dk),
	    VOUCH_ERR_TRUNCATED);
	rsp[0x1f] = 1;
	assert_int_equal(snp_msg_key_rsp_parse(F.ctx, rsp, sizeof(rsp), dk),
	    VOUCH_ERR_RESERVED_NONZERO);
	rsp[0x1f] = 0;
	rsp[0] = 0x16;	/* INVALID_PARAM */
	assert_int_equal(snp_msg_key_rsp_parse(F.ctx, rsp, sizeof(rsp), dk),
	    VOUCH_ERR_IO);
	memset(&kr, 0, sizeof(kr));
	kr.vmpl = 4;
	assert_int_equal(snp_guest_derived_key(F.ctx, dev, &kr, dk),
	    VOUCH_ERR_INVALID_ARGUMENT);

	/* configfs-tsm of another provider is not SNP. */
	(void)unlink(F.store_file);
	(void)unlink(dev);
	tsm_fake_tree("other_guest\n", rep.p, rep.n);
	assert_int_equal(try_open(&v, NULL, F.plat, F.d.root_path, NULL),
	    VOUCH_OK);
	assert_string_equal(v->backend->name, "sim");
	vouch_close(v);
	assert_int_equal(try_open(&v, "snp", F.plat, F.d.root_path, NULL),
	    VOUCH_ERR_INVALID_ARGUMENT);

	EVP_PKEY_free(key);
	free(rep.p);
	assert_int_equal(unsetenv("VOUCH_TSM_ENTRY"), 0);
	assert_int_equal(setenv("VOUCH_TSM_ROOT", "/nonexistent-tsm", 1), 0);
	assert_int_equal(setenv("VOUCH_SEV_GUEST_DEV", "/nonexistent-sev-guest",
	    1), 0);
}

/* ---- Intel TDX and SGX -------------------------------------------- */

/* Offsets in a v3/v4 quote (48-byte header, then the body). */
#define TD_MRTD		(48 + 136)
#define TD_REPORT_DATA	(48 + 520)
#define SGX_MRENCLAVE	(48 + 64)
#define SGX_REPORT_DATA	(48 + 320)

/* |rel| under F.dir (parents made) with |n| bytes. */
static void
put_under(const char *rel, const void *p, size_t n)
{
	char path[256], cmd[320], *slash;

	(void)snprintf(path, sizeof(path), "%s/%s", F.dir, rel);
	slash = strrchr(path, '/');
	*slash = '\0';
	(void)snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", path);
	assert_int_equal(system(cmd), 0);
	*slash = '/';
	assert_int_equal(vouch_file_write(NULL, path, p, n, 0600), VOUCH_OK);
}

static void
test_tdx_backend(void **state)
{
	struct vouch *v = NULL;
	struct blob q;
	struct dcap_quote dq;
	uint8_t *sealed = NULL;
	size_t sealed_len = 0, i;
	char tsm[160];

	(void)state;
	need_testdata();
	(void)snprintf(tsm, sizeof(tsm), "%s/tsm", F.dir);
	assert_int_equal(setenv("VOUCH_TSM_ROOT", tsm, 1), 0);
	assert_int_equal(setenv("VOUCH_TSM_ENTRY", "e1", 1), 0);
	assert_int_equal(unsetenv("VOUCH_SIM_DIR"), 0);
	q = td("tdx/phala_tdx_quote.dat");	/* T-5, v4 */

	/* The real quote does not carry the zero binding of the measure step. */
	tsm_fake_tree("tdx_guest\n", q.p, q.n);
	assert_int_equal(try_open(&v, "tdx", NULL, F.d.root_path, NULL),
	    VOUCH_ERR_REPORT_DATA_MISMATCH);
	assert_null(v);
	memset(q.p + TD_REPORT_DATA, 0, 64);
	assert_int_equal(dcap_quote_parse(F.ctx, q.p, q.n, &dq), VOUCH_OK);
	for (i = 0; i < 64; i++) {
		assert_int_equal(dq.td.report_data[i], 0);
	}
	assert_memory_equal(dq.td.mrtd, q.p + TD_MRTD, 48);
	tsm_fake_tree("tdx_guest\n", q.p, q.n);
	/* A TD is not an SNP guest. */
	assert_int_equal(try_open(&v, "snp", NULL, F.d.root_path, NULL),
	    VOUCH_ERR_INVALID_ARGUMENT);

	/* "auto" finds the TD; its measurement is MRTD. */
	assert_int_equal(try_open(&v, NULL, NULL, F.d.root_path, NULL),
	    VOUCH_OK);
	assert_string_equal(v->backend->name, "tdx");
	assert_int_equal(v->measurement_len, 48);
	assert_memory_equal(v->measurement, q.p + TD_MRTD, 48);
	/* A TD's sealing key comes from vouchd: none configured. */
	assert_int_equal(vouch_seal(v, (const uint8_t *)"x", 1, &sealed,
	    &sealed_len), VOUCH_ERR_INVALID_ARGUMENT);
	assert_non_null(strstr(vouch_last_error(v), "service_url"));
	vouch_close(v);
	v = NULL;
	/* ...or not reachable. */
	assert_int_equal(try_open(&v, "tdx", NULL, F.d.root_path,
	    "https://127.0.0.1:1"), VOUCH_OK);
	assert_int_equal(vouch_seal(v, (const uint8_t *)"x", 1, &sealed,
	    &sealed_len), VOUCH_ERR_NETWORK);
	assert_null(sealed);
	vouch_close(v);

	free(q.p);
	assert_int_equal(unsetenv("VOUCH_TSM_ENTRY"), 0);
	assert_int_equal(setenv("VOUCH_TSM_ROOT", "/nonexistent-tsm", 1), 0);
}

static void
test_sgx_backend(void **state)
{
	static const uint8_t key1[16] = { 0x11, 0x11, 0x11, 0x11, 0x11, 0x11,
	    0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11 };
	static const uint8_t key2[16] = { 0x22 };
	struct vouch *v = NULL;
	struct blob q;
	struct dcap_quote dq;
	EVP_PKEY *key = NULL;
	uint8_t *sealed = NULL;
	size_t sealed_len = 0;
	char root[160], *chain;

	(void)state;
	need_testdata();
	(void)snprintf(root, sizeof(root), "%s/att", F.dir);
	assert_int_equal(setenv("VOUCH_SGX_ATTESTATION_ROOT", root, 1), 0);
	assert_int_equal(unsetenv("VOUCH_SIM_DIR"), 0);
	q = td("sgx/mc_hw_quote_v3.dat");
	q.p[SGX_REPORT_DATA] = 1;
	put_under("att/attestation_type", "dcap\n", 5);
	put_under("att/user_report_data", "", 0);
	put_under("att/quote", q.p, q.n);
	put_under("att/keys/_sgx_mrenclave", key1, sizeof(key1));

	/* A quote without the zero binding is refused at open. */
	assert_int_equal(try_open(&v, "sgx", NULL, F.d.root_path, NULL),
	    VOUCH_ERR_REPORT_DATA_MISMATCH);
	q.p[SGX_REPORT_DATA] = 0;
	assert_int_equal(dcap_quote_parse(F.ctx, q.p, q.n, &dq), VOUCH_OK);
	assert_memory_equal(dq.sgx.mrenclave, q.p + SGX_MRENCLAVE, 32);
	put_under("att/quote", q.p, q.n);

	/* Another attestation type is not Gramine DCAP. */
	put_under("att/attestation_type", "epid\n", 5);
	assert_int_equal(try_open(&v, NULL, NULL, F.d.root_path, NULL),
	    VOUCH_ERR_UNSUPPORTED_PLATFORM);
	put_under("att/attestation_type", "dcap\n", 5);

	/* "auto" finds the enclave; its measurement is MRENCLAVE. */
	assert_int_equal(try_open(&v, NULL, NULL, F.d.root_path, NULL),
	    VOUCH_OK);
	assert_string_equal(v->backend->name, "sgx");
	assert_int_equal(v->measurement_len, 32);
	assert_memory_equal(v->measurement, q.p + SGX_MRENCLAVE, 32);

	/* The SGX seal key makes a store that a reopen reads back. */
	assert_int_equal(vouch_key_gen_p384(F.ctx, &key), VOUCH_OK);
	chain = chain_for(&F.d, key, "sgx", q.p + SGX_MRENCLAVE, 32, F.now,
	    LIFETIME);
	assert_int_equal(vouch_identity_install(v, key, chain, EAR, true),
	    VOUCH_OK);
	free(chain);
	vouch_close(v);
	v = NULL;
	assert_int_equal(try_open(&v, "sgx", NULL, F.d.root_path, NULL),
	    VOUCH_OK);
	assert_non_null(v->id.key);
	assert_int_equal(EVP_PKEY_eq(v->id.key, key), 1);
	vouch_close(v);
	v = NULL;

	/* Another seal key (another enclave or CPU) cannot open it. */
	put_under("att/keys/_sgx_mrenclave", key2, sizeof(key2));
	open_fails_on("sgx", NULL, VOUCH_ERR_SIGNATURE_INVALID);
	(void)unlink(F.store_file);

	/* A key file that is not 16 bytes, or none. */
	put_under("att/keys/_sgx_mrenclave", key1, 15);
	assert_int_equal(try_open(&v, "sgx", NULL, F.d.root_path, NULL),
	    VOUCH_OK);
	assert_int_equal(vouch_seal(v, (const uint8_t *)"x", 1, &sealed,
	    &sealed_len), VOUCH_ERR_BAD_KEY);
	(void)snprintf(root, sizeof(root), "%s/att/keys/_sgx_mrenclave",
	    F.dir);
	assert_int_equal(unlink(root), 0);
	assert_int_equal(vouch_seal(v, (const uint8_t *)"x", 1, &sealed,
	    &sealed_len), VOUCH_ERR_NOT_FOUND);
	assert_null(sealed);
	vouch_close(v);

	EVP_PKEY_free(key);
	free(q.p);
	assert_int_equal(setenv("VOUCH_SGX_ATTESTATION_ROOT",
	    "/nonexistent-attestation", 1), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_open_arguments, fresh),
		cmocka_unit_test_setup(test_not_certified, fresh),
		cmocka_unit_test_setup(test_install_and_reopen, fresh),
		cmocka_unit_test_setup(test_renewal_window, fresh),
		cmocka_unit_test_setup(test_tampered_store, fresh),
		cmocka_unit_test_setup(test_other_platform_store, fresh),
		cmocka_unit_test_setup(test_bad_content, fresh),
		cmocka_unit_test_setup(test_install_rejects, fresh),
		cmocka_unit_test_setup(test_snp_backend, fresh),
		cmocka_unit_test_setup(test_tdx_backend, fresh),
		cmocka_unit_test_setup(test_sgx_backend, fresh),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
