/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for lib/crypto/hpke.c (RFC 9180 base mode):
 *
 * - the base-mode test vectors of DHKEM(X25519, HKDF-SHA256), HKDF-SHA256
 *   with AES-128-GCM (RFC 9180 A.1.1), ChaCha20Poly1305 (A.2.1), and
 *   AES-256-GCM and the export-only AEAD (from the CFRG test-vectors.json
 *   the RFC points to, draft-irtf-cfrg-hpke commit 5f503c5): DeriveKeyPair,
 *   enc, every listed encryption by sequence number, the exported values;
 * - single-shot round trips, and refusals: another recipient key, info
 *   or aad, every byte of enc || ct flipped, every truncation, an extra
 *   byte; low-order X25519 points (all-zero shared secret, §7.1.4);
 *   recipient, sender and export-only contexts refusing what they cannot
 *   do; a failed open leaving the sequence number alone; limits;
 * - X25519 PEM files: round trips, mode 0600, and refusals (P-384 keys,
 *   encrypted PKCS#8, two keys, garbage, an empty or missing file).
 *
 * Interop with an independent implementation (npm @hpke/core) is in
 * tests/integration/hpke_interop.sh.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "bs/bs.h"
#include "crypto/crypto.h"
#include "crypto/hpke.h"
#include "util/file.h"
#include "vouch/verify.h"

struct fixture {
	struct vouch_ctx	*ctx;
	char			 dir[64];
};

static struct fixture F;

static size_t
hex_n(const char *hex, uint8_t *out, size_t cap)
{
	size_t len = 0;

	assert_true(vouch_hex_decode(hex, strlen(hex), out, cap, &len));
	return len;
}

static void
hex_to(const char *hex, uint8_t *out, size_t n)
{
	assert_int_equal(hex_n(hex, out, n), n);
}

static void
path_in(char *out, size_t cap, const char *name)
{
	assert_true(vouch_path_join(out, cap, F.dir, name));
}

static int
setup(void **state)
{
	(void)state;
	memset(&F, 0, sizeof(F));
	F.ctx = vouch_ctx_new();
	assert_non_null(F.ctx);
	(void)snprintf(F.dir, sizeof(F.dir), "/tmp/vouch-test-hpke-XXXXXX");
	assert_non_null(mkdtemp(F.dir));
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", F.dir);
	assert_int_equal(system(cmd), 0);
	vouch_ctx_free(F.ctx);
	return 0;
}

/*
 * Test vectors (spec data).  Every base-mode vector uses
 * info = "Ode on a Grecian Urn", pt = "Beauty is truth, truth beauty",
 * aad = "Count-<sequence number>" and the three exporter contexts
 * "", 0x00 and "TestContext" with L = 32.
 */
#define TV_INFO	"4f6465206f6e2061204772656369616e2055726e"
#define TV_PT	"4265617574792069732074727574682c20747275746820626561757479"

struct tv_enc {
	uint32_t	 seq;
	const char	*ct;
};

struct tv {
	const char		*name;
	enum vouch_hpke_aead	 aead;
	const char		*ikm_e, *pk_em, *sk_em;
	const char		*ikm_r, *pk_rm, *sk_rm;
	const char		*enc;
	struct tv_enc		 encs[6];
	size_t			 nencs;
	const char		*exports[3];
};

static const char *const tv_export_ctx[3] = { "", "00",
    "54657374436f6e74657874" };

static const struct tv vectors[] = {
	{
		/* RFC 9180 A.1.1 */
		"A.1.1 X25519 HKDF-SHA256 AES-128-GCM",
		VOUCH_HPKE_AES_128_GCM,
		"7268600d403fce431561aef583ee1613527cff655c1343f29812e66706df3234",
		"37fda3567bdbd628e88668c3c8d7e97d1d1253b6d4ea6d44c150f741f1bf4431",
		"52c4a758a802cd8b936eceea314432798d5baf2d7e9235dc084ab1b9cfa2f736",
		"6db9df30aa07dd42ee5e8181afdb977e538f5e1fec8a06223f33f7013e525037",
		"3948cfe0ad1ddb695d780e59077195da6c56506b027329794ab02bca80815c4d",
		"4612c550263fc8ad58375df3f557aac531d26850903e55a9f23f21d8534e8ac8",
		"37fda3567bdbd628e88668c3c8d7e97d1d1253b6d4ea6d44c150f741f1bf4431",
		{
			{ 0, "f938558b5d72f1a23810b4be2ab4f84331acc02fc97babc53a52ae8218a355a9"
			    "6d8770ac83d07bea87e13c512a" },
			{ 1, "af2d7e9ac9ae7e270f46ba1f975be53c09f8d875bdc8535458c2494e8a6eab25"
			    "1c03d0c22a56b8ca42c2063b84" },
			{ 2, "498dfcabd92e8acedc281e85af1cb4e3e31c7dc394a1ca20e173cb7251649158"
			    "8d96a19ad4a683518973dcc180" },
			{ 4, "583bd32bc67a5994bb8ceaca813d369bca7b2a42408cddef5e22f880b631215a"
			    "09fc0012bc69fccaa251c0246d" },
			{ 255, "7175db9717964058640a3a11fb9007941a5d1757fda1a6935c805c21af32505b"
			    "f106deefec4a49ac38d71c9e0a" },
			{ 256, "957f9800542b0b8891badb026d79cc54597cb2d225b54c00c5238c25d05c30e3"
			    "fbeda97d2e0e1aba483a2df9f2" },
		},
		6,
		{
			"3853fe2b4035195a573ffc53856e77058e15d9ea064de3e59f4961d0095250ee",
			"2e8f0b54673c7029649d4eb9d5e33bf1872cf76d623ff164ac185da9e88c21a5",
			"e9e43065102c3836401bed8c3c3c75ae46be1639869391d62c61f1ec7af54931",
		},
	},
	{
		/* RFC 9180 A.2.1 */
		"A.2.1 X25519 HKDF-SHA256 ChaCha20Poly1305",
		VOUCH_HPKE_CHACHA20_POLY1305,
		"909a9b35d3dc4713a5e72a4da274b55d3d3821a37e5d099e74a647db583a904b",
		"1afa08d3dec047a643885163f1180476fa7ddb54c6a8029ea33f95796bf2ac4a",
		"f4ec9b33b792c372c1d2c2063507b684ef925b8c75a42dbcbf57d63ccd381600",
		"1ac01f181fdf9f352797655161c58b75c656a6cc2716dcb66372da835542e1df",
		"4310ee97d88cc1f088a5576c77ab0cf5c3ac797f3d95139c6c84b5429c59662a",
		"8057991eef8f1f1af18f4a9491d16a1ce333f695d4db8e38da75975c4478e0fb",
		"1afa08d3dec047a643885163f1180476fa7ddb54c6a8029ea33f95796bf2ac4a",
		{
			{ 0, "1c5250d8034ec2b784ba2cfd69dbdb8af406cfe3ff938e131f0def8c8b60b4db"
			    "21993c62ce81883d2dd1b51a28" },
			{ 1, "6b53c051e4199c518de79594e1c4ab18b96f081549d45ce015be002090bb119e"
			    "85285337cc95ba5f59992dc98c" },
			{ 2, "71146bd6795ccc9c49ce25dda112a48f202ad220559502cef1f34271e0cb4b02"
			    "b4f10ecac6f48c32f878fae86b" },
			{ 4, "63357a2aa291f5a4e5f27db6baa2af8cf77427c7c1a909e0b37214dd47db122b"
			    "b153495ff0b02e9e54a50dbe16" },
			{ 255, "18ab939d63ddec9f6ac2b60d61d36a7375d2070c9b683861110757062c52b888"
			    "0a5f6b3936da9cd6c23ef2a95c" },
			{ 256, "7a4a13e9ef23978e2c520fd4d2e757514ae160cd0cd05e556ef692370ca53076"
			    "214c0c40d4c728d6ed9e727a5b" },
		},
		6,
		{
			"4bbd6243b8bb54cec311fac9df81841b6fd61f56538a775e7c80a9f40160606e",
			"8c1df14732580e5501b00f82b10a1647b40713191b7c1240ac80e2b68808ba69",
			"5acb09211139c43b3090489a9da433e8a30ee7188ba8b0a9a1ccf0c229283e53",
		},
	},
	{
		/* test-vectors.json: mode 0, kem_id 32, kdf_id 1, aead_id 2 */
		"json X25519 HKDF-SHA256 AES-256-GCM",
		VOUCH_HPKE_AES_256_GCM,
		"2cd7c601cefb3d42a62b04b7a9041494c06c7843818e0ce28a8f704ae7ab20f9",
		"6c93e09869df3402d7bf231bf540fadd35cd56be14f97178f0954db94b7fc256",
		"179d4b53b6365c45b600c4163b61d95cbc2f4d9e36f1695558dce265ab8bab11",
		"dac33b0e9db1b59dbbea58d59a14e7b5896e9bdf98fad6891e99d1686492b9ee",
		"430f4b9859665145a6b1ba274024487bd66f03a2dd577d7753c68d7d7d00c00c",
		"497b4502664cfea5d5af0b39934dac72242a74f8480451e1aee7d6a53320333d",
		"6c93e09869df3402d7bf231bf540fadd35cd56be14f97178f0954db94b7fc256",
		{
			{ 0, "e5d84cd531cfb583096e7cfa9641bd3079cf3a91cda813c52deb5f512be99319"
			    "80a41de125a925cdad859d5b7a" },
			{ 1, "2c43aff25343fdbff864506f0818b9d87df84ea01b1a2144d23b4d40c26bf655"
			    "fdf197fe40297a8aebeed5cc2d" },
			{ 2, "e0a8f2cf92ff61215edbb8c55dc31fe9e2eb42a5685867bb6854211542099f9e"
			    "940c4b41c192bc390835b1a5f7" },
			{ 4, "448a8892f261cbb6bf5b7b64a4fae8a2c86492494b069c10525895d871c27c2f"
			    "12cd17e0588fedaba9f7b0cd4c" },
			{ 255, "f6ad1823eb0b932d04b6e23010eea64f1fe5edd0583dae5ba27ca6363f4ea104"
			    "bd217331460ef4208040423641" },
			{ 256, "53624f4f9f173453b14e633b45390ff54cacaa4428d44baee1bff8133fab1ab3"
			    "afe60f88e4634b525c54e92eda" },
		},
		6,
		{
			"ded6cffafaea6b812cbf3e241e88332adbc077aca81512914213810ee291770a",
			"04d3cb6cc116b28ffd22ad5bc276c60d31fec71ceb87ae24db811c64b7507339",
			"7c5ded445732c14fe09727d29b4251c0fd38455fe8440571e687f0886aac94d2",
		},
	},
	{
		/* test-vectors.json: mode 0, kem_id 32, kdf_id 1, aead_id 0xffff */
		"json X25519 HKDF-SHA256 export-only",
		VOUCH_HPKE_EXPORT_ONLY,
		"55bc245ee4efda25d38f2d54d5bb6665291b99f8108a8c4b686c2b14893ea5d9",
		"e5e8f9bfff6c2f29791fc351d2c25ce1299aa5eaca78a757c0b4fb4bcd830918",
		"095182b502f1f91f63ba584c7c3ec473d617b8b4c2cec3fad5af7fa6748165ed",
		"683ae0da1d22181e74ed2e503ebf82840deb1d5e872cade20f4b458d99783e31",
		"194141ca6c3c3beb4792cd97ba0ea1faff09d98435012345766ee33aae2d7664",
		"33d196c830a12f9ac65d6e565a590d80f04ee9b19c83c87f2c170d972a812848",
		"e5e8f9bfff6c2f29791fc351d2c25ce1299aa5eaca78a757c0b4fb4bcd830918",
		{ { 0, NULL } },
		0,
		{
			"7a36221bd56d50fb51ee65edfd98d06a23c4dc87085aa5866cb7087244bd2a36",
			"d5535b87099c6c3ce80dc112a2671c6ec8e811a2f284f948cec6dd1708ee33f0",
			"ffaabc85a776136ca0c378e5d084c9140ab552b78f039d2e8775f26efff4c70e",
		},
	},
};

#define TV_PT_LEN	29
#define TV_CT_LEN	(TV_PT_LEN + VOUCH_HPKE_TAG_BYTES)

/* One vector: keys, enc, the encryptions by sequence number, exports. */
static void
check_vector(const struct tv *v)
{
	uint8_t ikm[32], want[VOUCH_X25519_BYTES], sk[32], pk[32];
	uint8_t sk_r[32], pk_r[32], enc[32], info[20], pt[TV_PT_LEN];
	uint8_t aad[16], ct[TV_CT_LEN], back[TV_PT_LEN], ctv[TV_CT_LEN];
	uint8_t expctx[16], exp[32], exp_r[32];
	struct vouch_hpke *s = NULL, *r = NULL;
	size_t next = 0, i, aad_len, expctx_len;
	uint32_t seq;

	print_message("vector %s\n", v->name);
	hex_to(TV_INFO, info, sizeof(info));
	hex_to(TV_PT, pt, sizeof(pt));
	/* §7.1.3 DeriveKeyPair(ikmE) and DeriveKeyPair(ikmR). */
	hex_to(v->ikm_e, ikm, sizeof(ikm));
	assert_int_equal(vouch_hpke_derive_keypair(F.ctx, ikm, sizeof(ikm), sk,
	    pk), VOUCH_OK);
	hex_to(v->sk_em, want, sizeof(want));
	assert_memory_equal(sk, want, 32);
	hex_to(v->pk_em, want, sizeof(want));
	assert_memory_equal(pk, want, 32);
	hex_to(v->ikm_r, ikm, sizeof(ikm));
	assert_int_equal(vouch_hpke_derive_keypair(F.ctx, ikm, sizeof(ikm),
	    sk_r, pk_r), VOUCH_OK);
	hex_to(v->sk_rm, want, sizeof(want));
	assert_memory_equal(sk_r, want, 32);
	hex_to(v->pk_rm, want, sizeof(want));
	assert_memory_equal(pk_r, want, 32);
	assert_int_equal(vouch_x25519_public(F.ctx, sk_r, pk), VOUCH_OK);
	assert_memory_equal(pk, pk_r, 32);

	/* SetupBaseS with the vector's ephemeral key gives its enc. */
	hex_to(v->ikm_e, ikm, sizeof(ikm));
	assert_int_equal(vouch_hpke_setup_sender(F.ctx, v->aead, pk_r, info,
	    sizeof(info), ikm, sizeof(ikm), enc, &s), VOUCH_OK);
	hex_to(v->enc, want, sizeof(want));
	assert_memory_equal(enc, want, 32);
	assert_int_equal(vouch_hpke_setup_recipient(F.ctx, v->aead, enc, sk_r,
	    info, sizeof(info), &r), VOUCH_OK);

	/* Seal and open every sequence number up to the last listed one. */
	for (seq = 0; v->nencs > 0 && seq <= v->encs[v->nencs - 1].seq;
	    seq++) {
		aad_len = (size_t)snprintf((char *)aad, sizeof(aad),
		    "Count-%u", (unsigned)seq);
		assert_int_equal(vouch_hpke_seal(F.ctx, s, aad, aad_len, pt,
		    sizeof(pt), ct), VOUCH_OK);
		if (next < v->nencs && v->encs[next].seq == seq) {
			hex_to(v->encs[next].ct, ctv, sizeof(ctv));
			assert_memory_equal(ct, ctv, sizeof(ct));
			next++;
		}
		assert_int_equal(vouch_hpke_open(F.ctx, r, aad, aad_len, ct,
		    sizeof(ct), back), VOUCH_OK);
		assert_memory_equal(back, pt, sizeof(pt));
	}
	assert_int_equal(next, v->nencs);

	/* §5.3 exports, from both ends. */
	for (i = 0; i < 3; i++) {
		expctx_len = hex_n(tv_export_ctx[i], expctx, sizeof(expctx));
		hex_to(v->exports[i], want, sizeof(want));
		assert_int_equal(vouch_hpke_export(F.ctx, s, expctx, expctx_len,
		    exp, sizeof(exp)), VOUCH_OK);
		assert_memory_equal(exp, want, 32);
		assert_int_equal(vouch_hpke_export(F.ctx, r, expctx, expctx_len,
		    exp_r, sizeof(exp_r)), VOUCH_OK);
		assert_memory_equal(exp_r, want, 32);
	}
	vouch_hpke_free(s);
	vouch_hpke_free(r);

	/* The recipient alone opens the vector's ciphertexts in order. */
	if (v->nencs > 0) {
		assert_int_equal(vouch_hpke_setup_recipient(F.ctx, v->aead, enc,
		    sk_r, info, sizeof(info), &r), VOUCH_OK);
		hex_to(v->encs[0].ct, ctv, sizeof(ctv));
		assert_int_equal(vouch_hpke_open(F.ctx, r,
		    (const uint8_t *)"Count-0", 7, ctv, sizeof(ctv), back),
		    VOUCH_OK);
		assert_memory_equal(back, pt, sizeof(pt));
		hex_to(v->encs[1].ct, ctv, sizeof(ctv));
		assert_int_equal(vouch_hpke_open(F.ctx, r,
		    (const uint8_t *)"Count-1", 7, ctv, sizeof(ctv), back),
		    VOUCH_OK);
		vouch_hpke_free(r);
	}
}

static void
test_vectors(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		check_vector(&vectors[i]);
	}
}

/* Export-only: seal and open are refused, single-shot too. */
static void
test_export_only(void **state)
{
	const struct tv *v = &vectors[3];
	uint8_t ikm[32], sk_r[32], pk_r[32], enc[32], info[20], buf[64];
	uint8_t *out = NULL;
	size_t out_len = 1;
	struct vouch_hpke *s = NULL, *r = NULL;

	(void)state;
	hex_to(TV_INFO, info, sizeof(info));
	hex_to(v->ikm_r, ikm, sizeof(ikm));
	assert_int_equal(vouch_hpke_derive_keypair(F.ctx, ikm, sizeof(ikm),
	    sk_r, pk_r), VOUCH_OK);
	assert_int_equal(vouch_hpke_setup_sender(F.ctx, VOUCH_HPKE_EXPORT_ONLY,
	    pk_r, info, sizeof(info), NULL, 0, enc, &s), VOUCH_OK);
	assert_int_equal(vouch_hpke_setup_recipient(F.ctx,
	    VOUCH_HPKE_EXPORT_ONLY, enc, sk_r, info, sizeof(info), &r),
	    VOUCH_OK);
	memset(buf, 0, sizeof(buf));
	assert_int_equal(vouch_hpke_seal(F.ctx, s, NULL, 0, buf, 8, buf + 8),
	    VOUCH_ERR_STATE);
	assert_int_equal(vouch_hpke_open(F.ctx, r, NULL, 0, buf, 32, buf + 32),
	    VOUCH_ERR_STATE);
	vouch_hpke_free(s);
	vouch_hpke_free(r);
	assert_int_equal(vouch_hpke_seal_base(F.ctx, VOUCH_HPKE_EXPORT_ONLY,
	    pk_r, NULL, 0, NULL, 0, buf, 8, &out, &out_len), VOUCH_ERR_STATE);
	assert_null(out);
	assert_int_equal(out_len, 0);
	assert_int_equal(vouch_hpke_open_base(F.ctx, VOUCH_HPKE_EXPORT_ONLY,
	    sk_r, NULL, 0, NULL, 0, buf, 64, &out, &out_len), VOUCH_ERR_STATE);
	assert_null(out);
}

static const enum vouch_hpke_aead aeads[] = {
	VOUCH_HPKE_AES_128_GCM, VOUCH_HPKE_AES_256_GCM,
	VOUCH_HPKE_CHACHA20_POLY1305,
};
#define NAEADS	(sizeof(aeads) / sizeof(aeads[0]))

/* Open |in| and expect |want|; the output is NULL after any failure. */
static void
expect_open(enum vouch_hpke_aead aead, const uint8_t *sk,
    const uint8_t *info, size_t info_len, const uint8_t *aad, size_t aad_len,
    const uint8_t *in, size_t in_len, enum vouch_err want)
{
	uint8_t *out = (uint8_t *)(uintptr_t)1;
	size_t out_len = 1;

	assert_int_equal(vouch_hpke_open_base(F.ctx, aead, sk, info, info_len,
	    aad, aad_len, in, in_len, &out, &out_len), want);
	if (want != VOUCH_OK) {
		assert_null(out);
		assert_int_equal(out_len, 0);
	}
	free(out);
}

static void
test_single_shot(void **state)
{
	static const size_t sizes[] = { 0, 1, 16, 1000 };
	uint8_t sk[32], pk[32], sk2[32], pk2[32], pt[1000];
	uint8_t info[] = "vouch key release";
	uint8_t aad[] = "request 42";
	uint8_t *ct = NULL, *back = NULL;
	size_t a, i, k, ct_len = 0, back_len = 0;

	(void)state;
	for (i = 0; i < sizeof(pt); i++) {
		pt[i] = (uint8_t)(i * 7 + 1);
	}
	assert_int_equal(vouch_x25519_keygen(F.ctx, sk, pk), VOUCH_OK);
	assert_int_equal(vouch_x25519_keygen(F.ctx, sk2, pk2), VOUCH_OK);
	assert_memory_not_equal(sk, sk2, 32);
	for (a = 0; a < NAEADS; a++) {
		for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
			assert_int_equal(vouch_hpke_seal_base(F.ctx, aeads[a], pk,
			    info, sizeof(info), aad, sizeof(aad), pt, sizes[k],
			    &ct, &ct_len), VOUCH_OK);
			assert_int_equal(ct_len, VOUCH_HPKE_ENC_BYTES +
			    sizes[k] + VOUCH_HPKE_TAG_BYTES);
			assert_int_equal(vouch_hpke_open_base(F.ctx, aeads[a], sk,
			    info, sizeof(info), aad, sizeof(aad), ct, ct_len,
			    &back, &back_len), VOUCH_OK);
			assert_int_equal(back_len, sizes[k]);
			if (sizes[k] > 0) {
				assert_memory_equal(back, pt, sizes[k]);
			}
			free(back);
			back = NULL;
			free(ct);
			ct = NULL;
		}
		/* Empty info and aad work too. */
		assert_int_equal(vouch_hpke_seal_base(F.ctx, aeads[a], pk, NULL,
		    0, NULL, 0, pt, 5, &ct, &ct_len), VOUCH_OK);
		expect_open(aeads[a], sk, NULL, 0, NULL, 0, ct, ct_len,
		    VOUCH_OK);
		expect_open(aeads[a], sk, info, 1, NULL, 0, ct, ct_len,
		    VOUCH_ERR_SIGNATURE_INVALID);
		free(ct);
		ct = NULL;
	}
}

/* Everything wrong with a message is refused, for every AEAD. */
static void
test_tamper(void **state)
{
	uint8_t sk[32], pk[32], sk2[32], pk2[32], pt[40];
	uint8_t info[] = "info", aad[] = "aad";
	uint8_t *ct = NULL, *bad;
	size_t a, i, ct_len = 0;
	enum vouch_hpke_aead other;

	(void)state;
	memset(pt, 0x5a, sizeof(pt));
	assert_int_equal(vouch_x25519_keygen(F.ctx, sk, pk), VOUCH_OK);
	assert_int_equal(vouch_x25519_keygen(F.ctx, sk2, pk2), VOUCH_OK);
	for (a = 0; a < NAEADS; a++) {
		assert_int_equal(vouch_hpke_seal_base(F.ctx, aeads[a], pk, info,
		    sizeof(info), aad, sizeof(aad), pt, sizeof(pt), &ct,
		    &ct_len), VOUCH_OK);
		expect_open(aeads[a], sk, info, sizeof(info), aad, sizeof(aad),
		    ct, ct_len, VOUCH_OK);
		/* Another recipient key, info, aad or AEAD. */
		expect_open(aeads[a], sk2, info, sizeof(info), aad, sizeof(aad),
		    ct, ct_len, VOUCH_ERR_SIGNATURE_INVALID);
		expect_open(aeads[a], sk, (const uint8_t *)"inf0", 5, aad,
		    sizeof(aad), ct, ct_len, VOUCH_ERR_SIGNATURE_INVALID);
		expect_open(aeads[a], sk, NULL, 0, aad, sizeof(aad), ct, ct_len,
		    VOUCH_ERR_SIGNATURE_INVALID);
		expect_open(aeads[a], sk, info, sizeof(info),
		    (const uint8_t *)"aaD", 4, ct, ct_len,
		    VOUCH_ERR_SIGNATURE_INVALID);
		expect_open(aeads[a], sk, info, sizeof(info), NULL, 0, ct, ct_len,
		    VOUCH_ERR_SIGNATURE_INVALID);
		other = aeads[(a + 1) % NAEADS];
		expect_open(other, sk, info, sizeof(info), aad, sizeof(aad), ct,
		    ct_len, VOUCH_ERR_SIGNATURE_INVALID);
		/* Every byte of enc || ct flipped, in two ways. */
		bad = malloc(ct_len + 1);
		assert_non_null(bad);
		for (i = 0; i < ct_len; i++) {
			memcpy(bad, ct, ct_len);
			bad[i] ^= 0x01;
			expect_open(aeads[a], sk, info, sizeof(info), aad,
			    sizeof(aad), bad, ct_len, VOUCH_ERR_SIGNATURE_INVALID);
			bad[i] ^= 0x81;
			expect_open(aeads[a], sk, info, sizeof(info), aad,
			    sizeof(aad), bad, ct_len, VOUCH_ERR_SIGNATURE_INVALID);
		}
		/*
		 * X25519 ignores the top bit of a u-coordinate, so this enc
		 * gives the same DH output; enc is bound in kem_context, so
		 * it still fails.
		 */
		memcpy(bad, ct, ct_len);
		bad[31] ^= 0x80;
		expect_open(aeads[a], sk, info, sizeof(info), aad, sizeof(aad),
		    bad, ct_len, VOUCH_ERR_SIGNATURE_INVALID);
		/* Every truncation, and one byte more. */
		for (i = 0; i < ct_len; i++) {
			expect_open(aeads[a], sk, info, sizeof(info), aad,
			    sizeof(aad), ct, i,
			    i < VOUCH_HPKE_ENC_BYTES + VOUCH_HPKE_TAG_BYTES ?
			    VOUCH_ERR_TRUNCATED : VOUCH_ERR_SIGNATURE_INVALID);
		}
		memcpy(bad, ct, ct_len);
		bad[ct_len] = 0;
		expect_open(aeads[a], sk, info, sizeof(info), aad, sizeof(aad),
		    bad, ct_len + 1, VOUCH_ERR_SIGNATURE_INVALID);
		free(bad);
		free(ct);
		ct = NULL;
	}
	expect_open(VOUCH_HPKE_AES_128_GCM, sk, NULL, 0, NULL, 0, NULL, 0,
	    VOUCH_ERR_TRUNCATED);
}

/*
 * Points of small order on Curve25519 (and non-canonical encodings of
 * them): X25519 with any clamped scalar gives the all-zero value, which
 * §7.1.4 requires refusing.
 */
static const char *const low_order[] = {
	/* 0 */
	"0000000000000000000000000000000000000000000000000000000000000000",
	/* 1 */
	"0100000000000000000000000000000000000000000000000000000000000000",
	/* points of order 8 */
	"e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
	"5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
	/* p - 1 (order 2), p (= 0), p + 1 (= 1) */
	"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	"edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	"eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	/* 0 and 1 with the ignored top bit set */
	"0000000000000000000000000000000000000000000000000000000000000080",
	"0100000000000000000000000000000000000000000000000000000000000080",
};

static void
test_low_order(void **state)
{
	uint8_t sk[32], pk[32], bad[32], enc[32], msg[64];
	uint8_t *out = NULL;
	size_t i, out_len = 0;
	struct vouch_hpke *h = NULL;

	(void)state;
	assert_int_equal(vouch_x25519_keygen(F.ctx, sk, pk), VOUCH_OK);
	for (i = 0; i < sizeof(low_order) / sizeof(low_order[0]); i++) {
		hex_to(low_order[i], bad, sizeof(bad));
		/* A sender refuses to encrypt to a low-order recipient key. */
		assert_int_equal(vouch_hpke_setup_sender(F.ctx,
		    VOUCH_HPKE_AES_128_GCM, bad, NULL, 0, NULL, 0, enc, &h),
		    VOUCH_ERR_BAD_KEY);
		assert_null(h);
		assert_int_equal(vouch_hpke_seal_base(F.ctx,
		    VOUCH_HPKE_CHACHA20_POLY1305, bad, NULL, 0, NULL, 0, sk, 4,
		    &out, &out_len), VOUCH_ERR_BAD_KEY);
		assert_null(out);
		/* A recipient refuses a low-order enc. */
		assert_int_equal(vouch_hpke_setup_recipient(F.ctx,
		    VOUCH_HPKE_AES_256_GCM, bad, sk, NULL, 0, &h),
		    VOUCH_ERR_BAD_KEY);
		assert_null(h);
		memset(msg, 0, sizeof(msg));
		memcpy(msg, bad, sizeof(bad));
		expect_open(VOUCH_HPKE_AES_128_GCM, sk, NULL, 0, NULL, 0, msg,
		    sizeof(msg), VOUCH_ERR_SIGNATURE_INVALID);
	}
}

/* Contexts do only what their role and AEAD allow. */
static void
test_context_state(void **state)
{
	uint8_t sk[32], pk[32], enc[32], pt[8] = "12345678";
	uint8_t ct[8 + VOUCH_HPKE_TAG_BYTES], back[8];
	struct vouch_hpke *s = NULL, *r = NULL;

	(void)state;
	assert_int_equal(vouch_x25519_keygen(F.ctx, sk, pk), VOUCH_OK);
	assert_int_equal(vouch_hpke_setup_sender(F.ctx, VOUCH_HPKE_AES_128_GCM,
	    pk, NULL, 0, NULL, 0, enc, &s), VOUCH_OK);
	assert_int_equal(vouch_hpke_setup_recipient(F.ctx,
	    VOUCH_HPKE_AES_128_GCM, enc, sk, NULL, 0, &r), VOUCH_OK);
	assert_int_equal(vouch_hpke_seal(F.ctx, r, NULL, 0, pt, sizeof(pt),
	    ct), VOUCH_ERR_STATE);
	assert_int_equal(vouch_hpke_seal(F.ctx, s, NULL, 0, pt, sizeof(pt),
	    ct), VOUCH_OK);
	assert_int_equal(vouch_hpke_open(F.ctx, s, NULL, 0, ct, sizeof(ct),
	    back), VOUCH_ERR_STATE);
	assert_int_equal(vouch_hpke_open(F.ctx, r, NULL, 0, ct, 15, back),
	    VOUCH_ERR_TRUNCATED);
	assert_int_equal(vouch_hpke_open(F.ctx, r, NULL, 0, ct, sizeof(ct),
	    back), VOUCH_OK);
	assert_memory_equal(back, pt, sizeof(pt));
	assert_int_equal(vouch_hpke_seal(F.ctx, NULL, NULL, 0, pt, sizeof(pt),
	    ct), VOUCH_ERR_INVALID_ARGUMENT);
	vouch_hpke_free(s);
	vouch_hpke_free(r);
	vouch_hpke_free(NULL);
	/* An unknown AEAD identifier. */
	assert_int_equal(vouch_hpke_setup_sender(F.ctx,
	    (enum vouch_hpke_aead)0x0004, pk, NULL, 0, NULL, 0, enc, &s),
	    VOUCH_ERR_INVALID_ARGUMENT);
	assert_null(s);
}

/* A failed open changes nothing: the sequence number stays put. */
static void
test_seq_on_failure(void **state)
{
	uint8_t sk[32], pk[32], enc[32], pt0[4] = "zero", pt1[3] = "one";
	uint8_t ct0[4 + 16], ct1[3 + 16], back[4], zero[4];
	struct vouch_hpke *s = NULL, *r = NULL;
	size_t a;

	(void)state;
	memset(zero, 0, sizeof(zero));
	assert_int_equal(vouch_x25519_keygen(F.ctx, sk, pk), VOUCH_OK);
	for (a = 0; a < NAEADS; a++) {
		assert_int_equal(vouch_hpke_setup_sender(F.ctx, aeads[a], pk,
		    NULL, 0, NULL, 0, enc, &s), VOUCH_OK);
		assert_int_equal(vouch_hpke_setup_recipient(F.ctx, aeads[a],
		    enc, sk, NULL, 0, &r), VOUCH_OK);
		assert_int_equal(vouch_hpke_seal(F.ctx, s, NULL, 0, pt0, 4, ct0),
		    VOUCH_OK);
		assert_int_equal(vouch_hpke_seal(F.ctx, s, NULL, 0, pt1, 3, ct1),
		    VOUCH_OK);
		/* Out of order: the second message under sequence number 0. */
		assert_int_equal(vouch_hpke_open(F.ctx, r, NULL, 0, ct1,
		    sizeof(ct1), back), VOUCH_ERR_SIGNATURE_INVALID);
		/* Wrong aad, and a flipped tag: the plaintext is zeroed. */
		memset(back, 0xaa, sizeof(back));
		assert_int_equal(vouch_hpke_open(F.ctx, r,
		    (const uint8_t *)"x", 1, ct0, sizeof(ct0), back),
		    VOUCH_ERR_SIGNATURE_INVALID);
		assert_memory_equal(back, zero, 4);
		ct0[sizeof(ct0) - 1] ^= 1;
		memset(back, 0xaa, sizeof(back));
		assert_int_equal(vouch_hpke_open(F.ctx, r, NULL, 0, ct0,
		    sizeof(ct0), back), VOUCH_ERR_SIGNATURE_INVALID);
		assert_memory_equal(back, zero, 4);
		ct0[sizeof(ct0) - 1] ^= 1;
		/* Still at 0: both messages open, in order. */
		assert_int_equal(vouch_hpke_open(F.ctx, r, NULL, 0, ct0,
		    sizeof(ct0), back), VOUCH_OK);
		assert_memory_equal(back, pt0, 4);
		assert_int_equal(vouch_hpke_open(F.ctx, r, NULL, 0, ct1,
		    sizeof(ct1), back), VOUCH_OK);
		assert_memory_equal(back, pt1, 3);
		/* A replay of the first is refused (sequence number 2 now). */
		assert_int_equal(vouch_hpke_open(F.ctx, r, NULL, 0, ct0,
		    sizeof(ct0), back), VOUCH_ERR_SIGNATURE_INVALID);
		vouch_hpke_free(s);
		vouch_hpke_free(r);
		s = r = NULL;
	}
}

static void
test_limits(void **state)
{
	uint8_t sk[32], pk[32], enc[32], ikm[32];
	uint8_t *big, *out, *out2;
	struct vouch_hpke *s = NULL, *r = NULL;

	(void)state;
	memset(ikm, 7, sizeof(ikm));
	assert_int_equal(vouch_hpke_derive_keypair(F.ctx, ikm, 31, sk, pk),
	    VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(vouch_hpke_derive_keypair(F.ctx, NULL, 32, sk, pk),
	    VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(vouch_hpke_derive_keypair(F.ctx, ikm, 32, sk, pk),
	    VOUCH_OK);
	big = calloc(1, VOUCH_HPKE_INFO_MAX_BYTES + 1);
	out = malloc(8161);
	out2 = malloc(8160);
	assert_non_null(big);
	assert_non_null(out);
	assert_non_null(out2);
	assert_int_equal(vouch_hpke_setup_sender(F.ctx, VOUCH_HPKE_AES_128_GCM,
	    pk, big, VOUCH_HPKE_INFO_MAX_BYTES + 1, NULL, 0, enc, &s),
	    VOUCH_ERR_TOO_LARGE);
	assert_int_equal(vouch_hpke_setup_sender(F.ctx, VOUCH_HPKE_AES_128_GCM,
	    pk, big, VOUCH_HPKE_INFO_MAX_BYTES, NULL, 0, enc, &s), VOUCH_OK);
	assert_int_equal(vouch_hpke_setup_recipient(F.ctx,
	    VOUCH_HPKE_AES_128_GCM, enc, sk, big, VOUCH_HPKE_INFO_MAX_BYTES,
	    &r), VOUCH_OK);
	/* §5.3: L from 1 to 255 * Nh = 8160. */
	assert_int_equal(vouch_hpke_export(F.ctx, s, NULL, 0, out, 0),
	    VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(vouch_hpke_export(F.ctx, s, NULL, 0, out, 8161),
	    VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(vouch_hpke_export(F.ctx, s, big,
	    VOUCH_HPKE_INFO_MAX_BYTES + 1, out, 32), VOUCH_ERR_TOO_LARGE);
	assert_int_equal(vouch_hpke_export(F.ctx, s, big, 100, out, 8160),
	    VOUCH_OK);
	assert_int_equal(vouch_hpke_export(F.ctx, r, big, 100, out2, 8160),
	    VOUCH_OK);
	assert_memory_equal(out, out2, 8160);
	/*
	 * L is part of the labeled info (§4), so a shorter export is not a
	 * prefix of a longer one; another context gives another value.
	 */
	assert_int_equal(vouch_hpke_export(F.ctx, r, big, 100, out2, 33),
	    VOUCH_OK);
	assert_memory_not_equal(out, out2, 33);
	assert_int_equal(vouch_hpke_export(F.ctx, s, big, 100, out, 33),
	    VOUCH_OK);
	assert_memory_equal(out, out2, 33);
	assert_int_equal(vouch_hpke_export(F.ctx, r, big, 101, out2, 33),
	    VOUCH_OK);
	assert_memory_not_equal(out, out2, 33);
	vouch_hpke_free(s);
	vouch_hpke_free(r);
	free(big);
	free(out);
	free(out2);
}

static void
write_text(const char *path, const char *text)
{
	assert_int_equal(vouch_file_write(F.ctx, path, (const uint8_t *)text,
	    strlen(text), 0600), VOUCH_OK);
}

static void
append_file(const char *dst, const char *a, const char *b)
{
	uint8_t *x = NULL, *y = NULL, *both;
	size_t xn = 0, yn = 0;

	assert_int_equal(vouch_file_read(F.ctx, a, 1 << 20, &x, &xn), VOUCH_OK);
	assert_int_equal(vouch_file_read(F.ctx, b, 1 << 20, &y, &yn), VOUCH_OK);
	both = malloc(xn + yn);
	assert_non_null(both);
	memcpy(both, x, xn);
	memcpy(both + xn, y, yn);
	assert_int_equal(vouch_file_write(F.ctx, dst, both, xn + yn, 0600),
	    VOUCH_OK);
	free(both);
	free(x);
	free(y);
}

static void
test_pem(void **state)
{
	char priv[128], pub[128], p384[128], p384pub[128], enc[128];
	char two[128], junk[128], empty[128], mixed[128];
	uint8_t sk[32], pk[32], sk2[32], pk2[32];
	uint8_t *text = NULL;
	size_t text_len = 0;
	struct stat st;
	EVP_PKEY *key = NULL;
	BIO *bio;
	FILE *f;

	(void)state;
	path_in(priv, sizeof(priv), "x25519.pem");
	path_in(pub, sizeof(pub), "x25519.pub.pem");
	path_in(p384, sizeof(p384), "p384.pem");
	path_in(p384pub, sizeof(p384pub), "p384.pub.pem");
	path_in(enc, sizeof(enc), "encrypted.pem");
	path_in(two, sizeof(two), "two.pem");
	path_in(junk, sizeof(junk), "junk.pem");
	path_in(empty, sizeof(empty), "empty.pem");
	path_in(mixed, sizeof(mixed), "mixed.pem");

	/* Round trips; the private key file is 0600 whatever the umask. */
	assert_int_equal(vouch_x25519_keygen(F.ctx, sk, pk), VOUCH_OK);
	(void)umask(022);
	assert_int_equal(vouch_x25519_write_priv_pem(F.ctx, priv, sk),
	    VOUCH_OK);
	assert_int_equal(vouch_x25519_write_pub_pem(F.ctx, pub, pk), VOUCH_OK);
	assert_int_equal(stat(priv, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(vouch_x25519_read_priv_pem(F.ctx, priv, sk2),
	    VOUCH_OK);
	assert_memory_equal(sk, sk2, 32);
	assert_int_equal(vouch_x25519_read_pub_pem(F.ctx, pub, pk2), VOUCH_OK);
	assert_memory_equal(pk, pk2, 32);
	assert_int_equal(vouch_file_read(F.ctx, priv, 4096, &text, &text_len),
	    VOUCH_OK);
	assert_non_null(strstr((char *)text, "-----BEGIN PRIVATE KEY-----"));
	vouch_freezero(text, text_len + 1);
	assert_int_equal(vouch_file_read(F.ctx, pub, 4096, &text, &text_len),
	    VOUCH_OK);
	assert_non_null(strstr((char *)text, "-----BEGIN PUBLIC KEY-----"));
	memset(pk2, 0, sizeof(pk2));
	assert_int_equal(vouch_x25519_pub_from_pem(F.ctx, (char *)text,
	    text_len, pk2), VOUCH_OK);
	assert_memory_equal(pk, pk2, 32);
	/* Cut short, it is no key. */
	assert_int_equal(vouch_x25519_pub_from_pem(F.ctx, (char *)text,
	    text_len / 2, pk2), VOUCH_ERR_BAD_KEY);
	free(text);

	/* One kind of key where the other is expected. */
	assert_int_equal(vouch_x25519_read_priv_pem(F.ctx, pub, sk2),
	    VOUCH_ERR_BAD_KEY);
	assert_int_equal(vouch_x25519_read_pub_pem(F.ctx, priv, pk2),
	    VOUCH_ERR_BAD_KEY);

	/* P-384 keys are refused as BAD_KEY. */
	assert_int_equal(vouch_key_gen_p384(F.ctx, &key), VOUCH_OK);
	assert_int_equal(vouch_key_write_pem(F.ctx, p384, key), VOUCH_OK);
	f = fopen(p384pub, "w");
	assert_non_null(f);
	assert_int_equal(PEM_write_PUBKEY(f, key), 1);
	assert_int_equal(fclose(f), 0);
	EVP_PKEY_free(key);
	assert_int_equal(vouch_x25519_read_priv_pem(F.ctx, p384, sk2),
	    VOUCH_ERR_BAD_KEY);
	assert_int_equal(vouch_x25519_read_pub_pem(F.ctx, p384pub, pk2),
	    VOUCH_ERR_BAD_KEY);

	/* Encrypted PKCS#8 is refused without asking for a password. */
	key = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, NULL, sk, 32);
	assert_non_null(key);
	bio = BIO_new_file(enc, "w");
	assert_non_null(bio);
	assert_int_equal(PEM_write_bio_PKCS8PrivateKey(bio, key,
	    EVP_aes_256_cbc(), "password", 8, NULL, NULL), 1);
	BIO_free(bio);
	EVP_PKEY_free(key);
	assert_int_equal(vouch_x25519_read_priv_pem(F.ctx, enc, sk2),
	    VOUCH_ERR_BAD_KEY);

	/* Two keys in one file, garbage, an empty or missing file. */
	append_file(two, priv, priv);
	assert_int_equal(vouch_x25519_read_priv_pem(F.ctx, two, sk2),
	    VOUCH_ERR_BAD_KEY);
	append_file(two, pub, pub);
	assert_int_equal(vouch_x25519_read_pub_pem(F.ctx, two, pk2),
	    VOUCH_ERR_BAD_KEY);
	append_file(mixed, priv, p384);
	assert_int_equal(vouch_x25519_read_priv_pem(F.ctx, mixed, sk2),
	    VOUCH_ERR_BAD_KEY);
	write_text(junk, "-----BEGIN PRIVATE KEY-----\nnot base64!\n"
	    "-----END PRIVATE KEY-----\n");
	assert_int_equal(vouch_x25519_read_priv_pem(F.ctx, junk, sk2),
	    VOUCH_ERR_BAD_KEY);
	write_text(junk, "-----BEGIN PRIVATE KEY-----\nAAAA\n"
	    "-----END PRIVATE KEY-----\n");
	assert_int_equal(vouch_x25519_read_priv_pem(F.ctx, junk, sk2),
	    VOUCH_ERR_BAD_KEY);
	write_text(junk, "\x01\x02garbage\xff");
	assert_int_equal(vouch_x25519_read_priv_pem(F.ctx, junk, sk2),
	    VOUCH_ERR_BAD_KEY);
	assert_int_equal(vouch_x25519_read_pub_pem(F.ctx, junk, pk2),
	    VOUCH_ERR_BAD_KEY);
	write_text(empty, "");
	assert_int_equal(vouch_x25519_read_priv_pem(F.ctx, empty, sk2),
	    VOUCH_ERR_BAD_KEY);
	assert_int_equal(vouch_x25519_read_pub_pem(F.ctx, empty, pk2),
	    VOUCH_ERR_BAD_KEY);
	assert_int_equal(vouch_x25519_pub_from_pem(F.ctx, "", 0, pk2),
	    VOUCH_ERR_BAD_KEY);
	path_in(junk, sizeof(junk), "missing.pem");
	assert_int_equal(vouch_x25519_read_priv_pem(F.ctx, junk, sk2),
	    VOUCH_ERR_NOT_FOUND);
	assert_int_equal(vouch_x25519_read_pub_pem(F.ctx, junk, pk2),
	    VOUCH_ERR_NOT_FOUND);
	vouch_wipe(sk, sizeof(sk));
	vouch_wipe(sk2, sizeof(sk2));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_export_only),
		cmocka_unit_test(test_single_shot),
		cmocka_unit_test(test_tamper),
		cmocka_unit_test(test_low_order),
		cmocka_unit_test(test_context_state),
		cmocka_unit_test(test_seq_on_failure),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_pem),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
