/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for lib/catalog.c and lib/report.c: the catalog has distinct
 * codes and lines in the documented shape, exit statuses follow the
 * layer, and vouch_report / vouch_note write what docs/logging.md says
 * for this build's profile (the tests are built with the debug profile;
 * tests/integration/profile_production.sh covers production), rate-limited.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "report.h"
#include "vouch.h"

static void
test_catalog_shape(void **state)
{
	enum vouch_code c, d;
	const char *l, *m;
	size_t i, j, n = 0;

	(void)state;
	for (i = 0; (l = vouch_code_line_at(i, &c)) != NULL; i++) {
		char want[16];

		n++;
		(void)snprintf(want, sizeof(want), "vouch: VC-%d ", (int)c);
		assert_memory_equal(l, want, strlen(want));
		assert_string_equal(vouch_code_line(c), l);
		/* First digit = layer = exit status - 10. */
		assert_int_equal(vouch_code_exit_status(c), 10 + (int)c / 100);
		assert_true((int)c / 100 >= 1 && (int)c / 100 <= 4);
		assert_null(strchr(l, '\n'));
		assert_non_null(strstr(l + strlen(want), ": "));
		for (j = i + 1; (m = vouch_code_line_at(j, &d)) != NULL; j++) {
			assert_int_not_equal(c, d);
			assert_string_not_equal(l, m);
		}
	}
	assert_true(n >= 20);
	assert_null(vouch_code_line((enum vouch_code)999));
	assert_null(vouch_code_line((enum vouch_code)0));
	assert_int_equal(vouch_code_exit_status((enum vouch_code)999), 14);
}

/* Run |fn| with stderr (or stdout) going to a temp file; its bytes out. */
static char *
capture(int fd, void (*fn)(void *), void *arg)
{
	char path[] = "/tmp/vouch-test-catalog-XXXXXX", *buf;
	int t = mkstemp(path), saved;
	long len;
	FILE *f;

	assert_true(t >= 0);
	saved = dup(fd);
	assert_true(saved >= 0);
	assert_int_equal(dup2(t, fd), fd);
	fn(arg);
	assert_int_equal(dup2(saved, fd), fd);
	close(saved);
	close(t);
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)len + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	unlink(path);
	return buf;
}

static void
report_connect(void *arg)
{
	(void)arg;
	vouch_report(NULL, VOUCH_C_RT_CONNECT, "peer %s:%d refused\n\x1b[31m",
	    "10.0.0.1", 443);
}

static void
report_plain(void *arg)
{
	(void)arg;
	vouch_report(NULL, VOUCH_C_APP_INPUT, NULL);
	vouch_report(NULL, (enum vouch_code)12345, "%s", "");
}

static void
test_report_debug_profile(void **state)
{
	char *out;

	(void)state;
	report_rate_reset();
	assert_string_equal(vouch_profile(), "debug");
	out = capture(STDERR_FILENO, report_connect, NULL);
	/* debug: the line, then the detail with control bytes scrubbed. */
	assert_string_equal(out, "vouch: VC-302 channel: cannot reach peer: "
	    "peer 10.0.0.1:443 refused??[31m\n");
	free(out);
	out = capture(STDERR_FILENO, report_plain, NULL);
	/* No detail: the bare line; an unknown code is the generic failure. */
	assert_string_equal(out, "vouch: VC-401 app: invalid input data\n"
	    "vouch: VC-404 app: operation failed\n");
	free(out);
}

static void
report_many(void *arg)
{
	int i;

	for (i = 0; i < *(int *)arg; i++) {
		vouch_report(NULL, VOUCH_C_RT_CHANNEL_IO, NULL);
	}
}

static void
test_report_rate_limit(void **state)
{
	const char *line = "vouch: VC-304 channel: channel transfer failed\n";
	const char *sup = "vouch: VC-309 report: further reports suppressed\n";
	char *out, *p;
	int n = 50, lines = 0, sups = 0;

	(void)state;
	report_rate_reset();
	out = capture(STDERR_FILENO, report_many, &n);
	for (p = out; *p != '\0'; p = strchr(p, '\n') + 1) {
		if (strncmp(p, line, strlen(line)) == 0) {
			lines++;
		} else {
			assert_memory_equal(p, sup, strlen(sup));
			sups++;
			/* The marker comes once, right after the burst. */
			assert_int_equal(lines, REPORT_BURST);
		}
	}
	/* 50 calls in well under a second: the burst, maybe one refill. */
	assert_true(lines >= REPORT_BURST && lines <= REPORT_BURST + 1);
	assert_int_equal(sups, 1);
	free(out);
}

static void
note_one(void *arg)
{
	(void)arg;
	vouch_note(NULL, "owner %d sent %d rows", 2, 17);
}

static void
test_note_debug(void **state)
{
	char *out;

	(void)state;
	out = capture(STDOUT_FILENO, note_one, NULL);
	assert_string_equal(out, "owner 2 sent 17 rows\n");
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_catalog_shape),
		cmocka_unit_test(test_report_debug_profile),
		cmocka_unit_test(test_report_rate_limit),
		cmocka_unit_test(test_note_debug),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
