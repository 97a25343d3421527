/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The sealed log stream (DESIGN §10, docs/sealed-log.md): a writer that
 * seals every record to the tenant with a forward-secure key ratchet and
 * a hash chain, and the verifier behind `vouch log verify`, which names
 * exactly what is wrong with a damaged file.
 *
 * Crypto, in one paragraph (the doc has the byte tables).  The header
 * is bound into an HPKE base-mode export-only context to the tenant's
 * X25519 key (info = label || the header up to enc), from which come the
 * first chain key CK_0 and a header tag that authenticates the header.
 * Record i is AES-256-GCM under CK_i with the nonce 4 zero bytes ||
 * u64 seq, over 32 zero bytes || body, with AAD = the clear record
 * header; the first 32 bytes of that ciphertext (the CTR keystream
 * blocks 2 and 3 under CK_i) are CK_{i+1} and are never stored.  So
 * each key seals exactly one record, the next key is a PRF output of the
 * current one (AES as a PRF; fast key erasure), and the writer wipes
 * CK_i as soon as record i is written: whoever later learns the writer's
 * state learns CK_n and can neither invert AES to get CK_{n-1} nor read
 * any earlier record.
 *
 * This file calls OpenSSL directly (lib/crypto is otherwise the only
 * module that does) because a record must cost about one AES-GCM call:
 * the cipher, digest and contexts are fetched once per stream and reused,
 * where vouch_aes256gcm_encrypt would fetch and allocate per record.
 * The OpenSSL calls are the slog_prim functions below and nothing else.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/*
 * SHA256_Init/Update/Final are deprecated in OpenSSL 3 but still built;
 * for the chain hash of every record they cost a third less than the
 * EVP interface (no provider dispatch).  Without them (an OpenSSL built
 * with no-deprecated) prim_hash uses EVP.
 */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include "bs/bs.h"
#include "crypto/crypto.h"
#include "crypto/hpke.h"
#include "log/slog.h"
#include "vouch_internal.h"

#define LABEL		"vouch-log-v1"
#define LABEL_CHAIN	"vouch-log-v1 chain"
#define LABEL_HEADER	"vouch-log-v1 header"
#define LEN(s)		(sizeof(s) - 1)

#define NONCE_BYTES	12
/* Offsets in the header (SLOG_HEADER_BYTES). */
#define H_VERSION	8
#define H_RESERVED	9
#define H_KEM		10
#define H_KDF		12
#define H_AEAD		14
#define H_STREAM_ID	16
#define H_KEY_ID	32
#define H_CREATED	64
#define H_PROFILE	72
#define H_MLEN		88
#define H_RESERVED2	89
#define H_MEASUREMENT	96
#define H_ENC		160
#define H_TAG		192
/* Offsets in a record. */
#define R_TYPE		2
#define R_BUCKET	3
#define R_STREAM_ID	4
#define R_SEQ		20
#define R_PREV		28
#define R_BODY		SLOG_REC_HEAD_BYTES
/* Checkpoint and close content: records and messages, u64 each. */
#define COUNTS_BYTES	16
/* Key marks every this many seqs let the verifier re-derive old keys. */
#define MARK_EVERY	64u

_Static_assert(H_TAG + SLOG_KEY_BYTES == SLOG_HEADER_BYTES, "header layout");
_Static_assert(H_ENC == SLOG_HEADER_INFO_BYTES, "info covers up to enc");
_Static_assert(R_PREV + SLOG_HASH_BYTES == SLOG_REC_HEAD_BYTES, "records");
_Static_assert(SLOG_RECORD_MAX <= INT_MAX, "record fits an int");
_Static_assert(SLOG_CONTENT_MAX == VOUCH_LOG_MESSAGE_MAX, "vouch.h limit");
_Static_assert(SLOG_LEVEL_MAX == VOUCH_LOG_ERROR, "vouch.h levels");

size_t
slog_bucket_capacity(unsigned b)
{
	return b < SLOG_BUCKETS ? (size_t)256 << (2 * b) : 0;
}

size_t
slog_record_size(unsigned b)
{
	return b < SLOG_BUCKETS ?
	    SLOG_REC_OVERHEAD + slog_bucket_capacity(b) : 0;
}

unsigned
slog_bucket_for(size_t n)
{
	unsigned b;

	for (b = 0; b + 1 < SLOG_BUCKETS; b++) {
		if (n <= slog_bucket_capacity(b)) {
			break;
		}
	}
	return b;
}

static void
put_u16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put_u32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void
put_u64(uint8_t *p, uint64_t v)
{
	put_u32(p, (uint32_t)(v >> 32));
	put_u32(p + 4, (uint32_t)v);
}

/* A fixed-offset read of bytes already known to be there. */
static uint64_t
peek_u64(const uint8_t *p)
{
	struct cbs c;
	uint64_t v = 0;

	cbs_init(&c, p, 8);
	(void)cbs_get_u64be(&c, &v);
	return v;
}

static uint64_t
now_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME, &ts) != 0 || ts.tv_sec < 0) {
		return 0;
	}
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void
nonce_for(uint64_t seq, uint8_t nonce[NONCE_BYTES])
{
	memset(nonce, 0, 4);
	put_u64(nonce + 4, seq);
}

/*
 * The primitives a stream uses per record, fetched once: AES-256-GCM for
 * records, AES-256-ECB for the verifier's ratchet, SHA-256 for the chain.
 */
struct slog_prim {
	EVP_CIPHER	*gcm;
	EVP_CIPHER	*ecb;
	EVP_MD		*sha256;
	EVP_CIPHER_CTX	*c;
	EVP_CIPHER_CTX	*e;
	EVP_MD_CTX	*m;
	/*
	 * Writer: |c| is already keyed with the chain key of the next
	 * record (prim_seal re-keys it at once for forward secrecy), so the
	 * next prim_seal sets only the nonce.
	 */
	bool		 keyed_next;
};

static void
prim_free(struct slog_prim *p)
{
	/* The frees wipe the key schedules (EVP_CIPHER_CTX_free). */
	EVP_CIPHER_CTX_free(p->c);
	EVP_CIPHER_CTX_free(p->e);
	EVP_MD_CTX_free(p->m);
	EVP_CIPHER_free(p->gcm);
	EVP_CIPHER_free(p->ecb);
	EVP_MD_free(p->sha256);
	memset(p, 0, sizeof(*p));
}

static enum vouch_err
prim_init(struct vouch_ctx *ctx, struct slog_prim *p, bool encrypt)
{
	memset(p, 0, sizeof(*p));
	p->gcm = EVP_CIPHER_fetch(NULL, "AES-256-GCM", NULL);
	p->ecb = EVP_CIPHER_fetch(NULL, "AES-256-ECB", NULL);
	p->sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
	p->c = EVP_CIPHER_CTX_new();
	p->e = EVP_CIPHER_CTX_new();
	p->m = EVP_MD_CTX_new();
	if (p->gcm == NULL || p->ecb == NULL || p->sha256 == NULL ||
	    p->c == NULL || p->e == NULL || p->m == NULL ||
	    EVP_CipherInit_ex(p->c, p->gcm, NULL, NULL, NULL,
	    encrypt ? 1 : 0) != 1 ||
	    EVP_CIPHER_CTX_ctrl(p->c, EVP_CTRL_GCM_SET_IVLEN, NONCE_BYTES,
	    NULL) != 1 ||
	    EVP_EncryptInit_ex(p->e, p->ecb, NULL, NULL, NULL) != 1 ||
	    EVP_CIPHER_CTX_set_padding(p->e, 0) != 1) {
		prim_free(p);
		ERR_clear_error();
		return vouch_fail(ctx, VOUCH_ERR_CRYPTO,
		    "slog: AES-256-GCM, AES-256-ECB or SHA-256 unavailable");
	}
	return VOUCH_OK;
}

static enum vouch_err
prim_hash(struct vouch_ctx *ctx, struct slog_prim *p, const uint8_t *in,
    size_t n, uint8_t out[SLOG_HASH_BYTES])
{
#ifndef OPENSSL_NO_DEPRECATED_3_0
	SHA256_CTX c;

	if (SHA256_Init(&c) == 1 && SHA256_Update(&c, in, n) == 1 &&
	    SHA256_Final(out, &c) == 1) {
		return VOUCH_OK;
	}
#endif
	if (EVP_DigestInit_ex(p->m, p->sha256, NULL) != 1 ||
	    EVP_DigestUpdate(p->m, in, n) != 1 ||
	    EVP_DigestFinal_ex(p->m, out, NULL) != 1) {
		ERR_clear_error();
		return vouch_fail(ctx, VOUCH_ERR_CRYPTO,
		    "slog: SHA-256 failed");
	}
	return VOUCH_OK;
}

/*
 * CK_{seq+1} from CK_seq: AES-256_CK(nonce || 00000002) ||
 * AES-256_CK(nonce || 00000003), the two GCM keystream blocks that
 * encrypt the 32 zero bytes in front of every body.
 */
static enum vouch_err
prim_ratchet(struct vouch_ctx *ctx, struct slog_prim *p,
    const uint8_t ck[SLOG_KEY_BYTES], uint64_t seq,
    uint8_t next[SLOG_KEY_BYTES])
{
	uint8_t blocks[32];
	int l = 0;

	nonce_for(seq, blocks);
	put_u32(blocks + 12, 2);
	nonce_for(seq, blocks + 16);
	put_u32(blocks + 28, 3);
	if (EVP_EncryptInit_ex(p->e, NULL, NULL, ck, NULL) != 1 ||
	    EVP_EncryptUpdate(p->e, next, &l, blocks,
	    (int)sizeof(blocks)) != 1 ||
	    l != (int)sizeof(blocks)) {
		vouch_wipe(next, SLOG_KEY_BYTES);
		ERR_clear_error();
		return vouch_fail(ctx, VOUCH_ERR_CRYPTO,
		    "slog: ratchet failed");
	}
	return VOUCH_OK;
}

/*
 * Seal the record at |rec| in place: the clear header (60 bytes) is the
 * AAD, |body_len| bytes of body at rec + 60 are encrypted, the tag
 * follows.  |next| receives CK_{seq+1}.
 */
static enum vouch_err
prim_seal(struct vouch_ctx *ctx, struct slog_prim *p,
    const uint8_t ck[SLOG_KEY_BYTES], uint64_t seq, uint8_t *rec,
    size_t body_len, uint8_t next[SLOG_KEY_BYTES])
{
	uint8_t nonce[NONCE_BYTES], prev[SLOG_HASH_BYTES];
	int n = (int)(SLOG_KEY_BYTES + body_len), l = 0;
	bool ok;

	nonce_for(seq, nonce);
	if (EVP_EncryptInit_ex(p->c, NULL, NULL, p->keyed_next ? NULL : ck,
	    nonce) != 1 ||
	    EVP_EncryptUpdate(p->c, NULL, &l, rec, SLOG_REC_HEAD_BYTES) != 1) {
		goto fail;
	}
	p->keyed_next = false;
	/*
	 * Once absorbed as AAD, the prev field (the 32 bytes in front of
	 * the body) lends its room to the zero prefix, so prefix and body
	 * are one plaintext and one call; it gets its value back after.
	 */
	memcpy(prev, rec + R_PREV, sizeof(prev));
	memset(rec + R_PREV, 0, SLOG_KEY_BYTES);
	ok = EVP_EncryptUpdate(p->c, rec + R_PREV, &l, rec + R_PREV, n) == 1 &&
	    l == n;
	memcpy(next, rec + R_PREV, SLOG_KEY_BYTES);
	memcpy(rec + R_PREV, prev, sizeof(prev));
	if (!ok ||
	    EVP_EncryptFinal_ex(p->c, rec + R_BODY + body_len, &l) != 1 ||
	    EVP_CIPHER_CTX_ctrl(p->c, EVP_CTRL_GCM_GET_TAG, SLOG_TAG_BYTES,
	    rec + R_BODY + body_len) != 1 ||
	    /*
	     * Forward secrecy: the context's key schedule is CK_seq itself;
	     * re-key it to CK_{seq+1} (needed next anyway) so that nothing
	     * left in memory opens this record.
	     */
	    EVP_EncryptInit_ex(p->c, NULL, NULL, next, NULL) != 1) {
		goto fail;
	}
	p->keyed_next = true;
	return VOUCH_OK;
 fail:
	vouch_wipe(next, SLOG_KEY_BYTES);
	ERR_clear_error();
	return vouch_fail(ctx, VOUCH_ERR_CRYPTO,
	    "slog: record encryption failed");
}

/*
 * Open the |size|-byte record |rec| with CK_seq (|seq| from the record):
 * |body| receives size - 76 bytes of plaintext, |next| CK_{seq+1}.  A
 * tag that does not verify is VOUCH_ERR_SIGNATURE_INVALID, with |body|
 * wiped.  |p| must have been made for decryption.
 */
static enum vouch_err
prim_open(struct vouch_ctx *ctx, struct slog_prim *p,
    const uint8_t ck[SLOG_KEY_BYTES], uint64_t seq, const uint8_t *rec,
    size_t size, uint8_t *body, uint8_t next[SLOG_KEY_BYTES])
{
	uint8_t nonce[NONCE_BYTES], ks[SLOG_KEY_BYTES], lead[SLOG_KEY_BYTES];
	uint8_t tag[SLOG_TAG_BYTES];
	size_t body_len = size - SLOG_REC_HEAD_BYTES - SLOG_TAG_BYTES;
	enum vouch_err rv;
	int l = 0, l2 = 0;

	rv = prim_ratchet(ctx, p, ck, seq, ks);
	if (rv != VOUCH_OK) {
		return rv;
	}
	nonce_for(seq, nonce);
	memcpy(tag, rec + R_BODY + body_len, sizeof(tag));
	if (EVP_DecryptInit_ex(p->c, NULL, NULL, ck, nonce) != 1 ||
	    EVP_DecryptUpdate(p->c, NULL, &l, rec, SLOG_REC_HEAD_BYTES) != 1 ||
	    EVP_DecryptUpdate(p->c, lead, &l, ks, SLOG_KEY_BYTES) != 1 ||
	    EVP_DecryptUpdate(p->c, body, &l2, rec + R_BODY,
	    (int)body_len) != 1 ||
	    EVP_CIPHER_CTX_ctrl(p->c, EVP_CTRL_GCM_SET_TAG, SLOG_TAG_BYTES,
	    tag) != 1) {
		rv = vouch_fail(ctx, VOUCH_ERR_CRYPTO,
		    "slog: record decryption failed");
		goto out;
	}
	if (EVP_DecryptFinal_ex(p->c, body + l2, &l) != 1) {
		rv = vouch_fail(ctx, VOUCH_ERR_SIGNATURE_INVALID,
		    "slog: record does not authenticate");
		goto out;
	}
	memcpy(next, ks, SLOG_KEY_BYTES);
	rv = VOUCH_OK;
 out:
	if (rv != VOUCH_OK) {
		vouch_wipe(body, body_len);
	}
	vouch_wipe(ks, sizeof(ks));
	vouch_wipe(lead, sizeof(lead));
	ERR_clear_error();
	return rv;
}

/*
 * The HPKE context of a stream header: base mode, export only, info =
 * label || header[0..160).  |sk| NULL: the sender side (writes enc into
 * the header); otherwise the recipient side with the tenant's key.
 */
static enum vouch_err
header_keys(struct vouch_ctx *ctx, uint8_t hdr[SLOG_HEADER_BYTES],
    const uint8_t *pub, const uint8_t *sk, uint8_t ck0[SLOG_KEY_BYTES],
    uint8_t tag[SLOG_KEY_BYTES])
{
	uint8_t info[LEN(LABEL) + SLOG_HEADER_INFO_BYTES];
	struct vouch_hpke *h = NULL;
	enum vouch_err rv;

	memcpy(info, LABEL, LEN(LABEL));
	memcpy(info + LEN(LABEL), hdr, SLOG_HEADER_INFO_BYTES);
	if (sk == NULL) {
		rv = vouch_hpke_setup_sender(ctx, VOUCH_HPKE_EXPORT_ONLY, pub,
		    info, sizeof(info), NULL, 0, hdr + H_ENC, &h);
	} else {
		rv = vouch_hpke_setup_recipient(ctx, VOUCH_HPKE_EXPORT_ONLY,
		    hdr + H_ENC, sk, info, sizeof(info), &h);
	}
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = vouch_hpke_export(ctx, h, (const uint8_t *)LABEL_CHAIN,
	    LEN(LABEL_CHAIN), ck0, SLOG_KEY_BYTES);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = vouch_hpke_export(ctx, h, (const uint8_t *)LABEL_HEADER,
	    LEN(LABEL_HEADER), tag, SLOG_KEY_BYTES);
 out:
	if (rv != VOUCH_OK) {
		vouch_wipe(ck0, SLOG_KEY_BYTES);
	}
	vouch_hpke_free(h);
	return rv;
}

/* ------------------------------------------------------------------ */
/* Writer                                                              */

struct slog_writer {
	struct slog_prim	p;
	struct slog_sink	sink;
	uint8_t			tenant_pub[SLOG_KEY_BYTES];
	char			profile[SLOG_PROFILE_BYTES];
	uint8_t			measurement[SLOG_MEASUREMENT_MAX];
	size_t			mlen;
	uint8_t			stream_id[SLOG_STREAM_ID_BYTES];
	uint8_t			ck[SLOG_KEY_BYTES];	/* of |seq| */
	uint8_t			prev[SLOG_HASH_BYTES];
	uint64_t		seq;		/* of the next record */
	uint64_t		messages;
	uint64_t		since_checkpoint;
	uint64_t		max_records;	/* per stream */
	bool			failed;
	bool			closed;
	uint8_t			rec[SLOG_RECORD_MAX];
};

static bool
profile_ok(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n >= SLOG_PROFILE_BYTES) {
		return false;
	}
	for (i = 0; i < n; i++) {
		if (s[i] < 'a' || s[i] > 'z') {
			return false;
		}
	}
	return true;
}

/* Write a new header and reset the stream state: a new stream. */
static enum vouch_err
w_start(struct vouch_ctx *ctx, struct slog_writer *w)
{
	uint8_t hdr[SLOG_HEADER_BYTES], ck0[SLOG_KEY_BYTES];
	enum vouch_err rv;

	memset(hdr, 0, sizeof(hdr));
	memcpy(hdr, SLOG_MAGIC, SLOG_MAGIC_LEN);
	hdr[H_VERSION] = SLOG_VERSION;
	put_u16(hdr + H_KEM, VOUCH_HPKE_KEM_X25519_SHA256);
	put_u16(hdr + H_KDF, VOUCH_HPKE_KDF_HKDF_SHA256);
	put_u16(hdr + H_AEAD, VOUCH_HPKE_EXPORT_ONLY);
	rv = vouch_random(ctx, hdr + H_STREAM_ID, SLOG_STREAM_ID_BYTES);
	if (rv != VOUCH_OK) {
		return rv;
	}
	vouch_sha256(w->tenant_pub, SLOG_KEY_BYTES, hdr + H_KEY_ID);
	put_u64(hdr + H_CREATED, now_ns());
	memcpy(hdr + H_PROFILE, w->profile, strlen(w->profile));
	hdr[H_MLEN] = (uint8_t)w->mlen;
	if (w->mlen > 0) {
		memcpy(hdr + H_MEASUREMENT, w->measurement, w->mlen);
	}
	rv = header_keys(ctx, hdr, w->tenant_pub, NULL, ck0, hdr + H_TAG);
	if (rv != VOUCH_OK) {
		return rv;
	}
	rv = prim_hash(ctx, &w->p, hdr, sizeof(hdr), w->prev);
	if (rv == VOUCH_OK) {
		rv = w->sink.write(w->sink.arg, hdr, sizeof(hdr));
		if (rv != VOUCH_OK) {
			w->failed = true;
			rv = vouch_fail(ctx, rv,
			    "slog: cannot write the header");
		}
	}
	if (rv == VOUCH_OK) {
		memcpy(w->ck, ck0, sizeof(ck0));
		w->p.keyed_next = false;	/* a new chain: key it with CK_0 */
		memcpy(w->stream_id, hdr + H_STREAM_ID, SLOG_STREAM_ID_BYTES);
		w->seq = 0;
		w->messages = 0;
		w->since_checkpoint = 0;
		w->closed = false;
	}
	vouch_wipe(ck0, sizeof(ck0));
	return rv;
}

/*
 * Append one record.  The record is built, sealed in place, hashed and
 * handed to the sink in one piece; only then does the state move on and
 * the used chain key get overwritten by the next one.
 */
static enum vouch_err
w_append(struct vouch_ctx *ctx, struct slog_writer *w, uint8_t type,
    unsigned level, uint8_t flags, const uint8_t *content, size_t n)
{
	uint8_t next[SLOG_KEY_BYTES], hash[SLOG_HASH_BYTES];
	uint8_t *r = w->rec, *body = w->rec + R_BODY;
	unsigned b = slog_bucket_for(n);
	size_t cap = slog_bucket_capacity(b), size = slog_record_size(b);
	enum vouch_err rv;

	if (w->failed || w->closed) {
		return vouch_fail(ctx, VOUCH_ERR_STATE,
		    "slog: the stream is %s", w->failed ?
		    "broken by an earlier write failure" : "closed");
	}
	if (n > cap || level > SLOG_LEVEL_MAX) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "slog: record content or level out of range");
	}
	r[0] = SLOG_REC_MAGIC0;
	r[1] = SLOG_REC_MAGIC1;
	r[R_TYPE] = type;
	r[R_BUCKET] = (uint8_t)b;
	memcpy(r + R_STREAM_ID, w->stream_id, SLOG_STREAM_ID_BYTES);
	put_u64(r + R_SEQ, w->seq);
	memcpy(r + R_PREV, w->prev, SLOG_HASH_BYTES);
	body[0] = (uint8_t)level;
	body[1] = flags;
	put_u16(body + 2, (uint16_t)n);
	put_u64(body + 4, now_ns());
	if (n > 0) {
		memcpy(body + SLOG_BODY_HEAD_BYTES, content, n);
	}
	memset(body + SLOG_BODY_HEAD_BYTES + n, 0, cap - n);
	rv = prim_seal(ctx, &w->p, w->ck, w->seq, r, SLOG_BODY_HEAD_BYTES + cap,
	    next);
	if (rv != VOUCH_OK) {
		vouch_wipe(body, SLOG_BODY_HEAD_BYTES + cap);
		w->failed = true;
		return rv;
	}
	rv = prim_hash(ctx, &w->p, r, size, hash);
	if (rv == VOUCH_OK) {
		rv = w->sink.write(w->sink.arg, r, size);
		if (rv != VOUCH_OK) {
			rv = vouch_fail(ctx, rv,
			    "slog: cannot write record %llu",
			    (unsigned long long)w->seq);
		}
	}
	if (rv != VOUCH_OK) {
		w->failed = true;
		vouch_wipe(next, sizeof(next));
		return rv;
	}
	memcpy(w->ck, next, sizeof(next));
	vouch_wipe(next, sizeof(next));
	memcpy(w->prev, hash, sizeof(hash));
	w->seq++;
	w->since_checkpoint++;
	if (type == SLOG_TYPE_MESSAGE) {
		w->messages++;
	}
	if (type == SLOG_TYPE_CHECKPOINT) {
		w->since_checkpoint = 0;
	}
	if (type == SLOG_TYPE_CLOSE) {
		w->closed = true;
	}
	return VOUCH_OK;
}

/* Checkpoint and close records carry the counts including themselves. */
static enum vouch_err
w_counts(struct vouch_ctx *ctx, struct slog_writer *w, uint8_t type)
{
	uint8_t c[COUNTS_BYTES];

	put_u64(c, w->seq + 1);
	put_u64(c + 8, w->messages);
	return w_append(ctx, w, type, 0, 0, c, sizeof(c));
}

/*
 * Room for one more record besides the close record?  If not, close this
 * stream and continue in a new one, so no stream exceeds what the
 * verifier accepts.
 */
static enum vouch_err
w_room(struct vouch_ctx *ctx, struct slog_writer *w)
{
	enum vouch_err rv;

	if (w->failed || w->closed || w->seq + 2 <= w->max_records) {
		return VOUCH_OK;
	}
	rv = w_counts(ctx, w, SLOG_TYPE_CLOSE);
	if (rv != VOUCH_OK) {
		return rv;
	}
	return w_start(ctx, w);
}

enum vouch_err
slog_writer_new(struct vouch_ctx *ctx, const uint8_t tenant_pub[SLOG_KEY_BYTES],
    const char *profile, const uint8_t *measurement, size_t mlen,
    const struct slog_sink *sink, struct slog_writer **out)
{
	struct slog_writer *w = NULL;
	enum vouch_err rv;

	*out = NULL;
	if (profile == NULL || !profile_ok(profile) ||
	    mlen > SLOG_MEASUREMENT_MAX || (mlen > 0 && measurement == NULL) ||
	    sink == NULL || sink->write == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "slog: bad profile, measurement or sink");
	}
	w = calloc(1, sizeof(*w));
	if (w == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_NO_MEMORY,
		    "slog: out of memory");
	}
	rv = prim_init(ctx, &w->p, true);
	if (rv != VOUCH_OK) {
		free(w);
		return rv;
	}
	memcpy(w->tenant_pub, tenant_pub, SLOG_KEY_BYTES);
	memcpy(w->profile, profile, strlen(profile));
	if (mlen > 0) {
		memcpy(w->measurement, measurement, mlen);
	}
	w->mlen = mlen;
	w->sink = *sink;
	w->max_records = SLOG_MAX_RECORDS;
	rv = w_start(ctx, w);
	if (rv != VOUCH_OK) {
		slog_writer_free(w);
		return rv;
	}
	*out = w;
	return VOUCH_OK;
}

static enum vouch_err
w_message(struct vouch_ctx *ctx, struct slog_writer *w, unsigned level,
    uint8_t flags, const uint8_t *msg, size_t n)
{
	enum vouch_err rv;

	if (n > SLOG_CONTENT_MAX) {
		n = SLOG_CONTENT_MAX;
		flags |= SLOG_FLAG_TRUNCATED;
	}
	rv = w_room(ctx, w);
	if (rv != VOUCH_OK) {
		return rv;
	}
	rv = w_append(ctx, w, SLOG_TYPE_MESSAGE, level, flags, msg, n);
	if (rv == VOUCH_OK && w->since_checkpoint >= SLOG_CHECKPOINT_EVERY) {
		rv = w_room(ctx, w);
		if (rv == VOUCH_OK) {
			rv = w_counts(ctx, w, SLOG_TYPE_CHECKPOINT);
		}
	}
	return rv;
}

enum vouch_err
slog_writer_message(struct vouch_ctx *ctx, struct slog_writer *w,
    unsigned level, const uint8_t *msg, size_t n)
{
	if (w == NULL || (msg == NULL && n > 0) || level > SLOG_LEVEL_MAX) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "slog: bad message arguments");
	}
	return w_message(ctx, w, level, 0, msg, n);
}

enum vouch_err
slog_writer_checkpoint(struct vouch_ctx *ctx, struct slog_writer *w)
{
	enum vouch_err rv;

	if (w == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "slog: no writer");
	}
	rv = w_room(ctx, w);
	if (rv != VOUCH_OK) {
		return rv;
	}
	return w_counts(ctx, w, SLOG_TYPE_CHECKPOINT);
}

enum vouch_err
slog_writer_close(struct vouch_ctx *ctx, struct slog_writer *w)
{
	if (w == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "slog: no writer");
	}
	return w_counts(ctx, w, SLOG_TYPE_CLOSE);
}

void
slog_writer_free(struct slog_writer *w)
{
	if (w == NULL) {
		return;
	}
	prim_free(&w->p);
	vouch_freezero(w, sizeof(*w));
}

void
slog_writer_set_max_records(struct slog_writer *w, uint64_t n)
{
	w->max_records = n < 2 ? 2 : n;
}

void
slog_writer_state(const struct slog_writer *w, uint8_t ck[SLOG_KEY_BYTES],
    uint64_t *next_seq, uint8_t stream_id[SLOG_STREAM_ID_BYTES])
{
	memcpy(ck, w->ck, SLOG_KEY_BYTES);
	*next_seq = w->seq;
	memcpy(stream_id, w->stream_id, SLOG_STREAM_ID_BYTES);
}

/* Parse a record's frame: its size if the magic and bucket are valid. */
static bool
frame_size(const uint8_t *p, size_t avail, size_t *size)
{
	if (avail < 4 || p[0] != SLOG_REC_MAGIC0 || p[1] != SLOG_REC_MAGIC1 ||
	    p[R_BUCKET] >= SLOG_BUCKETS) {
		return false;
	}
	*size = slog_record_size(p[R_BUCKET]);
	return true;
}

enum vouch_err
slog_open_record(struct vouch_ctx *ctx, const uint8_t ck[SLOG_KEY_BYTES],
    const uint8_t *rec, size_t n, uint8_t *content, size_t cap,
    size_t *content_len, uint8_t next_ck[SLOG_KEY_BYTES])
{
	struct slog_prim p;
	uint8_t *body = NULL;
	size_t size = 0, clen;
	enum vouch_err rv;

	*content_len = 0;
	if (!frame_size(rec, n, &size) || size != n) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
		    "slog: not one complete record");
	}
	rv = prim_init(ctx, &p, false);
	if (rv != VOUCH_OK) {
		return rv;
	}
	body = malloc(n);
	if (body == NULL) {
		prim_free(&p);
		return vouch_fail(ctx, VOUCH_ERR_NO_MEMORY,
		    "slog: out of memory");
	}
	rv = prim_open(ctx, &p, ck, peek_u64(rec + R_SEQ), rec, n, body,
	    next_ck);
	if (rv == VOUCH_OK) {
		clen = ((size_t)body[2] << 8) | body[3];
		if (clen > cap || clen > n - SLOG_REC_OVERHEAD) {
			vouch_wipe(next_ck, SLOG_KEY_BYTES);
			rv = vouch_fail(ctx, VOUCH_ERR_TOO_LARGE,
			    "slog: content does not fit");
		} else {
			memcpy(content, body + SLOG_BODY_HEAD_BYTES, clen);
			*content_len = clen;
		}
	}
	vouch_freezero(body, n);
	prim_free(&p);
	return rv;
}

enum vouch_err
slog_ratchet(struct vouch_ctx *ctx, const uint8_t ck[SLOG_KEY_BYTES],
    uint64_t seq, uint8_t next_ck[SLOG_KEY_BYTES])
{
	struct slog_prim p;
	enum vouch_err rv;

	rv = prim_init(ctx, &p, false);
	if (rv != VOUCH_OK) {
		return rv;
	}
	rv = prim_ratchet(ctx, &p, ck, seq, next_ck);
	prim_free(&p);
	return rv;
}

/* ------------------------------------------------------------------ */
/* The libvouch API (include/vouch.h)                                   */

struct vouch_log {
	pthread_mutex_t		 mu;
	int			 fd;
	/*
	 * The process that opened it: a forked child shares the key state
	 * and would seal other text under the same key and nonce.
	 */
	pid_t			 pid;
	struct slog_writer	*w;
	/* vsnprintf's output: the content plus one byte to see a cut. */
	char			 buf[SLOG_CONTENT_MAX + 2];
};

/* One write(2) per record; a short write or EINTR continues it. */
static enum vouch_err
fd_write(void *arg, const uint8_t *p, size_t n)
{
	struct vouch_log *l = arg;
	ssize_t k;

	while (n > 0) {
		k = write(l->fd, p, n);
		if (k < 0) {
			if (errno == EINTR) {
				continue;
			}
			return VOUCH_ERR_IO;
		}
		if (k == 0) {
			return VOUCH_ERR_IO;
		}
		p += k;
		n -= (size_t)k;
	}
	return VOUCH_OK;
}

static enum vouch_err
log_open(struct vouch *v, const char *path, const uint8_t *pub,
    struct vouch_log **out)
{
	struct vouch_ctx *ctx = v != NULL ? v->ctx : NULL;
	struct slog_sink sink;
	struct vouch_log *l = NULL;
	enum vouch_err rv;

	l = calloc(1, sizeof(*l));
	if (l == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
	}
	l->fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (l->fd == -1) {
		rv = vouch_fail(ctx, VOUCH_ERR_IO, "%s: cannot open: %s", path,
		    strerror(errno));
		free(l);
		return rv;
	}
	if (pthread_mutex_init(&l->mu, NULL) != 0) {
		close(l->fd);
		free(l);
		return vouch_fail(ctx, VOUCH_ERR_NO_MEMORY,
		    "vouch_log_open: mutex");
	}
	l->pid = getpid();
	sink.write = fd_write;
	sink.arg = l;
	rv = slog_writer_new(ctx, pub, vouch_profile(),
	    v != NULL ? v->measurement : NULL,
	    v != NULL ? v->measurement_len : 0, &sink, &l->w);
	if (rv != VOUCH_OK) {
		pthread_mutex_destroy(&l->mu);
		close(l->fd);
		free(l);
		return rv;
	}
	*out = l;
	return VOUCH_OK;
}

enum vouch_err
vouch_log_open(struct vouch *v, const char *path,
    const char *tenant_pub_pem_path, struct vouch_log **out)
{
	struct vouch_ctx *ctx = v != NULL ? v->ctx : NULL;
	uint8_t pub[VOUCH_X25519_BYTES];
	enum vouch_err rv;

	if (out == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "vouch_log_open: no output");
	}
	*out = NULL;
	if (path == NULL || tenant_pub_pem_path == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "vouch_log_open: path and tenant key are required");
	}
	rv = vouch_x25519_read_pub_pem(ctx, tenant_pub_pem_path, pub);
	if (rv != VOUCH_OK) {
		return rv;
	}
	return log_open(v, path, pub, out);
}

enum vouch_err
vouch_log_open_pem(struct vouch *v, const char *path,
    const uint8_t *tenant_pub_pem, size_t len, struct vouch_log **out)
{
	struct vouch_ctx *ctx = v != NULL ? v->ctx : NULL;
	uint8_t pub[VOUCH_X25519_BYTES];
	enum vouch_err rv;

	if (out == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "vouch_log_open_pem: no output");
	}
	*out = NULL;
	if (path == NULL || tenant_pub_pem == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "vouch_log_open_pem: path and tenant key are required");
	}
	rv = vouch_x25519_pub_from_pem(ctx, (const char *)tenant_pub_pem, len,
	    pub);
	if (rv != VOUCH_OK) {
		return rv;
	}
	return log_open(v, path, pub, out);
}

enum vouch_err
vouch_log(struct vouch_log *l, enum vouch_log_level level, const char *fmt, ...)
{
	enum vouch_err rv;
	uint8_t flags = 0;
	va_list ap;
	size_t n;
	int k;

	if (l == NULL || fmt == NULL || (unsigned)level > SLOG_LEVEL_MAX) {
		return VOUCH_ERR_INVALID_ARGUMENT;
	}
	if (l->pid != getpid()) {
		return VOUCH_ERR_STATE;
	}
	pthread_mutex_lock(&l->mu);
	va_start(ap, fmt);
	k = vsnprintf(l->buf, SLOG_CONTENT_MAX + 1, fmt, ap);
	va_end(ap);
	if (k < 0) {
		rv = VOUCH_ERR_INVALID_ARGUMENT;
		goto out;
	}
	n = (size_t)k;
	if (n > SLOG_CONTENT_MAX) {
		n = SLOG_CONTENT_MAX;
		flags = SLOG_FLAG_TRUNCATED;
	}
	rv = w_message(NULL, l->w, (unsigned)level, flags,
	    (const uint8_t *)l->buf, n);
	vouch_wipe(l->buf, n);
 out:
	pthread_mutex_unlock(&l->mu);
	return rv;
}

enum vouch_err
vouch_log_checkpoint(struct vouch_log *l)
{
	enum vouch_err rv;

	if (l == NULL) {
		return VOUCH_ERR_INVALID_ARGUMENT;
	}
	if (l->pid != getpid()) {
		return VOUCH_ERR_STATE;
	}
	pthread_mutex_lock(&l->mu);
	rv = slog_writer_checkpoint(NULL, l->w);
	/* A checkpoint is a durability point (pipes cannot sync: EINVAL). */
	if (rv == VOUCH_OK && fdatasync(l->fd) != 0 && errno != EINVAL &&
	    errno != EROFS) {
		rv = VOUCH_ERR_IO;
	}
	pthread_mutex_unlock(&l->mu);
	return rv;
}

enum vouch_err
vouch_log_close(struct vouch_log *l)
{
	enum vouch_err rv;

	if (l == NULL) {
		return VOUCH_OK;
	}
	pthread_mutex_lock(&l->mu);
	if (l->pid != getpid()) {
		/* A forked child: free its copy, write nothing (see pid). */
		rv = VOUCH_ERR_STATE;
	} else {
		rv = slog_writer_close(NULL, l->w);
		if (fsync(l->fd) != 0 && errno != EINVAL && errno != EROFS &&
		    rv == VOUCH_OK) {
			rv = VOUCH_ERR_IO;
		}
	}
	if (close(l->fd) != 0 && rv == VOUCH_OK) {
		rv = VOUCH_ERR_IO;
	}
	slog_writer_free(l->w);
	pthread_mutex_unlock(&l->mu);
	pthread_mutex_destroy(&l->mu);
	vouch_freezero(l, sizeof(*l));
	return rv;
}

/* ------------------------------------------------------------------ */
/* Verifier                                                            */

static const char *const kind_names[SLOG_KIND_COUNT] = {
	[SLOG_DROPPED] = "dropped",
	[SLOG_REORDERED] = "reordered",
	[SLOG_REPLAYED] = "replayed",
	[SLOG_TAMPERED] = "tampered",
	[SLOG_SPLICED] = "spliced",
	[SLOG_TRUNCATED] = "truncated",
	[SLOG_INCOMPLETE] = "incomplete",
};

const char *
slog_kind_name(enum slog_kind k)
{
	return (unsigned)k < SLOG_KIND_COUNT ? kind_names[k] : "unknown";
}

/* What the verifier remembers of one authentic seq. */
struct vseq {
	uint8_t		hash[16];	/* SHA-256 of the record, cut */
	uint8_t		prev[16];	/* its prev field, truncated */
	uint32_t	offset;
	uint8_t		seen;
};

enum { ITEM_REC, ITEM_BAD, ITEM_TORN };

/* A stream's contents in file order, for the end-of-stream analysis. */
struct vitem {
	uint8_t		what;
	bool		foreign;	/* ITEM_BAD: spliced */
	uint64_t	seq;		/* ITEM_REC; ITEM_BAD: clear seq */
	bool		has_seq;	/* ITEM_BAD: whole frame */
	size_t		offset;
	size_t		len;
	size_t		nframes;	/* ITEM_BAD: records in it */
	size_t		finding;	/* ITEM_BAD: its finding */
};

struct vstream {
	bool		active;
	bool		readable;
	size_t		idx;		/* in the report */
	uint8_t		sid[SLOG_STREAM_ID_BYTES];
	uint8_t		header_hash[SLOG_HASH_BYTES];
	uint8_t		last_good[SLOG_HASH_BYTES];
	/* The ratchet: CK at every MARK_EVERY-th seq, and the furthest. */
	uint8_t		(*marks)[SLOG_KEY_BYTES];
	size_t		nmarks;
	uint8_t		cur[SLOG_KEY_BYTES];
	uint64_t	cur_seq;
	struct vseq	*seqs;
	size_t		seqs_cap;
	bool		any_seen;
	uint64_t	max_seen;
	struct vitem	*items;
	size_t		nitems;
	size_t		items_cap;
	bool		closed;
	uint64_t	close_seq;
	bool		has_checkpoint;
	uint64_t	checkpoint_seq;
	uint64_t	checkpoint_records;
};

struct vstate {
	struct vouch_ctx	*ctx;
	const uint8_t		*sk;
	uint8_t			 key_id[SLOG_HASH_BYTES];
	const uint8_t		*buf;
	size_t			 len;
	struct slog_prim	 p;
	struct slog_report	*r;
	size_t			 entries_cap;
	size_t			 findings_cap;
	size_t			 streams_cap;
	struct vstream		 s;	/* the current stream */
	/* Header hashes of every stream so far (replay detection). */
	uint8_t			(*headers)[SLOG_HASH_BYTES];
	size_t			 headers_cap;
	/* The INCOMPLETE finding, once made (its offset is set at the end). */
	size_t			 stop_finding;
	/* Bytes the verifier may still decrypt or ratchet through. */
	uint64_t		 work;
	bool			 stopped;
	/* Cached position of the next header magic (len if none). */
	size_t			 next_hdr;
	size_t			 next_hdr_from;
	uint8_t			 body[SLOG_RECORD_MAX];
	uint8_t			 scratch[SLOG_RECORD_MAX];
};

static enum vouch_err
grow(struct vouch_ctx *ctx, void **p, size_t *cap, size_t need, size_t size)
{
	size_t ncap = *cap == 0 ? 16 : *cap;
	void *np;

	if (need <= *cap) {
		return VOUCH_OK;
	}
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2) {
			return vouch_fail(ctx, VOUCH_ERR_NO_MEMORY,
			    "slog: out of memory");
		}
		ncap *= 2;
	}
	np = vouch_reallocarray(*p, ncap, size);
	if (np == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_NO_MEMORY,
		    "slog: out of memory");
	}
	memset((uint8_t *)np + *cap * size, 0, (ncap - *cap) * size);
	*p = np;
	*cap = ncap;
	return VOUCH_OK;
}

static enum vouch_err VOUCH_PRINTF(6, 7)
finding(struct vstate *st, enum slog_kind kind, size_t offset, size_t len,
    size_t *out_index, const char *fmt, ...)
{
	struct slog_finding *f;
	enum vouch_err rv;
	va_list ap;

	rv = grow(st->ctx, (void **)&st->r->findings, &st->findings_cap,
	    st->r->nfindings + 1, sizeof(*f));
	if (rv != VOUCH_OK) {
		return rv;
	}
	f = &st->r->findings[st->r->nfindings];
	memset(f, 0, sizeof(*f));
	f->kind = kind;
	f->stream = st->s.active ? st->s.idx : SIZE_MAX;
	f->offset = offset;
	f->len = len;
	va_start(ap, fmt);
	(void)vsnprintf(f->detail, sizeof(f->detail), fmt, ap);
	va_end(ap);
	if (out_index != NULL) {
		*out_index = st->r->nfindings;
	}
	st->r->nfindings++;
	st->r->damage |= 1u << kind;
	if (st->s.active) {
		st->r->streams[st->s.idx].damage |= 1u << kind;
	}
	return VOUCH_OK;
}

static void
finding_seq(struct vstate *st, size_t i, uint64_t first, uint64_t last)
{
	st->r->findings[i].has_seq = true;
	st->r->findings[i].seq_first = first;
	st->r->findings[i].seq_last = last;
}

/* The verifier has run out of budget: say so once and stop. */
static enum vouch_err
stop(struct vstate *st, size_t offset, const char *why)
{
	if (st->stopped) {
		return VOUCH_OK;
	}
	st->stopped = true;
	return finding(st, SLOG_INCOMPLETE, offset, 0, &st->stop_finding,
	    "verification stopped: %s", why);
}

static bool
spend(struct vstate *st, uint64_t n)
{
	if (st->work < n) {
		return false;
	}
	st->work -= n;
	return true;
}

static enum vouch_err
add_item(struct vstate *st, const struct vitem *it)
{
	enum vouch_err rv;

	rv = grow(st->ctx, (void **)&st->s.items, &st->s.items_cap,
	    st->s.nitems + 1, sizeof(*it));
	if (rv != VOUCH_OK) {
		return rv;
	}
	st->s.items[st->s.nitems++] = *it;
	return VOUCH_OK;
}

/* Room for |need| key marks; the old array is wiped, not just freed. */
static enum vouch_err
grow_marks(struct vstate *st, size_t need)
{
	struct vstream *s = &st->s;
	uint8_t (*np)[SLOG_KEY_BYTES];
	size_t ncap = s->nmarks == 0 ? 16 : s->nmarks * 2;

	if (need <= s->nmarks) {
		return VOUCH_OK;
	}
	if (ncap < need) {
		ncap = need;
	}
	np = calloc(ncap, SLOG_KEY_BYTES);
	if (np == NULL) {
		return vouch_fail(st->ctx, VOUCH_ERR_NO_MEMORY,
		    "slog: out of memory");
	}
	if (s->marks != NULL) {
		memcpy(np, s->marks, s->nmarks * SLOG_KEY_BYTES);
		vouch_freezero(s->marks, s->nmarks * SLOG_KEY_BYTES);
	}
	s->marks = np;
	s->nmarks = ncap;
	return VOUCH_OK;
}

/*
 * CK_seq of the current stream into |out|, or false when |seq| is beyond
 * what the verifier will derive (SLOG_MAX_RECORDS, SLOG_MAX_SKIP past
 * the highest authentic seq) or the work budget is spent.
 */
static enum vouch_err
stream_key(struct vstate *st, uint64_t seq, uint8_t out[SLOG_KEY_BYTES],
    bool *ok)
{
	struct vstream *s = &st->s;
	uint8_t k[SLOG_KEY_BYTES];
	uint64_t base = s->any_seen ? s->max_seen + 1 : 0, i;
	enum vouch_err rv = VOUCH_OK;

	*ok = false;
	if (seq >= SLOG_MAX_RECORDS ||
	    (seq > base && seq - base > SLOG_MAX_SKIP)) {
		return VOUCH_OK;
	}
	if (seq >= s->cur_seq) {
		if (!spend(st, (seq - s->cur_seq) * 64)) {
			return stop(st, 0,
			    "work limit reached while ratcheting");
		}
		while (s->cur_seq < seq) {
			rv = prim_ratchet(st->ctx, &st->p, s->cur, s->cur_seq,
			    k);
			if (rv != VOUCH_OK) {
				goto out;
			}
			memcpy(s->cur, k, sizeof(k));
			s->cur_seq++;
			if (s->cur_seq % MARK_EVERY == 0) {
				rv = grow_marks(st, s->cur_seq / MARK_EVERY + 1);
				if (rv != VOUCH_OK) {
					goto out;
				}
				memcpy(s->marks[s->cur_seq / MARK_EVERY], k,
				    sizeof(k));
			}
		}
		memcpy(out, s->cur, SLOG_KEY_BYTES);
		*ok = true;
		goto out;
	}
	/* An earlier seq: from its mark, at most MARK_EVERY - 1 steps. */
	if (!spend(st, (seq % MARK_EVERY) * 64)) {
		rv = stop(st, 0, "work limit reached while ratcheting");
		goto out;
	}
	memcpy(out, s->marks[seq / MARK_EVERY], SLOG_KEY_BYTES);
	for (i = seq - seq % MARK_EVERY; i < seq; i++) {
		rv = prim_ratchet(st->ctx, &st->p, out, i, k);
		if (rv != VOUCH_OK) {
			vouch_wipe(out, SLOG_KEY_BYTES);
			goto out;
		}
		memcpy(out, k, sizeof(k));
	}
	*ok = true;
 out:
	vouch_wipe(k, sizeof(k));
	return rv;
}

/*
 * Does the complete frame |rec| (|size| bytes, stream id already checked
 * by the caller when it matters) authenticate in the current stream?
 * The plaintext body is left in st->body.
 */
static enum vouch_err
try_open(struct vstate *st, const uint8_t *rec, size_t size, bool *ok)
{
	uint8_t ck[SLOG_KEY_BYTES], next[SLOG_KEY_BYTES];
	uint64_t seq = peek_u64(rec + R_SEQ);
	enum vouch_err rv;
	bool have = false;

	*ok = false;
	if (!st->s.readable || memcmp(rec + R_STREAM_ID, st->s.sid,
	    SLOG_STREAM_ID_BYTES) != 0) {
		return VOUCH_OK;
	}
	rv = stream_key(st, seq, ck, &have);
	if (rv != VOUCH_OK || !have || st->stopped) {
		goto out;
	}
	if (!spend(st, size)) {
		rv = stop(st, 0, "work limit reached");
		goto out;
	}
	rv = prim_open(st->ctx, &st->p, ck, seq, rec, size, st->body, next);
	if (rv == VOUCH_ERR_SIGNATURE_INVALID) {
		rv = VOUCH_OK;
		goto out;
	}
	if (rv == VOUCH_OK) {
		*ok = true;
	}
 out:
	vouch_wipe(ck, sizeof(ck));
	vouch_wipe(next, sizeof(next));
	return rv;
}

/* The body of an authentic record: level, flags, length, padding. */
static bool
body_ok(const uint8_t *body, uint8_t type, size_t cap, size_t *clen)
{
	struct cbs c, pad;
	uint8_t level = 0, flags = 0;
	uint16_t n = 0;
	uint64_t t = 0;

	cbs_init(&c, body, SLOG_BODY_HEAD_BYTES + cap);
	if (!cbs_get_u8(&c, &level) || !cbs_get_u8(&c, &flags) ||
	    !cbs_get_u16be(&c, &n) || !cbs_get_u64be(&c, &t) ||
	    level > SLOG_LEVEL_MAX || (flags & ~SLOG_FLAG_TRUNCATED) != 0 ||
	    n > cap || !cbs_skip(&c, n) || !cbs_get_bytes(&c, &pad,
	    cbs_len(&c)) || !cbs_is_all_zero(&pad)) {
		return false;
	}
	if (type == SLOG_TYPE_MESSAGE) {
		*clen = n;
		return true;
	}
	*clen = n;
	return (type == SLOG_TYPE_CHECKPOINT || type == SLOG_TYPE_CLOSE) &&
	    n == COUNTS_BYTES && level == 0 && flags == 0;
}

static void
chain_broken(struct vstate *st, uint64_t a, size_t offset)
{
	(void)finding(st, SLOG_TAMPERED, offset, 0, NULL,
	    "hash chain broken between seq %llu and %llu: two authentic "
	    "histories (the writer's state was copied)",
	    (unsigned long long)a, (unsigned long long)(a + 1));
}

/* An authentic record at |pos|: record it and check order and chain. */
static enum vouch_err
on_record(struct vstate *st, size_t pos, size_t size)
{
	struct vstream *s = &st->s;
	const uint8_t *rec = st->buf + pos;
	uint64_t seq = peek_u64(rec + R_SEQ);
	uint8_t type = rec[R_TYPE], hash[SLOG_HASH_BYTES];
	size_t cap = size - SLOG_REC_OVERHEAD, clen = 0, fi;
	struct slog_entry *e;
	struct vitem it;
	struct vseq *q;
	enum vouch_err rv;
	bool dup = false;

	rv = prim_hash(st->ctx, &st->p, rec, size, hash);
	if (rv != VOUCH_OK) {
		return rv;
	}
	if (!body_ok(st->body, type, cap, &clen)) {
		/* Authentic but malformed: only a broken writer makes these. */
		rv = finding(st, SLOG_TAMPERED, pos, size, &fi,
		    "authentic record with a malformed body");
		if (rv == VOUCH_OK) {
			finding_seq(st, fi, seq, seq);
		}
		vouch_wipe(st->body, size);
		return rv;
	}
	rv = grow(st->ctx, (void **)&s->seqs, &s->seqs_cap, seq + 1,
	    sizeof(*s->seqs));
	if (rv != VOUCH_OK) {
		goto out;
	}
	q = &s->seqs[seq];
	if (q->seen) {
		dup = true;
		rv = finding(st, SLOG_REPLAYED, pos, size, &fi,
		    memcmp(q->hash, hash, sizeof(q->hash)) == 0 ?
		    "seq %llu again (first at offset %lu)" :
		    "a different authentic record with seq %llu (first at "
		    "offset %lu): the writer's state was copied",
		    (unsigned long long)seq, (unsigned long)q->offset);
		if (rv != VOUCH_OK) {
			goto out;
		}
		finding_seq(st, fi, seq, seq);
	} else {
		q->seen = 1;
		memcpy(q->hash, hash, sizeof(q->hash));
		memcpy(q->prev, rec + R_PREV, sizeof(q->prev));
		q->offset = (uint32_t)pos;
		/* The chain, by seq, whichever of two neighbours came first. */
		if (seq == 0 && memcmp(rec + R_PREV, s->header_hash,
		    SLOG_HASH_BYTES) != 0) {
			chain_broken(st, 0, pos);
		}
		if (seq > 0 && s->seqs[seq - 1].seen &&
		    memcmp(q->prev, s->seqs[seq - 1].hash, 16) != 0) {
			chain_broken(st, seq - 1, pos);
		}
		if (seq + 1 < s->seqs_cap && s->seqs[seq + 1].seen &&
		    memcmp(s->seqs[seq + 1].prev, q->hash, 16) != 0) {
			chain_broken(st, seq, pos);
		}
		if (!s->any_seen || seq > s->max_seen) {
			s->max_seen = seq;
		}
		s->any_seen = true;
		st->r->streams[s->idx].records++;
		if (type == SLOG_TYPE_CLOSE) {
			s->closed = true;
			s->close_seq = seq;
			st->r->streams[s->idx].closed = true;
		}
	}
	memcpy(s->last_good, hash, sizeof(hash));
	rv = grow(st->ctx, (void **)&st->r->entries, &st->entries_cap,
	    st->r->nentries + 1, sizeof(*e));
	if (rv != VOUCH_OK) {
		goto out;
	}
	e = &st->r->entries[st->r->nentries];
	memset(e, 0, sizeof(*e));
	e->stream = s->idx;
	e->offset = pos;
	e->seq = seq;
	e->type = type;
	e->level = st->body[0];
	e->flags = st->body[1];
	e->duplicate = dup;
	e->time_ns = peek_u64(st->body + 4);
	if (type == SLOG_TYPE_MESSAGE) {
		if (clen > 0) {
			e->text = malloc(clen);
			if (e->text == NULL) {
				rv = vouch_fail(st->ctx, VOUCH_ERR_NO_MEMORY,
				    "slog: out of memory");
				goto out;
			}
			memcpy(e->text, st->body + SLOG_BODY_HEAD_BYTES, clen);
			e->text_len = clen;
		}
	} else {
		e->count_records = peek_u64(st->body + SLOG_BODY_HEAD_BYTES);
		e->count_messages = peek_u64(st->body +
		    SLOG_BODY_HEAD_BYTES + 8);
		if (!dup && e->count_records != seq + 1) {
			rv = finding(st, SLOG_TAMPERED, pos, size, &fi,
			    "authentic %s record at seq %llu counts %llu "
			    "records",
			    type == SLOG_TYPE_CLOSE ? "close" : "checkpoint",
			    (unsigned long long)seq,
			    (unsigned long long)e->count_records);
			if (rv != VOUCH_OK) {
				goto out;
			}
		}
		if (type == SLOG_TYPE_CHECKPOINT && !dup) {
			s->has_checkpoint = true;
			s->checkpoint_seq = seq;
			s->checkpoint_records = e->count_records;
		}
	}
	st->r->nentries++;
	if (!dup) {
		memset(&it, 0, sizeof(it));
		it.what = ITEM_REC;
		it.seq = seq;
		it.offset = pos;
		it.len = size;
		rv = add_item(st, &it);
	}
 out:
	vouch_wipe(st->body, size);
	return rv;
}

/* Is there a header magic at |pos|? */
static bool
is_header_at(const struct vstate *st, size_t pos)
{
	return st->len - pos >= SLOG_MAGIC_LEN &&
	    memcmp(st->buf + pos, SLOG_MAGIC, SLOG_MAGIC_LEN) == 0;
}

/* The first header magic at or after |from| (st->len if none). */
static size_t
next_header(struct vstate *st, size_t from)
{
	const uint8_t *hit;

	if (st->next_hdr_from <= from && st->next_hdr >= from) {
		return st->next_hdr;
	}
	hit = from < st->len ? memmem(st->buf + from, st->len - from,
	    SLOG_MAGIC, SLOG_MAGIC_LEN) : NULL;
	st->next_hdr_from = from;
	st->next_hdr = hit != NULL ? (size_t)(hit - st->buf) : st->len;
	return st->next_hdr;
}

/*
 * The first offset after |pos| where the file makes sense again: a
 * header, or a record of the current stream that authenticates.
 */
static enum vouch_err
next_sync(struct vstate *st, size_t pos, size_t *out)
{
	size_t h = next_header(st, pos + 1), from, f, size;
	const uint8_t *hit;
	enum vouch_err rv;
	bool ok;

	*out = h;
	if (!st->s.active || !st->s.readable) {
		return VOUCH_OK;
	}
	from = pos + 1 + R_STREAM_ID;
	while (from < h && !st->stopped) {
		hit = memmem(st->buf + from, h - from, st->s.sid,
		    SLOG_STREAM_ID_BYTES);
		if (hit == NULL) {
			break;
		}
		f = (size_t)(hit - st->buf) - R_STREAM_ID;
		from = (size_t)(hit - st->buf) + 1;
		if (!frame_size(st->buf + f, st->len - f, &size) ||
		    size > st->len - f) {
			continue;
		}
		rv = try_open(st, st->buf + f, size, &ok);
		if (rv != VOUCH_OK) {
			return rv;
		}
		if (ok) {
			vouch_wipe(st->body, size);
			*out = f;
			return VOUCH_OK;
		}
	}
	return VOUCH_OK;
}

/*
 * A frame that is complete but does not authenticate and whose size byte
 * claims more than is left: if it authenticates with another size byte,
 * the size byte was changed (tampering), else it is a torn record.
 */
static enum vouch_err
size_byte_changed(struct vstate *st, size_t pos, size_t avail, bool *changed)
{
	enum vouch_err rv;
	unsigned b;
	bool ok;

	*changed = false;
	for (b = 0; b < SLOG_BUCKETS; b++) {
		if (slog_record_size(b) != avail ||
		    b == st->buf[pos + R_BUCKET]) {
			continue;
		}
		memcpy(st->scratch, st->buf + pos, avail);
		st->scratch[R_BUCKET] = (uint8_t)b;
		rv = try_open(st, st->scratch, avail, &ok);
		vouch_wipe(st->body, avail);
		if (rv != VOUCH_OK) {
			return rv;
		}
		if (ok) {
			*changed = true;
		}
		break;
	}
	return VOUCH_OK;
}

static enum vouch_err
bad_item(struct vstate *st, bool foreign, size_t off, size_t len,
    size_t nframes, const char *why)
{
	struct vitem it;
	enum vouch_err rv;

	memset(&it, 0, sizeof(it));
	it.what = ITEM_BAD;
	it.foreign = foreign;
	it.offset = off;
	it.len = len;
	it.nframes = nframes;
	/* One whole frame: its (unauthenticated) seq hints at its place. */
	if (nframes == 1 && len >= SLOG_REC_HEAD_BYTES && !foreign) {
		it.has_seq = true;
		it.seq = peek_u64(st->buf + off + R_SEQ);
	}
	if (foreign) {
		rv = finding(st, SLOG_SPLICED, off, len, &it.finding,
		    "a record of another stream (id %02x%02x%02x%02x...)",
		    st->buf[off + R_STREAM_ID], st->buf[off + R_STREAM_ID + 1],
		    st->buf[off + R_STREAM_ID + 2],
		    st->buf[off + R_STREAM_ID + 3]);
	} else {
		rv = finding(st, SLOG_TAMPERED, off, len, &it.finding,
		    "%zu bytes at offset %zu: %s", len, off, why);
	}
	if (rv != VOUCH_OK) {
		return rv;
	}
	return add_item(st, &it);
}

/*
 * The bytes [pos, q) of the current readable stream did not
 * authenticate.  Split them into frames where the frames make sense and
 * say of each whether it is a record of another stream (its stream id
 * differs and it does not link to this stream's last record), tampered,
 * or, at the end of the stream, a torn last record.
 */
static enum vouch_err
damaged_region(struct vstate *st, size_t pos, size_t q)
{
	bool boundary = q == st->len || is_header_at(st, q), changed, foreign;
	size_t off = pos, size = 0, rem, first_item = st->s.nitems;
	size_t first_finding = st->r->nfindings, frames = 0;
	unsigned damage_before = st->r->damage;
	unsigned sdamage_before = st->r->streams[st->s.idx].damage;
	enum vouch_err rv;
	struct vitem it;

	while (off < q) {
		rem = q - off;
		if (rem < 4) {
			/* A torn frame shorter than its magic and size byte. */
			if (boundary && st->buf[off] == SLOG_REC_MAGIC0 &&
			    (rem < 2 || st->buf[off + 1] == SLOG_REC_MAGIC1)) {
				break;
			}
			goto unclean;
		}
		if (!frame_size(st->buf + off, rem, &size)) {
			goto unclean;
		}
		if (size > rem) {
			if (!boundary) {
				goto unclean;
			}
			rv = size_byte_changed(st, off, rem, &changed);
			if (rv != VOUCH_OK) {
				return rv;
			}
			if (!changed) {
				break;
			}
			rv = bad_item(st, false, off, rem, 1,
			    "a complete record whose size byte was changed");
			if (rv != VOUCH_OK) {
				return rv;
			}
			off = q;
			frames++;
			break;
		}
		foreign = size >= SLOG_REC_HEAD_BYTES &&
		    memcmp(st->buf + off + R_STREAM_ID, st->s.sid,
		    SLOG_STREAM_ID_BYTES) != 0 &&
		    memcmp(st->buf + off + R_PREV, st->s.last_good,
		    SLOG_HASH_BYTES) != 0;
		rv = bad_item(st, foreign, off, size, 1,
		    "record does not authenticate");
		if (rv != VOUCH_OK) {
			return rv;
		}
		frames++;
		off += size;
	}
	if (off < q) {
		memset(&it, 0, sizeof(it));
		it.what = ITEM_TORN;
		it.offset = off;
		it.len = q - off;
		return add_item(st, &it);
	}
	return VOUCH_OK;
 unclean:
	/* Not a sequence of frames: one tampered region. */
	st->s.nitems = first_item;
	st->r->nfindings = first_finding;
	st->r->damage = damage_before;
	st->r->streams[st->s.idx].damage = sdamage_before;
	return bad_item(st, false, pos, q - pos, frames > 0 ? frames : 1,
	    "not a well-formed record");
}

/* The first index of the sorted |v| whose value is at least |x|. */
static size_t
lower_bound(const uint64_t *v, size_t n, uint64_t x)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (v[mid] < x) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return lo;
}

/* Attribution of missing seqs: union-find "next unattributed". */
static size_t
uf_find(size_t *nxt, size_t i)
{
	size_t root = i, t;

	while (nxt[root] != root) {
		root = nxt[root];
	}
	while (nxt[i] != root) {
		t = nxt[i];
		nxt[i] = root;
		i = t;
	}
	return root;
}

/*
 * Records out of order: those outside one longest increasing run of seqs
 * in file order (patience sorting), the fewest moves that explain the
 * order found.  A record moved ahead or back is one finding, not one per
 * record it jumped over.
 */
static enum vouch_err
find_reordered(struct vstate *st)
{
	struct vstream *s = &st->s;
	size_t *rec = NULL, *tails = NULL, *pred = NULL, n = 0, len = 0;
	size_t i, lo, hi, mid, k, fi;
	bool *keep = NULL;
	enum vouch_err rv = VOUCH_OK;
	char before[32], after[32];

	for (i = 0; i < s->nitems; i++) {
		n += s->items[i].what == ITEM_REC ? 1 : 0;
	}
	if (n < 2) {
		return VOUCH_OK;
	}
	rec = calloc(n, sizeof(*rec));
	tails = calloc(n, sizeof(*tails));
	pred = calloc(n, sizeof(*pred));
	keep = calloc(n, sizeof(*keep));
	if (rec == NULL || tails == NULL || pred == NULL || keep == NULL) {
		rv = vouch_fail(st->ctx, VOUCH_ERR_NO_MEMORY,
		    "slog: out of memory");
		goto out;
	}
	for (i = 0, k = 0; i < s->nitems; i++) {
		if (s->items[i].what == ITEM_REC) {
			rec[k++] = i;
		}
	}
#define SEQ_AT(j)	(s->items[rec[j]].seq)
	for (i = 0; i < n; i++) {
		lo = 0;
		hi = len;
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			if (SEQ_AT(tails[mid]) < SEQ_AT(i)) {
				lo = mid + 1;
			} else {
				hi = mid;
			}
		}
		pred[i] = lo > 0 ? tails[lo - 1] : SIZE_MAX;
		tails[lo] = i;
		if (lo == len) {
			len++;
		}
	}
	for (k = tails[len - 1]; k != SIZE_MAX; k = pred[k]) {
		keep[k] = true;
	}
	for (i = 0; i < n; i++) {
		if (keep[i]) {
			continue;
		}
		snprintf(before, sizeof(before), "the header");
		snprintf(after, sizeof(after), "the end");
		if (i > 0) {
			snprintf(before, sizeof(before), "seq %llu",
			    (unsigned long long)SEQ_AT(i - 1));
		}
		if (i + 1 < n) {
			snprintf(after, sizeof(after), "seq %llu",
			    (unsigned long long)SEQ_AT(i + 1));
		}
		rv = finding(st, SLOG_REORDERED, s->items[rec[i]].offset,
		    s->items[rec[i]].len, &fi, "seq %llu is out of place, "
		    "between %s and %s", (unsigned long long)SEQ_AT(i),
		    before, after);
		if (rv != VOUCH_OK) {
			goto out;
		}
		finding_seq(st, fi, SEQ_AT(i), SEQ_AT(i));
	}
#undef SEQ_AT
 out:
	free(rec);
	free(tails);
	free(pred);
	free(keep);
	return rv;
}

/*
 * The end of a stream: attribute missing seqs to the damaged records
 * that stand where they were, report the rest as dropped, and say
 * whether the stream ends properly.
 */
static enum vouch_err
finish_stream(struct vstate *st)
{
	struct vstream *s = &st->s;
	uint64_t *missing = NULL, *next_rec = NULL, a, b, sq;
	size_t *nxt = NULL, nmiss = 0, i, j, lo, fi, k, run;
	bool torn = false, ends_bad = false;
	enum vouch_err rv = VOUCH_OK;
	struct slog_finding *f;
	size_t torn_off = 0, torn_len = 0, off;

	if (!s->active) {
		return VOUCH_OK;
	}
	if (!s->readable) {
		goto done;
	}
	rv = find_reordered(st);
	if (rv != VOUCH_OK) {
		goto done;
	}
	/* Stopped early: what is missing may yet be further on. */
	if (s->any_seen && !st->stopped) {
		nmiss = 0;
		for (sq = 0; sq <= s->max_seen; sq++) {
			nmiss += s->seqs[sq].seen ? 0 : 1;
		}
	}
	if (nmiss > 0) {
		missing = calloc(nmiss, sizeof(*missing));
		nxt = calloc(nmiss + 1, sizeof(*nxt));
		next_rec = calloc(s->nitems + 1, sizeof(*next_rec));
		if (missing == NULL || nxt == NULL || next_rec == NULL) {
			rv = vouch_fail(st->ctx, VOUCH_ERR_NO_MEMORY,
			    "slog: out of memory");
			goto done;
		}
		for (sq = 0, j = 0; sq <= s->max_seen; sq++) {
			if (!s->seqs[sq].seen) {
				missing[j++] = sq;
			}
		}
		for (j = 0; j <= nmiss; j++) {
			nxt[j] = j;
		}
		/* For each item, the seq of the next record after it. */
		b = UINT64_MAX;
		for (i = s->nitems; i > 0; i--) {
			next_rec[i - 1] = b;
			if (s->items[i - 1].what == ITEM_REC) {
				b = s->items[i - 1].seq;
			}
		}
		/* Damaged records stand in for the seqs missing around them. */
		a = UINT64_MAX;	/* no record yet: everything from 0 */
		for (i = 0; i < s->nitems; i++) {
			struct vitem *it = &s->items[i];

			if (it->what == ITEM_REC) {
				a = it->seq;
				continue;
			}
			if (it->what != ITEM_BAD) {
				continue;
			}
			k = 0;
			f = &st->r->findings[it->finding];
			/* A tampered record stands for the seq it claims, */
			if (it->has_seq) {
				j = lower_bound(missing, nmiss, it->seq);
				if (j < nmiss && missing[j] == it->seq &&
				    uf_find(nxt, j) == j) {
					finding_seq(st, it->finding, it->seq,
					    it->seq);
					nxt[j] = j + 1;
					continue;
				}
			}
			/* else for the first missing ones after the last. */
			lo = a == UINT64_MAX ? 0 :
			    lower_bound(missing, nmiss, a + 1);
			for (j = uf_find(nxt, lo); j < nmiss &&
			    k < it->nframes && missing[j] < next_rec[i];
			    j = uf_find(nxt, j)) {
				if (!f->has_seq) {
					f->has_seq = true;
					f->seq_first = missing[j];
				}
				f->seq_last = missing[j];
				nxt[j] = j + 1;
				k++;
			}
		}
		/* What no damaged record accounts for was dropped. */
		for (j = uf_find(nxt, 0); j < nmiss; j = uf_find(nxt, j)) {
			run = 1;
			while (j + run < nmiss &&
			    missing[j + run] == missing[j] + run &&
			    uf_find(nxt, j + run) == j + run) {
				run++;
			}
			sq = missing[j + run - 1] + 1;
			off = sq <= s->max_seen && s->seqs[sq].seen ?
			    s->seqs[sq].offset : st->len;
			if (run == 1) {
				rv = finding(st, SLOG_DROPPED, off, 0, &fi,
				    "seq %llu is missing",
				    (unsigned long long)missing[j]);
			} else {
				rv = finding(st, SLOG_DROPPED, off, 0, &fi,
				    "seq %llu..%llu are missing (%zu records)",
				    (unsigned long long)missing[j],
				    (unsigned long long)missing[j + run - 1],
				    run);
			}
			if (rv != VOUCH_OK) {
				goto done;
			}
			finding_seq(st, fi, missing[j], missing[j + run - 1]);
			for (k = 0; k < run; k++) {
				nxt[j + k] = j + k + 1;
			}
		}
	}
	if (st->stopped) {
		goto done;
	}
	for (i = 0; i < s->nitems; i++) {
		if (s->items[i].what == ITEM_TORN) {
			torn = true;
			torn_off = s->items[i].offset;
			torn_len = s->items[i].len;
		}
	}
	/* A tampered last record may have been the close record. */
	ends_bad = s->nitems > 0 && s->items[s->nitems - 1].what == ITEM_BAD &&
	    !s->items[s->nitems - 1].foreign;
	if (torn && s->closed) {
		rv = finding(st, SLOG_TAMPERED, torn_off, torn_len, NULL,
		    "%zu bytes after the close record", torn_len);
	} else if (torn) {
		rv = finding(st, SLOG_TRUNCATED, torn_off, torn_len, NULL,
		    "the last record is torn: %zu bytes of a record at "
		    "offset %zu",
		    torn_len, torn_off);
	} else if (!s->closed && !ends_bad) {
		if (!s->any_seen) {
			rv = finding(st, SLOG_TRUNCATED, st->len, 0, NULL,
			    "no records after the header, no close record");
		} else if (s->has_checkpoint) {
			rv = finding(st, SLOG_TRUNCATED, st->len, 0, NULL,
			    "no close record after seq %llu; the checkpoint at "
			    "seq %llu vouches for the first %llu records",
			    (unsigned long long)s->max_seen,
			    (unsigned long long)s->checkpoint_seq,
			    (unsigned long long)s->checkpoint_records);
		} else {
			rv = finding(st, SLOG_TRUNCATED, st->len, 0, NULL,
			    "no close record after seq %llu",
			    (unsigned long long)s->max_seen);
		}
	} else if (s->closed && s->max_seen > s->close_seq) {
		rv = finding(st, SLOG_TAMPERED, st->len, 0, NULL,
		    "authentic records after the close record (seq %llu)",
		    (unsigned long long)s->close_seq);
	}
 done:
	free(missing);
	free(nxt);
	free(next_rec);
	if (s->marks != NULL) {
		vouch_freezero(s->marks, s->nmarks * SLOG_KEY_BYTES);
	}
	free(s->seqs);
	free(s->items);
	vouch_wipe(s, sizeof(*s));
	return rv;
}

/*
 * Number of differing bytes: a modified key id is near ours, another
 * key's id is not (it differs in about 32 of 32 bytes).
 */
static size_t
byte_distance(const uint8_t *a, const uint8_t *b, size_t n)
{
	size_t i, d = 0;

	for (i = 0; i < n; i++) {
		d += a[i] != b[i] ? 1 : 0;
	}
	return d;
}

/* Structural checks of a header; NULL if fine, else what is wrong. */
static const char *
header_problem(const uint8_t *h)
{
	size_t i, plen = 0;
	struct cbs c;

	if (h[H_VERSION] != SLOG_VERSION) {
		return "unknown version";
	}
	if (h[H_RESERVED] != 0) {
		return "reserved byte not zero";
	}
	if (h[H_KEM] != 0x00 || h[H_KEM + 1] != 0x20 || h[H_KDF] != 0x00 ||
	    h[H_KDF + 1] != 0x01 || h[H_AEAD] != 0xff ||
	    h[H_AEAD + 1] != 0xff) {
		return "unknown HPKE suite";
	}
	while (plen < SLOG_PROFILE_BYTES && h[H_PROFILE + plen] != 0) {
		if (h[H_PROFILE + plen] < 'a' || h[H_PROFILE + plen] > 'z') {
			return "profile is not lower-case letters";
		}
		plen++;
	}
	if (plen == 0 || plen == SLOG_PROFILE_BYTES) {
		return "profile length";
	}
	cbs_init(&c, h + H_PROFILE + plen, SLOG_PROFILE_BYTES - plen);
	if (!cbs_is_all_zero(&c)) {
		return "profile padding not zero";
	}
	if (h[H_MLEN] > SLOG_MEASUREMENT_MAX) {
		return "measurement length";
	}
	for (i = H_RESERVED2; i < H_MEASUREMENT; i++) {
		if (h[i] != 0) {
			return "reserved bytes not zero";
		}
	}
	cbs_init(&c, h + H_MEASUREMENT + h[H_MLEN],
	    SLOG_MEASUREMENT_MAX - h[H_MLEN]);
	if (!cbs_is_all_zero(&c)) {
		return "measurement padding not zero";
	}
	return NULL;
}

static enum vouch_err
new_stream_info(struct vstate *st, size_t pos, const uint8_t *h)
{
	struct slog_stream_info *si;
	enum vouch_err rv;

	rv = finish_stream(st);
	if (rv != VOUCH_OK) {
		return rv;
	}
	rv = grow(st->ctx, (void **)&st->r->streams, &st->streams_cap,
	    st->r->nstreams + 1, sizeof(*si));
	if (rv != VOUCH_OK) {
		return rv;
	}
	si = &st->r->streams[st->r->nstreams];
	memset(si, 0, sizeof(*si));
	si->offset = pos;
	if (h != NULL) {
		memcpy(si->stream_id, h + H_STREAM_ID, SLOG_STREAM_ID_BYTES);
		if (header_problem(h) == NULL) {
			memcpy(si->profile, h + H_PROFILE, SLOG_PROFILE_BYTES);
			si->measurement_len = h[H_MLEN];
			memcpy(si->measurement, h + H_MEASUREMENT,
			    si->measurement_len);
			si->created_ns = peek_u64(h + H_CREATED);
		}
	}
	memset(&st->s, 0, sizeof(st->s));
	st->s.active = true;
	st->s.idx = st->r->nstreams++;
	return VOUCH_OK;
}

/* A header magic at |pos|: start a stream (or note a replayed header). */
static enum vouch_err
on_header(struct vstate *st, size_t pos, size_t *next)
{
	const uint8_t *h = st->buf + pos;
	uint8_t hh[SLOG_HASH_BYTES], ck0[SLOG_KEY_BYTES], tag[SLOG_KEY_BYTES];
	uint8_t hdr[SLOG_HEADER_BYTES];
	const char *why;
	enum vouch_err rv;
	size_t i, n;

	if (st->len - pos < SLOG_HEADER_BYTES) {
		*next = st->len;
		rv = new_stream_info(st, pos, NULL);
		if (rv != VOUCH_OK) {
			return rv;
		}
		return finding(st, SLOG_TRUNCATED, pos, st->len - pos, NULL,
		    "torn stream header: %zu of %d bytes", st->len - pos,
		    SLOG_HEADER_BYTES);
	}
	*next = pos + SLOG_HEADER_BYTES;
	rv = prim_hash(st->ctx, &st->p, h, SLOG_HEADER_BYTES, hh);
	if (rv != VOUCH_OK) {
		return rv;
	}
	n = st->r->nstreams;
	for (i = 0; i < n; i++) {
		if (memcmp(st->headers[i], hh, sizeof(hh)) != 0) {
			continue;
		}
		if (st->s.active && st->s.idx == i) {
			/* The current stream's header again: keep going. */
			return finding(st, SLOG_REPLAYED, pos,
			    SLOG_HEADER_BYTES, NULL, "the stream header again");
		}
		break;
	}
	if (n >= SLOG_MAX_STREAMS) {
		return stop(st, pos, "too many streams in one file");
	}
	rv = new_stream_info(st, pos, h);
	if (rv != VOUCH_OK) {
		return rv;
	}
	rv = grow(st->ctx, (void **)&st->headers, &st->headers_cap,
	    st->r->nstreams, SLOG_HASH_BYTES);
	if (rv != VOUCH_OK) {
		return rv;
	}
	memcpy(st->headers[st->s.idx], hh, sizeof(hh));
	memcpy(st->s.header_hash, hh, sizeof(hh));
	memcpy(st->s.last_good, hh, sizeof(hh));
	memcpy(st->s.sid, h + H_STREAM_ID, SLOG_STREAM_ID_BYTES);
	if (i < st->r->nstreams - 1) {
		rv = finding(st, SLOG_REPLAYED, pos, SLOG_HEADER_BYTES, NULL,
		    "a copy of the header of stream %zu", i + 1);
		if (rv != VOUCH_OK) {
			return rv;
		}
	}
	why = header_problem(h);
	if (why != NULL) {
		return finding(st, SLOG_TAMPERED, pos, SLOG_HEADER_BYTES, NULL,
		    "stream header: %s; its records cannot be read", why);
	}
	if (memcmp(h + H_KEY_ID, st->key_id, SLOG_HASH_BYTES) != 0) {
		if (byte_distance(h + H_KEY_ID, st->key_id, SLOG_HASH_BYTES) <=
		    8) {
			return finding(st, SLOG_TAMPERED, pos,
			    SLOG_HEADER_BYTES, NULL, "stream header: the "
			    "tenant key id was modified; its records cannot "
			    "be read");
		}
		/* Another tenant's stream: decided at the end of the file. */
		return VOUCH_OK;
	}
	memcpy(hdr, h, sizeof(hdr));
	rv = header_keys(st->ctx, hdr, NULL, st->sk, ck0, tag);
	if (rv == VOUCH_ERR_NO_MEMORY || rv == VOUCH_ERR_CRYPTO) {
		return rv;
	}
	if (rv != VOUCH_OK || !vouch_ct_eq(tag, h + H_TAG, sizeof(tag))) {
		vouch_wipe(ck0, sizeof(ck0));
		return finding(st, SLOG_TAMPERED, pos, SLOG_HEADER_BYTES, NULL,
		    "stream header does not authenticate; its records cannot "
		    "be read");
	}
	st->s.readable = true;
	st->r->streams[st->s.idx].readable = true;
	memcpy(st->s.cur, ck0, sizeof(ck0));
	st->s.cur_seq = 0;
	rv = grow_marks(st, 1);
	if (rv == VOUCH_OK) {
		memcpy(st->s.marks[0], ck0, sizeof(ck0));
	}
	vouch_wipe(ck0, sizeof(ck0));
	vouch_wipe(tag, sizeof(tag));
	return rv;
}

/* Bytes that are not a header before any stream started. */
static enum vouch_err
orphan_region(struct vstate *st, size_t pos, size_t q)
{
	size_t n = q - pos;

	if (q == st->len && n < SLOG_MAGIC_LEN &&
	    memcmp(st->buf + pos, SLOG_MAGIC, n) == 0) {
		return finding(st, SLOG_TRUNCATED, pos, n, NULL,
		    "torn stream header: %zu of %d bytes", n,
		    SLOG_HEADER_BYTES);
	}
	return finding(st, SLOG_TAMPERED, pos, n, NULL,
	    "%zu bytes at offset %zu are not part of any stream (no stream "
	    "header before them)", n, pos);
}

/* Findings sort by stream (those before any stream first), then offset. */
static int
finding_cmp(const void *pa, const void *pb, void *arg)
{
	const struct slog_finding *base = arg;
	size_t ia = *(const size_t *)pa, ib = *(const size_t *)pb;
	const struct slog_finding *x = &base[ia], *y = &base[ib];
	size_t sx = x->stream == SIZE_MAX ? 0 : x->stream + 1;
	size_t sy = y->stream == SIZE_MAX ? 0 : y->stream + 1;

	if (sx != sy) {
		return sx < sy ? -1 : 1;
	}
	if (x->offset != y->offset) {
		return x->offset < y->offset ? -1 : 1;
	}
	/* Stable: the order they were found in. */
	return ia < ib ? -1 : ia > ib ? 1 : 0;
}

static enum vouch_err
sort_findings(struct vouch_ctx *ctx, struct slog_report *r)
{
	struct slog_finding *sorted;
	size_t *idx, i;

	if (r->nfindings < 2) {
		return VOUCH_OK;
	}
	idx = vouch_reallocarray(NULL, r->nfindings, sizeof(*idx));
	sorted = vouch_reallocarray(NULL, r->nfindings, sizeof(*sorted));
	if (idx == NULL || sorted == NULL) {
		free(idx);
		free(sorted);
		return vouch_fail(ctx, VOUCH_ERR_NO_MEMORY,
		    "slog: out of memory");
	}
	for (i = 0; i < r->nfindings; i++) {
		idx[i] = i;
	}
	qsort_r(idx, r->nfindings, sizeof(*idx), finding_cmp, r->findings);
	for (i = 0; i < r->nfindings; i++) {
		sorted[i] = r->findings[idx[i]];
	}
	free(r->findings);
	r->findings = sorted;
	free(idx);
	return VOUCH_OK;
}

void
slog_report_free(struct slog_report *r)
{
	size_t i;

	if (r == NULL) {
		return;
	}
	for (i = 0; i < r->nentries; i++) {
		if (r->entries[i].text != NULL) {
			vouch_freezero(r->entries[i].text,
			    r->entries[i].text_len);
		}
	}
	free(r->entries);
	free(r->findings);
	free(r->streams);
	free(r);
}

enum vouch_err
slog_verify(struct vouch_ctx *ctx, const uint8_t sk[SLOG_KEY_BYTES],
    const uint8_t *buf, size_t len, struct slog_report **out)
{
	struct vstate *st = NULL;
	uint8_t pub[SLOG_KEY_BYTES];
	enum vouch_err rv;
	size_t pos = 0, q, size, i, ours = 0, theirs = 0;
	bool ok;

	*out = NULL;
	if (len > SLOG_FILE_MAX) {
		return vouch_fail(ctx, VOUCH_ERR_TOO_LARGE,
		    "slog: %zu bytes exceed the limit of %u", len,
		    SLOG_FILE_MAX);
	}
	rv = vouch_x25519_public(ctx, sk, pub);
	if (rv != VOUCH_OK) {
		return rv;
	}
	st = calloc(1, sizeof(*st));
	if (st == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_NO_MEMORY,
		    "slog: out of memory");
	}
	st->r = calloc(1, sizeof(*st->r));
	if (st->r == NULL) {
		free(st);
		return vouch_fail(ctx, VOUCH_ERR_NO_MEMORY,
		    "slog: out of memory");
	}
	rv = prim_init(ctx, &st->p, false);
	if (rv != VOUCH_OK) {
		free(st->r);
		free(st);
		return rv;
	}
	st->ctx = ctx;
	st->sk = sk;
	st->buf = buf;
	st->len = len;
	st->work = (uint64_t)len * SLOG_WORK_FACTOR + SLOG_WORK_SLACK;
	st->next_hdr_from = SIZE_MAX;
	vouch_sha256(pub, sizeof(pub), st->key_id);

	if (len == 0) {
		rv = finding(st, SLOG_TRUNCATED, 0, 0, NULL,
		    "the file is empty: no stream header");
	}
	while (rv == VOUCH_OK && pos < len && !st->stopped) {
		if (is_header_at(st, pos)) {
			rv = on_header(st, pos, &pos);
			continue;
		}
		if (!st->s.active) {
			q = next_header(st, pos + 1);
			rv = orphan_region(st, pos, q);
			pos = q;
			continue;
		}
		if (!st->s.readable) {
			/* Unreadable: nothing to check until a header. */
			pos = next_header(st, pos + 1);
			continue;
		}
		if (frame_size(buf + pos, len - pos, &size) &&
		    size <= len - pos) {
			rv = try_open(st, buf + pos, size, &ok);
			if (rv != VOUCH_OK) {
				break;
			}
			if (ok) {
				rv = on_record(st, pos, size);
				pos += size;
				continue;
			}
		}
		if (st->stopped) {
			break;
		}
		rv = next_sync(st, pos, &q);
		if (rv != VOUCH_OK || st->stopped) {
			break;
		}
		rv = damaged_region(st, pos, q);
		pos = q;
	}
	if (rv == VOUCH_OK && st->stopped) {
		/* Where the check stopped: the ratchet does not know. */
		st->r->findings[st->stop_finding].offset = pos;
	}
	if (rv == VOUCH_OK) {
		rv = finish_stream(st);
	} else {
		(void)finish_stream(st);
	}
	if (rv == VOUCH_OK) {
		for (i = 0; i < st->r->nstreams; i++) {
			if (st->r->streams[i].readable) {
				ours++;
			}
		}
		/* Streams sealed to other keys: spliced, if one is ours. */
		for (i = 0; i < st->r->nstreams; i++) {
			struct slog_stream_info *si = &st->r->streams[i];

			if (si->readable || si->damage != 0) {
				continue;
			}
			theirs++;
			if (ours == 0) {
				continue;
			}
			st->s.active = true;
			st->s.idx = i;
			rv = finding(st, SLOG_SPLICED, si->offset,
			    SLOG_HEADER_BYTES, NULL,
			    "a stream sealed to another tenant key");
			st->s.active = false;
			if (rv != VOUCH_OK) {
				break;
			}
		}
	}
	if (rv == VOUCH_OK && ours == 0 && theirs > 0 &&
	    theirs == st->r->nstreams) {
		rv = vouch_fail(ctx, VOUCH_ERR_BAD_KEY,
		    "the log is sealed to another tenant key");
	}
	if (rv == VOUCH_OK) {
		rv = sort_findings(ctx, st->r);
	}
	if (rv == VOUCH_OK) {
		*out = st->r;
		st->r = NULL;
	}
	slog_report_free(st->r);
	free(st->headers);
	prim_free(&st->p);
	vouch_freezero(st, sizeof(*st));
	return rv;
}
