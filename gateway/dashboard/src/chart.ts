import { s } from './dom';
import { formatNumber } from './format';
import { counted, label, type Lang } from './labels';
import type { SeriesPoint } from './model';

/** A horizontal line across the chart: the baseline or a target. */
export interface ReferenceLine {
  period: string;
  value: number;
}

/** The drawing's own units (the SVG scales to its box; CSS gives it its width). */
const WIDTH = 640;
const HEIGHT = 220;
const MARGIN = { top: 18, right: 20, bottom: 34, left: 92 };

export interface ChartInput {
  /** A unique id prefix for the title and description the chart is labelled by. */
  id: string;
  lang: Lang;
  name: string;
  points: readonly SeriesPoint[];
  baseline: ReferenceLine | null;
  targets: readonly ReferenceLine[];
}

/**
 * An indicator's headline series as an inline SVG line chart: one point per period, placed by
 * the period's end, the baseline and each target as a horizontal line, with the series' lowest
 * and highest values and its first and last periods as the axis labels (every number drawn is a
 * value of the graph; nothing is rounded into a scale). It is an image to assistive technology,
 * labelled by its title and a description that says what it shows (`chartSummary`); the table
 * beside it lists every value with its source.
 */
export function seriesChart(input: ChartInput): SVGSVGElement {
  const { id, lang, points, baseline, targets } = input;
  const values = points.map((p) => p.observation.value);
  const references = [...(baseline ? [baseline] : []), ...targets];
  const all = [...values, ...references.map((r) => r.value)];
  const low = Math.min(0, ...all);
  let high = Math.max(...all);
  if (high === low) high = low + 1;
  const top = high + (high - low) * 0.06;
  const first = points[0]!.at;
  const last = points[points.length - 1]!.at;
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (at: number) =>
    last === first ? MARGIN.left + plotWidth / 2 : MARGIN.left + ((at - first) / (last - first)) * plotWidth;
  const y = (value: number) => MARGIN.top + (1 - (value - low) / (top - low)) * plotHeight;
  const round = (n: number) => Math.round(n * 10) / 10;

  const titleId = `${id}-title`;
  const descId = `${id}-desc`;
  const svg = s('svg', {
    class: 'chart',
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    role: 'img',
    'aria-labelledby': `${titleId} ${descId}`,
    focusable: 'false',
  });
  svg.append(
    s('title', { id: titleId, 'data-label': 'chartLabel' }, label(lang, 'chartLabel', { name: input.name })),
    s('desc', { id: descId }, describe(input)),
  );

  // The zero line (or the lowest value's, for a series below zero) and the plot's left edge.
  const axis = s('g', { class: 'chart-axis', 'aria-hidden': 'true' });
  axis.append(
    s('line', { x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: round(y(low)), y2: round(y(low)) }),
    s('line', { x1: MARGIN.left, x2: MARGIN.left, y1: MARGIN.top, y2: round(y(low)) }),
  );
  const minimum = points.reduce((a, b) => (b.observation.value < a.observation.value ? b : a));
  const maximum = points.reduce((a, b) => (b.observation.value > a.observation.value ? b : a));
  for (const point of minimum === maximum ? [maximum] : [minimum, maximum]) {
    const at = round(y(point.observation.value));
    axis.append(
      s('line', { class: 'chart-grid', x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: at, y2: at }),
      s(
        'text',
        { x: MARGIN.left - 8, y: at, 'text-anchor': 'end', 'dominant-baseline': 'middle' },
        formatNumber(lang, point.observation.value),
      ),
    );
  }
  const periods = points.length === 1 ? [points[0]!] : [points[0]!, points[points.length - 1]!];
  periods.forEach((point, index) => {
    const anchor = periods.length === 1 ? 'middle' : index === 0 ? 'start' : 'end';
    axis.append(s('text', { x: round(x(point.at)), y: HEIGHT - 10, 'text-anchor': anchor }, point.observation.period));
  });
  svg.append(axis);

  const lines = s('g', { 'aria-hidden': 'true' });
  const drawLine = (reference: ReferenceLine, kind: 'baseline' | 'target') => {
    const at = round(y(reference.value));
    lines.append(
      s('line', { class: `chart-${kind}`, x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: at, y2: at }),
      s(
        'text',
        { class: `chart-${kind}-label`, x: WIDTH - MARGIN.right, y: at - 5, 'text-anchor': 'end' },
        `${label(lang, kind)} ${reference.period}: ${formatNumber(lang, reference.value)}`,
      ),
    );
  };
  if (baseline) drawLine(baseline, 'baseline');
  for (const target of targets) drawLine(target, 'target');
  svg.append(lines);

  const series = s('g', { class: 'chart-series', 'aria-hidden': 'true' });
  if (points.length > 1) {
    series.append(
      s('polyline', {
        points: points.map((p) => `${round(x(p.at))},${round(y(p.observation.value))}`).join(' '),
      }),
    );
  }
  points.forEach((point, index) => {
    const provisional = point.observation.status === 'PROVISIONAL';
    series.append(
      s('circle', {
        class: provisional ? 'chart-point chart-point-provisional' : 'chart-point',
        cx: round(x(point.at)),
        cy: round(y(point.observation.value)),
        r: index === points.length - 1 ? 5 : 3.5,
      }),
    );
  });
  svg.append(series);
  return svg;
}

/** What the chart shows, in words: its text alternative. */
export function describe(input: ChartInput): string {
  const { lang, points, baseline, targets } = input;
  const value = (n: number) => formatNumber(lang, n);
  const parts: string[] = [];
  if (points.length === 1) {
    const only = points[0]!.observation;
    parts.push(counted(lang, 'chartSummary', 1, { value: value(only.value), period: only.period }).text);
  } else {
    const minimum = points.reduce((a, b) => (b.observation.value < a.observation.value ? b : a)).observation;
    const maximum = points.reduce((a, b) => (b.observation.value > a.observation.value ? b : a)).observation;
    const latest = points[points.length - 1]!.observation;
    parts.push(
      counted(lang, 'chartSummary', points.length, {
        first: points[0]!.observation.period,
        last: latest.period,
        min: value(minimum.value),
        minPeriod: minimum.period,
        max: value(maximum.value),
        maxPeriod: maximum.period,
        latest: value(latest.value),
        latestPeriod: latest.period,
      }).text,
    );
  }
  if (baseline) parts.push(label(lang, 'chartBaseline', { value: value(baseline.value), period: baseline.period }));
  for (const target of targets) {
    parts.push(label(lang, 'chartTarget', { value: value(target.value), period: target.period }));
  }
  return parts.join(' ');
}
