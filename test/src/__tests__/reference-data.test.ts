import { join } from 'node:path';
import { seedDir } from '@bicentennial/seeds';
import { invalidateSnapshots, readIndicatorSeed } from '@bicentennial/subgraph-kit';
import { startInProcessGraph, type InProcessGraph } from '../inProcess';
import { DASHBOARD, expectCompleteDashboard, objectivesOf, post, type DashboardData } from '../operations';

/**
 * The subgraphs serve the catalogue and the indicator values from memory (a snapshot per
 * process, schema/subgraph-kit/src/records/snapshot.ts). Through the real gateway, with its
 * response cache off so that every Dashboard reaches the subgraphs: what a write changed is in
 * the very next answer, for exactly the callers it is released to, and a warm Dashboard sends
 * no SQL at all.
 */
describe('reference data served from memory', () => {
  let graph: InProcessGraph;
  let writer: string;
  let usStaff: string;
  let mexicanStaff: string;
  let serial = 0;
  const seed = readIndicatorSeed(join(seedDir('firearms'), 'indicators.json'));
  const indicatorId = seed.indicators[0]!.id;
  // A source of the indicator's headline family: the Dashboard draws the headline series.
  const headlinePublisher = seed.indicators[0]!.headlinePublisher!;
  const official = seed.sources.find((s) => s.kind === 'OFFICIAL' && s.publisher === headlinePublisher)!;

  const submission = () => ({ idempotencyKey: `reference-data-${process.pid}-${++serial}` });
  const write = async (query: string, variables: Record<string, unknown>) => {
    const { status, body } = await post(graph.gatewayUrl, query, variables, { token: writer });
    expect({ status, errors: body.errors }).toEqual({ status: 200, errors: undefined });
  };
  const submit = (period: string, value: number, releasableTo: 'BOTH' | 'US', sourceId = official.id) =>
    write(
      `#graphql
      mutation ($input: ObservationInput!, $submission: SubmissionInput!) {
        submitFirearmsObservation(input: $input, submission: $submission) { period }
      }`,
      {
        input: {
          indicatorId,
          period,
          periodKind: 'CALENDAR_YEAR',
          value,
          region: 'MX',
          status: 'FINAL',
          sourceId,
          releasableTo,
        },
        submission: submission(),
      },
    );
  /** The indicator's values in a Dashboard asked as `token` (none: the public). */
  const values = async (token?: string) => {
    const { body } = await post<DashboardData>(graph.gatewayUrl, DASHBOARD, undefined, { token });
    expect(body.errors).toBeUndefined();
    const indicator = objectivesOf(body.data!)
      .flatMap((o) => o.indicators)
      .find((i) => i.id === indicatorId)!;
    return indicator.series!.map((o) => ({ period: o.period, value: o.value, publisher: o.source.publisher }));
  };
  const statements = () =>
    Object.fromEntries([...graph.statements].filter(([name]) => name !== 'audit').map(([name, c]) => [name, c.count]));
  const resetStatements = () => {
    for (const counter of graph.statements.values()) counter.reset();
  };

  beforeAll(async () => {
    graph = await startInProcessGraph({ gatewayEnv: { RESPONSE_CACHE: 'off', RESPONSE_CACHE_DEDUPE: 'off' } });
    writer = await graph.token({ subject: 'writer', agency: 'ATF', country: 'US', scopes: ['firearms:write'] });
    usStaff = await graph.token({ subject: 'reader', agency: 'CBP', country: 'US', scopes: [] });
    mexicanStaff = await graph.token({ subject: 'lector', agency: 'FGR', country: 'MX', scopes: [] });
  }, 180_000);
  afterAll(async () => {
    const { prisma } = graph.handles.firearms;
    await prisma.observation.deleteMany({ where: { indicatorId, period: { startsWith: '18' } } });
    await prisma.source.deleteMany({ where: { id: 'reference-data-test-source' } });
    invalidateSnapshots(prisma);
    await graph.stop();
  });

  it('answers a warm Dashboard without one SQL statement, and a complete one', async () => {
    await post(graph.gatewayUrl, DASHBOARD);
    resetStatements();
    const { body } = await post<DashboardData>(graph.gatewayUrl, DASHBOARD);
    expect(body.errors).toBeUndefined();
    expectCompleteDashboard(body.data);
    expect(statements()).toEqual({
      framework: 0,
      'public-health': 0,
      'border-trade': 0,
      firearms: 0,
      finance: 0,
      extradition: 0,
    });
  });

  it('answers a value written through the mutation in the next Dashboard, to the callers it is released to', async () => {
    const before = await values();
    await submit('1801', 18.01, 'BOTH');
    // The write dropped firearms' snapshot: the next Dashboard reloads it (its seven statements:
    // indicators; values, targets and baselines, each with their sources), then none again.
    resetStatements();
    const after = await values();
    expect(after).toEqual(expect.arrayContaining([{ period: '1801', value: 18.01, publisher: official.publisher }]));
    expect(after).toHaveLength(before.length + 1);
    expect(statements()['firearms']).toBe(7);
    resetStatements();
    expect(await values()).toEqual(after);
    expect(statements()['firearms']).toBe(0);

    // Released to the United States only: U.S. staff see it, Mexican staff and the public do not.
    await submit('1802', 18.02, 'US');
    const only = (rows: { period: string }[]) => rows.filter((r) => r.period.startsWith('18')).map((r) => r.period);
    expect(only(await values(usStaff))).toEqual(['1801', '1802']);
    expect(only(await values(mexicanStaff))).toEqual(['1801']);
    expect(only(await values())).toEqual(['1801']);
  });

  it('answers a new source and its values, and nothing of a write that was refused', async () => {
    await write(
      `#graphql
      mutation ($input: SourceInput!, $submission: SubmissionInput!) {
        registerFirearmsSource(input: $input, submission: $submission) { id }
      }`,
      {
        input: {
          id: 'reference-data-test-source',
          publisher: headlinePublisher,
          title: 'A test publication (reference-data test)',
          kind: 'OFFICIAL',
        },
        submission: submission(),
      },
    );
    await submit('1803', 18.03, 'BOTH', 'reference-data-test-source');
    expect(await values()).toEqual(
      expect.arrayContaining([{ period: '1803', value: 18.03, publisher: headlinePublisher }]),
    );

    // Another value under 1801's key: a CONFLICT, nothing written, the answer unchanged.
    const before = await values();
    const { body } = await post(
      graph.gatewayUrl,
      `#graphql
      mutation ($input: ObservationInput!, $submission: SubmissionInput!) {
        submitFirearmsObservation(input: $input, submission: $submission) { period }
      }`,
      {
        input: {
          indicatorId,
          period: '1801',
          periodKind: 'CALENDAR_YEAR',
          value: 1,
          region: 'MX',
          status: 'FINAL',
          sourceId: official.id,
        },
        submission: submission(),
      },
      { token: writer },
    );
    expect(body.errors?.map((e) => e.extensions?.['code'])).toEqual(['CONFLICT']);
    expect(await values()).toEqual(before);
  });
});
