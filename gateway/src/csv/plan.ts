import { ErrorCode } from '@bicentennial/schema';
import {
  getDirectiveValues,
  getNamedType,
  getNullableType,
  getVariableValues,
  GraphQLError,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isCompositeType,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  OperationTypeNode,
  TypeNameMetaFieldDef,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * What a CSV export of an operation writes, worked out from its document and the schema before it
 * runs (never from the data, so a null nested object still has its columns): which list of the
 * answer is the table, its columns, and how to page through it.
 */
export interface CsvExportPlan {
  /** The response keys (aliases) from the answer's `data` to the list's field. */
  path: readonly string[];
  /** How the rows sit under that field. */
  rows: { kind: 'list' } | { kind: 'nodes'; nodesKey: string } | { kind: 'edges'; edgesKey: string; nodeKey: string };
  /** Each column of the table, in the order the document selects them. */
  columns: readonly CsvColumn[];
  /** How the next page is asked for; null when the answer is exported as it is, one page. */
  paging: CsvPaging | null;
  /** The response key of the connection's `totalCount`, when selected (a row count known before the first row). */
  totalCountKey: string | null;
}

/** One column: its header, and where its value is in a row (response keys from the row's item). */
export interface CsvColumn {
  /** The header: the response keys from the row, dotted (`port.name`, `source.publisher`). */
  name: string;
  path: readonly string[];
  /** A list inside a row: its value is written as JSON text in one cell. */
  json: boolean;
}

/** A connection paged by re-running the operation with `$<afterVariable>` = `pageInfo.endCursor`. */
export interface CsvPaging {
  afterVariable: string;
  pageInfoKey: string;
  hasNextPageKey: string;
  endCursorKey: string;
}

/** A refusal of the export before anything runs: BAD_USER_INPUT about `path`, or BAD_REQUEST. */
export class CsvPlanError extends GraphQLError {
  constructor(message: string, code: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extensions, http: { status: 400 } } });
  }
}

const badPath = (message: string, candidates: readonly string[]) =>
  new CsvPlanError(message, ErrorCode.BAD_USER_INPUT, { field: 'path', candidates });

/** The selections of one response key, merged from every place the document selects it. */
interface Selected {
  key: string;
  field: GraphQLField<unknown, unknown>;
  nodes: FieldNode[];
}

/** What the planner reads the document with. */
interface Reading {
  schema: GraphQLSchema;
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

const included = (reading: Reading, node: Parameters<typeof getDirectiveValues>[1]): boolean => {
  const skip = getDirectiveValues(GraphQLSkipDirective, node, reading.variables);
  if (skip?.['if'] === true) return false;
  const include = getDirectiveValues(GraphQLIncludeDirective, node, reading.variables);
  return include?.['if'] !== false;
};

/**
 * The fields a selection set selects on `parent`, by response key in document order, with
 * fragment spreads and inline fragments expanded and `@skip` / `@include` applied (graphql-js's
 * CollectFields, keeping every node of a key so that their sub-selections merge).
 */
function collect(
  reading: Reading,
  parent: GraphQLCompositeType,
  selectionSets: readonly SelectionSetNode[],
  into = new Map<string, Selected>(),
): Map<string, Selected> {
  const spread = new Set<string>();
  const walk = (type: GraphQLCompositeType, set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (!included(reading, selection)) continue;
      switch (selection.kind) {
        case Kind.FIELD: {
          const key = selection.alias?.value ?? selection.name.value;
          const existing = into.get(key);
          if (existing) {
            existing.nodes.push(selection);
            break;
          }
          const field =
            selection.name.value === '__typename'
              ? TypeNameMetaFieldDef
              : isObjectType(type) || isInterfaceType(type)
                ? type.getFields()[selection.name.value]
                : undefined;
          // Validation has refused a field the type lacks; introspection's own fields are no table.
          if (field) into.set(key, { key, field, nodes: [selection] });
          break;
        }
        case Kind.INLINE_FRAGMENT: {
          const condition = selection.typeCondition ? reading.schema.getType(selection.typeCondition.name.value) : type;
          walk(isCompositeType(condition) ? condition : type, selection.selectionSet);
          break;
        }
        case Kind.FRAGMENT_SPREAD: {
          const name = selection.name.value;
          const fragment = reading.fragments.get(name);
          if (!fragment || spread.has(name)) break;
          spread.add(name);
          const condition = reading.schema.getType(fragment.typeCondition.name.value);
          walk(isCompositeType(condition) ? condition : type, fragment.selectionSet);
          break;
        }
      }
    }
  };
  for (const set of selectionSets) walk(parent, set);
  return into;
}

const subSelections = (selected: Selected): SelectionSetNode[] =>
  selected.nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));

/** The named composite type of a field that is neither a list nor a leaf; null otherwise. */
function objectTypeOf(type: GraphQLOutputType): GraphQLCompositeType | null {
  const nullable = getNullableType(type);
  if (isListType(nullable)) return null;
  return isCompositeType(nullable) ? nullable : null;
}

const isList = (type: GraphQLOutputType) => isListType(getNullableType(type));

/** A connection's rows: `nodes` if selected, else `edges { node }`; null when the object is not a connection. */
function connectionRows(
  reading: Reading,
  type: GraphQLCompositeType,
  selected: Selected,
  /** Rows from the `edges` selection even when `nodes` is selected too (a path that names `edges`). */
  preferEdges = false,
): { fields: Map<string, Selected>; rows: Exclude<CsvExportPlan['rows'], { kind: 'list' }> } | null {
  const fields = collect(reading, type, subSelections(selected));
  const nodes = [...fields.values()].find((f) => f.field.name === 'nodes' && isList(f.field.type));
  if (nodes && !preferEdges) return { fields, rows: { kind: 'nodes', nodesKey: nodes.key } };
  const edges = [...fields.values()].find((f) => f.field.name === 'edges' && isList(f.field.type));
  const edgeType = edges ? getNamedType(edges.field.type) : undefined;
  const node =
    edges && isCompositeType(edgeType)
      ? [...collect(reading, edgeType, subSelections(edges)).values()].find((f) => f.field.name === 'node')
      : undefined;
  if (!edges || !node) return nodes ? { fields, rows: { kind: 'nodes', nodesKey: nodes.key } } : null;
  return { fields, rows: { kind: 'edges', edgesKey: edges.key, nodeKey: node.key } };
}

/** The lists and connections an export could take, shallowest first (not looking inside a list). */
function candidatesOf(reading: Reading, type: GraphQLCompositeType, sets: readonly SelectionSetNode[]) {
  const found: { path: string[]; depth: number }[] = [];
  const walk = (parent: GraphQLCompositeType, selectionSets: readonly SelectionSetNode[], prefix: string[]) => {
    for (const selected of collect(reading, parent, selectionSets).values()) {
      const path = [...prefix, selected.key];
      if (isList(selected.field.type)) {
        found.push({ path, depth: path.length });
        continue;
      }
      const object = objectTypeOf(selected.field.type);
      if (!object) continue;
      if (connectionRows(reading, object, selected)) found.push({ path, depth: path.length });
      else walk(object, subSelections(selected), path);
    }
  };
  walk(type, sets, []);
  return found.sort((a, b) => a.depth - b.depth);
}

/** The columns of a row of `type` as `sets` select it, under `name` / `path` prefixes. */
function columnsOf(
  reading: Reading,
  type: GraphQLCompositeType,
  sets: readonly SelectionSetNode[],
  name: readonly string[],
  path: readonly string[],
  hoist?: string,
): CsvColumn[] {
  const columns: CsvColumn[] = [];
  for (const selected of collect(reading, type, sets).values()) {
    const columnPath = [...path, selected.key];
    // An edge's `node` is the row itself: its columns are named as if selected through `nodes`.
    const columnName = selected.key === hoist ? [...name] : [...name, selected.key];
    const fieldType = selected.field.type;
    const object = objectTypeOf(fieldType);
    if (isList(fieldType) || !object) {
      columns.push({ name: columnName.join('.'), path: columnPath, json: isList(fieldType) });
      continue;
    }
    columns.push(...columnsOf(reading, object, subSelections(selected), columnName, columnPath));
  }
  return columns;
}

/** The paging of a connection: its `after` argument bound to a variable, and `pageInfo { hasNextPage endCursor }`. */
function pagingOf(reading: Reading, selected: Selected, fields: Map<string, Selected>): CsvPaging | null {
  const after = selected.nodes[0]?.arguments?.find((argument) => argument.name.value === 'after');
  if (after?.value.kind !== Kind.VARIABLE) return null;
  const pageInfo = [...fields.values()].find((f) => f.field.name === 'pageInfo');
  const pageInfoType = pageInfo ? objectTypeOf(pageInfo.field.type) : null;
  if (!pageInfo || !pageInfoType) return null;
  const inside = [...collect(reading, pageInfoType, subSelections(pageInfo)).values()];
  const hasNextPage = inside.find((f) => f.field.name === 'hasNextPage');
  const endCursor = inside.find((f) => f.field.name === 'endCursor');
  if (!hasNextPage || !endCursor) return null;
  return {
    afterVariable: after.value.name.value,
    pageInfoKey: pageInfo.key,
    hasNextPageKey: hasNextPage.key,
    endCursorKey: endCursor.key,
  };
}

/**
 * Plans the CSV export of `operation` (a query of `document`, valid against `schema`, the API
 * schema the gateway serves). `path` is the dotted response path of the list to export; without
 * one, the one list or connection nearest the root. A path that names no list, or a missing path
 * when the operation has several lists equally near the root, is BAD_USER_INPUT naming `path` and
 * listing the candidates.
 */
export function planCsvExport(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  path: string | undefined,
): CsvExportPlan {
  if (operation.operation !== OperationTypeNode.QUERY) {
    throw new CsvPlanError(`A CSV export runs a query; this operation is a ${operation.operation}.`, 'BAD_REQUEST');
  }
  const root = schema.getQueryType();
  if (!root) throw new CsvPlanError('The schema has no query type.', 'BAD_REQUEST');
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  const reading: Reading = {
    schema,
    fragments: new Map(
      document.definitions
        .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
        .map((d) => [d.name.value, d]),
    ),
    // Variables that do not coerce are refused by execution itself; @skip/@include read them raw.
    variables: coerced.coerced ?? variables,
  };
  const found = candidatesOf(reading, root, [operation.selectionSet]);
  const candidates = found.map((c) => c.path.join('.'));
  let keys: string[];
  if (path === undefined) {
    const nearest = found.filter((c) => c.depth === found[0]?.depth);
    if (nearest.length !== 1 || !nearest[0]) {
      throw badPath(
        found.length === 0
          ? 'The operation selects no list or connection to export as CSV.'
          : `The operation selects several lists: say which to export in "path" (${candidates.join(', ')}).`,
        candidates,
      );
    }
    keys = nearest[0].path;
  } else {
    keys = path.split('.');
  }

  let parent: GraphQLCompositeType = root;
  let sets: readonly SelectionSetNode[] = [operation.selectionSet];
  for (const [index, key] of keys.entries()) {
    const here = keys.slice(0, index + 1).join('.');
    const selected = collect(reading, parent, sets).get(key);
    if (!selected) {
      throw badPath(
        `"path": the operation selects no field "${key}"${index > 0 ? ` under "${keys.slice(0, index).join('.')}"` : ''}. Its lists: ${candidates.join(', ') || 'none'}.`,
        candidates,
      );
    }
    const last = index === keys.length - 1;
    const fieldType = selected.field.type;
    if (isList(fieldType)) {
      if (!last) {
        throw badPath(
          `"path": "${here}" is a list; a path may not go through one (export "${here}" itself).`,
          candidates,
        );
      }
      const item = getNamedType(fieldType);
      const list = getNullableType(fieldType);
      // A list of scalars is one column (named by the list); a list of lists, JSON text in it.
      const columns = isCompositeType(item)
        ? columnsOf(reading, item, subSelections(selected), [], [])
        : [{ name: key, path: [], json: isListType(list) && isList(list.ofType) }];
      return { path: keys, rows: { kind: 'list' }, columns, paging: null, totalCountKey: null };
    }
    const object = objectTypeOf(fieldType);
    if (!object) {
      throw badPath(`"path": "${here}" is a ${String(fieldType)}, not a list or a connection.`, candidates);
    }
    // A path may name the connection or its `nodes` / `edges`: either way the connection is
    // exported, paged (a path to `nodes` exported only the first page, which looked whole).
    let connection = connectionRows(reading, object, selected);
    const rowsKey =
      connection && (connection.rows.kind === 'nodes' ? connection.rows.nodesKey : connection.rows.edgesKey);
    const next = keys[index + 1];
    const namesRows = connection !== null && index === keys.length - 2 && next !== undefined;
    if (namesRows && next !== rowsKey) {
      const edges = connectionRows(reading, object, selected, true);
      connection = edges?.rows.kind === 'edges' && edges.rows.edgesKey === next ? edges : null;
    }
    if (connection && (last || namesRows)) {
      keys = keys.slice(0, index + 1);
      const { rows, fields } = connection;
      let columns: CsvColumn[];
      if (rows.kind === 'nodes') {
        const nodes = fields.get(rows.nodesKey)!;
        const item = getNamedType(nodes.field.type) as GraphQLCompositeType;
        columns = columnsOf(reading, item, subSelections(nodes), [], []);
      } else {
        const edges = fields.get(rows.edgesKey)!;
        const item = getNamedType(edges.field.type) as GraphQLCompositeType;
        columns = columnsOf(reading, item, subSelections(edges), [], [], rows.nodeKey);
      }
      const totalCount = [...fields.values()].find((f) => f.field.name === 'totalCount');
      return {
        path: keys,
        rows,
        columns,
        paging: pagingOf(reading, selected, fields),
        totalCountKey: totalCount?.key ?? null,
      };
    }
    if (last) {
      throw badPath(`"path": "${here}" is a ${object.name}, not a list or a connection.`, candidates);
    }
    parent = object;
    sets = subSelections(selected);
  }
  // An empty path never gets here: "".split('.') is [""], a key no field has.
  throw badPath('"path" is empty.', candidates);
}

/** A value as it sits in an answer's `data`. */
type Data = unknown;

const child = (value: Data, key: string): Data =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)[key]
    : undefined;

/** What one page of an answer holds for the export: its rows' items, and where the next page starts. */
export interface CsvPage {
  items: readonly Data[];
  /** The connection's `totalCount`, when selected. */
  totalCount: number | null;
  /** `pageInfo` as selected; null when the export does not page or the list is null. */
  next: { hasNextPage: boolean; endCursor: string | null } | null;
  /** The list (or an object on the way to it) is null in this answer. */
  absent: boolean;
}

/** The rows of one answer's `data` (null on the way: no rows). */
export function pageOf(plan: CsvExportPlan, data: Data): CsvPage {
  let value = data;
  for (const key of plan.path) value = child(value, key);
  if (value == null) return { items: [], totalCount: null, next: null, absent: true };
  const { rows } = plan;
  const items: Data[] =
    rows.kind === 'list'
      ? Array.isArray(value)
        ? value
        : []
      : rows.kind === 'nodes'
        ? ((child(value, rows.nodesKey) as Data[] | null | undefined) ?? [])
        : ((child(value, rows.edgesKey) as Data[] | null | undefined) ?? []);
  const total = plan.totalCountKey !== null ? child(value, plan.totalCountKey) : null;
  let next: CsvPage['next'] = null;
  if (plan.paging) {
    const info = child(value, plan.paging.pageInfoKey);
    const cursor = child(info, plan.paging.endCursorKey);
    next = {
      hasNextPage: child(info, plan.paging.hasNextPageKey) === true,
      endCursor: typeof cursor === 'string' ? cursor : null,
    };
  }
  return { items, totalCount: typeof total === 'number' ? total : null, next, absent: false };
}

/** A cell as the CSV writer takes it: text, a number, a boolean, or null (an empty cell). */
export type CsvCell = string | number | boolean | null;

/**
 * The cells of one row: each column's value (null for anything null or absent on the way),
 * a list (or an object where a leaf was expected) as JSON text.
 */
export function cellsOf(plan: CsvExportPlan, item: Data): CsvCell[] {
  return plan.columns.map((column) => {
    let value = item;
    for (const key of column.path) value = child(value, key);
    if (value === null || value === undefined) return null;
    if (column.json || typeof value === 'object') return JSON.stringify(value);
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
    return JSON.stringify(value);
  });
}
