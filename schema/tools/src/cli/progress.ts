import { SingleBar } from 'cli-progress';

/**
 * A progress bar with the rate, for long-running commands (synthetic loads, ingest). On a
 * terminal it redraws in place; otherwise it prints nothing until `stop()`.
 */
export function progressBar(label: string, total?: number) {
  const started = performance.now();
  const bar = new SingleBar({
    // Without a known total (a file still being read), show the count and the rate only.
    format:
      total === undefined
        ? `${label} {value} rows | {rate} rows/s | {duration_formatted}`
        : `${label} [{bar}] {percentage}% | {value}/{total} rows | {rate} rows/s | {duration_formatted}`,
    hideCursor: true,
    noTTYOutput: false,
    stream: process.stderr,
  });
  bar.start(total ?? 0, 0, { rate: '0' });
  const rate = (rows: number) => Math.round(rows / Math.max((performance.now() - started) / 1000, 0.001));
  return {
    update(rows: number) {
      bar.update(rows, { rate: rate(rows).toLocaleString('en-US') });
    },
    stop(rows: number) {
      bar.update(rows, { rate: rate(rows).toLocaleString('en-US') });
      bar.stop();
      return { seconds: (performance.now() - started) / 1000, rowsPerSecond: rate(rows) };
    },
  };
}
