/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Verify a vouch EAR (draft-ietf-rats-ear-04 JWT) with npm jose, an
 * implementation independent of vouch and libjose.
 *
 *   node ear_verify.mjs JWKS_FILE TOKEN_FILE
 *
 * Exits 0 and prints the verified header and claims only when the token's
 * ES384 signature verifies under the JWKS key its "kid" selects, its "typ"
 * is JWT and its eat_profile is the EAR one; otherwise prints why on
 * stderr and exits 1.  Usage errors exit 2.
 */
import { readFileSync } from 'node:fs';
import { createLocalJWKSet, jwtVerify } from 'jose';

const EAR_PROFILE = 'tag:ietf.org,2026:rats/ear#04';

async function main(argv) {
  if (argv.length !== 2) {
    process.stderr.write('usage: node ear_verify.mjs JWKS_FILE TOKEN_FILE\n');
    return 2;
  }
  const jwks = JSON.parse(readFileSync(argv[0], 'utf8'));
  /* A token file may end with a newline; the token itself never does. */
  const token = readFileSync(argv[1], 'utf8').trim();
  const { payload, protectedHeader } = await jwtVerify(
    token,
    createLocalJWKSet(jwks),
    { algorithms: ['ES384'], typ: 'JWT' },
  );
  if (payload.eat_profile !== EAR_PROFILE) {
    throw new Error(`eat_profile is ${JSON.stringify(payload.eat_profile)}`);
  }
  process.stdout.write(`${JSON.stringify({ header: protectedHeader, claims: payload }, null, 2)}\n`);
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`ear_verify: ${err.code ?? 'ERROR'}: ${err.message}\n`);
  process.exitCode = 1;
}
