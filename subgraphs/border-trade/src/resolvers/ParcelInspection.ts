import { provenanceOf } from '@bicentennial/schema';
import type { ParcelInspectionResolvers } from '../generated/graphql';

export const ParcelInspection: ParcelInspectionResolvers = {
  provenance: (inspection, _args, { loaders }) => provenanceOf(inspection, loaders.source),
};
