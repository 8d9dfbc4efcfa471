import { loadEdges, loadNodes } from '@bicentennial/subgraph-kit';
import type { SanctionsDesignationConnectionResolvers } from '../generated/graphql';

export const SanctionsDesignationConnection: SanctionsDesignationConnectionResolvers = {
  nodes: (page, _args, { loaders }) => loadNodes(loaders.designation, page.nodes),
  edges: (page, _args, { loaders }) => loadEdges(loaders.designation, page),
};
