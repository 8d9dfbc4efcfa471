import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@bicentennial/service';
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
