/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kek: vouchd's key-encryption key, which wraps every stored secret
 * (docs/secrets.md), and the protected memory that holds secret material
 * in the daemon.
 *
 * Two kinds of KEK:
 *   file     32 random bytes in a file of mode 0600 (the default,
 *            <data-dir>/kek.key, made on first start);
 *   pkcs11   an AES-256 key that never leaves a PKCS#11 token (SoftHSM2
 *            in the tests, an HSM in production): the module is loaded
 *            with dlopen and used through the standard PKCS#11 API, the
 *            key generated on the token (sensitive, not extractable)
 *            when no key has the label.
 *
 * Wrapped format, version 1 (the same for both kinds):
 *
 *   offset  size  field
 *   0       1     0x01
 *   1       12    nonce, random per wrap
 *   13      n     AES-256-GCM ciphertext of the secret value
 *   13+n    16    GCM tag
 *
 *   AAD = "vouch-kek-wrap-v1" || 0x00 || u32be(len(name)) || name
 *         || u64be(version)
 *
 * so a wrapped value moved to another secret or another version does not
 * unwrap.  A KEK has an identifier stored beside every wrapped value:
 * "file:" + the first 16 hex digits of SHA-256("vouch-kek-id-v1" || key),
 * or "pkcs11:" + the hex CKA_ID of the token key.
 */
#ifndef VOUCHD_KEK_H
#define VOUCHD_KEK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "internal.h"

#define KEK_KEY_BYTES		32
#define KEK_WRAP_FORMAT_V1	0x01u
#define KEK_WRAP_LABEL		"vouch-kek-wrap-v1"
#define KEK_ID_LABEL		"vouch-kek-id-v1"
#define KEK_NONCE_BYTES		12
#define KEK_TAG_BYTES		16
/* Bytes a wrapped value adds to the secret. */
#define KEK_WRAP_OVERHEAD	(1 + KEK_NONCE_BYTES + KEK_TAG_BYTES)
/* Longest KEK identifier, without the NUL. */
#define KEK_ID_MAX		80
/* Longest name bound into the AAD (the secret name limit). */
#define KEK_NAME_MAX		64
/* Largest value wrapped (the secret size limit, VOUCH_SECRET_MAX_BYTES). */
#define KEK_VALUE_MAX		(64u * 1024u)
/* Longest PIN read from a file or the environment. */
#define KEK_PIN_MAX		256
/* Default label of the token key. */
#define KEK_P11_DEFAULT_LABEL	"vouch-kek"
/* Environment variable that may carry the token PIN. */
#define KEK_P11_PIN_ENV		"VOUCHD_PKCS11_PIN"

struct kek;

/*
 * kek_open_file loads the KEK in |path|: exactly 32 bytes, a regular file
 * not readable or writable by group or others (VOUCH_ERR_BAD_KEY
 * otherwise).  With |create| a missing file is made (32 random bytes,
 * mode 0600, fsynced with its directory) first.  The key is read
 * straight into protected memory.
 */
enum vouch_err	kek_open_file(struct vouch_ctx *ctx, const char *path,
		    bool create, struct kek **out) VOUCH_MUST_CHECK;

/* What kek_open_pkcs11 needs. */
struct kek_pkcs11_config {
	const char	*module;	/* path of the PKCS#11 module (.so) */
	const char	*token;		/* token label */
	const char	*key_label;	/* NULL: KEK_P11_DEFAULT_LABEL */
	const char	*pin_file;	/* NULL: the VOUCHD_PKCS11_PIN variable */
};

/*
 * kek_open_pkcs11 loads |cfg->module|, finds the token labelled
 * |cfg->token|, logs in as the user with the PIN and finds the AES key
 * labelled |cfg->key_label|.  With |create| and no such key, one is
 * generated on the token (AES-256, CKA_TOKEN, CKA_SENSITIVE, not
 * CKA_EXTRACTABLE, a random 16-byte CKA_ID).  Two keys with the label,
 * a key without CKA_ID or not AES is VOUCH_ERR_BAD_KEY; a missing module,
 * token or PIN VOUCH_ERR_NOT_FOUND; a refused login VOUCH_ERR_BAD_KEY.
 * One module per process; several keys of it may be open at once.
 */
enum vouch_err	kek_open_pkcs11(struct vouch_ctx *ctx,
		    const struct kek_pkcs11_config *cfg, bool create,
		    struct kek **out) VOUCH_MUST_CHECK;

/* kek_free wipes and frees |k|; NULL is fine. */
void		kek_free(struct kek *k);

/* The identifier stored beside what |k| wraps. */
const char	*kek_id(const struct kek *k);

/*
 * kek_wrap wraps |n| bytes (at most KEK_VALUE_MAX) of secret |name|,
 * |version| in the format above.  |*out| is malloc'd (the wrapped value
 * is not secret), |*out_len| = n + KEK_WRAP_OVERHEAD.  Thread-safe.
 */
enum vouch_err	kek_wrap(struct vouch_ctx *ctx, struct kek *k,
		    const char *name, int64_t version, const uint8_t *in,
		    size_t n, uint8_t **out, size_t *out_len) VOUCH_MUST_CHECK;

/*
 * kek_unwrap reverses it.  Anything that is not an authentic version 1
 * value of this secret, version and key (too short, other format byte,
 * any modified byte, another name or version) is
 * VOUCH_ERR_SIGNATURE_INVALID.  |*out| is protected memory (kek_secmem)
 * that the caller releases with kek_secmem_free; a zero-length value
 * still gets a buffer.  Thread-safe.
 */
enum vouch_err	kek_unwrap(struct vouch_ctx *ctx, struct kek *k,
		    const char *name, int64_t version, const uint8_t *in,
		    size_t n, uint8_t **out, size_t *out_len) VOUCH_MUST_CHECK;

/*
 * Protected memory for secret material: whole pages from mmap, excluded
 * from core dumps (madvise MADV_DONTDUMP), locked in RAM where the
 * RLIMIT_MEMLOCK allows (mlock; a refusal is not an error), and wiped
 * before they are unmapped.  kek_secmem_alloc returns NULL when out of
 * memory; |n| may be 0.  kek_secmem_free(NULL) does nothing.
 */
void		*kek_secmem_alloc(size_t n);
void		 kek_secmem_free(void *p);
/* Usable size of a kek_secmem_alloc buffer. */
size_t		 kek_secmem_size(const void *p);

/*
 * kek_harden_process makes the process non-dumpable
 * (prctl(PR_SET_DUMPABLE, 0)): no core file, and no ptrace or
 * /proc/<pid>/mem access by processes of the same user without
 * CAP_SYS_PTRACE.  Returns 0 or -1 with errno.
 */
int		 kek_harden_process(void);

#endif
