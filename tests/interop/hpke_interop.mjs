/* SPDX-License-Identifier: Apache-2.0 */
/*
 * RFC 9180 HPKE, base mode, DHKEM(X25519, HKDF-SHA256) and HKDF-SHA256,
 * with npm @hpke/core (and @hpke/chacha20poly1305): an implementation
 * independent of vouch and of OpenSSL, the other half of
 * tests/integration/hpke_interop.sh.  Same interface as
 * tests/interop/hpke_tool.c:
 *
 *   node hpke_interop.mjs keygen PRIV_PEM PUB_PEM
 *   node hpke_interop.mjs seal AEAD PUB_PEM INFO AAD EXPCTX IN OUT
 *   node hpke_interop.mjs open AEAD PRIV_PEM INFO AAD EXPCTX IN OUT
 *
 * AEAD is aes128gcm, aes256gcm, chacha20poly1305 or export-only; INFO,
 * AAD and EXPCTX are hex.  Keys are PKCS#8 / SubjectPublicKeyInfo PEM,
 * read and written with node:crypto so the PEM encodings are checked
 * too.  seal writes enc || ciphertext (enc alone for export-only), open
 * writes the plaintext; both print Export(EXPCTX, 32) in hex.  Exit 0 on
 * success, 1 on failure, 2 on usage errors.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import {
  Aes128Gcm, Aes256Gcm, CipherSuite, DhkemX25519HkdfSha256, ExportOnly, HkdfSha256,
} from '@hpke/core';
import { Chacha20Poly1305 } from '@hpke/chacha20poly1305';

const ENC_BYTES = 32;
const EXPORT_BYTES = 32;

function usage() {
  process.stderr.write('usage: node hpke_interop.mjs keygen PRIV_PEM PUB_PEM\n'
    + '       node hpke_interop.mjs seal|open AEAD KEY_PEM INFO AAD EXPCTX IN OUT\n');
  return 2;
}

function aeadOf(name) {
  switch (name) {
    case 'aes128gcm': return new Aes128Gcm();
    case 'aes256gcm': return new Aes256Gcm();
    case 'chacha20poly1305': return new Chacha20Poly1305();
    case 'export-only': return new ExportOnly();
    default: return null;
  }
}

function hex(s) {
  if (!/^([0-9a-fA-F]{2})*$/.test(s)) {
    throw new Error(`not hex: ${JSON.stringify(s)}`);
  }
  return new Uint8Array(Buffer.from(s, 'hex'));
}

function toHex(buf) {
  return Buffer.from(buf).toString('hex');
}

/* Raw 32-byte X25519 keys from PEM, by way of JWK (RFC 8037). */
function rawPublic(pem) {
  const jwk = createPublicKey(pem).export({ format: 'jwk' });
  if (jwk.kty !== 'OKP' || jwk.crv !== 'X25519') {
    throw new Error('not an X25519 public key');
  }
  return new Uint8Array(Buffer.from(jwk.x, 'base64url'));
}

function rawPrivate(pem) {
  const jwk = createPrivateKey(pem).export({ format: 'jwk' });
  if (jwk.kty !== 'OKP' || jwk.crv !== 'X25519') {
    throw new Error('not an X25519 private key');
  }
  return new Uint8Array(Buffer.from(jwk.d, 'base64url'));
}

async function main(argv) {
  if (argv[0] === 'keygen' && argv.length === 3) {
    const { privateKey, publicKey } = generateKeyPairSync('x25519');
    writeFileSync(argv[1], privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    writeFileSync(argv[2], publicKey.export({ type: 'spki', format: 'pem' }));
    return 0;
  }
  if ((argv[0] !== 'seal' && argv[0] !== 'open') || argv.length !== 8) {
    return usage();
  }
  const [cmd, aeadName, keyFile, infoHex, aadHex, expHex, inFile, outFile] = argv;
  const aead = aeadOf(aeadName);
  if (aead === null) {
    return usage();
  }
  const exportOnly = aeadName === 'export-only';
  const suite = new CipherSuite({ kem: new DhkemX25519HkdfSha256(), kdf: new HkdfSha256(), aead });
  const info = hex(infoHex);
  const aad = hex(aadHex);
  const expCtx = hex(expHex);
  const pem = readFileSync(keyFile, 'utf8');
  const input = new Uint8Array(readFileSync(inFile));
  let ctx;
  let out;
  if (cmd === 'seal') {
    const recipientPublicKey = await suite.kem.deserializePublicKey(rawPublic(pem));
    ctx = await suite.createSenderContext({ recipientPublicKey, info });
    const enc = new Uint8Array(ctx.enc);
    if (exportOnly) {
      out = enc;
    } else {
      const ct = new Uint8Array(await ctx.seal(input, aad));
      out = new Uint8Array(enc.length + ct.length);
      out.set(enc, 0);
      out.set(ct, enc.length);
    }
  } else {
    if (input.length < ENC_BYTES) {
      throw new Error('input shorter than enc');
    }
    const recipientKey = await suite.kem.deserializePrivateKey(rawPrivate(pem));
    const enc = input.slice(0, ENC_BYTES);
    ctx = await suite.createRecipientContext({ recipientKey, enc, info });
    out = exportOnly ? new Uint8Array(0)
      : new Uint8Array(await ctx.open(input.slice(ENC_BYTES), aad));
  }
  const exported = await ctx.export(expCtx, EXPORT_BYTES);
  writeFileSync(outFile, out, { mode: 0o600 });
  process.stdout.write(`${toHex(exported)}\n`);
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`hpke_interop: ${err.name ?? 'Error'}: ${err.message}\n`);
  process.exitCode = 1;
}
