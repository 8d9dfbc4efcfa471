import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { readSubgraphEnv, startSubgraph, type RunningSubgraph } from '@bicentennial/subgraph-kit';
import { silentLogger } from '@bicentennial/service';
import { REPO_ROOT } from '@bicentennial/tools/stack';
import { seedDir } from '@bicentennial/seeds';
import * as borderTrade from '@bicentennial/subgraph-border-trade';
import { drugSeizureFile } from '../bench/run';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Holds the subgraph's n-th write batch of an ingest (`dryRun: false`) when it arrives, before it
 * runs, until released: the test acts at an exact point of a run instead of racing it.
 */
function writeBatchGate() {
  type Hold = { at: number; seen: number; arrived: () => void; release: Promise<void>; done: () => void };
  let armed: Hold | undefined;
  const plugin: ApolloServerPlugin<BaseContext> = {
    requestDidStart: () => {
      let held: Hold | undefined;
      return Promise.resolve({
        // The operation's name is known once the document is parsed (the CLI sends none apart).
        didResolveOperation: async ({ operationName, request }) => {
          if (!armed || operationName !== 'Ingest' || request.variables?.['dryRun'] !== false) return;
          armed.seen += 1;
          if (armed.seen !== armed.at) return;
          held = armed;
          held.arrived();
          await held.release;
        },
        willSendResponse: () => Promise.resolve(held?.done()),
      });
    },
  };
  return {
    plugin,
    /** Holds write batch `at` (1-based); `arrived` when it is at the subgraph, `done` once answered. */
    holdAt(at: number) {
      let arrived!: () => void;
      let release!: () => void;
      let done!: () => void;
      const reached = new Promise<void>((resolve) => (arrived = resolve));
      const answered = new Promise<void>((resolve) => (done = resolve));
      armed = { at, seen: 0, arrived, done, release: new Promise<void>((resolve) => (release = resolve)) };
      return {
        arrived: reached,
        answered,
        release: () => {
          armed = undefined;
          release();
        },
      };
    },
  };
}

/** `promise`, or an error naming `what` after `ms` (a missed point fails the test instead of hanging it). */
async function within<T>(promise: Promise<T>, what: string, ms = 60_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs `npm run ingest` (its script, as a child process) against the subgraph. */
function ingest(
  url: string,
  args: string[],
  /** Called once the process runs, with a way to kill it as a machine dies (SIGKILL). */
  onStart?: (kill: () => void) => void,
  nodeOptions: string[] = [],
): Promise<Run> {
  const child = spawn(
    process.execPath,
    [
      ...nodeOptions,
      '--conditions=@bicentennial/source',
      '--import',
      'tsx',
      join(REPO_ROOT, 'schema/tools/src/ingest/cli.ts'),
      '--subgraph',
      'border-trade',
      '--url',
      url,
      ...args,
    ],
    {
      cwd: REPO_ROOT,
      env: { PATH: process.env['PATH'] ?? '' },
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  onStart?.(() => child.kill('SIGKILL'));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('npm run ingest', () => {
  let scratch: string;
  let subgraph: RunningSubgraph<ReturnType<typeof borderTrade.createPrisma>>;
  const examples = join(seedDir('border-trade'), 'examples');
  const gate = writeBatchGate();
  const count = (prefix: string) => subgraph.prisma.drugSeizure.count({ where: { recordId: { startsWith: prefix } } });

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'bicentennial-ingest-'));
    subgraph = await startSubgraph(
      {
        name: 'border-trade',
        env: readSubgraphEnv({ port: 0, pgliteDir: join(scratch, 'pglite') }, { LOG_LEVEL: 'silent' }),
        migrationsDir: borderTrade.MIGRATIONS_DIR,
        createPrisma: (adapter) => borderTrade.createPrisma(adapter),
        seed: (prisma, logger) => borderTrade.seed(prisma, logger),
        createServer: (logger) => {
          const server = borderTrade.createServer(logger);
          server.addPlugin(gate.plugin);
          return server;
        },
        createContext: (prisma, caller) => borderTrade.createContext(prisma, caller),
      },
      silentLogger,
    );
  }, 120_000);
  afterAll(async () => {
    await subgraph?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  /** Removes what the example files add, so that a test loading them starts from none (in any order). */
  const forgetExamples = async () => {
    await subgraph.prisma.drugSeizure.deleteMany({ where: { recordId: { startsWith: 'EXAMPLE-DS-' } } });
    await subgraph.prisma.smugglingInterdiction.deleteMany({ where: { recordId: { startsWith: 'EXAMPLE-SI-' } } });
    await subgraph.prisma.observation.deleteMany({
      where: {
        indicatorId: '2.1.2/sw-border-fentanyl-seizures',
        period: '2025-01',
        sourceId: 'synthetic-border-trade',
      },
    });
  };

  it('loads the example files, recording who submitted them', async () => {
    await forgetExamples();
    for (const file of ['drug-seizures.csv', 'drug-seizures.json', 'smuggling-interdictions.csv', 'observations.csv']) {
      const run = await ingest(subgraph.url, ['--file', join(examples, file), '--submitted-by', 'cbp-ofo-batch']);
      expect([file, run.code, run.stdout]).toEqual([
        file,
        0,
        expect.stringMatching(/0 with problems; \d+ written, 0 already present/),
      ]);
    }
    expect(await count('EXAMPLE-DS-')).toBe(7);
    expect(
      await subgraph.prisma.drugSeizure.count({
        where: { recordId: { startsWith: 'EXAMPLE-DS-' }, recordedBy: 'cbp-ofo-batch' },
      }),
    ).toBe(7);
    expect(
      await subgraph.prisma.smugglingInterdiction.count({ where: { recordId: { startsWith: 'EXAMPLE-SI-' } } }),
    ).toBe(2);
  });

  it('adds nothing when the same file runs again', async () => {
    await forgetExamples();
    const file = join(examples, 'drug-seizures.csv');
    expect((await ingest(subgraph.url, ['--file', file])).stdout).toMatch(/5 rows, 0 with problems; 5 written/);
    const run = await ingest(subgraph.url, ['--file', file]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/drug-seizures: 5 rows, 0 with problems; 0 written, 5 already present/);
    expect(await count('EXAMPLE-DS-')).toBe(5);
  });

  it('reports every bad row with its line, column and reason, and then writes nothing', async () => {
    const path = join(scratch, 'drug-seizures.bad.csv');
    writeFileSync(
      path,
      [
        'recordId,location,portCode,state,seizedOn,drug,quantity,unit,mode,sourceId',
        'BAD-1,AT_PORT,2504,US-CA,2025-01-14,FENTANYL,8.2,POUNDS,PASSENGER_VEHICLE,synthetic-border-trade',
        'BAD-2,AT_PORT,9999,US-CA,2025-01-14,FENTANYL,8.2,POUNDS,PASSENGER_VEHICLE,synthetic-border-trade',
        'BAD-3,AT_PORT,2504,US-CA,2025-13-14,FENTANYL,1,POUNDS,PASSENGER_VEHICLE,synthetic-border-trade',
        'BAD-4,AT_PORT,2504,US-CA,2025-01-14,FENTANYL,1,OUNCES,PASSENGER_VEHICLE,synthetic-border-trade',
        'BAD-5,AT_PORT,2504,US-CA,2025-01-14,FENTANYL,-4,POUNDS,PASSENGER_VEHICLE,synthetic-border-trade',
        'BAD-1,AT_PORT,2504,US-CA,2025-01-14,FENTANYL,8.2,POUNDS,PASSENGER_VEHICLE,synthetic-border-trade',
        'BAD-7,AT_PORT,2504,US-CA,2025-01-14,FENTANYL,1,POUNDS,PASSENGER_VEHICLE,nobody',
        '',
      ].join('\n'),
    );
    const run = await ingest(subgraph.url, ['--file', path]);
    expect(run.code).toBe(1);
    const problems = run.stderr
      .split('\n')
      .filter((l) => /^line \d+/.test(l))
      .sort();
    expect(problems).toEqual(
      [
        'line 3, column portCode: port of entry 9999 does not exist',
        'line 4, column seizedOn: must be a date YYYY-MM-DD (got "2025-13-14")',
        'line 5, column unit: must be one of KILOGRAMS, POUNDS, GRAMS, DOSAGE_UNITS (got "OUNCES")',
        'line 6, column quantity: must be more than 0',
        'line 7: the same record (BAD-1) is already in the file at line 2',
        'line 8, column sourceId: source nobody does not exist; register it first',
      ].sort(),
    );
    expect(run.stdout).toMatch(/drug-seizures: 7 rows, 6 with problems; nothing written/);
    expect(await count('BAD-')).toBe(0);
  });

  it('ends with exactly the rows of the file when a run killed half-way is run again', async () => {
    const path = join(scratch, 'drug-seizures.kill.csv');
    await drugSeizureFile(path, 'KILL', 8000);
    // 40 write batches of 200: the run dies while its 6th is at the subgraph, the way a machine
    // dies in the middle of a run. The subgraph goes on with that batch and commits it (nobody
    // waits for the answer): the rerun must count it as already present, not write it twice.
    const batch6 = gate.holdAt(6);
    let kill!: () => void;
    const run = ingest(subgraph.url, ['--file', path, '--batch-size', '200'], (killChild) => {
      kill = killChild;
    });
    try {
      await within(batch6.arrived, 'the 6th write batch');
      kill();
      const killed = await within(run, 'the killed run to end');
      expect(killed.code).toBeNull();
    } finally {
      batch6.release();
    }
    await within(batch6.answered, 'the subgraph to answer the 6th batch');
    expect(await count('KILL-')).toBe(6 * 200);

    const rerun = await ingest(subgraph.url, ['--file', path, '--batch-size', '200']);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toMatch(/8000 rows, 0 with problems; 6800 written, 1200 already present/);
    expect(await count('KILL-')).toBe(8000);
  }, 240_000);

  it('streams a 100,000-row file in bounded memory', async () => {
    const path = join(scratch, 'drug-seizures.100k.csv');
    await drugSeizureFile(path, 'BULK', 100_000);
    // A 32 MB JavaScript heap, about twice what a streaming run keeps live (~15 MB after each full
    // GC): a run that held the file's rows in memory dies here (checked by making it keep them).
    // Resident memory is not asserted: it moves with the machine's load; `npm run bench:ingest`
    // measures it against a baseline.
    const run = await ingest(subgraph.url, ['--file', path, '--batch-size', '1000'], undefined, [
      '--max-old-space-size=32',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/100000 rows, 0 with problems; 100000 written, 0 already present;.*peak RSS \d+ MiB/);
    expect(await count('BULK-')).toBe(100_000);
  }, 600_000);
});
