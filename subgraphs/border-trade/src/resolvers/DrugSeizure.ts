import { objectiveRef, provenanceOf, regionRef } from '@bicentennial/subgraph-kit';
import type { DrugSeizureResolvers } from '../generated/graphql';

export const DrugSeizure: DrugSeizureResolvers = {
  objective: (seizure) => objectiveRef(seizure.objectiveId),
  port: (seizure, _args, { loaders }) => (seizure.portCode ? loaders.port.load(seizure.portCode) : null),
  state: (seizure) => regionRef(seizure.stateCode),
  provenance: (seizure, _args, { loaders }) => provenanceOf(seizure, loaders.source),
};
