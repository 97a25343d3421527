/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The byte cursor.  Every getter checks the remaining length by comparing
 * against it (n > len) before touching the data, and works on a local copy
 * of the view so that a failure leaves the caller's view exactly as it was.
 */
#include <string.h>

#include "bs/bs.h"
#include "internal.h"

void
cbs_init(struct cbs *c, const uint8_t *data, size_t len)
{
	c->data = data;
	c->len = len;
	c->initial_len = len;
}

size_t
cbs_len(const struct cbs *c)
{
	return c->len;
}

const uint8_t *
cbs_data(const struct cbs *c)
{
	return c->data;
}

size_t
cbs_offset(const struct cbs *c)
{
	return c->initial_len - c->len;
}

/*
 * Advance past |n| bytes, which the caller has already checked are there.
 * A zero advance leaves |data| alone so an empty view may hold NULL.
 */
static void
cbs_advance(struct cbs *c, size_t n)
{
	if (n > 0) {
		c->data += n;
		c->len -= n;
	}
}

bool
cbs_skip(struct cbs *c, size_t n)
{
	if (n > c->len) {
		return false;
	}
	cbs_advance(c, n);
	return true;
}

/* Read an |n|-byte big-endian unsigned integer, 1 <= n <= 8. */
static bool
cbs_get_be(struct cbs *c, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (n > c->len) {
		return false;
	}
	for (i = 0; i < n; i++) {
		v = (v << 8) | c->data[i];
	}
	cbs_advance(c, n);
	*out = v;
	return true;
}

/* Read an |n|-byte little-endian unsigned integer, 1 <= n <= 8. */
static bool
cbs_get_le(struct cbs *c, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (n > c->len) {
		return false;
	}
	for (i = n; i > 0; i--) {
		v = (v << 8) | c->data[i - 1];
	}
	cbs_advance(c, n);
	*out = v;
	return true;
}

bool
cbs_get_u8(struct cbs *c, uint8_t *out)
{
	uint64_t v;

	if (!cbs_get_be(c, 1, &v)) {
		return false;
	}
	*out = (uint8_t)v;
	return true;
}

bool
cbs_get_u16le(struct cbs *c, uint16_t *out)
{
	uint64_t v;

	if (!cbs_get_le(c, 2, &v)) {
		return false;
	}
	*out = (uint16_t)v;
	return true;
}

bool
cbs_get_u32le(struct cbs *c, uint32_t *out)
{
	uint64_t v;

	if (!cbs_get_le(c, 4, &v)) {
		return false;
	}
	*out = (uint32_t)v;
	return true;
}

bool
cbs_get_u64le(struct cbs *c, uint64_t *out)
{
	return cbs_get_le(c, 8, out);
}

bool
cbs_get_u16be(struct cbs *c, uint16_t *out)
{
	uint64_t v;

	if (!cbs_get_be(c, 2, &v)) {
		return false;
	}
	*out = (uint16_t)v;
	return true;
}

bool
cbs_get_u24be(struct cbs *c, uint32_t *out)
{
	uint64_t v;

	if (!cbs_get_be(c, 3, &v)) {
		return false;
	}
	*out = (uint32_t)v;
	return true;
}

bool
cbs_get_u32be(struct cbs *c, uint32_t *out)
{
	uint64_t v;

	if (!cbs_get_be(c, 4, &v)) {
		return false;
	}
	*out = (uint32_t)v;
	return true;
}

bool
cbs_get_u64be(struct cbs *c, uint64_t *out)
{
	return cbs_get_be(c, 8, out);
}

bool
cbs_get_bytes(struct cbs *c, struct cbs *out, size_t n)
{
	const uint8_t *p;

	if (n > c->len) {
		return false;
	}
	/* Take the pointer first: |out| may be |c| itself. */
	p = c->data;
	cbs_advance(c, n);
	cbs_init(out, p, n);
	return true;
}

bool
cbs_copy(struct cbs *c, uint8_t *out, size_t n)
{
	if (n > c->len) {
		return false;
	}
	if (n > 0) {
		memcpy(out, c->data, n);
	}
	cbs_advance(c, n);
	return true;
}

/* Length prefix of |prefix_len| bytes (big- or little-endian), then data. */
static bool
cbs_get_prefixed(struct cbs *c, struct cbs *out, size_t prefix_len, bool le)
{
	struct cbs tmp = *c;
	uint64_t n;
	bool ok;

	if (le) {
		ok = cbs_get_le(&tmp, prefix_len, &n);
	} else {
		ok = cbs_get_be(&tmp, prefix_len, &n);
	}
	if (!ok) {
		return false;
	}
	/* n < 2^32 here, so the conversion to size_t is exact. */
	if (!cbs_get_bytes(&tmp, out, (size_t)n)) {
		return false;
	}
	*c = tmp;
	return true;
}

bool
cbs_get_u8_prefixed(struct cbs *c, struct cbs *out)
{
	return cbs_get_prefixed(c, out, 1, false);
}

bool
cbs_get_u16be_prefixed(struct cbs *c, struct cbs *out)
{
	return cbs_get_prefixed(c, out, 2, false);
}

bool
cbs_get_u16le_prefixed(struct cbs *c, struct cbs *out)
{
	return cbs_get_prefixed(c, out, 2, true);
}

bool
cbs_get_u32le_prefixed(struct cbs *c, struct cbs *out)
{
	return cbs_get_prefixed(c, out, 4, true);
}

bool
cbs_get_exact(struct cbs *c, struct cbs *out, size_t n)
{
	if (c->len != n) {
		return false;
	}
	return cbs_get_bytes(c, out, n);
}

bool
cbs_is_empty(const struct cbs *c)
{
	return c->len == 0;
}

bool
cbs_is_all_zero(const struct cbs *c)
{
	uint8_t acc = 0;
	size_t i;

	/* No early exit: reserved fields may sit next to secrets. */
	for (i = 0; i < c->len; i++) {
		acc |= c->data[i];
	}
	return acc == 0;
}

bool
cbs_mem_equal(const struct cbs *c, const uint8_t *p, size_t n)
{
	/* Lengths are public; only contents are compared in constant time. */
	if (c->len != n) {
		return false;
	}
	return vouch_ct_eq(c->data, p, n);
}
