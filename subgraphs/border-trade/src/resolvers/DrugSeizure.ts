import { loadNodes, objectiveRef, provenanceOf, regionRef } from '@bicentennial/schema';
import type {
  DrugSeizureConnectionResolvers,
  DrugSeizureResolvers,
  ParcelInspectionResolvers,
  SeizureTotalResolvers,
  SmugglingInterdictionConnectionResolvers,
  SmugglingInterdictionResolvers,
} from '../generated/graphql';

export const DrugSeizure: DrugSeizureResolvers = {
  objective: (seizure) => objectiveRef(seizure.objectiveId),
  port: (seizure, _args, { loaders }) => (seizure.portCode ? loaders.port.load(seizure.portCode) : null),
  state: (seizure) => regionRef(seizure.stateCode),
  provenance: (seizure, _args, { loaders }) => provenanceOf(seizure, loaders.source),
};

export const SmugglingInterdiction: SmugglingInterdictionResolvers = {
  objective: (interdiction) => objectiveRef(interdiction.objectiveId),
  port: (interdiction, _args, { loaders }) => (interdiction.portCode ? loaders.port.load(interdiction.portCode) : null),
  state: (interdiction) => regionRef(interdiction.stateCode),
  provenance: (interdiction, _args, { loaders }) => provenanceOf(interdiction, loaders.source),
};

export const SeizureTotal: SeizureTotalResolvers = {
  provenance: (total, _args, { loaders }) => provenanceOf(total, loaders.source),
};

export const ParcelInspection: ParcelInspectionResolvers = {
  provenance: (inspection, _args, { loaders }) => provenanceOf(inspection, loaders.source),
};

export const DrugSeizureConnection: DrugSeizureConnectionResolvers = {
  nodes: (page, _args, { loaders }) => loadNodes(loaders.drugSeizure, page.nodes),
};

export const SmugglingInterdictionConnection: SmugglingInterdictionConnectionResolvers = {
  nodes: (page, _args, { loaders }) => loadNodes(loaders.interdiction, page.nodes),
};
