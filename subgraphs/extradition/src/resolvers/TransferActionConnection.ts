import { loadEdges, loadNodes } from '@bicentennial/subgraph-kit';
import type { TransferActionConnectionResolvers } from '../generated/graphql';

export const TransferActionConnection: TransferActionConnectionResolvers = {
  nodes: (page, _args, { loaders }) => loadNodes(loaders.transferAction, page.nodes),
  edges: (page, _args, { loaders }) => loadEdges(loaders.transferAction, page),
};
