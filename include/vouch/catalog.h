/* SPDX-License-Identifier: Apache-2.0 */
/*
 * catalog.h: the one list of what a workload may tell its host
 * (DESIGN §10, docs/logging.md).
 *
 * In a TEE the host must learn nothing from a workload's output.  Every
 * failure a program reports to the host is one entry of this catalog: a
 * fixed code, a layer, a component and a fixed message.  In the staging
 * and production profiles that line is ALL the host sees (stderr and the
 * exit status, rate-limited); the free-text detail goes only into the
 * sealed log for the tenant.  The debug and test profiles add the detail
 * on stderr.
 *
 * A line on stderr is exactly
 *
 *	vouch: VC-<number> <component>: <message>\n
 *
 * e.g. "vouch: VC-303 channel: peer not admitted" (the number's first
 * digit is the layer: 1 loading, 2 execution, 3 runtime, 4 application),
 * and nothing
 * else is ever written there in staging or production.  `vouch catalog`
 * prints every line this build can emit.
 *
 * One table: X(name, number, layer, component, message).  The number is
 * 100 * layer + a serial; codes are never reused or renumbered.
 */
#ifndef VOUCH_CATALOG_H
#define VOUCH_CATALOG_H

#include <stdarg.h>
#include <stddef.h>

#include "vouch/err.h"

#define VOUCH_LAYER_LOADING	1	/* before the program runs: config, platform, store */
#define VOUCH_LAYER_EXECUTION	2	/* attestation and admission */
#define VOUCH_LAYER_RUNTIME	3	/* channels, sealing, secrets, logs */
#define VOUCH_LAYER_APPLICATION	4	/* the application's own failures */

#define VOUCH_CATALOG(X) \
	X(VOUCH_C_LOAD_USAGE, 101, VOUCH_LAYER_LOADING, "config", "invalid invocation") \
	X(VOUCH_C_LOAD_CONFIG, 102, VOUCH_LAYER_LOADING, "config", "configuration missing or invalid") \
	X(VOUCH_C_LOAD_PLATFORM, 103, VOUCH_LAYER_LOADING, "platform", "platform unavailable") \
	X(VOUCH_C_LOAD_STORE, 104, VOUCH_LAYER_LOADING, "store", "sealed store unusable") \
	X(VOUCH_C_LOAD_LOG, 105, VOUCH_LAYER_LOADING, "log", "sealed log cannot be opened") \
	X(VOUCH_C_EXEC_CERTIFY_REFUSED, 201, VOUCH_LAYER_EXECUTION, "certify", "admission refused by the certifier") \
	X(VOUCH_C_EXEC_CERTIFY_UNREACHABLE, 202, VOUCH_LAYER_EXECUTION, "certify", "certifier unreachable") \
	X(VOUCH_C_EXEC_CERTIFY_FAILED, 203, VOUCH_LAYER_EXECUTION, "certify", "certification failed") \
	X(VOUCH_C_EXEC_SECRET_REFUSED, 204, VOUCH_LAYER_EXECUTION, "secret", "secret release refused") \
	X(VOUCH_C_EXEC_SECRET_FAILED, 205, VOUCH_LAYER_EXECUTION, "secret", "secret release failed") \
	X(VOUCH_C_RT_LISTEN, 301, VOUCH_LAYER_RUNTIME, "network", "cannot accept connections") \
	X(VOUCH_C_RT_CONNECT, 302, VOUCH_LAYER_RUNTIME, "channel", "cannot reach peer") \
	X(VOUCH_C_RT_PEER_REFUSED, 303, VOUCH_LAYER_RUNTIME, "channel", "peer not admitted") \
	X(VOUCH_C_RT_CHANNEL_IO, 304, VOUCH_LAYER_RUNTIME, "channel", "channel transfer failed") \
	X(VOUCH_C_RT_SEAL, 305, VOUCH_LAYER_RUNTIME, "seal", "sealing failed") \
	X(VOUCH_C_RT_SIGN, 306, VOUCH_LAYER_RUNTIME, "sign", "signing failed") \
	X(VOUCH_C_RT_MEMORY, 307, VOUCH_LAYER_RUNTIME, "memory", "out of memory") \
	X(VOUCH_C_RT_LOG, 308, VOUCH_LAYER_RUNTIME, "log", "sealed log write failed") \
	X(VOUCH_C_RT_SUPPRESSED, 309, VOUCH_LAYER_RUNTIME, "report", "further reports suppressed") \
	X(VOUCH_C_APP_INPUT, 401, VOUCH_LAYER_APPLICATION, "app", "invalid input data") \
	X(VOUCH_C_APP_PROTOCOL, 402, VOUCH_LAYER_APPLICATION, "app", "peer protocol error") \
	X(VOUCH_C_APP_OUTPUT, 403, VOUCH_LAYER_APPLICATION, "app", "cannot write output") \
	X(VOUCH_C_APP_FAILED, 404, VOUCH_LAYER_APPLICATION, "app", "operation failed")

enum vouch_code {
#define VOUCH_CATALOG_ENUM(name, num, layer, comp, msg) name = num,
	VOUCH_CATALOG(VOUCH_CATALOG_ENUM)
#undef VOUCH_CATALOG_ENUM
};

/*
 * The host-visible line of |code| without the trailing newline
 * ("vouch: VC-303 channel: peer not admitted"), or NULL for a
 * number not in the catalog.
 */
VOUCH_API const char *vouch_code_line(enum vouch_code code);
/* Entry |i| (0-based) of the catalog, NULL past the end. */
VOUCH_API const char *vouch_code_line_at(size_t i, enum vouch_code *out_code);
/*
 * The exit status that goes with |code|: 10 + its layer (11 loading,
 * 12 execution, 13 runtime, 14 application).  An exit status is
 * host-visible too, so it says no more than the layer.
 */
VOUCH_API int vouch_code_exit_status(enum vouch_code code);

#endif
