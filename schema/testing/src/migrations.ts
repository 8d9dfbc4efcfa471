import { readSupergraphConfig } from '@bicentennial/schema';
import { pendingMigrationSql } from '@bicentennial/tools/codegen';

/**
 * SQL that would take a database migrated with the committed migrations to what the subgraph's
 * schema.prisma describes: empty when they agree (Prisma introspects a scratch database the
 * committed migrations were applied to, and diffs it against schema.prisma).
 */
export async function migrationDrift(subgraph: string): Promise<string> {
  const config = readSupergraphConfig().find((s) => s.name === subgraph);
  if (!config) throw new Error(`no subgraph named ${subgraph} in the supergraph config`);
  return pendingMigrationSql(config);
}
