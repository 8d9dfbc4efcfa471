import { ensureDashboardBuilt, hasSources } from './build';

/** `npm run build` (and `npm run build -w @bicentennial/dashboard`): bundles the dashboard unless its current build exists. */
async function main(): Promise<void> {
  if (!hasSources()) throw new Error('the dashboard sources (gateway/dashboard/src) are not here: nothing to build');
  const started = Date.now();
  const build = await ensureDashboardBuilt();
  process.stdout.write(`dashboard ${build.stamp} in ${build.dir} (${Date.now() - started} ms)\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
