/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The simulated platform.  Layouts: docs/sim-evidence.md.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/x509v3.h>

#include "bs/bs.h"
#include "bs/json.h"
#include "crypto/crypto.h"
#include "platform/platform.h"
#include "platform/sim.h"
#include "util/file.h"

_Static_assert(SIM_REPORT_SIGNED_LEN + 96 == SIM_REPORT_LEN,
    "sim report: signature follows the signed range");

enum vouch_err
sim_report_parse(struct vouch_ctx *ctx, const uint8_t *buf, size_t len,
    struct sim_report *r)
{
	struct cbs c, reserved;
	uint32_t reserved32;

	memset(r, 0, sizeof(*r));
	cbs_init(&c, buf, len);
	/*= docs/sim-evidence.md, report
	 *# 0x00 u32 VERSION: 1.  A verifier rejects any other value. */
	if (!cbs_get_u32le(&c, &r->version)) {
		return vouch_fail(ctx, VOUCH_ERR_TRUNCATED,
		    "sim: report shorter than its version field");
	}
	if (r->version != SIM_REPORT_VERSION) {
		return vouch_fail(ctx, VOUCH_ERR_UNSUPPORTED_VERSION,
		    "sim: report version %u is not supported", r->version);
	}
	if (len < SIM_REPORT_LEN) {
		return vouch_fail(ctx, VOUCH_ERR_TRUNCATED,
		    "sim: report has %zu bytes, version 1 has %u", len,
		    SIM_REPORT_LEN);
	}
	if (len > SIM_REPORT_LEN) {
		return vouch_fail(ctx, VOUCH_ERR_TRAILING_DATA,
		    "sim: %zu bytes after the report", len - SIM_REPORT_LEN);
	}
	/*= docs/sim-evidence.md, report
	 *# 0x04 u32 FLAGS, 0x08 u32 TCB_SVN, 0x0C u32 reserved (zero),
	 *# 0x10 u64 TIME, 0x18 MEASUREMENT[48], 0x48 REPORT_DATA[64],
	 *# 0x88 CHIP_ID[32], 0xA8 HOST_DATA[32], 0xC8 reserved[24] (zero),
	 *# 0xE0 SIGNATURE r[48] s[48] over bytes 0x00-0xDF. */
	if (!cbs_get_u32le(&c, &r->flags) ||
	    !cbs_get_u32le(&c, &r->tcb_svn) ||
	    !cbs_get_u32le(&c, &reserved32) ||
	    !cbs_get_u64le(&c, &r->time) ||
	    !cbs_copy(&c, r->measurement, sizeof(r->measurement)) ||
	    !cbs_copy(&c, r->report_data, sizeof(r->report_data)) ||
	    !cbs_copy(&c, r->chip_id, sizeof(r->chip_id)) ||
	    !cbs_copy(&c, r->host_data, sizeof(r->host_data)) ||
	    !cbs_get_bytes(&c, &reserved, 24)) {
		return vouch_fail(ctx, VOUCH_ERR_TRUNCATED, "sim: report body");
	}
	if (cbs_offset(&c) != SIM_REPORT_SIGNED_LEN ||
	    !cbs_copy(&c, r->signature, sizeof(r->signature)) ||
	    !cbs_is_empty(&c)) {
		return vouch_fail(ctx, VOUCH_ERR_INTERNAL, "sim: layout");
	}
	if (reserved32 != 0 || !cbs_is_all_zero(&reserved)) {
		return vouch_fail(ctx, VOUCH_ERR_RESERVED_NONZERO,
		    "sim: reserved report field is not zero");
	}
	if ((r->flags & ~SIM_FLAGS_KNOWN) != 0) {
		return vouch_fail(ctx, VOUCH_ERR_RESERVED_NONZERO,
		    "sim: unknown flag bits 0x%08x", r->flags & ~SIM_FLAGS_KNOWN);
	}
	return VOUCH_OK;
}

enum vouch_err
sim_container_parse(struct vouch_ctx *ctx, const uint8_t *buf, size_t len,
    struct sim_evidence *ev)
{
	struct cbs c, magic, report, cert;
	uint16_t version, n_certs, i;

	memset(ev, 0, sizeof(*ev));
	cbs_init(&c, buf, len);
	/*= docs/sim-evidence.md, container
	 *# MAGIC "VOUCHSIM", u16 VERSION (1), u16 CERT_COUNT (1-4),
	 *# u32 REPORT_LEN, REPORT, then CERT_COUNT times u32 LEN, DER. */
	if (!cbs_get_bytes(&c, &magic, 8)) {
		return vouch_fail(ctx, VOUCH_ERR_TRUNCATED, "sim: container magic");
	}
	if (!cbs_mem_equal(&magic, (const uint8_t *)SIM_CONTAINER_MAGIC, 8)) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_MAGIC,
		    "sim: not a sim evidence container");
	}
	if (!cbs_get_u16le(&c, &version)) {
		return vouch_fail(ctx, VOUCH_ERR_TRUNCATED,
		    "sim: container version");
	}
	if (version != SIM_CONTAINER_VERSION) {
		return vouch_fail(ctx, VOUCH_ERR_UNSUPPORTED_VERSION,
		    "sim: container version %u is not supported", version);
	}
	if (!cbs_get_u16le(&c, &n_certs)) {
		return vouch_fail(ctx, VOUCH_ERR_TRUNCATED,
		    "sim: container certificate count");
	}
	if (n_certs == 0 || n_certs > SIM_CONTAINER_MAX_CERTS) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
		    "sim: %u certificates, expected 1 to %u", n_certs,
		    SIM_CONTAINER_MAX_CERTS);
	}
	if (!cbs_get_u32le_prefixed(&c, &report)) {
		return vouch_fail(ctx, VOUCH_ERR_TRUNCATED, "sim: container report");
	}
	ev->report = cbs_data(&report);
	ev->report_len = cbs_len(&report);
	for (i = 0; i < n_certs; i++) {
		if (!cbs_get_u32le_prefixed(&c, &cert)) {
			return vouch_fail(ctx, VOUCH_ERR_TRUNCATED,
			    "sim: container certificate %u", i);
		}
		if (cbs_len(&cert) == 0 || cbs_len(&cert) > VOUCH_CERT_MAX_BYTES) {
			return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
			    "sim: certificate %u has %zu bytes", i, cbs_len(&cert));
		}
		ev->certs[i] = cbs_data(&cert);
		ev->cert_lens[i] = cbs_len(&cert);
	}
	ev->n_certs = n_certs;
	if (!cbs_is_empty(&c)) {
		return vouch_fail(ctx, VOUCH_ERR_TRAILING_DATA,
		    "sim: %zu bytes after the container", cbs_len(&c));
	}
	return VOUCH_OK;
}

static bool
sim_probe(const uint8_t *ev, size_t len)
{
	return len >= 8 && memcmp(ev, SIM_CONTAINER_MAGIC, 8) == 0;
}

static enum vouch_err
add_endorsement_certs(struct vouch_ctx *ctx,
    const struct vouch_verify_config *cfg, STACK_OF(X509) *untrusted)
{
	enum vouch_err rv;
	size_t i;

	for (i = 0; i < cfg->n_endorsements; i++) {
		if (vouch_endorsement_kind(cfg->endorsements[i].p,
		    cfg->endorsements[i].n) != VOUCH_ENDORSEMENT_CERT) {
			continue;
		}
		rv = vouch_certs_parse(ctx, cfg->endorsements[i].p,
		    cfg->endorsements[i].n, untrusted);
		if (rv != VOUCH_OK) {
			return rv;
		}
	}
	return VOUCH_OK;
}

/* Cache key: SHA-256 over each certificate of the container, length first. */
static void
cache_key(const struct sim_evidence *ev, uint8_t out[VOUCH_SHA256_BYTES])
{
	const uint8_t *parts[2 * SIM_CONTAINER_MAX_CERTS];
	size_t lens[2 * SIM_CONTAINER_MAX_CERTS], i;
	uint8_t be[SIM_CONTAINER_MAX_CERTS][4];
	uint8_t h[VOUCH_SHA512_BYTES];

	for (i = 0; i < ev->n_certs; i++) {
		be[i][0] = (uint8_t)(ev->cert_lens[i] >> 24);
		be[i][1] = (uint8_t)(ev->cert_lens[i] >> 16);
		be[i][2] = (uint8_t)(ev->cert_lens[i] >> 8);
		be[i][3] = (uint8_t)ev->cert_lens[i];
		parts[2 * i] = be[i];
		lens[2 * i] = 4;
		parts[2 * i + 1] = ev->certs[i];
		lens[2 * i + 1] = ev->cert_lens[i];
	}
	vouch_bind("vouch-sim-chain-cache", parts, lens, 2 * ev->n_certs, h);
	memcpy(out, h, VOUCH_SHA256_BYTES);
}

/*
 * The chip certificate must be an end-entity signing certificate and chain
 * through the container's other certificates (and endorsement
 * certificates) to one of the caller's anchors at |now|.
 */
static enum vouch_err
sim_verify_chain(struct vouch_ctx *ctx, const struct vouch_verify_config *cfg,
    const struct sim_evidence *ev, X509 *leaf, int64_t now,
    uint8_t root_id[VOUCH_SHA256_BYTES], STACK_OF(X509) **out_chain)
{
	STACK_OF(X509) *untrusted = NULL;
	enum vouch_err rv;
	X509 *x;
	size_t i;

	*out_chain = NULL;
	if (X509_check_ca(leaf) != 0 ||
	    (X509_get_key_usage(leaf) & KU_DIGITAL_SIGNATURE) == 0) {
		return vouch_fail(ctx, VOUCH_ERR_CHAIN_INVALID,
		    "sim: chip certificate is not an end-entity signing certificate");
	}
	untrusted = sk_X509_new_null();
	if (untrusted == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
	}
	for (i = 1; i < ev->n_certs; i++) {
		rv = vouch_cert_from_der(ctx, ev->certs[i], ev->cert_lens[i], &x);
		if (rv != VOUCH_OK) {
			goto out;
		}
		if (sk_X509_push(untrusted, x) == 0) {
			X509_free(x);
			rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
			goto out;
		}
	}
	rv = add_endorsement_certs(ctx, cfg, untrusted);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = vouch_chain_verify(ctx, leaf, untrusted, cfg->anchors, now,
	    out_chain);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = vouch_key_spki_sha256(ctx, X509_get0_pubkey(sk_X509_value(*out_chain,
	    sk_X509_num(*out_chain) - 1)), root_id);
 out:
	sk_X509_pop_free(untrusted, X509_free);
	return rv;
}

static enum vouch_err
sim_verify(struct vouch_ctx *ctx, const struct vouch_verify_config *cfg,
    const uint8_t *buf, size_t len, struct vouch_result *res)
{
	enum vouch_err rv;
	struct sim_evidence ev;
	struct sim_report r;
	X509 *leaf = NULL;
	STACK_OF(X509) *chain = NULL;
	EVP_PKEY *pub;
	char serial[2 * SIM_CHIP_ID_BYTES + 1], want[2 * SIM_CHIP_ID_BYTES + 1];
	uint8_t root_id[VOUCH_SHA256_BYTES], key[VOUCH_SHA256_BYTES];
	int64_t now = vouch_ctx_now(ctx);
	bool cacheable, cached = false;

	/* 1. Parse strictly. */
	rv = sim_container_parse(ctx, buf, len, &ev);
	if (rv != VOUCH_OK) {
		return rv;
	}
	rv = sim_report_parse(ctx, ev.report, ev.report_len, &r);
	if (rv != VOUCH_OK) {
		return rv;
	}
	/* A chain that validated before, still inside its validity window. */
	cacheable = cfg->n_endorsements == 0;
	if (cacheable) {
		cache_key(&ev, key);
		cached = vouch_chain_cache_get(cfg, key, now, &leaf, root_id);
	}
	if (!cached) {
		rv = vouch_cert_from_der(ctx, ev.certs[0], ev.cert_lens[0], &leaf);
		if (rv != VOUCH_OK) {
			goto out;
		}
	}

	/* 2. Signature over the exact signed bytes, by the chip key. */
	pub = X509_get0_pubkey(leaf);
	if (pub == NULL || !vouch_key_is_p384(pub)) {
		rv = vouch_fail(ctx, VOUCH_ERR_BAD_KEY,
		    "sim: chip key is not ECDSA P-384");
		goto out;
	}
	rv = vouch_ecdsa_verify_raw(ctx, pub, ev.report, SIM_REPORT_SIGNED_LEN,
	    r.signature, sizeof(r.signature));
	if (rv != VOUCH_OK) {
		(void)vouch_fail(ctx, rv, "sim: report signature does not verify");
		goto out;
	}

	/* 3. Chain to a trust anchor given by the caller, at the ctx time. */
	if (!cached) {
		rv = sim_verify_chain(ctx, cfg, &ev, leaf, now, root_id, &chain);
		if (rv != VOUCH_OK) {
			goto out;
		}
		if (cacheable) {
			vouch_chain_cache_put(cfg, key, chain, root_id);
		}
	}

	/* 4. Consistency: chip id in the report equals the certified one. */
	if (!vouch_hex_encode(r.chip_id, sizeof(r.chip_id), want, sizeof(want)) ||
	    !vouch_cert_subject_serial(leaf, serial, sizeof(serial)) ||
	    strcmp(serial, want) != 0) {
		rv = vouch_fail(ctx, VOUCH_ERR_CHIP_ID_MISMATCH,
		    "sim: report chip_id is not the certified chip");
		goto out;
	}
	if (r.time > (uint64_t)INT64_MAX ||
	    (int64_t)r.time > now + SIM_MAX_SKEW_SECONDS) {
		rv = vouch_fail(ctx, VOUCH_ERR_REPORT_FROM_FUTURE,
		    "sim: report made after the verification time");
		goto out;
	}

	/* 5. Claims, from verified fields only. */
	if ((rv = vouch_claims_set_string(ctx, res->claims, "platform", "sim")) != VOUCH_OK ||
	    (rv = vouch_claims_set_bytes(ctx, res->claims, "measurement",
	    r.measurement, sizeof(r.measurement))) != VOUCH_OK ||
	    (rv = vouch_claims_set_bool(ctx, res->claims, "debug",
	    (r.flags & SIM_FLAG_DEBUG) != 0)) != VOUCH_OK ||
	    (rv = vouch_claims_set_bytes(ctx, res->claims, "report_data",
	    r.report_data, sizeof(r.report_data))) != VOUCH_OK ||
	    (rv = vouch_claims_set_bytes(ctx, res->claims, "chip_id",
	    r.chip_id, sizeof(r.chip_id))) != VOUCH_OK ||
	    (rv = vouch_claims_set_bytes(ctx, res->claims, "host_data",
	    r.host_data, sizeof(r.host_data))) != VOUCH_OK ||
	    (rv = vouch_claims_set_bytes(ctx, res->claims, "root_key_id",
	    root_id, sizeof(root_id))) != VOUCH_OK ||
	    (rv = vouch_claims_set_int(ctx, res->claims, "sim.version",
	    r.version)) != VOUCH_OK ||
	    (rv = vouch_claims_set_int(ctx, res->claims, "sim.flags",
	    r.flags)) != VOUCH_OK ||
	    (rv = vouch_claims_set_int(ctx, res->claims, "sim.tcb_svn",
	    r.tcb_svn)) != VOUCH_OK ||
	    (rv = vouch_claims_set_int(ctx, res->claims, "sim.time",
	    (int64_t)r.time)) != VOUCH_OK) {
		goto out;
	}
	rv = VOUCH_OK;
 out:
	sk_X509_pop_free(chain, X509_free);
	X509_free(leaf);
	return rv;
}

static json_t *
hex_json(const uint8_t *p, size_t n)
{
	char buf[2 * 96 + 1];

	if (!vouch_hex_encode(p, n, buf, sizeof(buf))) {
		return NULL;
	}
	return json_string(buf);
}

static enum vouch_err
sim_show(struct vouch_ctx *ctx, const uint8_t *buf, size_t len, json_t **out)
{
	enum vouch_err rv;
	struct sim_evidence ev;
	struct sim_report r;
	json_t *o = NULL, *rep, *certs;
	X509 *x;
	size_t i;

	*out = NULL;
	rv = sim_container_parse(ctx, buf, len, &ev);
	if (rv != VOUCH_OK) {
		return rv;
	}
	rv = sim_report_parse(ctx, ev.report, ev.report_len, &r);
	if (rv != VOUCH_OK) {
		return rv;
	}
	o = json_pack("{s:b, s:s, s:i}", "verified", 0, "platform", "sim",
	    "container_version", (json_int_t)SIM_CONTAINER_VERSION);
	rep = json_pack("{s:I, s:I, s:b, s:I, s:I, s:o?, s:o?, s:o?, s:o?, s:o?}",
	    "version", (json_int_t)r.version, "flags", (json_int_t)r.flags,
	    "debug", (r.flags & SIM_FLAG_DEBUG) != 0,
	    "tcb_svn", (json_int_t)r.tcb_svn, "time", (json_int_t)r.time,
	    "measurement", hex_json(r.measurement, sizeof(r.measurement)),
	    "report_data", hex_json(r.report_data, sizeof(r.report_data)),
	    "chip_id", hex_json(r.chip_id, sizeof(r.chip_id)),
	    "host_data", hex_json(r.host_data, sizeof(r.host_data)),
	    "signature", hex_json(r.signature, sizeof(r.signature)));
	certs = json_array();
	if (o == NULL || rep == NULL || certs == NULL) {
		json_decref(rep);
		json_decref(certs);
		rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
		goto out;
	}
	json_object_set_new(o, "report", rep);
	json_object_set_new(o, "certificates", certs);
	for (i = 0; i < ev.n_certs; i++) {
		rv = vouch_cert_from_der(ctx, ev.certs[i], ev.cert_lens[i], &x);
		if (rv != VOUCH_OK) {
			goto out;
		}
		json_array_append_new(certs, vouch_cert_describe(x));
		X509_free(x);
	}
	*out = o;
	o = NULL;
	rv = VOUCH_OK;
 out:
	json_decref(o);
	return rv;
}

const struct vouch_platform vouch_platform_sim = {
	.name = "sim",
	.probe = sim_probe,
	.verify = sim_verify,
	.show = sim_show,
};

/* The collecting side: the simulated hardware. */

static enum vouch_err
sim_path(struct vouch_ctx *ctx, char *out, size_t cap, const char *dir,
    const char *name)
{
	if (!vouch_path_join(out, cap, dir, name)) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "path too long");
	}
	return VOUCH_OK;
}

enum vouch_err
sim_init(struct vouch_ctx *ctx, const char *dir, const struct sim_init_opts *o)
{
	enum vouch_err rv;
	EVP_PKEY *root_key = NULL, *chip_key = NULL;
	X509 *root = NULL, *chip = NULL;
	uint8_t chip_id[SIM_CHIP_ID_BYTES], secret[SIM_SEAL_SECRET_BYTES];
	char chip_hex[2 * SIM_CHIP_ID_BYTES + 1], path[4096];
	char *cfg_text = NULL;
	json_t *cfg = NULL;
	int64_t now = vouch_ctx_now(ctx);
	struct stat st;
	struct vouch_cert_spec spec;

	if (o->root_days <= 0 || o->chip_days <= 0 ||
	    o->root_days > 36500 || o->chip_days > 36500) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "validity must be 1 to 36500 days");
	}
	if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
		return vouch_fail(ctx, VOUCH_ERR_IO, "%s: cannot create: %s", dir,
		    strerror(errno));
	}
	rv = sim_path(ctx, path, sizeof(path), dir, SIM_FILE_CHIP_KEY);
	if (rv != VOUCH_OK) {
		return rv;
	}
	if (stat(path, &st) == 0) {
		return vouch_fail(ctx, VOUCH_ERR_STATE,
		    "%s: already holds a sim platform", dir);
	}
	if ((rv = vouch_key_gen_p384(ctx, &root_key)) != VOUCH_OK ||
	    (rv = vouch_key_gen_p384(ctx, &chip_key)) != VOUCH_OK ||
	    (rv = vouch_random(ctx, chip_id, sizeof(chip_id))) != VOUCH_OK ||
	    (rv = vouch_random(ctx, secret, sizeof(secret))) != VOUCH_OK) {
		goto out;
	}
	(void)vouch_hex_encode(chip_id, sizeof(chip_id), chip_hex,
	    sizeof(chip_hex));
	memset(&spec, 0, sizeof(spec));
	spec.common_name = "vouch sim root";
	spec.organization = "vouch simulated vendor";
	spec.not_before = now;
	spec.not_after = now + o->root_days * 86400;
	spec.is_ca = true;
	spec.path_len = 1;
	rv = vouch_cert_build(ctx, &spec, root_key, NULL, root_key, &root);
	if (rv != VOUCH_OK) {
		goto out;
	}
	memset(&spec, 0, sizeof(spec));
	spec.common_name = "vouch sim chip";
	spec.organization = "vouch simulated vendor";
	spec.serial_attr = chip_hex;
	spec.not_before = now;
	spec.not_after = now + o->chip_days * 86400;
	spec.path_len = -1;
	rv = vouch_cert_build(ctx, &spec, chip_key, root, root_key, &chip);
	if (rv != VOUCH_OK) {
		goto out;
	}
	cfg = json_pack("{s:i, s:s, s:I}", "version", 1, "chip_id", chip_hex,
	    "tcb_svn", (json_int_t)o->tcb_svn);
	cfg_text = cfg != NULL ? vouch_json_pretty(cfg) : NULL;
	if (cfg_text == NULL) {
		rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
		goto out;
	}
	if ((rv = sim_path(ctx, path, sizeof(path), dir, SIM_FILE_ROOT_KEY)) != VOUCH_OK ||
	    (rv = vouch_key_write_pem(ctx, path, root_key)) != VOUCH_OK ||
	    (rv = sim_path(ctx, path, sizeof(path), dir, SIM_FILE_ROOT_CERT)) != VOUCH_OK ||
	    (rv = vouch_cert_write_pem(ctx, path, root)) != VOUCH_OK ||
	    (rv = sim_path(ctx, path, sizeof(path), dir, SIM_FILE_CHIP_CERT)) != VOUCH_OK ||
	    (rv = vouch_cert_write_pem(ctx, path, chip)) != VOUCH_OK ||
	    (rv = sim_path(ctx, path, sizeof(path), dir, SIM_FILE_CONFIG)) != VOUCH_OK ||
	    (rv = vouch_file_write(ctx, path, (const uint8_t *)cfg_text,
	    strlen(cfg_text), 0644)) != VOUCH_OK ||
	    (rv = sim_path(ctx, path, sizeof(path), dir, SIM_FILE_SEAL_SECRET)) != VOUCH_OK ||
	    (rv = vouch_file_write(ctx, path, secret, sizeof(secret), 0600)) != VOUCH_OK) {
		goto out;
	}
	/* The chip key last: its presence marks a complete platform. */
	rv = sim_path(ctx, path, sizeof(path), dir, SIM_FILE_CHIP_KEY);
	if (rv == VOUCH_OK) {
		rv = vouch_key_write_pem(ctx, path, chip_key);
	}
 out:
	vouch_wipe(secret, sizeof(secret));
	free(cfg_text);
	json_decref(cfg);
	X509_free(root);
	X509_free(chip);
	EVP_PKEY_free(root_key);
	EVP_PKEY_free(chip_key);
	return rv;
}

static enum vouch_err
sim_read_config(struct vouch_ctx *ctx, const char *dir, uint8_t *chip_id,
    uint32_t *tcb_svn)
{
	static const char *const keys[] = { "version", "chip_id", "tcb_svn", NULL };
	enum vouch_err rv;
	char path[4096];
	uint8_t *buf = NULL;
	size_t len = 0;
	json_t *cfg = NULL, *v;

	if ((rv = sim_path(ctx, path, sizeof(path), dir, SIM_FILE_CONFIG)) != VOUCH_OK ||
	    (rv = vouch_file_read(ctx, path, 65536, &buf, &len)) != VOUCH_OK ||
	    (rv = vouch_json_load(ctx, buf, len, 0, &cfg)) != VOUCH_OK ||
	    (rv = vouch_json_check_keys(ctx, cfg, keys, "platform.json")) != VOUCH_OK ||
	    (rv = vouch_json_get_hex(ctx, cfg, "chip_id", chip_id,
	    SIM_CHIP_ID_BYTES)) != VOUCH_OK) {
		goto out;
	}
	v = json_object_get(cfg, "version");
	if (!json_is_integer(v) || json_integer_value(v) != 1) {
		rv = vouch_fail(ctx, VOUCH_ERR_UNSUPPORTED_VERSION,
		    "platform.json: version must be 1");
		goto out;
	}
	v = json_object_get(cfg, "tcb_svn");
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > UINT32_MAX) {
		rv = vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
		    "platform.json: tcb_svn must be a 32-bit unsigned integer");
		goto out;
	}
	*tcb_svn = (uint32_t)json_integer_value(v);
 out:
	json_decref(cfg);
	free(buf);
	return rv;
}

static void
put_u32le(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void
put_u64le(uint8_t *p, uint64_t v)
{
	put_u32le(p, (uint32_t)v);
	put_u32le(p + 4, (uint32_t)(v >> 32));
}

enum vouch_err
sim_attest(struct vouch_ctx *ctx, const char *dir,
    const struct sim_attest_opts *o, uint8_t **out, size_t *out_len)
{
	enum vouch_err rv;
	EVP_PKEY *key = NULL;
	X509 *cert = NULL;
	uint8_t report[SIM_REPORT_LEN], chip_id[SIM_CHIP_ID_BYTES];
	uint8_t *der = NULL, *buf = NULL, *p;
	size_t der_len = 0, total;
	uint32_t tcb_svn = 0;
	char path[4096];
	int64_t now = vouch_ctx_now(ctx);

	*out = NULL;
	*out_len = 0;
	if ((rv = sim_read_config(ctx, dir, chip_id, &tcb_svn)) != VOUCH_OK ||
	    (rv = sim_path(ctx, path, sizeof(path), dir, SIM_FILE_CHIP_KEY)) != VOUCH_OK ||
	    (rv = vouch_key_read_pem(ctx, path, &key)) != VOUCH_OK ||
	    (rv = sim_path(ctx, path, sizeof(path), dir, SIM_FILE_CHIP_CERT)) != VOUCH_OK ||
	    (rv = vouch_cert_read_pem(ctx, path, &cert)) != VOUCH_OK ||
	    (rv = vouch_cert_to_der(ctx, cert, &der, &der_len)) != VOUCH_OK) {
		goto out;
	}
	if (o->has_tcb_svn) {
		tcb_svn = o->tcb_svn;
	}
	memset(report, 0, sizeof(report));
	put_u32le(report + 0x00, SIM_REPORT_VERSION);
	put_u32le(report + 0x04, o->debug ? SIM_FLAG_DEBUG : 0);
	put_u32le(report + 0x08, tcb_svn);
	put_u64le(report + 0x10, now < 0 ? 0 : (uint64_t)now);
	memcpy(report + 0x18, o->measurement, SIM_MEASUREMENT_BYTES);
	memcpy(report + 0x48, o->report_data, 64);
	memcpy(report + 0x88, chip_id, SIM_CHIP_ID_BYTES);
	memcpy(report + 0xa8, o->host_data, SIM_HOST_DATA_BYTES);
	rv = vouch_ecdsa_sign_raw(ctx, key, report, SIM_REPORT_SIGNED_LEN,
	    report + SIM_REPORT_SIGNED_LEN, 96);
	if (rv != VOUCH_OK) {
		goto out;
	}
	total = 8 + 2 + 2 + 4 + sizeof(report) + 4 + der_len;
	buf = malloc(total);
	if (buf == NULL) {
		rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
		goto out;
	}
	p = buf;
	memcpy(p, SIM_CONTAINER_MAGIC, 8);
	p += 8;
	p[0] = (uint8_t)SIM_CONTAINER_VERSION;
	p[1] = 0;
	p[2] = 1;	/* one certificate: the chip's */
	p[3] = 0;
	p += 4;
	put_u32le(p, (uint32_t)sizeof(report));
	p += 4;
	memcpy(p, report, sizeof(report));
	p += sizeof(report);
	put_u32le(p, (uint32_t)der_len);
	p += 4;
	memcpy(p, der, der_len);
	*out = buf;
	*out_len = total;
	buf = NULL;
	rv = VOUCH_OK;
 out:
	free(buf);
	free(der);
	X509_free(cert);
	EVP_PKEY_free(key);
	return rv;
}
