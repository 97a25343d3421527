/* SPDX-License-Identifier: Apache-2.0 */
#include <string.h>

#include <openssl/evp.h>

#include "bs/bs.h"
#include "platform/ccel.h"

#define EV_NO_ACTION	0x00000003u

struct alg {
	uint16_t	id;
	uint16_t	size;
};

static const struct {
	uint32_t	 type;
	const char	*name;
} event_names[] = {
	{ 0x00000000u, "EV_PREBOOT_CERT" },
	{ 0x00000001u, "EV_POST_CODE" },
	{ 0x00000003u, "EV_NO_ACTION" },
	{ 0x00000004u, "EV_SEPARATOR" },
	{ 0x00000005u, "EV_ACTION" },
	{ 0x00000006u, "EV_EVENT_TAG" },
	{ 0x00000007u, "EV_S_CRTM_CONTENTS" },
	{ 0x00000008u, "EV_S_CRTM_VERSION" },
	{ 0x00000009u, "EV_CPU_MICROCODE" },
	{ 0x0000000au, "EV_PLATFORM_CONFIG_FLAGS" },
	{ 0x0000000bu, "EV_TABLE_OF_DEVICES" },
	{ 0x0000000cu, "EV_COMPACT_HASH" },
	{ 0x0000000du, "EV_IPL" },
	{ 0x0000000eu, "EV_IPL_PARTITION_DATA" },
	{ 0x0000000fu, "EV_NONHOST_CODE" },
	{ 0x00000010u, "EV_NONHOST_CONFIG" },
	{ 0x00000011u, "EV_NONHOST_INFO" },
	{ 0x00000012u, "EV_OMIT_BOOT_DEVICE_EVENTS" },
	{ 0x80000001u, "EV_EFI_VARIABLE_DRIVER_CONFIG" },
	{ 0x80000002u, "EV_EFI_VARIABLE_BOOT" },
	{ 0x80000003u, "EV_EFI_BOOT_SERVICES_APPLICATION" },
	{ 0x80000004u, "EV_EFI_BOOT_SERVICES_DRIVER" },
	{ 0x80000005u, "EV_EFI_RUNTIME_SERVICES_DRIVER" },
	{ 0x80000006u, "EV_EFI_GPT_EVENT" },
	{ 0x80000007u, "EV_EFI_ACTION" },
	{ 0x80000008u, "EV_EFI_PLATFORM_FIRMWARE_BLOB" },
	{ 0x80000009u, "EV_EFI_HANDOFF_TABLES" },
	{ 0x8000000au, "EV_EFI_PLATFORM_FIRMWARE_BLOB2" },
	{ 0x8000000bu, "EV_EFI_HANDOFF_TABLES2" },
	{ 0x8000000cu, "EV_EFI_VARIABLE_BOOT2" },
	{ 0x800000e0u, "EV_EFI_VARIABLE_AUTHORITY" },
	{ 0x800000e1u, "EV_EFI_SPDM_FIRMWARE_BLOB" },
	{ 0x800000e2u, "EV_EFI_SPDM_FIRMWARE_CONFIG" },
};

const char *
ccel_event_type_name(uint32_t type)
{
	size_t i;

	for (i = 0; i < sizeof(event_names) / sizeof(event_names[0]); i++) {
		if (event_names[i].type == type) {
			return event_names[i].name;
		}
	}
	return "EV_UNKNOWN";
}

/*
 * The first entry: a TCG_PCR_EVENT (SHA-1 layout) of type EV_NO_ACTION
 * whose data is the TCG_EfiSpecIdEvent naming the algorithms and their
 * digest sizes (TCG PFP §10.4.5.1).
 */
static enum vouch_err
spec_id(struct vouch_ctx *ctx, struct cbs *c, struct alg *algs, size_t *nalgs)
{
	static const uint8_t sig[16] = "Spec ID Event03";
	struct cbs ev, s;
	uint32_t idx, type, n, i;
	uint8_t uintn, vendor;

	if (!cbs_get_u32le(c, &idx) || !cbs_get_u32le(c, &type) ||
	    !cbs_skip(c, 20) || !cbs_get_u32le_prefixed(c, &ev)) {
		return vouch_fail(ctx, VOUCH_ERR_TRUNCATED,
		    "ccel: the first event is truncated");
	}
	if (type != EV_NO_ACTION || !cbs_get_bytes(&ev, &s, 16) ||
	    !cbs_mem_equal(&s, sig, sizeof(sig))) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_MAGIC,
		    "ccel: the log does not start with a Spec ID Event03");
	}
	if (!cbs_skip(&ev, 4 + 3) || !cbs_get_u8(&ev, &uintn) ||
	    !cbs_get_u32le(&ev, &n)) {
		return vouch_fail(ctx, VOUCH_ERR_TRUNCATED,
		    "ccel: Spec ID event truncated");
	}
	if (n == 0 || n > CCEL_MAX_ALGS) {
		return vouch_fail(ctx, VOUCH_ERR_UNSUPPORTED_VERSION,
		    "ccel: %u digest algorithms (1..%u)", n, CCEL_MAX_ALGS);
	}
	for (i = 0; i < n; i++) {
		if (!cbs_get_u16le(&ev, &algs[i].id) ||
		    !cbs_get_u16le(&ev, &algs[i].size)) {
			return vouch_fail(ctx, VOUCH_ERR_TRUNCATED,
			    "ccel: Spec ID algorithm list truncated");
		}
		if (algs[i].size == 0 || algs[i].size > 64 ||
		    (algs[i].id == CCEL_ALG_SHA384 && algs[i].size != 48)) {
			return vouch_fail(ctx, VOUCH_ERR_UNSUPPORTED_VERSION,
			    "ccel: algorithm 0x%04x with digest size %u",
			    algs[i].id, algs[i].size);
		}
	}
	*nalgs = n;
	if (!cbs_get_u8(&ev, &vendor) || !cbs_skip(&ev, vendor) ||
	    !cbs_is_empty(&ev)) {
		return vouch_fail(ctx, VOUCH_ERR_TRUNCATED,
		    "ccel: Spec ID vendor info does not fill the event");
	}
	for (i = 0; i < n; i++) {
		if (algs[i].id == CCEL_ALG_SHA384) {
			return VOUCH_OK;
		}
	}
	return vouch_fail(ctx, VOUCH_ERR_UNSUPPORTED_VERSION,
	    "ccel: the log has no SHA-384 digests");
}

/* The next 8 bytes are the end marker (all 0xFF or all 0x00), or none left. */
static bool
at_end(const struct cbs *c)
{
	const uint8_t *p = cbs_data(c);
	size_t i;
	bool ff = true, zero = true;

	if (cbs_len(c) < 8) {
		return true;
	}
	for (i = 0; i < 8; i++) {
		ff = ff && p[i] == 0xff;
		zero = zero && p[i] == 0x00;
	}
	return ff || zero;
}

static void
extend(uint8_t mr[48], const uint8_t digest[48])
{
	uint8_t buf[96];
	unsigned int n = 0;

	memcpy(buf, mr, 48);
	memcpy(buf + 48, digest, 48);
	(void)EVP_Digest(buf, sizeof(buf), mr, &n, EVP_sha384(), NULL);
}

enum vouch_err
ccel_replay(struct vouch_ctx *ctx, const uint8_t *log, size_t len,
    uint8_t rtmr[4][48], size_t *n_events,
    int (*cb)(void *arg, const struct ccel_event *e), void *arg)
{
	struct alg algs[CCEL_MAX_ALGS];
	struct ccel_event e;
	struct cbs c, data;
	enum vouch_err rv;
	size_t nalgs = 0, i, k;
	uint32_t count;
	uint16_t id;
	bool have;

	memset(rtmr, 0, 4 * 48);
	*n_events = 0;
	cbs_init(&c, log, len);
	rv = spec_id(ctx, &c, algs, &nalgs);
	if (rv != VOUCH_OK) {
		return rv;
	}
	while (!at_end(&c)) {
		if (*n_events >= CCEL_MAX_EVENTS) {
			return vouch_fail(ctx, VOUCH_ERR_TOO_LARGE,
			    "ccel: more than %u events", CCEL_MAX_EVENTS);
		}
		memset(&e, 0, sizeof(e));
		if (!cbs_get_u32le(&c, &e.mr_index) ||
		    !cbs_get_u32le(&c, &e.event_type) ||
		    !cbs_get_u32le(&c, &count)) {
			return vouch_fail(ctx, VOUCH_ERR_TRUNCATED,
			    "ccel: event %zu header truncated", *n_events);
		}
		if (e.mr_index > 4) {
			return vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
			    "ccel: event %zu measures into index %u (0..4)",
			    *n_events, e.mr_index);
		}
		if (count == 0 || count > nalgs) {
			return vouch_fail(ctx, VOUCH_ERR_UNSUPPORTED_VERSION,
			    "ccel: event %zu has %u digests, the log declares %zu "
			    "algorithms", *n_events, count, nalgs);
		}
		have = false;
		for (i = 0; i < count; i++) {
			if (!cbs_get_u16le(&c, &id)) {
				return vouch_fail(ctx, VOUCH_ERR_TRUNCATED,
				    "ccel: event %zu digests truncated",
				    *n_events);
			}
			for (k = 0; k < nalgs && algs[k].id != id; k++) {
			}
			if (k == nalgs) {
				return vouch_fail(ctx,
				    VOUCH_ERR_UNSUPPORTED_VERSION,
				    "ccel: event %zu: algorithm 0x%04x not in "
				    "the Spec ID event", *n_events, id);
			}
			if (id == CCEL_ALG_SHA384) {
				if (have || !cbs_copy(&c, e.digest, 48)) {
					return vouch_fail(ctx, have ?
					    VOUCH_ERR_BAD_FIELD :
					    VOUCH_ERR_TRUNCATED, "ccel: event "
					    "%zu: SHA-384 digest", *n_events);
				}
				have = true;
			} else if (!cbs_skip(&c, algs[k].size)) {
				return vouch_fail(ctx, VOUCH_ERR_TRUNCATED,
				    "ccel: event %zu digests truncated",
				    *n_events);
			}
		}
		if (!have) {
			return vouch_fail(ctx, VOUCH_ERR_UNSUPPORTED_VERSION,
			    "ccel: event %zu has no SHA-384 digest", *n_events);
		}
		if (!cbs_get_u32le_prefixed(&c, &data)) {
			return vouch_fail(ctx, VOUCH_ERR_TRUNCATED,
			    "ccel: event %zu data longer than the bytes left",
			    *n_events);
		}
		if (cbs_len(&data) > CCEL_MAX_EVENT_DATA) {
			return vouch_fail(ctx, VOUCH_ERR_TOO_LARGE,
			    "ccel: event %zu data above %u bytes", *n_events,
			    CCEL_MAX_EVENT_DATA);
		}
		e.data = cbs_data(&data);
		e.data_len = cbs_len(&data);
		/* EV_NO_ACTION events are informational, never extended. */
		if (e.mr_index >= 1 && e.event_type != EV_NO_ACTION) {
			extend(rtmr[e.mr_index - 1], e.digest);
		}
		if (cb != NULL && cb(arg, &e) != 0) {
			return vouch_fail(ctx, VOUCH_ERR_INTERNAL,
			    "ccel: stopped at event %zu", *n_events);
		}
		(*n_events)++;
	}
	return VOUCH_OK;
}
