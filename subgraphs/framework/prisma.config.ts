import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { defineConfig } from 'prisma/config';

// The CLI runs offline: the WASM schema engine (engine: 'js') over an in-memory PGlite. It is
// used to author migrations (`migrate diff`) and generate the client, never to apply migrations
// (the subgraph applies its committed SQL itself at start).
export default defineConfig({
  schema: 'prisma/schema.prisma',
  experimental: { adapter: true },
  engine: 'js',
  adapter: async () => new PrismaPGlite(new PGlite()),
});
