/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for daemon/store_sqlite.c: every operation with its failure
 * cases, several handles on one directory (as several vouchd processes
 * would have), a forked process racing for the same nonces, and an audit
 * log edited behind the store's back.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "bs/bs.h"
#include "crypto/crypto.h"
#include "store.h"
#include "util/file.h"

#define NOW		1800000000
#define RACE_NONCES	50

struct fixture {
	char			 dir[64];
	char			 db[128];
	struct vouch_ctx	*ctx;
	struct store		*s;
};

static struct fixture F;
static const struct store_ops *ops = &store_sqlite_ops;

static void
rmtree(const char *dir)
{
	char cmd[256];

	(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static int
setup(void **state)
{
	(void)state;
	memset(&F, 0, sizeof(F));
	(void)snprintf(F.dir, sizeof(F.dir), "/tmp/vouch-test-store-XXXXXX");
	assert_non_null(mkdtemp(F.dir));
	(void)snprintf(F.db, sizeof(F.db), "%s/vouchd.db", F.dir);
	F.ctx = vouch_ctx_new();
	assert_non_null(F.ctx);
	assert_int_equal(ops->open(F.ctx, F.dir, &F.s), VOUCH_OK);
	assert_non_null(F.s);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	ops->close(F.s);
	vouch_ctx_free(F.ctx);
	rmtree(F.dir);
	return 0;
}

/* A second handle on the fixture's directory, as another process has. */
static struct store *
open_other(void)
{
	struct store *s = NULL;

	assert_int_equal(ops->open(F.ctx, F.dir, &s), VOUCH_OK);
	assert_non_null(s);
	return s;
}

/* Change the database directly, as someone with the file could. */
static void
raw_exec(const char *sql)
{
	sqlite3 *db = NULL;
	char *err = NULL;

	assert_int_equal(sqlite3_open_v2(F.db, &db, SQLITE_OPEN_READWRITE,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_busy_timeout(db, 5000), SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
		fail_msg("raw sql failed: %s", err != NULL ? err : "?");
	}
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

static int64_t
raw_int(const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int64_t v;

	assert_int_equal(sqlite3_open_v2(F.db, &db, SQLITE_OPEN_READONLY, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	assert_int_equal(sqlite3_finalize(st), SQLITE_OK);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
	return v;
}

static void
make_nonce(uint8_t n[STORE_NONCE_BYTES], uint8_t tag)
{
	memset(n, 0x5a, STORE_NONCE_BYTES);
	n[0] = tag;
}

static void
test_nonce_consumed_once(void **state)
{
	uint8_t n[STORE_NONCE_BYTES];

	(void)state;
	make_nonce(n, 1);
	assert_int_equal(ops->nonce_put(F.ctx, F.s, n, NOW + 60), VOUCH_OK);
	assert_int_equal(ops->nonce_consume(F.ctx, F.s, n, NOW), VOUCH_OK);
	assert_int_equal(ops->nonce_consume(F.ctx, F.s, n, NOW),
	    VOUCH_ERR_NONCE_INVALID);
	assert_int_equal(vouch_error_code(F.ctx), VOUCH_ERR_NONCE_INVALID);
	/* A nonce is unique while it lives. */
	make_nonce(n, 2);
	assert_int_equal(ops->nonce_put(F.ctx, F.s, n, NOW + 60), VOUCH_OK);
	assert_int_equal(ops->nonce_put(F.ctx, F.s, n, NOW + 60),
	    VOUCH_ERR_STORE);
	assert_non_null(strstr(vouch_error(F.ctx), "sqlite"));
}

static void
test_nonce_expired(void **state)
{
	uint8_t a[STORE_NONCE_BYTES], b[STORE_NONCE_BYTES];

	(void)state;
	make_nonce(a, 1);
	make_nonce(b, 2);
	assert_int_equal(ops->nonce_put(F.ctx, F.s, a, NOW), VOUCH_OK);
	assert_int_equal(ops->nonce_put(F.ctx, F.s, b, NOW + 1), VOUCH_OK);
	/* Valid while expires > now: the boundary second is already late. */
	assert_int_equal(ops->nonce_consume(F.ctx, F.s, a, NOW),
	    VOUCH_ERR_NONCE_INVALID);
	assert_int_equal(ops->nonce_consume(F.ctx, F.s, b, NOW + 1),
	    VOUCH_ERR_NONCE_INVALID);
	assert_int_equal(ops->nonce_consume(F.ctx, F.s, b, NOW), VOUCH_OK);
	/* The refused, expired one is still there only for purge. */
	assert_int_equal(raw_int("SELECT COUNT(*) FROM nonces"), 1);
}

static void
test_nonce_unknown(void **state)
{
	uint8_t a[STORE_NONCE_BYTES], b[STORE_NONCE_BYTES];

	(void)state;
	make_nonce(a, 1);
	make_nonce(b, 2);
	assert_int_equal(ops->nonce_consume(F.ctx, F.s, a, NOW),
	    VOUCH_ERR_NONCE_INVALID);
	assert_int_equal(ops->nonce_put(F.ctx, F.s, a, NOW + 60), VOUCH_OK);
	/* Differs from a stored nonce in one byte. */
	assert_int_equal(ops->nonce_consume(F.ctx, F.s, b, NOW),
	    VOUCH_ERR_NONCE_INVALID);
	assert_int_equal(ops->nonce_consume(F.ctx, F.s, a, NOW), VOUCH_OK);
}

static void
test_nonce_purge(void **state)
{
	uint8_t a[STORE_NONCE_BYTES], b[STORE_NONCE_BYTES], c[STORE_NONCE_BYTES];

	(void)state;
	make_nonce(a, 1);
	make_nonce(b, 2);
	make_nonce(c, 3);
	assert_int_equal(ops->nonce_put(F.ctx, F.s, a, NOW - 10), VOUCH_OK);
	assert_int_equal(ops->nonce_put(F.ctx, F.s, b, NOW), VOUCH_OK);
	assert_int_equal(ops->nonce_put(F.ctx, F.s, c, NOW + 10), VOUCH_OK);
	assert_int_equal(ops->nonce_purge(F.ctx, F.s, NOW), VOUCH_OK);
	assert_int_equal(raw_int("SELECT COUNT(*) FROM nonces"), 1);
	/* Gone even when asked with an earlier clock. */
	assert_int_equal(ops->nonce_consume(F.ctx, F.s, a, NOW - 20),
	    VOUCH_ERR_NONCE_INVALID);
	assert_int_equal(ops->nonce_consume(F.ctx, F.s, b, NOW - 20),
	    VOUCH_ERR_NONCE_INVALID);
	assert_int_equal(ops->nonce_consume(F.ctx, F.s, c, NOW), VOUCH_OK);
	assert_int_equal(ops->nonce_purge(F.ctx, F.s, NOW), VOUCH_OK);
}

static void
test_nonce_two_handles(void **state)
{
	struct store *other = open_other();
	uint8_t n[STORE_NONCE_BYTES], m[STORE_NONCE_BYTES];

	(void)state;
	make_nonce(n, 1);
	make_nonce(m, 2);
	assert_int_equal(ops->nonce_put(F.ctx, F.s, n, NOW + 60), VOUCH_OK);
	assert_int_equal(ops->nonce_put(F.ctx, other, m, NOW + 60), VOUCH_OK);
	assert_int_equal(ops->nonce_consume(F.ctx, other, n, NOW), VOUCH_OK);
	assert_int_equal(ops->nonce_consume(F.ctx, F.s, n, NOW),
	    VOUCH_ERR_NONCE_INVALID);
	assert_int_equal(ops->nonce_consume(F.ctx, F.s, m, NOW), VOUCH_OK);
	assert_int_equal(ops->nonce_consume(F.ctx, other, m, NOW),
	    VOUCH_ERR_NONCE_INVALID);
	ops->close(other);
}

/* Spin until the monotonic clock, shared by all processes, reaches |at|. */
static void
wait_until(const struct timespec *at)
{
	struct timespec now;

	do {
		(void)clock_gettime(CLOCK_MONOTONIC, &now);
	} while (now.tv_sec < at->tv_sec ||
	    (now.tv_sec == at->tv_sec && now.tv_nsec < at->tv_nsec));
}

/*
 * Open a store, then consume every nonce in order from |start| on; the
 * count that succeeded, or -1 on any other error.
 */
static int
race(const struct timespec *start, uint8_t nonces[RACE_NONCES][STORE_NONCE_BYTES])
{
	struct vouch_ctx *ctx = vouch_ctx_new();
	struct store *s = NULL;
	enum vouch_err rv;
	int i, ok = -1;

	if (ctx == NULL || ops->open(ctx, F.dir, &s) != VOUCH_OK) {
		goto out;
	}
	wait_until(start);
	for (ok = 0, i = 0; i < RACE_NONCES; i++) {
		rv = ops->nonce_consume(ctx, s, nonces[i], NOW);
		if (rv == VOUCH_OK) {
			ok++;
		} else if (rv != VOUCH_ERR_NONCE_INVALID) {
			ok = -1;
			break;
		}
	}
 out:
	ops->close(s);
	vouch_ctx_free(ctx);
	return ok;
}

/*
 * Two processes race for the same 50 nonces, in the same order, from the
 * same instant: every nonce is consumed exactly once in total.
 */
static void
test_nonce_race_processes(void **state)
{
	uint8_t nonces[RACE_NONCES][STORE_NONCE_BYTES];
	struct timespec start;
	int status = 0, ok, child_ok = -1, fds[2], i;
	pid_t pid;

	(void)state;
	for (i = 0; i < RACE_NONCES; i++) {
		make_nonce(nonces[i], (uint8_t)i);
		nonces[i][1] = 0x77;
		assert_int_equal(ops->nonce_put(F.ctx, F.s, nonces[i], NOW + 60),
		    VOUCH_OK);
	}
	/* A connection must not cross fork(): each side opens its own. */
	ops->close(F.s);
	F.s = NULL;
	/* Time enough for both to open their store, even under valgrind. */
	assert_int_equal(clock_gettime(CLOCK_MONOTONIC, &start), 0);
	start.tv_nsec += 500000000L;
	if (start.tv_nsec >= 1000000000L) {
		start.tv_sec++;
		start.tv_nsec -= 1000000000L;
	}
	/* The child's count comes back through a pipe, its status is 0. */
	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		(void)close(fds[0]);
		ok = race(&start, nonces);
		vouch_ctx_free(F.ctx);
		_exit(write(fds[1], &ok, sizeof(ok)) == (ssize_t)sizeof(ok) ?
		    0 : 1);
	}
	(void)close(fds[1]);
	ok = race(&start, nonces);
	assert_int_equal(read(fds[0], &child_ok, sizeof(child_ok)),
	    sizeof(child_ok));
	(void)close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_true(ok >= 0);
	assert_true(child_ok >= 0);
	print_message("race: parent %d, child %d\n", ok, child_ok);
	assert_int_equal(ok + child_ok, RACE_NONCES);
	assert_int_equal(raw_int("SELECT COUNT(*) FROM nonces"), 0);
	F.s = open_other();
}

/*
 * cert_record_audited: both rows or neither.  A duplicate serial leaves
 * the audit chain as it was; an event that is not an object leaves the
 * certificate out.
 */
static void
test_cert_record_audited(void **state)
{
	struct store_cert c = {
		.serial = "00112233445566778899aabbccddeeff",
		.issued_at = NOW,
		.not_after = NOW + 3600,
		.platform = "sim",
		.measurement = NULL,
		.measurement_len = 0,
		.policy_version = 1,
		.pem = "-----BEGIN CERTIFICATE-----\n...\n-----END CERTIFICATE-----\n",
	};
	json_t *e = json_pack("{s:s}", "type", "certify");
	json_t *notobj = json_string("x");
	uint64_t seq = 0, n = 0, count = 0, bad = 0;

	(void)state;
	assert_non_null(e);
	assert_int_equal(ops->cert_record_audited(F.ctx, F.s, &c, NOW, e, &seq),
	    VOUCH_OK);
	assert_int_equal(seq, 1);
	assert_int_equal(ops->cert_exists(F.ctx, F.s, c.serial), VOUCH_OK);
	assert_int_equal(raw_int("SELECT COUNT(*) FROM audit"), 1);
	/* The same serial again: neither row. */
	assert_int_equal(ops->cert_record_audited(F.ctx, F.s, &c, NOW, e, &seq),
	    VOUCH_ERR_STORE);
	assert_int_equal(seq, 0);
	assert_int_equal(raw_int("SELECT COUNT(*) FROM audit"), 1);
	/* A bad event: the certificate is not kept either. */
	(void)snprintf(c.serial, sizeof(c.serial), "ab");
	assert_int_not_equal(ops->cert_record_audited(F.ctx, F.s, &c, NOW,
	    notobj, NULL), VOUCH_OK);
	assert_int_equal(ops->cert_exists(F.ctx, F.s, "ab"), VOUCH_ERR_NOT_FOUND);
	assert_int_equal(ops->cert_count(F.ctx, F.s, &n), VOUCH_OK);
	assert_int_equal(n, 1);
	/* And the chain still verifies; the next append follows on. */
	assert_int_equal(ops->cert_record_audited(F.ctx, F.s, &c, NOW + 1, e,
	    &seq), VOUCH_OK);
	assert_int_equal(seq, 2);
	assert_int_equal(ops->audit_verify(F.ctx, F.s, &count, &bad), VOUCH_OK);
	assert_int_equal(count, 2);
	json_decref(e);
	json_decref(notobj);
}

static void
test_cert_record(void **state)
{
	static const uint8_t meas[48] = { 1, 2, 3 };
	struct store_cert c = {
		.serial = "0123456789abcdef0123456789abcdef",
		.issued_at = NOW,
		.not_after = NOW + 3600,
		.platform = "sim",
		.measurement = meas,
		.measurement_len = sizeof(meas),
		.policy_version = 2,
		.pem = "-----BEGIN CERTIFICATE-----\n...\n-----END CERTIFICATE-----\n",
	};
	struct store *other = open_other();
	uint64_t n = 99;

	(void)state;
	assert_int_equal(ops->cert_count(F.ctx, F.s, &n), VOUCH_OK);
	assert_int_equal(n, 0);
	assert_int_equal(ops->cert_exists(F.ctx, F.s, c.serial),
	    VOUCH_ERR_NOT_FOUND);
	assert_int_equal(ops->cert_record(F.ctx, F.s, &c), VOUCH_OK);
	/* Visible to another process as soon as it returns. */
	assert_int_equal(ops->cert_exists(F.ctx, other, c.serial), VOUCH_OK);
	assert_int_equal(ops->cert_record(F.ctx, other, &c), VOUCH_ERR_STORE);
	(void)snprintf(c.serial, sizeof(c.serial), "ff");
	c.measurement = NULL;
	c.measurement_len = 0;
	assert_int_equal(ops->cert_record(F.ctx, other, &c), VOUCH_OK);
	assert_int_equal(ops->cert_count(F.ctx, F.s, &n), VOUCH_OK);
	assert_int_equal(n, 2);
	assert_int_equal(ops->cert_exists(F.ctx, F.s, "ff"), VOUCH_OK);
	assert_int_equal(ops->cert_exists(F.ctx, F.s, "fe"), VOUCH_ERR_NOT_FOUND);
	assert_int_equal(ops->cert_exists(F.ctx, F.s, "FF"), VOUCH_ERR_NOT_FOUND);
	assert_int_equal(raw_int("SELECT length(measurement) FROM certs"
	    " WHERE serial = '0123456789abcdef0123456789abcdef'"), 48);
	/* Malformed serials and missing fields are refused. */
	(void)snprintf(c.serial, sizeof(c.serial), "FF");
	assert_int_equal(ops->cert_record(F.ctx, F.s, &c),
	    VOUCH_ERR_INVALID_ARGUMENT);
	c.serial[0] = '\0';
	assert_int_equal(ops->cert_record(F.ctx, F.s, &c),
	    VOUCH_ERR_INVALID_ARGUMENT);
	(void)snprintf(c.serial, sizeof(c.serial), "'; DROP TABLE certs; --");
	assert_int_equal(ops->cert_record(F.ctx, F.s, &c),
	    VOUCH_ERR_INVALID_ARGUMENT);
	(void)snprintf(c.serial, sizeof(c.serial), "aa");
	c.pem = NULL;
	assert_int_equal(ops->cert_record(F.ctx, F.s, &c),
	    VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(ops->cert_count(F.ctx, F.s, &n), VOUCH_OK);
	assert_int_equal(n, 2);
	ops->close(other);
}

static void
test_policy_versions(void **state)
{
	static const uint8_t p1[] = "policy one", p2[] = "policy two";
	struct store *other = open_other();
	json_t *list = NULL;
	static uint8_t junk[1];
	uint8_t *buf = junk;
	size_t len = 1;
	int64_t v = 7;

	(void)state;
	assert_int_equal(ops->policy_current(F.ctx, F.s, &v, &buf, &len),
	    VOUCH_ERR_NOT_FOUND);
	assert_null(buf);
	assert_int_equal(len, 0);
	assert_int_equal(ops->policy_put(F.ctx, F.s, 1, p1, sizeof(p1), NOW),
	    VOUCH_OK);
	assert_int_equal(ops->policy_put(F.ctx, other, 2, p2, sizeof(p2),
	    NOW + 5), VOUCH_OK);
	assert_int_equal(ops->policy_put(F.ctx, F.s, 2, p1, sizeof(p1), NOW),
	    VOUCH_ERR_POLICY_ROLLBACK);
	assert_int_equal(ops->policy_put(F.ctx, other, 1, p1, sizeof(p1), NOW),
	    VOUCH_ERR_POLICY_ROLLBACK);
	assert_int_equal(ops->policy_put(F.ctx, F.s, 0, p1, sizeof(p1), NOW),
	    VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(ops->policy_put(F.ctx, F.s, 3, p1, 0, NOW),
	    VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(ops->policy_put(F.ctx, F.s, 3, p1,
	    STORE_POLICY_MAX_BYTES + 1, NOW), VOUCH_ERR_TOO_LARGE);
	assert_int_equal(ops->policy_current(F.ctx, F.s, &v, &buf, &len),
	    VOUCH_OK);
	assert_int_equal(v, 2);
	assert_int_equal(len, sizeof(p2));
	assert_memory_equal(buf, p2, sizeof(p2));
	free(buf);
	assert_int_equal(ops->policy_list(F.ctx, other, &list), VOUCH_OK);
	assert_true(json_is_array(list));
	assert_int_equal(json_array_size(list), 2);
	assert_int_equal(json_integer_value(json_object_get(
	    json_array_get(list, 0), "version")), 1);
	assert_int_equal(json_integer_value(json_object_get(
	    json_array_get(list, 0), "stored_at")), NOW);
	assert_int_equal(json_integer_value(json_object_get(
	    json_array_get(list, 1), "version")), 2);
	assert_int_equal(json_integer_value(json_object_get(
	    json_array_get(list, 1), "stored_at")), NOW + 5);
	assert_int_equal(json_object_size(json_array_get(list, 1)), 2);
	json_decref(list);
	/* Versions may skip; the refused attempts left nothing behind. */
	assert_int_equal(ops->policy_put(F.ctx, F.s, 10, p1, sizeof(p1), NOW),
	    VOUCH_OK);
	assert_int_equal(raw_int("SELECT COUNT(*) FROM policies"), 3);
	ops->close(other);
}

static void
append_event(struct store *s, int64_t time, int i, uint64_t want_seq)
{
	json_t *ev = json_pack("{s:s, s:i}", "type", "test", "n", i);
	uint64_t seq = 0;

	assert_non_null(ev);
	assert_int_equal(ops->audit_append(F.ctx, s, time, ev, &seq), VOUCH_OK);
	assert_int_equal(seq, want_seq);
	json_decref(ev);
}

/* Five records through two handles, interleaved. */
static void
append_five(void)
{
	struct store *other = open_other();
	int i;

	for (i = 1; i <= 5; i++) {
		append_event(i % 2 == 0 ? other : F.s, NOW + i, i, (uint64_t)i);
	}
	ops->close(other);
}

static void
expect_verify(uint64_t want_count, uint64_t want_bad)
{
	uint64_t count = 77, bad = 77;

	assert_int_equal(ops->audit_verify(F.ctx, F.s, &count, &bad),
	    want_bad == 0 ? VOUCH_OK : VOUCH_ERR_STORE);
	assert_int_equal(count, want_count);
	assert_int_equal(bad, want_bad);
}

static void
test_audit_append_list_verify(void **state)
{
	json_t *list = NULL, *rec;
	struct store *other;
	uint64_t seq = 0;
	size_t i;

	(void)state;
	expect_verify(0, 0);
	assert_int_equal(ops->audit_list(F.ctx, F.s, 0, 10, &list), VOUCH_OK);
	assert_int_equal(json_array_size(list), 0);
	json_decref(list);
	append_five();
	other = open_other();
	assert_int_equal(ops->audit_list(F.ctx, other, 2, 100, &list), VOUCH_OK);
	assert_int_equal(json_array_size(list), 3);
	json_array_foreach(list, i, rec) {
		assert_int_equal(json_object_size(rec), 4);
		assert_int_equal(json_integer_value(json_object_get(rec, "seq")),
		    (json_int_t)i + 3);
		assert_int_equal(json_integer_value(json_object_get(rec, "time")),
		    NOW + (json_int_t)i + 3);
		assert_string_equal(json_string_value(json_object_get(
		    json_object_get(rec, "event"), "type")), "test");
		assert_int_equal(json_integer_value(json_object_get(
		    json_object_get(rec, "event"), "n")), (json_int_t)i + 3);
		assert_int_equal(strlen(json_string_value(json_object_get(rec,
		    "hash"))), 64);
	}
	json_decref(list);
	assert_int_equal(ops->audit_list(F.ctx, F.s, 1, 2, &list), VOUCH_OK);
	assert_int_equal(json_array_size(list), 2);
	assert_int_equal(json_integer_value(json_object_get(
	    json_array_get(list, 1), "seq")), 3);
	json_decref(list);
	assert_int_equal(ops->audit_list(F.ctx, F.s, 5, 10, &list), VOUCH_OK);
	assert_int_equal(json_array_size(list), 0);
	json_decref(list);
	assert_int_equal(ops->audit_list(F.ctx, F.s, 0, 0, &list), VOUCH_OK);
	assert_int_equal(json_array_size(list), 0);
	json_decref(list);
	assert_int_equal(ops->audit_list(F.ctx, F.s, UINT64_MAX, 10, &list),
	    VOUCH_OK);
	assert_int_equal(json_array_size(list), 0);
	json_decref(list);
	expect_verify(5, 0);
	/* Only objects are events; time is not negative. */
	list = json_array();
	assert_int_equal(ops->audit_append(F.ctx, F.s, NOW, list, &seq),
	    VOUCH_ERR_INVALID_ARGUMENT);
	json_decref(list);
	list = json_object();
	assert_int_equal(ops->audit_append(F.ctx, F.s, -1, list, &seq),
	    VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(ops->audit_append(F.ctx, other, NOW, list, &seq),
	    VOUCH_OK);
	assert_int_equal(seq, 6);
	json_decref(list);
	expect_verify(6, 0);
	ops->close(other);
}

/* The chain as documented, computed here independently of the store. */
static void
test_audit_hash_definition(void **state)
{
	static const char text1[] = "{\"a\":\"x\",\"b\":[1,2],\"c\":{\"d\":true}}";
	static const char text2[] = "{}";
	uint8_t buf[48 + sizeof(text1)], h1[32], h2[32];
	char hex[65];
	json_t *ev, *list = NULL;
	size_t i;

	(void)state;
	ev = json_pack("{s:{s:b}, s:[i,i], s:s}", "c", "d", 1, "b", 1, 2,
	    "a", "x");
	assert_non_null(ev);
	assert_int_equal(ops->audit_append(F.ctx, F.s, 0x0102030405, ev, NULL),
	    VOUCH_OK);
	json_decref(ev);
	ev = json_object();
	assert_int_equal(ops->audit_append(F.ctx, F.s, NOW, ev, NULL), VOUCH_OK);
	json_decref(ev);

	memset(buf, 0, sizeof(buf));
	buf[32 + 7] = 1;
	for (i = 0; i < 8; i++) {
		buf[40 + i] = (uint8_t)((uint64_t)0x0102030405 >> (56 - 8 * i));
	}
	memcpy(buf + 48, text1, strlen(text1));
	vouch_sha256(buf, 48 + strlen(text1), h1);
	memcpy(buf, h1, 32);
	memset(buf + 32, 0, 16);
	buf[32 + 7] = 2;
	for (i = 0; i < 8; i++) {
		buf[40 + i] = (uint8_t)((uint64_t)NOW >> (56 - 8 * i));
	}
	memcpy(buf + 48, text2, strlen(text2));
	vouch_sha256(buf, 48 + strlen(text2), h2);

	assert_int_equal(ops->audit_list(F.ctx, F.s, 0, 10, &list), VOUCH_OK);
	assert_int_equal(json_array_size(list), 2);
	assert_true(vouch_hex_encode(h1, 32, hex, sizeof(hex)));
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(list, 0), "hash")), hex);
	assert_true(vouch_hex_encode(h2, 32, hex, sizeof(hex)));
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(list, 1), "hash")), hex);
	json_decref(list);
	/* Stored as the compact sorted text, linked by prev_hash. */
	assert_int_equal(raw_int("SELECT event = '{\"a\":\"x\",\"b\":[1,2],"
	    "\"c\":{\"d\":true}}' FROM audit WHERE seq = 1"), 1);
	assert_int_equal(raw_int("SELECT prev_hash = zeroblob(32) FROM audit"
	    " WHERE seq = 1"), 1);
	assert_int_equal(raw_int("SELECT b.prev_hash = a.hash FROM audit a,"
	    " audit b WHERE a.seq = 1 AND b.seq = 2"), 1);
	expect_verify(2, 0);
}

static void
test_audit_list_page_max(void **state)
{
	json_t *list = NULL;

	(void)state;
	/* Bulk rows straight into the table; list does not check the chain. */
	raw_exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1"
	    " FROM n WHERE i < 1005)"
	    " INSERT INTO audit (seq, time, event, prev_hash, hash)"
	    " SELECT i, i, '{\"i\":' || i || '}', zeroblob(32), zeroblob(32)"
	    " FROM n");
	assert_int_equal(ops->audit_list(F.ctx, F.s, 0, SIZE_MAX, &list),
	    VOUCH_OK);
	assert_int_equal(json_array_size(list), STORE_AUDIT_PAGE_MAX);
	json_decref(list);
	assert_int_equal(ops->audit_list(F.ctx, F.s, 1000, SIZE_MAX, &list),
	    VOUCH_OK);
	assert_int_equal(json_array_size(list), 5);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
	    json_array_get(list, 4), "event"), "i")), 1005);
	json_decref(list);
	/* The hashes are zeros, not the chain. */
	expect_verify(0, 1);
}

static void
test_audit_tampered_event(void **state)
{
	json_t *list = NULL;

	(void)state;
	append_five();
	raw_exec("UPDATE audit SET event = '{\"n\":3,\"type\":\"nothing\"}'"
	    " WHERE seq = 3");
	expect_verify(2, 3);
	assert_int_equal(vouch_error_code(F.ctx), VOUCH_ERR_STORE);
	assert_non_null(strstr(vouch_error(F.ctx), "record 3"));
	/* Still listed: the log shows what it holds, verify judges it. */
	assert_int_equal(ops->audit_list(F.ctx, F.s, 0, 10, &list), VOUCH_OK);
	assert_int_equal(json_array_size(list), 5);
	json_decref(list);
	/* Editing time is caught as well. */
	raw_exec("UPDATE audit SET event = '{\"n\":3,\"type\":\"test\"}',"
	    " time = time + 1 WHERE seq = 3");
	expect_verify(2, 3);
	raw_exec("UPDATE audit SET time = time - 1 WHERE seq = 3");
	expect_verify(5, 0);
}

/* Rewriting a record's hash to match the edit breaks the next link. */
static void
test_audit_tampered_rehashed(void **state)
{
	uint8_t buf[256], h[32];
	char hex[65], sql[256];
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	static const char text[] = "{\"n\":3,\"type\":\"forged\"}";
	size_t i;

	(void)state;
	append_five();
	assert_int_equal(sqlite3_open_v2(F.db, &db, SQLITE_OPEN_READONLY, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT prev_hash FROM audit"
	    " WHERE seq = 3", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_bytes(st, 0), 32);
	memcpy(buf, sqlite3_column_blob(st, 0), 32);
	assert_int_equal(sqlite3_finalize(st), SQLITE_OK);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
	memset(buf + 32, 0, 16);
	buf[32 + 7] = 3;
	for (i = 0; i < 8; i++) {
		buf[40 + i] = (uint8_t)((uint64_t)(NOW + 3) >> (56 - 8 * i));
	}
	memcpy(buf + 48, text, strlen(text));
	vouch_sha256(buf, 48 + strlen(text), h);
	assert_true(vouch_hex_encode(h, 32, hex, sizeof(hex)));
	(void)snprintf(sql, sizeof(sql), "UPDATE audit SET event = '%s',"
	    " hash = X'%s' WHERE seq = 3", text, hex);
	raw_exec(sql);
	expect_verify(3, 4);
	assert_non_null(strstr(vouch_error(F.ctx), "record 4"));
}

static void
test_audit_deleted_record(void **state)
{
	uint64_t seq = 0;
	json_t *ev;

	(void)state;
	append_five();
	raw_exec("DELETE FROM audit WHERE seq = 3");
	expect_verify(2, 3);
	/* Renumbering to close the gap breaks the chain instead. */
	raw_exec("UPDATE audit SET seq = seq - 1 WHERE seq > 3");
	expect_verify(2, 3);
	/* A corrupt first record. */
	raw_exec("UPDATE audit SET hash = X'00' WHERE seq = 1");
	expect_verify(0, 1);
	raw_exec("DELETE FROM audit");
	expect_verify(0, 0);
	/* An append after a malformed last record is refused. */
	raw_exec("INSERT INTO audit VALUES (1, 1, '{}', zeroblob(32), X'01')");
	ev = json_object();
	assert_int_equal(ops->audit_append(F.ctx, F.s, NOW, ev, &seq),
	    VOUCH_ERR_STORE);
	assert_int_equal(seq, 0);
	json_decref(ev);
	assert_int_equal(raw_int("SELECT COUNT(*) FROM audit"), 1);
}

static void
test_audit_list_malformed(void **state)
{
	json_t *list = (json_t *)1;

	(void)state;
	append_five();
	raw_exec("UPDATE audit SET event = '{\"a\":1,\"a\":2}' WHERE seq = 4");
	assert_int_equal(ops->audit_list(F.ctx, F.s, 0, 10, &list),
	    VOUCH_ERR_STORE);
	assert_null(list);
	list = NULL;
	raw_exec("UPDATE audit SET event = '[]' WHERE seq = 4");
	assert_int_equal(ops->audit_list(F.ctx, F.s, 0, 10, &list),
	    VOUCH_ERR_STORE);
	raw_exec("UPDATE audit SET event = '{}', hash = X'0102' WHERE seq = 4");
	assert_int_equal(ops->audit_list(F.ctx, F.s, 0, 10, &list),
	    VOUCH_ERR_STORE);
	assert_int_equal(ops->audit_list(F.ctx, F.s, 0, 3, &list), VOUCH_OK);
	assert_int_equal(json_array_size(list), 3);
	json_decref(list);
}

static void
test_open_schema(void **state)
{
	struct store *s = NULL;

	(void)state;
	assert_int_equal(raw_int("PRAGMA user_version"), 2);
	assert_int_equal(raw_int("SELECT COUNT(*) FROM sqlite_master WHERE"
	    " type = 'table' AND name IN ('nonces', 'certs', 'policies',"
	    " 'audit')"), 4);
	/* WAL is a property of the file, so a fresh connection sees it. */
	assert_int_equal(raw_int("SELECT journal_mode = 'wal' FROM"
	    " pragma_journal_mode"), 1);
	/* Reopening applies nothing twice and keeps the data. */
	assert_int_equal(ops->policy_put(F.ctx, F.s, 1, (const uint8_t *)"p", 1,
	    NOW), VOUCH_OK);
	ops->close(F.s);
	F.s = NULL;
	assert_int_equal(ops->open(F.ctx, F.dir, &s), VOUCH_OK);
	F.s = s;
	assert_int_equal(raw_int("PRAGMA user_version"), 2);
	assert_int_equal(raw_int("SELECT COUNT(*) FROM policies"), 1);
	assert_string_equal(ops->name, "sqlite");
}

static void
test_open_creates_dir(void **state)
{
	char sub[128];
	struct store *s = NULL;
	struct stat st;

	(void)state;
	(void)snprintf(sub, sizeof(sub), "%s/new", F.dir);
	assert_int_equal(ops->open(F.ctx, sub, &s), VOUCH_OK);
	assert_int_equal(stat(sub, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0700);
	(void)snprintf(sub, sizeof(sub), "%s/new/vouchd.db", F.dir);
	assert_int_equal(stat(sub, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	ops->close(s);
	ops->close(NULL);
}

static void
test_open_refuses_newer_schema(void **state)
{
	char sub[128], db[160];
	struct store *s = (struct store *)1;
	sqlite3_stmt *st = NULL;
	sqlite3 *h = NULL;

	(void)state;
	(void)snprintf(sub, sizeof(sub), "%s/future", F.dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	(void)snprintf(db, sizeof(db), "%s/vouchd.db", sub);
	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, "PRAGMA user_version = 99", NULL, NULL,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_close(h), SQLITE_OK);
	assert_int_equal(ops->open(F.ctx, sub, &s), VOUCH_ERR_STORE);
	assert_null(s);
	assert_non_null(strstr(vouch_error(F.ctx), "99"));
	/* Refused before anything was changed: still not WAL. */
	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, "PRAGMA journal_mode", -1, &st,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "delete");
	assert_int_equal(sqlite3_finalize(st), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, "PRAGMA user_version = 1", NULL, NULL,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_close(h), SQLITE_OK);
	/* An old version number on a file without the tables fails too. */
	assert_int_equal(ops->open(F.ctx, sub, &s), VOUCH_OK);
	assert_int_equal(ops->cert_count(F.ctx, s, &(uint64_t){ 0 }),
	    VOUCH_ERR_STORE);
	ops->close(s);
}

static void
test_open_errors(void **state)
{
	char path[128];
	struct store *s = (struct store *)1;

	(void)state;
	(void)snprintf(path, sizeof(path), "%s/file", F.dir);
	assert_int_equal(vouch_file_write(NULL, path, (const uint8_t *)"x", 1,
	    0600), VOUCH_OK);
	assert_int_equal(ops->open(F.ctx, path, &s), VOUCH_ERR_STORE);
	assert_null(s);
	s = (struct store *)1;
	assert_int_equal(ops->open(F.ctx, NULL, &s), VOUCH_ERR_INVALID_ARGUMENT);
	assert_null(s);
	assert_int_equal(ops->open(F.ctx, "", &s), VOUCH_ERR_INVALID_ARGUMENT);
	/* A file that is not a database. */
	(void)snprintf(path, sizeof(path), "%s/junk", F.dir);
	assert_int_equal(mkdir(path, 0700), 0);
	(void)snprintf(path, sizeof(path), "%s/junk/vouchd.db", F.dir);
	assert_int_equal(vouch_file_write(NULL, path, (const uint8_t *)
	    "this is not an SQLite database, only some text.", 47, 0600),
	    VOUCH_OK);
	(void)snprintf(path, sizeof(path), "%s/junk", F.dir);
	assert_int_equal(ops->open(F.ctx, path, &s), VOUCH_ERR_STORE);
	assert_null(s);
	/* The database is never reached through a symbolic link. */
	(void)snprintf(path, sizeof(path), "%s/link", F.dir);
	assert_int_equal(mkdir(path, 0700), 0);
	(void)snprintf(path, sizeof(path), "%s/link/vouchd.db", F.dir);
	assert_int_equal(symlink(F.db, path), 0);
	(void)snprintf(path, sizeof(path), "%s/link", F.dir);
	assert_int_equal(ops->open(F.ctx, path, &s), VOUCH_ERR_STORE);
	assert_null(s);
}

/* Run the vouch binary; its exit status, and its stdout in |out|. */
static int
run_cli(const char *args, char *out, size_t cap)
{
	const char *bin = getenv("VOUCH_BIN");
	char cmd[512];
	FILE *p;
	size_t n;
	int st;

	(void)snprintf(cmd, sizeof(cmd), "'%s' %s 2>/dev/null", bin, args);
	p = popen(cmd, "r");
	assert_non_null(p);
	n = fread(out, 1, cap - 1, p);
	out[n] = '\0';
	st = pclose(p);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

static void
test_cli_audit_verify(void **state)
{
	char args[256], out[256];

	(void)state;
	if (getenv("VOUCH_BIN") == NULL || access(getenv("VOUCH_BIN"), X_OK) != 0) {
		skip();
	}
	append_five();
	(void)snprintf(args, sizeof(args), "audit verify --data-dir '%s'", F.dir);
	assert_int_equal(run_cli(args, out, sizeof(out)), 0);
	assert_string_equal(out, "audit log intact: 5 records\n");
	raw_exec("DELETE FROM audit WHERE seq = 2");
	assert_int_equal(run_cli(args, out, sizeof(out)), 1);
	assert_string_equal(out, "audit log broken at record 2\n");
	(void)snprintf(args, sizeof(args), "audit verify --data-dir '%s/none'",
	    F.dir);
	assert_int_equal(run_cli(args, out, sizeof(out)), 2);
	assert_int_equal(run_cli("audit verify", out, sizeof(out)), 2);
	assert_int_equal(run_cli("audit verify --help", out, sizeof(out)), 0);
	assert_non_null(strstr(out, "--data-dir"));
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_nonce_consumed_once),
		T(test_nonce_expired),
		T(test_nonce_unknown),
		T(test_nonce_purge),
		T(test_nonce_two_handles),
		T(test_nonce_race_processes),
		T(test_cert_record),
		T(test_cert_record_audited),
		T(test_policy_versions),
		T(test_audit_append_list_verify),
		T(test_audit_hash_definition),
		T(test_audit_list_page_max),
		T(test_audit_tampered_event),
		T(test_audit_tampered_rehashed),
		T(test_audit_deleted_record),
		T(test_audit_list_malformed),
		T(test_open_schema),
		T(test_open_creates_dir),
		T(test_open_refuses_newer_schema),
		T(test_open_errors),
		T(test_cli_audit_verify),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
