/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vouchd's secrets (docs/secrets.md): admin endpoints to store, inspect
 * and delete secret values, wrapped by the key-encryption key
 * (daemon/kek.h), and the release endpoint that hands a value, sealed
 * with HPKE, to a workload whose evidence and release rule hold.  The
 * entry points are declared in vouchd.h; this header names the limits.
 */
#ifndef VOUCHD_SECRETS_H
#define VOUCHD_SECRETS_H

#include "kek.h"
#include "secret/release.h"
#include "store.h"

/* Limits of the API, the store and the KEK agree. */
_Static_assert(VOUCH_SECRET_NAME_MAX == STORE_SECRET_NAME_MAX, "names");
_Static_assert(VOUCH_SECRET_NAME_MAX == KEK_NAME_MAX, "names");
_Static_assert(VOUCH_SECRET_MAX_BYTES == KEK_VALUE_MAX, "values");
_Static_assert(STORE_WRAPPED_MAX >= KEK_VALUE_MAX + KEK_WRAP_OVERHEAD,
    "wrapped values fit the store");
_Static_assert(STORE_KEK_ID_MAX >= KEK_ID_MAX, "KEK identifiers fit");

/* Largest X25519 public key PEM accepted in a release request. */
#define SECRETS_PUBKEY_PEM_MAX	512
/* The KEK file in the data directory when --kek-file is not given. */
#define SECRETS_DEFAULT_KEK_FILE	"kek.key"

#endif
