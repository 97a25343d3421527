/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for lib/util/file.c: bounded reads and atomic writes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/file.h"

static void
test_read_write(void **state)
{
	char dir[] = "/tmp/vouch-test-file-XXXXXX", path[256], cmd[300];
	uint8_t *buf = NULL;
	size_t len = 0;
	struct stat st;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_true(vouch_path_join(path, sizeof(path), dir, "f"));
	assert_int_equal(vouch_file_write(NULL, path, (const uint8_t *)"hello", 5,
	    0600), VOUCH_OK);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(vouch_file_read(NULL, path, 5, &buf, &len), VOUCH_OK);
	assert_int_equal(len, 5);
	assert_memory_equal(buf, "hello", 5);
	assert_int_equal(buf[5], 0);
	free(buf);
	/* Over the limit: refused, nothing returned. */
	assert_int_equal(vouch_file_read(NULL, path, 4, &buf, &len),
	    VOUCH_ERR_TOO_LARGE);
	assert_null(buf);
	/* Replacing keeps the new mode, not the old one. */
	assert_int_equal(vouch_file_write(NULL, path, (const uint8_t *)"x", 1,
	    0644), VOUCH_OK);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	assert_int_equal(vouch_file_read(NULL, path, 100, &buf, &len), VOUCH_OK);
	assert_int_equal(len, 1);
	free(buf);
	/* Empty file, missing file, directory. */
	assert_int_equal(vouch_file_write(NULL, path, (const uint8_t *)"", 0,
	    0600), VOUCH_OK);
	assert_int_equal(vouch_file_read(NULL, path, 100, &buf, &len), VOUCH_OK);
	assert_int_equal(len, 0);
	free(buf);
	assert_true(vouch_path_join(path, sizeof(path), dir, "missing"));
	assert_int_equal(vouch_file_read(NULL, path, 100, &buf, &len),
	    VOUCH_ERR_NOT_FOUND);
	assert_int_equal(vouch_file_read(NULL, dir, 100, &buf, &len), VOUCH_ERR_IO);
	/* A write into a missing directory fails and leaves nothing. */
	assert_true(vouch_path_join(path, sizeof(path), dir, "no/such"));
	assert_int_equal(vouch_file_write(NULL, path, (const uint8_t *)"x", 1,
	    0600), VOUCH_ERR_IO);
	assert_false(vouch_path_join(path, 8, dir, "f"));
	(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_write),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
