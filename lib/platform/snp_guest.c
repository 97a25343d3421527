/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SEV-SNP evidence collection in the guest (snp_guest.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/sev-guest.h>

#include "bs/bs.h"
#include "crypto/crypto.h"
#include "platform/snp.h"
#include "platform/snp_certs.h"
#include "platform/snp_guest.h"
#include "platform/tsm.h"

/* The sev-guest driver answers in struct snp_report_resp (4000 bytes). */
#define SNP_MSG_RSP_HDR		0x20u
/* The driver's message version for report requests. */
#define SNP_MSG_VERSION		1
/* Largest certificate buffer we hand the driver when it asks for more. */
#define SNP_EXT_CERTS_MAX	SNP_CERT_TABLE_MAX_BYTES

_Static_assert(sizeof(((struct snp_report_resp *)0)->data) >=
    SNP_MSG_RSP_HDR + SNP_REPORT_LEN, "snp_report_resp holds a report");
_Static_assert(sizeof(((struct snp_derived_key_resp *)0)->data) >=
    SNP_MSG_RSP_HDR + SNP_DERIVED_KEY_BYTES, "snp_derived_key_resp holds a key");

const char *
snp_guest_dev(const char *dev)
{
	const char *env;

	if (dev != NULL) {
		return dev;
	}
	env = secure_getenv("VOUCH_SEV_GUEST_DEV");
	return env != NULL && env[0] != '\0' ? env : SNP_GUEST_DEV_DEFAULT;
}

bool
snp_guest_available(const struct snp_collect_opts *o)
{
	struct stat st;

	/* configfs-tsm is shared with TDX: its provider must be SNP's. */
	return tsm_provider_is(o->tsm_root, o->tsm_entry, "sev_guest") ||
	    stat(snp_guest_dev(o->dev), &st) == 0;
}

enum vouch_err
snp_msg_report_rsp_parse(struct vouch_ctx *ctx, const uint8_t *buf,
    size_t len, const uint8_t **report, size_t *report_len)
{
	struct cbs c, rsv, rep;
	uint32_t status, size;

	*report = NULL;
	*report_len = 0;
	cbs_init(&c, buf, len);
	/*= SEV-SNP ABI 56860, Table 25 MSG_REPORT_RSP: 0x00 STATUS,
	 *# 0x04 REPORT_SIZE, 0x08-0x1F reserved, 0x20 REPORT. */
	if (!cbs_get_u32le(&c, &status) || !cbs_get_u32le(&c, &size) ||
	    !cbs_get_bytes(&c, &rsv, SNP_MSG_RSP_HDR - 8)) {
		return vouch_fail(ctx, VOUCH_ERR_TRUNCATED,
		    "snp: MSG_REPORT_RSP header");
	}
	if (status != 0) {
		return vouch_fail(ctx, VOUCH_ERR_IO,
		    "snp: the firmware refused the report request (status "
		    "0x%x)", status);
	}
	if (size != SNP_REPORT_LEN) {
		return vouch_fail(ctx, VOUCH_ERR_UNSUPPORTED_VERSION,
		    "snp: REPORT_SIZE %u, expected %u", size, SNP_REPORT_LEN);
	}
	if (!cbs_is_all_zero(&rsv)) {
		return vouch_fail(ctx, VOUCH_ERR_RESERVED_NONZERO,
		    "snp: MSG_REPORT_RSP reserved bytes");
	}
	if (!cbs_get_bytes(&c, &rep, size)) {
		return vouch_fail(ctx, VOUCH_ERR_TRUNCATED,
		    "snp: MSG_REPORT_RSP shorter than its REPORT_SIZE");
	}
	*report = cbs_data(&rep);
	*report_len = cbs_len(&rep);
	return VOUCH_OK;
}

enum vouch_err
snp_guest_ioctl_report(struct vouch_ctx *ctx, const char *dev,
    const uint8_t rd[64], int vmpl, bool ext, uint8_t **report,
    size_t *report_len, uint8_t **certs, size_t *certs_len)
{
	struct snp_ext_report_req xreq;
	struct snp_report_req req;
	struct snp_report_resp *resp = NULL;
	struct snp_guest_request_ioctl io;
	enum vouch_err rv = VOUCH_ERR_IO;
	const uint8_t *rep;
	uint8_t *cbuf = NULL;
	size_t rlen, clen = 0;
	int fd, r;

	*report = NULL;
	*report_len = 0;
	*certs = NULL;
	*certs_len = 0;
	dev = snp_guest_dev(dev);
	fd = open(dev, O_RDWR | O_CLOEXEC);
	if (fd == -1) {
		return vouch_fail(ctx, errno == ENOENT ? VOUCH_ERR_NOT_FOUND :
		    VOUCH_ERR_IO, "snp: %s: %s", dev, strerror(errno));
	}
	resp = calloc(1, sizeof(*resp));
	if (resp == NULL) {
		rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
		goto out;
	}
	memset(&req, 0, sizeof(req));
	memcpy(req.user_data, rd, sizeof(req.user_data));
	req.vmpl = vmpl < 0 ? 0 : (uint32_t)vmpl;
	memset(&io, 0, sizeof(io));
	io.msg_version = SNP_MSG_VERSION;
	io.resp_data = (uint64_t)(uintptr_t)resp;
	if (!ext) {
		io.req_data = (uint64_t)(uintptr_t)&req;
		r = ioctl(fd, SNP_GET_REPORT, &io);
	} else {
		/*
		 * First with no buffer: the driver answers INVALID_LEN and
		 * the size it needs (Linux Documentation/virt/coco/sev-guest).
		 */
		memset(&xreq, 0, sizeof(xreq));
		xreq.data = req;
		io.req_data = (uint64_t)(uintptr_t)&xreq;
		r = ioctl(fd, SNP_GET_EXT_REPORT, &io);
		if (r == -1 && io.vmm_error == SNP_GUEST_VMM_ERR_INVALID_LEN) {
			clen = xreq.certs_len;
			if (clen == 0 || clen > SNP_EXT_CERTS_MAX ||
			    clen % 4096 != 0) {
				rv = vouch_fail(ctx, VOUCH_ERR_TOO_LARGE,
				    "snp: the driver asks for a %zu-byte "
				    "certificate buffer", clen);
				goto out;
			}
			cbuf = calloc(1, clen);
			if (cbuf == NULL) {
				rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY,
				    "out of memory");
				goto out;
			}
			xreq.certs_address = (uint64_t)(uintptr_t)cbuf;
			xreq.certs_len = (uint32_t)clen;
			memset(&io, 0, sizeof(io));
			io.msg_version = SNP_MSG_VERSION;
			io.req_data = (uint64_t)(uintptr_t)&xreq;
			io.resp_data = (uint64_t)(uintptr_t)resp;
			r = ioctl(fd, SNP_GET_EXT_REPORT, &io);
		}
	}
	if (r == -1) {
		rv = vouch_fail(ctx, VOUCH_ERR_IO, "snp: %s ioctl: %s (firmware "
		    "error 0x%x, VMM error 0x%x)", dev, strerror(errno),
		    io.fw_error, io.vmm_error);
		goto out;
	}
	rv = snp_msg_report_rsp_parse(ctx, resp->data, sizeof(resp->data), &rep,
	    &rlen);
	if (rv != VOUCH_OK) {
		goto out;
	}
	*report = malloc(rlen);
	if (*report == NULL) {
		rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
		goto out;
	}
	memcpy(*report, rep, rlen);
	*report_len = rlen;
	if (cbuf != NULL) {
		*certs = cbuf;
		*certs_len = clen;
		cbuf = NULL;
	}
	rv = VOUCH_OK;
 out:
	free(cbuf);
	free(resp);
	(void)close(fd);
	return rv;
}

enum vouch_err
snp_msg_key_rsp_parse(struct vouch_ctx *ctx, const uint8_t *buf, size_t len,
    uint8_t key[SNP_DERIVED_KEY_BYTES])
{
	struct cbs c, rsv;
	uint32_t status;

	cbs_init(&c, buf, len);
	/*= SEV-SNP ABI 56860, Table 20 MSG_KEY_RSP: 0x00 STATUS,
	 *# 0x04-0x1F reserved, 0x20-0x3F DERIVED_KEY. */
	if (!cbs_get_u32le(&c, &status) ||
	    !cbs_get_bytes(&c, &rsv, SNP_MSG_RSP_HDR - 4)) {
		return vouch_fail(ctx, VOUCH_ERR_TRUNCATED,
		    "snp: MSG_KEY_RSP header");
	}
	if (status != 0) {
		return vouch_fail(ctx, VOUCH_ERR_IO,
		    "snp: the firmware refused the key request (status 0x%x)",
		    status);
	}
	if (!cbs_is_all_zero(&rsv)) {
		return vouch_fail(ctx, VOUCH_ERR_RESERVED_NONZERO,
		    "snp: MSG_KEY_RSP reserved bytes");
	}
	if (!cbs_copy(&c, key, SNP_DERIVED_KEY_BYTES)) {
		return vouch_fail(ctx, VOUCH_ERR_TRUNCATED,
		    "snp: MSG_KEY_RSP shorter than its key");
	}
	return VOUCH_OK;
}

enum vouch_err
snp_guest_derived_key(struct vouch_ctx *ctx, const char *dev,
    const struct snp_key_request *kr, uint8_t key[SNP_DERIVED_KEY_BYTES])
{
	struct snp_derived_key_req req;
	struct snp_derived_key_resp resp;
	struct snp_guest_request_ioctl io;
	enum vouch_err rv;
	int fd, r;

	dev = snp_guest_dev(dev);
	if (kr->vmpl > 3) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "snp: VMPL is 0 to 3");
	}
	fd = open(dev, O_RDWR | O_CLOEXEC);
	if (fd == -1) {
		return vouch_fail(ctx, errno == ENOENT ? VOUCH_ERR_NOT_FOUND :
		    VOUCH_ERR_IO, "snp: %s: %s (the derived sealing key needs "
		    "the sev-guest device)", dev, strerror(errno));
	}
	memset(&req, 0, sizeof(req));
	req.root_key_select = kr->root_key_select;
	req.guest_field_select = kr->guest_field_select;
	req.vmpl = kr->vmpl;
	req.guest_svn = kr->guest_svn;
	req.tcb_version = kr->tcb_version;
	memset(&resp, 0, sizeof(resp));
	memset(&io, 0, sizeof(io));
	io.msg_version = SNP_MSG_VERSION;
	io.req_data = (uint64_t)(uintptr_t)&req;
	io.resp_data = (uint64_t)(uintptr_t)&resp;
	r = ioctl(fd, SNP_GET_DERIVED_KEY, &io);
	if (r == -1) {
		rv = vouch_fail(ctx, VOUCH_ERR_IO, "snp: %s key ioctl: %s "
		    "(firmware error 0x%x, VMM error 0x%x)", dev,
		    strerror(errno), io.fw_error, io.vmm_error);
	} else {
		rv = snp_msg_key_rsp_parse(ctx, resp.data, sizeof(resp.data),
		    key);
	}
	vouch_wipe(&resp, sizeof(resp));
	(void)close(fd);
	return rv;
}

/* True when |t| is all zero bytes (a host without certificates). */
static bool
all_zero(const uint8_t *p, size_t n)
{
	uint8_t acc = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		acc |= p[i];
	}
	return acc == 0;
}

enum vouch_err
snp_collect(struct vouch_ctx *ctx, const struct snp_collect_opts *o,
    const uint8_t rd[64], uint8_t **out, size_t *out_len,
    const char **out_source)
{
	struct tsm_request req;
	struct tsm_report tr;
	struct snp_report r;
	struct snp_cert_table table;
	enum vouch_err rv;
	uint8_t *report = NULL, *certs = NULL, *ev = NULL;
	size_t report_len = 0, certs_len = 0;

	*out = NULL;
	*out_len = 0;
	*out_source = NULL;
	memset(&tr, 0, sizeof(tr));
	if (o->vmpl > 3) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "snp: VMPL is 0 to 3");
	}
	if (tsm_available(o->tsm_root)) {
		memset(&req, 0, sizeof(req));
		req.root = o->tsm_root;
		req.entry = o->tsm_entry;
		req.provider = "sev_guest";
		req.inblob = rd;
		req.inblob_len = 64;
		req.privlevel = o->vmpl;
		rv = tsm_get_report(ctx, &req, &tr);
		if (rv != VOUCH_OK) {
			return rv;
		}
		report = tr.outblob;
		report_len = tr.outblob_len;
		certs = tr.auxblob;
		certs_len = tr.auxblob_len;
		tr.outblob = NULL;
		tr.auxblob = NULL;
		*out_source = "configfs-tsm";
	} else {
		rv = snp_guest_ioctl_report(ctx, o->dev, rd, o->vmpl,
		    !o->no_certs, &report, &report_len, &certs, &certs_len);
		if (rv == VOUCH_ERR_NOT_FOUND) {
			return vouch_fail(ctx, VOUCH_ERR_NOT_FOUND,
			    "snp: no SEV-SNP guest interface (configfs-tsm at "
			    "%s/report, or %s)", tsm_root(o->tsm_root),
			    snp_guest_dev(o->dev));
		}
		if (rv != VOUCH_OK) {
			return rv;
		}
		*out_source = "sev-guest";
	}
	/* A host without certificates hands back zeros: no table then. */
	if (o->no_certs || (certs != NULL && all_zero(certs, certs_len))) {
		free(certs);
		certs = NULL;
		certs_len = 0;
	}
	if (report_len != SNP_REPORT_LEN) {
		rv = vouch_fail(ctx, report_len < SNP_REPORT_LEN ?
		    VOUCH_ERR_TRUNCATED : VOUCH_ERR_TRAILING_DATA,
		    "snp: the report has %zu bytes, not %u", report_len,
		    SNP_REPORT_LEN);
		goto out;
	}
	ev = malloc(report_len + certs_len);
	if (ev == NULL) {
		rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
		goto out;
	}
	memcpy(ev, report, report_len);
	if (certs_len > 0) {
		memcpy(ev + report_len, certs, certs_len);
	}
	/* What we hand out must be what a verifier will read. */
	rv = snp_evidence_parse(ctx, ev, report_len + certs_len, &r, &table);
	if (rv != VOUCH_OK) {
		goto out;
	}
	if (!vouch_ct_eq(r.report_data, rd, sizeof(r.report_data))) {
		rv = vouch_fail(ctx, VOUCH_ERR_REPORT_DATA_MISMATCH,
		    "snp: the report's REPORT_DATA is not the one asked for "
		    "(a stale or foreign report)");
		goto out;
	}
	if (o->vmpl >= 0 && r.vmpl != (uint32_t)o->vmpl) {
		rv = vouch_fail(ctx, VOUCH_ERR_BAD_FIELD,
		    "snp: the report is for VMPL %u, not %d", r.vmpl, o->vmpl);
		goto out;
	}
	*out = ev;
	*out_len = report_len + certs_len;
	ev = NULL;
	rv = VOUCH_OK;
 out:
	free(ev);
	free(report);
	free(certs);
	return rv;
}
