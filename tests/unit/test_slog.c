/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for lib/log/slog.c, the sealed log stream: a round trip;
 * every kind of damage made by editing the bytes of a stream (a dropped,
 * swapped or duplicated record, every byte of a record and of the header
 * flipped, a record spliced in from another stream to the same tenant,
 * the file cut at every offset) and named exactly; another tenant key; a
 * forward-security check with the writer's own state; padding; the
 * verifier's limits on hostile input; streams appended after a crash;
 * the public API from several threads; and the format read by an
 * independent implementation (Python's cryptography package) when it is
 * installed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "bs/bs.h"
#include "crypto/hpke.h"
#include "internal.h"
#include "log/slog.h"
#include "util/file.h"
#include "vouch.h"

#define BIT(k)		(1u << (k))
#define MAX_WRITES	4096

/* A sink that keeps everything in memory and where each write began. */
struct mem {
	uint8_t		*p;
	size_t		 len;
	size_t		 cap;
	size_t		 off[MAX_WRITES];
	size_t		 n;
	bool		 discard;	/* count, keep nothing */
};

struct fixture {
	struct vouch_ctx	*ctx;
	uint8_t			 sk[32], pk[32];	/* the tenant */
	uint8_t			 sk2[32], pk2[32];	/* someone else */
	char			 dir[64];
};

static struct fixture F;

static enum vouch_err
mem_write(void *arg, const uint8_t *p, size_t n)
{
	struct mem *m = arg;
	uint8_t *np;

	if (m->discard) {
		m->len += n;
		return VOUCH_OK;
	}
	if (m->n < MAX_WRITES) {
		m->off[m->n++] = m->len;
	}
	if (m->len + n > m->cap) {
		m->cap = (m->len + n) * 2;
		np = realloc(m->p, m->cap);
		if (np == NULL) {
			return VOUCH_ERR_NO_MEMORY;
		}
		m->p = np;
	}
	memcpy(m->p + m->len, p, n);
	m->len += n;
	return VOUCH_OK;
}

static void
mem_free(struct mem *m)
{
	free(m->p);
	memset(m, 0, sizeof(*m));
}

static struct slog_writer *
writer(struct mem *m, const uint8_t *pk)
{
	struct slog_sink sink = { mem_write, m };
	struct slog_writer *w = NULL;
	static const uint8_t meas[48] = { 1, 2, 3 };

	assert_int_equal(slog_writer_new(F.ctx, pk, "test", meas, sizeof(meas),
	    &sink, &w), VOUCH_OK);
	return w;
}

static void
msg(struct slog_writer *w, unsigned level, const char *s)
{
	assert_int_equal(slog_writer_message(F.ctx, w, level,
	    (const uint8_t *)s, strlen(s)), VOUCH_OK);
}

/*
 * The standard stream: header, messages 0..4 (seq 0..4), a checkpoint
 * (seq 5), messages 5..9 (seq 6..10), close (seq 11).  Record k starts
 * at m->off[k + 1].
 */
static void
standard(struct mem *m, const uint8_t *pk, bool close)
{
	struct slog_writer *w;
	char text[64];
	int i;

	memset(m, 0, sizeof(*m));
	w = writer(m, pk);
	for (i = 0; i < 10; i++) {
		if (i == 5) {
			assert_int_equal(slog_writer_checkpoint(F.ctx, w),
			    VOUCH_OK);
		}
		snprintf(text, sizeof(text), "message %d", i);
		msg(w, (unsigned)i % 4, text);
	}
	if (close) {
		assert_int_equal(slog_writer_close(F.ctx, w), VOUCH_OK);
	}
	slog_writer_free(w);
}

static size_t
rec_off(const struct mem *m, size_t seq)
{
	return m->off[seq + 1];
}

static size_t
rec_len(const struct mem *m, size_t seq)
{
	return (seq + 2 < m->n ? m->off[seq + 2] : m->len) - m->off[seq + 1];
}

/* A buffer built from pieces (reset by setting p NULL and len 0). */
struct buf {
	uint8_t	*p;
	size_t	 len;
	size_t	 cap;
};

static void
cat(struct buf *b, const uint8_t *p, size_t n)
{
	if (b->p == NULL) {
		b->cap = 0;
	}
	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2;
		b->p = realloc(b->p, b->cap);
		assert_non_null(b->p);
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
}

static unsigned
verify(const uint8_t *p, size_t n, struct slog_report **out)
{
	struct slog_report *r = NULL;
	unsigned damage;

	assert_int_equal(slog_verify(F.ctx, F.sk, p, n, &r), VOUCH_OK);
	assert_non_null(r);
	damage = r->damage;
	if (out != NULL) {
		*out = r;
	} else {
		slog_report_free(r);
	}
	return damage;
}

/* The one finding of |kind| in |r|; fails if there is not exactly one. */
static const struct slog_finding *
only(const struct slog_report *r, enum slog_kind kind)
{
	const struct slog_finding *f = NULL;
	size_t i;

	for (i = 0; i < r->nfindings; i++) {
		if (r->findings[i].kind == kind) {
			if (f != NULL) {
				fail_msg("two %s findings", slog_kind_name(kind));
			}
			f = &r->findings[i];
		}
	}
	assert_non_null(f);
	return f;
}

static void
show(const struct slog_report *r)
{
	size_t i;

	for (i = 0; i < r->nfindings; i++) {
		fprintf(stderr, "  finding %s @%zu: %s\n",
		    slog_kind_name(r->findings[i].kind), r->findings[i].offset,
		    r->findings[i].detail);
	}
}

/* Exactly |want| and nothing else, else print what there is and fail. */
static void
expect(const uint8_t *p, size_t n, unsigned want, const char *what)
{
	struct slog_report *r = NULL;
	unsigned got = verify(p, n, &r);

	if (got != want) {
		show(r);
		slog_report_free(r);
		fail_msg("%s: damage 0x%x, want 0x%x", what, got, want);
	}
	slog_report_free(r);
}

static int
setup(void **state)
{
	(void)state;
	F.ctx = vouch_ctx_new();
	if (F.ctx == NULL ||
	    vouch_x25519_keygen(F.ctx, F.sk, F.pk) != VOUCH_OK ||
	    vouch_x25519_keygen(F.ctx, F.sk2, F.pk2) != VOUCH_OK) {
		return -1;
	}
	(void)snprintf(F.dir, sizeof(F.dir), "/tmp/test_slog.XXXXXX");
	return mkdtemp(F.dir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", F.dir);
	if (system(cmd) != 0) {
		return -1;
	}
	vouch_ctx_free(F.ctx);
	return 0;
}

static void
test_round_trip(void **state)
{
	struct slog_report *r = NULL;
	struct slog_writer *w;
	struct mem m = { 0 };
	static const char ctl[] = "bell\a esc\x1b[31m nul-free \xff";
	uint8_t *big;
	size_t i;

	(void)state;
	w = writer(&m, F.pk);
	msg(w, 0, "debug line");
	msg(w, 3, ctl);
	assert_int_equal(slog_writer_message(F.ctx, w, 1, NULL, 0), VOUCH_OK);
	big = malloc(SLOG_CONTENT_MAX + 100);
	assert_non_null(big);
	memset(big, 'x', SLOG_CONTENT_MAX + 100);
	assert_int_equal(slog_writer_message(F.ctx, w, 2, big,
	    SLOG_CONTENT_MAX + 100), VOUCH_OK);
	free(big);
	assert_int_equal(slog_writer_checkpoint(F.ctx, w), VOUCH_OK);
	assert_int_equal(slog_writer_message(F.ctx, w, 4,
	    (const uint8_t *)"x", 1), VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(slog_writer_close(F.ctx, w), VOUCH_OK);
	/* Closed: nothing more. */
	assert_int_equal(slog_writer_message(F.ctx, w, 1,
	    (const uint8_t *)"late", 4), VOUCH_ERR_STATE);
	assert_int_equal(slog_writer_close(F.ctx, w), VOUCH_ERR_STATE);
	slog_writer_free(w);

	assert_int_equal(verify(m.p, m.len, &r), 0);
	assert_int_equal(r->nstreams, 1);
	assert_true(r->streams[0].readable);
	assert_true(r->streams[0].closed);
	assert_int_equal(r->streams[0].records, 6);
	assert_string_equal(r->streams[0].profile, "test");
	assert_int_equal(r->streams[0].measurement_len, 48);
	assert_int_equal(r->streams[0].measurement[2], 3);
	assert_int_equal(r->nentries, 6);
	assert_int_equal(r->nfindings, 0);
	for (i = 0; i < r->nentries; i++) {
		assert_int_equal(r->entries[i].seq, i);
		assert_false(r->entries[i].duplicate);
	}
	assert_int_equal(r->entries[0].level, 0);
	assert_int_equal(r->entries[0].text_len, 10);
	assert_memory_equal(r->entries[0].text, "debug line", 10);
	assert_int_equal(r->entries[1].level, 3);
	assert_int_equal(r->entries[1].text_len, strlen(ctl));
	assert_memory_equal(r->entries[1].text, ctl, strlen(ctl));
	assert_int_equal(r->entries[2].text_len, 0);
	assert_int_equal(r->entries[3].text_len, SLOG_CONTENT_MAX);
	assert_int_equal(r->entries[3].flags, SLOG_FLAG_TRUNCATED);
	assert_int_equal(r->entries[4].type, SLOG_TYPE_CHECKPOINT);
	assert_int_equal(r->entries[4].count_records, 5);
	assert_int_equal(r->entries[4].count_messages, 4);
	assert_int_equal(r->entries[5].type, SLOG_TYPE_CLOSE);
	assert_int_equal(r->entries[5].count_records, 6);
	assert_true(r->entries[0].time_ns > 1600000000ull * 1000000000ull);
	slog_report_free(r);
	mem_free(&m);
}

static void
test_standard_intact(void **state)
{
	struct slog_report *r = NULL;
	struct mem m;

	(void)state;
	standard(&m, F.pk, true);
	assert_int_equal(m.n, 13);
	assert_int_equal(verify(m.p, m.len, &r), 0);
	assert_int_equal(r->nentries, 12);
	assert_int_equal(r->entries[5].type, SLOG_TYPE_CHECKPOINT);
	assert_int_equal(r->entries[11].type, SLOG_TYPE_CLOSE);
	assert_int_equal(r->entries[11].count_records, 12);
	assert_int_equal(r->entries[11].count_messages, 10);
	slog_report_free(r);
	mem_free(&m);
}

static void
test_dropped(void **state)
{
	struct slog_report *r = NULL;
	const struct slog_finding *f;
	struct buf b = { 0 };
	struct mem m;

	(void)state;
	standard(&m, F.pk, true);
	cat(&b, m.p, rec_off(&m, 3));
	cat(&b, m.p + rec_off(&m, 4), m.len - rec_off(&m, 4));
	assert_int_equal(verify(b.p, b.len, &r), BIT(SLOG_DROPPED));
	f = only(r, SLOG_DROPPED);
	assert_true(f->has_seq);
	assert_int_equal(f->seq_first, 3);
	assert_int_equal(f->seq_last, 3);
	slog_report_free(r);
	free(b.p);

	/* Three in a row: one finding for the run. */
	b.p = NULL;
	b.len = 0;
	cat(&b, m.p, rec_off(&m, 6));
	cat(&b, m.p + rec_off(&m, 9), m.len - rec_off(&m, 9));
	assert_int_equal(verify(b.p, b.len, &r), BIT(SLOG_DROPPED));
	f = only(r, SLOG_DROPPED);
	assert_int_equal(f->seq_first, 6);
	assert_int_equal(f->seq_last, 8);
	slog_report_free(r);
	free(b.p);

	/* The first record. */
	b.p = NULL;
	b.len = 0;
	cat(&b, m.p, rec_off(&m, 0));
	cat(&b, m.p + rec_off(&m, 1), m.len - rec_off(&m, 1));
	expect(b.p, b.len, BIT(SLOG_DROPPED), "first record dropped");
	free(b.p);
	mem_free(&m);
}

static void
test_reordered(void **state)
{
	struct slog_report *r = NULL;
	const struct slog_finding *f;
	struct buf b = { 0 };
	struct mem m;

	(void)state;
	standard(&m, F.pk, true);
	cat(&b, m.p, rec_off(&m, 3));
	cat(&b, m.p + rec_off(&m, 4), rec_len(&m, 4));
	cat(&b, m.p + rec_off(&m, 3), rec_len(&m, 3));
	cat(&b, m.p + rec_off(&m, 5), m.len - rec_off(&m, 5));
	assert_int_equal(b.len, m.len);
	assert_int_equal(verify(b.p, b.len, &r), BIT(SLOG_REORDERED));
	/* A swap: one of the two is out of place. */
	f = only(r, SLOG_REORDERED);
	assert_true(f->seq_first == 3 || f->seq_first == 4);
	slog_report_free(r);
	free(b.p);

	/* A record moved far back: one finding, for that record. */
	b.p = NULL;
	b.len = 0;
	cat(&b, m.p, rec_off(&m, 1));
	cat(&b, m.p + rec_off(&m, 2), rec_off(&m, 8) - rec_off(&m, 2));
	cat(&b, m.p + rec_off(&m, 1), rec_len(&m, 1));
	cat(&b, m.p + rec_off(&m, 8), m.len - rec_off(&m, 8));
	assert_int_equal(verify(b.p, b.len, &r), BIT(SLOG_REORDERED));
	assert_int_equal(only(r, SLOG_REORDERED)->seq_first, 1);
	slog_report_free(r);
	free(b.p);

	/* A record moved far ahead: one finding, for that record. */
	b.p = NULL;
	b.len = 0;
	cat(&b, m.p, rec_off(&m, 2));
	cat(&b, m.p + rec_off(&m, 9), rec_len(&m, 9));
	cat(&b, m.p + rec_off(&m, 2), rec_off(&m, 9) - rec_off(&m, 2));
	cat(&b, m.p + rec_off(&m, 10), m.len - rec_off(&m, 10));
	assert_int_equal(b.len, m.len);
	assert_int_equal(verify(b.p, b.len, &r), BIT(SLOG_REORDERED));
	assert_int_equal(only(r, SLOG_REORDERED)->seq_first, 9);
	slog_report_free(r);
	free(b.p);
	mem_free(&m);
}

static void
test_replayed(void **state)
{
	struct slog_report *r = NULL;
	const struct slog_finding *f;
	struct buf b = { 0 };
	struct mem m;
	size_t i, dups = 0;

	(void)state;
	standard(&m, F.pk, true);
	cat(&b, m.p, rec_off(&m, 4));
	cat(&b, m.p + rec_off(&m, 3), m.len - rec_off(&m, 3));
	assert_int_equal(verify(b.p, b.len, &r), BIT(SLOG_REPLAYED));
	f = only(r, SLOG_REPLAYED);
	assert_int_equal(f->seq_first, 3);
	for (i = 0; i < r->nentries; i++) {
		dups += r->entries[i].duplicate ? 1 : 0;
	}
	assert_int_equal(dups, 1);
	slog_report_free(r);
	free(b.p);

	/* Replayed after the close record. */
	b.p = NULL;
	b.len = 0;
	cat(&b, m.p, m.len);
	cat(&b, m.p + rec_off(&m, 2), rec_len(&m, 2));
	expect(b.p, b.len, BIT(SLOG_REPLAYED), "replay after close");
	free(b.p);

	/* The header again. */
	b.p = NULL;
	b.len = 0;
	cat(&b, m.p, rec_off(&m, 5));
	cat(&b, m.p, SLOG_HEADER_BYTES);
	cat(&b, m.p + rec_off(&m, 5), m.len - rec_off(&m, 5));
	expect(b.p, b.len, BIT(SLOG_REPLAYED), "header replayed");
	free(b.p);
	mem_free(&m);
}

/* Flip every byte of record |seq| in turn: exactly tampered, in its place. */
static void
flip_record(const struct mem *m, size_t seq, uint8_t mask)
{
	struct slog_report *r = NULL;
	const struct slog_finding *f;
	uint8_t *p = malloc(m->len);
	size_t i, off = rec_off(m, seq), n = rec_len(m, seq);

	assert_non_null(p);
	for (i = 0; i < n; i++) {
		memcpy(p, m->p, m->len);
		p[off + i] ^= mask;
		if (verify(p, m->len, &r) != BIT(SLOG_TAMPERED)) {
			show(r);
			fail_msg("record %zu byte %zu ^ 0x%02x: damage 0x%x", seq,
			    i, mask, r->damage);
		}
		f = only(r, SLOG_TAMPERED);
		assert_true(f->has_seq || seq == 11);
		if (f->has_seq) {
			assert_int_equal(f->seq_first, seq);
		}
		slog_report_free(r);
		r = NULL;
	}
	free(p);
}

static void
test_tampered(void **state)
{
	struct mem m;

	(void)state;
	standard(&m, F.pk, true);
	flip_record(&m, 3, 0x01);
	flip_record(&m, 3, 0x80);
	flip_record(&m, 0, 0x01);
	/* The close record: the last record, so no later one resyncs. */
	flip_record(&m, 11, 0x01);
	flip_record(&m, 11, 0x80);
	mem_free(&m);
}

static void
test_spliced(void **state)
{
	struct slog_report *r = NULL;
	const struct slog_finding *f;
	struct buf b = { 0 };
	struct mem m, o;

	(void)state;
	standard(&m, F.pk, true);
	standard(&o, F.pk, true);	/* another stream, the same tenant */
	/* Inserted between 3 and 4. */
	cat(&b, m.p, rec_off(&m, 4));
	cat(&b, o.p + rec_off(&o, 2), rec_len(&o, 2));
	cat(&b, m.p + rec_off(&m, 4), m.len - rec_off(&m, 4));
	assert_int_equal(verify(b.p, b.len, &r), BIT(SLOG_SPLICED));
	f = only(r, SLOG_SPLICED);
	assert_false(f->has_seq);
	slog_report_free(r);
	free(b.p);

	/* In place of 3, with the same seq. */
	b.p = NULL;
	b.len = 0;
	cat(&b, m.p, rec_off(&m, 3));
	cat(&b, o.p + rec_off(&o, 3), rec_len(&o, 3));
	cat(&b, m.p + rec_off(&m, 4), m.len - rec_off(&m, 4));
	assert_int_equal(verify(b.p, b.len, &r), BIT(SLOG_SPLICED));
	f = only(r, SLOG_SPLICED);
	assert_true(f->has_seq);
	assert_int_equal(f->seq_first, 3);
	slog_report_free(r);
	free(b.p);

	/* The other stream's close record in place of ours. */
	b.p = NULL;
	b.len = 0;
	cat(&b, m.p, rec_off(&m, 11));
	cat(&b, o.p + rec_off(&o, 11), rec_len(&o, 11));
	expect(b.p, b.len, BIT(SLOG_SPLICED) | BIT(SLOG_TRUNCATED),
	    "foreign close record");
	free(b.p);
	mem_free(&o);

	/* A record of a stream sealed to someone else. */
	standard(&o, F.pk2, true);
	b.p = NULL;
	b.len = 0;
	cat(&b, m.p, rec_off(&m, 4));
	cat(&b, o.p + rec_off(&o, 4), rec_len(&o, 4));
	cat(&b, m.p + rec_off(&m, 4), m.len - rec_off(&m, 4));
	expect(b.p, b.len, BIT(SLOG_SPLICED), "other tenant's record");
	free(b.p);
	/* A whole stream sealed to someone else, appended. */
	b.p = NULL;
	b.len = 0;
	cat(&b, m.p, m.len);
	cat(&b, o.p, o.len);
	expect(b.p, b.len, BIT(SLOG_SPLICED), "other tenant's stream");
	free(b.p);
	mem_free(&o);
	mem_free(&m);
}

static void
test_truncated(void **state)
{
	struct slog_report *r = NULL;
	struct mem m;
	size_t cut;

	(void)state;
	standard(&m, F.pk, true);
	/*
	 * Cuts of the file: at every offset of the header, of the last two
	 * records (a message and the close record) and between them, and
	 * at every 13th offset elsewhere; the empty file included.
	 */
	for (cut = 0; cut < m.len; cut++) {
		if (cut > SLOG_HEADER_BYTES && cut < rec_off(&m, 10) &&
		    cut % 13 != 0) {
			continue;
		}
		if (verify(m.p, cut, &r) != BIT(SLOG_TRUNCATED)) {
			show(r);
			fail_msg("cut at %zu of %zu: damage 0x%x", cut, m.len,
			    r->damage);
		}
		slog_report_free(r);
		r = NULL;
	}
	/* Before the close record: the checkpoint still vouches. */
	assert_int_equal(verify(m.p, rec_off(&m, 11), &r), BIT(SLOG_TRUNCATED));
	assert_non_null(strstr(only(r, SLOG_TRUNCATED)->detail,
	    "checkpoint at seq 5"));
	slog_report_free(r);
	mem_free(&m);

	/* A writer that stopped without closing. */
	standard(&m, F.pk, false);
	expect(m.p, m.len, BIT(SLOG_TRUNCATED), "never closed");
	mem_free(&m);
}

static void
test_wrong_key(void **state)
{
	struct slog_report *r = NULL;
	struct mem m;
	uint8_t *p;

	(void)state;
	standard(&m, F.pk, true);
	assert_int_equal(slog_verify(F.ctx, F.sk2, m.p, m.len, &r),
	    VOUCH_ERR_BAD_KEY);
	assert_null(r);
	/* A key id rewritten whole reads as another tenant's stream. */
	p = malloc(m.len);
	assert_non_null(p);
	memcpy(p, m.p, m.len);
	memset(p + 32, 0xa5, 32);
	assert_int_equal(slog_verify(F.ctx, F.sk, p, m.len, &r),
	    VOUCH_ERR_BAD_KEY);
	assert_null(r);
	free(p);
	mem_free(&m);
}

static void
test_header_tampered(void **state)
{
	struct slog_report *r = NULL;
	struct mem m;
	uint8_t *p;
	size_t i;

	(void)state;
	standard(&m, F.pk, true);
	p = malloc(m.len);
	assert_non_null(p);
	for (i = 0; i < SLOG_HEADER_BYTES; i++) {
		memcpy(p, m.p, m.len);
		p[i] ^= 0x01;
		if (verify(p, m.len, &r) != BIT(SLOG_TAMPERED)) {
			show(r);
			fail_msg("header byte %zu: damage 0x%x", i, r->damage);
		}
		assert_int_equal(r->nentries, 0);
		slog_report_free(r);
		r = NULL;
	}
	free(p);
	mem_free(&m);
}

/*
 * Forward security: the writer's whole secret state after record n-1 is
 * CK_n.  It opens record n and every later one, and no earlier record,
 * not with CK_n nor with any key ratcheted from it.
 */
static void
test_forward_security(void **state)
{
	uint8_t ck[32], k[32], next[32], sid[16], content[64];
	struct slog_writer *w;
	struct mem m = { 0 };
	uint64_t seq;
	size_t i, j, clen;
	char text[32];
	const size_t n = 5;

	(void)state;
	w = writer(&m, F.pk);
	for (i = 0; i < 10; i++) {
		if (i == n) {
			slog_writer_state(w, ck, &seq, sid);
			assert_int_equal(seq, n);
		}
		snprintf(text, sizeof(text), "record %zu", i);
		msg(w, 1, text);
	}
	slog_writer_free(w);
	/* Later records: CK_n opens n, and each opening yields the next key. */
	memcpy(k, ck, sizeof(k));
	for (i = n; i < 10; i++) {
		assert_int_equal(slog_open_record(F.ctx, k, m.p + rec_off(&m, i),
		    rec_len(&m, i), content, sizeof(content), &clen, next),
		    VOUCH_OK);
		snprintf(text, sizeof(text), "record %zu", i);
		assert_int_equal(clen, strlen(text));
		assert_memory_equal(content, text, clen);
		memcpy(k, next, sizeof(k));
	}
	/* Earlier records: no key derivable from CK_n opens them. */
	for (i = 0; i < n; i++) {
		memcpy(k, ck, sizeof(k));
		for (j = 0; j < 64; j++) {
			assert_int_equal(slog_open_record(F.ctx, k,
			    m.p + rec_off(&m, i), rec_len(&m, i), content,
			    sizeof(content), &clen, next),
			    VOUCH_ERR_SIGNATURE_INVALID);
			assert_int_equal(slog_ratchet(F.ctx, k, n + j, next),
			    VOUCH_OK);
			memcpy(k, next, sizeof(k));
		}
	}
	/* The state is not any earlier record's key either. */
	memset(k, 0, sizeof(k));
	vouch_wipe(ck, sizeof(ck));
	mem_free(&m);
}

static void
test_padding(void **state)
{
	static const size_t lens[] = { 0, 1, 200, 256, 257, 1024, 1025, 16384 };
	size_t sizes[sizeof(lens) / sizeof(lens[0])], i;
	struct slog_writer *w;
	struct mem m = { 0 };
	uint8_t text[16384];

	(void)state;
	memset(text, 'a', sizeof(text));
	w = writer(&m, F.pk);
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		assert_int_equal(slog_writer_message(F.ctx, w, 1, text, lens[i]),
		    VOUCH_OK);
	}
	slog_writer_free(w);
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		sizes[i] = rec_len(&m, i);
	}
	/* 0, 1, 200 and 256 bytes of text: the same bucket, the same size. */
	assert_int_equal(sizes[0], SLOG_RECORD_MIN);
	assert_int_equal(sizes[1], sizes[0]);
	assert_int_equal(sizes[2], sizes[1]);
	assert_int_equal(sizes[3], sizes[2]);
	assert_int_equal(sizes[4], SLOG_REC_OVERHEAD + 1024);
	assert_int_equal(sizes[5], sizes[4]);
	assert_int_equal(sizes[6], SLOG_REC_OVERHEAD + 4096);
	assert_int_equal(sizes[7], SLOG_RECORD_MAX);
	assert_int_equal(slog_bucket_for(0), 0);
	assert_int_equal(slog_bucket_for(257), 1);
	assert_int_equal(slog_bucket_for(SLOG_CONTENT_MAX), SLOG_BUCKETS - 1);
	mem_free(&m);
}

/* Header + |n| copies of a 28-byte frame start claiming 16 KiB at seq 0. */
static void
test_limits(void **state)
{
	struct slog_report *r = NULL;
	struct buf b = { 0 };
	struct mem m = { 0 };
	uint8_t unit[28];
	size_t i;

	(void)state;
	/* Work: each stream-id match claims a record 600 times its cost. */
	standard(&m, F.pk, true);
	cat(&b, m.p, SLOG_HEADER_BYTES);
	memset(unit, 0, sizeof(unit));
	unit[0] = 'V';
	unit[1] = 'R';
	unit[2] = SLOG_TYPE_MESSAGE;
	unit[3] = SLOG_BUCKETS - 1;
	memcpy(unit + 4, m.p + 16, 16);
	for (i = 0; i < 100000; i++) {
		cat(&b, unit, sizeof(unit));
	}
	assert_int_equal(verify(b.p, b.len, &r) & BIT(SLOG_INCOMPLETE),
	    BIT(SLOG_INCOMPLETE));
	slog_report_free(r);
	free(b.p);
	mem_free(&m);

	/* Too large: refused before reading. */
	assert_int_equal(slog_verify(F.ctx, F.sk, unit,
	    (size_t)SLOG_FILE_MAX + 1, &r), VOUCH_ERR_TOO_LARGE);
}

/* Streams past the skip limit, built with a writer whose sink we control. */
struct switch_sink {
	struct mem	*keep;
	bool		 drop;
};

static enum vouch_err
switch_write(void *arg, const uint8_t *p, size_t n)
{
	struct switch_sink *s = arg;

	return s->drop ? VOUCH_OK : mem_write(s->keep, p, n);
}

static void
test_skip_limit(void **state)
{
	struct slog_report *r = NULL;
	struct switch_sink ss;
	struct slog_sink sink = { switch_write, &ss };
	struct slog_writer *w = NULL;
	struct mem m;
	size_t i, j, drop;

	(void)state;
	for (i = 0; i < 2; i++) {
		drop = i == 0 ? 1000 : SLOG_MAX_SKIP + 10;
		memset(&m, 0, sizeof(m));
		ss.keep = &m;
		ss.drop = false;
		assert_int_equal(slog_writer_new(F.ctx, F.pk, "test", NULL, 0,
		    &sink, &w), VOUCH_OK);
		msg(w, 1, "kept 0");
		msg(w, 1, "kept 1");
		ss.drop = true;
		for (j = 0; j < drop; j++) {
			msg(w, 1, "dropped");
		}
		ss.drop = false;
		msg(w, 1, "kept after the gap");
		assert_int_equal(slog_writer_close(F.ctx, w), VOUCH_OK);
		slog_writer_free(w);
		if (i == 0) {
			assert_int_equal(verify(m.p, m.len, &r),
			    BIT(SLOG_DROPPED));
			assert_int_equal(only(r, SLOG_DROPPED)->seq_first, 2);
		} else {
			/* Not ratcheted to: the verifier cannot tell them apart. */
			assert_int_equal(verify(m.p, m.len, &r),
			    BIT(SLOG_TAMPERED));
		}
		slog_report_free(r);
		r = NULL;
		mem_free(&m);
	}
}

static void
test_many_streams(void **state)
{
	struct slog_writer *w;
	struct mem m = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i <= SLOG_MAX_STREAMS; i++) {
		w = writer(&m, F.pk);
		assert_int_equal(slog_writer_close(F.ctx, w), VOUCH_OK);
		slog_writer_free(w);
	}
	assert_int_equal(verify(m.p, m.len, NULL), BIT(SLOG_INCOMPLETE));
	mem_free(&m);
}

/* A crash leaves a torn record; the restarted writer appends a stream. */
static void
test_restart(void **state)
{
	struct slog_report *r = NULL;
	struct buf b = { 0 };
	struct mem m, o;

	(void)state;
	standard(&m, F.pk, false);
	standard(&o, F.pk, true);
	cat(&b, m.p, m.len - 100);
	cat(&b, o.p, o.len);
	assert_int_equal(verify(b.p, b.len, &r), BIT(SLOG_TRUNCATED));
	assert_int_equal(r->nstreams, 2);
	assert_int_equal(r->streams[0].damage, BIT(SLOG_TRUNCATED));
	assert_int_equal(r->streams[1].damage, 0);
	assert_int_equal(r->streams[1].records, 12);
	slog_report_free(r);
	free(b.p);
	/* Two whole streams: intact. */
	b.p = NULL;
	b.len = 0;
	mem_free(&m);
	standard(&m, F.pk, true);
	cat(&b, m.p, m.len);
	cat(&b, o.p, o.len);
	expect(b.p, b.len, 0, "two streams");
	free(b.p);
	/* Garbage before the first header. */
	b.p = NULL;
	b.len = 0;
	cat(&b, (const uint8_t *)"junk", 4);
	cat(&b, m.p, m.len);
	expect(b.p, b.len, BIT(SLOG_TAMPERED), "junk before header");
	free(b.p);
	mem_free(&o);
	mem_free(&m);
}

static void
test_rotation(void **state)
{
	struct slog_report *r = NULL;
	struct slog_writer *w;
	struct mem m = { 0 };
	int i;

	(void)state;
	w = writer(&m, F.pk);
	slog_writer_set_max_records(w, 5);
	for (i = 0; i < 10; i++) {
		msg(w, 1, "rotating");
	}
	assert_int_equal(slog_writer_close(F.ctx, w), VOUCH_OK);
	slog_writer_free(w);
	/* 4 + close, 4 + close, 2 + close. */
	assert_int_equal(verify(m.p, m.len, &r), 0);
	assert_int_equal(r->nstreams, 3);
	assert_int_equal(r->streams[0].records, 5);
	assert_int_equal(r->streams[2].records, 3);
	slog_report_free(r);
	mem_free(&m);
}

static void
test_sink_failure(void **state)
{
	struct switch_sink ss;
	struct slog_writer *w = NULL;
	struct mem m = { 0 };

	(void)state;
	ss.keep = &m;
	ss.drop = false;
	{
		struct slog_sink fail_sink = { NULL, NULL };

		assert_int_equal(slog_writer_new(F.ctx, F.pk, "test", NULL, 0,
		    &fail_sink, &w), VOUCH_ERR_INVALID_ARGUMENT);
		assert_null(w);
	}
	assert_int_equal(slog_writer_new(F.ctx, F.pk, "Bad", NULL, 0,
	    &(struct slog_sink){ switch_write, &ss }, &w),
	    VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(slog_writer_new(F.ctx, F.pk, "test", NULL, 65,
	    &(struct slog_sink){ switch_write, &ss }, &w),
	    VOUCH_ERR_INVALID_ARGUMENT);
	mem_free(&m);
}

/* vouch_log_open / vouch_log / vouch_log_close, from two threads. */
struct thread_arg {
	struct vouch_log	*l;
	int			 id;
};

static void *
log_thread(void *p)
{
	struct thread_arg *a = p;
	int i;

	for (i = 0; i < 200; i++) {
		if (vouch_log(a->l, VOUCH_LOG_INFO, "thread %d line %d", a->id,
		    i) != VOUCH_OK) {
			return p;
		}
	}
	return NULL;
}

static void
test_public_api(void **state)
{
	char path[128], pub[128], junk[128], *big;
	struct thread_arg a[2];
	struct slog_report *r = NULL;
	struct vouch_log *l = NULL;
	pthread_t t[2];
	uint8_t *buf = NULL;
	size_t len = 0, i;
	void *ret;

	(void)state;
	snprintf(path, sizeof(path), "%s/api.vlog", F.dir);
	snprintf(pub, sizeof(pub), "%s/tenant.pub", F.dir);
	assert_int_equal(vouch_x25519_write_pub_pem(F.ctx, pub, F.pk), VOUCH_OK);
	snprintf(junk, sizeof(junk), "%s/junk.pem", F.dir);
	assert_int_equal(vouch_file_write(F.ctx, junk, (const uint8_t *)"junk",
	    4, 0600), VOUCH_OK);
	assert_int_equal(vouch_log_open(NULL, path, junk, &l), VOUCH_ERR_BAD_KEY);
	assert_null(l);
	assert_int_not_equal(vouch_log_open(NULL, path, "/nonexistent", &l),
	    VOUCH_OK);
	assert_int_equal(vouch_log_open(NULL, path, pub, &l), VOUCH_OK);
	assert_int_equal(vouch_log(l, VOUCH_LOG_WARN, "hello %s %d", "world",
	    42), VOUCH_OK);
	assert_int_equal(vouch_log(l, (enum vouch_log_level)9, "x"),
	    VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(vouch_log(NULL, VOUCH_LOG_INFO, "x"),
	    VOUCH_ERR_INVALID_ARGUMENT);
	big = malloc(VOUCH_LOG_MESSAGE_MAX + 10);
	assert_non_null(big);
	memset(big, 'b', VOUCH_LOG_MESSAGE_MAX + 9);
	big[VOUCH_LOG_MESSAGE_MAX + 9] = '\0';
	assert_int_equal(vouch_log(l, VOUCH_LOG_ERROR, "%s", big), VOUCH_OK);
	free(big);
	assert_int_equal(vouch_log_checkpoint(l), VOUCH_OK);
	for (i = 0; i < 2; i++) {
		a[i].l = l;
		a[i].id = (int)i;
		assert_int_equal(pthread_create(&t[i], NULL, log_thread, &a[i]), 0);
	}
	for (i = 0; i < 2; i++) {
		assert_int_equal(pthread_join(t[i], &ret), 0);
		assert_null(ret);
	}
	assert_int_equal(vouch_log_close(l), VOUCH_OK);
	assert_int_equal(vouch_log_close(NULL), VOUCH_OK);

	assert_int_equal(vouch_file_read(F.ctx, path, SLOG_FILE_MAX, &buf, &len),
	    VOUCH_OK);
	assert_int_equal(verify(buf, len, &r), 0);
	assert_int_equal(r->nstreams, 1);
	assert_string_equal(r->streams[0].profile, vouch_profile());
	assert_int_equal(r->streams[0].measurement_len, 0);
	/* 2 + checkpoint + 400 + close. */
	assert_int_equal(r->streams[0].records, 404);
	assert_int_equal(r->entries[0].level, VOUCH_LOG_WARN);
	assert_memory_equal(r->entries[0].text, "hello world 42", 14);
	assert_int_equal(r->entries[1].text_len, VOUCH_LOG_MESSAGE_MAX);
	assert_int_equal(r->entries[1].flags, SLOG_FLAG_TRUNCATED);
	slog_report_free(r);
	free(buf);
	/* Appending opens a second stream in the same file. */
	assert_int_equal(vouch_log_open(NULL, path, pub, &l), VOUCH_OK);
	assert_int_equal(vouch_log(l, VOUCH_LOG_INFO, "again"), VOUCH_OK);
	assert_int_equal(vouch_log_close(l), VOUCH_OK);
	assert_int_equal(vouch_file_read(F.ctx, path, SLOG_FILE_MAX, &buf, &len),
	    VOUCH_OK);
	assert_int_equal(verify(buf, len, &r), 0);
	assert_int_equal(r->nstreams, 2);
	slog_report_free(r);
	free(buf);
}

/*
 * vouch_log_open_pem takes the key as PEM text; after fork(2) the child
 * cannot write (it shares the key state: same key, same nonce), and the
 * parent's stream stays intact.
 */
static void
test_api_pem_and_fork(void **state)
{
	char path[512], pub[512];
	struct vouch_log *l = NULL;
	struct slog_report *r = NULL;
	uint8_t *pem = NULL, *buf = NULL;
	size_t pem_len = 0, len = 0;
	pid_t pid;
	int st = 0;

	(void)state;
	snprintf(path, sizeof(path), "%s/fork.vlog", F.dir);
	snprintf(pub, sizeof(pub), "%s/fork.pub", F.dir);
	assert_int_equal(vouch_x25519_write_pub_pem(F.ctx, pub, F.pk), VOUCH_OK);
	assert_int_equal(vouch_file_read(F.ctx, pub, 4096, &pem, &pem_len),
	    VOUCH_OK);
	assert_int_equal(vouch_log_open_pem(NULL, path, (const uint8_t *)"x", 1,
	    &l), VOUCH_ERR_BAD_KEY);
	assert_null(l);
	assert_int_equal(vouch_log_open_pem(NULL, path, pem, pem_len, &l),
	    VOUCH_OK);
	assert_int_equal(vouch_log(l, VOUCH_LOG_INFO, "before fork"), VOUCH_OK);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int ok = vouch_log(l, VOUCH_LOG_INFO, "child") == VOUCH_ERR_STATE &&
		    vouch_log_checkpoint(l) == VOUCH_ERR_STATE &&
		    vouch_log_close(l) == VOUCH_ERR_STATE;
		_exit(ok ? 0 : 1);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	assert_int_equal(vouch_log(l, VOUCH_LOG_INFO, "parent"), VOUCH_OK);
	assert_int_equal(vouch_log_close(l), VOUCH_OK);
	assert_int_equal(vouch_file_read(F.ctx, path, SLOG_FILE_MAX, &buf, &len),
	    VOUCH_OK);
	assert_int_equal(verify(buf, len, &r), 0);
	assert_int_equal(r->nstreams, 1);
	assert_int_equal(r->streams[0].records, 3);
	slog_report_free(r);
	free(buf);
	free(pem);
}

static void
test_names(void **state)
{
	static const char *const want[] = { "dropped", "reordered", "replayed",
	    "tampered", "spliced", "truncated", "incomplete" };
	size_t i;

	(void)state;
	for (i = 0; i < SLOG_KIND_COUNT; i++) {
		assert_string_equal(slog_kind_name((enum slog_kind)i), want[i]);
	}
	assert_string_equal(slog_kind_name(SLOG_KIND_COUNT), "unknown");
}

/*
 * An independent implementation reads the stream: Python's cryptography
 * package (X25519, HMAC-SHA256, AES-ECB, AES-GCM) following
 * docs/sealed-log.md only, HPKE's key schedule written out.
 */
static void
test_independent(void **state)
{
	static const char script[] =
	    "import sys, hashlib\n"
	    "from cryptography.hazmat.primitives import hashes, hmac\n"
	    "from cryptography.hazmat.primitives.asymmetric import x25519\n"
	    "from cryptography.hazmat.primitives.ciphers import Cipher, algorit"
	    "hms, modes\n"
	    "from cryptography.hazmat.primitives.ciphers.aead import AESGCM\n"
	    "from cryptography.hazmat.primitives.serialization import Encoding,"
	    " PublicFormat\n"
	    "def mac(k, m):\n"
	    "    h = hmac.HMAC(k, hashes.SHA256()); h.update(m); return h.finalize()\n"
	    "def lextract(sid, salt, label, ikm):\n"
	    "    return mac(salt or bytes(32), b'HPKE-v1' + sid + label + ikm)\n"
	    "def lexpand(sid, prk, label, info, n):\n"
	    "    m = n.to_bytes(2, 'big') + b'HPKE-v1' + sid + label + info\n"
	    "    out, t, i = b'', b'', 1\n"
	    "    while len(out) < n:\n"
	    "        t = mac(prk, t + m + bytes([i])); out += t; i += 1\n"
	    "    return out[:n]\n"
	    "d = sys.argv[1]\n"
	    "sk = x25519.X25519PrivateKey.from_private_bytes(open(d + '/sk', 'r"
	    "b').read())\n"
	    "f = open(d + '/log', 'rb').read()\n"
	    "h, enc = f[:224], f[160:192]\n"
	    "assert h[:9] == b'VOUCHLOG\\x01'\n"
	    "pk = sk.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)\n"
	    "assert h[32:64] == hashlib.sha256(pk).digest()\n"
	    "dh = sk.exchange(x25519.X25519PublicKey.from_public_bytes(enc))\n"
	    "ksid = b'KEM\\x00\\x20'\n"
	    "ss = lexpand(ksid, lextract(ksid, b'', b'eae_prk', dh), b'shared_s"
	    "ecret', enc + pk, 32)\n"
	    "sid = b'HPKE\\x00\\x20\\x00\\x01\\xff\\xff'\n"
	    "ctx = b'\\x00' + lextract(sid, b'', b'psk_id_hash', b'') + lextrac"
	    "t(sid, b'', b'info_hash', b'vouch-log-v1' + h[:160])\n"
	    "exp = lexpand(sid, lextract(sid, ss, b'secret', b''), b'exp', ctx, 32)\n"
	    "assert lexpand(sid, exp, b'sec', b'vouch-log-v1 header', 32) == h[192:]\n"
	    "ck = lexpand(sid, exp, b'sec', b'vouch-log-v1 chain', 32)\n"
	    "prev, off, seq, out = hashlib.sha256(h).digest(), 224, 0, []\n"
	    "while off < len(f):\n"
	    "    r = f[off:]\n"
	    "    assert r[:2] == b'VR' and r[4:20] == h[16:32]\n"
	    "    r = r[:88 + (256 << 2 * r[3])]\n"
	    "    assert int.from_bytes(r[20:28], 'big') == seq and r[28:60] == prev\n"
	    "    nonce = bytes(4) + seq.to_bytes(8, 'big')\n"
	    "    nk = Cipher(algorithms.AES(ck), modes.ECB()).encryptor().updat"
	    "e(nonce + b'\\0\\0\\0\\2' + nonce + b'\\0\\0\\0\\3')\n"
	    "    pt = AESGCM(ck).decrypt(nonce, nk + r[60:], r[:60])\n"
	    "    assert pt[:32] == bytes(32)\n"
	    "    n = int.from_bytes(pt[34:36], 'big')\n"
	    "    assert pt[44 + n:] == bytes(len(pt) - 44 - n)\n"
	    "    out.append('%d %d %d %s' % (seq, r[2], pt[32], pt[44:44 + n].h"
	    "ex()))\n"
	    "    ck, prev, off, seq = nk, hashlib.sha256(r).digest(), off + len"
	    "(r), seq + 1\n"
	    "assert r[2] == 3\n"
	    "open(d + '/out', 'w').write('\\n'.join(out) + '\\n')\n";
	char path[128], cmd[512], want[8192], hex[64];
	uint8_t *out = NULL;
	size_t out_len = 0, off = 0, i;
	struct mem m;
	int k;

	(void)state;
	if (system("python3 -c 'import cryptography' >/dev/null 2>&1") != 0) {
		skip();
	}
	standard(&m, F.pk, true);
	snprintf(path, sizeof(path), "%s/log", F.dir);
	assert_int_equal(vouch_file_write(F.ctx, path, m.p, m.len, 0600),
	    VOUCH_OK);
	snprintf(path, sizeof(path), "%s/sk", F.dir);
	assert_int_equal(vouch_file_write(F.ctx, path, F.sk, 32, 0600), VOUCH_OK);
	snprintf(path, sizeof(path), "%s/check.py", F.dir);
	assert_int_equal(vouch_file_write(F.ctx, path, (const uint8_t *)script,
	    strlen(script), 0600), VOUCH_OK);
	snprintf(cmd, sizeof(cmd), "python3 '%s' '%s'", path, F.dir);
	assert_int_equal(system(cmd), 0);
	/* seq type level hex(text) per line, as the writer made them. */
	for (i = 0; i < 12; i++) {
		if (i == 5 || i == 11) {
			k = snprintf(want + off, sizeof(want) - off, "%zu %d 0 ", i,
			    i == 5 ? SLOG_TYPE_CHECKPOINT : SLOG_TYPE_CLOSE);
			off += (size_t)k;
			k = snprintf(want + off, sizeof(want) - off,
			    "%016zx%016x\n", i + 1, i == 5 ? 5 : 10);
		} else {
			char text[32];

			snprintf(text, sizeof(text), "message %zu", i < 5 ? i : i - 1);
			assert_true(vouch_hex_encode((const uint8_t *)text,
			    strlen(text), hex, sizeof(hex)));
			k = snprintf(want + off, sizeof(want) - off, "%zu 1 %zu %s\n",
			    i, (i < 5 ? i : i - 1) % 4, hex);
		}
		off += (size_t)k;
	}
	snprintf(path, sizeof(path), "%s/out", F.dir);
	assert_int_equal(vouch_file_read(F.ctx, path, 65536, &out, &out_len),
	    VOUCH_OK);
	assert_int_equal(out_len, off);
	assert_memory_equal(out, want, off);
	free(out);
	mem_free(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_standard_intact),
		cmocka_unit_test(test_dropped),
		cmocka_unit_test(test_reordered),
		cmocka_unit_test(test_replayed),
		cmocka_unit_test(test_tampered),
		cmocka_unit_test(test_spliced),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_wrong_key),
		cmocka_unit_test(test_header_tampered),
		cmocka_unit_test(test_forward_security),
		cmocka_unit_test(test_padding),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_skip_limit),
		cmocka_unit_test(test_many_streams),
		cmocka_unit_test(test_restart),
		cmocka_unit_test(test_rotation),
		cmocka_unit_test(test_sink_failure),
		cmocka_unit_test(test_public_api),
		cmocka_unit_test(test_api_pem_and_fork),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_independent),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
