import { errorCount, type LoadSummary } from './loadSummary';
import { GATEWAYS, WORKLOADS, type GatewayName, type WorkloadName } from './options';
import { median, range, ratio } from './stats';

/** One measured run: one gateway, one workload, one round. */
export interface Measurement {
  round: number;
  load: LoadSummary;
  /** CPU of the gateway's whole process tree (its workers included) per answer, in ms. */
  gatewayCpuMs: number;
  /** CPU of each subgraph's process per answer, in ms. */
  subgraphCpuMs: Record<string, number>;
  /** On PostgreSQL: CPU of each subgraph's database connections (server backends) per answer, in ms. */
  databaseCpuMs?: Record<string, number>;
  /** CPU of the load generator per answer, in ms (it shares the cores). */
  loadGeneratorCpuMs: number;
  /** The gateway's resident memory while the run lasted (sampled). */
  gatewayMemory: { peakTotal: number; peakProcess: number; processes: number };
}

/** Everything about one gateway on one workload: its runs, or why it has none. */
export interface Cell {
  gateway: GatewayName;
  workload: WorkloadName;
  /** Why it was not timed (could not answer, answered other data, did not start …); undefined when timed. */
  notTimed?: string;
  measurements: Measurement[];
}

/** A cell's figures: the median across rounds (errors summed, memory at its peak). */
export interface CellSummary {
  rounds: number;
  rps: number;
  rpsRange: { min: number; max: number };
  p50Ms: number;
  p99Ms: number;
  errors: number;
  answers: number;
  gatewayCpuMs: number;
  subgraphCpuMs: Record<string, number>;
  subgraphCpuMsTotal: number;
  databaseCpuMs?: Record<string, number>;
  databaseCpuMsTotal?: number;
  gatewayPeakRss: number;
  gatewayPeakProcessRss: number;
  gatewayProcesses: number;
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

function medianOf(measurements: Measurement[], pick: (m: Measurement) => number): number {
  return median(measurements.map(pick)) ?? Number.NaN;
}

function perSubgraph(measurements: Measurement[], pick: (m: Measurement) => Record<string, number> | undefined) {
  const names = [...new Set(measurements.flatMap((m) => Object.keys(pick(m) ?? {})))];
  return Object.fromEntries(names.map((name) => [name, medianOf(measurements, (m) => pick(m)?.[name] ?? Number.NaN)]));
}

export function summarizeCell(cell: Cell): CellSummary | undefined {
  const runs = cell.measurements;
  if (cell.notTimed !== undefined || runs.length === 0) return undefined;
  const subgraphCpuMs = perSubgraph(runs, (m) => m.subgraphCpuMs);
  const hasDatabase = runs.some((m) => m.databaseCpuMs !== undefined);
  const databaseCpuMs = hasDatabase ? perSubgraph(runs, (m) => m.databaseCpuMs) : undefined;
  return {
    rounds: runs.length,
    rps: medianOf(runs, (m) => m.load.rps),
    rpsRange: range(runs.map((m) => m.load.rps))!,
    p50Ms: medianOf(runs, (m) => m.load.p50Ms),
    p99Ms: medianOf(runs, (m) => m.load.p99Ms),
    errors: sum(runs.map((m) => errorCount(m.load))),
    answers: sum(runs.map((m) => m.load.responses)),
    gatewayCpuMs: medianOf(runs, (m) => m.gatewayCpuMs),
    subgraphCpuMs,
    // The median of each round's total, not the total of the medians (rounds move together).
    subgraphCpuMsTotal: medianOf(runs, (m) => sum(Object.values(m.subgraphCpuMs))),
    ...(databaseCpuMs
      ? { databaseCpuMs, databaseCpuMsTotal: medianOf(runs, (m) => sum(Object.values(m.databaseCpuMs ?? {}))) }
      : {}),
    gatewayPeakRss: Math.max(...runs.map((m) => m.gatewayMemory.peakTotal)),
    gatewayPeakProcessRss: Math.max(...runs.map((m) => m.gatewayMemory.peakProcess)),
    gatewayProcesses: Math.max(...runs.map((m) => m.gatewayMemory.processes)),
  };
}

/** The names the tables give the gateways. */
export const GATEWAY_TITLES: Record<GatewayName, string> = {
  ours: 'ours',
  apollo: '@apollo/gateway',
  hive: 'Hive Gateway',
};

const MiB = 2 ** 20;
const thousands = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => (!Number.isFinite(n) ? '—' : n < 100 ? n.toFixed(1) : thousands(n));
const cpu = (n: number | undefined) => (n === undefined || !Number.isFinite(n) ? '—' : n.toFixed(2));
const mib = (bytes: number) => thousands(bytes / MiB);

export interface TableRow {
  cells: string[];
  note?: string;
}

export interface Table {
  headers: string[];
  /** Which columns hold numbers (aligned right). */
  numeric: boolean[];
  rows: TableRow[];
}

/** The cells in the order of the tables: by workload, then by gateway. */
export function orderCells(cells: Cell[]): Cell[] {
  const rank = (cell: Cell) => WORKLOADS.indexOf(cell.workload) * GATEWAYS.length + GATEWAYS.indexOf(cell.gateway);
  return [...cells].sort((a, b) => rank(a) - rank(b));
}

/** The main table: throughput, latency, errors, CPU per answer and the gateway's memory. */
export function resultsTable(cells: Cell[], titles: Record<WorkloadName, string>): Table {
  const rows = orderCells(cells).map((cell): TableRow => {
    const label = [titles[cell.workload], GATEWAY_TITLES[cell.gateway]];
    const summary = summarizeCell(cell);
    if (!summary) return { cells: [...label, ...Array<string>(8).fill('—')], note: cell.notTimed ?? 'no runs' };
    const note =
      summary.answers === 0 ? 'no response came back within the measured runs (longer runs: --duration)' : undefined;
    return {
      ...(note ? { note } : {}),
      cells: [
        ...label,
        thousands(summary.rps),
        ms(summary.p50Ms),
        ms(summary.p99Ms),
        thousands(summary.errors),
        cpu(summary.gatewayCpuMs),
        cpu(summary.subgraphCpuMsTotal),
        cpu(summary.databaseCpuMsTotal),
        summary.gatewayProcesses > 1
          ? `${mib(summary.gatewayPeakRss)} (${summary.gatewayProcesses}; largest ${mib(summary.gatewayPeakProcessRss)})`
          : `${mib(summary.gatewayPeakRss)} (1)`,
      ],
    };
  });
  return {
    headers: [
      'workload',
      'gateway',
      'rps',
      'p50 ms',
      'p99 ms',
      'errors',
      'gateway CPU ms/req',
      'subgraphs CPU ms/req',
      'PostgreSQL CPU ms/req',
      'gateway RSS MiB (processes; largest)',
    ],
    numeric: [false, false, true, true, true, true, true, true, true, true],
    rows,
  };
}

/** CPU per answer of each subgraph's process (and, on PostgreSQL, `+` its database connections'). */
export function subgraphTable(cells: Cell[], titles: Record<WorkloadName, string>, subgraphs: string[]): Table {
  const rows = orderCells(cells)
    .map((cell) => ({ cell, summary: summarizeCell(cell) }))
    .filter((entry): entry is { cell: Cell; summary: CellSummary } => entry.summary !== undefined)
    .map(({ cell, summary }): TableRow => ({
      cells: [
        titles[cell.workload],
        GATEWAY_TITLES[cell.gateway],
        ...subgraphs.map((name) => {
          const own = cpu(summary.subgraphCpuMs[name]);
          const database = summary.databaseCpuMs?.[name];
          return database === undefined ? own : `${own} +${cpu(database)}`;
        }),
      ],
    }));
  return {
    headers: ['workload', 'gateway', ...subgraphs],
    numeric: [false, false, ...subgraphs.map(() => true)],
    rows,
  };
}

/** A table as aligned plain text, each note on a line of its own after the rows, numbered. */
export function formatText(table: Table): string {
  const all = [table.headers, ...table.rows.map((r) => r.cells)];
  const widths = table.headers.map((_h, i) => Math.max(...all.map((cells) => (cells[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (table.numeric[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const notes = table.rows.filter((r) => r.note !== undefined);
  return [
    line(table.headers),
    line(widths.map((w) => '-'.repeat(w))),
    ...table.rows.map((r) =>
      line(r.note === undefined ? r.cells : [...r.cells.slice(0, -1), `${r.cells.at(-1)} [${notes.indexOf(r) + 1}]`]),
    ),
    ...notes.map((r, i) => `[${i + 1}] ${r.cells[0]}, ${r.cells[1]}: ${r.note}`),
  ].join('\n');
}

/** A table as GitHub Markdown (numbers aligned right), notes as a numbered list after it. */
export function formatMarkdown(table: Table): string {
  const escape = (cell: string) => cell.replace(/\|/g, '\\|');
  const row = (cells: string[]) => `| ${cells.map(escape).join(' | ')} |`;
  const notes = table.rows.filter((r) => r.note !== undefined);
  const lines = [
    row(table.headers),
    `| ${table.numeric.map((n) => (n ? '---:' : '---')).join(' | ')} |`,
    ...table.rows.map((r) =>
      row(r.note === undefined ? r.cells : [...r.cells.slice(0, -1), `${r.cells.at(-1)} [${notes.indexOf(r) + 1}]`]),
    ),
  ];
  if (notes.length > 0) lines.push('', ...notes.map((r, i) => `${i + 1}. ${r.cells[0]}, ${r.cells[1]}: ${r.note}`));
  return lines.join('\n');
}

/** The Dashboard figures the last line compares. */
export interface DashboardRates {
  /** Ours, response cache off. */
  ours?: number;
  apollo?: number;
  hive?: number;
  /** Ours, response cache on. */
  oursCached?: number;
}

/** The Dashboard's requests per second of each, from the cells (medians), where measured. */
export function dashboardRates(cells: Cell[]): DashboardRates {
  const rps = (gateway: GatewayName, workload: WorkloadName) =>
    summarizeCell(
      cells.find((c) => c.gateway === gateway && c.workload === workload) ?? { gateway, workload, measurements: [] },
    )?.rps;
  return {
    ours: rps('ours', 'dashboard'),
    apollo: rps('apollo', 'dashboard'),
    hive: rps('hive', 'dashboard'),
    oursCached: rps('ours', 'dashboard-cached'),
  };
}

/**
 * The bench's last line: our uncached Dashboard throughput over each peer's, and ours cached over
 * ours uncached; `n/a` where a side was not measured.
 */
export function summaryLine(rates: DashboardRates): string {
  const show = (value: number | undefined) => (value === undefined ? 'n/a' : value.toFixed(2));
  return [
    `ratio_vs_apollo_gateway=${show(ratio(rates.ours, rates.apollo))}`,
    `ratio_vs_hive_gateway=${show(ratio(rates.ours, rates.hive))}`,
    `cache_speedup=${show(ratio(rates.oursCached, rates.ours))}`,
  ].join(' ');
}
