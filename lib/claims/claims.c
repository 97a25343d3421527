/* SPDX-License-Identifier: Apache-2.0 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "bs/bs.h"
#include "claims/claims.h"

/*
 * Every claim name, in one table.  Normalized names first (DESIGN §3),
 * then one block per platform under its namespace.  Add rows; never
 * rename one (policies refer to them).
 */
static const struct vouch_claim_def claim_defs[] = {
	{ "platform", VOUCH_CLAIM_STRING, "platform name: sim, snp, tdx, sgx, tpm, cca" },
	{ "measurement", VOUCH_CLAIM_BYTES, "launch measurement of the workload" },
	{ "signer", VOUCH_CLAIM_BYTES, "identity of the workload's signer, where the platform has one" },
	{ "debug", VOUCH_CLAIM_BOOL, "true when the TEE runs in a debug mode" },
	{ "tcb.status", VOUCH_CLAIM_STRING, "TCB status from vendor collateral" },
	{ "report_data", VOUCH_CLAIM_BYTES, "64 bytes chosen by the workload, bound into the evidence" },
	{ "host_data", VOUCH_CLAIM_BYTES, "data chosen by the host at launch" },
	{ "chip_id", VOUCH_CLAIM_BYTES, "identifier of the attesting chip" },
	{ "root_key_id", VOUCH_CLAIM_BYTES, "SHA-256 of the trust anchor public key the evidence chained to" },
	{ "profile", VOUCH_CLAIM_STRING, "vouch build profile: debug, test, staging, production" },
	/* sim */
	{ "sim.version", VOUCH_CLAIM_INT, "sim report layout version" },
	{ "sim.flags", VOUCH_CLAIM_INT, "sim report flags word" },
	{ "sim.tcb_svn", VOUCH_CLAIM_INT, "sim TCB security version number" },
	{ "sim.time", VOUCH_CLAIM_INT, "sim report creation time, Unix seconds" },
	/* snp */
	{ "snp.version", VOUCH_CLAIM_INT, "SNP ATTESTATION_REPORT version (2, 3 or 5)" },
	{ "snp.guest_svn", VOUCH_CLAIM_INT, "SNP guest security version number" },
	{ "snp.vmpl", VOUCH_CLAIM_INT, "SNP VM privilege level that requested the report" },
	{ "snp.policy", VOUCH_CLAIM_INT, "SNP guest policy word" },
	{ "snp.policy.debug", VOUCH_CLAIM_BOOL, "SNP guest policy bit 19: DEBUG allowed" },
	{ "snp.policy.migrate_ma", VOUCH_CLAIM_BOOL, "SNP guest policy bit 18: migration agent allowed" },
	{ "snp.policy.smt", VOUCH_CLAIM_BOOL, "SNP guest policy bit 16: SMT allowed" },
	{ "snp.policy.single_socket", VOUCH_CLAIM_BOOL, "SNP guest policy bit 20: single socket only" },
	{ "snp.family_id", VOUCH_CLAIM_BYTES, "SNP FAMILY_ID from the ID block" },
	{ "snp.image_id", VOUCH_CLAIM_BYTES, "SNP IMAGE_ID from the ID block" },
	{ "snp.reported_tcb.bootloader", VOUCH_CLAIM_INT, "SNP REPORTED_TCB bootloader security patch level" },
	{ "snp.reported_tcb.tee", VOUCH_CLAIM_INT, "SNP REPORTED_TCB tee security patch level" },
	{ "snp.reported_tcb.snp", VOUCH_CLAIM_INT, "SNP REPORTED_TCB snp security patch level" },
	{ "snp.reported_tcb.microcode", VOUCH_CLAIM_INT, "SNP REPORTED_TCB microcode security patch level" },
	{ "snp.reported_tcb.fmc", VOUCH_CLAIM_INT, "SNP REPORTED_TCB FMC security patch level (Turin only)" },
	{ "snp.committed_tcb.bootloader", VOUCH_CLAIM_INT, "SNP COMMITTED_TCB bootloader security patch level" },
	{ "snp.committed_tcb.tee", VOUCH_CLAIM_INT, "SNP COMMITTED_TCB tee security patch level" },
	{ "snp.committed_tcb.snp", VOUCH_CLAIM_INT, "SNP COMMITTED_TCB snp security patch level" },
	{ "snp.committed_tcb.microcode", VOUCH_CLAIM_INT, "SNP COMMITTED_TCB microcode security patch level" },
	{ "snp.launch_tcb.bootloader", VOUCH_CLAIM_INT, "SNP LAUNCH_TCB bootloader security patch level" },
	{ "snp.launch_tcb.tee", VOUCH_CLAIM_INT, "SNP LAUNCH_TCB tee security patch level" },
	{ "snp.launch_tcb.snp", VOUCH_CLAIM_INT, "SNP LAUNCH_TCB snp security patch level" },
	{ "snp.launch_tcb.microcode", VOUCH_CLAIM_INT, "SNP LAUNCH_TCB microcode security patch level" },
	{ "snp.current_tcb.bootloader", VOUCH_CLAIM_INT, "SNP CURRENT_TCB bootloader security patch level" },
	{ "snp.current_tcb.tee", VOUCH_CLAIM_INT, "SNP CURRENT_TCB tee security patch level" },
	{ "snp.current_tcb.snp", VOUCH_CLAIM_INT, "SNP CURRENT_TCB snp security patch level" },
	{ "snp.current_tcb.microcode", VOUCH_CLAIM_INT, "SNP CURRENT_TCB microcode security patch level" },
	{ "snp.signing_key", VOUCH_CLAIM_STRING, "SNP report signing key: vcek or vlek" },
	{ "snp.product", VOUCH_CLAIM_STRING, "AMD product line of the pinned root: Milan, Genoa, Turin" },
	{ "snp.policy.abi_major", VOUCH_CLAIM_INT, "SNP guest policy bits 15:8: minimum firmware ABI major version" },
	{ "snp.policy.abi_minor", VOUCH_CLAIM_INT, "SNP guest policy bits 7:0: minimum firmware ABI minor version" },
	{ "snp.committed_tcb.fmc", VOUCH_CLAIM_INT, "SNP COMMITTED_TCB FMC security patch level (Turin only)" },
	{ "snp.launch_tcb.fmc", VOUCH_CLAIM_INT, "SNP LAUNCH_TCB FMC security patch level (Turin only)" },
	{ "snp.current_tcb.fmc", VOUCH_CLAIM_INT, "SNP CURRENT_TCB FMC security patch level (Turin only)" },
	{ "snp.current_version.major", VOUCH_CLAIM_INT, "SNP CURRENT_MAJOR: running firmware major version" },
	{ "snp.current_version.minor", VOUCH_CLAIM_INT, "SNP CURRENT_MINOR: running firmware minor version" },
	{ "snp.current_version.build", VOUCH_CLAIM_INT, "SNP CURRENT_BUILD: running firmware build" },
	{ "snp.committed_version.major", VOUCH_CLAIM_INT, "SNP COMMITTED_MAJOR: committed firmware major version" },
	{ "snp.committed_version.minor", VOUCH_CLAIM_INT, "SNP COMMITTED_MINOR: committed firmware minor version" },
	{ "snp.committed_version.build", VOUCH_CLAIM_INT, "SNP COMMITTED_BUILD: committed firmware build" },
	{ "snp.provisional_firmware", VOUCH_CLAIM_BOOL, "SNP committed TCB or firmware version is below the current one" },
	{ "snp.platform_info", VOUCH_CLAIM_INT, "SNP PLATFORM_INFO word" },
	{ "snp.platform_info.smt_en", VOUCH_CLAIM_BOOL, "SNP PLATFORM_INFO bit 0: SMT enabled on the host" },
	{ "snp.platform_info.tsme_en", VOUCH_CLAIM_BOOL, "SNP PLATFORM_INFO bit 1: TSME enabled" },
	{ "snp.platform_info.ecc_en", VOUCH_CLAIM_BOOL, "SNP PLATFORM_INFO bit 2: ECC memory in use" },
	{ "snp.platform_info.rapl_dis", VOUCH_CLAIM_BOOL, "SNP PLATFORM_INFO bit 3: RAPL disabled" },
	{ "snp.platform_info.ciphertext_hiding_en", VOUCH_CLAIM_BOOL, "SNP PLATFORM_INFO bit 4: DRAM ciphertext hiding enabled" },
	{ "snp.platform_info.alias_check_complete", VOUCH_CLAIM_BOOL, "SNP PLATFORM_INFO bit 5: memory alias check completed" },
	{ "snp.platform_info.tio_en", VOUCH_CLAIM_BOOL, "SNP PLATFORM_INFO bit 7: SEV-TIO enabled" },
	{ "snp.launch_mit_vector", VOUCH_CLAIM_INT, "SNP LAUNCH_MIT_VECTOR (report v5+), as a signed 64-bit word" },
	{ "snp.current_mit_vector", VOUCH_CLAIM_INT, "SNP CURRENT_MIT_VECTOR (report v5+), as a signed 64-bit word" },
	{ "snp.author_key_en", VOUCH_CLAIM_BOOL, "SNP AUTHOR_KEY_EN: the ID block carries an author key" },
	{ "snp.id_key_digest", VOUCH_CLAIM_BYTES, "SNP ID_KEY_DIGEST: SHA-384 of the ID block key (zero without an ID block)" },
	{ "snp.author_key_digest", VOUCH_CLAIM_BYTES, "SNP AUTHOR_KEY_DIGEST: SHA-384 of the author key (zero unless AUTHOR_KEY_EN)" },
	/* tdx, sgx: Intel DCAP (docs/tdx.md) */
	{ "tcb.advisories", VOUCH_CLAIM_STRING, "Intel security advisory IDs of the matched TCB levels, sorted, comma-separated (empty when none)" },
	{ "dcap.quote_version", VOUCH_CLAIM_INT, "DCAP quote version (3, 4 or 5)" },
	{ "dcap.qe_svn", VOUCH_CLAIM_INT, "quote header QE_SVN" },
	{ "dcap.pce_svn", VOUCH_CLAIM_INT, "quote header PCE_SVN" },
	{ "dcap.qe_isvsvn", VOUCH_CLAIM_INT, "ISVSVN of the quoting enclave's report" },
	{ "dcap.fmspc", VOUCH_CLAIM_BYTES, "FMSPC from the PCK certificate (6 bytes)" },
	{ "dcap.pceid", VOUCH_CLAIM_BYTES, "PCE-ID from the PCK certificate (2 bytes)" },
	{ "dcap.cpusvn", VOUCH_CLAIM_BYTES, "CPUSVN from the PCK certificate (16 bytes)" },
	{ "dcap.pck_pcesvn", VOUCH_CLAIM_INT, "PCESVN from the PCK certificate" },
	{ "dcap.sgx_type", VOUCH_CLAIM_INT, "SGX Type from the PCK certificate (0 Standard, 1 Scalable, 2 ScalableWithIntegrity)" },
	{ "dcap.tcb_date", VOUCH_CLAIM_STRING, "tcbDate of the matched platform TCB level (RFC 3339)" },
	{ "dcap.tcb_eval_number", VOUCH_CLAIM_INT, "tcbEvaluationDataNumber of the TCB Info used" },
	{ "dcap.platform_tcb_status", VOUCH_CLAIM_STRING, "status of the matched platform TCB level, before merging" },
	{ "dcap.qe_tcb_status", VOUCH_CLAIM_STRING, "status of the matched QE identity level" },
	{ "tdx.mrtd", VOUCH_CLAIM_BYTES, "TDX MRTD: measurement of the initial TD contents" },
	{ "tdx.rtmr0", VOUCH_CLAIM_BYTES, "TDX RTMR0 (firmware configuration)" },
	{ "tdx.rtmr1", VOUCH_CLAIM_BYTES, "TDX RTMR1 (OS loader, kernel)" },
	{ "tdx.rtmr2", VOUCH_CLAIM_BYTES, "TDX RTMR2 (OS, command line, initrd)" },
	{ "tdx.rtmr3", VOUCH_CLAIM_BYTES, "TDX RTMR3 (runtime, application)" },
	{ "tdx.mrconfigid", VOUCH_CLAIM_BYTES, "TDX MRCONFIGID: software-defined configuration id" },
	{ "tdx.mrowner", VOUCH_CLAIM_BYTES, "TDX MROWNER: software-defined owner id" },
	{ "tdx.mrownerconfig", VOUCH_CLAIM_BYTES, "TDX MROWNERCONFIG: software-defined owner configuration" },
	{ "tdx.mrseam", VOUCH_CLAIM_BYTES, "TDX MRSEAM: measurement of the TDX module" },
	{ "tdx.mrsignerseam", VOUCH_CLAIM_BYTES, "TDX MRSIGNERSEAM: signer of the TDX module (zero for Intel's)" },
	{ "tdx.seam_attributes", VOUCH_CLAIM_INT, "TDX SEAMATTRIBUTES word" },
	{ "tdx.td_attributes", VOUCH_CLAIM_INT, "TDX TDATTRIBUTES word" },
	{ "tdx.td_attributes.debug", VOUCH_CLAIM_BOOL, "TDATTRIBUTES bit 0: DEBUG" },
	{ "tdx.td_attributes.sept_ve_disable", VOUCH_CLAIM_BOOL, "TDATTRIBUTES bit 28: SEPT_VE_DISABLE" },
	{ "tdx.td_attributes.migratable", VOUCH_CLAIM_BOOL, "TDATTRIBUTES bit 29: MIGRATABLE" },
	{ "tdx.td_attributes.pks", VOUCH_CLAIM_BOOL, "TDATTRIBUTES bit 30: PKS" },
	{ "tdx.td_attributes.kl", VOUCH_CLAIM_BOOL, "TDATTRIBUTES bit 31: KL" },
	{ "tdx.td_attributes.tpa", VOUCH_CLAIM_BOOL, "TDATTRIBUTES bit 62: TPA" },
	{ "tdx.td_attributes.perfmon", VOUCH_CLAIM_BOOL, "TDATTRIBUTES bit 63: PERFMON" },
	{ "tdx.xfam", VOUCH_CLAIM_INT, "TDX XFAM: extended features available to the TD" },
	{ "tdx.tee_tcb_svn", VOUCH_CLAIM_BYTES, "TDX TEE_TCB_SVN (16 bytes)" },
	{ "tdx.tee_tcb_svn2", VOUCH_CLAIM_BYTES, "TDX 1.5 TEE_TCB_SVN2 (16 bytes)" },
	{ "tdx.mrservicetd", VOUCH_CLAIM_BYTES, "TDX 1.5 MRSERVICETD" },
	{ "tdx.module_tcb_status", VOUCH_CLAIM_STRING, "status of the matched TDX module identity level (TDX 1.5 modules)" },
	{ "tdx.ccel_replayed", VOUCH_CLAIM_BOOL, "the CC event log given was replayed and matched RTMR0-3" },
	{ "tdx.ccel_events", VOUCH_CLAIM_INT, "number of CC event log entries replayed" },
	{ "tdx.ccel.secure_boot", VOUCH_CLAIM_BOOL, "UEFI SecureBoot variable as measured into RTMR0 (replayed log)" },
	{ "tdx.ccel.kernel_cmdline", VOUCH_CLAIM_STRING, "kernel command line measured by GRUB (\"kernel_cmdline: \" event, replayed log)" },
	{ "tdx.ccel.boot_applications", VOUCH_CLAIM_BYTES, "SHA-384 digests of the EFI applications loaded, in order (replayed log)" },
	{ "sgx.mrenclave", VOUCH_CLAIM_BYTES, "SGX MRENCLAVE" },
	{ "sgx.mrsigner", VOUCH_CLAIM_BYTES, "SGX MRSIGNER" },
	{ "sgx.isv_prod_id", VOUCH_CLAIM_INT, "SGX ISVPRODID" },
	{ "sgx.isv_svn", VOUCH_CLAIM_INT, "SGX ISVSVN" },
	{ "sgx.attributes", VOUCH_CLAIM_BYTES, "SGX ATTRIBUTES (FLAGS || XFRM, 16 bytes)" },
	{ "sgx.attributes.debug", VOUCH_CLAIM_BOOL, "SGX ATTRIBUTES.DEBUG" },
	{ "sgx.attributes.mode64bit", VOUCH_CLAIM_BOOL, "SGX ATTRIBUTES.MODE64BIT" },
	{ "sgx.attributes.provision_key", VOUCH_CLAIM_BOOL, "SGX ATTRIBUTES.PROVISIONKEY" },
	{ "sgx.attributes.kss", VOUCH_CLAIM_BOOL, "SGX ATTRIBUTES.KSS" },
	{ "sgx.miscselect", VOUCH_CLAIM_INT, "SGX MISCSELECT" },
	{ "sgx.cpusvn", VOUCH_CLAIM_BYTES, "SGX CPUSVN of the enclave report" },
	{ "sgx.config_id", VOUCH_CLAIM_BYTES, "SGX CONFIGID" },
	{ "sgx.config_svn", VOUCH_CLAIM_INT, "SGX CONFIGSVN" },
	{ "sgx.isv_ext_prod_id", VOUCH_CLAIM_BYTES, "SGX ISVEXTPRODID" },
	{ "sgx.isv_family_id", VOUCH_CLAIM_BYTES, "SGX ISVFAMILYID" },
};

struct claim {
	const struct vouch_claim_def	*def;
	union {
		bool		 b;
		int64_t		 i;
		char		*s;
		struct {
			uint8_t	*p;
			size_t	 n;
		} bytes;
	} v;
};

struct vouch_claims {
	struct claim	*items;
	size_t		 n;
	size_t		 cap;
};

#define CLAIM_DEFS	(sizeof(claim_defs) / sizeof(claim_defs[0]))

/* The table sorted by name, built once, for bsearch. */
static const struct vouch_claim_def *claim_index[CLAIM_DEFS];
static pthread_once_t claim_index_once = PTHREAD_ONCE_INIT;

static int
def_cmp(const void *a, const void *b)
{
	return strcmp((*(const struct vouch_claim_def *const *)a)->name,
	    (*(const struct vouch_claim_def *const *)b)->name);
}

static void
claim_index_build(void)
{
	size_t i;

	for (i = 0; i < CLAIM_DEFS; i++) {
		claim_index[i] = &claim_defs[i];
	}
	qsort(claim_index, CLAIM_DEFS, sizeof(claim_index[0]), def_cmp);
}

const struct vouch_claim_def *
vouch_claim_def_find(const char *name)
{
	struct vouch_claim_def key = { name, VOUCH_CLAIM_BOOL, NULL };
	const struct vouch_claim_def *kp = &key;
	const struct vouch_claim_def *const *hit;

	(void)pthread_once(&claim_index_once, claim_index_build);
	hit = bsearch(&kp, claim_index, CLAIM_DEFS, sizeof(claim_index[0]),
	    def_cmp);
	return hit != NULL ? *hit : NULL;
}

const struct vouch_claim_def *
vouch_claim_def_at(size_t i)
{
	if (i >= sizeof(claim_defs) / sizeof(claim_defs[0])) {
		return NULL;
	}
	return &claim_defs[i];
}

struct vouch_claims *
vouch_claims_new(void)
{
	return calloc(1, sizeof(struct vouch_claims));
}

void
vouch_claims_free(struct vouch_claims *c)
{
	size_t i;

	if (c == NULL) {
		return;
	}
	for (i = 0; i < c->n; i++) {
		if (c->items[i].def->type == VOUCH_CLAIM_STRING) {
			free(c->items[i].v.s);
		} else if (c->items[i].def->type == VOUCH_CLAIM_BYTES) {
			free(c->items[i].v.bytes.p);
		}
	}
	free(c->items);
	free(c);
}

/* The first position whose name is not below |name| (items are sorted). */
static size_t
lower_bound(const struct vouch_claims *c, const char *name)
{
	size_t lo = 0, hi = c->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(c->items[mid].def->name, name) < 0) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return lo;
}

static const struct claim *
find(const struct vouch_claims *c, const char *name)
{
	size_t pos;

	if (c == NULL) {
		return NULL;
	}
	pos = lower_bound(c, name);
	if (pos < c->n && strcmp(c->items[pos].def->name, name) == 0) {
		return &c->items[pos];
	}
	return NULL;
}

/* Reserve a sorted slot for |name| of |type|; NULL with the error set. */
static struct claim *
slot(struct vouch_ctx *ctx, struct vouch_claims *c, const char *name,
    enum vouch_claim_type type, enum vouch_err *rv)
{
	const struct vouch_claim_def *def;
	struct claim *items;
	size_t pos;

	def = vouch_claim_def_find(name);
	if (def == NULL || def->type != type) {
		*rv = vouch_fail(ctx, VOUCH_ERR_INTERNAL,
		    "claim %s is not defined with this type", name);
		return NULL;
	}
	pos = lower_bound(c, name);
	if (pos < c->n && c->items[pos].def == def) {
		*rv = vouch_fail(ctx, VOUCH_ERR_INTERNAL, "claim %s set twice",
		    name);
		return NULL;
	}
	if (c->n >= VOUCH_CLAIMS_MAX) {
		*rv = vouch_fail(ctx, VOUCH_ERR_INTERNAL, "too many claims");
		return NULL;
	}
	if (c->n == c->cap) {
		items = vouch_reallocarray(c->items, c->cap == 0 ? 16 : c->cap * 2,
		    sizeof(*items));
		if (items == NULL) {
			*rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
			return NULL;
		}
		c->items = items;
		c->cap = c->cap == 0 ? 16 : c->cap * 2;
	}
	memmove(&c->items[pos + 1], &c->items[pos],
	    (c->n - pos) * sizeof(c->items[0]));
	memset(&c->items[pos], 0, sizeof(c->items[pos]));
	c->items[pos].def = def;
	c->n++;
	*rv = VOUCH_OK;
	return &c->items[pos];
}

enum vouch_err
vouch_claims_set_bool(struct vouch_ctx *ctx, struct vouch_claims *c,
    const char *name, bool v)
{
	enum vouch_err rv;
	struct claim *s = slot(ctx, c, name, VOUCH_CLAIM_BOOL, &rv);

	if (s != NULL) {
		s->v.b = v;
	}
	return rv;
}

enum vouch_err
vouch_claims_set_int(struct vouch_ctx *ctx, struct vouch_claims *c,
    const char *name, int64_t v)
{
	enum vouch_err rv;
	struct claim *s = slot(ctx, c, name, VOUCH_CLAIM_INT, &rv);

	if (s != NULL) {
		s->v.i = v;
	}
	return rv;
}

/* Undo the slot most recently reserved for |name| (allocation failed). */
static void
unslot(struct vouch_claims *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		if (strcmp(c->items[i].def->name, name) == 0) {
			memmove(&c->items[i], &c->items[i + 1],
			    (c->n - i - 1) * sizeof(c->items[0]));
			c->n--;
			return;
		}
	}
}

enum vouch_err
vouch_claims_set_string(struct vouch_ctx *ctx, struct vouch_claims *c,
    const char *name, const char *v)
{
	enum vouch_err rv;
	struct claim *s;
	size_t len = strnlen(v, VOUCH_CLAIM_STRING_MAX + 1);

	if (len > VOUCH_CLAIM_STRING_MAX) {
		return vouch_fail(ctx, VOUCH_ERR_INTERNAL, "claim %s too long",
		    name);
	}
	s = slot(ctx, c, name, VOUCH_CLAIM_STRING, &rv);
	if (s == NULL) {
		return rv;
	}
	s->v.s = strndup(v, len);
	if (s->v.s == NULL) {
		unslot(c, name);
		return vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
	}
	return VOUCH_OK;
}

enum vouch_err
vouch_claims_set_bytes(struct vouch_ctx *ctx, struct vouch_claims *c,
    const char *name, const uint8_t *v, size_t n)
{
	enum vouch_err rv;
	struct claim *s;

	if (n > VOUCH_CLAIM_BYTES_MAX) {
		return vouch_fail(ctx, VOUCH_ERR_INTERNAL, "claim %s too long",
		    name);
	}
	s = slot(ctx, c, name, VOUCH_CLAIM_BYTES, &rv);
	if (s == NULL) {
		return rv;
	}
	s->v.bytes.p = malloc(n == 0 ? 1 : n);
	if (s->v.bytes.p == NULL) {
		unslot(c, name);
		return vouch_fail(ctx, VOUCH_ERR_NO_MEMORY, "out of memory");
	}
	if (n > 0) {
		memcpy(s->v.bytes.p, v, n);
	}
	s->v.bytes.n = n;
	return VOUCH_OK;
}

static json_t *
claim_json(const struct claim *cl)
{
	char *hex;
	json_t *j;
	size_t cap;

	switch (cl->def->type) {
	case VOUCH_CLAIM_BOOL:
		return json_boolean(cl->v.b);
	case VOUCH_CLAIM_INT:
		return json_integer((json_int_t)cl->v.i);
	case VOUCH_CLAIM_STRING:
		return json_string(cl->v.s);
	case VOUCH_CLAIM_BYTES:
		cap = vouch_hex_encoded_len(cl->v.bytes.n) + 1;
		hex = malloc(cap);
		if (hex == NULL ||
		    !vouch_hex_encode(cl->v.bytes.p, cl->v.bytes.n, hex, cap)) {
			free(hex);
			return NULL;
		}
		j = json_string(hex);
		free(hex);
		return j;
	}
	return NULL;
}

json_t *
vouch_claims_json(const struct vouch_claims *c)
{
	json_t *obj = json_object(), *v;
	size_t i;

	if (obj == NULL) {
		return NULL;
	}
	for (i = 0; c != NULL && i < c->n; i++) {
		v = claim_json(&c->items[i]);
		if (v == NULL || json_object_set_new(obj, c->items[i].def->name,
		    v) != 0) {
			json_decref(obj);
			return NULL;
		}
	}
	return obj;
}

json_t *
vouch_claims_value_json(const struct vouch_claims *c, const char *name)
{
	const struct claim *cl = find(c, name);

	return cl != NULL ? claim_json(cl) : NULL;
}

size_t
vouch_claims_count(const struct vouch_claims *c)
{
	return c != NULL ? c->n : 0;
}

const char *
vouch_claims_name(const struct vouch_claims *c, size_t i)
{
	if (c == NULL || i >= c->n) {
		return NULL;
	}
	return c->items[i].def->name;
}

int
vouch_claims_get_bool(const struct vouch_claims *c, const char *name, int *out)
{
	const struct claim *cl = find(c, name);

	if (cl == NULL || cl->def->type != VOUCH_CLAIM_BOOL) {
		return 0;
	}
	*out = cl->v.b ? 1 : 0;
	return 1;
}

int
vouch_claims_get_int(const struct vouch_claims *c, const char *name,
    int64_t *out)
{
	const struct claim *cl = find(c, name);

	if (cl == NULL || cl->def->type != VOUCH_CLAIM_INT) {
		return 0;
	}
	*out = cl->v.i;
	return 1;
}

int
vouch_claims_get_string(const struct vouch_claims *c, const char *name,
    const char **out)
{
	const struct claim *cl = find(c, name);

	if (cl == NULL || cl->def->type != VOUCH_CLAIM_STRING) {
		return 0;
	}
	*out = cl->v.s;
	return 1;
}

int
vouch_claims_get_bytes(const struct vouch_claims *c, const char *name,
    const uint8_t **out, size_t *out_len)
{
	const struct claim *cl = find(c, name);

	if (cl == NULL || cl->def->type != VOUCH_CLAIM_BYTES) {
		return 0;
	}
	*out = cl->v.bytes.p;
	*out_len = cl->v.bytes.n;
	return 1;
}

char *
vouch_claims_to_json(const struct vouch_claims *c)
{
	json_t *j = vouch_claims_json(c);
	char *s;

	if (j == NULL) {
		return NULL;
	}
	s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	return s;
}
