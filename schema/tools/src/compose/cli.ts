import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { composeSupergraph } from './compose';
import { SUPERGRAPH_PATH } from '@bicentennial/schema';
import {
  checkCompatibility,
  describeBrokenOperation,
  describeChange,
  isBreaking,
  type CompatibilityReport,
} from '../compat/check';
import { committedOperations } from '../compat/committed';

const ALLOW_BREAKING = '--allow-breaking';

/**
 * `compose write`: compose the supergraph and write schema/supergraph.graphql, unless it breaks
 * the committed one (see `checkCompatibility`: a field or argument removed or retyped, a
 * persisted operation that no longer validates); `--allow-breaking` writes it all the same.
 * `compose check`: fail when composition fails or the committed file is not what composition
 * produces now (a subgraph changed its SDL without `npm run compose`), naming the breaking
 * changes first.
 * `compose verify`: compose and report, writing nothing (while a subgraph's SDL is in progress).
 * Every mode prints the changes against the committed supergraph that break nothing as notes.
 */
async function main(mode: string | undefined, flags: string[]): Promise<number> {
  const unknown = flags.filter((flag) => flag !== ALLOW_BREAKING);
  if ((mode !== 'write' && mode !== 'check' && mode !== 'verify') || unknown.length > 0) {
    process.stderr.write(`usage: compose (write|check|verify) [${ALLOW_BREAKING}]\n`);
    return 2;
  }
  const allowBreaking = flags.includes(ALLOW_BREAKING);
  const outcome = composeSupergraph();
  for (const hint of outcome.hints) process.stdout.write(`hint ${hint}\n`);
  if (!outcome.supergraphSdl) {
    process.stderr.write(`composition failed:\n${outcome.errors.map((e) => `  ${e}`).join('\n')}\n`);
    return 1;
  }
  const target = relative(process.cwd(), SUPERGRAPH_PATH);
  const committed = existsSync(SUPERGRAPH_PATH) ? readFileSync(SUPERGRAPH_PATH, 'utf8') : '';
  const breaking = committed ? await reportCompatibility(committed, outcome.supergraphSdl, target) : false;
  if (breaking && mode !== 'check' && !allowBreaking) {
    process.stderr.write(
      `${mode === 'write' ? `${target} not written` : 'the subgraphs compose'}: the new supergraph breaks the committed one; ` +
        `fix the SDL, or pass ${ALLOW_BREAKING} (\`npm run compose -- ${ALLOW_BREAKING}\`) when the break is agreed\n`,
    );
    return 1;
  }
  if (mode === 'verify') {
    process.stdout.write(
      `the subgraphs compose${outcome.hints.length ? ` (${outcome.hints.length} hints)` : ''}; nothing written\n`,
    );
    return 0;
  }
  if (mode === 'write') {
    writeFileSync(SUPERGRAPH_PATH, outcome.supergraphSdl);
    process.stdout.write(`wrote ${target}${breaking ? ` with breaking changes (${ALLOW_BREAKING})` : ''}\n`);
    return 0;
  }
  if (committed !== outcome.supergraphSdl) {
    process.stderr.write(`${target} is stale: run \`npm run compose\` and commit the result\n`);
    return 1;
  }
  process.stdout.write(`${target} is up to date\n`);
  return 0;
}

/**
 * Prints how the composed supergraph differs from the committed one: the breaking changes and the
 * persisted operations it breaks (stderr), then the other changes as notes (stdout). True when
 * something breaks.
 */
async function reportCompatibility(committed: string, composed: string, target: string): Promise<boolean> {
  if (committed === composed) return false;
  const { operations, note } = committedOperations();
  if (note) process.stdout.write(`note ${note}\n`);
  let report: CompatibilityReport;
  try {
    report = await checkCompatibility({
      committedSupergraphSdl: committed,
      composedSupergraphSdl: composed,
      operations,
    });
  } catch (error) {
    process.stderr.write(
      `${target} cannot be compared with the new supergraph: ${(error as Error).message.split('\n')[0]}\n`,
    );
    return true;
  }
  for (const change of report.notes) process.stdout.write(`note ${describeChange(change)}\n`);
  if (!isBreaking(report)) return false;
  process.stderr.write(
    `breaking changes against the committed ${target}:\n${[
      ...report.breaking.map(describeChange),
      ...report.brokenOperations.map(describeBrokenOperation),
    ]
      .map((line) => `  ${line}`)
      .join('\n')}\n`,
  );
  return true;
}

main(process.argv[2], process.argv.slice(3)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`compose failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
