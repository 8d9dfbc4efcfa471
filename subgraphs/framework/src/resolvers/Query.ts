import { badUserInput } from '@bicentennial/service';
import type { QueryResolvers } from '../generated/graphql';
import { requireIdFormat } from './ids';

const COUNTRIES = new Set(['US', 'MX']);

// Lists come from the catalogue in memory (context.ts), in the order it holds them: goals, areas
// and objectives by id, regions by code, indicators by objective and position.
export const Query: QueryResolvers = {
  framework: async (_parent, _args, { catalogue }) => {
    const { framework } = await catalogue();
    // Seeded with the catalogue; a database without it is broken, not a client's mistake.
    if (!framework) throw new Error('the Framework row is missing');
    return framework;
  },
  goals: async (_parent, _args, { catalogue }) => (await catalogue()).goals,
  goal: (_parent, { id }, { loaders }) => loaders.goal.load(requireIdFormat('goal', id, 'id')),
  cooperationAreas: async (_parent, _args, { catalogue }) => (await catalogue()).areas,
  cooperationArea: (_parent, { id }, { loaders }) => loaders.area.load(requireIdFormat('cooperation', id, 'id')),
  objectives: async (_parent, { owner }, { catalogue }) =>
    (await catalogue()).objectives.filter((o) => owner == null || o.owner === owner),
  objective: (_parent, { id }, { loaders }) => loaders.objective.load(requireIdFormat('objective', id, 'id')),
  regions: async (_parent, { country, kind, borderOnly }, { catalogue }) => {
    if (country != null && !COUNTRIES.has(country)) {
      throw badUserInput(`"${country.slice(0, 16)}" is not a country of the framework: use US or MX`, 'country');
    }
    return (await catalogue()).regions.filter(
      (r) =>
        (country == null || r.countryCode === country) &&
        (kind == null || r.kind === kind) &&
        (!borderOnly || r.borderState),
    );
  },
  region: (_parent, { code }, { loaders }) => loaders.region.load(requireIdFormat('region', code, 'code')),
  indicators: async (_parent, { owner }, { catalogue }) =>
    (await catalogue()).indicators.filter((i) => owner == null || i.owner === owner),
  indicator: (_parent, { id }, { loaders }) => loaders.indicator.load(requireIdFormat('indicator', id, 'id')),
};
