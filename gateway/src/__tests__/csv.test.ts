import { buildSchema, getOperationAST, GraphQLError, parse, validate } from 'graphql';
import { cellsOf, csvRecords, pageOf, planCsvExport, type CsvExportPlan } from '../csv';

/** The shapes of the graph's lists, in small: connections, plain lists, nested objects, a union. */
const schema = buildSchema(/* GraphQL */ `
  enum Drug {
    FENTANYL
    COCAINE
  }
  enum Language {
    EN
    ES
  }
  interface Record {
    id: ID!
  }
  union SearchResult = DrugSeizure | PortOfEntry
  type Region {
    code: ID!
    name(lang: Language): String!
    states: [Region!]!
  }
  type Source {
    publisher: String!
    title: String!
  }
  type Provenance {
    source: Source!
    recordedBy: String
  }
  type PortOfEntry implements Record {
    id: ID!
    code: ID!
    name: String!
    state: Region!
    drugSeizures(first: Int, after: String): DrugSeizureConnection
  }
  type DrugSeizure implements Record {
    id: ID!
    recordId: String!
    drug: Drug!
    quantity: Float!
    verified: Boolean
    port: PortOfEntry
    state: Region!
    provenance: Provenance!
    tags: [String!]
  }
  type PageInfo {
    hasNextPage: Boolean!
    endCursor: String
  }
  type DrugSeizureEdge {
    cursor: String!
    node: DrugSeizure!
  }
  type DrugSeizureConnection {
    nodes: [DrugSeizure!]!
    edges: [DrugSeizureEdge!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }
  type Query {
    drugSeizures(first: Int, after: String): DrugSeizureConnection
    portOfEntry(code: ID!): PortOfEntry
    portsOfEntry: [PortOfEntry!]!
    regionCodes: [String!]!
    search(text: String!): [SearchResult!]!
    record(id: ID!): Record
  }
  type Mutation {
    recordSeizure(recordId: String!): DrugSeizure
  }
`);

/** The plan of a valid document (a test's own mistake in it fails loudly). */
function plan(query: string, options: { path?: string; variables?: Record<string, unknown> } = {}): CsvExportPlan {
  const document = parse(query);
  expect(validate(schema, document).map((e) => e.message)).toEqual([]);
  const operation = getOperationAST(document)!;
  return planCsvExport(schema, document, operation, options.variables ?? {}, options.path);
}

/** The refusal of a plan: its message and extensions. */
function refusal(query: string, options: { path?: string } = {}): { message: string; extensions: object } {
  try {
    plan(query, options);
  } catch (error) {
    expect(error).toBeInstanceOf(GraphQLError);
    const { message, extensions } = error as GraphQLError;
    return { message, extensions };
  }
  throw new Error('the plan was not refused');
}

const SEIZURES_PAGE = `#graphql
  query Seizures($after: String) {
    drugSeizures(first: 100, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        recordId
        kind: __typename
        drug
        quantity
        port {
          code
          name
          state {
            nombre: name(lang: ES)
          }
        }
        ...Provenance
        ... on DrugSeizure {
          verified
          tags
        }
        state {
          code
          states {
            code
          }
        }
      }
    }
  }
  fragment Provenance on DrugSeizure {
    provenance {
      source {
        publisher
      }
      recordedBy
    }
  }
`;

describe('the header of a CSV export, from the selection (never from the data)', () => {
  it('names each column by its response keys, dotted through nested objects, fragments expanded', () => {
    const seizures = plan(SEIZURES_PAGE);
    expect(seizures.columns.map((c) => c.name)).toEqual([
      'recordId',
      'kind',
      'drug',
      'quantity',
      'port.code',
      'port.name',
      'port.state.nombre',
      'provenance.source.publisher',
      'provenance.recordedBy',
      'verified',
      'tags',
      'state.code',
      'state.states',
    ]);
    // A list inside a row is one cell of JSON text; everything else one value.
    expect(seizures.columns.filter((c) => c.json).map((c) => c.name)).toEqual(['tags', 'state.states']);
    expect(seizures.path).toEqual(['drugSeizures']);
    expect(seizures.rows).toEqual({ kind: 'nodes', nodesKey: 'nodes' });
    expect(seizures.totalCountKey).toBe('totalCount');
  });

  it('takes the rows of `edges { node }` as those of `nodes`, with the edge’s other fields beside them', () => {
    const edges = plan(`#graphql
      query ($after: String) {
        list: drugSeizures(first: 10, after: $after) {
          info: pageInfo {
            more: hasNextPage
            last: endCursor
          }
          edges {
            cursor
            item: node {
              recordId
              port {
                name
              }
            }
          }
        }
      }
    `);
    expect(edges.columns.map((c) => [c.name, c.path])).toEqual([
      ['cursor', ['cursor']],
      ['recordId', ['item', 'recordId']],
      ['port.name', ['item', 'port', 'name']],
    ]);
    expect(edges.rows).toEqual({ kind: 'edges', edgesKey: 'edges', nodeKey: 'item' });
    expect(edges.paging).toEqual({
      afterVariable: 'after',
      pageInfoKey: 'info',
      hasNextPageKey: 'more',
      endCursorKey: 'last',
    });
    expect(edges.totalCountKey).toBeNull();
  });

  it('merges a key selected twice and applies @skip and @include with the variables', () => {
    const merged = plan(
      `#graphql
        query ($withPort: Boolean!, $bare: Boolean = true) {
          drugSeizures {
            nodes {
              port @include(if: $withPort) {
                code
              }
              recordId
              port @include(if: $withPort) {
                name
              }
              drug @skip(if: $bare)
            }
          }
        }
      `,
      { variables: { withPort: true } },
    );
    expect(merged.columns.map((c) => c.name)).toEqual(['port.code', 'port.name', 'recordId']);
    const without = plan(`#graphql
      query {
        drugSeizures {
          nodes {
            port @include(if: false) {
              code
            }
            recordId
          }
        }
      }
    `);
    expect(without.columns.map((c) => c.name)).toEqual(['recordId']);
  });

  it('takes the columns of every type a list of a union or interface may hold', () => {
    const search = plan(`#graphql
      {
        search(text: "Nogales") {
          __typename
          ... on DrugSeizure {
            recordId
            drug
          }
          ... on PortOfEntry {
            code
            name
          }
          ... on Record {
            id
          }
        }
      }
    `);
    expect(search.columns.map((c) => c.name)).toEqual(['__typename', 'recordId', 'drug', 'code', 'name', 'id']);
    expect(search.rows).toEqual({ kind: 'list' });
    expect(search.paging).toBeNull();
  });

  it('exports a list of scalars as one column named by the list', () => {
    const codes = plan(`{ regionCodes }`);
    expect(codes.columns).toEqual([{ name: 'regionCodes', path: [], json: false }]);
  });
});

describe('which list a CSV export takes, and whether it pages', () => {
  it('takes the one list nearest the root when no path is given, however deep', () => {
    const nested = plan(`#graphql
      {
        portOfEntry(code: "2604") {
          name
          state {
            code
          }
          drugSeizures(first: 5) {
            nodes {
              recordId
            }
          }
        }
      }
    `);
    expect(nested.path).toEqual(['portOfEntry', 'drugSeizures']);
    expect(nested.paging).toBeNull();
  });

  it('refuses a missing path among several lists, naming `path` and the candidates', () => {
    const two = `#graphql
      {
        portsOfEntry {
          code
        }
        recent: drugSeizures(first: 5) {
          nodes {
            recordId
          }
        }
        portOfEntry(code: "2604") {
          drugSeizures {
            totalCount
            nodes {
              recordId
            }
          }
        }
      }
    `;
    expect(refusal(two)).toEqual({
      message:
        'The operation selects several lists: say which to export in "path" (portsOfEntry, recent, portOfEntry.drugSeizures).',
      extensions: {
        code: 'BAD_USER_INPUT',
        field: 'path',
        candidates: ['portsOfEntry', 'recent', 'portOfEntry.drugSeizures'],
        http: { status: 400 },
      },
    });
    expect(plan(two, { path: 'portOfEntry.drugSeizures' }).path).toEqual(['portOfEntry', 'drugSeizures']);
    expect(plan(two, { path: 'recent' }).columns.map((c) => c.name)).toEqual(['recordId']);
    expect(plan(two, { path: 'portsOfEntry' }).rows).toEqual({ kind: 'list' });
  });

  it('refuses a path that names no list: a leaf, an object, a field not selected, a path through a list', () => {
    const query = `#graphql
      {
        portsOfEntry {
          code
          drugSeizures {
            nodes {
              recordId
            }
          }
        }
        portOfEntry(code: "2604") {
          name
          state {
            code
          }
        }
      }
    `;
    const messages = [
      'portOfEntry.name',
      'portOfEntry.state',
      'portOfEntry.drugSeizures',
      'portsOfEntry.drugSeizures',
    ].map((path) => {
      const { message, extensions } = refusal(query, { path });
      expect(extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'path', candidates: ['portsOfEntry'] });
      return message;
    });
    expect(messages).toEqual([
      '"path": "portOfEntry.name" is a String!, not a list or a connection.',
      '"path": "portOfEntry.state" is a Region, not a list or a connection.',
      '"path": the operation selects no field "drugSeizures" under "portOfEntry". Its lists: portsOfEntry.',
      '"path": "portsOfEntry" is a list; a path may not go through one (export "portsOfEntry" itself).',
    ]);
    expect(refusal(`{ portOfEntry(code: "2604") { name } }`).message).toBe(
      'The operation selects no list or connection to export as CSV.',
    );
  });

  it('pages only a connection whose `after` is a variable and whose pageInfo has hasNextPage and endCursor', () => {
    expect(plan(SEIZURES_PAGE).paging).toEqual({
      afterVariable: 'after',
      pageInfoKey: 'pageInfo',
      hasNextPageKey: 'hasNextPage',
      endCursorKey: 'endCursor',
    });
    const literal = `{ drugSeizures(first: 5, after: "abc") { pageInfo { hasNextPage endCursor } nodes { recordId } } }`;
    expect(plan(literal).paging).toBeNull();
    const noEnd = `query ($c: String) { drugSeizures(after: $c) { pageInfo { hasNextPage } nodes { recordId } } }`;
    expect(plan(noEnd).paging).toBeNull();
    const named = `query ($c: String) { drugSeizures(after: $c) { pageInfo { endCursor hasNextPage } nodes { recordId } } }`;
    expect(plan(named).paging?.afterVariable).toBe('c');
  });

  it('exports and pages the connection when the path names its nodes or its edges', () => {
    const whole = plan(SEIZURES_PAGE);
    const byNodes = plan(SEIZURES_PAGE, { path: 'drugSeizures.nodes' });
    expect(byNodes).toEqual(whole);
    expect(byNodes.paging?.afterVariable).toBe('after');
    // Both selected: the path says which rows (the edges, with their cursor beside the node's fields).
    const both = `query ($after: String) { drugSeizures(first: 5, after: $after) { pageInfo { hasNextPage endCursor } nodes { recordId } edges { cursor node { drug } } } }`;
    expect(plan(both, { path: 'drugSeizures.nodes' }).columns.map((c) => c.name)).toEqual(['recordId']);
    const byEdges = plan(both, { path: 'drugSeizures.edges' });
    expect([byEdges.path, byEdges.rows.kind, byEdges.paging?.afterVariable]).toEqual([
      ['drugSeizures'],
      'edges',
      'after',
    ]);
    expect(byEdges.columns.map((c) => c.name)).toEqual(['cursor', 'drug']);
    // Past the rows, or beside them, is still no list.
    expect(refusal(SEIZURES_PAGE, { path: 'drugSeizures.pageInfo' }).message).toMatch(/not a list or a connection/);
  });

  it('runs queries only', () => {
    expect(refusal(`mutation { recordSeizure(recordId: "X") { recordId tags } }`)).toEqual({
      message: 'A CSV export runs a query; this operation is a mutation.',
      extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
    });
  });
});

describe('the rows and cells of an answer', () => {
  const seizures = plan(SEIZURES_PAGE);
  const data = {
    drugSeizures: {
      totalCount: 2,
      pageInfo: { hasNextPage: true, endCursor: 'c2' },
      nodes: [
        {
          recordId: 'A-1',
          kind: 'DrugSeizure',
          drug: 'FENTANYL',
          quantity: 12.5,
          port: { code: '2604', name: 'Nogales, "East"', state: { nombre: 'Arizona' } },
          provenance: { source: { publisher: 'CBP' }, recordedBy: null },
          verified: true,
          tags: ['a', 'b,c'],
          state: { code: 'US-NM', states: [] },
        },
        {
          recordId: 'A-2',
          kind: 'DrugSeizure',
          drug: 'COCAINE',
          quantity: 0,
          port: null,
          provenance: { source: { publisher: 'CBP' }, recordedBy: 'seed' },
          verified: false,
          tags: null,
          state: { code: 'US-NM', states: [{ code: 'x' }] },
        },
      ],
    },
  };

  it('reads the items, totalCount and the next page from the answer', () => {
    const page = pageOf(seizures, data);
    expect(page.items).toHaveLength(2);
    expect(page.totalCount).toBe(2);
    expect(page.next).toEqual({ hasNextPage: true, endCursor: 'c2' });
    // A null list (or a null object on the way to it) is no rows and no next page.
    expect(pageOf(seizures, { drugSeizures: null })).toEqual({ items: [], totalCount: null, next: null, absent: true });
    expect(pageOf(seizures, data).absent).toBe(false);
  });

  it('gives an empty cell for a null object’s columns, JSON for a list, and keeps numbers and booleans', () => {
    const [first, second] = pageOf(seizures, data).items.map((item) => cellsOf(seizures, item));
    expect(first).toEqual([
      'A-1',
      'DrugSeizure',
      'FENTANYL',
      12.5,
      '2604',
      'Nogales, "East"',
      'Arizona',
      'CBP',
      null,
      true,
      '["a","b,c"]',
      'US-NM',
      '[]',
    ]);
    expect(second).toEqual([
      'A-2',
      'DrugSeizure',
      'COCAINE',
      0,
      null,
      null,
      null,
      'CBP',
      'seed',
      false,
      null,
      'US-NM',
      '[{"code":"x"}]',
    ]);
  });

  it('takes the node of each edge', () => {
    const edges = plan(`{ drugSeizures { edges { cursor node { recordId port { name } } } } }`);
    const page = pageOf(edges, {
      drugSeizures: { edges: [{ cursor: 'c1', node: { recordId: 'A-1', port: { name: 'San Ysidro' } } }] },
    });
    expect(page.items.map((item) => cellsOf(edges, item))).toEqual([['c1', 'A-1', 'San Ysidro']]);
  });
});

describe('the CSV text (RFC 4180, UTF-8)', () => {
  it('quotes commas, quotes and line breaks, ends records with CRLF, leaves empty cells empty', () => {
    expect(
      csvRecords([
        ['recordId', 'port.name', 'note'],
        ['A-1', 'Nogales, AZ', 'said "ten"'],
        ['A-2', 'two\nlines', 'cr\ronly'],
        ['A-3', null, ''],
        [1.5, true, false],
      ]),
    ).toBe(
      'recordId,port.name,note\r\n' +
        'A-1,"Nogales, AZ","said ""ten"""\r\n' +
        'A-2,"two\nlines","cr\ronly"\r\n' +
        'A-3,,\r\n' +
        '1.5,true,false\r\n',
    );
  });

  it('keeps Spanish text as it is, with the UTF-8 byte order mark only when asked', () => {
    const text = csvRecords([['Nuevo México', 'Nuevo León']]);
    expect(text).toBe('Nuevo México,Nuevo León\r\n');
    // "Nuevo M" is 7 bytes; é is two in UTF-8.
    expect([...Buffer.from(text, 'utf8').subarray(7, 9)]).toEqual([0xc3, 0xa9]);
    const withBom = csvRecords([['Querétaro']], true);
    expect([...Buffer.from(withBom, 'utf8').subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(withBom.slice(1)).toBe('Querétaro\r\n');
  });
});
