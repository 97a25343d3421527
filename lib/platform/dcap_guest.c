/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "platform/dcap.h"
#include "platform/dcap_guest.h"
#include "platform/tsm.h"
#include "util/file.h"

const char *
dcap_sgx_root(const char *root)
{
	const char *env;

	if (root != NULL) {
		return root;
	}
	env = secure_getenv("VOUCH_SGX_ATTESTATION_ROOT");
	return env != NULL && env[0] != '\0' ? env : DCAP_SGX_ROOT_DEFAULT;
}

/*
 * The quote collected must be one of |tee| and carry |rd|, whatever the
 * interface said.
 */
static enum vouch_err
check_quote(struct vouch_ctx *ctx, const uint8_t *q, size_t n, uint32_t tee,
    const uint8_t rd[64])
{
	struct dcap_quote dq;
	enum vouch_err rv;

	rv = dcap_quote_parse(ctx, q, n, &dq);
	if (rv != VOUCH_OK) {
		return rv;
	}
	if (dq.tee_type != tee) {
		return vouch_fail(ctx, VOUCH_ERR_PLATFORM_MISMATCH,
		    "collect: the interface returned a quote of TEE type 0x%x",
		    dq.tee_type);
	}
	if (memcmp(tee == DCAP_TEE_TDX ? dq.td.report_data :
	    dq.sgx.report_data, rd, 64) != 0) {
		return vouch_fail(ctx, VOUCH_ERR_REPORT_DATA_MISMATCH,
		    "collect: the quote does not carry the report data asked "
		    "for");
	}
	return VOUCH_OK;
}

enum vouch_err
dcap_collect_tdx(struct vouch_ctx *ctx, const char *tsm_root,
    const uint8_t rd[64], uint8_t **out, size_t *out_len)
{
	struct tsm_request req;
	struct tsm_report rep;
	enum vouch_err rv;

	*out = NULL;
	*out_len = 0;
	memset(&req, 0, sizeof(req));
	memset(&rep, 0, sizeof(rep));
	req.root = tsm_root;
	req.provider = "tdx_guest";
	req.inblob = rd;
	req.inblob_len = 64;
	req.privlevel = -1;
	rv = tsm_get_report(ctx, &req, &rep);
	if (rv != VOUCH_OK) {
		return rv;
	}
	rv = check_quote(ctx, rep.outblob, rep.outblob_len, DCAP_TEE_TDX, rd);
	if (rv == VOUCH_OK) {
		*out = rep.outblob;
		*out_len = rep.outblob_len;
		rep.outblob = NULL;
	}
	tsm_report_clear(&rep);
	return rv;
}

/* Gramine at |root| attests with DCAP: attestation_type reads "dcap". */
static enum vouch_err
sgx_type_dcap(struct vouch_ctx *ctx, const char *root)
{
	char path[1024];
	uint8_t *type = NULL;
	size_t type_len = 0;
	enum vouch_err rv;

	if (!vouch_path_join(path, sizeof(path), root, "attestation_type")) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "collect: SGX attestation root too long");
	}
	rv = vouch_file_read(ctx, path, 64, &type, &type_len);
	if (rv == VOUCH_ERR_NOT_FOUND || rv == VOUCH_ERR_IO) {
		return vouch_fail(ctx, VOUCH_ERR_NOT_FOUND,
		    "collect: no Gramine attestation interface at %s", root);
	}
	if (rv != VOUCH_OK) {
		return rv;
	}
	while (type_len > 0 && (type[type_len - 1] == '\n' ||
	    type[type_len - 1] == '\0')) {
		type_len--;
	}
	if (type_len != 4 || memcmp(type, "dcap", 4) != 0) {
		free(type);
		return vouch_fail(ctx, VOUCH_ERR_UNSUPPORTED_PLATFORM,
		    "collect: the enclave's attestation type is not dcap");
	}
	free(type);
	return VOUCH_OK;
}

bool
dcap_sgx_available(const char *root)
{
	return sgx_type_dcap(NULL, dcap_sgx_root(root)) == VOUCH_OK;
}

enum vouch_err
dcap_sgx_seal_key(struct vouch_ctx *ctx, const char *root,
    uint8_t key[DCAP_SGX_SEAL_KEY_BYTES])
{
	char path[1024];
	uint8_t *buf = NULL;
	size_t len = 0;
	enum vouch_err rv;

	root = dcap_sgx_root(root);
	if (!vouch_path_join(path, sizeof(path), root,
	    "keys/_sgx_mrenclave")) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "seal: SGX attestation root too long");
	}
	rv = vouch_file_read(ctx, path, DCAP_SGX_SEAL_KEY_BYTES, &buf, &len);
	if (rv == VOUCH_OK && len != DCAP_SGX_SEAL_KEY_BYTES) {
		rv = vouch_fail(ctx, VOUCH_ERR_BAD_KEY,
		    "seal: %s has %zu bytes, not a %d-byte SGX seal key", path,
		    len, DCAP_SGX_SEAL_KEY_BYTES);
	}
	if (rv == VOUCH_OK) {
		memcpy(key, buf, DCAP_SGX_SEAL_KEY_BYTES);
	}
	/* vouch_file_read allocates len + 1 bytes. */
	vouch_freezero(buf, len + 1);
	return rv;
}

enum vouch_err
dcap_collect_sgx(struct vouch_ctx *ctx, const char *root,
    const uint8_t rd[64], uint8_t **out, size_t *out_len)
{
	char path[1024];
	enum vouch_err rv;
	ssize_t w;
	int fd;

	*out = NULL;
	*out_len = 0;
	root = dcap_sgx_root(root);
	rv = sgx_type_dcap(ctx, root);
	if (rv != VOUCH_OK) {
		return rv;
	}
	if (!vouch_path_join(path, sizeof(path), root, "user_report_data")) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "collect: SGX attestation root too long");
	}
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		return vouch_fail(ctx, errno == ENOENT ? VOUCH_ERR_NOT_FOUND :
		    VOUCH_ERR_IO, "collect: %s: %s", path, strerror(errno));
	}
	do {
		w = write(fd, rd, 64);
	} while (w < 0 && errno == EINTR);
	if (close(fd) != 0 || w != 64) {
		return vouch_fail(ctx, VOUCH_ERR_IO,
		    "collect: writing user_report_data failed");
	}
	if (!vouch_path_join(path, sizeof(path), root, "quote")) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "collect: SGX attestation root too long");
	}
	rv = vouch_file_read(ctx, path, DCAP_QUOTE_MAX, out, out_len);
	if (rv != VOUCH_OK) {
		return rv;
	}
	if (*out_len == 0) {
		rv = vouch_fail(ctx, VOUCH_ERR_TRUNCATED,
		    "collect: Gramine returned an empty quote");
	} else {
		rv = check_quote(ctx, *out, *out_len, DCAP_TEE_SGX, rd);
	}
	if (rv != VOUCH_OK) {
		free(*out);
		*out = NULL;
		*out_len = 0;
	}
	return rv;
}
