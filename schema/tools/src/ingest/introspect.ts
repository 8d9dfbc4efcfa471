import { readFileSync } from 'node:fs';
import { Kind, parse, print } from 'graphql';
import { z } from 'zod';

/** A GraphQL input field as introspection describes it, reduced to what the ingest needs. */
export interface InputField {
  name: string;
  required: boolean;
  list: boolean;
  /** The named type: a scalar (`String`, `Float`, `Date`…) or an enum. */
  type: string;
  enumValues: string[] | null;
}

export interface ImportTarget {
  /** kebab-case record type: `drug-seizures`, `firearms-observations`. */
  recordType: string;
  mutation: string;
  inputType: string;
  fields: InputField[];
}

interface TypeRef {
  kind: string;
  name: string | null;
  ofType?: TypeRef | null | undefined;
}

const typeRef: z.ZodType<TypeRef> = z.lazy(() =>
  z.object({ kind: z.string(), name: z.string().nullable(), ofType: typeRef.nullish() }),
);

const introspection = z.object({
  data: z.object({
    __schema: z.object({
      mutationType: z.object({ name: z.string() }).nullable(),
      types: z.array(
        z.object({
          kind: z.string(),
          name: z.string(),
          fields: z
            .array(z.object({ name: z.string(), args: z.array(z.object({ name: z.string(), type: typeRef })) }))
            .nullable(),
          inputFields: z.array(z.object({ name: z.string(), type: typeRef })).nullable(),
          enumValues: z.array(z.object({ name: z.string() })).nullable(),
        }),
      ),
    }),
  }),
});

/**
 * What the ingest asks of the gateway's schema, printed by graphql-js: the text is the body of
 * its entry in schema/persisted-operations.json (`npm run operations` adds it), byte for byte.
 */
export const INTROSPECTION_QUERY = print(
  parse(`query IngestIntrospection {
  __schema {
    mutationType { name }
    types {
      kind name
      fields { name args { name type { ...Ref } } }
      inputFields { name type { ...Ref } }
      enumValues { name }
    }
  }
}
fragment Ref on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }`),
);

function unwrap(ref: TypeRef): { required: boolean; list: boolean; name: string } {
  let current: TypeRef | null | undefined = ref;
  let required = false;
  let list = false;
  if (current.kind === 'NON_NULL') {
    required = true;
    current = current.ofType;
  }
  while (current && (current.kind === 'LIST' || current.kind === 'NON_NULL')) {
    if (current.kind === 'LIST') list = true;
    current = current.ofType;
  }
  return { required, list, name: current?.name ?? 'String' };
}

const kebab = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

/**
 * The Mutation fields a subgraph defines in its own SDL file (`type Mutation` and any
 * `extend type Mutation`). Through the gateway the introspection shows every subgraph's import
 * mutations; the ones this set names are the only ones an ingest for that subgraph may call.
 */
export function ownedMutations(sdlPath: string): Set<string> {
  const document = parse(readFileSync(sdlPath, 'utf8'));
  const owned = new Set<string>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    if (definition.name.value !== 'Mutation') continue;
    for (const field of definition.fields ?? []) owned.add(field.name.value);
  }
  return owned;
}

/**
 * What agencies may import into one subgraph: every mutation `importX(rows: [XInput!]!, dryRun)`
 * of the graph's schema (introspection, so the ingest keeps no list of its own that could drift
 * from the schema) that the subgraph owns (`owned`, from its SDL: `ownedMutations`), with the
 * input's fields. The deprecated `submittedBy` argument is not looked for: introspection hides
 * deprecated arguments, and the writer is the verified caller anyway.
 */
export function importTargets(response: unknown, owned: ReadonlySet<string>): ImportTarget[] {
  const parsed = introspection.safeParse(response);
  if (!parsed.success) throw new Error('the gateway answered the schema query with something unexpected');
  const schema = parsed.data.data.__schema;
  const types = new Map(schema.types.map((t) => [t.name, t]));
  const mutation = schema.mutationType ? types.get(schema.mutationType.name) : undefined;
  const targets: ImportTarget[] = [];
  for (const field of mutation?.fields ?? []) {
    if (!field.name.startsWith('import') || !owned.has(field.name)) continue;
    const rows = field.args.find((a) => a.name === 'rows');
    if (!rows || !field.args.some((a) => a.name === 'dryRun')) continue;
    const inputType = unwrap(rows.type).name;
    const input = types.get(inputType);
    if (!input?.inputFields) continue;
    targets.push({
      recordType: kebab(field.name.slice('import'.length)),
      mutation: field.name,
      inputType,
      fields: input.inputFields.map((f) => {
        const t = unwrap(f.type);
        const named = types.get(t.name);
        return {
          name: f.name,
          required: t.required,
          list: t.list,
          type: t.name,
          enumValues: named?.kind === 'ENUM' ? (named.enumValues ?? []).map((v) => v.name) : null,
        };
      }),
    });
  }
  return targets;
}
