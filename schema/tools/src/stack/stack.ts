import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { DEFAULT_DEV_KEYS_DIR, ensureDevelopmentKeys } from '@bicentennial/service';
import { envName, readSupergraphConfig, SCHEMA_DIR, type SubgraphConfig } from '@bicentennial/schema';
import { isReadyMessage } from '@bicentennial/service';

export const REPO_ROOT = join(SCHEMA_DIR, '..');
export const GATEWAY_ENTRY = join(REPO_ROOT, 'gateway', 'src', 'index.ts');

export interface StackOptions {
  subgraphs?: SubgraphConfig[];
  /** `default`: the ports of supergraph.yaml (gateway 4000); `ephemeral`: free ports (tests). */
  ports: 'default' | 'ephemeral';
  /** The environment the runner was given; `<NAME>_*` variables configure one subgraph. */
  env?: NodeJS.ProcessEnv;
  /** Extra variables for one subgraph's process (tests: PGLITE_DIR, DATABASE_URL). */
  subgraphEnv?: (name: string) => Record<string, string>;
  gatewayEnv?: Record<string, string>;
  /**
   * Start the gateway once the subgraphs are up (the default); `false`: the subgraphs only, for a
   * caller that runs gateways of its own over them (`npm run bench`). `gatewayUrl` is then empty.
   */
  startGateway?: boolean;
  /** Every line a process writes (stdout and stderr). */
  onLine: (service: string, line: string) => void;
  startTimeoutMs?: number;
}

export interface Service {
  readonly name: string;
  readonly url: string;
  readonly pid: number | undefined;
  readonly running: boolean;
  /** SIGTERM (drain), then SIGKILL if it has not exited within `timeoutMs`. */
  stop(timeoutMs?: number): Promise<void>;
  /** Starts it again with the same settings and port. */
  restart(): Promise<void>;
}

export interface Stack {
  /** The development keys every process uses (`npm run token` mints with them). */
  devKeysDir: string;
  gatewayUrl: string;
  gateway: Service;
  subgraphs: Map<string, Service>;
  stop(): Promise<void>;
}

/** Variables no child inherits: each child gets its own (two subgraphs sharing PORT or DATABASE_URL would collide). */
const PER_PROCESS = ['PORT', 'DATABASE_URL', 'PGLITE_DIR', 'NODE_OPTIONS', 'METRICS_PORT', 'OTEL_SERVICE_NAME'];

class ManagedProcess implements Service {
  private child: ChildProcess | undefined;
  private exit: Promise<number | null> | undefined;
  private extraEnv: Record<string, string> = {};
  url = '';

  constructor(
    readonly name: string,
    private readonly entry: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly onLine: (service: string, line: string) => void,
    private readonly startTimeoutMs: number,
    private readonly onUnexpectedExit: (service: string, code: number | null) => void,
  ) {}

  get pid() {
    return this.child?.pid;
  }

  get running() {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the process on `port` (0: any free port) and resolves with the URL it serves. */
  async start(port: number, extraEnv: Record<string, string> = this.extraEnv): Promise<string> {
    this.extraEnv = extraEnv;
    const child = spawn(process.execPath, ['--conditions=@bicentennial/source', '--import', 'tsx', this.entry], {
      cwd: REPO_ROOT,
      env: { ...this.env, ...extraEnv, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      // A process group of its own: a terminal's Ctrl-C (SIGINT to the foreground group) reaches
      // only the supervisor, which stops the gateway first and then the subgraphs, instead of every
      // process at once (each then reported as an unexpected exit). A child still stops when the
      // supervisor is gone, however it went: its IPC channel closes (service/shutdown.ts).
      detached: true,
    });
    this.child = child;
    let stopping = false;
    const recent: string[] = [];
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream! }).on('line', (line) => {
        recent.push(line);
        if (recent.length > 20) recent.shift();
        this.onLine(this.name, line);
      });
    }
    this.exit = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    const ready = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`${this.name} did not become ready within ${this.startTimeoutMs} ms`));
      }, this.startTimeoutMs);
      child.on('message', (message) => {
        if (isReadyMessage(message)) {
          clearTimeout(timer);
          resolve(message.url);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${this.name} exited with code ${code} before it was ready:\n${recent.join('\n')}`));
      });
    });
    void this.exit.then((code) => {
      if (!stopping && this.child === child) this.onUnexpectedExit(this.name, code);
    });
    this.markStopping = () => {
      stopping = true;
    };
    try {
      this.url = await ready;
    } catch (error) {
      stopping = true;
      child.kill('SIGKILL');
      throw error;
    }
    return this.url;
  }

  private markStopping: () => void = () => undefined;

  async stop(timeoutMs = 15_000): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    this.markStopping();
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    await this.exit;
    clearTimeout(timer);
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start(Number(new URL(this.url).port));
  }
}

/**
 * What every child starts with. The stack is the development way to run the graph (from source,
 * embedded databases by default), so every process it starts runs PROFILE=development, whatever
 * NODE_ENV says; asking it for production is refused rather than ignored. (Tests may still give
 * one process another profile through `subgraphEnv` or `gatewayEnv`.)
 */
export function childEnv(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const profile = base['PROFILE'];
  if (profile !== undefined && profile !== '' && profile !== 'development') {
    throw new Error(
      `invalid environment:\n  PROFILE=${JSON.stringify(profile)}: \`npm start\` runs the development profile only; ` +
        'run each service on its own for production (README, Configuration)',
    );
  }
  const env: NodeJS.ProcessEnv = { ...base, APOLLO_TELEMETRY_DISABLED: 'true', PROFILE: 'development' };
  for (const key of PER_PROCESS) delete env[key];
  // A free port each (`METRICS_PORT=0`) can be shared; a fixed one is per process (`<SUBGRAPH>_METRICS_PORT`).
  if (base['METRICS_PORT'] === '0') env['METRICS_PORT'] = '0';
  return env;
}

/** `FIREARMS_DATABASE_URL=…` → `DATABASE_URL=…` for the firearms process. */
function prefixedEnv(base: NodeJS.ProcessEnv, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of [
    'DATABASE_URL',
    'PGLITE_DIR',
    'LOG_LEVEL',
    'SEED',
    'SYNTHETIC_SAMPLE',
    'DB_POOL_SIZE',
    'METRICS_PORT',
  ]) {
    const value = base[`${prefix}_${key}`];
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}

function portSetting(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`invalid environment:\n  ${name}=${JSON.stringify(raw)}: must be a port number`);
  }
  return port;
}

/**
 * Starts every subgraph (each its own process, in parallel: each migrates and seeds its own
 * database), then the gateway pointed at the URLs they report. Stops everything if any fails to
 * start.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const base = options.env ?? process.env;
  const subgraphs = options.subgraphs ?? readSupergraphConfig();
  const timeout = options.startTimeoutMs ?? 180_000;
  const inherited = childEnv(base);
  // Generated before any process starts, so that every one of them reads the same key pairs.
  const keys = await ensureDevelopmentKeys(inherited['DEV_KEYS_DIR'] || DEFAULT_DEV_KEYS_DIR);
  inherited['DEV_KEYS_DIR'] = keys.dir;
  const onExit = (service: string, code: number | null) =>
    options.onLine(service, JSON.stringify({ level: 50, time: Date.now(), msg: `exited unexpectedly (code ${code})` }));

  const services = new Map<string, ManagedProcess>();
  const gateway = new ManagedProcess(
    'gateway',
    GATEWAY_ENTRY,
    { ...inherited, ...options.gatewayEnv },
    options.onLine,
    timeout,
    onExit,
  );
  const stopAll = async () => {
    await gateway.stop();
    await Promise.all([...services.values()].map((s) => s.stop()));
  };
  try {
    await Promise.all(
      subgraphs.map(async (subgraph) => {
        const prefix = envName(subgraph.name);
        const service = new ManagedProcess(
          subgraph.name,
          join(subgraph.packageDir, 'src', 'index.ts'),
          { ...inherited, ...prefixedEnv(base, prefix), ...options.subgraphEnv?.(subgraph.name) },
          options.onLine,
          timeout,
          onExit,
        );
        services.set(subgraph.name, service);
        const port = options.ports === 'ephemeral' ? 0 : portSetting(base, `${prefix}_PORT`, subgraph.port);
        await service.start(port);
      }),
    );
    if (options.startGateway !== false) {
      const urls: Record<string, string> = Object.fromEntries(
        [...services.values()].map((s) => [`SUBGRAPH_URL_${envName(s.name)}`, s.url]),
      );
      // On ephemeral ports (tests) a subgraph not started is routed to a port nothing listens on,
      // never to its default one, where a developer's `npm start` may be serving (with other keys).
      if (options.ports === 'ephemeral') {
        // Port 1 (tcpmux): never handed out as an ephemeral port, so never a parallel test's subgraph.
        const closed = 'http://127.0.0.1:1/graphql';
        for (const subgraph of readSupergraphConfig()) {
          const name = `SUBGRAPH_URL_${envName(subgraph.name)}`;
          if (!(name in urls) && options.gatewayEnv?.[name] === undefined) urls[name] = closed;
        }
      }
      const gatewayPort = options.ports === 'ephemeral' ? 0 : portSetting(base, 'GATEWAY_PORT', 4000);
      await gateway.start(gatewayPort, urls);
    }
  } catch (error) {
    await stopAll();
    throw error;
  }
  return { gatewayUrl: gateway.url, gateway, subgraphs: new Map(services), devKeysDir: keys.dir, stop: stopAll };
}

const run = promisify(execFile);

/** Resident memory of processes in bytes (by `ps`, on Linux and macOS); missing pids are left out. */
export async function residentMemory(pids: number[]): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  if (pids.length === 0) return out;
  try {
    const { stdout } = await run('ps', ['-o', 'pid=,rss=', '-p', pids.join(',')]);
    for (const line of stdout.trim().split('\n')) {
      const [pid, rss] = line.trim().split(/\s+/).map(Number);
      if (pid && rss) out.set(pid, rss * 1024);
    }
  } catch {
    // ps exits 1 when none of the pids exists any more.
  }
  return out;
}
