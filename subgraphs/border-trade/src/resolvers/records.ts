import { provenanceOf } from '@bicentennial/schema';
import type {
  DrugSeizureConnectionResolvers,
  DrugSeizureResolvers,
  ParcelInspectionResolvers,
  SeizureTotalResolvers,
  SmugglingInterdictionConnectionResolvers,
  SmugglingInterdictionResolvers,
} from '../generated/graphql';
import { objectiveRef, regionRef } from './refs';

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

const present = <T>(rows: (T | null)[]): T[] => rows.filter((row): row is T => row !== null);

export const DrugSeizureConnection: DrugSeizureConnectionResolvers = {
  nodes: async (page, _args, { loaders }) => present(await loaders.drugSeizure.loadMany(page.nodes).then(ok)),
};

export const SmugglingInterdictionConnection: SmugglingInterdictionConnectionResolvers = {
  nodes: async (page, _args, { loaders }) => present(await loaders.interdiction.loadMany(page.nodes).then(ok)),
};

/** `loadMany` answers an Error in place of a row whose load failed: surface it. */
function ok<T>(rows: (T | Error)[]): T[] {
  const failed = rows.find((row): row is Error => row instanceof Error);
  if (failed) throw failed;
  return rows as T[];
}
