import { LOCALE, type Lang } from './labels';

/**
 * How a number of the graph is written. A value is written whole (grouped, every decimal the
 * graph gave: nothing is rounded away); a change keeps its sign; a percent change (the graph's percent) one decimal; a share (1 is all) as a whole percent.
 * Each rendered number carries its format's name (`data-format`) and the graph's value
 * (`data-value`), so that what is shown can be checked against the graph.
 */
export const NUMBER_FORMATS = {
  value: { maximumFractionDigits: 10 },
  change: { maximumFractionDigits: 10, signDisplay: 'exceptZero' },
  percent: { style: 'percent', maximumFractionDigits: 1, signDisplay: 'exceptZero' },
  share: { style: 'percent', maximumFractionDigits: 0 },
} as const satisfies Record<string, Intl.NumberFormatOptions>;

export type NumberFormat = keyof typeof NUMBER_FORMATS;

const formatters = new Map<string, Intl.NumberFormat>();

export function formatNumber(lang: Lang, value: number, format: NumberFormat = 'value'): string {
  const key = `${lang}:${format}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(LOCALE[lang], NUMBER_FORMATS[format]);
    formatters.set(key, formatter);
  }
  // The graph gives percent changes in percent (12.5 is 12.5 %); Intl's percent style takes a share.
  return formatter.format(format === 'percent' ? value / 100 : value);
}

/** A `YYYY-MM-DD` date of the graph, written in the page's language (the day as given, in UTC). */
export function formatDate(lang: Lang, date: string): string {
  return new Intl.DateTimeFormat(LOCALE[lang], { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(date));
}
