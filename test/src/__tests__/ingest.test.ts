import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { readEnv as readGatewayEnv, startGateway, type RunningGateway } from '@bicentennial/gateway';
import { envName, readSupergraphConfig, Scope } from '@bicentennial/schema';
import { readSubgraphEnv, startSubgraph, type RunningSubgraph } from '@bicentennial/subgraph-kit';
import { ensureDevelopmentKeys, mintToken, silentLogger, type MintOptions } from '@bicentennial/service';
import { createTestKeys, type TestKeys } from '@bicentennial/testing';
import { REPO_ROOT } from '@bicentennial/tools/stack';
import { seedDir } from '@bicentennial/seeds';
import * as borderTrade from '@bicentennial/subgraph-border-trade';
import { drugSeizureFile } from '../bench/run';

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
        // The operation's name is known once the document is parsed. The gateway names its fetch
        // after the client's operation (`Ingest__border_trade__0`) and passes the variables it uses.
        didResolveOperation: async ({ operationName, request }) => {
          if (!armed || !operationName?.startsWith('Ingest') || request.variables?.['dryRun'] !== false) return;
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

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface RunOptions {
  /** The gateway URL passed as `--url` (none: the CLI's own default, from `env`). */
  url?: string | undefined;
  /** Passed as `--token` (none: BICENTENNIAL_TOKEN from `env`, or no token). */
  token?: string | undefined;
  /** The child's environment besides PATH. */
  env?: Record<string, string>;
  /** Called once the process runs, with a way to kill it as a machine dies (SIGKILL). */
  onStart?: (kill: () => void) => void;
  nodeOptions?: string[];
}

/** Runs `npm run ingest` (its script, as a child process) for the border-trade subgraph. */
function ingest(args: string[], options: RunOptions): Promise<Run> {
  const child = spawn(
    process.execPath,
    [
      ...(options.nodeOptions ?? []),
      '--conditions=@bicentennial/source',
      '--import',
      'tsx',
      join(REPO_ROOT, 'schema/tools/src/ingest/cli.ts'),
      '--subgraph',
      'border-trade',
      ...(options.url ? ['--url', options.url] : []),
      ...(options.token ? ['--token', options.token] : []),
      ...args,
    ],
    { cwd: REPO_ROOT, env: { PATH: process.env['PATH'] ?? '', ...options.env } },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  options.onStart?.(() => child.kill('SIGKILL'));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** A loopback port nothing listens on (bound, then closed): where the subgraphs not started "are". */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** SUBGRAPH_URL_<NAME> for every subgraph of the supergraph: `running` where given, a closed port elsewhere. */
function subgraphUrls(closed: number, running: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    readSupergraphConfig().map((s) => [
      `SUBGRAPH_URL_${envName(s.name)}`,
      running[s.name] ?? `http://127.0.0.1:${closed}/graphql`,
    ]),
  );
}

const BORDER_TRADE_WRITER: MintOptions = {
  subject: 'cbp-ofo-batch',
  agency: 'CBP',
  country: 'US',
  scopes: [Scope.BORDER_TRADE_WRITE],
};

/**
 * `npm run ingest` as agencies run it: through the real gateway (with its development keys in a
 * scratch folder) to the real border-trade subgraph (trusting the same keys), with a caller token.
 * The other subgraphs of the supergraph are not started: their URLs are a closed port.
 */
describe('npm run ingest', () => {
  let scratch: string;
  let subgraph: RunningSubgraph<ReturnType<typeof borderTrade.createPrisma>>;
  let gateway: RunningGateway;
  let closed: number;
  let keysDir: string;
  /** A caller token signed with the scratch development issuer key. */
  let token: (options: MintOptions) => Promise<string>;
  let writer: string;
  const examples = join(seedDir('border-trade'), 'examples');
  const gate = writeBatchGate();
  const count = (prefix: string) => subgraph.prisma.drugSeizure.count({ where: { recordId: { startsWith: prefix } } });
  /** Runs the ingest through the gateway, as the border-trade writer unless `options` says otherwise. */
  const run = (args: string[], options: RunOptions = {}) =>
    ingest(args, { url: gateway.url, token: writer, ...options });

  /** Gateway settings for this test: the scratch keys, no status polling, the border-trade subgraph. */
  const gatewayEnv = (overrides: Record<string, string>) => ({
    PORT: '0',
    SUPERGRAPH_WATCH: 'false',
    STATUS_POLL_INTERVAL_MS: '600000',
    DEV_KEYS_DIR: keysDir,
    AUDIT_SPOOL_DIR: join(scratch, 'audit-spool'),
    ...subgraphUrls(closed, { 'border-trade': subgraph.url }),
    ...overrides,
  });

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'bicentennial-ingest-'));
    keysDir = join(scratch, 'keys');
    const keys = await ensureDevelopmentKeys(keysDir);
    token = (options) => mintToken(keys.issuer.privateJwk, options);
    writer = await token(BORDER_TRADE_WRITER);
    closed = await closedPort();
    subgraph = await startSubgraph(
      {
        name: 'border-trade',
        env: readSubgraphEnv(
          { port: 0, pgliteDir: join(scratch, 'pglite') },
          { LOG_LEVEL: 'silent', DEV_KEYS_DIR: keysDir },
        ),
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
    // Rate limiting off here (a test below turns it on in a gateway of its own).
    gateway = await startGateway(readGatewayEnv(gatewayEnv({ RATE_LIMIT_CAPACITY: '0' })), silentLogger);
  }, 120_000);
  afterAll(async () => {
    await gateway?.stop();
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

  /** A small valid drug-seizure file of `rows` rows whose ids start with `prefix`. */
  const smallFile = async (prefix: string, rows = 5) => {
    const path = join(scratch, `drug-seizures.${prefix.toLowerCase()}.csv`);
    await drugSeizureFile(path, prefix, rows);
    return path;
  };

  it("loads the example files, recording the token's caller (sub@agency) as the writer of every row", async () => {
    await forgetExamples();
    for (const file of ['drug-seizures.csv', 'drug-seizures.json', 'smuggling-interdictions.csv', 'observations.csv']) {
      const result = await run(['--file', join(examples, file)]);
      expect([file, result.code, result.stdout]).toEqual([
        file,
        0,
        expect.stringMatching(/0 with problems; \d+ written, 0 already present/),
      ]);
    }
    expect(await count('EXAMPLE-DS-')).toBe(7);
    const writers = await subgraph.prisma.drugSeizure.groupBy({
      by: ['recordedBy'],
      where: { recordId: { startsWith: 'EXAMPLE-DS-' } },
      _count: true,
    });
    expect(writers).toEqual([{ recordedBy: 'cbp-ofo-batch@CBP', _count: 7 }]);
    const interdictions = await subgraph.prisma.smugglingInterdiction.findMany({
      where: { recordId: { startsWith: 'EXAMPLE-SI-' } },
      select: { recordedBy: true },
    });
    expect(interdictions).toEqual([{ recordedBy: 'cbp-ofo-batch@CBP' }, { recordedBy: 'cbp-ofo-batch@CBP' }]);
  });

  it('adds nothing when the same file runs again (the gateway and token from GATEWAY_URL and BICENTENNIAL_TOKEN)', async () => {
    await forgetExamples();
    const file = join(examples, 'drug-seizures.csv');
    const fromEnvironment = {
      url: undefined,
      token: undefined,
      env: { GATEWAY_URL: gateway.url, BICENTENNIAL_TOKEN: writer },
    };
    expect((await run(['--file', file], fromEnvironment)).stdout).toMatch(/5 rows, 0 with problems; 5 written/);
    const again = await run(['--file', file]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/drug-seizures: 5 rows, 0 with problems; 0 written, 5 already present/);
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
    const result = await run(['--file', path]);
    expect(result.code).toBe(1);
    const problems = result.stderr
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
    expect(result.stdout).toMatch(/drug-seizures: 7 rows, 6 with problems; nothing written/);
    expect(await count('BAD-')).toBe(0);
  });

  it("describes only the border-trade subgraph's own import mutations, though the gateway has every subgraph's", async () => {
    const result = await run(['--describe'], { token: undefined });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const described = [...result.stdout.matchAll(/^(\S+) \(mutation (\w+), input (\w+)\):$/gm)].map((m) => m.slice(1));
    expect(described.sort()).toEqual(
      [
        ['border-trade-observations', 'importBorderTradeObservations', 'ObservationInput'],
        ['drug-seizures', 'importDrugSeizures', 'DrugSeizureInput'],
        ['smuggling-interdictions', 'importSmugglingInterdictions', 'SmugglingInterdictionInput'],
      ].sort(),
    );
  });

  it('refuses to run without a token, before sending anything', async () => {
    // A stand-in gateway that counts what reaches it: the ingest must not send even the schema query.
    let requests = 0;
    const listener: Server = createServer((_req, res) => {
      requests += 1;
      res.writeHead(500).end();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(listener.address() as AddressInfo).port}/graphql`;
      const path = await smallFile('NOTOKEN');
      for (const args of [
        ['--file', path],
        ['--file', path, '--dry-run'],
      ]) {
        const result = await run(args, { url, token: undefined, env: { BICENTENNIAL_TOKEN: '' } });
        expect(result.code).toBe(1);
        expect(result.stderr).toBe(
          'writes need a token with border-trade:write (--token, or BICENTENNIAL_TOKEN); mint one in development ' +
            'with npm run token -- --agency <AGENCY> --country <US|MX> --scope "border-trade:write"\n',
        );
      }
      expect(requests).toBe(0);
    } finally {
      await new Promise<void>((resolve) => listener.close(() => resolve()));
    }
    expect(await count('NOTOKEN-')).toBe(0);
  });

  it('refuses --submitted-by: the writer is the verified caller, not a name the client gives', async () => {
    const result = await run(['--file', join(examples, 'drug-seizures.csv'), '--submitted-by', 'someone-else']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^Unknown option '--submitted-by'/);
  });

  it("refuses a token with another subgraph's write scope (finance:write) and writes nothing", async () => {
    const finance = await token({ subject: 'uif-loader', agency: 'UIF', country: 'MX', scopes: [Scope.FINANCE_WRITE] });
    const path = await smallFile('SCOPE');
    const before = await subgraph.prisma.drugSeizure.count();
    for (const args of [
      ['--file', path],
      ['--file', path, '--dry-run'],
    ]) {
      const result = await run(args, { token: finance });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /^the token lacks the scope border-trade:write: the gateway refused importDrugSeizures \(UNAUTHORIZED_FIELD_OR_TYPE\) and nothing was written/,
      );
    }
    expect(await subgraph.prisma.drugSeizure.count()).toBe(before);
    expect(await count('SCOPE-')).toBe(0);
  });

  it('says an expired token is not valid (HTTP 401), and writes nothing', async () => {
    const expired = await token({ ...BORDER_TRADE_WRITER, ttlSeconds: -60 });
    const path = await smallFile('EXPIRED');
    const result = await run(['--file', path], { token: expired });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^the gateway refused the token \(HTTP 401 UNAUTHENTICATED\): it is not valid — expired, .*the gateway does not say which.*Its exp claim says it expired at \d{4}-/,
    );
    expect(await count('EXPIRED-')).toBe(0);
  });

  it('waits out the rate limit (HTTP 429, Retry-After) and finishes', async () => {
    // A gateway of its own whose per-caller bucket holds 2 requests and refills 2 per second: the
    // run needs 7 (the schema, 3 dry-run and 3 write batches of 2 rows).
    const limited = await startGateway(
      readGatewayEnv(gatewayEnv({ RATE_LIMIT_CAPACITY: '2', RATE_LIMIT_REFILL_PER_SECOND: '2' })),
      silentLogger,
    );
    try {
      const path = await smallFile('LIMITED');
      const result = await run(['--file', path, '--batch-size', '2'], { url: limited.url });
      expect(result.stdout).toMatch(/5 rows, 0 with problems; 5 written, 0 already present/);
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/^rate limited by the gateway: waiting 1 s \(1 of at most 10\)$/m);
      expect(await count('LIMITED-')).toBe(5);
    } finally {
      await limited.stop();
    }
  });

  describe('under the production profile', () => {
    let keys: TestKeys;
    let production: RunningGateway;

    beforeAll(async () => {
      keys = await createTestKeys();
      production = await startGateway(
        readGatewayEnv(
          gatewayEnv({
            PROFILE: 'production',
            AUTH_JWKS_PATH: keys.issuerJwksPath,
            AUTH_ISSUER: keys.issuer,
            AUTH_AUDIENCE: keys.audience,
            INTERNAL_SIGNING_KEY_PATH: keys.internalPrivatePath,
            RATE_LIMIT_CAPACITY: '0',
          }),
        ),
        silentLogger,
      );
    }, 60_000);
    afterAll(async () => {
      await production?.stop();
      keys?.remove();
    });

    it('says introspection needs a write scope or graph:analyze when the token has neither (FORBIDDEN)', async () => {
      const auditor = await keys.mint({ subject: 'oig-1', agency: 'OIG', country: 'US', scopes: [Scope.AUDITOR] });
      const result = await run(['--describe'], { url: production.url, token: auditor });
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        'the gateway refuses to describe its schema to this token (FORBIDDEN): under the production profile, ' +
          'introspection needs a token with a write scope (border-trade:write for this subgraph) or graph:analyze\n',
      );
      const analyst = await keys.mint({ subject: 'an-1', agency: 'DHS', country: 'US', scopes: [Scope.ANALYST] });
      const described = await run(['--describe'], { url: production.url, token: analyst });
      expect(described.code).toBe(0);
      expect(described.stdout).toMatch(/^drug-seizures \(mutation importDrugSeizures, input DrugSeizureInput\):$/m);
    });
  });

  it('ends with exactly the rows of the file when a run killed half-way is run again', async () => {
    const path = join(scratch, 'drug-seizures.kill.csv');
    await drugSeizureFile(path, 'KILL', 8000);
    // 40 write batches of 200: the run dies while its 6th is at the subgraph, the way a machine
    // dies in the middle of a run. The gateway and the subgraph go on with that batch and commit
    // it (nobody waits for the answer): the rerun must count it as already present, not write it twice.
    const batch6 = gate.holdAt(6);
    let kill!: () => void;
    const killedRun = run(['--file', path, '--batch-size', '200'], {
      onStart: (killChild) => {
        kill = killChild;
      },
    });
    try {
      await within(batch6.arrived, 'the 6th write batch');
      kill();
      const killed = await within(killedRun, 'the killed run to end');
      expect(killed.code).toBeNull();
    } finally {
      batch6.release();
    }
    await within(batch6.answered, 'the subgraph to answer the 6th batch');
    expect(await count('KILL-')).toBe(6 * 200);

    const rerun = await run(['--file', path, '--batch-size', '200']);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toMatch(/8000 rows, 0 with problems; 6800 written, 1200 already present/);
    expect(await count('KILL-')).toBe(8000);
  }, 240_000);

  it('streams a 100,000-row file in bounded memory', async () => {
    const path = join(scratch, 'drug-seizures.100k.csv');
    await drugSeizureFile(path, 'BULK', 100_000);
    // A 48 MB JavaScript heap: the CLI's modules take about 28 MB of it once loaded (graphql, yaml,
    // zod, the tsx loader), the streaming run keeps a few MB more live (its batch, the table of
    // keys); a run that held the file's 100,000 rows in memory (over 100 MB) dies here.
    // Resident memory is not asserted: it moves with the machine's load; `npm run bench:ingest`
    // measures it against a baseline.
    const result = await run(['--file', path, '--batch-size', '1000'], { nodeOptions: ['--max-old-space-size=48'] });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/100000 rows, 0 with problems; 100000 written, 0 already present;.*peak RSS \d+ MiB/);
    expect(await count('BULK-')).toBe(100_000);
  }, 600_000);
});
