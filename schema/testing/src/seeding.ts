import { createTestKeys } from './keys';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BaseContext } from '@apollo/server';
import { silentLogger, type Profile } from '@bicentennial/service';
import {
  migrate,
  openDatabase,
  readSubgraphEnv,
  seedDatabase,
  startSubgraph,
  type Database,
  type PrismaLike,
  type RunningSubgraph,
  type SeedPlan,
  type SqlConnection,
  type SubgraphProgram,
} from '@bicentennial/subgraph-kit';
import { createThrowawayDatabase, describeOnPostgres } from './postgres';

/** What a subgraph's server module exports, as the runtime starts it. */
export interface SeedingModule<P extends PrismaLike, C extends BaseContext> {
  SUBGRAPH_NAME: string;
  MIGRATIONS_DIR: string;
  createPrisma: SubgraphProgram<P, C>['createPrisma'];
  createServer: SubgraphProgram<P, C>['createServer'];
  createContext: SubgraphProgram<P, C>['createContext'];
  seed: SubgraphProgram<P, C>['seed'];
}

/** Rows per table. */
export type TableCounts = Record<string, number>;

/** Rows per table whose source (`sourceId` → "Source") is of each kind; "Source" counts its own rows. */
export interface CountsBySourceKind {
  OFFICIAL: TableCounts;
  NON_OFFICIAL: TableCounts;
  SYNTHETIC: TableCounts;
}

const publicTables = async (connection: SqlConnection) =>
  (
    await connection.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables
       WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations'
       ORDER BY table_name`,
    )
  ).map((row) => row.table_name);

/** Every table's row count (the seed's bookkeeping included). */
export async function tableCounts(connection: SqlConnection): Promise<TableCounts> {
  const counts: TableCounts = {};
  for (const table of await publicTables(connection)) {
    const [row] = await connection.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}"`);
    counts[table] = row?.n ?? 0;
  }
  return counts;
}

/**
 * Rows by the kind of their source, for every table with a `sourceId`, and "Source" itself: what
 * a profile loaded, told apart by the provenance the graph shows (OFFICIAL, NON_OFFICIAL or SYNTHETIC).
 */
export async function countsBySourceKind(connection: SqlConnection): Promise<CountsBySourceKind> {
  const tables = (
    await connection.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.columns
       WHERE table_schema = 'public' AND column_name = 'sourceId' ORDER BY table_name`,
    )
  ).map((row) => row.table_name);
  const out: CountsBySourceKind = { OFFICIAL: {}, NON_OFFICIAL: {}, SYNTHETIC: {} };
  const add = (table: string, rows: { kind: string; n: number }[]) => {
    for (const { kind, n } of rows) {
      if (!Object.hasOwn(out, kind)) throw new Error(`${table}: unknown source kind ${kind}`);
      out[kind as keyof CountsBySourceKind][table] = n;
    }
  };
  add(
    'Source',
    await connection.query<{ kind: string; n: number }>(
      'SELECT "kind"::text AS kind, count(*)::int AS n FROM "Source" GROUP BY 1',
    ),
  );
  for (const table of tables) {
    add(
      table,
      await connection.query<{ kind: string; n: number }>(
        `SELECT s."kind"::text AS kind, count(*)::int AS n FROM "${table}" r JOIN "Source" s ON s."id" = r."sourceId" GROUP BY 1`,
      ),
    );
  }
  return out;
}

const seedHistory = (connection: SqlConnection) =>
  connection.query<{ part: string; profile: string }>('SELECT "part", "profile" FROM "SeedHistory" ORDER BY "part"');

/**
 * The seeding tests every subgraph with synthetic data must pass, registered in the calling file:
 * production loads the published reference data and no synthetic row; development adds the
 * synthetic sample on the first seed only, so rows an operator deletes stay deleted; and on
 * PostgreSQL, two replicas starting together load the reference data exactly once. They count
 * rows by the kind of their source, on one in-memory PGlite database emptied between tests.
 */
export function seedingSuite<P extends PrismaLike, C extends BaseContext>(
  module: SeedingModule<P, C>,
  expected: {
    /** Tables the published reference data fills (each must get OFFICIAL or NON_OFFICIAL rows in both profiles). */
    referenceTables: string[];
    /** Rows the synthetic sample adds per table. */
    syntheticSample: TableCounts;
  },
): void {
  const development: SeedPlan = { profile: 'development', syntheticSample: true };
  const production: SeedPlan = { profile: 'production', syntheticSample: false };

  describe(`${module.SUBGRAPH_NAME} seeding by profile`, () => {
    let database: Database;
    let prisma: P;

    beforeAll(async () => {
      database = await openDatabase({ kind: 'pglite' });
      await migrate(database, module.MIGRATIONS_DIR, silentLogger);
      prisma = module.createPrisma(database.adapter);
    });
    afterAll(async () => {
      await prisma?.$disconnect();
      await database?.close();
    });
    /** Every table emptied, as a new database would be (the migrations stay applied). */
    const empty = () =>
      database.withConnection(async (connection) => {
        const tables = await publicTables(connection);
        await connection.exec(`TRUNCATE ${tables.map((t) => `"${t}"`).join(', ')} RESTART IDENTITY CASCADE`);
      });
    beforeEach(empty);

    /** One start's seed, as the runtime runs it: under `migrate`'s lock, by the plan. */
    const start = (plan: SeedPlan) =>
      migrate(database, module.MIGRATIONS_DIR, silentLogger, (connection) =>
        seedDatabase(connection, plan, (options) => module.seed(prisma, silentLogger, options), silentLogger).then(
          () => undefined,
        ),
      );
    const counts = () => database.withConnection(countsBySourceKind);
    /** The rows of the published reference data (every kind of source but SYNTHETIC). */
    const published = ({ OFFICIAL, NON_OFFICIAL }: CountsBySourceKind) => ({ OFFICIAL, NON_OFFICIAL });
    const history = () => database.withConnection(seedHistory);
    const deleteSynthetic = () =>
      database.withConnection(async (connection) => {
        const tables = Object.keys((await countsBySourceKind(connection)).SYNTHETIC).filter((t) => t !== 'Source');
        for (const table of tables) {
          await connection.query(
            `DELETE FROM "${table}" WHERE "sourceId" IN (SELECT "id" FROM "Source" WHERE "kind" = 'SYNTHETIC')`,
          );
        }
        return tables;
      });

    it('production loads the published reference data and no synthetic row', async () => {
      await start(production);
      const loaded = await counts();
      expect(loaded.SYNTHETIC).toEqual({});
      for (const table of expected.referenceTables) {
        expect((loaded.OFFICIAL[table] ?? 0) + (loaded.NON_OFFICIAL[table] ?? 0)).toBeGreaterThan(0);
      }
      expect(await history()).toEqual([{ part: 'reference', profile: 'production' }]);
    });

    it('development loads the same reference data and the synthetic sample', async () => {
      await start(production);
      const reference = published(await counts());
      await empty();
      await start(development);
      const loaded = await counts();
      expect(published(loaded)).toEqual(reference);
      expect(loaded.SYNTHETIC).toEqual({ Source: 1, ...expected.syntheticSample });
      expect(await history()).toEqual([
        { part: 'reference', profile: 'development' },
        { part: 'synthetic-sample', profile: 'development' },
      ]);
    });

    it('development does not load the synthetic sample again after its rows are deleted', async () => {
      await start(development);
      const reference = published(await counts());
      expect((await deleteSynthetic()).sort()).toEqual(Object.keys(expected.syntheticSample).sort());
      await start(development);
      const after = await counts();
      // Only the synthetic source row is left, and nothing points at it.
      expect(after.SYNTHETIC).toEqual({ Source: 1 });
      expect(published(after)).toEqual(reference);
    });

    it('development gives no sample to a database first seeded in production', async () => {
      await start(production);
      await start(development);
      expect((await counts()).SYNTHETIC).toEqual({});
      expect(await history()).toEqual([{ part: 'reference', profile: 'production' }]);
    });

    it('development with SYNTHETIC_SAMPLE=false loads reference data only, and later starts add no sample', async () => {
      await start({ profile: 'development', syntheticSample: false });
      const first = await counts();
      expect(first.SYNTHETIC).toEqual({});
      await start(development);
      expect(await counts()).toEqual(first);
      expect(await history()).toEqual([{ part: 'reference', profile: 'development' }]);
    });
  });

  replicaSeedingSuite(module);
}

/**
 * On PostgreSQL (skipped when the server is not there, unless REQUIRE_POSTGRES=true): two
 * production replicas of the subgraph starting together on one empty database, each with its own
 * pool of one connection, both start, and the database holds exactly what one seed loads.
 */
export function replicaSeedingSuite<P extends PrismaLike, C extends BaseContext>(module: SeedingModule<P, C>): void {
  const production: SeedPlan = { profile: 'production', syntheticSample: false };
  describeOnPostgres()(`${module.SUBGRAPH_NAME} seeding on PostgreSQL`, () => {
    it('two replicas starting together load the reference data exactly once', async () => {
      // What one production seed loads, from the embedded database: the count to match.
      const single = await openDatabase({ kind: 'pglite' });
      let expectedCounts: TableCounts;
      try {
        const prisma = module.createPrisma(single.adapter);
        await migrate(single, module.MIGRATIONS_DIR, silentLogger, (connection) =>
          seedDatabase(
            connection,
            production,
            (options) => module.seed(prisma, silentLogger, options),
            silentLogger,
          ).then(() => undefined),
        );
        expectedCounts = await single.withConnection(tableCounts);
        await prisma.$disconnect();
      } finally {
        await single.close();
      }

      const throwaway = await createThrowawayDatabase();
      const scratch = mkdtempSync(join(tmpdir(), `bicentennial-seeding-${module.SUBGRAPH_NAME}-`));
      const replicas: RunningSubgraph<P>[] = [];
      const keys = await createTestKeys();
      try {
        // A pool of one: the seed must not wait for the connection that holds the lock.
        const env = readSubgraphEnv(
          { port: 0, pgliteDir: join(scratch, 'unused') },
          {
            PROFILE: 'production' satisfies Profile,
            DATABASE_URL: throwaway.url,
            DB_POOL_SIZE: '1',
            LOG_LEVEL: 'silent',
            GATEWAY_JWKS_PATH: keys.internalJwksPath,
          },
        );
        const program: SubgraphProgram<P, C> = {
          name: module.SUBGRAPH_NAME,
          env,
          migrationsDir: module.MIGRATIONS_DIR,
          createPrisma: (adapter) => module.createPrisma(adapter),
          seed: (prisma, logger, options) => module.seed(prisma, logger, options),
          createServer: (logger) => module.createServer(logger),
          createContext: (prisma, caller) => module.createContext(prisma, caller),
        };
        const started = await Promise.allSettled([
          startSubgraph(program, silentLogger),
          startSubgraph(program, silentLogger),
        ]);
        for (const result of started) if (result.status === 'fulfilled') replicas.push(result.value);
        expect(started.map((result) => (result.status === 'rejected' ? String(result.reason) : 'started'))).toEqual([
          'started',
          'started',
        ]);
        const database = replicas[0]!.database;
        expect(await database.withConnection(tableCounts)).toEqual(expectedCounts);
        expect(await database.withConnection(seedHistory)).toEqual([{ part: 'reference', profile: 'production' }]);
      } finally {
        await Promise.all(replicas.map((replica) => replica.stop()));
        await throwaway.drop();
        rmSync(scratch, { recursive: true, force: true });
        keys.remove();
      }
    }, 120_000);
  });
}
