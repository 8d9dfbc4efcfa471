import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { readExamples } from '@bicentennial/gateway/ide';
import { createTestKeys, type TestKeys } from '@bicentennial/testing';
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

  it('opens the operation a link carries (?query=&variables=) in a tab of its own, and runs it', async () => {
    const link = new URL(graph.gatewayUrl);
    link.searchParams.set('query', 'query LinkedGoal($id: ID!) { goal(id: $id) { id title } }');
    link.searchParams.set('variables', JSON.stringify({ id: '2' }));
    await page.goto(link.href);
    await page.locator('.graphiql-tab-active', { hasText: 'LinkedGoal' }).waitFor({ timeout: 60_000 });
    const answered = nextAnswer('LinkedGoal');
    await page.locator('.graphiql-execute-button').click();
    const answer = (await (await answered).json()) as { data: { goal: { id: string } } };
    expect(answer.data.goal.id).toBe('2');
    // The example tabs are still there beside it.
    const tabs = await page.locator('.graphiql-tab .graphiql-tab-button').allTextContents();
    expect(tabs.map((tab) => tab.trim())).toEqual(expect.arrayContaining(['DashboardProgress', 'LinkedGoal']));
  }, 90_000);

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

/**
 * The IDE as a production deployment serves it: keys of its own (as an operator configures them),
 * SAFELIST=enforce (the default there), no development roles. The public runs the example tabs (they
 * are in the manifest and the page sends them as persisted operations); a caller without
 * graph:analyze is told, in the response pane, that an edited operation is not on the list; an
 * analyst's pasted token runs it and reads the docs.
 */
describeBrowser('the IDE under the production profile, in chromium', () => {
  let keys: TestKeys;
  let graph: InProcessGraph;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const requested: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    keys = await createTestKeys();
    graph = await startInProcessGraph({
      gatewayEnv: {
        PROFILE: 'production',
        AUTH_JWKS_PATH: keys.issuerJwksPath,
        AUTH_ISSUER: keys.issuer,
        AUTH_AUDIENCE: keys.audience,
        INTERNAL_SIGNING_KEY_PATH: keys.internalPrivatePath,
      },
      subgraphEnv: { GATEWAY_JWKS_PATH: keys.internalJwksPath },
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    context.on('request', (request) => requested.push(request.url()));
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 240_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await graph?.stop();
    keys?.remove();
  });

  const nextAnswer = (operationName: string | null) =>
    page.waitForResponse(
      (response) =>
        response.url().endsWith('/graphql') &&
        response.request().method() === 'POST' &&
        (operationName === null ||
          (response.request().postData() ?? '').includes(`"operationName":"${operationName}"`)),
      { timeout: 30_000 },
    );
  const openTab = async (name: string) => {
    await page.locator('.graphiql-tab', { hasText: name }).first().click();
    await page.locator('.graphiql-tab-active', { hasText: name }).waitFor({ timeout: 10_000 });
  };
  const run = async (operationName: string | null) => {
    const answered = nextAnswer(operationName);
    await page.locator('.graphiql-execute-button').click();
    return answered.catch(async (error: unknown) => {
      await page.screenshot({ path: join(ARTIFACTS, 'ide-production-failure.png') });
      throw error;
    });
  };
  const responseShows = (text: string) =>
    page.locator('.graphiql-response', { hasText: text }).waitFor({ timeout: 10_000 });

  it('has no role picker nor write example; the public runs an example tab, persisted', async () => {
    const origin = new URL(graph.gatewayUrl).origin;
    const opened = await page.goto(graph.gatewayUrl);
    expect(opened?.status()).toBe(200);
    await page.locator('.graphiql-container').waitFor({ timeout: 60_000 });
    expect(await page.locator('.bg-profile').textContent()).toBe('production profile');
    expect(await page.locator('#bg-role').count()).toBe(0);
    await page.locator('#bg-token').waitFor({ timeout: 10_000 });
    const tabs = (await page.locator('.graphiql-tab .graphiql-tab-button').allTextContents()).map((tab) => tab.trim());
    expect(tabs).toEqual(
      readExamples()
        .filter((e) => e.type === 'query')
        .map((e) => e.name),
    );

    await openTab('DashboardProgress');
    const response = await run('DashboardProgress');
    expect(response.request().headers()['authorization']).toBeUndefined();
    const answer = (await response.json()) as { data?: { goals: { id: string }[] }; errors?: unknown[] };
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.goals.map((goal) => goal.id)).toEqual(['1', '2', '3']);
    await responseShows('"title": "Protect Our People"');
    const elsewhere = requested.filter((url) => !url.startsWith(`${origin}/`) && !/^(data|blob):/.test(url));
    expect(elsewhere).toEqual([]);
  }, 120_000);

  it('tells a caller without graph:analyze that an edited operation is not on the list, and runs it for an analyst', async () => {
    const writer = await keys.mint({
      subject: 'ide-writer',
      agency: 'CBP',
      country: 'US',
      scopes: ['border-trade:write'],
    });
    await page.locator('#bg-token').fill(writer);
    await openTab('DashboardProgress');
    // Replace the tab's text with an operation of one's own (insertText: Monaco closes no brackets).
    await page.locator('.graphiql-query-editor .monaco-editor').first().click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText('query MyGoals { goals { id } }');
    const refused = await run('MyGoals');
    expect(refused.request().headers()['authorization']).toBe(`Bearer ${writer}`);
    const refusal = (await refused.json()) as { errors?: { message: string; extensions?: { code?: string } }[] };
    expect(refusal.errors?.map((error) => error.extensions?.code)).toEqual(['QUERY_NOT_IN_SAFELIST']);
    await responseShows('QUERY_NOT_IN_SAFELIST');

    const analyst = await keys.mint({
      subject: 'ide-analyst',
      agency: 'CBP',
      country: 'US',
      scopes: ['graph:analyze'],
    });
    await page.locator('#bg-token').fill(analyst);
    const ran = await run('MyGoals');
    const answer = (await ran.json()) as { data?: { goals: { id: string }[] }; errors?: unknown[] };
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.goals.map((goal) => goal.id)).toEqual(['1', '2', '3']);
    await responseShows('"id": "3"');
    // The docs, read through the analyst's introspection.
    await page.locator('.graphiql-sidebar button[aria-label="Show Documentation Explorer"]').click();
    await page
      .locator('.graphiql-doc-explorer a', { hasText: /^Query$/ })
      .first()
      .click();
    await page
      .locator('.graphiql-doc-explorer', { hasText: 'The entry points for reading the graph.' })
      .waitFor({ timeout: 20_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'ide-production.png') });
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
