import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { ANONYMOUS } from '@bicentennial/schema';
import { createInternalSigner, ensureDevelopmentKeys, silentLogger } from '@bicentennial/service';
import { REPO_ROOT } from '@bicentennial/tools/stack';
import { parse } from 'graphql';
import { startInProcessGraph, type InProcessGraph } from '../inProcess';
import {
  DASHBOARD,
  expectCompleteDashboard,
  OBJECTIVE,
  post,
  type DashboardData,
  type GraphQLResponse,
} from '../operations';

type HiveRuntime = ReturnType<typeof createGatewayRuntime>;

async function askHive<T>(hive: HiveRuntime, query: string): Promise<GraphQLResponse<T>> {
  const response = await hive.fetch('http://127.0.0.1/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as GraphQLResponse<T>;
}

/**
 * The supergraph is not tied to @apollo/gateway: Hive Gateway (its runtime, the engine of
 * `@graphql-hive/gateway`, with its defaults) plans the dashboards' operations over the committed
 * supergraph, sends each indicator's values to the subgraph that owns them, and answers the same
 * data as our gateway, with the same subgraph requests.
 */
describe('the supergraph on another gateway (Hive Gateway)', () => {
  let graph: InProcessGraph;
  let hive: HiveRuntime;

  beforeAll(async () => {
    graph = await startInProcessGraph();
    const keys = await ensureDevelopmentKeys(graph.keysDir);
    // Subgraphs answer only the gateway's signed internal tokens: Hive sends one per subgraph (for
    // an anonymous caller, valid for the whole test), as a header of its own transport entries.
    const signer = await createInternalSigner({ privateJwk: keys.internal.privateJwk, ttlSeconds: 3_600 });
    const transportEntries: Record<string, { location: string; headers: [string, string][] }> = {};
    for (const [name, subgraph] of graph.subgraphs) {
      transportEntries[name] = {
        location: subgraph.url,
        headers: [['authorization', `Bearer ${await signer.sign(ANONYMOUS, name)}`]],
      };
    }
    hive = createGatewayRuntime({
      supergraph: readFileSync(join(REPO_ROOT, 'schema', 'supergraph.graphql'), 'utf8'),
      transportEntries,
      logging: false,
    });
  }, 240_000);
  afterAll(async () => {
    await hive?.dispose();
    await graph?.stop();
  });

  it.each([
    ['the Dashboard', DASHBOARD],
    ['the Objective query', OBJECTIVE],
  ])('answers %s with the same data and the same subgraph requests as our gateway', async (_name, query) => {
    graph.resetRequests();
    const ours = await post(graph.gatewayUrl, query);
    const ourRequests = Object.fromEntries(graph.requests);
    graph.resetRequests();
    const theirs = await askHive(hive, query);
    expect(theirs.errors).toBeUndefined();
    expect(ours.body.errors).toBeUndefined();
    expect(theirs.data).toEqual(ours.body.data);
    expect(Object.fromEntries(graph.requests)).toEqual(ourRequests);
  });

  it('routes every indicator to its owner: the Dashboard is complete through Hive Gateway', async () => {
    graph.resetRequests();
    const { data, errors } = await askHive<DashboardData>(hive, DASHBOARD);
    expect(errors).toBeUndefined();
    expectCompleteDashboard(data);
    // One fetch to framework, then one batched `_entities` fetch per owner.
    expect(Object.fromEntries(graph.requests)).toEqual({
      framework: 1,
      'public-health': 1,
      'border-trade': 1,
      firearms: 1,
      finance: 1,
      extradition: 1,
    });
  });
});

/**
 * Why the indicators' values are declared by their owners (an `Indicator` interface in each domain
 * subgraph) and not `@external` on framework's concrete types, the design the federation notes
 * first recommended: @apollo/gateway plans both, Hive Gateway 2.15.1 cannot plan the second
 * ("Was not able to find any options for series"). The smallest graphs that show it: an
 * interface with a key in one subgraph, two owners of the values.
 */
describe('the two designs of owner-routed values, on both planners (minimal reproduction)', () => {
  const link =
    'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@external", "@shareable"])';
  const observation = 'type Observation @shareable { period: String! value: Float! }';
  const designs = {
    /** The values declared `@external` on framework's concrete types. */
    external: {
      framework: `${link}
        type Query { indicators: [Indicator!]! }
        interface Indicator @key(fields: "id") { id: ID! name: String! series: [Observation!]! }
        ${observation}
        type AIndicator implements Indicator @key(fields: "id") { id: ID! name: String! series: [Observation!]! @external }
        type BIndicator implements Indicator @key(fields: "id") { id: ID! name: String! series: [Observation!]! @external }`,
      owner: (type: string) => `${link}
        ${observation}
        type ${type} @key(fields: "id") { id: ID! series: [Observation!]! }`,
    },
    /** The values declared by each owner on its own (plain) `Indicator` interface: this graph's design. */
    ownerInterface: {
      framework: `${link}
        type Query { indicators: [Indicator!]! }
        interface Indicator @key(fields: "id") { id: ID! name: String! }
        type AIndicator implements Indicator @key(fields: "id") { id: ID! name: String! }
        type BIndicator implements Indicator @key(fields: "id") { id: ID! name: String! }`,
      owner: (type: string) => `${link}
        ${observation}
        interface Indicator { id: ID! series: [Observation!]! }
        type ${type} implements Indicator @key(fields: "id") { id: ID! series: [Observation!]! }`,
    },
  };
  const QUERY = '{ indicators { id name series { period value } } }';
  const EXPECTED = {
    indicators: [
      { id: 'a1', name: 'A one', series: [{ period: '2024', value: 1 }] },
      { id: 'b1', name: 'B one', series: [{ period: '2024', value: 2 }] },
    ],
  };

  async function plannersOn(design: (typeof designs)[keyof typeof designs]) {
    const servers: ApolloServer[] = [];
    const received: string[] = [];
    const serve = async (name: string, sdl: string, resolvers: Record<string, unknown>) => {
      const server = new ApolloServer({
        schema: buildSubgraphSchema({ typeDefs: parse(sdl), resolvers } as never),
        logger: silentLogger,
        plugins: [
          ApolloServerPluginInlineTraceDisabled(),
          { requestDidStart: () => Promise.resolve(void received.push(name)) },
        ],
      });
      servers.push(server);
      const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
      return url;
    };
    const owner = (value: number) => ({
      __resolveReference: (reference: { id: string }) => reference,
      series: () => [{ period: '2024', value }],
    });
    const subgraphs = [
      {
        name: 'framework',
        typeDefs: parse(design.framework),
        url: await serve('framework', design.framework, {
          Query: {
            indicators: () => [
              { id: 'a1', name: 'A one', owner: 'A' },
              { id: 'b1', name: 'B one', owner: 'B' },
            ],
          },
          Indicator: { __resolveType: (indicator: { owner: string }) => `${indicator.owner}Indicator` },
        }),
      },
      {
        name: 'a',
        typeDefs: parse(design.owner('AIndicator')),
        url: await serve('a', design.owner('AIndicator'), { AIndicator: owner(1) }),
      },
      {
        name: 'b',
        typeDefs: parse(design.owner('BIndicator')),
        url: await serve('b', design.owner('BIndicator'), { BIndicator: owner(2) }),
      },
    ];
    const composed = composeServices(subgraphs);
    expect(composed.errors).toBeUndefined();
    const supergraphSdl = composed.supergraphSdl!;
    const apollo = new ApolloServer({
      gateway: new ApolloGateway({ supergraphSdl, logger: silentLogger }),
      logger: silentLogger,
    });
    const { url } = await startStandaloneServer(apollo, { listen: { port: 0, host: '127.0.0.1' } });
    const hive = createGatewayRuntime({ supergraph: supergraphSdl, logging: false });
    try {
      received.length = 0;
      const viaApollo = (await post(url, QUERY)).body;
      const apolloFetches = [...received].sort();
      received.length = 0;
      const viaHive = await askHive(hive, QUERY);
      return { viaApollo, apolloFetches, viaHive, hiveFetches: [...received].sort() };
    } finally {
      await hive.dispose();
      await apollo.stop();
      await Promise.all(servers.map((server) => server.stop()));
    }
  }

  it('external values: @apollo/gateway routes them to their owners, Hive Gateway cannot plan them', async () => {
    const { viaApollo, apolloFetches, viaHive } = await plannersOn(designs.external);
    expect(viaApollo).toEqual({ data: EXPECTED });
    expect(apolloFetches).toEqual(['a', 'b', 'framework']);
    // If a later Hive Gateway plans this, the design note in the README can say so.
    expect(viaHive.data).toBeNull();
    expect(viaHive.errors?.[0]?.message).toMatch(/Was not able to find any options for series/);
  });

  it('owner-declared values: both planners route them to their owners, with the same data', async () => {
    const { viaApollo, apolloFetches, viaHive, hiveFetches } = await plannersOn(designs.ownerInterface);
    expect(viaApollo).toEqual({ data: EXPECTED });
    expect(viaHive).toEqual({ data: EXPECTED });
    expect(apolloFetches).toEqual(['a', 'b', 'framework']);
    expect(hiveFetches).toEqual(['a', 'b', 'framework']);
  });
});
