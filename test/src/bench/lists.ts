import { performance } from 'node:perf_hooks';
import { openDatabase } from '@bicentennial/subgraph-kit';
import { startTestSubgraph, TEST_CALLER, type TestSubgraph } from '@bicentennial/testing';
import * as borderTrade from '@bicentennial/subgraph-border-trade';
import { loadSynthetic } from '@bicentennial/subgraph-border-trade/synthetic';
import pg from 'pg';
import { createThrowawayDatabases, postgresReachable } from '../postgres';
import { percentile } from './harness/stats';

/**
 * `npm run bench:lists [-- rows] [-- --runs N]`: the list convention at scale, on PostgreSQL.
 * Loads `rows` synthetic drug seizures (default 1,000,000) into a throwaway border-trade
 * database, runs ANALYZE, then runs each list operation below against the subgraph in this
 * process (as a verified U.S. caller, so releasability applies): p50 and p95 over `runs` runs
 * (default 40, after 5 to warm up), each as a ratio to the unfiltered first page measured in the
 * same run. Then EXPLAIN (ANALYZE, BUFFERS) of every SQL statement each operation sent, as Prisma
 * sent it: the plan's scans (an index scan, or the sequential scan to look into), its execution
 * time and the buffers it read.
 */

interface Workload {
  name: string;
  query: string;
}

const NODES = 'nodes { id seizedOn drug quantityKg }';
const FILTER = 'region: "US-AZ", drug: FENTANYL, period: { years: { kind: US_FISCAL, from: 2024 } }';

const WORKLOADS: Workload[] = [
  { name: 'first page (baseline)', query: `{ drugSeizures(first: 20) { ${NODES} } }` },
  {
    name: 'filtered, sorted page',
    query: `{ drugSeizures(${FILTER}, orderBy: { field: RECORDED_AT, direction: ASC }, first: 20) { ${NODES} } }`,
  },
  {
    name: 'filtered, last page backwards',
    query: `{ drugSeizures(${FILTER}, last: 20) { ${NODES} pageInfo { hasPreviousPage } } }`,
  },
  { name: 'port page, by day', query: `{ drugSeizures(port: "2504", first: 20) { ${NODES} } }` },
  { name: 'filtered totalCount', query: `{ drugSeizures(${FILTER}) { totalCount } }` },
  { name: 'totalCount of everything', query: '{ drugSeizures { totalCount } }' },
  {
    name: 'aggregate: fentanyl by port by fiscal year',
    query:
      '{ drugSeizureAggregates(drug: FENTANYL, groupBy: [PORT, US_FISCAL_YEAR]) { port { code } fiscalYear count totalQuantityKg } }',
  },
  {
    name: 'aggregate: filtered, one group',
    query: `{ drugSeizureAggregates(${FILTER}) { count totalQuantityKg averageQuantityKg } }`,
  },
];

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

/** The scans of a plan, outermost first: `Index Scan DrugSeizure_seizedOn_id_idx`, `Seq Scan DrugSeizure`. */
function scans(node: PlanNode): string[] {
  const own = /Scan/.test(node['Node Type'])
    ? [`${node['Node Type']} ${node['Index Name'] ?? node['Relation Name'] ?? ''}`.trim()]
    : [];
  return [...own, ...(node.Plans ?? []).flatMap(scans)];
}

const ms = (value: number | undefined) => (value === undefined ? '-' : value.toFixed(2));

async function main(): Promise<void> {
  const positional = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
  const runsAt = process.argv.indexOf('--runs');
  const rows = Number(positional[0] ?? 1_000_000);
  const runs = runsAt === -1 ? 40 : Number(process.argv[runsAt + 1]);
  if (!Number.isInteger(rows) || rows < 1 || !Number.isInteger(runs) || runs < 1) {
    throw new Error('usage: bench:lists [rows] [--runs N]');
  }
  const out = (line: string) => process.stdout.write(`${line}\n`);
  if (!postgresReachable()) throw new Error('PostgreSQL is not reachable (TEST_POSTGRES_URL): the bench runs on it');
  const throwaway = await createThrowawayDatabases(['border-trade']);
  const url = throwaway.urls.get('border-trade')!;
  let subgraph: TestSubgraph<Awaited<ReturnType<typeof borderTrade.createPrisma>>> | undefined;
  const client = new pg.Client({ connectionString: url });
  try {
    const database = await openDatabase({ kind: 'postgres', url, poolSize: 4 });
    subgraph = await startTestSubgraph(borderTrade, { database });
    const started = performance.now();
    await loadSynthetic(subgraph.prisma, { seed: 2026, drugSeizures: rows, interdictions: 0 });
    await subgraph.prisma.$executeRawUnsafe('ANALYZE');
    out(
      `loaded ${rows.toLocaleString('en-US')} drug seizures in ${((performance.now() - started) / 1000).toFixed(1)} s, then ANALYZE`,
    );
    await client.connect();

    const results: {
      workload: Workload;
      p50: number;
      p95: number;
      queries: { sql: string; args: readonly unknown[] }[];
    }[] = [];
    for (const workload of WORKLOADS) {
      const timings: number[] = [];
      let queries: { sql: string; args: readonly unknown[] }[] = [];
      for (let n = 0; n < runs + 5; n += 1) {
        subgraph.statements.reset();
        const start = performance.now();
        const { errors } = await subgraph.execute(workload.query, undefined, { as: TEST_CALLER });
        const took = performance.now() - start;
        if (errors) throw new Error(`${workload.name}: ${errors[0]!.message}`);
        if (n >= 5) timings.push(took);
        queries = [...subgraph.statements.queries];
      }
      timings.sort((a, b) => a - b);
      results.push({ workload, p50: percentile(timings, 50)!, p95: percentile(timings, 95)!, queries });
    }

    const baseline = results[0]!.p50;
    out('');
    out(`operation                                     p50 ms   p95 ms   p50 / baseline  (${runs} runs each)`);
    for (const { workload, p50, p95 } of results) {
      out(
        `${workload.name.padEnd(44)} ${ms(p50).padStart(7)}  ${ms(p95).padStart(7)}   ${(p50 / baseline).toFixed(2).padStart(6)}x`,
      );
    }
    out('');
    out('EXPLAIN (ANALYZE, BUFFERS) of the statements each operation sent:');
    for (const { workload, queries } of results) {
      out(`- ${workload.name}`);
      for (const { sql, args } of queries) {
        if (!/^\s*SELECT/i.test(sql)) continue;
        const explained = await client.query<{
          'QUERY PLAN': {
            Plan: PlanNode & { 'Shared Hit Blocks'?: number; 'Shared Read Blocks'?: number };
            'Execution Time': number;
          }[];
        }>(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`, [...args]);
        const [plan] = explained.rows[0]!['QUERY PLAN'];
        const blocks = (plan!.Plan['Shared Hit Blocks'] ?? 0) + (plan!.Plan['Shared Read Blocks'] ?? 0);
        const table = /FROM\s+"[^"]+"\."(\w+)"/i.exec(sql)?.[1] ?? '?';
        out(
          `    ${table.padEnd(14)} ${ms(plan!['Execution Time']).padStart(8)} ms  ${String(blocks).padStart(7)} buffers  ${[...new Set(scans(plan!.Plan))].join(', ')}`,
        );
      }
    }
  } finally {
    await client.end().catch(() => undefined);
    await subgraph?.close().catch(() => undefined);
    await throwaway.drop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
