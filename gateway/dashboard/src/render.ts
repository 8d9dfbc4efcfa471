import { seriesChart } from './chart';
import { anchor, h } from './dom';
import { formatDate, formatNumber, type NumberFormat } from './format';
import { counted, hasLabel, label, type LabelKey, type Lang } from './labels';
import {
  headlineSeries,
  latestOf,
  missingReason,
  sourcesOf,
  type AreaData,
  type BaselineData,
  type DashboardData,
  type GoalData,
  type IndicatorData,
  type ObjectiveData,
  type ObservationData,
  type SummaryData,
  type TargetData,
  type SeriesPoint,
  type SourceData,
  type TranslationData,
} from './model';

/**
 * The page's main content from the ReferenceDashboard answer: goals → cooperation areas → joint
 * objectives → indicators. Every text of the page's own is a dictionary label, marked
 * `data-label` with its key; the graph's texts are as the graph gave them in the page's language.
 * Every number is a link to its source: the publication's URL, or, where the source has none,
 * the source's entry in the indicator's list of sources.
 */

/** An element holding a dictionary label. */
function labelled<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  lang: Lang,
  key: LabelKey,
  values: Record<string, string | number> = {},
  attributes: Record<string, string> = {},
): HTMLElementTagNameMap[K] {
  return h(tag, { ...attributes, 'data-label': key }, label(lang, key, values));
}

/** A counted label (`_one` / `_other`) in an element. */
function countedLabel<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  lang: Lang,
  key: 'indicators' | 'withData',
  count: number,
  values: Record<string, string | number> = {},
  attributes: Record<string, string> = {},
): HTMLElementTagNameMap[K] {
  const chosen = counted(lang, key, count, values);
  return h(tag, { ...attributes, 'data-label': chosen.key }, chosen.text);
}

/** The marker of a Spanish text that is this project's own translation. */
function translationMark(lang: Lang, status: string | null | undefined): HTMLElement | null {
  if (lang !== 'es' || status !== 'UNOFFICIAL') return null;
  return h('span', { class: 'translation' }, ' (', labelled('span', lang, 'unofficialTranslation'), ')');
}

/** Where a number's link goes: its source's URL, or the source's entry on the page. */
function sourceHref(indicator: IndicatorData, source: SourceData): string {
  return source.url ?? `#${sourceAnchor(indicator, source)}`;
}

const sourceAnchor = (indicator: IndicatorData, source: SourceData) => anchor('src', indicator.id, source.id);

/**
 * A number of the graph, linked to its source: the formatted value (`.num`, with the graph's value
 * in `data-value` and its format in `data-format`), and for assistive technology the source's
 * publisher, so that the link says where it goes.
 */
function figure(
  lang: Lang,
  indicator: IndicatorData,
  value: number,
  source: SourceData | null,
  format: NumberFormat = 'value',
  qualifier?: string,
): HTMLElement {
  const number = h(
    'span',
    { class: 'num', 'data-value': String(value), 'data-format': format },
    formatNumber(lang, value, format),
  );
  const qualified =
    qualifier && qualifier !== 'EXACT' && hasLabel(`qualifier_${qualifier}`)
      ? [labelled('span', lang, `qualifier_${qualifier}` as LabelKey, {}, { class: 'qualifier' }), ' ']
      : [];
  if (!source) return h('span', { class: 'figure' }, ...qualified, number);
  return h(
    'a',
    { class: 'figure', href: sourceHref(indicator, source), 'data-source': source.id },
    ...qualified,
    number,
    h('span', { class: 'visually-hidden' }, ' — ', labelled('span', lang, 'source'), `: ${source.publisher}`),
  );
}

/** A label for an enum value the dictionary may not know yet: the code itself then. */
function enumLabel(lang: Lang, prefix: string, value: string, attributes: Record<string, string> = {}): HTMLElement {
  const key = `${prefix}_${value}`;
  return hasLabel(key) ? labelled('span', lang, key, {}, attributes) : h('span', attributes, value);
}

/**
 * An objective's, area's or goal's indicators counted by progress status and coverage: the
 * graph's summary when the operation selects it, else the same counts from the indicators'
 * own status and coverage (an indicator whose owner did not answer counts in neither).
 */
function summaryOf(progress: SummaryData | null | undefined, indicators: readonly IndicatorData[]): SummaryData {
  if (progress) return progress;
  const tally = (codes: (string | null | undefined)[]) => {
    const counts = new Map<string, number>();
    for (const code of codes) if (code) counts.set(code, (counts.get(code) ?? 0) + 1);
    return [...counts];
  };
  return {
    indicators: indicators.length,
    withData: indicators.filter((indicator) => indicator.coverage?.hasData ?? latestOf(indicator) !== null).length,
    byStatus: tally(indicators.map((indicator) => indicator.progress?.status)).map(([status, count]) => ({
      status,
      count,
    })),
    byCoverage: tally(indicators.map((indicator) => missingReason(indicator))).map(([reason, count]) => ({
      reason,
      count,
    })),
  };
}

function summaryLine(lang: Lang, summary: SummaryData): HTMLElement {
  const line = h(
    'div',
    { class: 'summary' },
    h(
      'p',
      {},
      countedLabel('span', lang, 'indicators', summary.indicators),
      ' · ',
      countedLabel('span', lang, 'withData', summary.withData, { total: summary.indicators }),
    ),
  );
  const counts = [
    ...summary.byStatus
      .filter((entry) => entry.count > 0 && entry.status !== 'NO_DATA')
      .map((entry) => ({ prefix: 'progress', code: entry.status, count: entry.count })),
    ...summary.byCoverage
      .filter((entry) => entry.count > 0)
      .map((entry) => ({ prefix: 'coverage', code: entry.reason, count: entry.count })),
  ];
  if (counts.length > 0) {
    const list = h('ul', { class: 'statuses' });
    for (const { prefix, code, count } of counts) {
      list.append(
        h('li', { class: `status status-${code.toLowerCase()}` }, enumLabel(lang, prefix, code), `: ${count}`),
      );
    }
    line.append(list);
  }
  return line;
}

function baselineLine(lang: Lang, indicator: IndicatorData, baseline: BaselineData): HTMLElement {
  const line = h(
    'p',
    { class: 'reference reference-baseline' },
    labelled('span', lang, 'baseline'),
    ` ${baseline.period} (`,
    enumLabel(lang, 'basis', baseline.basis),
    '): ',
    figure(lang, indicator, baseline.value, baseline.source),
  );
  if (baseline.note) line.append(' ', h('span', { class: 'baseline-note', lang: 'en' }, baseline.note));
  return line;
}

function targetLine(lang: Lang, indicator: IndicatorData, target: TargetData): HTMLElement {
  const line = h(
    'p',
    { class: 'reference reference-target' },
    labelled('span', lang, 'target'),
    ` ${target.period} (`,
    labelled('span', lang, 'setBy', { who: target.setBy }),
    '): ',
    figure(lang, indicator, target.value, target.document),
  );
  if (target.note) line.append(' ', h('span', { class: 'target-note', lang: 'en' }, target.note));
  return line;
}

/** A label whose `{placeholders}` are linked numbers (`figures`) rather than text. */
function withFigures(lang: Lang, key: LabelKey, figures: Record<string, HTMLElement>): HTMLElement {
  const line = h('p', { 'data-label': key });
  for (const part of label(lang, key).split(/(\{\w+\})/)) {
    const name = /^\{(\w+)\}$/.exec(part)?.[1];
    if (name !== undefined && figures[name]) line.append(figures[name]);
    else if (part !== '') line.append(part);
  }
  return line;
}

function latestBlock(lang: Lang, indicator: IndicatorData, latest: ObservationData): HTMLElement {
  return h(
    'div',
    { class: 'latest' },
    labelled('p', lang, 'latest', {}, { class: 'latest-label' }),
    h(
      'p',
      { class: 'latest-value' },
      figure(lang, indicator, latest.value, latest.source, 'value', latest.qualifier),
      ' ',
      h('span', { class: 'unit' }, indicator.unit),
    ),
    h(
      'p',
      { class: 'latest-period' },
      latest.period,
      ' · ',
      enumLabel(lang, 'status', latest.status),
      ' · ',
      latest.source.publisher,
    ),
  );
}

function progressBlock(lang: Lang, indicator: IndicatorData): HTMLElement | null {
  const progress = indicator.progress;
  if (!progress) return null;
  const block = h(
    'div',
    { class: `progress status-${progress.status.toLowerCase()}` },
    labelled('span', lang, 'progress', {}, { class: 'progress-label' }),
    ': ',
    enumLabel(lang, 'progress', progress.status, { class: 'progress-status' }),
  );
  const source = latestOf(indicator)?.source ?? null;
  if (progress.change !== null) {
    const change = figure(lang, indicator, progress.change, source, 'change');
    block.append(
      progress.changePercent === null
        ? withFigures(lang, 'change', { change })
        : withFigures(lang, 'changeWithPercent', {
            change,
            percent: figure(lang, indicator, progress.changePercent, source, 'percent'),
          }),
    );
  }
  if (progress.towardTarget !== null && progress.timeElapsed !== null) {
    const target = indicator.targets?.find((t) => t.period === progress.target?.period) ?? null;
    const document = target?.document ?? source;
    block.append(
      withFigures(lang, 'towardTarget', {
        share: figure(lang, indicator, progress.towardTarget, document, 'share'),
        elapsed: figure(lang, indicator, progress.timeElapsed, document, 'share'),
      }),
    );
  }
  const trend = progress.trend;
  if (trend) {
    block.append(
      h(
        'p',
        { class: 'trend' },
        labelled('span', lang, 'trend', { periods: trend.periods, from: trend.from.period, to: trend.to.period }),
        ' ',
        enumLabel(lang, 'trend', trend.direction, { class: 'trend-direction' }),
        ' (',
        figure(lang, indicator, trend.change, source, 'change'),
        ...(trend.changePercent === null
          ? []
          : ['; ', figure(lang, indicator, trend.changePercent, source, 'percent')]),
        ')',
      ),
    );
  }
  return block;
}

function sourceEntry(lang: Lang, indicator: IndicatorData, source: SourceData): HTMLElement {
  const item = h('li', { id: sourceAnchor(indicator, source) });
  const title = source.url ? h('a', { href: source.url }, source.title) : h('span', {}, source.title);
  item.append(`${source.publisher}, `, title, ' (', enumLabel(lang, 'kind', source.kind));
  if (source.publishedOn)
    item.append('; ', labelled('span', lang, 'publishedOn', { date: formatDate(lang, source.publishedOn) }));
  if (source.citedVia) item.append('; ', labelled('span', lang, 'citedVia', { outlet: source.citedVia }));
  if (!source.url) item.append('; ', labelled('span', lang, 'noLink'));
  item.append(')');
  return item;
}

function valuesTable(lang: Lang, indicator: IndicatorData, points: readonly SeriesPoint[]): HTMLElement {
  const body = h('tbody');
  for (const { observation } of points) {
    body.append(
      h(
        'tr',
        {},
        h('th', { scope: 'row' }, observation.period),
        h(
          'td',
          { class: 'numeric' },
          figure(lang, indicator, observation.value, observation.source, 'value', observation.qualifier),
        ),
        h('td', {}, enumLabel(lang, 'status', observation.status)),
        h('td', {}, observation.source.publisher),
      ),
    );
  }
  return h(
    'details',
    { class: 'values' },
    h('summary', { 'data-label': 'allValues' }, label(lang, 'allValues', { count: points.length })),
    h(
      'div',
      { class: 'table-scroll' },
      h(
        'table',
        {},
        h('caption', { 'data-label': 'tableCaption' }, label(lang, 'tableCaption', { name: indicator.name })),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            labelled('th', lang, 'period', {}, { scope: 'col' }),
            labelled('th', lang, 'value', {}, { scope: 'col', class: 'numeric' }),
            labelled('th', lang, 'status', {}, { scope: 'col' }),
            labelled('th', lang, 'source', {}, { scope: 'col' }),
          ),
        ),
        body,
      ),
    ),
  );
}

function indicatorSection(lang: Lang, indicator: IndicatorData): HTMLElement {
  const id = anchor('i', indicator.id);
  const section = h(
    'section',
    { class: 'indicator', id, 'aria-labelledby': `${id}-name`, 'data-indicator': indicator.id },
    h('h5', { id: `${id}-name` }, indicator.name),
    h(
      'p',
      { class: 'indicator-meta' },
      labelled('span', lang, 'unit', { unit: indicator.unit }),
      ...(indicator.direction ? [' · ', enumLabel(lang, 'direction', indicator.direction)] : []),
      indicator.directionRule ? ` ${indicator.directionRule}` : '',
    ),
  );
  if (indicator.partOf) {
    section.append(
      h(
        'p',
        { class: 'part-of' },
        labelled('span', lang, 'partOf'),
        ' ',
        h('a', { href: `#${anchor('i', indicator.partOf.id)}` }, indicator.partOf.name),
        indicator.partOfNote ? `. ${indicator.partOfNote}` : '',
      ),
    );
  }
  const missing = missingReason(indicator);
  if (missing === null && (indicator.series === null || indicator.coverage === null)) {
    section.append(labelled('p', lang, 'valuesUnavailable', {}, { class: 'missing', 'data-missing': 'UNAVAILABLE' }));
  } else if (missing !== null) {
    const reason = h('p', { class: 'missing', 'data-missing': missing }, enumLabel(lang, 'coverage', missing));
    section.append(reason);
    if (indicator.coverage?.note)
      section.append(h('p', { class: 'coverage-note', lang: 'en' }, indicator.coverage.note));
  } else {
    const points = headlineSeries(indicator);
    const content = h('div', { class: 'indicator-figures' });
    const latest = latestOf(indicator);
    if (latest) content.append(latestBlock(lang, indicator, latest));
    const progress = progressBlock(lang, indicator);
    if (progress) content.append(progress);
    const baseline = indicator.progress?.baseline ?? null;
    if (baseline) content.append(baselineLine(lang, indicator, baseline));
    for (const target of indicator.targets ?? []) content.append(targetLine(lang, indicator, target));
    section.append(content);
    if (points.length > 0) {
      section.append(
        h(
          'figure',
          { class: 'chart-figure' },
          seriesChart({
            id: `${id}-chart`,
            lang,
            name: indicator.name,
            points,
            baseline,
            targets: indicator.targets ?? [],
          }),
          h(
            'figcaption',
            {},
            labelled('span', lang, 'headlineSeries'),
            indicator.headline ? `: ${indicator.headline.description}` : '',
          ),
        ),
        valuesTable(lang, indicator, points),
      );
      const notes = points.map((p) => p.observation.note).filter((note): note is string => !!note);
      if (notes.length > 0) {
        const list = h('ul', { class: 'notes', lang: 'en' });
        for (const note of new Set(notes)) list.append(h('li', {}, note));
        section.append(
          h(
            'div',
            { class: 'notes-block' },
            labelled('p', lang, 'note', {}, { class: 'notes-label' }),
            lang === 'en' ? null : labelled('p', lang, 'notesInEnglish', {}, { class: 'notes-language' }),
            list,
          ),
        );
      }
    }
    const sources = sourcesOf(indicator, points);
    if (sources.length > 0) {
      const list = h('ul', { class: 'sources' });
      for (const source of sources) list.append(sourceEntry(lang, indicator, source));
      section.append(labelled('h6', lang, 'sources'), list);
    }
  }
  section.append(
    h('details', { class: 'about' }, labelled('summary', lang, 'about'), h('p', {}, indicator.description)),
  );
  return section;
}

function titleWith(lang: Lang, text: string, translation: TranslationData): (Node | string)[] {
  const mark = translationMark(lang, translation.title);
  return mark ? [text, mark] : [text];
}

function objectiveArticle(lang: Lang, objective: ObjectiveData): HTMLElement {
  const id = anchor('o', objective.id);
  const article = h(
    'article',
    { class: 'objective', id, 'aria-labelledby': `${id}-title`, 'data-objective': objective.id },
    h(
      'h4',
      { id: `${id}-title` },
      labelled('span', lang, 'objective', { id: objective.id }, { class: 'number' }),
      ' ',
      ...titleWith(lang, objective.title, objective.translation),
    ),
    h(
      'p',
      { class: 'owner' },
      h(
        'span',
        { 'data-label': 'owner' },
        label(lang, 'owner', {
          owner: hasLabel(`owner_${objective.owner}`)
            ? label(lang, `owner_${objective.owner}` as LabelKey)
            : objective.owner,
        }),
      ),
    ),
    summaryLine(lang, summaryOf(objective.progress, objective.indicators)),
  );
  if (objective.indicators.length === 0) article.append(labelled('p', lang, 'noIndicators', {}, { class: 'missing' }));
  for (const indicator of objective.indicators) article.append(indicatorSection(lang, indicator));
  return article;
}

function areaSection(lang: Lang, area: AreaData): HTMLElement {
  const id = anchor('a', area.id);
  const indicators = area.objectives.flatMap((objective) => objective.indicators);
  const section = h(
    'section',
    { class: 'area', id, 'aria-labelledby': `${id}-title` },
    h(
      'h3',
      { id: `${id}-title` },
      labelled('span', lang, 'area', { id: area.id }, { class: 'number' }),
      ' ',
      ...titleWith(lang, area.title, area.translation),
    ),
    summaryLine(lang, summaryOf(area.progress, indicators)),
  );
  for (const objective of area.objectives) section.append(objectiveArticle(lang, objective));
  return section;
}

function goalSection(lang: Lang, goal: GoalData): HTMLElement {
  const id = anchor('g', goal.id);
  const indicators = goal.areas.flatMap((area) => area.objectives.flatMap((objective) => objective.indicators));
  const description = h('p', { class: 'goal-description' }, goal.description);
  const mark = translationMark(lang, goal.translation.description);
  if (mark) description.append(mark);
  const section = h(
    'section',
    { class: 'goal', id, 'aria-labelledby': `${id}-title` },
    h(
      'h2',
      { id: `${id}-title` },
      labelled('span', lang, 'goal', { id: goal.id }, { class: 'number' }),
      ' ',
      ...titleWith(lang, goal.title, goal.translation),
    ),
    description,
    summaryLine(lang, summaryOf(goal.progress, indicators)),
  );
  for (const area of goal.areas) section.append(areaSection(lang, area));
  return section;
}

/** The table of contents: each goal and its areas, linked to their sections. */
export function contents(lang: Lang, data: DashboardData): HTMLElement {
  const list = h('ol');
  for (const goal of data.goals) {
    const areas = h('ol');
    for (const area of goal.areas) {
      areas.append(h('li', {}, h('a', { href: `#${anchor('a', area.id)}` }, `${area.id} ${area.title}`)));
    }
    list.append(
      h(
        'li',
        {},
        h(
          'a',
          { href: `#${anchor('g', goal.id)}` },
          labelled('span', lang, 'goal', { id: goal.id }),
          `: ${goal.title}`,
        ),
        areas,
      ),
    );
  }
  return h(
    'nav',
    { class: 'contents', 'aria-labelledby': 'contents-title' },
    labelled('h2', lang, 'contents', {}, { id: 'contents-title' }),
    list,
  );
}

/** Every goal, as the main content. */
export function goals(lang: Lang, data: DashboardData): DocumentFragment {
  const fragment = document.createDocumentFragment();
  for (const goal of data.goals) fragment.append(goalSection(lang, goal));
  return fragment;
}
