/** The kinds of period an observation can cover (the `PeriodKind` enum of the shared SDL). */
export const PERIOD_KINDS = [
  'CALENDAR_YEAR',
  'FISCAL_YEAR',
  'HALF_YEAR',
  'MONTH',
  'TWELVE_MONTHS_ENDING',
  'MULTI_YEAR',
  'DATE_RANGE',
  'POINT_IN_TIME',
] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

export interface PeriodBounds {
  start: Date;
  end: Date;
}

/** The label format each kind takes, as documented on `PeriodKind`. */
export const PERIOD_FORMATS: Record<PeriodKind, string> = {
  CALENDAR_YEAR: 'YYYY',
  FISCAL_YEAR: 'FYYYYY',
  HALF_YEAR: 'YYYY-H1 or YYYY-H2',
  MONTH: 'YYYY-MM',
  TWELVE_MONTHS_ENDING: 'YYYY-MM/12M',
  MULTI_YEAR: 'YYYY/YYYY',
  DATE_RANGE: 'YYYY-MM-DD/YYYY-MM-DD',
  POINT_IN_TIME: 'YYYY-MM-DD',
};

const utc = (year: number, month: number, day: number) => new Date(Date.UTC(year, month - 1, day));
const lastDayOfMonth = (year: number, month: number) => utc(year, month + 1, 0);

/** A real calendar day `YYYY-MM-DD` as a UTC date, or null (`2024-02-30` is not one). */
export function isoDate(text: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const date = utc(Number(m[1]), Number(m[2]), Number(m[3]));
  return date.toISOString().slice(0, 10) === text ? date : null;
}

/**
 * First and last day of a period from its kind and label, or `null` when the label does not
 * have the kind's form (`PERIOD_FORMATS`). U.S. federal fiscal year N runs 1 Oct N-1 – 30 Sep N.
 */
export function periodBounds(kind: PeriodKind, label: string): PeriodBounds | null {
  let m: RegExpExecArray | null;
  switch (kind) {
    case 'CALENDAR_YEAR':
      if (!(m = /^(\d{4})$/.exec(label))) return null;
      return { start: utc(Number(m[1]), 1, 1), end: utc(Number(m[1]), 12, 31) };
    case 'FISCAL_YEAR':
      if (!(m = /^FY(\d{4})$/.exec(label))) return null;
      return { start: utc(Number(m[1]) - 1, 10, 1), end: utc(Number(m[1]), 9, 30) };
    case 'HALF_YEAR': {
      if (!(m = /^(\d{4})-H([12])$/.exec(label))) return null;
      const year = Number(m[1]);
      return m[2] === '1'
        ? { start: utc(year, 1, 1), end: utc(year, 6, 30) }
        : { start: utc(year, 7, 1), end: utc(year, 12, 31) };
    }
    case 'MONTH': {
      if (!(m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(label))) return null;
      const [year, month] = [Number(m[1]), Number(m[2])];
      return { start: utc(year, month, 1), end: lastDayOfMonth(year, month) };
    }
    case 'TWELVE_MONTHS_ENDING': {
      if (!(m = /^(\d{4})-(0[1-9]|1[0-2])\/12M$/.exec(label))) return null;
      const [year, month] = [Number(m[1]), Number(m[2])];
      return { start: utc(year, month - 11, 1), end: lastDayOfMonth(year, month) };
    }
    case 'MULTI_YEAR': {
      if (!(m = /^(\d{4})\/(\d{4})$/.exec(label))) return null;
      const [from, to] = [Number(m[1]), Number(m[2])];
      return from < to ? { start: utc(from, 1, 1), end: utc(to, 12, 31) } : null;
    }
    case 'DATE_RANGE': {
      const [from, to, ...rest] = label.split('/');
      if (rest.length > 0 || !from || !to) return null;
      const start = isoDate(from);
      const end = isoDate(to);
      return start && end && start <= end ? { start, end } : null;
    }
    case 'POINT_IN_TIME': {
      const date = isoDate(label);
      return date ? { start: date, end: date } : null;
    }
  }
}
