import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDevelopmentKeys, EnvError, refuseInProduction, type Profile } from '@bicentennial/service';
import { createTestKeys, type TestKeys } from '@bicentennial/testing';
import { childEnv } from '@bicentennial/tools/stack';
import { readSubgraphEnv } from '../subgraph/env';

/** The EnvError message `read` throws; fails the test when it does not throw one. */
function envError(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(EnvError);
    return (error as Error).message;
  }
  throw new Error('expected an EnvError');
}

describe('subgraph settings', () => {
  const defaults = { port: 4004, pgliteDir: '/data/firearms' };

  it('has defaults, and treats empty variables as unset', () => {
    expect(readSubgraphEnv(defaults, { PORT: '', LOG_LEVEL: '' })).toMatchObject({
      PORT: 4004,
      HOST: '127.0.0.1',
      PGLITE_DIR: '/data/firearms',
      SEED: true,
      LOG_LEVEL: 'info',
      PROFILE: 'development',
      SYNTHETIC_SAMPLE: true,
    });
  });

  it('has limits for write transactions and a retention for idempotency keys, and checks them', () => {
    expect(readSubgraphEnv(defaults, {})).toMatchObject({
      DB_STATEMENT_TIMEOUT_MS: 30_000,
      DB_LOCK_TIMEOUT_MS: 5_000,
      DB_TRANSACTION_TIMEOUT_MS: 60_000,
      SUBMISSION_RETENTION_HOURS: 168,
    });
    expect(readSubgraphEnv(defaults, { DB_LOCK_TIMEOUT_MS: '250', SUBMISSION_RETENTION_HOURS: '720' })).toMatchObject({
      DB_LOCK_TIMEOUT_MS: 250,
      SUBMISSION_RETENTION_HOURS: 720,
    });
    expect(() => readSubgraphEnv(defaults, { SUBMISSION_RETENTION_HOURS: '0' })).toThrow(
      /SUBMISSION_RETENTION_HOURS="0": must be at least 1/,
    );
    expect(() => readSubgraphEnv(defaults, { DB_STATEMENT_TIMEOUT_MS: 'soon' })).toThrow(
      /DB_STATEMENT_TIMEOUT_MS="soon": must be a number of milliseconds/,
    );
  });

  it('names each bad variable, and never echoes more of a database URL than needed', () => {
    const bad = { PORT: '70000', SEED: 'maybe', DATABASE_URL: 'mysql://admin:hunter2@db.internal/x' };
    expect(() => readSubgraphEnv(defaults, bad)).toThrow(EnvError);
    let message = '';
    try {
      readSubgraphEnv(defaults, bad);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('PORT="70000": must be between 0 and 65535');
    expect(message).toContain('SEED="maybe": must be true or false');
    expect(message).toContain('DATABASE_URL (value not shown): must be a postgresql:// connection string');
    expect(message).not.toContain('hunter2');
    expect(message).not.toContain('db.internal');
  });
});

describe('subgraph profiles', () => {
  const defaults = { port: 4004, pgliteDir: '/data/firearms' };
  const url = 'postgresql://firearms:hunter2@db.internal/firearms';
  // Production verifies the gateway's internal tokens with keys of its own (not the development ones).
  let keys: TestKeys;
  let jwks: { GATEWAY_JWKS_PATH: string };
  beforeAll(async () => {
    keys = await createTestKeys();
    jwks = { GATEWAY_JWKS_PATH: keys.internalJwksPath };
  });
  afterAll(() => keys?.remove());

  it('defaults to production under NODE_ENV=production, and to development otherwise', () => {
    expect(readSubgraphEnv(defaults, { NODE_ENV: 'production', DATABASE_URL: url, ...jwks })).toMatchObject({
      PROFILE: 'production',
      SYNTHETIC_SAMPLE: false,
    });
    expect(readSubgraphEnv(defaults, { NODE_ENV: 'test' })).toMatchObject({
      PROFILE: 'development',
      SYNTHETIC_SAMPLE: true,
    });
    expect(readSubgraphEnv(defaults, { NODE_ENV: 'production', PROFILE: 'development' }).PROFILE).toBe('development');
  });

  it('does not guess the profile for a PostgreSQL database', () => {
    const message = envError(() => readSubgraphEnv(defaults, { DATABASE_URL: url }));
    expect(message).toContain('PROFILE: must be set (development or production) when DATABASE_URL is');
    expect(message).not.toContain('hunter2');
    expect(readSubgraphEnv(defaults, { DATABASE_URL: url, PROFILE: 'development' })).toMatchObject({
      PROFILE: 'development',
      SYNTHETIC_SAMPLE: true,
    });
  });

  it('refuses a profile it does not know', () => {
    expect(envError(() => readSubgraphEnv(defaults, { PROFILE: 'staging' }))).toContain(
      'PROFILE="staging": must be development or production',
    );
  });

  it('production needs DATABASE_URL: the embedded database is for development', () => {
    const message = envError(() => readSubgraphEnv(defaults, { PROFILE: 'production' }));
    expect(message).toContain('PROFILE=production');
    expect(message).toContain('DATABASE_URL: must be set: the embedded database (PGlite) is for development only');
    expect(readSubgraphEnv(defaults, { PROFILE: 'production', DATABASE_URL: url, ...jwks })).toMatchObject({
      PROFILE: 'production',
      DATABASE_URL: url,
      SYNTHETIC_SAMPLE: false,
      SEED: true,
    });
  });

  it('production refuses the synthetic sample, and names every refused setting at once', () => {
    const message = envError(() => readSubgraphEnv(defaults, { NODE_ENV: 'production', SYNTHETIC_SAMPLE: 'true' }));
    expect(message).toContain('DATABASE_URL: must be set');
    expect(message).toContain('SYNTHETIC_SAMPLE: must not be true: production never loads synthetic records');
    expect(
      readSubgraphEnv(defaults, { PROFILE: 'production', DATABASE_URL: url, SYNTHETIC_SAMPLE: 'false', ...jwks })
        .SYNTHETIC_SAMPLE,
    ).toBe(false);
  });

  it("production needs the gateway's JWKS, and refuses the development keys", async () => {
    // Development verifies them with the generated development keys: nothing to set.
    expect(readSubgraphEnv(defaults, {}).GATEWAY_JWKS_PATH).toBeUndefined();
    const missing = envError(() => readSubgraphEnv(defaults, { PROFILE: 'production', DATABASE_URL: url }));
    expect(missing).toContain(
      "GATEWAY_JWKS_PATH: must be set: production verifies the gateway's internal tokens with configured keys",
    );
    const dir = mkdtempSync(join(tmpdir(), 'bicentennial-dev-keys-'));
    try {
      const development = await ensureDevelopmentKeys(dir);
      const message = envError(() =>
        readSubgraphEnv(defaults, {
          PROFILE: 'production',
          DATABASE_URL: url,
          GATEWAY_JWKS_PATH: development.internal.jwksPath,
        }),
      );
      expect(message).toContain('GATEWAY_JWKS_PATH: holds development keys');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('development may turn the synthetic sample off', () => {
    expect(readSubgraphEnv(defaults, { SYNTHETIC_SAMPLE: '0' }).SYNTHETIC_SAMPLE).toBe(false);
    expect(envError(() => readSubgraphEnv(defaults, { SYNTHETIC_SAMPLE: 'yes' }))).toContain(
      'SYNTHETIC_SAMPLE="yes": must be true or false',
    );
  });
});

describe('refuseInProduction', () => {
  const rules = [
    { setting: 'A', refusal: (env: { PROFILE: Profile; a: boolean }) => (env.a ? 'must not be on' : undefined) },
    { setting: 'B', refusal: () => 'is for development only' },
  ];

  it('passes any environment outside production', () => {
    const env = { PROFILE: 'development' as const, a: true };
    expect(refuseInProduction(env, rules)).toBe(env);
  });

  it('lists each broken rule with its setting', () => {
    expect(envError(() => refuseInProduction({ PROFILE: 'production', a: false }, rules))).toBe(
      'invalid environment for PROFILE=production (these settings are for development only):\n' +
        '  B: is for development only',
    );
    expect(envError(() => refuseInProduction({ PROFILE: 'production', a: true }, rules))).toContain(
      '  A: must not be on\n  B: is for development only',
    );
  });
});

describe('the stack runner (npm start)', () => {
  it('runs every process in development, whatever NODE_ENV says', () => {
    expect(childEnv({ NODE_ENV: 'production', DATABASE_URL: 'postgresql://x@y/z' })).toMatchObject({
      PROFILE: 'development',
      NODE_ENV: 'production',
    });
    expect(childEnv({ PROFILE: '' }).PROFILE).toBe('development');
    // Each child gets its own database setting (the stack's per-process variables), never the runner's.
    expect(childEnv({ DATABASE_URL: 'postgresql://x@y/z' }).DATABASE_URL).toBeUndefined();
  });

  it('refuses to run production', () => {
    expect(() => childEnv({ PROFILE: 'production' })).toThrow(
      /PROFILE="production": `npm start` runs the development profile only/,
    );
  });
});
