import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { composeSupergraph } from './compose';
import { SUPERGRAPH_PATH } from '@bicentennial/schema';

/**
 * `compose write`: compose the supergraph and write schema/supergraph.graphql.
 * `compose check`: fail when composition fails or the committed file is not what composition
 * produces now (a subgraph changed its SDL without `npm run compose`).
 * `compose verify`: compose and report, writing nothing (while a subgraph's SDL is in progress).
 */
function main(mode: string | undefined): number {
  if (mode !== 'write' && mode !== 'check' && mode !== 'verify') {
    process.stderr.write('usage: compose (write|check|verify)\n');
    return 2;
  }
  const outcome = composeSupergraph();
  for (const hint of outcome.hints) process.stdout.write(`hint ${hint}\n`);
  if (!outcome.supergraphSdl) {
    process.stderr.write(`composition failed:\n${outcome.errors.map((e) => `  ${e}`).join('\n')}\n`);
    return 1;
  }
  const target = relative(process.cwd(), SUPERGRAPH_PATH);
  if (mode === 'verify') {
    process.stdout.write(
      `the subgraphs compose${outcome.hints.length ? ` (${outcome.hints.length} hints)` : ''}; nothing written\n`,
    );
    return 0;
  }
  if (mode === 'write') {
    writeFileSync(SUPERGRAPH_PATH, outcome.supergraphSdl);
    process.stdout.write(`wrote ${target}\n`);
    return 0;
  }
  const committed = existsSync(SUPERGRAPH_PATH) ? readFileSync(SUPERGRAPH_PATH, 'utf8') : '';
  if (committed !== outcome.supergraphSdl) {
    process.stderr.write(`${target} is stale: run \`npm run compose\` and commit the result\n`);
    return 1;
  }
  process.stdout.write(`${target} is up to date\n`);
  return 0;
}

process.exitCode = main(process.argv[2]);
