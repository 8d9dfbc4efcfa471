import { readFileSync, unwatchFile, watchFile, type Stats } from 'node:fs';
import type { SupergraphManager } from '@apollo/gateway';
import { Supergraph } from '@apollo/federation-internals';
import { QueryPlanner } from '@apollo/query-planner';
import type { Logger } from 'pino';

export class SupergraphLoadError extends Error {
  override readonly name = 'SupergraphLoadError';
}

export interface LoadedSupergraph {
  sdl: string;
  subgraphs: { name: string; url: string }[];
}

/**
 * Reads and validates a composed supergraph: it must parse, be a valid supergraph, and admit
 * a query planner. Throws a `SupergraphLoadError` saying which of these failed.
 */
export function loadSupergraph(path: string): LoadedSupergraph {
  let sdl: string;
  try {
    sdl = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SupergraphLoadError(
      code === 'ENOENT'
        ? `no supergraph at ${path}: run \`npm run compose\` or set SUPERGRAPH_PATH`
        : `cannot read the supergraph at ${path}: ${code ?? String(error)}`,
    );
  }
  try {
    const supergraph = Supergraph.build(sdl);
    new QueryPlanner(supergraph);
    const subgraphs = supergraph
      .subgraphs()
      .values()
      .map((s) => ({ name: s.name, url: s.url }));
    return { sdl, subgraphs };
  } catch (error) {
    throw new SupergraphLoadError(`${path} is not a valid supergraph: ${(error as Error).message.split('\n')[0]}`);
  }
}

export interface SupergraphFileOptions {
  path: string;
  watch: boolean;
  pollIntervalMs: number;
  logger: Logger;
  /** Called with each supergraph the gateway takes (the first one and every valid change). */
  onLoad: (supergraph: LoadedSupergraph) => void;
}

/**
 * The gateway's supergraph source: the composed file, loaded at start (an invalid or missing file
 * fails the start) and, when watched, swapped in on change. A change that does not load is logged
 * and the last good supergraph keeps serving. Polling (not fs.watch) sees a file replaced by
 * rename, as deploy tools and editors do.
 */
export function supergraphFromFile(options: SupergraphFileOptions): SupergraphManager {
  const { path, logger } = options;
  return {
    initialize: ({ update }) => {
      const initial = loadSupergraph(path);
      options.onLoad(initial);
      let current = initial.sdl;
      const onChange = (now: Stats, previous: Stats) => {
        if (now.mtimeMs === previous.mtimeMs && now.size === previous.size && now.ino === previous.ino) return;
        let next: LoadedSupergraph;
        try {
          next = loadSupergraph(path);
        } catch (error) {
          logger.error({ err: error }, 'supergraph file changed but does not load; keeping the last good supergraph');
          return;
        }
        if (next.sdl === current) return;
        try {
          update(next.sdl);
          current = next.sdl;
          options.onLoad(next);
          logger.info({ subgraphs: next.subgraphs.map((s) => s.name) }, 'supergraph updated');
        } catch (error) {
          logger.error({ err: error }, 'the gateway rejected the new supergraph; keeping the last good supergraph');
        }
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
