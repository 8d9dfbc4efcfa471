import { readFileSync, unwatchFile, watchFile, type Stats } from 'node:fs';
import type { SupergraphManager } from '@apollo/gateway';
import { Supergraph } from '@apollo/federation-internals';
import { QueryPlanner } from '@apollo/query-planner';
import { envName } from '@bicentennial/schema';
import type { Logger } from 'pino';

export class SupergraphLoadError extends Error {
  override readonly name = 'SupergraphLoadError';
}

export interface LoadedSupergraph {
  /** The supergraph as the gateway runs it (`forApolloGateway`: the access directives enforced by AuthorizingGateway). */
  sdl: string;
  /** Each subgraph with the URL the gateway sends its requests to: its override, else its routing URL. */
  subgraphs: { name: string; url: string }[];
  /** Overrides (by `envName`) that name no subgraph of this supergraph: unused until one is added. */
  unmatchedOverrides: string[];
}

/**
 * Where the gateway sends a subgraph's requests: its `SUBGRAPH_URL_<NAME>` override, else the
 * routing URL of the supergraph. The one rule for both the data sources @apollo/gateway builds and
 * the subgraph status, so a subgraph added by a later supergraph gets its override too.
 */
export function subgraphUrl(name: string, routingUrl: string | undefined, overrides: Map<string, string>): string {
  return overrides.get(envName(name)) ?? routingUrl ?? '';
}

/**
 * The authorization specs this gateway enforces itself (access.ts, `AuthorizingGateway`).
 * Composition links them `for: SECURITY`, which tells a gateway that cannot enforce them to
 * refuse the supergraph — and @apollo/gateway refuses it. The gateway is handed the supergraph
 * with these three links' purpose removed (the directives stay where composition put them, and
 * are read from there); a SECURITY feature other than these is still refused.
 */
const ENFORCED_SECURITY_SPECS =
  /(@link\(url: "https:\/\/specs\.apollo\.dev\/(?:authenticated|requiresScopes|policy)\/v0\.1"), for: SECURITY\)/g;

/** The supergraph as @apollo/gateway is given it: see `ENFORCED_SECURITY_SPECS`. */
export function forApolloGateway(sdl: string): string {
  return sdl.replace(ENFORCED_SECURITY_SPECS, '$1)');
}

const isHttpUrl = (url: string): boolean => {
  try {
    return ['http:', 'https:'].includes(new URL(url).protocol);
  } catch {
    return false;
  }
};

/**
 * Reads and validates a composed supergraph: it must parse, be a valid supergraph, admit a query
 * planner, and give every subgraph an http(s) URL (its override or its routing URL). Throws a
 * `SupergraphLoadError` saying which of these failed. Everything that can refuse a supergraph is
 * here, so that a changed file is refused before the gateway switches to it, never after.
 */
export function loadSupergraph(path: string, overrides: Map<string, string> = new Map()): LoadedSupergraph {
  let sdl: string;
  try {
    sdl = forApolloGateway(readFileSync(path, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SupergraphLoadError(
      code === 'ENOENT'
        ? `no supergraph at ${path}: run \`npm run compose\` or set SUPERGRAPH_PATH`
        : `cannot read the supergraph at ${path}: ${code ?? String(error)}`,
    );
  }
  let routingUrls: { name: string; url: string }[];
  try {
    const supergraph = Supergraph.build(sdl);
    new QueryPlanner(supergraph);
    routingUrls = supergraph
      .subgraphs()
      .values()
      .map((s) => ({ name: s.name, url: s.url }));
  } catch (error) {
    throw new SupergraphLoadError(`${path} is not a valid supergraph: ${(error as Error).message.split('\n')[0]}`);
  }
  const subgraphs = routingUrls.map(({ name, url }) => ({ name, url: subgraphUrl(name, url, overrides) }));
  const unusable = subgraphs.filter((s) => !isHttpUrl(s.url));
  if (unusable.length > 0) {
    throw new SupergraphLoadError(
      `${path} gives a subgraph no http(s) URL: ${unusable
        .map((s) => `${s.name} (routing URL ${JSON.stringify(s.url)}; set SUBGRAPH_URL_${envName(s.name)})`)
        .join(', ')}`,
    );
  }
  const known = new Set(subgraphs.map((s) => envName(s.name)));
  return { sdl, subgraphs, unmatchedOverrides: [...overrides.keys()].filter((key) => !known.has(key)) };
}

export interface SupergraphFileOptions {
  path: string;
  watch: boolean;
  pollIntervalMs: number;
  /** `SUBGRAPH_URL_<NAME>` overrides by `envName` (`PUBLIC_HEALTH`). */
  overrides: Map<string, string>;
  logger: Logger;
  /**
   * Told of each supergraph the gateway serves: the first one as it starts, then each change once
   * the gateway has switched to it. It cannot refuse one (every check is in `loadSupergraph`, run
   * before the switch), so it only keeps other state, such as the subgraph status, in step.
   */
  onServing: (supergraph: LoadedSupergraph) => void;
}

/**
 * The gateway's supergraph source: the composed file, loaded at start (an invalid or missing file
 * fails the start) and, when watched, swapped in on change. A change that does not load is logged
 * and the last good supergraph keeps serving. Polling (not fs.watch) sees a file replaced by
 * rename, as deploy tools and editors do.
 */
export function supergraphFromFile(options: SupergraphFileOptions): SupergraphManager {
  const { path, overrides, logger } = options;
  // An override may be set before its subgraph is composed in (it then applies from the change that
  // adds it), so one that names nothing is worth a warning each time, not a refusal.
  const warnUnmatched = (supergraph: LoadedSupergraph) => {
    if (supergraph.unmatchedOverrides.length === 0) return;
    logger.warn(
      { variables: supergraph.unmatchedOverrides.map((key) => `SUBGRAPH_URL_${key}`) },
      'SUBGRAPH_URL_ variables name no subgraph of the supergraph; each is unused until a supergraph has that subgraph',
    );
  };
  return {
    initialize: ({ update }) => {
      const initial = loadSupergraph(path, overrides);
      warnUnmatched(initial);
      options.onServing(initial);
      let current = initial.sdl;
      const onChange = (now: Stats, previous: Stats) => {
        if (now.mtimeMs === previous.mtimeMs && now.size === previous.size && now.ino === previous.ino) return;
        let next: LoadedSupergraph;
        try {
          next = loadSupergraph(path, overrides);
        } catch (error) {
          logger.error({ err: error }, 'supergraph file changed but does not load; keeping the last good supergraph');
          return;
        }
        if (next.sdl === current) return;
        try {
          update(next.sdl);
        } catch (error) {
          // @apollo/gateway throws here when it is stopping or mid-update, before it touches its
          // schema (what it builds from the file, loadSupergraph has just built): the old one serves.
          logger.error({ err: error }, 'the gateway refused the new supergraph; keeping the last good supergraph');
          return;
        }
        current = next.sdl;
        logger.info({ subgraphs: next.subgraphs.map((s) => s.name) }, 'supergraph updated');
        warnUnmatched(next);
        options.onServing(next);
      };
      if (options.watch) watchFile(path, { interval: options.pollIntervalMs, persistent: false }, onChange);
      return Promise.resolve({
        supergraphSdl: initial.sdl,
        cleanup: () => {
          unwatchFile(path, onChange);
          return Promise.resolve();
        },
      });
    },
  };
}
