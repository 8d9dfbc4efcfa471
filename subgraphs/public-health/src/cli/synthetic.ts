import { syntheticMain } from '@bicentennial/tools/cli';
import { readEnv } from '../env';
import { createPrisma, MIGRATIONS_DIR, seed } from '../server';
import { loadSynthetic } from '../synthetic';

syntheticMain({
  usage: `usage: npm run synthetic -w subgraphs/public-health -- --scale <programmes> [--seed <n>]

Loads deterministic synthetic programmes (source synthetic-public-health, kind SYNTHETIC) into
this subgraph's database: DATABASE_URL, or the embedded database in PGLITE_DIR (stop the
subgraph first: one process per embedded database). The same seed and scale give the same rows;
running it again adds nothing. Statistics (overdose deaths, homicides) are never generated: they
are public figures only.`,
  scale: ({ seed, scale }) => ({ seed, programmes: scale }),
  env: () => readEnv(),
  migrationsDir: MIGRATIONS_DIR,
  createPrisma,
  seed,
  load: loadSynthetic,
});
