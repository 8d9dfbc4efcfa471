import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const GATEWAY_DIR = join(__dirname, '..', '..');

/** Database drivers and what wraps them: the gateway reaches data over HTTP only. */
const DATABASE_CODE =
  /[\\/]node_modules[\\/](pg|pg-pool|pg-protocol|@electric-sql[\\/]pglite|@prisma[\\/]|pglite-prisma-adapter)/;

/** Every file a fresh Node process loads to import `specifier` from the gateway's folder. */
function loadedFiles(...specifiers: string[]): string[] {
  const requires = specifiers.map((s) => `require(${JSON.stringify(s)});`).join(' ');
  const script = `${requires} process.stdout.write(JSON.stringify(Object.keys(require.cache)));`;
  const result = spawnSync(process.execPath, ['--conditions=@bicentennial/source', '--import', 'tsx', '-e', script], {
    cwd: GATEWAY_DIR,
    encoding: 'utf8',
    env: { ...process.env, APOLLO_TELEMETRY_DISABLED: 'true' },
    timeout: 60_000,
  });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout) as string[];
}

describe("the gateway's import graph", () => {
  it('reaches no database driver and no subgraph code', () => {
    // Everything src/index.ts loads (it starts a server when loaded, so its two imports instead).
    const files = loadedFiles('@bicentennial/gateway', '@bicentennial/gateway/env', '@bicentennial/service');
    // The probe sees what the gateway really loads (else an empty list would pass).
    expect(files.some((file) => /[\\/]node_modules[\\/]@apollo[\\/]gateway[\\/]/.test(file))).toBe(true);
    expect(files.filter((file) => DATABASE_CODE.test(file))).toEqual([]);
    expect(files.filter((file) => /[\\/]schema[\\/](subgraph-kit|tools|testing)[\\/]/.test(file))).toEqual([]);
    expect(files.filter((file) => /[\\/]subgraphs[\\/]/.test(file))).toEqual([]);
  });

  it('would be caught reaching one: the subgraph kit loads the drivers', () => {
    const files = loadedFiles('@bicentennial/subgraph-kit');
    expect(files.filter((file) => DATABASE_CODE.test(file)).length).toBeGreaterThan(0);
  });
});
