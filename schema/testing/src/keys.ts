import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createInternalSigner,
  ensureDevelopmentKeys,
  mintToken,
  type InternalSigner,
  type MintOptions,
} from '@bicentennial/service';
import { exportJWK, generateKeyPair, type JSONWebKeySet, type JWK } from 'jose';

/**
 * Key pairs for tests that run the production profile (which refuses development keys): an
 * issuer standing in for the agencies' identity provider, and the gateway's internal signing
 * key, written as JWKS and private JWK files in a scratch folder removed by `remove()`.
 */
export interface TestKeys {
  dir: string;
  issuer: string;
  audience: string;
  issuerPrivateJwk: JWK;
  issuerJwksPath: string;
  internalPrivateJwk: JWK;
  internalPrivatePath: string;
  internalJwks: JSONWebKeySet;
  internalJwksPath: string;
  /** A caller token from the test issuer. */
  mint(options: MintOptions): Promise<string>;
  /** A signer of internal tokens, as the gateway has. */
  signer(): Promise<InternalSigner>;
  remove(): void;
}

async function pair(name: string, alg: 'EdDSA' | 'ES256' | 'RS256' = 'EdDSA') {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const meta = { kid: `test-${name}-${randomBytes(4).toString('hex')}`, alg, use: 'sig' };
  return {
    privateJwk: { ...(await exportJWK(privateKey)), ...meta },
    publicJwk: { ...(await exportJWK(publicKey)), ...meta },
  };
}

export async function createTestKeys(): Promise<TestKeys> {
  const dir = mkdtempSync(join(tmpdir(), 'bicentennial-keys-'));
  const [issuerPair, internalPair] = await Promise.all([pair('issuer'), pair('internal')]);
  const issuerJwksPath = join(dir, 'issuer.jwks.json');
  const internalJwksPath = join(dir, 'internal.jwks.json');
  const internalPrivatePath = join(dir, 'internal.private.json');
  const internalJwks = { keys: [internalPair.publicJwk] };
  writeFileSync(issuerJwksPath, JSON.stringify({ keys: [issuerPair.publicJwk] }));
  writeFileSync(internalJwksPath, JSON.stringify(internalJwks));
  writeFileSync(internalPrivatePath, JSON.stringify(internalPair.privateJwk), { mode: 0o600 });
  const issuer = 'https://issuer.test.invalid';
  const audience = 'bicentennial-graph-test';
  return {
    dir,
    issuer,
    audience,
    issuerPrivateJwk: issuerPair.privateJwk,
    issuerJwksPath,
    internalPrivateJwk: internalPair.privateJwk,
    internalPrivatePath,
    internalJwks,
    internalJwksPath,
    mint: (options) => mintToken(issuerPair.privateJwk, { issuer, audience, ...options }),
    signer: () => createInternalSigner({ privateJwk: internalPair.privateJwk }),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Another key pair of the given algorithm, for forged-signature and algorithm tests. */
export async function generateTestPair(name: string, alg: 'EdDSA' | 'ES256' | 'RS256' = 'EdDSA') {
  return pair(name, alg);
}

/** A caller token signed with the development keys in `dir` (what `npm run token` prints). */
export async function developmentToken(dir: string, options: MintOptions): Promise<string> {
  const keys = await ensureDevelopmentKeys(dir);
  return mintToken(keys.issuer.privateJwk, options);
}
