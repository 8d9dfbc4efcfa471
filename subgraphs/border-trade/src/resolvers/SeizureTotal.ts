import { provenanceOf } from '@bicentennial/subgraph-kit';
import type { SeizureTotalResolvers } from '../generated/graphql';

export const SeizureTotal: SeizureTotalResolvers = {
  provenance: (total, _args, { loaders }) => provenanceOf(total, loaders.source),
};
