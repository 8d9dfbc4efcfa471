import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { gqlPluckFromCodeStringSync } from '@graphql-tools/graphql-tag-pluck';
import {
  GraphQLError,
  Kind,
  parse,
  print,
  separateOperations,
  Source,
  type DefinitionNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type OperationTypeNode,
} from 'graphql';
import { globSync } from 'tinyglobby';

/** One named operation of the repository's documents, as the manifest holds it. */
export interface SourceOperation {
  name: string;
  type: `${OperationTypeNode}`;
  /** The operation and the fragments it uses, printed by graphql-js (see `bodyOf`). */
  body: string;
  /** sha256 of `body`, hex. */
  id: string;
  /** Where it is written: `test/src/operations.ts:2`, relative to the repository root. */
  location: string;
}

export interface CollectedOperations {
  /** By name. */
  operations: SourceOperation[];
  /** What stops a manifest being made: a document that does not parse, two operations or fragments of one name. */
  errors: string[];
  /** Anonymous operations (`file:line`): a manifest names every operation, so these stay out of it. */
  anonymous: string[];
  /** The files read, relative to the repository root. */
  files: string[];
}

/**
 * graphql-tag-pluck finds `gql`/`graphql` tags and `/* GraphQL *\/` comments; this repository
 * marks its operation strings with a leading `#graphql` instead (STYLE.md), which the tool only
 * reads through this hook.
 */
const isHashGraphqlTemplate = (node: { type: string }): boolean => {
  if (node.type !== 'TemplateLiteral' || !('quasis' in node) || !Array.isArray(node.quasis)) return false;
  const first: unknown = node.quasis[0];
  const raw = (first as { value?: { raw?: unknown } } | undefined)?.value?.raw;
  return typeof raw === 'string' && raw.trimStart().startsWith('#graphql');
};

/** The GraphQL documents of one file: the whole file for `.graphql`/`.gql`, its `#graphql` strings otherwise. */
function sourcesOf(path: string, name: string): Source[] {
  const text = readFileSync(path, 'utf8');
  if (['.graphql', '.gql'].includes(extname(path))) return [new Source(text, name)];
  return gqlPluckFromCodeStringSync(name, text, { isGqlTemplateLiteral: isHashGraphqlTemplate });
}

const lineOf = (source: Source, definition: DefinitionNode): number =>
  source.locationOffset.line + (definition.loc?.startToken.line ?? 1) - 1;

/**
 * Operations before fragments, each kind by name: the order Apollo's manifest generator and its
 * persisted-query link print a document in (`sortTopLevelDefinitions` of
 * `@apollo/persisted-query-lists`), so that a body and its id agree with what Apollo's tools compute.
 */
function sortTopLevelDefinitions(document: DocumentNode): DocumentNode {
  const rank = (d: DefinitionNode) => (d.kind === Kind.OPERATION_DEFINITION ? 0 : 1);
  const nameOf = (d: DefinitionNode) =>
    d.kind === Kind.OPERATION_DEFINITION || d.kind === Kind.FRAGMENT_DEFINITION ? (d.name?.value ?? '') : '';
  const definitions = [...document.definitions].sort(
    (a, b) => rank(a) - rank(b) || (nameOf(a) < nameOf(b) ? -1 : nameOf(a) > nameOf(b) ? 1 : 0),
  );
  return { ...document, definitions };
}

/**
 * An operation's manifest body: the operation and every fragment it uses (from any document),
 * printed by graphql-js (comments and layout dropped), without `__typename` added: the operations
 * as this repository's callers send them, not as Apollo Client's cache would rewrite them.
 */
export function bodyOf(operation: OperationDefinitionNode, fragments: readonly FragmentDefinitionNode[]): string {
  const name = operation.name?.value ?? '';
  const separated = separateOperations({ kind: Kind.DOCUMENT, definitions: [operation, ...fragments] });
  const document = separated[name] ?? { kind: Kind.DOCUMENT, definitions: [operation] };
  return print(sortTopLevelDefinitions(document));
}

export const operationId = (body: string): string => createHash('sha256').update(body).digest('hex');

/**
 * Reads every document the globs match (relative to `root`) and returns its named operations.
 * Files are read in path order, so the result does not depend on the file system's order.
 */
export function collectOperations(documents: readonly string[], root: string): CollectedOperations {
  const files = globSync([...documents], { cwd: root, onlyFiles: true }).sort();
  const errors: string[] = [];
  const anonymous: string[] = [];
  const operations: { definition: OperationDefinitionNode; location: string }[] = [];
  const fragments = new Map<string, { definition: FragmentDefinitionNode; location: string }>();
  const operationLocations = new Map<string, string>();
  for (const file of files) {
    let sources: Source[];
    try {
      sources = sourcesOf(join(root, file), file);
    } catch (error) {
      errors.push(`${file}: cannot be read for GraphQL documents: ${(error as Error).message.split('\n')[0]}`);
      continue;
    }
    for (const source of sources) {
      let document: DocumentNode;
      try {
        document = parse(source);
      } catch (error) {
        const at = error instanceof GraphQLError ? error.locations?.[0] : undefined;
        const line = at ? source.locationOffset.line + at.line - 1 : source.locationOffset.line;
        errors.push(`${file}:${line}: not a GraphQL document: ${(error as Error).message}`);
        continue;
      }
      for (const definition of document.definitions) {
        const location = `${file}:${lineOf(source, definition)}`;
        if (definition.kind === Kind.FRAGMENT_DEFINITION) {
          const name = definition.name.value;
          const other = fragments.get(name);
          if (other) errors.push(`${location}: fragment ${name} is already defined at ${other.location}`);
          else fragments.set(name, { definition, location });
        } else if (definition.kind === Kind.OPERATION_DEFINITION) {
          const name = definition.name?.value;
          if (!name) {
            anonymous.push(location);
            continue;
          }
          const other = operationLocations.get(name);
          if (other) errors.push(`${location}: operation ${name} is already defined at ${other}`);
          else {
            operationLocations.set(name, location);
            operations.push({ definition, location });
          }
        } else {
          errors.push(
            `${location}: only operations and fragments belong in an operation document (found ${definition.kind})`,
          );
        }
      }
    }
  }
  const allFragments = [...fragments.values()].map((f) => f.definition);
  return {
    operations: operations
      .map(({ definition, location }) => {
        const body = bodyOf(definition, allFragments);
        return {
          name: definition.name?.value ?? '',
          type: definition.operation,
          body,
          id: operationId(body),
          location,
        };
      })
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    errors,
    anonymous,
    files,
  };
}
