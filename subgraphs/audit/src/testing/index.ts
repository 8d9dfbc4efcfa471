import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isReadyMessage, silentLogger } from '@bicentennial/service';
import { startSubgraph, type RunningSubgraph } from '@bicentennial/subgraph-kit';
import { readEnv } from '../env';
import type { PrismaClient } from '../generated/prisma/client';
import { AUDIT_INGEST_PATH } from '../ingest';
import { auditProgram } from '../server';

export interface TestAuditSubgraph {
  /** `http://127.0.0.1:<port>`: what the gateway's audit trail is given. */
  baseUrl: string;
  /** `…/graphql`. */
  graphqlUrl: string;
  /** `…/internal/audit-events`. */
  ingestUrl: string;
  port: number;
  running: RunningSubgraph<PrismaClient>;
  /** Rows in "AuditEvent". */
  count(): Promise<number>;
  /** Stops the server and closes the database (the data stays, for a restart on the same `dataDir`). */
  stop(): Promise<void>;
}

export interface TestAuditOptions {
  /** The gateway's public JWKS file (GATEWAY_JWKS_PATH). */
  jwksPath: string;
  /** A PostgreSQL database (DATABASE_URL); the embedded one in `dataDir` (or a scratch folder) otherwise. */
  databaseUrl?: string;
  dataDir?: string;
  /** 0 (default): any free port. */
  port?: number;
}

/**
 * The real audit subgraph on HTTP, started by the shared runtime exactly as `npm start` does
 * (migrations, seed bookkeeping, the ingest route), on loopback, for tests.
 */
export async function startTestAuditSubgraph(options: TestAuditOptions): Promise<TestAuditSubgraph> {
  const scratch =
    options.dataDir || options.databaseUrl ? undefined : mkdtempSync(join(tmpdir(), 'bicentennial-audit-'));
  const env = readEnv({
    PORT: String(options.port ?? 0),
    LOG_LEVEL: 'silent',
    GATEWAY_JWKS_PATH: options.jwksPath,
    PROFILE: 'development',
    ...(options.databaseUrl
      ? { DATABASE_URL: options.databaseUrl }
      : { PGLITE_DIR: options.dataDir ?? join(scratch ?? '', 'pglite') }),
  });
  let running: RunningSubgraph<PrismaClient>;
  try {
    running = await startSubgraph(auditProgram(env), silentLogger);
  } catch (error) {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
    throw error;
  }
  const graphqlUrl = running.url;
  const url = new URL(graphqlUrl);
  return {
    baseUrl: url.origin,
    graphqlUrl,
    ingestUrl: new URL(AUDIT_INGEST_PATH, url).toString(),
    port: Number(url.port),
    running,
    count: () => running.prisma.auditEvent.count(),
    stop: async () => {
      try {
        await running.stop();
      } finally {
        if (scratch) rmSync(scratch, { recursive: true, force: true });
      }
    },
  };
}

export interface SpawnedAuditSubgraph {
  baseUrl: string;
  pid: number | undefined;
  /** SIGTERM (the subgraph drains, then exits), then SIGKILL after 15 s. */
  stop(): Promise<void>;
}

/**
 * The real audit subgraph in a process of its own (its entry point, src/index.ts, as `npm start`
 * runs it), on an embedded database in a scratch folder: for measurements that must not count
 * the subgraph's own work in the caller's process.
 */
export async function spawnTestAuditSubgraph(options: { jwksPath: string }): Promise<SpawnedAuditSubgraph> {
  const scratch = mkdtempSync(join(tmpdir(), 'bicentennial-audit-process-'));
  const child = spawn(
    process.execPath,
    ['--conditions=@bicentennial/source', '--import', 'tsx', join(__dirname, '..', 'index.ts')],
    {
      env: {
        ...process.env,
        PORT: '0',
        PROFILE: 'development',
        LOG_LEVEL: 'warn',
        GATEWAY_JWKS_PATH: options.jwksPath,
        PGLITE_DIR: join(scratch, 'pglite'),
        DATABASE_URL: '',
      },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = `${stderr}${chunk.toString()}`.slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const cleanUp = () => rmSync(scratch, { recursive: true, force: true });
  let url: string;
  try {
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the audit subgraph did not start:\n${stderr}`)), 120_000);
      child.on('message', (message) => {
        if (isReadyMessage(message)) {
          clearTimeout(timer);
          resolve(message.url);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the audit subgraph exited (${code}) before it was ready:\n${stderr}`));
      });
    });
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    cleanUp();
    throw error;
  }
  return {
    baseUrl: new URL(url).origin,
    pid: child.pid,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      cleanUp();
    },
  };
}
