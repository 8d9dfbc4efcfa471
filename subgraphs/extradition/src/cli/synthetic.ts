import { syntheticMain } from '@bicentennial/tools/cli';
import { readEnv } from '../env';
import { createPrisma, MIGRATIONS_DIR, seed } from '../server';
import { loadSynthetic } from '../synthetic';

syntheticMain({
  usage: `usage: npm run synthetic -w subgraphs/extradition -- --scale <extradition cases> [--seed <n>]

Loads deterministic synthetic extradition cases (source synthetic-extradition, kind SYNTHETIC,
persons labelled "Synthetic person …") into this subgraph's database: DATABASE_URL, or the
embedded database in PGLITE_DIR (stop the subgraph first: one process per embedded database).
The same seed and scale give the same rows; running it again adds nothing.`,
  scale: ({ seed, scale }) => ({ seed, cases: scale }),
  env: () => readEnv(),
  migrationsDir: MIGRATIONS_DIR,
  createPrisma,
  seed,
  load: loadSynthetic,
});
