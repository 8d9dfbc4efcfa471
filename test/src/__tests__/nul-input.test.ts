import { randomUUID } from 'node:crypto';
import { ALL_SCOPES } from '@bicentennial/schema';
import { startInProcessGraph, type InProcessGraph } from '../inProcess';
import { post, type GraphQLResponse } from '../operations';

/** What the client must be told of a text holding U+0000, and nothing more. */
const NUL_MESSAGE = /a text may not contain the NUL character \(U\+0000\)/;

/** Anything of the database or the server's insides an answer must never show. */
const LEAKS =
  /invalid byte sequence|0x00|UTF8|prisma|postgres|pglite|select |insert |\/work\/|node_modules|\bat \w|\.ts:\d/i;

const OBSERVATION = `#graphql
mutation Submit($input: ObservationInput!, $submission: SubmissionInput!) {
  submitFirearmsObservation(input: $input, submission: $submission) { period note }
}`;

/**
 * A string argument holding the NUL character (U+0000), which PostgreSQL and PGlite can neither
 * store nor compare, through the real gateway over the real subgraphs (PGlite): each subgraph
 * refuses it before any resolver runs, and the client is told BAD_USER_INPUT naming the argument,
 * never INTERNAL_SERVER_ERROR. A write with a NUL in a variable of its input stores nothing.
 */
describe('arguments holding the NUL character, end to end', () => {
  let graph: InProcessGraph;
  let analyst: string;

  beforeAll(async () => {
    graph = await startInProcessGraph();
    analyst = await graph.token({ subject: 'nul-analyst', agency: 'ATF', country: 'US', scopes: [...ALL_SCOPES] });
  }, 240_000);
  afterAll(() => graph?.stop());

  /** Posts as the analyst; returns each error's [code, field] and the whole answer. */
  const ask = async (query: string, variables?: Record<string, unknown>) => {
    const answer = await post(graph.gatewayUrl, query, variables, { token: analyst });
    return {
      ...answer,
      refusals: (answer.body.errors ?? []).map((e) => [e.extensions?.['code'], e.extensions?.['field']]),
    };
  };
  const expectClean = (body: GraphQLResponse) => {
    for (const error of body.errors ?? []) {
      expect(error.message).toMatch(NUL_MESSAGE);
      expect(error.message).not.toMatch(LEAKS);
      expect(error.extensions?.['code']).not.toBe('INTERNAL_SERVER_ERROR');
      expect(error.extensions?.['stacktrace']).toBeUndefined();
    }
    expect(JSON.stringify(body)).not.toMatch(LEAKS);
  };

  it.each([
    ['programme', '{ programme(recordId: "a\\u0000b") { id } }', 'recordId'],
    ['extraditionCase', '{ extraditionCase(recordId: "\\u0000") { id } }', 'recordId'],
    ['financialAdvisory', '{ financialAdvisory(id: "\\u0000") { id } }', 'id'],
    ['auditEvents', '{ auditEvents(subject: "\\u0000") { totalCount } }', 'subject'],
    ['auditEventAggregates', '{ auditEventAggregates(subject: "\\u0000") { count } }', 'subject'],
  ])('%s: a NUL in an inline literal is BAD_USER_INPUT naming the argument', async (root, query, field) => {
    const answer = await ask(query);
    expect(answer.status).toBe(200);
    expect(answer.refusals).toEqual([['BAD_USER_INPUT', field]]);
    expect(answer.body.data).toEqual({ [root]: null });
    expectClean(answer.body);
  });

  it('answers a NUL in a variable the same way', async () => {
    const answer = await ask('query ($id: String!) { programme(recordId: $id) { id } }', { id: 'P\u0000' });
    expect(answer.refusals).toEqual([['BAD_USER_INPUT', 'recordId']]);
    expect(answer.body.data).toEqual({ programme: null });
    expectClean(answer.body);
    const audit = await ask('query ($subject: String) { auditEvents(subject: $subject) { totalCount } }', {
      subject: '\u0000',
    });
    expect(audit.refusals).toEqual([['BAD_USER_INPUT', 'subject']]);
    expectClean(audit.body);
  });

  it('refuses a write with a NUL in a variable of its input, storing nothing; a note with other control characters is written', async () => {
    const indicators = await ask('{ objective(id: "2.2.1") { indicators { id } } }');
    const indicatorId = (indicators.body.data as { objective: { indicators: { id: string }[] } }).objective
      .indicators[0]!.id;
    const prisma = graph.handles.firearms.prisma;
    const input = {
      indicatorId,
      period: '2046',
      periodKind: 'CALENDAR_YEAR',
      value: 46,
      region: 'MX',
      status: 'FINAL',
      sourceId: 'gao-09-709',
    };
    const refusedKey = `nul-${randomUUID()}`;
    const refused = await ask(OBSERVATION, {
      input: { ...input, note: 'counted at\u0000the port' },
      submission: { idempotencyKey: refusedKey },
    });
    expect(refused.refusals).toEqual([['BAD_USER_INPUT', 'input.note']]);
    expect(refused.body.data ?? null).toBeNull();
    expectClean(refused.body);
    expect(await prisma.observation.count({ where: { period: '2046' } })).toBe(0);
    expect(await prisma.submission.count({ where: { idempotencyKey: refusedKey } })).toBe(0);

    // The same write with a tab and U+0001 in its note is text PostgreSQL holds: written as given.
    const note = 'counted\tat\u0001the port';
    const written = await ask(OBSERVATION, {
      input: { ...input, note },
      submission: { idempotencyKey: `nul-${randomUUID()}` },
    });
    expect(written.body).toEqual({ data: { submitFirearmsObservation: { period: '2046', note } } });
    const stored = await prisma.observation.findMany({ where: { period: '2046' }, select: { note: true } });
    expect(stored).toEqual([{ note }]);
    await prisma.observation.deleteMany({ where: { period: '2046' } });
  });

  it('answers the same arguments without a NUL as usual', async () => {
    const answer = await ask(
      '{ programme(recordId: "a\\u0001b") { id } financialAdvisory(id: "no\\tsuch") { id } auditEvents(subject: "x\\u0001") { totalCount } }',
    );
    expect(answer.body).toEqual({ data: { programme: null, financialAdvisory: null, auditEvents: { totalCount: 0 } } });
  });
});
