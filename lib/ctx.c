/* SPDX-License-Identifier: Apache-2.0 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"

struct vouch_ctx {
	enum vouch_err	 code;
	char		 msg[VOUCH_ERRMSG_MAX];
	int		 time_fixed;
	int64_t		 time;
};

struct vouch_ctx *
vouch_ctx_new(void)
{
	return calloc(1, sizeof(struct vouch_ctx));
}

void
vouch_ctx_free(struct vouch_ctx *ctx)
{
	free(ctx);
}

const char *
vouch_error(const struct vouch_ctx *ctx)
{
	return ctx != NULL ? ctx->msg : "";
}

enum vouch_err
vouch_error_code(const struct vouch_ctx *ctx)
{
	return ctx != NULL ? ctx->code : VOUCH_OK;
}

void
vouch_ctx_set_time(struct vouch_ctx *ctx, int64_t unix_seconds)
{
	ctx->time_fixed = 1;
	ctx->time = unix_seconds;
}

int64_t
vouch_ctx_now(const struct vouch_ctx *ctx)
{
	if (ctx != NULL && ctx->time_fixed) {
		return ctx->time;
	}
	return (int64_t)time(NULL);
}

enum vouch_err
vouch_fail(struct vouch_ctx *ctx, enum vouch_err code, const char *fmt, ...)
{
	va_list ap;

	if (ctx == NULL) {
		return code;
	}
	ctx->code = code;
	va_start(ap, fmt);
	(void)vsnprintf(ctx->msg, sizeof(ctx->msg), fmt, ap);
	va_end(ap);
	return code;
}
