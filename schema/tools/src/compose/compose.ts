import { composeServices } from '@apollo/composition';
import { subgraphTypeDefs, readSupergraphConfig, type SubgraphConfig } from '@bicentennial/schema';
import type { DocumentNode } from 'graphql';

export interface CompositionOutcome {
  supergraphSdl?: string;
  errors: string[];
  hints: string[];
}

/**
 * Composes the subgraphs of the supergraph config (each with the shared SDL) ahead of time.
 * `typeDefsOf` reads a subgraph's schema (by default its SDL file); the compatibility tests
 * compose a changed SDL through it without writing any file.
 */
export function composeSupergraph(
  subgraphs: SubgraphConfig[] = readSupergraphConfig(),
  typeDefsOf: (subgraph: SubgraphConfig) => DocumentNode = (s) => subgraphTypeDefs(s.sdlPath),
): CompositionOutcome {
  const result = composeServices(subgraphs.map((s) => ({ name: s.name, url: s.routingUrl, typeDefs: typeDefsOf(s) })));
  const hints = (result.hints ?? []).map((h) => `${h.definition.code}: ${h.message}`);
  if (result.errors) {
    return {
      errors: result.errors.map(
        (e) => `${typeof e.extensions['code'] === 'string' ? e.extensions['code'] : 'ERROR'}: ${e.message}`,
      ),
      hints,
    };
  }
  return { supergraphSdl: result.supergraphSdl, errors: [], hints };
}
