import { readEnv } from '@bicentennial/gateway';
import { readExamples } from '@bicentennial/gateway/ide';
import { SINALOA_WALK } from '../operations';
import { startInProcessGraph, type InProcessGraph } from '../inProcess';

interface Explained {
  status: number;
  body: {
    operationName?: string | null;
    operationType?: string;
    plan?: { text: string; node: { kind: string } | null } | null;
    subgraphs?: string[];
    fetches?: number;
    cost?: { estimated: number; limit: number; withinLimit: boolean };
    unauthorized?: { path: string; message: string }[];
    errors?: { message: string; extensions: { code: string } }[];
  };
}

describe('POST /explain: how the gateway would run an operation, without running it', () => {
  let graph: InProcessGraph;
  let explainUrl: string;
  let analyst: string;

  beforeAll(async () => {
    graph = await startInProcessGraph();
    explainUrl = new URL('/explain', graph.gatewayUrl).href;
    analyst = await graph.token({ subject: 'explain-test', agency: 'DHS', country: 'US', scopes: ['graph:analyze'] });
  }, 120_000);

  afterAll(() => graph?.stop());

  const explain = async (body: unknown, token?: string): Promise<Explained> => {
    const response = await fetch(explainUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Explained['body'] };
  };

  it('gives the plan of a walk across three subgraphs, its fetches and cost, and calls no subgraph', async () => {
    graph.resetRequests();
    const { status, body } = await explain({ query: SINALOA_WALK }, analyst);
    expect(status).toBe(200);
    expect(body.operationName).toBe('SinaloaWalk');
    expect(body.operationType).toBe('query');
    expect(body.plan?.node?.kind).toBe('Sequence');
    expect(body.plan?.text).toContain('QueryPlan {');
    expect(body.plan?.text).toContain('Fetch(service: "finance")');
    // The organization comes from finance first; its extraditions and trafficking cases then, by entity fetches.
    expect(body.subgraphs?.[0]).toBe('finance');
    expect([...(body.subgraphs ?? [])].sort()).toEqual(['extradition', 'finance', 'firearms']);
    expect(body.fetches).toBe(3);
    expect(body.cost?.limit).toBe(readEnv({}).QUERY_MAX_COST);
    expect(body.cost?.estimated).toBeGreaterThan(100);
    expect(body.cost?.withinLimit).toBe(true);
    expect(body.unauthorized).toEqual([]);
    expect([...graph.requests.values()].reduce((a, b) => a + b, 0)).toBe(0);
  });

  it("plans only what the caller may see: the public's walk stays in finance", async () => {
    const { status, body } = await explain({ query: SINALOA_WALK });
    expect(status).toBe(200);
    expect(body.subgraphs).toEqual(['finance']);
    expect(body.unauthorized?.map((u) => u.path).sort()).toEqual([
      'criminalOrganization.designations',
      'criminalOrganization.extraditions',
      'criminalOrganization.firearmsTraffickingCases',
    ]);
  });

  it('explains a write without writing it', async () => {
    const write = readExamples().find((example) => example.type === 'mutation')!;
    const cbp = await graph.token({
      subject: 'explain-cbp',
      agency: 'CBP',
      country: 'US',
      scopes: ['border-trade:write'],
    });
    const variables = JSON.parse(write.variables!) as Record<string, unknown>;
    const { status, body } = await explain({ query: write.query, variables }, cbp);
    expect(status).toBe(200);
    expect(body.operationType).toBe('mutation');
    expect(body.subgraphs).toContain('border-trade');
    const stored = await graph.handles.borderTrade.prisma.drugSeizure.count({
      where: { recordId: (variables['input'] as { recordId: string }).recordId },
    });
    expect(stored).toBe(0);
  });

  it('says when the cost is over the limit, with both figures', async () => {
    const query = `{ drugSeizures(first: 100) { nodes { port {
      firearmSeizures(first: 100) { nodes { port { drugSeizures(first: 100) { nodes { recordId } } } } } } } } }`;
    const { status, body } = await explain({ query }, analyst);
    expect(status).toBe(200);
    expect(body.cost?.withinLimit).toBe(false);
    expect(body.cost!.estimated).toBeGreaterThan(body.cost!.limit);
  });

  it('refuses what /graphql would refuse, with a code', async () => {
    const cases: [unknown, string][] = [
      [{ query: '{ goals { id ' }, 'GRAPHQL_PARSE_FAILED'],
      [{ query: '{ goals { nope } }' }, 'GRAPHQL_VALIDATION_FAILED'],
      [{ query: 'query A { goals { id } } query B { goals { id } }' }, 'OPERATION_RESOLUTION_FAILURE'],
      [{ query: 'query A { goals { id } }', operationName: 'C' }, 'OPERATION_RESOLUTION_FAILURE'],
      [{ query: 'query G($id: ID!) { goal(id: $id) { id } }', variables: { id: { no: 1 } } }, 'BAD_USER_INPUT'],
      [{ query: 42 }, 'BAD_REQUEST'],
      [{ query: `{ ${'a: goals { id } '.repeat(101)} }` }, 'ALIAS_LIMIT_EXCEEDED'],
      [{ query: `{ ${'goals { areas { goal { '.repeat(5)} id ${'} } } '.repeat(5)} }` }, 'DEPTH_LIMIT_EXCEEDED'],
      [{ query: `{ ${'goals { id } '.repeat(3000)} }` }, 'TOKEN_LIMIT_EXCEEDED'],
      [
        {
          query:
            '{ a: __type(name: "Goal") { name } b: __type(name: "Region") { name } c: __schema { queryType { name } } }',
        },
        'INTROSPECTION_LIMIT_EXCEEDED',
      ],
      [
        { query: '{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }' },
        'INTROSPECTION_DEPTH_LIMIT_EXCEEDED',
      ],
      [[{ query: '{ goals { id } }' }], 'BAD_REQUEST'],
    ];
    for (const [body, code] of cases) {
      const answer = await explain(body, analyst);
      expect({ body, status: answer.status, code: answer.body.errors?.[0]?.extensions.code }).toEqual({
        body,
        status: 400,
        code,
      });
      expect(JSON.stringify(answer.body)).not.toMatch(/\/work|node_modules|at .*\.ts:/);
    }
  });
});
