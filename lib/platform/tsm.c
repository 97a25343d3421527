/* SPDX-License-Identifier: Apache-2.0 */
/*
 * configfs-tsm report collection (tsm.h).  Platform-neutral: the caller
 * names the provider it needs and checks the report it gets back (for
 * SNP: snp_guest.c compares the report's REPORT_DATA with the inblob).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bs/bs.h"
#include "crypto/crypto.h"
#include "platform/tsm.h"
#include "util/file.h"

const char *
tsm_root(const char *root)
{
	const char *env;

	if (root != NULL) {
		return root;
	}
	env = secure_getenv("VOUCH_TSM_ROOT");
	return env != NULL && env[0] != '\0' ? env : TSM_ROOT_DEFAULT;
}

bool
tsm_available(const char *root)
{
	char path[1024];
	struct stat st;

	return vouch_path_join(path, sizeof(path), tsm_root(root), "report") &&
	    stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

void
tsm_report_clear(struct tsm_report *r)
{
	if (r == NULL) {
		return;
	}
	free(r->outblob);
	free(r->auxblob);
	memset(r, 0, sizeof(*r));
}

/* A short text attribute without its trailing newline. */
static enum vouch_err
read_attr(struct vouch_ctx *ctx, const char *dir, const char *name,
    char *out, size_t cap)
{
	char path[1024];
	uint8_t *buf = NULL;
	size_t len = 0;
	enum vouch_err rv;

	if (!vouch_path_join(path, sizeof(path), dir, name)) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "tsm: path too long");
	}
	rv = vouch_file_read(ctx, path, 4096, &buf, &len);
	if (rv != VOUCH_OK) {
		return rv;
	}
	if (len > 0 && buf[len - 1] == '\n') {
		len--;
	}
	if (len == 0 || len >= cap || memchr(buf, '\0', len) != NULL) {
		free(buf);
		return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
		    "tsm: %s: unexpected contents", path);
	}
	memcpy(out, buf, len);
	out[len] = '\0';
	free(buf);
	return VOUCH_OK;
}

static enum vouch_err
read_generation(struct vouch_ctx *ctx, const char *dir, uint64_t *out)
{
	char s[32];
	enum vouch_err rv;
	uint64_t v = 0;
	size_t i;

	rv = read_attr(ctx, dir, "generation", s, sizeof(s));
	if (rv != VOUCH_OK) {
		return rv;
	}
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] < '0' || s[i] > '9' || v > (UINT64_MAX - 9) / 10) {
			return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
			    "tsm: generation is not a number");
		}
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = v;
	return VOUCH_OK;
}

/* One write(2) of |len| bytes to an existing attribute; close checked. */
static enum vouch_err
write_attr(struct vouch_ctx *ctx, const char *dir, const char *name,
    const void *buf, size_t len)
{
	char path[1024];
	ssize_t n;
	int fd, saved;

	if (!vouch_path_join(path, sizeof(path), dir, name)) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "tsm: path too long");
	}
	/* No O_CREAT: configfs makes the attributes, we never do. */
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd == -1) {
		return vouch_fail(ctx, errno == ENOENT ? VOUCH_ERR_NOT_FOUND :
		    VOUCH_ERR_IO, "tsm: %s: %s", path, strerror(errno));
	}
	n = write(fd, buf, len);
	saved = errno;
	/* configfs applies a binary attribute when it is closed. */
	if (close(fd) != 0 && n >= 0) {
		n = -1;
		saved = errno;
	}
	if (n < 0 || (size_t)n != len) {
		return vouch_fail(ctx, VOUCH_ERR_IO, "tsm: writing %s: %s", path,
		    n < 0 ? strerror(saved) : "short write");
	}
	return VOUCH_OK;
}

static enum vouch_err
read_blob(struct vouch_ctx *ctx, const char *dir, const char *name,
    size_t max, bool optional, uint8_t **out, size_t *out_len)
{
	char path[1024];
	enum vouch_err rv;

	*out = NULL;
	*out_len = 0;
	if (!vouch_path_join(path, sizeof(path), dir, name)) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "tsm: path too long");
	}
	rv = vouch_file_read(optional ? NULL : ctx, path, max, out, out_len);
	if (rv == VOUCH_ERR_NOT_FOUND && optional) {
		return VOUCH_OK;
	}
	if (rv != VOUCH_OK && optional) {
		return vouch_file_read(ctx, path, max, out, out_len);
	}
	return rv;
}

/*
 * The entry directory to use under {root}/report (|entry|, else
 * $VOUCH_TSM_ENTRY, else a fresh vouch-<pid>-<random> made here, with
 * |*made| set: the caller removes it).
 */
static enum vouch_err
entry_open(struct vouch_ctx *ctx, const char *root, const char *entry,
    char *dir, size_t cap, bool *made)
{
	enum vouch_err rv;
	char name[64], hex[17];
	uint8_t rnd[8];
	struct stat st;

	*made = false;
	if (entry == NULL) {
		entry = secure_getenv("VOUCH_TSM_ENTRY");
	}
	if (entry == NULL || entry[0] == '\0') {
		rv = vouch_random(ctx, rnd, sizeof(rnd));
		if (rv != VOUCH_OK) {
			return rv;
		}
		(void)vouch_hex_encode(rnd, sizeof(rnd), hex, sizeof(hex));
		(void)snprintf(name, sizeof(name), "vouch-%ld-%s",
		    (long)getpid(), hex);
		entry = name;
	} else if (strchr(entry, '/') != NULL || strcmp(entry, ".") == 0 ||
	    strcmp(entry, "..") == 0) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "tsm: entry name must not contain '/'");
	}
	if ((size_t)snprintf(dir, cap, "%s/report/%s", root, entry) >= cap) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "tsm: path too long");
	}
	if (stat(dir, &st) != 0) {
		if (mkdir(dir, 0700) != 0) {
			return vouch_fail(ctx, VOUCH_ERR_IO,
			    "tsm: cannot create %s: %s", dir, strerror(errno));
		}
		*made = true;
	} else if (!S_ISDIR(st.st_mode)) {
		return vouch_fail(ctx, VOUCH_ERR_IO, "tsm: %s is not a "
		    "directory", dir);
	}
	return VOUCH_OK;
}

bool
tsm_provider_is(const char *root, const char *entry, const char *provider)
{
	char dir[1024], got[TSM_PROVIDER_MAX];
	bool made = false, same = false;

	root = tsm_root(root);
	if (!tsm_available(root) ||
	    entry_open(NULL, root, entry, dir, sizeof(dir), &made) != VOUCH_OK) {
		return false;
	}
	same = read_attr(NULL, dir, "provider", got, sizeof(got)) == VOUCH_OK &&
	    strcmp(got, provider) == 0;
	if (made) {
		(void)rmdir(dir);
	}
	return same;
}

enum vouch_err
tsm_get_report(struct vouch_ctx *ctx, const struct tsm_request *req,
    struct tsm_report *out)
{
	enum vouch_err rv = VOUCH_ERR_INTERNAL;
	const char *root = tsm_root(req->root), *entry = req->entry;
	char dir[1024], lvl[16];
	uint64_t gen_after = 0;
	bool made = false;

	memset(out, 0, sizeof(*out));
	if (req->inblob == NULL || req->inblob_len == 0 ||
	    req->inblob_len > TSM_INBLOB_MAX ||
	    req->privlevel > TSM_PRIVLEVEL_MAX) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "tsm: inblob is 1 to %u bytes, privlevel at most %d",
		    TSM_INBLOB_MAX, TSM_PRIVLEVEL_MAX);
	}
	if (!tsm_available(root)) {
		return vouch_fail(ctx, VOUCH_ERR_NOT_FOUND,
		    "tsm: no configfs-tsm report interface at %s/report", root);
	}
	rv = entry_open(ctx, root, entry, dir, sizeof(dir), &made);
	if (rv != VOUCH_OK) {
		return rv;
	}

	rv = read_attr(ctx, dir, "provider", out->provider,
	    sizeof(out->provider));
	if (rv != VOUCH_OK) {
		goto out;
	}
	if (req->provider != NULL &&
	    strcmp(out->provider, req->provider) != 0) {
		rv = vouch_fail(ctx, VOUCH_ERR_UNSUPPORTED_PLATFORM,
		    "tsm: the provider is %s, not %s", out->provider,
		    req->provider);
		goto out;
	}
	if (req->privlevel >= 0) {
		(void)snprintf(lvl, sizeof(lvl), "%d\n", req->privlevel);
		rv = write_attr(ctx, dir, "privlevel", lvl, strlen(lvl));
		if (rv != VOUCH_OK) {
			goto out;
		}
	}
	rv = write_attr(ctx, dir, "inblob", req->inblob, req->inblob_len);
	if (rv != VOUCH_OK) {
		goto out;
	}
	/* After our last write: any later write moves it. */
	rv = read_generation(ctx, dir, &out->generation);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = read_blob(ctx, dir, "outblob", TSM_OUTBLOB_MAX, false,
	    &out->outblob, &out->outblob_len);
	if (rv != VOUCH_OK) {
		goto out;
	}
	if (out->outblob_len == 0) {
		rv = vouch_fail(ctx, VOUCH_ERR_TRUNCATED, "tsm: empty outblob");
		goto out;
	}
	rv = read_blob(ctx, dir, "auxblob", TSM_AUXBLOB_MAX, true,
	    &out->auxblob, &out->auxblob_len);
	if (rv != VOUCH_OK) {
		goto out;
	}
	if (out->auxblob != NULL && out->auxblob_len == 0) {
		free(out->auxblob);
		out->auxblob = NULL;
	}
	rv = read_generation(ctx, dir, &gen_after);
	if (rv != VOUCH_OK) {
		goto out;
	}
	if (gen_after != out->generation) {
		rv = vouch_fail(ctx, VOUCH_ERR_STATE,
		    "tsm: %s changed while the report was read (generation "
		    "%" PRIu64 " -> %" PRIu64 "): another writer", dir,
		    out->generation, gen_after);
		goto out;
	}
	rv = VOUCH_OK;
 out:
	if (made && rmdir(dir) != 0 && rv == VOUCH_OK) {
		rv = vouch_fail(ctx, VOUCH_ERR_IO, "tsm: cannot remove %s: %s",
		    dir, strerror(errno));
	}
	if (rv != VOUCH_OK) {
		tsm_report_clear(out);
	}
	return rv;
}
