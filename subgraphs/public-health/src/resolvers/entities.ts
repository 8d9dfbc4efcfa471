import { pageSize, regionRef } from '@bicentennial/schema';
import type { JointObjectiveResolvers, RegionResolvers } from '../generated/graphql';

const COUNTRY = /^[A-Z]{2}$/;

export const Region: RegionResolvers = {
  __resolveReference: ({ code }) => regionRef(code),
  homicides: (region, { measure, first, after }, { loaders }) =>
    loaders.homicidesByRegion.load({
      parent: region.code,
      first: pageSize(first),
      after: after ?? null,
      ...(measure ? { where: { measure } } : {}),
    }),
  programmes: (region, { first, after }, { loaders }) =>
    (COUNTRY.test(region.code) ? loaders.programmesByCountry : loaders.programmesByRegion).load({
      parent: region.code,
      first: pageSize(first),
      after: after ?? null,
    }),
};

export const JointObjective: JointObjectiveResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  overdoseDeaths: (objective, _args, { loaders }) => loaders.overdoseDeathsByObjective.load(objective.id),
  homicideStatistics: (objective, { first, after }, { loaders }) =>
    loaders.homicidesByObjective.load({ parent: objective.id, first: pageSize(first), after: after ?? null }),
  programmes: (objective, { first, after }, { loaders }) =>
    loaders.programmesByObjective.load({ parent: objective.id, first: pageSize(first), after: after ?? null }),
};
