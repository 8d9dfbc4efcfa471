import { parseArgs } from 'node:util';
import { migrate, openDatabase, progressBar, silentLogger } from '@bicentennial/schema';
import { readEnv } from '../env';
import { createPrisma, MIGRATIONS_DIR, seed } from '../server';
import { loadSynthetic } from '../synthetic';

const USAGE = `usage: npm run synthetic -w subgraphs/public-health -- --scale <programmes> [--seed <n>]

Loads deterministic synthetic programmes (source synthetic-public-health, kind SYNTHETIC) into
this subgraph's database: DATABASE_URL, or the embedded database in PGLITE_DIR (stop the
subgraph first: one process per embedded database). The same seed and scale give the same rows;
running it again adds nothing. Statistics (overdose deaths, homicides) are never generated: they
are public figures only.`;

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < 0 || n > 100_000_000)
    throw new Error(`--${name} must be a whole number from 0 to 100,000,000`);
  return n;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { scale: { type: 'string' }, seed: { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help || values.scale === undefined) {
    process.stdout.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const scale = { seed: positive('seed', values.seed, 42), programmes: positive('scale', values.scale, 0) };
  const env = readEnv();
  const database = await openDatabase(
    env.DATABASE_URL
      ? { kind: 'postgres', url: env.DATABASE_URL, poolSize: 2 }
      : { kind: 'pglite', dataDir: env.PGLITE_DIR },
  );
  const prisma = createPrisma(database.adapter);
  try {
    await migrate(database, MIGRATIONS_DIR, silentLogger);
    await seed(prisma, silentLogger);
    process.stderr.write(`loading into ${database.kind} ${database.location}\n`);
    const bar = progressBar('synthetic', scale.programmes);
    const loaded = await loadSynthetic(prisma, scale, (rows) => bar.update(rows));
    const { seconds, rowsPerSecond } = bar.stop(scale.programmes);
    process.stdout.write(
      `${scale.programmes.toLocaleString('en-US')} rows generated in ${seconds.toFixed(1)} s (${rowsPerSecond.toLocaleString('en-US')} rows/s); ` +
        `new: ${loaded.programmes.toLocaleString('en-US')} programmes\n`,
    );
    return 0;
  } finally {
    await prisma.$disconnect();
    await database.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
