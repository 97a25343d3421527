/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/random.h>
#include <unistd.h>

#include "util/file.h"

int
vouch_path_join(char *out, size_t cap, const char *dir, const char *name)
{
	int n = snprintf(out, cap, "%s/%s", dir, name);

	return n >= 0 && (size_t)n < cap;
}

enum vouch_err
vouch_file_read(struct vouch_ctx *ctx, const char *path, size_t max,
    uint8_t **out, size_t *out_len)
{
	enum vouch_err rv = VOUCH_ERR_IO;
	uint8_t *buf = NULL, *nbuf;
	size_t len = 0, cap = 0;
	ssize_t n;
	int fd = -1;
	struct stat st;

	*out = NULL;
	*out_len = 0;
	if (strcmp(path, "-") == 0) {
		fd = STDIN_FILENO;
	} else {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd == -1) {
			if (errno == ENOENT) {
				return vouch_fail(ctx, VOUCH_ERR_NOT_FOUND,
				    "%s: no such file", path);
			}
			return vouch_fail(ctx, VOUCH_ERR_IO, "%s: cannot open: %s",
			    path, strerror(errno));
		}
		if (fstat(fd, &st) == -1) {
			rv = vouch_fail(ctx, VOUCH_ERR_IO, "%s: stat: %s", path,
			    strerror(errno));
			goto out;
		}
		if (S_ISDIR(st.st_mode)) {
			rv = vouch_fail(ctx, VOUCH_ERR_IO, "%s: is a directory",
			    path);
			goto out;
		}
		if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > max) {
			rv = vouch_fail(ctx, VOUCH_ERR_TOO_LARGE,
			    "%s: larger than the limit of %zu bytes", path, max);
			goto out;
		}
	}
	for (;;) {
		if (len == cap) {
			if (cap > max) {
				rv = vouch_fail(ctx, VOUCH_ERR_TOO_LARGE,
				    "%s: larger than the limit of %zu bytes",
				    path, max);
				goto out;
			}
			cap = cap == 0 ? 4096 : cap * 2;
			if (cap > max + 1) {
				cap = max + 1;
			}
			nbuf = realloc(buf, cap + 1);
			if (nbuf == NULL) {
				rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY,
				    "%s: out of memory", path);
				goto out;
			}
			buf = nbuf;
		}
		n = read(fd, buf + len, cap - len);
		if (n == -1) {
			if (errno == EINTR) {
				continue;
			}
			rv = vouch_fail(ctx, VOUCH_ERR_IO, "%s: read: %s", path,
			    strerror(errno));
			goto out;
		}
		if (n == 0) {
			break;
		}
		len += (size_t)n;
		if (len > max) {
			rv = vouch_fail(ctx, VOUCH_ERR_TOO_LARGE,
			    "%s: larger than the limit of %zu bytes", path, max);
			goto out;
		}
	}
	if (buf == NULL) {
		buf = malloc(1);
		if (buf == NULL) {
			rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
			goto out;
		}
	}
	buf[len] = '\0';
	*out = buf;
	*out_len = len;
	buf = NULL;
	rv = VOUCH_OK;
 out:
	if (fd != -1 && fd != STDIN_FILENO) {
		close(fd);
	}
	if (buf != NULL) {
		vouch_freezero(buf, cap + 1);
	}
	return rv;
}

enum vouch_err
vouch_file_write(struct vouch_ctx *ctx, const char *path, const uint8_t *buf,
    size_t len, unsigned mode)
{
	char tmp[PATH_MAX], dir[PATH_MAX];
	char *slash;
	size_t off = 0;
	ssize_t n;
	uint64_t rnd[1];
	int fd = -1, dfd, tries;
	enum vouch_err rv = VOUCH_ERR_IO;

	/*
	 * A fresh, unpredictable name created exclusively: in a directory
	 * others can write to, nobody can have prepared (and kept open) the
	 * file this one is written through.
	 */
	for (tries = 0; fd == -1 && tries < 8; tries++) {
		if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd)) {
			return vouch_fail(ctx, VOUCH_ERR_IO, "getrandom: %s",
			    strerror(errno));
		}
		if (snprintf(tmp, sizeof(tmp), "%s.tmp.%016llx", path,
		    (unsigned long long)rnd[0]) >= (int)sizeof(tmp)) {
			return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
			    "path too long");
		}
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC |
		    O_NOFOLLOW, (mode_t)mode);
		if (fd == -1 && errno != EEXIST) {
			break;
		}
	}
	if (fd == -1) {
		return vouch_fail(ctx, VOUCH_ERR_IO, "%s: cannot create: %s",
		    path, strerror(errno));
	}
	/* The umask must not widen nor the file keep an older mode. */
	if (fchmod(fd, (mode_t)mode) == -1) {
		rv = vouch_fail(ctx, VOUCH_ERR_IO, "%s: chmod: %s", path,
		    strerror(errno));
		goto out;
	}
	while (off < len) {
		n = write(fd, buf + off, len - off);
		if (n == -1) {
			if (errno == EINTR) {
				continue;
			}
			rv = vouch_fail(ctx, VOUCH_ERR_IO, "%s: write: %s", path,
			    strerror(errno));
			goto out;
		}
		off += (size_t)n;
	}
	if (fsync(fd) == -1) {
		rv = vouch_fail(ctx, VOUCH_ERR_IO, "%s: fsync: %s", path,
		    strerror(errno));
		goto out;
	}
	if (close(fd) == -1) {
		fd = -1;
		rv = vouch_fail(ctx, VOUCH_ERR_IO, "%s: close: %s", path,
		    strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) == -1) {
		rv = vouch_fail(ctx, VOUCH_ERR_IO, "%s: rename: %s", path,
		    strerror(errno));
		goto out;
	}
	(void)snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash == NULL) {
		(void)snprintf(dir, sizeof(dir), ".");
	} else if (slash == dir) {
		dir[1] = '\0';
	} else {
		*slash = '\0';
	}
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd != -1) {
		(void)fsync(dfd);
		close(dfd);
	}
	return VOUCH_OK;
 out:
	if (fd != -1) {
		close(fd);
	}
	(void)unlink(tmp);
	return rv;
}
