/* SPDX-License-Identifier: Apache-2.0 */
/* vouchd: configuration, shared state and the pieces server.c and api.c share. */
#ifndef VOUCHD_H
#define VOUCHD_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <event2/event.h>
#include <event2/http.h>
#include <jansson.h>
#include <openssl/ssl.h>

#include "internal.h"
#include "store.h"

/* Named limits and their defaults (vouchd --help lists them). */
#define VOUCHD_DEFAULT_MAX_BODY		(1024 * 1024)	/* bytes */
#define VOUCHD_DEFAULT_MAX_HEADERS	(16 * 1024)	/* bytes */
#define VOUCHD_DEFAULT_MAX_CONNS	512
#define VOUCHD_DEFAULT_CONN_DEADLINE	10		/* seconds per connection */
#define VOUCHD_DEFAULT_MAX_INFLIGHT	64
#define VOUCHD_DEFAULT_NONCE_TTL	120		/* seconds */
#define VOUCHD_DEFAULT_THREADS		2
#define VOUCHD_MAX_THREADS		64
#define VOUCHD_MAX_PLATFORMS		8

struct vouchd_config {
	const char	*data_dir;
	const char	*domain_cert;
	const char	*issuer_key;
	const char	*issuer_cert;
	const char	*tls_key;	/* optional: else issued at start */
	const char	*tls_cert;
	const char	*sim_root;	/* optional sim vendor root */
	const char	*collateral_cache; /* optional collateral cache dir */
	const char	*kds_url;	/* optional: fetch SEV-SNP collateral */
	const char	*pcs_url;	/* optional: fetch TDX/SGX collateral */
	const char	*listen;	/* host:port */
	const char	*pid_file;	/* optional */
	long		 max_body;
	long		 max_headers;
	long		 max_conns;
	long		 conn_deadline;
	long		 max_inflight;
	long		 nonce_ttl;
	long		 threads;
	/* Secrets (daemon/secrets.c, docs/secrets.md). */
	const char	*kek_file;	/* default <data_dir>/kek.key */
	const char	*previous_kek_file;
	const char	*pkcs11_module;	/* set: the KEK is on a token */
	const char	*pkcs11_token;
	const char	*pkcs11_key_label;
	const char	*pkcs11_pin_file; /* else VOUCHD_PKCS11_PIN */
	const char	*previous_pkcs11_key_label;
	bool		 rotate_kek;	/* rewrap everything and exit */
	bool		 insecure_allow_core_dumps;
};

/* Latency histogram buckets, seconds (Prometheus "le"). */
#define VOUCHD_HIST_BUCKETS	10

enum vouchd_endpoint {
	EP_CHALLENGE, EP_CERTIFY, EP_VERIFY, EP_POLICY, EP_AUDIT, EP_HEALTHZ,
	EP_METRICS, EP_JWKS, EP_OTHER, EP_SECRETS, EP_RELEASE, EP_COUNT
};
enum vouchd_outcome { OC_OK, OC_REJECTED, OC_CLIENT_ERROR, OC_ERROR, OC_COUNT };

struct vouchd_metrics {
	atomic_ulong	requests[EP_COUNT][OC_COUNT];
	atomic_ulong	verify_hist[VOUCHD_HIST_BUCKETS + 1];
	atomic_ulong	verify_count;
	atomic_ullong	verify_usec_sum;
	atomic_ulong	store_errors;
	atomic_ulong	overload;
	atomic_long	connections;
	atomic_long	inflight;
	atomic_ulong	deadline_closes;
};

/* What every worker shares; read-only after start except the atomics. */
struct vouchd {
	struct vouchd_config	 cfg;
	const struct store_ops	*store_ops;
	X509			*domain_root;
	EVP_PKEY		*domain_pub;	/* owned by domain_root */
	X509			*issuer_cert;
	EVP_PKEY		*issuer_key;
	char			 issuer_kid[64];
	char			 domain_uri[96];
	uint8_t			*sim_root_pem;	/* optional anchor bytes */
	size_t			 sim_root_len;
	char			*jwks;		/* published JWKS document */
	SSL_CTX			*ssl_ctx;
	struct vouchd_metrics	 metrics;
	atomic_int		 stopping;
	/* Key-encryption keys: wraps new secrets; may still unwrap old ones. */
	struct kek		*kek;
	struct kek		*kek_previous;
};

/* One worker thread: its own event loop, HTTP server and store handle. */
struct vouch_policy;
struct vouch_platform;
struct vouch_verify_config;

struct vouchd_worker {
	struct vouchd		*d;
	struct event_base	*base;
	struct evhttp		*http;
	struct store		*store;
	struct vouch_ctx	*ctx;
	int			 index;
	/* The parsed current policy, refreshed when the store has a newer one. */
	struct vouch_policy	*policy;
	int64_t			 policy_version;
	uint64_t		 challenges;	/* nonces issued by this worker */
	/* One verification configuration per platform, reused (chain cache). */
	struct {
		const struct vouch_platform	*platform;
		struct vouch_verify_config	*cfg;
	}			 verify[VOUCHD_MAX_PLATFORMS];
};

/* server.c */
int	vouchd_run(struct vouchd *d);
/* A JSON response with |status|; takes |body| (may be NULL). */
void	vouchd_reply_json(struct evhttp_request *req, int status, json_t *body);
/*
 * An application/problem+json response (RFC 9457) with a stable |code|
 * (the "type" is "urn:vouch:problem:<code>") and a short fixed |title|.
 */
void	vouchd_reply_problem(struct evhttp_request *req, int status,
	    const char *code, const char *title);
/* The verified peer certificate when it is a domain admin, else NULL. */
bool	vouchd_peer_is_admin(struct vouchd_worker *w, struct evhttp_request *req);
/* Record an endpoint outcome in the metrics. */
void	vouchd_count(struct vouchd *d, enum vouchd_endpoint ep,
	    enum vouchd_outcome oc);
void	vouchd_observe_verify(struct vouchd *d, uint64_t usec);

/* api.c */
void	vouchd_api_dispatch(struct vouchd_worker *w, struct evhttp_request *req);
/* Append an audit event; store failures are counted, never fatal. */
void	vouchd_audit(struct vouchd_worker *w, json_t *event);

/* api.c helpers daemon/secrets.c shares (thin wrappers at the end of api.c). */
struct vouch_result;
/* The bounded, strictly parsed JSON object body; NULL after replying 400. */
json_t	*vouchd_read_json_body(struct vouchd_worker *w,
	    struct evhttp_request *req, const char *const *keys,
	    const char *what);
bool	 vouchd_get_hex_field(const json_t *o, const char *key, uint8_t *out,
	    size_t n);
/* The base64 "evidence" member, decoded into a new buffer. */
bool	 vouchd_get_evidence(const json_t *o, uint8_t **out, size_t *out_len);
/* The optional "profile" member (a build profile name) or NULL. */
bool	 vouchd_get_profile(const json_t *o, const char **out);
/* The current verified policy (cached per worker) or NULL with |*err|. */
const struct vouch_policy *vouchd_current_policy(struct vouchd_worker *w,
	    enum vouch_err *err);
const char *vouchd_peer_addr(struct evhttp_request *req);
/*
 * Appraise |ev| as certify does (platform trusted, evidence verified
 * against |report_data|, "profile" claim set, admission rules) and build
 * the audit event of |type| for it.  Returns the appraisal's result;
 * |*out_res| (the verified claims, may be NULL; vouch_result_free) and
 * |*out_event| (new reference, may be NULL) are the caller's.
 */
enum vouch_err vouchd_appraise_event(struct vouchd_worker *w,
	    struct evhttp_request *req, const struct vouch_policy *pol,
	    const uint8_t *ev, size_t ev_len, const uint8_t report_data[64],
	    const char *profile, const char *type,
	    struct vouch_result **out_res, json_t **out_event);

/* secrets.c (docs/secrets.md) */
struct kek;
/* Route /v1/secrets and /v1/secrets/...; |path| starts "/v1/secrets". */
void	vouchd_secrets_dispatch(struct vouchd_worker *w,
	    struct evhttp_request *req, const char *path);
/*
 * Before serving: make the process non-dumpable (unless
 * insecure_allow_core_dumps), load the KEK(s) and check that every
 * stored secret version is wrapped by one of them.  0 or -1 (printed).
 */
int	vouchd_secrets_setup(struct vouch_ctx *ctx, struct vouchd *d);
void	vouchd_secrets_teardown(struct vouchd *d);
/* --rotate-kek: rewrap every version under the current KEK; exit code. */
int	vouchd_rotate_kek(struct vouch_ctx *ctx, struct vouchd *d);

#endif
