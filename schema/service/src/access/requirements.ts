import {
  Kind,
  parse,
  type ConstDirectiveNode,
  type ConstValueNode,
  type DocumentNode,
  type FieldDefinitionNode,
  type NamedTypeNode,
} from 'graphql';

/**
 * What federation's authorization directives ask of one schema coordinate. Every directive
 * application is kept as written, because several applications (a type and its extension, a
 * field and the type it returns, an interface and its implementations) must ALL hold:
 * - `authenticated`: some `@authenticated` applies;
 * - `scopes`: one entry per `@requiresScopes`, its `scopes` argument in disjunctive normal form,
 *   `[["a", "b"], ["c"]]` = (a AND b) OR c;
 * - `policies`: one entry per `@policy`, its `policies` argument, read the same way.
 */
export interface AccessRequirement {
  authenticated: boolean;
  scopes: string[][][];
  policies: string[][][];
}

/**
 * The requirements of a schema, keyed by coordinate: `"Type"` for a directive on an object type,
 * interface, enum or scalar, `"Type.field"` for one on a field. Coordinates without any of the
 * three directives are absent, so an empty map means "nothing is protected". Treat it as
 * immutable once built: `authorizeOperation` indexes it once and remembers the index.
 */
export type Requirements = Map<string, AccessRequirement>;

type DirectiveKind = 'authenticated' | 'requiresScopes' | 'policy';
const KINDS: readonly DirectiveKind[] = ['authenticated', 'requiresScopes', 'policy'];
/** The argument each directive takes. */
const ARGUMENT: Record<DirectiveKind, string | null> = {
  authenticated: null,
  requiresScopes: 'scopes',
  policy: 'policies',
};

/**
 * Reads every `@authenticated`, `@requiresScopes` and `@policy` of `sdl`: type definitions and
 * type extensions alike. Works on a subgraph SDL (directives imported with `@link`) and on a
 * composed supergraph SDL (where composition applies them under the same names). The names
 * recognised are the plain ones, the `federation__`-prefixed ones, and whatever a `@link` renames
 * them to (`import: [{ name: "@authenticated", as: "@auth" }]`, `@link(url: ".../federation/v2.9",
 * as: "fed")`, `@link(url: ".../authenticated/v0.1", as: "auth")`).
 *
 * A subgraph may not put these directives on interfaces; composition instead gives an interface
 * the requirements of its implementations (the type's on the interface, each field's on the
 * interface's field). A subgraph SDL gets the same here, so that a subgraph checking
 * `{ node { secret } }` on its own SDL decides what the gateway decided on the supergraph. A
 * supergraph (it links the join spec) is composed already and is read as it is.
 */
export function requirementsFromSdl(sdl: string | DocumentNode): Requirements {
  const document = typeof sdl === 'string' ? parse(sdl, { noLocation: true }) : sdl;
  const { names, supergraph } = readLinks(document);
  const requirements: Requirements = new Map();
  /** Object type name → the interfaces it implements (definitions and extensions). */
  const implementations = new Map<string, Set<string>>();
  const interfaceFields = new Map<string, Set<string>>();

  for (const definition of document.definitions) {
    if (definition.kind === Kind.OBJECT_TYPE_DEFINITION || definition.kind === Kind.OBJECT_TYPE_EXTENSION) {
      addInterfaces(implementations, definition.name.value, definition.interfaces);
      readType(requirements, names, definition.name.value, definition.directives, definition.fields);
    } else if (
      definition.kind === Kind.INTERFACE_TYPE_DEFINITION ||
      definition.kind === Kind.INTERFACE_TYPE_EXTENSION
    ) {
      const fields = interfaceFields.get(definition.name.value) ?? new Set<string>();
      for (const field of definition.fields ?? []) fields.add(field.name.value);
      interfaceFields.set(definition.name.value, fields);
      readType(requirements, names, definition.name.value, definition.directives, definition.fields);
    } else if (
      definition.kind === Kind.ENUM_TYPE_DEFINITION ||
      definition.kind === Kind.ENUM_TYPE_EXTENSION ||
      definition.kind === Kind.SCALAR_TYPE_DEFINITION ||
      definition.kind === Kind.SCALAR_TYPE_EXTENSION
    ) {
      readType(requirements, names, definition.name.value, definition.directives, undefined);
    }
    // Unions and input types cannot carry these directives.
  }

  if (!supergraph) propagateToInterfaces(requirements, implementations, interfaceFields);
  return requirements;
}

/** Directive name (as written in this SDL) → which authorization directive it is. */
type DirectiveNames = Map<string, DirectiveKind>;

/**
 * The names under which this SDL's `@link`s make the three directives available, on top of the
 * plain and `federation__` names that are always recognised; and whether it is a supergraph.
 */
function readLinks(document: DocumentNode): { names: DirectiveNames; supergraph: boolean } {
  const names: DirectiveNames = new Map();
  for (const kind of KINDS) {
    names.set(kind, kind);
    names.set(`federation__${kind}`, kind);
  }
  let supergraph = false;
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const directive of definition.directives ?? []) {
      if (directive.name.value !== 'link') continue;
      const url = stringArgument(directive, 'url');
      // https://specs.apollo.dev/<spec>/v<version>: the spec's name is the next-to-last segment.
      const spec = url?.split('/').at(-2);
      if (!spec) continue;
      const as = stringArgument(directive, 'as') ?? spec;
      if (spec === 'join') supergraph = true;
      if (spec === 'federation') {
        for (const kind of KINDS) names.set(`${as}__${kind}`, kind);
        readImports(directive, names);
      } else if ((KINDS as readonly string[]).includes(spec)) {
        // A spec of its own (the supergraph's `@link(url: ".../authenticated/v0.1")`): its
        // directive is named after the spec, or after `as`, or what `import` renames it to
        // (composition writes a subgraph's `{ name: "@requiresScopes", as: "@scopes" }` so).
        names.set(as, spec as DirectiveKind);
        readImports(directive, names);
      }
    }
  }
  return { names, supergraph };
}

/** `import: ["@authenticated", { name: "@policy", as: "@allowed" }]` of a federation (or access spec) `@link`. */
function readImports(link: ConstDirectiveNode, names: DirectiveNames): void {
  const imports = link.arguments?.find((argument) => argument.name.value === 'import')?.value;
  if (imports?.kind !== Kind.LIST) return;
  for (const item of imports.values) {
    if (item.kind !== Kind.OBJECT) continue; // a plain "@name" keeps its name, known already
    const field = (name: string) => {
      const value = item.fields.find((f) => f.name.value === name)?.value;
      return value?.kind === Kind.STRING ? value.value.replace(/^@/, '') : undefined;
    };
    const name = field('name');
    const as = field('as');
    if (name && as && (KINDS as readonly string[]).includes(name)) names.set(as, name as DirectiveKind);
  }
}

function stringArgument(directive: ConstDirectiveNode, name: string): string | undefined {
  const value = directive.arguments?.find((argument) => argument.name.value === name)?.value;
  return value?.kind === Kind.STRING ? value.value : undefined;
}

function addInterfaces(
  implementations: Map<string, Set<string>>,
  type: string,
  interfaces: readonly NamedTypeNode[] | undefined,
): void {
  if (!interfaces || interfaces.length === 0) return;
  const set = implementations.get(type) ?? new Set<string>();
  for (const named of interfaces) set.add(named.name.value);
  implementations.set(type, set);
}

/** The directives of one type definition or extension, and of its fields. */
function readType(
  requirements: Requirements,
  names: DirectiveNames,
  type: string,
  directives: readonly ConstDirectiveNode[] | undefined,
  fields: readonly FieldDefinitionNode[] | undefined,
): void {
  readDirectives(requirements, names, type, directives);
  for (const field of fields ?? [])
    readDirectives(requirements, names, `${type}.${field.name.value}`, field.directives);
}

function readDirectives(
  requirements: Requirements,
  names: DirectiveNames,
  coordinate: string,
  directives: readonly ConstDirectiveNode[] | undefined,
): void {
  for (const directive of directives ?? []) {
    const kind = names.get(directive.name.value);
    if (!kind) continue;
    const requirement = requirementAt(requirements, coordinate);
    if (kind === 'authenticated') {
      requirement.authenticated = true;
      continue;
    }
    const argumentName = ARGUMENT[kind] as string;
    const value = directive.arguments?.find((argument) => argument.name.value === argumentName)?.value;
    if (!value) throw new Error(`@${directive.name.value} on ${coordinate} has no "${argumentName}" argument`);
    const alternatives = disjunction(value, `@${directive.name.value}(${argumentName}:) on ${coordinate}`);
    (kind === 'requiresScopes' ? requirement.scopes : requirement.policies).push(alternatives);
  }
}

function requirementAt(requirements: Requirements, coordinate: string): AccessRequirement {
  let requirement = requirements.get(coordinate);
  if (!requirement) {
    requirement = { authenticated: false, scopes: [], policies: [] };
    requirements.set(coordinate, requirement);
  }
  return requirement;
}

/**
 * A `[[String!]!]!` argument as written, with GraphQL's input coercion of a single value to a
 * list of one (`"a"` is `[["a"]]`, `["a", "b"]` is `[["a"], ["b"]]`). Anything else is a broken
 * SDL and fails loudly at start-up rather than letting a request through.
 */
function disjunction(value: ConstValueNode, where: string): string[][] {
  const items = value.kind === Kind.LIST ? value.values : [value];
  return items.map((item) => (item.kind === Kind.LIST ? item.values : [item]).map((name) => scopeName(name, where)));
}

function scopeName(value: ConstValueNode, where: string): string {
  if (value.kind !== Kind.STRING) throw new Error(`${where}: expected strings, found ${value.kind}`);
  return value.value;
}

/**
 * What composition does for a supergraph: an interface requires what each implementation
 * requires (type-level on the interface, field-level on its fields).
 */
function propagateToInterfaces(
  requirements: Requirements,
  implementations: Map<string, Set<string>>,
  interfaceFields: Map<string, Set<string>>,
): void {
  for (const [type, interfaces] of implementations) {
    for (const face of interfaces) {
      const fields = interfaceFields.get(face);
      if (!fields) continue; // not an interface of this SDL
      inherit(requirements, face, requirements.get(type));
      for (const field of fields) inherit(requirements, `${face}.${field}`, requirements.get(`${type}.${field}`));
    }
  }
}

function inherit(requirements: Requirements, coordinate: string, from: AccessRequirement | undefined): void {
  if (!from) return;
  const to = requirementAt(requirements, coordinate);
  to.authenticated ||= from.authenticated;
  to.scopes.push(...from.scopes);
  to.policies.push(...from.policies);
}
