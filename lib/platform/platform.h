/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The platform interface: one constant table per platform, listed once in
 * platform.c.  A platform's verify parses strictly, checks the signature
 * over the exact signed bytes, the chain to a trust anchor, revocation and
 * TCB, and then emits claims.  The shared layer (vouch_verify_evidence)
 * then enforces what every platform has in common on the normalized
 * claims: the debug claim and the report_data binding.  A platform that
 * does not emit "platform", "debug" and "report_data" fails closed.
 */
#ifndef VOUCH_PLATFORM_H
#define VOUCH_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <openssl/x509.h>

#include "claims/claims.h"
#include "internal.h"

struct vouch_blob {
	uint8_t	*p;
	size_t	 n;
};

/*
 * Chains that validated recently, so repeated evidence from one chip does
 * not re-parse and re-validate the same certificates (one P-384 verify and
 * an X509_STORE build each).  A hit is only used inside the validity
 * window of every certificate of the validated chain; anything else takes
 * the full path.  Cleared when the trust anchors change.
 */
#define VOUCH_CHAIN_CACHE_SLOTS	8
struct vouch_chain_cache_entry {
	bool		 used;
	uint8_t		 key[32];	/* SHA-256 over the certificates given */
	X509		*leaf;
	uint8_t		 root_id[32];	/* SHA-256 of the anchor's SPKI */
	int64_t		 not_before;	/* latest notBefore in the chain */
	int64_t		 not_after;	/* earliest notAfter in the chain */
	/* What the platform derived from the verified chain, or NULL. */
	void		*extra;
	void		(*extra_free)(void *);
};
struct vouch_chain_cache {
	struct vouch_chain_cache_entry	e[VOUCH_CHAIN_CACHE_SLOTS];
	size_t				next;
};

/*
 * What the collateral services told a configuration about asking them
 * again.  Mutable behind the const configuration like the chain cache,
 * and like it without a lock: a configuration is used by one thread at a
 * time (vouchd keeps one per worker and platform).
 */
struct vouch_fetch_state {
	/*
	 * AMD KDS answered 429 Too Many Requests: it is not asked again
	 * before this time (vouch_ctx_now; 0: no limit).  snp_kds.c.
	 */
	int64_t		snp_kds_retry_at;
};

struct vouch_verify_config {
	const struct vouch_platform	*platform;	/* NULL: auto */
	STACK_OF(X509)			*anchors;
	struct vouch_blob		 endorsements[VOUCH_VERIFY_MAX_ITEMS];
	size_t				 n_endorsements;
	/*
	 * SHA-256 chained over the endorsements in order (each: the previous
	 * value, u64be length, bytes; 32 zero bytes before the first), kept
	 * by vouch_verify_config_add_endorsement: what the platforms' chain
	 * cache keys name the endorsement set by.
	 */
	uint8_t				 endorsements_digest[32];
	uint8_t				 report_data[VOUCH_REPORT_DATA_BYTES];
	bool				 has_report_data;
	bool				 allow_debug;
	/* Accept COMMITTED_TCB below CURRENT_TCB (snp.provisional_firmware). */
	bool				 allow_provisional_firmware;
	bool				 skip_revocation;	/* insecure: no CRL check */
	struct vouch_chain_cache	*cache;		/* mutable; see above */
	struct vouch_fetch_state	*fetch;		/* mutable; see above */
	char				*collateral_dir;	/* NULL: no cache */
	char				*snp_kds_url;	/* NULL: never fetch */
	char				*dcap_pcs_url;	/* NULL: never fetch (tdx, sgx) */
	/* TDX: the CC event log to replay against the RTMRs (not owned). */
	const uint8_t			*event_log;
	size_t				 event_log_len;
	/* TDX/SGX TCB statuses beyond UpToDate the caller accepts (bitmask
	 * of 1 << enum dcap_tcb_status); advisories become claims. */
	unsigned			 dcap_allow_status;
	/*
	 * Unit tests only (tests/unit/test_dcap.c; no API or option sets
	 * it): the SHA-256 of the SubjectPublicKeyInfo of a synthetic root
	 * the tdx and sgx platforms pin instead of Intel's.
	 */
	const uint8_t			*dcap_test_root_pin;
	/*
	 * Unit tests only (tests/unit/test_snp_synth.c; no API or option
	 * sets it): the SPKI SHA-256 of a synthetic ARK the snp platform
	 * pins instead of AMD's, standing for product line
	 * |snp_test_ark_product| (an enum snp_product).
	 */
	const uint8_t			*snp_test_ark_pin;
	int				 snp_test_ark_product;
};

/* Longest collateral service base URL (vouch_verify_config_enable_fetch). */
#define VOUCH_FETCH_URL_MAX	512

/*
 * The cached leaf (a new reference) and root id for |key| if it validated
 * and |now| is inside its chain's window; false otherwise.
 */
bool	vouch_chain_cache_get(const struct vouch_verify_config *cfg,
	    const uint8_t key[32], int64_t now, X509 **out_leaf,
	    uint8_t out_root_id[32]);
/* Remember that |chain| (leaf first, anchor last) validated for |key|. */
void	vouch_chain_cache_put(const struct vouch_verify_config *cfg,
	    const uint8_t key[32], STACK_OF(X509) *chain,
	    const uint8_t root_id[32]);
/*
 * The same with the window further narrowed to [nb, na] (the revocation
 * lists the verdict relied on) and the platform's |extra| data, which the
 * cache owns from then on (freed with |extra_free|, also on failure).
 */
void	vouch_chain_cache_put_ex(const struct vouch_verify_config *cfg,
	    const uint8_t key[32], STACK_OF(X509) *chain,
	    const uint8_t root_id[32], int64_t nb, int64_t na, void *extra,
	    void (*extra_free)(void *));
/* vouch_chain_cache_get, and the entry's |extra| (borrowed) in *extra. */
bool	vouch_chain_cache_get_ex(const struct vouch_verify_config *cfg,
	    const uint8_t key[32], int64_t now, X509 **out_leaf,
	    uint8_t out_root_id[32], void **extra);

/*
 * vouch_chain_cache_key: the key a platform files a verdict on its
 * chain and collateral under in the chain cache, from everything that
 * verdict depends on besides the time: |label| (the platform and key
 * version), |flags| (platform choices; whether revocation is checked is
 * added here), the endorsements (endorsements_digest) and two variable
 * parts |a| and |b| (length-prefixed; may be empty).
 */
void	vouch_chain_cache_key(const struct vouch_verify_config *cfg,
	    const char *label, uint8_t flags, const uint8_t *a, size_t an,
	    const uint8_t *b, size_t bn, uint8_t key[32]);

/* d = SHA-256(d || u64be(n) || p[0..n)), the chaining step above. */
void	vouch_digest_chain(uint8_t d[32], const uint8_t *p, size_t n);

/* Checks a result lists as not performed; rendered in the output. */
#define VOUCH_RESULT_MAX_NOTES	8

struct vouch_result {
	const char		*platform;
	struct vouch_claims	*claims;
	bool			 report_data_checked;
	const char		*unchecked[VOUCH_RESULT_MAX_NOTES];
	size_t			 n_unchecked;
	const char		*relaxed[VOUCH_RESULT_MAX_NOTES];
	size_t			 n_relaxed;
};

/* Record that |what| was not checked (static string). */
void	vouch_result_note_unchecked(struct vouch_result *r, const char *what);
/* Record that an insecure option relaxed |what| (static string). */
void	vouch_result_note_relaxed(struct vouch_result *r, const char *what);

struct vouch_platform {
	const char	*name;
	/* Cheap recognition by content for --platform auto. */
	bool		(*probe)(const uint8_t *ev, size_t len);
	/* Verify and fill r->claims; see the order above. */
	enum vouch_err	(*verify)(struct vouch_ctx *ctx,
			    const struct vouch_verify_config *cfg,
			    const uint8_t *ev, size_t len, struct vouch_result *r);
	/* Decode without verifying, for `vouch evidence show`. */
	enum vouch_err	(*show)(struct vouch_ctx *ctx, const uint8_t *ev,
			    size_t len, json_t **out);
};

/* The table of every platform name the CLI accepts, built or not. */
const struct vouch_platform *vouch_platform_find(const char *name);
/* True for a platform name the CLI knows, even if not built in. */
bool	vouch_platform_name_known(const char *name);
/* The built-in platform whose probe recognizes |ev|, or NULL. */
const struct vouch_platform *vouch_platform_detect(const uint8_t *ev, size_t len);

/* Kinds of endorsement files, recognized by content. */
enum vouch_endorsement_kind {
	VOUCH_ENDORSEMENT_UNKNOWN = 0,
	VOUCH_ENDORSEMENT_CERT,		/* PEM or DER X.509 certificate(s) */
	VOUCH_ENDORSEMENT_CRL,		/* PEM or DER CRL */
	VOUCH_ENDORSEMENT_JSON,		/* JSON collateral */
};
enum vouch_endorsement_kind vouch_endorsement_kind(const uint8_t *buf, size_t len);

/* vouch_asn1_time_unix (lib/vouch.c) as a value: -1 if unreadable. */
static inline int64_t
vouch_asn1_unix(const ASN1_TIME *t)
{
	int64_t v;

	return vouch_asn1_time_unix(t, &v) ? v : -1;
}

/* A view of one CRL (PEM or DER) that outlives its use. */
struct vouch_crl_ref {
	const uint8_t	*p;
	size_t		 n;
};
/* Parse a DER or PEM CRL of exactly |len| bytes; NULL if it is not one. */
X509_CRL	*vouch_crl_parse(const uint8_t *buf, size_t len);
/*
 * vouch_check_revocation looks among the |ncrls| CRLs at |crls| for one
 * issued and signed by |issuer| and in force at |now| (thisUpdate <= now
 * < nextUpdate, no unknown critical extension), and fails with
 * VOUCH_ERR_CERT_REVOKED if it lists any of the |n| |certs| that |issuer|
 * issued.  No such CRL: VOUCH_ERR_CRL_EXPIRED if one by |issuer| exists
 * but is stale, future-dated or lacks nextUpdate, else
 * VOUCH_ERR_CRL_MISSING.  A CRL that does not parse is VOUCH_ERR_BAD_DER.
 * |who| starts the messages ("snp: the ARK's").  When given, [*win_nb,
 * *win_na] is narrowed to the instants at which every list in force now
 * is still in force (what a cached verdict may rely on).
 */
enum vouch_err	vouch_check_revocation(struct vouch_ctx *ctx,
		    const struct vouch_crl_ref *crls, size_t ncrls, X509 *issuer,
		    X509 *const *certs, size_t n, int64_t now, const char *who,
		    int64_t *win_nb, int64_t *win_na) VOUCH_MUST_CHECK;

extern const struct vouch_platform vouch_platform_sim;
extern const struct vouch_platform vouch_platform_snp;
extern const struct vouch_platform vouch_platform_tdx;
extern const struct vouch_platform vouch_platform_sgx;

#endif
