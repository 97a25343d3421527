/* SPDX-License-Identifier: Apache-2.0 */
/* vouch log keygen | verify: the tenant's side of the sealed log stream. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <jansson.h>

#include "bs/bs.h"
#include "bs/json.h"
#include "cli.h"
#include "crypto/hpke.h"
#include "log/slog.h"
#include "util/file.h"

static const char keygen_usage[] =
    "usage: vouch log keygen --out TENANT_KEY --pub-out TENANT_PUB\n"
    "\n"
    "Make the tenant's X25519 key pair for sealed logs: the private key\n"
    "(PKCS#8 PEM, mode 0600) stays with the tenant and opens the logs\n"
    "(`vouch log verify --key`); the public key (SubjectPublicKeyInfo PEM)\n"
    "goes to the program that writes them (vouch_log_open).  An existing\n"
    "key file is never overwritten.\n"
    "\n"
    "  --out TENANT_KEY      private key file to create\n"
    "  --pub-out TENANT_PUB  public key file to create\n";

static const char verify_usage[] =
    "usage: vouch log verify --key TENANT_KEY [--json] FILE\n"
    "\n"
    "Decrypt the sealed log FILE with the tenant's private key and check\n"
    "every stream in it: the sequence numbers, the hash chain, each\n"
    "record's authentication, the close record.  Prints the records (seq,\n"
    "time, level, text; bytes other than printable ASCII as \\xNN) and\n"
    "names exactly what is wrong: dropped, reordered, replayed, tampered,\n"
    "spliced (a record or stream that belongs elsewhere), truncated (no\n"
    "close record, or a torn last record), incomplete (a verifier limit was\n"
    "reached).  The last line is the verdict.\n"
    "\n"
    "Exit status: 0 intact, 1 damaged, 2 usage error, unreadable file or\n"
    "key, or a log sealed to another key.\n"
    "\n"
    "  --key TENANT_KEY  the private key from `vouch log keygen`\n"
    "  --json            one JSON object instead of text\n";

static int
log_keygen_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "pub-out", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint8_t sk[VOUCH_X25519_BYTES], pk[VOUCH_X25519_BYTES];
	const char *out = NULL, *pub_out = NULL;
	struct vouch_ctx *ctx = NULL;
	enum vouch_err rv;
	struct stat st;
	int ch, rc = CLI_EXIT_FAIL;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'o':
			out = optarg;
			break;
		case 'p':
			pub_out = optarg;
			break;
		case 'h':
			fputs(keygen_usage, stdout);
			return CLI_EXIT_OK;
		default:
			fputs(keygen_usage, stderr);
			return CLI_EXIT_USAGE;
		}
	}
	if (optind != argc || out == NULL || pub_out == NULL) {
		fputs(keygen_usage, stderr);
		return CLI_EXIT_USAGE;
	}
	if (strcmp(out, pub_out) == 0) {
		return cli_usage("--out and --pub-out must differ");
	}
	ctx = vouch_ctx_new();
	if (ctx == NULL) {
		return CLI_EXIT_FAIL;
	}
	if (stat(out, &st) == 0 || stat(pub_out, &st) == 0) {
		rc = cli_error(ctx, vouch_fail(ctx, VOUCH_ERR_STATE,
		    "%s exists; not overwriting a key", stat(out, &st) == 0 ?
		    out : pub_out), CLI_EXIT_FAIL);
		goto out;
	}
	rv = vouch_x25519_keygen(ctx, sk, pk);
	if (rv == VOUCH_OK) {
		rv = vouch_x25519_write_priv_pem(ctx, out, sk);
	}
	if (rv == VOUCH_OK) {
		rv = vouch_x25519_write_pub_pem(ctx, pub_out, pk);
	}
	vouch_wipe(sk, sizeof(sk));
	if (rv != VOUCH_OK) {
		rc = cli_error(ctx, rv, CLI_EXIT_FAIL);
		goto out;
	}
	fprintf(stderr, "vouch: tenant key in %s, public key in %s\n", out,
	    pub_out);
	rc = CLI_EXIT_OK;
 out:
	vouch_ctx_free(ctx);
	return rc;
}

/*
 * Text from the log is the writer's: anything but printable ASCII is
 * escaped so it cannot drive the terminal.  |out| holds 4 * n + 1.
 */
static char *
escape(const uint8_t *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	char *out, *o;
	size_t i;

	out = malloc(4 * n + 1);
	if (out == NULL) {
		return NULL;
	}
	o = out;
	for (i = 0; i < n; i++) {
		if (p[i] == '\\') {
			*o++ = '\\';
			*o++ = '\\';
		} else if (p[i] == '\n') {
			*o++ = '\\';
			*o++ = 'n';
		} else if (p[i] == '\t') {
			*o++ = '\\';
			*o++ = 't';
		} else if (p[i] >= 0x20 && p[i] < 0x7f) {
			*o++ = (char)p[i];
		} else {
			*o++ = '\\';
			*o++ = 'x';
			*o++ = hex[p[i] >> 4];
			*o++ = hex[p[i] & 0xf];
		}
	}
	*o = '\0';
	return out;
}

static void
fmt_time(uint64_t ns, char *buf, size_t cap)
{
	time_t t = (time_t)(ns / 1000000000u);
	struct tm tm;
	char day[32];

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(day, sizeof(day), "%Y-%m-%dT%H:%M:%S", &tm) == 0) {
		snprintf(buf, cap, "?");
		return;
	}
	snprintf(buf, cap, "%s.%06luZ", day,
	    (unsigned long)(ns % 1000000000u / 1000u));
}

static const char *const level_names[] = { "debug", "info", "warn", "error" };

static const char *
type_name(uint8_t type)
{
	switch (type) {
	case SLOG_TYPE_MESSAGE:
		return "message";
	case SLOG_TYPE_CHECKPOINT:
		return "checkpoint";
	default:
		return "close";
	}
}

static void
damage_list(unsigned damage, char *buf, size_t cap)
{
	size_t off = 0;
	unsigned k;
	int n;

	buf[0] = '\0';
	for (k = 0; k < SLOG_KIND_COUNT; k++) {
		if ((damage & (1u << k)) == 0) {
			continue;
		}
		n = snprintf(buf + off, cap - off, "%s%s", off > 0 ? ", " : "",
		    slog_kind_name((enum slog_kind)k));
		if (n < 0 || (size_t)n >= cap - off) {
			break;
		}
		off += (size_t)n;
	}
}

static void
print_finding(const struct slog_finding *f)
{
	printf("  ! %s: %s", slog_kind_name(f->kind), f->detail);
	if (f->has_seq && f->kind != SLOG_DROPPED &&
	    f->kind != SLOG_REORDERED && f->kind != SLOG_REPLAYED) {
		if (f->seq_first == f->seq_last) {
			printf(" (in place of seq %llu)",
			    (unsigned long long)f->seq_first);
		} else {
			printf(" (in place of seq %llu..%llu)",
			    (unsigned long long)f->seq_first,
			    (unsigned long long)f->seq_last);
		}
	}
	putchar('\n');
}

static bool
print_entry(const struct slog_entry *e)
{
	char when[64], *text;

	fmt_time(e->time_ns, when, sizeof(when));
	printf("%8llu %s ", (unsigned long long)e->seq, when);
	if (e->duplicate) {
		fputs("(replay) ", stdout);
	}
	if (e->type != SLOG_TYPE_MESSAGE) {
		printf("%s: %llu records, %llu messages\n", type_name(e->type),
		    (unsigned long long)e->count_records,
		    (unsigned long long)e->count_messages);
		return true;
	}
	text = escape(e->text, e->text_len);
	if (text == NULL) {
		return false;
	}
	printf("%-5s %s%s\n", level_names[e->level & 3], text,
	    (e->flags & SLOG_FLAG_TRUNCATED) != 0 ?
	    " [cut by the writer]" : "");
	free(text);
	return true;
}

static void
hex_of(const uint8_t *p, size_t n, char *out, size_t cap)
{
	if (!vouch_hex_encode(p, n, out, cap)) {
		out[0] = '\0';
	}
}

static bool
print_text(const struct slog_report *r)
{
	char id[2 * SLOG_STREAM_ID_BYTES + 1], m[2 * SLOG_MEASUREMENT_MAX + 1];
	char when[64], dmg[160];
	size_t s, e = 0, f = 0;

	while (f < r->nfindings && r->findings[f].stream == SIZE_MAX) {
		print_finding(&r->findings[f++]);
	}
	for (s = 0; s < r->nstreams; s++) {
		const struct slog_stream_info *si = &r->streams[s];

		hex_of(si->stream_id, sizeof(si->stream_id), id, sizeof(id));
		hex_of(si->measurement, si->measurement_len, m, sizeof(m));
		fmt_time(si->created_ns, when, sizeof(when));
		if (si->readable) {
			printf("stream %zu at offset %zu: id %s, claimed profile %s, "
			    "claimed measurement %s, created %s\n", s + 1, si->offset,
			    id, si->profile,
			    si->measurement_len > 0 ? m : "none", when);
		} else {
			printf("stream %zu at offset %zu: id %s, "
			    "not readable\n", s + 1, si->offset, id);
		}
		/* Streams follow each other in the file: merge by offset. */
		for (;;) {
			bool have_e = e < r->nentries &&
			    r->entries[e].stream == s;
			bool have_f = f < r->nfindings &&
			    r->findings[f].stream == s;

			if (!have_e && !have_f) {
				break;
			}
			if (have_f && (!have_e ||
			    r->findings[f].offset <= r->entries[e].offset)) {
				print_finding(&r->findings[f++]);
				continue;
			}
			if (!print_entry(&r->entries[e++])) {
				return false;
			}
		}
		damage_list(si->damage, dmg, sizeof(dmg));
		printf("stream %zu: %llu records, %s%s%s\n", s + 1,
		    (unsigned long long)si->records,
		    si->damage == 0 ? "intact" : "damaged (",
		    dmg, si->damage == 0 ? "" : ")");
	}
	damage_list(r->damage, dmg, sizeof(dmg));
	if (r->damage == 0) {
		printf("verdict: intact (%zu stream%s)\n", r->nstreams,
		    r->nstreams == 1 ? "" : "s");
	} else {
		printf("verdict: damaged: %s\n", dmg);
	}
	return true;
}

static json_t *
damage_json(unsigned damage)
{
	json_t *a = json_array();
	unsigned k;

	for (k = 0; a != NULL && k < SLOG_KIND_COUNT; k++) {
		if ((damage & (1u << k)) != 0) {
			json_array_append_new(a,
			    json_string(slog_kind_name((enum slog_kind)k)));
		}
	}
	return a;
}

static json_t *
report_json(const struct slog_report *r)
{
	char id[2 * SLOG_STREAM_ID_BYTES + 1], m[2 * SLOG_MEASUREMENT_MAX + 1];
	char when[64], *text;
	json_t *o, *streams, *records, *findings, *x;
	size_t i;

	o = json_object();
	streams = json_array();
	records = json_array();
	findings = json_array();
	if (o == NULL || streams == NULL || records == NULL ||
	    findings == NULL) {
		goto fail;
	}
	json_object_set_new(o, "streams", streams);
	json_object_set_new(o, "records", records);
	json_object_set_new(o, "findings", findings);
	for (i = 0; i < r->nstreams; i++) {
		const struct slog_stream_info *si = &r->streams[i];

		hex_of(si->stream_id, sizeof(si->stream_id), id, sizeof(id));
		hex_of(si->measurement, si->measurement_len, m, sizeof(m));
		fmt_time(si->created_ns, when, sizeof(when));
		x = json_pack("{s:I, s:s, s:b, s:b, s:I, s:s, s:o}",
		    "offset", (json_int_t)si->offset, "stream_id", id,
		    "readable", si->readable, "closed", si->closed,
		    "records", (json_int_t)si->records,
		    "status", si->damage == 0 ? "intact" : "damaged",
		    "damage", damage_json(si->damage));
		if (x == NULL || json_array_append_new(streams, x) != 0) {
			goto fail;
		}
		if (si->readable) {
			json_object_set_new(x, "profile",
			    json_string(si->profile));
			json_object_set_new(x, "measurement",
			    si->measurement_len > 0 ? json_string(m) :
			    json_null());
			json_object_set_new(x, "created", json_string(when));
		}
	}
	for (i = 0; i < r->nentries; i++) {
		const struct slog_entry *e = &r->entries[i];

		fmt_time(e->time_ns, when, sizeof(when));
		x = json_pack("{s:I, s:I, s:I, s:s, s:s, s:b}",
		    "stream", (json_int_t)e->stream + 1,
		    "offset", (json_int_t)e->offset, "seq", (json_int_t)e->seq,
		    "type", type_name(e->type), "time", when,
		    "replay", e->duplicate);
		if (x == NULL || json_array_append_new(records, x) != 0) {
			goto fail;
		}
		if (e->type == SLOG_TYPE_MESSAGE) {
			text = escape(e->text, e->text_len);
			if (text == NULL) {
				goto fail;
			}
			json_object_set_new(x, "level",
			    json_string(level_names[e->level & 3]));
			json_object_set_new(x, "text", json_string(text));
			json_object_set_new(x, "cut", json_boolean(
			    (e->flags & SLOG_FLAG_TRUNCATED) != 0));
			free(text);
		} else {
			json_object_set_new(x, "count_records",
			    json_integer((json_int_t)e->count_records));
			json_object_set_new(x, "count_messages",
			    json_integer((json_int_t)e->count_messages));
		}
	}
	for (i = 0; i < r->nfindings; i++) {
		const struct slog_finding *f = &r->findings[i];

		x = json_pack("{s:s, s:I, s:I, s:s}", "kind",
		    slog_kind_name(f->kind), "offset", (json_int_t)f->offset,
		    "length", (json_int_t)f->len, "detail", f->detail);
		if (x == NULL || json_array_append_new(findings, x) != 0) {
			goto fail;
		}
		json_object_set_new(x, "stream", f->stream == SIZE_MAX ?
		    json_null() : json_integer((json_int_t)f->stream + 1));
		if (f->has_seq) {
			json_object_set_new(x, "seq_first",
			    json_integer((json_int_t)f->seq_first));
			json_object_set_new(x, "seq_last",
			    json_integer((json_int_t)f->seq_last));
		}
	}
	json_object_set_new(o, "verdict",
	    json_string(r->damage == 0 ? "intact" : "damaged"));
	json_object_set_new(o, "damage", damage_json(r->damage));
	return o;
 fail:
	json_decref(o);
	return NULL;
}

static int
log_verify_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint8_t sk[VOUCH_X25519_BYTES], *buf = NULL;
	const char *key = NULL;
	struct slog_report *r = NULL;
	struct vouch_ctx *ctx = NULL;
	bool json = false, ok;
	enum vouch_err rv;
	size_t len = 0;
	char *s, dmg[160];
	json_t *o;
	int ch, rc = CLI_EXIT_FAIL;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'k':
			key = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			fputs(verify_usage, stdout);
			return CLI_EXIT_OK;
		default:
			fputs(verify_usage, stderr);
			return CLI_EXIT_USAGE;
		}
	}
	if (optind != argc - 1 || key == NULL) {
		fputs(verify_usage, stderr);
		return CLI_EXIT_USAGE;
	}
	ctx = vouch_ctx_new();
	if (ctx == NULL) {
		return CLI_EXIT_FAIL;
	}
	rv = vouch_x25519_read_priv_pem(ctx, key, sk);
	if (rv != VOUCH_OK) {
		rc = cli_read_error(ctx, rv);
		goto out;
	}
	rv = vouch_file_read(ctx, argv[optind], SLOG_FILE_MAX, &buf, &len);
	if (rv != VOUCH_OK) {
		rc = cli_read_error(ctx, rv);
		goto out;
	}
	rv = slog_verify(ctx, sk, buf, len, &r);
	if (rv == VOUCH_ERR_BAD_KEY) {
		rc = cli_read_error(ctx, rv);
		goto out;
	}
	if (rv != VOUCH_OK) {
		rc = cli_error(ctx, rv, CLI_EXIT_FAIL);
		goto out;
	}
	if (json) {
		o = report_json(r);
		s = o != NULL ? vouch_json_dump(o) : NULL;
		ok = s != NULL;
		if (ok) {
			printf("%s\n", s);
		}
		free(s);
		json_decref(o);
	} else {
		ok = print_text(r);
	}
	if (!ok || fflush(stdout) != 0) {
		rc = cli_error(ctx, vouch_fail(ctx, VOUCH_ERR_IO,
		    "cannot write the report"), CLI_EXIT_FAIL);
		goto out;
	}
	if (r->damage != 0) {
		damage_list(r->damage, dmg, sizeof(dmg));
		fprintf(stderr, "vouch: log damaged: %s\n", dmg);
		rc = CLI_EXIT_FAIL;
		goto out;
	}
	rc = CLI_EXIT_OK;
 out:
	vouch_wipe(sk, sizeof(sk));
	slog_report_free(r);
	if (buf != NULL) {
		vouch_freezero(buf, len);
	}
	vouch_ctx_free(ctx);
	return rc;
}

static const struct cli_cmd log_cmds[] = {
	{ "keygen", log_keygen_main, "make the tenant's sealed-log key pair" },
	{ "verify", log_verify_main, "decrypt a sealed log and check it" },
};

int
cmd_log(int argc, char **argv)
{
	return cli_dispatch("vouch log", log_cmds,
	    sizeof(log_cmds) / sizeof(log_cmds[0]), argc, argv);
}
