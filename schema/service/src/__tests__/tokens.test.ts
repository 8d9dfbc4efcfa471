import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ANONYMOUS } from '@bicentennial/schema';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import {
  AuthenticationError,
  bearerToken,
  createCallerVerifier,
  createInternalSigner,
  createInternalVerifier,
  ensureDevelopmentKeys,
  holdsDevelopmentKey,
  mintToken,
} from '../access';

const ISSUER = 'https://idp.test.invalid';
const AUDIENCE = 'graph';

async function keyPair(alg: 'RS256' | 'ES256' | 'EdDSA', kid: string) {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return {
    privateKey: privateKey,
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg } as JWK,
    alg,
    kid,
  };
}

const token = (key: Awaited<ReturnType<typeof keyPair>>, claims: Record<string, unknown> = {}) =>
  new SignJWT({ agency: 'CBP', country: 'US', scope: 'border-trade:write graph:analyze', ...claims })
    .setProtectedHeader({ alg: key.alg, kid: key.kid })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject('jdoe')
    .setExpirationTime('5m')
    .sign(key.privateKey);

describe('caller tokens', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bicentennial-tokens-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts RS256, ES256 and EdDSA from a JWKS file, and gives the caller its claims', async () => {
    const keys = await Promise.all([keyPair('RS256', 'r1'), keyPair('ES256', 'e1'), keyPair('EdDSA', 'd1')]);
    const path = join(dir, 'jwks.json');
    writeFileSync(path, JSON.stringify({ keys: keys.map((k) => k.publicJwk) }));
    const verifier = createCallerVerifier({ jwks: { path }, issuer: ISSUER, audience: AUDIENCE });
    for (const key of keys) {
      expect(await verifier.verify(await token(key))).toEqual({
        subject: 'jdoe',
        agency: 'CBP',
        country: 'US',
        scopes: ['border-trade:write', 'graph:analyze'],
      });
    }
  });

  it('fetches the keys from a JWKS URL (loopback here), and refuses when it cannot', async () => {
    const key = await keyPair('ES256', 'remote-1');
    let fetches = 0;
    const server: Server = createServer((_req, res) => {
      fetches += 1;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [key.publicJwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const verifier = createCallerVerifier({
        jwks: { url: `http://127.0.0.1:${port}/jwks` },
        issuer: ISSUER,
        audience: AUDIENCE,
      });
      expect((await verifier.verify(await token(key))).subject).toBe('jdoe');
      expect((await verifier.verify(await token(key))).subject).toBe('jdoe');
      expect(fetches).toBe(1);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    const unreachable = createCallerVerifier({
      jwks: { url: `http://127.0.0.1:${port}/jwks` },
      issuer: ISSUER,
      audience: AUDIENCE,
    });
    await expect(unreachable.verify(await token(key))).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('refuses malformed claims with the reason (for the log)', async () => {
    const key = await keyPair('EdDSA', 'd2');
    const path = join(dir, 'one.json');
    writeFileSync(path, JSON.stringify({ keys: [key.publicJwk] }));
    const verifier = createCallerVerifier({ jwks: { path }, issuer: ISSUER, audience: AUDIENCE });
    const reason = (claims: Record<string, unknown>) =>
      token(key, claims)
        .then((t) => verifier.verify(t))
        .then(
          () => 'accepted',
          (e: AuthenticationError) => e.reason,
        );
    expect(await reason({ country: 'CA' })).toBe('claim country must be US or MX');
    expect(await reason({ agency: 'a b' })).toBe('claim agency missing or malformed');
    expect(await reason({ scope: 'ADMIN' })).toBe('claim scope holds a malformed scope');
    expect(await reason({ scope: 42 })).toBe('claim scope must be a string');
  });

  it('refuses a JWKS file with a private key in it', async () => {
    const { privateKey } = await generateKeyPair('EdDSA', { extractable: true });
    const path = join(dir, 'private.json');
    writeFileSync(path, JSON.stringify({ keys: [{ ...(await exportJWK(privateKey)), kid: 'p' }] }));
    expect(() => createCallerVerifier({ jwks: { path }, issuer: ISSUER, audience: AUDIENCE })).toThrow(
      /public keys only/,
    );
  });

  it('reads the bearer token of a header', () => {
    expect(bearerToken(undefined)).toBeUndefined();
    expect(bearerToken('Bearer a.b.c')).toBe('a.b.c');
    expect(bearerToken('bearer a.b.')).toBe('a.b.');
    expect(bearerToken('Basic dXNlcjpwYXNz')).toBeNull();
    expect(bearerToken('Bearer not-a-jwt')).toBeNull();
  });
});

describe('internal tokens', () => {
  it('carry the caller to the subgraph they are for, and only there; a token is reused while young', async () => {
    const { privateKey, publicKey } = await generateKeyPair('EdDSA', { extractable: true });
    const privateJwk = { ...(await exportJWK(privateKey)), kid: 'gw-1' };
    const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'gw-1', alg: 'EdDSA' }] };
    const signer = await createInternalSigner({ privateJwk });
    const caller = { subject: 'jdoe', agency: 'CBP', country: 'US' as const, scopes: ['border-trade:write'] };
    const first = await signer.sign(caller, 'border-trade');
    expect(await signer.sign(caller, 'border-trade')).toBe(first);
    expect(await signer.sign(caller, 'firearms')).not.toBe(first);
    const borderTrade = createInternalVerifier({ jwks, audience: 'border-trade' });
    expect(await borderTrade.verify(first)).toEqual(caller);
    expect(await borderTrade.verify(await signer.sign(ANONYMOUS, 'border-trade'))).toEqual(ANONYMOUS);
    await expect(createInternalVerifier({ jwks, audience: 'firearms' }).verify(first)).rejects.toMatchObject({
      reason: expect.stringMatching(/aud/),
    });
    await expect(borderTrade.verify(undefined)).rejects.toMatchObject({ reason: 'no internal token' });
  });
});

describe('development keys', () => {
  it('are generated once, marked as development keys, and mint tokens the development verifier accepts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bicentennial-devkeys-'));
    try {
      const [a, b] = await Promise.all([ensureDevelopmentKeys(dir), ensureDevelopmentKeys(dir)]);
      expect(a.issuer.privateJwk.kid).toBe(b.issuer.privateJwk.kid);
      expect(holdsDevelopmentKey(a.issuer.jwks)).toBe(true);
      expect(holdsDevelopmentKey(a.internal.privateJwk)).toBe(true);
      const minted = await mintToken(a.issuer.privateJwk, { subject: 'dev', agency: 'CBP', country: 'MX', scopes: [] });
      const verifier = createCallerVerifier({
        jwks: { path: a.issuer.jwksPath },
        issuer: 'bicentennial-development-issuer',
        audience: 'bicentennial-graph',
      });
      expect(await verifier.verify(minted)).toEqual({ subject: 'dev', agency: 'CBP', country: 'MX', scopes: [] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('are never seen half-written by a process starting beside others that write them', async () => {
    const { spawn } = await import('node:child_process');
    const { readFileSync } = await import('node:fs');
    const dir = mkdtempSync(join(tmpdir(), 'bicentennial-devkeys-race-'));
    try {
      await ensureDevelopmentKeys(dir);
      const code = `const { ensureDevelopmentKeys } = require('@bicentennial/service');
        (async () => { for (let i = 0; i < 40; i++) await ensureDevelopmentKeys(${JSON.stringify(dir)}); })();`;
      const writers = [0, 1, 2].map(
        () =>
          new Promise<number | null>((resolve) => {
            const child = spawn(
              process.execPath,
              ['--conditions=@bicentennial/source', '--import', 'tsx', '-e', code],
              {
                stdio: 'ignore',
              },
            );
            child.once('exit', resolve);
          }),
      );
      let running = true;
      const done = Promise.all(writers).finally(() => (running = false));
      let reads = 0;
      while (running) {
        // Every read while the files are rewritten parses as a whole JWKS.
        expect(
          (JSON.parse(readFileSync(join(dir, 'issuer.jwks.json'), 'utf8')) as { keys: unknown[] }).keys,
        ).toHaveLength(1);
        reads += 1;
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(await done).toEqual([0, 0, 0]);
      expect(reads).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
