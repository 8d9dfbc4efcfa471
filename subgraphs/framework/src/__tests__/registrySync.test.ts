import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  configureWrites,
  readSubgraphEnv,
  startSubgraph,
  type RunningSubgraph,
  type SubgraphProgram,
} from '@bicentennial/subgraph-kit';
import { createLogger, silentLogger, type Logger, type Profile } from '@bicentennial/service';
import { createTestKeys, createThrowawayDatabase, describeOnPostgres, startTestSubgraph } from '@bicentennial/testing';
import type { Context } from '../context';
import type { PrismaClient } from '../generated/prisma/client';
import { readFrameworkSeed } from '../seed';
import * as framework from '../server';

/** Where syncRegistry orders indicators no longer in the file: from here on (seed.ts, STALE_POSITION). */
const STALE_POSITION = 100_000;
const STALE_REPORT = 'indicators in the database are not in the registry file';

const { indicators } = readFrameworkSeed();
const seedIds = indicators.map((i) => i.id);
const inObjective = (objectiveId: string) => indicators.filter((i) => i.objectiveId === objectiveId);

/** Every column of the registry, in one order: what two databases are compared on. */
const registry = (prisma: PrismaClient) =>
  prisma.indicator.findMany({ orderBy: [{ objectiveId: 'asc' }, { position: 'asc' }, { id: 'asc' }] });
type Row = Awaited<ReturnType<typeof registry>>[number];

/** The reference data besides the registry, and the seed history: what the registry sync leaves as it is. */
const catalogue = async (prisma: PrismaClient) => ({
  framework: await prisma.framework.findMany({ orderBy: { id: 'asc' } }),
  goals: await prisma.goal.findMany({ orderBy: { id: 'asc' } }),
  areas: await prisma.cooperationArea.findMany({ orderBy: { id: 'asc' } }),
  objectives: await prisma.jointObjective.findMany({ orderBy: { id: 'asc' } }),
  regions: await prisma.region.findMany({ orderBy: { code: 'asc' } }),
  seedHistory: await prisma.seedHistory.findMany({ orderBy: { part: 'asc' } }),
});

/** The registry the file gives, field by field: positions 0, 1, … per objective in file order. */
function fileRegistry(): Row[] {
  const order = new Map<string, number>();
  return indicators
    .map((i) => {
      const position = order.get(i.objectiveId) ?? 0;
      order.set(i.objectiveId, position + 1);
      return {
        id: i.id,
        objectiveId: i.objectiveId,
        owner: i.owner,
        position,
        nameEn: i.name.en,
        nameEs: i.name.es,
        unitEn: i.unit.en,
        unitEs: i.unit.es,
        descriptionEn: i.description.en,
        descriptionEs: i.description.es,
        partOfId: i.partOf?.id ?? null,
        partOfNoteEn: i.partOf?.note.en ?? null,
        partOfNoteEs: i.partOf?.note.es ?? null,
      };
    })
    .sort((a, b) => a.objectiveId.localeCompare(b.objectiveId) || a.position - b.position);
}

// An older release's registry: each difference something syncRegistry repairs.
const REVERSED = '1.3.1'; // an objective whose indicators were in the opposite order
const MISSING = '2.2.1/mx-traced-handguns-share'; // not in the older file: the ones before it one place later
const RENAMED = '2.1.5/express-consignment-fentanyl-incidents'; // another name, unit and description
const REOWNED = '3.1.2/financial-crime-prosecutions'; // another owner
const UNNESTED = '2.1.2/tucson-field-office-fentanyl-seizures'; // its nested total not declared yet
const NESTED = '1.3.1/mx-homicide-rate'; // a nested total the file no longer declares
const missing = indicators.find((i) => i.id === MISSING)!;
const WITHDRAWN_FROM = missing.objectiveId;
const missingAt = inObjective(WITHDRAWN_FROM).indexOf(missing);

/**
 * And two indicators the file no longer has, which syncRegistry leaves in place (their owner may
 * still hold values) and orders after the file's: one an earlier start already moved there, and
 * one first in its objective, a position the file now gives another.
 */
const withdrawn = (slug: string, position: number): Row => ({
  id: `${WITHDRAWN_FROM}/${slug}`,
  objectiveId: WITHDRAWN_FROM,
  owner: missing.owner,
  position,
  nameEn: `Withdrawn (${slug})`,
  nameEs: `Retirado (${slug})`,
  unitEn: 'units',
  unitEs: 'unidades',
  descriptionEn: 'No longer in the registry file',
  descriptionEs: 'Ya no está en el registro',
  partOfId: inObjective(WITHDRAWN_FROM)[0]!.id,
  partOfNoteEn: 'A withdrawn part',
  partOfNoteEs: 'Una parte retirada',
});
const withdrawnEarlier = withdrawn('withdrawn-earlier', STALE_POSITION);
const withdrawnNow = withdrawn('withdrawn-now', 0);
const withdrawnIds = [withdrawnEarlier.id, withdrawnNow.id];

/** Writes the older release's registry over a database the current seed loaded. */
async function makeOlder(prisma: PrismaClient): Promise<void> {
  await prisma.$transaction([
    // Positions move out of the way first: (objective, position) is unique.
    prisma.$executeRaw`UPDATE "Indicator" SET "position" = -1 - "position" WHERE "objectiveId" = ${REVERSED}`,
    prisma.$executeRaw`UPDATE "Indicator" SET "position" = ${inObjective(REVERSED).length - 1} + (1 + "position")
      WHERE "objectiveId" = ${REVERSED}`,
    prisma.indicator.delete({ where: { id: MISSING } }),
    // Those before the missing one one place later: position 0 is the withdrawn indicator's.
    prisma.$executeRaw`UPDATE "Indicator" SET "position" = -1 - "position"
      WHERE "objectiveId" = ${WITHDRAWN_FROM} AND "position" < ${missingAt}`,
    prisma.$executeRaw`UPDATE "Indicator" SET "position" = -"position"
      WHERE "objectiveId" = ${WITHDRAWN_FROM} AND "position" < 0`,
    prisma.indicator.update({
      where: { id: RENAMED },
      data: {
        nameEn: 'An older name',
        nameEs: 'Un nombre anterior',
        unitEn: 'older units',
        unitEs: 'unidades anteriores',
        descriptionEn: 'An older description',
        descriptionEs: 'Una descripción anterior',
      },
    }),
    prisma.indicator.update({ where: { id: REOWNED }, data: { owner: 'EXTRADITION' } }),
    prisma.indicator.update({
      where: { id: UNNESTED },
      data: { partOfId: null, partOfNoteEn: null, partOfNoteEs: null },
    }),
    prisma.indicator.update({
      where: { id: NESTED },
      data: { partOfId: `${REVERSED}/mx-homicides`, partOfNoteEn: 'An older note', partOfNoteEs: 'Una nota anterior' },
    }),
    prisma.indicator.createMany({ data: [withdrawnEarlier, withdrawnNow] }),
  ]);
  // What the older registry is, checked: the changes took.
  const older = await registry(prisma);
  expect(older.filter((r) => r.objectiveId === REVERSED).map((r) => r.id)).toEqual(
    inObjective(REVERSED)
      .map((i) => i.id)
      .reverse(),
  );
  expect(older.filter((r) => r.objectiveId === WITHDRAWN_FROM).map((r) => [r.id, r.position])).toEqual([
    [withdrawnNow.id, 0],
    ...inObjective(WITHDRAWN_FROM)
      .filter((i) => i.id !== MISSING)
      .map((i, n) => [i.id, n + 1]),
    [withdrawnEarlier.id, STALE_POSITION],
  ]);
  expect(older.find((r) => r.id === RENAMED)).toMatchObject({ nameEn: 'An older name' });
  expect(older.find((r) => r.id === REOWNED)).toMatchObject({ owner: 'EXTRADITION' });
  expect(older.find((r) => r.id === UNNESTED)).toMatchObject({ partOfId: null });
  expect(older.find((r) => r.id === NESTED)).toMatchObject({ partOfId: `${REVERSED}/mx-homicides` });
}

/** A logger that records what is warned instead of writing it (no test writes to the console or stdout). */
function recordingLogger(): { logger: Logger; reported: () => { indicators: string[]; message: unknown }[] } {
  const warnings: unknown[][] = [];
  const logger = createLogger('framework-registry-test', 'warn', {
    hooks: { logMethod: (args) => void warnings.push(args) },
  });
  return {
    logger,
    reported: () =>
      warnings.map(([fields, message]) => ({
        indicators: [...(fields as { indicators: string[] }).indicators].sort(),
        message,
      })),
  };
}

/**
 * What the registry looks like after the seed: the file's indicators exactly as the file has
 * them, the withdrawn ones as they were but ordered after the file's (the earlier one where it
 * was, the newly withdrawn one after it), and no slot of an objective used twice.
 */
function expectSynced(after: Row[]): void {
  expect(after.filter((r) => seedIds.includes(r.id))).toEqual(fileRegistry());
  expect(after.map((r) => r.id).sort()).toEqual([...seedIds, ...withdrawnIds].sort());
  const slots = after.map((r) => `${r.objectiveId}@${r.position}`);
  expect(new Set(slots).size).toBe(slots.length);
  const stale = after.filter((r) => !seedIds.includes(r.id));
  expect(stale).toEqual([withdrawnEarlier, { ...withdrawnNow, position: expect.any(Number) }]);
  expect(stale[1]!.position).toBeGreaterThan(STALE_POSITION);
  expect(after.filter((r) => r.objectiveId === WITHDRAWN_FROM).map((r) => r.id)).toEqual([
    ...inObjective(WITHDRAWN_FROM).map((i) => i.id),
    withdrawnEarlier.id,
    withdrawnNow.id,
  ]);
}

describe('framework registry sync', () => {
  it('brings an older registry to the file at start even when an objective already holds a withdrawn indicator, and a second start changes nothing', async () => {
    // The newly withdrawn indicator was first in its objective, as the earlier one once was: both
    // would be ordered at STALE_POSITION + 0, and (objective, position) is unique.
    const subgraph = await startTestSubgraph(framework);
    try {
      await makeOlder(subgraph.prisma);
      const before = await catalogue(subgraph.prisma);
      const { logger, reported } = recordingLogger();
      await framework.seed(subgraph.prisma, logger);
      const once = await registry(subgraph.prisma);
      expectSynced(once);
      await framework.seed(subgraph.prisma, logger);
      expect(await registry(subgraph.prisma)).toEqual(once);
      expect(await catalogue(subgraph.prisma)).toEqual(before);
      const report = { indicators: [...withdrawnIds].sort(), message: STALE_REPORT };
      expect(reported()).toEqual([report, report]);
    } finally {
      await subgraph.close();
    }
  });
});

/** Rejects when `promise` has not settled within `ms`, so a start stuck on a lock fails the test and its cleanup still runs. */
function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * On PostgreSQL: two replicas of a new release starting at the same moment over a database an
 * older release seeded, whose indicator registry differs from the file. Each start runs the seed
 * (`syncRegistry`: names, units, descriptions, owners, order and nested totals written over the
 * database in one transaction) under the migration's advisory lock, so they must take turns: the
 * first brings the registry to the file, the second finds it there. The replicas run in this
 * process, each with its own one-connection pools (the advisory lock is a session's, and each
 * start takes it on a connection of its own), so to PostgreSQL they are two clients, as two
 * processes would be.
 */
describeOnPostgres()('framework replicas starting together on PostgreSQL', () => {
  it('two replicas starting at once over a registry an older release seeded both start, write the file’s registry once, in turn, and leave the catalogue and withdrawn indicators alone', async () => {
    // What one start gives a new database (the file's registry), and what one start gives the
    // older registry (on the embedded database): the two registries to match.
    const reference = await startTestSubgraph(framework);
    let fresh: Row[];
    let oneStart: Row[];
    try {
      fresh = await registry(reference.prisma);
      expect(fresh).toEqual(fileRegistry());
      await makeOlder(reference.prisma);
      await framework.seed(reference.prisma, silentLogger);
      oneStart = await registry(reference.prisma);
    } finally {
      await reference.close();
    }
    expectSynced(oneStart);

    const previousSettings = configureWrites({});
    const throwaway = await createThrowawayDatabase();
    const scratch = mkdtempSync(join(tmpdir(), 'bicentennial-framework-replicas-'));
    const keys = await createTestKeys();
    const replicas: RunningSubgraph<PrismaClient>[] = [];
    try {
      // A pool of one per replica, as the seeding suite's replica test: the seed must not wait
      // for the connection that holds the lock. Loopback only.
      const env = readSubgraphEnv(
        { port: 0, pgliteDir: join(scratch, 'unused') },
        {
          PROFILE: 'production' satisfies Profile,
          DATABASE_URL: throwaway.url,
          DB_POOL_SIZE: '1',
          HOST: '127.0.0.1',
          LOG_LEVEL: 'silent',
          GATEWAY_JWKS_PATH: keys.internalJwksPath,
        },
      );
      // Each seed run, as the runtime calls it (under the lock): when it starts and ends, and
      // whether the registry it found was already the file's; and what it reported.
      const runs: string[] = [];
      const { logger, reported } = recordingLogger();
      const synced = async (prisma: PrismaClient) =>
        JSON.stringify((await registry(prisma)).filter((r) => seedIds.includes(r.id))) === JSON.stringify(fresh);
      const program: SubgraphProgram<PrismaClient, Context> = {
        name: framework.SUBGRAPH_NAME,
        env,
        migrationsDir: framework.MIGRATIONS_DIR,
        createPrisma: (adapter) => framework.createPrisma(adapter),
        seed: async (prisma) => {
          runs.push(`start, ${(await synced(prisma)) ? 'synced' : 'older'}`);
          await framework.seed(prisma, logger);
          runs.push(`end, ${(await synced(prisma)) ? 'synced' : 'older'}`);
        },
        createServer: (serverLogger) => framework.createServer(serverLogger),
        createContext: (prisma, caller) => framework.createContext(prisma, caller),
      };

      // The older release's start, then its registry as that release's file had it.
      const older = await within(30_000, 'the older release’s start', startSubgraph(program, silentLogger));
      let before: Awaited<ReturnType<typeof catalogue>>;
      try {
        await makeOlder(older.prisma);
        before = await catalogue(older.prisma);
      } finally {
        await older.stop();
      }
      expect(runs).toEqual(['start, older', 'end, synced']);
      expect(reported()).toEqual([]);
      runs.length = 0;

      const started = await within(
        60_000,
        'two replicas’ starts',
        Promise.allSettled([startSubgraph(program, silentLogger), startSubgraph(program, silentLogger)]),
      );
      for (const result of started) if (result.status === 'fulfilled') replicas.push(result.value);
      expect(started.map((result) => (result.status === 'rejected' ? String(result.reason) : 'started'))).toEqual([
        'started',
        'started',
      ]);
      // One seed after the other, never both at once: the first finds the older registry and
      // leaves the file's, the second finds the file's already there. (The data alone would not
      // show overlapping seeds: the sync's first statement locks every row of the file's, so a
      // second sync waits for the first to commit; the order does.)
      expect(runs).toEqual(['start, older', 'end, synced', 'start, synced', 'end, synced']);

      const prisma = replicas[0]!.prisma;
      const after = await registry(prisma);
      // Exactly what one start makes of the older registry: the file's indicators as the file has
      // them, once each, in file order; the withdrawn ones as they were, after the file's (the
      // newly withdrawn one moved there once, not again by the second start).
      expect(after).toEqual(oneStart);
      expectSynced(after);
      // Each start reported the withdrawn indicators, and nothing else.
      const report = { indicators: [...withdrawnIds].sort(), message: STALE_REPORT };
      expect(reported()).toEqual([report, report]);
      // The rest of the reference data, and the seed history (one production seed), untouched.
      expect(await catalogue(prisma)).toEqual(before);
      expect(before.seedHistory.map(({ part, profile }) => ({ part, profile }))).toEqual([
        { part: 'reference', profile: 'production' },
      ]);
      // And the other replica reads the same registry.
      expect(await registry(replicas[1]!.prisma)).toEqual(after);
    } finally {
      await Promise.all(replicas.map((replica) => replica.stop()));
      configureWrites(previousSettings);
      await throwaway.drop();
      rmSync(scratch, { recursive: true, force: true });
      keys.remove();
    }
  }, 120_000);
});
