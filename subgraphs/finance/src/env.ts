import { join } from 'node:path';
import { defaultPgliteDir, readSubgraphEnv, type SubgraphEnv } from '@bicentennial/subgraph-kit';

/** finance' settings (see README, Configuration): PORT defaults to 4005. */
export function readEnv(env: NodeJS.ProcessEnv = process.env): SubgraphEnv {
  return readSubgraphEnv({ port: 4005, pgliteDir: defaultPgliteDir(join(__dirname, '..')) }, env);
}
