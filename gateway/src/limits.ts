import type { ApolloServerOptions, ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ErrorCode, MAX_PAGE_SIZE } from '@bicentennial/schema';
import { type Logger } from '@bicentennial/service';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  getDirectiveValues,
  getNamedType,
  getNullableType,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isCompositeType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  OperationTypeNode,
  parse,
  type ConstDirectiveNode,
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
  type ParseOptions,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
  type ValueNode,
} from 'graphql';
import type { GatewayEnv } from './env';

/**
 * The demand-control directives of a supergraph (`@cost` and `@listSize`, the IBM GraphQL Cost
 * Directive specification as Apollo federation composes it: the subgraphs import them from
 * federation v2.9+, the supergraph carries them under `@link(url: "https://specs.apollo.dev/cost/v0.1")`),
 * by schema coordinate.
 */
export interface CostDirectives {
  /** `@cost` on an object, enum or scalar type: the weight of every field of that type. */
  types: ReadonlyMap<string, number>;
  /** `@cost` on a field (`Type.field`): its weight instead of its type's. */
  fields: ReadonlyMap<string, number>;
  /** `@cost` on an argument (`Type.field(argument:)`) or an input field (`Input.field`). */
  inputs: ReadonlyMap<string, number>;
  /** `@listSize` on a field (`Type.field`). */
  listSizes: ReadonlyMap<string, ListSize>;
}

/** One `@listSize`: how many items a list field (or the `sizedFields` of the object it returns) holds. */
export interface ListSize {
  assumedSize: number | undefined;
  slicingArguments: readonly string[];
  sizedFields: readonly string[];
  requireOneSlicingArgument: boolean;
}

/** A schema without the directives: every field costs the defaults. */
export const NO_COST_DIRECTIVES: CostDirectives = {
  types: new Map(),
  fields: new Map(),
  inputs: new Map(),
  listSizes: new Map(),
};

/** The cost specification's identity (its `@link` url without the version). */
const COST_SPEC = 'https://specs.apollo.dev/cost/';

/**
 * The names the supergraph's `@link` to the cost specification gives `@cost` and `@listSize`:
 * `@cost` is the specification's namesake (renamed with `as:`), `@listSize` is imported (possibly
 * under another name) or prefixed (`cost__listSize`). None without such a link.
 */
function costDirectiveNames(document: DocumentNode): { cost: string; listSize: string } | null {
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const link of definition.directives ?? []) {
      if (link.name.value !== 'link') continue;
      const url = argument(link, 'url');
      if (url?.kind !== Kind.STRING || !url.value.startsWith(COST_SPEC)) continue;
      const as = argument(link, 'as');
      const prefix = as?.kind === Kind.STRING ? as.value.replace(/^@/, '') : 'cost';
      let listSize = `${prefix}__listSize`;
      const imports = argument(link, 'import');
      for (const entry of imports?.kind === Kind.LIST ? imports.values : []) {
        if (entry.kind === Kind.STRING && entry.value === '@listSize') listSize = 'listSize';
        if (entry.kind === Kind.OBJECT) {
          const name = entry.fields.find((f) => f.name.value === 'name')?.value;
          const renamed = entry.fields.find((f) => f.name.value === 'as')?.value;
          if (name?.kind === Kind.STRING && name.value === '@listSize' && renamed?.kind === Kind.STRING)
            listSize = renamed.value.replace(/^@/, '');
        }
      }
      return { cost: prefix, listSize };
    }
  }
  return null;
}

function argument(directive: DirectiveNode | ConstDirectiveNode, name: string): ValueNode | undefined {
  return directive.arguments?.find((a) => a.name.value === name)?.value;
}

function intArgument(directive: ConstDirectiveNode, name: string): number | undefined {
  const value = argument(directive, name);
  return value?.kind === Kind.INT ? Number(value.value) : undefined;
}

function stringsArgument(directive: ConstDirectiveNode, name: string): string[] {
  const value = argument(directive, name);
  if (value?.kind !== Kind.LIST) return [];
  return value.values.flatMap((v) => (v.kind === Kind.STRING ? [v.value] : []));
}

/**
 * Reads `@cost` and `@listSize` from a composed supergraph's SDL, as `access.ts` reads the
 * authorization directives: the supergraph carries them on the types, fields and arguments the
 * subgraphs declared them on (composition merges a field's from every subgraph that declares it).
 */
export function costDirectivesFromSupergraph(sdl: string): CostDirectives {
  const document = parse(sdl, { noLocation: true });
  const names = costDirectiveNames(document);
  if (!names) return NO_COST_DIRECTIVES;
  const types = new Map<string, number>();
  const fields = new Map<string, number>();
  const inputs = new Map<string, number>();
  const listSizes = new Map<string, ListSize>();
  const weightOf = (directives: readonly ConstDirectiveNode[] | undefined) => {
    const cost = directives?.find((d) => d.name.value === names.cost);
    return cost ? intArgument(cost, 'weight') : undefined;
  };
  for (const definition of document.definitions) {
    if (
      definition.kind === Kind.OBJECT_TYPE_DEFINITION ||
      definition.kind === Kind.OBJECT_TYPE_EXTENSION ||
      definition.kind === Kind.INTERFACE_TYPE_DEFINITION ||
      definition.kind === Kind.INTERFACE_TYPE_EXTENSION
    ) {
      const type = definition.name.value;
      const typeWeight = weightOf(definition.directives);
      if (typeWeight !== undefined) types.set(type, typeWeight);
      for (const field of definition.fields ?? []) {
        const coordinate = `${type}.${field.name.value}`;
        const weight = weightOf(field.directives);
        if (weight !== undefined) fields.set(coordinate, weight);
        const listSize = field.directives?.find((d) => d.name.value === names.listSize);
        if (listSize) {
          const requireOne = argument(listSize, 'requireOneSlicingArgument');
          listSizes.set(coordinate, {
            assumedSize: intArgument(listSize, 'assumedSize'),
            slicingArguments: stringsArgument(listSize, 'slicingArguments'),
            sizedFields: stringsArgument(listSize, 'sizedFields'),
            // The directive's default is true (cost/v0.1).
            requireOneSlicingArgument: requireOne?.kind === Kind.BOOLEAN ? requireOne.value : true,
          });
        }
        for (const arg of field.arguments ?? []) {
          const argWeight = weightOf(arg.directives);
          if (argWeight !== undefined) inputs.set(`${coordinate}(${arg.name.value}:)`, argWeight);
        }
      }
    } else if (
      definition.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION ||
      definition.kind === Kind.INPUT_OBJECT_TYPE_EXTENSION
    ) {
      for (const field of definition.fields ?? []) {
        const weight = weightOf(field.directives);
        if (weight !== undefined) inputs.set(`${definition.name.value}.${field.name.value}`, weight);
      }
    } else if (
      definition.kind === Kind.ENUM_TYPE_DEFINITION ||
      definition.kind === Kind.ENUM_TYPE_EXTENSION ||
      definition.kind === Kind.SCALAR_TYPE_DEFINITION ||
      definition.kind === Kind.SCALAR_TYPE_EXTENSION
    ) {
      const weight = weightOf(definition.directives);
      if (weight !== undefined) types.set(definition.name.value, weight);
    }
  }
  return { types, fields, inputs, listSizes };
}

/**
 * The size of a list that declares no `@listSize` (Apollo Router's `static_estimated.list_size`):
 * the largest page. Every list of objects in this graph declares one (limits.test.ts checks it).
 */
export const DEFAULT_LIST_SIZE = MAX_PAGE_SIZE;

/** How many fields (fragments spread out) an operation may have for its cost to be estimated. */
export const MAX_COSTED_FIELDS = 10_000;

/** The sizing a field's `@listSize` passes to the fields of the object it returns. */
interface Sizing {
  /** Its slicing argument's value, else its assumedSize. */
  size: number | undefined;
  sizedFields: ReadonlySet<string>;
}

/** Thrown when an operation expands to more than MAX_COSTED_FIELDS fields. */
export class OperationTooLarge extends Error {
  constructor(readonly fields: number) {
    super(`the operation expands to more than ${MAX_COSTED_FIELDS} fields`);
  }
}

/**
 * What a selection set adds up to once its fragments are spread out, each spread counting the
 * fragment again (as planning and execution see it): `weigh` says what a field counts itself and
 * whether the fields under it count too. Each fragment is counted once and remembered, so a short
 * document that spreads a fragment that spreads another, 25 times each, is counted in a few steps;
 * past `stopAt` the exact figure does not matter (it may grow beyond any number) and counting stops.
 */
function spreadCount(
  document: DocumentNode,
  selectionSet: SelectionSetNode,
  weigh: (field: FieldNode) => { own: number; under: boolean },
  stopAt: number,
): number {
  const fragments = fragmentsOf(document);
  const counted = new Map<string, number>();
  const count = (set: SelectionSetNode | undefined): number => {
    let total = 0;
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        const { own, under } = weigh(selection);
        total += own + (under ? count(selection.selectionSet) : 0);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) total += count(selection.selectionSet);
      else {
        const name = selection.name.value;
        let fragmentCount = counted.get(name);
        if (fragmentCount === undefined) {
          // A cycle (refused by validation as well) counts nothing rather than looping.
          counted.set(name, 0);
          fragmentCount = count(fragments.get(name)?.selectionSet);
          counted.set(name, fragmentCount);
        }
        total += fragmentCount;
      }
      if (total > stopAt) return stopAt + 1;
    }
    return total;
  };
  return count(selectionSet);
}

/**
 * The number of fields of an operation once its fragments are spread out (`spreadCount`), past
 * MAX_COSTED_FIELDS given as MAX_COSTED_FIELDS + 1.
 */
export function expandedFieldCount(document: DocumentNode, operationName?: string | null): number {
  const operation = getOperationAST(document, operationName);
  if (!operation) return 0;
  return spreadCount(document, operation.selectionSet, () => ({ own: 1, under: true }), MAX_COSTED_FIELDS);
}

const INTROSPECTION_FIELDS = new Set(['__schema', '__type']);

/**
 * How many introspection fields (`__schema`, `__type`) an operation selects, at any depth, a
 * fragment counted at every spread (`spreadCount`); past `stopAt`, `stopAt + 1`.
 */
export function introspectionFieldCount(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  stopAt = Number.MAX_SAFE_INTEGER,
): number {
  return spreadCount(
    document,
    operation.selectionSet,
    (field) => (INTROSPECTION_FIELDS.has(field.name.value) ? { own: 1, under: false } : { own: 0, under: true }),
    stopAt,
  );
}

/**
 * A validation rule: an operation selecting more than `limit` introspection fields (`__schema`,
 * `__type`, a fragment counted at every spread) is refused with INTROSPECTION_LIMIT_EXCEEDED and
 * the limit. graphql-js's own MaxIntrospectionDepthRule (among the specified rules) bounds how deep
 * one of them nests `fields`, `interfaces`, `possibleTypes` and `inputFields`; this bounds how many
 * there are, which aliases would otherwise multiply (introspection costs nothing in the estimate).
 */
export function maxIntrospectionFields(
  limit: number,
  onReject: (message: string) => void = () => undefined,
): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      const found = introspectionFieldCount(context.getDocument(), operation, limit);
      if (found <= limit) return;
      const message = `The operation selects more than ${limit} introspection fields (__schema, __type), the limit: one __schema answers everything introspection can tell.`;
      onReject(message);
      context.reportError(
        new GraphQLError(message, {
          nodes: operation,
          extensions: { code: ErrorCode.INTROSPECTION_LIMIT_EXCEEDED, limit },
        }),
      );
    },
  });
}

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  return fragments;
}

/**
 * The estimated cost of an operation, before anything is planned or fetched, by Apollo Router's
 * static estimation (its demand control, `StaticCostCalculator`) over the supergraph's API schema
 * and its `@cost` / `@listSize`:
 *
 * - an operation costs 10 for a mutation (0 for a query), plus its fields;
 * - a field costs its `@cost` weight, else its type's `@cost`, else 1 when it returns an object,
 *   interface or union and 0 for a scalar or enum; plus the cost of its selections; times the
 *   size of the list when it returns one; plus the cost of its arguments;
 * - a list's size is the value its parent field's `@listSize` gives it when it is one of the
 *   parent's `sizedFields` (a page's `nodes`), else its own `@listSize`: the largest value of its
 *   slicing arguments (written, passed as a variable, or the argument's default; a list argument
 *   counts its items), else its `assumedSize`; else DEFAULT_LIST_SIZE;
 * - an argument costs its `@cost` weight (or its type's), else 1 for an input object plus its
 *   fields, each item of a list, 0 for a scalar or enum; a variable's value is costed the same way;
 * - `__typename` costs 0, and so does a field left out by `@skip` / `@include`.
 *
 * Where this differs from the Router: the operation is costed as the client sent it (the Router
 * costs each subgraph fetch of the query plan, which adds the key fields the planner adds); only
 * the operation to be executed is costed (the Router sums every operation of the document);
 * `@skip` / `@include` are honoured with their variables too, and `@skip` / `@include` on
 * fragments as well; a list's size is never below 0 (a negative `first` does not lower the
 * estimate); introspection (`__schema`, `__type`) costs 0: the gateway answers it from the schema
 * it holds, without any subgraph; `@requires` costs nothing extra (the graph has none).
 * `requireOneSlicingArgument` is not enforced: every `@listSize` with slicing arguments here sets
 * it to false (limits.test.ts checks it).
 */
export function estimateCost(options: {
  schema: GraphQLSchema;
  directives: CostDirectives;
  document: DocumentNode;
  operationName?: string | null | undefined;
  /** The operation's variables, coerced (`getVariableValues`), defaults included. */
  variables: Record<string, unknown>;
}): number {
  const { schema, directives, document, variables } = options;
  const operation = getOperationAST(document, options.operationName);
  if (!operation) return 0;
  const root = schema.getRootType(operation.operation);
  if (!root) return 0;
  const fragments = fragmentsOf(document);
  const spreads = new Map<string, number>();

  const included = (node: { directives?: readonly DirectiveNode[] | undefined }) => {
    if (!node.directives?.length) return true;
    if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.['if'] === true) return false;
    return getDirectiveValues(GraphQLIncludeDirective, node, variables)?.['if'] !== false;
  };

  const selectionSetCost = (
    selectionSet: SelectionSetNode | undefined,
    parent: GraphQLCompositeType,
    sizing: Sizing | null,
  ): number => {
    let total = 0;
    for (const selection of selectionSet?.selections ?? []) {
      if (!included(selection)) continue;
      if (selection.kind === Kind.FIELD) total += fieldCost(selection, parent, sizing);
      else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (condition && isCompositeType(condition))
          total += selectionSetCost(selection.selectionSet, condition, sizing);
      } else {
        const fragment = fragments.get(selection.name.value);
        const condition = fragment && schema.getType(fragment.typeCondition.name.value);
        if (!fragment || !condition || !isCompositeType(condition)) continue;
        // A fragment costs the same wherever it is spread with the same sizing: worked out once.
        const key = `${fragment.name.value}|${sizing ? `${sizing.size}|${[...sizing.sizedFields].join(',')}` : ''}`;
        let cost = spreads.get(key);
        if (cost === undefined) {
          spreads.set(key, 0);
          cost = selectionSetCost(fragment.selectionSet, condition, sizing);
          spreads.set(key, cost);
        }
        total += cost;
      }
    }
    return total;
  };

  const fieldCost = (node: FieldNode, parent: GraphQLCompositeType, sizing: Sizing | null): number => {
    const name = node.name.value;
    // __typename, and introspection: answered by the gateway from the schema it holds.
    if (name.startsWith('__')) return 0;
    if (!isObjectType(parent) && !isInterfaceType(parent)) return 0;
    const definition = parent.getFields()[name];
    if (!definition) return 0;
    const coordinate = `${parent.name}.${name}`;
    const listSize = directives.listSizes.get(coordinate);
    const own: Sizing | null = listSize
      ? {
          size: slicingSize(node, definition, listSize, variables) ?? listSize.assumedSize,
          sizedFields: new Set(listSize.sizedFields),
        }
      : null;
    const returned = getNamedType(definition.type);
    let instances = 1;
    if (isListType(getNullableType(definition.type))) {
      const fromParent = sizing?.sizedFields.has(name) ? sizing.size : undefined;
      instances = Math.max(0, fromParent ?? own?.size ?? DEFAULT_LIST_SIZE);
    }
    const weight =
      directives.fields.get(coordinate) ?? directives.types.get(returned.name) ?? (isCompositeType(returned) ? 1 : 0);
    const selections = isCompositeType(returned) ? selectionSetCost(node.selectionSet, returned, own) : 0;
    let argumentsCost = 0;
    for (const arg of node.arguments ?? []) {
      const argDefinition = definition.args.find((a) => a.name === arg.name.value);
      if (!argDefinition) continue;
      const argWeight =
        directives.inputs.get(`${coordinate}(${argDefinition.name}:)`) ??
        directives.types.get(getNamedType(argDefinition.type).name);
      argumentsCost += valueCost(arg.value, argDefinition.type, argWeight);
    }
    return instances * (weight + selections) + argumentsCost;
  };

  /** An argument written in the operation (Router's `score_argument`). */
  const valueCost = (value: ValueNode, type: GraphQLInputType, weight: number | undefined): number => {
    const named = getNamedType(type);
    if (value.kind === Kind.VARIABLE) return variableCost(variables[value.name.value], type, weight);
    if (value.kind === Kind.NULL) return 0;
    if (value.kind === Kind.LIST) {
      const itemType = getNullableType(type);
      const items = isListType(itemType) ? itemType.ofType : type;
      return value.values.reduce((sum, item) => sum + valueCost(item, items, weight), weight ?? 0);
    }
    if (value.kind === Kind.OBJECT && isInputObjectType(named)) {
      const fields = named.getFields();
      let cost = weight ?? 1;
      for (const field of value.fields) {
        const definition = fields[field.name.value];
        if (!definition) continue;
        cost += valueCost(field.value, definition.type, inputWeight(named.name, definition.name, definition.type));
      }
      return cost;
    }
    // A scalar or an enum.
    return weight ?? 0;
  };

  /** A variable's value (Router's `score_variable`), walked along its input type only. */
  const variableCost = (value: unknown, type: GraphQLInputType, weight: number | undefined): number => {
    if (value === null || value === undefined) return 0;
    const named = getNamedType(type);
    if (Array.isArray(value)) {
      const itemType = getNullableType(type);
      const items = isListType(itemType) ? itemType.ofType : type;
      return value.reduce<number>((sum, item) => sum + variableCost(item, items, weight), weight ?? 0);
    }
    if (isInputObjectType(named) && typeof value === 'object') {
      const fields = named.getFields();
      let cost = weight ?? 1;
      for (const [key, item] of Object.entries(value)) {
        const definition = fields[key];
        if (!definition) continue;
        cost += variableCost(item, definition.type, inputWeight(named.name, key, definition.type));
      }
      return cost;
    }
    return weight ?? 0;
  };

  const inputWeight = (input: string, field: string, type: GraphQLInputType) =>
    directives.inputs.get(`${input}.${field}`) ?? directives.types.get(getNamedType(type).name);

  return (
    (operation.operation === OperationTypeNode.MUTATION ? 10 : 0) + selectionSetCost(operation.selectionSet, root, null)
  );
}

/**
 * The estimated cost of an operation (`estimateCost`) with the variables a client sends, coerced
 * against the operation's variable definitions (their defaults included); a variable that does not
 * fit its type throws. For tests and tools: the gateway costs every operation in `costLimitPlugin`.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> = {},
  operationName?: string,
  directives: CostDirectives = NO_COST_DIRECTIVES,
): number {
  const operation = getOperationAST(document, operationName);
  const coerced = getVariableValues(schema, operation?.variableDefinitions ?? [], variables);
  if (coerced.errors) throw coerced.errors[0]!;
  return estimateCost({ schema, directives, document, operationName, variables: coerced.coerced });
}

/**
 * The size a field's slicing arguments give (the largest of them): an Int written or passed as a
 * variable, the length of a list, or the argument's default; undefined when none is given.
 */
function slicingSize(
  node: FieldNode,
  definition: GraphQLField<unknown, unknown>,
  listSize: ListSize,
  variables: Record<string, unknown>,
): number | undefined {
  let size: number | undefined;
  for (const path of listSize.slicingArguments) {
    const [name, ...nested] = path.split('.');
    const written = node.arguments?.find((a) => a.name.value === name)?.value;
    let value: unknown = written
      ? valueOf(written, variables)
      : definition.args.find((a) => a.name === name)?.defaultValue;
    for (const key of nested) {
      value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    }
    const found = Array.isArray(value) ? value.length : Number.isInteger(value) ? (value as number) : undefined;
    if (found !== undefined) size = Math.max(size ?? found, found);
  }
  return size;
}

/** A written value as JSON (variables replaced), for reading slicing arguments. */
function valueOf(value: ValueNode, variables: Record<string, unknown>): unknown {
  if (value.kind === Kind.VARIABLE) return variables[value.name.value];
  if (value.kind === Kind.INT) return Number(value.value);
  if (value.kind === Kind.LIST) return value.values.map((item) => valueOf(item, variables));
  if (value.kind === Kind.OBJECT) {
    return Object.fromEntries(value.fields.map((f) => [f.name.value, valueOf(f.value, variables)]));
  }
  return undefined;
}

/** A refusal by a query limit: its own code and the limit's value, HTTP 400 (graphqlOverHttp.ts). */
function limitError(message: string, code: string, limit: number, extensions: Record<string, unknown> = {}) {
  return new GraphQLError(message, { extensions: { code, limit, ...extensions, http: { status: 400 } } });
}

/**
 * Refuses an operation whose estimated cost (`estimateCost`, with its variables and the
 * supergraph's `@cost` / `@listSize`) is above `maxCost`, once it is validated and before it is
 * planned or reaches any subgraph: COST_ESTIMATED_TOO_EXPENSIVE with `extensions.cost: { estimated,
 * limit }`. One whose fragments expand past MAX_COSTED_FIELDS fields is refused before it is costed.
 */
export function costLimitPlugin(maxCost: number, logger: Logger): ApolloServerPlugin {
  let directives = NO_COST_DIRECTIVES;
  const refuse = (error: GraphQLError) => {
    logger.info({ reason: error.message, code: error.extensions['code'] }, 'operation refused by a query limit');
    return error;
  };
  return {
    serverWillStart: () =>
      Promise.resolve({
        // The supergraph's directives, read again whenever the gateway takes a new supergraph.
        schemaDidLoadOrUpdate: ({ coreSupergraphSdl }) => {
          directives = coreSupergraphSdl ? costDirectivesFromSupergraph(coreSupergraphSdl) : NO_COST_DIRECTIVES;
        },
      }),
    requestDidStart: () =>
      Promise.resolve({
        didResolveOperation: ({ request, document, schema, operation, operationName }) => {
          // Variables that do not fit their types are execution's to refuse, with its own coded error.
          const variables = getVariableValues(schema, operation?.variableDefinitions ?? [], request.variables ?? {});
          if (variables.errors) return Promise.resolve();
          const fields = expandedFieldCount(document, operationName);
          if (fields > MAX_COSTED_FIELDS) {
            throw refuse(
              limitError(
                `The operation expands to more than ${MAX_COSTED_FIELDS} fields once its fragments are spread out (a fragment counts at every spread): too large to estimate its cost.`,
                ErrorCode.FIELD_LIMIT_EXCEEDED,
                MAX_COSTED_FIELDS,
              ),
            );
          }
          const estimated = estimateCost({ schema, directives, document, operationName, variables: variables.coerced });
          if (estimated > maxCost) {
            throw refuse(
              limitError(
                `The operation's estimated cost is ${estimated}, above the limit of ${maxCost}: ask for smaller pages (\`first\`) or fewer nested lists.`,
                ErrorCode.COST_ESTIMATED_TOO_EXPENSIVE,
                maxCost,
                { cost: { estimated, limit: maxCost } },
              ),
            );
          }
          return Promise.resolve();
        },
      }),
  };
}

/**
 * How deep graphql-js's MaxIntrospectionDepthRule (one of the specified rules) lets introspection
 * nest its lists (`fields`, `interfaces`, `possibleTypes`, `inputFields`): the third is refused.
 */
export const INTROSPECTION_LIST_DEPTH = 2;

/**
 * A validation error of graphql-js's MaxIntrospectionDepthRule as this gateway's limits say it:
 * INTROSPECTION_DEPTH_LIMIT_EXCEEDED with the limit (the rule itself gives no code); null for any
 * other error. Used by `formatLimitErrors` (/graphql) and by explain.ts.
 */
export function introspectionDepthRefusal(message: string): { message: string; code: string; limit: number } | null {
  if (message !== 'Maximum introspection depth exceeded') return null;
  return {
    message: `The operation nests introspection's lists (fields, interfaces, possibleTypes, inputFields) more than ${INTROSPECTION_LIST_DEPTH} deep, the limit: ask for a type's fields' types by name with __type instead.`,
    code: ErrorCode.INTROSPECTION_DEPTH_LIMIT_EXCEEDED,
    limit: INTROSPECTION_LIST_DEPTH,
  };
}

/** The codes of the limits graphql-armor's rules, `maxIntrospectionFields` and graphql-js's parser apply. */
const SHAPE_LIMIT_CODES = new Set<string>([
  ErrorCode.INTROSPECTION_LIMIT_EXCEEDED,
  ErrorCode.DEPTH_LIMIT_EXCEEDED,
  ErrorCode.ALIAS_LIMIT_EXCEEDED,
  ErrorCode.DIRECTIVE_LIMIT_EXCEEDED,
]);

/** graphql-js's parser's message when it stops at `maxTokens` (graphql 16, its spelling). */
const TOO_MANY_TOKENS = /^Syntax Error: Document contains more that (\d+) tokens\. Parsing aborted\.$/;

type FormatError = NonNullable<ApolloServerOptions<BaseContext>['formatError']>;

/** Whether an error was caused by running out of stack (graphql-js's parser recurses per level). */
function outOfStack(error: unknown): boolean {
  for (let cause = error; cause instanceof Error; cause = (cause as { originalError?: unknown }).originalError) {
    if (cause instanceof RangeError) return true;
  }
  return false;
}

/**
 * Gives each limit's refusal its own code, where Apollo Server gives every validation error
 * GRAPHQL_VALIDATION_FAILED and every parse error GRAPHQL_PARSE_FAILED: the limit rules' errors
 * (their code kept as the original error's), the parser's stop at the token limit
 * (TOKEN_LIMIT_EXCEEDED), and a document nested so deep that the parser ran out of stack before
 * reaching the token limit (about 2,000 levels; DEPTH_LIMIT_EXCEEDED, far past `depthLimit`).
 * Everything else goes to `next` unchanged.
 */
export function formatLimitErrors(next: FormatError, depthLimit: number): FormatError {
  return (formatted, error) => {
    const original = error instanceof GraphQLError ? error.originalError : undefined;
    const originalCode = original instanceof GraphQLError ? original.extensions['code'] : undefined;
    if (typeof originalCode === 'string' && SHAPE_LIMIT_CODES.has(originalCode)) {
      return next({ ...formatted, extensions: { ...formatted.extensions, code: originalCode } }, error);
    }
    const deepIntrospection =
      formatted.extensions?.['code'] === 'GRAPHQL_VALIDATION_FAILED' && introspectionDepthRefusal(formatted.message);
    if (deepIntrospection) {
      const { message, code, limit } = deepIntrospection;
      return next({ ...formatted, message, extensions: { ...formatted.extensions, code, limit } }, error);
    }
    const tokens = formatted.extensions?.['code'] === 'GRAPHQL_PARSE_FAILED' && TOO_MANY_TOKENS.exec(formatted.message);
    if (tokens) {
      const limit = Number(tokens[1]);
      return next(
        {
          ...formatted,
          message: `The document has more than ${limit} tokens, the limit: parsing stopped there.`,
          extensions: { ...formatted.extensions, code: ErrorCode.TOKEN_LIMIT_EXCEEDED, limit },
        },
        error,
      );
    }
    if (formatted.extensions?.['code'] === 'GRAPHQL_PARSE_FAILED' && outOfStack(error)) {
      return next(
        {
          message: `The document is nested too deeply to be parsed, far beyond the depth limit of ${depthLimit}.`,
          extensions: { code: ErrorCode.DEPTH_LIMIT_EXCEEDED, limit: depthLimit },
        },
        error,
      );
    }
    return next(formatted, error);
  };
}

export interface QueryLimits {
  validationRules: ValidationRule[];
  plugins: ApolloServerPlugin[];
  parseOptions: ParseOptions;
  /** Wraps the server's `formatError` so that each limit's refusal keeps its own code. */
  formatError: (next: FormatError) => FormatError;
}

/**
 * Limits on an operation, checked before it is planned or reaches any subgraph: tokens
 * (graphql-js's parser, which stops at the limit), depth, aliases and directives (graphql-armor's
 * validation rules) and the estimated cost (`costLimitPlugin`). Each refusal is one error with its
 * own code and `extensions.limit`: TOKEN_LIMIT_EXCEEDED, DEPTH_LIMIT_EXCEEDED, ALIAS_LIMIT_EXCEEDED,
 * DIRECTIVE_LIMIT_EXCEEDED, INTROSPECTION_LIMIT_EXCEEDED (`maxIntrospectionFields`),
 * FIELD_LIMIT_EXCEEDED, COST_ESTIMATED_TOO_EXPENSIVE (HTTP status:
 * graphqlOverHttp.ts).
 */
export function queryLimits(env: GatewayEnv, logger: Logger): QueryLimits {
  /**
   * Each limit reports its own coded error (graphql-armor would report BAD_USER_INPUT); Apollo
   * Server files it as a validation error, and `formatLimitErrors` gives it its code back.
   */
  const rejected = (code: string, limit: number) => [
    (context: ValidationContext | null, error: GraphQLError) => {
      const message = error.message.replace(/^Syntax Error: /, '');
      logger.info({ reason: message, code }, 'operation refused by a query limit');
      context?.reportError(new GraphQLError(message, { extensions: { code, limit } }));
    },
  ];
  const armor = new ApolloArmor({
    maxDepth: {
      n: env.QUERY_MAX_DEPTH,
      onReject: rejected(ErrorCode.DEPTH_LIMIT_EXCEEDED, env.QUERY_MAX_DEPTH),
      propagateOnRejection: false,
    },
    maxAliases: {
      n: env.QUERY_MAX_ALIASES,
      onReject: rejected(ErrorCode.ALIAS_LIMIT_EXCEEDED, env.QUERY_MAX_ALIASES),
      propagateOnRejection: false,
    },
    maxDirectives: {
      n: env.QUERY_MAX_DIRECTIVES,
      onReject: rejected(ErrorCode.DIRECTIVE_LIMIT_EXCEEDED, env.QUERY_MAX_DIRECTIVES),
      propagateOnRejection: false,
    },
    // Armor's cost ignores variables and the schema's directives (`costLimitPlugin` reads both),
    // and its Apollo token plugin parses every document a second time and answers 500.
    costLimit: { enabled: false },
    maxTokens: { enabled: false },
    // The schema is public (introspection is on): suggestions help analysts more than they hide.
    blockFieldSuggestion: { enabled: false },
  }).protect();
  const introspection = maxIntrospectionFields(env.QUERY_MAX_INTROSPECTION, (reason) =>
    logger.info({ reason, code: ErrorCode.INTROSPECTION_LIMIT_EXCEEDED }, 'operation refused by a query limit'),
  );
  return {
    validationRules: [...armor.validationRules, introspection],
    plugins: [...armor.plugins, costLimitPlugin(env.QUERY_MAX_COST, logger)],
    parseOptions: { maxTokens: env.QUERY_MAX_TOKENS },
    formatError: (next) => formatLimitErrors(next, env.QUERY_MAX_DEPTH),
  };
}
