import { syntheticMain } from '@bicentennial/tools/cli';
import { readEnv } from '../env';
import { createPrisma, MIGRATIONS_DIR, seed } from '../server';
import { loadSynthetic } from '../synthetic';

syntheticMain({
  usage: `usage: npm run synthetic -w subgraphs/finance -- --scale <asset seizures> [--designations <n>] [--seed <n>]

Loads deterministic synthetic asset seizures and, with --designations, sanctions designations
(source synthetic-finance, kind SYNTHETIC; designations name no one) into this subgraph's
database: DATABASE_URL, or the embedded database in PGLITE_DIR (stop the subgraph first: one
process per embedded database). The same seed and scale give the same rows; running it again
adds nothing.`,
  counts: { designations: () => 0 },
  scale: ({ seed, scale, designations }) => ({ seed, assetSeizures: scale, designations: designations ?? 0 }),
  env: () => readEnv(),
  migrationsDir: MIGRATIONS_DIR,
  createPrisma,
  seed,
  load: loadSynthetic,
});
