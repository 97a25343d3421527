/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VOUCH_FILE_H
#define VOUCH_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "internal.h"

/*
 * vouch_file_read reads all of |path| ("-" is standard input) into a new
 * buffer (NUL-terminated for convenience, not counted in |*out_len|).
 * Files above |max| bytes are VOUCH_ERR_TOO_LARGE without being read
 * whole; a missing file is VOUCH_ERR_NOT_FOUND; other errors VOUCH_ERR_IO.
 */
enum vouch_err	vouch_file_read(struct vouch_ctx *ctx, const char *path,
		    size_t max, uint8_t **out, size_t *out_len) VOUCH_MUST_CHECK;

/*
 * vouch_file_write replaces |path| atomically: it writes a temporary file
 * in the same directory with |mode|, fsyncs it, renames it over |path|
 * and fsyncs the directory.
 */
enum vouch_err	vouch_file_write(struct vouch_ctx *ctx, const char *path,
		    const uint8_t *buf, size_t len, unsigned mode) VOUCH_MUST_CHECK;

/* vouch_path_join writes "dir/name" into |out|; false if it does not fit. */
int		vouch_path_join(char *out, size_t cap, const char *dir,
		    const char *name);

#endif
