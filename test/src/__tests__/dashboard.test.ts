import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import axe from 'axe-core';
import { chromium, type Browser, type BrowserContext, type Page, type Request } from 'playwright-core';
import { startInProcessGraph, type InProcessGraph } from '../inProcess';

/**
 * The public reference dashboard (gateway/dashboard) in a real browser: Debian's chromium
 * (`.ci/run` installs it; REQUIRE_BROWSER=true there makes its absence a failure) driven by
 * playwright-core, against the real gateway and subgraphs with the production safelist
 * (SAFELIST=enforce: the page can only run persisted operations, by id).
 */
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const haveBrowser = existsSync(CHROMIUM);
if (!haveBrowser && process.env['REQUIRE_BROWSER'] === 'true') {
  throw new Error(`REQUIRE_BROWSER=true but there is no browser at ${CHROMIUM} (apt-get install chromium)`);
}
if (!haveBrowser) {
  process.stderr.write(
    `dashboard.test.ts: no browser at ${CHROMIUM}; the browser tests are skipped (apt-get install chromium)\n`,
  );
}
const ROOT = join(__dirname, '..', '..', '..');
/** Screenshots and timings, kept for a person to look at: .tmp/artifacts (gitignored). */
const ARTIFACTS = join(ROOT, '.tmp', 'artifacts');
const OPERATION = 'ReferenceDashboard';
/** The indicator the target test sets a target on (its owner: public health). */
const TARGETED = '1.1.1/us-overdose-deaths';

const describeBrowser = haveBrowser ? describe : describe.skip;

interface SourceAnswer {
  id: string;
  publisher: string;
  url: string | null;
}
interface ObservationAnswer {
  period: string;
  value: number;
  source: SourceAnswer;
}
interface IndicatorAnswer {
  id: string;
  name: string;
  series: ObservationAnswer[] | null;
  progress: {
    status: string;
    baseline: { period: string; periodKind: string; value: number; source: SourceAnswer } | null;
  } | null;
  targets: { period: string; value: number; document: SourceAnswer }[] | null;
  coverage: { hasData: boolean; reason: string | null } | null;
}
interface DashboardAnswer {
  framework: { title: string };
  goals: {
    id: string;
    title: string;
    areas: { id: string; title: string; objectives: { id: string; title: string; indicators: IndicatorAnswer[] }[] }[];
  }[];
}

/** What the page shows, read in the page (see `readPage`). */
interface Figure {
  value: number;
  text: string;
  format: string;
  href: string | null;
  /** Whether an in-page link's target exists. */
  targetExists: boolean;
}
interface IndicatorOnPage {
  id: string;
  name: string;
  missing: string | null;
  missingText: string | null;
  latest: Figure | null;
  baseline: Figure | null;
  rows: { period: string; figure: Figure }[];
  /** The chart: its points, whether it draws a baseline line, and its text alternative. */
  chart: { points: number; baselineLine: boolean; targetLines: number; label: string; description: string } | null;
  targets: Figure[];
}
interface PageState {
  lang: string;
  title: string;
  goalHeadings: string[];
  indicators: IndicatorOnPage[];
  figures: Figure[];
  labels: { key: string; text: string }[];
}

/**
 * Reads the rendered page: every indicator's figures, every number (`.num`) with the link it is
 * in, every dictionary label (`data-label`). Runs in the browser; the element type is the little
 * of the DOM it uses (the tests compile without the DOM library).
 */
function readPage(): PageState {
  interface El {
    getAttribute(name: string): string | null;
    textContent: string | null;
    querySelector(selector: string): El | null;
    querySelectorAll(selector: string): ArrayLike<El>;
    closest(selector: string): El | null;
  }
  const doc = (globalThis as unknown as { document: El & { title: string; documentElement: El } }).document;
  const all = (root: El, selector: string) => Array.from(root.querySelectorAll(selector));
  const figure = (num: El | null) => {
    if (!num) return null;
    const link = num.closest('a');
    const href = link?.getAttribute('href') ?? null;
    return {
      value: Number(num.getAttribute('data-value')),
      text: num.textContent ?? '',
      format: num.getAttribute('data-format') ?? '',
      href,
      targetExists:
        href !== null && href.startsWith('#') ? doc.querySelector(`[id="${href.slice(1)}"]`) !== null : true,
    };
  };
  return {
    lang: doc.documentElement.getAttribute('lang') ?? '',
    title: doc.title,
    goalHeadings: all(doc, 'section.goal > h2').map((e) => e.textContent ?? ''),
    indicators: all(doc, 'section.indicator').map((section) => ({
      id: section.getAttribute('data-indicator') ?? '',
      name: section.querySelector('h5')?.textContent ?? '',
      missing: section.querySelector('[data-missing]')?.getAttribute('data-missing') ?? null,
      missingText: section.querySelector('[data-missing]')?.textContent ?? null,
      latest: figure(section.querySelector('.latest-value .num')),
      baseline: figure(section.querySelector('.reference-baseline .num')),
      rows: all(section, 'table tbody tr').map((row) => ({
        period: row.querySelector('th')?.textContent ?? '',
        figure: figure(row.querySelector('.num'))!,
      })),
      chart: ((svg: El | null) =>
        svg === null
          ? null
          : {
              points: all(svg, 'circle.chart-point').length,
              baselineLine: svg.querySelector('line.chart-baseline') !== null,
              targetLines: all(svg, 'line.chart-target').length,
              label: (svg.getAttribute('aria-labelledby') ?? '')
                .split(' ')
                .map((id) => doc.querySelector(`[id="${id}"]`)?.textContent ?? '')
                .join(' | '),
              description: svg.querySelector('desc')?.textContent ?? '',
            })(section.querySelector('svg.chart[role="img"]')),
      targets: all(section, '.reference-target .num').map((num) => figure(num)!),
    })),
    figures: all(doc, '.num').map((num) => figure(num)!),
    labels: all(doc, '[data-label]').map((e) => ({
      key: e.getAttribute('data-label') ?? '',
      text: e.textContent ?? '',
    })),
  };
}

const LOCALES: Record<string, string> = { en: 'en-US', es: 'es-MX' };

/** A value as the page writes it: grouped, every decimal the graph gave (gateway/dashboard/src/format.ts). */
const written = (lang: string, value: number) =>
  new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: 10 }).format(value);

describeBrowser('the reference dashboard on /dashboard, in chromium', () => {
  let graph: InProcessGraph;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let dashboardUrl: string;
  let operationId: string;
  /** Every request the browser made. */
  const requested: Request[] = [];
  const pageErrors: string[] = [];
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(ROOT, 'schema', 'persisted-operations.json'), 'utf8')) as {
      operations: { id: string; name: string }[];
    };
    operationId = manifest.operations.find((operation) => operation.name === OPERATION)!.id;
    graph = await startInProcessGraph({ gatewayEnv: { SAFELIST: 'enforce' } });
    dashboardUrl = graph.gatewayUrl.replace(/graphql$/, 'dashboard');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    context.on('request', (request) => requested.push(request));
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await graph?.stop();
    if (Object.keys(timings).length > 0) {
      writeFileSync(join(ARTIFACTS, 'dashboard-timings.json'), `${JSON.stringify(timings, null, 2)}\n`);
    }
  });

  /** The graph's own answer to the page's operation, by its persisted id, for the public. */
  const graphAnswer = async (lang: 'EN' | 'ES') => {
    const response = await fetch(graph.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': lang.toLowerCase() },
      body: JSON.stringify({
        operationName: OPERATION,
        variables: { lang },
        extensions: { persistedQuery: { version: 1, sha256Hash: operationId } },
      }),
    });
    const body = (await response.json()) as { data?: DashboardAnswer; errors?: unknown[] };
    expect(body.errors).toBeUndefined();
    return body.data!;
  };

  const ready = async (lang: string) => {
    await page.locator(`body[data-state="ready"][data-lang="${lang}"]`).waitFor({ timeout: 60_000 });
  };

  /** axe-core's WCAG 2.1 A/AA rules and its best practices, in the page; the violations, summarised. */
  const accessibilityViolations = async () => {
    await page.evaluate(axe.source);
    const results = await page.evaluate(() =>
      (
        globalThis as unknown as {
          axe: { run(options: object): Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> };
        }
      ).axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } }),
    );
    return results.violations.map((v) => `${v.id} (${v.impact}, ${v.nodes.length} elements)`);
  };

  /** Checks every number of the page against the graph's answer in that language. */
  const expectNumbersOfTheGraph = (state: PageState, answer: DashboardAnswer, lang: string) => {
    const indicators = answer.goals.flatMap((g) => g.areas.flatMap((a) => a.objectives.flatMap((o) => o.indicators)));
    expect(state.indicators.map((i) => i.id)).toEqual(indicators.map((i) => i.id));
    expect(state.goalHeadings.map((text, index) => text.includes(answer.goals[index]!.title))).toEqual(
      answer.goals.map(() => true),
    );
    const linkOf = (source: SourceAnswer, indicatorId: string) =>
      source.url ??
      `#${`src-${indicatorId}-${source.id}`
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '')}`;
    let withValues = 0;
    state.indicators.forEach((shown, index) => {
      const indicator = indicators[index]!;
      expect(shown.name).toBe(indicator.name);
      if (indicator.coverage && !indicator.coverage.hasData) {
        // Said plainly, with no number.
        expect({ id: indicator.id, missing: shown.missing, latest: shown.latest }).toEqual({
          id: indicator.id,
          missing: indicator.coverage.reason,
          latest: null,
        });
        return;
      }
      withValues++;
      // The latest value is the headline series' last.
      const latest = indicator.series!.at(-1)!;
      expect({ id: indicator.id, ...shown.latest }).toEqual({
        id: indicator.id,
        value: latest.value,
        text: written(lang, latest.value),
        format: 'value',
        href: linkOf(latest.source, indicator.id),
        targetExists: true,
      });
      expect(shown.rows.map((row) => [row.period, row.figure.value, row.figure.text, row.figure.href])).toEqual(
        (indicator.series ?? []).map((o) => [
          o.period,
          o.value,
          written(lang, o.value),
          linkOf(o.source, indicator.id),
        ]),
      );
      const baseline = indicator.progress?.baseline ?? null;
      // The headline series drawn: a point per value, the baseline as a line, said in words.
      const series = indicator.series ?? [];
      const targets = indicator.targets ?? [];
      expect({
        id: indicator.id,
        points: shown.chart?.points,
        baselineLine: shown.chart?.baselineLine,
        targetLines: shown.chart?.targetLines,
      }).toEqual({
        id: indicator.id,
        points: series.length,
        baselineLine: baseline !== null,
        targetLines: targets.length,
      });
      expect(shown.targets.map((t) => [t.value, t.text, t.href])).toEqual(
        targets.map((t) => [t.value, written(lang, t.value), linkOf(t.document, indicator.id)]),
      );
      expect(shown.chart!.label).toContain(indicator.name);
      expect(shown.chart!.description).toContain(written(lang, latest.value));
      if (baseline) expect(shown.chart!.description).toContain(written(lang, baseline.value));
      expect(shown.baseline === null ? null : [shown.baseline.value, shown.baseline.text, shown.baseline.href]).toEqual(
        baseline === null
          ? null
          : [baseline.value, written(lang, baseline.value), linkOf(baseline.source, indicator.id)],
      );
    });
    expect(withValues).toBeGreaterThan(20);
    // Every number on the page is a link to its source: the publication, or its entry on the page.
    expect(state.figures.length).toBeGreaterThan(100);
    expect(state.figures.filter((f) => f.href === null || !f.targetExists)).toEqual([]);
    expect(state.figures.filter((f) => !Number.isFinite(f.value))).toEqual([]);
  };

  let english: PageState;

  it('shows in English every goal, area, objective and indicator with the numbers of the graph, each linked to its source', async () => {
    const started = performance.now();
    const opened = await page.goto(`${dashboardUrl}?lang=en`);
    expect(opened?.status()).toBe(200);
    expect(opened?.headers()['content-security-policy']).toContain("connect-src 'self'");
    expect(opened?.headers()['cache-control']).toBe('no-cache');
    await ready('en');
    timings['firstLoadMs'] = performance.now() - started;

    // The page read the graph once, by the persisted operation's id alone, as a GET.
    const reads = requested.filter((r) => new URL(r.url()).pathname === '/graphql');
    expect(reads.length).toBe(1);
    const read = new URL(reads[0]!.url());
    expect(reads[0]!.method()).toBe('GET');
    expect(read.searchParams.get('query')).toBeNull();
    expect(JSON.parse(read.searchParams.get('extensions')!)).toEqual({
      persistedQuery: { version: 1, sha256Hash: operationId },
    });

    english = await page.evaluate(readPage);
    expect(english.lang).toBe('en');
    expectNumbersOfTheGraph(english, await graphAnswer('EN'), 'en');
    const missing = english.indicators.filter((i) => i.missing === 'NO_PUBLISHED_FIGURE');
    expect(missing.length).toBeGreaterThan(0);
    expect(new Set(missing.map((i) => i.missingText))).toEqual(new Set(['No published figure']));

    expect(await accessibilityViolations()).toEqual([]);
    const screenshot = join(ARTIFACTS, 'dashboard-en.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    expect(statSync(screenshot).size).toBeGreaterThan(50_000);
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('switches every label to Spanish, with the graph’s Spanish texts and the same numbers', async () => {
    await page.locator('#lang-switch').click();
    await ready('es');
    expect(new URL(page.url()).searchParams.get('lang')).toBe('es');
    const spanish = await page.evaluate(readPage);
    expect(spanish.lang).toBe('es');
    expect(spanish.title).not.toBe(english.title);
    expectNumbersOfTheGraph(spanish, await graphAnswer('ES'), 'es');
    const missing = spanish.indicators.filter((i) => i.missing === 'NO_PUBLISHED_FIGURE');
    expect(new Set(missing.map((i) => i.missingText))).toEqual(new Set(['Sin cifra publicada']));

    // The same labels in the same places, every one of them changed. Spanish alone says which
    // titles are this project's translation and that the agencies' notes are in English.
    const SPANISH_ONLY = new Set(['unofficialTranslation', 'notesInEnglish']);
    expect(spanish.labels.filter((l) => SPANISH_ONLY.has(l.key)).length).toBeGreaterThan(0);
    const labels = spanish.labels.filter((l) => !SPANISH_ONLY.has(l.key));
    expect(labels.map((l) => l.key)).toEqual(english.labels.map((l) => l.key));
    const unchanged = labels.filter((l, index) => l.text === english.labels[index]!.text);
    expect(unchanged).toEqual([]);
    expect(english.labels.length).toBeGreaterThan(500);

    expect(await accessibilityViolations()).toEqual([]);
    const screenshot = join(ARTIFACTS, 'dashboard-es.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    expect(statSync(screenshot).size).toBeGreaterThan(50_000);

    // A Spanish address is Spanish from the first byte, and back in English with the switch.
    const reopened = await page.goto(`${dashboardUrl}?lang=es`);
    expect(await reopened?.text()).toContain('<html lang="es"');
    await ready('es');
    await page.locator('#lang-switch').click();
    await ready('en');
    expect((await page.evaluate(readPage)).labels).toEqual(english.labels);
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('is served from the caches: the page revalidated, its assets immutable, its answer a cache hit', async () => {
    // A second visit: the answer comes from the browser's HTTP cache or the gateway's.
    const started = performance.now();
    await page.goto(`${dashboardUrl}?lang=en`);
    await ready('en');
    timings['cachedLoadMs'] = performance.now() - started;
    const html = await fetch(`${dashboardUrl}?lang=en`);
    expect(html.headers.get('cache-control')).toBe('no-cache');
    const text = await html.text();
    const script = /src="(dashboard\/assets\/[^"]+\.js)"/.exec(text)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(new URL(script!, dashboardUrl), { headers: { 'accept-encoding': 'gzip' } });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-encoding')).toBe('gzip');
    expect(asset.headers.get('cache-control')).toContain('immutable');

    // The page's GET, as it sent it: a hit in the gateway's response cache, public for a minute or more.
    const read = requested.filter((r) => new URL(r.url()).pathname === '/graphql').at(-1)!;
    const { accept, 'accept-language': language, 'apollo-require-preflight': preflight } = read.headers();
    const sentHeaders = { accept: accept!, 'accept-language': language!, 'apollo-require-preflight': preflight! };
    const timed: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 20; i++) {
      const sent = performance.now();
      last = await fetch(read.url(), { headers: sentHeaders });
      await last.arrayBuffer();
      timed.push(performance.now() - sent);
    }
    expect(last!.headers.get('x-cache')).toBe('HIT');
    expect(last!.headers.get('cache-control')).toMatch(/^max-age=\d+, public$/);
    timed.sort((a, b) => a - b);
    timings['cachedAnswerMedianMs'] = timed[10]!;
    // Generous: a cached answer on this 2-core machine takes a few milliseconds.
    expect(timings['cachedAnswerMedianMs']).toBeLessThan(250);
  }, 120_000);

  it('draws a target once its owner sets one, with progress measured against it', async () => {
    // A target this test sets, from a document it registers as synthetic: not a published figure.
    // Its writes are no persisted operations: under SAFELIST=enforce they need graph:analyze too.
    const token = await graph.token({
      subject: 'dashboard-test',
      agency: 'CDC',
      country: 'US',
      scopes: ['public-health:write', 'graph:analyze'],
    });
    const write = async (query: string, variables: Record<string, unknown>) => {
      const response = await fetch(graph.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { errors?: unknown[] };
      expect(body.errors).toBeUndefined();
    };
    const before = await graphAnswer('EN');
    const indicator = before.goals
      .flatMap((g) => g.areas.flatMap((a) => a.objectives.flatMap((o) => o.indicators)))
      .find((i) => i.id === TARGETED)!;
    const baseline = indicator.progress!.baseline!;
    await write(
      `#graphql
      mutation RegisterTestDocument($input: SourceInput!, $submission: SubmissionInput!) {
        registerPublicHealthSource(input: $input, submission: $submission) { id }
      }`,
      {
        input: {
          id: 'dashboard-test-target-document',
          publisher: 'Dashboard test',
          title: 'A target set by the dashboard test, not a published one',
          kind: 'SYNTHETIC',
        },
        submission: { idempotencyKey: `dashboard-test-source-${process.pid}` },
      },
    );
    await write(
      `#graphql
      mutation SetTestTarget($input: TargetInput!, $submission: SubmissionInput!) {
        setPublicHealthIndicatorTarget(input: $input, submission: $submission) { period }
      }`,
      {
        input: {
          indicatorId: TARGETED,
          period: '2030',
          periodKind: baseline.periodKind,
          value: baseline.value / 2,
          setBy: 'Dashboard test',
          sourceId: 'dashboard-test-target-document',
          note: 'A test target, not a published one.',
        },
        submission: { idempotencyKey: `dashboard-test-target-${process.pid}` },
      },
    );
    const after = await graphAnswer('EN');
    const targeted = after.goals
      .flatMap((g) => g.areas.flatMap((a) => a.objectives.flatMap((o) => o.indicators)))
      .find((i) => i.id === TARGETED)!;
    expect(targeted.targets?.map((t) => t.value)).toEqual([baseline.value / 2]);
    expect(['ON_TRACK', 'OFF_TRACK']).toContain(targeted.progress?.status);

    // A browser without the first answer in its HTTP cache (which keeps an answer for its max-age).
    const fresh = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    fresh.on('request', (request) => requested.push(request));
    const previous = page;
    page = await fresh.newPage();
    try {
      await page.goto(`${dashboardUrl}?lang=en`);
      await ready('en');
      const state = await page.evaluate(readPage);
      expectNumbersOfTheGraph(state, after, 'en');
      const shown = state.indicators.find((i) => i.id === TARGETED)!;
      expect(shown.chart?.targetLines).toBe(1);
      expect(shown.targets.map((t) => t.value)).toEqual([baseline.value / 2]);
      const section = page.locator(`[data-indicator="${TARGETED}"]`);
      await expect(section.locator('.progress-status').textContent()).resolves.toMatch(/^(On track|Off track)$/);
      await expect(section.locator('[data-label="towardTarget"]').count()).resolves.toBe(1);
      await section.screenshot({ path: join(ARTIFACTS, 'dashboard-target.png') });
      expect(await accessibilityViolations()).toEqual([]);
    } finally {
      await fresh.close();
      page = previous;
    }
  }, 120_000);

  it('loads nothing from anywhere but the gateway on 127.0.0.1', () => {
    const origin = new URL(dashboardUrl).origin;
    expect(new URL(origin).hostname).toBe('127.0.0.1');
    expect(requested.length).toBeGreaterThan(5);
    const elsewhere = requested
      .map((r) => r.url())
      .filter((url) => !url.startsWith(`${origin}/`) && !/^data:/.test(url));
    expect(elsewhere).toEqual([]);
  });
});
