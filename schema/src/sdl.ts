import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, type DocumentNode } from 'graphql';

export const SHARED_SDL_PATH = join(__dirname, '..', 'sdl', 'shared.graphql');

/** The SDL every subgraph shares (scalars, provenance and observation value types). */
export function sharedSdl(): string {
  return readFileSync(SHARED_SDL_PATH, 'utf8');
}

/**
 * A subgraph's full SDL: the shared SDL followed by the subgraph's own file. The same function
 * builds a subgraph's schema and feeds composition, so the two can never disagree.
 */
export function subgraphSdl(ownSdlPath: string): string {
  return `${sharedSdl()}\n${readFileSync(ownSdlPath, 'utf8')}`;
}

export function subgraphTypeDefs(ownSdlPath: string): DocumentNode {
  return parse(subgraphSdl(ownSdlPath));
}
