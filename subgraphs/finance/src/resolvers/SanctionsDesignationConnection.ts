import { loadNodes } from '@bicentennial/schema';
import type { SanctionsDesignationConnectionResolvers } from '../generated/graphql';

export const SanctionsDesignationConnection: SanctionsDesignationConnectionResolvers = {
  nodes: (page, _args, { loaders }) => loadNodes(loaders.designation, page.nodes),
};
