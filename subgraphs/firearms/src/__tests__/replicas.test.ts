import { randomUUID } from 'node:crypto';
import { followOtherWriters, openDatabase, snapshotsInStep, type SnapshotFollower } from '@bicentennial/subgraph-kit';
import { describeOnPostgres, startTestSubgraph, type TestSubgraph } from '@bicentennial/testing';
import { silentLogger } from '@bicentennial/service';
import * as firearms from '../server';
import type { PrismaClient } from '../generated/prisma/client';

const ENTITIES = `#graphql
query ($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on FirearmsIndicator { id observations { period value } } }
}`;
const SUBMIT = `#graphql
mutation ($input: ObservationInput!, $submission: SubmissionInput!) {
  submitFirearmsObservation(input: $input, submission: $submission) { period value }
}`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/**
 * Two replicas of the subgraph on one PostgreSQL database, each with its reference data in
 * memory: a write committed by one is what the other serves next, as soon as PostgreSQL has
 * delivered the commit's notification, and a replica whose listening connection is cut serves
 * from the database until it listens again.
 */
describeOnPostgres()('two firearms replicas on one PostgreSQL database', () => {
  let writer: TestSubgraph<PrismaClient>;
  let reader: TestSubgraph<PrismaClient>;
  let followers: SnapshotFollower[];
  let indicatorId: string;
  let sourceId: string;

  beforeAll(async () => {
    writer = await startTestSubgraph(firearms, { on: 'postgres' });
    const url = writer.postgresUrl!;
    reader = await startTestSubgraph(firearms, {
      database: await openDatabase({ kind: 'postgres', url, poolSize: 4 }),
      seed: false,
    });
    followers = [writer, reader].map((replica) =>
      followOtherWriters({ client: replica.prisma, url, logger: silentLogger, service: 'firearms' }),
    );
    await until('both replicas listening', () => Promise.resolve(followers.every((f) => f.inStep) ? true : undefined));
    indicatorId = (await writer.prisma.indicator.findFirstOrThrow({ orderBy: { id: 'asc' } })).id;
    sourceId = (await writer.prisma.source.findFirstOrThrow({ where: { kind: 'OFFICIAL' } })).id;
  }, 120_000);
  afterAll(async () => {
    await Promise.all(followers.map((f) => f.close()));
    await reader?.close();
    await writer?.close();
  });

  const periods = async (replica: TestSubgraph<PrismaClient>) => {
    const { data, errors } = await replica.execute<{
      _entities: { observations: { period: string; value: number }[] }[];
    }>(ENTITIES, { representations: [{ __typename: 'FirearmsIndicator', id: indicatorId }] });
    expect(errors).toBeUndefined();
    return data!._entities[0]!.observations.map((o) => `${o.period}=${o.value}`);
  };
  const submit = async (period: string, value: number) => {
    const { errors } = await writer.execute(SUBMIT, {
      input: { indicatorId, period, periodKind: 'CALENDAR_YEAR', value, region: 'MX', status: 'FINAL', sourceId },
      submission: { idempotencyKey: randomUUID() },
    });
    expect(errors).toBeUndefined();
  };

  it('serves a write committed by the other replica, not its own stale snapshot', async () => {
    await periods(reader);
    reader.statements.reset();
    expect(await periods(reader)).not.toContain('1951=51');
    // Held in memory: no SQL.
    expect(reader.statements.count).toBe(0);
    await submit('1951', 51);
    // Delivered at the commit: within milliseconds; bounded generously on a shared machine.
    const seen = await until('the reader to serve the write', async () => {
      const now = await periods(reader);
      return now.includes('1951=51') ? now : undefined;
    });
    expect(seen).toContain('1951=51');
    expect(reader.statements.count).toBeGreaterThan(0);
    // And then from memory again.
    reader.statements.reset();
    await periods(reader);
    expect(reader.statements.count).toBe(0);
  });

  it('reads from the database while its listening connection is cut, and from memory once it listens again', async () => {
    await periods(reader);
    const cut = await writer.prisma.$queryRawUnsafe<{ cut: boolean }[]>(
      `SELECT pg_terminate_backend(pid) AS cut FROM pg_stat_activity
          WHERE datname = current_database() AND application_name LIKE 'firearms-snapshots-%'`,
    );
    expect(cut).toEqual([{ cut: true }, { cut: true }]);
    await until('the reader to notice', () => Promise.resolve(snapshotsInStep(reader.prisma) ? undefined : true));
    // Out of step: every read goes to the database, so a write made now is seen at once.
    reader.statements.reset();
    await periods(reader);
    await periods(reader);
    expect(reader.statements.count).toBeGreaterThanOrEqual(2);
    await submit('1952', 52);
    expect(await periods(reader)).toContain('1952=52');
    await until('both replicas listening again', () =>
      Promise.resolve(followers.every((f) => f.inStep) ? true : undefined),
    );
    await periods(reader);
    reader.statements.reset();
    await periods(reader);
    expect(reader.statements.count).toBe(0);
    await submit('1953', 53);
    await until('the reader to serve the write after the reconnection', async () =>
      (await periods(reader)).includes('1953=53') ? true : undefined,
    );
  });
});
