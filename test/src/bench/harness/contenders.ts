import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { REPO_ROOT } from '@bicentennial/tools/stack';
import type { GatewayName } from './options';
import type { CallerKind } from './workloads';

/** One way of running a gateway: ours with its cache off or on, a peer with public or verified tokens. */
export interface GatewayLaunch {
  gateway: GatewayName;
  /** What distinguishes this launch from the gateway's others (`cache off`, `public caller` …). */
  variant: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** The path its GraphQL endpoint is served at. */
  path: string;
}

export interface RunningGateway {
  launch: GatewayLaunch;
  url: string;
  pid: number;
  /** Its last lines of output, for a failure's message. */
  recentLines(): string[];
  /** SIGTERM, then SIGKILL after `timeoutMs`; resolves with the exit code. */
  stop(timeoutMs?: number): Promise<number | null>;
}

/** A loopback port free now: every gateway of the bench listens on it in turn. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Whether `url` answers `{ __typename }` with data: the one readiness check all three gateways share. */
async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
      signal: AbortSignal.timeout(2_000),
    });
    if (!response.ok) return false;
    const body = (await response.json()) as { data?: { __typename?: string } };
    return body.data?.__typename === 'Query';
  } catch {
    return false;
  }
}

/** Starts a gateway on `port` and resolves once it answers GraphQL (or rejects with its last output). */
export async function launchGateway(launch: GatewayLaunch, port: number, timeoutMs = 120_000): Promise<RunningGateway> {
  const child: ChildProcess = spawn(launch.command, launch.args, {
    cwd: launch.cwd,
    env: launch.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const recent: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream! }).on('line', (line) => {
      recent.push(line);
      if (recent.length > 40) recent.shift();
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  const url = `http://127.0.0.1:${port}${launch.path}`;
  const stop = async (stopTimeoutMs = 20_000) => {
    if (exitCode !== undefined) return exitCode;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };
  const deadline = Date.now() + timeoutMs;
  while (!(await answers(url))) {
    if (exitCode !== undefined || Date.now() > deadline) {
      const why =
        exitCode !== undefined ? `exited with code ${exitCode}` : `did not answer within ${timeoutMs / 1000} s`;
      await stop();
      throw new Error(`${launch.gateway} (${launch.variant}) ${why}:\n${recent.join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { launch, url, pid: child.pid!, recentLines: () => [...recent], stop };
}

/** Only what a gateway process needs of the bench's environment: no NODE_OPTIONS, no tsx, no source condition. */
function baseEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env['PATH'] ?? '', NODE_ENV: 'production' };
}

export interface OursSettings {
  supergraphPath: string;
  issuerJwksPath: string;
  issuer: string;
  audience: string;
  internalSigningKeyPath: string;
  auditSpoolDir: string;
}

/**
 * Our gateway as its image runs it (schema/docker/Dockerfile): `node --enable-source-maps
 * gateway/dist/index.js` with NODE_ENV=production and PROFILE=production, configured keys, the
 * rate limit off (RATE_LIMIT_CAPACITY=0: 50 connections from one address would be throttled),
 * and the response cache off unless `cached`. GATEWAY_WORKERS is passed on when the bench has it.
 */
export function oursLaunch(settings: OursSettings, port: number, cached: boolean): GatewayLaunch {
  const workers = process.env['GATEWAY_WORKERS'];
  return {
    gateway: 'ours',
    variant: cached ? 'response cache on' : 'RESPONSE_CACHE=off',
    command: process.execPath,
    args: ['--enable-source-maps', join('gateway', 'dist', 'index.js')],
    cwd: REPO_ROOT,
    env: {
      ...baseEnv(),
      PROFILE: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      SUPERGRAPH_PATH: settings.supergraphPath,
      AUTH_JWKS_PATH: settings.issuerJwksPath,
      AUTH_ISSUER: settings.issuer,
      AUTH_AUDIENCE: settings.audience,
      INTERNAL_SIGNING_KEY_PATH: settings.internalSigningKeyPath,
      RATE_LIMIT_CAPACITY: '0',
      AUDIT_SPOOL_DIR: join(settings.auditSpoolDir, cached ? 'cached' : 'uncached'),
      ...(cached ? {} : { RESPONSE_CACHE: 'off' }),
      ...(workers ? { GATEWAY_WORKERS: workers } : {}),
    },
    path: '/graphql',
  };
}

/** Internal tokens for each subgraph (`Bearer` values), by subgraph name. */
export type SubgraphTokens = Record<string, string>;

/**
 * The plain @apollo/gateway server (peers/apollo-gateway.ts, compiled to JavaScript so that it
 * runs on plain `node` as ours does), over the supergraph as `forApolloGateway` gives it, with
 * `tokens` for the subgraphs.
 */
export function apolloLaunch(
  peerScript: string,
  supergraphPath: string,
  tokensDir: string,
  caller: CallerKind,
  tokens: SubgraphTokens,
  port: number,
): GatewayLaunch {
  const tokensPath = join(tokensDir, `apollo-${caller}.tokens.json`);
  writeFileSync(tokensPath, JSON.stringify(tokens), { mode: 0o600 });
  return {
    gateway: 'apollo',
    variant: `${caller} caller's internal tokens`,
    command: process.execPath,
    args: [peerScript, supergraphPath, tokensPath, String(port)],
    cwd: REPO_ROOT,
    env: { ...baseEnv(), APOLLO_TELEMETRY_DISABLED: 'true' },
    path: '/',
  };
}

/** The `hive-gateway` command of @graphql-hive/gateway (its package's `bin`). */
function hiveBin(): string {
  const manifestPath = require.resolve('@graphql-hive/gateway/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin: Record<string, string> };
  return join(dirname(manifestPath), manifest.bin['hive-gateway']!);
}

/**
 * Hive Gateway's CLI, `hive-gateway supergraph <file>`, with its defaults, plus a config file
 * whose only setting is the internal token each subgraph needs (a header of its transport entry).
 */
export function hiveLaunch(
  supergraphPath: string,
  configDir: string,
  caller: CallerKind,
  tokens: SubgraphTokens,
  port: number,
): GatewayLaunch {
  const dir = join(configDir, `hive-${caller}`);
  mkdirSync(dir, { recursive: true });
  const transportEntries = Object.fromEntries(
    Object.entries(tokens).map(([name, token]) => [name, { headers: [['authorization', `Bearer ${token}`]] }]),
  );
  const configPath = join(dir, 'gateway.config.mjs');
  writeFileSync(configPath, `export const gatewayConfig = ${JSON.stringify({ transportEntries }, null, 2)};\n`, {
    mode: 0o600,
  });
  return {
    gateway: 'hive',
    variant: `${caller} caller's internal tokens`,
    command: process.execPath,
    args: [
      hiveBin(),
      'supergraph',
      supergraphPath,
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
      '--config-path',
      configPath,
    ],
    cwd: dir,
    env: baseEnv(),
    path: '/graphql',
  };
}
