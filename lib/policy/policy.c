/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The domain policy (DESIGN §6, docs/policy.md).
 *
 * Parsing turns the JSON document into fixed tables: a platform table, the
 * measurements with the index of their release, and a pool of rule nodes
 * linked by index (first child, next sibling), so that evaluation walks
 * plain data and never touches JSON.  Every key is checked against a list
 * for its position, and every error names the JSON path of the offending
 * member.  Keys quoted in messages come from the document, so they are cut
 * and reduced to printable ASCII first.
 *
 * Evaluation is default deny: every check starts out false, a missing
 * claim makes every comparison false except "exists": false, and an
 * explanation is written for each failure.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bs/bs.h"
#include "bs/json.h"
#include "claims/claims.h"
#include "crypto/crypto.h"
#include "policy/policy.h"

/* "No node" in the rule pool's links. */
#define POL_NONE		SIZE_MAX
/* Keys and string values quoted in messages are cut at this many bytes. */
#define POL_QUOTE_MAX		64
/* Byte values shown in explanations are cut at this many bytes. */
#define POL_HEX_SHOW_MAX	64
/* Values of an "in" array shown in an explanation. */
#define POL_IN_SHOW_MAX		8

enum pol_kind {
	POL_ALL_OF = 1,
	POL_ANY_OF,
	POL_CLAIM,
};

enum pol_op {
	POL_OP_EQUALS = 1,
	POL_OP_NOT_EQUALS,
	POL_OP_IN,
	POL_OP_LESS,
	POL_OP_LESS_OR_EQUALS,
	POL_OP_GREATER,
	POL_OP_GREATER_OR_EQUALS,
	POL_OP_EXISTS,
};

struct pol_op_def {
	const char	*name;
	enum pol_op	 op;
	bool		 int_only;
};

static const struct pol_op_def pol_ops[] = {
	{ "equals", POL_OP_EQUALS, false },
	{ "notEquals", POL_OP_NOT_EQUALS, false },
	{ "in", POL_OP_IN, false },
	{ "less", POL_OP_LESS, true },
	{ "lessOrEquals", POL_OP_LESS_OR_EQUALS, true },
	{ "greater", POL_OP_GREATER, true },
	{ "greaterOrEquals", POL_OP_GREATER_OR_EQUALS, true },
	{ "exists", POL_OP_EXISTS, false },
};
#define POL_NOPS	(sizeof(pol_ops) / sizeof(pol_ops[0]))

/* The platform names a policy may list; the index is the table slot. */
static const char *const pol_platform_names[] = {
	"sim", "snp", "tdx", "sgx", "tpm", "cca",
};
#define POL_NPLATFORMS	(sizeof(pol_platform_names) / \
			    sizeof(pol_platform_names[0]))
#define POL_PLATFORM_SIM	0
#define POL_PLATFORM_SNP	1
#define POL_PLATFORM_TDX	2
#define POL_PLATFORM_SGX	3

/*
 * Intel DCAP settings, "platforms.tdx" and "platforms.sgx"
 * (docs/policy.md): the TCB statuses beyond UpToDate the owner accepts
 * (the values of claim "tcb.status"), the advisories tolerated (claim
 * "tcb.advisories"), and, for TDX, SEPT_VE_DISABLE.
 */
static const char *const pol_dcap_statuses[] = {
	"SWHardeningNeeded", "ConfigurationNeeded",
	"ConfigurationAndSWHardeningNeeded",
};
#define POL_DCAP_NSTATUS	(sizeof(pol_dcap_statuses) / \
			    sizeof(pol_dcap_statuses[0]))
#define POL_DCAP_MAX_ADV	32
#define POL_DCAP_ADV_MAX	31

/*
 * SEV-SNP settings (docs/policy.md §2.1.1).  Product names are the values
 * of claim "snp.product"; the TCB components are those of claim
 * "snp.reported_tcb.*" ("fmc" exists on Turin only).
 */
static const char *const pol_snp_products[] = { "Milan", "Genoa", "Turin" };
#define POL_SNP_NPRODUCTS	(sizeof(pol_snp_products) / \
			    sizeof(pol_snp_products[0]))
#define POL_SNP_TURIN		2
static const char *const pol_snp_tcb_parts[] = {
	"bootloader", "tee", "snp", "microcode", "fmc",
};
#define POL_SNP_NTCB		(sizeof(pol_snp_tcb_parts) / \
			    sizeof(pol_snp_tcb_parts[0]))
#define POL_SNP_TCB_FMC		4
static const char *const pol_snp_keys[] = { "vcek", "vlek" };
#define POL_SNP_NKEYS		2

/*
 * GUEST_POLICY bits a policy may require or forbid (SEV-SNP ABI 56860,
 * Table 9).  DEBUG (19) and MIGRATE_MA (18) are deliberately absent:
 * debug is relaxed only by insecure_allow_debug, and the verifier refuses
 * MIGRATE_MA outright.
 */
static const char *const pol_snp_bit_names[] = {
	"smt", "single_socket", "cxl_allowed", "mem_aes_256_xts", "rapl_dis",
	"ciphertext_hiding", "page_swap_disable",
};
static const unsigned pol_snp_bit_nums[] = { 16, 20, 21, 22, 23, 24, 25 };
#define POL_SNP_NBITS		(sizeof(pol_snp_bit_names) / \
			    sizeof(pol_snp_bit_names[0]))
_Static_assert(sizeof(pol_snp_bit_nums) / sizeof(pol_snp_bit_nums[0]) ==
    POL_SNP_NBITS, "one bit number per guest policy bit name");
/* Most values in "host_data". */
#define POL_SNP_MAX_HOST_DATA	64
#define POL_SNP_HOST_DATA_BYTES	32
/* Most values in "family_id", "image_id", "id_key_digest", ... */
#define POL_SNP_MAX_IDS		64
#define POL_SNP_ID_BYTES	16	/* FAMILY_ID, IMAGE_ID */
#define POL_SNP_DIGEST_BYTES	48	/* ID_KEY_DIGEST, AUTHOR_KEY_DIGEST */

/*
 * PLATFORM_INFO bits a policy may require or forbid (ABI 56860 rev 1.58,
 * Table 24), named as the claims "snp.platform_info.<name>".
 */
static const char *const pol_snp_pinfo_names[] = {
	"smt_en", "tsme_en", "ecc_en", "rapl_dis", "ciphertext_hiding_en",
	"alias_check_complete", "tio_en",
};
static const unsigned pol_snp_pinfo_nums[] = { 0, 1, 2, 3, 4, 5, 7 };
#define POL_SNP_NPINFO		(sizeof(pol_snp_pinfo_names) / \
			    sizeof(pol_snp_pinfo_names[0]))
_Static_assert(sizeof(pol_snp_pinfo_nums) / sizeof(pol_snp_pinfo_nums[0]) ==
    POL_SNP_NPINFO, "one bit number per platform_info bit name");

/*
 * "allow_provisional_firmware" when the policy does not say: false, as the
 * checklist (§1.1 #7) wants: COMMITTED_TCB must equal CURRENT_TCB.
 */
#define POL_SNP_ALLOW_PROVISIONAL_DEFAULT	false

/* A TCB floor per product: "min_tcb" (REPORTED_TCB), "min_launch_tcb". */
struct pol_snp_floor {
	bool	 has;
	bool	 for_product[POL_SNP_NPRODUCTS];	/* product listed */
	int64_t	 v[POL_SNP_NPRODUCTS][POL_SNP_NTCB];	/* -1: none */
};

/* An allow-list of fixed-size byte strings. */
struct pol_snp_list {
	size_t	 n;	/* 0: not set */
	uint8_t	 v[POL_SNP_MAX_IDS][POL_SNP_DIGEST_BYTES];
};

/* A value a rule compares with; the member for the claim's type is used. */
struct pol_value {
	bool		 b;
	int64_t		 i;
	uint8_t		*p;	/* bytes, or NUL-terminated string */
	size_t		 n;	/* bytes at |p|, without the NUL */
};

/* A borrowed view of a claim value or a rule value, for comparison. */
struct pol_view {
	bool		 b;
	int64_t		 i;
	const uint8_t	*p;
	size_t		 n;
};

struct pol_node {
	enum pol_kind			 kind;
	/* allOf, anyOf */
	size_t				 first;	/* or POL_NONE */
	size_t				 nkids;
	/* every node */
	size_t				 next;	/* or POL_NONE */
	/* claim */
	const struct vouch_claim_def	*def;
	enum pol_op			 op;
	struct pol_value		*vals;	/* 1, or "in" */
	size_t				 nvals;
};

struct pol_platform {
	bool	 trusted;
	bool	 allow_debug;
	bool	 has_min_tcb;
	int64_t	 min_tcb_svn;
};

/* "platforms.snp" beyond insecure_allow_debug; absent members: no check. */
struct pol_snp {
	bool	 has_products;
	bool	 product_ok[POL_SNP_NPRODUCTS];
	bool	 has_keys;
	bool	 key_ok[POL_SNP_NKEYS];
	struct pol_snp_floor	 min_tcb;
	struct pol_snp_floor	 min_launch_tcb;
	bool	 allow_provisional;
	bool	 has_min_fw;
	int64_t	 min_fw[3];	/* major, minor, build */
	bool	 has_min_abi;
	int64_t	 min_abi[2];	/* major, minor */
	uint64_t pinfo_require;
	uint64_t pinfo_forbid;
	uint64_t mitigations;	/* 0: none required */
	struct pol_snp_list	 family_id;	/* POL_SNP_ID_BYTES each */
	struct pol_snp_list	 image_id;	/* POL_SNP_ID_BYTES each */
	bool	 has_min_guest_svn;
	int64_t	 min_guest_svn;
	struct pol_snp_list	 id_key;
	struct pol_snp_list	 author_key;
	bool	 require_id_block;
	bool	 has_max_vmpl;
	int64_t	 max_vmpl;
	uint64_t policy_require;
	uint64_t policy_forbid;
	size_t	 nhost_data;	/* 0: any host_data */
	uint8_t	 host_data[POL_SNP_MAX_HOST_DATA][POL_SNP_HOST_DATA_BYTES];
};

struct pol_dcap {
	bool	 accept[POL_DCAP_NSTATUS];
	bool	 has_adv;	/* absent: any advisory */
	size_t	 nadv;
	char	 adv[POL_DCAP_MAX_ADV][POL_DCAP_ADV_MAX + 1];
	bool	 require_sept_ve_disable;
};

struct pol_release {
	char	 name[VOUCH_POLICY_NAME_MAX + 1];
};

struct pol_meas {
	uint8_t	 v[VOUCH_POLICY_MEASUREMENT_MAX];
	size_t	 n;
	size_t	 release;	/* index into releases */
};

struct pol_rrule {
	char	 name[VOUCH_POLICY_NAME_MAX + 1];
	size_t	 root;
	int64_t	 max_releases;	/* 0: no limit */
	int64_t	 not_after;	/* INT64_MAX: none */
};

struct vouch_policy {
	int64_t			 version;
	int64_t			 expires;
	int64_t			 lifetime;
	struct pol_platform	 platforms[POL_NPLATFORMS];
	struct pol_snp		 snp;
	struct pol_dcap		 dcap[2];	/* tdx, sgx */
	struct pol_release	*releases;
	size_t			 nreleases;
	struct pol_meas		*meas;
	size_t			 nmeas;
	size_t			 meas_cap;
	size_t			 rules;	/* "rules" or POL_NONE */
	struct pol_rrule	*rrules;
	size_t			 nrrules;
	struct pol_node		 nodes[VOUCH_POLICY_MAX_NODES];
	size_t			 nnodes;
};

/*
 * Text helpers.  Everything written into messages and explanations goes
 * through these: bounded, NUL-terminated, "..." where cut.
 */

/* Printable ASCII other than the quote and backslash; '?' otherwise. */
static char
pol_safe_char(char c)
{
	unsigned char ch = (unsigned char)c;

	if (ch < 0x20 || ch > 0x7e || ch == '"' || ch == '\\') {
		return '?';
	}
	return (char)ch;
}

/* Copy NUL-terminated |src| into |dst| of |cap| bytes, cut with "...". */
static void
pol_copy(char *dst, size_t cap, const char *src)
{
	size_t n;

	if (cap == 0) {
		return;
	}
	n = strnlen(src, cap);
	if (n < cap) {
		memcpy(dst, src, n + 1);
		return;
	}
	n = cap - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
	if (n >= 3) {
		memcpy(dst + n - 3, "...", 3);
	}
}

/* A sanitized copy of |len| bytes at |s| for a message (cut, '?'). */
static void
pol_quote(const char *s, size_t len, char *out, size_t cap)
{
	size_t i, n = len;

	if (cap == 0) {
		return;
	}
	if (n > POL_QUOTE_MAX) {
		n = POL_QUOTE_MAX;
	}
	if (n > cap - 1) {
		n = cap - 1;
	}
	for (i = 0; i < n; i++) {
		out[i] = pol_safe_char(s[i]);
	}
	out[n] = '\0';
	if (n < len && n >= 3) {
		memcpy(out + n - 3, "...", 3);
	}
}

struct pol_text {
	char	*s;
	size_t	 cap;
	size_t	 len;
};

static void
pol_text_init(struct pol_text *t, char *buf, size_t cap)
{
	t->s = buf;
	t->cap = cap;
	t->len = 0;
	if (cap > 0) {
		buf[0] = '\0';
	}
}

static bool
pol_text_full(const struct pol_text *t)
{
	return t->cap < 4 || t->len >= t->cap - 1;
}

/* Mark |t| as cut: it is full and ends in "...". */
static void
pol_text_cut(struct pol_text *t)
{
	t->len = t->cap - 1;
	t->s[t->len] = '\0';
	memcpy(t->s + t->len - 3, "...", 3);
}

static void	pol_text_add(struct pol_text *t, const char *fmt, ...)
		    VOUCH_PRINTF(2, 3);

static void
pol_text_add(struct pol_text *t, const char *fmt, ...)
{
	va_list ap;
	size_t room;
	int n;

	if (pol_text_full(t)) {
		return;
	}
	room = t->cap - t->len;
	va_start(ap, fmt);
	n = vsnprintf(t->s + t->len, room, fmt, ap);
	va_end(ap);
	if (n < 0) {
		t->s[t->len] = '\0';
		return;
	}
	if ((size_t)n >= room) {
		pol_text_cut(t);
		return;
	}
	t->len += (size_t)n;
}

static void
pol_text_putc(struct pol_text *t, char c)
{
	if (pol_text_full(t)) {
		return;
	}
	if (t->len == t->cap - 2) {
		/* The last byte before the NUL: there is more to come. */
		pol_text_cut(t);
		return;
	}
	t->s[t->len++] = c;
	t->s[t->len] = '\0';
}

/* Back to |len| bytes: undo what was written since. */
static void
pol_text_rewind(struct pol_text *t, size_t len)
{
	if (len < t->len) {
		t->len = len;
		t->s[len] = '\0';
	}
}

/* |n| bytes at |s| sanitized, at most POL_QUOTE_MAX of them. */
static void
pol_text_safe(struct pol_text *t, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && i < POL_QUOTE_MAX; i++) {
		pol_text_putc(t, pol_safe_char(s[i]));
	}
	if (n > POL_QUOTE_MAX) {
		pol_text_add(t, "...");
	}
}

static void
pol_text_hex(struct pol_text *t, const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n && i < POL_HEX_SHOW_MAX; i++) {
		pol_text_putc(t, digits[p[i] >> 4]);
		pol_text_putc(t, digits[p[i] & 0x0f]);
	}
	if (n > POL_HEX_SHOW_MAX) {
		pol_text_add(t, "... (%zu bytes)", n);
	}
}

static void
pol_text_view(struct pol_text *t, enum vouch_claim_type type,
    const struct pol_view *v)
{
	switch (type) {
	case VOUCH_CLAIM_BOOL:
		pol_text_add(t, "%s", v->b ? "true" : "false");
		break;
	case VOUCH_CLAIM_INT:
		pol_text_add(t, "%" PRId64, v->i);
		break;
	case VOUCH_CLAIM_STRING:
		pol_text_putc(t, '"');
		pol_text_safe(t, (const char *)v->p, v->n);
		pol_text_putc(t, '"');
		break;
	case VOUCH_CLAIM_BYTES:
		pol_text_hex(t, v->p, v->n);
		break;
	}
}

/*
 * JSON paths ("platforms.sim.min_tcb_svn", "rules.allOf[1]") for messages
 * and explanations, built while descending and cut back on the way up.
 */
struct pol_path {
	char	 s[VOUCH_EXPLAIN_PATH_MAX];
	size_t	 len;
};

static void
pol_path_putc(struct pol_path *p, char c)
{
	if (p->len >= sizeof(p->s) - 1) {
		return;
	}
	p->s[p->len++] = c;
	p->s[p->len] = '\0';
}

/* Append ".key"; returns the length to restore with pol_path_pop. */
static size_t
pol_path_push_key(struct pol_path *p, const char *key, size_t klen)
{
	size_t old = p->len, i;

	if (p->len > 0) {
		pol_path_putc(p, '.');
	}
	for (i = 0; i < klen && i < POL_QUOTE_MAX; i++) {
		pol_path_putc(p, pol_safe_char(key[i]));
	}
	if (klen > POL_QUOTE_MAX) {
		pol_path_putc(p, '.');
		pol_path_putc(p, '.');
		pol_path_putc(p, '.');
	}
	return old;
}

static size_t
pol_path_push(struct pol_path *p, const char *key)
{
	return pol_path_push_key(p, key, strlen(key));
}

/* Append "[i]". */
static size_t
pol_path_push_index(struct pol_path *p, size_t i)
{
	char buf[32];
	size_t old = p->len, k;
	int n;

	n = snprintf(buf, sizeof(buf), "[%zu]", i);
	for (k = 0; n > 0 && k < (size_t)n && k < sizeof(buf) - 1; k++) {
		pol_path_putc(p, buf[k]);
	}
	return old;
}

static void
pol_path_pop(struct pol_path *p, size_t old)
{
	if (old < p->len) {
		p->len = old;
		p->s[old] = '\0';
	}
}

static bool
pol_key_in(const char *key, size_t klen, const char *const *list)
{
	size_t i;

	for (i = 0; list[i] != NULL; i++) {
		if (strlen(list[i]) == klen &&
		    memcmp(list[i], key, klen) == 0) {
			return true;
		}
	}
	return false;
}

static int
pol_platform_index(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < POL_NPLATFORMS; i++) {
		if (strlen(pol_platform_names[i]) == len &&
		    memcmp(pol_platform_names[i], name, len) == 0) {
			return (int)i;
		}
	}
	return -1;
}

/* Release and release rule names: 1..64 of [A-Za-z0-9._-]. */
static bool
pol_name_ok(const char *s, size_t n)
{
	size_t i;
	char c;

	if (n == 0 || n > VOUCH_POLICY_NAME_MAX) {
		return false;
	}
	for (i = 0; i < n; i++) {
		c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		    c == '-')) {
			return false;
		}
	}
	return true;
}

static const char *
pol_type_name(enum vouch_claim_type type)
{
	switch (type) {
	case VOUCH_CLAIM_BOOL:
		return "a boolean";
	case VOUCH_CLAIM_INT:
		return "an integer";
	case VOUCH_CLAIM_STRING:
		return "a string";
	case VOUCH_CLAIM_BYTES:
		return "a byte string";
	}
	return "an unknown";
}

static const char *
pol_op_name(enum pol_op op)
{
	size_t i;

	for (i = 0; i < POL_NOPS; i++) {
		if (pol_ops[i].op == op) {
			return pol_ops[i].name;
		}
	}
	return "?";
}

/*
 * Parsing.
 */

struct pol_parser {
	struct vouch_ctx	*ctx;
	struct vouch_policy	*pol;
	struct pol_path		 path;
};

static enum vouch_err	pol_err(struct pol_parser *pp, enum vouch_err code,
			    const char *fmt, ...) VOUCH_PRINTF(3, 4);

/* Fail with |code|: "policy: <path>: <detail>". */
static enum vouch_err
pol_err(struct pol_parser *pp, enum vouch_err code, const char *fmt, ...)
{
	char detail[VOUCH_ERRMSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	return vouch_fail(pp->ctx, code, "policy: %s: %s",
	    pp->path.len > 0 ? pp->path.s : "(document)", detail);
}

/* Fail naming the first key of |obj| that is not in |allowed|. */
static enum vouch_err
pol_check_keys(struct pol_parser *pp, json_t *obj, const char *const *allowed)
{
	const char *key;
	size_t klen;
	void *it;

	for (it = json_object_iter(obj); it != NULL;
	    it = json_object_iter_next(obj, it)) {
		key = json_object_iter_key(it);
		klen = json_object_iter_key_len(it);
		if (!pol_key_in(key, klen, allowed)) {
			(void)pol_path_push_key(&pp->path, key, klen);
			return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
			    "unknown key");
		}
	}
	return VOUCH_OK;
}

/*
 * Integer member |key| of |obj| in [min, max].  With |present| NULL the
 * member is required; otherwise *present says whether it was there.
 */
static enum vouch_err
pol_get_int(struct pol_parser *pp, json_t *obj, const char *key, int64_t min,
    int64_t max, bool *present, int64_t *out)
{
	json_t *v = json_object_get(obj, key);
	json_int_t i;
	size_t old;

	if (present != NULL) {
		*present = false;
	}
	if (v == NULL) {
		if (present != NULL) {
			return VOUCH_OK;
		}
		return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
		    "missing \"%s\"", key);
	}
	old = pol_path_push(&pp->path, key);
	if (!json_is_integer(v)) {
		return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
		    "must be an integer");
	}
	i = json_integer_value(v);
	if ((int64_t)i < min || (int64_t)i > max) {
		return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
		    "%" PRId64 " is outside %" PRId64 "..%" PRId64,
		    (int64_t)i, min, max);
	}
	pol_path_pop(&pp->path, old);
	*out = (int64_t)i;
	if (present != NULL) {
		*present = true;
	}
	return VOUCH_OK;
}

/* Optional boolean member |key|; *out is left alone when it is absent. */
static enum vouch_err
pol_get_bool(struct pol_parser *pp, json_t *obj, const char *key, bool *out)
{
	json_t *v = json_object_get(obj, key);
	size_t old;

	if (v == NULL) {
		return VOUCH_OK;
	}
	old = pol_path_push(&pp->path, key);
	if (!json_is_boolean(v)) {
		return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
		    "must be true or false");
	}
	*out = json_is_true(v);
	pol_path_pop(&pp->path, old);
	return VOUCH_OK;
}

/* RFC 3339 member |key|; |present| as for pol_get_int. */
static enum vouch_err
pol_get_time(struct pol_parser *pp, json_t *obj, const char *key,
    bool *present, int64_t *out)
{
	json_t *v = json_object_get(obj, key);
	const char *s;
	size_t old;

	if (present != NULL) {
		*present = false;
	}
	if (v == NULL) {
		if (present != NULL) {
			return VOUCH_OK;
		}
		return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
		    "missing \"%s\"", key);
	}
	old = pol_path_push(&pp->path, key);
	if (!json_is_string(v)) {
		return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
		    "must be an RFC 3339 time string");
	}
	s = json_string_value(v);
	/* The time parser reads up to the NUL: no NUL may hide inside. */
	if (strlen(s) != json_string_length(v) ||
	    !vouch_time_parse_rfc3339(s, out)) {
		return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
		    "not an RFC 3339 time (YYYY-MM-DDTHH:MM:SSZ)");
	}
	pol_path_pop(&pp->path, old);
	if (present != NULL) {
		*present = true;
	}
	return VOUCH_OK;
}

static enum vouch_err	pol_parse_member(struct pol_parser *pp, json_t *root,
			    const char *key, bool required,
			    enum vouch_err (*fn)(struct pol_parser *, json_t *));

/*
 * Optional member |key| of |obj|: a non-empty array of distinct strings,
 * each one of the |n| |names| (|known| lists them for the message).
 * |set[i]| is true for each name listed.
 */
static enum vouch_err
pol_get_name_set(struct pol_parser *pp, json_t *obj, const char *key,
    const char *const *names, size_t n, const char *known, bool *present,
    bool *set)
{
	char quoted[POL_QUOTE_MAX + 1];
	json_t *arr = json_object_get(obj, key), *v;
	const char *s;
	size_t i, j, cnt, slen, old, old_i;

	*present = false;
	for (j = 0; j < n; j++) {
		set[j] = false;
	}
	if (arr == NULL) {
		return VOUCH_OK;
	}
	old = pol_path_push(&pp->path, key);
	cnt = json_is_array(arr) ? json_array_size(arr) : 0;
	if (cnt == 0) {
		return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
		    "must be a non-empty array of names (%s)", known);
	}
	for (i = 0; i < cnt; i++) {
		old_i = pol_path_push_index(&pp->path, i);
		v = json_array_get(arr, i);
		if (!json_is_string(v)) {
			return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
			    "must be a string (%s)", known);
		}
		s = json_string_value(v);
		slen = json_string_length(v);
		for (j = 0; j < n; j++) {
			if (strlen(names[j]) == slen &&
			    memcmp(names[j], s, slen) == 0) {
				break;
			}
		}
		if (j == n) {
			pol_quote(s, slen, quoted, sizeof(quoted));
			return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
			    "unknown name \"%s\" (known: %s)", quoted, known);
		}
		if (set[j]) {
			return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
			    "\"%s\" is listed twice", names[j]);
		}
		set[j] = true;
		pol_path_pop(&pp->path, old_i);
	}
	pol_path_pop(&pp->path, old);
	*present = true;
	return VOUCH_OK;
}

/*
 * "min_tcb" or "min_launch_tcb":
 * {"Milan": {"bootloader": n, "tee": n, "snp": n, "microcode": n}, ...}
 */
static enum vouch_err
pol_parse_snp_floor(struct pol_parser *pp, json_t *obj,
    struct pol_snp_floor *fl)
{
	static const char *const keys[] = {
		"bootloader", "tee", "snp", "microcode", NULL,
	};
	static const char *const turin_keys[] = {
		"bootloader", "tee", "snp", "microcode", "fmc", NULL,
	};
	enum vouch_err rv;
	const char *key;
	json_t *v;
	size_t klen, old, p, k;
	bool present;
	void *it;

	if (!json_is_object(obj) || json_object_size(obj) == 0) {
		return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
		    "must be a non-empty object of products (Milan, Genoa, "
		    "Turin)");
	}
	for (it = json_object_iter(obj); it != NULL;
	    it = json_object_iter_next(obj, it)) {
		key = json_object_iter_key(it);
		klen = json_object_iter_key_len(it);
		v = json_object_iter_value(it);
		old = pol_path_push_key(&pp->path, key, klen);
		for (p = 0; p < POL_SNP_NPRODUCTS; p++) {
			if (strlen(pol_snp_products[p]) == klen &&
			    memcmp(pol_snp_products[p], key, klen) == 0) {
				break;
			}
		}
		if (p == POL_SNP_NPRODUCTS) {
			return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
			    "unknown product (known: Milan, Genoa, Turin)");
		}
		if (!json_is_object(v)) {
			return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
			    "must be an object of TCB components");
		}
		rv = pol_check_keys(pp, v, p == POL_SNP_TURIN ? turin_keys :
		    keys);
		if (rv != VOUCH_OK) {
			return rv;
		}
		for (k = 0; k < POL_SNP_NTCB; k++) {
			fl->v[p][k] = -1;
			if (k == POL_SNP_TCB_FMC && p != POL_SNP_TURIN) {
				continue;
			}
			/* Every component but FMC is required: no silent gap. */
			rv = pol_get_int(pp, v, pol_snp_tcb_parts[k], 0, 255,
			    k == POL_SNP_TCB_FMC ? &present : NULL,
			    &fl->v[p][k]);
			if (rv != VOUCH_OK) {
				return rv;
			}
			if (k == POL_SNP_TCB_FMC && !present) {
				fl->v[p][k] = -1;
			}
		}
		fl->for_product[p] = true;
		pol_path_pop(&pp->path, old);
	}
	fl->has = true;
	return VOUCH_OK;
}

static enum vouch_err
pol_parse_snp_min_tcb(struct pol_parser *pp, json_t *obj)
{
	return pol_parse_snp_floor(pp, obj, &pp->pol->snp.min_tcb);
}

static enum vouch_err
pol_parse_snp_min_launch_tcb(struct pol_parser *pp, json_t *obj)
{
	return pol_parse_snp_floor(pp, obj, &pp->pol->snp.min_launch_tcb);
}

/*
 * An object of the required integer members |names| (NULL-terminated),
 * each 0..255, into |out| in that order: "min_firmware", "min_abi".
 */
static enum vouch_err
pol_parse_snp_version(struct pol_parser *pp, json_t *obj,
    const char *const *names, int64_t *out)
{
	enum vouch_err rv;
	size_t i;

	if (!json_is_object(obj)) {
		return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
		    "must be an object of version numbers");
	}
	rv = pol_check_keys(pp, obj, names);
	if (rv != VOUCH_OK) {
		return rv;
	}
	for (i = 0; names[i] != NULL; i++) {
		/* Every part is required: no silent zero. */
		rv = pol_get_int(pp, obj, names[i], 0, 255, NULL, &out[i]);
		if (rv != VOUCH_OK) {
			return rv;
		}
	}
	return VOUCH_OK;
}

/* "min_firmware": {"major": n, "minor": n, "build": n} */
static enum vouch_err
pol_parse_snp_min_firmware(struct pol_parser *pp, json_t *obj)
{
	static const char *const names[] = { "major", "minor", "build", NULL };

	pp->pol->snp.has_min_fw = true;
	return pol_parse_snp_version(pp, obj, names, pp->pol->snp.min_fw);
}

/* "min_abi": {"major": n, "minor": n} */
static enum vouch_err
pol_parse_snp_min_abi(struct pol_parser *pp, json_t *obj)
{
	static const char *const names[] = { "major", "minor", NULL };

	pp->pol->snp.has_min_abi = true;
	return pol_parse_snp_version(pp, obj, names, pp->pol->snp.min_abi);
}

/*
 * {"require": [names], "forbid": [names]} over the |n| bits |names| (bit
 * numbers |nums|) into |*require| and |*forbid|: a name in both is
 * refused, and, with |need_one|, so is an object with neither list.
 */
static enum vouch_err
pol_parse_bit_names(struct pol_parser *pp, json_t *obj,
    const char *const *names, const unsigned *nums, size_t n,
    const char *known, bool need_one, uint64_t *require, uint64_t *forbid)
{
	static const char *const keys[] = { "require", "forbid", NULL };
	bool req[64], fb[64], has_req = false, has_forbid = false;
	enum vouch_err rv;
	size_t i;

	if (n > 64) {
		return pol_err(pp, VOUCH_ERR_INTERNAL, "too many bit names");
	}
	if (!json_is_object(obj)) {
		return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
		    "must be an object with \"require\" and/or \"forbid\"");
	}
	rv = pol_check_keys(pp, obj, keys);
	if (rv == VOUCH_OK) {
		rv = pol_get_name_set(pp, obj, "require", names, n, known,
		    &has_req, req);
	}
	if (rv == VOUCH_OK) {
		rv = pol_get_name_set(pp, obj, "forbid", names, n, known,
		    &has_forbid, fb);
	}
	if (rv != VOUCH_OK) {
		return rv;
	}
	if (need_one && !has_req && !has_forbid) {
		return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
		    "must have \"require\" and/or \"forbid\"");
	}
	for (i = 0; i < n; i++) {
		if (req[i] && fb[i]) {
			return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
			    "\"%s\" is both required and forbidden", names[i]);
		}
		if (req[i]) {
			*require |= UINT64_C(1) << nums[i];
		}
		if (fb[i]) {
			*forbid |= UINT64_C(1) << nums[i];
		}
	}
	return VOUCH_OK;
}

/* "platform_info": {"require": [bit names], "forbid": [bit names]} */
static enum vouch_err
pol_parse_snp_platform_info(struct pol_parser *pp, json_t *obj)
{
	static const char known[] = "smt_en, tsme_en, ecc_en, rapl_dis, "
	    "ciphertext_hiding_en, alias_check_complete, tio_en";

	return pol_parse_bit_names(pp, obj, pol_snp_pinfo_names,
	    pol_snp_pinfo_nums, POL_SNP_NPINFO, known, true,
	    &pp->pol->snp.pinfo_require, &pp->pol->snp.pinfo_forbid);
}

/* "required_mitigations": [bit numbers 0..63] */
static enum vouch_err
pol_parse_snp_mitigations(struct pol_parser *pp, json_t *arr)
{
	struct pol_snp *snp = &pp->pol->snp;
	json_t *v;
	json_int_t b;
	size_t i, n, old_i;

	n = json_is_array(arr) ? json_array_size(arr) : 0;
	if (n == 0) {
		return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
		    "must be a non-empty array of bit numbers 0..63");
	}
	for (i = 0; i < n; i++) {
		old_i = pol_path_push_index(&pp->path, i);
		v = json_array_get(arr, i);
		if (!json_is_integer(v)) {
			return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
			    "must be a bit number 0..63");
		}
		b = json_integer_value(v);
		if (b < 0 || b > 63) {
			return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
			    "%" PRId64 " is outside 0..63", (int64_t)b);
		}
		if ((snp->mitigations & (UINT64_C(1) << b)) != 0) {
			return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
			    "bit %" PRId64 " is listed twice", (int64_t)b);
		}
		snp->mitigations |= UINT64_C(1) << b;
		pol_path_pop(&pp->path, old_i);
	}
	return VOUCH_OK;
}

/*
 * An array of 1 to POL_SNP_MAX_IDS distinct values of |nbytes| bytes as
 * hex into |l|.  With |nonzero|, all zeros (what the report carries
 * without an ID block) is refused: it would trust every such report.
 */
static enum vouch_err
pol_parse_snp_list(struct pol_parser *pp, json_t *arr, size_t nbytes,
    bool nonzero, struct pol_snp_list *l)
{
	static const uint8_t zero[POL_SNP_DIGEST_BYTES];
	uint8_t buf[POL_SNP_DIGEST_BYTES];
	json_t *v;
	size_t i, j, n, slen, old_i, got;

	n = json_is_array(arr) ? json_array_size(arr) : 0;
	if (n == 0 || n > POL_SNP_MAX_IDS) {
		return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
		    "must be an array of 1 to %d hex values of %zu bytes",
		    POL_SNP_MAX_IDS, nbytes);
	}
	for (i = 0; i < n; i++) {
		old_i = pol_path_push_index(&pp->path, i);
		v = json_array_get(arr, i);
		slen = json_is_string(v) ? json_string_length(v) : 0;
		if (slen != 2 * nbytes ||
		    !vouch_hex_decode(json_string_value(v), slen, buf, nbytes,
		    &got) || got != nbytes) {
			return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
			    "a value is exactly %zu bytes as %zu hex digits",
			    nbytes, 2 * nbytes);
		}
		if (nonzero && memcmp(buf, zero, nbytes) == 0) {
			return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
			    "all zeros means \"no key\" and cannot be trusted");
		}
		for (j = 0; j < l->n; j++) {
			if (memcmp(l->v[j], buf, nbytes) == 0) {
				return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
				    "value already listed at [%zu]", j);
			}
		}
		memcpy(l->v[l->n++], buf, nbytes);
		pol_path_pop(&pp->path, old_i);
	}
	return VOUCH_OK;
}

static enum vouch_err
pol_parse_snp_family_id(struct pol_parser *pp, json_t *arr)
{
	return pol_parse_snp_list(pp, arr, POL_SNP_ID_BYTES, false,
	    &pp->pol->snp.family_id);
}

static enum vouch_err
pol_parse_snp_image_id(struct pol_parser *pp, json_t *arr)
{
	return pol_parse_snp_list(pp, arr, POL_SNP_ID_BYTES, false,
	    &pp->pol->snp.image_id);
}

static enum vouch_err
pol_parse_snp_id_key(struct pol_parser *pp, json_t *arr)
{
	return pol_parse_snp_list(pp, arr, POL_SNP_DIGEST_BYTES, true,
	    &pp->pol->snp.id_key);
}

static enum vouch_err
pol_parse_snp_author_key(struct pol_parser *pp, json_t *arr)
{
	return pol_parse_snp_list(pp, arr, POL_SNP_DIGEST_BYTES, true,
	    &pp->pol->snp.author_key);
}

/* "guest_policy": {"require": [bit names], "forbid": [bit names]} */
static enum vouch_err
pol_parse_snp_guest_policy(struct pol_parser *pp, json_t *obj)
{
	static const char known[] = "smt, single_socket, cxl_allowed, "
	    "mem_aes_256_xts, rapl_dis, ciphertext_hiding, page_swap_disable; "
	    "debug only through insecure_allow_debug, migrate_ma is always "
	    "refused";

	return pol_parse_bit_names(pp, obj, pol_snp_bit_names,
	    pol_snp_bit_nums, POL_SNP_NBITS, known, false,
	    &pp->pol->snp.policy_require, &pp->pol->snp.policy_forbid);
}

/* "host_data": ["<64 hex digits>", ...] */
static enum vouch_err
pol_parse_snp_host_data(struct pol_parser *pp, json_t *arr)
{
	struct pol_snp *snp = &pp->pol->snp;
	uint8_t buf[POL_SNP_HOST_DATA_BYTES];
	json_t *v;
	size_t i, j, n, slen, old_i, got;

	n = json_is_array(arr) ? json_array_size(arr) : 0;
	if (n == 0 || n > POL_SNP_MAX_HOST_DATA) {
		return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
		    "must be an array of 1 to %d hex values of %d bytes",
		    POL_SNP_MAX_HOST_DATA, POL_SNP_HOST_DATA_BYTES);
	}
	for (i = 0; i < n; i++) {
		old_i = pol_path_push_index(&pp->path, i);
		v = json_array_get(arr, i);
		slen = json_is_string(v) ? json_string_length(v) : 0;
		if (slen != 2 * POL_SNP_HOST_DATA_BYTES ||
		    !vouch_hex_decode(json_string_value(v), slen, buf,
		    sizeof(buf), &got) || got != sizeof(buf)) {
			return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
			    "host_data is exactly %d bytes as %d hex digits",
			    POL_SNP_HOST_DATA_BYTES,
			    2 * POL_SNP_HOST_DATA_BYTES);
		}
		for (j = 0; j < snp->nhost_data; j++) {
			if (memcmp(snp->host_data[j], buf, sizeof(buf)) == 0) {
				return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
				    "value already listed at [%zu]", j);
			}
		}
		memcpy(snp->host_data[snp->nhost_data++], buf, sizeof(buf));
		pol_path_pop(&pp->path, old_i);
	}
	return VOUCH_OK;
}

/* The settings of "platforms.snp" other than insecure_allow_debug. */
static enum vouch_err
pol_parse_snp(struct pol_parser *pp, json_t *obj)
{
	struct pol_snp *snp = &pp->pol->snp;
	enum vouch_err rv;

	rv = pol_get_name_set(pp, obj, "products", pol_snp_products,
	    POL_SNP_NPRODUCTS, "Milan, Genoa, Turin", &snp->has_products,
	    snp->product_ok);
	if (rv != VOUCH_OK) {
		return rv;
	}
	rv = pol_get_name_set(pp, obj, "signing_keys", pol_snp_keys,
	    POL_SNP_NKEYS, "vcek, vlek", &snp->has_keys, snp->key_ok);
	if (rv != VOUCH_OK) {
		return rv;
	}
	rv = pol_get_int(pp, obj, "max_vmpl", 0, 3, &snp->has_max_vmpl,
	    &snp->max_vmpl);
	if (rv != VOUCH_OK) {
		return rv;
	}
	rv = pol_parse_member(pp, obj, "min_tcb", false,
	    pol_parse_snp_min_tcb);
	if (rv != VOUCH_OK) {
		return rv;
	}
	rv = pol_parse_member(pp, obj, "guest_policy", false,
	    pol_parse_snp_guest_policy);
	if (rv != VOUCH_OK) {
		return rv;
	}
	rv = pol_parse_member(pp, obj, "host_data", false,
	    pol_parse_snp_host_data);
	if (rv != VOUCH_OK) {
		return rv;
	}
	snp->allow_provisional = POL_SNP_ALLOW_PROVISIONAL_DEFAULT;
	rv = pol_get_bool(pp, obj, "allow_provisional_firmware",
	    &snp->allow_provisional);
	if (rv != VOUCH_OK) {
		return rv;
	}
	if ((rv = pol_parse_member(pp, obj, "min_launch_tcb", false,
	    pol_parse_snp_min_launch_tcb)) != VOUCH_OK ||
	    (rv = pol_parse_member(pp, obj, "min_firmware", false,
	    pol_parse_snp_min_firmware)) != VOUCH_OK ||
	    (rv = pol_parse_member(pp, obj, "min_abi", false,
	    pol_parse_snp_min_abi)) != VOUCH_OK ||
	    (rv = pol_parse_member(pp, obj, "platform_info", false,
	    pol_parse_snp_platform_info)) != VOUCH_OK ||
	    (rv = pol_parse_member(pp, obj, "required_mitigations", false,
	    pol_parse_snp_mitigations)) != VOUCH_OK ||
	    (rv = pol_parse_member(pp, obj, "family_id", false,
	    pol_parse_snp_family_id)) != VOUCH_OK ||
	    (rv = pol_parse_member(pp, obj, "image_id", false,
	    pol_parse_snp_image_id)) != VOUCH_OK ||
	    (rv = pol_parse_member(pp, obj, "id_key_digest", false,
	    pol_parse_snp_id_key)) != VOUCH_OK ||
	    (rv = pol_parse_member(pp, obj, "author_key_digest", false,
	    pol_parse_snp_author_key)) != VOUCH_OK) {
		return rv;
	}
	rv = pol_get_int(pp, obj, "min_guest_svn", 0, UINT32_MAX,
	    &snp->has_min_guest_svn, &snp->min_guest_svn);
	if (rv != VOUCH_OK) {
		return rv;
	}
	rv = pol_get_bool(pp, obj, "require_id_block", &snp->require_id_block);
	if (rv != VOUCH_OK) {
		return rv;
	}
	if (snp->require_id_block && snp->id_key.n == 0) {
		(void)pol_path_push(&pp->path, "require_id_block");
		return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
		    "needs \"id_key_digest\", the list of trusted ID keys");
	}
	return VOUCH_OK;
}

/* "allowed_advisories": distinct IDs such as "INTEL-SA-00615". */
static enum vouch_err
pol_parse_dcap_advisories(struct pol_parser *pp, json_t *obj,
    struct pol_dcap *d)
{
	json_t *arr = json_object_get(obj, "allowed_advisories"), *v;
	const char *s;
	size_t i, j, cnt, slen, old, old_i;

	d->has_adv = false;
	d->nadv = 0;
	if (arr == NULL) {
		return VOUCH_OK;
	}
	old = pol_path_push(&pp->path, "allowed_advisories");
	if (!json_is_array(arr)) {
		return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
		    "must be an array of advisory IDs (empty: none allowed)");
	}
	cnt = json_array_size(arr);
	if (cnt > POL_DCAP_MAX_ADV) {
		return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
		    "at most %d advisory IDs", POL_DCAP_MAX_ADV);
	}
	for (i = 0; i < cnt; i++) {
		old_i = pol_path_push_index(&pp->path, i);
		v = json_array_get(arr, i);
		s = json_string_value(v);
		slen = json_is_string(v) ? json_string_length(v) : 0;
		if (slen == 0 || slen > POL_DCAP_ADV_MAX) {
			return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
			    "must be an advisory ID such as \"INTEL-SA-00615\"");
		}
		for (j = 0; j < slen; j++) {
			if (!((s[j] >= 'A' && s[j] <= 'Z') ||
			    (s[j] >= '0' && s[j] <= '9') || s[j] == '-')) {
				return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
				    "must be an advisory ID such as "
				    "\"INTEL-SA-00615\" (A-Z, 0-9, -)");
			}
		}
		for (j = 0; j < d->nadv; j++) {
			if (strcmp(d->adv[j], s) == 0) {
				return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
				    "listed twice");
			}
		}
		memcpy(d->adv[d->nadv], s, slen);
		d->adv[d->nadv][slen] = '\0';
		d->nadv++;
		pol_path_pop(&pp->path, old_i);
	}
	pol_path_pop(&pp->path, old);
	d->has_adv = true;
	return VOUCH_OK;
}

static enum vouch_err
pol_parse_dcap(struct pol_parser *pp, json_t *obj, struct pol_dcap *d,
    bool tdx)
{
	enum vouch_err rv;
	bool present;

	memset(d, 0, sizeof(*d));
	rv = pol_get_name_set(pp, obj, "accept_tcb_status", pol_dcap_statuses,
	    POL_DCAP_NSTATUS, "SWHardeningNeeded, ConfigurationNeeded, "
	    "ConfigurationAndSWHardeningNeeded", &present, d->accept);
	if (rv != VOUCH_OK) {
		return rv;
	}
	rv = pol_parse_dcap_advisories(pp, obj, d);
	if (rv != VOUCH_OK || !tdx) {
		return rv;
	}
	return pol_get_bool(pp, obj, "require_sept_ve_disable",
	    &d->require_sept_ve_disable);
}

static enum vouch_err
pol_parse_platforms(struct pol_parser *pp, json_t *obj)
{
	static const char *const sim_keys[] = {
		"min_tcb_svn", "insecure_allow_debug", NULL,
	};
	static const char *const snp_keys[] = {
		"insecure_allow_debug", "products", "signing_keys", "min_tcb",
		"max_vmpl", "guest_policy", "host_data",
		"allow_provisional_firmware", "min_launch_tcb", "min_firmware",
		"min_abi", "platform_info", "required_mitigations", "family_id",
		"image_id", "min_guest_svn", "id_key_digest",
		"author_key_digest", "require_id_block", NULL,
	};
	static const char *const tdx_keys[] = {
		"insecure_allow_debug", "accept_tcb_status",
		"allowed_advisories", "require_sept_ve_disable", NULL,
	};
	static const char *const sgx_keys[] = {
		"insecure_allow_debug", "accept_tcb_status",
		"allowed_advisories", NULL,
	};
	static const char *const other_keys[] = {
		"insecure_allow_debug", NULL,
	};
	struct pol_platform *plat;
	enum vouch_err rv;
	const char *key;
	json_t *v;
	size_t klen, old;
	void *it;
	int idx;

	if (!json_is_object(obj)) {
		return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
		    "must be an object of platform names");
	}
	for (it = json_object_iter(obj); it != NULL;
	    it = json_object_iter_next(obj, it)) {
		key = json_object_iter_key(it);
		klen = json_object_iter_key_len(it);
		v = json_object_iter_value(it);
		old = pol_path_push_key(&pp->path, key, klen);
		idx = pol_platform_index(key, klen);
		if (idx < 0) {
			return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
			    "unknown platform (known: sim, snp, tdx, sgx, "
			    "tpm, cca)");
		}
		if (!json_is_object(v)) {
			return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
			    "must be an object of settings");
		}
		rv = pol_check_keys(pp, v, idx == POL_PLATFORM_SIM ? sim_keys :
		    idx == POL_PLATFORM_SNP ? snp_keys :
		    idx == POL_PLATFORM_TDX ? tdx_keys :
		    idx == POL_PLATFORM_SGX ? sgx_keys : other_keys);
		if (rv != VOUCH_OK) {
			return rv;
		}
		plat = &pp->pol->platforms[idx];
		plat->trusted = true;
		plat->allow_debug = false;
		rv = pol_get_bool(pp, v, "insecure_allow_debug",
		    &plat->allow_debug);
		if (rv != VOUCH_OK) {
			return rv;
		}
		if (idx == POL_PLATFORM_SIM) {
			rv = pol_get_int(pp, v, "min_tcb_svn", 0, INT64_MAX,
			    &plat->has_min_tcb, &plat->min_tcb_svn);
			if (rv != VOUCH_OK) {
				return rv;
			}
		}
		if (idx == POL_PLATFORM_SNP) {
			rv = pol_parse_snp(pp, v);
			if (rv != VOUCH_OK) {
				return rv;
			}
		}
		if (idx == POL_PLATFORM_TDX || idx == POL_PLATFORM_SGX) {
			rv = pol_parse_dcap(pp, v,
			    &pp->pol->dcap[idx == POL_PLATFORM_TDX ? 0 : 1],
			    idx == POL_PLATFORM_TDX);
			if (rv != VOUCH_OK) {
				return rv;
			}
		}
		pol_path_pop(&pp->path, old);
	}
	return VOUCH_OK;
}

static enum vouch_err
pol_parse_measurement(struct pol_parser *pp, json_t *v, size_t release)
{
	struct vouch_policy *pol = pp->pol;
	uint8_t buf[VOUCH_POLICY_MEASUREMENT_MAX];
	struct pol_meas *m;
	size_t slen, n, i, cap;

	if (!json_is_string(v)) {
		return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
		    "a measurement must be a hex string");
	}
	slen = json_string_length(v);
	if (slen % 2 != 0 || slen / 2 < VOUCH_POLICY_MEASUREMENT_MIN ||
	    slen / 2 > VOUCH_POLICY_MEASUREMENT_MAX) {
		return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
		    "a measurement is %d to %d bytes (%d to %d hex digits), "
		    "not %zu digits", VOUCH_POLICY_MEASUREMENT_MIN,
		    VOUCH_POLICY_MEASUREMENT_MAX,
		    2 * VOUCH_POLICY_MEASUREMENT_MIN,
		    2 * VOUCH_POLICY_MEASUREMENT_MAX, slen);
	}
	if (!vouch_hex_decode(json_string_value(v), slen, buf, sizeof(buf),
	    &n)) {
		return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
		    "bad hex in a measurement");
	}
	/*
	 * One measurement, one release: a value listed twice would make the
	 * matched release ambiguous.
	 */
	for (i = 0; i < pol->nmeas; i++) {
		if (pol->meas[i].n == n &&
		    memcmp(pol->meas[i].v, buf, n) == 0) {
			return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
			    "measurement already listed in release \"%s\"",
			    pol->releases[pol->meas[i].release].name);
		}
	}
	if (pol->nmeas >= VOUCH_POLICY_MAX_MEASUREMENTS) {
		return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
		    "more than %d measurements", VOUCH_POLICY_MAX_MEASUREMENTS);
	}
	if (pol->nmeas == pol->meas_cap) {
		cap = pol->meas_cap == 0 ? 16 : pol->meas_cap * 2;
		m = vouch_reallocarray(pol->meas, cap, sizeof(*m));
		if (m == NULL) {
			return vouch_fail(pp->ctx, VOUCH_ERR_NO_MEMORY,
			    "policy: out of memory");
		}
		pol->meas = m;
		pol->meas_cap = cap;
	}
	m = &pol->meas[pol->nmeas];
	memset(m, 0, sizeof(*m));
	memcpy(m->v, buf, n);
	m->n = n;
	m->release = release;
	pol->nmeas++;
	return VOUCH_OK;
}

static enum vouch_err
pol_parse_measurements(struct pol_parser *pp, json_t *obj)
{
	struct vouch_policy *pol = pp->pol;
	struct pol_release *r;
	enum vouch_err rv;
	const char *key;
	json_t *arr;
	size_t klen, n, i, old, old_i;
	void *it;

	if (!json_is_object(obj)) {
		return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
		    "must be an object of releases");
	}
	n = json_object_size(obj);
	if (n > VOUCH_POLICY_MAX_RELEASES) {
		return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
		    "more than %d releases", VOUCH_POLICY_MAX_RELEASES);
	}
	if (n == 0) {
		return VOUCH_OK;
	}
	pol->releases = vouch_reallocarray(NULL, n, sizeof(*pol->releases));
	if (pol->releases == NULL) {
		return vouch_fail(pp->ctx, VOUCH_ERR_NO_MEMORY,
		    "policy: out of memory");
	}
	memset(pol->releases, 0, n * sizeof(*pol->releases));
	for (it = json_object_iter(obj); it != NULL;
	    it = json_object_iter_next(obj, it)) {
		key = json_object_iter_key(it);
		klen = json_object_iter_key_len(it);
		arr = json_object_iter_value(it);
		old = pol_path_push_key(&pp->path, key, klen);
		if (pol->nreleases >= n || !pol_name_ok(key, klen)) {
			return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
			    "a release name is 1 to %d characters of "
			    "A-Z a-z 0-9 . _ -", VOUCH_POLICY_NAME_MAX);
		}
		r = &pol->releases[pol->nreleases];
		memcpy(r->name, key, klen);
		r->name[klen] = '\0';
		if (!json_is_array(arr) || json_array_size(arr) == 0) {
			return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
			    "must be a non-empty array of hex measurements");
		}
		for (i = 0; i < json_array_size(arr); i++) {
			old_i = pol_path_push_index(&pp->path, i);
			rv = pol_parse_measurement(pp, json_array_get(arr, i),
			    pol->nreleases);
			if (rv != VOUCH_OK) {
				return rv;
			}
			pol_path_pop(&pp->path, old_i);
		}
		pol->nreleases++;
		pol_path_pop(&pp->path, old);
	}
	return VOUCH_OK;
}

static enum vouch_err
pol_parse_admission(struct pol_parser *pp, json_t *obj)
{
	static const char *const keys[] = { "lifetime_seconds", NULL };
	enum vouch_err rv;
	bool present;

	if (!json_is_object(obj)) {
		return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
		    "must be an object");
	}
	rv = pol_check_keys(pp, obj, keys);
	if (rv != VOUCH_OK) {
		return rv;
	}
	return pol_get_int(pp, obj, "lifetime_seconds",
	    VOUCH_POLICY_LIFETIME_MIN, VOUCH_POLICY_LIFETIME_MAX, &present,
	    &pp->pol->lifetime);
}

/* One value of the claim's type for a comparison. */
static enum vouch_err
pol_parse_value(struct pol_parser *pp, const struct vouch_claim_def *def,
    json_t *v, struct pol_value *out)
{
	const char *s;
	size_t slen, n;

	switch (def->type) {
	case VOUCH_CLAIM_BOOL:
		if (!json_is_boolean(v)) {
			return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
			    "claim %s is a boolean: the value must be true or "
			    "false", def->name);
		}
		out->b = json_is_true(v);
		return VOUCH_OK;
	case VOUCH_CLAIM_INT:
		if (!json_is_integer(v)) {
			return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
			    "claim %s is an integer: the value must be an "
			    "integer", def->name);
		}
		out->i = (int64_t)json_integer_value(v);
		return VOUCH_OK;
	case VOUCH_CLAIM_STRING:
		if (!json_is_string(v)) {
			return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
			    "claim %s is a string: the value must be a string",
			    def->name);
		}
		s = json_string_value(v);
		slen = json_string_length(v);
		if (slen > VOUCH_CLAIM_STRING_MAX || strlen(s) != slen) {
			return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
			    "string value longer than %d bytes or with NUL",
			    VOUCH_CLAIM_STRING_MAX);
		}
		out->p = malloc(slen + 1);
		if (out->p == NULL) {
			return vouch_fail(pp->ctx, VOUCH_ERR_NO_MEMORY,
			    "policy: out of memory");
		}
		memcpy(out->p, s, slen + 1);
		out->n = slen;
		return VOUCH_OK;
	case VOUCH_CLAIM_BYTES:
		if (!json_is_string(v)) {
			return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
			    "claim %s is a byte string: the value must be a "
			    "hex string", def->name);
		}
		slen = json_string_length(v);
		if (slen == 0 || slen % 2 != 0 ||
		    slen / 2 > VOUCH_CLAIM_BYTES_MAX) {
			return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
			    "claim %s is a byte string: the value must be hex "
			    "of 1 to %d bytes", def->name,
			    VOUCH_CLAIM_BYTES_MAX);
		}
		out->p = malloc(slen / 2);
		if (out->p == NULL) {
			return vouch_fail(pp->ctx, VOUCH_ERR_NO_MEMORY,
			    "policy: out of memory");
		}
		if (!vouch_hex_decode(json_string_value(v), slen, out->p,
		    slen / 2, &n)) {
			return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
			    "claim %s is a byte string: bad hex", def->name);
		}
		out->n = n;
		return VOUCH_OK;
	}
	return vouch_fail(pp->ctx, VOUCH_ERR_INTERNAL,
	    "policy: claim %s has no known type", def->name);
}

/* Room for |n| zeroed values in |node| (freed with the policy). */
static enum vouch_err
pol_alloc_values(struct pol_parser *pp, struct pol_node *node, size_t n)
{
	node->vals = vouch_reallocarray(NULL, n, sizeof(*node->vals));
	if (node->vals == NULL) {
		return vouch_fail(pp->ctx, VOUCH_ERR_NO_MEMORY,
		    "policy: out of memory");
	}
	memset(node->vals, 0, n * sizeof(*node->vals));
	node->nvals = n;
	return VOUCH_OK;
}

/* {"claim": name, <op>: value} */
static enum vouch_err
pol_parse_cmp(struct pol_parser *pp, json_t *obj, struct pol_node *node)
{
	static const char *const keys[] = {
		"claim", "equals", "notEquals", "in", "less", "lessOrEquals",
		"greater", "greaterOrEquals", "exists", NULL,
	};
	char quoted[POL_QUOTE_MAX + 1];
	const struct pol_op_def *op = NULL;
	enum vouch_err rv;
	json_t *name, *val = NULL, *v;
	const char *s;
	size_t slen, i, n, old, old_i;

	rv = pol_check_keys(pp, obj, keys);
	if (rv != VOUCH_OK) {
		return rv;
	}
	name = json_object_get(obj, "claim");
	old = pol_path_push(&pp->path, "claim");
	if (!json_is_string(name)) {
		return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
		    "must be a string naming a claim");
	}
	s = json_string_value(name);
	slen = json_string_length(name);
	node->def = strlen(s) == slen ? vouch_claim_def_find(s) : NULL;
	if (node->def == NULL) {
		pol_quote(s, slen, quoted, sizeof(quoted));
		return pol_err(pp, VOUCH_ERR_UNKNOWN_CLAIM,
		    "unknown claim \"%s\"", quoted);
	}
	pol_path_pop(&pp->path, old);

	for (i = 0; i < POL_NOPS; i++) {
		v = json_object_get(obj, pol_ops[i].name);
		if (v == NULL) {
			continue;
		}
		if (op != NULL) {
			return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
			    "claim %s: two operators, %s and %s (exactly one "
			    "is allowed)", node->def->name, op->name,
			    pol_ops[i].name);
		}
		op = &pol_ops[i];
		val = v;
	}
	if (op == NULL) {
		return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
		    "claim %s: no operator (one of equals, notEquals, in, "
		    "less, lessOrEquals, greater, greaterOrEquals, exists)",
		    node->def->name);
	}
	node->op = op->op;
	old = pol_path_push(&pp->path, op->name);
	if (op->int_only && node->def->type != VOUCH_CLAIM_INT) {
		return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
		    "%s applies only to integer claims; claim %s is %s",
		    op->name, node->def->name, pol_type_name(node->def->type));
	}
	if (op->op == POL_OP_EXISTS) {
		if (!json_is_boolean(val)) {
			return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
			    "exists takes true or false");
		}
		rv = pol_alloc_values(pp, node, 1);
		if (rv != VOUCH_OK) {
			return rv;
		}
		node->vals[0].b = json_is_true(val);
	} else if (op->op == POL_OP_IN) {
		n = json_is_array(val) ? json_array_size(val) : 0;
		if (n == 0 || n > VOUCH_POLICY_MAX_IN_VALUES) {
			return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
			    "in takes an array of 1 to %d values",
			    VOUCH_POLICY_MAX_IN_VALUES);
		}
		rv = pol_alloc_values(pp, node, n);
		if (rv != VOUCH_OK) {
			return rv;
		}
		for (i = 0; i < n; i++) {
			old_i = pol_path_push_index(&pp->path, i);
			rv = pol_parse_value(pp, node->def,
			    json_array_get(val, i), &node->vals[i]);
			if (rv != VOUCH_OK) {
				return rv;
			}
			pol_path_pop(&pp->path, old_i);
		}
	} else {
		rv = pol_alloc_values(pp, node, 1);
		if (rv != VOUCH_OK) {
			return rv;
		}
		rv = pol_parse_value(pp, node->def, val, &node->vals[0]);
		if (rv != VOUCH_OK) {
			return rv;
		}
	}
	pol_path_pop(&pp->path, old);
	return VOUCH_OK;
}

/*
 * One rule at |depth| (the root rule is at 1) into the node pool; |*out|
 * gets its index.
 */
static enum vouch_err
pol_parse_rule(struct pol_parser *pp, json_t *v, size_t depth, size_t *out)
{
	static const char *const any_keys[] = {
		"allOf", "anyOf", "claim", "equals", "notEquals", "in", "less",
		"lessOrEquals", "greater", "greaterOrEquals", "exists", NULL,
	};
	static const char *const all_of_keys[] = { "allOf", NULL };
	static const char *const any_of_keys[] = { "anyOf", NULL };
	struct vouch_policy *pol = pp->pol;
	struct pol_node *node;
	enum vouch_err rv;
	json_t *all, *any, *claim, *arr;
	const char *kw;
	size_t idx, kid, prev, i, n, old, old_i;
	int kinds;

	if (depth > VOUCH_POLICY_MAX_DEPTH) {
		return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
		    "rules nest deeper than %d levels", VOUCH_POLICY_MAX_DEPTH);
	}
	if (!json_is_object(v)) {
		return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
		    "a rule must be an object");
	}
	all = json_object_get(v, "allOf");
	any = json_object_get(v, "anyOf");
	claim = json_object_get(v, "claim");
	kinds = (all != NULL) + (any != NULL) + (claim != NULL);
	if (kinds != 1) {
		rv = pol_check_keys(pp, v, any_keys);
		if (rv != VOUCH_OK) {
			return rv;
		}
		return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
		    "a rule has exactly one of allOf, anyOf or claim");
	}
	if (pol->nnodes >= VOUCH_POLICY_MAX_NODES) {
		return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
		    "more than %d rules in the policy", VOUCH_POLICY_MAX_NODES);
	}
	idx = pol->nnodes++;
	node = &pol->nodes[idx];
	memset(node, 0, sizeof(*node));
	node->first = POL_NONE;
	node->next = POL_NONE;
	if (claim != NULL) {
		node->kind = POL_CLAIM;
		rv = pol_parse_cmp(pp, v, node);
		if (rv != VOUCH_OK) {
			return rv;
		}
		*out = idx;
		return VOUCH_OK;
	}

	node->kind = all != NULL ? POL_ALL_OF : POL_ANY_OF;
	kw = all != NULL ? "allOf" : "anyOf";
	arr = all != NULL ? all : any;
	rv = pol_check_keys(pp, v, all != NULL ? all_of_keys : any_of_keys);
	if (rv != VOUCH_OK) {
		return rv;
	}
	old = pol_path_push(&pp->path, kw);
	n = json_is_array(arr) ? json_array_size(arr) : 0;
	if (n == 0) {
		return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
		    "%s takes a non-empty array of rules", kw);
	}
	prev = POL_NONE;
	for (i = 0; i < n; i++) {
		old_i = pol_path_push_index(&pp->path, i);
		rv = pol_parse_rule(pp, json_array_get(arr, i), depth + 1,
		    &kid);
		if (rv != VOUCH_OK) {
			return rv;
		}
		pol_path_pop(&pp->path, old_i);
		/* |node| stays valid: the pool is an array inside |pol|. */
		if (prev == POL_NONE) {
			node->first = kid;
		} else {
			pol->nodes[prev].next = kid;
		}
		prev = kid;
	}
	node->nkids = n;
	pol_path_pop(&pp->path, old);
	*out = idx;
	return VOUCH_OK;
}

static enum vouch_err
pol_parse_release_rules(struct pol_parser *pp, json_t *obj)
{
	static const char *const keys[] = {
		"rule", "max_releases", "not_after", NULL,
	};
	struct vouch_policy *pol = pp->pol;
	struct pol_rrule *rr;
	enum vouch_err rv;
	const char *key;
	json_t *v, *rule;
	size_t klen, n, old, old_r;
	bool present;
	void *it;

	if (!json_is_object(obj)) {
		return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
		    "must be an object of release rules");
	}
	n = json_object_size(obj);
	if (n > VOUCH_POLICY_MAX_RELEASE_RULES) {
		return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
		    "more than %d release rules",
		    VOUCH_POLICY_MAX_RELEASE_RULES);
	}
	if (n == 0) {
		return VOUCH_OK;
	}
	pol->rrules = vouch_reallocarray(NULL, n, sizeof(*pol->rrules));
	if (pol->rrules == NULL) {
		return vouch_fail(pp->ctx, VOUCH_ERR_NO_MEMORY,
		    "policy: out of memory");
	}
	memset(pol->rrules, 0, n * sizeof(*pol->rrules));
	for (it = json_object_iter(obj); it != NULL;
	    it = json_object_iter_next(obj, it)) {
		key = json_object_iter_key(it);
		klen = json_object_iter_key_len(it);
		v = json_object_iter_value(it);
		old = pol_path_push_key(&pp->path, key, klen);
		if (pol->nrrules >= n || !pol_name_ok(key, klen)) {
			return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
			    "a release rule name is 1 to %d characters of "
			    "A-Z a-z 0-9 . _ -", VOUCH_POLICY_NAME_MAX);
		}
		if (!json_is_object(v)) {
			return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
			    "must be an object");
		}
		rv = pol_check_keys(pp, v, keys);
		if (rv != VOUCH_OK) {
			return rv;
		}
		rr = &pol->rrules[pol->nrrules];
		memcpy(rr->name, key, klen);
		rr->name[klen] = '\0';
		rr->root = POL_NONE;
		rr->max_releases = 0;
		rr->not_after = INT64_MAX;
		rv = pol_get_int(pp, v, "max_releases", 1,
		    VOUCH_POLICY_MAX_RELEASES_LIMIT, &present,
		    &rr->max_releases);
		if (rv != VOUCH_OK) {
			return rv;
		}
		rv = pol_get_time(pp, v, "not_after", &present, &rr->not_after);
		if (rv != VOUCH_OK) {
			return rv;
		}
		rule = json_object_get(v, "rule");
		if (rule == NULL) {
			return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
			    "missing \"rule\"");
		}
		old_r = pol_path_push(&pp->path, "rule");
		rv = pol_parse_rule(pp, rule, 1, &rr->root);
		if (rv != VOUCH_OK) {
			return rv;
		}
		pol_path_pop(&pp->path, old_r);
		pol->nrrules++;
		pol_path_pop(&pp->path, old);
	}
	return VOUCH_OK;
}

/* A required object member, parsed by |fn| with the path pushed. */
static enum vouch_err
pol_parse_member(struct pol_parser *pp, json_t *root, const char *key,
    bool required, enum vouch_err (*fn)(struct pol_parser *, json_t *))
{
	enum vouch_err rv;
	json_t *v = json_object_get(root, key);
	size_t old;

	if (v == NULL) {
		if (!required) {
			return VOUCH_OK;
		}
		return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
		    "missing \"%s\"", key);
	}
	old = pol_path_push(&pp->path, key);
	rv = fn(pp, v);
	if (rv != VOUCH_OK) {
		return rv;
	}
	pol_path_pop(&pp->path, old);
	return VOUCH_OK;
}

static enum vouch_err
pol_parse_rules_member(struct pol_parser *pp, json_t *v)
{
	return pol_parse_rule(pp, v, 1, &pp->pol->rules);
}

static enum vouch_err
pol_parse_doc(struct pol_parser *pp, json_t *root)
{
	static const char *const keys[] = {
		"vouch_policy", "version", "expires", "platforms",
		"measurements", "admission", "rules", "release_rules", NULL,
	};
	struct vouch_policy *pol = pp->pol;
	enum vouch_err rv;
	json_t *v;

	if (!json_is_object(root)) {
		return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
		    "a policy is a JSON object");
	}
	/*
	 * The format version first: a later format may have keys this code
	 * does not know, and "unsupported version" is the useful answer.
	 */
	v = json_object_get(root, "vouch_policy");
	if (v == NULL) {
		return pol_err(pp, VOUCH_ERR_POLICY_INVALID,
		    "missing \"vouch_policy\" (the format version, %d)",
		    VOUCH_POLICY_FORMAT);
	}
	if (!json_is_integer(v) ||
	    json_integer_value(v) != VOUCH_POLICY_FORMAT) {
		(void)pol_path_push(&pp->path, "vouch_policy");
		return pol_err(pp, VOUCH_ERR_UNSUPPORTED_VERSION,
		    "this build reads policy format %d only",
		    VOUCH_POLICY_FORMAT);
	}
	rv = pol_check_keys(pp, root, keys);
	if (rv != VOUCH_OK) {
		return rv;
	}
	rv = pol_get_int(pp, root, "version", 1, INT64_MAX, NULL,
	    &pol->version);
	if (rv != VOUCH_OK) {
		return rv;
	}
	rv = pol_get_time(pp, root, "expires", NULL, &pol->expires);
	if (rv != VOUCH_OK) {
		return rv;
	}
	rv = pol_parse_member(pp, root, "platforms", true,
	    pol_parse_platforms);
	if (rv != VOUCH_OK) {
		return rv;
	}
	rv = pol_parse_member(pp, root, "measurements", true,
	    pol_parse_measurements);
	if (rv != VOUCH_OK) {
		return rv;
	}
	rv = pol_parse_member(pp, root, "admission", false,
	    pol_parse_admission);
	if (rv != VOUCH_OK) {
		return rv;
	}
	rv = pol_parse_member(pp, root, "rules", false,
	    pol_parse_rules_member);
	if (rv != VOUCH_OK) {
		return rv;
	}
	return pol_parse_member(pp, root, "release_rules", false,
	    pol_parse_release_rules);
}

enum vouch_err
vouch_policy_parse(struct vouch_ctx *ctx, const uint8_t *buf, size_t len,
    struct vouch_policy **out)
{
	enum vouch_err rv = VOUCH_ERR_INTERNAL;	/* fail closed */
	char detail[VOUCH_ERRMSG_MAX];
	struct vouch_policy *pol = NULL;
	struct pol_parser pp;
	json_t *root = NULL;

	if (out == NULL || (buf == NULL && len > 0)) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "policy: no buffer or output");
	}
	*out = NULL;
	if (len > VOUCH_POLICY_MAX_BYTES) {
		rv = vouch_fail(ctx, VOUCH_ERR_TOO_LARGE,
		    "policy: %zu bytes exceeds the limit of %u", len,
		    VOUCH_POLICY_MAX_BYTES);
		goto out;
	}
	rv = vouch_json_load(ctx, buf, len, VOUCH_POLICY_MAX_BYTES, &root);
	if (rv != VOUCH_OK) {
		/* Copy first: vouch_fail rewrites the detail's buffer. */
		pol_copy(detail, sizeof(detail), vouch_error(ctx));
		rv = vouch_fail(ctx, rv, "policy: %s", detail);
		goto out;
	}
	pol = calloc(1, sizeof(*pol));
	if (pol == NULL) {
		rv = vouch_fail(ctx, VOUCH_ERR_NO_MEMORY,
		    "policy: out of memory");
		goto out;
	}
	pol->lifetime = VOUCH_POLICY_LIFETIME_DEFAULT;
	pol->rules = POL_NONE;
	memset(&pp, 0, sizeof(pp));
	pp.ctx = ctx;
	pp.pol = pol;
	rv = pol_parse_doc(&pp, root);
	if (rv != VOUCH_OK) {
		goto out;
	}
	*out = pol;
	pol = NULL;
	rv = VOUCH_OK;
 out:
	vouch_policy_free(pol);
	json_decref(root);
	return rv;
}

void
vouch_policy_free(struct vouch_policy *pol)
{
	size_t i, j;

	if (pol == NULL) {
		return;
	}
	for (i = 0; i < pol->nnodes; i++) {
		for (j = 0; j < pol->nodes[i].nvals; j++) {
			free(pol->nodes[i].vals[j].p);
		}
		free(pol->nodes[i].vals);
	}
	free(pol->releases);
	free(pol->meas);
	free(pol->rrules);
	free(pol);
}

/*
 * Accessors.
 */

int64_t
vouch_policy_version(const struct vouch_policy *pol)
{
	return pol != NULL ? pol->version : 0;
}

int64_t
vouch_policy_expires(const struct vouch_policy *pol)
{
	return pol != NULL ? pol->expires : 0;
}

int64_t
vouch_policy_admission_lifetime(const struct vouch_policy *pol)
{
	return pol != NULL ? pol->lifetime : 0;
}

static const struct pol_platform *
pol_platform(const struct vouch_policy *pol, const char *name)
{
	int idx;

	if (pol == NULL || name == NULL) {
		return NULL;
	}
	idx = pol_platform_index(name, strlen(name));
	if (idx < 0 || !pol->platforms[idx].trusted) {
		return NULL;
	}
	return &pol->platforms[idx];
}

bool
vouch_policy_platform_is_trusted(const struct vouch_policy *pol,
    const char *platform)
{
	return pol_platform(pol, platform) != NULL;
}

bool
vouch_policy_platform_allows_debug(const struct vouch_policy *pol,
    const char *platform)
{
	const struct pol_platform *p = pol_platform(pol, platform);

	return p != NULL && p->allow_debug;
}

bool
vouch_policy_platform_min_tcb_svn(const struct vouch_policy *pol,
    const char *platform, int64_t *out)
{
	const struct pol_platform *p = pol_platform(pol, platform);

	if (p == NULL || !p->has_min_tcb) {
		return false;
	}
	if (out != NULL) {
		*out = p->min_tcb_svn;
	}
	return true;
}

const char *
vouch_policy_measurement_release(const struct vouch_policy *pol,
    const uint8_t *m, size_t len)
{
	size_t i;

	if (pol == NULL || m == NULL) {
		return NULL;
	}
	for (i = 0; i < pol->nmeas; i++) {
		if (pol->meas[i].n == len &&
		    memcmp(pol->meas[i].v, m, len) == 0) {
			return pol->releases[pol->meas[i].release].name;
		}
	}
	return NULL;
}

static const struct pol_rrule *
pol_find_rrule(const struct vouch_policy *pol, const char *name)
{
	size_t i;

	if (pol == NULL || name == NULL) {
		return NULL;
	}
	for (i = 0; i < pol->nrrules; i++) {
		if (strcmp(pol->rrules[i].name, name) == 0) {
			return &pol->rrules[i];
		}
	}
	return NULL;
}

bool
vouch_policy_release_rule_limits(const struct vouch_policy *pol,
    const char *name, int64_t *out_max_releases, int64_t *out_not_after)
{
	const struct pol_rrule *rr = pol_find_rrule(pol, name);

	if (rr == NULL) {
		return false;
	}
	if (out_max_releases != NULL) {
		*out_max_releases = rr->max_releases;
	}
	if (out_not_after != NULL) {
		*out_not_after = rr->not_after;
	}
	return true;
}

/*
 * Evaluation.
 */

struct pol_eval {
	struct vouch_ctx		*ctx;
	const struct vouch_policy	*pol;
	const struct vouch_claims	*claims;
	struct vouch_explain		*ex;
	struct pol_text			 text;
	struct pol_path			 path;
	bool				 have_first;
};

static void
pol_eval_init(struct pol_eval *ev, struct vouch_ctx *ctx,
    const struct vouch_policy *pol, const struct vouch_claims *claims,
    struct vouch_explain *ex)
{
	memset(ev, 0, sizeof(*ev));
	memset(ex, 0, sizeof(*ex));
	ex->code = VOUCH_ERR_POLICY_DENIED;	/* default deny */
	ev->ctx = ctx;
	ev->pol = pol;
	ev->claims = claims;
	ev->ex = ex;
	pol_text_init(&ev->text, ex->text, sizeof(ex->text));
}

/* Record the first failing check (path and claim) unless one is. */
static void
pol_eval_first(struct pol_eval *ev, const char *path, const char *claim)
{
	if (ev->have_first) {
		return;
	}
	ev->have_first = true;
	pol_copy(ev->ex->path, sizeof(ev->ex->path), path);
	pol_copy(ev->ex->claim, sizeof(ev->ex->claim), claim);
}

/* Finish with |code|; the context's detail repeats the explanation. */
static enum vouch_err
pol_eval_end(struct pol_eval *ev, enum vouch_err code)
{
	ev->ex->code = code;
	if (code == VOUCH_OK) {
		return VOUCH_OK;
	}
	return vouch_fail(ev->ctx, code, "policy: %s", ev->ex->text);
}

/* The claim |def| names, if present with its table type. */
static bool
pol_claim_get(const struct vouch_claims *c, const struct vouch_claim_def *def,
    struct pol_view *out)
{
	const uint8_t *p;
	const char *s;
	int64_t i;
	size_t n;
	int b;

	memset(out, 0, sizeof(*out));
	switch (def->type) {
	case VOUCH_CLAIM_BOOL:
		if (!vouch_claims_get_bool(c, def->name, &b)) {
			return false;
		}
		out->b = b != 0;
		return true;
	case VOUCH_CLAIM_INT:
		if (!vouch_claims_get_int(c, def->name, &i)) {
			return false;
		}
		out->i = i;
		return true;
	case VOUCH_CLAIM_STRING:
		if (!vouch_claims_get_string(c, def->name, &s)) {
			return false;
		}
		out->p = (const uint8_t *)s;
		out->n = strlen(s);
		return true;
	case VOUCH_CLAIM_BYTES:
		if (!vouch_claims_get_bytes(c, def->name, &p, &n)) {
			return false;
		}
		out->p = p;
		out->n = n;
		return true;
	}
	return false;
}

static void
pol_view_of(const struct pol_value *v, struct pol_view *out)
{
	out->b = v->b;
	out->i = v->i;
	out->p = v->p;
	out->n = v->n;
}

static bool
pol_view_eq(enum vouch_claim_type type, const struct pol_view *a,
    const struct pol_view *b)
{
	switch (type) {
	case VOUCH_CLAIM_BOOL:
		return a->b == b->b;
	case VOUCH_CLAIM_INT:
		return a->i == b->i;
	case VOUCH_CLAIM_STRING:
	case VOUCH_CLAIM_BYTES:
		/* Exact length first: a prefix is not a match. */
		return a->n == b->n &&
		    (a->n == 0 || memcmp(a->p, b->p, a->n) == 0);
	}
	return false;
}

/* "<path>: claim X = V, requires <op> <value>" */
static void
pol_text_cmp(struct pol_text *t, const char *path, const struct pol_node *n,
    bool present, const struct pol_view *cv)
{
	struct pol_view want;
	size_t i;

	pol_text_add(t, "%s: claim %s", path, n->def->name);
	if (present) {
		pol_text_add(t, " = ");
		pol_text_view(t, n->def->type, cv);
	} else {
		pol_text_add(t, " is missing");
	}
	pol_text_add(t, ", requires %s ", pol_op_name(n->op));
	if (n->op == POL_OP_EXISTS) {
		pol_text_add(t, "%s", n->vals[0].b ? "true" : "false");
		return;
	}
	if (n->op != POL_OP_IN) {
		pol_view_of(&n->vals[0], &want);
		pol_text_view(t, n->def->type, &want);
		return;
	}
	pol_text_add(t, "[");
	for (i = 0; i < n->nvals && i < POL_IN_SHOW_MAX; i++) {
		if (i > 0) {
			pol_text_add(t, ", ");
		}
		pol_view_of(&n->vals[i], &want);
		pol_text_view(t, n->def->type, &want);
	}
	if (n->nvals > POL_IN_SHOW_MAX) {
		pol_text_add(t, ", ... (%zu values)", n->nvals);
	}
	pol_text_add(t, "]");
}

static bool
pol_cmp_holds(const struct pol_node *n, bool present,
    const struct pol_view *cv)
{
	struct pol_view want;
	size_t i;

	if (n->op == POL_OP_EXISTS) {
		return present == n->vals[0].b;
	}
	if (!present) {
		return false;
	}
	pol_view_of(&n->vals[0], &want);
	switch (n->op) {
	case POL_OP_EQUALS:
		return pol_view_eq(n->def->type, cv, &want);
	case POL_OP_NOT_EQUALS:
		return !pol_view_eq(n->def->type, cv, &want);
	case POL_OP_IN:
		for (i = 0; i < n->nvals; i++) {
			pol_view_of(&n->vals[i], &want);
			if (pol_view_eq(n->def->type, cv, &want)) {
				return true;
			}
		}
		return false;
	case POL_OP_LESS:
		return cv->i < want.i;
	case POL_OP_LESS_OR_EQUALS:
		return cv->i <= want.i;
	case POL_OP_GREATER:
		return cv->i > want.i;
	case POL_OP_GREATER_OR_EQUALS:
		return cv->i >= want.i;
	case POL_OP_EXISTS:
		break;
	}
	return false;
}

static bool	pol_eval_node(struct pol_eval *ev, size_t idx);

static bool
pol_eval_cmp(struct pol_eval *ev, const struct pol_node *n)
{
	struct pol_view cv;
	bool present;

	present = pol_claim_get(ev->claims, n->def, &cv);
	if (pol_cmp_holds(n, present, &cv)) {
		return true;
	}
	pol_text_cmp(&ev->text, ev->path.s, n, present, &cv);
	pol_eval_first(ev, ev->path.s, n->def->name);
	return false;
}

static bool
pol_eval_all(struct pol_eval *ev, const struct pol_node *n)
{
	size_t kid, i, old, old_i;
	bool ok = n->first != POL_NONE;

	old = pol_path_push(&ev->path, "allOf");
	for (kid = n->first, i = 0; kid != POL_NONE;
	    kid = ev->pol->nodes[kid].next, i++) {
		old_i = pol_path_push_index(&ev->path, i);
		ok = pol_eval_node(ev, kid);
		pol_path_pop(&ev->path, old_i);
		if (!ok) {
			break;
		}
	}
	pol_path_pop(&ev->path, old);
	return ok;
}

static bool
pol_eval_any(struct pol_eval *ev, const struct pol_node *n)
{
	size_t mark = ev->text.len, kid, i, old, old_i;
	bool had_first = ev->have_first;

	pol_text_add(&ev->text, "%s: all %zu branches of anyOf failed (",
	    ev->path.s, n->nkids);
	old = pol_path_push(&ev->path, "anyOf");
	for (kid = n->first, i = 0; kid != POL_NONE;
	    kid = ev->pol->nodes[kid].next, i++) {
		if (i > 0) {
			pol_text_add(&ev->text, "; ");
		}
		old_i = pol_path_push_index(&ev->path, i);
		if (pol_eval_node(ev, kid)) {
			/* One branch holds: forget why the others did not. */
			pol_path_pop(&ev->path, old);
			pol_text_rewind(&ev->text, mark);
			if (!had_first) {
				ev->have_first = false;
				ev->ex->path[0] = '\0';
				ev->ex->claim[0] = '\0';
			}
			return true;
		}
		pol_path_pop(&ev->path, old_i);
	}
	pol_path_pop(&ev->path, old);
	pol_text_add(&ev->text, ")");
	return false;
}

static bool
pol_eval_node(struct pol_eval *ev, size_t idx)
{
	const struct pol_node *n;

	if (idx >= ev->pol->nnodes) {
		return false;
	}
	n = &ev->pol->nodes[idx];
	switch (n->kind) {
	case POL_ALL_OF:
		return pol_eval_all(ev, n);
	case POL_ANY_OF:
		return pol_eval_any(ev, n);
	case POL_CLAIM:
		return pol_eval_cmp(ev, n);
	}
	return false;
}

/* True, with the explanation written, when the policy is expired. */
static bool
pol_eval_expired(struct pol_eval *ev)
{
	char when[32];

	if (vouch_ctx_now(ev->ctx) < ev->pol->expires) {
		return false;
	}
	if (!vouch_time_format_rfc3339(ev->pol->expires, when, sizeof(when))) {
		pol_copy(when, sizeof(when), "?");
	}
	pol_eval_first(ev, "expires", "");
	pol_text_add(&ev->text, "expires: policy version %" PRId64
	    " expired at %s", ev->pol->version, when);
	return true;
}

enum vouch_err
vouch_policy_check_current(struct vouch_ctx *ctx,
    const struct vouch_policy *pol)
{
	struct vouch_explain ex;
	struct pol_eval ev;

	if (pol == NULL) {
		return vouch_fail(ctx, VOUCH_ERR_INVALID_ARGUMENT,
		    "policy: no policy");
	}
	pol_eval_init(&ev, ctx, pol, NULL, &ex);
	if (pol_eval_expired(&ev)) {
		return pol_eval_end(&ev, VOUCH_ERR_POLICY_EXPIRED);
	}
	return VOUCH_OK;
}

/* Index of |s| in |names|, or -1. */
static int
pol_name_index(const char *s, const char *const *names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(names[i], s) == 0) {
			return (int)i;
		}
	}
	return -1;
}

/* "... requires in [names listed in |set|]" */
static void
pol_text_name_set(struct pol_text *t, const char *const *names,
    const bool *set, size_t n)
{
	size_t i, k = 0;

	pol_text_add(t, "requires in [");
	for (i = 0; i < n; i++) {
		if (set[i]) {
			pol_text_add(t, "%s\"%s\"", k++ > 0 ? ", " : "",
			    names[i]);
		}
	}
	pol_text_add(t, "]");
}

/* A string claim that must be one of the names in |set|. */
static enum vouch_err
pol_eval_snp_name(struct pol_eval *ev, const char *path, const char *claim,
    const char *const *names, const bool *set, size_t n, int *out_idx)
{
	const char *v;
	int idx;

	*out_idx = -1;
	if (!vouch_claims_get_string(ev->claims, claim, &v)) {
		pol_eval_first(ev, path, claim);
		pol_text_add(&ev->text, "%s: claim %s is missing, ", path,
		    claim);
		pol_text_name_set(&ev->text, names, set, n);
		return VOUCH_ERR_POLICY_DENIED;
	}
	idx = pol_name_index(v, names, n);
	if (idx < 0 || !set[idx]) {
		pol_eval_first(ev, path, claim);
		pol_text_add(&ev->text, "%s: claim %s = \"", path, claim);
		pol_text_safe(&ev->text, v, strlen(v));
		pol_text_add(&ev->text, "\", ");
		pol_text_name_set(&ev->text, names, set, n);
		return VOUCH_ERR_POLICY_DENIED;
	}
	*out_idx = idx;
	return VOUCH_OK;
}

/*
 * A TCB floor for the report's product: |setting| "min_tcb" on claims
 * "snp.reported_tcb.*", "min_launch_tcb" on "snp.launch_tcb.*".
 */
static enum vouch_err
pol_eval_snp_floor(struct pol_eval *ev, const struct pol_snp_floor *fl,
    const char *setting, const char *tcb)
{
	char path[VOUCH_EXPLAIN_PATH_MAX], claim[VOUCH_EXPLAIN_CLAIM_MAX];
	char top[48];	/* "platforms.snp.min_launch_tcb" */
	const char *product;
	int64_t v;
	size_t k;
	int p;

	(void)snprintf(top, sizeof(top), "platforms.snp.%s", setting);
	if (!vouch_claims_get_string(ev->claims, "snp.product", &product)) {
		pol_eval_first(ev, top, "snp.product");
		pol_text_add(&ev->text, "%s: claim snp.product is missing",
		    top);
		return VOUCH_ERR_POLICY_DENIED;
	}
	p = pol_name_index(product, pol_snp_products, POL_SNP_NPRODUCTS);
	if (p < 0 || !fl->for_product[p]) {
		/* A floor for one product says nothing about another. */
		pol_eval_first(ev, top, "snp.product");
		pol_text_add(&ev->text, "%s: claim snp.product = \"", top);
		pol_text_safe(&ev->text, product, strlen(product));
		pol_text_add(&ev->text, "\" has no minimum %sTCB in the "
		    "policy", strcmp(tcb, "launch") == 0 ? "launch " : "");
		return VOUCH_ERR_POLICY_DENIED;
	}
	for (k = 0; k < POL_SNP_NTCB; k++) {
		if (fl->v[p][k] < 0) {
			continue;
		}
		(void)snprintf(path, sizeof(path), "%s.%s.%s", top,
		    pol_snp_products[p], pol_snp_tcb_parts[k]);
		(void)snprintf(claim, sizeof(claim), "snp.%s_tcb.%s", tcb,
		    pol_snp_tcb_parts[k]);
		if (!vouch_claims_get_int(ev->claims, claim, &v)) {
			pol_eval_first(ev, path, claim);
			pol_text_add(&ev->text, "%s: claim %s is missing, "
			    "requires greaterOrEquals %" PRId64, path, claim,
			    fl->v[p][k]);
			return VOUCH_ERR_TCB_OUT_OF_DATE;
		}
		if (v < fl->v[p][k]) {
			pol_eval_first(ev, path, claim);
			pol_text_add(&ev->text, "%s: claim %s = %" PRId64
			    ", requires greaterOrEquals %" PRId64, path, claim,
			    v, fl->v[p][k]);
			return VOUCH_ERR_TCB_OUT_OF_DATE;
		}
	}
	return VOUCH_OK;
}

/*
 * A version floor compared lexicographically: the claims |prefix|.<part>
 * for the |n| |parts| against |min|.  "min_firmware" (current firmware
 * major, minor, build) and "min_abi" (guest policy ABI major, minor).
 */
static enum vouch_err
pol_eval_snp_version(struct pol_eval *ev, const char *setting,
    const char *prefix, const char *const *parts, const int64_t *min,
    size_t n, enum vouch_err code)
{
	char path[VOUCH_EXPLAIN_PATH_MAX], claim[VOUCH_EXPLAIN_CLAIM_MAX];
	int64_t v[3];
	size_t i;

	(void)snprintf(path, sizeof(path), "platforms.snp.%s", setting);
	for (i = 0; i < n; i++) {
		(void)snprintf(claim, sizeof(claim), "%s.%s", prefix,
		    parts[i]);
		if (!vouch_claims_get_int(ev->claims, claim, &v[i])) {
			pol_eval_first(ev, path, claim);
			pol_text_add(&ev->text, "%s: claim %s is missing",
			    path, claim);
			return code;
		}
	}
	for (i = 0; i < n; i++) {
		if (v[i] > min[i]) {
			return VOUCH_OK;
		}
		if (v[i] < min[i]) {
			break;
		}
	}
	if (i == n) {
		return VOUCH_OK;
	}
	(void)snprintf(claim, sizeof(claim), "%s.%s", prefix, parts[i]);
	pol_eval_first(ev, path, claim);
	pol_text_add(&ev->text, "%s: claims %s.{", path, prefix);
	for (i = 0; i < n; i++) {
		pol_text_add(&ev->text, "%s%s", i > 0 ? "," : "", parts[i]);
	}
	pol_text_add(&ev->text, "} = ");
	for (i = 0; i < n; i++) {
		pol_text_add(&ev->text, "%s%" PRId64, i > 0 ? "." : "", v[i]);
	}
	pol_text_add(&ev->text, ", requires greaterOrEquals ");
	for (i = 0; i < n; i++) {
		pol_text_add(&ev->text, "%s%" PRId64, i > 0 ? "." : "", min[i]);
	}
	return code;
}

/* Required and forbidden PLATFORM_INFO bits. */
static enum vouch_err
pol_eval_snp_platform_info(struct pol_eval *ev, const struct pol_snp *snp)
{
	char claim[VOUCH_EXPLAIN_CLAIM_MAX];
	uint64_t pi, bit;
	int64_t v;
	size_t i;

	if (!vouch_claims_get_int(ev->claims, "snp.platform_info", &v)) {
		pol_eval_first(ev, "platforms.snp.platform_info",
		    "snp.platform_info");
		pol_text_add(&ev->text, "platforms.snp.platform_info: claim "
		    "snp.platform_info is missing");
		return VOUCH_ERR_POLICY_DENIED;
	}
	pi = (uint64_t)v;
	for (i = 0; i < POL_SNP_NPINFO; i++) {
		bit = UINT64_C(1) << pol_snp_pinfo_nums[i];
		(void)snprintf(claim, sizeof(claim), "snp.platform_info.%s",
		    pol_snp_pinfo_names[i]);
		if ((snp->pinfo_require & bit) != 0 && (pi & bit) == 0) {
			pol_eval_first(ev, "platforms.snp.platform_info.require",
			    claim);
			pol_text_add(&ev->text, "platforms.snp.platform_info."
			    "require: claim %s = false (snp.platform_info = 0x%"
			    PRIx64 " lacks bit %u), requires equals true", claim,
			    pi, pol_snp_pinfo_nums[i]);
			return VOUCH_ERR_POLICY_DENIED;
		}
		if ((snp->pinfo_forbid & bit) != 0 && (pi & bit) != 0) {
			pol_eval_first(ev, "platforms.snp.platform_info.forbid",
			    claim);
			pol_text_add(&ev->text, "platforms.snp.platform_info."
			    "forbid: claim %s = true (snp.platform_info = 0x%"
			    PRIx64 " has bit %u), requires equals false", claim,
			    pi, pol_snp_pinfo_nums[i]);
			return VOUCH_ERR_POLICY_DENIED;
		}
	}
	return VOUCH_OK;
}

/* Every required mitigation bit in both the launch and current vectors. */
static enum vouch_err
pol_eval_snp_mitigations(struct pol_eval *ev, const struct pol_snp *snp)
{
	static const char *const claims[] = { "snp.current_mit_vector",
	    "snp.launch_mit_vector" };
	static const char path[] = "platforms.snp.required_mitigations";
	uint64_t vec, missing;
	int64_t v;
	size_t i;
	int b;

	for (i = 0; i < 2; i++) {
		if (!vouch_claims_get_int(ev->claims, claims[i], &v)) {
			pol_eval_first(ev, path, claims[i]);
			pol_text_add(&ev->text, "%s: claim %s is missing (the "
			    "vectors exist from report version 5)", path,
			    claims[i]);
			return VOUCH_ERR_POLICY_DENIED;
		}
		vec = (uint64_t)v;
		missing = snp->mitigations & ~vec;
		if (missing != 0) {
			for (b = 0; b < 64; b++) {
				if ((missing >> b) & 1) {
					break;
				}
			}
			pol_eval_first(ev, path, claims[i]);
			pol_text_add(&ev->text, "%s: claim %s = 0x%" PRIx64
			    " lacks bit %d, requires every bit of 0x%" PRIx64,
			    path, claims[i], vec, b, snp->mitigations);
			return VOUCH_ERR_POLICY_DENIED;
		}
	}
	return VOUCH_OK;
}

/*
 * A bytes claim that must be one of the |l->n| values of |nbytes|.
 * |why| (may be "") is added to the explanation when it is not.
 */
static enum vouch_err
pol_eval_snp_list(struct pol_eval *ev, const char *path, const char *claim,
    const struct pol_snp_list *l, size_t nbytes, const char *why)
{
	const uint8_t *p;
	size_t n, i;

	if (!vouch_claims_get_bytes(ev->claims, claim, &p, &n)) {
		pol_eval_first(ev, path, claim);
		pol_text_add(&ev->text, "%s: claim %s is missing", path, claim);
		return VOUCH_ERR_POLICY_DENIED;
	}
	for (i = 0; i < l->n; i++) {
		if (n == nbytes && memcmp(p, l->v[i], nbytes) == 0) {
			return VOUCH_OK;
		}
	}
	pol_eval_first(ev, path, claim);
	pol_text_add(&ev->text, "%s: claim %s = ", path, claim);
	pol_text_hex(&ev->text, p, n);
	pol_text_add(&ev->text, " is none of the %zu allowed values%s", l->n,
	    why);
	return VOUCH_ERR_POLICY_DENIED;
}

/*
 * Provisional firmware (checklist #7): refused unless
 * allow_provisional_firmware.  The verifier already refused committed
 * above current; the explanation names the first component below.
 */
static enum vouch_err
pol_eval_snp_provisional(struct pol_eval *ev)
{
	static const char path[] = "platforms.snp.allow_provisional_firmware";
	static const char *const parts[] = { "fmc", "bootloader", "tee", "snp",
	    "microcode" };
	static const char *const vparts[] = { "major", "minor", "build" };
	char ccom[VOUCH_EXPLAIN_CLAIM_MAX], ccur[VOUCH_EXPLAIN_CLAIM_MAX];
	int64_t com, cur;
	size_t i;
	int prov;

	if (!vouch_claims_get_bool(ev->claims, "snp.provisional_firmware",
	    &prov)) {
		/* Unknown is not "committed". */
		pol_eval_first(ev, path, "snp.provisional_firmware");
		pol_text_add(&ev->text, "%s: claim snp.provisional_firmware is "
		    "missing, requires equals false", path);
		return VOUCH_ERR_TCB_MISMATCH;
	}
	if (prov == 0) {
		return VOUCH_OK;
	}
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		(void)snprintf(ccom, sizeof(ccom), "snp.committed_tcb.%s",
		    parts[i]);
		(void)snprintf(ccur, sizeof(ccur), "snp.current_tcb.%s",
		    parts[i]);
		if (vouch_claims_get_int(ev->claims, ccom, &com) &&
		    vouch_claims_get_int(ev->claims, ccur, &cur) &&
		    com != cur) {
			goto found;
		}
	}
	for (i = 0; i < sizeof(vparts) / sizeof(vparts[0]); i++) {
		(void)snprintf(ccom, sizeof(ccom), "snp.committed_version.%s",
		    vparts[i]);
		(void)snprintf(ccur, sizeof(ccur), "snp.current_version.%s",
		    vparts[i]);
		if (vouch_claims_get_int(ev->claims, ccom, &com) &&
		    vouch_claims_get_int(ev->claims, ccur, &cur) &&
		    com != cur) {
			goto found;
		}
	}
	pol_eval_first(ev, path, "snp.provisional_firmware");
	pol_text_add(&ev->text, "%s: claim snp.provisional_firmware = true, "
	    "requires equals false (allow_provisional_firmware is not set)",
	    path);
	return VOUCH_ERR_TCB_MISMATCH;
 found:
	pol_eval_first(ev, path, ccom);
	pol_text_add(&ev->text, "%s: claim %s = %" PRId64 ", %s = %" PRId64
	    ": provisional firmware, requires committed equals current "
	    "(allow_provisional_firmware is not set)", path, ccom, com, ccur,
	    cur);
	return VOUCH_ERR_TCB_MISMATCH;
}

/* Required and forbidden GUEST_POLICY bits. */
static enum vouch_err
pol_eval_snp_guest_policy(struct pol_eval *ev, const struct pol_snp *snp)
{
	uint64_t gp, bit;
	int64_t v;
	size_t i;

	if (!vouch_claims_get_int(ev->claims, "snp.policy", &v)) {
		pol_eval_first(ev, "platforms.snp.guest_policy", "snp.policy");
		pol_text_add(&ev->text, "platforms.snp.guest_policy: claim "
		    "snp.policy is missing");
		return VOUCH_ERR_POLICY_DENIED;
	}
	gp = (uint64_t)v;
	for (i = 0; i < POL_SNP_NBITS; i++) {
		bit = UINT64_C(1) << pol_snp_bit_nums[i];
		if ((snp->policy_require & bit) != 0 && (gp & bit) == 0) {
			pol_eval_first(ev, "platforms.snp.guest_policy.require",
			    "snp.policy");
			pol_text_add(&ev->text, "platforms.snp.guest_policy."
			    "require: claim snp.policy = 0x%" PRIx64 " lacks "
			    "bit %u (%s)", gp, pol_snp_bit_nums[i],
			    pol_snp_bit_names[i]);
			return VOUCH_ERR_POLICY_DENIED;
		}
		if ((snp->policy_forbid & bit) != 0 && (gp & bit) != 0) {
			pol_eval_first(ev, "platforms.snp.guest_policy.forbid",
			    "snp.policy");
			pol_text_add(&ev->text, "platforms.snp.guest_policy."
			    "forbid: claim snp.policy = 0x%" PRIx64 " has bit "
			    "%u (%s) set", gp, pol_snp_bit_nums[i],
			    pol_snp_bit_names[i]);
			return VOUCH_ERR_POLICY_DENIED;
		}
	}
	return VOUCH_OK;
}

/*
 * The SEV-SNP settings, over verified claims only, so that vouchd and
 * `vouch evidence verify --policy` decide alike.  Order: product, signing
 * key, minimum TCB, VMPL, guest policy bits, host_data, minimum launch
 * TCB, minimum firmware, minimum ABI, platform_info, mitigations,
 * family_id, image_id, minimum guest SVN, ID key, author key.  The
 * provisional firmware default comes after debug, with the defaults.
 */
static enum vouch_err
pol_eval_snp(struct pol_eval *ev)
{
	static const char *const fw_parts[] = { "major", "minor", "build" };
	static const char *const abi_parts[] = { "abi_major", "abi_minor" };
	const struct pol_snp *snp = &ev->pol->snp;
	enum vouch_err rv;
	const uint8_t *hd;
	size_t hd_len, i;
	int64_t vmpl, svn;
	int idx, aken;

	if (snp->has_products) {
		rv = pol_eval_snp_name(ev, "platforms.snp.products",
		    "snp.product", pol_snp_products, snp->product_ok,
		    POL_SNP_NPRODUCTS, &idx);
		if (rv != VOUCH_OK) {
			return rv;
		}
	}
	if (snp->has_keys) {
		rv = pol_eval_snp_name(ev, "platforms.snp.signing_keys",
		    "snp.signing_key", pol_snp_keys, snp->key_ok,
		    POL_SNP_NKEYS, &idx);
		if (rv != VOUCH_OK) {
			return rv;
		}
	}
	if (snp->min_tcb.has) {
		rv = pol_eval_snp_floor(ev, &snp->min_tcb, "min_tcb",
		    "reported");
		if (rv != VOUCH_OK) {
			return rv;
		}
	}
	if (snp->has_max_vmpl) {
		if (!vouch_claims_get_int(ev->claims, "snp.vmpl", &vmpl)) {
			pol_eval_first(ev, "platforms.snp.max_vmpl", "snp.vmpl");
			pol_text_add(&ev->text, "platforms.snp.max_vmpl: claim "
			    "snp.vmpl is missing, requires lessOrEquals %"
			    PRId64, snp->max_vmpl);
			return VOUCH_ERR_POLICY_DENIED;
		}
		if (vmpl < 0 || vmpl > snp->max_vmpl) {
			pol_eval_first(ev, "platforms.snp.max_vmpl", "snp.vmpl");
			pol_text_add(&ev->text, "platforms.snp.max_vmpl: claim "
			    "snp.vmpl = %" PRId64 ", requires lessOrEquals %"
			    PRId64, vmpl, snp->max_vmpl);
			return VOUCH_ERR_POLICY_DENIED;
		}
	}
	if (snp->policy_require != 0 || snp->policy_forbid != 0) {
		rv = pol_eval_snp_guest_policy(ev, snp);
		if (rv != VOUCH_OK) {
			return rv;
		}
	}
	if (snp->nhost_data > 0) {
		if (!vouch_claims_get_bytes(ev->claims, "host_data", &hd,
		    &hd_len)) {
			pol_eval_first(ev, "platforms.snp.host_data",
			    "host_data");
			pol_text_add(&ev->text, "platforms.snp.host_data: claim "
			    "host_data is missing");
			return VOUCH_ERR_POLICY_DENIED;
		}
		for (i = 0; i < snp->nhost_data; i++) {
			if (hd_len == POL_SNP_HOST_DATA_BYTES &&
			    memcmp(hd, snp->host_data[i], hd_len) == 0) {
				break;
			}
		}
		if (i == snp->nhost_data) {
			pol_eval_first(ev, "platforms.snp.host_data",
			    "host_data");
			pol_text_add(&ev->text, "platforms.snp.host_data: claim "
			    "host_data = ");
			pol_text_hex(&ev->text, hd, hd_len);
			pol_text_add(&ev->text, " is none of the %zu allowed "
			    "values", snp->nhost_data);
			return VOUCH_ERR_POLICY_DENIED;
		}
	}
	if (snp->min_launch_tcb.has) {
		rv = pol_eval_snp_floor(ev, &snp->min_launch_tcb,
		    "min_launch_tcb", "launch");
		if (rv != VOUCH_OK) {
			return rv;
		}
	}
	if (snp->has_min_fw) {
		rv = pol_eval_snp_version(ev, "min_firmware",
		    "snp.current_version", fw_parts, snp->min_fw, 3,
		    VOUCH_ERR_TCB_OUT_OF_DATE);
		if (rv != VOUCH_OK) {
			return rv;
		}
	}
	if (snp->has_min_abi) {
		rv = pol_eval_snp_version(ev, "min_abi", "snp.policy",
		    abi_parts, snp->min_abi, 2, VOUCH_ERR_POLICY_DENIED);
		if (rv != VOUCH_OK) {
			return rv;
		}
	}
	if (snp->pinfo_require != 0 || snp->pinfo_forbid != 0) {
		rv = pol_eval_snp_platform_info(ev, snp);
		if (rv != VOUCH_OK) {
			return rv;
		}
	}
	if (snp->mitigations != 0) {
		rv = pol_eval_snp_mitigations(ev, snp);
		if (rv != VOUCH_OK) {
			return rv;
		}
	}
	if (snp->family_id.n > 0) {
		rv = pol_eval_snp_list(ev, "platforms.snp.family_id",
		    "snp.family_id", &snp->family_id, POL_SNP_ID_BYTES, "");
		if (rv != VOUCH_OK) {
			return rv;
		}
	}
	if (snp->image_id.n > 0) {
		rv = pol_eval_snp_list(ev, "platforms.snp.image_id",
		    "snp.image_id", &snp->image_id, POL_SNP_ID_BYTES, "");
		if (rv != VOUCH_OK) {
			return rv;
		}
	}
	if (snp->has_min_guest_svn) {
		if (!vouch_claims_get_int(ev->claims, "snp.guest_svn", &svn)) {
			pol_eval_first(ev, "platforms.snp.min_guest_svn",
			    "snp.guest_svn");
			pol_text_add(&ev->text, "platforms.snp.min_guest_svn: "
			    "claim snp.guest_svn is missing, requires "
			    "greaterOrEquals %" PRId64, snp->min_guest_svn);
			return VOUCH_ERR_POLICY_DENIED;
		}
		if (svn < snp->min_guest_svn) {
			pol_eval_first(ev, "platforms.snp.min_guest_svn",
			    "snp.guest_svn");
			pol_text_add(&ev->text, "platforms.snp.min_guest_svn: "
			    "claim snp.guest_svn = %" PRId64 ", requires "
			    "greaterOrEquals %" PRId64, svn,
			    snp->min_guest_svn);
			return VOUCH_ERR_POLICY_DENIED;
		}
	}
	/* A listed ID key is required: all zeros (no ID block) is never in. */
	if (snp->id_key.n > 0) {
		rv = pol_eval_snp_list(ev, snp->require_id_block ?
		    "platforms.snp.require_id_block" :
		    "platforms.snp.id_key_digest", "snp.id_key_digest",
		    &snp->id_key, POL_SNP_DIGEST_BYTES, " (all zeros: no ID "
		    "block)");
		if (rv != VOUCH_OK) {
			return rv;
		}
	}
	if (snp->author_key.n > 0) {
		if (!vouch_claims_get_bool(ev->claims, "snp.author_key_en",
		    &aken) || aken == 0) {
			pol_eval_first(ev, "platforms.snp.author_key_digest",
			    "snp.author_key_en");
			pol_text_add(&ev->text, "platforms.snp.author_key_digest:"
			    " claim snp.author_key_en is %s, requires equals "
			    "true (the ID block must carry a listed author key)",
			    vouch_claims_get_bool(ev->claims,
			    "snp.author_key_en", &aken) ? "false" : "missing");
			return VOUCH_ERR_POLICY_DENIED;
		}
		rv = pol_eval_snp_list(ev, "platforms.snp.author_key_digest",
		    "snp.author_key_digest", &snp->author_key,
		    POL_SNP_DIGEST_BYTES, "");
		if (rv != VOUCH_OK) {
			return rv;
		}
	}
	return VOUCH_OK;
}

/*
 * The DCAP settings: the TCB status, the advisories, SEPT_VE_DISABLE.
 * The verifier refused OutOfDate, Revoked and unknown statuses already.
 */
static enum vouch_err
pol_eval_dcap(struct pol_eval *ev, int idx)
{
	const struct pol_dcap *d = &ev->pol->dcap[idx == POL_PLATFORM_TDX ?
	    0 : 1];
	const char *pname = pol_platform_names[idx];
	char path[VOUCH_EXPLAIN_PATH_MAX], one[POL_DCAP_ADV_MAX + 1];
	const char *st, *adv, *p, *comma;
	size_t i, n;
	int b;

	(void)snprintf(path, sizeof(path), "platforms.%s.accept_tcb_status",
	    pname);
	if (!vouch_claims_get_string(ev->claims, "tcb.status", &st)) {
		pol_eval_first(ev, path, "tcb.status");
		pol_text_add(&ev->text, "%s: claim tcb.status is missing", path);
		return VOUCH_ERR_POLICY_DENIED;
	}
	if (strcmp(st, "UpToDate") != 0) {
		for (i = 0; i < POL_DCAP_NSTATUS; i++) {
			if (strcmp(st, pol_dcap_statuses[i]) == 0) {
				break;
			}
		}
		if (i == POL_DCAP_NSTATUS || !d->accept[i]) {
			pol_eval_first(ev, path, "tcb.status");
			pol_text_add(&ev->text, "%s: claim tcb.status = \"%s\", "
			    "requires UpToDate%s", path, st, i ==
			    POL_DCAP_NSTATUS ? "" : " or a status listed here");
			return i == POL_DCAP_NSTATUS ? VOUCH_ERR_TCB_OUT_OF_DATE :
			    VOUCH_ERR_TCB_NEEDS_POLICY;
		}
	}
	if (d->has_adv) {
		(void)snprintf(path, sizeof(path),
		    "platforms.%s.allowed_advisories", pname);
		if (!vouch_claims_get_string(ev->claims, "tcb.advisories",
		    &adv)) {
			pol_eval_first(ev, path, "tcb.advisories");
			pol_text_add(&ev->text, "%s: claim tcb.advisories is "
			    "missing", path);
			return VOUCH_ERR_POLICY_DENIED;
		}
		for (p = adv; *p != '\0'; p = *comma == ',' ? comma + 1 : comma) {
			comma = strchr(p, ',');
			if (comma == NULL) {
				comma = p + strlen(p);
			}
			n = (size_t)(comma - p);
			for (i = 0; i < d->nadv; i++) {
				if (strlen(d->adv[i]) == n &&
				    memcmp(d->adv[i], p, n) == 0) {
					break;
				}
			}
			if (i == d->nadv) {
				pol_copy(one, sizeof(one), p);
				if (n < sizeof(one)) {
					one[n] = '\0';
				}
				pol_eval_first(ev, path, "tcb.advisories");
				pol_text_add(&ev->text, "%s: advisory %s of claim "
				    "tcb.advisories is not listed", path, one);
				return VOUCH_ERR_POLICY_DENIED;
			}
		}
	}
	if (d->require_sept_ve_disable) {
		(void)snprintf(path, sizeof(path),
		    "platforms.%s.require_sept_ve_disable", pname);
		if (!vouch_claims_get_bool(ev->claims,
		    "tdx.td_attributes.sept_ve_disable", &b) || b == 0) {
			pol_eval_first(ev, path,
			    "tdx.td_attributes.sept_ve_disable");
			pol_text_add(&ev->text, "%s: claim "
			    "tdx.td_attributes.sept_ve_disable is not true",
			    path);
			return VOUCH_ERR_POLICY_DENIED;
		}
	}
	return VOUCH_OK;
}

/* Step 3 of admission: the settings of the trusted platform |idx|. */
static enum vouch_err
pol_eval_platform_settings(struct pol_eval *ev, int idx)
{
	const struct pol_platform *plat = &ev->pol->platforms[idx];
	const char *pname = pol_platform_names[idx];
	char path[VOUCH_EXPLAIN_PATH_MAX];
	enum vouch_err rv;
	int64_t svn;
	int dbg;

	if (idx == POL_PLATFORM_SNP) {
		rv = pol_eval_snp(ev);
		if (rv != VOUCH_OK) {
			return rv;
		}
	}
	if (idx == POL_PLATFORM_TDX || idx == POL_PLATFORM_SGX) {
		rv = pol_eval_dcap(ev, idx);
		if (rv != VOUCH_OK) {
			return rv;
		}
	}
	if (plat->has_min_tcb) {
		(void)snprintf(path, sizeof(path), "platforms.%s.min_tcb_svn",
		    pname);
		if (!vouch_claims_get_int(ev->claims, "sim.tcb_svn", &svn)) {
			pol_eval_first(ev, path, "sim.tcb_svn");
			pol_text_add(&ev->text, "%s: claim sim.tcb_svn is "
			    "missing, requires greaterOrEquals %" PRId64, path,
			    plat->min_tcb_svn);
			return VOUCH_ERR_TCB_OUT_OF_DATE;
		}
		if (svn < plat->min_tcb_svn) {
			pol_eval_first(ev, path, "sim.tcb_svn");
			pol_text_add(&ev->text, "%s: claim sim.tcb_svn = %"
			    PRId64 ", requires greaterOrEquals %" PRId64, path,
			    svn, plat->min_tcb_svn);
			return VOUCH_ERR_TCB_OUT_OF_DATE;
		}
	}
	if (!plat->allow_debug) {
		(void)snprintf(path, sizeof(path),
		    "platforms.%s.insecure_allow_debug", pname);
		if (!vouch_claims_get_bool(ev->claims, "debug", &dbg)) {
			/* Unknown is not "off". */
			pol_eval_first(ev, path, "debug");
			pol_text_add(&ev->text, "%s: claim debug is missing, "
			    "requires equals false", path);
			return VOUCH_ERR_POLICY_DENIED;
		}
		if (dbg != 0) {
			pol_eval_first(ev, path, "debug");
			pol_text_add(&ev->text, "%s: claim debug = true, "
			    "requires equals false (insecure_allow_debug is "
			    "not set)", path);
			return VOUCH_ERR_DEBUG_ENABLED;
		}
	}
	if (idx == POL_PLATFORM_SNP && !ev->pol->snp.allow_provisional) {
		return pol_eval_snp_provisional(ev);
	}
	return VOUCH_OK;
}

enum vouch_err
vouch_policy_evaluate_admission(struct vouch_ctx *ctx,
    const struct vouch_policy *pol, const struct vouch_claims *claims,
    struct vouch_explain *ex)
{
	struct vouch_explain local;
	struct pol_eval ev;
	enum vouch_err rv;
	const uint8_t *m;
	const char *pname, *rel;
	size_t mlen, i, ntrusted;
	int idx;

	if (ex == NULL) {
		ex = &local;
	}
	pol_eval_init(&ev, ctx, pol, claims, ex);
	if (pol == NULL || claims == NULL) {
		pol_text_add(&ev.text, "no policy or no claims");
		return pol_eval_end(&ev, VOUCH_ERR_INVALID_ARGUMENT);
	}

	/* 1. Expiry. */
	if (pol_eval_expired(&ev)) {
		return pol_eval_end(&ev, VOUCH_ERR_POLICY_EXPIRED);
	}

	/* 2. The platform is listed. */
	if (!vouch_claims_get_string(claims, "platform", &pname)) {
		pol_eval_first(&ev, "platforms", "platform");
		pol_text_add(&ev.text, "platforms: claim platform is missing");
		return pol_eval_end(&ev, VOUCH_ERR_PLATFORM_NOT_TRUSTED);
	}
	idx = pol_platform_index(pname, strlen(pname));
	if (idx < 0 || !pol->platforms[idx].trusted) {
		pol_eval_first(&ev, "platforms", "platform");
		pol_text_add(&ev.text, "platforms: claim platform = \"");
		pol_text_safe(&ev.text, pname, strlen(pname));
		pol_text_add(&ev.text, "\", requires in [");
		ntrusted = 0;
		for (i = 0; i < POL_NPLATFORMS; i++) {
			if (pol->platforms[i].trusted) {
				pol_text_add(&ev.text, "%s\"%s\"",
				    ntrusted > 0 ? ", " : "",
				    pol_platform_names[i]);
				ntrusted++;
			}
		}
		pol_text_add(&ev.text, "]%s", ntrusted == 0 ?
		    " (the policy trusts no platform)" : "");
		return pol_eval_end(&ev, VOUCH_ERR_PLATFORM_NOT_TRUSTED);
	}

	/* 3. The platform's settings. */
	rv = pol_eval_platform_settings(&ev, idx);
	if (rv != VOUCH_OK) {
		return pol_eval_end(&ev, rv);
	}

	/* 4. The measurement is in a release. */
	if (!vouch_claims_get_bytes(claims, "measurement", &m, &mlen)) {
		pol_eval_first(&ev, "measurements", "measurement");
		pol_text_add(&ev.text, "measurements: claim measurement is "
		    "missing");
		return pol_eval_end(&ev, VOUCH_ERR_MEASUREMENT_NOT_TRUSTED);
	}
	rel = vouch_policy_measurement_release(pol, m, mlen);
	if (rel == NULL) {
		pol_eval_first(&ev, "measurements", "measurement");
		pol_text_add(&ev.text, "measurements: claim measurement = ");
		pol_text_hex(&ev.text, m, mlen);
		pol_text_add(&ev.text, " is in none of the %zu releases",
		    pol->nreleases);
		return pol_eval_end(&ev, VOUCH_ERR_MEASUREMENT_NOT_TRUSTED);
	}
	pol_copy(ex->release, sizeof(ex->release), rel);

	/* 5. The admission rule. */
	if (pol->rules != POL_NONE) {
		(void)pol_path_push(&ev.path, "rules");
		if (!pol_eval_node(&ev, pol->rules)) {
			return pol_eval_end(&ev, VOUCH_ERR_POLICY_DENIED);
		}
	}
	pol_text_add(&ev.text, "admitted: platform %s, release %s, policy "
	    "version %" PRId64, pol_platform_names[idx], rel, pol->version);
	return pol_eval_end(&ev, VOUCH_OK);
}

enum vouch_err
vouch_policy_evaluate_rule(struct vouch_ctx *ctx,
    const struct vouch_policy *pol, const char *name,
    const struct vouch_claims *claims, struct vouch_explain *ex)
{
	struct vouch_explain local;
	const struct pol_rrule *rr;
	struct pol_eval ev;
	char when[32];

	if (ex == NULL) {
		ex = &local;
	}
	pol_eval_init(&ev, ctx, pol, claims, ex);
	if (pol == NULL || claims == NULL || name == NULL) {
		pol_text_add(&ev.text, "no policy, rule name or claims");
		return pol_eval_end(&ev, VOUCH_ERR_INVALID_ARGUMENT);
	}
	if (pol_eval_expired(&ev)) {
		return pol_eval_end(&ev, VOUCH_ERR_POLICY_EXPIRED);
	}
	rr = pol_find_rrule(pol, name);
	if (rr == NULL) {
		pol_eval_first(&ev, "release_rules", "");
		pol_text_add(&ev.text, "release_rules: no rule named \"");
		pol_text_safe(&ev.text, name, strlen(name));
		pol_text_add(&ev.text, "\"");
		return pol_eval_end(&ev, VOUCH_ERR_POLICY_DENIED);
	}
	(void)pol_path_push(&ev.path, "release_rules");
	(void)pol_path_push(&ev.path, rr->name);
	if (vouch_ctx_now(ctx) >= rr->not_after) {
		if (!vouch_time_format_rfc3339(rr->not_after, when,
		    sizeof(when))) {
			pol_copy(when, sizeof(when), "?");
		}
		(void)pol_path_push(&ev.path, "not_after");
		pol_eval_first(&ev, ev.path.s, "");
		pol_text_add(&ev.text, "%s: the rule ended at %s", ev.path.s,
		    when);
		return pol_eval_end(&ev, VOUCH_ERR_POLICY_DENIED);
	}
	(void)pol_path_push(&ev.path, "rule");
	if (!pol_eval_node(&ev, rr->root)) {
		return pol_eval_end(&ev, VOUCH_ERR_POLICY_DENIED);
	}
	pol_text_add(&ev.text, "release rule %s holds (policy version %"
	    PRId64 ")", rr->name, pol->version);
	return pol_eval_end(&ev, VOUCH_OK);
}

bool
vouch_policy_dcap_accepts(const struct vouch_policy *pol,
    const char *platform, const char *status)
{
	const struct pol_dcap *d;
	size_t i;

	if (pol == NULL || platform == NULL || status == NULL) {
		return false;
	}
	if (strcmp(platform, "tdx") == 0) {
		d = &pol->dcap[0];
	} else if (strcmp(platform, "sgx") == 0) {
		d = &pol->dcap[1];
	} else {
		return false;
	}
	if (!pol->platforms[strcmp(platform, "tdx") == 0 ? POL_PLATFORM_TDX :
	    POL_PLATFORM_SGX].trusted) {
		return false;
	}
	for (i = 0; i < POL_DCAP_NSTATUS; i++) {
		if (strcmp(status, pol_dcap_statuses[i]) == 0) {
			return d->accept[i];
		}
	}
	return false;
}
