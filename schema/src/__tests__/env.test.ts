import { EnvError } from '../env';
import { readSubgraphEnv } from '../subgraph/env';

describe('subgraph settings', () => {
  const defaults = { port: 4004, pgliteDir: '/data/firearms' };

  it('has defaults, and treats empty variables as unset', () => {
    expect(readSubgraphEnv(defaults, { PORT: '', LOG_LEVEL: '' })).toMatchObject({
      PORT: 4004,
      HOST: '127.0.0.1',
      PGLITE_DIR: '/data/firearms',
      SEED: true,
      LOG_LEVEL: 'info',
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
