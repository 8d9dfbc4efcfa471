import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnvError, ensureDevelopmentKeys } from '@bicentennial/service';
import { exportJWK, generateKeyPair } from 'jose';
import { bodyLimitBytes, readEnv } from '../env';

/** Key files as an operator deploys them: an issuer's JWKS and the gateway's own signing key (not development keys). */
const dir = mkdtempSync(join(tmpdir(), 'bicentennial-env-keys-'));
let PRODUCTION_KEYS: Record<string, string>;
beforeAll(async () => {
  const issuer = await generateKeyPair('ES256', { extractable: true });
  const internal = await generateKeyPair('EdDSA', { extractable: true });
  writeFileSync(
    join(dir, 'issuer.jwks.json'),
    JSON.stringify({ keys: [{ ...(await exportJWK(issuer.publicKey)), kid: 'idp-2026-1', alg: 'ES256' }] }),
  );
  writeFileSync(
    join(dir, 'internal.json'),
    JSON.stringify({ ...(await exportJWK(internal.privateKey)), kid: 'gateway-2026-1', alg: 'EdDSA' }),
  );
  PRODUCTION_KEYS = {
    AUTH_JWKS_PATH: join(dir, 'issuer.jwks.json'),
    AUTH_ISSUER: 'https://idp.example.gob',
    AUTH_AUDIENCE: 'bicentennial-graph',
    INTERNAL_SIGNING_KEY_PATH: join(dir, 'internal.json'),
  };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('gateway settings', () => {
  it('has defaults for everything', () => {
    const env = readEnv({});
    expect(env).toMatchObject({
      PROFILE: 'development',
      PORT: 4000,
      HOST: '127.0.0.1',
      SUPERGRAPH_WATCH: true,
      CORS_ORIGINS: [],
    });
    expect(env).toMatchObject({
      QUERY_MAX_DEPTH: 10,
      QUERY_MAX_COST: 200_000,
      QUERY_MAX_ALIASES: 100,
      QUERY_MAX_DIRECTIVES: 50,
      QUERY_MAX_INTROSPECTION: 2,
      QUERY_MAX_TOKENS: 5_000,
      QUERY_MAX_BATCH: 10,
      BODY_LIMIT: '1mb',
    });
    expect(env.subgraphUrls.size).toBe(0);
  });

  it('names every bad variable with its value and the rule', () => {
    let error: unknown;
    try {
      readEnv({
        PORT: 'eighty',
        SUBGRAPH_TIMEOUT_MS: '5',
        LOG_LEVEL: 'loud',
        QUERY_MAX_DEPTH: '1',
        QUERY_MAX_COST: 'lots',
        QUERY_MAX_BATCH: '0',
        BODY_LIMIT: '1 GB',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(EnvError);
    const message = (error as Error).message;
    expect(message).toContain('PORT="eighty": must be a port number');
    expect(message).toContain('SUBGRAPH_TIMEOUT_MS="5": must be at least 100');
    expect(message).toContain('LOG_LEVEL="loud"');
    expect(message).toContain('QUERY_MAX_DEPTH="1": must be at least 2');
    expect(message).toContain('QUERY_MAX_COST="lots": must be a number');
    expect(message).toContain('QUERY_MAX_BATCH="0": must be at least 1');
    expect(message).toContain('BODY_LIMIT="1 GB": must be a size such as 512kb or 2mb');
  });

  it('reads BODY_LIMIT in bytes as Express does', () => {
    expect(bodyLimitBytes(readEnv({}).BODY_LIMIT)).toBe(1_048_576);
    expect(bodyLimitBytes('512kb')).toBe(524_288);
    expect(bodyLimitBytes('2MB')).toBe(2_097_152);
    expect(bodyLimitBytes('100b')).toBe(100);
    expect(() => bodyLimitBytes('lots')).toThrow('BODY_LIMIT="lots": must be a size such as 512kb or 2mb');
  });

  it('bounds each worker heap, and keeps the in-memory response cache within half of it', () => {
    expect(readEnv({}).GATEWAY_WORKER_HEAP_MB).toBe(256);
    expect(() => readEnv({ GATEWAY_WORKER_HEAP_MB: '32' })).toThrow(
      /GATEWAY_WORKER_HEAP_MB="32": Too small: expected number to be >=96/,
    );
    expect(() => readEnv({ GATEWAY_WORKER_HEAP_MB: '256', RESPONSE_CACHE_MAX_MB: '200' })).toThrow(
      /RESPONSE_CACHE_MAX_MB="200": must be at most half of GATEWAY_WORKER_HEAP_MB \(256\)/,
    );
    // In Redis, the cache is not in the workers' heaps.
    expect(
      readEnv({ GATEWAY_WORKER_HEAP_MB: '256', RESPONSE_CACHE_MAX_MB: '200', REDIS_URL: 'redis://127.0.0.1:6379' })
        .RESPONSE_CACHE_MAX_MB,
    ).toBe(200);
  });

  it('reads routing URL overrides and rejects one that is not a URL', () => {
    expect(readEnv({ SUBGRAPH_URL_PUBLIC_HEALTH: 'http://10.0.0.5:4002/graphql' }).subgraphUrls).toEqual(
      new Map([['PUBLIC_HEALTH', 'http://10.0.0.5:4002/graphql']]),
    );
    expect(() => readEnv({ SUBGRAPH_URL_FIREARMS: 'firearms:4004' })).toThrow(
      /SUBGRAPH_URL_FIREARMS="firearms:4004": must be an http/,
    );
  });

  it('runs production under NODE_ENV=production unless PROFILE says otherwise, and refuses an unknown profile', () => {
    expect(readEnv({ NODE_ENV: 'production', ...PRODUCTION_KEYS }).PROFILE).toBe('production');
    expect(readEnv({ NODE_ENV: 'production', PROFILE: 'development' }).PROFILE).toBe('development');
    expect(readEnv({ PROFILE: 'production', ...PRODUCTION_KEYS }).PROFILE).toBe('production');
    expect(() => readEnv({ PROFILE: 'prod' })).toThrow(/PROFILE="prod": must be development or production/);
  });

  it('refuses browser origins on this machine in production, and allows them in development', () => {
    const origins = 'https://dashboards.example.gob.mx, http://localhost:5173, http://127.0.0.1:3000';
    expect(readEnv({ CORS_ORIGINS: origins }).CORS_ORIGINS).toHaveLength(3);
    let error: unknown;
    try {
      readEnv({ PROFILE: 'production', CORS_ORIGINS: origins, ...PRODUCTION_KEYS });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(EnvError);
    expect((error as Error).message).toBe(
      'invalid environment for PROFILE=production (these settings are for development only):\n' +
        '  CORS_ORIGINS: must not allow origins on this machine (http://localhost:5173, http://127.0.0.1:3000): ' +
        'those are development front ends',
    );
    expect(() => readEnv({ PROFILE: 'production', CORS_ORIGINS: 'http://[::1]:8080', ...PRODUCTION_KEYS })).toThrow(
      /\[::1\]:8080/,
    );
    expect(
      readEnv({
        PROFILE: 'production',
        ...PRODUCTION_KEYS,
        CORS_ORIGINS: 'https://dashboards.example.gob.mx,https://localhost.example.org',
      }).CORS_ORIGINS,
    ).toEqual(['https://dashboards.example.gob.mx', 'https://localhost.example.org']);
  });

  it('refuses to start in production without a configured JWKS, issuer, audience and signing key', () => {
    expect(() => readEnv({ PROFILE: 'production' })).toThrow(
      new EnvError(
        'invalid environment for PROFILE=production (these settings are for development only):\n' +
          "  AUTH_JWKS_PATH: must be set: production verifies callers' tokens (or set AUTH_JWKS_URL) with configured keys\n" +
          '  AUTH_ISSUER: must be set: the issuer of callers’ tokens\n' +
          '  AUTH_AUDIENCE: must be set: the audience callers’ tokens are issued for\n' +
          '  INTERNAL_SIGNING_KEY_PATH: must be set: production signs internal tokens to the subgraphs with a key of its own',
      ),
    );
    expect(
      readEnv({
        PROFILE: 'production',
        ...PRODUCTION_KEYS,
        AUTH_JWKS_PATH: undefined,
        AUTH_JWKS_URL: 'https://idp.example.gob/jwks',
      }).AUTH_JWKS_URL,
    ).toBe('https://idp.example.gob/jwks');
    expect(() => readEnv({ ...PRODUCTION_KEYS, AUTH_JWKS_URL: 'https://idp.example.gob/jwks' })).toThrow(/not both/);
  });

  it('refuses to start in production with the development keys', async () => {
    const keys = await ensureDevelopmentKeys(join(dir, 'dev'));
    expect(() =>
      readEnv({
        PROFILE: 'production',
        ...PRODUCTION_KEYS,
        AUTH_JWKS_PATH: keys.issuer.jwksPath,
        AUTH_ISSUER: 'bicentennial-development-issuer',
        INTERNAL_SIGNING_KEY_PATH: keys.internal.privatePath,
      }),
    ).toThrow(
      /AUTH_JWKS_PATH: holds development keys[\s\S]*AUTH_ISSUER: is the development issuer[\s\S]*INTERNAL_SIGNING_KEY_PATH: is a development key/,
    );
    // A private key where the JWKS should be is refused too.
    expect(() =>
      readEnv({
        PROFILE: 'production',
        ...PRODUCTION_KEYS,
        AUTH_JWKS_PATH: PRODUCTION_KEYS['INTERNAL_SIGNING_KEY_PATH'],
      }),
    ).toThrow(/AUTH_JWKS_PATH: .* is not a JWKS/);
  });
});
