import { readFileSync } from 'node:fs';
import { operationFromDocument, Supergraph } from '@apollo/federation-internals';
import { QueryPlanner, type FetchNode, type PlanNode, type SubscriptionNode } from '@apollo/query-planner';
import { readEnv } from '@bicentennial/gateway/env';
import { forApolloGateway } from '@bicentennial/gateway';
import { costDirectivesFromSupergraph, operationCost } from '@bicentennial/gateway/limits';
import { SUPERGRAPH_PATH } from '@bicentennial/schema';
import { parse } from 'graphql';
import { DASHBOARD, MISSING, OBJECTIVE, SINALOA_WALK } from '../operations';

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
  // As the gateway runs it: the access directives' links without their SECURITY purpose (supergraph.ts).
  const supergraph = Supergraph.build(forApolloGateway(readFileSync(SUPERGRAPH_PATH, 'utf8')));
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
    const directives = costDirectivesFromSupergraph(forApolloGateway(readFileSync(SUPERGRAPH_PATH, 'utf8')));
    const cost = (query: string) => operationCost(api, parse(query), {}, undefined, directives);
    expect([cost(DASHBOARD), cost(OBJECTIVE), cost(MISSING), cost(SINALOA_WALK)]).toEqual([60675, 23, 1, 254]);
    expect(cost(DASHBOARD) * 3).toBeLessThan(readEnv({}).QUERY_MAX_COST);
    expect(cost(SINALOA_WALK) * 100).toBeLessThan(readEnv({}).QUERY_MAX_COST);
  });
});
