/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The application context (include/vouch.h): platform choice, the
 * measurement of the running program, certification with vouchd, and the
 * sealed store that keeps the attested key and its admission chain
 * across restarts.
 *
 * The store is store_dir/identity.sealed: vouch_seal (lib/secret/seal.c)
 * over the compact JSON
 *
 *   {"certificate_chain": PEM, "ear": JWT, "key": PKCS#8 PEM,
 *    "platform": "sim", "vouch_store": 1}
 *
 * written atomically with mode 0600.  A store that does not unseal or
 * parse is an error, never replaced behind the application's back.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include "bs/bs.h"
#include "bs/json.h"
#include "client/client.h"
#include "crypto/crypto.h"
#include "platform/dcap.h"
#include "platform/dcap_guest.h"
#include "platform/sim.h"
#include "platform/snp.h"
#include "platform/snp_guest.h"
#include "platform/tsm.h"
#include "secret/release.h"
#include "secret/seal.h"
#include "util/file.h"
#include "vouch_internal.h"

/* Longest problem code from vouchd quoted in an error detail. */

/* ---- platforms ---------------------------------------------------- */

static bool
sim_detect(const struct vouch *v)
{
	return v->sim_dir != NULL;
}

static enum vouch_err
sim_measure(struct vouch *v)
{
	enum vouch_err rv;

	/* docs/sim-evidence.md: the SHA-384 of the running executable. */
	rv = vouch_sha384_file(v->ctx, "/proc/self/exe", v->measurement);
	if (rv != VOUCH_OK) {
		return rv;
	}
	v->measurement_len = SIM_MEASUREMENT_BYTES;
	return VOUCH_OK;
}

static enum vouch_err
sim_collect(struct vouch *v, const uint8_t rd[64], uint8_t **out,
    size_t *out_len)
{
	struct sim_attest_opts ao;

	memset(&ao, 0, sizeof(ao));
	memcpy(ao.report_data, rd, sizeof(ao.report_data));
	memcpy(ao.measurement, v->measurement, SIM_MEASUREMENT_BYTES);
	return sim_attest(v->ctx, v->sim_dir, &ao, out, out_len);
}

static enum vouch_err
sim_seal_key(struct vouch *v, uint8_t key[32])
{
	return seal_sim_key(v->ctx, v->sim_dir, v->measurement,
	    v->measurement_len, key);
}

static const struct vouch_backend sim_backend = {
	.name = "sim",
	.needs = "sim_dir or VOUCH_SIM_DIR",
	.detect = sim_detect,
	.measure = sim_measure,
	.attest = sim_collect,
	.seal_key = sim_seal_key,
};

/*
 * The sealing key of the program from a platform secret |raw| that came
 * with |rv|: vouch_seal_key_derive when it did, |raw| wiped either way.
 */
static enum vouch_err
seal_key_from(struct vouch *v, enum vouch_err rv, uint8_t *raw, size_t n,
    uint8_t key[32])
{
	if (rv == VOUCH_OK) {
		rv = vouch_seal_key_derive(v->ctx, raw, n, v->measurement,
		    v->measurement_len, key);
	}
	vouch_wipe(raw, n);
	return rv;
}

/*
 * SEV-SNP (docs/snp.md §6): reports from configfs-tsm or /dev/sev-guest
 * (snp_collect, which checks the answer binds what was asked), the launch
 * MEASUREMENT as the program's measurement, and a sealing key the
 * firmware derives (SNP_GET_DERIVED_KEY).
 */
static void
snp_opts(struct snp_collect_opts *o, bool certs)
{
	memset(o, 0, sizeof(*o));
	o->vmpl = -1;		/* the interface's default: our own level */
	o->no_certs = !certs;
}

static bool
snp_detect(const struct vouch *v)
{
	struct snp_collect_opts o;

	(void)v;
	snp_opts(&o, false);
	return snp_guest_available(&o);
}

static enum vouch_err
snp_measure(struct vouch *v)
{
	static const uint8_t zero_rd[64];
	struct snp_collect_opts o;
	struct snp_report r;
	enum vouch_err rv;
	const char *source;
	uint8_t *ev = NULL;
	size_t ev_len = 0;

	/*
	 * MEASUREMENT is fixed at launch: any report of this guest carries
	 * it, so one with zero REPORT_DATA and no certificates does.
	 */
	snp_opts(&o, false);
	rv = snp_collect(v->ctx, &o, zero_rd, &ev, &ev_len, &source);
	if (rv == VOUCH_OK) {
		rv = snp_report_parse(v->ctx, ev, SNP_REPORT_LEN, &r);
	}
	if (rv == VOUCH_OK) {
		_Static_assert(sizeof(r.measurement) <= sizeof(v->measurement),
		    "an SNP measurement fits");
		memcpy(v->measurement, r.measurement, sizeof(r.measurement));
		v->measurement_len = sizeof(r.measurement);
		v->snp_vmpl = r.vmpl;
	}
	free(ev);
	return rv;
}

static enum vouch_err
snp_attest(struct vouch *v, const uint8_t rd[64], uint8_t **out,
    size_t *out_len)
{
	struct snp_collect_opts o;
	const char *source;

	/* With the host's certificate table when it has one (VCEK, chain). */
	snp_opts(&o, true);
	return snp_collect(v->ctx, &o, rd, out, out_len, &source);
}

static enum vouch_err
snp_seal_key(struct vouch *v, uint8_t key[32])
{
	struct snp_key_request kr;
	uint8_t dk[SNP_DERIVED_KEY_BYTES];
	enum vouch_err rv;

	/*
	 * Root key VCEK (this chip), mixing in the launch MEASUREMENT and
	 * the guest POLICY: another image, or the same one launched with
	 * other policy bits (debug), gets another key.  TCB_VERSION and
	 * GUEST_SVN are left out, so a firmware update keeps the key; moving
	 * to another chip does not (docs/snp.md §6).
	 */
	memset(&kr, 0, sizeof(kr));
	kr.root_key_select = SNP_KEY_ROOT_VCEK;
	kr.guest_field_select = SNP_KEY_FIELD_MEASUREMENT |
	    SNP_KEY_FIELD_POLICY;
	kr.vmpl = v->snp_vmpl;
	rv = snp_guest_derived_key(v->ctx, NULL, &kr, dk);
	return seal_key_from(v, rv, dk, sizeof(dk), key);
}

const struct vouch_backend vouch_snp_backend = {
	.name = "snp",
	.needs = "configfs-tsm (VOUCH_TSM_ROOT) or /dev/sev-guest "
	    "(VOUCH_SEV_GUEST_DEV)",
	.detect = snp_detect,
	.measure = snp_measure,
	.attest = snp_attest,
	.seal_key = snp_seal_key,
};

/*
 * Intel TDX and SGX (docs/tdx.md §5.1): quotes from configfs-tsm
 * (tdx_guest) or Gramine's /dev/attestation (dcap_collect_*, which check
 * the answer binds what was asked), MRTD or MRENCLAVE as the program's
 * measurement.  Sealing: a TD has no key derived by the hardware, so its
 * key is released by vouchd (vouch_secret_seal_key, DESIGN "Sealing");
 * an enclave has its SGX seal key.
 */
static enum vouch_err
dcap_measure(struct vouch *v, bool tdx)
{
	static const uint8_t zero_rd[64];
	struct dcap_quote dq;
	enum vouch_err rv;
	uint8_t *q = NULL;
	size_t n = 0;

	/* MRTD and MRENCLAVE are fixed at build: any quote carries them. */
	rv = tdx ? dcap_collect_tdx(v->ctx, NULL, zero_rd, &q, &n) :
	    dcap_collect_sgx(v->ctx, NULL, zero_rd, &q, &n);
	if (rv == VOUCH_OK) {
		rv = dcap_quote_parse(v->ctx, q, n, &dq);
	}
	if (rv == VOUCH_OK) {
		_Static_assert(sizeof(dq.td.mrtd) <= sizeof(v->measurement) &&
		    sizeof(dq.sgx.mrenclave) <= sizeof(v->measurement),
		    "DCAP measurements fit");
		if (tdx) {
			memcpy(v->measurement, dq.td.mrtd, sizeof(dq.td.mrtd));
			v->measurement_len = sizeof(dq.td.mrtd);
		} else {
			memcpy(v->measurement, dq.sgx.mrenclave,
			    sizeof(dq.sgx.mrenclave));
			v->measurement_len = sizeof(dq.sgx.mrenclave);
		}
	}
	free(q);
	return rv;
}

static bool
tdx_detect(const struct vouch *v)
{
	(void)v;
	return tsm_provider_is(NULL, NULL, "tdx_guest");
}

static enum vouch_err
tdx_measure(struct vouch *v)
{
	return dcap_measure(v, true);
}

static enum vouch_err
tdx_attest(struct vouch *v, const uint8_t rd[64], uint8_t **out,
    size_t *out_len)
{
	return dcap_collect_tdx(v->ctx, NULL, rd, out, out_len);
}

const struct vouch_backend vouch_tdx_backend = {
	.name = "tdx",
	.needs = "configfs-tsm with the tdx_guest provider (VOUCH_TSM_ROOT)",
	.detect = tdx_detect,
	.measure = tdx_measure,
	.attest = tdx_attest,
	.seal_key = vouch_secret_seal_key,
};

static bool
sgx_detect(const struct vouch *v)
{
	(void)v;
	return dcap_sgx_available(NULL);
}

static enum vouch_err
sgx_measure(struct vouch *v)
{
	return dcap_measure(v, false);
}

static enum vouch_err
sgx_attest(struct vouch *v, const uint8_t rd[64], uint8_t **out,
    size_t *out_len)
{
	return dcap_collect_sgx(v->ctx, NULL, rd, out, out_len);
}

static enum vouch_err
sgx_seal_key(struct vouch *v, uint8_t key[32])
{
	uint8_t sk[DCAP_SGX_SEAL_KEY_BYTES];
	enum vouch_err rv;

	rv = dcap_sgx_seal_key(v->ctx, NULL, sk);
	return seal_key_from(v, rv, sk, sizeof(sk), key);
}

const struct vouch_backend vouch_sgx_backend = {
	.name = "sgx",
	.needs = "Gramine's /dev/attestation with attestation type dcap "
	    "(VOUCH_SGX_ATTESTATION_ROOT)",
	.detect = sgx_detect,
	.measure = sgx_measure,
	.attest = sgx_attest,
	.seal_key = sgx_seal_key,
};

/*
 * The platforms built in, in "auto" detection order: hardware first,
 * sim last (it is detected only when a sim directory is configured).  A
 * new platform adds its table here.
 */
static const struct vouch_backend *const vouch_backends[] = {
	&vouch_snp_backend,
	&vouch_tdx_backend,
	&vouch_sgx_backend,
	&sim_backend,
};

/* Names vouch knows but this build does not include. */
static const char *const known_platforms[] = {
	"tpm", "cca",
};

static enum vouch_err
select_backend(struct vouch *v, const char *name)
{
	size_t i;

	if (name == NULL || strcmp(name, "auto") == 0) {
		for (i = 0; i < sizeof(vouch_backends) /
		    sizeof(vouch_backends[0]); i++) {
			if (vouch_backends[i]->detect(v)) {
				v->backend = vouch_backends[i];
				return VOUCH_OK;
			}
		}
		return vouch_fail(v->ctx, VOUCH_ERR_UNSUPPORTED_PLATFORM,
		    "no TEE platform detected (no SEV-SNP, TDX or Gramine SGX "
		    "interface; set sim_dir or VOUCH_SIM_DIR for the simulated "
		    "platform)");
	}
	for (i = 0; i < sizeof(vouch_backends) / sizeof(vouch_backends[0]);
	    i++) {
		if (strcmp(name, vouch_backends[i]->name) == 0) {
			if (!vouch_backends[i]->detect(v)) {
				return vouch_fail(v->ctx,
				    VOUCH_ERR_INVALID_ARGUMENT,
				    "platform %s is not available here (it "
				    "needs %s)", vouch_backends[i]->name,
				    vouch_backends[i]->needs);
			}
			v->backend = vouch_backends[i];
			return VOUCH_OK;
		}
	}
	for (i = 0; i < sizeof(known_platforms) / sizeof(known_platforms[0]);
	    i++) {
		if (strcmp(name, known_platforms[i]) == 0) {
			return vouch_fail(v->ctx, VOUCH_ERR_UNSUPPORTED_PLATFORM,
			    "platform %s is not built into this library",
			    known_platforms[i]);
		}
	}
	return vouch_fail(v->ctx, VOUCH_ERR_INVALID_ARGUMENT,
	    "unknown platform name");
}

/* ---- admission chains --------------------------------------------- */

bool
vouch_asn1_time_unix(const ASN1_TIME *t, int64_t *out)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1) {
		return false;
	}
	*out = (int64_t)timegm(&tm);
	return true;
}

void
vouch_admission_info_clear(struct vouch_admission_info *info)
{
	if (info == NULL) {
		return;
	}
	X509_free(info->leaf);
	sk_X509_pop_free(info->issuers, X509_free);
	memset(info, 0, sizeof(*info));
}

enum vouch_err
vouch_admission_check(struct vouch_ctx *ctx, X509 *root, EVP_PKEY *key,
    const char *chain_pem, size_t len, bool verify, int64_t at,
    struct vouch_admission_info *out)
{
	enum vouch_err rv = VOUCH_ERR_INTERNAL;
	STACK_OF(X509) *certs = NULL, *anchors = NULL;
	X509 *leaf = NULL;
	EVP_PKEY *pub;

	memset(out, 0, sizeof(*out));
	if (len > VOUCH_CHAIN_PEM_MAX) {
		return vouch_fail(ctx, VOUCH_ERR_TOO_LARGE,
		    "admission chain larger than %u bytes", VOUCH_CHAIN_PEM_MAX);
	}
	certs = sk_X509_new_null();
	if (certs == NULL) {
		rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
		goto out;
	}
	rv = vouch_certs_parse(ctx, (const uint8_t *)chain_pem, len, certs);
	if (rv != VOUCH_OK) {
		goto out;
	}
	if (sk_X509_num(certs) != 2) {
		rv = vouch_fail(ctx, VOUCH_ERR_BAD_CERT,
		    "an admission chain is the admission certificate and the "
		    "issuing CA, not %d certificates", sk_X509_num(certs));
		goto out;
	}
	leaf = sk_X509_shift(certs);
	pub = X509_get0_pubkey(leaf);
	if (pub == NULL || key == NULL || EVP_PKEY_eq(pub, key) != 1) {
		rv = vouch_fail(ctx, VOUCH_ERR_BAD_KEY,
		    "the admission certificate is not for this key");
		goto out;
	}
	if (verify) {
		anchors = sk_X509_new_null();
		if (anchors == NULL || sk_X509_push(anchors, root) == 0) {
			rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY,
			    "out of memory");
			goto out;
		}
		rv = vouch_chain_verify(ctx, leaf, certs, anchors, at, NULL);
		if (rv != VOUCH_OK) {
			goto out;
		}
	}
	rv = ca_admission_from_cert(ctx, leaf, &out->adm);
	if (rv != VOUCH_OK) {
		goto out;
	}
	if (!vouch_asn1_time_unix(X509_get0_notBefore(leaf), &out->not_before) ||
	    !vouch_asn1_time_unix(X509_get0_notAfter(leaf), &out->not_after)) {
		rv = vouch_fail(ctx, VOUCH_ERR_BAD_CERT,
		    "admission certificate validity unreadable");
		goto out;
	}
	out->leaf = leaf;
	out->issuers = certs;
	leaf = NULL;
	certs = NULL;
	rv = VOUCH_OK;
 out:
	ERR_clear_error();
	sk_X509_free(anchors);	/* the root is borrowed */
	X509_free(leaf);
	sk_X509_pop_free(certs, X509_free);
	if (rv != VOUCH_OK) {
		vouch_admission_info_clear(out);
	}
	return rv;
}

/* ---- the identity ------------------------------------------------- */

static void
identity_clear(struct vouch_identity *id)
{
	EVP_PKEY_free(id->key);
	X509_free(id->leaf);
	sk_X509_pop_free(id->issuers, X509_free);
	free(id->chain_pem);
	free(id->ear);
	memset(id, 0, sizeof(*id));
}

/*
 * identity_build checks |key| and |chain_pem| for |v| and fills |*id|
 * (taking a reference to |key|).  |verify|: validate the chain at the
 * context's time (a stored identity is authentic by its seal and may have
 * expired; vouch_certify renews it).
 */
static enum vouch_err
identity_build(struct vouch *v, EVP_PKEY *key, const char *chain_pem,
    const char *ear, bool verify, struct vouch_identity *id)
{
	enum vouch_err rv = VOUCH_ERR_INTERNAL;
	struct vouch_admission_info info;
	size_t ear_len;

	memset(id, 0, sizeof(*id));
	memset(&info, 0, sizeof(info));
	if (key == NULL || chain_pem == NULL || ear == NULL) {
		return vouch_fail(v->ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "identity: key, chain and EAR are required");
	}
	if (!vouch_key_is_p384(key)) {
		return vouch_fail(v->ctx, VOUCH_ERR_BAD_KEY,
		    "the attested key must be ECDSA P-384");
	}
	ear_len = strnlen(ear, VOUCH_EAR_MAX + 1);
	if (ear_len > VOUCH_EAR_MAX) {
		return vouch_fail(v->ctx, VOUCH_ERR_TOO_LARGE,
		    "EAR token larger than %u bytes", VOUCH_EAR_MAX);
	}
	rv = vouch_admission_check(v->ctx, v->root, key, chain_pem,
	    strnlen(chain_pem, VOUCH_CHAIN_PEM_MAX + 1), verify,
	    vouch_ctx_now(v->ctx), &info);
	if (rv != VOUCH_OK) {
		return rv;
	}
	if (strcmp(info.adm.platform, v->backend->name) != 0) {
		rv = vouch_fail(v->ctx, VOUCH_ERR_PLATFORM_MISMATCH,
		    "the admission certificate is for another platform");
		goto out;
	}
	if (info.adm.measurement_len != v->measurement_len ||
	    memcmp(info.adm.measurement, v->measurement,
	    v->measurement_len) != 0) {
		rv = vouch_fail(v->ctx, VOUCH_ERR_BAD_CERT,
		    "the admission certificate names another measurement");
		goto out;
	}
	id->chain_pem = strdup(chain_pem);
	id->ear = strdup(ear);
	if (id->chain_pem == NULL || id->ear == NULL ||
	    EVP_PKEY_up_ref(key) != 1) {
		rv = vouch_fail(v->ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
		goto out;
	}
	id->key = key;
	id->leaf = info.leaf;
	id->issuers = info.issuers;
	id->adm = info.adm;
	id->not_before = info.not_before;
	id->not_after = info.not_after;
	info.leaf = NULL;
	info.issuers = NULL;
	rv = VOUCH_OK;
 out:
	vouch_admission_info_clear(&info);
	if (rv != VOUCH_OK) {
		identity_clear(id);
	}
	return rv;
}

/* Replace the identity of |v| with |*id| (moved). */
static void
identity_adopt(struct vouch *v, struct vouch_identity *id)
{
	identity_clear(&v->id);
	v->id = *id;
	memset(id, 0, sizeof(*id));
	/* Channels opened from now on present the new certificate. */
	SSL_CTX_free(v->ssl_ctx);
	v->ssl_ctx = NULL;
}

/*
 * jansson keeps its own copy of every string and frees it without
 * wiping.  The copy is a private heap buffer json_string_value exposes
 * read-only; wiping it in place before the value is freed is safe.
 */
static void
json_wipe_string(json_t *s)
{
	if (json_is_string(s)) {
		vouch_wipe((void *)(uintptr_t)json_string_value(s),
		    json_string_length(s));
	}
}

static enum vouch_err
store_path(struct vouch *v, char *out, size_t cap)
{
	if (!vouch_path_join(out, cap, v->store_dir, VOUCH_STORE_FILE)) {
		return vouch_fail(v->ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "store directory path too long");
	}
	return VOUCH_OK;
}

static enum vouch_err
store_save(struct vouch *v, const struct vouch_identity *id)
{
	enum vouch_err rv = VOUCH_ERR_INTERNAL;
	BIO *bio = NULL;
	json_t *doc = NULL;
	char *key_pem = NULL, *text = NULL, path[4096];
	uint8_t *blob = NULL;
	size_t text_len = 0, blob_len = 0;
	long key_len;

	rv = store_path(v, path, sizeof(path));
	if (rv != VOUCH_OK) {
		return rv;
	}
	/* Secure heap BIO: wiped when freed. */
	bio = BIO_new(BIO_s_secmem());
	if (bio == NULL ||
	    PEM_write_bio_PrivateKey(bio, id->key, NULL, NULL, 0, NULL,
	    NULL) != 1) {
		rv = vouch_fail(v->ctx, VOUCH_ERR_CRYPTO, "cannot encode key");
		goto out;
	}
	key_len = BIO_get_mem_data(bio, &key_pem);
	if (key_len <= 0) {
		rv = vouch_fail(v->ctx, VOUCH_ERR_CRYPTO, "cannot encode key");
		goto out;
	}
	doc = json_object();
	if (doc == NULL ||
	    json_object_set_new(doc, "vouch_store",
	    json_integer(VOUCH_STORE_VERSION)) != 0 ||
	    json_object_set_new(doc, "platform",
	    json_string(v->backend->name)) != 0 ||
	    json_object_set_new(doc, "key",
	    json_stringn(key_pem, (size_t)key_len)) != 0 ||
	    json_object_set_new(doc, "certificate_chain",
	    json_string(id->chain_pem)) != 0 ||
	    json_object_set_new(doc, "ear", json_string(id->ear)) != 0) {
		rv = vouch_fail(v->ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
		goto out;
	}
	/*
	 * json_dumpb writes straight into our buffer (json_dumps grows
	 * and frees intermediate copies, which would leave key bytes on
	 * the heap).
	 */
	text_len = json_dumpb(doc, NULL, 0, JSON_COMPACT | JSON_SORT_KEYS);
	text = text_len > 0 ? malloc(text_len) : NULL;
	if (text == NULL ||
	    json_dumpb(doc, text, text_len, JSON_COMPACT | JSON_SORT_KEYS) !=
	    text_len) {
		rv = vouch_fail(v->ctx, VOUCH_ERR_NO_MEMORY,
		    "cannot encode the store");
		goto out;
	}
	rv = vouch_seal(v, (const uint8_t *)text, text_len, &blob, &blob_len);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = vouch_file_write(v->ctx, path, blob, blob_len, 0600);
 out:
	json_wipe_string(json_object_get(doc, "key"));
	json_decref(doc);
	vouch_freezero(text, text_len);
	BIO_free(bio);
	free(blob);
	ERR_clear_error();
	return rv;
}

static enum vouch_err
store_parse(struct vouch *v, const uint8_t *text, size_t len,
    struct vouch_identity *id)
{
	static const char *const keys[] = { "vouch_store", "platform", "key",
	    "certificate_chain", "ear", NULL };
	enum vouch_err rv = VOUCH_ERR_INTERNAL;
	json_t *doc = NULL, *ver;
	const char *platform, *key_pem, *chain, *ear;
	EVP_PKEY *key = NULL;
	BIO *bio = NULL;

	rv = vouch_json_load(v->ctx, text, len, VOUCH_STORE_MAX_BYTES, &doc);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = vouch_json_check_keys(v->ctx, doc, keys, "identity store");
	if (rv != VOUCH_OK) {
		goto out;
	}
	ver = json_object_get(doc, "vouch_store");
	if (!json_is_integer(ver) ||
	    json_integer_value(ver) != VOUCH_STORE_VERSION) {
		rv = vouch_fail(v->ctx, VOUCH_ERR_UNSUPPORTED_VERSION,
		    "identity store: vouch_store must be %d",
		    VOUCH_STORE_VERSION);
		goto out;
	}
	platform = json_string_value(json_object_get(doc, "platform"));
	key_pem = json_string_value(json_object_get(doc, "key"));
	chain = json_string_value(json_object_get(doc, "certificate_chain"));
	ear = json_string_value(json_object_get(doc, "ear"));
	if (platform == NULL || key_pem == NULL || chain == NULL ||
	    ear == NULL) {
		rv = vouch_fail(v->ctx, VOUCH_ERR_BAD_FIELD,
		    "identity store: platform, key, certificate_chain and ear "
		    "must be strings");
		goto out;
	}
	if (strcmp(platform, v->backend->name) != 0) {
		rv = vouch_fail(v->ctx, VOUCH_ERR_PLATFORM_MISMATCH,
		    "identity store: sealed for another platform");
		goto out;
	}
	bio = BIO_new_mem_buf(key_pem,
	    (int)json_string_length(json_object_get(doc, "key")));
	if (bio == NULL) {
		rv = vouch_fail(v->ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
		goto out;
	}
	key = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
	if (key == NULL) {
		rv = vouch_fail(v->ctx, VOUCH_ERR_BAD_KEY,
		    "identity store: key is not a PEM private key");
		goto out;
	}
	rv = identity_build(v, key, chain, ear, false, id);
 out:
	BIO_free(bio);
	EVP_PKEY_free(key);
	json_wipe_string(json_object_get(doc, "key"));
	json_decref(doc);
	ERR_clear_error();
	return rv;
}

static enum vouch_err
store_load(struct vouch *v)
{
	enum vouch_err rv = VOUCH_ERR_INTERNAL;
	struct vouch_identity id;
	char path[4096], why[VOUCH_ERRMSG_MAX];
	uint8_t *blob = NULL, *text = NULL;
	size_t blob_len = 0, text_len = 0;

	memset(&id, 0, sizeof(id));
	rv = store_path(v, path, sizeof(path));
	if (rv != VOUCH_OK) {
		return rv;
	}
	rv = vouch_file_read(v->ctx, path, VOUCH_STORE_MAX_BYTES, &blob,
	    &blob_len);
	if (rv == VOUCH_ERR_NOT_FOUND) {
		/* No store yet: vouch_certify makes one. */
		return VOUCH_OK;
	}
	if (rv != VOUCH_OK) {
		return rv;
	}
	rv = vouch_unseal(v, blob, blob_len, &text, &text_len);
	if (rv == VOUCH_OK) {
		rv = store_parse(v, text, text_len, &id);
	}
	if (rv != VOUCH_OK) {
		(void)snprintf(why, sizeof(why), "%s", vouch_error(v->ctx));
		rv = vouch_fail(v->ctx, rv, "%s: %s", path, why);
		goto out;
	}
	identity_adopt(v, &id);
 out:
	identity_clear(&id);
	vouch_freezero(text, text_len);
	free(blob);
	return rv;
}

enum vouch_err
vouch_identity_install(struct vouch *v, EVP_PKEY *key, const char *chain_pem,
    const char *ear, bool save)
{
	enum vouch_err rv = VOUCH_ERR_INTERNAL;
	struct vouch_identity id;

	rv = identity_build(v, key, chain_pem, ear, true, &id);
	if (rv != VOUCH_OK) {
		return rv;
	}
	if (save) {
		rv = store_save(v, &id);
		if (rv != VOUCH_OK) {
			goto out;
		}
	}
	identity_adopt(v, &id);
	rv = VOUCH_OK;
 out:
	identity_clear(&id);
	return rv;
}

/* ---- certify ------------------------------------------------------ */

static char *
pubkey_pem(EVP_PKEY *key)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *data = NULL, *out = NULL;
	long len;

	if (bio != NULL && PEM_write_bio_PUBKEY(bio, key) == 1) {
		len = BIO_get_mem_data(bio, &data);
		if (len > 0) {
			out = strndup(data, (size_t)len);
		}
	}
	BIO_free(bio);
	return out;
}


enum vouch_err
vouch_certify_exchange(struct vouch_ctx *ctx, const char *service_url,
    const char *domain_root_path, const struct vouch_attester *att,
    EVP_PKEY **out_key, char **out_chain_pem, char **out_ear,
    char out_serial[CA_SERIAL_HEX_LEN + 1])
{
	enum vouch_err rv = VOUCH_ERR_INTERNAL;
	struct vouch_client *cl = NULL;
	EVP_PKEY *key = NULL;
	uint8_t nonce[32], rd[VOUCH_SHA512_BYTES], *ev = NULL, *spki = NULL;
	size_t ev_len = 0, b64_len = 0;
	int spki_len;
	char nonce_hex[65], *b64 = NULL, *pub = NULL;
	char *chain_copy = NULL, *ear_copy = NULL;
	json_t *req = NULL, *resp = NULL;
	const char *chain, *ear, *serial;
	long status = 0;

	*out_key = NULL;
	*out_chain_pem = NULL;
	*out_ear = NULL;
	out_serial[0] = '\0';
	rv = vouch_client_new(ctx, service_url, domain_root_path, NULL, NULL,
	    &cl);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = vouch_client_challenge(ctx, cl, nonce);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = vouch_key_gen_p384(ctx, &key);
	if (rv != VOUCH_OK) {
		goto out;
	}
	/*
	 * docs/vouchd.md: report_data binds the nonce, the new key and this
	 * build's profile (sent as "profile" so vouchd can recompute it).
	 */
	spki_len = i2d_PUBKEY(key, &spki);
	if (spki_len <= 0) {
		rv = vouch_fail(ctx, VOUCH_ERR_BAD_KEY, "cannot encode public key");
		goto out;
	}
	vouch_bind_certify_profile(nonce, sizeof(nonce), spki, (size_t)spki_len,
	    vouch_profile(), rd);
	rv = att->attest(ctx, att->arg, rd, &ev, &ev_len);
	if (rv != VOUCH_OK) {
		goto out;
	}
	b64_len = vouch_b64_encoded_len(ev_len, false) + 1;
	b64 = malloc(b64_len);
	pub = pubkey_pem(key);
	if (b64 == NULL || pub == NULL ||
	    !vouch_b64_encode(ev, ev_len, false, b64, b64_len) ||
	    !vouch_hex_encode(nonce, sizeof(nonce), nonce_hex,
	    sizeof(nonce_hex))) {
		rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
		goto out;
	}
	req = json_pack("{s:s, s:s, s:s, s:s}", "nonce", nonce_hex, "evidence",
	    b64, "public_key", pub, "profile", vouch_profile());
	if (req == NULL) {
		rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
		goto out;
	}
	rv = vouch_client_call(ctx, cl, "POST", "/v1/certify", req, &status,
	    &resp);
	if (rv != VOUCH_OK) {
		goto out;
	}
	if (status == 403) {
		rv = vouch_fail(ctx, VOUCH_ERR_POLICY_DENIED,
		    "vouchd refused certification: %s", vouch_client_problem_code(resp));
		goto out;
	}
	if (status != 200) {
		rv = vouch_fail(ctx, VOUCH_ERR_NETWORK,
		    "certify: vouchd answered HTTP %ld %s", status,
		    vouch_client_problem_code(resp));
		goto out;
	}
	chain = json_string_value(json_object_get(resp, "certificate_chain"));
	ear = json_string_value(json_object_get(resp, "ear"));
	serial = json_string_value(json_object_get(resp, "serial"));
	if (chain == NULL || ear == NULL) {
		rv = vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
		    "certify: the answer lacks certificate_chain or ear");
		goto out;
	}
	if (strlen(chain) > VOUCH_CHAIN_PEM_MAX || strlen(ear) > VOUCH_EAR_MAX) {
		rv = vouch_fail(ctx, VOUCH_ERR_TOO_LARGE,
		    "certify: certificate_chain or ear too large");
		goto out;
	}
	chain_copy = strdup(chain);
	ear_copy = strdup(ear);
	if (chain_copy == NULL || ear_copy == NULL) {
		rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
		goto out;
	}
	if (serial != NULL && strlen(serial) == CA_SERIAL_HEX_LEN) {
		memcpy(out_serial, serial, CA_SERIAL_HEX_LEN + 1);
	}
	*out_key = key;
	*out_chain_pem = chain_copy;
	*out_ear = ear_copy;
	key = NULL;
	chain_copy = NULL;
	ear_copy = NULL;
	rv = VOUCH_OK;
 out:
	json_decref(req);
	json_decref(resp);
	free(chain_copy);
	free(ear_copy);
	free(pub);
	free(b64);
	free(ev);
	OPENSSL_free(spki);
	EVP_PKEY_free(key);
	vouch_client_free(cl);
	return rv;
}

static enum vouch_err
backend_attest(struct vouch_ctx *ctx, void *arg, const uint8_t rd[64],
    uint8_t **out, size_t *out_len)
{
	struct vouch *v = arg;

	(void)ctx;
	return v->backend->attest(v, rd, out, out_len);
}

/*
 * True when the current identity can be kept: its chain verifies to the
 * domain root now and more than the renewal window is left.
 */
static bool
identity_fresh(struct vouch *v, int64_t now)
{
	STACK_OF(X509) *anchors = NULL;
	int64_t window;
	enum vouch_err rv;

	if (v->id.key == NULL) {
		return false;
	}
	anchors = sk_X509_new_null();
	if (anchors == NULL || sk_X509_push(anchors, v->root) == 0) {
		sk_X509_free(anchors);
		return false;
	}
	rv = vouch_chain_verify(v->ctx, v->id.leaf, v->id.issuers, anchors,
	    now, NULL);
	sk_X509_free(anchors);
	if (rv != VOUCH_OK) {
		return false;
	}
	window = v->renew_before > 0 ? v->renew_before :
	    (v->id.not_after - v->id.not_before) / 4;
	return v->id.not_after - now > window;
}

enum vouch_err
vouch_certify(struct vouch *v)
{
	enum vouch_err rv = VOUCH_ERR_INTERNAL;
	struct vouch_attester att;
	EVP_PKEY *key = NULL;
	char *chain = NULL, *ear = NULL, serial[CA_SERIAL_HEX_LEN + 1];

	if (v == NULL) {
		return VOUCH_ERR_INVALID_ARGUMENT;
	}
	if (identity_fresh(v, vouch_ctx_now(v->ctx))) {
		return VOUCH_OK;
	}
	if (v->service_url == NULL) {
		return vouch_fail(v->ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "no service_url to certify with");
	}
	att.attest = backend_attest;
	att.arg = v;
	rv = vouch_certify_exchange(v->ctx, v->service_url,
	    v->domain_root_path, &att, &key, &chain, &ear, serial);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = vouch_identity_install(v, key, chain, ear, true);
 out:
	EVP_PKEY_free(key);
	free(chain);
	free(ear);
	return rv;
}

/* ---- open, close and the rest ------------------------------------- */

static enum vouch_err
store_dir_open(struct vouch *v)
{
	struct stat st;

	if (mkdir(v->store_dir, 0700) == -1 && errno != EEXIST) {
		return vouch_fail(v->ctx, VOUCH_ERR_IO, "%s: cannot create: %s",
		    v->store_dir, strerror(errno));
	}
	if (stat(v->store_dir, &st) == -1 || !S_ISDIR(st.st_mode)) {
		return vouch_fail(v->ctx, VOUCH_ERR_IO,
		    "%s: not a directory", v->store_dir);
	}
	return VOUCH_OK;
}

static bool
copy_opt(char **dst, const char *src)
{
	if (src == NULL || src[0] == '\0') {
		*dst = NULL;
		return true;
	}
	*dst = strdup(src);
	return *dst != NULL;
}

enum vouch_err
vouch_open(struct vouch **out, const struct vouch_options *opts)
{
	enum vouch_err rv = VOUCH_ERR_INTERNAL;
	struct vouch *v = NULL;
	const char *sim_dir;

	if (out == NULL) {
		return VOUCH_ERR_INVALID_ARGUMENT;
	}
	*out = NULL;
	if (opts == NULL) {
		return VOUCH_ERR_INVALID_ARGUMENT;
	}
	v = calloc(1, sizeof(*v));
	if (v == NULL) {
		return VOUCH_ERR_NO_MEMORY;
	}
	v->ctx = vouch_ctx_new();
	if (v->ctx == NULL) {
		rv = VOUCH_ERR_NO_MEMORY;
		goto out;
	}
	if (opts->store_dir == NULL || opts->store_dir[0] == '\0' ||
	    opts->domain_root == NULL || opts->domain_root[0] == '\0' ||
	    opts->renew_before < 0) {
		rv = vouch_fail(v->ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "store_dir and domain_root are required");
		goto out;
	}
	sim_dir = opts->sim_dir != NULL ? opts->sim_dir :
	    secure_getenv("VOUCH_SIM_DIR");
	if (!copy_opt(&v->store_dir, opts->store_dir) ||
	    !copy_opt(&v->domain_root_path, opts->domain_root) ||
	    !copy_opt(&v->service_url, opts->service_url) ||
	    !copy_opt(&v->sim_dir, sim_dir)) {
		rv = vouch_fail(v->ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
		goto out;
	}
	v->renew_before = opts->renew_before;
	rv = select_backend(v, opts->platform);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = vouch_cert_read_pem(v->ctx, v->domain_root_path, &v->root);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = v->backend->measure(v);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = store_dir_open(v);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = store_load(v);
	if (rv != VOUCH_OK) {
		goto out;
	}
	*out = v;
	v = NULL;
	rv = VOUCH_OK;
 out:
	vouch_close(v);
	return rv;
}

enum vouch_err
vouch_sign(struct vouch *v, const uint8_t *msg, size_t n, uint8_t sig[96])
{
	if (v == NULL) {
		return VOUCH_ERR_INVALID_ARGUMENT;
	}
	if (sig == NULL || (msg == NULL && n > 0)) {
		return vouch_fail(v->ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "sign: no message or signature buffer");
	}
	if (v->id.key == NULL) {
		return vouch_fail(v->ctx, VOUCH_ERR_STATE,
		    "not certified: call vouch_certify first");
	}
	return vouch_ecdsa_sign_raw(v->ctx, v->id.key,
	    msg != NULL ? msg : (const uint8_t *)"", n, sig,
	    VOUCH_P384_SIG_BYTES);
}

enum vouch_err
vouch_admission_chain(struct vouch *v, const char **out_chain_pem,
    const char **out_ear)
{
	if (v == NULL || out_chain_pem == NULL || out_ear == NULL) {
		return v != NULL ? vouch_fail(v->ctx,
		    VOUCH_ERR_INVALID_ARGUMENT, "admission chain: no output") :
		    VOUCH_ERR_INVALID_ARGUMENT;
	}
	*out_chain_pem = NULL;
	*out_ear = NULL;
	if (v->id.key == NULL) {
		return vouch_fail(v->ctx, VOUCH_ERR_STATE,
		    "not certified: call vouch_certify first");
	}
	*out_chain_pem = v->id.chain_pem;
	*out_ear = v->id.ear;
	return VOUCH_OK;
}

const char *
vouch_last_error(const struct vouch *v)
{
	return v != NULL ? vouch_error(v->ctx) : "";
}

void
vouch_close(struct vouch *v)
{
	if (v == NULL) {
		return;
	}
	identity_clear(&v->id);
	SSL_CTX_free(v->ssl_ctx);
	BIO_meth_free(v->bio_method);
	X509_free(v->root);
	free(v->store_dir);
	free(v->domain_root_path);
	free(v->service_url);
	free(v->sim_dir);
	vouch_ctx_free(v->ctx);
	vouch_freezero(v, sizeof(*v));
}
