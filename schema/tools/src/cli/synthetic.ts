import { parseArgs } from 'node:util';
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { Logger } from 'pino';
import { openDatabase, migrate, type SubgraphEnv, type PrismaLike, type SeedOptions } from '@bicentennial/subgraph-kit';
import { silentLogger } from '@bicentennial/service';
import { progressBar } from './progress';

const MAX = 100_000_000;

/** A subgraph's synthetic-data command: what it generates and how it loads it. */
export interface SyntheticCommand<P extends PrismaLike, S extends { seed: number }> {
  /** The help text (first line: the usage). */
  usage: string;
  /** Counts besides `--scale` and `--seed`: flag name → default, given the scale. */
  counts?: Record<string, (scale: number) => number>;
  /** The generator's scale from the command line's counts. */
  scale(counts: Record<string, number> & { scale: number; seed: number }): S;
  env(): SubgraphEnv;
  migrationsDir: string;
  createPrisma(adapter: SqlDriverAdapterFactory): P;
  seed(prisma: P, logger: Logger, options: SeedOptions): Promise<void>;
  /** Loads the rows; returns how many of each kind were new (a re-run adds nothing). */
  load(prisma: P, scale: S, onProgress: (rows: number) => void): Promise<Record<string, number>>;
}

function count(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < 0 || n > MAX)
    throw new Error(`--${name} must be a whole number from 0 to 100,000,000`);
  return n;
}

const plural = (n: number) => n.toLocaleString('en-US');

/**
 * `npm run synthetic -w subgraphs/<name> -- --scale N`: opens the subgraph's own database (its
 * DATABASE_URL, or its embedded database — one process at a time, so stop the subgraph first),
 * applies migrations, seeds it if empty, loads deterministic synthetic rows with a progress bar,
 * and reports rows per second.
 */
export async function runSyntheticCommand<P extends PrismaLike, S extends { seed: number }>(
  command: SyntheticCommand<P, S>,
  argv: string[] = process.argv.slice(2),
): Promise<number> {
  const extra = Object.keys(command.counts ?? {});
  const { values }: { values: Record<string, string | boolean | undefined> } = parseArgs({
    args: argv,
    options: {
      scale: { type: 'string' },
      seed: { type: 'string' },
      help: { type: 'boolean' },
      ...Object.fromEntries(extra.map((name) => [name, { type: 'string' as const }])),
    },
  });
  if (values['help'] || values['scale'] === undefined) {
    process.stdout.write(`${command.usage}\n`);
    return values['help'] ? 0 : 2;
  }
  const scale = count('scale', String(values['scale']), 0);
  const counts: Record<string, number> & { scale: number; seed: number } = {
    scale,
    seed: count('seed', values['seed'] as string | undefined, 42),
  };
  for (const name of extra)
    counts[name] = count(name, values[name] as string | undefined, command.counts![name]!(scale));
  const generatorScale = command.scale(counts);
  const total = Object.entries(counts)
    .filter(([name]) => name !== 'seed')
    .reduce((sum, [, n]) => sum + n, 0);

  const env = command.env();
  if (env.PROFILE === 'production') {
    throw new Error('PROFILE=production: synthetic records are for development only; nothing was loaded');
  }
  const database = await openDatabase(
    env.DATABASE_URL
      ? { kind: 'postgres', url: env.DATABASE_URL, poolSize: 2 }
      : { kind: 'pglite', dataDir: env.PGLITE_DIR },
  );
  const prisma = command.createPrisma(database.adapter);
  try {
    await migrate(database, command.migrationsDir, silentLogger);
    // Reference data only (the ports and organizations the rows point at): what is loaded next is
    // what was asked for, not the start-up sample as well.
    await command.seed(prisma, silentLogger, { syntheticSample: false });
    process.stderr.write(`loading into ${database.kind} ${database.location}\n`);
    const bar = progressBar('synthetic', total);
    const loaded = await command.load(prisma, generatorScale, (rows) => bar.update(rows));
    const { seconds, rowsPerSecond } = bar.stop(total);
    const news = Object.entries(loaded).map(([kind, n]) => `${plural(n)} ${kind}`);
    process.stdout.write(
      `${plural(total)} rows generated in ${seconds.toFixed(1)} s (${plural(rowsPerSecond)} rows/s); new: ${news.join(', ')}\n`,
    );
    return 0;
  } finally {
    await prisma.$disconnect();
    await database.close();
  }
}

/** Runs the command as a program: exit code 0 on success, the error's message and 1 on failure. */
export function syntheticMain<P extends PrismaLike, S extends { seed: number }>(command: SyntheticCommand<P, S>): void {
  runSyntheticCommand(command).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
