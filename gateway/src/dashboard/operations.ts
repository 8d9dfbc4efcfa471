import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Kind,
  parse,
  print,
  separateOperations,
  type DefinitionNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
} from 'graphql';

/** One operation the dashboard sends, as schema/persisted-operations.json holds it. */
export interface DashboardOperation {
  name: string;
  /** The SHA-256 of `body`, hex: its persisted id. */
  id: string;
  /** The operation and the fragments it uses, printed by graphql-js. */
  body: string;
}

/**
 * Operations before fragments, each kind by name: the order the persisted operations manifest
 * prints a document in (`bodyOf` in schema/tools/src/operations/collect.ts, as Apollo's tools do).
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
 * The named operations of the `.graphql` files in `dir`, each with the fragments it uses from any
 * of them, printed and hashed exactly as `npm run operations` writes them into the manifest (the
 * manifest's config lists this folder), so that the id the page sends is the manifest's id.
 */
export function readDashboardOperations(dir: string): DashboardOperation[] {
  const definitions = readdirSync(dir)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .flatMap((file) => parse(readFileSync(join(dir, file), 'utf8'), { noLocation: true }).definitions);
  const fragments = definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION);
  const operations = definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return operations.map((operation) => {
    const name = operation.name?.value;
    if (!name) throw new Error(`the dashboard's operations (${dir}) must all be named`);
    const separated = separateOperations({ kind: Kind.DOCUMENT, definitions: [operation, ...fragments] })[name];
    const body = print(sortTopLevelDefinitions(separated ?? { kind: Kind.DOCUMENT, definitions: [operation] }));
    return { name, id: createHash('sha256').update(body).digest('hex'), body };
  });
}
