import { badUserInput } from '@bicentennial/service';

/**
 * The filters every list of records takes, with the same names and meaning in every subgraph
 * (README, Lists of records): `period`, `country`, `region`, `port`, `organization`, `status` and
 * `sourceKind`. A list's SDL declares those its records have; this turns the given ones into a
 * Prisma `where` over the columns the list names.
 */

/** Whole years of an explicit kind (`PeriodFilter.years`). */
export interface YearRangeArg {
  kind: 'CALENDAR' | 'US_FISCAL';
  from: number;
  to?: number | null;
}

/** `PeriodFilter`: days, or whole years, not both. */
export interface PeriodArg {
  from?: Date | string | null;
  to?: Date | string | null;
  years?: YearRangeArg | null;
}

export interface RecordFilterArgs {
  period?: PeriodArg | null;
  country?: string | null;
  region?: string | null;
  port?: string | null;
  organization?: string | null;
  status?: string | null;
  sourceKind?: string | null;
}

/** Where a list keeps what the shared filters compare. */
export interface RecordColumns {
  /**
   * The record's date (`seizedOn`), or the start and end of the period a statistic covers (a
   * record is in a period when its whole span is).
   */
  date: string | { start: string; end: string };
  /** ISO 3166-1 alpha-2 country (`US`, `MX`); without one, the country is the state code's prefix. */
  country?: string;
  /** ISO 3166-2 state (`US-TX`). */
  state?: string;
  /** A region code as `Region.code` has them, a country or a state, in one column. */
  region?: string;
  /** CBP port code. */
  port?: string;
  /** Criminal organization slug. */
  organization?: string;
}

const COUNTRY = /^(US|MX)$/;
const STATE = /^(US|MX)-[A-Z]{2,3}$/;
const YEARS = { min: 1900, max: 2100 };

const day = (value: Date | string) => (value instanceof Date ? value : new Date(value));

/** The first and last day `period` covers (either open), checked. */
export function periodFilterBounds(period: PeriodArg | null | undefined): { from: Date | null; to: Date | null } {
  if (!period) return { from: null, to: null };
  const { years } = period;
  if (years && (period.from != null || period.to != null)) {
    throw badUserInput('give period.from/period.to (days) or period.years, not both', 'period');
  }
  if (years) {
    const to = years.to ?? years.from;
    for (const year of [years.from, to]) {
      if (!Number.isInteger(year) || year < YEARS.min || year > YEARS.max) {
        throw badUserInput(`period.years must be years from ${YEARS.min} to ${YEARS.max}`, 'period');
      }
    }
    if (years.from > to) throw badUserInput('period.years.from must not be after period.years.to', 'period');
    // A U.S. federal fiscal year N runs from 1 October of N-1 to 30 September of N.
    return years.kind === 'US_FISCAL'
      ? { from: new Date(Date.UTC(years.from - 1, 9, 1)), to: new Date(Date.UTC(to, 8, 30)) }
      : { from: new Date(Date.UTC(years.from, 0, 1)), to: new Date(Date.UTC(to, 11, 31)) };
  }
  const from = period.from != null ? day(period.from) : null;
  const to = period.to != null ? day(period.to) : null;
  if (from && to && from > to) throw badUserInput('period.from must not be after period.to', 'period');
  return { from, to };
}

/** Prisma's `where` for records in `[from, to]` on the list's date (or within it, for a span). */
function inPeriod(columns: RecordColumns, from: Date | null, to: Date | null): Record<string, unknown>[] {
  if (!from && !to) return [];
  if (typeof columns.date === 'string') {
    return [{ [columns.date]: { ...(from ? { gte: from } : {}), ...(to ? { lte: to } : {}) } }];
  }
  return [
    ...(from ? [{ [columns.date.start]: { gte: from } }] : []),
    ...(to ? [{ [columns.date.end]: { lte: to } }] : []),
  ];
}

/** Records of one country, by its column or its states' prefix. */
function ofCountry(columns: RecordColumns, country: string): Record<string, unknown> {
  if (columns.country) return { [columns.country]: country };
  if (columns.region) {
    return { OR: [{ [columns.region]: country }, { [columns.region]: { startsWith: `${country}-` } }] };
  }
  if (columns.state) return { [columns.state]: { startsWith: `${country}-` } };
  throw new Error('a country filter on a list without a country, region or state column');
}

/**
 * Prisma's `where` conditions (to AND together) for the shared filters given. `legacy` are the
 * deprecated `from`/`to` arguments, which mean `period.from`/`period.to` (with both given, the
 * later start and the earlier end hold). Bad values are BAD_USER_INPUT naming their argument.
 */
export function recordFilters(
  args: RecordFilterArgs,
  columns: RecordColumns,
  legacy: { from?: Date | string | null; to?: Date | string | null } = {},
): Record<string, unknown>[] {
  const where: Record<string, unknown>[] = [];
  const period = periodFilterBounds(args.period);
  const oldFrom = legacy.from != null ? day(legacy.from) : null;
  const oldTo = legacy.to != null ? day(legacy.to) : null;
  if (oldFrom && oldTo && oldFrom > oldTo) throw badUserInput('from must not be after to', 'from');
  const latest = (a: Date | null, b: Date | null) => (a && b ? (a > b ? a : b) : (a ?? b));
  const earliest = (a: Date | null, b: Date | null) => (a && b ? (a < b ? a : b) : (a ?? b));
  where.push(...inPeriod(columns, latest(period.from, oldFrom), earliest(period.to, oldTo)));
  if (args.country != null) {
    if (!COUNTRY.test(args.country)) {
      throw badUserInput(`"${args.country.slice(0, 16)}" is not a country of the framework (US or MX)`, 'country');
    }
    where.push(ofCountry(columns, args.country));
  }
  if (args.region != null) {
    const region = args.region;
    if (COUNTRY.test(region)) {
      where.push(ofCountry(columns, region));
    } else if (!STATE.test(region)) {
      throw badUserInput(
        `"${region.slice(0, 16)}" is not a region code: a country (US, MX) or an ISO 3166-2 state such as US-TX`,
        'region',
      );
    } else if (columns.region) {
      where.push({ [columns.region]: region });
    } else if (columns.state) {
      where.push({ [columns.state]: region });
    } else {
      throw badUserInput('these records are kept by country, not by state: filter by a country code', 'region');
    }
  }
  if (args.port != null) {
    if (!/^\d{4}$/.test(args.port)) {
      throw badUserInput(`"${args.port.slice(0, 16)}" is not a 4-digit CBP port code`, 'port');
    }
    if (!columns.port) throw new Error('a port filter on a list without a port column');
    where.push({ [columns.port]: args.port });
  }
  if (args.organization != null) {
    if (!columns.organization) throw new Error('an organization filter on a list without an organization column');
    where.push({ [columns.organization]: args.organization });
  }
  if (args.status != null) where.push({ status: args.status });
  if (args.sourceKind != null) where.push({ source: { kind: args.sourceKind } });
  return where;
}
