/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vouchd's secrets (docs/secrets.md).
 *
 *   GET    /v1/secrets                 admin: every secret's metadata
 *   PUT    /v1/secrets/{name}          admin: {"rule", "value": base64} -> a new version
 *   GET    /v1/secrets/{name}          admin: metadata of every version, never a value
 *   DELETE /v1/secrets/{name}          admin: every version
 *   POST   /v1/secrets/{name}/release  workload: {"nonce", "evidence",
 *                                      "public_key": X25519 PEM[, "profile"]}
 *                                      -> {"name", "version", "sealed": base64}
 *
 * A release is decided in this order, the first failure deciding: the
 * current policy (503 policy-unavailable), the nonce consumed (403
 * nonce-invalid), the evidence verified with the release binding and
 * admitted (platform, debug, TCB, measurement, admission rules), the
 * secret known, its release rule in the policy holding (including
 * not_after), then the value unwrapped and sealed with HPKE to the
 * request's key, and only then one release counted against max_releases
 * (atomically in the store).  Everything after the nonce is answered
 * with the one coarse code release-denied; the precise reason goes to
 * the audit log.  Every decision is audited before the answer leaves.
 *
 * Secret values exist in the clear only in protected memory (kek.h:
 * excluded from core dumps, locked, wiped), and never reach a log line,
 * an audit event or an error body.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <event2/buffer.h>
#include <event2/http.h>

#include "bs/bs.h"
#include "bs/json.h"
#include "crypto/crypto.h"
#include "crypto/hpke.h"
#include "policy/policy.h"
#include "secret/release.h"
#include "secret/seal.h"
#include "secrets.h"
#include "util/file.h"
#include "vouchd.h"

/* ---- helpers ------------------------------------------------------ */

/*
 * Overwrite the request body in libevent's buffer once it has been
 * parsed, so the value of a PUT does not linger there.  (Copies the TLS
 * and HTTP layers made on the way in are not reachable from here; the
 * process is non-dumpable for that reason, docs/secrets.md.)
 */
static void
wipe_request_body(struct evhttp_request *req)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	size_t len = in != NULL ? evbuffer_get_length(in) : 0;
	uint8_t *p;

	if (len == 0) {
		return;
	}
	p = evbuffer_pullup(in, -1);
	if (p != NULL) {
		vouch_wipe(p, len);
	}
}

/* jansson frees its string copies without wiping: wipe this one first. */
static void
wipe_json_string(json_t *s)
{
	if (json_is_string(s)) {
		vouch_wipe((void *)(uintptr_t)json_string_value(s),
		    json_string_length(s));
	}
}

static struct kek *
kek_by_id(struct vouchd *d, const char *id)
{
	if (d->kek != NULL && strcmp(kek_id(d->kek), id) == 0) {
		return d->kek;
	}
	if (d->kek_previous != NULL &&
	    strcmp(kek_id(d->kek_previous), id) == 0) {
		return d->kek_previous;
	}
	return NULL;
}

static bool
json_set(json_t *o, const char *key, json_t *v)
{
	return o != NULL && json_object_set_new(o, key, v) == 0;
}

/* An audit event for an admin action on a secret. */
static json_t *
admin_event(struct evhttp_request *req, const char *type, const char *name,
    enum vouch_err rv, struct vouch_ctx *ctx)
{
	json_t *e = json_pack("{s:s, s:s, s:s, s:s}", "type", type, "outcome",
	    rv == VOUCH_OK ? "done" : "refused", "peer",
	    vouchd_peer_addr(req), "secret", name);

	if (e != NULL && rv != VOUCH_OK) {
		(void)json_set(e, "error", json_string(vouch_errname(rv)));
		(void)json_set(e, "detail", json_string(vouch_error(ctx)));
	}
	return e;
}

/* ---- PUT ---------------------------------------------------------- */

struct wrap_arg {
	struct kek	*kek;
	const uint8_t	*value;
	size_t		 len;
};

static enum vouch_err
wrap_cb(struct vouch_ctx *ctx, void *arg, const char *name, int64_t version,
    char *kek_id_out, uint8_t **out, size_t *out_len)
{
	struct wrap_arg *wa = arg;
	enum vouch_err rv;

	rv = kek_wrap(ctx, wa->kek, name, version, wa->value, wa->len, out,
	    out_len);
	if (rv == VOUCH_OK) {
		(void)snprintf(kek_id_out, STORE_KEK_ID_MAX + 1, "%s",
		    kek_id(wa->kek));
	}
	return rv;
}

static void
handle_put(struct vouchd_worker *w, struct evhttp_request *req,
    const char *name)
{
	static const char *const keys[] = { "rule", "value", NULL };
	const struct vouch_policy *pol;
	struct wrap_arg wa;
	json_t *body = NULL, *jr, *jv, *e;
	const char *rule = NULL;
	uint8_t *val = NULL;
	size_t slen, cap, val_len = 0;
	int64_t version = 0;
	enum vouch_err rv, perr;
	bool in_policy = false;

	body = vouchd_read_json_body(w, req, keys, "secret");
	if (body == NULL) {
		wipe_request_body(req);
		vouchd_count(w->d, EP_SECRETS, OC_CLIENT_ERROR);
		return;
	}
	jr = json_object_get(body, "rule");
	jv = json_object_get(body, "value");
	rule = json_string_value(jr);
	slen = json_is_string(jv) ? json_string_length(jv) : 0;
	cap = vouch_b64_decoded_max(slen);
	if (rule == NULL || !vouch_secret_name_valid(rule,
	    json_string_length(jr)) || slen == 0 || cap == 0 ||
	    cap > VOUCH_SECRET_MAX_BYTES + 3 ||
	    (val = kek_secmem_alloc(cap)) == NULL ||
	    !vouch_b64_decode(json_string_value(jv), slen, false, val, cap,
	    &val_len) || val_len == 0 || val_len > VOUCH_SECRET_MAX_BYTES) {
		wipe_json_string(jv);
		wipe_request_body(req);
		vouchd_count(w->d, EP_SECRETS, OC_CLIENT_ERROR);
		vouchd_reply_problem(req, 400, "bad-request",
		    "rule (a release rule name) and value (base64 of 1 to "
		    "65536 bytes) required");
		goto out;
	}
	wipe_json_string(jv);
	wipe_request_body(req);
	wa.kek = w->d->kek;
	wa.value = val;
	wa.len = val_len;
	/*
	 * The audit record of a stored version is written in the store's
	 * transaction (it gets "version" there); a refusal gets its own.
	 */
	e = admin_event(req, "secret-put", name, VOUCH_OK, w->ctx);
	if (e == NULL || !json_set(e, "rule", json_string(rule)) ||
	    !json_set(e, "kek_id", json_string(kek_id(w->d->kek)))) {
		rv = vouch_fail(w->ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
	} else {
		rv = w->d->store_ops->secret_put(w->ctx, w->store, name, rule,
		    vouch_ctx_now(w->ctx), wrap_cb, &wa, e, &version);
	}
	json_decref(e);
	e = NULL;
	if (rv != VOUCH_OK) {
		e = admin_event(req, "secret-put", name, rv, w->ctx);
		if (e != NULL) {
			(void)json_set(e, "rule", json_string(rule));
		}
		vouchd_audit(w, e);
		if (rv == VOUCH_ERR_STORE) {
			atomic_fetch_add(&w->d->metrics.store_errors, 1);
			vouchd_count(w->d, EP_SECRETS, OC_ERROR);
			vouchd_reply_problem(req, 503, "store-unavailable",
			    "Store unavailable");
		} else {
			fprintf(stderr, "vouchd: secret-put: %s\n",
			    vouch_errname(rv));
			vouchd_count(w->d, EP_SECRETS, OC_ERROR);
			vouchd_reply_problem(req, 500, "internal",
			    "Internal error");
		}
		goto out;
	}
	/* A hint for the admin: the rule may come with a later policy. */
	pol = vouchd_current_policy(w, &perr);
	in_policy = pol != NULL &&
	    vouch_policy_release_rule_limits(pol, rule, NULL, NULL);
	vouchd_count(w->d, EP_SECRETS, OC_OK);
	vouchd_reply_json(req, 201, json_pack("{s:s, s:I, s:s, s:b}", "name",
	    name, "version", (json_int_t)version, "rule", rule,
	    "rule_in_policy", in_policy));
 out:
	kek_secmem_free(val);
	json_decref(body);
}

/* ---- GET, list, DELETE -------------------------------------------- */

static void
handle_get(struct vouchd_worker *w, struct evhttp_request *req,
    const char *name)
{
	const struct vouch_policy *pol;
	json_t *list = NULL, *latest, *o = NULL;
	const char *rule;
	int64_t releases = 0, max = 0, not_after = INT64_MAX;
	enum vouch_err perr;
	bool in_policy;
	char t[32];

	if (w->d->store_ops->secret_list(w->ctx, w->store, name, &list) !=
	    VOUCH_OK) {
		atomic_fetch_add(&w->d->metrics.store_errors, 1);
		vouchd_count(w->d, EP_SECRETS, OC_ERROR);
		vouchd_reply_problem(req, 503, "store-unavailable",
		    "Store unavailable");
		return;
	}
	if (json_array_size(list) == 0) {
		json_decref(list);
		vouchd_count(w->d, EP_SECRETS, OC_CLIENT_ERROR);
		vouchd_reply_problem(req, 404, "not-found", "No such secret");
		return;
	}
	latest = json_array_get(list, json_array_size(list) - 1);
	rule = json_string_value(json_object_get(latest, "rule"));
	if (rule == NULL || w->d->store_ops->release_count_get(w->ctx,
	    w->store, rule, &releases) != VOUCH_OK) {
		json_decref(list);
		atomic_fetch_add(&w->d->metrics.store_errors, 1);
		vouchd_count(w->d, EP_SECRETS, OC_ERROR);
		vouchd_reply_problem(req, 503, "store-unavailable",
		    "Store unavailable");
		return;
	}
	pol = vouchd_current_policy(w, &perr);
	in_policy = pol != NULL &&
	    vouch_policy_release_rule_limits(pol, rule, &max, &not_after);
	o = json_pack("{s:s, s:O, s:s, s:O, s:O, s:O, s:I, s:b}", "name", name,
	    "version", json_object_get(latest, "version"), "rule", rule,
	    "created_at", json_object_get(latest, "created_at"), "kek_id",
	    json_object_get(latest, "kek_id"), "versions", list,
	    "releases", (json_int_t)releases, "rule_in_policy", in_policy);
	if (o != NULL && in_policy && max > 0) {
		(void)json_set(o, "max_releases", json_integer(max));
	}
	if (o != NULL && in_policy && not_after != INT64_MAX &&
	    vouch_time_format_rfc3339(not_after, t, sizeof(t))) {
		(void)json_set(o, "not_after", json_string(t));
	}
	json_decref(list);
	vouchd_count(w->d, EP_SECRETS, OC_OK);
	vouchd_reply_json(req, 200, o);
}

static void
handle_list(struct vouchd_worker *w, struct evhttp_request *req)
{
	json_t *list = NULL, *out = NULL, *item = NULL, *v;
	const char *prev = NULL, *n;
	size_t i;
	json_int_t count = 0;

	if (w->d->store_ops->secret_list(w->ctx, w->store, NULL, &list) !=
	    VOUCH_OK) {
		atomic_fetch_add(&w->d->metrics.store_errors, 1);
		vouchd_count(w->d, EP_SECRETS, OC_ERROR);
		vouchd_reply_problem(req, 503, "store-unavailable",
		    "Store unavailable");
		return;
	}
	out = json_array();
	/* Sorted by name, then version: the last of a run is the newest. */
	json_array_foreach(list, i, v) {
		n = json_string_value(json_object_get(v, "name"));
		if (n == NULL || out == NULL) {
			continue;
		}
		if (prev == NULL || strcmp(prev, n) != 0) {
			if (item != NULL) {
				(void)json_set(item, "versions",
				    json_integer(count));
				(void)json_array_append_new(out, item);
			}
			item = json_object();
			count = 0;
			prev = n;
		}
		count++;
		if (item != NULL) {
			(void)json_set(item, "name", json_string(n));
			(void)json_object_set(item, "version",
			    json_object_get(v, "version"));
			(void)json_object_set(item, "rule",
			    json_object_get(v, "rule"));
			(void)json_object_set(item, "created_at",
			    json_object_get(v, "created_at"));
		}
	}
	if (item != NULL) {
		(void)json_set(item, "versions", json_integer(count));
		(void)json_array_append_new(out, item);
	}
	json_decref(list);
	if (out == NULL) {
		vouchd_count(w->d, EP_SECRETS, OC_ERROR);
		vouchd_reply_problem(req, 500, "internal", "Internal error");
		return;
	}
	vouchd_count(w->d, EP_SECRETS, OC_OK);
	vouchd_reply_json(req, 200, json_pack("{s:o}", "secrets", out));
}

static void
handle_delete(struct vouchd_worker *w, struct evhttp_request *req,
    const char *name)
{
	uint64_t n = 0;
	enum vouch_err rv;
	json_t *e;

	/* As for PUT: the record of a deletion is in its transaction. */
	e = admin_event(req, "secret-delete", name, VOUCH_OK, w->ctx);
	rv = e == NULL ? vouch_fail(w->ctx, VOUCH_ERR_NO_MEMORY,
	    "out of memory") : w->d->store_ops->secret_delete(w->ctx,
	    w->store, name, vouch_ctx_now(w->ctx), e, &n);
	json_decref(e);
	if (rv != VOUCH_OK) {
		vouchd_audit(w, admin_event(req, "secret-delete", name, rv,
		    w->ctx));
	}
	if (rv == VOUCH_ERR_NOT_FOUND) {
		vouchd_count(w->d, EP_SECRETS, OC_CLIENT_ERROR);
		vouchd_reply_problem(req, 404, "not-found", "No such secret");
		return;
	}
	if (rv != VOUCH_OK) {
		atomic_fetch_add(&w->d->metrics.store_errors, 1);
		vouchd_count(w->d, EP_SECRETS, OC_ERROR);
		vouchd_reply_problem(req, 503, "store-unavailable",
		    "Store unavailable");
		return;
	}
	vouchd_count(w->d, EP_SECRETS, OC_OK);
	vouchd_reply_json(req, 200, json_pack("{s:s, s:I}", "name", name,
	    "deleted_versions", (json_int_t)n));
}

/* ---- release ------------------------------------------------------ */

/* A release refused before an appraisal: a small event of its own. */
static json_t *
release_event(struct evhttp_request *req, const char *name,
    enum vouch_err err, const char *stage, const char *detail,
    int64_t policy_version)
{
	json_t *e = json_pack("{s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s}",
	    "type", "secret-release", "outcome", "rejected", "peer",
	    vouchd_peer_addr(req), "secret", name, "policy_version",
	    (json_int_t)policy_version, "error", vouch_errname(err), "stage",
	    stage, "detail", detail);

	return e;
}

/* Turn an admitted appraisal's event into a refusal at |stage|. */
static void
event_refuse(json_t *e, enum vouch_err err, const char *stage,
    const char *detail)
{
	(void)json_set(e, "outcome", json_string("rejected"));
	(void)json_set(e, "error", json_string(vouch_errname(err)));
	(void)json_set(e, "stage", json_string(stage));
	(void)json_set(e, "detail", json_string(detail));
}

/*
 * Append |e| (taken) and say whether it is on disk: a release is handed
 * out only once its audit record is, so no release goes unaudited.
 */
static bool
audit_strict(struct vouchd_worker *w, json_t *e)
{
	enum vouch_err rv = VOUCH_ERR_NO_MEMORY;
	uint64_t seq = 0;

	if (e != NULL) {
		rv = w->d->store_ops->audit_append(w->ctx, w->store,
		    vouch_ctx_now(w->ctx), e, &seq);
		json_decref(e);
	}
	if (rv != VOUCH_OK) {
		atomic_fetch_add(&w->d->metrics.store_errors, 1);
		fprintf(stderr, "vouchd: audit append failed: %s\n",
		    vouch_errname(rv));
		return false;
	}
	return true;
}

static void
release_denied(struct vouchd_worker *w, struct evhttp_request *req)
{
	vouchd_count(w->d, EP_RELEASE, OC_REJECTED);
	vouchd_reply_problem(req, 403, "release-denied", "Release denied");
}

static void
handle_release(struct vouchd_worker *w, struct evhttp_request *req,
    const char *name)
{
	static const char *const keys[] = { "nonce", "evidence", "public_key",
	    "profile", NULL };
	const struct vouch_policy *pol;
	struct vouch_result *res = NULL;
	struct vouch_explain ex;
	struct store_secret sec;
	struct kek *k;
	json_t *body = NULL, *e = NULL, *jpk;
	uint8_t nonce[VOUCH_RELEASE_NONCE_BYTES], pub[VOUCH_X25519_BYTES];
	uint8_t rd[VOUCH_SHA512_BYTES], info[VOUCH_RELEASE_INFO_MAX];
	uint8_t derived[VOUCH_SEAL_KEY_BYTES];
	uint8_t aad[VOUCH_RELEASE_AAD_MAX];
	uint8_t *ev = NULL, *pt = NULL, *sealed = NULL;
	size_t ev_len = 0, pt_len = 0, sealed_len = 0, info_len, aad_len, b64n;
	char *b64 = NULL, detail[VOUCH_ERRMSG_MAX];
	const char *profile = NULL;
	int64_t max = 0, count = 0, pv;
	enum vouch_err rv, perr;

	memset(&sec, 0, sizeof(sec));
	if (evhttp_request_get_command(req) != EVHTTP_REQ_POST) {
		vouchd_count(w->d, EP_RELEASE, OC_CLIENT_ERROR);
		vouchd_reply_problem(req, 405, "method-not-allowed", "Use POST");
		return;
	}
	body = vouchd_read_json_body(w, req, keys, "release request");
	if (body == NULL) {
		vouchd_count(w->d, EP_RELEASE, OC_CLIENT_ERROR);
		return;
	}
	jpk = json_object_get(body, "public_key");
	if (!vouchd_get_hex_field(body, "nonce", nonce, sizeof(nonce)) ||
	    !vouchd_get_evidence(body, &ev, &ev_len) ||
	    !json_is_string(jpk) ||
	    json_string_length(jpk) > SECRETS_PUBKEY_PEM_MAX ||
	    vouch_x25519_pub_from_pem(w->ctx, json_string_value(jpk),
	    json_string_length(jpk), pub) != VOUCH_OK ||
	    !vouchd_get_profile(body, &profile)) {
		vouchd_count(w->d, EP_RELEASE, OC_CLIENT_ERROR);
		vouchd_reply_problem(req, 400, "bad-request",
		    "nonce (64 hex), evidence (base64) and public_key (X25519 "
		    "PEM) required; profile, if given, one of debug, test, "
		    "staging, production");
		goto out;
	}
	pol = vouchd_current_policy(w, &perr);
	if (pol == NULL) {
		vouchd_audit(w, release_event(req, name, perr, "policy-load",
		    vouch_error(w->ctx), 0));
		vouchd_count(w->d, EP_RELEASE, OC_ERROR);
		vouchd_reply_problem(req, 503, "policy-unavailable",
		    "No current policy");
		goto out;
	}
	pv = vouch_policy_version(pol);
	/* Single use: consumed before anything else is looked at. */
	rv = w->d->store_ops->nonce_consume(w->ctx, w->store, nonce,
	    vouch_ctx_now(w->ctx));
	if (rv != VOUCH_OK) {
		vouchd_audit(w, release_event(req, name, rv, "nonce",
		    vouch_error(w->ctx), pv));
		if (rv != VOUCH_ERR_NONCE_INVALID) {
			/* The store failed: not the client's nonce. */
			atomic_fetch_add(&w->d->metrics.store_errors, 1);
			vouchd_count(w->d, EP_RELEASE, OC_ERROR);
			vouchd_reply_problem(req, 503, "store-unavailable",
			    "Store unavailable");
			goto out;
		}
		vouchd_count(w->d, EP_RELEASE, OC_REJECTED);
		vouchd_reply_problem(req, 403, "nonce-invalid",
		    "Nonce unknown, expired or already used");
		goto out;
	}
	/* The evidence must be for this nonce, this key and this secret. */
	vouch_bind_release(nonce, pub, name, profile, rd);
	rv = vouchd_appraise_event(w, req, pol, ev, ev_len, rd, profile,
	    "secret-release", &res, &e);
	if (e != NULL) {
		(void)json_set(e, "secret", json_string(name));
	}
	if (rv != VOUCH_OK) {
		vouchd_audit(w, e);
		e = NULL;
		release_denied(w, req);
		goto out;
	}
	rv = w->d->store_ops->secret_get(w->ctx, w->store, name, &sec);
	if (rv != VOUCH_OK) {
		event_refuse(e, rv, "secret", vouch_error(w->ctx));
		vouchd_audit(w, e);
		e = NULL;
		if (rv == VOUCH_ERR_NOT_FOUND) {
			release_denied(w, req);
		} else {
			atomic_fetch_add(&w->d->metrics.store_errors, 1);
			vouchd_count(w->d, EP_RELEASE, OC_ERROR);
			vouchd_reply_problem(req, 503, "store-unavailable",
			    "Store unavailable");
		}
		goto out;
	}
	(void)json_set(e, "version", json_integer(sec.version));
	(void)json_set(e, "rule", json_string(sec.rule));
	/* The secret's release rule in the signed policy, and not_after. */
	memset(&ex, 0, sizeof(ex));
	rv = vouch_policy_evaluate_rule(w->ctx, pol, sec.rule,
	    vouch_result_claims(res), &ex);
	if (rv != VOUCH_OK) {
		event_refuse(e, rv, "release-rule", ex.text[0] != '\0' ?
		    ex.text : vouch_error(w->ctx));
		vouchd_audit(w, e);
		e = NULL;
		release_denied(w, req);
		goto out;
	}
	if (!vouch_policy_release_rule_limits(pol, sec.rule, &max, NULL)) {
		/* evaluate_rule found the rule; never read a missing limit as none. */
		event_refuse(e, VOUCH_ERR_POLICY_DENIED, "release-limit",
		    "release rule limits unavailable");
		vouchd_audit(w, e);
		e = NULL;
		release_denied(w, req);
		goto out;
	}
	k = kek_by_id(w->d, sec.kek_id);
	if (k == NULL) {
		rv = vouch_fail(w->ctx, VOUCH_ERR_BAD_KEY,
		    "version %lld is wrapped by KEK %s, which is not loaded",
		    (long long)sec.version, sec.kek_id);
	} else {
		rv = kek_unwrap(w->ctx, k, sec.name, sec.version, sec.wrapped,
		    sec.wrapped_len, &pt, &pt_len);
	}
	/*
	 * The sealing secret is never released as such: each program gets
	 * HKDF(value, "vouch-seal-v1", its verified measurement), so no
	 * program the rule admits can compute another's sealing key
	 * (docs/secrets.md §8).
	 */
	if (rv == VOUCH_OK && strcmp(name, VOUCH_SEAL_SECRET_NAME) == 0) {
		const uint8_t *m = NULL;
		size_t mlen = 0;

		if (pt_len < VOUCH_SEAL_KEY_BYTES ||
		    !vouch_claims_get_bytes(vouch_result_claims(res),
		    "measurement", &m, &mlen) || mlen == 0) {
			rv = vouch_fail(w->ctx, VOUCH_ERR_POLICY_DENIED,
			    "%s: value shorter than %d bytes or no measurement",
			    VOUCH_SEAL_SECRET_NAME, VOUCH_SEAL_KEY_BYTES);
		} else {
			rv = vouch_seal_key_derive(w->ctx, pt, pt_len, m, mlen,
			    derived);
			if (rv == VOUCH_OK) {
				vouch_wipe(pt, pt_len);
				memcpy(pt, derived, sizeof(derived));
				pt_len = sizeof(derived);
			}
			vouch_wipe(derived, sizeof(derived));
		}
	}
	if (rv == VOUCH_OK) {
		info_len = vouch_release_info(name, info);
		aad_len = vouch_release_aad(name, sec.version, aad);
		rv = vouch_hpke_seal_base(w->ctx, VOUCH_RELEASE_AEAD, pub, info,
		    info_len, aad, aad_len, pt, pt_len, &sealed, &sealed_len);
	}
	kek_secmem_free(pt);
	pt = NULL;
	if (rv != VOUCH_OK) {
		(void)snprintf(detail, sizeof(detail), "%s",
		    vouch_error(w->ctx));
		event_refuse(e, rv, "seal", detail);
		vouchd_audit(w, e);
		e = NULL;
		if ((rv == VOUCH_ERR_BAD_KEY && k != NULL) ||
		    rv == VOUCH_ERR_POLICY_DENIED) {
			/*
			 * A public key HPKE refuses (low order) or an unusable
			 * sealing secret: the same coarse answer as every other
			 * refusal after the nonce (no oracle); the audit has it.
			 */
			release_denied(w, req);
		} else {
			fprintf(stderr, "vouchd: release %s: %s\n", name,
			    vouch_errname(rv));
			vouchd_count(w->d, EP_RELEASE, OC_ERROR);
			vouchd_reply_problem(req, 500, "internal",
			    "Internal error");
		}
		goto out;
	}
	/*
	 * Counted last, atomically in the store, so that a release that
	 * failed for another reason does not use up the rule's limit.
	 */
	rv = w->d->store_ops->release_count_take(w->ctx, w->store, sec.rule,
	    max, &count);
	if (rv != VOUCH_OK) {
		event_refuse(e, rv, "release-limit", vouch_error(w->ctx));
		vouchd_audit(w, e);
		e = NULL;
		if (rv == VOUCH_ERR_POLICY_DENIED) {
			release_denied(w, req);
		} else {
			atomic_fetch_add(&w->d->metrics.store_errors, 1);
			vouchd_count(w->d, EP_RELEASE, OC_ERROR);
			vouchd_reply_problem(req, 503, "store-unavailable",
			    "Store unavailable");
		}
		goto out;
	}
	b64n = vouch_b64_encoded_len(sealed_len, false) + 1;
	b64 = malloc(b64n);
	if (b64 == NULL ||
	    !vouch_b64_encode(sealed, sealed_len, false, b64, b64n)) {
		event_refuse(e, VOUCH_ERR_NO_MEMORY, "reply", "out of memory");
		vouchd_audit(w, e);
		e = NULL;
		vouchd_count(w->d, EP_RELEASE, OC_ERROR);
		vouchd_reply_problem(req, 500, "internal", "Internal error");
		goto out;
	}
	(void)json_set(e, "outcome", json_string("released"));
	(void)json_set(e, "releases", json_integer(count));
	if (!audit_strict(w, e)) {
		e = NULL;
		vouchd_count(w->d, EP_RELEASE, OC_ERROR);
		vouchd_reply_problem(req, 503, "store-unavailable",
		    "Store unavailable");
		goto out;
	}
	e = NULL;
	vouchd_count(w->d, EP_RELEASE, OC_OK);
	vouchd_reply_json(req, 200, json_pack("{s:s, s:I, s:s}", "name", name,
	    "version", (json_int_t)sec.version, "sealed", b64));
 out:
	json_decref(e);
	free(b64);
	free(sealed);
	store_secret_clear(&sec);
	vouch_result_free(res);
	free(ev);
	json_decref(body);
}

/* ---- routing ------------------------------------------------------ */

static bool
require_admin(struct vouchd_worker *w, struct evhttp_request *req,
    const char *path)
{
	if (vouchd_peer_is_admin(w, req)) {
		return true;
	}
	vouchd_count(w->d, EP_SECRETS, OC_CLIENT_ERROR);
	vouchd_audit(w, json_pack("{s:s, s:s, s:s, s:s}", "type",
	    "admin-refused", "outcome", "refused", "path", path, "peer",
	    vouchd_peer_addr(req)));
	vouchd_reply_problem(req, 401, "admin-required",
	    "A domain administrator certificate is required");
	return false;
}

void
vouchd_secrets_dispatch(struct vouchd_worker *w, struct evhttp_request *req,
    const char *path)
{
	enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
	const char *rest = path + sizeof("/v1/secrets") - 1, *slash;
	char name[VOUCH_SECRET_NAME_MAX + 1];
	bool release = false;
	size_t nl;

	if (rest[0] == '\0' || strcmp(rest, "/") == 0) {
		if (!require_admin(w, req, path)) {
			return;
		}
		if (cmd != EVHTTP_REQ_GET) {
			vouchd_count(w->d, EP_SECRETS, OC_CLIENT_ERROR);
			vouchd_reply_problem(req, 405, "method-not-allowed",
			    "Use GET");
			return;
		}
		handle_list(w, req);
		return;
	}
	rest++;
	slash = strchr(rest, '/');
	nl = slash != NULL ? (size_t)(slash - rest) : strlen(rest);
	if (slash != NULL) {
		if (strcmp(slash, "/release") != 0) {
			vouchd_count(w->d, EP_OTHER, OC_CLIENT_ERROR);
			vouchd_reply_problem(req, 404, "not-found",
			    "No such endpoint");
			return;
		}
		release = true;
	}
	if (!release && !require_admin(w, req, path)) {
		return;
	}
	if (!vouch_secret_name_valid(rest, nl)) {
		vouchd_count(w->d, release ? EP_RELEASE : EP_SECRETS,
		    OC_CLIENT_ERROR);
		vouchd_reply_problem(req, 400, "bad-request",
		    "A secret name is 1 to 64 of A-Z a-z 0-9 . _ -");
		return;
	}
	memcpy(name, rest, nl);
	name[nl] = '\0';
	if (release) {
		handle_release(w, req, name);
	} else if (cmd == EVHTTP_REQ_PUT) {
		handle_put(w, req, name);
	} else if (cmd == EVHTTP_REQ_GET) {
		handle_get(w, req, name);
	} else if (cmd == EVHTTP_REQ_DELETE) {
		handle_delete(w, req, name);
	} else {
		vouchd_count(w->d, EP_SECRETS, OC_CLIENT_ERROR);
		vouchd_reply_problem(req, 405, "method-not-allowed",
		    "Use PUT, GET or DELETE");
	}
}

/* ---- setup, rotation ---------------------------------------------- */

static int
secrets_fail(struct vouch_ctx *ctx, const char *what)
{
	fprintf(stderr, "vouchd: %s: %s: %s\n", what,
	    vouch_errname(vouch_error_code(ctx)), vouch_error(ctx));
	return -1;
}

/* Load the current KEK (made if missing) and the previous one, if any. */
static int
load_keks(struct vouch_ctx *ctx, struct vouchd *d)
{
	const struct vouchd_config *c = &d->cfg;
	struct kek_pkcs11_config pc;
	char path[4096];

	memset(&pc, 0, sizeof(pc));
	pc.module = c->pkcs11_module;
	pc.token = c->pkcs11_token;
	pc.pin_file = c->pkcs11_pin_file;
	if (c->pkcs11_module != NULL) {
		if (c->kek_file != NULL) {
			fprintf(stderr, "vouchd: --kek-file and --pkcs11-module "
			    "exclude each other\n");
			return -1;
		}
		if (c->pkcs11_token == NULL) {
			fprintf(stderr, "vouchd: --pkcs11-module needs "
			    "--pkcs11-token\n");
			return -1;
		}
		pc.key_label = c->pkcs11_key_label;
		if (kek_open_pkcs11(ctx, &pc, true, &d->kek) != VOUCH_OK) {
			return secrets_fail(ctx, "KEK (PKCS#11)");
		}
	} else {
		if (c->kek_file != NULL) {
			(void)snprintf(path, sizeof(path), "%s", c->kek_file);
		} else if (!vouch_path_join(path, sizeof(path), c->data_dir,
		    SECRETS_DEFAULT_KEK_FILE)) {
			fprintf(stderr, "vouchd: --data-dir: path too long\n");
			return -1;
		}
		/* The store's directory must exist before the key goes in. */
		if (c->kek_file == NULL && mkdir(c->data_dir, 0700) == -1 &&
		    errno != EEXIST) {
			fprintf(stderr, "vouchd: %s: %s\n", c->data_dir,
			    strerror(errno));
			return -1;
		}
		if (kek_open_file(ctx, path, true, &d->kek) != VOUCH_OK) {
			return secrets_fail(ctx, "KEK");
		}
	}
	if (c->previous_kek_file != NULL && c->previous_pkcs11_key_label != NULL) {
		fprintf(stderr, "vouchd: one previous KEK at most\n");
		return -1;
	}
	if (c->previous_kek_file != NULL &&
	    kek_open_file(ctx, c->previous_kek_file, false,
	    &d->kek_previous) != VOUCH_OK) {
		return secrets_fail(ctx, "--previous-kek-file");
	}
	if (c->previous_pkcs11_key_label != NULL) {
		if (c->pkcs11_token == NULL || c->pkcs11_module == NULL) {
			fprintf(stderr, "vouchd: --previous-pkcs11-key-label "
			    "needs --pkcs11-module and --pkcs11-token\n");
			return -1;
		}
		pc.key_label = c->previous_pkcs11_key_label;
		if (kek_open_pkcs11(ctx, &pc, false, &d->kek_previous) !=
		    VOUCH_OK) {
			return secrets_fail(ctx, "previous KEK (PKCS#11)");
		}
	}
	return 0;
}

/*
 * Refuse to serve when some stored version is wrapped by a KEK that is
 * not loaded: releasing it would fail, and an operator who lost a key
 * file must hear of it now, not from the first workload.
 */
static int
check_store_keks(struct vouch_ctx *ctx, struct vouchd *d, struct store *s)
{
	json_t *ids = NULL, *v;
	const char *id;
	size_t i;
	int rc = 0;

	if (d->store_ops->secret_kek_ids(ctx, s, &ids) != VOUCH_OK) {
		return secrets_fail(ctx, "store");
	}
	json_array_foreach(ids, i, v) {
		id = json_string_value(json_object_get(v, "kek_id"));
		if (id == NULL || kek_by_id(d, id) == NULL) {
			fprintf(stderr, "vouchd: %lld secret versions are wrapped "
			    "by KEK %s, which is not loaded (this KEK: %s; give "
			    "it with --kek-file/--pkcs11-* or "
			    "--previous-kek-file/--previous-pkcs11-key-label)\n",
			    (long long)json_integer_value(json_object_get(v,
			    "versions")), id != NULL ? id : "?",
			    kek_id(d->kek));
			rc = -1;
		}
	}
	json_decref(ids);
	return rc;
}

int
vouchd_secrets_setup(struct vouch_ctx *ctx, struct vouchd *d)
{
	struct store *s = NULL;
	int rc;

	/*
	 * No core file and no same-user ptrace: secret values pass through
	 * OpenSSL's and libevent's buffers too, which protected memory
	 * cannot cover (docs/secrets.md).
	 */
	if (!d->cfg.insecure_allow_core_dumps && kek_harden_process() != 0) {
		fprintf(stderr, "vouchd: prctl(PR_SET_DUMPABLE): %s\n",
		    strerror(errno));
		return -1;
	}
	if (load_keks(ctx, d) != 0) {
		return -1;
	}
	if (d->store_ops->open(ctx, d->cfg.data_dir, &s) != VOUCH_OK) {
		return secrets_fail(ctx, "store");
	}
	rc = check_store_keks(ctx, d, s);
	d->store_ops->close(s);
	return rc;
}

void
vouchd_secrets_teardown(struct vouchd *d)
{
	kek_free(d->kek);
	kek_free(d->kek_previous);
	d->kek = NULL;
	d->kek_previous = NULL;
}

struct rewrap_arg {
	struct vouchd	*d;
	uint64_t	 from_previous;
};

static enum vouch_err
rewrap_cb(struct vouch_ctx *ctx, void *arg, const struct store_secret *sec,
    char *kek_id_out, uint8_t **out, size_t *out_len)
{
	struct rewrap_arg *ra = arg;
	struct kek *from;
	uint8_t *pt = NULL;
	size_t pt_len = 0;
	enum vouch_err rv;

	*out = NULL;
	*out_len = 0;
	if (strcmp(sec->kek_id, kek_id(ra->d->kek)) == 0) {
		return VOUCH_OK;	/* already under the current KEK */
	}
	from = kek_by_id(ra->d, sec->kek_id);
	if (from == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_KEY,
		    "secret %s version %lld is wrapped by KEK %s, which is "
		    "not loaded", sec->name, (long long)sec->version,
		    sec->kek_id);
	}
	rv = kek_unwrap(ctx, from, sec->name, sec->version, sec->wrapped,
	    sec->wrapped_len, &pt, &pt_len);
	if (rv == VOUCH_OK) {
		rv = kek_wrap(ctx, ra->d->kek, sec->name, sec->version, pt,
		    pt_len, out, out_len);
	}
	kek_secmem_free(pt);
	if (rv == VOUCH_OK) {
		(void)snprintf(kek_id_out, STORE_KEK_ID_MAX + 1, "%s",
		    kek_id(ra->d->kek));
		ra->from_previous++;
	}
	return rv;
}

int
vouchd_rotate_kek(struct vouch_ctx *ctx, struct vouchd *d)
{
	struct rewrap_arg ra;
	struct store *s = NULL;
	uint64_t changed = 0, seq = 0;
	enum vouch_err rv;
	json_t *e;
	int rc = 1;

	if (d->cfg.previous_kek_file == NULL &&
	    d->cfg.previous_pkcs11_key_label == NULL) {
		fprintf(stderr, "vouchd: --rotate-kek needs the old key: "
		    "--previous-kek-file or --previous-pkcs11-key-label\n");
		return 2;
	}
	if (!d->cfg.insecure_allow_core_dumps && kek_harden_process() != 0) {
		fprintf(stderr, "vouchd: prctl(PR_SET_DUMPABLE): %s\n",
		    strerror(errno));
		return 1;
	}
	if (load_keks(ctx, d) != 0) {
		goto out;
	}
	if (d->store_ops->open(ctx, d->cfg.data_dir, &s) != VOUCH_OK) {
		secrets_fail(ctx, "store");
		goto out;
	}
	memset(&ra, 0, sizeof(ra));
	ra.d = d;
	/* One transaction: all versions move to the new KEK, or none. */
	rv = d->store_ops->secret_rewrap(ctx, s, rewrap_cb, &ra, &changed);
	e = json_pack("{s:s, s:s, s:s, s:s, s:I}", "type", "kek-rotate",
	    "outcome", rv == VOUCH_OK ? "done" : "refused", "from",
	    kek_id(d->kek_previous), "to", kek_id(d->kek), "versions",
	    (json_int_t)changed);
	if (e != NULL && rv != VOUCH_OK) {
		(void)json_set(e, "error", json_string(vouch_errname(rv)));
		(void)json_set(e, "detail", json_string(vouch_error(ctx)));
	}
	if (e == NULL || d->store_ops->audit_append(ctx, s, vouch_ctx_now(ctx),
	    e, &seq) != VOUCH_OK) {
		fprintf(stderr, "vouchd: audit append failed\n");
	}
	json_decref(e);
	if (rv != VOUCH_OK) {
		fprintf(stderr, "vouchd: KEK rotation failed, nothing changed: "
		    "%s: %s\n", vouch_errname(rv), vouch_error(ctx));
		goto out;
	}
	printf("rewrapped %llu secret versions from %s to %s\n",
	    (unsigned long long)changed, kek_id(d->kek_previous),
	    kek_id(d->kek));
	rc = 0;
 out:
	if (s != NULL) {
		d->store_ops->close(s);
	}
	vouchd_secrets_teardown(d);
	return rc;
}
