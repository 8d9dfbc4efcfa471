import { objectiveRef, provenanceOf, regionRef } from '@bicentennial/subgraph-kit';
import type { FirearmTraceResolvers } from '../generated/graphql';

export const FirearmTrace: FirearmTraceResolvers = {
  objective: (trace) => objectiveRef(trace.objectiveId),
  recoveryCountry: (trace) => regionRef(trace.recoveryCountry),
  recoveryState: (trace) => (trace.recoveryState ? regionRef(trace.recoveryState) : null),
  sourceCountry: (trace) => (trace.sourceCountry ? regionRef(trace.sourceCountry) : null),
  sourceState: (trace) => (trace.sourceState ? regionRef(trace.sourceState) : null),
  provenance: (trace, _args, { loaders }) => provenanceOf(trace, loaders.source),
};
