import { loadNodes, objectiveRef, provenanceOf, regionRef } from '@bicentennial/schema';
import type {
  FirearmSeizureConnectionResolvers,
  FirearmSeizureResolvers,
  FirearmTraceResolvers,
  TraceRequestStatisticResolvers,
  TraffickingCaseConnectionResolvers,
  TraffickingCaseResolvers,
} from '../generated/graphql';
import { organizationRef, portRef } from './refs';

export const FirearmTrace: FirearmTraceResolvers = {
  objective: (trace) => objectiveRef(trace.objectiveId),
  recoveryCountry: (trace) => regionRef(trace.recoveryCountry),
  recoveryState: (trace) => (trace.recoveryState ? regionRef(trace.recoveryState) : null),
  sourceCountry: (trace) => (trace.sourceCountry ? regionRef(trace.sourceCountry) : null),
  sourceState: (trace) => (trace.sourceState ? regionRef(trace.sourceState) : null),
  provenance: (trace, _args, { loaders }) => provenanceOf(trace, loaders.source),
};

export const TraceRequestStatistic: TraceRequestStatisticResolvers = {
  objective: (statistic) => objectiveRef(statistic.objectiveId),
  requestingCountry: (statistic) => regionRef(statistic.requestingCountry),
  provenance: (statistic, _args, { loaders }) => provenanceOf(statistic, loaders.source),
};

export const FirearmSeizure: FirearmSeizureResolvers = {
  objective: (seizure) => objectiveRef(seizure.objectiveId),
  country: (seizure) => regionRef(seizure.country),
  state: (seizure) => regionRef(seizure.stateCode),
  port: (seizure) => (seizure.portCode ? portRef(seizure.portCode) : null),
  organization: (seizure) => (seizure.organizationSlug ? organizationRef(seizure.organizationSlug) : null),
  provenance: (seizure, _args, { loaders }) => provenanceOf(seizure, loaders.source),
};

export const TraffickingCase: TraffickingCaseResolvers = {
  objective: (trafficking) => objectiveRef(trafficking.objectiveId),
  country: (trafficking) => regionRef(trafficking.country),
  organization: (trafficking) => (trafficking.organizationSlug ? organizationRef(trafficking.organizationSlug) : null),
  provenance: (trafficking, _args, { loaders }) => provenanceOf(trafficking, loaders.source),
};

export const FirearmSeizureConnection: FirearmSeizureConnectionResolvers = {
  nodes: (page, _args, { loaders }) => loadNodes(loaders.seizure, page.nodes),
};

export const TraffickingCaseConnection: TraffickingCaseConnectionResolvers = {
  nodes: (page, _args, { loaders }) => loadNodes(loaders.traffickingCase, page.nodes),
};
