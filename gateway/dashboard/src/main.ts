/**
 * The reference dashboard the gateway serves on `GET /dashboard`: the framework's goals,
 * cooperation areas and joint objectives with each indicator's headline series, latest value and
 * sources, in English or Spanish (`?lang=es`, and a switch). It reads the graph only through its
 * persisted operation, by id. Everything it loads comes from the gateway itself.
 */
import { h } from './dom';
import { GraphUnavailable, runPersisted, type GraphError } from './graph';
import { isLang, label, otherLang, type LabelKey, type Lang } from './labels';
import type { DashboardData } from './model';
import { contents, goals } from './render';
import './dashboard.css';

const endpoint = new URL(document.documentElement.dataset['graphql'] ?? 'graphql', document.baseURI);

/** The answers already had, by language: switching back is immediate. */
const answers = new Map<Lang, { data: DashboardData; errors: GraphError[] }>();

function langOfUrl(): Lang | null {
  const asked = new URLSearchParams(location.search).get('lang')?.toLowerCase();
  return isLang(asked) ? asked : null;
}

const htmlLang = document.documentElement.lang;
let lang: Lang = langOfUrl() ?? (isLang(htmlLang) ? htmlLang : 'en');
let loadId = 0;

const labelled = (tag: 'p' | 'span' | 'h1' | 'a', key: LabelKey, attributes: Record<string, string> = {}) =>
  h(tag, { ...attributes, 'data-label': key }, label(lang, key));

// The frame stays while the language changes, so the switch keeps the keyboard focus.
const skip = labelled('a', 'skipToContent', { class: 'skip-link', href: '#goals' });
const frameworkTitle = h('p', { class: 'framework-title' });
const heading = labelled('h1', 'heading');
const intro = labelled('p', 'intro', { class: 'intro' });
const switcher = h('button', { type: 'button', class: 'lang-switch', id: 'lang-switch' });
const header = h(
  'header',
  { class: 'masthead' },
  h('div', { class: 'masthead-text' }, frameworkTitle, heading, intro),
  switcher,
);
const status = h('div', { class: 'load-status', role: 'status', 'aria-live': 'polite' });
const navigation = h('div', { class: 'contents-slot' });
const main = h('main', { id: 'goals', tabindex: '-1' });

function relabelFrame(): void {
  document.documentElement.lang = lang;
  document.body.dataset['lang'] = lang;
  for (const element of [skip, heading, intro]) {
    element.textContent = label(lang, element.dataset['label'] as LabelKey);
  }
  const other = otherLang(lang);
  switcher.textContent = label(lang, 'switchLanguage');
  switcher.setAttribute('data-label', 'switchLanguage');
  // The switch names the other language in that language.
  switcher.lang = other;
}

function showStatus(key: LabelKey | null, values: Record<string, string> = {}, retry = false): void {
  status.replaceChildren();
  if (!key) return;
  const message = h('p', { 'data-label': key }, label(lang, key, values));
  status.append(message);
  if (retry) {
    const again = h('button', { type: 'button', 'data-label': 'retry' }, label(lang, 'retry'));
    again.addEventListener('click', () => void load());
    status.append(again);
  }
}

function render(data: DashboardData, errors: readonly GraphError[]): void {
  frameworkTitle.textContent = data.framework.title;
  document.title = label(lang, 'documentTitle', { framework: data.framework.title });
  navigation.replaceChildren(contents(lang, data));
  main.replaceChildren(goals(lang, data));
  const down = [
    ...new Set(
      errors
        .filter((error) => error.extensions?.code === 'SUBGRAPH_UNAVAILABLE')
        .map((error) => error.extensions?.serviceName ?? '?'),
    ),
  ];
  showStatus(down.length > 0 ? 'partial' : null, { services: down.join(', ') });
}

async function load(): Promise<void> {
  const id = ++loadId;
  const asked = lang;
  relabelFrame();
  const had = answers.get(asked);
  if (had) {
    render(had.data, had.errors);
    document.body.dataset['state'] = 'ready';
    performance.mark('dashboard:rendered');
    return;
  }
  document.body.dataset['state'] = 'loading';
  document.title = label(asked, 'documentTitleLoading');
  frameworkTitle.textContent = '';
  main.setAttribute('aria-busy', 'true');
  showStatus('loading');
  try {
    const answer = await runPersisted<DashboardData>(endpoint, 'ReferenceDashboard', asked);
    if (id !== loadId) return;
    if (!answer.data) {
      throw new GraphUnavailable(answer.errors?.[0]?.extensions?.code ?? answer.errors?.[0]?.message ?? 'no data');
    }
    const errors = answer.errors ?? [];
    // An answer with a subgraph down is not kept: the next visit asks again.
    if (errors.length === 0) answers.set(asked, { data: answer.data, errors });
    render(answer.data, errors);
    document.body.dataset['state'] = 'ready';
    // For measurements (the bench reads it): the figures are on the page.
    performance.mark('dashboard:rendered');
  } catch (error) {
    if (id !== loadId) return;
    const reason = error instanceof Error ? error.message : String(error);
    showStatus('loadFailed', { reason }, true);
    document.body.dataset['state'] = 'error';
  } finally {
    if (id === loadId) main.removeAttribute('aria-busy');
  }
}

switcher.addEventListener('click', () => {
  lang = otherLang(lang);
  const url = new URL(location.href);
  url.searchParams.set('lang', lang);
  history.pushState(null, '', url);
  void load();
});
window.addEventListener('popstate', () => {
  lang = langOfUrl() ?? lang;
  void load();
});

document.body.replaceChildren(skip, header, status, navigation, main);
void load();
