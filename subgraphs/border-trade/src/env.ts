import { join } from 'node:path';
import { defaultPgliteDir, readSubgraphEnv, type SubgraphEnv } from '@bicentennial/subgraph-kit';

/** border-trade' settings (see README, Configuration): PORT defaults to 4003. */
export function readEnv(env: NodeJS.ProcessEnv = process.env): SubgraphEnv {
  return readSubgraphEnv({ port: 4003, pgliteDir: defaultPgliteDir(join(__dirname, '..')) }, env);
}
