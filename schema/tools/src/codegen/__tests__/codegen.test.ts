import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** `generateResolverTypes` of a subgraph whose own SDL is `sdl` (the shared SDL is prepended, as always). */
function generate(dir: string, sdl: string): Promise<{ output: string; error: string }> {
  writeFileSync(join(dir, 'src', 'schema.graphql'), sdl);
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--conditions=@bicentennial/source', '--import', 'tsx', join(__dirname, 'probe.ts'), dir],
      { env: { PATH: process.env['PATH'] ?? '' } },
      (_failed, stdout, stderr) => resolve({ output: stdout, error: stderr }),
    );
  });
}

/** The subgraph's @link; the shared SDL needs `@shareable` and `@policy`. */
const link = (imports: string[]) =>
  `extend schema @link(url: "https://specs.apollo.dev/federation/v2.11", import: ${JSON.stringify(['@shareable', '@policy', ...imports])})`;

describe('generateResolverTypes', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bicentennial-codegen-'));
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'codegen.json'), JSON.stringify({ contextType: '../context#Context' }));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('understands every directive federation knows, imported through @link or not', async () => {
    const { output, error } = await generate(
      dir,
      `#graphql
        ${link(['@key', '@authenticated', '@requiresScopes', '@policy', '@cost', '@listSize', '@tag'])}
        type Query {
          seizures(first: Int): [Seizure!]! @authenticated @listSize(assumedSize: 10) @tag(name: "x")
          secret: String @requiresScopes(scopes: [["a"]]) @policy(policies: [["p"]]) @cost(weight: 5)
          internal: String @federation__inaccessible
        }
        type Seizure @key(fields: "id") @tag(name: "x") {
          id: ID!
          quantity: Float! @cost(weight: 2)
        }
      `,
    );
    expect(error).toBe('');
    expect(output).toMatch(/export type QueryResolvers<[^]*?seizures\?: Resolver<Array<ResolversTypes\['Seizure'\]>/);
    expect(output).toMatch(/export type SeizureResolvers<[^]*?__resolveReference\?: ReferenceResolver</);
    // What federation adds to serve entities is its business, not the subgraph's resolvers.
    expect(output).not.toMatch(/_entities|_service|_Entity|federation__/);
  });

  it('rejects what the subgraph could not serve: an unknown directive, a bad directive argument', async () => {
    const unknown = await generate(dir, `${link(['@key'])}\ntype Query { secret: String @authenticatd }`);
    expect(unknown).toEqual({ output: '', error: expect.stringMatching(/Unknown directive "@authenticatd"/) });
    const badArgument = await generate(
      dir,
      `${link(['@key', '@cost'])}\ntype Query { secret: String @cost(weight: "five") }`,
    );
    expect(badArgument).toEqual({ output: '', error: expect.stringMatching(/weight/) });
  });
});
