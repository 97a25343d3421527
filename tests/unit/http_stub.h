/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A forked HTTP/1.1 stand-in on 127.0.0.1 for unit tests of the
 * collateral clients (test_snp_kds.c, test_dcap_pcs.c): one request per
 * connection, GET only, answered by the test's |serve| callback with
 * http_stub_reply.  Include after <cmocka.h>.
 */
#ifndef VOUCH_TEST_HTTP_STUB_H
#define VOUCH_TEST_HTTP_STUB_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__GNUC__)
#define HTTP_STUB_UNUSED __attribute__((unused))
#else
#define HTTP_STUB_UNUSED
#endif

/*
 * Reads a request head from |c| into |req| (|cap| bytes) and returns its
 * GET target (inside |req|, NUL-terminated), or NULL for anything else.
 */
static char * HTTP_STUB_UNUSED
http_stub_read_get(int c, char *req, size_t cap)
{
	size_t n = 0;
	ssize_t r;
	char *sp;

	while (n < cap - 1) {
		r = read(c, req + n, cap - 1 - n);
		if (r <= 0) {
			break;
		}
		n += (size_t)r;
		req[n] = '\0';
		if (strstr(req, "\r\n\r\n") != NULL) {
			break;
		}
	}
	req[n] = '\0';
	if (strncmp(req, "GET ", 4) != 0 || (sp = strchr(req + 4, ' ')) ==
	    NULL) {
		return NULL;
	}
	*sp = '\0';
	return req + 4;
}

/* Appends |target| as a line to the request log |log|. */
static void HTTP_STUB_UNUSED
http_stub_log(const char *log, const char *target)
{
	FILE *lf = fopen(log, "a");

	if (lf != NULL) {
		(void)fprintf(lf, "%s\n", target);
		(void)fclose(lf);
	}
}

/*
 * Answers |status| with the header lines |hdrs| (|hlen| bytes, each
 * ending in CRLF; may be empty) and |blen| bytes of |body|.
 */
static void HTTP_STUB_UNUSED
http_stub_reply(int c, int status, const char *hdrs, size_t hlen,
    const uint8_t *body, size_t blen)
{
	char head[256];
	size_t n;
	ssize_t r;

	(void)snprintf(head, sizeof(head), "HTTP/1.1 %d X\r\n"
	    "Content-Length: %zu\r\nConnection: close\r\n", status, blen);
	(void)!write(c, head, strlen(head));
	if (hlen > 0) {
		(void)!write(c, hdrs, hlen);
	}
	(void)!write(c, "\r\n", 2);
	for (n = 0; n < blen; n += (size_t)r) {
		r = write(c, body + n, blen - n);
		if (r <= 0) {
			break;
		}
	}
}

/*
 * Forks the stand-in: every connection goes to |serve|.  Its base URL
 * ("http://127.0.0.1:PORT") goes to |url|; the pid is returned for
 * http_stub_stop.
 */
static pid_t HTTP_STUB_UNUSED
http_stub_start(void (*serve)(int c), char *url, size_t cap)
{
	struct sockaddr_in a;
	socklen_t alen = sizeof(a);
	int s, c, one = 1;
	pid_t pid;

	s = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(s >= 0);
	(void)setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(s, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(s, 16), 0);
	assert_int_equal(getsockname(s, (struct sockaddr *)&a, &alen), 0);
	(void)snprintf(url, cap, "http://127.0.0.1:%u",
	    (unsigned)ntohs(a.sin_port));
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		for (;;) {
			c = accept(s, NULL, NULL);
			if (c >= 0) {
				serve(c);
				(void)close(c);
			}
		}
	}
	(void)close(s);
	return pid;
}

static void HTTP_STUB_UNUSED
http_stub_stop(pid_t pid)
{
	if (pid > 0) {
		(void)kill(pid, SIGTERM);
		(void)waitpid(pid, NULL, 0);
	}
}

#endif
