import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { defineConfig } from 'prisma/config';

// The CLI runs offline: the WASM schema engine (engine: 'js') over PGlite, in memory or in the
// data directory PGLITE_DIR names. It generates the client and introspects migrated scratch
// databases (schema/tools/src/codegen/prisma.ts); it never applies migrations: each subgraph applies
// its committed SQL itself at start.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  experimental: { adapter: true },
  engine: 'js',
  adapter: () => Promise.resolve(new PrismaPGlite(new PGlite(process.env['PGLITE_DIR']))),
});
