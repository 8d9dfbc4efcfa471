import autocannon from 'autocannon';
import { summarizeWindow, type LoadGeneratorMessage, type LoadRequest, type WindowCounts } from './loadSummary';

/**
 * The load generator: autocannon in a process of its own (neither the bench's, which reads /proc
 * while it runs, nor a gateway's), started by `LoadGenerator` (load.ts) with an IPC channel.
 *
 * Each run is one autocannon run of warm-up then measurement, without a pause between them: the
 * measured part starts with as many requests in flight as it ends with, so the CPU the bench
 * reads at its two ends (it is told by the `window` messages) is the CPU of the answers counted
 * in it. autocannon's own totals would include the warm-up, so the measured part is counted
 * here, from its `response` events. A response is a GraphQL error when its body has an `errors`
 * member: autocannon does not parse bodies, so each one is searched for the key (a string search,
 * not a parse: the generator shares the two cores with what it measures).
 */
function send(message: LoadGeneratorMessage): void {
  process.send?.(message);
}

async function run(request: LoadRequest): Promise<void> {
  const counts: WindowCounts = {
    seconds: 0,
    statuses: [],
    latenciesMs: [],
    bytes: 0,
    graphqlErrors: 0,
    socketErrors: 0,
    timeouts: 0,
  };
  let measuring = false;
  let windowStart = 0;
  const instance = autocannon({
    url: request.url,
    connections: request.connections,
    // Past the end of the measured part, so that it ends under load as it began.
    duration: request.warmupSeconds + request.durationSeconds + 0.5,
    timeout: request.timeoutSeconds,
    requests: [
      {
        method: 'POST',
        headers: request.headers,
        body: request.body,
        onResponse: (status, body) => {
          if (measuring && status >= 200 && status < 300 && body.includes('"errors"')) {
            counts.graphqlErrors++;
            counts.errorSample ??= body.slice(0, 500);
          }
        },
      },
    ],
  });
  instance.on('response', (_client, status, bytes, latencyMs) => {
    if (!measuring) return;
    counts.statuses.push(status);
    counts.latenciesMs.push(latencyMs);
    counts.bytes += bytes;
  });
  instance.on('reqError', (error) => {
    if (!measuring) return;
    if (error.message === 'request timed out') counts.timeouts++;
    else counts.socketErrors++;
  });
  const begin = () => {
    measuring = true;
    windowStart = performance.now();
    send({ id: request.id, window: 'start' });
  };
  const startTimer = setTimeout(begin, request.warmupSeconds * 1000);
  const endTimer = setTimeout(
    () => {
      measuring = false;
      counts.seconds = (performance.now() - windowStart) / 1000;
      send({ id: request.id, window: 'end' });
    },
    (request.warmupSeconds + request.durationSeconds) * 1000,
  );
  try {
    await instance;
  } finally {
    clearTimeout(startTimer);
    clearTimeout(endTimer);
  }
  if (counts.seconds === 0) throw new Error('autocannon ended before the measured part did');
  send({ id: request.id, summary: summarizeWindow(counts) });
}

if (!process.send) {
  process.stderr.write(
    'loadgen.ts is started by the gateway bench (test/src/bench/gateways.ts), with an IPC channel\n',
  );
  process.exit(2);
}
process.on('message', (message: LoadRequest) => {
  run(message).catch((error: unknown) =>
    send({ id: message.id, error: error instanceof Error ? error.message : String(error) }),
  );
});
// The parent going away (Ctrl-C, a crash) ends the generator too.
process.on('disconnect', () => process.exit(0));
send({ ready: true });
