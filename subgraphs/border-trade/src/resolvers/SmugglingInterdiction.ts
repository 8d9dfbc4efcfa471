import { objectiveRef, provenanceOf, regionRef } from '@bicentennial/subgraph-kit';
import type { SmugglingInterdictionResolvers } from '../generated/graphql';

export const SmugglingInterdiction: SmugglingInterdictionResolvers = {
  objective: (interdiction) => objectiveRef(interdiction.objectiveId),
  port: (interdiction, _args, { loaders }) => (interdiction.portCode ? loaders.port.load(interdiction.portCode) : null),
  state: (interdiction) => regionRef(interdiction.stateCode),
  provenance: (interdiction, _args, { loaders }) => provenanceOf(interdiction, loaders.source),
};
