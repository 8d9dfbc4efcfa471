import { defaultPgliteDir, readSubgraphEnv, type SubgraphEnv } from '@bicentennial/subgraph-kit';
import { join } from 'node:path';

/** framework's settings (see README, Configuration): PORT defaults to 4001. */
export function readEnv(env: NodeJS.ProcessEnv = process.env): SubgraphEnv {
  return readSubgraphEnv({ port: 4001, pgliteDir: defaultPgliteDir(join(__dirname, '..')) }, env);
}
