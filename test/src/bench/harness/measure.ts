import pg from 'pg';
import { allProcesses, cpuTicksBetween, processTree, readCpuTicks, readMemory, type ProcessStat } from './procfs';

/**
 * The server processes behind each subgraph's PostgreSQL connections. On PostgreSQL a subgraph's
 * SQL runs in the server's backends, not in the subgraph's process, so the bench counts their
 * CPU too (found by database in `pg_stat_activity`). On the embedded database the SQL engine is
 * inside the subgraph's process and this is not used.
 */
export class PostgresBackends {
  private constructor(
    private readonly client: pg.Client,
    /** Database name → subgraph name. */
    private readonly databases: ReadonlyMap<string, string>,
  ) {}

  static async connect(adminUrl: string, databaseBySubgraph: ReadonlyMap<string, string>): Promise<PostgresBackends> {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    const databases = new Map(
      [...databaseBySubgraph].map(([subgraph, url]) => [new URL(url).pathname.slice(1), subgraph]),
    );
    return new PostgresBackends(client, databases);
  }

  /** The backend pids of each subgraph's connections now. */
  async pids(): Promise<Map<string, number[]>> {
    const { rows } = await this.client.query<{ pid: number; datname: string }>(
      `SELECT pid, datname FROM pg_stat_activity WHERE backend_type = 'client backend' AND datname = ANY($1::text[])`,
      [[...this.databases.keys()]],
    );
    const bySubgraph = new Map<string, number[]>();
    for (const row of rows) {
      const subgraph = this.databases.get(row.datname)!;
      bySubgraph.set(subgraph, [...(bySubgraph.get(subgraph) ?? []), row.pid]);
    }
    return bySubgraph;
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}

/** What a measured run is counted on. */
export interface MeasuredProcesses {
  /** The gateway's first process: it and its descendants (workers) are the gateway. */
  gateway: number;
  /** Each subgraph's process. */
  subgraphs: ReadonlyMap<string, number>;
  loadGenerator: number | undefined;
  database?: PostgresBackends;
}

interface Snapshot {
  gateway: Map<number, number>;
  subgraphs: Map<string, Map<number, number>>;
  database?: Map<string, Map<number, number>>;
  loadGenerator: Map<number, number>;
}

/** CPU used in a measured run, in ms (`perAnswer` divides it by the answers), and the gateway's peak memory. */
export interface ProbeResult {
  gatewayCpuMs: number;
  subgraphCpuMs: Record<string, number>;
  databaseCpuMs?: Record<string, number>;
  loadGeneratorCpuMs: number;
  gatewayMemory: { peakTotal: number; peakProcess: number; processes: number };
}

/** A run's CPU per answer (NaN when nothing was answered). */
export function perAnswer(result: ProbeResult, answers: number): ProbeResult {
  const divide = (ms: number) => (answers > 0 ? ms / answers : Number.NaN);
  const each = (byName: Record<string, number>) =>
    Object.fromEntries(Object.entries(byName).map(([name, ms]) => [name, divide(ms)]));
  return {
    gatewayCpuMs: divide(result.gatewayCpuMs),
    subgraphCpuMs: each(result.subgraphCpuMs),
    ...(result.databaseCpuMs ? { databaseCpuMs: each(result.databaseCpuMs) } : {}),
    loadGeneratorCpuMs: divide(result.loadGeneratorCpuMs),
    gatewayMemory: result.gatewayMemory,
  };
}

/**
 * CPU (utime + stime from /proc/<pid>/stat, at the start and the end) and the gateway's resident
 * memory (sampled every 100 ms meanwhile) of one measured run.
 */
export class RunProbe {
  private peakTotal = 0;
  private peakProcess = 0;
  private readonly timer: NodeJS.Timeout;

  private constructor(
    private readonly processes: MeasuredProcesses,
    private readonly ticksPerSecond: number,
    private readonly gatewayTree: number[],
    private readonly before: Snapshot,
  ) {
    this.sampleMemory();
    this.timer = setInterval(() => this.sampleMemory(), 100);
  }

  static async begin(processes: MeasuredProcesses, ticksPerSecond: number): Promise<RunProbe> {
    const before = await snapshot(processes);
    return new RunProbe(processes, ticksPerSecond, [...before.gateway.keys()], before);
  }

  private sampleMemory(): void {
    const memory = [...readMemory(this.gatewayTree).values()].map((m) => m.rss);
    this.peakTotal = Math.max(
      this.peakTotal,
      memory.reduce((a, b) => a + b, 0),
    );
    this.peakProcess = Math.max(this.peakProcess, ...memory);
  }

  /** Ends the run: the CPU each used since `begin`, in ms. */
  async end(): Promise<ProbeResult> {
    this.sampleMemory();
    clearInterval(this.timer);
    // The trees are read again: a worker the gateway started during the run counts from zero.
    const after = await snapshot(this.processes);
    const ms = (ticks: number) => (ticks * 1000) / this.ticksPerSecond;
    const bySubgraph = (before: Map<string, Map<number, number>>, now: Map<string, Map<number, number>>) =>
      Object.fromEntries(
        [...now].map(([name, ticks]) => [name, ms(cpuTicksBetween(before.get(name) ?? new Map(), ticks))]),
      );
    return {
      gatewayCpuMs: ms(cpuTicksBetween(this.before.gateway, after.gateway)),
      subgraphCpuMs: bySubgraph(this.before.subgraphs, after.subgraphs),
      ...(after.database
        ? { databaseCpuMs: bySubgraph(this.before.database ?? new Map<string, Map<number, number>>(), after.database) }
        : {}),
      loadGeneratorCpuMs: ms(cpuTicksBetween(this.before.loadGenerator, after.loadGenerator)),
      gatewayMemory: { peakTotal: this.peakTotal, peakProcess: this.peakProcess, processes: this.gatewayTree.length },
    };
  }
}

/** Each process of `root`'s tree (itself, its workers, a tsx helper) with its utime + stime. */
function treeTicks(root: number | undefined, all: readonly ProcessStat[]): Map<number, number> {
  if (root === undefined) return new Map();
  const byPid = new Map(all.map((stat) => [stat.pid, stat]));
  const ticks = new Map<number, number>();
  for (const pid of processTree(root, all)) {
    const stat = byPid.get(pid);
    if (stat) ticks.set(pid, stat.utime + stat.stime);
  }
  return ticks;
}

async function snapshot(processes: MeasuredProcesses): Promise<Snapshot> {
  const backends = processes.database ? await processes.database.pids() : undefined;
  const all = allProcesses();
  return {
    gateway: treeTicks(processes.gateway, all),
    subgraphs: new Map([...processes.subgraphs].map(([name, pid]) => [name, treeTicks(pid, all)])),
    ...(backends
      ? {
          database: new Map(
            [...processes.subgraphs.keys()].map((name) => [name, readCpuTicks(backends.get(name) ?? [])]),
          ),
        }
      : {}),
    loadGenerator: treeTicks(processes.loadGenerator, all),
  };
}
