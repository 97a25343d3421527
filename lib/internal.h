/* SPDX-License-Identifier: Apache-2.0 */
/* Internal helpers shared by every library module. */
#ifndef VOUCH_INTERNAL_H
#define VOUCH_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/asn1.h>

#include "vouch/err.h"
#include "vouch/verify.h"

/* Largest detail message kept in a context. */
#define VOUCH_ERRMSG_MAX	512

#if defined(__GNUC__)
#define VOUCH_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define VOUCH_PRINTF(a, b)
#endif

/*
 * vouch_fail records |code| and a formatted detail in |ctx| (which may be
 * NULL) and returns |code|, so callers write `return vouch_fail(...)`.
 */
enum vouch_err	vouch_fail(struct vouch_ctx *ctx, enum vouch_err code,
		    const char *fmt, ...) VOUCH_PRINTF(3, 4);

/* Wipe |n| bytes at |p| in a way the compiler cannot elide. */
void	vouch_wipe(void *p, size_t n);
/* Wipe then free. */
void	vouch_freezero(void *p, size_t n);
/* Constant-time equality of two |n|-byte buffers. */
bool	vouch_ct_eq(const void *a, const void *b, size_t n) VOUCH_MUST_CHECK;
/* Overflow-checked array (re)allocation (OpenBSD reallocarray). */
void	*vouch_reallocarray(void *p, size_t nmemb, size_t size);

/* Clock used for every validity check: the override or the real time. */
int64_t	vouch_ctx_now(const struct vouch_ctx *ctx);

/* |t| as Unix seconds into |*out|; false if NULL or unreadable (vouch.c). */
bool		vouch_asn1_time_unix(const ASN1_TIME *t, int64_t *out);

#endif
