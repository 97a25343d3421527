/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vouchd's key-encryption key (kek.h, docs/secrets.md): a key file or an
 * AES key on a PKCS#11 token, and the protected memory secrets live in.
 *
 * PKCS#11 goes straight through the module's function list (dlopen +
 * C_GetFunctionList, the p11-kit header for the types).  libp11 was the
 * first candidate (DEPENDENCIES.md) but it exposes RSA and EC keys only:
 * it has no call for a symmetric encrypt or decrypt, which is all a KEK
 * needs.  SoftHSM2 2.6 implements CKM_AES_GCM, so the token does the
 * AEAD itself and the key never leaves it.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bs/bs.h"
#include "crypto/crypto.h"
#include "kek.h"
#include "secret/seal.h"

#ifdef VOUCHD_HAVE_PKCS11
#include <p11-kit/pkcs11.h>
#endif

_Static_assert(KEK_KEY_BYTES == VOUCH_SEAL_KEY_BYTES, "AES-256 key");
_Static_assert(KEK_NONCE_BYTES == VOUCH_GCM_NONCE_BYTES, "GCM nonce");
_Static_assert(KEK_TAG_BYTES == VOUCH_GCM_TAG_BYTES, "GCM tag");

/* "vouch-kek-wrap-v1" 0x00 u32be(len) name u64be(version) */
#define KEK_AAD_MAX	(sizeof(KEK_WRAP_LABEL) + 4 + KEK_NAME_MAX + 8)

enum kek_kind { KEK_FILE, KEK_PKCS11 };

struct kek {
	enum kek_kind	 kind;
	char		 id[KEK_ID_MAX + 1];
	uint8_t		*key;		/* file: KEK_KEY_BYTES of secmem */
#ifdef VOUCHD_HAVE_PKCS11
	pthread_mutex_t	 lock;		/* one session, shared by threads */
	bool		 has_lock;
	bool		 has_module;
	bool		 has_session;
	CK_SESSION_HANDLE session;
	CK_OBJECT_HANDLE key_obj;
#endif
};

/* ---- protected memory --------------------------------------------- */

/* In front of every buffer: the mapping's length and the usable size. */
struct secmem_hdr {
	size_t	map_len;
	size_t	n;
	size_t	magic;
	size_t	pad;
};
#define SECMEM_MAGIC	((size_t)0x766f756368736563ull)

void *
kek_secmem_alloc(size_t n)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t ps = page > 0 ? (size_t)page : 4096, len;
	struct secmem_hdr *h;
	void *map;

	if (n > SIZE_MAX - sizeof(*h) - ps) {
		return NULL;
	}
	len = (sizeof(*h) + n + ps - 1) / ps * ps;
	map = mmap(NULL, len, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED) {
		return NULL;
	}
	/*
	 * Left out of core dumps whatever the process's dump settings; a
	 * kernel without MADV_DONTDUMP (before 3.4) is not supported.
	 */
	if (madvise(map, len, MADV_DONTDUMP) != 0) {
		(void)munmap(map, len);
		return NULL;
	}
	/* Never swapped out when the memlock limit allows; best effort. */
	(void)mlock(map, len);
	h = map;
	h->map_len = len;
	h->n = n;
	h->magic = SECMEM_MAGIC;
	return (uint8_t *)map + sizeof(*h);
}

size_t
kek_secmem_size(const void *p)
{
	const struct secmem_hdr *h;

	if (p == NULL) {
		return 0;
	}
	h = (const struct secmem_hdr *)(const void *)((const uint8_t *)p -
	    sizeof(*h));
	return h->n;
}

void
kek_secmem_free(void *p)
{
	struct secmem_hdr *h;
	size_t len;

	if (p == NULL) {
		return;
	}
	h = (struct secmem_hdr *)(void *)((uint8_t *)p - sizeof(*h));
	if (h->magic != SECMEM_MAGIC) {
		abort();	/* not ours: never munmap a stranger's pages */
	}
	len = h->map_len;
	vouch_wipe(h, len);
	(void)munlock(h, len);
	(void)munmap(h, len);
}

int
kek_harden_process(void)
{
	return prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

/* ---- shared pieces ------------------------------------------------ */

static bool
aad_build(const char *name, int64_t version, uint8_t *aad, size_t *aad_len)
{
	size_t nl = strnlen(name, KEK_NAME_MAX + 1), off = 0;
	uint64_t v = (uint64_t)version;
	int i;

	if (nl == 0 || nl > KEK_NAME_MAX || version < 1) {
		return false;
	}
	memcpy(aad, KEK_WRAP_LABEL, sizeof(KEK_WRAP_LABEL));	/* with NUL */
	off = sizeof(KEK_WRAP_LABEL);
	aad[off++] = (uint8_t)(nl >> 24);
	aad[off++] = (uint8_t)(nl >> 16);
	aad[off++] = (uint8_t)(nl >> 8);
	aad[off++] = (uint8_t)nl;
	memcpy(aad + off, name, nl);
	off += nl;
	for (i = 7; i >= 0; i--) {
		aad[off++] = (uint8_t)(v >> (8 * i));
	}
	*aad_len = off;
	return true;
}

/*
 * Read a small file straight into |buf| (|cap| bytes) with read(2), so no
 * stdio buffer keeps a copy.  The file must be a regular file not
 * readable or writable by group or others, and owned by us or root, when
 * |private_only|.
 */
static enum vouch_err
read_private(struct vouch_ctx *ctx, const char *path, bool private_only,
    uint8_t *buf, size_t cap, size_t *out_len)
{
	enum vouch_err rv = VOUCH_ERR_IO;
	struct stat st;
	size_t len = 0;
	ssize_t n;
	int fd;

	*out_len = 0;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1) {
		if (errno == ENOENT) {
			return vouch_fail(ctx, VOUCH_ERR_NOT_FOUND,
			    "%s: no such file", path);
		}
		return vouch_fail(ctx, VOUCH_ERR_IO, "%s: cannot open: %s", path,
		    strerror(errno));
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		rv = vouch_fail(ctx, VOUCH_ERR_BAD_KEY, "%s: not a regular file",
		    path);
		goto out;
	}
	if (private_only && (st.st_mode & 077) != 0) {
		rv = vouch_fail(ctx, VOUCH_ERR_BAD_KEY,
		    "%s: readable or writable by others (mode %03o; want 0600)",
		    path, (unsigned)(st.st_mode & 0777));
		goto out;
	}
	/*
	 * Owned by us (or root): another user who owns the file could
	 * change its mode or replace its content.
	 */
	if (private_only && st.st_uid != geteuid() && st.st_uid != 0) {
		rv = vouch_fail(ctx, VOUCH_ERR_BAD_KEY,
		    "%s: owned by uid %u, not by vouchd's (%u) or root", path,
		    (unsigned)st.st_uid, (unsigned)geteuid());
		goto out;
	}
	for (;;) {
		if (len == cap) {
			/* One byte more than |cap| tells a file too large. */
			uint8_t extra;

			n = read(fd, &extra, 1);
			vouch_wipe(&extra, sizeof(extra));
			if (n != 0) {
				rv = vouch_fail(ctx, VOUCH_ERR_TOO_LARGE,
				    "%s: larger than %zu bytes", path, cap);
				goto out;
			}
			break;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n < 0) {
			rv = vouch_fail(ctx, VOUCH_ERR_IO, "%s: read: %s", path,
			    strerror(errno));
			goto out;
		}
		if (n == 0) {
			break;
		}
		len += (size_t)n;
	}
	*out_len = len;
	rv = VOUCH_OK;
 out:
	(void)close(fd);
	if (rv != VOUCH_OK) {
		vouch_wipe(buf, cap);
	}
	return rv;
}

static enum vouch_err
fsync_dir_of(struct vouch_ctx *ctx, const char *path)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	size_t dl;
	int fd;

	if (slash == NULL) {
		(void)snprintf(dir, sizeof(dir), ".");
	} else {
		dl = slash == path ? 1 : (size_t)(slash - path);
		if (dl >= sizeof(dir)) {
			return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
			    "%s: path too long", path);
		}
		memcpy(dir, path, dl);
		dir[dl] = '\0';
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd == -1 || fsync(fd) != 0) {
		if (fd != -1) {
			(void)close(fd);
		}
		return vouch_fail(ctx, VOUCH_ERR_IO, "%s: fsync: %s", dir,
		    strerror(errno));
	}
	(void)close(fd);
	return VOUCH_OK;
}

/*
 * Make a new key file: write a temporary file (0600), fsync it, then
 * link(2) it to |path|, which fails if |path| exists, so of several
 * processes starting together one creates the key and the others read
 * it.  VOUCH_ERR_STATE when someone else won.
 */
static enum vouch_err
create_key_file(struct vouch_ctx *ctx, const char *path,
    const uint8_t key[KEK_KEY_BYTES])
{
	enum vouch_err rv = VOUCH_ERR_IO;
	char tmp[PATH_MAX];
	uint8_t rnd[8];
	char rhex[17];
	size_t off = 0;
	ssize_t n;
	int fd = -1;

	if (vouch_random(ctx, rnd, sizeof(rnd)) != VOUCH_OK ||
	    !vouch_hex_encode(rnd, sizeof(rnd), rhex, sizeof(rhex))) {
		return vouch_error_code(ctx);
	}
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp-%s", path, rhex) >=
	    sizeof(tmp)) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "%s: path too long", path);
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd == -1) {
		return vouch_fail(ctx, VOUCH_ERR_IO, "%s: cannot create: %s",
		    tmp, strerror(errno));
	}
	while (off < KEK_KEY_BYTES) {
		n = write(fd, key + off, KEK_KEY_BYTES - off);
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			rv = vouch_fail(ctx, VOUCH_ERR_IO, "%s: write: %s", tmp,
			    strerror(errno));
			goto out;
		}
		off += (size_t)n;
	}
	if (fsync(fd) != 0) {
		rv = vouch_fail(ctx, VOUCH_ERR_IO, "%s: fsync: %s", tmp,
		    strerror(errno));
		goto out;
	}
	if (link(tmp, path) != 0) {
		rv = errno == EEXIST ? VOUCH_ERR_STATE : vouch_fail(ctx,
		    VOUCH_ERR_IO, "%s: cannot create: %s", path,
		    strerror(errno));
		goto out;
	}
	rv = fsync_dir_of(ctx, path);
 out:
	if (fd != -1) {
		(void)close(fd);
	}
	(void)unlink(tmp);
	return rv;
}

/* ---- file KEK ----------------------------------------------------- */

static void
file_kek_id(const uint8_t key[KEK_KEY_BYTES], char *out, size_t cap)
{
	uint8_t buf[sizeof(KEK_ID_LABEL) - 1 + KEK_KEY_BYTES];
	uint8_t h[VOUCH_SHA256_BYTES];
	char hex[17];

	memcpy(buf, KEK_ID_LABEL, sizeof(KEK_ID_LABEL) - 1);
	memcpy(buf + sizeof(KEK_ID_LABEL) - 1, key, KEK_KEY_BYTES);
	vouch_sha256(buf, sizeof(buf), h);
	vouch_wipe(buf, sizeof(buf));
	(void)vouch_hex_encode(h, 8, hex, sizeof(hex));
	(void)snprintf(out, cap, "file:%s", hex);
}

enum vouch_err
kek_open_file(struct vouch_ctx *ctx, const char *path, bool create,
    struct kek **out)
{
	enum vouch_err rv = VOUCH_ERR_INTERNAL;
	struct kek *k = NULL;
	size_t len = 0;
	int attempt;

	*out = NULL;
	if (path == NULL || path[0] == '\0') {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "kek: no key file");
	}
	k = calloc(1, sizeof(*k));
	if (k == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
	}
	k->kind = KEK_FILE;
	/* One byte more than a key, to tell a longer file. */
	k->key = kek_secmem_alloc(KEK_KEY_BYTES + 1);
	if (k->key == NULL) {
		rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY,
		    "kek: cannot map protected memory");
		goto out;
	}
	for (attempt = 0; attempt < 2; attempt++) {
		rv = read_private(ctx, path, true, k->key, KEK_KEY_BYTES + 1,
		    &len);
		if (rv != VOUCH_ERR_NOT_FOUND || !create) {
			break;
		}
		rv = vouch_random(ctx, k->key, KEK_KEY_BYTES);
		if (rv != VOUCH_OK) {
			goto out;
		}
		rv = create_key_file(ctx, path, k->key);
		if (rv == VOUCH_OK) {
			len = KEK_KEY_BYTES;
			break;
		}
		if (rv != VOUCH_ERR_STATE) {
			goto out;
		}
		/* Another process made it first: read theirs. */
	}
	if (rv != VOUCH_OK) {
		goto out;
	}
	if (len != KEK_KEY_BYTES) {
		rv = vouch_fail(ctx, VOUCH_ERR_BAD_KEY,
		    "%s: a key file holds exactly %d bytes", path,
		    KEK_KEY_BYTES);
		goto out;
	}
	file_kek_id(k->key, k->id, sizeof(k->id));
	*out = k;
	k = NULL;
	rv = VOUCH_OK;
 out:
	kek_free(k);
	return rv;
}

static enum vouch_err
file_wrap(struct vouch_ctx *ctx, struct kek *k, const uint8_t *aad,
    size_t aad_len, const uint8_t *in, size_t n, uint8_t *buf)
{
	buf[0] = KEK_WRAP_FORMAT_V1;
	if (vouch_random(ctx, buf + 1, KEK_NONCE_BYTES) != VOUCH_OK) {
		return vouch_error_code(ctx);
	}
	return vouch_aes256gcm_encrypt(ctx, k->key, buf + 1, aad, aad_len, in,
	    n, buf + 1 + KEK_NONCE_BYTES, buf + 1 + KEK_NONCE_BYTES + n);
}

static enum vouch_err
file_unwrap(struct vouch_ctx *ctx, struct kek *k, const uint8_t *aad,
    size_t aad_len, const uint8_t *in, size_t n, uint8_t *out)
{
	size_t ct = n - KEK_WRAP_OVERHEAD;

	return vouch_aes256gcm_decrypt(ctx, k->key, in + 1, aad, aad_len,
	    in + 1 + KEK_NONCE_BYTES, ct, in + 1 + KEK_NONCE_BYTES + ct, out);
}

/* ---- PKCS#11 KEK -------------------------------------------------- */

#ifdef VOUCHD_HAVE_PKCS11

/* The module, loaded once per process and shared by every token key. */
static struct {
	pthread_mutex_t		 lock;
	void			*dl;
	CK_FUNCTION_LIST_PTR	 f;
	char			 path[PATH_MAX];
	int			 refs;
	bool			 finalize;
} p11 = { .lock = PTHREAD_MUTEX_INITIALIZER };

static enum vouch_err
p11_fail(struct vouch_ctx *ctx, enum vouch_err code, const char *what,
    CK_RV r)
{
	return vouch_fail(ctx, code, "pkcs11: %s: CKR 0x%lx", what,
	    (unsigned long)r);
}

static enum vouch_err
p11_acquire(struct vouch_ctx *ctx, const char *module)
{
	enum vouch_err rv = VOUCH_ERR_INTERNAL;
	CK_C_INITIALIZE_ARGS args;
	CK_C_GetFunctionList get;
	CK_RV r;
	void *dl = NULL;

	pthread_mutex_lock(&p11.lock);
	if (p11.refs > 0) {
		if (strcmp(p11.path, module) != 0) {
			rv = vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
			    "pkcs11: one module per process (%s is loaded)",
			    p11.path);
			goto out;
		}
		p11.refs++;
		rv = VOUCH_OK;
		goto out;
	}
	if (strlen(module) >= sizeof(p11.path)) {
		rv = vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "pkcs11: module path too long");
		goto out;
	}
	dl = dlopen(module, RTLD_NOW | RTLD_LOCAL);
	if (dl == NULL) {
		rv = vouch_fail(ctx, VOUCH_ERR_NOT_FOUND,
		    "pkcs11: cannot load %s: %s", module, dlerror());
		goto out;
	}
	*(void **)(&get) = dlsym(dl, "C_GetFunctionList");
	if (get == NULL || get(&p11.f) != CKR_OK || p11.f == NULL) {
		rv = vouch_fail(ctx, VOUCH_ERR_NOT_FOUND,
		    "pkcs11: %s is not a PKCS#11 module", module);
		goto out;
	}
	memset(&args, 0, sizeof(args));
	args.flags = CKF_OS_LOCKING_OK;
	r = p11.f->C_Initialize(&args);
	if (r != CKR_OK && r != CKR_CRYPTOKI_ALREADY_INITIALIZED) {
		rv = p11_fail(ctx, VOUCH_ERR_CRYPTO, "C_Initialize", r);
		goto out;
	}
	/* Someone else in the process initialized it: they finalize. */
	p11.finalize = r == CKR_OK;
	(void)snprintf(p11.path, sizeof(p11.path), "%s", module);
	p11.dl = dl;
	dl = NULL;
	p11.refs = 1;
	rv = VOUCH_OK;
 out:
	if (dl != NULL) {
		p11.f = NULL;
		(void)dlclose(dl);
	}
	pthread_mutex_unlock(&p11.lock);
	return rv;
}

static void
p11_release(void)
{
	pthread_mutex_lock(&p11.lock);
	if (p11.refs > 0 && --p11.refs == 0) {
		if (p11.finalize) {
			(void)p11.f->C_Finalize(NULL);
		}
		/*
		 * The module stays mapped: modules (SoftHSM2 among them) run
		 * destructors at exit that crash once they are unmapped.
		 */
		p11.f = NULL;
		p11.dl = NULL;
		p11.path[0] = '\0';
	}
	pthread_mutex_unlock(&p11.lock);
}

/* Compare a blank-padded CK_UTF8CHAR label with a C string. */
static bool
p11_label_eq(const CK_UTF8CHAR *label, size_t cap, const char *want)
{
	size_t n = cap, wl = strlen(want);

	while (n > 0 && label[n - 1] == ' ') {
		n--;
	}
	return n == wl && memcmp(label, want, n) == 0;
}

static enum vouch_err
p11_find_slot(struct vouch_ctx *ctx, const char *token, CK_SLOT_ID *out)
{
	enum vouch_err rv = VOUCH_ERR_NOT_FOUND;
	CK_SLOT_ID *slots = NULL;
	CK_ULONG n = 0, i;
	CK_TOKEN_INFO ti;
	CK_RV r;

	r = p11.f->C_GetSlotList(CK_TRUE, NULL, &n);
	if (r != CKR_OK) {
		return p11_fail(ctx, VOUCH_ERR_CRYPTO, "C_GetSlotList", r);
	}
	if (n == 0 || n > 4096) {
		return vouch_fail(ctx, VOUCH_ERR_NOT_FOUND,
		    "pkcs11: no token present");
	}
	slots = calloc(n, sizeof(*slots));
	if (slots == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
	}
	r = p11.f->C_GetSlotList(CK_TRUE, slots, &n);
	if (r != CKR_OK) {
		rv = p11_fail(ctx, VOUCH_ERR_CRYPTO, "C_GetSlotList", r);
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (p11.f->C_GetTokenInfo(slots[i], &ti) == CKR_OK &&
		    p11_label_eq(ti.label, sizeof(ti.label), token)) {
			*out = slots[i];
			rv = VOUCH_OK;
			goto out;
		}
	}
	rv = vouch_fail(ctx, VOUCH_ERR_NOT_FOUND,
	    "pkcs11: no token labelled \"%s\"", token);
 out:
	free(slots);
	return rv;
}

/* The PIN from |pin_file| or the environment, into protected memory. */
static enum vouch_err
p11_read_pin(struct vouch_ctx *ctx, const char *pin_file, uint8_t *pin,
    size_t *pin_len)
{
	enum vouch_err rv;
	const char *env;
	size_t n = 0;

	*pin_len = 0;
	if (pin_file != NULL) {
		rv = read_private(ctx, pin_file, true, pin, KEK_PIN_MAX, &n);
		if (rv != VOUCH_OK) {
			return rv;
		}
	} else {
		env = secure_getenv(KEK_P11_PIN_ENV);
		if (env == NULL) {
			return vouch_fail(ctx, VOUCH_ERR_NOT_FOUND,
			    "pkcs11: no PIN (--pkcs11-pin-file or %s)",
			    KEK_P11_PIN_ENV);
		}
		n = strlen(env);
		if (n > KEK_PIN_MAX) {
			return vouch_fail(ctx, VOUCH_ERR_TOO_LARGE,
			    "pkcs11: PIN too long");
		}
		memcpy(pin, env, n);
	}
	while (n > 0 && (pin[n - 1] == '\n' || pin[n - 1] == '\r')) {
		n--;
	}
	if (n == 0) {
		return vouch_fail(ctx, VOUCH_ERR_NOT_FOUND, "pkcs11: empty PIN");
	}
	*pin_len = n;
	return VOUCH_OK;
}

static enum vouch_err
p11_find_key(struct vouch_ctx *ctx, struct kek *k, const char *label,
    CK_ULONG *count)
{
	CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
	CK_ATTRIBUTE tmpl[] = {
		{ CKA_CLASS, &cls, sizeof(cls) },
		{ CKA_LABEL, (void *)(uintptr_t)label, strlen(label) },
	};
	CK_OBJECT_HANDLE found[2];
	CK_RV r;

	*count = 0;
	r = p11.f->C_FindObjectsInit(k->session, tmpl, 2);
	if (r != CKR_OK) {
		return p11_fail(ctx, VOUCH_ERR_CRYPTO, "C_FindObjectsInit", r);
	}
	r = p11.f->C_FindObjects(k->session, found, 2, count);
	(void)p11.f->C_FindObjectsFinal(k->session);
	if (r != CKR_OK) {
		return p11_fail(ctx, VOUCH_ERR_CRYPTO, "C_FindObjects", r);
	}
	if (*count > 1) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_KEY,
		    "pkcs11: several secret keys are labelled \"%s\"", label);
	}
	if (*count == 1) {
		k->key_obj = found[0];
	}
	return VOUCH_OK;
}

static enum vouch_err
p11_generate_key(struct vouch_ctx *ctx, struct kek *k, const char *label)
{
	CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
	CK_KEY_TYPE kt = CKK_AES;
	CK_ULONG len = KEK_KEY_BYTES;
	CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
	CK_MECHANISM mech = { CKM_AES_KEY_GEN, NULL, 0 };
	uint8_t id[16];
	CK_ATTRIBUTE tmpl[] = {
		{ CKA_CLASS, &cls, sizeof(cls) },
		{ CKA_KEY_TYPE, &kt, sizeof(kt) },
		{ CKA_VALUE_LEN, &len, sizeof(len) },
		{ CKA_TOKEN, &yes, sizeof(yes) },
		{ CKA_PRIVATE, &yes, sizeof(yes) },
		{ CKA_SENSITIVE, &yes, sizeof(yes) },
		{ CKA_EXTRACTABLE, &no, sizeof(no) },
		{ CKA_ENCRYPT, &yes, sizeof(yes) },
		{ CKA_DECRYPT, &yes, sizeof(yes) },
		{ CKA_LABEL, (void *)(uintptr_t)label, strlen(label) },
		{ CKA_ID, id, sizeof(id) },
	};
	CK_RV r;

	if (vouch_random(ctx, id, sizeof(id)) != VOUCH_OK) {
		return vouch_error_code(ctx);
	}
	r = p11.f->C_GenerateKey(k->session, &mech, tmpl,
	    sizeof(tmpl) / sizeof(tmpl[0]), &k->key_obj);
	if (r != CKR_OK) {
		return p11_fail(ctx, VOUCH_ERR_CRYPTO,
		    "C_GenerateKey (AES-256)", r);
	}
	return VOUCH_OK;
}

/* The key's type, length and CKA_ID, which names it ("pkcs11:<hex>"). */
static enum vouch_err
p11_key_identity(struct vouch_ctx *ctx, struct kek *k, const char *label)
{
	CK_KEY_TYPE kt = 0;
	CK_ULONG vlen = 0;
	CK_BBOOL sensitive = CK_FALSE, extractable = CK_TRUE, token = CK_FALSE;
	CK_BBOOL never_extractable = CK_FALSE;
	uint8_t id[32];
	char hex[2 * sizeof(id) + 1];
	CK_ATTRIBUTE attrs[] = {
		{ CKA_KEY_TYPE, &kt, sizeof(kt) },
		{ CKA_VALUE_LEN, &vlen, sizeof(vlen) },
		{ CKA_ID, id, sizeof(id) },
		{ CKA_SENSITIVE, &sensitive, sizeof(sensitive) },
		{ CKA_EXTRACTABLE, &extractable, sizeof(extractable) },
		{ CKA_NEVER_EXTRACTABLE, &never_extractable,
		    sizeof(never_extractable) },
		{ CKA_TOKEN, &token, sizeof(token) },
	};
	CK_RV r;

	r = p11.f->C_GetAttributeValue(k->session, k->key_obj, attrs,
	    sizeof(attrs) / sizeof(attrs[0]));
	if (r != CKR_OK) {
		return p11_fail(ctx, VOUCH_ERR_BAD_KEY,
		    "key attributes (type, length, CKA_ID of 1 to 32 bytes)", r);
	}
	if (kt != CKK_AES || vlen != KEK_KEY_BYTES) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_KEY,
		    "pkcs11: key \"%s\" is not AES-256", label);
	}
	/* docs/secrets.md: the KEK never leaves the token, and never did. */
	if (sensitive != CK_TRUE || extractable != CK_FALSE ||
	    never_extractable != CK_TRUE || token != CK_TRUE) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_KEY,
		    "pkcs11: key \"%s\" must be a token object, sensitive and "
		    "never extractable", label);
	}
	if (attrs[2].ulValueLen == 0 || attrs[2].ulValueLen > sizeof(id) ||
	    !vouch_hex_encode(id, attrs[2].ulValueLen, hex, sizeof(hex))) {
		return vouch_fail(ctx, VOUCH_ERR_BAD_KEY,
		    "pkcs11: key \"%s\" needs a CKA_ID of 1 to 32 bytes", label);
	}
	(void)snprintf(k->id, sizeof(k->id), "pkcs11:%s", hex);
	return VOUCH_OK;
}

enum vouch_err
kek_open_pkcs11(struct vouch_ctx *ctx, const struct kek_pkcs11_config *cfg,
    bool create, struct kek **out)
{
	enum vouch_err rv = VOUCH_ERR_INTERNAL;
	const char *label;
	struct kek *k = NULL;
	uint8_t *pin = NULL;
	size_t pin_len = 0;
	CK_SLOT_ID slot = 0;
	CK_ULONG count = 0;
	CK_RV r;

	*out = NULL;
	if (cfg == NULL || cfg->module == NULL || cfg->token == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "pkcs11: module and token are required");
	}
	label = cfg->key_label != NULL ? cfg->key_label : KEK_P11_DEFAULT_LABEL;
	if (label[0] == '\0' || strlen(label) > 64) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "pkcs11: key label of 1 to 64 bytes");
	}
	k = calloc(1, sizeof(*k));
	pin = kek_secmem_alloc(KEK_PIN_MAX);
	if (k == NULL || pin == NULL) {
		rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
		goto out;
	}
	k->kind = KEK_PKCS11;
	if (pthread_mutex_init(&k->lock, NULL) != 0) {
		rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "mutex");
		goto out;
	}
	k->has_lock = true;
	rv = p11_read_pin(ctx, cfg->pin_file, pin, &pin_len);
	if (rv != VOUCH_OK) {
		goto out;
	}
	rv = p11_acquire(ctx, cfg->module);
	if (rv != VOUCH_OK) {
		goto out;
	}
	k->has_module = true;
	rv = p11_find_slot(ctx, cfg->token, &slot);
	if (rv != VOUCH_OK) {
		goto out;
	}
	r = p11.f->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION,
	    NULL, NULL, &k->session);
	if (r != CKR_OK) {
		rv = p11_fail(ctx, VOUCH_ERR_CRYPTO, "C_OpenSession", r);
		goto out;
	}
	k->has_session = true;
	/* Login is per token and application: a second key finds it done. */
	r = p11.f->C_Login(k->session, CKU_USER, pin, pin_len);
	if (r != CKR_OK && r != CKR_USER_ALREADY_LOGGED_IN) {
		rv = p11_fail(ctx, r == CKR_PIN_INCORRECT ||
		    r == CKR_PIN_LOCKED ? VOUCH_ERR_BAD_KEY : VOUCH_ERR_CRYPTO,
		    "C_Login", r);
		goto out;
	}
	rv = p11_find_key(ctx, k, label, &count);
	if (rv != VOUCH_OK) {
		goto out;
	}
	if (count == 0) {
		if (!create) {
			rv = vouch_fail(ctx, VOUCH_ERR_NOT_FOUND,
			    "pkcs11: no key labelled \"%s\"", label);
			goto out;
		}
		rv = p11_generate_key(ctx, k, label);
		if (rv != VOUCH_OK) {
			goto out;
		}
	}
	rv = p11_key_identity(ctx, k, label);
	if (rv != VOUCH_OK) {
		goto out;
	}
	*out = k;
	k = NULL;
 out:
	kek_secmem_free(pin);
	kek_free(k);
	return rv;
}

static enum vouch_err
p11_crypt(struct vouch_ctx *ctx, struct kek *k, bool encrypt,
    const uint8_t *iv, const uint8_t *aad, size_t aad_len, const uint8_t *in,
    size_t n, uint8_t *out, size_t cap, size_t *out_len)
{
	enum vouch_err rv = VOUCH_ERR_CRYPTO;
	CK_GCM_PARAMS gcm;
	CK_MECHANISM mech;
	CK_ULONG olen = cap;
	CK_RV r;

	memset(&gcm, 0, sizeof(gcm));
	gcm.pIv = (CK_BYTE_PTR)(uintptr_t)iv;
	gcm.ulIvLen = KEK_NONCE_BYTES;
	gcm.ulIvBits = KEK_NONCE_BYTES * 8;
	gcm.pAAD = (CK_BYTE_PTR)(uintptr_t)aad;
	gcm.ulAADLen = aad_len;
	gcm.ulTagBits = KEK_TAG_BYTES * 8;
	mech.mechanism = CKM_AES_GCM;
	mech.pParameter = &gcm;
	mech.ulParameterLen = sizeof(gcm);
	pthread_mutex_lock(&k->lock);
	if (encrypt) {
		r = p11.f->C_EncryptInit(k->session, &mech, k->key_obj);
		if (r == CKR_OK) {
			r = p11.f->C_Encrypt(k->session,
			    (CK_BYTE_PTR)(uintptr_t)in, n, out, &olen);
		}
	} else {
		r = p11.f->C_DecryptInit(k->session, &mech, k->key_obj);
		if (r == CKR_OK) {
			r = p11.f->C_Decrypt(k->session,
			    (CK_BYTE_PTR)(uintptr_t)in, n, out, &olen);
		}
	}
	pthread_mutex_unlock(&k->lock);
	if (r != CKR_OK) {
		/*
		 * A tag that does not verify: the standard answer is
		 * CKR_ENCRYPTED_DATA_INVALID; SoftHSM2 2.6 answers
		 * CKR_GENERAL_ERROR.  Either way nothing is released.
		 */
		rv = !encrypt && (r == CKR_ENCRYPTED_DATA_INVALID ||
		    r == CKR_ENCRYPTED_DATA_LEN_RANGE ||
		    r == CKR_FUNCTION_FAILED || r == CKR_GENERAL_ERROR) ?
		    p11_fail(ctx, VOUCH_ERR_SIGNATURE_INVALID,
		    "unwrap: not authentic", r) :
		    p11_fail(ctx, VOUCH_ERR_CRYPTO, encrypt ? "C_Encrypt" :
		    "C_Decrypt", r);
		vouch_wipe(out, cap);
		return rv;
	}
	if (olen != (encrypt ? n + KEK_TAG_BYTES : n - KEK_TAG_BYTES)) {
		vouch_wipe(out, cap);
		return vouch_fail(ctx, VOUCH_ERR_CRYPTO,
		    "pkcs11: unexpected AES-GCM output length");
	}
	*out_len = olen;
	return VOUCH_OK;
}

#else	/* !VOUCHD_HAVE_PKCS11 */

enum vouch_err
kek_open_pkcs11(struct vouch_ctx *ctx, const struct kek_pkcs11_config *cfg,
    bool create, struct kek **out)
{
	(void)cfg;
	(void)create;
	*out = NULL;
	return vouch_fail(ctx, VOUCH_ERR_UNSUPPORTED_PLATFORM,
	    "pkcs11: this vouchd was built without PKCS#11 support "
	    "(the p11-kit-1 headers)");
}

#endif

/* ---- common ------------------------------------------------------- */

void
kek_free(struct kek *k)
{
	if (k == NULL) {
		return;
	}
	kek_secmem_free(k->key);
#ifdef VOUCHD_HAVE_PKCS11
	if (k->has_session) {
		(void)p11.f->C_CloseSession(k->session);
	}
	if (k->has_module) {
		p11_release();
	}
	if (k->has_lock) {
		pthread_mutex_destroy(&k->lock);
	}
#endif
	vouch_freezero(k, sizeof(*k));
}

const char *
kek_id(const struct kek *k)
{
	return k->id;
}

enum vouch_err
kek_wrap(struct vouch_ctx *ctx, struct kek *k, const char *name,
    int64_t version, const uint8_t *in, size_t n, uint8_t **out,
    size_t *out_len)
{
	enum vouch_err rv = VOUCH_ERR_INTERNAL;
	uint8_t aad[KEK_AAD_MAX], *buf = NULL;
	size_t aad_len = 0;

	*out = NULL;
	*out_len = 0;
	if (n > KEK_VALUE_MAX) {
		return vouch_fail(ctx, VOUCH_ERR_TOO_LARGE,
		    "kek: value larger than %u bytes", KEK_VALUE_MAX);
	}
	if (!aad_build(name, version, aad, &aad_len)) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "kek: bad secret name or version");
	}
	if (in == NULL && n > 0) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "kek: no input");
	}
	buf = malloc(n + KEK_WRAP_OVERHEAD);
	if (buf == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
	}
	if (k->kind == KEK_FILE) {
		rv = file_wrap(ctx, k, aad, aad_len, in != NULL ? in :
		    (const uint8_t *)"", n, buf);
	} else {
#ifdef VOUCHD_HAVE_PKCS11
		size_t olen = 0;

		buf[0] = KEK_WRAP_FORMAT_V1;
		rv = vouch_random(ctx, buf + 1, KEK_NONCE_BYTES);
		if (rv == VOUCH_OK) {
			rv = p11_crypt(ctx, k, true, buf + 1, aad, aad_len,
			    in != NULL ? in : (const uint8_t *)"", n,
			    buf + 1 + KEK_NONCE_BYTES, n + KEK_TAG_BYTES,
			    &olen);
		}
#else
		rv = vouch_fail(ctx, VOUCH_ERR_INTERNAL, "kek: unknown kind");
#endif
	}
	if (rv != VOUCH_OK) {
		free(buf);
		return rv;
	}
	*out = buf;
	*out_len = n + KEK_WRAP_OVERHEAD;
	return VOUCH_OK;
}

enum vouch_err
kek_unwrap(struct vouch_ctx *ctx, struct kek *k, const char *name,
    int64_t version, const uint8_t *in, size_t n, uint8_t **out,
    size_t *out_len)
{
	enum vouch_err rv = VOUCH_ERR_INTERNAL;
	uint8_t aad[KEK_AAD_MAX], *pt = NULL;
	size_t aad_len = 0, ct;

	*out = NULL;
	*out_len = 0;
	if (!aad_build(name, version, aad, &aad_len)) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "kek: bad secret name or version");
	}
	if (in == NULL || n < KEK_WRAP_OVERHEAD ||
	    n - KEK_WRAP_OVERHEAD > KEK_VALUE_MAX ||
	    in[0] != KEK_WRAP_FORMAT_V1) {
		return vouch_fail(ctx, VOUCH_ERR_SIGNATURE_INVALID,
		    "kek: not a version 1 wrapped value");
	}
	ct = n - KEK_WRAP_OVERHEAD;
	/* The token writes up to ct + tag bytes before it checks. */
	pt = kek_secmem_alloc(ct + KEK_TAG_BYTES);
	if (pt == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_NO_MEMORY,
		    "kek: cannot map protected memory");
	}
	if (k->kind == KEK_FILE) {
		rv = file_unwrap(ctx, k, aad, aad_len, in, n, pt);
	} else {
#ifdef VOUCHD_HAVE_PKCS11
		size_t olen = 0;

		rv = p11_crypt(ctx, k, false, in + 1, aad, aad_len,
		    in + 1 + KEK_NONCE_BYTES, ct + KEK_TAG_BYTES, pt,
		    ct + KEK_TAG_BYTES, &olen);
#else
		rv = vouch_fail(ctx, VOUCH_ERR_INTERNAL, "kek: unknown kind");
#endif
	}
	if (rv != VOUCH_OK) {
		kek_secmem_free(pt);
		return rv;
	}
	*out = pt;
	*out_len = ct;
	return VOUCH_OK;
}
