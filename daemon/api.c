/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vouchd's HTTP API (docs/vouchd.md).  Handlers run on a worker's event
 * loop; each reads only bounded, strictly parsed input.  An attester learns
 * a coarse problem code; the precise reason goes to the audit log.
 */
#include <stdio.h>
#include <sys/queue.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "bs/bs.h"
#include "bs/json.h"
#include "ca.h"
#include "crypto/crypto.h"
#include "ear.h"
#include "platform/platform.h"
#include "policy/jws.h"
#include "policy/policy.h"
#include "vouchd.h"

/* Largest PEM public key in a certify request. */
#define API_PUBKEY_MAX	4096

static uint64_t
now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static const char *
peer_addr(struct evhttp_request *req)
{
	struct evhttp_connection *con = evhttp_request_get_connection(req);
	char *addr = NULL;
	ev_uint16_t port;

	if (con != NULL) {
		evhttp_connection_get_peer(con, &addr, &port);
	}
	return addr != NULL ? addr : "?";
}

void
vouchd_audit(struct vouchd_worker *w, json_t *event)
{
	uint64_t seq;

	if (event == NULL) {
		atomic_fetch_add(&w->d->metrics.store_errors, 1);
		return;
	}
	if (w->d->store_ops->audit_append(w->ctx, w->store,
	    vouch_ctx_now(w->ctx), event, &seq) != VOUCH_OK) {
		atomic_fetch_add(&w->d->metrics.store_errors, 1);
		fprintf(stderr, "vouchd: audit append failed: %s\n",
		    vouch_errname(vouch_error_code(w->ctx)));
	}
	json_decref(event);
}

/* The request body as a bounded JSON object; NULL after replying. */
static json_t *
read_json_body(struct vouchd_worker *w, struct evhttp_request *req,
    const char *const *keys, const char *what)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	size_t len = evbuffer_get_length(in);
	const uint8_t *p;
	json_t *j = NULL;

	if (len == 0 || len > (size_t)w->d->cfg.max_body) {
		vouchd_reply_problem(req, 400, "bad-request", "Missing or oversized body");
		return NULL;
	}
	p = evbuffer_pullup(in, (ev_ssize_t)len);
	if (p == NULL ||
	    vouch_json_load(w->ctx, p, len, (size_t)w->d->cfg.max_body, &j) != VOUCH_OK ||
	    !json_is_object(j) ||
	    vouch_json_check_keys(w->ctx, j, keys, what) != VOUCH_OK) {
		json_decref(j);
		vouchd_reply_problem(req, 400, "bad-request", "Malformed JSON request");
		return NULL;
	}
	return j;
}

static bool
get_hex_field(const json_t *o, const char *key, uint8_t *out, size_t n)
{
	const char *s = json_string_value(json_object_get(o, key));
	size_t got = 0;

	return s != NULL && vouch_hex_decode(s, strlen(s), out, n, &got) &&
	    got == n;
}

/* Decode the base64 "evidence" member into a new buffer. */
static bool
get_evidence(const json_t *o, uint8_t **out, size_t *out_len)
{
	const json_t *v = json_object_get(o, "evidence");
	const char *s = json_string_value(v);
	size_t slen, cap;
	uint8_t *buf;

	*out = NULL;
	if (s == NULL) {
		return false;
	}
	slen = json_string_length(v);
	cap = vouch_b64_decoded_max(slen);
	if (cap == 0 || cap > VOUCH_EVIDENCE_MAX_BYTES + 3) {
		return false;
	}
	buf = malloc(cap);
	if (buf == NULL) {
		return false;
	}
	if (!vouch_b64_decode(s, slen, false, buf, cap, out_len)) {
		free(buf);
		return false;
	}
	*out = buf;
	return true;
}

/*
 * The current policy, verified against the domain root and cached per
 * worker by version.  NULL with |*err| set when there is none usable.
 */
static const struct vouch_policy *
current_policy(struct vouchd_worker *w, enum vouch_err *err)
{
	struct vouch_policy *pol = NULL;
	uint8_t *signed_policy = NULL, *payload = NULL;
	size_t len = 0, plen = 0;
	int64_t version = 0;

	*err = w->d->store_ops->policy_current(w->ctx, w->store, &version,
	    &signed_policy, &len);
	if (*err != VOUCH_OK) {
		if (*err != VOUCH_ERR_NOT_FOUND) {
			atomic_fetch_add(&w->d->metrics.store_errors, 1);
		}
		return NULL;
	}
	if (w->policy == NULL || w->policy_version != version) {
		*err = vouch_policy_verify_signed(w->ctx, w->d->domain_pub,
		    signed_policy, len, &payload, &plen);
		if (*err == VOUCH_OK) {
			*err = vouch_policy_parse(w->ctx, payload, plen, &pol);
		}
		free(payload);
		if (*err != VOUCH_OK) {
			free(signed_policy);
			return NULL;
		}
		vouch_policy_free(w->policy);
		w->policy = pol;
		w->policy_version = version;
	}
	free(signed_policy);
	*err = vouch_policy_check_current(w->ctx, w->policy);
	if (*err != VOUCH_OK) {
		return NULL;
	}
	return w->policy;
}

static void
handle_challenge(struct vouchd_worker *w, struct evhttp_request *req)
{
	uint8_t nonce[STORE_NONCE_BYTES];
	char hex[2 * STORE_NONCE_BYTES + 1], exp[32];
	int64_t now = vouch_ctx_now(w->ctx);
	int64_t expires = now + w->d->cfg.nonce_ttl;

	if (evhttp_request_get_command(req) != EVHTTP_REQ_POST) {
		vouchd_count(w->d, EP_CHALLENGE, OC_CLIENT_ERROR);
		vouchd_reply_problem(req, 405, "method-not-allowed", "Use POST");
		return;
	}
	if (vouch_random(w->ctx, nonce, sizeof(nonce)) != VOUCH_OK ||
	    w->d->store_ops->nonce_put(w->ctx, w->store, nonce, expires) != VOUCH_OK) {
		atomic_fetch_add(&w->d->metrics.store_errors, 1);
		vouchd_count(w->d, EP_CHALLENGE, OC_ERROR);
		vouchd_reply_problem(req, 503, "store-unavailable", "Store unavailable");
		return;
	}
	/* Expired nonces are deleted now and then, by every process. */
	if (++w->challenges % 256 == 0 &&
	    w->d->store_ops->nonce_purge(w->ctx, w->store, now) != VOUCH_OK) {
		atomic_fetch_add(&w->d->metrics.store_errors, 1);
	}
	(void)vouch_hex_encode(nonce, sizeof(nonce), hex, sizeof(hex));
	(void)vouch_time_format_rfc3339(expires, exp, sizeof(exp));
	vouchd_count(w->d, EP_CHALLENGE, OC_OK);
	vouchd_reply_json(req, 200, json_pack("{s:s, s:s, s:I}", "nonce", hex,
	    "expires", exp, "expires_in", (json_int_t)w->d->cfg.nonce_ttl));
}

/* Everything one appraisal produces, for the audit log and the EAR. */
struct appraisal {
	enum vouch_err		 err;
	const char		*stage;
	char			 detail[VOUCH_EXPLAIN_TEXT_MAX];
	struct vouch_result	*res;
	struct vouch_explain	 ex;
	int64_t			 policy_version;
	const char		*platform;
	bool			 debug;
};

static void
appraisal_fail(struct vouchd_worker *w, struct appraisal *a, enum vouch_err err,
    const char *stage)
{
	a->err = err;
	a->stage = stage;
	(void)snprintf(a->detail, sizeof(a->detail), "%s", vouch_error(w->ctx));
}

/*
 * The worker's verification configuration for |p|, made once: the
 * platform, its trust anchors, and the cache of validated chains.
 */
static struct vouch_verify_config *
worker_verify_config(struct vouchd_worker *w, const struct vouch_platform *p)
{
	struct vouch_verify_config *cfg;
	size_t i;

	for (i = 0; i < VOUCHD_MAX_PLATFORMS && w->verify[i].platform != NULL; i++) {
		if (w->verify[i].platform == p) {
			return w->verify[i].cfg;
		}
	}
	if (i == VOUCHD_MAX_PLATFORMS) {
		(void)vouch_fail(w->ctx, VOUCH_ERR_INTERNAL, "too many platforms");
		return NULL;
	}
	cfg = vouch_verify_config_new();
	/*
	 * Collateral: the operator's cache directory (SEV-SNP, TDX, SGX) and,
	 * only when configured, AMD KDS (docs/snp.md).  Everything is checked
	 * against the pinned vendor roots like any endorsement.
	 */
	if (cfg == NULL ||
	    vouch_verify_config_set_platform(w->ctx, cfg, p->name) != VOUCH_OK ||
	    (w->d->sim_root_pem != NULL && strcmp(p->name, "sim") == 0 &&
	    vouch_verify_config_add_trust_anchor(w->ctx, cfg, w->d->sim_root_pem,
	    w->d->sim_root_len) != VOUCH_OK) ||
	    (strcmp(p->name, "sim") != 0 && w->d->cfg.collateral_cache != NULL &&
	    vouch_verify_config_set_cache_dir(w->ctx, cfg,
	    w->d->cfg.collateral_cache) != VOUCH_OK) ||
	    (strcmp(p->name, "snp") == 0 && w->d->cfg.kds_url != NULL &&
	    vouch_verify_config_enable_fetch(w->ctx, cfg, "snp",
	    w->d->cfg.kds_url) != VOUCH_OK) ||
	    ((strcmp(p->name, "tdx") == 0 || strcmp(p->name, "sgx") == 0) &&
	    w->d->cfg.pcs_url != NULL &&
	    vouch_verify_config_enable_fetch(w->ctx, cfg, p->name,
	    w->d->cfg.pcs_url) != VOUCH_OK)) {
		if (cfg == NULL) {
			(void)vouch_fail(w->ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
		}
		vouch_verify_config_free(cfg);
		return NULL;
	}
	w->verify[i].platform = p;
	w->verify[i].cfg = cfg;
	return cfg;
}

/*
 * Verify |ev| under the current policy with |report_data| as the binding:
 * platform trusted, evidence verified, then the policy's admission rules.
 */
static void
appraise(struct vouchd_worker *w, const struct vouch_policy *pol,
    const uint8_t *ev, size_t ev_len, const uint8_t report_data[64],
    const char *profile, struct appraisal *a)
{
	struct vouch_verify_config *cfg;
	const struct vouch_platform *p;
	const uint8_t *m;
	size_t mlen;
	uint64_t t0 = now_usec();
	int dbg = 0;

	a->policy_version = vouch_policy_version(pol);
	p = vouch_platform_detect(ev, ev_len);
	if (p == NULL) {
		appraisal_fail(w, a, vouch_fail(w->ctx, VOUCH_ERR_UNKNOWN_FORMAT,
		    "evidence format not recognized"), "parse");
		goto out;
	}
	a->platform = p->name;
	if (!vouch_policy_platform_is_trusted(pol, p->name)) {
		appraisal_fail(w, a, vouch_fail(w->ctx,
		    VOUCH_ERR_PLATFORM_NOT_TRUSTED,
		    "platform %s is not trusted by policy version %lld", p->name,
		    (long long)a->policy_version), "policy");
		goto out;
	}
	cfg = worker_verify_config(w, p);
	if (cfg == NULL ||
	    vouch_verify_config_set_report_data(w->ctx, cfg, report_data, 64) != VOUCH_OK) {
		appraisal_fail(w, a, vouch_error_code(w->ctx), "config");
		goto out;
	}
	/* The policy decides debug; the configuration is reused per platform. */
	cfg->allow_debug = vouch_policy_platform_allows_debug(pol, p->name);
	/*
	 * Provisional firmware is the policy's decision: every policy that
	 * trusts snp refuses it unless allow_provisional_firmware is true.
	 */
	cfg->allow_provisional_firmware = true;
	/*
	 * Likewise the Intel TCB statuses that need software hardening or
	 * configuration: accepted only where the policy's
	 * accept_tcb_status names them (pol_eval_dcap).
	 */
	if (vouch_verify_config_accept_tcb_status(w->ctx, cfg,
	    "SWHardeningNeeded") != VOUCH_OK ||
	    vouch_verify_config_accept_tcb_status(w->ctx, cfg,
	    "ConfigurationNeeded") != VOUCH_OK ||
	    vouch_verify_config_accept_tcb_status(w->ctx, cfg,
	    "ConfigurationAndSWHardeningNeeded") != VOUCH_OK) {
		appraisal_fail(w, a, VOUCH_ERR_INTERNAL, "config");
		goto out;
	}
	a->err = vouch_verify_evidence(w->ctx, cfg, ev, ev_len, &a->res);
	if (a->err != VOUCH_OK) {
		appraisal_fail(w, a, a->err, "verify");
		goto out;
	}
	/*
	 * The build profile the program bound into report_data with the
	 * nonce and key (docs/vouchd.md): authentic as far as the measured
	 * program is, and absent (so no rule on it passes) when not bound.
	 */
	if (profile != NULL && vouch_claims_set_string(w->ctx,
	    a->res->claims, "profile", profile) != VOUCH_OK) {
		appraisal_fail(w, a, vouch_error_code(w->ctx), "claims");
		goto out;
	}
	if (vouch_claims_get_bool(vouch_result_claims(a->res), "debug", &dbg)) {
		a->debug = dbg != 0;
	}
	a->err = vouch_policy_evaluate_admission(w->ctx, pol,
	    vouch_result_claims(a->res), &a->ex);
	if (a->err != VOUCH_OK) {
		appraisal_fail(w, a, a->err, "policy");
		(void)snprintf(a->detail, sizeof(a->detail), "%s", a->ex.text);
		goto out;
	}
	if (!vouch_claims_get_bytes(vouch_result_claims(a->res), "measurement",
	    &m, &mlen)) {
		appraisal_fail(w, a, vouch_fail(w->ctx, VOUCH_ERR_INTERNAL,
		    "no measurement claim"), "policy");
		goto out;
	}
	a->stage = "admitted";
 out:
	vouchd_observe_verify(w->d, now_usec() - t0);
}

static json_t *
audit_event(struct evhttp_request *req, const char *type,
    const struct appraisal *a)
{
	json_t *e = json_pack("{s:s, s:s, s:s, s:I}", "type", type,
	    "outcome", a->err == VOUCH_OK ? "admitted" : "rejected",
	    "peer", peer_addr(req), "policy_version",
	    (json_int_t)a->policy_version);
	const uint8_t *m;
	size_t mlen;
	char hex[2 * 64 + 1];

	if (e == NULL) {
		return NULL;
	}
	if (a->err != VOUCH_OK) {
		json_object_set_new(e, "error", json_string(vouch_errname(a->err)));
		json_object_set_new(e, "stage", json_string(a->stage != NULL ?
		    a->stage : "request"));
		json_object_set_new(e, "detail", json_string(a->detail));
	}
	if (a->platform != NULL) {
		json_object_set_new(e, "platform", json_string(a->platform));
	}
	if (a->res != NULL && vouch_claims_get_bytes(vouch_result_claims(a->res),
	    "measurement", &m, &mlen) && mlen <= 64 &&
	    vouch_hex_encode(m, mlen, hex, sizeof(hex))) {
		json_object_set_new(e, "measurement", json_string(hex));
	}
	if (a->ex.release[0] != '\0') {
		json_object_set_new(e, "release", json_string(a->ex.release));
	}
	return e;
}

static enum vouch_err
make_ear(struct vouchd_worker *w, const struct appraisal *a,
    const uint8_t *nonce, size_t nonce_len, char **out)
{
	struct ear_input in;
	const uint8_t *m = NULL;
	size_t mlen = 0;

	memset(&in, 0, sizeof(in));
	in.admitted = a->err == VOUCH_OK;
	in.platform = a->platform != NULL ? a->platform : "unknown";
	in.is_sim = a->platform != NULL && strcmp(a->platform, "sim") == 0;
	in.debug = a->debug;
	in.measurement_trusted = a->ex.release[0] != '\0';
	in.hardware_verified = a->res != NULL;
	in.nonce = nonce;
	in.nonce_len = nonce_len;
	in.policy_version = a->policy_version;
	if (a->res != NULL) {
		(void)vouch_claims_get_bytes(vouch_result_claims(a->res),
		    "measurement", &m, &mlen);
	}
	in.measurement = m;
	in.measurement_len = mlen;
	return ear_sign(w->ctx, w->d->issuer_key, w->d->issuer_kid, &in,
	    vouch_ctx_now(w->ctx), out);
}

/* The request's EC public key, parsed strictly, and its DER SPKI. */
static EVP_PKEY *
parse_public_key(struct vouchd_worker *w, const json_t *o, uint8_t *spki,
    size_t *spki_len)
{
	const json_t *v = json_object_get(o, "public_key");
	EVP_PKEY *pk = NULL;

	if (!json_is_string(v) || json_string_length(v) > API_PUBKEY_MAX ||
	    vouch_ec_pubkey_from_pem(w->ctx, json_string_value(v),
	    json_string_length(v), &pk, spki, spki_len) != VOUCH_OK) {
		return NULL;
	}
	return pk;
}

/*
 * The optional "profile" member: absent is fine (*out stays NULL); a
 * present one must name a build profile.
 */
static bool
get_profile(const json_t *o, const char **out)
{
	const json_t *v = json_object_get(o, "profile");

	*out = NULL;
	if (v == NULL) {
		return true;
	}
	if (!json_is_string(v) || !vouch_profile_name_valid(
	    json_string_value(v), json_string_length(v))) {
		return false;
	}
	*out = json_string_value(v);
	return true;
}

static void
handle_certify(struct vouchd_worker *w, struct evhttp_request *req)
{
	static const char *const keys[] = { "nonce", "evidence", "public_key",
	    "profile", NULL };
	struct appraisal a;
	const struct vouch_policy *pol;
	struct ca_admission adm;
	json_t *body = NULL;
	uint8_t nonce[STORE_NONCE_BYTES], rd[VOUCH_SHA512_BYTES], *ev = NULL;
	uint8_t spki[VOUCH_EC_SPKI_MAX];
	size_t ev_len = 0, spki_len = 0;
	EVP_PKEY *pub = NULL;
	char serial[33], *chain = NULL, *ear = NULL;
	const char *profile = NULL;
	json_t *audit = NULL;
	const uint8_t *m;
	size_t mlen;
	struct store_cert sc;
	int64_t now = vouch_ctx_now(w->ctx);
	enum vouch_err perr;

	memset(&a, 0, sizeof(a));
	if (evhttp_request_get_command(req) != EVHTTP_REQ_POST) {
		vouchd_count(w->d, EP_CERTIFY, OC_CLIENT_ERROR);
		vouchd_reply_problem(req, 405, "method-not-allowed", "Use POST");
		return;
	}
	body = read_json_body(w, req, keys, "certify request");
	if (body == NULL) {
		vouchd_count(w->d, EP_CERTIFY, OC_CLIENT_ERROR);
		return;
	}
	if (!get_hex_field(body, "nonce", nonce, sizeof(nonce)) ||
	    !get_evidence(body, &ev, &ev_len) ||
	    (pub = parse_public_key(w, body, spki, &spki_len)) == NULL ||
	    !get_profile(body, &profile)) {
		vouchd_count(w->d, EP_CERTIFY, OC_CLIENT_ERROR);
		vouchd_reply_problem(req, 400, "bad-request",
		    "nonce (64 hex), evidence (base64) and public_key (PEM) "
		    "required; profile, if given, one of debug, test, staging, "
		    "production");
		goto out;
	}
	pol = current_policy(w, &perr);
	if (pol == NULL) {
		appraisal_fail(w, &a, perr, "policy-load");
		vouchd_audit(w, audit_event(req, "certify", &a));
		vouchd_count(w->d, EP_CERTIFY, OC_ERROR);
		vouchd_reply_problem(req, 503, "policy-unavailable",
		    "No current policy");
		goto out;
	}
	/* Single use: consumed before anything else is looked at. */
	a.err = w->d->store_ops->nonce_consume(w->ctx, w->store, nonce, now);
	if (a.err != VOUCH_OK) {
		appraisal_fail(w, &a, a.err, "nonce");
		a.policy_version = vouch_policy_version(pol);
		vouchd_audit(w, audit_event(req, "certify", &a));
		if (a.err != VOUCH_ERR_NONCE_INVALID) {
			/* The store failed: not the client's nonce. */
			atomic_fetch_add(&w->d->metrics.store_errors, 1);
			vouchd_count(w->d, EP_CERTIFY, OC_ERROR);
			vouchd_reply_problem(req, 503, "store-unavailable",
			    "Store unavailable");
			goto out;
		}
		vouchd_count(w->d, EP_CERTIFY, OC_REJECTED);
		vouchd_reply_problem(req, 403, "nonce-invalid",
		    "Nonce unknown, expired or already used");
		goto out;
	}
	vouch_bind_certify_profile(nonce, sizeof(nonce), spki, spki_len,
	    profile, rd);
	appraise(w, pol, ev, ev_len, rd, profile, &a);
	if (a.err != VOUCH_OK) {
		vouchd_audit(w, audit_event(req, "certify", &a));
		vouchd_count(w->d, EP_CERTIFY, OC_REJECTED);
		vouchd_reply_problem(req, 403, "attestation-rejected",
		    "Attestation rejected");
		goto out;
	}
	memset(&adm, 0, sizeof(adm));
	(void)vouch_claims_get_bytes(vouch_result_claims(a.res), "measurement",
	    &m, &mlen);
	if (mlen > sizeof(adm.measurement)) {
		mlen = sizeof(adm.measurement);
	}
	memcpy(adm.measurement, m, mlen);
	adm.measurement_len = mlen;
	(void)snprintf(adm.platform, sizeof(adm.platform), "%s", a.platform);
	(void)snprintf(adm.release, sizeof(adm.release), "%s", a.ex.release);
	adm.policy_version = a.policy_version;
	if (ca_issue_admission_pem(w->ctx, w->d->issuer_cert, w->d->issuer_key,
	    w->d->domain_uri, spki, spki_len, &adm, now,
	    vouch_policy_admission_lifetime(pol), &chain, serial) != VOUCH_OK ||
	    make_ear(w, &a, nonce, sizeof(nonce), &ear) != VOUCH_OK) {
		appraisal_fail(w, &a, vouch_error_code(w->ctx), "issue");
		vouchd_audit(w, audit_event(req, "certify", &a));
		vouchd_count(w->d, EP_CERTIFY, OC_ERROR);
		vouchd_reply_problem(req, 500, "internal", "Internal error");
		goto out;
	}
	memset(&sc, 0, sizeof(sc));
	memcpy(sc.serial, serial, sizeof(sc.serial));
	sc.issued_at = now;
	sc.not_after = now + vouch_policy_admission_lifetime(pol);
	sc.platform = a.platform;
	sc.measurement = adm.measurement;
	sc.measurement_len = adm.measurement_len;
	sc.policy_version = a.policy_version;
	sc.pem = chain;
	/*
	 * Recorded with its audit record in one transaction, durably, before
	 * the client ever sees it.
	 */
	audit = audit_event(req, "certify", &a);
	if (audit == NULL ||
	    json_object_set_new(audit, "serial", json_string(serial)) != 0 ||
	    w->d->store_ops->cert_record_audited(w->ctx, w->store, &sc, now,
	    audit, NULL) != VOUCH_OK) {
		atomic_fetch_add(&w->d->metrics.store_errors, 1);
		vouchd_count(w->d, EP_CERTIFY, OC_ERROR);
		vouchd_reply_problem(req, 503, "store-unavailable", "Store unavailable");
		goto out;
	}
	vouchd_count(w->d, EP_CERTIFY, OC_OK);
	vouchd_reply_json(req, 200, json_pack("{s:s, s:s, s:s, s:s, s:I}",
	    "certificate_chain", chain, "ear", ear, "serial", serial,
	    "release", a.ex.release, "policy_version",
	    (json_int_t)a.policy_version));
 out:
	json_decref(audit);
	free(ear);
	free(chain);
	EVP_PKEY_free(pub);
	vouch_result_free(a.res);
	free(ev);
	json_decref(body);
}

static void
handle_verify(struct vouchd_worker *w, struct evhttp_request *req)
{
	static const char *const keys[] = { "nonce", "evidence", "report_data", NULL };
	struct appraisal a;
	const struct vouch_policy *pol;
	json_t *body = NULL;
	uint8_t nonce[STORE_NONCE_BYTES], rd[64], *ev = NULL;
	const uint8_t *parts[1];
	size_t ev_len = 0, lens[1];
	bool has_nonce, has_rd;
	char *ear = NULL;
	enum vouch_err perr;

	memset(&a, 0, sizeof(a));
	if (evhttp_request_get_command(req) != EVHTTP_REQ_POST) {
		vouchd_count(w->d, EP_VERIFY, OC_CLIENT_ERROR);
		vouchd_reply_problem(req, 405, "method-not-allowed", "Use POST");
		return;
	}
	body = read_json_body(w, req, keys, "verify request");
	if (body == NULL) {
		vouchd_count(w->d, EP_VERIFY, OC_CLIENT_ERROR);
		return;
	}
	has_nonce = json_object_get(body, "nonce") != NULL;
	has_rd = json_object_get(body, "report_data") != NULL;
	/* The binding is never optional: a nonce or report_data, not both. */
	if (has_nonce == has_rd ||
	    (has_nonce && !get_hex_field(body, "nonce", nonce, sizeof(nonce))) ||
	    (has_rd && !get_hex_field(body, "report_data", rd, sizeof(rd))) ||
	    !get_evidence(body, &ev, &ev_len)) {
		vouchd_count(w->d, EP_VERIFY, OC_CLIENT_ERROR);
		vouchd_reply_problem(req, 400, "bad-request",
		    "evidence (base64) and exactly one of nonce or report_data (hex) required");
		goto out;
	}
	pol = current_policy(w, &perr);
	if (pol == NULL) {
		appraisal_fail(w, &a, perr, "policy-load");
		vouchd_audit(w, audit_event(req, "verify", &a));
		vouchd_count(w->d, EP_VERIFY, OC_ERROR);
		vouchd_reply_problem(req, 503, "policy-unavailable",
		    "No current policy");
		goto out;
	}
	if (has_nonce) {
		a.err = w->d->store_ops->nonce_consume(w->ctx, w->store, nonce,
		    vouch_ctx_now(w->ctx));
		if (a.err != VOUCH_OK) {
			appraisal_fail(w, &a, a.err, "nonce");
			vouchd_audit(w, audit_event(req, "verify", &a));
			vouchd_count(w->d, EP_VERIFY, OC_REJECTED);
			vouchd_reply_problem(req, 403, "nonce-invalid",
			    "Nonce unknown, expired or already used");
			goto out;
		}
		parts[0] = nonce;
		lens[0] = sizeof(nonce);
		vouch_bind(VOUCH_BIND_VERIFY, parts, lens, 1, rd);
	}
	appraise(w, pol, ev, ev_len, rd, NULL, &a);
	vouchd_audit(w, audit_event(req, "verify", &a));
	/*
	 * The EAR carries what the evidence was bound to: the nonce, or the
	 * caller's report_data, so a forwarded token cannot be replayed as
	 * a fresh answer for something else.
	 */
	if (make_ear(w, &a, has_nonce ? nonce : rd, has_nonce ? sizeof(nonce) :
	    sizeof(rd), &ear) != VOUCH_OK) {
		vouchd_count(w->d, EP_VERIFY, OC_ERROR);
		vouchd_reply_problem(req, 500, "internal", "Internal error");
		goto out;
	}
	vouchd_count(w->d, EP_VERIFY, a.err == VOUCH_OK ? OC_OK : OC_REJECTED);
	vouchd_reply_json(req, 200, json_pack("{s:s, s:s}", "ear", ear,
	    "status", a.err == VOUCH_OK ? "admitted" : "rejected"));
 out:
	free(ear);
	vouch_result_free(a.res);
	free(ev);
	json_decref(body);
}

static void
policy_problem(struct evhttp_request *req, enum vouch_err err)
{
	switch (err) {
	case VOUCH_ERR_POLICY_ROLLBACK:
		vouchd_reply_problem(req, 409, "policy-rollback",
		    "Policy version is not newer than the current one");
		break;
	case VOUCH_ERR_POLICY_EXPIRED:
		vouchd_reply_problem(req, 400, "policy-expired", "Policy is expired");
		break;
	case VOUCH_ERR_POLICY_SIGNATURE:
	case VOUCH_ERR_BAD_KEY:
		vouchd_reply_problem(req, 400, "policy-signature",
		    "Policy is not signed by the domain key");
		break;
	case VOUCH_ERR_STORE:
		vouchd_reply_problem(req, 503, "store-unavailable", "Store unavailable");
		break;
	default:
		vouchd_reply_problem(req, 400, "policy-invalid", "Policy is invalid");
		break;
	}
}

static void
handle_policy_put(struct vouchd_worker *w, struct evhttp_request *req)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	size_t len = evbuffer_get_length(in), plen = 0;
	const uint8_t *p;
	uint8_t *payload = NULL;
	struct vouch_policy *pol = NULL;
	enum vouch_err rv;
	json_t *e;

	if (len == 0 || len > VOUCH_POLICY_SIGNED_MAX_BYTES ||
	    (p = evbuffer_pullup(in, (ev_ssize_t)len)) == NULL) {
		rv = vouch_fail(w->ctx, VOUCH_ERR_TOO_LARGE, "missing or oversized policy");
		goto out;
	}
	rv = vouch_policy_verify_signed(w->ctx, w->d->domain_pub, p, len,
	    &payload, &plen);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = vouch_policy_parse(w->ctx, payload, plen, &pol);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = vouch_policy_check_current(w->ctx, pol);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = w->d->store_ops->policy_put(w->ctx, w->store,
	    vouch_policy_version(pol), p, len, vouch_ctx_now(w->ctx));
 out:
	e = json_pack("{s:s, s:s, s:s}", "type", "policy-put", "outcome",
	    rv == VOUCH_OK ? "accepted" : "refused", "peer", peer_addr(req));
	if (e != NULL && pol != NULL) {
		json_object_set_new(e, "version", json_integer(vouch_policy_version(pol)));
	}
	if (e != NULL && rv != VOUCH_OK) {
		json_object_set_new(e, "error", json_string(vouch_errname(rv)));
		json_object_set_new(e, "detail", json_string(vouch_error(w->ctx)));
	}
	vouchd_audit(w, e);
	if (rv == VOUCH_OK) {
		vouchd_count(w->d, EP_POLICY, OC_OK);
		vouchd_reply_json(req, 201, json_pack("{s:I}", "version",
		    (json_int_t)vouch_policy_version(pol)));
	} else {
		vouchd_count(w->d, EP_POLICY, OC_REJECTED);
		policy_problem(req, rv);
	}
	vouch_policy_free(pol);
	free(payload);
}

static void
handle_policy_get(struct vouchd_worker *w, struct evhttp_request *req)
{
	uint8_t *signed_policy = NULL;
	size_t len = 0;
	int64_t version = 0;
	json_t *sp = NULL, *versions = NULL;
	enum vouch_err rv;

	rv = w->d->store_ops->policy_current(w->ctx, w->store, &version,
	    &signed_policy, &len);
	if (rv == VOUCH_ERR_NOT_FOUND) {
		vouchd_count(w->d, EP_POLICY, OC_CLIENT_ERROR);
		vouchd_reply_problem(req, 404, "no-policy", "No policy stored");
		return;
	}
	if (rv != VOUCH_OK ||
	    vouch_json_load(w->ctx, signed_policy, len, 0, &sp) != VOUCH_OK ||
	    w->d->store_ops->policy_list(w->ctx, w->store, &versions) != VOUCH_OK) {
		free(signed_policy);
		json_decref(sp);
		vouchd_count(w->d, EP_POLICY, OC_ERROR);
		vouchd_reply_problem(req, 503, "store-unavailable", "Store unavailable");
		return;
	}
	free(signed_policy);
	vouchd_count(w->d, EP_POLICY, OC_OK);
	vouchd_reply_json(req, 200, json_pack("{s:I, s:o, s:o}", "version",
	    (json_int_t)version, "signed_policy", sp, "versions", versions));
}

static void
handle_audit(struct vouchd_worker *w, struct evhttp_request *req,
    const char *query)
{
	struct evkeyvalq q;
	const char *after_s, *limit_s;
	unsigned long long after = 0, limit = 100;
	char *end;
	json_t *list = NULL;

	TAILQ_INIT(&q);
	if (query != NULL && evhttp_parse_query_str(query, &q) != 0) {
		vouchd_count(w->d, EP_AUDIT, OC_CLIENT_ERROR);
		vouchd_reply_problem(req, 400, "bad-request", "Bad query");
		return;
	}
	after_s = evhttp_find_header(&q, "after");
	limit_s = evhttp_find_header(&q, "limit");
	if ((after_s != NULL && (after_s[0] < '0' || after_s[0] > '9' ||
	    (after = strtoull(after_s, &end, 10), *end != '\0'))) ||
	    (limit_s != NULL && (limit_s[0] < '1' || limit_s[0] > '9' ||
	    (limit = strtoull(limit_s, &end, 10), *end != '\0') ||
	    limit > STORE_AUDIT_PAGE_MAX))) {
		evhttp_clear_headers(&q);
		vouchd_count(w->d, EP_AUDIT, OC_CLIENT_ERROR);
		vouchd_reply_problem(req, 400, "bad-request",
		    "after and limit must be decimal integers");
		return;
	}
	evhttp_clear_headers(&q);
	if (w->d->store_ops->audit_list(w->ctx, w->store, after, (size_t)limit,
	    &list) != VOUCH_OK) {
		atomic_fetch_add(&w->d->metrics.store_errors, 1);
		vouchd_count(w->d, EP_AUDIT, OC_ERROR);
		vouchd_reply_problem(req, 503, "store-unavailable", "Store unavailable");
		return;
	}
	vouchd_count(w->d, EP_AUDIT, OC_OK);
	vouchd_reply_json(req, 200, json_pack("{s:o}", "records", list));
}

static const char *const ep_names[EP_COUNT] = {
	"challenge", "certify", "verify", "policy", "audit", "healthz",
	"metrics", "jwks", "other", "secrets", "release",
};
static const char *const oc_names[OC_COUNT] = {
	"ok", "rejected", "client_error", "error",
};
static const char *const hist_le[] = {
	"0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1",
	"0.25", "1",
};

static void
handle_metrics(struct vouchd_worker *w, struct evhttp_request *req)
{
	struct vouchd_metrics *m = &w->d->metrics;
	struct evbuffer *b = evbuffer_new();
	unsigned long cum = 0;
	size_t e, o;

	if (b == NULL) {
		vouchd_reply_problem(req, 500, "internal", "Internal error");
		return;
	}
	vouchd_count(w->d, EP_METRICS, OC_OK);
	evbuffer_add_printf(b, "# HELP vouchd_requests_total Requests by endpoint and outcome.\n"
	    "# TYPE vouchd_requests_total counter\n");
	for (e = 0; e < EP_COUNT; e++) {
		for (o = 0; o < OC_COUNT; o++) {
			evbuffer_add_printf(b,
			    "vouchd_requests_total{endpoint=\"%s\",outcome=\"%s\"} %lu\n",
			    ep_names[e], oc_names[o],
			    atomic_load(&m->requests[e][o]));
		}
	}
	evbuffer_add_printf(b, "# HELP vouchd_verification_seconds Evidence appraisal latency.\n"
	    "# TYPE vouchd_verification_seconds histogram\n");
	for (e = 0; e < VOUCHD_HIST_BUCKETS; e++) {
		cum += atomic_load(&m->verify_hist[e]);
		evbuffer_add_printf(b,
		    "vouchd_verification_seconds_bucket{le=\"%s\"} %lu\n",
		    hist_le[e], cum);
	}
	cum += atomic_load(&m->verify_hist[VOUCHD_HIST_BUCKETS]);
	evbuffer_add_printf(b, "vouchd_verification_seconds_bucket{le=\"+Inf\"} %lu\n"
	    "vouchd_verification_seconds_sum %.6f\n"
	    "vouchd_verification_seconds_count %lu\n", cum,
	    (double)atomic_load(&m->verify_usec_sum) / 1e6,
	    atomic_load(&m->verify_count));
	evbuffer_add_printf(b, "# HELP vouchd_store_errors_total Store operations that failed.\n"
	    "# TYPE vouchd_store_errors_total counter\n"
	    "vouchd_store_errors_total %lu\n"
	    "# HELP vouchd_overload_total Requests or connections refused for load.\n"
	    "# TYPE vouchd_overload_total counter\n"
	    "vouchd_overload_total %lu\n"
	    "# HELP vouchd_deadline_closes_total Connections closed at their deadline.\n"
	    "# TYPE vouchd_deadline_closes_total counter\n"
	    "vouchd_deadline_closes_total %lu\n"
	    "# HELP vouchd_connections Open connections.\n"
	    "# TYPE vouchd_connections gauge\n"
	    "vouchd_connections %ld\n",
	    atomic_load(&m->store_errors), atomic_load(&m->overload),
	    atomic_load(&m->deadline_closes), atomic_load(&m->connections));
	evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type",
	    "text/plain; version=0.0.4");
	evhttp_send_reply(req, 200, NULL, b);
	evbuffer_free(b);
}

void
vouchd_api_dispatch(struct vouchd_worker *w, struct evhttp_request *req)
{
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
	const char *path = uri != NULL ? evhttp_uri_get_path(uri) : NULL;
	const char *query = uri != NULL ? evhttp_uri_get_query(uri) : NULL;
	enum evhttp_cmd_type cmd = evhttp_request_get_command(req);

	if (path == NULL) {
		vouchd_count(w->d, EP_OTHER, OC_CLIENT_ERROR);
		vouchd_reply_problem(req, 400, "bad-request", "Bad request URI");
		return;
	}
	if (strcmp(path, "/v1/challenge") == 0) {
		handle_challenge(w, req);
	} else if (strcmp(path, "/v1/certify") == 0) {
		handle_certify(w, req);
	} else if (strcmp(path, "/v1/verify") == 0) {
		handle_verify(w, req);
	} else if (strcmp(path, "/v1/policy") == 0 || strcmp(path, "/v1/audit") == 0) {
		if (!vouchd_peer_is_admin(w, req)) {
			vouchd_count(w->d, path[4] == 'p' ? EP_POLICY : EP_AUDIT,
			    OC_CLIENT_ERROR);
			vouchd_audit(w, json_pack("{s:s, s:s, s:s, s:s}", "type",
			    "admin-refused", "outcome", "refused", "path", path,
			    "peer", peer_addr(req)));
			vouchd_reply_problem(req, 401, "admin-required",
			    "A domain administrator certificate is required");
		} else if (path[4] == 'a' && cmd == EVHTTP_REQ_GET) {
			handle_audit(w, req, query);
		} else if (path[4] == 'p' && cmd == EVHTTP_REQ_PUT) {
			handle_policy_put(w, req);
		} else if (path[4] == 'p' && cmd == EVHTTP_REQ_GET) {
			handle_policy_get(w, req);
		} else {
			vouchd_count(w->d, EP_OTHER, OC_CLIENT_ERROR);
			vouchd_reply_problem(req, 405, "method-not-allowed",
			    "Method not allowed");
		}
	} else if (strncmp(path, "/v1/secrets", 11) == 0 &&
	    (path[11] == '\0' || path[11] == '/')) {
		vouchd_secrets_dispatch(w, req, path);
	} else if (strcmp(path, "/healthz") == 0) {
		vouchd_count(w->d, EP_HEALTHZ, OC_OK);
		vouchd_reply_json(req, 200, json_pack("{s:s}", "status", "ok"));
	} else if (strcmp(path, "/metrics") == 0) {
		handle_metrics(w, req);
	} else if (strcmp(path, "/.well-known/jwks.json") == 0) {
		vouchd_count(w->d, EP_JWKS, OC_OK);
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Content-Type", "application/jwk-set+json");
		{
			struct evbuffer *b = evbuffer_new();

			if (b != NULL) {
				evbuffer_add(b, w->d->jwks, strlen(w->d->jwks));
				evhttp_send_reply(req, 200, NULL, b);
				evbuffer_free(b);
			} else {
				vouchd_reply_problem(req, 500, "internal",
				    "Internal error");
			}
		}
	} else {
		vouchd_count(w->d, EP_OTHER, OC_CLIENT_ERROR);
		vouchd_reply_problem(req, 404, "not-found", "No such endpoint");
	}
}

/* ---- shared with daemon/secrets.c (declared in vouchd.h) ---------- */

json_t *
vouchd_read_json_body(struct vouchd_worker *w, struct evhttp_request *req,
    const char *const *keys, const char *what)
{
	return read_json_body(w, req, keys, what);
}

bool
vouchd_get_hex_field(const json_t *o, const char *key, uint8_t *out, size_t n)
{
	return get_hex_field(o, key, out, n);
}

bool
vouchd_get_evidence(const json_t *o, uint8_t **out, size_t *out_len)
{
	return get_evidence(o, out, out_len);
}

bool
vouchd_get_profile(const json_t *o, const char **out)
{
	return get_profile(o, out);
}

const struct vouch_policy *
vouchd_current_policy(struct vouchd_worker *w, enum vouch_err *err)
{
	return current_policy(w, err);
}

const char *
vouchd_peer_addr(struct evhttp_request *req)
{
	return peer_addr(req);
}

enum vouch_err
vouchd_appraise_event(struct vouchd_worker *w, struct evhttp_request *req,
    const struct vouch_policy *pol, const uint8_t *ev, size_t ev_len,
    const uint8_t report_data[64], const char *profile, const char *type,
    struct vouch_result **out_res, json_t **out_event)
{
	struct appraisal a;

	memset(&a, 0, sizeof(a));
	appraise(w, pol, ev, ev_len, report_data, profile, &a);
	*out_event = audit_event(req, type, &a);
	*out_res = a.res;
	return a.err;
}
