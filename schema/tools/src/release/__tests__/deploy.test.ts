import { dirname } from 'node:path';
import { REPO_ROOT } from '../../stack/stack';
import { deployService, runtimeWorkspaces } from '../deploy';

describe('the release step', () => {
  it('ships a service with the workspaces it needs at run time, and no tool or test package', () => {
    expect(runtimeWorkspaces('gateway')).toEqual(['gateway', 'gateway/ide', 'schema', 'schema/service']);
    expect(runtimeWorkspaces('subgraphs/firearms')).toEqual([
      'schema',
      'schema/service',
      'schema/subgraph-kit',
      'seeds',
      'subgraphs/firearms',
    ]);
  });

  it('refuses to lay a release out over the repository', async () => {
    for (const out of [REPO_ROOT, dirname(REPO_ROOT), '/']) {
      await expect(deployService('gateway', out)).rejects.toThrow(/it would delete the repository/);
    }
  });
});
