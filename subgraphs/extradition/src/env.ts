import { join } from 'node:path';
import { defaultPgliteDir, readSubgraphEnv, type SubgraphEnv } from '@bicentennial/subgraph-kit';

/** extradition' settings (see README, Configuration): PORT defaults to 4006. */
export function readEnv(env: NodeJS.ProcessEnv = process.env): SubgraphEnv {
  return readSubgraphEnv({ port: 4006, pgliteDir: defaultPgliteDir(join(__dirname, '..')) }, env);
}
