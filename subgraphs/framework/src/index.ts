import { runSubgraph } from '@bicentennial/subgraph-kit';
import { readEnv } from './env';
import { createContext, createPrisma, createServer, MIGRATIONS_DIR, seed, SUBGRAPH_NAME } from './server';

void runSubgraph(() => ({
  name: SUBGRAPH_NAME,
  env: readEnv(),
  migrationsDir: MIGRATIONS_DIR,
  createPrisma,
  seed,
  createServer,
  createContext,
}));
