import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readEnv as readGatewayEnv, startGateway } from '@bicentennial/gateway';
import { envName, readSupergraphConfig, Scope } from '@bicentennial/schema';
import { readSubgraphEnv, startSubgraph } from '@bicentennial/subgraph-kit';
import { ensureDevelopmentKeys, mintToken, silentLogger } from '@bicentennial/service';
import * as borderTrade from '@bicentennial/subgraph-border-trade';
import { drugSeizureFile, rowsPerSecond, runScript } from './run';

/** A loopback port nothing listens on: where the subgraphs the bench does not start "are". */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * `npm run bench:ingest [-- <rows>]`: `npm run ingest` of 10,000 drug seizures (the baseline) and of
 * `rows` (default 100,000; e.g. 1000000) through a running gateway (its default settings, rate
 * limit included) into a running border-trade subgraph (embedded database), with a
 * `border-trade:write` token, the way agencies run it. Development keys are generated in a scratch
 * folder. Prints rows per second and the ingest process's peak resident memory for each; the ratio
 * of peak memory shows whether memory stays flat as the file grows.
 */
async function main(): Promise<void> {
  const baseline = 10_000;
  const rowsArgument = process.argv[2] ?? '100000';
  const large = Number(rowsArgument.replace(/[_,]/g, ''));
  if (!Number.isInteger(large) || large <= baseline) {
    throw new Error(`rows must be a whole number above ${baseline.toLocaleString('en-US')} (got ${rowsArgument})`);
  }
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const scratch = mkdtempSync(join(tmpdir(), 'bicentennial-bench-'));
  const keysDir = join(scratch, 'keys');
  const keys = await ensureDevelopmentKeys(keysDir);
  const token = await mintToken(keys.issuer.privateJwk, {
    subject: 'bench-loader',
    agency: 'CBP',
    country: 'US',
    scopes: [Scope.BORDER_TRADE_WRITE],
  });
  const subgraph = await startSubgraph(
    {
      name: 'border-trade',
      env: readSubgraphEnv(
        { port: 0, pgliteDir: join(scratch, 'pglite') },
        { LOG_LEVEL: 'silent', DEV_KEYS_DIR: keysDir },
      ),
      migrationsDir: borderTrade.MIGRATIONS_DIR,
      createPrisma: (adapter) => borderTrade.createPrisma(adapter),
      seed: (prisma, logger) => borderTrade.seed(prisma, logger),
      createServer: (logger) => borderTrade.createServer(logger),
      createContext: (prisma, caller) => borderTrade.createContext(prisma, caller),
    },
    silentLogger,
  );
  const closed = await closedPort();
  const urls = Object.fromEntries(
    readSupergraphConfig().map((s) => [
      `SUBGRAPH_URL_${envName(s.name)}`,
      s.name === 'border-trade' ? subgraph.url : `http://127.0.0.1:${closed}/graphql`,
    ]),
  );
  const gateway = await startGateway(
    readGatewayEnv({
      PORT: '0',
      SUPERGRAPH_WATCH: 'false',
      STATUS_POLL_INTERVAL_MS: '600000',
      DEV_KEYS_DIR: keysDir,
      AUDIT_SPOOL_DIR: join(scratch, 'audit-spool'),
      ...urls,
    }),
    silentLogger,
  ).catch(async (error: unknown) => {
    await subgraph.stop();
    throw error;
  });
  try {
    const results: { rows: number; rate: number; peak: number }[] = [];
    for (const rows of [baseline, large]) {
      const file = join(scratch, `drug-seizures.${rows}.csv`);
      await drugSeizureFile(file, `BENCH${rows}`, rows);
      const run = await runScript('schema/tools/src/ingest/cli.ts', [
        '--subgraph',
        'border-trade',
        '--url',
        gateway.url,
        '--token',
        token,
        '--file',
        file,
        '--batch-size',
        '1000',
      ]);
      if (run.code !== 0) throw new Error(run.stderr);
      const peak = Number(/peak RSS (\d+) MiB/.exec(run.stdout)?.[1]);
      results.push({ rows, rate: rowsPerSecond(run.stdout), peak });
      out(`${rows.toLocaleString('en-US').padStart(9)} rows: ${run.stdout.trim()}`);
    }
    const [small, big] = results;
    out(
      `ratio ${large.toLocaleString('en-US')} / ${baseline.toLocaleString('en-US')} rows: ` +
        `peak memory ${(big!.peak / small!.peak).toFixed(2)}x, rows per second ${(big!.rate / small!.rate).toFixed(2)}x`,
    );
  } finally {
    await gateway.stop();
    await subgraph.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
