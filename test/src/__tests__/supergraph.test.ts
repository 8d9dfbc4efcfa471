import { readFileSync } from 'node:fs';
import { operationFromDocument, Supergraph } from '@apollo/federation-internals';
import { QueryPlanner, type FetchNode, type PlanNode, type SubscriptionNode } from '@apollo/query-planner';
import { readEnv } from '@bicentennial/gateway/src/env';
import { operationCost } from '@bicentennial/gateway/src/limits';
import { SUPERGRAPH_PATH } from '@bicentennial/schema';
import { parse } from 'graphql';
import { startInProcessGraph, type InProcessGraph } from '../inProcess';
import {
  DASHBOARD,
  expectCompleteDashboard,
  expectPublishedFigures,
  MISSING,
  OBJECTIVE,
  post,
  SINALOA_WALK,
  type DashboardData,
  type ObjectiveData,
} from '../operations';

const DOMAINS = ['public-health', 'border-trade', 'firearms', 'finance', 'extradition'];

function fetchesOf(node: PlanNode | SubscriptionNode | undefined): FetchNode[] {
  if (!node) return [];
  switch (node.kind) {
    case 'Fetch':
      return [node];
    case 'Flatten':
      return fetchesOf(node.node);
    case 'Sequence':
    case 'Parallel':
      return node.nodes.flatMap(fetchesOf);
    case 'Condition':
      return [...fetchesOf(node.ifClause), ...fetchesOf(node.elseClause)];
    case 'Defer':
      return [...fetchesOf(node.primary.node), ...node.deferred.flatMap((d) => fetchesOf(d.node))];
    case 'Subscription':
      return [...fetchesOf(node.primary), ...fetchesOf(node.rest)];
  }
}

describe('the supergraph', () => {
  const supergraph = Supergraph.build(readFileSync(SUPERGRAPH_PATH, 'utf8'));
  const planner = new QueryPlanner(supergraph);
  const plan = (query: string) => planner.buildQueryPlan(operationFromDocument(supergraph.schema, parse(query)));

  it('plans the Dashboard as one catalogue fetch, then one batched fetch per owner of indicator values', () => {
    const root = plan(DASHBOARD).node;
    expect(root?.kind).toBe('Sequence');
    const [first, ...rest] = fetchesOf(root);
    expect(first?.serviceName).toBe('framework');
    expect(rest.map((f) => f.serviceName).sort()).toEqual([...DOMAINS].sort());
    const typeOf: Record<string, string> = {
      'public-health': 'PublicHealthIndicator',
      'border-trade': 'BorderTradeIndicator',
      firearms: 'FirearmsIndicator',
      finance: 'FinanceIndicator',
      extradition: 'ExtraditionIndicator',
    };
    for (const fetch of rest) {
      // Each owner is asked only for its own indicators' values.
      expect(fetch.operation).toMatch(new RegExp(`\\.\\.\\.\\s*on ${typeOf[fetch.serviceName]}\\b`));
      expect(fetch.operation).toContain('series');
      const others = Object.values(typeOf).filter((t) => t !== typeOf[fetch.serviceName]);
      for (const other of others) expect(fetch.operation).not.toContain(other);
    }
  });

  it('answers Missing from framework alone', () => {
    expect(fetchesOf(plan(MISSING).node).map((f) => f.serviceName)).toEqual(['framework']);
  });

  it('costs the contract operations and an analyst walk far below the default cost limit', () => {
    const api = supergraph.apiSchema().toGraphQLJSSchema();
    const cost = (query: string) => operationCost(api, parse(query));
    expect([cost(DASHBOARD), cost(OBJECTIVE), cost(MISSING), cost(SINALOA_WALK)]).toEqual([20, 13, 2, 906]);
    expect(cost(SINALOA_WALK) * 10).toBeLessThan(readEnv({}).QUERY_MAX_COST);
  });
});

describe('the gateway over the real subgraphs', () => {
  let graph: InProcessGraph;

  beforeAll(async () => {
    graph = await startInProcessGraph();
  }, 180_000);
  afterAll(() => graph?.stop());

  it('answers the Dashboard with every objective and its sourced values, fetching each owner once', async () => {
    graph.resetRequests();
    const { status, body } = await post<DashboardData>(graph.gatewayUrl, DASHBOARD);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expectCompleteDashboard(body.data);
    expectPublishedFigures(body.data!);
    expect(Object.fromEntries(graph.requests)).toEqual({
      framework: 1,
      'public-health': 1,
      'border-trade': 1,
      firearms: 1,
      finance: 1,
      extradition: 1,
    });
  });

  it('answers Objective with the latest value of each of its indicators', async () => {
    const { body } = await post<ObjectiveData>(graph.gatewayUrl, OBJECTIVE);
    expect(body.errors).toBeUndefined();
    const objective = body.data!.objective!;
    expect(objective).toMatchObject({ id: '2.2.1', area: { id: '2.2' }, goal: { id: '2' }, owner: 'FIREARMS' });
    expect(objective.title).toBe(
      'Increase efforts to reduce the illicit trafficking of firearms, ammunition, and explosive devices.',
    );
    const latest = Object.fromEntries(objective.indicators.map((i) => [i.id, i.latest]));
    expect(latest['2.2.1/us-sourced-share']).toEqual({ period: '2024', value: 70.5 });
    expect(latest['2.2.1/mx-firearms-traced']).toEqual({ period: '2024', value: 25884 });
  });

  it('answers Missing with objective: null', async () => {
    const { status, body } = await post(graph.gatewayUrl, MISSING);
    expect(status).toBe(200);
    expect(body).toEqual({ data: { objective: null } });
  });

  it("passes on a subgraph's refusal of a bad variable as BAD_USER_INPUT, not as an outage", async () => {
    const { body } = await post(
      graph.gatewayUrl,
      `#graphql
      mutation Record($input: DrugSeizureInput!) {
        recordDrugSeizure(input: $input, submission: { idempotencyKey: "bad-date-0001", submittedBy: "test" }) { id }
      }`,
      {
        input: {
          recordId: 'BAD-DATE-1',
          location: 'AT_PORT',
          portCode: '2504',
          state: 'US-CA',
          seizedOn: '2025-13-40',
          drug: 'COCAINE',
          quantity: 1,
          unit: 'POUNDS',
          mode: 'CARGO',
          sourceId: 'synthetic-border-trade',
        },
      },
    );
    expect(body.errors?.map((e) => [e.extensions?.['code'], e.extensions?.['serviceName']])).toEqual([
      ['BAD_USER_INPUT', 'border-trade'],
    ]);
    expect(body.errors?.[0]?.message).toMatch(/seizedOn/);
    expect(graph.gateway.monitor.snapshot().find((s) => s.name === 'border-trade')?.reachable).not.toBe(false);
  });

  it('answers a malformed id with BAD_USER_INPUT naming the argument, and a malformed query with its code', async () => {
    const badId = await post(graph.gatewayUrl, '#graphql\n { objective(id: "two") { id } }');
    expect(badId.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    expect(badId.body.errors?.[0]?.message).toMatch(/"two" is not a joint objective id/);

    const syntax = await post(graph.gatewayUrl, '{ objective(id: "2.2.1") { id ');
    expect(syntax.status).toBe(400);
    expect(syntax.body.errors?.[0]?.extensions?.['code']).toBe('GRAPHQL_PARSE_FAILED');

    const unknownField = await post(graph.gatewayUrl, '{ objective(id: "2.2.1") { nonsense } }');
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.errors?.[0]?.extensions?.['code']).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});
