import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '@bicentennial/tools/stack';

/** Runs a service's entry point as `npm start` does and returns how it exited. */
function run(entry: string, env: Record<string, string>) {
  const result = spawnSync(
    process.execPath,
    ['--conditions=@bicentennial/source', '--import', 'tsx', join(REPO_ROOT, entry)],
    {
      cwd: REPO_ROOT,
      env: { PATH: process.env['PATH'] ?? '', ...env },
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('a service given a bad setting', () => {
  it('the gateway names the variable and exits 1', () => {
    const { status, output } = run('gateway/src/index.ts', { PORT: 'http' });
    expect(status).toBe(1);
    expect(output).toContain('PORT="http": must be a port number');
  });

  it('the gateway refuses a missing supergraph file and exits 1', () => {
    const { status, output } = run('gateway/src/index.ts', {
      PORT: '0',
      SUPERGRAPH_PATH: '/nonexistent/supergraph.graphql',
    });
    expect(status).toBe(1);
    expect(output).toContain('no supergraph at /nonexistent/supergraph.graphql');
  });

  it('a subgraph names the variable and exits 1', () => {
    const { status, output } = run('subgraphs/firearms/src/index.ts', { DB_POOL_SIZE: '0', LOG_LEVEL: 'chatty' });
    expect(status).toBe(1);
    expect(output).toContain('DB_POOL_SIZE="0": must be at least 1');
    expect(output).toContain('LOG_LEVEL="chatty"');
  });
});
