/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The simulated platform: a real signature scheme with a software vendor
 * root, for development and tests without TEE hardware.  The layouts are
 * documented in docs/sim-evidence.md.
 */
#ifndef VOUCH_SIM_H
#define VOUCH_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "internal.h"

#define SIM_REPORT_VERSION	1u
#define SIM_REPORT_SIGNED_LEN	0xe0u	/* bytes covered by the signature */
#define SIM_REPORT_LEN		0x140u	/* signed bytes + 96-byte signature */
#define SIM_FLAG_DEBUG		0x1u
#define SIM_FLAGS_KNOWN		SIM_FLAG_DEBUG
#define SIM_MEASUREMENT_BYTES	48
#define SIM_CHIP_ID_BYTES	32
#define SIM_HOST_DATA_BYTES	32

#define SIM_CONTAINER_MAGIC	"VOUCHSIM"
#define SIM_CONTAINER_VERSION	1u
#define SIM_CONTAINER_MAX_CERTS	4u
/* Tolerated clock skew between the chip and the verifier, seconds. */
#define SIM_MAX_SKEW_SECONDS	300

/* Files in a sim platform directory. */
#define SIM_FILE_ROOT_CERT	"sim-root.pem"
#define SIM_FILE_ROOT_KEY	"sim-root.key"
#define SIM_FILE_CHIP_CERT	"chip.pem"
#define SIM_FILE_CHIP_KEY	"chip.key"
#define SIM_FILE_CONFIG		"platform.json"
#define SIM_FILE_SEAL_SECRET	"seal-secret.bin"
#define SIM_SEAL_SECRET_BYTES	32

struct sim_report {
	uint32_t	version;
	uint32_t	flags;
	uint32_t	tcb_svn;
	uint64_t	time;
	uint8_t		measurement[SIM_MEASUREMENT_BYTES];
	uint8_t		report_data[64];
	uint8_t		chip_id[SIM_CHIP_ID_BYTES];
	uint8_t		host_data[SIM_HOST_DATA_BYTES];
	uint8_t		signature[96];
};

/* Parse a report strictly (layout, version, reserved fields, length). */
enum vouch_err	sim_report_parse(struct vouch_ctx *ctx, const uint8_t *buf,
		    size_t len, struct sim_report *out) VOUCH_MUST_CHECK;

struct sim_evidence {
	const uint8_t	*report;	/* views into the input */
	size_t		 report_len;
	const uint8_t	*certs[SIM_CONTAINER_MAX_CERTS];
	size_t		 cert_lens[SIM_CONTAINER_MAX_CERTS];
	size_t		 n_certs;
};

/* Split a container into its report and certificates (views). */
enum vouch_err	sim_container_parse(struct vouch_ctx *ctx, const uint8_t *buf,
		    size_t len, struct sim_evidence *out) VOUCH_MUST_CHECK;

struct sim_init_opts {
	uint32_t	tcb_svn;
	int64_t		root_days;
	int64_t		chip_days;
};

/*
 * sim_init creates |dir| (mode 0700) with a vendor root (ECDSA P-384), a
 * chip key certified by it, a random chip id, and the platform secret
 * used for sealing.  An existing platform in |dir| is not overwritten.
 */
enum vouch_err	sim_init(struct vouch_ctx *ctx, const char *dir,
		    const struct sim_init_opts *opts) VOUCH_MUST_CHECK;

struct sim_attest_opts {
	uint8_t		report_data[64];
	uint8_t		measurement[SIM_MEASUREMENT_BYTES];
	uint8_t		host_data[SIM_HOST_DATA_BYTES];
	bool		debug;
	bool		has_tcb_svn;	/* override the platform's TCB SVN */
	uint32_t	tcb_svn;
};

/*
 * sim_attest makes evidence (container with report and chip certificate)
 * signed by the chip key in |dir|.  |*out| is malloc'd.
 */
enum vouch_err	sim_attest(struct vouch_ctx *ctx, const char *dir,
		    const struct sim_attest_opts *opts, uint8_t **out,
		    size_t *out_len) VOUCH_MUST_CHECK;

#endif
