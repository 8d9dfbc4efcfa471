import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { SUPERGRAPH_PATH } from '@bicentennial/schema';
import { checkManifest, generateManifest, type OperationsInput } from './check';
import { MANIFEST_CONFIG_PATH, readManifestConfig, REPOSITORY_ROOT } from './config';

/**
 * `operations write`: read the operation documents of the config (persisted-query-manifest.config.json
 * beside this file) and write their persisted query manifest (schema/persisted-operations.json).
 * `operations check`: fail when the committed manifest is not what the documents give, or when an
 * operation does not validate against the API schema of the committed supergraph.
 */
function main(mode: string | undefined): number {
  if (mode !== 'write' && mode !== 'check') {
    process.stderr.write('usage: operations (write|check)\n');
    return 2;
  }
  const config = readManifestConfig();
  const input: OperationsInput = {
    config,
    root: REPOSITORY_ROOT,
    supergraphSdl: existsSync(SUPERGRAPH_PATH) ? readFileSync(SUPERGRAPH_PATH, 'utf8') : '',
    supergraphName: relative(REPOSITORY_ROOT, SUPERGRAPH_PATH),
  };
  const output = join(REPOSITORY_ROOT, config.output);
  const outcome =
    mode === 'write'
      ? generateManifest(input)
      : checkManifest(input, existsSync(output) ? readFileSync(output, 'utf8') : undefined);
  for (const note of outcome.notes) process.stdout.write(`note ${note}\n`);
  const names = outcome.operations.map((o) => o.name).join(', ');
  if (outcome.problems.length > 0) {
    const what = mode === 'write' ? `${config.output} not written` : `${config.output} fails its check`;
    process.stderr.write(`${what}:\n${outcome.problems.map((p) => `  ${p}`).join('\n')}\n`);
    process.stderr.write(
      `the documents are those of ${relative(REPOSITORY_ROOT, MANIFEST_CONFIG_PATH)}; ` +
        (mode === 'check' ? '`npm run operations` rewrites the manifest from them (commit the result); ' : '') +
        'an operation the API schema refuses is fixed in its document, or in the schema (then `npm run compose`)\n',
    );
    return 1;
  }
  if (mode === 'write') {
    writeFileSync(output, outcome.text);
    process.stdout.write(`wrote ${config.output}: ${outcome.operations.length} operations (${names})\n`);
    return 0;
  }
  process.stdout.write(
    `${config.output} is up to date: ${outcome.operations.length} operations, each valid against the API schema of ${input.supergraphName}\n`,
  );
  return 0;
}

process.exitCode = main(process.argv[2]);
