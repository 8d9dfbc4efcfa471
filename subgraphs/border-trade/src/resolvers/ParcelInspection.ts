import { provenanceOf } from '@bicentennial/subgraph-kit';
import type { ParcelInspectionResolvers } from '../generated/graphql';

export const ParcelInspection: ParcelInspectionResolvers = {
  provenance: (inspection, _args, { loaders }) => provenanceOf(inspection, loaders.source),
};
