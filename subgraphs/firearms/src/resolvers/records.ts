import { provenanceOf } from '@bicentennial/schema';
import type {
  FirearmSeizureConnectionResolvers,
  FirearmSeizureResolvers,
  FirearmTraceResolvers,
  TraceRequestStatisticResolvers,
  TraffickingCaseConnectionResolvers,
  TraffickingCaseResolvers,
} from '../generated/graphql';
import { objectiveRef, organizationRef, portRef, regionRef } from './refs';

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

const present = <T>(rows: (T | null)[]): T[] => rows.filter((row): row is T => row !== null);

export const FirearmSeizureConnection: FirearmSeizureConnectionResolvers = {
  nodes: async (page, _args, { loaders }) => present(ok(await loaders.seizure.loadMany(page.nodes))),
};

export const TraffickingCaseConnection: TraffickingCaseConnectionResolvers = {
  nodes: async (page, _args, { loaders }) => present(ok(await loaders.traffickingCase.loadMany(page.nodes))),
};

/** `loadMany` answers an Error in place of a row whose load failed: surface it. */
function ok<T>(rows: (T | Error)[]): T[] {
  const failed = rows.find((row): row is Error => row instanceof Error);
  if (failed) throw failed;
  return rows as T[];
}
