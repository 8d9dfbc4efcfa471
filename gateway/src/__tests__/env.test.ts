import { EnvError } from '@bicentennial/service';
import { readEnv } from '../env';

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
      QUERY_MAX_COST: 10_000,
      QUERY_MAX_ALIASES: 100,
      QUERY_MAX_DIRECTIVES: 50,
      QUERY_MAX_TOKENS: 5_000,
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
    expect(readEnv({ NODE_ENV: 'production' }).PROFILE).toBe('production');
    expect(readEnv({ NODE_ENV: 'production', PROFILE: 'development' }).PROFILE).toBe('development');
    expect(readEnv({ PROFILE: 'production' }).PROFILE).toBe('production');
    expect(() => readEnv({ PROFILE: 'prod' })).toThrow(/PROFILE="prod": must be development or production/);
  });

  it('refuses browser origins on this machine in production, and allows them in development', () => {
    const origins = 'https://dashboards.example.gob.mx, http://localhost:5173, http://127.0.0.1:3000';
    expect(readEnv({ CORS_ORIGINS: origins }).CORS_ORIGINS).toHaveLength(3);
    let error: unknown;
    try {
      readEnv({ PROFILE: 'production', CORS_ORIGINS: origins });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(EnvError);
    expect((error as Error).message).toBe(
      'invalid environment for PROFILE=production (these settings are for development only):\n' +
        '  CORS_ORIGINS: must not allow origins on this machine (http://localhost:5173, http://127.0.0.1:3000): ' +
        'those are development front ends',
    );
    expect(() => readEnv({ PROFILE: 'production', CORS_ORIGINS: 'http://[::1]:8080' })).toThrow(/\[::1\]:8080/);
    expect(
      readEnv({
        PROFILE: 'production',
        CORS_ORIGINS: 'https://dashboards.example.gob.mx,https://localhost.example.org',
      }).CORS_ORIGINS,
    ).toEqual(['https://dashboards.example.gob.mx', 'https://localhost.example.org']);
  });
});
