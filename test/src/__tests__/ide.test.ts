import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { readExamples } from '@bicentennial/gateway/ide';
import { post } from '../operations';
import { startInProcessGraph, type InProcessGraph } from '../inProcess';

/**
 * The IDE in a real browser: Debian's chromium (`.ci/run` installs it; REQUIRE_BROWSER=true there
 * makes its absence a failure) driven by playwright-core, against the real gateway and subgraphs.
 */
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const haveBrowser = existsSync(CHROMIUM);
if (!haveBrowser && process.env['REQUIRE_BROWSER'] === 'true') {
  throw new Error(`REQUIRE_BROWSER=true but there is no browser at ${CHROMIUM} (apt-get install chromium)`);
}
if (!haveBrowser) {
  process.stderr.write(
    `ide.test.ts: no browser at ${CHROMIUM}; the browser tests are skipped (apt-get install chromium)\n`,
  );
}
/** Screenshots, kept for a person to look at: .tmp/artifacts (gitignored). */
const ARTIFACTS = join(__dirname, '..', '..', '..', '.tmp', 'artifacts');

const describeBrowser = haveBrowser ? describe : describe.skip;

describeBrowser('the IDE on the printed URL, in chromium', () => {
  let graph: InProcessGraph;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** Every URL the browser asked for, the page's and its workers'. */
  const requested: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    graph = await startInProcessGraph();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    context.on('request', (request) => requested.push(request.url()));
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await graph?.stop();
  });

  /** The response body of the next operation the page POSTs to /graphql. */
  const nextAnswer = (operationName: string) =>
    page.waitForResponse(
      (response) =>
        response.url().endsWith('/graphql') &&
        response.request().method() === 'POST' &&
        (response.request().postData() ?? '').includes(`"operationName":"${operationName}"`),
      { timeout: 30_000 },
    );

  const openTab = async (name: string) => {
    await page.locator('.graphiql-tab', { hasText: name }).first().click();
    await page.locator('.graphiql-tab-active', { hasText: name }).waitFor({ timeout: 10_000 });
  };
  /** Waits until the response pane shows `text` (Monaco renders the lines in view). */
  const responseShows = (text: string) =>
    page.locator('.graphiql-response', { hasText: text }).waitFor({ timeout: 10_000 });

  it('opens offline with every example as a tab, runs one as an analyst and shows the result', async () => {
    const origin = new URL(graph.gatewayUrl).origin;
    const opened = await page.goto(graph.gatewayUrl);
    expect(opened?.status()).toBe(200);
    expect(opened?.headers()['content-security-policy']).toContain("connect-src 'self'");
    await page.locator('.graphiql-container').waitFor({ timeout: 60_000 });

    // Every example of the development profile, in file order, the write included.
    const examples = readExamples();
    expect(examples.length).toBeGreaterThanOrEqual(8);
    const tabs = await page.locator('.graphiql-tab .graphiql-tab-button').allTextContents();
    expect(tabs.map((tab) => tab.trim())).toEqual(examples.map((example) => example.name));

    // The analyst's walk across three subgraphs, with the token the picker holds.
    await page.selectOption('#bg-role', 'analyst-us');
    await openTab('SinaloaAcrossSubgraphs');
    const answered = nextAnswer('SinaloaAcrossSubgraphs');
    await page.locator('.graphiql-execute-button').click();
    const answer = (await (await answered).json()) as {
      data: { criminalOrganization: { name: string; extraditions: { totalCount: number } } };
      errors?: unknown[];
    };
    expect(answer.errors).toBeUndefined();
    expect(answer.data.criminalOrganization.name).toBe('Sinaloa Cartel');
    // What the page got is what the graph answers that caller directly.
    const example = examples.find((e) => e.name === 'SinaloaAcrossSubgraphs')!;
    const token = await graph.token({ subject: 'ide-test', agency: 'DHS', country: 'US', scopes: ['graph:analyze'] });
    const direct = await post(graph.gatewayUrl, example.query, undefined, { token });
    expect(answer.data).toEqual(direct.body.data);
    await responseShows('"name": "Sinaloa Cartel"');

    // The docs: the schema's own descriptions, offline.
    await page.locator('.graphiql-sidebar button[aria-label="Show Documentation Explorer"]').click();
    await page
      .locator('.graphiql-doc-explorer a', { hasText: /^Query$/ })
      .first()
      .click();
    await page
      .locator('.graphiql-doc-explorer', { hasText: 'The entry points for reading the graph.' })
      .waitFor({ timeout: 10_000 });

    // Explain: the plan of the walk, from the gateway, without running it.
    await page.locator('.graphiql-sidebar button[aria-label="Show Explain"]').click();
    const explained = page.waitForResponse((response) => response.url().endsWith('/explain'), { timeout: 30_000 });
    await page.locator('.bg-explain button', { hasText: 'Explain this operation' }).click();
    expect((await explained).status()).toBe(200);
    await page.locator('.bg-explain-plan', { hasText: 'Fetch(service: "finance")' }).waitFor({ timeout: 10_000 });
    expect(await page.locator('.bg-explain').textContent()).toMatch(/3 fetches from finance, (extradition|firearms)/);

    const screenshot = join(ARTIFACTS, 'ide.png');
    await page.screenshot({ path: screenshot });
    expect(statSync(screenshot).size).toBeGreaterThan(10_000);

    // Nothing left the machine: every request went to the gateway (or was inline data).
    expect(requested.length).toBeGreaterThan(5);
    const elsewhere = requested.filter((url) => !url.startsWith(`${origin}/`) && !/^(data|blob):/.test(url));
    expect(elsewhere).toEqual([]);
    expect(new URL(origin).hostname).toBe('127.0.0.1');
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('runs as the public without a token: records are refused, the catalogue answers', async () => {
    await page.selectOption('#bg-role', 'public');
    await openTab('DashboardProgress');
    const answered = nextAnswer('DashboardProgress');
    await page.locator('.graphiql-execute-button').click();
    const response = await answered.catch(async (error: unknown) => {
      await page.screenshot({ path: join(ARTIFACTS, 'ide-failure.png') });
      throw error;
    });
    expect(response.request().headers()['authorization']).toBeUndefined();
    const answer = (await response.json()) as { data: { goals: { id: string }[] } };
    expect(answer.data.goals.map((goal) => goal.id)).toEqual(['1', '2', '3']);
    await responseShows('"title": "Protect Our People"');
  }, 60_000);

  it('answers GraphQL, not the page, to a client that does not ask for HTML', async () => {
    const response = await fetch(graph.gatewayUrl, { headers: { accept: 'application/json' } });
    expect(response.headers.get('content-type')).not.toContain('text/html');
    const assetsPage = await fetch(graph.gatewayUrl, { headers: { accept: 'text/html' } });
    const html = await assetsPage.text();
    const script = /src="(ide\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(new URL(script!, graph.gatewayUrl), { headers: { 'accept-encoding': 'gzip' } });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-encoding')).toBe('gzip');
    expect(asset.headers.get('cache-control')).toContain('immutable');
  });
});
