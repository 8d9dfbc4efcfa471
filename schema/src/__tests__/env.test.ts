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
