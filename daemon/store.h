/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vouchd's state behind one small interface: nonces, issued certificates,
 * signed policies and the audit log.  One table of operations per backend
 * (SQLite now, PostgreSQL later); the API code calls only these.  Every
 * operation is safe with several vouchd processes on one store: nothing
 * is cached across calls, and each check-and-update is one atomic
 * statement or transaction.  A store handle is used by one thread.
 */
#ifndef VOUCHD_STORE_H
#define VOUCHD_STORE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "internal.h"

#define STORE_NONCE_BYTES	32
#define STORE_AUDIT_HASH_BYTES	32
/* Most audit records one list call returns. */
#define STORE_AUDIT_PAGE_MAX	1000
/* Largest signed policy stored. */
#define STORE_POLICY_MAX_BYTES	(256u * 1024u)

struct store;

/* ---- secrets ---- */
/* Longest secret or release rule name ([A-Za-z0-9._-]). */
#define STORE_SECRET_NAME_MAX	64
/* Longest key-encryption key identifier. */
#define STORE_KEK_ID_MAX	80
/* Largest wrapped value stored or read back (64 KiB secret + overhead). */
#define STORE_WRAPPED_MAX	(64u * 1024u + 64u)

/* One stored version of a secret. */
struct store_secret {
	char		 name[STORE_SECRET_NAME_MAX + 1];
	int64_t		 version;
	char		 rule[STORE_SECRET_NAME_MAX + 1];
	int64_t		 created_at;
	char		 kek_id[STORE_KEK_ID_MAX + 1];
	uint8_t		*wrapped;	/* malloc'd */
	size_t		 wrapped_len;
};

/* Free what a store_secret holds and zero it. */
void	store_secret_clear(struct store_secret *sec);

/*
 * Produces the wrapped value of |name|, |version| for secret_put: sets
 * |kek_id| (cap STORE_KEK_ID_MAX + 1) and a malloc'd |*out|.
 */
typedef enum vouch_err (*store_wrap_fn)(struct vouch_ctx *ctx, void *arg,
    const char *name, int64_t version, char *kek_id, uint8_t **out,
    size_t *out_len);
/*
 * Rewraps one stored version |sec| for secret_rewrap: a malloc'd |*out|
 * with its |kek_id|, or |*out| = NULL to leave it unchanged.
 */
typedef enum vouch_err (*store_rewrap_fn)(struct vouch_ctx *ctx, void *arg,
    const struct store_secret *sec, char *kek_id, uint8_t **out,
    size_t *out_len);

struct store_cert {
	char		 serial[33];	/* 128-bit serial, lower-case hex */
	int64_t		 issued_at;
	int64_t		 not_after;
	const char	*platform;
	const uint8_t	*measurement;
	size_t		 measurement_len;
	int64_t		 policy_version;
	const char	*pem;		/* the certificate */
};

struct store_ops {
	const char	*name;
	/* |where|: SQLite: the data directory; PostgreSQL: a conninfo. */
	enum vouch_err	(*open)(struct vouch_ctx *ctx, const char *where,
			    struct store **out);
	void		(*close)(struct store *s);
	/* Remember a fresh nonce valid until |expires| (Unix seconds). */
	enum vouch_err	(*nonce_put)(struct vouch_ctx *ctx, struct store *s,
			    const uint8_t nonce[STORE_NONCE_BYTES], int64_t expires);
	/*
	 * Consume a nonce: one atomic statement that succeeds only if the
	 * nonce exists and expires > |now|, and removes it.  Otherwise
	 * VOUCH_ERR_NONCE_INVALID (unknown, expired or already used).
	 */
	enum vouch_err	(*nonce_consume)(struct vouch_ctx *ctx, struct store *s,
			    const uint8_t nonce[STORE_NONCE_BYTES], int64_t now);
	/* Delete nonces that expired before |now|. */
	enum vouch_err	(*nonce_purge)(struct vouch_ctx *ctx, struct store *s,
			    int64_t now);
	/* Record an issued certificate (durably, before it is returned). */
	enum vouch_err	(*cert_record)(struct vouch_ctx *ctx, struct store *s,
			    const struct store_cert *c);
	/*
	 * cert_record and audit_append of |event| in one transaction: the
	 * certificate is never recorded without its audit record, nor the
	 * other way round, and one commit (one sync) makes both durable.
	 */
	enum vouch_err	(*cert_record_audited)(struct vouch_ctx *ctx,
			    struct store *s, const struct store_cert *c,
			    int64_t time, const json_t *event, uint64_t *out_seq);
	/* Whether a serial was recorded: VOUCH_OK or VOUCH_ERR_NOT_FOUND. */
	enum vouch_err	(*cert_exists)(struct vouch_ctx *ctx, struct store *s,
			    const char *serial);
	/* Number of recorded certificates. */
	enum vouch_err	(*cert_count)(struct vouch_ctx *ctx, struct store *s,
			    uint64_t *out);
	/*
	 * Store a signed policy as the new current version, atomically:
	 * VOUCH_ERR_POLICY_ROLLBACK if |version| <= the highest stored.
	 */
	enum vouch_err	(*policy_put)(struct vouch_ctx *ctx, struct store *s,
			    int64_t version, const uint8_t *signed_policy,
			    size_t len, int64_t now);
	/* The current (highest) policy; VOUCH_ERR_NOT_FOUND if none. */
	enum vouch_err	(*policy_current)(struct vouch_ctx *ctx, struct store *s,
			    int64_t *out_version, uint8_t **out, size_t *out_len);
	/* All stored versions, as [{"version":N,"stored_at":T},...]. */
	enum vouch_err	(*policy_list)(struct vouch_ctx *ctx, struct store *s,
			    json_t **out);
	/*
	 * Append one audit record (|event| is a JSON object, stored as its
	 * compact sorted serialization) in one transaction:
	 * hash = SHA-256(prev_hash || u64be(seq) || u64be(time) || event),
	 * prev_hash of the first record = 32 zero bytes, seq from 1.
	 */
	enum vouch_err	(*audit_append)(struct vouch_ctx *ctx, struct store *s,
			    int64_t time, const json_t *event, uint64_t *out_seq);
	/* Records with seq > |after|, at most |limit|, as a JSON array. */
	enum vouch_err	(*audit_list)(struct vouch_ctx *ctx, struct store *s,
			    uint64_t after, size_t limit, json_t **out);
	/*
	 * Recompute the chain.  VOUCH_OK with the record count, or
	 * VOUCH_ERR_STORE with |*out_first_bad| = the first broken seq.
	 */
	enum vouch_err	(*audit_verify)(struct vouch_ctx *ctx, struct store *s,
			    uint64_t *out_count, uint64_t *out_first_bad);

	/* ---- secrets (daemon/secrets.c, docs/secrets.md) ---- */
	/*
	 * Store a new version of secret |name| under release rule |rule|,
	 * in one transaction: the version is the last one ever given to
	 * |name| plus one (numbers are never reused, also not after a
	 * delete); |wrap| is called inside the transaction with it to
	 * produce the wrapped value.  Durable before it returns.  When
	 * |event| is not NULL it gets "version" and is appended to the
	 * audit log (at |now|) in the same transaction: a stored version
	 * is never without its audit record, nor the other way round.
	 */
	enum vouch_err	(*secret_put)(struct vouch_ctx *ctx, struct store *s,
			    const char *name, const char *rule, int64_t now,
			    store_wrap_fn wrap, void *arg, json_t *event,
			    int64_t *out_version);
	/*
	 * The newest version of |name| (VOUCH_ERR_NOT_FOUND if none);
	 * |out->wrapped| is malloc'd, freed with store_secret_clear.
	 */
	enum vouch_err	(*secret_get)(struct vouch_ctx *ctx, struct store *s,
			    const char *name, struct store_secret *out);
	/*
	 * Metadata of every version of |name|, or of every secret when
	 * |name| is NULL, oldest first per name, names sorted:
	 * [{"name","version","rule","created_at","kek_id"},...].
	 * Never a value.
	 */
	enum vouch_err	(*secret_list)(struct vouch_ctx *ctx, struct store *s,
			    const char *name, json_t **out);
	/*
	 * Delete every version of |name| (the version counter is kept);
	 * VOUCH_ERR_NOT_FOUND if it has none.  |*out_count| = versions
	 * deleted.  When |event| is not NULL it gets "versions" and is
	 * appended to the audit log (at |now|) in the same transaction.
	 */
	enum vouch_err	(*secret_delete)(struct vouch_ctx *ctx, struct store *s,
			    const char *name, int64_t now, json_t *event,
			    uint64_t *out_count);
	/*
	 * Rewrap every stored version in one transaction: |rewrap| sees
	 * each (it may leave one as is by setting |*out| to NULL); either
	 * every change is committed or none.  |*out_changed| counts them.
	 */
	enum vouch_err	(*secret_rewrap)(struct vouch_ctx *ctx, struct store *s,
			    store_rewrap_fn rewrap, void *arg,
			    uint64_t *out_changed);
	/* [{"kek_id": ID, "versions": N}, ...] over every stored version. */
	enum vouch_err	(*secret_kek_ids)(struct vouch_ctx *ctx, struct store *s,
			    json_t **out);
	/*
	 * Count one release under |rule|, atomically (one statement): with
	 * |max| > 0 it fails with VOUCH_ERR_POLICY_DENIED, counting
	 * nothing, when |max| releases were counted already.  |*out_count|
	 * (may be NULL) is the new count.
	 */
	enum vouch_err	(*release_count_take)(struct vouch_ctx *ctx,
			    struct store *s, const char *rule, int64_t max,
			    int64_t *out_count);
	/* Releases counted under |rule| so far (0 if none). */
	enum vouch_err	(*release_count_get)(struct vouch_ctx *ctx,
			    struct store *s, const char *rule, int64_t *out);
};

extern const struct store_ops store_sqlite_ops;

#endif
