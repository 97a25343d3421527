/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for the secret operations of daemon/store_sqlite.c: version
 * numbers (monotonic, never reused after a delete, distinct across two
 * handles as two vouchd processes have), a failing wrap leaving nothing
 * behind, metadata without values, delete, rewrap as one transaction (a
 * failure half-way changes nothing), the release counter's limit held
 * exactly by racing processes, hostile rows, and the schema migration
 * from version 1.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "bs/bs.h"
#include "bs/json.h"
#include "store.h"

#define NOW		1800000000
#define RACERS		4
#define RACE_TRIES	20
#define RACE_MAX	7

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
	(void)snprintf(F.dir, sizeof(F.dir), "/tmp/vouch-test-sstore-XXXXXX");
	assert_non_null(mkdtemp(F.dir));
	(void)snprintf(F.db, sizeof(F.db), "%s/vouchd.db", F.dir);
	F.ctx = vouch_ctx_new();
	assert_non_null(F.ctx);
	assert_int_equal(ops->open(F.ctx, F.dir, &F.s), VOUCH_OK);
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

/* A stand-in for the KEK: the "wrapped" value is "W:" + name:version. */
struct fake_wrap {
	const char	*kek_id;
	bool		 fail;
	int		 calls;
};

static enum vouch_err
fake_wrap_cb(struct vouch_ctx *ctx, void *arg, const char *name,
    int64_t version, char *kek_id, uint8_t **out, size_t *out_len)
{
	struct fake_wrap *fw = arg;
	char buf[128];
	int n;

	fw->calls++;
	if (fw->fail) {
		return vouch_fail(ctx, VOUCH_ERR_CRYPTO, "wrap failed");
	}
	n = snprintf(buf, sizeof(buf), "W:%s:%lld", name, (long long)version);
	*out = malloc((size_t)n);
	assert_non_null(*out);
	memcpy(*out, buf, (size_t)n);
	*out_len = (size_t)n;
	(void)snprintf(kek_id, STORE_KEK_ID_MAX + 1, "%s", fw->kek_id);
	return VOUCH_OK;
}

static int64_t
put(struct store *s, const char *name, const char *rule)
{
	struct fake_wrap fw = { "file:0011223344556677", false, 0 };
	int64_t v = 0;

	assert_int_equal(ops->secret_put(F.ctx, s, name, rule, NOW, fake_wrap_cb,
	    &fw, NULL, &v), VOUCH_OK);
	assert_int_equal(fw.calls, 1);
	return v;
}

static void
test_put_get_versions(void **state)
{
	struct store_secret sec;
	struct store *other = NULL;
	char want[64];

	(void)state;
	assert_int_equal(put(F.s, "db-password", "db"), 1);
	assert_int_equal(put(F.s, "db-password", "db2"), 2);
	assert_int_equal(put(F.s, "tls.key_1", "tls"), 1);
	/* Another handle (another process) continues the numbering. */
	assert_int_equal(ops->open(F.ctx, F.dir, &other), VOUCH_OK);
	assert_int_equal(put(other, "db-password", "db"), 3);
	ops->close(other);
	assert_int_equal(ops->secret_get(F.ctx, F.s, "db-password", &sec),
	    VOUCH_OK);
	assert_string_equal(sec.name, "db-password");
	assert_int_equal(sec.version, 3);
	assert_string_equal(sec.rule, "db");
	assert_int_equal(sec.created_at, NOW);
	assert_string_equal(sec.kek_id, "file:0011223344556677");
	(void)snprintf(want, sizeof(want), "W:db-password:3");
	assert_int_equal(sec.wrapped_len, strlen(want));
	assert_memory_equal(sec.wrapped, want, sec.wrapped_len);
	store_secret_clear(&sec);
	assert_null(sec.wrapped);
	store_secret_clear(NULL);
	assert_int_equal(ops->secret_get(F.ctx, F.s, "nope", &sec),
	    VOUCH_ERR_NOT_FOUND);
	assert_null(sec.wrapped);
}

static void
test_put_refused(void **state)
{
	struct fake_wrap fw = { "file:00", true, 0 };
	int64_t v = 99;

	(void)state;
	/* A failing wrap leaves neither a row nor a used version number. */
	assert_int_equal(ops->secret_put(F.ctx, F.s, "a", "r", NOW,
	    fake_wrap_cb, &fw, NULL, &v), VOUCH_ERR_CRYPTO);
	assert_int_equal(v, 0);
	assert_int_equal(raw_int("SELECT COUNT(*) FROM secrets"), 0);
	assert_int_equal(raw_int("SELECT COUNT(*) FROM secret_names"), 0);
	assert_int_equal(put(F.s, "a", "r"), 1);
	/* Names and rules as the API allows them, and nothing else. */
	fw.fail = false;
	assert_int_equal(ops->secret_put(F.ctx, F.s, "a/b", "r", NOW,
	    fake_wrap_cb, &fw, NULL, &v), VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(ops->secret_put(F.ctx, F.s, "", "r", NOW,
	    fake_wrap_cb, &fw, NULL, &v), VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(ops->secret_put(F.ctx, F.s, "a", "r r", NOW,
	    fake_wrap_cb, &fw, NULL, &v), VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(ops->secret_put(F.ctx, F.s,
	    "a1234567890123456789012345678901234567890123456789012345678901234",
	    "r", NOW, fake_wrap_cb, &fw, NULL, &v), VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(ops->secret_put(F.ctx, F.s, "a", "r", NOW, NULL, &fw,
	    NULL, &v), VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(fw.calls, 1);
}

static void
test_list_delete(void **state)
{
	json_t *list = NULL, *e;
	uint64_t n = 0;
	char *text;

	(void)state;
	(void)put(F.s, "b", "rb");
	(void)put(F.s, "a", "ra");
	(void)put(F.s, "b", "rb2");
	assert_int_equal(ops->secret_list(F.ctx, F.s, NULL, &list), VOUCH_OK);
	assert_int_equal(json_array_size(list), 3);
	e = json_array_get(list, 0);
	assert_string_equal(json_string_value(json_object_get(e, "name")), "a");
	e = json_array_get(list, 2);
	assert_string_equal(json_string_value(json_object_get(e, "name")), "b");
	assert_int_equal(json_integer_value(json_object_get(e, "version")), 2);
	assert_string_equal(json_string_value(json_object_get(e, "rule")),
	    "rb2");
	/* Metadata only: no value, wrapped or not. */
	text = vouch_json_dump(list);
	assert_non_null(text);
	assert_null(strstr(text, "W:"));
	assert_null(strstr(text, "wrapped"));
	free(text);
	json_decref(list);
	assert_int_equal(ops->secret_list(F.ctx, F.s, "b", &list), VOUCH_OK);
	assert_int_equal(json_array_size(list), 2);
	json_decref(list);
	assert_int_equal(ops->secret_list(F.ctx, F.s, "zz", &list), VOUCH_OK);
	assert_int_equal(json_array_size(list), 0);
	json_decref(list);
	assert_int_equal(ops->secret_list(F.ctx, F.s, "a b", &list),
	    VOUCH_ERR_INVALID_ARGUMENT);
	/* Delete takes every version; the numbering carries on. */
	assert_int_equal(ops->secret_delete(F.ctx, F.s, "b", NOW, NULL, &n),
	    VOUCH_OK);
	assert_int_equal(n, 2);
	assert_int_equal(ops->secret_delete(F.ctx, F.s, "b", NOW, NULL, &n),
	    VOUCH_ERR_NOT_FOUND);
	assert_int_equal(n, 0);
	assert_int_equal(raw_int("SELECT COUNT(*) FROM secrets WHERE name = 'b'"),
	    0);
	assert_int_equal(put(F.s, "b", "rb"), 3);
	assert_int_equal(ops->secret_delete(F.ctx, F.s, "", NOW, NULL, &n),
	    VOUCH_ERR_INVALID_ARGUMENT);
}

/* Rewrap: tag every value with a new KEK id, or fail at |fail_at|. */
struct fake_rewrap {
	int	seen;
	int	fail_at;
};

static enum vouch_err
fake_rewrap_cb(struct vouch_ctx *ctx, void *arg, const struct store_secret *sec,
    char *kek_id, uint8_t **out, size_t *out_len)
{
	struct fake_rewrap *fr = arg;

	*out = NULL;
	if (++fr->seen == fr->fail_at) {
		return vouch_fail(ctx, VOUCH_ERR_SIGNATURE_INVALID, "bad");
	}
	if (strcmp(sec->kek_id, "new") == 0) {
		return VOUCH_OK;	/* unchanged */
	}
	*out = malloc(sec->wrapped_len + 1);
	assert_non_null(*out);
	(*out)[0] = 'R';
	memcpy(*out + 1, sec->wrapped, sec->wrapped_len);
	*out_len = sec->wrapped_len + 1;
	(void)snprintf(kek_id, STORE_KEK_ID_MAX + 1, "new");
	return VOUCH_OK;
}

static void
test_rewrap_all_or_nothing(void **state)
{
	struct fake_rewrap fr = { 0, 4 };
	struct store_secret sec;
	json_t *ids = NULL;
	uint64_t changed = 99;
	int i;
	char name[16];

	(void)state;
	for (i = 0; i < 6; i++) {
		(void)snprintf(name, sizeof(name), "s%d", i);
		(void)put(F.s, name, "r");
	}
	/* Fails on the fourth: the three before it are rolled back. */
	assert_int_equal(ops->secret_rewrap(F.ctx, F.s, fake_rewrap_cb, &fr,
	    &changed), VOUCH_ERR_SIGNATURE_INVALID);
	assert_int_equal(changed, 0);
	assert_int_equal(raw_int("SELECT COUNT(*) FROM secrets WHERE kek_id ="
	    " 'new'"), 0);
	assert_int_equal(raw_int("SELECT COUNT(*) FROM secrets WHERE"
	    " substr(wrapped, 1, 1) = 'R'"), 0);
	/* Then all of them. */
	fr.seen = 0;
	fr.fail_at = -1;
	assert_int_equal(ops->secret_rewrap(F.ctx, F.s, fake_rewrap_cb, &fr,
	    &changed), VOUCH_OK);
	assert_int_equal(changed, 6);
	assert_int_equal(raw_int("SELECT COUNT(*) FROM secrets WHERE kek_id ="
	    " 'new'"), 6);
	assert_int_equal(ops->secret_get(F.ctx, F.s, "s3", &sec), VOUCH_OK);
	assert_int_equal(sec.wrapped[0], 'R');
	assert_memory_equal(sec.wrapped + 1, "W:s3:1", 6);
	store_secret_clear(&sec);
	/* Again: nothing left to change. */
	fr.seen = 0;
	assert_int_equal(ops->secret_rewrap(F.ctx, F.s, fake_rewrap_cb, &fr,
	    &changed), VOUCH_OK);
	assert_int_equal(changed, 0);
	assert_int_equal(ops->secret_kek_ids(F.ctx, F.s, &ids), VOUCH_OK);
	assert_int_equal(json_array_size(ids), 1);
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(ids, 0), "kek_id")), "new");
	assert_int_equal(json_integer_value(json_object_get(
	    json_array_get(ids, 0), "versions")), 6);
	json_decref(ids);
}

static void
test_release_counter(void **state)
{
	int64_t c = 0;
	int i;

	(void)state;
	assert_int_equal(ops->release_count_get(F.ctx, F.s, "r", &c), VOUCH_OK);
	assert_int_equal(c, 0);
	for (i = 1; i <= 3; i++) {
		assert_int_equal(ops->release_count_take(F.ctx, F.s, "r", 3,
		    &c), VOUCH_OK);
		assert_int_equal(c, i);
	}
	assert_int_equal(ops->release_count_take(F.ctx, F.s, "r", 3, &c),
	    VOUCH_ERR_POLICY_DENIED);
	assert_int_equal(c, 0);
	assert_int_equal(ops->release_count_get(F.ctx, F.s, "r", &c), VOUCH_OK);
	assert_int_equal(c, 3);
	/* A new policy may raise the limit: the count carries on. */
	assert_int_equal(ops->release_count_take(F.ctx, F.s, "r", 4, &c),
	    VOUCH_OK);
	assert_int_equal(c, 4);
	/* max 0: no limit, still counted. */
	for (i = 0; i < 5; i++) {
		assert_int_equal(ops->release_count_take(F.ctx, F.s, "u", 0,
		    NULL), VOUCH_OK);
	}
	assert_int_equal(ops->release_count_get(F.ctx, F.s, "u", &c), VOUCH_OK);
	assert_int_equal(c, 5);
	assert_int_equal(ops->release_count_take(F.ctx, F.s, "u", 1, &c),
	    VOUCH_ERR_POLICY_DENIED);
	assert_int_equal(ops->release_count_take(F.ctx, F.s, "x y", 1, &c),
	    VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(ops->release_count_take(F.ctx, F.s, "x", -1, &c),
	    VOUCH_ERR_INVALID_ARGUMENT);
}

/*
 * Forked processes, each with its own handle, race for a rule with
 * max_releases RACE_MAX: exactly RACE_MAX releases are granted.
 */
static void
test_release_counter_race(void **state)
{
	int *granted;
	pid_t pids[RACERS];
	int i, j, st, total = 0;

	(void)state;
	granted = mmap(NULL, sizeof(int) * RACERS, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	assert_true(granted != MAP_FAILED);
	/* A connection must not cross fork(): each process opens its own. */
	ops->close(F.s);
	F.s = NULL;
	for (i = 0; i < RACERS; i++) {
		pids[i] = fork();
		assert_true(pids[i] >= 0);
		if (pids[i] == 0) {
			struct vouch_ctx *ctx = vouch_ctx_new();
			struct store *s = NULL;
			int n = 0;

			if (ctx == NULL ||
			    ops->open(ctx, F.dir, &s) != VOUCH_OK) {
				_exit(2);
			}
			for (j = 0; j < RACE_TRIES; j++) {
				if (ops->release_count_take(ctx, s, "race",
				    RACE_MAX, NULL) == VOUCH_OK) {
					n++;
				}
			}
			granted[i] = n;
			ops->close(s);
			vouch_ctx_free(ctx);
			_exit(0);
		}
	}
	for (i = 0; i < RACERS; i++) {
		assert_int_equal(waitpid(pids[i], &st, 0), pids[i]);
		assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
		total += granted[i];
	}
	assert_int_equal(total, RACE_MAX);
	assert_int_equal(raw_int("SELECT count FROM release_counts WHERE"
	    " rule = 'race'"), RACE_MAX);
	(void)munmap(granted, sizeof(int) * RACERS);
}

static void
test_hostile_rows(void **state)
{
	struct store_secret sec;
	json_t *list = NULL;

	(void)state;
	(void)put(F.s, "good", "r");
	raw_exec("INSERT INTO secrets VALUES ('bad/name', 1, 'r', 0, 'k',"
	    " X'01')");
	assert_int_equal(ops->secret_list(F.ctx, F.s, NULL, &list),
	    VOUCH_ERR_STORE);
	assert_null(list);
	raw_exec("DELETE FROM secrets WHERE name = 'bad/name'");
	/* A value larger than any wrapped secret, a NULL, a wrong type. */
	raw_exec("UPDATE secrets SET wrapped = zeroblob(70000) WHERE name ="
	    " 'good'");
	assert_int_equal(ops->secret_get(F.ctx, F.s, "good", &sec),
	    VOUCH_ERR_STORE);
	assert_null(sec.wrapped);
	raw_exec("UPDATE secrets SET wrapped = 'text' WHERE name = 'good'");
	assert_int_equal(ops->secret_get(F.ctx, F.s, "good", &sec),
	    VOUCH_ERR_STORE);
	raw_exec("UPDATE secrets SET wrapped = X'01', rule = '' WHERE name ="
	    " 'good'");
	assert_int_equal(ops->secret_get(F.ctx, F.s, "good", &sec),
	    VOUCH_ERR_STORE);
	raw_exec("UPDATE secrets SET rule = 'r', kek_id = '' WHERE name ="
	    " 'good'");
	assert_int_equal(ops->secret_get(F.ctx, F.s, "good", &sec),
	    VOUCH_ERR_STORE);
	raw_exec("UPDATE secrets SET kek_id = 'k', version = 'x' WHERE name ="
	    " 'good'");
	assert_int_equal(ops->secret_get(F.ctx, F.s, "good", &sec),
	    VOUCH_ERR_STORE);
}

/* A store made by a vouchd before secrets existed is migrated. */
static void
test_migrate_from_v1(void **state)
{
	char sub[128], db[160];
	struct store *s = NULL;
	sqlite3 *h = NULL;

	(void)state;
	(void)snprintf(sub, sizeof(sub), "%s/old", F.dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	(void)snprintf(db, sizeof(db), "%s/vouchd.db", sub);
	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h,
	    "CREATE TABLE nonces (nonce BLOB PRIMARY KEY NOT NULL, expires"
	    " INTEGER NOT NULL) WITHOUT ROWID;"
	    "CREATE TABLE certs (serial TEXT PRIMARY KEY NOT NULL, issued_at"
	    " INTEGER NOT NULL, not_after INTEGER NOT NULL, platform TEXT NOT"
	    " NULL, measurement BLOB NOT NULL, policy_version INTEGER NOT NULL,"
	    " pem TEXT NOT NULL);"
	    "CREATE TABLE policies (version INTEGER PRIMARY KEY, signed BLOB NOT"
	    " NULL, stored_at INTEGER NOT NULL);"
	    "INSERT INTO policies VALUES (3, X'00', 1);"
	    "CREATE TABLE audit (seq INTEGER PRIMARY KEY, time INTEGER NOT NULL,"
	    " event TEXT NOT NULL, prev_hash BLOB NOT NULL, hash BLOB NOT NULL);"
	    "PRAGMA user_version = 1;", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_close(h), SQLITE_OK);
	assert_int_equal(ops->open(F.ctx, sub, &s), VOUCH_OK);
	assert_int_equal(put(s, "x", "r"), 1);
	ops->close(s);
	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	{
		sqlite3_stmt *st = NULL;

		assert_int_equal(sqlite3_prepare_v2(h, "SELECT (SELECT"
		    " user_version FROM pragma_user_version) * 100 + (SELECT"
		    " COUNT(*) FROM policies)", -1, &st, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_true(sqlite3_column_int(st, 0) >= 201);
		assert_int_equal(sqlite3_column_int(st, 0) % 100, 1);
		assert_int_equal(sqlite3_finalize(st), SQLITE_OK);
	}
	assert_int_equal(sqlite3_close(h), SQLITE_OK);
}

/*
 * An audited put or delete writes the change and its audit record in one
 * transaction: both, or (when either fails) neither.
 */
static void
test_audited(void **state)
{
	struct fake_wrap fw = { "file:0011223344556677", false, 0 };
	json_t *e, *list = NULL;
	uint64_t n = 0, count = 0, bad = 0;
	int64_t v = 0;

	(void)state;
	e = json_pack("{s:s}", "type", "secret-put");
	assert_non_null(e);
	assert_int_equal(ops->secret_put(F.ctx, F.s, "a", "r", NOW,
	    fake_wrap_cb, &fw, e, &v), VOUCH_OK);
	assert_int_equal(v, 1);
	json_decref(e);
	assert_int_equal(ops->audit_list(F.ctx, F.s, 0, 10, &list), VOUCH_OK);
	assert_int_equal(json_array_size(list), 1);
	e = json_object_get(json_array_get(list, 0), "event");
	assert_string_equal(json_string_value(json_object_get(e, "type")),
	    "secret-put");
	assert_int_equal(json_integer_value(json_object_get(e, "version")), 1);
	json_decref(list);
	/* A wrap that fails: no version, no record. */
	fw.fail = true;
	e = json_pack("{s:s}", "type", "secret-put");
	assert_int_equal(ops->secret_put(F.ctx, F.s, "a", "r", NOW,
	    fake_wrap_cb, &fw, e, &v), VOUCH_ERR_CRYPTO);
	json_decref(e);
	assert_int_equal(raw_int("SELECT COUNT(*) FROM audit"), 1);
	assert_int_equal(raw_int("SELECT COUNT(*) FROM secrets"), 1);
	/* Delete: the record carries the count; a missing name leaves none. */
	e = json_pack("{s:s}", "type", "secret-delete");
	assert_int_equal(ops->secret_delete(F.ctx, F.s, "zz", NOW, e, &n),
	    VOUCH_ERR_NOT_FOUND);
	assert_int_equal(raw_int("SELECT COUNT(*) FROM audit"), 1);
	assert_int_equal(ops->secret_delete(F.ctx, F.s, "a", NOW, e, &n),
	    VOUCH_OK);
	json_decref(e);
	assert_int_equal(n, 1);
	assert_int_equal(raw_int("SELECT COUNT(*) FROM secrets"), 0);
	assert_int_equal(ops->audit_list(F.ctx, F.s, 1, 10, &list), VOUCH_OK);
	assert_int_equal(json_array_size(list), 1);
	e = json_object_get(json_array_get(list, 0), "event");
	assert_int_equal(json_integer_value(json_object_get(e, "versions")), 1);
	json_decref(list);
	/* The chain over both records holds. */
	assert_int_equal(ops->audit_verify(F.ctx, F.s, &count, &bad), VOUCH_OK);
	assert_int_equal(count, 2);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_put_get_versions),
		T(test_put_refused),
		T(test_list_delete),
		T(test_rewrap_all_or_nothing),
		T(test_release_counter),
		T(test_release_counter_race),
		T(test_hostile_rows),
		T(test_migrate_from_v1),
		T(test_audited),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
