import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { progressBar } from '../cli/progress';
import { envName, readSupergraphConfig } from '@bicentennial/schema';
import { describeImports, ingest, IngestError } from './ingest';

const USAGE = `usage: npm run ingest -- --subgraph <name> --file <path.csv|path.json> [options]

  --type <record-type>   what the file holds (default: from the file name, e.g. drug-seizures.csv)
  --url <url>            the subgraph's GraphQL URL (default: <NAME>_URL, then supergraph.yaml)
  --submitted-by <who>   recorded on every row (default: ingest:<your user name>)
  --batch-size <n>       rows per call, 1 to 1000 (default 500)
  --dry-run              validate only
  --describe             list the record types this subgraph imports and their columns

Every row is validated before anything is written; any bad row is reported with its line and
column, and then nothing is written. Running the same file again adds nothing.`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      subgraph: { type: 'string' },
      file: { type: 'string' },
      type: { type: 'string' },
      url: { type: 'string' },
      'submitted-by': { type: 'string' },
      'batch-size': { type: 'string' },
      'dry-run': { type: 'boolean' },
      describe: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const subgraph = readSupergraphConfig().find((s) => s.name === values.subgraph);
  if (subgraph && values.describe) {
    const url = values.url ?? process.env[`${envName(subgraph.name)}_URL`] ?? subgraph.routingUrl;
    for (const target of await describeImports(url)) {
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
  if (!subgraph || !values.file) {
    process.stderr.write(`${values.subgraph && !subgraph ? `unknown subgraph ${values.subgraph}\n` : ''}${USAGE}\n`);
    return 2;
  }
  const batchSize = Number(values['batch-size'] ?? 500);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 1000) {
    process.stderr.write('--batch-size must be a whole number from 1 to 1000\n');
    return 2;
  }
  const url = values.url ?? process.env[`${envName(subgraph.name)}_URL`] ?? subgraph.routingUrl;
  let bar: ReturnType<typeof progressBar> | undefined;
  let phase: string | undefined;
  let last = 0;
  const started = performance.now();
  const report = await ingest({
    url,
    file: values.file,
    ...(values.type ? { recordType: values.type } : {}),
    submittedBy: values['submitted-by'] ?? `ingest:${userInfo().username}`,
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
