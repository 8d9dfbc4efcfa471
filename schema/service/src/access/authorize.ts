import {
  GraphQLError,
  Kind,
  getNamedType,
  isAbstractType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  type DefinitionNode,
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
  type ValueNode,
  type VariableDefinitionNode,
} from 'graphql';
import { ErrorCode } from '@bicentennial/schema';
import type { AccessRequirement, Requirements } from './requirements';

/*
 * Federation's authorization directives (`@authenticated`, `@requiresScopes`, `@policy`) enforced
 * on one operation, the way Apollo Router's authorization plugin does it: what the caller may not
 * see is removed from the operation before it is planned or executed, each removed field answers
 * `null` with an `UNAUTHORIZED_FIELD_OR_TYPE` error, and the rest of the operation runs. The
 * gateway runs it before query planning, every subgraph again on what it receives.
 *
 * It runs on every request, so it is one recursive pass over the selected operation that
 * allocates nothing while nothing is removed: every step returns the very node it was given when
 * nothing under it changed, and only the path from a removal up to the operation is copied. (A
 * hand-written walk rather than graphql's `visit` with `TypeInfo`: a named fragment has to be
 * filtered again at every path it is spread at, which `visit` over the document cannot do.)
 *
 * When is a field unauthorized (the caller's `allows` says no to one of these requirements)?
 * - the requirement of its own coordinate, `Parent.field`, where `Parent` is the type the field is
 *   selected on: for a field selected on an interface that is the interface's field (composition
 *   gives it the requirements of every implementation's field; so does `requirementsFromSdl` for a
 *   subgraph SDL);
 * - the requirement of the named type it returns (object, interface, enum or scalar; for an
 *   interface only the interface's own requirement, which composition makes the union of its
 *   implementations'; unions carry none, their members are checked by the fragments on them);
 * - the requirement of the type it is selected on: that is how a fragment (inline or named) whose
 *   type condition names an unauthorized type loses all its fields, and how a protected root
 *   type loses its root fields.
 * `__typename` is never removed, nor are the introspection fields `__schema` and `__type` (who
 * may introspect is decided elsewhere).
 *
 * A selection set left empty removes the field (or fragment) that holds it too, without an error
 * of its own: it just answers `null` (`restoreRemoved`). If nothing is left of the operation at
 * all, `nothingLeft` says so and there is nothing to execute.
 */

/** One field taken out of the operation. */
export interface RemovedField {
  /** Response keys (aliases) from the root, with `"@"` for every list crossed (as the Router writes it). */
  path: string[];
  /** The schema coordinate that was selected, `Type.field` (`Type` as selected on). */
  coordinate: string;
}

export interface AuthorizeOptions {
  /** The API schema the operation is written against (types only: no directives are read from it). */
  schema: GraphQLSchema;
  /** `requirementsFromSdl` of the same graph; treated as immutable (indexed once). */
  requirements: Requirements;
  /** The operation, already validated against `schema`. */
  document: DocumentNode;
  operationName?: string | null | undefined;
  /** Whether the caller meets one coordinate's requirement (asked at most once per requirement). */
  allows: (requirement: AccessRequirement) => boolean;
}

export interface AuthorizeResult {
  /**
   * What to plan and execute: the same object as the input when nothing was removed; otherwise
   * the selected operation alone, filtered, with the fragments it still spreads (those filtered
   * differently at some path are inlined there) and only the variables it still uses. When
   * `nothingLeft`, the input document, which must not be executed.
   */
  document: DocumentNode;
  /** What was removed, one entry per response path, in document order. */
  removed: RemovedField[];
  /** One `Unauthorized field or type` error per entry of `removed`, with its path. */
  errors: GraphQLError[];
  /** Nothing is left of the operation's root selection: answer without executing. */
  nothingLeft: boolean;
}

/**
 * The alias of the `__typename` that `authorizeOperation` adds where a removal happened inside a
 * fragment on a narrower type than the field's (`node { ... on Secret { code } }`): only
 * `restoreRemoved` can tell from it which objects the fragment applied to, and it always deletes
 * it again. (A client's own field of this name would clash; nobody spells one this way.)
 */
export const AUTHZ_TYPENAME = '__authz_typename';

const TYPENAME_FIELD: FieldNode = Object.freeze({
  kind: Kind.FIELD,
  alias: Object.freeze({ kind: Kind.NAME, value: AUTHZ_TYPENAME }),
  name: Object.freeze({ kind: Kind.NAME, value: '__typename' }),
});

/** The list segment of a path. */
const LIST = '@';

/** `Requirements` re-keyed for the walk: type name, then field name (no string built per field). */
interface Index {
  types: Map<string, AccessRequirement>;
  fields: Map<string, Map<string, AccessRequirement>>;
}
const indexes = new WeakMap<Requirements, Index>();

function indexOf(requirements: Requirements): Index {
  let index = indexes.get(requirements);
  if (index) return index;
  index = { types: new Map(), fields: new Map() };
  for (const [coordinate, requirement] of requirements) {
    const dot = coordinate.indexOf('.');
    if (dot < 0) {
      index.types.set(coordinate, requirement);
      continue;
    }
    const type = coordinate.slice(0, dot);
    let fields = index.fields.get(type);
    if (!fields) index.fields.set(type, (fields = new Map<string, AccessRequirement>()));
    fields.set(coordinate.slice(dot + 1), requirement);
  }
  indexes.set(requirements, index);
  return index;
}

/** The state of one `authorizeOperation` walk. */
interface Walk {
  schema: GraphQLSchema;
  index: Index;
  allows: (requirement: AccessRequirement) => boolean;
  /** `allows` answers, created at the first requirement met. */
  decisions: Map<AccessRequirement, boolean> | undefined;
  fragments: Map<string, FragmentDefinitionNode>;
  /** Fragments being expanded right now: a cycle (an invalid document) is left alone. */
  expanding: Set<string>;
  /** Response path of the selection set being walked (mutated in place, copied on removal). */
  path: string[];
  removed: RemovedField[];
  /** For each of `removed`, the requirements the caller failed (the field's and its type's, or the parent's). */
  failed: (AccessRequirement | undefined)[][];
  /** Paths already in `removed` (the same field can be removed through two fragments). */
  seen: Set<string>;
  /**
   * Set when something was removed inside a fragment narrower than the object it is on: the
   * field that returned that object then selects `__typename` under `AUTHZ_TYPENAME`.
   */
  narrowedRemoval: boolean;
}

/** Filters `document`'s selected operation for a caller (see the module comment). */
export function authorizeOperation(options: AuthorizeOptions): AuthorizeResult {
  const { schema, requirements, document, operationName, allows } = options;
  const untouched: AuthorizeResult = { document, removed: [], errors: [], nothingLeft: false };
  if (requirements.size === 0) return untouched;
  // No such operation, or no such root type: execution reports it, with nothing to hide.
  const operation = selectOperation(document, operationName);
  const root = operation && schema.getRootType(operation.operation);
  if (!operation || !root) return untouched;

  const walk: Walk = {
    schema,
    index: indexOf(requirements),
    allows,
    decisions: undefined,
    fragments: fragmentsOf(document),
    expanding: new Set(),
    path: [],
    removed: [],
    failed: [],
    seen: new Set(),
    narrowedRemoval: false,
  };
  const selectionSet = filterSelectionSet(walk, operation.selectionSet, root);
  if (selectionSet === operation.selectionSet) return untouched;

  // Apollo Router's message and code, then what the field needs (clients match on the code).
  const errors = walk.removed.map(
    ({ path, coordinate }, index) =>
      new GraphQLError(
        `Unauthorized field or type: ${coordinate} needs ${describeRequirements(walk.failed[index] ?? [])}.`,
        {
          path,
          extensions: { code: ErrorCode.UNAUTHORIZED_FIELD_OR_TYPE },
        },
      ),
  );
  if (selectionSet === null) return { document, removed: walk.removed, errors, nothingLeft: true };
  return {
    document: rebuildDocument(document, operation, { ...operation, selectionSet }, walk.fragments),
    removed: walk.removed,
    errors,
    nothingLeft: false,
  };
}

function selectOperation(
  document: DocumentNode,
  operationName: string | null | undefined,
): OperationDefinitionNode | undefined {
  let found: OperationDefinitionNode | undefined;
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    if (operationName) {
      if (definition.name?.value === operationName) return definition;
    } else {
      if (found) return undefined; // several operations and no name: execution refuses it
      found = definition;
    }
  }
  return found;
}

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  return fragments;
}

/** Whether the caller fails `requirement` (none: nothing to fail). */
function denied(walk: Walk, requirement: AccessRequirement | undefined): boolean {
  if (!requirement) return false;
  walk.decisions ??= new Map();
  let allowed = walk.decisions.get(requirement);
  if (allowed === undefined) {
    allowed = walk.allows(requirement);
    walk.decisions.set(requirement, allowed);
  }
  return !allowed;
}

/**
 * `set` filtered for selection on `type`: `set` itself when nothing changed, `null` when nothing
 * is left, else a copy holding what is left.
 */
function filterSelectionSet(walk: Walk, set: SelectionSetNode, type: GraphQLCompositeType): SelectionSetNode | null {
  const typeDenied = denied(walk, walk.index.types.get(type.name));
  const selections = set.selections;
  let kept: SelectionNode[] | undefined; // created at the first change
  for (let i = 0; i < selections.length; i++) {
    const selection = selections[i] as SelectionNode;
    const result = filterSelection(walk, selection, type, typeDenied);
    if (result === selection && kept === undefined) continue;
    kept ??= selections.slice(0, i);
    if (result !== null) kept.push(result);
  }
  if (kept === undefined) return set;
  if (kept.length === 0) return null;
  return { ...set, selections: kept };
}

function filterSelection(
  walk: Walk,
  selection: SelectionNode,
  type: GraphQLCompositeType,
  typeDenied: boolean,
): SelectionNode | null {
  switch (selection.kind) {
    case Kind.FIELD:
      return filterField(walk, selection, type, typeDenied);
    case Kind.INLINE_FRAGMENT: {
      const condition = selection.typeCondition ? walk.schema.getType(selection.typeCondition.name.value) : type;
      if (!isCompositeType(condition)) return selection; // invalid: validation says so
      const set = filterFragment(walk, selection.selectionSet, type, condition);
      if (set === selection.selectionSet) return selection;
      return set && { ...selection, selectionSet: set };
    }
    case Kind.FRAGMENT_SPREAD: {
      const name = selection.name.value;
      const fragment = walk.fragments.get(name);
      const condition = fragment && walk.schema.getType(fragment.typeCondition.name.value);
      if (!fragment || !isCompositeType(condition) || walk.expanding.has(name)) return selection;
      walk.expanding.add(name);
      const set = filterFragment(walk, fragment.selectionSet, type, condition);
      walk.expanding.delete(name);
      if (set === fragment.selectionSet) return selection;
      // Filtered for this path only: inlined here, the definition stays for other spreads.
      return (
        set && {
          kind: Kind.INLINE_FRAGMENT,
          typeCondition: fragment.typeCondition,
          directives: selection.directives,
          selectionSet: set,
        }
      );
    }
  }
}

/** A fragment's selection set on an object of static type `type`. */
function filterFragment(
  walk: Walk,
  set: SelectionSetNode,
  type: GraphQLCompositeType,
  condition: GraphQLCompositeType,
): SelectionSetNode | null {
  const filtered = filterSelectionSet(walk, set, condition);
  if (filtered !== set && narrows(walk.schema, type, condition)) walk.narrowedRemoval = true;
  return filtered;
}

/**
 * Whether a fragment on `condition`, selected on `type`, applies to some objects of that type
 * only (so that which ones takes their `__typename`). On an object type every valid fragment
 * applies; on an abstract type, one on that type or on an interface it implements.
 */
function narrows(schema: GraphQLSchema, type: GraphQLCompositeType, condition: GraphQLCompositeType): boolean {
  if (condition === type || isObjectType(type)) return false;
  return !(isInterfaceType(condition) && isInterfaceType(type) && schema.isSubType(condition, type));
}

function filterField(walk: Walk, field: FieldNode, type: GraphQLCompositeType, typeDenied: boolean): FieldNode | null {
  const name = field.name.value;
  // __typename always answers; __schema / __type are introspection, decided elsewhere.
  // On a union only __typename can be selected.
  if (name.startsWith('__') || isUnionType(type)) return field;
  const definition = type.getFields()[name];
  if (!definition) return field; // invalid: validation says so
  const returned = getNamedType(definition.type);
  const own = walk.index.fields.get(type.name)?.get(name);
  const ofReturned = walk.index.types.get(returned.name);
  // Every requirement the caller fails, so that the error names all it needs, not the first.
  const failed = typeDenied
    ? [walk.index.types.get(type.name)]
    : [own, ofReturned].filter((requirement) => requirement !== undefined && denied(walk, requirement));
  if (failed.length > 0) {
    reject(walk, field, type, name, failed);
    return null;
  }
  if (!field.selectionSet || !isCompositeType(returned)) return field;

  const depth = walk.path.length;
  walk.path.push(field.alias?.value ?? name);
  for (let t: GraphQLOutputType = definition.type; !isNamed(t); t = t.ofType) {
    if (isListType(t)) walk.path.push(LIST);
  }
  const outer = walk.narrowedRemoval;
  walk.narrowedRemoval = false;
  let set = filterSelectionSet(walk, field.selectionSet, returned);
  const needsTypename = walk.narrowedRemoval;
  walk.narrowedRemoval = outer;
  walk.path.length = depth;

  if (set === field.selectionSet) return field;
  if (set === null) return null; // emptied: it answers null, the removed fields carry the errors
  if (needsTypename) set = { ...set, selections: [...set.selections, TYPENAME_FIELD] };
  return { ...field, selectionSet: set };
}

function isNamed(type: GraphQLOutputType): type is GraphQLNamedType & GraphQLOutputType {
  return !isListType(type) && !isNonNullType(type);
}

function reject(
  walk: Walk,
  field: FieldNode,
  type: GraphQLCompositeType,
  name: string,
  requirements: (AccessRequirement | undefined)[],
): void {
  const path = [...walk.path, field.alias?.value ?? name];
  const key = path.join('.');
  if (walk.seen.has(key)) return;
  walk.seen.add(key);
  walk.removed.push({ path, coordinate: `${type.name}.${name}` });
  walk.failed.push(requirements);
}

/** `a and b`, `a`; alternatives joined with `, or `. */
const anyOfAll = (alternatives: string[][], name: (item: string) => string) =>
  alternatives.map((all) => all.map(name).join(' and ')).join(', or ');

/**
 * What a caller needs to see a removed field, in words: "a verified token", "a token with the
 * graph:analyze scope, or border-trade:write", "a caller the agency_staff policy admits".
 */
export function describeRequirement(requirement: AccessRequirement | undefined): string {
  if (!requirement) return 'a caller who may see it';
  const parts: string[] = [];
  for (const scopes of requirement.scopes.filter((alternatives) => alternatives.some((all) => all.length > 0))) {
    parts.push(`a token with the scope ${anyOfAll(scopes, (s) => s)}`);
  }
  for (const policies of requirement.policies) {
    parts.push(`a caller admitted by the policy ${anyOfAll(policies, (p) => p)}`);
  }
  if (parts.length === 0) return 'a verified bearer token';
  return parts.join('; and ');
}

/** Every requirement of `requirements` in words (`describeRequirement`), joined with "; and ". */
function describeRequirements(requirements: (AccessRequirement | undefined)[]): string {
  const described = [...new Set(requirements.map(describeRequirement))];
  // A verified token is implied by any scope or policy: said alone only when nothing else is needed.
  const specific = described.filter((text) => text !== 'a verified bearer token');
  return (specific.length > 0 ? specific : described).join('; and ');
}

/**
 * The filtered operation alone with the fragments it still spreads, and without the variable
 * definitions nothing uses any more (the planner and validation refuse unused variables).
 */
function rebuildDocument(
  document: DocumentNode,
  original: OperationDefinitionNode,
  operation: OperationDefinitionNode,
  fragments: Map<string, FragmentDefinitionNode>,
): DocumentNode {
  const variables = new Set<string>();
  const spread = new Set<string>();
  const pending: SelectionSetNode[] = [operation.selectionSet];
  collectDirectives(operation.directives, variables);
  for (let set = pending.pop(); set; set = pending.pop()) {
    collectUsage(set, variables, spread, fragments, pending);
  }
  const used = (definition: VariableDefinitionNode) => variables.has(definition.variable.name.value);
  const variableDefinitions = operation.variableDefinitions?.every(used)
    ? operation.variableDefinitions
    : operation.variableDefinitions?.filter(used);
  const definitions = document.definitions.flatMap<DefinitionNode>((definition) => {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) return spread.has(definition.name.value) ? [definition] : [];
    if (definition.kind !== Kind.OPERATION_DEFINITION) return [definition];
    return definition === original ? [{ ...operation, variableDefinitions }] : [];
  });
  // No `loc`: the original's would point at source text this document no longer is.
  return { kind: Kind.DOCUMENT, definitions };
}

/** Variables and fragments used by `set`; the bodies of newly seen fragments go to `pending`. */
function collectUsage(
  set: SelectionSetNode,
  variables: Set<string>,
  spread: Set<string>,
  fragments: Map<string, FragmentDefinitionNode>,
  pending: SelectionSetNode[],
): void {
  for (const selection of set.selections) {
    collectDirectives(selection.directives, variables);
    if (selection.kind === Kind.FIELD) {
      for (const argument of selection.arguments ?? []) collectValue(argument.value, variables);
      if (selection.selectionSet) collectUsage(selection.selectionSet, variables, spread, fragments, pending);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      collectUsage(selection.selectionSet, variables, spread, fragments, pending);
    } else if (!spread.has(selection.name.value)) {
      spread.add(selection.name.value);
      const fragment = fragments.get(selection.name.value);
      if (fragment) {
        collectDirectives(fragment.directives, variables);
        pending.push(fragment.selectionSet);
      }
    }
  }
}

function collectDirectives(directives: readonly DirectiveNode[] | undefined, variables: Set<string>): void {
  for (const directive of directives ?? []) {
    for (const argument of directive.arguments ?? []) collectValue(argument.value, variables);
  }
}

function collectValue(value: ValueNode, variables: Set<string>): void {
  if (value.kind === Kind.VARIABLE) variables.add(value.name.value);
  else if (value.kind === Kind.LIST) for (const item of value.values) collectValue(item, variables);
  else if (value.kind === Kind.OBJECT) for (const field of value.fields) collectValue(field.value, variables);
}

// ---------------------------------------------------------------------------------------------
// After execution: the removed fields answer null.
// ---------------------------------------------------------------------------------------------

export interface RestoreOptions {
  schema: GraphQLSchema;
  /** The original operation, as given to `authorizeOperation` (not the filtered one). */
  document: DocumentNode;
  operationName?: string | null | undefined;
  /** `data` of executing the filtered document (`{}` when `nothingLeft`, to answer every root field null). */
  data: Record<string, unknown> | null | undefined;
  removed: readonly RemovedField[];
  /**
   * The request's variables, to honour `@skip` / `@include` on removed fields (without them, a
   * removed field excluded by a variable condition is not put back; literal conditions need none).
   */
  variables?: Readonly<Record<string, unknown>> | null | undefined;
}

/** A response path as a tree: response key (or `"@"`) → what lies under it. */
type Trie = Map<string, Trie>;

interface Restore {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Readonly<Record<string, unknown>> | null | undefined;
  defaults: Map<string, boolean>;
}

/** One response key of an object: its field nodes, and whether it certainly belongs there. */
interface Collected {
  nodes: FieldNode[];
  type: GraphQLOutputType | undefined;
  /** False when it sits under a condition unknown here (a fragment on a type, a variable): then it is answered only if present. */
  certain: boolean;
}

/**
 * `data` with `null` at every removed path (for each element of a list crossed), and the nulls
 * propagated as GraphQL does: a null in a non-null position makes the nearest nullable parent null,
 * up to `data: null`. A field emptied by the removals (absent from `data`) answers null too. The
 * `AUTHZ_TYPENAME` fields `authorizeOperation` added are taken out. Only objects on a removed path
 * are copied; `data` itself is not modified.
 */
export function restoreRemoved(options: RestoreOptions): Record<string, unknown> | null {
  const { schema, document, operationName, data, removed, variables } = options;
  if (!data) return null;
  // Nothing removed, nothing added by authorizeOperation: the data is what execution answered.
  if (removed.length === 0) return data;
  const operation = selectOperation(document, operationName);
  const root = operation && schema.getRootType(operation.operation);
  if (!operation || !root) return data;

  const trie: Trie = new Map();
  for (const { path } of removed) {
    let node = trie;
    for (const key of path) {
      let next = node.get(key);
      if (!next) node.set(key, (next = new Map<string, Trie>()));
      node = next;
    }
  }
  const restore: Restore = {
    schema,
    fragments: fragmentsOf(document),
    variables,
    defaults: variableDefaults(operation),
  };
  return restoreObject(restore, data, root, [operation.selectionSet], trie);
}

/** Boolean literal defaults of the operation's variables, for `@skip(if: $v)` with `$v` not given. */
function variableDefaults(operation: OperationDefinitionNode): Map<string, boolean> {
  const defaults = new Map<string, boolean>();
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue?.kind === Kind.BOOLEAN) {
      defaults.set(definition.variable.name.value, definition.defaultValue.value);
    }
  }
  return defaults;
}

/**
 * One object on a removed path, rebuilt in the operation's field order; `null` when a non-null
 * field of it is null now (the caller propagates).
 */
function restoreObject(
  restore: Restore,
  object: Record<string, unknown>,
  type: GraphQLCompositeType,
  sets: readonly SelectionSetNode[],
  trie: Trie,
): Record<string, unknown> | null {
  const typename = object[AUTHZ_TYPENAME];
  const runtime: GraphQLNamedType | undefined = isObjectType(type)
    ? type
    : typeof typename === 'string'
      ? restore.schema.getType(typename)
      : undefined;
  const collected = new Map<string, Collected>();
  for (const set of sets)
    collectFields(restore, set, type, isObjectType(runtime) ? runtime : undefined, true, collected);

  const result: Record<string, unknown> = {};
  for (const [key, { nodes, type: fieldType, certain }] of collected) {
    const present = Object.hasOwn(object, key);
    const below = trie.get(key);
    if (!below || !fieldType) {
      if (present) result[key] = object[key];
      continue;
    }
    // Absent but certainly selected: removed here, or emptied by removals under it.
    if (!present && !certain) continue;
    const value = present ? restoreValue(restore, object[key], fieldType, nodes, below) : null;
    if (value === null && isNonNullType(fieldType)) return null;
    result[key] = value;
  }
  // Anything execution answered that the walk above did not name is kept as it is.
  for (const key of Object.keys(object)) {
    if (key !== AUTHZ_TYPENAME && !collected.has(key)) result[key] = object[key];
  }
  return result;
}

function restoreValue(
  restore: Restore,
  value: unknown,
  type: GraphQLOutputType,
  nodes: readonly FieldNode[],
  trie: Trie,
): unknown {
  if (value === null || value === undefined) return null;
  const nullable = isNonNullType(type) ? type.ofType : type;
  if (isListType(nullable)) {
    const items = trie.get(LIST);
    if (!items || !Array.isArray(value)) return value;
    const itemType = nullable.ofType as GraphQLOutputType;
    const result: unknown[] = [];
    for (const item of value) {
      const restored = restoreValue(restore, item, itemType, nodes, items);
      if (restored === null && isNonNullType(itemType)) return null;
      result.push(restored);
    }
    return result;
  }
  if (!isCompositeType(nullable) || typeof value !== 'object') return value;
  const sets: SelectionSetNode[] = [];
  for (const node of nodes) if (node.selectionSet) sets.push(node.selectionSet);
  return restoreObject(restore, value as Record<string, unknown>, nullable, sets, trie);
}

/**
 * GraphQL's CollectFields over the original selections of one object: response key → field
 * nodes, in order. A fragment whose type condition cannot be decided (no `__typename` to decide
 * it by, which `authorizeOperation` guarantees wherever a removal depends on it) or a condition
 * on a variable not given makes what it holds uncertain.
 */
function collectFields(
  restore: Restore,
  set: SelectionSetNode,
  type: GraphQLCompositeType,
  runtime: GraphQLObjectType | undefined,
  certain: boolean,
  collected: Map<string, Collected>,
): void {
  for (const selection of set.selections) {
    const included = isIncluded(restore, selection.directives);
    if (included === false) continue;
    const sure = certain && included === true;
    if (selection.kind === Kind.FIELD) {
      const key = selection.alias?.value ?? selection.name.value;
      let entry = collected.get(key);
      if (!entry) {
        const definition = isUnionType(type) ? undefined : type.getFields()[selection.name.value];
        collected.set(key, (entry = { nodes: [], type: definition?.type, certain: false }));
      }
      entry.nodes.push(selection);
      entry.certain ||= sure;
      continue;
    }
    let condition: GraphQLNamedType | null | undefined = type;
    let body: SelectionSetNode | undefined =
      selection.kind === Kind.INLINE_FRAGMENT ? selection.selectionSet : undefined;
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (selection.typeCondition) condition = restore.schema.getType(selection.typeCondition.name.value);
    } else {
      const fragment = restore.fragments.get(selection.name.value);
      condition = fragment && restore.schema.getType(fragment.typeCondition.name.value);
      body = fragment?.selectionSet;
    }
    if (!body || !isCompositeType(condition)) continue;
    let applies: boolean | undefined = true;
    if (narrows(restore.schema, type, condition)) {
      applies =
        runtime &&
        (condition === runtime || (isAbstractType(condition) && restore.schema.isSubType(condition, runtime)));
    }
    if (applies === false) continue;
    collectFields(restore, body, condition, runtime, sure && applies === true, collected);
  }
}

/** `@skip` / `@include`: true, false, or undefined when it rests on a variable not given. */
function isIncluded(restore: Restore, directives: readonly DirectiveNode[] | undefined): boolean | undefined {
  if (!directives || directives.length === 0) return true;
  let result: boolean | undefined = true;
  for (const directive of directives) {
    const name = directive.name.value;
    if (name !== 'skip' && name !== 'include') continue;
    const value = directive.arguments?.find((argument) => argument.name.value === 'if')?.value;
    let condition: boolean | undefined;
    if (value?.kind === Kind.BOOLEAN) condition = value.value;
    else if (value?.kind === Kind.VARIABLE) {
      const given = restore.variables?.[value.name.value];
      condition = typeof given === 'boolean' ? given : restore.defaults.get(value.name.value);
    }
    if (condition === undefined) result = undefined;
    else if (condition === (name === 'skip')) return false;
  }
  return result;
}
