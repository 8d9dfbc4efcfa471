import { parseArgs } from 'node:util';
import { WRITABLE_SUBGRAPHS } from '@bicentennial/schema';
import { progressBar } from '../cli/progress';
import {
  DEFAULT_GATEWAY_URL,
  describeImports,
  ingest,
  IngestError,
  isWritableSubgraph,
  MAX_RATE_LIMITED_WAITS,
} from './ingest';

const USAGE = `usage: npm run ingest -- --subgraph <name> --file <path.csv|path.json> [options]

  --subgraph <name>      the subgraph written into: ${WRITABLE_SUBGRAPHS.join(', ')}
  --type <record-type>   what the file holds (default: from the file name, e.g. drug-seizures.csv)
  --url <url>            the gateway's GraphQL URL (default: GATEWAY_URL, then ${DEFAULT_GATEWAY_URL})
  --token <jwt>          the caller's token, with the scope <subgraph>:write (default: BICENTENNIAL_TOKEN);
                         in development: npm run token -- --agency CBP --country US --scope "border-trade:write"
  --batch-size <n>       rows per call, 1 to 1000 (default 500)
  --dry-run              validate only (still needs the token: the subgraph validates through the same mutations)
  --describe             list the record types this subgraph imports and their columns (no token needed in
                         development; under the production profile a write scope or graph:analyze)

It goes through the gateway, as the token's caller: every row is recorded as written by the token's
sub@agency. Every row is validated before anything is written; any bad row is reported with its line
and column, and then nothing is written. Running the same file again adds nothing.`;

function options() {
  return parseArgs({
    options: {
      subgraph: { type: 'string' },
      file: { type: 'string' },
      type: { type: 'string' },
      url: { type: 'string' },
      token: { type: 'string' },
      'batch-size': { type: 'string' },
      'dry-run': { type: 'boolean' },
      describe: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  }).values;
}

async function main(): Promise<number> {
  let values: ReturnType<typeof options>;
  try {
    values = options();
  } catch (error) {
    // An unknown option (e.g. the removed --submitted-by: the writer is the token's caller now).
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!isWritableSubgraph(values.subgraph) || (!values.file && !values.describe)) {
    const unknown = values.subgraph && !isWritableSubgraph(values.subgraph);
    process.stderr.write(`${unknown ? `${values.subgraph} is not a subgraph the ingest writes into\n` : ''}${USAGE}\n`);
    return 2;
  }
  const connection = {
    url: values.url ?? (process.env['GATEWAY_URL'] || DEFAULT_GATEWAY_URL),
    token: values.token ?? (process.env['BICENTENNIAL_TOKEN'] || undefined),
    subgraph: values.subgraph,
    onWait: (seconds: number, attempt: number) =>
      process.stderr.write(
        `rate limited by the gateway: waiting ${seconds} s (${attempt} of at most ${MAX_RATE_LIMITED_WAITS})\n`,
      ),
  };
  if (values.describe) {
    for (const target of await describeImports(connection)) {
      process.stdout.write(`${target.recordType} (mutation ${target.mutation}, input ${target.inputType}):\n`);
      for (const field of target.fields) {
        const type = field.enumValues ? field.enumValues.join(' | ') : field.type;
        process.stdout.write(
          `  ${field.name.padEnd(20)} ${field.required ? 'required' : 'optional'}  ${field.list ? `list of ${type}, ";"-separated in CSV` : type}\n`,
        );
      }
    }
    return 0;
  }
  const batchSize = Number(values['batch-size'] ?? 500);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 1000) {
    process.stderr.write('--batch-size must be a whole number from 1 to 1000\n');
    return 2;
  }
  let bar: ReturnType<typeof progressBar> | undefined;
  let phase: string | undefined;
  let last = 0;
  const started = performance.now();
  const report = await ingest({
    ...connection,
    file: values.file!,
    ...(values.type ? { recordType: values.type } : {}),
    batchSize,
    dryRun: values['dry-run'] ?? false,
    onProblem: (message) => process.stderr.write(`${message}\n`),
    onProgress: (next, rows, total) => {
      if (next !== phase) {
        bar?.stop(last);
        phase = next;
        bar = progressBar(next === 'validate' ? 'validating' : 'writing   ', total);
      }
      last = rows;
      bar?.update(rows);
    },
  });
  bar?.stop(last);
  const seconds = (performance.now() - started) / 1000;
  const peakMiB = process.resourceUsage().maxRSS / 1024;
  const summary =
    `${report.recordType}: ${report.rows} rows, ${report.problems} with problems; ` +
    (report.written
      ? `${report.inserted} written, ${report.alreadyPresent} already present`
      : report.problems > 0
        ? 'nothing written'
        : 'dry run: nothing written') +
    `; ${seconds.toFixed(1)} s (${Math.round(report.rows / Math.max(seconds, 0.001))} rows/s), peak RSS ${peakMiB.toFixed(0)} MiB\n`;
  process.stdout.write(summary);
  return report.problems > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `${error instanceof IngestError ? error.message : error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
