/* SPDX-License-Identifier: Apache-2.0 */
/*
 * slog: the sealed, tamper-evident log stream for the tenant (DESIGN §10,
 * docs/sealed-log.md).  The writer side backs vouch_log_open/vouch_log
 * (include/vouch.h); the verifier backs `vouch log verify`.  The CLI, the
 * tests, the fuzz target and the benchmark use this internal API.
 *
 * Format, version 1 (all integers big-endian; docs/sealed-log.md has the
 * byte tables):
 *
 *   stream = header record*          a file holds one or more streams
 *   header = "VOUCHLOG" 01 00 kem kdf aead stream_id[16] key_id[32]
 *            created_ns[8] profile[16] mlen 00*7 measurement[64]
 *            enc[32] header_tag[32]                      (224 bytes)
 *   record = "VR" type bucket stream_id[16] seq[8] prev[32]   (60, the AAD)
 *            ciphertext[12 + capacity(bucket)] tag[16]
 *
 *   HPKE base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, export-only,
 *   to the tenant key with info = "vouch-log-v1" || header[0..160);
 *   CK_0 = Export("vouch-log-v1 chain", 32),
 *   header_tag = Export("vouch-log-v1 header", 32).
 *   Record i: AES-256-GCM under CK_i, nonce 00000000 || seq (12
 *   bytes), AAD the 60 clear bytes, over 32 zero bytes || body; the
 *   first 32 ciphertext bytes are CK_{i+1} and are not stored.  prev = SHA-256 of the previous record (of the header for
 *   seq 0).
 */
#ifndef VOUCH_SLOG_H
#define VOUCH_SLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "internal.h"

#define SLOG_VERSION		1
#define SLOG_MAGIC		"VOUCHLOG"
#define SLOG_MAGIC_LEN		8
#define SLOG_HEADER_BYTES	224
/* Header bytes bound into the HPKE info (everything before enc). */
#define SLOG_HEADER_INFO_BYTES	160
#define SLOG_STREAM_ID_BYTES	16
#define SLOG_KEY_BYTES		32
#define SLOG_HASH_BYTES		32
#define SLOG_PROFILE_BYTES	16
#define SLOG_MEASUREMENT_MAX	64

#define SLOG_REC_MAGIC0		0x56	/* 'V' */
#define SLOG_REC_MAGIC1		0x52	/* 'R' */
/* The clear record header: magic, type, bucket, stream id, seq, prev. */
#define SLOG_REC_HEAD_BYTES	60
/* The body's own header: level, flags, content length, time. */
#define SLOG_BODY_HEAD_BYTES	12
#define SLOG_TAG_BYTES		16
/* Record size = SLOG_REC_OVERHEAD + capacity of its bucket. */
#define SLOG_REC_OVERHEAD \
	(SLOG_REC_HEAD_BYTES + SLOG_BODY_HEAD_BYTES + SLOG_TAG_BYTES)
/*
 * Bucket b holds up to 256 << 2b bytes of content: 256, 1024, 4096,
 * 16384.  Most log lines fit the first, so their sizes say nothing.
 */
#define SLOG_BUCKETS		4
#define SLOG_CONTENT_MAX	16384u
#define SLOG_RECORD_MIN		(SLOG_REC_OVERHEAD + 256)
#define SLOG_RECORD_MAX		(SLOG_REC_OVERHEAD + SLOG_CONTENT_MAX)

/* Record types (clear, in the AAD). */
#define SLOG_TYPE_MESSAGE	1
#define SLOG_TYPE_CHECKPOINT	2
#define SLOG_TYPE_CLOSE		3
/* Body flags. */
#define SLOG_FLAG_TRUNCATED	0x01u	/* the writer cut the message */

/* Levels, as in enum vouch_log_level. */
#define SLOG_LEVEL_MAX		3

/* The writer checkpoints by itself after this many records. */
#define SLOG_CHECKPOINT_EVERY	1000u
/*
 * Records per stream.  The writer closes a stream that reaches it and
 * continues in a new one (a new header in the same file); the verifier
 * never derives keys beyond it.
 */
#define SLOG_MAX_RECORDS	(1u << 20)
/*
 * Verifier limits on hostile input: how far past the highest record seen
 * it ratchets for a record claiming a later seq, how many streams a file
 * may hold, and how many bytes it decrypts in all (a multiple of the file
 * size, so damage costs a bounded amount of retrying).
 */
#define SLOG_MAX_SKIP		(1u << 16)
#define SLOG_MAX_STREAMS	256u
#define SLOG_WORK_FACTOR	4u
#define SLOG_WORK_SLACK		(1u << 24)
/*
 * Largest file slog_verify accepts: it keeps every message's text, so
 * memory is about twice the file.
 */
#define SLOG_FILE_MAX		(256u * 1024u * 1024u)

/* Content capacity of bucket |b| (< SLOG_BUCKETS). */
size_t	slog_bucket_capacity(unsigned b);
/* Size of a record in bucket |b|. */
size_t	slog_record_size(unsigned b);
/* The smallest bucket that holds |n| content bytes (n <= SLOG_CONTENT_MAX). */
unsigned slog_bucket_for(size_t n);

/* ---- writer ---- */

/*
 * Where records go: |write| is called once per header or record with the
 * whole of it and returns VOUCH_OK when every byte was stored.
 */
struct slog_sink {
	enum vouch_err	(*write)(void *arg, const uint8_t *p, size_t n);
	void		*arg;
};

struct slog_writer;

/*
 * slog_writer_new starts a stream sealed to |tenant_pub| and writes its
 * header through |sink|.  |profile| is 1..15 lower-case letters;
 * |measurement| may be NULL (mlen 0) or up to SLOG_MEASUREMENT_MAX bytes.
 * |*out| is freed with slog_writer_free.
 */
enum vouch_err	slog_writer_new(struct vouch_ctx *ctx,
		    const uint8_t tenant_pub[SLOG_KEY_BYTES],
		    const char *profile, const uint8_t *measurement,
		    size_t mlen, const struct slog_sink *sink,
		    struct slog_writer **out)
		    VOUCH_MUST_CHECK;
/*
 * slog_writer_message appends a message record of |level| (0..3).
 * Content longer than SLOG_CONTENT_MAX is cut there and flagged.  After a
 * failure of the sink the writer refuses everything (VOUCH_ERR_STATE).
 */
enum vouch_err	slog_writer_message(struct vouch_ctx *ctx,
		    struct slog_writer *w, unsigned level, const uint8_t *msg,
		    size_t n) VOUCH_MUST_CHECK;
/* slog_writer_checkpoint appends a checkpoint record. */
enum vouch_err	slog_writer_checkpoint(struct vouch_ctx *ctx,
		    struct slog_writer *w) VOUCH_MUST_CHECK;
/*
 * slog_writer_close appends the close record; the writer then refuses
 * further records (VOUCH_ERR_STATE).
 */
enum vouch_err	slog_writer_close(struct vouch_ctx *ctx,
		    struct slog_writer *w) VOUCH_MUST_CHECK;
/*
 * Tests only: close the stream and start a new one after |n| records
 * (at least 2) instead of SLOG_MAX_RECORDS.
 */
void		slog_writer_set_max_records(struct slog_writer *w,
		    uint64_t n);
/* Wipe and free; NULL is fine.  Does not write a close record. */
void		slog_writer_free(struct slog_writer *w);
/*
 * Tests only: the writer's secret state, the chain key of the next
 * record and that record's seq (what a compromise of the writer now
 * would reveal), and the stream id.
 */
void		slog_writer_state(const struct slog_writer *w,
		    uint8_t ck[SLOG_KEY_BYTES], uint64_t *next_seq,
		    uint8_t stream_id[SLOG_STREAM_ID_BYTES]);

/*
 * Tests only: try to open the complete record |rec| (|n| bytes) with the
 * chain key |ck| of its seq.  On VOUCH_OK the body's content is copied to
 * |content| (capacity |cap|, length |*content_len|) and |next_ck| gets
 * the following chain key.  A record that does not authenticate under
 * |ck| is VOUCH_ERR_SIGNATURE_INVALID.
 */
enum vouch_err	slog_open_record(struct vouch_ctx *ctx,
		    const uint8_t ck[SLOG_KEY_BYTES], const uint8_t *rec,
		    size_t n, uint8_t *content, size_t cap, size_t *content_len,
		    uint8_t next_ck[SLOG_KEY_BYTES]) VOUCH_MUST_CHECK;
/*
 * The chain key after |ck| when the record |seq| was not seen: the same
 * derivation the verifier uses to skip ahead.
 */
enum vouch_err	slog_ratchet(struct vouch_ctx *ctx,
		    const uint8_t ck[SLOG_KEY_BYTES], uint64_t seq,
		    uint8_t next_ck[SLOG_KEY_BYTES]) VOUCH_MUST_CHECK;

/* ---- verifier ---- */

/* What can be wrong with a stream; bit (1 << kind) in the masks below. */
enum slog_kind {
	SLOG_DROPPED = 0,	/* a gap in seq */
	SLOG_REORDERED,		/* after a record with a higher seq */
	SLOG_REPLAYED,		/* a record (or header) seen before */
	SLOG_TAMPERED,		/* a record there does not authenticate */
	SLOG_SPLICED,		/* a record of another stream */
	SLOG_TRUNCATED,		/* no close record, or torn at the end */
	SLOG_INCOMPLETE,	/* a verifier limit stopped the check */
	SLOG_KIND_COUNT
};

/* Stable lower-case name of |k| ("dropped", ...). */
const char	*slog_kind_name(enum slog_kind k);

struct slog_stream_info {
	size_t		offset;		/* of its header */
	uint8_t		stream_id[SLOG_STREAM_ID_BYTES];
	char		profile[SLOG_PROFILE_BYTES + 1];
	uint8_t		measurement[SLOG_MEASUREMENT_MAX];
	size_t		measurement_len;
	uint64_t	created_ns;	/* the writer's clock */
	bool		readable;	/* our key, header authentic */
	bool		closed;		/* authentic close record */
	uint64_t	records;	/* authentic, replays excluded */
	unsigned	damage;		/* 1 << slog_kind */
};

struct slog_entry {
	size_t		stream;		/* index into streams */
	size_t		offset;
	uint64_t	seq;
	uint8_t		type;		/* SLOG_TYPE_* */
	uint8_t		level;
	uint8_t		flags;		/* SLOG_FLAG_* */
	bool		duplicate;	/* replay of an earlier one */
	uint64_t	time_ns;
	/* Checkpoint and close records: records and messages so far. */
	uint64_t	count_records;
	uint64_t	count_messages;
	/* Message text, malloc'd (NULL when empty); not NUL-terminated. */
	uint8_t		*text;
	size_t		text_len;
};

struct slog_finding {
	enum slog_kind	kind;
	size_t		stream;		/* SIZE_MAX: before any */
	size_t		offset;		/* where in the file */
	size_t		len;		/* damaged bytes, 0 if none */
	bool		has_seq;
	uint64_t	seq_first;
	uint64_t	seq_last;
	char		detail[192];
};

struct slog_report {
	struct slog_stream_info	*streams;
	size_t			 nstreams;
	struct slog_entry	*entries;	/* file order */
	size_t			 nentries;
	struct slog_finding	*findings;	/* file order per stream */
	size_t			 nfindings;
	unsigned		 damage;	/* 1 << slog_kind, all */
};

/*
 * slog_verify checks |len| bytes of a log file with the tenant's private
 * key |sk| and describes every stream in it, its authentic records and
 * everything wrong with it.  VOUCH_OK means the check ran (the file may
 * still be damaged: see |(*out)->damage|, 0 when intact).  A file whose
 * streams are all sealed to other keys is VOUCH_ERR_BAD_KEY; |*out| is
 * then NULL.  Work and memory are bounded by the SLOG_MAX_* limits.
 */
enum vouch_err	slog_verify(struct vouch_ctx *ctx,
		    const uint8_t sk[SLOG_KEY_BYTES], const uint8_t *buf,
		    size_t len, struct slog_report **out) VOUCH_MUST_CHECK;
/* Wipe the texts and free; NULL is fine. */
void		slog_report_free(struct slog_report *r);

#endif
