import { objectiveRef, provenanceOf, regionRef } from '@bicentennial/subgraph-kit';
import type { ProgrammeResolvers } from '../generated/graphql';

export const Programme: ProgrammeResolvers = {
  objective: (programme) => objectiveRef(programme.objectiveId),
  country: (programme) => (programme.countryCode ? regionRef(programme.countryCode) : null),
  region: (programme) => (programme.regionCode ? regionRef(programme.regionCode) : null),
  provenance: (programme, _args, { loaders }) => provenanceOf(programme, loaders.source),
};
