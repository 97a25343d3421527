/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What a workload tells its host (DESIGN §10, docs/logging.md): catalog
 * lines only, rate-limited, in the staging and production profiles; the
 * detail goes into the tenant's sealed log.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "report.h"
#include "vouch.h"
#include "vouch/catalog.h"

/* Longest detail kept (the rest is cut; it goes to the sealed log only). */
#define REPORT_DETAIL_MAX	1024
/* Token bucket for host lines: a burst, then one line per interval. */
#define REPORT_INTERVAL_NS	1000000000LL

static pthread_mutex_t rl_lock = PTHREAD_MUTEX_INITIALIZER;
static long long rl_tokens = REPORT_BURST;
static long long rl_last_ns;
static bool rl_suppressing;

void
report_rate_reset(void)
{
	(void)pthread_mutex_lock(&rl_lock);
	rl_tokens = REPORT_BURST;
	rl_last_ns = 0;
	rl_suppressing = false;
	(void)pthread_mutex_unlock(&rl_lock);
}

static bool
profile_is_quiet(void)
{
	const char *p = vouch_profile();

	return strcmp(p, "staging") == 0 || strcmp(p, "production") == 0;
}

static long long
mono_ns(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* One line to |fd| in one write(2), so lines never interleave. */
static void
write_line(int fd, const char *s, size_t n)
{
	ssize_t w;

	do {
		w = write(fd, s, n);
	} while (w < 0 && errno == EINTR);
}

/*
 * The token bucket: true if a line may go out now.  The first refusal
 * after an allowed line prints the "suppressed" entry (free of charge),
 * later ones print nothing until a token is back.
 */
static bool
rate_allow(bool *announce_suppressed)
{
	long long now = mono_ns(), gained;
	bool ok;

	*announce_suppressed = false;
	(void)pthread_mutex_lock(&rl_lock);
	if (rl_last_ns == 0) {
		rl_last_ns = now;
	}
	gained = (now - rl_last_ns) / REPORT_INTERVAL_NS;
	if (gained > 0) {
		rl_tokens = rl_tokens + gained > REPORT_BURST ? REPORT_BURST :
		    rl_tokens + gained;
		rl_last_ns += gained * REPORT_INTERVAL_NS;
	}
	ok = rl_tokens > 0;
	if (ok) {
		rl_tokens--;
		rl_suppressing = false;
	} else if (!rl_suppressing) {
		rl_suppressing = true;
		*announce_suppressed = true;
	}
	(void)pthread_mutex_unlock(&rl_lock);
	return ok;
}

/* Control characters and non-ASCII become '?': the detail is free text. */
static void
scrub(char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c >= 0x7f) {
			*s = '?';
		}
	}
}

void
vouch_report(struct vouch_log *log, enum vouch_code code, const char *fmt, ...)
{
	const char *cline = vouch_code_line(code);
	char detail[REPORT_DETAIL_MAX], line[REPORT_DETAIL_MAX + 128];
	bool suppressed;
	va_list ap;
	int n;

	if (cline == NULL) {
		cline = vouch_code_line(VOUCH_C_APP_FAILED);
	}
	detail[0] = '\0';
	if (fmt != NULL) {
		va_start(ap, fmt);
		(void)vsnprintf(detail, sizeof(detail), fmt, ap);
		va_end(ap);
	}
	/* The tenant gets everything, in the sealed stream. */
	if (log != NULL &&
	    vouch_log(log, VOUCH_LOG_ERROR, "%s: %s", cline, detail) != VOUCH_OK) {
		cline = vouch_code_line(VOUCH_C_RT_LOG);
	}
	if (!rate_allow(&suppressed)) {
		if (suppressed) {
			const char *s = vouch_code_line(VOUCH_C_RT_SUPPRESSED);

			n = snprintf(line, sizeof(line), "%s\n", s);
			write_line(STDERR_FILENO, line, (size_t)n);
		}
		vouch_wipe(detail, sizeof(detail));
		return;
	}
	if (profile_is_quiet() || detail[0] == '\0') {
		n = snprintf(line, sizeof(line), "%s\n", cline);
	} else {
		scrub(detail);
		n = snprintf(line, sizeof(line), "%s: %s\n", cline, detail);
	}
	if (n > 0) {
		write_line(STDERR_FILENO, line,
		    (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
	}
	vouch_wipe(detail, sizeof(detail));
	vouch_wipe(line, sizeof(line));
}

void
vouch_note(struct vouch_log *log, const char *fmt, ...)
{
	char msg[REPORT_DETAIL_MAX + 1];
	va_list ap;
	int n;

	if (fmt == NULL) {
		return;
	}
	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg) - 1, fmt, ap);
	va_end(ap);
	if (n < 0) {
		return;
	}
	if (log != NULL) {
		(void)vouch_log(log, VOUCH_LOG_INFO, "%s", msg);
	}
	if (!profile_is_quiet()) {
		scrub(msg);
		n = (int)strlen(msg);
		msg[n++] = '\n';
		write_line(STDOUT_FILENO, msg, (size_t)n);
	}
	vouch_wipe(msg, sizeof(msg));
}
