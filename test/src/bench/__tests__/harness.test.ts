import { errorCount, summarizeWindow, type LoadSummary } from '../harness/loadSummary';
import { perAnswer } from '../harness/measure';
import { parseBenchOptions } from '../harness/options';
import { cpuTicksBetween, parseProcessStat, parseProcessStatus, processTree } from '../harness/procfs';
import {
  dashboardRates,
  formatMarkdown,
  formatText,
  resultsTable,
  subgraphTable,
  summarizeCell,
  summaryLine,
  type Cell,
  type Measurement,
} from '../harness/report';
import { firstDifference, median, percentile, range, ratio } from '../harness/stats';
import { withSubgraphUrls } from '../harness/supergraph';
import { WORKLOAD_DEFINITIONS } from '../harness/workloads';

// The pure parts of `npm run bench` (test/src/bench/gateways.ts): settings, statistics, /proc,
// the supergraph it hands every gateway, and the report. The bench itself is not a test.

describe('the bench settings', () => {
  it('defaults to a full run (3 rounds, 3 s warm-up, 10 s runs) and --quick to a short one', () => {
    expect(parseBenchOptions([])).toMatchObject({
      rounds: 3,
      warmupSeconds: 3,
      durationSeconds: 10,
      connections: 50,
      rows: 1_000_000,
      gateways: ['ours', 'apollo', 'hive'],
      workloads: ['dashboard', 'objective', 'walk', 'seizures', 'seizures-sorted', 'seizures-last', 'dashboard-cached'],
      build: true,
      pglite: false,
    });
    expect(parseBenchOptions(['--quick'])).toMatchObject({
      rounds: 1,
      warmupSeconds: 1,
      durationSeconds: 3,
      rows: 100_000,
    });
  });

  it('takes flags over variables over defaults, --quick changing only the defaults', () => {
    const env = { BENCH_ROUNDS: '5', BENCH_DURATION_SECONDS: '20', BENCH_ROWS: '2_000_000' };
    expect(parseBenchOptions(['--rounds', '2', '--rows', '500,000'], env)).toMatchObject({
      rounds: 2,
      durationSeconds: 20,
      rows: 500_000,
    });
    expect(parseBenchOptions(['--quick', '--rows', '300000'])).toMatchObject({ rounds: 1, rows: 300_000 });
  });

  it('keeps our gateway (the reference) and the canonical order in subsets', () => {
    expect(parseBenchOptions(['--gateways', 'hive,apollo']).gateways).toEqual(['ours', 'apollo', 'hive']);
    expect(parseBenchOptions(['--workloads', 'dashboard-cached,dashboard']).workloads).toEqual([
      'dashboard',
      'dashboard-cached',
    ]);
    expect(parseBenchOptions(['--no-build', '--pglite'])).toMatchObject({ build: false, pglite: true });
  });

  it('refuses what it cannot run, naming the setting', () => {
    expect(() => parseBenchOptions(['--rounds', '0'])).toThrow('--rounds must be a whole number from 1 to 100 (got 0)');
    expect(() => parseBenchOptions([], { BENCH_CONNECTIONS: 'many' })).toThrow(
      'BENCH_CONNECTIONS must be a whole number',
    );
    expect(() => parseBenchOptions(['--gateways', 'ours,nginx'])).toThrow(
      '--gateways must be a comma-separated subset',
    );
    expect(() => parseBenchOptions(['--fast'])).toThrow(/Unknown option '--fast'/);
  });
});

describe('statistics', () => {
  it('takes the median, the range and ratios of what was measured', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([Number.NaN, 5])).toBe(5);
    expect(median([])).toBeUndefined();
    expect(range([3, 1, 2])).toEqual({ min: 1, max: 3 });
    expect(ratio(10, 4)).toBe(2.5);
    expect(ratio(10, 0)).toBeUndefined();
    expect(ratio(undefined, 4)).toBeUndefined();
  });

  it('finds where two answers first differ, whatever the order of their keys', () => {
    const ours = { goals: [{ id: '1', areas: [{ id: '1.1' }] }], total: 3 };
    expect(firstDifference({ total: 3, goals: [{ areas: [{ id: '1.1' }], id: '1' }] }, ours)).toBeUndefined();
    expect(firstDifference({ goals: [{ id: '1', areas: [{ id: '1.2' }] }], total: 3 }, ours)).toBe(
      'data.goals[0].areas[0].id: "1.2" ≠ "1.1"',
    );
    expect(firstDifference({ goals: [], total: 3 }, ours)).toBe('data.goals: 0 items ≠ 1 items');
    expect(firstDifference({ goals: ours.goals }, ours)).toBe('data.total: missing ≠ 3');
    expect(firstDifference({ series: null }, { series: [] })).toBe('data.series: null ≠ []');
  });
});

describe('/proc', () => {
  it('reads pid, parent and CPU ticks from a stat line, even when the name holds spaces and parentheses', () => {
    const line =
      '4242 (node (worker) 1) S 4200 4242 4200 0 -1 4194560 27316 0 0 0 1234 567 0 0 20 0 11 0 3571 1189208064 41237';
    expect(parseProcessStat(line)).toEqual({ pid: 4242, comm: 'node (worker) 1', ppid: 4200, utime: 1234, stime: 567 });
    expect(() => parseProcessStat('garbage')).toThrow('not a /proc/<pid>/stat line');
  });

  it('reads resident memory and its peak from status, in bytes', () => {
    const status = 'Name:\tnode\nVmPeak:\t 1234567 kB\nVmHWM:\t  300000 kB\nVmRSS:\t  250000 kB\nThreads:\t11\n';
    expect(parseProcessStatus(status)).toEqual({ rss: 250_000 * 1024, peakRss: 300_000 * 1024 });
    expect(parseProcessStatus('Name:\tkthreadd\n')).toEqual({ rss: 0, peakRss: 0 });
  });

  it('finds a process and all its descendants, and the CPU they used between two readings', () => {
    const processes = [
      { pid: 1, ppid: 0 },
      { pid: 10, ppid: 1 },
      { pid: 11, ppid: 10 },
      { pid: 12, ppid: 10 },
      { pid: 13, ppid: 12 },
      { pid: 20, ppid: 1 },
    ];
    expect(processTree(10, processes).sort()).toEqual([10, 11, 12, 13]);
    expect(processTree(20, processes)).toEqual([20]);
    // 11 used 5 ticks; 12 is new since the first reading (from zero); 13 was gone by the second.
    expect(
      cpuTicksBetween(
        new Map([
          [11, 100],
          [13, 50],
        ]),
        new Map([
          [11, 105],
          [12, 7],
        ]),
      ),
    ).toBe(12);
  });
});

describe('the supergraph every gateway is given', () => {
  const sdl = `enum join__Graph {
  BORDER_TRADE @join__graph(name: "border-trade", url: "http://127.0.0.1:4003/graphql")
  FRAMEWORK @join__graph(name: "framework", url: "http://127.0.0.1:4001/graphql")
}`;

  it("gives each subgraph this run's URL", () => {
    const urls = new Map([
      ['framework', 'http://127.0.0.1:40101/graphql'],
      ['border-trade', 'http://127.0.0.1:40103/graphql'],
    ]);
    expect(withSubgraphUrls(sdl, urls)).toBe(`enum join__Graph {
  BORDER_TRADE @join__graph(name: "border-trade", url: "http://127.0.0.1:40103/graphql")
  FRAMEWORK @join__graph(name: "framework", url: "http://127.0.0.1:40101/graphql")
}`);
  });

  it('refuses a subgraph the run did not start, and one the supergraph lacks', () => {
    expect(() => withSubgraphUrls(sdl, new Map([['framework', 'http://x/graphql']]))).toThrow(
      'the supergraph has subgraph border-trade, which this run did not start',
    );
    const extra = new Map([
      ['framework', 'http://x/graphql'],
      ['border-trade', 'http://y/graphql'],
      ['audit', 'http://z/graphql'],
    ]);
    expect(() => withSubgraphUrls(sdl, extra)).toThrow('the supergraph has no subgraph audit');
  });
});

describe("a run's summary", () => {
  it('counts as answers only 2xx without GraphQL errors, and every kind of error', () => {
    const statuses = [...Array<number>(1010).fill(200), ...Array<number>(40).fill(503)];
    const latenciesMs = statuses.map((_s, i) => i + 0.25);
    const summary = summarizeWindow({
      seconds: 10,
      statuses,
      latenciesMs,
      bytes: 2_100_000,
      graphqlErrors: 10,
      socketErrors: 3,
      timeouts: 2,
      errorSample: '{"errors":[]}',
    });
    expect(summary).toEqual({
      seconds: 10,
      responses: 1050,
      ok: 1000,
      non2xx: 40,
      graphqlErrors: 10,
      socketErrors: 3,
      timeouts: 2,
      rps: 100,
      p50Ms: 524.3,
      p99Ms: 1039.3,
      maxMs: 1049.3,
      bytesPerResponse: 2000,
      errorSample: '{"errors":[]}',
    });
    expect(errorCount(summary)).toBe(55);
  });

  it('takes percentiles by nearest rank', () => {
    const hundred = Array.from({ length: 100 }, (_v, i) => i + 1);
    expect([percentile(hundred, 50), percentile(hundred, 99), percentile(hundred, 100)]).toEqual([50, 99, 100]);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeUndefined();
  });

  it("divides a run's CPU by its answers, and gives NaN when nothing was answered", () => {
    const used = {
      gatewayCpuMs: 5000,
      subgraphCpuMs: { framework: 1000 },
      databaseCpuMs: { framework: 250 },
      loadGeneratorCpuMs: 800,
      gatewayMemory: { peakTotal: 1, peakProcess: 1, processes: 1 },
    };
    expect(perAnswer(used, 1000)).toEqual({
      ...used,
      gatewayCpuMs: 5,
      subgraphCpuMs: { framework: 1 },
      databaseCpuMs: { framework: 0.25 },
      loadGeneratorCpuMs: 0.8,
    });
    expect(perAnswer(used, 0).gatewayCpuMs).toBeNaN();
  });
});

describe('the report', () => {
  const load = (rps: number, p99Ms = 100): LoadSummary => ({
    seconds: 10,
    responses: rps * 10,
    ok: rps * 10,
    non2xx: 0,
    graphqlErrors: rps === 300 ? 2 : 0,
    socketErrors: 0,
    timeouts: 0,
    rps,
    p50Ms: 20,
    p99Ms,
    maxMs: 400,
    bytesPerResponse: 1000,
  });
  const run = (round: number, rps: number, extra: Partial<Measurement> = {}): Measurement => ({
    round,
    load: load(rps),
    gatewayCpuMs: 1 + round,
    subgraphCpuMs: { framework: round, firearms: 2 * round },
    loadGeneratorCpuMs: 0.1,
    gatewayMemory: { peakTotal: 200 * 2 ** 20 * round, peakProcess: 150 * 2 ** 20, processes: 2 },
    ...extra,
  });
  const cells: Cell[] = [
    { gateway: 'hive', workload: 'dashboard', measurements: [run(1, 250)] },
    { gateway: 'ours', workload: 'dashboard', measurements: [run(1, 900), run(2, 1000), run(3, 300)] },
    { gateway: 'apollo', workload: 'dashboard', measurements: [run(1, 400), run(2, 380)] },
    { gateway: 'ours', workload: 'dashboard-cached', measurements: [run(1, 9000)] },
    {
      gateway: 'hive',
      workload: 'seizures',
      notTimed: 'answers other data than ours (data.x: 1 ≠ 2)',
      measurements: [],
    },
  ];
  const titles = Object.fromEntries(Object.values(WORKLOAD_DEFINITIONS).map((w) => [w.name, w.title])) as Record<
    keyof typeof WORKLOAD_DEFINITIONS,
    string
  >;

  it('summarises rounds by their median, sums errors and keeps the peak memory', () => {
    expect(summarizeCell(cells[1]!)).toMatchObject({
      rounds: 3,
      rps: 900,
      rpsRange: { min: 300, max: 1000 },
      errors: 2,
      gatewayCpuMs: 3,
      subgraphCpuMs: { framework: 2, firearms: 4 },
      subgraphCpuMsTotal: 6,
      gatewayPeakRss: 600 * 2 ** 20,
      gatewayProcesses: 2,
    });
    expect(summarizeCell(cells[4]!)).toBeUndefined();
  });

  it('ends with the Dashboard ratios, n/a where a side is missing', () => {
    expect(summaryLine(dashboardRates(cells))).toBe(
      'ratio_vs_apollo_gateway=2.31 ratio_vs_hive_gateway=3.60 cache_speedup=10.00',
    );
    expect(summaryLine(dashboardRates(cells.filter((c) => c.gateway !== 'hive')))).toBe(
      'ratio_vs_apollo_gateway=2.31 ratio_vs_hive_gateway=n/a cache_speedup=10.00',
    );
  });

  it('prints one row per workload and gateway, in order, with a numbered note for what was not timed', () => {
    const text = formatText(resultsTable(cells, titles)).split('\n');
    expect(text[0]).toMatch(/^workload\s+gateway\s+rps\s+p50 ms\s+p99 ms\s+errors/);
    expect(text.slice(2).map((line) => line.split(/\s{2,}/).slice(0, 3))).toEqual([
      ['Dashboard', 'ours', '900'],
      ['Dashboard', '@apollo/gateway', '390'],
      ['Dashboard', 'Hive Gateway', '250'],
      ['Seizure page', 'Hive Gateway', '—'],
      ['Dashboard (cached)', 'ours', '9,000'],
      ['[1] Seizure page, Hive Gateway: answers other data than ours (data.x: 1 ≠ 2)'],
    ]);
    expect(text[2]).toMatch(/\s600 \(2; largest 150\)$/);
    expect(text[5]).toMatch(/— \[1\]$/);
  });

  it('writes the same rows as Markdown, numbers aligned right, and the subgraphs with their databases', () => {
    const markdown = formatMarkdown(resultsTable(cells, titles)).split('\n');
    expect(markdown[1]).toBe('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    expect(markdown[2]).toBe('| Dashboard | ours | 900 | 20.0 | 100 | 2 | 3.00 | 6.00 | — | 600 (2; largest 150) |');
    expect(markdown.at(-1)).toBe('1. Seizure page, Hive Gateway: answers other data than ours (data.x: 1 ≠ 2)');
    const withDatabase: Cell = {
      gateway: 'ours',
      workload: 'objective',
      measurements: [run(1, 100, { databaseCpuMs: { framework: 0.5, firearms: 0.25 } })],
    };
    expect(formatMarkdown(subgraphTable([withDatabase], titles, ['framework', 'firearms'])).split('\n')[2]).toBe(
      '| Objective | ours | 1.00 +0.50 | 2.00 +0.25 |',
    );
  });
});
