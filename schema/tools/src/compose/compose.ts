import { composeServices } from '@apollo/composition';
import { subgraphTypeDefs, readSupergraphConfig, type SubgraphConfig } from '@bicentennial/schema';

export interface CompositionOutcome {
  supergraphSdl?: string;
  errors: string[];
  hints: string[];
}

/** Composes the subgraphs of the supergraph config (each with the shared SDL) ahead of time. */
export function composeSupergraph(subgraphs: SubgraphConfig[] = readSupergraphConfig()): CompositionOutcome {
  const result = composeServices(
    subgraphs.map((s) => ({ name: s.name, url: s.routingUrl, typeDefs: subgraphTypeDefs(s.sdlPath) })),
  );
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
