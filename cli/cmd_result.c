/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vouch result verify: check an attested result bundle offline.  The
 * bundle (from examples/joint-stats) holds the result bytes, a signature
 * by the producing program's attested key, its admission chain and the
 * EAR token vouchd issued with it.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/x509.h>

#include "bs/bs.h"
#include "bs/json.h"
#include "ca.h"
#include "cli.h"
#include "crypto/crypto.h"
#include "util/file.h"

#define RESULT_BUNDLE_MAX	(2u * 1024u * 1024u)
#define EAR_MAX			16384

static const char usage[] =
    "usage: vouch result verify --domain-cert ROOT --expect-measurement HEX\n"
    "                           [--results-key PUB.pem] [--at RFC3339] [--json]\n"
    "                           BUNDLE\n"
    "\n"
    "Verify an attested result offline: the admission chain ends at the\n"
    "domain root and is valid now (or at --at); the certificate's admission\n"
    "extension names the expected measurement; the result is signed by the\n"
    "certified key; the EAR token is signed by the issuing CA of that chain\n"
    "and its status is affirming or warning for the same measurement.  Then\n"
    "print the result.\n"
    "\n"
    "  --expect-measurement HEX  the program measurement the result must come\n"
    "                            from (required: a result from an unchecked\n"
    "                            program proves nothing)\n"
    "  --results-key PUB.pem     also require the countersignature by the\n"
    "                            domain's results-signing key (P-256/P-384\n"
    "                            public key), which vouchd releases only to\n"
    "                            trusted programs (docs/secrets.md); without\n"
    "                            it a countersignature is reported unchecked\n"
    "\n"
    "Exit status: 0 verified, 1 rejected (error name on stderr), 2 usage or\n"
    "unreadable input.\n";

/* Strict base64url (no padding) into a new NUL-terminated buffer. */
static uint8_t *
b64url(const char *s, size_t n, size_t *out_len)
{
	size_t cap = vouch_b64_decoded_max(n) + 1;
	uint8_t *buf = malloc(cap);

	if (buf == NULL || !vouch_b64_decode(s, n, true, buf, cap - 1, out_len)) {
		free(buf);
		return NULL;
	}
	buf[*out_len] = '\0';
	return buf;
}

/*
 * Verify the compact JWS |tok| with |pub| (ES384 only) and return its
 * payload as JSON.
 */
static enum vouch_err
ear_check(struct vouch_ctx *ctx, const char *tok, EVP_PKEY *pub, json_t **out)
{
	const char *d1 = strchr(tok, '.'), *d2;
	uint8_t *hdr = NULL, *pay = NULL, *sig = NULL;
	size_t hl, pl, sl;
	json_t *h = NULL;
	enum vouch_err rv = VOUCH_ERR_SIGNATURE_INVALID;

	*out = NULL;
	d2 = d1 != NULL ? strchr(d1 + 1, '.') : NULL;
	if (d1 == NULL || d2 == NULL || strchr(d2 + 1, '.') != NULL ||
	    strlen(tok) > EAR_MAX) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_ENCODING, "EAR is not a compact JWS");
	}
	hdr = b64url(tok, (size_t)(d1 - tok), &hl);
	pay = b64url(d1 + 1, (size_t)(d2 - d1 - 1), &pl);
	sig = b64url(d2 + 1, strlen(d2 + 1), &sl);
	if (hdr == NULL || pay == NULL || sig == NULL ||
	    vouch_json_load(ctx, hdr, hl, 0, &h) != VOUCH_OK ||
	    json_string_value(json_object_get(h, "alg")) == NULL ||
	    strcmp(json_string_value(json_object_get(h, "alg")), "ES384") != 0 ||
	    json_object_get(h, "crit") != NULL) {
		rv = vouch_fail(ctx, VOUCH_ERR_SIGNATURE_INVALID,
		    "EAR header is not an ES384 JWS header");
		goto out;
	}
	rv = vouch_ecdsa_verify_raw(ctx, pub, (const uint8_t *)tok,
	    (size_t)(d2 - tok), sig, sl);
	if (rv != VOUCH_OK) {
		(void)vouch_fail(ctx, rv, "EAR signature does not verify with the issuing CA key");
		goto out;
	}
	rv = vouch_json_load(ctx, pay, pl, 0, out);
 out:
	json_decref(h);
	free(hdr);
	free(pay);
	free(sig);
	return rv;
}

static int
result_verify_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "domain-cert", required_argument, NULL, 'r' },
		{ "expect-measurement", required_argument, NULL, 'm' },
		{ "at", required_argument, NULL, 't' },
		{ "results-key", required_argument, NULL, 'k' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const keys[] = { "vouch_result", "result", "signature",
	    "certificate_chain", "ear", "results_key_signature", NULL };
	struct vouch_ctx *ctx = vouch_ctx_new();
	const char *root_path = NULL, *mhex = NULL, *result, *chain, *ear, *st;
	const char *sighex, *rk_path = NULL, *rkhex, *rk_state = "absent";
	uint8_t *rk_pem = NULL, rk_spki[VOUCH_EC_SPKI_MAX], rk_sig[96];
	size_t rk_pem_len = 0, rk_spki_len = 0, rk_sig_len = 0;
	EVP_PKEY *rk = NULL;
	uint8_t want[64], sig[96], *buf = NULL;
	size_t want_len = 0, len = 0, sig_len = 0;
	STACK_OF(X509) *certs = NULL, *anchors = NULL, *verified = NULL;
	X509 *root = NULL, *leaf;
	json_t *bundle = NULL, *claims = NULL, *res = NULL, *sub, *v;
	struct ca_admission adm;
	const char *k;
	enum vouch_err rv;
	char *s;
	bool json = false, ear_ok = false;
	int64_t at;
	int ch, rc = CLI_EXIT_USAGE;

	if (ctx == NULL) {
		return CLI_EXIT_FAIL;
	}
	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (ch == 'r') {
			root_path = optarg;
		} else if (ch == 'm') {
			mhex = optarg;
		} else if (ch == 'j') {
			json = true;
		} else if (ch == 'k') {
			rk_path = optarg;
		} else if (ch == 't') {
			if (!vouch_time_parse_rfc3339(optarg, &at)) {
				rc = cli_usage("--at: expected RFC 3339 time");
				goto out;
			}
			vouch_ctx_set_time(ctx, at);
		} else if (ch == 'h') {
			fputs(usage, stdout);
			rc = CLI_EXIT_OK;
			goto out;
		} else {
			fputs(usage, stderr);
			goto out;
		}
	}
	if (optind != argc - 1 || root_path == NULL || mhex == NULL ||
	    !vouch_hex_decode(mhex, strlen(mhex), want, sizeof(want), &want_len) ||
	    want_len < 32) {
		fputs(usage, stderr);
		goto out;
	}
	rv = vouch_cert_read_pem(ctx, root_path, &root);
	if (rv == VOUCH_OK) {
		rv = vouch_file_read(ctx, argv[optind], RESULT_BUNDLE_MAX, &buf, &len);
	}
	if (rv == VOUCH_OK && rk_path != NULL) {
		rv = vouch_file_read(ctx, rk_path, VOUCH_PEM_FILE_MAX_BYTES, &rk_pem,
		    &rk_pem_len);
		if (rv == VOUCH_OK) {
			rv = vouch_ec_pubkey_from_pem(ctx, (const char *)rk_pem,
			    rk_pem_len, &rk, rk_spki, &rk_spki_len);
		}
	}
	if (rv != VOUCH_OK) {
		rc = cli_read_error(ctx, rv);
		goto out;
	}
	rc = CLI_EXIT_FAIL;
	if ((rv = vouch_json_load(ctx, buf, len, RESULT_BUNDLE_MAX, &bundle)) != VOUCH_OK ||
	    (rv = vouch_json_check_keys(ctx, bundle, keys, "result bundle")) != VOUCH_OK) {
		rc = cli_error(ctx, rv, CLI_EXIT_FAIL);
		goto out;
	}
	result = json_string_value(json_object_get(bundle, "result"));
	chain = json_string_value(json_object_get(bundle, "certificate_chain"));
	ear = json_string_value(json_object_get(bundle, "ear"));
	sighex = json_string_value(json_object_get(bundle, "signature"));
	if (json_integer_value(json_object_get(bundle, "vouch_result")) != 1 ||
	    result == NULL || chain == NULL || ear == NULL || sighex == NULL ||
	    !vouch_hex_decode(sighex, strlen(sighex), sig, sizeof(sig), &sig_len) ||
	    sig_len != sizeof(sig)) {
		rc = cli_error(ctx, vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
		    "result bundle: missing or malformed member"), CLI_EXIT_FAIL);
		goto out;
	}
	/* 1. The admission chain ends at the domain root, valid now. */
	certs = sk_X509_new_null();
	anchors = sk_X509_new_null();
	if (certs == NULL || anchors == NULL || sk_X509_push(anchors, root) == 0) {
		goto out;
	}
	root = NULL;
	if ((rv = vouch_certs_parse(ctx, (const uint8_t *)chain, strlen(chain), certs)) != VOUCH_OK ||
	    sk_X509_num(certs) != 2) {
		rc = cli_error(ctx, rv != VOUCH_OK ? rv : vouch_fail(ctx,
		    VOUCH_ERR_BAD_CERT, "admission chain must be leaf and issuing CA"),
		    CLI_EXIT_FAIL);
		goto out;
	}
	leaf = sk_X509_value(certs, 0);
	rv = vouch_chain_verify(ctx, leaf, certs, anchors, vouch_ctx_now(ctx),
	    &verified);
	if (rv == VOUCH_OK && sk_X509_num(verified) != 3) {
		rv = vouch_fail(ctx, VOUCH_ERR_CHAIN_INVALID,
		    "admission chain must be leaf, issuing CA, domain root");
	}
	if (rv != VOUCH_OK) {
		rc = cli_error(ctx, rv, CLI_EXIT_FAIL);
		goto out;
	}
	/* 2. The certificate names the expected program. */
	rv = ca_admission_from_cert(ctx, leaf, &adm);
	if (rv != VOUCH_OK) {
		rc = cli_error(ctx, rv, CLI_EXIT_FAIL);
		goto out;
	}
	if (adm.measurement_len != want_len ||
	    !vouch_ct_eq(adm.measurement, want, want_len)) {
		rc = cli_error(ctx, vouch_fail(ctx, VOUCH_ERR_MEASUREMENT_NOT_TRUSTED,
		    "the result comes from another program than expected"),
		    CLI_EXIT_FAIL);
		goto out;
	}
	/* 3. The result bytes are signed by the certified key. */
	rv = vouch_ecdsa_verify_raw(ctx, X509_get0_pubkey(leaf),
	    (const uint8_t *)result, strlen(result), sig, sizeof(sig));
	if (rv != VOUCH_OK) {
		rc = cli_error(ctx, vouch_fail(ctx, rv,
		    "result signature does not verify with the attested key"),
		    CLI_EXIT_FAIL);
		goto out;
	}
	/* 4. The EAR: signed by the issuing CA, same measurement, not refused. */
	/* The issuing CA as validated, not as the bundle listed it. */
	rv = ear_check(ctx, ear, X509_get0_pubkey(sk_X509_value(verified, 1)),
	    &claims);
	if (rv != VOUCH_OK) {
		rc = cli_error(ctx, rv, CLI_EXIT_FAIL);
		goto out;
	}
	st = json_string_value(json_object_get(claims, "ear_status"));
	json_object_foreach(json_object_get(claims, "submods"), k, sub) {
		v = json_object_get(json_object_get(sub, "ear_attester_claims"),
		    "vouch.measurement");
		if (json_string_value(v) != NULL && strlen(mhex) == 2 * want_len &&
		    strcasecmp(json_string_value(v), mhex) == 0) {
			ear_ok = true;
		}
	}
	if (st == NULL || (strcmp(st, "affirming") != 0 && strcmp(st, "warning") != 0) ||
	    !ear_ok) {
		rc = cli_error(ctx, vouch_fail(ctx, VOUCH_ERR_POLICY_DENIED,
		    "EAR status is %s or names another measurement",
		    st != NULL ? st : "missing"), CLI_EXIT_FAIL);
		goto out;
	}
	/* 5. The countersignature by the released results-signing key. */
	rkhex = json_string_value(json_object_get(bundle, "results_key_signature"));
	if (json_object_get(bundle, "results_key_signature") != NULL &&
	    (rkhex == NULL || !vouch_hex_decode(rkhex, strlen(rkhex), rk_sig,
	    sizeof(rk_sig), &rk_sig_len))) {
		rc = cli_error(ctx, vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
		    "result bundle: malformed results_key_signature"), CLI_EXIT_FAIL);
		goto out;
	}
	if (rk != NULL) {
		if (rkhex == NULL) {
			rc = cli_error(ctx, vouch_fail(ctx, VOUCH_ERR_SIGNATURE_INVALID,
			    "the result carries no results-key countersignature"),
			    CLI_EXIT_FAIL);
			goto out;
		}
		rv = vouch_ecdsa_verify_raw(ctx, rk, (const uint8_t *)result,
		    strlen(result), rk_sig, rk_sig_len);
		if (rv != VOUCH_OK) {
			rc = cli_error(ctx, vouch_fail(ctx, rv, "the results-key "
			    "countersignature does not verify"), CLI_EXIT_FAIL);
			goto out;
		}
		rk_state = "verified";
	} else if (rkhex != NULL) {
		rk_state = "unchecked";
	}
	if ((rv = vouch_json_load(ctx, (const uint8_t *)result, strlen(result), 0,
	    &res)) != VOUCH_OK) {
		rc = cli_error(ctx, rv, CLI_EXIT_FAIL);
		goto out;
	}
	if (json) {
		json_t *o = json_pack("{s:s, s:s, s:s, s:I, s:s, s:s, s:O}",
		    "verdict", "verified", "platform", adm.platform, "release",
		    adm.release, "policy_version", (json_int_t)adm.policy_version,
		    "ear_status", st, "results_key", rk_state, "result", res);
		s = o != NULL ? vouch_json_dump(o) : NULL;
		printf("%s\n", s != NULL ? s : "{}");
		free(s);
		json_decref(o);
	} else {
		printf("verified: result signed by an attested %s program, release %s, "
		    "policy v%lld, EAR %s, results-key countersignature %s\n",
		    adm.platform, adm.release, (long long)adm.policy_version, st,
		    rk_state);
		s = vouch_json_pretty(res);
		printf("%s\n", s != NULL ? s : "{}");
		free(s);
	}
	rc = CLI_EXIT_OK;
 out:
	EVP_PKEY_free(rk);
	free(rk_pem);
	json_decref(res);
	json_decref(claims);
	json_decref(bundle);
	sk_X509_pop_free(verified, X509_free);
	sk_X509_pop_free(certs, X509_free);
	sk_X509_pop_free(anchors, X509_free);
	X509_free(root);
	free(buf);
	vouch_ctx_free(ctx);
	return rc;
}

static const struct cli_cmd result_cmds[] = {
	{ "verify", result_verify_main, "verify an attested result bundle offline" },
};

int
cmd_result(int argc, char **argv)
{
	return cli_dispatch("vouch result", result_cmds,
	    sizeof(result_cmds) / sizeof(result_cmds[0]), argc, argv);
}
