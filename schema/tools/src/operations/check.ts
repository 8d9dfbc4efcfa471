import type { GraphQLSchema } from 'graphql';
import { apiSchemaOf, readSupergraph } from '../compat/supergraph';
import { collectOperations, type SourceOperation } from './collect';
import type { ManifestConfig } from './config';
import { ingestOperations } from './ingest';
import { manifestDrift, manifestOf, manifestText, parseManifest } from './manifest';
import { invalidOperations } from './validate';

export interface OperationsInput {
  config: ManifestConfig;
  /** The repository root the config's paths are relative to. */
  root: string;
  /** The API schema's source: the committed `schema/supergraph.graphql`. */
  supergraphSdl: string;
  /** What the supergraph is called in messages (`schema/supergraph.graphql`). */
  supergraphName: string;
}

export interface OperationsOutcome {
  /** The operations of the documents and the ingest's for the supergraph (operations/ingest.ts), by name. */
  operations: SourceOperation[];
  /** The manifest they give, as `npm run operations` writes it. */
  text: string;
  /** Each a reason to fail, naming the file and the operation. */
  problems: string[];
  /** Printed, not a failure: the anonymous operations left out of the manifest. */
  notes: string[];
}

/**
 * The manifest the documents give, with the operations of `npm run ingest` for every import
 * mutation of the supergraph (`ingestOperations`), and what is wrong with them: documents that
 * cannot make one, and operations the API schema refuses, each named with its file and the
 * schema's reason.
 */
export function generateManifest(input: OperationsInput): OperationsOutcome {
  const collected = collectOperations(input.config.documents, input.root);
  const problems = [...collected.errors];
  const notes = collected.anonymous.map(
    (location) =>
      `${location}: an anonymous operation is left out of ${input.config.output} (a manifest names each operation; name it to persist it)`,
  );
  if (collected.files.length === 0)
    problems.push(`no file matches the documents of the config: ${input.config.documents.join(', ')}`);
  let schema: GraphQLSchema | undefined;
  try {
    schema = apiSchemaOf(readSupergraph(input.supergraphSdl));
  } catch (error) {
    problems.push(`${input.supergraphName} is not a valid supergraph: ${(error as Error).message.split('\n')[0]}`);
  }
  const operations = [...collected.operations];
  if (schema) {
    // The ingest's operations, one per import mutation of this supergraph (operations/ingest.ts).
    const ingest = ingestOperations(schema);
    problems.push(...ingest.problems);
    const locations = new Map(operations.map((o) => [o.name, o.location]));
    for (const operation of ingest.operations) {
      const other = locations.get(operation.name);
      if (other) problems.push(`${other}: operation ${operation.name} is already the ingest's (${operation.location})`);
      else operations.push(operation);
    }
    for (const invalid of invalidOperations(schema, collected.operations)) {
      problems.push(
        `${locations.get(invalid.name)}: operation ${invalid.name} does not validate against the API schema of ${input.supergraphName}: ${invalid.errors.join(' ')}`,
      );
    }
  }
  operations.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { operations, text: manifestText(manifestOf(operations)), problems, notes };
}

/**
 * `generateManifest`, and the committed manifest (its text, undefined when there is none) compared
 * with what the documents give: every difference is a problem naming the operation and its file.
 * The committed operations that no document holds any longer are validated too.
 */
export function checkManifest(input: OperationsInput, committedText: string | undefined): OperationsOutcome {
  const outcome = generateManifest(input);
  const manifestPath = input.config.output;
  if (committedText === undefined) {
    outcome.problems.push(`${manifestPath} does not exist`);
    return outcome;
  }
  const parsed = parseManifest(committedText);
  if ('error' in parsed) {
    outcome.problems.push(`${manifestPath} is ${parsed.error}`);
    return outcome;
  }
  const drift = manifestDrift(parsed.manifest, outcome.operations, manifestPath);
  outcome.problems.push(...drift);
  if (drift.length === 0 && committedText !== outcome.text) {
    outcome.problems.push(
      `${manifestPath} holds the same operations but is not laid out as \`npm run operations\` writes it`,
    );
  }
  const current = new Set(outcome.operations.map((o) => o.name));
  const orphans = parsed.manifest.operations.filter((o) => !current.has(o.name));
  if (orphans.length > 0) {
    try {
      const schema = apiSchemaOf(readSupergraph(input.supergraphSdl));
      for (const invalid of invalidOperations(schema, orphans)) {
        outcome.problems.push(
          `${manifestPath}: operation ${invalid.name} does not validate against the API schema of ${input.supergraphName}: ${invalid.errors.join(' ')}`,
        );
      }
    } catch {
      // generateManifest has already reported the supergraph that does not load.
    }
  }
  return outcome;
}
