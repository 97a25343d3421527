/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: the Retry-After value parser of the collateral
 * client (a header an HTTP server controls).  The answer is -1 or
 * 0..VOUCH_HTTP_RETRY_AFTER_MAX, whatever the input.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "client/client.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;
	int64_t v;

	/* The value as the client hands it over: NUL-terminated. */
	s = malloc(size + 1);
	if (s == NULL) {
		return 0;
	}
	memcpy(s, data, size);
	s[size] = '\0';
	v = vouch_http_retry_after(s);
	if (v < -1 || v > VOUCH_HTTP_RETRY_AFTER_MAX) {
		__builtin_trap();
	}
	free(s);
	return 0;
}
