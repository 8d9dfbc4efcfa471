import { composeServices } from '@apollo/composition';
import {
  buildSchema,
  executeSync,
  isInterfaceType,
  isObjectType,
  parse,
  print,
  validate,
  type DocumentNode,
  type GraphQLFormattedError,
} from 'graphql';
import { readSupergraphConfig, subgraphTypeDefs } from '@bicentennial/schema';
import { AUTHZ_TYPENAME, authorizeOperation, restoreRemoved, type AuthorizeResult } from '../access/authorize';
import { requirementsFromSdl, type AccessRequirement, type Requirements } from '../access/requirements';

// A small graph with every case the engine distinguishes: a protected type, a protected field,
// scopes in disjunctive normal form, a policy, an enum and a scalar with requirements, an
// interface with one protected implementation field, a union with a protected member, an
// interface that inherits a type-level requirement, non-null fields to propagate through.
const SDL = /* GraphQL */ `
  directive @authenticated on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
  directive @requiresScopes(scopes: [[String!]!]!) on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
  directive @policy(policies: [[String!]!]!) on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM

  type Query {
    public: String
    me: Account
    agencies: [Agency!]!
    agency(code: ID!): Agency
    records: [Record!]
    search: [SearchResult]!
    assets: [Asset!]
    vault: Vault
    secret: Secret!
    audit(since: String): [String!] @requiresScopes(scopes: [["audit:read"]])
  }

  type Account @authenticated {
    id: ID!
    name: String
  }

  type Agency {
    code: ID!
    name: String
    budget: Int @requiresScopes(scopes: [["a", "b"], ["c"]])
    staff: [Person!] @policy(policies: [["us_staff"]])
    clearance: Clearance
  }

  extend type Agency {
    spend: Money @requiresScopes(scopes: [["finance:read"]])
  }

  enum Clearance @authenticated {
    LOW
    HIGH
  }

  scalar Money @requiresScopes(scopes: [["money"]])

  type Person {
    name: String
  }

  interface Record {
    id: ID!
    title: String
  }

  type OpenRecord implements Record {
    id: ID!
    title: String
    summary: String
  }

  type SealedRecord implements Record {
    id: ID!
    title: String @policy(policies: [["mx_staff"]])
    reason: String @requiresScopes(scopes: [["court"]])
  }

  union SearchResult = Agency | Classified

  type Classified @authenticated {
    id: ID!
    label: String
  }

  extend type Classified @requiresScopes(scopes: [["search"]])

  interface Asset {
    id: ID!
  }

  type Vehicle implements Asset {
    id: ID!
    plate: String
  }

  type Weapon implements Asset @requiresScopes(scopes: [["firearms:read"]]) {
    id: ID!
    serial: String
  }

  extend type Weapon @policy(policies: [["atf"]])

  type Vault {
    label: String
    code: String! @authenticated
  }

  type Secret @authenticated {
    id: ID!
  }
`;

const schema = buildSchema(SDL);
const requirements = requirementsFromSdl(SDL);

/** What the lead's `allows` decides from a Caller, written out for these tests. */
function allowsFor({
  authenticated = true,
  scopes = [],
  policies = [],
}: {
  authenticated?: boolean;
  scopes?: string[];
  policies?: string[];
}): (requirement: AccessRequirement) => boolean {
  const anyOfAll = (alternatives: string[][], has: (name: string) => boolean) =>
    alternatives.some((all) => all.every(has));
  return (requirement) => {
    const needsCaller = requirement.authenticated || requirement.scopes.length > 0 || requirement.policies.length > 0;
    if (needsCaller && !authenticated) return false;
    return (
      requirement.scopes.every((alternatives) => anyOfAll(alternatives, (scope) => scopes.includes(scope))) &&
      requirement.policies.every((alternatives) => anyOfAll(alternatives, (policy) => policies.includes(policy)))
    );
  };
}

const ANONYMOUS = allowsFor({ authenticated: false });
const SIGNED_IN = allowsFor({});

const agencies = [
  {
    code: 'CBP',
    name: 'Customs and Border Protection',
    budget: 100,
    staff: [{ name: 'Ana' }],
    clearance: 'HIGH',
    spend: 5,
  },
  {
    code: 'FGR',
    name: 'Fiscalía General de la República',
    budget: 200,
    staff: [{ name: 'Luis' }],
    clearance: 'LOW',
    spend: 6,
  },
];
const rootValue = {
  public: 'open data',
  me: { id: 'u1', name: 'Ana' },
  agencies,
  agency: ({ code }: { code: string }) => agencies.find((agency) => agency.code === code) ?? null,
  records: [
    { __typename: 'OpenRecord', id: 'r1', title: 'Open', summary: 'public summary' },
    { __typename: 'SealedRecord', id: 'r2', title: 'Sealed', reason: 'court order' },
  ],
  search: [
    { __typename: 'Agency', ...agencies[0] },
    { __typename: 'Classified', id: 'c1', label: 'eyes only' },
  ],
  assets: [
    { __typename: 'Vehicle', id: 'v1', plate: 'ABC-123' },
    { __typename: 'Weapon', id: 'w1', serial: 'S-1' },
  ],
  vault: { label: 'main', code: '1234' },
  secret: { id: 's1' },
  audit: ({ since }: { since?: string }) => [`since ${since ?? 'ever'}`],
};

interface Run {
  document: DocumentNode;
  result: AuthorizeResult;
  /** The filtered document, printed. */
  filtered: string;
  /** What executing the filtered document answered, before `restoreRemoved`. */
  executed: Record<string, unknown> | null | undefined;
  /** What the client gets. */
  data: Record<string, unknown> | null;
  errors: GraphQLFormattedError[];
}

/**
 * Authorizes `source` for a caller, checks that the filtered document is still valid, executes it
 * against `rootValue` and restores the removed fields: every step the gateway takes.
 */
function run(
  source: string,
  allows: (requirement: AccessRequirement) => boolean,
  options: { variables?: Record<string, unknown>; operationName?: string } = {},
): Run {
  const document = parse(source);
  expect(validate(schema, document)).toEqual([]);
  const { variables, operationName } = options;
  const result = authorizeOperation({ schema, requirements, document, operationName, allows });
  let executed: Record<string, unknown> | null | undefined = {};
  if (!result.nothingLeft) {
    expect(validate(schema, result.document).map((error) => error.message)).toEqual([]);
    const execution = executeSync({
      schema,
      document: result.document,
      rootValue,
      variableValues: variables,
      operationName,
    });
    expect(execution.errors).toBeUndefined();
    executed = execution.data;
  }
  const before = JSON.stringify(executed);
  const data = restoreRemoved({ schema, document, operationName, data: executed, removed: result.removed, variables });
  expect(JSON.stringify(executed)).toBe(before); // restoreRemoved copies, never mutates
  return {
    document,
    result,
    filtered: print(result.document),
    executed,
    data: data && json(data),
    errors: result.errors.map((error) => error.toJSON()),
  };
}

/** Plain objects in the order GraphQL answers (executed data has null prototypes). */
function json(value: unknown): Record<string, unknown> | null {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown> | null;
}

function normalized(source: string): string {
  return print(parse(source));
}

function unauthorized(...path: string[]): GraphQLFormattedError {
  return {
    message: expect.stringMatching(/^Unauthorized field or type: \S+ needs .+\.$/),
    path,
    extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE' },
  };
}

describe('requirementsFromSdl', () => {
  it('reads every directive application of types, extensions and fields, and gives interfaces their implementations’ requirements', () => {
    const auth = { authenticated: true, scopes: [], policies: [] };
    expect(Object.fromEntries(requirements)).toEqual({
      'Query.audit': { authenticated: false, scopes: [[['audit:read']]], policies: [] },
      Account: auth,
      'Agency.budget': { authenticated: false, scopes: [[['a', 'b'], ['c']]], policies: [] },
      'Agency.staff': { authenticated: false, scopes: [], policies: [[['us_staff']]] },
      'Agency.spend': { authenticated: false, scopes: [[['finance:read']]], policies: [] },
      Clearance: auth,
      Money: { authenticated: false, scopes: [[['money']]], policies: [] },
      'SealedRecord.title': { authenticated: false, scopes: [], policies: [[['mx_staff']]] },
      'SealedRecord.reason': { authenticated: false, scopes: [[['court']]], policies: [] },
      // As composition does: the interface field requires what an implementation's field does.
      'Record.title': { authenticated: false, scopes: [], policies: [[['mx_staff']]] },
      // A type and its extension: both applications must hold.
      Classified: { authenticated: true, scopes: [[['search']]], policies: [] },
      Weapon: { authenticated: false, scopes: [[['firearms:read']]], policies: [[['atf']]] },
      Asset: { authenticated: false, scopes: [[['firearms:read']]], policies: [[['atf']]] },
      'Vault.code': auth,
      Secret: auth,
    });
  });

  it('reads a single scope as a list of one, as GraphQL coerces it, and refuses what is not a string', () => {
    const sdl = 'type Query { a: Int @requiresScopes(scopes: "x") b: Int @requiresScopes(scopes: ["x", "y"]) }';
    expect(Object.fromEntries(requirementsFromSdl(sdl))).toEqual({
      'Query.a': { authenticated: false, scopes: [[['x']]], policies: [] },
      'Query.b': { authenticated: false, scopes: [[['x'], ['y']]], policies: [] },
    });
    expect(() => requirementsFromSdl('type Query { a: Int @policy(policies: [[1]]) }')).toThrow(
      '@policy(policies:) on Query.a: expected strings, found IntValue',
    );
    expect(() => requirementsFromSdl('type Query { a: Int @requiresScopes }')).toThrow(
      '@requiresScopes on Query.a has no "scopes" argument',
    );
  });

  it('leaves a directive of another name alone and knows none when there are none', () => {
    expect(requirementsFromSdl('type Query { a: Int @deprecated b: Int @auth }').size).toBe(0);
  });

  describe('on subgraphs and the supergraph they compose into', () => {
    // Both subgraphs must import the directives under the same names (composition insists): one
    // is renamed by `import`, one used under its `federation__` name.
    const subgraphA = /* GraphQL */ `
      extend schema
        @link(
          url: "https://specs.apollo.dev/federation/v2.9"
          import: ["@key", "@authenticated", { name: "@requiresScopes", as: "@scopes" }]
        )
      type Query {
        agency(code: ID!): Agency
        me: Account @authenticated
      }
      type Account @key(fields: "id") @authenticated {
        id: ID!
      }
      type Agency @key(fields: "code") @scopes(scopes: [["a"]]) {
        code: ID!
        budget: Int @scopes(scopes: [["a", "b"], ["c"]])
      }
    `;
    const subgraphB = /* GraphQL */ `
      extend schema
        @link(
          url: "https://specs.apollo.dev/federation/v2.9"
          import: ["@key", "@authenticated", { name: "@requiresScopes", as: "@scopes" }]
        )
      type Agency @key(fields: "code") @scopes(scopes: [["d"]]) {
        code: ID!
        staff: [String] @federation__policy(policies: [["us_staff"]])
        level: Level
      }
      enum Level @authenticated {
        LOW
        HIGH
      }
    `;

    it('reads each subgraph with its @link names', () => {
      expect(Object.fromEntries(requirementsFromSdl(subgraphA))).toEqual({
        'Query.me': { authenticated: true, scopes: [], policies: [] },
        Account: { authenticated: true, scopes: [], policies: [] },
        Agency: { authenticated: false, scopes: [[['a']]], policies: [] },
        'Agency.budget': { authenticated: false, scopes: [[['a', 'b'], ['c']]], policies: [] },
      });
      expect(Object.fromEntries(requirementsFromSdl(parse(subgraphB)))).toEqual({
        Agency: { authenticated: false, scopes: [[['d']]], policies: [] },
        'Agency.staff': { authenticated: false, scopes: [], policies: [[['us_staff']]] },
        Level: { authenticated: true, scopes: [], policies: [] },
      });
    });

    it('reads the composed supergraph (the spec links rename the directives there)', () => {
      const composed = composeServices([
        { name: 'a', url: 'http://a.local/graphql', typeDefs: parse(subgraphA) },
        { name: 'b', url: 'http://b.local/graphql', typeDefs: parse(subgraphB) },
      ]);
      expect(composed.errors).toBeUndefined();
      const supergraph = composed.supergraphSdl as string;
      expect(supergraph).toContain('import: [{name: "@requiresScopes", as: "@scopes"}]');
      expect(Object.fromEntries(requirementsFromSdl(supergraph))).toEqual({
        'Query.me': { authenticated: true, scopes: [], policies: [] },
        Account: { authenticated: true, scopes: [], policies: [] },
        // Composition merged the two subgraphs' @requiresScopes into one: a AND d.
        Agency: { authenticated: false, scopes: [[['a', 'd']]], policies: [] },
        'Agency.budget': { authenticated: false, scopes: [[['a', 'b'], ['c']]], policies: [] },
        'Agency.staff': { authenticated: false, scopes: [], policies: [[['us_staff']]] },
        Level: { authenticated: true, scopes: [], policies: [] },
      });
    });
  });

  it('reads the repository’s supergraph: every coordinate exists, and each subgraph’s protection is there', () => {
    // Composed here from the subgraphs as they are (`compose:check` keeps the committed file equal to it).
    const subgraphs = readSupergraphConfig();
    const composed = composeServices(
      subgraphs.map((s) => ({ name: s.name, url: s.routingUrl, typeDefs: subgraphTypeDefs(s.sdlPath) })),
    );
    expect(composed.errors).toBeUndefined();
    const supergraphSdl = composed.supergraphSdl as string;
    const supergraph = requirementsFromSdl(supergraphSdl);
    expect(supergraph.size).toBeGreaterThan(0);
    const api = buildSchema(supergraphSdl, { assumeValidSDL: true });
    const exists = (coordinate: string) => {
      const [typeName, field] = coordinate.split('.') as [string, string | undefined];
      const type = api.getType(typeName);
      if (!type || field === undefined) return Boolean(type);
      return (isObjectType(type) || isInterfaceType(type)) && field in type.getFields();
    };
    expect([...supergraph.keys()].filter((coordinate) => !exists(coordinate))).toEqual([]);
    for (const subgraph of subgraphs) {
      for (const [coordinate, own] of requirementsFromSdl(subgraphTypeDefs(subgraph.sdlPath))) {
        const merged = supergraph.get(coordinate);
        // Composition merges applications, never drops one: what it keeps asks at least as much.
        expect({ subgraph: subgraph.name, coordinate, composed: merged !== undefined }).toEqual({
          subgraph: subgraph.name,
          coordinate,
          composed: true,
        });
        expect(merged?.authenticated || !own.authenticated).toBe(true);
        expect((merged?.scopes.length ?? 0) > 0 || own.scopes.length === 0).toBe(true);
        expect((merged?.policies.length ?? 0) > 0 || own.policies.length === 0).toBe(true);
      }
    }
  });
});

describe('authorizeOperation and restoreRemoved', () => {
  it('says in each error what the removed field needs: a verified token, which scopes, which policy', () => {
    const { result } = run('{ me { id } agency(code: "CBP") { budget staff { name } spend } }', () => false);
    expect(result.errors.map((error) => error.message)).toEqual([
      'Unauthorized field or type: Query.me needs a verified bearer token.',
      'Unauthorized field or type: Agency.budget needs a token with the scope a and b, or c.',
      'Unauthorized field or type: Agency.staff needs a caller admitted by the policy us_staff.',
      // The field's own requirement and the scalar's it returns (Money): every one the caller fails.
      'Unauthorized field or type: Agency.spend needs a token with the scope finance:read; and a token with the scope money.',
    ]);
  });

  it('returns the very document when no directive is touched, and restoring changes nothing', () => {
    const { document, result, executed, data } = run('{ public agencies { code name } }', ANONYMOUS);
    expect(result.document).toBe(document);
    expect(result).toEqual({ document, removed: [], errors: [], nothingLeft: false });
    expect(data).toEqual({
      public: 'open data',
      agencies: [
        { code: 'CBP', name: 'Customs and Border Protection' },
        { code: 'FGR', name: 'Fiscalía General de la República' },
      ],
    });
    expect(restoreRemoved({ schema, document, data: executed, removed: [] })).toBe(executed);
  });

  it('returns the very document when every directive touched allows the caller', () => {
    const { document, result } = run(
      '{ me { id } agencies { budget staff { name } } }',
      allowsFor({ scopes: ['c'], policies: ['us_staff'] }),
    );
    expect(result.document).toBe(document);
    expect(result.removed).toEqual([]);
  });

  it('asks `allows` once per requirement, however often it is met', () => {
    const asked: AccessRequirement[] = [];
    const allows = (requirement: AccessRequirement) => {
      asked.push(requirement);
      return true;
    };
    const document = parse('{ a: agencies { budget } b: agencies { budget } agency(code: "CBP") { budget } }');
    expect(authorizeOperation({ schema, requirements, document, allows }).document).toBe(document);
    expect(asked).toEqual([requirements.get('Agency.budget')]);
  });

  it('removes a field returning an @authenticated type', () => {
    const anonymous = run('{ public me { id name } }', ANONYMOUS);
    expect(anonymous.filtered).toBe(normalized('{ public }'));
    expect(anonymous.result.removed).toEqual([{ path: ['me'], coordinate: 'Query.me' }]);
    expect(anonymous.errors).toEqual([unauthorized('me')]);
    expect(anonymous.data).toEqual({ public: 'open data', me: null });

    const signedIn = run('{ public me { id name } }', SIGNED_IN);
    expect(signedIn.result.document).toBe(signedIn.document);
    expect(signedIn.data).toEqual({ public: 'open data', me: { id: 'u1', name: 'Ana' } });
  });

  it('removes an @authenticated field, and its non-null null makes the parent null', () => {
    const { filtered, result, errors, data } = run('{ vault { label code } }', ANONYMOUS);
    expect(filtered).toBe(normalized('{ vault { label } }'));
    expect(result.removed).toEqual([{ path: ['vault', 'code'], coordinate: 'Vault.code' }]);
    expect(errors).toEqual([unauthorized('vault', 'code')]);
    expect(data).toEqual({ vault: null });
  });

  it('reads @requiresScopes([[a, b], [c]]) as (a AND b) OR c', () => {
    const query = '{ agency(code: "CBP") { name budget } }';
    const onlyA = run(query, allowsFor({ scopes: ['a'] }));
    expect(onlyA.filtered).toBe(normalized('{ agency(code: "CBP") { name } }'));
    expect(onlyA.errors).toEqual([unauthorized('agency', 'budget')]);
    expect(onlyA.data).toEqual({ agency: { name: 'Customs and Border Protection', budget: null } });

    for (const scopes of [['a', 'b'], ['c']]) {
      const allowed = run(query, allowsFor({ scopes }));
      expect(allowed.result.document).toBe(allowed.document);
      expect(allowed.data).toEqual({ agency: { name: 'Customs and Border Protection', budget: 100 } });
    }
  });

  it('enforces @policy, and answers null for each element of a list', () => {
    const query = '{ agencies { code staff { name } } }';
    const denied = run(query, allowsFor({ policies: ['mx_staff'] }));
    expect(denied.filtered).toBe(normalized('{ agencies { code } }'));
    expect(denied.result.removed).toEqual([{ path: ['agencies', '@', 'staff'], coordinate: 'Agency.staff' }]);
    expect(denied.errors).toEqual([unauthorized('agencies', '@', 'staff')]);
    expect(denied.data).toEqual({
      agencies: [
        { code: 'CBP', staff: null },
        { code: 'FGR', staff: null },
      ],
    });

    const allowed = run(query, allowsFor({ policies: ['us_staff'] }));
    expect(allowed.result.document).toBe(allowed.document);
  });

  it('writes paths with aliases and answers in the operation’s field order', () => {
    const { filtered, errors, data } = run(
      '{ list: agencies { money: budget id: code } }',
      allowsFor({ scopes: ['a'] }),
    );
    expect(filtered).toBe(normalized('{ list: agencies { id: code } }'));
    expect(errors).toEqual([unauthorized('list', '@', 'money')]);
    expect(JSON.stringify(data)).toBe(
      JSON.stringify({
        list: [
          { money: null, id: 'CBP' },
          { money: null, id: 'FGR' },
        ],
      }),
    );
  });

  it('checks the enum and scalar a field returns as well as the field', () => {
    const query = '{ agency(code: "FGR") { code clearance spend } }';
    expect(run(query, ANONYMOUS)).toMatchObject({
      filtered: normalized('{ agency(code: "FGR") { code } }'),
      result: {
        removed: [
          { path: ['agency', 'clearance'], coordinate: 'Agency.clearance' },
          { path: ['agency', 'spend'], coordinate: 'Agency.spend' },
        ],
      },
      data: { agency: { code: 'FGR', clearance: null, spend: null } },
    });
    // The field's scope alone is not enough: Money asks its own.
    expect(run(query, allowsFor({ scopes: ['finance:read'] }))).toMatchObject({
      filtered: normalized('{ agency(code: "FGR") { code clearance } }'),
      data: { agency: { code: 'FGR', clearance: 'LOW', spend: null } },
    });
    const both = run(query, allowsFor({ scopes: ['finance:read', 'money'] }));
    expect(both.result.document).toBe(both.document);
    expect(both.data).toEqual({ agency: { code: 'FGR', clearance: 'LOW', spend: 6 } });
  });

  it('filters a named fragment at every path it is spread at, keeping the ones left whole', () => {
    const query = /* GraphQL */ `
      query Q {
        agency(code: "CBP") {
          ...AgencyFields
        }
        agencies {
          ...AgencyFields
          ...Names
        }
      }
      fragment AgencyFields on Agency {
        code
        budget
      }
      fragment Names on Agency {
        name
      }
    `;
    const { filtered, result, errors, data } = run(query, allowsFor({ scopes: ['a'] }));
    expect(filtered).toBe(
      normalized(/* GraphQL */ `
        query Q {
          agency(code: "CBP") {
            ... on Agency {
              code
            }
          }
          agencies {
            ... on Agency {
              code
            }
            ...Names
          }
        }
        fragment Names on Agency {
          name
        }
      `),
    );
    expect(result.removed).toEqual([
      { path: ['agency', 'budget'], coordinate: 'Agency.budget' },
      { path: ['agencies', '@', 'budget'], coordinate: 'Agency.budget' },
    ]);
    expect(errors).toEqual([unauthorized('agency', 'budget'), unauthorized('agencies', '@', 'budget')]);
    expect(data).toEqual({
      agency: { code: 'CBP', budget: null },
      agencies: [
        { code: 'CBP', budget: null, name: 'Customs and Border Protection' },
        { code: 'FGR', budget: null, name: 'Fiscalía General de la República' },
      ],
    });
  });

  it('puts null only on the implementation whose field was removed (inline fragments on an interface)', () => {
    const query = '{ records { id ... on OpenRecord { summary } ... on SealedRecord { reason } } }';
    const { filtered, result, executed, data } = run(query, SIGNED_IN);
    expect(filtered).toBe(normalized(`{ records { id ... on OpenRecord { summary } ${AUTHZ_TYPENAME}: __typename } }`));
    expect(result.removed).toEqual([{ path: ['records', '@', 'reason'], coordinate: 'SealedRecord.reason' }]);
    expect(json(executed)).toEqual({
      records: [
        { id: 'r1', summary: 'public summary', [AUTHZ_TYPENAME]: 'OpenRecord' },
        { id: 'r2', [AUTHZ_TYPENAME]: 'SealedRecord' },
      ],
    });
    expect(data).toEqual({
      records: [
        { id: 'r1', summary: 'public summary' },
        { id: 'r2', reason: null },
      ],
    });

    const court = run(query, allowsFor({ scopes: ['court'] }));
    expect(court.result.document).toBe(court.document);
  });

  it('does the same through a named fragment on one implementation', () => {
    const query = '{ records { ...Sealed id } } fragment Sealed on SealedRecord { reason title }';
    const { filtered, errors, data } = run(query, allowsFor({ policies: ['mx_staff'] }));
    expect(filtered).toBe(normalized(`{ records { ... on SealedRecord { title } id ${AUTHZ_TYPENAME}: __typename } }`));
    expect(errors).toEqual([unauthorized('records', '@', 'reason')]);
    expect(JSON.stringify(data)).toBe(
      JSON.stringify({ records: [{ id: 'r1' }, { reason: null, title: 'Sealed', id: 'r2' }] }),
    );
  });

  it('removes an interface field an implementation protects, but not the same field on the other one', () => {
    const query = '{ records { id title ... on OpenRecord { title } } }';
    const { filtered, result, data } = run(query, SIGNED_IN);
    expect(filtered).toBe(normalized('{ records { id ... on OpenRecord { title } } }'));
    expect(result.removed).toEqual([{ path: ['records', '@', 'title'], coordinate: 'Record.title' }]);
    expect(data).toEqual({
      records: [
        { id: 'r1', title: 'Open' },
        { id: 'r2', title: null },
      ],
    });
  });

  it('removes the fields of a fragment on a protected union member; a non-null one nulls that element', () => {
    const query = '{ search { __typename ... on Agency { code } ... on Classified { id label } } }';
    const { filtered, result, errors, data } = run(query, ANONYMOUS);
    expect(filtered).toBe(normalized(`{ search { __typename ... on Agency { code } ${AUTHZ_TYPENAME}: __typename } }`));
    expect(result.removed).toEqual([
      { path: ['search', '@', 'id'], coordinate: 'Classified.id' },
      { path: ['search', '@', 'label'], coordinate: 'Classified.label' },
    ]);
    expect(errors).toEqual([unauthorized('search', '@', 'id'), unauthorized('search', '@', 'label')]);
    expect(data).toEqual({ search: [{ __typename: 'Agency', code: 'CBP' }, null] });

    const cleared = run(query, allowsFor({ scopes: ['search'] }));
    expect(cleared.result.document).toBe(cleared.document);
    expect(cleared.data).toEqual({
      search: [
        { __typename: 'Agency', code: 'CBP' },
        { __typename: 'Classified', id: 'c1', label: 'eyes only' },
      ],
    });
  });

  it('removes a field returning an interface that inherited an implementation’s requirement', () => {
    const query = '{ public assets { id ... on Vehicle { plate } } }';
    const denied = run(query, allowsFor({ scopes: ['firearms:read'] })); // `atf` is asked too
    expect(denied.filtered).toBe(normalized('{ public }'));
    expect(denied.result.removed).toEqual([{ path: ['assets'], coordinate: 'Query.assets' }]);
    expect(denied.data).toEqual({ public: 'open data', assets: null });

    const allowed = run(query, allowsFor({ scopes: ['firearms:read'], policies: ['atf'] }));
    expect(allowed.result.document).toBe(allowed.document);
    expect(allowed.data).toEqual({ public: 'open data', assets: [{ id: 'v1', plate: 'ABC-123' }, { id: 'w1' }] });
  });

  it('propagates a null in a non-null root field to data: null', () => {
    const { filtered, errors, data } = run('{ public secret { id } }', ANONYMOUS);
    expect(filtered).toBe(normalized('{ public }'));
    expect(errors).toEqual([unauthorized('secret')]);
    expect(data).toBeNull();
  });

  it('removes a field whose selection set was emptied, without an error of its own', () => {
    const { filtered, result, errors, data } = run(
      '{ public agency(code: "CBP") { budget } agencies { budget ... on Agency { budget } } }',
      ANONYMOUS,
    );
    expect(filtered).toBe(normalized('{ public }'));
    // One error per path, though `agencies.@.budget` was removed twice.
    expect(result.removed).toEqual([
      { path: ['agency', 'budget'], coordinate: 'Agency.budget' },
      { path: ['agencies', '@', 'budget'], coordinate: 'Agency.budget' },
    ]);
    expect(errors).toEqual([unauthorized('agency', 'budget'), unauthorized('agencies', '@', 'budget')]);
    // `agency` is null; `agencies` is non-null ([Agency!]!), so data is null.
    expect(data).toBeNull();
    expect(
      restoreRemoved({
        schema,
        document: parse('{ public agency(code: "CBP") { budget } }'),
        data: { public: 'x' },
        removed: result.removed.slice(0, 1),
      }),
    ).toEqual({ public: 'x', agency: null });
  });

  it('says when nothing is left, and restoring `{}` answers every root field null', () => {
    const { document, result, data } = run('{ me { id } audit }', ANONYMOUS);
    expect(result.nothingLeft).toBe(true);
    expect(result.document).toBe(document);
    expect(result.errors.map((error) => error.path)).toEqual([['me'], ['audit']]);
    expect(data).toEqual({ me: null, audit: null });

    expect(run('{ secret { id } }', ANONYMOUS)).toMatchObject({ result: { nothingLeft: true }, data: null });
  });

  it('drops the variables only removed fields used, and keeps those of fragments left whole', () => {
    const query = /* GraphQL */ `
      query Q($since: String, $code: ID!, $withName: Boolean!) {
        audit(since: $since)
        agency(code: $code) {
          code
          ...Named
        }
      }
      fragment Named on Agency {
        name @include(if: $withName)
      }
    `;
    const variables = { since: '2025-01-01', code: 'CBP', withName: true };
    const { filtered, data } = run(query, SIGNED_IN, { variables, operationName: 'Q' });
    expect(filtered).toBe(
      normalized(/* GraphQL */ `
        query Q($code: ID!, $withName: Boolean!) {
          agency(code: $code) {
            code
            ...Named
          }
        }
        fragment Named on Agency {
          name @include(if: $withName)
        }
      `),
    );
    expect(data).toEqual({ audit: null, agency: { code: 'CBP', name: 'Customs and Border Protection' } });
  });

  it('keeps only the selected operation', () => {
    const query = 'query A { public me { id } } query B { me { name } }';
    const { filtered, data } = run(query, ANONYMOUS, { operationName: 'A' });
    expect(filtered).toBe(normalized('query A { public }'));
    expect(data).toEqual({ public: 'open data', me: null });
  });

  it('honours @skip and @include when putting removed fields back', () => {
    const query = 'query ($show: Boolean!) { agencies { code budget @include(if: $show) } }';
    const hidden = run(query, ANONYMOUS, { variables: { show: false } });
    expect(hidden.filtered).toBe(normalized('query { agencies { code } }'));
    expect(hidden.data).toEqual({ agencies: [{ code: 'CBP' }, { code: 'FGR' }] });
    const shown = run(query, ANONYMOUS, { variables: { show: true } });
    expect(shown.data).toEqual({
      agencies: [
        { code: 'CBP', budget: null },
        { code: 'FGR', budget: null },
      ],
    });
  });

  it('deletes the added __typename aliases even where nothing is to be put back', () => {
    // `reason` is removed but the runtime type of both records decides it: for OpenRecord there is
    // nothing to put back, only the alias to take out.
    const removed = [{ path: ['records', '@', 'reason'], coordinate: 'SealedRecord.reason' }];
    const document = parse('{ records { id ... on SealedRecord { reason } } }');
    const data = {
      records: [
        { id: 'r1', [AUTHZ_TYPENAME]: 'OpenRecord' },
        { id: 'r3', [AUTHZ_TYPENAME]: 'OpenRecord' },
      ],
    };
    expect(restoreRemoved({ schema, document, data, removed })).toEqual({ records: [{ id: 'r1' }, { id: 'r3' }] });
  });

  it('leaves data: null and an empty requirement map alone', () => {
    const document = parse('{ me { id } }');
    expect(
      restoreRemoved({ schema, document, data: null, removed: [{ path: ['me'], coordinate: 'Query.me' }] }),
    ).toBeNull();
    const none: Requirements = new Map();
    expect(authorizeOperation({ schema, requirements: none, document, allows: ANONYMOUS }).document).toBe(document);
  });
});
