/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for lib/policy/policy.c: tables of good and bad documents
 * (every key position with an unknown key, unknown claims, wrong value
 * types per claim type, operators, limits, duplicates), then evaluation:
 * admission in its documented order, each operator true and false on a
 * full and on a sparse claim set (missing claims), and the explanations.
 * Documents are copied to heap buffers of exactly their length (no NUL),
 * so a read past the end is caught by ASan and valgrind.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "claims/claims.h"
#include "crypto/crypto.h"
#include "bs/bs.h"
#include "policy/policy.h"

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

/* Hex of 48 (HEX48) or 32 (HEX32) copies of the byte |b| ("11"). */
#define H8(x)		x x x x x x x x
#define HEX48(b)	H8(b b b b b b)
#define HEX32(b)	H8(b b b b)
#define M1		HEX48("11")
#define M2		HEX48("22")
#define M3		HEX32("33")

/* 2027-01-15T08:00:00Z: before every "expires" below. */
#define NOW		INT64_C(1800000000)
/* 2030-01-01T00:00:00Z */
#define EXPIRES		INT64_C(1893456000)

/* A minimal valid policy with |extra| members appended. */
#define DOC(extra) \
	"{\"vouch_policy\":1,\"version\":1,\"expires\":\"2030-01-01T00:00:00Z\"," \
	"\"platforms\":{\"sim\":{}},\"measurements\":{\"r\":[\"" M1 "\"]}" \
	extra "}"
/* The same with |plat| as "platforms". */
#define DOC_P(plat) \
	"{\"vouch_policy\":1,\"version\":1,\"expires\":\"2030-01-01T00:00:00Z\"," \
	"\"platforms\":" plat ",\"measurements\":{\"r\":[\"" M1 "\"]}}"
/* The same with |meas| as "measurements". */
#define DOC_M(meas) \
	"{\"vouch_policy\":1,\"version\":1,\"expires\":\"2030-01-01T00:00:00Z\"," \
	"\"platforms\":{\"sim\":{}},\"measurements\":" meas "}"
/* |r| as "rules". */
#define RULE(r)		DOC(",\"rules\":" r)
/* |r| as the rule of release rule "r". */
#define RRULE(r)	DOC(",\"release_rules\":{\"r\":{\"rule\":" r "}}")

/* Every SEV-SNP setting, matching snp_claims() below. */
#define SNP_FULL \
	"{\"snp\":{\"products\":[\"Milan\",\"Turin\"]," \
	"\"signing_keys\":[\"vcek\"],\"min_tcb\":{\"Milan\":{" \
	"\"bootloader\":2,\"tee\":0,\"snp\":5,\"microcode\":68}," \
	"\"Turin\":{\"bootloader\":1,\"tee\":1,\"snp\":1,\"microcode\":1," \
	"\"fmc\":1}},\"max_vmpl\":0,\"guest_policy\":{\"require\":" \
	"[\"smt\"],\"forbid\":[\"single_socket\",\"ciphertext_hiding\"]}," \
	"\"host_data\":[\"" HEX32("00") "\",\"" HEX32("ab") "\"]," \
	"\"insecure_allow_debug\":false}}"
/* "platforms": {"snp": {|x|}} */
#define SNP_P(x)	DOC_P("{\"snp\":{" x "}}")
#define HEX16(b)	H8(b b)

/*
 * The settings of checklist §1.1 #7, #8, #10-#12, matching more_base[]
 * below (test_snp_more_settings).
 */
#define SNP_MORE_BODY \
	"\"allow_provisional_firmware\":false," \
	"\"min_launch_tcb\":{\"Milan\":{\"bootloader\":2,\"tee\":0," \
	"\"snp\":5,\"microcode\":68}}," \
	"\"min_firmware\":{\"major\":1,\"minor\":55,\"build\":29}," \
	"\"min_abi\":{\"major\":1,\"minor\":51}," \
	"\"platform_info\":{\"require\":[\"alias_check_complete\"," \
	"\"smt_en\"],\"forbid\":[\"tio_en\"]}," \
	"\"required_mitigations\":[0,2]," \
	"\"family_id\":[\"" HEX16("11") "\"]," \
	"\"image_id\":[\"" HEX16("21") "\",\"" HEX16("22") "\"]," \
	"\"min_guest_svn\":3," \
	"\"id_key_digest\":[\"" HEX48("33") "\"],\"require_id_block\":true," \
	"\"author_key_digest\":[\"" HEX48("44") "\"]"
#define SNP_MORE	SNP_P(SNP_MORE_BODY)

/* The full example (docs/policy.md has the same shape). */
static const char full_policy[] =
	"{\"vouch_policy\":1,\"version\":7,"
	"\"expires\":\"2030-01-01T00:00:00Z\","
	"\"platforms\":{\"sim\":{\"min_tcb_svn\":2,"
	"\"insecure_allow_debug\":false},\"snp\":{}},"
	"\"measurements\":{\"release-1.0\":[\"" M1 "\"],"
	"\"release-1.1\":[\"" M2 "\",\"" M3 "\"]},"
	"\"admission\":{\"lifetime_seconds\":3600},"
	"\"rules\":{\"allOf\":[{\"claim\":\"profile\",\"in\":[\"test\","
	"\"production\"]},{\"claim\":\"sim.tcb_svn\",\"greaterOrEquals\":2}]},"
	"\"release_rules\":{\"db-key\":{\"rule\":{\"claim\":\"debug\","
	"\"equals\":false},\"max_releases\":10,"
	"\"not_after\":\"2029-06-01T00:00:00Z\"},"
	"\"plain\":{\"rule\":{\"claim\":\"platform\",\"equals\":\"sim\"}}}}";

static struct vouch_ctx *
new_ctx(void)
{
	struct vouch_ctx *ctx = vouch_ctx_new();

	assert_non_null(ctx);
	vouch_ctx_set_time(ctx, NOW);
	return ctx;
}

/* Parse |len| bytes of |doc| from a heap copy of exactly that size. */
static enum vouch_err
parse_n(struct vouch_ctx *ctx, const char *doc, size_t len,
    struct vouch_policy **out)
{
	enum vouch_err rv;
	uint8_t *p;

	p = malloc(len > 0 ? len : 1);
	assert_non_null(p);
	if (len > 0) {
		memcpy(p, doc, len);
	}
	rv = vouch_policy_parse(ctx, p, len, out);
	free(p);
	return rv;
}

static enum vouch_err
parse(struct vouch_ctx *ctx, const char *doc, struct vouch_policy **out)
{
	return parse_n(ctx, doc, strlen(doc), out);
}

static struct vouch_policy *
must_parse(struct vouch_ctx *ctx, const char *doc)
{
	struct vouch_policy *pol = NULL;
	enum vouch_err rv;

	rv = parse(ctx, doc, &pol);
	if (rv != VOUCH_OK) {
		fail_msg("parse failed: %s: %s", vouch_errname(rv),
		    vouch_error(ctx));
	}
	assert_non_null(pol);
	return pol;
}

/*
 * Claims.  |debug| < 0 and |has_tcb| false leave those claims out; NULL
 * strings and measurement likewise.
 */
static struct vouch_claims *
make_claims(const char *platform, const uint8_t *m, size_t mlen, int debug,
    bool has_tcb, int64_t tcb, const char *profile)
{
	struct vouch_claims *c = vouch_claims_new();

	assert_non_null(c);
	if (platform != NULL) {
		assert_int_equal(vouch_claims_set_string(NULL, c, "platform",
		    platform), VOUCH_OK);
	}
	if (m != NULL) {
		assert_int_equal(vouch_claims_set_bytes(NULL, c, "measurement",
		    m, mlen), VOUCH_OK);
	}
	if (debug >= 0) {
		assert_int_equal(vouch_claims_set_bool(NULL, c, "debug",
		    debug != 0), VOUCH_OK);
	}
	if (has_tcb) {
		assert_int_equal(vouch_claims_set_int(NULL, c, "sim.tcb_svn",
		    tcb), VOUCH_OK);
	}
	if (profile != NULL) {
		assert_int_equal(vouch_claims_set_string(NULL, c, "profile",
		    profile), VOUCH_OK);
	}
	return c;
}

static uint8_t meas1[48], meas2[48], meas3[32];

static int
setup(void **state)
{
	(void)state;
	memset(meas1, 0x11, sizeof(meas1));
	memset(meas2, 0x22, sizeof(meas2));
	memset(meas3, 0x33, sizeof(meas3));
	return 0;
}

/* platform sim, measurement M1, debug false, sim.tcb_svn 3, profile test */
static struct vouch_claims *
std_claims(void)
{
	return make_claims("sim", meas1, sizeof(meas1), 0, true, 3, "test");
}

/* Only the platform: every other claim is missing. */
static struct vouch_claims *
sparse_claims(void)
{
	return make_claims("sim", NULL, 0, -1, false, 0, NULL);
}

/*
 * Good documents.
 */

static const char *const good_docs[] = {
	DOC(""),
	full_policy,
	/* Trust nothing: empty objects are valid. */
	"{\"vouch_policy\":1,\"version\":1,\"expires\":\"2030-01-01T00:00:00Z\","
	"\"platforms\":{},\"measurements\":{}}",
	DOC_P("{\"sim\":{\"min_tcb_svn\":0,\"insecure_allow_debug\":true},"
	    "\"snp\":{\"insecure_allow_debug\":false},\"tdx\":{},\"sgx\":{},"
	    "\"tpm\":{},\"cca\":{\"insecure_allow_debug\":true}}"),
	/* Upper-case hex, 32 and 64 bytes, names with . _ - */
	DOC_M("{\"A.b_c-9\":[\"" HEX32("AB") "\",\"" HEX32("cd") HEX32("Ef")
	    "\"]}"),
	/* A 64-character release name. */
	DOC_M("{\"" H8("abcdefgh") "\":[\"" M1 "\"]}"),
	DOC(",\"admission\":{}"),
	DOC(",\"admission\":{\"lifetime_seconds\":60}"),
	DOC(",\"admission\":{\"lifetime_seconds\":31536000}"),
	DOC(",\"release_rules\":{}"),
	/* Policies that are already expired still parse. */
	"{\"vouch_policy\":1,\"version\":9223372036854775807,"
	"\"expires\":\"2000-01-01T00:00:00+01:00\",\"platforms\":{},"
	"\"measurements\":{}}",
	RULE("{\"claim\":\"debug\",\"exists\":false}"),
	RULE("{\"claim\":\"measurement\",\"in\":[\"" M1 "\",\"" M2 "\"]}"),
	RULE("{\"claim\":\"report_data\",\"equals\":\"00\"}"),
	RULE("{\"claim\":\"tcb.status\",\"notEquals\":\"\"}"),
	RULE("{\"claim\":\"sim.time\",\"less\":-1}"),
	RULE("{\"claim\":\"sim.flags\",\"lessOrEquals\":9223372036854775807}"),
	RULE("{\"claim\":\"sim.version\",\"greater\":-9223372036854775808}"),
	RULE("{\"anyOf\":[{\"allOf\":[{\"claim\":\"debug\",\"equals\":true}]},"
	    "{\"claim\":\"profile\",\"in\":[\"a\",\"b\"]}]}"),
	RRULE("{\"claim\":\"chip_id\",\"exists\":true}"),
	DOC(",\"release_rules\":{\"k\":{\"rule\":{\"claim\":\"debug\","
	    "\"equals\":false},\"max_releases\":1}}"),
	DOC(",\"release_rules\":{\"k\":{\"rule\":{\"claim\":\"debug\","
	    "\"equals\":false},\"max_releases\":2147483647,"
	    "\"not_after\":\"2029-01-01T00:00:00Z\"}}"),
	/* Every SEV-SNP setting (docs/policy.md 2.1.1). */
	DOC_P(SNP_FULL),
	DOC_P("{\"snp\":{\"guest_policy\":{}}}"),
	SNP_MORE,
	SNP_P("\"allow_provisional_firmware\":true,\"min_launch_tcb\":{"
	    "\"Turin\":{\"bootloader\":0,\"tee\":0,\"snp\":0,"
	    "\"microcode\":0,\"fmc\":1}},\"required_mitigations\":[63],"
	    "\"platform_info\":{\"forbid\":[\"smt_en\"]},"
	    "\"min_guest_svn\":4294967295"),
	DOC_P("{\"snp\":{\"min_tcb\":{\"Turin\":{\"bootloader\":0,"
	    "\"tee\":0,\"snp\":0,\"microcode\":0}},\"max_vmpl\":3}}"),
	/* Whitespace is JSON's business. */
	" {\n\t\"vouch_policy\" : 1 , \"version\":1,\"expires\":"
	"\"2030-01-01T00:00:00Z\",\"platforms\":{},\"measurements\":{} }\n",
};

static void
test_good_documents(void **state)
{
	struct vouch_ctx *ctx = new_ctx();
	struct vouch_policy *pol;
	size_t i;

	for (i = 0; i < ARRAY_LEN(good_docs); i++) {
		pol = NULL;
		if (parse(ctx, good_docs[i], &pol) != VOUCH_OK) {
			fail_msg("good document %zu rejected: %s", i,
			    vouch_error(ctx));
		}
		assert_non_null(pol);
		vouch_policy_free(pol);
	}
	vouch_ctx_free(ctx);
}

/*
 * Bad documents: the code and a piece of the message (usually the path).
 */
struct bad_doc {
	const char	*name;
	const char	*doc;
	enum vouch_err	 want;
	const char	*msg;
};

static const struct bad_doc bad_docs[] = {
	/* The document. */
	{ "empty", "", VOUCH_ERR_BAD_JSON, "json" },
	{ "not JSON", "{", VOUCH_ERR_BAD_JSON, "json" },
	{ "trailing data", DOC("") "x", VOUCH_ERR_BAD_JSON, "trailing" },
	{ "array", "[]", VOUCH_ERR_POLICY_INVALID, "JSON object" },
	{ "duplicate top key",
	  "{\"vouch_policy\":1,\"version\":1,\"version\":2}",
	  VOUCH_ERR_DUPLICATE_KEY, "duplicate" },
	{ "duplicate nested key",
	  RULE("{\"claim\":\"debug\",\"claim\":\"profile\",\"exists\":true}"),
	  VOUCH_ERR_DUPLICATE_KEY, "duplicate" },
	{ "duplicate release", DOC_M("{\"r\":[\"" M1 "\"],\"r\":[\"" M2 "\"]}"),
	  VOUCH_ERR_DUPLICATE_KEY, "duplicate" },
	/* vouch_policy */
	{ "no vouch_policy", "{\"version\":1}", VOUCH_ERR_POLICY_INVALID,
	  "vouch_policy" },
	{ "vouch_policy 2", "{\"vouch_policy\":2,\"future\":true}",
	  VOUCH_ERR_UNSUPPORTED_VERSION, "vouch_policy" },
	{ "vouch_policy 0", "{\"vouch_policy\":0}",
	  VOUCH_ERR_UNSUPPORTED_VERSION, "vouch_policy" },
	{ "vouch_policy string", "{\"vouch_policy\":\"1\"}",
	  VOUCH_ERR_UNSUPPORTED_VERSION, "vouch_policy" },
	{ "vouch_policy real", "{\"vouch_policy\":1.0}",
	  VOUCH_ERR_UNSUPPORTED_VERSION, "vouch_policy" },
	{ "vouch_policy true", "{\"vouch_policy\":true}",
	  VOUCH_ERR_UNSUPPORTED_VERSION, "vouch_policy" },
	/* Unknown keys, at every position. */
	{ "unknown top key", DOC(",\"extra\":1"), VOUCH_ERR_POLICY_INVALID,
	  "policy: extra: unknown key" },
	{ "unknown sim key",
	  DOC_P("{\"sim\":{\"min_tcb_sv\":1}}"), VOUCH_ERR_POLICY_INVALID,
	  "platforms.sim.min_tcb_sv: unknown key" },
	{ "min_tcb_svn on snp",
	  DOC_P("{\"snp\":{\"min_tcb_svn\":1}}"), VOUCH_ERR_POLICY_INVALID,
	  "platforms.snp.min_tcb_svn: unknown key" },
	/* SEV-SNP settings. */
	{ "snp: unknown key", SNP_P("\"vmpl\":0"), VOUCH_ERR_POLICY_INVALID,
	  "platforms.snp.vmpl: unknown key" },
	{ "snp: products empty", SNP_P("\"products\":[]"),
	  VOUCH_ERR_POLICY_INVALID, "platforms.snp.products: must be a "
	  "non-empty array" },
	{ "snp: products not an array", SNP_P("\"products\":\"Milan\""),
	  VOUCH_ERR_POLICY_INVALID, "platforms.snp.products: must be" },
	{ "snp: unknown product", SNP_P("\"products\":[\"Milan\","
	  "\"Bergamo\"]"), VOUCH_ERR_POLICY_INVALID,
	  "platforms.snp.products[1]: unknown name \"Bergamo\"" },
	{ "snp: product case", SNP_P("\"products\":[\"milan\"]"),
	  VOUCH_ERR_POLICY_INVALID, "unknown name \"milan\"" },
	{ "snp: product twice", SNP_P("\"products\":[\"Genoa\",\"Genoa\"]"),
	  VOUCH_ERR_POLICY_INVALID, "platforms.snp.products[1]: \"Genoa\" is "
	  "listed twice" },
	{ "snp: product not a string", SNP_P("\"products\":[1]"),
	  VOUCH_ERR_POLICY_INVALID, "platforms.snp.products[0]: must be a "
	  "string" },
	{ "snp: signing key case", SNP_P("\"signing_keys\":[\"VCEK\"]"),
	  VOUCH_ERR_POLICY_INVALID, "platforms.snp.signing_keys[0]: unknown "
	  "name \"VCEK\" (known: vcek, vlek)" },
	{ "snp: signing keys empty", SNP_P("\"signing_keys\":[]"),
	  VOUCH_ERR_POLICY_INVALID, "platforms.snp.signing_keys" },
	{ "snp: max_vmpl 4", SNP_P("\"max_vmpl\":4"), VOUCH_ERR_POLICY_INVALID,
	  "platforms.snp.max_vmpl: 4 is outside 0..3" },
	{ "snp: max_vmpl -1", SNP_P("\"max_vmpl\":-1"),
	  VOUCH_ERR_POLICY_INVALID, "platforms.snp.max_vmpl" },
	{ "snp: max_vmpl string", SNP_P("\"max_vmpl\":\"0\""),
	  VOUCH_ERR_POLICY_INVALID, "platforms.snp.max_vmpl: must be an "
	  "integer" },
	{ "snp: min_tcb empty", SNP_P("\"min_tcb\":{}"),
	  VOUCH_ERR_POLICY_INVALID, "platforms.snp.min_tcb: must be a "
	  "non-empty object of products" },
	{ "snp: min_tcb flat", SNP_P("\"min_tcb\":{\"bootloader\":1}"),
	  VOUCH_ERR_POLICY_INVALID, "platforms.snp.min_tcb.bootloader: "
	  "unknown product" },
	{ "snp: min_tcb product case", SNP_P("\"min_tcb\":{\"milan\":{}}"),
	  VOUCH_ERR_POLICY_INVALID, "platforms.snp.min_tcb.milan: unknown "
	  "product" },
	{ "snp: min_tcb component missing", SNP_P("\"min_tcb\":{\"Genoa\":"
	  "{\"bootloader\":1,\"tee\":1,\"snp\":1}}"),
	  VOUCH_ERR_POLICY_INVALID, "platforms.snp.min_tcb.Genoa: missing "
	  "\"microcode\"" },
	{ "snp: min_tcb 256", SNP_P("\"min_tcb\":{\"Genoa\":{\"bootloader\":"
	  "1,\"tee\":1,\"snp\":256,\"microcode\":1}}"),
	  VOUCH_ERR_POLICY_INVALID, "platforms.snp.min_tcb.Genoa.snp: 256 is "
	  "outside 0..255" },
	{ "snp: min_tcb fmc on Milan", SNP_P("\"min_tcb\":{\"Milan\":{"
	  "\"bootloader\":1,\"tee\":1,\"snp\":1,\"microcode\":1,"
	  "\"fmc\":1}}"), VOUCH_ERR_POLICY_INVALID,
	  "platforms.snp.min_tcb.Milan.fmc: unknown key" },
	{ "snp: min_tcb not an object", SNP_P("\"min_tcb\":{\"Milan\":5}"),
	  VOUCH_ERR_POLICY_INVALID, "platforms.snp.min_tcb.Milan: must be an "
	  "object" },
	{ "snp: guest_policy require debug", SNP_P("\"guest_policy\":{"
	  "\"require\":[\"debug\"]}"), VOUCH_ERR_POLICY_INVALID,
	  "platforms.snp.guest_policy.require[0]: unknown name \"debug\"" },
	{ "snp: guest_policy forbid migrate_ma", SNP_P("\"guest_policy\":{"
	  "\"forbid\":[\"migrate_ma\"]}"), VOUCH_ERR_POLICY_INVALID,
	  "migrate_ma is always refused" },
	{ "snp: guest_policy both", SNP_P("\"guest_policy\":{\"require\":"
	  "[\"smt\"],\"forbid\":[\"rapl_dis\",\"smt\"]}"),
	  VOUCH_ERR_POLICY_INVALID, "platforms.snp.guest_policy: \"smt\" is "
	  "both required and forbidden" },
	{ "snp: guest_policy unknown key", SNP_P("\"guest_policy\":{"
	  "\"allow\":[\"smt\"]}"), VOUCH_ERR_POLICY_INVALID,
	  "platforms.snp.guest_policy.allow: unknown key" },
	{ "snp: guest_policy raw bits", SNP_P("\"guest_policy\":196608"),
	  VOUCH_ERR_POLICY_INVALID, "platforms.snp.guest_policy: must be an "
	  "object" },
	{ "snp: host_data 31 bytes", SNP_P("\"host_data\":[\""
	  H8("000000") "0000\"]"), VOUCH_ERR_POLICY_INVALID,
	  "platforms.snp.host_data[0]: host_data is exactly 32 bytes" },
	{ "snp: host_data 33 bytes", SNP_P("\"host_data\":[\"" HEX32("00")
	  "00\"]"), VOUCH_ERR_POLICY_INVALID, "platforms.snp.host_data[0]" },
	{ "snp: host_data bad hex", SNP_P("\"host_data\":[\"" HEX32("0g")
	  "\"]"), VOUCH_ERR_POLICY_INVALID, "platforms.snp.host_data[0]" },
	{ "snp: host_data twice", SNP_P("\"host_data\":[\"" HEX32("ab")
	  "\",\"" HEX32("AB") "\"]"), VOUCH_ERR_POLICY_INVALID,
	  "platforms.snp.host_data[1]: value already listed at [0]" },
	{ "snp: host_data empty", SNP_P("\"host_data\":[]"),
	  VOUCH_ERR_POLICY_INVALID, "platforms.snp.host_data: must be an "
	  "array of 1 to 64" },
	{ "snp: host_data string", SNP_P("\"host_data\":\"" HEX32("00")
	  "\""), VOUCH_ERR_POLICY_INVALID, "platforms.snp.host_data" },
	/* The settings of checklist #7, #8, #10-#12. */
	{ "snp: allow_provisional_firmware 1",
	  SNP_P("\"allow_provisional_firmware\":1"), VOUCH_ERR_POLICY_INVALID,
	  "platforms.snp.allow_provisional_firmware: must be true or false" },
	{ "snp: min_launch_tcb fmc on Genoa", SNP_P("\"min_launch_tcb\":{"
	  "\"Genoa\":{\"bootloader\":1,\"tee\":1,\"snp\":1,"
	  "\"microcode\":1,\"fmc\":1}}"), VOUCH_ERR_POLICY_INVALID,
	  "platforms.snp.min_launch_tcb.Genoa.fmc: unknown key" },
	{ "snp: min_launch_tcb component missing",
	  SNP_P("\"min_launch_tcb\":{\"Genoa\":{\"bootloader\":1}}"),
	  VOUCH_ERR_POLICY_INVALID, "platforms.snp.min_launch_tcb.Genoa: "
	  "missing \"tee\"" },
	{ "snp: min_firmware build missing", SNP_P("\"min_firmware\":{"
	  "\"major\":1,\"minor\":55}"), VOUCH_ERR_POLICY_INVALID,
	  "platforms.snp.min_firmware: missing \"build\"" },
	{ "snp: min_firmware 256", SNP_P("\"min_firmware\":{\"major\":256,"
	  "\"minor\":0,\"build\":0}"), VOUCH_ERR_POLICY_INVALID,
	  "platforms.snp.min_firmware.major: 256 is outside 0..255" },
	{ "snp: min_firmware string", SNP_P("\"min_firmware\":\"1.55.29\""),
	  VOUCH_ERR_POLICY_INVALID, "platforms.snp.min_firmware: must be an "
	  "object" },
	{ "snp: min_firmware unknown key", SNP_P("\"min_firmware\":{"
	  "\"major\":1,\"minor\":55,\"build\":29,\"patch\":0}"),
	  VOUCH_ERR_POLICY_INVALID, "platforms.snp.min_firmware.patch: "
	  "unknown key" },
	{ "snp: min_abi build", SNP_P("\"min_abi\":{\"major\":1,"
	  "\"minor\":51,\"build\":0}"), VOUCH_ERR_POLICY_INVALID,
	  "platforms.snp.min_abi.build: unknown key" },
	{ "snp: min_abi minor missing", SNP_P("\"min_abi\":{\"major\":1}"),
	  VOUCH_ERR_POLICY_INVALID, "platforms.snp.min_abi: missing "
	  "\"minor\"" },
	{ "snp: platform_info unknown bit", SNP_P("\"platform_info\":{"
	  "\"require\":[\"smt\"]}"), VOUCH_ERR_POLICY_INVALID,
	  "platforms.snp.platform_info.require[0]: unknown name \"smt\"" },
	{ "snp: platform_info both", SNP_P("\"platform_info\":{"
	  "\"require\":[\"ecc_en\"],\"forbid\":[\"ecc_en\"]}"),
	  VOUCH_ERR_POLICY_INVALID, "\"ecc_en\" is both required and "
	  "forbidden" },
	{ "snp: platform_info empty", SNP_P("\"platform_info\":{}"),
	  VOUCH_ERR_POLICY_INVALID, "platforms.snp.platform_info: must have" },
	{ "snp: platform_info unknown key", SNP_P("\"platform_info\":{"
	  "\"allow\":[]}"), VOUCH_ERR_POLICY_INVALID,
	  "platforms.snp.platform_info.allow: unknown key" },
	{ "snp: platform_info raw", SNP_P("\"platform_info\":37"),
	  VOUCH_ERR_POLICY_INVALID, "platforms.snp.platform_info: must be an "
	  "object" },
	{ "snp: mitigations 64", SNP_P("\"required_mitigations\":[64]"),
	  VOUCH_ERR_POLICY_INVALID, "platforms.snp.required_mitigations[0]: "
	  "64 is outside 0..63" },
	{ "snp: mitigations -1", SNP_P("\"required_mitigations\":[1,-1]"),
	  VOUCH_ERR_POLICY_INVALID, "platforms.snp.required_mitigations[1]" },
	{ "snp: mitigations twice", SNP_P("\"required_mitigations\":[3,3]"),
	  VOUCH_ERR_POLICY_INVALID, "platforms.snp.required_mitigations[1]: "
	  "bit 3 is listed twice" },
	{ "snp: mitigations mask", SNP_P("\"required_mitigations\":5"),
	  VOUCH_ERR_POLICY_INVALID, "platforms.snp.required_mitigations: must "
	  "be a non-empty array" },
	{ "snp: mitigations empty", SNP_P("\"required_mitigations\":[]"),
	  VOUCH_ERR_POLICY_INVALID, "platforms.snp.required_mitigations" },
	{ "snp: mitigations string", SNP_P("\"required_mitigations\":[\"1\"]"),
	  VOUCH_ERR_POLICY_INVALID, "platforms.snp.required_mitigations[0]: "
	  "must be a bit number" },
	{ "snp: family_id 15 bytes", SNP_P("\"family_id\":[\""
	  H8("0000") "000000000000\"]"), VOUCH_ERR_POLICY_INVALID,
	  "platforms.snp.family_id[0]: a value is exactly 16 bytes" },
	{ "snp: image_id 32 bytes", SNP_P("\"image_id\":[\"" HEX32("00")
	  "\"]"), VOUCH_ERR_POLICY_INVALID, "platforms.snp.image_id[0]: a "
	  "value is exactly 16 bytes" },
	{ "snp: image_id twice", SNP_P("\"image_id\":[\"" HEX16("ab")
	  "\",\"" HEX16("AB") "\"]"), VOUCH_ERR_POLICY_INVALID,
	  "platforms.snp.image_id[1]: value already listed at [0]" },
	{ "snp: family_id empty", SNP_P("\"family_id\":[]"),
	  VOUCH_ERR_POLICY_INVALID, "platforms.snp.family_id: must be an "
	  "array of 1 to 64" },
	{ "snp: min_guest_svn 2^32", SNP_P("\"min_guest_svn\":4294967296"),
	  VOUCH_ERR_POLICY_INVALID, "platforms.snp.min_guest_svn: 4294967296 "
	  "is outside 0..4294967295" },
	{ "snp: min_guest_svn -1", SNP_P("\"min_guest_svn\":-1"),
	  VOUCH_ERR_POLICY_INVALID, "platforms.snp.min_guest_svn" },
	{ "snp: id_key_digest 32 bytes", SNP_P("\"id_key_digest\":[\""
	  HEX32("33") "\"]"), VOUCH_ERR_POLICY_INVALID,
	  "platforms.snp.id_key_digest[0]: a value is exactly 48 bytes" },
	{ "snp: id_key_digest zero", SNP_P("\"id_key_digest\":[\"" HEX48("33")
	  "\",\"" HEX48("00") "\"]"), VOUCH_ERR_POLICY_INVALID,
	  "platforms.snp.id_key_digest[1]: all zeros means \"no key\"" },
	{ "snp: author_key_digest zero", SNP_P("\"author_key_digest\":[\""
	  HEX48("00") "\"]"), VOUCH_ERR_POLICY_INVALID,
	  "platforms.snp.author_key_digest[0]: all zeros" },
	{ "snp: require_id_block without keys",
	  SNP_P("\"require_id_block\":true"), VOUCH_ERR_POLICY_INVALID,
	  "platforms.snp.require_id_block: needs \"id_key_digest\"" },
	{ "snp: require_id_block string", SNP_P("\"require_id_block\":\"yes\""),
	  VOUCH_ERR_POLICY_INVALID, "platforms.snp.require_id_block: must be "
	  "true or false" },
	{ "snp: id_key_digests plural", SNP_P("\"id_key_digests\":[]"),
	  VOUCH_ERR_POLICY_INVALID, "platforms.snp.id_key_digests: unknown "
	  "key" },
	{ "snp: min_firmware on tdx", DOC_P("{\"tdx\":{\"min_firmware\":{}}}"),
	  VOUCH_ERR_POLICY_INVALID, "platforms.tdx.min_firmware: unknown key" },
	{ "snp setting on tdx", DOC_P("{\"tdx\":{\"max_vmpl\":0}}"),
	  VOUCH_ERR_POLICY_INVALID, "platforms.tdx.max_vmpl: unknown key" },
	{ "unknown cca key",
	  DOC_P("{\"cca\":{\"insecure_allow_debug\":false,\"x\":1}}"),
	  VOUCH_ERR_POLICY_INVALID, "platforms.cca.x: unknown key" },
	{ "unknown admission key",
	  DOC(",\"admission\":{\"lifetime\":60}"), VOUCH_ERR_POLICY_INVALID,
	  "admission.lifetime: unknown key" },
	{ "unknown key beside allOf",
	  RULE("{\"allOf\":[{\"claim\":\"debug\",\"exists\":true}],\"x\":1}"),
	  VOUCH_ERR_POLICY_INVALID, "rules.x: unknown key" },
	{ "unknown key beside anyOf",
	  RULE("{\"anyOf\":[{\"claim\":\"debug\",\"exists\":true}],"
	  "\"comment\":\"\"}"), VOUCH_ERR_POLICY_INVALID,
	  "rules.comment: unknown key" },
	{ "unknown key in a comparison",
	  RULE("{\"allOf\":[{\"claim\":\"debug\",\"exists\":true,"
	  "\"bogus\":1}]}"), VOUCH_ERR_POLICY_INVALID,
	  "rules.allOf[0].bogus: unknown key" },
	{ "misspelt operator",
	  RULE("{\"claim\":\"debug\",\"equal\":true}"),
	  VOUCH_ERR_POLICY_INVALID, "rules.equal: unknown key" },
	{ "operator case",
	  RULE("{\"claim\":\"sim.tcb_svn\",\"GreaterOrEquals\":1}"),
	  VOUCH_ERR_POLICY_INVALID, "rules.GreaterOrEquals: unknown key" },
	{ "unknown release rule key",
	  DOC(",\"release_rules\":{\"k\":{\"rule\":{\"claim\":\"debug\","
	  "\"exists\":true},\"max_release\":1}}"), VOUCH_ERR_POLICY_INVALID,
	  "release_rules.k.max_release: unknown key" },
	{ "unknown key in a release rule's rule",
	  DOC(",\"release_rules\":{\"k\":{\"rule\":{\"anyOf\":[{\"claim\":"
	  "\"debug\",\"exists\":true,\"why\":\"\"}]}}}"),
	  VOUCH_ERR_POLICY_INVALID,
	  "release_rules.k.rule.anyOf[0].why: unknown key" },
	{ "unknown key, sanitized",
	  DOC(",\"a\\u0001b\\\"c\":1"), VOUCH_ERR_POLICY_INVALID,
	  "a?b?c: unknown key" },
	/* version */
	{ "no version",
	  "{\"vouch_policy\":1,\"expires\":\"2030-01-01T00:00:00Z\","
	  "\"platforms\":{},\"measurements\":{}}", VOUCH_ERR_POLICY_INVALID,
	  "missing \"version\"" },
	{ "version 0",
	  "{\"vouch_policy\":1,\"version\":0,\"expires\":"
	  "\"2030-01-01T00:00:00Z\",\"platforms\":{},\"measurements\":{}}",
	  VOUCH_ERR_POLICY_INVALID, "version: 0 is outside" },
	{ "version -1",
	  "{\"vouch_policy\":1,\"version\":-1,\"expires\":"
	  "\"2030-01-01T00:00:00Z\",\"platforms\":{},\"measurements\":{}}",
	  VOUCH_ERR_POLICY_INVALID, "version" },
	{ "version real",
	  "{\"vouch_policy\":1,\"version\":1.5,\"expires\":"
	  "\"2030-01-01T00:00:00Z\",\"platforms\":{},\"measurements\":{}}",
	  VOUCH_ERR_POLICY_INVALID, "version: must be an integer" },
	{ "version string",
	  "{\"vouch_policy\":1,\"version\":\"1\",\"expires\":"
	  "\"2030-01-01T00:00:00Z\",\"platforms\":{},\"measurements\":{}}",
	  VOUCH_ERR_POLICY_INVALID, "version: must be an integer" },
	/* expires */
	{ "no expires",
	  "{\"vouch_policy\":1,\"version\":1,\"platforms\":{},"
	  "\"measurements\":{}}", VOUCH_ERR_POLICY_INVALID,
	  "missing \"expires\"" },
	{ "expires month 13",
	  "{\"vouch_policy\":1,\"version\":1,\"expires\":"
	  "\"2030-13-01T00:00:00Z\",\"platforms\":{},\"measurements\":{}}",
	  VOUCH_ERR_POLICY_INVALID, "expires: not an RFC 3339" },
	{ "expires date only",
	  "{\"vouch_policy\":1,\"version\":1,\"expires\":\"2030-01-01\","
	  "\"platforms\":{},\"measurements\":{}}", VOUCH_ERR_POLICY_INVALID,
	  "expires" },
	{ "expires without zone",
	  "{\"vouch_policy\":1,\"version\":1,\"expires\":"
	  "\"2030-01-01T00:00:00\",\"platforms\":{},\"measurements\":{}}",
	  VOUCH_ERR_POLICY_INVALID, "expires" },
	{ "expires Feb 30",
	  "{\"vouch_policy\":1,\"version\":1,\"expires\":"
	  "\"2030-02-30T00:00:00Z\",\"platforms\":{},\"measurements\":{}}",
	  VOUCH_ERR_POLICY_INVALID, "expires" },
	{ "expires number",
	  "{\"vouch_policy\":1,\"version\":1,\"expires\":1893456000,"
	  "\"platforms\":{},\"measurements\":{}}", VOUCH_ERR_POLICY_INVALID,
	  "expires" },
	/* platforms */
	{ "no platforms",
	  "{\"vouch_policy\":1,\"version\":1,\"expires\":"
	  "\"2030-01-01T00:00:00Z\",\"measurements\":{}}",
	  VOUCH_ERR_POLICY_INVALID, "missing \"platforms\"" },
	{ "platforms array", DOC_P("[\"sim\"]"), VOUCH_ERR_POLICY_INVALID,
	  "platforms: must be an object" },
	{ "unknown platform", DOC_P("{\"foo\":{}}"), VOUCH_ERR_POLICY_INVALID,
	  "platforms.foo: unknown platform" },
	{ "platform case", DOC_P("{\"SIM\":{}}"), VOUCH_ERR_POLICY_INVALID,
	  "platforms.SIM: unknown platform" },
	{ "platform true", DOC_P("{\"sim\":true}"), VOUCH_ERR_POLICY_INVALID,
	  "platforms.sim: must be an object" },
	{ "min_tcb_svn -1", DOC_P("{\"sim\":{\"min_tcb_svn\":-1}}"),
	  VOUCH_ERR_POLICY_INVALID, "platforms.sim.min_tcb_svn" },
	{ "min_tcb_svn string", DOC_P("{\"sim\":{\"min_tcb_svn\":\"1\"}}"),
	  VOUCH_ERR_POLICY_INVALID, "platforms.sim.min_tcb_svn" },
	{ "min_tcb_svn real", DOC_P("{\"sim\":{\"min_tcb_svn\":1.0}}"),
	  VOUCH_ERR_POLICY_INVALID, "platforms.sim.min_tcb_svn" },
	{ "insecure_allow_debug 1",
	  DOC_P("{\"sim\":{\"insecure_allow_debug\":1}}"),
	  VOUCH_ERR_POLICY_INVALID, "platforms.sim.insecure_allow_debug" },
	{ "insecure_allow_debug string",
	  DOC_P("{\"tdx\":{\"insecure_allow_debug\":\"true\"}}"),
	  VOUCH_ERR_POLICY_INVALID, "platforms.tdx.insecure_allow_debug" },
	{ "insecure_allow_debug null",
	  DOC_P("{\"sim\":{\"insecure_allow_debug\":null}}"),
	  VOUCH_ERR_POLICY_INVALID, "platforms.sim.insecure_allow_debug" },
	/* measurements */
	{ "no measurements",
	  "{\"vouch_policy\":1,\"version\":1,\"expires\":"
	  "\"2030-01-01T00:00:00Z\",\"platforms\":{}}",
	  VOUCH_ERR_POLICY_INVALID, "missing \"measurements\"" },
	{ "measurements array", DOC_M("[\"" M1 "\"]"),
	  VOUCH_ERR_POLICY_INVALID, "measurements: must be an object" },
	{ "release name space", DOC_M("{\"a b\":[\"" M1 "\"]}"),
	  VOUCH_ERR_POLICY_INVALID, "measurements.a b: a release name" },
	{ "release name empty", DOC_M("{\"\":[\"" M1 "\"]}"),
	  VOUCH_ERR_POLICY_INVALID, "a release name" },
	{ "release name 65", DOC_M("{\"" H8("abcdefgh") "x\":[\"" M1 "\"]}"),
	  VOUCH_ERR_POLICY_INVALID, "a release name" },
	{ "release name slash", DOC_M("{\"a/b\":[\"" M1 "\"]}"),
	  VOUCH_ERR_POLICY_INVALID, "a release name" },
	{ "release name UTF-8", DOC_M("{\"r\\u00e9\":[\"" M1 "\"]}"),
	  VOUCH_ERR_POLICY_INVALID, "a release name" },
	{ "release not array", DOC_M("{\"r\":\"" M1 "\"}"),
	  VOUCH_ERR_POLICY_INVALID, "measurements.r: must be a non-empty" },
	{ "release empty", DOC_M("{\"r\":[]}"), VOUCH_ERR_POLICY_INVALID,
	  "measurements.r: must be a non-empty" },
	{ "measurement number", DOC_M("{\"r\":[1]}"),
	  VOUCH_ERR_POLICY_INVALID, "measurements.r[0]: a measurement" },
	{ "measurement odd", DOC_M("{\"r\":[\"" M1 "0\"]}"),
	  VOUCH_ERR_POLICY_INVALID, "measurements.r[0]" },
	{ "measurement bad hex", DOC_M("{\"r\":[\"" M1 "\",\"" HEX48("zz")
	  "\"]}"), VOUCH_ERR_POLICY_INVALID,
	  "measurements.r[1]: bad hex" },
	{ "measurement 0x prefix", DOC_M("{\"r\":[\"0x" HEX32("00")
	  "\"]}"), VOUCH_ERR_POLICY_INVALID, "measurements.r[0]" },
	{ "measurement 31 bytes", DOC_M("{\"r\":[\"" H8("333333") "3333\"]}"),
	  VOUCH_ERR_POLICY_INVALID, "measurements.r[0]: a measurement is" },
	{ "measurement 65 bytes", DOC_M("{\"r\":[\"" HEX32("11") HEX32("11")
	  "11\"]}"), VOUCH_ERR_POLICY_INVALID,
	  "measurements.r[0]: a measurement is" },
	{ "measurement empty", DOC_M("{\"r\":[\"\"]}"),
	  VOUCH_ERR_POLICY_INVALID, "measurements.r[0]" },
	{ "measurement twice in a release",
	  DOC_M("{\"r\":[\"" M1 "\",\"" M1 "\"]}"), VOUCH_ERR_POLICY_INVALID,
	  "measurements.r[1]: measurement already listed in release \"r\"" },
	{ "measurement in two releases (case differs)",
	  DOC_M("{\"r\":[\"" M2 "\",\"" HEX32("ab") "\"],\"s\":[\"" HEX32("AB")
	  "\"]}"), VOUCH_ERR_POLICY_INVALID,
	  "measurements.s[0]: measurement already listed in release \"r\"" },
	/* admission */
	{ "admission array", DOC(",\"admission\":[]"),
	  VOUCH_ERR_POLICY_INVALID, "admission: must be an object" },
	{ "lifetime 59", DOC(",\"admission\":{\"lifetime_seconds\":59}"),
	  VOUCH_ERR_POLICY_INVALID, "admission.lifetime_seconds: 59" },
	{ "lifetime year+1",
	  DOC(",\"admission\":{\"lifetime_seconds\":31536001}"),
	  VOUCH_ERR_POLICY_INVALID, "admission.lifetime_seconds" },
	{ "lifetime string",
	  DOC(",\"admission\":{\"lifetime_seconds\":\"60\"}"),
	  VOUCH_ERR_POLICY_INVALID, "admission.lifetime_seconds" },
	/* Rule shape. */
	{ "rule array", RULE("[]"), VOUCH_ERR_POLICY_INVALID,
	  "rules: a rule must be an object" },
	{ "rule true", RULE("true"), VOUCH_ERR_POLICY_INVALID,
	  "rules: a rule must be an object" },
	{ "rule empty object", RULE("{}"), VOUCH_ERR_POLICY_INVALID,
	  "exactly one of allOf, anyOf or claim" },
	{ "allOf empty", RULE("{\"allOf\":[]}"), VOUCH_ERR_POLICY_INVALID,
	  "rules.allOf: allOf takes a non-empty array" },
	{ "anyOf empty", RULE("{\"anyOf\":[]}"), VOUCH_ERR_POLICY_INVALID,
	  "rules.anyOf: anyOf takes a non-empty array" },
	{ "allOf object", RULE("{\"allOf\":{\"claim\":\"debug\","
	  "\"exists\":true}}"), VOUCH_ERR_POLICY_INVALID, "rules.allOf" },
	{ "nested empty anyOf", RULE("{\"allOf\":[{\"claim\":\"debug\","
	  "\"exists\":true},{\"anyOf\":[]}]}"), VOUCH_ERR_POLICY_INVALID,
	  "rules.allOf[1].anyOf: anyOf takes a non-empty array" },
	{ "allOf and anyOf", RULE("{\"allOf\":[{\"claim\":\"debug\","
	  "\"exists\":true}],\"anyOf\":[{\"claim\":\"debug\","
	  "\"exists\":true}]}"), VOUCH_ERR_POLICY_INVALID, "exactly one of" },
	{ "allOf and claim", RULE("{\"allOf\":[{\"claim\":\"debug\","
	  "\"exists\":true}],\"claim\":\"debug\",\"exists\":true}"),
	  VOUCH_ERR_POLICY_INVALID, "exactly one of" },
	{ "operator without claim", RULE("{\"equals\":true}"),
	  VOUCH_ERR_POLICY_INVALID, "exactly one of" },
	{ "rule element not object",
	  RULE("{\"anyOf\":[{\"claim\":\"debug\",\"exists\":true},1]}"),
	  VOUCH_ERR_POLICY_INVALID, "rules.anyOf[1]: a rule must be" },
	/* Claim names. */
	{ "unknown claim", RULE("{\"claim\":\"nope\",\"exists\":true}"),
	  VOUCH_ERR_UNKNOWN_CLAIM, "rules.claim: unknown claim \"nope\"" },
	{ "unknown claim nested",
	  RULE("{\"allOf\":[{\"claim\":\"debug\",\"exists\":true},"
	  "{\"anyOf\":[{\"claim\":\"debug\",\"exists\":true},"
	  "{\"claim\":\"sim.tcb\",\"equals\":1}]}]}"),
	  VOUCH_ERR_UNKNOWN_CLAIM,
	  "rules.allOf[1].anyOf[1].claim: unknown claim \"sim.tcb\"" },
	{ "unknown claim in a release rule",
	  RRULE("{\"claim\":\"snp.nonexistent\",\"equals\":0}"),
	  VOUCH_ERR_UNKNOWN_CLAIM,
	  "release_rules.r.rule.claim: unknown claim \"snp.nonexistent\"" },
	{ "claim name case", RULE("{\"claim\":\"Debug\",\"exists\":true}"),
	  VOUCH_ERR_UNKNOWN_CLAIM, "\"Debug\"" },
	{ "claim name prefix", RULE("{\"claim\":\"sim.\",\"exists\":true}"),
	  VOUCH_ERR_UNKNOWN_CLAIM, "\"sim.\"" },
	{ "claim name number", RULE("{\"claim\":1,\"exists\":true}"),
	  VOUCH_ERR_POLICY_INVALID, "rules.claim: must be a string" },
	{ "claim name sanitized",
	  RULE("{\"claim\":\"x\\n\\\"y\",\"exists\":true}"),
	  VOUCH_ERR_UNKNOWN_CLAIM, "unknown claim \"x??y\"" },
	/* Operators. */
	{ "no operator", RULE("{\"claim\":\"debug\"}"),
	  VOUCH_ERR_POLICY_INVALID, "claim debug: no operator" },
	{ "two operators", RULE("{\"claim\":\"sim.tcb_svn\",\"greater\":1,"
	  "\"less\":5}"), VOUCH_ERR_POLICY_INVALID,
	  "claim sim.tcb_svn: two operators" },
	{ "exists and equals", RULE("{\"claim\":\"debug\",\"exists\":true,"
	  "\"equals\":true}"), VOUCH_ERR_POLICY_INVALID, "two operators" },
	{ "exists not bool", RULE("{\"claim\":\"debug\",\"exists\":1}"),
	  VOUCH_ERR_POLICY_INVALID, "rules.exists: exists takes true or false" },
	{ "exists string", RULE("{\"claim\":\"debug\",\"exists\":\"true\"}"),
	  VOUCH_ERR_POLICY_INVALID, "rules.exists" },
	{ "less on a string", RULE("{\"claim\":\"profile\",\"less\":1}"),
	  VOUCH_ERR_POLICY_INVALID,
	  "rules.less: less applies only to integer claims" },
	{ "greater on a bool", RULE("{\"claim\":\"debug\",\"greater\":0}"),
	  VOUCH_ERR_POLICY_INVALID, "greater applies only to integer" },
	{ "lessOrEquals on bytes",
	  RULE("{\"claim\":\"measurement\",\"lessOrEquals\":\"00\"}"),
	  VOUCH_ERR_POLICY_INVALID, "lessOrEquals applies only to integer" },
	{ "greaterOrEquals on a string",
	  RULE("{\"claim\":\"tcb.status\",\"greaterOrEquals\":\"a\"}"),
	  VOUCH_ERR_POLICY_INVALID, "greaterOrEquals applies only to integer" },
	{ "in not array", RULE("{\"claim\":\"profile\",\"in\":\"test\"}"),
	  VOUCH_ERR_POLICY_INVALID, "rules.in: in takes an array" },
	{ "in empty", RULE("{\"claim\":\"profile\",\"in\":[]}"),
	  VOUCH_ERR_POLICY_INVALID, "rules.in: in takes an array" },
	/* Value types, per claim type. */
	{ "int: string", RULE("{\"claim\":\"sim.tcb_svn\",\"equals\":\"1\"}"),
	  VOUCH_ERR_POLICY_INVALID,
	  "rules.equals: claim sim.tcb_svn is an integer" },
	{ "int: real", RULE("{\"claim\":\"sim.tcb_svn\",\"equals\":1.0}"),
	  VOUCH_ERR_POLICY_INVALID, "is an integer" },
	{ "int: bool", RULE("{\"claim\":\"sim.tcb_svn\",\"notEquals\":true}"),
	  VOUCH_ERR_POLICY_INVALID, "is an integer" },
	{ "int: null", RULE("{\"claim\":\"sim.tcb_svn\",\"less\":null}"),
	  VOUCH_ERR_POLICY_INVALID, "is an integer" },
	{ "int: in string",
	  RULE("{\"claim\":\"sim.tcb_svn\",\"in\":[1,\"2\"]}"),
	  VOUCH_ERR_POLICY_INVALID, "rules.in[1]: claim sim.tcb_svn is an "
	  "integer" },
	{ "bool: 0", RULE("{\"claim\":\"debug\",\"equals\":0}"),
	  VOUCH_ERR_POLICY_INVALID, "claim debug is a boolean" },
	{ "bool: string", RULE("{\"claim\":\"debug\",\"equals\":\"false\"}"),
	  VOUCH_ERR_POLICY_INVALID, "claim debug is a boolean" },
	{ "bool: in number", RULE("{\"claim\":\"debug\",\"in\":[true,1]}"),
	  VOUCH_ERR_POLICY_INVALID, "rules.in[1]: claim debug is a boolean" },
	{ "string: number", RULE("{\"claim\":\"profile\",\"equals\":1}"),
	  VOUCH_ERR_POLICY_INVALID, "claim profile is a string" },
	{ "string: bool", RULE("{\"claim\":\"profile\",\"notEquals\":false}"),
	  VOUCH_ERR_POLICY_INVALID, "claim profile is a string" },
	{ "string: array", RULE("{\"claim\":\"profile\",\"equals\":[\"a\"]}"),
	  VOUCH_ERR_POLICY_INVALID, "claim profile is a string" },
	{ "string: in object",
	  RULE("{\"claim\":\"platform\",\"in\":[\"sim\",{}]}"),
	  VOUCH_ERR_POLICY_INVALID, "rules.in[1]: claim platform is a string" },
	{ "bytes: number", RULE("{\"claim\":\"measurement\",\"equals\":1}"),
	  VOUCH_ERR_POLICY_INVALID, "claim measurement is a byte string" },
	{ "bytes: bad hex", RULE("{\"claim\":\"measurement\",\"equals\":"
	  "\"zz\"}"), VOUCH_ERR_POLICY_INVALID,
	  "claim measurement is a byte string: bad hex" },
	{ "bytes: odd", RULE("{\"claim\":\"host_data\",\"equals\":\"abc\"}"),
	  VOUCH_ERR_POLICY_INVALID, "claim host_data is a byte string" },
	{ "bytes: empty", RULE("{\"claim\":\"host_data\",\"equals\":\"\"}"),
	  VOUCH_ERR_POLICY_INVALID, "claim host_data is a byte string" },
	{ "bytes: in bool",
	  RULE("{\"claim\":\"chip_id\",\"in\":[\"00\",true]}"),
	  VOUCH_ERR_POLICY_INVALID, "rules.in[1]: claim chip_id is a byte" },
	/* release_rules */
	{ "release_rules array", DOC(",\"release_rules\":[]"),
	  VOUCH_ERR_POLICY_INVALID, "release_rules: must be an object" },
	{ "release rule name", DOC(",\"release_rules\":{\"a:b\":{\"rule\":"
	  "{\"claim\":\"debug\",\"exists\":true}}}"),
	  VOUCH_ERR_POLICY_INVALID, "release_rules.a:b: a release rule name" },
	{ "release rule not object", DOC(",\"release_rules\":{\"k\":[]}"),
	  VOUCH_ERR_POLICY_INVALID, "release_rules.k: must be an object" },
	{ "release rule without rule",
	  DOC(",\"release_rules\":{\"k\":{\"max_releases\":1}}"),
	  VOUCH_ERR_POLICY_INVALID, "release_rules.k: missing \"rule\"" },
	{ "max_releases 0", DOC(",\"release_rules\":{\"k\":{\"rule\":"
	  "{\"claim\":\"debug\",\"exists\":true},\"max_releases\":0}}"),
	  VOUCH_ERR_POLICY_INVALID, "release_rules.k.max_releases: 0" },
	{ "max_releases 2^31", DOC(",\"release_rules\":{\"k\":{\"rule\":"
	  "{\"claim\":\"debug\",\"exists\":true},"
	  "\"max_releases\":2147483648}}"), VOUCH_ERR_POLICY_INVALID,
	  "release_rules.k.max_releases" },
	{ "not_after bad", DOC(",\"release_rules\":{\"k\":{\"rule\":"
	  "{\"claim\":\"debug\",\"exists\":true},\"not_after\":\"soon\"}}"),
	  VOUCH_ERR_POLICY_INVALID, "release_rules.k.not_after" },
	{ "release rule's rule empty", DOC(",\"release_rules\":{\"k\":"
	  "{\"rule\":{}}}"), VOUCH_ERR_POLICY_INVALID, "release_rules.k.rule" },
};

static void
test_bad_documents(void **state)
{
	struct vouch_ctx *ctx = new_ctx();
	struct vouch_policy *pol;
	enum vouch_err rv;
	size_t i;

	for (i = 0; i < ARRAY_LEN(bad_docs); i++) {
		pol = (struct vouch_policy *)&pol;	/* must be reset */
		rv = parse(ctx, bad_docs[i].doc, &pol);
		if (rv != bad_docs[i].want) {
			fail_msg("%s: got %s (%s), want %s", bad_docs[i].name,
			    vouch_errname(rv), vouch_error(ctx),
			    vouch_errname(bad_docs[i].want));
		}
		if (pol != NULL) {
			fail_msg("%s: output not NULL on failure",
			    bad_docs[i].name);
		}
		if (strstr(vouch_error(ctx), bad_docs[i].msg) == NULL) {
			fail_msg("%s: message \"%s\" lacks \"%s\"",
			    bad_docs[i].name, vouch_error(ctx),
			    bad_docs[i].msg);
		}
	}
	vouch_ctx_free(ctx);
}

/* Every strict prefix of a valid document is rejected. */
static void
test_every_truncation_rejected(void **state)
{
	struct vouch_ctx *ctx = new_ctx();
	struct vouch_policy *pol;
	size_t n, len = strlen(full_policy);

	for (n = 0; n < len; n++) {
		pol = NULL;
		if (parse_n(ctx, full_policy, n, &pol) == VOUCH_OK) {
			fail_msg("prefix of %zu bytes accepted", n);
		}
		assert_null(pol);
	}
	vouch_ctx_free(ctx);
}

/* {"allOf":[ ... {"claim":"debug","exists":true} ... ]} at |depth|. */
static char *
nested_rule(size_t depth)
{
	static const char open[] = "{\"allOf\":[";
	static const char leaf[] = "{\"claim\":\"debug\",\"exists\":true}";
	static const char close[] = "]}";
	size_t cap = depth * (sizeof(open) + sizeof(close)) + sizeof(leaf) + 512;
	char *s = malloc(cap), *p;
	size_t i;
	int n;

	assert_non_null(s);
	n = snprintf(s, cap, "%s", "{\"vouch_policy\":1,\"version\":1,"
	    "\"expires\":\"2030-01-01T00:00:00Z\",\"platforms\":{},"
	    "\"measurements\":{},\"rules\":");
	assert_true(n > 0);
	p = s + n;
	for (i = 1; i < depth; i++) {
		memcpy(p, open, sizeof(open) - 1);
		p += sizeof(open) - 1;
	}
	memcpy(p, leaf, sizeof(leaf) - 1);
	p += sizeof(leaf) - 1;
	for (i = 1; i < depth; i++) {
		memcpy(p, close, sizeof(close) - 1);
		p += sizeof(close) - 1;
	}
	*p++ = '}';
	*p = '\0';
	return s;
}

static void
test_depth_limit(void **state)
{
	struct vouch_ctx *ctx = new_ctx();
	struct vouch_policy *pol = NULL;
	char *doc;

	doc = nested_rule(VOUCH_POLICY_MAX_DEPTH);
	assert_int_equal(parse(ctx, doc, &pol), VOUCH_OK);
	vouch_policy_free(pol);
	free(doc);

	doc = nested_rule(VOUCH_POLICY_MAX_DEPTH + 1);
	assert_int_equal(parse(ctx, doc, &pol), VOUCH_ERR_POLICY_INVALID);
	assert_null(pol);
	assert_non_null(strstr(vouch_error(ctx), "deeper than 16"));
	free(doc);

	/* Far past the limit: still a clean error, no deep recursion. */
	doc = nested_rule(200);
	assert_int_equal(parse(ctx, doc, &pol), VOUCH_ERR_POLICY_INVALID);
	free(doc);
	vouch_ctx_free(ctx);
}

/* An allOf of |n| comparisons: n + 1 rule objects. */
static char *
wide_rule(size_t n)
{
	static const char leaf[] = "{\"claim\":\"debug\",\"exists\":true},";
	size_t cap = n * sizeof(leaf) + 512, i;
	char *s = malloc(cap), *p;
	int k;

	assert_non_null(s);
	k = snprintf(s, cap, "%s", "{\"vouch_policy\":1,\"version\":1,"
	    "\"expires\":\"2030-01-01T00:00:00Z\",\"platforms\":{},"
	    "\"measurements\":{},\"rules\":{\"allOf\":[");
	assert_true(k > 0);
	p = s + k;
	for (i = 0; i < n; i++) {
		memcpy(p, leaf, sizeof(leaf) - 1);
		p += sizeof(leaf) - 1;
	}
	p[-1] = ']';	/* replaces the last comma */
	*p++ = '}';
	*p++ = '}';
	*p = '\0';
	return s;
}

static void
test_node_limit(void **state)
{
	struct vouch_ctx *ctx = new_ctx();
	struct vouch_policy *pol = NULL;
	char *doc;

	doc = wide_rule(VOUCH_POLICY_MAX_NODES - 1);
	assert_int_equal(parse(ctx, doc, &pol), VOUCH_OK);
	vouch_policy_free(pol);
	free(doc);

	doc = wide_rule(VOUCH_POLICY_MAX_NODES);
	assert_int_equal(parse(ctx, doc, &pol), VOUCH_ERR_POLICY_INVALID);
	assert_null(pol);
	assert_non_null(strstr(vouch_error(ctx),
	    "rules.allOf[255]: more than 256 rules"));
	free(doc);

	/* The limit counts "rules" and release rules together. */
	pol = must_parse(ctx, RRULE("{\"allOf\":[{\"claim\":\"debug\","
	    "\"exists\":true}]}"));
	vouch_policy_free(pol);
	vouch_ctx_free(ctx);
}

static void
test_in_limit(void **state)
{
	struct vouch_ctx *ctx = new_ctx();
	struct vouch_policy *pol = NULL;
	char doc[4096], vals[1024];
	size_t i, off;
	int n;

	for (n = VOUCH_POLICY_MAX_IN_VALUES; n <= VOUCH_POLICY_MAX_IN_VALUES + 1;
	    n++) {
		off = 0;
		for (i = 0; i < (size_t)n; i++) {
			off += (size_t)snprintf(vals + off, sizeof(vals) - off,
			    "%s%zu", i > 0 ? "," : "", i);
		}
		assert_true(snprintf(doc, sizeof(doc), "%s%s%s",
		    "{\"vouch_policy\":1,\"version\":1,\"expires\":"
		    "\"2030-01-01T00:00:00Z\",\"platforms\":{},"
		    "\"measurements\":{},\"rules\":{\"claim\":\"sim.flags\","
		    "\"in\":[", vals, "]}}") < (int)sizeof(doc));
		pol = NULL;
		assert_int_equal(parse(ctx, doc, &pol),
		    n == VOUCH_POLICY_MAX_IN_VALUES ? VOUCH_OK :
		    VOUCH_ERR_POLICY_INVALID);
		vouch_policy_free(pol);
	}
	vouch_ctx_free(ctx);
}

static void
test_size_limit(void **state)
{
	struct vouch_ctx *ctx = new_ctx();
	struct vouch_policy *pol = NULL;
	const char *base = DOC("");
	size_t blen = strlen(base), len;
	char *doc;

	/* Pad with whitespace up to the limit exactly, then one byte more. */
	for (len = VOUCH_POLICY_MAX_BYTES; len <= VOUCH_POLICY_MAX_BYTES + 1;
	    len++) {
		doc = malloc(len);
		assert_non_null(doc);
		memcpy(doc, base, blen);
		memset(doc + blen, ' ', len - blen);
		pol = NULL;
		assert_int_equal(parse_n(ctx, doc, len, &pol),
		    len == VOUCH_POLICY_MAX_BYTES ? VOUCH_OK :
		    VOUCH_ERR_TOO_LARGE);
		vouch_policy_free(pol);
		free(doc);
	}
	vouch_ctx_free(ctx);
}

static void
test_arguments(void **state)
{
	struct vouch_ctx *ctx = new_ctx();
	struct vouch_policy *pol = NULL;
	struct vouch_claims *c = std_claims();
	struct vouch_explain ex;

	assert_int_equal(vouch_policy_parse(ctx, NULL, 1, &pol),
	    VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(vouch_policy_parse(ctx, (const uint8_t *)"{}", 2,
	    NULL), VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(vouch_policy_evaluate_admission(ctx, NULL, c, &ex),
	    VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(ex.code, VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(vouch_policy_check_current(ctx, NULL),
	    VOUCH_ERR_INVALID_ARGUMENT);
	pol = must_parse(ctx, full_policy);
	assert_int_equal(vouch_policy_evaluate_admission(ctx, pol, NULL, NULL),
	    VOUCH_ERR_INVALID_ARGUMENT);
	assert_int_equal(vouch_policy_evaluate_rule(ctx, pol, NULL, c, NULL),
	    VOUCH_ERR_INVALID_ARGUMENT);
	vouch_policy_free(pol);
	vouch_policy_free(NULL);
	/* Accessors on NULL fail closed. */
	assert_false(vouch_policy_platform_is_trusted(NULL, "sim"));
	assert_false(vouch_policy_platform_allows_debug(NULL, "sim"));
	assert_null(vouch_policy_measurement_release(NULL, meas1, 48));
	assert_false(vouch_policy_release_rule_limits(NULL, "x", NULL, NULL));
	vouch_claims_free(c);
	vouch_ctx_free(ctx);
}

static void
test_accessors(void **state)
{
	struct vouch_ctx *ctx = new_ctx();
	struct vouch_policy *pol;
	int64_t v, max, na, want;

	pol = must_parse(ctx, full_policy);
	assert_int_equal(vouch_policy_version(pol), 7);
	assert_int_equal(vouch_policy_expires(pol), EXPIRES);
	assert_int_equal(vouch_policy_admission_lifetime(pol), 3600);
	assert_true(vouch_policy_platform_is_trusted(pol, "sim"));
	assert_true(vouch_policy_platform_is_trusted(pol, "snp"));
	assert_false(vouch_policy_platform_is_trusted(pol, "tdx"));
	assert_false(vouch_policy_platform_is_trusted(pol, "nvidia"));
	assert_false(vouch_policy_platform_is_trusted(pol, "sim "));
	assert_false(vouch_policy_platform_is_trusted(pol, ""));
	assert_false(vouch_policy_platform_allows_debug(pol, "sim"));
	assert_false(vouch_policy_platform_allows_debug(pol, "snp"));
	assert_true(vouch_policy_platform_min_tcb_svn(pol, "sim", &v));
	assert_int_equal(v, 2);
	assert_false(vouch_policy_platform_min_tcb_svn(pol, "snp", &v));
	assert_string_equal(vouch_policy_measurement_release(pol, meas1, 48),
	    "release-1.0");
	assert_string_equal(vouch_policy_measurement_release(pol, meas2, 48),
	    "release-1.1");
	assert_string_equal(vouch_policy_measurement_release(pol, meas3, 32),
	    "release-1.1");
	/* A prefix or an extension is not the same measurement. */
	assert_null(vouch_policy_measurement_release(pol, meas1, 47));
	assert_null(vouch_policy_measurement_release(pol, meas1, 32));
	assert_true(vouch_policy_release_rule_limits(pol, "db-key", &max, &na));
	assert_int_equal(max, 10);
	assert_true(vouch_time_parse_rfc3339("2029-06-01T00:00:00Z", &want));
	assert_int_equal(na, want);
	assert_true(vouch_policy_release_rule_limits(pol, "plain", &max, &na));
	assert_int_equal(max, 0);
	assert_int_equal(na, INT64_MAX);
	assert_false(vouch_policy_release_rule_limits(pol, "db", &max, &na));
	vouch_policy_free(pol);

	pol = must_parse(ctx, DOC_P("{\"sim\":{\"insecure_allow_debug\":true},"
	    "\"tdx\":{\"insecure_allow_debug\":true}}"));
	assert_int_equal(vouch_policy_admission_lifetime(pol),
	    VOUCH_POLICY_LIFETIME_DEFAULT);
	assert_true(vouch_policy_platform_allows_debug(pol, "sim"));
	assert_true(vouch_policy_platform_allows_debug(pol, "tdx"));
	assert_false(vouch_policy_platform_allows_debug(pol, "snp"));
	assert_false(vouch_policy_platform_min_tcb_svn(pol, "sim", &v));
	vouch_policy_free(pol);
	vouch_ctx_free(ctx);
}

static void
test_check_current(void **state)
{
	struct vouch_ctx *ctx = new_ctx();
	struct vouch_policy *pol = must_parse(ctx, full_policy);

	vouch_ctx_set_time(ctx, EXPIRES - 1);
	assert_int_equal(vouch_policy_check_current(ctx, pol), VOUCH_OK);
	vouch_ctx_set_time(ctx, EXPIRES);
	assert_int_equal(vouch_policy_check_current(ctx, pol),
	    VOUCH_ERR_POLICY_EXPIRED);
	assert_non_null(strstr(vouch_error(ctx),
	    "policy version 7 expired at 2030-01-01T00:00:00Z"));
	vouch_ctx_set_time(ctx, EXPIRES + 86400);
	assert_int_equal(vouch_policy_check_current(ctx, pol),
	    VOUCH_ERR_POLICY_EXPIRED);
	vouch_policy_free(pol);
	vouch_ctx_free(ctx);
}

/*
 * Admission.
 */

struct admit_case {
	const char	*name;
	const char	*doc;
	const char	*platform;	/* NULL: claim missing */
	const uint8_t	*m;		/* NULL: claim missing */
	size_t		 mlen;
	int		 debug;		/* -1: claim missing */
	bool		 has_tcb;
	int64_t		 tcb;
	const char	*profile;
	int64_t		 now;
	enum vouch_err	 want;
	const char	*release;	/* expected ex.release */
	const char	*claim;		/* expected ex.claim */
	const char	*text;		/* substring of ex.text */
};

static const struct admit_case admit_cases[] = {
	{ "admitted, release 1.0", full_policy, "sim", meas1, 48, 0, true, 2,
	  "test", NOW, VOUCH_OK, "release-1.0", "",
	  "admitted: platform sim, release release-1.0, policy version 7" },
	{ "admitted, release 1.1 (32 bytes)", full_policy, "sim", meas3, 32,
	  0, true, 9, "production", NOW, VOUCH_OK, "release-1.1", "",
	  "release release-1.1" },
	{ "expired", full_policy, "sim", meas1, 48, 0, true, 2, "test",
	  EXPIRES, VOUCH_ERR_POLICY_EXPIRED, "", "", "expires: policy version 7 "
	  "expired at 2030-01-01T00:00:00Z" },
	{ "expiry first", full_policy, "tdx", NULL, 0, 1, false, 0, NULL,
	  EXPIRES + 1, VOUCH_ERR_POLICY_EXPIRED, "", "", "expired" },
	{ "platform untrusted", full_policy, "tdx", meas1, 48, 0, true, 2,
	  "test", NOW, VOUCH_ERR_PLATFORM_NOT_TRUSTED, "", "platform",
	  "platforms: claim platform = \"tdx\", requires in [\"sim\", \"snp\"]" },
	{ "platform unknown name", full_policy, "nvidia\"x", meas1, 48, 0,
	  true, 2, "test", NOW, VOUCH_ERR_PLATFORM_NOT_TRUSTED, "", "platform",
	  "claim platform = \"nvidia?x\"" },
	{ "platform missing", full_policy, NULL, meas1, 48, 0, true, 2, "test",
	  NOW, VOUCH_ERR_PLATFORM_NOT_TRUSTED, "", "platform",
	  "claim platform is missing" },
	{ "no platform trusted",
	  "{\"vouch_policy\":1,\"version\":1,\"expires\":"
	  "\"2030-01-01T00:00:00Z\",\"platforms\":{},\"measurements\":{}}",
	  "sim", meas1, 48, 0, true, 2, "test", NOW,
	  VOUCH_ERR_PLATFORM_NOT_TRUSTED, "", "platform",
	  "the policy trusts no platform" },
	{ "platform before measurement", full_policy, "sgx", meas2 + 1, 40, 0,
	  true, 2, "test", NOW, VOUCH_ERR_PLATFORM_NOT_TRUSTED, "", "platform",
	  "sgx" },
	{ "tcb below min", full_policy, "sim", meas1, 48, 0, true, 1, "test",
	  NOW, VOUCH_ERR_TCB_OUT_OF_DATE, "", "sim.tcb_svn",
	  "platforms.sim.min_tcb_svn: claim sim.tcb_svn = 1, requires "
	  "greaterOrEquals 2" },
	{ "tcb negative", full_policy, "sim", meas1, 48, 0, true, -5, "test",
	  NOW, VOUCH_ERR_TCB_OUT_OF_DATE, "", "sim.tcb_svn", "= -5" },
	{ "tcb missing", full_policy, "sim", meas1, 48, 0, false, 0, "test",
	  NOW, VOUCH_ERR_TCB_OUT_OF_DATE, "", "sim.tcb_svn",
	  "claim sim.tcb_svn is missing" },
	{ "tcb before debug", full_policy, "sim", meas1, 48, 1, true, 0,
	  "test", NOW, VOUCH_ERR_TCB_OUT_OF_DATE, "", "sim.tcb_svn", "tcb" },
	{ "no min: tcb not needed", DOC(""), "sim", meas1, 48, 0, false, 0,
	  NULL, NOW, VOUCH_OK, "r", "", "admitted" },
	{ "debug without insecure_allow_debug", full_policy, "sim", meas1, 48,
	  1, true, 2, "test", NOW, VOUCH_ERR_DEBUG_ENABLED, "", "debug",
	  "platforms.sim.insecure_allow_debug: claim debug = true, requires "
	  "equals false" },
	{ "debug on snp", full_policy, "snp", meas1, 48, 1, false, 0, "test",
	  NOW, VOUCH_ERR_DEBUG_ENABLED, "", "debug",
	  "platforms.snp.insecure_allow_debug" },
	{ "debug missing", full_policy, "sim", meas1, 48, -1, true, 2, "test",
	  NOW, VOUCH_ERR_POLICY_DENIED, "", "debug",
	  "claim debug is missing" },
	{ "debug with insecure_allow_debug",
	  DOC_P("{\"sim\":{\"insecure_allow_debug\":true}}"), "sim", meas1, 48,
	  1, false, 0, NULL, NOW, VOUCH_OK, "r", "", "admitted" },
	{ "debug missing with insecure_allow_debug",
	  DOC_P("{\"sim\":{\"insecure_allow_debug\":true}}"), "sim", meas1, 48,
	  -1, false, 0, NULL, NOW, VOUCH_OK, "r", "", "admitted" },
	{ "debug false, explicitly not allowed",
	  DOC_P("{\"sim\":{\"insecure_allow_debug\":false}}"), "sim", meas1,
	  48, 0, false, 0, NULL, NOW, VOUCH_OK, "r", "", "admitted" },
	{ "measurement unknown", full_policy, "sim", meas3, 32 - 1, 0, true,
	  2, "test", NOW, VOUCH_ERR_MEASUREMENT_NOT_TRUSTED, "", "measurement",
	  "measurements: claim measurement = " H8("3333") },
	{ "measurement prefix", full_policy, "sim", meas1, 47, 0, true, 2,
	  "test", NOW, VOUCH_ERR_MEASUREMENT_NOT_TRUSTED, "", "measurement",
	  "is in none of the 2 releases" },
	{ "measurement missing", full_policy, "sim", NULL, 0, 0, true, 2,
	  "test", NOW, VOUCH_ERR_MEASUREMENT_NOT_TRUSTED, "", "measurement",
	  "claim measurement is missing" },
	{ "measurement before rules", full_policy, "sim", meas3, 31, 0, true,
	  2, NULL, NOW, VOUCH_ERR_MEASUREMENT_NOT_TRUSTED, "", "measurement",
	  "measurement" },
	{ "rules: profile", full_policy, "sim", meas2, 48, 0, true, 2, "debug",
	  NOW, VOUCH_ERR_POLICY_DENIED, "release-1.1", "profile",
	  "rules.allOf[0]: claim profile = \"debug\", requires in [\"test\", "
	  "\"production\"]" },
	{ "rules: profile missing", full_policy, "sim", meas1, 48, 0, true, 2,
	  NULL, NOW, VOUCH_ERR_POLICY_DENIED, "release-1.0", "profile",
	  "rules.allOf[0]: claim profile is missing, requires in [" },
	{ "rules: the example", RULE("{\"allOf\":[{\"claim\":\"debug\","
	  "\"equals\":false},{\"claim\":\"sim.tcb_svn\","
	  "\"greaterOrEquals\":2}]}"), "sim", meas1, 48, 0, true, 0, NULL, NOW,
	  VOUCH_ERR_POLICY_DENIED, "r", "sim.tcb_svn",
	  "rules.allOf[1]: claim sim.tcb_svn = 0, requires greaterOrEquals 2" },
	{ "empty measurements trust nothing", DOC_M("{}"), "sim", meas1, 48, 0,
	  true, 2, NULL, NOW, VOUCH_ERR_MEASUREMENT_NOT_TRUSTED, "",
	  "measurement", "none of the 0 releases" },
};

static void
test_admission(void **state)
{
	const struct admit_case *tc;
	struct vouch_ctx *ctx = new_ctx();
	struct vouch_policy *pol;
	struct vouch_claims *c;
	struct vouch_explain ex;
	enum vouch_err rv;
	size_t i;

	for (i = 0; i < ARRAY_LEN(admit_cases); i++) {
		tc = &admit_cases[i];
		pol = must_parse(ctx, tc->doc);
		c = make_claims(tc->platform, tc->m, tc->mlen, tc->debug,
		    tc->has_tcb, tc->tcb, tc->profile);
		vouch_ctx_set_time(ctx, tc->now);
		memset(&ex, 0xa5, sizeof(ex));
		rv = vouch_policy_evaluate_admission(ctx, pol, c, &ex);
		if (rv != tc->want || ex.code != tc->want) {
			fail_msg("%s: got %s / %s (%s), want %s", tc->name,
			    vouch_errname(rv), vouch_errname(ex.code), ex.text,
			    vouch_errname(tc->want));
		}
		if (strcmp(ex.release, tc->release) != 0) {
			fail_msg("%s: release \"%s\", want \"%s\"", tc->name,
			    ex.release, tc->release);
		}
		if (strcmp(ex.claim, tc->claim) != 0) {
			fail_msg("%s: claim \"%s\", want \"%s\"", tc->name,
			    ex.claim, tc->claim);
		}
		if (strstr(ex.text, tc->text) == NULL) {
			fail_msg("%s: text \"%s\" lacks \"%s\"", tc->name,
			    ex.text, tc->text);
		}
		if (rv != VOUCH_OK &&
		    strstr(vouch_error(ctx), tc->text) == NULL) {
			fail_msg("%s: context detail \"%s\" lacks \"%s\"",
			    tc->name, vouch_error(ctx), tc->text);
		}
		/* Without an explanation the answer is the same. */
		assert_int_equal(vouch_policy_evaluate_admission(ctx, pol, c,
		    NULL), tc->want);
		vouch_claims_free(c);
		vouch_policy_free(pol);
	}
	vouch_ctx_free(ctx);
}

/*
 * SEV-SNP settings on synthetic claims (test_snp.c runs the same settings
 * on verified real reports).  The defaults below satisfy SNP_FULL.
 */
struct snp_spec {
	const char	*product;	/* NULL: missing */
	const char	*key;		/* NULL: missing */
	int		 tcb[5];	/* bl, tee, snp, ucode, fmc; -1 missing */
	int64_t		 vmpl;		/* -1: missing */
	int64_t		 policy;	/* -1: missing */
	int		 host_data;	/* fill byte; -1 missing, -2 16 bytes */
};

static struct vouch_claims *
snp_claims(const struct snp_spec *sp)
{
	static const char *const parts[] = { "bootloader", "tee", "snp",
	    "microcode", "fmc" };
	struct vouch_claims *c = make_claims("snp", meas1, 48, 0, false, 0,
	    NULL);
	uint8_t hd[32];
	char name[64];
	size_t i;

	if (sp->product != NULL) {
		assert_int_equal(vouch_claims_set_string(NULL, c,
		    "snp.product", sp->product), VOUCH_OK);
	}
	if (sp->key != NULL) {
		assert_int_equal(vouch_claims_set_string(NULL, c,
		    "snp.signing_key", sp->key), VOUCH_OK);
	}
	for (i = 0; i < 5; i++) {
		if (sp->tcb[i] < 0) {
			continue;
		}
		(void)snprintf(name, sizeof(name), "snp.reported_tcb.%s",
		    parts[i]);
		assert_int_equal(vouch_claims_set_int(NULL, c, name,
		    sp->tcb[i]), VOUCH_OK);
	}
	if (sp->vmpl >= 0) {
		assert_int_equal(vouch_claims_set_int(NULL, c, "snp.vmpl",
		    sp->vmpl), VOUCH_OK);
	}
	if (sp->policy >= 0) {
		assert_int_equal(vouch_claims_set_int(NULL, c, "snp.policy",
		    sp->policy), VOUCH_OK);
	}
	/* As the verifier emits it: committed = current. */
	assert_int_equal(vouch_claims_set_bool(NULL, c,
	    "snp.provisional_firmware", false), VOUCH_OK);
	if (sp->host_data >= 0 || sp->host_data == -2) {
		memset(hd, sp->host_data >= 0 ? sp->host_data : 0, sizeof(hd));
		assert_int_equal(vouch_claims_set_bytes(NULL, c, "host_data",
		    hd, sp->host_data == -2 ? 16 : sizeof(hd)), VOUCH_OK);
	}
	return c;
}

#define SNP_OK_SPEC	{ "Milan", "vcek", { 2, 0, 5, 68, -1 }, 0, 0x30000, 0 }

struct snp_case {
	const char	*name;
	const char	*doc;
	struct snp_spec	 spec;
	enum vouch_err	 want;
	const char	*claim;
	const char	*text;
};

static const struct snp_case snp_cases[] = {
	{ "all settings hold", DOC_P(SNP_FULL), SNP_OK_SPEC, VOUCH_OK, "",
	  "admitted: platform snp" },
	{ "no settings: nothing else needed", DOC_P("{\"snp\":{}}"),
	  { NULL, NULL, { -1, -1, -1, -1, -1 }, -1, -1, -1 }, VOUCH_OK, "",
	  "admitted" },
	{ "other host_data value", DOC_P(SNP_FULL),
	  { "Milan", "vcek", { 2, 0, 5, 68, -1 }, 0, 0x30000, 0xab },
	  VOUCH_OK, "", "admitted" },
	{ "higher TCB", DOC_P(SNP_FULL),
	  { "Milan", "vcek", { 3, 1, 6, 200, -1 }, 0, 0x30000, 0 },
	  VOUCH_OK, "", "admitted" },
	{ "Turin with fmc", DOC_P(SNP_FULL),
	  { "Turin", "vcek", { 1, 1, 1, 1, 1 }, 0, 0x30000, 0 },
	  VOUCH_OK, "", "admitted" },
	/* products */
	{ "product not listed", DOC_P(SNP_FULL),
	  { "Genoa", "vcek", { 9, 9, 9, 99, -1 }, 0, 0x30000, 0 },
	  VOUCH_ERR_POLICY_DENIED, "snp.product",
	  "platforms.snp.products: claim snp.product = \"Genoa\", requires "
	  "in [\"Milan\", \"Turin\"]" },
	{ "product missing", DOC_P(SNP_FULL),
	  { NULL, "vcek", { 2, 0, 5, 68, -1 }, 0, 0x30000, 0 },
	  VOUCH_ERR_POLICY_DENIED, "snp.product",
	  "claim snp.product is missing" },
	/* signing_keys */
	{ "vlek not allowed", DOC_P(SNP_FULL),
	  { "Milan", "vlek", { 2, 0, 5, 68, -1 }, 0, 0x30000, 0 },
	  VOUCH_ERR_POLICY_DENIED, "snp.signing_key",
	  "platforms.snp.signing_keys: claim snp.signing_key = \"vlek\", "
	  "requires in [\"vcek\"]" },
	{ "signing key missing", DOC_P(SNP_FULL),
	  { "Milan", NULL, { 2, 0, 5, 68, -1 }, 0, 0x30000, 0 },
	  VOUCH_ERR_POLICY_DENIED, "snp.signing_key",
	  "claim snp.signing_key is missing" },
	/* min_tcb, each component */
	{ "bootloader below", DOC_P(SNP_FULL),
	  { "Milan", "vcek", { 1, 0, 5, 68, -1 }, 0, 0x30000, 0 },
	  VOUCH_ERR_TCB_OUT_OF_DATE, "snp.reported_tcb.bootloader",
	  "platforms.snp.min_tcb.Milan.bootloader: claim "
	  "snp.reported_tcb.bootloader = 1, requires greaterOrEquals 2" },
	{ "snp below", DOC_P(SNP_FULL),
	  { "Milan", "vcek", { 9, 9, 4, 99, -1 }, 0, 0x30000, 0 },
	  VOUCH_ERR_TCB_OUT_OF_DATE, "snp.reported_tcb.snp",
	  "snp.reported_tcb.snp = 4, requires greaterOrEquals 5" },
	{ "microcode below", DOC_P(SNP_FULL),
	  { "Milan", "vcek", { 9, 9, 9, 67, -1 }, 0, 0x30000, 0 },
	  VOUCH_ERR_TCB_OUT_OF_DATE, "snp.reported_tcb.microcode",
	  "snp.reported_tcb.microcode = 67, requires greaterOrEquals 68" },
	{ "tee below", SNP_P("\"min_tcb\":{\"Milan\":{\"bootloader\":"
	  "0,\"tee\":1,\"snp\":0,\"microcode\":0}}"),
	  SNP_OK_SPEC, VOUCH_ERR_TCB_OUT_OF_DATE, "snp.reported_tcb.tee",
	  "platforms.snp.min_tcb.Milan.tee: claim snp.reported_tcb.tee = 0" },
	{ "tcb component missing", DOC_P(SNP_FULL),
	  { "Milan", "vcek", { 2, 0, -1, 68, -1 }, 0, 0x30000, 0 },
	  VOUCH_ERR_TCB_OUT_OF_DATE, "snp.reported_tcb.snp",
	  "claim snp.reported_tcb.snp is missing, requires greaterOrEquals 5" },
	{ "Turin fmc below", DOC_P(SNP_FULL),
	  { "Turin", "vcek", { 1, 1, 1, 1, 0 }, 0, 0x30000, 0 },
	  VOUCH_ERR_TCB_OUT_OF_DATE, "snp.reported_tcb.fmc",
	  "platforms.snp.min_tcb.Turin.fmc" },
	{ "Turin fmc missing", DOC_P(SNP_FULL),
	  { "Turin", "vcek", { 1, 1, 1, 1, -1 }, 0, 0x30000, 0 },
	  VOUCH_ERR_TCB_OUT_OF_DATE, "snp.reported_tcb.fmc",
	  "claim snp.reported_tcb.fmc is missing" },
	{ "no floor for the product", SNP_P("\"min_tcb\":{\"Genoa\":{"
	  "\"bootloader\":0,\"tee\":0,\"snp\":0,\"microcode\":0}}"),
	  SNP_OK_SPEC, VOUCH_ERR_POLICY_DENIED, "snp.product",
	  "platforms.snp.min_tcb: claim snp.product = \"Milan\" has no "
	  "minimum TCB" },
	{ "min_tcb: product missing", SNP_P("\"min_tcb\":{\"Milan\":{"
	  "\"bootloader\":0,\"tee\":0,\"snp\":0,\"microcode\":0}}"),
	  { NULL, "vcek", { 2, 0, 5, 68, -1 }, 0, 0x30000, 0 },
	  VOUCH_ERR_POLICY_DENIED, "snp.product",
	  "platforms.snp.min_tcb: claim snp.product is missing" },
	/* max_vmpl */
	{ "vmpl 1 above 0", DOC_P(SNP_FULL),
	  { "Milan", "vcek", { 2, 0, 5, 68, -1 }, 1, 0x30000, 0 },
	  VOUCH_ERR_POLICY_DENIED, "snp.vmpl",
	  "platforms.snp.max_vmpl: claim snp.vmpl = 1, requires lessOrEquals "
	  "0" },
	{ "vmpl 1 within 1", SNP_P("\"max_vmpl\":1"),
	  { "Milan", "vcek", { 2, 0, 5, 68, -1 }, 1, 0x30000, 0 },
	  VOUCH_OK, "", "admitted" },
	{ "vmpl missing", DOC_P(SNP_FULL),
	  { "Milan", "vcek", { 2, 0, 5, 68, -1 }, -1, 0x30000, 0 },
	  VOUCH_ERR_POLICY_DENIED, "snp.vmpl", "claim snp.vmpl is missing" },
	/* guest_policy */
	{ "smt required, absent", DOC_P(SNP_FULL),
	  { "Milan", "vcek", { 2, 0, 5, 68, -1 }, 0, 0x20000, 0 },
	  VOUCH_ERR_POLICY_DENIED, "snp.policy",
	  "platforms.snp.guest_policy.require: claim snp.policy = 0x20000 "
	  "lacks bit 16 (smt)" },
	{ "single_socket forbidden, set", DOC_P(SNP_FULL),
	  { "Milan", "vcek", { 2, 0, 5, 68, -1 }, 0, 0x130000, 0 },
	  VOUCH_ERR_POLICY_DENIED, "snp.policy",
	  "platforms.snp.guest_policy.forbid: claim snp.policy = 0x130000 has "
	  "bit 20 (single_socket) set" },
	{ "ciphertext_hiding forbidden, set", DOC_P(SNP_FULL),
	  { "Milan", "vcek", { 2, 0, 5, 68, -1 }, 0, 0x1030000, 0 },
	  VOUCH_ERR_POLICY_DENIED, "snp.policy", "bit 24 (ciphertext_hiding)" },
	{ "single_socket required, set",
	  SNP_P("\"guest_policy\":{\"require\":[\"single_socket\"],"
	  "\"forbid\":[\"smt\"]}"),
	  { "Milan", "vcek", { 2, 0, 5, 68, -1 }, 0, 0x120000, 0 },
	  VOUCH_OK, "", "admitted" },
	{ "guest policy missing", DOC_P(SNP_FULL),
	  { "Milan", "vcek", { 2, 0, 5, 68, -1 }, 0, -1, 0 },
	  VOUCH_ERR_POLICY_DENIED, "snp.policy",
	  "claim snp.policy is missing" },
	/* host_data */
	{ "host_data not listed", DOC_P(SNP_FULL),
	  { "Milan", "vcek", { 2, 0, 5, 68, -1 }, 0, 0x30000, 0x11 },
	  VOUCH_ERR_POLICY_DENIED, "host_data",
	  "platforms.snp.host_data: claim host_data = " HEX32("11")
	  " is none of the 2 allowed values" },
	{ "host_data prefix", DOC_P(SNP_FULL),
	  { "Milan", "vcek", { 2, 0, 5, 68, -1 }, 0, 0x30000, -2 },
	  VOUCH_ERR_POLICY_DENIED, "host_data", "is none of the 2" },
	{ "host_data missing", DOC_P(SNP_FULL),
	  { "Milan", "vcek", { 2, 0, 5, 68, -1 }, 0, 0x30000, -1 },
	  VOUCH_ERR_POLICY_DENIED, "host_data", "claim host_data is missing" },
	/* The settings come before the measurement and the rules. */
	{ "settings before measurement",
	  "{\"vouch_policy\":1,\"version\":1,\"expires\":"
	  "\"2030-01-01T00:00:00Z\",\"platforms\":" SNP_FULL ","
	  "\"measurements\":{}}",
	  { "Milan", "vcek", { 2, 0, 5, 68, -1 }, 1, 0x30000, 0 },
	  VOUCH_ERR_POLICY_DENIED, "snp.vmpl", "max_vmpl" },
	/* A sim policy's settings do not apply to snp claims. */
	{ "max_vmpl with sim also trusted", DOC_P("{\"sim\":{},"
	  "\"snp\":{\"max_vmpl\":0}}"),
	  { NULL, NULL, { -1, -1, -1, -1, -1 }, 3, -1, -1 },
	  VOUCH_ERR_POLICY_DENIED, "snp.vmpl", "max_vmpl" },
};

/*
 * tdx / sgx settings (docs/policy.md §2.1.2): accept_tcb_status,
 * allowed_advisories, require_sept_ve_disable — parsing and admission.
 */
static struct vouch_claims *
dcap_claims(const char *platform, const char *status, const char *adv,
    int sept_ve)
{
	struct vouch_claims *c = vouch_claims_new();
	uint8_t m[48];

	assert_non_null(c);
	assert_true(vouch_hex_decode(M1, strlen(M1), m, sizeof(m), &(size_t){0}));
	assert_int_equal(vouch_claims_set_string(NULL, c, "platform", platform),
	    VOUCH_OK);
	assert_int_equal(vouch_claims_set_bytes(NULL, c, "measurement", m,
	    strlen(M1) / 2), VOUCH_OK);
	assert_int_equal(vouch_claims_set_bool(NULL, c, "debug", false),
	    VOUCH_OK);
	if (status != NULL) {
		assert_int_equal(vouch_claims_set_string(NULL, c, "tcb.status",
		    status), VOUCH_OK);
	}
	if (adv != NULL) {
		assert_int_equal(vouch_claims_set_string(NULL, c,
		    "tcb.advisories", adv), VOUCH_OK);
	}
	if (sept_ve >= 0) {
		assert_int_equal(vouch_claims_set_bool(NULL, c,
		    "tdx.td_attributes.sept_ve_disable", sept_ve != 0), VOUCH_OK);
	}
	return c;
}

static void
test_dcap_settings(void **state)
{
	static const struct {
		const char	*name;
		const char	*doc;
		const char	*platform;
		const char	*status;
		const char	*adv;
		int		 sept_ve;
		enum vouch_err	 want;
	} cases[] = {
		{ "uptodate", DOC_P("{\"tdx\":{}}"), "tdx", "UpToDate", "", 0,
		    VOUCH_OK },
		{ "swh refused", DOC_P("{\"tdx\":{}}"), "tdx",
		    "SWHardeningNeeded", "INTEL-SA-00615", 0,
		    VOUCH_ERR_TCB_NEEDS_POLICY },
		{ "swh accepted", DOC_P("{\"sgx\":{\"accept_tcb_status\":"
		    "[\"SWHardeningNeeded\"]}}"), "sgx", "SWHardeningNeeded",
		    "INTEL-SA-00334,INTEL-SA-00615", -1, VOUCH_OK },
		{ "other status", DOC_P("{\"sgx\":{\"accept_tcb_status\":"
		    "[\"SWHardeningNeeded\"]}}"), "sgx", "ConfigurationNeeded",
		    "", -1, VOUCH_ERR_TCB_NEEDS_POLICY },
		{ "out of date", DOC_P("{\"tdx\":{\"accept_tcb_status\":"
		    "[\"ConfigurationNeeded\"]}}"), "tdx", "OutOfDate", "", 0,
		    VOUCH_ERR_TCB_OUT_OF_DATE },
		{ "status missing", DOC_P("{\"tdx\":{}}"), "tdx", NULL, "", 0,
		    VOUCH_ERR_POLICY_DENIED },
		{ "advisory listed", DOC_P("{\"sgx\":{\"accept_tcb_status\":"
		    "[\"SWHardeningNeeded\"],\"allowed_advisories\":"
		    "[\"INTEL-SA-00334\",\"INTEL-SA-00615\"]}}"), "sgx",
		    "SWHardeningNeeded", "INTEL-SA-00334,INTEL-SA-00615", -1,
		    VOUCH_OK },
		{ "advisory not listed", DOC_P("{\"sgx\":{\"accept_tcb_status\":"
		    "[\"SWHardeningNeeded\"],\"allowed_advisories\":"
		    "[\"INTEL-SA-00334\"]}}"), "sgx", "SWHardeningNeeded",
		    "INTEL-SA-00334,INTEL-SA-00615", -1, VOUCH_ERR_POLICY_DENIED },
		{ "no advisories allowed", DOC_P("{\"tdx\":{\"allowed_advisories\""
		    ":[]}}"), "tdx", "UpToDate", "INTEL-SA-01036", 0,
		    VOUCH_ERR_POLICY_DENIED },
		{ "empty list, none", DOC_P("{\"tdx\":{\"allowed_advisories\":"
		    "[]}}"), "tdx", "UpToDate", "", 0, VOUCH_OK },
		{ "sept_ve required", DOC_P("{\"tdx\":{\"require_sept_ve_disable\""
		    ":true}}"), "tdx", "UpToDate", "", 0, VOUCH_ERR_POLICY_DENIED },
		{ "sept_ve set", DOC_P("{\"tdx\":{\"require_sept_ve_disable\":"
		    "true}}"), "tdx", "UpToDate", "", 1, VOUCH_OK },
		{ "sept_ve claim missing", DOC_P("{\"tdx\":{"
		    "\"require_sept_ve_disable\":true}}"), "tdx", "UpToDate", "",
		    -1, VOUCH_ERR_POLICY_DENIED },
	};
	static const char *const bad[] = {
		DOC_P("{\"tdx\":{\"accept_tcb_status\":[\"OutOfDate\"]}}"),
		DOC_P("{\"tdx\":{\"accept_tcb_status\":[]}}"),
		DOC_P("{\"tdx\":{\"accept_tcb_status\":[\"SWHardeningNeeded\","
		    "\"SWHardeningNeeded\"]}}"),
		DOC_P("{\"tdx\":{\"accept_tcb_status\":\"SWHardeningNeeded\"}}"),
		DOC_P("{\"tdx\":{\"allowed_advisories\":[\"intel-sa-1\"]}}"),
		DOC_P("{\"tdx\":{\"allowed_advisories\":[\"A\",\"A\"]}}"),
		DOC_P("{\"tdx\":{\"allowed_advisories\":[\"\"]}}"),
		DOC_P("{\"tdx\":{\"allowed_advisories\":\"A\"}}"),
		DOC_P("{\"sgx\":{\"require_sept_ve_disable\":true}}"),
		DOC_P("{\"tdx\":{\"require_sept_ve_disable\":1}}"),
		DOC_P("{\"tdx\":{\"min_tcb\":{}}}"),
	};
	struct vouch_ctx *ctx = new_ctx();
	struct vouch_policy *pol;
	struct vouch_claims *c;
	struct vouch_explain ex;
	enum vouch_err rv;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(cases); i++) {
		pol = must_parse(ctx, cases[i].doc);
		c = dcap_claims(cases[i].platform, cases[i].status,
		    cases[i].adv, cases[i].sept_ve);
		rv = vouch_policy_evaluate_admission(ctx, pol, c, &ex);
		if (rv != cases[i].want) {
			fail_msg("%s: got %s (%s), want %s", cases[i].name,
			    vouch_errname(rv), ex.text,
			    vouch_errname(cases[i].want));
		}
		vouch_claims_free(c);
		vouch_policy_free(pol);
	}
	for (i = 0; i < ARRAY_LEN(bad); i++) {
		pol = NULL;
		if (parse(ctx, bad[i], &pol) != VOUCH_ERR_POLICY_INVALID) {
			fail_msg("bad %zu parsed: %s", i, bad[i]);
		}
		assert_null(pol);
	}
	/* What `vouch evidence verify --policy` relaxes in the verifier. */
	pol = must_parse(ctx, DOC_P("{\"sgx\":{\"accept_tcb_status\":"
	    "[\"ConfigurationNeeded\"]}}"));
	assert_true(vouch_policy_dcap_accepts(pol, "sgx", "ConfigurationNeeded"));
	assert_false(vouch_policy_dcap_accepts(pol, "sgx", "SWHardeningNeeded"));
	assert_false(vouch_policy_dcap_accepts(pol, "tdx", "ConfigurationNeeded"));
	assert_false(vouch_policy_dcap_accepts(pol, "snp", "ConfigurationNeeded"));
	vouch_policy_free(pol);
	vouch_ctx_free(ctx);
}

static void
test_snp_settings(void **state)
{
	const struct snp_case *tc;
	struct vouch_ctx *ctx = new_ctx();
	struct vouch_policy *pol;
	struct vouch_claims *c;
	struct vouch_explain ex;
	enum vouch_err rv;
	size_t i;

	for (i = 0; i < ARRAY_LEN(snp_cases); i++) {
		tc = &snp_cases[i];
		pol = must_parse(ctx, tc->doc);
		c = snp_claims(&tc->spec);
		rv = vouch_policy_evaluate_admission(ctx, pol, c, &ex);
		if (rv != tc->want || ex.code != tc->want) {
			fail_msg("%s: got %s (%s), want %s", tc->name,
			    vouch_errname(rv), ex.text,
			    vouch_errname(tc->want));
		}
		if (strcmp(ex.claim, tc->claim) != 0) {
			fail_msg("%s: claim \"%s\", want \"%s\"", tc->name,
			    ex.claim, tc->claim);
		}
		if (strstr(ex.text, tc->text) == NULL) {
			fail_msg("%s: text \"%s\" lacks \"%s\"", tc->name,
			    ex.text, tc->text);
		}
		vouch_claims_free(c);
		vouch_policy_free(pol);
	}
	/* A sim claim set under the snp policy: the platform is sim. */
	pol = must_parse(ctx, DOC_P("{\"sim\":{},\"snp\":{\"max_vmpl\":0}}"));
	c = std_claims();
	assert_int_equal(vouch_policy_evaluate_admission(ctx, pol, c, &ex),
	    VOUCH_OK);
	vouch_claims_free(c);
	vouch_policy_free(pol);
	vouch_ctx_free(ctx);
}

/*
 * The settings of checklist §1.1 #7, #8, #10-#12 on synthetic claims:
 * more_base[] satisfies SNP_MORE; each case changes a few claims
 * ("name=value", ";"-separated; "-name" removes it) and expects a verdict.
 * Values: integers (0x...), true/false, "s:" strings, "b:NN*K" K bytes NN.
 */
static const char *const more_base[] = {
	"snp.product=s:Milan",
	"snp.launch_tcb.bootloader=2", "snp.launch_tcb.tee=0",
	"snp.launch_tcb.snp=5", "snp.launch_tcb.microcode=68",
	"snp.committed_tcb.bootloader=2", "snp.committed_tcb.tee=0",
	"snp.committed_tcb.snp=5", "snp.committed_tcb.microcode=68",
	"snp.current_tcb.bootloader=2", "snp.current_tcb.tee=0",
	"snp.current_tcb.snp=5", "snp.current_tcb.microcode=68",
	"snp.current_version.major=1", "snp.current_version.minor=55",
	"snp.current_version.build=29", "snp.committed_version.major=1",
	"snp.committed_version.minor=55", "snp.committed_version.build=29",
	"snp.provisional_firmware=false",
	"snp.policy.abi_major=1", "snp.policy.abi_minor=51",
	"snp.platform_info=0x25",
	"snp.current_mit_vector=0x5", "snp.launch_mit_vector=0x7",
	"snp.family_id=b:11*16", "snp.image_id=b:22*16", "snp.guest_svn=3",
	"snp.id_key_digest=b:33*48", "snp.author_key_en=true",
	"snp.author_key_digest=b:44*48",
};

/* Does |change| (the ';'-list) mention claim |name|? */
static bool
more_changed(const char *change, const char *name)
{
	const char *p = change;
	size_t n = strlen(name);

	while ((p = strstr(p, name)) != NULL) {
		if ((p == change || p[-1] == ';' || p[-1] == '-') &&
		    (p[n] == '=' || p[n] == ';' || p[n] == '\0')) {
			return true;
		}
		p += n;
	}
	return false;
}

/* Set one "name=value" claim. */
static void
more_set(struct vouch_claims *c, const char *item, size_t len)
{
	char buf[128], *eq, *v, *end;
	uint8_t bytes[64];
	unsigned long b, k;

	assert_true(len < sizeof(buf));
	memcpy(buf, item, len);
	buf[len] = '\0';
	if (buf[0] == '-') {
		return;
	}
	eq = strchr(buf, '=');
	assert_non_null(eq);
	*eq = '\0';
	v = eq + 1;
	if (strncmp(v, "s:", 2) == 0) {
		assert_int_equal(vouch_claims_set_string(NULL, c, buf, v + 2),
		    VOUCH_OK);
	} else if (strncmp(v, "b:", 2) == 0) {
		/* "b:XX*N": N bytes of value 0xXX. */
		b = strtoul(v + 2, &end, 16);
		assert_true(end != v + 2 && *end == '*' && b <= 0xff);
		v = end + 1;
		k = strtoul(v, &end, 10);
		assert_true(end != v && *end == '\0');
		assert_true(k <= sizeof(bytes));
		memset(bytes, (int)b, k);
		assert_int_equal(vouch_claims_set_bytes(NULL, c, buf, bytes, k),
		    VOUCH_OK);
	} else if (strcmp(v, "true") == 0 || strcmp(v, "false") == 0) {
		assert_int_equal(vouch_claims_set_bool(NULL, c, buf,
		    v[0] == 't'), VOUCH_OK);
	} else {
		assert_int_equal(vouch_claims_set_int(NULL, c, buf,
		    (int64_t)strtoull(v, NULL, 0)), VOUCH_OK);
	}
}

static struct vouch_claims *
more_claims(const char *change)
{
	struct vouch_claims *c = make_claims("snp", meas1, 48, 0, false, 0,
	    NULL);
	const char *p, *e;
	size_t i, n;

	for (i = 0; i < ARRAY_LEN(more_base); i++) {
		n = strcspn(more_base[i], "=");
		{
			char name[96];

			assert_true(n < sizeof(name));
			memcpy(name, more_base[i], n);
			name[n] = '\0';
			if (more_changed(change, name)) {
				continue;
			}
		}
		more_set(c, more_base[i], strlen(more_base[i]));
	}
	for (p = change; *p != '\0'; p = *e == ';' ? e + 1 : e) {
		e = p + strcspn(p, ";");
		more_set(c, p, (size_t)(e - p));
	}
	return c;
}

struct more_case {
	const char	*name;
	const char	*doc;
	const char	*change;
	enum vouch_err	 want;
	const char	*claim;
	const char	*text;
};

static const struct more_case more_cases[] = {
	{ "all hold", SNP_MORE, "", VOUCH_OK, "", "admitted: platform snp" },
	/* #7: provisional firmware */
	{ "provisional refused", SNP_MORE, "snp.committed_tcb.microcode=67;"
	  "snp.provisional_firmware=true", VOUCH_ERR_TCB_MISMATCH,
	  "snp.committed_tcb.microcode",
	  "platforms.snp.allow_provisional_firmware: claim "
	  "snp.committed_tcb.microcode = 67, snp.current_tcb.microcode = 68: "
	  "provisional firmware, requires committed equals current "
	  "(allow_provisional_firmware is not set)" },
	{ "provisional firmware version refused", SNP_MORE,
	  "snp.committed_version.build=28;snp.provisional_firmware=true",
	  VOUCH_ERR_TCB_MISMATCH, "snp.committed_version.build",
	  "claim snp.committed_version.build = 28, "
	  "snp.current_version.build = 29" },
	{ "provisional, component claims missing", SNP_MORE,
	  "-snp.committed_tcb.microcode;snp.provisional_firmware=true",
	  VOUCH_ERR_TCB_MISMATCH, "snp.provisional_firmware",
	  "claim snp.provisional_firmware = true, requires equals false" },
	{ "provisional claim missing", SNP_MORE, "-snp.provisional_firmware",
	  VOUCH_ERR_TCB_MISMATCH, "snp.provisional_firmware",
	  "claim snp.provisional_firmware is missing" },
	{ "provisional allowed", SNP_P("\"allow_provisional_firmware\":true"),
	  "snp.committed_tcb.microcode=67;snp.provisional_firmware=true",
	  VOUCH_OK, "", "admitted" },
	{ "provisional allowed, claim missing",
	  SNP_P("\"allow_provisional_firmware\":true"),
	  "-snp.provisional_firmware", VOUCH_OK, "", "admitted" },
	/* #8: min_launch_tcb */
	{ "launch microcode below", SNP_MORE, "snp.launch_tcb.microcode=67",
	  VOUCH_ERR_TCB_OUT_OF_DATE, "snp.launch_tcb.microcode",
	  "platforms.snp.min_launch_tcb.Milan.microcode: claim "
	  "snp.launch_tcb.microcode = 67, requires greaterOrEquals 68" },
	{ "launch snp missing", SNP_MORE, "-snp.launch_tcb.snp",
	  VOUCH_ERR_TCB_OUT_OF_DATE, "snp.launch_tcb.snp",
	  "claim snp.launch_tcb.snp is missing, requires greaterOrEquals 5" },
	{ "launch floor for another product", SNP_MORE, "snp.product=s:Genoa",
	  VOUCH_ERR_POLICY_DENIED, "snp.product",
	  "platforms.snp.min_launch_tcb: claim snp.product = \"Genoa\" has no "
	  "minimum launch TCB" },
	{ "launch above, reported irrelevant", SNP_MORE,
	  "snp.launch_tcb.bootloader=9;snp.launch_tcb.microcode=200",
	  VOUCH_OK, "", "admitted" },
	/* #8: min_firmware, lexicographic on the current version */
	{ "firmware build below", SNP_MORE, "snp.current_version.build=28;"
	  "snp.committed_version.build=28", VOUCH_ERR_TCB_OUT_OF_DATE,
	  "snp.current_version.build",
	  "platforms.snp.min_firmware: claims snp.current_version."
	  "{major,minor,build} = 1.55.28, requires greaterOrEquals 1.55.29" },
	{ "firmware minor above, build lower", SNP_MORE,
	  "snp.current_version.minor=56;snp.current_version.build=0;"
	  "snp.committed_version.minor=56;snp.committed_version.build=0",
	  VOUCH_OK, "", "admitted" },
	{ "firmware major above", SNP_MORE, "snp.current_version.major=2;"
	  "snp.current_version.minor=0;snp.committed_version.major=2;"
	  "snp.committed_version.minor=0", VOUCH_OK, "", "admitted" },
	{ "firmware minor below, build higher", SNP_MORE,
	  "snp.current_version.minor=54;snp.current_version.build=99;"
	  "snp.committed_version.minor=54;snp.committed_version.build=99",
	  VOUCH_ERR_TCB_OUT_OF_DATE, "snp.current_version.minor", "1.54.99" },
	{ "firmware version missing", SNP_MORE, "-snp.current_version.major",
	  VOUCH_ERR_TCB_OUT_OF_DATE, "snp.current_version.major",
	  "claim snp.current_version.major is missing" },
	/* #10: min_abi */
	{ "abi minor below", SNP_MORE, "snp.policy.abi_minor=50",
	  VOUCH_ERR_POLICY_DENIED, "snp.policy.abi_minor",
	  "platforms.snp.min_abi: claims snp.policy.{abi_major,abi_minor} = "
	  "1.50, requires greaterOrEquals 1.51" },
	{ "abi major above", SNP_MORE, "snp.policy.abi_major=2;"
	  "snp.policy.abi_minor=0", VOUCH_OK, "", "admitted" },
	{ "abi missing", SNP_MORE, "-snp.policy.abi_minor",
	  VOUCH_ERR_POLICY_DENIED, "snp.policy.abi_minor", "is missing" },
	/* #11: platform_info */
	{ "alias check required, absent", SNP_MORE, "snp.platform_info=0x5",
	  VOUCH_ERR_POLICY_DENIED, "snp.platform_info.alias_check_complete",
	  "platforms.snp.platform_info.require: claim "
	  "snp.platform_info.alias_check_complete = false "
	  "(snp.platform_info = 0x5 lacks bit 5), requires equals true" },
	{ "tio forbidden, set", SNP_MORE, "snp.platform_info=0xa5",
	  VOUCH_ERR_POLICY_DENIED, "snp.platform_info.tio_en",
	  "platforms.snp.platform_info.forbid: claim snp.platform_info.tio_en "
	  "= true (snp.platform_info = 0xa5 has bit 7)" },
	{ "platform_info missing", SNP_MORE, "-snp.platform_info",
	  VOUCH_ERR_POLICY_DENIED, "snp.platform_info",
	  "claim snp.platform_info is missing" },
	/* #11: mitigations, current and launch */
	{ "current vector lacks bit 2", SNP_MORE, "snp.current_mit_vector=0x3",
	  VOUCH_ERR_POLICY_DENIED, "snp.current_mit_vector",
	  "platforms.snp.required_mitigations: claim snp.current_mit_vector = "
	  "0x3 lacks bit 2, requires every bit of 0x5" },
	{ "launch vector lacks bit 0", SNP_MORE, "snp.launch_mit_vector=0x6",
	  VOUCH_ERR_POLICY_DENIED, "snp.launch_mit_vector",
	  "claim snp.launch_mit_vector = 0x6 lacks bit 0" },
	{ "vectors before v5", SNP_MORE, "-snp.current_mit_vector;"
	  "-snp.launch_mit_vector", VOUCH_ERR_POLICY_DENIED,
	  "snp.current_mit_vector", "claim snp.current_mit_vector is missing "
	  "(the vectors exist from report version 5)" },
	{ "bit 63", SNP_P("\"required_mitigations\":[63]"),
	  "snp.current_mit_vector=0x8000000000000001;"
	  "snp.launch_mit_vector=0x8000000000000000", VOUCH_OK, "",
	  "admitted" },
	{ "bit 63 missing", SNP_P("\"required_mitigations\":[63]"),
	  "snp.current_mit_vector=0x7fffffffffffffff", VOUCH_ERR_POLICY_DENIED,
	  "snp.current_mit_vector", "lacks bit 63" },
	/* #12: family_id, image_id, guest_svn */
	{ "family_id other", SNP_MORE, "snp.family_id=b:12*16",
	  VOUCH_ERR_POLICY_DENIED, "snp.family_id",
	  "platforms.snp.family_id: claim snp.family_id = " HEX16("12")
	  " is none of the 1 allowed values" },
	{ "image_id second value", SNP_MORE, "snp.image_id=b:21*16", VOUCH_OK,
	  "", "admitted" },
	{ "image_id other", SNP_MORE, "snp.image_id=b:23*16",
	  VOUCH_ERR_POLICY_DENIED, "snp.image_id", "is none of the 2" },
	{ "image_id short", SNP_MORE, "snp.image_id=b:22*15",
	  VOUCH_ERR_POLICY_DENIED, "snp.image_id", "is none of the 2" },
	{ "image_id missing", SNP_MORE, "-snp.image_id",
	  VOUCH_ERR_POLICY_DENIED, "snp.image_id",
	  "claim snp.image_id is missing" },
	{ "guest_svn below", SNP_MORE, "snp.guest_svn=2",
	  VOUCH_ERR_POLICY_DENIED, "snp.guest_svn",
	  "platforms.snp.min_guest_svn: claim snp.guest_svn = 2, requires "
	  "greaterOrEquals 3" },
	{ "guest_svn above", SNP_MORE, "snp.guest_svn=4294967295", VOUCH_OK,
	  "", "admitted" },
	/* #12: ID and author keys */
	{ "no ID block", SNP_MORE, "snp.id_key_digest=b:00*48;"
	  "snp.author_key_en=false;snp.author_key_digest=b:00*48",
	  VOUCH_ERR_POLICY_DENIED, "snp.id_key_digest",
	  "platforms.snp.require_id_block: claim snp.id_key_digest = "
	  HEX48("00") " is none of the 1 allowed values (all zeros: no ID "
	  "block)" },
	{ "other ID key", SNP_MORE, "snp.id_key_digest=b:34*48",
	  VOUCH_ERR_POLICY_DENIED, "snp.id_key_digest", "none of the 1" },
	{ "ID key list alone requires it",
	  SNP_P("\"id_key_digest\":[\"" HEX48("33") "\"]"),
	  "snp.id_key_digest=b:00*48", VOUCH_ERR_POLICY_DENIED,
	  "snp.id_key_digest", "platforms.snp.id_key_digest: claim "
	  "snp.id_key_digest = " HEX48("00") },
	{ "ID key list alone, listed",
	  SNP_P("\"id_key_digest\":[\"" HEX48("33") "\"]"), "", VOUCH_OK, "",
	  "admitted" },
	{ "author key not enabled", SNP_MORE, "snp.author_key_en=false",
	  VOUCH_ERR_POLICY_DENIED, "snp.author_key_en",
	  "platforms.snp.author_key_digest: claim snp.author_key_en is false, "
	  "requires equals true" },
	{ "author key en missing", SNP_MORE, "-snp.author_key_en",
	  VOUCH_ERR_POLICY_DENIED, "snp.author_key_en",
	  "claim snp.author_key_en is missing" },
	{ "other author key", SNP_MORE, "snp.author_key_digest=b:45*48",
	  VOUCH_ERR_POLICY_DENIED, "snp.author_key_digest",
	  "platforms.snp.author_key_digest: claim snp.author_key_digest = "
	  HEX48("45") " is none of the 1 allowed values" },
	{ "author key unlisted without author setting",
	  SNP_P("\"id_key_digest\":[\"" HEX48("33") "\"]"),
	  "snp.author_key_digest=b:45*48", VOUCH_OK, "", "admitted" },
};

static void
test_snp_more_settings(void **state)
{
	const struct more_case *tc;
	struct vouch_ctx *ctx = new_ctx();
	struct vouch_policy *pol;
	struct vouch_claims *c;
	struct vouch_explain ex;
	enum vouch_err rv;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(more_cases); i++) {
		tc = &more_cases[i];
		pol = must_parse(ctx, tc->doc);
		c = more_claims(tc->change);
		rv = vouch_policy_evaluate_admission(ctx, pol, c, &ex);
		if (rv != tc->want || ex.code != tc->want) {
			fail_msg("%s: got %s (%s), want %s", tc->name,
			    vouch_errname(rv), ex.text,
			    vouch_errname(tc->want));
		}
		if (strcmp(ex.claim, tc->claim) != 0) {
			fail_msg("%s: claim \"%s\", want \"%s\"", tc->name,
			    ex.claim, tc->claim);
		}
		if (strstr(ex.text, tc->text) == NULL) {
			fail_msg("%s: text \"%s\" lacks \"%s\"", tc->name,
			    ex.text, tc->text);
		}
		vouch_claims_free(c);
		vouch_policy_free(pol);
	}
	/* Without the setting: refused (checklist §1.1 item 7). */
	pol = must_parse(ctx, SNP_P(""));
	c = more_claims("snp.committed_tcb.tee=0;snp.current_tcb.tee=1;"
	    "snp.provisional_firmware=true");
	assert_int_equal(vouch_policy_evaluate_admission(ctx, pol, c, &ex),
	    VOUCH_ERR_TCB_MISMATCH);
	vouch_claims_free(c);
	vouch_policy_free(pol);
	/* Explicitly false refuses, naming the component. */
	pol = must_parse(ctx, SNP_P("\"allow_provisional_firmware\":false"));
	c = more_claims("snp.committed_tcb.tee=0;snp.current_tcb.tee=1;"
	    "snp.provisional_firmware=true");
	assert_int_equal(vouch_policy_evaluate_admission(ctx, pol, c, &ex),
	    VOUCH_ERR_TCB_MISMATCH);
	assert_string_equal(ex.claim, "snp.committed_tcb.tee");
	vouch_claims_free(c);
	vouch_policy_free(pol);
	vouch_ctx_free(ctx);
}

/*
 * Operators, through a release rule, on the full claim set (platform sim,
 * measurement M1, debug false, sim.tcb_svn 3, profile "test") and on the
 * sparse one (platform only).
 */
struct op_case {
	const char	*doc;
	bool		 full;
	bool		 sparse;
};

static const struct op_case op_cases[] = {
	/* Integers. */
	{ RRULE("{\"claim\":\"sim.tcb_svn\",\"equals\":3}"), true, false },
	{ RRULE("{\"claim\":\"sim.tcb_svn\",\"equals\":4}"), false, false },
	{ RRULE("{\"claim\":\"sim.tcb_svn\",\"notEquals\":4}"), true, false },
	{ RRULE("{\"claim\":\"sim.tcb_svn\",\"notEquals\":3}"), false, false },
	{ RRULE("{\"claim\":\"sim.tcb_svn\",\"in\":[1,3]}"), true, false },
	{ RRULE("{\"claim\":\"sim.tcb_svn\",\"in\":[1,2,4]}"), false, false },
	{ RRULE("{\"claim\":\"sim.tcb_svn\",\"less\":4}"), true, false },
	{ RRULE("{\"claim\":\"sim.tcb_svn\",\"less\":3}"), false, false },
	{ RRULE("{\"claim\":\"sim.tcb_svn\",\"lessOrEquals\":3}"), true, false },
	{ RRULE("{\"claim\":\"sim.tcb_svn\",\"lessOrEquals\":2}"), false,
	  false },
	{ RRULE("{\"claim\":\"sim.tcb_svn\",\"greater\":2}"), true, false },
	{ RRULE("{\"claim\":\"sim.tcb_svn\",\"greater\":3}"), false, false },
	{ RRULE("{\"claim\":\"sim.tcb_svn\",\"greaterOrEquals\":3}"), true,
	  false },
	{ RRULE("{\"claim\":\"sim.tcb_svn\",\"greaterOrEquals\":4}"), false,
	  false },
	{ RRULE("{\"claim\":\"sim.tcb_svn\",\"greater\":-9223372036854775808}"),
	  true, false },
	{ RRULE("{\"claim\":\"sim.tcb_svn\",\"exists\":true}"), true, false },
	{ RRULE("{\"claim\":\"sim.tcb_svn\",\"exists\":false}"), false, true },
	/* An integer claim missing from both sets. */
	{ RRULE("{\"claim\":\"sim.flags\",\"equals\":0}"), false, false },
	{ RRULE("{\"claim\":\"sim.flags\",\"notEquals\":0}"), false, false },
	{ RRULE("{\"claim\":\"sim.flags\",\"in\":[0]}"), false, false },
	{ RRULE("{\"claim\":\"sim.flags\",\"less\":1}"), false, false },
	{ RRULE("{\"claim\":\"sim.flags\",\"lessOrEquals\":0}"), false, false },
	{ RRULE("{\"claim\":\"sim.flags\",\"greater\":-1}"), false, false },
	{ RRULE("{\"claim\":\"sim.flags\",\"greaterOrEquals\":0}"), false,
	  false },
	{ RRULE("{\"claim\":\"sim.flags\",\"exists\":true}"), false, false },
	{ RRULE("{\"claim\":\"sim.flags\",\"exists\":false}"), true, true },
	/* Booleans. */
	{ RRULE("{\"claim\":\"debug\",\"equals\":false}"), true, false },
	{ RRULE("{\"claim\":\"debug\",\"equals\":true}"), false, false },
	{ RRULE("{\"claim\":\"debug\",\"notEquals\":true}"), true, false },
	{ RRULE("{\"claim\":\"debug\",\"notEquals\":false}"), false, false },
	{ RRULE("{\"claim\":\"debug\",\"in\":[true,false]}"), true, false },
	{ RRULE("{\"claim\":\"debug\",\"in\":[true]}"), false, false },
	{ RRULE("{\"claim\":\"debug\",\"exists\":true}"), true, false },
	{ RRULE("{\"claim\":\"debug\",\"exists\":false}"), false, true },
	/* Strings. */
	{ RRULE("{\"claim\":\"profile\",\"equals\":\"test\"}"), true, false },
	{ RRULE("{\"claim\":\"profile\",\"equals\":\"tes\"}"), false, false },
	{ RRULE("{\"claim\":\"profile\",\"equals\":\"testx\"}"), false, false },
	{ RRULE("{\"claim\":\"profile\",\"equals\":\"TEST\"}"), false, false },
	{ RRULE("{\"claim\":\"profile\",\"notEquals\":\"production\"}"), true,
	  false },
	{ RRULE("{\"claim\":\"profile\",\"notEquals\":\"test\"}"), false,
	  false },
	{ RRULE("{\"claim\":\"profile\",\"in\":[\"a\",\"test\"]}"), true,
	  false },
	{ RRULE("{\"claim\":\"profile\",\"in\":[\"a\",\"\"]}"), false, false },
	{ RRULE("{\"claim\":\"profile\",\"exists\":false}"), false, true },
	{ RRULE("{\"claim\":\"platform\",\"equals\":\"sim\"}"), true, true },
	{ RRULE("{\"claim\":\"platform\",\"notEquals\":\"snp\"}"), true, true },
	/* Bytes. */
	{ RRULE("{\"claim\":\"measurement\",\"equals\":\"" M1 "\"}"), true,
	  false },
	{ RRULE("{\"claim\":\"measurement\",\"equals\":\"" HEX48("11")
	  "\"}"), true, false },
	{ RRULE("{\"claim\":\"measurement\",\"equals\":\"" HEX32("11")
	  "\"}"), false, false },
	{ RRULE("{\"claim\":\"measurement\",\"equals\":\"" M1 "11\"}"), false,
	  false },
	{ RRULE("{\"claim\":\"measurement\",\"equals\":\"" M2 "\"}"), false,
	  false },
	{ RRULE("{\"claim\":\"measurement\",\"notEquals\":\"" M2 "\"}"), true,
	  false },
	{ RRULE("{\"claim\":\"measurement\",\"notEquals\":\"" M1 "\"}"), false,
	  false },
	{ RRULE("{\"claim\":\"measurement\",\"in\":[\"" M2 "\",\"" M1 "\"]}"),
	  true, false },
	{ RRULE("{\"claim\":\"measurement\",\"in\":[\"" M2 "\",\"" M3 "\"]}"),
	  false, false },
	{ RRULE("{\"claim\":\"host_data\",\"notEquals\":\"00\"}"), false,
	  false },
	{ RRULE("{\"claim\":\"host_data\",\"exists\":false}"), true, true },
	/* Combinations. */
	{ RRULE("{\"allOf\":[{\"claim\":\"debug\",\"equals\":false},"
	  "{\"claim\":\"sim.tcb_svn\",\"greater\":1}]}"), true, false },
	{ RRULE("{\"allOf\":[{\"claim\":\"debug\",\"equals\":false},"
	  "{\"claim\":\"sim.tcb_svn\",\"greater\":3}]}"), false, false },
	{ RRULE("{\"anyOf\":[{\"claim\":\"debug\",\"equals\":true},"
	  "{\"claim\":\"sim.tcb_svn\",\"greater\":1}]}"), true, false },
	{ RRULE("{\"anyOf\":[{\"claim\":\"debug\",\"exists\":true},"
	  "{\"claim\":\"platform\",\"equals\":\"sim\"}]}"), true, true },
	{ RRULE("{\"anyOf\":[{\"claim\":\"debug\",\"equals\":true},"
	  "{\"claim\":\"sim.tcb_svn\",\"greater\":3}]}"), false, false },
	{ RRULE("{\"allOf\":[{\"anyOf\":[{\"claim\":\"debug\",\"equals\":true},"
	  "{\"claim\":\"profile\",\"in\":[\"test\"]}]},{\"anyOf\":[{\"claim\":"
	  "\"sim.flags\",\"exists\":false}]}]}"), true, false },
};

static void
test_operators(void **state)
{
	struct vouch_ctx *ctx = new_ctx();
	struct vouch_claims *full = std_claims(), *sparse = sparse_claims();
	struct vouch_policy *pol;
	struct vouch_explain ex;
	enum vouch_err rv;
	size_t i;

	for (i = 0; i < ARRAY_LEN(op_cases); i++) {
		pol = must_parse(ctx, op_cases[i].doc);
		rv = vouch_policy_evaluate_rule(ctx, pol, "r", full, &ex);
		if (rv != (op_cases[i].full ? VOUCH_OK :
		    VOUCH_ERR_POLICY_DENIED)) {
			fail_msg("case %zu, full claims: %s (%s)", i,
			    vouch_errname(rv), ex.text);
		}
		if (rv != VOUCH_OK && (ex.claim[0] == '\0' ||
		    strstr(ex.text, ex.claim) == NULL)) {
			fail_msg("case %zu: explanation \"%s\" lacks claim "
			    "\"%s\"", i, ex.text, ex.claim);
		}
		rv = vouch_policy_evaluate_rule(ctx, pol, "r", sparse, &ex);
		if (rv != (op_cases[i].sparse ? VOUCH_OK :
		    VOUCH_ERR_POLICY_DENIED)) {
			fail_msg("case %zu, sparse claims: %s (%s)", i,
			    vouch_errname(rv), ex.text);
		}
		vouch_policy_free(pol);
	}
	vouch_claims_free(full);
	vouch_claims_free(sparse);
	vouch_ctx_free(ctx);
}

struct explain_case {
	const char	*doc;
	const char	*path;
	const char	*claim;
	const char	*text[4];
};

static const struct explain_case explain_cases[] = {
	{ RRULE("{\"allOf\":[{\"claim\":\"debug\",\"equals\":false},"
	  "{\"claim\":\"sim.tcb_svn\",\"greaterOrEquals\":5}]}"),
	  "release_rules.r.rule.allOf[1]", "sim.tcb_svn",
	  { "release_rules.r.rule.allOf[1]: claim sim.tcb_svn = 3, requires "
	    "greaterOrEquals 5" } },
	{ RRULE("{\"anyOf\":[{\"claim\":\"profile\",\"equals\":"
	  "\"production\"},{\"claim\":\"sim.tcb_svn\",\"greater\":10}]}"),
	  "release_rules.r.rule.anyOf[0]", "profile",
	  { "release_rules.r.rule: all 2 branches of anyOf failed (",
	    "anyOf[0]: claim profile = \"test\", requires equals "
	    "\"production\"; ",
	    "anyOf[1]: claim sim.tcb_svn = 3, requires greater 10)" } },
	{ RRULE("{\"claim\":\"sim.flags\",\"equals\":0}"),
	  "release_rules.r.rule", "sim.flags",
	  { "release_rules.r.rule: claim sim.flags is missing, requires "
	    "equals 0" } },
	{ RRULE("{\"claim\":\"debug\",\"exists\":false}"),
	  "release_rules.r.rule", "debug",
	  { "claim debug = false, requires exists false" } },
	{ RRULE("{\"claim\":\"measurement\",\"in\":[\"" M2 "\",\"" M3 "\"]}"),
	  "release_rules.r.rule", "measurement",
	  { "claim measurement = " M1 ", requires in [" M2 ", " M3 "]" } },
	/* Nested: the anyOf's own failure inside an allOf. */
	{ RRULE("{\"allOf\":[{\"claim\":\"debug\",\"equals\":false},"
	  "{\"anyOf\":[{\"claim\":\"chip_id\",\"exists\":true},"
	  "{\"allOf\":[{\"claim\":\"platform\",\"equals\":\"sim\"},"
	  "{\"claim\":\"profile\",\"notEquals\":\"test\"}]}]}]}"),
	  "release_rules.r.rule.allOf[1].anyOf[0]", "chip_id",
	  { "release_rules.r.rule.allOf[1]: all 2 branches of anyOf failed",
	    "anyOf[0]: claim chip_id is missing, requires exists true",
	    "anyOf[1].allOf[1]: claim profile = \"test\", requires notEquals "
	    "\"test\"" } },
	/* A branch that failed before one held leaves no trace. */
	{ RRULE("{\"allOf\":[{\"anyOf\":[{\"claim\":\"chip_id\","
	  "\"exists\":true},{\"claim\":\"debug\",\"equals\":false}]},"
	  "{\"claim\":\"sim.tcb_svn\",\"less\":0}]}"),
	  "release_rules.r.rule.allOf[1]", "sim.tcb_svn",
	  { "release_rules.r.rule.allOf[1]: claim sim.tcb_svn = 3, requires "
	    "less 0" } },
};

static void
test_explanations(void **state)
{
	const struct explain_case *tc;
	struct vouch_ctx *ctx = new_ctx();
	struct vouch_claims *c = std_claims();
	struct vouch_policy *pol;
	struct vouch_explain ex;
	size_t i, k;

	for (i = 0; i < ARRAY_LEN(explain_cases); i++) {
		tc = &explain_cases[i];
		pol = must_parse(ctx, tc->doc);
		assert_int_equal(vouch_policy_evaluate_rule(ctx, pol, "r", c,
		    &ex), VOUCH_ERR_POLICY_DENIED);
		if (strcmp(ex.path, tc->path) != 0 ||
		    strcmp(ex.claim, tc->claim) != 0) {
			fail_msg("case %zu: path \"%s\" claim \"%s\"", i,
			    ex.path, ex.claim);
		}
		for (k = 0; k < ARRAY_LEN(tc->text) && tc->text[k] != NULL;
		    k++) {
			if (strstr(ex.text, tc->text[k]) == NULL) {
				fail_msg("case %zu: \"%s\" lacks \"%s\"", i,
				    ex.text, tc->text[k]);
			}
		}
		/* The message is there only when something failed. */
		assert_null(strstr(ex.text, "holds"));
		vouch_policy_free(pol);
	}
	/* The branch that held in the last case hides the one that did not. */
	assert_null(strstr(ex.text, "chip_id"));
	vouch_claims_free(c);
	vouch_ctx_free(ctx);
}

/* An anyOf whose explanation cannot fit is cut, not overrun. */
static void
test_explanation_bounded(void **state)
{
	struct vouch_ctx *ctx = new_ctx();
	struct vouch_claims *c;
	struct vouch_policy *pol;
	struct vouch_explain ex;
	uint8_t big[VOUCH_CLAIM_BYTES_MAX];
	char *doc, *p;
	size_t cap, i;
	int n;

	memset(big, 0xcd, sizeof(big));
	c = make_claims("sim", meas1, 48, 0, true, 3, "test");
	assert_int_equal(vouch_claims_set_bytes(NULL, c, "host_data", big,
	    sizeof(big)), VOUCH_OK);
	cap = 64 * (2 * 200 + 64) + 1024;
	doc = malloc(cap);
	assert_non_null(doc);
	n = snprintf(doc, cap, "%s", "{\"vouch_policy\":1,\"version\":1,"
	    "\"expires\":\"2030-01-01T00:00:00Z\",\"platforms\":{},"
	    "\"measurements\":{},\"release_rules\":{\"r\":{\"rule\":"
	    "{\"anyOf\":[");
	p = doc + n;
	for (i = 0; i < 64; i++) {
		n = snprintf(p, cap - (size_t)(p - doc), "%s{\"claim\":"
		    "\"host_data\",\"equals\":\"", i > 0 ? "," : "");
		p += n;
		memset(p, 'a', 400);
		p += 400;
		n = snprintf(p, cap - (size_t)(p - doc), "\"}");
		p += n;
	}
	(void)snprintf(p, cap - (size_t)(p - doc), "]}}}}");
	pol = must_parse(ctx, doc);
	assert_int_equal(vouch_policy_evaluate_rule(ctx, pol, "r", c, &ex),
	    VOUCH_ERR_POLICY_DENIED);
	assert_int_equal(strlen(ex.text), sizeof(ex.text) - 1);
	assert_memory_equal(ex.text + sizeof(ex.text) - 4, "...", 3);
	assert_non_null(strstr(ex.text, "claim host_data = cdcd"));
	assert_non_null(strstr(ex.text, "... (4096 bytes)"));
	assert_string_equal(ex.claim, "host_data");
	vouch_policy_free(pol);
	vouch_claims_free(c);
	free(doc);
	vouch_ctx_free(ctx);
}

static void
test_release_rules(void **state)
{
	struct vouch_ctx *ctx = new_ctx();
	struct vouch_claims *c = std_claims();
	struct vouch_policy *pol = must_parse(ctx, full_policy);
	struct vouch_explain ex;
	int64_t na;

	assert_int_equal(vouch_policy_evaluate_rule(ctx, pol, "db-key", c,
	    &ex), VOUCH_OK);
	assert_int_equal(ex.code, VOUCH_OK);
	assert_non_null(strstr(ex.text, "release rule db-key holds"));
	assert_int_equal(vouch_policy_evaluate_rule(ctx, pol, "plain", c,
	    NULL), VOUCH_OK);

	/* Unknown name: default deny. */
	assert_int_equal(vouch_policy_evaluate_rule(ctx, pol, "db", c, &ex),
	    VOUCH_ERR_POLICY_DENIED);
	assert_non_null(strstr(ex.text, "no rule named \"db\""));
	assert_int_equal(vouch_policy_evaluate_rule(ctx, pol, "", c, &ex),
	    VOUCH_ERR_POLICY_DENIED);

	/* not_after: the rule ends, the policy does not. */
	assert_true(vouch_time_parse_rfc3339("2029-06-01T00:00:00Z", &na));
	vouch_ctx_set_time(ctx, na - 1);
	assert_int_equal(vouch_policy_evaluate_rule(ctx, pol, "db-key", c,
	    &ex), VOUCH_OK);
	vouch_ctx_set_time(ctx, na);
	assert_int_equal(vouch_policy_evaluate_rule(ctx, pol, "db-key", c,
	    &ex), VOUCH_ERR_POLICY_DENIED);
	assert_string_equal(ex.path, "release_rules.db-key.not_after");
	assert_non_null(strstr(ex.text, "ended at 2029-06-01T00:00:00Z"));
	assert_int_equal(vouch_policy_evaluate_rule(ctx, pol, "plain", c,
	    &ex), VOUCH_OK);

	/* An expired policy releases nothing. */
	vouch_ctx_set_time(ctx, EXPIRES);
	assert_int_equal(vouch_policy_evaluate_rule(ctx, pol, "plain", c,
	    &ex), VOUCH_ERR_POLICY_EXPIRED);

	/* The rule itself. */
	vouch_claims_free(c);
	c = make_claims("sim", meas1, 48, 1, true, 3, "test");
	vouch_ctx_set_time(ctx, NOW);
	assert_int_equal(vouch_policy_evaluate_rule(ctx, pol, "db-key", c,
	    &ex), VOUCH_ERR_POLICY_DENIED);
	assert_non_null(strstr(ex.text, "release_rules.db-key.rule: claim "
	    "debug = true, requires equals false"));
	vouch_claims_free(c);
	vouch_policy_free(pol);
	vouch_ctx_free(ctx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_documents),
		cmocka_unit_test(test_bad_documents),
		cmocka_unit_test(test_every_truncation_rejected),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_node_limit),
		cmocka_unit_test(test_in_limit),
		cmocka_unit_test(test_size_limit),
		cmocka_unit_test(test_arguments),
		cmocka_unit_test(test_accessors),
		cmocka_unit_test(test_check_current),
		cmocka_unit_test(test_admission),
		cmocka_unit_test(test_snp_settings),
		cmocka_unit_test(test_dcap_settings),
		cmocka_unit_test(test_snp_more_settings),
		cmocka_unit_test(test_operators),
		cmocka_unit_test(test_explanations),
		cmocka_unit_test(test_explanation_bounded),
		cmocka_unit_test(test_release_rules),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
