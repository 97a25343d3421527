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
	const char	*listen;	/* host:port */
	const char	*pid_file;	/* optional */
	long		 max_body;
	long		 max_headers;
	long		 max_conns;
	long		 conn_deadline;
	long		 max_inflight;
	long		 nonce_ttl;
	long		 threads;
};

/* Latency histogram buckets, seconds (Prometheus "le"). */
#define VOUCHD_HIST_BUCKETS	10

enum vouchd_endpoint {
	EP_CHALLENGE, EP_CERTIFY, EP_VERIFY, EP_POLICY, EP_AUDIT, EP_HEALTHZ,
	EP_METRICS, EP_JWKS, EP_OTHER, EP_COUNT
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

#endif
