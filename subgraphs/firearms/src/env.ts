import { join } from 'node:path';
import { defaultPgliteDir, readSubgraphEnv, type SubgraphEnv } from '@bicentennial/subgraph-kit';

/** firearms' settings (see README, Configuration): PORT defaults to 4004. */
export function readEnv(env: NodeJS.ProcessEnv = process.env): SubgraphEnv {
  return readSubgraphEnv({ port: 4004, pgliteDir: defaultPgliteDir(join(__dirname, '..')) }, env);
}
