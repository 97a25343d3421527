/* SPDX-License-Identifier: Apache-2.0 */
/*
 * attested-echo: an echo service on attested channels, written against
 * include/vouch.h alone.
 *
 *   attested-echo server PORT
 *     certifies with vouchd, listens on 127.0.0.1:PORT and, one channel
 *     at a time, echoes everything a peer sends until it closes.  A peer
 *     that is refused at the handshake is reported and the server goes on.
 *   attested-echo client HOST PORT [MESSAGE]
 *     certifies, connects requiring the server's measurement given (hex)
 *     in VOUCH_PEER_MEASUREMENT when it is set, sends MESSAGE (default
 *     "hello"), and prints the echo and who the server is.
 *
 * Options come from the environment: VOUCH_STORE, VOUCH_DOMAIN_ROOT,
 * VOUCH_SERVICE_URL and VOUCH_SIM_DIR.  Exit status: 0 done, 1 failed
 * (the stable error name on stderr), 2 usage error.
 *
 * SIGPIPE needs no handling: vouch channels never raise it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "vouch.h"

#define ECHO_BUF	16384

static int
fail(struct vouch *v, const char *what, enum vouch_err err)
{
	fprintf(stderr, "attested-echo: %s: %s: %s\n", what, vouch_errname(err),
	    v != NULL ? vouch_last_error(v) : vouch_strerror(err));
	return 1;
}

static int
usage(void)
{
	fprintf(stderr, "usage: attested-echo server PORT\n"
	    "       attested-echo client HOST PORT [MESSAGE]\n"
	    "environment: VOUCH_STORE, VOUCH_DOMAIN_ROOT, VOUCH_SERVICE_URL,\n"
	    "             VOUCH_SIM_DIR, VOUCH_PEER_MEASUREMENT (client, hex)\n");
	return 2;
}

static bool
parse_port(const char *s, uint16_t *out)
{
	char *end = NULL;
	long p;

	errno = 0;
	p = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || p <= 0 || p > 65535) {
		return false;
	}
	*out = (uint16_t)p;
	return true;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9') {
		return c - '0';
	}
	if (c >= 'a' && c <= 'f') {
		return c - 'a' + 10;
	}
	if (c >= 'A' && c <= 'F') {
		return c - 'A' + 10;
	}
	return -1;
}

static bool
parse_hex(const char *s, uint8_t *out, size_t cap, size_t *out_len)
{
	size_t n = strlen(s), i;
	int hi, lo;

	if (n == 0 || n % 2 != 0 || n / 2 > cap) {
		return false;
	}
	for (i = 0; i < n / 2; i++) {
		hi = hexval(s[2 * i]);
		lo = hexval(s[2 * i + 1]);
		if (hi < 0 || lo < 0) {
			return false;
		}
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	*out_len = n / 2;
	return true;
}

static void
print_peer(FILE *f, const char *who, const struct vouch_peer_info *pi)
{
	size_t i;

	fprintf(f, "%s platform: %s\n%s measurement: ", who, pi->platform, who);
	for (i = 0; i < pi->measurement_len; i++) {
		fprintf(f, "%02x", pi->measurement[i]);
	}
	fprintf(f, "\n%s release: %s (policy version %lld)\n", who,
	    pi->release, (long long)pi->policy_version);
	fflush(f);
}

/* Open the context from the environment and certify. */
static int
open_env(struct vouch **v)
{
	struct vouch_options o;
	enum vouch_err rv;

	memset(&o, 0, sizeof(o));
	o.platform = "auto";
	o.store_dir = getenv("VOUCH_STORE");
	o.domain_root = getenv("VOUCH_DOMAIN_ROOT");
	o.service_url = getenv("VOUCH_SERVICE_URL");
	if (o.store_dir == NULL || o.domain_root == NULL ||
	    o.service_url == NULL) {
		fprintf(stderr, "attested-echo: set VOUCH_STORE, "
		    "VOUCH_DOMAIN_ROOT, VOUCH_SERVICE_URL (and VOUCH_SIM_DIR)\n");
		return 2;
	}
	rv = vouch_open(v, &o);
	if (rv != VOUCH_OK) {
		return fail(NULL, "open", rv);
	}
	rv = vouch_certify(*v);
	if (rv != VOUCH_OK) {
		return fail(*v, "certify", rv);
	}
	return 0;
}

static void
serve(struct vouch *v, int fd)
{
	struct vouch_channel *ch = NULL;
	struct vouch_peer_info pi;
	uint8_t buf[ECHO_BUF];
	size_t n = 0;
	enum vouch_err rv;

	rv = vouch_channel_accept(v, fd, NULL, &ch);
	if (rv != VOUCH_OK) {
		(void)fail(v, "channel refused", rv);
		return;
	}
	rv = vouch_channel_peer(ch, &pi);
	if (rv == VOUCH_OK) {
		print_peer(stdout, "peer", &pi);
	}
	for (;;) {
		rv = vouch_channel_read(ch, buf, sizeof(buf), &n);
		if (rv != VOUCH_OK) {
			(void)fail(v, "read", rv);
			break;
		}
		if (n == 0) {
			break;
		}
		rv = vouch_channel_write(ch, buf, n);
		if (rv != VOUCH_OK) {
			(void)fail(v, "write", rv);
			break;
		}
	}
	printf("channel closed\n");
	fflush(stdout);
	vouch_channel_close(ch);
}

static int
server(const char *port_s)
{
	struct vouch *v = NULL;
	struct sockaddr_in sa;
	uint16_t port;
	int lfd = -1, fd, one = 1, rc;

	if (!parse_port(port_s, &port)) {
		return usage();
	}
	rc = open_env(&v);
	if (rc != 0) {
		goto out;
	}
	rc = 1;
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (lfd < 0 ||
	    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    listen(lfd, 16) != 0) {
		fprintf(stderr, "attested-echo: listen: %s\n", strerror(errno));
		goto out;
	}
	printf("attested-echo: certified; listening on 127.0.0.1:%u\n",
	    (unsigned)port);
	fflush(stdout);
	for (;;) {
		fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED) {
				continue;
			}
			fprintf(stderr, "attested-echo: accept: %s\n",
			    strerror(errno));
			goto out;
		}
		serve(v, fd);
	}
 out:
	if (lfd >= 0) {
		close(lfd);
	}
	vouch_close(v);
	return rc;
}

static int
client(const char *host, const char *port_s, const char *msg)
{
	struct vouch *v = NULL;
	struct vouch_channel *ch = NULL;
	struct vouch_peer_requirements req;
	struct vouch_peer_info pi;
	const char *want = getenv("VOUCH_PEER_MEASUREMENT");
	char *echo = NULL;
	size_t len = strlen(msg), got = 0, n = 0;
	uint16_t port;
	enum vouch_err rv;
	int rc;

	memset(&req, 0, sizeof(req));
	if (!parse_port(port_s, &port) || len == 0) {
		return usage();
	}
	if (want != NULL && want[0] != '\0' &&
	    !parse_hex(want, req.measurement, sizeof(req.measurement),
	    &req.measurement_len)) {
		fprintf(stderr, "attested-echo: VOUCH_PEER_MEASUREMENT must be "
		    "hex of at most %d bytes\n", VOUCH_MEASUREMENT_MAX_BYTES);
		return 2;
	}
	rc = open_env(&v);
	if (rc != 0) {
		goto out;
	}
	rc = 1;
	echo = malloc(len + 1);
	if (echo == NULL) {
		goto out;
	}
	rv = vouch_channel_connect(v, host, port, &req, &ch);
	if (rv != VOUCH_OK) {
		rc = fail(v, "connect", rv);
		goto out;
	}
	rv = vouch_channel_peer(ch, &pi);
	if (rv != VOUCH_OK) {
		rc = fail(v, "peer", rv);
		goto out;
	}
	rv = vouch_channel_write(ch, msg, len);
	while (rv == VOUCH_OK && got < len) {
		rv = vouch_channel_read(ch, echo + got, len - got, &n);
		if (rv == VOUCH_OK && n == 0) {
			rv = VOUCH_ERR_TRUNCATED;
			fprintf(stderr, "attested-echo: the server closed early\n");
		}
		got += n;
	}
	if (rv != VOUCH_OK) {
		rc = fail(v, "echo", rv);
		goto out;
	}
	echo[got] = '\0';
	print_peer(stdout, "server", &pi);
	printf("echo: %s\n", echo);
	rc = memcmp(echo, msg, len) == 0 ? 0 : 1;
 out:
	vouch_channel_close(ch);
	free(echo);
	vouch_close(v);
	return rc;
}

int
main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "server") == 0) {
		return server(argv[2]);
	}
	if ((argc == 4 || argc == 5) && strcmp(argv[1], "client") == 0) {
		return client(argv[2], argv[3], argc == 5 ? argv[4] : "hello");
	}
	return usage();
}
