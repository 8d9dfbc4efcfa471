import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { envName, readSupergraphConfig } from '@bicentennial/schema';

/**
 * `npm start` stopped with Ctrl-C, as a terminal does it: SIGINT to the whole foreground process
 * group. The supervisor alone must get it and stop its processes in order (the gateway, then the
 * subgraphs); a process that got the signal itself and exited before the supervisor knew would be
 * reported as "exited unexpectedly". A supervisor script of the test's own (stack.ts's startStack,
 * as cli.ts uses it) runs in a process group of its own, the gateway and one subgraph under it on
 * ephemeral ports; the other subgraphs' URLs point at a closed port, so nothing reaches a graph a
 * developer may have running on the default ports.
 */
const ROOT = resolve(__dirname, '..', '..', '..');
const SUPERVISOR = `
  const { startStack } = require('./schema/tools/src/stack/stack.ts');
  const { readSupergraphConfig } = require('@bicentennial/schema');
  (async () => {
    const stack = await startStack({
      ports: 'ephemeral',
      subgraphs: readSupergraphConfig().filter((s) => s.name === 'framework'),
      gatewayEnv: JSON.parse(process.env.TEST_GATEWAY_ENV),
      onLine: (service, line) => process.stdout.write(service + ' ' + line + '\\n'),
    });
    process.stdout.write('READY ' + stack.gatewayUrl + '\\n');
    process.on('SIGINT', () => {
      process.stdout.write('SUPERVISOR SIGINT\\n');
      stack.stop().then(() => { process.stdout.write('STOPPED\\n'); process.exit(0); });
    });
  })().catch((error) => { process.stdout.write('FAILED ' + error + '\\n'); process.exit(1); });
`;

describe('npm start under Ctrl-C', () => {
  it('stops every process through the supervisor, none of them reported as exiting unexpectedly', async () => {
    const keys = mkdtempSync(join(tmpdir(), 'bicentennial-signals-'));
    const closed = Object.fromEntries(
      readSupergraphConfig()
        .filter((s) => s.name !== 'framework')
        .map((s) => [`SUBGRAPH_URL_${envName(s.name)}`, 'http://127.0.0.1:1/graphql']),
    );
    const supervisor = spawn(
      process.execPath,
      ['--conditions=@bicentennial/source', '--import', 'tsx', '-e', SUPERVISOR],
      {
        cwd: ROOT,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          DEV_KEYS_DIR: keys,
          LOG_LEVEL: 'warn',
          TEST_GATEWAY_ENV: JSON.stringify({ ...closed, STATUS_POLL_INTERVAL_MS: '600000', GATEWAY_WORKERS: '2' }),
        },
      },
    );
    let output = '';
    supervisor.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    supervisor.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((done) => supervisor.once('exit', (code) => done(code)));
    try {
      const started = Date.now();
      while (!output.includes('READY ') && !output.includes('FAILED ') && Date.now() - started < 120_000) {
        await new Promise((wait) => setTimeout(wait, 100));
      }
      expect(output).toContain('READY ');
      // What a terminal's Ctrl-C does: the signal to every process of the foreground group.
      process.kill(-supervisor.pid!, 'SIGINT');
      const code = await Promise.race([
        exited,
        new Promise<'timeout'>((done) => setTimeout(() => done('timeout'), 30_000)),
      ]);
      expect(code).toBe(0);
      expect(output).toContain('SUPERVISOR SIGINT');
      expect(output).toContain('STOPPED');
      expect(output).not.toContain('exited unexpectedly');
    } finally {
      if (supervisor.exitCode === null) process.kill(-supervisor.pid!, 'SIGKILL');
      rmSync(keys, { recursive: true, force: true });
    }
  }, 180_000);

  it('leaves no process behind when the supervisor is gone while they start (killed outright)', async () => {
    const marker = randomUUID();
    const keys = mkdtempSync(join(tmpdir(), 'bicentennial-signals-'));
    /** Processes whose environment carries this test's marker (the supervisor's children inherit it). */
    const marked = () =>
      readdirSync('/proc')
        .filter((entry) => /^\d+$/.test(entry))
        .filter((pid) => {
          try {
            return readFileSync(`/proc/${pid}/environ`, 'latin1').includes(`BICENTENNIAL_TEST_MARKER=${marker}`);
          } catch {
            return false;
          }
        });
    const supervisor = spawn(
      process.execPath,
      ['--conditions=@bicentennial/source', '--import', 'tsx', '-e', SUPERVISOR],
      {
        cwd: ROOT,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          BICENTENNIAL_TEST_MARKER: marker,
          DEV_KEYS_DIR: keys,
          LOG_LEVEL: 'info',
          TEST_GATEWAY_ENV: JSON.stringify({ STATUS_POLL_INTERVAL_MS: '600000' }),
        },
      },
    );
    let output = '';
    supervisor.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<void>((done) => supervisor.once('exit', () => done()));
    try {
      // The framework subgraph has started (it logs as it migrates and seeds) but is not serving yet.
      const started = Date.now();
      while (!/^framework /m.test(output) && Date.now() - started < 60_000) {
        await new Promise((wait) => setTimeout(wait, 20));
      }
      expect(output).not.toContain('READY ');
      expect(marked().length).toBeGreaterThanOrEqual(2);
      process.kill(supervisor.pid!, 'SIGKILL');
      await exited;
      const deadline = Date.now() + 20_000;
      while (marked().length > 0 && Date.now() < deadline) await new Promise((wait) => setTimeout(wait, 100));
      expect(marked()).toEqual([]);
    } finally {
      for (const pid of marked()) process.kill(Number(pid), 'SIGKILL');
      rmSync(keys, { recursive: true, force: true });
    }
  }, 120_000);
});
