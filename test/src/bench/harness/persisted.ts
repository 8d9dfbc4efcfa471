import { readFileSync } from 'node:fs';
import { DEFAULT_PERSISTED_OPERATIONS_PATH } from '@bicentennial/gateway/env';
import { Kind, parse, print } from 'graphql';

let bodies: Map<string, string> | undefined;

/**
 * A workload's operation as the committed manifest (schema/persisted-operations.json) holds it:
 * what every gateway is sent, so that ours under the production profile (SAFELIST=enforce) runs
 * it for the public as a persisted operation (its SHA-256 is its manifest id) rather than refusing
 * it as ad hoc. Throws when the manifest lacks the operation or holds another text for it (then
 * `npm run operations`): a benchmark never times a refusal.
 */
export function persistedBody(query: string): string {
  bodies ??= new Map(
    (
      JSON.parse(readFileSync(DEFAULT_PERSISTED_OPERATIONS_PATH, 'utf8')) as {
        operations: { name: string; body: string }[];
      }
    ).operations.map((o) => [o.name, o.body]),
  );
  const document = parse(query);
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  const name = operation?.name?.value ?? '(anonymous)';
  const body = bodies.get(name);
  if (body === undefined || body !== print(document)) {
    throw new Error(
      `the workload operation ${name} is ${body === undefined ? 'not in' : 'not the one of'} schema/persisted-operations.json: run \`npm run operations\``,
    );
  }
  return body;
}
