import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { readSupergraphConfig } from '@bicentennial/schema';
import { pendingMigrationSql } from './prisma';

/**
 * `migration <subgraph> <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql with
 * the SQL that takes the committed migrations to the current schema.prisma. Review it, then
 * commit it: subgraphs apply it at their next start.
 */
async function main([subgraphName, name]: string[]): Promise<number> {
  const subgraph = readSupergraphConfig().find((s) => s.name === subgraphName);
  if (!subgraph || !name || !/^[a-z0-9]+(_[a-z0-9]+)*$/.test(name)) {
    process.stderr.write('usage: migration <subgraph> <snake_case_name>\n');
    return 2;
  }
  const sql = await pendingMigrationSql(subgraph);
  if (!sql) {
    process.stdout.write('schema.prisma already matches the migrations: nothing to write\n');
    return 0;
  }
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const dir = join(subgraph.packageDir, 'prisma', 'migrations', `${stamp}_${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'migration.sql'), `${sql}\n`);
  process.stdout.write(`wrote ${relative(process.cwd(), join(dir, 'migration.sql'))}\n`);
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
