import { join } from 'node:path';
import { defaultPgliteDir, readSubgraphEnv, type SubgraphEnv } from '@bicentennial/subgraph-kit';

/** public-health' settings (see README, Configuration): PORT defaults to 4002. */
export function readEnv(env: NodeJS.ProcessEnv = process.env): SubgraphEnv {
  return readSubgraphEnv({ port: 4002, pgliteDir: defaultPgliteDir(join(__dirname, '..')) }, env);
}
