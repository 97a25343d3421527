/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void
vouch_wipe(void *p, size_t n)
{
	if (p == NULL || n == 0) {
		return;
	}
	/* glibc 2.25+: a memset the compiler is not allowed to remove. */
	explicit_bzero(p, n);
}

void
vouch_freezero(void *p, size_t n)
{
	if (p == NULL) {
		return;
	}
	vouch_wipe(p, n);
	free(p);
}

bool
vouch_ct_eq(const void *a, const void *b, size_t n)
{
	const volatile uint8_t *pa = a;
	const volatile uint8_t *pb = b;
	uint8_t acc = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		acc |= (uint8_t)(pa[i] ^ pb[i]);
	}
	return acc == 0;
}

void *
vouch_reallocarray(void *p, size_t nmemb, size_t size)
{
	if (size != 0 && nmemb > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	return realloc(p, nmemb * size);
}
