import { dirname } from 'node:path';
import { REPO_ROOT } from '../../stack/stack';
import { deployService, runtimeWorkspaces, shipped } from '../deploy';

describe('the release step', () => {
  it('ships a service with the workspaces it needs at run time, and no tool or test package', () => {
    expect(runtimeWorkspaces('gateway')).toEqual([
      'gateway',
      'gateway/dashboard',
      'gateway/ide',
      'schema',
      'schema/service',
    ]);
    expect(runtimeWorkspaces('subgraphs/firearms')).toEqual([
      'schema',
      'schema/service',
      'schema/subgraph-kit',
      'seeds',
      'subgraphs/firearms',
    ]);
  });

  it("ships the schema package's run-time files: the supergraph and the persisted operations", () => {
    // The gateway reads both beside its schema package by default (SUPERGRAPH_PATH,
    // PERSISTED_OPERATIONS_PATH); SAFELIST=enforce, production's default, does not start without the second.
    const files = shipped('schema');
    expect(files).toEqual(expect.arrayContaining(['supergraph.graphql', 'persisted-operations.json']));
    expect(files.filter((file) => file.endsWith('.ts') || file.startsWith('src/'))).toEqual([]);
  });

  it('refuses to lay a release out over the repository', async () => {
    for (const out of [REPO_ROOT, dirname(REPO_ROOT), '/']) {
      await expect(deployService('gateway', out)).rejects.toThrow(/it would delete the repository/);
    }
  });
});
