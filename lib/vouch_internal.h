/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The application context behind include/vouch.h, shared by lib/vouch.c,
 * lib/secret/seal.c, lib/channel/channel.c, the CLI and the tests.
 */
#ifndef VOUCH_VOUCH_INTERNAL_H
#define VOUCH_VOUCH_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "ca.h"
#include "internal.h"
#include "vouch.h"

/* The sealed store file in the store directory. */
#define VOUCH_STORE_FILE	"identity.sealed"
/* Format of the JSON inside it ("vouch_store" member). */
#define VOUCH_STORE_VERSION	1
/* Largest sealed store read back. */
#define VOUCH_STORE_MAX_BYTES	(256u * 1024u)
/* Largest admission chain (PEM) and EAR token accepted from vouchd. */
#define VOUCH_CHAIN_PEM_MAX	(64u * 1024u)
#define VOUCH_EAR_MAX		(64u * 1024u)

struct vouch;

/*
 * A platform backend: one constant table per platform, listed in
 * vouch_backends[] (lib/vouch.c): snp, tdx, sgx and sim today; another
 * platform adds one table and one line there.
 */
struct vouch_backend {
	const char	*name;
	/* What detect looks for, for the error when it is missing. */
	const char	*needs;
	/* True when this platform is usable here (for "auto"). */
	bool		(*detect)(const struct vouch *v);
	/* The measurement of the running program into v->measurement. */
	enum vouch_err	(*measure)(struct vouch *v);
	/* Evidence whose report_data is |rd|; |*out| malloc'd. */
	enum vouch_err	(*attest)(struct vouch *v, const uint8_t rd[64],
			    uint8_t **out, size_t *out_len);
	/* The 32-byte sealing key of this program on this platform. */
	enum vouch_err	(*seal_key)(struct vouch *v, uint8_t key[32]);
};

/* The hardware backends (lib/vouch.c), named for tests. */
extern const struct vouch_backend vouch_snp_backend;
extern const struct vouch_backend vouch_tdx_backend;
extern const struct vouch_backend vouch_sgx_backend;

/* The certified identity: the attested key and its admission chain. */
struct vouch_identity {
	EVP_PKEY		*key;		/* NULL: none yet */
	X509			*leaf;
	STACK_OF(X509)		*issuers;	/* the rest of the chain */
	char			*chain_pem;	/* PEM, leaf first */
	char			*ear;
	struct ca_admission	 adm;
	int64_t			 not_before;
	int64_t			 not_after;
};

struct vouch {
	struct vouch_ctx		*ctx;
	const struct vouch_backend	*backend;
	char				*store_dir;
	char				*domain_root_path;
	char				*service_url;	/* may be NULL */
	char				*sim_dir;	/* sim only */
	uint32_t			 snp_vmpl;	/* snp only: our VMPL */
	int64_t				 renew_before;
	X509				*root;
	uint8_t				 measurement[VOUCH_MEASUREMENT_MAX_BYTES];
	size_t				 measurement_len;
	struct vouch_identity		 id;
	/* Channels: built from |id| on first use, dropped on renewal. */
	SSL_CTX				*ssl_ctx;
	BIO_METHOD			*bio_method;
};

/* What vouch_admission_check found out about a chain. */
struct vouch_admission_info {
	X509			*leaf;
	STACK_OF(X509)		*issuers;
	struct ca_admission	 adm;
	int64_t			 not_before;
	int64_t			 not_after;
};

/*
 * vouch_admission_check parses |len| bytes of PEM admission chain (the
 * admission certificate, then the issuing CA: exactly two), checks that
 * the certificate is for |key|, and reads its admission extension.  With
 * |verify| it also validates the chain to |root| at |at|.  On VOUCH_OK
 * |*out| holds references the caller drops with
 * vouch_admission_info_clear; on failure it is cleared.
 */
enum vouch_err	vouch_admission_check(struct vouch_ctx *ctx, X509 *root,
		    EVP_PKEY *key, const char *chain_pem, size_t len,
		    bool verify, int64_t at, struct vouch_admission_info *out)
		    VOUCH_MUST_CHECK;
void		vouch_admission_info_clear(struct vouch_admission_info *info);

/* Evidence source for vouch_certify_exchange. */
struct vouch_attester {
	enum vouch_err	(*attest)(struct vouch_ctx *ctx, void *arg,
			    const uint8_t report_data[64], uint8_t **out,
			    size_t *out_len);
	void		*arg;
};

/*
 * vouch_certify_exchange runs the certify protocol with vouchd at
 * |service_url| (TLS trusting only |domain_root_path|): challenge, fresh
 * P-384 key, evidence binding nonce and key from |att|, POST
 * /v1/certify.  On VOUCH_OK the new key, the PEM chain and the EAR token
 * (malloc'd) and the serial are returned unchecked: callers run
 * vouch_admission_check.  A 403 is VOUCH_ERR_POLICY_DENIED with vouchd's
 * problem code in the detail; another status VOUCH_ERR_NETWORK.
 */
enum vouch_err	vouch_certify_exchange(struct vouch_ctx *ctx,
		    const char *service_url, const char *domain_root_path,
		    const struct vouch_attester *att, EVP_PKEY **out_key,
		    char **out_chain_pem, char **out_ear,
		    char out_serial[CA_SERIAL_HEX_LEN + 1]) VOUCH_MUST_CHECK;

/*
 * vouch_identity_install adopts |key| with |chain_pem| and |ear| as the
 * identity of |v| after vouch_admission_check at the context's time, and
 * checks that the admission names this platform and measurement.  With
 * |save| the identity is sealed to the store first.  vouch_certify ends
 * with it; tests use it to install certificates built in memory.
 */
enum vouch_err	vouch_identity_install(struct vouch *v, EVP_PKEY *key,
		    const char *chain_pem, const char *ear, bool save)
		    VOUCH_MUST_CHECK;

#endif
