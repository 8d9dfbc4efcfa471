import { objectiveRef, pageSize, regionRef } from '@bicentennial/schema';
import type {
  CriminalOrganizationResolvers,
  JointObjectiveResolvers,
  PortOfEntryResolvers,
  RegionResolvers,
} from '../generated/graphql';
import { organizationRef, portRef } from './refs';

/** A page request for a child list, checked (`first` 1–100). */
const page = (parent: string, first: number | null | undefined, after: string | null | undefined) => ({
  parent,
  first: pageSize(first),
  after: after ?? null,
});

export const PortOfEntry: PortOfEntryResolvers = {
  // border-trade owns the port; a code with no firearm seizures simply has an empty list here.
  __resolveReference: ({ code }) => portRef(code),
  firearmSeizures: (port, { first, after }, { loaders }) => loaders.seizuresByPort.load(page(port.code, first, after)),
};

export const Region: RegionResolvers = {
  __resolveReference: ({ code }) => regionRef(code),
  firearmTraces: (region, _args, { loaders }) => loaders.tracesByRegion.load(region.code),
  firearmSeizures: (region, { first, after }, { loaders }) =>
    region.code.includes('-')
      ? loaders.seizuresByState.load(page(region.code, first, after))
      : loaders.seizuresByCountry.load(page(region.code, first, after)),
};

export const JointObjective: JointObjectiveResolvers = {
  __resolveReference: ({ id }) => objectiveRef(id),
  firearmTraces: (objective, _args, { loaders }) => loaders.tracesByObjective.load(objective.id),
  traceRequestStatistics: (objective, _args, { loaders }) => loaders.traceRequestsByObjective.load(objective.id),
  firearmSeizures: (objective, { first, after }, { loaders }) =>
    loaders.seizuresByObjective.load(page(objective.id, first, after)),
  traffickingCases: (objective, { first, after }, { loaders }) =>
    loaders.casesByObjective.load(page(objective.id, first, after)),
};

export const CriminalOrganization: CriminalOrganizationResolvers = {
  __resolveReference: ({ slug }) => organizationRef(slug),
  firearmsTraffickingCases: (organization, { first, after }, { loaders }) =>
    loaders.casesByOrganization.load(page(organization.slug, first, after)),
  firearmSeizures: (organization, { first, after }, { loaders }) =>
    loaders.seizuresByOrganization.load(page(organization.slug, first, after)),
};
