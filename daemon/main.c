/* SPDX-License-Identifier: Apache-2.0 */
/* vouchd: options, configuration file, keys, TLS context; then run. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "bs/bs.h"
#include "crypto/crypto.h"
#include "ear.h"
#include "util/file.h"
#include "vouchd.h"

static const char usage[] =
"usage: vouchd --data-dir DIR --domain-cert ROOT --issuer-key KEY --issuer-cert CERT\n"
"              --listen HOST:PORT [options]\n"
"\n"
"The vouch certifier service: HTTP/1.1 + JSON over TLS 1.3 (docs/vouchd.md).\n"
"\n"
"  --config FILE        read options from FILE: one \"key = value\" per line,\n"
"                       keys as the long options below without \"--\"; '#'\n"
"                       starts a comment; command-line options win\n"
"  --data-dir DIR       the store (SQLite, vouchd.db); created if missing\n"
"  --domain-cert FILE   the domain root certificate (trust anchor of policies,\n"
"                       admin certificates and admission chains)\n"
"  --issuer-key FILE    the issuing CA key (from 'vouch service-cert issue')\n"
"  --issuer-cert FILE   the issuing CA certificate, signed by the domain root\n"
"  --listen HOST:PORT   address to listen on, e.g. 127.0.0.1:8443\n"
"  --tls-key FILE       TLS server key; with --tls-cert.  Default: a key made\n"
"  --tls-cert FILE      at start and a certificate from the issuing CA for\n"
"                       DNS:localhost and the listen address\n"
"  --sim-root FILE      trust anchor for sim evidence (the sim platform is\n"
"                       accepted only if the policy also names it)\n"
"  --collateral-cache DIR\n"
"                       where collateral (SEV-SNP VCEKs, AMD chains, CRLs;\n"
"                       Intel TCB Info, QE Identity, CRLs) is looked up and\n"
"                       fetched copies are kept (docs/snp.md, docs/tdx.md)\n"
"  --kds-url URL        fetch missing SEV-SNP collateral from AMD KDS at URL\n"
"                       (https://kdsintf.amd.com); without it vouchd never\n"
"                       fetches, and evidence without collateral is refused\n"
"  --pcs-url URL        fetch missing TDX/SGX collateral from Intel PCS or a\n"
"                       PCCS at URL (https://api.trustedservices.intel.com);\n"
"                       without it vouchd never fetches Intel collateral\n"
"  --pid-file FILE      write the process id there once listening\n"
"  --threads N          worker threads (default 2)\n"
"  --max-body BYTES     request body limit (default 1048576)\n"
"  --max-headers BYTES  request header limit (default 16384)\n"
"  --max-conns N        open connections; more are closed at once (default 512)\n"
"  --conn-deadline S    seconds a connection may live, however slowly it\n"
"                       sends (default 10)\n"
"  --max-inflight N     requests being served at once; more get 503 (default 64)\n"
"  --nonce-ttl S        challenge lifetime in seconds (default 120)\n"
"\n"
"Secrets (docs/secrets.md): values are stored wrapped by a key-encryption key.\n"
"  --kek-file FILE      the KEK: 32 bytes, mode 0600, made if missing\n"
"                       (default DATA-DIR/kek.key)\n"
"  --pkcs11-module SO   keep the KEK on a PKCS#11 token instead (an AES-256\n"
"  --pkcs11-token LABEL key that never leaves it; made if missing)\n"
"  --pkcs11-key-label L the key's label (default vouch-kek)\n"
"  --pkcs11-pin-file F  the user PIN (else the VOUCHD_PKCS11_PIN variable;\n"
"                       never on the command line)\n"
"  --previous-kek-file FILE, --previous-pkcs11-key-label L\n"
"                       the KEK before a rotation, still used to unwrap\n"
"  --rotate-kek         rewrap every secret version from the previous KEK to\n"
"                       the current one in one transaction, then exit (needs\n"
"                       --data-dir and the KEK options only)\n"
"  --insecure-allow-core-dumps\n"
"                       keep the process dumpable (default: prctl\n"
"                       PR_SET_DUMPABLE 0; secret pages are always excluded)\n"
"\n"
"SIGTERM or SIGINT stops it cleanly.  Admin endpoints (/v1/policy, /v1/audit,\n"
"/v1/secrets) require a TLS client certificate from 'vouch admin-cert issue'.\n";

struct opt_desc {
	const char	*name;
	size_t		 off;	/* into struct vouchd_config */
	bool		 is_num;
	long		 min, max;
};

#define S(f) offsetof(struct vouchd_config, f), false, 0, 0
#define N(f, lo, hi) offsetof(struct vouchd_config, f), true, lo, hi
static const struct opt_desc opt_table[] = {
	{ "data-dir", S(data_dir) },
	{ "domain-cert", S(domain_cert) },
	{ "issuer-key", S(issuer_key) },
	{ "issuer-cert", S(issuer_cert) },
	{ "tls-key", S(tls_key) },
	{ "tls-cert", S(tls_cert) },
	{ "sim-root", S(sim_root) },
	{ "collateral-cache", S(collateral_cache) },
	{ "kds-url", S(kds_url) },
	{ "pcs-url", S(pcs_url) },
	{ "listen", S(listen) },
	{ "pid-file", S(pid_file) },
	{ "threads", N(threads, 1, VOUCHD_MAX_THREADS) },
	{ "max-body", N(max_body, 1024, 64L * 1024 * 1024) },
	{ "max-headers", N(max_headers, 1024, 1024 * 1024) },
	{ "max-conns", N(max_conns, 1, 1000000) },
	{ "conn-deadline", N(conn_deadline, 1, 3600) },
	{ "max-inflight", N(max_inflight, 1, 100000) },
	{ "nonce-ttl", N(nonce_ttl, 5, 86400) },
	{ "kek-file", S(kek_file) },
	{ "previous-kek-file", S(previous_kek_file) },
	{ "pkcs11-module", S(pkcs11_module) },
	{ "pkcs11-token", S(pkcs11_token) },
	{ "pkcs11-key-label", S(pkcs11_key_label) },
	{ "pkcs11-pin-file", S(pkcs11_pin_file) },
	{ "previous-pkcs11-key-label", S(previous_pkcs11_key_label) },
};
#undef S
#undef N

/* Strings copied from the config file, freed at exit. */
#define OWNED_MAX	64
static char *owned[OWNED_MAX];
static size_t n_owned;

static int
set_opt(struct vouchd_config *cfg, const char *name, const char *value,
    bool from_file)
{
	const struct opt_desc *o = NULL;
	char *end, *copy;
	long v;
	size_t i;

	for (i = 0; i < sizeof(opt_table) / sizeof(opt_table[0]); i++) {
		if (strcmp(opt_table[i].name, name) == 0) {
			o = &opt_table[i];
		}
	}
	if (o == NULL) {
		fprintf(stderr, "vouchd: unknown option \"%s\"\n", name);
		return -1;
	}
	if (o->is_num) {
		errno = 0;
		v = strtol(value, &end, 10);
		if (value[0] < '0' || value[0] > '9' || errno != 0 ||
		    *end != '\0' || v < o->min || v > o->max) {
			fprintf(stderr, "vouchd: %s: expected %ld to %ld\n", name,
			    o->min, o->max);
			return -1;
		}
		*(long *)(void *)((char *)cfg + o->off) = v;
		return 0;
	}
	copy = (char *)(uintptr_t)value;
	if (from_file) {
		if (n_owned == OWNED_MAX) {
			fprintf(stderr, "vouchd: too many options in the config file\n");
			return -1;
		}
		copy = strdup(value);
		if (copy == NULL) {
			return -1;
		}
		owned[n_owned++] = copy;
	}
	*(const char **)(void *)((char *)cfg + o->off) = copy;
	return 0;
}

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t') {
		s++;
	}
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
	    e[-1] == '\n')) {
		*--e = '\0';
	}
	return s;
}

static int
load_config_file(struct vouchd_config *cfg, const char *path)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	char *line, *next, *eq, *key, *val;
	int rc = 0, lineno = 0;

	if (vouch_file_read(NULL, path, 65536, &buf, &len) != VOUCH_OK) {
		fprintf(stderr, "vouchd: cannot read config %s\n", path);
		return -1;
	}
	if (memchr(buf, '\0', len) != NULL) {
		free(buf);
		fprintf(stderr, "vouchd: %s: NUL byte in config\n", path);
		return -1;
	}
	for (line = (char *)buf; line != NULL && rc == 0; line = next) {
		next = strchr(line, '\n');
		if (next != NULL) {
			*next++ = '\0';
		}
		lineno++;
		line = trim(line);
		if (line[0] == '\0' || line[0] == '#') {
			continue;
		}
		eq = strchr(line, '=');
		if (eq == NULL) {
			fprintf(stderr, "vouchd: %s:%d: expected key = value\n",
			    path, lineno);
			rc = -1;
			break;
		}
		*eq = '\0';
		key = trim(line);
		val = trim(eq + 1);
		rc = set_opt(cfg, key, val, true);
	}
	free(buf);
	return rc;
}

static int
fail(struct vouch_ctx *ctx, const char *what)
{
	fprintf(stderr, "vouchd: %s: %s: %s\n", what,
	    vouch_errname(vouch_error_code(ctx)), vouch_error(ctx));
	return -1;
}

/* A TLS server key and certificate from the issuing CA, made at start. */
static int
make_tls_identity(struct vouch_ctx *ctx, struct vouchd *d, EVP_PKEY **key,
    X509 **cert)
{
	struct vouch_cert_spec spec;
	char san[160], host[128];
	const char *colon = strrchr(d->cfg.listen, ':');
	size_t hl = colon != NULL ? (size_t)(colon - d->cfg.listen) : 0;
	int64_t now = vouch_ctx_now(ctx);
	ASN1_TIME *na = X509_getm_notAfter(d->issuer_cert);
	struct tm tm;

	if (hl == 0 || hl >= sizeof(host)) {
		return -1;
	}
	memcpy(host, d->cfg.listen, hl);
	host[hl] = '\0';
	if (strspn(host, "0123456789.") == hl) {
		(void)snprintf(san, sizeof(san), "DNS:localhost,IP:%s", host);
	} else {
		(void)snprintf(san, sizeof(san), "DNS:localhost,DNS:%s", host);
	}
	memset(&spec, 0, sizeof(spec));
	spec.common_name = "vouchd";
	spec.organization = "vouch security domain";
	spec.not_before = now - 60;
	spec.not_after = now + 30 * 86400;
	if (ASN1_TIME_to_tm(na, &tm) == 1 && timegm(&tm) < spec.not_after) {
		spec.not_after = timegm(&tm);
	}
	spec.path_len = -1;
	spec.eku_server = true;
	spec.dns_ip_san = san;
	if (vouch_key_gen_p384(ctx, key) != VOUCH_OK ||
	    vouch_cert_build(ctx, &spec, *key, d->issuer_cert, d->issuer_key,
	    cert) != VOUCH_OK) {
		return fail(ctx, "TLS identity");
	}
	return 0;
}

static int
setup(struct vouch_ctx *ctx, struct vouchd *d)
{
	STACK_OF(X509) *anchors = NULL;
	X509 *tls_cert = NULL;
	EVP_PKEY *tls_key = NULL;
	X509_STORE *store;
	STACK_OF(X509_NAME) *cas;
	int rc = -1;

	if (vouch_cert_read_pem(ctx, d->cfg.domain_cert, &d->domain_root) != VOUCH_OK) {
		return fail(ctx, "--domain-cert");
	}
	d->domain_pub = X509_get0_pubkey(d->domain_root);
	if (!vouch_key_is_p384(d->domain_pub)) {
		fprintf(stderr, "vouchd: --domain-cert: not an ECDSA P-384 root\n");
		return -1;
	}
	if (vouch_cert_read_pem(ctx, d->cfg.issuer_cert, &d->issuer_cert) != VOUCH_OK ||
	    vouch_key_read_pem(ctx, d->cfg.issuer_key, &d->issuer_key) != VOUCH_OK) {
		return fail(ctx, "issuer");
	}
	if (X509_check_private_key(d->issuer_cert, d->issuer_key) != 1) {
		fprintf(stderr, "vouchd: --issuer-key does not match --issuer-cert\n");
		return -1;
	}
	anchors = sk_X509_new_null();
	if (anchors == NULL || sk_X509_push(anchors, d->domain_root) == 0) {
		goto out;
	}
	X509_up_ref(d->domain_root);
	/* The issuing CA must chain to the domain root now. */
	if (vouch_chain_verify(ctx, d->issuer_cert, NULL, anchors,
	    vouch_ctx_now(ctx), NULL) != VOUCH_OK) {
		fail(ctx, "--issuer-cert does not chain to --domain-cert");
		goto out;
	}
	if (vouch_domain_uri(ctx, d->domain_root, d->domain_uri,
	    sizeof(d->domain_uri)) != VOUCH_OK ||
	    ear_kid(ctx, d->issuer_key, d->issuer_kid) != VOUCH_OK ||
	    ear_jwks(ctx, d->issuer_key, d->issuer_cert, d->domain_root,
	    &d->jwks) != VOUCH_OK) {
		fail(ctx, "issuer key");
		goto out;
	}
	if (d->cfg.sim_root != NULL &&
	    vouch_file_read(ctx, d->cfg.sim_root, VOUCH_PEM_FILE_MAX_BYTES,
	    &d->sim_root_pem, &d->sim_root_len) != VOUCH_OK) {
		fail(ctx, "--sim-root");
		goto out;
	}
	/* Checked here once, not in every worker at its first SNP request. */
	if (d->cfg.kds_url != NULL || d->cfg.pcs_url != NULL ||
	    d->cfg.collateral_cache != NULL) {
		struct vouch_verify_config *probe = vouch_verify_config_new();
		bool ok = probe != NULL &&
		    (d->cfg.kds_url == NULL || vouch_verify_config_enable_fetch(
		    ctx, probe, "snp", d->cfg.kds_url) == VOUCH_OK) &&
		    (d->cfg.pcs_url == NULL || vouch_verify_config_enable_fetch(
		    ctx, probe, "tdx", d->cfg.pcs_url) == VOUCH_OK) &&
		    (d->cfg.collateral_cache == NULL ||
		    vouch_verify_config_set_cache_dir(ctx, probe,
		    d->cfg.collateral_cache) == VOUCH_OK);

		vouch_verify_config_free(probe);
		if (!ok) {
			fail(ctx, "--kds-url, --pcs-url or --collateral-cache");
			goto out;
		}
	}
	if ((d->cfg.tls_key == NULL) != (d->cfg.tls_cert == NULL)) {
		fprintf(stderr, "vouchd: --tls-key and --tls-cert go together\n");
		goto out;
	}
	if (d->cfg.tls_key != NULL) {
		if (vouch_key_read_pem(ctx, d->cfg.tls_key, &tls_key) != VOUCH_OK ||
		    vouch_cert_read_pem(ctx, d->cfg.tls_cert, &tls_cert) != VOUCH_OK) {
			fail(ctx, "TLS identity");
			goto out;
		}
	} else if (make_tls_identity(ctx, d, &tls_key, &tls_cert) != 0) {
		goto out;
	}
	d->ssl_ctx = SSL_CTX_new(TLS_server_method());
	if (d->ssl_ctx == NULL ||
	    SSL_CTX_set_min_proto_version(d->ssl_ctx, TLS1_3_VERSION) != 1 ||
	    SSL_CTX_use_certificate(d->ssl_ctx, tls_cert) != 1 ||
	    SSL_CTX_use_PrivateKey(d->ssl_ctx, tls_key) != 1 ||
	    SSL_CTX_add1_chain_cert(d->ssl_ctx, d->issuer_cert) != 1 ||
	    SSL_CTX_check_private_key(d->ssl_ctx) != 1) {
		fprintf(stderr, "vouchd: TLS setup failed\n");
		goto out;
	}
	/*
	 * Client certificates are optional (attesters have none yet); when
	 * one is sent it must chain to the domain root or the handshake
	 * fails.  Admin endpoints then check it is an admin certificate.
	 */
	store = SSL_CTX_get_cert_store(d->ssl_ctx);
	cas = sk_X509_NAME_new_null();
	if (store == NULL || X509_STORE_add_cert(store, d->domain_root) != 1 ||
	    cas == NULL ||
	    sk_X509_NAME_push(cas, X509_NAME_dup(X509_get_subject_name(d->domain_root))) == 0) {
		sk_X509_NAME_pop_free(cas, X509_NAME_free);
		fprintf(stderr, "vouchd: TLS trust setup failed\n");
		goto out;
	}
	SSL_CTX_set_client_CA_list(d->ssl_ctx, cas);
	SSL_CTX_set_verify(d->ssl_ctx, SSL_VERIFY_PEER, NULL);
	SSL_CTX_set_verify_depth(d->ssl_ctx, 3);
	SSL_CTX_set_session_id_context(d->ssl_ctx, (const unsigned char *)"vouchd", 6);
	rc = 0;
 out:
	ERR_clear_error();
	sk_X509_pop_free(anchors, X509_free);
	X509_free(tls_cert);
	EVP_PKEY_free(tls_key);
	return rc;
}

int
main(int argc, char **argv)
{
	struct option lopts[sizeof(opt_table) / sizeof(opt_table[0]) + 5];
	struct vouchd d;
	struct vouch_ctx *ctx = NULL;
	const char *config = NULL;
	size_t i, n = sizeof(opt_table) / sizeof(opt_table[0]);
	int ch, idx, rc = 1;

	memset(&d, 0, sizeof(d));
	d.cfg.max_body = VOUCHD_DEFAULT_MAX_BODY;
	d.cfg.max_headers = VOUCHD_DEFAULT_MAX_HEADERS;
	d.cfg.max_conns = VOUCHD_DEFAULT_MAX_CONNS;
	d.cfg.conn_deadline = VOUCHD_DEFAULT_CONN_DEADLINE;
	d.cfg.max_inflight = VOUCHD_DEFAULT_MAX_INFLIGHT;
	d.cfg.nonce_ttl = VOUCHD_DEFAULT_NONCE_TTL;
	d.cfg.threads = VOUCHD_DEFAULT_THREADS;
	d.store_ops = &store_sqlite_ops;
	for (i = 0; i < n; i++) {
		lopts[i].name = opt_table[i].name;
		lopts[i].has_arg = required_argument;
		lopts[i].flag = NULL;
		lopts[i].val = 0;
	}
	lopts[n] = (struct option){ "config", required_argument, NULL, 'c' };
	lopts[n + 1] = (struct option){ "help", no_argument, NULL, 'h' };
	lopts[n + 2] = (struct option){ "rotate-kek", no_argument, NULL, 'R' };
	lopts[n + 3] = (struct option){ "insecure-allow-core-dumps", no_argument,
	    NULL, 'D' };
	lopts[n + 4] = (struct option){ NULL, 0, NULL, 0 };
	/* First pass: only --config and --help, so the file comes first. */
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "h", lopts, &idx)) != -1) {
		if (ch == 'c') {
			config = optarg;
		} else if (ch == 'h') {
			fputs(usage, stdout);
			return 0;
		}
	}
	if (config != NULL && load_config_file(&d.cfg, config) != 0) {
		rc = 2;
		goto done;
	}
	opterr = 1;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", lopts, &idx)) != -1) {
		if (ch == 0) {
			if (set_opt(&d.cfg, lopts[idx].name, optarg, false) != 0) {
				rc = 2;
				goto done;
			}
		} else if (ch == 'R') {
			d.cfg.rotate_kek = true;
		} else if (ch == 'D') {
			d.cfg.insecure_allow_core_dumps = true;
		} else if (ch != 'c') {
			fputs(usage, stderr);
			rc = 2;
			goto done;
		}
	}
	if (d.cfg.rotate_kek) {
		if (optind != argc || d.cfg.data_dir == NULL) {
			fputs(usage, stderr);
			rc = 2;
			goto done;
		}
		ctx = vouch_ctx_new();
		rc = ctx != NULL ? vouchd_rotate_kek(ctx, &d) : 1;
		vouch_ctx_free(ctx);
		goto done;
	}
	if (optind != argc || d.cfg.data_dir == NULL || d.cfg.domain_cert == NULL ||
	    d.cfg.issuer_key == NULL || d.cfg.issuer_cert == NULL ||
	    d.cfg.listen == NULL) {
		fputs(usage, stderr);
		rc = 2;
		goto done;
	}
	ctx = vouch_ctx_new();
	if (ctx == NULL) {
		goto done;
	}
	if (setup(ctx, &d) == 0 && vouchd_secrets_setup(ctx, &d) == 0) {
		rc = vouchd_run(&d);
	}
	vouchd_secrets_teardown(&d);
	SSL_CTX_free(d.ssl_ctx);
	free(d.jwks);
	free(d.sim_root_pem);
	EVP_PKEY_free(d.issuer_key);
	X509_free(d.issuer_cert);
	X509_free(d.domain_root);
	vouch_ctx_free(ctx);
 done:
	for (i = 0; i < n_owned; i++) {
		free(owned[i]);
	}
	return rc;
}
