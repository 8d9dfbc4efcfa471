import { resolve } from 'node:path';
import { deployService } from './deploy';

/**
 * `npm run release -- <service folder> <out folder>`: one service laid out as its image holds it
 * (built output, run-time files, production dependencies only), e.g.
 * `npm run release -- subgraphs/firearms .tmp/release/firearms`. Run `npm run build` first.
 */
async function main(args: string[]): Promise<number> {
  const [service, out] = args;
  if (!service || !out || args.length > 2) {
    process.stderr.write('usage: release <service folder, e.g. gateway or subgraphs/firearms> <out folder>\n');
    return 2;
  }
  const release = await deployService(service, resolve(out));
  process.stdout.write(`${service} laid out in ${release.dir} (workspaces: ${release.workspaces.join(', ')})\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
