import {
  FieldDefinition,
  InputFieldDefinition,
  ROUTER_SUPPORTED_SUPERGRAPH_FEATURES,
  Supergraph,
  type CompositeType,
  type NamedType,
  type Subgraph,
} from '@apollo/federation-internals';
import type { GraphQLSchema } from 'graphql';

/**
 * A composed supergraph as the checks read it. The features accepted are the router's (they
 * include the access directives linked `for: SECURITY`, which this graph's gateway enforces itself):
 * these checks compare schemas, they do not decide what a gateway can run.
 */
export function readSupergraph(sdl: string): Supergraph {
  return Supergraph.build(sdl, { supportedFeatures: ROUTER_SUPPORTED_SUPERGRAPH_FEATURES });
}

/** The API schema of a supergraph: the graph as clients see it (no join, link or inaccessible elements). */
export function apiSchemaOf(supergraph: Supergraph): GraphQLSchema {
  return supergraph.apiSchema().toGraphQLJSSchema();
}

/**
 * What one subgraph declares at a schema coordinate (`Type`, `Type.field`, `Type.field.argument`,
 * `Enum.VALUE`, `Input.field`), in a form that is equal when the subgraph declares it the same way;
 * undefined when the subgraph does not declare it. A field the subgraph only references (`@external`)
 * is not declared by it. Only what is read back from the supergraph counts (its `join__` directives),
 * so both sides of a comparison must come from supergraphs.
 */
export function declaration(subgraph: Subgraph, coordinate: string): string | undefined {
  const [typeName, member, argument] = coordinate.split('.');
  if (!typeName || typeName.startsWith('@')) return undefined;
  const type = subgraph.schema.type(typeName);
  if (!type) return undefined;
  if (member === undefined) return typeDeclaration(type);
  if (type.kind === 'EnumType') return type.value(member) ? 'value' : undefined;
  if (type.kind !== 'ObjectType' && type.kind !== 'InterfaceType' && type.kind !== 'InputObjectType') return undefined;
  const field = type.field(member);
  if (!field || subgraph.metadata().isFieldExternal(field)) return undefined;
  if (argument === undefined) return fieldDeclaration(field);
  if (!(field instanceof FieldDefinition)) return undefined;
  const arg = field.argument(argument);
  return arg ? `${arg.type?.toString() ?? ''}=${JSON.stringify(arg.defaultValue ?? null)}` : undefined;
}

function typeDeclaration(type: NamedType): string {
  switch (type.kind) {
    case 'ObjectType':
    case 'InterfaceType':
      return `${type.kind} implements ${[...type.interfaces()].map((i) => i.name).join('&')}`;
    case 'UnionType':
      return `${type.kind} = ${type
        .types()
        .map((t) => t.name)
        .join('|')}`;
    case 'EnumType':
    case 'InputObjectType':
    case 'ScalarType':
      return type.kind;
  }
}

function fieldDeclaration(field: FieldDefinition<CompositeType> | InputFieldDefinition): string {
  if (field instanceof InputFieldDefinition) {
    return `${field.type?.toString() ?? ''}=${JSON.stringify(field.defaultValue ?? null)}`;
  }
  const args = field.arguments().map((a) => `${a.name}: ${a.type?.toString() ?? ''}`);
  return `(${args.join(', ')}): ${field.type?.toString() ?? ''}`;
}

/**
 * The subgraphs a change at `coordinate` comes from: those that declare it differently in the new
 * supergraph than in the old one (added, removed or changed there). When no subgraph's declaration
 * changed (a change composition made, such as a merged description), those that declare it in
 * either supergraph. Names in the supergraph's order.
 */
export function subgraphsOf(coordinate: string, old: Supergraph, next: Supergraph): string[] {
  const oldSubgraphs = old.subgraphs();
  const newSubgraphs = next.subgraphs();
  const names = [...new Set([...oldSubgraphs.names(), ...newSubgraphs.names()])].sort();
  const declared = names.map((name) => {
    const before = oldSubgraphs.get(name);
    const after = newSubgraphs.get(name);
    return {
      name,
      before: before && declaration(before, coordinate),
      after: after && declaration(after, coordinate),
    };
  });
  const changed = declared.filter((d) => d.before !== d.after).map((d) => d.name);
  if (changed.length > 0) return changed;
  return declared.filter((d) => d.before !== undefined || d.after !== undefined).map((d) => d.name);
}
