import { parseArgs } from 'node:util';

/** The gateways the bench compares: ours and its two peers. */
export const GATEWAYS = ['ours', 'apollo', 'hive'] as const;
export type GatewayName = (typeof GATEWAYS)[number];

/** The workloads, in the order they run against each gateway. */
export const WORKLOADS = [
  'dashboard',
  'objective',
  'walk',
  'seizures',
  'seizures-sorted',
  'seizures-last',
  'dashboard-cached',
] as const;
export type WorkloadName = (typeof WORKLOADS)[number];

export interface BenchOptions {
  /** Rounds of A B C …; each figure is the median across them. */
  rounds: number;
  /** Seconds of load before each measured run (the same process, the same workload), not measured. */
  warmupSeconds: number;
  /** Seconds of each measured run. */
  durationSeconds: number;
  /** Concurrent connections of the load generator. */
  connections: number;
  /** Synthetic drug seizures loaded into border-trade for the filtered page. */
  rows: number;
  gateways: GatewayName[];
  workloads: WorkloadName[];
  /** Run `npm run build` first (our gateway runs its built code). */
  build: boolean;
  /** The embedded databases even when PostgreSQL answers. */
  pglite: boolean;
  quick: boolean;
  /** Where the JSON and Markdown reports go (relative to the repository). */
  outDir: string;
  help: boolean;
}

export const USAGE = `npm run bench [-- options]

Our gateway (production profile, its built code), a plain @apollo/gateway server and Hive Gateway,
in turn on one port over the same subgraphs and supergraph file, under autocannon.

  --quick              a smoke run: 1 round, 1 s warm-up, 3 s runs, 100,000 seizures
  --rounds N           rounds of A B C … (default 3; BENCH_ROUNDS)
  --warmup S           seconds of warm-up before each measured run (default 3; BENCH_WARMUP_SECONDS)
  --duration S         seconds of each measured run (default 10; BENCH_DURATION_SECONDS)
  --connections N      concurrent connections (default 50; BENCH_CONNECTIONS)
  --rows N             synthetic drug seizures for the filtered page (default 1,000,000; BENCH_ROWS)
  --gateways LIST      a subset of ${GATEWAYS.join(',')} (ours is the reference: always included)
  --workloads LIST     a subset of ${WORKLOADS.join(',')}
  --pglite             the embedded databases even when PostgreSQL answers
  --no-build           do not run \`npm run build\` first
  --out DIR            where the reports go (default .bench)

The last line of the output is
  ratio_vs_apollo_gateway=<x> ratio_vs_hive_gateway=<y> cache_speedup=<z>
for the Dashboard: our requests per second (cache off) over theirs, and ours with the response
cache over ours without.`;

/** A whole number from `min` to `max` given as a flag or a variable (`1_000_000` and `1,000,000` are fine). */
function wholeNumber(name: string, raw: string, min: number, max: number): number {
  const value = Number(raw.replace(/[_,]/g, ''));
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max.toLocaleString('en-US')} (got ${raw})`);
  }
  return value;
}

function list<T extends string>(name: string, raw: string, allowed: readonly T[]): T[] {
  const items = raw
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  const unknown = items.filter((item) => !(allowed as readonly string[]).includes(item));
  if (unknown.length > 0 || items.length === 0) {
    throw new Error(`${name} must be a comma-separated subset of ${allowed.join(', ')} (got ${raw})`);
  }
  // In the canonical order, whatever order they were given in.
  return allowed.filter((item) => items.includes(item));
}

/**
 * The bench's settings from its command line and environment (a flag wins over its variable;
 * `--quick` changes only the defaults, so `--quick --rows 500000` loads 500,000 rows).
 */
export function parseBenchOptions(argv: string[], env: NodeJS.ProcessEnv = {}): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      quick: { type: 'boolean', default: false },
      rounds: { type: 'string' },
      warmup: { type: 'string' },
      duration: { type: 'string' },
      connections: { type: 'string' },
      rows: { type: 'string' },
      gateways: { type: 'string' },
      workloads: { type: 'string' },
      pglite: { type: 'boolean', default: false },
      'no-build': { type: 'boolean', default: false },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const quick = values.quick === true;
  const setting = (
    flag: 'rounds' | 'warmup' | 'duration' | 'connections' | 'rows',
    variable: string,
    fallback: number,
    min: number,
    max: number,
  ) => {
    const given = values[flag];
    if (given !== undefined) return wholeNumber(`--${flag}`, given, min, max);
    const raw = env[variable];
    if (raw !== undefined && raw !== '') return wholeNumber(variable, raw, min, max);
    return fallback;
  };
  const gateways = values.gateways === undefined ? [...GATEWAYS] : list('--gateways', values.gateways, GATEWAYS);
  if (!gateways.includes('ours')) gateways.unshift('ours');
  return {
    rounds: setting('rounds', 'BENCH_ROUNDS', quick ? 1 : 3, 1, 100),
    warmupSeconds: setting('warmup', 'BENCH_WARMUP_SECONDS', quick ? 1 : 3, 0, 3600),
    durationSeconds: setting('duration', 'BENCH_DURATION_SECONDS', quick ? 3 : 10, 1, 3600),
    connections: setting('connections', 'BENCH_CONNECTIONS', 50, 1, 10_000),
    rows: setting('rows', 'BENCH_ROWS', quick ? 100_000 : 1_000_000, 0, 100_000_000),
    gateways,
    workloads: values.workloads === undefined ? [...WORKLOADS] : list('--workloads', values.workloads, WORKLOADS),
    build: values['no-build'] !== true,
    pglite: values.pglite === true,
    quick,
    outDir: values.out ?? '.bench',
    help: values.help === true,
  };
}
