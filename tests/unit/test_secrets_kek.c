/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for daemon/kek.c: protected memory (excluded from core
 * dumps: the "dd" flag in /proc/self/smaps), the file KEK (made with mode
 * 0600, read back with the same identifier, refused when readable by
 * others, of the wrong size or a symlink), wrap and unwrap (every flipped
 * byte, every truncation, another name, version or key refused), the
 * format checked against an independent AES-GCM (Python's cryptography
 * package, when installed), the PKCS#11 KEK on SoftHSM2 (when installed:
 * the key made on the token, found again by its label, not extractable,
 * a wrong PIN refused) and the non-dumpable process.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "bs/bs.h"
#include "crypto/crypto.h"
#include "kek.h"
#include "util/file.h"

#define SOFTHSM_MODULE	"/usr/lib/softhsm/libsofthsm2.so"

struct fixture {
	char			 dir[64];
	char			 path[128];
	struct vouch_ctx	*ctx;
};

static struct fixture F;

static void
rmtree(const char *dir)
{
	char cmd[256];

	(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static int
setup(void **state)
{
	(void)state;
	memset(&F, 0, sizeof(F));
	(void)snprintf(F.dir, sizeof(F.dir), "/tmp/vouch-test-kek-XXXXXX");
	assert_non_null(mkdtemp(F.dir));
	(void)snprintf(F.path, sizeof(F.path), "%s/kek.key", F.dir);
	F.ctx = vouch_ctx_new();
	assert_non_null(F.ctx);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	vouch_ctx_free(F.ctx);
	rmtree(F.dir);
	return 0;
}

/* The VmFlags line of the mapping that holds |p| in /proc/self/smaps. */
static bool
vmflags_of(const void *p, char *flags, size_t cap)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512], perms[8];
	unsigned long lo, hi, a = (unsigned long)(uintptr_t)p;
	bool in = false, found = false;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		/* A mapping's header: "lo-hi perms offset dev inode path". */
		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) == 3) {
			in = a >= lo && a < hi;
			continue;
		}
		if (in && strncmp(line, "VmFlags:", 8) == 0) {
			size_t n = strnlen(line + 8, cap - 1);

			memcpy(flags, line + 8, n);
			flags[n] = '\0';
			found = true;
			break;
		}
	}
	fclose(f);
	return found;
}

static void
test_secmem(void **state)
{
	uint8_t *p, *q;
	char flags[256];
	size_t i;

	(void)state;
	p = kek_secmem_alloc(100);
	assert_non_null(p);
	assert_int_equal(kek_secmem_size(p), 100);
	assert_int_equal((uintptr_t)p % 16, 0);
	for (i = 0; i < 100; i++) {
		assert_int_equal(p[i], 0);	/* fresh anonymous pages */
	}
	memset(p, 0xa5, 100);
	/* Left out of core dumps whatever the dump filter says. */
	assert_true(vmflags_of(p, flags, sizeof(flags)));
	assert_non_null(strstr(flags, " dd"));
	kek_secmem_free(p);
	/* Sizes across page boundaries, and zero. */
	q = kek_secmem_alloc(3 * 4096 + 1);
	assert_non_null(q);
	memset(q, 1, 3 * 4096 + 1);
	assert_int_equal(kek_secmem_size(q), 3 * 4096 + 1);
	kek_secmem_free(q);
	q = kek_secmem_alloc(0);
	assert_non_null(q);
	kek_secmem_free(q);
	kek_secmem_free(NULL);
	assert_int_equal(kek_secmem_size(NULL), 0);
	assert_null(kek_secmem_alloc(SIZE_MAX - 16));
}

static void
test_file_create_and_reload(void **state)
{
	struct kek *k = NULL, *k2 = NULL;
	struct stat st;
	uint8_t *raw = NULL;
	size_t len = 0;
	char want[64];
	uint8_t h[VOUCH_SHA256_BYTES], buf[15 + 32];
	char hex[17];

	(void)state;
	/* Without create, a missing file is an error. */
	assert_int_equal(kek_open_file(F.ctx, F.path, false, &k),
	    VOUCH_ERR_NOT_FOUND);
	assert_null(k);
	assert_int_equal(kek_open_file(F.ctx, F.path, true, &k), VOUCH_OK);
	assert_non_null(k);
	assert_int_equal(stat(F.path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(st.st_size, KEK_KEY_BYTES);
	/* The identifier: "file:" + 16 hex of SHA-256(label || key). */
	assert_int_equal(vouch_file_read(F.ctx, F.path, 64, &raw, &len),
	    VOUCH_OK);
	assert_int_equal(len, 32);
	memcpy(buf, "vouch-kek-id-v1", 15);
	memcpy(buf + 15, raw, 32);
	vouch_sha256(buf, sizeof(buf), h);
	assert_true(vouch_hex_encode(h, 8, hex, sizeof(hex)));
	(void)snprintf(want, sizeof(want), "file:%s", hex);
	assert_string_equal(kek_id(k), want);
	/* Opening again (create or not) reads the same key. */
	assert_int_equal(kek_open_file(F.ctx, F.path, true, &k2), VOUCH_OK);
	assert_string_equal(kek_id(k2), kek_id(k));
	kek_free(k2);
	assert_int_equal(kek_open_file(F.ctx, F.path, false, &k2), VOUCH_OK);
	assert_string_equal(kek_id(k2), kek_id(k));
	kek_free(k2);
	kek_free(k);
	kek_free(NULL);
	vouch_freezero(raw, len);
}

static void
test_file_refused(void **state)
{
	struct kek *k = (struct kek *)1;
	char link[160], dirp[160];
	uint8_t key[KEK_KEY_BYTES + 1];

	(void)state;
	memset(key, 7, sizeof(key));
	/* Readable by others. */
	assert_int_equal(vouch_file_write(F.ctx, F.path, key, 32, 0644),
	    VOUCH_OK);
	assert_int_equal(kek_open_file(F.ctx, F.path, false, &k),
	    VOUCH_ERR_BAD_KEY);
	assert_null(k);
	assert_non_null(strstr(vouch_error(F.ctx), "644"));
	/* Owned by another user (root can make one here). */
	if (geteuid() == 0) {
		assert_int_equal(vouch_file_write(F.ctx, F.path, key, 32,
		    0600), VOUCH_OK);
		assert_int_equal(chown(F.path, 65534, 65534), 0);
		assert_int_equal(kek_open_file(F.ctx, F.path, false, &k),
		    VOUCH_ERR_BAD_KEY);
		assert_non_null(strstr(vouch_error(F.ctx), "owned by uid 65534"));
		assert_int_equal(unlink(F.path), 0);
	}
	/* Too short, too long, empty. */
	assert_int_equal(vouch_file_write(F.ctx, F.path, key, 31, 0600),
	    VOUCH_OK);
	assert_int_equal(kek_open_file(F.ctx, F.path, true, &k),
	    VOUCH_ERR_BAD_KEY);
	assert_int_equal(vouch_file_write(F.ctx, F.path, key, 33, 0600),
	    VOUCH_OK);
	assert_int_equal(kek_open_file(F.ctx, F.path, true, &k),
	    VOUCH_ERR_BAD_KEY);
	{
		uint8_t big[64];

		memset(big, 7, sizeof(big));
		assert_int_equal(vouch_file_write(F.ctx, F.path, big,
		    sizeof(big), 0600), VOUCH_OK);
		assert_int_equal(kek_open_file(F.ctx, F.path, true, &k),
		    VOUCH_ERR_TOO_LARGE);
	}
	assert_int_equal(vouch_file_write(F.ctx, F.path, key, 0, 0600),
	    VOUCH_OK);
	assert_int_equal(kek_open_file(F.ctx, F.path, true, &k),
	    VOUCH_ERR_BAD_KEY);
	/* A symlink is not followed; a directory is not a key. */
	assert_int_equal(vouch_file_write(F.ctx, F.path, key, 32, 0600),
	    VOUCH_OK);
	(void)snprintf(link, sizeof(link), "%s/link.key", F.dir);
	assert_int_equal(symlink(F.path, link), 0);
	assert_int_not_equal(kek_open_file(F.ctx, link, false, &k), VOUCH_OK);
	(void)snprintf(dirp, sizeof(dirp), "%s/sub", F.dir);
	assert_int_equal(mkdir(dirp, 0700), 0);
	assert_int_equal(kek_open_file(F.ctx, dirp, false, &k),
	    VOUCH_ERR_BAD_KEY);
	/* No path; a directory that does not exist. */
	assert_int_equal(kek_open_file(F.ctx, "", true, &k),
	    VOUCH_ERR_INVALID_ARGUMENT);
	(void)snprintf(dirp, sizeof(dirp), "%s/none/kek.key", F.dir);
	assert_int_equal(kek_open_file(F.ctx, dirp, true, &k), VOUCH_ERR_IO);
	assert_null(k);
}

/* Every way a wrapped value can be wrong, against one key. */
static void
check_wrap_unwrap(struct kek *k, struct kek *other)
{
	static const uint8_t value[] = "correct horse battery staple";
	uint8_t *w = NULL, *pt = NULL, *bad = NULL;
	size_t wl = 0, pl = 0, i;

	assert_int_equal(kek_wrap(F.ctx, k, "db-password", 3, value,
	    sizeof(value), &w, &wl), VOUCH_OK);
	assert_int_equal(wl, sizeof(value) + KEK_WRAP_OVERHEAD);
	assert_int_equal(w[0], KEK_WRAP_FORMAT_V1);
	assert_null(memmem(w, wl, "horse", 5));
	assert_int_equal(kek_unwrap(F.ctx, k, "db-password", 3, w, wl, &pt,
	    &pl), VOUCH_OK);
	assert_int_equal(pl, sizeof(value));
	assert_memory_equal(pt, value, pl);
	assert_true(kek_secmem_size(pt) >= pl);
	kek_secmem_free(pt);
	pt = NULL;
	/* Another name, another version, another key. */
	if (kek_unwrap(F.ctx, k, "db-passwore", 3, w, wl, &pt, &pl) !=
	    VOUCH_ERR_SIGNATURE_INVALID) {
		fail_msg("unwrap under another name: %s", vouch_error(F.ctx));
	}
	assert_null(pt);
	assert_int_equal(kek_unwrap(F.ctx, k, "db-password", 4, w, wl, &pt,
	    &pl), VOUCH_ERR_SIGNATURE_INVALID);
	assert_int_equal(kek_unwrap(F.ctx, other, "db-password", 3, w, wl, &pt,
	    &pl), VOUCH_ERR_SIGNATURE_INVALID);
	assert_null(pt);
	/* Every flipped byte and every truncation. */
	bad = malloc(wl + 1);
	assert_non_null(bad);
	for (i = 0; i < wl; i++) {
		memcpy(bad, w, wl);
		bad[i] ^= 0x01;
		assert_int_equal(kek_unwrap(F.ctx, k, "db-password", 3, bad,
		    wl, &pt, &pl), VOUCH_ERR_SIGNATURE_INVALID);
		assert_null(pt);
	}
	for (i = 0; i < wl; i++) {
		assert_int_equal(kek_unwrap(F.ctx, k, "db-password", 3, w, i,
		    &pt, &pl), VOUCH_ERR_SIGNATURE_INVALID);
	}
	memcpy(bad, w, wl);
	bad[wl] = 0;
	assert_int_equal(kek_unwrap(F.ctx, k, "db-password", 3, bad, wl + 1,
	    &pt, &pl), VOUCH_ERR_SIGNATURE_INVALID);
	free(bad);
	/* Two wraps of one value differ (random nonce). */
	assert_int_equal(kek_wrap(F.ctx, k, "db-password", 3, value,
	    sizeof(value), &bad, &i), VOUCH_OK);
	assert_int_equal(i, wl);
	assert_memory_not_equal(bad, w, wl);
	free(bad);
	free(w);
	/* Limits and arguments. */
	assert_int_equal(kek_wrap(F.ctx, k, "", 1, value, 1, &w, &wl),
	    VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(kek_wrap(F.ctx, k, "x", 0, value, 1, &w, &wl),
	    VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(kek_wrap(F.ctx, k, "x", 1, value, KEK_VALUE_MAX + 1,
	    &w, &wl), VOUCH_ERR_TOO_LARGE);
	assert_null(w);
	assert_int_equal(kek_wrap(F.ctx, k,
	    "a1234567890123456789012345678901234567890123456789012345678901234",
	    1, value, 1, &w, &wl), VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(kek_unwrap(F.ctx, k, "x", 1, NULL, 0, &pt, &pl),
	    VOUCH_ERR_SIGNATURE_INVALID);
}

static void
check_large_value(struct kek *k)
{
	uint8_t *big = malloc(KEK_VALUE_MAX), *w = NULL, *pt = NULL;
	size_t wl = 0, pl = 0;

	assert_non_null(big);
	assert_int_equal(vouch_random(F.ctx, big, KEK_VALUE_MAX), VOUCH_OK);
	assert_int_equal(kek_wrap(F.ctx, k, "big", 1, big, KEK_VALUE_MAX, &w,
	    &wl), VOUCH_OK);
	assert_int_equal(kek_unwrap(F.ctx, k, "big", 1, w, wl, &pt, &pl),
	    VOUCH_OK);
	assert_int_equal(pl, KEK_VALUE_MAX);
	assert_memory_equal(pt, big, pl);
	kek_secmem_free(pt);
	free(w);
	free(big);
}

static void
test_file_wrap_unwrap(void **state)
{
	struct kek *k = NULL, *other = NULL;
	char p2[160];

	(void)state;
	(void)snprintf(p2, sizeof(p2), "%s/other.key", F.dir);
	assert_int_equal(kek_open_file(F.ctx, F.path, true, &k), VOUCH_OK);
	assert_int_equal(kek_open_file(F.ctx, p2, true, &other), VOUCH_OK);
	assert_string_not_equal(kek_id(k), kek_id(other));
	check_wrap_unwrap(k, other);
	check_large_value(k);
	kek_free(k);
	kek_free(other);
}

/* The format (kek.h) opened by Python's AES-GCM, when available. */
static void
test_file_format_independent(void **state)
{
	static const uint8_t value[] = "independent check";
	struct kek *k = NULL;
	uint8_t *w = NULL;
	size_t wl = 0;
	char wpath[160], cmd[1024];
	int rc;

	(void)state;
	if (system("python3 -c 'import cryptography' 2>/dev/null") != 0) {
		printf("SKIP: python3 cryptography not installed\n");
		return;
	}
	assert_int_equal(kek_open_file(F.ctx, F.path, true, &k), VOUCH_OK);
	assert_int_equal(kek_wrap(F.ctx, k, "app.tls-key_2", 42, value,
	    sizeof(value) - 1, &w, &wl), VOUCH_OK);
	(void)snprintf(wpath, sizeof(wpath), "%s/wrapped", F.dir);
	assert_int_equal(vouch_file_write(F.ctx, wpath, w, wl, 0600),
	    VOUCH_OK);
	(void)snprintf(cmd, sizeof(cmd),
	    "python3 -c 'import struct,sys\n"
	    "from cryptography.hazmat.primitives.ciphers.aead import AESGCM\n"
	    "k=open(\"%s\",\"rb\").read(); w=open(\"%s\",\"rb\").read()\n"
	    "n=b\"app.tls-key_2\"\n"
	    "aad=b\"vouch-kek-wrap-v1\\0\"+struct.pack(\">I\",len(n))+n+"
	    "struct.pack(\">Q\",42)\n"
	    "assert w[0]==1\n"
	    "pt=AESGCM(k).decrypt(w[1:13],w[13:],aad)\n"
	    "sys.exit(0 if pt==b\"independent check\" else 1)'",
	    F.path, wpath);
	rc = system(cmd);
	assert_int_equal(rc, 0);
	free(w);
	kek_free(k);
}

/* ---- PKCS#11 on SoftHSM2 ------------------------------------------ */

static bool
softhsm_init(char *conf, size_t cap, char *pin_file, size_t pcap)
{
	char tokdir[160], cmd[768];
	FILE *f;

	if (access(SOFTHSM_MODULE, R_OK) != 0 ||
	    system("command -v softhsm2-util >/dev/null 2>&1") != 0) {
		printf("SKIP: SoftHSM2 is not installed\n");
		return false;
	}
	(void)snprintf(tokdir, sizeof(tokdir), "%s/tokens", F.dir);
	assert_int_equal(mkdir(tokdir, 0700), 0);
	(void)snprintf(conf, cap, "%s/softhsm2.conf", F.dir);
	f = fopen(conf, "w");
	assert_non_null(f);
	fprintf(f, "directories.tokendir = %s\nobjectstore.backend = file\n"
	    "log.level = ERROR\n", tokdir);
	fclose(f);
	assert_int_equal(setenv("SOFTHSM2_CONF", conf, 1), 0);
	(void)snprintf(cmd, sizeof(cmd), "softhsm2-util --init-token --free "
	    "--label vouch-test --pin 123456 --so-pin 654321 >/dev/null");
	assert_int_equal(system(cmd), 0);
	(void)snprintf(pin_file, pcap, "%s/pin", F.dir);
	assert_int_equal(vouch_file_write(F.ctx, pin_file,
	    (const uint8_t *)"123456\n", 7, 0600), VOUCH_OK);
	return true;
}

static void
test_pkcs11(void **state)
{
	struct kek_pkcs11_config pc;
	struct kek *k = NULL, *k2 = NULL, *k3 = NULL, *fk = NULL;
	char conf[160], pin[160], bad[160], id[KEK_ID_MAX + 1];
	enum vouch_err rv;

	(void)state;
	if (!softhsm_init(conf, sizeof(conf), pin, sizeof(pin))) {
		return;
	}
	memset(&pc, 0, sizeof(pc));
	pc.module = SOFTHSM_MODULE;
	pc.token = "vouch-test";
	pc.pin_file = pin;
	/* Not there yet and not to be made. */
	rv = kek_open_pkcs11(F.ctx, &pc, false, &k);
	if (rv == VOUCH_ERR_UNSUPPORTED_PLATFORM) {
		printf("SKIP: built without PKCS#11\n");
		return;
	}
	assert_int_equal(rv, VOUCH_ERR_NOT_FOUND);
	assert_null(k);
	/* Made on the token, then found again by its label. */
	assert_int_equal(kek_open_pkcs11(F.ctx, &pc, true, &k), VOUCH_OK);
	assert_int_equal(strncmp(kek_id(k), "pkcs11:", 7), 0);
	assert_int_equal(strlen(kek_id(k)), 7 + 32);
	(void)snprintf(id, sizeof(id), "%s", kek_id(k));
	assert_int_equal(kek_open_pkcs11(F.ctx, &pc, false, &k2), VOUCH_OK);
	assert_string_equal(kek_id(k2), id);
	/* Another label is another key; both open on one module. */
	pc.key_label = "vouch-kek-2";
	assert_int_equal(kek_open_pkcs11(F.ctx, &pc, true, &k3), VOUCH_OK);
	assert_string_not_equal(kek_id(k3), id);
	check_wrap_unwrap(k, k3);
	check_large_value(k);
	/* Wrapped by one handle, unwrapped by another of the same key. */
	{
		uint8_t *w = NULL, *pt = NULL;
		size_t wl = 0, pl = 0;

		assert_int_equal(kek_wrap(F.ctx, k, "s", 1,
		    (const uint8_t *)"v", 1, &w, &wl), VOUCH_OK);
		assert_int_equal(kek_unwrap(F.ctx, k2, "s", 1, w, wl, &pt,
		    &pl), VOUCH_OK);
		assert_int_equal(pl, 1);
		kek_secmem_free(pt);
		/* A file KEK cannot open what the token wrapped. */
		assert_int_equal(kek_open_file(F.ctx, F.path, true, &fk),
		    VOUCH_OK);
		assert_int_equal(kek_unwrap(F.ctx, fk, "s", 1, w, wl, &pt,
		    &pl), VOUCH_ERR_SIGNATURE_INVALID);
		free(w);
		kek_free(fk);
	}
	kek_free(k3);
	kek_free(k2);
	/* The key is not extractable: the tool cannot read its value. */
	{
		char cmd[512];

		(void)snprintf(cmd, sizeof(cmd), "command -v pkcs11-tool "
		    ">/dev/null 2>&1 || exit 0; pkcs11-tool --module %s "
		    "--token-label vouch-test --login --pin 123456 "
		    "--read-object --type secrkey --label vouch-kek "
		    ">/dev/null 2>&1 && exit 1 || exit 0", SOFTHSM_MODULE);
		assert_int_equal(system(cmd), 0);
	}
	kek_free(k);
	/* Wrong PIN, unknown token, missing PIN, another module. */
	pc.key_label = NULL;
	(void)snprintf(bad, sizeof(bad), "%s/badpin", F.dir);
	assert_int_equal(vouch_file_write(F.ctx, bad, (const uint8_t *)"0000",
	    4, 0600), VOUCH_OK);
	pc.pin_file = bad;
	assert_int_equal(kek_open_pkcs11(F.ctx, &pc, false, &k),
	    VOUCH_ERR_BAD_KEY);
	assert_null(k);
	pc.pin_file = pin;
	pc.token = "no-such-token";
	assert_int_equal(kek_open_pkcs11(F.ctx, &pc, false, &k),
	    VOUCH_ERR_NOT_FOUND);
	pc.token = "vouch-test";
	pc.pin_file = NULL;
	(void)unsetenv(KEK_P11_PIN_ENV);
	assert_int_equal(kek_open_pkcs11(F.ctx, &pc, false, &k),
	    VOUCH_ERR_NOT_FOUND);
	assert_int_equal(setenv(KEK_P11_PIN_ENV, "123456", 1), 0);
	assert_int_equal(kek_open_pkcs11(F.ctx, &pc, false, &k), VOUCH_OK);
	assert_string_equal(kek_id(k), id);
	kek_free(k);
	(void)unsetenv(KEK_P11_PIN_ENV);
	pc.pin_file = pin;
	pc.module = "/nonexistent/module.so";
	assert_int_equal(kek_open_pkcs11(F.ctx, &pc, false, &k),
	    VOUCH_ERR_NOT_FOUND);
	assert_null(k);
	/* A key someone made extractable is refused, never used. */
	{
		char cmd[512];

		(void)snprintf(cmd, sizeof(cmd), "command -v pkcs11-tool "
		    ">/dev/null 2>&1 || exit 3; pkcs11-tool --module %s "
		    "--token-label vouch-test --login --pin 123456 --keygen "
		    "--key-type AES:32 --label vouch-kek-weak --id 0102 "
		    "--extractable >/dev/null 2>&1", SOFTHSM_MODULE);
		if (system(cmd) == 0) {
			pc.module = SOFTHSM_MODULE;
			pc.key_label = "vouch-kek-weak";
			assert_int_equal(kek_open_pkcs11(F.ctx, &pc, false, &k),
			    VOUCH_ERR_BAD_KEY);
			assert_null(k);
		} else if (getenv("CI") != NULL) {
			fail_msg("pkcs11-tool cannot make the weak key");
		}
	}
}

/* Last: it changes the test process itself. */
static void
test_harden_process(void **state)
{
	(void)state;
	assert_int_equal(kek_harden_process(), 0);
	assert_int_equal(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_secmem),
		T(test_file_create_and_reload),
		T(test_file_refused),
		T(test_file_wrap_unwrap),
		T(test_file_format_independent),
		T(test_pkcs11),
		T(test_harden_process),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
