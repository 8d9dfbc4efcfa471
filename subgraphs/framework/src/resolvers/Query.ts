import { badUserInput } from '@bicentennial/service';
import type { QueryResolvers } from '../generated/graphql';
import { requireIdFormat } from './ids';

const COUNTRIES = new Set(['US', 'MX']);

export const Query: QueryResolvers = {
  framework: async (_parent, _args, { prisma }) => prisma.framework.findFirstOrThrow(),
  goals: (_parent, _args, { prisma }) => prisma.goal.findMany({ orderBy: { id: 'asc' } }),
  goal: (_parent, { id }, { loaders }) => loaders.goal.load(requireIdFormat('goal', id, 'id')),
  cooperationAreas: (_parent, _args, { prisma }) => prisma.cooperationArea.findMany({ orderBy: { id: 'asc' } }),
  cooperationArea: (_parent, { id }, { loaders }) => loaders.area.load(requireIdFormat('cooperation', id, 'id')),
  objectives: (_parent, { owner }, { prisma }) =>
    prisma.jointObjective.findMany({ where: owner ? { owner } : {}, orderBy: { id: 'asc' } }),
  objective: (_parent, { id }, { loaders }) => loaders.objective.load(requireIdFormat('objective', id, 'id')),
  regions: (_parent, { country, kind, borderOnly }, { prisma }) => {
    if (country != null && !COUNTRIES.has(country)) {
      throw badUserInput(`"${country.slice(0, 16)}" is not a country of the framework: use US or MX`, 'country');
    }
    return prisma.region.findMany({
      where: {
        ...(country != null ? { countryCode: country } : {}),
        ...(kind != null ? { kind } : {}),
        ...(borderOnly ? { borderState: true } : {}),
      },
      orderBy: { code: 'asc' },
    });
  },
  region: (_parent, { code }, { loaders }) => loaders.region.load(requireIdFormat('region', code, 'code')),
  indicators: (_parent, { owner }, { prisma }) =>
    prisma.indicator.findMany({
      where: owner ? { owner } : {},
      orderBy: [{ objectiveId: 'asc' }, { position: 'asc' }],
    }),
  indicator: (_parent, { id }, { loaders }) => loaders.indicator.load(requireIdFormat('indicator', id, 'id')),
};
