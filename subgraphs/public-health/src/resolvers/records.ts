import { loadNodes, objectiveRef, provenanceOf, regionRef } from '@bicentennial/schema';
import type {
  HomicideStatisticConnectionResolvers,
  HomicideStatisticResolvers,
  OverdoseDeathStatisticResolvers,
  ProgrammeConnectionResolvers,
  ProgrammeResolvers,
} from '../generated/graphql';

export const OverdoseDeathStatistic: OverdoseDeathStatisticResolvers = {
  country: (statistic) => regionRef(statistic.countryCode),
  objective: (statistic) => objectiveRef(statistic.objectiveId),
  provenance: (statistic, _args, { loaders }) => provenanceOf(statistic, loaders.source),
};

export const HomicideStatistic: HomicideStatisticResolvers = {
  region: (statistic) => regionRef(statistic.regionCode),
  objective: (statistic) => objectiveRef(statistic.objectiveId),
  provenance: (statistic, _args, { loaders }) => provenanceOf(statistic, loaders.source),
};

export const Programme: ProgrammeResolvers = {
  objective: (programme) => objectiveRef(programme.objectiveId),
  country: (programme) => (programme.countryCode ? regionRef(programme.countryCode) : null),
  region: (programme) => (programme.regionCode ? regionRef(programme.regionCode) : null),
  provenance: (programme, _args, { loaders }) => provenanceOf(programme, loaders.source),
};

export const HomicideStatisticConnection: HomicideStatisticConnectionResolvers = {
  nodes: (page, _args, { loaders }) => loadNodes(loaders.homicide, page.nodes),
};

export const ProgrammeConnection: ProgrammeConnectionResolvers = {
  nodes: (page, _args, { loaders }) => loadNodes(loaders.programme, page.nodes),
};
