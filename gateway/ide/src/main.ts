/**
 * The IDE the gateway serves on `GET /graphql` and `/`: GraphiQL with its docs, history and the
 * query builder (explorer), the repository's example operations as tabs, and a caller picker that
 * sets the bearer token of every request. Everything it loads comes from the gateway itself.
 */
import { explorerPlugin } from '@graphiql/plugin-explorer';
import { useGraphiQL, type GraphiQLPlugin } from '@graphiql/react';
import { GraphiQL, HISTORY_PLUGIN, type GraphiQLProps } from 'graphiql';
import { Kind, parse } from 'graphql';
import { createElement as h, useMemo, useState, type ChangeEvent } from 'react';
import { createRoot } from 'react-dom/client';
import { persistedBody } from './persisted';
import 'graphiql/style.css';
import '@graphiql/plugin-explorer/style.css';
import './ide.css';

/** What `GET /ide/config.json` answers (gateway/src/ide/routes.ts). */
interface IdeConfig {
  profile: 'development' | 'production';
  examples: { name: string; title: string; description: string; query: string; variables: string | null }[];
  /** Development profile only: callers with tokens the gateway minted from the development keys. */
  roles: { id: string; label: string; description: string; token: string | null }[];
}

type Fetcher = GraphiQLProps['fetcher'];

declare const IDE_WORKERS: { editor: string; json: string; graphql: string };

// Monaco's language services run in web workers, bundled beside this script.
(globalThis as unknown as { MonacoEnvironment: unknown }).MonacoEnvironment = {
  getWorker(_workerId: string, label: string) {
    const file = label === 'json' ? IDE_WORKERS.json : label === 'graphql' ? IDE_WORKERS.graphql : IDE_WORKERS.editor;
    return new Worker(new URL(file, import.meta.url));
  },
};

const TOKEN_KEY = 'bicentennial-ide:token';
const ROLE_KEY = 'bicentennial-ide:role';
const CUSTOM = 'custom';

type FetcherParams = Parameters<Fetcher>[0];

/**
 * The operation name to send: GraphiQL's own, unless it names no operation of the document, which
 * happens when a tab is run right after switching to it (GraphiQL updates the name a moment after
 * the editor). Then the document's only operation, or none (the gateway asks for one).
 */
function operationNameOf(params: FetcherParams): string | null | undefined {
  let names: string[];
  try {
    names = parse(params.query)
      .definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION)
      .map((definition) => definition.name?.value ?? '');
  } catch {
    return params.operationName;
  }
  if (params.operationName && names.includes(params.operationName)) return params.operationName;
  return names.length === 1 && names[0] ? names[0] : undefined;
}

/**
 * A fetcher that POSTs JSON to the endpoint, with the chosen token unless the headers tab sets one.
 * An example tab (its operation the same as one of `examples`, whatever its comments and layout)
 * is sent as its persisted body (`persistedBody`), which the production safelist runs for anyone;
 * anything else goes as it was typed.
 */
function fetcherFor(endpoint: string, bearer: string | null, examples: ReadonlySet<string>): Fetcher {
  return async (asked, options) => {
    const operationName = operationNameOf(asked);
    const persisted = persistedBody(asked.query, operationName);
    const query = persisted !== null && examples.has(persisted) ? persisted : asked.query;
    const params = { ...asked, query, operationName };
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json;q=0.9',
      ...((options?.headers ?? {}) as Record<string, string>),
    };
    if (bearer && !Object.keys(headers).some((name) => name.toLowerCase() === 'authorization')) {
      headers['authorization'] = `Bearer ${bearer}`;
    }
    const response = await fetch(endpoint, { method: 'POST', headers, body: JSON.stringify(params) });
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = { errors: [{ message: `HTTP ${response.status}: the gateway answered something other than JSON.` }] };
    }
    return body as Awaited<ReturnType<Fetcher>>;
  };
}

/** What `POST /explain` answers (gateway/src/explain.ts). */
interface Explanation {
  plan: { text: string } | null;
  subgraphs: string[];
  fetches: number;
  cost: { estimated: number; limit: number; withinLimit: boolean };
  unauthorized: { path: string; message: string }[];
  errors?: { message: string; extensions?: { code?: string } }[];
}

function ExplainIcon() {
  return h(
    'svg',
    {
      viewBox: '0 0 24 24',
      width: 20,
      height: 20,
      'aria-hidden': true,
      fill: 'none',
      stroke: 'currentColor',
      strokeWidth: 1.6,
    },
    h('circle', { cx: 5, cy: 6, r: 2.2 }),
    h('circle', { cx: 19, cy: 6, r: 2.2 }),
    h('circle', { cx: 12, cy: 18, r: 2.2 }),
    h('path', { d: 'M7 7.5l3.6 8.6M17 7.5l-3.6 8.6M7.2 6h9.6' }),
  );
}

/**
 * The Explain pane: the query plan of the operation in the editor (which subgraphs, which
 * fetches, in which order) and its cost against the limit, from the gateway, without running it.
 */
function explainPlugin(explainUrl: string, bearer: string | null): GraphiQLPlugin {
  function ExplainPane() {
    const { queryEditor, variableEditor, operationName } = useGraphiQL((state) => ({
      queryEditor: state.queryEditor,
      variableEditor: state.variableEditor,
      operationName: state.operationName,
    }));
    const [result, setResult] = useState<Explanation | { failed: string } | null>(null);
    const run = async () => {
      const query = queryEditor?.getValue() ?? '';
      let variables: unknown;
      try {
        variables = variableEditor?.getValue().trim() ? JSON.parse(variableEditor.getValue()) : undefined;
      } catch {
        setResult({ failed: 'The variables are not JSON.' });
        return;
      }
      const params = { query, operationName: operationNameOf({ query, operationName }) ?? null, variables };
      const response = await fetch(explainUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
        body: JSON.stringify(params),
      });
      setResult((await response.json()) as Explanation);
    };
    return h(
      'section',
      { className: 'bg-explain', 'aria-label': 'Explain' },
      h('div', { className: 'graphiql-doc-explorer-title' }, 'Explain'),
      h('p', null, 'How the gateway would run the operation in the editor, for the chosen caller, without running it.'),
      h(
        'button',
        { type: 'button', className: 'graphiql-button', onClick: () => void run() },
        'Explain this operation',
      ),
      result && 'failed' in result && h('p', { role: 'alert' }, result.failed),
      result &&
        !('failed' in result) &&
        (result.errors
          ? h(
              'p',
              { role: 'alert' },
              result.errors.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`).join(' '),
            )
          : h(
              'div',
              { className: 'bg-explain-result' },
              h(
                'p',
                { className: 'bg-explain-cost' },
                `Cost ${result.cost.estimated} of ${result.cost.limit}`,
                result.cost.withinLimit ? '' : ' — over the limit: /graphql would refuse it',
              ),
              h(
                'p',
                null,
                `${result.fetches} fetch${result.fetches === 1 ? '' : 'es'} from ${result.subgraphs.join(', ') || 'no subgraph'}`,
              ),
              result.unauthorized.length > 0 &&
                h(
                  'p',
                  null,
                  `Not visible to this caller (null in the answer): ${result.unauthorized.map((u) => u.path).join(', ')}`,
                ),
              h('pre', { className: 'bg-explain-plan' }, result.plan?.text ?? 'Nothing left to run for this caller.'),
            )),
    );
  }
  return { title: 'Explain', icon: ExplainIcon, content: ExplainPane };
}

function CallerPicker(props: {
  config: IdeConfig;
  role: string;
  token: string;
  onRole: (role: string) => void;
  onToken: (token: string) => void;
}) {
  const { config, role, token } = props;
  const roles = config.roles;
  const picking = roles.length > 0;
  const current = roles.find((r) => r.id === role);
  return h(
    'div',
    { className: 'bg-caller' },
    picking &&
      h(
        'label',
        { htmlFor: 'bg-role' },
        'Caller ',
        h(
          'select',
          {
            id: 'bg-role',
            value: role,
            onChange: (event: ChangeEvent<HTMLSelectElement>) => props.onRole(event.target.value),
          },
          ...roles.map((r) => h('option', { key: r.id, value: r.id }, r.label)),
          h('option', { key: CUSTOM, value: CUSTOM }, 'Another token…'),
        ),
      ),
    (!picking || role === CUSTOM) &&
      h(
        'label',
        { htmlFor: 'bg-token' },
        'Bearer token ',
        h('input', {
          id: 'bg-token',
          type: 'password',
          autoComplete: 'off',
          placeholder: 'none: the public',
          value: token,
          onChange: (event: ChangeEvent<HTMLInputElement>) => props.onToken(event.target.value.trim()),
        }),
      ),
    current && h('span', { className: 'bg-role-description' }, current.description),
  );
}

/** The operation a link to the page carries (`?query=…&variables=…`), for GraphiQL's initial tab. */
function linkedOperation(search: string): { initialQuery?: string; initialVariables?: string } {
  const params = new URLSearchParams(search);
  const query = params.get('query');
  if (!query) return {};
  const variables = params.get('variables');
  return { initialQuery: query, ...(variables ? { initialVariables: variables } : {}) };
}

function Ide({ config, endpoint }: { config: IdeConfig; endpoint: string }) {
  const linked = useMemo(() => linkedOperation(window.location.search), []);
  const firstRole = config.roles.find((r) => r.token !== null)?.id ?? config.roles[0]?.id ?? CUSTOM;
  const [role, setRole] = useState(() => sessionStorage.getItem(ROLE_KEY) ?? firstRole);
  const [token, setToken] = useState(() => sessionStorage.getItem(TOKEN_KEY) ?? '');
  const chosen =
    role === CUSTOM || config.roles.length === 0
      ? token || null
      : (config.roles.find((r) => r.id === role)?.token ?? null);
  // A new fetcher per caller: GraphiQL then fetches the schema again, as that caller may see it
  // (in production, introspection needs the analyst scope).
  const examples = useMemo(
    () => new Set(config.examples.flatMap((example) => persistedBody(example.query, example.name) ?? [])),
    [config.examples],
  );
  const fetcher = useMemo(() => fetcherFor(endpoint, chosen, examples), [endpoint, chosen, examples]);
  // The docs are GraphiQL's own (its reference plugin); history and the query builder beside them.
  const explainUrl = new URL('../../explain', endpoint).href;
  const explorer = useMemo(() => explorerPlugin(), []);
  const explain = useMemo(() => explainPlugin(explainUrl, chosen), [explainUrl, chosen]);
  const plugins = useMemo(() => [HISTORY_PLUGIN, explorer, explain], [explorer, explain]);
  const defaultTabs = config.examples.map((example) => ({
    query: example.query,
    ...(example.variables ? { variables: example.variables } : {}),
  }));
  return h(
    'div',
    { className: 'bg-ide' },
    h(
      'header',
      { className: 'bg-bar' },
      h('h1', null, 'Bicentennial Graph'),
      h('span', { className: 'bg-profile' }, `${config.profile} profile`),
      h(CallerPicker, {
        config,
        role,
        token,
        onRole: (next) => {
          sessionStorage.setItem(ROLE_KEY, next);
          setRole(next);
        },
        onToken: (next) => {
          sessionStorage.setItem(TOKEN_KEY, next);
          setToken(next);
        },
      }),
    ),
    h(
      'main',
      { className: 'bg-graphiql' },
      h(GraphiQL, {
        fetcher,
        plugins,
        defaultTabs,
        // A link to the endpoint with an operation (`/graphql?query=…&variables=…`, as GraphQL
        // over HTTP's GET has it) opens that operation in a tab of its own.
        ...linked,
        defaultEditorToolsVisibility: true,
        shouldPersistHeaders: false,
      }),
    ),
  );
}

async function main(): Promise<void> {
  const root = createRoot(document.getElementById('root')!);
  // This script is /ide/assets/<name>.js: the configuration and the endpoint are found from it, so
  // that the page also works behind a proxy that mounts the gateway under a path.
  const response = await fetch(new URL('../config.json', import.meta.url));
  if (!response.ok) {
    root.render(h('p', { role: 'alert' }, `The IDE's configuration could not be loaded (HTTP ${response.status}).`));
    return;
  }
  const config = (await response.json()) as IdeConfig;
  root.render(h(Ide, { config, endpoint: new URL('../../graphql', import.meta.url).href }));
}

void main();
