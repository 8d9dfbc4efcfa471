import { ensureIdeBuilt, hasSources } from './build';

/** `npm run build` (and the stack's start): bundles the IDE unless its current build exists. */
async function main(): Promise<void> {
  if (!hasSources()) throw new Error('the IDE sources (gateway/ide/src) are not here: nothing to build');
  const started = Date.now();
  const build = await ensureIdeBuilt();
  process.stdout.write(`IDE ${build.stamp} in ${build.dir} (${Date.now() - started} ms)\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
