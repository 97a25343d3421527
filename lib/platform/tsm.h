/* SPDX-License-Identifier: Apache-2.0 */
/*
 * configfs-tsm: the Linux guest interface for attestation reports that
 * SEV-SNP (provider "sev_guest") and TDX (provider "tdx_guest") share
 * (Documentation/ABI/testing/configfs-tsm):
 *
 *   {root}/report/{entry}/      mkdir makes an entry, rmdir removes it
 *       provider                which TSM answers ("sev_guest\n")
 *       inblob                  write: up to 64 bytes of report data
 *       privlevel               write: the privilege level (SNP: VMPL)
 *       outblob                 read: the report, made on first read
 *       auxblob                 read: supporting data (SNP: the
 *                               extended request's certificate table)
 *       generation              read: bumped by every write; a change
 *                               between writing inblob and reading
 *                               outblob means another writer raced us
 *
 * {root} is /sys/kernel/config/tsm, or $VOUCH_TSM_ROOT (tests run on a
 * tree of plain files made from real samples).
 */
#ifndef VOUCH_TSM_H
#define VOUCH_TSM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "internal.h"

#define TSM_ROOT_DEFAULT	"/sys/kernel/config/tsm"
#define TSM_INBLOB_MAX		64u
/* The kernel's TSM_REPORT_OUTBLOB_MAX is 32 KiB. */
#define TSM_OUTBLOB_MAX		(32u * 1024u)
#define TSM_AUXBLOB_MAX		(64u * 1024u)
#define TSM_PROVIDER_MAX	32u
#define TSM_PRIVLEVEL_MAX	3

struct tsm_request {
	const char	*root;		/* NULL: $VOUCH_TSM_ROOT, default */
	/*
	 * An entry to use instead of a fresh one (NULL: $VOUCH_TSM_ENTRY,
	 * else a new entry named vouch-<pid>-<random>, removed afterwards).
	 * A named entry that exists is reused and kept, for setups where a
	 * privileged helper made it; a missing one is created and removed.
	 */
	const char	*entry;
	const char	*provider;	/* required provider, or NULL: any */
	const uint8_t	*inblob;
	size_t		 inblob_len;	/* 1 .. TSM_INBLOB_MAX */
	int		 privlevel;	/* -1: leave it */
};

struct tsm_report {
	char		 provider[TSM_PROVIDER_MAX];
	uint8_t		*outblob;
	size_t		 outblob_len;
	uint8_t		*auxblob;	/* NULL when the TSM gives none */
	size_t		 auxblob_len;
	uint64_t	 generation;
};

/* The root in use for |root| (NULL: $VOUCH_TSM_ROOT, then the default). */
const char	*tsm_root(const char *root);
/*
 * tsm_available is true when {root}/report is a directory (the kernel
 * has configfs-tsm and a provider registered).
 */
bool		tsm_available(const char *root);
/*
 * tsm_provider_is is true when configfs-tsm at |root| answers with
 * |provider| ("sev_guest", "tdx_guest"): it reads the provider of
 * |entry| (NULL: $VOUCH_TSM_ENTRY), or of a fresh entry it makes and
 * removes.
 */
bool		tsm_provider_is(const char *root, const char *entry,
		    const char *provider);

/*
 * tsm_get_report makes one report: a fresh (or the named) entry, the
 * provider checked, privlevel and inblob written, outblob and auxblob
 * read, the generation compared before and after.  On VOUCH_OK |out|
 * holds malloc'd blobs freed with tsm_report_clear.  Errors:
 * VOUCH_ERR_NOT_FOUND (no configfs-tsm at the root),
 * VOUCH_ERR_UNSUPPORTED_PLATFORM (another provider),
 * VOUCH_ERR_STATE (the generation moved: another writer),
 * VOUCH_ERR_TOO_LARGE, VOUCH_ERR_TRUNCATED (empty outblob),
 * VOUCH_ERR_INVALID_ARGUMENT, VOUCH_ERR_IO.
 */
enum vouch_err	tsm_get_report(struct vouch_ctx *ctx,
		    const struct tsm_request *req, struct tsm_report *out)
		    VOUCH_MUST_CHECK;
void		tsm_report_clear(struct tsm_report *r);

#endif
