/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vouch.h: the application API.  A program running in a TEE opens a
 * context, certifies itself with vouchd, opens attested channels to its
 * peers, seals data to itself, and closes.  No OpenSSL type appears here.
 *
 * Every call that can fail returns an enum vouch_err (VOUCH_OK is 0) and
 * keeps a detail message in the context: vouch_last_error().  Nothing is
 * printed.  A context is used by one thread at a time.
 *
 * A complete attested server:
 *
 *	struct vouch *v;
 *	struct vouch_options o = { .platform = "auto", .store_dir = "state",
 *	    .domain_root = "domain.pem", .service_url = "https://vouchd:8443" };
 *	vouch_open(&v, &o);
 *	vouch_certify(v);
 *	vouch_channel_accept(v, fd, NULL, &ch);
 *	vouch_channel_read(ch, buf, sizeof(buf), &n);
 *	vouch_channel_write(ch, buf, n);
 *	vouch_channel_close(ch);
 *	vouch_close(v);
 */
#ifndef VOUCH_H
#define VOUCH_H

#include <stddef.h>
#include <stdint.h>

#include "vouch/catalog.h"
#include "vouch/err.h"

struct vouch;
struct vouch_channel;

/* Largest measurement any platform reports (bytes). */
#define VOUCH_MEASUREMENT_MAX_BYTES	64
/* Largest plaintext vouch_seal accepts (bytes). */
#define VOUCH_SEAL_MAX_BYTES		(1u << 30)

struct vouch_options {
	/* "auto" (detect), "sim", "snp", "tdx", "sgx", "tpm", "cca". */
	const char	*platform;
	/*
	 * Directory for the sealed store (the attested key and admission
	 * certificate); created with mode 0700 if missing.
	 */
	const char	*store_dir;
	/* PEM file of the domain root certificate (built into the app). */
	const char	*domain_root;
	/* vouchd's URL, "https://host:port". */
	const char	*service_url;
	/*
	 * sim only: the simulated platform directory ("vouch sim init").
	 * NULL means the VOUCH_SIM_DIR environment variable.
	 */
	const char	*sim_dir;
	/*
	 * Renew the admission certificate when less than this many seconds
	 * of validity remain (0: a quarter of its lifetime).
	 */
	int64_t		 renew_before;
};

/*
 * vouch_open creates a context for |opts| (copied; not kept).  store_dir
 * and domain_root are required (VOUCH_ERR_INVALID_ARGUMENT); service_url
 * is needed only when vouch_certify has to ask vouchd (and, on TDX,
 * whenever the store is sealed or unsealed: docs/tdx.md §5.1).  Platform
 * "auto" (or NULL) picks the first platform found here: "snp" (configfs-
 * tsm with the sev_guest provider, or /dev/sev-guest), "tdx" (configfs-
 * tsm with tdx_guest), "sgx" (Gramine's /dev/attestation with DCAP), then
 * "sim" when sim_dir or VOUCH_SIM_DIR is set; none is
 * VOUCH_ERR_UNSUPPORTED_PLATFORM.  A platform named but not found here is
 * VOUCH_ERR_INVALID_ARGUMENT; "tpm" and "cca" are
 * VOUCH_ERR_UNSUPPORTED_PLATFORM.  It measures the running program (the
 * launch MEASUREMENT, MRTD or MRENCLAVE on hardware) and
 * opens the sealed store (store_dir/identity.sealed) if there is one: a
 * store that fails to unseal (tampered, truncated, or sealed by another
 * measurement or platform) is an error (VOUCH_ERR_SIGNATURE_INVALID), as
 * is one that unseals but does not parse; it is never silently replaced.
 * On success |*out| must be freed with vouch_close; on failure it is NULL
 * (and no detail is available: vouch_open returns only the code).
 */
VOUCH_API enum vouch_err vouch_open(struct vouch **out,
    const struct vouch_options *opts) VOUCH_MUST_CHECK;

/*
 * vouch_certify makes sure |v| holds a valid admission certificate: it
 * reuses the stored one unless it expires within the renewal window (or
 * no longer verifies to the domain root), and otherwise asks vouchd for a
 * challenge, makes a fresh ECDSA P-384 key in the TEE, collects evidence
 * whose report_data binds the nonce and the public key (docs/vouchd.md),
 * certifies, checks that the returned chain is for that key, names this
 * program and verifies to the domain root, and saves key, chain and EAR
 * in the sealed store.  VOUCH_ERR_POLICY_DENIED when vouchd refuses (its
 * problem code in the detail); VOUCH_ERR_NETWORK when it cannot be
 * reached or answers otherwise.  On failure the previous identity, if
 * any, is kept.
 */
VOUCH_API enum vouch_err vouch_certify(struct vouch *v) VOUCH_MUST_CHECK;

/*
 * What a channel requires of its peer, beyond an admission certificate
 * chaining to the domain root.  NULL or zeroed: any admitted peer.
 */
struct vouch_peer_requirements {
	/* If measurement_len > 0, the peer's measurement must equal it. */
	uint8_t		measurement[VOUCH_MEASUREMENT_MAX_BYTES];
	size_t		measurement_len;
	/* If not NULL, the peer's platform must be this ("sim", ...). */
	const char	*platform;
};

/* Who the peer is, read from its verified admission certificate. */
struct vouch_peer_info {
	char		platform[16];
	uint8_t		measurement[VOUCH_MEASUREMENT_MAX_BYTES];
	size_t		measurement_len;
	int64_t		policy_version;
	char		release[65];
	int64_t		not_after;
};

/*
 * vouch_channel_connect opens TLS 1.3 to |host|:|port| with mutual
 * authentication by admission certificates: the server's chain must end
 * at the domain root and satisfy |req|.  vouch_channel_accept does the
 * same as the server on a connected socket |fd| (the channel takes
 * ownership of it and closes it, on failure too).  A peer without a
 * certificate, from another domain, expired, or not meeting |req| fails
 * the handshake (VOUCH_ERR_CHAIN_INVALID, VOUCH_ERR_CERT_EXPIRED,
 * VOUCH_ERR_MEASUREMENT_NOT_TRUSTED, VOUCH_ERR_PLATFORM_MISMATCH).
 * Requires vouch_certify first (VOUCH_ERR_STATE).  Connecting and the
 * handshake time out after 10 and 30 seconds (VOUCH_ERR_NETWORK).
 *
 * |host| names where to connect only: the peer's identity is its
 * admission certificate, never its host name.  In TLS 1.3 the client's
 * handshake ends before the server has checked the client certificate,
 * so a client the server refuses learns it at its first read.
 *
 * A channel belongs to the context that made it and must be closed
 * before vouch_close.  Channels never raise SIGPIPE (sends use
 * MSG_NOSIGNAL) and the library never changes signal dispositions.
 * Reads block until data arrives; writes until all bytes are sent.
 */
VOUCH_API enum vouch_err vouch_channel_connect(struct vouch *v, const char *host,
    uint16_t port, const struct vouch_peer_requirements *req,
    struct vouch_channel **out) VOUCH_MUST_CHECK;
VOUCH_API enum vouch_err vouch_channel_accept(struct vouch *v, int fd,
    const struct vouch_peer_requirements *req, struct vouch_channel **out)
    VOUCH_MUST_CHECK;
/* The peer's identity after the handshake. */
VOUCH_API enum vouch_err vouch_channel_peer(const struct vouch_channel *ch,
    struct vouch_peer_info *out) VOUCH_MUST_CHECK;
/*
 * vouch_channel_read reads up to |cap| bytes; |*out_n| is 0 at a clean
 * end of stream (the peer's close_notify).  A connection cut without
 * close_notify is VOUCH_ERR_TRUNCATED.  vouch_channel_write writes all
 * |n| bytes.  After a failure the channel can only be closed.
 */
VOUCH_API enum vouch_err vouch_channel_read(struct vouch_channel *ch, void *buf,
    size_t cap, size_t *out_n) VOUCH_MUST_CHECK;
VOUCH_API enum vouch_err vouch_channel_write(struct vouch_channel *ch,
    const void *buf, size_t n) VOUCH_MUST_CHECK;
/* vouch_channel_close shuts the channel down and frees it; NULL is fine. */
VOUCH_API void vouch_channel_close(struct vouch_channel *ch);

/*
 * vouch_sign signs |n| bytes with the attested key (ECDSA P-384/SHA-384,
 * raw r||s, 96 bytes into |sig|), so a relying party holding the admission
 * chain can check that this attested program produced them.
 */
VOUCH_API enum vouch_err vouch_sign(struct vouch *v, const uint8_t *msg, size_t n,
    uint8_t sig[96]) VOUCH_MUST_CHECK;
/*
 * vouch_admission_chain returns the PEM admission chain (leaf first) and
 * the EAR token of the current certification; both belong to |v|.
 */
VOUCH_API enum vouch_err vouch_admission_chain(struct vouch *v,
    const char **out_chain_pem, const char **out_ear) VOUCH_MUST_CHECK;

/*
 * vouch_seal encrypts |n| bytes (at most VOUCH_SEAL_MAX_BYTES, else
 * VOUCH_ERR_TOO_LARGE) so that only this program (same measurement) on
 * this platform can decrypt them.  sim: AES-256-GCM with a key derived by
 * HKDF-SHA256 from the platform secret and the measurement; the format is
 * in docs/sealing.md.  |*out| is malloc'd (free with free()); NULL on
 * failure.  vouch_unseal reverses it; a different measurement, platform,
 * any modified byte, a truncation or an unknown format version fails
 * with VOUCH_ERR_SIGNATURE_INVALID and releases nothing.
 */
VOUCH_API enum vouch_err vouch_seal(struct vouch *v, const uint8_t *in, size_t n,
    uint8_t **out, size_t *out_len) VOUCH_MUST_CHECK;
VOUCH_API enum vouch_err vouch_unseal(struct vouch *v, const uint8_t *in, size_t n,
    uint8_t **out, size_t *out_len) VOUCH_MUST_CHECK;

/*
 * The sealed log stream (DESIGN §10, docs/sealed-log.md): free-form
 * records for the tenant only.  Each record is encrypted (AES-256-GCM)
 * under a key used once and ratcheted forward, so a later compromise of
 * the program reads no earlier record; records carry a sequence number
 * and the hash of the previous record; the stream key is sealed to the
 * tenant's X25519 public key (HPKE, RFC 9180).  Records are padded to
 * size buckets (256, 1024, 4096 or 16384 bytes of text) so their sizes
 * say little.  The host only stores the file; `vouch log verify
 * --key TENANT_KEY FILE` decrypts it and names what was dropped,
 * reordered, replayed, tampered, spliced or truncated.
 */
struct vouch_log;

enum vouch_log_level {
	VOUCH_LOG_DEBUG,
	VOUCH_LOG_INFO,
	VOUCH_LOG_WARN,
	VOUCH_LOG_ERROR,
};

/* Longest message text a record carries (bytes); longer text is cut. */
#define VOUCH_LOG_MESSAGE_MAX	16384

/*
 * vouch_log_open starts a new stream appended to |path| (created with
 * mode 0600 if missing; a file may hold several streams, one per open)
 * and sealed to the X25519 public key in the PEM file
 * |tenant_pub_pem_path| (`vouch log keygen`).  The header names this
 * build's profile (vouch_profile) and, when |v| is not NULL, the
 * program's measurement; it is the writer's claim, not attested.  |v| is
 * not kept.  On success |*out| is freed with vouch_log_close; on failure
 * it is NULL and the detail is in |v| (if given).  VOUCH_ERR_NOT_FOUND or
 * VOUCH_ERR_BAD_KEY for the key file, VOUCH_ERR_IO for |path|.
 */
VOUCH_API enum vouch_err vouch_log_open(struct vouch *v, const char *path,
    const char *tenant_pub_pem_path, struct vouch_log **out)
    VOUCH_MUST_CHECK;
/*
 * vouch_log_open_pem is vouch_log_open with the tenant's public key given
 * as PEM text (|len| bytes), e.g. as released by vouchd (vouch_secret_get).
 *
 * Where the tenant key comes from decides who can read the log: it must
 * be part of the measured program or image, or released by vouchd to this
 * measurement, never taken from anything the host controls (an
 * environment variable, a file on the host's disk), or the host can
 * substitute its own key and read everything.  A stream is only as
 * authentic as its origin too: anyone holding the tenant's public key can
 * write a stream that verifies (docs/sealed-log.md §4).
 *
 * A stream belongs to the process that opened it: after fork(2) the child
 * gets VOUCH_ERR_STATE from every call (its close writes nothing), since
 * it shares the key state and would seal other text under the same key
 * and nonce.
 */
VOUCH_API enum vouch_err vouch_log_open_pem(struct vouch *v, const char *path,
    const uint8_t *tenant_pub_pem, size_t len, struct vouch_log **out)
    VOUCH_MUST_CHECK;
/*
 * vouch_log appends one message record of |level|: the printf-style text
 * (at most VOUCH_LOG_MESSAGE_MAX bytes; longer text is cut and the record
 * says so) and the time.  Each record reaches the file in one write(2),
 * so a crash leaves at most a torn last record, which the verifier
 * reports as truncated.  Every 1000 records a checkpoint record follows
 * by itself.  After a write failure the stream accepts nothing more
 * (VOUCH_ERR_STATE).  Not marked must-check: logging is best effort, but
 * the result says whether the record was stored.  Thread-safe.
 */
VOUCH_API enum vouch_err vouch_log(struct vouch_log *l,
    enum vouch_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/*
 * vouch_log_checkpoint appends a checkpoint record (the number of records
 * so far) and syncs the file: the tenant can then check that nothing
 * before it is missing even if the stream is never closed.
 */
VOUCH_API enum vouch_err vouch_log_checkpoint(struct vouch_log *l)
    VOUCH_MUST_CHECK;
/*
 * vouch_log_close appends the close record, syncs and closes the file,
 * wipes the keys and frees |l|; NULL is fine (VOUCH_OK).  The result says
 * whether the close record was stored; |l| is freed either way.
 */
VOUCH_API enum vouch_err vouch_log_close(struct vouch_log *l);

/* Longest secret name; names are 1 to 64 of [A-Za-z0-9._-]. */
#define VOUCH_SECRET_NAME_MAX		64
/* Largest secret value vouchd stores and releases (bytes). */
#define VOUCH_SECRET_MAX_BYTES		(64u * 1024u)

/*
 * vouch_secret_get asks vouchd (service_url) for the secret |name|
 * (docs/secrets.md): it gets a challenge, makes a fresh X25519 key in
 * the TEE, collects evidence whose report_data binds the nonce, that key,
 * |name| and this build's profile, and opens the answer, which vouchd
 * sealed with HPKE (RFC 9180) to that key once the evidence and the
 * secret's release rule in the signed policy held.  The private key is
 * wiped before the call returns, so a recorded answer opens for no one.
 * It needs no admission certificate.  On VOUCH_OK |*out| (malloc'd, 1 to
 * VOUCH_SECRET_MAX_BYTES bytes) holds the newest version of the value;
 * release it with vouch_secret_free.  VOUCH_ERR_POLICY_DENIED when vouchd
 * refuses (its coarse problem code in the detail: the reason is in its
 * audit log, for the tenant); VOUCH_ERR_INVALID_ARGUMENT for a bad name
 * or no service_url; VOUCH_ERR_NETWORK when vouchd cannot be reached or
 * answers otherwise; VOUCH_ERR_SIGNATURE_INVALID when the answer does
 * not open.  On failure |*out| is NULL.
 */
VOUCH_API enum vouch_err vouch_secret_get(struct vouch *v, const char *name,
    uint8_t **out, size_t *out_len) VOUCH_MUST_CHECK;
/* vouch_secret_free wipes |len| bytes at |secret| and frees it; NULL is fine. */
VOUCH_API void vouch_secret_free(uint8_t *secret, size_t len);

/*
 * The build profile this library was compiled with: "debug", "test",
 * "staging" or "production" (CMake option VOUCH_PROFILE, docs/logging.md).
 * It is part of the measured program and is bound into the evidence
 * vouch_certify sends (claim "profile").
 */
VOUCH_API const char *vouch_profile(void);

struct vouch_log;	/* a sealed log stream (vouch_log_open) */

/*
 * vouch_report tells the host that something failed, as one line of the
 * catalog (include/vouch/catalog.h, docs/logging.md), and the tenant why.
 * The printf-style detail goes into |log| (may be NULL) as an error
 * record; on stderr it follows the catalog line only in the debug and
 * test profiles.  In staging and production stderr gets the catalog line
 * alone, and never more than a burst of 10 lines then one per second (a
 * single "further reports suppressed" line marks the gap).  Exit with
 * vouch_code_exit_status(code).  Thread-safe.
 */
VOUCH_API void vouch_report(struct vouch_log *log, enum vouch_code code,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/*
 * vouch_note records progress for the tenant: an info record in |log|
 * (may be NULL), and a line on stdout in the debug and test profiles
 * only.  In staging and production the host sees nothing of it.
 */
VOUCH_API void vouch_note(struct vouch_log *log, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The detail of the last failure on |v| ("" if none). */
VOUCH_API const char *vouch_last_error(const struct vouch *v);

/*
 * vouch_close wipes keys and frees |v|; NULL is fine.  Close the
 * context's channels first.
 */
VOUCH_API void vouch_close(struct vouch *v);

#endif
