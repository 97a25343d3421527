/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: the DER subset reader, walked recursively. */
#include <stddef.h>
#include <stdint.h>

#include "bs/bs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t
walk(struct cbs *c, int depth)
{
	struct cbs inner;
	unsigned tag;
	size_t n = 0;
	uint64_t v;
	bool b;

	while (cbs_len(c) > 0 && depth < CBS_ASN1_MAX_DEPTH) {
		if (!cbs_get_any_asn1(c, &inner, &tag)) {
			break;
		}
		n++;
		if (tag & CBS_ASN1_CONSTRUCTED) {
			n += walk(&inner, depth + 1);
		} else if (tag == CBS_ASN1_INTEGER) {
			n += cbs_get_asn1_uint64(c, &v) ? 1 : 0;
		} else if (tag == CBS_ASN1_BOOLEAN) {
			n += cbs_get_asn1_bool(c, &b) ? 1 : 0;
		}
	}
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cbs c;
	volatile size_t sink;

	cbs_init(&c, data, size);
	sink = walk(&c, 0);
	(void)sink;
	return 0;
}
