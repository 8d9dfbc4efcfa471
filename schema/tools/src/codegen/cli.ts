import { readSupergraphConfig } from '@bicentennial/schema';
import { check, generate } from './codegen';

/**
 * `codegen generate [subgraph…]`: regenerate each subgraph's Prisma client and resolver types.
 * `codegen check [subgraph…]`: fail when committed generated code is stale. Default: all.
 */
async function main([mode, ...names]: string[]): Promise<number> {
  const all = readSupergraphConfig();
  const unknown = names.filter((n) => !all.some((s) => s.name === n));
  if ((mode !== 'generate' && mode !== 'check') || unknown.length > 0) {
    process.stderr.write(
      `${unknown.length ? `unknown subgraph: ${unknown.join(', ')}\n` : ''}usage: codegen (generate|check) [subgraph…]\n`,
    );
    return 2;
  }
  const subgraphs = names.length ? all.filter((s) => names.includes(s.name)) : all;
  if (mode === 'generate') {
    await Promise.all(subgraphs.map(generate));
    process.stdout.write(`generated ${subgraphs.map((s) => s.name).join(', ')}\n`);
    return 0;
  }
  // In parallel: each check only touches its own subgraph's folder.
  let failed = false;
  for (const report of await Promise.all(subgraphs.map(check))) {
    if (report.stale.length > 0) {
      failed = true;
      process.stderr.write(`${report.subgraph}: stale ${report.stale.join(', ')}: run \`npm run codegen\`\n`);
    }
  }
  if (!failed) process.stdout.write(`generated code is up to date (${subgraphs.map((s) => s.name).join(', ')})\n`);
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
