import { provenanceOf } from '@bicentennial/schema';
import type {
  HomicideStatisticConnectionResolvers,
  HomicideStatisticResolvers,
  OverdoseDeathStatisticResolvers,
  ProgrammeConnectionResolvers,
  ProgrammeResolvers,
} from '../generated/graphql';
import { objectiveRef, regionRef } from './refs';

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

const present = <T>(rows: (T | null)[]): T[] => rows.filter((row): row is T => row !== null);

export const HomicideStatisticConnection: HomicideStatisticConnectionResolvers = {
  nodes: async (page, _args, { loaders }) => present(ok(await loaders.homicide.loadMany(page.nodes))),
};

export const ProgrammeConnection: ProgrammeConnectionResolvers = {
  nodes: async (page, _args, { loaders }) => present(ok(await loaders.programme.loadMany(page.nodes))),
};

/** `loadMany` answers an Error in place of a row whose load failed: surface it. */
function ok<T>(rows: (T | Error)[]): T[] {
  const failed = rows.find((row): row is Error => row instanceof Error);
  if (failed) throw failed;
  return rows as T[];
}
