/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vouchd's HTTP/1.1-over-TLS-1.3 server on libevent evhttp.
 *
 * Worker threads each run an event loop with their own evhttp and store
 * handle on a shared listening socket.  The libevent traps listed in
 * DEPENDENCIES.md are handled here: SIGPIPE is ignored; TCP_NODELAY is set
 * on the listener; the bufferevent callback never returns NULL (that would
 * serve plaintext on the TLS port) and every request is checked for its
 * SSL; evhttp has neither a connection cap nor a deadline a trickling
 * client cannot reset, so each connection gets a timer from accept that
 * shuts its socket down, and connections over the cap are closed at once.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/keyvalq_struct.h>
#include <event2/thread.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "crypto/crypto.h"
#include "platform/platform.h"
#include "policy/policy.h"
#include "vouchd.h"

/* Per-connection state, owned by the SSL object (freed with it). */
struct conn {
	struct vouchd		*d;
	struct event		*timer;
	struct bufferevent	*bev;
};

static int conn_ex_index = -1;

static void
conn_free_cb(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx, long argl,
    void *argp)
{
	struct conn *c = ptr;

	if (c == NULL) {
		return;
	}
	if (c->timer != NULL) {
		event_free(c->timer);
	}
	atomic_fetch_sub(&c->d->metrics.connections, 1);
	free(c);
}

/* The deadline: shut the socket down; evhttp then frees the connection. */
static void
conn_deadline_cb(evutil_socket_t fd, short what, void *arg)
{
	struct conn *c = arg;
	evutil_socket_t s = bufferevent_getfd(c->bev);

	if (s >= 0) {
		atomic_fetch_add(&c->d->metrics.deadline_closes, 1);
		(void)shutdown(s, SHUT_RDWR);
	}
}

static struct bufferevent *
bevcb(struct event_base *base, void *arg)
{
	struct vouchd_worker *w = arg;
	struct vouchd *d = w->d;
	struct bufferevent *bev;
	struct conn *c;
	struct timeval tv;
	SSL *ssl;
	long n;

	/*
	 * Never return NULL: evhttp would then speak plaintext on this
	 * socket.  On allocation failure we abort rather than fail open.
	 */
	ssl = SSL_new(d->ssl_ctx);
	c = calloc(1, sizeof(*c));
	/*
	 * No TLS 1.3 session tickets: vouchd's clients are short-lived and
	 * never resume, a ticket is CPU and a write on every handshake for
	 * nothing, and a resumed session has no verified chain, so an admin
	 * who resumed would be refused (vouchd_peer_is_admin).
	 */
	if (ssl == NULL || c == NULL || SSL_set_num_tickets(ssl, 0) != 1) {
		abort();
	}
	c->d = d;
	n = atomic_fetch_add(&d->metrics.connections, 1) + 1;
	if (SSL_set_ex_data(ssl, conn_ex_index, c) != 1) {
		abort();
	}
	bev = bufferevent_openssl_socket_new(base, -1, ssl,
	    BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE);
	if (bev == NULL) {
		abort();
	}
	c->bev = bev;
	c->timer = evtimer_new(base, conn_deadline_cb, c);
	if (c->timer == NULL) {
		abort();
	}
	tv.tv_sec = d->cfg.conn_deadline;
	tv.tv_usec = 0;
	if (n > d->cfg.max_conns) {
		/* Over the cap: close as soon as the socket is attached. */
		atomic_fetch_add(&d->metrics.overload, 1);
		tv.tv_sec = 0;
	}
	evtimer_add(c->timer, &tv);
	return bev;
}

void
vouchd_count(struct vouchd *d, enum vouchd_endpoint ep, enum vouchd_outcome oc)
{
	atomic_fetch_add(&d->metrics.requests[ep][oc], 1);
}

static const double hist_bounds[VOUCHD_HIST_BUCKETS] = {
	0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0,
};

void
vouchd_observe_verify(struct vouchd *d, uint64_t usec)
{
	size_t i;

	for (i = 0; i < VOUCHD_HIST_BUCKETS; i++) {
		if ((double)usec / 1e6 <= hist_bounds[i]) {
			break;
		}
	}
	atomic_fetch_add(&d->metrics.verify_hist[i], 1);
	atomic_fetch_add(&d->metrics.verify_count, 1);
	atomic_fetch_add(&d->metrics.verify_usec_sum, usec);
}

static void
reply_raw(struct evhttp_request *req, int status, const char *ctype,
    const char *body, size_t len)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);
	struct evbuffer *buf = evbuffer_new();

	evhttp_add_header(h, "Content-Type", ctype);
	evhttp_add_header(h, "Cache-Control", "no-store");
	evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
	if (buf != NULL && body != NULL) {
		(void)evbuffer_add(buf, body, len);
	}
	evhttp_send_reply(req, status, NULL, buf);
	if (buf != NULL) {
		evbuffer_free(buf);
	}
}

void
vouchd_reply_json(struct evhttp_request *req, int status, json_t *body)
{
	char *s = body != NULL ? json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS) : NULL;

	if (body != NULL && s == NULL) {
		json_decref(body);
		vouchd_reply_problem(req, 500, "internal", "Internal error");
		return;
	}
	reply_raw(req, status, "application/json", s != NULL ? s : "{}",
	    s != NULL ? strlen(s) : 2);
	free(s);
	json_decref(body);
}

void
vouchd_reply_problem(struct evhttp_request *req, int status, const char *code,
    const char *title)
{
	char type[128];
	json_t *o;
	char *s;

	(void)snprintf(type, sizeof(type), "urn:vouch:problem:%s", code);
	o = json_pack("{s:s, s:s, s:i, s:s}", "type", type, "title", title,
	    "status", status, "code", code);
	s = o != NULL ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	reply_raw(req, status, "application/problem+json",
	    s != NULL ? s : "{}", s != NULL ? strlen(s) : 2);
	free(s);
	json_decref(o);
}

static SSL *
req_ssl(struct evhttp_request *req)
{
	struct evhttp_connection *con = evhttp_request_get_connection(req);
	struct bufferevent *bev;

	if (con == NULL) {
		return NULL;
	}
	bev = evhttp_connection_get_bufferevent(con);
	return bev != NULL ? bufferevent_openssl_get_ssl(bev) : NULL;
}

bool
vouchd_peer_is_admin(struct vouchd_worker *w, struct evhttp_request *req)
{
	SSL *ssl = req_ssl(req);
	X509 *peer;
	STACK_OF(X509) *chain;
	EXTENDED_KEY_USAGE *eku;
	ASN1_OBJECT *want;
	bool ok = false;
	int i;

	if (ssl == NULL) {
		return false;
	}
	peer = SSL_get0_peer_certificate(ssl);
	chain = SSL_get0_verified_chain(ssl);
	if (peer == NULL || chain == NULL ||
	    SSL_get_verify_result(ssl) != X509_V_OK) {
		return false;
	}
	/* Issued directly by the domain root, not by the issuing CA. */
	if (sk_X509_num(chain) != 2 ||
	    X509_cmp(sk_X509_value(chain, 1), w->d->domain_root) != 0) {
		return false;
	}
	eku = X509_get_ext_d2i(peer, NID_ext_key_usage, NULL, NULL);
	want = OBJ_txt2obj(VOUCH_OID_EKU_ADMIN, 1);
	for (i = 0; eku != NULL && want != NULL && i < sk_ASN1_OBJECT_num(eku); i++) {
		if (OBJ_cmp(sk_ASN1_OBJECT_value(eku, i), want) == 0) {
			ok = true;
		}
	}
	ASN1_OBJECT_free(want);
	EXTENDED_KEY_USAGE_free(eku);
	return ok;
}

static void
gencb(struct evhttp_request *req, void *arg)
{
	struct vouchd_worker *w = arg;
	struct vouchd *d = w->d;
	long n;

	/* Every request must have arrived over TLS. */
	if (req_ssl(req) == NULL) {
		evhttp_send_error(req, 500, NULL);
		return;
	}
	n = atomic_fetch_add(&d->metrics.inflight, 1) + 1;
	if (n > d->cfg.max_inflight) {
		atomic_fetch_add(&d->metrics.overload, 1);
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Retry-After", "1");
		vouchd_reply_problem(req, 503, "overloaded",
		    "Too many requests in flight");
	} else {
		vouchd_api_dispatch(w, req);
	}
	atomic_fetch_sub(&d->metrics.inflight, 1);
}

static void *
worker_main(void *arg)
{
	struct vouchd_worker *w = arg;

	(void)event_base_dispatch(w->base);
	return NULL;
}

static int
listen_socket(const char *hostport, int *out_fd)
{
	char host[256];
	const char *colon = strrchr(hostport, ':');
	struct addrinfo hints, *res = NULL;
	int fd, one = 1;
	size_t hl;

	if (colon == NULL || colon == hostport ||
	    (hl = (size_t)(colon - hostport)) >= sizeof(host)) {
		fprintf(stderr, "vouchd: --listen: expected HOST:PORT\n");
		return -1;
	}
	memcpy(host, hostport, hl);
	host[hl] = '\0';
	if (host[0] == '[' && hl > 2 && host[hl - 1] == ']') {
		memmove(host, host + 1, hl - 2);
		host[hl - 2] = '\0';
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if (getaddrinfo(host, colon + 1, &hints, &res) != 0 || res == NULL) {
		fprintf(stderr, "vouchd: --listen: cannot resolve %s\n", hostport);
		return -1;
	}
	fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) != 0 ||
	    bind(fd, res->ai_addr, res->ai_addrlen) != 0 ||
	    listen(fd, 1024) != 0 || evutil_make_socket_nonblocking(fd) != 0) {
		fprintf(stderr, "vouchd: cannot listen on %s: %s\n", hostport,
		    strerror(errno));
		if (fd >= 0) {
			close(fd);
		}
		freeaddrinfo(res);
		return -1;
	}
	freeaddrinfo(res);
	*out_fd = fd;
	return 0;
}

static int
worker_init(struct vouchd *d, struct vouchd_worker *w, int index, int lfd)
{
	int fd;

	w->d = d;
	w->index = index;
	w->ctx = vouch_ctx_new();
	w->base = event_base_new();
	w->http = w->base != NULL ? evhttp_new(w->base) : NULL;
	if (w->ctx == NULL || w->http == NULL) {
		fprintf(stderr, "vouchd: out of memory\n");
		return -1;
	}
	if (d->store_ops->open(w->ctx, d->cfg.data_dir, &w->store) != VOUCH_OK) {
		fprintf(stderr, "vouchd: store: %s: %s\n",
		    vouch_errname(vouch_error_code(w->ctx)), vouch_error(w->ctx));
		return -1;
	}
	evhttp_set_max_body_size(w->http, (ev_ssize_t)d->cfg.max_body);
	evhttp_set_max_headers_size(w->http, (ev_ssize_t)d->cfg.max_headers);
	evhttp_set_timeout(w->http, (int)d->cfg.conn_deadline);
	evhttp_set_allowed_methods(w->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST |
	    EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE);
	evhttp_set_bevcb(w->http, bevcb, w);
	evhttp_set_gencb(w->http, gencb, w);
	/* Each worker accepts on its own descriptor of the one socket. */
	fd = dup(lfd);
	if (fd < 0 || evutil_make_socket_nonblocking(fd) != 0 ||
	    evhttp_accept_socket(w->http, fd) != 0) {
		fprintf(stderr, "vouchd: cannot accept: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

static void
worker_free(struct vouchd *d, struct vouchd_worker *w)
{
	size_t i;

	if (w->http != NULL) {
		evhttp_free(w->http);
	}
	if (w->base != NULL) {
		event_base_free(w->base);
	}
	if (w->store != NULL) {
		d->store_ops->close(w->store);
	}
	vouch_policy_free(w->policy);
	for (i = 0; i < VOUCHD_MAX_PLATFORMS; i++) {
		vouch_verify_config_free(w->verify[i].cfg);
	}
	vouch_ctx_free(w->ctx);
}

int
vouchd_run(struct vouchd *d)
{
	struct vouchd_worker *workers;
	pthread_t *threads;
	sigset_t set;
	FILE *pf;
	int lfd = -1, sig = 0, rc = 1;
	long i, started = 0;

	signal(SIGPIPE, SIG_IGN);
	if (evthread_use_pthreads() != 0) {
		fprintf(stderr, "vouchd: libevent without thread support\n");
		return 1;
	}
	conn_ex_index = SSL_get_ex_new_index(0, NULL, NULL, NULL, conn_free_cb);
	if (conn_ex_index < 0) {
		return 1;
	}
	workers = calloc((size_t)d->cfg.threads, sizeof(*workers));
	threads = calloc((size_t)d->cfg.threads, sizeof(*threads));
	if (workers == NULL || threads == NULL ||
	    listen_socket(d->cfg.listen, &lfd) != 0) {
		goto out;
	}
	for (i = 0; i < d->cfg.threads; i++) {
		if (worker_init(d, &workers[i], (int)i, lfd) != 0) {
			goto out;
		}
	}
	/* Workers never see SIGTERM/SIGINT; this thread waits for them. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	for (i = 0; i < d->cfg.threads; i++) {
		if (pthread_create(&threads[i], NULL, worker_main, &workers[i]) != 0) {
			break;
		}
		started++;
	}
	if (started != d->cfg.threads) {
		fprintf(stderr, "vouchd: cannot start threads\n");
		sig = SIGTERM;
	} else {
		if (d->cfg.pid_file != NULL) {
			pf = fopen(d->cfg.pid_file, "w");
			if (pf != NULL) {
				fprintf(pf, "%ld\n", (long)getpid());
				fclose(pf);
			}
		}
		fprintf(stderr, "vouchd: listening on https://%s (%ld threads)\n",
		    d->cfg.listen, d->cfg.threads);
		if (sigwait(&set, &sig) != 0) {
			sig = SIGTERM;
		}
	}
	atomic_store(&d->stopping, 1);
	for (i = 0; i < started; i++) {
		event_base_loopexit(workers[i].base, NULL);
	}
	for (i = 0; i < started; i++) {
		pthread_join(threads[i], NULL);
	}
	fprintf(stderr, "vouchd: stopped (signal %d)\n", sig);
	rc = started == d->cfg.threads ? 0 : 1;
 out:
	for (i = 0; workers != NULL && i < d->cfg.threads; i++) {
		worker_free(d, &workers[i]);
	}
	if (lfd >= 0) {
		close(lfd);
	}
	free(workers);
	free(threads);
	return rc;
}
