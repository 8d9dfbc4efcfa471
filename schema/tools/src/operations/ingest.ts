import { graphqlSync, Kind, parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { mutationText } from '../ingest/ingest';
import { importTargets, INTROSPECTION_QUERY } from '../ingest/introspect';
import { bodyOf, operationId, type SourceOperation } from './collect';

/** Where the ingest's operations are written, as the manifest's messages name them. */
const INTROSPECT_SOURCE = 'schema/tools/src/ingest/introspect.ts';
const INGEST_SOURCE = 'schema/tools/src/ingest/ingest.ts';

export interface IngestOperations {
  /** `IngestIntrospection`, then one `Ingest<Records>` mutation per import mutation of the schema, by name. */
  operations: SourceOperation[];
  /** Each a reason to fail: a text the ingest sends that is not its own manifest body. */
  problems: string[];
}

/**
 * The operations `npm run ingest` sends, for the manifest: its schema query (`INTROSPECTION_QUERY`)
 * and, for every import mutation of `schema` (the API schema of the committed supergraph), the
 * batch mutation `mutationText` gives it. The import mutations are found as the ingest finds them
 * (`importTargets` over the answer to the same introspection query, run here against the schema
 * itself) and every text comes from the ingest's own code, so that the manifest's body is, byte
 * for byte, what the ingest sends: under SAFELIST=enforce the gateway runs it for a writer
 * without graph:analyze because its SHA-256 is a manifest id. A text that is not already as
 * graphql-js prints it (`bodyOf`) would hash differently from its entry: that is a problem.
 */
export function ingestOperations(schema: GraphQLSchema): IngestOperations {
  const problems: string[] = [];
  const texts = [{ text: INTROSPECTION_QUERY, location: `${INTROSPECT_SOURCE} (INTROSPECTION_QUERY)` }];
  const introspection = graphqlSync({ schema, source: INTROSPECTION_QUERY });
  if (introspection.errors?.length) {
    problems.push(
      `${INTROSPECT_SOURCE}: the ingest's schema query fails against the API schema: ${introspection.errors.map((e) => e.message).join(' ')}`,
    );
  } else {
    const mutations = new Set(Object.keys(schema.getMutationType()?.getFields() ?? {}));
    for (const target of importTargets(JSON.parse(JSON.stringify(introspection)), mutations)) {
      texts.push({ text: mutationText(target), location: `${INGEST_SOURCE} (mutationText for ${target.mutation})` });
    }
  }
  const operations: SourceOperation[] = [];
  for (const { text, location } of texts) {
    const document: DocumentNode = parse(text);
    const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
    const fragments = document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION);
    if (!operation?.name) {
      problems.push(`${location}: the ingest sends an operation without a name, which a manifest cannot hold`);
      continue;
    }
    const body = bodyOf(operation, fragments);
    if (body !== text) {
      problems.push(
        `${location}: the text the ingest sends for ${operation.name.value} is not printed as its manifest body (graphql-js's print): its SHA-256 would be no manifest id`,
      );
      continue;
    }
    operations.push({ name: operation.name.value, type: operation.operation, body, id: operationId(body), location });
  }
  return { operations: operations.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)), problems };
}
