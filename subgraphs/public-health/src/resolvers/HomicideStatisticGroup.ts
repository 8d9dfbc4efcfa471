import { groupKey, regionRef } from '@bicentennial/subgraph-kit';
import type { HomicideStatisticGroupResolvers } from '../generated/graphql';

export const HomicideStatisticGroup: HomicideStatisticGroupResolvers = {
  region: (group) => {
    const code = groupKey(group, 'regionCode');
    return code ? regionRef(code) : null;
  },
  source: (group, _args, { loaders }) => {
    const id = groupKey(group, 'sourceId');
    return id ? loaders.source.load(id) : null;
  },
  reportedCount: (group) => group.counted['count'] ?? 0,
  totalHomicides: (group) => group.sum['count'] ?? null,
  averageHomicides: (group) => group.average['count'] ?? null,
};
