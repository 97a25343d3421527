/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The SQLite store: one database file, vouchd.db, in the data directory.
 *
 * Several vouchd processes may share the file.  WAL lets readers run
 * beside the one writer, the busy timeout makes a writer wait for the
 * lock instead of failing at once, and every check-and-update is either
 * one statement (nonce_consume) or a BEGIN IMMEDIATE transaction, which
 * takes the write lock before the first read so that no other process
 * can slip in between the read and the write.  synchronous=FULL makes
 * every commit durable before the call returns, except nonce_put's (see
 * there).
 *
 * Every SQL text here is a constant; values are always bound parameters.
 * Rows read back are treated as hostile (the file may have been edited):
 * lengths and types are checked before use.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "bs/bs.h"
#include "bs/json.h"
#include "crypto/crypto.h"
#include "store.h"
#include "util/file.h"

#define SQ_DB_NAME		"vouchd.db"
/* How long a writer waits for another process's lock. */
#define SQ_BUSY_TIMEOUT_MS	5000
/* Longest data directory path plus "/vouchd.db". */
#define SQ_PATH_MAX		4096
/* Largest serialized audit event accepted or read back. */
#define SQ_AUDIT_EVENT_MAX	(64u * 1024u)
/* Largest certificate PEM recorded. */
#define SQ_CERT_PEM_MAX		(64u * 1024u)
/* Largest measurement recorded (SHA-512 would be 64). */
#define SQ_MEASUREMENT_MAX	128u
/* Longest platform name recorded. */
#define SQ_PLATFORM_MAX		64u
/* Hex digits of a 128-bit serial (struct store_cert's serial[33]). */
#define SQ_SERIAL_MAX		32
/* prev_hash || u64be(seq) || u64be(time), then the event text. */
#define SQ_AUDIT_PREFIX_LEN	(STORE_AUDIT_HASH_BYTES + 8 + 8)

_Static_assert(STORE_AUDIT_HASH_BYTES == VOUCH_SHA256_BYTES,
    "the audit chain uses SHA-256");
_Static_assert(sizeof(((struct store_cert *)0)->serial) == SQ_SERIAL_MAX + 1,
    "serial buffer size");

/*
 * Statements of the per-request paths, prepared once per handle and
 * reused (sq_cached): parsing and planning the SQL again for every
 * request cost more than running it.  Prepared statements are re-prepared
 * by SQLite itself when another process changes the schema.
 */
enum sq_cached_stmt {
	SQ_ST_BEGIN,
	SQ_ST_COMMIT,
	SQ_ST_NONCE_PUT,
	SQ_ST_NONCE_CONSUME,
	SQ_ST_CERT_RECORD,
	SQ_ST_AUDIT_LAST,
	SQ_ST_AUDIT_INSERT,
	SQ_ST_POLICY_CURRENT,
	SQ_ST_COUNT
};

struct store {
	sqlite3		*db;
	sqlite3_stmt	*cached[SQ_ST_COUNT];
};

/*
 * Schema migrations, applied in order inside one transaction.  Entry i
 * brings the database from user_version i to i + 1; each ends by setting
 * user_version, which SQLite keeps in the file header and rolls back with
 * the transaction.  Only ever append.
 */
static const char *const sq_migrations[] = {
	/* 1: the initial tables. */
	"CREATE TABLE nonces ("
	"  nonce BLOB PRIMARY KEY NOT NULL CHECK (length(nonce) = 32),"
	"  expires INTEGER NOT NULL"
	") WITHOUT ROWID;"
	"CREATE INDEX nonces_expires ON nonces (expires);"
	"CREATE TABLE certs ("
	"  serial TEXT PRIMARY KEY NOT NULL,"
	"  issued_at INTEGER NOT NULL,"
	"  not_after INTEGER NOT NULL,"
	"  platform TEXT NOT NULL,"
	"  measurement BLOB NOT NULL,"
	"  policy_version INTEGER NOT NULL,"
	"  pem TEXT NOT NULL"
	");"
	"CREATE TABLE policies ("
	"  version INTEGER PRIMARY KEY,"
	"  signed BLOB NOT NULL,"
	"  stored_at INTEGER NOT NULL"
	");"
	"CREATE TABLE audit ("
	"  seq INTEGER PRIMARY KEY,"
	"  time INTEGER NOT NULL,"
	"  event TEXT NOT NULL,"
	"  prev_hash BLOB NOT NULL,"
	"  hash BLOB NOT NULL"
	");"
	"PRAGMA user_version = 1;",
	/*
	 * 2: secrets (docs/secrets.md).  secret_names keeps the last version
	 * ever given to a name, so numbers are never reused after a delete;
	 * secrets holds every version, wrapped by the KEK named in kek_id;
	 * release_counts counts releases per release rule (max_releases).
	 */
	"CREATE TABLE secret_names ("
	"  name TEXT PRIMARY KEY NOT NULL,"
	"  last_version INTEGER NOT NULL CHECK (last_version >= 1)"
	") WITHOUT ROWID;"
	"CREATE TABLE secrets ("
	"  name TEXT NOT NULL,"
	"  version INTEGER NOT NULL CHECK (version >= 1),"
	"  rule TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  kek_id TEXT NOT NULL,"
	"  wrapped BLOB NOT NULL,"
	"  PRIMARY KEY (name, version)"
	");"
	"CREATE TABLE release_counts ("
	"  rule TEXT PRIMARY KEY NOT NULL,"
	"  count INTEGER NOT NULL CHECK (count >= 0)"
	") WITHOUT ROWID;"
	"PRAGMA user_version = 2;",
};

#define SQ_SCHEMA_VERSION \
	((int)(sizeof(sq_migrations) / sizeof(sq_migrations[0])))

/*
 * Record a SQLite failure.  The detail carries SQLite's own message,
 * which names tables and columns but never bound values.
 */
static enum vouch_err
sq_fail(struct vouch_ctx *ctx, const struct store *s, const char *what)
{
	return vouch_fail(ctx, VOUCH_ERR_STORE, "sqlite: %s: %s", what,
	    s != NULL && s->db != NULL ? sqlite3_errmsg(s->db) : "no database");
}

static enum vouch_err
sq_prepare(struct vouch_ctx *ctx, struct store *s, const char *sql,
    sqlite3_stmt **out)
{
	*out = NULL;
	if (sqlite3_prepare_v2(s->db, sql, -1, out, NULL) != SQLITE_OK) {
		sqlite3_finalize(*out);
		*out = NULL;
		return sq_fail(ctx, s, "prepare");
	}
	return VOUCH_OK;
}

/*
 * The cached statement |which| for |sql| (always the same text for the
 * same slot), prepared on first use.  Give it back with sq_release, never
 * sqlite3_finalize.
 */
static enum vouch_err
sq_cached(struct vouch_ctx *ctx, struct store *s, enum sq_cached_stmt which,
    const char *sql, sqlite3_stmt **out)
{
	*out = NULL;
	if (s->cached[which] == NULL &&
	    sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    &s->cached[which], NULL) != SQLITE_OK) {
		sqlite3_finalize(s->cached[which]);
		s->cached[which] = NULL;
		return sq_fail(ctx, s, "prepare");
	}
	*out = s->cached[which];
	return VOUCH_OK;
}

/*
 * Reset a cached statement for its next use: this ends its read of the
 * database, and its bindings are cleared since they point at the
 * caller's memory (SQLITE_STATIC).
 */
static void
sq_release(sqlite3_stmt *st)
{
	if (st != NULL) {
		(void)sqlite3_reset(st);
		(void)sqlite3_clear_bindings(st);
	}
}

/* Run constant SQL that returns no rows. */
static enum vouch_err
sq_exec(struct vouch_ctx *ctx, struct store *s, const char *sql,
    const char *what)
{
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
		return sq_fail(ctx, s, what);
	}
	return VOUCH_OK;
}

/* Take the write lock now, waiting up to the busy timeout for it. */
static enum vouch_err
sq_begin(struct vouch_ctx *ctx, struct store *s)
{
	sqlite3_stmt *st;
	enum vouch_err rv;

	rv = sq_cached(ctx, s, SQ_ST_BEGIN, "BEGIN IMMEDIATE", &st);
	if (rv == VOUCH_OK && sqlite3_step(st) != SQLITE_DONE) {
		rv = sq_fail(ctx, s, "begin");
	}
	sq_release(st);
	return rv;
}

static enum vouch_err
sq_commit(struct vouch_ctx *ctx, struct store *s)
{
	sqlite3_stmt *st;
	enum vouch_err rv;

	rv = sq_cached(ctx, s, SQ_ST_COMMIT, "COMMIT", &st);
	if (rv == VOUCH_OK && sqlite3_step(st) != SQLITE_DONE) {
		rv = sq_fail(ctx, s, "commit");
	}
	sq_release(st);
	return rv;
}

/* Roll back whatever transaction is still open (after a failure). */
static void
sq_rollback(struct store *s)
{
	if (s != NULL && s->db != NULL && sqlite3_get_autocommit(s->db) == 0) {
		(void)sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	}
}

/* One step of a statement that must finish without a row. */
static enum vouch_err
sq_step_done(struct vouch_ctx *ctx, struct store *s, sqlite3_stmt *st,
    const char *what)
{
	if (sqlite3_step(st) != SQLITE_DONE) {
		return sq_fail(ctx, s, what);
	}
	return VOUCH_OK;
}

/*
 * Step to the next row: VOUCH_OK with |*has_row| telling whether there
 * was one, or VOUCH_ERR_STORE.
 */
static enum vouch_err
sq_step_row(struct vouch_ctx *ctx, struct store *s, sqlite3_stmt *st,
    const char *what, bool *has_row)
{
	int rc;

	*has_row = false;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*has_row = true;
		return VOUCH_OK;
	}
	if (rc == SQLITE_DONE) {
		return VOUCH_OK;
	}
	return sq_fail(ctx, s, what);
}

static enum vouch_err
sq_user_version(struct vouch_ctx *ctx, struct store *s, int *out)
{
	enum vouch_err rv = VOUCH_ERR_STORE;
	sqlite3_stmt *st = NULL;
	bool row = false;

	*out = 0;
	rv = sq_prepare(ctx, s, "PRAGMA user_version", &st);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = sq_step_row(ctx, s, st, "user_version", &row);
	if (rv != VOUCH_OK) {
		goto out;
	}
	if (!row) {
		rv = vouch_fail(ctx, VOUCH_ERR_STORE,
		    "sqlite: user_version returned nothing");
		goto out;
	}
	*out = sqlite3_column_int(st, 0);
	rv = VOUCH_OK;
 out:
	sqlite3_finalize(st);
	return rv;
}

static enum vouch_err
sq_check_version(struct vouch_ctx *ctx, int version)
{
	if (version < 0 || version > SQ_SCHEMA_VERSION) {
		return vouch_fail(ctx, VOUCH_ERR_STORE,
		    "sqlite: schema version %d is not one this vouchd knows "
		    "(0 to %d)", version, SQ_SCHEMA_VERSION);
	}
	return VOUCH_OK;
}

/*
 * Bring the schema up to SQ_SCHEMA_VERSION.  The version is read again
 * under the write lock, so of several processes starting together
 * exactly one applies each migration.
 */
static enum vouch_err
sq_migrate(struct vouch_ctx *ctx, struct store *s)
{
	enum vouch_err rv = VOUCH_ERR_STORE;
	int version = 0;

	rv = sq_user_version(ctx, s, &version);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = sq_check_version(ctx, version);
	if (rv != VOUCH_OK || version == SQ_SCHEMA_VERSION) {
		goto out;
	}
	rv = sq_begin(ctx, s);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = sq_user_version(ctx, s, &version);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = sq_check_version(ctx, version);
	if (rv != VOUCH_OK) {
		goto out;
	}
	for (; version < SQ_SCHEMA_VERSION; version++) {
		rv = sq_exec(ctx, s, sq_migrations[version], "migrate");
		if (rv != VOUCH_OK) {
			goto out;
		}
	}
	rv = sq_commit(ctx, s);
 out:
	if (rv != VOUCH_OK) {
		sq_rollback(s);
	}
	return rv;
}

static enum vouch_err
sq_set_wal(struct vouch_ctx *ctx, struct store *s)
{
	enum vouch_err rv = VOUCH_ERR_STORE;
	sqlite3_stmt *st = NULL;
	const unsigned char *mode;
	bool row = false;

	rv = sq_prepare(ctx, s, "PRAGMA journal_mode = WAL", &st);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = sq_step_row(ctx, s, st, "journal_mode", &row);
	if (rv != VOUCH_OK) {
		goto out;
	}
	mode = row ? sqlite3_column_text(st, 0) : NULL;
	if (mode == NULL || strcmp((const char *)mode, "wal") != 0) {
		rv = vouch_fail(ctx, VOUCH_ERR_STORE,
		    "sqlite: cannot switch the database to WAL mode");
		goto out;
	}
	rv = VOUCH_OK;
 out:
	sqlite3_finalize(st);
	return rv;
}

/* Create the data directory (0700) unless it exists; it must be one. */
static enum vouch_err
sq_make_dir(struct vouch_ctx *ctx, const char *dir)
{
	struct stat st;

	if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
		return vouch_fail(ctx, VOUCH_ERR_STORE,
		    "%s: cannot create the data directory: %s", dir,
		    strerror(errno));
	}
	if (stat(dir, &st) == -1) {
		return vouch_fail(ctx, VOUCH_ERR_STORE, "%s: %s", dir,
		    strerror(errno));
	}
	if (!S_ISDIR(st.st_mode)) {
		return vouch_fail(ctx, VOUCH_ERR_STORE,
		    "%s: not a directory", dir);
	}
	return VOUCH_OK;
}

/*
 * Create the database file with mode 0600 unless it exists, so that it
 * (and the -wal and -shm files SQLite gives the same mode) is private
 * even in a data directory that is not.  An empty file is a valid
 * empty database.
 */
static enum vouch_err
sq_make_file(struct vouch_ctx *ctx, const char *path)
{
	int fd;

	fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd == -1) {
		return vouch_fail(ctx, VOUCH_ERR_STORE, "%s: %s", path,
		    strerror(errno));
	}
	(void)close(fd);
	return VOUCH_OK;
}

static void
sq_close(struct store *s)
{
	size_t i;

	if (s == NULL) {
		return;
	}
	sq_rollback(s);
	for (i = 0; i < SQ_ST_COUNT; i++) {
		sqlite3_finalize(s->cached[i]);
	}
	/* Every other statement is finalized by its caller: cannot fail. */
	(void)sqlite3_close(s->db);
	free(s);
}

static enum vouch_err
sq_open(struct vouch_ctx *ctx, const char *where, struct store **out)
{
	enum vouch_err rv = VOUCH_ERR_STORE;
	struct store *s = NULL;
	char path[SQ_PATH_MAX];
	int version = 0;

	if (out == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "store open: no output");
	}
	*out = NULL;
	if (where == NULL || where[0] == '\0') {
		rv = vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "store open: no data directory");
		goto out;
	}
	if (!vouch_path_join(path, sizeof(path), where, SQ_DB_NAME)) {
		rv = vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "store open: data directory path too long");
		goto out;
	}
	rv = sq_make_dir(ctx, where);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = sq_make_file(ctx, path);
	if (rv != VOUCH_OK) {
		goto out;
	}
	s = calloc(1, sizeof(*s));
	if (s == NULL) {
		rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "store open");
		goto out;
	}
	/* The handle is used by one thread: no per-call mutex. */
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW,
	    NULL) != SQLITE_OK) {
		rv = sq_fail(ctx, s, "open");
		goto out;
	}
	(void)sqlite3_extended_result_codes(s->db, 1);
	/*
	 * Defensive mode refuses the statements that can corrupt a file
	 * (writable_schema and the like); untrusted schema functions off.
	 */
	if (sqlite3_db_config(s->db, SQLITE_DBCONFIG_DEFENSIVE, 1,
	    (int *)NULL) != SQLITE_OK ||
	    sqlite3_db_config(s->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0,
	    (int *)NULL) != SQLITE_OK ||
	    sqlite3_busy_timeout(s->db, SQ_BUSY_TIMEOUT_MS) != SQLITE_OK) {
		rv = sq_fail(ctx, s, "configure");
		goto out;
	}
	/* Refuse a newer schema before changing anything in the file. */
	rv = sq_user_version(ctx, s, &version);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = sq_check_version(ctx, version);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = sq_set_wal(ctx, s);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = sq_exec(ctx, s, "PRAGMA synchronous = FULL", "synchronous");
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = sq_exec(ctx, s, "PRAGMA foreign_keys = ON", "foreign_keys");
	if (rv != VOUCH_OK) {
		goto out;
	}
	/*
	 * Deleted rows (secret versions, rewrapped blobs) are overwritten,
	 * whatever the library was built with.
	 */
	rv = sq_exec(ctx, s, "PRAGMA secure_delete = ON", "secure_delete");
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = sq_migrate(ctx, s);
	if (rv != VOUCH_OK) {
		goto out;
	}
	*out = s;
	s = NULL;
 out:
	sq_close(s);
	return rv;
}

static enum vouch_err
sq_nonce_put(struct vouch_ctx *ctx, struct store *s,
    const uint8_t nonce[STORE_NONCE_BYTES], int64_t expires)
{
	enum vouch_err rv = VOUCH_ERR_STORE;
	sqlite3_stmt *st = NULL;

	if (s == NULL || nonce == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT, "nonce_put");
	}
	/*
	 * The one commit that is not synced: a nonce lost in a crash only
	 * makes its certify fail (the client asks again), and the next synced
	 * commit on the file makes it durable anyway, the WAL being written
	 * in order.  Saves an fdatasync per challenge.
	 */
	rv = sq_exec(ctx, s, "PRAGMA synchronous = NORMAL", "synchronous");
	if (rv != VOUCH_OK) {
		return rv;
	}
	rv = sq_cached(ctx, s, SQ_ST_NONCE_PUT,
	    "INSERT INTO nonces (nonce, expires) VALUES (?1, ?2)", &st);
	if (rv != VOUCH_OK) {
		goto out;
	}
	if (sqlite3_bind_blob(st, 1, nonce, STORE_NONCE_BYTES,
	    SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, expires) != SQLITE_OK) {
		rv = sq_fail(ctx, s, "nonce_put: bind");
		goto out;
	}
	rv = sq_step_done(ctx, s, st, "nonce_put");
 out:
	sq_release(st);
	/*
	 * Every other commit must be durable when it returns (a certificate
	 * is recorded before it is handed out): never go on without FULL.
	 */
	if (sqlite3_exec(s->db, "PRAGMA synchronous = FULL", NULL, NULL,
	    NULL) != SQLITE_OK) {
		abort();
	}
	return rv;
}

/*
 * The check and the removal are one statement, so two processes racing
 * for the same nonce cannot both see it: SQLite serializes the writes
 * and the loser deletes nothing.
 */
static enum vouch_err
sq_nonce_consume(struct vouch_ctx *ctx, struct store *s,
    const uint8_t nonce[STORE_NONCE_BYTES], int64_t now)
{
	enum vouch_err rv = VOUCH_ERR_STORE;
	sqlite3_stmt *st = NULL;

	if (s == NULL || nonce == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "nonce_consume");
	}
	rv = sq_cached(ctx, s, SQ_ST_NONCE_CONSUME,
	    "DELETE FROM nonces WHERE nonce = ?1 AND expires > ?2", &st);
	if (rv != VOUCH_OK) {
		goto out;
	}
	if (sqlite3_bind_blob(st, 1, nonce, STORE_NONCE_BYTES,
	    SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, now) != SQLITE_OK) {
		rv = sq_fail(ctx, s, "nonce_consume: bind");
		goto out;
	}
	rv = sq_step_done(ctx, s, st, "nonce_consume");
	if (rv != VOUCH_OK) {
		goto out;
	}
	if (sqlite3_changes(s->db) != 1) {
		rv = vouch_fail(ctx, VOUCH_ERR_NONCE_INVALID,
		    "nonce is unknown, expired or already used");
		goto out;
	}
	rv = VOUCH_OK;
 out:
	sq_release(st);
	return rv;
}

static enum vouch_err
sq_nonce_purge(struct vouch_ctx *ctx, struct store *s, int64_t now)
{
	enum vouch_err rv = VOUCH_ERR_STORE;
	sqlite3_stmt *st = NULL;

	if (s == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT, "nonce_purge");
	}
	/* Exactly the nonces nonce_consume would refuse as expired. */
	rv = sq_prepare(ctx, s, "DELETE FROM nonces WHERE expires <= ?1", &st);
	if (rv != VOUCH_OK) {
		goto out;
	}
	if (sqlite3_bind_int64(st, 1, now) != SQLITE_OK) {
		rv = sq_fail(ctx, s, "nonce_purge: bind");
		goto out;
	}
	rv = sq_step_done(ctx, s, st, "nonce_purge");
 out:
	sqlite3_finalize(st);
	return rv;
}

/* A serial as the header describes it: 1 to 32 lower-case hex digits. */
static bool
sq_serial_ok(const char *serial)
{
	size_t i, n;

	n = strnlen(serial, SQ_SERIAL_MAX + 1);
	if (n == 0 || n > SQ_SERIAL_MAX) {
		return false;
	}
	for (i = 0; i < n; i++) {
		if (!((serial[i] >= '0' && serial[i] <= '9') ||
		    (serial[i] >= 'a' && serial[i] <= 'f'))) {
			return false;
		}
	}
	return true;
}

/*
 * An autocommit INSERT under synchronous=FULL: the row is on disk when
 * sqlite3_step returns, before the caller hands the certificate out.
 * Inside sq_cert_record_audited's transaction it is one of two inserts.
 */
static enum vouch_err
sq_cert_record(struct vouch_ctx *ctx, struct store *s,
    const struct store_cert *c)
{
	enum vouch_err rv = VOUCH_ERR_STORE;
	sqlite3_stmt *st = NULL;
	size_t plat_len, pem_len;

	if (s == NULL || c == NULL || !sq_serial_ok(c->serial) ||
	    c->platform == NULL || c->pem == NULL ||
	    (c->measurement == NULL && c->measurement_len != 0)) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "cert_record: missing or malformed field");
	}
	plat_len = strnlen(c->platform, SQ_PLATFORM_MAX + 1);
	pem_len = strnlen(c->pem, SQ_CERT_PEM_MAX + 1);
	if (plat_len == 0 || plat_len > SQ_PLATFORM_MAX || pem_len == 0 ||
	    pem_len > SQ_CERT_PEM_MAX ||
	    c->measurement_len > SQ_MEASUREMENT_MAX) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "cert_record: field empty or too long");
	}
	rv = sq_cached(ctx, s, SQ_ST_CERT_RECORD,
	    "INSERT INTO certs (serial, issued_at, not_after, platform,"
	    " measurement, policy_version, pem)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", &st);
	if (rv != VOUCH_OK) {
		goto out;
	}
	/* A zero-length blob, not NULL, for an empty measurement. */
	if (sqlite3_bind_text(st, 1, c->serial, -1, SQLITE_STATIC) !=
	    SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, c->issued_at) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 3, c->not_after) != SQLITE_OK ||
	    sqlite3_bind_text(st, 4, c->platform, (int)plat_len,
	    SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_blob(st, 5, c->measurement != NULL ?
	    (const void *)c->measurement : (const void *)"",
	    (int)c->measurement_len, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 6, c->policy_version) != SQLITE_OK ||
	    sqlite3_bind_text(st, 7, c->pem, (int)pem_len, SQLITE_STATIC) !=
	    SQLITE_OK) {
		rv = sq_fail(ctx, s, "cert_record: bind");
		goto out;
	}
	rv = sq_step_done(ctx, s, st, "cert_record");
 out:
	sq_release(st);
	return rv;
}

static enum vouch_err
sq_cert_exists(struct vouch_ctx *ctx, struct store *s, const char *serial)
{
	enum vouch_err rv = VOUCH_ERR_STORE;
	sqlite3_stmt *st = NULL;
	bool row = false;

	if (s == NULL || serial == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT, "cert_exists");
	}
	if (!sq_serial_ok(serial)) {
		/* Never stored, since cert_record refuses it. */
		return vouch_fail(ctx, VOUCH_ERR_NOT_FOUND,
		    "certificate serial not recorded");
	}
	rv = sq_prepare(ctx, s, "SELECT 1 FROM certs WHERE serial = ?1", &st);
	if (rv != VOUCH_OK) {
		goto out;
	}
	if (sqlite3_bind_text(st, 1, serial, -1, SQLITE_STATIC) != SQLITE_OK) {
		rv = sq_fail(ctx, s, "cert_exists: bind");
		goto out;
	}
	rv = sq_step_row(ctx, s, st, "cert_exists", &row);
	if (rv != VOUCH_OK) {
		goto out;
	}
	if (!row) {
		rv = vouch_fail(ctx, VOUCH_ERR_NOT_FOUND,
		    "certificate serial not recorded");
		goto out;
	}
	rv = VOUCH_OK;
 out:
	sqlite3_finalize(st);
	return rv;
}

static enum vouch_err
sq_cert_count(struct vouch_ctx *ctx, struct store *s, uint64_t *out)
{
	enum vouch_err rv = VOUCH_ERR_STORE;
	sqlite3_stmt *st = NULL;
	sqlite3_int64 n;
	bool row = false;

	if (s == NULL || out == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT, "cert_count");
	}
	*out = 0;
	rv = sq_prepare(ctx, s, "SELECT COUNT(*) FROM certs", &st);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = sq_step_row(ctx, s, st, "cert_count", &row);
	if (rv != VOUCH_OK) {
		goto out;
	}
	n = row ? sqlite3_column_int64(st, 0) : -1;
	if (n < 0) {
		rv = vouch_fail(ctx, VOUCH_ERR_STORE, "sqlite: cert_count: no count");
		goto out;
	}
	*out = (uint64_t)n;
	rv = VOUCH_OK;
 out:
	sqlite3_finalize(st);
	return rv;
}

/*
 * Read MAX(version) and insert under one write lock: two processes
 * storing the same version cannot both succeed, and an older version
 * can never become current.
 */
static enum vouch_err
sq_policy_put(struct vouch_ctx *ctx, struct store *s, int64_t version,
    const uint8_t *signed_policy, size_t len, int64_t now)
{
	enum vouch_err rv = VOUCH_ERR_STORE;
	sqlite3_stmt *st = NULL;
	sqlite3_int64 max = 0;
	bool row = false;

	if (s == NULL || signed_policy == NULL || len == 0 || version < 1) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "policy_put: empty policy or version below 1");
	}
	if (len > STORE_POLICY_MAX_BYTES) {
		return vouch_fail(ctx, VOUCH_ERR_TOO_LARGE,
		    "policy_put: %zu bytes, at most %u", len,
		    STORE_POLICY_MAX_BYTES);
	}
	rv = sq_begin(ctx, s);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = sq_prepare(ctx, s, "SELECT MAX(version) FROM policies", &st);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = sq_step_row(ctx, s, st, "policy_put: current version", &row);
	if (rv != VOUCH_OK) {
		goto out;
	}
	if (row && sqlite3_column_type(st, 0) != SQLITE_NULL) {
		max = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	st = NULL;
	if (version <= max) {
		rv = vouch_fail(ctx, VOUCH_ERR_POLICY_ROLLBACK,
		    "policy version %lld is not above the stored %lld",
		    (long long)version, (long long)max);
		goto out;
	}
	rv = sq_prepare(ctx, s,
	    "INSERT INTO policies (version, signed, stored_at)"
	    " VALUES (?1, ?2, ?3)", &st);
	if (rv != VOUCH_OK) {
		goto out;
	}
	if (sqlite3_bind_int64(st, 1, version) != SQLITE_OK ||
	    sqlite3_bind_blob(st, 2, signed_policy, (int)len,
	    SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 3, now) != SQLITE_OK) {
		rv = sq_fail(ctx, s, "policy_put: bind");
		goto out;
	}
	rv = sq_step_done(ctx, s, st, "policy_put");
	if (rv != VOUCH_OK) {
		goto out;
	}
	sqlite3_finalize(st);
	st = NULL;
	rv = sq_commit(ctx, s);
 out:
	sqlite3_finalize(st);
	if (rv != VOUCH_OK) {
		sq_rollback(s);
	}
	return rv;
}

static enum vouch_err
sq_policy_current(struct vouch_ctx *ctx, struct store *s,
    int64_t *out_version, uint8_t **out, size_t *out_len)
{
	enum vouch_err rv = VOUCH_ERR_STORE;
	sqlite3_stmt *st = NULL;
	const void *blob;
	uint8_t *buf = NULL;
	int n;
	bool row = false;

	if (s == NULL || out_version == NULL || out == NULL ||
	    out_len == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "policy_current");
	}
	*out_version = 0;
	*out = NULL;
	*out_len = 0;
	rv = sq_cached(ctx, s, SQ_ST_POLICY_CURRENT,
	    "SELECT version, signed FROM policies ORDER BY version DESC LIMIT 1",
	    &st);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = sq_step_row(ctx, s, st, "policy_current", &row);
	if (rv != VOUCH_OK) {
		goto out;
	}
	if (!row) {
		rv = vouch_fail(ctx, VOUCH_ERR_NOT_FOUND, "no policy stored");
		goto out;
	}
	blob = sqlite3_column_blob(st, 1);
	n = sqlite3_column_bytes(st, 1);
	if (sqlite3_column_type(st, 1) != SQLITE_BLOB || blob == NULL ||
	    n <= 0 || (size_t)n > STORE_POLICY_MAX_BYTES) {
		rv = vouch_fail(ctx, VOUCH_ERR_STORE,
		    "sqlite: stored policy is empty, not a blob or too large");
		goto out;
	}
	buf = malloc((size_t)n);
	if (buf == NULL) {
		rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "policy_current");
		goto out;
	}
	memcpy(buf, blob, (size_t)n);
	*out_version = sqlite3_column_int64(st, 0);
	*out = buf;
	*out_len = (size_t)n;
	buf = NULL;
	rv = VOUCH_OK;
 out:
	free(buf);
	sq_release(st);
	return rv;
}

/* Append {key: integer} to |obj|; false when out of memory. */
static bool
sq_json_set_int(json_t *obj, const char *key, int64_t v)
{
	return json_object_set_new(obj, key, json_integer((json_int_t)v)) == 0;
}

static enum vouch_err
sq_policy_list(struct vouch_ctx *ctx, struct store *s, json_t **out)
{
	enum vouch_err rv = VOUCH_ERR_STORE;
	sqlite3_stmt *st = NULL;
	json_t *arr = NULL, *item = NULL;
	bool row = false;
	int rc;

	if (s == NULL || out == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT, "policy_list");
	}
	*out = NULL;
	arr = json_array();
	if (arr == NULL) {
		rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "policy_list");
		goto out;
	}
	rv = sq_prepare(ctx, s,
	    "SELECT version, stored_at FROM policies ORDER BY version", &st);
	if (rv != VOUCH_OK) {
		goto out;
	}
	for (;;) {
		rv = sq_step_row(ctx, s, st, "policy_list", &row);
		if (rv != VOUCH_OK) {
			goto out;
		}
		if (!row) {
			break;
		}
		item = json_object();
		if (item == NULL ||
		    !sq_json_set_int(item, "version", sqlite3_column_int64(st, 0)) ||
		    !sq_json_set_int(item, "stored_at",
		    sqlite3_column_int64(st, 1))) {
			rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "policy_list");
			goto out;
		}
		/* json_array_append_new takes |item| even when it fails. */
		rc = json_array_append_new(arr, item);
		item = NULL;
		if (rc != 0) {
			rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "policy_list");
			goto out;
		}
	}
	*out = arr;
	arr = NULL;
	rv = VOUCH_OK;
 out:
	json_decref(item);
	json_decref(arr);
	sqlite3_finalize(st);
	return rv;
}

/*
 * hash = SHA-256(prev_hash || u64be(seq) || u64be(time) || event), the
 * chain step shared by append and verify.
 */
static enum vouch_err
sq_audit_hash(struct vouch_ctx *ctx, const uint8_t prev[STORE_AUDIT_HASH_BYTES],
    uint64_t seq, int64_t time, const uint8_t *event, size_t event_len,
    uint8_t out[STORE_AUDIT_HASH_BYTES])
{
	uint64_t t = (uint64_t)time;
	uint8_t *buf;
	size_t i;

	if (event_len > SQ_AUDIT_EVENT_MAX) {
		return vouch_fail(ctx, VOUCH_ERR_TOO_LARGE,
		    "audit event above %u bytes", SQ_AUDIT_EVENT_MAX);
	}
	buf = malloc(SQ_AUDIT_PREFIX_LEN + event_len);
	if (buf == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "audit hash");
	}
	memcpy(buf, prev, STORE_AUDIT_HASH_BYTES);
	for (i = 0; i < 8; i++) {
		buf[STORE_AUDIT_HASH_BYTES + i] = (uint8_t)(seq >> (56 - 8 * i));
		buf[STORE_AUDIT_HASH_BYTES + 8 + i] = (uint8_t)(t >> (56 - 8 * i));
	}
	if (event_len > 0) {
		memcpy(buf + SQ_AUDIT_PREFIX_LEN, event, event_len);
	}
	vouch_sha256(buf, SQ_AUDIT_PREFIX_LEN + event_len, out);
	free(buf);
	return VOUCH_OK;
}

/* Copy a stored hash column, which must be exactly 32 bytes. */
static bool
sq_column_hash(sqlite3_stmt *st, int col, uint8_t out[STORE_AUDIT_HASH_BYTES])
{
	const void *p = sqlite3_column_blob(st, col);

	if (sqlite3_column_type(st, col) != SQLITE_BLOB || p == NULL ||
	    sqlite3_column_bytes(st, col) != STORE_AUDIT_HASH_BYTES) {
		return false;
	}
	memcpy(out, p, STORE_AUDIT_HASH_BYTES);
	return true;
}

/*
 * Append |event| to the chain inside the caller's transaction (the caller
 * began it and commits or rolls back).
 */
static enum vouch_err
sq_audit_insert(struct vouch_ctx *ctx, struct store *s, int64_t time,
    const json_t *event, uint64_t *out_seq)
{
	enum vouch_err rv = VOUCH_ERR_STORE;
	sqlite3_stmt *st = NULL;
	uint8_t prev[STORE_AUDIT_HASH_BYTES], hash[STORE_AUDIT_HASH_BYTES];
	sqlite3_int64 last = 0;
	char *text = NULL;
	size_t text_len;
	bool row = false;

	if (out_seq != NULL) {
		*out_seq = 0;
	}
	if (s == NULL || event == NULL || !json_is_object(event) || time < 0) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "audit_append: event must be a JSON object, time >= 0");
	}
	text = vouch_json_dump(event);
	if (text == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_NO_MEMORY,
		    "audit_append: cannot serialize the event");
	}
	text_len = strlen(text);
	if (text_len > SQ_AUDIT_EVENT_MAX) {
		rv = vouch_fail(ctx, VOUCH_ERR_TOO_LARGE,
		    "audit_append: event above %u bytes", SQ_AUDIT_EVENT_MAX);
		goto out;
	}
	rv = sq_cached(ctx, s, SQ_ST_AUDIT_LAST,
	    "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", &st);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = sq_step_row(ctx, s, st, "audit_append: last record", &row);
	if (rv != VOUCH_OK) {
		goto out;
	}
	memset(prev, 0, sizeof(prev));
	if (row) {
		last = sqlite3_column_int64(st, 0);
		if (last < 1 || last == INT64_MAX || !sq_column_hash(st, 1, prev)) {
			rv = vouch_fail(ctx, VOUCH_ERR_STORE,
			    "audit_append: the last record is malformed");
			goto out;
		}
	}
	sq_release(st);
	st = NULL;
	rv = sq_audit_hash(ctx, prev, (uint64_t)last + 1, time,
	    (const uint8_t *)text, text_len, hash);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = sq_cached(ctx, s, SQ_ST_AUDIT_INSERT,
	    "INSERT INTO audit (seq, time, event, prev_hash, hash)"
	    " VALUES (?1, ?2, ?3, ?4, ?5)", &st);
	if (rv != VOUCH_OK) {
		goto out;
	}
	if (sqlite3_bind_int64(st, 1, last + 1) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, time) != SQLITE_OK ||
	    sqlite3_bind_text(st, 3, text, (int)text_len, SQLITE_STATIC) !=
	    SQLITE_OK ||
	    sqlite3_bind_blob(st, 4, prev, sizeof(prev), SQLITE_STATIC) !=
	    SQLITE_OK ||
	    sqlite3_bind_blob(st, 5, hash, sizeof(hash), SQLITE_STATIC) !=
	    SQLITE_OK) {
		rv = sq_fail(ctx, s, "audit_append: bind");
		goto out;
	}
	rv = sq_step_done(ctx, s, st, "audit_append");
	if (rv != VOUCH_OK) {
		goto out;
	}
	if (out_seq != NULL) {
		*out_seq = (uint64_t)last + 1;
	}
 out:
	sq_release(st);
	free(text);
	return rv;
}

static enum vouch_err
sq_cert_record_audited(struct vouch_ctx *ctx, struct store *s,
    const struct store_cert *c, int64_t time, const json_t *event,
    uint64_t *out_seq)
{
	enum vouch_err rv;

	if (out_seq != NULL) {
		*out_seq = 0;
	}
	if (s == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "cert_record_audited");
	}
	rv = sq_begin(ctx, s);
	if (rv == VOUCH_OK) {
		rv = sq_cert_record(ctx, s, c);
	}
	if (rv == VOUCH_OK) {
		rv = sq_audit_insert(ctx, s, time, event, out_seq);
	}
	if (rv == VOUCH_OK) {
		rv = sq_commit(ctx, s);
	}
	if (rv != VOUCH_OK) {
		sq_rollback(s);
		if (out_seq != NULL) {
			*out_seq = 0;
		}
	}
	return rv;
}

static enum vouch_err
sq_audit_append(struct vouch_ctx *ctx, struct store *s, int64_t time,
    const json_t *event, uint64_t *out_seq)
{
	enum vouch_err rv;

	if (out_seq != NULL) {
		*out_seq = 0;
	}
	if (s == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT, "audit_append");
	}
	rv = sq_begin(ctx, s);
	if (rv == VOUCH_OK) {
		rv = sq_audit_insert(ctx, s, time, event, out_seq);
	}
	if (rv == VOUCH_OK) {
		rv = sq_commit(ctx, s);
	}
	if (rv != VOUCH_OK) {
		sq_rollback(s);
		if (out_seq != NULL) {
			*out_seq = 0;
		}
	}
	return rv;
}

/* One stored record as {"seq","time","event","hash"}. */
static enum vouch_err
sq_audit_row_json(struct vouch_ctx *ctx, sqlite3_stmt *st, json_t **out)
{
	enum vouch_err rv = VOUCH_ERR_STORE;
	uint8_t hash[STORE_AUDIT_HASH_BYTES];
	char hex[2 * STORE_AUDIT_HASH_BYTES + 1];
	const unsigned char *text;
	sqlite3_int64 seq;
	json_t *obj = NULL, *event = NULL;
	int n;

	*out = NULL;
	seq = sqlite3_column_int64(st, 0);
	text = sqlite3_column_text(st, 2);
	n = sqlite3_column_bytes(st, 2);
	if (text == NULL || n < 0 || (size_t)n > SQ_AUDIT_EVENT_MAX ||
	    !sq_column_hash(st, 3, hash) ||
	    !vouch_hex_encode(hash, sizeof(hash), hex, sizeof(hex))) {
		rv = vouch_fail(ctx, VOUCH_ERR_STORE,
		    "audit record %lld is malformed", (long long)seq);
		goto out;
	}
	rv = vouch_json_load(ctx, text, (size_t)n, SQ_AUDIT_EVENT_MAX, &event);
	if (rv != VOUCH_OK || !json_is_object(event)) {
		rv = vouch_fail(ctx, VOUCH_ERR_STORE,
		    "audit record %lld: event is not a JSON object",
		    (long long)seq);
		goto out;
	}
	obj = json_object();
	if (obj == NULL || !sq_json_set_int(obj, "seq", seq) ||
	    !sq_json_set_int(obj, "time", sqlite3_column_int64(st, 1)) ||
	    json_object_set(obj, "event", event) != 0 ||
	    json_object_set_new(obj, "hash", json_string(hex)) != 0) {
		rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "audit_list");
		goto out;
	}
	*out = obj;
	obj = NULL;
	rv = VOUCH_OK;
 out:
	json_decref(event);
	json_decref(obj);
	return rv;
}

static enum vouch_err
sq_audit_list(struct vouch_ctx *ctx, struct store *s, uint64_t after,
    size_t limit, json_t **out)
{
	enum vouch_err rv = VOUCH_ERR_STORE;
	sqlite3_stmt *st = NULL;
	json_t *arr = NULL, *rec = NULL;
	bool row = false;
	int rc;

	if (s == NULL || out == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT, "audit_list");
	}
	*out = NULL;
	if (limit > STORE_AUDIT_PAGE_MAX) {
		limit = STORE_AUDIT_PAGE_MAX;
	}
	if (after > (uint64_t)INT64_MAX) {
		after = (uint64_t)INT64_MAX;
	}
	arr = json_array();
	if (arr == NULL) {
		rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "audit_list");
		goto out;
	}
	rv = sq_prepare(ctx, s,
	    "SELECT seq, time, event, hash FROM audit WHERE seq > ?1"
	    " ORDER BY seq LIMIT ?2", &st);
	if (rv != VOUCH_OK) {
		goto out;
	}
	if (sqlite3_bind_int64(st, 1, (sqlite3_int64)after) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, (sqlite3_int64)limit) != SQLITE_OK) {
		rv = sq_fail(ctx, s, "audit_list: bind");
		goto out;
	}
	for (;;) {
		rv = sq_step_row(ctx, s, st, "audit_list", &row);
		if (rv != VOUCH_OK) {
			goto out;
		}
		if (!row) {
			break;
		}
		rv = sq_audit_row_json(ctx, st, &rec);
		if (rv != VOUCH_OK) {
			goto out;
		}
		/* json_array_append_new takes |rec| even when it fails. */
		rc = json_array_append_new(arr, rec);
		rec = NULL;
		if (rc != 0) {
			rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "audit_list");
			goto out;
		}
	}
	*out = arr;
	arr = NULL;
	rv = VOUCH_OK;
 out:
	json_decref(arr);
	sqlite3_finalize(st);
	return rv;
}

/*
 * Walk the whole log in one statement (one consistent snapshot) and
 * check, for record number i: its seq is i (nothing deleted or
 * inserted), its prev_hash is the hash of record i - 1 (zeros for the
 * first), and its hash is the recomputed one.  A record whose event was
 * edited fails the last check; rewriting its hash as well breaks the
 * next record's link.  Removing records from the end leaves a shorter
 * valid chain; only a copy of the last hash kept elsewhere shows that.
 */
static enum vouch_err
sq_audit_verify(struct vouch_ctx *ctx, struct store *s, uint64_t *out_count,
    uint64_t *out_first_bad)
{
	enum vouch_err rv = VOUCH_ERR_STORE;
	sqlite3_stmt *st = NULL;
	uint8_t prev[STORE_AUDIT_HASH_BYTES], stored_prev[STORE_AUDIT_HASH_BYTES];
	uint8_t stored[STORE_AUDIT_HASH_BYTES], want[STORE_AUDIT_HASH_BYTES];
	const unsigned char *text;
	uint64_t expect = 1, bad = 0;
	int n;
	bool row = false;

	if (out_count != NULL) {
		*out_count = 0;
	}
	if (out_first_bad != NULL) {
		*out_first_bad = 0;
	}
	if (s == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT, "audit_verify");
	}
	memset(prev, 0, sizeof(prev));
	rv = sq_prepare(ctx, s,
	    "SELECT seq, time, event, prev_hash, hash FROM audit ORDER BY seq",
	    &st);
	if (rv != VOUCH_OK) {
		goto out;
	}
	for (;; expect++) {
		rv = sq_step_row(ctx, s, st, "audit_verify", &row);
		if (rv != VOUCH_OK) {
			goto out;
		}
		if (!row) {
			break;
		}
		if (sqlite3_column_int64(st, 0) != (sqlite3_int64)expect) {
			bad = expect;
			rv = vouch_fail(ctx, VOUCH_ERR_STORE,
			    "audit record %llu: missing or out of sequence",
			    (unsigned long long)expect);
			goto out;
		}
		text = sqlite3_column_text(st, 2);
		n = sqlite3_column_bytes(st, 2);
		if (text == NULL || n < 0 || (size_t)n > SQ_AUDIT_EVENT_MAX ||
		    !sq_column_hash(st, 3, stored_prev) ||
		    !sq_column_hash(st, 4, stored)) {
			bad = expect;
			rv = vouch_fail(ctx, VOUCH_ERR_STORE,
			    "audit record %llu: malformed",
			    (unsigned long long)expect);
			goto out;
		}
		if (!vouch_ct_eq(stored_prev, prev, sizeof(prev))) {
			bad = expect;
			rv = vouch_fail(ctx, VOUCH_ERR_STORE,
			    "audit record %llu: does not link to the previous "
			    "record", (unsigned long long)expect);
			goto out;
		}
		rv = sq_audit_hash(ctx, prev, expect, sqlite3_column_int64(st, 1),
		    text, (size_t)n, want);
		if (rv != VOUCH_OK) {
			goto out;
		}
		if (!vouch_ct_eq(stored, want, sizeof(want))) {
			bad = expect;
			rv = vouch_fail(ctx, VOUCH_ERR_STORE,
			    "audit record %llu: hash does not match its content",
			    (unsigned long long)expect);
			goto out;
		}
		memcpy(prev, stored, sizeof(prev));
	}
	rv = VOUCH_OK;
 out:
	/* On a break, the count is of the intact records before it. */
	if (out_count != NULL && (rv == VOUCH_OK || bad != 0)) {
		*out_count = expect - 1;
	}
	if (out_first_bad != NULL) {
		*out_first_bad = bad;
	}
	sqlite3_finalize(st);
	return rv;
}

/* ---- secrets (docs/secrets.md) ------------------------------------ */

void
store_secret_clear(struct store_secret *sec)
{
	if (sec == NULL) {
		return;
	}
	free(sec->wrapped);
	memset(sec, 0, sizeof(*sec));
}

/* A name as the API allows it: 1 to 64 of [A-Za-z0-9._-]. */
static bool
sq_secret_name_ok(const char *name)
{
	size_t i, n;

	if (name == NULL) {
		return false;
	}
	n = strnlen(name, STORE_SECRET_NAME_MAX + 1);
	if (n == 0 || n > STORE_SECRET_NAME_MAX) {
		return false;
	}
	for (i = 0; i < n; i++) {
		if (!((name[i] >= 'a' && name[i] <= 'z') ||
		    (name[i] >= 'A' && name[i] <= 'Z') ||
		    (name[i] >= '0' && name[i] <= '9') || name[i] == '.' ||
		    name[i] == '_' || name[i] == '-')) {
			return false;
		}
	}
	return true;
}

/*
 * Copy text column |col| into |out| (cap bytes with the NUL); false
 * when it is NULL, empty, longer than cap - 1 or holds a NUL byte.
 */
static bool
sq_column_text_copy(sqlite3_stmt *st, int col, char *out, size_t cap)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	int n = sqlite3_column_bytes(st, col);

	if (t == NULL || n <= 0 || (size_t)n >= cap ||
	    memchr(t, '\0', (size_t)n) != NULL) {
		return false;
	}
	memcpy(out, t, (size_t)n);
	out[n] = '\0';
	return true;
}

/*
 * Read one row of (name, version, rule, created_at, kek_id[, wrapped])
 * into |sec|, treating it as hostile: names checked, lengths bounded.
 */
static enum vouch_err
sq_secret_row(struct vouch_ctx *ctx, sqlite3_stmt *st, bool with_value,
    struct store_secret *sec)
{
	const void *blob;
	int n;

	memset(sec, 0, sizeof(*sec));
	if (!sq_column_text_copy(st, 0, sec->name, sizeof(sec->name)) ||
	    !sq_secret_name_ok(sec->name) ||
	    sqlite3_column_type(st, 1) != SQLITE_INTEGER ||
	    (sec->version = sqlite3_column_int64(st, 1)) < 1 ||
	    !sq_column_text_copy(st, 2, sec->rule, sizeof(sec->rule)) ||
	    !sq_secret_name_ok(sec->rule) ||
	    sqlite3_column_type(st, 3) != SQLITE_INTEGER ||
	    !sq_column_text_copy(st, 4, sec->kek_id, sizeof(sec->kek_id))) {
		memset(sec, 0, sizeof(*sec));
		return vouch_fail(ctx, VOUCH_ERR_STORE,
		    "sqlite: malformed secret row");
	}
	sec->created_at = sqlite3_column_int64(st, 3);
	if (!with_value) {
		return VOUCH_OK;
	}
	blob = sqlite3_column_blob(st, 5);
	n = sqlite3_column_bytes(st, 5);
	if (sqlite3_column_type(st, 5) != SQLITE_BLOB || blob == NULL ||
	    n <= 0 || (size_t)n > STORE_WRAPPED_MAX) {
		memset(sec, 0, sizeof(*sec));
		return vouch_fail(ctx, VOUCH_ERR_STORE,
		    "sqlite: malformed wrapped secret");
	}
	sec->wrapped = malloc((size_t)n);
	if (sec->wrapped == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "secret_get");
	}
	memcpy(sec->wrapped, blob, (size_t)n);
	sec->wrapped_len = (size_t)n;
	return VOUCH_OK;
}

/*
 * Inside the caller's transaction: |event| (if any), with |key| set to
 * |value|, appended to the audit log.
 */
static enum vouch_err
sq_audit_with(struct vouch_ctx *ctx, struct store *s, int64_t now,
    json_t *event, const char *key, int64_t value)
{
	if (event == NULL) {
		return VOUCH_OK;
	}
	if (json_object_set_new(event, key, json_integer(value)) != 0) {
		return vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
	}
	return sq_audit_insert(ctx, s, now, event, NULL);
}

/*
 * The version counter bump and the insert are one BEGIN IMMEDIATE
 * transaction: two processes storing the same name get two different
 * versions, and a crash leaves either both or neither.
 */
static enum vouch_err
sq_secret_put(struct vouch_ctx *ctx, struct store *s, const char *name,
    const char *rule, int64_t now, store_wrap_fn wrap, void *arg,
    json_t *event, int64_t *out_version)
{
	enum vouch_err rv = VOUCH_ERR_STORE;
	sqlite3_stmt *st = NULL;
	char kek_id[STORE_KEK_ID_MAX + 1];
	uint8_t *wrapped = NULL;
	size_t wrapped_len = 0;
	int64_t version = 0;
	bool row = false;

	if (out_version != NULL) {
		*out_version = 0;
	}
	if (s == NULL || wrap == NULL || !sq_secret_name_ok(name) ||
	    !sq_secret_name_ok(rule)) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "secret_put: bad name or rule");
	}
	rv = sq_begin(ctx, s);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = sq_prepare(ctx, s,
	    "INSERT INTO secret_names (name, last_version) VALUES (?1, 1)"
	    " ON CONFLICT (name) DO UPDATE SET last_version = last_version + 1"
	    " RETURNING last_version", &st);
	if (rv != VOUCH_OK) {
		goto out;
	}
	if (sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC) != SQLITE_OK) {
		rv = sq_fail(ctx, s, "secret_put: bind");
		goto out;
	}
	rv = sq_step_row(ctx, s, st, "secret_put: version", &row);
	if (rv != VOUCH_OK) {
		goto out;
	}
	version = row ? sqlite3_column_int64(st, 0) : 0;
	if (version < 1) {
		rv = vouch_fail(ctx, VOUCH_ERR_STORE,
		    "sqlite: secret_put: no version");
		goto out;
	}
	rv = sq_step_done(ctx, s, st, "secret_put: version");
	if (rv != VOUCH_OK) {
		goto out;
	}
	sqlite3_finalize(st);
	st = NULL;
	kek_id[0] = '\0';
	rv = wrap(ctx, arg, name, version, kek_id, &wrapped, &wrapped_len);
	if (rv != VOUCH_OK) {
		goto out;
	}
	if (wrapped == NULL || wrapped_len == 0 ||
	    wrapped_len > STORE_WRAPPED_MAX || kek_id[0] == '\0') {
		rv = vouch_fail(ctx, VOUCH_ERR_INTERNAL,
		    "secret_put: wrapping produced nothing");
		goto out;
	}
	rv = sq_prepare(ctx, s,
	    "INSERT INTO secrets (name, version, rule, created_at, kek_id,"
	    " wrapped) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", &st);
	if (rv != VOUCH_OK) {
		goto out;
	}
	if (sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, version) != SQLITE_OK ||
	    sqlite3_bind_text(st, 3, rule, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 4, now) != SQLITE_OK ||
	    sqlite3_bind_text(st, 5, kek_id, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_blob(st, 6, wrapped, (int)wrapped_len,
	    SQLITE_STATIC) != SQLITE_OK) {
		rv = sq_fail(ctx, s, "secret_put: bind");
		goto out;
	}
	rv = sq_step_done(ctx, s, st, "secret_put");
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = sq_audit_with(ctx, s, now, event, "version", version);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = sq_commit(ctx, s);
	if (rv != VOUCH_OK) {
		goto out;
	}
	if (out_version != NULL) {
		*out_version = version;
	}
 out:
	sqlite3_finalize(st);
	if (rv != VOUCH_OK) {
		sq_rollback(s);
	}
	free(wrapped);
	return rv;
}

static enum vouch_err
sq_secret_get(struct vouch_ctx *ctx, struct store *s, const char *name,
    struct store_secret *out)
{
	enum vouch_err rv = VOUCH_ERR_STORE;
	sqlite3_stmt *st = NULL;
	bool row = false;

	if (out == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT, "secret_get");
	}
	memset(out, 0, sizeof(*out));
	if (s == NULL || !sq_secret_name_ok(name)) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "secret_get: bad name");
	}
	rv = sq_prepare(ctx, s,
	    "SELECT name, version, rule, created_at, kek_id, wrapped"
	    " FROM secrets WHERE name = ?1 ORDER BY version DESC LIMIT 1", &st);
	if (rv != VOUCH_OK) {
		goto out;
	}
	if (sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC) != SQLITE_OK) {
		rv = sq_fail(ctx, s, "secret_get: bind");
		goto out;
	}
	rv = sq_step_row(ctx, s, st, "secret_get", &row);
	if (rv != VOUCH_OK) {
		goto out;
	}
	if (!row) {
		rv = vouch_fail(ctx, VOUCH_ERR_NOT_FOUND, "no secret %s", name);
		goto out;
	}
	rv = sq_secret_row(ctx, st, true, out);
	if (rv == VOUCH_OK && strcmp(out->name, name) != 0) {
		rv = vouch_fail(ctx, VOUCH_ERR_STORE,
		    "sqlite: secret row for another name");
	}
 out:
	if (rv != VOUCH_OK) {
		store_secret_clear(out);
	}
	sqlite3_finalize(st);
	return rv;
}

static enum vouch_err
sq_secret_list(struct vouch_ctx *ctx, struct store *s, const char *name,
    json_t **out)
{
	enum vouch_err rv = VOUCH_ERR_STORE;
	struct store_secret sec;
	sqlite3_stmt *st = NULL;
	json_t *arr = NULL, *item = NULL;
	bool row = false;
	int rc;

	if (s == NULL || out == NULL || (name != NULL &&
	    !sq_secret_name_ok(name))) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "secret_list");
	}
	*out = NULL;
	arr = json_array();
	if (arr == NULL) {
		rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "secret_list");
		goto out;
	}
	rv = sq_prepare(ctx, s, name != NULL ?
	    "SELECT name, version, rule, created_at, kek_id FROM secrets"
	    " WHERE name = ?1 ORDER BY name, version" :
	    "SELECT name, version, rule, created_at, kek_id FROM secrets"
	    " ORDER BY name, version", &st);
	if (rv != VOUCH_OK) {
		goto out;
	}
	if (name != NULL &&
	    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC) != SQLITE_OK) {
		rv = sq_fail(ctx, s, "secret_list: bind");
		goto out;
	}
	for (;;) {
		rv = sq_step_row(ctx, s, st, "secret_list", &row);
		if (rv != VOUCH_OK) {
			goto out;
		}
		if (!row) {
			break;
		}
		rv = sq_secret_row(ctx, st, false, &sec);
		if (rv != VOUCH_OK) {
			goto out;
		}
		item = json_pack("{s:s, s:I, s:s, s:I, s:s}", "name", sec.name,
		    "version", (json_int_t)sec.version, "rule", sec.rule,
		    "created_at", (json_int_t)sec.created_at, "kek_id",
		    sec.kek_id);
		if (item == NULL) {
			rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "secret_list");
			goto out;
		}
		rc = json_array_append_new(arr, item);
		item = NULL;
		if (rc != 0) {
			rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "secret_list");
			goto out;
		}
	}
	*out = arr;
	arr = NULL;
	rv = VOUCH_OK;
 out:
	json_decref(arr);
	sqlite3_finalize(st);
	return rv;
}

static enum vouch_err
sq_secret_delete(struct vouch_ctx *ctx, struct store *s, const char *name,
    int64_t now, json_t *event, uint64_t *out_count)
{
	enum vouch_err rv = VOUCH_ERR_STORE;
	sqlite3_stmt *st = NULL;
	int n;

	if (out_count != NULL) {
		*out_count = 0;
	}
	if (s == NULL || !sq_secret_name_ok(name)) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "secret_delete: bad name");
	}
	/* The delete and its audit record: both or neither. */
	rv = sq_begin(ctx, s);
	if (rv != VOUCH_OK) {
		return rv;
	}
	rv = sq_prepare(ctx, s, "DELETE FROM secrets WHERE name = ?1", &st);
	if (rv != VOUCH_OK) {
		goto out;
	}
	if (sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC) != SQLITE_OK) {
		rv = sq_fail(ctx, s, "secret_delete: bind");
		goto out;
	}
	rv = sq_step_done(ctx, s, st, "secret_delete");
	if (rv != VOUCH_OK) {
		goto out;
	}
	n = sqlite3_changes(s->db);
	if (n == 0) {
		rv = vouch_fail(ctx, VOUCH_ERR_NOT_FOUND, "no secret %s", name);
		goto out;
	}
	rv = sq_audit_with(ctx, s, now, event, "versions", n);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = sq_commit(ctx, s);
	if (rv == VOUCH_OK && out_count != NULL) {
		*out_count = (uint64_t)n;
	}
 out:
	sqlite3_finalize(st);
	if (rv != VOUCH_OK) {
		sq_rollback(s);
	}
	return rv;
}

/* The (name, version) keys of every stored version, read first. */
struct sq_secret_key {
	char	name[STORE_SECRET_NAME_MAX + 1];
	int64_t	version;
};

static enum vouch_err
sq_secret_keys(struct vouch_ctx *ctx, struct store *s,
    struct sq_secret_key **out, size_t *out_n)
{
	enum vouch_err rv = VOUCH_ERR_STORE;
	struct sq_secret_key *keys = NULL, *nk;
	sqlite3_stmt *st = NULL;
	size_t n = 0, cap = 0;
	bool row = false;

	*out = NULL;
	*out_n = 0;
	rv = sq_prepare(ctx, s,
	    "SELECT name, version FROM secrets ORDER BY name, version", &st);
	if (rv != VOUCH_OK) {
		goto out;
	}
	for (;;) {
		rv = sq_step_row(ctx, s, st, "secret_rewrap: list", &row);
		if (rv != VOUCH_OK) {
			goto out;
		}
		if (!row) {
			break;
		}
		if (n == cap) {
			cap = cap == 0 ? 64 : cap * 2;
			nk = vouch_reallocarray(keys, cap, sizeof(*keys));
			if (nk == NULL) {
				rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY,
				    "secret_rewrap");
				goto out;
			}
			keys = nk;
		}
		if (!sq_column_text_copy(st, 0, keys[n].name,
		    sizeof(keys[n].name))) {
			rv = vouch_fail(ctx, VOUCH_ERR_STORE,
			    "sqlite: malformed secret row");
			goto out;
		}
		keys[n].version = sqlite3_column_int64(st, 1);
		n++;
	}
	*out = keys;
	*out_n = n;
	keys = NULL;
	rv = VOUCH_OK;
 out:
	free(keys);
	sqlite3_finalize(st);
	return rv;
}

/*
 * All versions are rewrapped inside one BEGIN IMMEDIATE transaction, so
 * a crash (or kill -9) at any point leaves every version under the old
 * key or every version under the new one, never a mixture.
 */
static enum vouch_err
sq_secret_rewrap(struct vouch_ctx *ctx, struct store *s,
    store_rewrap_fn rewrap, void *arg, uint64_t *out_changed)
{
	enum vouch_err rv = VOUCH_ERR_STORE;
	struct sq_secret_key *keys = NULL;
	struct store_secret sec;
	sqlite3_stmt *get = NULL, *upd = NULL;
	char kek_id[STORE_KEK_ID_MAX + 1];
	uint8_t *wrapped = NULL;
	size_t n = 0, i, wrapped_len = 0;
	uint64_t changed = 0;
	bool row = false;

	memset(&sec, 0, sizeof(sec));
	if (out_changed != NULL) {
		*out_changed = 0;
	}
	if (s == NULL || rewrap == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "secret_rewrap");
	}
	rv = sq_begin(ctx, s);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = sq_secret_keys(ctx, s, &keys, &n);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = sq_prepare(ctx, s,
	    "SELECT name, version, rule, created_at, kek_id, wrapped"
	    " FROM secrets WHERE name = ?1 AND version = ?2", &get);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = sq_prepare(ctx, s,
	    "UPDATE secrets SET kek_id = ?1, wrapped = ?2"
	    " WHERE name = ?3 AND version = ?4", &upd);
	if (rv != VOUCH_OK) {
		goto out;
	}
	for (i = 0; i < n; i++) {
		sqlite3_reset(get);
		if (sqlite3_bind_text(get, 1, keys[i].name, -1,
		    SQLITE_STATIC) != SQLITE_OK ||
		    sqlite3_bind_int64(get, 2, keys[i].version) != SQLITE_OK) {
			rv = sq_fail(ctx, s, "secret_rewrap: bind");
			goto out;
		}
		rv = sq_step_row(ctx, s, get, "secret_rewrap: read", &row);
		if (rv == VOUCH_OK && !row) {
			rv = vouch_fail(ctx, VOUCH_ERR_STORE,
			    "sqlite: secret_rewrap: row vanished");
		}
		if (rv != VOUCH_OK) {
			goto out;
		}
		rv = sq_secret_row(ctx, get, true, &sec);
		if (rv != VOUCH_OK) {
			goto out;
		}
		kek_id[0] = '\0';
		rv = rewrap(ctx, arg, &sec, kek_id, &wrapped, &wrapped_len);
		if (rv != VOUCH_OK) {
			goto out;
		}
		if (wrapped != NULL) {
			if (wrapped_len == 0 || wrapped_len > STORE_WRAPPED_MAX ||
			    kek_id[0] == '\0') {
				rv = vouch_fail(ctx, VOUCH_ERR_INTERNAL,
				    "secret_rewrap: bad rewrapped value");
				goto out;
			}
			sqlite3_reset(upd);
			if (sqlite3_bind_text(upd, 1, kek_id, -1,
			    SQLITE_STATIC) != SQLITE_OK ||
			    sqlite3_bind_blob(upd, 2, wrapped, (int)wrapped_len,
			    SQLITE_STATIC) != SQLITE_OK ||
			    sqlite3_bind_text(upd, 3, keys[i].name, -1,
			    SQLITE_STATIC) != SQLITE_OK ||
			    sqlite3_bind_int64(upd, 4, keys[i].version) !=
			    SQLITE_OK) {
				rv = sq_fail(ctx, s, "secret_rewrap: bind");
				goto out;
			}
			rv = sq_step_done(ctx, s, upd, "secret_rewrap: update");
			if (rv != VOUCH_OK) {
				goto out;
			}
			changed++;
			free(wrapped);
			wrapped = NULL;
		}
		store_secret_clear(&sec);
	}
	sqlite3_finalize(get);
	sqlite3_finalize(upd);
	get = NULL;
	upd = NULL;
	rv = sq_commit(ctx, s);
	if (rv != VOUCH_OK) {
		goto out;
	}
	if (out_changed != NULL) {
		*out_changed = changed;
	}
 out:
	sqlite3_finalize(get);
	sqlite3_finalize(upd);
	if (rv != VOUCH_OK) {
		sq_rollback(s);
	}
	store_secret_clear(&sec);
	free(wrapped);
	free(keys);
	return rv;
}

static enum vouch_err
sq_secret_kek_ids(struct vouch_ctx *ctx, struct store *s, json_t **out)
{
	enum vouch_err rv = VOUCH_ERR_STORE;
	sqlite3_stmt *st = NULL;
	json_t *arr = NULL, *item = NULL;
	char id[STORE_KEK_ID_MAX + 1];
	bool row = false;
	int rc;

	if (s == NULL || out == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "secret_kek_ids");
	}
	*out = NULL;
	arr = json_array();
	if (arr == NULL) {
		rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "secret_kek_ids");
		goto out;
	}
	rv = sq_prepare(ctx, s, "SELECT kek_id, COUNT(*) FROM secrets"
	    " GROUP BY kek_id ORDER BY kek_id", &st);
	if (rv != VOUCH_OK) {
		goto out;
	}
	for (;;) {
		rv = sq_step_row(ctx, s, st, "secret_kek_ids", &row);
		if (rv != VOUCH_OK) {
			goto out;
		}
		if (!row) {
			break;
		}
		if (!sq_column_text_copy(st, 0, id, sizeof(id))) {
			rv = vouch_fail(ctx, VOUCH_ERR_STORE,
			    "sqlite: malformed kek_id");
			goto out;
		}
		item = json_pack("{s:s, s:I}", "kek_id", id, "versions",
		    (json_int_t)sqlite3_column_int64(st, 1));
		if (item == NULL) {
			rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY,
			    "secret_kek_ids");
			goto out;
		}
		rc = json_array_append_new(arr, item);
		item = NULL;
		if (rc != 0) {
			rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY,
			    "secret_kek_ids");
			goto out;
		}
	}
	*out = arr;
	arr = NULL;
	rv = VOUCH_OK;
 out:
	json_decref(arr);
	sqlite3_finalize(st);
	return rv;
}

/*
 * The check and the increment are one statement: of several processes
 * racing for the last allowed release exactly one gets a row back.
 */
static enum vouch_err
sq_release_count_take(struct vouch_ctx *ctx, struct store *s,
    const char *rule, int64_t max, int64_t *out_count)
{
	enum vouch_err rv = VOUCH_ERR_STORE;
	sqlite3_stmt *st = NULL;
	int64_t count = 0;
	bool row = false;

	if (out_count != NULL) {
		*out_count = 0;
	}
	if (s == NULL || !sq_secret_name_ok(rule) || max < 0) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "release_count_take");
	}
	rv = sq_prepare(ctx, s,
	    "INSERT INTO release_counts (rule, count) VALUES (?1, 1)"
	    " ON CONFLICT (rule) DO UPDATE SET count = count + 1"
	    " WHERE count < ?2 RETURNING count", &st);
	if (rv != VOUCH_OK) {
		goto out;
	}
	if (sqlite3_bind_text(st, 1, rule, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, max > 0 ? max : INT64_MAX) !=
	    SQLITE_OK) {
		rv = sq_fail(ctx, s, "release_count_take: bind");
		goto out;
	}
	rv = sq_step_row(ctx, s, st, "release_count_take", &row);
	if (rv != VOUCH_OK) {
		goto out;
	}
	if (row) {
		count = sqlite3_column_int64(st, 0);
		/* Run to the end: the autocommit transaction commits there. */
		rv = sq_step_done(ctx, s, st, "release_count_take");
		if (rv != VOUCH_OK) {
			goto out;
		}
	}
	if (!row) {
		rv = vouch_fail(ctx, VOUCH_ERR_POLICY_DENIED,
		    "release rule %s: max_releases %lld reached", rule,
		    (long long)max);
		goto out;
	}
	if (out_count != NULL) {
		*out_count = count;
	}
	rv = VOUCH_OK;
 out:
	sqlite3_finalize(st);
	return rv;
}

static enum vouch_err
sq_release_count_get(struct vouch_ctx *ctx, struct store *s,
    const char *rule, int64_t *out)
{
	enum vouch_err rv = VOUCH_ERR_STORE;
	sqlite3_stmt *st = NULL;
	bool row = false;

	if (out == NULL || s == NULL || !sq_secret_name_ok(rule)) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "release_count_get");
	}
	*out = 0;
	rv = sq_prepare(ctx, s,
	    "SELECT count FROM release_counts WHERE rule = ?1", &st);
	if (rv != VOUCH_OK) {
		goto out;
	}
	if (sqlite3_bind_text(st, 1, rule, -1, SQLITE_STATIC) != SQLITE_OK) {
		rv = sq_fail(ctx, s, "release_count_get: bind");
		goto out;
	}
	rv = sq_step_row(ctx, s, st, "release_count_get", &row);
	if (rv == VOUCH_OK && row) {
		*out = sqlite3_column_int64(st, 0);
	}
 out:
	sqlite3_finalize(st);
	return rv;
}

const struct store_ops store_sqlite_ops = {
	.name = "sqlite",
	.open = sq_open,
	.close = sq_close,
	.nonce_put = sq_nonce_put,
	.nonce_consume = sq_nonce_consume,
	.nonce_purge = sq_nonce_purge,
	.cert_record = sq_cert_record,
	.cert_record_audited = sq_cert_record_audited,
	.cert_exists = sq_cert_exists,
	.cert_count = sq_cert_count,
	.policy_put = sq_policy_put,
	.policy_current = sq_policy_current,
	.policy_list = sq_policy_list,
	.audit_append = sq_audit_append,
	.audit_list = sq_audit_list,
	.audit_verify = sq_audit_verify,
	.secret_put = sq_secret_put,
	.secret_get = sq_secret_get,
	.secret_list = sq_secret_list,
	.secret_delete = sq_secret_delete,
	.secret_rewrap = sq_secret_rewrap,
	.secret_kek_ids = sq_secret_kek_ids,
	.release_count_take = sq_release_count_take,
	.release_count_get = sq_release_count_get,
};
