import { startTestSubgraph, type TestSubgraph } from '@bicentennial/testing';
import * as borderTrade from '@bicentennial/subgraph-border-trade';

/** A cursor as a client could forge one: any JSON, base64url-encoded like the real ones. */
const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const ID = '0b6a4a3e-6c1f-4c9e-9d7a-2f1f3c6b8e10';

/** Cursors that are not positions in a list, each with why not. */
const MALFORMED: [string, string][] = [
  ['values of the wrong type', forged(['x', 'y'])],
  ['a number where the sort column is a date', forged([1_700_000_000_000, ID])],
  ['a date that is not a date', forged(['2024-02-30', ID])],
  ['a timestamp that is not a timestamp', forged(['2024-13-01T00:00:00.000Z', ID])],
  ['text where the date goes', forged(['yesterday', ID])],
  ['an id that is not a uuid', forged(['2024-03-01T00:00:00.000Z', 'y'])],
  ['a null sort value', forged([null, ID])],
  ['one value', forged(['2024-03-01T00:00:00.000Z'])],
  ['three values', forged(['2024-03-01T00:00:00.000Z', ID, ID])],
  ['an object', forged({ sort: '2024-03-01T00:00:00.000Z', id: ID })],
  ['not JSON', Buffer.from('not json').toString('base64url')],
  ['not base64', '%%%%'],
];

const ROOT_PAGE = `#graphql
  query ($after: String) {
    drugSeizures(first: 2, after: $after) { nodes { id } pageInfo { endCursor } }
  }`;
const CHILD_PAGE = `#graphql
  query ($after: String) {
    portOfEntry(code: "2304") { drugSeizures(first: 2, after: $after) { nodes { id } pageInfo { endCursor } } }
  }`;

interface PageData {
  nodes: { id: string }[];
  pageInfo: { endCursor: string | null };
}

describe('a cursor that is not one of ours', () => {
  let subgraph: TestSubgraph<ReturnType<typeof borderTrade.createPrisma>>;

  beforeAll(async () => {
    subgraph = await startTestSubgraph(borderTrade);
  });
  afterAll(() => subgraph?.close());

  it('fails only the fields given a bad cursor: the other pages loaded with it still answer', async () => {
    const { data, errors } = await subgraph.execute(
      `#graphql
      query ($after: String) {
        bad: portOfEntry(code: "2304") { drugSeizures(first: 2, after: $after) { nodes { id } } }
        good: portOfEntry(code: "2304") { drugSeizures(first: 3) { nodes { id } } }
      }`,
      { after: forged(['x', 'y']) },
    );
    expect(errors).toEqual([
      expect.objectContaining({
        path: ['bad', 'drugSeizures'],
        extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'after' }),
      }),
    ]);
    // The page is null (its field is nullable: a caller who may not see records gets null there too).
    expect(data!['bad']).toEqual({ drugSeizures: null });
    expect((data!['good'] as { drugSeizures: PageData }).drugSeizures.nodes).toHaveLength(3);
  });

  describe.each([
    ['a root list', ROOT_PAGE, (data: Record<string, unknown>) => data['drugSeizures'] as PageData],
    [
      'a child list',
      CHILD_PAGE,
      (data: Record<string, unknown>) => (data['portOfEntry'] as { drugSeizures: PageData }).drugSeizures,
    ],
  ])('in %s', (_list, query, pageIn) => {
    it('pages on with a cursor it gave (the control: the forged ones below differ only in content)', async () => {
      const first = await subgraph.execute(query);
      expect(first.errors).toBeUndefined();
      const firstPage = pageIn(first.data!);
      expect(firstPage.nodes).toHaveLength(2);
      const next = await subgraph.execute(query, { after: firstPage.pageInfo.endCursor });
      expect(next.errors).toBeUndefined();
      const nextPage = pageIn(next.data!);
      expect(nextPage.nodes).toHaveLength(2);
      expect(nextPage.nodes.map((n) => n.id)).not.toEqual(expect.arrayContaining(firstPage.nodes.map((n) => n.id)));
    });

    it.each(MALFORMED)('refuses %s as BAD_USER_INPUT naming after, with no SQL in the answer', async (_why, after) => {
      const { errors } = await subgraph.execute(query, { after });
      expect(errors).toHaveLength(1);
      expect(errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
      expect(errors![0]!.message).toBe(
        "after is not a cursor from this list (use pageInfo.endCursor or an edge's cursor)",
      );
    });
  });
});
