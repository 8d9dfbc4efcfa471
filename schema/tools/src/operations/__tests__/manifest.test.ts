import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SUPERGRAPH_PATH } from '@bicentennial/schema';
import { getNamedType } from 'graphql';
import { addField, composeWith, removeField } from '../../compat/__tests__/edits';
import { apiSchemaOf, readSupergraph } from '../../compat/supergraph';
import { mutationText } from '../../ingest/ingest';
import { INTROSPECTION_QUERY } from '../../ingest/introspect';
import { checkManifest, generateManifest, type OperationsInput } from '../check';
import { collectOperations } from '../collect';
import { readManifestConfig, REPOSITORY_ROOT } from '../config';
import { parseManifest, type PersistedQueryManifest } from '../manifest';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('collectOperations', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'bicentennial-operations-'));
    mkdirSync(join(root, 'src'));
    mkdirSync(join(root, 'examples'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("reads #graphql strings and .graphql files, with the fragments they use, as Apollo's manifest prints them", () => {
    writeFileSync(
      join(root, 'src', 'operations.ts'),
      [
        'export const A = `#graphql',
        'query Objectives { objectives { ...Ids } }`;',
        'export const notGraphql = `query NotMarked { goals { id } }`;',
        'export const B = `#graphql',
        '{ goals { id } }`;',
      ].join('\n'),
    );
    writeFileSync(
      join(root, 'examples', 'goals.graphql'),
      '# two operations and a fragment\nfragment Ids on JointObjective { id }\nquery Goals { goals { id } }\nmutation Touch { touch }\n',
    );
    const collected = collectOperations(['src/**/*.ts', 'examples/*.graphql', 'missing/*.graphql'], root);
    expect(collected.errors).toEqual([]);
    expect(collected.files).toEqual(['examples/goals.graphql', 'src/operations.ts']);
    expect(collected.anonymous).toEqual(['src/operations.ts:5']);
    expect(collected.operations).toEqual([
      {
        name: 'Goals',
        type: 'query',
        body: 'query Goals {\n  goals {\n    id\n  }\n}',
        id: sha256('query Goals {\n  goals {\n    id\n  }\n}'),
        location: 'examples/goals.graphql:3',
      },
      {
        name: 'Objectives',
        type: 'query',
        // The fragment comes from the other file; operations print before fragments.
        body: 'query Objectives {\n  objectives {\n    ...Ids\n  }\n}\n\nfragment Ids on JointObjective {\n  id\n}',
        id: sha256(
          'query Objectives {\n  objectives {\n    ...Ids\n  }\n}\n\nfragment Ids on JointObjective {\n  id\n}',
        ),
        location: 'src/operations.ts:2',
      },
      {
        name: 'Touch',
        type: 'mutation',
        body: 'mutation Touch {\n  touch\n}',
        id: sha256('mutation Touch {\n  touch\n}'),
        location: 'examples/goals.graphql:4',
      },
    ]);
  });

  it('names the file and line of a document that does not parse and of a name used twice', () => {
    writeFileSync(join(root, 'examples', 'a.graphql'), 'query Goals { goals { id } }\n');
    writeFileSync(join(root, 'examples', 'b.graphql'), '\nquery Goals { goals { title } }\n');
    writeFileSync(join(root, 'src', 'broken.ts'), 'export const Q = `#graphql\nquery Broken { goals { id }`;\n');
    const collected = collectOperations(['src/*.ts', 'examples/*.graphql'], root);
    expect(collected.errors).toEqual([
      'examples/b.graphql:2: operation Goals is already defined at examples/a.graphql:1',
      'src/broken.ts:2: not a GraphQL document: Syntax Error: Expected Name, found <EOF>.',
    ]);
    expect(collected.operations.map((o) => o.name)).toEqual(['Goals']);
  });
});

describe("the repository's persisted operations", () => {
  const config = readManifestConfig();
  const input: OperationsInput = {
    config,
    root: REPOSITORY_ROOT,
    supergraphSdl: readFileSync(SUPERGRAPH_PATH, 'utf8'),
    supergraphName: 'schema/supergraph.graphql',
  };
  const generated = generateManifest(input);
  const manifestOf = (text: string): PersistedQueryManifest => {
    const parsed = parseManifest(text);
    if ('error' in parsed) throw new Error(parsed.error);
    return parsed.manifest;
  };
  const drifted = (change: (manifest: PersistedQueryManifest) => void): string => {
    const manifest = manifestOf(generated.text);
    change(manifest);
    return `${JSON.stringify(manifest, null, 2)}\n`;
  };

  it('are the dashboard contract operations and the IDE examples, each valid against the API schema', () => {
    expect(generated.problems).toEqual([]);
    expect(generated.operations.map((o) => o.name)).toEqual(
      expect.arrayContaining(['Dashboard', 'Missing', 'Objective', 'BorderWalk', 'SeizurePage']),
    );
    if (existsSync(join(REPOSITORY_ROOT, 'gateway', 'ide', 'examples'))) {
      expect(generated.operations.some((o) => o.location.startsWith('gateway/ide/examples/'))).toBe(true);
    }
    for (const operation of manifestOf(generated.text).operations) expect(operation.id).toBe(sha256(operation.body));
  });

  it('are what the committed manifest holds', () => {
    const committed = readFileSync(join(REPOSITORY_ROOT, config.output), 'utf8');
    expect(checkManifest(input, committed).problems).toEqual([]);
  });

  it('fail the check when the manifest drifts, naming the operation and its file', () => {
    const changedBody = drifted((manifest) => {
      const dashboard = manifest.operations.find((o) => o.name === 'Dashboard')!;
      dashboard.body = dashboard.body.replace('owner\n', '');
      dashboard.id = sha256(dashboard.body);
    });
    expect(checkManifest(input, changedBody).problems).toEqual([
      expect.stringMatching(
        /^test\/src\/operations\.ts:\d+: operation Dashboard differs from its entry in schema\/persisted-operations\.json$/,
      ),
    ]);

    const dropped = drifted((manifest) => {
      manifest.operations = manifest.operations.filter((o) => o.name !== 'Objective');
    });
    expect(checkManifest(input, dropped).problems).toEqual([
      expect.stringMatching(
        /^test\/src\/operations\.ts:\d+: operation Objective is not in schema\/persisted-operations\.json$/,
      ),
    ]);

    const orphan = drifted((manifest) => {
      const body = 'query Retired {\n  retired\n}';
      manifest.operations.push({ id: sha256(body), name: 'Retired', type: 'query', body });
    });
    expect(checkManifest(input, orphan).problems).toEqual([
      'schema/persisted-operations.json: operation Retired is in no operation document any longer',
      'schema/persisted-operations.json: operation Retired does not validate against the API schema of schema/supergraph.graphql: Cannot query field "retired" on type "Query".',
    ]);

    const wrongId = drifted((manifest) => {
      manifest.operations[0]!.id = sha256('something else');
    });
    expect(checkManifest(input, wrongId).problems).toEqual([
      `schema/persisted-operations.json: operation ${generated.operations[0]!.name} has id ${sha256('something else')}, not the sha256 of its body`,
    ]);

    expect(
      checkManifest(input, '{"format":"apollo-persisted-query-manifest","version":2,"operations":[]}').problems,
    ).toEqual([
      'schema/persisted-operations.json is not an apollo-persisted-query-manifest, version 1: version: Invalid input: expected 1',
    ]);
    expect(checkManifest(input, undefined).problems).toEqual(['schema/persisted-operations.json does not exist']);
  });

  it("hold the ingest's schema query and one batch mutation per import mutation, as the ingest sends them", () => {
    // The import mutations of the committed supergraph's API schema, read from the schema itself.
    const schema = apiSchemaOf(readSupergraph(readFileSync(SUPERGRAPH_PATH, 'utf8')));
    const imports = Object.values(schema.getMutationType()!.getFields())
      .filter((field) => field.name.startsWith('import'))
      .map((field) => ({
        mutation: field.name,
        inputType: getNamedType(field.args.find((a) => a.name === 'rows')!.type).name,
      }));
    expect(imports.length).toBeGreaterThanOrEqual(10);
    const ingest = generated.operations.filter((o) => o.location.startsWith('schema/tools/src/ingest/'));
    expect(ingest.map((o) => o.name).sort()).toEqual(
      ['IngestIntrospection', ...imports.map((i) => `Ingest${i.mutation.slice('import'.length)}`)].sort(),
    );
    for (const target of imports) {
      const operation = ingest.find((o) => o.name === `Ingest${target.mutation.slice('import'.length)}`)!;
      // The very text `npm run ingest` sends for that mutation (its SHA-256 is the manifest id).
      expect(operation).toEqual({
        name: operation.name,
        type: 'mutation',
        body: mutationText(target),
        id: sha256(mutationText(target)),
        location: `schema/tools/src/ingest/ingest.ts (mutationText for ${target.mutation})`,
      });
    }
    expect(ingest.find((o) => o.name === 'IngestIntrospection')).toMatchObject({
      type: 'query',
      body: INTROSPECTION_QUERY,
      id: sha256(INTROSPECTION_QUERY),
    });
    expect(mutationText({ mutation: 'importDrugSeizures', inputType: 'DrugSeizureInput' })).toBe(
      [
        'mutation IngestDrugSeizures($rows: [DrugSeizureInput!]!, $dryRun: Boolean) {',
        '  result: importDrugSeizures(rows: $rows, dryRun: $dryRun) {',
        '    received',
        '    inserted',
        '    alreadyPresent',
        '    errors {',
        '      row',
        '      field',
        '      code',
        '      message',
        '    }',
        '  }',
        '}',
      ].join('\n'),
    );
  });

  it("fail the check when the ingest's operations drift from the supergraph's import mutations", () => {
    const committed = readFileSync(join(REPOSITORY_ROOT, config.output), 'utf8');
    const withoutOne = drifted((manifest) => {
      manifest.operations = manifest.operations.filter((o) => o.name !== 'IngestDrugSeizures');
    });
    expect(checkManifest(input, withoutOne).problems).toEqual([
      'schema/tools/src/ingest/ingest.ts (mutationText for importDrugSeizures): operation IngestDrugSeizures is not in schema/persisted-operations.json',
    ]);
    const changed = drifted((manifest) => {
      const entry = manifest.operations.find((o) => o.name === 'IngestDrugSeizures')!;
      entry.body = entry.body.replace('    alreadyPresent\n', '');
      entry.id = sha256(entry.body);
    });
    expect(checkManifest(input, changed).problems).toEqual([
      'schema/tools/src/ingest/ingest.ts (mutationText for importDrugSeizures): operation IngestDrugSeizures differs from its entry in schema/persisted-operations.json',
    ]);
    // A new import mutation in the supergraph is one more operation the committed manifest lacks.
    const withImport = composeWith(
      'border-trade',
      addField(
        'Mutation',
        'importTestSeizures(rows: [DrugSeizureInput!]!, dryRun: Boolean = false): ImportResult! @requiresScopes(scopes: [["border-trade:write"]])',
      ),
    );
    expect(checkManifest({ ...input, supergraphSdl: withImport }, committed).problems).toEqual([
      'schema/tools/src/ingest/ingest.ts (mutationText for importTestSeizures): operation IngestTestSeizures is not in schema/persisted-operations.json',
    ]);
  });

  it('fail when an operation does not validate against the API schema, naming it and the reason', () => {
    const withoutOwner = composeWith('framework', removeField('JointObjective', 'owner'));
    const outcome = generateManifest({ ...input, supergraphSdl: withoutOwner });
    expect(outcome.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^test\/src\/operations\.ts:\d+: operation Dashboard does not validate against the API schema of schema\/supergraph\.graphql: Cannot query field "owner" on type "JointObjective"\.$/,
        ),
        expect.stringMatching(
          /^test\/src\/operations\.ts:\d+: operation Objective does not validate against the API schema of schema\/supergraph\.graphql: Cannot query field "owner" on type "JointObjective"\.$/,
        ),
      ]),
    );
    expect(outcome.problems.every((p) => p.includes('Cannot query field "owner" on type "JointObjective".'))).toBe(
      true,
    );
  });
});
