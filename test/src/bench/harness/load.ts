import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '@bicentennial/tools/stack';
import type { LoadGeneratorMessage, LoadRequest, LoadSummary } from './loadSummary';

/** What the bench does at the two ends of a run's measured part (read /proc). */
export interface MeasuredWindow {
  start: () => Promise<void> | void;
  end: () => Promise<void> | void;
}

interface Pending {
  window: MeasuredWindow | undefined;
  /** The window's hooks, chained: `end` runs after `start` has finished. */
  hooks: Promise<void>;
  /** The first hook's failure, reported with the run's result. */
  hookError?: Error;
  resolve(summary: LoadSummary): void;
  reject(error: Error): void;
}

/**
 * The load generator's process (loadgen.ts, autocannon), started once and given one run at a
 * time. It is a process of its own so that neither its CPU nor its memory is counted as the
 * gateway's or the bench's (it still shares the machine's cores: the CPU it used is reported).
 */
export class LoadGenerator {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (message: LoadGeneratorMessage) => this.receive(message));
    child.once('exit', (code) => {
      for (const waiting of this.pending.values()) waiting.reject(new Error(`load generator exited (code ${code})`));
      this.pending.clear();
    });
  }

  private receive(message: LoadGeneratorMessage): void {
    if ('ready' in message) return;
    const waiting = this.pending.get(message.id);
    if (!waiting) return;
    if ('window' in message) {
      const hook = message.window === 'start' ? waiting.window?.start : waiting.window?.end;
      waiting.hooks = waiting.hooks
        .then(() => hook?.())
        .catch((error: unknown) => {
          waiting.hookError ??= error instanceof Error ? error : new Error(String(error));
        });
      return;
    }
    this.pending.delete(message.id);
    if ('error' in message) {
      waiting.reject(new Error(`load generator: ${message.error}`));
      return;
    }
    const { summary } = message;
    void waiting.hooks.then(() => (waiting.hookError ? waiting.reject(waiting.hookError) : waiting.resolve(summary)));
  }

  static async start(): Promise<LoadGenerator> {
    const child = spawn(
      process.execPath,
      ['--conditions=@bicentennial/source', '--import', 'tsx', join(__dirname, 'loadgen.ts')],
      { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
    );
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the load generator did not start within 60 s')), 60_000);
      child.on('message', (message: LoadGeneratorMessage) => {
        if ('ready' in message) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the load generator exited (code ${code}) before it was ready`));
      });
    });
    return new LoadGenerator(child);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Runs load; `window`'s hooks are called when the measured part starts and ends. */
  run(request: Omit<LoadRequest, 'id'>, window?: MeasuredWindow): Promise<LoadSummary> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { window, hooks: Promise.resolve(), resolve, reject });
      this.child.send({ ...request, id });
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.disconnect();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}
