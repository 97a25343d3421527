/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The TDX CC event log (CCEL): the firmware's record of what it measured
 * into RTMR0-3, in the TCG crypto-agile format (TCG PC Client Platform
 * Firmware Profile §10.2: a TCG_PCR_EVENT carrying the "Spec ID Event03"
 * with the digest sizes, then TCG_PCR_EVENT2 entries).  The index field is
 * the CC measurement register (UEFI 2.10 §38.2 EFI_CC_MEASUREMENT_PROTOCOL:
 * 0 = MRTD, 1..4 = RTMR0..3).  Replaying the SHA-384 digests,
 * RTMR[i] = SHA-384(RTMR[i] || digest) from 48 zero bytes, must give the
 * quote's RTMRs (dcap.c); the events are then as authentic as the quote.
 *
 * The log area (ACPI CCEL table: LASA, LAML) is longer than the log; the
 * log ends at the first entry header (index, type) that is all 0xFF or all
 * 0x00, or at the end of the area.
 *
 * End rule, exactly: before each TCG_PCR_EVENT2, if fewer than 8 bytes are
 * left, or the next 8 bytes (MR index u32, event type u32) are all 0xFF or
 * all 0x00, the log ends there and the rest is never read.  Mixed bytes are
 * an entry (and its index decides).  tests/unit/test_ccel.c test_end_rule.
 *
 * The ACPI CCEL table (ACPI 6.5 §5.2.35, 56 bytes) is not parsed here: it
 * only locates the area (header "CCEL", length 56, checksum, ..., then CC
 * type u8 (2 = TDX), CC subtype u8, reserved u16, LAML u64 (area length),
 * LASA u64 (area address)).  It is unsigned, so a verifier gains nothing
 * from it: the caller passes the area (e.g. /sys/firmware/acpi/tables/
 * data/CCEL) and the replay against the quote's RTMRs authenticates it.
 */
#ifndef VOUCH_CCEL_H
#define VOUCH_CCEL_H

#include <stddef.h>
#include <stdint.h>

#include "internal.h"

#define CCEL_MAX_EVENTS		4096u	/* more is an error */
#define CCEL_MAX_EVENT_DATA	(1u << 20)
#define CCEL_MAX_ALGS		8u
#define CCEL_ALG_SHA384		0x000cu

struct ccel_event {
	uint32_t	 mr_index;	/* 0 MRTD, 1..4 RTMR0..3 */
	uint32_t	 event_type;
	uint8_t		 digest[48];	/* the SHA-384 digest */
	const uint8_t	*data;		/* into the log */
	size_t		 data_len;
};

/*
 * ccel_replay parses the log at |log| strictly and replays its SHA-384
 * digests into |rtmr| (RTMR0..3).  |*n_events| counts the TCG_PCR_EVENT2
 * entries.  |cb| (may be NULL) sees each entry; a non-zero return stops
 * with VOUCH_ERR_INTERNAL.  Errors: VOUCH_ERR_TRUNCATED (a length beyond
 * the bytes left), VOUCH_ERR_BAD_MAGIC (no Spec ID Event03),
 * VOUCH_ERR_UNSUPPORTED_VERSION (no SHA-384, unknown algorithm, digest
 * count 0 or above the algorithm count), VOUCH_ERR_BAD_FIELD (an index
 * above 4), VOUCH_ERR_TOO_LARGE (limits above).
 */
enum vouch_err	ccel_replay(struct vouch_ctx *ctx, const uint8_t *log,
		    size_t len, uint8_t rtmr[4][48], size_t *n_events,
		    int (*cb)(void *arg, const struct ccel_event *e), void *arg)
		    VOUCH_MUST_CHECK;

/* The TCG / UEFI name of an event type ("EV_EFI_BOOT_SERVICES_APPLICATION"). */
const char	*ccel_event_type_name(uint32_t type);

#endif
