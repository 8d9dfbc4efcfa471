import { Kind, parse, print, separateOperations, type DefinitionNode, type DocumentNode } from 'graphql';

/**
 * Operations before fragments, each kind by name: the order the persisted operations print a
 * document in (`bodyOf` in schema/tools/src/operations/collect.ts, as Apollo's tools do).
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
 * The operation a tab runs (`operationName`, or the document's only operation), with the fragments
 * it uses, printed as schema/persisted-operations.json holds each body (graphql-js's print, no
 * comments, operations before fragments); null when the text does not parse or names no such
 * operation. The IDE sends an example tab this way: under SAFELIST=enforce (production) its
 * SHA-256 is then the example's manifest id, and the gateway runs it for any caller, where the
 * file's text with its comments would be an ad hoc operation (graph:analyze only).
 */
export function persistedBody(query: string, operationName?: string | null): string | null {
  let document: DocumentNode;
  try {
    document = parse(query, { noLocation: true });
  } catch {
    return null;
  }
  const names = document.definitions.flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION ? [d.name?.value] : []));
  const name = operationName ?? (names.length === 1 ? names[0] : undefined);
  if (!name || !names.includes(name)) return null;
  const separated = separateOperations(document)[name];
  return separated ? print(sortTopLevelDefinitions(separated)) : null;
}
