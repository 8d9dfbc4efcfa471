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
    expect(() => readSubgraphEnv(defaults, { PORT: '70000', SEED: 'maybe', DATABASE_URL: 'mysql://x' })).toThrow(
      EnvError,
    );
    try {
      readSubgraphEnv(defaults, { PORT: '70000', SEED: 'maybe', DATABASE_URL: 'mysql://x' });
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('PORT="70000": must be between 0 and 65535');
      expect(message).toContain('SEED="maybe": must be true or false');
      expect(message).toContain('DATABASE_URL');
      expect(message).toContain('must be a postgresql:// connection string');
    }
  });
});
