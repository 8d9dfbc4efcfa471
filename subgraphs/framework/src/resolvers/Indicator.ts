import type { Owner } from '../generated/prisma/client';
import type { FirearmsIndicatorResolvers, IndicatorResolvers } from '../generated/graphql';
import { inLanguage } from '@bicentennial/subgraph-kit';
import { present } from './text';

/**
 * The concrete type of each owner's indicators. The type an indicator resolves to is what
 * routes its `series` and `latest` to the subgraph that owns them.
 */
export const INDICATOR_TYPE_BY_OWNER = {
  PUBLIC_HEALTH: 'PublicHealthIndicator',
  BORDER_TRADE: 'BorderTradeIndicator',
  FIREARMS: 'FirearmsIndicator',
  FINANCE: 'FinanceIndicator',
  EXTRADITION: 'ExtraditionIndicator',
} as const satisfies Record<Owner, string>;

export const Indicator: IndicatorResolvers = {
  __resolveType: (indicator) => INDICATOR_TYPE_BY_OWNER[indicator.owner],
  __resolveReference: ({ id }, { loaders }) => loaders.indicator.load(id),
};

/**
 * The registry fields framework resolves on every concrete indicator type (the five types
 * differ only in their name; `series` and `latest` are the owners' own, declared in their subgraphs). Each type's file adds
 * its own `__resolveReference`, whose reference is typed by the type's name.
 */
export const registryFields = {
  name: (indicator, { lang }, context) => inLanguage(lang, context, { en: indicator.nameEn, es: indicator.nameEs }),
  unit: (indicator, { lang }, context) => inLanguage(lang, context, { en: indicator.unitEn, es: indicator.unitEs }),
  description: (indicator, { lang }, context) =>
    inLanguage(lang, context, { en: indicator.descriptionEn, es: indicator.descriptionEs }),
  partOf: (indicator, _args, { loaders }) => (indicator.partOfId ? loaders.indicator.load(indicator.partOfId) : null),
  partOfNote: (indicator, { lang }, context) =>
    indicator.partOfId && indicator.partOfNoteEn && indicator.partOfNoteEs
      ? inLanguage(lang, context, { en: indicator.partOfNoteEn, es: indicator.partOfNoteEs })
      : null,
  parts: (indicator, _args, { loaders }) => loaders.partsOf.load(indicator.id),
  objective: async (indicator, _args, { loaders }) =>
    present(await loaders.objective.load(indicator.objectiveId), `objective ${indicator.objectiveId}`),
} satisfies Omit<FirearmsIndicatorResolvers, '__resolveReference'>;
