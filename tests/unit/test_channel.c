/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for lib/channel/channel.c: attested TLS 1.3 between two
 * contexts whose admission certificates come from a domain built in
 * memory.  The server side runs in a thread on a loopback listener or a
 * socketpair.  Covered: data both ways and the peer information; the
 * peer requirements (measurement, platform) on either side; peers
 * refused at the handshake: from another domain, expired, without a
 * certificate, with a certificate that is not an admission certificate
 * (no extension, no clientAuth EKU, issued directly by the root), or not
 * speaking TLS; our own certificate expired; a peer that cuts the
 * connection without close_notify (VOUCH_ERR_TRUNCATED) and one that
 * goes away while we write (no SIGPIPE: the server thread runs with
 * SIGPIPE deliverable and its default action); argument and state
 * errors.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "ca.h"
#include "crypto/crypto.h"
#include "platform/sim.h"
#include "vouch_internal.h"

#define DAY		(24 * 3600)
#define LIFETIME	3600
#define EAR		"eyJhbGciOiJFUzM4NCJ9.e30.c2ln"
#define BIG		(1024 * 1024)

struct domain {
	EVP_PKEY	*root_key;
	X509		*root;
	EVP_PKEY	*issuer_key;
	X509		*issuer;
	char		 root_path[160];
};

struct fixture {
	struct vouch_ctx	*ctx;
	int64_t			 now;
	char			 dir[64];
	char			 plat[128];
	struct domain		 d;
	struct domain		 other;
	uint8_t			 m[48];
	uint8_t			 m2[48];
	int			 stores;
};

static struct fixture F;

/* ---- the domain and contexts -------------------------------------- */

static X509 *
make_ca(EVP_PKEY *key, X509 *parent, EVP_PKEY *parent_key, const char *cn,
    int path_len)
{
	struct vouch_cert_spec spec;
	X509 *x = NULL;

	memset(&spec, 0, sizeof(spec));
	spec.common_name = cn;
	spec.not_before = F.now - 30 * (int64_t)DAY;
	spec.not_after = F.now + (parent == NULL ? 3650 : 30) * (int64_t)DAY;
	spec.is_ca = true;
	spec.path_len = path_len;
	assert_int_equal(vouch_cert_build(F.ctx, &spec, key, parent,
	    parent_key != NULL ? parent_key : key, &x), VOUCH_OK);
	return x;
}

static void
domain_make(struct domain *d, const char *name)
{
	assert_int_equal(vouch_key_gen_p384(F.ctx, &d->root_key), VOUCH_OK);
	assert_int_equal(vouch_key_gen_p384(F.ctx, &d->issuer_key), VOUCH_OK);
	d->root = make_ca(d->root_key, NULL, NULL, "vouch test domain root",
	    -1);
	d->issuer = make_ca(d->issuer_key, d->root, d->root_key,
	    "vouch test issuing CA", 0);
	(void)snprintf(d->root_path, sizeof(d->root_path), "%s/%s.pem", F.dir,
	    name);
	assert_int_equal(vouch_cert_write_pem(F.ctx, d->root_path, d->root),
	    VOUCH_OK);
}

static void
domain_free(struct domain *d)
{
	X509_free(d->root);
	X509_free(d->issuer);
	EVP_PKEY_free(d->root_key);
	EVP_PKEY_free(d->issuer_key);
}

static void
admission(struct ca_admission *adm, const char *platform, const uint8_t *m)
{
	memset(adm, 0, sizeof(*adm));
	(void)snprintf(adm->platform, sizeof(adm->platform), "%s", platform);
	memcpy(adm->measurement, m, 48);
	adm->measurement_len = 48;
	adm->policy_version = 5;
	(void)snprintf(adm->release, sizeof(adm->release), "release-2");
}

/* An admission certificate for |key| issued at |at| (leaf only). */
static X509 *
leaf_for(struct domain *d, EVP_PKEY *key, int64_t at, int64_t lifetime)
{
	struct ca_admission adm;
	char serial[CA_SERIAL_HEX_LEN + 1];
	X509 *leaf = NULL;

	admission(&adm, "sim", F.m);
	assert_int_equal(ca_issue_admission(F.ctx, d->issuer, d->issuer_key,
	    d->root, key, &adm, at, lifetime, &leaf, serial), VOUCH_OK);
	return leaf;
}

/*
 * A context of domain |d| with an admission certificate issued at
 * |issued| for |lifetime| seconds; its clock fixed at |clock| unless 0.
 */
static struct vouch *
peer_ctx(struct domain *d, int64_t issued, int64_t lifetime, int64_t clock)
{
	struct vouch_options o;
	struct vouch *v = NULL;
	EVP_PKEY *key = NULL;
	X509 *leaf;
	char store[192], *chain = NULL;

	(void)snprintf(store, sizeof(store), "%s/store%d", F.dir, F.stores++);
	memset(&o, 0, sizeof(o));
	o.platform = "sim";
	o.store_dir = store;
	o.domain_root = d->root_path;
	o.sim_dir = F.plat;
	assert_int_equal(vouch_open(&v, &o), VOUCH_OK);
	if (clock != 0) {
		vouch_ctx_set_time(v->ctx, clock);
	}
	assert_int_equal(vouch_key_gen_p384(F.ctx, &key), VOUCH_OK);
	leaf = leaf_for(d, key, issued, lifetime);
	assert_int_equal(ca_chain_pem(F.ctx, leaf, d->issuer, &chain),
	    VOUCH_OK);
	assert_int_equal(vouch_identity_install(v, key, chain, EAR, false),
	    VOUCH_OK);
	free(chain);
	X509_free(leaf);
	EVP_PKEY_free(key);
	return v;
}

static struct vouch *
good_ctx(void)
{
	return peer_ctx(&F.d, F.now, LIFETIME, 0);
}

/* ---- the server thread -------------------------------------------- */

enum srv_mode {
	SRV_ECHO,		/* echo until end of stream */
	SRV_DRAIN_ECHO,		/* read |expect| bytes, then send them back */
	SRV_READ,		/* read until end of stream or error */
	SRV_WRITE,		/* write until it fails */
};

struct srv {
	struct vouch				*v;
	int					 lfd;
	int					 fd;	/* or accept on lfd */
	const struct vouch_peer_requirements	*req;
	enum srv_mode				 mode;
	size_t					 expect;
	enum vouch_err				 rv;
	enum vouch_err				 io_rv;
	struct vouch_peer_info			 pi;
	char					 err[VOUCH_ERRMSG_MAX];
	size_t					 bytes;
	pthread_t				 t;
};

static void
srv_io(struct srv *s, struct vouch_channel *ch)
{
	uint8_t *buf = malloc(BIG);
	size_t n = 0, i;

	s->io_rv = VOUCH_ERR_NO_MEMORY;
	if (buf == NULL) {
		return;
	}
	s->io_rv = VOUCH_OK;
	switch (s->mode) {
	case SRV_ECHO:
	case SRV_READ:
		for (;;) {
			s->io_rv = vouch_channel_read(ch, buf, 4096, &n);
			if (s->io_rv != VOUCH_OK || n == 0) {
				break;
			}
			s->bytes += n;
			if (s->mode == SRV_ECHO) {
				s->io_rv = vouch_channel_write(ch, buf, n);
				if (s->io_rv != VOUCH_OK) {
					break;
				}
			}
		}
		break;
	case SRV_DRAIN_ECHO:
		while (s->bytes < s->expect && s->io_rv == VOUCH_OK) {
			s->io_rv = vouch_channel_read(ch, buf + s->bytes,
			    s->expect - s->bytes, &n);
			if (n == 0) {
				break;
			}
			s->bytes += n;
		}
		if (s->io_rv == VOUCH_OK) {
			s->io_rv = vouch_channel_write(ch, buf, s->bytes);
		}
		break;
	case SRV_WRITE:
		memset(buf, 0x42, 16384);
		for (i = 0; i < 4096 && s->io_rv == VOUCH_OK; i++) {
			s->io_rv = vouch_channel_write(ch, buf, 16384);
		}
		break;
	}
	(void)snprintf(s->err, sizeof(s->err), "%s", vouch_last_error(s->v));
	free(buf);
}

static void *
srv_main(void *arg)
{
	struct srv *s = arg;
	struct vouch_channel *ch = NULL;
	sigset_t set;
	int fd = s->fd;

	/* The library must never raise SIGPIPE: leave it deliverable here. */
	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	(void)pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	if (fd < 0) {
		fd = accept(s->lfd, NULL, NULL);
	}
	s->rv = vouch_channel_accept(s->v, fd, s->req, &ch);
	(void)snprintf(s->err, sizeof(s->err), "%s", vouch_last_error(s->v));
	if (s->rv != VOUCH_OK) {
		return NULL;
	}
	if (vouch_channel_peer(ch, &s->pi) == VOUCH_OK) {
		srv_io(s, ch);
	}
	vouch_channel_close(ch);
	return NULL;
}

/* A listener on 127.0.0.1, any port. */
static int
listener(uint16_t *port)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(fd, 4), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &sl), 0);
	*port = ntohs(sa.sin_port);
	return fd;
}

static void
srv_start_n(struct srv *s, struct vouch *v,
    const struct vouch_peer_requirements *req, enum srv_mode mode,
    size_t expect, uint16_t *port)
{
	memset(s, 0, sizeof(*s));
	s->v = v;
	s->req = req;
	s->mode = mode;
	s->expect = expect;
	s->fd = -1;
	s->rv = VOUCH_ERR_INTERNAL;
	s->lfd = listener(port);
	assert_int_equal(pthread_create(&s->t, NULL, srv_main, s), 0);
}

static void
srv_start(struct srv *s, struct vouch *v,
    const struct vouch_peer_requirements *req, enum srv_mode mode,
    uint16_t *port)
{
	srv_start_n(s, v, req, mode, 0, port);
}

static void
srv_join(struct srv *s)
{
	assert_int_equal(pthread_join(s->t, NULL), 0);
	if (s->lfd >= 0) {
		close(s->lfd);
	}
}

/*
 * Connect |client| to a server |server| (thread) with requirements on
 * each side; the client's result is returned, its channel in |*ch|.
 */
static enum vouch_err
pair(struct srv *s, struct vouch *server,
    const struct vouch_peer_requirements *sreq, enum srv_mode mode,
    struct vouch *client, const struct vouch_peer_requirements *creq,
    struct vouch_channel **ch)
{
	uint16_t port = 0;

	srv_start(s, server, sreq, mode, &port);
	return vouch_channel_connect(client, "127.0.0.1", port, creq, ch);
}

/* ---- a raw OpenSSL client ----------------------------------------- */

struct raw {
	X509		*leaf;		/* NULL: no client certificate */
	X509		*issuer;	/* sent after the leaf when set */
	EVP_PKEY	*key;
	bool		 cut;		/* close without close_notify */
	const char	*plain;		/* send this instead of TLS */
};

/* Returns 1 when the echo came back, 0 otherwise. */
static int
raw_client(int fd, const struct raw *r)
{
	SSL_CTX *c;
	SSL *s = NULL;
	struct timeval tv = { 10, 0 };
	char buf[8];
	int ok = 0;

	(void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (r->plain != NULL) {
		if (write(fd, r->plain, strlen(r->plain)) < 0) {
			ok = -1;
		}
		/* Wait for the server to give up on us. */
		if (read(fd, buf, sizeof(buf)) < 0) {
			ok = ok < 0 ? ok : 0;
		}
		close(fd);
		return ok < 0 ? ok : 0;
	}
	c = SSL_CTX_new(TLS_client_method());
	assert_non_null(c);
	assert_int_equal(SSL_CTX_set_min_proto_version(c, TLS1_3_VERSION), 1);
	SSL_CTX_set_verify(c, SSL_VERIFY_NONE, NULL);
	if (r->leaf != NULL) {
		assert_int_equal(SSL_CTX_use_certificate(c, r->leaf), 1);
		if (r->issuer != NULL) {
			assert_int_equal(SSL_CTX_add1_chain_cert(c, r->issuer), 1);
		}
		assert_int_equal(SSL_CTX_use_PrivateKey(c, r->key), 1);
	}
	s = SSL_new(c);
	assert_non_null(s);
	assert_int_equal(SSL_set_fd(s, fd), 1);
	if (SSL_connect(s) == 1) {
		if (r->cut) {
			goto out;
		}
		if (SSL_write(s, "ping", 4) == 4 && SSL_read(s, buf, 4) == 4 &&
		    memcmp(buf, "ping", 4) == 0) {
			ok = 1;
		}
		(void)SSL_shutdown(s);
	}
 out:
	SSL_free(s);
	SSL_CTX_free(c);
	ERR_clear_error();
	close(fd);
	return ok;
}

static int
raw_connect(uint16_t port)
{
	struct sockaddr_in sa;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

/* A server of domain A against a raw client; the server's result. */
static enum vouch_err
raw_pair(const struct raw *r, enum srv_mode mode, struct srv *s, int *echoed)
{
	struct vouch *server = good_ctx();
	uint16_t port = 0;

	srv_start(s, server, NULL, mode, &port);
	*echoed = raw_client(raw_connect(port), r);
	srv_join(s);
	vouch_close(server);
	return s->rv;
}

/* ---- setup -------------------------------------------------------- */

static int
setup(void **state)
{
	struct sim_init_opts so = { .tcb_svn = 1, .root_days = 30,
	    .chip_days = 30 };
	sigset_t set;

	(void)state;
	/*
	 * SIGPIPE keeps its default action (it would kill this test); the
	 * main thread, which runs the raw OpenSSL clients, blocks it and
	 * the server threads unblock it.
	 */
	(void)signal(SIGPIPE, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	(void)pthread_sigmask(SIG_BLOCK, &set, NULL);
	memset(&F, 0, sizeof(F));
	F.ctx = vouch_ctx_new();
	assert_non_null(F.ctx);
	F.now = (int64_t)time(NULL);
	(void)snprintf(F.dir, sizeof(F.dir), "/tmp/vouch-test-chan-XXXXXX");
	assert_non_null(mkdtemp(F.dir));
	(void)snprintf(F.plat, sizeof(F.plat), "%s/plat", F.dir);
	assert_int_equal(sim_init(F.ctx, F.plat, &so), VOUCH_OK);
	assert_int_equal(vouch_sha384_file(F.ctx, "/proc/self/exe", F.m),
	    VOUCH_OK);
	memcpy(F.m2, F.m, sizeof(F.m2));
	F.m2[47] ^= 0x80;
	domain_make(&F.d, "domain");
	domain_make(&F.other, "other");
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", F.dir);
	assert_int_equal(system(cmd), 0);
	domain_free(&F.d);
	domain_free(&F.other);
	vouch_ctx_free(F.ctx);
	return 0;
}

/* ---- tests -------------------------------------------------------- */

static void
test_echo(void **state)
{
	static const char msg[] = "ping over an attested channel";
	struct vouch *a = good_ctx(), *b = good_ctx();
	struct vouch_channel *ch = NULL;
	struct vouch_peer_info pi;
	struct srv s;
	char buf[64];
	size_t n = 0, got = 0;

	(void)state;
	assert_int_equal(pair(&s, a, NULL, SRV_ECHO, b, NULL, &ch), VOUCH_OK);
	assert_non_null(ch);
	assert_int_equal(vouch_channel_write(ch, msg, sizeof(msg)), VOUCH_OK);
	while (got < sizeof(msg)) {
		assert_int_equal(vouch_channel_read(ch, buf + got,
		    sizeof(buf) - got, &n), VOUCH_OK);
		assert_true(n > 0);
		got += n;
	}
	assert_int_equal(got, sizeof(msg));
	assert_memory_equal(buf, msg, sizeof(msg));
	/* Who the server is. */
	assert_int_equal(vouch_channel_peer(ch, &pi), VOUCH_OK);
	assert_string_equal(pi.platform, "sim");
	assert_int_equal(pi.measurement_len, 48);
	assert_memory_equal(pi.measurement, F.m, 48);
	assert_int_equal(pi.policy_version, 5);
	assert_string_equal(pi.release, "release-2");
	assert_int_equal(pi.not_after, F.now + LIFETIME);
	assert_int_equal(vouch_channel_peer(NULL, &pi),
	    VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(vouch_channel_peer(ch, NULL),
	    VOUCH_ERR_INVALID_ARGUMENT);
	/* Zero-length operations. */
	assert_int_equal(vouch_channel_write(ch, NULL, 0), VOUCH_OK);
	assert_int_equal(vouch_channel_read(ch, buf, 0, &n), VOUCH_OK);
	assert_int_equal(n, 0);
	assert_int_equal(vouch_channel_read(ch, NULL, 1, &n),
	    VOUCH_ERR_INVALID_ARGUMENT);
	vouch_channel_close(ch);
	srv_join(&s);
	/* The server saw a clean end of stream and who the client is. */
	assert_int_equal(s.rv, VOUCH_OK);
	assert_int_equal(s.io_rv, VOUCH_OK);
	assert_int_equal(s.bytes, sizeof(msg));
	assert_string_equal(s.pi.platform, "sim");
	assert_memory_equal(s.pi.measurement, F.m, 48);
	vouch_channel_close(NULL);
	vouch_close(a);
	vouch_close(b);
}

static void
test_large(void **state)
{
	struct vouch *a = good_ctx(), *b = good_ctx();
	struct vouch_channel *ch = NULL;
	struct srv s;
	uint8_t *out = malloc(BIG), *in = malloc(BIG);
	size_t i, n = 0, got = 0;
	uint16_t port = 0;

	(void)state;
	assert_non_null(out);
	assert_non_null(in);
	for (i = 0; i < BIG; i++) {
		out[i] = (uint8_t)(i * 7 + i / 251);
	}
	srv_start_n(&s, a, NULL, SRV_DRAIN_ECHO, BIG, &port);
	/* By name this time: resolution, then the same checks. */
	assert_int_equal(vouch_channel_connect(b, "localhost", port, NULL, &ch),
	    VOUCH_OK);
	assert_int_equal(vouch_channel_write(ch, out, BIG), VOUCH_OK);
	while (got < BIG) {
		assert_int_equal(vouch_channel_read(ch, in + got, BIG - got, &n),
		    VOUCH_OK);
		assert_true(n > 0);
		got += n;
	}
	assert_memory_equal(in, out, BIG);
	/* The server closed after its answer: a clean end of stream. */
	assert_int_equal(vouch_channel_read(ch, in, 16, &n), VOUCH_OK);
	assert_int_equal(n, 0);
	vouch_channel_close(ch);
	srv_join(&s);
	assert_int_equal(s.io_rv, VOUCH_OK);
	free(out);
	free(in);
	vouch_close(a);
	vouch_close(b);
}

static void
test_requirements_met(void **state)
{
	struct vouch *a = good_ctx(), *b = good_ctx();
	struct vouch_peer_requirements req;
	struct vouch_channel *ch = NULL;
	struct srv s;

	(void)state;
	memset(&req, 0, sizeof(req));
	memcpy(req.measurement, F.m, 48);
	req.measurement_len = 48;
	req.platform = "sim";
	assert_int_equal(pair(&s, a, &req, SRV_READ, b, &req, &ch), VOUCH_OK);
	vouch_channel_close(ch);
	srv_join(&s);
	assert_int_equal(s.rv, VOUCH_OK);
	assert_int_equal(s.io_rv, VOUCH_OK);
	vouch_close(a);
	vouch_close(b);
}

static void
test_requirements_unmet(void **state)
{
	struct vouch *a = good_ctx(), *b = good_ctx();
	struct vouch_peer_requirements wrong_m, wrong_p;
	struct vouch_channel *ch = NULL;
	struct srv s;
	enum vouch_err rv;
	size_t n = 0;
	char buf[4];

	(void)state;
	memset(&wrong_m, 0, sizeof(wrong_m));
	memcpy(wrong_m.measurement, F.m2, 48);
	wrong_m.measurement_len = 48;
	memset(&wrong_p, 0, sizeof(wrong_p));
	wrong_p.platform = "snp";

	/* The client requires another server measurement. */
	assert_int_equal(pair(&s, a, NULL, SRV_READ, b, &wrong_m, &ch),
	    VOUCH_ERR_MEASUREMENT_NOT_TRUSTED);
	assert_null(ch);
	assert_non_null(strstr(vouch_last_error(b), "measurement"));
	srv_join(&s);
	assert_int_not_equal(s.rv, VOUCH_OK);
	/* A shorter measurement is another measurement too. */
	wrong_m.measurement_len = 32;
	memcpy(wrong_m.measurement, F.m, 32);
	assert_int_equal(pair(&s, a, NULL, SRV_READ, b, &wrong_m, &ch),
	    VOUCH_ERR_MEASUREMENT_NOT_TRUSTED);
	srv_join(&s);
	memcpy(wrong_m.measurement, F.m2, 48);
	wrong_m.measurement_len = 48;

	/* The client requires another platform. */
	assert_int_equal(pair(&s, a, NULL, SRV_READ, b, &wrong_p, &ch),
	    VOUCH_ERR_PLATFORM_MISMATCH);
	srv_join(&s);
	assert_int_not_equal(s.rv, VOUCH_OK);

	/*
	 * The server requires another client measurement.  TLS 1.3: the
	 * client's handshake may finish first; it learns at its first read.
	 */
	rv = pair(&s, a, &wrong_m, SRV_READ, b, NULL, &ch);
	if (rv == VOUCH_OK) {
		rv = vouch_channel_read(ch, buf, sizeof(buf), &n);
		assert_int_equal(rv, VOUCH_ERR_CHAIN_INVALID);
		assert_non_null(strstr(vouch_last_error(b), "refused"));
		/* After a failure the channel only closes. */
		assert_int_equal(vouch_channel_write(ch, "x", 1),
		    VOUCH_ERR_STATE);
		vouch_channel_close(ch);
		ch = NULL;
	}
	assert_int_not_equal(rv, VOUCH_OK);
	srv_join(&s);
	assert_int_equal(s.rv, VOUCH_ERR_MEASUREMENT_NOT_TRUSTED);

	rv = pair(&s, a, &wrong_p, SRV_READ, b, NULL, &ch);
	if (rv == VOUCH_OK) {
		rv = vouch_channel_read(ch, buf, sizeof(buf), &n);
		vouch_channel_close(ch);
		ch = NULL;
	}
	assert_int_not_equal(rv, VOUCH_OK);
	srv_join(&s);
	assert_int_equal(s.rv, VOUCH_ERR_PLATFORM_MISMATCH);
	vouch_close(a);
	vouch_close(b);
}

static void
test_other_domain(void **state)
{
	struct vouch *a = good_ctx(), *foreign;
	struct vouch_channel *ch = NULL;
	struct srv s;
	struct raw r;
	EVP_PKEY *key = NULL;
	int echoed = 0;

	(void)state;
	foreign = peer_ctx(&F.other, F.now, LIFETIME, 0);
	/* A client of another domain refuses our server... */
	assert_int_equal(pair(&s, a, NULL, SRV_READ, foreign, NULL, &ch),
	    VOUCH_ERR_CHAIN_INVALID);
	srv_join(&s);
	assert_int_not_equal(s.rv, VOUCH_OK);
	/* ...and a server of another domain is refused by our client. */
	assert_int_equal(pair(&s, foreign, NULL, SRV_READ, a, NULL, &ch),
	    VOUCH_ERR_CHAIN_INVALID);
	srv_join(&s);
	assert_int_not_equal(s.rv, VOUCH_OK);
	/* A client presenting another domain's admission chain. */
	memset(&r, 0, sizeof(r));
	assert_int_equal(vouch_key_gen_p384(F.ctx, &key), VOUCH_OK);
	r.key = key;
	r.leaf = leaf_for(&F.other, key, F.now, LIFETIME);
	r.issuer = F.other.issuer;
	assert_int_equal(raw_pair(&r, SRV_ECHO, &s, &echoed),
	    VOUCH_ERR_CHAIN_INVALID);
	assert_int_equal(echoed, 0);
	/* The same with the certificate alone. */
	r.issuer = NULL;
	assert_int_equal(raw_pair(&r, SRV_ECHO, &s, &echoed),
	    VOUCH_ERR_CHAIN_INVALID);
	assert_int_equal(echoed, 0);
	/* The control: this domain's chain is accepted. */
	X509_free(r.leaf);
	r.leaf = leaf_for(&F.d, key, F.now, LIFETIME);
	r.issuer = F.d.issuer;
	assert_int_equal(raw_pair(&r, SRV_ECHO, &s, &echoed), VOUCH_OK);
	assert_int_equal(echoed, 1);
	X509_free(r.leaf);
	EVP_PKEY_free(key);
	vouch_close(foreign);
	vouch_close(a);
}

static void
test_expired(void **state)
{
	struct vouch *a = good_ctx(), *old, *wide;
	struct vouch_channel *ch = NULL;
	struct srv s;
	int sv[2];
	int64_t then = F.now - 3 * (int64_t)DAY;

	(void)state;
	/*
	 * |old| expired a day ago; its clock is three days back, when it
	 * was valid.  |wide| is valid at both times, so only |old| is ever
	 * refused.
	 */
	old = peer_ctx(&F.d, F.now - 5 * (int64_t)DAY, 4 * (int64_t)DAY, then);
	wide = peer_ctx(&F.d, F.now - 6 * (int64_t)DAY, 7 * (int64_t)DAY, 0);
	assert_int_equal(pair(&s, old, NULL, SRV_READ, wide, NULL, &ch),
	    VOUCH_ERR_CERT_EXPIRED);
	assert_null(ch);
	srv_join(&s);
	assert_int_not_equal(s.rv, VOUCH_OK);
	assert_int_equal(pair(&s, wide, NULL, SRV_READ, old, NULL, &ch),
	    VOUCH_OK);
	vouch_channel_close(ch);
	srv_join(&s);
	assert_int_equal(s.rv, VOUCH_ERR_CERT_EXPIRED);
	assert_non_null(strstr(s.err, "expired"));
	/* The control: both valid at |old|'s clock. */
	vouch_ctx_set_time(wide->ctx, then);
	assert_int_equal(pair(&s, wide, NULL, SRV_READ, old, NULL, &ch),
	    VOUCH_OK);
	vouch_channel_close(ch);
	srv_join(&s);
	assert_int_equal(s.rv, VOUCH_OK);
	/* At the real time |old| cannot open a channel at all. */
	vouch_ctx_set_time(old->ctx, F.now);
	assert_int_equal(vouch_channel_connect(old, "127.0.0.1", 9, NULL, &ch),
	    VOUCH_ERR_CERT_EXPIRED);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(vouch_channel_accept(old, sv[0], NULL, &ch),
	    VOUCH_ERR_CERT_EXPIRED);
	/* The descriptor was closed anyway. */
	assert_int_equal(fcntl(sv[0], F_GETFD), -1);
	close(sv[1]);
	/* A peer not valid yet at the verifier's clock. */
	vouch_ctx_set_time(wide->ctx, F.now - 2 * (int64_t)DAY);
	assert_int_equal(pair(&s, a, NULL, SRV_READ, wide, NULL, &ch),
	    VOUCH_ERR_CERT_NOT_YET_VALID);
	srv_join(&s);
	assert_int_not_equal(s.rv, VOUCH_OK);
	vouch_close(old);
	vouch_close(wide);
	vouch_close(a);
}

static void
test_not_admission(void **state)
{
	struct vouch_cert_spec spec;
	struct ca_admission adm;
	struct srv s;
	struct raw r;
	EVP_PKEY *key = NULL;
	uint8_t *ext = NULL;
	size_t ext_len = 0;
	char uri[VOUCH_DOMAIN_URI_MAX];
	int echoed = 0;

	(void)state;
	memset(&r, 0, sizeof(r));
	assert_int_equal(vouch_key_gen_p384(F.ctx, &key), VOUCH_OK);
	r.key = key;
	r.issuer = F.d.issuer;
	admission(&adm, "sim", F.m);
	assert_int_equal(ca_admission_ext_encode(F.ctx, adm.platform,
	    adm.measurement, adm.measurement_len, adm.policy_version,
	    adm.release, &ext, &ext_len), VOUCH_OK);
	assert_int_equal(vouch_domain_uri(F.ctx, F.d.root, uri, sizeof(uri)),
	    VOUCH_OK);
	memset(&spec, 0, sizeof(spec));
	spec.common_name = "not an admission certificate";
	spec.not_before = F.now - 60;
	spec.not_after = F.now + LIFETIME;
	spec.path_len = -1;
	spec.eku_client = true;
	spec.eku_server = true;
	spec.uri_san = uri;

	/* Issued by the issuing CA, without the admission extension. */
	assert_int_equal(vouch_cert_build(F.ctx, &spec, key, F.d.issuer,
	    F.d.issuer_key, &r.leaf), VOUCH_OK);
	assert_int_equal(raw_pair(&r, SRV_ECHO, &s, &echoed),
	    VOUCH_ERR_CHAIN_INVALID);
	assert_non_null(strstr(s.err, "not an admission certificate"));
	assert_int_equal(echoed, 0);
	X509_free(r.leaf);
	/* With the extension but only serverAuth. */
	spec.eku_client = false;
	spec.ext_oid = VOUCH_OID_ADMISSION;
	spec.ext_der = ext;
	spec.ext_der_len = ext_len;
	assert_int_equal(vouch_cert_build(F.ctx, &spec, key, F.d.issuer,
	    F.d.issuer_key, &r.leaf), VOUCH_OK);
	assert_int_equal(raw_pair(&r, SRV_ECHO, &s, &echoed),
	    VOUCH_ERR_CHAIN_INVALID);
	X509_free(r.leaf);
	/* The same certificate with clientAuth: accepted (the control). */
	spec.eku_client = true;
	assert_int_equal(vouch_cert_build(F.ctx, &spec, key, F.d.issuer,
	    F.d.issuer_key, &r.leaf), VOUCH_OK);
	assert_int_equal(raw_pair(&r, SRV_ECHO, &s, &echoed), VOUCH_OK);
	assert_int_equal(echoed, 1);
	X509_free(r.leaf);
	/* Issued directly by the domain root: a chain of two. */
	assert_int_equal(vouch_cert_build(F.ctx, &spec, key, F.d.root,
	    F.d.root_key, &r.leaf), VOUCH_OK);
	r.issuer = NULL;
	assert_int_equal(raw_pair(&r, SRV_ECHO, &s, &echoed),
	    VOUCH_ERR_CHAIN_INVALID);
	assert_non_null(strstr(s.err, "chain"));
	X509_free(r.leaf);
	free(ext);
	EVP_PKEY_free(key);
}

static void
test_no_certificate(void **state)
{
	struct srv s;
	struct raw r;
	int echoed = 0;

	(void)state;
	memset(&r, 0, sizeof(r));
	assert_int_equal(raw_pair(&r, SRV_ECHO, &s, &echoed),
	    VOUCH_ERR_CHAIN_INVALID);
	assert_non_null(strstr(s.err, "no certificate"));
	assert_int_equal(echoed, 0);
	/* Not TLS at all. */
	r.plain = "GET / HTTP/1.0\r\n\r\n";
	assert_int_equal(raw_pair(&r, SRV_ECHO, &s, &echoed),
	    VOUCH_ERR_NETWORK);
}

static void
test_cut_and_sigpipe(void **state)
{
	struct srv s;
	struct raw r;
	EVP_PKEY *key = NULL;
	int echoed = 0;

	(void)state;
	memset(&r, 0, sizeof(r));
	assert_int_equal(vouch_key_gen_p384(F.ctx, &key), VOUCH_OK);
	r.key = key;
	r.leaf = leaf_for(&F.d, key, F.now, LIFETIME);
	r.issuer = F.d.issuer;
	r.cut = true;
	/* A peer that closes without close_notify: truncation, not EOF. */
	assert_int_equal(raw_pair(&r, SRV_READ, &s, &echoed), VOUCH_OK);
	assert_int_equal(s.io_rv, VOUCH_ERR_TRUNCATED);
	/* Writing to a peer that went away fails; SIGPIPE is not raised. */
	assert_int_equal(raw_pair(&r, SRV_WRITE, &s, &echoed), VOUCH_OK);
	assert_int_equal(s.io_rv, VOUCH_ERR_NETWORK);
	X509_free(r.leaf);
	EVP_PKEY_free(key);
}

static void
test_socketpair(void **state)
{
	struct vouch *a = good_ctx();
	struct srv s;
	struct raw r;
	EVP_PKEY *key = NULL;
	int sv[2];

	(void)state;
	memset(&r, 0, sizeof(r));
	assert_int_equal(vouch_key_gen_p384(F.ctx, &key), VOUCH_OK);
	r.key = key;
	r.leaf = leaf_for(&F.d, key, F.now, LIFETIME);
	r.issuer = F.d.issuer;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0,
	    sv), 0);
	memset(&s, 0, sizeof(s));
	s.v = a;
	s.fd = sv[0];
	s.lfd = -1;
	s.mode = SRV_ECHO;
	assert_int_equal(pthread_create(&s.t, NULL, srv_main, &s), 0);
	assert_int_equal(raw_client(sv[1], &r), 1);
	srv_join(&s);
	assert_int_equal(s.rv, VOUCH_OK);
	assert_int_equal(s.io_rv, VOUCH_OK);
	assert_int_equal(s.bytes, 4);
	X509_free(r.leaf);
	EVP_PKEY_free(key);
	vouch_close(a);
}

static void
test_misuse(void **state)
{
	struct vouch_options o;
	struct vouch *v = NULL, *a = good_ctx();
	struct vouch_channel *ch = NULL;
	struct vouch_peer_requirements req;
	char store[192], big[80];
	int sv[2];
	uint16_t port = 0;
	int lfd;

	(void)state;
	/* Not certified. */
	(void)snprintf(store, sizeof(store), "%s/uncertified", F.dir);
	memset(&o, 0, sizeof(o));
	o.platform = "sim";
	o.store_dir = store;
	o.domain_root = F.d.root_path;
	o.sim_dir = F.plat;
	assert_int_equal(vouch_open(&v, &o), VOUCH_OK);
	assert_int_equal(vouch_channel_connect(v, "127.0.0.1", 9, NULL, &ch),
	    VOUCH_ERR_STATE);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(vouch_channel_accept(v, sv[0], NULL, &ch),
	    VOUCH_ERR_STATE);
	assert_int_equal(fcntl(sv[0], F_GETFD), -1);
	close(sv[1]);
	vouch_close(v);
	/* Arguments. */
	assert_int_equal(vouch_channel_connect(NULL, "127.0.0.1", 9, NULL,
	    &ch), VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(vouch_channel_connect(a, NULL, 9, NULL, &ch),
	    VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(vouch_channel_connect(a, "127.0.0.1", 0, NULL, &ch),
	    VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(vouch_channel_connect(a, "127.0.0.1", 9, NULL, NULL),
	    VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(vouch_channel_accept(a, -1, NULL, &ch),
	    VOUCH_ERR_INVALID_ARGUMENT);
	memset(&req, 0, sizeof(req));
	req.measurement_len = VOUCH_MEASUREMENT_MAX_BYTES + 1;
	lfd = listener(&port);
	assert_int_equal(vouch_channel_connect(a, "127.0.0.1", port, &req,
	    &ch), VOUCH_ERR_INVALID_ARGUMENT);
	req.measurement_len = 0;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	req.platform = big;
	assert_int_equal(vouch_channel_connect(a, "127.0.0.1", port, &req,
	    &ch), VOUCH_ERR_INVALID_ARGUMENT);
	close(lfd);
	assert_null(ch);
	assert_int_equal(vouch_channel_read(NULL, big, 1, &(size_t){ 0 }),
	    VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(vouch_channel_write(NULL, big, 1),
	    VOUCH_ERR_INVALID_ARGUMENT);
	/* Nobody listening, or no such host. */
	assert_int_equal(vouch_channel_connect(a, "127.0.0.1", port, NULL,
	    &ch), VOUCH_ERR_NETWORK);
	assert_int_equal(vouch_channel_connect(a, "no-such-host.invalid", 443,
	    NULL, &ch), VOUCH_ERR_NETWORK);
	vouch_close(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_echo),
		cmocka_unit_test(test_large),
		cmocka_unit_test(test_requirements_met),
		cmocka_unit_test(test_requirements_unmet),
		cmocka_unit_test(test_other_domain),
		cmocka_unit_test(test_expired),
		cmocka_unit_test(test_not_admission),
		cmocka_unit_test(test_no_certificate),
		cmocka_unit_test(test_cut_and_sigpipe),
		cmocka_unit_test(test_socketpair),
		cmocka_unit_test(test_misuse),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
