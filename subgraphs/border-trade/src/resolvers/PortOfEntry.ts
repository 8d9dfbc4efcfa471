import { pageSize, regionRef } from '@bicentennial/schema';
import type { JointObjectiveResolvers, PortOfEntryResolvers, RegionResolvers } from '../generated/graphql';
import { provenanceOf } from '@bicentennial/schema';

export const PortOfEntry: PortOfEntryResolvers = {
  __resolveReference: ({ code }, { loaders }) => loaders.port.load(code),
  state: (port) => regionRef(port.stateCode),
  counterpartState: (port) => (port.counterpartState ? regionRef(port.counterpartState) : null),
  provenance: (port, _args, { loaders }) => provenanceOf(port, loaders.source),
  drugSeizures: (port, { drug, first, after }, { loaders }) =>
    loaders.seizuresByPort.load({
      parent: port.code,
      first: pageSize(first),
      after: after ?? null,
      ...(drug ? { where: { drug } } : {}),
    }),
  smugglingInterdictions: (port, { first, after }, { loaders }) =>
    loaders.interdictionsByPort.load({ parent: port.code, first: pageSize(first), after: after ?? null }),
};

export const Region: RegionResolvers = {
  __resolveReference: ({ code }) => regionRef(code),
  ports: async (region, _args, { loaders, prisma }) => {
    if (region.code === 'US' || region.code === 'MX') return prisma.portOfEntry.findMany({ orderBy: { code: 'asc' } });
    return region.code.startsWith('US-')
      ? loaders.portsByState.load(region.code)
      : loaders.portsByCounterpartState.load(region.code);
  },
  drugSeizures: (region, { drug, first, after }, { loaders }) =>
    loaders.seizuresByState.load({
      parent: region.code,
      first: pageSize(first),
      after: after ?? null,
      ...(drug ? { where: { drug } } : {}),
    }),
};

export const JointObjective: JointObjectiveResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  drugSeizures: (objective, { first, after }, { loaders }) =>
    loaders.seizuresByObjective.load({ parent: objective.id, first: pageSize(first), after: after ?? null }),
  smugglingInterdictions: (objective, { first, after }, { loaders }) =>
    loaders.interdictionsByObjective.load({ parent: objective.id, first: pageSize(first), after: after ?? null }),
};
