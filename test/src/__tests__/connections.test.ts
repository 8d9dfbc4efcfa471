import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_SCOPES, readSupergraphConfig } from '@bicentennial/schema';
import { TEST_DATABASES } from '@bicentennial/testing';
import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isObjectType,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';
import { startInProcessGraph, type InProcessGraph } from '../inProcess';
import { createThrowawayDatabases, describeOn } from '../postgres';

/**
 * The list convention (README, Lists of records), checked on every connection of the composed
 * graph: Relay connections paged both ways in every order they offer, the same page whichever way
 * it is reached, over real HTTP through the gateway.
 */

interface Edge {
  cursor: string;
  node: { id: string };
}
interface Connection {
  totalCount: number;
  nodes: { id: string }[];
  edges: Edge[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}
interface Answer {
  data?: Record<string, Connection | null> | null;
  errors?: { message: string; extensions?: { code?: string; field?: string } }[];
}

const PAGE = `totalCount nodes { id } edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }`;

/** The connection fields of an object type (`…Connection`), by name. */
const connectionFields = (type: GraphQLObjectType) =>
  Object.values(type.getFields()).filter((field) => getNamedType(field.type).name.endsWith('Connection'));

// The page queries are SQL of their own (keyset conditions, window functions, casts): on both databases.
for (const { name: database, kind } of TEST_DATABASES)
  describeOn(kind)(
    `every list of records is a Relay connection paged both ways, in each order it offers (${database})`,
    () => {
      let graph: InProcessGraph;
      let dropDatabases: (() => Promise<void>) | undefined;
      let token: string;
      let schema: GraphQLSchema;

      const ask = async (query: string, variables: Record<string, unknown> = {}): Promise<Answer> => {
        const response = await fetch(graph.gatewayUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query, variables }),
        });
        return (await response.json()) as Answer;
      };

      beforeAll(async () => {
        let databases: Map<string, string> | undefined;
        if (kind === 'postgres') {
          const throwaway = await createThrowawayDatabases(readSupergraphConfig().map((s) => s.name));
          databases = throwaway.urls;
          dropDatabases = throwaway.drop;
        }
        graph = await startInProcessGraph(databases ? { databases } : {});
        token = await graph.token({ subject: 'lists-test', agency: 'DHS', country: 'US', scopes: [...ALL_SCOPES] });
        const introspection = await ask(getIntrospectionQuery());
        schema = buildClientSchema(introspection.data as unknown as IntrospectionQuery);
      }, 240_000);

      afterAll(async () => {
        await graph?.stop();
        await dropDatabases?.();
      }, 60_000);

      it('has the same shape everywhere: nodes, edges with cursors, pageInfo both ways, totalCount', () => {
        const connections = Object.values(schema.getTypeMap()).filter(
          (type): type is GraphQLObjectType => isObjectType(type) && type.name.endsWith('Connection'),
        );
        expect(connections.length).toBeGreaterThanOrEqual(11);
        for (const connection of connections) {
          const node = connection.name.replace(/Connection$/, '');
          const fields = connection.getFields();
          expect([connection.name, Object.keys(fields).sort()]).toEqual([
            connection.name,
            ['edges', 'nodes', 'pageInfo', 'totalCount'],
          ]);
          expect(String(fields['nodes']!.type)).toBe(`[${node}!]!`);
          expect(String(fields['edges']!.type)).toBe(`[${node}Edge!]!`);
          const edge = schema.getType(`${node}Edge`) as GraphQLObjectType;
          expect(Object.keys(edge.getFields()).sort()).toEqual(['cursor', 'node']);
        }
        const pageInfo = schema.getType('PageInfo') as GraphQLObjectType;
        expect(Object.keys(pageInfo.getFields()).sort()).toEqual([
          'endCursor',
          'hasNextPage',
          'hasPreviousPage',
          'startCursor',
        ]);
      });

      it('takes first/after, last/before and orderBy on every field that gives a connection', () => {
        const lists: string[] = [];
        for (const type of Object.values(schema.getTypeMap())) {
          if (!isObjectType(type) || type.name.startsWith('__')) continue;
          for (const field of connectionFields(type)) {
            lists.push(`${type.name}.${field.name}`);
            const args = new Map(field.args.map((arg) => [arg.name, String(arg.type)]));
            const node = getNamedType(field.type).name.replace(/Connection$/, '');
            expect([`${type.name}.${field.name}`, args.get('first'), args.get('after'), args.get('last')]).toEqual([
              `${type.name}.${field.name}`,
              'Int',
              'String',
              'Int',
            ]);
            expect(args.get('before')).toBe('String');
            expect(args.get('orderBy')).toBe(`${node}Order`);
            const order = schema.getType(`${node}Order`);
            expect(isInputObjectType(order) && Object.keys(order.getFields()).sort()).toEqual(['direction', 'field']);
          }
        }
        expect(lists.length).toBeGreaterThanOrEqual(30);
      });

      it('keeps every order column indexed with id, for keyset pages both ways (prisma/schema.prisma)', () => {
        const orders: Record<string, Record<string, string[]>> = {
          'border-trade': { DrugSeizure: ['seizedOn', 'recordedAt'] },
          extradition: { ExtraditionCase: ['statusOn', 'person', 'recordedAt'] },
          finance: { AssetSeizure: ['seizedOn', 'amountUsd', 'recordedAt'] },
          firearms: { FirearmSeizure: ['seizedOn', 'firearms', 'ammunitionRounds', 'recordedAt'] },
          'public-health': { Programme: ['startedOn', 'name', 'recordedAt'] },
        };
        const subgraphsDir = join(__dirname, '..', '..', '..', 'subgraphs');
        for (const name of ['audit', 'border-trade', 'extradition', 'finance', 'firearms', 'public-health']) {
          // Every order of the subgraph's lists, as its orders.ts declares them.
          const source = readFileSync(join(subgraphsDir, name, 'src', 'orders.ts'), 'utf8');
          const prisma = readFileSync(join(subgraphsDir, name, 'prisma', 'schema.prisma'), 'utf8');
          const declared = [...source.matchAll(/ListOrder<\w+, Extract<keyof (\w+), string>> = \{([\s\S]*?)\n\};/g)];
          expect(declared.length).toBeGreaterThan(0);
          for (const [, model, body] of declared) {
            const columns = [...body!.matchAll(/column: '(\w+)'/g)].map((m) => m[1]!);
            const modelBody = new RegExp(`^model ${model} \\{([\\s\\S]*?)^\\}`, 'm').exec(prisma)![1]!;
            for (const column of columns) {
              expect([name, model, column, modelBody.includes(`@@index([${column}, id])`)]).toEqual([
                name,
                model,
                column,
                true,
              ]);
            }
            if (orders[name]?.[model!]) expect(columns).toEqual(orders[name][model!]);
          }
        }
      });

      /** Every root list of the graph with each of its orders, both directions. */
      const rootLists = () => {
        const query = schema.getQueryType()!;
        return connectionFields(query).flatMap((field: GraphQLField<unknown, unknown>) => {
          const node = getNamedType(field.type).name.replace(/Connection$/, '');
          const orderField = schema.getType(`${node}OrderField`);
          if (!isEnumType(orderField)) throw new Error(`${node}OrderField is not an enum`);
          return orderField
            .getValues()
            .flatMap((value) =>
              (['ASC', 'DESC'] as const).map((direction) => [field.name, value.name, direction] as const),
            );
        });
      };

      it('finds the root lists to page through', () => {
        expect(new Set(rootLists().map(([list]) => list))).toEqual(
          new Set([
            'auditEvents',
            'drugSeizures',
            'smugglingInterdictions',
            'extraditionCases',
            'transferActions',
            'sanctionsDesignations',
            'assetSeizures',
            'firearmSeizures',
            'traffickingCases',
            'homicideStatistics',
            'programmes',
          ]),
        );
      });

      it('pages every root list forwards and back to the same pages, in every order and direction', async () => {
        // The audit trail grows with every request of this test: its list is held to what it had at
        // the start (delivered first), so that the pages compared are of the same list.
        const startedAt = new Date().toISOString();
        await graph.gateway.audit.flush();
        let checked = 0;
        for (const [list, field, direction] of rootLists()) {
          const label = `${list} by ${field} ${direction}`;
          const order = { field, direction };
          const reverse = { field, direction: direction === 'ASC' ? 'DESC' : 'ASC' };
          const held = list === 'auditEvents' ? `, to: "${startedAt}"` : '';
          const listField = schema.getQueryType()!.getFields()[list]!;
          const orderType = String(listField.args.find((a) => a.name === 'orderBy')!.type);
          const page = async (args: string, variables: Record<string, unknown>): Promise<Connection> => {
            const answer = await ask(
              `query ($order: ${orderType}, $after: String, $before: String) {
            list: ${list}(${args}, orderBy: $order, after: $after, before: $before${held}) { ${PAGE} }
          }`,
              { order, ...variables },
            );
            expect([label, answer.errors]).toEqual([label, undefined]);
            const connection = answer.data!['list']!;
            // The edges are the nodes with their cursors; pageInfo's cursors are the first and last edge's.
            expect(connection.edges.map((e) => e.node.id)).toEqual(connection.nodes.map((n) => n.id));
            expect(connection.pageInfo.startCursor).toBe(connection.edges[0]?.cursor ?? null);
            expect(connection.pageInfo.endCursor).toBe(connection.edges.at(-1)?.cursor ?? null);
            return connection;
          };
          const ids = (c: Connection) => c.nodes.map((n) => n.id);

          // Forwards: three pages of 3.
          const one = await page('first: 3', {});
          expect([label, one.pageInfo.hasPreviousPage]).toEqual([label, false]);
          const total = one.totalCount;
          expect([label, one.nodes.length]).toEqual([label, Math.min(3, total)]);
          expect([label, one.pageInfo.hasNextPage]).toEqual([label, total > 3]);
          if (total > 3) {
            const two = await page('first: 3', { after: one.pageInfo.endCursor });
            expect([label, two.pageInfo.hasPreviousPage, ids(two).some((id) => ids(one).includes(id))]).toEqual([
              label,
              true,
              false,
            ]);
            // Backwards from the second page's start: the first page again, with nothing before it.
            const back = await page('last: 3', { before: two.pageInfo.startCursor });
            expect([label, ids(back), back.edges.map((e) => e.cursor)]).toEqual([
              label,
              ids(one),
              one.edges.map((e) => e.cursor),
            ]);
            expect([label, back.pageInfo.hasPreviousPage, back.pageInfo.hasNextPage]).toEqual([label, false, true]);
            // Each edge's cursor pages on from that edge: after the first edge come the next ones.
            const fromEdge = await page('first: 2', { after: one.edges[0]!.cursor });
            expect([label, ids(fromEdge)]).toEqual([label, [...ids(one), ...ids(two)].slice(1, 3)]);
          }
          // The end of the list: its last page is the reverse order's first page, reversed.
          const last = await page('last: 3', {});
          const reversed = await ask(
            `query ($order: ${orderType}) { list: ${list}(first: 3, orderBy: $order${held}) { nodes { id } } }`,
            { order: reverse },
          );
          expect([label, reversed.errors]).toEqual([label, undefined]);
          expect([label, ids(last)]).toEqual([label, reversed.data!['list']!.nodes.map((n) => n.id).reverse()]);
          expect([label, last.pageInfo.hasNextPage, last.pageInfo.hasPreviousPage]).toEqual([label, false, total > 3]);
          checked += total > 3 ? 1 : 0;
        }
        // Most lists have enough records in the seed to page through (the synthetic sample, the cases).
        expect(checked).toBeGreaterThanOrEqual(20);
      }, 240_000);

      it('pages a child list both ways, batched across parents, in another order', async () => {
        const query = `query ($last: Int, $before: String, $first: Int, $after: String) {
      portsOfEntry { code drugSeizures(first: $first, after: $after, last: $last, before: $before, orderBy: { field: RECORDED_AT, direction: ASC }) { ${PAGE} } }
    }`;
        const first = await ask(query, { first: 2 });
        expect(first.errors).toBeUndefined();
        const ports = (first.data as unknown as { portsOfEntry: { code: string; drugSeizures: Connection }[] })
          .portsOfEntry;
        const busy = ports.filter((p) => p.drugSeizures.totalCount > 4);
        expect(busy.length).toBeGreaterThan(3);
        for (const port of busy.slice(0, 3)) {
          const one = port.drugSeizures;
          const next = await ask(
            `query ($after: String) { portOfEntry(code: "${port.code}") {
        drugSeizures(first: 2, after: $after, orderBy: { field: RECORDED_AT, direction: ASC }) { ${PAGE} } } }`,
            {
              after: one.pageInfo.endCursor,
            },
          );
          const two = (next.data as unknown as { portOfEntry: { drugSeizures: Connection } }).portOfEntry.drugSeizures;
          expect(two.pageInfo.hasPreviousPage).toBe(true);
          const back = await ask(
            `query ($before: String) { portOfEntry(code: "${port.code}") {
        drugSeizures(last: 2, before: $before, orderBy: { field: RECORDED_AT, direction: ASC }) { ${PAGE} } } }`,
            {
              before: two.pageInfo.startCursor,
            },
          );
          const again = (back.data as unknown as { portOfEntry: { drugSeizures: Connection } }).portOfEntry
            .drugSeizures;
          expect(again.nodes.map((n) => n.id)).toEqual(one.nodes.map((n) => n.id));
          expect(again.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true });
        }
        // The last two of every port at once (one query for all ports' pages), each the end of its list.
        const ends = await ask(query, { last: 2 });
        expect(ends.errors).toBeUndefined();
        for (const port of (ends.data as unknown as { portsOfEntry: { code: string; drugSeizures: Connection }[] })
          .portsOfEntry) {
          expect(port.drugSeizures.pageInfo.hasNextPage).toBe(false);
          expect(port.drugSeizures.pageInfo.hasPreviousPage).toBe(port.drugSeizures.totalCount > 2);
        }
      }, 60_000);

      it('takes the shared period, status and sourceKind filters on every child list, as its root list does', () => {
        const roots = new Map(
          connectionFields(schema.getQueryType()!).map((list) => [getNamedType(list.type).name, list] as const),
        );
        let children = 0;
        for (const type of Object.values(schema.getTypeMap())) {
          if (!isObjectType(type) || type.name.startsWith('__') || type === schema.getQueryType()) continue;
          for (const field of connectionFields(type)) {
            const root = roots.get(getNamedType(field.type).name)!;
            const label = `${type.name}.${field.name}`;
            for (const name of ['period', 'status', 'sourceKind']) {
              const want = root.args.find((arg) => arg.name === name);
              const have = field.args.find((arg) => arg.name === name);
              expect([label, name, have && String(have.type), have?.description]).toEqual([
                label,
                name,
                want && String(want.type),
                want?.description,
              ]);
            }
            children += 1;
          }
        }
        expect(children).toBeGreaterThanOrEqual(20);
      });

      it('counts a child list under the shared filters as its root list counts its parent with them', async () => {
        const FILTERS = [
          'period: { years: { kind: US_FISCAL, from: 2024 } }',
          'period: { years: { kind: CALENDAR, from: 2022, to: 2023 } }',
          'period: { from: "2023-03-01", to: "2024-02-29" }',
          'status: PROVISIONAL',
          'sourceKind: SYNTHETIC',
          'sourceKind: OFFICIAL, status: FINAL',
        ];
        // [the parent's child list, the root list with the parent as a filter]
        const pairs: [string, string, string][] = [
          ['portOfEntry(code: "2504")', 'drugSeizures', 'drugSeizures(port: "2504", %)'],
          ['region(code: "US-TX")', 'drugSeizures', 'drugSeizures(region: "US-TX", %)'],
          ['portOfEntry(code: "2304")', 'firearmSeizures', 'firearmSeizures(port: "2304", %)'],
          ['criminalOrganization(slug: "SINALOA")', 'assetSeizures', 'assetSeizures(organization: "SINALOA", %)'],
          [
            'criminalOrganization(slug: "SINALOA")',
            'designations',
            'sanctionsDesignations(organization: "SINALOA", %)',
          ],
          ['criminalOrganization(slug: "CJNG")', 'firearmSeizures', 'firearmSeizures(organization: "CJNG", %)'],
          ['criminalOrganization(slug: "SINALOA")', 'extraditions', 'extraditionCases(organization: "SINALOA", %)'],
          ['region(code: "MX-SON")', 'homicides', 'homicideStatistics(region: "MX-SON", %)'],
          ['region(code: "MX")', 'assetSeizures', 'assetSeizures(country: "MX", %)'],
        ];
        let nonEmpty = 0;
        for (const [parent, child, root] of pairs) {
          for (const filter of FILTERS) {
            const label = `${parent}.${child}(${filter})`;
            const answer = await ask(
              `{ parent: ${parent} { child: ${child}(${filter}) { totalCount nodes { id } } } root: ${root.replace('%', filter)} { totalCount } }`,
            );
            expect([label, answer.errors]).toEqual([label, undefined]);
            const data = answer.data as unknown as {
              parent: { child: { totalCount: number; nodes: unknown[] } };
              root: { totalCount: number };
            };
            expect([label, data.parent.child.totalCount]).toEqual([label, data.root.totalCount]);
            expect([label, data.parent.child.nodes.length]).toEqual([label, Math.min(20, data.root.totalCount)]);
            if (data.root.totalCount > 0) nonEmpty += 1;
          }
        }
        // Enough of them select something for the comparison to mean anything.
        expect(nonEmpty).toBeGreaterThanOrEqual(25);
        const bad = await ask(
          '{ portOfEntry(code: "2504") { drugSeizures(period: { years: { kind: CALENDAR, from: 2024, to: 2020 } }) { totalCount } } }',
        );
        expect(bad.errors?.map((e) => [e.extensions?.code, e.extensions?.field])).toEqual([
          ['BAD_USER_INPUT', 'period'],
        ]);
      }, 120_000);

      /** The aggregate beside a root list: `drugSeizures` (of DrugSeizure) has `drugSeizureAggregates`. */
      const aggregateOf = (list: GraphQLField<unknown, unknown>) => {
        const node = getNamedType(list.type).name.replace(/Connection$/, '');
        return { node, name: `${node[0]!.toLowerCase()}${node.slice(1)}Aggregates` };
      };
      const PAGING = new Set(['first', 'after', 'last', 'before', 'orderBy']);

      it('has aggregates beside every root list, with the same filters and a groupBy (README, Aggregates)', () => {
        const query = schema.getQueryType()!;
        const lists = connectionFields(query);
        expect(lists.length).toBeGreaterThanOrEqual(11);
        for (const list of lists) {
          const { node, name } = aggregateOf(list);
          const aggregate = query.getFields()[name];
          expect([list.name, aggregate?.name]).toEqual([list.name, name]);
          expect([name, String(aggregate!.type)]).toEqual([name, `[${node}Group!]`]);
          const filters = list.args
            .filter((arg) => !PAGING.has(arg.name) && !arg.deprecationReason)
            .map((arg) => [arg.name, String(arg.type)]);
          expect([name, aggregate!.args.map((arg) => [arg.name, String(arg.type)])]).toEqual([
            name,
            [...filters, ['groupBy', `[${node}GroupBy!]!`]],
          ]);
          const group = schema.getType(`${node}Group`) as GraphQLObjectType;
          expect([name, String(group.getFields()['count']?.type)]).toEqual([name, 'Int!']);
          // Grouped by what the list filters by: a list with `status` groups by STATUS, and so on.
          const groupBy = schema.getType(`${node}GroupBy`);
          if (!isEnumType(groupBy)) throw new Error(`${node}GroupBy is not an enum`);
          const values = new Set(groupBy.getValues().map((v) => v.name));
          const filtersBy = new Set(filters.map(([arg]) => arg));
          const wanted: [string, string[]][] = [
            ['status', ['STATUS']],
            ['port', ['PORT']],
            ['organization', ['ORGANIZATION']],
            ['region', values.has('REGION') ? ['REGION'] : ['COUNTRY']],
            ['period', ['CALENDAR_YEAR', 'US_FISCAL_YEAR']],
          ];
          for (const [filter, keys] of wanted) {
            if (!filtersBy.has(filter)) continue;
            expect([name, filter, keys.filter((key) => values.has(key))]).toEqual([name, filter, keys]);
          }
        }
      });

      it('counts every record of each root list once in its aggregate, whatever it is grouped by', async () => {
        const startedAt = new Date().toISOString();
        await graph.gateway.audit.flush();
        let groupings = 0;
        for (const list of connectionFields(schema.getQueryType()!)) {
          const { node, name } = aggregateOf(list);
          const held = list.name === 'auditEvents' ? `to: "${startedAt}"` : '';
          const groupBy = schema.getType(`${node}GroupBy`);
          if (!isEnumType(groupBy)) throw new Error(`${node}GroupBy is not an enum`);
          const totals = await ask(
            `{ list: ${list.name}${held ? `(${held})` : ''} { totalCount } all: ${name}${held ? `(${held})` : ''} { count } }`,
          );
          expect([name, totals.errors]).toEqual([name, undefined]);
          const data = totals.data as unknown as { list: { totalCount: number }; all: { count: number }[] };
          expect([name, data.all]).toEqual([name, [{ count: data.list.totalCount }]]);
          // Grouped by any one key, the groups partition the records: their counts add up to the list's.
          for (const value of groupBy.getValues()) {
            const grouped = await ask(
              `{ groups: ${name}(groupBy: [${value.name}]${held ? `, ${held}` : ''}) { count } }`,
            );
            const label = `${name}(groupBy: [${value.name}])`;
            expect([label, grouped.errors]).toEqual([label, undefined]);
            const groups = (grouped.data as unknown as { groups: { count: number }[] }).groups;
            expect([label, groups.reduce((sum, g) => sum + g.count, 0)]).toEqual([label, data.list.totalCount]);
            expect([label, groups.every((g) => g.count > 0)]).toEqual([label, true]);
            groupings += 1;
          }
        }
        expect(groupings).toBeGreaterThanOrEqual(40);
      }, 120_000);

      it('refuses first with last, a cursor of another order and a cursor of another list, naming the argument', async () => {
        const first = await ask(`{ list: drugSeizures(first: 1) { ${PAGE} } }`);
        const cursor = first.data!['list']!.pageInfo.endCursor;
        const cases: [string, Record<string, unknown>, string, RegExp][] = [
          ['drugSeizures(first: 2, last: 2)', {}, 'last', /not both/],
          [
            'drugSeizures(after: $cursor, orderBy: { field: RECORDED_AT })',
            { cursor },
            'after',
            /cursor of the order SEIZED_ON, not of RECORDED_AT/,
          ],
          ['drugSeizures(last: 101)', {}, 'last', /between 1 and 100/],
        ];
        for (const [list, variables, field, message] of cases) {
          const declared = list.includes('$cursor') ? '($cursor: String)' : '';
          const answer = await ask(`query ${declared} { list: ${list} { totalCount } }`, variables);
          expect([list, answer.errors?.[0]?.extensions]).toEqual([
            list,
            expect.objectContaining({ code: 'BAD_USER_INPUT', field }),
          ]);
          expect(answer.errors?.[0]?.message).toMatch(message);
        }
      });
    },
  );

describe('the shared filters mean the same on every list (border-trade drug seizures)', () => {
  let graph: InProcessGraph;
  let token: string;

  const total = async (args: string): Promise<{ count?: number; error?: { code?: string; field?: string } }> => {
    const response = await fetch(graph.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: `{ drugSeizures(${args}) { totalCount } }` }),
    });
    const answer = (await response.json()) as Answer;
    if (answer.errors) return { error: answer.errors[0]!.extensions! };
    return { count: answer.data!['drugSeizures']!.totalCount };
  };

  beforeAll(async () => {
    graph = await startInProcessGraph();
    token = await graph.token({ subject: 'filters-test', agency: 'CBP', country: 'US', scopes: ['graph:analyze'] });
  }, 120_000);

  afterAll(() => graph?.stop());

  it('counts what the database holds for each filter, calendar and fiscal years apart', async () => {
    const prisma = graph.handles.borderTrade.prisma;
    // What a U.S. caller may see: records released to the United States or to both.
    type Where = NonNullable<NonNullable<Parameters<typeof prisma.drugSeizure.count>[0]>['where']>;
    const count = (args: { where?: Where } = {}) =>
      prisma.drugSeizure.count({ where: { AND: [args.where ?? {}, { releasableTo: { in: ['US', 'BOTH'] } }] } });
    const between = (from: string, to: string) => ({ seizedOn: { gte: new Date(from), lte: new Date(to) } });
    const fiscal2024 = await count({ where: between('2023-10-01', '2024-09-30') });
    const calendar2024 = await count({ where: between('2024-01-01', '2024-12-31') });
    expect(fiscal2024).toBeGreaterThan(0);
    expect(fiscal2024).not.toBe(calendar2024);
    expect(await total('period: { years: { kind: US_FISCAL, from: 2024 } }')).toEqual({ count: fiscal2024 });
    expect(await total('period: { years: { kind: CALENDAR, from: 2024 } }')).toEqual({ count: calendar2024 });
    expect(await total('period: { years: { kind: US_FISCAL, from: 2023, to: 2024 } }')).toEqual({
      count: await count({ where: between('2022-10-01', '2024-09-30') }),
    });
    expect(await total('period: { from: "2024-01-01", to: "2024-12-31" }')).toEqual({ count: calendar2024 });
    // The deprecated from/to mean period.from/period.to.
    expect(await total('from: "2024-01-01", to: "2024-12-31"')).toEqual({ count: calendar2024 });

    const texas = await count({ where: { stateCode: 'US-TX' } });
    expect(texas).toBeGreaterThan(0);
    expect(await total('region: "US-TX"')).toEqual({ count: texas });
    expect(await total('state: "US-TX"')).toEqual({ count: texas });
    expect(await total('region: "US"')).toEqual({ count: await count() });
    expect(await total('country: "US"')).toEqual({ count: await count() });
    expect(await total('country: "MX"')).toEqual({ count: 0 });
    const nogales = await count({ where: { portCode: '2604' } });
    expect(await total('port: "2604"')).toEqual({ count: nogales });
    expect(await total('portCode: "2604"')).toEqual({ count: nogales });
    expect(await total('sourceKind: SYNTHETIC')).toEqual({
      count: await count({ where: { source: { kind: 'SYNTHETIC' } } }),
    });
    expect(await total('sourceKind: OFFICIAL')).toEqual({
      count: await count({ where: { source: { kind: 'OFFICIAL' } } }),
    });
    expect(await total('status: PROVISIONAL')).toEqual({ count: await count({ where: { status: 'PROVISIONAL' } }) });
    expect(await total('region: "US-TX", drug: FENTANYL, period: { years: { kind: US_FISCAL, from: 2024 } }')).toEqual({
      count: await count({ where: { stateCode: 'US-TX', drug: 'FENTANYL', ...between('2023-10-01', '2024-09-30') } }),
    });
  });

  it.each([
    ['region: "Texas"', 'region'],
    ['country: "CA"', 'country'],
    ['port: "25"', 'port'],
    ['period: { from: "2024-01-01", years: { kind: CALENDAR, from: 2024 } }', 'period'],
    ['period: { years: { kind: CALENDAR, from: 2025, to: 2024 } }', 'period'],
    ['period: { years: { kind: US_FISCAL, from: 20240 } }', 'period'],
    ['period: { from: "2024-02-01", to: "2024-01-01" }', 'period'],
  ])('refuses %s as BAD_USER_INPUT naming %s', async (args, field) => {
    expect(await total(args)).toEqual({ error: expect.objectContaining({ code: 'BAD_USER_INPUT', field }) });
  });
});
