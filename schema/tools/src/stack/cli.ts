import { formatLogLine } from './logs';
import { residentMemory, startStack, type Stack } from './stack';

/**
 * `npm start`: the whole graph on this machine — every subgraph on its embedded database (or the
 * PostgreSQL in `<NAME>_DATABASE_URL`), then the gateway; prefixed logs; Ctrl-C stops everything.
 */
async function main(): Promise<void> {
  const color = process.stdout.isTTY === true;
  const width = 'public-health'.length;
  const print = (service: string, line: string) =>
    process.stdout.write(`${formatLogLine(service, width, line, color)}\n`);
  const say = (msg: string) => print('stack', JSON.stringify({ level: 30, time: Date.now(), msg }));

  say('starting the subgraphs (the first start migrates and seeds each database)…');
  const started = Date.now();
  // Ctrl-C while they start: this process exits, and each service, in a process group of its own,
  // sees its IPC channel close and exits too (service/shutdown.ts, exitWhenParentGoesWhileStarting).
  const whileStarting = (signal: NodeJS.Signals) => {
    say(`${signal} while starting: stopping every process`);
    process.exit(130);
  };
  process.once('SIGINT', whileStarting);
  process.once('SIGTERM', whileStarting);
  let stack: Stack;
  try {
    stack = await startStack({ ports: 'default', onLine: print });
  } catch (error) {
    print('stack', JSON.stringify({ level: 60, time: Date.now(), msg: (error as Error).message }));
    process.exit(1);
  }

  const pids = [stack.gateway.pid, ...[...stack.subgraphs.values()].map((s) => s.pid)].filter(
    (pid): pid is number => pid !== undefined,
  );
  const memory = await residentMemory(pids);
  const total = [...memory.values()].reduce((a, b) => a + b, 0);
  say(
    `up in ${((Date.now() - started) / 1000).toFixed(1)} s; ${pids.length} processes, ${(total / 2 ** 20).toFixed(0)} MiB resident`,
  );
  process.stdout.write(
    `\n  Bicentennial Graph is running: ${stack.gatewayUrl}\n  Dashboard: ${new URL('/dashboard', stack.gatewayUrl).href}\n  Press Ctrl-C to stop.\n\n`,
  );

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping every process`);
    stack.stop().then(
      () => {
        say('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        print('stack', JSON.stringify({ level: 50, time: Date.now(), msg: String(error) }));
        process.exit(1);
      },
    );
  };
  process.off('SIGINT', whileStarting);
  process.off('SIGTERM', whileStarting);
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

void main();
