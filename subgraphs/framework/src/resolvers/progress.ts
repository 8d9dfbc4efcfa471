import { GraphQLError } from 'graphql';
import { ErrorCode } from '@bicentennial/schema';
import type { IndicatorSummary } from '../generated/graphql';

/** The owners' parts of a `progress`: each owner counts its own indicators under an id. */
export const SUMMARY_FIELDS = [
  'publicHealthSummary',
  'borderTradeSummary',
  'firearmsSummary',
  'financeSummary',
  'extraditionSummary',
] as const;

type Parts = Partial<Record<(typeof SUMMARY_FIELDS)[number], IndicatorSummary | null>>;

const OWNER_OF: Record<(typeof SUMMARY_FIELDS)[number], string> = {
  publicHealthSummary: 'public-health',
  borderTradeSummary: 'border-trade',
  firearmsSummary: 'firearms',
  financeSummary: 'finance',
  extraditionSummary: 'extradition',
};

/**
 * A reference the gateway sends for `progress` carries the owners' parts it fetched
 * (`@requires`); the resolved row keeps them beside framework's own fields.
 */
export function withParts<R extends object>(row: R | null, reference: object): (R & Parts) | null {
  if (!row) return null;
  const parts: Parts = {};
  for (const field of SUMMARY_FIELDS) {
    const part = (reference as Parts)[field];
    if (part) parts[field] = part;
  }
  return { ...row, ...parts };
}

/**
 * The sum of the owners' parts: indicators and those with data added up, and the counts of each
 * status and coverage reason added up, in the order the first part lists them (every owner lists
 * every status and reason). A part the gateway could not get (its owner did not answer) makes the
 * sum unknown, never a smaller count: `progress` is then null, with an error naming the owner.
 */
export function sumParts(row: object): IndicatorSummary {
  const parent = row as Parts;
  const parts = SUMMARY_FIELDS.map((field) => {
    const part = parent[field];
    if (!part) {
      throw new GraphQLError(`progress is unknown: the ${OWNER_OF[field]} subgraph's count is unavailable`, {
        extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE, subgraph: OWNER_OF[field] },
      });
    }
    return part;
  });
  const add = <K extends string, V extends { count: number }>(lists: V[][], key: (v: V) => K) => {
    const totals = new Map<K, V>();
    for (const list of lists) {
      for (const item of list) {
        const current = totals.get(key(item));
        totals.set(key(item), current ? { ...current, count: current.count + item.count } : { ...item });
      }
    }
    return [...totals.values()];
  };
  return {
    indicators: parts.reduce((n, p) => n + p.indicators, 0),
    withData: parts.reduce((n, p) => n + p.withData, 0),
    byStatus: add(
      parts.map((p) => p.byStatus),
      (s) => s.status,
    ),
    byCoverage: add(
      parts.map((p) => p.byCoverage),
      (c) => c.reason,
    ),
  };
}
