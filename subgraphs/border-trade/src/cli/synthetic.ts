import { syntheticMain } from '@bicentennial/tools/cli';
import { readEnv } from '../env';
import { createPrisma, MIGRATIONS_DIR, seed } from '../server';
import { loadSynthetic } from '../synthetic';

syntheticMain({
  usage: `usage: npm run synthetic -w subgraphs/border-trade -- --scale <drug seizures> [--interdictions <n>] [--seed <n>]

Loads deterministic synthetic drug seizures and smuggling interdictions (source
synthetic-border-trade, kind SYNTHETIC) into this subgraph's database: DATABASE_URL, or the
embedded database in PGLITE_DIR (stop the subgraph first: one process per embedded database).
The same seed and scale give the same rows; running it again adds nothing.`,
  counts: { interdictions: (scale) => Math.round(scale / 10) },
  scale: ({ seed, scale, interdictions }) => ({ seed, drugSeizures: scale, interdictions: interdictions ?? 0 }),
  env: () => readEnv(),
  migrationsDir: MIGRATIONS_DIR,
  createPrisma,
  seed,
  load: loadSynthetic,
});
