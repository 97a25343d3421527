/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Attested channels (DESIGN §8): mutual TLS 1.3 where both sides present
 * their admission chain (admission certificate + issuing CA) and accept
 * only a peer whose chain ends at the domain root, nothing else:
 *
 *   - the trust store holds the domain root alone, strict X.509 checks,
 *     and the chain must be exactly admission certificate, issuing CA,
 *     root (verify depth 1: one intermediate);
 *   - validity is checked at the context's clock (vouch_ctx_set_time);
 *   - the server requires a client certificate;
 *   - the peer's admission certificate must carry the EKU for its role
 *     (serverAuth for a server, clientAuth for a client) and a valid
 *     VouchAdmission extension (docs/admission.md), and must satisfy the
 *     channel's vouch_peer_requirements.
 *
 * The peer checks run inside the verify callback, so a peer that fails
 * them is refused during the handshake with an alert, and once more on
 * the verified chain after it, which is what fills vouch_peer_info.
 *
 * No session tickets, no session cache, no renegotiation: every channel
 * is a full handshake with both certificates.  The socket is switched to
 * non-blocking mode and all waiting is done with poll(), which gives the
 * connect and handshake timeouts and handles SSL_ERROR_WANT_* alike on
 * any socket.  Bytes go through a small BIO that sends with MSG_NOSIGNAL,
 * so a peer that resets never raises SIGPIPE and the library leaves the
 * process's signal dispositions alone.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "vouch_internal.h"

#define CHANNEL_CONNECT_TIMEOUT_MS	10000
#define CHANNEL_HANDSHAKE_TIMEOUT_MS	30000
#define CHANNEL_SHUTDOWN_TIMEOUT_MS	1000
/* Admission certificate, issuing CA, domain root. */
#define CHANNEL_CHAIN_LEN		3
/* A private BIO type number (any value outside OpenSSL's own). */
#define CHANNEL_BIO_TYPE		(0x7e | BIO_TYPE_SOURCE_SINK)
#define CHANNEL_MSG_MAX			256

struct vouch_channel {
	struct vouch		*v;
	SSL			*ssl;
	int			 fd;
	bool			 is_server;
	bool			 established;
	bool			 failed;
	int			 sys_errno;	/* last socket error in the BIO */
	bool			 eof;		/* recv returned 0 */
	uint8_t			 req_measurement[VOUCH_MEASUREMENT_MAX_BYTES];
	size_t			 req_measurement_len;
	char			 req_platform[CA_ADMISSION_STRING_MAX + 1];
	bool			 has_req_platform;
	/* The first reason the peer was refused. */
	enum vouch_err		 verify_err;
	char			 verify_msg[CHANNEL_MSG_MAX];
	struct vouch_peer_info	 peer;
};

static int64_t
now_ms(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- the socket BIO ----------------------------------------------- */

static int
chan_bio_write(BIO *b, const char *buf, int len)
{
	struct vouch_channel *ch = BIO_get_data(b);
	ssize_t n;

	BIO_clear_retry_flags(b);
	if (len <= 0) {
		return 0;
	}
	n = send(ch->fd, buf, (size_t)len, MSG_NOSIGNAL);
	if (n >= 0) {
		return (int)n;
	}
	if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
		BIO_set_retry_write(b);
	} else {
		ch->sys_errno = errno;
	}
	return -1;
}

static int
chan_bio_read(BIO *b, char *buf, int len)
{
	struct vouch_channel *ch = BIO_get_data(b);
	ssize_t n;

	BIO_clear_retry_flags(b);
	if (len <= 0) {
		return 0;
	}
	n = recv(ch->fd, buf, (size_t)len, 0);
	if (n >= 0) {
		if (n == 0) {
			ch->eof = true;
		}
		return (int)n;
	}
	if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
		BIO_set_retry_read(b);
	} else {
		ch->sys_errno = errno;
	}
	return -1;
}

static long
chan_bio_ctrl(BIO *b, int cmd, long num, void *ptr)
{
	struct vouch_channel *ch = BIO_get_data(b);

	(void)num;
	(void)ptr;
	switch (cmd) {
	case BIO_CTRL_FLUSH:
		/* Sends are unbuffered. */
		return 1;
	case BIO_CTRL_EOF:
		/* Lets OpenSSL tell a cut connection from a socket error. */
		return ch != NULL && ch->eof ? 1 : 0;
	default:
		return 0;
	}
}

/* ---- the TLS context ---------------------------------------------- */

static void
verify_fail(struct vouch_channel *ch, enum vouch_err code, const char *fmt,
    ...) VOUCH_PRINTF(3, 4);

static void
verify_fail(struct vouch_channel *ch, enum vouch_err code, const char *fmt,
    ...)
{
	va_list ap;

	if (ch->verify_err != VOUCH_OK) {
		return;
	}
	ch->verify_err = code;
	va_start(ap, fmt);
	(void)vsnprintf(ch->verify_msg, sizeof(ch->verify_msg), fmt, ap);
	va_end(ap);
}

static enum vouch_err
x509_err_code(int err)
{
	switch (err) {
	case X509_V_ERR_CERT_HAS_EXPIRED:
		return VOUCH_ERR_CERT_EXPIRED;
	case X509_V_ERR_CERT_NOT_YET_VALID:
		return VOUCH_ERR_CERT_NOT_YET_VALID;
	default:
		return VOUCH_ERR_CHAIN_INVALID;
	}
}

/*
 * peer_check judges the peer's verified chain: its shape, the EKU for
 * the peer's role, the admission extension and the requirements.  On
 * success it fills ch->peer; otherwise it records why.
 */
static enum vouch_err
peer_check(struct vouch_channel *ch, X509 *leaf, STACK_OF(X509) *chain)
{
	struct ca_admission adm;
	uint32_t want;
	int64_t not_after;
	enum vouch_err rv;

	if (leaf == NULL || chain == NULL ||
	    sk_X509_num(chain) != CHANNEL_CHAIN_LEN) {
		verify_fail(ch, VOUCH_ERR_CHAIN_INVALID,
		    "peer chain is not admission certificate, issuing CA, "
		    "domain root");
		return ch->verify_err;
	}
	/* The peer of a server is a client and vice versa. */
	want = ch->is_server ? XKU_SSL_CLIENT : XKU_SSL_SERVER;
	if ((X509_get_extension_flags(leaf) & EXFLAG_XKUSAGE) == 0 ||
	    (X509_get_extended_key_usage(leaf) & want) == 0) {
		verify_fail(ch, VOUCH_ERR_CHAIN_INVALID,
		    "peer certificate lacks the %s extended key usage",
		    ch->is_server ? "clientAuth" : "serverAuth");
		return ch->verify_err;
	}
	rv = ca_admission_from_cert(ch->v->ctx, leaf, &adm);
	if (rv != VOUCH_OK) {
		verify_fail(ch, VOUCH_ERR_CHAIN_INVALID,
		    "peer certificate is not an admission certificate (%s)",
		    vouch_errname(rv));
		return ch->verify_err;
	}
	if (strlen(adm.platform) >= sizeof(ch->peer.platform)) {
		verify_fail(ch, VOUCH_ERR_CHAIN_INVALID,
		    "peer platform name too long");
		return ch->verify_err;
	}
	if (ch->has_req_platform && strcmp(adm.platform, ch->req_platform) != 0) {
		verify_fail(ch, VOUCH_ERR_PLATFORM_MISMATCH,
		    "peer platform is %s, not the required %s", adm.platform,
		    ch->req_platform);
		return ch->verify_err;
	}
	if (ch->req_measurement_len > 0 &&
	    (adm.measurement_len != ch->req_measurement_len ||
	    !vouch_ct_eq(adm.measurement, ch->req_measurement,
	    ch->req_measurement_len))) {
		verify_fail(ch, VOUCH_ERR_MEASUREMENT_NOT_TRUSTED,
		    "peer measurement is not the required one");
		return ch->verify_err;
	}
	if (!vouch_asn1_time_unix(X509_get0_notAfter(leaf), &not_after)) {
		verify_fail(ch, VOUCH_ERR_CHAIN_INVALID,
		    "peer certificate validity unreadable");
		return ch->verify_err;
	}
	memset(&ch->peer, 0, sizeof(ch->peer));
	memcpy(ch->peer.platform, adm.platform, strlen(adm.platform) + 1);
	memcpy(ch->peer.measurement, adm.measurement, adm.measurement_len);
	ch->peer.measurement_len = adm.measurement_len;
	ch->peer.policy_version = adm.policy_version;
	memcpy(ch->peer.release, adm.release, sizeof(ch->peer.release));
	ch->peer.not_after = not_after;
	return VOUCH_OK;
}

static int
verify_cb(int ok, X509_STORE_CTX *xs)
{
	SSL *ssl = X509_STORE_CTX_get_ex_data(xs,
	    SSL_get_ex_data_X509_STORE_CTX_idx());
	struct vouch_channel *ch = ssl != NULL ? SSL_get_app_data(ssl) : NULL;
	int err;

	if (ch == NULL) {
		return 0;
	}
	if (!ok) {
		err = X509_STORE_CTX_get_error(xs);
		verify_fail(ch, x509_err_code(err),
		    "peer certificate at depth %d: %s",
		    X509_STORE_CTX_get_error_depth(xs),
		    X509_verify_cert_error_string(err));
		return 0;
	}
	/* Called from the root down; depth 0 comes last, chain verified. */
	if (X509_STORE_CTX_get_error_depth(xs) != 0) {
		return 1;
	}
	if (peer_check(ch, X509_STORE_CTX_get_current_cert(xs),
	    X509_STORE_CTX_get0_chain(xs)) != VOUCH_OK) {
		X509_STORE_CTX_set_error(xs, X509_V_ERR_APPLICATION_VERIFICATION);
		return 0;
	}
	return 1;
}

static enum vouch_err
channel_ssl_ctx(struct vouch *v)
{
	enum vouch_err rv = VOUCH_ERR_CRYPTO;
	SSL_CTX *c = NULL;
	X509_STORE *store = NULL;
	BIO_METHOD *m = NULL;

	if (v->bio_method == NULL) {
		m = BIO_meth_new(CHANNEL_BIO_TYPE, "vouch channel socket");
		if (m == NULL || BIO_meth_set_write(m, chan_bio_write) != 1 ||
		    BIO_meth_set_read(m, chan_bio_read) != 1 ||
		    BIO_meth_set_ctrl(m, chan_bio_ctrl) != 1) {
			rv = vouch_fail(v->ctx, VOUCH_ERR_NO_MEMORY,
			    "channel: BIO method");
			goto out;
		}
		v->bio_method = m;
		m = NULL;
	}
	if (v->ssl_ctx != NULL) {
		rv = VOUCH_OK;
		goto out;
	}
	c = SSL_CTX_new(TLS_method());
	store = X509_STORE_new();
	if (c == NULL || store == NULL) {
		rv = vouch_fail(v->ctx, VOUCH_ERR_NO_MEMORY, "channel: SSL_CTX");
		goto out;
	}
	/* Trust the domain root and nothing else: no default paths. */
	if (X509_STORE_add_cert(store, v->root) != 1 ||
	    X509_STORE_set_flags(store, X509_V_FLAG_X509_STRICT) != 1) {
		rv = vouch_fail(v->ctx, VOUCH_ERR_CRYPTO,
		    "channel: trust store");
		goto out;
	}
	SSL_CTX_set_cert_store(c, store);
	store = NULL;
	if (SSL_CTX_set_min_proto_version(c, TLS1_3_VERSION) != 1 ||
	    SSL_CTX_set_max_proto_version(c, TLS1_3_VERSION) != 1 ||
	    SSL_CTX_use_certificate(c, v->id.leaf) != 1 ||
	    SSL_CTX_set1_chain(c, v->id.issuers) != 1 ||
	    SSL_CTX_use_PrivateKey(c, v->id.key) != 1 ||
	    SSL_CTX_check_private_key(c) != 1 ||
	    SSL_CTX_set_num_tickets(c, 0) != 1) {
		rv = vouch_fail(v->ctx, VOUCH_ERR_CRYPTO,
		    "channel: cannot configure TLS with the admission "
		    "certificate");
		goto out;
	}
	SSL_CTX_set_verify(c, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
	    verify_cb);
	SSL_CTX_set_verify_depth(c, CHANNEL_CHAIN_LEN - 2);
	(void)SSL_CTX_set_options(c, SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION |
	    SSL_OP_NO_COMPRESSION);
	(void)SSL_CTX_set_session_cache_mode(c, SSL_SESS_CACHE_OFF);
	(void)SSL_CTX_set_mode(c, SSL_MODE_AUTO_RETRY);
	v->ssl_ctx = c;
	c = NULL;
	rv = VOUCH_OK;
 out:
	ERR_clear_error();
	BIO_meth_free(m);
	X509_STORE_free(store);
	SSL_CTX_free(c);
	return rv;
}

/* ---- waiting and errors ------------------------------------------- */

/* Wait until |ch|'s socket is ready for what |sslerr| wants. */
static enum vouch_err
channel_wait(struct vouch_channel *ch, int sslerr, int64_t deadline)
{
	struct pollfd p;
	int64_t left;
	int timeout = -1, r;

	memset(&p, 0, sizeof(p));
	p.fd = ch->fd;
	p.events = sslerr == SSL_ERROR_WANT_WRITE ? POLLOUT : POLLIN;
	if (deadline >= 0) {
		left = deadline - now_ms();
		if (left <= 0) {
			return vouch_fail(ch->v->ctx, VOUCH_ERR_NETWORK,
			    "channel: timed out");
		}
		timeout = left > INT_MAX ? INT_MAX : (int)left;
	}
	r = poll(&p, 1, timeout);
	if (r < 0 && errno != EINTR) {
		return vouch_fail(ch->v->ctx, VOUCH_ERR_NETWORK,
		    "channel: poll: %s", strerror(errno));
	}
	if (r == 0) {
		return vouch_fail(ch->v->ctx, VOUCH_ERR_NETWORK,
		    "channel: timed out");
	}
	return VOUCH_OK;
}

/* Alerts by which a peer says it does not accept our certificate. */
static bool
is_refusal_alert(int alert)
{
	switch (alert) {
	case SSL_AD_HANDSHAKE_FAILURE:
	case SSL_AD_BAD_CERTIFICATE:
	case SSL_AD_UNSUPPORTED_CERTIFICATE:
	case SSL_AD_CERTIFICATE_REVOKED:
	case SSL_AD_CERTIFICATE_EXPIRED:
	case SSL_AD_CERTIFICATE_UNKNOWN:
	case SSL_AD_UNKNOWN_CA:
	case SSL_AD_ACCESS_DENIED:
	case SSL_AD_CERTIFICATE_REQUIRED:
		return true;
	default:
		return false;
	}
}

/* The error for a failed SSL call (|sslerr| from SSL_get_error). */
static enum vouch_err
channel_error(struct vouch_channel *ch, int sslerr, const char *what)
{
	struct vouch_ctx *ctx = ch->v->ctx;
	unsigned long e = ERR_peek_error();
	long vr;
	int reason;
	char buf[160];

	ch->failed = true;
	if (ch->verify_err != VOUCH_OK) {
		return vouch_fail(ctx, ch->verify_err, "%s", ch->verify_msg);
	}
	if (!ch->established) {
		vr = SSL_get_verify_result(ch->ssl);
		if (vr != X509_V_OK) {
			return vouch_fail(ctx, x509_err_code((int)vr),
			    "peer certificate: %s",
			    X509_verify_cert_error_string(vr));
		}
	}
	reason = ERR_GET_REASON(e);
	if (e != 0 && ERR_GET_LIB(e) == ERR_LIB_SSL) {
		if (reason == SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE) {
			return vouch_fail(ctx, VOUCH_ERR_CHAIN_INVALID,
			    "channel: the peer presented no certificate");
		}
		if (reason == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
			return vouch_fail(ctx, ch->established ?
			    VOUCH_ERR_TRUNCATED : VOUCH_ERR_NETWORK,
			    "channel %s: the peer closed the connection without "
			    "close_notify", what);
		}
		if (reason >= SSL_AD_REASON_OFFSET &&
		    is_refusal_alert(reason - SSL_AD_REASON_OFFSET)) {
			return vouch_fail(ctx, VOUCH_ERR_CHAIN_INVALID,
			    "channel %s: the peer refused our certificate "
			    "(alert %s)", what, SSL_alert_desc_string_long(
			    reason - SSL_AD_REASON_OFFSET));
		}
	}
	if (sslerr == SSL_ERROR_SYSCALL || e == 0) {
		return vouch_fail(ctx, VOUCH_ERR_NETWORK, "channel %s: %s", what,
		    ch->sys_errno != 0 ? strerror(ch->sys_errno) :
		    "connection closed");
	}
	ERR_error_string_n(e, buf, sizeof(buf));
	return vouch_fail(ctx, VOUCH_ERR_NETWORK, "channel %s: TLS: %s", what,
	    buf);
}

static enum vouch_err
channel_handshake(struct vouch_channel *ch)
{
	enum vouch_err rv = VOUCH_ERR_INTERNAL;
	int64_t deadline = now_ms() + CHANNEL_HANDSHAKE_TIMEOUT_MS;
	int ret, err;

	for (;;) {
		ERR_clear_error();
		ret = ch->is_server ? SSL_accept(ch->ssl) : SSL_connect(ch->ssl);
		if (ret == 1) {
			break;
		}
		err = SSL_get_error(ch->ssl, ret);
		if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) {
			rv = channel_error(ch, err, "handshake");
			goto out;
		}
		rv = channel_wait(ch, err, deadline);
		if (rv != VOUCH_OK) {
			ch->failed = true;
			goto out;
		}
	}
	/* Judge the verified chain once more; this fills ch->peer. */
	if (SSL_get_verify_result(ch->ssl) != X509_V_OK ||
	    peer_check(ch, SSL_get0_peer_certificate(ch->ssl),
	    SSL_get0_verified_chain(ch->ssl)) != VOUCH_OK) {
		verify_fail(ch, VOUCH_ERR_CHAIN_INVALID,
		    "peer chain not verified");
		ch->failed = true;
		rv = vouch_fail(ch->v->ctx, ch->verify_err, "%s", ch->verify_msg);
		goto out;
	}
	ch->established = true;
	rv = VOUCH_OK;
 out:
	ERR_clear_error();
	return rv;
}

/* ---- opening ------------------------------------------------------ */

/* Our own admission certificate must be there and valid at |now|. */
static enum vouch_err
channel_ready(struct vouch *v, int64_t now)
{
	if (v->id.key == NULL) {
		return vouch_fail(v->ctx, VOUCH_ERR_STATE,
		    "channel: not certified: call vouch_certify first");
	}
	if (now >= v->id.not_after) {
		return vouch_fail(v->ctx, VOUCH_ERR_CERT_EXPIRED,
		    "channel: our admission certificate has expired: call "
		    "vouch_certify");
	}
	if (now < v->id.not_before) {
		return vouch_fail(v->ctx, VOUCH_ERR_CERT_NOT_YET_VALID,
		    "channel: our admission certificate is not valid yet");
	}
	return VOUCH_OK;
}

static bool
is_ip_literal(const char *host)
{
	uint8_t buf[16];

	return inet_pton(AF_INET, host, buf) == 1 ||
	    inet_pton(AF_INET6, host, buf) == 1;
}

/*
 * channel_open runs the handshake on |fd| (owned: closed on failure)
 * as server or client.  |host| (client only, may be NULL) goes into SNI
 * when it is a name; it plays no part in the peer's identity.
 */
static enum vouch_err
channel_open(struct vouch *v, int fd, bool is_server, const char *host,
    const struct vouch_peer_requirements *req, struct vouch_channel **out)
{
	enum vouch_err rv = VOUCH_ERR_INTERNAL;
	struct vouch_channel *ch = NULL;
	BIO *bio = NULL;
	X509_VERIFY_PARAM *param;
	int64_t now = vouch_ctx_now(v->ctx);
	int flags, one = 1;
	size_t plen;

	if (req != NULL && req->measurement_len > VOUCH_MEASUREMENT_MAX_BYTES) {
		rv = vouch_fail(v->ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "channel: required measurement longer than %d bytes",
		    VOUCH_MEASUREMENT_MAX_BYTES);
		goto out;
	}
	plen = req != NULL && req->platform != NULL ?
	    strnlen(req->platform, CA_ADMISSION_STRING_MAX + 1) : 0;
	if (plen > CA_ADMISSION_STRING_MAX) {
		rv = vouch_fail(v->ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "channel: required platform name too long");
		goto out;
	}
	rv = channel_ready(v, now);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = channel_ssl_ctx(v);
	if (rv != VOUCH_OK) {
		goto out;
	}
	flags = fcntl(fd, F_GETFL);
	if (flags == -1 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) == -1) {
		rv = vouch_fail(v->ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "channel: not a usable socket: %s", strerror(errno));
		goto out;
	}
	/* Latency over batching; fails harmlessly on non-TCP sockets. */
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	ch = calloc(1, sizeof(*ch));
	if (ch == NULL) {
		rv = vouch_fail(v->ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
		goto out;
	}
	ch->v = v;
	ch->fd = fd;
	fd = -1;
	ch->is_server = is_server;
	if (req != NULL) {
		memcpy(ch->req_measurement, req->measurement,
		    req->measurement_len);
		ch->req_measurement_len = req->measurement_len;
		if (req->platform != NULL) {
			memcpy(ch->req_platform, req->platform, plen);
			ch->req_platform[plen] = '\0';
			ch->has_req_platform = true;
		}
	}
	rv = VOUCH_ERR_CRYPTO;
	ch->ssl = SSL_new(v->ssl_ctx);
	bio = BIO_new(v->bio_method);
	if (ch->ssl == NULL || bio == NULL ||
	    SSL_set_app_data(ch->ssl, ch) != 1) {
		rv = vouch_fail(v->ctx, VOUCH_ERR_NO_MEMORY, "channel: SSL");
		goto out;
	}
	BIO_set_data(bio, ch);
	BIO_set_init(bio, 1);
	SSL_set_bio(ch->ssl, bio, bio);
	bio = NULL;
	/* Every validity check reads the context's clock. */
	param = SSL_get0_param(ch->ssl);
	X509_VERIFY_PARAM_set_time(param, (time_t)now);
	if (X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_X509_STRICT) != 1) {
		rv = vouch_fail(v->ctx, VOUCH_ERR_CRYPTO,
		    "channel: verify flags");
		goto out;
	}
	if (is_server) {
		SSL_set_accept_state(ch->ssl);
	} else {
		if (host != NULL && !is_ip_literal(host) &&
		    SSL_ctrl(ch->ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME,
		    TLSEXT_NAMETYPE_host_name, (void *)(uintptr_t)host) != 1) {
			rv = vouch_fail(v->ctx, VOUCH_ERR_INVALID_ARGUMENT,
			    "channel: unusable host name");
			goto out;
		}
		SSL_set_connect_state(ch->ssl);
	}
	rv = channel_handshake(ch);
	if (rv != VOUCH_OK) {
		goto out;
	}
	*out = ch;
	ch = NULL;
 out:
	ERR_clear_error();
	BIO_free(bio);
	if (ch != NULL) {
		/* No close_notify for a refused peer: just drop it. */
		ch->established = false;
		vouch_channel_close(ch);
	}
	if (fd >= 0) {
		close(fd);
	}
	return rv;
}

static enum vouch_err
tcp_connect(struct vouch *v, const char *host, uint16_t port, int *out_fd)
{
	struct addrinfo hints, *res = NULL, *ai;
	struct pollfd p;
	socklen_t sl;
	int64_t deadline = now_ms() + CHANNEL_CONNECT_TIMEOUT_MS, left;
	char portstr[8];
	int fd = -1, err = 0, soerr, gai, r;

	*out_fd = -1;
	(void)snprintf(portstr, sizeof(portstr), "%u", (unsigned)port);
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	gai = getaddrinfo(host, portstr, &hints, &res);
	if (gai != 0) {
		return vouch_fail(v->ctx, VOUCH_ERR_NETWORK,
		    "channel: cannot resolve %s: %s", host, gai_strerror(gai));
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC |
		    SOCK_NONBLOCK, ai->ai_protocol);
		if (fd == -1) {
			err = errno;
			continue;
		}
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
			break;
		}
		err = errno;
		while (err == EINPROGRESS || err == EINTR) {
			left = deadline - now_ms();
			if (left <= 0) {
				err = ETIMEDOUT;
				break;
			}
			memset(&p, 0, sizeof(p));
			p.fd = fd;
			p.events = POLLOUT;
			r = poll(&p, 1, left > INT_MAX ? INT_MAX : (int)left);
			if (r < 0) {
				err = errno;
				continue;
			}
			if (r == 0) {
				err = ETIMEDOUT;
				break;
			}
			soerr = 0;
			sl = sizeof(soerr);
			if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr,
			    &sl) != 0) {
				soerr = errno;
			}
			err = soerr;
			break;
		}
		if (err == 0) {
			break;
		}
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd == -1) {
		return vouch_fail(v->ctx, VOUCH_ERR_NETWORK,
		    "channel: cannot connect to %s port %u: %s", host,
		    (unsigned)port, strerror(err != 0 ? err : ECONNREFUSED));
	}
	*out_fd = fd;
	return VOUCH_OK;
}

enum vouch_err
vouch_channel_connect(struct vouch *v, const char *host, uint16_t port,
    const struct vouch_peer_requirements *req, struct vouch_channel **out)
{
	enum vouch_err rv;
	int fd = -1;

	if (out != NULL) {
		*out = NULL;
	}
	if (v == NULL) {
		return VOUCH_ERR_INVALID_ARGUMENT;
	}
	if (host == NULL || host[0] == '\0' || port == 0 || out == NULL) {
		return vouch_fail(v->ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "channel: host, port and out are required");
	}
	rv = channel_ready(v, vouch_ctx_now(v->ctx));
	if (rv != VOUCH_OK) {
		return rv;
	}
	rv = tcp_connect(v, host, port, &fd);
	if (rv != VOUCH_OK) {
		return rv;
	}
	return channel_open(v, fd, false, host, req, out);
}

enum vouch_err
vouch_channel_accept(struct vouch *v, int fd,
    const struct vouch_peer_requirements *req, struct vouch_channel **out)
{
	if (out != NULL) {
		*out = NULL;
	}
	if (v == NULL || out == NULL || fd < 0) {
		if (fd >= 0) {
			close(fd);
		}
		return v != NULL ? vouch_fail(v->ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "channel: a socket and out are required") :
		    VOUCH_ERR_INVALID_ARGUMENT;
	}
	return channel_open(v, fd, true, NULL, req, out);
}

/* ---- using and closing -------------------------------------------- */

enum vouch_err
vouch_channel_peer(const struct vouch_channel *ch, struct vouch_peer_info *out)
{
	if (ch == NULL || out == NULL) {
		return VOUCH_ERR_INVALID_ARGUMENT;
	}
	*out = ch->peer;
	return VOUCH_OK;
}

static enum vouch_err
channel_usable(struct vouch_channel *ch)
{
	if (!ch->established || ch->failed) {
		return vouch_fail(ch->v->ctx, VOUCH_ERR_STATE,
		    "channel: failed earlier; it can only be closed");
	}
	return VOUCH_OK;
}

enum vouch_err
vouch_channel_read(struct vouch_channel *ch, void *buf, size_t cap,
    size_t *out_n)
{
	enum vouch_err rv;
	size_t n = 0;
	int err;

	if (out_n != NULL) {
		*out_n = 0;
	}
	if (ch == NULL) {
		return VOUCH_ERR_INVALID_ARGUMENT;
	}
	if (out_n == NULL || (buf == NULL && cap > 0)) {
		return vouch_fail(ch->v->ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "channel read: no buffer");
	}
	rv = channel_usable(ch);
	if (rv != VOUCH_OK || cap == 0) {
		return rv;
	}
	for (;;) {
		ERR_clear_error();
		if (SSL_read_ex(ch->ssl, buf, cap, &n) == 1) {
			*out_n = n;
			return VOUCH_OK;
		}
		err = SSL_get_error(ch->ssl, 0);
		if (err == SSL_ERROR_ZERO_RETURN) {
			/* close_notify: a clean end of stream. */
			return VOUCH_OK;
		}
		if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) {
			rv = channel_error(ch, err, "read");
			ERR_clear_error();
			return rv;
		}
		rv = channel_wait(ch, err, -1);
		if (rv != VOUCH_OK) {
			ch->failed = true;
			return rv;
		}
	}
}

enum vouch_err
vouch_channel_write(struct vouch_channel *ch, const void *buf, size_t n)
{
	const uint8_t *p = buf;
	enum vouch_err rv;
	size_t off = 0, w = 0;
	int err;

	if (ch == NULL) {
		return VOUCH_ERR_INVALID_ARGUMENT;
	}
	if (buf == NULL && n > 0) {
		return vouch_fail(ch->v->ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "channel write: no buffer");
	}
	rv = channel_usable(ch);
	if (rv != VOUCH_OK) {
		return rv;
	}
	while (off < n) {
		ERR_clear_error();
		if (SSL_write_ex(ch->ssl, p + off, n - off, &w) == 1) {
			off += w;
			continue;
		}
		err = SSL_get_error(ch->ssl, 0);
		if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) {
			rv = channel_error(ch, err, "write");
			ERR_clear_error();
			return rv;
		}
		/* Retried with the same arguments, as SSL_write requires. */
		rv = channel_wait(ch, err, -1);
		if (rv != VOUCH_OK) {
			ch->failed = true;
			return rv;
		}
	}
	return VOUCH_OK;
}

void
vouch_channel_close(struct vouch_channel *ch)
{
	int64_t deadline;
	int ret, err;

	if (ch == NULL) {
		return;
	}
	if (ch->ssl != NULL && ch->established && !ch->failed) {
		/* Send close_notify (bounded); do not wait for the peer's. */
		deadline = now_ms() + CHANNEL_SHUTDOWN_TIMEOUT_MS;
		for (;;) {
			ERR_clear_error();
			ret = SSL_shutdown(ch->ssl);
			if (ret >= 0) {
				break;
			}
			err = SSL_get_error(ch->ssl, ret);
			if ((err != SSL_ERROR_WANT_WRITE &&
			    err != SSL_ERROR_WANT_READ) ||
			    channel_wait(ch, err, deadline) != VOUCH_OK) {
				break;
			}
		}
	}
	SSL_free(ch->ssl);
	ERR_clear_error();
	if (ch->fd >= 0) {
		close(ch->fd);
	}
	vouch_wipe(ch, sizeof(*ch));
	free(ch);
}
