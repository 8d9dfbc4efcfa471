import { loadNodes } from '@bicentennial/subgraph-kit';
import type { SanctionsDesignationConnectionResolvers } from '../generated/graphql';

export const SanctionsDesignationConnection: SanctionsDesignationConnectionResolvers = {
  nodes: (page, _args, { loaders }) => loadNodes(loaders.designation, page.nodes),
};
